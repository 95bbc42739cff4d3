/* core/util/json.h: writing JSON text (strings escaped per RFC 8259, numbers that round-trip).
 * Reading JSON is not here: see the JSON library the data loaders use. */
#ifndef CB_CORE_JSON_H
#define CB_CORE_JSON_H

#include <stdio.h>

void cb_json_str(FILE *out, const char *s);   /* "..." with escapes; null for NULL */
void cb_json_num(FILE *out, double v);        /* shortest round-trip form; null for NaN/inf */

#endif
