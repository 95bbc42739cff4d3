/* core/runner/candidates.c: the CNN candidates of a study (see candidates.h).
 *
 * The `cards` space: every model card listed in cnn.cards, loaded through the op plugins. Each
 * candidate's embedding is its structural feature vector (cb_net_embed), standardized over the
 * candidates so that every dimension has zero mean and unit spread: a handful of hand-written
 * networks is too few to fit CNN2vec to.
 * The `modules` space: a pool sampled from a space file (runner/candidates_modules.c), embedded
 * with CNN2vec. The `nb101` space: the cells of a benchmark table built on a skeleton
 * (runner/candidates_cells.c), embedded with CNN2vec. */
#include "runner/candidates.h"
#include "cnn/net.h"
#include "runner/candidates_cells.h"
#include "runner/candidates_modules.h"
#include "sim/sim.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cb_candidates {
    size_t n;
    cb_net *nets;
    float *embed;
    const char **hashes;
    cb_sim_net *sim_nets; /* per candidate, built on first use */
    unsigned char *have_sim_net;
    cb_candidates_modules mods; /* the modules space's pool (it owns nets and embed then) */
    bool from_modules;
    cb_candidates_cells cells;  /* the nb101 space's cells (no nets: built one at a time) */
    bool from_cells;
};

static void standardize(float *x, size_t n, int dim)
{
    for (int k = 0; k < dim; k++) {
        double mean = 0, var = 0;
        for (size_t i = 0; i < n; i++)
            mean += x[i * (size_t)dim + (size_t)k];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++) {
            double e = x[i * (size_t)dim + (size_t)k] - mean;
            var += e * e;
        }
        double sd = sqrt(var / (double)n);
        for (size_t i = 0; i < n; i++) {
            float *v = &x[i * (size_t)dim + (size_t)k];
            *v = sd > 1e-12 ? (float)((*v - mean) / sd) : 0.0f;
        }
    }
}

static int check_card(cb_study *st, const cb_net *net, size_t i, cb_diag *d)
{
    const cb_manifest_cnn *cnn = &st->m.cnn;
    const cb_shape in = net->g.input;
    if (in.c != cnn->input.channels || in.h != cnn->input.height || in.w != cnn->input.width)
        return cb_manifest_fail(&st->m, d, cnn->cards.at[i],
                                "model card '%s' takes %dx%dx%d input, cnn.input is %lldx%lldx%lld",
                                net->name, in.c, in.h, in.w, (long long)cnn->input.channels,
                                (long long)cnn->input.height, (long long)cnn->input.width);
    if (net->g.classes != cnn->classes)
        return cb_manifest_fail(&st->m, d, cnn->cards.at[i], "model card '%s' has %d classes, cnn.classes is %lld",
                                net->name, net->g.classes, (long long)cnn->classes);
    return CB_OK;
}

static int build_cards(cb_study *st, cb_candidates *c, cb_diag *d)
{
    const cb_manifest_cnn *cnn = &st->m.cnn;
    c->n = cnn->cards.n;
    c->nets = cb_xcalloc(c->n + 1, sizeof *c->nets);
    for (size_t i = 0; i < c->n; i++) {
        if (cb_net_load_card(cnn->card_paths[i], &st->reg, &c->nets[i], d))
            return CB_EINVAL;
        if (check_card(st, &c->nets[i], i, d))
            return CB_EINVAL;
    }
    return CB_OK;
}

/* Brings the study's space up to date with the pool (after building or growing). */
static void sync_modules(cb_study *st, cb_candidates *c)
{
    size_t old = c->n;
    c->n = c->mods.n;
    c->nets = c->mods.nets;
    c->hashes = cb_xrealloc(c->hashes, (c->n + 1) * sizeof *c->hashes);
    for (size_t i = 0; i < c->n; i++) /* nets moved: their hashes too */
        c->hashes[i] = c->nets[i].g.hash;
    if (c->sim_nets && c->n > old) {
        c->sim_nets = cb_xrealloc(c->sim_nets, c->n * sizeof *c->sim_nets);
        c->have_sim_net = cb_xrealloc(c->have_sim_net, c->n);
        memset(c->have_sim_net + old, 0, c->n - old);
    }
    st->space.n_cnn = (int64_t)c->n;
    st->space.cnn_hash = c->hashes;
    st->space.cnn_embed = c->mods.embed;
    st->space.cnn_level = c->mods.level;
}

static int grow_cb(void *ctx, int32_t level, const int64_t *parents, int n_parents, cb_error *e)
{
    cb_study *st = ctx;
    char why[512];
    int rc = cb_candidates_grow(st, level, parents, n_parents, why, sizeof why);
    if (rc < 0) {
        e->code = -rc;
        e->plugin[0] = e->param[0] = '\0';
        snprintf(e->msg, sizeof e->msg, "growing CNN level %d: %.460s", level, why);
    }
    return rc;
}

