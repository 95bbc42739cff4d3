/* core/graph/forms.c: one representative per isomorphism class of full DAGs, with its
 * automorphisms (see forms.h).
 *
 * For every mask with few enough edges that is a full DAG, every permutation of the interior
 * vertices is applied through a table that maps each edge bit to its image (or -1 when the
 * image edge would point backwards, i.e. the permutation is not a topological order). The mask
 * is kept only when no topological relabelling gives a smaller mask; relabellings giving the
 * same mask are its automorphisms. */
#include "graph/forms.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <stdlib.h>
#include <string.h>

typedef struct perms {
    int n, count, bits;
    uint8_t *p;      /* count x n */
    int8_t *edge;    /* count x bits: image bit of each edge bit, -1 when backwards */
} perms;

static bool next_perm(uint8_t *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1])
        i--;
    if (i < 0)
        return false;
    int j = n - 1;
    while (a[j] <= a[i])
        j--;
    uint8_t t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = n - 1; l < r; l++, r--) {
        t = a[l];
        a[l] = a[r];
        a[r] = t;
    }
    return true;
}

static void perms_make(perms *P, int n)
{
    int count = 1;
    for (int k = 2; k <= n - 2; k++)
        count *= k;
    P->n = n;
    P->count = count;
    P->bits = n * (n - 1) / 2;
    P->p = cb_xmalloc((size_t)count * (size_t)n);
    P->edge = cb_xmalloc((size_t)count * (size_t)(P->bits > 0 ? P->bits : 1));
    uint8_t a[CB_FORMS_MAXV];
    for (int v = 0; v < n; v++)
        a[v] = (uint8_t)v;
    for (int k = 0; k < count; k++) {
        memcpy(P->p + (size_t)k * (size_t)n, a, (size_t)n);
        for (int y = 1; y < n; y++)
            for (int x = 0; x < y; x++) {
                int px = a[x], py = a[y];
                P->edge[(size_t)k * (size_t)P->bits + (size_t)cb_edge_bit(x, y)] =
                    (int8_t)(px < py ? cb_edge_bit(px, py) : -1);
            }
        if (n > 3)
            next_perm(a + 1, n - 2); /* input and output stay */
    }
}

/* The image of mask under permutation k, or UINT64_MAX when it is not upper-triangular. */
static uint64_t image(const perms *P, int k, uint64_t mask)
{
    const int8_t *e = P->edge + (size_t)k * (size_t)P->bits;
    uint64_t out = 0;
    for (uint64_t m = mask; m; m &= m - 1) {
        int b = e[__builtin_ctzll(m)];
        if (b < 0)
            return UINT64_MAX;
        out |= 1ull << b;
    }
    return out;
}

static void add_form(cb_forms *f, const perms *P, uint64_t mask, const int *auts, int n_aut)
{
    cb_grow(&f->v, sizeof *f->v, f->n + 1, &f->cap);
    cb_form *fm = &f->v[f->n++];
    memset(fm, 0, sizeof *fm);
    cb_module_from_mask(&fm->m, P->n, mask);
    fm->mask = mask;
    fm->n_aut = n_aut;
    fm->aut = cb_xmalloc((size_t)n_aut * (size_t)P->n);
    for (int k = 0; k < n_aut; k++)
        memcpy(fm->aut + (size_t)k * (size_t)P->n, P->p + (size_t)auts[k] * (size_t)P->n, (size_t)P->n);
}

static void forms_of_size(cb_forms *f, int n, int max_edges)
{
    perms P;
    perms_make(&P, n);
    int *auts = cb_xmalloc((size_t)P.count * sizeof *auts);
    uint64_t limit = 1ull << P.bits;
    for (uint64_t mask = 0; mask < limit; mask++) {
        if (__builtin_popcountll(mask) > max_edges)
            continue;
        cb_module m;
        cb_module_from_mask(&m, n, mask);
        if (!cb_module_full_dag(&m))
            continue;
        f->full_dags++;
        f->full_by_n[n]++;
        int n_aut = 0;
        bool canonical = true;
        for (int k = 0; k < P.count && canonical; k++) {
            uint64_t im = image(&P, k, mask);
            if (im < mask)
                canonical = false;
            else if (im == mask)
                auts[n_aut++] = k; /* k = 0 is the identity */
        }
        if (canonical)
            add_form(f, &P, mask, auts, n_aut);
    }
    free(auts);
    free(P.p);
    free(P.edge);
}

int cb_forms_build(cb_forms *f, int vmin, int vmax, int max_edges)
{
    memset(f, 0, sizeof *f);
    if (vmin < 2 || vmax > CB_FORMS_MAXV || vmin > vmax)
        return CB_EINVAL;
    for (int n = vmin; n <= vmax; n++)
        forms_of_size(f, n, max_edges);
    return CB_OK;
}

void cb_forms_free(cb_forms *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].aut);
    free(f->v);
    memset(f, 0, sizeof *f);
}
