/* Refused at dlopen: links against a host symbol that does not exist (built without
 * -Wl,-z,defs on purpose, so the error surfaces at load, as it would for a stale plugin). */
#include "minimal.h"
extern int cb_missing_host_symbol(void);
CB_EXPORT int fx_undefined_use(void);
CB_EXPORT int fx_undefined_use(void) { return cb_missing_host_symbol(); }
MINIMAL_MEM(fx_undef, "fx_undef");
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, CB_SIZES, "undefined", &fx_undef)
