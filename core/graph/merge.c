/* core/graph/merge.c: the seeds' hash_graph, which merges modules before hashing.
 *
 * Two neighbouring modules merge when each one's output vertex has exactly one in-edge. As
 * graph_util.merge_modules does it: the new matrix has s1 + s2 - 2 vertices, holds the first
 * module's matrix top-left and then the whole second matrix written over the block starting at
 * (s1 - 2, s1 - 2); the labels are the first module's without its output and the second's
 * without its input. Copied as it is, quirks included (an edge into the first output from a
 * vertex other than s1 - 2 ends on the second module's first vertex), because the hashes of the
 * seeds' hand-written models (vgg11 ad0a60f4..., checked in tests/unit/graph_hash.c) depend on it.
 */
#include "graph/hash.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct merged {
    int n;
    uint8_t *adj; /* n x n */
    int32_t *label;
} merged;

static void from_module(merged *g, const cb_module *m)
{
    g->n = m->n;
    g->adj = cb_xcalloc((size_t)m->n * (size_t)m->n, 1);
    g->label = cb_xmalloc((size_t)m->n * sizeof *g->label);
    cb_module_matrix(m, g->adj);
    memcpy(g->label, m->label, (size_t)m->n * sizeof *g->label);
}

static int last_in_degree(const merged *g)
{
    int d = 0;
    for (int u = 0; u < g->n; u++)
        d += g->adj[u * g->n + g->n - 1] != 0;
    return d;
}

static void merge_into(merged *a, const merged *b)
{
    int s1 = a->n, s2 = b->n, n = s1 + s2 - 2;
    uint8_t *adj = cb_xcalloc((size_t)n * (size_t)n, 1);
    for (int i = 0; i < s1; i++)
        memcpy(adj + (size_t)i * (size_t)n, a->adj + (size_t)i * (size_t)s1, (size_t)s1);
    for (int i = 0; i < s2; i++)
        for (int j = 0; j < s2; j++)
            adj[(size_t)(i + s1 - 2) * (size_t)n + (size_t)(j + s1 - 2)] = b->adj[i * s2 + j];
    int32_t *label = cb_xmalloc((size_t)n * sizeof *label);
    memcpy(label, a->label, (size_t)(s1 - 1) * sizeof *label);
    memcpy(label + s1 - 1, b->label + 1, (size_t)(s2 - 1) * sizeof *label);
    free(a->adj);
    free(a->label);
    a->n = n;
    a->adj = adj;
    a->label = label;
}

static void fingerprint_merged(cb_hasher *h, const merged *g, const char *const *texts, char *hex)
{
    const char **text = cb_xmalloc((size_t)g->n * sizeof *text);
    for (int v = 0; v < g->n; v++)
        text[v] = texts[g->label[v]];
    cb_fingerprint(h, g->n, g->adj, text, hex);
    free(text);
}

void cb_modules_hash_merged(cb_hasher *h, const cb_module *mods, int n, const char *const *texts,
                            char *hex)
{
    merged *out = cb_xcalloc((size_t)(n > 0 ? n : 1), sizeof *out);
    int k = 0;
    for (int i = 0; i < n; i++) {
        merged m;
        from_module(&m, &mods[i]);
        if (k > 0 && last_in_degree(&out[k - 1]) == 1 && last_in_degree(&m) == 1) {
            merge_into(&out[k - 1], &m);
            free(m.adj);
            free(m.label);
        } else {
            out[k++] = m;
        }
    }
    char (*fp)[CB_HEX_MAX] = cb_xmalloc((size_t)(k > 0 ? k : 1) * CB_HEX_MAX);
    const char **p = cb_xmalloc((size_t)(k > 0 ? k : 1) * sizeof *p);
    for (int i = 0; i < k; i++) {
        fingerprint_merged(h, &out[i], texts, fp[i]);
        p[i] = fp[i];
        free(out[i].adj);
        free(out[i].label);
    }
    cb_join_hash(h, p, k, hex);
    free(fp);
    free(p);
    free(out);
}
