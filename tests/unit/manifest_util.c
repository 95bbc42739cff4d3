/* tests/unit/manifest_util.c: see manifest_util.h. */
#include "manifest_util.h"

#include "test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void mt_chdir_src(void)
{
    const char *src = getenv("CODEBENCH_SRC");
    if (src && *src)
        cr_assert(chdir(src) == 0, "cannot cd to CODEBENCH_SRC=%s", src);
}

void mt_registry(cb_registry *r)
{
    cb_registry_init(r);
    cb_error e = {0};
    char *path = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(cb_registry_load_file(r, path, &e) == CB_OK, "%s", e.msg);
    free(path);
}

char *mt_write(const char *dir, const char *name, const char *text)
{
    mkdir(dir, 0755);
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    return path;
}

char *mt_tmpdir(void)
{
    char *dir = strdup("/tmp/cb-manifest-XXXXXX");
    cr_assert(dir && mkdtemp(dir), "mkdtemp failed");
    return dir;
}
