/* core/manifest/yamlerr.c: see yamlerr.h. The problem strings are libyaml 0.2's (scanner.c,
 * parser.c, reader.c); an unknown one falls through to libyaml's own words, never silence. */
#include "manifest/yamlerr.h"

#include <stdio.h>
#include <string.h>

/* Where the explanation points: at libyaml's problem mark, or at its context mark when that is
 * where the mistake starts (an unterminated string is best shown where it opens). */
enum { AT_PROBLEM, AT_CONTEXT };

typedef struct explanation {
    const char *problem;  /* libyaml's problem text, matched exactly */
    const char *context;  /* libyaml's context text, or NULL for any */
    int at;
    const char *fmt;      /* may use %d:%d once, for the context mark */
} explanation;

static const explanation table[] = {
    {"did not find expected key", "while parsing a block mapping", AT_PROBLEM,
     "inconsistent indentation (or a stray character): expected a key of the mapping that "
     "starts at %d:%d"},
    {"did not find expected '-' indicator", "while parsing a block collection", AT_PROBLEM,
     "inconsistent indentation: expected a '- ' item of the list that starts at %d:%d"},
    {"did not find expected ',' or ']'", "while parsing a flow sequence", AT_PROBLEM,
     "the list opened with '[' at %d:%d is not closed: expected ',' or ']'"},
    {"did not find expected ',' or '}'", "while parsing a flow mapping", AT_PROBLEM,
     "the mapping opened with '{' at %d:%d is not closed: expected ',' or '}'"},
    {"found unexpected end of stream", "while scanning a quoted scalar", AT_CONTEXT,
     "unterminated quoted string: the closing quote is missing"},
    {"found unknown escape character", "while parsing a quoted scalar", AT_PROBLEM,
     "unknown escape sequence in a double-quoted string (use single quotes to keep a '\\')"},
    {"mapping values are not allowed in this context", NULL, AT_PROBLEM,
     "unexpected ':' (quote a value that contains ': ', or put a nested mapping on its own "
     "indented lines)"},
    {"block sequence entries are not allowed in this context", NULL, AT_PROBLEM,
     "a '- ' list item cannot start here: start the list on its own line, indented under "
     "its key"},
    {"could not find expected ':'", "while scanning a simple key", AT_CONTEXT,
     "expected 'key: value' or '- item' (is the ':' missing, or the space after '-'?)"},
    {"did not find expected node content", NULL, AT_PROBLEM,
     "expected a value here (',', ']' and '}' cannot start one)"},
    {"found undefined tag handle", NULL, AT_CONTEXT,
     "YAML tags are not allowed in a manifest (the schema gives every value its type)"},
    {"did not find expected <document start>", NULL, AT_PROBLEM,
     "unexpected content after the manifest's top-level mapping (check the indentation)"},
    {"control characters are not allowed", NULL, AT_PROBLEM,
     "control character in the file: manifests are plain UTF-8 text"},
    {"invalid leading UTF-8 octet", NULL, AT_PROBLEM, "the file is not valid UTF-8 text"},
    {"invalid trailing UTF-8 octet", NULL, AT_PROBLEM, "the file is not valid UTF-8 text"},
    {"incomplete UTF-8 octet sequence", NULL, AT_PROBLEM, "the file is not valid UTF-8 text"},
    {"invalid Unicode character", NULL, AT_PROBLEM, "the file is not valid UTF-8 text"},
    {"invalid length of a UTF-8 sequence", NULL, AT_PROBLEM, "the file is not valid UTF-8 text"},
};

static const explanation *lookup(const yaml_parser_t *p)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const explanation *x = &table[i];
        if (p->problem && strcmp(p->problem, x->problem) == 0 &&
            (!x->context || (p->context && strcmp(p->context, x->context) == 0)))
            return x;
    }
    return NULL;
}

/* "found character that cannot start any token": name the character, which is what the user
 * must quote ('@' and '`' are reserved; tabs never get here, yamldoc refuses them first). */
static int bad_start(const yaml_parser_t *p, const cb_yamldoc *y, char *msg, size_t len)
{
    if (!p->problem || strcmp(p->problem, "found character that cannot start any token") != 0)
        return 0;
    size_t i = p->problem_mark.index;
    char c = i < y->len ? y->text[i] : '?';
    snprintf(msg, len, "'%c' cannot start a plain value: put the value in quotes", c);
    return 1;
}

void cb_yaml_explain(const yaml_parser_t *p, const cb_yamldoc *y, cb_mark *at, char *msg, size_t len)
{
    cb_mark problem = cb_yaml_mark(p->problem_mark), context = cb_yaml_mark(p->context_mark);
    /* Reader errors carry a byte offset; their marks are not filled in. */
    if (p->error == YAML_READER_ERROR)
        problem = cb_yaml_offset_mark(y, p->problem_offset);
    *at = problem;
    if (bad_start(p, y, msg, len))
        return;
    const explanation *x = lookup(p);
    if (x) {
        if (x->at == AT_CONTEXT)
            *at = context;
        snprintf(msg, len, x->fmt, context.line, context.col);
        return;
    }
    if (p->context)
        snprintf(msg, len, "YAML syntax error: %s (%s that starts at %d:%d)", p->problem,
                 p->context, context.line, context.col);
    else
        snprintf(msg, len, "YAML syntax error: %s", p->problem ? p->problem : "unknown");
}
