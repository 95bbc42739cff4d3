/* core/cli/cmd_validate.c: `codebench validate MANIFEST [--quiet]`: load and check a manifest
 * (YAML, schema, plugin names and parameters) without running any plugin code but the packs'
 * pure entry functions. Bad input prints file:line:col, the source line and a caret, exit 2. */
#include "cli/commands.h"
#include "manifest/manifest.h"
#include "plugin/registry.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench validate MANIFEST [--quiet]\n\n"
            "Checks MANIFEST (docs/manifest.md) the way `codebench run` would before starting:\n"
            "YAML syntax, every key and value, plugin names and their parameters. Prints a\n"
            "summary of the sections and bound plugins, or the first problem as\n"
            "FILE:LINE:COL: MESSAGE with the source line and a caret.\n\n"
            "  --quiet   print nothing on success and only the first line of a problem\n\n"
            "Exit status: 0 valid, 2 invalid (or bad arguments).\n");
}

static int parse_args(int argc, char **argv, const char **path, int *quiet)
{
    *path = NULL;
    *quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            *quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "codebench validate: unknown option '%s'\n", argv[i]);
            return CB_EXIT_USAGE;
        } else if (*path) {
            fprintf(stderr, "codebench validate: one manifest at a time ('%s' and '%s')\n", *path,
                    argv[i]);
            return CB_EXIT_USAGE;
        } else {
            *path = argv[i];
        }
    }
    if (!*path) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    return CB_EXIT_OK;
}

int cb_cmd_validate(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    const char *path;
    int quiet, rc = parse_args(argc, argv, &path, &quiet);
    if (rc != CB_EXIT_OK)
        return rc;
    cb_registry reg;
    cb_registry_init(&reg);
    cb_manifest m;
    cb_diag d;
    if (cb_manifest_load(path, &reg, &m, &d) != CB_OK) {
        char line[sizeof d.file + sizeof d.msg + 32];
        if (quiet)
            fprintf(stderr, "%s\n", cb_diag_line(&d, line, sizeof line));
        else
            cb_diag_print(&d, stderr);
        cb_registry_free(&reg);
        return CB_EXIT_USAGE;
    }
    if (!quiet)
        cb_manifest_print(&m, stdout);
    cb_manifest_free(&m);
    cb_registry_free(&reg);
    return CB_EXIT_OK;
}
