/* core/cli/space_mod.c: `codebench space` on a module space and on a manifest's model cards
 * (see space.h). Sampled CNNs are built through the op plugins (graph/build.h) when the space
 * has head and glue ops, so every line says whether the graph is a valid network, and its
 * parameters and MACs. */
#include "cli/commands.h"
#include "cli/space.h"
#include "cnn/net.h"
#include "graph/build.h"
#include "graph/modenum.h"
#include "manifest/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_count(const cb_modspace *sp)
{
    char buf[64];
    printf("%s: input %dx%dx%d, %d classes\n", sp->name, sp->input.c, sp->input.h, sp->input.w, sp->classes);
    printf("  module labels: %llu (", (unsigned long long)sp->ops.total);
    for (int i = 0; i < sp->ops.n; i++)
        printf("%s%s %llu", i ? ", " : "", sp->ops.v[i].op, (unsigned long long)sp->ops.v[i].count);
    printf(")\n  modules: %s classes (3..%d vertices, at most %d edges: %zu shapes)\n",
           cb_u128_str(cb_modspace_modules(sp), buf, sizeof buf), sp->max_vertices, sp->max_edges, sp->forms.n);
    if (!cb_modspace_has_networks(sp)) {
        printf("  heads and networks: not described (a space file gives head and glue ops)\n");
        return;
    }
    printf("  heads: %s (up to %d vertices)\n", cb_u128_str(cb_modspace_heads(sp), buf, sizeof buf), sp->head_max);
    for (int l = 0; l < sp->n_levels; l++)
        printf("  CNNs of up to %d modules at s = %d modules per stack: 10^%.1f\n", sp->max_modules, sp->levels[l],
               cb_modspace_log10_graphs(sp, sp->levels[l]));
}

static void print_module(const cb_modspace *sp, const cb_module *m)
{
    printf("%d vertices  mask %-7llu", m->n, (unsigned long long)cb_module_mask(m));
    for (int v = 1; v < m->n - 1; v++)
        printf("  [%s]", sp->voc.v[m->label[v]].name);
    printf("\n");
}

static int sample_networks(const cb_space_opts *o, cb_modspace *sp, int level)
{
    cb_rng rng;
    cb_rng_seed(&rng, o->seed);
    long invalid = 0;
    for (long i = 0; i < o->count; i++) {
        cb_cnngraph g;
        cb_modspace_sample(sp, level, &rng, &g);
        cb_net net;
        char why[1024];
        printf("%s  %3d modules", g.hash, g.n - 1);
        if (cb_build_net(sp, &g, &net, why, sizeof why)) {
            printf("  invalid: %s\n", why);
            invalid++;
        } else {
            printf("  %5d layers  %10.3f M params  %10.3f G MACs\n", net.g.n_nodes, (double)net.params / 1e6,
                   (double)net.macs / 1e9);
            cb_net_free(&net);
        }
        cb_cnngraph_free(&g);
    }
    printf("%ld sampled at s = %d modules per stack, %ld invalid\n", o->count, level, invalid);
    return CB_EXIT_OK;
}

typedef struct lister {
    const cb_modspace *sp;
    long left;
} lister;

static int list_one(void *ctx, const cb_module *m)
{
    lister *l = ctx;
    if (l->left == 0)
        return 1;
    if (l->left > 0)
        l->left--;
    print_module(l->sp, m);
    return 0;
}

int cb_space_modules(const cb_space_opts *o, cb_modspace *sp)
{
    int level = o->level > 0 ? o->level : (sp->n_levels ? sp->levels[0] : 1);
    if (level > sp->max_modules) {
        fprintf(stderr, "codebench space: --level %d is more than the space's %d modules\n", level, sp->max_modules);
        return CB_EXIT_USAGE;
    }
    if (o->action == CB_ACT_COUNT) {
        print_count(sp);
        return CB_EXIT_OK;
    }
    if (o->action == CB_ACT_SAMPLE && cb_modspace_has_networks(sp))
        return sample_networks(o, sp, level);
    if (o->action == CB_ACT_SAMPLE) {
        cb_rng rng;
        cb_rng_seed(&rng, o->seed);
        for (long i = 0; i < o->count; i++) {
            cb_module m;
            cb_modspace_sample_module(sp, &rng, &m);
            print_module(sp, &m);
        }
        return CB_EXIT_OK;
    }
    /* enumerate: the module classes, labels numbered as the space numbers them */
    lister l = {sp, o->limit};
    cb_labelset ls = {(int32_t)sp->ops.total, NULL, sp->in_id, sp->out_id};
    int32_t *ids = malloc(((size_t)sp->ops.total + 1) * sizeof *ids);
    for (uint64_t i = 0; i < sp->ops.total; i++)
        ids[i] = cb_opset_label(&sp->ops, i, &sp->voc);
    ls.ids = ids;
    cb_modules_enumerate(&sp->forms, &ls, list_one, &l);
    free(ids);
    return CB_EXIT_OK;
}

static void print_card(const cb_manifest *m, size_t i, cb_registry *reg)
{
    cb_net net;
    cb_diag d;
    if (cb_net_load_card(m->cnn.card_paths[i], reg, &net, &d)) {
        cb_diag_print(&d, stdout);
        return;
    }
    printf("%s  %-20s %5d layers  %10.3f M params  %10.3f G MACs\n", net.g.hash, net.name, net.g.n_nodes,
           (double)net.params / 1e6, (double)net.macs / 1e9);
    cb_net_free(&net);
}

int cb_space_cards(const cb_space_opts *o, const cb_manifest *m, cb_registry *reg)
{
    size_t n = m->cnn.cards.n;
    if (o->action == CB_ACT_COUNT) {
        printf("%s: %zu model cards\n", m->name, n);
        return CB_EXIT_OK;
    }
    cb_rng rng;
    cb_rng_seed(&rng, o->seed);
    long lines = o->action == CB_ACT_SAMPLE ? o->count : (o->limit < 0 ? (long)n : o->limit);
    for (long i = 0; i < lines && (o->action == CB_ACT_SAMPLE || (size_t)i < n); i++)
        print_card(m, o->action == CB_ACT_SAMPLE ? (size_t)cb_rng_below(&rng, n) : (size_t)i, reg);
    return CB_EXIT_OK;
}
