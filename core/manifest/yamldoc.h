/* core/manifest/yamldoc.h: a YAML file loaded for strict validation.
 *
 * Owns: reading the file (at most CB_YAML_MAX_BYTES), its lines (for carets), the libyaml
 * document (document API: manifests are small and validation needs random access and a mark
 * on every node), and the refusals libyaml does not make itself:
 *   - tab characters anywhere (libyaml's own message for a tab in the indentation, "found
 *     character that cannot start any token", does not say what is wrong);
 *   - anchors and aliases (libyaml silently expands `*name`, so one edit would change values
 *     in several places the reader cannot see);
 *   - explicit tags (`!!int 8`): a value's type comes from the schema, not the file;
 *   - duplicate keys in a mapping (libyaml keeps both silently);
 *   - a second document in the file (yaml_parser_load would silently ignore it);
 *   - nesting deeper than CB_YAML_MAX_DEPTH.
 * Syntax errors come out with 1-based marks and plain explanations (see yamlerr.h).
 */
#ifndef CB_CORE_YAMLDOC_H
#define CB_CORE_YAMLDOC_H

#include "manifest/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#define CB_YAML_MAX_BYTES (1u << 20) /* a manifest is a page or two; this refuses the wrong file */
#define CB_YAML_MAX_DEPTH 32         /* the schema nests 4 levels; this bounds every recursion */

typedef struct cb_yamldoc {
    char *path;           /* as given, for messages */
    char *text;           /* the whole file, NUL-terminated */
    size_t len;
    size_t *line_start;   /* byte offset where each line starts */
    size_t n_lines;
    yaml_document_t doc;
    bool has_doc;
} cb_yamldoc;

/* Loads path into y. On failure fills d (file:line:col, message, source line) and returns
 * CB_EINVAL; y is then empty and cb_yamldoc_free is still safe. */
int cb_yamldoc_load(cb_yamldoc *y, const char *path, cb_diag *d);
void cb_yamldoc_free(cb_yamldoc *y);

/* The root node; NULL for a file with no content (empty, or only comments). */
yaml_node_t *cb_yaml_root(cb_yamldoc *y);
yaml_node_t *cb_yaml_node(cb_yamldoc *y, int id);

cb_mark cb_yaml_mark(yaml_mark_t m);        /* libyaml's 0-based mark, made 1-based */
cb_mark cb_yaml_node_mark(const yaml_node_t *n);
/* The 1-based place of byte offset `at` (columns count characters). */
cb_mark cb_yaml_offset_mark(const cb_yamldoc *y, size_t at);

/* Copies line `line` (1-based) without its line break into buf ("" past the end). */
void cb_yaml_source_line(const cb_yamldoc *y, int line, char *buf, size_t len);

/* Fills d for a problem at `at` in this file, source line included; returns CB_EINVAL. */
int cb_yaml_fail(const cb_yamldoc *y, cb_diag *d, cb_mark at, const char *fmt, ...) CB_PRINTF(4, 5);

/* The value of key in mapping map (NULL when absent); *key_node (may be NULL) gets the key. */
yaml_node_t *cb_yaml_get(cb_yamldoc *y, yaml_node_t *map, const char *key, yaml_node_t **key_node);

/* True for a plain scalar that YAML reads as null: empty (`key:`), `~` or `null`. */
bool cb_yaml_is_null(const yaml_node_t *n);
/* True when the scalar was quoted or written as a block (| or >): then it is a string. */
bool cb_yaml_is_quoted(const yaml_node_t *n);
const char *cb_yaml_str(const yaml_node_t *n); /* a scalar's text */

#endif
