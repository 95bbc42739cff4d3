/* plugins/trainers/tabular/table.c: the "tabular" trainer plugin's descriptor: its parameter
 * schema, create (which loads and checks the table, so a bad file fails before a run starts)
 * and destroy, and the pack entry (build/plugins/trainers/tabular.so). */
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_PARAMS(P)                                                                          \
    P(PATH, table, NULL, 0, 0, NULL, "",                                                          \
      "benchmark file: NAS-Bench-201 (archs, accuracies) or NAS-Bench-101 (adjacency, operations, key, ...)") \
    P(INT, epochs, "0", 0, 100000, NULL, "epochs",                                               \
      "which accuracy: the one after this many epochs (NB101: 4, 12, 36, 108; NB201: 200; 0: the longest)") \
    P(STR, cell_ops, "", 0, 0, NULL, "",                                                          \
      "NB101 graphs without a key: their cell ops 0, 1, 2 as 'OP [attr=value ...]; ...; ...' (empty: off)")

CB_PARAM_TABLE(table_params, TABLE_PARAMS);
static int table_create(const cb_host *h, cb_error *e, void **self, const char *path, int64_t epochs,
                        const char *cell_ops);
CB_CHECK_CREATE(table_create, TABLE_PARAMS);

static void table_destroy(void *self)
{
    table_trainer *tt = self;
    if (!tt)
        return;
    tb_free(&tt->t);
    free(tt);
}

static int pick_column(const cb_host *h, cb_error *e, table_trainer *tt, int64_t epochs)
{
    const tb_table *t = &tt->t;
    if (epochs == 0) {
        tt->col = t->n_cols - 1;
        return CB_OK;
    }
    char have[64] = "";
    for (int c = 0; c < t->n_cols; c++) {
        if (t->col_epochs[c] == epochs) {
            tt->col = c;
            return CB_OK;
        }
        size_t len = strlen(have);
        snprintf(have + len, sizeof have - len, "%s%d", c ? ", " : "", t->col_epochs[c]);
    }
    return h->fail(h, e, CB_EINVAL, "epochs", "%s (%s) has accuracies after %s epochs, not %lld", t->path,
                   t->name, have, (long long)epochs);
}

static int patterns(const cb_host *h, cb_error *e, table_trainer *tt, const char *cell_ops)
{
    if (!cell_ops || !*cell_ops)
        return CB_OK;
    if (tt->t.kind != TB_NB101)
        return h->fail(h, e, CB_EINVAL, "cell_ops", "%s is a %s table: cells are read from graphs for "
                       "NAS-Bench-101 tables only", tt->t.path, tt->t.name);
    char why[256];
    int n;
    if (tb_patterns_parse(cell_ops, tt->cell_ops, &n, why, sizeof why))
        return h->fail(h, e, CB_EINVAL, "cell_ops", "'%s': %s", cell_ops, why);
    tt->recognise = 1;
    return CB_OK;
}

static int table_create(const cb_host *h, cb_error *e, void **self, const char *path, int64_t epochs,
                        const char *cell_ops)
{
    if (!path || !*path)
        return h->fail(h, e, CB_EINVAL, "table", "no benchmark file given (a NAS-Bench-201 or NAS-Bench-101 "
                       "JSON file, e.g. shared/data/nas/nb201-cifar10.json)");
    table_trainer *tt = calloc(1, sizeof *tt);
    if (!tt)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    tt->h = h;
    char why[480];
    int rc = tb_load(path, &tt->t, why, sizeof why);
    if (rc != CB_OK)
        h->fail(h, e, rc, "table", "%s", why);
    else if ((rc = pick_column(h, e, tt, epochs)) == CB_OK)
        rc = patterns(h, e, tt, cell_ops);
    if (rc != CB_OK) {
        table_destroy(tt);
        return rc;
    }
    h->log(h, CB_LOG_INFO, "%s: %zu %s cells, %s accuracy after %d epochs", path, tt->t.n, tt->t.name,
           tt->t.metric, tt->t.col_epochs[tt->col]);
    *self = tt;
    return CB_OK;
}

static const cb_trainer_vt table_vt = {sizeof(cb_trainer_vt), table_train};

static const cb_plugin table_plugin = {
    sizeof(cb_plugin), CB_KIND_TRAINER, "tabular", "0.1.0",
    "looks the accuracy up in a tabular benchmark (NAS-Bench-201, NAS-Bench-101) instead of training",
    table_params, (cb_fn)table_create, table_destroy, &table_vt};

CB_PACK("tabular", "0.1.0", "BSD-3-Clause", "codebench", &table_plugin)
