/* tests/unit/search_levels.c: the CNN hierarchy in the bosh plugins (plugins/search/bosh.so)
 * and the search kit: with cb_space.cnn_level set, proposals come from the coarsest level until
 * the search converges there (or uses the level up), then from each finer level in turn; each
 * pair carries its level; a search saved at one level resumes at it; and the kit's restricted
 * grid (draws, enumeration, snaps) never leaves the level. */
#include "host/host.h"
#include "search_util.h"

#include <codebench/searchkit.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int (*code_create_fn)(const cb_host *, cb_error *, void **, int64_t n_init, double k1, double k2,
                              double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                              double gobi_lr, double tol, int64_t patience, int64_t epochs,
                              int64_t mc_samples, int64_t pool, int first_order_only,
                              int no_heteroscedastic, int mode, int64_t aleatoric_queries);

typedef struct opts {
    double alpha_p, beta_p;
    int64_t patience, aleatoric;
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
                                              0.1, 1e-4, o->patience, 15, 5, 800, 0, 0, 0, o->aleatoric);
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
    opts o = {0, 0, 5, 4}; /* every step after the start is GOBI's */
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
    opts o = {0.2, 0.2, 0, 0}; /* never converges: only using a level up moves on */
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
    opts o = {0.2, 0.2, 0, 0};
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
