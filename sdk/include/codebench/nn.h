/* codebench/nn.h: small neural networks for search plugins (libcbsdk.a).
 *
 * Owns: activations with their first and second derivatives; multilayer perceptrons (dense
 * layers, dropout, MC dropout at inference) with batch forward/backward on a GEMM callback;
 * natural-parameter networks (NPN: mean and variance propagation, the NPN loss); an LSTM cell
 * with backward; single dense layers on one vector; Adam and AdaHessian; derivatives of a
 * network's scalar output with respect to its INPUT (gradient and exact Hessian-vector product,
 * by forward-over-reverse differentiation) for optimizing inputs (GOBI); and (de)serializing
 * parameters and optimizer state through codebench/state.h.
 *
 * Conventions: a dense layer computes y = x W + b with W stored in x out, row-major; batches are
 * row-major (one sample per row). Parameters and gradients live in one flat float array per
 * network (p and g, same layout), so an optimizer steps the whole network at once. Batch paths
 * are float on the GEMM callback (host->sgemm, or cb_nn_gemm_ref); the input-derivative paths
 * run on one sample in double so that GOBI and its tests see exact derivatives. A network is
 * used by one thread at a time (it owns its workspace).
 */
#ifndef CODEBENCH_NN_H
#define CODEBENCH_NN_H

#include "plugin.h"
#include "rng.h"
#include "state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Row-major C = alpha op(A) op(B) + beta C: the signature of cb_host.sgemm. */
typedef void (*cb_gemm_fn)(bool trans_a, bool trans_b, int m, int n, int k, float alpha,
                           const float *a, int lda, const float *b, int ldb, float beta, float *c,
                           int ldc);
/* The same contract in plain loops, for hosts without BLAS and for tests. */
void cb_nn_gemm_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float *a,
                    int lda, const float *b, int ldb, float beta, float *c, int ldc);

/* ---- activations ------------------------------------------------------------------------ */
typedef enum cb_nn_act { CB_NN_LINEAR = 0, CB_NN_RELU, CB_NN_SIGMOID, CB_NN_TANH, CB_NN_SOFTPLUS } cb_nn_act;
double cb_nn_act_f(cb_nn_act a, double x);
double cb_nn_act_df(cb_nn_act a, double x);  /* f'(x) */
double cb_nn_act_d2f(cb_nn_act a, double x); /* f''(x) */

/* NPN activations map a Gaussian (mean, variance) to the moments of its image. */
typedef enum cb_npn_act { CB_NPN_NONE = 0, CB_NPN_RELU, CB_NPN_SIGMOID } cb_npn_act;
/* Moments (*om, *os) of act applied to N(m, s). jac, when not NULL, receives the Jacobian
 * d(om, os)/d(m, s) row-major; djac, when not NULL, its derivative along (dm, ds). */
void cb_npn_act_eval(cb_npn_act a, double m, double s, double dm, double ds, double *om,
                     double *os, double jac[4], double djac[4]);

/* ---- network geometry, shared by MLPs and NPNs --------------------------------------------- */
#define CB_NN_MAX_LAYERS 12

typedef struct cb_nn_spec {
    int n_layers;
    int width[CB_NN_MAX_LAYERS + 1]; /* width[0]: inputs; width[l + 1]: outputs of layer l */
    int act[CB_NN_MAX_LAYERS];       /* after each layer: cb_nn_act (MLP) or cb_npn_act (NPN) */
    /* Two branches (BOSHCODE's CNN and accelerator branches): inputs [0, branch_in) feed one
     * branch, the rest the other, and the first branch_layers layers keep them apart (each of
     * their outputs splits in half; the weights across are held at zero). 0: one branch. */
    int branch_in, branch_layers;
    float dropout; /* MLP: dropout probability after each hidden activation (training, MC) */
} cb_nn_spec;

/* 1 when layer l's weight from input i to output j exists (0 across branches). */
int cb_nn_joined(const cb_nn_spec *s, int l, int i, int j);

