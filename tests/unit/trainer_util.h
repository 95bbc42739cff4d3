/* tests/unit/trainer_util.h: a trainer plugin as a run meets it, for the trainer tests: loaded
 * from build/plugins/trainers/<name>.so and created through the core's libffi binding with its
 * schema defaults and "name=value" overrides, as a manifest would. */
#ifndef CB_TEST_TRAINER_UTIL_H
#define CB_TEST_TRAINER_UTIL_H

#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/registry.h"

#include <codebench/trainer.h>

typedef struct tu_trainer {
    cb_registry reg;
    cb_host *host;
    cb_instance inst;
    const cb_plugin *plugin;
    const cb_trainer_vt *vt;
} tu_trainer;

/* Asserts on failure, except that create() errors are returned (then nothing needs closing). */
int tu_open(tu_trainer *t, const char *name, const char *const *set, cb_error *e);
void tu_close(tu_trainer *t);

/* Trains g; room for the trained weights when w is not NULL (n tensors, nothing transferred). */
int tu_train(tu_trainer *t, const cb_graph *g, cb_tensor *w, int32_t n,
             void (*progress)(void *, const cb_train_progress *), void *ctx, cb_train_result *r,
             cb_error *e);

/* The value of a string metadata key in a safetensors file's header, or "" (static buffer). */
const char *tu_st_meta(const char *path, const char *key);

#endif
