/* core/cli/cmd_plugins.c: `codebench plugins`, `plugins show NAME`, `plugins --verify`.
 *
 * Like gst-inspect: everything a user needs to write a manifest for a plugin (its parameters,
 * types, defaults, ranges, units and help) comes from the descriptors, without running any
 * plugin code but the pure entry function. */
#include "cli/commands.h"
#include "plugin/param.h"
#include "plugin/registry.h"
#include "util/json.h"
#include "util/util.h"

#include <codebench/codebench.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct opts {
    bool json, verify;
    int kind;            /* 0: all */
    const char *show;    /* NAME for `show` */
    const char **path;   /* --plugin-path entries */
    size_t n_path;
} opts;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: codebench plugins [--kind KIND] [--json] [--plugin-path DIR]...\n"
            "       codebench plugins show NAME [--json]     (NAME or PACK/NAME)\n"
            "       codebench plugins --verify               (every file found, and why one is refused)\n\n"
            "Plugins are searched in --plugin-path folders, then $CODEBENCH_PLUGIN_PATH (colon-separated),\n"
            "then the build tree beside the executable, then the installed plugin folder. Never the\n"
            "current folder. KIND is one of op, mac, memory, search, trainer, accel.\n");
}

static int parse_opts(int argc, char **argv, opts *o)
{
    memset(o, 0, sizeof *o);
    o->path = cb_xcalloc((size_t)argc, sizeof *o->path);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            o->json = true;
        else if (strcmp(a, "--verify") == 0)
            o->verify = true;
        else if (strcmp(a, "--kind") == 0 && i + 1 < argc) {
            o->kind = cb_kind_from_name(argv[++i]);
            if (!o->kind) {
                fprintf(stderr, "codebench plugins: unknown kind '%s' (op, mac, memory, search, trainer, accel)\n", argv[i]);
                return CB_EXIT_USAGE;
            }
        } else if (strcmp(a, "--plugin-path") == 0 && i + 1 < argc)
            o->path[o->n_path++] = argv[++i];
        else if (strcmp(a, "show") == 0 && i + 1 < argc && !o->show)
            o->show = argv[++i];
        else {
            fprintf(stderr, "codebench plugins: unexpected argument '%s'\n", a);
            usage(stderr);
            return CB_EXIT_USAGE;
        }
    }
    return CB_EXIT_OK;
}

static void print_table(const cb_registry *r, const opts *o)
{
    printf("%-12s %-8s %-18s %-8s %s\n", "PACK", "KIND", "NAME", "VERSION", "SUMMARY");
    for (size_t i = 0; i < r->n_entries; i++) {
        const cb_entry *en = &r->entries[i];
        if (o->kind && (int)en->plugin->kind != o->kind)
            continue;
        printf("%-12s %-8s %-18s %-8s %s\n", en->file->pack->name, cb_kind_name(en->plugin->kind),
               en->plugin->name, en->plugin->version, en->plugin->summary);
    }
    if (r->n_refused)
        fprintf(stderr, "(%zu plugin file%s refused: `codebench plugins --verify` says why)\n",
                r->n_refused, r->n_refused == 1 ? "" : "s");
}

static void json_entry_head(const cb_entry *en)
{
    printf("{\"pack\":");
    cb_json_str(stdout, en->file->pack->name);
    printf(",\"pack_version\":");
    cb_json_str(stdout, en->file->pack->version);
    printf(",\"file\":");
    cb_json_str(stdout, en->file->path);
    printf(",\"kind\":");
    cb_json_str(stdout, cb_kind_name(en->plugin->kind));
    printf(",\"name\":");
    cb_json_str(stdout, en->plugin->name);
    printf(",\"version\":");
    cb_json_str(stdout, en->plugin->version);
    printf(",\"summary\":");
    cb_json_str(stdout, en->plugin->summary);
}

static void print_json_list(const cb_registry *r, const opts *o)
{
    printf("[");
    bool first = true;
    for (size_t i = 0; i < r->n_entries; i++) {
        if (o->kind && (int)r->entries[i].plugin->kind != o->kind)
            continue;
        printf(first ? "\n" : ",\n");
        first = false;
        json_entry_head(&r->entries[i]);
        printf("}");
    }
    printf("\n]\n");
}

