/* tests/unit/search_random.c: the "random" search plugin (plugins/search/random.so), loaded
 * with dlopen and driven through its vtable: no repeated pair until the space is exhausted,
 * valid() respected, one-sided spaces, and save/load resuming the exact same proposals. */
#include "host/host.h"
#include "test_util.h"

#include <codebench/search.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef int (*random_create_fn)(const cb_host *, cb_error *, void **, int64_t max_tries);

static const cb_plugin *random_plugin(void)
{
    static const cb_plugin *pl;
    if (pl)
        return pl;
    char *path = cb_test_path("plugins/search/random.so");
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* never closed: descriptors live in it */
    cr_assert(ne(ptr, dl, NULL), "dlopen %s: %s", path, dlerror());
    free(path);
    cb_entry_fn entry = (cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY);
    cr_assert(ne(ptr, (void *)(uintptr_t)entry, NULL));
    const cb_pack *pack = entry();
    cr_assert(eq(str, (char *)pack->name, "std-search-random"));
    for (const cb_plugin *const *p = pack->plugins; *p; p++)
        if ((*p)->kind == CB_KIND_SEARCH && strcmp((*p)->name, "random") == 0)
            pl = *p;
    cr_assert(ne(ptr, (void *)pl, NULL), "no search plugin \"random\" in the pack");
    cr_assert(eq(str, (char *)pl->params[0].name, "max_tries"));
    cr_assert(eq(str, (char *)pl->params[0].def, "1000"));
    cr_assert(eq(ptr, (void *)pl->params[1].name, NULL));
    return pl;
}

typedef struct inst {
    cb_host *h;
    void *self;
    const cb_search_vt *vt;
} inst;

static inst make(int64_t max_tries, const cb_space *sp)
{
    const cb_plugin *pl = random_plugin();
    inst in = {cb_host_new("random"), NULL, pl->vtable};
    cb_error e;
    memset(&e, 0, sizeof e);
    cr_assert(eq(int, ((random_create_fn)pl->create)(in.h, &e, &in.self, max_tries), CB_OK), "%s", e.msg);
    cr_assert(eq(int, in.vt->start(in.self, sp, &e), CB_OK), "%s", e.msg);
    return in;
}

static void drop(inst *in)
{
    random_plugin()->destroy(in->self);
    cb_host_free(in->h);
}

/* ---- a small space: 3 CNNs x {1, 2} x {10, 20, 30}[:n] ---- */
static const double ax0[] = {1, 2}, ax1[] = {10, 20, 30};

static cb_space space(int64_t n_cnn, int n_axes, int n1)
{
    static cb_axis axes[2];
    axes[0] = (cb_axis){"a", 2, ax0};
    axes[1] = (cb_axis){"b", n1, ax1};
    cb_space sp;
    memset(&sp, 0, sizeof sp);
    sp.size = sizeof sp;
    sp.n_cnn = n_cnn;
    sp.n_axes = n_axes;
    sp.axes = n_axes ? axes : NULL;
    return sp;
}

/* A pair's grid key, checking that every value comes from the space. */
static int key_of(const cb_space *sp, const cb_pair *p)
{
    cr_assert(eq(i32, p->level, 0));
    cr_assert(eq(i32, p->n_accel, sp->n_axes));
    int key = 0;
    if (sp->n_cnn > 0) {
        cr_assert(p->cnn >= 0 && p->cnn < sp->n_cnn, "cnn %lld", (long long)p->cnn);
        key = (int)p->cnn;
    } else {
        cr_assert(eq(i64, p->cnn, -1));
    }
    for (int a = 0; a < sp->n_axes; a++) {
        int j = -1;
        for (int v = 0; v < sp->axes[a].n_values; v++)
            if (sp->axes[a].values[v] == p->accel[a])
                j = v;
        cr_assert(j >= 0, "axis %d value %g not in the space", a, p->accel[a]);
        key = key * sp->axes[a].n_values + j;
    }
    return key;
}

/* Asks in batches of `batch` until *n_out = 0; every pair distinct; returns how many. */
static int drain(inst *in, const cb_space *sp, int batch, int expect_max, int *keys)
{
    char seen[4096] = {0};
    int total = 0;
    cb_error e;
    for (;;) {
        cb_pair out[16];
        int n_out = -1;
        cr_assert(eq(int, in->vt->ask(in->self, batch, out, &n_out, &e), CB_OK), "%s", e.msg);
        cr_assert(n_out >= 0 && n_out <= batch);
        if (n_out == 0)
            break;
        for (int i = 0; i < n_out; i++) {
            int k = key_of(sp, &out[i]);
            cr_assert(k < 4096 && !seen[k], "pair %d proposed twice", k);
            seen[k] = 1;
            if (keys)
                keys[total] = k;
            total++;
            cr_assert(total <= expect_max, "more pairs than the space holds");
            cb_metrics m = {.size = sizeof m, .status = CB_EVAL_OK, .accuracy = 0.5};
            cr_assert(eq(int, in->vt->tell(in->self, &out[i], &m, &e), CB_OK));
        }
    }
    /* exhausted stays exhausted */
    cb_pair out[4];
    int n_out = -1;
    cr_assert(eq(int, in->vt->ask(in->self, 4, out, &n_out, &e), CB_OK));
    cr_assert(eq(int, n_out, 0));
    return total;
}

Test(search_random, no_repeats_then_exhausted)
{
    cb_space sp = space(3, 2, 2); /* 12 pairs */
    inst in = make(1000, &sp);
    cr_assert(eq(int, drain(&in, &sp, 5, 12, NULL), 12));
    drop(&in);
}

