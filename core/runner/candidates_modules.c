/* core/runner/candidates_modules.c: the candidate pool of a module space (cnn.space: modules).
 *
 * Owns: sampling a study's pool of distinct, buildable CNNs from the space file a manifest names,
 * level by level as CODEBench's hierarchy does (paper Sec. 3.3: coarse graphs of s = 10
 * identical modules per stack first, then each next level made by crossover of neighbouring
 * graphs of the level before, neighbours by graph edit distance), and their CNN2vec embedding
 * (fitted so that Euclidean distance matches GED). The pool is a pure function of the manifest
 * and its seed, so the coordinator and every worker build the same one; only the coordinator
 * fits the embedding, the only part a worker does not need.
 */
#include "runner/candidates_modules.h"
#include "graph/build.h"
#include "graph/cnn2vec.h"
#include "graph/ged.h"
#include "graph/spacefile.h"
#include "host/host.h"
#include "util/util.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* Tries per wanted graph before a level gives up (a space whose ops rarely fit the input). */
enum { TRIES_PER_GRAPH = 50, CROSSOVER_CHILDREN = 2 };

typedef struct pool {
    cb_modspace *sp;
    cb_cnnlib lib;     /* every graph seen, valid or not, for de-duplication by hash */
    cb_net *nets;      /* the valid ones, in pool order */
    size_t *lib_index; /* where each valid one sits in lib */
    int32_t *level;    /* each valid one's level, numbered as cb_pair.level (0: the finest) */
    int32_t cur_level; /* the level being filled */
    size_t n, cap;
    size_t invalid;
} pool;

static void pool_push(pool *p, size_t li, cb_net *net)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->nets = cb_xrealloc(p->nets, p->cap * sizeof *p->nets);
        p->lib_index = cb_xrealloc(p->lib_index, p->cap * sizeof *p->lib_index);
        p->level = cb_xrealloc(p->level, p->cap * sizeof *p->level);
    }
    p->level[p->n] = p->cur_level;
    p->nets[p->n] = *net;
    p->lib_index[p->n++] = li;
}

/* Adds g to the pool when it is new and builds; returns 1 if added. */
static int offer(pool *p, const cb_cnngraph *g)
{
    size_t before = p->lib.n, li = cb_cnnlib_add(&p->lib, g);
    if (p->lib.n == before)
        return 0; /* seen before (added or found invalid) */
    cb_net net;
    char why[512];
    if (cb_build_net(p->sp, &p->lib.g[li], &net, why, sizeof why)) {
        p->invalid++;
        return 0;
    }
    pool_push(p, li, &net);
    return 1;
}

static void sample_level(pool *p, int per_stack, size_t want, cb_rng *rng)
{
    size_t got = 0;
    for (size_t t = 0; got < want && t < want * TRIES_PER_GRAPH; t++) {
        cb_cnngraph g;
        cb_modspace_sample(p->sp, per_stack, rng, &g);
        got += (size_t)offer(p, &g);
        cb_cnngraph_free(&g);
    }
}

/* The nearest other graph of [from, to) to graph i by GED (ties: the lower index). */
static size_t nearest(const pool *p, const cb_flat *flats, size_t from, size_t to, size_t i)
{
    size_t best = i;
    double bd = DBL_MAX;
    for (size_t j = from; j < to; j++) {
        if (j == i)
            continue;
        double d = cb_ged(&p->sp->voc, &flats[i - from], &flats[j - from]);
        if (d < bd) {
            bd = d;
            best = j;
        }
    }
    return best;
}

/* The next level: crossovers of each graph of [from, to) (level s) with its nearest neighbour. */
static void crossover_level(pool *p, size_t from, size_t to, int s, int s2, size_t want, cb_rng *rng)
{
    size_t k = to - from, got = 0;
    if (k < 2)
        return;
    char why[512];
    if (cb_vocab_weigh(&p->sp->voc, p->sp->in_id, p->sp->out_id, why, sizeof why))
        return; /* no weights, no neighbours: the level is filled by sampling instead */
    cb_flat *flats = cb_xcalloc(k, sizeof *flats);
    for (size_t i = 0; i < k; i++)
        cb_flat_from_cnngraph(&p->lib.g[p->lib_index[from + i]], &flats[i]);
    size_t *nb = cb_xcalloc(k, sizeof *nb);
    for (size_t i = 0; i < k; i++)
        nb[i] = nearest(p, flats, from, to, from + i);
    for (size_t round = 0; got < want && round < TRIES_PER_GRAPH; round++)
        for (size_t i = 0; i < k && got < want; i++) {
            cb_cnnlib kids;
            cb_cnnlib_init(&kids, p->sp->algo, &p->sp->voc);
            /* copies: offer() may grow lib, which moves its graphs */
            cb_cnngraph a, b;
            cb_cnngraph_copy(&a, &p->lib.g[p->lib_index[from + i]]);
            cb_cnngraph_copy(&b, &p->lib.g[p->lib_index[nb[i]]]);
            cb_modspace_crossover(p->sp, &a, &b, s, s2, CROSSOVER_CHILDREN, rng, &kids);
            for (size_t c = 0; c < kids.n && got < want; c++)
                got += (size_t)offer(p, &kids.g[c]);
            cb_cnngraph_free(&a);
            cb_cnngraph_free(&b);
            cb_cnnlib_free(&kids);
        }
    for (size_t i = 0; i < k; i++)
        cb_flat_free(&flats[i]);
    free(flats);
    free(nb);
}

