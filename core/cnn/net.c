/* core/cnn/net.c: shape inference, counts, hashing and embedding of a cb_net (see net.h). */
#include "cnn/net.h"
#include "util/util.h"

#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_net_free(cb_net *net)
{
    for (int32_t v = 0; v < net->g.n_nodes; v++) {
        free(net->names ? net->names[v] : NULL);
        free(net->attrs ? net->attrs[v] : NULL);
        free(net->inputs ? net->inputs[v] : NULL);
    }
    free(net->names);
    free(net->attrs);
    free(net->inputs);
    free(net->nodes);
    free(net->name);
    free(net->strings);
    memset(net, 0, sizeof *net);
}

static void input_shapes(const cb_net *net, int v, cb_shape *in)
{
    const cb_node *n = &net->nodes[v];
    for (int i = 0; i < n->n_in; i++)
        in[i] = n->in[i] == CB_NET_INPUT ? net->g.input : net->nodes[n->in[i]].out;
}

int cb_net_infer(cb_net *net, char *why, size_t why_len)
{
    net->params = net->macs = 0;
    for (int v = 0; v < net->g.n_nodes; v++) {
        cb_node *n = &net->nodes[v];
        cb_shape in[8];
        net->failed = v;
        if (n->n_in < n->vt->min_inputs || n->n_in > n->vt->max_inputs || n->n_in > 8) {
            snprintf(why, why_len, "layer '%s' (%s) takes %d..%d inputs, got %d", net->names[v], n->op,
                     n->vt->min_inputs, n->vt->max_inputs, n->n_in);
            return CB_EINVAL;
        }
        input_shapes(net, v, in);
        cb_error e;
        memset(&e, 0, sizeof e);
        if (n->vt->infer(n->attrs, n->n_in, in, &n->out, &e) != CB_OK) {
            char s[64];
            snprintf(why, why_len, "layer '%s' (%s) on input %s%s: %s", net->names[v], n->op,
                     cb_shape_str(in[0], s, sizeof s), n->n_in > 1 ? " and others" : "", e.msg);
            return CB_EINVAL;
        }
        uint64_t macs = 0, params = 0;
        n->vt->count(n->attrs, n->n_in, in, &n->out, &macs, &params);
        net->macs += macs;
        net->params += params;
    }
    return CB_OK;
}

static void sha256(const void *a, size_t na, unsigned char out[32])
{
    unsigned int n = 0;
    EVP_Digest(a, na, out, &n, EVP_sha256(), NULL);
}

static int cmp_digest(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

/* The label of a vertex: its op and every attribute value, as text. */
static void vertex_label(const cb_node *n, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "%s", n->op);
    for (int i = 0; n->vt->attrs && n->vt->attrs[i].name && at < len; i++) {
        const cb_param *p = &n->vt->attrs[i];
        cb_value v = n->attrs[i];
        switch (p->type) {
        case CB_T_INT: at += (size_t)snprintf(buf + at, len - at, "|%lld", (long long)v.i); break;
        case CB_T_REAL: at += (size_t)snprintf(buf + at, len - at, "|%.17g", v.r); break;
        case CB_T_BOOL: at += (size_t)snprintf(buf + at, len - at, "|%d", v.b); break;
        case CB_T_ENUM: at += (size_t)snprintf(buf + at, len - at, "|%d", v.e); break;
        case CB_T_STR: at += (size_t)snprintf(buf + at, len - at, "|%s", v.s ? v.s : ""); break;
        }
    }
}

/* One round: h'(v) = SHA-256(label(v), sorted h(inputs), "|", sorted h(outputs)). The network
 * input is a vertex of its own with label "input". */
