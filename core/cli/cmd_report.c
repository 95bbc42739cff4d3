/* core/cli/cmd_report.c: `codebench report DIR`: writes DIR/report/ (index.html, report.json,
 * the figures as SVG and PNG) from the run folder's database and prints the page's path. */
#include "cli/commands.h"
#include "report/report.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: codebench report DIR [-o OUTDIR]\n\n"
                 "Writes the report of the run folder DIR into DIR/report (or OUTDIR): index.html (one\n"
                 "self-contained page), report.json, and each figure as SVG and PNG: the best pair, the\n"
                 "Pareto fronts of accuracy against area, dynamic energy, latency and EDP, the best\n"
                 "performance against the number of queries, the top pairs and the failures.\n"
                 "docs/reports.md explains each part.\n\n"
                 "Exit status: 0 written, 1 nothing to report (no ok evaluation) or a write failed,\n"
                 "2 bad input (DIR is not a run folder).\n");
}

/* The most frequent error, for the one-line "nothing to report" message. */
static void nothing_to_report(const cb_report *r)
{
    if (r->n_rows == 0) {
        fprintf(stderr, "codebench report: nothing to report: %s holds no evaluations yet\n", r->run_dir);
        return;
    }
    fprintf(stderr,
            "codebench report: nothing to report: none of the %zu evaluations in %s is ok "
            "(%zu failed, %zu infeasible, %zu pending)",
            r->n_rows, r->run_dir, r->n_failed, r->n_infeasible, r->n_pending);
    if (r->n_errors)
        fprintf(stderr, "; most frequent error (%zu times): %s", r->errors[0].count,
                r->errors[0].text[0] ? r->errors[0].text : "(no message)");
    fputc('\n', stderr);
}

static int parse(int argc, char **argv, const char **dir, const char **out)
{
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            *out = argv[++i];
        else if (argv[i][0] == '-' || *dir) {
            fprintf(stderr, "codebench report: unexpected argument '%s' (`codebench report --help`)\n",
                    argv[i]);
            return -1;
        } else
            *dir = argv[i];
    }
    if (!*dir) {
        usage(stderr);
        return -1;
    }
    return 0;
}

int cb_cmd_report(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    const char *dir = NULL, *out = NULL;
    if (parse(argc, argv, &dir, &out))
        return CB_EXIT_USAGE;
    char err[1024] = "", out_dir[4096];
    cb_report r;
    int rc = cb_report_open(dir, &r, err, sizeof err);
    if (rc) {
        fprintf(stderr, "codebench report: %s\n", err);
        return rc == CB_REPORT_NO_DB ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    if (r.best < 0) {
        nothing_to_report(&r);
        cb_report_free(&r);
        return CB_EXIT_FAIL;
    }
    snprintf(out_dir, sizeof out_dir, "%s", out ? out : dir);
    if (!out)
        strncat(out_dir, "/report", sizeof out_dir - strlen(out_dir) - 1);
    rc = cb_report_write(&r, out_dir, err, sizeof err);
    if (rc)
        fprintf(stderr, "codebench report: %s\n", err);
    else if (r.n_failed + r.n_infeasible)
        fprintf(stderr, "codebench report: %zu of %zu evaluations failed or were infeasible (see the "
                        "report's Failures section)\n",
                r.n_failed + r.n_infeasible, r.n_rows);
    if (rc == 0)
        printf("%s/index.html\n", out_dir);
    cb_report_free(&r);
    return rc ? CB_EXIT_FAIL : CB_EXIT_OK;
}
