/* core/cli/cmd_sweep.c: `codebench sweep --model CARD MANIFEST`: one CNN (a model card) on
 * every accelerator of a manifest's accelerator space (or a uniform sample of it), on every
 * core, through AccelBench's sweep (core/sim/sweep.h): CSV rows streamed as they come,
 * progress on stderr, and the exact Pareto front over latency, area, dynamic and leakage
 * energy at the end.
 *
 * The space is the manifest's accelerator section: accelerator.axes (Table 2's values when
 * absent) and one memory axis over accelerator.memory's configured instances; each P_if takes
 * the accelerator.mac plugin whose lane has that many multipliers. Every worker thread gets its
 * own plugin instances (a memory model keeps state between accesses). */
#include "cli/commands.h"
#include "cnn/net.h"
#include "host/host.h"
#include "manifest/manifest.h"
#include "plugin/bind.h"
#include "sim/sweep.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench sweep --model CARD MANIFEST [--sample N] [--seed S] [--threads N]\n"
            "                       [--csv FILE] [--front FILE] [--quiet] [--no-reuse]\n"
            "                       [--plugin-path DIR]...\n\n"
            "Simulates the model card's CNN on every accelerator of the manifest's accelerator space\n"
            "(accelerator.axes, Table 2's values by default, times accelerator.memory's instances),\n"
            "or on a uniform sample of N distinct points, on every core (--threads), and prints the\n"
            "Pareto front over latency, area, dynamic and leakage energy (docs/accelbench.md).\n"
            "  --csv FILE    a row per point, written as the points are computed (sweep order)\n"
            "  --front FILE  the front's points as CSV\n"
            "  --seed S      the sample's seed (default: the manifest's seed)\n"
            "  --no-reuse    simulate every point from scratch (cb_simulate), for comparisons\n"
            "  --quiet       no progress on stderr\n");
}

typedef struct opts {
    const char *model, *manifest, *csv, *front, *path[16];
    size_t n_path;
    uint64_t sample, seed;
    int threads, quiet, no_reuse, has_seed;
} opts;

/* A whole non-negative number in [lo, hi] or why not. */
static int number(const char *flag, const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "codebench sweep: %s '%s': expected a whole number from %llu to %llu\n", flag,
                text, (unsigned long long)lo, (unsigned long long)hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cores > 0 && cores <= 256 ? (int)cores : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        uint64_t v;
        if (strcmp(a, "--model") == 0 && more)
            o->model = argv[++i];
        else if (strcmp(a, "--csv") == 0 && more)
            o->csv = argv[++i];
        else if (strcmp(a, "--front") == 0 && more)
            o->front = argv[++i];
        else if (strcmp(a, "--plugin-path") == 0 && more && o->n_path < 16)
            o->path[o->n_path++] = argv[++i];
        else if (strcmp(a, "--sample") == 0 && more) {
            if (number(a, argv[++i], 1, UINT64_MAX, &o->sample))
                return -2;
        } else if (strcmp(a, "--seed") == 0 && more) {
            if (number(a, argv[++i], 0, UINT64_MAX, &o->seed))
                return -2;
            o->has_seed = 1;
        } else if (strcmp(a, "--threads") == 0 && more) {
            if (number(a, argv[++i], 1, 256, &v))
                return -2;
            o->threads = (int)v;
        } else if (strcmp(a, "--quiet") == 0)
            o->quiet = 1;
        else if (strcmp(a, "--no-reuse") == 0)
            o->no_reuse = 1;
        else if (a[0] != '-' && !o->manifest)
            o->manifest = a;
        else {
            fprintf(stderr, "codebench sweep: unexpected argument '%s'%s\n", a,
                    a[0] == '-' && !more ? " (missing its value?)" : "");
            return -1;
        }
    }
    if (!o->model || !o->manifest) {
        fprintf(stderr, "codebench sweep: %s\n", !o->model ? "--model CARD is required" : "MANIFEST is required");
        return -1;
    }
    return 0;
}

/* ---- the space and the workers' plugin instances, from the manifest ---- */

