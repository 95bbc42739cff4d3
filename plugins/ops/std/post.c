/* post.c: the tail after every convolution and dense layer: bias, batch-norm and activation,
 * fused. Work is split over blocks of channels (host->parallel); within a block each pass
 * walks the images in memory order, so the rows of a block stream instead of striding.
 *
 * State: [mean c][inv_std c] when batch-norm, then the linear output when it must be kept
 * (batch-norm needs it for x-hat, SiLU for its derivative). Batch-norm follows PyTorch:
 * biased batch variance to normalize, unbiased variance into the running estimate, running
 * statistics with eps in eval mode. */
#include "std_ops.h"

#include <string.h>

int sop_post_w_at(const cb_tensor *t, int at, int bias, int bn, sop_post_w *out)
{
    memset(out, 0, sizeof *out);
    if (!t)
        return at + (bias ? 1 : 0) + (bn ? 4 : 0);
    if (bias)
        out->bias = t[at++].data;
    if (bn) {
        out->gamma = t[at].data;
        out->beta = t[at + 1].data;
        out->rmean = t[at + 2].data;
        out->rvar = t[at + 3].data;
        at += 4;
    }
    return at;
}

bool sop_post_keeps_lin(const sop_post *p)
{
    return p->bn || p->act == CB_ACT_SILU;
}

size_t sop_post_state_floats(const sop_post *p)
{
    size_t stats = p->bn ? 2 * (size_t)p->c : 0;
    return stats + (sop_post_keeps_lin(p) ? (size_t)p->n * p->c * p->s : 0);
}

size_t sop_post_work_floats(const sop_post *p)
{
    return p->bn || p->act != CB_ACT_NONE ? (size_t)p->n * p->c * p->s : 0;
}

static float *stats_of(const sop_post *p, void *state)
{
    return p->bn ? state : NULL;
}

float *sop_post_lin(const sop_post *p, void *state, float *out)
{
    if (!sop_post_keeps_lin(p))
        return out;
    return (float *)state + (p->bn ? 2 * p->c : 0);
}

typedef struct post_job {
    const cb_op_ctx *c;
    const sop_post *p;
    const sop_post_w *w, *dw;
    float *stats, *lin, *out, *g;
    const float *dout;
} post_job;

#define LANES 8  /* float lanes of a row sum: a float sum is not reordered for us */
#define BLOCK 16 /* channels per task */

