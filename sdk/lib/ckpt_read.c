/* ckpt_read.c: reads a safetensors checkpoint into an engine (codebench/checkpoint.h,
 * docs/checkpoint.md). Every tensor is checked before any is read, so a bad file leaves the
 * engine as it was. */
#include "ckpt_internal.h"
#include "engine_internal.h"

#include <codebench/checkpoint.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MAX (100u << 20) /* safetensors' own bound on header size */

typedef struct src {
    const char *path;
    FILE *f;
    uint64_t data_at, data_len; /* the data section's file offset and length */
    ckpt_header h;
} src;

static int open_src(src *s, cb_error *e)
{
    if (!(s->f = fopen(s->path, "rb")))
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open: %s", s->path, strerror(errno));
    uint8_t len8[8];
    if (fseeko(s->f, 0, SEEK_END) != 0)
        return cb_error_set(e, CB_EFAIL, NULL, "%s: cannot seek", s->path);
    uint64_t size = (uint64_t)ftello(s->f), hlen = 0;
    rewind(s->f);
    if (size < 8 || fread(len8, 1, 8, s->f) != 8)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: truncated: %llu bytes, a checkpoint starts with an 8-byte header length",
                            s->path, (unsigned long long)size);
    for (int k = 0; k < 8; k++)
        hlen |= (uint64_t)len8[k] << (8 * k);
    if (hlen > HEADER_MAX || hlen > size - 8)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: truncated or not a checkpoint: header of %llu bytes announced, %llu bytes follow",
                            s->path, (unsigned long long)hlen, (unsigned long long)(size - 8));
    char *json = malloc(hlen + 1), why[200];
    if (!json || fread(json, 1, hlen, s->f) != hlen) {
        free(json);
        return cb_error_set(e, CB_EFAIL, NULL, "%s: cannot read the header", s->path);
    }
    int bad = cb_ckpt_parse_header(json, hlen, &s->h, why, sizeof why);
    free(json);
    if (bad)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: %s", s->path, why);
    s->data_at = 8 + hlen;
    s->data_len = size - 8 - hlen;
    return CB_OK;
}

static const ckpt_entry *find(const src *s, const char *name)
{
    for (int i = 0; i < s->h.n_t; i++)
        if (!strcmp(s->h.t[i].name, name))
            return &s->h.t[i];
    return NULL;
}

static int check_entry(const src *s, const ckpt_item *it, const ckpt_entry *t, cb_error *e)
{
    char want[96] = "", got[96] = "";
    if (strcmp(t->dtype, "F32") != 0)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: tensor %s is %s, expected F32", s->path,
                            it->name, t->dtype);
    if (!cb_ckpt_same_dims(it->dims, it->ndim, t->shape, t->ndim)) {
        for (int k = 0; k < it->ndim; k++)
            snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", k ? "," : "", (long long)it->dims[k]);
        for (int k = 0; k < t->ndim && k < CKPT_MAX_DIMS; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", k ? "," : "", (long long)t->shape[k]);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: tensor %s has shape [%s], the graph expects [%s]",
                            s->path, it->name, got, want);
    }
    uint64_t bytes = (uint64_t)it->numel * 4;
    if (t->end - t->begin != bytes)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: tensor %s spans %llu bytes, expected %llu",
                            s->path, it->name, (unsigned long long)(t->end - t->begin), (unsigned long long)bytes);
    if (t->end > s->data_len)
        return cb_error_set(e, CB_EINVAL, NULL,
                            "%s: truncated: tensor %s needs data bytes %llu..%llu, the file holds %llu",
                            s->path, it->name, (unsigned long long)t->begin,
                            (unsigned long long)t->end, (unsigned long long)s->data_len);
    return CB_OK;
}

static int read_entry(const src *s, const ckpt_item *it, const ckpt_entry *t, cb_error *e)
{
    if (fseeko(s->f, (off_t)(s->data_at + t->begin), SEEK_SET) != 0 ||
        fread(it->data, sizeof(float), (size_t)it->numel, s->f) != (size_t)it->numel)
        return cb_error_set(e, CB_EFAIL, NULL, "%s: cannot read tensor %s", s->path, it->name);
    if (!cb_ckpt_little_endian())
        cb_ckpt_swap32(it->data, it->numel);
    return CB_OK;
}

static const char *meta(const src *s, const char *key)
{
    for (int i = 0; i < s->h.n_m; i++)
        if (!strcmp(s->h.m[i].key, key))
            return s->h.m[i].val;
    return NULL;
}

static void read_info(const src *s, cb_ckpt_info *info)
{
    memset(info, 0, sizeof *info);
    info->best_val = -1;
    const char *v;
    if ((v = meta(s, "graph_hash")))
        snprintf(info->graph_hash, sizeof info->graph_hash, "%.64s", v);
    if ((v = meta(s, "epoch")))
        info->epoch = (int32_t)strtol(v, NULL, 10);
    if ((v = meta(s, "step")))
        info->step = strtoll(v, NULL, 10);
    if ((v = meta(s, "best_val")))
        info->best_val = strtod(v, NULL);
    if ((v = meta(s, "bad_epochs")))
        info->bad_epochs = (int32_t)strtol(v, NULL, 10);
    if ((v = meta(s, "rng")) && strlen(v) == 64)
        for (int k = 0; k < 4; k++) {
            char word[17];
            memcpy(word, v + 16 * k, 16);
            word[16] = '\0';
            info->rng[k] = strtoull(word, NULL, 16);
        }
}

/* Checks every tensor, then reads them; optimizer moments absent from the file stay as they
 * are (a weights-only checkpoint restarts the optimizer). */
static int load_items(const src *s, const ckpt_item *it, int n, int32_t n_w, cb_error *e)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            const ckpt_entry *t = find(s, it[i].name);
            if (!t && i < n_w)
                return cb_error_set(e, CB_EINVAL, NULL, "%s: no tensor %s", s->path, it[i].name);
            int rc = !t ? CB_OK : pass == 0 ? check_entry(s, &it[i], t, e) : read_entry(s, &it[i], t, e);
            if (rc)
                return rc;
        }
    return CB_OK;
}

int cb_ckpt_load(const char *path, cb_engine *en, cb_engine_optim *o, cb_ckpt_info *info,
                 cb_error *e)
{
    src s = {.path = path};
    ckpt_item *it = calloc((size_t)en->n_w * 3 + 1, sizeof *it);
    int rc = it ? open_src(&s, e) : cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    if (rc == CB_OK)
        rc = load_items(&s, it, cb_ckpt_list_items(en, o, it), en->n_w, e);
    if (rc == CB_OK && info)
        read_info(&s, info);
    if (rc == CB_OK && o) {
        const char *v = meta(&s, "step");
        cb_engine_optim_set_steps(o, v ? strtoll(v, NULL, 10) : 0);
    }
    if (s.f)
        fclose(s.f);
    cb_ckpt_header_free(&s.h);
    free(it);
    return rc;
}

