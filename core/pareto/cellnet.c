/* core/pareto/cellnet.c: a cell built into the skeleton's network (see skeleton.h), wired as
 * NAS-Bench-101's model builder wires it (nasbench/lib/model_builder.py, build_module):
 *
 *  - each interior vertex t gets the sum of its inputs: every earlier interior vertex with an
 *    edge to t, truncated to t's width when wider, and a 1x1 projection of the cell input when
 *    the input has an edge to t; one input is used as it is;
 *  - the cell's output is the concatenation of the vertices with an edge to the output, plus a
 *    projection of the cell input when the input has an edge to the output; a cell whose only
 *    edge is input -> output is that projection.
 *
 * Shapes are inferred node by node through the op plugins as the graph grows, so a width or
 * shape an op refuses is reported with the node that refused it. */
#include "pareto/skeleton.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define MAXV CB_MODULE_MAXV

static int edge(const cb_module *m, int v, int w)
{
    return m->adj[v] >> w & 1;
}

void cb_cell_widths(const cb_module *m, int64_t in, int64_t out, int64_t *width)
{
    int n = m->n;
    memset(width, 0, (size_t)n * sizeof *width);
    width[0] = in;
    width[n - 1] = out;
    if (n == 2)
        return;
    int64_t feeding = 0;
    for (int v = 1; v < n - 1; v++)
        feeding += edge(m, v, n - 1);
    int64_t share = out / feeding, extra = out % feeding;
    for (int v = 1; v < n - 1; v++)
        if (edge(m, v, n - 1)) {
            width[v] = share + (extra > 0);
            extra -= extra > 0;
        }
    for (int v = n - 3; v > 0; v--) /* n - 2 feeds only the output */
        if (!edge(m, v, n - 1))
            for (int dst = v + 1; dst < n - 1; dst++)
                if (edge(m, v, dst) && width[dst] > width[v])
                    width[v] = width[dst];
}

void cb_cellnet_free(cb_cellnet *net)
{
    free(net->nodes);
    free(net->vals);
    free(net->ins);
    memset(net, 0, sizeof *net);
}

typedef struct builder {
    cb_cellnet *net;
    const cb_skeleton *sk;
    int32_t module;           /* the cell being built; -1 outside cells */
    char *why;
    size_t why_len;
} builder;

/* Appends one node of template t (its width attribute set to width when >= 0) on inputs in,
 * infers its shape and counts it; returns its index, or -1 with why filled. Arenas are
 * reserved before a build, so pointers into them stay put. */
static int32_t push(builder *b, const cb_optmpl *t, int64_t width, const int32_t *in, int n_in)
{
    cb_cellnet *net = b->net;
    const cb_op_vt *vt = t->op->vtable;
    int n_attrs = cb_param_count(vt->attrs);
    if (n_in > 8) {
        snprintf(b->why, b->why_len, "cell %d: %d inputs to one %s node (at most 8)",
                 (int)b->module, n_in, t->op->name);
        return -1;
    }
    int32_t v = net->g.n_nodes++;
    cb_node *n = &net->nodes[v];
    cb_value *vals = net->vals + net->n_vals;
    int32_t *ins = net->ins + net->n_ins;
    memcpy(vals, t->vals, (size_t)n_attrs * sizeof *vals);
    if (t->width >= 0 && width >= 0)
        vals[t->width].i = width;
    memcpy(ins, in, (size_t)n_in * sizeof *ins);
    net->n_vals += (size_t)n_attrs;
    net->n_ins += (size_t)n_in;
    *n = (cb_node){t->op->name, vt, vals, n_in, ins, {0}, b->module};
    cb_shape shapes[8];
    for (int i = 0; i < n_in; i++)
        shapes[i] = in[i] == CB_NET_INPUT ? net->g.input : net->nodes[in[i]].out;
    cb_error e;
    memset(&e, 0, sizeof e);
    if (vt->infer(vals, n_in, shapes, &n->out, &e) != CB_OK) {
        snprintf(b->why, b->why_len, "node %d (%s) of %s %d: %s", v, t->op->name,
                 b->module >= 0 ? "cell" : "the skeleton, outside cell", (int)b->module, e.msg);
        return -1;
    }
    uint64_t macs = 0, params = 0;
    vt->count(vals, n_in, shapes, &n->out, &macs, &params);
    net->macs += macs;
    net->params += params;
    return v;
}

static int32_t push1(builder *b, const cb_optmpl *t, int64_t width, int32_t in)
{
    return push(b, t, width, &in, 1);
}

/* The summed (or single) input of interior vertex t. */
static int32_t vertex_input(builder *b, const cb_module *m, int t, const int32_t *node,
                            const int64_t *w)
{
    const cb_optmpl *role = b->sk->role;
    int32_t srcs[MAXV];
    int k = 0;
    for (int src = 1; src < t; src++) {
        if (!edge(m, src, t))
            continue;
        int32_t y = node[src];
        if (w[src] < w[t]) {
            snprintf(b->why, b->why_len, "cell %d: vertex %d (%lld channels) is narrower than "
                     "vertex %d (%lld) it feeds", (int)b->module, src, (long long)w[src], t,
                     (long long)w[t]);
            return -1;
        }
        if (w[src] > w[t] && (y = push1(b, &role[CB_SK_TRUNC], w[t], y)) < 0)
            return -1;
        srcs[k++] = y;
    }
    if (edge(m, 0, t) && (srcs[k++] = push1(b, &role[CB_SK_PROJ], w[t], node[0])) < 0)
        return -1;
    return k == 1 ? srcs[0] : push(b, &role[CB_SK_SUM], -1, srcs, k);
}

