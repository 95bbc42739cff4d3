/* codebench/graph.h: a CNN as it crosses the boundary to trainers and accelerator models.
 *
 * Owns: the flattened network a plugin sees: vertices in topological order, each naming its
 * op plugin, vtable, attribute values and input vertices. The core builds it from a model card
 * or a point of the CNN space (modules, stacks, head) and owns every pointer in it.
 */
#ifndef CODEBENCH_GRAPH_H
#define CODEBENCH_GRAPH_H

#include "op.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CB_NET_INPUT (-1) /* an input index naming the network's input tensor */

typedef struct cb_node {
    const char *op;         /* op plugin name */
    const cb_op_vt *vt;     /* its vtable */
    const cb_value *attrs;  /* in the order of vt->attrs */
    int32_t n_in;
    const int32_t *in;      /* indices of earlier nodes, or CB_NET_INPUT */
    cb_shape out;           /* inferred output shape, n = 1 */
    int32_t module;         /* index of the module it belongs to; -1: stem or head */
} cb_node;

typedef struct cb_graph {
    uint32_t size;          /* sizeof(cb_graph) when built */
    int32_t n_nodes;
    const cb_node *nodes;   /* topological order; the last node's output is the logits */
    cb_shape input;         /* n = 1 */
    int32_t classes;
    char hash[65];          /* the graph's isomorphism hash, hex */
    const char *name;       /* model card name, or NULL */
} cb_graph;

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_GRAPH_H */
