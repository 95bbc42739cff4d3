/* core/graph/opset.h: the vertex labels a space may use, as ops with attribute choices.
 *
 * Owns: cb_opchoice (one op plugin and, per attribute, the values it may take: the values a
 * space lists, else every choice of an attribute the op flags CB_P_SPACE, else its default)
 * and cb_opset (several of them, their labels numbered 0..total-1 in order: op by op, then
 * attribute values as a mixed-radix number, the first attribute most significant). A label
 * number becomes a vocabulary entry (graph/vocab.h) only when a graph uses it, so a space of
 * a hundred thousand labels costs nothing until sampled.
 */
#ifndef CB_GRAPH_OPSET_H
#define CB_GRAPH_OPSET_H

#include "graph/vocab.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct cb_opchoice {
    const char *op;        /* plugin name (the registry's) */
    const cb_op_vt *vt;
    int n_attrs;
    int32_t *n_vals;       /* per attribute */
    cb_value **vals;       /* per attribute; STR values are copied into strs */
    char **strs;           /* per attribute */
    uint64_t count;        /* labels: product of n_vals */
} cb_opchoice;

typedef struct cb_opset {
    cb_opchoice *v;
    int n;
    size_t cap;
    uint64_t total;
} cb_opset;

/* Every attribute at its default; with space set, the CB_P_SPACE ones at all their choices
 * (a design-space list of ops), without it at their default too (one fixed op: glue, the
 * classifier). */
int cb_opchoice_init(cb_opchoice *c, const char *op, const cb_op_vt *vt, bool space, char *why, size_t len);
void cb_opchoice_free(cb_opchoice *c);

/* Restricts attribute `name` to the n given values (parsed with the op's schema: the strict
 * parser of manifests); why names the value that does not fit. */
int cb_opchoice_narrow(cb_opchoice *c, const char *name, const char *const *texts, const bool *quoted, int n,
                       char *why, size_t len);
/* The same with values already parsed (a manifest's op reference). */
void cb_opchoice_set(cb_opchoice *c, int attr, const cb_value *vals, int n);

/* Appends c (taking ownership) and recounts. */
void cb_opset_add(cb_opset *s, cb_opchoice *c);
void cb_opset_free(cb_opset *s);

/* The vocabulary index of label number `index` (added when first used). */
int32_t cb_opset_label(const cb_opset *s, uint64_t index, cb_vocab *voc);

/* The label number of a vocabulary entry in s, or UINT64_MAX when s cannot make it. */
uint64_t cb_opset_index_of(const cb_opset *s, const cb_label *l);

#endif
