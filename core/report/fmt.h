/* core/report/fmt.h: numbers as the report shows them to people: SI prefixes on a unit, a
 * fixed number of significant digits, and the display scale of an axis (which prefix to put on
 * its unit). Machine-readable numbers (export, report.json) use cb_json_num instead. */
#ifndef CB_CORE_REPORT_FMT_H
#define CB_CORE_REPORT_FMT_H

#include <stddef.h>

/* v with an SI prefix on unit and 4 significant digits: "1.234 ms", "512 µJ"; "n/a" for NaN.
 * An empty unit gives a plain number. */
void cb_fmt_si(double v, const char *unit, char *buf, size_t len);

/* The SI prefix (and its factor) that makes ref (the largest magnitude shown) read as a number
 * in [1, 1000): ref = 0.004 s gives "m" and 1e3. Values far out of range keep no prefix. */
const char *cb_fmt_si_prefix(double ref, double *factor);

/* v with 4 significant digits and unit as it is ("123.5 mm²": no prefix suits mm²). */
void cb_fmt_plain(double v, const char *unit, char *buf, size_t len);

/* v with 4 significant digits (all digits of a whole number up to 1e9), an exponent only
 * outside [1e-3, 1e9); "n/a" for NaN. */
void cb_fmt_num(double v, char *buf, size_t len);

#endif
