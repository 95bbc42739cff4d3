/* core/cnn/card.c: loading a model card (YAML) into a cb_net (see net.h, docs/model-cards.md).
 * Every problem is reported at its place in the card: an unknown key or op, an attribute its op
 * does not have or a value outside its choices, an input that names no earlier layer, and shapes
 * that do not fit (shape inference runs through the op plugins). */
#include "cnn/net.h"
#include "manifest/yamldoc.h"
#include "plugin/param.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct card {
    cb_yamldoc y;
    cb_diag *d;
    cb_registry *reg;
    cb_net *net;
    size_t str_used, str_cap;
} card;

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int fail_at(card *c, yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    return cb_yaml_fail(&c->y, c->d, cb_yaml_node_mark(n), fmt, a, b);
}

static int check_keys(card *c, yaml_node_t *map, const char *const *allowed, int n_allowed)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&c->y, p->key);
        const char *key = scalar(k);
        bool ok = false;
        for (int i = 0; i < n_allowed && key; i++)
            ok |= strcmp(key, allowed[i]) == 0;
        if (!ok) {
            const char *guess = key ? cb_did_you_mean(key, allowed, n_allowed) : NULL;
            char hint[96] = "";
            if (guess)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
            return fail_at(c, k, "unknown key '%s'%s", key ? key : "?", hint);
        }
    }
    return CB_OK;
}

static int read_int(card *c, yaml_node_t *map, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    yaml_node_t *kn = NULL, *v = cb_yaml_get(&c->y, map, key, &kn);
    if (!v)
        return cb_yaml_fail(&c->y, c->d, cb_yaml_node_mark(map), "missing required key '%s'", key);
    cb_param p = {key, CB_T_INT, NULL, (double)lo, (double)hi, NULL, "", "", 0};
    char why[256];
    const char *text = scalar(v);
    if (!text)
        return fail_at(c, v, "%s: expected an integer%s", key, "");
    if (cb_param_parse(&p, text, v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE, &(cb_value){0}, why, sizeof why))
        return fail_at(c, v, "%s: %s", key, why);
    *out = strtoll(text, NULL, 10);
    return CB_OK;
}

static const char *keep_string(card *c, const char *s)
{
    size_t n = strlen(s) + 1;
    if (c->str_used + n > c->str_cap) /* strings never move once handed out: allocate ahead */
        return NULL;
    char *dst = c->net->strings + c->str_used;
    memcpy(dst, s, n);
    c->str_used += n;
    return dst;
}

static int read_attrs(card *c, yaml_node_t *attrs, const cb_op_vt *vt, const char *op, cb_value *vals)
{
    char why[300];
    if (cb_param_defaults(vt->attrs, vals, why, sizeof why))
        return fail_at(c, attrs, "op '%s': %s", op, why);
    if (!attrs)
        return CB_OK;
    if (attrs->type != YAML_MAPPING_NODE)
        return fail_at(c, attrs, "attrs of op '%s' must be a mapping%s", op, "");
    for (yaml_node_pair_t *p = attrs->data.mapping.pairs.start; p < attrs->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&c->y, p->key), *v = cb_yaml_node(&c->y, p->value);
        const char *key = scalar(k);
        int i = key ? cb_param_index(vt->attrs, key) : -1;
        if (i < 0) {
            int n = cb_param_count(vt->attrs);
            const char **names = cb_xcalloc((size_t)n + 1, sizeof *names);
            for (int j = 0; j < n; j++)
                names[j] = vt->attrs[j].name;
            const char *guess = key ? cb_did_you_mean(key, names, n) : NULL;
            snprintf(why, sizeof why, "op '%s' has no attribute '%s'%s%s%s", op, key ? key : "?",
                     guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
            free(names);
            return fail_at(c, k, "%s%s", why, "");
        }
        const char *text = scalar(v);
        if (!text)
            return fail_at(c, v, "attribute '%s' takes one value%s", key, "");
        if (cb_param_parse(&vt->attrs[i], text, v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE, &vals[i],
                           why, sizeof why))
            return fail_at(c, v, "attribute '%s': %s", key, why);
        if (vt->attrs[i].type == CB_T_STR)
            vals[i].s = keep_string(c, text);
    }
    return CB_OK;
}

