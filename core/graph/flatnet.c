/* core/graph/flatnet.c: a cb_net (model card or built graph) as the labelled digraph graph
 * edit distance compares (see ged.h). Vertex 0 is the network input; layer v is vertex v + 1. */
#include "cnn/net.h"
#include "graph/ged.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

void cb_flat_from_net(const cb_net *net, cb_vocab *voc, int32_t in_id, cb_flat *f)
{
    int32_t n = net->g.n_nodes + 1, e = 0;
    for (int32_t v = 0; v < net->g.n_nodes; v++)
        e += net->nodes[v].n_in;
    int32_t *label = cb_xmalloc((size_t)n * sizeof *label);
    int32_t *src = cb_xmalloc(((size_t)e + 1) * sizeof *src), *dst = cb_xmalloc(((size_t)e + 1) * sizeof *dst);
    label[0] = in_id;
    int32_t at = 0;
    for (int32_t v = 0; v < net->g.n_nodes; v++) {
        const cb_node *nd = &net->nodes[v];
        label[v + 1] = cb_vocab_add_op(voc, nd->op, nd->vt, nd->attrs);
        for (int i = 0; i < nd->n_in; i++) {
            src[at] = nd->in[i] == CB_NET_INPUT ? 0 : nd->in[i] + 1;
            dst[at++] = v + 1;
        }
    }
    cb_flat_make(f, n, label, e, src, dst);
    memcpy(f->hash, net->g.hash, sizeof f->hash);
    free(label);
    free(src);
    free(dst);
}
