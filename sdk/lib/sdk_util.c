/* sdk_util.c: libcbsdk's pure helpers for errors, schemas and shapes (see codebench/sdk.h). */
#include <codebench/sdk.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cb_error_set(cb_error *e, int code, const char *param, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    snprintf(e->param, sizeof e->param, "%s", param ? param : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int cb_param_index(const cb_param *params, const char *name)
{
    for (int i = 0; params && params[i].name; i++)
        if (strcmp(params[i].name, name) == 0)
            return i;
    return -1;
}

int cb_param_count(const cb_param *params)
{
    int n = 0;
    while (params && params[n].name)
        n++;
    return n;
}

const char *cb_shape_str(cb_shape s, char *buf, size_t len)
{
    if (s.n != 1 || s.d != 1)
        snprintf(buf, len, "%dx%dx%dx%dx%d", s.n, s.c, s.d, s.h, s.w);
    else
        snprintf(buf, len, "%dx%dx%d", s.c, s.h, s.w);
    return buf;
}
