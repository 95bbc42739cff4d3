/* conv_geom.c: convolution geometry decisions (when to fold images into one GEMM, when the
 * input already is the GEMM operand, what scratch the kernels need) and im2col/col2im for N-d
 * convolutions, split over input channels on host->parallel; 'same' stride-1 im2col is one
 * shifted copy per tap. */
#include "std_ops.h"

#include <string.h>

/* Fold images until a GEMM has at least this many columns: below it OpenBLAS runs far from
 * peak on the small late layers; above it folding only costs the extra scatter. */
#define SOP_FOLD_COLUMNS 1024
/* ... and never let the column buffer of one chunk pass 16 M floats (64 MB). */
#define SOP_COLS_BUDGET ((int64_t)16 << 20)

bool sop_geom_pointwise(const sop_geom *g)
{
    return g->kd == 1 && g->kh == 1 && g->kw == 1 && g->sd == 1 && g->sh == 1 && g->sw == 1 &&
           g->pd == 0 && g->ph == 0 && g->pw == 0;
}

int sop_geom_chunk(const sop_geom *g)
{
    int64_t p = sop_geom_p(g), rows = (int64_t)g->cin * sop_geom_kvol(g);
    int64_t rows_out = g->cout > rows ? g->cout : rows;
    if (p <= 0 || p >= SOP_FOLD_COLUMNS)
        return 1;
    int64_t b = (SOP_FOLD_COLUMNS + p - 1) / p;
    int64_t cap = SOP_COLS_BUDGET / (rows_out * p);
    if (b > cap)
        b = cap;
    if (b > g->n)
        b = g->n;
    return b < 1 ? 1 : (int)b;
}

bool sop_geom_same_stride1(const sop_geom *g)
{
    return g->sd == 1 && g->sh == 1 && g->sw == 1 && g->od == g->d && g->oh == g->h &&
           g->ow == g->w && 2 * g->pd == g->kd - 1 && 2 * g->ph == g->kh - 1 &&
           2 * g->pw == g->kw - 1;
}

sop_geom sop_geom_swapped(const sop_geom *g)
{
    sop_geom t = *g;
    t.cin = g->cout;
    t.cout = g->cin;
    return t;
}

int64_t sop_conv_chunk_floats(const sop_geom *g)
{
    int64_t b = sop_geom_chunk(g), p = sop_geom_p(g);
    int64_t cols = (b == 1 && sop_geom_pointwise(g)) ? 0 : (int64_t)g->cin * sop_geom_kvol(g) * b * p;
    int64_t tmp = b > 1 ? (int64_t)g->cout * b * p : 0;
    return cols + tmp;
}

int64_t sop_conv_fwd_floats(const sop_geom *g)
{
    return sop_wino_ok(g) ? (int64_t)sop_wino_work_floats(g) : sop_conv_chunk_floats(g);
}

size_t sop_conv_work_floats(const sop_geom *g)
{
    if (sop_geom_dw(g))
        return 0;
    /* forward and weight gradient; a Winograd-shaped conv takes the swapped path below for
     * its data gradient, so it never needs its own im2col chunk */
    int64_t own = sop_conv_fwd_floats(g);
    if (!sop_geom_same_stride1(g) || sop_geom_pointwise(g))
        return (size_t)own;
    /* the data gradient as a forward convolution: its chunk, then the flipped kernel */
    sop_geom t = sop_geom_swapped(g);
    int64_t back = sop_conv_fwd_floats(&t) + (int64_t)g->cout * (g->cin / g->groups) * sop_geom_kvol(g);
    return (size_t)(own > back ? own : back);
}

/* r[0, ow) = zeros around src[(i - lo) s] for i in [lo, hi) */
static void row_copy(float *restrict r, const float *restrict src, int lo, int hi, int ow, int s)
{
    memset(r, 0, (size_t)lo * sizeof *r);
    if (s == 1)
        memcpy(r + lo, src, (size_t)(hi - lo) * sizeof *r);
    else
        for (int i = 0; i < hi - lo; i++)
            r[lo + i] = src[(int64_t)i * s];
    memset(r + hi, 0, (size_t)(ow - hi) * sizeof *r);
}

/* dst[i s] += src[i] for i in [0, n) */
static void row_add(float *restrict dst, const float *restrict src, int n, int s)
{
    if (s == 1)
        for (int i = 0; i < n; i++)
            dst[i] += src[i];
    else
        for (int i = 0; i < n; i++)
            dst[(int64_t)i * s] += src[i];
}

typedef struct col_job {
    const sop_geom *g;
    const float *x;
    float *cols;
    float *dx;
    int nb;
} col_job;

/* One row of a column matrix: kernel tap (kz, ky, kx) of one input channel plane per image.
 * to_cols: plane -> row (im2col); else row added back into plane (col2im). */
