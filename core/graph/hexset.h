/* core/graph/hexset.h: a set of hex digests (graph hashes), for de-duplication.
 *
 * Owns: open addressing over fixed-length hex strings (all of one length, set at init), with
 * insertion order kept so that the n-th distinct hash can be read back.
 */
#ifndef CB_GRAPH_HEXSET_H
#define CB_GRAPH_HEXSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cb_hexset {
    int len;          /* hex digits per entry */
    char *keys;       /* n entries of len chars, in insertion order */
    size_t n, cap;
    size_t *slots;    /* index + 1, 0 empty */
    size_t n_slots;
} cb_hexset;

void cb_hexset_init(cb_hexset *s, int len);
void cb_hexset_free(cb_hexset *s);

/* Adds hex; true when it was not there. */
bool cb_hexset_add(cb_hexset *s, const char *hex);
bool cb_hexset_has(const cb_hexset *s, const char *hex);
/* The index of hex in insertion order, or -1. */
long cb_hexset_index(const cb_hexset *s, const char *hex);

#endif
