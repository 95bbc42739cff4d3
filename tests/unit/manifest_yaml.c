/* tests/unit/manifest_yaml.c: the YAML layer (core/manifest/yamldoc, yamlerr, diag): what a
 * user sees (the first line, the source line and the caret), 1-based columns that count
 * characters, CRLF files, files that cannot be read, and refusals libyaml does not make. */
#include "manifest/yamldoc.h"
#include "manifest_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Loads text from a temporary file; returns the status, d filled. */
static int load_text(const char *text, cb_diag *d)
{
    char *dir = mt_tmpdir();
    char *path = mt_write(dir, "m.yaml", text);
    cb_yamldoc y;
    int rc = cb_yamldoc_load(&y, path, d);
    if (rc == CB_OK)
        cb_yamldoc_free(&y);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
    return rc;
}

/* What cb_diag_print writes, as a malloc'd string. */
static char *printed(const cb_diag *d)
{
    FILE *f = tmpfile();
    cr_assert(ne(ptr, f, NULL));
    cb_diag_print(d, f);
    long n = ftell(f);
    rewind(f);
    char *out = calloc(1, (size_t)n + 1);
    cr_assert(eq(sz, fread(out, 1, (size_t)n, f), (size_t)n));
    fclose(f);
    return out;
}

Test(manifest_yaml, full_diagnostic_has_source_line_and_caret)
{
    mt_chdir_src();
    cb_registry reg;
    mt_registry(&reg);
    cb_manifest m;
    cb_diag d;
    cr_assert(eq(int, cb_manifest_load("tests/manifests/bad/param_out_of_range.yaml", &reg, &m, &d),
                 CB_EINVAL));
    char *out = printed(&d);
    cr_expect(eq(str, out,
                 "tests/manifests/bad/param_out_of_range.yaml:11:23: memory plugin 'fx_mem': "
                 "parameter 'banks' = 100 is out of range 1..64\n"
                 "        params: {banks: 100}\n"
                 "                        ^\n"));
    free(out);
    cb_registry_free(&reg);
}

Test(manifest_yaml, caret_keeps_tabs_of_the_line)
{
    cb_diag d;
    cr_assert(eq(int, load_text("a:\t1\n", &d), CB_EINVAL));
    cr_expect(eq(int, d.at.line, 1));
    cr_expect(eq(int, d.at.col, 3));
    char *out = printed(&d);
    char *rest = strchr(out, '\n');
    cr_assert(ne(ptr, rest, NULL));
    rest++;
    cr_expect(eq(str, rest, "  a:\t1\n    ^\n"));
    free(out);
}

Test(manifest_yaml, columns_count_characters_not_bytes)
{
    cb_diag d;
    /* "é" is two bytes: the ':' after "café" is character 11, byte 12 */
    cr_assert(eq(int, load_text("name: café: x\n", &d), CB_EINVAL));
    cr_expect(eq(int, d.at.line, 1));
    cr_expect(eq(int, d.at.col, 11));
    /* a reader error is reported by byte offset: converted to the same kind of column */
    cr_assert(eq(int, load_text("a: 1\nname: é\xff\n", &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "the file is not valid UTF-8 text"));
    cr_expect(eq(int, d.at.line, 2));
    cr_expect(eq(int, d.at.col, 8));
}

Test(manifest_yaml, crlf_lines_show_without_carriage_return)
{
    cb_diag d;
    cr_assert(eq(int, load_text("a: 1\r\na: 2\r\n", &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "duplicate key 'a' (first given at 1:1)"));
    cr_expect(eq(int, d.at.line, 2));
    cr_expect(eq(str, d.source, "a: 2"));
}

Test(manifest_yaml, earliest_duplicate_wins)
{
    cb_diag d;
    cr_assert(eq(int, load_text("x: {b: 1, c: 2, b: 3}\ny: 1\ny: 2\nx2: {b: 1, b: 1, b: 1}\n", &d),
                 CB_EINVAL));
    cr_expect(eq(str, d.msg, "duplicate key 'b' (first given at 1:5)"));
    cr_expect(eq(int, d.at.line, 1));
    cr_expect(eq(int, d.at.col, 17));
    /* quoting does not make a key different */
    cr_assert(eq(int, load_text("k: 1\n'k': 2\n", &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "duplicate key 'k' (first given at 1:1)"));
}

Test(manifest_yaml, unreadable_files_have_no_place)
{
    cb_diag d;
    cb_yamldoc y;
    cr_assert(eq(int, cb_yamldoc_load(&y, "/nonexistent/m.yaml", &d), CB_EINVAL));
    cr_expect(eq(int, d.at.line, 0));
    char line[5000];
    cr_expect(eq(str, (char *)cb_diag_line(&d, line, sizeof line),
                 "/nonexistent/m.yaml: cannot read: No such file or directory"));
    cb_yamldoc_free(&y); /* safe after a failure */
    cr_assert(eq(int, cb_yamldoc_load(&y, "/tmp", &d), CB_EINVAL));
    cr_expect(eq(str, d.msg, "cannot read: not a regular file"));
}

Test(manifest_yaml, oversized_file_refused)
{
    char *text = malloc(CB_YAML_MAX_BYTES + 2);
    memset(text, '#', CB_YAML_MAX_BYTES + 1);
    text[CB_YAML_MAX_BYTES + 1] = '\0';
    cb_diag d;
    cr_assert(eq(int, load_text(text, &d), CB_EINVAL));
    cr_expect(eq(int, d.at.line, 0));
    cr_expect(ne(ptr, strstr(d.msg, "larger than 1024 KiB"), NULL), "%s", d.msg);
    free(text);
    /* exactly the limit is accepted (one long comment) */
    text = malloc(CB_YAML_MAX_BYTES + 1);
    memset(text, '#', CB_YAML_MAX_BYTES);
    text[CB_YAML_MAX_BYTES] = '\0';
    cr_expect(eq(int, load_text(text, &d), CB_OK), "%s", d.msg);
    free(text);
}

Test(manifest_yaml, scalar_styles)
{
    mt_chdir_src();
    cb_diag d;
    cb_yamldoc y;
    char *dir = mt_tmpdir();
    char *path = mt_write(dir, "s.yaml", "a: 8\nb: \"8\"\nc: '8'\nd:\ne: ~\nf: |\n  8\n");
    cr_assert(eq(int, cb_yamldoc_load(&y, path, &d), CB_OK), "%s", d.msg);
    yaml_node_t *root = cb_yaml_root(&y);
    cr_expect(eq(int, cb_yaml_is_quoted(cb_yaml_get(&y, root, "a", NULL)), 0));
    cr_expect(cb_yaml_is_quoted(cb_yaml_get(&y, root, "b", NULL)));
    cr_expect(cb_yaml_is_quoted(cb_yaml_get(&y, root, "c", NULL)));
    cr_expect(cb_yaml_is_quoted(cb_yaml_get(&y, root, "f", NULL)), "a block scalar is a string");
    cr_expect(cb_yaml_is_null(cb_yaml_get(&y, root, "d", NULL)));
    cr_expect(cb_yaml_is_null(cb_yaml_get(&y, root, "e", NULL)));
    cr_expect(eq(int, cb_yaml_is_null(cb_yaml_get(&y, root, "b", NULL)), 0));
    cr_expect(eq(ptr, cb_yaml_get(&y, root, "zz", NULL), NULL));
    cb_yamldoc_free(&y);
    remove(path);
    remove(dir);
    free(path);
    free(dir);
}
