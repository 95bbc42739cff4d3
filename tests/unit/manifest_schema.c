/* tests/unit/manifest_schema.c: the key tables themselves (every default parses, required keys
 * have none, docs/manifest.md names every key), required plugin parameters, pack-qualified
 * plugin names, plugin_path resolved against the manifest's folder, and the default search
 * path when the caller's registry is empty. */
#include "manifest_util.h"
#include "plugin/param.h"
#include "test_util.h"
#include "util/util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables ---- */

typedef void (*row_fn)(const char *path, const cb_key *k, void *ctx);

/* Calls fn for every row of t and its nested mappings, with the row's dotted path. */
static void each_row(const cb_table *t, const char *prefix, row_fn fn, void *ctx)
{
    for (const cb_key *k = t->keys; k->p.name; k++) {
        char *path = cb_xasprintf("%s%s%s", prefix, *prefix ? "." : "", k->p.name);
        fn(path, k, ctx);
        if (k->node == CB_N_MAP)
            each_row(k->sub, path, fn, ctx);
        free(path);
    }
}

static void check_default(const char *path, const cb_key *k, void *ctx)
{
    char why[512];
    cb_value v;
    cb_list l = {0};
    if (k->flags & CB_K_REQUIRED)
        cr_expect(eq(ptr, (void *)k->p.def, NULL), "%s: a required key with a default", path);
    if (!k->p.def)
        return;
    if (k->node == CB_N_SCALAR)
        cr_expect(eq(int, cb_param_parse(&k->p, k->p.def, false, &v, why, sizeof why), CB_OK),
                  "%s: default '%s': %s", path, k->p.def, why);
    else if (k->node == CB_N_LIST) {
        cr_expect(eq(int, cb_list_default(&k->p, &l, why, sizeof why), CB_OK), "%s: %s", path, why);
        cb_list_free(&l);
    } else
        cr_fail("%s: only scalars and lists take a default", path);
    cr_expect(ne(ptr, (void *)k->p.help, NULL), "%s: no help text", path);
}

Test(manifest_schema, every_default_parses)
{
    each_row(&cb_manifest_schema, "", check_default, NULL);
}

static void documented(const char *path, const cb_key *k, void *docs)
{
    char quoted[300];
    snprintf(quoted, sizeof quoted, "`%s`", path);
    cr_expect(ne(ptr, strstr(docs, quoted), NULL), "docs/manifest.md does not document %s", quoted);
}

Test(manifest_schema, docs_name_every_key)
{
    char *path = cb_test_src("docs/manifest.md");
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "cannot read %s", path);
    static char docs[1 << 17];
    size_t n = fread(docs, 1, sizeof docs - 1, f);
    docs[n] = '\0';
    fclose(f);
    free(path);
    each_row(&cb_manifest_schema, "", documented, docs);
    const char *refs[] = {"`plugin`", "`params`", "`attrs`"};
    for (size_t i = 0; i < 3; i++)
        cr_expect(ne(ptr, strstr(docs, refs[i]), NULL), "docs/manifest.md does not document %s", refs[i]);
}

/* ---- plugins ---- */

static const char *MINIMAL_WITH =
    "codebench: 1\n"
    "cnn:\n"
    "  input: {channels: 1, height: 8, width: 8}\n"
    "  classes: 2\n"
    "  ops: [fixtures/fx_op]\n"
    "accelerator:\n"
    "  mac: [fixtures/fx_mac]\n"
    "  memory: [%s]\n"
    "search: %s\n"
    "trainer: fixtures/fx_trainer\n"
    "%s";

static char *manifest_text(const char *memory, const char *search, const char *extra)
{
    char *s = NULL;
    cr_assert(asprintf(&s, MINIMAL_WITH, memory, search, extra) > 0);
    return s;
}

/* A search plugin whose parameter has no default: the manifest must give it. It lives in this
 * test, added to the registry by hand, so that the shared fixture pack stays as it is. */
static const cb_param req_params[] = {
    {"depth", CB_T_INT, NULL, 1, 10, NULL, "", "required", 0},
    {"width", CB_T_INT, "4", 1, 10, NULL, "", "optional", 0},
    {NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0},
};
static const cb_plugin req_plugin = {sizeof(cb_plugin), CB_KIND_SEARCH, "fx_required", "1.0.0",
                                     "test-only", req_params, NULL, NULL, NULL};
static const cb_plugin *const req_list[] = {&req_plugin, NULL};
static const cb_pack req_pack = {CB_ABI_MAJOR, CB_ABI_MINOR, sizeof(cb_pack), CB_SIZES, "req",
                                 "1.0.0", "MIT", "test", req_list};
static cb_pack_file req_file = {"(in the test)", NULL, &req_pack};