typedef struct instances {
    cb_instance mac[CB_SWEEP_MAX_MACS], mem[CB_SWEEP_MAX_MEMS];
} instances;

typedef struct setup {
    cb_manifest *m;
    cb_diag d; /* a create() failure, at its place in the manifest */
} setup;

static int create_list(setup *st, const cb_ref_list *refs, cb_instance *out, int *n, char *why, size_t len)
{
    for (size_t i = 0; i < refs->n; i++) {
        const cb_plugin_ref *r = &refs->v[i];
        cb_error e;
        memset(&e, 0, sizeof e);
        cb_host *h = cb_host_new(r->entry->plugin->name);
        if (cb_plugin_create(r->entry->plugin, h, r->values, &out[i], &e) != CB_OK) {
            cb_host_free(h);
            cb_manifest_fail(st->m, &st->d, r->at, "%s plugin '%s': %s%s%s%s",
                             cb_kind_name(r->entry->plugin->kind), r->entry->plugin->name,
                             e.param[0] ? "parameter '" : "", e.param, e.param[0] ? "': " : "", e.msg);
            snprintf(why, len, "%s:%d:%d: %s", st->d.file, st->d.at.line, st->d.at.col, st->d.msg);
            return e.code == CB_EINVAL ? CB_EINVAL : CB_EFAIL;
        }
        (*n)++;
    }
    return CB_OK;
}

static void free_parts(void *ctx, cb_sweep_parts *p)
{
    instances *in = p->owner;
    for (int i = 0; in && i < p->n_mac; i++) {
        cb_host *h = in->mac[i].host;
        cb_instance_destroy(&in->mac[i]);
        cb_host_free(h);
    }
    for (int i = 0; in && i < p->n_mem; i++) {
        cb_host *h = in->mem[i].host;
        cb_instance_destroy(&in->mem[i]);
        cb_host_free(h);
    }
    free(in);
    memset(p, 0, sizeof *p);
}

