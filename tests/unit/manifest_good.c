/* tests/unit/manifest_good.c: good manifests load, and every value lands where it should:
 * section keys, defaults, narrowed axes and attributes, and the plugin parameter values that
 * a plugin's create() will receive (checked by calling it through libffi). */
#include "../plugins/fixture.h"
#include "host/host.h"
#include "manifest_util.h"
#include "plugin/bind.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static cb_registry reg;
static cb_manifest m;

static void load(const char *path)
{
    mt_chdir_src();
    mt_registry(&reg);
    cb_diag d;
    int rc = cb_manifest_load(path, &reg, &m, &d);
    char line[sizeof d.file + sizeof d.msg + 32];
    cr_assert(eq(int, rc, CB_OK), "%s", cb_diag_line(&d, line, sizeof line));
}

static void unload(void)
{
    cb_manifest_free(&m);
    cb_registry_free(&reg);
}

static void load_full(void) { load("tests/manifests/good/full.yaml"); }
static void load_minimal(void) { load("tests/manifests/good/minimal.yaml"); }

/* The value of a plugin reference's parameter, by name. */
static cb_value param(const cb_plugin_ref *r, const char *name)
{
    const cb_param *ps = cb_ref_params(r);
    for (size_t i = 0; i < r->n_values; i++)
        if (strcmp(ps[i].name, name) == 0)
            return r->values[i];
    cr_fatal("no parameter '%s'", name);
    return (cb_value){0};
}

static void expect_list(const cb_list *l, const int64_t *want, size_t n)
{
    cr_assert(eq(sz, l->n, n));
    for (size_t i = 0; i < n; i++)
        cr_expect(eq(i64, l->v[i].i, want[i]), "item %zu", i);
}

Test(manifest_good, top_level, .init = load_full, .fini = unload)
{
    cr_expect(eq(i64, m.version, 1));
    cr_expect(eq(str, (char *)m.name, "full-run"));
    cr_expect(eq(i64, m.seed, 42));
    cr_expect(eq(str, m.output.path, "tests/manifests/good/out/full"));
    cr_expect(eq(int, m.output.report, 0));
}

Test(manifest_good, cnn_section, .init = load_full, .fini = unload)
{
    const cb_manifest_cnn *c = &m.cnn;
    cr_expect(eq(i64, c->input.channels, 3));
    cr_expect(eq(i64, c->input.height, 32));
    cr_expect(eq(i64, c->input.width, 32));
    cr_expect(eq(i64, c->classes, 10));
    cr_expect(eq(int, c->space, CB_SPACE_MODULES));
    cr_expect(eq(i64, c->module.max_vertices, 4));
    cr_expect(eq(i64, c->module.max_edges, 6));
    cr_expect(eq(i64, c->stacks.max_modules, 30));
    expect_list(&c->stacks.levels, (int64_t[]){10, 5, 1}, 3);
    cr_expect(eq(i64, c->head.max_vertices, 6));
}

Test(manifest_good, op_attributes_narrowed, .init = load_full, .fini = unload)
{
    const cb_ref_list *ops = &m.cnn.ops;
    cr_assert(eq(sz, ops->n, 2));
    cr_expect(eq(str, (char *)ops->v[0].entry->plugin->name, "fx_op"));
    /* the bare name narrows nothing */
    cr_assert(eq(sz, ops->v[0].n_attrs, 2));
    cr_expect(eq(sz, ops->v[0].attrs[0].n, 0));
    cr_expect(eq(sz, ops->v[0].attrs[1].n, 0));
    /* factor: [0.5, 2]; mode: fancy (index 1 of {plain, fancy}) */
    const cb_list *factor = &ops->v[1].attrs[0], *mode = &ops->v[1].attrs[1];
    cr_assert(eq(sz, factor->n, 2));
    cr_expect(eq(dbl, factor->v[0].r, 0.5));
    cr_expect(eq(dbl, factor->v[1].r, 2.0));
    cr_assert(eq(sz, mode->n, 1));
    cr_expect(eq(int, mode->v[0].e, 1));
    /* marks are 1-based places in the file: line 13, "attrs: {factor: [0.5, 2]" */
    cr_expect(eq(int, factor->at[0].line, 13));
    cr_expect(eq(int, factor->at[0].col, 24));
}

