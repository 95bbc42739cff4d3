/* tests/unit/ops_util.h: what the std op pack tests (ops_*.c) share: the pack loaded with
 * dlopen/dlsym straight from <build>/plugins/ops/std.so, attribute values parsed as a
 * manifest's would be, and one op call's tensors, weights, state and workspace. */
#ifndef CB_TEST_OPS_UTIL_H
#define CB_TEST_OPS_UTIL_H

#include <codebench/codebench.h>

#define OPS_MAX_IN 8
#define OPS_MAX_W 16

/* The pack (asserts it loads); its op plugin called name (asserts it exists). */
const cb_pack *ops_pack(void);
const cb_op_vt *ops_vt(const char *name);
/* The host table for the tests: 2 threads, so the parallel paths run. */
const cb_host *ops_host(void);

/* Defaults of vt's attributes, overridden by "name=value ..." (asserts each parses). */
void ops_attrs(const cb_op_vt *vt, const char *overrides, cb_value *vals);

/* One op vertex with its tensors at batch in[0].n. */
typedef struct ops_call {
    const char *name;
    const cb_op_vt *vt;
    cb_value attrs[OPS_MAX_W];
    int n_in, n_w;
    cb_tensor in[OPS_MAX_IN], out, w[OPS_MAX_W];
    cb_weight spec[OPS_MAX_W];
    void *state, *work;
    size_t state_bytes, work_bytes;
    cb_op_ctx ctx;
} ops_call;

/* Infers the output (at n = 1, then at the batch), allocates everything and fills inputs and
 * weights with seeded random values (batch-norm running variances positive). Asserts that
 * infer succeeds. */
void ops_call_init(ops_call *c, const char *op, const char *attrs, int n_in, const cb_shape *in,
                   uint64_t seed);
/* Runs forward (training or not); the workspace is filled with NaNs first, so an op that
 * reads scratch it did not write fails. Asserts CB_OK. */
void ops_forward(ops_call *c, int training);
/* Runs backward with dout; din/dw entries may be NULL (skipped). Asserts CB_OK. */
void ops_backward(ops_call *c, const float *dout, float **din, float **dw);
void ops_call_free(ops_call *c);

/* Seeded values: normal(0, 1) and uniform [lo, hi). */
void ops_normal(float *x, int64_t n, uint64_t seed);
void ops_uniform(float *x, int64_t n, float lo, float hi, uint64_t seed);

#endif
