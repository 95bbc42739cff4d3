/* plugins/trainers/native/native_data.c: loads the data set once per trainer instance (train
 * and test splits, subsets, the validation split, normalization from the training images) and
 * checks that a graph fits it. Subsets and splits draw from host seeds that do not depend on
 * the recipe, so every graph of a run is trained and scored on the same images. */
#include "native.h"

#include <codebench/sdk.h>

#include <string.h>

static const char *const format_names[] = {"idx", "cifar10", "cifar100", "folder"};

static int load(native *nt, cb_error *e)
{
    const native_cfg *c = &nt->cfg;
    native_data *d = &nt->data;
    const cb_host *h = nt->h;
    int rc = cb_data_load((cb_data_format)c->format, c->path, CB_SPLIT_TRAIN, &d->train, e);
    if (rc == CB_OK)
        rc = cb_data_load((cb_data_format)c->format, c->path, CB_SPLIT_TEST, &d->test, e);
    if (rc == CB_OK && (d->test.c != d->train.c || d->test.h != d->train.h || d->test.w != d->train.w))
        rc = cb_error_set(e, CB_EINVAL, "data_path", "%s: test images are %dx%dx%d, training images %dx%dx%d",
                          c->path, d->test.c, d->test.h, d->test.w, d->train.c, d->train.h, d->train.w);
    if (rc == CB_OK && d->train.c > CB_DATA_MAX_CHANNELS)
        rc = cb_error_set(e, CB_EINVAL, "data_path", "%s: %d channels, at most %d are supported",
                          c->path, d->train.c, CB_DATA_MAX_CHANNELS);
    if (rc == CB_OK)
        rc = cb_dataset_subset(&d->train, c->train_subset, c->subset_random, h->seed(h, "train-subset"), e);
    if (rc == CB_OK)
        rc = cb_dataset_subset(&d->test, c->test_subset, c->subset_random, h->seed(h, "test-subset"), e);
    if (rc == CB_OK)
        rc = cb_dataset_split(&d->train, c->val_fraction, h->seed(h, "val-split"), &d->val, e);
    return rc;
}

int native_data_ready(native *nt, cb_error *e)
{
    native_data *d = &nt->data;
    if (d->ready)
        return CB_OK;
    int rc = load(nt, e);
    if (rc) {
        cb_dataset_free(&d->train);
        cb_dataset_free(&d->val);
        cb_dataset_free(&d->test);
        if (e && !e->param[0])
            strcpy(e->param, "data_path");
        return rc;
    }
    int classes = d->train.classes > d->test.classes ? d->train.classes : d->test.classes;
    d->train.classes = d->test.classes = d->val.classes = classes;
    /* statistics of the training images only: nothing about the test set leaks into training */
    cb_dataset_stats(&d->train, d->mean, d->std);
    d->ready = 1;
    nt->h->log(nt->h, CB_LOG_INFO, "%s data from %s: %lld training, %lld validation, %lld test images of %dx%dx%d, %d classes",
               format_names[nt->cfg.format], nt->cfg.path, (long long)d->train.n,
               (long long)d->val.n, (long long)d->test.n, d->train.c, d->train.h, d->train.w,
               classes);
    return CB_OK;
}

int native_data_fits(const native *nt, const cb_engine *en, const cb_graph *g, cb_error *e)
{
    const cb_dataset *d = &nt->data.train;
    cb_shape in = g->input;
    if (in.c != d->c || in.d != 1 || in.h != d->h || in.w != d->w)
        return nt->h->fail(nt->h, e, CB_EINVAL, NULL,
                           "graph %s takes %dx%dx%dx%d inputs (CxDxHxW), the data set %s holds %dx1x%dx%d images",
                           g->name ? g->name : g->hash, in.c, in.d, in.h, in.w, nt->cfg.path, d->c,
                           d->h, d->w);
    if (cb_engine_classes(en) < d->classes)
        return nt->h->fail(nt->h, e, CB_EINVAL, NULL, "graph %s gives %d logits, the data set has %d classes",
                           g->name ? g->name : g->hash, cb_engine_classes(en), d->classes);
    if (d->n == 0 || nt->data.test.n == 0)
        return nt->h->fail(nt->h, e, CB_EINVAL, "train_subset", "no training or no test images left");
    return CB_OK;
}
