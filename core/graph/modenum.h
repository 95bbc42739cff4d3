/* core/graph/modenum.h: labelled modules of a space: counting, enumerating, sampling.
 *
 * Owns: the classes of labelled modules built from the forms of graph/forms.h with k interior
 * labels (input and output labels fixed). Each class is listed once, as the form with the
 * labelling that is smallest (lexicographically, over the interior vertices) among its images
 * under the form's automorphisms; so enumeration needs no hashing, and hashing the result
 * (graph/hash.h) checks it: every class must get its own hash.
 *
 * Counting uses Burnside's lemma per form: (1/|Aut|) * sum over automorphisms of
 * k^(cycles on the interior vertices). Sampling is uniform over classes: a form with
 * probability proportional to its class count, a labelling uniformly, accepted with
 * probability 1/|orbit of the labelling| (so every class is equally likely), then made
 * canonical.
 */
#ifndef CB_GRAPH_MODENUM_H
#define CB_GRAPH_MODENUM_H

#include "graph/forms.h"

#include <codebench/rng.h>
#include <stdint.h>

typedef struct cb_labelset {
    int32_t k;             /* interior labels */
    const int32_t *ids;    /* their vocabulary indices; NULL: labels are left as 0..k-1 */
    int32_t in_id, out_id; /* the input and output vertices' labels */
} cb_labelset;

/* Classes of labelled modules of form f (exact up to 2^128). */
unsigned __int128 cb_form_count(const cb_form *f, int32_t k);
unsigned __int128 cb_forms_count(const cb_forms *f, int32_t k);

/* "423624", or "1.2e+40" beyond 2^64. */
const char *cb_u128_str(unsigned __int128 x, char *buf, size_t len);

/* Calls fn for every class of every form in order; stops at fn's first nonzero return and
 * returns it. */
typedef int (*cb_module_fn)(void *ctx, const cb_module *m);
int cb_modules_enumerate(const cb_forms *f, const cb_labelset *ls, cb_module_fn fn, void *ctx);

/* The same walk, giving the form's index and the interior labels as indices 0..k-1 at
 * vertices 1..n-2 (for compact lists). */
typedef int (*cb_labelling_fn)(void *ctx, size_t form, const int32_t *lab);
int cb_labellings_enumerate(const cb_forms *f, int32_t k, cb_labelling_fn fn, void *ctx);

/* Calls fn for every labelled full DAG (every mask, every labelling; isomorphic ones many
 * times): the seeds' and NAS-Bench-101's way, for checking the enumeration on small spaces. */
int cb_modules_bruteforce(int vmin, int vmax, int max_edges, const cb_labelset *ls, cb_module_fn fn,
                          void *ctx);

/* One class uniformly at random (f must hold at least one class). */
void cb_modules_sample(const cb_forms *f, const cb_labelset *ls, cb_rng *rng, cb_module *out);

/* Makes m's interior labelling the smallest of its orbit under form f's automorphisms. */
void cb_module_canonical_labels(const cb_form *f, cb_module *m);

#endif
