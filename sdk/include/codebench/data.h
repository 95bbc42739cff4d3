/* codebench/data.h: image classification data sets for trainers (libcbsdk.a).
 *
 * Owns: the in-memory data set (8-bit pixels in CHW planes per image, int32 labels), loaders for
 * the IDX format (MNIST, Fashion-MNIST; gzip'd or raw), the CIFAR-10/100 binary format and an
 * image-folder layout (class sub-folders of PNG/JPEG files), subsets, validation splits,
 * per-channel normalization statistics, and batch assembly with augmentation (random crop with
 * zero padding, horizontal flip).
 *
 * Errors name the file and say what was expected and what was found ("...: truncated: expected
 * 47040000 bytes of pixels, found 1200"). Every loader returns CB_OK, CB_EINVAL (the files are
 * wrong or missing) or CB_EFAIL (out of memory, I/O failure), and fills e.
 *
 * Link: a plugin that calls the loaders adds -lz -lpng -ljpeg (zlib for IDX, libpng and libjpeg
 * for image folders); the archive only pulls in what is used.
 */
#ifndef CODEBENCH_DATA_H
#define CODEBENCH_DATA_H

#include "plugin.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CB_DATA_MAX_CHANNELS 4

typedef struct cb_dataset {
    int64_t n;             /* images */
    int32_t c, h, w;       /* per image; pixels of image i start at i * c * h * w */
    int32_t classes;       /* labels lie in [0, classes) */
    uint8_t *pixels;       /* owned: n * c * h * w bytes, CHW planes */
    int32_t *labels;       /* owned: n labels */
} cb_dataset;

/* Data set formats, in the order of the native trainer's `data_format` choices. */
typedef enum cb_data_format {
    CB_DATA_IDX = 0,  /* folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] */
    CB_DATA_CIFAR10,  /* folder with data_batch_*.bin and test_batch.bin */
    CB_DATA_CIFAR100, /* folder with train.bin and test.bin (fine labels) */
    CB_DATA_FOLDER    /* folder with train/ and test/, one sub-folder of PNG/JPEG files per class */
} cb_data_format;

enum { CB_SPLIT_TRAIN = 0, CB_SPLIT_TEST = 1 };

/* Loads one split of a data set kept in `root` in the given format. */
int cb_data_load(cb_data_format fmt, const char *root, int split, cb_dataset *out, cb_error *e);

/* The individual loaders. Gzip is detected from the file's first bytes, so a raw IDX file
 * works under either name. */
int cb_data_load_idx(const char *images_path, const char *labels_path, cb_dataset *out,
                     cb_error *e);
/* Appends the records of one CIFAR binary file (3073-byte records for CIFAR-10, 3074 for
 * CIFAR-100 whose second label byte, the fine label, is used) to out (zeroed on first use). */
int cb_data_load_cifar_file(const char *path, int cifar100, cb_dataset *out, cb_error *e);
/* Class sub-folders of dir, sorted by name, give labels 0..k-1. Every image must have the size
 * and channel count of the first one (grey: 1 channel, colour: 3; alpha is dropped). When
 * class_names is not NULL it receives a malloc'd array of k malloc'd names. */
int cb_data_load_folder(const char *dir, cb_dataset *out, char ***class_names, cb_error *e);
/* Decodes one PNG or JPEG file (chosen by its magic bytes) into malloc'd CHW planes. */
int cb_image_decode(const char *path, uint8_t **pixels, int32_t *c, int32_t *h, int32_t *w,
                    cb_error *e);

void cb_dataset_free(cb_dataset *d); /* frees the arrays and zeroes *d; NULL-safe */

/* Keeps n images (all when n <= 0 or n >= d->n): the first n, or, when random is set, n drawn
 * without replacement by a generator seeded with `seed`, kept in their original order. */
int cb_dataset_subset(cb_dataset *d, int64_t n, int random, uint64_t seed, cb_error *e);

/* Moves round(frac * d->n) images, drawn with `seed`, from d into val (both keep the original
 * order). frac <= 0 leaves val empty. */
int cb_dataset_split(cb_dataset *d, double frac, uint64_t seed, cb_dataset *val, cb_error *e);

/* Per-channel mean and standard deviation of the pixels scaled to [0, 1]. */
void cb_dataset_stats(const cb_dataset *d, float mean[CB_DATA_MAX_CHANNELS],
                      float std[CB_DATA_MAX_CHANNELS]);

typedef struct cb_augment {
    int32_t crop_pad; /* random crop of the original size from the image padded by this (0: off) */
    int32_t flip;     /* 1: horizontal flip with probability 1/2 */
} cb_augment;

/* Writes images idx[0..n) as float NCHW into x ((p / 255 - mean[c]) / std[c]; padding counts
 * as pixel 0, as a padded tensor normalized afterwards would) and their labels into y.
 * aug may be NULL (no augmentation); rng is used only when aug asks for randomness, drawing the
 * same numbers for the same call whatever the thread count. */
void cb_dataset_batch(const cb_dataset *d, const int64_t *idx, int n, const float *mean,
                      const float *std, const cb_augment *aug, cb_rng *rng, float *x, int32_t *y);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_DATA_H */
