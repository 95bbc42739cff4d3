/* fuzz/spacefile.c: libFuzzer harness for the space-file loader (core/graph/spacefile.c): load
 * a module space (ops, glue, head) against the fuzz build's op plugins, and when it loads, count
 * its modules and heads as `codebench space` does. */
#include "fuzz_util.h"
#include "graph/modspace.h"
#include "graph/spacefile.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cb_registry *reg = cb_fuzz_registry();
    const char *path = cb_fuzz_file("space.yaml", data, size);
    cb_modspace sp;
    cb_diag d;
    memset(&sp, 0, sizeof sp);
    if (cb_spacefile_load(path, reg, &sp, &d) == CB_OK) {
        volatile unsigned __int128 n = cb_modspace_modules(&sp);
        volatile double g = 0;
        if (cb_modspace_has_networks(&sp)) {
            n += cb_modspace_heads(&sp);
            for (int l = 0; l < sp.n_levels; l++)
                g += cb_modspace_log10_graphs(&sp, sp.levels[l]);
        }
        cb_rng rng;
        cb_rng_seed(&rng, size);
        cb_module m;
        cb_modspace_sample_module(&sp, &rng, &m);
        (void)n;
        (void)g;
    }
    cb_modspace_free(&sp);
    return 0;
}
