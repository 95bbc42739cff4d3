/* recipe_asha.c: Asynchronous Successive Halving (see codebench/recipe.h). Rung k's budget is
 * min_epochs * eta^k epochs, the last rung max_epochs; a trial that finished rung k moves up
 * when it is among the best floor(n_k / eta) of the n_k trials that finished rung k so far.
 * Promotion is checked from the top rung down, so the furthest trials finish first. */
#include <codebench/recipe.h>
#include <codebench/sdk.h>

#include <math.h>
#include <stdlib.h>

enum { T_IDLE = 0, T_RUNNING, T_STOPPED }; /* idle: finished its rung, awaiting promotion */

typedef struct trial {
    int32_t state;
    int32_t rung;      /* the last rung reported (-1: none), or the one being trained */
    double *loss;      /* per rung; NaN until reported */
} trial;

struct cb_asha {
    int32_t trials, started, rungs, eta;
    int32_t *epochs;   /* per rung */
    trial *t;
    double *losses;    /* trials x rungs */
};

int cb_asha_new(int32_t trials, int32_t min_epochs, int32_t max_epochs, int32_t eta,
                cb_asha **out, cb_error *e)
{
    *out = NULL;
    if (trials < 1 || min_epochs < 1 || max_epochs < min_epochs || eta < 2)
        return cb_error_set(e, CB_EINVAL, NULL,
                            "asha: need trials >= 1 (%d), 1 <= min_epochs (%d) <= max_epochs (%d), eta >= 2 (%d)",
                            trials, min_epochs, max_epochs, eta);
    int32_t rungs = 1;
    for (int64_t r = min_epochs; r < max_epochs; r *= eta)
        rungs++;
    cb_asha *a = calloc(1, sizeof *a);
    if (a) {
        a->epochs = calloc((size_t)rungs, sizeof *a->epochs);
        a->t = calloc((size_t)trials, sizeof *a->t);
        a->losses = malloc((size_t)trials * (size_t)rungs * sizeof *a->losses);
    }
    if (!a || !a->epochs || !a->t || !a->losses) {
        cb_asha_free(a);
        return cb_error_set(e, CB_EFAIL, NULL, "asha: out of memory");
    }
    *a = (cb_asha){trials, 0, rungs, eta, a->epochs, a->t, a->losses};
    int64_t r = min_epochs;
    for (int32_t k = 0; k < rungs; k++, r *= eta)
        a->epochs[k] = (int32_t)(r < max_epochs ? r : max_epochs);
    for (int32_t i = 0; i < trials; i++) {
        a->t[i] = (trial){T_IDLE, -1, a->losses + (size_t)i * (size_t)rungs};
        for (int32_t k = 0; k < rungs; k++)
            a->t[i].loss[k] = NAN;
    }
    *out = a;
    return CB_OK;
}

void cb_asha_free(cb_asha *a)
{
    if (!a)
        return;
    free(a->epochs);
    free(a->t);
    free(a->losses);
    free(a);
}

int32_t cb_asha_rungs(const cb_asha *a)
{
    return a->rungs;
}

int32_t cb_asha_rung_epochs(const cb_asha *a, int32_t rung)
{
    return rung >= 0 && rung < a->rungs ? a->epochs[rung] : 0;
}

/* NaN (a diverged trial) sorts after every number. */
static int better(double x, double y)
{
    return isnan(y) ? !isnan(x) : x < y;
}

/* The trial to promote from rung k, or -1: the best trial of rung k that has not moved on,
 * when it ranks within the top floor(n_k / eta) of the n_k trials that reported at rung k. */
static int32_t promotable(const cb_asha *a, int32_t k)
{
    int32_t done = 0, cand = -1;
    for (int32_t i = 0; i < a->started; i++) {
        const trial *t = &a->t[i];
        if (t->rung < k || (t->rung == k && t->state == T_RUNNING))
            continue;
        done++;
        if (t->rung == k && t->state == T_IDLE &&
            (cand < 0 || better(t->loss[k], a->t[cand].loss[k])))
            cand = i;
    }
    if (cand < 0)
        return -1;
    int32_t ahead = 0; /* trials of rung k ranked before the candidate */
    for (int32_t i = 0; i < a->started; i++) {
        const trial *t = &a->t[i];
        if (t->rung >= k && !(t->rung == k && t->state == T_RUNNING) && better(t->loss[k], a->t[cand].loss[k]))
            ahead++;
    }
    return ahead < done / a->eta ? cand : -1;
}

int cb_asha_next(cb_asha *a, cb_asha_job *job)
{
    for (int32_t k = a->rungs - 2; k >= 0; k--) {
        int32_t i = promotable(a, k);
        if (i < 0)
            continue;
        a->t[i].state = T_RUNNING;
        a->t[i].rung = k + 1;
        *job = (cb_asha_job){i, k + 1, a->epochs[k + 1]};
        return CB_ASHA_JOB;
    }
    if (a->started < a->trials) {
        int32_t i = a->started++;
        a->t[i].state = T_RUNNING;
        a->t[i].rung = 0;
        *job = (cb_asha_job){i, 0, a->epochs[0]};
        return CB_ASHA_JOB;
    }
    for (int32_t i = 0; i < a->started; i++)
        if (a->t[i].state == T_RUNNING)
            return CB_ASHA_WAIT;
    return CB_ASHA_DONE;
}

void cb_asha_report(cb_asha *a, const cb_asha_job *job, double loss)
{
    if (job->trial < 0 || job->trial >= a->started || job->rung < 0 || job->rung >= a->rungs)
        return;
    trial *t = &a->t[job->trial];
    t->loss[job->rung] = loss;
    /* a trial at the last rung is finished; so is one whose loss is not a number */
    t->state = job->rung == a->rungs - 1 || isnan(loss) ? T_STOPPED : T_IDLE;
}

int32_t cb_asha_best(const cb_asha *a, int32_t *rung, double *loss)
{
    int32_t best = -1;
    for (int32_t i = 0; i < a->started; i++) {
        const trial *t = &a->t[i];
        int32_t r = t->state == T_RUNNING ? t->rung - 1 : t->rung; /* last reported */
        if (r < 0)
            continue;
        const trial *b = best >= 0 ? &a->t[best] : NULL;
        int32_t br = b ? (b->state == T_RUNNING ? b->rung - 1 : b->rung) : -1;
        if (!b || r > br || (r == br && better(t->loss[r], b->loss[br])))
            best = i;
    }
    if (best >= 0) {
        const trial *b = &a->t[best];
        int32_t r = b->state == T_RUNNING ? b->rung - 1 : b->rung;
        if (rung)
            *rung = r;
        if (loss)
            *loss = b->loss[r];
    }
    return best;
}
