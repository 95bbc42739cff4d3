/* codebench/searchkit.h: the chores every search plugin shares (libcbsdk.a).
 *
 * Owns: a set of pairs already proposed (exact, insertion-ordered, savable), the encoding of a
 * pair as one real vector (the CNN's embedding followed by each accelerator value's position on
 * its axis, scaled to [0, 1]) with the box it lives in, the grid of pairs (count, enumeration,
 * uniform draws), and snapping a point of the encoding to the nearest pair that the space
 * accepts (cb_space.valid) and that has not been proposed: the nearest CNN embeddings first,
 * then a best-first walk of the accelerator grid outward from the rounded point.
 */
#ifndef CODEBENCH_SEARCHKIT_H
#define CODEBENCH_SEARCHKIT_H

#include "rng.h"
#include "space.h"
#include "state.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- a set of pairs ------------------------------------------------------------------------ */
typedef struct cb_pairset {
    cb_pair *pairs;      /* in insertion order: pairs[0..n) */
    size_t n, cap;
    uint32_t *slots;     /* open addressing: index + 1, 0 empty */
    size_t n_slots;
} cb_pairset;

void cb_pairset_init(cb_pairset *s);
void cb_pairset_free(cb_pairset *s);
/* The pair's index in insertion order, or -1. Pairs are equal when the CNN, the accelerator
 * length and every accelerator value are equal (the level follows from the CNN: not compared). */
long cb_pairset_find(const cb_pairset *s, const cb_pair *p);
/* Adds p when absent; returns its index, or -1 out of memory. */
long cb_pairset_add(cb_pairset *s, const cb_pair *p);
void cb_pairset_save(const cb_pairset *s, cb_state_writer *w);
void cb_pairset_load(cb_pairset *s, cb_state_reader *r); /* into an empty set */

/* ---- the space as a search sees it ---------------------------------------------------------- */
typedef struct cb_skit {
    const cb_space *sp;
    int64_t n_cnn;       /* CNN candidates; 0: the CNN is fixed */
    int dim_cnn;         /* embedding length used (0 without a CNN side) */
    int n_axes;          /* accelerator axes; 0: the accelerator is fixed */
    int dim;             /* dim_cnn + n_axes: the encoding's length */
    double total;        /* pairs in the grid (of the allowed CNNs) */
    double *lo, *hi;     /* the encoding's box */
    /* CNNs the search may propose now: all when n_only = 0, else only[0..n_only) (a level
     * of the hierarchy); allowed[i] != 0 for those (owned, set by cb_skit_restrict) */
    int64_t *only, n_only;
    unsigned char *allowed;
} cb_skit;

/* Checks the space (axes non-empty and ascending, at most CB_ACCEL_MAX, embeddings present
 * when there are CNNs) and fills k. CB_OK, or CB_EINVAL with why filled. */
int cb_skit_init(cb_skit *k, const cb_space *sp, char *why, size_t why_len);
void cb_skit_free(cb_skit *k);
/* Allows only the CNNs of the space whose cnn_level is level (every CNN when level < 0 or the
 * space has no levels): the grid, draws, snaps and usable() then see only those. Returns how
 * many CNNs are allowed (0: none at that level, and nothing changed), or -1 out of memory. */
int64_t cb_skit_restrict(cb_skit *k, int32_t level);
/* The space's level of CNN cnn (0 without levels). */
int32_t cb_skit_level(const cb_skit *k, int64_t cnn);

/* The position of value on axis a, or -1 when it is not one of the axis's values. */
int cb_skit_axis_index(const cb_skit *k, int a, double value);
void cb_skit_encode(const cb_skit *k, const cb_pair *p, double *x);
void cb_skit_encode_f(const cb_skit *k, const cb_pair *p, float *x);
/* The pair with CNN cnn (ignored without a CNN side) and axis positions idx; its level is the
 * CNN's (cb_skit_level). */
void cb_skit_make(const cb_skit *k, int64_t cnn, const int *idx, cb_pair *p);
/* Grid point i in [0, total) (the CNN the slowest digit; the i-th allowed one when restricted). */
void cb_skit_pair_at(const cb_skit *k, uint64_t i, cb_pair *p);
/* 1 when the space accepts p, its CNN is allowed, and p is not in asked (asked may be NULL). */
int cb_skit_usable(const cb_skit *k, const cb_pairset *asked, const cb_pair *p);
/* A uniform draw among usable pairs: rejection sampling, then (for grids up to 2^22 points)
 * enumeration of what is left. 0 when none is left. */
int cb_skit_random(const cb_skit *k, const cb_pairset *asked, cb_rng *r, cb_pair *out);

/* What a snap may change: both sides, only the CNN (the accelerator of hold stays), or only
 * the accelerator (the CNN of hold stays). */
enum { CB_SNAP_BOTH = 0, CB_SNAP_CNN = 1, CB_SNAP_ACCEL = 2 };

/* The usable pair nearest to the encoded point x (squared Euclidean distance over the
 * encoding): among the n_near CNNs nearest x, each with its nearest usable accelerator vector
 * (a best-first walk of at most max_visit grid points). 0 when none was found. */
int cb_skit_nearest(const cb_skit *k, const double *x, int mode, const cb_pair *hold,
                    const cb_pairset *asked, int n_near, int max_visit, cb_pair *out);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_SEARCHKIT_H */
