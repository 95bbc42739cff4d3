/* tests/plugins/good/fixture_pack.c: a well-formed pack with one plugin of each kind, used by
 * the registry, binding, manifest and CLI tests. Its plugins compute simple, checkable
 * things; they are test doubles, not models of anything. */
#include "../fixture.h"

#include <codebench/codebench.h>
#include <stdlib.h>
#include <string.h>

/* ---- fx_mem: a memory plugin with one parameter of every type ---- */
#define FX_MEM_PARAMS(P)                                                                     \
    P(INT, banks, "16", 1, 64, NULL, "", "banks per rank")                                   \
    P(REAL, clock_ghz, "1.0", 0.1, 10, NULL, "GHz", "interface clock")                      \
    P(BOOL, ecc, "false", 0, 0, NULL, "", "error-correcting code")                           \
    P(STR, label, "main", 0, 0, NULL, "", "a name for logs; 'fail' makes create() fail")     \
    P(ENUM, policy, "open", 0, 0, CB_CHOICES("open", "closed"), "", "row-buffer policy")
CB_PARAM_TABLE(fx_mem_params, FX_MEM_PARAMS);

static int fx_mem_create(const cb_host *h, cb_error *e, void **self, int64_t banks, double clock_ghz,
                         int ecc, const char *label, int policy)
{
    if (strcmp(label, "fail") == 0)
        return h->fail(h, e, CB_EINVAL, "label", "label 'fail' asks this fixture to fail");
    fx_mem_self *s = calloc(1, sizeof *s);
    if (!s)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    s->banks = banks;
    s->clock_ghz = clock_ghz;
    s->ecc = ecc;
    strncpy(s->label, label, sizeof s->label - 1);
    s->policy = policy;
    *self = s;
    return CB_OK;
}
CB_CHECK_CREATE(fx_mem_create, FX_MEM_PARAMS);

static int fx_mem_describe(void *self, cb_mem_model *m, cb_error *e)
{
    const fx_mem_self *s = self;
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    m->peak_gbps = s->clock_ghz * 8.0 * (double)s->banks;
    m->latency_ns = s->policy ? 20.0 : 10.0;
    m->banks = (int32_t)s->banks;
    return CB_OK;
}

static void fx_mem_access(void *self, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now_ps,
                          cb_mem_cost *c)
{
    const fx_mem_self *s = self;
    c->done_ps = now_ps + (uint64_t)((double)bytes / (s->clock_ghz * 8.0) * 1000.0);
    c->energy_pj = (double)bytes * 8.0;
    c->row_hits = 0;
    c->row_misses = 1;
}

static void fx_mem_reset(void *self) { (void)self; }

static const cb_memory_vt fx_mem_vt = {sizeof fx_mem_vt, fx_mem_describe, fx_mem_access, fx_mem_reset};
static const cb_plugin fx_mem = {sizeof(cb_plugin), CB_KIND_MEMORY, "fx_mem", "1.0.0",
                                 "fixture memory with a parameter of every type", fx_mem_params,
                                 (cb_fn)fx_mem_create, free, &fx_mem_vt};

/* ---- fx_mac ---- */
static int fx_mac_describe(void *self, unsigned act, cb_mac_model *m, cb_error *e)
{
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    m->multipliers = 2;
    m->stages = 1;
    m->area_um2 = 100.0;
    m->clock_mhz = 700.0;
    return CB_OK;
}
static const cb_mac_vt fx_mac_vt = {sizeof fx_mac_vt, fx_mac_describe};
static const cb_plugin fx_mac = {sizeof(cb_plugin), CB_KIND_MAC, "fx_mac", "1.0.0",
                                 "fixture MAC lane with two multipliers", NULL, NULL, NULL, &fx_mac_vt};

/* ---- fx_op: y = factor * x, with an enum attribute that the tests only parse ---- */
static const cb_param fx_op_attrs[] = {
    {"factor", CB_T_REAL, "1", 0.1, 10, CB_CHOICES("0.5", "1", "2"), "", "scale factor", CB_P_SPACE},
    {"mode", CB_T_ENUM, "plain", 0, 0, CB_CHOICES("plain", "fancy"), "", "a label", CB_P_SPACE},
    {NULL, 0, NULL, 0, 0, NULL, NULL, NULL, 0},
};

