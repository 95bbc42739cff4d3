/* core/graph/modhash.c: compact class lists and their parallel hashing (see modhash.h). */
#include "graph/modhash.h"
#include "graph/hash.h"
#include "host/pool.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <stdlib.h>
#include <string.h>

static int add_class(void *ctx, size_t form, const int32_t *lab)
{
    cb_modlist *l = ctx;
    const cb_form *fm = &l->forms->v[form];
    uint64_t code = 0;
    for (int v = 1; v < fm->m.n - 1; v++)
        code = code * (uint64_t)l->k + (uint64_t)lab[v];
    size_t cap = l->cap; /* both arrays grow together: same capacity */
    cb_grow(&l->form, sizeof *l->form, l->n + 1, &cap);
    cb_grow(&l->code, sizeof *l->code, l->n + 1, &l->cap);
    l->form[l->n] = (uint32_t)form;
    l->code[l->n++] = code;
    return 0;
}

int cb_modlist_build(cb_modlist *l, const cb_forms *f, const cb_labelset *ls)
{
    memset(l, 0, sizeof *l);
    for (size_t i = 0; i < f->n; i++) {
        double room = 1;
        for (int v = 1; v < f->v[i].m.n - 1; v++)
            room *= (double)ls->k;
        if (room >= 18446744073709551615.0)
            return CB_EINVAL;
    }
    l->forms = f;
    l->k = ls->k;
    return cb_labellings_enumerate(f, ls->k, add_class, l);
}

void cb_modlist_free(cb_modlist *l)
{
    free(l->form);
    free(l->code);
    memset(l, 0, sizeof *l);
}

void cb_modlist_get(const cb_modlist *l, size_t i, const cb_forms *f, const cb_labelset *ls, cb_module *m)
{
    *m = f->v[l->form[i]].m;
    uint64_t code = l->code[i];
    for (int v = m->n - 2; v >= 1; v--) {
        m->label[v] = ls->ids ? ls->ids[code % (uint64_t)ls->k] : (int32_t)(code % (uint64_t)ls->k);
        code /= (uint64_t)ls->k;
    }
    m->label[0] = ls->in_id;
    m->label[m->n - 1] = ls->out_id;
}

typedef struct hash_job {
    const cb_modlist *l;
    const cb_forms *f;
    const cb_labelset *ls;
    const char *const *texts;
    cb_hash_algo algo;
    char *hex;
} hash_job;

static void hash_chunk(void *ctx, size_t begin, size_t end)
{
    hash_job *j = ctx;
    cb_hasher h;
    if (cb_hasher_init(&h, j->algo) != 0)
        return; /* libcrypto without the algorithm: the hashes stay empty */
    for (size_t i = begin; i < end; i++) {
        cb_module m;
        cb_modlist_get(j->l, i, j->f, j->ls, &m);
        cb_module_fingerprint(&h, &m, j->texts, j->hex + i * CB_HEX_MAX);
    }
    cb_hasher_free(&h);
}

char *cb_modlist_hash(const cb_modlist *l, const cb_forms *f, const cb_labelset *ls,
                      const char *const *texts, cb_hash_algo algo)
{
    hash_job j = {l, f, ls, texts, algo, cb_xcalloc(l->n + 1, CB_HEX_MAX)};
    cb_pool_run(l->n, hash_chunk, &j);
    return j.hex;
}

size_t cb_hexset_add_all(cb_hexset *set, const char *hex, size_t n)
{
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++)
        fresh += cb_hexset_add(set, hex + i * CB_HEX_MAX);
    return fresh;
}
