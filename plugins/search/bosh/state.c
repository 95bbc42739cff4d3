/* plugins/search/bosh/state.c: creating and starting a BOSH search, taking results (tell),
 * the convergence rule: the last patience GOBI results (optimization steps, as the reference
 * counts them; random and uncertainty picks explore and do not count) each improved the best
 * performance by less than tol; and the levels of the CNN hierarchy (CODEBench Sec. 3.1.3):
 * proposals come from the coarsest level until the search converges there, then from each
 * finer level in turn, the surrogate learning from every result of every level. Where the space
 * grows its levels (cb_space.grow: the seeds' way, boshcode only), the next finer level is made
 * when the search leaves a level, from crossovers of the best CNNs found there. */
#include "bosh.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bosh_create(const cb_host *h, cb_error *e, void **self, const bosh_params *p)
{
    if (p->alpha_p + p->beta_p > 1)
        return h->fail(h, e, CB_EINVAL, "beta_p",
                       "alpha_p + beta_p = %g + %g exceeds 1: they are probabilities of one draw",
                       p->alpha_p, p->beta_p);
    bosh *b = calloc(1, sizeof *b);
    if (!b)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    b->h = h;
    b->p = *p;
    b->hold = -1;
    b->level = -1;
    b->barren = -1;
    b->best = -INFINITY;
    cb_rng_seed(&b->rng, h->seed(h, "proposals"));
    cb_pairset_init(&b->asked);
    *self = b;
    return CB_OK;
}

void bosh_destroy(void *self)
{
    bosh *b = self;
    if (!b)
        return;
    cb_bosh_free(&b->net);
    cb_skit_free(&b->sk);
    cb_pairset_free(&b->asked);
    free(b->told);
    free(b->y);
    free(b->by);
    free(b);
}

static int surrogate_config(bosh *b, cb_error *e, cb_bosh_config *c)
{
    const bosh_params *p = &b->p;
    cb_bosh_defaults(c, b->sk.dim);
    c->hetero = !p->no_heteroscedastic;
    c->k1 = p->k1;
    c->k2 = p->k2;
    c->mc_samples = (int)p->mc_samples;
    c->epochs = (int)p->epochs;
    /* two branches need both sides; a one-sided space has a single branch anyway */
    c->branch_in = p->two_branch && b->sk.dim_cnn > 0 && b->sk.n_axes > 0 ? b->sk.dim_cnn : 0;
    if (p->mode == CB_SNAP_CNN && b->sk.n_cnn == 0)
        return b->h->fail(b->h, e, CB_EINVAL, "mode", "mode cnn_only needs CNN candidates; the space has none");
    if (p->mode == CB_SNAP_ACCEL && b->sk.n_axes == 0)
        return b->h->fail(b->h, e, CB_EINVAL, "mode", "mode accel_only needs accelerator axes; the space has none");
    return CB_OK;
}

int bosh_start(void *self, const cb_space *sp, cb_error *e)
{
    bosh *b = self;
    char why[256];
    if (b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "start() called twice");
    if (cb_skit_init(&b->sk, sp, why, sizeof why))
        return b->h->fail(b->h, e, CB_EINVAL, NULL, "%s", why);
    cb_bosh_config c;
    int rc = surrogate_config(b, e, &c);
    if (rc)
        return rc;
    rc = cb_bosh_create(&b->net, &c, b->h->sgemm, b->h->seed(b->h, "surrogate"));
    if (rc)
        return b->h->fail(b->h, e, rc, NULL, "cannot build the surrogate for %d inputs", b->sk.dim);
    b->sp = sp;
    if (CB_SPACE_HAS(sp, cnn_level) && sp->cnn_level)
        for (int64_t i = 0; i < sp->n_cnn; i++)
            if (sp->cnn_level[i] < 0)
                return b->h->fail(b->h, e, CB_EINVAL, NULL, "CNN %lld has hierarchy level %d; levels are 0 or more",
                                  (long long)i, sp->cnn_level[i]);
    if (bosh_use_level(b, bosh_top_level(b)))
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
    b->started = 1;
    return CB_OK;
}

int32_t bosh_top_level(const bosh *b)
{
    const cb_space *sp = b->sk.sp;
    int32_t top = -1;
    if (b->p.mode == CB_SNAP_ACCEL || b->sk.n_cnn == 0 || !CB_SPACE_HAS(sp, cnn_level) || !sp->cnn_level)
        return -1;
    for (int64_t i = 0; i < b->sk.n_cnn; i++)
        top = sp->cnn_level[i] > top ? sp->cnn_level[i] : top;
    return top;
}

int bosh_use_level(bosh *b, int32_t level)
{
    if (cb_skit_restrict(&b->sk, level) < 0)
        return CB_EFAIL;
    b->level = level;
    return CB_OK;
}

typedef struct scored {
    int64_t cnn;
    double y;
} scored;

static int by_y_desc(const void *pa, const void *pb)
{
    const scored *a = pa, *b = pb;
    if (a->y != b->y)
        return a->y > b->y ? -1 : 1;
    return a->cnn < b->cnn ? -1 : a->cnn > b->cnn;
}

