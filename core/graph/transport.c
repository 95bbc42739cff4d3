/* core/graph/transport.c: min-cost flow for the transportation problem (see transport.h).
 *
 * Nodes: source 0, rows 1..p+1, columns p+2..p+q+2, sink p+q+3. Row-to-column arcs are
 * uncapacitated; their reverse arcs hold the flow sent, so a later path may reroute it. */
#include "graph/transport.h"
#include "util/util.h"

#include <float.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct net {
    int n;
    int32_t *cap;  /* n x n residual capacities */
    double *cost;  /* n x n arc costs (reverse arcs negated) */
    double *pot, *dist;
    int *prev;
    unsigned char *done;
} net;

static void arc(net *g, int u, int v, int32_t cap, double cost)
{
    g->cap[u * g->n + v] = cap;
    g->cost[u * g->n + v] = cost;
    g->cost[v * g->n + u] = -cost;
}

/* Dijkstra over reduced costs; true when the sink is reachable. */
static bool shortest(net *g, int s, int t)
{
    int n = g->n;
    for (int v = 0; v < n; v++) {
        g->dist[v] = DBL_MAX;
        g->done[v] = 0;
        g->prev[v] = -1;
    }
    g->dist[s] = 0;
    for (;;) {
        int u = -1;
        for (int v = 0; v < n; v++)
            if (!g->done[v] && g->dist[v] < DBL_MAX && (u < 0 || g->dist[v] < g->dist[u]))
                u = v;
        if (u < 0)
            break;
        g->done[u] = 1;
        for (int v = 0; v < n; v++) {
            if (g->done[v] || g->cap[u * n + v] <= 0)
                continue;
            double rc = g->cost[u * n + v] + g->pot[u] - g->pot[v];
            if (rc < 0)
                rc = 0; /* rounding: reduced costs of residual arcs are nonnegative */
            if (g->dist[u] + rc < g->dist[v]) {
                g->dist[v] = g->dist[u] + rc;
                g->prev[v] = u;
            }
        }
    }
    return g->dist[t] < DBL_MAX;
}

static void augment(net *g, int s, int t)
{
    int n = g->n;
    int32_t push = INT32_MAX;
    for (int v = t; v != s; v = g->prev[v])
        if (g->cap[g->prev[v] * n + v] < push)
            push = g->cap[g->prev[v] * n + v];
    for (int v = t; v != s; v = g->prev[v]) {
        g->cap[g->prev[v] * n + v] -= push;
        g->cap[v * n + g->prev[v]] += push;
    }
    for (int v = 0; v < n; v++)
        if (g->dist[v] < DBL_MAX)
            g->pot[v] += g->dist[v];
}

static int32_t total(const int32_t *x, int k)
{
    int32_t s = 0;
    for (int i = 0; i < k; i++)
        s += x[i];
    return s;
}

double cb_transport(int p, const int32_t *sa, int q, const int32_t *sb, const double *cost, int32_t *flow)
{
    int32_t na = total(sa, p), nb = total(sb, q), big = na + nb + 1;
    int rows = p + 1, cols = q + 1, n = rows + cols + 2, s = 0, t = n - 1;
    net g = {n, cb_xcalloc((size_t)n * (size_t)n, sizeof(int32_t)), cb_xcalloc((size_t)n * (size_t)n, sizeof(double)),
             cb_xcalloc((size_t)n, sizeof(double)), cb_xcalloc((size_t)n, sizeof(double)),
             cb_xcalloc((size_t)n, sizeof(int)), cb_xcalloc((size_t)n, 1)};
    for (int i = 0; i < rows; i++)
        arc(&g, s, 1 + i, i < p ? sa[i] : nb, 0);
    for (int j = 0; j < cols; j++)
        arc(&g, 1 + rows + j, t, j < q ? sb[j] : na, 0);
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            arc(&g, 1 + i, 1 + rows + j, big, cost[i * cols + j]);
    while (shortest(&g, s, t))
        augment(&g, s, t);
    double sum = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            int32_t f = big - g.cap[(1 + i) * n + 1 + rows + j];
            flow[i * cols + j] = f;
            sum += (double)f * cost[i * cols + j];
        }
    free(g.cap);
    free(g.cost);
    free(g.pot);
    free(g.dist);
    free(g.prev);
    free(g.done);
    return sum;
}
