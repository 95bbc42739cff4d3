/* core/manifest/schema.c: the mapping side of the schema walker (see schema.h): known keys,
 * required keys, defaults, nesting, handlers, cross-key checks, and freeing what a walk made. */
#include "manifest/schema.h"

#include "plugin/param.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A mapping being walked: a real mapping node, or a bare scalar that stands for
 * {scalar_key: scalar}, or nothing (an absent mapping: every key absent). */
typedef struct view {
    yaml_node_t *map;
    yaml_node_t *scalar;
    const char *scalar_key;
} view;

static yaml_node_t *view_get(cb_walk *w, const view *v, const char *key, yaml_node_t **key_node)
{
    *key_node = NULL;
    if (v->scalar)
        return strcmp(key, v->scalar_key) == 0 ? v->scalar : NULL;
    return cb_yaml_get(w->doc, v->map, key, key_node);
}

static size_t count_keys(const cb_table *t)
{
    size_t n = 0;
    while (t->keys[n].p.name)
        n++;
    return n;
}

static int unknown_key(cb_walk *w, const cb_table *t, yaml_node_t *key)
{
    size_t n = count_keys(t);
    const char **names = cb_xcalloc(n, sizeof *names);
    char list[400] = "";
    for (size_t i = 0, at = 0; i < n; i++) {
        names[i] = t->keys[i].p.name;
        at += (size_t)snprintf(list + at, at < sizeof list ? sizeof list - at : 0, "%s%s",
                               i ? ", " : "", names[i]);
    }
    const char *guess = cb_did_you_mean(cb_yaml_str(key), names, (int)n);
    char where[300], hint[500];
    if (w->path[0])
        snprintf(where, sizeof where, "key '%s' in %s", cb_yaml_str(key), w->path);
    else
        snprintf(where, sizeof where, "top-level key '%s'", cb_yaml_str(key));
    if (guess)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    else
        snprintf(hint, sizeof hint, "expected one of: %s", list);
    free(names);
    return cb_walk_fail(w, cb_yaml_node_mark(key), "unknown %s (%s)", where, hint);
}

static const cb_key *find_key(const cb_table *t, const char *name)
{
    for (const cb_key *k = t->keys; k->p.name; k++)
        if (strcmp(k->p.name, name) == 0)
            return k;
    return NULL;
}

/* Every key must be a plain name and known, checked in file order before any value so that
 * a misspelt key is reported as such, not as the missing key it was meant to be. */
static int check_keys(cb_walk *w, const cb_table *t, yaml_node_t *map)
{
    char got[128];
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *key = cb_yaml_node(w->doc, pr->key);
        if (key->type != YAML_SCALAR_NODE)
            return cb_walk_fail(w, cb_yaml_node_mark(key), "%s%sa key must be a name, not %s",
                                w->path, w->path[0] ? ": " : "", cb_node_desc(key, got, sizeof got));
        if (!find_key(t, cb_yaml_str(key)))
            return unknown_key(w, t, key);
    }
    return CB_OK;
}

static void store(cb_type type, void *field, cb_value v)
{
    switch (type) {
    case CB_T_INT: *(int64_t *)field = v.i; break;
    case CB_T_REAL: *(double *)field = v.r; break;
    case CB_T_BOOL: *(int *)field = v.b; break;
    case CB_T_ENUM: *(int *)field = v.e; break;
    case CB_T_STR: *(const char **)field = v.s; break;
    }
}

