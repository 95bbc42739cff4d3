/* core/graph/crossover.c: the next level of the hierarchy from two neighbouring graphs
 * (CODEBench paper Sec. 3.1.4, Fig. 4; jha-lab/cnn_design-space library.get_interpolants).
 *
 * At every stack depth both graphs have, the labels of their two stack modules form a local
 * space; the depth's old_per_stack modules become old/new stacks of new_per_stack identical
 * modules, each sampled uniformly from the local space (module limits as the space's). The
 * head is sampled from the union of the two heads' labels. When the graphs differ in length,
 * every other interpolant is extended with the longer graph's remaining modules, as the seeds
 * append them. Interpolants are deduplicated by hash through the library. */
#include "graph/modenum.h"
#include "graph/modspace.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* Adds m's interior labels to set (ids, *n) without repeats. */
static void union_labels(const cb_module *m, int from, int to, int32_t *set, int *n)
{
    for (int v = from; v < to; v++) {
        int i = 0;
        while (i < *n && set[i] != m->label[v])
            i++;
        if (i == *n)
            set[(*n)++] = m->label[v];
    }
}

static void sample_local(cb_modspace *sp, const cb_module *x, const cb_module *y, cb_rng *rng, cb_module *out)
{
    int32_t ids[2 * CB_MODULE_MAXV];
    int k = 0;
    union_labels(x, 1, x->n - 1, ids, &k);
    union_labels(y, 1, y->n - 1, ids, &k);
    cb_labelset ls = {k, ids, sp->in_id, sp->out_id};
    cb_modules_sample(&sp->forms, &ls, rng, out);
}

static int32_t pick(const int32_t *set, int n, cb_rng *rng)
{
    return set[cb_rng_below(rng, (uint64_t)n)];
}

static void sample_head(cb_modspace *sp, const cb_module *x, const cb_module *y, cb_rng *rng, cb_module *out)
{
    int32_t flat[2], dense[2 * CB_MODULE_MAXV], cls[2];
    int nf = 0, nd = 0, nc = 0;
    union_labels(x, 1, 2, flat, &nf);
    union_labels(y, 1, 2, flat, &nf);
    union_labels(x, 2, x->n - 2, dense, &nd);
    union_labels(y, 2, y->n - 2, dense, &nd);
    union_labels(x, x->n - 2, x->n - 1, cls, &nc);
    union_labels(y, y->n - 2, y->n - 1, cls, &nc);
    int d = nd ? (int)cb_rng_below(rng, (uint64_t)(sp->head_max - 3)) : 0;
    cb_module_chain(out, d + 4);
    out->label[0] = sp->in_id;
    out->label[1] = pick(flat, nf, rng);
    for (int v = 0; v < d; v++)
        out->label[2 + v] = pick(dense, nd, rng);
    out->label[2 + d] = pick(cls, nc, rng);
    out->label[3 + d] = sp->out_id;
}

static void interpolant(cb_modspace *sp, const cb_cnngraph *a, const cb_cnngraph *b, int s, int s2, bool extend,
                        cb_rng *rng, cb_cnngraph *g)
{
    const cb_cnngraph *longer = a->n >= b->n ? a : b;
    int depths = ((a->n < b->n ? a->n : b->n) - 1) / s, tail = extend ? longer->n - 1 - depths * s : 0;
    g->n = depths * s + tail + 1;
    g->mods = cb_xcalloc((size_t)g->n, sizeof *g->mods);
    for (int t = 0; t < depths; t++)
        for (int sub = 0; sub < s / s2; sub++) {
            cb_module *first = &g->mods[t * s + sub * s2];
            sample_local(sp, &a->mods[t * s], &b->mods[t * s], rng, first);
            for (int r = 1; r < s2; r++)
                first[r] = *first;
        }
    memcpy(&g->mods[depths * s], &longer->mods[depths * s], (size_t)tail * sizeof *g->mods);
    sample_head(sp, &a->mods[a->n - 1], &b->mods[b->n - 1], rng, &g->mods[g->n - 1]);
}

size_t cb_modspace_crossover(cb_modspace *sp, const cb_cnngraph *a, const cb_cnngraph *b, int old_per_stack,
                             int new_per_stack, int count, cb_rng *rng, cb_cnnlib *lib)
{
    int s = old_per_stack, s2 = new_per_stack;
    if (s < 1 || s2 < 1 || s % s2 != 0 || a->n < 2 || b->n < 2 || (a->n - 1) % s || (b->n - 1) % s)
        return 0;
    size_t before = lib->n;
    for (int i = 0; i < count; i++) {
        cb_cnngraph g;
        interpolant(sp, a, b, s, s2, a->n != b->n && i % 2 == 1, rng, &g);
        cb_cnnlib_add(lib, &g);
        cb_cnngraph_free(&g);
    }
    return lib->n - before;
}