static double pool_ged(void *ctx, size_t i, size_t j)
{
    const cb_candidates_modules *cm = ctx;
    return cb_ged(&cm->sp->voc, &cm->flats[i], &cm->flats[j]);
}

static int fit_embedding(cb_candidates_modules *cm, uint64_t seed, char *why, size_t len)
{
    if (cb_vocab_weigh(&cm->sp->voc, cm->sp->in_id, cm->sp->out_id, why, len))
        return CB_EINVAL;
    cm->flats = cb_xcalloc(cm->n, sizeof *cm->flats);
    for (size_t i = 0; i < cm->n; i++)
        cb_flat_from_cnngraph(&cm->graphs[i], &cm->flats[i]);
    cb_cnn2vec_report rep;
    cm->embed = cb_cnn2vec_table(cm->n, pool_ged, cm, seed, &rep, &cm->rho);
    if (!cm->embed) {
        snprintf(why, len, "CNN2vec could not embed the %zu candidates", cm->n);
        return CB_EINVAL;
    }
    cm->dim = CB_CNN2VEC_DIM;
    cm->rmse = rep.rmse;
    cm->pairs = rep.pairs;
    return CB_OK;
}

static int check_space(const cb_manifest_cnn *cnn, const cb_modspace *sp, char *why, size_t len)
{
    if (!cb_modspace_has_networks(sp)) {
        snprintf(why, len, "the space file names no glue or head ops, so it has modules but no networks");
        return CB_EINVAL;
    }
    if (sp->input.c != cnn->input.channels || sp->input.h != cnn->input.height ||
        sp->input.w != cnn->input.width || sp->classes != cnn->classes) {
        snprintf(why, len, "the space file's input %dx%dx%d and %d classes differ from cnn.input %lldx%lldx%lld "
                 "and cnn.classes %lld", sp->input.c, sp->input.h, sp->input.w, sp->classes,
                 (long long)cnn->input.channels, (long long)cnn->input.height, (long long)cnn->input.width,
                 (long long)cnn->classes);
        return CB_EINVAL;
    }
    return CB_OK;
}

static void build_pool(pool *p, const cb_manifest_cnn *cnn, cb_rng *rng)
{
    size_t want = (size_t)cnn->candidates, levels = (size_t)p->sp->n_levels;
    size_t from = 0;
    for (size_t l = 0; l < levels && p->n < want; l++) {
        size_t quota = (want - p->n + (levels - l) - 1) / (levels - l), start = p->n;
        p->cur_level = (int32_t)(levels - 1 - l); /* levels[] runs coarsest first */
        if (l > 0)
            crossover_level(p, from, start, p->sp->levels[l - 1], p->sp->levels[l], quota, rng);
        if (p->n - start < quota)
            sample_level(p, p->sp->levels[l], quota - (p->n - start), rng);
        from = start;
    }
}

int cb_candidates_modules_build(const cb_manifest *m, cb_registry *reg, bool embed, cb_candidates_modules *cm,
                                cb_diag *d)
{
    memset(cm, 0, sizeof *cm);
    const cb_manifest_cnn *cnn = &m->cnn;
    char why[1024];
    if (!cnn->space_file_path)
        return cb_manifest_fail(m, d, cnn->space_at, "cnn.space 'modules': `run` needs cnn.space_file, a space "
                                "file that names the glue and head ops networks are built with "
                                "(docs/cnnbench.md); the inline cnn.ops describe modules only");
    cm->sp = cb_xcalloc(1, sizeof *cm->sp);
    if (cb_spacefile_load(cnn->space_file_path, reg, cm->sp, d))
        return CB_EINVAL;
    if (check_space(cnn, cm->sp, why, sizeof why))
        return cb_manifest_fail(m, d, cnn->space_file_at, "cnn.space_file: %s", why);
    pool p = {.sp = cm->sp};
    cb_cnnlib_init(&p.lib, cm->sp->algo, &cm->sp->voc);
    cb_rng rng;
    cb_rng_seed(&rng, cb_host_seed_for("codebench", "candidates"));
    build_pool(&p, cnn, &rng);
    cm->invalid = p.invalid;
    cm->n = p.n;
    cm->nets = p.nets;
    cm->level = p.level;
    cm->graphs = cb_xcalloc(p.n + 1, sizeof *cm->graphs);
    for (size_t i = 0; i < p.n; i++)
        cb_cnngraph_copy(&cm->graphs[i], &p.lib.g[p.lib_index[i]]);
    free(p.lib_index);
    cb_cnnlib_free(&p.lib);
    if (cm->n < 2)
        return cb_manifest_fail(m, d, cnn->space_file_at, "cnn.space_file: only %zu of the CNNs sampled from "
                                "the space fit cnn.input (%zu did not build); narrow the ops or stacks",
                                cm->n, cm->invalid);
    if (embed && fit_embedding(cm, cb_host_seed_for("codebench", "cnn2vec"), why, sizeof why))
        return cb_manifest_fail(m, d, cnn->space_file_at, "cnn.space_file: %s", why);
    return CB_OK;
}

void cb_candidates_modules_free(cb_candidates_modules *cm)
{
    for (size_t i = 0; i < cm->n; i++) {
        cb_net_free(&cm->nets[i]);
        cb_cnngraph_free(&cm->graphs[i]);
        if (cm->flats)
            cb_flat_free(&cm->flats[i]);
    }
    free(cm->nets);
    free(cm->level);
    free(cm->graphs);
    free(cm->flats);
    free(cm->embed);
    if (cm->sp)
        cb_modspace_free(cm->sp);
    free(cm->sp);
    memset(cm, 0, sizeof *cm);
}
