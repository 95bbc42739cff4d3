/* core/report/base64.h: base64 (RFC 4648) for the report's data: URIs, so index.html carries
 * its figures inside itself. */
#ifndef CB_CORE_REPORT_BASE64_H
#define CB_CORE_REPORT_BASE64_H

#include <stddef.h>
#include <stdio.h>

/* Writes the base64 encoding of data[0..n) to out. */
void cb_base64_write(FILE *out, const unsigned char *data, size_t n);

/* Writes the base64 encoding of the file at path to out; -1 when it cannot be read. */
int cb_base64_file(FILE *out, const char *path);

#endif
