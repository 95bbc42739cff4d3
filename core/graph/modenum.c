/* core/graph/modenum.c: counting, enumerating and sampling labelled modules over the forms
 * (see modenum.h for the method). */
#include "graph/modenum.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static int cycles(const uint8_t *p, int n)
{
    uint16_t seen = 0;
    int c = 0;
    for (int v = 1; v < n - 1; v++) {
        if (seen >> v & 1)
            continue;
        c++;
        for (int w = v; !(seen >> w & 1); w = p[w])
            seen |= (uint16_t)(1u << w);
    }
    return c;
}

static unsigned __int128 upow(unsigned __int128 b, int e)
{
    unsigned __int128 r = 1;
    while (e-- > 0)
        r *= b;
    return r;
}

unsigned __int128 cb_form_count(const cb_form *f, int32_t k)
{
    unsigned __int128 sum = 0;
    int n = f->m.n;
    for (int a = 0; a < f->n_aut; a++)
        sum += upow((unsigned __int128)k, cycles(f->aut + (size_t)a * (size_t)n, n));
    return sum / (unsigned)f->n_aut;
}

unsigned __int128 cb_forms_count(const cb_forms *f, int32_t k)
{
    unsigned __int128 sum = 0;
    for (size_t i = 0; i < f->n; i++)
        sum += cb_form_count(&f->v[i], k);
    return sum;
}

const char *cb_u128_str(unsigned __int128 x, char *buf, size_t len)
{
    if (x > UINT64_MAX)
        snprintf(buf, len, "%.6g", (double)x);
    else
        snprintf(buf, len, "%llu", (unsigned long long)x);
    return buf;
}

/* Is the interior labelling lab (indices 0..k) the smallest under automorphism a?
 * The image puts lab[v] at vertex p[v]. */
static int compare_image(const uint8_t *p, int n, const int32_t *lab)
{
    int32_t img[CB_MODULE_MAXV];
    for (int v = 0; v < n; v++)
        img[p[v]] = lab[v];
    for (int v = 1; v < n - 1; v++)
        if (img[v] != lab[v])
            return img[v] < lab[v] ? -1 : 1;
    return 0;
}

static bool orbit_minimal(const cb_form *f, const int32_t *lab)
{
    for (int a = 1; a < f->n_aut; a++)
        if (compare_image(f->aut + (size_t)a * (size_t)f->m.n, f->m.n, lab) < 0)
            return false;
    return true;
}

static void apply_labels(const cb_labelset *ls, const int32_t *lab, cb_module *m)
{
    m->label[0] = ls->in_id;
    m->label[m->n - 1] = ls->out_id;
    for (int v = 1; v < m->n - 1; v++)
        m->label[v] = ls->ids ? ls->ids[lab[v]] : lab[v];
}

/* Next labelling in base k over vertices 1..n-2 (vertex n-2 fastest); false after the last. */
static bool next_labelling(int32_t *lab, int n, int32_t k)
{
    for (int v = n - 2; v >= 1; v--) {
        if (++lab[v] < k)
            return true;
        lab[v] = 0;
    }
    return false;
}

int cb_labellings_enumerate(const cb_forms *f, int32_t k, cb_labelling_fn fn, void *ctx)
{
    for (size_t i = 0; i < f->n; i++) {
        const cb_form *fm = &f->v[i];
        int32_t lab[CB_MODULE_MAXV] = {0};
        do {
            if (!orbit_minimal(fm, lab))
                continue;
            int rc = fn(ctx, i, lab);
            if (rc)
                return rc;
        } while (k > 0 && next_labelling(lab, fm->m.n, k));
    }
    return 0;
}

typedef struct as_modules {
    const cb_forms *f;
    const cb_labelset *ls;
    cb_module_fn fn;
    void *ctx;
} as_modules;

static int emit_module(void *ctx, size_t form, const int32_t *lab)
{
    as_modules *a = ctx;
    cb_module m = a->f->v[form].m;
    apply_labels(a->ls, lab, &m);
    return a->fn(a->ctx, &m);
}

