/* resize.c: resampling of one plane and the adjoints backward needs: nearest (what the seeds'
 * modules use to bring inputs of an addition or concatenation to one size, PyTorch
 * F.interpolate's default) and bilinear with aligned corners (nn.UpsamplingBilinear2d, the
 * seeds' upsample op). Index arithmetic follows PyTorch's CPU kernels, in float. */
#include "std_ops.h"

#include <string.h>

/* Source index of destination index i (PyTorch nearest_idx). */
static int nearest_src(int i, int in, int out)
{
    if (in == out)
        return i;
    if (out == 2 * in)
        return i >> 1;
    int s = (int)floorf((float)i * ((float)in / (float)out));
    return s < in - 1 ? s : in - 1;
}

void sop_nearest(const float *src, int sh, int sw, float *dst, int dh, int dw, bool accumulate)
{
    if (!accumulate && sh == dh && sw == dw) {
        memcpy(dst, src, (size_t)dh * dw * sizeof *dst);
        return;
    }
    for (int y = 0; y < dh; y++) {
        const float *row = src + (int64_t)nearest_src(y, sh, dh) * sw;
        float *d = dst + (int64_t)y * dw;
        for (int x = 0; x < dw; x++) {
            float v = row[nearest_src(x, sw, dw)];
            d[x] = accumulate ? d[x] + v : v;
        }
    }
}

void sop_nearest_adj(const float *ddst, int dh, int dw, float *dsrc, int sh, int sw)
{
    for (int y = 0; y < dh; y++) {
        float *row = dsrc + (int64_t)nearest_src(y, sh, dh) * sw;
        const float *g = ddst + (int64_t)y * dw;
        for (int x = 0; x < dw; x++)
            row[nearest_src(x, sw, dw)] += g[x];
    }
}

/* Aligned-corner source position of destination index i: lower index, step to the upper one
 * (0 at the last row/column) and the upper weight. */
typedef struct lerp {
    int i0, step;
    float t;
} lerp;

static lerp lerp_at(int i, int in, int out)
{
    float scale = out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f;
    float r = scale * (float)i;
    lerp l = {(int)r, 0, 0};
    l.step = l.i0 < in - 1 ? 1 : 0;
    l.t = r - (float)l.i0;
    return l;
}

void sop_bilinear(const float *src, int sh, int sw, float *dst, int dh, int dw)
{
    for (int y = 0; y < dh; y++) {
        lerp ly = lerp_at(y, sh, dh);
        const float *r0 = src + (int64_t)ly.i0 * sw, *r1 = r0 + (int64_t)ly.step * sw;
        for (int x = 0; x < dw; x++) {
            lerp lx = lerp_at(x, sw, dw);
            float top = (1 - lx.t) * r0[lx.i0] + lx.t * r0[lx.i0 + lx.step];
            float bot = (1 - lx.t) * r1[lx.i0] + lx.t * r1[lx.i0 + lx.step];
            dst[(int64_t)y * dw + x] = (1 - ly.t) * top + ly.t * bot;
        }
    }
}

void sop_bilinear_adj(const float *ddst, int dh, int dw, float *dsrc, int sh, int sw)
{
    for (int y = 0; y < dh; y++) {
        lerp ly = lerp_at(y, sh, dh);
        float *r0 = dsrc + (int64_t)ly.i0 * sw, *r1 = r0 + (int64_t)ly.step * sw;
        for (int x = 0; x < dw; x++) {
            lerp lx = lerp_at(x, sw, dw);
            float g = ddst[(int64_t)y * dw + x], gt = (1 - ly.t) * g, gb = ly.t * g;
            r0[lx.i0] += (1 - lx.t) * gt;
            r0[lx.i0 + lx.step] += lx.t * gt;
            r1[lx.i0] += (1 - lx.t) * gb;
            r1[lx.i0 + lx.step] += lx.t * gb;
        }
    }
}
