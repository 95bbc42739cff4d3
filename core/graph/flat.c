/* core/graph/flat.c: the labelled digraphs graph edit distance compares (see ged.h). */
#include "graph/ged.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

void cb_flat_make(cb_flat *f, int32_t n, const int32_t *label, int32_t n_edges, const int32_t *src,
                  const int32_t *dst)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->n_edges = n_edges;
    f->label = cb_xmalloc(((size_t)n + 1) * sizeof *f->label);
    memcpy(f->label, label, (size_t)n * sizeof *f->label);
    f->out_start = cb_xcalloc((size_t)n + 2, sizeof *f->out_start);
    f->out = cb_xmalloc(((size_t)n_edges + 1) * sizeof *f->out);
    for (int32_t e = 0; e < n_edges; e++)
        f->out_start[src[e] + 2]++;
    for (int32_t v = 0; v < n; v++)
        f->out_start[v + 2] += f->out_start[v + 1];
    for (int32_t e = 0; e < n_edges; e++) /* counting sort: out_start[v + 1] is v's cursor */
        f->out[f->out_start[src[e] + 1]++] = dst[e];
    for (int32_t v = 0; v < n; v++)
        qsort(f->out + f->out_start[v], (size_t)(f->out_start[v + 1] - f->out_start[v]), sizeof *f->out, cmp_i32);
}

void cb_flat_from_cnngraph(const cb_cnngraph *g, cb_flat *f)
{
    int32_t n = 0, e = 0;
    for (int k = 0; k < g->n; k++) {
        n += g->mods[k].n;
        e += cb_module_edges(&g->mods[k]) + (k + 1 < g->n);
    }
    int32_t *label = cb_xmalloc(((size_t)n + 1) * sizeof *label);
    int32_t *src = cb_xmalloc(((size_t)e + 1) * sizeof *src), *dst = cb_xmalloc(((size_t)e + 1) * sizeof *dst);
    int32_t base = 0, at = 0;
    for (int k = 0; k < g->n; k++) {
        const cb_module *m = &g->mods[k];
        for (int v = 0; v < m->n; v++) {
            label[base + v] = m->label[v];
            for (int w = v + 1; w < m->n; w++)
                if (m->adj[v] >> w & 1) {
                    src[at] = base + v;
                    dst[at++] = base + w;
                }
        }
        if (k + 1 < g->n) { /* this module's output feeds the next module's input */
            src[at] = base + m->n - 1;
            dst[at++] = base + m->n;
        }
        base += m->n;
    }
    cb_flat_make(f, n, label, e, src, dst);
    memcpy(f->hash, g->hash, sizeof f->hash);
    free(label);
    free(src);
    free(dst);
}

void cb_flat_free(cb_flat *f)
{
    free(f->label);
    free(f->out_start);
    free(f->out);
    memset(f, 0, sizeof *f);
}
