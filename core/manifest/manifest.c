/* core/manifest/manifest.c: loading a manifest (see manifest.h): the file, the version check
 * that comes before everything else, the plugin registry, then the key tables. */
#include "manifest/manifest.h"

#include "util/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

char *cb_manifest_resolve(const cb_manifest *m, const char *path)
{
    if (path[0] == '/' || !m->folder)
        return cb_xstrdup(path);
    return cb_xasprintf("%s/%s", m->folder, path);
}

int cb_manifest_fail(const cb_manifest *m, cb_diag *d, cb_mark at, const char *fmt, ...)
{
    char msg[sizeof d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cb_yaml_fail(m->doc, d, at, "%s", msg);
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cb_xstrdup(".");
    if (slash == path)
        return cb_xstrdup("/");
    return cb_xasprintf("%.*s", (int)(slash - path), path);
}

/* Keys without a default keep these: "no constraint", "not written". */
static void init_fields(cb_manifest *m)
{
    cb_objective_constraints *c = &m->objective.constraints;
    c->max_latency_ms = c->max_area_mm2 = INFINITY;
    c->max_dynamic_energy_mj = c->max_leakage_energy_mj = INFINITY;
    c->min_accuracy = 0;
    m->search.initial = -1;
}

static const cb_key *schema_row(const char *name)
{
    for (const cb_key *k = cb_manifest_schema.keys; k->p.name; k++)
        if (strcmp(k->p.name, name) == 0)
            return k;
    return NULL;
}

/* The format version comes first: a manifest written for another version may use keys this
 * one does not know, and "unknown key" would hide the real problem. */
static int check_version(cb_walk *w, yaml_node_t *root)
{
    yaml_node_t *key, *val = cb_yaml_get(w->doc, root, "codebench", &key);
    if (!val)
        return cb_walk_fail(w, cb_yaml_node_mark(root), "missing required top-level key "
                            "'codebench' (the manifest format version: start with 'codebench: %d')",
                            CB_MANIFEST_VERSION);
    const cb_key *k = schema_row("codebench");
    size_t len = cb_walk_push(w, "codebench", 0);
    int rc = k->fn(w, k, val, &((cb_manifest *)w->user)->version);
    cb_walk_pop(w, len);
    return rc;
}

static int check_root(cb_walk *w, yaml_node_t *root)
{
    char got[128];
    if (!root)
        return cb_walk_fail(w, (cb_mark){1, 1}, "the manifest is empty (it needs at least "
                            "'codebench: %d' and the sections in docs/manifest.md)", CB_MANIFEST_VERSION);
    if (root->type != YAML_MAPPING_NODE)
        return cb_walk_fail(w, cb_yaml_node_mark(root), "a manifest is a mapping of sections "
                            "(codebench, cnn, accelerator, ...), got %s", cb_node_desc(root, got, sizeof got));
    return check_version(w, root);
}

int cb_manifest_load(const char *path, cb_registry *reg, cb_manifest *m, cb_diag *d)
{
    memset(m, 0, sizeof *m);
    m->doc = cb_xcalloc(1, sizeof *m->doc);
    if (cb_yamldoc_load(m->doc, path, d)) {
        free(m->doc);
        m->doc = NULL;
        return CB_EINVAL;
    }
    m->folder = folder_of(path);
    init_fields(m);
    cb_walk w = {.doc = m->doc, .d = d, .reg = reg, .user = m};
    yaml_node_t *root = cb_yaml_root(m->doc);
    int rc = check_root(&w, root);
    if (rc == CB_OK && reg->n_files == 0) {
        /* Refused files are recorded in reg (`codebench plugins --verify` shows them); a
         * missing plugin is reported where the manifest names it. */
        cb_error e = {0};
        cb_registry_load_default(reg, NULL, 0, &e);
    }
    if (rc == CB_OK)
        rc = cb_walk_map(&w, &cb_manifest_schema, root, NULL, m);
    if (rc != CB_OK)
        cb_manifest_free(m);
    return rc;
}

void cb_manifest_free(cb_manifest *m)
{
    if (!m->doc) {
        memset(m, 0, sizeof *m);
        return;
    }
    for (size_t i = 0; m->plugin_dirs && i < m->plugin_path.n; i++)
        free(m->plugin_dirs[i]);
    for (size_t i = 0; m->cnn.card_paths && i < m->cnn.cards.n; i++)
        free(m->cnn.card_paths[i]);
    free(m->plugin_dirs);
    free(m->cnn.card_paths);
    free(m->cnn.space_file_path);
    cb_table_free(&cb_manifest_schema, m);
    free(m->output.path);
    free(m->name_buf);
    free(m->folder);
    cb_yamldoc_free(m->doc);
    free(m->doc);
    memset(m, 0, sizeof *m);
}
