/* plugins/search/reinforce/pack.c: the reinforce plugin's parameter schema (the paper's step
 * counts as defaults), its typed create() and destroy(), and the pack's descriptor. */
#include "rl.h"

#include <stdlib.h>

#define RL_PARAMS(P)                                                                                      \
    P(ENUM, strategy, "combined", 0, 0, CB_CHOICES("combined", "phase", "separate"), "",                 \
      "combined: one controller for the pair; phase: alternate CNN and accelerator phases; separate: CNN then accelerator") \
    P(INT, hidden, "32", 1, 4096, NULL, "", "LSTM cell width")                                          \
    P(REAL, lr, "0.01", 1e-8, 10, NULL, "", "Adam step of the controllers")                              \
    P(REAL, baseline_decay, "0.9", 0, 1, NULL, "", "moving-average baseline: b <- decay b + (1 - decay) R") \
    P(REAL, punishment, "1", 0, 1000, NULL, "", "reward -punishment for a pair that breaks a constraint") \
    P(INT, phase_cnn_steps, "1000", 1, 1000000000, NULL, "", "phase: CNN steps per cycle")               \
    P(INT, phase_hw_steps, "200", 1, 1000000000, NULL, "", "phase: accelerator steps per cycle")         \
    P(INT, sep_cnn_steps, "8333", 1, 1000000000, NULL, "", "separate: CNN steps (accuracy alone)")      \
    P(INT, sep_hw_steps, "1667", 1, 1000000000, NULL, "", "separate: accelerator steps, then the search ends") \
    P(INT, max_resample, "200", 1, 1000000, NULL, "", "samples per proposal before a random pair is taken")
CB_PARAM_TABLE(rl_params_schema, RL_PARAMS);

static int rl_create(const cb_host *h, cb_error *e, void **self, int strategy, int64_t hidden, double lr,
                     double baseline_decay, double punishment, int64_t phase_cnn_steps, int64_t phase_hw_steps,
                     int64_t sep_cnn_steps, int64_t sep_hw_steps, int64_t max_resample)
{
    rl *s = calloc(1, sizeof *s);
    if (!s)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    s->h = h;
    s->p = (rl_params){strategy, hidden, phase_cnn_steps, phase_hw_steps, sep_cnn_steps, sep_hw_steps,
                       max_resample, lr, baseline_decay, punishment};
    s->best_perf = s->best_acc = -1;
    s->part = -1;
    cb_rng_seed(&s->rng, h->seed(h, "proposals"));
    cb_pairset_init(&s->asked);
    *self = s;
    return CB_OK;
}
CB_CHECK_CREATE(rl_create, RL_PARAMS);

static void rl_destroy(void *self)
{
    rl *s = self;
    if (!s)
        return;
    rl_ctrl_free(&s->all);
    rl_ctrl_free(&s->cnn);
    rl_ctrl_free(&s->hw);
    rl_decide_free(s);
    cb_skit_free(&s->sk);
    cb_pairset_free(&s->asked);
    free(s->told), free(s->who), free(s->reward), free(s->accuracy), free(s->scratch);
    free(s);
}

static const cb_search_vt rl_vt = {sizeof(cb_search_vt), rl_start, rl_ask, rl_tell, rl_save, rl_load, 0};
static const cb_plugin rl_plugin = {
    sizeof(cb_plugin), CB_KIND_SEARCH, "reinforce", "1.0.0",
    "REINFORCE (Codesign-NAS): an LSTM-cell policy samples the pair; combined, phase or separate",
    rl_params_schema, (cb_fn)rl_create, rl_destroy, &rl_vt};

CB_PACK("std-search-reinforce", "1.0.0", "BSD-3-Clause", "codebench", &rl_plugin)
