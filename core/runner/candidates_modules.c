/* core/runner/candidates_modules.c: the candidate pool of a module space (cnn.space: modules).
 *
 * Owns: the study's pool of distinct, buildable CNNs from the space file a manifest names, made
 * level by level as CODEBench's hierarchy does (paper Sec. 3.1.3: coarse graphs of s = 10
 * identical modules per stack first, then each finer level by crossover of graphs of the level
 * before with their nearest neighbours by graph edit distance), and their CNN2vec embedding
 * (fitted so that Euclidean distance matches GED).
 *
 * Two ways to make the finer levels. Under a search whose vtable sets CB_SEARCH_GROWS_LEVELS
 * (boshcode, which calls cb_space.grow), only the coarsest level is sampled at start (its share
 * of cnn.candidates, at least 2); each finer level is grown when the search leaves the level
 * before: crossovers of the parents it names (its best CNNs there), each with its GED-nearest
 * graph of the parents' level, up to that level's share; the new rows of the embedding are
 * fitted against the fixed old ones (cb_cnn2vec_extend), so no existing vector moves. Every
 * growth is logged (level, parents in order) and is a pure function of the pool, the event and
 * the seed, so replaying the log (resume; a worker told the log with each job) gives the same
 * indices, hashes and vectors. Under any other search every level is built up front: each graph
 * of a level crossed with its nearest neighbour. Sampling is a pure function of the manifest and
 * its seed, so the coordinator and every worker build the same pool; only the coordinator fits
 * the embedding.
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

/* The pool while it is made and grown; lives as long as the candidates. */
struct cb_modpool {
    cb_modspace *sp;
    cb_cnnlib lib;     /* every graph seen, valid or not, for de-duplication by hash */
    cb_net *nets;      /* the valid ones, in pool order */
    size_t *lib_index; /* where each valid one sits in lib */
    int32_t *level;    /* each valid one's level, numbered as cb_pair.level (0: the finest) */
    int32_t cur_level; /* the level being filled */
    size_t n, cap;
    size_t invalid;
};
typedef struct cb_modpool pool;

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

/* The nearest other graph of cands[0..m) to pool graph i by GED (ties: the earlier in cands);
 * flats[k] is cands[k]'s. i itself when it has no other. */
static size_t nearest(const pool *p, const cb_flat *flats, const size_t *cands, size_t m, size_t i)
{
    size_t best = i, at = m;
    for (size_t k = 0; k < m; k++)
        if (cands[k] == i)
            at = k;
    if (at == m)
        return i;
    double bd = DBL_MAX;
    for (size_t k = 0; k < m; k++) {
        if (cands[k] == i)
            continue;
        double d = cb_ged(&p->sp->voc, &flats[at], &flats[k]);
        if (d < bd) {
            bd = d;
            best = cands[k];
        }
    }
    return best;
}

/* Crossovers of each of parents[0..k) (pool indices, among cands[0..m), all at s modules per
 * stack) with its nearest other graph of cands, at s2 modules per stack, round after round in
 * the parents' order until want are added. Returns how many were added. */
static size_t crossover_parents(pool *p, const size_t *parents, size_t k, const size_t *cands, size_t m, int s,
                                int s2, size_t want, cb_rng *rng)
{
    size_t got = 0;
    if (m < 2 || k < 1)
        return 0;
    char why[512];
    if (cb_vocab_weigh(&p->sp->voc, p->sp->in_id, p->sp->out_id, why, sizeof why))
        return 0; /* no weights, no neighbours */
    cb_flat *flats = cb_xcalloc(m, sizeof *flats);
    for (size_t i = 0; i < m; i++)
        cb_flat_from_cnngraph(&p->lib.g[p->lib_index[cands[i]]], &flats[i]);
    size_t *nb = cb_xcalloc(k, sizeof *nb);
    for (size_t i = 0; i < k; i++)
        nb[i] = nearest(p, flats, cands, m, parents[i]);
    for (size_t round = 0; got < want && round < TRIES_PER_GRAPH; round++)
        for (size_t i = 0; i < k && got < want; i++) {
            cb_cnnlib kids;
            cb_cnnlib_init(&kids, p->sp->algo, &p->sp->voc);
            /* copies: offer() may grow lib, which moves its graphs */
            cb_cnngraph a, b;
            cb_cnngraph_copy(&a, &p->lib.g[p->lib_index[parents[i]]]);
            cb_cnngraph_copy(&b, &p->lib.g[p->lib_index[nb[i]]]);
            cb_modspace_crossover(p->sp, &a, &b, s, s2, CROSSOVER_CHILDREN, rng, &kids);
            for (size_t c = 0; c < kids.n && got < want; c++)
                got += (size_t)offer(p, &kids.g[c]);
            cb_cnngraph_free(&a);
            cb_cnngraph_free(&b);
            cb_cnnlib_free(&kids);
        }
    for (size_t i = 0; i < m; i++)
        cb_flat_free(&flats[i]);
    free(flats);
    free(nb);
    return got;
}

