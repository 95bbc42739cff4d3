# bench/search.mk: the search strategies' benchmark on NAS-Bench-201 (bench/search_nb201.c).
# The Makefile includes every bench/*.mk; `make bench` builds BENCH_PROGS and
# bench/run.sh runs this one as $(BUILD)/bench/bench_search_nb201. It links the
# core for the host table (seeds, BLAS) and loads the search plugins from the build tree.
BENCH_SEARCH := $(BUILD)/bench/bench_search_nb201
BENCH_PROGS += $(BENCH_SEARCH)

$(BENCH_SEARCH): bench/search_nb201.c $(LIBCB) $(LIBSDK) $(PLUGIN_SOS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(shell pkg-config --cflags jansson 2>/dev/null) -o $@ $< $(LIBCB) $(LIBSDK) \
	    $(shell pkg-config --libs jansson 2>/dev/null) $(LDLIBS_CORE)
