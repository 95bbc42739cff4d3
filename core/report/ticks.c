/* core/report/ticks.c: see ticks.h. */
#include "report/ticks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int cb_ticks_want_log(double dmin, double dmax)
{
    return dmin > 0 && isfinite(dmax) && dmax / dmin >= 100;
}

double cb_ticks_nice(double x)
{
    double e = floor(log10(x));
    double f = x / pow(10, e);
    double nf = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
    return nf * pow(10, e);
}

/* A degenerate range (one value) still needs an axis around it. */
static void widen(double *dmin, double *dmax)
{
    if (!isfinite(*dmin) || !isfinite(*dmax)) {
        *dmin = 0;
        *dmax = 1;
    } else if (*dmax <= *dmin) {
        double d = *dmin != 0 ? fabs(*dmin) * 0.1 : 1;
        *dmin -= d;
        *dmax += d;
    }
}

void cb_ticks_linear(double dmin, double dmax, int target, double pad, cb_ticks *t)
{
    memset(t, 0, sizeof *t);
    widen(&dmin, &dmax);
    double margin = (dmax - dmin) * pad;
    dmin -= margin;
    dmax += margin;
    if (target < 2)
        target = 2;
    double step = cb_ticks_nice((dmax - dmin) / (target - 1));
    t->step = step;
    /* ticks as integer multiples of step: adding step repeatedly would drift (0.30000000004) */
    double k0 = floor(dmin / step), k1 = ceil(dmax / step);
    for (double k = k0; k <= k1 && t->n < CB_TICKS_MAX; k++)
        t->v[t->n++] = k == 0 ? 0 : k * step;
    t->lo = t->v[0];
    t->hi = t->v[t->n - 1];
}

void cb_ticks_log(double dmin, double dmax, cb_ticks *t)
{
    memset(t, 0, sizeof *t);
    t->log = 1;
    if (!(dmin > 0) || !(dmax >= dmin)) {
        dmin = 1;
        dmax = 10;
    }
    int e0 = (int)floor(log10(dmin) + 1e-9), e1 = (int)ceil(log10(dmax) - 1e-9);
    if (e1 <= e0)
        e1 = e0 + 1;
    int every = (e1 - e0 + 7) / 8; /* at most about 8 labelled decades */
    e0 = (int)floor((double)e0 / every) * every;
    e1 = (int)ceil((double)e1 / every) * every;
    t->step = every;
    t->lo = pow(10, e0);
    t->hi = pow(10, e1);
    for (int e = e0; e <= e1 && t->n < CB_TICKS_MAX; e += every)
        t->v[t->n++] = pow(10, e);
    if (every > 1)
        return; /* minor ticks would crowd when decades are skipped */
    for (int e = e0; e < e1; e++)
        for (int m = 2; m <= 9; m++)
            t->minor[t->n_minor++] = m * pow(10, e);
}

static const char *const superscript[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};

static void power_label(int e, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "10%s", e < 0 ? "⁻" : "");
    char digits[16];
    snprintf(digits, sizeof digits, "%d", e < 0 ? -e : e);
    for (const char *d = digits; *d && at < len; d++)
        at += (size_t)snprintf(buf + at, len - at, "%s", superscript[*d - '0']);
}

void cb_ticks_label(const cb_ticks *t, int i, char *buf, size_t len)
{
    double v = t->v[i];
    if (t->log) {
        int e0 = (int)lround(log10(t->v[0])), e1 = (int)lround(log10(t->v[t->n - 1]));
        if (e0 >= -2 && e1 <= 3)
            snprintf(buf, len, "%g", v);
        else
            power_label((int)lround(log10(v)), buf, len);
        return;
    }
    double big = fmax(fabs(t->lo), fabs(t->hi));
    if (big >= 1e6 || t->step < 1e-4) {
        snprintf(buf, len, "%.2g", v);
        return;
    }
    int decimals = t->step >= 1 ? 0 : (int)ceil(-log10(t->step) - 1e-9);
    snprintf(buf, len, "%.*f", decimals, v);
}

double cb_ticks_frac(const cb_ticks *t, double v)
{
    if (!isfinite(v))
        return NAN;
    if (t->log)
        return v > 0 ? (log10(v) - log10(t->lo)) / (log10(t->hi) - log10(t->lo)) : NAN;
    return (v - t->lo) / (t->hi - t->lo);
}
