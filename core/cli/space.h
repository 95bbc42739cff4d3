/* core/cli/space.h: the pieces of `codebench space` (cmd_space.c), private to the CLI.
 *
 * Owns: the command's options and the three kinds of space it opens: the built-in benchmark
 * cell spaces (space_nb.c: nb101, nb201), module spaces from a space file or a manifest's cnn
 * section (space_mod.c), and a manifest's model cards (space_mod.c). */
#ifndef CB_CLI_SPACE_H
#define CB_CLI_SPACE_H

#include "graph/modspace.h"
#include "plugin/registry.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { CB_ACT_COUNT, CB_ACT_SAMPLE, CB_ACT_ENUMERATE } cb_space_action;

typedef struct cb_space_opts {
    cb_space_action action;
    const char *space;       /* nb101, nb201, a space file or a manifest */
    long count;              /* samples (sample) */
    long limit;              /* lines (enumerate); -1: all */
    uint64_t seed;
    int level;               /* modules per stack; 0: the space's first level */
    int threads;
    const char *path[16];    /* --plugin-path */
    size_t n_path;
} cb_space_opts;

/* space_nb.c: the NAS-Bench-101 and NAS-Bench-201 cell spaces. */
int cb_space_nb101(const cb_space_opts *o);
int cb_space_nb201(const cb_space_opts *o);

/* space_mod.c: a module space (modules and, when it has head and glue ops, networks). */
int cb_space_modules(const cb_space_opts *o, cb_modspace *sp);
/* space_mod.c: the model cards a manifest lists. */
struct cb_manifest;
int cb_space_cards(const cb_space_opts *o, const struct cb_manifest *m, cb_registry *reg);

#endif
