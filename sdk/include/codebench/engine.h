/* codebench/engine.h: the native training engine over a cb_graph (libcbsdk.a).
 *
 * Owns: everything a CPU trainer needs besides data: per-vertex activations, gradients, op
 * state and one workspace sized to the largest need; weight tensors (master copies) and their
 * gradients; forward through each vertex's op, softmax cross-entropy on the last vertex's
 * output, backward in reverse topological order (a vertex feeding several consumers receives
 * the sum of their gradients, because op backward() adds into din); seeded weight
 * initialisation with weight transfer; optimizers (SGD with momentum and Nesterov, Adam,
 * AdamW, weight decay) and learning-rate schedules.
 *
 * Data parallelism: a batch is split into `shards` contiguous slices, each run on its own
 * replica (activations, state, workspace, gradients and copies of non-trainable buffers) on
 * host->parallel; gradients are summed in shard order and buffers (batch-norm running
 * statistics) averaged by slice size. Results are deterministic for a given seed and shard
 * count; batch-norm sees per-shard batch statistics, as with PyTorch's DataParallel.
 *
 * Threading: evaluation class; one engine is used by one thread at a time.
 */
#ifndef CODEBENCH_ENGINE_H
#define CODEBENCH_ENGINE_H

#include "graph.h"
#include "trainer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CB_ENGINE_MAX_WEIGHTS 16 /* weight tensors one vertex may own */

typedef struct cb_engine cb_engine;

typedef struct cb_engine_opts {
    int32_t batch;  /* the largest batch passed to cb_engine_step/eval */
    int32_t shards; /* data-parallel replicas (1: none); at most batch */
} cb_engine_opts;

typedef struct cb_engine_stats {
    double loss;     /* summed softmax cross-entropy over the batch (divide by n for the mean) */
    int64_t correct; /* images whose largest logit is their label */
} cb_engine_stats;

/* Checks the graph (op vtables, input indices, inferred shapes, classes) and allocates every
 * buffer once. The graph and host must outlive the engine. */
int cb_engine_new(const cb_graph *g, const cb_host *h, const cb_engine_opts *o, cb_engine **out,
                  cb_error *e);
void cb_engine_free(cb_engine *en); /* NULL-safe */

int32_t cb_engine_classes(const cb_engine *en);     /* logits per image */
int64_t cb_engine_input_numel(const cb_engine *en); /* floats per input image */

/* Weights, in graph order and per vertex in the order its op's weights() lists them (the
 * layout of cb_train_job.weights). */
int32_t cb_engine_n_weights(const cb_engine *en);
const cb_weight *cb_engine_weight_spec(const cb_engine *en, int32_t i, int32_t *node);
cb_tensor *cb_engine_weight(cb_engine *en, int32_t i);        /* master values, writable */
const cb_tensor *cb_engine_grad(const cb_engine *en, int32_t i); /* data NULL for buffers */
/* "<vertex>.<weight name>", e.g. "3.weight": the name checkpoints use. */
void cb_engine_weight_name(const cb_engine *en, int32_t i, char *buf, size_t len);

/* Initialises every tensor by its cb_weight init rule from a generator seeded with (seed,
 * tensor index), so a tensor's values do not depend on its neighbours; then copies from[i]
 * where mask[i] is 1 (mask NULL: wherever from[i].data is set). from may be NULL. A transferred
 * tensor whose element count differs is an error naming it. */
int cb_engine_init(cb_engine *en, uint64_t seed, const cb_tensor *from, const uint8_t *mask,
                   cb_error *e);

/* Training pass: forward in training mode on x (n images, NCHW), mean softmax cross-entropy
 * against y, backward; afterwards cb_engine_grad holds d(mean loss)/d(weight). `seed` feeds
 * stochastic ops (dropout) and should change every step. */
int cb_engine_step(cb_engine *en, const float *x, const int32_t *y, int32_t n, uint64_t seed,
                   cb_engine_stats *st, cb_error *e);

/* Inference pass (running statistics, no dropout). y may be NULL (no loss or accuracy);
 * logits, when not NULL, receives n x classes floats. */
int cb_engine_eval(cb_engine *en, const float *x, const int32_t *y, int32_t n, float *logits,
                   cb_engine_stats *st, cb_error *e);

/* ---- optimizers ------------------------------------------------------------------------ */

typedef struct cb_engine_optim cb_engine_optim;

/* An optimizer over the engine's trainable tensors, configured by r (optimizer, momentum,
 * beta1, beta2, weight_decay). Nesterov momentum applies to SGD only. */
int cb_engine_optim_new(cb_engine *en, const cb_recipe *r, int nesterov, cb_engine_optim **out,
                        cb_error *e);
void cb_engine_optim_free(cb_engine_optim *o); /* NULL-safe */

/* One update with learning rate lr from the engine's current gradients. SGD:
 * v = momentum v + (g + wd w), w -= lr (v, or g + wd w + momentum v with Nesterov). Adam: the
 * L2 term wd w joins g. AdamW: w -= lr wd w (decoupled), then Adam on g. eps = 1e-8. */
void cb_engine_optim_step(cb_engine_optim *o, double lr);

int64_t cb_engine_optim_steps(const cb_engine_optim *o); /* updates done (Adam's t) */
/* after loading a checkpoint */
void cb_engine_optim_set_steps(cb_engine_optim *o, int64_t steps);
/* Moment buffers of weight i, for checkpoints: which 0 = SGD velocity or Adam first moment,
 * 1 = Adam second moment. NULL when the tensor has none (buffers, or v under SGD). */
float *cb_engine_optim_state(cb_engine_optim *o, int32_t i, int which);

/* Learning rate at a fractional epoch t (epoch index + fraction of its steps done):
 * constant; cosine lr (1 + cos(pi t / epochs)) / 2, continuous so short runs anneal too;
 * exponential lr gamma^floor(t); step lr gamma^floor(floor(t) / step_epochs). */
double cb_engine_lr(const cb_recipe *r, double t);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_ENGINE_H */