static int find_layer(const cb_net *net, int upto, const char *name)
{
    for (int v = 0; v < upto; v++)
        if (strcmp(net->names[v], name) == 0)
            return v;
    return -2;
}

static int read_inputs(card *c, yaml_node_t *inputs, int v)
{
    cb_net *net = c->net;
    cb_node *n = &net->nodes[v];
    if (!inputs) {
        net->inputs[v] = cb_xcalloc(1, sizeof **net->inputs);
        net->inputs[v][0] = v == 0 ? CB_NET_INPUT : v - 1;
        n->n_in = 1;
        return CB_OK;
    }
    if (inputs->type != YAML_SEQUENCE_NODE)
        return fail_at(c, inputs, "inputs: expected a list of earlier layer names (or 'input')%s%s", "", "");
    int k = (int)(inputs->data.sequence.items.top - inputs->data.sequence.items.start);
    if (k < 1 || k > 8)
        return fail_at(c, inputs, "inputs: expected 1..8 layer names%s%s", "", "");
    net->inputs[v] = cb_xcalloc((size_t)k, sizeof **net->inputs);
    for (int i = 0; i < k; i++) {
        yaml_node_t *it = cb_yaml_node(&c->y, inputs->data.sequence.items.start[i]);
        const char *name = scalar(it);
        int src = name && strcmp(name, "input") == 0 ? CB_NET_INPUT : name ? find_layer(net, v, name) : -2;
        if (src == -2)
            return fail_at(c, it, "input '%s' names no earlier layer%s", name ? name : "?", "");
        net->inputs[v][i] = src;
    }
    n->n_in = k;
    return CB_OK;
}

static const char *const layer_keys[] = {"name", "op", "attrs", "inputs"};

static int read_layer(card *c, yaml_node_t *item, int v)
{
    cb_net *net = c->net;
    if (item->type != YAML_MAPPING_NODE)
        return fail_at(c, item, "a layer is a mapping {name, op, attrs, inputs}%s%s", "", "");
    if (check_keys(c, item, layer_keys, 4))
        return CB_EINVAL;
    yaml_node_t *opn = cb_yaml_get(&c->y, item, "op", NULL);
    if (!scalar(opn))
        return cb_yaml_fail(&c->y, c->d, cb_yaml_node_mark(item), "layer %d: missing required key 'op'", v + 1);
    cb_error e;
    memset(&e, 0, sizeof e);
    const cb_entry *en = cb_registry_find(c->reg, CB_KIND_OP, scalar(opn), &e);
    if (!en)
        return fail_at(c, opn, "%s%s", e.msg, "");
    const cb_op_vt *vt = en->plugin->vtable;
    yaml_node_t *namen = cb_yaml_get(&c->y, item, "name", NULL);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "%s%d", en->plugin->name, v + 1);
    const char *name = scalar(namen) ? scalar(namen) : fallback;
    if (find_layer(net, v, name) >= 0)
        return fail_at(c, namen, "layer name '%s' is used twice%s", name, "");
    net->names[v] = cb_xstrdup(name);
    net->attrs[v] = cb_xcalloc((size_t)cb_param_count(vt->attrs) + 1, sizeof(cb_value));
    cb_node *n = &net->nodes[v];
    n->op = en->plugin->name;
    n->vt = vt;
    n->module = -1;
    if (read_attrs(c, cb_yaml_get(&c->y, item, "attrs", NULL), vt, n->op, net->attrs[v]) ||
        read_inputs(c, cb_yaml_get(&c->y, item, "inputs", NULL), v))
        return CB_EINVAL;
    n->attrs = net->attrs[v];
    n->in = net->inputs[v];
    return CB_OK;
}

