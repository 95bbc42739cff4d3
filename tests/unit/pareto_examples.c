/* tests/unit/pareto_examples.c: the three Codesign-NAS experiment manifests of
 * examples/codesign-nas/ load (their table, skeleton, accelerator and search plugins resolve)
 * and carry the paper's weights and constraints (Sec. III-C), so that `codebench pareto` and
 * bench/pareto_search.c run the experiments the docs describe. */
#include "manifest/manifest.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct expected {
    const char *file;
    double w_area, w_lat, w_acc, max_lat_ms, max_area_mm2, min_acc;
} expected;

/* The manifests name the benchmark table as ../../../shared/data/... (beside the checkout). A
 * checkout elsewhere gets a copy in a temporary folder with that path made absolute where the
 * shared folder is found (../shared from the source root, else /work/shared). */
static char dir[] = "/tmp/cb_pareto_examples_XXXXXX"; /* the copies, when made */

static char *located(const char *file)
{
    char *path = cb_test_src("examples/codesign-nas/%s", file);
    char *table = cb_test_src("examples/codesign-nas/../../../shared/data/nas/nb101-1k.json");
    int here = access(table, R_OK) == 0;
    free(table);
    if (here)
        return path;
    char *src = cb_test_src("../shared/data");
    char *shared = realpath(src, NULL);
    free(src);
    if (!shared)
        shared = strdup("/work/shared/data");
    char *skeleton = cb_test_src("examples/codesign-nas/nb101-skeleton.yaml"), *sk = realpath(skeleton, NULL);
    cr_assert(ne(ptr, sk, NULL), "%s", skeleton);
    FILE *in = fopen(path, "r");
    cr_assert(ne(ptr, in, NULL), "%s", path);
    if (strchr(dir, 'X'))
        cr_assert(ne(ptr, mkdtemp(dir), NULL));
    char *out_path = NULL, line[4096];
    cr_assert(asprintf(&out_path, "%s/%s", dir, file) > 0);
    FILE *out = fopen(out_path, "w");
    cr_assert(ne(ptr, out, NULL));
    while (fgets(line, sizeof line, in)) {
        char *at = strstr(line, "../../../shared/data");
        if (at)
            fprintf(out, "%.*s%s%s", (int)(at - line), line, shared, at + strlen("../../../shared/data"));
        else if ((at = strstr(line, "nb101-skeleton.yaml")) && strstr(line, "skeleton:"))
            fprintf(out, "  skeleton: %s\n", sk);
        else
            fputs(line, out);
    }
    fclose(in);
    fclose(out);
    free(shared);
    free(skeleton);
    free(sk);
    free(path);
    return out_path;
}

Test(pareto_examples, the_three_experiments)
{
    static const expected want[] = {
        {"unconstrained.yaml", 0.1, 0.8, 0.1, INFINITY, INFINITY, 0},
        {"latency-100ms.yaml", 0.1, 0, 0.9, 100, INFINITY, 0},
        {"accuracy-area.yaml", 0, 1, 0, INFINITY, 100, 0.92},
    };
    cb_registry reg;
    cb_registry_init(&reg);
    char *plugins = cb_test_path("plugins");
    cb_error e = {0};
    cr_assert(eq(int, cb_registry_load_dir(&reg, plugins, &e), CB_OK), "%s", e.msg);
    free(plugins);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char *path = located(want[i].file);
        cb_manifest m;
        cb_diag d;
        char line[5000];
        int rc = cb_manifest_load(path, &reg, &m, &d);
        cr_assert(eq(int, rc, CB_OK), "%s", cb_diag_line(&d, line, sizeof line));
        cr_expect(eq(int, m.cnn.space, CB_SPACE_NB101), "%s", want[i].file);
        cr_expect(ne(ptr, (void *)m.cnn.table, NULL));
        cr_expect(ne(ptr, (void *)m.cnn.skeleton, NULL));
        cr_expect(eq(int, m.accel.family, CB_FAMILY_FPGA));
        cr_assert(ne(ptr, (void *)m.accel.plugin.entry, NULL));
        cr_expect(eq(str, (char *)m.accel.plugin.entry->plugin->name, "chaidnn"));
        cr_assert(ne(ptr, (void *)m.search.ref.entry, NULL));
        cr_expect(eq(str, (char *)m.search.ref.entry->plugin->name, "reinforce"));
        cr_expect(eq(i64, m.search.budget, 10000), "the paper's 10,000 steps");
        const cb_objective_weights *w = &m.objective.weights;
        const cb_objective_constraints *c = &m.objective.constraints;
        cr_expect(eq(dbl, w->area, want[i].w_area), "%s: area weight", want[i].file);
        cr_expect(eq(dbl, w->latency, want[i].w_lat), "%s: latency weight", want[i].file);
        cr_expect(eq(dbl, w->accuracy, want[i].w_acc), "%s: accuracy weight", want[i].file);
        cr_expect(eq(dbl, c->max_latency_ms, want[i].max_lat_ms), "%s: latency bound", want[i].file);
        cr_expect(eq(dbl, c->max_area_mm2, want[i].max_area_mm2), "%s: area bound", want[i].file);
        cr_expect(eq(dbl, c->min_accuracy, want[i].min_acc), "%s: accuracy bound", want[i].file);
        cb_manifest_free(&m);
        if (strncmp(path, dir, strlen(dir)) == 0) /* a copy made by located() */
            unlink(path);
        free(path);
    }
    if (!strchr(dir, 'X'))
        rmdir(dir);
    cb_registry_free(&reg);
}
