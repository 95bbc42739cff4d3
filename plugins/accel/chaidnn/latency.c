/* plugins/accel/chaidnn/latency.c: the latency of one operation type on one configuration, the
 * entries of the per-operation lookup table. The paper measured each of its operations on the
 * board; this model computes them (docs/codesign-nas.md):
 *
 *  - a convolution streams its output in strips of rows; a strip's input rows (for one chunk
 *    of input planes) must fit the input buffer and its output pixels (fp accumulators each)
 *    the output buffer; the weights of fp filters for one chunk must fit the weight buffer.
 *    Compute: per strip, filter group and chunk, ceil(pixels / pixel lanes) x planes/4 x k^2
 *    cycles plus a pipeline fill. Memory: input (with the rows strips share read again),
 *    weights (once when the whole layer fits the weight buffer, else once per strip), output,
 *    at mem_interface_width bits a cycle. A layer takes the larger of the two (double
 *    buffering overlaps them), plus a fixed start-up cost;
 *  - pooling on the pooling engine: 16 channels and a whole window (up to 9 taps) a cycle;
 *    pooling without it runs on the convolution engine, one tap a cycle per lane;
 *  - element-wise passes run on the convolution engine's output stage, usually bound by the
 *    memory traffic of their inputs and output;
 *  - fully connected layers and resampling run on the host CPU at cpu_gmacs. */
#include "chaidnn.h"

#include <math.h>

#define IN_WORD 16   /* bytes per input-buffer word (128 bits) */
#define POOL_CH 16   /* channel lanes of the pooling engine */
#define POOL_TAPS 9  /* window taps the pooling engine reduces per cycle */

