/* tests/unit/reliability_data.c: regression tests for what fuzzing the SDK's data loaders
 * found (fuzz/data_idx.c, docs/security.md): an IDX header may announce any size, and the
 * loader must answer from the bytes that are really there, never allocate what a 40-byte file
 * claims, and never overflow while multiplying the dimensions. */
#include "test_util.h"

#include <codebench/data.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static char *write_tmp(const char *name, const uint8_t *buf, size_t n)
{
    char *p = NULL;
    cr_assert(ge(int, asprintf(&p, "/tmp/cb_rel_%ld_%s", (long)getpid(), name), 0));
    FILE *f = fopen(p, "wb");
    cr_assert(ne(ptr, f, NULL), "cannot write %s", p);
    cr_assert(eq(sz, fwrite(buf, 1, n, f), n));
    fclose(f);
    return p;
}

/* Caps this test process's address space at what it uses now plus 1 GiB, so an allocation of
 * what a header announces (16 GB) fails instead of being quietly overcommitted; the loader
 * must not need it. ASan reserves terabytes of shadow up front, so it is left alone there. */
static void cap_address_space(void)
{
#ifndef UNDER_ASAN
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    if (pages > 0) {
        struct rlimit r = {.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + (1ull << 30)};
        r.rlim_max = RLIM_INFINITY;
        struct rlimit old;
        if (getrlimit(RLIMIT_AS, &old) == 0 && old.rlim_max != RLIM_INFINITY)
            r.rlim_max = old.rlim_max, r.rlim_cur = r.rlim_cur < old.rlim_max ? r.rlim_cur : old.rlim_max;
        setrlimit(RLIMIT_AS, &r);
    }
#endif
}

/* The input fuzz/data_idx reported (libFuzzer: out-of-memory, malloc(16777216008)): 2 labels,
 * and an image file whose header announces 4194304002 images of 2x2 followed by 8 bytes. */
Test(reliability_data, idx_header_announcing_16gb_is_truncation_not_allocation)
{
    static const uint8_t labels[] = {0, 0, 8, 1, 0, 0, 0, 2, 0, 1};
    static const uint8_t images[] = {0, 0, 8, 3, 0xfa, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2,
                                     0, 1, 2, 3, 4, 5, 6, 7};
    char *lp = write_tmp("l.idx", labels, sizeof labels), *ip = write_tmp("i.idx", images, sizeof images);
    cap_address_space();
    cb_dataset d;
    cb_error e = {0};
    int rc = cb_data_load_idx(ip, lp, &d, &e);
    unlink(lp);
    unlink(ip);
    cr_assert(eq(int, rc, CB_EINVAL), "%s", e.msg);
    char want[600];
    snprintf(want, sizeof want, "%s: truncated: expected 16777216008 bytes of pixels, found 8", ip);
    cr_assert(eq(str, e.msg, want));
    free(lp);
    free(ip);
}

/* 0xffffffff images of 65535x65535: the byte count overflows int64_t; it is refused by its
 * size, with the dimensions named. */
Test(reliability_data, idx_dimensions_that_overflow_are_refused)
{
    static const uint8_t labels[] = {0, 0, 8, 1, 0, 0, 0, 1, 0};
    static const uint8_t images[] = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 9};
    char *lp = write_tmp("l2.idx", labels, sizeof labels), *ip = write_tmp("i2.idx", images, sizeof images);
    cb_dataset d;
    cb_error e = {0};
    int rc = cb_data_load_idx(ip, lp, &d, &e);
    unlink(lp);
    unlink(ip);
    cr_assert(eq(int, rc, CB_EINVAL), "%s", e.msg);
    char want[600];
    snprintf(want, sizeof want, "%s: header announces 4294967295 images of 65535x65535, more than 17179869184 bytes", ip);
    cr_assert(eq(str, e.msg, want));
    free(lp);
    free(ip);
}
