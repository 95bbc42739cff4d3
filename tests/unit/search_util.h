/* tests/unit/search_util.h: what the search plugin tests (search_*.c) share: a plugin loaded
 * with dlopen/dlsym from <build>/plugins/search/<file>.so, a synthetic space (random CNN
 * embeddings made from categorical decisions, a small accelerator axis set, a smooth objective,
 * an optional area-like constraint), driving ask/tell, and the resume check: a search saved
 * mid-run (with pairs pending) and loaded into a fresh instance proposes what the original
 * goes on to propose. */
#ifndef CB_TEST_SEARCH_UTIL_H
#define CB_TEST_SEARCH_UTIL_H

#include <codebench/codebench.h>

#define SU_MAX_AXES 3

typedef struct su_space {
    cb_space sp;
    float *embed;
    int32_t *dec, card[8];
    float *feat;
    cb_axis axes[SU_MAX_AXES];
    double values[SU_MAX_AXES][8];
    double center[16];
    double max_area; /* > 0: valid() refuses pairs whose area() exceeds it */
    long valid_calls;
} su_space;

/* n_cnn CNNs (0: none; at most 1296, all distinct) with 16-d embeddings and 4 decisions of 6
 * choices, n_axes of the axes {1,2,4,8}, {1,3,5,7,9}, {16,32,64}; 27 features (the one-hot
 * decisions and three equal-neighbour bits) when feat is set. */
void su_space_make(su_space *s, int64_t n_cnn, int n_axes, int feat, uint64_t seed);
void su_space_free(su_space *s);
/* the pair's area-like cost (grows with the accelerator values) */
double su_area(const cb_pair *p);
/* the smooth objective in [0, 1] */
double su_objective(const su_space *s, const cb_pair *p);
/* The best objective over the whole grid, and the fraction of valid pairs at or below v. */
double su_best(su_space *s);
double su_rank(su_space *s, double v);

/* The search plugin called name from <build>/plugins/search/<file>.so (asserts). */
const cb_plugin *su_plugin(const char *file, const char *name);

typedef struct su_inst {
    cb_host *h;
    void *self;
    const cb_plugin *pl;
    const cb_search_vt *vt;
} su_inst;

/* Asserts that create (called by the test with its C signature) gave CB_OK, then starts. */
void su_started(su_inst *in, int rc, const cb_error *e, const cb_space *sp);
void su_drop(su_inst *in);
/* One ask of up to n; asserts CB_OK, checks every pair against the space; returns n_out. */
int su_ask(su_inst *in, su_space *s, int n, cb_pair *out);
void su_tell(su_inst *in, su_space *s, const cb_pair *p);
/* Asks in batches of batch and tells each batch back in reverse order, until total proposals
 * or the search stops; asserts no pair repeats and none breaks valid(). Returns the count. */
int su_run(su_inst *in, su_space *s, int total, int batch, cb_pair *log);
/* As the runner drives a search with `workers` busy workers: one pair per ask(); the first
 * `workers` asks come with no result in between, then each ask follows one result (the
 * second-oldest pending pair's, so results arrive out of order). Asserts that no pair repeats
 * an earlier one, pending or told; tells what is still pending at the end; returns the count. */
int su_run_async(su_inst *in, su_space *s, int total, int workers, cb_pair *log);

typedef struct su_buf {
    char *p;
    size_t len, cap;
} su_buf;
int su_buf_write(void *ctx, const void *data, size_t len);

/* make() returns a created, started instance (same parameters every call). Runs `before`
 * proposals, asks 2 more and keeps them pending, saves, tells them, runs `after`; a fresh
 * instance loaded from the save, told the same 2, must propose exactly the same `after`. A
 * truncated state must be refused. */
typedef void (*su_make_fn)(su_inst *in, su_space *s, void *ctx);
void su_check_resume(su_make_fn make, void *ctx, su_space *s, int before, int after, int batch);

#endif
