/* core/graph/spacefile.c: a space file into a cb_modspace (see spacefile.h). One function per
 * section; every value is checked where it is read, so an error points at it. */
#include "graph/spacefile.h"
#include "manifest/yamldoc.h"
#include "plugin/param.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    cb_yamldoc y;
    cb_diag *d;
    cb_registry *reg;
    cb_modspace *sp;
} reader;

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int fail(reader *r, const yaml_node_t *n, const char *fmt, const char *a, const char *b)
{
    return cb_yaml_fail(&r->y, r->d, cb_yaml_node_mark(n), fmt, a, b);
}

static int check_keys(reader *r, yaml_node_t *map, const char *const *allowed, int n, const char *what)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return fail(r, map, "%s: expected a mapping%s", what, "");
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&r->y, p->key);
        const char *key = scalar(k);
        bool ok = false;
        for (int i = 0; i < n && key; i++)
            ok |= strcmp(key, allowed[i]) == 0;
        if (!ok) {
            const char *guess = key ? cb_did_you_mean(key, allowed, n) : NULL;
            char hint[96] = "";
            if (guess)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
            return fail(r, k, "unknown key '%s'%s", key ? key : "?", hint);
        }
    }
    return CB_OK;
}

/* An optional integer key in lo..hi (def when absent). */
static int read_int(reader *r, yaml_node_t *map, const char *key, int64_t lo, int64_t hi, int64_t def, int64_t *out)
{
    yaml_node_t *v = map ? cb_yaml_get(&r->y, map, key, NULL) : NULL;
    *out = def;
    if (!v)
        return def < lo ? cb_yaml_fail(&r->y, r->d, cb_yaml_node_mark(map), "missing required key '%s'", key)
                        : CB_OK;
    cb_param p = {key, CB_T_INT, NULL, (double)lo, (double)hi, NULL, "", "", 0};
    cb_value val;
    char why[256];
    if (!scalar(v) || cb_param_parse(&p, scalar(v), cb_yaml_is_quoted(v), &val, why, sizeof why))
        return fail(r, v, "%s: %s", key, scalar(v) ? why : "expected an integer");
    *out = val.i;
    return CB_OK;
}

/* attrs: {name: value or [values]} narrowing c. */
static int read_attrs(reader *r, yaml_node_t *attrs, cb_opchoice *c)
{
    if (attrs->type != YAML_MAPPING_NODE)
        return fail(r, attrs, "attrs of op '%s' must be a mapping%s", c->op, "");
    for (yaml_node_pair_t *p = attrs->data.mapping.pairs.start; p < attrs->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&r->y, p->key), *v = cb_yaml_node(&r->y, p->value);
        const char *texts[256];
        bool quoted[256];
        int n = 0;
        if (v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top && n < 256; it++) {
                yaml_node_t *e = cb_yaml_node(&r->y, *it);
                if (!scalar(e))
                    return fail(r, e, "attribute '%s': a list of values%s", scalar(k) ? scalar(k) : "?", "");
                texts[n] = scalar(e);
                quoted[n++] = cb_yaml_is_quoted(e);
            }
        } else if (scalar(v)) {
            texts[n] = scalar(v);
            quoted[n++] = cb_yaml_is_quoted(v);
        }
        char why[400];
        if (!scalar(k))
            return fail(r, k, "attribute names are text%s%s", "", "");
        if (cb_param_index(c->vt->attrs, scalar(k)) < 0) {
            int na = cb_param_count(c->vt->attrs);
            const char **names = cb_xcalloc((size_t)na + 1, sizeof *names);
            for (int i = 0; i < na; i++)
                names[i] = c->vt->attrs[i].name;
            const char *guess = cb_did_you_mean(scalar(k), names, na);
            snprintf(why, sizeof why, "op '%s' has no attribute '%s'%s%s%s", c->op, scalar(k),
                     guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
            free(names);
            return fail(r, k, "%s%s", why, "");
        }
        if (cb_opchoice_narrow(c, scalar(k), texts, quoted, n, why, sizeof why))
            return fail(r, v, "%s%s", why, "");
    }
    return CB_OK;
}

static const char *const op_keys[] = {"op", "attrs"};

/* NAME or {op: NAME, attrs: {...}} appended to set; space: unlisted design-space attributes
 * take all their choices (else their defaults). */