static const char *const card_keys[] = {"name", "input", "classes", "layers", "notes"};
static const char *const input_keys[] = {"channels", "height", "width", "depth"};

static int read_card(card *c)
{
    cb_net *net = c->net;
    yaml_node_t *root = cb_yaml_root(&c->y);
    if (!root || root->type != YAML_MAPPING_NODE)
        return cb_yaml_fail(&c->y, c->d, (cb_mark){1, 1}, "a model card is a mapping with input, classes and layers");
    if (check_keys(c, root, card_keys, 5))
        return CB_EINVAL;
    yaml_node_t *in = cb_yaml_get(&c->y, root, "input", NULL);
    if (!in || in->type != YAML_MAPPING_NODE)
        return cb_yaml_fail(&c->y, c->d, cb_yaml_node_mark(in ? in : root),
                            "input: expected {channels, height, width}");
    int64_t ch, h, w, d = 1, classes;
    if (check_keys(c, in, input_keys, 4) || read_int(c, in, "channels", 1, 4096, &ch) ||
        read_int(c, in, "height", 1, 8192, &h) || read_int(c, in, "width", 1, 8192, &w) ||
        (cb_yaml_get(&c->y, in, "depth", NULL) && read_int(c, in, "depth", 1, 4096, &d)) ||
        read_int(c, root, "classes", 2, 100000, &classes))
        return CB_EINVAL;
    net->g.input = (cb_shape){1, (int32_t)ch, (int32_t)d, (int32_t)h, (int32_t)w};
    net->g.classes = (int32_t)classes;
    const char *name = scalar(cb_yaml_get(&c->y, root, "name", NULL));
    net->name = cb_xstrdup(name ? name : c->y.path);
    net->g.name = net->name;
    yaml_node_t *layers = cb_yaml_get(&c->y, root, "layers", NULL);
    if (!layers || layers->type != YAML_SEQUENCE_NODE ||
        layers->data.sequence.items.top == layers->data.sequence.items.start)
        return cb_yaml_fail(&c->y, c->d, cb_yaml_node_mark(layers ? layers : root),
                            "layers: expected a non-empty list of layers");
    int V = (int)(layers->data.sequence.items.top - layers->data.sequence.items.start);
    net->nodes = cb_xcalloc((size_t)V, sizeof *net->nodes);
    net->names = cb_xcalloc((size_t)V, sizeof *net->names);
    net->attrs = cb_xcalloc((size_t)V, sizeof *net->attrs);
    net->inputs = cb_xcalloc((size_t)V, sizeof *net->inputs);
    c->str_cap = c->y.len + 1;
    net->strings = cb_xcalloc(c->str_cap, 1);
    for (int v = 0; v < V; v++) {
        net->g.n_nodes = v + 1; /* so cb_net_free frees what is built so far */
        if (read_layer(c, cb_yaml_node(&c->y, layers->data.sequence.items.start[v]), v))
            return CB_EINVAL;
    }
    net->g.size = sizeof net->g;
    net->g.nodes = net->nodes;
    char why[512];
    if (cb_net_infer(net, why, sizeof why))
        return cb_yaml_fail(&c->y, c->d,
                            cb_yaml_node_mark(cb_yaml_node(&c->y, layers->data.sequence.items.start[net->failed])),
                            "%s", why);
    cb_net_hash(net);
    return CB_OK;
}

int cb_net_load_card(const char *path, cb_registry *reg, cb_net *net, cb_diag *d)
{
    memset(net, 0, sizeof *net);
    card c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.reg = reg;
    c.net = net;
    cb_diag_clear(d);
    if (cb_yamldoc_load(&c.y, path, d)) {
        cb_yamldoc_free(&c.y);
        return CB_EINVAL;
    }
    int rc = read_card(&c);
    cb_yamldoc_free(&c.y);
    if (rc)
        cb_net_free(net);
    return rc;
}
