/* core/graph/neighbors.h: neighbours in CNN2vec space and the weight-transfer choice.
 *
 * Owns: the k nearest graphs of every graph by embedding distance (k = 100 in the paper), the
 * "biased" ranking used for weight transfer (CODEBench paper Sec. 3.1.7; jha-lab
 * cnn_design-space embedding_util.get_neighbors): graphs ordered by biased overlap (leading
 * modules identical in matrix and labels, counted from the input until the first difference),
 * larger first, ties broken by embedding distance; and the source a query takes its weights
 * from: the first neighbour in that order that is trained and whose overlap fraction
 * (overlap / modules of the query) reaches the threshold (0.8 in the paper).
 */
#ifndef CB_GRAPH_NEIGHBORS_H
#define CB_GRAPH_NEIGHBORS_H

#include "graph/cnngraph.h"

#include <stddef.h>
#include <stdint.h>

#define CB_NEIGHBORS_K 100
#define CB_TRANSFER_THRESHOLD 0.8

/* out (n x k): for each graph its k nearest others by embedding distance, nearest first (-1
 * where there are fewer than k others). When g is not NULL the order is the biased one. */
void cb_neighbors(const float *embed, size_t n, int dim, const cb_cnngraph *g, int k, int32_t *out);

/* overlap(q, nb) / q->n. */
double cb_overlap_fraction(const cb_cnngraph *q, const cb_cnngraph *nb);

/* The first of q's k neighbours nbrs (biased order) with trained[j] set and an overlap fraction
 * of at least tau, or -1. */
int64_t cb_transfer_source(const cb_cnngraph *g, size_t q, const int32_t *nbrs, int k,
                           const unsigned char *trained, double tau);

#endif
