/* core/graph/module.h: one module of a CNNBench graph: a small labelled DAG.
 *
 * Owns: cb_module (at most CB_MODULE_MAXV vertices, vertex 0 the input and n-1 the output,
 * edges only from a lower to a higher index, as the seeds' upper-triangular matrices), the
 * seeds' edge bit mask (edge x -> y is bit x + y(y-1)/2), degrees, and the "full DAG" test the
 * seeds and NAS-Bench-101 enumerate with (every vertex but the output has an out-edge, every
 * vertex but the input an in-edge, so every vertex lies on a path from input to output).
 *
 * Labels are indices into a vocabulary (graph/vocab.h); the module itself does not know what
 * they name.
 */
#ifndef CB_GRAPH_MODULE_H
#define CB_GRAPH_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#define CB_MODULE_MAXV 16

typedef struct cb_module {
    int32_t n;                     /* vertices, input and output included */
    uint16_t adj[CB_MODULE_MAXV];  /* adj[v] bit w: edge v -> w (w > v) */
    int32_t label[CB_MODULE_MAXV]; /* vocabulary indices */
} cb_module;

/* Edge x -> y (x < y) as the seeds number it in their bit masks. */
static inline int cb_edge_bit(int x, int y)
{
    return x + y * (y - 1) / 2;
}

/* Fills adj from a seeds' bit mask over n vertices (labels untouched). */
void cb_module_from_mask(cb_module *m, int n, uint64_t mask);
uint64_t cb_module_mask(const cb_module *m);

int cb_module_edges(const cb_module *m);
int cb_module_in_degree(const cb_module *m, int v);
static inline int cb_module_out_degree(const cb_module *m, int v)
{
    return __builtin_popcount(m->adj[v]);
}

/* Every vertex but the output has an out-edge and every vertex but the input an in-edge. */
bool cb_module_full_dag(const cb_module *m);

/* A chain input -> 1 -> ... -> output (a head). */
void cb_module_chain(cb_module *m, int n);

/* Row-major n x n 0/1 matrix of m (out must hold n*n bytes). */
void cb_module_matrix(const cb_module *m, uint8_t *out);

/* Same vertices, edges and labels, in the same order (the seeds' "identical modules"). */
bool cb_module_equal(const cb_module *a, const cb_module *b);

#endif
