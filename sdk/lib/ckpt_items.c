/* ckpt_items.c: what checkpoint writing and reading share: the list of tensors a checkpoint
 * holds for an engine (weights, then optimizer moments), the file's shape spelling, and
 * little-endian conversion (see docs/checkpoint.md). */
#include "ckpt_internal.h"
#include "engine_internal.h"

#include <codebench/checkpoint.h>
#include <codebench/sdk.h>

#include <stdio.h>
#include <string.h>

int cb_ckpt_little_endian(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

void cb_ckpt_swap32(float *v, int64_t n)
{
    for (int64_t k = 0; k < n; k++) {
        uint32_t u;
        memcpy(&u, &v[k], 4);
        u = (u >> 24) | ((u >> 8) & 0xff00u) | ((u << 8) & 0xff0000u) | (u << 24);
        memcpy(&v[k], &u, 4);
    }
}

/* cb_weight shapes are (n, c, d, h, w): drop d when it is 1 (2-D ops) and trailing 1s, so a
 * conv weight reads [out, in, kh, kw], a dense weight [out, in] and a bias [out]. */
int cb_ckpt_dims_of(cb_shape s, int64_t *dims)
{
    int64_t all[5] = {s.n, s.c, s.d, s.h, s.w};
    int n = 0;
    for (int k = 0; k < 5; k++)
        if (!(k == 2 && all[k] == 1))
            dims[n++] = all[k];
    while (n > 1 && dims[n - 1] == 1)
        n--;
    return n;
}

int cb_ckpt_same_dims(const int64_t *a, int na, const int64_t *b, int nb)
{
    while (na > 1 && a[na - 1] == 1) /* trailing 1s carry no layout: [64, 32, 1, 1] = [64, 32] */
        na--;
    while (nb > 1 && b[nb - 1] == 1)
        nb--;
    if (na != nb)
        return 0;
    for (int k = 0; k < na; k++)
        if (a[k] != b[k])
            return 0;
    return 1;
}

/* The tensors of a checkpoint: weights, then optimizer moments. Returns the count. */
int cb_ckpt_list_items(cb_engine *en, cb_engine_optim *o, ckpt_item *out)
{
    int n = 0;
    for (int32_t i = 0; i < en->n_w; i++) {
        ckpt_item *it = &out[n++];
        cb_engine_weight_name(en, i, it->name, sizeof it->name);
        it->ndim = cb_ckpt_dims_of(en->spec[i].shape, it->dims);
        it->data = en->w[i].data;
        it->numel = eng_numel(en->spec[i].shape);
    }
    for (int which = 0; o && which < 2; which++)
        for (int32_t i = 0; i < en->n_w; i++) {
            float *st = cb_engine_optim_state(o, i, which);
            if (!st)
                continue;
            ckpt_item *it = &out[n++];
            *it = out[i];
            char base[128];
            memcpy(base, out[i].name, sizeof base);
            snprintf(it->name, sizeof it->name, "optim.%c.%.100s", which ? 'v' : 'm', base);
            it->data = st;
        }
    return n;
}

