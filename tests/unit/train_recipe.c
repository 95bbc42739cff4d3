/* tests/unit/train_recipe.c: the SDK's recipe rules and search (codebench/recipe.h): the
 * overlay and checks every trainer shares, sampling from the seeds' space (ranges, log-uniform
 * spread, seeded), the ASHA scheduler's rungs and promotions worked out by hand, and ASHA over
 * sampled recipes training the fixture net on the engine, against training every recipe fully. */
#include "train_fixture.h"

#include <codebench/recipe.h>
#include <codebench/sdk.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* member by member: memcmp would read the struct's padding, which nothing sets */
static bool same_recipe(const cb_recipe *a, const cb_recipe *b)
{
    return a->size == b->size && a->optimizer == b->optimizer && a->lr == b->lr &&
           a->momentum == b->momentum && a->beta1 == b->beta1 && a->beta2 == b->beta2 &&
           a->weight_decay == b->weight_decay && a->schedule == b->schedule && a->gamma == b->gamma &&
           a->step_epochs == b->step_epochs && a->epochs == b->epochs && a->batch == b->batch &&
           a->seed == b->seed;
}

static cb_recipe base_recipe(void)
{
    return (cb_recipe){sizeof(cb_recipe), CB_OPT_SGD, 0.1, 0.9, 0.9, 0.999, 1e-4,
                       CB_SCHED_CONSTANT, 0.9, 30, 8, 32, 7};
}

Test(train_recipe, overlay_keeps_unset_members)
{
    cb_recipe r = base_recipe(), j;
    memset(&j, 0, sizeof j);
    j.size = sizeof j;
    j.optimizer = CB_OPT_ADAMW;
    j.lr = 0.003;
    cb_recipe_overlay(&r, &j);
    cr_assert(eq(int, r.optimizer, CB_OPT_ADAMW));
    cr_assert(eq(dbl, r.lr, 0.003));
    cr_assert(eq(dbl, r.beta1, 0.9));    /* zero: keep */
    cr_assert(eq(int, r.epochs, 8));
    cr_assert(eq(dbl, r.weight_decay, 0)); /* taken as it is */
    /* an older caller's struct stops before lr: nothing past its size is read */
    cb_recipe old = base_recipe(), k = j;
    k.size = (uint32_t)offsetof(cb_recipe, lr);
    cb_recipe_overlay(&old, &k);
    cr_assert(eq(int, old.optimizer, CB_OPT_ADAMW));
    cr_assert(eq(dbl, old.lr, 0.1));
    cb_recipe_overlay(&old, NULL);
    cr_assert(eq(dbl, old.lr, 0.1));
}

Test(train_recipe, checks_name_the_member)
{
    cb_error e = {0};
    cb_recipe r = base_recipe();
    cr_assert(eq(int, cb_recipe_check(&r, &e), CB_OK));
    r.lr = 20;
    cr_assert(eq(int, cb_recipe_check(&r, &e), CB_EINVAL));
    cr_assert(eq(str, e.param, "lr"));
    r = base_recipe();
    r.optimizer = 7;
    cr_assert(eq(int, cb_recipe_check(&r, &e), CB_EINVAL));
    cr_assert(eq(str, e.param, "optimizer"));
    r = base_recipe();
    r.beta2 = 1.0;
    cr_assert(eq(int, cb_recipe_check(&r, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "betas"), NULL), "%s", e.msg);
    r = base_recipe();
    r.batch = 0;
    cr_assert(eq(int, cb_recipe_check(&r, &e), CB_EINVAL));
    cr_assert(eq(str, e.param, "batch"));
    char buf[160];
    r = base_recipe();
    r.optimizer = CB_OPT_ADAM;
    r.schedule = CB_SCHED_EXPONENTIAL;
    cr_assert(eq(str, (char *)cb_recipe_str(&r, buf, sizeof buf),
                 "adam lr 0.1 betas 0.9/0.999 wd 0.0001 exponential gamma 0.9"));
}