static int read_op(reader *r, yaml_node_t *item, cb_opset *set, bool space)
{
    yaml_node_t *name = item, *attrs = NULL;
    if (item->type == YAML_MAPPING_NODE) {
        if (check_keys(r, item, op_keys, 2, "an op"))
            return CB_EINVAL;
        name = cb_yaml_get(&r->y, item, "op", NULL);
        attrs = cb_yaml_get(&r->y, item, "attrs", NULL);
        if (!name)
            return fail(r, item, "missing required key 'op'%s%s", "", "");
    }
    if (!scalar(name))
        return fail(r, name, "an op is a name or {op: NAME, attrs: {...}}%s%s", "", "");
    cb_error e;
    memset(&e, 0, sizeof e);
    const cb_entry *en = cb_registry_find(r->reg, CB_KIND_OP, scalar(name), &e);
    if (!en)
        return fail(r, name, "%s%s", e.msg, "");
    cb_opchoice c;
    char why[400];
    if (cb_opchoice_init(&c, en->plugin->name, en->plugin->vtable, space, why, sizeof why)) {
        cb_opchoice_free(&c);
        return fail(r, name, "%s%s", why, "");
    }
    if (attrs && read_attrs(r, attrs, &c)) {
        cb_opchoice_free(&c);
        return CB_EINVAL;
    }
    cb_opset_add(set, &c);
    return CB_OK;
}

static int read_ops(reader *r, yaml_node_t *list, cb_opset *set, const char *what, bool space)
{
    if (!list)
        return CB_OK;
    if (list->type != YAML_SEQUENCE_NODE)
        return read_op(r, list, set, space);
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++)
        if (read_op(r, cb_yaml_node(&r->y, *it), set, space))
            return CB_EINVAL;
    if (set->total == 0)
        return fail(r, list, "%s: give at least one op%s", what, "");
    return CB_OK;
}

/* A glue op: one op with one value per attribute. */
static int read_glue_op(reader *r, yaml_node_t *glue, const char *key, cb_opset *set, int32_t *id)
{
    yaml_node_t *v = cb_yaml_get(&r->y, glue, key, NULL);
    if (!v)
        return fail(r, glue, "glue: missing required key '%s'%s", key, "");
    if (read_op(r, v, set, false))
        return CB_EINVAL;
    if (set->n != 1 || set->total != 1)
        return fail(r, v, "glue.%s: one op with one value per attribute%s", key, "");
    *id = cb_opset_label(set, 0, &r->sp->voc);
    return CB_OK;
}

static const char *const glue_keys[] = {"sum", "join", "projection", "width"};

static int read_glue(reader *r, yaml_node_t *glue)
{
    cb_glue *g = &r->sp->glue;
    if (!glue)
        return fail(r, cb_yaml_root(&r->y), "missing required key 'glue'%s%s", "", "");
    if (check_keys(r, glue, glue_keys, 4, "glue") || read_glue_op(r, glue, "sum", &g->sum, &g->sum_id) ||
        read_glue_op(r, glue, "join", &g->concat, &g->concat_id) ||
        read_glue_op(r, glue, "projection", &g->projection, &g->projection_id))
        return CB_EINVAL;
    yaml_node_t *w = cb_yaml_get(&r->y, glue, "width", NULL);
    const cb_op_vt *vt = g->projection.v[0].vt;
    g->width_attr = scalar(w) ? cb_param_index(vt->attrs, scalar(w)) : -1;
    if (g->width_attr < 0 || vt->attrs[g->width_attr].type != CB_T_INT)
        return fail(r, w ? w : glue, "glue.width: name the projection's integer attribute that takes the width%s%s",
                    "", "");
    return CB_OK;
}

static const char *const input_keys[] = {"channels", "height", "width"};

static int read_shape(reader *r, yaml_node_t *root)
{
    yaml_node_t *in = cb_yaml_get(&r->y, root, "input", NULL);
    int64_t c, h, w, classes;
    if (!in)
        return fail(r, root, "missing required key 'input'%s%s", "", "");
    if (check_keys(r, in, input_keys, 3, "input") || read_int(r, in, "channels", 1, 4096, -1, &c) ||
        read_int(r, in, "height", 1, 8192, -1, &h) || read_int(r, in, "width", 1, 8192, -1, &w) ||
        read_int(r, root, "classes", 2, 100000, -1, &classes))
        return CB_EINVAL;
    r->sp->input = (cb_shape){1, (int32_t)c, 1, (int32_t)h, (int32_t)w};
    r->sp->classes = (int32_t)classes;
    return CB_OK;
}

static const char *const module_keys[] = {"max_vertices", "max_edges"};
static const char *const stacks_keys[] = {"max_modules", "levels"};