int bosh_best_cnns(const bosh *b, int32_t level, int64_t *out, int max)
{
    scored *v = malloc((b->asked.n + 1) * sizeof *v);
    if (!v)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < b->asked.n; i++) {
        const cb_pair *p = &b->asked.pairs[i];
        if (!b->told[i] || cb_skit_level(&b->sk, p->cnn) != level)
            continue;
        size_t k = 0;
        while (k < n && v[k].cnn != p->cnn)
            k++;
        if (k == n)
            v[n++] = (scored){p->cnn, b->y[i]};
        else if (b->y[i] > v[k].y)
            v[k].y = b->y[i];
    }
    qsort(v, n, sizeof *v, by_y_desc);
    int k = 0;
    for (; k < max && (size_t)k < n; k++)
        out[k] = v[k].cnn;
    free(v);
    return k;
}

/* Grows level b->level - 1 from the best CNNs told at b->level when it has none yet: 0 (grown
 * or nothing to do), -1 with b->err filled. */
static int grow_next(bosh *b)
{
    const cb_space *sp = b->sp;
    int32_t level = b->level - 1;
    if (level < 0 || level == b->barren || b->p.grow_parents < 1 || !CB_SPACE_HAS(sp, grow_ctx) ||
        !sp->grow || !sp->cnn_level)
        return 0;
    for (int64_t i = 0; i < b->sk.n_cnn; i++)
        if (sp->cnn_level[i] == level)
            return 0; /* built up front, or grown before a resume */
    int max = (int)b->p.grow_parents;
    int64_t *parents = malloc((size_t)max * sizeof *parents);
    if (!parents) {
        snprintf(b->err, sizeof b->err, "out of memory");
        return -1;
    }
    int k = bosh_best_cnns(b, b->level, parents, max);
    if (k == 0) { /* nothing usable was told at this level: nothing to grow from */
        free(parents);
        return 0;
    }
    cb_error e;
    memset(&e, 0, sizeof e);
    int added = sp->grow(sp->grow_ctx, level, parents, k, &e);
    free(parents);
    if (added < 0) {
        snprintf(b->err, sizeof b->err, "growing CNN level %d from the best %d CNNs of level %d (parameter "
                 "'grow_parents'): %.480s", level, k, b->level, e.msg[0] ? e.msg : "the host refused");
        return -1;
    }
    b->h->log(b->h, CB_LOG_INFO, "grew level %d: %d CNNs from the best %d of level %d", level, added, k, b->level);
    if (added == 0) { /* every crossover was invalid or known: asking again would not help */
        b->barren = level;
        return 0;
    }
    /* the space's arrays grew and may have moved: the kit reads them again (box included) */
    char why[256] = "out of memory";
    cb_skit_free(&b->sk);
    if (cb_skit_init(&b->sk, sp, why, sizeof why) || cb_skit_restrict(&b->sk, b->level) < 0) {
        snprintf(b->err, sizeof b->err, "after growing CNN level %d: %s", level, why);
        return -1;
    }
    return 0;
}

int bosh_next_level(bosh *b)
{
    if (grow_next(b))
        return -1;
    for (int32_t l = b->level - 1; l >= 0; l--) {
        int64_t n = cb_skit_restrict(&b->sk, l);
        if (n == 0)
            continue; /* no CNN at this level */
        if (n < 0)
            return 0; /* out of memory: stay where we are */
        b->h->log(b->h, CB_LOG_INFO, "level %d done after %zu results (best %.6g); searching level %d (%lld CNNs)",
                  b->level, b->n_told, b->best, l, (long long)n);
        b->level = l;
        b->still = 0;
        return 1;
    }
    return 0;
}

/* Room for the bookkeeping of n asked pairs. */
int bosh_reserve(bosh *b, size_t n)
{
    if (n <= b->cap)
        return CB_OK;
    size_t cap = n > 2 * b->cap ? n : 2 * b->cap;
    unsigned char *t = realloc(b->told, cap);
    if (t)
        b->told = t;
    unsigned char *by = realloc(b->by, cap);
    if (by)
        b->by = by;
    double *y = realloc(b->y, cap * sizeof *y);
    if (y)
        b->y = y;
    if (!t || !by || !y)
        return CB_EFAIL;
    memset(b->told + b->cap, 0, cap - b->cap);
    memset(b->by + b->cap, 0, cap - b->cap);
    b->cap = cap;
    return CB_OK;
}

int bosh_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
{
    bosh *b = self;
    long i = cb_pairset_find(&b->asked, p);
    if (i < 0)
        return b->h->fail(b->h, e, CB_EINVAL, NULL, "tell() of a pair this search never proposed");
    if (bosh_reserve(b, b->asked.n))
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
    if (b->told[i] || m->status == CB_EVAL_FAILED)
        return CB_OK; /* a failed evaluation teaches nothing; a repeat tell changes nothing */
    /* a pair that breaks a constraint scores as the worst possible performance */
    double y = m->status == CB_EVAL_INFEASIBLE || !isfinite(m->performance) ? 0.0 : m->performance;
    b->told[i] = 1;
    b->y[i] = y;
    if (b->by[i] == BOSH_BY_GOBI)
        b->still = y - b->best < b->p.tol ? b->still + 1 : 0;
    if (y > b->best || b->hold < 0) {
        b->best = y;
        b->hold = i;
    }
    b->n_told++;
    return CB_OK;
}

int bosh_converged(const bosh *b)
{
    return b->p.patience > 0 && b->still >= b->p.patience;
}
