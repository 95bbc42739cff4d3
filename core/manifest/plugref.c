/* core/manifest/plugref.c: see plugref.h. */
#include "manifest/plugref.h"
#include "manifest/manifest.h"

#include "plugin/param.h"
#include "util/util.h"

#include <codebench/codebench.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_of(const cb_plugin_ref *r)
{
    return cb_kind_name((cb_kind)r->kind);
}

const cb_param *cb_ref_params(const cb_plugin_ref *r)
{
    return r->entry ? r->entry->plugin->params : NULL;
}

const cb_param *cb_ref_attr_schema(const cb_plugin_ref *r)
{
    if (!r->entry || r->entry->plugin->kind != CB_KIND_OP)
        return NULL;
    const cb_op_vt *vt = r->entry->plugin->vtable;
    /* A vtable from an older minor may end before attrs (plugin.h, rule 2). */
    if (!vt || vt->size < offsetof(cb_op_vt, attrs) + sizeof vt->attrs)
        return NULL;
    return vt->attrs;
}

int cb_ref_plugin_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_plugin_ref *r = field;
    char got[128];
    if (k->arg)
        r->kind = k->arg;
    cb_mark at = cb_yaml_node_mark(node);
    if (node->type != YAML_SCALAR_NODE || cb_yaml_is_null(node))
        return cb_walk_fail(w, at, "%s: expected the name of a %s plugin, got %s", w->path,
                            kind_of(r), cb_node_desc(node, got, sizeof got));
    cb_error e = {0};
    r->entry = cb_registry_find(w->reg, (cb_kind)r->kind, cb_yaml_str(node), &e);
    if (!r->entry)
        return cb_walk_fail(w, at, "%s", e.msg);
    r->at = at;
    return CB_OK;
}

/* "parameter 'banks' = 100 is out of range 1..64" when the reason starts with the value,
 * "parameter 'banks': expected an integer, got '8x'" otherwise. */
static int bad_value(cb_walk *w, const cb_plugin_ref *r, const char *what, const cb_param *p,
                     yaml_node_t *node, const char *why)
{
    const char *text = node->type == YAML_SCALAR_NODE ? cb_yaml_str(node) : "";
    size_t n = strlen(text);
    bool about_value = n && strncmp(why, text, n) == 0 && why[n] == ' ';
    return cb_walk_fail(w, cb_yaml_node_mark(node), "%s plugin '%s': %s '%s'%s%s", kind_of(r),
                        r->entry->plugin->name, what, p->name, about_value ? " = " : ": ", why);
}

/* One value for parameter or attribute p of r's plugin. */
static int plugin_value(cb_walk *w, const cb_plugin_ref *r, const char *what, const cb_param *p,
                        yaml_node_t *node, cb_value *out)
{
    char why[512], want[300], got[128];
    if (node->type != YAML_SCALAR_NODE) {
        snprintf(why, sizeof why, "expected %s, got %s", cb_type_desc(p, want, sizeof want),
                 cb_node_desc(node, got, sizeof got));
        return bad_value(w, r, what, p, node, why);
    }
    if (cb_yaml_is_null(node)) {
        snprintf(why, sizeof why, "missing value (expected %s)", cb_type_desc(p, want, sizeof want));
        return bad_value(w, r, what, p, node, why);
    }
    if (cb_param_parse(p, cb_yaml_str(node), cb_yaml_is_quoted(node), out, why, sizeof why))
        return bad_value(w, r, what, p, node, why);
    return CB_OK;
}

/* The index of key in schema, or an "unknown parameter" error with a did-you-mean. */
static int schema_index(cb_walk *w, const cb_plugin_ref *r, const char *what, const cb_param *schema,
                        yaml_node_t *key, int *index)
{
    char got[128];
    if (key->type != YAML_SCALAR_NODE)
        return cb_walk_fail(w, cb_yaml_node_mark(key), "%s plugin '%s': a %s name must be a name, not %s",
                            kind_of(r), r->entry->plugin->name, what, cb_node_desc(key, got, sizeof got));
    *index = cb_param_index(schema, cb_yaml_str(key));
    if (*index >= 0)
        return CB_OK;
    int n = cb_param_count(schema);
    const char **names = cb_xcalloc((size_t)n + 1, sizeof *names);
    char list[400] = "";
    for (int i = 0, at = 0; i < n; i++) {
        names[i] = schema[i].name;
        at += snprintf(list + at, (size_t)at < sizeof list ? sizeof list - (size_t)at : 0, "%s%s",
                       i ? ", " : "", names[i]);
    }
    const char *guess = cb_did_you_mean(cb_yaml_str(key), names, n);
    char hint[512];
    if (guess)
        snprintf(hint, sizeof hint, "did you mean '%s'?", guess);
    else if (n)
        snprintf(hint, sizeof hint, "its %ss: %s", what, list);
    else
        snprintf(hint, sizeof hint, "it takes no %ss", what);
    free(names);
    return cb_walk_fail(w, cb_yaml_node_mark(key), "unknown %s '%s' for %s plugin '%s' (%s)", what,
                        cb_yaml_str(key), kind_of(r), r->entry->plugin->name, hint);
}

