/* core/pareto/skeleton.c: reading a network skeleton file (see skeleton.h). Every op reference
 * is {op: NAME, attrs: {...}}: NAME is looked up among the loaded op plugins, each attribute is
 * parsed by the one strict parser against the op's own schema, and every mistake is reported
 * at its place in the file. */
#include "pareto/skeleton.h"
#include "plugin/param.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    cb_skeleton *sk;
    cb_registry *reg;
    cb_diag *d;
    const char *width;        /* the width attribute's name */
} reader;

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? cb_yaml_str(n) : NULL;
}

static int fail(reader *r, const yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    cb_mark at = n ? cb_yaml_node_mark(n) : (cb_mark){1, 1};
    return cb_yaml_fail(&r->sk->y, r->d, at, fmt, a, b);
}

static int check_keys(reader *r, yaml_node_t *map, const char *const *allowed, int n)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&r->sk->y, p->key);
        const char *key = scalar(k), *guess = key ? cb_did_you_mean(key, allowed, n) : NULL;
        int ok = 0;
        for (int i = 0; i < n && key; i++)
            ok |= strcmp(key, allowed[i]) == 0;
        if (!ok && guess)
            return fail(r, k, "unknown key '%s' (did you mean '%s'?)", key, guess);
        if (!ok)
            return fail(r, k, "unknown key '%s'%s", key ? key : "?", "");
    }
    return CB_OK;
}

static int read_int(reader *r, yaml_node_t *map, const char *key, int64_t lo, int64_t hi,
                    int64_t *out)
{
    yaml_node_t *v = cb_yaml_get(&r->sk->y, map, key, NULL);
    if (!v)
        return fail(r, map, "missing required key '%s'%s", key, "");
    cb_param p = {key, CB_T_INT, NULL, (double)lo, (double)hi, NULL, "", "", 0};
    cb_value val;
    char why[256];
    if (!scalar(v) || cb_param_parse(&p, scalar(v), cb_yaml_is_quoted(v), &val, why, sizeof why))
        return fail(r, v, "%s: %s", key, scalar(v) ? why : "expected an integer");
    *out = val.i;
    return CB_OK;
}

static int read_attr(reader *r, const cb_op_vt *vt, const char *op, yaml_node_t *k,
                     yaml_node_t *v, cb_value *vals)
{
    const char *key = scalar(k);
    int i = key ? cb_param_index(vt->attrs, key) : -1;
    if (i < 0)
        return fail(r, k, "op '%s' has no attribute '%s'", op, key ? key : "?");
    char why[300];
    if (!scalar(v))
        return fail(r, v, "attribute '%s' takes one value%s", key, "");
    if (cb_param_parse(&vt->attrs[i], scalar(v), cb_yaml_is_quoted(v), &vals[i], why, sizeof why))
        return fail(r, v, "attribute '%s': %s", key, why);
    return CB_OK;
}

/* {op: NAME, attrs: {...}} into t. */
static int read_tmpl(reader *r, yaml_node_t *n, cb_optmpl *t)
{
    static const char *const keys[] = {"op", "attrs"};
    if (!n || n->type != YAML_MAPPING_NODE)
        return fail(r, n, "expected an op: {op: NAME, attrs: {...}}%s%s", "", "");
    if (check_keys(r, n, keys, 2))
        return CB_EINVAL;
    yaml_node_t *opn = cb_yaml_get(&r->sk->y, n, "op", NULL), *attrs;
    cb_error e = {0};
    const cb_entry *en = scalar(opn) ? cb_registry_find(r->reg, CB_KIND_OP, scalar(opn), &e) : NULL;
    if (!en)
        return fail(r, opn ? opn : n, "%s%s", scalar(opn) ? e.msg : "missing required key 'op'", "");
    const cb_op_vt *vt = en->plugin->vtable;
    char why[300];
    t->op = en->plugin;
    t->vals = cb_xcalloc((size_t)cb_param_count(vt->attrs) + 1, sizeof *t->vals);
    t->width = vt->attrs ? cb_param_index(vt->attrs, r->width) : -1;
    if (cb_param_defaults(vt->attrs, t->vals, why, sizeof why))
        return fail(r, opn, "op '%s': %s", t->op->name, why);
    attrs = cb_yaml_get(&r->sk->y, n, "attrs", NULL);
    if (attrs && attrs->type != YAML_MAPPING_NODE)
        return fail(r, attrs, "attrs of op '%s' must be a mapping%s", t->op->name, "");
    for (yaml_node_pair_t *p = attrs ? attrs->data.mapping.pairs.start : NULL;
         attrs && p < attrs->data.mapping.pairs.top; p++)
        if (read_attr(r, vt, t->op->name, cb_yaml_node(&r->sk->y, p->key),
                      cb_yaml_node(&r->sk->y, p->value), t->vals))
            return CB_EINVAL;
    for (int i = 0; vt->attrs && vt->attrs[i].name; i++) /* required: given, or the width */
        if (!vt->attrs[i].def && i != t->width &&
            !(attrs && cb_yaml_get(&r->sk->y, attrs, vt->attrs[i].name, NULL)))
            return fail(r, opn, "op '%s' needs attribute '%s'", t->op->name, vt->attrs[i].name);
    return CB_OK;
}