/* A schema default that does not parse is a bug in a key table, caught by the tests. */
static int absent(cb_walk *w, const cb_key *k, void *field)
{
    char why[512];
    cb_value v;
    if (k->flags & CB_K_REQUIRED) {
        size_t len = strlen(w->path) - strlen(k->p.name);
        len -= len > 0; /* the '.' before the name */
        if (len == 0)
            return cb_walk_fail(w, w->here, "missing required top-level key '%s'", k->p.name);
        return cb_walk_fail(w, w->here, "missing required key '%s' in %.*s", k->p.name, (int)len,
                            w->path);
    }
    switch (k->node) {
    case CB_N_SCALAR:
        if (k->p.def && cb_param_parse(&k->p, k->p.def, false, &v, why, sizeof why))
            return cb_walk_fail(w, w->here, "%s: bad default in the schema: %s", w->path, why);
        if (k->p.def)
            store(k->p.type, field, v);
        return CB_OK;
    case CB_N_LIST:
        if (k->p.def && cb_list_default(&k->p, field, why, sizeof why))
            return cb_walk_fail(w, w->here, "%s: bad default in the schema: %s", w->path, why);
        return CB_OK;
    case CB_N_MAP: return cb_walk_map(w, k->sub, NULL, NULL, field);
    default: return (k->flags & CB_K_ALWAYS) ? k->fn(w, k, NULL, field) : CB_OK;
    }
}

static int present(cb_walk *w, const cb_key *k, yaml_node_t *key, yaml_node_t *val, void *field)
{
    cb_value v;
    switch (k->node) {
    case CB_N_SCALAR:
        if (cb_walk_scalar(w, &k->p, k->flags, val, &v))
            return CB_EINVAL;
        store(k->p.type, field, v);
        return CB_OK;
    case CB_N_LIST: return cb_walk_list(w, &k->p, k->flags, val, field);
    case CB_N_MAP: return cb_walk_map(w, k->sub, val, key, field);
    default: return k->fn(w, k, val, field);
    }
}

static int walk_rows(cb_walk *w, const cb_table *t, const view *v, void *target)
{
    for (const cb_key *k = t->keys; k->p.name; k++) {
        yaml_node_t *key, *val = view_get(w, v, k->p.name, &key);
        size_t len = cb_walk_push(w, k->p.name, 0);
        void *field = (char *)target + k->offset;
        int rc = val ? present(w, k, key, val, field) : absent(w, k, field);
        cb_walk_pop(w, len);
        if (rc)
            return rc;
    }
    return CB_OK;
}

static int wrong_shape(cb_walk *w, const cb_table *t, yaml_node_t *node)
{
    char got[128];
    const char *want = t->scalar_key ? "a plugin name or a mapping" : "a mapping";
    if (cb_yaml_is_null(node))
        return cb_walk_fail(w, cb_yaml_node_mark(node), "%s: missing value (expected %s)", w->path,
                            want);
    return cb_walk_fail(w, cb_yaml_node_mark(node), "%s%sexpected %s, got %s", w->path,
                        w->path[0] ? ": " : "", want, cb_node_desc(node, got, sizeof got));
}

int cb_walk_map(cb_walk *w, const cb_table *t, yaml_node_t *node, yaml_node_t *owner, void *target)
{
    view v = {NULL, NULL, t->scalar_key};
    if (node && node->type == YAML_SCALAR_NODE && t->scalar_key && !cb_yaml_is_null(node))
        v.scalar = node;
    else if (node && node->type != YAML_MAPPING_NODE)
        return wrong_shape(w, t, node);
    else
        v.map = node;
    cb_mark outer = w->here;
    if (node)
        w->here = cb_yaml_node_mark(owner ? owner : node);
    int rc = v.map ? check_keys(w, t, v.map) : CB_OK;
    if (rc == CB_OK)
        rc = walk_rows(w, t, &v, target);
    if (rc == CB_OK && t->check)
        rc = t->check(w, node, target);
    w->here = outer;
    return rc;
}

void cb_table_free(const cb_table *t, void *target)
{
    for (const cb_key *k = t->keys; k->p.name; k++) {
        void *field = (char *)target + k->offset;
        if (k->node == CB_N_MAP)
            cb_table_free(k->sub, field);
        else if (k->node == CB_N_LIST)
            cb_list_free(field);
        else if (k->node == CB_N_FN && k->free)
            k->free(field);
    }
}
