/* plugins/accel/chaidnn/chaidnn.h: what the files of the CHaiDNN-like FPGA accelerator pack share
 * (the Codesign-NAS accelerator family, Abdelfattah et al. 2020; docs/codesign-nas.md states
 * every modelling assumption and where each number comes from).
 *
 * The pieces: a configuration (eight axes, 8,640 points), the engines a configuration builds,
 * the area model (CLB, BRAM and DSP counts per component, in mm^2 through tile areas), the
 * operation types the latency table has one row for, the per-operation latency model, and
 * compiled schedules (segments of operations between points every operation waits for) that
 * the greedy scheduler runs over the parallel engines. */
#ifndef CHAIDNN_H
#define CHAIDNN_H

#include <codebench/codebench.h>

/* ---- configuration ------------------------------------------------------------------------ */

enum {
    CH_AX_FILTER_PAR, CH_AX_PIXEL_PAR, CH_AX_IN_DEPTH, CH_AX_W_DEPTH, CH_AX_OUT_DEPTH,
    CH_AX_MEM_WIDTH, CH_AX_POOL, CH_AX_RATIO, CH_N_AXES
};

typedef struct ch_config {
    int fp, pp;               /* filter_par (output channels), pixel_par (output pixels) */
    int d_in, d_w, d_out;     /* buffer depths in words */
    int mem_bits;             /* memory interface width */
    int pool;                 /* 1: a pooling engine */
    double ratio;             /* share of the DSPs in the 3x3 engine; 1: one general engine */
} ch_config;

/* The axes (names and ascending values) and their product. */
int ch_axes(cb_axis *out, int max);
/* config values -> ch_config; CB_EINVAL (e names the axis) when one is not an axis value. */
int ch_config_decode(const double *config, int n, ch_config *c, cb_error *e);

/* ---- the family's fixed settings (create() parameters) ----------------------------------- */

typedef struct ch_device {
    const char *name;
    int clb, bram, dsp;       /* CLBs (8 LUTs each), 36 Kbit block RAMs, DSP slices */
} ch_device;

extern const ch_device ch_devices[]; /* in the order of the `device` parameter's choices */

typedef struct ch_family {
    const ch_device *dev;
    double clock_hz;
    double layer_s;           /* fixed cost of starting one layer on an engine */
    double cpu_macs;          /* multiply-accumulates per second of the host CPU */
    double tile_mm2[3];       /* CLB, BRAM, DSP tile areas */
} ch_family;

/* ---- engines a configuration builds --------------------------------------------------------- */

enum { CH_E_CONV, CH_E_CONV1, CH_E_POOL, CH_E_CPU, CH_N_ENGINES };

typedef struct ch_engine {
    int present;
    int dsp;                  /* DSP slices of a convolution engine */
    double fp, pc;            /* filter lanes and pixel lanes (pc = dsp / (2 fp), may be fractional) */
    int d_in, d_w, d_out;     /* its part of the buffers (words) */
    int fill;                 /* cycles to fill and drain its pipeline once per pass */
} ch_engine;

void ch_engines(const ch_config *c, ch_engine e[CH_N_ENGINES]);

/* ---- area ------------------------------------------------------------------------------------ */

enum { CH_R_CLB, CH_R_BRAM, CH_R_DSP, CH_N_RES };
enum { CH_P_FIXED, CH_P_MEMIF, CH_P_CONV, CH_P_CONV1, CH_P_BUFFERS, CH_P_POOL, CH_N_PARTS };

typedef struct ch_area {
    double part[CH_N_PARTS][CH_N_RES]; /* resources of each component */
    double total[CH_N_RES];
    double mm2;
    int fits;                 /* 1: within the device's resources */
} ch_area;

void ch_area_of(const ch_family *f, const ch_config *c, ch_area *a);
/* BRAM36 blocks of a depth x width memory in the cheapest aspect ratio. */
int ch_bram_blocks(int depth, int width_bits);

/* ---- operation types: one row of the latency table each ----------------------------------- */

