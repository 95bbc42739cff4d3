/* fuzz/data_cifar.c: libFuzzer harness for the CIFAR binary loader (sdk/lib/data_cifar.c):
 * every input is read as a CIFAR-10 file and as a CIFAR-100 file (one of the two is refused by
 * its size at once, so this costs little). */
#include "fuzz_util.h"

#include <codebench/data.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = cb_fuzz_file("batch.bin", data, size);
    for (int c100 = 0; c100 < 2; c100++) {
        cb_dataset ds = {0};
        cb_error e = {0};
        cb_data_load_cifar_file(path, c100, &ds, &e);
        cb_dataset_free(&ds); /* also after a failure: a partial load may hold arrays */
    }
    return 0;
}
