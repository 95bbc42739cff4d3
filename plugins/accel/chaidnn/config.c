/* plugins/accel/chaidnn/config.c: the configuration axes of the family (Fig. 3 of Codesign-NAS:
 * CHaiDNN's parameters plus ratio_conv_engines), decoding a configuration vector, and the
 * engines a configuration builds. 2 x 5 x 4 x 3 x 3 x 2 x 2 x 6 = 8,640 configurations, the
 * paper's count. */
#include "chaidnn.h"

#include <math.h>
#include <string.h>

static const double filter_par[] = {8, 16};
static const double pixel_par[] = {4, 8, 16, 32, 64};
static const double in_depth[] = {1024, 2048, 4096, 8192};
static const double w_depth[] = {1024, 2048, 4096};
static const double out_depth[] = {1024, 2048, 4096};
static const double mem_width[] = {256, 512};
static const double pool_enable[] = {0, 1};
/* 3x3 engine's share of the DSPs; 0.33 and 0.67 are the paper's one and two thirds */
static const double ratio[] = {0.25, 0.33, 0.5, 0.67, 0.75, 1};

#define AXIS(NAME, V) {NAME, (int32_t)(sizeof V / sizeof V[0]), V}
static const cb_axis axes[CH_N_AXES] = {
    AXIS("filter_par", filter_par),           AXIS("pixel_par", pixel_par),
    AXIS("input_buffer_depth", in_depth),     AXIS("weight_buffer_depth", w_depth),
    AXIS("output_buffer_depth", out_depth),   AXIS("mem_interface_width", mem_width),
    AXIS("pool_enable", pool_enable),         AXIS("ratio_conv_engines", ratio),
};

int ch_axes(cb_axis *out, int max)
{
    int n = max < CH_N_AXES ? max : CH_N_AXES;
    memcpy(out, axes, (size_t)(n > 0 ? n : 0) * sizeof *out);
    return CH_N_AXES;
}

static int on_axis(const cb_axis *a, double x)
{
    for (int i = 0; i < a->n_values; i++)
        if (fabs(a->values[i] - x) < 1e-9)
            return 1;
    return 0;
}

int ch_config_decode(const double *config, int n, ch_config *c, cb_error *e)
{
    if (n != CH_N_AXES)
        return cb_error_set(e, CB_EINVAL, NULL, "a configuration has %d values (the axes "
                            "filter_par .. ratio_conv_engines), got %d", CH_N_AXES, n);
    for (int i = 0; i < CH_N_AXES; i++)
        if (!on_axis(&axes[i], config[i]))
            return cb_error_set(e, CB_EINVAL, axes[i].name, "%s = %g is not one of its %d values",
                                axes[i].name, config[i], axes[i].n_values);
    *c = (ch_config){(int)config[CH_AX_FILTER_PAR], (int)config[CH_AX_PIXEL_PAR],
                     (int)config[CH_AX_IN_DEPTH], (int)config[CH_AX_W_DEPTH],
                     (int)config[CH_AX_OUT_DEPTH], (int)config[CH_AX_MEM_WIDTH],
                     (int)config[CH_AX_POOL], config[CH_AX_RATIO]};
    return CB_OK;
}

/* Each DSP slice does two 8-bit multiply-accumulates per cycle (two products packed in one
 * 27x18 multiplier, as CHaiDNN does), and every filter x pixel lane takes four input planes a
 * cycle: 2 fp pp DSPs in all. Below ratio 1 the DSPs split between a 3x3 engine (the ratio's
 * share) and a 1x1 engine, each keeping all fp filter lanes; a share that is not a whole
 * number of pixel lanes is time-multiplexed, so lanes may be fractional. The engines split the
 * buffers in the same ratio (one set of block RAMs, partitioned). A general engine takes the
 * kernel as a run-time parameter, which costs a deeper pipeline (window sequencing and muxes)
 * than an engine built for one kernel size. */
#define FILL_GENERAL 48
#define FILL_SPECIALIZED 16

static ch_engine conv_engine(const ch_config *c, int dsp, double share, int fill)
{
    return (ch_engine){1, dsp, c->fp, dsp / (2.0 * c->fp), (int)(c->d_in * share),
                       (int)(c->d_w * share), (int)(c->d_out * share), fill};
}

void ch_engines(const ch_config *c, ch_engine e[CH_N_ENGINES])
{
    memset(e, 0, sizeof(ch_engine) * CH_N_ENGINES);
    int dsp = 2 * c->fp * c->pp;
    if (c->ratio >= 1) {
        e[CH_E_CONV] = conv_engine(c, dsp, 1, FILL_GENERAL);
    } else {
        int dsp3 = (int)lround(c->ratio * dsp);
        e[CH_E_CONV] = conv_engine(c, dsp3, (double)dsp3 / dsp, FILL_SPECIALIZED);
        e[CH_E_CONV1] = conv_engine(c, dsp - dsp3, (double)(dsp - dsp3) / dsp, FILL_SPECIALIZED);
    }
    e[CH_E_POOL].present = c->pool;
    e[CH_E_CPU].present = 1;
}
