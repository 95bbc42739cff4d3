/* core/cli/cmd_run.c: `codebench run MANIFEST`: a whole study, from the manifest to the best
 * pair, resumable after Ctrl-C or a crash with --resume. */
#include "cli/commands.h"
#include "host/host.h"
#include "report/report.h"
#include "runner/run.h"
#include "runner/workers_mpi.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench run MANIFEST [-o DIR] [--workers N] [--resume] [--quiet]\n\n"
            "Runs the study a manifest describes: the search asks for CNN-accelerator pairs, worker\n"
            "processes train and simulate them, and every result goes to DIR/codebench.db.\n"
            "  -o DIR        run folder (default: the manifest's output.dir)\n"
            "  --workers N   worker processes (default: the manifest's workers.count)\n"
            "  --resume      continue the study in DIR where it stopped (Ctrl-C, a crash, a kill)\n"
            "  --quiet       no progress output\n"
            "Ctrl-C stops cleanly: finished evaluations are already saved; run again with --resume.\n");
}

static void print_best(cb_study *st, const char *dir, const cb_run_summary *s)
{
    cb_store *store = cb_store_open(dir, NULL, 0);
    cb_eval_row *rows = NULL;
    size_t n = 0;
    if (store)
        cb_store_rows(store, &rows, &n);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].id != s->best_id)
            continue;
        const cb_eval_row *r = &rows[i];
        printf("best pair: cnn %lld (%.16s) on accelerator [", (long long)r->pair.cnn, r->cnn_hash);
        for (int k = 0; k < r->pair.n_accel; k++)
            printf("%s%s=%g", k ? " " : "", st->axes[k].name, r->pair.accel[k]);
        printf("]\n  performance %.4f  accuracy %.4f  latency %.4g ms  area %.4g mm^2  dynamic %.4g mJ  leakage %.4g mJ\n",
               r->m.performance, r->m.accuracy, r->m.latency_s * 1e3, r->m.area_mm2,
               r->m.dyn_energy_j * 1e3, r->m.leak_energy_j * 1e3);
    }
    free(rows);
    cb_store_close(store);
}

/* Ranks 1..N-1 of an MPI job: check the manifest here too (a rank on another machine may see
 * other files), then relay jobs to a local worker process until rank 0 says stop. */
static int serve_rank(const char *manifest, const char *exe)
{
    cb_study st;
    cb_diag d;
    if (cb_study_open(manifest, 0, &st, &d)) {
        cb_diag_print(&d, stderr);
        cb_mpi_abort(CB_EXIT_USAGE);
    }
    char *args[] = {"worker", (char *)manifest, NULL};
    int rc = cb_mpi_serve(exe, args, st.m.workers.timeout_s);
    cb_study_close(&st);
    cb_mpi_finalize();
    return rc ? CB_EXIT_FAIL : CB_EXIT_OK;
}

/* The study's report (output.report), written into DIR/report; prints its path. */
static void write_report(const char *dir)
{
    char err[1024] = "", out[4096];
    cb_report r;
    if (cb_report_open(dir, &r, err, sizeof err) != 0) {
        fprintf(stderr, "codebench run: no report: %s\n", err);
        return;
    }
    snprintf(out, sizeof out, "%s/report", dir);
    if (r.best >= 0 && cb_report_write(&r, out, err, sizeof err) == 0)
        printf("report: %s/index.html\n", out);
    else if (r.best >= 0)
        fprintf(stderr, "codebench run: no report: %s\n", err);
    cb_report_free(&r);
}

int cb_cmd_run(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    cb_run_opts o;
    memset(&o, 0, sizeof o);
    const char *manifest = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            o.out_dir = argv[++i];
        else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 1024) {
                fprintf(stderr, "codebench run: --workers takes 1..1024, got '%s'\n", argv[i]);
                return CB_EXIT_USAGE;
            }
            o.workers = (int)n;
        } else if (strcmp(argv[i], "--resume") == 0)
            o.resume = 1;
        else if (strcmp(argv[i], "--quiet") == 0)
            o.quiet = 1;
        else if (argv[i][0] != '-' && !manifest)
            manifest = argv[i];
        else {
            fprintf(stderr, "codebench run: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return CB_EXIT_USAGE;
        }
    }
    if (!manifest) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    static char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        fprintf(stderr, "codebench run: cannot find my own executable for the workers\n");
        return CB_EXIT_FAIL;
    }
    exe[n] = '\0';
    o.exe = exe;

    int rank = 0, size = 1;
    if (cb_mpi_launched() && cb_mpi_init(&rank, &size)) {
        fprintf(stderr, "codebench run: MPI_Init failed\n");
        return CB_EXIT_FAIL;
    }
    if (size > 1 && rank > 0)
        return serve_rank(manifest, exe);
    o.mpi_ranks = size;

    cb_study st;
    cb_diag d;
    int rc = cb_study_open(manifest, CB_ROLE_COORDINATOR, &st, &d);
    if (rc) {
        cb_diag_print(&d, stderr);
        cb_study_close(&st);
        if (size > 1)
            cb_mpi_abort(rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL);
        return rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    cb_host_install_signals();
    const char *dir = o.out_dir ? o.out_dir : st.m.output.path;
    cb_run_summary sum;
    char err[1024] = "";
    rc = cb_run(&st, &o, &sum, err, sizeof err);
    if (rc == CB_EINVAL || rc == CB_EFAIL)
        fprintf(stderr, "codebench run: %s\n", err);
    if (rc == CB_OK || rc == CB_ECANCEL) {
        printf("%s: %lld evaluated, %lld failed%s; database %s/codebench.db\n",
               rc == CB_ECANCEL ? "stopped" : "done", (long long)sum.ok, (long long)sum.failed,
               rc == CB_ECANCEL ? " (resume with --resume)" : "", dir);
        if (rc == CB_OK && sum.ok + sum.failed < st.m.search.budget)
            printf("the search ended before its budget of %lld queries: search plugin '%s' had no more "
                   "pairs to propose (converged, or its space is used up)\n",
                   (long long)st.m.search.budget, st.search.plugin->name);
        if (sum.best_id)
            print_best(&st, dir, &sum);
        if (sum.best_id && st.m.output.report)
            write_report(dir);
    }
    cb_study_close(&st);
    if (size > 1)
        cb_mpi_finalize();
    return rc == CB_OK ? CB_EXIT_OK : rc == CB_EINVAL ? CB_EXIT_USAGE : rc == CB_ECANCEL ? 130 : CB_EXIT_FAIL;
}
