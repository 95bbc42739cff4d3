/* plugins/trainers/native/native_recipe.c: the recipe one train() call uses: the plugin's
 * parameters, replaced by the job's recipe when the job brings one (the SDK's overlay rule,
 * codebench/recipe.h, which every trainer shares), then checked. */
#include "native.h"

#include <codebench/recipe.h>

int native_recipe(const native *nt, const cb_recipe *job, cb_recipe *out, cb_error *e)
{
    *out = nt->recipe;
    cb_recipe_overlay(out, job);
    return cb_recipe_check(out, e);
}
