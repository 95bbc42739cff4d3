/* fuzz/fuzz_util.h: what the libFuzzer harnesses share (fuzz/README in docs/security.md).
 *
 * Owns: the one temporary folder a harness process writes into (made on first use, removed
 * with its files at exit), writing an input there as a file (every loader under test reads a
 * path, not a buffer), and the plugin registry the loaders resolve names against (the fuzz
 * build's in-tree plugins and the test fixture pack, found through $CB_FUZZ_BUILD). */
#ifndef CB_FUZZ_UTIL_H
#define CB_FUZZ_UTIL_H

#include "plugin/registry.h"

#include <stddef.h>
#include <stdint.h>

/* The harness's private temporary folder ($TMPDIR or /tmp, cb-fuzz-XXXXXX). */
const char *cb_fuzz_dir(void);

/* Writes data to <dir>/<name> (replacing it) and returns the path (static storage per name
 * slot: the returned string lives until the next call with the same name). Aborts on I/O
 * failure: a harness that cannot write its input would report nothing. */
const char *cb_fuzz_file(const char *name, const uint8_t *data, size_t size);

/* A registry with the fuzz build's plugins and the fixture pack, loaded once. */
cb_registry *cb_fuzz_registry(void);

#endif