static int32_t cell(builder *b, const cb_module *m, const int32_t *op_of_label, int32_t n_labels,
                    int32_t x, int64_t out)
{
    const cb_optmpl *role = b->sk->role;
    int n = m->n;
    int64_t w[MAXV];
    int32_t node[MAXV], outs[MAXV];
    cb_cell_widths(m, b->net->nodes[x].out.c, out, w);
    node[0] = x;
    for (int t = 1; t < n - 1; t++) {
        int32_t lab = m->label[t], op = lab >= 0 && lab < n_labels ? op_of_label[lab] : -1;
        if (op < 0 || op >= b->sk->n_cell_ops) {
            snprintf(b->why, b->why_len, "cell %d: vertex %d's label %d names none of the %d cell "
                     "ops", (int)b->module, t, (int)lab, b->sk->n_cell_ops);
            return -1;
        }
        int32_t in = vertex_input(b, m, t, node, w);
        if (in < 0 || (node[t] = push1(b, &b->sk->cell_ops[op], w[t], in)) < 0)
            return -1;
    }
    int k = 0;
    for (int src = 1; src < n - 1; src++)
        if (edge(m, src, n - 1))
            outs[k++] = node[src];
    if (k == 0)
        return push1(b, &role[CB_SK_PROJ], out, x);
    int32_t y = k == 1 ? outs[0] : push(b, &role[CB_SK_CONCAT], -1, outs, k);
    if (y < 0 || !edge(m, 0, n - 1))
        return y;
    int32_t pair[2] = {y, push1(b, &role[CB_SK_PROJ], out, x)};
    return pair[1] < 0 ? -1 : push(b, &role[CB_SK_SUM], -1, pair, 2);
}

/* Room for the largest network a skeleton and a cell of n vertices can make. */
static void reserve(cb_cellnet *net, const cb_skeleton *sk, int n)
{
    size_t per_cell = (size_t)n * ((size_t)n + 3) + 3;
    size_t nodes = 2 + (size_t)sk->n_head + (size_t)sk->stacks * (1 + (size_t)sk->cells_per_stack * per_cell);
    size_t attrs = 1;
    const cb_optmpl *lists[] = {sk->role, sk->cell_ops, sk->head};
    int counts[] = {CB_SK_ROLES, sk->n_cell_ops, sk->n_head};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < counts[l]; i++) {
            size_t a = (size_t)cb_param_count(((const cb_op_vt *)lists[l][i].op->vtable)->attrs);
            attrs = a > attrs ? a : attrs;
        }
    cb_grow(&net->nodes, sizeof *net->nodes, nodes, &net->cap_nodes);
    cb_grow(&net->vals, sizeof *net->vals, nodes * attrs, &net->cap_vals);
    cb_grow(&net->ins, sizeof *net->ins, nodes * 8, &net->cap_ins);
}

static int32_t body(builder *b, const cb_module *m, const int32_t *op_of_label, int32_t n_labels)
{
    const cb_skeleton *sk = b->sk;
    int32_t x = push1(b, &sk->role[CB_SK_STEM], sk->stem_channels, CB_NET_INPUT);
    int64_t ch = sk->stem_channels;
    for (int64_t s = 0; s < sk->stacks && x >= 0; s++) {
        b->module = -1;
        if (s > 0) {
            x = push1(b, &sk->role[CB_SK_DOWN], -1, x);
            ch *= 2;
        }
        for (int64_t c = 0; c < sk->cells_per_stack && x >= 0; c++) {
            b->module = (int32_t)(s * sk->cells_per_stack + c);
            x = cell(b, m, op_of_label, n_labels, x, ch);
        }
    }
    b->module = -1;
    for (int i = 0; i < sk->n_head && x >= 0; i++)
        x = push1(b, &sk->head[i], -1, x);
    return x;
}

int cb_cellnet_build(cb_cellnet *net, const cb_skeleton *sk, const cb_module *m,
                     const int32_t *op_of_label, int32_t n_labels, cb_shape input, char *why,
                     size_t why_len)
{
    if (m->n < 2 || m->n > MAXV) {
        snprintf(why, why_len, "a cell has 2..%d vertices, got %d", MAXV, (int)m->n);
        return CB_EINVAL;
    }
    reserve(net, sk, m->n);
    net->g = (cb_graph){sizeof(cb_graph), 0, net->nodes, input, 0, "", NULL};
    net->n_vals = net->n_ins = 0;
    net->params = net->macs = 0;
    builder b = {net, sk, -1, why, why_len};
    int32_t last = body(&b, m, op_of_label, n_labels);
    if (last < 0)
        return CB_EINVAL;
    net->g.classes = net->nodes[last].out.c;
    return CB_OK;
}
