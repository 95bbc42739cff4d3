/* fuzz/accel_card.c: libFuzzer harness for the accelerator-card loader (core/sim/accel_card.c):
 * load and check a card against the fuzz build's MAC and memory plugins, then create the two
 * instances it names (their create() sees the parsed values) and destroy them. */
#include "fuzz_util.h"
#include "host/host.h"
#include "sim/accel_card.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_registry *reg = cb_fuzz_registry();
    const char *path = cb_fuzz_file("accel.yaml", data, size);
    cb_accel_card c;
    cb_diag d;
    memset(&c, 0, sizeof c);
    if (cb_accel_card_load(path, reg, &c, &d) == CB_OK) {
        cb_instance mac, mem;
        if (cb_accel_card_create(&c, &mac, &mem, &d) == CB_OK) {
            cb_host *hosts[2] = {mac.host, mem.host};
            cb_instance_destroy(&mac);
            cb_instance_destroy(&mem);
            cb_host_free(hosts[0]);
            cb_host_free(hosts[1]);
        }
    }
    cb_accel_card_free(&c);
    return 0;
}