/* ---- multilayer perceptron ---------------------------------------------------------------- */
typedef struct cb_mlp {
    cb_nn_spec s;
    size_t n_params;
    float *p, *g;                        /* parameters and their gradient (same layout) */
    size_t off_w[CB_NN_MAX_LAYERS], off_b[CB_NN_MAX_LAYERS];
    cb_gemm_fn gemm;
    /* workspace: the last forward's batch, kept for backward */
    int cap, n;
    float *a[CB_NN_MAX_LAYERS + 1];      /* a[0] input, a[l + 1] output of layer l (after dropout) */
    float *z[CB_NN_MAX_LAYERS];          /* pre-activations */
    float *mask[CB_NN_MAX_LAYERS];       /* dropout multipliers of the last forward */
    int dropped;                         /* 1 when the last forward applied dropout */
    float *delta[2];
    double *dw;                          /* workspace of the single-sample derivative path */
} cb_mlp;

/* Allocates and initializes (Xavier-uniform weights, zero biases) from r. CB_OK or CB_EFAIL. */
int cb_mlp_create(cb_mlp *m, const cb_nn_spec *s, cb_gemm_fn gemm, cb_rng *r);
void cb_mlp_free(cb_mlp *m);
/* y (n x outputs) for x (n x inputs). drop != NULL applies dropout with draws from it
 * (training and MC-dropout sampling); NULL is the deterministic network. */
int cb_mlp_forward(cb_mlp *m, const float *x, int n, cb_rng *drop, float *y);
/* Adds to m->g the gradient of sum(gy . y) over the last forward's batch; gx (n x inputs),
 * when not NULL, receives the gradient with respect to the input. */
void cb_mlp_backward(cb_mlp *m, const float *gy, float *gx);
/* Output 0 of the deterministic network at one input x (double); grad (inputs) its gradient
 * with respect to x; hv, when v is not NULL, the exact Hessian-vector product H v. */
double cb_mlp_input_derivs(cb_mlp *m, const double *x, const double *v, double *grad, double *hv);

/* ---- natural-parameter network (NPN) --------------------------------------------------------
 * Each layer: a Gaussian linear layer (weight means Wm and variances Ws = softplus(raw), bias
 * mean and variance likewise) then a cb_npn_act. The input is a point (variance 0); the output
 * is a mean and a variance per unit. */
typedef struct cb_npn {
    cb_nn_spec s;
    size_t n_params;
    float *p, *g;
    size_t off_wm[CB_NN_MAX_LAYERS], off_ws[CB_NN_MAX_LAYERS];
    size_t off_bm[CB_NN_MAX_LAYERS], off_bs[CB_NN_MAX_LAYERS];
    cb_gemm_fn gemm;
    int cap, n;
    float *am[CB_NN_MAX_LAYERS + 1], *as[CB_NN_MAX_LAYERS + 1]; /* layer inputs/outputs */
    float *zm[CB_NN_MAX_LAYERS], *zs[CB_NN_MAX_LAYERS];         /* before the activation */
    float *jac[CB_NN_MAX_LAYERS];                               /* its Jacobian, 4 per unit */
    float *ws[CB_NN_MAX_LAYERS], *wsum[CB_NN_MAX_LAYERS];       /* Ws and Ws + Wm^2 */
    float *tmp[8];
    double *dw;
    int ws_current; /* 1 while ws and wsum match p (cb_npn_touch clears it) */
} cb_npn;

int cb_npn_create(cb_npn *m, const cb_nn_spec *s, cb_gemm_fn gemm, cb_rng *r);
void cb_npn_free(cb_npn *m);
/* Output means and variances (n x outputs each) for points x (n x inputs). */
int cb_npn_forward(cb_npn *m, const float *x, int n, float *mean, float *var);
/* Adds to m->g the gradient of sum(gm . mean + gs . var) over the last forward's batch. */
void cb_npn_backward(cb_npn *m, const float *gm, const float *gs);
/* The NPN loss of the paper's Eq. 2, mean over n samples of one output:
 * (mean - y)^2 / (2 var) + ln(var) / 2; gm, gs receive its gradient per sample. */
double cb_npn_loss(const float *mean, const float *var, const float *y, int n, float *gm, float *gs);
/* mean + k1 * sqrt(var) of output 0 at one input x, with its gradient with respect to x and,
 * when v is not NULL, the exact Hessian-vector product. The weight variances it needs are
 * cached between calls: call cb_npn_touch after changing m->p (an optimizer step). */
