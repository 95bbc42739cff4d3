/* plugins/trainers/tabular/table_load.c: reading a benchmark table (see table.h).
 *
 * Two layouts, told apart by their keys:
 *  - NAS-Bench-201: {"archs": ["|op~0|+|op~0|op~1|+|op~0|op~1|op~2|", ...], "accuracies":
 *    [percent, ...]}: CIFAR-10 test accuracy after 200 epochs;
 *  - NAS-Bench-101: {"key": [md5, ...], "adjacency": [7x7, ...], "operations": [[-1, ..., -2],
 *    ...], "4_final_validation_accuracy": [...], ... "108_...": [...]}: validation accuracy.
 * Every NB101 key is checked against the hash of its cell, so a table whose keys and cells
 * disagree is refused instead of answering for the wrong cell. */
#include "table.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int nb101_epochs[4] = {4, 12, 36, 108};

static int bad(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return CB_EINVAL;
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const tb_row *)a)->key, ((const tb_row *)b)->key);
}

const tb_row *tb_find(const tb_table *t, const char *key)
{
    tb_row probe = {(char *)key, {0}};
    return bsearch(&probe, t->rows, t->n, sizeof *t->rows, cmp_rows);
}

void tb_free(tb_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].key);
    free(t->rows);
    free(t->path);
    memset(t, 0, sizeof *t);
}

/* root[key], an array of n entries (any length when n is 0), or NULL with why filled. */
static json_t *array_of(json_t *root, const char *key, size_t n, const char *path, char *why, size_t len)
{
    json_t *a = json_object_get(root, key);
    if (!json_is_array(a))
        bad(why, len, "%s: '%s' is missing or not a list", path, key);
    else if (n && json_array_size(a) != n)
        bad(why, len, "%s: '%s' has %zu entries, the table %zu", path, key, json_array_size(a), n);
    else
        return a;
    return NULL;
}

static int accuracy_at(json_t *a, size_t i, double scale, double *out, const char *path, const char *what,
                       char *why, size_t len)
{
    json_t *v = json_array_get(a, i);
    double x = json_is_number(v) ? json_number_value(v) / scale : NAN;
    if (!(x >= 0 && x <= 1))
        return bad(why, len, "%s: cell %zu: %s is not a number in [0, %g]", path, i, what, scale);
    *out = x;
    return CB_OK;
}

static int load_nb201(json_t *root, const char *path, tb_table *t, char *why, size_t len)
{
    json_t *archs = array_of(root, "archs", 0, path, why, len);
    json_t *acc = archs ? array_of(root, "accuracies", json_array_size(archs), path, why, len) : NULL;
    if (!acc)
        return CB_EINVAL;
    t->kind = TB_NB201;
    t->name = "NAS-Bench-201";
    t->metric = "test";
    t->n_cols = 1;
    t->col_epochs[0] = 200;
    size_t n = json_array_size(archs);
    t->rows = calloc(n + 1, sizeof *t->rows);
    if (!t->rows)
        return bad(why, len, "%s: out of memory", path), CB_EFAIL;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(archs, i));
        if (!s || s[0] != '|')
            return bad(why, len, "%s: cell %zu: the architecture is not a string like "
                       "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|", path, i);
        t->rows[i].key = strdup(s);
        t->n = i + 1;
        if (!t->rows[i].key)
            return bad(why, len, "%s: out of memory", path), CB_EFAIL;
        if (accuracy_at(acc, i, 100, &t->rows[i].acc[0], path, "the accuracy (percent)", why, len))
            return CB_EINVAL;
    }
    return CB_OK;
}

/* Cell i's matrix and labels, padding (-3) vertices dropped; checks the key against its hash. */
static int check_nb101_cell(json_t *adj, json_t *ops, const char *key, size_t i, const char *path, char *why,
                            size_t len)
{
    size_t nv = json_array_size(ops);
    if (!json_is_array(adj) || !json_is_array(ops) || json_array_size(adj) != nv || nv > TB_NB101_MAXV || nv < 2)
        return bad(why, len, "%s: cell %zu: adjacency and operations must be a square matrix and a list of "
                   "the same 2..%d vertices", path, i, TB_NB101_MAXV);
    int keep[TB_NB101_MAXV], lab[TB_NB101_MAXV], n = 0;
    for (size_t v = 0; v < nv; v++) {
        json_t *o = json_array_get(ops, v);
        double op = json_is_number(o) ? json_number_value(o) : -99;
        if (op == -3)
            continue; /* padding of a cell with fewer than 7 vertices */
        if (op != -1 && op != -2 && op != 0 && op != 1 && op != 2)
            return bad(why, len, "%s: cell %zu: operation %zu is not -1, -2, -3, 0, 1 or 2", path, i, v);
        keep[n] = (int)v;
        lab[n++] = (int)op;
    }
    unsigned char m[TB_NB101_MAXV * TB_NB101_MAXV];
    for (int x = 0; x < n; x++) {
        json_t *row = json_array_get(adj, (size_t)keep[x]);
        if (!json_is_array(row) || json_array_size(row) != nv)
            return bad(why, len, "%s: cell %zu: adjacency row %d is not a list of %zu", path, i, keep[x], nv);
        for (int y = 0; y < n; y++) {
            json_t *c = json_array_get(row, (size_t)keep[y]);
            m[x * n + y] = json_is_number(c) && json_number_value(c) != 0;
        }
    }
    char hex[33];
    if (tb_nb101_hash(n, m, lab, hex))
        return bad(why, len, "%s: out of memory", path), CB_EFAIL;
    if (strcmp(hex, key))
        return bad(why, len, "%s: cell %zu: its key %s is not the NAS-Bench-101 hash of its cell (%s)", path, i,
                   key, hex);
    return CB_OK;
}

