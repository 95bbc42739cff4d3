/* core/graph/opset.c: ops with attribute choices and their numbered labels (see opset.h). */
#include "graph/opset.h"
#include "plugin/param.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void recount(cb_opchoice *c)
{
    c->count = 1;
    for (int a = 0; a < c->n_attrs; a++)
        c->count *= (uint64_t)c->n_vals[a];
}

static int default_values(cb_opchoice *c, int a, const cb_param *p, bool space, char *why, size_t len)
{
    int n = 0;
    if (space && (p->flags & CB_P_SPACE) && p->choices)
        while (p->choices[n])
            n++;
    const char *const *texts = n ? p->choices : &p->def;
    if (!n)
        n = 1;
    bool *quoted = cb_xcalloc((size_t)n, sizeof *quoted);
    for (int i = 0; i < n; i++) /* choices are names; an ENUM or STR reads them as strings */
        quoted[i] = p->type == CB_T_STR || p->type == CB_T_ENUM;
    int rc = cb_opchoice_narrow(c, p->name, texts, quoted, n, why, len);
    free(quoted);
    return rc;
}

int cb_opchoice_init(cb_opchoice *c, const char *op, const cb_op_vt *vt, bool space, char *why, size_t len)
{
    memset(c, 0, sizeof *c);
    c->op = op;
    c->vt = vt;
    c->n_attrs = cb_param_count(vt->attrs);
    if (c->n_attrs > 64) { /* labels are decoded on the stack */
        snprintf(why, len, "op '%s' has more than 64 attributes", op);
        return CB_EINVAL;
    }
    c->n_vals = cb_xcalloc((size_t)c->n_attrs + 1, sizeof *c->n_vals);
    c->vals = cb_xcalloc((size_t)c->n_attrs + 1, sizeof *c->vals);
    c->strs = cb_xcalloc((size_t)c->n_attrs + 1, sizeof *c->strs);
    for (int a = 0; a < c->n_attrs; a++) {
        if (!vt->attrs[a].def && !(space && vt->attrs[a].choices && (vt->attrs[a].flags & CB_P_SPACE))) {
            snprintf(why, len, "op '%s': attribute '%s' has no default; give its values", op, vt->attrs[a].name);
            return CB_EINVAL;
        }
        if (default_values(c, a, &vt->attrs[a], space, why, len))
            return CB_EINVAL;
    }
    recount(c);
    return CB_OK;
}

void cb_opchoice_free(cb_opchoice *c)
{
    for (int a = 0; a < c->n_attrs; a++) {
        free(c->vals[a]);
        free(c->strs[a]);
    }
    free(c->n_vals);
    free(c->vals);
    free(c->strs);
    memset(c, 0, sizeof *c);
}

/* STR values point into one buffer per attribute, owned here. */
static void keep_strings(cb_opchoice *c, int a)
{
    if (c->vt->attrs[a].type != CB_T_STR)
        return;
    size_t bytes = 1;
    for (int i = 0; i < c->n_vals[a]; i++)
        bytes += strlen(c->vals[a][i].s ? c->vals[a][i].s : "") + 1;
    char *buf = cb_xmalloc(bytes), *at = buf;
    for (int i = 0; i < c->n_vals[a]; i++) {
        strcpy(at, c->vals[a][i].s ? c->vals[a][i].s : "");
        c->vals[a][i].s = at;
        at += strlen(at) + 1;
    }
    free(c->strs[a]);
    c->strs[a] = buf;
}

void cb_opchoice_set(cb_opchoice *c, int attr, const cb_value *vals, int n)
{
    free(c->vals[attr]);
    c->vals[attr] = cb_xmalloc(((size_t)n + 1) * sizeof **c->vals);
    memcpy(c->vals[attr], vals, (size_t)n * sizeof **c->vals);
    c->n_vals[attr] = n;
    keep_strings(c, attr);
    recount(c);
}

int cb_opchoice_narrow(cb_opchoice *c, const char *name, const char *const *texts, const bool *quoted, int n,
                       char *why, size_t len)
{
    int a = cb_param_index(c->vt->attrs, name);
    if (a < 0) {
        snprintf(why, len, "op '%s' has no attribute '%s'", c->op, name);
        return CB_EINVAL;
    }
    if (n < 1) {
        snprintf(why, len, "attribute '%s' of op '%s': give at least one value", name, c->op);
        return CB_EINVAL;
    }
    cb_value *v = cb_xcalloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) {
        char inner[256];
        if (cb_param_parse(&c->vt->attrs[a], texts[i], quoted[i], &v[i], inner, sizeof inner)) {
            snprintf(why, len, "attribute '%s' of op '%s': %s", name, c->op, inner);
            free(v);
            return CB_EINVAL;
        }
    }
    cb_opchoice_set(c, a, v, n); /* STR values still point at texts: copied there */
    free(v);
    return CB_OK;
}

void cb_opset_add(cb_opset *s, cb_opchoice *c)
{
    cb_grow(&s->v, sizeof *s->v, (size_t)s->n + 1, &s->cap);
    s->v[s->n++] = *c;
    memset(c, 0, sizeof *c);
    s->total = 0;
    for (int i = 0; i < s->n; i++)
        s->total += s->v[i].count;
}

void cb_opset_free(cb_opset *s)
{
    for (int i = 0; i < s->n; i++)
        cb_opchoice_free(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

int32_t cb_opset_label(const cb_opset *s, uint64_t index, cb_vocab *voc)
{
    int o = 0;
    while (o < s->n - 1 && index >= s->v[o].count)
        index -= s->v[o++].count;
    const cb_opchoice *c = &s->v[o];
    cb_value vals[64];
    for (int a = c->n_attrs - 1; a >= 0; a--) { /* last attribute least significant */
        vals[a] = c->vals[a][index % (uint64_t)c->n_vals[a]];
        index /= (uint64_t)c->n_vals[a];
    }
    return cb_vocab_add_op(voc, c->op, c->vt, vals);
}

static bool same_value(const cb_param *p, cb_value a, cb_value b)
{
    switch (p->type) {
    case CB_T_INT: return a.i == b.i;
    case CB_T_REAL: return a.r == b.r;
    case CB_T_BOOL: return a.b == b.b;
    case CB_T_ENUM: return a.e == b.e;
    case CB_T_STR: return strcmp(a.s ? a.s : "", b.s ? b.s : "") == 0;
    }
    return false;
}

uint64_t cb_opset_index_of(const cb_opset *s, const cb_label *l)
{
    uint64_t base = 0;
    for (int o = 0; o < s->n; base += s->v[o++].count) {
        const cb_opchoice *c = &s->v[o];
        if (c->vt != l->vt)
            continue;
        uint64_t idx = 0;
        int a = 0;
        for (; a < c->n_attrs; a++) {
            int i = 0;
            while (i < c->n_vals[a] && !same_value(&c->vt->attrs[a], c->vals[a][i], l->attrs[a]))
                i++;
            if (i == c->n_vals[a])
                break;
            idx = idx * (uint64_t)c->n_vals[a] + (uint64_t)i;
        }
        if (a == c->n_attrs)
            return base + idx;
    }
    return UINT64_MAX;
}
