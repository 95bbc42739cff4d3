/* plugins/trainers/native/native_recipe.c: the recipe one train() call uses: the plugin's
 * parameters, replaced by the job's recipe when the job brings one, then checked. */
#include "native.h"

#include <codebench/sdk.h>

#include <stddef.h>

/* A member the job's recipe struct actually has (it may come from an older core). */
#define HAS(j, m) ((j)->size >= offsetof(cb_recipe, m) + sizeof((j)->m))

/* Zero in a count or rate means "not given": keep the plugin's value for it. */
static void overlay(const cb_recipe *j, cb_recipe *r)
{
    if (HAS(j, optimizer))
        r->optimizer = j->optimizer;
    if (HAS(j, lr) && j->lr > 0)
        r->lr = j->lr;
    if (HAS(j, momentum))
        r->momentum = j->momentum;
    if (HAS(j, beta1) && j->beta1 > 0)
        r->beta1 = j->beta1;
    if (HAS(j, beta2) && j->beta2 > 0)
        r->beta2 = j->beta2;
    if (HAS(j, weight_decay))
        r->weight_decay = j->weight_decay;
    if (HAS(j, schedule))
        r->schedule = j->schedule;
    if (HAS(j, gamma) && j->gamma > 0)
        r->gamma = j->gamma;
    if (HAS(j, step_epochs) && j->step_epochs > 0)
        r->step_epochs = j->step_epochs;
    if (HAS(j, epochs) && j->epochs > 0)
        r->epochs = j->epochs;
    if (HAS(j, batch) && j->batch > 0)
        r->batch = j->batch;
    if (HAS(j, seed))
        r->seed = j->seed;
}

int native_recipe(const native *nt, const cb_recipe *job, cb_recipe *out, cb_error *e)
{
    *out = nt->recipe;
    if (job)
        overlay(job, out);
    const cb_host *h = nt->h;
    if (out->optimizer < CB_OPT_SGD || out->optimizer > CB_OPT_ADAMW)
        return h->fail(h, e, CB_EINVAL, "optimizer", "recipe: unknown optimizer %d", out->optimizer);
    if (out->schedule < CB_SCHED_CONSTANT || out->schedule > CB_SCHED_STEP)
        return h->fail(h, e, CB_EINVAL, "schedule", "recipe: unknown schedule %d", out->schedule);
    if (!(out->lr > 0 && out->lr <= 10))
        return h->fail(h, e, CB_EINVAL, "lr", "recipe: learning rate %g is outside (0, 10]", out->lr);
    if (!(out->beta1 >= 0 && out->beta1 < 1 && out->beta2 >= 0 && out->beta2 < 1))
        return h->fail(h, e, CB_EINVAL, "beta1", "recipe: betas %g, %g must lie in [0, 1)",
                       out->beta1, out->beta2);
    if (!(out->momentum >= 0 && out->momentum < 1 && out->weight_decay >= 0))
        return h->fail(h, e, CB_EINVAL, "momentum", "recipe: momentum %g or weight decay %g out of range",
                       out->momentum, out->weight_decay);
    return CB_OK;
}
