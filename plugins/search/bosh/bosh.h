/* plugins/search/bosh/bosh.h: the state shared by the files of the BOSHNAS/BOSHCODE pack.
 *
 * One engine serves both plugins: boshnas models the pair as one input vector through
 * single-branch networks; boshcode gives the CNN embedding and the accelerator vector separate
 * branches before a joint head, can hold one side fixed (mode), and spends a few queries
 * around the converged pair before it stops. The surrogate and GOBI come from
 * codebench/bosh.h, the encoding, snapping and the proposed-pair set from
 * codebench/searchkit.h. */
#ifndef BOSH_PACK_H
#define BOSH_PACK_H

#include <codebench/bosh.h>
#include <codebench/codebench.h>
#include <codebench/searchkit.h>

enum { BOSH_SEARCHING = 0, BOSH_ALEATORIC = 1, BOSH_DONE = 2 };
/* how a proposal was chosen: only GOBI results count toward convergence */
enum { BOSH_BY_RANDOM = 0, BOSH_BY_GOBI = 1, BOSH_BY_UNCERTAINTY = 2, BOSH_BY_NEIGHBOUR = 3 };

typedef struct bosh_params {
    double k1, k2, alpha_p, beta_p, gobi_lr, tol;
    int64_t n_init, restarts, gobi_iters, patience, epochs, mc_samples, pool, aleatoric_queries;
    int64_t grow_parents; /* boshcode: the best CNNs of a level a finer level is grown from; 0: never grow */
    int first_order_only, no_heteroscedastic;
    int mode;       /* CB_SNAP_BOTH (joint), CB_SNAP_CNN (cnn_only), CB_SNAP_ACCEL (accel_only) */
    int two_branch; /* boshcode */
} bosh_params;

typedef struct bosh {
    const cb_host *h;
    bosh_params p;
    const cb_space *sp;
    cb_skit sk;
    cb_bosh net;
    int started;
    cb_rng rng;          /* the choice of strategy, restarts, random pairs */
    cb_pairset asked;    /* every pair proposed, pending or told, in order */
    /* per asked pair: 1 once told with a usable result, how it was chosen, its performance */
    unsigned char *told, *by;
    double *y;
    size_t cap;
    size_t n_told;       /* results told (usable ones) */
    size_t n_fit;        /* n_told at the last fit; the surrogate is current when equal */
    double best;         /* the best performance told (-INFINITY before any) */
    int64_t still;       /* GOBI results in a row that improved the best by less than tol */
    int phase;           /* BOSH_* */
    int64_t aleatoric_left;
    int64_t hold;        /* index of the best told pair (the converged pair), -1 before any */
    int32_t level;       /* the hierarchy level proposals come from; -1: no hierarchy */
    int32_t barren;      /* a level whose growth added nothing (not retried each ask); -1: none */
    char err[600];       /* why the last growth of the hierarchy failed */
} bosh;

int bosh_create(const cb_host *h, cb_error *e, void **self, const bosh_params *p);
void bosh_destroy(void *self);
int bosh_start(void *self, const cb_space *sp, cb_error *e);
int bosh_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e);
int bosh_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e);
int bosh_save(void *self, cb_write w, void *ctx, cb_error *e);
int bosh_load(void *self, const void *buf, size_t len, cb_error *e);

/* The best distinct CNNs told at level (each by its best result; ties: the lower index), best
 * first, into out[0..max); returns how many. */
int bosh_best_cnns(const bosh *b, int32_t level, int64_t *out, int max);

/* the surrogate brought up to date with the corpus (a fit when results arrived since) */
int bosh_refit(bosh *b);
/* a proposal by GOBI from random cold restarts; 0 when no usable pair was reached */
int bosh_gobi_pair(bosh *b, cb_pair *out);
/* a proposal by uncertainty sampling: the pair of the pool with the largest k1 sigma + k2 xi */
int bosh_uncertain_pair(bosh *b, cb_pair *out);
/* the usable pair nearest the converged one (the aleatoric re-queries) */
int bosh_near_best(bosh *b, cb_pair *out);
/* room for the bookkeeping (told, y, history) of n asked pairs */
int bosh_reserve(bosh *b, size_t n);
/* 1 when the last patience GOBI results improved the best performance by less than tol */
int bosh_converged(const bosh *b);
/* The coarsest level of the space's CNN hierarchy, -1 without one (or in accel_only mode,
 * where the CNN never moves). */
int32_t bosh_top_level(const bosh *b);
/* Restricts proposals to level (-1: everything); CB_OK, or CB_EFAIL out of memory. */
int bosh_use_level(bosh *b, int32_t level);
/* Moves to the next finer level that has CNNs: 1, or 0 at the finest (nothing changed), or -1
 * when growing the next level failed (b->err says why). When the space can grow (cb_space.grow)
 * and the next finer level has no CNNs yet, it is first grown from the grow_parents best CNNs
 * told at this level (by performance, best first). The convergence count starts again. */
int bosh_next_level(bosh *b);

#endif
