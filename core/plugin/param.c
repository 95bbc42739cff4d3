/* core/plugin/param.c: the strict text -> cb_value parser (see param.h).
 *
 * Why hand-written: libyaml does no type resolution (every plain scalar arrives as a string),
 * and atoi/atof accept "3x" as 3. Here a value is the whole token or an error. */
#include "plugin/param.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cb_type_name(cb_type t)
{
    switch (t) {
    case CB_T_INT: return "int";
    case CB_T_REAL: return "real";
    case CB_T_BOOL: return "bool";
    case CB_T_STR: return "string";
    case CB_T_ENUM: return "enum";
    }
    return "unknown";
}

static bool has_range(const cb_param *p)
{
    return (p->type == CB_T_INT || p->type == CB_T_REAL) && p->min <= p->max;
}

static int parse_int(const char *text, int64_t *out)
{
    if (!*text)
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end)
        return -1;
    if (errno == ERANGE)
        return -2;
    *out = v;
    return 0;
}

static int parse_real(const char *text, double *out)
{
    if (!*text)
        return -1;
    /* strtod also accepts "nan", "inf" and hex floats; a manifest means none of those. */
    for (const char *c = text; *c; c++)
        if (!strchr("0123456789+-.eE", *c))
            return -1;
    errno = 0;
    char *end;
    double v = strtod(text, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int choice_index(const cb_param *p, const char *text)
{
    for (int i = 0; p->choices && p->choices[i]; i++)
        if (strcmp(p->choices[i], text) == 0)
            return i;
    return -1;
}

/* Numeric choices compare by value so that "3" matches a choice written "3" or "3.0". */
static bool numeric_choice_ok(const cb_param *p, double v)
{
    if (!p->choices)
        return true;
    for (int i = 0; p->choices[i]; i++) {
        double c;
        if (parse_real(p->choices[i], &c) == 0 && c == v)
            return true;
    }
    return false;
}

static int fail(char *why, size_t len, const char *fmt, const char *a, const char *b)
{
    snprintf(why, len, fmt, a, b);
    return CB_EINVAL;
}

static int check_number(const cb_param *p, double v, const char *text, char *why, size_t len)
{
    char range[256];
    if (has_range(p) && (v < p->min || v > p->max)) {
        /* the numeric range, even where choices exist: it is the rule that was broken */
        cb_param plain = *p;
        plain.choices = NULL;
        return fail(why, len, "%s is out of range %s", text,
                    cb_param_range_str(&plain, range, sizeof range));
    }
    if (!numeric_choice_ok(p, v))
        return fail(why, len, "%s is not one of %s", text, cb_param_range_str(p, range, sizeof range));
    return CB_OK;
}

int cb_param_parse(const cb_param *p, const char *text, bool quoted, cb_value *out, char *why,
                   size_t why_len)
{
    char range[256];
    switch (p->type) {
    case CB_T_INT:
        if (quoted)
            return fail(why, why_len, "expected an integer, got the string \"%s\"%s", text, "");
        switch (parse_int(text, &out->i)) {
        case -1: return fail(why, why_len, "expected an integer, got '%s'%s", text, "");
        case -2: return fail(why, why_len, "%s does not fit in a 64-bit integer%s", text, "");
        }
        return check_number(p, (double)out->i, text, why, why_len);
    case CB_T_REAL:
        if (quoted)
            return fail(why, why_len, "expected a number, got the string \"%s\"%s", text, "");
        if (parse_real(text, &out->r))
            return fail(why, why_len, "expected a number, got '%s'%s", text, "");
        return check_number(p, out->r, text, why, why_len);
    case CB_T_BOOL:
        if (!quoted && strcmp(text, "true") == 0)
            out->b = 1;
        else if (!quoted && strcmp(text, "false") == 0)
            out->b = 0;
        else
            return fail(why, why_len, quoted ? "expected true or false, got the string \"%s\"%s"
                                             : "expected true or false, got '%s'%s",
                        text, "");
        return CB_OK;
    case CB_T_ENUM:
        out->e = choice_index(p, text);
        if (out->e < 0)
            return fail(why, why_len, "'%s' is not one of %s", text,
                        cb_param_range_str(p, range, sizeof range));
        return CB_OK;
    case CB_T_STR:
        if (p->choices && choice_index(p, text) < 0)
            return fail(why, why_len, "'%s' is not one of %s", text,
                        cb_param_range_str(p, range, sizeof range));
        out->s = text;
        return CB_OK;
    }
    return fail(why, why_len, "parameter has an unknown type%s%s", "", "");
}

static void append(char *buf, size_t len, size_t *at, const char *s)
{
    int n = snprintf(buf + *at, len > *at ? len - *at : 0, "%s", s);
    if (n > 0)
        *at += (size_t)n;
    if (*at >= len)
        *at = len - 1;
}

const char *cb_param_range_str(const cb_param *p, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    if (p->choices) {
        append(buf, len, &at, "{");
        for (int i = 0; p->choices[i]; i++) {
            if (i)
                append(buf, len, &at, ", ");
            append(buf, len, &at, p->choices[i]);
        }
        append(buf, len, &at, "}");
    } else if (has_range(p)) {
        if (p->type == CB_T_INT)
            snprintf(buf, len, "%.0f..%.0f", p->min, p->max);
        else
            snprintf(buf, len, "%g..%g", p->min, p->max);
    } else if (p->type == CB_T_BOOL) {
        snprintf(buf, len, "true, false");
    } else {
        snprintf(buf, len, "any");
    }
    return buf;
}

const char *cb_value_str(const cb_param *p, cb_value v, char *buf, size_t len)
{
    switch (p->type) {
    case CB_T_INT: snprintf(buf, len, "%lld", (long long)v.i); break;
    case CB_T_REAL: snprintf(buf, len, "%.17g", v.r); break;
    case CB_T_BOOL: snprintf(buf, len, "%s", v.b ? "true" : "false"); break;
    case CB_T_ENUM:
        snprintf(buf, len, "%s", p->choices && v.e >= 0 ? p->choices[v.e] : "?");
        break;
    case CB_T_STR: snprintf(buf, len, "%s", v.s ? v.s : ""); break;
    default: snprintf(buf, len, "?");
    }
    /* %.17g round-trips but prints 0.10000000000000001; prefer the shortest exact form. */
    if (p->type == CB_T_REAL) {
        for (int prec = 1; prec <= 17; prec++) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*g", prec, v.r);
            /* "7e+02" round-trips but reads badly: exponents only for very large or small */
            if (strtod(tmp, NULL) == v.r && (!strchr(tmp, 'e') || fabs(v.r) >= 1e15 || fabs(v.r) < 1e-4)) {
                snprintf(buf, len, "%s", tmp);
                break;
            }
        }
    }
    return buf;
}

int cb_param_defaults(const cb_param *params, cb_value *vals, char *why, size_t why_len)
{
    for (int i = 0; params && params[i].name; i++) {
        memset(&vals[i], 0, sizeof vals[i]);
        if (!params[i].def)
            continue;
        char reason[256];
        /* A default is YAML text as a user would write it: strings unquoted. */
        if (cb_param_parse(&params[i], params[i].def, false, &vals[i], reason, sizeof reason)) {
            snprintf(why, why_len, "parameter '%s': default %s", params[i].name, reason);
            return CB_EINVAL;
        }
    }
    return CB_OK;
}
