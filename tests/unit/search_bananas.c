/* tests/unit/search_bananas.c: the bananas plugin (plugins/search/bananas.so): resume equality
 * with a round pending, good pairs found on the synthetic space with each CNN encoding (path
 * features, one-hot decisions, embeddings with neighbour mutations), an area-like constraint
 * never broken, distinct pending proposals, and per_round > candidates refused by create(). */
#include "host/host.h"
#include "search_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int (*bn_create_fn)(const cb_host *, cb_error *, void **, int64_t n_init, int64_t per_round,
                            int64_t ensemble, int64_t layers, int64_t width, int64_t epochs, double lr,
                            int64_t candidates, int64_t parents, int acquisition);

typedef struct opts {
    int64_t per_round, candidates;
    int acq;
} opts;

static int create(su_inst *in, const opts *o, cb_error *e)
{
    memset(in, 0, sizeof *in);
    in->pl = su_plugin("bananas", "bananas");
    in->h = cb_host_new("bananas");
    return ((bn_create_fn)in->pl->create)(in->h, e, &in->self, 8, o->per_round, 3, 3, 20, 30, 0.01,
                                          o->candidates, 5, o->acq);
}

static void make(su_inst *in, su_space *s, void *ctx)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc = create(in, ctx, &e);
    su_started(in, rc, &e, &s->sp);
}

Test(search_bananas, resumes_identically_with_a_round_pending)
{
    su_space s;
    su_space_make(&s, 400, 2, 1, 31);
    opts o = {5, 60, 0};
    su_check_resume(make, &o, &s, 11, 12, 3); /* saved mid-round */
    su_space_free(&s);
}

static double best_rank(su_space *s, const opts *o, int n)
{
    su_inst in;
    make(&in, s, (void *)o);
    cb_pair *log = calloc((size_t)n, sizeof *log);
    cr_assert(su_run(&in, s, n, 4, log) == n);
    double best = 0;
    for (int i = 0; i < n; i++)
        best = fmax(best, su_objective(s, &log[i]));
    free(log);
    su_drop(&in);
    return su_rank(s, best);
}

Test(search_bananas, finds_good_pairs_with_each_cnn_encoding)
{
    for (int enc = 0; enc < 3; enc++) { /* path features, decisions, embeddings */
        su_space s;
        su_space_make(&s, 500, 2, enc == 0, 32);
        if (enc == 2)
            s.sp.n_dec = 0;
        opts o = {8, 80, enc == 1};
        double rank = best_rank(&s, &o, 40);
        cr_assert(rank > 0.95, "encoding %d: the best of 40 ranks at %.3f", enc, rank);
        su_space_free(&s);
    }
}

Test(search_bananas, constraint_kept_and_pending_distinct)
{
    su_space s;
    su_space_make(&s, 300, 3, 0, 33);
    s.max_area = 16;
    opts o = {6, 50, 0};
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[48], burst[16];
    cr_assert(su_run(&in, &s, 24, 6, log) == 24);
    /* 16 pending at once, across a round boundary: all distinct and new */
    cr_assert(su_ask(&in, &s, 16, burst) == 16);
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < i; j++)
            cr_assert(burst[i].cnn != burst[j].cnn || memcmp(burst[i].accel, burst[j].accel, sizeof burst[i].accel));
        for (int j = 0; j < 24; j++)
            cr_assert(burst[i].cnn != log[j].cnn || memcmp(burst[i].accel, log[j].accel, sizeof burst[i].accel));
    }
    su_drop(&in);
    su_space_free(&s);
}

Test(search_bananas, per_round_above_candidates_is_refused)
{
    opts o = {20, 10, 0};
    su_inst in;
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(create(&in, &o, &e) == CB_EINVAL);
    cr_assert(strcmp(e.param, "per_round") == 0, "%s", e.msg);
    cb_host_free(in.h);
}

/* Several busy workers: one pair per ask() with up to 5 pending, across round boundaries. */
Test(search_bananas, several_busy_workers_get_distinct_pairs)
{
    su_space s;
    su_space_make(&s, 200, 2, 1, 34);
    opts o = {4, 30, 0};
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[30];
    cr_assert(su_run_async(&in, &s, 30, 5, log) == 30); /* asserts no repeats */
    su_drop(&in);
    su_space_free(&s);
}
