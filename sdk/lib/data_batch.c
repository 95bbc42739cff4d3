/* data_batch.c: turns data set images into a normalized float batch, with the training-time
 * augmentations (random crop of a zero-padded image, horizontal flip); see codebench/data.h.
 * Random draws happen in image order on the caller's generator, so a batch depends only on
 * the generator's state, never on threads. */
#include <codebench/data.h>


typedef struct view {
    int dy, dx; /* crop offset into the padded image, minus the padding */
    int flip;
} view;

static void one_image(const cb_dataset *d, const uint8_t *src, view v, const float *mean,
                      const float *std, float *dst)
{
    int h = d->h, w = d->w;
    for (int c = 0; c < d->c; c++) {
        float m = mean ? mean[c] : 0.0f, inv = std ? 1.0f / std[c] : 1.0f;
        float pad = (0.0f - m) * inv; /* a zero pixel, normalized */
        const uint8_t *plane = src + (size_t)c * h * w;
        float *out = dst + (size_t)c * h * w;
        for (int y = 0; y < h; y++) {
            int sy = y + v.dy;
            for (int x = 0; x < w; x++) {
                int sx = (v.flip ? w - 1 - x : x) + v.dx;
                int inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                out[y * w + x] = inside ? ((float)plane[sy * w + sx] * (1.0f / 255.0f) - m) * inv : pad;
            }
        }
    }
}

void cb_dataset_batch(const cb_dataset *d, const int64_t *idx, int n, const float *mean,
                      const float *std, const cb_augment *aug, cb_rng *rng, float *x, int32_t *y)
{
    size_t img = (size_t)d->c * d->h * d->w;
    for (int i = 0; i < n; i++) {
        view v = {0, 0, 0};
        if (aug && aug->crop_pad > 0) {
            int span = 2 * aug->crop_pad + 1;
            v.dy = (int)cb_rng_below(rng, (uint64_t)span) - aug->crop_pad;
            v.dx = (int)cb_rng_below(rng, (uint64_t)span) - aug->crop_pad;
        }
        if (aug && aug->flip)
            v.flip = (int)(cb_rng_u64(rng) >> 63);
        one_image(d, d->pixels + (size_t)idx[i] * img, v, mean, std, x + (size_t)i * img);
        if (y)
            y[i] = d->labels[idx[i]];
    }
}