static int read_levels(reader *r, yaml_node_t *stacks)
{
    cb_modspace *sp = r->sp;
    yaml_node_t *l = stacks ? cb_yaml_get(&r->y, stacks, "levels", NULL) : NULL;
    static const int def[] = {10, 5, 1};
    if (!l) {
        for (int i = 0; i < 3; i++)
            if (def[i] <= sp->max_modules)
                sp->levels[sp->n_levels++] = def[i];
        return CB_OK;
    }
    if (l->type != YAML_SEQUENCE_NODE)
        return fail(r, l, "stacks.levels: a list of modules per stack, coarsest first%s%s", "", "");
    for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top; it++) {
        yaml_node_t *e = cb_yaml_node(&r->y, *it);
        char *end = NULL;
        long v = scalar(e) ? strtol(scalar(e), &end, 10) : 0;
        int n = sp->n_levels;
        if (!scalar(e) || *end || v < 1 || v > sp->max_modules || n == CB_MAX_LEVELS ||
            (n && (v >= sp->levels[n - 1] || sp->levels[n - 1] % v)))
            return fail(r, e, "stacks.levels: each level is 1..max_modules, smaller than the one before and "
                              "divides it%s%s", "", "");
        sp->levels[sp->n_levels++] = (int)v;
    }
    return CB_OK;
}

static int read_limits(reader *r, yaml_node_t *root)
{
    cb_modspace *sp = r->sp;
    yaml_node_t *mod = cb_yaml_get(&r->y, root, "module", NULL), *st = cb_yaml_get(&r->y, root, "stacks", NULL);
    int64_t mv, me, mm;
    if ((mod && check_keys(r, mod, module_keys, 2, "module")) || (st && check_keys(r, st, stacks_keys, 2, "stacks")) ||
        read_int(r, mod, "max_vertices", 3, CB_FORMS_MAXV, 5, &mv) || read_int(r, mod, "max_edges", 2, 28, 8, &me) ||
        read_int(r, st, "max_modules", 1, 90, 90, &mm))
        return CB_EINVAL;
    sp->max_vertices = (int)mv;
    sp->max_edges = (int)me;
    sp->max_modules = (int)mm;
    return read_levels(r, st);
}

static const char *const head_keys[] = {"max_vertices", "reduce", "hidden", "classifier"};

static int read_head(reader *r, yaml_node_t *root)
{
    cb_modspace *sp = r->sp;
    yaml_node_t *h = cb_yaml_get(&r->y, root, "head", NULL);
    int64_t hv;
    if (!h)
        return fail(r, root, "missing required key 'head'%s%s", "", "");
    if (check_keys(r, h, head_keys, 4, "head") || read_int(r, h, "max_vertices", 4, CB_MODULE_MAXV, 8, &hv))
        return CB_EINVAL;
    sp->head_max = (int)hv;
    yaml_node_t *f = cb_yaml_get(&r->y, h, "reduce", NULL), *c = cb_yaml_get(&r->y, h, "classifier", NULL);
    if (!f || !c)
        return fail(r, h, "head: missing required key '%s'%s", f ? "classifier" : "reduce", "");
    if (read_ops(r, f, &sp->flatten, "head.reduce", true) ||
        read_ops(r, cb_yaml_get(&r->y, h, "hidden", NULL), &sp->dense, "head.hidden", true))
        return CB_EINVAL;
    return read_ops(r, c, &sp->classifier, "head.classifier", false);
}

static const char *const top_keys[] = {"name", "notes", "input", "classes", "glue", "module", "stacks", "ops", "head"};

static int read_space(reader *r)
{
    cb_modspace *sp = r->sp;
    yaml_node_t *root = cb_yaml_root(&r->y);
    if (!root || root->type != YAML_MAPPING_NODE)
        return cb_yaml_fail(&r->y, r->d, (cb_mark){1, 1}, "a space file is a mapping (docs/cnnbench.md)");
    if (check_keys(r, root, top_keys, 9, "the space"))
        return CB_EINVAL;
    const char *name = scalar(cb_yaml_get(&r->y, root, "name", NULL));
    sp->name = cb_xstrdup(name ? name : r->y.path);
    sp->algo = CB_HASH_SHA256;
    yaml_node_t *ops = cb_yaml_get(&r->y, root, "ops", NULL);
    if (!ops)
        return fail(r, root, "missing required key 'ops'%s%s", "", "");
    if (read_shape(r, root) || read_limits(r, root) || read_glue(r, cb_yaml_get(&r->y, root, "glue", NULL)) ||
        read_ops(r, ops, &sp->ops, "ops", true) || read_head(r, root))
        return CB_EINVAL;
    if (cb_modspace_ready(sp))
        return fail(r, root, "the space's limits leave no graphs%s%s", "", "");
    return CB_OK;
}

int cb_spacefile_load(const char *path, cb_registry *reg, cb_modspace *sp, cb_diag *d)
{
    memset(sp, 0, sizeof *sp);
    cb_vocab_init(&sp->voc);
    reader r;
    memset(&r, 0, sizeof r);
    r.d = d;
    r.reg = reg;
    r.sp = sp;
    cb_diag_clear(d);
    if (cb_yamldoc_load(&r.y, path, d)) {
        cb_yamldoc_free(&r.y);
        return CB_EINVAL;
    }
    int rc = read_space(&r);
    cb_yamldoc_free(&r.y);
    if (rc)
        cb_modspace_free(sp);
    return rc;
}
