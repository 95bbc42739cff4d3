/* codebench/op.h: the op plugin kind, one CNN operation block.
 *
 * Owns: tensor shapes, tensors as they cross the boundary, weight specifications, the
 * simulator workload of an op, and the op vtable. An op is stateless (cb_plugin.create is
 * NULL); its per-vertex attributes arrive as a cb_value array in the order of `attrs`, and the
 * attributes flagged CB_P_SPACE with `choices` form the op's design space.
 *
 * Layout of activations: NCDHW, float32, contiguous; 2-D ops have d = 1. Shape inference runs
 * with n = 1; forward/backward see the real batch in n.
 */
#ifndef CODEBENCH_OP_H
#define CODEBENCH_OP_H

#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_shape { /* frozen for the major */
    int32_t n, c, d, h, w;
} cb_shape;

typedef struct cb_tensor { /* frozen; data is owned by whoever allocated it (the core) */
    cb_shape shape;
    float *data;
} cb_tensor;

static inline int64_t cb_shape_numel(cb_shape s)
{
    return (int64_t)s.n * s.c * s.d * s.h * s.w;
}

/* How a weight tensor is initialised by the trainer. */
typedef enum cb_init {
    CB_INIT_ZERO = 0,
    CB_INIT_ONE,
    CB_INIT_KAIMING_UNIFORM, /* U(-b, b), b = sqrt(6 / fan_in): for layers followed by ReLU */
    CB_INIT_FANIN_UNIFORM    /* U(-b, b), b = 1 / sqrt(fan_in): biases, last layer */
} cb_init;

typedef struct cb_weight { /* frozen */
    char name[16];  /* "weight", "bias", "gamma", "running_mean" */
    cb_shape shape; /* n holds the first dimension (e.g. output channels) */
    int init;       /* cb_init */
    int trainable;  /* 0: a buffer (batch-norm running statistics), not touched by optimizers */
    int64_t fan_in; /* for the init rule */
} cb_weight;

/* Fused activations, shared by ops and the simulator. */
enum { CB_ACT_NONE = 0, CB_ACT_RELU = 1, CB_ACT_SILU = 2 };

/* What the simulator executes for one op. */
typedef enum cb_workload_kind {
    CB_WL_NONE = 0, /* no hardware work: a view (flatten) or identity at inference (dropout) */
    CB_WL_CONV,     /* a loop nest over the seven dimensions below, on the MAC lanes */
    CB_WL_ELEMWISE, /* element-wise pass (add, activation, channel shuffle copy) */
    CB_WL_POOL,     /* max/avg pooling and global average pooling, on the pooling modules */
    CB_WL_NORM,     /* batch normalization not fused into a conv, on the BN modules */
    CB_WL_RESAMPLE, /* upsampling, on the upsampling modules */
    CB_WL_CONCAT    /* data movement only */
} cb_workload_kind;

typedef struct cb_workload {
    uint32_t size; /* sizeof(cb_workload) when built */
    int kind;      /* cb_workload_kind */
    /* CB_WL_CONV: output-stationary loop nest, per group.
     * n_ib batch, n_if input channels per group, n_ix/n_iy output columns/rows,
     * n_of output channels per group, n_kx/n_ky kernel columns/rows. A dense layer is
     * n_ix = n_iy = n_kx = n_ky = 1. conv3d folds its depth into n_kz and out_d. */
    int64_t n_ib, n_if, n_ix, n_iy, n_of, n_kx, n_ky;
    int64_t groups;       /* independent nests (depth-wise: the channel count) */
    int64_t n_kz, out_d;  /* 3-D only; 1 otherwise */
    int32_t stride, pad;  /* of the convolution or pooling window */
    int32_t activation;   /* CB_ACT_* fused after the op */
    int32_t batchnorm;    /* 1: a batch-norm is fused after the op */
    /* every kind: tensor sizes in elements (batch included) for memory traffic */
    int64_t in_elems, out_elems, weight_elems;
    /* passes: output elements and the window each reads (pooling: k*k; element-wise: inputs) */
    int64_t elements;
    int32_t window;
    /* CB_WL_CONV (appended: read it only where `size` covers it): a point-wise 1x1 nest fused
     * after the one above, as in a depth-wise separable convolution: pw_of output channels
     * from n_of * groups inputs over the same n_ib x n_ix x n_iy; 0: none. */
    int64_t pw_of;
} cb_workload;

/* Per-call context for forward and backward (evaluation class). */
typedef struct cb_op_ctx {
    uint32_t size;
    const cb_host *host;
    int training;    /* 1: training (batch-norm batch statistics, dropout active) */
    void *state;     /* per-vertex bytes (state_size), zeroed once, kept from forward to backward */
    void *workspace; /* scratch bytes (workspace_size), valid during one call only */
    uint64_t seed;   /* changes every step: for stochastic ops (dropout) */
} cb_op_ctx;

typedef struct cb_op_vt {
    uint32_t size;          /* sizeof(cb_op_vt) when built */
    const cb_param *attrs;  /* per-vertex attributes; NULL: none */
    int cost_rank;          /* computational complexity rank, for graph edit distance costs */
    int min_inputs, max_inputs; /* accepted number of input tensors */

    /* discovery (pure, any thread): output shape from input shapes; CB_EINVAL + a message
     * naming the shapes when the inputs do not fit */
    int (*infer)(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e);
    /* pure: multiply-accumulates and trainable parameters for one image (n = 1 shapes) */
    void (*count)(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                  uint64_t *macs, uint64_t *params);
    /* pure: what the simulator executes */
    int (*workload)(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                    cb_workload *w, cb_error *e);
    /* pure: the weight tensors this vertex owns, at most `max`; returns how many (>= 0) */
    int (*weights)(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                   cb_weight *w, int max);
    /* pure: bytes of per-vertex state and of scratch, for a batch of in[0].n */
    size_t (*state_size)(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out);
    size_t (*workspace_size)(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out);
    /* evaluation: out = op(in; w). out->data is allocated by the core. */
    int (*forward)(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                   const cb_tensor *w, int n_w, cb_tensor *out);
    /* evaluation: given dout, ADDS d(loss)/d(in) into din[i].data (skip where NULL) and
     * d(loss)/d(w) into dw[j].data (skip where NULL); the core zeroes them first. `out` is the
     * forward output and may be read (ReLU, max-pool). */
    int (*backward)(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                    const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                    cb_tensor *din, cb_tensor *dw);
} cb_op_vt;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_OP_H */