/* The next level up front: crossovers of each graph of [from, to) (level s) with its nearest
 * neighbour there. */
static void crossover_level(pool *p, size_t from, size_t to, int s, int s2, size_t want, cb_rng *rng)
{
    size_t k = to - from;
    size_t *idx = cb_xcalloc(k + 1, sizeof *idx);
    for (size_t i = 0; i < k; i++)
        idx[i] = from + i;
    crossover_parents(p, idx, k, idx, k, s, s2, want, rng);
    free(idx);
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

/* Level l's share of want (l counted from the coarsest): an even split, the remainder to the
 * coarser levels; the coarsest gets at least 2. */
static size_t level_share(size_t want, size_t levels, size_t l)
{
    size_t q = want / levels + (l < want % levels);
    return l == 0 && q < 2 ? 2 : q;
}

static void build_pool(pool *p, size_t want, bool lazy, cb_rng *rng)
{
    size_t levels = (size_t)p->sp->n_levels, from = 0;
    if (lazy) {
        p->cur_level = (int32_t)(levels - 1);
        sample_level(p, p->sp->levels[0], level_share(want, levels, 0), rng);
        return;
    }
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

/* Levels grow under a search that declares it calls cb_space.grow (CB_SEARCH_GROWS_LEVELS:
 * boshcode); every other search gets a pool whose levels are all built up front. */
static bool grows_lazily(const cb_manifest *m, const cb_modspace *sp)
{
    const cb_entry *e = m->search.ref.entry;
    const cb_search_vt *vt = e && e->plugin && e->plugin->kind == CB_KIND_SEARCH ? e->plugin->vtable : NULL;
    return sp->n_levels > 1 && vt && CB_SEARCH_VT_HAS(vt, flags) && (vt->flags & CB_SEARCH_GROWS_LEVELS);
}

/* Copies the pool's view (it may have moved) into cm, with graphs [from, n) copied out. */
static void sync(cb_candidates_modules *cm, size_t from)
{
    pool *p = cm->pool;
    cm->graphs = cb_xrealloc(cm->graphs, (p->n + 1) * sizeof *cm->graphs);
    for (size_t i = from; i < p->n; i++)
        cb_cnngraph_copy(&cm->graphs[i], &p->lib.g[p->lib_index[i]]);
    cm->n = p->n;
    cm->nets = p->nets;
    cm->level = p->level;
    cm->invalid = p->invalid;
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
    pool *p = cm->pool = cb_xcalloc(1, sizeof *cm->pool);
    p->sp = cm->sp;
    cb_cnnlib_init(&p->lib, cm->sp->algo, &cm->sp->voc);
    cm->want = (size_t)cnn->candidates;
    cm->lazy = grows_lazily(m, cm->sp);
    cb_rng rng;
    cb_rng_seed(&rng, cb_host_seed_for("codebench", "candidates"));
    build_pool(p, cm->want, cm->lazy, &rng);
    sync(cm, 0);
    cm->n_initial = cm->n;
    if (cm->n < 2)
        return cb_manifest_fail(m, d, cnn->space_file_at, "cnn.space_file: only %zu of the CNNs sampled from "
                                "the space fit cnn.input (%zu did not build); narrow the ops or stacks",
                                cm->n, cm->invalid);
    if (embed && fit_embedding(cm, cb_host_seed_for("codebench", "cnn2vec"), why, sizeof why))
        return cb_manifest_fail(m, d, cnn->space_file_at, "cnn.space_file: %s", why);
    return CB_OK;
}

/* The seed of one growth: the study's, mixed with the event (splitmix64 steps). */
static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

static uint64_t event_seed(const char *stream, int32_t level, const int64_t *parents, int n)
{
    uint64_t h = mix(cb_host_seed_for("codebench", stream), (uint64_t)(uint32_t)level);
    for (int i = 0; i < n; i++)
        h = mix(h, (uint64_t)parents[i]);
    return h;
}

static int check_parents(const cb_candidates_modules *cm, int32_t level, const int64_t *parents, int n,
                         char *why, size_t len)
{
    int32_t coarsest = cm->sp->n_levels - 1;
    if (level < 0 || level >= coarsest) {
        snprintf(why, len, "level %d cannot be grown: the space's levels are 0 (finest) to %d (coarsest), and "
                 "a grown level is made from a coarser one", level, coarsest);
        return CB_EINVAL;
    }
    if (n < 1 || !parents) {
        snprintf(why, len, "growing level %d needs at least one parent candidate", level);
        return CB_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        if (parents[i] < 0 || (size_t)parents[i] >= cm->n) {
            snprintf(why, len, "parent %d is CNN %lld, not among the %zu candidates", i, (long long)parents[i],
                     cm->n);
            return CB_EINVAL;
        }
        for (int j = 0; j < i; j++)
            if (parents[j] == parents[i]) {
                snprintf(why, len, "parent %d repeats CNN %lld", i, (long long)parents[i]);
                return CB_EINVAL;
            }
        int32_t pl = cm->level[parents[i]];
        if (pl <= level || pl != cm->level[parents[0]]) {
            snprintf(why, len, "parent %d, CNN %lld, is at level %d; the parents of level %d must all be at one "
                     "coarser level (parent 0 is at %d)", i, (long long)parents[i], pl, level,
                     cm->level[parents[0]]);
            return CB_EINVAL;
        }
    }
    return CB_OK;
}

/* Fits the rows of candidates [from, n) against the fixed rows before them. */
static int embed_new(cb_candidates_modules *cm, size_t from, uint64_t seed, char *why, size_t len)
{
    cm->flats = cb_xrealloc(cm->flats, cm->n * sizeof *cm->flats);
    for (size_t i = from; i < cm->n; i++)
        cb_flat_from_cnngraph(&cm->graphs[i], &cm->flats[i]);
    cm->embed = cb_xrealloc(cm->embed, (cm->n * (size_t)cm->dim + 1) * sizeof *cm->embed);
    cb_cnn2vec_opts o;
    cb_cnn2vec_defaults(&o);
    o.seed = seed;
    cb_cnn2vec_report rep;
    if (cb_cnn2vec_extend(from, cm->n, pool_ged, cm, &o, cm->embed, &rep)) {
        snprintf(why, len, "CNN2vec could not place the %zu new candidates", cm->n - from);
        return CB_EFAIL;
    }
    cm->grow_rmse = rep.rmse;
    return CB_OK;
}

int cb_candidates_modules_grow(cb_candidates_modules *cm, int32_t level, const int64_t *parents, int n_parents,
                               char *why, size_t len)
{
    if (!cm->pool) {
        snprintf(why, len, "the pool has not been built");
        return -CB_EFAIL;
    }
    if (check_parents(cm, level, parents, n_parents, why, len))
        return -CB_EINVAL;
    pool *p = cm->pool;
    size_t levels = (size_t)cm->sp->n_levels, l = levels - 1 - (size_t)level, have = 0;
    int32_t plevel = cm->level[parents[0]];
    size_t *cands = cb_xcalloc(cm->n + 1, sizeof *cands), m = 0;
    for (size_t i = 0; i < cm->n; i++) {
        have += cm->level[i] == level;
        if (cm->level[i] == plevel)
            cands[m++] = i;
    }
    size_t *par = cb_xcalloc((size_t)n_parents, sizeof *par);
    for (int i = 0; i < n_parents; i++)
        par[i] = (size_t)parents[i];
    size_t share = level_share(cm->want, levels, l), from = cm->n;
    cb_rng rng;
    cb_rng_seed(&rng, event_seed("grow", level, parents, n_parents));
    p->cur_level = level;
    int s = cm->sp->levels[levels - 1 - (size_t)plevel], s2 = cm->sp->levels[l];
    size_t got = have < share ? crossover_parents(p, par, (size_t)n_parents, cands, m, s, s2, share - have, &rng) : 0;
    free(cands);
    free(par);
    sync(cm, from);
    if (!got) /* nothing to replay: the log (resume, every job's payload) stays short */
        return 0;
    cm->events = cb_xrealloc(cm->events, (cm->n_events + 1) * sizeof *cm->events);
    cb_growth *ev = &cm->events[cm->n_events++];
    ev->level = level;
    ev->n = n_parents;
    ev->parents = cb_xmalloc((size_t)n_parents * sizeof *ev->parents);
    memcpy(ev->parents, parents, (size_t)n_parents * sizeof *parents);
    if (cm->embed && embed_new(cm, from, event_seed("cnn2vec-grow", level, parents, n_parents), why, len))
        return -CB_EFAIL;
    return (int)got;
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
    for (size_t i = 0; i < cm->n_events; i++)
        free(cm->events[i].parents);
    free(cm->events);
    if (cm->pool) {
        free(cm->pool->lib_index);
        cb_cnnlib_free(&cm->pool->lib);
        free(cm->pool);
    }
    if (cm->sp)
        cb_modspace_free(cm->sp);
    free(cm->sp);
    memset(cm, 0, sizeof *cm);
}