int cb_modules_enumerate(const cb_forms *f, const cb_labelset *ls, cb_module_fn fn, void *ctx)
{
    as_modules a = {f, ls, fn, ctx};
    return cb_labellings_enumerate(f, ls->k, emit_module, &a);
}

int cb_modules_bruteforce(int vmin, int vmax, int max_edges, const cb_labelset *ls, cb_module_fn fn,
                          void *ctx)
{
    for (int n = vmin; n <= vmax; n++) {
        uint64_t limit = 1ull << (n * (n - 1) / 2);
        for (uint64_t mask = 0; mask < limit; mask++) {
            if (__builtin_popcountll(mask) > max_edges)
                continue;
            cb_module m;
            cb_module_from_mask(&m, n, mask);
            if (!cb_module_full_dag(&m))
                continue;
            int32_t lab[CB_MODULE_MAXV] = {0};
            do {
                apply_labels(ls, lab, &m);
                int rc = fn(ctx, &m);
                if (rc)
                    return rc;
            } while (ls->k > 0 && next_labelling(lab, n, ls->k));
        }
    }
    return 0;
}

/* The orbit size of labelling lab under the form's automorphisms: |Aut| / |stabilizer|. */
static int orbit_size(const cb_form *f, const int32_t *lab)
{
    int stab = 0;
    for (int a = 0; a < f->n_aut; a++)
        stab += compare_image(f->aut + (size_t)a * (size_t)f->m.n, f->m.n, lab) == 0;
    return f->n_aut / stab;
}

static size_t pick_form(const cb_forms *f, int32_t k, cb_rng *rng)
{
    unsigned __int128 total = cb_forms_count(f, k);
    /* a uniform index below total from two 64-bit draws (exact when total < 2^64) */
    unsigned __int128 r = total > UINT64_MAX ? (((unsigned __int128)cb_rng_u64(rng) << 64) | cb_rng_u64(rng)) % total
                                             : (unsigned __int128)cb_rng_below(rng, (uint64_t)total);
    for (size_t i = 0; i < f->n; i++) {
        unsigned __int128 c = cb_form_count(&f->v[i], k);
        if (r < c)
            return i;
        r -= c;
    }
    return f->n - 1;
}

/* Replaces lab (values at vertices 0..n-1) by the smallest of its images. */
static void smallest_image(const cb_form *f, int32_t *lab)
{
    int n = f->m.n;
    int32_t best[CB_MODULE_MAXV];
    memcpy(best, lab, sizeof best);
    for (int a = 1; a < f->n_aut; a++) {
        const uint8_t *p = f->aut + (size_t)a * (size_t)n;
        int32_t img[CB_MODULE_MAXV];
        memcpy(img, lab, sizeof img);
        for (int v = 0; v < n; v++)
            img[p[v]] = lab[v];
        for (int v = 1; v < n - 1; v++)
            if (img[v] != best[v]) {
                if (img[v] < best[v])
                    memcpy(best, img, sizeof best);
                break;
            }
    }
    memcpy(lab, best, sizeof best);
}

void cb_modules_sample(const cb_forms *f, const cb_labelset *ls, cb_rng *rng, cb_module *out)
{
    const cb_form *fm = &f->v[pick_form(f, ls->k, rng)];
    int32_t lab[CB_MODULE_MAXV] = {0};
    for (;;) {
        for (int v = 1; v < fm->m.n - 1; v++)
            lab[v] = (int32_t)cb_rng_below(rng, (uint64_t)ls->k);
        if (cb_rng_below(rng, (uint64_t)orbit_size(fm, lab)) == 0)
            break;
    }
    smallest_image(fm, lab); /* the representative the enumeration lists */
    *out = fm->m;
    apply_labels(ls, lab, out);
}

void cb_module_canonical_labels(const cb_form *f, cb_module *m)
{
    smallest_image(f, m->label);
}
