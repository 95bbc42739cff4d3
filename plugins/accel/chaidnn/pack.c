/* plugins/accel/chaidnn/pack.c: the pack's entry point and the accel vtable: the family's
 * fixed settings (device, clock, host CPU, tile areas) as create() parameters, its axes,
 * evaluate() for one pair, and the fast path of an exhaustive enumeration (prepare a CNN once,
 * fill one table per configuration, then a CNN's latency is its compiled greedy schedule run
 * over the table). evaluate() goes through the same compile, table and schedule, so both give
 * the same latency to the last bit. */
#include "chaidnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct chaidnn {
    ch_family f;
    ch_types types;           /* every operation type seen: the table's rows */
    ch_store store;           /* prepared CNNs */
    ch_store scratch;         /* evaluate()'s one-off compilation */
    void *table;              /* evaluate()'s table */
    size_t table_cap;
} chaidnn;

#define CH_PARAMS(P)                                                                               \
    P(ENUM, device, "zu9eg", 1, 0, CB_CHOICES("zu9eg", "zu7ev", "zu3eg"), "",                      \
      "Zynq UltraScale+ device; its CLB, BRAM and DSP counts bound the configurations")           \
    P(REAL, clock_mhz, "200", 50, 800, NULL, "MHz", "accelerator clock")                           \
    P(REAL, layer_overhead_us, "10", 0, 10000, NULL, "us",                                        \
      "fixed cost of starting one layer on an engine (descriptors, DMA start, drain)")            \
    P(REAL, cpu_gmacs, "1", 0.001, 1000, NULL, "GMAC/s",                                           \
      "host CPU rate for the layers the accelerator does not run (fully connected, resampling)")  \
    P(REAL, clb_mm2, "0.0044", 0, 1, NULL, "mm^2", "area of one CLB tile (Table I)")               \
    P(REAL, bram_mm2, "0.026", 0, 1, NULL, "mm^2", "area of one 36 Kbit block RAM tile (Table I)") \
    P(REAL, dsp_mm2, "0.044", 0, 1, NULL, "mm^2", "area of one DSP tile (Table I)")
CB_PARAM_TABLE(ch_params, CH_PARAMS);

static int ch_create(const cb_host *h, cb_error *e, void **self, int device, double clock_mhz,
                     double layer_us, double cpu_gmacs, double clb_mm2, double bram_mm2,
                     double dsp_mm2);
CB_CHECK_CREATE(ch_create, CH_PARAMS);

static int ch_create(const cb_host *h, cb_error *e, void **self, int device, double clock_mhz,
                     double layer_us, double cpu_gmacs, double clb_mm2, double bram_mm2,
                     double dsp_mm2)
{
    chaidnn *c = calloc(1, sizeof *c);
    if (!c)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    c->f = (ch_family){&ch_devices[device], clock_mhz * 1e6, layer_us * 1e-6, cpu_gmacs * 1e9,
                       {clb_mm2, bram_mm2, dsp_mm2}};
    *self = c;
    return CB_OK;
}

static void ch_destroy(void *self)
{
    chaidnn *c = self;
    if (!c)
        return;
    ch_types_free(&c->types);
    ch_store_free(&c->store);
    ch_store_free(&c->scratch);
    free(c->table);
    free(c);
}

static int ch_axes_vt(void *self, cb_axis *out, int max)
{
    return ch_axes(out, max);
}

static int64_t ch_prepare(void *self, const cb_graph *g, cb_error *e)
{
    chaidnn *c = self;
    return ch_compile(&c->store, &c->types, g, e);
}

static void ch_forget(void *self)
{
    ch_store_clear(&((chaidnn *)self)->store);
}

static size_t ch_table_bytes_vt(void *self)
{
    return ch_table_bytes(((chaidnn *)self)->types.n);
}

static int ch_table_vt(void *self, const double *configs, int n_config, int n, void *table,
                       double *area_mm2, cb_error *e)
{
    chaidnn *c = self;
    ch_config cfg[CH_LANES];
    memset(cfg, 0, sizeof cfg);
    if (n < 1 || n > CH_LANES)
        return cb_error_set(e, CB_EINVAL, NULL, "a table holds 1..%d configurations, not %d",
                            CH_LANES, n);
    for (int i = 0; i < n; i++)
        if (ch_config_decode(configs + (size_t)i * (size_t)n_config, n_config, &cfg[i], e) != CB_OK)
            return CB_EINVAL;
    ch_table_fill(&c->f, &c->types, cfg, n, NULL, table);
    for (int i = 0; i < n; i++)
        area_mm2[i] = ((ch_table *)table)->area_mm2[i];
    return CB_OK;
}

static void ch_latency(void *self, int64_t h, const void *table, double *latency_s)
{
    ch_schedule(&((chaidnn *)self)->store, h, table, latency_s);
}

static int ch_evaluate(void *self, const cb_graph *g, const double *config, int n_config,
                       cb_accel_result *r, cb_error *e)
{
    chaidnn *c = self;
    ch_config cfg;
    if (ch_config_decode(config, n_config, &cfg, e) != CB_OK)
        return CB_EINVAL;
    ch_store_clear(&c->scratch);
    int64_t h = ch_compile(&c->scratch, &c->types, g, e);
    if (h < 0)
        return e->code ? e->code : CB_EFAIL;
    size_t need = ch_table_bytes(c->types.n);
    if (need > c->table_cap) {
        void *t = realloc(c->table, need);
        if (!t)
            return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
        c->table = t;
        c->table_cap = need;
    }
    uint8_t *used = calloc(c->types.n + 1, 1); /* only this CNN's types need a latency */
    if (!used)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    for (size_t i = 0; i < c->scratch.n_ops; i++)
        if (c->scratch.ops[i].type != CH_JOIN)
            used[c->scratch.ops[i].type] = 1;
    ch_table_fill(&c->f, &c->types, &cfg, 1, used, c->table);
    free(used);
    ch_table *t = c->table;
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->valid = t->fits[0];
    r->area_mm2 = t->area_mm2[0];
    t->fits[0] = 1; /* the latency is reported even where the device is too small */
    ch_schedule(&c->scratch, h, c->table, &r->latency_s);
    r->throughput_fps = r->latency_s > 0 ? 1.0 / r->latency_s : 0;
    return CB_OK;
}

static const cb_accel_vt ch_vt = {
    .size = sizeof(cb_accel_vt), .axes = ch_axes_vt, .evaluate = ch_evaluate,
    .prepare = ch_prepare, .forget = ch_forget, .table_bytes = ch_table_bytes_vt,
    .table = ch_table_vt, .latency = ch_latency};

static const cb_plugin ch_plugin = {
    .size = sizeof(cb_plugin), .kind = CB_KIND_ACCEL, .name = "chaidnn", .version = "1.0.0",
    .summary = "CHaiDNN-like FPGA accelerator of Codesign-NAS: 8,640 configurations, area in "
               "CLB/BRAM/DSP, latency from a per-operation table and a greedy scheduler",
    .params = ch_params, .create = (cb_fn)ch_create, .destroy = ch_destroy, .vtable = &ch_vt};

CB_PACK("fpga-chaidnn", "1.0.0", "BSD-3-Clause", "codebench plugins/accel/chaidnn", &ch_plugin)
