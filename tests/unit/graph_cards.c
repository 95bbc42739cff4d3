/* tests/unit/graph_cards.c: the model cards in examples/models against their published
 * parameter and MAC counts (loaded through build/plugins/ops/std.so), graph edit distance
 * between cards, and a module space: its file's errors at their place, and graphs that do not
 * fit failing at the vertex that does not fit. */
#include "cnn/net.h"
#include "graph/build.h"
#include "graph/ged.h"
#include "graph/spacefile.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cb_registry reg;

static void load_ops(void)
{
    cb_registry_init(&reg);
    cb_error e;
    char *path = cb_test_path("plugins/ops/std.so");
    cr_assert(eq(int, cb_registry_load_file(&reg, path, &e), CB_OK), "%s", e.msg);
    free(path);
}

static void unload(void) { cb_registry_free(&reg); }

TestSuite(graph_cards, .init = load_ops, .fini = unload);

static void card(const char *name, cb_net *net)
{
    char *path = cb_test_src("examples/models/%s.yaml", name);
    cb_diag d;
    cr_assert(eq(int, cb_net_load_card(path, &reg, net, &d), CB_OK), "%s: %s", path, d.msg);
    free(path);
}

/* MACs within 2% of a published figure ("about 4.1 G"). */
static void near(uint64_t got, double published, const char *what)
{
    cr_assert(fabs((double)got - published) <= 0.02 * published, "%s: %llu MACs, published %.3g", what,
              (unsigned long long)got, published);
}

Test(graph_cards, resnet50_published_counts)
{
    cb_net n;
    card("resnet50", &n);
    cr_assert(eq(u64, n.params, 25557032)); /* torchvision; "25.6 M" */
    near(n.macs, 4.1e9, "resnet50");
    const cb_node *gap = &n.nodes[n.g.n_nodes - 2];
    cr_assert(eq(int, n.nodes[n.g.n_nodes - 3].out.c, 2048)); /* last block: 2048x7x7 */
    cr_assert(eq(int, n.nodes[n.g.n_nodes - 3].out.h, 7));
    cr_assert(eq(int, gap->out.h, 1));
    cr_assert(eq(int, n.nodes[n.g.n_nodes - 1].out.c, 1000));
    cb_net_free(&n);
}

Test(graph_cards, resnet18_published_counts)
{
    cb_net n;
    card("resnet18_imagenet", &n);
    cr_assert(eq(u64, n.params, 11689512)); /* "11.7 M" */
    near(n.macs, 1.8e9, "resnet18");
    cb_net_free(&n);
}

Test(graph_cards, mobilenet_v2_published_counts)
{
    cb_net n;
    card("mobilenet_v2_imagenet", &n);
    cr_assert(eq(u64, n.params, 3504872)); /* "3.5 M" */
    near(n.macs, 300e6, "mobilenet_v2");
    cr_assert(eq(int, n.nodes[n.g.n_nodes - 4].out.c, 1280));
    cr_assert(eq(int, n.nodes[n.g.n_nodes - 4].out.h, 7));
    cb_net_free(&n);
}

/* Cards whose structure is exact to a reference implementation's parameter count. */
Test(graph_cards, other_cards_match_reference_parameter_counts)
{
    static const struct {
        const char *name;
        uint64_t params;
    } want[] = {{"alexnet", 61100840},   {"vgg16", 138357544},      {"vgg19", 143667240},
                {"resnet101", 44549160}, {"googlenet", 6624904},    {"densenet121", 7978856},
                {"squeezenet", 1235496}, {"xception", 22855952}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        cb_net n;
        card(want[i].name, &n);
        cr_assert(eq(u64, n.params, want[i].params), "%s", want[i].name);
        cr_assert(eq(int, n.nodes[n.g.n_nodes - 1].out.c, 1000), "%s", want[i].name);
        cb_net_free(&n);
    }
}

Test(graph_cards, approximate_cards_build)
{
    cb_net n;
    card("shufflenet", &n); /* 1x, g = 8: about 140 M MACs in the paper's Table 2 */
    near(n.macs, 140e6, "shufflenet");
    cb_net_free(&n);
    card("efficientnet_b0", &n); /* without squeeze-and-excitation: below 5.3 M, about 0.39 G MACs */
    cr_assert(lt(u64, n.params, 5288548));
    near(n.macs, 0.39e9, "efficientnet_b0");
    cb_net_free(&n);
}

