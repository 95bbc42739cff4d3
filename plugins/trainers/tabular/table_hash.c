/* plugins/trainers/tabular/table_hash.c: NAS-Bench-101's cell hash, byte for byte as
 * nasbench/lib/graph_util.py hash_module computes it (see table.h), and cells written as
 * "nb101:<n>:<mask>:<ops>".
 *
 * Every vertex starts as md5(str((out_degree, in_degree, label))), e.g. "(2, 0, -1)"; then, n
 * times, every vertex becomes md5(sorted in-neighbour hashes joined, "|", sorted out-neighbour
 * hashes joined, "|", its own hash), all from the previous round; the key is md5 of Python's
 * str() of the sorted list, "['<hex>', '<hex>', ...]". Isomorphic cells get the same key, so
 * the vertex order a caller uses does not matter. (The core has the same scheme for its own
 * graphs; a plugin sees only the SDK, hence this copy.) */
#include "table.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HEX = 33 };

static void md5_hex(EVP_MD_CTX *ctx, const EVP_MD *md, const char *s, size_t n, char *hex)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestInit_ex2(ctx, md, NULL);
    EVP_DigestUpdate(ctx, s, n);
    EVP_DigestFinal_ex(ctx, d, &len);
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < len && i < 16; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[32] = '\0';
}

static int cmp_hex(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends the sorted hashes of the vertices selected by pick[] to buf at *at. */
static void join_sorted(char (*hash)[HEX], const int *pick, int n, char *buf, size_t *at)
{
    const char *p[TB_NB101_MAXV];
    int k = 0;
    for (int w = 0; w < n; w++)
        if (pick[w])
            p[k++] = hash[w];
    qsort(p, (size_t)k, sizeof *p, cmp_hex);
    for (int i = 0; i < k; i++) {
        memcpy(buf + *at, p[i], 32);
        *at += 32;
    }
}

int tb_nb101_hash(int n, const unsigned char *adj, const int *ops, char *hex)
{
    if (n < 1 || n > TB_NB101_MAXV)
        return -1;
    /* fetched once per cell: OpenSSL 3 would otherwise look MD5 up again for every digest */
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_MD *md = EVP_MD_fetch(NULL, "MD5", NULL);
    if (!ctx || !md) {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
        return -1;
    }
    char hash[TB_NB101_MAXV][HEX], next[TB_NB101_MAXV][HEX];
    char buf[2 * TB_NB101_MAXV * 32 + 64];
    for (int v = 0; v < n; v++) {
        int in = 0, out = 0;
        for (int w = 0; w < n; w++) {
            in += adj[w * n + v];
            out += adj[v * n + w];
        }
        int len = snprintf(buf, sizeof buf, "(%d, %d, %d)", out, in, ops[v]);
        md5_hex(ctx, md, buf, (size_t)len, hash[v]);
    }
    for (int round = 0; round < n; round++) {
        for (int v = 0; v < n; v++) {
            int pin[TB_NB101_MAXV], pout[TB_NB101_MAXV];
            for (int w = 0; w < n; w++) {
                pin[w] = adj[w * n + v];
                pout[w] = adj[v * n + w];
            }
            size_t at = 0;
            join_sorted(hash, pin, n, buf, &at);
            buf[at++] = '|';
            join_sorted(hash, pout, n, buf, &at);
            buf[at++] = '|';
            memcpy(buf + at, hash[v], 32);
            md5_hex(ctx, md, buf, at + 32, next[v]);
        }
        memcpy(hash, next, sizeof hash);
    }
    const char *p[TB_NB101_MAXV];
    for (int v = 0; v < n; v++)
        p[v] = hash[v];
    qsort(p, (size_t)n, sizeof *p, cmp_hex);
    size_t at = 0;
    buf[at++] = '[';
    for (int v = 0; v < n; v++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s'%s'", v ? ", " : "", p[v]);
    buf[at++] = ']';
    md5_hex(ctx, md, buf, at, hex);
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return 0;
}

/* "<n>:<mask>:<ops>" after the prefix; the ops part may be empty (or absent) for 2 vertices. */
static int parse_spec(const char *s, int *n, unsigned long long *mask, const char **ops)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end != ':' || v < 2 || v > TB_NB101_MAXV)
        return -1;
    s = end + 1;
    *mask = strtoull(s, &end, 10);
    if (end == s || (*end != ':' && *end != '\0'))
        return -1;
    *ops = *end ? end + 1 : end;
    *n = (int)v;
    return strspn(*ops, "012") == strlen(*ops) && (int)strlen(*ops) == v - 2 ? 0 : -1;
}

int tb_nb101_spec_hash(const char *spec, char *hex, char *why, size_t why_len)
{
    int n = 0;
    unsigned long long mask = 0;
    const char *ops = "";
    if (strncmp(spec, "nb101:", 6) || parse_spec(spec + 6, &n, &mask, &ops)) {
        snprintf(why, why_len, "'%s' is not a NAS-Bench-101 cell written nb101:<vertices 2..7>:<edge mask>:<one "
                 "op digit 0..2 per interior vertex>", spec);
        return -1;
    }
    int lab[TB_NB101_MAXV];
    unsigned char adj[TB_NB101_MAXV * TB_NB101_MAXV] = {0};
    lab[0] = -1;
    lab[n - 1] = -2;
    for (int v = 1; v < n - 1; v++)
        lab[v] = ops[v - 1] - '0';
    for (int y = 1; y < n; y++)
        for (int x = 0; x < y; x++)
            if (mask >> (x + y * (y - 1) / 2) & 1)
                adj[x * n + y] = 1;
    if (n * (n - 1) / 2 < 64 && mask >> (n * (n - 1) / 2)) {
        snprintf(why, why_len, "'%s': the mask has edges beyond %d vertices", spec, n);
        return -1;
    }
    if (tb_nb101_hash(n, adj, lab, hex)) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    return 0;
}
