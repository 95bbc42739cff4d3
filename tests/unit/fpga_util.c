/* tests/unit/fpga_util.c: see fpga_util.h. */
#include "fpga_util.h"

#include "host/host.h"
#include "pareto/enum.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cb_registry *fu_registry(void)
{
    static cb_registry reg;
    static int loaded;
    if (!loaded) {
        cb_registry_init(&reg);
        char *dir = cb_test_path("plugins");
        cb_error e = {0};
        cr_assert(cb_registry_load_dir(&reg, dir, &e) == CB_OK, "%s", e.msg);
        free(dir);
        loaded = 1;
    }
    return &reg;
}

static void set_value(const cb_param *schema, cb_value *vals, const char *kv)
{
    char name[64];
    const char *eq = strchr(kv, '=');
    cr_assert(eq && (size_t)(eq - kv) < sizeof name, "bad override '%s'", kv);
    memcpy(name, kv, (size_t)(eq - kv));
    name[eq - kv] = '\0';
    int i = cb_param_index(schema, name);
    cr_assert(i >= 0, "no parameter '%s'", name);
    char why[256];
    cr_assert(cb_param_parse(&schema[i], eq + 1, false, &vals[i], why, sizeof why) == CB_OK, "%s", why);
}

fu_accel fu_accel_new(const char *const *overrides)
{
    cb_error e = {0};
    const cb_entry *en = cb_registry_find(fu_registry(), CB_KIND_ACCEL, "chaidnn", &e);
    cr_assert(en, "%s", e.msg);
    cb_value vals[16];
    char why[256];
    cr_assert(cb_param_defaults(en->plugin->params, vals, why, sizeof why) == CB_OK, "%s", why);
    for (int i = 0; overrides && overrides[i]; i++)
        set_value(en->plugin->params, vals, overrides[i]);
    fu_accel a = {en->plugin->vtable, NULL, cb_host_new("chaidnn")};
    cb_instance inst;
    cr_assert(cb_plugin_create(en->plugin, a.host, vals, &inst, &e) == CB_OK, "%s", e.msg);
    a.self = inst.self;
    return a;
}

void fu_accel_free(fu_accel *a)
{
    const cb_entry *en = cb_registry_find(fu_registry(), CB_KIND_ACCEL, "chaidnn", NULL);
    en->plugin->destroy(a->self);
    cb_host_free(a->host);
}

static cb_axis axes_[CB_ACCEL_MAX];
static int n_axes_;

const double *fu_configs(int64_t *n, int *n_axes, const cb_axis **axes)
{
    static double *all;
    static int64_t count;
    if (!all) {
        fu_accel a = fu_accel_new(NULL);
        n_axes_ = a.vt->axes(a.self, axes_, CB_ACCEL_MAX);
        all = cb_configs_all(axes_, n_axes_, &count);
        fu_accel_free(&a);
    }
    *n = count;
    if (n_axes)
        *n_axes = n_axes_;
    if (axes)
        *axes = axes_;
    return all;
}

int fu_axis(const char *name)
{
    int64_t n;
    fu_configs(&n, NULL, NULL);
    for (int i = 0; i < n_axes_; i++)
        if (strcmp(axes_[i].name, name) == 0)
            return i;
    cr_assert_fail("no axis %s", name);
    return -1;
}

const cb_skeleton *fu_skeleton(void)
{
    static cb_skeleton sk;
    static int loaded;
    if (!loaded) {
        char *p = cb_test_src("examples/codesign-nas/nb101-skeleton.yaml");
        cb_diag d;
        cr_assert(cb_skeleton_load(p, fu_registry(), &sk, &d) == CB_OK, "%s: %s", p, d.msg);
        free(p);
        loaded = 1;
    }
    return &sk;
}

cb_cellset *fu_cells(void)
{
    static cb_cellset cs;
    static int loaded;
    if (!loaded) {
        char *p = cb_test_src("../shared/data/nas/nb101-1k.json"), why[512];
        if (access(p, R_OK) != 0) {
            free(p);
            p = strdup("/work/shared/data/nas/nb101-1k.json");
        }
        cr_assert(cb_cellset_table(&cs, p, 108, why, sizeof why) == CB_OK, "%s", why);
        free(p);
        cb_cnn_source src;
        cb_cellset_source(&cs, fu_skeleton(), (cb_shape){1, 3, 1, 32, 32}, &src);
        loaded = 1;
    }
    return &cs;
}

const cb_graph *fu_cell_graph(int64_t i)
{
    cb_cellset *cs = fu_cells();
    char why[512];
    cr_assert(cb_cellnet_build(&cs->net, cs->sk, &cs->cells[i], cs->op_of_label, cs->voc.n,
                               cs->input, why, sizeof why) == CB_OK, "cell %lld: %s", (long long)i, why);
    return &cs->net.g;
}

static void node_attrs(const cb_op_vt *vt, const char *spec, cb_value *vals)
{
    char why[256], buf[256];
    cr_assert(cb_param_defaults(vt->attrs, vals, why, sizeof why) == CB_OK, "%s", why);
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *kv = strtok(buf, ","); kv; kv = strtok(NULL, ","))
        set_value(vt->attrs, vals, kv);
}

const cb_graph *fu_graph(const fu_node *nodes, int n)
{
    static cb_node nd[8];
    static cb_value vals[8][32];
    static int32_t ins[8][4];
    static cb_graph g;
    cr_assert(n >= 1 && n <= 8);
    g = (cb_graph){sizeof g, n, nd, {1, 3, 1, 32, 32}, 0, "", "fu_graph"};
    for (int k = 0; k < n; k++) {
        cb_error e = {0};
        const cb_entry *en = cb_registry_find(fu_registry(), CB_KIND_OP, nodes[k].op, &e);
        cr_assert(en, "%s", e.msg);
        const cb_op_vt *vt = en->plugin->vtable;
        node_attrs(vt, nodes[k].attrs, vals[k]);
        cb_shape in[4];
        for (int i = 0; i < nodes[k].n_in; i++) {
            ins[k][i] = nodes[k].in[i];
            in[i] = ins[k][i] < 0 ? g.input : nd[ins[k][i]].out;
        }
        nd[k] = (cb_node){en->plugin->name, vt, vals[k], nodes[k].n_in, ins[k], {0}, -1};
        cr_assert(vt->infer(vals[k], nodes[k].n_in, in, &nd[k].out, &e) == CB_OK, "%s", e.msg);
    }
    g.classes = nd[n - 1].out.c;
    return &g;
}

double fu_latency(fu_accel *a, const cb_graph *g, const double *config, double *area)
{
    int n_axes;
    int64_t n;
    fu_configs(&n, &n_axes, NULL);
    cb_accel_result r;
    cb_error e = {0};
    cr_assert(a->vt->evaluate(a->self, g, config, n_axes, &r, &e) == CB_OK, "%s", e.msg);
    if (area)
        *area = r.area_mm2;
    return r.latency_s;
}
