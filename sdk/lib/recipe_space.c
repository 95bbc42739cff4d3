/* recipe_space.c: the training-recipe search space (see codebench/recipe.h): the seeds'
 * ranges, their checks, and seeded sampling of a recipe from them. */
#include <codebench/recipe.h>
#include <codebench/sdk.h>

#include <math.h>

void cb_recipe_space_seeds(cb_recipe_space *s)
{
    /* CNNBench's model_trainer.py autotune space (reference section 3.7) */
    *s = (cb_recipe_space){
        .optimizers = 1u << CB_OPT_ADAM | 1u << CB_OPT_ADAMW,
        .lr_min = 1e-5, .lr_max = 1e-2,
        .beta1_min = 0.8, .beta1_max = 0.95,
        .beta2_min = 0.9, .beta2_max = 0.999,
        .wd_min = 1e-5, .wd_max = 1e-3,
        .schedules = 1u << CB_SCHED_COSINE | 1u << CB_SCHED_EXPONENTIAL,
        .gamma_min = 0.8, .gamma_max = 0.99,
    };
}

static int bad(cb_error *e, const char *param, const char *what, double lo, double hi)
{
    return cb_error_set(e, CB_EINVAL, param, "recipe space: %s range [%g, %g] is empty or invalid",
                        what, lo, hi);
}

int cb_recipe_space_check(const cb_recipe_space *s, cb_error *e)
{
    if (!s->optimizers || s->optimizers >> (CB_OPT_ADAMW + 1))
        return cb_error_set(e, CB_EINVAL, "optimizer", "recipe space: optimizer mask 0x%x names no known optimizer",
                            s->optimizers);
    if (!s->schedules || s->schedules >> (CB_SCHED_STEP + 1))
        return cb_error_set(e, CB_EINVAL, "schedule", "recipe space: schedule mask 0x%x names no known schedule",
                            s->schedules);
    if (!(s->lr_min > 0 && s->lr_min <= s->lr_max && s->lr_max <= 10))
        return bad(e, "lr", "learning-rate", s->lr_min, s->lr_max);
    if (!(s->beta1_min >= 0 && s->beta1_min <= s->beta1_max && s->beta1_max < 1))
        return bad(e, "beta1", "beta1", s->beta1_min, s->beta1_max);
    if (!(s->beta2_min >= 0 && s->beta2_min <= s->beta2_max && s->beta2_max < 1))
        return bad(e, "beta2", "beta2", s->beta2_min, s->beta2_max);
    if (!(s->wd_min == 0 && s->wd_max == 0) && !(s->wd_min > 0 && s->wd_min <= s->wd_max && s->wd_max <= 1))
        return bad(e, "weight_decay", "weight-decay", s->wd_min, s->wd_max);
    if (!(s->gamma_min > 0 && s->gamma_min <= s->gamma_max && s->gamma_max <= 1))
        return bad(e, "gamma", "gamma", s->gamma_min, s->gamma_max);
    return CB_OK;
}

static double uniform(cb_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * cb_rng_unit(rng);
}

static double log_uniform(cb_rng *rng, double lo, double hi)
{
    return exp(uniform(rng, log(lo), log(hi)));
}

/* The k-th set bit of mask, k drawn uniformly. */
static int32_t pick(cb_rng *rng, uint32_t mask)
{
    int n = 0;
    for (uint32_t m = mask; m; m &= m - 1)
        n++;
    uint64_t k = cb_rng_below(rng, (uint64_t)n);
    for (int32_t bit = 0; bit < 32; bit++)
        if (mask >> bit & 1u && k-- == 0)
            return bit;
    return 0;
}

void cb_recipe_sample(const cb_recipe_space *s, const cb_recipe *base, cb_rng *rng, cb_recipe *out)
{
    *out = *base;
    /* every member is drawn whatever the choices, so the stream position (and the next
     * recipe) does not depend on which optimizer or schedule came up */
    out->optimizer = pick(rng, s->optimizers);
    out->lr = log_uniform(rng, s->lr_min, s->lr_max);
    out->beta1 = uniform(rng, s->beta1_min, s->beta1_max);
    out->beta2 = uniform(rng, s->beta2_min, s->beta2_max);
    double wd = s->wd_max > 0 ? log_uniform(rng, s->wd_min, s->wd_max) : base->weight_decay;
    out->weight_decay = wd;
    out->schedule = pick(rng, s->schedules);
    double gamma = uniform(rng, s->gamma_min, s->gamma_max);
    if (out->schedule == CB_SCHED_EXPONENTIAL || out->schedule == CB_SCHED_STEP)
        out->gamma = gamma;
}
