/* plugins/search/bananas/features.c: the predictor's input for a pair. The CNN part is the
 * space's feature vector (cb_space.cnn_feat, e.g. a path encoding) when it has one, else the
 * one-hot code of its decisions, else its embedding; the accelerator part is each value's
 * position on its axis in [0, 1]. Also the decision-vector table mutations use. */
#include "bananas.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_choices(const int32_t *c, int n)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)(uint32_t)c[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }
    return h;
}

int64_t bn_cnn_of(const bn *b, const int *choices)
{
    int32_t c[64];
    if (b->n_dec > 64 || !b->lookup)
        return -1;
    for (int j = 0; j < b->n_dec; j++)
        c[j] = choices[j];
    size_t mask = b->n_lookup - 1, k = (size_t)hash_choices(c, b->n_dec) & mask;
    for (; b->lookup[k]; k = (k + 1) & mask)
        if (!memcmp(b->dec + (b->lookup[k] - 1) * b->n_dec, c, (size_t)b->n_dec * sizeof *c))
            return b->lookup[k] - 1;
    return -1;
}

static int build_lookup(bn *b)
{
    b->n_lookup = 1;
    while (b->n_lookup < (size_t)b->sk.n_cnn * 2)
        b->n_lookup *= 2;
    b->lookup = calloc(b->n_lookup, sizeof *b->lookup);
    if (!b->lookup)
        return CB_EFAIL;
    for (int64_t i = 0; i < b->sk.n_cnn; i++) {
        const int32_t *row = b->dec + i * b->n_dec;
        size_t mask = b->n_lookup - 1, k = (size_t)hash_choices(row, b->n_dec) & mask;
        int dup = 0;
        for (; b->lookup[k]; k = (k + 1) & mask)
            dup |= !memcmp(b->dec + (b->lookup[k] - 1) * b->n_dec, row, (size_t)b->n_dec * sizeof *row);
        if (!dup)
            b->lookup[k] = i + 1;
    }
    return CB_OK;
}

int bn_features_init(bn *b, char *why, size_t len)
{
    const cb_space *sp = b->sp;
    int cnn_dim = 0;
    b->cnn_kind = BN_EMBED;
    if (sp->n_cnn > 0 && CB_SPACE_HAS(sp, cnn_dec) && sp->n_dec > 0 && sp->n_dec <= 64 && sp->cnn_dec && sp->dec_card) {
        b->n_dec = sp->n_dec;
        b->dec = sp->cnn_dec;
        b->card = sp->dec_card;
        for (int j = 0; j < b->n_dec; j++) {
            if (b->card[j] < 1) {
                snprintf(why, len, "CNN decision %d has %d choices", j, b->card[j]);
                return CB_EINVAL;
            }
            cnn_dim += b->card[j];
        }
        b->cnn_kind = BN_DEC;
        if (build_lookup(b)) {
            snprintf(why, len, "out of memory");
            return CB_EFAIL;
        }
    }
    if (sp->n_cnn > 0 && CB_SPACE_HAS(sp, cnn_feat) && sp->dim_feat > 0 && sp->cnn_feat) {
        b->cnn_kind = BN_FEAT;
        cnn_dim = sp->dim_feat;
    } else if (b->cnn_kind == BN_EMBED) {
        cnn_dim = b->sk.dim_cnn;
    }
    b->dim = cnn_dim + b->sk.n_axes;
    return CB_OK;
}

void bn_features_free(bn *b)
{
    free(b->lookup);
    b->lookup = NULL;
}

void bn_features(const bn *b, const cb_pair *p, float *x)
{
    int at = 0;
    if (b->sk.n_cnn > 0) {
        if (b->cnn_kind == BN_FEAT) {
            memcpy(x, b->sp->cnn_feat + p->cnn * b->sp->dim_feat, (size_t)b->sp->dim_feat * sizeof *x);
            at = b->sp->dim_feat;
        } else if (b->cnn_kind == BN_DEC) {
            for (int j = 0; j < b->n_dec; j++) {
                for (int v = 0; v < b->card[j]; v++)
                    x[at + v] = b->dec[p->cnn * b->n_dec + j] == v;
                at += b->card[j];
            }
        } else {
            memcpy(x, b->sp->cnn_embed + p->cnn * b->sk.dim_cnn, (size_t)b->sk.dim_cnn * sizeof *x);
            at = b->sk.dim_cnn;
        }
    }
    for (int a = 0; a < b->sk.n_axes; a++) {
        int n = b->sp->axes[a].n_values, i = cb_skit_axis_index(&b->sk, a, p->accel[a]);
        x[at + a] = n > 1 && i >= 0 ? (float)i / (float)(n - 1) : 0.0f;
    }
}
