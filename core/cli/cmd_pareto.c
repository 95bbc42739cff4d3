/* core/cli/cmd_pareto.c: `codebench pareto MANIFEST`: every NAS-Bench-101 cell of the manifest's
 * table (or of the whole space) paired with every configuration of its accelerator family
 * plugin, the exact Pareto front over (accuracy, latency, area), and the best pairs for the
 * manifest's objective (its weights and constraints are the experiment's reward). The
 * enumeration is core/pareto/enum.c; this file reads the manifest, builds the two sides and
 * reports. */
#include "cli/commands.h"
#include "host/host.h"
#include "manifest/manifest.h"
#include "pareto/print.h"
#include "plugin/bind.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct opts {
    const char *path, *csv;
    int threads, all_cells, progress, epochs, evaluate;
    int64_t cells, top, chunk;
} opts;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench pareto MANIFEST [--threads N] [--top N] [--csv DIR] [--cells N]\n"
            "                        [--all-cells] [--epochs E] [--chunk N] [--progress] [--evaluate]\n\n"
            "Pairs every CNN of the manifest's cnn.table (space nb101, networks from cnn.skeleton)\n"
            "with every configuration of its accelerator.plugin (family fpga), finds the exact\n"
            "Pareto front over (accuracy, latency, area), and ranks the front's pairs that meet\n"
            "objective.constraints by the reward of objective.weights (latency, area, accuracy).\n"
            "Memory does not grow with the number of pairs (docs/codesign-nas.md).\n\n"
            "  --threads N   enumeration threads (default: the online CPUs)\n"
            "  --top N       rows of the top table (default 10)\n"
            "  --csv DIR     write DIR/front.csv and DIR/top.csv\n"
            "  --cells N     only the first N cells\n"
            "  --all-cells   every cell of the NAS-Bench-101 space (423,624) instead of the table:\n"
            "                no accuracies, so the front is over (latency, area)\n"
            "  --epochs E    the table's validation accuracy after E epochs: 4, 12, 36, 108 (108)\n"
            "  --chunk N     CNNs prepared at a time (default 8192)\n"
            "  --progress    a line per chunk on stderr\n"
            "  --evaluate    the plugin's evaluate() for every pair, on one thread, even where it\n"
            "                offers the fast path (the fast path's reference and peer)\n\n"
            "Exit status: 0 ok, 1 failure at run time, 2 bad input.\n");
}

static int number(const char *flag, const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || *end || end == text || v < lo || v > hi) {
        fprintf(stderr, "codebench pareto: %s takes an integer in %lld..%lld, got '%s'\n", flag,
                (long long)lo, (long long)hi, text ? text : "");
        return CB_EXIT_USAGE;
    }
    *out = v;
    return CB_EXIT_OK;
}

static int option(opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *next = *i + 1 < argc ? argv[*i + 1] : NULL;
    int64_t v = 0;
    int rc = CB_EXIT_OK;
    if (!strcmp(a, "--all-cells"))
        return o->all_cells = 1, CB_EXIT_OK;
    if (!strcmp(a, "--progress"))
        return o->progress = 1, CB_EXIT_OK;
    if (!strcmp(a, "--evaluate"))
        return o->evaluate = 1, CB_EXIT_OK;
    if (!strcmp(a, "--csv") && next)
        return o->csv = next, ++*i, CB_EXIT_OK;
    if (!strcmp(a, "--threads"))
        rc = number(a, next, 1, 1024, &v), o->threads = (int)v;
    else if (!strcmp(a, "--top"))
        rc = number(a, next, 0, 1000000, &o->top);
    else if (!strcmp(a, "--cells"))
        rc = number(a, next, 1, INT64_MAX / 2, &o->cells);
    else if (!strcmp(a, "--epochs"))
        rc = number(a, next, 1, 1000, &v), o->epochs = (int)v;
    else if (!strcmp(a, "--chunk"))
        rc = number(a, next, 1, 1 << 24, &o->chunk);
    else {
        fprintf(stderr, "codebench pareto: unknown option '%s' (or it lacks its value)\n", a);
        return CB_EXIT_USAGE;
    }
    ++*i;
    return rc;
}

