# plugins/ops/std.mk: build settings of the std op pack (included by the Makefile).
#
# GCC 12 at -O2 vectorizes only loops whose trip count it can prove fits the vector length, so
# the element-wise, pooling, im2col and depth-wise loops here (runtime lengths) would stay
# scalar; this asks GCC for its usual loop vectorizer and cost model on these files only.
# No fast-math: results do not change. Clang vectorizes at -O2 already.
ifeq ($(shell $(CC) --version 2>/dev/null | grep -c clang),0)
$(BUILD)/obj/plugins/ops/std/%.o: PLUGIN_CFLAGS += -ftree-loop-vectorize -fvect-cost-model=dynamic
endif
# The Winograd transforms are short fixed-trip loops over vectors of tiles; -O3 unrolls them and
# keeps the tiles in registers: VGG training (bench/train.sh) took 25% less CPU time than at -O2.
$(BUILD)/obj/plugins/ops/std/conv_wino.o: PLUGIN_CFLAGS += -O3
