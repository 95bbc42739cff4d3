/* nn_internal.h: helpers shared by the nn_*.c files of libcbsdk (not installed). */
#ifndef CB_NN_INTERNAL_H
#define CB_NN_INTERNAL_H

#include <codebench/nn.h>

/* CB_OK when the geometry is usable (layer count, widths, branch split). */
int cb_nn_check_spec(const cb_nn_spec *s);
int cb_nn_max_width(const cb_nn_spec *s);
int cb_nn_sum_width(const cb_nn_spec *s); /* widths of every layer's output */
/* Xavier-uniform weights for layer l (in x out), zero across branches. */
void cb_nn_xavier(const cb_nn_spec *s, int l, float *w, cb_rng *r);
/* Zeroes the entries of layer l's weight array that cross branches. */
void cb_nn_mask_cross(const cb_nn_spec *s, int l, float *w);
void cb_nn_add_bias(float *y, const float *b, int n, int out);
void cb_nn_colsum_add(const float *d, int n, int out, float *gb);
/* y (out) = x (in) W (in x out), double x and float W; y += when acc. */
void cb_nn_vecmat(const double *x, const float *w, int in, int out, double *y, int acc);
/* y (in) = x (out) W^T */
void cb_nn_vecmat_t(const double *x, const float *w, int in, int out, double *y);
void cb_nn_spec_save(const cb_nn_spec *s, cb_state_writer *w);
void cb_nn_spec_expect(const cb_nn_spec *s, cb_state_reader *r);

#endif
