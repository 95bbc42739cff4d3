/* Refused: parameter 'banks' has default 100, outside its own range 1..64. */
#include "minimal.h"
#include <stdlib.h>
#define BAD_PARAMS(P) P(INT, banks, "100", 1, 64, NULL, "", "banks per rank")
CB_PARAM_TABLE(bad_params, BAD_PARAMS);
static int bad_create(const cb_host *h, cb_error *e, void **self, int64_t banks)
{
    (void)h; (void)e; (void)banks;
    *self = NULL;
    return CB_OK;
}
CB_CHECK_CREATE(bad_create, BAD_PARAMS);
static const cb_plugin fx_bad_default = {sizeof(cb_plugin), CB_KIND_MEMORY, "fx_bad_default", "1.0.0",
                                         "schema default out of range", bad_params,
                                         (cb_fn)bad_create, NULL, &minimal_vt};
RAW_PACK(CB_ABI_MAJOR, CB_ABI_MINOR, CB_SIZES, "bad-default", &fx_bad_default)
