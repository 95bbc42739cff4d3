/* conv_dw.c: the depth-wise family (one input channel per group, any channel multiplier) by
 * direct loops: a GEMM with one row per group would run at a fraction of peak. Work is split
 * over channels on host->parallel; within a plane the innermost loop runs along a row over
 * the positions whose taps are inside the input, so it has no branches and vectorizes. */
#include "std_ops.h"

#include <string.h>

enum { DW_FWD, DW_DATA, DW_WEIGHT };

/* y[i] += a x[i s], x[i s] += a y[i], and sum y[i] x[i s], each with a unit-stride version the
 * compiler vectorizes (the common stride 1). */
static void axpy(float *restrict y, const float *restrict x, float a, int n, int64_t s)
{
    if (s == 1)
        for (int i = 0; i < n; i++)
            y[i] += a * x[i];
    else
        for (int i = 0; i < n; i++)
            y[i] += a * x[i * s];
}

static void axpy_to(float *restrict x, const float *restrict y, float a, int n, int64_t s)
{
    if (s == 1)
        for (int i = 0; i < n; i++)
            x[i] += a * y[i];
    else
        for (int i = 0; i < n; i++)
            x[i * s] += a * y[i];
}

static float dot(const float *restrict y, const float *restrict x, int n, int64_t s)
{
    float acc[4] = {0, 0, 0, 0}; /* four lanes: a float sum is not reassociated for us */
    int i = 0;
    if (s == 1)
        for (; i + 4 <= n; i += 4)
            for (int l = 0; l < 4; l++)
                acc[l] += y[i + l] * x[i + l];
    for (; i < n; i++)
        acc[0] += y[i] * x[i * s];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/* One kernel tap over one (input plane, output plane) pair.
 * DW_FWD: y += wv x; DW_DATA: dx += wv dy; DW_WEIGHT: returns sum dy x. */
static float tap(const sop_geom *g, int mode, int kz, int ky, int kx, float wv, const float *x,
                 float *xo, const float *y, float *yo)
{
    int lo, hi;
    sop_span(kx, g->pw, g->sw, g->w, g->ow, &lo, &hi);
    int64_t hw = (int64_t)g->h * g->w, sw = g->sw;
    int len = hi - lo;
    float acc = 0;
    for (int oz = 0; oz < g->od && len > 0; oz++) {
        int iz = oz * g->sd - g->pd + kz;
        if (iz < 0 || iz >= g->d)
            continue;
        for (int oy = 0; oy < g->oh; oy++) {
            int iy = oy * g->sh - g->ph + ky;
            if (iy < 0 || iy >= g->h)
                continue;
            /* the first in-bounds position of this row, on both sides */
            int64_t xi = iz * hw + (int64_t)iy * g->w + kx - g->pw + lo * sw;
            int64_t yi = ((int64_t)oz * g->oh + oy) * g->ow + lo;
            if (mode == DW_FWD)
                axpy(yo + yi, x + xi, wv, len, sw);
            else if (mode == DW_DATA)
                axpy_to(xo + xi, y + yi, wv, len, sw);
            else
                acc += dot(y + yi, x + xi, len, sw);
        }
    }
    return acc;
}

typedef struct dw_job {
    const sop_geom *g;
    int mode;
    const float *x, *w, *y; /* y: the output (DW_FWD target) or its gradient */
    float *xo, *yo, *dw;
} dw_job;

/* Output channel oc of image n, all taps. */
static void plane(const dw_job *j, int n, int oc)
{
    const sop_geom *g = j->g;
    int ic = oc / (g->cout / g->groups);
    int64_t kvol = sop_geom_kvol(g);
    int64_t xoff = ((int64_t)n * g->cin + ic) * sop_geom_inpix(g);
    int64_t yoff = ((int64_t)n * g->cout + oc) * sop_geom_p(g);
    const float *wk = j->w ? j->w + oc * kvol : NULL;
    int64_t t = 0;
    for (int kz = 0; kz < g->kd; kz++)
        for (int ky = 0; ky < g->kh; ky++)
            for (int kx = 0; kx < g->kw; kx++, t++) {
                float s = tap(g, j->mode, kz, ky, kx, wk ? wk[t] : 0, j->x ? j->x + xoff : NULL,
                              j->xo ? j->xo + xoff : NULL, j->y ? j->y + yoff : NULL,
                              j->yo ? j->yo + yoff : NULL);
                if (j->mode == DW_WEIGHT)
                    j->dw[oc * kvol + t] += s;
            }
}

/* Tasks over output channels (DW_FWD, DW_WEIGHT) or input channels (DW_DATA, whose output
 * channels all add into that one input plane): no two tasks write the same memory. */
static void dw_task(void *ctx, size_t c0, size_t c1)
{
    const dw_job *j = ctx;
    const sop_geom *g = j->g;
    int mult = g->cout / g->groups;
    for (size_t c = c0; c < c1; c++)
        for (int n = 0; n < g->n; n++) {
            if (j->mode != DW_DATA) {
                plane(j, n, (int)c);
                continue;
            }
            for (int m = 0; m < mult; m++)
                plane(j, n, (int)c * mult + m);
        }
}

static void run(const cb_host *h, const dw_job *j)
{
    size_t channels = (size_t)(j->mode == DW_DATA ? j->g->cin : j->g->cout);
    h->parallel(h, channels, dw_task, (void *)j);
}

void sop_dw_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *w, float *y,
                bool accumulate)
{
    if (!accumulate)
        memset(y, 0, (size_t)g->n * g->cout * sop_geom_p(g) * sizeof *y);
    dw_job j = {g, DW_FWD, x, w, NULL, NULL, y, NULL};
    run(h, &j);
}

void sop_dw_bwd_data(const cb_host *h, const sop_geom *g, const float *dy, const float *w,
                     float *dx)
{
    dw_job j = {g, DW_DATA, NULL, w, dy, dx, NULL, NULL};
    run(h, &j);
}

void sop_dw_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                       float *dw)
{
    dw_job j = {g, DW_WEIGHT, x, NULL, dy, NULL, NULL, dw};
    run(h, &j);
}
