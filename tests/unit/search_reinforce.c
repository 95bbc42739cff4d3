/* tests/unit/search_reinforce.c: the reinforce plugin (plugins/search/reinforce.so): resume
 * equality under each strategy, the phase strategy holding one side fixed per phase, separate
 * ending after its two parts, the policy learning (later rewards beat early ones), spaces with
 * and without per-candidate decisions, an area-like constraint never broken, no repeats. */
#include "host/host.h"
#include "search_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int (*rl_create_fn)(const cb_host *, cb_error *, void **, int strategy, int64_t hidden, double lr,
                            double baseline_decay, double punishment, int64_t phase_cnn_steps,
                            int64_t phase_hw_steps, int64_t sep_cnn_steps, int64_t sep_hw_steps,
                            int64_t max_resample);

typedef struct opts {
    int strategy;
    int64_t cnn_steps, hw_steps; /* phase or separate */
} opts;

static void make(su_inst *in, su_space *s, void *ctx)
{
    const opts *o = ctx;
    memset(in, 0, sizeof *in);
    in->pl = su_plugin("reinforce", "reinforce");
    in->h = cb_host_new("reinforce");
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc = ((rl_create_fn)in->pl->create)(in->h, &e, &in->self, o->strategy, 16, 0.02, 0.9, 1,
                                            o->cnn_steps, o->hw_steps, o->cnn_steps, o->hw_steps, 50);
    su_started(in, rc, &e, &s->sp);
}

Test(search_reinforce, resumes_identically_under_each_strategy)
{
    su_space s;
    su_space_make(&s, 300, 3, 0, 21);
    for (int st = 0; st < 3; st++) {
        opts o = {st, 7, 4};
        su_check_resume(make, &o, &s, 9, 12, 3); /* crosses phase boundaries */
    }
    su_space_free(&s);
}

static int same_accel(const cb_pair *a, const cb_pair *b)
{
    return !memcmp(a->accel, b->accel, sizeof a->accel);
}

Test(search_reinforce, phase_holds_one_side_per_phase)
{
    su_space s;
    su_space_make(&s, 300, 3, 0, 22);
    opts o = {1, 6, 4};
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[30];
    cr_assert(su_run(&in, &s, 30, 1, log) == 30);
    for (int c = 0; c < 3; c++) {
        const cb_pair *p = log + c * 10;
        for (int i = 1; i < 6; i++)
            cr_assert(same_accel(&p[0], &p[i]), "cycle %d: the CNN phase moved the accelerator at %d", c, i);
        for (int i = 7; i < 10; i++)
            cr_assert(p[6].cnn == p[i].cnn, "cycle %d: the accelerator phase moved the CNN at %d", c, i);
    }
    /* the accelerator phase holds the best CNN of those told before it */
    double best = -1;
    int64_t best_cnn = -1;
    for (int i = 0; i < 6; i++)
        if (su_objective(&s, &log[i]) > best)
            best = su_objective(&s, &log[i]), best_cnn = log[i].cnn;
    cr_assert(log[6].cnn == best_cnn);
    su_drop(&in);
    su_space_free(&s);
}

Test(search_reinforce, separate_ends_after_both_parts)
{
    su_space s;
    su_space_make(&s, 300, 3, 0, 23);
    opts o = {2, 8, 5};
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[40];
    cr_assert(su_run(&in, &s, 40, 3, log) == 13, "8 CNN steps and 5 accelerator steps, then the end");
    for (int i = 1; i < 8; i++)
        cr_assert(same_accel(&log[0], &log[i]), "the CNN part keeps the accelerator");
    for (int i = 9; i < 13; i++)
        cr_assert(log[8].cnn == log[i].cnn, "the accelerator part keeps the CNN");
    su_drop(&in);
    su_space_free(&s);
}

/* a reward additive over the decisions, so that a policy over them can represent it */
static double additive(const su_space *s, const double w[4][6], int64_t cnn)
{
    double y = 0;
    for (int d = 0; d < 4; d++)
        y += w[d][s->dec[cnn * 4 + d]];
    return y;
}

Test(search_reinforce, the_policy_learns)
{
    /* the proposals' mean reward beats the space's mean (what a random search gets) by a wide
     * margin, although proposals never repeat, so the best pairs get used up as it goes */
    su_space s;
    su_space_make(&s, 1296, 0, 0, 24); /* every decision vector is a candidate */
    cb_rng r;
    cb_rng_seed(&r, 3);
    double w[4][6], space = 0, best = 0, got = 0;
    for (int d = 0; d < 4; d++) {
        double top = 0;
        for (int v = 0; v < 6; v++) {
            w[d][v] = 0.25 * cb_rng_unit(&r);
            space += w[d][v] / 6;
            top = fmax(top, w[d][v]);
        }
        best += top;
    }
    opts o = {0, 1, 1};
    su_inst in;
    make(&in, &s, &o);
    for (int i = 0; i < 300; i++) {
        cb_pair p;
        cr_assert(su_ask(&in, &s, 1, &p) == 1);
        cb_metrics m = {.size = sizeof m, .status = CB_EVAL_OK, .performance = additive(&s, w, p.cnn)};
        cb_error e;
        cr_assert(in.vt->tell(in.self, &p, &m, &e) == CB_OK);
        if (i >= 100)
            got += m.performance / 200;
    }
    cr_assert(got > space + 0.25 * (best - space), "mean reward %.4f, the space's mean %.4f, its best %.4f", got, space, best);
    su_drop(&in);
    su_space_free(&s);
}

Test(search_reinforce, without_decisions_the_index_is_the_choice)
{
    su_space s;
    su_space_make(&s, 40, 2, 0, 25);
    s.sp.n_dec = 0; /* as a space of model cards has */
    s.sp.size = offsetof(cb_space, n_dec); /* and as a core built before the member existed */
    opts o = {0, 1, 1};
    su_check_resume(make, &o, &s, 10, 10, 2);
    su_space_free(&s);
}

Test(search_reinforce, an_area_constraint_is_never_broken_and_nothing_repeats)
{
    su_space s;
    su_space_make(&s, 20, 3, 0, 26);
    s.max_area = 12;
    opts o = {0, 1, 1};
    su_inst in;
    make(&in, &s, &o);
    cb_pair *log = calloc(400, sizeof *log);
    int n = su_run(&in, &s, 150, 4, log); /* asserts validity and no repeats */
    cr_assert(n == 150);
    su_drop(&in);
    /* a tiny space is used up, then ask() says so */
    su_space t;
    su_space_make(&t, 3, 1, 0, 27);
    make(&in, &t, &o);
    cr_assert(su_run(&in, &t, 40, 5, log) == 12, "3 CNNs x 4 values");
    cb_pair p;
    cr_assert(su_ask(&in, &t, 1, &p) == 0);
    su_drop(&in);
    free(log);
    su_space_free(&t);
    su_space_free(&s);
}

/* Several busy workers: one pair per ask() with up to 5 pending, under each strategy (the
 * policy is updated only as results arrive, so asks in between sample the same policy). */
Test(search_reinforce, several_busy_workers_get_distinct_pairs)
{
    su_space s;
    su_space_make(&s, 30, 2, 0, 28);
    for (int strategy = 0; strategy < 3; strategy++) {
        opts o = {strategy, 10, 10};
        su_inst in;
        make(&in, &s, &o);
        cb_pair log[40];
        int want = strategy == 2 ? 20 : 40; /* separate ends after its 10 + 10 steps */
        cr_assert(su_run_async(&in, &s, 40, 5, log) == want); /* asserts no repeats */
        su_drop(&in);
    }
    su_space_free(&s);
}
