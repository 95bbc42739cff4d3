/* core/cli/cmd_space.c: `codebench space count|sample|enumerate SPACE`: the size of a CNN
 * design space, random points of it, or all of it. SPACE is a built-in benchmark space (nb101,
 * nb201), a space file (docs/cnnbench.md) or a manifest (its cnn section). */
#include "cli/commands.h"
#include "cli/space.h"
#include "graph/spacefile.h"
#include "graph/spacemanifest.h"
#include "host/pool.h"
#include "manifest/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench space count|sample|enumerate SPACE [options]\n\n"
            "SPACE is nb101 (NAS-Bench-101's cells), nb201 (NAS-Bench-201's), a space file\n"
            "(examples/spaces/cnnbench.yaml; docs/cnnbench.md) or a manifest (its cnn section).\n\n"
            "  count      the space's size: nb101 enumerates and hashes every cell (423,624);\n"
            "             a module space counts modules, heads and CNNs per hierarchy level\n"
            "  sample     random points: cells, or CNNs built through the op plugins (hash,\n"
            "             modules, layers, parameters, MACs; invalid ones say why)\n"
            "  enumerate  every cell, every module class, or every model card\n\n"
            "options:\n"
            "  --count N           samples (default 10)\n"
            "  --limit N           enumerate at most N (default: all)\n"
            "  --seed S            random seed (default 0)\n"
            "  --level S           modules per stack for sampled CNNs (default: the first level)\n"
            "  --threads N         threads for hashing (default 2)\n"
            "  --plugin-path DIR   more plugin folders (repeatable)\n");
}

static int parse_long(const char *s, long lo, long *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo)
        return -1;
    *out = v;
    return 0;
}

static int parse(int argc, char **argv, cb_space_opts *o)
{
    memset(o, 0, sizeof *o);
    o->count = 10;
    o->limit = -1;
    o->threads = 2;
    if (argc < 3)
        return -1;
    static const char *const actions[] = {"count", "sample", "enumerate"};
    int a = 0;
    while (a < 3 && strcmp(argv[1], actions[a]) != 0)
        a++;
    if (a == 3)
        return -1;
    o->action = (cb_space_action)a;
    for (int i = 2; i < argc; i++) {
        long v = 0;
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = strncmp(arg, "--", 2) == 0;
        if (takes && !val)
            return -1;
        if (strcmp(arg, "--count") == 0 && !parse_long(val, 0, &v))
            o->count = v;
        else if (strcmp(arg, "--limit") == 0 && !parse_long(val, 0, &v))
            o->limit = v;
        else if (strcmp(arg, "--seed") == 0 && !parse_long(val, 0, &v))
            o->seed = (uint64_t)v;
        else if (strcmp(arg, "--level") == 0 && !parse_long(val, 1, &v))
            o->level = (int)v;
        else if (strcmp(arg, "--threads") == 0 && !parse_long(val, 1, &v))
            o->threads = (int)v;
        else if (strcmp(arg, "--plugin-path") == 0 && o->n_path < 16)
            o->path[o->n_path++] = val;
        else if (!takes && !o->space) {
            o->space = arg;
            continue;
        } else
            return -1;
        i++;
    }
    return o->space ? 0 : -1;
}

/* A manifest starts with (or somewhere has) a top-level `codebench:` key; a space file not. */
static bool is_manifest(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    bool yes = false;
    while (f && !yes && fgets(line, sizeof line, f))
        yes = strncmp(line, "codebench:", 10) == 0 || strncmp(line, "codebench :", 11) == 0;
    if (f)
        fclose(f);
    return yes;
}

static int run_manifest(const cb_space_opts *o, cb_registry *reg)
{
    cb_manifest m;
    cb_diag d;
    if (cb_manifest_load(o->space, reg, &m, &d)) {
        cb_diag_print(&d, stderr);
        return CB_EXIT_USAGE;
    }
    int rc = CB_EXIT_OK;
    if (m.cnn.space == CB_SPACE_NB101)
        rc = cb_space_nb101(o);
    else if (m.cnn.space == CB_SPACE_NB201)
        rc = cb_space_nb201(o);
    else if (m.cnn.space == CB_SPACE_CARDS)
        rc = cb_space_cards(o, &m, reg);
    else if (m.cnn.space_file_path) { /* the manifest names a space file: that is the space */
        cb_modspace sp;
        if (cb_spacefile_load(m.cnn.space_file_path, reg, &sp, &d)) {
            cb_diag_print(&d, stderr);
            rc = CB_EXIT_USAGE;
        } else {
            rc = cb_space_modules(o, &sp);
            cb_modspace_free(&sp);
        }
    } else {
        cb_modspace sp;
        char why[512];
        if (cb_modspace_from_manifest(&m, &sp, why, sizeof why)) {
            fprintf(stderr, "%s: %s\n", o->space, why);
            rc = CB_EXIT_USAGE;
        } else {
            rc = cb_space_modules(o, &sp);
            cb_modspace_free(&sp);
        }
    }
    cb_manifest_free(&m);
    return rc;
}

static int run_file(const cb_space_opts *o, cb_registry *reg)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    if (cb_registry_load_default(reg, o->path, o->n_path, &e)) {
        fprintf(stderr, "codebench space: %s\n", e.msg);
        return CB_EXIT_USAGE;
    }
    cb_modspace sp;
    cb_diag d;
    if (cb_spacefile_load(o->space, reg, &sp, &d)) {
        cb_diag_print(&d, stderr);
        return CB_EXIT_USAGE;
    }
    int rc = cb_space_modules(o, &sp);
    cb_modspace_free(&sp);
    return rc;
}

int cb_cmd_space(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    cb_space_opts o;
    if (parse(argc, argv, &o)) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    cb_pool_resize(o.threads);
    int rc;
    if (strcmp(o.space, "nb101") == 0) {
        rc = cb_space_nb101(&o);
    } else if (strcmp(o.space, "nb201") == 0) {
        rc = cb_space_nb201(&o);
    } else {
        cb_registry reg;
        cb_registry_init(&reg);
        if (is_manifest(o.space)) {
            if (o.n_path) {
                cb_error e;
                memset(&e, 0, sizeof e);
                cb_registry_load_default(&reg, o.path, o.n_path, &e);
            }
            rc = run_manifest(&o, &reg);
        } else {
            rc = run_file(&o, &reg);
        }
        cb_registry_free(&reg);
    }
    cb_pool_resize(0);
    return rc;
}
