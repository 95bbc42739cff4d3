/* fuzz/manifest.c: libFuzzer harness for the manifest loader and validator (core/manifest):
 * every input is written as a manifest file and loaded against the fuzz build's plugins and
 * the fixture pack; a refusal must be a CB_EINVAL with a file:line:col diagnostic. */
#include "fuzz_util.h"
#include "manifest/manifest.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* plugin_path loads (dlopens) every trusted .so under the folders it names: running such
     * code is by design (docs/security.md), so the fuzzer must not point it at /usr/lib. */
    if (memmem(data, size, "plugin_path", 11))
        return -1;
    cb_registry *reg = cb_fuzz_registry();
    const char *path = cb_fuzz_file("m.yaml", data, size);
    cb_manifest m;
    cb_diag d;
    int rc = cb_manifest_load(path, reg, &m, &d);
    if (rc != CB_OK) {
        char line[2048];
        cb_diag_line(&d, line, sizeof line);
        /* every refusal names the file: "path:line:col: message" */
        if (strncmp(line, path, strlen(path)) != 0)
            abort();
    }
    cb_manifest_free(&m);
    return 0;
}
