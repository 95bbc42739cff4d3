/* core/graph/cnngraph.c: a CNNBench graph's copy, hash and leading-module overlap (see
 * cnngraph.h). */
#include "graph/cnngraph.h"
#include "graph/hash.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

void cb_cnngraph_free(cb_cnngraph *g)
{
    free(g->mods);
    memset(g, 0, sizeof *g);
}

void cb_cnngraph_copy(cb_cnngraph *dst, const cb_cnngraph *src)
{
    *dst = *src;
    dst->mods = cb_xmalloc(((size_t)src->n + 1) * sizeof *dst->mods);
    memcpy(dst->mods, src->mods, (size_t)src->n * sizeof *dst->mods);
}

void cb_cnngraph_hash(cb_cnngraph *g, cb_vocab *voc, cb_hasher *h)
{
    cb_modules_hash(h, g->mods, g->n, cb_vocab_texts(voc), g->hash);
}

int cb_cnngraph_overlap(const cb_cnngraph *a, const cb_cnngraph *b)
{
    int k = 0;
    while (k < a->n && k < b->n && cb_module_equal(&a->mods[k], &b->mods[k]))
        k++;
    return k;
}
