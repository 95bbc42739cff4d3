/* tests/unit/test_util.c: see test_util.h. */
#include "test_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static char *join(const char *base, const char *fmt, va_list ap)
{
    char tail[2048];
    vsnprintf(tail, sizeof tail, fmt, ap);
    char *out = NULL;
    if (asprintf(&out, "%s/%s", base, tail) < 0)
        abort();
    return out;
}

char *cb_test_path(const char *fmt, ...)
{
    const char *base = getenv("CODEBENCH_BUILD");
    va_list ap;
    va_start(ap, fmt);
    char *s = join(base && *base ? base : "build", fmt, ap);
    va_end(ap);
    return s;
}

char *cb_test_src(const char *fmt, ...)
{
    const char *base = getenv("CODEBENCH_SRC");
    va_list ap;
    va_start(ap, fmt);
    char *s = join(base && *base ? base : ".", fmt, ap);
    va_end(ap);
    return s;
}
