/* core/graph/vocab.h: the vertex labels of a set of graphs.
 *
 * Owns: cb_vocab, the distinct labels a space or a set of graphs uses, each with the name it is
 * written with, the text the hash reads (Python's repr of the name for the seeds' string
 * labels, the bare integer for NAS-Bench-101's), and, when the label is an op vertex, its op
 * plugin and attribute values. Labels are found by name in O(1). Graph edit distance weights
 * (graph/ged.h) are attached by cb_vocab_weigh.
 *
 * A label bound to an op is named by the op and every attribute value in schema order, in YAML
 * flow style: "conv2d {channels: 64, kernel: 3, ...}" (cb_vocab_op_name), so the name alone
 * says what the vertex computes and two spaces that agree on an op agree on its labels.
 */
#ifndef CB_GRAPH_VOCAB_H
#define CB_GRAPH_VOCAB_H

#include <codebench/op.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cb_label {
    char *name;            /* as written */
    char *text;            /* what the hash reads */
    const char *op;        /* op plugin name (owned by the registry), or NULL */
    const cb_op_vt *vt;    /* its vtable, or NULL */
    cb_value *attrs;       /* vt->attrs order, or NULL; STR values point into strs */
    char *strs;
    double weight;         /* graph edit distance weight (graph/ged.h); 0 until weighed */
    int32_t rank;          /* vt->cost_rank, or 0 */
} cb_label;

typedef struct cb_vocab {
    cb_label *v;
    int32_t n;
    size_t cap;
    int32_t *slots;        /* open addressing over names: index + 1, 0 empty */
    size_t n_slots;
    const char **texts;    /* n texts, rebuilt by cb_vocab_texts for the hashing functions */
} cb_vocab;

void cb_vocab_init(cb_vocab *voc);
void cb_vocab_free(cb_vocab *voc);

/* The index of name, or -1. */
int32_t cb_vocab_find(const cb_vocab *voc, const char *name);

/* The index of name, added when absent with text (NULL: Python's repr of name). */
int32_t cb_vocab_add(cb_vocab *voc, const char *name, const char *text);

/* The index of the op vertex (op, vt, attrs), added when absent (name from cb_vocab_op_name). */
int32_t cb_vocab_add_op(cb_vocab *voc, const char *op, const cb_op_vt *vt, const cb_value *attrs);

/* "op {a: 1, b: x}" over every attribute, malloc'd. */
char *cb_vocab_op_name(const char *op, const cb_op_vt *vt, const cb_value *attrs);

/* The array of texts, index by label (valid until the next add). */
const char *const *cb_vocab_texts(cb_vocab *voc);

#endif
