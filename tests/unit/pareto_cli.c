/* tests/unit/pareto_cli.c: `codebench pareto` end to end on experiment 3 of Codesign-NAS
 * (accuracy >= 0.92, area <= 100 mm^2, fastest first) over the first 60 cells of the table:
 * exit status, the report, and the CSV files (every top pair feasible, rewards falling, the
 * front's size as printed); and bad input is exit 2 with the reason. The manifest is written
 * here so that it names this build's plugins and the source tree's files. */
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/cb_pareto_cli_XXXXXX";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(ne(ptr, f, NULL), "cannot read %s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strdup(buf);
}

static char *abs_src(const char *rel)
{
    char *p = cb_test_src("%s", rel), *r = realpath(p, NULL);
    /* the shared data sits beside the checkout; a checkout elsewhere finds it at /work/shared */
    if (!r && strncmp(rel, "../shared/", 10) == 0) {
        char alt[512];
        snprintf(alt, sizeof alt, "/work/%s", rel + 3);
        r = realpath(alt, NULL);
    }
    cr_assert(ne(ptr, r, NULL), "no %s", p);
    free(p);
    return r;
}

static void write_manifest(const char *name, const char *space, double min_acc)
{
    char *plugins = cb_test_path("plugins"), *table = abs_src("../shared/data/nas/nb101-1k.json");
    char *skel = abs_src("examples/codesign-nas/nb101-skeleton.yaml"), path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(ne(ptr, f, NULL));
    fprintf(f, "codebench: 1\nplugin_path: [%s]\ncnn:\n  space: %s\n  input: {channels: 3, height: 32, "
            "width: 32}\n  classes: 10\n  table: %s\n  skeleton: %s\naccelerator:\n  family: fpga\n"
            "  plugin: chaidnn\nobjective:\n  weights: {latency: 1}\n  constraints: {min_accuracy: %g, "
            "max_area_mm2: 100}\nsearch: {plugin: reinforce, budget: 100}\n", plugins, space, table,
            skel, min_acc);
    fclose(f);
    free(plugins);
    free(table);
    free(skel);
}

static void setup(void)
{
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    write_manifest("exp3.yaml", "nb101", 0.92);
    write_manifest("cards.yaml", "cards", 0.92);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect(eq(int, system(cmd), 0));
}

TestSuite(pareto_cli, .init = setup, .fini = teardown);

typedef struct result {
    int status;
    char *out, *err;
} result;

static result run_argv(const char *const *args)
{
    cb_test_cli c = cb_test_run_cli(dir, args);
    return (result){c.status, c.out, c.err};
}
#define run(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

static size_t lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(pareto_cli, experiment_3_on_60_cells)
{
    char man[128], csv[128], path[160];
    snprintf(man, sizeof man, "%s/exp3.yaml", dir);
    snprintf(csv, sizeof csv, "%s/out", dir);
    result r = run("pareto", man, "--cells", "60", "--threads", "2", "--top", "3", "--csv", csv);
    cr_assert(eq(int, r.status, 0), "%s", r.err);
    cr_expect(ne(ptr, strstr(r.out, "60 cells of the table (108-epoch validation accuracy) x 8640 "
                             "configurations of chaidnn"), NULL), "%s", r.out);
    cr_expect(ne(ptr, strstr(r.out, "pairs: 518400 in "), NULL), "%s", r.out);
    cr_expect(ne(ptr, strstr(r.out, "constraints: area <= 100 mm^2, accuracy >= 0.92"), NULL));
    size_t front = 0;
    const char *at = strstr(r.out, "pareto front over (accuracy, latency, area): ");
    cr_assert(ne(ptr, (void *)at, NULL));
    sscanf(at + strlen("pareto front over (accuracy, latency, area): "), "%zu", &front);
    snprintf(path, sizeof path, "%s/front.csv", csv);
    char *f = slurp(path);
    cr_expect(eq(sz, lines(f), front + 1), "a header and one row per front pair");
    snprintf(path, sizeof path, "%s/top.csv", csv);
    char *top = slurp(path), *line = strchr(top, '\n');
    cr_assert(gt(sz, lines(top), 1), "some pairs are feasible");
    double prev = 2;
    for (char *l = line + 1; *l; l = strchr(l, '\n') + 1) {
        int rank, feasible;
        double reward, acc, lat, area;
        cr_assert(eq(int, sscanf(l, "%d,%lf,%d,%lf,%lf,%lf", &rank, &reward, &feasible, &acc, &lat, &area), 6));
        cr_expect(eq(int, feasible, 1));
        cr_expect(ge(dbl, acc, 0.92));
        cr_expect(le(dbl, area, 100));
        cr_expect(le(dbl, reward, prev), "by falling reward");
        prev = reward;
    }
    free(f);
    free(top);
    free(r.out);
    free(r.err);
}

Test(pareto_cli, bad_input_is_exit_2)
{
    char man[128];
    snprintf(man, sizeof man, "%s/cards.yaml", dir);
    result r = run("pareto", man);
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "cnn.table does not apply to cnn.space 'cards'"), NULL), "%s", r.err);
    free(r.out);
    free(r.err);
    snprintf(man, sizeof man, "%s/exp3.yaml", dir);
    r = run("pareto", man, "--threads", "0");
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "--threads takes an integer in 1..1024"), NULL), "%s", r.err);
    free(r.out);
    free(r.err);
    r = run("pareto", man, "--epochs", "100");
    cr_expect(eq(int, r.status, 2));
    cr_expect(ne(ptr, strstr(r.err, "after 4, 12, 36 or 108 epochs"), NULL), "%s", r.err);
    free(r.out);
    free(r.err);
}