double cb_npn_input_derivs(cb_npn *m, const double *x, double k1, const double *v, double *grad,
                           double *hv);
void cb_npn_touch(cb_npn *m);

/* ---- one dense layer on one vector (policy heads) ------------------------------------------ */
void cb_dense_forward(const float *w, const float *b, int in, int out, const float *x, float *y);
/* Adds x^T gy to gw and gy to gb; gx (when not NULL) receives gy W^T. */
void cb_dense_backward(const float *w, int in, int out, const float *x, const float *gy, float *gw,
                       float *gb, float *gx);

/* ---- LSTM cell ---------------------------------------------------------------------------- *
 * Gates i, f, g, o from [x, h_prev] (4H x (in + H) weights, row-major, and 4H biases; the
 * forget-gate bias starts at 1). One step's cache holds what its backward needs. */
typedef struct cb_lstm {
    int in, hid;
    size_t n_params;
    float *p, *g;
} cb_lstm;

int cb_lstm_create(cb_lstm *l, int in, int hid, cb_rng *r);
void cb_lstm_free(cb_lstm *l);
size_t cb_lstm_cache_len(const cb_lstm *l); /* floats per step */
void cb_lstm_forward(const cb_lstm *l, const float *x, const float *h_prev, const float *c_prev,
                     float *h, float *c, float *cache);
/* Given dL/dh and dL/dc of this step, adds to l->g and returns dL/dx, dL/dh_prev, dL/dc_prev
 * (dx may be NULL). */
void cb_lstm_backward(cb_lstm *l, const float *cache, const float *dh, const float *dc, float *dx,
                      float *dh_prev, float *dc_prev);

/* ---- optimizers --------------------------------------------------------------------------- */
typedef struct cb_adam {
    size_t n;
    double lr, beta1, beta2, eps, weight_decay; /* decoupled decay (AdamW); 0: Adam */
    int64_t t;
    float *m, *v;
} cb_adam;

/* betas 0.9 / 0.999, eps 1e-8, no decay; change the members after init to taste. */
int cb_adam_init(cb_adam *a, size_t n, double lr);
void cb_adam_free(cb_adam *a);
void cb_adam_step(cb_adam *a, float *p, const float *g); /* descends */

/* AdaHessian (Yao et al. 2021) on a double vector: Adam's second moment taken from a Hessian
 * diagonal estimate d (Hutchinson: z . Hz) instead of the squared gradient. */
typedef struct cb_adahessian {
    int n;
    double lr, beta1, beta2, eps, hessian_power;
    int64_t t;
    double *m, *v;
} cb_adahessian;

/* betas 0.9 / 0.999, eps 1e-4, Hessian power 1 (the reference's settings). */
int cb_adahessian_init(cb_adahessian *a, int n, double lr);
void cb_adahessian_free(cb_adahessian *a);
/* One step on x: sign = +1 ascends g, -1 descends. d is the Hessian diagonal estimate (its
 * magnitude is used); passing |g| for d makes the step Adam's. */
void cb_adahessian_step(cb_adahessian *a, double *x, const double *g, const double *d, double sign);
/* Fills z with Rademacher draws (+1 or -1). */
void cb_rademacher(cb_rng *r, double *z, int n);

/* ---- state -------------------------------------------------------------------------------- *
 * Save writes the geometry then the parameters; load refuses another geometry (the reader
 * turns bad with the reason). Gradients and workspaces are not state. */
void cb_mlp_save(const cb_mlp *m, cb_state_writer *w);
void cb_mlp_load(cb_mlp *m, cb_state_reader *r);
void cb_npn_save(const cb_npn *m, cb_state_writer *w);
void cb_npn_load(cb_npn *m, cb_state_reader *r);
void cb_lstm_save(const cb_lstm *l, cb_state_writer *w);
void cb_lstm_load(cb_lstm *l, cb_state_reader *r);
void cb_adam_save(const cb_adam *a, cb_state_writer *w);
void cb_adam_load(cb_adam *a, cb_state_reader *r);
void cb_rng_save(const cb_rng *g, cb_state_writer *w);
void cb_rng_load(cb_rng *g, cb_state_reader *r);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_NN_H */