static int need_mapping(cb_walk *w, yaml_node_t *node, const char *of)
{
    char got[128];
    if (node->type == YAML_MAPPING_NODE)
        return CB_OK;
    if (cb_yaml_is_null(node))
        return cb_walk_fail(w, cb_yaml_node_mark(node), "%s: missing value (expected a mapping of %s)",
                            w->path, of);
    return cb_walk_fail(w, cb_yaml_node_mark(node), "%s: expected a mapping of %s, got %s", w->path,
                        of, cb_node_desc(node, got, sizeof got));
}

/* A CB_P_PATH value is relative to the manifest's folder, like the core's own paths. */
static void resolve_path(cb_walk *w, cb_plugin_ref *r, const cb_param *p, int i)
{
    const char *v = r->values[i].s;
    if (!(p->flags & CB_P_PATH) || p->type != CB_T_STR || !w->user || !v || !v[0] || v[0] == '/')
        return;
    if (!r->paths)
        r->paths = cb_xcalloc(r->n_values, sizeof *r->paths);
    free(r->paths[i]);
    r->paths[i] = cb_manifest_resolve(w->user, v);
    r->values[i].s = r->paths[i];
}

static int params_given(cb_walk *w, cb_plugin_ref *r, const cb_param *schema, yaml_node_t *map)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *key = cb_yaml_node(w->doc, pr->key), *val = cb_yaml_node(w->doc, pr->value);
        int i;
        if (schema_index(w, r, "parameter", schema, key, &i) ||
            plugin_value(w, r, "parameter", &schema[i], val, &r->values[i]))
            return CB_EINVAL;
        r->marks[i] = cb_yaml_node_mark(val);
        resolve_path(w, r, &schema[i], i);
    }
    return CB_OK;
}

int cb_ref_params_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_plugin_ref *r = field;
    const cb_param *schema = cb_ref_params(r);
    size_t n = (size_t)cb_param_count(schema);
    char why[512];
    r->values = cb_xcalloc(n, sizeof *r->values);
    r->marks = cb_xcalloc(n, sizeof *r->marks);
    r->n_values = n;
    /* Defaults were linted when the pack loaded; this only fails for a registry bug. */
    if (schema && cb_param_defaults(schema, r->values, why, sizeof why))
        return cb_walk_fail(w, r->at, "%s plugin '%s': %s", kind_of(r), r->entry->plugin->name, why);
    if (node && (need_mapping(w, node, "parameters") || params_given(w, r, schema, node)))
        return CB_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!schema[i].def && !r->marks[i].line)
            return cb_walk_fail(w, node ? cb_yaml_node_mark(node) : r->at,
                                "%s plugin '%s': missing required parameter '%s'", kind_of(r),
                                r->entry->plugin->name, schema[i].name);
    return CB_OK;
}

/* One attribute's allowed values: a single value or a non-empty list of distinct values. */
static int attr_values(cb_walk *w, const cb_plugin_ref *r, const cb_param *p, yaml_node_t *node,
                       cb_list *l)
{
    bool seq = node->type == YAML_SEQUENCE_NODE;
    yaml_node_item_t *it = seq ? node->data.sequence.items.start : NULL;
    size_t n = seq ? (size_t)(node->data.sequence.items.top - it) : 1;
    if (n == 0)
        return bad_value(w, r, "attribute", p, node,
                         "the list is empty (leave the attribute out to keep all its choices)");
    l->v = cb_xcalloc(n, sizeof *l->v);
    l->at = cb_xcalloc(n, sizeof *l->at);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = seq ? cb_yaml_node(w->doc, it[i]) : node;
        cb_value v;
        if (plugin_value(w, r, "attribute", p, item, &v))
            return CB_EINVAL;
        for (size_t j = 0; j < l->n; j++)
            if (cb_value_equal(p, l->v[j], v))
                return cb_walk_fail(w, cb_yaml_node_mark(item),
                                    "%s plugin '%s': attribute '%s': %s is listed twice (first at %d:%d)",
                                    kind_of(r), r->entry->plugin->name, p->name, cb_yaml_str(item),
                                    l->at[j].line, l->at[j].col);
        l->v[l->n] = v;
        l->at[l->n++] = cb_yaml_node_mark(item);
    }
    return CB_OK;
}

int cb_ref_attrs_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_plugin_ref *r = field;
    const cb_param *schema = cb_ref_attr_schema(r);
    r->n_attrs = (size_t)cb_param_count(schema);
    r->attrs = cb_xcalloc(r->n_attrs, sizeof *r->attrs);
    if (!node)
        return CB_OK;
    if (need_mapping(w, node, "attributes"))
        return CB_EINVAL;
    for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
        yaml_node_t *key = cb_yaml_node(w->doc, pr->key), *val = cb_yaml_node(w->doc, pr->value);
        int i;
        if (schema_index(w, r, "attribute", schema, key, &i) ||
            attr_values(w, r, &schema[i], val, &r->attrs[i]))
            return CB_EINVAL;
    }
    return CB_OK;
}

