/* tests/unit/search_levels.c: the CNN hierarchy in the bosh plugins (plugins/search/bosh.so)
 * and the search kit: with cb_space.cnn_level set, proposals come from the coarsest level until
 * the search converges there (or uses the level up), then from each finer level in turn; each
 * pair carries its level; a search saved at one level resumes at it; the kit's restricted
 * grid (draws, enumeration, snaps) never leaves the level; and where the space grows its levels
 * (cb_space.grow), boshcode grows the next one from the best CNNs of the level it leaves (a fake
 * host records the call), fails clearly when growing fails, and resumes across a growth. */
#include "host/host.h"
#include "search_util.h"

#include <codebench/searchkit.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*code_create_fn)(const cb_host *, cb_error *, void **, int64_t n_init, double k1, double k2,
                              double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                              double gobi_lr, double tol, int64_t patience, int64_t epochs,
                              int64_t mc_samples, int64_t pool, int first_order_only,
                              int no_heteroscedastic, int mode, int64_t aleatoric_queries,
                              int64_t grow_parents);

typedef struct opts {
    double alpha_p, beta_p;
    int64_t patience, aleatoric;
    int64_t grow_parents; /* 0: the plugin's default, 10 */
} opts;

static void make(su_inst *in, su_space *s, void *ctx)
{
    const opts *o = ctx;
    memset(in, 0, sizeof *in);
    in->pl = su_plugin("bosh", "boshcode");
    in->h = cb_host_new("boshcode");
    cb_error e;
    memset(&e, 0, sizeof e);
    int rc = ((code_create_fn)in->pl->create)(in->h, &e, &in->self, 6, 0.5, 0.5, o->alpha_p, o->beta_p, 2, 30,
                                              0.1, 1e-4, o->patience, 15, 5, 800, 0, 0, 0, o->aleatoric,
                                              o->grow_parents ? o->grow_parents : 10);
    su_started(in, rc, &e, &s->sp);
}

/* levels[i] = i % 3: level 2 (the coarsest) holds CNNs 0, 3, 6, ... */
static int32_t *three_levels(su_space *s)
{
    int32_t *lv = malloc((size_t)s->sp.n_cnn * sizeof *lv);
    for (int64_t i = 0; i < s->sp.n_cnn; i++)
        lv[i] = (int32_t)(i % 3);
    s->sp.cnn_level = lv;
    return lv;
}

static void flat_tell(su_inst *in, const cb_pair *p)
{
    cb_metrics m = {.size = sizeof m, .status = CB_EVAL_OK, .performance = 0.5};
    cb_error e;
    cr_assert(in->vt->tell(in->self, p, &m, &e) == CB_OK);
}

Test(search_levels, converging_at_each_level_moves_to_the_next_finer)
{
    su_space s;
    su_space_make(&s, 120, 2, 0, 41);
    int32_t *lv = three_levels(&s);
    opts o = {0, 0, 5, 4, 0}; /* every step after the start is GOBI's */
    su_inst in;
    make(&in, &s, &o);
    int total = 0, at[3] = {0};
    cb_pair p;
    while (su_ask(&in, &s, 1, &p) == 1) {
        cr_assert(p.level == lv[p.cnn], "pair %d: level %d, its CNN's is %d", total, p.level, lv[p.cnn]);
        at[p.level]++;
        flat_tell(&in, &p);
        cr_assert(++total < 80, "a flat objective converges at every level");
    }
    /* level 2: 6 random + 5 GOBI without progress; levels 1 and 0: 5 GOBI each; then the 4
     * re-queries around the best pair, at the finest level */
    cr_assert(at[2] == 11 && at[1] == 5 && at[0] == 5 + 4, "per level: %d %d %d", at[2], at[1], at[0]);
    su_drop(&in);
    free(lv);
    su_space_free(&s);
}

