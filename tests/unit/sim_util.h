/* tests/unit/sim_util.h: helpers for the AccelBench tests (sim_*.c): the real MAC and memory
 * plugins, loaded with dlopen from the .so files in <build>/plugins/mac and <build>/plugins/memory
 * and created by calling their create() with its C signature (host table from cb_host_new), hand-built workloads and
 * one-layer networks, and a simulation that must succeed. */
#ifndef CB_TEST_SIM_UTIL_H
#define CB_TEST_SIM_UTIL_H

#include "sim/sim.h"

#include <codebench/codebench.h>

/* The plugin `name` of `kind` from the pack files in <build>/plugins/<kind dir>/. */
const cb_plugin *sim_plugin(cb_kind kind, const char *name);

/* A MAC plugin instance at clock_mhz. */
void *sim_mac(const char *name, double clock_mhz);

/* A memory plugin instance with its schema's defaults and the given geometry. */
void *sim_memory(const char *name, int banks, int ranks, int channels);

/* The memory plugin that implements Table 2's memory type t (1 rram, 2 dram, 3 hbm). */
const char *sim_mem_name(int type);

/* Parts for vector v: mac1 or mac16 by P_if, the memory of its type and configuration
 * (instances made once and kept for the whole test binary). */
cb_sim_parts sim_parts(const cb_accel_vec *v);

/* Workloads for one image. */
cb_workload sim_conv(int64_t cin, int64_t cout, int64_t h, int64_t w, int64_t k, int stride);
cb_workload sim_dense(int64_t in, int64_t out);

/* A network of the given layers chained one after the other (layer 0 reads the input). */
cb_sim_net sim_chain(const cb_workload *w, int n);

/* Simulates and asserts success. */
cb_sim_report sim_run(cb_simulator *s, const cb_sim_net *net, const cb_accel_vec *v, double density);

#endif
