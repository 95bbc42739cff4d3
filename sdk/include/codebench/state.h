/* codebench/state.h: streaming a plugin's state through save()/load() (libcbsdk.a).
 *
 * Owns: a writer over the core's cb_write callback and a bounds-checked reader over the buffer
 * load() receives. Both are sticky: after the first failure every call is a no-op and `bad`
 * stays set, so a save or load function writes straight-line code and checks once at the end.
 * Values are written in the machine's byte order (the state resumes a run on the same machine
 * kind; CB_SIZES already pins the data model). A tag opens each section so that a state from
 * another plugin or version is refused instead of misread.
 */
#ifndef CODEBENCH_STATE_H
#define CODEBENCH_STATE_H

#include "plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_state_writer {
    cb_write w;
    void *ctx;
    int bad;
} cb_state_writer;

typedef struct cb_state_reader {
    const unsigned char *p;
    size_t len, off;
    int bad;
    char why[128]; /* the first failure, for the error message */
} cb_state_reader;

void cb_sw_init(cb_state_writer *s, cb_write w, void *ctx);
void cb_sw_bytes(cb_state_writer *s, const void *p, size_t n);
void cb_sw_u64(cb_state_writer *s, uint64_t v);
void cb_sw_i64(cb_state_writer *s, int64_t v);
void cb_sw_f64(cb_state_writer *s, double v);
void cb_sw_f32s(cb_state_writer *s, const float *v, size_t n);   /* count, then values */
void cb_sw_f64s(cb_state_writer *s, const double *v, size_t n);  /* count, then values */
void cb_sw_tag(cb_state_writer *s, const char *tag);             /* up to 8 characters */

/* A growing buffer in memory and a cb_write into it: a plugin's load() snapshots what it is
 * about to overwrite, so that it can restore it when the state turns out damaged half-way. */
typedef struct cb_state_buf {
    char *p; /* malloc'd; free() it */
    size_t len, cap;
} cb_state_buf;
int cb_state_buf_write(void *ctx, const void *data, size_t len); /* ctx: a cb_state_buf */

void cb_sr_init(cb_state_reader *s, const void *buf, size_t len);
void cb_sr_bytes(cb_state_reader *s, void *p, size_t n);
uint64_t cb_sr_u64(cb_state_reader *s);
int64_t cb_sr_i64(cb_state_reader *s);
double cb_sr_f64(cb_state_reader *s);
/* Reads a count that must equal n, then n values (a count that differs is a failure). */
void cb_sr_f32s(cb_state_reader *s, float *v, size_t n);
void cb_sr_f64s(cb_state_reader *s, double *v, size_t n);
/* A count written by cb_sw_u64 that must not exceed max (so a damaged state cannot ask for
 * an absurd allocation); 0 after a failure. */
uint64_t cb_sr_count(cb_state_reader *s, uint64_t max);
void cb_sr_tag(cb_state_reader *s, const char *tag);
/* Marks the reader bad with a reason (the first one wins). */
void cb_sr_fail(cb_state_reader *s, const char *why);
/* 1 when every byte was read and nothing failed; otherwise sets why for a trailing tail. */
int cb_sr_done(cb_state_reader *s);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_STATE_H */
