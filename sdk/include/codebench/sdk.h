/* codebench/sdk.h: pure helpers from libcbsdk.a, the static library every plugin may link.
 *
 * Owns: error formatting without a host (for pure functions such as op infer()), schema
 * look-ups and shape formatting. Nothing here keeps state or touches the core.
 */
#ifndef CODEBENCH_SDK_H
#define CODEBENCH_SDK_H

#include "op.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills e (param may be NULL) and returns code. e may be NULL (then only returns code). */
int cb_error_set(cb_error *e, int code, const char *param, const char *fmt, ...) CB_PRINTF(4, 5);

/* The index of the parameter called name in a NULL-terminated schema, or -1. */
int cb_param_index(const cb_param *params, const char *name);

/* Number of entries in a NULL-terminated schema (0 for NULL). */
int cb_param_count(const cb_param *params);

/* Writes "CxHxW" (or "NxCxDxHxW" when n or d differ from 1) into buf; returns buf. */
const char *cb_shape_str(cb_shape s, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_SDK_H */
