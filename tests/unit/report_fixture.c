/* tests/unit/report_fixture.c: see report_fixture.h. */
#include "report_fixture.h"

#include <codebench/rng.h>
#include <criterion/criterion.h>
#include <ftw.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Metrics of an ok pair: log-uniform latency and energies over three decades, so the report
 * must pick log axes for them; values carry all 17 digits so round-trips are tested. */
static cb_metrics ok_metrics(cb_rng *r)
{
    cb_metrics m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    m.status = CB_EVAL_OK;
    m.accuracy = 0.6 + 0.35 * cb_rng_unit(r);
    m.acc_std = 0.01 * cb_rng_unit(r);
    m.latency_s = 1e-5 * pow(10, 3 * cb_rng_unit(r));
    m.area_mm2 = 20 + 380 * cb_rng_unit(r);
    m.dyn_energy_j = 1e-4 * pow(10, 3 * cb_rng_unit(r));
    m.leak_energy_j = 0.2 * m.dyn_energy_j * cb_rng_unit(r);
    m.throughput_fps = 64 / m.latency_s;
    m.edp = (m.dyn_energy_j + m.leak_energy_j) * m.latency_s;
    m.performance = cb_rng_unit(r);
    return m;
}

static const char *error_of(int i, int *status)
{
    if (i % 7 == 3) {
        *status = CB_EVAL_FAILED;
        return i % 2 ? "worker killed by signal 11 (SIGSEGV)" : REPORT_FIXTURE_ODD_ERROR;
    }
    if (i % 11 == 5) {
        *status = CB_EVAL_INFEASIBLE;
        return "area over the 300 mm2 bound";
    }
    *status = CB_EVAL_OK;
    return NULL;
}

static void add_row(cb_store *s, cb_rng *r, int i, report_fixture *f)
{
    cb_pair p = {.cnn = i * 3, .n_accel = 13, .level = i % 3};
    for (int a = 0; a < 13; a++)
        p.accel[a] = (double)(1 + (i + a) % 8) + (a == 12 ? 0.25 : 0);
    char hash[65];
    snprintf(hash, sizeof hash, "%064x", (unsigned)(i * 2654435761u));
    int64_t id = cb_store_add_pending(s, &p, hash, 0);
    cr_assert(gt(i64, id, 0));
    int status;
    const char *err = error_of(i, &status);
    cb_metrics m = ok_metrics(r);
    m.status = status;
    if (status == CB_EVAL_INFEASIBLE) { /* better than any ok pair: must not count as best or on a front */
        m.accuracy = 0.99;
        m.latency_s = m.area_mm2 = m.dyn_energy_j = m.edp = 1e-9;
        m.performance = 1.5;
    }
    cb_layer_row layers[3];
    int n_layers = status == CB_EVAL_OK && i % 4 == 0 ? 3 : 0;
    for (int l = 0; l < n_layers; l++) {
        memset(&layers[l], 0, sizeof layers[l]);
        snprintf(layers[l].name, sizeof layers[l].name, "layer,%d", l); /* a comma to quote */
        snprintf(layers[l].op, sizeof layers[l].op, "op%d", l);
        layers[l].cycles = 1000.0 * (l + 1) + i;
        layers[l].compute_cycles = 800.0 * (l + 1);
        layers[l].stall_cycles = layers[l].cycles - layers[l].compute_cycles;
        layers[l].latency_s = layers[l].cycles / 7e8;
        layers[l].dyn_energy_j = 1e-6 * (l + 1) / 3.0;
        layers[l].leak_energy_j = 1e-7 / 3.0;
    }
    f->n_layer_rows += n_layers;
    cr_assert(gt(i64, cb_store_finish(s, id, &m, 0.5 + i, 1e-3 * i, err, layers, n_layers, "S", 1), 0));
}

void report_fixture_make(report_fixture *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cb-report-XXXXXX");
    cr_assert(ne(ptr, mkdtemp(f->dir), NULL));
    char err[512] = "";
    cb_store *s = cb_store_open(f->dir, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    cb_rng r;
    cb_rng_seed(&r, 7);
    for (int i = 0; i < REPORT_FIXTURE_ROWS; i++)
        add_row(s, &r, i, f);
    cb_pair p = {.cnn = 999, .n_accel = 0};
    cr_assert(gt(i64, cb_store_add_pending(s, &p, "pending", 0), 0)); /* asked, never finished */
    cr_assert(eq(int, cb_store_rows(s, &f->rows, &f->n), 0));
    cb_store_close(s);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* nftw rather than system("rm -rf"): system() spawns through vfork, which valgrind (make
 * check-valgrind) now and then turns into a crash. */
void report_fixture_remove(report_fixture *f)
{
    cr_assert(eq(int, nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0), "%s", f->dir);
    free(f->rows);
}

char *report_slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, in);
    fclose(in);
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}