Test(search_levels, levels_come_in_order_and_a_used_up_level_is_left)
{
    su_space s;
    su_space_make(&s, 60, 1, 0, 42); /* one axis of 4 values */
    int32_t *lv = calloc(60, sizeof *lv);
    lv[7] = 2;                       /* level 2: one CNN, so 4 pairs */
    for (int i = 20; i < 40; i++)
        lv[i] = 1;
    s.sp.cnn_level = lv;
    opts o = {0.2, 0.2, 0, 0, 0}; /* never converges: only using a level up moves on */
    su_inst in;
    make(&in, &s, &o);
    cb_pair log[40];
    cr_assert(su_run_async(&in, &s, 40, 3, log) == 40);
    for (int i = 0; i < 40; i++) {
        cr_assert(log[i].level == lv[log[i].cnn]);
        if (i > 0)
            cr_assert(log[i].level <= log[i - 1].level, "pair %d goes back to a coarser level", i);
    }
    cr_assert(log[0].cnn == 7 && log[3].cnn == 7 && log[4].level == 1, "the 4 pairs of level 2 first");
    su_drop(&in);
    free(lv);
    su_space_free(&s);
}

Test(search_levels, resumes_at_the_saved_level)
{
    su_space s;
    su_space_make(&s, 60, 1, 0, 43);
    int32_t *lv = calloc(60, sizeof *lv);
    lv[7] = 2;
    for (int i = 20; i < 40; i++)
        lv[i] = 1;
    s.sp.cnn_level = lv;
    opts o = {0.2, 0.2, 0, 0, 0};
    su_check_resume(make, &o, &s, 2, 8, 2);  /* saved at level 2, which runs out after */
    su_check_resume(make, &o, &s, 10, 8, 2); /* saved at level 1 */
    free(lv);
    su_space_free(&s);
}

Test(search_levels, the_kit_keeps_to_the_level)
{
    su_space s;
    su_space_make(&s, 90, 2, 0, 44);
    int32_t *lv = three_levels(&s);
    cb_skit k;
    char why[128];
    cr_assert(cb_skit_init(&k, &s.sp, why, sizeof why) == CB_OK, "%s", why);
    double all = k.total;
    cr_assert(cb_skit_restrict(&k, 5) == 0 && k.total == all, "an empty level changes nothing");
    cr_assert(cb_skit_restrict(&k, 1) == 30 && k.total == all / 3);
    for (uint64_t i = 0; i < (uint64_t)k.total; i++) { /* the grid enumerates the level */
        cb_pair p;
        cb_skit_pair_at(&k, i, &p);
        cr_assert(lv[p.cnn] == 1 && cb_skit_level(&k, p.cnn) == 1);
    }
    cb_rng r;
    cb_rng_seed(&r, 9);
    cb_pairset asked;
    cb_pairset_init(&asked);
    double *x = malloc((size_t)k.dim * sizeof *x);
    for (int t = 0; t < 200; t++) {
        cb_pair p, q;
        cr_assert(cb_skit_random(&k, &asked, &r, &p) && lv[p.cnn] == 1);
        cb_pair other = p;
        other.cnn = p.cnn + 1; /* level 2 */
        cr_assert(!cb_skit_usable(&k, NULL, &other));
        cb_skit_encode(&k, &other, x); /* snapping a level-2 CNN's point lands on level 1 */
        cr_assert(cb_skit_nearest(&k, x, CB_SNAP_BOTH, &p, &asked, 4, 64, &q) && lv[q.cnn] == 1);
        cb_pairset_add(&asked, &p);
    }
    cr_assert(cb_skit_restrict(&k, -1) == 90 && k.total == all, "-1 lifts the restriction");
    free(x);
    cb_pairset_free(&asked);
    cb_skit_free(&k);
    free(lv);
    su_space_free(&s);
}

/* ---- a space that grows its levels (cb_space.grow) -------------------------------------------
 * The fake host keeps all of a su_space's CNNs but shows only the first n_cnn; grow() shows the
 * next `add` ones at the level asked for, moving the level and embedding arrays (as the runner's
 * pool may), and records its arguments. */
typedef struct fake_grow {
    su_space *s;
    int calls, add;
    int32_t level;
    int64_t parents[64];
    int n_parents;
    double told_y[64];  /* per CNN of the starting level: its best result, -1: none */
} fake_grow;

