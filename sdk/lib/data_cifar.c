/* data_cifar.c: the CIFAR-10/100 binary format loader (see codebench/data.h).
 *
 * A file is a run of fixed records: CIFAR-10 has 1 label byte then 3072 pixel bytes (1024 R,
 * 1024 G, 1024 B, each 32x32 row-major); CIFAR-100 has a coarse and a fine label byte first.
 * A size that is not a whole number of records means a truncated or foreign file. */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CIFAR_PIXELS 3072

static int file_bytes(FILE *f, const char *path, int64_t *size, cb_error *e)
{
    if (fseeko(f, 0, SEEK_END) != 0 || (*size = ftello(f)) < 0 || fseeko(f, 0, SEEK_SET) != 0)
        return cb_error_set(e, CB_EFAIL, NULL, "%s: cannot seek: %s", path, strerror(errno));
    return CB_OK;
}

/* Grows out to hold `more` further images of 3x32x32. */
static int grow(cb_dataset *out, int64_t more, const char *path, cb_error *e)
{
    int64_t n = out->n + more;
    uint8_t *p = realloc(out->pixels, (size_t)n * CIFAR_PIXELS);
    if (p)
        out->pixels = p;
    int32_t *l = p ? realloc(out->labels, (size_t)n * sizeof *l) : NULL;
    if (!p || !l)
        return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory for %lld images", path, (long long)n);
    out->labels = l;
    return CB_OK;
}

static int read_records(FILE *f, const char *path, int cifar100, int64_t records, cb_dataset *out,
                        cb_error *e)
{
    int rec = CIFAR_PIXELS + 1 + (cifar100 != 0), classes = cifar100 ? 100 : 10;
    uint8_t buf[CIFAR_PIXELS + 2];
    for (int64_t i = 0; i < records; i++) {
        if (fread(buf, 1, (size_t)rec, f) != (size_t)rec)
            return cb_error_set(e, CB_EFAIL, NULL, "%s: read failed at record %lld", path, (long long)i);
        int label = buf[rec - CIFAR_PIXELS - 1]; /* the fine label for CIFAR-100 */
        if (label >= classes)
            return cb_error_set(e, CB_EINVAL, NULL,
                                "%s: record %lld has label %d, expected 0..%d (is this %s?)", path,
                                (long long)i, label, classes - 1, cifar100 ? "CIFAR-100" : "CIFAR-10");
        memcpy(out->pixels + (size_t)out->n * CIFAR_PIXELS, buf + rec - CIFAR_PIXELS, CIFAR_PIXELS);
        out->labels[out->n++] = label;
    }
    return CB_OK;
}

int cb_data_load_cifar_file(const char *path, int cifar100, cb_dataset *out, cb_error *e)
{
    int rec = CIFAR_PIXELS + 1 + (cifar100 != 0);
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open: %s", path, strerror(errno));
    int64_t size = 0;
    int rc = file_bytes(f, path, &size, e);
    if (rc == CB_OK && (size == 0 || size % rec != 0))
        rc = cb_error_set(e, CB_EINVAL, NULL,
                          "%s: truncated or not %s: %lld bytes is not a whole number of %d-byte records (%lld records and %lld bytes over)",
                          path, cifar100 ? "CIFAR-100" : "CIFAR-10", (long long)size, rec,
                          (long long)(size / rec), (long long)(size % rec));
    if (rc == CB_OK)
        rc = grow(out, size / rec, path, e);
    if (rc == CB_OK)
        rc = read_records(f, path, cifar100, size / rec, out, e);
    fclose(f);
    if (rc == CB_OK) {
        out->c = 3;
        out->h = out->w = 32;
        out->classes = cifar100 ? 100 : 10;
    }
    return rc;
}
