/* nn_dense.c: one dense layer on one vector (policy heads and other tiny nets, where a GEMM
 * call would cost more than the arithmetic). */
#include <codebench/nn.h>

#include <string.h>

void cb_dense_forward(const float *w, const float *b, int in, int out, const float *x, float *y)
{
    for (int j = 0; j < out; j++)
        y[j] = b ? b[j] : 0.0f;
    for (int i = 0; i < in; i++) {
        const float *row = w + (size_t)i * out;
        for (int j = 0; j < out; j++)
            y[j] += x[i] * row[j];
    }
}

void cb_dense_backward(const float *w, int in, int out, const float *x, const float *gy, float *gw,
                       float *gb, float *gx)
{
    for (int i = 0; i < in; i++) {
        float *grow = gw + (size_t)i * out;
        const float *row = w + (size_t)i * out;
        double s = 0;
        for (int j = 0; j < out; j++) {
            grow[j] += x[i] * gy[j];
            s += (double)row[j] * gy[j];
        }
        if (gx)
            gx[i] = (float)s;
    }
    for (int j = 0; gb && j < out; j++)
        gb[j] += gy[j];
}
