/* tests/unit/fpga_model.c: the area and latency models of the CHaiDNN-like FPGA family: area
 * from CLB/BRAM/DSP counts and Table I's tile areas, growing with the parallelism; latency
 * falling with it on real NAS-Bench-101 networks; the greedy scheduler overlapping only what
 * runs on different engines; and the fast path agreeing with evaluate() to the last bit. */
#include "fpga_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double area_of(fu_accel *a, const double *cfg)
{
    double area;
    fu_latency(a, fu_graph((fu_node[]){{"conv2d", "kernel=1", 1, {-1}}}, 1), cfg, &area);
    return area;
}

/* The configuration with axis `ax` at its next value, or NULL at the last. */
static const double *step(const double *cfg, int ax, double *out)
{
    int n_axes;
    int64_t n;
    const cb_axis *axes;
    fu_configs(&n, &n_axes, &axes);
    for (int i = 0; i + 1 < axes[ax].n_values; i++)
        if (axes[ax].values[i] == cfg[ax]) {
            memcpy(out, cfg, (size_t)n_axes * sizeof *out);
            out[ax] = axes[ax].values[i + 1];
            return out;
        }
    return NULL;
}

Test(fpga_model, area_grows_with_filter_and_pixel_parallelism)
{
    fu_accel a = fu_accel_new(NULL);
    int n_axes;
    int64_t n;
    const double *all = fu_configs(&n, &n_axes, NULL);
    int axes[] = {fu_axis("filter_par"), fu_axis("pixel_par")};
    for (int64_t c = 0; c < n; c++)
        for (int k = 0; k < 2; k++) {
            double next[16];
            if (step(all + c * n_axes, axes[k], next))
                cr_expect(gt(dbl, area_of(&a, next), area_of(&a, all + c * n_axes)),
                          "configuration %lld, axis %d", (long long)c, axes[k]);
        }
    fu_accel_free(&a);
}

/* With only the DSP tile weighing 1 mm^2, the area is the DSP count: 2 x filter_par x
 * pixel_par for the convolution engines (two 8-bit MACs per DSP, four input planes per lane)
 * and 16 for a pooling engine. And the default area is the three counts times Table I's
 * tile areas. */
Test(fpga_model, area_is_resource_counts_times_tile_areas)
{
    const char *dsp_only[] = {"clb_mm2=0", "bram_mm2=0", "dsp_mm2=1", NULL};
    const char *clb_only[] = {"clb_mm2=1", "bram_mm2=0", "dsp_mm2=0", NULL};
    const char *bram_only[] = {"clb_mm2=0", "bram_mm2=1", "dsp_mm2=0", NULL};
    fu_accel dsp = fu_accel_new(dsp_only), clb = fu_accel_new(clb_only), bram = fu_accel_new(bram_only);
    fu_accel def = fu_accel_new(NULL);
    int n_axes;
    int64_t n;
    const double *all = fu_configs(&n, &n_axes, NULL);
    int fp = fu_axis("filter_par"), pp = fu_axis("pixel_par"), pool = fu_axis("pool_enable");
    for (int64_t c = 0; c < n; c += 7) {
        const double *cfg = all + c * n_axes;
        double d = area_of(&dsp, cfg), l = area_of(&clb, cfg), b = area_of(&bram, cfg);
        cr_expect(eq(dbl, d, 2 * cfg[fp] * cfg[pp] + 16 * cfg[pool]));
        cr_expect(eq(dbl, b, floor(b)), "whole block RAMs");
        cr_expect(ieee_ulp_eq(dbl, area_of(&def, cfg), 0.0044 * l + 0.026 * b + 0.044 * d, 8));
    }
    fu_accel_free(&dsp);
    fu_accel_free(&clb);
    fu_accel_free(&bram);
    fu_accel_free(&def);
}

/* Calibration: the paper's two best accelerators (Table III) measure 132 and 133 mm^2 (Table
 * II); this model, sized to that, gives them within 5%. */
Test(fpga_model, table_ii_areas)
{
    fu_accel a = fu_accel_new(NULL);
    double cod1[] = {16, 64, 4096, 2048, 4096, 256, 0, 0.33};
    double cod2[] = {16, 64, 8192, 2048, 2048, 512, 0, 0.25};
    cr_expect(lt(dbl, fabs(area_of(&a, cod1) / 132 - 1), 0.05), "Cod-1: %g", area_of(&a, cod1));
    cr_expect(lt(dbl, fabs(area_of(&a, cod2) / 133 - 1), 0.05), "Cod-2: %g", area_of(&a, cod2));
    fu_accel_free(&a);
}

/* On real networks (five cells of the table, every configuration), more filter or pixel lanes
 * never make a network slower, and the largest engine is much faster than the smallest. */