static int fake_grow_cb(void *ctx, int32_t level, const int64_t *parents, int n_parents, cb_error *e)
{
    fake_grow *f = ctx;
    su_space *s = f->s;
    f->calls++;
    f->level = level;
    f->n_parents = n_parents < 64 ? n_parents : 64;
    memcpy(f->parents, parents, (size_t)f->n_parents * sizeof *parents);
    int64_t n = s->sp.n_cnn, m = n + f->add;
    int32_t *lv = malloc((size_t)m * sizeof *lv);
    memcpy(lv, s->sp.cnn_level, (size_t)n * sizeof *lv);
    for (int64_t i = n; i < m; i++)
        lv[i] = level;
    free((void *)s->sp.cnn_level);
    s->sp.cnn_level = lv;
    float *emb = malloc((size_t)m * 16 * sizeof *emb); /* the rows were made up front: move them */
    memcpy(emb, s->embed, (size_t)m * 16 * sizeof *emb);
    free(s->embed);
    s->embed = emb;
    s->sp.cnn_embed = emb;
    s->sp.n_cnn = m;
    (void)e;
    return f->add;
}

/* y = a distinct performance per CNN, so "the best CNNs" are well defined */
static double cnn_y(int64_t cnn)
{
    return 0.05 + 0.9 * (double)((cnn * 7) % 20) / 20.0;
}

static void grow_space(su_space *s, fake_grow *f, int64_t n_start, int add)
{
    su_space_make(s, 60, 2, 0, 45);
    int32_t *lv = malloc((size_t)n_start * sizeof *lv);
    for (int64_t i = 0; i < n_start; i++)
        lv[i] = 1; /* the coarse level; level 0 is grown */
    s->sp.cnn_level = lv;
    s->sp.n_cnn = n_start;
    memset(f, 0, sizeof *f);
    f->s = s;
    f->add = add;
    for (int i = 0; i < 64; i++)
        f->told_y[i] = -1;
    s->sp.grow = fake_grow_cb;
    s->sp.grow_ctx = f;
}

