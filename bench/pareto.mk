# bench/pareto.mk: Codesign-NAS's search strategies against the exact Pareto front
# (bench/pareto_search.c). The Makefile includes every bench/*.mk; `make bench` builds
# BENCH_PROGS and bench/run.sh runs this one as $(BUILD)/bench/bench_pareto_search (from the
# source tree: it reads examples/codesign-nas/ and the table those manifests name). It links
# the core for the manifests, the cells and the enumeration, and loads the plugins from the
# build tree.
BENCH_PARETO_SEARCH := $(BUILD)/bench/bench_pareto_search
BENCH_PROGS += $(BENCH_PARETO_SEARCH)

$(BENCH_PARETO_SEARCH): bench/pareto_search.c $(LIBCB) $(LIBSDK) $(PLUGIN_SOS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -o $@ $< $(LIBCB) $(LIBSDK) $(LDLIBS_CORE)