static int read_list(reader *r, yaml_node_t *root, const char *key, cb_optmpl **out, int *n)
{
    yaml_node_t *l = cb_yaml_get(&r->sk->y, root, key, NULL);
    if (!l || l->type != YAML_SEQUENCE_NODE || l->data.sequence.items.top == l->data.sequence.items.start)
        return fail(r, l ? l : root, "%s: expected a non-empty list of ops%s", key, "");
    *n = (int)(l->data.sequence.items.top - l->data.sequence.items.start);
    *out = cb_xcalloc((size_t)*n, sizeof **out);
    for (int i = 0; i < *n; i++)
        if (read_tmpl(r, cb_yaml_node(&r->sk->y, l->data.sequence.items.start[i]), &(*out)[i]))
            return CB_EINVAL;
    return CB_OK;
}

static const char *const role_keys[CB_SK_ROLES] = {"stem", "projection", "truncate", "sum",
                                                    "concatenate", "downsample"};

static int read_root(reader *r, yaml_node_t *root)
{
    static const char *const keys[] = {"stem", "stem_channels", "stacks", "cells_per_stack",
                                       "width", "cell_ops", "projection", "truncate", "sum",
                                       "concatenate", "downsample", "head"};
    cb_skeleton *sk = r->sk;
    if (!root || root->type != YAML_MAPPING_NODE)
        return fail(r, root, "a skeleton is a mapping: stem, stacks, cells, head%s%s", "", "");
    if (check_keys(r, root, keys, (int)(sizeof keys / sizeof keys[0])))
        return CB_EINVAL;
    yaml_node_t *w = cb_yaml_get(&sk->y, root, "width", NULL);
    if (!w)
        return fail(r, root, "missing required key '%s'%s", "width", "");
    if (!scalar(w))
        return fail(r, w ? w : root, "width: expected the name of the attribute that sets an op's "
                    "output channels%s%s", "", "");
    r->width = scalar(w);
    if (read_int(r, root, "stem_channels", 1, 1 << 20, &sk->stem_channels) ||
        read_int(r, root, "stacks", 1, 64, &sk->stacks) ||
        read_int(r, root, "cells_per_stack", 1, 64, &sk->cells_per_stack))
        return CB_EINVAL;
    for (int i = 0; i < CB_SK_ROLES; i++) {
        yaml_node_t *n = cb_yaml_get(&sk->y, root, role_keys[i], NULL);
        if (!n)
            return fail(r, root, "missing required key '%s'%s", role_keys[i], "");
        if (read_tmpl(r, n, &sk->role[i]))
            return CB_EINVAL;
    }
    return read_list(r, root, "cell_ops", &sk->cell_ops, &sk->n_cell_ops) ||
           read_list(r, root, "head", &sk->head, &sk->n_head);
}

int cb_skeleton_load(const char *path, cb_registry *reg, cb_skeleton *sk, cb_diag *d)
{
    memset(sk, 0, sizeof *sk);
    cb_diag_clear(d);
    if (cb_yamldoc_load(&sk->y, path, d))
        return CB_EINVAL;
    reader r = {sk, reg, d, NULL};
    if (read_root(&r, cb_yaml_root(&sk->y))) {
        cb_skeleton_free(sk);
        return CB_EINVAL;
    }
    return CB_OK;
}

static void free_list(cb_optmpl *t, int n)
{
    for (int i = 0; i < n; i++)
        free(t[i].vals);
    free(t);
}

void cb_skeleton_free(cb_skeleton *sk)
{
    for (int i = 0; i < CB_SK_ROLES; i++)
        free(sk->role[i].vals);
    free_list(sk->cell_ops, sk->n_cell_ops);
    free_list(sk->head, sk->n_head);
    cb_yamldoc_free(&sk->y);
    memset(sk, 0, sizeof *sk);
}
