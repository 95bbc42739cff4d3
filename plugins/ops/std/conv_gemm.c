/* conv_gemm.c: grouped N-d convolution forward and backward as im2col + host->sgemm.
 *
 * Images are processed in chunks of sop_geom_chunk(g): one chunk's columns form a
 * [cin * kvol][nb * P] matrix, so a late layer with a few positions per image still runs one
 * wide GEMM per group. With one image per chunk the GEMM reads and writes the NCDHW tensors
 * in place; with several, the output (or its gradient) goes through a [cout][nb * P] buffer.
 * A pointwise conv with one image per chunk skips im2col: its input is the operand. With
 * stride 1 and 'same' padding the data gradient is a forward convolution (flipped kernel),
 * which avoids the [cin * kvol] x [P] GEMM output and col2im. The depth-wise family goes to
 * conv_dw.c instead, and 3x3 stride-1 'same' convolutions with enough channels to Winograd's
 * F(4x4, 3x3) in conv_wino.c (forward and weight gradient; their data gradient is a forward
 * convolution, so it goes there too). */
#include "std_ops.h"

#include <string.h>

typedef struct chunk {
    int b0, nb;          /* first image, images */
    int64_t p, len;      /* positions per image, nb * p */
    int64_t kg, mg;      /* GEMM inner size per group (cin/groups * kvol), outputs per group */
} chunk;

static chunk chunk_at(const sop_geom *g, int b0, int nb)
{
    chunk c;
    c.b0 = b0;
    c.nb = nb;
    c.p = sop_geom_p(g);
    c.len = nb * c.p;
    c.kg = (int64_t)(g->cin / g->groups) * sop_geom_kvol(g);
    c.mg = g->cout / g->groups;
    return c;
}

/* tmp[co][b * p + i] <-> y[b0 + b][co][i] */
static void scatter(const sop_geom *g, const chunk *c, const float *tmp, float *y, bool add)
{
    for (int b = 0; b < c->nb; b++)
        for (int co = 0; co < g->cout; co++) {
            const float *s = tmp + co * c->len + b * c->p;
            float *d = y + ((int64_t)(c->b0 + b) * g->cout + co) * c->p;
            if (add)
                for (int64_t i = 0; i < c->p; i++)
                    d[i] += s[i];
            else
                memcpy(d, s, (size_t)c->p * sizeof *d);
        }
}

static void gather(const sop_geom *g, const chunk *c, const float *y, float *tmp)
{
    for (int b = 0; b < c->nb; b++)
        for (int co = 0; co < g->cout; co++)
            memcpy(tmp + co * c->len + b * c->p, y + ((int64_t)(c->b0 + b) * g->cout + co) * c->p,
                   (size_t)c->p * sizeof *tmp);
}

/* The chunk's columns: the input image itself (pointwise, one image) or im2col into work. */
static const float *columns(const cb_host *h, const sop_geom *g, const chunk *c, const float *x,
                            float *work)
{
    const float *img = x + (int64_t)c->b0 * g->cin * sop_geom_inpix(g);
    if (c->nb == 1 && sop_geom_pointwise(g))
        return img;
    sop_im2col(h, g, img, c->nb, work);
    return work;
}

static float *tmp_of(const sop_geom *g, const chunk *c, float *work)
{
    bool direct = c->nb == 1 && sop_geom_pointwise(g);
    return work + (direct ? 0 : (int64_t)g->cin * sop_geom_kvol(g) * c->len);
}

static void fwd_chunk(const cb_host *h, const sop_geom *g, const chunk *c, const float *x,
                      const float *w, float *y, bool acc, float *work)
{
    const float *cols = columns(h, g, c, x, work);
    bool folded = c->nb > 1;
    float *dst = folded ? tmp_of(g, c, work) : y + (int64_t)c->b0 * g->cout * c->p;
    for (int gr = 0; gr < g->groups; gr++)
        h->sgemm(false, false, (int)c->mg, (int)c->len, (int)c->kg, 1.0f, w + gr * c->mg * c->kg,
                 (int)c->kg, cols + gr * c->kg * c->len, (int)c->len, folded || !acc ? 0.0f : 1.0f,
                 dst + gr * c->mg * c->len, (int)c->len);
    if (folded)
        scatter(g, c, dst, y, acc);
}

void sop_conv_fwd(const cb_host *h, const sop_geom *g, const float *x, const float *w, float *y,
                  bool accumulate, float *work)
{
    if (sop_geom_dw(g)) {
        sop_dw_fwd(h, g, x, w, y, accumulate);
        return;
    }
    if (sop_wino_ok(g)) {
        sop_wino_fwd(h, g, x, w, y, accumulate, work);
        return;
    }
    int step = sop_geom_chunk(g);
    for (int b0 = 0; b0 < g->n; b0 += step) {
        chunk c = chunk_at(g, b0, g->n - b0 < step ? g->n - b0 : step);
        fwd_chunk(h, g, &c, x, w, y, accumulate, work);
    }
}

