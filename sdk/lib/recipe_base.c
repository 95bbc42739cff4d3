/* recipe_base.c: one training recipe (see codebench/recipe.h): how a job's recipe overlays a
 * trainer's parameters, what a valid recipe is, and how a recipe reads in a log line. Every
 * trainer goes through these, so the same job means the same training wherever it runs. */
#include <codebench/recipe.h>
#include <codebench/sdk.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>

const char *const cb_optimizer_names[] = {"sgd", "adam", "adamw", NULL};
const char *const cb_schedule_names[] = {"constant", "cosine", "exponential", "step", NULL};

/* A member the job's recipe struct actually has (it may come from an older core). */
#define HAS(j, m) ((j)->size >= offsetof(cb_recipe, m) + sizeof((j)->m))

void cb_recipe_overlay(cb_recipe *r, const cb_recipe *j)
{
    if (!j)
        return;
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

int cb_recipe_check(const cb_recipe *r, cb_error *e)
{
    if (r->optimizer < CB_OPT_SGD || r->optimizer > CB_OPT_ADAMW)
        return cb_error_set(e, CB_EINVAL, "optimizer", "recipe: unknown optimizer %d", r->optimizer);
    if (r->schedule < CB_SCHED_CONSTANT || r->schedule > CB_SCHED_STEP)
        return cb_error_set(e, CB_EINVAL, "schedule", "recipe: unknown schedule %d", r->schedule);
    if (!(r->lr > 0 && r->lr <= 10))
        return cb_error_set(e, CB_EINVAL, "lr", "recipe: learning rate %g is outside (0, 10]", r->lr);
    if (!(r->beta1 >= 0 && r->beta1 < 1 && r->beta2 >= 0 && r->beta2 < 1))
        return cb_error_set(e, CB_EINVAL, "beta1", "recipe: betas %g, %g must lie in [0, 1)",
                            r->beta1, r->beta2);
    if (!(r->momentum >= 0 && r->momentum < 1))
        return cb_error_set(e, CB_EINVAL, "momentum", "recipe: momentum %g is outside [0, 1)",
                            r->momentum);
    if (!(r->weight_decay >= 0 && r->weight_decay <= 1))
        return cb_error_set(e, CB_EINVAL, "weight_decay", "recipe: weight decay %g is outside [0, 1]",
                            r->weight_decay);
    if (!(r->gamma > 0 && r->gamma <= 1) || r->step_epochs < 1)
        return cb_error_set(e, CB_EINVAL, "gamma", "recipe: gamma %g must lie in (0, 1] and step_epochs %d be >= 1",
                            r->gamma, r->step_epochs);
    if (r->epochs < 1 || r->batch < 1)
        return cb_error_set(e, CB_EINVAL, r->epochs < 1 ? "epochs" : "batch",
                            "recipe: epochs %d and batch %d must be >= 1", r->epochs, r->batch);
    return CB_OK;
}

const char *cb_recipe_str(const cb_recipe *r, char *buf, size_t len)
{
    int opt = r->optimizer >= 0 && r->optimizer <= CB_OPT_ADAMW ? r->optimizer : 0;
    int sch = r->schedule >= 0 && r->schedule <= CB_SCHED_STEP ? r->schedule : 0;
    if (opt == CB_OPT_SGD)
        snprintf(buf, len, "sgd lr %.3g momentum %.3g wd %.3g %s", r->lr, r->momentum,
                 r->weight_decay, cb_schedule_names[sch]);
    else
        snprintf(buf, len, "%s lr %.3g betas %.3g/%.4g wd %.3g %s", cb_optimizer_names[opt], r->lr,
                 r->beta1, r->beta2, r->weight_decay, cb_schedule_names[sch]);
    if (sch == CB_SCHED_EXPONENTIAL || sch == CB_SCHED_STEP) {
        size_t at = 0;
        while (at < len && buf[at])
            at++;
        snprintf(buf + at, len - at, " gamma %.3g", r->gamma);
    }
    return buf;
}
