/* ckpt_write.c: writes a checkpoint in the safetensors layout (codebench/checkpoint.h,
 * docs/checkpoint.md): the JSON header, then the tensors, into a temporary file renamed over
 * the target so a crash never leaves half a checkpoint. */
#include "ckpt_internal.h"
#include "engine_internal.h"

#include <codebench/checkpoint.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A JSON string: names come from graphs and ops, so quotes and control bytes are escaped. */
static void put_str(FILE *m, const char *s)
{
    fputc('"', m);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(m, "\\%c", c);
        else if (c < 0x20)
            fprintf(m, "\\u%04x", c);
        else
            fputc(c, m);
    }
    fputc('"', m);
}

static void put_meta(FILE *m, const cb_ckpt_info *info, const cb_engine *en)
{
    fprintf(m, "\"__metadata__\":{\"format\":\"codebench-native\",\"version\":\"1\"");
    fprintf(m, ",\"graph_hash\":");
    put_str(m, info ? info->graph_hash : "");
    fprintf(m, ",\"graph_name\":");
    put_str(m, en->g->name ? en->g->name : "");
    if (info) {
        fprintf(m, ",\"epoch\":\"%d\",\"step\":\"%" PRId64 "\"", info->epoch, info->step);
        fprintf(m, ",\"rng\":\"%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "\"",
                info->rng[0], info->rng[1], info->rng[2], info->rng[3]);
        fprintf(m, ",\"best_val\":\"%.17g\",\"bad_epochs\":\"%d\"", info->best_val, info->bad_epochs);
    }
    fprintf(m, "}");
}

/* The JSON header, padded with spaces to a multiple of 8 bytes as safetensors allows. */
static char *make_header(const ckpt_item *it, int n, const cb_ckpt_info *info, const cb_engine *en,
                         size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m)
        return NULL;
    fputc('{', m);
    put_meta(m, info, en);
    uint64_t off = 0;
    for (int i = 0; i < n; i++) {
        fputc(',', m);
        put_str(m, it[i].name);
        fprintf(m, ":{\"dtype\":\"F32\",\"shape\":[");
        for (int k = 0; k < it[i].ndim; k++)
            fprintf(m, "%s%" PRId64, k ? "," : "", it[i].dims[k]);
        uint64_t bytes = (uint64_t)it[i].numel * 4;
        fprintf(m, "],\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", off, off + bytes);
        off += bytes;
    }
    fputc('}', m);
    while ((ftell(m)) % 8)
        fputc(' ', m);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    *len = size;
    return buf;
}

static int write_floats(FILE *f, const float *v, int64_t n)
{
    if (cb_ckpt_little_endian())
        return fwrite(v, sizeof(float), (size_t)n, f) == (size_t)n ? 0 : -1;
    float tmp[1024]; /* big-endian hosts write a swapped copy, chunk by chunk */
    for (int64_t k = 0; k < n; k += 1024) {
        int64_t c = n - k < 1024 ? n - k : 1024;
        memcpy(tmp, v + k, (size_t)c * sizeof(float));
        cb_ckpt_swap32(tmp, c);
        if (fwrite(tmp, sizeof(float), (size_t)c, f) != (size_t)c)
            return -1;
    }
    return 0;
}

static int write_file(const char *tmp, const ckpt_item *it, int n, const char *head, size_t hlen)
{
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    uint8_t len8[8];
    for (int k = 0; k < 8; k++)
        len8[k] = (uint8_t)((uint64_t)hlen >> (8 * k));
    int bad = fwrite(len8, 1, 8, f) != 8 || fwrite(head, 1, hlen, f) != hlen;
    for (int i = 0; !bad && i < n; i++)
        bad = write_floats(f, it[i].data, it[i].numel) != 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

int cb_ckpt_save(const char *path, cb_engine *en, cb_engine_optim *o, const cb_ckpt_info *info,
                 cb_error *e)
{
    ckpt_item *it = calloc((size_t)en->n_w * 3 + 1, sizeof *it);
    if (!it)
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    int n = cb_ckpt_list_items(en, o, it);
    size_t hlen = 0;
    char *head = make_header(it, n, info, en, &hlen);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int rc = CB_OK;
    if (!head)
        rc = cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory for the header", path);
    else if (write_file(tmp, it, n, head, hlen) != 0 || rename(tmp, path) != 0) {
        rc = cb_error_set(e, CB_EFAIL, NULL, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(head);
    free(it);
    return rc;
}

