/* core/plugin/param.h: typed parameter values, from YAML text to cb_value and back.
 *
 * Owns: the one strict parser every parameter value goes through (schema defaults at lint
 * time and manifest values at validation time alike), range and choice checks, and printing.
 * Numbers are parsed whole (no trailing characters, no overflow); a quoted scalar is a string
 * and never an INT, REAL or BOOL.
 */
#ifndef CB_CORE_PARAM_H
#define CB_CORE_PARAM_H

#include <codebench/plugin.h>
#include <stdbool.h>
#include <stddef.h>

const char *cb_type_name(cb_type t); /* "int", "real", "bool", "string", "enum" */

/* Parses text as a value of p's type and checks it against p's range and choices.
 * quoted: the YAML scalar was quoted (then only STR and ENUM accept it).
 * On failure returns CB_EINVAL and writes a reason such as
 *   "expected an integer, got '8x'"  or  "8 is out of range 1..4"
 * into why. STR values point into text (the caller keeps text alive). */
int cb_param_parse(const cb_param *p, const char *text, bool quoted, cb_value *out,
                   char *why, size_t why_len);

/* Formats the range or choices of p ("1..64", "{rram, dram}", "any"); returns buf. */
const char *cb_param_range_str(const cb_param *p, char *buf, size_t len);

/* Formats v as p's type ("8", "0.5", "true", an enum's choice); returns buf. */
const char *cb_value_str(const cb_param *p, cb_value v, char *buf, size_t len);

/* Fills vals[0..n) with the schema's defaults (required ones left zeroed).
 * Returns CB_OK, or CB_EINVAL naming the first default that does not parse. */
int cb_param_defaults(const cb_param *params, cb_value *vals, char *why, size_t why_len);

#endif
