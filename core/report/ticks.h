/* core/report/ticks.h: axis ranges and tick marks at "nice" numbers (1, 2 or 5 times a power
 * of ten on a linear axis, powers of ten on a log axis), and their labels. */
#ifndef CB_CORE_REPORT_TICKS_H
#define CB_CORE_REPORT_TICKS_H

#include <stddef.h>

#define CB_TICKS_MAX 24

typedef struct cb_ticks {
    int log;                 /* 1: log10 axis */
    double lo, hi;           /* the axis range, ticks included */
    double step;             /* linear: the tick spacing; log: decades between major ticks */
    int n;
    double v[CB_TICKS_MAX];  /* major ticks, ascending */
    int n_minor;
    double minor[CB_TICKS_MAX * 8]; /* log axes: 2..9 times each decade */
} cb_ticks;

/* 1 when [dmin, dmax] is positive and spans at least two decades: a log axis reads better. */
int cb_ticks_want_log(double dmin, double dmax);

/* The 1, 2 or 5 times a power of ten nearest to x (x > 0). */
double cb_ticks_nice(double x);

/* Ticks for data in [dmin, dmax], about target of them; the range is padded by pad (a fraction
 * of it, so no point sits on the frame), then widened to whole ticks. */
void cb_ticks_linear(double dmin, double dmax, int target, double pad, cb_ticks *t);
/* Decade ticks for positive data in [dmin, dmax]. */
void cb_ticks_log(double dmin, double dmax, cb_ticks *t);

/* The label of tick i: decimals to match the step on a linear axis ("0.25" is never shown as
 * it falls between 1-2-5 steps); on a log axis "0.01".."1000", else "10⁻⁵" in superscripts. */
void cb_ticks_label(const cb_ticks *t, int i, char *buf, size_t len);

/* Where v falls on the axis, 0 at lo and 1 at hi (NaN when v cannot be shown: v <= 0 on a log
 * axis). */
double cb_ticks_frac(const cb_ticks *t, double v);

#endif