int cb_candidates_grow(cb_study *st, int32_t level, const int64_t *parents, int n_parents, char *why,
                       size_t why_len)
{
    cb_candidates *c = st->cands;
    if (!c || !c->from_modules) {
        snprintf(why, why_len, "only a module space (cnn.space: modules) grows");
        return -CB_EINVAL;
    }
    int rc = cb_candidates_modules_grow(&c->mods, level, parents, n_parents, why, why_len);
    if (rc >= 0)
        sync_modules(st, c);
    return rc;
}

size_t cb_candidates_growth_count(const cb_candidates *c)
{
    return c && c->from_modules ? c->mods.n_events : 0;
}

const cb_growth *cb_candidates_growth_event(const cb_candidates *c, size_t i)
{
    return i < cb_candidates_growth_count(c) ? &c->mods.events[i] : NULL;
}

size_t cb_candidates_initial(const cb_candidates *c)
{
    return !c ? 0 : c->from_modules ? c->mods.n_initial : c->n;
}

typedef struct packer {
    unsigned char *buf;
    size_t len, cap;
} packer;

static void put(packer *p, const void *x, size_t n)
{
    cb_grow(&p->buf, 1, p->len + n, &p->cap);
    memcpy(p->buf + p->len, x, n);
    p->len += n;
}

void *cb_job_pack(const cb_study *st, const cb_job *job, size_t *len)
{
    packer p = {0};
    put(&p, job, sizeof *job);
    int64_t n = (int64_t)cb_candidates_growth_count(st->cands);
    put(&p, &n, sizeof n);
    for (int64_t i = 0; i < n; i++) {
        const cb_growth *g = cb_candidates_growth_event(st->cands, (size_t)i);
        int32_t head[2] = {g->level, g->n};
        put(&p, head, sizeof head);
        put(&p, g->parents, (size_t)g->n * sizeof *g->parents);
    }
    *len = p.len;
    return p.buf;
}

int cb_job_unpack(cb_study *st, const void *payload, size_t len, cb_job *job, char *why, size_t why_len)
{
    const unsigned char *b = payload;
    int64_t n;
    if (len < sizeof *job + sizeof n) {
        snprintf(why, why_len, "malformed job (%zu bytes)", len);
        return CB_EINVAL;
    }
    memcpy(job, b, sizeof *job);
    memcpy(&n, b + sizeof *job, sizeof n);
    size_t at = sizeof *job + sizeof n, have = cb_candidates_growth_count(st->cands);
    if (n < (int64_t)have) {
        snprintf(why, why_len, "the job carries %lld growths of the CNN pool, this worker has made %zu",
                 (long long)n, have);
        return CB_EINVAL;
    }
    int64_t *parents = NULL, i = 0;
    for (; i < n; i++) {
        int32_t head[2];
        if (len - at < sizeof head)
            break;
        memcpy(head, b + at, sizeof head);
        at += sizeof head;
        size_t bytes = (size_t)(head[1] > 0 ? head[1] : 0) * sizeof *parents;
        if (head[1] < 1 || len - at < bytes) {
            at = len + 1;
            break;
        }
        if ((size_t)i >= have) {
            parents = cb_xrealloc(parents, bytes);
            memcpy(parents, b + at, bytes);
            char w[400];
            if (cb_candidates_grow(st, head[0], parents, head[1], w, sizeof w) < 0) {
                snprintf(why, why_len, "replaying growth %lld of the CNN pool: %s", (long long)i, w);
                free(parents);
                return CB_EINVAL;
            }
        }
        at += bytes;
    }
    free(parents);
    if (at != len || i != n) {
        snprintf(why, why_len, "malformed job (%zu bytes; its growth log is cut or too long)", len);
        return CB_EINVAL;
    }
    return CB_OK;
}

static int build_modules(cb_study *st, cb_candidates *c, cb_diag *d)
{
    /* Workers only train and simulate: they need the graphs, not the embedding. */
    bool embed = (st->role & CB_ROLE_COORDINATOR) != 0;
    c->from_modules = true;
    if (cb_candidates_modules_build(&st->m, &st->reg, embed, &c->mods, d))
        return CB_EINVAL;
    sync_modules(st, c);
    st->space.dim_cnn = embed ? c->mods.dim : 0;
    if (c->mods.lazy) { /* boshcode grows the finer levels as it reaches them */
        st->space.grow = grow_cb;
        st->space.grow_ctx = st;
    }
    return CB_OK;
}

static int build_cells(cb_study *st, cb_candidates *c, cb_diag *d)
{
    bool embed = (st->role & CB_ROLE_COORDINATOR) != 0;
    c->from_cells = true;
    if (cb_candidates_cells_build(&st->m, &st->reg, embed, &c->cells, d))
        return CB_EINVAL;
    c->n = (size_t)c->cells.cs.n;
    c->hashes = cb_xcalloc(c->n + 1, sizeof *c->hashes);
    memcpy(c->hashes, c->cells.hashes, c->n * sizeof *c->hashes);
    st->space.dim_cnn = embed ? c->cells.dim : 0;
    st->space.cnn_embed = c->cells.embed;
    return CB_OK;
}