/* dy of the chunk as a [cout][len] matrix: in place for one image, else gathered. */
static const float *dy_matrix(const sop_geom *g, const chunk *c, const float *dy, float *work)
{
    if (c->nb == 1)
        return dy + (int64_t)c->b0 * g->cout * c->p;
    float *tmp = tmp_of(g, c, work);
    gather(g, c, dy, tmp);
    return tmp;
}

static void bwd_data_chunk(const cb_host *h, const sop_geom *g, const chunk *c, const float *dy,
                           const float *w, float *dx, float *work)
{
    const float *m = dy_matrix(g, c, dy, work);
    float *img = dx + (int64_t)c->b0 * g->cin * sop_geom_inpix(g);
    bool direct = c->nb == 1 && sop_geom_pointwise(g);
    /* pointwise, one image: dx is the column matrix, so the GEMM adds straight into it */
    float *dcols = direct ? img : work;
    for (int gr = 0; gr < g->groups; gr++)
        h->sgemm(true, false, (int)c->kg, (int)c->len, (int)c->mg, 1.0f, w + gr * c->mg * c->kg,
                 (int)c->kg, m + gr * c->mg * c->len, (int)c->len, direct ? 1.0f : 0.0f,
                 dcols + gr * c->kg * c->len, (int)c->len);
    if (!direct)
        sop_col2im(h, g, dcols, c->nb, img);
}

/* wt[ci][co][kvol - 1 - t] = w[co][ci][t], group by group */
static void flip_kernel(const sop_geom *g, const float *w, float *wt)
{
    int64_t kvol = sop_geom_kvol(g);
    int cig = g->cin / g->groups, cog = g->cout / g->groups;
    for (int gr = 0; gr < g->groups; gr++)
        for (int co = 0; co < cog; co++)
            for (int ci = 0; ci < cig; ci++) {
                const float *src = w + ((int64_t)(gr * cog + co) * cig + ci) * kvol;
                float *dst = wt + ((int64_t)(gr * cig + ci) * cog + co) * kvol;
                for (int64_t t = 0; t < kvol; t++)
                    dst[kvol - 1 - t] = src[t];
            }
}

void sop_conv_bwd_data(const cb_host *h, const sop_geom *g, const float *dy, const float *w,
                       float *dx, float *work)
{
    if (sop_geom_dw(g)) {
        sop_dw_bwd_data(h, g, dy, w, dx);
        return;
    }
    if (sop_geom_same_stride1(g) && !sop_geom_pointwise(g)) {
        /* a forward convolution of dy: the fast im2col, a GEMM of the forward's shape, and it
         * adds straight into dx, with no col2im */
        sop_geom t = sop_geom_swapped(g);
        float *wt = work + sop_conv_fwd_floats(&t);
        flip_kernel(g, w, wt);
        sop_conv_fwd(h, &t, dy, wt, dx, true, work);
        return;
    }
    int step = sop_geom_chunk(g);
    for (int b0 = 0; b0 < g->n; b0 += step) {
        chunk c = chunk_at(g, b0, g->n - b0 < step ? g->n - b0 : step);
        bwd_data_chunk(h, g, &c, dy, w, dx, work);
    }
}

static void bwd_weight_chunk(const cb_host *h, const sop_geom *g, const chunk *c, const float *x,
                             const float *dy, float *dw, float *work)
{
    const float *m = dy_matrix(g, c, dy, work);
    const float *cols = columns(h, g, c, x, work);
    for (int gr = 0; gr < g->groups; gr++)
        h->sgemm(false, true, (int)c->mg, (int)c->kg, (int)c->len, 1.0f, m + gr * c->mg * c->len,
                 (int)c->len, cols + gr * c->kg * c->len, (int)c->len, 1.0f,
                 dw + gr * c->mg * c->kg, (int)c->kg);
}

void sop_conv_bwd_weight(const cb_host *h, const sop_geom *g, const float *x, const float *dy,
                         float *dw, float *work)
{
    if (sop_geom_dw(g)) {
        sop_dw_bwd_weight(h, g, x, dy, dw);
        return;
    }
    if (sop_wino_ok(g)) {
        sop_wino_bwd_weight(h, g, x, dy, dw, work);
        return;
    }
    int step = sop_geom_chunk(g);
    for (int b0 = 0; b0 < g->n; b0 += step) {
        chunk c = chunk_at(g, b0, g->n - b0 < step ? g->n - b0 : step);
        bwd_weight_chunk(h, g, &c, x, dy, dw, work);
    }
}