Test(manifest_good, accelerator_section, .init = load_full, .fini = unload)
{
    const cb_manifest_accel *a = &m.accel;
    cr_expect(eq(int, a->family, CB_FAMILY_ASIC));
    cr_assert(eq(sz, a->mac.n, 1));
    cr_expect(eq(str, (char *)a->mac.v[0].entry->plugin->name, "fx_mac"));
    cr_expect(eq(sz, a->mac.v[0].n_values, 0));
    expect_list(&a->axes.p_ib, (int64_t[]){1, 2}, 2);
    expect_list(&a->axes.batch, (int64_t[]){64, 128}, 2);
    expect_list(&a->axes.mask_buffer_mb, (int64_t[]){4}, 1);
    /* axes not written keep their whole default set */
    expect_list(&a->axes.p_if, (int64_t[]){1, 16}, 2);
    expect_list(&a->axes.p_k, (int64_t[]){1, 3, 5, 7}, 4);
    cr_expect(eq(sz, a->axes.act_buffer_mb.n, 13));
    cr_expect(eq(i64, a->axes.act_buffer_mb.v[12].i, 24));
}

Test(manifest_good, memory_parameters, .init = load_full, .fini = unload)
{
    const cb_ref_list *mem = &m.accel.memory;
    cr_assert(eq(sz, mem->n, 2));
    /* the bare name: every default */
    cr_expect(eq(i64, param(&mem->v[0], "banks").i, 16));
    cr_expect(eq(dbl, param(&mem->v[0], "clock_ghz").r, 1.0));
    cr_expect(eq(str, (char *)param(&mem->v[0], "label").s, "main"));
    cr_expect(eq(int, mem->v[0].marks[0].line, 0), "a default has no mark");
    /* the written values, in schema order */
    const cb_plugin_ref *r = &mem->v[1];
    cr_expect(eq(i64, param(r, "banks").i, 8));
    cr_expect(eq(dbl, param(r, "clock_ghz").r, 2.5));
    cr_expect(eq(int, param(r, "ecc").b, 1));
    cr_expect(eq(str, (char *)param(r, "label").s, "hbm-like"));
    cr_expect(eq(int, param(r, "policy").e, 1));
    cr_expect(eq(int, r->marks[0].line, 23));
    cr_expect(eq(int, r->marks[0].col, 23));
    cr_expect(eq(int, r->at.line, 22));
    cr_expect(eq(int, r->at.col, 15));
}

/* The bound values are what create() receives: call it through libffi and read them back. */
Test(manifest_good, bound_values_reach_create, .init = load_full, .fini = unload)
{
    const cb_plugin_ref *r = &m.accel.memory.v[1];
    cb_host *h = cb_host_new(r->entry->plugin->name);
    cb_instance inst;
    cb_error e = {0};
    cr_assert(eq(int, cb_plugin_create(r->entry->plugin, h, r->values, &inst, &e), CB_OK), "%s", e.msg);
    const fx_mem_self *s = inst.self;
    cr_expect(eq(i64, s->banks, 8));
    cr_expect(eq(dbl, s->clock_ghz, 2.5));
    cr_expect(eq(int, s->ecc, 1));
    cr_expect(eq(str, (char *)s->label, "hbm-like"));
    cr_expect(eq(int, s->policy, 1));
    cb_instance_destroy(&inst);
    cb_host_free(h);
}

Test(manifest_good, objective_search_trainer_workers, .init = load_full, .fini = unload)
{
    const cb_objective_weights *w = &m.objective.weights;
    cr_expect(eq(dbl, w->latency, 0.25));
    cr_expect(eq(dbl, w->area, 0.25));
    cr_expect(eq(dbl, w->dynamic_energy, 0.0), "a weight left out is 0");
    cr_expect(eq(dbl, w->accuracy, 0.5));
    const cb_objective_constraints *c = &m.objective.constraints;
    cr_expect(eq(dbl, c->max_latency_ms, 12.5));
    cr_expect(eq(dbl, c->min_accuracy, 0.6));
    cr_expect(isinf(c->max_area_mm2), "no constraint written: infinite");
    cr_expect(eq(str, (char *)m.search.ref.entry->plugin->name, "fx_search"));
    cr_expect(eq(dbl, param(&m.search.ref, "k1").r, 1.5));
    cr_expect(eq(dbl, param(&m.search.ref, "k2").r, 0.5));
    cr_expect(eq(dbl, param(&m.search.ref, "alpha").r, 0.25));
    cr_expect(eq(i64, m.search.budget, 50));
    cr_expect(eq(i64, m.search.initial, 5));
    cr_expect(eq(i64, m.search.batch, 4));
    cr_expect(eq(i64, param(&m.trainer.ref, "epochs").i, 7));
    cr_expect(eq(dbl, param(&m.trainer.ref, "lr").r, 0.01));
    cr_expect(eq(i64, m.workers.count, 4));
    cr_expect(eq(dbl, m.workers.timeout_s, 90.5));
    cr_expect(eq(int, m.workers.backend, CB_BACKEND_LOCAL));
}

