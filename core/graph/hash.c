/* core/graph/hash.c: the iterated vertex hashing of a module and the join of module
 * fingerprints into a graph hash (see hash.h for the exact scheme and its sources). */
#include "graph/hash.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sorts k hex strings of equal length (a few per vertex: insertion sort). */
static void sort_hex(const char **s, int k, int len)
{
    for (int i = 1; i < k; i++) {
        const char *x = s[i];
        int j = i - 1;
        while (j >= 0 && memcmp(s[j], x, (size_t)len) > 0) {
            s[j + 1] = s[j];
            j--;
        }
        s[j + 1] = x;
    }
}

/* One round for vertex v: H(sorted ins + "|" + sorted outs + "|" + own). */
static void vertex_round(cb_hasher *h, int n, const uint8_t *adj, char (*cur)[CB_HEX_MAX], int v,
                         const char **nb, char *buf, char *out)
{
    int len = h->hex_len, k = 0;
    size_t at = 0;
    for (int w = 0; w < n; w++)
        if (adj[w * n + v])
            nb[k++] = cur[w];
    sort_hex(nb, k, len);
    for (int i = 0; i < k; i++, at += (size_t)len)
        memcpy(buf + at, nb[i], (size_t)len);
    buf[at++] = '|';
    k = 0;
    for (int w = 0; w < n; w++)
        if (adj[v * n + w])
            nb[k++] = cur[w];
    sort_hex(nb, k, len);
    for (int i = 0; i < k; i++, at += (size_t)len)
        memcpy(buf + at, nb[i], (size_t)len);
    buf[at++] = '|';
    memcpy(buf + at, cur[v], (size_t)len);
    cb_hasher_hex(h, buf, at + (size_t)len, out);
}

static void initial_hashes(cb_hasher *h, int n, const uint8_t *adj, const char *const *text,
                           char (*cur)[CB_HEX_MAX])
{
    for (int v = 0; v < n; v++) {
        int in = 0, out = 0;
        for (int w = 0; w < n; w++) {
            in += adj[w * n + v] != 0;
            out += adj[v * n + w] != 0;
        }
        char *t = cb_xasprintf("(%d, %d, %s)", out, in, text[v]);
        cb_hasher_hex(h, t, strlen(t), cur[v]);
        free(t);
    }
}

/* H("['a', 'b', ...]") over the sorted vertex hashes. */
static void final_hash(cb_hasher *h, int n, char (*cur)[CB_HEX_MAX], const char **nb, char *hex)
{
    int len = h->hex_len;
    for (int v = 0; v < n; v++)
        nb[v] = cur[v];
    sort_hex(nb, n, len);
    char *buf = cb_xmalloc((size_t)n * ((size_t)len + 4) + 3);
    size_t at = 0;
    buf[at++] = '[';
    for (int v = 0; v < n; v++) {
        if (v) {
            buf[at++] = ',';
            buf[at++] = ' ';
        }
        buf[at++] = '\'';
        memcpy(buf + at, nb[v], (size_t)len);
        at += (size_t)len;
        buf[at++] = '\'';
    }
    buf[at++] = ']';
    cb_hasher_hex(h, buf, at, hex);
    free(buf);
}

void cb_fingerprint(cb_hasher *h, int n, const uint8_t *adj, const char *const *text, char *hex)
{
    char (*cur)[CB_HEX_MAX] = cb_xmalloc((size_t)n * CB_HEX_MAX);
    char (*next)[CB_HEX_MAX] = cb_xmalloc((size_t)n * CB_HEX_MAX);
    const char **nb = cb_xmalloc((size_t)n * sizeof *nb);
    char *buf = cb_xmalloc((size_t)(2 * n + 1) * (size_t)h->hex_len + 3);
    initial_hashes(h, n, adj, text, cur);
    for (int round = 0; round < n; round++) { /* the seeds repeat n times */
        for (int v = 0; v < n; v++)
            vertex_round(h, n, adj, cur, v, nb, buf, next[v]);
        char (*t)[CB_HEX_MAX] = cur;
        cur = next;
        next = t;
    }
    final_hash(h, n, cur, nb, hex);
    free(cur);
    free(next);
    free(nb);
    free(buf);
}

void cb_module_fingerprint(cb_hasher *h, const cb_module *m, const char *const *texts, char *hex)
{
    uint8_t adj[CB_MODULE_MAXV * CB_MODULE_MAXV];
    const char *text[CB_MODULE_MAXV];
    cb_module_matrix(m, adj);
    for (int v = 0; v < m->n; v++)
        text[v] = texts[m->label[v]];
    cb_fingerprint(h, m->n, adj, text, hex);
}

void cb_join_hash(cb_hasher *h, const char *const *fps, int n, char *hex)
{
    size_t total = 1;
    for (int i = 0; i < n; i++)
        total += strlen(fps[i]) + 1;
    char *buf = cb_xmalloc(total);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            buf[at++] = '|';
        size_t l = strlen(fps[i]);
        memcpy(buf + at, fps[i], l);
        at += l;
    }
    cb_hasher_hex(h, buf, at, hex);
    free(buf);
}

void cb_modules_hash(cb_hasher *h, const cb_module *mods, int n, const char *const *texts, char *hex)
{
    char (*fp)[CB_HEX_MAX] = cb_xmalloc((size_t)(n > 0 ? n : 1) * CB_HEX_MAX);
    const char **p = cb_xmalloc((size_t)(n > 0 ? n : 1) * sizeof *p);
    for (int i = 0; i < n; i++) {
        /* a stack repeats one module: reuse its fingerprint */
        if (i > 0 && cb_module_equal(&mods[i], &mods[i - 1]))
            memcpy(fp[i], fp[i - 1], CB_HEX_MAX);
        else
            cb_module_fingerprint(h, &mods[i], texts, fp[i]);
        p[i] = fp[i];
    }
    cb_join_hash(h, p, n, hex);
    free(fp);
    free(p);
}

char *cb_py_repr(const char *s)
{
    bool single = strchr(s, '\'') != NULL, dbl = strchr(s, '"') != NULL;
    char q = single && !dbl ? '"' : '\'';
    char *out = cb_xmalloc(4 * strlen(s) + 3), *o = out;
    *o++ = q;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '\\' || *c == (unsigned char)q) {
            *o++ = '\\';
            *o++ = (char)*c;
        } else if (*c == '\n' || *c == '\r' || *c == '\t') {
            *o++ = '\\';
            *o++ = *c == '\n' ? 'n' : *c == '\r' ? 'r' : 't';
        } else if (*c < 0x20 || *c == 0x7f) {
            o += sprintf(o, "\\x%02x", *c);
        } else {
            *o++ = (char)*c;
        }
    }
    *o++ = q;
    *o = '\0';
    return out;
}
