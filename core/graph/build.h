/* core/graph/build.h: a CNNBench graph made into a network the trainers and the simulator run.
 *
 * Owns: flattening a cb_cnngraph of a module space into a cb_net (core/cnn/net.h, whose cb_graph
 * is what plugins see): vertices in topological order, each naming its op plugin and attribute
 * values, with its module index (-1 for the head), and shape inference through the op plugins'
 * infer() as the network is built, so that a graph that does not fit fails at the vertex that
 * does not fit, with its module, op and input shapes.
 *
 * Module semantics (NAS-Bench-101's, which the seeds' model builder follows; the glue ops come
 * from the space file, never from the core):
 *  - an interior vertex takes the sum of its inputs (the `sum` op); inputs narrower than the
 *    widest are first widened by the `projection` op (a 1x1 convolution); one input is taken as
 *    it is;
 *  - the module output concatenates (the `concat` op) the interior vertices wired to it; an
 *    edge from the module input to its output adds the input, projected to that width;
 *  - the head is a chain after the last module: flatten, dense layers, the classifier.
 */
#ifndef CB_GRAPH_BUILD_H
#define CB_GRAPH_BUILD_H

#include "cnn/net.h"
#include "graph/modspace.h"

/* Builds net from g (labels in sp's vocabulary; STR attribute values point into it, so sp
 * outlives net). CB_EINVAL with why on a graph that does not
 * fit: "module 3, vertex 2 (conv2d {...}): <reason> (input 64x8x8)". */
int cb_build_net(const cb_modspace *sp, const cb_cnngraph *g, cb_net *net, char *why, size_t why_len);

#endif