static void add_required_plugin(cb_registry *r)
{
    cb_grow(&r->entries, sizeof *r->entries, r->n_entries + 1, &r->cap_entries);
    r->entries[r->n_entries++] = (cb_entry){&req_plugin, &req_file};
}

/* Loads text as a manifest from a temporary folder (removed again: m keeps the text). */
static int load_text(const char *text, cb_registry *reg, cb_manifest *m, cb_diag *d)
{
    char *dir = mt_tmpdir();
    char *path = mt_write(dir, "m.yaml", text);
    int rc = cb_manifest_load(path, reg, m, d);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
    return rc;
}

Test(manifest_schema, required_parameter_must_be_given)
{
    cb_registry reg;
    mt_registry(&reg);
    add_required_plugin(&reg);
    cb_manifest m;
    cb_diag d;
    char *text = manifest_text("fx_mem", "fx_required", "");
    cr_assert(eq(int, load_text(text, &reg, &m, &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "search plugin 'fx_required': missing required parameter 'depth'"));
    cr_expect(eq(int, d.at.line, 9));
    cr_expect(eq(int, d.at.col, 9));
    free(text);
    text = manifest_text("fx_mem", "{plugin: fx_required, params: {depth: 3}}", "");
    cr_assert(eq(int, load_text(text, &reg, &m, &d), CB_OK), "%s", d.msg);
    cr_expect(eq(i64, m.search.ref.values[0].i, 3));
    cr_expect(eq(i64, m.search.ref.values[1].i, 4));
    cb_manifest_free(&m);
    free(text);
    cb_registry_free(&reg);
}

Test(manifest_schema, pack_qualified_names)
{
    cb_registry reg;
    mt_registry(&reg);
    cb_manifest m;
    cb_diag d;
    char *text = manifest_text("fixtures/fx_mem", "fixtures/fx_search", "");
    cr_assert(eq(int, load_text(text, &reg, &m, &d), CB_OK), "%s", d.msg);
    cr_expect(eq(str, (char *)m.accel.memory.v[0].entry->file->pack->name, "fixtures"));
    cb_manifest_free(&m);
    free(text);
    text = manifest_text("elsewhere/fx_mem", "fx_search", "");
    cr_assert(eq(int, load_text(text, &reg, &m, &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "unknown memory plugin 'elsewhere/fx_mem' (did you mean 'fx_mem'?)"));
    free(text);
    cb_registry_free(&reg);
}

/* An empty registry is filled from the manifest's plugin_path (relative to its folder) and the
 * default search path. Other fixture packs may be on that path too (the unit test binary's own
 * folder holds them), so names are pack-qualified. */
Test(manifest_schema, plugin_path_is_relative_to_the_manifest)
{
    char *dir = mt_tmpdir(), *plugins = NULL, *so = cb_test_path("tests/plugins/good/fixture_pack.so");
    cr_assert(asprintf(&plugins, "%s/plugins", dir) > 0);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, "mkdir -p '%s' && cp '%s' '%s/' && chmod 755 '%s' '%s'", plugins, so,
                       plugins, dir, plugins) > 0);
    cr_assert(eq(int, system(cmd), 0));
    char *text = manifest_text("fixtures/fx_mem", "fixtures/fx_search", "plugin_path: [plugins]\n");
    char *path = mt_write(dir, "m.yaml", text);
    cb_registry reg;
    cb_registry_init(&reg);
    cb_manifest m;
    cb_diag d;
    cr_assert(eq(int, cb_manifest_load(path, &reg, &m, &d), CB_OK), "%s", d.msg);
    cr_expect(eq(str, m.plugin_dirs[0], plugins));
    bool found = false;
    for (size_t i = 0; i < reg.n_files; i++)
        found |= strstr(reg.files[i]->path, plugins) == reg.files[i]->path;
    cr_expect(found, "the manifest's plugin folder was not loaded");
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    free(cmd);
    cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    cr_expect(eq(int, system(cmd), 0));
    free(cmd);
    free(text);
    free(path);
    free(plugins);
    free(so);
    free(dir);
}

Test(manifest_schema, default_search_path_when_registry_empty)
{
    char *good = cb_test_path("tests/plugins/good");
    setenv("CODEBENCH_PLUGIN_PATH", good, 1);
    cb_registry reg;
    cb_registry_init(&reg);
    cb_manifest m;
    cb_diag d;
    char *text = manifest_text("fixtures/fx_mem", "fixtures/fx_search", "");
    cr_assert(eq(int, load_text(text, &reg, &m, &d), CB_OK), "%s", d.msg);
    cr_expect(eq(str, (char *)m.search.ref.entry->plugin->name, "fx_search"));
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    free(text);
    free(good);
}
