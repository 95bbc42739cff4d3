/* tests/unit/sim_space.c: the 13-element accelerator vector and Table 2's design space:
 * 228,433,920 points, index <-> vector round trips, narrowing, sampling, enumeration, the
 * nearest point under a constraint (checked against brute force), and bad vectors refused with
 * the value named. */
#include "sim/accel_space.h"

#include <codebench/plugin.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

static cb_accel_space table2(void)
{
    cb_accel_space s;
    cb_accel_space_table2(&s);
    return s;
}

Test(sim_space, table2_has_228433920_points)
{
    cb_accel_space s = table2();
    cr_assert(eq(u64, cb_accel_space_count(&s), 228433920));
    cr_assert(eq(int, s.n[CB_AX_MEM], CB_MEM_CONFIGS));
}

static bool same(const cb_accel_vec *a, const cb_accel_vec *b)
{
    double x[CB_ACCEL_DIM], y[CB_ACCEL_DIM];
    cb_accel_vec_to_array(a, x);
    cb_accel_vec_to_array(b, y);
    return memcmp(x, y, sizeof x) == 0;
}

Test(sim_space, index_and_vector_round_trip)
{
    cb_accel_space s = table2();
    uint64_t n = cb_accel_space_count(&s);
    cb_rng r;
    cb_rng_seed(&r, 3);
    char why[256];
    for (int i = 0; i < 20000; i++) {
        uint64_t idx = i == 0 ? 0 : i == 1 ? n - 1 : cb_rng_below(&r, n), back = ~0ull;
        cb_accel_vec v, w;
        cb_accel_space_at(&s, idx, &v);
        cr_assert(eq(int, cb_accel_vec_check(&v, why, sizeof why), CB_OK), "%s", why);
        cr_assert(eq(int, cb_accel_space_index(&s, &v, &back, why, sizeof why), CB_OK), "%s", why);
        cr_assert(eq(u64, back, idx));
        double a[CB_ACCEL_DIM];
        cb_accel_vec_to_array(&v, a);
        cr_assert(eq(int, cb_accel_vec_from_array(a, CB_ACCEL_DIM, &w, why, sizeof why), CB_OK), "%s", why);
        cr_assert(same(&v, &w));
    }
    cb_accel_vec first, last;
    cb_accel_space_at(&s, 0, &first);
    cb_accel_space_at(&s, n - 1, &last);
    cb_accel_vec lo = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, hi = {4, 16, 8, 8, 8, 7, 7, 512, 24, 24, 4, 3, 1};
    cr_assert(same(&first, &lo));
    cr_assert(same(&last, &hi));
}

Test(sim_space, spring_is_a_point_of_the_space)
{
    cb_accel_space s = table2();
    cb_accel_vec spring = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1}, back;
    uint64_t idx;
    char why[256];
    cr_assert(eq(int, cb_accel_space_index(&s, &spring, &idx, why, sizeof why), CB_OK), "%s", why);
    cb_accel_space_at(&s, idx, &back);
    cr_assert(same(&spring, &back));
}

static void not_in_space(cb_accel_vec v, const char *expect)
{
    cb_accel_space s = table2();
    uint64_t idx;
    char why[256];
    cr_assert(eq(int, cb_accel_space_index(&s, &v, &idx, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, (char *)expect));
}

Test(sim_space, points_outside_the_space_are_named)
{
    cb_accel_vec spring = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1}, v = spring;
    v.p_if = 2;
    not_in_space(v, "p_if = 2 is not in the space (values: 1, 16)");
    v = spring;
    v.act_mb = 3;
    not_in_space(v, "act_buffer_mb = 3 is not in the space (values: 1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24)");
    v = spring;
    v.p_kx = v.p_ky = 9;
    not_in_space(v, "p_k = 9 is not in the space (values: 1, 3, 5, 7)");
    v = spring;
    v.p_ky = 5;
    not_in_space(v, "p_kx = 3 differs from p_ky = 5: the space has P_kx = P_ky");
    v = spring;
    v.mem_type = 3, v.mem_config = 2;
    not_in_space(v, "memory type 3 configuration 2 is not in the space (type*100+configuration: 101, 102, "
                    "103, 104, 105, 106, 201, 202, 203, 204, 301)");
}

