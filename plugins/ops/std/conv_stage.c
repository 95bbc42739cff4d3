/* conv_stage.c: one convolution stage, the linear part (a convolution, or a transposed one,
 * which is the data gradient of the convolution described by its geometry) followed by the
 * bias/batch-norm/activation tail. conv2d, conv3d and conv_transpose2d are one stage each;
 * dwsconv2d is two.
 *
 * Workspace: [the tail's d loss / d linear output][the convolution's scratch]. */
#include "std_ops.h"

#include <string.h>

void sop_stage_init_post(sop_stage *st, int bias, int bn, int act)
{
    const sop_geom *g = &st->g;
    sop_post *p = &st->post;
    p->n = g->n;
    p->c = st->transposed ? g->cin : g->cout;
    p->s = st->transposed ? sop_geom_inpix(g) : sop_geom_p(g);
    p->bias = bias;
    p->bn = bn;
    p->act = act;
    p->eps = SOP_BN_EPS;
    p->momentum = SOP_BN_MOMENTUM;
}

size_t sop_stage_state_floats(const sop_stage *st)
{
    return sop_post_state_floats(&st->post);
}

size_t sop_stage_work_floats(const sop_stage *st)
{
    return sop_post_work_floats(&st->post) + sop_conv_work_floats(&st->g);
}

void sop_stage_forward(const cb_op_ctx *c, const sop_stage *st, const float *x, const float *w,
                       const sop_post_w *pw, void *state, float *out)
{
    float *lin = sop_post_lin(&st->post, state, out);
    float *work = c->workspace;
    if (st->transposed) {
        memset(lin, 0, (size_t)st->post.n * st->post.c * st->post.s * sizeof *lin);
        sop_conv_bwd_data(c->host, &st->g, x, w, lin, work);
    } else {
        sop_conv_fwd(c->host, &st->g, x, w, lin, false, work);
    }
    sop_post_forward(c, &st->post, pw, state, out);
}

void sop_stage_backward(const cb_op_ctx *c, const sop_stage *st, const float *x, const float *w,
                        const sop_post_w *pw, void *state, const float *out, const float *dout,
                        float *dx, float *dw, const sop_post_w *pdw, float *work)
{
    const float *dlin = sop_post_backward(c, &st->post, pw, pdw, state, out, dout, work);
    float *cwork = work + sop_post_work_floats(&st->post);
    const sop_geom *g = &st->g;
    if (st->transposed) {
        /* out = G^T x, so d/dx = G dlin and d/dw pairs dlin (G's input) with x (G's output) */
        if (dw)
            sop_conv_bwd_weight(c->host, g, dlin, x, dw, cwork);
        if (dx)
            sop_conv_fwd(c->host, g, dlin, w, dx, true, cwork);
        return;
    }
    if (dw)
        sop_conv_bwd_weight(c->host, g, x, dlin, dw, cwork);
    if (dx)
        sop_conv_bwd_data(c->host, g, dlin, w, dx, cwork);
}