Test(manifest_good, defaults, .init = load_minimal, .fini = unload)
{
    cr_expect(eq(str, (char *)m.name, "minimal"), "the name defaults to the file's");
    cr_expect(eq(i64, m.seed, 0));
    cr_expect(eq(int, m.cnn.space, CB_SPACE_MODULES));
    cr_expect(eq(i64, m.cnn.module.max_vertices, 5));
    cr_expect(eq(i64, m.cnn.module.max_edges, 8));
    cr_expect(eq(i64, m.cnn.stacks.max_modules, 90));
    expect_list(&m.cnn.stacks.levels, (int64_t[]){10, 5, 1}, 3);
    cr_expect(eq(i64, m.cnn.head.max_vertices, 8));
    expect_list(&m.accel.axes.p_ib, (int64_t[]){1, 2, 4}, 3);
    expect_list(&m.accel.axes.batch, (int64_t[]){1, 64, 128, 256, 512}, 5);
    cr_expect(eq(sz, m.accel.axes.p_ix.n, 8));
    const cb_objective_weights *w = &m.objective.weights;
    cr_expect(eq(dbl, w->latency, 0.2));
    cr_expect(eq(dbl, w->area, 0.1));
    cr_expect(eq(dbl, w->dynamic_energy, 0.2));
    cr_expect(eq(dbl, w->leakage_energy, 0.2));
    cr_expect(eq(dbl, w->accuracy, 0.3));
    cr_expect(eq(i64, m.search.budget, 100));
    cr_expect(eq(i64, m.search.initial, 10));
    cr_expect(eq(i64, m.search.batch, 1));
    cr_expect(eq(i64, param(&m.trainer.ref, "epochs").i, 2));
    cr_expect(eq(i64, m.workers.count, 1));
    cr_expect(eq(dbl, m.workers.timeout_s, 3600.0));
    cr_expect(eq(int, m.output.report, 1));
    cr_expect(eq(str, m.output.path, "tests/manifests/good/runs/minimal"));
}

/* Every file in tests/manifests/good loads. */
Test(manifest_good, every_good_manifest_loads)
{
    mt_chdir_src();
    mt_registry(&reg);
    DIR *dir = opendir("tests/manifests/good");
    cr_assert(dir != NULL);
    int n = 0;
    for (struct dirent *de; (de = readdir(dir));) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[512], line[5000];
        snprintf(path, sizeof path, "tests/manifests/good/%s", de->d_name);
        cb_diag d;
        int rc = cb_manifest_load(path, &reg, &m, &d);
        cr_expect(eq(int, rc, CB_OK), "%s", cb_diag_line(&d, line, sizeof line));
        if (rc == CB_OK)
            cb_manifest_free(&m);
        n++;
    }
    closedir(dir);
    cr_expect(ge(int, n, 2));
    cb_registry_free(&reg);
}

static void load_nb101(void) { load("tests/manifests/good/nb101.yaml"); }

Test(manifest_good, other_styles, .init = load_nb101, .fini = unload)
{
    cr_expect(eq(str, (char *)m.name, "nb101-codesign"));
    cr_expect(eq(int, m.cnn.space, CB_SPACE_NB101));
    cr_expect(eq(sz, m.cnn.ops.n, 0));
    cr_expect(eq(int, m.accel.family, CB_FAMILY_FPGA));
    const cb_plugin_ref *mem = &m.accel.memory.v[0];
    cr_expect(eq(str, (char *)param(mem, "label").s, "off-chip"));
    cr_expect(eq(int, param(mem, "policy").e, 1), "a quoted enum is still its choice");
    cr_expect(eq(i64, param(mem, "banks").i, 16));
    cr_expect(eq(dbl, m.objective.weights.accuracy, 0.3), "empty weights are the paper's");
    cr_expect(eq(i64, m.search.budget, 5));
    cr_expect(eq(i64, m.search.initial, 5), "initial is capped by a small budget");
    cr_expect(eq(dbl, param(&m.trainer.ref, "lr").r, 1e-3));
    cr_expect(eq(int, m.workers.backend, CB_BACKEND_MPI));
}
