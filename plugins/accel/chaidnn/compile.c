/* plugins/accel/chaidnn/compile.c: a CNN compiled for the greedy scheduler.
 *
 * Free nodes (views, concatenations) are dropped and their consumers wait on what they wait
 * on. The remaining operations are cut at barriers: an operation that every earlier one feeds
 * and every later one depends on. Nothing overlaps a barrier, so the schedule of a CNN is the
 * sum of the schedules of its segments, each started with idle engines; that is exact for the
 * greedy scheduler, and it lets equal segments (the stem, the repeated cells of a stack) be
 * stored once and counted. Predecessors implied by others are dropped (transitive reduction),
 * which does not change a schedule and shortens it. */
#include "chaidnn.h"

#include <stdlib.h>
#include <string.h>

static int grow(void *arr, size_t elem, size_t need, size_t *cap)
{
    if (need <= *cap)
        return CB_OK;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*(void **)arr, n * elem);
    if (!p)
        return CB_EFAIL;
    *(void **)arr = p;
    *cap = n;
    return CB_OK;
}

typedef struct bits {
    size_t words;
    uint64_t *w;              /* rows of `words` words */
} bits;

static uint64_t *row(const bits *b, size_t i)
{
    return b->w + i * b->words;
}

static int has(const uint64_t *r, size_t i)
{
    return (int)(r[i / 64] >> (i % 64) & 1);
}

/* The per-CNN working state. */
typedef struct work {
    int32_t n, m;             /* nodes; operations (non-free nodes) */
    int32_t *type;            /* per node: type or CH_FREE */
    int32_t *rank;            /* per node: its operation index, or -1 */
    int32_t *node_of;         /* per operation: its node */
    bits dep, anc;            /* per node: the operations it waits on; per operation: ancestors */
} work;

static void work_free(work *w)
{
    free(w->type);
    free(w->rank);
    free(w->node_of);
    free(w->dep.w);
    free(w->anc.w);
}

static int work_init(work *w, ch_types *t, const cb_graph *g, cb_error *e)
{
    memset(w, 0, sizeof *w);
    w->n = g->n_nodes;
    w->type = malloc((size_t)w->n * sizeof *w->type);
    w->rank = malloc((size_t)w->n * sizeof *w->rank);
    w->node_of = malloc((size_t)w->n * sizeof *w->node_of);
    if (!w->type || !w->rank || !w->node_of)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (int32_t v = 0; v < w->n; v++) {
        if (ch_classify(t, g, v, &w->type[v], e) != CB_OK)
            return CB_EINVAL;
        w->rank[v] = w->type[v] == CH_FREE ? -1 : w->m;
        if (w->type[v] != CH_FREE)
            w->node_of[w->m++] = v;
    }
    w->dep.words = w->anc.words = ((size_t)w->m + 63) / 64;
    w->dep.w = calloc((size_t)w->n * w->dep.words + 1, sizeof(uint64_t));
    w->anc.w = calloc((size_t)w->m * w->anc.words + 1, sizeof(uint64_t));
    if (!w->dep.w || !w->anc.w)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    return CB_OK;
}

/* ORs row src into dst. */
static void or_row(uint64_t *dst, const uint64_t *src, size_t words)
{
    for (size_t k = 0; k < words; k++)
        dst[k] |= src[k];
}

/* dep(v) = union over inputs u of {u} for an operation, dep(u) for a free node; then each
 * operation's ancestors (its deps and their ancestors), and its deps reduced to those no other
 * dep implies. */
static void dependencies(work *w, const cb_graph *g, uint64_t *implied)
{
    size_t nw = w->dep.words;
    for (int32_t v = 0; v < w->n; v++) {
        uint64_t *d = row(&w->dep, (size_t)v);
        for (int i = 0; i < g->nodes[v].n_in; i++) {
            int32_t u = g->nodes[v].in[i];
            if (u == CB_NET_INPUT)
                continue;
            if (w->rank[u] >= 0)
                d[w->rank[u] / 64] |= 1ull << (w->rank[u] % 64);
            else
                or_row(d, row(&w->dep, (size_t)u), nw);
        }
    }
    for (int32_t o = 0; o < w->m; o++) {
        uint64_t *d = row(&w->dep, (size_t)w->node_of[o]), *a = row(&w->anc, (size_t)o);
        memset(implied, 0, nw * sizeof *implied);
        for (size_t k = 0; k < nw; k++)
            for (uint64_t x = d[k]; x; x &= x - 1)
                or_row(implied, row(&w->anc, k * 64 + (size_t)__builtin_ctzll(x)), nw);
        for (size_t k = 0; k < nw; k++) {
            a[k] = implied[k] | d[k];
            d[k] &= ~implied[k];
        }
    }
}

