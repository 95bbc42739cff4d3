/* core/graph/digest.h: hex digests for graph hashing.
 *
 * Owns: a reusable SHA-256 or MD5 hasher (OpenSSL EVP, the algorithm fetched once per hasher so
 * that hashing hundreds of thousands of cells does not pay a lookup per digest), giving
 * lower-case hex text, which is what the seeds' and NAS-Bench-101's hashes are made of. A hasher
 * is used by one thread at a time; make one per thread.
 */
#ifndef CB_GRAPH_DIGEST_H
#define CB_GRAPH_DIGEST_H

#include <stddef.h>

typedef enum cb_hash_algo {
    CB_HASH_SHA256 = 0, /* the seeds' hash_algo: sha256 (64 hex digits) */
    CB_HASH_MD5 = 1     /* NAS-Bench-101's keys (32 hex digits) */
} cb_hash_algo;

#define CB_HEX_MAX 65 /* room for the longest hex digest and its NUL */

typedef struct cb_hasher {
    void *md;   /* EVP_MD * */
    void *ctx;  /* EVP_MD_CTX * */
    int hex_len;
    cb_hash_algo algo;
} cb_hasher;

/* 0, or -1 when libcrypto cannot provide the algorithm. */
int cb_hasher_init(cb_hasher *h, cb_hash_algo algo);
void cb_hasher_free(cb_hasher *h);

/* hex = digest of data as hex_len lower-case hex digits and a NUL. */
void cb_hasher_hex(cb_hasher *h, const void *data, size_t n, char *hex);

/* "sha256" / "md5" and back (-1 when unknown). */
const char *cb_hash_algo_name(cb_hash_algo a);
int cb_hash_algo_from_name(const char *name);

#endif
