/* core/manifest/schema.h: a small schema language for YAML mappings, and its walker.
 *
 * Owns: key tables in the style of netplan's mapping handlers: one row per key, saying its
 * type, whether it is required, its default (as YAML text, parsed by the same strict parser
 * as user values: core/plugin/param.h), its range or choices, where the value goes
 * (offsetof in the target struct), and for structured values a nested table or a handler.
 * Adding a key to the manifest is one row. The walker reports the first problem as
 * file:line:col with a dotted key path ("cnn.input.channels: 0 is out of range 1..4096").
 *
 * Order of checks in one mapping: keys must be scalars and known (unknown keys in file order,
 * with a did-you-mean); then the rows in table order (required keys, values, defaults, nested
 * mappings); then the table's cross-key check. Rows run in table order so that a handler may
 * rely on an earlier row (a plugin's `params` on its `plugin`).
 *
 * Field types for scalar rows and list items follow cb_value: INT int64_t, REAL double,
 * BOOL int, STR const char * (pointing into the document, which outlives the target),
 * ENUM int (index into choices).
 */
#ifndef CB_CORE_SCHEMA_H
#define CB_CORE_SCHEMA_H

#include "manifest/yamldoc.h"
#include "plugin/registry.h"

#include <codebench/plugin.h>
#include <stdbool.h>
#include <stddef.h>

/* A list of scalars (plugin_path, cards, the values of one accelerator axis). */
typedef struct cb_list {
    cb_value *v;
    cb_mark *at;       /* where each item was written; {0, 0} for default items */
    size_t n;
} cb_list;

typedef struct cb_walk {
    cb_yamldoc *doc;
    cb_diag *d;
    cb_registry *reg;  /* for plugin references */
    void *user;        /* the manifest being filled, for handlers */
    char path[256];    /* dotted key path of the node being read: "cnn.ops[2].attrs" */
    cb_mark here;      /* the innermost mapping written in the file: where a missing key goes */
} cb_walk;

typedef struct cb_key cb_key;
typedef struct cb_table cb_table;

/* A handler reads node (NULL when the key is absent and the row is CB_K_ALWAYS) into field
 * (the target struct + the row's offset); CB_OK or CB_EINVAL with w->d filled. */
typedef int (*cb_key_fn)(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field);

enum cb_node_kind {
    CB_N_SCALAR = 0, /* p.type says which */
    CB_N_MAP,        /* sub: the nested table; an absent mapping is walked as empty (defaults) */
    CB_N_LIST,       /* a non-empty list of distinct scalars of type p.type into a cb_list */
    CB_N_FN          /* fn reads it */
};

enum {
    CB_K_REQUIRED = 1u << 0, /* absent: "missing required key" */
    CB_K_ABOVE_MIN = 1u << 1, /* numbers: p.min itself is excluded ("> 0") */
    CB_K_ALWAYS = 1u << 2    /* CB_N_FN: called with node NULL when the key is absent */
};

struct cb_key {
    cb_param p;      /* name, type, default text (NULL: none), min, max, choices, unit, help */
    int node;        /* enum cb_node_kind */
    unsigned flags;  /* CB_K_* */
    size_t offset;   /* of the field in the target struct */
    const cb_table *sub; /* CB_N_MAP: nested keys; CB_N_FN: a table the handler may use */
    cb_key_fn fn;    /* CB_N_FN */
    void (*free)(void *field); /* CB_N_FN: releases what fn allocated; may be NULL */
    int arg;         /* for fn: a cb_kind for plugin references */
};

struct cb_table {
    const cb_key *keys;       /* ends with a row whose p.name is NULL */
    const char *scalar_key;   /* a bare scalar in place of the mapping means {scalar_key: it} */
    /* cross-key rules, after every row; map may be NULL (the mapping was absent) */
    int (*check)(cb_walk *w, yaml_node_t *map, void *target);
};

/* Walks node (a mapping, NULL for an absent one, or a scalar where t->scalar_key allows) into
 * target. owner is the key whose value node is (NULL at the top): "missing key" errors point
 * at it. */
int cb_walk_map(cb_walk *w, const cb_table *t, yaml_node_t *node, yaml_node_t *owner, void *target);

/* Parses one scalar node against p with the strict parser; flags as in cb_key. */
int cb_walk_scalar(cb_walk *w, const cb_param *p, unsigned flags, yaml_node_t *node, cb_value *out);

/* Reads a list of scalars of p's type (non-empty, no repeated value) into l. */
int cb_walk_list(cb_walk *w, const cb_param *p, unsigned flags, yaml_node_t *node, cb_list *l);

/* Fills l with p's default, written as YAML flow items without brackets ("1, 2, 4");
 * numbers, booleans and enums only. CB_EINVAL with why filled when an item does not parse. */
int cb_list_default(const cb_param *p, cb_list *l, char *why, size_t why_len);

/* Fills w->d for a problem at `at` and returns CB_EINVAL. */
int cb_walk_fail(cb_walk *w, cb_mark at, const char *fmt, ...) CB_PRINTF(3, 4);

/* Appends ".name" (or "[i]" when name is NULL) to w->path; returns the length to restore. */
size_t cb_walk_push(cb_walk *w, const char *name, size_t index);
void cb_walk_pop(cb_walk *w, size_t len);

/* "a mapping", "a list", "'8x'", "the string \"8\"": what a node is, for "expected X, got Y". */
const char *cb_node_desc(const yaml_node_t *n, char *buf, size_t len);
/* "an integer", "a number", "true or false", "a string", "one of {a, b}" */
const char *cb_type_desc(const cb_param *p, char *buf, size_t len);

/* True when a and b hold the same value of p's type. */
bool cb_value_equal(const cb_param *p, cb_value a, cb_value b);

/* Frees everything walking t allocated in target (lists, handler data), recursively. */
void cb_table_free(const cb_table *t, void *target);
void cb_list_free(cb_list *l);

#endif
