/* engine_build.c: checks a cb_graph for the engine and lays out its vertices and weights:
 * input shapes, weight specifications from each op's weights(), which vertices reach the
 * logits (live) and which need gradients, and state/workspace sizes at the shard batch. */
#include "engine_internal.h"

#include <codebench/sdk.h>

#include <stdlib.h>
#include <string.h>

static cb_shape batch_of(cb_shape s, int32_t n)
{
    s.n = n;
    return s;
}

static int same_shape(cb_shape a, cb_shape b)
{
    return a.c == b.c && a.d == b.d && a.h == b.h && a.w == b.w;
}

/* Vertex i's input shapes (n = 1), after checking its op and its input indices. */
static int node_inputs(cb_engine *en, int32_t i, eng_node *nd, cb_error *e)
{
    const cb_node *gn = &en->g->nodes[i];
    const cb_op_vt *vt = gn->vt;
    if (!vt || !vt->forward || !vt->backward)
        return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): op has no forward/backward", i,
                            gn->op ? gn->op : "?");
    if (gn->n_in < vt->min_inputs || gn->n_in > vt->max_inputs || gn->n_in < 1)
        return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): %d inputs, the op takes %d..%d",
                            i, gn->op, gn->n_in, vt->min_inputs, vt->max_inputs);
    nd->in1 = calloc((size_t)gn->n_in, sizeof *nd->in1);
    if (!nd->in1)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (int32_t j = 0; j < gn->n_in; j++) {
        int32_t src = gn->in[j];
        if (src != CB_NET_INPUT && (src < 0 || src >= i))
            return cb_error_set(e, CB_EINVAL, NULL,
                                "vertex %d (%s): input %d names vertex %d, not an earlier one", i,
                                gn->op, j, src);
        nd->in1[j] = src == CB_NET_INPUT ? en->g->input : en->g->nodes[src].out;
        nd->in1[j].n = 1;
    }
    en->max_in = gn->n_in > en->max_in ? gn->n_in : en->max_in;
    return CB_OK;
}

/* Re-infers the output shape: a graph built with other shapes would corrupt memory. */
static int node_shape(const cb_engine *en, int32_t i, const eng_node *nd, cb_error *e)
{
    const cb_node *gn = &en->g->nodes[i];
    if (!gn->vt->infer)
        return CB_OK;
    cb_shape out;
    cb_error ie = {0};
    if (gn->vt->infer(gn->attrs, gn->n_in, nd->in1, &out, &ie) != CB_OK)
        return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): %s", i, gn->op, ie.msg);
    if (!same_shape(out, gn->out)) {
        char a[64], b[64];
        return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): graph says output %s, the op infers %s",
                            i, gn->op, cb_shape_str(batch_of(gn->out, 1), a, sizeof a),
                            cb_shape_str(batch_of(out, 1), b, sizeof b));
    }
    return CB_OK;
}

static int node_weights(cb_engine *en, int32_t i, eng_node *nd, cb_error *e)
{
    const cb_node *gn = &en->g->nodes[i];
    cb_weight w[CB_ENGINE_MAX_WEIGHTS];
    int n = gn->vt->weights ? gn->vt->weights(gn->attrs, gn->n_in, nd->in1, &gn->out, w,
                                              CB_ENGINE_MAX_WEIGHTS)
                            : 0;
    if (n < 0 || n > CB_ENGINE_MAX_WEIGHTS)
        return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): %d weight tensors (at most %d)", i,
                            gn->op, n, CB_ENGINE_MAX_WEIGHTS);
    cb_weight *spec = realloc(en->spec, (size_t)(en->n_w + n + 1) * sizeof *spec);
    if (spec)
        en->spec = spec;
    int32_t *wn = spec ? realloc(en->w_node, (size_t)(en->n_w + n + 1) * sizeof *wn) : NULL;
    if (!spec || !wn)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    en->w_node = wn;
    nd->w_first = en->n_w;
    nd->n_w = n;
    for (int k = 0; k < n; k++) {
        if (eng_numel(w[k].shape) <= 0)
            return cb_error_set(e, CB_EINVAL, NULL, "vertex %d (%s): weight '%s' is empty", i,
                                gn->op, w[k].name);
        en->spec[en->n_w] = w[k];
        en->w_node[en->n_w++] = i;
    }
    return CB_OK;
}

