/* core/cli/cmd_model.c: `codebench model show CARD`: a model card's layers, output shapes,
 * parameters and multiply-accumulates, and its graph hash. */
#include "cli/commands.h"
#include "cnn/net.h"
#include "plugin/registry.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out, "usage: codebench model show CARD [--plugin-path DIR]...\n\n"
                 "Prints a model card's layers with their output shapes, parameters and MACs (per image),\n"
                 "the totals and the graph's isomorphism hash (docs/model-cards.md).\n");
}

static void show(const cb_net *net)
{
    printf("%s: input %dx%dx%d, %d classes, %d layers\n\n", net->name, net->g.input.c, net->g.input.h,
           net->g.input.w, net->g.classes, net->g.n_nodes);
    printf("  %-4s %-16s %-16s %-16s %14s %16s\n", "#", "LAYER", "OP", "OUTPUT", "PARAMS", "MACS");
    for (int v = 0; v < net->g.n_nodes; v++) {
        const cb_node *n = &net->nodes[v];
        cb_shape in[8];
        for (int i = 0; i < n->n_in && i < 8; i++)
            in[i] = n->in[i] == CB_NET_INPUT ? net->g.input : net->nodes[n->in[i]].out;
        uint64_t macs = 0, params = 0;
        n->vt->count(n->attrs, n->n_in, in, &n->out, &macs, &params);
        char s[64];
        printf("  %-4d %-16s %-16s %-16s %14llu %16llu\n", v + 1, net->names[v], n->op,
               cb_shape_str(n->out, s, sizeof s), (unsigned long long)params, (unsigned long long)macs);
    }
    printf("\n  total: %llu parameters (%.3f M), %llu MACs (%.3f G) per image\n  hash:  %s\n",
           (unsigned long long)net->params, (double)net->params / 1e6, (unsigned long long)net->macs,
           (double)net->macs / 1e9, net->g.hash);
}

int cb_cmd_model(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        usage(stdout);
        return CB_EXIT_OK;
    }
    const char *card = NULL, *path[16];
    size_t n_path = 0;
    if (argc < 3 || strcmp(argv[1], "show") != 0) {
        usage(stderr);
        return CB_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--plugin-path") == 0 && i + 1 < argc && n_path < 16)
            path[n_path++] = argv[++i];
        else if (!card)
            card = argv[i];
        else {
            usage(stderr);
            return CB_EXIT_USAGE;
        }
    }
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e;
    memset(&e, 0, sizeof e);
    if (cb_registry_load_default(&reg, path, n_path, &e)) {
        fprintf(stderr, "codebench model: %s\n", e.msg);
        cb_registry_free(&reg);
        return CB_EXIT_USAGE;
    }
    cb_net net;
    cb_diag d;
    int rc = cb_net_load_card(card, &reg, &net, &d);
    if (rc)
        cb_diag_print(&d, stderr);
    else
        show(&net);
    cb_net_free(&net);
    cb_registry_free(&reg);
    return rc ? CB_EXIT_USAGE : CB_EXIT_OK;
}
