/* core/sim/accel_card.h: accelerator cards, one accelerator of the AccelBench space in a YAML
 * file (examples/accelerators/, docs/accelbench.md):
 *
 *   name: spring
 *   vector: {p_ib: 2, p_if: 16, p_ix: 8, p_iy: 4, p_of: 8, p_kx: 3, p_ky: 3, batch: 1,
 *            act_buffer_mb: 12, weight_buffer_mb: 24, mask_buffer_mb: 4,
 *            memory_type: 1, memory_config: 1}
 *   mac: {plugin: mac16, params: {clock_mhz: 700}}
 *   memory: {plugin: rram}          # implements memory_type 1; banks, ranks and channels
 *                                   # come from memory_config
 *   sparsity: {activation_density: 0.5, weight_density: 0.5}   # optional
 *
 * Owns: reading a card (every value checked: the 13 entries against Table 2's space, the
 * plugins against the registry and their parameters against the plugins' own schemas, with
 * errors at file:line:col), and creating the two plugin instances it names.
 */
#ifndef CB_CORE_ACCEL_CARD_H
#define CB_CORE_ACCEL_CARD_H

#include "manifest/yamldoc.h"
#include "plugin/bind.h"
#include "plugin/registry.h"
#include "sim/sim.h"

typedef struct cb_card_plugin {
    char name[64];
    const cb_entry *entry; /* resolved in the registry (NULL when loaded without one) */
    cb_value *values;      /* one per schema entry, in create() order */
    cb_mark at;            /* where the plugin's name is written */
    int params_node;       /* the card's `params` mapping in the document; 0: none */
} cb_card_plugin;

typedef struct cb_accel_card {
    char name[64];
    cb_accel_vec vec;
    cb_sim_opts opts;
    cb_card_plugin mac, memory;
    cb_yamldoc y; /* kept: STR values point into it */
} cb_accel_card;

/* Loads and checks a card. reg NULL: plugin names are read but not resolved or checked.
 * CB_EINVAL with d at file:line:col for bad input. Free with cb_accel_card_free (also after
 * a failure). */
int cb_accel_card_load(const char *path, cb_registry *reg, cb_accel_card *c, cb_diag *d);

/* Creates the MAC and memory instances (after a load with a registry). A create() that
 * refuses its values is reported at the plugin's name in the card. */
int cb_accel_card_create(cb_accel_card *c, cb_instance *mac, cb_instance *mem, cb_diag *d);

void cb_accel_card_free(cb_accel_card *c);

/* accel_card_bind.c, for the loader: resolves p->name among the plugins of `kind` and parses
 * its parameters (defaults, then the card's); for the memory, banks, ranks and channels come
 * from the vector's memory configuration. */
int cb_card_plugin_bind(cb_accel_card *c, cb_registry *reg, cb_kind kind, cb_card_plugin *p,
                        cb_diag *d);

#endif