static int build_from_cards(cb_study *st, cb_candidates *c, cb_diag *d)
{
    if (build_cards(st, c, d))
        return CB_EINVAL;
    c->embed = cb_xcalloc(c->n * CB_NET_EMBED_DIM + 1, sizeof *c->embed);
    c->hashes = cb_xcalloc(c->n + 1, sizeof *c->hashes);
    for (size_t i = 0; i < c->n; i++) {
        cb_net_embed(&c->nets[i], &c->embed[i * CB_NET_EMBED_DIM]);
        c->hashes[i] = c->nets[i].g.hash;
    }
    standardize(c->embed, c->n, CB_NET_EMBED_DIM);
    st->space.dim_cnn = CB_NET_EMBED_DIM;
    st->space.cnn_embed = c->embed;
    return CB_OK;
}

int cb_candidates_build(cb_study *st, cb_diag *d)
{
    cb_candidates *c = cb_xcalloc(1, sizeof *c);
    st->cands = c;
    const cb_manifest_cnn *cnn = &st->m.cnn;
    int rc;
    if (cnn->space == CB_SPACE_CARDS)
        rc = build_from_cards(st, c, d);
    else if (cnn->space == CB_SPACE_MODULES)
        rc = build_modules(st, c, d);
    else if (cnn->space == CB_SPACE_NB101)
        rc = build_cells(st, c, d);
    else
        return cb_manifest_fail(&st->m, d, cnn->space_at,
                                "cnn.space: `run` evaluates the 'cards', 'modules' and 'nb101' spaces; 'nb201' "
                                "serves `codebench space` (its cells have no skeleton here yet)");
    if (rc)
        return rc;
    st->space.n_cnn = (int64_t)c->n;
    st->space.cnn_hash = c->hashes;
    return CB_OK;
}

void cb_candidates_describe(const cb_candidates *c, FILE *out)
{
    if (c && c->from_cells) {
        fprintf(out, "  cells        %zu NAS-Bench-101 cells of the table, built on the skeleton\n", c->n);
        if (c->cells.embed)
            fprintf(out, "  CNN2vec      d=%d on %zu GED pairs: Spearman rho %.3f\n", c->cells.dim, c->cells.pairs,
                    c->cells.rho);
    }
    if (!c || !c->from_modules)
        return;
    fprintf(out, "  pool         %zu distinct CNNs sampled from %s (%zu did not build)\n", c->n,
            c->mods.sp && c->mods.sp->name ? c->mods.sp->name : "the space file", c->mods.invalid);
    if (c->mods.lazy)
        fprintf(out, "  levels       the coarsest built (%zu CNNs); each finer level grown from the search's "
                "best CNNs of the level before (%zu growth%s so far)\n", c->mods.n_initial, c->mods.n_events,
                c->mods.n_events == 1 ? "" : "s");
    if (c->mods.embed)
        fprintf(out, "  CNN2vec      d=%d on %zu GED pairs: Spearman rho %.3f, RMSE %.3g\n", c->mods.dim,
                c->mods.pairs, c->mods.rho, c->mods.rmse);
}

void cb_candidates_free(cb_candidates *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->from_modules && !c->from_cells)
            cb_net_free(&c->nets[i]);
        if (c->have_sim_net && c->have_sim_net[i])
            cb_sim_net_free(&c->sim_nets[i]);
    }
    free(c->sim_nets);
    free(c->have_sim_net);
    if (c->from_modules)
        cb_candidates_modules_free(&c->mods);
    else
        free(c->nets);
    if (c->from_cells)
        cb_candidates_cells_free(&c->cells);
    free(c->embed);
    free(c->hashes);
    free(c);
}

const cb_graph *cb_candidates_graph(cb_candidates *c, int64_t i, char *why, size_t why_len)
{
    if (!c || i < 0 || (size_t)i >= c->n) {
        snprintf(why, why_len, "CNN %lld is not among the %zu candidates", (long long)i, c ? c->n : 0);
        return NULL;
    }
    if (c->from_cells)
        return cb_candidates_cells_graph(&c->cells, i, why, why_len);
    return &c->nets[i].g;
}

const char *cb_study_cnn_hash(const cb_study *st, int64_t i)
{
    const cb_candidates *c = st->cands;
    return c && i >= 0 && (size_t)i < c->n ? c->hashes[i] : NULL;
}

uint64_t cb_candidates_macs(cb_candidates *c, int64_t i)
{
    if (!c || i < 0 || (size_t)i >= c->n)
        return 0;
    return c->from_cells ? cb_candidates_cells_macs(&c->cells, i) : c->nets[i].macs;
}

const cb_sim_net *cb_candidates_sim_net(cb_candidates *c, int64_t i, char *why, size_t why_len)
{
    if (!cb_candidates_graph(c, i, why, why_len))
        return NULL;
    if (!c->sim_nets) {
        c->sim_nets = cb_xcalloc(c->n, sizeof *c->sim_nets);
        c->have_sim_net = cb_xcalloc(c->n, 1);
    }
    if (!c->have_sim_net[i]) {
        const cb_graph *g = cb_candidates_graph(c, i, why, why_len);
        if (!g || cb_sim_net_from_graph(g, &c->sim_nets[i], why, why_len) != CB_OK)
            return NULL;
        c->have_sim_net[i] = 1;
    }
    return &c->sim_nets[i];
}