Test(fpga_model, latency_falls_with_filter_and_pixel_parallelism)
{
    fu_accel a = fu_accel_new(NULL);
    int n_axes;
    int64_t n;
    const double *all = fu_configs(&n, &n_axes, NULL);
    int axes[] = {fu_axis("filter_par"), fu_axis("pixel_par")};
    cb_error e = {0};
    for (int64_t i = 0; i < 5; i++)
        cr_assert(eq(i64, a.vt->prepare(a.self, fu_cell_graph(i * 97), &e), i), "%s", e.msg);
    void *table = malloc(a.vt->table_bytes(a.self));
    double *lat = malloc((size_t)n * 5 * sizeof *lat), area[8];
    for (int64_t c = 0; c < n; c++) {
        cr_assert(eq(int, a.vt->table(a.self, all + c * n_axes, n_axes, 1, table, area, &e), CB_OK));
        for (int64_t i = 0; i < 5; i++)
            a.vt->latency(a.self, i, table, &lat[c * 5 + i]);
    }
    int64_t stride[2] = {1, 2}; /* filter_par is the fastest axis, then pixel_par */
    for (int64_t c = 0; c < n; c++)
        for (int k = 0; k < 2; k++) {
            double next[16];
            if (!step(all + c * n_axes, axes[k], next))
                continue;
            for (int64_t i = 0; i < 5; i++)
                cr_expect(le(dbl, lat[(c + stride[k]) * 5 + i], lat[c * 5 + i]),
                          "cell %lld, configuration %lld, axis %d", (long long)i * 97, (long long)c, axes[k]);
        }
    cr_expect(gt(dbl, lat[0] / lat[(n - 1) * 5], 10), "smallest vs largest: %g / %g", lat[0], lat[(n - 1) * 5]);
    free(lat);
    free(table);
    fu_accel_free(&a);
}

Test(fpga_model, fast_path_equals_evaluate)
{
    fu_accel a = fu_accel_new(NULL);
    int n_axes;
    int64_t n;
    const double *all = fu_configs(&n, &n_axes, NULL);
    cb_error e = {0};
    for (int64_t i = 0; i < 20; i++)
        cr_assert(eq(i64, a.vt->prepare(a.self, fu_cell_graph(i * 41), &e), i), "%s", e.msg);
    void *table = malloc(a.vt->table_bytes(a.self));
    srand(7);
    for (int k = 0; k < 300; k++) {
        int64_t c0 = rand() % (n - 8), i = rand() % 20;
        double area[8], lat[8];
        cr_assert(eq(int, a.vt->table(a.self, all + c0 * n_axes, n_axes, 8, table, area, &e), CB_OK));
        a.vt->latency(a.self, i, table, lat);
        const cb_graph *g = fu_cell_graph(i * 41);
        for (int l = 0; l < 8; l++) {
            double ar, la = fu_latency(&a, g, all + (c0 + l) * n_axes, &ar);
            cr_expect(eq(dbl, lat[l], la), "cell %lld, configuration %lld", (long long)i * 41, (long long)(c0 + l));
            cr_expect(eq(dbl, area[l], ar));
        }
    }
    free(table);
    fu_accel_free(&a);
}

/* The greedy scheduler: a chain is the sum of its ops; two branches on different engines (the
 * 3x3 and 1x1 engines when ratio_conv_engines < 1) overlap; on the one general engine they
 * queue. Each op's own latency is measured alone (the add's as what it adds to a chain). */
static const fu_node conv3 = {"conv2d", "kernel=3,out_channels=64", 1, {-1}};
static const fu_node conv1 = {"conv2d", "kernel=1,out_channels=64", 1, {-1}};

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fabs(b);
}

Test(fpga_model, greedy_scheduler_overlaps_engines)
{
    fu_accel a = fu_accel_new(NULL);
    double split[] = {16, 16, 2048, 2048, 2048, 256, 0, 0.5}, general[8];
    memcpy(general, split, sizeof general);
    general[7] = 1;
    double *cfgs[] = {split, general};
    for (int k = 0; k < 2; k++) {
        double t3 = fu_latency(&a, fu_graph(&conv3, 1), cfgs[k], NULL);
        double t1 = fu_latency(&a, fu_graph(&conv1, 1), cfgs[k], NULL);
        fu_node with_add[] = {conv1, {"add", "", 2, {0, 0}}};
        double t_add = fu_latency(&a, fu_graph(with_add, 2), cfgs[k], NULL) - t1;
        cr_expect(gt(dbl, t_add, 0));
        fu_node chain[] = {conv3, {"conv2d", "kernel=1,out_channels=64", 1, {0}}};
        double tc = fu_latency(&a, fu_graph(chain, 2), cfgs[k], NULL);
        cr_expect(gt(dbl, tc, t3), "a chain takes longer than its first op");
        fu_node par[] = {conv3, conv1, {"add", "", 2, {0, 1}}};
        double tp = fu_latency(&a, fu_graph(par, 3), cfgs[k], NULL);
        double expect = k == 0 ? fmax(t3, t1) + t_add : t3 + t1 + t_add;
        cr_expect(close_to(tp, expect), "%s: %.17g vs %.17g", k == 0 ? "split engines overlap"
                  : "one engine queues", tp, expect);
    }
    fu_accel_free(&a);
}
