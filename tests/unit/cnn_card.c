/* tests/unit/cnn_card.c: model cards: published counts, isomorphism hashing, and errors at
 * their place in the card. */
#include "cnn/net.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

TestSuite(cnn_card, .init = load_ops, .fini = unload);

static void load(const char *rel, cb_net *net)
{
    char *path = cb_test_src("%s", rel);
    cb_diag d;
    cr_assert(eq(int, cb_net_load_card(path, &reg, net, &d), CB_OK), "%s: %s", path, d.msg);
    free(path);
}

Test(cnn_card, lenet5_counts)
{
    cb_net net;
    load("examples/models/lenet5.yaml", &net);
    /* LeCun et al.: 156 + 2,416 + 48,120 + 10,164 + 850 parameters */
    cr_assert(eq(u64, net.params, 61706));
    cr_assert(eq(int, net.g.n_nodes, 8));
    cr_assert(eq(int, net.nodes[7].out.c, 10));
    /* conv 5x5x1x6 at 28x28 + conv 5x5x6x16 at 10x10 + 400x120 + 120x84 + 84x10 */
    cr_assert(eq(u64, net.macs, 117600 + 240000 + 48000 + 10080 + 840));
    cb_net_free(&net);
}

Test(cnn_card, isomorphic_cards_hash_equal)
{
    cb_net a, b, c;
    load("tests/cards/branchy.yaml", &a);
    load("tests/cards/branchy_permuted.yaml", &b);
    load("tests/cards/branchy_kernel7.yaml", &c);
    cr_assert(eq(str, a.g.hash, b.g.hash));
    cr_assert(ne(str, a.g.hash, c.g.hash));
    cr_assert(eq(sz, strlen(a.g.hash), 64));
    cb_net_free(&a);
    cb_net_free(&b);
    cb_net_free(&c);
}

static void expect_error(const char *name)
{
    char *path = cb_test_src("tests/cards/%s.yaml", name);
    FILE *f = fopen(path, "r");
    cr_assert(ne(ptr, f, NULL));
    char first[512];
    cr_assert(ne(ptr, fgets(first, sizeof first, f), NULL));
    fclose(f);
    first[strcspn(first, "\n")] = '\0';
    cb_net net;
    cb_diag d;
    cr_assert(eq(int, cb_net_load_card(path, &reg, &net, &d), CB_EINVAL));
    char line[1024], want[1024];
    cb_diag_line(&d, line, sizeof line);
    snprintf(want, sizeof want, "%s:%s", path, first + strlen("# expect: "));
    cr_assert(eq(str, line, want));
    free(path);
}

Test(cnn_card, errors_point_into_the_card)
{
    expect_error("bad_op");
    expect_error("bad_attr");
    expect_error("bad_input");
    expect_error("bad_shapes");
}
