/* tests/unit/report_cli.c: `codebench report` and `codebench export` as a user meets them
 * (build/codebench run in a shell): the report's path on stdout and its files, exit 2 and one
 * line for a folder without a database, exit 1 and "nothing to report" for an empty one and
 * for one where every evaluation failed, and export to a file. */
#include "report_fixture.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

static report_fixture fx;
static void setup(void) { report_fixture_make(&fx); }
static void teardown(void) { report_fixture_remove(&fx); }
TestSuite(report_cli, .init = setup, .fini = teardown);

typedef struct result {
    int status;
    char *out, *err;
} result;

/* Runs codebench with args (NULL-terminated), stdout and stderr captured in the fixture's folder. */
static result run_argv(const char *const *args)
{
    cb_test_cli c = cb_test_run_cli(fx.dir, args);
    return (result){c.status, c.out, c.err};
}
#define run(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

Test(report_cli, report_prints_the_page_it_wrote)
{
    char want[160];
    result r = run("report", fx.dir);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    snprintf(want, sizeof want, "%s/report/index.html\n", fx.dir);
    cr_assert(eq(str, r.out, want));
    cr_assert(ne(ptr, strstr(r.err, "failed or were infeasible"), NULL), "%s", r.err);
    size_t len = 0;
    want[strlen(want) - 1] = '\0';
    char *page = report_slurp(want, &len);
    cr_assert(ne(ptr, page, NULL));
    cr_assert(gt(sz, len, 100000));
    free(page);
    result_free(&r);
}

Test(report_cli, a_folder_without_a_database_is_exit_2)
{
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no-such-run", fx.dir);
    result r = run("report", missing);
    cr_assert(eq(int, r.status, 2));
    cr_assert(eq(int, strncmp(r.err, "codebench report: ", 18), 0), "%s", r.err);
    result_free(&r);
    r = run("export", missing, "--csv");
    cr_assert(eq(int, r.status, 2), "%s", r.err);
    result_free(&r);
    r = run("report");
    cr_assert(eq(int, r.status, 2));
    result_free(&r);
    r = run("export", fx.dir, "--csv", "--json");
    cr_assert(eq(int, r.status, 2));
    result_free(&r);
}

Test(report_cli, nothing_to_report_is_exit_1)
{
    char sub[128], err[256];
    snprintf(sub, sizeof sub, "%s/empty", fx.dir);
    cb_store *s = cb_store_open(sub, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    cb_pair p = {.cnn = 1};
    int64_t id = cb_store_add_pending(s, &p, "h", 0);
    result r = run("report", sub);
    cr_assert(eq(int, r.status, 1));
    cr_assert(ne(ptr, strstr(r.err, "nothing to report"), NULL), "%s", r.err);
    result_free(&r);
    /* every evaluation failed: the message names the error */
    cb_metrics m = {.size = sizeof m, .status = CB_EVAL_FAILED};
    cr_assert(gt(i64, cb_store_finish(s, id, &m, 0, 0, "trainer ran out of memory", NULL, 0, "", 0), 0));
    cb_store_close(s);
    r = run("report", sub);
    cr_assert(eq(int, r.status, 1));
    cr_assert(ne(ptr, strstr(r.err, "1 failed"), NULL), "%s", r.err);
    cr_assert(ne(ptr, strstr(r.err, "trainer ran out of memory"), NULL), "%s", r.err);
    result_free(&r);
}

Test(report_cli, export_writes_the_file_named)
{
    char path[128];
    snprintf(path, sizeof path, "%s/rows.json", fx.dir);
    result r = run("export", fx.dir, "--json", "--layers", "-o", path);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cr_assert(eq(str, r.out, ""));
    char *json = report_slurp(path, NULL);
    cr_assert(ne(ptr, json, NULL));
    cr_assert(eq(int, json[0], '['));
    cr_assert(ne(ptr, strstr(json, "\"layers\":[{\"layer\":0,"), NULL));
    free(json);
    result_free(&r);
}