static void bad_array(const double *a, int n, const char *expect)
{
    cb_accel_vec v;
    char why[256];
    cr_assert(eq(int, cb_accel_vec_from_array(a, n, &v, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, (char *)expect));
}

Test(sim_space, bad_vectors_are_refused_with_a_clear_message)
{
    double a[CB_ACCEL_DIM] = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    bad_array(a, 12, "an accelerator vector has 13 entries, not 12");
    a[5] = 3, a[6] = 5;
    bad_array(a, 13, "accelerator p_kx = 3 differs from p_ky = 5: the MAC lanes of a PE unroll a square kernel "
                     "window (Table 2 sets P_kx = P_ky)");
    a[6] = 3, a[2] = 0;
    bad_array(a, 13, "accelerator p_ix = 0 is out of range 1..64");
    a[2] = 8.5;
    bad_array(a, 13, "accelerator p_ix = 8.5 is not a whole number");
    a[2] = 8, a[7] = 5000;
    bad_array(a, 13, "accelerator batch = 5000 is out of range 1..4096");
    a[7] = 1, a[10] = -1;
    bad_array(a, 13, "accelerator mask_buffer_mb = -1 MB is out of range (0, 1024]");
    a[10] = 4, a[11] = 4;
    bad_array(a, 13, "accelerator memory_type = 4 is out of range 1..3");
    a[11] = 2, a[12] = 5;
    bad_array(a, 13, "accelerator memory_config = 5 is out of range 1..4");
    a[12] = NAN;
    bad_array(a, 13, "accelerator memory_config = nan is not a whole number");
}

Test(sim_space, memory_configurations_are_table2s)
{
    int b, r, c;
    cr_assert(cb_mem_geometry(1, 6, &b, &r, &c));
    cr_assert(b == 1 && r == 2 && c == 32);
    cr_assert(cb_mem_geometry(2, 4, &b, &r, &c));
    cr_assert(b == 16 && r == 4 && c == 1);
    cr_assert(cb_mem_geometry(3, 1, &b, &r, &c));
    cr_assert(b == 32 && r == 1 && c == 4);
    cr_assert(not(cb_mem_geometry(3, 2, &b, &r, &c)));
    cr_assert(not(cb_mem_geometry(0, 1, &b, &r, &c)));
}

Test(sim_space, narrowing_keeps_the_listed_values)
{
    cb_accel_space s = table2();
    char why[256];
    const double ib[] = {4, 1}, bad[] = {3};
    cr_assert(eq(int, cb_accel_space_narrow(&s, CB_AX_IB, ib, 2, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(int, s.n[CB_AX_IB], 2));
    cr_assert(eq(dbl, s.v[CB_AX_IB][0], 1.0));
    cr_assert(eq(dbl, s.v[CB_AX_IB][1], 4.0));
    cr_assert(eq(u64, cb_accel_space_count(&s), 228433920 / 3 * 2));
    cr_assert(eq(int, cb_accel_space_narrow(&s, CB_AX_IB, bad, 1, why, sizeof why), CB_EINVAL));
    cr_assert(eq(str, why, "p_ib = 3 is not in the space (values: 1, 4)"));
    cr_assert(eq(int, cb_accel_space_narrow(&s, CB_AX_IB, bad, 0, why, sizeof why), CB_EINVAL));
}

/* A space of 2 x 4 x 4 x 2 x 2 x 2 x 2 x 3 = 1536 points, small enough to check by brute force. */
static cb_accel_space small_space(void)
{
    cb_accel_space s = table2();
    char why[256];
    const double ib[] = {1}, ix[] = {1, 2, 4, 8}, of[] = {1, 8}, k[] = {1, 3}, batch[] = {1, 64}, mb[] = {1, 24}, mask[] = {1},
                 mem[] = {101, 201, 301};
    cb_accel_space_narrow(&s, CB_AX_IB, ib, 1, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_IX, ix, 4, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_IY, ix, 4, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_OF, of, 2, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_K, k, 2, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_BATCH, batch, 2, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_ACT, mb, 2, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_WGT, mb, 1, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_MASK, mask, 1, why, sizeof why);
    cb_accel_space_narrow(&s, CB_AX_MEM, mem, 3, why, sizeof why);
    return s;
}

typedef struct visit {
    uint64_t next;
    const cb_accel_space *s;
} visit;

static int in_order(void *ctx, uint64_t index, const cb_accel_vec *v)
{
    visit *c = ctx;
    cb_accel_vec w;
    cb_accel_space_at(c->s, index, &w);
    cr_assert(eq(u64, index, c->next));
    cr_assert(same(v, &w));
    c->next++;
    return 0;
}

Test(sim_space, enumeration_visits_every_point_in_order)
{
    cb_accel_space s = small_space();
    visit c = {10, &s};
    cr_assert(eq(u64, cb_accel_space_count(&s), 1536));
    cr_assert(eq(int, cb_accel_space_each(&s, 10, 1 << 20, in_order, &c), 0));
    cr_assert(eq(u64, c.next, 1536));
}

Test(sim_space, samples_are_points_of_the_space)
{
    cb_accel_space s = small_space();
    cb_rng r;
    cb_rng_seed(&r, 9);
    int seen[1536] = {0};
    char why[256];
    for (int i = 0; i < 20000; i++) {
        cb_accel_vec v;
        uint64_t idx;
        cb_accel_space_sample(&s, &r, &v);
        cr_assert(eq(int, cb_accel_space_index(&s, &v, &idx, why, sizeof why), CB_OK), "%s", why);
        seen[idx]++;
    }
    int hit = 0;
    for (int i = 0; i < 1536; i++)
        hit += seen[i] > 0;
    cr_assert(gt(int, hit, 1500), "20000 uniform draws leave few of 1536 points unseen (%d seen)", hit);
}

/* The constraint of the tests: at most 32 PEs (an area bound in disguise). */
static int few_pes(void *ctx, const cb_accel_vec *v)
{
    (void)ctx;
    return cb_accel_pes(v) <= 32;
}

static double distance(const cb_accel_space *s, const cb_accel_vec *v, const double *t)
{
    const double x[CB_SPACE_AXES - 1] = {v->p_ib, v->p_if, v->p_ix, v->p_iy, v->p_of, v->p_kx, v->batch,
                                         v->act_mb, v->wgt_mb, v->mask_mb};
    const double y[CB_SPACE_AXES - 1] = {t[0], t[1], t[2], t[3], t[4], (t[5] + t[6]) / 2, t[7], t[8], t[9], t[10]};
    double d = 0;
    for (int a = 0; a < CB_SPACE_AXES - 1; a++) {
        double span = s->v[a][s->n[a] - 1] - s->v[a][0];
        d += span > 0 ? fabs(x[a] - y[a]) / span : 0;
    }
    if (v->mem_type != (int)lround(t[11]))
        d += 1;
    else if (v->mem_config != (int)lround(t[12]))
        d += 0.5;
    return d;
}

typedef struct best {
    const cb_accel_space *s;
    const double *t;
    double d;
} best;

static int track_best(void *ctx, uint64_t index, const cb_accel_vec *v)
{
    best *b = ctx;
    if (few_pes(NULL, v) && distance(b->s, v, b->t) < b->d)
        b->d = distance(b->s, v, b->t);
    return 0;
}

Test(sim_space, nearest_valid_point_matches_brute_force)
{
    cb_accel_space s = small_space();
    cb_rng r;
    cb_rng_seed(&r, 5);
    char why[256];
    for (int trial = 0; trial < 40; trial++) {
        double t[CB_ACCEL_DIM] = {1 + 3 * cb_rng_unit(&r), 1 + 15 * cb_rng_unit(&r), 1 + 7 * cb_rng_unit(&r),
                                  1 + 7 * cb_rng_unit(&r), 1 + 7 * cb_rng_unit(&r), 1 + 2 * cb_rng_unit(&r), 0,
                                  1 + 63 * cb_rng_unit(&r), 1 + 23 * cb_rng_unit(&r), 24, 1,
                                  1 + (double)cb_rng_below(&r, 3), 1};
        t[6] = t[5];
        cb_accel_vec v;
        cr_assert(eq(int, cb_accel_space_nearest(&s, t, few_pes, NULL, 100000, &v, why, sizeof why), CB_OK),
                  "%s", why);
        cr_assert(few_pes(NULL, &v));
        best b = {&s, t, INFINITY};
        cb_accel_space_each(&s, 0, cb_accel_space_count(&s), track_best, &b);
        cr_assert(le(dbl, fabs(distance(&s, &v, t) - b.d), 1e-12), "trial %d: found %g, best %g", trial,
                  distance(&s, &v, t), b.d);
    }
}

static int never(void *ctx, const cb_accel_vec *v)
{
    (void)ctx, (void)v;
    return 0;
}

Test(sim_space, nearest_gives_up_with_a_message)
{
    cb_accel_space s = table2();
    double t[CB_ACCEL_DIM] = {2, 16, 8, 4, 8, 3, 3, 1, 12, 24, 4, 1, 1};
    cb_accel_vec v;
    char why[256];
    cr_assert(eq(int, cb_accel_space_nearest(&s, t, NULL, NULL, 1, &v, why, sizeof why), CB_OK));
    cr_assert(eq(int, v.p_ix, 8), "no constraint: the target itself");
    cr_assert(eq(int, cb_accel_space_nearest(&s, t, never, NULL, 500, &v, why, sizeof why), CB_EFAIL));
    cr_assert(eq(str, why, "none of the 500 points nearest to the target meets the constraint"));
    cb_accel_space small = small_space();
    cr_assert(eq(int, cb_accel_space_nearest(&small, t, never, NULL, 1000000, &v, why, sizeof why), CB_EFAIL));
    cr_assert(eq(str, why, "none of the space's 1536 points meets the constraint"));
}
