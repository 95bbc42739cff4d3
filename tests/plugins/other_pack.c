/* Accepted, but provides a memory plugin also called fx_mem (as the fixture pack does): a
 * plain look-up of fx_mem is then ambiguous and pack/name picks one. */
#include "minimal.h"
MINIMAL_MEM(fx_mem_other, "fx_mem");
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, CB_SIZES, "other", &fx_mem_other)
