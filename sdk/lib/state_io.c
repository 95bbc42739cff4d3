/* state_io.c: the sticky state writer and bounds-checked reader (see codebench/state.h). */
#include <codebench/state.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_sw_init(cb_state_writer *s, cb_write w, void *ctx)
{
    s->w = w;
    s->ctx = ctx;
    s->bad = 0;
}

void cb_sw_bytes(cb_state_writer *s, const void *p, size_t n)
{
    if (!s->bad && n && s->w(s->ctx, p, n) != CB_OK)
        s->bad = 1;
}

void cb_sw_u64(cb_state_writer *s, uint64_t v)
{
    cb_sw_bytes(s, &v, sizeof v);
}

void cb_sw_i64(cb_state_writer *s, int64_t v)
{
    cb_sw_bytes(s, &v, sizeof v);
}

void cb_sw_f64(cb_state_writer *s, double v)
{
    cb_sw_bytes(s, &v, sizeof v);
}

void cb_sw_f32s(cb_state_writer *s, const float *v, size_t n)
{
    cb_sw_u64(s, n);
    cb_sw_bytes(s, v, n * sizeof *v);
}

void cb_sw_f64s(cb_state_writer *s, const double *v, size_t n)
{
    cb_sw_u64(s, n);
    cb_sw_bytes(s, v, n * sizeof *v);
}

void cb_sw_tag(cb_state_writer *s, const char *tag)
{
    char t[8] = {0};
    memcpy(t, tag, strnlen(tag, sizeof t));
    cb_sw_bytes(s, t, sizeof t);
}

void cb_sr_init(cb_state_reader *s, const void *buf, size_t len)
{
    memset(s, 0, sizeof *s);
    s->p = buf;
    s->len = buf ? len : 0;
}

void cb_sr_fail(cb_state_reader *s, const char *why)
{
    if (!s->bad)
        snprintf(s->why, sizeof s->why, "%s", why);
    s->bad = 1;
}

void cb_sr_bytes(cb_state_reader *s, void *p, size_t n)
{
    if (s->bad) {
        memset(p, 0, n);
        return;
    }
    if (n > s->len - s->off) {
        char why[128];
        snprintf(why, sizeof why, "the state ends at byte %zu, %zu more expected", s->len, n);
        cb_sr_fail(s, why);
        memset(p, 0, n);
        return;
    }
    memcpy(p, s->p + s->off, n);
    s->off += n;
}

uint64_t cb_sr_u64(cb_state_reader *s)
{
    uint64_t v;
    cb_sr_bytes(s, &v, sizeof v);
    return v;
}

int64_t cb_sr_i64(cb_state_reader *s)
{
    int64_t v;
    cb_sr_bytes(s, &v, sizeof v);
    return v;
}

double cb_sr_f64(cb_state_reader *s)
{
    double v;
    cb_sr_bytes(s, &v, sizeof v);
    return v;
}

static int count_is(cb_state_reader *s, size_t n)
{
    uint64_t got = cb_sr_u64(s);
    if (!s->bad && got != n) {
        char why[128];
        snprintf(why, sizeof why, "the state holds %llu values where %zu belong",
                 (unsigned long long)got, n);
        cb_sr_fail(s, why);
    }
    return !s->bad;
}

void cb_sr_f32s(cb_state_reader *s, float *v, size_t n)
{
    if (count_is(s, n))
        cb_sr_bytes(s, v, n * sizeof *v);
}

void cb_sr_f64s(cb_state_reader *s, double *v, size_t n)
{
    if (count_is(s, n))
        cb_sr_bytes(s, v, n * sizeof *v);
}

uint64_t cb_sr_count(cb_state_reader *s, uint64_t max)
{
    uint64_t n = cb_sr_u64(s);
    if (!s->bad && n > max) {
        char why[128];
        snprintf(why, sizeof why, "the state names %llu items, at most %llu fit",
                 (unsigned long long)n, (unsigned long long)max);
        cb_sr_fail(s, why);
    }
    return s->bad ? 0 : n;
}

void cb_sr_tag(cb_state_reader *s, const char *tag)
{
    char want[8] = {0}, got[8];
    memcpy(want, tag, strnlen(tag, sizeof want));
    cb_sr_bytes(s, got, sizeof got);
    if (!s->bad && memcmp(want, got, sizeof got)) {
        char why[128];
        snprintf(why, sizeof why, "section '%.8s' expected in the state", tag);
        cb_sr_fail(s, why);
    }
}

int cb_sr_done(cb_state_reader *s)
{
    if (!s->bad && s->off != s->len) {
        char why[128];
        snprintf(why, sizeof why, "%zu unread bytes at the end of the state", s->len - s->off);
        cb_sr_fail(s, why);
    }
    return !s->bad;
}

int cb_state_buf_write(void *ctx, const void *data, size_t len)
{
    cb_state_buf *m = ctx;
    if (m->len + len > m->cap) {
        size_t cap = (m->len + len) * 2;
        char *np = realloc(m->p, cap);
        if (!np)
            return CB_EFAIL;
        m->p = np;
        m->cap = cap;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return CB_OK;
}
