/* Refused: two memory plugins called fx_dup in one pack. */
#include "minimal.h"
MINIMAL_MEM(fx_dup_a, "fx_dup");
MINIMAL_MEM(fx_dup_b, "fx_dup");
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, CB_SIZES, "dup", &fx_dup_a, &fx_dup_b)
