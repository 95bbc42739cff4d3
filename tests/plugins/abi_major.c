/* Refused: built for plugin ABI 2.0. */
#include "minimal.h"
MINIMAL_MEM(fx_major, "fx_major");
RAW_PACK(2, 0, CB_SIZES, "abi-major", &fx_major)