static int fx_op_infer(const cb_value *a, int n_in, const cb_shape *in, cb_shape *out, cb_error *e)
{
    *out = in[0];
    return CB_OK;
}
static void fx_op_count(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                        uint64_t *macs, uint64_t *params)
{
    *macs = (uint64_t)cb_shape_numel(*out);
    *params = 0;
}
static int fx_op_workload(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                          cb_workload *w, cb_error *e)
{
    memset(w, 0, sizeof *w);
    w->size = sizeof *w;
    w->kind = CB_WL_ELEMWISE;
    w->elements = cb_shape_numel(*out);
    return CB_OK;
}
static int fx_op_weights(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out,
                         cb_weight *w, int max)
{
    return 0;
}
static size_t fx_op_zero(const cb_value *a, int n_in, const cb_shape *in, const cb_shape *out)
{
    return 0;
}
static int fx_op_forward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                         const cb_tensor *w, int n_w, cb_tensor *out)
{
    int64_t n = cb_shape_numel(in[0].shape);
    for (int64_t i = 0; i < n; i++)
        out->data[i] = (float)a[0].r * in[0].data[i];
    return CB_OK;
}
static int fx_op_backward(const cb_op_ctx *c, const cb_value *a, int n_in, const cb_tensor *in,
                          const cb_tensor *out, const cb_tensor *w, int n_w, const cb_tensor *dout,
                          cb_tensor *din, cb_tensor *dw)
{
    int64_t n = cb_shape_numel(in[0].shape);
    if (din[0].data)
        for (int64_t i = 0; i < n; i++)
            din[0].data[i] += (float)a[0].r * dout->data[i];
    return CB_OK;
}
static const cb_op_vt fx_op_vt = {sizeof fx_op_vt, fx_op_attrs, 1, 1, 1, fx_op_infer, fx_op_count,
                                  fx_op_workload, fx_op_weights, fx_op_zero, fx_op_zero,
                                  fx_op_forward, fx_op_backward};
static const cb_plugin fx_op = {sizeof(cb_plugin), CB_KIND_OP, "fx_op", "1.0.0",
                                "fixture op: y = factor * x", NULL, NULL, NULL, &fx_op_vt};

/* ---- fx_search: proposes CNN candidates 0, 1, 2, ... in order ---- */
#define FX_SEARCH_PARAMS(P)                                                          \
    P(REAL, k1, "0.5", 0, 100, NULL, "", "exploration weight (must be >= 0)")        \
    P(REAL, k2, "0.5", 0, 100, NULL, "", "second exploration weight")                 \
    P(REAL, alpha, "0.1", 0, 1, NULL, "", "probability of uncertainty sampling")
CB_PARAM_TABLE(fx_search_params, FX_SEARCH_PARAMS);

typedef struct fx_search_self {
    int64_t next, n_cnn;
} fx_search_self;

static int fx_search_create(const cb_host *h, cb_error *e, void **self, double k1, double k2,
                            double alpha)
{
    fx_search_self *s = calloc(1, sizeof *s);
    if (!s)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    *self = s;
    return CB_OK;
}
CB_CHECK_CREATE(fx_search_create, FX_SEARCH_PARAMS);

static int fx_search_start(void *self, const cb_space *sp, cb_error *e)
{
    ((fx_search_self *)self)->n_cnn = sp->n_cnn;
    return CB_OK;
}
static int fx_search_ask(void *self, int n, cb_pair *out, int *n_out, cb_error *e)
{
    fx_search_self *s = self;
    *n_out = 0;
    while (*n_out < n && s->next < s->n_cnn) {
        memset(&out[*n_out], 0, sizeof out[*n_out]);
        out[(*n_out)++].cnn = s->next++;
    }
    return CB_OK;
}
static int fx_search_tell(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e)
{
    return CB_OK;
}
static int fx_search_save(void *self, cb_write w, void *ctx, cb_error *e)
{
    return w(ctx, &((fx_search_self *)self)->next, sizeof(int64_t));
}
static int fx_search_load(void *self, const void *buf, size_t len, cb_error *e)
{
    if (len != sizeof(int64_t))
        return cb_error_set(e, CB_EFAIL, NULL, "state is %zu bytes, expected 8", len);
    memcpy(&((fx_search_self *)self)->next, buf, sizeof(int64_t));
    return CB_OK;
}
static const cb_search_vt fx_search_vt = {sizeof fx_search_vt, fx_search_start, fx_search_ask,
                                          fx_search_tell, fx_search_save, fx_search_load, 0};
static const cb_plugin fx_search = {sizeof(cb_plugin), CB_KIND_SEARCH, "fx_search", "1.0.0",
                                    "fixture search: candidates in index order", fx_search_params,
                                    (cb_fn)fx_search_create, free, &fx_search_vt};

/* ---- fx_trainer: accuracy = 1 / (1 + number of vertices) ---- */
#define FX_TRAINER_PARAMS(P)                                              \
    P(INT, epochs, "2", 1, 1000, NULL, "", "training epochs")             \
    P(REAL, lr, "0.01", 1e-6, 1, NULL, "", "learning rate")
CB_PARAM_TABLE(fx_trainer_params, FX_TRAINER_PARAMS);

static int fx_trainer_create(const cb_host *h, cb_error *e, void **self, int64_t epochs, double lr)
{
    *self = NULL;
    return CB_OK;
}
CB_CHECK_CREATE(fx_trainer_create, FX_TRAINER_PARAMS);

static int fx_trainer_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->accuracy = 1.0 / (1.0 + job->graph->n_nodes);
    return CB_OK;
}
static const cb_trainer_vt fx_trainer_vt = {sizeof fx_trainer_vt, fx_trainer_train};
static const cb_plugin fx_trainer = {sizeof(cb_plugin), CB_KIND_TRAINER, "fx_trainer", "1.0.0",
                                     "fixture trainer: accuracy from the vertex count",
                                     fx_trainer_params, (cb_fn)fx_trainer_create, NULL,
                                     &fx_trainer_vt};

CB_PACK("fixtures", "1.0.0", "MIT", "codebench tests", &fx_mem, &fx_mac, &fx_op, &fx_search,
        &fx_trainer)
