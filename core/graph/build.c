/* core/graph/build.c: flattening a module graph into a cb_net with shape inference as it goes
 * (see build.h for the semantics). Every node is inferred as soon as it is added, because the
 * glue the next vertex needs depends on the shapes so far. */
#include "graph/build.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    const cb_modspace *sp;
    cb_net *net;
    size_t cap;
    char *why;
    size_t why_len;
    int module, vertex; /* where we are, for messages */
} builder;

static cb_shape shape_of(const builder *b, int32_t t)
{
    return t == CB_NET_INPUT ? b->net->g.input : b->net->nodes[t].out;
}

static int fail_at(builder *b, const char *op_name, int n_in, const int32_t *in, const char *msg)
{
    char s0[64] = "", s1[64] = "", where[64];
    if (n_in > 0)
        cb_shape_str(shape_of(b, in[0]), s0, sizeof s0);
    if (n_in > 1)
        cb_shape_str(shape_of(b, in[1]), s1, sizeof s1);
    if (b->module >= 0)
        snprintf(where, sizeof where, "module %d, vertex %d", b->module, b->vertex);
    else
        snprintf(where, sizeof where, "head, vertex %d", b->vertex);
    if (strstr(msg, "(input")) /* op plugins name the shapes themselves (docs/ops.md) */
        snprintf(b->why, b->why_len, "%s (%s): %s", where, op_name, msg);
    else
        snprintf(b->why, b->why_len, "%s (%s): %s (input%s %s%s%s)", where, op_name, msg, n_in > 1 ? "s" : "", s0,
                 n_in > 1 ? ", " : "", s1);
    return CB_EINVAL;
}

/* Appends a node computing label (with attrs, possibly edited) on inputs in[0..n_in); infers it. */
static int add_node(builder *b, const cb_label *l, const cb_value *attrs, const char *name, int n_in,
                    const int32_t *in, int32_t *out)
{
    cb_net *net = b->net;
    int32_t v = net->g.n_nodes;
    if (!l->vt)
        return fail_at(b, l->name, n_in, in, "the label names no op plugin");
    if (n_in < l->vt->min_inputs || n_in > l->vt->max_inputs)
        return fail_at(b, l->name, n_in, in, "wrong number of inputs for the op");
    size_t cap = b->cap; /* the node arrays grow together */
    cb_grow(&net->nodes, sizeof *net->nodes, (size_t)v + 1, &cap);
    cap = b->cap;
    cb_grow(&net->names, sizeof *net->names, (size_t)v + 1, &cap);
    cap = b->cap;
    cb_grow(&net->attrs, sizeof *net->attrs, (size_t)v + 1, &cap);
    cb_grow(&net->inputs, sizeof *net->inputs, (size_t)v + 1, &b->cap);
    int n_attrs = cb_param_count(l->vt->attrs);
    net->attrs[v] = cb_xcalloc((size_t)n_attrs + 1, sizeof **net->attrs);
    memcpy(net->attrs[v], attrs, (size_t)n_attrs * sizeof **net->attrs);
    net->inputs[v] = cb_xmalloc((size_t)n_in * sizeof **net->inputs);
    memcpy(net->inputs[v], in, (size_t)n_in * sizeof **net->inputs);
    net->names[v] = cb_xstrdup(name);
    net->g.n_nodes = v + 1; /* cb_net_free frees what is built so far */
    cb_node *n = &net->nodes[v];
    memset(n, 0, sizeof *n);
    n->op = l->op;
    n->vt = l->vt;
    n->attrs = net->attrs[v];
    n->n_in = n_in;
    n->in = net->inputs[v];
    n->module = b->module;
    cb_shape s[8];
    for (int i = 0; i < n_in && i < 8; i++)
        s[i] = shape_of(b, in[i]);
    cb_error e;
    memset(&e, 0, sizeof e);
    if (l->vt->infer(n->attrs, n_in, s, &n->out, &e) != CB_OK)
        return fail_at(b, l->name, n_in, in, e.msg);
    *out = v;
    return CB_OK;
}

static const cb_label *label(const builder *b, int32_t id)
{
    return &b->sp->voc.v[id];
}

/* A 1x1 projection of tensor t to width channels. */
static int project(builder *b, int32_t t, int32_t width, const char *name, int32_t *out)
{
    const cb_label *p = label(b, b->sp->glue.projection_id);
    cb_value attrs[64];
    memcpy(attrs, p->attrs, (size_t)cb_param_count(p->vt->attrs) * sizeof *attrs);
    attrs[b->sp->glue.width_attr].i = width;
    return add_node(b, p, attrs, name, 1, &t, out);
}

