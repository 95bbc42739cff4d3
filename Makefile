# codebench: one non-recursive GNU Makefile.
#
#   make run         install what is missing, build, run the main job (examples/quickstart.yaml)
#   make check       install what is missing, build, run every test
#   make deps        install the Debian packages the project needs (only the missing ones)
#   make             build libcodebench, the codebench executable, libcbsdk and every plugin
#   make check-asan  the whole test suite under AddressSanitizer and UBSan (build-asan/)
#   make bench       the benchmarks in bench/, against peers measured in the same run
#   make install PREFIX=/usr/local [DESTDIR=...]
#
# Layout of the build tree (BUILD, default build/):
#   codebench, libcodebench.a, libcbsdk.a, codebench-uninstalled.pc, codebench.pc,
#   plugins/<kind>/<pack>.so, tests/plugins/<fixture>.so, tests/unit_tests, obj/...

BUILD     ?= build
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
VERSION   := 0.1.0
SAN       ?=
OPT       ?= -O2

BINDIR     = $(PREFIX)/bin
LIBDIR     = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
PLUGINDIR  = $(LIBDIR)/codebench/plugins
PCDIR      = $(LIBDIR)/pkgconfig

# Libraries the core uses (pkg-config names), looked up lazily so `make deps` runs first.
CORE_PKGS  = yaml-0.1 libffi openblas sqlite3 libcrypto ompi-c cairo fontconfig jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(CORE_PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null)
# The SDK's data loaders (sdk/lib/data_*.c) decode with these; a program or pack that calls a
# loader links them (static archives pull in only the objects used).
SDK_DATA_LIBS = $(shell pkg-config --libs zlib libpng libjpeg 2>/dev/null)

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CSTD      := -std=c11 -D_GNU_SOURCE
BASEFLAGS  = $(CSTD) $(OPT) -g $(WARN) $(SAN) -fno-common
CORE_CFLAGS = $(BASEFLAGS) -Icore -Isdk/include $(PKG_CFLAGS) -DCB_VERSION=\"$(VERSION)\" -MMD -MP
# Plugins see only the SDK: a plugin that includes a core header fails to compile.
PLUGIN_CFLAGS = $(BASEFLAGS) -Isdk/include -fPIC -fvisibility=hidden -MMD -MP
PLUGIN_LDFLAGS = -shared -fPIC -fvisibility=hidden -Wl,-z,defs $(SAN)
LDLIBS_CORE = $(PKG_LIBS) -ldl -lpthread -lm

