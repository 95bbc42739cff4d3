/* core/graph/digest.c: SHA-256 and MD5 hex digests through OpenSSL EVP (see digest.h). */
#include "graph/digest.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

int cb_hasher_init(cb_hasher *h, cb_hash_algo algo)
{
    memset(h, 0, sizeof *h);
    h->algo = algo;
    EVP_MD *md = EVP_MD_fetch(NULL, algo == CB_HASH_MD5 ? "MD5" : "SHA256", NULL);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!md || !ctx) {
        EVP_MD_free(md);
        EVP_MD_CTX_free(ctx);
        return -1;
    }
    h->md = md;
    h->ctx = ctx;
    h->hex_len = 2 * EVP_MD_get_size(md);
    return 0;
}

void cb_hasher_free(cb_hasher *h)
{
    EVP_MD_CTX_free(h->ctx);
    EVP_MD_free(h->md);
    memset(h, 0, sizeof *h);
}

void cb_hasher_hex(cb_hasher *h, const void *data, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestInit_ex2(h->ctx, h->md, NULL);
    EVP_DigestUpdate(h->ctx, data, n);
    EVP_DigestFinal_ex(h->ctx, d, &len);
    for (unsigned int i = 0; i < len; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[2 * len] = '\0';
}

const char *cb_hash_algo_name(cb_hash_algo a)
{
    return a == CB_HASH_MD5 ? "md5" : "sha256";
}

int cb_hash_algo_from_name(const char *name)
{
    if (strcmp(name, "sha256") == 0)
        return CB_HASH_SHA256;
    if (strcmp(name, "md5") == 0)
        return CB_HASH_MD5;
    return -1;
}
