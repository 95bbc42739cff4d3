/* core/manifest/diag.c: see diag.h. */
#include "manifest/diag.h"

#include <stdarg.h>
#include <string.h>

void cb_diag_clear(cb_diag *d)
{
    memset(d, 0, sizeof *d);
}

int cb_diag_set(cb_diag *d, const char *file, cb_mark at, const char *source, const char *fmt, ...)
{
    cb_diag_clear(d);
    d->code = CB_EINVAL;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->at = at;
    snprintf(d->source, sizeof d->source, "%s", source ? source : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return CB_EINVAL;
}

const char *cb_diag_line(const cb_diag *d, char *buf, size_t len)
{
    if (d->at.line > 0)
        snprintf(buf, len, "%s:%d:%d: %s", d->file, d->at.line, d->at.col, d->msg);
    else
        snprintf(buf, len, "%s: %s", d->file, d->msg);
    return buf;
}

void cb_diag_print(const cb_diag *d, FILE *out)
{
    char line[sizeof d->file + sizeof d->msg + 32];
    fprintf(out, "%s\n", cb_diag_line(d, line, sizeof line));
    if (d->at.line <= 0 || !d->source[0])
        return;
    fprintf(out, "  %s\n  ", d->source);
    /* The caret goes under the col-th character; a tab in the line stays a tab so that the
     * caret lines up however the terminal expands it. Columns count characters, so UTF-8
     * continuation bytes add nothing. A column past the (possibly truncated) line puts the
     * caret just after its end. */
    int col = 1;
    for (const char *s = d->source; *s && col < d->at.col; s++) {
        if (((unsigned char)*s & 0xC0) == 0x80)
            continue;
        fputc(*s == '\t' ? '\t' : ' ', out);
        col++;
    }
    fputs("^\n", out);
}
