/* tests/unit/search_util.c: see search_util.h. */
#include "search_util.h"
#include "host/host.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double axis_values[SU_MAX_AXES][8] = {{1, 2, 4, 8}, {1, 3, 5, 7, 9}, {16, 32, 64}};
static const int axis_n[SU_MAX_AXES] = {4, 5, 3};
static const char *axis_names[SU_MAX_AXES] = {"p_x", "p_k", "buffer"};

static int su_valid(void *ctx, const cb_pair *p)
{
    su_space *s = ctx;
    s->valid_calls++;
    return s->max_area <= 0 || su_area(p) <= s->max_area;
}

void su_space_make(su_space *s, int64_t n_cnn, int n_axes, int feat, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    cb_rng r;
    cb_rng_seed(&r, seed);
    s->sp.size = sizeof s->sp;
    s->sp.n_cnn = n_cnn;
    s->sp.n_axes = n_axes;
    s->sp.ctx = s;
    s->sp.valid = su_valid;
    s->sp.w_accuracy = 1;
    if (n_cnn > 0) {
        /* distinct decision vectors (4 decisions x 6 choices = 1296), embeddings a fixed random
         * projection of their one-hot codes plus noise: nearby embeddings share decisions */
        float proj[24][16];
        for (int i = 0; i < 24; i++)
            for (int j = 0; j < 16; j++)
                proj[i][j] = (float)cb_rng_normal(&r) * 0.5f;
        s->embed = calloc((size_t)n_cnn * 16, sizeof *s->embed);
        s->dec = calloc((size_t)n_cnn * 4, sizeof *s->dec);
        cr_assert(n_cnn <= 1296);
        int order[1296];
        for (int i = 0; i < 1296; i++)
            order[i] = i;
        for (int i = 1295; i > 0; i--) {
            int j = (int)cb_rng_below(&r, (uint64_t)i + 1), t = order[i];
            order[i] = order[j], order[j] = t;
        }
        for (int64_t c = 0; c < n_cnn; c++) {
            for (int d = 0, code = order[c]; d < 4; d++, code /= 6) {
                int v = code % 6;
                s->dec[c * 4 + d] = v;
                for (int j = 0; j < 16; j++)
                    s->embed[c * 16 + j] += proj[d * 6 + v][j];
            }
            for (int j = 0; j < 16; j++)
                s->embed[c * 16 + j] += (float)cb_rng_normal(&r) * 0.05f;
        }
        for (int d = 0; d < 4; d++)
            s->card[d] = 6;
        for (int j = 0; j < 16; j++) /* the optimum sits near one candidate */
            s->center[j] = s->embed[(n_cnn / 3) * 16 + j] + 0.1;
        s->sp.dim_cnn = 16;
        s->sp.cnn_embed = s->embed;
        s->sp.n_dec = 4;
        s->sp.dec_card = s->card;
        s->sp.cnn_dec = s->dec;
        if (feat) { /* one-hot decisions, then one bit per pair of equal neighbouring choices */
            s->feat = calloc((size_t)n_cnn * 27, sizeof *s->feat);
            for (int64_t c = 0; c < n_cnn; c++)
                for (int d = 0; d < 4; d++) {
                    s->feat[c * 27 + d * 6 + s->dec[c * 4 + d]] = 1;
                    if (d > 0)
                        s->feat[c * 27 + 24 + d - 1] = s->dec[c * 4 + d] == s->dec[c * 4 + d - 1];
                }
            s->sp.dim_feat = 27;
            s->sp.cnn_feat = s->feat;
        }
    }
    for (int a = 0; a < n_axes; a++) {
        memcpy(s->values[a], axis_values[a], sizeof s->values[a]);
        s->axes[a] = (cb_axis){axis_names[a], axis_n[a], s->values[a]};
    }
    s->sp.axes = n_axes ? s->axes : NULL;
}

void su_space_free(su_space *s)
{
    free(s->embed);
    free(s->dec);
    free(s->feat);
}

double su_area(const cb_pair *p)
{
    double a = 1;
    for (int i = 0; i < p->n_accel && i < 2; i++)
        a *= p->accel[i];
    return a; /* p_x * p_k: up to 72 */
}

