/* skit_pairset.c: an exact set of pairs in insertion order (what a search has proposed), with
 * open-addressing lookup and a state that reloads in the same order. */
#include <codebench/searchkit.h>

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

/* The level is not part of a pair's identity: it follows from the CNN (cb_space.cnn_level),
 * and a pair told back with its level must match the one proposed, however it was built. */
static uint64_t hash_pair(const cb_pair *p)
{
    uint64_t h = mix((uint64_t)p->cnn, (uint64_t)(uint32_t)p->n_accel << 32);
    for (int a = 0; a < p->n_accel && a < CB_ACCEL_MAX; a++) {
        uint64_t bits;
        double v = p->accel[a] == 0 ? 0.0 : p->accel[a]; /* -0 and 0 are one value */
        memcpy(&bits, &v, sizeof bits);
        h = mix(h, bits);
    }
    return h;
}

static int same(const cb_pair *a, const cb_pair *b)
{
    if (a->cnn != b->cnn || a->n_accel != b->n_accel)
        return 0;
    for (int i = 0; i < a->n_accel && i < CB_ACCEL_MAX; i++)
        if (a->accel[i] != b->accel[i])
            return 0;
    return 1;
}

void cb_pairset_init(cb_pairset *s)
{
    memset(s, 0, sizeof *s);
}

void cb_pairset_free(cb_pairset *s)
{
    free(s->pairs);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

long cb_pairset_find(const cb_pairset *s, const cb_pair *p)
{
    if (!s || !s->n_slots)
        return -1;
    size_t mask = s->n_slots - 1, j = (size_t)hash_pair(p) & mask;
    for (; s->slots[j]; j = (j + 1) & mask)
        if (same(&s->pairs[s->slots[j] - 1], p))
            return (long)s->slots[j] - 1;
    return -1;
}

static void place(cb_pairset *s, size_t index)
{
    size_t mask = s->n_slots - 1, j = (size_t)hash_pair(&s->pairs[index]) & mask;
    while (s->slots[j])
        j = (j + 1) & mask;
    s->slots[j] = (uint32_t)index + 1;
}

static int grow(cb_pairset *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        cb_pair *np = realloc(s->pairs, cap * sizeof *np);
        if (!np)
            return CB_EFAIL;
        s->pairs = np;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->n_slots) {
        size_t ns = s->n_slots ? s->n_slots * 2 : 128;
        uint32_t *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return CB_EFAIL;
        free(s->slots);
        s->slots = sl;
        s->n_slots = ns;
        for (size_t i = 0; i < s->n; i++)
            place(s, i);
    }
    return CB_OK;
}

long cb_pairset_add(cb_pairset *s, const cb_pair *p)
{
    long at = cb_pairset_find(s, p);
    if (at >= 0)
        return at;
    if (s->n >= UINT32_MAX - 1 || grow(s))
        return -1;
    cb_pair *q = &s->pairs[s->n];
    memset(q, 0, sizeof *q);
    q->cnn = p->cnn;
    q->level = p->level;
    q->n_accel = p->n_accel < 0 ? 0 : p->n_accel > CB_ACCEL_MAX ? CB_ACCEL_MAX : p->n_accel;
    memcpy(q->accel, p->accel, (size_t)q->n_accel * sizeof *q->accel);
    place(s, s->n);
    return (long)s->n++;
}

void cb_pairset_save(const cb_pairset *s, cb_state_writer *w)
{
    cb_sw_tag(w, "pairs");
    cb_sw_u64(w, s->n);
    cb_sw_bytes(w, s->pairs, s->n * sizeof *s->pairs);
}

void cb_pairset_load(cb_pairset *s, cb_state_reader *r)
{
    cb_sr_tag(r, "pairs");
    uint64_t n = cb_sr_count(r, (r->len - r->off) / sizeof(cb_pair));
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        cb_pair p;
        cb_sr_bytes(r, &p, sizeof p);
        if (r->bad)
            break;
        if (p.n_accel < 0 || p.n_accel > CB_ACCEL_MAX || cb_pairset_find(s, &p) >= 0)
            cb_sr_fail(r, "the saved pairs are damaged or repeated");
        else if (cb_pairset_add(s, &p) < 0)
            cb_sr_fail(r, "out of memory");
    }
}