/* Row sum of y, in LANES float lanes, returned in double. */
static double row_sum(const float *restrict y, int64_t n)
{
    float acc[LANES] = {0};
    int64_t k = 0;
    for (; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += y[k + l];
    double s = 0;
    for (; k < n; k++)
        s += y[k];
    for (int l = 0; l < LANES; l++)
        s += acc[l];
    return s;
}

/* Row sum of (y - mean)^2, the same way. */
static double row_dev2(const float *restrict y, int64_t n, float mean)
{
    float acc[LANES] = {0};
    int64_t k = 0;
    for (; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++)
            acc[l] += (y[k + l] - mean) * (y[k + l] - mean);
    double s = 0;
    for (; k < n; k++)
        s += (double)(y[k] - mean) * (y[k] - mean);
    for (int l = 0; l < LANES; l++)
        s += acc[l];
    return s;
}

/* sum g and sum g (y - mean) over a row */
static void row_sums2(const float *restrict g, const float *restrict y, int64_t n, float mean,
                      double *sg, double *sgy)
{
    float a[LANES] = {0}, b[LANES] = {0};
    int64_t k = 0;
    for (; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++) {
            a[l] += g[k + l];
            b[l] += g[k + l] * (y[k + l] - mean);
        }
    for (; k < n; k++) {
        *sg += g[k];
        *sgy += (double)g[k] * (y[k] - mean);
    }
    for (int l = 0; l < LANES; l++) {
        *sg += a[l];
        *sgy += b[l];
    }
}

static int64_t row_at(const sop_post *p, int i, int ch)
{
    return ((int64_t)i * p->c + ch) * p->s;
}

/* o = act(a y + b) along one row */
static void apply(int act, float a, float b, const float *y, float *o, int64_t s)
{
    if (act == CB_ACT_RELU)
        for (int64_t k = 0; k < s; k++) {
            float z = a * y[k] + b;
            o[k] = z > 0 ? z : 0;
        }
    else if (act == CB_ACT_SILU)
        for (int64_t k = 0; k < s; k++) {
            float z = a * y[k] + b;
            o[k] = z * sop_sigmoid(z);
        }
    else
        for (int64_t k = 0; k < s; k++)
            o[k] = a * y[k] + b;
}

/* Batch mean and inverse deviation of channels [c0, c1); updates their running statistics.
 * Two passes: the deviations around the mean keep the variance accurate when |mean| is large. */
static void batch_stats(const post_job *j, int c0, int c1)
{
    const sop_post *p = j->p;
    double sum[BLOCK] = {0}, sq[BLOCK] = {0}, m = (double)p->n * p->s;
    float *mean = j->stats, *inv = j->stats + p->c;
    for (int i = 0; i < p->n; i++)
        for (int ch = c0; ch < c1; ch++)
            sum[ch - c0] += row_sum(j->lin + row_at(p, i, ch), p->s);
    for (int ch = c0; ch < c1; ch++)
        mean[ch] = (float)(sum[ch - c0] / m);
    for (int i = 0; i < p->n; i++)
        for (int ch = c0; ch < c1; ch++)
            sq[ch - c0] += row_dev2(j->lin + row_at(p, i, ch), p->s, mean[ch]);
    float mom = p->momentum;
    for (int ch = c0; ch < c1; ch++) {
        double var = sq[ch - c0] / m;
        inv[ch] = (float)(1.0 / sqrt(var + p->eps));
        j->w->rmean[ch] = (1 - mom) * j->w->rmean[ch] + mom * mean[ch];
        j->w->rvar[ch] = (1 - mom) * j->w->rvar[ch] + mom * (float)(m > 1 ? var * m / (m - 1) : var);
    }
}

/* Scale a and shift b of channel ch: out = act(a lin + b). */
static void affine(const post_job *j, int ch, float *a, float *b)
{
    if (!j->p->bn) {
        *a = 1;
        *b = j->w->bias && !sop_post_keeps_lin(j->p) ? j->w->bias[ch] : 0.0f;
        return;
    }
    float mean = j->stats[ch], inv = j->stats[j->p->c + ch];
    *a = j->w->gamma[ch] * inv;
    *b = j->w->beta[ch] - mean * *a;
}

static void fwd_block(const post_job *j, int c0, int c1)
{
    const sop_post *p = j->p;
    if (sop_post_keeps_lin(p) && j->w->bias) /* kept with its bias: backward rebuilds z */
        for (int i = 0; i < p->n; i++)
            for (int ch = c0; ch < c1; ch++) {
                float *y = j->lin + row_at(p, i, ch), bias = j->w->bias[ch];
                for (int64_t k = 0; k < p->s; k++)
                    y[k] += bias;
            }
    if (p->bn && j->c->training)
        batch_stats(j, c0, c1);
    else if (p->bn)
        for (int ch = c0; ch < c1; ch++) {
            j->stats[ch] = j->w->rmean[ch];
            j->stats[p->c + ch] = 1.0f / sqrtf(j->w->rvar[ch] + p->eps);
        }
    float a[BLOCK], b[BLOCK];
    for (int ch = c0; ch < c1; ch++)
        affine(j, ch, &a[ch - c0], &b[ch - c0]);
    for (int i = 0; i < p->n; i++)
        for (int ch = c0; ch < c1; ch++)
            apply(p->act, a[ch - c0], b[ch - c0], j->lin + row_at(p, i, ch),
                  j->out + row_at(p, i, ch), p->s);
}

static void blocks(void *ctx, size_t b0, size_t b1, bool fwd);

static void fwd_task(void *ctx, size_t b0, size_t b1)
{
    blocks(ctx, b0, b1, true);
}

void sop_post_forward(const cb_op_ctx *c, const sop_post *p, const sop_post_w *w, void *state,
                      float *out)
{
    if (!p->bn && !p->bias && p->act == CB_ACT_NONE)
        return; /* the linear part wrote out already */
    post_job j = {c, p, w, NULL, stats_of(p, state), sop_post_lin(p, state, out), out, NULL, NULL};
    c->host->parallel(c->host, (size_t)(p->c + BLOCK - 1) / BLOCK, fwd_task, &j);
}

/* g = dout * act'(z) along one row, z = a y + b rebuilt from the kept output. */
static void act_grad(int act, float a, float b, const float *restrict d, const float *restrict o,
                     const float *restrict y, float *restrict g, int64_t s)
{
    if (act == CB_ACT_RELU)
        for (int64_t k = 0; k < s; k++) {
            float dk = d[k]; /* loaded unconditionally, so the select vectorizes */
            g[k] = o[k] > 0 ? dk : 0.0f;
        }
    else if (act == CB_ACT_SILU)
        for (int64_t k = 0; k < s; k++)
            g[k] = d[k] * sop_dsilu(a * y[k] + b);
    else
        memcpy(g, d, (size_t)s * sizeof *g);
}

/* Pass 2 of batch-norm backward, in place: training g = scale (g - mean g - x-hat mean(g x-hat)),
 * eval (statistics are constants) g = scale g. Returns the row's new sum, for the bias. */
static double bn_row(float *restrict g, const float *restrict y, int64_t s, float scale, float mg,
                     float mean, float inv_mx)
{
    float acc[LANES] = {0};
    int64_t k = 0;
    for (; k + LANES <= s; k += LANES)
        for (int l = 0; l < LANES; l++) {
            g[k + l] = scale * (g[k + l] - mg - (y[k + l] - mean) * inv_mx);
            acc[l] += g[k + l];
        }
    double sum = 0;
    for (; k < s; k++) {
        g[k] = scale * (g[k] - mg - (y[k] - mean) * inv_mx);
        sum += g[k];
    }
    for (int l = 0; l < LANES; l++)
        sum += acc[l];
    return sum;
}

static void bwd_block(const post_job *j, int c0, int c1)
{
    const sop_post *p = j->p;
    float a[BLOCK], b[BLOCK];
    double sg[BLOCK] = {0}, sgy[BLOCK] = {0}, m = (double)p->n * p->s;
    for (int ch = c0; ch < c1; ch++)
        affine(j, ch, &a[ch - c0], &b[ch - c0]);
    for (int i = 0; i < p->n; i++)
        for (int ch = c0; ch < c1; ch++) {
            int64_t off = row_at(p, i, ch);
            act_grad(p->act, a[ch - c0], b[ch - c0], j->dout + off, j->out + off, j->lin + off,
                     j->g + off, p->s);
            if (p->bn)
                row_sums2(j->g + off, j->lin + off, p->s, j->stats[ch], &sg[ch - c0], &sgy[ch - c0]);
            else if (j->dw->bias)
                sg[ch - c0] += row_sum(j->g + off, p->s);
        }
    if (!p->bn) {
        for (int ch = c0; ch < c1 && j->dw->bias; ch++)
            j->dw->bias[ch] += (float)sg[ch - c0];
        return;
    }
    double bias[BLOCK] = {0};
    float scale[BLOCK], mg[BLOCK], inv_mx[BLOCK];
    for (int ch = c0; ch < c1; ch++) {
        int k = ch - c0;
        float inv = j->stats[p->c + ch];
        double sgx = sgy[k] * inv; /* sum g x-hat */
        if (j->dw->gamma)
            j->dw->gamma[ch] += (float)sgx;
        if (j->dw->beta)
            j->dw->beta[ch] += (float)sg[k];
        bool batch = j->c->training;
        scale[k] = j->w->gamma[ch] * inv;
        mg[k] = batch ? (float)(sg[k] / m) : 0.0f;
        inv_mx[k] = batch ? inv * (float)(sgx / m) : 0.0f;
    }
    for (int i = 0; i < p->n; i++)
        for (int ch = c0; ch < c1; ch++) {
            int64_t off = row_at(p, i, ch);
            int k = ch - c0;
            bias[k] += bn_row(j->g + off, j->lin + off, p->s, scale[k], mg[k], j->stats[ch],
                              inv_mx[k]);
        }
    for (int ch = c0; ch < c1 && j->dw->bias; ch++)
        j->dw->bias[ch] += (float)bias[ch - c0];
}

static void bwd_task(void *ctx, size_t b0, size_t b1)
{
    blocks(ctx, b0, b1, false);
}

static void blocks(void *ctx, size_t b0, size_t b1, bool fwd)
{
    const post_job *j = ctx;
    for (size_t bk = b0; bk < b1; bk++) {
        int c0 = (int)bk * BLOCK, c1 = c0 + BLOCK < j->p->c ? c0 + BLOCK : j->p->c;
        if (fwd)
            fwd_block(j, c0, c1);
        else
            bwd_block(j, c0, c1);
    }
}

const float *sop_post_backward(const cb_op_ctx *c, const sop_post *p, const sop_post_w *w,
                               const sop_post_w *dw, void *state, const float *out,
                               const float *dout, float *work)
{
    if (!p->bn && p->act == CB_ACT_NONE) {
        if (dw->bias)
            sop_bias_grad(dout, p->n, p->c, p->s, dw->bias);
        return dout;
    }
    post_job j = {c, p, w, dw, stats_of(p, state), sop_post_lin(p, state, (float *)out),
                  (float *)out, work, dout};
    c->host->parallel(c->host, (size_t)(p->c + BLOCK - 1) / BLOCK, bwd_task, &j);
    return work;
}
