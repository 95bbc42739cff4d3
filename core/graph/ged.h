/* core/graph/ged.h: graph edit distance between CNN graphs, with the seeds' costs.
 *
 * Owns: the flattened labelled digraph GED compares (cb_flat: a CNNBench graph's modules laid
 * side by side plus an edge from each module's output to the next module's input, as
 * graph_util.generate_dissimilarity_matrix builds it; or any cb_net), the per-label weights,
 * and the distance.
 *
 * Costs (jha-lab/cnn_design-space graph_util.py; docs/cnnbench.md says more):
 *  - every label has a weight w in millions: input 1e-6, output 5e-6 (the seeds' 1 and 5), an
 *    op vertex (its trainable parameters on the seeds' reference input, 128 channels, plus the
 *    op's cost_rank) / 1e6, so convolutions weigh about 128 * C_out * k^2 / groups as in the
 *    seeds and parameter-free ops are ordered by their rank;
 *  - the labels are indexed in order of weight (computational complexity); substituting a by b
 *    costs (1 + 0.1 |i_a - i_b|) |w_a - w_b|, inserting or deleting a vertex its weight, an
 *    edge 1e-9. Edit distance is the cheapest sequence of edits; chaining substitutions through
 *    neighbouring labels costs 1.1 |w_a - w_b|, so a vertex edit costs
 *    min(1.1 |w_a - w_b|, w_a + w_b) (through deletion and insertion), plus 1e-9 when the labels
 *    differ so that distinct ops of equal weight are still told apart. That cost is a metric,
 *    and so is the distance.
 *
 * With vertex edits at least a million times dearer than edge edits, the optimal vertex
 * assignment is a transportation problem between the two label multisets, solved exactly (min
 * cost flow); the edge edits implied by it are then added. The result is exact for the vertex
 * part and at most 1e-9 * (|E1| + |E2|) above the exact distance; it is symmetric (the pair is
 * put in a fixed order first) and 0 for graphs with the same hash.
 */
#ifndef CB_GRAPH_GED_H
#define CB_GRAPH_GED_H

#include "graph/cnngraph.h"
#include "graph/vocab.h"

#include <stddef.h>

#define CB_GED_EDGE_COST 1e-9
#define CB_GED_INPUT_WEIGHT 1e-6
#define CB_GED_OUTPUT_WEIGHT 5e-6

typedef struct cb_flat {
    int32_t n;          /* vertices */
    int32_t *label;     /* vocabulary indices */
    int32_t *out_start; /* CSR over out-edges: out[out_start[v] .. out_start[v + 1]) */
    int32_t *out;       /* sorted per vertex */
    int32_t n_edges;
    char hash[65];      /* the graph's hash ("" when unknown: never taken as equal) */
} cb_flat;

/* The seeds' flattening of a CNNBench graph. */
void cb_flat_from_cnngraph(const cb_cnngraph *g, cb_flat *f);
/* A network (a model card, a built graph): one vertex per layer labelled by its op and
 * attribute values (added to voc), plus the input vertex labelled in_id; edges from inputs. */
struct cb_net;
void cb_flat_from_net(const struct cb_net *net, cb_vocab *voc, int32_t in_id, cb_flat *f);
/* n vertices with labels and edges src[e] -> dst[e] (copied). */
void cb_flat_make(cb_flat *f, int32_t n, const int32_t *label, int32_t n_edges, const int32_t *src,
                  const int32_t *dst);
void cb_flat_free(cb_flat *f);

/* Sets every label's weight: op labels from their op plugin (count() on the reference input),
 * in_id and out_id to the input and output weights; other labels keep theirs (set by hand, or
 * by a space's data file). CB_EINVAL with why when an op infers no shape on any reference input. */
int cb_vocab_weigh(cb_vocab *voc, int32_t in_id, int32_t out_id, char *why, size_t why_len);

/* The vertex edit cost between labels a and b (a == b: 0; -1 stands for "no vertex"). */
double cb_ged_vertex_cost(const cb_vocab *voc, int32_t a, int32_t b);

/* The distance (see above). Thread-safe for distinct calls. */
double cb_ged(const cb_vocab *voc, const cb_flat *a, const cb_flat *b);

#endif
