/* tests/plugins/fixture.h: what the fixture pack's fx_mem instance records of the values its
 * create() received, so the libffi binding tests can read them back. Test-only. */
#ifndef CB_TEST_FIXTURE_H
#define CB_TEST_FIXTURE_H
#include <stdint.h>

typedef struct fx_mem_self {
    int64_t banks;
    double clock_ghz;
    int ecc;
    char label[64];
    int policy;
} fx_mem_self;

#endif
