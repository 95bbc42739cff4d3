/* plugins/search/bosh/plugins.c: the pack's two descriptors, boshnas and boshcode: their
 * parameter schemas (defaults from the paper and the reference code), typed create()
 * functions, and the ask/tell vtable they share. */
#include "bosh.h"

/* rows both plugins share, after n_init */
#define BOSH_COMMON(P)                                                                                   \
    P(REAL, k1, "0.5", 0, 100, NULL, "", "UCB weight of the aleatoric spread sigma (NPN)")              \
    P(REAL, k2, "0.5", 0, 100, NULL, "", "UCB weight of the epistemic spread xi (student)")             \
    P(REAL, alpha_p, "0.1", 0, 1, NULL, "", "probability of uncertainty sampling per proposal")          \
    P(REAL, beta_p, "0.1", 0, 1, NULL, "", "probability of diversity (random) sampling per proposal")    \
    P(INT, restarts, "4", 1, 1000, NULL, "", "GOBI cold restarts per proposal")                         \
    P(INT, gobi_iters, "100", 1, 100000, NULL, "", "most GOBI steps per restart")                       \
    P(REAL, gobi_lr, "0.1", 1e-6, 100, NULL, "", "GOBI step size (AdaHessian, or Adam when first order)") \
    P(REAL, tol, "1e-4", 0, 1, NULL, "", "converged: the best moved less than this ...")                 \
    P(INT, patience, "5", 0, 1000000, NULL, "", "... over this many results (0: never stop)")          \
    P(INT, epochs, "60", 1, 100000, NULL, "", "most training epochs per network per fit")               \
    P(INT, mc_samples, "10", 2, 10000, NULL, "", "MC-dropout samples of the teacher for xi")            \
    P(INT, pool, "20000", 1, 100000000, NULL, "", "pairs scored by uncertainty sampling")               \
    P(BOOL, first_order_only, "false", 0, 0, NULL, "", "ablation: GOBI with Adam, no Hessian")          \
    P(BOOL, no_heteroscedastic, "false", 0, 0, NULL, "", "ablation: no NPN; mean from the teacher, no sigma")

#define BOSHNAS_PARAMS(P)                                                                  \
    P(INT, n_init, "10", 1, 1000000, NULL, "", "random pairs before the surrogate is used") \
    BOSH_COMMON(P)
CB_PARAM_TABLE(boshnas_params, BOSHNAS_PARAMS);

#define BOSHCODE_PARAMS(P)                                                                         \
    P(INT, n_init, "5", 1, 1000000, NULL, "", "random pairs before the surrogate is used")          \
    BOSH_COMMON(P)                                                                                  \
    P(ENUM, mode, "joint", 0, 0, CB_CHOICES("joint", "cnn_only", "accel_only"), "",                 \
      "joint: move both; cnn_only: hold the accelerator; accel_only: hold the CNN (at the best pair's)") \
    P(INT, aleatoric_queries, "10", 0, 10000, NULL, "", "pairs queried around the converged pair before stopping") \
    P(INT, grow_parents, "10", 1, 1000, NULL, "",                                                    \
      "best CNNs of a level whose crossovers make the next finer level, where the space grows it")
CB_PARAM_TABLE(boshcode_params, BOSHCODE_PARAMS);

static bosh_params common(double k1, double k2, double alpha_p, double beta_p, int64_t restarts,
                          int64_t gobi_iters, double gobi_lr, double tol, int64_t patience,
                          int64_t epochs, int64_t mc_samples, int64_t pool, int first_order_only,
                          int no_heteroscedastic)
{
    return (bosh_params){k1, k2, alpha_p, beta_p, gobi_lr, tol, 0, restarts, gobi_iters, patience, epochs,
                         mc_samples, pool, 0, 0, first_order_only, no_heteroscedastic, CB_SNAP_BOTH, 0};
}

static int boshnas_create(const cb_host *h, cb_error *e, void **self, int64_t n_init, double k1,
                          double k2, double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                          double gobi_lr, double tol, int64_t patience, int64_t epochs, int64_t mc_samples,
                          int64_t pool, int first_order_only, int no_heteroscedastic)
{
    bosh_params p = common(k1, k2, alpha_p, beta_p, restarts, gobi_iters, gobi_lr, tol, patience, epochs,
                           mc_samples, pool, first_order_only, no_heteroscedastic);
    p.n_init = n_init;
    return bosh_create(h, e, self, &p);
}
CB_CHECK_CREATE(boshnas_create, BOSHNAS_PARAMS);

static int boshcode_create(const cb_host *h, cb_error *e, void **self, int64_t n_init, double k1,
                           double k2, double alpha_p, double beta_p, int64_t restarts, int64_t gobi_iters,
                           double gobi_lr, double tol, int64_t patience, int64_t epochs, int64_t mc_samples,
                           int64_t pool, int first_order_only, int no_heteroscedastic, int mode,
                           int64_t aleatoric_queries, int64_t grow_parents)
{
    static const int modes[] = {CB_SNAP_BOTH, CB_SNAP_CNN, CB_SNAP_ACCEL};
    bosh_params p = common(k1, k2, alpha_p, beta_p, restarts, gobi_iters, gobi_lr, tol, patience, epochs,
                           mc_samples, pool, first_order_only, no_heteroscedastic);
    p.n_init = n_init;
    p.two_branch = 1;
    p.mode = mode >= 0 && mode < 3 ? modes[mode] : CB_SNAP_BOTH;
    p.aleatoric_queries = aleatoric_queries;
    p.grow_parents = grow_parents;
    return bosh_create(h, e, self, &p);
}
CB_CHECK_CREATE(boshcode_create, BOSHCODE_PARAMS);

static const cb_search_vt bosh_vt = {sizeof(cb_search_vt), bosh_start, bosh_ask, bosh_tell, bosh_save, bosh_load, 0};
/* boshcode grows the CNN hierarchy from its best CNNs (cb_space.grow) when the host offers it */
static const cb_search_vt boshcode_vt = {sizeof(cb_search_vt), bosh_start, bosh_ask, bosh_tell, bosh_save,
                                         bosh_load, CB_SEARCH_GROWS_LEVELS};

static const cb_plugin boshnas_plugin = {
    sizeof(cb_plugin), CB_KIND_SEARCH, "boshnas", "1.0.0",
    "BOSHNAS: NPN + MC-dropout teacher/student surrogate, UCB, second-order GOBI",
    boshnas_params, (cb_fn)boshnas_create, bosh_destroy, &bosh_vt};

static const cb_plugin boshcode_plugin = {
    sizeof(cb_plugin), CB_KIND_SEARCH, "boshcode", "1.0.0",
    "BOSHCODE: two-branch (CNN, accelerator) BOSHNAS surrogate for co-design, one-sided modes",
    boshcode_params, (cb_fn)boshcode_create, bosh_destroy, &boshcode_vt};

CB_PACK("std-search-bosh", "1.0.0", "BSD-3-Clause", "codebench", &boshnas_plugin, &boshcode_plugin)
