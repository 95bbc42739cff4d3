# fuzz/fuzz.mk: the libFuzzer harnesses (included by the Makefile; docs/security.md, Fuzzing).
#
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="manifest ..."]
#
# builds the core, the SDK, the in-tree plugins and the fixture pack with clang and
# -fsanitize=fuzzer-no-link,address,undefined into build-fuzz/, links one harness per loader
# (fuzz/<target>.c) with -fsanitize=fuzzer, and runs each for FUZZ_SECONDS on a corpus in
# build-fuzz/corpus/<target>/ seeded from examples/ (fuzz/seeds.sh). Any crash, leak, UBSan
# report, timeout or out-of-memory fails the target; its input is kept in build-fuzz/crashes/.

FUZZ_BUILD   := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= manifest model_card accel_card checkpoint data_idx data_cifar spacefile
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
FUZZ_BINS     = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: fuzz fuzz-build
fuzz: fuzz-build
	sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Plugins link without -z defs here: clang leaves the sanitizer runtimes out of shared objects,
# and the harness (linked -rdynamic) provides them when it dlopens the plugins.
fuzz-build:
	@$(MAKE) --no-print-directory deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" \
	    PLUGIN_LDFLAGS="-shared -fPIC -fvisibility=hidden" \
	    $(FUZZ_BUILD)/libcodebench.a $(FUZZ_BUILD)/libcbsdk.a plugins \
	    $(FUZZ_BUILD)/tests/plugins/good/fixture_pack.so
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT=-O1 SAN="$(FUZZ_SAN)" $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: fuzz/%.c fuzz/fuzz_util.c fuzz/fuzz_util.h $(FUZZ_BUILD)/libcodebench.a \
                      $(FUZZ_BUILD)/libcbsdk.a
	clang $(CSTD) -O1 -g $(WARN) -Icore -Isdk/include -Ifuzz $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	    -rdynamic -o $@ fuzz/$*.c fuzz/fuzz_util.c $(FUZZ_BUILD)/libcodebench.a $(FUZZ_BUILD)/libcbsdk.a \
	    $(PKG_LIBS) $(SDK_DATA_LIBS) -ldl -lpthread -lm
