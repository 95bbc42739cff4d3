/* data_idx.c: the IDX loader (MNIST, Fashion-MNIST), gzip'd or raw (see codebench/data.h).
 *
 * IDX: a 4-byte magic (0, 0, type 0x08 = unsigned byte, number of dimensions), one big-endian
 * uint32 per dimension, then the bytes. Images are 3-D (n, rows, cols), labels 1-D (n). zlib's
 * gzread passes raw files through unchanged, so one path reads both. */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IDX_MAX_BYTES ((int64_t)1 << 34) /* refuse absurd headers before allocating */

/* Reads up to len bytes; returns how many arrived (fewer at end of file or on a stream error). */
static int64_t read_all(gzFile f, uint8_t *buf, int64_t len)
{
    int64_t got = 0;
    while (got < len) {
        int64_t chunk = len - got > (1 << 30) ? (1 << 30) : len - got;
        int r = gzread(f, buf + got, (unsigned)chunk);
        if (r <= 0)
            break;
        got += r;
    }
    return got;
}

/* Opens path and reads the header; dims[0..ndim) receive the dimensions. */
static int idx_open(const char *path, int ndim, int64_t *dims, gzFile *out, cb_error *e)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open: %s", path,
                            errno ? strerror(errno) : "out of memory");
    uint8_t head[4 + 4 * 3];
    int64_t got = read_all(f, head, 4), need = 4 + 4 * (int64_t)ndim;
    /* the magic first: a foreign file is named as such, not as a short header */
    if (got == 4 && (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] != ndim)) {
        gzclose(f);
        return cb_error_set(e, CB_EINVAL, NULL,
                            "%s: not an unsigned-byte IDX file with %d dimension(s) (magic %02x %02x %02x %02x, expected 00 00 08 %02x)",
                            path, ndim, head[0], head[1], head[2], head[3], ndim);
    }
    if (got == 4)
        got += read_all(f, head + 4, need - 4);
    if (got < need) {
        gzclose(f);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: truncated: expected a %lld-byte IDX header, found %lld bytes",
                            path, (long long)need, (long long)got);
    }
    for (int i = 0; i < ndim; i++) {
        const uint8_t *p = head + 4 + 4 * i;
        dims[i] = (int64_t)p[0] << 24 | (int64_t)p[1] << 16 | (int64_t)p[2] << 8 | p[3];
    }
    *out = f;
    return CB_OK;
}

/* Reads exactly len payload bytes into a new buffer; a short read is a truncation error. */
static int idx_payload(gzFile f, const char *path, const char *what, int64_t len, uint8_t **out,
                       cb_error *e)
{
    if (len <= 0 || len > IDX_MAX_BYTES)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: header announces %lld bytes of %s", path,
                            (long long)len, what);
    /* The buffer grows with the bytes that actually arrive: a 20-byte file whose header
     * announces 16 GB is a truncation error, not a 16 GB allocation (found by fuzz/data_idx). */
    uint8_t *buf = NULL;
    int64_t got = 0, cap = 0;
    for (;;) {
        int64_t want = cap ? (cap > len / 2 ? len : 2 * cap) : (len < (1 << 20) ? len : (1 << 20));
        uint8_t *grown = realloc(buf, (size_t)want);
        if (!grown) {
            free(buf);
            return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory for %lld bytes", path, (long long)want);
        }
        buf = grown;
        int64_t r = read_all(f, buf + cap, want - cap);
        got = cap + r;
        cap = want;
        if (got < cap || cap == len)
            break;
    }
    if (got < len) {
        int zerr = Z_OK;
        const char *zmsg = gzerror(f, &zerr);
        char why[160] = ""; /* a damaged gzip stream says so, beside the byte count */
        size_t plen = strlen(path); /* zlib prefixes its message with the path: said already */
        if (zerr != Z_OK && !strncmp(zmsg, path, plen) && !strncmp(zmsg + plen, ": ", 2))
            zmsg += plen + 2;
        if (zerr != Z_OK)
            snprintf(why, sizeof why, " (%s)", zmsg);
        free(buf);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: truncated: expected %lld bytes of %s, found %lld%s",
                            path, (long long)len, what, (long long)got, why);
    }
    *out = buf;
    return CB_OK;
}

static int load_labels(const char *path, int32_t **labels, int64_t *n, int32_t *classes,
                       cb_error *e)
{
    gzFile f;
    int64_t dims[1];
    int rc = idx_open(path, 1, dims, &f, e);
    if (rc)
        return rc;
    uint8_t *raw = NULL;
    rc = idx_payload(f, path, "labels", dims[0], &raw, e);
    gzclose(f);
    if (rc)
        return rc;
    int32_t *l = malloc((size_t)dims[0] * sizeof *l);
    if (!l) {
        free(raw);
        return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory", path);
    }
    int32_t top = 0;
    for (int64_t i = 0; i < dims[0]; i++) {
        l[i] = raw[i];
        top = l[i] > top ? l[i] : top;
    }
    free(raw);
    *labels = l;
    *n = dims[0];
    *classes = top + 1;
    return CB_OK;
}

int cb_data_load_idx(const char *images_path, const char *labels_path, cb_dataset *out,
                     cb_error *e)
{
    memset(out, 0, sizeof *out);
    gzFile f;
    int64_t dims[3];
    int rc = idx_open(images_path, 3, dims, &f, e);
    if (rc)
        return rc;
    if (dims[1] <= 0 || dims[2] <= 0 || dims[1] > 65535 || dims[2] > 65535) {
        gzclose(f);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: bad image size %lldx%lld", images_path,
                            (long long)dims[1], (long long)dims[2]);
    }
    uint8_t *pix = NULL;
    /* n x rows fits in 48 bits; times cols it could overflow int64_t, so bound it first */
    if (dims[0] * dims[1] > IDX_MAX_BYTES / dims[2]) {
        gzclose(f);
        return cb_error_set(e, CB_EINVAL, NULL, "%s: header announces %lld images of %lldx%lld, more than %lld bytes",
                            images_path, (long long)dims[0], (long long)dims[1], (long long)dims[2],
                            (long long)IDX_MAX_BYTES);
    }
    rc = idx_payload(f, images_path, "pixels", dims[0] * dims[1] * dims[2], &pix, e);
    gzclose(f);
    if (rc)
        return rc;
    int32_t *labels = NULL, classes = 0;
    int64_t n_labels = 0;
    rc = load_labels(labels_path, &labels, &n_labels, &classes, e);
    if (rc == CB_OK && n_labels != dims[0])
        rc = cb_error_set(e, CB_EINVAL, NULL, "%s holds %lld labels but %s holds %lld images",
                          labels_path, (long long)n_labels, images_path, (long long)dims[0]);
    if (rc) {
        free(pix);
        free(labels);
        return rc;
    }
    *out = (cb_dataset){dims[0], 1, (int32_t)dims[1], (int32_t)dims[2], classes, pix, labels};
    return CB_OK;
}
