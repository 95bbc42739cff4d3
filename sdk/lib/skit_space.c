/* skit_space.c: the space as a search sees it: checks, the pair encoding and its box, the
 * grid (enumeration and uniform draws), the restriction to one level of the CNN hierarchy, and
 * whether a pair may still be proposed. */
#include <codebench/searchkit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_axes(const cb_space *sp, char *why, size_t n)
{
    if (sp->n_axes < 0 || sp->n_axes > CB_ACCEL_MAX) {
        snprintf(why, n, "the space has %d accelerator axes, a pair holds 0 to %d", sp->n_axes, CB_ACCEL_MAX);
        return CB_EINVAL;
    }
    for (int a = 0; a < sp->n_axes; a++) {
        const cb_axis *ax = &sp->axes[a];
        if (ax->n_values < 1 || !ax->values) {
            snprintf(why, n, "accelerator axis %d (%s) has no values", a, ax->name ? ax->name : "?");
            return CB_EINVAL;
        }
        for (int v = 1; v < ax->n_values; v++)
            if (!(ax->values[v] > ax->values[v - 1])) {
                snprintf(why, n, "accelerator axis %d (%s) is not strictly ascending", a, ax->name ? ax->name : "?");
                return CB_EINVAL;
            }
    }
    return CB_OK;
}

/* The grid's size: the allowed CNNs times the accelerator grid. */
static void count_total(cb_skit *k)
{
    k->total = k->n_cnn > 0 ? (double)(k->n_only ? k->n_only : k->n_cnn) : 1;
    for (int a = 0; a < k->n_axes; a++)
        k->total *= k->sp->axes[a].n_values;
}

int cb_skit_init(cb_skit *k, const cb_space *sp, char *why, size_t why_len)
{
    memset(k, 0, sizeof *k);
    if (check_axes(sp, why, why_len))
        return CB_EINVAL;
    if (sp->n_cnn < 0 || (sp->n_cnn > 0 && (sp->dim_cnn < 1 || !sp->cnn_embed))) {
        snprintf(why, why_len, "the space has %lld CNNs but no embeddings", (long long)sp->n_cnn);
        return CB_EINVAL;
    }
    if (sp->n_cnn == 0 && sp->n_axes == 0) {
        snprintf(why, why_len, "the space is empty: no CNN candidates and no accelerator axes");
        return CB_EINVAL;
    }
    k->sp = sp;
    k->n_cnn = sp->n_cnn;
    k->dim_cnn = sp->n_cnn > 0 ? sp->dim_cnn : 0;
    k->n_axes = sp->n_axes;
    k->dim = k->dim_cnn + k->n_axes;
    count_total(k);
    k->lo = malloc((size_t)k->dim * sizeof *k->lo);
    k->hi = malloc((size_t)k->dim * sizeof *k->hi);
    if (!k->lo || !k->hi) {
        cb_skit_free(k);
        snprintf(why, why_len, "out of memory");
        return CB_EFAIL;
    }
    for (int d = 0; d < k->dim_cnn; d++) { /* the box of the candidates' embeddings */
        k->lo[d] = INFINITY, k->hi[d] = -INFINITY;
        for (int64_t i = 0; i < sp->n_cnn; i++) {
            double v = sp->cnn_embed[i * sp->dim_cnn + d];
            k->lo[d] = v < k->lo[d] ? v : k->lo[d];
            k->hi[d] = v > k->hi[d] ? v : k->hi[d];
        }
    }
    for (int a = 0; a < k->n_axes; a++)
        k->lo[k->dim_cnn + a] = 0, k->hi[k->dim_cnn + a] = 1;
    return CB_OK;
}

void cb_skit_free(cb_skit *k)
{
    free(k->lo);
    free(k->hi);
    free(k->only);
    free(k->allowed);
    k->lo = k->hi = NULL;
    k->only = NULL;
    k->allowed = NULL;
    k->n_only = 0;
}

int32_t cb_skit_level(const cb_skit *k, int64_t cnn)
{
    const cb_space *sp = k->sp;
    return cnn >= 0 && cnn < k->n_cnn && CB_SPACE_HAS(sp, cnn_level) && sp->cnn_level ? sp->cnn_level[cnn] : 0;
}

int64_t cb_skit_restrict(cb_skit *k, int32_t level)
{
    const cb_space *sp = k->sp;
    int has = k->n_cnn > 0 && CB_SPACE_HAS(sp, cnn_level) && sp->cnn_level;
    int64_t n = 0;
    for (int64_t i = 0; has && level >= 0 && i < k->n_cnn; i++)
        n += sp->cnn_level[i] == level;
    if (!has || level < 0) { /* every CNN */
        free(k->only), free(k->allowed);
        k->only = NULL, k->allowed = NULL, k->n_only = 0;
        count_total(k);
        return k->n_cnn;
    }
    if (n == 0)
        return 0;
    int64_t *only = malloc((size_t)n * sizeof *only);
    unsigned char *allowed = calloc((size_t)k->n_cnn, 1);
    if (!only || !allowed) {
        free(only), free(allowed);
        return -1;
    }
    for (int64_t i = 0, j = 0; i < k->n_cnn; i++)
        if (sp->cnn_level[i] == level)
            only[j++] = i, allowed[i] = 1;
    free(k->only), free(k->allowed);
    k->only = only, k->allowed = allowed, k->n_only = n;
    count_total(k);
    return n;
}

