/* tests/unit/search_kit.c: the search kit (codebench/searchkit.h): snapping a point to the
 * nearest usable pair against brute force (with a constraint, proposed pairs, and one-sided
 * snaps), the exact pair set and its state, uniform draws that use up a small space, and the
 * space checks. */
#include "search_util.h"

#include <codebench/searchkit.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double dist(const cb_skit *k, const double *x, const cb_pair *p)
{
    double e[32], d = 0;
    cb_skit_encode(k, p, e);
    for (int j = 0; j < k->dim; j++)
        d += (e[j] - x[j]) * (e[j] - x[j]);
    return d;
}

/* The nearest usable pair by enumeration (mode as cb_skit_nearest); its distance, or INFINITY. */
static double brute(const cb_skit *k, const double *x, int mode, const cb_pair *hold, const cb_pairset *asked)
{
    double best = INFINITY;
    for (uint64_t i = 0; i < (uint64_t)k->total; i++) {
        cb_pair p;
        cb_skit_pair_at(k, i, &p);
        if ((mode == CB_SNAP_CNN && memcmp(p.accel, hold->accel, sizeof p.accel)) ||
            (mode == CB_SNAP_ACCEL && p.cnn != hold->cnn) || !cb_skit_usable(k, asked, &p))
            continue;
        best = fmin(best, dist(k, x, &p));
    }
    return best;
}

Test(search_kit, nearest_matches_brute_force)
{
    su_space s;
    su_space_make(&s, 60, 3, 0, 41);
    s.max_area = 20;
    cb_skit k;
    char why[128];
    cr_assert(cb_skit_init(&k, &s.sp, why, sizeof why) == CB_OK, "%s", why);
    cr_assert(k.dim == 19 && k.total == 60 * 4 * 5 * 3);
    cb_pairset asked;
    cb_pairset_init(&asked);
    cb_rng r;
    cb_rng_seed(&r, 2);
    for (int t = 0; t < 60; t++) {
        double x[19];
        cb_pair hold, got;
        cr_assert(cb_skit_random(&k, &asked, &r, &hold));
        cb_skit_encode(&k, &hold, x);
        for (int j = 0; j < 19; j++)
            x[j] += 0.4 * cb_rng_normal(&r);
        int mode = t % 3;
        /* n_near = all CNNs: then the snap is exact whatever the accelerator part */
        cr_assert(cb_skit_nearest(&k, x, mode, &hold, &asked, 60, 100000, &got));
        cr_assert(cb_skit_usable(&k, &asked, &got));
        double want = brute(&k, x, mode, &hold, &asked);
        cr_assert(fabs(dist(&k, x, &got) - want) < 1e-9, "try %d mode %d: %g vs %g", t, mode, dist(&k, x, &got), want);
        cr_assert(cb_pairset_add(&asked, &got) >= 0); /* the next snap must avoid it */
    }
    cb_pairset_free(&asked);
    cb_skit_free(&k);
    su_space_free(&s);
}

Test(search_kit, pair_set_is_exact_and_saves_in_order)
{
    cb_pairset a, b;
    cb_pairset_init(&a);
    cb_pairset_init(&b);
    for (int i = 0; i < 500; i++) {
        cb_pair p = {.cnn = i % 37, .n_accel = 2, .accel = {i % 11, -0.0 + i / 37}};
        long before = cb_pairset_find(&a, &p);
        long at = cb_pairset_add(&a, &p);
        cr_assert(before < 0 ? at == (long)a.n - 1 : at == before);
    }
    cb_pair z = {.cnn = 0, .n_accel = 2, .accel = {0, -0.0}}, zp = {.cnn = 0, .n_accel = 2, .accel = {0, 0}};
    cr_assert(cb_pairset_find(&a, &z) == cb_pairset_find(&a, &zp) && cb_pairset_find(&a, &z) >= 0);
    cb_pair other_len = zp;
    other_len.n_accel = 1;
    cr_assert(cb_pairset_find(&a, &other_len) < 0);
    su_buf buf = {0};
    cb_state_writer w;
    cb_sw_init(&w, su_buf_write, &buf);
    cb_pairset_save(&a, &w);
    cb_state_reader r;
    cb_sr_init(&r, buf.p, buf.len);
    cb_pairset_load(&b, &r);
    cr_assert(cb_sr_done(&r), "%s", r.why);
    cr_assert(a.n == b.n && !memcmp(a.pairs, b.pairs, a.n * sizeof *a.pairs));
    cb_pairset_free(&b);
    cb_pairset_init(&b);
    cb_sr_init(&r, buf.p, buf.len - 3);
    cb_pairset_load(&b, &r);
    cr_assert(r.bad);
    free(buf.p);
    cb_pairset_free(&a);
    cb_pairset_free(&b);
}

Test(search_kit, random_draws_use_up_a_small_space)
{
    su_space s;
    su_space_make(&s, 5, 2, 0, 42);
    s.max_area = 8; /* p_x * p_k <= 8 */
    cb_skit k;
    char why[128];
    cr_assert(cb_skit_init(&k, &s.sp, why, sizeof why) == CB_OK);
    cb_pairset asked;
    cb_pairset_init(&asked);
    cb_rng r;
    cb_rng_seed(&r, 3);
    cb_pair p;
    while (cb_skit_random(&k, &asked, &r, &p)) {
        cr_assert(su_area(&p) <= 8);
        cr_assert(cb_pairset_add(&asked, &p) == (long)asked.n - 1, "a draw repeats");
    }
    int valid = 0; /* (p_x, p_k) with p_x * p_k <= 8: (1,1..7) 4, (2,1..3) 2, (4,1) 1, (8,1) 1 */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            valid += s.values[0][i] * s.values[1][j] <= 8;
    cr_assert(asked.n == (size_t)(5 * valid), "%zu pairs drawn, %d valid", asked.n, 5 * valid);
    cb_pairset_free(&asked);
    cb_skit_free(&k);
    su_space_free(&s);
}

Test(search_kit, bad_spaces_are_refused)
{
    su_space s;
    su_space_make(&s, 5, 2, 0, 43);
    cb_skit k;
    char why[128];
    double down[] = {3, 2, 1};
    s.axes[1] = (cb_axis){"down", 3, down};
    cr_assert(cb_skit_init(&k, &s.sp, why, sizeof why) == CB_EINVAL);
    cr_assert(strstr(why, "ascending"), "%s", why);
    s.sp.n_axes = 0;
    s.sp.n_cnn = 0;
    cr_assert(cb_skit_init(&k, &s.sp, why, sizeof why) == CB_EINVAL);
    cr_assert(strstr(why, "empty"), "%s", why);
    su_space_free(&s);
}
