/* core/runner/candidates_cells.c: the candidates of a NAS-Bench-101 cell space (see the .h). */
#include "runner/candidates_cells.h"
#include "graph/cnn2vec.h"
#include "graph/ged.h"
#include "host/host.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The seeds' GED vertex weights for NAS-Bench-101's labels (cnn_design-space graph_util.py on a
 * 128-channel reference: conv3x3-bn-relu 128*128*9 and conv1x1-bn-relu 128*128 parameters in
 * millions, max-pooling none; input 1 and output 5 in the same units as CB_GED_*_WEIGHT). The
 * labels are the benchmark's op codes, not op plugins: a cell space names its ops by number. */
static void weigh_cells(cb_vocab *voc)
{
    static const char *const code[] = {"-1", "-2", "0", "1", "2"};
    static const double w[] = {CB_GED_INPUT_WEIGHT, CB_GED_OUTPUT_WEIGHT, 0.147456, 0.016384, 1e-6};
    for (int i = 0; i < 5; i++) {
        int32_t k = cb_vocab_find(voc, code[i]);
        if (k >= 0)
            voc->v[k].weight = w[i];
    }
}

typedef struct fit_ctx {
    const cb_vocab *voc;
    cb_flat *flats;
} fit_ctx;

static double cell_ged(void *ctx, size_t i, size_t j)
{
    const fit_ctx *f = ctx;
    return cb_ged(f->voc, &f->flats[i], &f->flats[j]);
}

static int fit_embedding(cb_candidates_cells *cc, uint64_t seed)
{
    size_t n = (size_t)cc->cs.n;
    weigh_cells(&cc->cs.voc);
    fit_ctx f = {&cc->cs.voc, cb_xcalloc(n + 1, sizeof(cb_flat))};
    for (size_t i = 0; i < n; i++) {
        cb_cnngraph g = {1, &cc->cs.cells[i], ""};
        memcpy(g.hash, cc->cs.key[i], sizeof cc->cs.key[i]);
        cb_flat_from_cnngraph(&g, &f.flats[i]);
    }
    cb_cnn2vec_report rep = {0};
    cc->embed = cb_cnn2vec_table(n, cell_ged, &f, seed, &rep, &cc->rho);
    int rc = cc->embed ? CB_OK : CB_EINVAL;
    cc->dim = CB_CNN2VEC_DIM;
    cc->pairs = rep.pairs;
    for (size_t i = 0; i < n; i++)
        cb_flat_free(&f.flats[i]);
    free(f.flats);
    return rc;
}

int cb_candidates_cells_build(const cb_manifest *m, cb_registry *reg, bool embed, cb_candidates_cells *cc,
                              cb_diag *d)
{
    memset(cc, 0, sizeof *cc);
    cc->built = -1;
    const cb_manifest_cnn *cnn = &m->cnn;
    if (!cnn->table || !cnn->skeleton)
        return cb_manifest_fail(m, d, cnn->space_at, "cnn.space 'nb101': `run` needs cnn.table (the benchmark's "
                                "cells: the candidates) and cnn.skeleton (the network the cells go into)");
    char *table = cb_manifest_resolve(m, cnn->table), *skeleton = cb_manifest_resolve(m, cnn->skeleton);
    char why[1024];
    int rc = CB_OK;
    if (cb_skeleton_load(skeleton, reg, &cc->sk, d))
        rc = CB_EINVAL;
    else if ((cc->have_sk = true, cb_cellset_table(&cc->cs, table, 108, why, sizeof why)))
        rc = cb_manifest_fail(m, d, cnn->table_at, "cnn.table: %s", why);
    free(table);
    free(skeleton);
    if (rc)
        return rc;
    cc->have_cs = true;
    cc->input = (cb_shape){.n = 1, .c = (int32_t)cnn->input.channels, .d = 1, .h = (int32_t)cnn->input.height,
                           .w = (int32_t)cnn->input.width};
    cc->classes = (int32_t)cnn->classes;
    size_t n = (size_t)cc->cs.n;
    cc->names = cb_xcalloc(n + 1, sizeof *cc->names);
    cc->hashes = cb_xcalloc(n + 1, sizeof *cc->hashes);
    cc->macs = cb_xcalloc(n + 1, sizeof *cc->macs);
    for (size_t i = 0; i < n; i++) {
        snprintf(cc->names[i], sizeof cc->names[i], "nb101:%s", cc->cs.key[i]);
        cc->hashes[i] = cc->cs.key[i];
    }
    /* The first cell must build and end in cnn.classes outputs: a skeleton that does not fit
     * the input is bad input, found now rather than in every job. */
    const cb_graph *g = cb_candidates_cells_graph(cc, 0, why, sizeof why);
    if (!g)
        return cb_manifest_fail(m, d, cnn->skeleton_at, "cnn.skeleton: %s", why);
    if (g->classes != cc->classes)
        return cb_manifest_fail(m, d, cnn->skeleton_at, "cnn.skeleton: its head ends in %d outputs, cnn.classes "
                                "is %d", g->classes, cc->classes);
    if (embed && fit_embedding(cc, cb_host_seed_for("codebench", "cnn2vec")))
        return cb_manifest_fail(m, d, cnn->table_at, "cnn.table: CNN2vec could not embed its %zu cells", n);
    return CB_OK;
}

const cb_graph *cb_candidates_cells_graph(cb_candidates_cells *cc, int64_t i, char *why, size_t why_len)
{
    if (i < 0 || i >= cc->cs.n) {
        snprintf(why, why_len, "CNN %lld is not among the %lld cells", (long long)i, (long long)cc->cs.n);
        return NULL;
    }
    if (cc->built != i) {
        cc->built = -1;
        if (cb_cellnet_build(&cc->net, &cc->sk, &cc->cs.cells[i], cc->cs.op_of_label, cc->cs.voc.n, cc->input,
                             why, why_len))
            return NULL;
        cc->built = i;
        cc->macs[i] = cc->net.macs;
        memcpy(cc->net.g.hash, cc->cs.key[i], sizeof cc->cs.key[i]);
        cc->net.g.name = cc->names[i];
    }
    return &cc->net.g;
}

uint64_t cb_candidates_cells_macs(cb_candidates_cells *cc, int64_t i)
{
    char why[256];
    if (i >= 0 && i < cc->cs.n && !cc->macs[i])
        cb_candidates_cells_graph(cc, i, why, sizeof why);
    return i >= 0 && i < cc->cs.n ? cc->macs[i] : 0;
}

void cb_candidates_cells_free(cb_candidates_cells *cc)
{
    cb_cellnet_free(&cc->net);
    if (cc->have_cs)
        cb_cellset_free(&cc->cs);
    if (cc->have_sk)
        cb_skeleton_free(&cc->sk);
    free(cc->names);
    free(cc->hashes);
    free(cc->macs);
    free(cc->embed);
    memset(cc, 0, sizeof *cc);
}