Test(train_recipe, samples_stay_in_the_seeds_space)
{
    cb_recipe_space s;
    cb_recipe_space_seeds(&s);
    cb_error e = {0};
    cr_assert(eq(int, cb_recipe_space_check(&s, &e), CB_OK), "%s", e.msg);
    cb_recipe base = base_recipe(), r;
    cb_rng rng;
    cb_rng_seed(&rng, 11);
    enum { N = 4000 };
    int below_mid = 0, opt[3] = {0}, sched[4] = {0}, wd_below = 0;
    for (int i = 0; i < N; i++) {
        cb_recipe_sample(&s, &base, &rng, &r);
        cr_assert(eq(int, cb_recipe_check(&r, &e), CB_OK), "%s", e.msg);
        cr_assert(r.lr >= 1e-5 && r.lr <= 1e-2, "lr %g", r.lr);
        cr_assert(r.beta1 >= 0.8 && r.beta1 <= 0.95 && r.beta2 >= 0.9 && r.beta2 <= 0.999);
        cr_assert(r.weight_decay >= 1e-5 && r.weight_decay <= 1e-3);
        cr_assert(eq(int, r.epochs, 8));
        cr_assert(eq(int, r.batch, 32));
        cr_assert(eq(i64, (int64_t)r.seed, 7));
        opt[r.optimizer]++;
        sched[r.schedule]++;
        if (r.schedule == CB_SCHED_EXPONENTIAL)
            cr_assert(r.gamma >= 0.8 && r.gamma <= 0.99);
        else
            cr_assert(eq(dbl, r.gamma, 0.9)); /* base's, untouched */
        below_mid += r.lr < 10 * 1e-5 * sqrt(10.0);  /* geometric middle of [1e-5, 1e-2] */
        wd_below += r.weight_decay < 1e-4;           /* geometric middle of [1e-5, 1e-3] */
    }
    /* log-uniform: half the draws on each side of the geometric middle (a uniform draw would
     * put 3% of them below) */
    cr_assert(gt(int, below_mid, N * 45 / 100), "%d of %d", below_mid, N);
    cr_assert(lt(int, below_mid, N * 55 / 100), "%d of %d", below_mid, N);
    cr_assert(gt(int, wd_below, N * 45 / 100));
    cr_assert(lt(int, wd_below, N * 55 / 100));
    cr_assert(eq(int, opt[CB_OPT_SGD], 0));
    cr_assert(gt(int, opt[CB_OPT_ADAM], N / 3));
    cr_assert(gt(int, opt[CB_OPT_ADAMW], N / 3));
    cr_assert(gt(int, sched[CB_SCHED_COSINE], N / 3));
    cr_assert(gt(int, sched[CB_SCHED_EXPONENTIAL], N / 3));
    cr_assert(eq(int, sched[CB_SCHED_CONSTANT] + sched[CB_SCHED_STEP], 0));
    /* the same seed, the same recipes */
    cb_rng a, b;
    cb_rng_seed(&a, 5);
    cb_rng_seed(&b, 5);
    cb_recipe ra, rb;
    for (int i = 0; i < 10; i++) {
        cb_recipe_sample(&s, &base, &a, &ra);
        cb_recipe_sample(&s, &base, &b, &rb);
        cr_assert(same_recipe(&ra, &rb), "recipe %d differs", i);
    }
    s.lr_min = 0;
    cr_assert(eq(int, cb_recipe_space_check(&s, &e), CB_EINVAL));
    cr_assert(eq(str, e.param, "lr"));
}