static int parse_args(int argc, char **argv, opts *o)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (opts){NULL, NULL, cpus > 0 ? (int)cpus : 1, 0, 0, 108, 0, 0, 10, 0};
    for (int i = 1; i < argc; i++) {
        int rc = CB_EXIT_OK;
        if (argv[i][0] == '-' && argv[i][1])
            rc = option(o, argc, argv, &i);
        else if (o->path) {
            fprintf(stderr, "codebench pareto: one manifest at a time\n");
            rc = CB_EXIT_USAGE;
        } else
            o->path = argv[i];
        if (rc != CB_EXIT_OK)
            return rc;
    }
    if (!o->path) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    return CB_EXIT_OK;
}

/* What this command needs from the manifest, each missing piece named. */
static int check_manifest(const cb_manifest *m, const opts *o, const char *path)
{
    const char *why = NULL;
    if (m->cnn.space != CB_SPACE_NB101)
        why = "cnn.space must be nb101 (the cells of NAS-Bench-101)";
    else if (!m->cnn.skeleton)
        why = "cnn.skeleton names no skeleton file (the network the cells go into)";
    else if (!m->cnn.table && !o->all_cells)
        why = "cnn.table names no table of trained cells (or pass --all-cells)";
    else if (m->accel.family != CB_FAMILY_FPGA || !m->accel.plugin.entry)
        why = "accelerator.family must be fpga with accelerator.plugin naming its family plugin";
    else if (m->objective.weights.dynamic_energy > 0 || m->objective.weights.leakage_energy > 0 ||
             isfinite(m->objective.constraints.max_dynamic_energy_mj) ||
             isfinite(m->objective.constraints.max_leakage_energy_mj))
        why = "objective: the accelerator family models no energy; weigh and bound latency, area "
              "and accuracy only";
    if (why)
        fprintf(stderr, "%s: %s\n", path, why);
    return why ? CB_EXIT_USAGE : CB_EXIT_OK;
}

static cb_reward reward_of(const cb_manifest *m)
{
    const cb_objective_weights *w = &m->objective.weights;
    const cb_objective_constraints *c = &m->objective.constraints;
    return (cb_reward){w->area, w->latency, w->accuracy,
                       isfinite(c->max_latency_ms) ? c->max_latency_ms * 1e-3 : INFINITY,
                       isfinite(c->max_area_mm2) ? c->max_area_mm2 : INFINITY, c->min_accuracy};
}

typedef struct session {
    cb_registry reg;
    cb_manifest m;
    cb_skeleton sk;
    cb_cellset cells;
    cb_instance inst;
    cb_host *host;
    cb_axis axes[CB_ACCEL_MAX];
    int n_axes;
    double *configs;
    int64_t n_configs;
    char what[256];
} session;

static int load_sides(session *s, const opts *o)
{
    char why[1024], *p = cb_manifest_resolve(&s->m, s->m.cnn.skeleton);
    cb_diag d;
    int rc = cb_skeleton_load(p, &s->reg, &s->sk, &d);
    free(p);
    if (rc != CB_OK)
        return cb_diag_print(&d, stderr), CB_EXIT_USAGE;
    p = o->all_cells ? NULL : cb_manifest_resolve(&s->m, s->m.cnn.table);
    rc = p ? cb_cellset_table(&s->cells, p, o->epochs, why, sizeof why) : cb_cellset_space(&s->cells, why, sizeof why);
    free(p);
    if (rc != CB_OK)
        return fprintf(stderr, "codebench pareto: %s\n", why), CB_EXIT_USAGE;
    if (o->cells && o->cells < s->cells.n)
        s->cells.n = o->cells;
    snprintf(s->what, sizeof s->what, o->all_cells ? "%lld NAS-Bench-101 cells (the whole space)"
             : "%lld cells of the table (%d-epoch validation accuracy)", (long long)s->cells.n, o->epochs);
    return CB_EXIT_OK;
}

