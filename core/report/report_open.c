/* core/report/report_open.c: reading a run folder for the report: tells a folder without a
 * database (bad input) from one whose database cannot be read (a failure), and adds the
 * reference pairs when the run's manifest lists them. */
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Checks that run_dir is a folder holding codebench.db; cb_store_open would create one. */
static int has_database(const char *run_dir, char *err, size_t len)
{
    struct stat st;
    if (stat(run_dir, &st) != 0) {
        snprintf(err, len, "%s: %s", run_dir, strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, len, "%s: not a folder (give the run folder, which holds codebench.db)", run_dir);
        return 0;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/codebench.db", run_dir);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, len, "%s: no codebench.db in this folder (is it a run folder?)", run_dir);
        return 0;
    }
    return 1;
}

/* A report with nothing to show skips them (they are only compared with the best pair). */
static void references(cb_report *r, const char *run_dir)
{
    char *text = cb_report_manifest_text(run_dir);
    if (r->best >= 0 && text && cb_report_text_has_references(text)) {
        char *path = cb_report_find_manifest(run_dir, text);
        if (path) {
            cb_report_references(r, path, run_dir);
        } else {
            r->refs.declared = 1;
            snprintf(r->refs.note, sizeof r->refs.note,
                     "the run's manifest lists reference pairs, but no file with its text (as "
                     "codebench.db recorded it) was found near %s, so their cards, named relative "
                     "to the manifest's folder, cannot be found: put the manifest back, unchanged, "
                     "next to the run folder or up to three folders above it", run_dir);
        }
        free(path);
    }
    free(text);
}

int cb_report_open(const char *run_dir, cb_report *r, char *err, size_t len)
{
    memset(r, 0, sizeof *r);
    if (!has_database(run_dir, err, len))
        return CB_REPORT_NO_DB;
    cb_store *s = cb_store_open(run_dir, err, len);
    if (!s)
        return CB_REPORT_NO_DB;
    cb_eval_row *rows;
    size_t n;
    int rc = cb_store_rows(s, &rows, &n);
    cb_store_close(s);
    if (rc != 0) {
        snprintf(err, len, "%s/codebench.db: cannot read the evaluations", run_dir);
        return CB_REPORT_FAILED;
    }
    cb_report_build(r, run_dir, rows, n);
    references(r, run_dir);
    return 0;
}
