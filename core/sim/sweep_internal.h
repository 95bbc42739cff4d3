/* core/sim/sweep_internal.h: what the sweep's files share and nothing else sees: sweep order,
 * the table of which buffer sizes make each layer behave alike (sweep_plan.c), a worker's
 * evaluator with its per-group memo (sweep_eval.c), and the sampler (sweep_sample.c). */
#ifndef CB_CORE_SIM_SWEEP_INTERNAL_H
#define CB_CORE_SIM_SWEEP_INTERNAL_H

#include "sim/sim_internal.h"
#include "sim/sweep.h"

/* Axis digits of a point in sweep order, and the group (same unrolling, batch and memory). */
void cb_sweep_digits(const cb_accel_space *s, uint64_t order, int d[CB_SPACE_AXES]);
uint64_t cb_sweep_group_size(const cb_accel_space *s); /* points per group */
/* cb_sweep_at that also gives the digits (one decoding per point). */
void cb_sweep_decode(const cb_accel_space *s, uint64_t order, int d[CB_SPACE_AXES], cb_accel_vec *v,
                     int *mem, uint64_t *index);

/* For each batch value b, activation buffer a and weight buffer w of the space: where each
 * layer's tensors sit (cb_sim_plan) and which variant of its class it is, a variant being one
 * distinct cb_sim_layer_fits code among the layers of the class (layers with identical
 * workloads) for that batch. Layers of one class and variant have the same sim_layer_res
 * within a group, except buf_j. */
typedef struct sweep_plan {
    int n_layers, nb, na, nw;
    int *cls;        /* per layer: the first layer with the same workload */
    uint8_t *place;  /* [b][a][layer]: in_resident | out_resident << 1 */
    uint16_t *var;   /* [b][a][w][layer] */
    int *slot0;      /* per layer (of a class's first layer): its class's first memo slot */
    int n_slots;     /* memo slots a worker needs: per class, its most variants over the batches */
} sweep_plan;

/* parts: any parts of the space's first point (the plan needs the buffer capacities only). */
int cb_sweep_plan_build(sweep_plan *p, const cb_sim_net *net, const cb_accel_space *s,
                        const cb_sim_parts *parts, const cb_sim_opts *o, char *why, size_t why_len);
void cb_sweep_plan_free(sweep_plan *p);

typedef struct sweep_memo {
    uint64_t stamp; /* the group it was computed in */
    sim_layer_res res;
} sweep_memo;

/* One worker's evaluator. */
typedef struct sweep_eval {
    const cb_sim_net *net;
    const cb_accel_space *s;
    const sweep_plan *plan;
    const cb_sweep_parts *parts;
    cb_sim_opts opts;
    int direct;
    cb_simulator *sim;         /* direct: cb_simulate's own layer cache */
    uint64_t group, stamp;     /* current group; stamp 0: none yet */
    bool ctx_ok;               /* ctx is set up for the current group */
    cb_accel_vec v;
    cb_sim_parts sp;
    sim_ctx ctx;
    sweep_memo *memo;          /* plan->n_slots */
    const sim_layer_res **res; /* per layer, into memo */
    cb_sim_layer_out *layers;  /* scratch for cb_sim_add_up */
    uint64_t layer_sims;
} sweep_eval;

void cb_sweep_eval_init(sweep_eval *e, const cb_sim_net *net, const cb_accel_space *s,
                        const sweep_plan *plan, const cb_sweep_parts *parts, const cb_sweep_opts *o);
/* Point `order`; CB_EINVAL / CB_EFAIL with why as cb_simulate. */
int cb_sweep_eval_point(sweep_eval *e, uint64_t order, cb_sweep_point *out, char *why, size_t why_len);
void cb_sweep_eval_free(sweep_eval *e);

/* The MAC instance of parts whose lane has `multipliers` multipliers, or -1. */
int cb_sweep_mac_for(const cb_sweep_parts *parts, int multipliers);

/* A uniform sample of n distinct positions of [0, N), produced in increasing order (Vitter's
 * method A: one draw per selected position, O(N) arithmetic in all). */
typedef struct sweep_sampler {
    cb_rng rng;
    double n, top, nreal; /* positions still to draw; N - n; positions left */
    uint64_t next;        /* the first position not yet passed */
} sweep_sampler;

void cb_sweep_sampler_init(sweep_sampler *s, uint64_t n, uint64_t total, uint64_t seed);
/* The next selected position; false when all n were drawn. */
bool cb_sweep_sampler_next(sweep_sampler *s, uint64_t *pos);

#endif
