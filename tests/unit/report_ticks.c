/* tests/unit/report_ticks.c: axis ticks at nice numbers, log axes only where data spans
 * decades, tick labels, and SI-prefixed numbers for tables. */
#include "report/fmt.h"
#include "report/ticks.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

Test(report_ticks, linear_ticks_are_nice_and_cover_the_data)
{
    cb_ticks t;
    cb_ticks_linear(0.613, 0.947, 7, 0.04, &t);
    cr_assert(le(dbl, t.lo, 0.613));
    cr_assert(ge(dbl, t.hi, 0.947));
    cr_assert(eq(dbl, t.step, 0.05));
    cr_assert(ge(int, t.n, 5));
    cr_assert(le(int, t.n, 12));
    char s[32];
    for (int i = 0; i < t.n; i++) {
        /* each tick an integer multiple of the step, printed with two decimals */
        cr_assert(lt(dbl, fabs(t.v[i] / t.step - round(t.v[i] / t.step)), 1e-9));
        cb_ticks_label(&t, i, s, sizeof s);
        cr_assert(eq(sz, strlen(strchr(s, '.') + 1), 2), "%s", s);
    }
    cb_ticks_linear(-3, 97, 6, 0.04, &t);
    cr_assert(eq(dbl, t.step, 20));
    cb_ticks_label(&t, 0, s, sizeof s);
    cr_assert(eq(str, s, "-20"));
    cb_ticks_label(&t, 1, s, sizeof s);
    cr_assert(eq(str, s, "0")); /* never "-0" */
}

Test(report_ticks, one_value_still_gets_an_axis)
{
    cb_ticks t;
    cb_ticks_linear(5, 5, 7, 0, &t);
    cr_assert(lt(dbl, t.lo, 5));
    cr_assert(gt(dbl, t.hi, 5));
}

Test(report_ticks, log_axes_only_for_positive_data_spanning_decades)
{
    cr_assert(cb_ticks_want_log(1e-5, 1e-2));
    cr_assert(not(cb_ticks_want_log(20, 400)));
    cr_assert(not(cb_ticks_want_log(0, 1e3)));
    cb_ticks t;
    cb_ticks_log(2.3e-5, 7.1e-3, &t);
    cr_assert(eq(dbl, t.lo, 1e-5));
    cr_assert(eq(int, t.n, 4)); /* 1e-5 .. 1e-2 */
    cr_assert(eq(int, t.n_minor, 3 * 8));
    char s[32];
    cb_ticks_label(&t, 0, s, sizeof s);
    cr_assert(eq(str, s, "10⁻⁵"));
    cb_ticks_log(0.02, 500, &t);
    cb_ticks_label(&t, 0, s, sizeof s);
    cr_assert(eq(str, s, "0.01"));
    cb_ticks_log(1e-12, 1, &t); /* twelve decades: every other one labelled */
    cr_assert(le(int, t.n, 9));
    cr_assert(eq(int, t.n_minor, 0));
    cr_assert(eq(dbl, cb_ticks_frac(&t, t.lo), 0));
    cr_assert(isnan(cb_ticks_frac(&t, 0)));
}

Test(report_ticks, si_numbers_for_people)
{
    char s[64];
    cb_fmt_si(0.0012345, "s", s, sizeof s);
    cr_assert(eq(str, s, "1.234 ms"));
    cb_fmt_si(2.5e-7, "J", s, sizeof s);
    cr_assert(eq(str, s, "250 nJ"));
    cb_fmt_plain(1234.56, "mm²", s, sizeof s);
    cr_assert(eq(str, s, "1235 mm²"));
    cb_fmt_si(0.9999999, "s", s, sizeof s);
    cr_assert(eq(str, s, "1 s"));
    cb_fmt_si(0.00099999, "s", s, sizeof s);
    cr_assert(eq(str, s, "1 ms"));
    cb_fmt_si(NAN, "s", s, sizeof s);
    cr_assert(eq(str, s, "n/a"));
}

Test(report_ticks, a_tight_axis_ends_at_whole_ticks_around_the_data)
{
    cb_ticks t;
    cb_ticks_linear(1, 300, 8, 0, &t);
    cr_assert(eq(dbl, t.lo, 0));
    cr_assert(eq(dbl, t.hi, 300));
    cr_assert(eq(dbl, t.step, 50));
}

Test(report_ticks, whole_numbers_print_without_exponents)
{
    char s[64];
    cb_fmt_num(1432985.4, s, sizeof s);
    cr_assert(eq(str, s, "1432985"));
    cb_fmt_num(2.5e-5, s, sizeof s);
    cr_assert(eq(str, s, "2.500e-05"));
}
