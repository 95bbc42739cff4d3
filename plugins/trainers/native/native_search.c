/* plugins/trainers/native/native_search.c: training-recipe search (recipe_trials > 0):
 * recipe_trials recipes drawn from the seeds' space (codebench/recipe.h) around the job's
 * recipe, scheduled by Asynchronous Successive Halving on the validation loss (the seeds' ray
 * tune set-up: ASHA with grace recipe_min_epochs, reduction recipe_eta, up to the recipe's
 * epochs). Each trial keeps its state in a checkpoint, so a promoted trial carries on where it
 * stopped instead of starting over; the trials live in checkpoint_dir when it is set (a
 * repeated search resumes them) and in a temporary folder otherwise. */
#include "native.h"

#include <codebench/recipe.h>
#include <codebench/sdk.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct search {
    native *nt;
    const cb_train_job *job;
    cb_recipe *recipes;
    double *train_loss; /* per trial: its last epoch's training loss */
    const char *dir;
    native_spent *spent;
} search;

static void trial_name(const search *s, int32_t trial, char *buf, size_t len)
{
    const char *hash = s->job->graph->hash;
    snprintf(buf, len, "%.64s.trial-%d", hash[0] ? hash : "graph", trial);
}

/* Trains one trial up to aj->epochs (resuming its checkpoint) and returns its validation
 * loss (NaN when it is not a number). */
static int run_trial(search *s, const cb_asha_job *aj, double *loss, cb_error *e)
{
    native_run run;
    memset(&run, 0, sizeof run);
    run.nt = s->nt;
    run.job = s->job;
    run.r = s->recipes[aj->trial];
    run.preset = 1;
    run.until = aj->epochs;
    char name[128];
    trial_name(s, aj->trial, name, sizeof name);
    native_ckpt_paths(&run, s->dir, name);
    int rc = native_setup(&run, e);
    if (rc == CB_OK)
        rc = native_advance(&run, e);
    /* a trial resumed from checkpoint_dir may have nothing left to train at this rung */
    if (rc == CB_OK && isnan(run.val_loss)) {
        double acc;
        rc = native_evaluate(&run, &s->nt->data.val, &acc, &run.val_loss, e);
    }
    *loss = run.val_loss;
    if (run.epoch > 0 && run.train_images > 0)
        s->train_loss[aj->trial] = run.loss;
    s->spent->seconds += run.train_seconds;
    s->spent->images += run.train_images;
    native_teardown(&run);
    return rc;
}

static int sample_all(search *s, int32_t n, cb_error *e)
{
    native *nt = s->nt;
    cb_recipe base;
    int rc = native_recipe(nt, s->job->recipe, &base, e);
    if (rc)
        return rc;
    cb_recipe_space space;
    cb_recipe_space_seeds(&space);
    cb_rng rng;
    uint64_t x = nt->h->seed(nt->h, "recipe-search") ^ base.seed;
    cb_rng_seed(&rng, cb_splitmix64(&x));
    s->recipes = malloc((size_t)n * sizeof *s->recipes);
    s->train_loss = calloc((size_t)n, sizeof *s->train_loss);
    if (!s->recipes || !s->train_loss)
        return nt->h->fail(nt->h, e, CB_EFAIL, NULL, "out of memory");
    for (int32_t i = 0; i < n; i++)
        cb_recipe_sample(&space, &base, &rng, &s->recipes[i]);
    return CB_OK;
}

static int make_dir(native *nt, char *dir, size_t len, cb_error *e)
{
    if (nt->cfg.ckpt_dir[0]) {
        snprintf(dir, len, "%s", nt->cfg.ckpt_dir);
        return CB_OK;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, len, "%s/codebench-recipes-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir))
        return CB_OK;
    int err = errno;
    dir[0] = '\0';
    return nt->h->fail(nt->h, e, CB_EFAIL, NULL, "cannot create a folder for recipe trials: %s",
                       strerror(err));
}

static int schedule(search *s, int32_t trials, cb_asha *asha, cb_error *e)
{
    const cb_host *h = s->nt->h;
    cb_asha_job aj;
    int rc = CB_OK;
    while (rc == CB_OK && cb_asha_next(asha, &aj) == CB_ASHA_JOB) {
        double loss;
        rc = run_trial(s, &aj, &loss, e);
        if (rc)
            break;
        cb_asha_report(asha, &aj, loss);
        char what[160];
        h->log(h, CB_LOG_INFO, "recipe trial %d/%d (%s): rung %d, %d epoch%s: validation loss %.6f",
               aj.trial + 1, trials, cb_recipe_str(&s->recipes[aj.trial], what, sizeof what),
               aj.rung, aj.epochs, aj.epochs == 1 ? "" : "s", loss);
    }
    return rc;
}

int native_search(native *nt, const cb_train_job *job, native_run *best, native_spent *spent,
                  char *dir, size_t dir_len, cb_error *e)
{
    const cb_host *h = nt->h;
    int32_t trials = (int32_t)nt->cfg.recipe_trials;
    search s = {nt, job, NULL, NULL, dir, spent};
    cb_asha *asha = NULL;
    int rc = native_data_ready(nt, e);
    if (rc == CB_OK && nt->data.val.n == 0)
        rc = h->fail(h, e, CB_EINVAL, "recipe_trials",
                     "a recipe search ranks recipes by validation loss: set val_fraction above 0");
    if (rc == CB_OK)
        rc = sample_all(&s, trials, e);
    if (rc == CB_OK) {
        int32_t max = s.recipes[0].epochs, min = (int32_t)nt->cfg.recipe_min_epochs;
        rc = cb_asha_new(trials, min < max ? min : max, max, (int32_t)nt->cfg.recipe_eta, &asha, e);
    }
    if (rc == CB_OK)
        rc = make_dir(nt, dir, dir_len, e);
    if (rc == CB_OK)
        rc = schedule(&s, trials, asha, e);
    int32_t rung = 0, winner = rc == CB_OK ? cb_asha_best(asha, &rung, NULL) : -1;
    if (rc == CB_OK && winner < 0)
        rc = h->fail(h, e, CB_EFAIL, "recipe_trials", "recipe search: no trial reported");
    if (rc == CB_OK) {
        char what[160], name[128];
        h->log(h, CB_LOG_INFO, "recipe search: trial %d wins (%s) at rung %d; training it to %d epochs",
               winner + 1, cb_recipe_str(&s.recipes[winner], what, sizeof what), rung,
               s.recipes[winner].epochs);
        best->r = s.recipes[winner];
        best->preset = 1;
        best->loss = s.train_loss[winner]; /* reported when no epoch is left to train */
        trial_name(&s, winner, name, sizeof name);
        native_ckpt_paths(best, dir, name);
    }
    cb_asha_free(asha);
    free(s.recipes);
    free(s.train_loss);
    return rc;
}

/* A temporary folder of trials goes when the search's training is over; checkpoint_dir stays. */
void native_search_cleanup(const native *nt, const char *dir)
{
    if (!dir[0] || nt->cfg.ckpt_dir[0])
        return;
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4400];
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}
