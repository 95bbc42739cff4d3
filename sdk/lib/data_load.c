/* data_load.c: where each data set format keeps its splits under a root folder, and the
 * dispatch to the loaders (see codebench/data.h). */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int exists(const char *path)
{
    return access(path, R_OK) == 0;
}

/* root/base.gz when present, else root/base (the raw file as distributed by LeCun). */
static void idx_path(const char *root, const char *base, char *out, size_t len)
{
    snprintf(out, len, "%s/%s.gz", root, base);
    if (!exists(out))
        snprintf(out, len, "%s/%s", root, base);
}

static int load_idx(const char *root, int split, cb_dataset *out, cb_error *e)
{
    const char *pre = split == CB_SPLIT_TEST ? "t10k" : "train";
    char img[4096], lab[4096], base[64];
    snprintf(base, sizeof base, "%s-images-idx3-ubyte", pre);
    idx_path(root, base, img, sizeof img);
    snprintf(base, sizeof base, "%s-labels-idx1-ubyte", pre);
    idx_path(root, base, lab, sizeof lab);
    return cb_data_load_idx(img, lab, out, e);
}

/* The official archives unpack into a sub-folder; accept the root or that folder. */
static void cifar_root(const char *root, const char *sub, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", root, sub);
    if (!exists(out))
        snprintf(out, len, "%s", root);
}

static int load_cifar10(const char *root, int split, cb_dataset *out, cb_error *e)
{
    char dir[4096], path[4200];
    cifar_root(root, "cifar-10-batches-bin", dir, sizeof dir);
    if (split == CB_SPLIT_TEST) {
        snprintf(path, sizeof path, "%s/test_batch.bin", dir);
        return cb_data_load_cifar_file(path, 0, out, e);
    }
    int found = 0; /* subsets ship fewer than five batches: take those present */
    for (int b = 1; b <= 5; b++) {
        snprintf(path, sizeof path, "%s/data_batch_%d.bin", dir, b);
        if (!exists(path))
            continue;
        int rc = cb_data_load_cifar_file(path, 0, out, e);
        if (rc)
            return rc;
        found++;
    }
    if (!found)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: no CIFAR-10 training file (data_batch_1.bin .. data_batch_5.bin)", dir);
    return CB_OK;
}

static int load_cifar100(const char *root, int split, cb_dataset *out, cb_error *e)
{
    char dir[4096], path[4200];
    cifar_root(root, "cifar-100-binary", dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s.bin", dir, split == CB_SPLIT_TEST ? "test" : "train");
    return cb_data_load_cifar_file(path, 1, out, e);
}

static int load_folder(const char *root, int split, cb_dataset *out, cb_error *e)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, split == CB_SPLIT_TEST ? "test" : "train");
    return cb_data_load_folder(dir, out, NULL, e);
}

int cb_data_load(cb_data_format fmt, const char *root, int split, cb_dataset *out, cb_error *e)
{
    static int (*const loaders[])(const char *, int, cb_dataset *, cb_error *) = {
        [CB_DATA_IDX] = load_idx,
        [CB_DATA_CIFAR10] = load_cifar10,
        [CB_DATA_CIFAR100] = load_cifar100,
        [CB_DATA_FOLDER] = load_folder,
    };
    memset(out, 0, sizeof *out);
    if ((unsigned)fmt >= sizeof loaders / sizeof *loaders)
        return cb_error_set(e, CB_EINVAL, NULL, "unknown data set format %d", (int)fmt);
    int rc = loaders[fmt](root, split, out, e);
    if (rc)
        cb_dataset_free(out);
    return rc;
}
