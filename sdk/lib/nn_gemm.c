/* nn_gemm.c: the reference GEMM (plain loops, row-major, cb_host.sgemm's contract) that the
 * nn helpers fall back on when a plugin passes no BLAS, and tests use as ground truth. */
#include <codebench/nn.h>

void cb_nn_gemm_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float *a,
                    int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int t = 0; t < k; t++) {
                float av = trans_a ? a[t * lda + i] : a[i * lda + t];
                float bv = trans_b ? b[j * ldb + t] : b[t * ldb + j];
                s += (double)av * bv;
            }
            float *cij = &c[i * ldc + j];
            /* beta 0 overwrites, as BLAS does, so C may start uninitialized */
            *cij = (float)(alpha * s + (beta == 0.0f ? 0.0 : (double)beta * *cij));
        }
}