double su_objective(const su_space *s, const cb_pair *p)
{
    double f = 1;
    if (s->sp.n_cnn > 0) {
        double d = 0;
        for (int j = 0; j < 16; j++) {
            double e = s->embed[p->cnn * 16 + j] - s->center[j];
            d += e * e;
        }
        f = exp(-d / 32);
    }
    if (s->sp.n_axes > 0) /* best around p_x = 4, p_k = 5, the largest buffer */
        f *= 0.5 + 0.5 * exp(-pow(log2(p->accel[0] / 4), 2) - pow((p->accel[1 % s->sp.n_axes] - 5) / 3, 2)) *
                       (s->sp.n_axes > 2 ? p->accel[2] / 64 : 1);
    return f;
}

static void grid_pair(const su_space *s, int64_t i, cb_pair *p)
{
    memset(p, 0, sizeof *p);
    for (int a = s->sp.n_axes - 1; a >= 0; a--) {
        p->accel[a] = s->values[a][i % axis_n[a]];
        i /= axis_n[a];
    }
    p->n_accel = s->sp.n_axes;
    p->cnn = s->sp.n_cnn > 0 ? i : -1;
}

static int64_t grid_size(const su_space *s)
{
    int64_t n = s->sp.n_cnn > 0 ? s->sp.n_cnn : 1;
    for (int a = 0; a < s->sp.n_axes; a++)
        n *= axis_n[a];
    return n;
}

double su_best(su_space *s)
{
    double best = -1;
    cb_pair p;
    for (int64_t i = 0; i < grid_size(s); i++) {
        grid_pair(s, i, &p);
        if (su_valid(s, &p))
            best = fmax(best, su_objective(s, &p));
    }
    return best;
}

double su_rank(su_space *s, double v)
{
    int64_t below = 0, all = 0;
    cb_pair p;
    for (int64_t i = 0; i < grid_size(s); i++) {
        grid_pair(s, i, &p);
        if (!su_valid(s, &p))
            continue;
        all++;
        below += su_objective(s, &p) <= v;
    }
    return all ? (double)below / all : 0;
}

const cb_plugin *su_plugin(const char *file, const char *name)
{
    char *path = cb_test_path("plugins/search/%s.so", file);
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* never closed: descriptors live in it */
    cr_assert(dl, "dlopen %s: %s", path, dlerror());
    free(path);
    cb_entry_fn entry = (cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY);
    cr_assert(entry, "no entry point in %s.so", file);
    const cb_pack *pack = entry();
    cr_assert(pack->abi_major == CB_ABI_MAJOR);
    for (const cb_plugin *const *p = pack->plugins; *p; p++)
        if ((*p)->kind == CB_KIND_SEARCH && strcmp((*p)->name, name) == 0)
            return *p;
    cr_assert_fail("no search plugin \"%s\" in %s.so", name, file);
    return NULL;
}

void su_started(su_inst *in, int rc, const cb_error *e, const cb_space *sp)
{
    cr_assert(rc == CB_OK, "create: %s", e->msg);
    in->vt = in->pl->vtable;
    cb_error e2;
    memset(&e2, 0, sizeof e2);
    cr_assert(in->vt->start(in->self, sp, &e2) == CB_OK, "start: %s", e2.msg);
}

void su_drop(su_inst *in)
{
    in->pl->destroy(in->self);
    cb_host_free(in->h);
    memset(in, 0, sizeof *in);
}

static void check_pair(su_space *s, const cb_pair *p)
{
    cr_assert(p->n_accel == s->sp.n_axes);
    /* a pair's level is its CNN's in a hierarchical space, else 0 */
    int32_t level = s->sp.cnn_level && p->cnn >= 0 && p->cnn < s->sp.n_cnn ? s->sp.cnn_level[p->cnn] : 0;
    cr_assert(p->level == level, "level %d, expected %d", p->level, level);
    if (s->sp.n_cnn > 0)
        cr_assert(p->cnn >= 0 && p->cnn < s->sp.n_cnn, "cnn %lld", (long long)p->cnn);
    else
        cr_assert(p->cnn == -1);
    for (int a = 0; a < s->sp.n_axes; a++) {
        int on = 0;
        for (int v = 0; v < s->axes[a].n_values; v++)
            on |= s->axes[a].values[v] == p->accel[a];
        cr_assert(on, "axis %d value %g is not on the axis", a, p->accel[a]);
    }
    cr_assert(s->max_area <= 0 || su_area(p) <= s->max_area, "a pair breaking the constraint: area %g > %g",
              su_area(p), s->max_area);
}

