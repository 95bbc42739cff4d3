/* Refused: built for a newer minor (1.<core minor + 1>) than this codebench provides. */
#include "minimal.h"
MINIMAL_MEM(fx_minor, "fx_minor");
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR + 1, CB_SIZES, "abi-minor", &fx_minor)
