/* core/graph/modspace.c: counting and sampling a module space (see modspace.h). */
#include "graph/modspace.h"
#include "graph/modenum.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cb_modspace_free(cb_modspace *sp)
{
    free(sp->name);
    cb_vocab_free(&sp->voc);
    cb_opset_free(&sp->ops);
    cb_opset_free(&sp->flatten);
    cb_opset_free(&sp->dense);
    cb_opset_free(&sp->classifier);
    cb_opset_free(&sp->glue.sum);
    cb_opset_free(&sp->glue.concat);
    cb_opset_free(&sp->glue.projection);
    cb_forms_free(&sp->forms);
    memset(sp, 0, sizeof *sp);
}

int cb_modspace_ready(cb_modspace *sp)
{
    if (sp->max_vertices < 3 || sp->max_vertices > CB_FORMS_MAXV || sp->max_edges < 2 || sp->head_max < 4 ||
        sp->head_max > CB_MODULE_MAXV || sp->ops.total == 0 || sp->max_modules < 1)
        return CB_EINVAL;
    /* the module ends, labelled as the seeds label them */
    sp->in_id = cb_vocab_add(&sp->voc, "input", NULL);
    sp->out_id = cb_vocab_add(&sp->voc, "output", NULL);
    cb_forms_free(&sp->forms);
    /* 2-vertex modules (input straight to output) are left out, as the seeds do */
    return cb_forms_build(&sp->forms, 3, sp->max_vertices, sp->max_edges);
}

bool cb_modspace_has_networks(const cb_modspace *sp)
{
    return sp->flatten.total > 0 && sp->classifier.total > 0 && sp->glue.sum.n == 1 && sp->glue.concat.n == 1 &&
           sp->glue.projection.n == 1;
}

unsigned __int128 cb_modspace_modules(const cb_modspace *sp)
{
    return cb_forms_count(&sp->forms, (int32_t)sp->ops.total);
}

unsigned __int128 cb_modspace_heads(const cb_modspace *sp)
{
    unsigned __int128 sum = 0, pow = 1;
    for (int d = 0; d <= sp->head_max - 4; d++) {
        sum += pow;
        pow *= sp->dense.total;
    }
    return sum * sp->flatten.total * sp->classifier.total;
}

double cb_modspace_log10_graphs(const cb_modspace *sp, int per_stack)
{
    double lm = log10((double)cb_modspace_modules(sp)), lh = log10((double)cb_modspace_heads(sp));
    int stacks = sp->max_modules / (per_stack > 0 ? per_stack : 1);
    /* sum over t = 1..stacks of M^t, in logs: the largest term plus log of the geometric sum */
    double top = stacks * lm, rest = 0;
    for (int t = stacks - 1; t >= 1 && top - t * lm < 40; t--)
        rest += pow(10, t * lm - top);
    return top + log10(1 + rest) + lh;
}

void cb_modspace_sample_module(cb_modspace *sp, cb_rng *rng, cb_module *m)
{
    cb_labelset ls = {(int32_t)sp->ops.total, NULL, sp->in_id, sp->out_id};
    if (sp->ops.total > INT32_MAX) /* label numbers are int32 while sampling */
        ls.k = INT32_MAX;
    cb_modules_sample(&sp->forms, &ls, rng, m);
    for (int v = 1; v < m->n - 1; v++)
        m->label[v] = cb_opset_label(&sp->ops, (uint64_t)m->label[v], &sp->voc);
}

void cb_modspace_sample_head(cb_modspace *sp, cb_rng *rng, cb_module *m)
{
    if (!sp->flatten.total || !sp->classifier.total) { /* no head ops: the bare ends */
        cb_module_chain(m, 2);
        m->label[0] = sp->in_id;
        m->label[1] = sp->out_id;
        return;
    }
    int dense = sp->dense.total ? (int)cb_rng_below(rng, (uint64_t)(sp->head_max - 3)) : 0;
    cb_module_chain(m, dense + 4);
    m->label[0] = sp->in_id;
    m->label[1] = cb_opset_label(&sp->flatten, cb_rng_below(rng, sp->flatten.total), &sp->voc);
    for (int v = 0; v < dense; v++)
        m->label[2 + v] = cb_opset_label(&sp->dense, cb_rng_below(rng, sp->dense.total), &sp->voc);
    m->label[2 + dense] = cb_opset_label(&sp->classifier, cb_rng_below(rng, sp->classifier.total), &sp->voc);
    m->label[3 + dense] = sp->out_id;
}

void cb_modspace_sample(cb_modspace *sp, int per_stack, cb_rng *rng, cb_cnngraph *g)
{
    int s = per_stack > 0 ? per_stack : 1, stacks = 1 + (int)cb_rng_below(rng, (uint64_t)(sp->max_modules / s));
    g->n = stacks * s + 1;
    g->mods = cb_xcalloc((size_t)g->n, sizeof *g->mods);
    for (int t = 0; t < stacks; t++) {
        cb_modspace_sample_module(sp, rng, &g->mods[t * s]);
        for (int r = 1; r < s; r++)
            g->mods[t * s + r] = g->mods[t * s];
    }
    cb_modspace_sample_head(sp, rng, &g->mods[g->n - 1]);
    cb_hasher h;
    if (cb_hasher_init(&h, sp->algo) == 0) {
        cb_cnngraph_hash(g, &sp->voc, &h);
        cb_hasher_free(&h);
    }
}
