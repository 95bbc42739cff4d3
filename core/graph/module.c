/* core/graph/module.c: bit masks, degrees and the full-DAG test of a module (see module.h). */
#include "graph/module.h"

#include <string.h>

void cb_module_from_mask(cb_module *m, int n, uint64_t mask)
{
    m->n = n;
    memset(m->adj, 0, sizeof m->adj);
    for (int y = 1; y < n; y++)
        for (int x = 0; x < y; x++)
            if (mask >> cb_edge_bit(x, y) & 1)
                m->adj[x] |= (uint16_t)(1u << y);
}

uint64_t cb_module_mask(const cb_module *m)
{
    uint64_t mask = 0;
    for (int x = 0; x < m->n; x++)
        for (int y = x + 1; y < m->n; y++)
            if (m->adj[x] >> y & 1)
                mask |= 1ull << cb_edge_bit(x, y);
    return mask;
}

int cb_module_edges(const cb_module *m)
{
    int e = 0;
    for (int v = 0; v < m->n; v++)
        e += __builtin_popcount(m->adj[v]);
    return e;
}

int cb_module_in_degree(const cb_module *m, int v)
{
    int d = 0;
    for (int u = 0; u < m->n; u++)
        d += m->adj[u] >> v & 1;
    return d;
}

bool cb_module_full_dag(const cb_module *m)
{
    uint16_t has_in = 0;
    for (int v = 0; v < m->n; v++) {
        if (v < m->n - 1 && !m->adj[v])
            return false;
        has_in |= m->adj[v];
    }
    uint16_t need = (uint16_t)(((1u << m->n) - 1) & ~1u);
    return (has_in & need) == need;
}

void cb_module_chain(cb_module *m, int n)
{
    m->n = n;
    memset(m->adj, 0, sizeof m->adj);
    for (int v = 0; v + 1 < n; v++)
        m->adj[v] = (uint16_t)(1u << (v + 1));
}

void cb_module_matrix(const cb_module *m, uint8_t *out)
{
    for (int x = 0; x < m->n; x++)
        for (int y = 0; y < m->n; y++)
            out[x * m->n + y] = (uint8_t)(m->adj[x] >> y & 1);
}

bool cb_module_equal(const cb_module *a, const cb_module *b)
{
    if (a->n != b->n)
        return false;
    for (int v = 0; v < a->n; v++)
        if (a->adj[v] != b->adj[v] || a->label[v] != b->label[v])
            return false;
    return true;
}
