/* core/graph/nbdata.c: the NAS benchmark JSON tables (see nbdata.h). */
#include "graph/nbdata.h"
#include "graph/nb101.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static json_t *array_of(json_t *root, const char *key, size_t n, const char *path, char *why, size_t len)
{
    json_t *a = json_object_get(root, key);
    if (!json_is_array(a) || (n && json_array_size(a) != n)) {
        snprintf(why, len, "%s: '%s' is missing or not a list of %zu entries", base(path), key, n);
        return NULL;
    }
    return a;
}

/* Builds cell i's module: keep the vertices whose operation is not -3 (padding). */
static int read_cell(json_t *adj, json_t *ops, const int32_t *lab_of, cb_module *m, char *why, size_t len)
{
    size_t n = json_array_size(ops);
    if (!json_is_array(adj) || !json_is_array(ops) || json_array_size(adj) != n || n > CB_MODULE_MAXV) {
        snprintf(why, len, "adjacency and operations do not match");
        return CB_EINVAL;
    }
    int keep[CB_MODULE_MAXV], k = 0;
    for (size_t v = 0; v < n; v++) {
        json_t *o = json_array_get(ops, v);
        json_int_t op = json_is_number(o) ? (json_int_t)json_number_value(o) : -99;
        if (op == -3)
            continue;
        if (op < -2 || op >= CB_NB101_OPS) {
            snprintf(why, len, "operation %lld at vertex %zu is not one of -3..%d", (long long)op, v, CB_NB101_OPS - 1);
            return CB_EINVAL;
        }
        m->label[k] = lab_of[op + 2];
        keep[k++] = (int)v;
    }
    m->n = k;
    memset(m->adj, 0, sizeof m->adj);
    for (int x = 0; x < k; x++) {
        json_t *row = json_array_get(adj, (size_t)keep[x]);
        for (int y = x + 1; y < k; y++)
            if (json_number_value(json_array_get(row, (size_t)keep[y])) != 0)
                m->adj[x] |= (uint16_t)(1u << y);
    }
    return CB_OK;
}

static const char *const acc_keys[4] = {"4_final_validation_accuracy", "12_final_validation_accuracy",
                                        "36_final_validation_accuracy", "108_final_validation_accuracy"};

static int read_cells(json_t *root, const char *path, const int32_t *lab_of, cb_nb101_table *t, char *why,
                      size_t len)
{
    json_t *adj = array_of(root, "adjacency", 0, path, why, len);
    size_t n = adj ? json_array_size(adj) : 0;
    json_t *ops = adj ? array_of(root, "operations", n, path, why, len) : NULL;
    json_t *keys = ops ? array_of(root, "key", n, path, why, len) : NULL;
    json_t *acc[4] = {0}, *params = NULL, *times = NULL;
    for (int e = 0; e < 4 && keys && (e == 0 || acc[e - 1]); e++)
        acc[e] = array_of(root, acc_keys[e], n, path, why, len);
    if (acc[3])
        params = array_of(root, "trainable_parameters", n, path, why, len);
    if (params)
        times = array_of(root, "final_training_time", n, path, why, len);
    if (!times)
        return CB_EINVAL;
    t->cells = cb_xcalloc(n + 1, sizeof *t->cells);
    t->n = n;
    for (size_t i = 0; i < n; i++) {
        cb_nb101_cell *c = &t->cells[i];
        char inner[200];
        const char *key = json_string_value(json_array_get(keys, i));
        if (!key || strlen(key) != 32) {
            snprintf(why, len, "%s: cell %zu: key is not a 32-digit MD5 hash", base(path), i);
            return CB_EINVAL;
        }
        if (read_cell(json_array_get(adj, i), json_array_get(ops, i), lab_of, &c->m, inner, sizeof inner)) {
            snprintf(why, len, "%s: cell %zu: %s", base(path), i, inner);
            return CB_EINVAL;
        }
        memcpy(c->key, key, 33);
        for (int e = 0; e < 4; e++)
            c->val_acc[e] = json_number_value(json_array_get(acc[e], i));
        c->params = json_number_value(json_array_get(params, i));
        c->train_time = json_number_value(json_array_get(times, i));
    }
    return CB_OK;
}

int cb_nb101_load(const char *path, cb_vocab *voc, cb_nb101_table *t, char *why, size_t why_len)
{
    memset(t, 0, sizeof *t);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        snprintf(why, why_len, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        return CB_EINVAL;
    }
    cb_labelset ls;
    int32_t ids[CB_NB101_OPS], lab_of[CB_NB101_OPS + 2];
    cb_nb101_labels(voc, &ls, ids);
    lab_of[0] = ls.out_id; /* operation -2 */
    lab_of[1] = ls.in_id;  /* operation -1 */
    for (int i = 0; i < CB_NB101_OPS; i++)
        lab_of[i + 2] = ids[i];
    int rc = json_is_object(root) ? read_cells(root, path, lab_of, t, why, why_len) : CB_EINVAL;
    if (!json_is_object(root))
        snprintf(why, why_len, "%s: expected a JSON object", base(path));
    json_decref(root);
    if (rc)
        cb_nb101_table_free(t);
    return rc;
}

void cb_nb101_table_free(cb_nb101_table *t)
{
    free(t->cells);
    memset(t, 0, sizeof *t);
}

int cb_nb201_load(const char *path, cb_nb201_table *t, char *why, size_t why_len)
{
    memset(t, 0, sizeof *t);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        snprintf(why, why_len, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        return CB_EINVAL;
    }
    json_t *archs = array_of(root, "archs", 0, path, why, why_len);
    json_t *acc = archs ? array_of(root, "accuracies", json_array_size(archs), path, why, why_len) : NULL;
    int rc = acc ? CB_OK : CB_EINVAL;
    size_t n = acc ? json_array_size(archs) : 0;
    t->arch = cb_xcalloc(n + 1, sizeof *t->arch);
    t->test_acc = cb_xcalloc(n + 1, sizeof *t->test_acc);
    for (size_t i = 0; i < n && rc == CB_OK; i++) {
        const char *s = json_string_value(json_array_get(archs, i));
        if (!s) {
            snprintf(why, why_len, "%s: archs[%zu] is not a string", base(path), i);
            rc = CB_EINVAL;
            break;
        }
        t->arch[i] = cb_xstrdup(s);
        t->test_acc[i] = json_number_value(json_array_get(acc, i));
        t->n = i + 1;
    }
    json_decref(root);
    if (rc)
        cb_nb201_table_free(t);
    return rc;
}

void cb_nb201_table_free(cb_nb201_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->arch[i]);
    free(t->arch);
    free(t->test_acc);
    memset(t, 0, sizeof *t);
}
