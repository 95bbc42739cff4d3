/* core/cli/cmd_validate.c: `codebench validate MANIFEST [--quiet]`: load and check a manifest
 * (YAML, schema, plugin names and parameters) and bind the search the way `run` does: its
 * instance is created and started on the space, then destroyed, so that a combination of
 * parameters the search refuses (checks that span several parameters live in its create())
 * is reported here too. No trainer, MAC or memory plugin code runs but the packs' pure entry
 * functions. Bad input prints file:line:col, the source line and a caret, exit 2. */
#include "cli/commands.h"
#include "manifest/manifest.h"
#include "plugin/registry.h"
#include "runner/study.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench validate MANIFEST [--quiet]\n\n"
            "Checks MANIFEST (docs/manifest.md) the way `codebench run` would before starting:\n"
            "YAML syntax, every key and value, plugin names and their parameters, and the\n"
            "search plugin's own checks of its parameters together (its instance is created\n"
            "and started on the space, then destroyed). Prints a summary of the sections and\n"
            "bound plugins, or the first problem as\n"
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
    /* The study as `run`'s coordinator opens it: the manifest, its plugins and parameters,
     * every model card with its shapes, and the search instance created and started (so
     * that a refusal names the manifest node of the offending parameter). The workers'
     * instances are left out: creating a trainer may probe its runtime, which is `run`'s
     * business, not the manifest's. */
    cb_study st;
    cb_diag d;
    if (cb_study_open(path, CB_ROLE_COORDINATOR, &st, &d) != CB_OK) {
        char line[sizeof d.file + sizeof d.msg + 32];
        if (quiet)
            fprintf(stderr, "%s\n", cb_diag_line(&d, line, sizeof line));
        else
            cb_diag_print(&d, stderr);
        cb_study_close(&st);
        return d.code == CB_EFAIL ? CB_EXIT_FAIL : CB_EXIT_USAGE;
    }
    if (!quiet) {
        cb_manifest_print(&st.m, stdout);
        printf("  candidates   %lld CNNs; accelerator space of %d axes\n", (long long)st.space.n_cnn,
               st.space.n_axes);
    }
    cb_study_close(&st);
    return CB_EXIT_OK;
}