static int make_parts(void *ctx, cb_sweep_parts *p, char *why, size_t len)
{
    setup *st = ctx;
    memset(p, 0, sizeof *p);
    instances *in = cb_xcalloc(1, sizeof *in);
    p->owner = in;
    int rc = create_list(st, &st->m->accel.mac, in->mac, &p->n_mac, why, len);
    if (rc == CB_OK)
        rc = create_list(st, &st->m->accel.memory, in->mem, &p->n_mem, why, len);
    for (int i = 0; i < p->n_mac; i++) {
        p->mac[i] = in->mac[i].plugin->vtable;
        p->mac_self[i] = in->mac[i].self;
    }
    for (int i = 0; i < p->n_mem; i++) {
        p->mem[i] = in->mem[i].plugin->vtable;
        p->mem_self[i] = in->mem[i].self;
    }
    if (rc != CB_OK)
        free_parts(ctx, p);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* accelerator.axes (Table 2's values where absent) and the memory instances as the space. */
static void build_space(const cb_manifest *m, cb_accel_space *s)
{
    const cb_accel_axes *ax = &m->accel.axes;
    const cb_list *lists[CB_AX_MEM] = {&ax->p_ib, &ax->p_if, &ax->p_ix, &ax->p_iy, &ax->p_of, &ax->p_k,
                                       &ax->batch, &ax->act_buffer_mb, &ax->weight_buffer_mb,
                                       &ax->mask_buffer_mb};
    cb_accel_space_table2(s);
    for (int a = 0; a < CB_AX_MEM; a++) {
        if (lists[a]->n == 0)
            continue; /* the manifest fills defaults; keep Table 2 if it did not */
        s->n[a] = (int)(lists[a]->n < CB_SPACE_MAX_VALUES ? lists[a]->n : CB_SPACE_MAX_VALUES);
        for (int k = 0; k < s->n[a]; k++)
            s->v[a][k] = (double)lists[a]->v[k].i;
        qsort(s->v[a], (size_t)s->n[a], sizeof s->v[a][0], cmp_double);
    }
    s->n[CB_AX_MEM] = (int)m->accel.memory.n;
    for (int k = 0; k < s->n[CB_AX_MEM]; k++)
        s->v[CB_AX_MEM][k] = k + 1;
}

/* What the sweep itself would refuse, said at its place in the manifest. */
static int check_manifest(setup *st, const cb_sweep_parts *p, const cb_accel_space *s)
{
    const cb_manifest_accel *a = &st->m->accel;
    if (a->family != CB_FAMILY_ASIC)
        return cb_manifest_fail(st->m, &st->d, a->plugin.at, "sweep simulates the asic family "
                                "(AccelBench); accelerator.family is fpga");
    if (a->memory.n > CB_SWEEP_MAX_MEMS)
        return cb_manifest_fail(st->m, &st->d, a->memory.v[CB_SWEEP_MAX_MEMS].at,
                                "sweep takes at most %d memories in accelerator.memory", CB_SWEEP_MAX_MEMS);
    if (a->mac.n > CB_SWEEP_MAX_MACS)
        return cb_manifest_fail(st->m, &st->d, a->mac.v[CB_SWEEP_MAX_MACS].at,
                                "sweep takes at most %d MAC plugins in accelerator.mac", CB_SWEEP_MAX_MACS);
    const cb_list *pif = &a->axes.p_if;
    for (int k = 0; k < s->n[CB_AX_IF]; k++) {
        int want = (int)s->v[CB_AX_IF][k], i = 0;
        for (; i < p->n_mac; i++) {
            cb_mac_model mm;
            cb_error e;
            memset(&mm, 0, sizeof mm);
            memset(&e, 0, sizeof e);
            mm.size = sizeof mm;
            if (p->mac[i]->describe(p->mac_self[i], 0, &mm, &e) == CB_OK && mm.multipliers == want)
                break;
        }
        if (i < p->n_mac)
            continue;
        cb_mark at = a->mac.n ? a->mac.v[0].at : (cb_mark){1, 1};
        for (size_t j = 0; j < pif->n; j++)
            if (pif->v[j].i == want && pif->at[j].line > 0)
                at = pif->at[j];
        return cb_manifest_fail(st->m, &st->d, at, "p_if = %d: no MAC plugin in accelerator.mac has "
                                "%d multipliers per lane", want, want);
    }
    return CB_OK;
}

/* ---- output ---- */

static void progress(void *ctx, const cb_sweep_progress *p)
{
    bool tty = isatty(2);
    double rate = p->seconds > 0 ? (double)p->done / p->seconds : 0;
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
    fprintf(stderr, "%ssweep: %5.1f%% (%llu of %llu points), %.0f points/s, %llu layer simulations, "
            "front %zu, %.0f s left%s", tty ? "\r" : "", 100.0 * (double)p->done / (double)p->total,
            (unsigned long long)p->done, (unsigned long long)p->total, rate,
            (unsigned long long)p->layer_sims, p->front, eta, tty ? "   " : "\n");
    fflush(stderr);
}

static const cb_front *sort_front;

static int by_latency(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const double *a = sort_front->pts + i * CB_SWEEP_DIMS, *b = sort_front->pts + j * CB_SWEEP_DIMS;
    for (int d = 0; d < CB_SWEEP_DIMS; d++)
        if (a[d] != b[d])
            return a[d] < b[d] ? -1 : 1;
    return sort_front->ids[i] < sort_front->ids[j] ? -1 : sort_front->ids[i] > sort_front->ids[j];
}

/* The front's points again through cb_simulate (their full figures), printed by latency. */
static int print_front(const opts *o, const cb_manifest *m, const cb_sim_net *net, const cb_accel_space *s,
                       const cb_sweep_parts *parts, const cb_sweep_result *r)
{
    const cb_front *f = &r->front;
    size_t *order = cb_xcalloc(f->n + 1, sizeof *order);
    for (size_t i = 0; i < f->n; i++)
        order[i] = i;
    sort_front = f;
    qsort(order, f->n, sizeof *order, by_latency);
    FILE *csv = NULL;
    if (o->front && !(csv = fopen(o->front, "w"))) {
        fprintf(stderr, "codebench sweep: cannot write %s: %s\n", o->front, strerror(errno));
        free(order);
        return CB_EXIT_USAGE;
    }
    if (csv)
        cb_sweep_csv_header(csv);
    printf("\nPareto front (latency, area, dynamic energy, leakage energy): %zu points\n", f->n);
    printf("  %-10s %-40s %-22s %11s %10s %11s %11s\n", "INDEX", "[P_ib P_if P_ix P_iy P_of P_k batch act wgt mask]",
           "MEMORY", "LATENCY ms", "AREA mm2", "DYN mJ", "LEAK mJ");
    cb_simulator *sim = cb_simulator_new();
    int rc = CB_EXIT_OK;
    for (size_t k = 0; k < f->n && rc == CB_EXIT_OK; k++) {
        cb_sweep_point p;
        memset(&p, 0, sizeof p);
        p.order = (uint64_t)f->ids[order[k]];
        cb_sweep_at(s, p.order, &p.v, &p.mem, &p.index);
        int mac = 0;
        while (mac < parts->n_mac) {
            cb_mac_model mm;
            cb_error e;
            memset(&mm, 0, sizeof mm);
            mm.size = sizeof mm;
            if (parts->mac[mac]->describe(parts->mac_self[mac], 0, &mm, &e) == CB_OK && mm.multipliers == p.v.p_if)
                break;
            mac++;
        }
        cb_sim_parts sp = {parts->mac[mac], parts->mac_self[mac], parts->mem[p.mem], parts->mem_self[p.mem]};
        char why[512], vec[96], mem[64];
        cb_sim_opts so = CB_SIM_OPTS_DEFAULT;
        if (cb_simulate(sim, net, &p.v, &sp, &so, &p.r, why, sizeof why) != CB_OK) {
            fprintf(stderr, "codebench sweep: %s\n", why);
            rc = CB_EXIT_FAIL;
            break;
        }
        cb_mem_model mm;
        cb_error e;
        memset(&mm, 0, sizeof mm);
        mm.size = sizeof mm;
        parts->mem[p.mem]->describe(parts->mem_self[p.mem], &mm, &e);
        snprintf(vec, sizeof vec, "[%d %d %d %d %d %d %d %g %g %g]", p.v.p_ib, p.v.p_if, p.v.p_ix, p.v.p_iy,
                 p.v.p_of, p.v.p_kx, p.v.batch, p.v.act_mb, p.v.wgt_mb, p.v.mask_mb);
        snprintf(mem, sizeof mem, "%d %s [%d,%d,%d]", p.mem + 1, m->accel.memory.v[p.mem].entry->plugin->name,
                 mm.banks, mm.ranks, mm.channels);
        printf("  %-10llu %-40s %-22s %11.6g %10.5g %11.6g %11.6g\n", (unsigned long long)p.index, vec, mem,
               p.r.latency_s * 1e3, p.r.area_mm2, p.r.dyn_energy_j * 1e3, p.r.leak_energy_j * 1e3);
        if (csv) {
            char row[512];
            cb_sweep_csv_row(&p, row, sizeof row);
            fputs(row, csv);
        }
        cb_sim_report_free(&p.r);
    }
    cb_simulator_free(sim);
    if (csv && fclose(csv) != 0 && rc == CB_EXIT_OK) {
        fprintf(stderr, "codebench sweep: cannot write %s\n", o->front);
        rc = CB_EXIT_FAIL;
    }
    free(order);
    return rc;
}

static void print_summary(const opts *o, const cb_net *net, const cb_sim_net *sn, const cb_accel_space *s,
                          const cb_sweep_result *r, int threads)
{
    uint64_t count = cb_sweep_count(s);
    double naive = (double)r->points * sn->n;
    printf("model %s (%d layers) on %llu accelerators of %s (%s%llu points), %d threads\n", net->name,
           sn->n, (unsigned long long)r->points, o->manifest, r->points < count ? "a sample of " : "",
           (unsigned long long)count, threads);
    printf("  %.3f s, %.0f points/s; %llu layer simulations for %.0f point-layers (%.1fx reuse)\n",
           r->seconds, r->seconds > 0 ? (double)r->points / r->seconds : 0,
           (unsigned long long)r->layer_sims, naive, r->layer_sims ? naive / (double)r->layer_sims : 0);
}

static int sweep(const opts *o, setup *st, cb_net *net)
{
    char why[1024];
    cb_sim_net sn;
    if (cb_sim_net_from_graph(&net->g, &sn, why, sizeof why) != CB_OK) {
        fprintf(stderr, "%s: %s\n", o->model, why);
        return CB_EXIT_USAGE;
    }
    cb_accel_space s;
    build_space(st->m, &s);
    cb_sweep_parts parts;
    int rc = make_parts(st, &parts, why, sizeof why);
    if (rc != CB_OK) {
        fprintf(stderr, "%s\n", why);
        cb_sim_net_free(&sn);
        return rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    if (check_manifest(st, &parts, &s) != CB_OK) {
        cb_diag_print(&st->d, stderr);
        free_parts(st, &parts);
        cb_sim_net_free(&sn);
        return CB_EXIT_USAGE;
    }
    FILE *csv = NULL;
    if (o->csv && !(csv = fopen(o->csv, "w"))) {
        fprintf(stderr, "codebench sweep: cannot write %s: %s\n", o->csv, strerror(errno));
        free_parts(st, &parts);
        cb_sim_net_free(&sn);
        return CB_EXIT_USAGE;
    }
    cb_sweep_opts so = {.threads = o->threads, .sample = o->sample,
                        .seed = o->has_seed ? o->seed : (uint64_t)st->m->seed, .sim = CB_SIM_OPTS_DEFAULT,
                        .direct = o->no_reuse, .make_parts = make_parts, .free_parts = free_parts,
                        .parts_ctx = st, .csv = csv, .progress = o->quiet ? NULL : progress,
                        .progress_s = isatty(2) ? 1 : 10};
    cb_sweep_result r;
    rc = cb_sweep_run(&sn, &s, &so, &r, why, sizeof why);
    if (csv && fclose(csv) != 0 && rc == CB_OK) {
        snprintf(why, sizeof why, "cannot write %s: %s", o->csv, strerror(errno));
        rc = CB_EFAIL;
    }
    if (!o->quiet && isatty(2))
        fputc('\n', stderr);
    int exit = rc == CB_OK ? CB_EXIT_OK : rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    if (rc == CB_OK) {
        print_summary(o, net, &sn, &s, &r, o->threads);
        exit = print_front(o, st->m, &sn, &s, &parts, &r);
    } else {
        fprintf(stderr, "codebench sweep: %s\n", why);
    }
    cb_sweep_result_free(&r);
    free_parts(st, &parts);
    cb_sim_net_free(&sn);
    return exit;
}

int cb_cmd_sweep(int argc, char **argv)
{
    opts o;
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    int prc = parse(argc, argv, &o);
    if (prc) {
        if (prc == -1)
            usage(stderr);
        return CB_EXIT_USAGE;
    }
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e;
    memset(&e, 0, sizeof e);
    if (o.n_path && cb_registry_load_default(&reg, o.path, o.n_path, &e)) {
        fprintf(stderr, "codebench sweep: %s\n", e.msg);
        cb_registry_free(&reg);
        return CB_EXIT_USAGE;
    }
    cb_manifest m;
    setup st;
    memset(&st, 0, sizeof st);
    st.m = &m;
    cb_net net;
    memset(&net, 0, sizeof net);
    int rc = CB_EXIT_USAGE;
    if (cb_manifest_load(o.manifest, &reg, &m, &st.d) != CB_OK) {
        cb_diag_print(&st.d, stderr);
    } else {
        cb_host_configure((uint64_t)m.seed, 1, CB_LOG_WARN);
        if (cb_net_load_card(o.model, &reg, &net, &st.d) != CB_OK)
            cb_diag_print(&st.d, stderr);
        else
            rc = sweep(&o, &st, &net);
    }
    cb_net_free(&net);
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    return rc;
}
