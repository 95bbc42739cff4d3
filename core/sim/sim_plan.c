/* core/sim/sim_plan.c: which tensors stay in the activation buffer (cb_sim_plan).
 *
 * A layer's output stays on chip when it fits beside the tensors that are still waiting for a
 * consumer (their live ranges end at their last consumer); otherwise it is written to main
 * memory and every consumer loads it again. Layers that do no work (activations applied in
 * the MAC lanes, shuffles, dropout, flatten) alias their input. The network's input starts in
 * main memory and its output (the logits) goes back to it. */
#include "sim/sim_internal.h"
#include "util/util.h"

#include <stdlib.h>

/* True for a layer whose output is its first input, in place. */
static bool aliases(const cb_workload *w)
{
    if (w->kind == CB_WL_NONE)
        return true;
    return w->kind == CB_WL_ELEMWISE && (w->activation != CB_ACT_NONE || w->window < 2);
}

static int resolve(const int *alias, int v) { return v < 0 ? v : alias[v]; }

void cb_sim_plan(const sim_ctx *ctx, const cb_sim_net *net, sim_place *place)
{
    int n = net->n;
    int *alias = cb_xcalloc((size_t)n + 1, sizeof *alias), *last = cb_xcalloc((size_t)n + 1, sizeof *last);
    double *bytes = cb_xcalloc((size_t)n + 1, sizeof *bytes), *dead = cb_xcalloc((size_t)n + 1, sizeof *dead);
    bool *res = cb_xcalloc((size_t)n + 1, sizeof *res);
    for (int v = 0; v < n; v++) {
        const cb_sim_layer_in *L = &net->layers[v];
        alias[v] = aliases(&L->w) && L->n_in > 0 ? resolve(alias, L->in[0]) : v;
        last[v] = v;
        for (int i = 0; i < L->n_in; i++) {
            int u = resolve(alias, L->in[i]);
            if (u >= 0 && last[u] < v)
                last[u] = v;
        }
        bytes[v] = cb_sim_bytes((double)L->w.out_elems * ctx->v->batch, ctx->opts.act_density);
    }
    double live = 0; /* bytes on chip that a later layer still reads */
    for (int v = 0; v < n; v++) {
        const cb_sim_layer_in *L = &net->layers[v];
        if (v > 0)
            live -= dead[v - 1];
        bool in_res = L->n_in > 0;
        for (int i = 0; i < L->n_in; i++) {
            int u = resolve(alias, L->in[i]);
            in_res = in_res && u >= 0 && res[u];
        }
        if (alias[v] != v) { /* a view of a tensor that is on chip or not already */
            res[v] = alias[v] >= 0 && res[alias[v]];
            place[v] = (sim_place){in_res, res[v]};
            continue;
        }
        res[v] = v < n - 1 && live + bytes[v] <= ctx->chip.act_cap;
        place[v] = (sim_place){in_res, res[v]};
        if (res[v]) {
            live += bytes[v];
            dead[last[v]] += bytes[v];
        }
    }
    free(dead);
    free(alias);
    free(last);
    free(bytes);
    free(res);
}