/* The expected parents: distinct CNNs by their best told result, best first, ties the lower. */
static int best_told(const fake_grow *f, int64_t n_start, int k, int64_t *out)
{
    int n = 0;
    for (int64_t c = 0; c < n_start; c++)
        if (f->told_y[c] >= 0)
            out[n++] = c;
    for (int i = 1; i < n; i++) /* insertion sort: y descending, index ascending */
        for (int j = i; j > 0 && (f->told_y[out[j]] > f->told_y[out[j - 1]]); j--) {
            int64_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n < k ? n : k;
}

Test(search_levels, leaving_a_level_grows_the_next_from_its_best_cnns)
{
    su_space s;
    fake_grow f;
    grow_space(&s, &f, 20, 15);
    opts o = {0, 0, 5, 0, 4}; /* GOBI only after the start: converges on the coarse level */
    su_inst in;
    make(&in, &s, &o);
    cb_pair p;
    int total = 0, fine = 0;
    while (su_ask(&in, &s, 1, &p) == 1) {
        if (f.calls == 0) {
            cr_assert(p.level == 1 && p.cnn < 20, "before growing: pair %d on CNN %lld", total, (long long)p.cnn);
        } else {
            cr_assert(p.level == 0 && p.cnn >= 20 && p.cnn < 35, "after growing: pair %d on CNN %lld level %d",
                      total, (long long)p.cnn, p.level);
            fine++;
        }
        cb_metrics m = {.size = sizeof m, .status = CB_EVAL_OK, .performance = cnn_y(p.cnn)};
        cb_error e;
        cr_assert(in.vt->tell(in.self, &p, &m, &e) == CB_OK);
        if (f.calls == 0 && m.performance > f.told_y[p.cnn])
            f.told_y[p.cnn] = m.performance;
        cr_assert(++total < 200, "the search never converged");
    }
    cr_assert(f.calls == 1, "grow called %d times", f.calls);
    cr_assert(f.level == 0, "grew level %d", f.level);
    int64_t want[64];
    int k = best_told(&f, 20, 4, want);
    cr_assert(k == 4 && f.n_parents == 4, "%d parents, %d CNNs told", f.n_parents, k);
    for (int i = 0; i < k; i++)
        cr_assert(f.parents[i] == want[i], "parent %d: CNN %lld, the %d-th best told is %lld", i,
                  (long long)f.parents[i], i, (long long)want[i]);
    cr_assert(fine > 0, "no proposal from the grown level");
    su_drop(&in);
    free((void *)s.sp.cnn_level);
    s.sp.cnn_level = NULL;
    su_space_free(&s);
}

Test(search_levels, a_growth_that_adds_nothing_is_not_asked_again)
{ /* every crossover invalid or known: once the level is used up the search has nothing to
   * propose, and the host keeps asking; grow (crossovers and GED for the host) is not called
   * again on every ask */
    su_space s;
    fake_grow f;
    grow_space(&s, &f, 3, 0);
    opts o = {0.2, 0.2, 0, 0, 4}; /* the level is used up after 3 x 20 pairs */
    su_inst in;
    make(&in, &s, &o);
    cb_pair p[4];
    int got = 0, told = 0;
    cb_error e;
    memset(&e, 0, sizeof e);
    for (int t = 0; t < 100; t++) {
        cr_assert(in.vt->ask(in.self, 1, p, &got, &e) == CB_OK, "%s", e.msg);
        if (got == 1) {
            cr_assert(p[0].level == 1, "a pair at level %d", p[0].level);
            su_tell(&in, &s, &p[0]);
            told++;
        }
    }
    cr_assert(told == 60, "%d pairs told", told);
    cr_assert(f.calls == 1, "grow called %d times", f.calls);
    su_drop(&in);
    free((void *)s.sp.cnn_level);
    s.sp.cnn_level = NULL;
    su_space_free(&s);
}

static int failing_grow(void *ctx, int32_t level, const int64_t *parents, int n_parents, cb_error *e)
{
    (void)ctx, (void)parents, (void)n_parents;
    snprintf(e->msg, sizeof e->msg, "level %d refused by the test", level);
    e->code = CB_EINVAL;
    return -CB_EINVAL;
}

Test(search_levels, a_failed_growth_is_an_error_naming_the_parameter)
{
    su_space s;
    fake_grow f;
    grow_space(&s, &f, 3, 10);
    s.sp.grow = failing_grow;
    opts o = {0.2, 0.2, 0, 0, 4}; /* the level is used up after 3 x 20 pairs */
    su_inst in;
    make(&in, &s, &o);
    cb_pair p[64];
    int got = 0, rc = CB_OK;
    cb_error e;
    memset(&e, 0, sizeof e);
    for (int t = 0; t < 100 && rc == CB_OK; t++) {
        rc = in.vt->ask(in.self, 1, p, &got, &e);
        if (rc == CB_OK && got == 1)
            su_tell(&in, &s, &p[0]);
    }
    cr_assert(rc != CB_OK, "ask() went on although grow failed");
    cr_assert(strstr(e.msg, "grow_parents") && strstr(e.msg, "refused by the test"), "%s", e.msg);
    su_drop(&in);
    free((void *)s.sp.cnn_level);
    s.sp.cnn_level = NULL;
    su_space_free(&s);
}

/* Saved before and after the growth: a fresh instance started on the grown space (a resume
 * replays the growth first) proposes what the original goes on to propose. */
Test(search_levels, resumes_across_a_growth)
{
    su_space s;
    fake_grow f;
    grow_space(&s, &f, 2, 18);
    opts o = {0.2, 0.2, 0, 0, 4}; /* 2 CNNs x 20 accelerators = 40 pairs at the coarse level */
    su_check_resume(make, &o, &s, 44, 10, 2);
    cr_assert(f.calls == 1 && s.sp.n_cnn == 20, "grow called %d times, %lld CNNs", f.calls, (long long)s.sp.n_cnn);
    free((void *)s.sp.cnn_level);
    s.sp.cnn_level = NULL;
    su_space_free(&s);
}
