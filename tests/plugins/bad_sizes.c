/* Refused: the type-size fingerprint says 4-byte doubles. */
#include "minimal.h"
MINIMAL_MEM(fx_sizes, "fx_sizes");
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, (uint32_t)(sizeof(void *) << 16 | 8 << 8 | 4), "bad-sizes", &fx_sizes)
