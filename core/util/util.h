/* core/util/util.h: small helpers the core shares: allocation that cannot return NULL,
 * string duplication and formatting, a growable array, edit distance for did-you-mean. */
#ifndef CB_CORE_UTIL_H
#define CB_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *cb_xmalloc(size_t n);            /* aborts with a message when memory runs out */
void *cb_xcalloc(size_t n, size_t size);
void *cb_xrealloc(void *p, size_t n);
char *cb_xstrdup(const char *s);
char *cb_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Levenshtein distance between a and b (for "did you mean" suggestions). */
int cb_edit_distance(const char *a, const char *b);

/* The candidate closest to word when close enough to be a likely typo, else NULL. */
const char *cb_did_you_mean(const char *word, const char *const *candidates, int n);

/* Grows *arr (elements of size elem) so that it can hold need elements; *cap tracks capacity. */
void cb_grow(void *arr_ptr, size_t elem, size_t need, size_t *cap);

#endif
