/* plugins/trainers/pytorch/pytorch_data.c: the images the script trains on, chosen exactly as
 * the native trainer chooses them. The data set is loaded once with the SDK's loaders (which
 * check the files and name what is wrong); the subsets and the validation split are drawn by
 * the SDK's own functions over a stand-in data set whose "pixels" are image numbers, so the
 * chosen numbers come out without repeating the drawing rules here; the normalization comes
 * from the chosen training images. The script then reads the IDX or CIFAR files itself and
 * keeps the images the index files name; image folders, which it cannot decode, are dumped as
 * raw bytes. Everything lives in the instance's private folder, removed at destroy (or in
 * work_dir, kept). */
#include "pytorch.h"

#include <codebench/sdk.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pt_work_dir(pt *p, cb_error *e)
{
    if (p->work[0])
        return CB_OK;
    if (p->cfg.work_dir[0]) { /* the user's folder: files are kept there */
        snprintf(p->work, sizeof p->work, "%s", p->cfg.work_dir);
        if (mkdir(p->work, 0700) == 0 || errno == EEXIST)
            return CB_OK;
        int err = errno;
        p->work[0] = '\0';
        return p->h->fail(p->h, e, CB_EINVAL, "work_dir", "%s: cannot create: %s", p->cfg.work_dir,
                          strerror(err));
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(p->work, sizeof p->work, "%s/codebench-pytorch-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(p->work))
        return CB_OK;
    int err = errno;
    p->work[0] = '\0';
    return p->h->fail(p->h, e, CB_EFAIL, NULL, "cannot create a work folder under %s: %s",
                      tmp && tmp[0] ? tmp : "/tmp", strerror(err));
}

static int write_file(const pt *p, const char *path, const void *data, size_t bytes, cb_error *e)
{
    FILE *f = fopen(path, "wb");
    size_t put = f && bytes ? fwrite(data, 1, bytes, f) : 0;
    int bad = !f || put != bytes;
    if (f && fclose(f) != 0)
        bad = 1;
    return bad ? p->h->fail(p->h, e, CB_EFAIL, NULL, "%s: cannot write: %s", path, strerror(errno)) : CB_OK;
}

/* n images whose pixels are their own numbers (8 bytes each), for the SDK to draw from. */
static int numbered(int64_t n, cb_dataset *d, cb_error *e)
{
    memset(d, 0, sizeof *d);
    *d = (cb_dataset){n, 1, 1, 8, 1, malloc((size_t)n * 8 + 1), calloc((size_t)n + 1, sizeof(int32_t))};
    if (!d->pixels || !d->labels) {
        cb_dataset_free(d);
        return cb_error_set(e, CB_EFAIL, NULL, "out of memory");
    }
    for (int64_t i = 0; i < n; i++) /* little-endian, as the script reads them */
        for (int b = 0; b < 8; b++)
            d->pixels[i * 8 + b] = (uint8_t)((uint64_t)i >> (8 * b));
    return CB_OK;
}

/* The same draws on the real images and on their numbers: the same n and seeds give the same
 * choice, so `num` ends up naming the images `img` kept. */
static int choose(pt *p, cb_dataset *img, cb_dataset *num, int64_t keep, const char *stream,
                  cb_error *e)
{
    const cb_host *h = p->h;
    uint64_t seed = h->seed(h, stream);
    int rc = cb_dataset_subset(img, keep, p->cfg.subset_random, seed, e);
    return rc ? rc : cb_dataset_subset(num, keep, p->cfg.subset_random, seed, e);
}

static int write_index(const pt *p, const cb_dataset *num, char *path, size_t len, const char *name,
                       cb_error *e)
{
    snprintf(path, len, "%s/%s.index", p->work, name);
    /* the stand-in's pixels are the chosen numbers, 8 bytes each: the index file as it is */
    return write_file(p, path, num->pixels, (size_t)num->n * 8, e);
}

/* Image folders: the script reads these dumps instead of decoding PNG/JPEG files. */
static int dump_raw(pt *p, const cb_dataset *d, int split, cb_error *e)
{
    char *px = p->data.raw[split * 2], *lb = p->data.raw[split * 2 + 1];
    const char *name = split ? "test" : "train";
    snprintf(px, sizeof p->data.raw[0], "%s/%s.pixels", p->work, name);
    snprintf(lb, sizeof p->data.raw[0], "%s/%s.labels", p->work, name);
    int rc = write_file(p, px, d->pixels, (size_t)d->n * d->c * d->h * d->w, e);
    return rc ? rc : write_file(p, lb, d->labels, (size_t)d->n * sizeof(int32_t), e);
}

static int load(pt *p, cb_dataset *train, cb_dataset *test, cb_error *e)
{
    const pt_cfg *c = &p->cfg;
    int rc = cb_data_load((cb_data_format)c->format, c->path, CB_SPLIT_TRAIN, train, e);
    if (rc == CB_OK)
        rc = cb_data_load((cb_data_format)c->format, c->path, CB_SPLIT_TEST, test, e);
    if (rc == CB_OK && (test->c != train->c || test->h != train->h || test->w != train->w))
        rc = cb_error_set(e, CB_EINVAL, "data_path", "%s: test images are %dx%dx%d, training images %dx%dx%d",
                          c->path, test->c, test->h, test->w, train->c, train->h, train->w);
    if (rc == CB_OK && train->c > CB_DATA_MAX_CHANNELS)
        rc = cb_error_set(e, CB_EINVAL, "data_path", "%s: %d channels, at most %d are supported",
                          c->path, train->c, CB_DATA_MAX_CHANNELS);
    if (rc == CB_OK && c->format == CB_DATA_FOLDER)
        rc = dump_raw(p, train, 0, e);
    if (rc == CB_OK && c->format == CB_DATA_FOLDER)
        rc = dump_raw(p, test, 1, e);
    return rc;
}

static int prepare(pt *p, cb_dataset *d, cb_error *e)
{
    /* d: train, test, val, then the numbers of each */
    pt_data *x = &p->data;
    int rc = pt_work_dir(p, e);
    if (rc == CB_OK)
        rc = load(p, &d[0], &d[1], e);
    if (rc)
        return rc;
    x->train_images = d[0].n;
    x->test_images = d[1].n;
    rc = numbered(d[0].n, &d[3], e);
    if (rc == CB_OK)
        rc = numbered(d[1].n, &d[4], e);
    if (rc == CB_OK)
        rc = choose(p, &d[0], &d[3], p->cfg.train_subset, "train-subset", e);
    if (rc == CB_OK)
        rc = choose(p, &d[1], &d[4], p->cfg.test_subset, "test-subset", e);
    uint64_t vs = p->h->seed(p->h, "val-split");
    if (rc == CB_OK)
        rc = cb_dataset_split(&d[0], p->cfg.val_fraction, vs, &d[2], e);
    if (rc == CB_OK)
        rc = cb_dataset_split(&d[3], p->cfg.val_fraction, vs, &d[5], e);
    if (rc == CB_OK)
        rc = write_index(p, &d[3], x->train_idx, sizeof x->train_idx, "train", e);
    if (rc == CB_OK)
        rc = write_index(p, &d[5], x->val_idx, sizeof x->val_idx, "val", e);
    if (rc == CB_OK)
        rc = write_index(p, &d[4], x->test_idx, sizeof x->test_idx, "test", e);
    return rc;
}

int pt_data_ready(pt *p, cb_error *e)
{
    pt_data *x = &p->data;
    if (x->ready)
        return CB_OK;
    cb_dataset d[6];
    memset(d, 0, sizeof d);
    int rc = prepare(p, d, e);
    if (rc == CB_OK) {
        x->n_train = d[0].n, x->n_val = d[2].n, x->n_test = d[1].n;
        x->c = d[0].c, x->h = d[0].h, x->w = d[0].w;
        x->classes = d[0].classes > d[1].classes ? d[0].classes : d[1].classes;
        /* statistics of the training images only, as the native trainer */
        cb_dataset_stats(&d[0], x->mean, x->std);
        x->ready = 1;
        p->h->log(p->h, CB_LOG_INFO, "data from %s: %lld training, %lld validation, %lld test images of %dx%dx%d, %d classes",
                  p->cfg.path, (long long)x->n_train, (long long)x->n_val, (long long)x->n_test,
                  x->c, x->h, x->w, x->classes);
    } else if (e && !e->param[0]) {
        snprintf(e->param, sizeof e->param, "data_path");
    }
    for (int i = 0; i < 6; i++)
        cb_dataset_free(&d[i]);
    return rc;
}

void pt_data_cleanup(pt *p)
{
    if (!p->work[0] || p->cfg.work_dir[0])
        return;
    DIR *d = opendir(p->work);
    struct dirent *de;
    char path[4400];
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", p->work, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(p->work);
    p->work[0] = '\0';
}

int pt_data_fits(const pt *p, const cb_engine *en, const cb_graph *g, cb_error *e)
{
    const pt_data *d = &p->data;
    cb_shape in = g->input;
    const char *name = g->name ? g->name : g->hash;
    if (in.c != d->c || in.d != 1 || in.h != d->h || in.w != d->w)
        return p->h->fail(p->h, e, CB_EINVAL, NULL,
                          "graph %s takes %dx%dx%dx%d inputs (CxDxHxW), the data set %s holds %dx1x%dx%d images",
                          name, in.c, in.d, in.h, in.w, p->cfg.path, d->c, d->h, d->w);
    if (cb_engine_classes(en) < d->classes)
        return p->h->fail(p->h, e, CB_EINVAL, NULL, "graph %s gives %d logits, the data set has %d classes",
                          name, cb_engine_classes(en), d->classes);
    if (d->n_train == 0 || d->n_test == 0)
        return p->h->fail(p->h, e, CB_EINVAL, "train_subset", "no training or no test images left");
    return CB_OK;
}
