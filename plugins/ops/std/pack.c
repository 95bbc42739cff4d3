/* pack.c: the std op pack's entry point: every operation block of the CNNBench seeds, in one
 * .so (build/plugins/ops/std.so). See docs/ops.md. */
#include "std_ops.h"

CB_PACK("std-ops", "1.0.0", "BSD-3-Clause", "codebench plugins/ops/std", &sop_conv2d,
        &sop_dwsconv2d, &sop_conv3d, &sop_conv_transpose2d, &sop_batchnorm, &sop_relu, &sop_silu,
        &sop_maxpool, &sop_avgpool, &sop_global_avgpool, &sop_channel_shuffle, &sop_dropout,
        &sop_upsample, &sop_flatten, &sop_dense, &sop_add, &sop_concat)
