/* tests/unit/manifest_bad.c: the corpus of bad manifests. Each tests/manifests/bad/NAME.yaml
 * starts with "# expect: LINE:COL: message"; loading it must fail with CB_EINVAL and exactly
 * "tests/manifests/bad/NAME.yaml:LINE:COL: message" as the diagnostic's first line. A new case
 * is just a new file: the folder is read, in name order, and every file is checked (cr_expect,
 * so one bad case does not hide the others). */
#include "manifest_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD_DIR "tests/manifests/bad"
#define MIN_CASES 40 /* the issue asks for at least 40 */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .yaml files of BAD_DIR, sorted; *n gets their count. */
static char **list_cases(size_t *n)
{
    DIR *d = opendir(BAD_DIR);
    cr_assert(d, "cannot open %s (run the tests from the source root)", BAD_DIR);
    char **names = NULL;
    *n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        names = realloc(names, (*n + 1) * sizeof *names);
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, *n, sizeof *names, by_name);
    return names;
}

/* "LINE:COL: message" from the file's first line, or "" when the line is malformed. */
static void expected(const char *path, char *out, size_t len)
{
    char line[1024] = "";
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot read %s", path);
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    const char *tag = "# expect: ";
    int l, c, used = 0;
    out[0] = '\0';
    if (strncmp(line, tag, strlen(tag)) == 0 &&
        sscanf(line + strlen(tag), "%d:%d: %n", &l, &c, &used) == 2 && used > 0 && l > 0 && c > 0)
        snprintf(out, len, "%s", line + strlen(tag));
}

static void check_case(cb_registry *reg, const char *name)
{
    char path[512], want[1024], got[sizeof ((cb_diag *)0)->file + 600];
    snprintf(path, sizeof path, "%s/%s", BAD_DIR, name);
    expected(path, want, sizeof want);
    cr_expect(want[0], "%s: first line is not '# expect: LINE:COL: message'", path);
    if (!want[0])
        return;
    cb_manifest m;
    cb_diag d;
    int rc = cb_manifest_load(path, reg, &m, &d);
    cr_expect(rc == CB_EINVAL, "%s: loading returned %d, expected CB_EINVAL (%d)", path, rc, CB_EINVAL);
    if (rc != CB_EINVAL) {
        cb_manifest_free(&m);
        return;
    }
    char full[sizeof want + 600];
    snprintf(full, sizeof full, "%s:%s", path, want);
    cb_diag_line(&d, got, sizeof got);
    cr_expect(strcmp(got, full) == 0, "%s:\n  expected: %s\n  got:      %s", name, full, got);
    cr_expect(d.code == CB_EINVAL, "%s: diag code %d", name, d.code);
}

Test(manifest_bad, every_bad_manifest_fails_where_it_says)
{
    mt_chdir_src();
    cb_registry reg;
    mt_registry(&reg);
    size_t n;
    char **names = list_cases(&n);
    cr_expect(n >= MIN_CASES, "%zu bad manifests in %s, want at least %d", n, BAD_DIR, MIN_CASES);
    for (size_t i = 0; i < n; i++) {
        check_case(&reg, names[i]);
        free(names[i]);
    }
    free(names);
    cb_registry_free(&reg);
}

/* A failed load leaves nothing behind and the registry usable: load a bad then a good one. */
Test(manifest_bad, failure_leaves_manifest_empty)
{
    mt_chdir_src();
    cb_registry reg;
    mt_registry(&reg);
    cb_manifest m;
    cb_diag d;
    cr_assert(cb_manifest_load(BAD_DIR "/unknown_param.yaml", &reg, &m, &d) == CB_EINVAL);
    cr_assert(m.doc == NULL && m.accel.memory.v == NULL && m.folder == NULL);
    cb_manifest_free(&m); /* safe on the emptied manifest */
    cr_assert(cb_manifest_load("tests/manifests/good/minimal.yaml", &reg, &m, &d) == CB_OK, "%s", d.msg);
    cb_manifest_free(&m);
    cb_registry_free(&reg);
}
