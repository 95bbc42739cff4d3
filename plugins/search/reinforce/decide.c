/* plugins/search/reinforce/decide.c: a pair as categorical decisions and back. The CNN side is
 * the space's per-candidate decisions (cb_space.cnn_dec) when it has them, else one decision
 * (the candidate's index); a table maps a decision vector back to its candidate, since a
 * sampled vector may name no candidate (a cell the benchmark does not hold). The accelerator
 * side is each value's position on its axis. */
#include "rl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_choices(const int *c, int n)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (int i = 0; i < n; i++) {
        h ^= (uint64_t)(uint32_t)c[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
    }
    return h;
}

void rl_cnn_choices(const rl *s, int64_t cnn, int *choices)
{
    if (!s->cnn_dec) {
        choices[0] = (int)cnn;
        return;
    }
    for (int j = 0; j < s->n_cnn_dec; j++)
        choices[j] = s->cnn_dec[cnn * s->n_cnn_dec + j];
}

static int same_row(const rl *s, int64_t cnn, const int *choices)
{
    for (int j = 0; j < s->n_cnn_dec; j++)
        if (s->cnn_dec[cnn * s->n_cnn_dec + j] != choices[j])
            return 0;
    return 1;
}

int64_t rl_cnn_of(const rl *s, const int *choices)
{
    if (!s->cnn_dec)
        return choices[0];
    size_t mask = s->n_lookup - 1, j = (size_t)hash_choices(choices, s->n_cnn_dec) & mask;
    for (; s->lookup[j]; j = (j + 1) & mask)
        if (same_row(s, s->lookup[j] - 1, choices))
            return s->lookup[j] - 1;
    return -1;
}

void rl_hw_choices(const rl *s, const cb_pair *p, int *choices)
{
    for (int a = 0; a < s->sk.n_axes; a++)
        choices[a] = cb_skit_axis_index(&s->sk, a, p->accel[a]);
}

/* The space's decisions, checked; candidates sharing a decision vector keep the first. */
static int from_space(rl *s, char *why, size_t len)
{
    const cb_space *sp = s->sp;
    s->n_cnn_dec = sp->n_dec;
    s->cnn_dec = sp->cnn_dec;
    s->cnn_card = malloc((size_t)sp->n_dec * sizeof *s->cnn_card);
    s->n_lookup = 1;
    while (s->n_lookup < (size_t)sp->n_cnn * 2)
        s->n_lookup *= 2;
    s->lookup = calloc(s->n_lookup, sizeof *s->lookup);
    if (!s->cnn_card || !s->lookup) {
        snprintf(why, len, "out of memory");
        return CB_EFAIL;
    }
    for (int j = 0; j < sp->n_dec; j++) {
        s->cnn_card[j] = sp->dec_card ? sp->dec_card[j] : 0;
        if (s->cnn_card[j] < 1) {
            snprintf(why, len, "CNN decision %d has %d choices", j, s->cnn_card[j]);
            return CB_EINVAL;
        }
    }
    for (int64_t i = 0; i < sp->n_cnn; i++) {
        const int32_t *row = sp->cnn_dec + i * sp->n_dec;
        for (int j = 0; j < sp->n_dec; j++)
            if (row[j] < 0 || row[j] >= s->cnn_card[j]) {
                snprintf(why, len, "CNN %lld: decision %d is %d, outside 0..%d", (long long)i, j, row[j], s->cnn_card[j] - 1);
                return CB_EINVAL;
            }
        if (rl_cnn_of(s, row) >= 0)
            continue;
        size_t mask = s->n_lookup - 1, k = (size_t)hash_choices(row, sp->n_dec) & mask;
        while (s->lookup[k])
            k = (k + 1) & mask;
        s->lookup[k] = i + 1;
    }
    return CB_OK;
}

int rl_decide_init(rl *s, char *why, size_t len)
{
    const cb_space *sp = s->sp;
    if (sp->n_cnn <= 0)
        return CB_OK;
    if (CB_SPACE_HAS(sp, cnn_dec) && sp->n_dec > 0 && sp->cnn_dec)
        return from_space(s, why, len);
    if (sp->n_cnn > 1000000) {
        snprintf(why, len, "%lld CNNs without decisions: too many to choose among as one decision",
                 (long long)sp->n_cnn);
        return CB_EINVAL;
    }
    s->n_cnn_dec = 1; /* no decisions: the candidate's index is the one choice */
    s->cnn_card = malloc(sizeof *s->cnn_card);
    if (!s->cnn_card)
        return CB_EFAIL;
    s->cnn_card[0] = (int)sp->n_cnn;
    return CB_OK;
}

void rl_decide_free(rl *s)
{
    free(s->cnn_card);
    free(s->lookup);
    s->cnn_card = NULL;
    s->lookup = NULL;
}