enum { CH_T_CONV = 1, CH_T_POOL, CH_T_ELTWISE, CH_T_FC, CH_T_HOST };

typedef struct ch_optype {    /* compared and hashed as plain bytes: keep it padding-free */
    int64_t kind;
    int64_t k, stride, groups, n_in;
    int64_t cin, cout, hin, win, hout, wout;
    int64_t window, in_elems, out_elems, work, pw_of;
} ch_optype;

#define CH_FREE (-1) /* a node with no hardware work (a view, a concatenation by addressing) */

typedef struct ch_types {
    ch_optype *v;
    size_t n, cap;
    uint32_t *slots;          /* open addressing: index + 1, 0 empty */
    size_t n_slots;
} ch_types;

/* The type of node v of g (CH_FREE or an index into t, added when new); CB_EINVAL with e. */
int ch_classify(ch_types *t, const cb_graph *g, int v, int32_t *type, cb_error *e);
void ch_types_free(ch_types *t);

/* ---- latency of one operation type on one configuration ------------------------------------ */

/* The engine type ty runs on under c, and its latency in seconds there. */
int ch_engine_of(const ch_optype *ty, const ch_config *c);
double ch_op_seconds(const ch_family *f, const ch_config *c, const ch_engine e[CH_N_ENGINES],
                     const ch_optype *ty);

/* ---- the table of a block of configurations ------------------------------------------------ */

#define CH_LANES CB_ACCEL_BLOCK

/* Layout: ch_table, then lat[type][CH_LANES] (seconds), then eng[lane][type] (engines). Lanes
 * whose configurations map every type to the same engines form a group; the scheduler runs
 * once per group, all of the group's lanes side by side. */
typedef struct ch_table {
    int32_t n_types, lanes, n_groups;
    int32_t fits[CH_LANES];
    int32_t group_of[CH_LANES];  /* lane -> group */
    int32_t first[CH_LANES];     /* group -> its first lane */
    double area_mm2[CH_LANES];
} ch_table;

size_t ch_table_bytes(size_t n_types);
/* Fills the table for configurations c[0..n) (1 <= n <= CH_LANES); only the types flagged in
 * `used` when it is not NULL (the others' latencies are left 0). */
void ch_table_fill(const ch_family *f, const ch_types *t, const ch_config *c, int n,
                   const uint8_t *used, void *table);

/* ---- compiled schedules --------------------------------------------------------------------- */

#define CH_PREDS 4          /* predecessors an op names; more go through join ops */
#define CH_JOIN 0xffffu     /* type of a join: finishes when its preds have, on no engine */

typedef struct ch_op {
    uint16_t type;            /* a type of the table, or CH_JOIN */
    uint16_t pred[CH_PREDS];  /* 1 + the local index of an earlier op, or 0: none */
} ch_op;

typedef struct ch_use {
    uint32_t seg, count;      /* the segment and how often the CNN runs it */
} ch_use;

typedef struct ch_prog {
    uint32_t use0, n_uses;    /* its uses */
    uint32_t n_types;         /* types known when it was compiled: a table needs as many */
} ch_prog;

typedef struct ch_store {
    ch_op *ops;      size_t n_ops, cap_ops;
    uint32_t *seg_op0, *seg_n; size_t n_seg, cap_seg; /* segment s: ops [op0, op0 + n) */
    uint32_t *slots; size_t n_slots;                  /* dedup of segments: index + 1 */
    ch_use *uses;    size_t n_uses, cap_uses;
    ch_prog *prog;   size_t n_prog, cap_prog;
} ch_store;

/* Compiles g (types from t, added as needed) into s; returns its handle, or -1 with e. */
int64_t ch_compile(ch_store *s, ch_types *t, const cb_graph *g, cb_error *e);
void ch_store_clear(ch_store *s);
void ch_store_free(ch_store *s);

/* The greedy schedule: the latency (s) of CNN h on each lane of table, into out[0..lanes);
 * NAN on lanes whose configuration does not fit the device. */
void ch_schedule(const ch_store *s, int64_t h, const void *table, double *out);

#endif
