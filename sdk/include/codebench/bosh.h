/* codebench/bosh.h: the heteroscedastic surrogate of BOSHNAS and BOSHCODE, and GOBI
 * (libcbsdk.a).
 *
 * Owns: the three networks of the paper's Section 3.1.8 over one input vector: an NPN f giving
 * the mean performance mu and the aleatoric spread sigma, a teacher g with MC dropout whose
 * sample spread is the epistemic uncertainty xi, and a student h trained to predict xi so that
 * it can be differentiated; their training on a corpus (Eq. 2); the acquisition
 * UCB = mu + k1 sigma + k2 h(x) (Eq. 1) with its gradient and exact Hessian-vector product with
 * respect to the input; and GOBI, gradient-based optimization of an input with AdaHessian
 * (second order, Hutchinson's diagonal) or Adam (the first-order ablation), clamped to a box,
 * with frozen dimensions for one-sided searches.
 *
 * Two-branch mode (BOSHCODE): the first branch_in inputs (the CNN embedding) and the rest (the
 * accelerator vector) pass through separate branches before a joint head; the networks are
 * still one cb_mlp / cb_npn each (codebench/nn.h), with the cross-branch weights held at zero.
 * Without the NPN (hetero = 0, the "no heteroscedastic" ablation) mu is the teacher's
 * deterministic output and sigma is 0.
 */
#ifndef CODEBENCH_BOSH_H
#define CODEBENCH_BOSH_H

#include "nn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_bosh_config {
    int dim;          /* input length */
    int branch_in;    /* > 0: two branches, inputs [0, branch_in) and [branch_in, dim) */
    int hetero;       /* 1: NPN mean and sigma; 0: teacher mean, no sigma */
    double k1, k2;    /* UCB weights of sigma and xi (the paper: 0.5, 0.5) */
    int mc_samples;   /* teacher samples per point for xi (10) */
    float dropout;    /* teacher dropout (0.3) */
    int epochs;       /* most epochs per network per fit (early stopping may end sooner) */
    int batch;        /* mini-batch size */
    double lr;        /* Adam step of the three networks */
} cb_bosh_config;

/* The reference's settings for dim inputs (branch_in 0, hetero 1, k1 = k2 = 0.5, 10 samples,
 * dropout 0.3, 60 epochs, batch 32, lr 3e-3). */
void cb_bosh_defaults(cb_bosh_config *c, int dim);

typedef struct cb_bosh {
    cb_bosh_config c;
    cb_mlp teacher, student;
    cb_npn npn;
    cb_adam opt_teacher, opt_student, opt_npn;
    cb_rng rng;     /* initialization, dropout, shuffling */
    int64_t fits;   /* fits done */
    float *buf;     /* workspace of fits and predictions */
    size_t buf_len;
} cb_bosh;

/* CB_OK, CB_EINVAL for a bad configuration, CB_EFAIL out of memory. */
int cb_bosh_create(cb_bosh *b, const cb_bosh_config *c, cb_gemm_fn gemm, uint64_t seed);
void cb_bosh_free(cb_bosh *b);
/* Trains the networks further on n points x (n x dim) with targets y (n, in about [0, 1]):
 * teacher (squared error), then the student on the teacher's MC-dropout spread, then the NPN
 * (NPN loss). Networks persist between fits (incremental, as the reference). */
int cb_bosh_fit(cb_bosh *b, const float *x, const float *y, int n);
/* mu, sigma and the student's xi for n points; any output may be NULL. */
int cb_bosh_predict(cb_bosh *b, const float *x, int n, float *mu, float *sigma, float *xi);
/* The MC-dropout spread of the teacher at n points (what the student learns). */
int cb_bosh_teacher_spread(cb_bosh *b, const float *x, int n, float *xi);
/* UCB at one input, its gradient (dim) and, when v is not NULL, the Hessian-vector product. */
double cb_bosh_ucb(cb_bosh *b, const double *x, const double *v, double *grad, double *hv);

void cb_bosh_save(const cb_bosh *b, cb_state_writer *w);
void cb_bosh_load(cb_bosh *b, cb_state_reader *r);

/* ---- GOBI ---------------------------------------------------------------------------------- */
/* value at x, gradient, and H v when v is not NULL */
typedef double (*cb_gobi_fn)(void *ctx, const double *x, const double *v, double *grad, double *hv);

typedef struct cb_gobi_opts {
    int dim;
    int max_iter;                /* most steps (the reference: 200) */
    int patience;                /* stop once the value moved less than tol this many steps running */
    double tol;
    double lr;
    int first_order;             /* 1: Adam on the gradient; 0: AdaHessian */
    const double *lo, *hi;       /* the box each step is clamped to */
    const unsigned char *frozen; /* per dimension, 1: never moves (one-sided search); NULL: none */
} cb_gobi_opts;

/* Maximizes f from x (in: the start, out: the best point seen); *value its value. Draws the
 * Rademacher vectors from r. Returns the number of steps taken, or -1 out of memory. */
int cb_gobi(const cb_gobi_opts *o, cb_gobi_fn f, void *ctx, cb_rng *r, double *x, double *value);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_BOSH_H */
