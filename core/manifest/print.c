/* core/manifest/print.c: a manifest's summary for `codebench validate`: each section in one
 * line or two, and every bound plugin with the parameter values its create() will receive. */
#include "manifest/manifest.h"

#include "plugin/param.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void print_list(FILE *out, const cb_param *p, const cb_list *l)
{
    char buf[128];
    fputc('{', out);
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", cb_value_str(p, l->v[i], buf, sizeof buf));
    fputc('}', out);
}

/* "fx_mem (fixtures 1.0.0) banks=8 clock_ghz=1 ...": every value create() will receive, and
 * for ops the attribute choices the space will use. */
static void print_plugin(FILE *out, const cb_plugin_ref *r)
{
    char buf[256];
    if (!r->entry) { /* an optional section left out (no trainer for `pareto`) */
        fprintf(out, "(none)\n");
        return;
    }
    fprintf(out, "%s (%s %s)", r->entry->plugin->name, r->entry->file->pack->name,
            r->entry->file->pack->version);
    const cb_param *ps = cb_ref_params(r), *as = cb_ref_attr_schema(r);
    for (size_t i = 0; i < r->n_values; i++)
        fprintf(out, " %s=%s", ps[i].name, cb_value_str(&ps[i], r->values[i], buf, sizeof buf));
    for (size_t i = 0; i < r->n_attrs; i++) {
        fprintf(out, " %s=", as[i].name);
        if (r->attrs[i].n)
            print_list(out, &as[i], &r->attrs[i]);
        else
            fprintf(out, "%s", cb_param_range_str(&as[i], buf, sizeof buf));
    }
    fputc('\n', out);
}

static void print_ref(FILE *out, const char *role, const cb_plugin_ref *r)
{
    fprintf(out, "    %-8s ", role);
    print_plugin(out, r);
}

static void print_refs(FILE *out, const char *role, const cb_ref_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        print_ref(out, role, &l->v[i]);
}

static void print_cnn(FILE *out, const cb_manifest_cnn *c)
{
    static const char *const spaces[] = {"cards", "modules", "nb101", "nb201"};
    fprintf(out, "  cnn          space %s, input %lldx%lldx%lld, %lld classes\n", spaces[c->space],
            (long long)c->input.channels, (long long)c->input.height, (long long)c->input.width,
            (long long)c->classes);
    if (c->space == CB_SPACE_MODULES) {
        fprintf(out, "               modules <= %lld vertices, <= %lld edges; <= %lld modules; "
                     "head <= %lld vertices; levels ",
                (long long)c->module.max_vertices, (long long)c->module.max_edges,
                (long long)c->stacks.max_modules, (long long)c->head.max_vertices);
        const cb_param levels = {"levels", CB_T_INT, NULL, 1, 0, NULL, "", "", 0};
        print_list(out, &levels, &c->stacks.levels);
        fputc('\n', out);
    }
    for (size_t i = 0; i < c->cards.n; i++)
        fprintf(out, "    card     %s\n", c->card_paths[i]);
    print_refs(out, "op", &c->ops);
}

static const cb_key *row(const cb_table *t, const char *name)
{
    for (const cb_key *k = t->keys; k->p.name; k++)
        if (strcmp(k->p.name, name) == 0)
            return k;
    return NULL;
}

static void print_accel(FILE *out, const cb_manifest_accel *a)
{
    fprintf(out, "  accelerator  %s\n", a->family == CB_FAMILY_FPGA ? "fpga" : "asic");
    print_refs(out, "mac", &a->mac);
    print_refs(out, "memory", &a->memory);
    /* The axes' names and value types come from their key table, so a new axis prints too. */
    const cb_key *accel = row(&cb_manifest_schema, "accelerator");
    const cb_key *axes = accel ? row(accel->sub, "axes") : NULL;
    for (const cb_key *ax = axes ? axes->sub->keys : NULL; ax && ax->p.name; ax++) {
        fprintf(out, "    %-16s ", ax->p.name);
        print_list(out, &ax->p, (const cb_list *)((const char *)&a->axes + ax->offset));
        fputc('\n', out);
    }
}

static void print_constraint(FILE *out, const char *name, double v, double none)
{
    if (v != none)
        fprintf(out, " %s=%g", name, v);
}

static void print_objective(FILE *out, const cb_manifest_objective *o)
{
    const cb_objective_weights *w = &o->weights;
    const cb_objective_constraints *c = &o->constraints;
    fprintf(out, "  objective    weights latency=%g area=%g dynamic_energy=%g leakage_energy=%g "
                 "accuracy=%g; constraints", w->latency, w->area, w->dynamic_energy,
            w->leakage_energy, w->accuracy);
    print_constraint(out, "max_latency_ms", c->max_latency_ms, INFINITY);
    print_constraint(out, "max_area_mm2", c->max_area_mm2, INFINITY);
    print_constraint(out, "max_dynamic_energy_mj", c->max_dynamic_energy_mj, INFINITY);
    print_constraint(out, "max_leakage_energy_mj", c->max_leakage_energy_mj, INFINITY);
    print_constraint(out, "min_accuracy", c->min_accuracy, 0);
    if (isinf(c->max_latency_ms) && isinf(c->max_area_mm2) && isinf(c->max_dynamic_energy_mj) &&
        isinf(c->max_leakage_energy_mj) && c->min_accuracy == 0)
        fprintf(out, " none");
    fputc('\n', out);
}

void cb_manifest_print(const cb_manifest *m, FILE *out)
{
    fprintf(out, "%s: valid (manifest format %lld), run '%s', seed %lld\n", m->doc->path,
            (long long)m->version, m->name, (long long)m->seed);
    for (size_t i = 0; i < m->plugin_path.n; i++)
        fprintf(out, "  plugin_path  %s\n", m->plugin_dirs[i]);
    print_cnn(out, &m->cnn);
    print_accel(out, &m->accel);
    print_objective(out, &m->objective);
    fprintf(out, "  search       ");
    print_plugin(out, &m->search.ref);
    fprintf(out, "               budget %lld, initial %lld, batch %lld\n", (long long)m->search.budget,
            (long long)m->search.initial, (long long)m->search.batch);
    fprintf(out, "  trainer      ");
    print_plugin(out, &m->trainer.ref);
    fprintf(out, "  workers      %lld %s, timeout %g s\n", (long long)m->workers.count,
            m->workers.backend == CB_BACKEND_MPI ? "mpi" : "local", m->workers.timeout_s);
    fprintf(out, "  output       %s%s\n", m->output.path, m->output.report ? " (with a report)" : "");
}
