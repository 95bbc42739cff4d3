/* tests/unit/plugin_load.c: loading real .so fixtures; each refusal is one line naming the
 * file and the reason (versions, symbol, parameter). */
#include "plugin/registry.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *fixture(const char *name)
{
    return cb_test_path("tests/plugins/%s.so", name);
}

/* Loads one fixture and returns the refusal message ("" when accepted). */
static void load_one(const char *name, int *rc, char *msg, size_t len)
{
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    memset(&e, 0, sizeof e);
    char *path = fixture(name);
    *rc = cb_registry_load_file(&r, path, &e);
    snprintf(msg, len, "%s", *rc ? e.msg : "");
    if (*rc) {
        cr_assert(eq(sz, r.n_refused, 1));
        cr_assert(eq(str, r.refused[0].why, e.msg));
        cr_assert(eq(sz, r.n_entries, 0));
    }
    /* one line: no newline inside the message */
    cr_assert(eq(ptr, strchr(msg, '\n'), NULL), "message has a newline: %s", msg);
    /* the message starts with the file's path */
    if (*rc)
        cr_assert(eq(int, strncmp(msg, path, strlen(path)), 0), "'%s' does not start with '%s'", msg, path);
    free(path);
    cb_registry_free(&r);
}

Test(plugin_load, good_pack_accepted)
{
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    char *path = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(eq(int, cb_registry_load_file(&r, path, &e), CB_OK), "%s", e.msg);
    cr_assert(eq(sz, r.n_entries, 5));
    const cb_entry *en = cb_registry_find(&r, CB_KIND_MEMORY, "fx_mem", &e);
    cr_assert(ne(ptr, (void *)en, NULL));
    cr_assert(eq(str, (char *)en->file->pack->name, "fixtures"));
    /* loading the same file twice adds nothing */
    cr_assert(eq(int, cb_registry_load_file(&r, path, &e), CB_OK));
    cr_assert(eq(sz, r.n_entries, 5));
    free(path);
    cb_registry_free(&r);
}

Test(plugin_load, wrong_major)
{
    int rc;
    char msg[600], want[600];
    load_one("abi_major", &rc, msg, sizeof msg);
    char *path = fixture("abi_major");
    snprintf(want, sizeof want,
             "%s: built for plugin ABI 2.0, this codebench provides %d.%d (rebuild it against the installed SDK)",
             path, CB_ABI_MAJOR, CB_ABI_MINOR);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(eq(str, msg, want));
    free(path);
}

Test(plugin_load, newer_minor)
{
    int rc;
    char msg[600], want[600];
    load_one("abi_minor_newer", &rc, msg, sizeof msg);
    char *path = fixture("abi_minor_newer");
    snprintf(want, sizeof want,
             "%s: built for plugin ABI %d.%d, this codebench provides %d.%d (it needs a newer codebench)",
             path, CB_ABI_MAJOR, CB_ABI_MINOR + 1, CB_ABI_MAJOR, CB_ABI_MINOR);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(eq(str, msg, want));
    free(path);
}

Test(plugin_load, missing_entry_symbol)
{
    int rc;
    char msg[600];
    load_one("no_entry", &rc, msg, sizeof msg);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(msg, ": no entry point 'codebench_plugins'"), NULL), "%s", msg);
}

Test(plugin_load, undefined_symbol)
{
    int rc;
    char msg[600];
    load_one("undefined_symbol", &rc, msg, sizeof msg);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(msg, ": cannot load: "), NULL), "%s", msg);
    cr_assert(ne(ptr, strstr(msg, "undefined symbol: cb_missing_host_symbol"), NULL), "%s", msg);
}

Test(plugin_load, bad_type_sizes)
{
    int rc;
    char msg[600];
    load_one("bad_sizes", &rc, msg, sizeof msg);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(msg, "built with other type sizes"), NULL), "%s", msg);
}

Test(plugin_load, duplicate_name)
{
    int rc;
    char msg[600];
    load_one("dup_name", &rc, msg, sizeof msg);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(msg, "plugin 'fx_dup' (memory) is defined twice in pack 'dup'"), NULL), "%s", msg);
}

Test(plugin_load, default_out_of_range)
{
    int rc;
    char msg[600], want[600];
    load_one("bad_default", &rc, msg, sizeof msg);
    char *path = fixture("bad_default");
    snprintf(want, sizeof want,
             "%s: pack 'bad-default' 1.0.0: plugin 'fx_bad_default' (memory): parameter 'banks': "
             "default 100 is out of range 1..64",
             path);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(eq(str, msg, want));
    free(path);
}

Test(plugin_load, vtable_too_small)
{
    int rc;
    char msg[600];
    load_one("small_vtable", &rc, msg, sizeof msg);
    cr_assert(eq(int, rc, CB_EINVAL));
    cr_assert(ne(ptr, strstr(msg, "plugin 'fx_tiny' (search): vtable is"), NULL), "%s", msg);
}

