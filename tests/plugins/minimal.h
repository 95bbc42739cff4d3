/* tests/plugins/minimal.h: the smallest valid memory plugin, and a pack macro that lets a
 * fixture set the ABI fields by hand, for the fixtures that each break one rule. Test-only. */
#ifndef CB_TEST_MINIMAL_H
#define CB_TEST_MINIMAL_H
#include <codebench/codebench.h>
#include <string.h>

static int minimal_describe(void *self, cb_mem_model *m, cb_error *e)
{
    (void)self;
    (void)e;
    memset(m, 0, sizeof *m);
    m->size = sizeof *m;
    return CB_OK;
}
static void minimal_access(void *self, uint64_t addr, uint64_t bytes, cb_access k, uint64_t now,
                           cb_mem_cost *c)
{
    (void)self; (void)addr; (void)k;
    c->done_ps = now + bytes;
    c->energy_pj = 0;
}
static void minimal_reset(void *self) { (void)self; }
static const cb_memory_vt minimal_vt = {sizeof minimal_vt, minimal_describe, minimal_access,
                                        minimal_reset};

#define MINIMAL_MEM(VAR, NAME)                                                           \
    static const cb_plugin VAR = {sizeof(cb_plugin), CB_KIND_MEMORY, NAME, "1.0.0",      \
                                  "minimal memory fixture", NULL, NULL, NULL, &minimal_vt}

#define RAW_PACK(MAJOR, MINOR, SIZES, NAME, ...)                                             \
    CB_EXPORT const cb_pack *codebench_plugins(void);                                        \
    CB_EXPORT const cb_pack *codebench_plugins(void)                                         \
    {                                                                                        \
        static const cb_plugin *const list_[] = {__VA_ARGS__, NULL};                         \
        static const cb_pack pack_ = {MAJOR, MINOR, sizeof(cb_pack), SIZES, NAME, "1.0.0",  \
                                      "MIT", "codebench tests", list_};                     \
        return &pack_;                                                                       \
    }
#endif
