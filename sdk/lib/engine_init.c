/* engine_init.c: weight initialisation by each cb_weight's rule, and weight transfer from a
 * trained neighbour. Each tensor draws from its own generator (seed, tensor index), so
 * transferring one tensor leaves the fresh values of every other tensor unchanged. */
#include "engine_internal.h"

#include <codebench/rng.h>
#include <codebench/sdk.h>

#include <math.h>
#include <string.h>

static void init_tensor(const cb_weight *spec, float *w, int64_t n, cb_rng *rng)
{
    double fan = spec->fan_in > 0 ? (double)spec->fan_in : 1.0, bound = 0.0;
    switch (spec->init) {
    case CB_INIT_ONE:
        for (int64_t k = 0; k < n; k++)
            w[k] = 1.0f;
        return;
    case CB_INIT_KAIMING_UNIFORM:
        bound = sqrt(6.0 / fan);
        break;
    case CB_INIT_FANIN_UNIFORM:
        bound = 1.0 / sqrt(fan);
        break;
    default: /* CB_INIT_ZERO and unknown rules: zero is the safe start */
        memset(w, 0, (size_t)n * sizeof *w);
        return;
    }
    for (int64_t k = 0; k < n; k++)
        w[k] = (float)((2.0 * cb_rng_unit(rng) - 1.0) * bound);
}

int cb_engine_init(cb_engine *en, uint64_t seed, const cb_tensor *from, const uint8_t *mask,
                   cb_error *e)
{
    char name[48];
    for (int32_t i = 0; i < en->n_w; i++) {
        int64_t n = eng_numel(en->spec[i].shape);
        int take = from && from[i].data && (mask ? mask[i] != 0 : 1);
        if (take && eng_numel(from[i].shape) != n) {
            cb_engine_weight_name(en, i, name, sizeof name);
            return cb_error_set(e, CB_EINVAL, NULL,
                                "weight %d (%s): the transferred tensor holds %lld values, the graph needs %lld",
                                i, name, (long long)eng_numel(from[i].shape), (long long)n);
        }
        if (take) {
            memcpy(en->w[i].data, from[i].data, (size_t)n * sizeof(float));
            continue;
        }
        cb_rng rng;
        cb_rng_seed(&rng, eng_mix(seed, (uint64_t)i));
        init_tensor(&en->spec[i], en->w[i].data, n, &rng);
    }
    return CB_OK;
}
