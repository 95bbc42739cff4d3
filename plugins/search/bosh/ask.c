/* plugins/search/bosh/ask.c: choosing each proposal (Algorithm 1 of the paper): random pairs
 * until n_init are out and two results are in; then, per proposal, GOBI with probability
 * 1 - alpha_P - beta_P, uncertainty sampling with alpha_P, a random pair (diversity) with
 * beta_P. In a space with a CNN hierarchy every proposal comes from the current level; on
 * convergence (or when the level is used up) the search moves to the next finer level, and
 * only convergence at the finest ends it; where the space grows its levels, the next one is
 * first grown from the best CNNs of the level being left (bosh_next_level). Once converged,
 * boshcode re-queries around the converged pair (aleatoric_queries pairs nearest it; the ABI
 * forbids proposing the very same pair again) and then stops; boshnas stops at once. Every
 * proposal is added to the asked set before the next is chosen, so pending proposals are
 * distinct. */
#include "bosh.h"

static int random_pair(bosh *b, cb_pair *out)
{
    return cb_skit_random(&b->sk, &b->asked, &b->rng, out);
}

/* Moves to the next phase when the convergence rule holds: CB_OK, or -1 when growing the next
 * level failed. */
static int update_phase(bosh *b)
{
    if (b->phase != BOSH_SEARCHING || !bosh_converged(b))
        return CB_OK;
    int next = bosh_next_level(b);
    if (next)
        return next < 0 ? -1 : CB_OK;
    b->phase = b->p.two_branch && b->p.aleatoric_queries > 0 ? BOSH_ALEATORIC : BOSH_DONE;
    b->aleatoric_left = b->p.aleatoric_queries;
    b->h->log(b->h, CB_LOG_INFO, "converged after %zu results (best %.6g)%s", b->n_told, b->best,
              b->phase == BOSH_ALEATORIC ? ": re-querying around it" : "");
    return CB_OK;
}

/* One proposal: 1 and *out, 0 when the search is over or nothing usable is left, -1 when the
 * surrogate could not be trained, -2 when growing the next level failed (b->err); *by says how
 * it was chosen (BOSH_BY_*). The surrogate is fitted only when a model-based strategy is drawn,
 * on every result told so far. */
static int propose_here(bosh *b, cb_pair *out, int *by)
{
    *by = BOSH_BY_RANDOM;
    if (update_phase(b))
        return -2;
    if (b->phase == BOSH_DONE)
        return 0;
    if (b->phase == BOSH_ALEATORIC) {
        *by = BOSH_BY_NEIGHBOUR;
        if (b->aleatoric_left-- <= 0 || !bosh_near_best(b, out)) {
            b->phase = BOSH_DONE;
            return 0;
        }
        return 1;
    }
    if (b->asked.n < (size_t)b->p.n_init || b->n_told < 2)
        return random_pair(b, out);
    double u = cb_rng_unit(&b->rng);
    int found = 0;
    if (u < 1 - b->p.beta_p && bosh_refit(b))
        return -1;
    if (u < 1 - b->p.alpha_p - b->p.beta_p)
        found = (*by = BOSH_BY_GOBI, bosh_gobi_pair(b, out));
    else if (u < 1 - b->p.beta_p)
        found = (*by = BOSH_BY_UNCERTAINTY, bosh_uncertain_pair(b, out));
    if (!found)
        *by = BOSH_BY_RANDOM;
    return found || random_pair(b, out);
}

/* A proposal from the current level, or from the next finer ones when it is used up. */
static int propose(bosh *b, cb_pair *out, int *by)
{
    int got, next = 0;
    while ((got = propose_here(b, out, by)) == 0 && b->phase == BOSH_SEARCHING && (next = bosh_next_level(b)) > 0)
        ;
    return next < 0 ? -2 : got;
}

int bosh_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
{
    bosh *b = self;
    *n_out = 0;
    if (!b->started)
        return b->h->fail(b->h, e, CB_EFAIL, NULL, "ask() before start()");
    while (*n_out < n) {
        if (b->h->cancelled(b->h))
            return CB_ECANCEL;
        cb_pair *p = &out[*n_out];
        int by, got = propose(b, p, &by);
        if (got == -2)
            return b->h->fail(b->h, e, CB_EFAIL, "grow_parents", "%s", b->err);
        if (got < 0)
            return b->h->fail(b->h, e, CB_EFAIL, NULL, "training the surrogate failed (out of memory or diverged)");
        if (!got)
            break;
        p->level = cb_skit_level(&b->sk, p->cnn); /* however the pair was built */
        long k = cb_pairset_add(&b->asked, p);
        if (k < 0 || bosh_reserve(b, b->asked.n))
            return b->h->fail(b->h, e, CB_EFAIL, NULL, "out of memory");
        b->by[k] = (unsigned char)by;
        (*n_out)++;
    }
    return CB_OK;
}
