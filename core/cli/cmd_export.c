/* core/cli/cmd_export.c: `codebench export DIR --csv|--json [--layers] [-o FILE]`: every
 * evaluation of a run folder, with its metrics, as CSV or JSON (core/report/export.h). */
#include "cli/commands.h"
#include "report/export.h"
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: codebench export DIR (--csv | --json) [--layers] [-o FILE]\n\n"
                 "Prints every evaluation of the run folder DIR with its pair and metrics, in ask order:\n"
                 "  --csv     one header line, then one line per evaluation (accel_0.. hold the\n"
                 "            accelerator vector; a metric a failed row lacks is an empty field)\n"
                 "  --json    an array of objects (a missing metric is null)\n"
                 "  --layers  the per-layer simulation rows too: with --json nested in each\n"
                 "            evaluation as \"layers\"; with --csv instead of the evaluations, one\n"
                 "            line per layer keyed by eval_id (the evaluations' id)\n"
                 "  -o FILE   write FILE instead of standard output\n"
                 "Numbers read back to the same double. Exit status: 0 ok, 1 a read or write failed,\n"
                 "2 bad input.\n");
}

typedef struct opts {
    const char *dir, *out;
    int csv, json, layers;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0)
            o->csv = 1;
        else if (strcmp(argv[i], "--json") == 0)
            o->json = 1;
        else if (strcmp(argv[i], "--layers") == 0)
            o->layers = 1;
        else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            o->out = argv[++i];
        else if (argv[i][0] != '-' && !o->dir)
            o->dir = argv[i];
        else {
            fprintf(stderr, "codebench export: unexpected argument '%s' (`codebench export --help`)\n",
                    argv[i]);
            return -1;
        }
    }
    if (!o->dir || o->csv + o->json != 1) {
        fprintf(stderr, "codebench export: give a run folder and one of --csv or --json "
                        "(`codebench export --help`)\n");
        return -1;
    }
    return 0;
}

/* A folder without codebench.db is bad input; cb_store_open would create one. */
static cb_store *open_store(const char *dir)
{
    char path[4096], err[1024] = "";
    struct stat st;
    snprintf(path, sizeof path, "%s/codebench.db", dir);
    if (stat(path, &st) != 0) {
        fprintf(stderr, "codebench export: %s: no codebench.db in this folder (is it a run folder?)\n", dir);
        return NULL;
    }
    cb_store *s = cb_store_open(dir, err, sizeof err);
    if (!s)
        fprintf(stderr, "codebench export: %s\n", err);
    return s;
}

static int write_all(FILE *out, const opts *o, cb_store *s)
{
    if (o->csv && o->layers)
        return cb_export_layers_csv(out, s);
    cb_eval_row *rows;
    size_t n;
    if (cb_store_rows(s, &rows, &n))
        return -1;
    int rc = o->csv ? cb_export_csv(out, rows, n) : cb_export_json(out, rows, n, o->layers ? s : NULL);
    free(rows);
    return rc;
}

int cb_cmd_export(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    opts o;
    if (parse(argc, argv, &o))
        return CB_EXIT_USAGE;
    cb_store *s = open_store(o.dir);
    if (!s)
        return CB_EXIT_USAGE;
    FILE *out = o.out ? fopen(o.out, "w") : stdout;
    if (!out) {
        fprintf(stderr, "codebench export: %s: %s\n", o.out, strerror(errno));
        cb_store_close(s);
        return CB_EXIT_FAIL;
    }
    int rc = write_all(out, &o, s);
    if ((o.out ? fclose(out) : fflush(out)) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "codebench export: %s: reading the database or writing failed\n",
                o.out ? o.out : "standard output");
    cb_store_close(s);
    return rc ? CB_EXIT_FAIL : CB_EXIT_OK;
}
