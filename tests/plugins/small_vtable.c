/* Refused: a search vtable shorter than ABI 1.0's. */
#include "minimal.h"
static const struct { uint32_t size; void *ask; } tiny_vt = {sizeof tiny_vt, NULL};
static const cb_plugin fx_tiny = {sizeof(cb_plugin), CB_KIND_SEARCH, "fx_tiny", "1.0.0",
                                  "vtable too small", NULL, NULL, NULL, &tiny_vt};
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, CB_SIZES, "small-vtable", &fx_tiny)
