/* core/graph/spacefile.h: reading a space file, the YAML description of a CNNBench module
 * space (docs/cnnbench.md has the format; examples/spaces/ holds the seeds' space).
 *
 * Owns: loading one into a cb_modspace, every op resolved through the plugin registry and
 * every attribute value checked by the op's own schema with the strict parser, errors as
 * file:line:col: message (1-based) with the source line; unknown keys are refused with a
 * did-you-mean.
 */
#ifndef CB_GRAPH_SPACEFILE_H
#define CB_GRAPH_SPACEFILE_H

#include "graph/modspace.h"
#include "manifest/diag.h"
#include "plugin/registry.h"

int cb_spacefile_load(const char *path, cb_registry *reg, cb_modspace *sp, cb_diag *d);

#endif
