/* data_set.c: data set bookkeeping (see codebench/data.h): freeing, seeded subsets and
 * validation splits, per-channel statistics. Selections keep the original order so a subset of
 * the first N and a random subset differ only in which images, never in how they are laid out. */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cb_dataset_free(cb_dataset *d)
{
    if (!d)
        return;
    free(d->pixels);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

/* keep[i] = 1 for k images of n drawn without replacement (partial Fisher-Yates). */
static uint8_t *draw(int64_t n, int64_t k, uint64_t seed)
{
    int64_t *perm = malloc((size_t)n * sizeof *perm);
    uint8_t *keep = calloc((size_t)n, 1);
    if (!perm || !keep) {
        free(perm);
        free(keep);
        return NULL;
    }
    cb_rng rng;
    cb_rng_seed(&rng, seed);
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    for (int64_t i = 0; i < k; i++) {
        int64_t j = i + (int64_t)cb_rng_below(&rng, (uint64_t)(n - i));
        int64_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        keep[perm[i]] = 1;
    }
    free(perm);
    return keep;
}

/* Copies the images whose flag equals `want` into dst (allocated here), in order. */
static int gather(const cb_dataset *src, const uint8_t *flag, uint8_t want, int64_t count,
                  cb_dataset *dst, cb_error *e)
{
    size_t img = (size_t)src->c * src->h * src->w;
    *dst = *src;
    dst->n = count;
    dst->pixels = malloc(count ? (size_t)count * img : 1);
    dst->labels = malloc(count ? (size_t)count * sizeof *dst->labels : 1);
    if (!dst->pixels || !dst->labels) {
        cb_dataset_free(dst);
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory for %lld images", (long long)count);
    }
    int64_t j = 0;
    for (int64_t i = 0; i < src->n; i++) {
        if ((flag ? flag[i] : (uint8_t)(i < count)) != want)
            continue;
        memcpy(dst->pixels + (size_t)j * img, src->pixels + (size_t)i * img, img);
        dst->labels[j++] = src->labels[i];
    }
    return CB_OK;
}

int cb_dataset_subset(cb_dataset *d, int64_t n, int random, uint64_t seed, cb_error *e)
{
    if (n <= 0 || n >= d->n)
        return CB_OK;
    uint8_t *keep = random ? draw(d->n, n, seed) : NULL;
    if (random && !keep)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory drawing a subset");
    cb_dataset out;
    int rc = gather(d, keep, 1, n, &out, e);
    free(keep);
    if (rc)
        return rc;
    cb_dataset_free(d);
    *d = out;
    return CB_OK;
}

int cb_dataset_split(cb_dataset *d, double frac, uint64_t seed, cb_dataset *val, cb_error *e)
{
    memset(val, 0, sizeof *val);
    int64_t k = frac > 0 ? (int64_t)llround(frac * (double)d->n) : 0;
    if (k <= 0)
        return CB_OK;
    if (k >= d->n)
        return cb_error_set(e, CB_EINVAL, "val_fraction",
                            "a validation fraction of %g leaves none of %lld images for training",
                            frac, (long long)d->n);
    uint8_t *pick = draw(d->n, k, seed);
    if (!pick)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory drawing a validation split");
    cb_dataset rest;
    int rc = gather(d, pick, 1, k, val, e);
    if (rc == CB_OK)
        rc = gather(d, pick, 0, d->n - k, &rest, e);
    free(pick);
    if (rc) {
        cb_dataset_free(val);
        return rc;
    }
    cb_dataset_free(d);
    *d = rest;
    return CB_OK;
}

void cb_dataset_stats(const cb_dataset *d, float mean[CB_DATA_MAX_CHANNELS],
                      float std[CB_DATA_MAX_CHANNELS])
{
    size_t plane = (size_t)d->h * d->w;
    for (int c = 0; c < CB_DATA_MAX_CHANNELS; c++) {
        mean[c] = 0.0f;
        std[c] = 1.0f;
    }
    for (int c = 0; c < d->c && c < CB_DATA_MAX_CHANNELS && d->n > 0; c++) {
        /* integer sums are exact, so the statistics do not depend on summation order */
        uint64_t s = 0, s2 = 0;
        for (int64_t i = 0; i < d->n; i++) {
            const uint8_t *p = d->pixels + ((size_t)i * d->c + c) * plane;
            for (size_t k = 0; k < plane; k++) {
                s += p[k];
                s2 += (uint64_t)p[k] * p[k];
            }
        }
        double cnt = (double)d->n * (double)plane, m = (double)s / cnt;
        double var = (double)s2 / cnt - m * m;
        mean[c] = (float)(m / 255.0);
        std[c] = var > 1e-12 ? (float)(sqrt(var) / 255.0) : 1.0f;
    }
}
