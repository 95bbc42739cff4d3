/* core/sim/sim_cache.c: per-layer results kept across simulations.
 *
 * A layer's result (sim_layer.c) depends on its workload (batch included), where its tensors
 * sit, the unrolling and buffer sizes, the operand densities, the MAC lane's model and the
 * memory plugin instance and its model, and on nothing else; all of that is the key, so a
 * search that changes one buffer size or the batch re-simulates only the layers it changes.
 * Open addressing with linear probing; when the table is full it starts over. */
#include "sim/sim_internal.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define KEY_WORDS 48
#define MAX_SLOTS (1u << 14) /* about 8 MB of results */

typedef struct slot {
    uint64_t key[KEY_WORDS];
    sim_layer_res val;
    bool used;
} slot;

struct sim_cache {
    slot *slots;
    size_t cap, used;
};

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static uint64_t ptr(const void *p) { return (uint64_t)(uintptr_t)p; }

static void make_key(const sim_ctx *ctx, const cb_workload *w, sim_place pl, uint64_t *k)
{
    const cb_accel_vec *v = ctx->v;
    const cb_mem_model *m = &ctx->mem;
    const cb_mac_model *mac = &ctx->mac;
    int64_t pw = w->size > offsetof(cb_workload, pw_of) ? w->pw_of : 0;
    const uint64_t words[] = {
        (uint64_t)w->kind, (uint64_t)w->n_ib, (uint64_t)w->n_if, (uint64_t)w->n_ix,
        (uint64_t)w->n_iy, (uint64_t)w->n_of, (uint64_t)w->n_kx, (uint64_t)w->n_ky,
        (uint64_t)w->groups, (uint64_t)w->n_kz, (uint64_t)w->out_d, (uint64_t)w->stride,
        (uint64_t)w->activation, (uint64_t)w->batchnorm, (uint64_t)w->in_elems,
        (uint64_t)w->out_elems, (uint64_t)w->weight_elems, (uint64_t)w->elements,
        (uint64_t)w->window, (uint64_t)pw, (uint64_t)pl.in_resident | (uint64_t)pl.out_resident << 1,
        (uint64_t)v->p_ib, (uint64_t)v->p_if, (uint64_t)v->p_ix, (uint64_t)v->p_iy,
        (uint64_t)v->p_of, (uint64_t)v->p_kx, (uint64_t)v->p_ky, bits(v->act_mb), bits(v->wgt_mb),
        bits(v->mask_mb), bits(ctx->opts.act_density), bits(ctx->opts.wgt_density),
        ptr(ctx->parts->mac), ptr(ctx->parts->mac_self), (uint64_t)ctx->act_mask,
        (uint64_t)mac->stages, bits(mac->dyn_mw), bits(mac->clock_mhz), ptr(ctx->parts->mem),
        ptr(ctx->parts->mem_self), bits(m->peak_gbps), bits(m->latency_ns), bits(m->rd_pj_per_bit),
        bits(m->wr_pj_per_bit), (uint64_t)m->banks << 32 | (uint64_t)m->ranks,
        (uint64_t)m->channels << 32 | (uint64_t)m->burst_bytes, bits(m->leak_mw)};
    _Static_assert(sizeof words / sizeof words[0] == KEY_WORDS, "cache key size");
    memcpy(k, words, sizeof words);
}

static uint64_t hash(const uint64_t *k)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a over the words */
    for (int i = 0; i < KEY_WORDS; i++) {
        h ^= k[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

sim_cache *cb_sim_cache_new(void)
{
    sim_cache *c = cb_xcalloc(1, sizeof *c);
    c->cap = 1024;
    c->slots = cb_xcalloc(c->cap, sizeof *c->slots);
    return c;
}

void cb_sim_cache_free(sim_cache *c)
{
    if (!c)
        return;
    free(c->slots);
    free(c);
}

void cb_sim_cache_clear(sim_cache *c)
{
    memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->used = 0;
}

static slot *find(sim_cache *c, const uint64_t *k)
{
    size_t i = hash(k) & (c->cap - 1);
    while (c->slots[i].used && memcmp(c->slots[i].key, k, sizeof c->slots[i].key) != 0)
        i = (i + 1) & (c->cap - 1);
    return &c->slots[i];
}

bool cb_sim_cache_get(sim_cache *c, const sim_ctx *ctx, const cb_workload *w, sim_place pl,
                      sim_layer_res *out)
{
    uint64_t k[KEY_WORDS];
    make_key(ctx, w, pl, k);
    slot *s = find(c, k);
    if (!s->used)
        return false;
    *out = s->val;
    return true;
}

/* Doubles the table (rehashing) up to MAX_SLOTS; beyond it, forgets everything. */
static void grow(sim_cache *c)
{
    if (c->cap >= MAX_SLOTS) {
        cb_sim_cache_clear(c);
        return;
    }
    slot *old = c->slots;
    size_t n = c->cap;
    c->cap *= 2;
    c->slots = cb_xcalloc(c->cap, sizeof *c->slots);
    for (size_t i = 0; i < n; i++)
        if (old[i].used)
            *find(c, old[i].key) = old[i];
    free(old);
}

void cb_sim_cache_put(sim_cache *c, const sim_ctx *ctx, const cb_workload *w, sim_place pl,
                      const sim_layer_res *r)
{
    if ((c->used + 1) * 10 > c->cap * 7)
        grow(c);
    uint64_t k[KEY_WORDS];
    make_key(ctx, w, pl, k);
    slot *s = find(c, k);
    if (!s->used)
        c->used++;
    memcpy(s->key, k, sizeof k);
    s->val = *r;
    s->used = true;
}