static int64_t cdiv(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* ceil(n / lanes) for possibly fractional lanes */
static double lanes_div(double n, double lanes)
{
    return ceil(n / lanes - 1e-9);
}

static double dmax(double a, double b)
{
    return a > b ? a : b;
}

typedef struct strips {
    int64_t chunks, ci4c;     /* input-plane chunks, and planes/4 per chunk */
    int64_t rows, n, last;    /* output rows per strip, strips, rows of the last one */
} strips;

/* How a convolution is cut: into chunks of input planes until k input rows of one chunk fit
 * the input buffer (and one filter group's weights fit the weight buffer), then into strips
 * of output rows that fit both the input and output buffers. */
static strips cut(const ch_engine *e, const ch_optype *t)
{
    int64_t k = t->k, s = t->stride, ci4 = cdiv(t->cin, 4);
    strips p = {cdiv(ci4 * k * k, e->d_w), 0, 0, 0, 0};
    int64_t rows_fit;
    for (;;) {
        p.ci4c = cdiv(ci4, p.chunks);
        int64_t row_bytes = t->win * (4 * p.ci4c < t->cin ? 4 * p.ci4c : t->cin);
        rows_fit = (int64_t)e->d_in * IN_WORD / (row_bytes > 0 ? row_bytes : 1);
        if (rows_fit >= k || p.chunks >= ci4)
            break;
        p.chunks++;
    }
    int64_t r_in = rows_fit >= k ? (rows_fit - k) / s + 1 : 1;
    int64_t r_out = e->d_out / (t->wout > 0 ? t->wout : 1);
    p.rows = r_in < r_out ? r_in : r_out;
    if (p.rows > t->hout)
        p.rows = t->hout;
    if (p.rows < 1)
        p.rows = 1;
    p.n = cdiv(t->hout, p.rows);
    p.last = t->hout - (p.n - 1) * p.rows;
    return p;
}

/* Cycles of one group of a convolution on engine e. */
static double conv_group_cycles(const ch_config *c, const ch_engine *e, const ch_optype *t)
{
    int64_t k = t->k, groups = cdiv(t->cout, (int64_t)e->fp);
    strips p = cut(e, t);
    double taps = (double)(p.ci4c * k * k);
    double full = lanes_div((double)(p.rows * t->wout), e->pc) * taps + e->fill;
    double last = lanes_div((double)(p.last * t->wout), e->pc) * taps + e->fill;
    double compute = (double)(groups * p.chunks) * ((double)(p.n - 1) * full + last);
    int64_t halo = (p.n - 1) * (k > t->stride ? k - t->stride : 0);
    double in_bytes = (double)(t->cin * t->win * (t->hin + halo));
    double w_bytes = (double)(t->cout * t->cin * k * k);
    int weights_fit = groups * cdiv(t->cin, 4) * k * k <= e->d_w;
    double out_bytes = (double)(t->cout * t->hout * t->wout);
    double mem = (in_bytes + w_bytes * (weights_fit ? 1 : (double)p.n) + out_bytes) /
                 (c->mem_bits / 8.0);
    return dmax(compute, mem) * (double)t->window; /* window: a 3-D convolution's depth work */
}

static double conv_cycles(const ch_config *c, const ch_engine *e, const ch_optype *t)
{
    double cyc = conv_group_cycles(c, e, t) * (double)t->groups;
    if (t->pw_of > 0) { /* a fused point-wise stage: a 1x1 convolution over the same pixels */
        ch_optype pw = *t;
        pw.k = 1;
        pw.stride = 1;
        pw.groups = 1;
        pw.window = 1;
        pw.cin = t->cout * t->groups;
        pw.cout = t->pw_of;
        pw.hin = t->hout;
        pw.win = t->wout;
        pw.pw_of = 0;
        cyc += conv_group_cycles(c, e, &pw);
    }
    return cyc;
}

static double pass_mem(const ch_config *c, const ch_optype *t)
{
    return (double)(t->in_elems + t->out_elems) / (c->mem_bits / 8.0);
}

static double pool_cycles(const ch_config *c, const ch_engine *e, int on_pool, const ch_optype *t)
{
    double pixels = (double)(t->hout * t->wout), compute;
    if (on_pool)
        compute = (double)cdiv(t->cout, POOL_CH) * pixels * (double)cdiv(t->window, POOL_TAPS);
    else
        compute = (double)cdiv(t->cout, (int64_t)e->fp) * lanes_div(pixels, e->pc) * (double)t->window;
    return dmax(compute, pass_mem(c, t));
}

static double eltwise_cycles(const ch_config *c, const ch_engine *e, const ch_optype *t)
{
    double pixels = (double)(t->hout * t->wout);
    double compute = (double)cdiv(t->cout, (int64_t)e->fp) * lanes_div(pixels, e->pc) *
                     (double)(t->n_in > 1 ? t->n_in - 1 : 1);
    return dmax(compute, pass_mem(c, t));
}

int ch_engine_of(const ch_optype *ty, const ch_config *c)
{
    switch (ty->kind) {
    case CH_T_CONV: return ty->k == 1 && c->ratio < 1 ? CH_E_CONV1 : CH_E_CONV;
    case CH_T_POOL: return c->pool ? CH_E_POOL : CH_E_CONV;
    case CH_T_ELTWISE: return CH_E_CONV;
    default: return CH_E_CPU;
    }
}

double ch_op_seconds(const ch_family *f, const ch_config *c, const ch_engine e[CH_N_ENGINES],
                     const ch_optype *ty)
{
    int on = ch_engine_of(ty, c);
    double cycles;
    switch (ty->kind) {
    case CH_T_CONV: cycles = conv_cycles(c, &e[on], ty); break;
    case CH_T_POOL: cycles = pool_cycles(c, &e[CH_E_CONV], on == CH_E_POOL, ty); break;
    case CH_T_ELTWISE: cycles = eltwise_cycles(c, &e[CH_E_CONV], ty); break;
    default: return (double)ty->work / f->cpu_macs + f->layer_s;
    }
    return cycles / f->clock_hz + f->layer_s;
}