static void row_pass(const sop_geom *g, int kz, int ky, int kx, const float *plane, float *dplane,
                     float *row, bool to_cols)
{
    int lo, hi;
    sop_span(kx, g->pw, g->sw, g->w, g->ow, &lo, &hi);
    int64_t hw = (int64_t)g->h * g->w;
    for (int oz = 0; oz < g->od; oz++) {
        int iz = oz * g->sd - g->pd + kz;
        for (int oy = 0; oy < g->oh; oy++) {
            int iy = oy * g->sh - g->ph + ky;
            float *r = row + ((int64_t)oz * g->oh + oy) * g->ow;
            bool inside = iz >= 0 && iz < g->d && iy >= 0 && iy < g->h;
            if (!inside) {
                if (to_cols)
                    memset(r, 0, (size_t)g->ow * sizeof *r);
                continue;
            }
            int64_t base = iz * hw + (int64_t)iy * g->w + kx - g->pw;
            if (to_cols && hi == lo)
                memset(r, 0, (size_t)g->ow * sizeof *r);
            else if (to_cols)
                row_copy(r, plane + base + (int64_t)lo * g->sw, lo, hi, g->ow, g->sw);
            else if (hi > lo)
                row_add(dplane + base + (int64_t)lo * g->sw, r + lo, hi - lo, g->sw);
        }
    }
}

/* Stride 1 with output rows as wide as input rows ('same' padding, 2-D): a tap's row block is
 * the input plane shifted by a constant, so it is one copy, after which the columns that fell
 * into the padding (and picked up a neighbouring row's pixels) are zeroed again. */
static bool shifted_copy(const sop_geom *g)
{
    return g->d == 1 && g->kd == 1 && g->sh == 1 && g->sw == 1 && g->ow == g->w && g->oh == g->h;
}

static void tap_shifted(const sop_geom *g, int ky, int kx, const float *plane, float *row)
{
    int64_t w = g->w, n = (int64_t)g->h * w;
    int y0 = g->ph - ky > 0 ? g->ph - ky : 0, y1 = g->h + g->ph - ky < g->h ? g->h + g->ph - ky : g->h;
    if (y1 <= y0) {
        memset(row, 0, (size_t)n * sizeof *row);
        return;
    }
    /* rows [y0, y1) read input rows shifted by ky - ph, columns by kx - pw */
    int64_t first = y0 * w, last = y1 * w, shift = (int64_t)(ky - g->ph) * w + kx - g->pw;
    int64_t a = first > -shift ? first : -shift, b = last < n - shift ? last : n - shift;
    if (b <= a) { /* every tap position falls into the padding */
        memset(row, 0, (size_t)n * sizeof *row);
        return;
    }
    memset(row, 0, (size_t)a * sizeof *row);
    memcpy(row + a, plane + a + shift, (size_t)(b - a) * sizeof *row);
    memset(row + b, 0, (size_t)(n - b) * sizeof *row);
    int lo, hi;
    sop_span(kx, g->pw, 1, g->w, g->ow, &lo, &hi);
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < lo; x++)
            row[y * w + x] = 0;
        for (int x = hi; x < g->w; x++)
            row[y * w + x] = 0;
    }
}

static void channels_pass(const col_job *j, size_t c0, size_t c1, bool to_cols)
{
    const sop_geom *g = j->g;
    int64_t p = sop_geom_p(g), len = (int64_t)j->nb * p, pix = sop_geom_inpix(g);
    for (size_t c = c0; c < c1; c++) {
        int64_t r = (int64_t)c * sop_geom_kvol(g);
        for (int kz = 0; kz < g->kd; kz++)
            for (int ky = 0; ky < g->kh; ky++)
                for (int kx = 0; kx < g->kw; kx++, r++)
                    for (int b = 0; b < j->nb; b++) {
                        int64_t plane = ((int64_t)b * g->cin + (int64_t)c) * pix;
                        if (to_cols && shifted_copy(g)) {
                            tap_shifted(g, ky, kx, j->x + plane, j->cols + r * len + b * p);
                            continue;
                        }
                        row_pass(g, kz, ky, kx, j->x ? j->x + plane : NULL,
                                 j->dx ? j->dx + plane : NULL, j->cols + r * len + b * p, to_cols);
                    }
    }
}

static void im2col_task(void *ctx, size_t c0, size_t c1)
{
    channels_pass(ctx, c0, c1, true);
}

static void col2im_task(void *ctx, size_t c0, size_t c1)
{
    channels_pass(ctx, c0, c1, false);
}

void sop_im2col(const cb_host *h, const sop_geom *g, const float *x, int nb, float *cols)
{
    col_job j = {g, x, cols, NULL, nb};
    h->parallel(h, (size_t)g->cin, im2col_task, &j);
}

void sop_col2im(const cb_host *h, const sop_geom *g, const float *cols, int nb, float *dx)
{
    /* each task owns whole input channels, so the additions never race */
    col_job j = {g, NULL, (float *)cols, dx, nb};
    h->parallel(h, (size_t)g->cin, col2im_task, &j);
}
