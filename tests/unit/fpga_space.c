/* tests/unit/fpga_space.c: the configuration space of the CHaiDNN-like FPGA family: its axes and
 * their values (Fig. 3 of Codesign-NAS), 8,640 configurations that all fit the ZU9EG, fewer
 * on a smaller device, and refusals of values off the axes. */
#include "fpga_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

Test(fpga_space, eight_axes_make_8640_configurations)
{
    static const char *const names[] = {"filter_par", "pixel_par", "input_buffer_depth",
                                        "weight_buffer_depth", "output_buffer_depth",
                                        "mem_interface_width", "pool_enable", "ratio_conv_engines"};
    static const int counts[] = {2, 5, 4, 3, 3, 2, 2, 6};
    int n_axes;
    int64_t n;
    const cb_axis *axes;
    const double *all = fu_configs(&n, &n_axes, &axes);
    cr_assert(eq(int, n_axes, 8));
    cr_expect(eq(i64, n, 8640));
    for (int a = 0; a < n_axes; a++) {
        cr_expect(eq(str, (char *)axes[a].name, (char *)names[a]));
        cr_expect(eq(int, axes[a].n_values, counts[a]), "%s", names[a]);
        for (int i = 1; i < axes[a].n_values; i++)
            cr_expect(gt(dbl, axes[a].values[i], axes[a].values[i - 1]), "%s ascending", names[a]);
    }
    for (int64_t i = 1; i < n; i++) /* all distinct: consecutive ones differ, the odometer covers */
        cr_expect(ne(int, memcmp(all + i * n_axes, all + (i - 1) * n_axes, (size_t)n_axes * 8), 0));
}

/* Every configuration is accepted by the table and fits the ZU9EG (the paper's 8,640 valid
 * accelerators); a ZU3EG (360 DSPs) cannot hold the large convolution engines. */
static int64_t fitting(const char *device)
{
    const char *ov[] = {device, NULL};
    fu_accel a = fu_accel_new(ov);
    int n_axes;
    int64_t n, fit = 0;
    const double *all = fu_configs(&n, &n_axes, NULL);
    const cb_graph *g = fu_graph((fu_node[]){{"conv2d", "kernel=3", 1, {-1}}}, 1);
    cb_error e = {0};
    cr_assert(a.vt->prepare(a.self, g, &e) == 0, "%s", e.msg);
    void *table = malloc(a.vt->table_bytes(a.self));
    for (int64_t c = 0; c < n; c += CB_ACCEL_BLOCK) {
        double area[CB_ACCEL_BLOCK], lat[CB_ACCEL_BLOCK];
        int lanes = (int)(n - c < CB_ACCEL_BLOCK ? n - c : CB_ACCEL_BLOCK);
        cr_assert(a.vt->table(a.self, all + c * n_axes, n_axes, lanes, table, area, &e) == CB_OK, "%s", e.msg);
        a.vt->latency(a.self, 0, table, lat);
        for (int l = 0; l < lanes; l++) {
            cb_accel_result r;
            cr_assert(a.vt->evaluate(a.self, g, all + (c + l) * n_axes, n_axes, &r, &e) == CB_OK);
            cr_expect(eq(int, r.valid, !isnan(lat[l])), "fast path and evaluate() agree on validity");
            fit += r.valid;
        }
    }
    free(table);
    fu_accel_free(&a);
    return fit;
}

Test(fpga_space, all_fit_the_zu9eg_not_the_zu3eg)
{
    cr_expect(eq(i64, fitting("device=zu9eg"), 8640));
    int64_t small = fitting("device=zu3eg");
    cr_expect(lt(i64, small, 8640));
    cr_expect(gt(i64, small, 0), "the smallest engines fit a ZU3EG");
}

Test(fpga_space, values_off_the_axes_are_refused)
{
    fu_accel a = fu_accel_new(NULL);
    const cb_graph *g = fu_graph((fu_node[]){{"conv2d", "kernel=3", 1, {-1}}}, 1);
    double cfg[8] = {16, 48, 4096, 2048, 4096, 256, 0, 0.33}; /* pixel_par 48 is not a value */
    cb_accel_result r;
    cb_error e = {0};
    cr_expect(eq(int, a.vt->evaluate(a.self, g, cfg, 8, &r, &e), CB_EINVAL));
    cr_expect(eq(str, e.param, "pixel_par"));
    cr_expect(eq(int, a.vt->evaluate(a.self, g, cfg, 7, &r, &e), CB_EINVAL), "7 values for 8 axes");
    void *table = malloc(a.vt->table_bytes(a.self));
    double area[8];
    cr_expect(eq(int, a.vt->table(a.self, cfg, 8, 1, table, area, &e), CB_EINVAL));
    cfg[1] = 64;
    cr_expect(eq(int, a.vt->table(a.self, cfg, 8, 0, table, area, &e), CB_EINVAL), "0 lanes");
    cr_expect(eq(int, a.vt->table(a.self, cfg, 8, 1, table, area, &e), CB_OK));
    free(table);
    fu_accel_free(&a);
}