int su_ask(su_inst *in, su_space *s, int n, cb_pair *out)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    int n_out = -1;
    cr_assert(in->vt->ask(in->self, n, out, &n_out, &e) == CB_OK, "ask: %s", e.msg);
    cr_assert(n_out >= 0 && n_out <= n);
    for (int i = 0; i < n_out; i++)
        check_pair(s, &out[i]);
    return n_out;
}

void su_tell(su_inst *in, su_space *s, const cb_pair *p)
{
    cb_metrics m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    m.status = CB_EVAL_OK;
    m.performance = m.accuracy = su_objective(s, p);
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(in->vt->tell(in->self, p, &m, &e) == CB_OK, "tell: %s", e.msg);
}

static int same_pair(const cb_pair *a, const cb_pair *b)
{
    return a->cnn == b->cnn && a->n_accel == b->n_accel && !memcmp(a->accel, b->accel, sizeof a->accel);
}

int su_run(su_inst *in, su_space *s, int total, int batch, cb_pair *log)
{
    int done = 0;
    cb_pair out[16];
    cr_assert(batch <= 16);
    while (done < total) {
        int want = total - done < batch ? total - done : batch;
        int n = su_ask(in, s, want, out);
        if (n == 0)
            break;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < done + i; j++)
                cr_assert(!same_pair(&log[j], &out[i]), "pair %d repeats pair %d", done + i, j);
            log[done + i] = out[i];
        }
        for (int i = n - 1; i >= 0; i--) /* out of order, as workers finish */
            su_tell(in, s, &out[i]);
        done += n;
    }
    return done;
}

int su_run_async(su_inst *in, su_space *s, int total, int workers, cb_pair *log)
{
    int done = 0, n_pending = 0, busy[16];
    cr_assert(workers >= 2 && workers <= 16);
    while (done < total) {
        if (n_pending == workers) { /* a worker finishes: the second oldest, out of order */
            su_tell(in, s, &log[busy[1]]);
            memmove(&busy[1], &busy[2], (size_t)(workers - 2) * sizeof *busy);
            n_pending--;
        }
        cb_pair p;
        if (su_ask(in, s, 1, &p) == 0)
            break;
        for (int j = 0; j < done; j++)
            cr_assert(!same_pair(&log[j], &p), "pair %d repeats pair %d (%d pending)", done, j, n_pending);
        log[done] = p;
        busy[n_pending++] = done++;
    }
    for (int i = 0; i < n_pending; i++)
        su_tell(in, s, &log[busy[i]]);
    return done;
}

int su_buf_write(void *ctx, const void *data, size_t len)
{
    su_buf *b = ctx;
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            return CB_EFAIL;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return CB_OK;
}

void su_check_resume(su_make_fn make, void *ctx, su_space *s, int before, int after, int batch)
{
    su_inst a, b;
    make(&a, s, ctx);
    cb_pair *log = calloc((size_t)(before + after + 2), sizeof *log), *again = calloc((size_t)after + 1, sizeof *again);
    cr_assert(su_run(&a, s, before, batch, log) == before);
    cb_pair pending[2];
    cr_assert(su_ask(&a, s, 2, pending) == 2);
    su_buf buf = {0};
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(a.vt->save(a.self, su_buf_write, &buf, &e) == CB_OK, "save: %s", e.msg);
    su_tell(&a, s, &pending[1]);
    su_tell(&a, s, &pending[0]);
    int n1 = su_run(&a, s, after, batch, log + before);

    make(&b, s, ctx);
    cr_assert(b.vt->load(b.self, buf.p, buf.len - 1, &e) != CB_OK, "a truncated state is refused");
    cr_assert(b.vt->load(b.self, buf.p, buf.len, &e) == CB_OK, "load: %s", e.msg);
    su_tell(&b, s, &pending[1]);
    su_tell(&b, s, &pending[0]);
    int n2 = su_run(&b, s, after, batch, again);
    cr_assert(n1 == n2, "the resumed search made %d proposals, the original %d", n2, n1);
    for (int i = 0; i < n1; i++)
        cr_assert(same_pair(&log[before + i], &again[i]), "proposal %d after the resume differs", i);
    for (int i = 0; i < n2; i++) /* nothing asked before the save comes back */
        for (int j = 0; j < before; j++)
            cr_assert(!same_pair(&again[i], &log[j]));
    free(buf.p);
    free(log);
    free(again);
    su_drop(&a);
    su_drop(&b);
}
