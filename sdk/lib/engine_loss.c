/* engine_loss.c: softmax cross-entropy on the logits, its gradient and the accuracy count.
 * Sums run in double so the reported loss does not depend on the batch split. */
#include "engine_internal.h"

#include <math.h>

void cb_eng_softmax_xent(const float *logits, const int32_t *y, int32_t rows, int32_t classes,
                      int32_t total, float *dlogits, cb_engine_stats *st)
{
    double scale = 1.0 / (double)total; /* shards sum to the mean over the whole batch */
    for (int32_t i = 0; i < rows; i++) {
        const float *z = logits + (size_t)i * classes;
        int32_t best = 0;
        for (int32_t k = 1; k < classes; k++)
            best = z[k] > z[best] ? k : best;
        double sum = 0.0, top = z[best]; /* subtract the max: exp cannot overflow */
        for (int32_t k = 0; k < classes; k++)
            sum += exp((double)z[k] - top);
        int32_t label = y[i] >= 0 && y[i] < classes ? y[i] : 0;
        st->loss += log(sum) - ((double)z[label] - top);
        st->correct += best == y[i];
        if (!dlogits)
            continue;
        float *d = dlogits + (size_t)i * classes;
        for (int32_t k = 0; k < classes; k++) {
            double p = exp((double)z[k] - top) / sum;
            d[k] = (float)((p - (k == label)) * scale);
        }
    }
}
