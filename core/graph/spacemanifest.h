/* core/graph/spacemanifest.h: a manifest's cnn section (space: modules) as a module space. */
#ifndef CB_GRAPH_SPACEMANIFEST_H
#define CB_GRAPH_SPACEMANIFEST_H

#include "graph/modspace.h"
#include "manifest/manifest.h"

/* Fills sp from m's cnn section (modules only: see spacemanifest.c). */
int cb_modspace_from_manifest(const cb_manifest *m, cb_modspace *sp, char *why, size_t len);

#endif
