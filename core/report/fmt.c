/* core/report/fmt.c: see fmt.h. */
#include "report/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
    const char *name;
    double factor; /* multiply a value by this to express it with the prefix */
} prefixes[] = {
    {"G", 1e-9}, {"M", 1e-6}, {"k", 1e-3}, {"", 1}, {"m", 1e3}, {"µ", 1e6}, {"n", 1e9}, {"p", 1e12},
};
#define N_PREFIXES (sizeof prefixes / sizeof prefixes[0])

/* Rounded to the 4 digits shown first, so 0.00099999 picks "m" (1 ms), not "µ" (1000 µs). */
const char *cb_fmt_si_prefix(double ref, double *factor)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.3e", fabs(ref));
    double a = strtod(buf, NULL);
    *factor = 1;
    if (!isfinite(a) || a == 0)
        return "";
    for (size_t i = 0; i < N_PREFIXES; i++) {
        double scaled = a * prefixes[i].factor;
        if (scaled >= 1 && scaled < 1000) {
            *factor = prefixes[i].factor;
            return prefixes[i].name;
        }
    }
    return "";
}

void cb_fmt_num(double v, char *buf, size_t len)
{
    if (!isfinite(v))
        snprintf(buf, len, "n/a");
    else if (v != 0 && (fabs(v) >= 1e9 || fabs(v) < 1e-3))
        snprintf(buf, len, "%.3e", v);
    else if (fabs(v) >= 1000) /* "%.4g" would print 1432985 as 1.433e+06 */
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.4g", v);
}

void cb_fmt_si(double v, const char *unit, char *buf, size_t len)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "n/a");
        return;
    }
    if (!unit || !*unit) {
        cb_fmt_num(v, buf, len);
        return;
    }
    double f;
    const char *p = cb_fmt_si_prefix(v, &f);
    char num[48];
    cb_fmt_num(v * f, num, sizeof num);
    snprintf(buf, len, "%s %s%s", num, p, unit);
}

void cb_fmt_plain(double v, const char *unit, char *buf, size_t len)
{
    char num[48];
    cb_fmt_num(v, num, sizeof num);
    if (isfinite(v) && unit && *unit)
        snprintf(buf, len, "%s %s", num, unit);
    else
        snprintf(buf, len, "%s", num);
}