/* Copies a fixture into a fresh folder of our own, so modes can be changed freely. */
static char *copy_fixture(const char *name, char *dir, size_t dir_len)
{
    snprintf(dir, dir_len, "/tmp/cb-plugin-test-XXXXXX");
    cr_assert(ne(ptr, mkdtemp(dir), NULL));
    char *src = cb_test_path("tests/plugins/good/%s.so", name);
    char *dst = NULL;
    cr_assert(gt(int, asprintf(&dst, "%s/%s.so", dir, name), 0));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", src, dst);
    cr_assert(eq(int, system(cmd), 0));
    free(src);
    return dst;
}

Test(plugin_load, world_writable_file)
{
    char dir[64];
    char *path = copy_fixture("fixture_pack", dir, sizeof dir);
    chmod(path, 0666);
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    cr_assert(eq(int, cb_registry_load_file(&r, path, &e), CB_EINVAL));
    char want[600];
    snprintf(want, sizeof want, "%s: refused: the file is writable by others (chmod go-w to trust it)", path);
    cr_assert(eq(str, e.msg, want));
    cb_registry_free(&r);
    unlink(path);
    rmdir(dir);
    free(path);
}

Test(plugin_load, group_writable_folder)
{
    char dir[64];
    char *path = copy_fixture("fixture_pack", dir, sizeof dir);
    chmod(path, 0644);
    chmod(dir, 0770);
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    cr_assert(eq(int, cb_registry_load_dir(&r, dir, &e), CB_EINVAL));
    cr_assert(ne(ptr, strstr(e.msg, "the folder is writable by its group"), NULL), "%s", e.msg);
    cr_assert(eq(sz, r.n_entries, 0));
    cb_registry_free(&r);
    unlink(path);
    rmdir(dir);
    free(path);
}

Test(plugin_load, dir_skips_refused_files_and_keeps_good_ones)
{
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    char *dir = cb_test_path("tests/plugins");
    cr_assert(eq(int, cb_registry_load_dir(&r, dir, &e), CB_OK), "%s", e.msg);
    /* good/fixture_pack (5) + good/faulty_trainer (1) + other_pack (1) accepted; 8 refused */
    cr_assert(eq(sz, r.n_entries, 7));
    cr_assert(eq(sz, r.n_refused, 8));
    /* fx_mem now comes from two packs: the plain name is ambiguous, pack/name is not */
    const cb_entry *en = cb_registry_find(&r, CB_KIND_MEMORY, "fx_mem", &e);
    cr_assert(eq(ptr, (void *)en, NULL));
    cr_assert(ne(ptr, strstr(e.msg, "is provided by two packs: write 'fixtures/fx_mem'"), NULL), "%s", e.msg);
    en = cb_registry_find(&r, CB_KIND_MEMORY, "other/fx_mem", &e);
    cr_assert(ne(ptr, (void *)en, NULL), "%s", e.msg);
    cr_assert(eq(str, (char *)en->file->pack->name, "other"));
    free(dir);
    cb_registry_free(&r);
}

Test(plugin_load, unknown_name_did_you_mean)
{
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    char *path = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(eq(int, cb_registry_load_file(&r, path, &e), CB_OK));
    cr_assert(eq(ptr, (void *)cb_registry_find(&r, CB_KIND_MEMORY, "fx_men", &e), NULL));
    cr_assert(eq(str, e.msg, "unknown memory plugin 'fx_men' (did you mean 'fx_mem'?)"));
    /* names resolve per kind: fx_mem is not a search plugin */
    cr_assert(eq(ptr, (void *)cb_registry_find(&r, CB_KIND_SEARCH, "fx_mem", &e), NULL));
    free(path);
    cb_registry_free(&r);
}

Test(plugin_load, env_path_never_current_folder)
{
    cb_registry r;
    cb_registry_init(&r);
    cb_error e;
    char *good = cb_test_path("tests/plugins/good");
    char *env = NULL;
    cr_assert(gt(int, asprintf(&env, ".:%s", good), 0));
    setenv("CODEBENCH_PLUGIN_PATH", env, 1);
    cr_assert(eq(int, cb_registry_load_default(&r, NULL, 0, &e), CB_OK));
    unsetenv("CODEBENCH_PLUGIN_PATH");
    cr_assert(ne(ptr, (void *)cb_registry_find(&r, CB_KIND_MEMORY, "fx_mem", &e), NULL), "%s", e.msg);
    bool dot_refused = false;
    for (size_t i = 0; i < r.n_refused; i++)
        dot_refused |= strstr(r.refused[i].why, "entry '.' ignored") != NULL;
    cr_assert(dot_refused);
    free(good);
    free(env);
    cb_registry_free(&r);
}
