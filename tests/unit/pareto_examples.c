/* tests/unit/pareto_examples.c: the three Codesign-NAS experiment manifests of
 * examples/codesign-nas/ load (their table, skeleton, accelerator and search plugins resolve)
 * and carry the paper's weights and constraints (Sec. III-C), so that `codebench pareto` and
 * bench/pareto_search.c run the experiments the docs describe. */
#include "manifest/manifest.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct expected {
    const char *file;
    double w_area, w_lat, w_acc, max_lat_ms, max_area_mm2, min_acc;
} expected;

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
        char *path = cb_test_src("examples/codesign-nas/%s", want[i].file);
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
        free(path);
    }
    cb_registry_free(&reg);
}
