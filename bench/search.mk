# bench/search.mk: the search strategies' benchmark on NAS-Bench-201 (bench/search_nb201.c).
# Include it from the Makefile (-include bench/*.mk) and make `bench` depend on
# $(BENCH_SEARCH); bench/run.sh then runs it as $(BUILD)/bench/bench_search_nb201. It links the
# core for the host table (seeds, BLAS) and loads the search plugins from the build tree.
BENCH_SEARCH := $(BUILD)/bench/bench_search_nb201

$(BENCH_SEARCH): bench/search_nb201.c $(LIBCB) $(LIBSDK) $(PLUGIN_SOS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(shell pkg-config --cflags jansson 2>/dev/null) -o $@ $< $(LIBCB) $(LIBSDK) \
	    $(shell pkg-config --libs jansson 2>/dev/null) $(LDLIBS_CORE)
