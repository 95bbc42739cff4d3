/* tests/unit/pareto.c: the exact front equals a brute-force O(n^2) check, and the streaming
 * front ends with the same set. */
#include "report/pareto.h"

#include <codebench/rng.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

static int brute_is_front(const double *pts, size_t n, int dims, size_t i)
{
    for (size_t j = 0; j < n; j++)
        if (j != i && cb_dominates(pts + j * (size_t)dims, pts + i * (size_t)dims, dims))
            return 0;
    return 1;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

Test(pareto, exact_front_matches_brute_force)
{
    cb_rng r;
    cb_rng_seed(&r, 42);
    for (int dims = 2; dims <= 4; dims++) {
        size_t n = 600;
        double *pts = malloc(n * (size_t)dims * sizeof *pts);
        for (size_t i = 0; i < n * (size_t)dims; i++) /* coarse values: ties and duplicates occur */
            pts[i] = (double)cb_rng_below(&r, 40);
        size_t *front = malloc(n * sizeof *front);
        size_t k = cb_pareto_front(pts, n, dims, front);
        size_t brute = 0;
        for (size_t i = 0; i < n; i++)
            brute += (size_t)brute_is_front(pts, n, dims, i);
        cr_assert(eq(sz, k, brute));
        for (size_t j = 0; j < k; j++)
            cr_assert(brute_is_front(pts, n, dims, front[j]));

        cb_front f;
        cb_front_init(&f, dims);
        for (size_t i = 0; i < n; i++)
            cb_front_add(&f, pts + i * (size_t)dims, (int64_t)i);
        /* streaming keeps one of several identical points only if none dominates: identical
         * points do not dominate each other, so all survive, as in the exact front */
        cr_assert(eq(sz, f.n, k));
        size_t *ids = malloc(f.n * sizeof *ids);
        for (size_t j = 0; j < f.n; j++)
            ids[j] = (size_t)f.ids[j];
        qsort(ids, f.n, sizeof *ids, cmp_size);
        qsort(front, k, sizeof *front, cmp_size);
        for (size_t j = 0; j < k; j++)
            cr_assert(eq(sz, ids[j], front[j]));
        free(ids);
        cb_front_free(&f);
        free(front);
        free(pts);
    }
}