/* Live: the vertex reaches the logits. Walk backwards from the last vertex. */
static void mark_live(cb_engine *en)
{
    en->nodes[en->last].live = 1;
    for (int32_t i = en->last; i >= 0; i--) {
        if (!en->nodes[i].live)
            continue;
        const cb_node *gn = &en->g->nodes[i];
        for (int32_t j = 0; j < gn->n_in; j++)
            if (gn->in[j] != CB_NET_INPUT)
                en->nodes[gn->in[j]].live = 1;
    }
}

/* needs_grad: the vertex owns a trainable tensor or takes input from one that needs it;
 * backward is skipped elsewhere (gradients of the network input are never needed). */
static void mark_grad(cb_engine *en)
{
    for (int32_t i = 0; i < en->n_nodes; i++) {
        eng_node *nd = &en->nodes[i];
        for (int32_t k = 0; k < nd->n_w; k++)
            nd->needs_grad |= en->spec[nd->w_first + k].trainable != 0;
        const cb_node *gn = &en->g->nodes[i];
        for (int32_t j = 0; j < gn->n_in; j++)
            if (gn->in[j] != CB_NET_INPUT)
                nd->needs_grad |= en->nodes[gn->in[j]].needs_grad;
    }
}

static void node_sizes(cb_engine *en, int32_t i, eng_node *nd)
{
    const cb_node *gn = &en->g->nodes[i];
    cb_shape in[64], out = batch_of(gn->out, en->shard_batch);
    for (int32_t j = 0; j < gn->n_in && j < 64; j++)
        in[j] = batch_of(nd->in1[j], en->shard_batch);
    nd->state_bytes = gn->vt->state_size ? gn->vt->state_size(gn->attrs, gn->n_in, in, &out) : 0;
    nd->work_bytes = gn->vt->workspace_size ? gn->vt->workspace_size(gn->attrs, gn->n_in, in, &out) : 0;
}

int cb_eng_build_nodes(cb_engine *en, cb_error *e)
{
    const cb_graph *g = en->g;
    if (g->n_nodes < 1 || !g->nodes)
        return cb_error_set(e, CB_EINVAL, NULL, "the graph has no vertices");
    en->n_nodes = g->n_nodes;
    en->last = g->n_nodes - 1;
    en->nodes = calloc((size_t)g->n_nodes, sizeof *en->nodes);
    if (!en->nodes)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (int32_t i = 0; i < g->n_nodes; i++) {
        eng_node *nd = &en->nodes[i];
        nd->gn = &g->nodes[i];
        int rc = node_inputs(en, i, nd, e);
        if (rc == CB_OK && nd->gn->n_in > 64)
            rc = cb_error_set(e, CB_EINVAL, NULL, "vertex %d: more than 64 inputs", i);
        if (rc == CB_OK)
            rc = node_shape(en, i, nd, e);
        if (rc == CB_OK)
            rc = node_weights(en, i, nd, e);
        if (rc)
            return rc;
        nd->numel1 = eng_numel(batch_of(nd->gn->out, 1));
        node_sizes(en, i, nd);
    }
    mark_live(en);
    mark_grad(en);
    en->in_numel = eng_numel(batch_of(g->input, 1));
    en->classes = (int32_t)en->nodes[en->last].numel1;
    if (g->classes > 0 && g->classes != en->classes)
        return cb_error_set(e, CB_EINVAL, NULL, "the last vertex gives %d values per image, the graph has %d classes",
                            en->classes, g->classes);
    return CB_OK;
}
