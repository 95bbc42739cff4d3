/* ckpt_internal.h: what the checkpoint files of libcbsdk share (private, never installed): the
 * parsed safetensors header (ckpt_json.c), the tensor list and shape spelling (ckpt_items.c),
 * used by ckpt_write.c and ckpt_read.c. */
#ifndef CB_SDK_CKPT_INTERNAL_H
#define CB_SDK_CKPT_INTERNAL_H

#include <codebench/engine.h>
#include <stddef.h>
#include <stdint.h>

#define CKPT_MAX_DIMS 8

typedef struct ckpt_entry {
    char name[128];
    char dtype[16];
    int ndim;
    int64_t shape[CKPT_MAX_DIMS];
    uint64_t begin, end; /* byte range within the data section */
} ckpt_entry;

typedef struct ckpt_meta {
    char key[64];
    char val[256];
} ckpt_meta;

typedef struct ckpt_header {
    ckpt_entry *t;
    int n_t, cap_t;
    ckpt_meta *m;
    int n_m, cap_m;
} ckpt_header;

/* One tensor to write or read: its name, dimensions in the file's spelling and floats. */
typedef struct ckpt_item {
    char name[128];
    int ndim;
    int64_t dims[5];
    float *data;
    int64_t numel;
} ckpt_item;

/* ckpt_items.c */
int cb_ckpt_little_endian(void);
void cb_ckpt_swap32(float *v, int64_t n);
/* cb_weight shapes are (n, c, d, h, w): d is dropped when 1 (2-D ops), then trailing 1s. */
int cb_ckpt_dims_of(cb_shape s, int64_t *dims);
/* Equal after dropping trailing 1s on both sides ([64, 32, 1, 1] = [64, 32]). */
int cb_ckpt_same_dims(const int64_t *a, int na, const int64_t *b, int nb);
/* The tensors of a checkpoint: weights, then optimizer moments; out holds 3 n_weights. */
int cb_ckpt_list_items(cb_engine *en, cb_engine_optim *o, ckpt_item *out);

/* ckpt_json.c: parses the JSON header (not NUL-terminated, len bytes). On failure returns -1 and writes a
 * one-line reason with the byte offset into why. */
int cb_ckpt_parse_header(const char *json, size_t len, ckpt_header *h, char *why, size_t why_len);
void cb_ckpt_header_free(ckpt_header *h);

#endif
