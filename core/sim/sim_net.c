/* core/sim/sim_net.c: a cb_graph as the simulator's layer list (cb_sim_net_from_graph): each
 * vertex's workload and MAC count for one image, asked of its op plugin with the shapes that
 * shape inference gave the graph. The batch is applied at simulation time, so one list serves
 * every accelerator. */
#include "sim/sim.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUTS 8

static int layer_of(const cb_graph *g, int v, cb_sim_layer_in *L, char *why, size_t n)
{
    const cb_node *node = &g->nodes[v];
    if (node->n_in > MAX_INPUTS) {
        snprintf(why, n, "layer %d (%s) has %d inputs; the simulator takes at most %d", v, node->op,
                 node->n_in, MAX_INPUTS);
        return CB_EINVAL;
    }
    cb_shape in[MAX_INPUTS], out = node->out;
    for (int i = 0; i < node->n_in; i++) {
        int u = node->in[i];
        if (u != CB_NET_INPUT && (u < 0 || u >= v)) {
            snprintf(why, n, "layer %d (%s) reads layer %d, which is not an earlier one", v, node->op, u);
            return CB_EINVAL;
        }
        in[i] = u == CB_NET_INPUT ? g->input : g->nodes[u].out;
        in[i].n = 1;
        L->in[i] = u;
    }
    out.n = 1;
    L->n_in = node->n_in;
    snprintf(L->name, sizeof L->name, "%d", v);
    snprintf(L->op, sizeof L->op, "%s", node->op);
    cb_error e;
    memset(&e, 0, sizeof e);
    memset(&L->w, 0, sizeof L->w);
    L->w.size = sizeof L->w;
    if (node->vt->workload(node->attrs, node->n_in, in, &out, &L->w, &e) != CB_OK) {
        snprintf(why, n, "layer %d (%s): %s", v, node->op, e.msg);
        return CB_EINVAL;
    }
    if (L->w.size < offsetof(cb_workload, pw_of)) /* an op built before pw_of existed */
        L->w.pw_of = 0;
    uint64_t params = 0;
    node->vt->count(node->attrs, node->n_in, in, &out, &L->macs, &params);
    return CB_OK;
}

int cb_sim_net_from_graph(const cb_graph *g, cb_sim_net *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    out->layers = cb_xcalloc((size_t)g->n_nodes + 1, sizeof *out->layers);
    out->n = g->n_nodes;
    for (int v = 0; v < g->n_nodes; v++)
        if (layer_of(g, v, &out->layers[v], why, why_len) != CB_OK) {
            cb_sim_net_free(out);
            return CB_EINVAL;
        }
    return CB_OK;
}

void cb_sim_net_free(cb_sim_net *net)
{
    free(net->layers);
    net->layers = NULL;
    net->n = 0;
}