Test(train_recipe, asha_rungs)
{
    cb_asha *a = NULL;
    cb_error e = {0};
    cr_assert(eq(int, cb_asha_new(4, 1, 8, 2, &a, &e), CB_OK));
    cr_assert(eq(int, cb_asha_rungs(a), 4));
    int want[] = {1, 2, 4, 8};
    for (int k = 0; k < 4; k++)
        cr_assert(eq(int, cb_asha_rung_epochs(a, k), want[k]));
    cb_asha_free(a);
    cr_assert(eq(int, cb_asha_new(4, 1, 5, 2, &a, &e), CB_OK)); /* the last rung is the budget */
    cr_assert(eq(int, cb_asha_rungs(a), 4));
    cr_assert(eq(int, cb_asha_rung_epochs(a, 3), 5));
    cb_asha_free(a);
    cr_assert(eq(int, cb_asha_new(4, 10, 200, 3, &a, &e), CB_OK)); /* 10 30 90 200 */
    cr_assert(eq(int, cb_asha_rungs(a), 4));
    cr_assert(eq(int, cb_asha_rung_epochs(a, 2), 90));
    cb_asha_free(a);
    cr_assert(eq(int, cb_asha_new(3, 4, 4, 2, &a, &e), CB_OK)); /* one rung: random search */
    cr_assert(eq(int, cb_asha_rungs(a), 1));
    cb_asha_free(a);
    cr_assert(eq(int, cb_asha_new(3, 5, 4, 2, &a, &e), CB_EINVAL));
    cr_assert(eq(int, cb_asha_new(3, 1, 4, 1, &a, &e), CB_EINVAL));
    cr_assert(eq(ptr, a, NULL));
}

/* Serial ASHA with trial i's loss 10 - i at every rung (later trials are better), worked out by
 * hand for 4 trials, eta 2, rungs 1/2/4 epochs. */
Test(train_recipe, asha_promotes_the_top_of_each_rung)
{
    cb_asha *a = NULL;
    cb_error e = {0};
    cr_assert(eq(int, cb_asha_new(4, 1, 4, 2, &a, &e), CB_OK));
    /* Each line: what rung 0 / rung 1 hold when the next decision is taken, and the decision.
     *  -                  start t0        | t0          start t1
     *  t0 t1 (1 place)    promote t1      | t0 t1       t1 ahead of t0: start t2
     *  t0 t1 t2 (1 place) promote t2 (8)  | t1 t2 (1)   promote t2 to rung 2
     *  rung 1's place is t2's, rung 0's too: start t3
     *  t0..t3 (2 places)  promote t3      | t1 t2 t3 (1 place): t3 is the best, promote it */
    static const int expect[][3] = {{0, 0, 1}, {1, 0, 1}, {1, 1, 2}, {2, 0, 1}, {2, 1, 2},
                                    {2, 2, 4}, {3, 0, 1}, {3, 1, 2}, {3, 2, 4}};
    cb_asha_job j;
    int n = 0;
    while (cb_asha_next(a, &j) == CB_ASHA_JOB) {
        cr_assert(lt(int, n, 9), "more jobs than expected: trial %d rung %d", j.trial, j.rung);
        cr_assert(eq(int, j.trial, expect[n][0]), "job %d", n);
        cr_assert(eq(int, j.rung, expect[n][1]), "job %d", n);
        cr_assert(eq(int, j.epochs, expect[n][2]), "job %d", n);
        cb_asha_report(a, &j, 10.0 - j.trial);
        n++;
    }
    cr_assert(eq(int, n, 9));
    int32_t rung = -1;
    double loss = 0;
    cr_assert(eq(int, cb_asha_best(a, &rung, &loss), 3));
    cr_assert(eq(int, rung, 2));
    cr_assert(eq(dbl, loss, 7.0));
    cr_assert(eq(int, cb_asha_next(a, &j), CB_ASHA_DONE));
    cb_asha_free(a);
}

/* Several workers: jobs are handed out without waiting for results; a NaN loss is never
 * promoted; once every trial is started, the scheduler waits for the running ones. */
