/* plugins/search/bananas/mutate.c: candidates for a round, by mutating the best told pairs
 * (naszilla's "mutation" candidate generation at mutation rate 1): each CNN decision changes
 * with probability 1/n (to another value; the result must be a candidate), or, for CNNs without
 * decisions, the CNN moves to one of its NEAR nearest neighbours in the embedding half of the
 * time; each accelerator axis steps to a neighbouring value with probability 1/n_axes. A child
 * equal to its parent is mutated again. Children already proposed, refused by the space or
 * repeated are dropped; a short round is topped up with random pairs. */
#include "bananas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEAR 10

/* The told pairs' indices, best performance first (ties: earlier first). */
static int best_told(const bn *b, long *idx, int max)
{
    int n = 0;
    for (size_t i = 0; i < b->asked.n; i++) {
        if (!b->told[i])
            continue;
        int at = n < max ? n++ : max;
        if (at == max && b->y[i] <= b->y[idx[max - 1]])
            continue;
        if (at == max)
            at = max - 1;
        while (at > 0 && b->y[idx[at - 1]] < b->y[i]) { /* insertion into the sorted top */
            idx[at] = idx[at - 1];
            at--;
        }
        idx[at] = (long)i;
    }
    return n;
}

/* One of the NEAR candidates nearest cnn in the embedding. */
static int64_t neighbour(bn *b, int64_t cnn)
{
    int64_t best[NEAR];
    double bd[NEAR];
    int n = 0, d = b->sk.dim_cnn;
    const float *e = b->sp->cnn_embed, *me = e + cnn * d;
    for (int64_t i = 0; i < b->sk.n_cnn; i++) {
        if (i == cnn)
            continue;
        double dist = 0;
        for (int j = 0; j < d; j++)
            dist += (e[i * d + j] - me[j]) * (e[i * d + j] - me[j]);
        int at = n < NEAR ? n++ : NEAR;
        if (at == NEAR && dist >= bd[NEAR - 1])
            continue;
        if (at == NEAR)
            at = NEAR - 1;
        while (at > 0 && bd[at - 1] > dist) {
            bd[at] = bd[at - 1], best[at] = best[at - 1];
            at--;
        }
        bd[at] = dist, best[at] = i;
    }
    return n ? best[cb_rng_below(&b->rng, (uint64_t)n)] : cnn;
}

static int64_t mutate_cnn(bn *b, int64_t cnn)
{
    if (b->n_dec == 0)
        return cb_rng_unit(&b->rng) < 0.5 ? neighbour(b, cnn) : cnn;
    int ch[64];
    for (int j = 0; j < b->n_dec; j++) {
        ch[j] = b->dec[cnn * b->n_dec + j];
        if (b->card[j] > 1 && cb_rng_unit(&b->rng) < 1.0 / b->n_dec) /* another value, uniformly */
            ch[j] = (ch[j] + 1 + (int)cb_rng_below(&b->rng, (uint64_t)b->card[j] - 1)) % b->card[j];
    }
    return bn_cnn_of(b, ch);
}

static void mutate_accel(bn *b, cb_pair *p)
{
    for (int a = 0; a < b->sk.n_axes; a++) {
        int n = b->sp->axes[a].n_values, i = cb_skit_axis_index(&b->sk, a, p->accel[a]);
        if (n < 2 || i < 0 || cb_rng_unit(&b->rng) >= 1.0 / b->sk.n_axes)
            continue;
        i += i == 0 ? 1 : i == n - 1 ? -1 : (cb_rng_u64(&b->rng) & 1 ? 1 : -1);
        p->accel[a] = b->sp->axes[a].values[i];
    }
}

/* A child of parent that differs from it; 0 when mutation keeps failing. */
static int child_of(bn *b, const cb_pair *parent, cb_pair *child)
{
    for (int t = 0; t < 16; t++) {
        *child = *parent;
        if (b->sk.n_cnn > 0) {
            child->cnn = mutate_cnn(b, parent->cnn);
            if (child->cnn < 0)
                continue; /* no candidate has these decisions */
        }
        mutate_accel(b, child);
        if (child->cnn != parent->cnn || memcmp(child->accel, parent->accel, sizeof child->accel))
            return 1;
    }
    return 0;
}

int bn_candidates(bn *b, cb_pair *out, int max)
{
    long top[64];
    int n_par = best_told(b, top, b->p.parents < 64 ? (int)b->p.parents : 64), n = 0;
    cb_pairset seen;
    cb_pairset_init(&seen);
    for (int t = 0; n_par > 0 && n < max && t < 20 * max; t++) {
        cb_pair c;
        if (!child_of(b, &b->asked.pairs[top[t % n_par]], &c) || !cb_skit_usable(&b->sk, &b->asked, &c) ||
            cb_pairset_find(&seen, &c) >= 0)
            continue;
        if (cb_pairset_add(&seen, &c) < 0)
            break;
        out[n++] = c;
    }
    while (n < max) { /* few mutations left: random pairs make up the round */
        cb_pair c;
        int ok = 0;
        for (int t = 0; t < 32 && !ok; t++)
            ok = cb_skit_random(&b->sk, &b->asked, &b->rng, &c) && cb_pairset_find(&seen, &c) < 0;
        if (!ok || cb_pairset_add(&seen, &c) < 0)
            break;
        out[n++] = c;
    }
    cb_pairset_free(&seen);
    return n;
}
