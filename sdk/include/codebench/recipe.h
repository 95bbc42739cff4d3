/* codebench/recipe.h: training recipes for trainers (libcbsdk.a).
 *
 * Owns: the rules that turn a trainer's parameters and a job's cb_recipe into the recipe one
 * train() uses (overlay and checks, shared by every trainer so they read a recipe alike), the
 * seeds' recipe search space with seeded sampling, and an Asynchronous Successive Halving
 * scheduler (ASHA, Li et al. 2020) that decides which sampled recipe trains how far.
 *
 * ASHA: rung k trains a trial to min_epochs * eta^k epochs (the last rung is max_epochs). A
 * trial finished at rung k is promoted to rung k + 1 when it is among the best 1/eta of the
 * trials that finished rung k so far, and not promoted yet; otherwise a new trial starts at
 * rung 0. Decisions never wait for a rung to fill, so several workers can train at once; one
 * worker calling next/report in turn is the serial case.
 *
 * Threading: a cb_asha is used by one thread at a time.
 */
#ifndef CODEBENCH_RECIPE_H
#define CODEBENCH_RECIPE_H

#include "rng.h"
#include "trainer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- one recipe ------------------------------------------------------------------------- */

/* Replaces members of r by those of job that job sets: a zero lr, beta1, beta2, gamma,
 * step_epochs, epochs or batch means "not given" and keeps r's; optimizer, momentum,
 * weight_decay, schedule and seed are taken as they are. Members beyond job->size (an older
 * caller) are left alone. job may be NULL. */
void cb_recipe_overlay(cb_recipe *r, const cb_recipe *job);

/* CB_OK, or CB_EINVAL naming the offending member in e->param ("optimizer", "lr", ...). */
int cb_recipe_check(const cb_recipe *r, cb_error *e);

/* "adamw lr 0.001 betas 0.9/0.999 wd 0.0001 cosine" and the like, for logs. */
const char *cb_recipe_str(const cb_recipe *r, char *buf, size_t len);

extern const char *const cb_optimizer_names[]; /* by CB_OPT_*, NULL-terminated */
extern const char *const cb_schedule_names[];  /* by CB_SCHED_*, NULL-terminated */

/* ---- the search space ------------------------------------------------------------------- */

typedef struct cb_recipe_space {
    uint32_t optimizers;           /* bit (1u << CB_OPT_*) per allowed optimizer */
    double lr_min, lr_max;         /* log-uniform */
    double beta1_min, beta1_max;   /* uniform */
    double beta2_min, beta2_max;   /* uniform */
    double wd_min, wd_max;         /* log-uniform; both 0: keep the base recipe's */
    uint32_t schedules;            /* bit (1u << CB_SCHED_*) per allowed schedule */
    double gamma_min, gamma_max;   /* uniform, for the exponential schedule */
} cb_recipe_space;

/* The seeds' space (CNNBench's ray-tune autotune): Adam or AdamW, lr log-uniform in
 * [1e-5, 1e-2], beta1 U[0.8, 0.95], beta2 U[0.9, 0.999], weight decay log-uniform in
 * [1e-5, 1e-3], cosine or exponential schedule with gamma U[0.8, 0.99]. (The seeds also offer
 * cosine annealing with warm restarts, which the engine does not implement.) */
void cb_recipe_space_seeds(cb_recipe_space *s);

/* CB_OK, or CB_EINVAL when a range is empty or outside what cb_recipe_check accepts. */
int cb_recipe_space_check(const cb_recipe_space *s, cb_error *e);

/* out = base with the searched members drawn from s by rng (always in the same order, so a
 * seed gives the same recipes). Epochs, batch, momentum, step_epochs and seed stay base's. */
void cb_recipe_sample(const cb_recipe_space *s, const cb_recipe *base, cb_rng *rng,
                      cb_recipe *out);

/* ---- Asynchronous Successive Halving ---------------------------------------------------- */

typedef struct cb_asha cb_asha;

typedef struct cb_asha_job {
    int32_t trial;  /* 0 .. trials-1, in the order trials are started */
    int32_t rung;   /* report at this rung */
    int32_t epochs; /* train the trial until it has this many epochs in all */
} cb_asha_job;

enum { CB_ASHA_DONE = -1, CB_ASHA_WAIT = 0, CB_ASHA_JOB = 1 };

/* trials >= 1, 1 <= min_epochs <= max_epochs, eta >= 2. */
int cb_asha_new(int32_t trials, int32_t min_epochs, int32_t max_epochs, int32_t eta,
                cb_asha **out, cb_error *e);
void cb_asha_free(cb_asha *a); /* NULL-safe */

int32_t cb_asha_rungs(const cb_asha *a);
int32_t cb_asha_rung_epochs(const cb_asha *a, int32_t rung);

/* CB_ASHA_JOB (job filled), CB_ASHA_WAIT (every remaining decision waits on a running job),
 * or CB_ASHA_DONE (all trials started, none running, none promotable). */
int cb_asha_next(cb_asha *a, cb_asha_job *job);

/* The result of a job from cb_asha_next: `loss` is lower-better (a validation loss); NaN
 * counts as the worst. */
void cb_asha_report(cb_asha *a, const cb_asha_job *job, double loss);

/* The best trial: the one that reached the highest rung with the lowest loss there (the seeds
 * pick the best trial by its last validation loss); -1 before any report. rung and loss may be
 * NULL. */
int32_t cb_asha_best(const cb_asha *a, int32_t *rung, double *loss);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_RECIPE_H */
