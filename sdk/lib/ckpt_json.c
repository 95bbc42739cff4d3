/* ckpt_json.c: a small strict JSON reader for safetensors headers: one object whose members
 * are tensors ({"dtype", "shape", "data_offsets"}) or "__metadata__" (string to string).
 * Unknown members are skipped, so headers written by other tools load too. */
#include "ckpt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32 /* nesting bound for skipped values: no stack overflow on hostile input */

typedef struct parser {
    const char *s;
    size_t i, n;
    int bad;
    char *why;
    size_t why_len;
} parser;

static int fail(parser *p, const char *what)
{
    if (!p->bad)
        snprintf(p->why, p->why_len, "bad header JSON at byte %zu: %s", p->i, what);
    p->bad = 1;
    return -1;
}

static void ws(parser *p)
{
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
        p->i++;
}

static int eat(parser *p, char c)
{
    ws(p);
    if (p->i < p->n && p->s[p->i] == c) {
        p->i++;
        return 0;
    }
    char msg[32];
    snprintf(msg, sizeof msg, "expected '%c'", c);
    return fail(p, msg);
}

static int peek(parser *p, char c)
{
    ws(p);
    return p->i < p->n && p->s[p->i] == c;
}

/* A string into out (truncated to cap - 1; \u escapes outside ASCII become '?'). */
static int string(parser *p, char *out, size_t cap)
{
    if (eat(p, '"'))
        return -1;
    size_t k = 0;
    while (p->i < p->n && p->s[p->i] != '"') {
        char c = p->s[p->i++];
        if (c == '\\') {
            if (p->i >= p->n)
                break;
            char x = p->s[p->i++];
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *at = strchr(from, x);
            if (x == 'u') {
                if (p->i + 4 > p->n)
                    return fail(p, "short \\u escape");
                unsigned v = (unsigned)strtoul((char[5]){p->s[p->i], p->s[p->i + 1], p->s[p->i + 2], p->s[p->i + 3], 0}, NULL, 16);
                p->i += 4;
                c = v < 128 ? (char)v : '?';
            } else if (at && x) {
                c = to[at - from];
            } else {
                return fail(p, "bad escape");
            }
        }
        if (out && k + 1 < cap)
            out[k++] = c;
    }
    if (out && cap)
        out[k] = '\0';
    return eat(p, '"');
}

static int integer(parser *p, int64_t *v)
{
    ws(p);
    size_t start = p->i;
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    int64_t x = 0;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        if (x > (INT64_MAX - 9) / 10)
            return fail(p, "integer too large");
        x = x * 10 + (p->s[p->i++] - '0');
    }
    if (p->i == start || (p->s[start] == '-' && p->i == start + 1))
        return fail(p, "expected an integer");
    *v = p->s[start] == '-' ? -x : x;
    return 0;
}

static int skip(parser *p, int depth);

static int skip_list(parser *p, char close, int keyed, int depth)
{
    p->i++;
    if (peek(p, close)) {
        p->i++;
        return 0;
    }
    for (;;) {
        if (keyed && (string(p, NULL, 0) || eat(p, ':')))
            return -1;
        if (skip(p, depth + 1))
            return -1;
        if (peek(p, ','))
            p->i++;
        else
            return eat(p, close);
    }
}

static int skip(parser *p, int depth)
{
    ws(p);
    if (depth > MAX_DEPTH || p->i >= p->n)
        return fail(p, depth > MAX_DEPTH ? "nested too deeply" : "unexpected end");
    char c = p->s[p->i];
    if (c == '"')
        return string(p, NULL, 0);
    if (c == '{' || c == '[')
        return skip_list(p, c == '{' ? '}' : ']', c == '{', depth);
    size_t start = p->i; /* number or literal: a run of its characters */
    while (p->i < p->n && strchr("+-.eE0123456789truefalsn", p->s[p->i]) && p->s[p->i])
        p->i++;
    return p->i > start ? 0 : fail(p, "unexpected character");
}

