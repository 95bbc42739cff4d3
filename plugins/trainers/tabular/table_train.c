/* plugins/trainers/tabular/table_train.c: one "training" of the table trainer: which cell the
 * graph is, and its row (see table.h).
 *
 * The graph carries its cell as the core built it (docs/trainers.md):
 *  - NAS-Bench-201: the name is the benchmark's architecture string
 *    "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|" (an optional "nb201:" prefix is dropped);
 *  - NAS-Bench-101: the name is the cell's key (32 hex digits, optionally "nb101:<key>") or the
 *    cell itself, "nb101:<n>:<mask>:<ops>", hashed here; otherwise the graph's hash when it is
 *    32 hex digits (for a cell space the cell's MD5 key is the network's isomorphism hash);
 *    otherwise, with `cell_ops` set, the cell read back from the network's nodes (table_cell.c).
 * Nothing is trained: the recipe and the weights of the job are ignored, and a graph whose cell
 * is not in the table is an error, never an estimate. */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int is_md5(const char *s)
{
    return s && strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static const char *or_none(const char *s)
{
    return s && *s ? s : "(none)";
}

/* The NB101 key the graph names into key[33]; CB_OK, or CB_EINVAL with why filled. */
static int nb101_key(const table_trainer *tt, const cb_graph *g, char *key, char *why, size_t len)
{
    const char *name = g->name;
    if (name && !strncmp(name, "nb101:", 6) && is_md5(name + 6)) {
        memcpy(key, name + 6, 33);
        return CB_OK;
    }
    if (name && !strncmp(name, "nb101:", 6))
        return tb_nb101_spec_hash(name, key, why, len) ? CB_EINVAL : CB_OK;
    if (is_md5(name)) {
        memcpy(key, name, 33);
        return CB_OK;
    }
    if (is_md5(g->hash)) {
        memcpy(key, g->hash, 33);
        return CB_OK;
    }
    char inner[300] = "";
    if (tt->recognise) {
        if (tb_cell_from_graph(tt->cell_ops, g, key, inner, sizeof inner) == 0)
            return CB_OK;
        snprintf(why, len, "graph '%s' (hash %s) is not a network of NAS-Bench-101 cells with the cell_ops given: "
                 "%s", or_none(name), or_none(g->hash), inner);
        return CB_EINVAL;
    }
    snprintf(why, len, "graph '%s' (hash %s) names no NAS-Bench-101 cell: the core must pass the cell's MD5 key "
             "as the graph's hash or name, or the cell as its name, nb101:<vertices>:<edge mask>:<ops>, or "
             "cell_ops must say how its cells' ops look", or_none(name), or_none(g->hash));
    return CB_EINVAL;
}

static int nb201_key(const cb_graph *g, const char **key, char *why, size_t len)
{
    const char *name = g->name;
    if (name && !strncmp(name, "nb201:", 6))
        name += 6;
    if (name && name[0] == '|' && strchr(name, '~')) {
        *key = name;
        return CB_OK;
    }
    snprintf(why, len, "graph '%s' (hash %s) names no NAS-Bench-201 cell: the core must pass the benchmark's "
             "architecture string, |op~0|+|op~0|op~1|+|op~0|op~1|op~2|, as the graph's name",
             or_none(g->name), or_none(g->hash));
    return CB_EINVAL;
}

int table_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    table_trainer *tt = self;
    const cb_host *h = tt->h;
    const tb_table *t = &tt->t;
    double t0 = now_s();
    if (!job || !job->graph)
        return h->fail(h, e, CB_EINVAL, NULL, "no graph to look up");
    const cb_graph *g = job->graph;
    char why[512], md5[33];
    const char *key = md5;
    int rc = t->kind == TB_NB101 ? nb101_key(tt, g, md5, why, sizeof why) : nb201_key(g, &key, why, sizeof why);
    if (rc)
        return h->fail(h, e, rc, "table", "%s", why);
    const tb_row *row = tb_find(t, key);
    if (!row)
        return h->fail(h, e, CB_EINVAL, "table", "graph '%s': cell %s is not in %s (%s, %zu cells); a table "
                       "trainer answers only for the cells it holds", or_none(g->name), key, t->path, t->name, t->n);
    double acc = row->acc[tt->col];
    h->log(h, CB_LOG_DEBUG, "%s: %s accuracy %.4f after %d epochs", key, t->metric, acc, t->col_epochs[tt->col]);
    if (job->progress) {
        cb_train_progress p = {sizeof p, t->col_epochs[tt->col], t->col_epochs[tt->col], 1, 1, NAN, NAN,
                               t->kind == TB_NB101 ? acc : -1, 0};
        job->progress(job->progress_ctx, &p);
    }
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->accuracy = acc;
    r->val_accuracy = t->kind == TB_NB101 ? acc : -1; /* NB101's figures are validation accuracies */
    r->loss = NAN;                                  /* the tables hold no losses */
    r->acc_std = 0;                                 /* one figure per cell in these files */
    r->epochs = t->col_epochs[tt->col];
    r->seconds = now_s() - t0;
    r->images_per_s = 0;
    return CB_OK;
}
