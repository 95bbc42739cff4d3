/* core/graph/hexset.c: see hexset.h. Digests are uniformly distributed already, so their
 * first 16 hex digits are the slot hash. */
#include "graph/hexset.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void cb_hexset_init(cb_hexset *s, int len)
{
    memset(s, 0, sizeof *s);
    s->len = len;
}

void cb_hexset_free(cb_hexset *s)
{
    free(s->keys);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static uint64_t prefix(const char *hex, int len)
{
    uint64_t h = 0;
    for (int i = 0; i < len && i < 16; i++) {
        char c = hex[i];
        h = h << 4 | (uint64_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
    }
    return h * 0x9e3779b97f4a7c15ull;
}

static size_t find_slot(const cb_hexset *s, const char *hex)
{
    size_t mask = s->n_slots - 1, i = (size_t)prefix(hex, s->len) & mask;
    while (s->slots[i] && memcmp(s->keys + (s->slots[i] - 1) * (size_t)s->len, hex, (size_t)s->len) != 0)
        i = (i + 1) & mask;
    return i;
}

static void rehash(cb_hexset *s)
{
    free(s->slots);
    s->n_slots = s->n_slots ? 2 * s->n_slots : 1024;
    s->slots = cb_xcalloc(s->n_slots, sizeof *s->slots);
    for (size_t i = 0; i < s->n; i++)
        s->slots[find_slot(s, s->keys + i * (size_t)s->len)] = i + 1;
}

bool cb_hexset_add(cb_hexset *s, const char *hex)
{
    if (2 * (s->n + 1) > s->n_slots)
        rehash(s);
    size_t i = find_slot(s, hex);
    if (s->slots[i])
        return false;
    cb_grow(&s->keys, (size_t)s->len, s->n + 1, &s->cap);
    memcpy(s->keys + s->n * (size_t)s->len, hex, (size_t)s->len);
    s->slots[i] = ++s->n;
    return true;
}

long cb_hexset_index(const cb_hexset *s, const char *hex)
{
    if (!s->n_slots)
        return -1;
    size_t i = find_slot(s, hex);
    return s->slots[i] ? (long)s->slots[i] - 1 : -1;
}

bool cb_hexset_has(const cb_hexset *s, const char *hex)
{
    return cb_hexset_index(s, hex) >= 0;
}
