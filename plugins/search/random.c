/* plugins/search/random.c: uniform random search over the joint space (or one side of it),
 * without repeats.
 *
 * A pair is a point of a finite grid: the CNN index and one value index per accelerator axis.
 * Proposals are drawn uniformly from that grid with a seeded generator, skipping pairs already
 * asked (pending or told) and pairs the space rejects (space->valid). When rejection keeps
 * failing (the space is nearly used up), the free valid pairs of the grid are enumerated and one
 * is chosen uniformly instead, so a small space ends cleanly with *n_out = 0. The state (generator
 * and the set of asked pairs) is saved whole, so a resumed search proposes what an uninterrupted
 * one would. */
#include <codebench/codebench.h>
#include <stdlib.h>
#include <string.h>

#define RANDOM_PARAMS(P) \
    P(INT, max_tries, "1000", 1, 1000000, NULL, "", "random draws per proposal before enumerating the rest")
CB_PARAM_TABLE(random_params, RANDOM_PARAMS);

typedef struct rnd {
    const cb_host *h;
    int64_t max_tries;
    const cb_space *sp;
    cb_rng rng;
    uint64_t size;       /* points in the grid (capped: a huge space is never exhausted) */
    uint64_t *asked;     /* open-addressing set of grid indices + 1 (0: empty) */
    uint64_t cap, n_asked;
} rnd;

static int random_create(const cb_host *h, cb_error *e, void **self, int64_t max_tries)
{
    rnd *r = calloc(1, sizeof *r);
    if (!r)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    r->h = h;
    r->max_tries = max_tries;
    cb_rng_seed(&r->rng, h->seed(h, "proposals"));
    *self = r;
    return CB_OK;
}
CB_CHECK_CREATE(random_create, RANDOM_PARAMS);

static void random_destroy(void *self)
{
    rnd *r = self;
    if (r)
        free(r->asked);
    free(r);
}

static uint64_t hash64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static int grow(rnd *r)
{
    uint64_t cap = r->cap ? r->cap * 2 : 1024;
    uint64_t *t = calloc(cap, sizeof *t);
    if (!t)
        return CB_EFAIL;
    for (uint64_t i = 0; i < r->cap; i++)
        if (r->asked[i]) {
            uint64_t j = hash64(r->asked[i]) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = r->asked[i];
        }
    free(r->asked);
    r->asked = t;
    r->cap = cap;
    return CB_OK;
}

/* 1 if index was already in the set; inserts it otherwise. */
static int seen_or_add(rnd *r, uint64_t index, int add)
{
    if (add && (r->n_asked + 1) * 2 > r->cap && grow(r))
        return 1;
    if (!r->cap)
        return 0;
    uint64_t key = index + 1, j = hash64(key) & (r->cap - 1);
    while (r->asked[j]) {
        if (r->asked[j] == key)
            return 1;
        j = (j + 1) & (r->cap - 1);
    }
    if (add) {
        r->asked[j] = key;
        r->n_asked++;
    }
    return 0;
}

static int random_start(void *self, const cb_space *sp, cb_error *e)
{
    rnd *r = self;
    if (sp->n_axes < 0 || sp->n_axes > CB_ACCEL_MAX)
        return r->h->fail(r->h, e, CB_EINVAL, NULL,
                          "the space has %d accelerator axes, a pair holds 0 to %d", sp->n_axes,
                          CB_ACCEL_MAX);
    double size = sp->n_cnn > 0 ? (double)sp->n_cnn : 1.0;
    for (int a = 0; a < sp->n_axes; a++) {
        if (sp->axes[a].n_values < 1 || !sp->axes[a].values)
            return r->h->fail(r->h, e, CB_EINVAL, sp->axes[a].name ? sp->axes[a].name : "",
                              "accelerator axis %d has no values", a);
        size *= sp->axes[a].n_values;
    }
    r->sp = sp;
    r->size = size > 1e18 ? (uint64_t)1e18 : (uint64_t)size;
    return CB_OK;
}

/* Grid index <-> pair: the CNN is the slowest digit, the last axis the fastest. */
static void to_pair(const rnd *r, uint64_t index, cb_pair *p)
{
    const cb_space *sp = r->sp;
    memset(p, 0, sizeof *p);
    for (int a = sp->n_axes - 1; a >= 0; a--) {
        uint64_t n = (uint64_t)sp->axes[a].n_values;
        p->accel[a] = sp->axes[a].values[index % n];
        index /= n;
    }
    p->n_accel = sp->n_axes;
    p->cnn = sp->n_cnn > 0 ? (int64_t)index : -1;
}

static int valid(const rnd *r, const cb_pair *p)
{
    return !r->sp->valid || r->sp->valid(r->sp->ctx, p);
}

