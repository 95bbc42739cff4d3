/* core/pareto/skeleton.h: a cell-based network skeleton, and cells built into codebench graphs.
 *
 * Owns: the skeleton as data (a YAML file, e.g. examples/codesign-nas/nb101-skeleton.yaml: the
 * NAS-Bench-101 network of Fig. 2 of Codesign-NAS): a stem, stacks of cells with a downsampling
 * op between stacks and the width doubled at each, a head; and for the cell, the op each label
 * computes, the 1x1 projection of the cell input, the truncation of a wider input, the sum of
 * several inputs and the concatenation of the outputs. The core names no op: every op and
 * attribute comes from the file, resolved among the loaded op plugins and checked against
 * their schemas, with errors at file:line:col.
 *
 * A cell is a cb_module (graph/module.h) whose interior labels index the skeleton's cell ops
 * through a label map; cells are wired as NAS-Bench-101's model builder wires them (vertex
 * widths, projections, truncation, sums, concatenation), so the graph's parameter count is
 * the benchmark's own.
 *
 * File format:
 *
 *   stem: {op: conv2d, attrs: {kernel: 3}}
 *   stem_channels: 128
 *   stacks: 3
 *   cells_per_stack: 3
 *   width: out_channels        # the attribute that sets an op's output channels
 *   cell_ops: [{op: conv2d, attrs: {kernel: 3}}, ...]   # by label code 0, 1, ...
 *   projection: {op: conv2d, attrs: {kernel: 1}}
 *   truncate: {op: slice}
 *   sum: {op: add}
 *   concatenate: {op: concat}
 *   downsample: {op: maxpool, attrs: {kernel: 3, stride: 2, padding: 1}}
 *   head: [{op: global_avgpool}, {op: dense, attrs: {classes: 10}}]
 */
#ifndef CB_CORE_PARETO_SKELETON_H
#define CB_CORE_PARETO_SKELETON_H

#include "graph/module.h"
#include "manifest/yamldoc.h"
#include "plugin/registry.h"

#include <codebench/codebench.h>

typedef struct cb_optmpl {
    const cb_plugin *op;
    cb_value *vals;       /* op->vtable's attrs order; STR values point into the skeleton's file */
    int width;            /* index of the width attribute, or -1 when the op has none */
} cb_optmpl;

enum { CB_SK_STEM, CB_SK_PROJ, CB_SK_TRUNC, CB_SK_SUM, CB_SK_CONCAT, CB_SK_DOWN, CB_SK_ROLES };

typedef struct cb_skeleton {
    cb_yamldoc y;
    int64_t stem_channels, stacks, cells_per_stack;
    cb_optmpl role[CB_SK_ROLES];
    cb_optmpl *cell_ops;
    int n_cell_ops;
    cb_optmpl *head;
    int n_head;
} cb_skeleton;

/* Loads path, resolving ops in reg (kind op). CB_EINVAL with d at file:line:col. */
int cb_skeleton_load(const char *path, cb_registry *reg, cb_skeleton *sk, cb_diag *d);
void cb_skeleton_free(cb_skeleton *sk);

/* A built network: a cb_graph whose nodes, attributes and inputs live in arenas reused from
 * one build to the next (no allocation per cell once warm). */
typedef struct cb_cellnet {
    cb_graph g;
    cb_node *nodes;
    size_t cap_nodes;
    cb_value *vals;
    size_t n_vals, cap_vals;
    int32_t *ins;
    size_t n_ins, cap_ins;
    uint64_t params, macs; /* per image */
} cb_cellnet;

void cb_cellnet_free(cb_cellnet *net);

/* Builds cell m into the skeleton's network for an input of shape `input` (n = 1). op_of_label
 * maps m's labels to indices into cell_ops (-1 for the input and output labels); n_labels
 * bounds it. CB_EINVAL with why when a label has no op or an op refuses its shapes. */
int cb_cellnet_build(cb_cellnet *net, const cb_skeleton *sk, const cb_module *m,
                     const int32_t *op_of_label, int32_t n_labels, cb_shape input, char *why,
                     size_t why_len);

/* NAS-Bench-101's vertex widths of a cell with in and out channels (its
 * compute_vertex_channels): vertices feeding the output split `out` between them, the first
 * ones taking the remainder; every other vertex takes the widest of its successors. */
void cb_cell_widths(const cb_module *m, int64_t in, int64_t out, int64_t *width);

#endif
