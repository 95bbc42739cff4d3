/* tests/unit/manifest_util.h: what the manifest tests share: a registry holding the fixture
 * pack (and nothing else, so that results do not depend on the machine's plugin folders),
 * the source tree as the current folder, and a manifest loader on top of both. */
#ifndef CB_TEST_MANIFEST_UTIL_H
#define CB_TEST_MANIFEST_UTIL_H

#include "manifest/manifest.h"

/* cd to $CODEBENCH_SRC when set, so that manifest paths are "tests/manifests/..." as in the
 * expected messages; tests run from the source root otherwise. */
void mt_chdir_src(void);

/* Initializes r with the fixture pack ($CODEBENCH_BUILD/tests/plugins/good/fixture_pack.so). */
void mt_registry(cb_registry *r);

/* Writes text to a new file dir/name (dir made when missing); returns the malloc'd path. */
char *mt_write(const char *dir, const char *name, const char *text);

/* A fresh temporary folder under /tmp (malloc'd). */
char *mt_tmpdir(void);

#endif