static void hash_round(const cb_net *net, unsigned char (*h)[32], unsigned char (*next)[32],
                       unsigned char (*labels)[32], unsigned char *scratch)
{
    int V = net->g.n_nodes;
    for (int v = 0; v <= V; v++) { /* index V: the network input */
        size_t k = 0;
        memcpy(scratch, labels[v], 32);
        unsigned char *ins = scratch + 32;
        if (v < V)
            for (int i = 0; i < net->nodes[v].n_in; i++) {
                int src = net->nodes[v].in[i] == CB_NET_INPUT ? V : net->nodes[v].in[i];
                memcpy(ins + 32 * k++, h[src], 32);
            }
        qsort(ins, k, 32, cmp_digest);
        unsigned char *outs = ins + 32 * k;
        size_t m = 0;
        for (int u = 0; u < V; u++)
            for (int i = 0; i < net->nodes[u].n_in; i++) {
                int src = net->nodes[u].in[i] == CB_NET_INPUT ? V : net->nodes[u].in[i];
                if (src == v)
                    memcpy(outs + 32 * m++, h[u], 32);
            }
        qsort(outs, m, 32, cmp_digest);
        sha256(scratch, 32 * (1 + k + m), next[v]);
    }
}

void cb_net_hash(cb_net *net)
{
    int V = net->g.n_nodes;
    unsigned char (*h)[32] = cb_xcalloc((size_t)V + 1, 32);
    unsigned char (*next)[32] = cb_xcalloc((size_t)V + 1, 32);
    unsigned char (*labels)[32] = cb_xcalloc((size_t)V + 1, 32);
    size_t edges = 0;
    for (int v = 0; v < V; v++)
        edges += (size_t)net->nodes[v].n_in;
    unsigned char *scratch = cb_xmalloc(32 * (1 + 2 * edges + 2));
    char label[2048];
    for (int v = 0; v < V; v++) {
        vertex_label(&net->nodes[v], label, sizeof label);
        sha256(label, strlen(label), labels[v]);
    }
    snprintf(label, sizeof label, "input|%d|%d|%d|%d", net->g.input.c, net->g.input.d, net->g.input.h,
             net->g.input.w);
    sha256(label, strlen(label), labels[V]);
    memcpy(h, labels, 32 * ((size_t)V + 1));
    for (int round = 0; round <= V; round++) {
        hash_round(net, h, next, labels, scratch);
        memcpy(h, next, 32 * ((size_t)V + 1));
    }
    qsort(h, (size_t)V + 1, 32, cmp_digest);
    unsigned char d[32];
    sha256(h, 32 * ((size_t)V + 1), d);
    for (int i = 0; i < 32; i++)
        snprintf(net->g.hash + 2 * i, 3, "%02x", d[i]);
    free(h);
    free(next);
    free(labels);
    free(scratch);
}

void cb_net_embed(const cb_net *net, float out[CB_NET_EMBED_DIM])
{
    double f[CB_NET_EMBED_DIM] = {0};
    double max_c = 1, sum_k = 0, n_conv = 0;
    for (int v = 0; v < net->g.n_nodes; v++) {
        const cb_node *n = &net->nodes[v];
        cb_shape in[8];
        input_shapes(net, v, in);
        cb_workload w;
        memset(&w, 0, sizeof w);
        cb_error e;
        if (n->vt->workload(n->attrs, n->n_in, in, &n->out, &w, &e) != CB_OK)
            continue;
        if (w.kind >= 0 && w.kind <= CB_WL_CONCAT)
            f[w.kind] += 1;                      /* f[0..6]: vertices per workload kind */
        if (w.kind == CB_WL_CONV) {
            n_conv++;
            sum_k += (double)w.n_kx;
            f[7] += w.groups > 1;                 /* grouped or depth-wise */
            f[8] += w.activation == CB_ACT_SILU;
        }
        if (n->out.c > max_c)
            max_c = n->out.c;
        f[9] += n->n_in > 1;                      /* merges */
    }
    f[10] = log1p((double)net->params);
    f[11] = log1p((double)net->macs);
    f[12] = net->g.n_nodes;
    f[13] = log2(max_c);
    f[14] = n_conv > 0 ? sum_k / n_conv : 0;
    f[15] = log2((double)net->g.input.h * net->g.input.w);
    for (int i = 0; i < CB_NET_EMBED_DIM; i++)
        out[i] = (float)f[i];
}