Test(train_recipe, asha_is_asynchronous)
{
    cb_asha *a = NULL;
    cb_error e = {0};
    cr_assert(eq(int, cb_asha_new(3, 1, 2, 2, &a, &e), CB_OK));
    cb_asha_job j0, j1, j2, j3;
    cr_assert(eq(int, cb_asha_best(a, NULL, NULL), -1));
    cr_assert(eq(int, cb_asha_next(a, &j0), CB_ASHA_JOB));
    cr_assert(eq(int, cb_asha_next(a, &j1), CB_ASHA_JOB));
    cr_assert(eq(int, cb_asha_next(a, &j2), CB_ASHA_JOB));
    cr_assert(eq(int, j0.trial + j1.trial + j2.trial, 0 + 1 + 2));
    cr_assert(eq(int, cb_asha_next(a, &j3), CB_ASHA_WAIT));
    cb_asha_report(a, &j1, NAN);
    cb_asha_report(a, &j2, 3.0);
    /* rung 0 has 2 reports: one place, t2 (3.0) takes it over t1 (NaN) */
    cr_assert(eq(int, cb_asha_next(a, &j3), CB_ASHA_JOB));
    cr_assert(eq(int, j3.trial, 2));
    cr_assert(eq(int, j3.rung, 1));
    /* t0 reports best: rung 0 now has 3 reports, its one place is t0's, and t0 has not moved
     * up yet (t2 keeps its promotion: decisions are never taken back) */
    cb_asha_report(a, &j0, 1.0);
    cb_asha_job j4;
    cr_assert(eq(int, cb_asha_next(a, &j4), CB_ASHA_JOB));
    cr_assert(eq(int, j4.trial, 0));
    cr_assert(eq(int, j4.rung, 1));
    cr_assert(eq(int, cb_asha_next(a, &j0), CB_ASHA_WAIT));
    cb_asha_report(a, &j3, 2.5);
    cr_assert(eq(int, cb_asha_best(a, NULL, NULL), 2)); /* the highest rung wins */
    cb_asha_report(a, &j4, 0.5);
    cr_assert(eq(int, cb_asha_next(a, &j0), CB_ASHA_DONE));
    cr_assert(eq(int, cb_asha_best(a, NULL, NULL), 0));
    cb_asha_free(a);
}

/* ---- ASHA over sampled recipes on the engine ---- */

enum { TRAIN_N = 512, VAL_N = 128, FEAT = 16, BATCH = 16, TRIALS = 8, MAX_EPOCHS = 8 };

typedef struct task {
    float xt[TRAIN_N * FEAT], xv[VAL_N * FEAT];
    int32_t yt[TRAIN_N], yv[VAL_N];
} task;

/* Labels are the argmax of a fixed random linear map of the inputs: learnable by the fixture
 * net (16 -> 8 -> 8 -> 3), not by chance. */
static void make_task(task *t)
{
    float w[3 * FEAT];
    tf_fill(w, 3 * FEAT, 99);
    tf_fill(t->xt, TRAIN_N * FEAT, 1);
    tf_fill(t->xv, VAL_N * FEAT, 2);
    for (int s = 0; s < 2; s++) {
        int n = s ? VAL_N : TRAIN_N;
        const float *x = s ? t->xv : t->xt;
        int32_t *y = s ? t->yv : t->yt;
        for (int i = 0; i < n; i++) {
            double best = -1e30;
            for (int c = 0; c < 3; c++) {
                double z = 0;
                for (int k = 0; k < FEAT; k++)
                    z += (double)w[c * FEAT + k] * x[i * FEAT + k];
                if (z > best)
                    best = z, y[i] = c;
            }
        }
    }
}

typedef struct trial {
    cb_engine *en;
    cb_engine_optim *opt;
    cb_recipe r;
    int32_t done; /* epochs trained */
} trial;

static double val_loss(trial *t, const task *d)
{
    cb_engine_stats st;
    cb_error e = {0};
    cr_assert(eq(int, cb_engine_eval(t->en, d->xv, d->yv, VAL_N, NULL, &st, &e), CB_OK));
    return st.loss / VAL_N;
}

