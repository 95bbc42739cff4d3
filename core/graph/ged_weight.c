/* core/graph/ged_weight.c: the graph edit distance weight of every label (see ged.h).
 *
 * An op vertex weighs (trainable parameters + cost_rank) / 1e6, its parameters counted by the
 * op plugin on the seeds' reference input: 128 channels (their default_channels), the
 * smallest of a few square sizes on which the op infers a shape (a 7x7 kernel without padding
 * needs at least 7x7; parameters of convolutions do not depend on the size, a dense layer's do,
 * and 1x1 keeps it at 128 input features). */
#include "graph/ged.h"

#include <codebench/sdk.h>
#include <stdio.h>
#include <string.h>

#define REF_CHANNELS 128

static int op_weight(const cb_label *l, double *w, char *why, size_t why_len)
{
    static const int sizes[] = {1, 8, 32, 224};
    const cb_op_vt *vt = l->vt;
    int n_in = vt->min_inputs > 1 ? vt->min_inputs : 1;
    cb_error e;
    for (int deep = 0; deep < 2; deep++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            int32_t side = sizes[s];
            cb_shape in[8], out;
            for (int i = 0; i < n_in && i < 8; i++)
                in[i] = (cb_shape){1, REF_CHANNELS, deep ? side : 1, side, side};
            memset(&e, 0, sizeof e);
            if (vt->infer(l->attrs, n_in, in, &out, &e) != CB_OK)
                continue;
            uint64_t macs = 0, params = 0;
            vt->count(l->attrs, n_in, in, &out, &macs, &params);
            *w = ((double)params + (double)vt->cost_rank) / 1e6;
            return CB_OK;
        }
    snprintf(why, why_len, "label '%s': the op infers no shape on a %d-channel reference input: %s", l->name,
             REF_CHANNELS, e.msg);
    return CB_EINVAL;
}

int cb_vocab_weigh(cb_vocab *voc, int32_t in_id, int32_t out_id, char *why, size_t why_len)
{
    for (int32_t i = 0; i < voc->n; i++) {
        cb_label *l = &voc->v[i];
        if (i == in_id)
            l->weight = CB_GED_INPUT_WEIGHT;
        else if (i == out_id)
            l->weight = CB_GED_OUTPUT_WEIGHT;
        else if (l->vt && op_weight(l, &l->weight, why, why_len) != CB_OK)
            return CB_EINVAL;
    }
    return CB_OK;
}
