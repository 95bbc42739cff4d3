/* core/manifest/manifest.h: a run's manifest, loaded and validated.
 *
 * Owns: the parsed sections of a manifest (docs/manifest.md is the schema, key by key) and
 * its loading: the YAML file (yamldoc.h), the format version (checked first), the plugin
 * search path (the manifest's plugin_path, then the default path), and the validation of every
 * section against the key tables in manifest_keys.c, plugin names and parameters included.
 * Everything is checked before anything runs: a bad manifest fails in milliseconds with one
 * `file:line:col: message`, never an hour into a search.
 *
 * The manifest owns its document: STR values (here and in plugin values) point into it and
 * live until cb_manifest_free.
 */
#ifndef CB_CORE_MANIFEST_H
#define CB_CORE_MANIFEST_H

#include "manifest/diag.h"
#include "manifest/plugref.h"
#include "manifest/schema.h"
#include "manifest/yamldoc.h"
#include "plugin/registry.h"

#define CB_MANIFEST_VERSION 1 /* the format this codebench reads (`codebench: 1`) */

/* Enum keys: the values are the indices of their choices in the key tables. */
enum { CB_SPACE_CARDS = 0, CB_SPACE_MODULES, CB_SPACE_NB101, CB_SPACE_NB201 };
enum { CB_FAMILY_ASIC = 0, CB_FAMILY_FPGA };
enum { CB_BACKEND_LOCAL = 0, CB_BACKEND_MPI };

typedef struct cb_cnn_input {
    int64_t channels, height, width;
} cb_cnn_input;

typedef struct cb_cnn_module {
    int64_t max_vertices, max_edges; /* input and output vertices included */
} cb_cnn_module;

typedef struct cb_cnn_stacks {
    int64_t max_modules;
    cb_list levels;       /* modules per stack at each hierarchy level, coarsest first */
} cb_cnn_stacks;

typedef struct cb_cnn_head {
    int64_t max_vertices;
} cb_cnn_head;

typedef struct cb_manifest_cnn {
    cb_cnn_input input;
    int64_t classes;
    int space;            /* CB_SPACE_* */
    cb_list cards;        /* as written (STR) */
    char **card_paths;    /* resolved against the manifest's folder; cards.n of them */
    cb_ref_list ops;      /* op plugins and their narrowed attributes */
    cb_cnn_module module;
    cb_cnn_stacks stacks;
    cb_cnn_head head;
    const char *table;    /* nb101: tabulated accuracies of the cells, as written (or NULL) */
    const char *skeleton; /* nb101: the network the cells go into, as written (or NULL) */
    const char *space_file; /* modules: a space file (ops, glue, head), as written (or NULL) */
    char *space_file_path;  /* ...resolved against the manifest's folder */
    int64_t candidates;     /* modules: CNNs sampled into the study's candidate pool */
    cb_mark space_at, space_file_at; /* where cnn.space and cnn.space_file were written */
    cb_mark table_at, skeleton_at;   /* ... and cnn.table, cnn.skeleton */
} cb_manifest_cnn;

/* The accelerator axes a search may vary (AccelBench's vector), each narrowed to a subset of
 * its default value set. */
typedef struct cb_accel_axes {
    cb_list p_ib, p_if, p_ix, p_iy, p_of, p_k, batch, act_buffer_mb, weight_buffer_mb,
        mask_buffer_mb;
} cb_accel_axes;

typedef struct cb_manifest_accel {
    int family;           /* CB_FAMILY_* */
    cb_ref_list mac, memory;
    cb_accel_axes axes;
    cb_plugin_ref plugin; /* family fpga: the accelerator family plugin (entry NULL: none) */
} cb_manifest_accel;

typedef struct cb_objective_weights {
    double latency, area, dynamic_energy, leakage_energy, accuracy; /* sum to 1 */
} cb_objective_weights;

typedef struct cb_objective_constraints {
    /* INFINITY (max_*) or 0 (min_accuracy) when not given: no constraint */
    double max_latency_ms, max_area_mm2, max_dynamic_energy_mj, max_leakage_energy_mj, min_accuracy;
} cb_objective_constraints;

typedef struct cb_manifest_objective {
    cb_objective_weights weights;
    cb_objective_constraints constraints;
} cb_manifest_objective;

typedef struct cb_manifest_search {
    cb_plugin_ref ref;
    int64_t budget, initial, batch;
} cb_manifest_search;

typedef struct cb_manifest_trainer {
    cb_plugin_ref ref;
} cb_manifest_trainer;

typedef struct cb_manifest_workers {
    int64_t count;
    double timeout_s;
    int backend;          /* CB_BACKEND_* */
} cb_manifest_workers;

/* A reference pair: a published CNN (model card) on a published accelerator (accelerator
 * card) that the report simulates and sets beside the study's best pair. */
typedef struct cb_manifest_reference {
    const char *model, *accelerator; /* as written */
    double accuracy;                 /* as given, or NaN: not trained */
    const char *label;               /* as written, or NULL */
    char *model_path, *accel_path;   /* resolved against the manifest's folder */
    cb_mark at;                      /* where the item is written */
} cb_manifest_reference;

typedef struct cb_manifest_references {
    cb_manifest_reference *v;
    size_t n;
} cb_manifest_references;

typedef struct cb_manifest_output {
    const char *dir;      /* as written, or NULL (then "runs/<name>") */
    int report;
    char *path;           /* the run folder, resolved against the manifest's folder */
    cb_manifest_references references; /* none when not written */
} cb_manifest_output;

typedef struct cb_manifest {
    cb_yamldoc *doc;      /* the file; every STR value points into it */
    char *folder;         /* the manifest's folder: relative paths are resolved against it */
    int64_t version;
    const char *name;     /* as written, or the file's name without .yaml */
    char *name_buf;       /* owns the derived name */
    int64_t seed;
    cb_list plugin_path;  /* as written (STR) */
    char **plugin_dirs;   /* resolved; plugin_path.n of them */
    cb_manifest_cnn cnn;
    cb_manifest_accel accel;
    cb_manifest_objective objective;
    cb_manifest_search search;
    cb_manifest_trainer trainer;
    cb_manifest_workers workers;
    cb_manifest_output output;
} cb_manifest;

/* The key tables (manifest_keys.c): the whole schema, from the top-level mapping down. */
extern const cb_table cb_manifest_schema;

/* Loads and validates path. Plugins: when reg holds no pack yet, it is filled from the
 * manifest's plugin_path (relative to the manifest's folder), then the default search path
 * (cb_registry_load_default); when the caller has already loaded packs into reg (a test, a
 * tool with its own path), only the manifest's plugin_path is added. reg must outlive m.
 * Returns CB_OK, or CB_EINVAL with d filled (file:line:col, message, source line); m is then
 * empty (cb_manifest_free is still safe). */
int cb_manifest_load(const char *path, cb_registry *reg, cb_manifest *m, cb_diag *d);
void cb_manifest_free(cb_manifest *m);

/* For errors found after loading (a plugin's create() refusing a value): fills d at `at` in
 * the manifest, with its source line; returns CB_EINVAL. */
int cb_manifest_fail(const cb_manifest *m, cb_diag *d, cb_mark at, const char *fmt, ...) CB_PRINTF(4, 5);

/* path resolved against the manifest's folder (absolute paths are kept); malloc'd. */
char *cb_manifest_resolve(const cb_manifest *m, const char *path);

/* Writes a short summary (sections, plugins and their parameter values) to out. */
void cb_manifest_print(const cb_manifest *m, FILE *out);

#endif