static void train_to(trial *t, const task *d, int32_t epochs)
{
    cb_error e = {0};
    int steps = TRAIN_N / BATCH;
    for (; t->done < epochs; t->done++)
        for (int s = 0; s < steps; s++) {
            cb_engine_stats st;
            cr_assert(eq(int, cb_engine_step(t->en, d->xt + s * BATCH * FEAT, d->yt + s * BATCH, BATCH,
                                             (uint64_t)s, &st, &e), CB_OK));
            cb_engine_optim_step(t->opt, cb_engine_lr(&t->r, t->done + (double)s / steps));
        }
}

static void open_trial(trial *t, const tf_graph *g, const cb_recipe *r)
{
    cb_error e = {0};
    cb_engine_opts o = {VAL_N, 1}; /* the largest batch: evaluation's */
    t->r = *r;
    t->done = 0;
    cr_assert(eq(int, cb_engine_new(&g->g, tf_host(1), &o, &t->en, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(int, cb_engine_init(t->en, 21, NULL, NULL, &e), CB_OK));
    cr_assert(eq(int, cb_engine_optim_new(t->en, r, 0, &t->opt, &e), CB_OK));
}

static void close_trial(trial *t)
{
    cb_engine_optim_free(t->opt);
    cb_engine_free(t->en);
}

Test(train_recipe, asha_on_the_engine_finds_a_good_recipe)
{
    static task d;
    make_task(&d);
    tf_graph g;
    tf_small_net(&g);
    cb_recipe_space space;
    cb_recipe_space_seeds(&space);
    cb_recipe base = base_recipe(), recipes[TRIALS];
    base.epochs = MAX_EPOCHS;
    cb_rng rng;
    cb_rng_seed(&rng, 2024);
    for (int i = 0; i < TRIALS; i++)
        cb_recipe_sample(&space, &base, &rng, &recipes[i]);

    /* ASHA, one worker, trials kept in memory between rungs */
    trial t[TRIALS];
    for (int i = 0; i < TRIALS; i++)
        open_trial(&t[i], &g, &recipes[i]);
    double start = val_loss(&t[0], &d);
    cb_asha *a = NULL;
    cb_error e = {0};
    cr_assert(eq(int, cb_asha_new(TRIALS, 1, MAX_EPOCHS, 2, &a, &e), CB_OK));
    cb_asha_job j;
    int per_rung[4] = {0}, spent = 0;
    while (cb_asha_next(a, &j) == CB_ASHA_JOB) {
        spent += j.epochs - t[j.trial].done;
        train_to(&t[j.trial], &d, j.epochs);
        cb_asha_report(a, &j, val_loss(&t[j.trial], &d));
        per_rung[j.rung]++;
    }
    int32_t rung = -1;
    double asha_loss = 0;
    int32_t win = cb_asha_best(a, &rung, &asha_loss);
    cr_assert(eq(int, per_rung[0], TRIALS));
    for (int k = 1; k < 4; k++) /* at most 1/eta of a rung moves up */
        cr_assert(le(int, per_rung[k], per_rung[k - 1] / 2), "rung %d: %d jobs", k, per_rung[k]);
    cr_assert(eq(int, rung, 3), "the winner finished the whole budget");
    cr_assert(lt(int, spent, TRIALS * MAX_EPOCHS / 2), "%d epochs spent", spent);
    cr_assert(lt(dbl, asha_loss, 0.6 * start), "validation loss %g from %g", asha_loss, start);

    /* every recipe trained fully: ASHA's pick ranks in the better half */
    double full[TRIALS];
    int better = 0;
    for (int i = 0; i < TRIALS; i++) {
        train_to(&t[i], &d, MAX_EPOCHS);
        full[i] = val_loss(&t[i], &d);
    }
    for (int i = 0; i < TRIALS; i++)
        better += full[i] < full[win];
    cr_assert(lt(int, better, TRIALS / 2), "%d recipes beat ASHA's pick (loss %g)", better, full[win]);
    cr_assert(eq(dbl, full[win], asha_loss));
    for (int i = 0; i < TRIALS; i++)
        close_trial(&t[i]);
    cb_asha_free(a);
}
