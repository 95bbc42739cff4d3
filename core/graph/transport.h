/* core/graph/transport.h: the transportation problem behind graph edit distance.
 *
 * Owns: moving integer supplies sa[0..p) plus a dummy row p to demands sb[0..q) plus a dummy
 * column q at least total cost, where cost is (p+1) x (q+1) row-major and nonnegative. The
 * dummy row supplies sum(sb) (insertions), the dummy column takes sum(sa) (deletions); dummy to
 * dummy costs what cost says (normally 0). Exact: successive shortest paths with Dijkstra and
 * potentials on the dense residual graph.
 */
#ifndef CB_GRAPH_TRANSPORT_H
#define CB_GRAPH_TRANSPORT_H

#include <stdint.h>

/* Fills flow ((p+1) x (q+1)) and returns the total cost. */
double cb_transport(int p, const int32_t *sa, int q, const int32_t *sb, const double *cost, int32_t *flow);

#endif
