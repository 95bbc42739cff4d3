/* plugins/accel/chaidnn/optypes.c: operation types, the rows of the latency table. A node's
 * type is read from its op's workload (codebench/op.h), never from the op's name: the shape
 * and kernel of a convolution, the window of a pooling, the inputs of an element-wise pass.
 * Nodes that move no data through an engine (views, and concatenations, which CHaiDNN makes
 * by writing each input at its channel offset) are free. Convolutions over a 1x1 map with a
 * 1x1 kernel are fully connected layers, which CHaiDNN leaves to the host CPU, as it does
 * resampling. Equal types are found in O(1) by hashing the type's bytes. */
#include "chaidnn.h"

#include <stdlib.h>
#include <string.h>

/* The type's 64-bit fields mixed word by word (FNV-1a's constants, a word at a time). */
static uint64_t hash_type(const ch_optype *t)
{
    uint64_t w[sizeof *t / sizeof(uint64_t)], h = 1469598103934665603ull;
    memcpy(w, t, sizeof w);
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        h = (h ^ w[i]) * 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static void put(ch_types *t, size_t i)
{
    size_t j = hash_type(&t->v[i]) & (t->n_slots - 1);
    while (t->slots[j])
        j = (j + 1) & (t->n_slots - 1);
    t->slots[j] = (uint32_t)i + 1;
}

static int rehash(ch_types *t, size_t n_slots)
{
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return CB_EFAIL;
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    for (size_t i = 0; i < t->n; i++)
        put(t, i);
    return CB_OK;
}

/* Index of ty in t, added when absent; -1 when memory runs out or the table is full (the
 * compiled schedules store types in 16 bits). */
static int32_t intern(ch_types *t, const ch_optype *ty)
{
    if (t->n_slots) {
        size_t j = hash_type(ty) & (t->n_slots - 1);
        for (; t->slots[j]; j = (j + 1) & (t->n_slots - 1))
            if (memcmp(&t->v[t->slots[j] - 1], ty, sizeof *ty) == 0)
                return (int32_t)t->slots[j] - 1;
    }
    if (t->n >= UINT16_MAX)
        return -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        ch_optype *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = *ty;
    if (2 * t->n > t->n_slots)
        return rehash(t, t->n_slots ? 2 * t->n_slots : 256) == CB_OK ? (int32_t)t->n - 1 : -1;
    put(t, t->n - 1);
    return (int32_t)t->n - 1;
}

void ch_types_free(ch_types *t)
{
    free(t->v);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static void conv_type(const cb_workload *w, const cb_shape *in, const cb_shape *out, ch_optype *t)
{
    int is_fc = w->n_ix == 1 && w->n_iy == 1 && w->n_kx == 1 && w->n_ky == 1 && in->h == 1 &&
                in->w == 1;
    t->kind = is_fc ? CH_T_FC : CH_T_CONV;
    t->k = w->n_kx > w->n_ky ? w->n_kx : w->n_ky;
    t->stride = w->stride > 0 ? w->stride : 1;
    t->groups = w->groups > 0 ? w->groups : 1;
    t->cin = w->n_if;
    t->cout = w->n_of;
    t->hin = in->h;
    t->win = in->w;
    t->hout = w->n_iy;
    t->wout = w->n_ix;
    t->window = (w->n_kz > 0 ? w->n_kz : 1) * (w->out_d > 0 ? w->out_d : 1); /* 3-D: depth work */
    t->pw_of = w->size >= offsetof(cb_workload, pw_of) + sizeof w->pw_of ? w->pw_of : 0;
    t->work = w->n_ib * w->n_if * w->n_ix * w->n_iy * w->n_of * w->n_kx * w->n_ky * t->groups *
              t->window;
    (void)out;
}

static void pass_type(int64_t kind, const cb_workload *w, const cb_shape *out, ch_optype *t)
{
    t->kind = kind;
    t->cout = out->c;
    t->hout = out->h * out->d;
    t->wout = out->w;
    t->window = w->window > 0 ? w->window : 1;
    t->n_in = w->window > 0 ? w->window : 1;
    t->in_elems = w->in_elems;
    t->out_elems = w->out_elems;
    t->work = w->elements * t->window;
}

static int type_of(const cb_workload *w, const cb_shape *in, const cb_shape *out, ch_optype *t,
                   cb_error *e)
{
    memset(t, 0, sizeof *t);
    switch (w->kind) {
    case CB_WL_NONE:
    case CB_WL_CONCAT:
        return CH_FREE;
    case CB_WL_CONV: conv_type(w, in, out, t); return CB_OK;
    case CB_WL_POOL: pass_type(CH_T_POOL, w, out, t); return CB_OK;
    case CB_WL_ELEMWISE:
    case CB_WL_NORM: pass_type(CH_T_ELTWISE, w, out, t); return CB_OK;
    case CB_WL_RESAMPLE: pass_type(CH_T_HOST, w, out, t); return CB_OK;
    default:
        return cb_error_set(e, CB_EINVAL, NULL, "workload kind %d is unknown to this model", w->kind);
    }
}

int ch_classify(ch_types *t, const cb_graph *g, int v, int32_t *type, cb_error *e)
{
    const cb_node *n = &g->nodes[v];
    cb_shape in[8];
    if (n->n_in < 1 || n->n_in > 8)
        return cb_error_set(e, CB_EINVAL, NULL, "node %d (%s) has %d inputs; this model takes 1..8",
                            v, n->op, (int)n->n_in);
    for (int i = 0; i < n->n_in; i++)
        in[i] = n->in[i] == CB_NET_INPUT ? g->input : g->nodes[n->in[i]].out;
    cb_workload w;
    memset(&w, 0, sizeof w);
    if (n->vt->workload(n->attrs, n->n_in, in, &n->out, &w, e) != CB_OK)
        return CB_EINVAL;
    ch_optype ty;
    int rc = type_of(&w, &in[0], &n->out, &ty, e);
    if (rc == CH_FREE) {
        *type = CH_FREE;
        return CB_OK;
    }
    if (rc != CB_OK)
        return rc;
    *type = intern(t, &ty);
    if (*type < 0)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory, or more than %d operation types",
                            UINT16_MAX - 1);
    return CB_OK;
}
