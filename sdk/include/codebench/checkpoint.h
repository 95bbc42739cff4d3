/* codebench/checkpoint.h: saving and loading an engine's weights and optimizer state
 * (libcbsdk.a).
 *
 * Owns: the checkpoint file format, which is safetensors (docs/checkpoint.md): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype ("F32"), shape and byte
 * range, then the raw little-endian tensors. Weights are named "<vertex>.<weight name>",
 * optimizer moments "optim.m.<name>" and "optim.v.<name>"; training position and the graph hash
 * travel as string metadata. Python's safetensors library reads these files as they are.
 */
#ifndef CODEBENCH_CHECKPOINT_H
#define CODEBENCH_CHECKPOINT_H

#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_ckpt_info {
    char graph_hash[65]; /* the graph the weights belong to ("" when unknown) */
    int32_t epoch;       /* epochs completed */
    int64_t step;        /* optimizer updates done */
    uint64_t rng[4];     /* the trainer's data-order generator, to resume exactly */
    double best_val;     /* best validation accuracy so far (< 0: none) */
    int32_t bad_epochs;  /* epochs since it improved (early stopping) */
} cb_ckpt_info;

/* Writes path atomically (a temporary file renamed over it). o may be NULL (weights only). */
int cb_ckpt_save(const char *path, cb_engine *en, cb_engine_optim *o, const cb_ckpt_info *info,
                 cb_error *e);

/* Reads every weight of the engine (and, when o is not NULL, the optimizer moments and step
 * count) from path. A missing tensor, a shape that differs, a dtype other than F32 or a file
 * shorter than its header promises is an error naming the file and the tensor. info, when not
 * NULL, receives the metadata (fields absent from the file are zero, best_val -1). */
int cb_ckpt_load(const char *path, cb_engine *en, cb_engine_optim *o, cb_ckpt_info *info,
                 cb_error *e);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_CHECKPOINT_H */
