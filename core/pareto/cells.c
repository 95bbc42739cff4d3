/* core/pareto/cells.c: NAS-Bench-101 cells for an enumeration (see cells.h). */
#include "pareto/cells.h"
#include "graph/forms.h"
#include "graph/modenum.h"
#include "graph/nb101.h"
#include "graph/nbdata.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Labels named by a non-negative integer k compute cell op k. */
static void map_labels(cb_cellset *cs)
{
    cs->op_of_label = cb_xmalloc(((size_t)cs->voc.n + 1) * sizeof *cs->op_of_label);
    for (int32_t i = 0; i < cs->voc.n; i++) {
        char *end;
        long k = strtol(cs->voc.v[i].name, &end, 10);
        cs->op_of_label[i] = *end == '\0' && end != cs->voc.v[i].name && k >= 0 ? (int32_t)k : -1;
    }
}

int cb_cellset_table(cb_cellset *cs, const char *path, int epochs, char *why, size_t why_len)
{
    static const int at[] = {4, 12, 36, 108};
    int col = -1;
    for (int i = 0; i < 4; i++)
        col = at[i] == epochs ? i : col;
    memset(cs, 0, sizeof *cs);
    cb_vocab_init(&cs->voc);
    if (col < 0) {
        snprintf(why, why_len, "NAS-Bench-101 has accuracies after 4, 12, 36 or 108 epochs, not %d",
                 epochs);
        return CB_EINVAL;
    }
    cb_nb101_table t;
    if (cb_nb101_load(path, &cs->voc, &t, why, why_len) != CB_OK)
        return CB_EINVAL;
    cs->n = (int64_t)t.n;
    cs->cells = cb_xmalloc((t.n + 1) * sizeof *cs->cells);
    cs->accuracy = cb_xmalloc((t.n + 1) * sizeof *cs->accuracy);
    cs->key = cb_xmalloc((t.n + 1) * sizeof *cs->key);
    for (size_t i = 0; i < t.n; i++) {
        cs->cells[i] = t.cells[i].m;
        cs->accuracy[i] = t.cells[i].val_acc[col];
        memcpy(cs->key[i], t.cells[i].key, sizeof cs->key[i]);
    }
    cb_nb101_table_free(&t);
    map_labels(cs);
    return CB_OK;
}

typedef struct collect {
    cb_cellset *cs;
    size_t cap;
} collect;

static int keep(void *ctx, const cb_module *m)
{
    collect *c = ctx;
    cb_grow(&c->cs->cells, sizeof *c->cs->cells, (size_t)c->cs->n + 1, &c->cap);
    c->cs->cells[c->cs->n++] = *m;
    return 0;
}

int cb_cellset_space(cb_cellset *cs, char *why, size_t why_len)
{
    memset(cs, 0, sizeof *cs);
    cb_vocab_init(&cs->voc);
    cb_forms f;
    if (cb_forms_build(&f, 2, CB_NB101_VERTICES, CB_NB101_EDGES) != CB_OK) {
        snprintf(why, why_len, "cannot enumerate the NAS-Bench-101 cell shapes");
        return CB_EFAIL;
    }
    cb_labelset ls;
    int32_t ids[CB_NB101_OPS];
    cb_nb101_labels(&cs->voc, &ls, ids);
    collect c = {cs, 0};
    int rc = cb_modules_enumerate(&f, &ls, keep, &c);
    cb_forms_free(&f);
    if (rc != 0) {
        snprintf(why, why_len, "enumerating the NAS-Bench-101 cells failed");
        return CB_EFAIL;
    }
    map_labels(cs);
    return CB_OK;
}

static const cb_graph *cell_graph(void *ctx, int64_t i, char *why, size_t why_len)
{
    cb_cellset *cs = ctx;
    if (cb_cellnet_build(&cs->net, cs->sk, &cs->cells[i], cs->op_of_label, cs->voc.n, cs->input,
                         why, why_len) != CB_OK)
        return NULL;
    return &cs->net.g;
}

void cb_cellset_source(cb_cellset *cs, const cb_skeleton *sk, cb_shape input, cb_cnn_source *src)
{
    cs->sk = sk;
    cs->input = input;
    *src = (cb_cnn_source){cs->n, cs->accuracy, cell_graph, cs};
}

void cb_cellset_free(cb_cellset *cs)
{
    free(cs->cells);
    free(cs->accuracy);
    free(cs->key);
    free(cs->op_of_label);
    cb_cellnet_free(&cs->net);
    cb_vocab_free(&cs->voc);
    memset(cs, 0, sizeof *cs);
}