static bool lists_equal(const cb_param *p, const cb_list *a, const cb_list *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!cb_value_equal(p, a->v[i], b->v[i]))
            return false;
    return true;
}

static bool refs_equal(const cb_plugin_ref *a, const cb_plugin_ref *b)
{
    if (a->entry != b->entry)
        return false;
    const cb_param *ps = cb_ref_params(a), *as = cb_ref_attr_schema(a);
    for (size_t i = 0; i < a->n_values; i++)
        if (!cb_value_equal(&ps[i], a->values[i], b->values[i]))
            return false;
    for (size_t i = 0; i < a->n_attrs; i++)
        if (!lists_equal(&as[i], &a->attrs[i], &b->attrs[i]))
            return false;
    return true;
}

static int refuse_repeats(cb_walk *w, const cb_ref_list *l)
{
    for (size_t j = 1; j < l->n; j++)
        for (size_t i = 0; i < j; i++)
            if (refs_equal(&l->v[i], &l->v[j]))
                return cb_walk_fail(w, l->v[j].at,
                                    "%s[%zu]: %s plugin '%s' is listed twice with the same settings "
                                    "(first at %d:%d)", w->path, j, kind_of(&l->v[j]),
                                    l->v[j].entry->plugin->name, l->v[i].at.line, l->v[i].at.col);
    return CB_OK;
}

int cb_ref_list_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_ref_list *l = field;
    char got[128];
    cb_mark at = cb_yaml_node_mark(node);
    if (node->type == YAML_SCALAR_NODE && cb_yaml_is_null(node))
        return cb_walk_fail(w, at, "%s: missing value (expected a list of %s plugins)", w->path,
                            cb_kind_name((cb_kind)k->arg));
    if (node->type != YAML_SEQUENCE_NODE)
        return cb_walk_fail(w, at, "%s: expected a list of %s plugins, got %s%s%s%s", w->path,
                            cb_kind_name((cb_kind)k->arg), cb_node_desc(node, got, sizeof got),
                            node->type == YAML_SCALAR_NODE ? " (write [" : "",
                            node->type == YAML_SCALAR_NODE ? cb_yaml_str(node) : "",
                            node->type == YAML_SCALAR_NODE ? "] for a list of one)" : "");
    yaml_node_item_t *it = node->data.sequence.items.start, *end = node->data.sequence.items.top;
    if (it == end)
        return cb_walk_fail(w, at, "%s: the list is empty (name at least one %s plugin)", w->path,
                            cb_kind_name((cb_kind)k->arg));
    l->v = cb_xcalloc((size_t)(end - it), sizeof *l->v);
    for (; it < end; it++) {
        cb_plugin_ref *r = &l->v[l->n++];
        r->kind = k->arg;
        size_t len = cb_walk_push(w, NULL, l->n - 1);
        int rc = cb_walk_map(w, k->sub, cb_yaml_node(w->doc, *it), NULL, r);
        cb_walk_pop(w, len);
        if (rc)
            return rc;
    }
    return refuse_repeats(w, l);
}

void cb_ref_free(void *ref)
{
    cb_plugin_ref *r = ref;
    for (size_t i = 0; r->paths && i < r->n_values; i++)
        free(r->paths[i]);
    free(r->paths);
    r->paths = NULL;
    free(r->values);
    free(r->marks);
    for (size_t i = 0; i < r->n_attrs; i++)
        cb_list_free(&r->attrs[i]);
    free(r->attrs);
    r->values = NULL;
    r->marks = NULL;
    r->attrs = NULL;
    r->n_values = r->n_attrs = 0;
}

void cb_ref_list_free(void *list)
{
    cb_ref_list *l = list;
    for (size_t i = 0; i < l->n; i++)
        cb_ref_free(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Rows: {param (name, type, ..., help), node, flags, offset, sub, fn, free, arg}. The help
 * texts are what docs/manifest.md says about each key. */
#define PLUGIN_ROW                                                                        \
    {{.name = "plugin", .type = CB_T_STR, .help = "the plugin's name, or PACK/NAME"},    \
     CB_N_FN, CB_K_REQUIRED, 0, NULL, cb_ref_plugin_fn, NULL, 0}
#define END_ROW {{.name = NULL}, 0, 0, 0, NULL, NULL, NULL, 0}

static const cb_key ref_keys[] = {
    PLUGIN_ROW,
    {{.name = "params", .type = CB_T_STR, .help = "the plugin's parameters: NAME: value"},
     CB_N_FN, CB_K_ALWAYS, 0, NULL, cb_ref_params_fn, NULL, 0},
    END_ROW,
};
static const cb_key op_ref_keys[] = {
    PLUGIN_ROW,
    {{.name = "attrs", .type = CB_T_STR, .help = "narrows the op's attribute choices: ATTR: value or [values]"},
     CB_N_FN, CB_K_ALWAYS, 0, NULL, cb_ref_attrs_fn, NULL, 0},
    END_ROW,
};

const cb_table cb_ref_table = {ref_keys, "plugin", NULL};
const cb_table cb_op_ref_table = {op_ref_keys, "plugin", NULL};
