/* core/graph/modhash.h: every class of labelled modules of a space, hashed and de-duplicated.
 *
 * Owns: listing the classes (graph/modenum.h) compactly (form index and the labelling as a
 * base-k number), hashing them on the core's thread pool (one hasher per chunk) and keeping
 * the distinct hashes in order. The number of distinct hashes is the space's size as the seeds
 * and NAS-Bench-101 define it ("unique graphs"); it equals the number of classes exactly when
 * the hash separates every pair of non-isomorphic modules.
 */
#ifndef CB_GRAPH_MODHASH_H
#define CB_GRAPH_MODHASH_H

#include "graph/digest.h"
#include "graph/hexset.h"
#include "graph/modenum.h"

typedef struct cb_modlist {
    uint32_t *form;    /* per class: its form */
    uint64_t *code;    /* per class: interior labels, base k, vertex 1 most significant */
    size_t n, cap;
    const cb_forms *forms; /* what it was built from */
    int32_t k;
} cb_modlist;

/* Lists every class; CB_EINVAL when k^(interior vertices) does not fit 64 bits. */
int cb_modlist_build(cb_modlist *l, const cb_forms *f, const cb_labelset *ls);
void cb_modlist_free(cb_modlist *l);
void cb_modlist_get(const cb_modlist *l, size_t i, const cb_forms *f, const cb_labelset *ls, cb_module *m);

/* Hashes every listed class with algo into hex (n x CB_HEX_MAX, allocated), in parallel. */
char *cb_modlist_hash(const cb_modlist *l, const cb_forms *f, const cb_labelset *ls,
                      const char *const *texts, cb_hash_algo algo);

/* Adds the n hashes to set; returns how many were new. */
size_t cb_hexset_add_all(cb_hexset *set, const char *hex, size_t n);

#endif