int cb_skit_axis_index(const cb_skit *k, int a, double value)
{
    const cb_axis *ax = &k->sp->axes[a];
    int lo = 0, hi = ax->n_values - 1;
    while (lo <= hi) { /* values ascend: binary search */
        int mid = (lo + hi) / 2;
        if (ax->values[mid] == value)
            return mid;
        if (ax->values[mid] < value)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static double axis_pos(const cb_skit *k, int a, double value)
{
    int n = k->sp->axes[a].n_values, i = cb_skit_axis_index(k, a, value);
    return n > 1 && i >= 0 ? (double)i / (n - 1) : 0.0;
}

void cb_skit_encode(const cb_skit *k, const cb_pair *p, double *x)
{
    for (int d = 0; d < k->dim_cnn; d++)
        x[d] = p->cnn >= 0 && p->cnn < k->n_cnn ? k->sp->cnn_embed[p->cnn * k->dim_cnn + d] : 0.0;
    for (int a = 0; a < k->n_axes; a++)
        x[k->dim_cnn + a] = axis_pos(k, a, p->accel[a]);
}

void cb_skit_encode_f(const cb_skit *k, const cb_pair *p, float *x)
{
    for (int d = 0; d < k->dim_cnn; d++)
        x[d] = p->cnn >= 0 && p->cnn < k->n_cnn ? k->sp->cnn_embed[p->cnn * k->dim_cnn + d] : 0.0f;
    for (int a = 0; a < k->n_axes; a++)
        x[k->dim_cnn + a] = (float)axis_pos(k, a, p->accel[a]);
}

void cb_skit_make(const cb_skit *k, int64_t cnn, const int *idx, cb_pair *p)
{
    memset(p, 0, sizeof *p);
    p->cnn = k->n_cnn > 0 ? cnn : -1;
    p->level = cb_skit_level(k, p->cnn);
    p->n_accel = k->n_axes;
    for (int a = 0; a < k->n_axes; a++)
        p->accel[a] = k->sp->axes[a].values[idx[a]];
}

void cb_skit_pair_at(const cb_skit *k, uint64_t i, cb_pair *p)
{
    int idx[CB_ACCEL_MAX];
    for (int a = k->n_axes - 1; a >= 0; a--) {
        uint64_t n = (uint64_t)k->sp->axes[a].n_values;
        idx[a] = (int)(i % n);
        i /= n;
    }
    cb_skit_make(k, k->n_only && i < (uint64_t)k->n_only ? k->only[i] : (int64_t)i, idx, p);
}

int cb_skit_usable(const cb_skit *k, const cb_pairset *asked, const cb_pair *p)
{
    if (k->allowed && (p->cnn < 0 || p->cnn >= k->n_cnn || !k->allowed[p->cnn]))
        return 0;
    if (asked && cb_pairset_find(asked, p) >= 0)
        return 0;
    return !k->sp->valid || k->sp->valid(k->sp->ctx, p);
}

#define RANDOM_TRIES 1000
#define ENUM_MAX ((double)(1u << 22))

int cb_skit_random(const cb_skit *k, const cb_pairset *asked, cb_rng *r, cb_pair *out)
{
    int idx[CB_ACCEL_MAX];
    for (int t = 0; t < RANDOM_TRIES; t++) {
        int64_t cnn = k->n_cnn <= 0 ? -1
                      : k->n_only ? k->only[cb_rng_below(r, (uint64_t)k->n_only)]
                                  : (int64_t)cb_rng_below(r, (uint64_t)k->n_cnn);
        for (int a = 0; a < k->n_axes; a++)
            idx[a] = (int)cb_rng_below(r, (uint64_t)k->sp->axes[a].n_values);
        cb_skit_make(k, cnn, idx, out);
        if (cb_skit_usable(k, asked, out))
            return 1;
    }
    if (k->total > ENUM_MAX)
        return 0;
    /* nearly used up: count what is left, then take a uniform one of those */
    uint64_t total = (uint64_t)k->total, left = 0;
    for (uint64_t i = 0; i < total; i++) {
        cb_skit_pair_at(k, i, out);
        left += (uint64_t)cb_skit_usable(k, asked, out);
    }
    if (!left)
        return 0;
    uint64_t pick = cb_rng_below(r, left);
    for (uint64_t i = 0; i < total; i++) {
        cb_skit_pair_at(k, i, out);
        if (cb_skit_usable(k, asked, out) && pick-- == 0)
            return 1;
    }
    return 0;
}
