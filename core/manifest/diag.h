/* core/manifest/diag.h: one diagnostic about an input file.
 *
 * Owns: where a problem is (the file, a 1-based line and column) and what it is (one line),
 * plus the offending source line, so that a user sees
 *
 *   exp.yaml:14:23: memory plugin 'fx_mem': parameter 'banks' = 100 is out of range 1..64
 *     params: {banks: 100}
 *                     ^
 *
 * Fixed-size and heap-free so that callers never free it and it can be copied. */
#ifndef CB_CORE_DIAG_H
#define CB_CORE_DIAG_H

#include <codebench/plugin.h>
#include <stdio.h>

/* A place in a file: 1-based line and column (columns count characters, not bytes, as libyaml
 * does). line == 0: no place (e.g. the file cannot be opened). */
typedef struct cb_mark {
    int line, col;
} cb_mark;

typedef struct cb_diag {
    int code;          /* CB_OK when empty; CB_EINVAL for bad input */
    char file[4096];   /* the path as the user gave it */
    cb_mark at;
    char msg[512];     /* one line, no trailing newline */
    char source[512];  /* the line at `at` (truncated), without its newline; "" when unknown */
} cb_diag;

void cb_diag_clear(cb_diag *d);

/* Fills d (source may be NULL) and returns CB_EINVAL, so callers can `return cb_diag_set(...)`. */
int cb_diag_set(cb_diag *d, const char *file, cb_mark at, const char *source, const char *fmt, ...)
    CB_PRINTF(5, 6);

/* "file:line:col: msg" (or "file: msg" without a place) into buf; returns buf. */
const char *cb_diag_line(const cb_diag *d, char *buf, size_t len);

/* The line above; then, when the place and its source line are known, the source line and a
 * caret under the column, each indented by two spaces. */
void cb_diag_print(const cb_diag *d, FILE *out);

#endif