/* The sum of tensors src[0..n), narrower ones widened first; one tensor is returned as is. */
static int merge_sum(builder *b, int32_t *src, int n, const char *prefix, int32_t *out)
{
    if (n == 1) {
        *out = src[0];
        return CB_OK;
    }
    int32_t width = 0;
    for (int i = 0; i < n; i++)
        if (shape_of(b, src[i]).c > width)
            width = shape_of(b, src[i]).c;
    for (int i = 0; i < n; i++)
        if (shape_of(b, src[i]).c < width) {
            char name[96];
            snprintf(name, sizeof name, "%s.proj%d", prefix, i);
            if (project(b, src[i], width, name, &src[i]))
                return CB_EINVAL;
        }
    char name[96];
    snprintf(name, sizeof name, "%s.sum", prefix);
    const cb_label *s = label(b, b->sp->glue.sum_id);
    return add_node(b, s, s->attrs, name, n, src, out);
}

/* One module on input x; *y gets its output tensor. */
static int build_module(builder *b, const cb_module *m, int32_t x, int32_t *y)
{
    int32_t t[CB_MODULE_MAXV];
    t[0] = x;
    for (int v = 1; v < m->n - 1; v++) {
        int32_t src[CB_MODULE_MAXV];
        int n = 0;
        for (int u = 0; u < v; u++)
            if (m->adj[u] >> v & 1)
                src[n++] = t[u];
        char prefix[64], name[96];
        snprintf(prefix, sizeof prefix, "m%d.v%d", b->module, v);
        b->vertex = v;
        int32_t in;
        if (merge_sum(b, src, n, prefix, &in))
            return CB_EINVAL;
        const cb_label *l = label(b, m->label[v]);
        snprintf(name, sizeof name, "%s", prefix);
        if (add_node(b, l, l->attrs, name, 1, &in, &t[v]))
            return CB_EINVAL;
    }
    b->vertex = m->n - 1;
    int32_t src[CB_MODULE_MAXV];
    int n = 0, last = m->n - 1;
    for (int u = 1; u < last; u++)
        if (m->adj[u] >> last & 1)
            src[n++] = t[u];
    bool from_input = m->adj[0] >> last & 1;
    char name[96];
    if (n == 0) {
        *y = x; /* only the input is wired to the output */
        return CB_OK;
    }
    int32_t cat = src[0];
    snprintf(name, sizeof name, "m%d.out", b->module);
    const cb_label *c = label(b, b->sp->glue.concat_id);
    if (n > 1 && add_node(b, c, c->attrs, name, n, src, &cat))
        return CB_EINVAL;
    if (!from_input) {
        *y = cat;
        return CB_OK;
    }
    int32_t pair[2] = {cat, 0};
    snprintf(name, sizeof name, "m%d.out.proj", b->module);
    if (project(b, x, shape_of(b, cat).c, name, &pair[1]))
        return CB_EINVAL;
    snprintf(name, sizeof name, "m%d.out.sum", b->module);
    const cb_label *s = label(b, b->sp->glue.sum_id);
    return add_node(b, s, s->attrs, name, 2, pair, y);
}

static int build_head(builder *b, const cb_module *h, int32_t x)
{
    b->module = -1;
    for (int v = 1; v < h->n - 1; v++) {
        char name[64];
        snprintf(name, sizeof name, "head.v%d", v);
        b->vertex = v;
        const cb_label *l = label(b, h->label[v]);
        if (add_node(b, l, l->attrs, name, 1, &x, &x))
            return CB_EINVAL;
    }
    return CB_OK;
}

int cb_build_net(const cb_modspace *sp, const cb_cnngraph *g, cb_net *net, char *why, size_t why_len)
{
    memset(net, 0, sizeof *net);
    net->g.size = sizeof net->g;
    net->g.input = sp->input;
    net->g.classes = sp->classes;
    net->name = cb_xstrdup(g->hash[0] ? g->hash : (sp->name ? sp->name : "cnn"));
    net->g.name = net->name;
    builder b = {sp, net, 0, why, why_len, 0, 0};
    int32_t x = CB_NET_INPUT;
    int rc = CB_OK;
    for (int k = 0; k + 1 < g->n && rc == CB_OK; k++) {
        b.module = k;
        rc = build_module(&b, &g->mods[k], x, &x);
    }
    if (rc == CB_OK && g->n > 0)
        rc = build_head(&b, &g->mods[g->n - 1], x);
    if (rc == CB_OK)
        rc = net->g.n_nodes > 0 ? cb_net_infer(net, why, why_len) : CB_EINVAL;
    if (rc) {
        if (!net->g.n_nodes)
            snprintf(why, why_len, "the graph has no vertices");
        cb_net_free(net);
        return CB_EINVAL;
    }
    net->g.nodes = net->nodes;
    memcpy(net->g.hash, g->hash, sizeof net->g.hash);
    return CB_OK;
}