Test(search_random, one_try_falls_back_to_enumeration)
{
    cb_space sp = space(3, 2, 3); /* 18 pairs */
    inst in = make(1, &sp);
    cr_assert(eq(int, drain(&in, &sp, 1, 18, NULL), 18));
    drop(&in);
}

static int calls;
static int no_cnn_1(void *ctx, const cb_pair *p)
{
    calls++;
    cr_assert(eq(ptr, ctx, (void *)&calls));
    return p->cnn != 1 && !(p->accel[0] == 2 && p->accel[1] == 10);
}

Test(search_random, valid_respected)
{
    cb_space sp = space(3, 2, 2);
    sp.ctx = &calls;
    sp.valid = no_cnn_1;
    inst in = make(1000, &sp);
    int keys[12];
    int n = drain(&in, &sp, 3, 12, keys);
    cr_assert(eq(int, n, 6)); /* CNNs 0 and 2, minus (2, 10) for each */
    for (int i = 0; i < n; i++)
        cr_assert(keys[i] / 4 != 1 && keys[i] % 4 != 2, "invalid pair %d proposed", keys[i]);
    cr_assert(calls > 0);
    drop(&in);
}

static int never(void *ctx, const cb_pair *p)
{
    return 0;
}

Test(search_random, nothing_valid)
{
    cb_space sp = space(3, 2, 2);
    sp.valid = never;
    inst in = make(10, &sp);
    cr_assert(eq(int, drain(&in, &sp, 4, 0, NULL), 0));
    drop(&in);
}

Test(search_random, accelerator_only)
{
    cb_space sp = space(0, 2, 3); /* 6 pairs, cnn -1 */
    inst in = make(1000, &sp);
    cr_assert(eq(int, drain(&in, &sp, 4, 6, NULL), 6));
    drop(&in);
}

Test(search_random, cnn_only)
{
    cb_space sp = space(7, 0, 0); /* 7 pairs, n_accel 0 */
    inst in = make(1000, &sp);
    cr_assert(eq(int, drain(&in, &sp, 2, 7, NULL), 7));
    drop(&in);
}

Test(search_random, tell_accepts_anything)
{
    cb_space sp = space(3, 2, 2);
    inst in = make(1000, &sp);
    cb_pair p;
    memset(&p, 0, sizeof p);
    p.cnn = 99;
    p.n_accel = 5;
    p.accel[0] = -3.5;
    cb_metrics m = {.size = sizeof m, .status = CB_EVAL_FAILED};
    cb_error e;
    cr_assert(eq(int, in.vt->tell(in.self, &p, &m, &e), CB_OK));
    drop(&in);
}

/* ---- save / load ---- */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static int buf_write(void *ctx, const void *data, size_t len)
{
    buf *b = ctx;
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

static void ask_n(inst *in, int n, cb_pair *out)
{
    cb_error e;
    for (int got = 0; got < n;) {
        int n_out = 0, want = n - got < 7 ? n - got : 7;
        cr_assert(eq(int, in->vt->ask(in->self, want, out + got, &n_out, &e), CB_OK), "%s", e.msg);
        cr_assert(eq(int, n_out, want));
        got += n_out;
    }
}

static void resume(cb_space *sp, int before, int after)
{
    inst a = make(1000, sp);
    cb_pair *first = calloc((size_t)(before + after), sizeof *first);
    cb_pair *second = calloc((size_t)after, sizeof *second);
    ask_n(&a, before, first);
    buf b = {0};
    cb_error e;
    cr_assert(eq(int, a.vt->save(a.self, buf_write, &b, &e), CB_OK), "%s", e.msg);
    ask_n(&a, after, first + before);

    inst c = make(1000, sp);
    cr_assert(eq(int, c.vt->load(c.self, b.p, b.len, &e), CB_OK), "%s", e.msg);
    ask_n(&c, after, second);
    for (int i = 0; i < after; i++)
        cr_assert(eq(int, memcmp(&first[before + i], &second[i], sizeof(cb_pair)), 0),
                  "proposal %d after the resume differs", i);
    /* and neither repeats what was asked before the save */
    for (int i = 0; i < before; i++)
        for (int j = 0; j < after; j++)
            cr_assert(ne(int, key_of(sp, &first[i]), key_of(sp, &second[j])));

    /* a truncated or damaged state is refused */
    inst d = make(1000, sp);
    cr_assert(eq(int, d.vt->load(d.self, b.p, b.len - 1, &e), CB_EFAIL));
    cr_assert(eq(int, d.vt->load(d.self, b.p, 8, &e), CB_EFAIL));
    drop(&d);

    free(b.p);
    free(first);
    free(second);
    drop(&a);
    drop(&c);
}

Test(search_random, save_load_resumes_identically)
{
    static const double big[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    static cb_axis axes[2] = {{"x", 20, big}, {"y", 20, big}};
    cb_space sp;
    memset(&sp, 0, sizeof sp);
    sp.size = sizeof sp;
    sp.n_cnn = 10; /* 4000 pairs */
    sp.n_axes = 2;
    sp.axes = axes;
    resume(&sp, 300, 200);
}

Test(search_random, save_load_near_exhaustion)
{
    cb_space sp = space(3, 2, 2);
    resume(&sp, 7, 5); /* the last 5 of 12, through the enumeration fallback */
    cb_space empty = space(3, 2, 2);
    resume(&empty, 0, 12); /* a fresh state saves and loads too */
}

Test(search_random, same_seed_same_proposals)
{
    cb_space sp = space(3, 2, 3);
    inst a = make(1000, &sp), b = make(1000, &sp);
    cb_pair pa[18], pb[18];
    ask_n(&a, 18, pa);
    ask_n(&b, 18, pb);
    cr_assert(eq(int, memcmp(pa, pb, sizeof pa), 0));
    drop(&a);
    drop(&b);
}
