/* core/report/pareto.h: Pareto fronts over a few objectives.
 *
 * Owns: dominance, the exact front of a set of points, and a streaming front that keeps only
 * the non-dominated points seen so far (memory grows with the front, never with the number of
 * points), for reports, `sweep` and exhaustive enumeration. Every objective is minimized; negate
 * one to maximize it (accuracy). */
#ifndef CB_CORE_PARETO_H
#define CB_CORE_PARETO_H

#include <stddef.h>
#include <stdint.h>

#define CB_PARETO_MAX_DIMS 6

/* 1 when a dominates b: no worse in every dimension and better in at least one. */
int cb_dominates(const double *a, const double *b, int dims);

/* Indices of the non-dominated points of pts (n x dims, row-major) into out (capacity n), in
 * ascending order of the first objective; returns how many. Duplicates are all kept. */
size_t cb_pareto_front(const double *pts, size_t n, int dims, size_t *out);

typedef struct cb_front {
    int dims;
    size_t n, cap;
    double *pts;     /* n x dims */
    int64_t *ids;    /* the caller's identifier of each point */
} cb_front;

void cb_front_init(cb_front *f, int dims);
void cb_front_free(cb_front *f);
/* Offers a point; returns 1 if it joined the front (dropping what it dominates). */
int cb_front_add(cb_front *f, const double *pt, int64_t id);
/* Merges another front into f (for per-thread fronts). */
void cb_front_merge(cb_front *f, const cb_front *other);

#endif
