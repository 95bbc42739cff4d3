/* plugins/search/reinforce/rl.h: the state shared by the files of the REINFORCE pack
 * (Codesign-NAS, Abdelfattah et al.): LSTM-cell controllers that sample a pair's categorical
 * decisions one by one, trained by REINFORCE with a moving-average baseline, under the
 * combined, phase and separate strategies. */
#ifndef RL_PACK_H
#define RL_PACK_H

#include <codebench/codebench.h>
#include <codebench/nn.h>
#include <codebench/searchkit.h>

/* ---- one controller: a policy over a sequence of categorical decisions ---- */
typedef struct rl_ctrl {
    int n;                /* decisions */
    int *card;            /* their cardinalities */
    int hid;
    cb_lstm lstm;
    size_t n_params;      /* input embeddings and output heads */
    float *p, *g;
    size_t *emb_off;      /* decision d's choice embeddings (card[d] x hid); the start row at 0 */
    size_t *head_off;     /* decision d's head: W (hid x card[d]) then b (card[d]) */
    cb_adam opt_lstm, opt_rest;
    double baseline;
    int has_baseline;
    /* workspace of one pass */
    float *cache, *h, *c, *probs, *dh;
    size_t *prob_off;
} rl_ctrl;

int rl_ctrl_create(rl_ctrl *c, int n, const int *card, int hid, double lr, cb_rng *r);
void rl_ctrl_free(rl_ctrl *c);
/* Samples the n choices from the policy. */
void rl_ctrl_sample(rl_ctrl *c, cb_rng *r, int *choices);
/* One REINFORCE step on the choices with this reward: advantage = reward - baseline, then the
 * baseline moves toward the reward by (1 - decay). */
void rl_ctrl_update(rl_ctrl *c, const int *choices, double reward, double decay);
void rl_ctrl_save(const rl_ctrl *c, cb_state_writer *w);
void rl_ctrl_load(rl_ctrl *c, cb_state_reader *r);

/* ---- the search ---- */
enum { RL_COMBINED = 0, RL_PHASE = 1, RL_SEPARATE = 2 };
enum { RL_CNN = 0, RL_HW = 1, RL_ALL = 2 }; /* which part a proposal's controller chose */

typedef struct rl_params {
    int strategy;
    int64_t hidden, phase_cnn_steps, phase_hw_steps, sep_cnn_steps, sep_hw_steps, max_resample;
    double lr, baseline_decay, punishment;
} rl_params;

typedef struct rl {
    const cb_host *h;
    rl_params p;
    const cb_space *sp;
    cb_skit sk;
    int started;
    int n_cnn_dec;          /* decisions describing the CNN (0 without a CNN side) */
    int *cnn_card;
    const int32_t *cnn_dec; /* the space's, or NULL: the CNN index is the one decision */
    int64_t *lookup;        /* open addressing: decision vector -> candidate + 1 */
    size_t n_lookup;
    rl_ctrl all, cnn, hw;   /* combined uses all; phase and separate use cnn and hw */
    int has_all, has_cnn, has_hw;
    cb_rng rng;
    int64_t steps;          /* proposals made */
    int init_hw[CB_ACCEL_MAX]; /* the accelerator of separate's CNN part (and phase's first) */
    int part;               /* the part of the last proposal (-1 before any) */
    int64_t held_cnn;       /* the CNN an accelerator phase holds, fixed when the phase starts */
    int held_hw[CB_ACCEL_MAX]; /* the accelerator a CNN phase holds, likewise */
    cb_pairset asked;
    unsigned char *told, *who; /* per asked pair: told; the part its controller chose (RL_*) */
    double *reward, *accuracy; /* per told pair: performance or -punishment; accuracy likewise */
    size_t cap;
    long best_perf, best_acc; /* asked indices of the best told pairs (-1: none) */
    int *scratch;
} rl;

/* decisions <-> pairs (decide.c) */
int rl_decide_init(rl *s, char *why, size_t len);
void rl_decide_free(rl *s);
/* the CNN's decisions (n_cnn_dec of them) */
void rl_cnn_choices(const rl *s, int64_t cnn, int *choices);
/* the candidate with these decisions, or -1 when no candidate has them */
int64_t rl_cnn_of(const rl *s, const int *choices);
/* the accelerator value positions of p (n_axes of them) */
void rl_hw_choices(const rl *s, const cb_pair *p, int *choices);

int rl_reserve(rl *s, size_t n);
int rl_save(void *self, cb_write w, void *ctx, cb_error *e);
int rl_load(void *self, const void *buf, size_t len, cb_error *e);

/* search.c: the vtable's calls */
int rl_start(void *self, const cb_space *sp, cb_error *e);
int rl_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e);
int rl_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e);

#endif