static int load_accel(session *s)
{
    const cb_plugin_ref *r = &s->m.accel.plugin;
    cb_error e;
    memset(&e, 0, sizeof e);
    s->host = cb_host_new(r->entry->plugin->name);
    if (cb_plugin_create(r->entry->plugin, s->host, r->values, &s->inst, &e) != CB_OK) {
        fprintf(stderr, "%s: accelerator.plugin '%s': %s\n", s->m.doc->path, r->entry->plugin->name,
                e.msg);
        return e.code == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    const cb_accel_vt *vt = r->entry->plugin->vtable;
    s->n_axes = vt->axes(s->inst.self, s->axes, CB_ACCEL_MAX);
    if (s->n_axes < 1 || s->n_axes > CB_ACCEL_MAX) {
        fprintf(stderr, "codebench pareto: plugin '%s' declares %d axes (1..%d)\n",
                r->entry->plugin->name, s->n_axes, CB_ACCEL_MAX);
        return CB_EXIT_FAIL;
    }
    s->configs = cb_configs_all(s->axes, s->n_axes, &s->n_configs);
    return CB_EXIT_OK;
}

static int enumerate(session *s, const opts *o)
{
    cb_cnn_source src;
    cb_cellset_source(&s->cells, &s->sk, (cb_shape){1, (int32_t)s->m.cnn.input.channels, 1,
                      (int32_t)s->m.cnn.input.height, (int32_t)s->m.cnn.input.width}, &src);
    cb_config_set cs = {s->inst.plugin->vtable, s->inst.self, s->n_axes, s->n_configs, s->configs};
    cb_enum_opts eo = {o->threads, o->chunk, o->progress, o->evaluate};
    cb_enum_result r;
    char why[1024];
    int rc = cb_enumerate(&src, &cs, &eo, &r, why, sizeof why);
    if (rc != CB_OK) {
        fprintf(stderr, "codebench pareto: %s\n", why);
        cb_enum_result_free(&r);
        return rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    cb_reward w = reward_of(&s->m);
    cb_pareto_view v = {&r, &w, s->axes, s->n_axes, s->configs, s->n_configs, &s->cells, s->what,
                        s->inst.plugin->name, o->threads, (size_t)o->top};
    cb_pareto_print(&v, stdout);
    rc = CB_EXIT_OK;
    if (o->csv && cb_pareto_csv(&v, o->csv, why, sizeof why) != CB_OK) {
        fprintf(stderr, "codebench pareto: %s\n", why);
        rc = CB_EXIT_FAIL;
    }
    cb_enum_result_free(&r);
    return rc;
}

static void close_session(session *s)
{
    if (s->inst.plugin)
        cb_instance_destroy(&s->inst);
    if (s->host)
        cb_host_free(s->host);
    free(s->configs);
    cb_cellset_free(&s->cells);
    cb_skeleton_free(&s->sk);
    cb_manifest_free(&s->m);
    cb_registry_free(&s->reg);
}

int cb_cmd_pareto(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv))
        return usage(stdout), CB_EXIT_OK;
    opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc != CB_EXIT_OK)
        return rc;
    session *s = cb_xcalloc(1, sizeof *s);
    cb_diag d;
    cb_registry_init(&s->reg);
    if (cb_manifest_load(o.path, &s->reg, &s->m, &d) != CB_OK) {
        cb_diag_print(&d, stderr);
        rc = CB_EXIT_USAGE;
    } else {
        cb_host_configure((uint64_t)s->m.seed, o.threads, CB_LOG_WARN);
        cb_host_install_signals();
        rc = check_manifest(&s->m, &o, o.path);
        if (rc == CB_EXIT_OK)
            rc = load_sides(s, &o);
        if (rc == CB_EXIT_OK)
            rc = load_accel(s);
        if (rc == CB_EXIT_OK)
            rc = enumerate(s, &o);
    }
    close_session(s);
    free(s);
    return rc;
}
