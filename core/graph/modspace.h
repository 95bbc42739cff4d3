/* core/graph/modspace.h: a CNNBench design space of CNNs built from modules.
 *
 * Owns: cb_modspace, the space a space file (graph/spacefile.c, docs/cnnbench.md) describes:
 * the input and classes, the ops of module vertices (graph/opset.h), the module limits (at most
 * 5 vertices with input and output, 8 edges), stacks (up to 90 modules, the hierarchy levels
 * s = 10, 5, 1 modules per stack), the head (a chain of at most 8 vertices with input and
 * output: one flatten op, dense ops, the classifier), and the glue ops that turn a module into
 * a network (graph/build.c). Counting, uniform sampling of modules, sampling of CNNs at a
 * level, and the crossover that makes the next level (graph/crossover.c).
 *
 * Every label a sampled graph uses is added to the space's vocabulary, so graphs of one space
 * share label indices and hashes and distances compare them directly.
 */
#ifndef CB_GRAPH_MODSPACE_H
#define CB_GRAPH_MODSPACE_H

#include "graph/cnngraph.h"
#include "graph/forms.h"
#include "graph/opset.h"

#include <codebench/rng.h>

#define CB_MAX_LEVELS 16

typedef struct cb_glue {
    cb_opset sum;          /* one label: adds a vertex's inputs */
    cb_opset concat;       /* one label (`join`): joins a module's outputs along channels */
    cb_opset projection;   /* one label: a 1x1 projection; its width attribute is set per use */
    int width_attr;        /* the projection attribute that takes the width */
    int32_t sum_id, concat_id, projection_id; /* their labels in the space's vocabulary */
} cb_glue;

typedef struct cb_modspace {
    char *name;
    cb_shape input;
    int32_t classes;
    cb_vocab voc;
    int32_t in_id, out_id;       /* the module input and output labels */
    cb_opset ops;                /* module interior labels */
    int max_vertices, max_edges;
    cb_forms forms;
    int max_modules;
    int levels[CB_MAX_LEVELS], n_levels; /* modules per stack, coarsest first */
    int head_max;                /* head vertices, input and output included */
    cb_opset flatten, dense, classifier; /* head ops: `reduce` (flatten or global pooling),
                                          * `hidden` (dense, dropout), `classifier` */
    cb_glue glue;
    cb_hash_algo algo;           /* sha256, as the seeds */
} cb_modspace;

void cb_modspace_free(cb_modspace *sp);

/* Builds the forms once the limits are set; CB_EINVAL for limits out of range or no ops. */
int cb_modspace_ready(cb_modspace *sp);

/* A space without head ops (flatten, classifier) or glue has modules but no networks (a
 * manifest's cnn section names only the module ops). */
bool cb_modspace_has_networks(const cb_modspace *sp);

/* Counts: module classes (exact), heads, and CNNs at `per_stack` modules per stack (log10). */
unsigned __int128 cb_modspace_modules(const cb_modspace *sp);
unsigned __int128 cb_modspace_heads(const cb_modspace *sp);
double cb_modspace_log10_graphs(const cb_modspace *sp, int per_stack);

/* One module class uniformly; its labels are added to the vocabulary. */
void cb_modspace_sample_module(cb_modspace *sp, cb_rng *rng, cb_module *m);
/* One head: its length, flatten op and dense ops uniformly. */
void cb_modspace_sample_head(cb_modspace *sp, cb_rng *rng, cb_module *m);
/* One CNN at `per_stack` modules per stack: the number of stacks uniformly in
 * 1..max_modules/per_stack, each stack's module and the head as above; hashed. */
void cb_modspace_sample(cb_modspace *sp, int per_stack, cb_rng *rng, cb_cnngraph *g);

/* The next level's graphs between neighbours a and b (crossover, graph/crossover.c): up to
 * `count` distinct graphs added to lib. Returns how many were new. */
size_t cb_modspace_crossover(cb_modspace *sp, const cb_cnngraph *a, const cb_cnngraph *b, int old_per_stack,
                             int new_per_stack, int count, cb_rng *rng, cb_cnnlib *lib);

#endif
