/* core/graph/vocab.c: the label table with by-name look-up (see vocab.h). */
#include "graph/vocab.h"
#include "graph/hash.h"
#include "plugin/param.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_vocab_init(cb_vocab *voc)
{
    memset(voc, 0, sizeof *voc);
}

void cb_vocab_free(cb_vocab *voc)
{
    for (int32_t i = 0; i < voc->n; i++) {
        free(voc->v[i].name);
        free(voc->v[i].text);
        free(voc->v[i].attrs);
        free(voc->v[i].strs);
    }
    free(voc->v);
    free(voc->slots);
    free(voc->texts);
    memset(voc, 0, sizeof *voc);
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t slot_of(const cb_vocab *voc, const char *name)
{
    size_t mask = voc->n_slots - 1, i = (size_t)name_hash(name) & mask;
    while (voc->slots[i] && strcmp(voc->v[voc->slots[i] - 1].name, name) != 0)
        i = (i + 1) & mask;
    return i;
}

static void rehash(cb_vocab *voc)
{
    free(voc->slots);
    voc->n_slots = voc->n_slots ? 2 * voc->n_slots : 64;
    voc->slots = cb_xcalloc(voc->n_slots, sizeof *voc->slots);
    for (int32_t i = 0; i < voc->n; i++)
        voc->slots[slot_of(voc, voc->v[i].name)] = i + 1;
}

int32_t cb_vocab_find(const cb_vocab *voc, const char *name)
{
    if (!voc->n_slots)
        return -1;
    int32_t s = voc->slots[slot_of(voc, name)];
    return s - 1;
}

int32_t cb_vocab_add(cb_vocab *voc, const char *name, const char *text)
{
    int32_t i = cb_vocab_find(voc, name);
    if (i >= 0)
        return i;
    if (2 * ((size_t)voc->n + 1) > voc->n_slots) /* load factor at most 1/2 */
        rehash(voc);
    cb_grow(&voc->v, sizeof *voc->v, (size_t)voc->n + 1, &voc->cap);
    cb_label *l = &voc->v[voc->n];
    memset(l, 0, sizeof *l);
    l->name = cb_xstrdup(name);
    l->text = text ? cb_xstrdup(text) : cb_py_repr(name);
    voc->slots[slot_of(voc, name)] = voc->n + 1;
    return voc->n++;
}

char *cb_vocab_op_name(const char *op, const cb_op_vt *vt, const cb_value *attrs)
{
    size_t cap = 256, at = 0;
    char *s = cb_xmalloc(cap);
    at += (size_t)snprintf(s, cap, "%s {", op);
    for (int i = 0; vt->attrs && vt->attrs[i].name; i++) {
        char val[128];
        cb_value_str(&vt->attrs[i], attrs[i], val, sizeof val);
        size_t need = strlen(vt->attrs[i].name) + strlen(val) + 8;
        if (at + need >= cap) {
            cap = 2 * (at + need);
            s = cb_xrealloc(s, cap);
        }
        at += (size_t)snprintf(s + at, cap - at, "%s%s: %s", i ? ", " : "", vt->attrs[i].name, val);
    }
    if (at + 2 >= cap)
        s = cb_xrealloc(s, at + 2);
    s[at++] = '}';
    s[at] = '\0';
    return s;
}

/* Copies attrs, STR values included (they must outlive the caller's buffers). */
static void keep_attrs(cb_label *l, const cb_op_vt *vt, const cb_value *attrs)
{
    int n = cb_param_count(vt->attrs);
    size_t bytes = 0;
    for (int i = 0; i < n; i++)
        if (vt->attrs[i].type == CB_T_STR && attrs[i].s)
            bytes += strlen(attrs[i].s) + 1;
    l->attrs = cb_xcalloc((size_t)n + 1, sizeof *l->attrs);
    l->strs = bytes ? cb_xmalloc(bytes) : NULL;
    char *at = l->strs;
    for (int i = 0; i < n; i++) {
        l->attrs[i] = attrs[i];
        if (vt->attrs[i].type == CB_T_STR && attrs[i].s) {
            strcpy(at, attrs[i].s);
            l->attrs[i].s = at;
            at += strlen(at) + 1;
        }
    }
}

int32_t cb_vocab_add_op(cb_vocab *voc, const char *op, const cb_op_vt *vt, const cb_value *attrs)
{
    char *name = cb_vocab_op_name(op, vt, attrs);
    int32_t i = cb_vocab_find(voc, name);
    if (i < 0) {
        i = cb_vocab_add(voc, name, NULL);
        cb_label *l = &voc->v[i];
        l->op = op;
        l->vt = vt;
        l->rank = vt->cost_rank;
        keep_attrs(l, vt, attrs);
    }
    free(name);
    return i;
}

const char *const *cb_vocab_texts(cb_vocab *voc)
{
    free(voc->texts);
    voc->texts = cb_xmalloc(((size_t)voc->n + 1) * sizeof *voc->texts);
    for (int32_t i = 0; i < voc->n; i++)
        voc->texts[i] = voc->v[i].text;
    return voc->texts;
}