static void json_params(const char *key, const cb_param *params)
{
    printf(",\"%s\":[", key);
    for (int i = 0; params && params[i].name; i++) {
        const cb_param *p = &params[i];
        printf("%s{\"name\":", i ? "," : "");
        cb_json_str(stdout, p->name);
        printf(",\"type\":");
        cb_json_str(stdout, cb_type_name(p->type));
        printf(",\"default\":");
        cb_json_str(stdout, p->def);
        printf(",\"required\":%s", p->def ? "false" : "true");
        if (p->flags & CB_P_PATH)
            printf(",\"path\":true");
        if ((p->type == CB_T_INT || p->type == CB_T_REAL) && p->min <= p->max) {
            printf(",\"min\":");
            cb_json_num(stdout, p->min);
            printf(",\"max\":");
            cb_json_num(stdout, p->max);
        }
        printf(",\"choices\":");
        if (p->choices) {
            printf("[");
            for (int c = 0; p->choices[c]; c++) {
                printf(c ? "," : "");
                cb_json_str(stdout, p->choices[c]);
            }
            printf("]");
        } else {
            printf("null");
        }
        printf(",\"unit\":");
        cb_json_str(stdout, p->unit ? p->unit : "");
        printf(",\"help\":");
        cb_json_str(stdout, p->help ? p->help : "");
        printf(",\"design_space\":%s}", (p->flags & CB_P_SPACE) ? "true" : "false");
    }
    printf("]");
}

static void text_params(const char *title, const cb_param *params)
{
    int n = cb_param_count(params);
    printf("\n%s (%d):\n", title, n);
    if (n == 0) {
        printf("  none\n");
        return;
    }
    printf("  %-18s %-7s %-10s %-28s %-6s %s\n", "NAME", "TYPE", "DEFAULT", "RANGE / CHOICES", "UNIT",
           "HELP");
    for (int i = 0; i < n; i++) {
        const cb_param *p = &params[i];
        char range[512];
        printf("  %-18s %-7s %-10s %-28s %-6s %s\n", p->name, (p->flags & CB_P_PATH) ? "path" : cb_type_name(p->type),
               p->def ? p->def : "(required)", cb_param_range_str(p, range, sizeof range),
               p->unit && *p->unit ? p->unit : "-", p->help ? p->help : "");
    }
}

static int show(const cb_registry *r, const opts *o)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    const cb_entry *en = cb_registry_find_any(r, o->show, &e);
    if (!en) {
        fprintf(stderr, "codebench plugins show: %s\n", e.msg);
        return CB_EXIT_USAGE;
    }
    const cb_plugin *p = en->plugin;
    const cb_op_vt *op = p->kind == CB_KIND_OP ? p->vtable : NULL;
    if (o->json) {
        json_entry_head(en);
        printf(",\"abi\":\"%u.%u\"", en->file->pack->abi_major, en->file->pack->abi_minor);
        json_params("params", p->params);
        if (op) {
            json_params("attrs", op->attrs);
            printf(",\"cost_rank\":%d,\"min_inputs\":%d,\"max_inputs\":%d", op->cost_rank,
                   op->min_inputs, op->max_inputs);
        }
        printf("}\n");
        return CB_EXIT_OK;
    }
    printf("%s (%s plugin)\n  %s\n\n", p->name, cb_kind_name(p->kind), p->summary);
    printf("  version   %s\n  pack      %s %s (%s, %s)\n  file      %s\n  ABI       %u.%u\n",
           p->version, en->file->pack->name, en->file->pack->version,
           en->file->pack->license ? en->file->pack->license : "no license stated",
           en->file->pack->origin ? en->file->pack->origin : "no origin stated", en->file->path,
           en->file->pack->abi_major, en->file->pack->abi_minor);
    if (op)
        printf("  inputs    %d..%d\n  GED rank  %d\n", op->min_inputs, op->max_inputs, op->cost_rank);
    text_params("Parameters (manifest `params:`)", p->params);
    if (op)
        text_params("Attributes (per vertex; choices form the op's design space)", op->attrs);
    return CB_EXIT_OK;
}

static int verify(const cb_registry *r)
{
    for (size_t i = 0; i < r->n_files; i++) {
        int n = 0;
        while (r->files[i]->pack->plugins[n])
            n++;
        printf("ok       %s (pack %s %s, %d plugin%s)\n", r->files[i]->path, r->files[i]->pack->name,
               r->files[i]->pack->version, n, n == 1 ? "" : "s");
    }
    for (size_t i = 0; i < r->n_refused; i++)
        printf("refused  %s\n", r->refused[i].why);
    return r->n_refused ? CB_EXIT_FAIL : CB_EXIT_OK;
}

int cb_cmd_plugins(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc == CB_EXIT_OK) {
        cb_registry reg;
        cb_registry_init(&reg);
        cb_error e;
        memset(&e, 0, sizeof e);
        if (cb_registry_load_default(&reg, o.path, o.n_path, &e)) {
            fprintf(stderr, "codebench plugins: %s\n", e.msg);
            rc = CB_EXIT_USAGE;
        } else if (o.verify)
            rc = verify(&reg);
        else if (o.show)
            rc = show(&reg, &o);
        else if (o.json)
            print_json_list(&reg, &o);
        else
            print_table(&reg, &o);
        cb_registry_free(&reg);
    }
    free(o.path);
    return rc;
}
