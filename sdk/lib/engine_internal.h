/* engine_internal.h: the training engine's private layout, shared by the engine_*.c, optim_*.c
 * and ckpt_*.c files of libcbsdk (never installed; plugins see codebench/engine.h only). */
#ifndef CB_SDK_ENGINE_INTERNAL_H
#define CB_SDK_ENGINE_INTERNAL_H

#include <codebench/engine.h>

/* One graph vertex as the engine sees it; shared by every replica. */
typedef struct eng_node {
    const cb_node *gn;
    cb_shape *in1;          /* input shapes at n = 1 */
    int64_t numel1;         /* output floats per image */
    int32_t w_first, n_w;   /* its weights: [w_first, w_first + n_w) */
    int live;               /* its output reaches the logits */
    int needs_grad;         /* it or something before it has trainable weights */
    size_t state_bytes, work_bytes; /* at the shard batch */
} eng_node;

/* One data-parallel replica: its own activations, gradients, state and workspace. */
typedef struct eng_replica {
    float **act, **dact;   /* per vertex: output and d(loss)/d(output), shard batch x numel1 */
    void **state;          /* per vertex: op state bytes */
    void *work;            /* shared scratch for one op call at a time */
    cb_tensor *w, *dw;     /* per weight: views (buffers privately copied when shards > 1) */
    float **own;           /* per weight: this replica's private buffer copy, or NULL */
    cb_tensor *in, *din;   /* scratch for one call's input lists (max inputs long) */
    int32_t row0, rows;    /* its slice of the current batch */
    cb_engine_stats st;
    int rc;
    cb_error err;
} eng_replica;

/* A range of elements of one tensor: the unit of element-wise parallel work. */
typedef struct eng_block {
    int32_t t;
    int64_t begin, end;
} eng_block;

struct cb_engine {
    const cb_graph *g;
    const cb_host *h;
    int32_t batch, shards, shard_batch, max_in;
    int32_t n_nodes, last, classes;
    int64_t in_numel;
    eng_node *nodes;
    int32_t n_w;
    cb_weight *spec;
    int32_t *w_node;
    cb_tensor *w, *dw;     /* master weights and gradients (dw data NULL for buffers) */
    eng_block *blocks;     /* trainable elements, cut into blocks for host->parallel */
    int32_t n_blocks;
    eng_replica *rep;
    /* the current call, read by the replica tasks */
    const float *x;
    const int32_t *y;
    float *logits;
    int32_t n;
    int training;
    uint64_t seed;
};

/* Weight shapes are stored with n as the first dimension. */
static inline int64_t eng_numel(cb_shape s)
{
    return cb_shape_numel(s);
}

/* Stateless 64-bit mixing of two words (splitmix64 finaliser). */
static inline uint64_t eng_mix(uint64_t a, uint64_t b)
{
    uint64_t z = a + 0x9e3779b97f4a7c15ull * (b + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* engine_build.c */
int cb_eng_build_nodes(cb_engine *en, cb_error *e);
int cb_eng_build_replicas(cb_engine *en, cb_error *e);
void cb_eng_free_replicas(cb_engine *en);
/* engine_run.c */
int cb_eng_run(cb_engine *en, cb_error *e);
/* engine_loss.c: softmax cross-entropy over rows of logits; writes d(loss)/d(logits) scaled
 * by 1/total into dlogits when it is not NULL; returns summed loss and correct count. */
void cb_eng_softmax_xent(const float *logits, const int32_t *y, int32_t rows, int32_t classes,
                      int32_t total, float *dlogits, cb_engine_stats *st);
/* engine_merge.c: sums shard gradients and averages shard buffers into the master copies. */
void cb_eng_merge(cb_engine *en);
void cb_eng_sync_buffers(cb_engine *en);

#endif
