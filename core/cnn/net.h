/* core/cnn/net.h: a CNN as the core holds it, and model cards.
 *
 * Owns: cb_net (a flattened CNN whose memory the core owns: vertices with their op plugin,
 * attribute values, inputs and inferred shapes, viewed by plugins as a cb_graph), loading a
 * model card (YAML, docs/model-cards.md) into one, shape inference through the op plugins with
 * errors that name the layer and the shapes, parameter and MAC counts, the graph's isomorphism
 * hash, and a structural embedding for searches.
 *
 * A model card:
 *
 *   name: lenet5
 *   input: {channels: 1, height: 28, width: 28}
 *   classes: 10
 *   layers:
 *     - {name: c1, op: conv2d, attrs: {out_channels: 6, kernel: 5}}
 *     - {name: p1, op: maxpool, attrs: {stride: 2}}
 *     - {name: r, op: add, inputs: [c1, p1]}    # inputs: earlier layers; default: the previous
 *
 * The last layer's output is the logits.
 */
#ifndef CB_CORE_NET_H
#define CB_CORE_NET_H

#include "manifest/diag.h"
#include "plugin/registry.h"

#include <codebench/codebench.h>

typedef struct cb_net {
    cb_graph g;            /* what plugins see; nodes point into the arrays below */
    cb_node *nodes;
    char **names;          /* per node */
    cb_value **attrs;      /* per node, in the op's attribute order */
    int32_t **inputs;      /* per node */
    char *name;
    char *strings;         /* STR attribute values are copied here */
    uint64_t params, macs; /* per image */
    int32_t failed;        /* the vertex cb_net_infer stopped at */
} cb_net;

/* Loads a model card; op names are resolved in reg (kind op). Bad input: CB_EINVAL with d at
 * file:line:col. */
int cb_net_load_card(const char *path, cb_registry *reg, cb_net *net, cb_diag *d);
void cb_net_free(cb_net *net);

/* Runs shape inference over net (after its nodes, attrs and inputs are set), fills the node
 * shapes, params and macs; why names the layer, its op and the input shapes on failure. */
int cb_net_infer(cb_net *net, char *why, size_t why_len);

/* The isomorphism hash of the graph into net->g.hash (SHA-256, hex): each vertex starts from
 * its op and attribute values; for |V| rounds every vertex hash becomes SHA-256 of its own label
 * with the sorted hashes of its inputs and the sorted hashes of its outputs; the graph hash is
 * SHA-256 of the sorted vertex hashes. Vertex order and layer names do not matter. */
void cb_net_hash(cb_net *net);

/* A 16-dimensional structural embedding (counts of each kind of workload, log parameters and
 * MACs, depth, widths), raw; callers standardize it over their candidates. */
#define CB_NET_EMBED_DIM 16
void cb_net_embed(const cb_net *net, float out[CB_NET_EMBED_DIM]);

#endif
