/* codebench/search.h: the search plugin kind, one search strategy behind ask/tell.
 *
 * The runner calls start() once with the space, then repeatedly ask() for up to n new
 * candidates and tell() each result back, possibly out of order and with several candidates
 * pending at once (ask must not repeat a pending or finished pair). save() streams the whole
 * state through a core-supplied writer; load() restores it into a fresh instance that has been
 * start()ed on the same space, after which ask() proposes what an uninterrupted run would.
 */
#ifndef CODEBENCH_SEARCH_H
#define CODEBENCH_SEARCH_H

#include "space.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cb_search_vt {
    uint32_t size;
    int (*start)(void *self, const cb_space *sp, cb_error *e);
    /* propose at most n pairs into out; *n_out = 0 with CB_OK means converged/exhausted */
    int (*ask)(void *self, int n, cb_pair *out, int *n_out, cb_error *e);
    int (*tell)(void *self, const cb_pair *p, const cb_metrics *m, cb_error *e);
    int (*save)(void *self, cb_write w, void *ctx, cb_error *e);
    int (*load)(void *self, const void *buf, size_t len, cb_error *e);
    /* ---- appended within 1.0: read only where CB_SEARCH_VT_HAS(vt, member) ----------------
     * CB_SEARCH_* bits. CB_SEARCH_GROWS_LEVELS: the search calls cb_space.grow when it leaves a
     * level of the CNN hierarchy, so a host may build only the coarsest level and leave the
     * finer ones to grow from the search's best CNNs (BOSHCODE); without it a host builds every
     * level up front. */
    uint32_t flags;
} cb_search_vt;

enum { CB_SEARCH_GROWS_LEVELS = 1u };

/* 1 when vt was built with member m (vt->size covers it); a member beyond size reads as 0. */
#define CB_SEARCH_VT_HAS(vt, m) \
    ((vt)->size >= offsetof(cb_search_vt, m) + sizeof(((const cb_search_vt *)0)->m))

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_SEARCH_H */
