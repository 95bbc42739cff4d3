/* fuzz/data_idx.c: libFuzzer harness for the IDX loader (sdk/lib/data_idx.c, MNIST and
 * Fashion-MNIST, raw or gzip'd). An input carries both files: its first byte n says how many
 * of the following bytes are the labels file; the rest is the images file. */
#include "fuzz_util.h"

#include <codebench/data.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return -1;
    size_t n = data[0] < size - 1 ? data[0] : size - 1;
    const char *labels = cb_fuzz_file("labels.idx", data + 1, n);
    const char *images = cb_fuzz_file("images.idx", data + 1 + n, size - 1 - n);
    cb_dataset ds;
    cb_error e = {0};
    if (cb_data_load_idx(images, labels, &ds, &e) == CB_OK)
        cb_dataset_free(&ds);
    return 0;
}
