/* core/report/base64.c: see base64.h. */
#include "report/base64.h"

#include <stdint.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encodes one group of 1..3 bytes as 4 characters, '=' padding the missing ones. */
static void group(FILE *out, const unsigned char *b, size_t k)
{
    uint32_t v = (uint32_t)b[0] << 16 | (k > 1 ? (uint32_t)b[1] << 8 : 0) | (k > 2 ? b[2] : 0);
    char c[4] = {alphabet[v >> 18 & 63], alphabet[v >> 12 & 63], k > 1 ? alphabet[v >> 6 & 63] : '=',
                 k > 2 ? alphabet[v & 63] : '='};
    fwrite(c, 1, 4, out);
}

void cb_base64_write(FILE *out, const unsigned char *data, size_t n)
{
    for (size_t i = 0; i < n; i += 3)
        group(out, data + i, n - i < 3 ? n - i : 3);
}

int cb_base64_file(FILE *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    /* a multiple of 3 bytes per read keeps groups from straddling reads */
    unsigned char buf[3 * 4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        cb_base64_write(out, buf, n);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}