static int load_nb101(json_t *root, const char *path, tb_table *t, char *why, size_t len)
{
    json_t *keys = array_of(root, "key", 0, path, why, len);
    size_t n = keys ? json_array_size(keys) : 0;
    json_t *adj = keys ? array_of(root, "adjacency", n, path, why, len) : NULL;
    json_t *ops = adj ? array_of(root, "operations", n, path, why, len) : NULL;
    json_t *acc[4] = {0};
    for (int c = 0; c < 4 && ops; c++) {
        char name[64];
        snprintf(name, sizeof name, "%d_final_validation_accuracy", nb101_epochs[c]);
        if (!(acc[c] = array_of(root, name, n, path, why, len)))
            return CB_EINVAL;
    }
    if (!ops)
        return CB_EINVAL;
    t->kind = TB_NB101;
    t->name = "NAS-Bench-101";
    t->metric = "validation";
    t->n_cols = 4;
    memcpy(t->col_epochs, nb101_epochs, sizeof nb101_epochs);
    t->rows = calloc(n + 1, sizeof *t->rows);
    if (!t->rows)
        return bad(why, len, "%s: out of memory", path), CB_EFAIL;
    for (size_t i = 0; i < n; i++) {
        const char *k = json_string_value(json_array_get(keys, i));
        if (!k || strlen(k) != 32 || strspn(k, "0123456789abcdef") != 32)
            return bad(why, len, "%s: cell %zu: the key is not 32 lower-case hex digits (an MD5)", path, i);
        int rc = check_nb101_cell(json_array_get(adj, i), json_array_get(ops, i), k, i, path, why, len);
        if (rc)
            return rc;
        t->rows[i].key = strdup(k);
        t->n = i + 1;
        if (!t->rows[i].key)
            return bad(why, len, "%s: out of memory", path), CB_EFAIL;
        for (int c = 0; c < 4; c++) {
            char what[64];
            snprintf(what, sizeof what, "the accuracy after %d epochs", nb101_epochs[c]);
            if (accuracy_at(acc[c], i, 1, &t->rows[i].acc[c], path, what, why, len))
                return CB_EINVAL;
        }
    }
    return CB_OK;
}

/* Sorted rows must have distinct keys: a repeated one would make the answer depend on order. */
static int sort_rows(tb_table *t, char *why, size_t len)
{
    qsort(t->rows, t->n, sizeof *t->rows, cmp_rows);
    for (size_t i = 1; i < t->n; i++)
        if (!strcmp(t->rows[i - 1].key, t->rows[i].key))
            return bad(why, len, "%s: the cell %s appears more than once", t->path, t->rows[i].key);
    return CB_OK;
}

/* The whole file in memory: jansson parses a buffer several times faster than a FILE. */
static char *slurp(const char *path, size_t *size, char *why, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno;
        bad(why, len, "%s: cannot open: %s", path, strerror(err));
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *more = realloc(buf, cap *= 2);
        if (!more)
            free(buf);
        buf = more;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf)
        bad(why, len, "%s: out of memory", path);
    else if (err) {
        bad(why, len, "%s: cannot read: %s", path, strerror(err));
        free(buf);
        buf = NULL;
    }
    *size = n;
    return buf;
}

int tb_load(const char *path, tb_table *t, char *why, size_t why_len)
{
    memset(t, 0, sizeof *t);
    t->path = strdup(path);
    if (!t->path)
        return bad(why, why_len, "out of memory"), CB_EFAIL;
    size_t size = 0;
    char *text = slurp(path, &size, why, why_len);
    if (!text)
        return CB_EINVAL;
    json_error_t jerr;
    json_t *root = json_loadb(text, size, 0, &jerr);
    free(text);
    if (!root)
        return bad(why, why_len, "%s:%d:%d: not JSON: %s", path, jerr.line, jerr.column, jerr.text);
    int rc;
    if (json_is_object(root) && json_object_get(root, "archs"))
        rc = load_nb201(root, path, t, why, why_len);
    else if (json_is_object(root) && json_object_get(root, "key"))
        rc = load_nb101(root, path, t, why, why_len);
    else
        rc = bad(why, why_len, "%s: not a benchmark table: expected an object with 'archs' and 'accuracies' "
                 "(NAS-Bench-201) or 'key', 'adjacency', 'operations' and 'N_final_validation_accuracy' "
                 "(NAS-Bench-101)", path);
    json_decref(root);
    if (rc == CB_OK && t->n == 0)
        rc = bad(why, why_len, "%s: the table has no cells", path);
    if (rc == CB_OK)
        rc = sort_rows(t, why, why_len);
    return rc;
}
