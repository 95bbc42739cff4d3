/* tests/unit/train_search.c: the native trainer's recipe search (recipe_trials): ASHA over
 * recipes from the seeds' space on a few hundred Fashion-MNIST images, seen through the trial
 * checkpoints it leaves in checkpoint_dir (how far each trial got), the accuracy of the winner
 * trained to the whole budget, and the error when there is no validation split to rank by. */
#include "test_util.h"
#include "train_fixture.h"
#include "trainer_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 784 -> dense 32 -> tanh -> dense 10 */
static void mlp(tf_graph *g)
{
    tf_graph_init(g, (cb_shape){1, 1, 1, 28, 28}, 10);
    snprintf(g->g.hash, sizeof g->g.hash, "mlp-search");
    cb_value u32 = {.i = 32}, u10 = {.i = 10};
    int32_t x = CB_NET_INPUT;
    int32_t d0 = tf_add_node(g, "dense", &tf_dense, &u32, 1, 1, &x);
    int32_t t1 = tf_add_node(g, "tanh", &tf_tanh, NULL, 0, 1, &d0);
    tf_add_node(g, "dense", &tf_dense, &u10, 1, 1, &t1);
}

Test(train_search, asha_trains_the_winner_to_the_budget)
{
    char dir[64], opt[96];
    snprintf(dir, sizeof dir, "/tmp/cb_search_%ld", (long)getpid());
    snprintf(opt, sizeof opt, "checkpoint_dir=%s", dir);
    const char *set[] = {"train_subset=600", "test_subset=500", "batch=32", "epochs=4",
                         "recipe_trials=4", "recipe_min_epochs=1", "recipe_eta=2", opt, NULL};
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, tu_open(&t, "native", set, &e), CB_OK), "%s", e.msg);
    tf_graph g;
    mlp(&g);
    cb_train_result r;
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_OK), "%s", e.msg);
    cr_assert(gt(dbl, r.accuracy, 0.5), "test accuracy %g", r.accuracy);
    cr_assert(eq(int, r.epochs, 4));
    cr_assert(gt(dbl, r.seconds, 0));
    /* rungs of 1, 2 and 4 epochs over 4 trials: every trial had its first epoch, at most half
     * of them a second, one went the whole way */
    int at[5] = {0}, spent = 0;
    for (int k = 0; k < 4; k++) {
        char path[160];
        snprintf(path, sizeof path, "%s/mlp-search.trial-%d.safetensors", dir, k);
        int ep = atoi(tu_st_meta(path, "epoch"));
        cr_assert(ge(int, ep, 1), "%s: epoch %d", path, ep);
        cr_assert(le(int, ep, 4));
        at[ep]++;
        spent += ep;
        unlink(path);
        snprintf(path, sizeof path, "%s/mlp-search.trial-%d.best.safetensors", dir, k);
        unlink(path);
    }
    rmdir(dir);
    cr_assert(eq(int, at[4], 1), "one trial reaches the last rung");
    cr_assert(ge(int, at[1], 2), "half of the trials stop after the first rung");
    cr_assert(lt(int, spent, 16));
    tu_close(&t);
}

Test(train_search, needs_a_validation_split)
{
    const char *set[] = {"train_subset=200", "test_subset=100", "val_fraction=0", "recipe_trials=2", NULL};
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, tu_open(&t, "native", set, &e), CB_OK), "%s", e.msg);
    tf_graph g;
    mlp(&g);
    cb_train_result r;
    cr_assert(eq(int, tu_train(&t, &g.g, NULL, 0, NULL, NULL, &r, &e), CB_EINVAL));
    cr_assert(eq(str, e.param, "recipe_trials"));
    cr_assert(eq(str, e.plugin, "native"));
    cr_assert(ne(ptr, strstr(e.msg, "val_fraction"), NULL), "%s", e.msg);
    tu_close(&t);
}