CORE_SRC  := $(sort $(shell find core -name '*.c' ! -path 'core/cli/*' 2>/dev/null))
CLI_SRC   := $(sort $(wildcard core/cli/*.c))
SDK_SRC   := $(sort $(wildcard sdk/lib/*.c))
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
SDK_OBJ   := $(SDK_SRC:%.c=$(BUILD)/obj/%.pic.o)

LIBCB     := $(BUILD)/libcodebench.a
LIBSDK    := $(BUILD)/libcbsdk.a
EXE       := $(BUILD)/codebench

# ---- plugins: plugins/<kind>/<name>.c is one pack; so is every .c in plugins/<kind>/<name>/ ----
PLUGIN_FILE_SRC := $(sort $(wildcard plugins/*/*.c))
PLUGIN_DIRS     := $(sort $(patsubst %/,%,$(dir $(wildcard plugins/*/*/*.c))))
PLUGIN_SOS      := $(PLUGIN_FILE_SRC:%.c=$(BUILD)/%.so) $(PLUGIN_DIRS:%=$(BUILD)/%.so)
# A pack may add libraries in plugins/<kind>/<name>.mk as PACK_LIBS_<kind>_<name> := ...
-include $(wildcard plugins/*/*.mk)
# Benchmarks and fuzzers add their programs in bench/*.mk and fuzz/*.mk (BENCH_PROGS += ...).
BENCH_PROGS :=
-include $(wildcard bench/*.mk fuzz/*.mk)

# ---- tests ----
FIXTURE_SRC := $(sort $(wildcard tests/plugins/*.c tests/plugins/good/*.c))
FIXTURE_SOS := $(FIXTURE_SRC:tests/plugins/%.c=$(BUILD)/tests/plugins/%.so)
UNIT_SRC    := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ    := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN    := $(BUILD)/tests/unit_tests
HELPER_SRC  := $(sort $(wildcard tests/helpers/*.c))
HELPER_BIN  := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/%)

.PHONY: all plugins tests check check-asan check-valgrind bench run deps install uninstall clean \
        sdk-template-check core-names-check help
.DEFAULT_GOAL := all

all: $(EXE) $(LIBCB) $(LIBSDK) plugins $(BUILD)/codebench-uninstalled.pc $(BUILD)/codebench.pc
plugins: $(PLUGIN_SOS)
tests: all $(FIXTURE_SOS) $(UNIT_BIN) $(HELPER_BIN)

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'

# ---- dependencies (Debian) ----
deps:
	@sh tools/deps.sh

# ---- core, CLI, SDK ----
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.pic.o: %.c
	@mkdir -p $(@D)
	$(CC) $(PLUGIN_CFLAGS) -c $< -o $@

$(LIBCB): $(CORE_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBSDK): $(SDK_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The executable exports nothing to plugins (no -rdynamic): they reach the core only through
# the cb_host table.
$(EXE): $(CLI_OBJ) $(LIBCB) $(LIBSDK)
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(LIBCB) $(LIBSDK) $(LDLIBS_CORE)

# ---- plugins, built exactly as an out-of-tree pack would be ----
$(BUILD)/obj/plugins/%.o: plugins/%.c
	@mkdir -p $(@D)
	$(CC) $(PLUGIN_CFLAGS) -c $< -o $@

define single_pack
$(BUILD)/$(1:.c=.so): $(BUILD)/obj/$(1:.c=.o) $(LIBSDK)
	@mkdir -p $$(@D)
	$$(CC) $$(PLUGIN_LDFLAGS) -o $$@ $$< $(LIBSDK) $$(PACK_LIBS_$(subst /,_,$(patsubst plugins/%.c,%,$(1)))) -lm
	@chmod go-w $$@
endef
define dir_pack
$(BUILD)/$(1).so: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(1)/*.c)) $(LIBSDK)
	@mkdir -p $$(@D)
	$$(CC) $$(PLUGIN_LDFLAGS) -o $$@ $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(1)/*.c)) $(LIBSDK) $$(PACK_LIBS_$(subst /,_,$(patsubst plugins/%,%,$(1)))) -lm
	@chmod go-w $$@
endef
$(foreach f,$(PLUGIN_FILE_SRC),$(eval $(call single_pack,$(f))))
$(foreach d,$(PLUGIN_DIRS),$(eval $(call dir_pack,$(d))))

# ---- pkg-config files ----
$(BUILD)/codebench.pc: sdk/codebench.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@PLUGINDIR@|$(PLUGINDIR)|g' $< > $@

$(BUILD)/codebench-uninstalled.pc: sdk/codebench.pc.in Makefile
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(CURDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/sdk/include|g' -e 's|@LIBDIR@|$(abspath $(BUILD))|g' \
	    -e 's|@PLUGINDIR@|$(abspath $(BUILD))/plugins|g' $< > $@

# ---- test fixtures: real .so files, each refused (or accepted) for one reason ----
$(BUILD)/tests/plugins/%.so: tests/plugins/%.c $(LIBSDK)
	@mkdir -p $(@D)
	$(CC) $(PLUGIN_CFLAGS) $(if $(filter undefined_symbol,$*),-shared -fPIC,$(PLUGIN_LDFLAGS)) \
	    -o $@ $< $(LIBSDK) -lm
	@chmod go-w $@

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(shell pkg-config --cflags criterion 2>/dev/null) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJ) $(LIBCB) $(LIBSDK)
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $(UNIT_OBJ) $(LIBCB) $(LIBSDK) $(shell pkg-config --libs criterion 2>/dev/null) $(SDK_DATA_LIBS) $(LDLIBS_CORE)

# Small programs the tests run (e.g. a worker that crashes on request).
$(BUILD)/tests/%: $(BUILD)/obj/tests/helpers/%.o $(LIBCB) $(LIBSDK)
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $< $(LIBCB) $(LIBSDK) $(LDLIBS_CORE)

# ---- checks ----
# check: every test, from a machine with only gcc and make (deps installs the rest).
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory run-tests
	@$(MAKE) --no-print-directory sdk-template-check

.PHONY: run-tests
run-tests: core-names-check
	CODEBENCH_BUILD=$(abspath $(BUILD)) $(UNIT_BIN) -j2 --timeout 300
	CODEBENCH_BUILD=$(abspath $(BUILD)) sh tests/cli/run.sh $(abspath $(BUILD))
	sh tests/cli/study.sh $(abspath $(BUILD))
	sh tests/cli/faults.sh $(abspath $(BUILD))
	sh tests/cli/examples.sh $(abspath $(BUILD))

# The core never names a plugin: it learns every name from the .so files it loads.
core-names-check:
	@sh tools/core-names-check.sh

# Build the out-of-tree templates against an installed SDK, then load them.
sdk-template-check: all
	@sh tools/sdk-template-check.sh $(abspath $(BUILD))

check-asan:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    run-tests

# Only definite leaks fail: the thread pool's workers live until the process exits, and valgrind
# counts their thread stacks' TLS blocks as 'possibly lost'. Criterion runs each test in a child
# whose exit status it does not pass on, so every process writes its own log and any report in
# any of them fails the target.
check-valgrind: tests
	rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind
	CODEBENCH_BUILD=$(abspath $(BUILD)) CB_TEST_TIME_SCALE=20 valgrind --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-possibly-lost=no --trace-children=yes -q \
	    --log-file=$(abspath $(BUILD))/valgrind/%p.log $(UNIT_BIN) -j1 --timeout 600
	@bad=$$(find $(BUILD)/valgrind -name '*.log' -size +0c); \
	if [ -n "$$bad" ]; then cat $$bad; echo "check-valgrind: reports in $$bad"; exit 1; fi; \
	echo "check-valgrind: no reports"

bench: all
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all $(BENCH_PROGS)
	@sh bench/run.sh $(abspath $(BUILD))

run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	$(EXE) run examples/quickstart.yaml --resume

# ---- install ----
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/codebench \
	    $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(PCDIR)
	install -m 0755 $(EXE) $(DESTDIR)$(BINDIR)/codebench
	install -m 0644 $(LIBCB) $(LIBSDK) $(DESTDIR)$(LIBDIR)/
	install -m 0644 sdk/include/codebench/*.h $(DESTDIR)$(INCLUDEDIR)/codebench/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@PLUGINDIR@|$(PLUGINDIR)|g' sdk/codebench.pc.in > $(DESTDIR)$(PCDIR)/codebench.pc
	cd $(BUILD)/plugins && for f in */*.so */*.py; do [ -e "$$f" ] || continue; \
	    install -d $(DESTDIR)$(PLUGINDIR)/$$(dirname $$f); \
	    install -m 0644 $$f $(DESTDIR)$(PLUGINDIR)/$$f; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/codebench $(DESTDIR)$(LIBDIR)/libcodebench.a \
	    $(DESTDIR)$(LIBDIR)/libcbsdk.a $(DESTDIR)$(PCDIR)/codebench.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/codebench $(DESTDIR)$(LIBDIR)/codebench

clean:
	rm -rf $(BUILD) build-asan

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
