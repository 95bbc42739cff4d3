/* core/manifest/yamlerr.h: libyaml's parser errors in plain words.
 *
 * Owns: the table that maps libyaml's (problem, context) pairs, such as "did not find expected
 * key" while "parsing a block mapping", to what a user should fix ("inconsistent indentation:
 * ..."), and the 0-based to 1-based conversion of its marks. libyaml reports reader errors
 * (bad UTF-8, control characters) by byte offset, not by mark; those are converted too. */
#ifndef CB_CORE_YAMLERR_H
#define CB_CORE_YAMLERR_H

#include "manifest/yamldoc.h"

/* Writes the explanation of p's error into msg and the place to show into *at. */
void cb_yaml_explain(const yaml_parser_t *p, const cb_yamldoc *y, cb_mark *at, char *msg, size_t len);

#endif
