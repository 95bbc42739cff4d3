/* core/manifest/schema_value.c: the scalar side of the schema walker (see schema.h): one
 * scalar or a list of scalars against a cb_param, through the one strict parser
 * (cb_param_parse), and the words used in "expected X, got Y" messages. */
#include "manifest/schema.h"

#include "plugin/param.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_walk_fail(cb_walk *w, cb_mark at, const char *fmt, ...)
{
    char msg[sizeof w->d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cb_yaml_fail(w->doc, w->d, at, "%s", msg);
}

size_t cb_walk_push(cb_walk *w, const char *name, size_t index)
{
    size_t len = strlen(w->path), room = sizeof w->path - len;
    if (name)
        snprintf(w->path + len, room, "%s%s", len ? "." : "", name);
    else
        snprintf(w->path + len, room, "[%zu]", index);
    return len;
}

void cb_walk_pop(cb_walk *w, size_t len)
{
    w->path[len] = '\0';
}

const char *cb_node_desc(const yaml_node_t *n, char *buf, size_t len)
{
    if (n->type == YAML_MAPPING_NODE)
        return snprintf(buf, len, "a mapping"), buf;
    if (n->type == YAML_SEQUENCE_NODE)
        return snprintf(buf, len, "a list"), buf;
    if (cb_yaml_is_null(n))
        return snprintf(buf, len, "no value"), buf;
    const char *s = cb_yaml_str(n);
    /* Long values are cut: the caret already shows where they are. */
    int cut = strlen(s) > 40 ? 37 : 40;
    const char *more = strlen(s) > 40 ? "..." : "";
    if (cb_yaml_is_quoted(n))
        snprintf(buf, len, "the string \"%.*s%s\"", cut, s, more);
    else
        snprintf(buf, len, "'%.*s%s'", cut, s, more);
    return buf;
}

const char *cb_type_desc(const cb_param *p, char *buf, size_t len)
{
    char range[256];
    switch (p->type) {
    case CB_T_INT: snprintf(buf, len, "an integer"); break;
    case CB_T_REAL: snprintf(buf, len, "a number"); break;
    case CB_T_BOOL: snprintf(buf, len, "true or false"); break;
    case CB_T_ENUM: snprintf(buf, len, "one of %s", cb_param_range_str(p, range, sizeof range)); break;
    default: snprintf(buf, len, "a string"); break;
    }
    return buf;
}

static double number_of(const cb_param *p, cb_value v)
{
    return p->type == CB_T_INT ? (double)v.i : v.r;
}

int cb_walk_scalar(cb_walk *w, const cb_param *p, unsigned flags, yaml_node_t *node, cb_value *out)
{
    char want[300], got[128], why[512];
    cb_mark at = cb_yaml_node_mark(node);
    if (node->type != YAML_SCALAR_NODE)
        return cb_walk_fail(w, at, "%s: expected %s, got %s", w->path,
                            cb_type_desc(p, want, sizeof want), cb_node_desc(node, got, sizeof got));
    if (cb_yaml_is_null(node))
        return cb_walk_fail(w, at, "%s: missing value (expected %s)", w->path,
                            cb_type_desc(p, want, sizeof want));
    const char *text = cb_yaml_str(node);
    /* A quoted "" is never a meaningful name, path or choice in a manifest key. */
    if (!*text)
        return cb_walk_fail(w, at, "%s: empty string (expected %s)", w->path,
                            cb_type_desc(p, want, sizeof want));
    if (cb_param_parse(p, text, cb_yaml_is_quoted(node), out, why, sizeof why))
        return cb_walk_fail(w, at, "%s: %s", w->path, why);
    if ((flags & CB_K_ABOVE_MIN) && (p->type == CB_T_INT || p->type == CB_T_REAL) &&
        number_of(p, *out) <= p->min)
        return cb_walk_fail(w, at, "%s: %s must be greater than %g", w->path, text, p->min);
    return CB_OK;
}

bool cb_value_equal(const cb_param *p, cb_value a, cb_value b)
{
    switch (p->type) {
    case CB_T_INT: return a.i == b.i;
    case CB_T_REAL: return a.r == b.r;
    case CB_T_BOOL: return a.b == b.b;
    case CB_T_ENUM: return a.e == b.e;
    case CB_T_STR: return strcmp(a.s, b.s) == 0;
    }
    return false;
}

static void list_alloc(cb_list *l, size_t n)
{
    l->v = cb_xcalloc(n, sizeof *l->v);
    l->at = cb_xcalloc(n, sizeof *l->at);
    l->n = 0;
}

static int list_item(cb_walk *w, const cb_param *p, unsigned flags, yaml_node_t *item, cb_list *l)
{
    cb_value v;
    size_t len = cb_walk_push(w, NULL, l->n);
    int rc = cb_walk_scalar(w, p, flags, item, &v);
    for (size_t j = 0; rc == CB_OK && j < l->n; j++)
        if (cb_value_equal(p, l->v[j], v))
            rc = cb_walk_fail(w, cb_yaml_node_mark(item), "%s: %s is listed twice (first at %d:%d)",
                              w->path, cb_yaml_str(item), l->at[j].line, l->at[j].col);
    cb_walk_pop(w, len);
    if (rc == CB_OK) {
        l->v[l->n] = v;
        l->at[l->n++] = cb_yaml_node_mark(item);
    }
    return rc;
}

int cb_walk_list(cb_walk *w, const cb_param *p, unsigned flags, yaml_node_t *node, cb_list *l)
{
    char got[128];
    cb_mark at = cb_yaml_node_mark(node);
    if (node->type == YAML_SCALAR_NODE && cb_yaml_is_null(node))
        return cb_walk_fail(w, at, "%s: missing value (expected a list)", w->path);
    if (node->type == YAML_SCALAR_NODE)
        return cb_walk_fail(w, at, "%s: expected a list, got %s (write [%s] for a list of one)",
                            w->path, cb_node_desc(node, got, sizeof got), cb_yaml_str(node));
    if (node->type != YAML_SEQUENCE_NODE)
        return cb_walk_fail(w, at, "%s: expected a list, got %s", w->path,
                            cb_node_desc(node, got, sizeof got));
    yaml_node_item_t *it = node->data.sequence.items.start, *end = node->data.sequence.items.top;
    if (it == end)
        return cb_walk_fail(w, at, "%s: the list is empty (leave the key out instead)", w->path);
    cb_list_free(l);
    list_alloc(l, (size_t)(end - it));
    for (; it < end; it++) {
        int rc = list_item(w, p, flags, cb_yaml_node(w->doc, *it), l);
        if (rc)
            return rc;
    }
    return CB_OK;
}

int cb_list_default(const cb_param *p, cb_list *l, char *why, size_t why_len)
{
    if (p->type == CB_T_STR) /* the items would point into the copy freed below */
        return snprintf(why, why_len, "a list of strings cannot have a default"), CB_EINVAL;
    char *copy = cb_xstrdup(p->def), *save = NULL;
    size_t n = 1;
    for (const char *c = copy; *c; c++)
        n += *c == ',';
    cb_list_free(l);
    list_alloc(l, n);
    int rc = CB_OK;
    for (char *tok = strtok_r(copy, ", ", &save); tok && rc == CB_OK; tok = strtok_r(NULL, ", ", &save))
        rc = cb_param_parse(p, tok, false, &l->v[l->n++], why, why_len);
    free(copy);
    return rc;
}

void cb_list_free(cb_list *l)
{
    free(l->v);
    free(l->at);
    memset(l, 0, sizeof *l);
}