static int usable(rnd *r, uint64_t i)
{
    cb_pair p;
    if (seen_or_add(r, i, 0))
        return 0;
    to_pair(r, i, &p);
    return valid(r, &p);
}

/* Grids up to this many points are enumerated when rejection sampling keeps failing. */
#define ENUM_MAX ((uint64_t)1 << 24)

/* A uniform choice among the free, valid indices, by enumeration; UINT64_MAX when none is left
 * (or the grid is too large to enumerate). */
static uint64_t pick_remaining(rnd *r)
{
    if (r->size > ENUM_MAX) {
        r->h->log(r->h, CB_LOG_WARN,
                  "no free valid pair in %lld random draws over %llu points; stopping",
                  (long long)r->max_tries, (unsigned long long)r->size);
        return UINT64_MAX;
    }
    uint64_t count = 0;
    for (uint64_t i = 0; i < r->size; i++)
        count += (uint64_t)usable(r, i);
    if (!count)
        return UINT64_MAX;
    uint64_t k = cb_rng_below(&r->rng, count);
    for (uint64_t i = 0; i < r->size; i++)
        if (usable(r, i) && k-- == 0)
            return i;
    return UINT64_MAX; /* unreachable while valid() is a function of the pair */
}

static int random_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
{
    rnd *r = self;
    *n_out = 0;
    if (!r->sp)
        return r->h->fail(r->h, e, CB_EFAIL, NULL, "ask() before start()");
    while (*n_out < n && r->n_asked < r->size) {
        uint64_t found = UINT64_MAX;
        for (int64_t t = 0; t < r->max_tries && found == UINT64_MAX; t++) {
            uint64_t i = cb_rng_below(&r->rng, r->size);
            if (usable(r, i))
                found = i;
        }
        if (found == UINT64_MAX)
            found = pick_remaining(r);
        if (found == UINT64_MAX)
            break; /* every remaining pair is invalid */
        if (seen_or_add(r, found, 1))
            return r->h->fail(r->h, e, CB_EFAIL, NULL, "out of memory");
        to_pair(r, found, &out[(*n_out)++]);
    }
    return CB_OK;
}

static int random_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
{
    return CB_OK; /* random search learns nothing */
}

static int random_save(void *self, cb_write w, void *ctx, cb_error *e)
{
    rnd *r = self;
    int bad = w(ctx, &r->rng, sizeof r->rng) || w(ctx, &r->n_asked, sizeof r->n_asked);
    for (uint64_t i = 0; i < r->cap && !bad; i++)
        if (r->asked[i])
            bad = w(ctx, &r->asked[i], sizeof r->asked[i]);
    return bad ? r->h->fail(r->h, e, CB_EFAIL, NULL, "could not write the search state") : CB_OK;
}

static int random_load(void *self, const void *buf, size_t len, cb_error *e)
{
    rnd *r = self;
    const char *p = buf;
    const size_t head = sizeof r->rng + sizeof(uint64_t);
    uint64_t n;
    if (len < head)
        return r->h->fail(r->h, e, CB_EFAIL, NULL, "saved state is %zu bytes, too short", len);
    memcpy(&n, p + sizeof r->rng, sizeof n);
    if ((len - head) % sizeof(uint64_t) || n != (len - head) / sizeof(uint64_t))
        return r->h->fail(r->h, e, CB_EFAIL, NULL,
                          "saved state is %zu bytes, which does not hold %llu asked pairs", len,
                          (unsigned long long)n);
    rnd t = *r; /* build the set aside: a refused state leaves this one untouched */
    t.asked = NULL;
    t.cap = t.n_asked = 0;
    memcpy(&t.rng, p, sizeof t.rng);
    p += head;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t key;
        memcpy(&key, p + i * sizeof key, sizeof key);
        if (key == 0 || (r->sp && key - 1 >= r->size)) {
            free(t.asked);
            return r->h->fail(r->h, e, CB_EFAIL, NULL,
                              "saved state names pair %llu, outside this space of %llu",
                              (unsigned long long)(key - 1), (unsigned long long)r->size);
        }
        if (seen_or_add(&t, key - 1, 1)) {
            free(t.asked);
            return r->h->fail(r->h, e, CB_EFAIL, NULL, "saved state repeats a pair, or out of memory");
        }
    }
    free(r->asked);
    *r = t;
    return CB_OK;
}

static const cb_search_vt random_vt = {sizeof(cb_search_vt), random_start, random_ask, random_tell,
                                       random_save, random_load, 0};
static const cb_plugin random_plugin = {sizeof(cb_plugin), CB_KIND_SEARCH, "random", "1.0.0",
                                        "uniform random pairs over the joint space, never repeated",
                                        random_params, (cb_fn)random_create, random_destroy, &random_vt};

CB_PACK("std-search-random", "1.0.0", "BSD-3-Clause", "codebench", &random_plugin)