/* Operation o is a barrier when all o earlier operations are its ancestors and all later ones
 * its descendants. */
static void barriers(const work *w, uint8_t *is_barrier)
{
    int32_t *desc = calloc((size_t)w->m + 1, sizeof *desc);
    for (int32_t o = 0; o < w->m && desc; o++)
        for (size_t k = 0; k < w->anc.words; k++)
            for (uint64_t x = row(&w->anc, (size_t)o)[k]; x; x &= x - 1)
                desc[k * 64 + (size_t)__builtin_ctzll(x)]++;
    for (int32_t o = 0; o < w->m; o++) {
        int32_t anc = 0;
        for (size_t k = 0; k < w->anc.words; k++)
            anc += __builtin_popcountll(row(&w->anc, (size_t)o)[k]);
        is_barrier[o] = desc && anc == o && desc[o] == w->m - 1 - o;
    }
    free(desc);
}

static uint64_t seg_hash(const ch_store *s, size_t op0, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ n;
    const uint16_t *w = (const uint16_t *)(s->ops + op0);
    for (size_t i = 0; i < n * (sizeof(ch_op) / sizeof *w); i++)
        h = (h ^ w[i]) * 1099511628211ull;
    return h;
}

static int reslot(ch_store *s)
{
    size_t n = s->n_slots ? 2 * s->n_slots : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return CB_EFAIL;
    for (size_t i = 0; i < s->n_seg; i++) {
        size_t j = seg_hash(s, s->seg_op0[i], s->seg_n[i]) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(s->slots);
    s->slots = slots;
    s->n_slots = n;
    return CB_OK;
}

/* The segment just written at ops [op0, n_ops): an equal stored one (the new ops are then
 * dropped), or it becomes a new segment. Returns its index, or -1 without memory. */
static int64_t intern_segment(ch_store *s, size_t op0)
{
    size_t n = s->n_ops - op0;
    uint64_t h = seg_hash(s, op0, n);
    for (size_t j = s->n_slots ? h & (s->n_slots - 1) : 0; s->n_slots && s->slots[j];
         j = (j + 1) & (s->n_slots - 1)) {
        size_t i = s->slots[j] - 1;
        if (s->seg_n[i] == n && !memcmp(s->ops + s->seg_op0[i], s->ops + op0, n * sizeof *s->ops)) {
            s->n_ops = op0;
            return (int64_t)i;
        }
    }
    size_t cap = s->cap_seg;
    if (grow(&s->seg_op0, sizeof *s->seg_op0, s->n_seg + 1, &cap) ||
        grow(&s->seg_n, sizeof *s->seg_n, s->n_seg + 1, &s->cap_seg))
        return -1;
    s->seg_op0[s->n_seg] = (uint32_t)op0;
    s->seg_n[s->n_seg] = (uint32_t)n;
    s->n_seg++;
    if (2 * s->n_seg > s->n_slots)
        return reslot(s) == CB_OK ? (int64_t)s->n_seg - 1 : -1;
    size_t j = h & (s->n_slots - 1);
    while (s->slots[j])
        j = (j + 1) & (s->n_slots - 1);
    s->slots[j] = (uint32_t)s->n_seg;
    return (int64_t)s->n_seg - 1;
}

/* Appends one op of `type` waiting on the local slots in preds[0..n) (1-based); more than
 * CH_PREDS of them are first folded by join ops. Returns the op's slot, or 0 without room. */
static uint16_t emit_op(ch_store *s, size_t op0, uint16_t type, uint16_t *preds, int n)
{
    while (n > CH_PREDS) { /* fold the first CH_PREDS into a join, which takes their place */
        uint16_t j = emit_op(s, op0, CH_JOIN, preds, CH_PREDS);
        if (!j)
            return 0;
        preds[0] = j;
        memmove(preds + 1, preds + CH_PREDS, (size_t)(n - CH_PREDS) * sizeof *preds);
        n -= CH_PREDS - 1;
    }
    if (s->n_ops - op0 >= UINT16_MAX - 1 ||
        grow(&s->ops, sizeof *s->ops, s->n_ops + 1, &s->cap_ops))
        return 0;
    ch_op *op = &s->ops[s->n_ops++];
    memset(op, 0, sizeof *op);
    op->type = type;
    memcpy(op->pred, preds, (size_t)n * sizeof *preds);
    return (uint16_t)(s->n_ops - op0);
}

/* Writes operations [a, b) as one segment; returns its index or -1. */
static int64_t emit_segment(ch_store *s, const work *w, int32_t a, int32_t b, uint16_t *slot,
                            uint16_t *preds)
{
    size_t op0 = s->n_ops;
    for (int32_t o = a; o < b; o++) {
        const uint64_t *d = row(&w->dep, (size_t)w->node_of[o]);
        int n = 0;
        for (int32_t p = a; p < o; p++)
            if (has(d, (size_t)p))
                preds[n++] = slot[p - a];
        slot[o - a] = emit_op(s, op0, (uint16_t)w->type[w->node_of[o]], preds, n);
        if (!slot[o - a])
            return -1;
    }
    return intern_segment(s, op0);
}

static int add_use(ch_store *s, size_t first, int64_t seg)
{
    for (size_t i = first; i < s->n_uses; i++)
        if (s->uses[i].seg == (uint32_t)seg) {
            s->uses[i].count++;
            return CB_OK;
        }
    if (grow(&s->uses, sizeof *s->uses, s->n_uses + 1, &s->cap_uses))
        return CB_EFAIL;
    s->uses[s->n_uses++] = (ch_use){(uint32_t)seg, 1};
    return CB_OK;
}

static int64_t emit_program(ch_store *s, const work *w, const uint8_t *is_barrier, size_t n_types)
{
    size_t first = s->n_uses;
    int32_t start = 0;
    uint16_t *slot = malloc(((size_t)w->m + 1) * sizeof *slot);
    uint16_t *preds = malloc(((size_t)w->m + 1) * sizeof *preds);
    int ok = slot && preds;
    for (int32_t o = 0; o < w->m && ok; o++) {
        if (!is_barrier[o] && o != w->m - 1)
            continue;
        int64_t seg = emit_segment(s, w, start, o + 1, slot, preds);
        ok = seg >= 0 && add_use(s, first, seg) == CB_OK;
        start = o + 1;
    }
    free(slot);
    free(preds);
    if (!ok || grow(&s->prog, sizeof *s->prog, s->n_prog + 1, &s->cap_prog))
        return -1;
    s->prog[s->n_prog] = (ch_prog){(uint32_t)first, (uint32_t)(s->n_uses - first), (uint32_t)n_types};
    return (int64_t)s->n_prog++;
}

int64_t ch_compile(ch_store *s, ch_types *t, const cb_graph *g, cb_error *e)
{
    work w;
    int64_t h = -1;
    if (work_init(&w, t, g, e) == CB_OK) {
        uint8_t *is_barrier = malloc((size_t)w.m + 1);
        uint64_t *implied = malloc((w.dep.words + 1) * sizeof *implied);
        if (is_barrier && implied) {
            dependencies(&w, g, implied);
            barriers(&w, is_barrier);
            h = emit_program(s, &w, is_barrier, t->n);
        }
        if (h < 0)
            cb_error_set(e, CB_EFAIL, NULL, "out of memory compiling %s",
                         g->name ? g->name : "a CNN");
        free(is_barrier);
        free(implied);
    }
    work_free(&w);
    return h;
}

void ch_store_clear(ch_store *s)
{
    s->n_ops = s->n_seg = s->n_uses = s->n_prog = 0;
    if (s->slots)
        memset(s->slots, 0, s->n_slots * sizeof *s->slots);
}

void ch_store_free(ch_store *s)
{
    free(s->ops);
    free(s->seg_op0);
    free(s->seg_n);
    free(s->slots);
    free(s->uses);
    free(s->prog);
    memset(s, 0, sizeof *s);
}
