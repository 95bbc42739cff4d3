/* tests/unit/store.c: the SQLite run database: rows, states, caches, resume clean-up, and
 * clear errors for a read-only folder or another manifest. */
#include "store/store.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/cb-store-XXXXXX");
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert(eq(int, system(cmd), 0));
}

TestSuite(store, .init = make_dir, .fini = remove_dir);

static cb_metrics metrics(double acc)
{
    cb_metrics m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    m.status = CB_EVAL_OK;
    m.accuracy = acc;
    m.latency_s = 1e-3;
    m.area_mm2 = 12.5;
    m.performance = 0.5;
    return m;
}

Test(store, rows_states_and_resume)
{
    char err[512] = "";
    cb_store *s = cb_store_open(dir, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    cr_assert(eq(int, cb_store_manifest(s, "codebench: 1\n", err, sizeof err), 0), "%s", err);
    int64_t st0 = cb_store_save_state(s, "S0", 2);
    cb_pair p = {.cnn = 7, .n_accel = 3, .level = 0, .accel = {2, 16, 8}};
    int64_t a = cb_store_add_pending(s, &p, "abc", st0);
    p.cnn = 8;
    int64_t b = cb_store_add_pending(s, &p, "def", st0);
    cr_assert(gt(i64, b, a));
    cb_metrics m = metrics(0.9);
    cb_layer_row layer = {.name = "conv1", .op = "x", .cycles = 100};
    int64_t st1 = cb_store_finish(s, a, &m, 1.5, 0.001, NULL, &layer, 1, "S1", 2);
    cr_assert(gt(i64, st1, st0));
    /* a pair asked after the last snapshot is dropped on resume; one asked before stays */
    p.cnn = 9;
    cb_store_add_pending(s, &p, "ghi", st1);
    cr_assert(eq(int, cb_store_drop_pending_after(s, st1), 1));
    int64_t ok, failed, pending;
    cb_store_counts(s, &ok, &failed, &pending);
    cr_assert(eq(i64, ok, 1));
    cr_assert(eq(i64, pending, 1));
    cb_store_close(s);

    /* reopen: everything is still there */
    s = cb_store_open(dir, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    int64_t id;
    void *blob;
    size_t len;
    cb_store_latest_state(s, &id, &blob, &len);
    cr_assert(eq(i64, id, st1));
    cr_assert(eq(sz, len, 2));
    cr_assert(eq(int, memcmp(blob, "S1", 2), 0));
    free(blob);
    cb_eval_row *rows;
    size_t n;
    cr_assert(eq(int, cb_store_rows(s, &rows, &n), 0));
    cr_assert(eq(sz, n, 2));
    cr_assert(eq(i64, rows[0].pair.cnn, 7));
    cr_assert(eq(int, rows[0].pair.n_accel, 3));
    cr_assert(eq(dbl, rows[0].pair.accel[1], 16));
    cr_assert(eq(dbl, rows[0].m.accuracy, 0.9));
    cr_assert(eq(int, rows[0].status, CB_ROW_OK));
    cr_assert(eq(int, rows[1].status, CB_ROW_PENDING));
    cr_assert(eq(str, rows[1].cnn_hash, "def"));
    free(rows);
    cr_assert(eq(int, cb_store_integrity(s, err, sizeof err), 0));
    cb_store_close(s);
}

Test(store, failures_keep_their_error)
{
    char err[512];
    cb_store *s = cb_store_open(dir, err, sizeof err);
    cb_pair p = {.cnn = 1};
    int64_t a = cb_store_add_pending(s, &p, "h", 0);
    cb_metrics m = metrics(0);
    m.status = CB_EVAL_FAILED;
    cr_assert(gt(i64, cb_store_finish(s, a, &m, 0, 0, "worker killed by signal 11 (SIGSEGV)", NULL, 0, "", 0), 0));
    cb_eval_row *rows;
    size_t n;
    cb_store_rows(s, &rows, &n);
    cr_assert(eq(int, rows[0].status, CB_ROW_FAILED));
    cr_assert(eq(str, rows[0].error, "worker killed by signal 11 (SIGSEGV)"));
    cr_assert(isnan(rows[0].m.accuracy));
    free(rows);
    cb_store_close(s);
}

Test(store, caches)
{
    char err[512];
    cb_store *s = cb_store_open(dir, err, sizeof err);
    double acc = 0, sd = 0;
    int hit = 1;
    cb_store_acc_get(s, "h1", &acc, &sd, &hit);
    cr_assert(eq(int, hit, 0));
    cr_assert(eq(int, cb_store_acc_put(s, "h1", 0.875, 0.01, 3.0, NULL), 0));
    cb_store_acc_get(s, "h1", &acc, &sd, &hit);
    cr_assert(eq(int, hit, 1));
    cr_assert(eq(dbl, acc, 0.875));
    cr_assert(eq(int, cb_store_curve_add(s, "h1", 1, 0.5, 0.8, 0.79), 0));
    cb_store_close(s);
}

Test(store, another_manifest_is_refused)
{
    char err[512];
    cb_store *s = cb_store_open(dir, err, sizeof err);
    cr_assert(eq(int, cb_store_manifest(s, "codebench: 1\nseed: 1\n", err, sizeof err), 0));
    cr_assert(eq(int, cb_store_manifest(s, "codebench: 1\nseed: 1\n", err, sizeof err), 0));
    cr_assert(eq(int, cb_store_manifest(s, "codebench: 1\nseed: 2\n", err, sizeof err), -1));
    cr_assert(ne(ptr, strstr(err, "holds a study of another manifest"), NULL), "%s", err);
    cb_store_close(s);
}

Test(store, read_only_folder_is_a_clear_error)
{
    if (geteuid() == 0)
        cr_skip_test("root can write into a read-only folder");
    chmod(dir, 0555);
    char err[512] = "";
    cr_assert(eq(ptr, cb_store_open(dir, err, sizeof err), NULL));
    cr_assert(ne(ptr, strstr(err, "not writable"), NULL), "%s", err);
    chmod(dir, 0755);
}