static int int_array(parser *p, int64_t *v, int max, int *count)
{
    if (eat(p, '['))
        return -1;
    *count = 0;
    if (peek(p, ']'))
        return eat(p, ']');
    for (;;) {
        int64_t x;
        if (integer(p, &x))
            return -1;
        if (*count >= max)
            return fail(p, "too many dimensions");
        v[(*count)++] = x;
        if (!peek(p, ','))
            return eat(p, ']');
        p->i++;
    }
}

static int tensor(parser *p, ckpt_entry *t)
{
    if (eat(p, '{'))
        return -1;
    int have = 0;
    while (!peek(p, '}')) {
        char key[32];
        if (string(p, key, sizeof key) || eat(p, ':'))
            return -1;
        int64_t off[3];
        int n = 0, rc;
        if (!strcmp(key, "dtype"))
            rc = string(p, t->dtype, sizeof t->dtype), have |= 1;
        else if (!strcmp(key, "shape"))
            rc = int_array(p, t->shape, CKPT_MAX_DIMS, &t->ndim), have |= 2;
        else if (!strcmp(key, "data_offsets")) {
            rc = int_array(p, off, 3, &n), have |= 4;
            if (!rc && (n != 2 || off[0] < 0 || off[1] < off[0]))
                return fail(p, "data_offsets must be [begin, end] with begin <= end");
            t->begin = (uint64_t)off[0];
            t->end = (uint64_t)off[1];
        } else
            rc = skip(p, 1);
        if (rc)
            return -1;
        if (peek(p, ','))
            p->i++;
    }
    p->i++;
    return have == 7 ? 0 : fail(p, "a tensor needs dtype, shape and data_offsets");
}

static int metadata(parser *p, ckpt_header *h)
{
    if (eat(p, '{'))
        return -1;
    while (!peek(p, '}')) {
        if (h->n_m == h->cap_m) {
            int cap = h->cap_m ? 2 * h->cap_m : 16;
            ckpt_meta *m = realloc(h->m, (size_t)cap * sizeof *m);
            if (!m)
                return fail(p, "out of memory");
            h->m = m;
            h->cap_m = cap;
        }
        ckpt_meta *m = &h->m[h->n_m];
        if (string(p, m->key, sizeof m->key) || eat(p, ':') || string(p, m->val, sizeof m->val))
            return -1;
        h->n_m++;
        if (peek(p, ','))
            p->i++;
    }
    p->i++;
    return 0;
}

static int member(parser *p, ckpt_header *h)
{
    char name[sizeof h->t->name];
    if (string(p, name, sizeof name) || eat(p, ':'))
        return -1;
    if (!strcmp(name, "__metadata__"))
        return metadata(p, h);
    if (h->n_t == h->cap_t) {
        int cap = h->cap_t ? 2 * h->cap_t : 64;
        ckpt_entry *t = realloc(h->t, (size_t)cap * sizeof *t);
        if (!t)
            return fail(p, "out of memory");
        h->t = t;
        h->cap_t = cap;
    }
    ckpt_entry *t = &h->t[h->n_t];
    memset(t, 0, sizeof *t);
    memcpy(t->name, name, sizeof t->name);
    if (tensor(p, t))
        return -1;
    h->n_t++;
    return 0;
}

int cb_ckpt_parse_header(const char *json, size_t len, ckpt_header *h, char *why, size_t why_len)
{
    parser p = {json, 0, len, 0, why, why_len};
    memset(h, 0, sizeof *h);
    if (eat(&p, '{'))
        return -1;
    while (!peek(&p, '}')) {
        if (member(&p, h))
            return -1;
        if (peek(&p, ','))
            p.i++;
        else if (!peek(&p, '}'))
            return fail(&p, "expected ',' or '}'");
    }
    return 0;
}

void cb_ckpt_header_free(ckpt_header *h)
{
    free(h->t);
    free(h->m);
    memset(h, 0, sizeof *h);
}
