/* tests/unit/train_fixture.h: what the training tests share: a few small ops written here
 * (dense, tanh, add, and a running-mean op with a buffer) so the engine is tested without the
 * op pack, a host, graphs built by hand, and the std op pack when it has been built. */
#ifndef CB_TEST_TRAIN_FIXTURE_H
#define CB_TEST_TRAIN_FIXTURE_H

#include <codebench/engine.h>

/* Test ops. dense: attr units (INT). tanh, add: no attrs. runmean: out = x in training, updating
 * a per-feature running mean buffer (0.9 old + 0.1 batch mean); out = x - mean at inference. */
extern const cb_op_vt tf_dense, tf_tanh, tf_add, tf_runmean;

/* A graph being built by hand: vertices appended in order, shapes inferred as they go. */
typedef struct tf_graph {
    cb_graph g;
    cb_node nodes[64];
    int32_t ins[64][4];
    cb_value attrs[64][16];
} tf_graph;

void tf_graph_init(tf_graph *t, cb_shape input, int32_t classes);
/* Appends a vertex; returns its index (asserts the shape infers). */
int tf_add_node(tf_graph *t, const char *op, const cb_op_vt *vt, const cb_value *attrs,
                int n_attrs, int n_in, const int32_t *in);

/* The fixture net: 16 inputs -> dense 8 -> tanh -> dense 8 -> tanh, added to the first tanh
 * (a vertex with two consumers) -> runmean -> dense 3. */
void tf_small_net(tf_graph *t);

/* The host tests use (threads: the pool size); made once per process. */
const cb_host *tf_host(int threads); /* threads: honoured on the first call */

/* The std op pack's vtable for an op, or NULL (with the test skipped) when the pack has not
 * been built. */
const cb_op_vt *tf_std_op(const char *name);
/* Appends a std op vertex with its attribute defaults, overridden by a "name=value ..." list
 * parsed as a manifest's values would be; returns its index. */
int tf_std_node(tf_graph *t, const char *op, const char *attrs, int n_in, const int32_t *in);

/* LeNet-5 for 1x28x28 images, from the std ops: conv 6 (5x5, pad 2) relu, maxpool 3/2,
 * conv 16 (5x5) relu, maxpool 3/2, flatten, dense 120, dense 84, classifier 10. */
void tf_lenet5(tf_graph *t);
/* A small VGG with batch-norm for c x s x s images: two blocks of two 3x3 convolutions with
 * batch-norm and ReLU (w, then 2w channels) each followed by maxpool 3/2, then global average
 * pooling and the classifier. */
void tf_vgg_bn(tf_graph *t, int c, int s, int w);

/* Deterministic pseudo-random floats in [-1, 1). */
void tf_fill(float *x, int64_t n, uint64_t seed);

#endif
