/* tests/unit/train_data.c: the SDK's data loaders on real files (Fashion-MNIST from Debian's
 * dataset-fashion-mnist, the CIFAR-10 subset in shared/data) and on damaged copies written
 * here: truncated gzip and raw IDX files, label/image count mismatches, foreign magic numbers,
 * CIFAR files cut mid-record, image folders with a mis-sized or truncated image. Also subsets,
 * validation splits, statistics and batches with augmentation. */
#include "test_util.h"

#include <codebench/data.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define FMNIST "/usr/share/datasets/fashion-mnist"

static char *cifar_dir(void)
{
    char *d = cb_test_src("../shared/data/cifar10");
    if (access(d, R_OK) != 0) {
        free(d);
        d = strdup("/work/shared/data/cifar10");
    }
    return d;
}

/* A fresh temporary folder for one test. */
static char *tmp_dir(void)
{
    char *d = strdup("/tmp/cb_train_data_XXXXXX");
    cr_assert(ne(ptr, mkdtemp(d), NULL));
    return d;
}

static void write_bytes(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(ne(ptr, f, NULL), "cannot write %s", path);
    cr_assert(eq(sz, fwrite(buf, 1, n, f), n));
    fclose(f);
}

static void *read_bytes(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    cr_assert(ne(ptr, f, NULL), "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    void *buf = malloc(*n);
    cr_assert(eq(sz, fread(buf, 1, *n, f), *n));
    fclose(f);
    return buf;
}

/* Copies the first `keep` bytes of src to dst. */
static void truncated_copy(const char *src, const char *dst, size_t keep)
{
    size_t n;
    void *buf = read_bytes(src, &n);
    cr_assert(lt(sz, keep, n));
    write_bytes(dst, buf, keep);
    free(buf);
}

static void check_error(int rc, const cb_error *e, const char *a, const char *b)
{
    cr_assert(eq(int, rc, CB_EINVAL), "rc %d: %s", rc, e->msg);
    cr_assert(ne(ptr, strstr(e->msg, a), NULL), "'%s' lacks '%s'", e->msg, a);
    if (b)
        cr_assert(ne(ptr, strstr(e->msg, b), NULL), "'%s' lacks '%s'", e->msg, b);
    cr_assert(eq(ptr, strchr(e->msg, '\n'), NULL));
}

Test(train_data, fashion_mnist_test_split)
{
    cb_dataset d;
    cb_error e = {0};
    cr_assert(eq(int, cb_data_load(CB_DATA_IDX, FMNIST, CB_SPLIT_TEST, &d, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(i64, d.n, 10000));
    cr_assert(eq(int, d.c, 1));
    cr_assert(eq(int, d.h, 28));
    cr_assert(eq(int, d.w, 28));
    cr_assert(eq(int, d.classes, 10));
    int count[10] = {0};
    for (int64_t i = 0; i < d.n; i++)
        count[d.labels[i]]++;
    for (int k = 0; k < 10; k++) /* the Fashion-MNIST test set is balanced */
        cr_assert(eq(int, count[k], 1000));
    cb_dataset_free(&d);
}

Test(train_data, truncated_gzip_names_file_and_sizes)
{
    char *dir = tmp_dir(), img[512], lab[512];
    snprintf(img, sizeof img, "%s/t10k-images-idx3-ubyte.gz", dir);
    snprintf(lab, sizeof lab, "%s/t10k-labels-idx1-ubyte.gz", dir);
    truncated_copy(FMNIST "/t10k-images-idx3-ubyte.gz", img, 200000);
    size_t n;
    void *labels = read_bytes(FMNIST "/t10k-labels-idx1-ubyte.gz", &n);
    write_bytes(lab, labels, n);
    free(labels);
    cb_dataset d;
    cb_error e = {0};
    int rc = cb_data_load(CB_DATA_IDX, dir, CB_SPLIT_TEST, &d, &e);
    check_error(rc, &e, img, "truncated: expected 7840000 bytes of pixels");
    cr_assert(eq(ptr, d.pixels, NULL));
    free(dir);
}

/* Raw IDX: n images of 2x2 and m labels. */
static void write_idx(const char *dir, int n_img, int n_lab, size_t cut)
{
    uint8_t buf[64] = {0, 0, 8, 3, 0, 0, 0, (uint8_t)n_img, 0, 0, 0, 2, 0, 0, 0, 2};
    for (int i = 0; i < 4 * n_img; i++)
        buf[16 + i] = (uint8_t)(10 * i);
    char path[512];
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    write_bytes(path, buf, 16 + 4 * (size_t)n_img - cut);
    uint8_t lab[32] = {0, 0, 8, 1, 0, 0, 0, (uint8_t)n_lab};
    for (int i = 0; i < n_lab; i++)
        lab[8 + i] = (uint8_t)(i % 3);
    snprintf(path, sizeof path, "%s/train-labels-idx1-ubyte", dir);
    write_bytes(path, lab, 8 + (size_t)n_lab);
}

Test(train_data, raw_idx_loads_and_reports_damage)
{
    char *dir = tmp_dir();
    cb_dataset d;
    cb_error e = {0};
    write_idx(dir, 3, 3, 0);
    cr_assert(eq(int, cb_data_load(CB_DATA_IDX, dir, CB_SPLIT_TRAIN, &d, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(i64, d.n, 3));
    cr_assert(eq(int, d.classes, 3));
    cr_assert(eq(u8, d.pixels[5], 50));
    cb_dataset_free(&d);
    write_idx(dir, 3, 2, 0); /* one label short */
    check_error(cb_data_load(CB_DATA_IDX, dir, CB_SPLIT_TRAIN, &d, &e), &e, "holds 2 labels", "holds 3 images");
    write_idx(dir, 3, 3, 2); /* two pixels short */
    check_error(cb_data_load(CB_DATA_IDX, dir, CB_SPLIT_TRAIN, &d, &e), &e,
                "train-images-idx3-ubyte: truncated: expected 12 bytes of pixels, found 10", NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", dir);
    write_bytes(path, "\0\0\x0d\x03", 4); /* float data, not unsigned bytes */
    check_error(cb_data_load(CB_DATA_IDX, dir, CB_SPLIT_TRAIN, &d, &e), &e, "magic 00 00 0d 03", NULL);
    snprintf(path, sizeof path, "%s/missing", dir);
    check_error(cb_data_load(CB_DATA_IDX, path, CB_SPLIT_TRAIN, &d, &e), &e, "cannot open", NULL);
    free(dir);
}

Test(train_data, cifar10_and_its_truncation)
{
    char *dir = cifar_dir(), *tmp = tmp_dir(), src[512], dst[512];
    cb_dataset d;
    cb_error e = {0};
    cr_assert(eq(int, cb_data_load(CB_DATA_CIFAR10, dir, CB_SPLIT_TEST, &d, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(i64, d.n, 10000));
    cr_assert(eq(int, d.c * 100 + d.h, 332));
    cr_assert(eq(int, d.classes, 10));
    cb_dataset_free(&d);
    snprintf(src, sizeof src, "%s/test_batch.bin", dir);
    snprintf(dst, sizeof dst, "%s/test_batch.bin", tmp);
    truncated_copy(src, dst, 3073 * 5 + 100);
    check_error(cb_data_load(CB_DATA_CIFAR10, tmp, CB_SPLIT_TEST, &d, &e), &e, dst,
                "5 records and 100 bytes over");
    check_error(cb_data_load(CB_DATA_CIFAR10, tmp, CB_SPLIT_TRAIN, &d, &e), &e, "data_batch_1.bin", NULL);
    free(dir);
    free(tmp);
}

Test(train_data, cifar100_fine_labels)
{
    char *tmp = tmp_dir(), path[512];
    uint8_t rec[2 * 3074] = {0};
    rec[0] = 3, rec[1] = 57, rec[2] = 200;      /* coarse 3, fine 57, first red pixel 200 */
    rec[3074] = 1, rec[3075] = 99;
    snprintf(path, sizeof path, "%s/train.bin", tmp);
    write_bytes(path, rec, sizeof rec);
    cb_dataset d;
    cb_error e = {0};
    cr_assert(eq(int, cb_data_load(CB_DATA_CIFAR100, tmp, CB_SPLIT_TRAIN, &d, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(i64, d.n, 2));
    cr_assert(eq(int, d.labels[0] * 1000 + d.labels[1], 57099));
    cr_assert(eq(u8, d.pixels[0], 200));
    cr_assert(eq(int, d.classes, 100));
    cb_dataset_free(&d);
    /* the same bytes read as CIFAR-10 do not fit its 3073-byte records */
    check_error(cb_data_load_cifar_file(path, 0, &d, &e), &e, "not a whole number of 3073-byte records", NULL);
    cb_dataset_free(&d);
    free(tmp);
}

static void write_png(const char *path, int w, int h, uint8_t base)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_GRAY;
    uint8_t px[64 * 64];
    for (int i = 0; i < w * h; i++)
        px[i] = (uint8_t)(base + i);
    cr_assert(png_image_write_to_file(&img, path, 0, px, 0, NULL), "%s", img.message);
}

static void write_jpeg(const char *path, int w, int h, uint8_t value)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    FILE *f = fopen(path, "wb");
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 100, TRUE);
    jpeg_start_compress(&c, TRUE);
    uint8_t row[64];
    memset(row, value, sizeof row);
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

/* root/train/{cat,dog}: two PNGs and a JPEG of 6x4 grey. */
static char *image_folder(void)
{
    char *root = tmp_dir(), path[600];
    const char *dirs[] = {"train", "train/cat", "train/dog"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        cr_assert(eq(int, mkdir(path, 0755), 0));
    }
    snprintf(path, sizeof path, "%s/train/cat/a.png", root);
    write_png(path, 6, 4, 0);
    snprintf(path, sizeof path, "%s/train/cat/b.png", root);
    write_png(path, 6, 4, 100);
    snprintf(path, sizeof path, "%s/train/dog/c.jpg", root);
    write_jpeg(path, 6, 4, 128);
    return root;
}

Test(train_data, image_folder_png_and_jpeg)
{
    char *root = image_folder(), path[600];
    cb_dataset d;
    cb_error e = {0};
    cr_assert(eq(int, cb_data_load(CB_DATA_FOLDER, root, CB_SPLIT_TRAIN, &d, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(i64, d.n, 3));
    cr_assert(eq(int, d.c * 10000 + d.h * 100 + d.w, 10406));
    cr_assert(eq(int, d.labels[0] * 100 + d.labels[1] * 10 + d.labels[2], 1)); /* cat cat dog */
    cr_assert(eq(u8, d.pixels[24 + 5], 105)); /* b.png, pixel 5 = 100 + 5, lossless */
    cr_assert(le(int, abs(d.pixels[48 + 7] - 128), 2)); /* the JPEG, nearly exact at quality 100 */
    cb_dataset_free(&d);
    snprintf(path, sizeof path, "%s/train/dog/d.png", root);
    write_png(path, 5, 4, 0); /* a different size */
    check_error(cb_data_load(CB_DATA_FOLDER, root, CB_SPLIT_TRAIN, &d, &e), &e, path, "expected 1x4x6");
    char src[600];
    snprintf(src, sizeof src, "%s/train/cat/a.png", root);
    truncated_copy(src, path, 40); /* d.png cut after its header */
    check_error(cb_data_load(CB_DATA_FOLDER, root, CB_SPLIT_TRAIN, &d, &e), &e, path, "bad PNG");
    snprintf(src, sizeof src, "%s/train/dog/c.jpg", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/train/dog/e.jpg", root);
    size_t n;
    free(read_bytes(src, &n));
    truncated_copy(src, path, n / 2);
    check_error(cb_data_load(CB_DATA_FOLDER, root, CB_SPLIT_TRAIN, &d, &e), &e, path, "bad JPEG");
    free(root);
}

/* n images of 1x2x2 whose pixels and label encode their index. */
static cb_dataset synthetic(int64_t n)
{
    cb_dataset d = {n, 1, 2, 2, 5, malloc((size_t)n * 4), malloc((size_t)n * sizeof(int32_t))};
    for (int64_t i = 0; i < n; i++) {
        memset(d.pixels + 4 * i, (int)(i % 256), 4);
        d.labels[i] = (int32_t)(i % 5);
    }
    return d;
}

Test(train_data, subsets_and_splits)
{
    cb_error e = {0};
    cb_dataset a = synthetic(100), b = synthetic(100), c = synthetic(100), val;
    cr_assert(eq(int, cb_dataset_subset(&a, 10, 0, 0, &e), CB_OK));
    cr_assert(eq(i64, a.n, 10));
    cr_assert(eq(u8, a.pixels[4 * 9], 9)); /* the first ten, in order */
    cb_dataset_subset(&b, 10, 1, 77, &e);
    cb_dataset_subset(&c, 10, 1, 77, &e);
    cr_assert(eq(int, memcmp(b.pixels, c.pixels, 40), 0)); /* same seed, same images */
    for (int i = 1; i < 10; i++) /* original order kept */
        cr_assert(lt(u8, b.pixels[4 * (i - 1)], b.pixels[4 * i]));
    cr_assert(ne(int, memcmp(a.pixels, b.pixels, 40), 0));
    cb_dataset_free(&a);
    a = synthetic(100);
    cr_assert(eq(int, cb_dataset_split(&a, 0.2, 5, &val, &e), CB_OK));
    cr_assert(eq(i64, a.n + 1000 * val.n, 80 + 20000));
    int seen[100] = {0}; /* every image in exactly one part */
    for (int64_t i = 0; i < a.n; i++)
        seen[a.pixels[4 * i]]++;
    for (int64_t i = 0; i < val.n; i++)
        seen[val.pixels[4 * i]]++;
    for (int i = 0; i < 100; i++)
        cr_assert(eq(int, seen[i], 1));
    cb_dataset_free(&c); /* c receives the (refused) split's validation part */
    cr_assert(eq(int, cb_dataset_split(&val, 1.0, 5, &c, &e), CB_EINVAL));
    cb_dataset_free(&a);
    cb_dataset_free(&b);
    cb_dataset_free(&c);
    cb_dataset_free(&val);
}

Test(train_data, stats_and_batches)
{
    uint8_t px[2 * 2 * 3] = {0, 255, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80};
    int32_t lab[2] = {1, 0};
    cb_dataset d = {2, 1, 2, 3, 2, px, lab}; /* 2 images of 1x2x3 */
    float mean[4], std[4];
    cb_dataset_stats(&d, mean, std);
    double m = (0 + 255 + 0 + 255 + 10 + 20 + 30 + 40 + 50 + 60 + 70 + 80) / 12.0 / 255.0;
    cr_assert(ieee_ulp_eq(flt, mean[0], (float)m, 4));
    cr_assert(gt(flt, std[0], 0.0f));
    int64_t idx[2] = {1, 0};
    float x[12];
    int32_t y[2];
    cb_dataset_batch(&d, idx, 2, mean, std, NULL, NULL, x, y);
    cr_assert(eq(int, y[0] * 10 + y[1], 1));
    cr_assert(ieee_ulp_eq(flt, x[0], (30.0f / 255.0f - mean[0]) / std[0], 4));
    cb_augment flip = {0, 1};
    cb_rng r1, r2;
    cb_rng_seed(&r1, 3);
    cb_rng_seed(&r2, 3);
    float a[6 * 16], b[6 * 16];
    int64_t zeros[16] = {0};
    cb_dataset_batch(&d, zeros, 16, NULL, NULL, &flip, &r1, a, NULL);
    cb_dataset_batch(&d, zeros, 16, NULL, NULL, &flip, &r2, b, NULL);
    cr_assert(eq(int, memcmp(a, b, sizeof a), 0)); /* same generator state, same batch */
    int flipped = 0;
    for (int i = 0; i < 16; i++) { /* row 1 is 255 10 20, or mirrored 20 10 255 */
        const float *v = a + 6 * i + 3;
        int plain = v[0] == 255 / 255.0f && v[2] == 20 / 255.0f;
        int mirror = v[0] == 20 / 255.0f && v[2] == 255 / 255.0f;
        cr_assert(plain || mirror, "copy %d is neither the image nor its mirror", i);
        flipped += mirror;
    }
    cr_assert(gt(int, flipped, 0));
    cr_assert(lt(int, flipped, 16));
    cb_augment crop = {1, 0};
    cb_dataset_batch(&d, zeros, 16, NULL, NULL, &crop, &r1, a, NULL);
    int moved = 0;
    for (int i = 0; i < 16; i++) { /* each copy is the image shifted by dy, dx in -1..1, zero-filled */
        int match = 0;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int same = 1;
                for (int y0 = 0; y0 < 2; y0++)
                    for (int x0 = 0; x0 < 3; x0++) {
                        int sy = y0 + dy, sx = x0 + dx;
                        float want = sy >= 0 && sy < 2 && sx >= 0 && sx < 3 ? px[sy * 3 + sx] / 255.0f : 0.0f;
                        same &= a[6 * i + y0 * 3 + x0] == want;
                    }
                match |= same;
                moved += same && (dy || dx);
            }
        cr_assert(match, "copy %d is not a shifted crop", i);
    }
    cr_assert(gt(int, moved, 0));
}