Test(graph_cards, ged_between_vgg16_and_vgg19)
{
    cb_net a, b;
    card("vgg16", &a);
    card("vgg19", &b);
    cb_vocab voc;
    cb_vocab_init(&voc);
    int32_t in = cb_vocab_add(&voc, "input", NULL);
    cb_flat fa, fb;
    cb_flat_from_net(&a, &voc, in, &fa);
    cb_flat_from_net(&b, &voc, in, &fb);
    char why[256];
    cr_assert(eq(int, cb_vocab_weigh(&voc, in, -1, why, sizeof why), CB_OK), "%s", why);
    /* VGG-19 has three more 3x3 convolutions (to 256, 512, 512 channels, with bias): deleting
     * them costs their weights, (128 * C * 9 + C parameters + rank 15) / 1e6 each */
    double want = (128.0 * 256 * 9 + 256 + 15 + 2 * (128.0 * 512 * 9 + 512 + 15)) / 1e6;
    double d = cb_ged(&voc, &fa, &fb);
    cr_assert(fabs(d - want) < 1e-6, "GED %.9f, expected %.9f", d, want);
    cr_assert(eq(dbl, cb_ged(&voc, &fb, &fa), d));
    cr_assert(eq(dbl, cb_ged(&voc, &fa, &fa), 0.0));
    cb_flat_free(&fa);
    cb_flat_free(&fb);
    cb_vocab_free(&voc);
    cb_net_free(&a);
    cb_net_free(&b);
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/cb_graph_space_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(ge(int, fd, 0));
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static const char *const space_head = "input: {channels: 3, height: 8, width: 8}\n"
                                      "classes: 10\n"
                                      "glue:\n"
                                      "  sum: add\n"
                                      "  join: concat\n"
                                      "  projection: {op: conv2d, attrs: {kernel: 1, bias: true, batchnorm: false, "
                                      "activation: none}}\n"
                                      "  width: out_channels\n"
                                      "stacks: {max_modules: 4, levels: [2, 1]}\n"
                                      "head: {reduce: [global_avgpool], classifier: {op: dense, attrs: {classes: 10}}}\n";

static int load_space(const char *ops, cb_modspace *sp, cb_diag *d)
{
    char text[2048];
    snprintf(text, sizeof text, "%sops:\n%s", space_head, ops);
    char *path = write_tmp(text);
    int rc = cb_spacefile_load(path, &reg, sp, d);
    unlink(path);
    free(path);
    return rc;
}

Test(graph_cards, space_file_errors_at_their_place)
{
    cb_modspace sp;
    cb_diag d;
    cr_assert(eq(int, load_space("  - {op: conv2d, attrs: {kernal: [3]}}\n", &sp, &d), CB_EINVAL));
    cr_assert(eq(int, d.at.line, 11));
    cr_assert(eq(int, d.at.col, 26)); /* at the unknown key */
    cr_assert(strstr(d.msg, "no attribute 'kernal'") != NULL, "%s", d.msg);
    cr_assert(eq(int, load_space("  - {op: conv2d, attrs: {kernel: [4]}}\n", &sp, &d), CB_EINVAL));
    cr_assert(strstr(d.msg, "kernel") != NULL, "%s", d.msg);
    cr_assert(eq(int, load_space("  - convv2d\n", &sp, &d), CB_EINVAL));
    cr_assert(strstr(d.msg, "conv2d") != NULL, "a did-you-mean: %s", d.msg);
    cr_assert(eq(int, d.at.line, 11));
    cr_assert(eq(int, d.at.col, 5));
}

Test(graph_cards, graph_that_does_not_fit_names_its_vertex)
{
    cb_modspace sp;
    cb_diag d;
    cr_assert(eq(int, load_space("  - {op: channel_shuffle, attrs: {groups: [2]}}\n"
                                 "  - {op: conv2d, attrs: {channels: [16], kernel: [3], stride: [1], padding: [same], "
                                 "groups: [\"1\"], activation: [relu]}}\n",
                                 &sp, &d),
                 CB_OK),
              "%s", d.msg);
    /* module 0: input -> conv -> shuffle -> output fits (16 channels); shuffle first does not (3) */
    int32_t conv = -1, shuffle = -1;
    for (int32_t i = 0; i < (int32_t)sp.ops.total; i++) {
        int32_t id = cb_opset_label(&sp.ops, (uint64_t)i, &sp.voc);
        if (strcmp(sp.voc.v[id].op, sp.ops.v[1].op) == 0)
            conv = id;
        else
            shuffle = id;
    }
    cb_module m[2], head;
    cb_module_chain(&m[0], 4);
    m[0].label[0] = sp.in_id;
    m[0].label[1] = conv;
    m[0].label[2] = shuffle;
    m[0].label[3] = sp.out_id;
    m[1] = m[0];
    m[1].label[1] = shuffle;
    m[1].label[2] = conv;
    cb_module_chain(&head, 4);
    head.label[0] = sp.in_id;
    head.label[1] = cb_opset_label(&sp.flatten, 0, &sp.voc);
    head.label[2] = cb_opset_label(&sp.classifier, 0, &sp.voc);
    head.label[3] = sp.out_id;
    cb_module good[2] = {m[0], head}, bad[2] = {m[1], head};
    cb_cnngraph g = {2, good, ""};
    cb_net net;
    char why[512];
    cr_assert(eq(int, cb_build_net(&sp, &g, &net, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(int, net.nodes[net.g.n_nodes - 1].out.c, 10));
    cr_assert(eq(int, net.nodes[0].module, 0));
    cr_assert(eq(int, net.nodes[net.g.n_nodes - 1].module, -1));
    cb_net_free(&net);
    g.mods = bad;
    cr_assert(eq(int, cb_build_net(&sp, &g, &net, why, sizeof why), CB_EINVAL));
    cr_assert(strstr(why, "module 0, vertex 1 (channel_shuffle") != NULL, "%s", why);
    cr_assert(strstr(why, "3x8x8") != NULL, "%s", why);
    cb_modspace_free(&sp);
}
