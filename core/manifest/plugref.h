/* core/manifest/plugref.h: plugin references in a manifest.
 *
 * Owns: reading `NAME` or `{plugin: NAME, params: {...}}` (and, for ops,
 * `{plugin: NAME, attrs: {ATTR: value or [values]}}`), resolving NAME among the plugins of the
 * wanted kind (cb_registry_find, with its did-you-mean), and checking every parameter and
 * attribute against the plugin's own cb_param schema with the one strict parser, before any
 * plugin code runs. What it keeps is what cb_plugin_create needs later, plus the marks, so a
 * later failure (create() refusing a value) can still be shown at file:line:col.
 */
#ifndef CB_CORE_PLUGREF_H
#define CB_CORE_PLUGREF_H

#include "manifest/schema.h"

typedef struct cb_plugin_ref {
    int kind;               /* the cb_kind looked up */
    const cb_entry *entry;  /* the resolved plugin (owned by the registry) */
    cb_value *values;       /* one per entry of entry->plugin->params, in schema (create()) order:
                             * the defaults, overridden by the manifest; STR values point into
                             * the manifest's document or the plugin's descriptor */
    cb_mark *marks;         /* where each value was written; line 0: the default */
    size_t n_values;
    cb_list *attrs;         /* ops: one per attribute (cb_op_vt.attrs order); n == 0: not
                             * narrowed, the op's own choices apply */
    size_t n_attrs;
    cb_mark at;             /* where the plugin's name was written */
    char **paths;           /* n_values: CB_P_PATH values resolved against the manifest's
                             * folder (owned; values[i].s points here), NULL entries elsewhere */
} cb_plugin_ref;

typedef struct cb_ref_list {
    cb_plugin_ref *v;
    size_t n;
} cb_ref_list;

/* Item tables for lists of references: {plugin, params} and, for ops, {plugin, attrs}. A bare
 * name stands for {plugin: NAME}. */
extern const cb_table cb_ref_table;
extern const cb_table cb_op_ref_table;

/* Key handlers (see cb_key_fn). For cb_ref_plugin_fn, k->arg is the kind (0: the kind already
 * in the cb_plugin_ref). cb_ref_params_fn and cb_ref_attrs_fn must come after it in the table
 * and be CB_K_ALWAYS, so that defaults are filled and required parameters checked when the key
 * is absent. cb_ref_list_fn reads a list of references of kind k->arg with item table k->sub. */
int cb_ref_plugin_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field);
int cb_ref_params_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field);
int cb_ref_attrs_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field);
int cb_ref_list_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field);

void cb_ref_free(void *ref);       /* a cb_plugin_ref */
void cb_ref_list_free(void *list); /* a cb_ref_list */

/* The plugin's parameter schema, and an op's attribute schema (NULL when none). */
const cb_param *cb_ref_params(const cb_plugin_ref *r);
const cb_param *cb_ref_attr_schema(const cb_plugin_ref *r);

#endif
