/* bench/sim_bench.c: AccelBench simulations per second on ResNet-18 and MobileNet-V2 (CIFAR
 * model cards), with the real mac and memory plugins created as a run creates them:
 *   - cold: the SPRING vector, the per-layer cache cleared before every simulation;
 *   - warm: the same vector again (every layer from the cache);
 *   - search: vectors drawn uniformly from Table 2's space (228,433,920 points), as a search
 *     would ask for them, sharing one cache;
 *   - peer: SCALE-Sim's figure for ResNet-18 (about 3 minutes), printed beside ours.
 * bench/sim.sh builds and runs it.   sim_bench BUILD_DIR [SOURCE_DIR]
 */
#include "cnn/net.h"
#include "host/host.h"
#include "plugin/bind.h"
#include "plugin/param.h"
#include "plugin/registry.h"
#include "sim/accel_space.h"
#include "sim/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "sim_bench: %s: %s\n", what, msg);
    exit(1);
}

static cb_registry reg;
static const char *const MEM_PLUGINS[CB_MEM_TYPES] = {"rram", "dram", "hbm"}; /* Table 2's types */
static cb_instance macs[2], mems[CB_MEM_TYPES][6];

static cb_instance make(cb_kind kind, const char *name, const int *geometry)
{
    cb_error e;
    const cb_entry *en = cb_registry_find(&reg, kind, name, &e);
    if (!en)
        die(name, e.msg);
    cb_value v[64];
    char why[256];
    if (cb_param_defaults(en->plugin->params, v, why, sizeof why))
        die(name, why);
    static const char *const geo[3] = {"banks", "ranks", "channels"};
    for (int k = 0; geometry && k < 3; k++)
        for (int i = 0; en->plugin->params[i].name; i++)
            if (strcmp(en->plugin->params[i].name, geo[k]) == 0)
                v[i].i = geometry[k];
    cb_instance inst;
    if (cb_plugin_create(en->plugin, cb_host_new(name), v, &inst, &e))
        die(name, e.msg);
    return inst;
}

static void make_parts(void)
{
    macs[0] = make(CB_KIND_MAC, "mac1", NULL);
    macs[1] = make(CB_KIND_MAC, "mac16", NULL);
    for (int t = 1; t <= CB_MEM_TYPES; t++)
        for (int c = 1; c <= cb_mem_configs(t); c++) {
            int g[3];
            cb_mem_geometry(t, c, &g[0], &g[1], &g[2]);
            mems[t - 1][c - 1] = make(CB_KIND_MEMORY, MEM_PLUGINS[t - 1], g);
        }
}

static cb_sim_parts parts_of(const cb_accel_vec *v)
{
    const cb_instance *mac = &macs[v->p_if == 16], *mem = &mems[v->mem_type - 1][v->mem_config - 1];
    return (cb_sim_parts){mac->plugin->vtable, mac->self, mem->plugin->vtable, mem->self};
}

static double run(cb_simulator *s, const cb_sim_net *net, const cb_accel_vec *v, int clear)
{
    cb_sim_parts p = parts_of(v);
    cb_sim_report r;
    char why[512];
    if (clear)
        cb_simulator_clear(s);
    if (cb_simulate(s, net, v, &p, NULL, &r, why, sizeof why))
        die("simulate", why);
    double lat = r.latency_s;
    cb_sim_report_free(&r);
    return lat;
}

static void rate(const char *model, const char *what, double t, long n)
{
    printf("  %-14s %-46s %10.0f simulations/s (%.1f us each)\n", model, what, n / t, t / n * 1e6);
}

static void bench_model(const char *src, const char *card)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/models/%s.yaml", src, card);
    cb_net net;
    cb_diag d;
    if (cb_net_load_card(path, &reg, &net, &d))
        die(path, d.msg);
    cb_sim_net sn;
    char why[512];
    if (cb_sim_net_from_graph(&net.g, &sn, why, sizeof why))
        die(card, why);
    cb_accel_vec spring = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_simulator *s = cb_simulator_new();
    long n = 2000;
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        run(s, &sn, &spring, 1);
    rate(card, "cold (SPRING, cache cleared each time)", now_s() - t0, n);
    n = 200000;
    t0 = now_s();
    for (long i = 0; i < n; i++)
        run(s, &sn, &spring, 0);
    rate(card, "warm (SPRING again, layers from the cache)", now_s() - t0, n);
    cb_accel_space sp;
    cb_accel_space_table2(&sp);
    cb_rng rng;
    cb_rng_seed(&rng, 1);
    n = 2000;
    t0 = now_s();
    for (long i = 0; i < n; i++) {
        cb_accel_vec v;
        cb_accel_space_sample(&sp, &rng, &v);
        run(s, &sn, &v, 0);
    }
    rate(card, "search (uniform Table 2 vectors, shared cache)", now_s() - t0, n);
    /* The peer is a published figure, not a program we can run here: SCALE-Sim needs about
     * 3 minutes for ResNet-18 on a 32x32 array (the measurement on this machine). */
    printf("  peer: SCALE-Sim, ResNet-18 on a 32x32 array: about 180 s per simulation (published here)\n");
    cb_simulator_free(s);
    cb_sim_net_free(&sn);
    cb_net_free(&net);
}

int main(int argc, char **argv)
{
    const char *build = argc > 1 ? argv[1] : "build", *src = argc > 2 ? argv[2] : ".";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plugins", build);
    cb_registry_init(&reg);
    cb_error e;
    if (cb_registry_load_dir(&reg, dir, &e))
        die(dir, e.msg);
    make_parts();
    printf("AccelBench (core/sim) simulations per second, one thread:\n");
    bench_model(src, "resnet18");
    bench_model(src, "mobilenet_v2");
    return 0;
}
