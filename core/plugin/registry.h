/* core/plugin/registry.h: finding, checking and indexing plugin packs.
 *
 * Owns: the search path, dlopen of pack files (RTLD_NOW | RTLD_LOCAL, never dlclose'd during a
 * run), the ABI checks (major, minor, struct sizes, type fingerprint), schema lint, refusal of
 * files and folders that others could write, and the index of plugins by (kind, name).
 *
 * Refusals are one line naming the file, the plugin and the versions or parameter, e.g.
 *   build/tests/plugins/abi_major.so: built for plugin ABI 2.0, this codebench provides 1.0
 */
#ifndef CB_CORE_REGISTRY_H
#define CB_CORE_REGISTRY_H

#include <codebench/plugin.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct cb_pack_file {
    char *path;            /* as found on the search path */
    void *dl;              /* dlopen handle (kept open) */
    const cb_pack *pack;
} cb_pack_file;

typedef struct cb_entry {
    const cb_plugin *plugin;
    const cb_pack_file *file;
} cb_entry;

typedef struct cb_refusal {
    char *path;
    char *why;             /* one line, starting with the path */
} cb_refusal;

typedef struct cb_registry {
    cb_pack_file **files;  size_t n_files, cap_files;
    cb_entry *entries;     size_t n_entries, cap_entries;
    cb_refusal *refused;   size_t n_refused, cap_refused;
} cb_registry;

const char *cb_kind_name(cb_kind k);    /* "op", "mac", "memory", "search", "trainer", "accel" */
int cb_kind_from_name(const char *name); /* cb_kind, or 0 when unknown */

void cb_registry_init(cb_registry *r);
void cb_registry_free(cb_registry *r);  /* forgets entries; keeps the libraries loaded */

/* Loads one pack file. On refusal returns CB_EINVAL (bad file: ABI, symbols, schema, names),
 * fills e->msg with one line naming the file, and records it in r->refused. */
int cb_registry_load_file(cb_registry *r, const char *path, cb_error *e);

/* Loads every *.so under dir (recursively, one level of kind folders is typical). A refused
 * file is recorded and skipped; the return is CB_OK unless dir itself is refused or missing
 * (CB_EINVAL, e filled). Files already loaded (same real path) are skipped. */
int cb_registry_load_dir(cb_registry *r, const char *dir, cb_error *e);

/* The default search path, in order: extra (a manifest's plugin_path entries, may be NULL),
 * $CODEBENCH_PLUGIN_PATH (colon-separated), the build tree beside the executable
 * (<exe dir>/plugins), the installed plugindir (<exe dir>/../lib/codebench/plugins). Never the
 * current directory. Missing folders are skipped; refused ones are recorded. */
int cb_registry_load_default(cb_registry *r, const char *const *extra, size_t n_extra,
                             cb_error *e);

/* Looks a plugin up by kind and name, or "pack/name" when two packs provide the same name.
 * NULL when absent (e->msg says so, with a did-you-mean over that kind's names). */
const cb_entry *cb_registry_find(const cb_registry *r, cb_kind kind, const char *name,
                                 cb_error *e);

/* Looks a plugin up by name across all kinds (for `codebench plugins show NAME`). */
const cb_entry *cb_registry_find_any(const cb_registry *r, const char *name, cb_error *e);

/* Lints a schema (unique snake_case names, parsing in-range defaults, min <= max, non-empty
 * choices, known types). On failure fills why with "parameter 'x': ..." and returns CB_EINVAL. */
int cb_schema_lint(const cb_param *params, char *why, size_t why_len);

/* Checks that path and its folder are safe to load code from: owned by the user or root and
 * not writable by group or others. On refusal fills why and returns CB_EINVAL. */
int cb_path_trusted(const char *path, char *why, size_t why_len);

#endif
