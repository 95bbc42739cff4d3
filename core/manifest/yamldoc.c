/* core/manifest/yamldoc.c: see yamldoc.h. */
#include "manifest/yamldoc.h"

#include "manifest/yamlerr.h"
#include "util/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_file(cb_yamldoc *y, const char *path, cb_diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "cannot read: %s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "cannot read: not a regular file");
    FILE *f = fopen(path, "rb");
    if (!f)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "cannot read: %s", strerror(errno));
    /* Read one byte past the limit so that a file that grew after stat() is caught too. */
    y->text = cb_xmalloc(CB_YAML_MAX_BYTES + 2);
    y->len = fread(y->text, 1, CB_YAML_MAX_BYTES + 1, f);
    int err = ferror(f);
    fclose(f);
    y->text[y->len] = '\0';
    if (err)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "cannot read: input/output error");
    if (y->len > CB_YAML_MAX_BYTES)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL,
                           "the file is larger than %u KiB: manifests are small; is it the right file?",
                           CB_YAML_MAX_BYTES / 1024);
    return CB_OK;
}

static void index_lines(cb_yamldoc *y)
{
    size_t cap = 0;
    cb_grow(&y->line_start, sizeof *y->line_start, 1, &cap);
    y->line_start[y->n_lines++] = 0;
    for (size_t i = 0; i < y->len; i++) {
        if (y->text[i] != '\n')
            continue;
        cb_grow(&y->line_start, sizeof *y->line_start, y->n_lines + 1, &cap);
        y->line_start[y->n_lines++] = i + 1;
    }
}

cb_mark cb_yaml_offset_mark(const cb_yamldoc *y, size_t at)
{
    size_t lo = 0, hi = y->n_lines; /* the last line starting at or before `at` */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (y->line_start[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    int col = 1;
    for (size_t i = y->line_start[lo]; i < at && i < y->len; i++)
        col += ((unsigned char)y->text[i] & 0xC0) != 0x80;
    return (cb_mark){(int)lo + 1, col};
}

void cb_yaml_source_line(const cb_yamldoc *y, int line, char *buf, size_t len)
{
    buf[0] = '\0';
    if (line < 1 || (size_t)line > y->n_lines)
        return;
    size_t start = y->line_start[line - 1], end = start;
    while (end < y->len && y->text[end] != '\n')
        end++;
    if (end > start && y->text[end - 1] == '\r')
        end--;
    size_t n = end - start < len - 1 ? end - start : len - 1;
    memcpy(buf, y->text + start, n);
    buf[n] = '\0';
}

int cb_yaml_fail(const cb_yamldoc *y, cb_diag *d, cb_mark at, const char *fmt, ...)
{
    char msg[sizeof d->msg], src[sizeof d->source];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb_yaml_source_line(y, at.line, src, sizeof src);
    return cb_diag_set(d, y->path, at, src, "%s", msg);
}

cb_mark cb_yaml_mark(yaml_mark_t m)
{
    return (cb_mark){(int)m.line + 1, (int)m.column + 1};
}

cb_mark cb_yaml_node_mark(const yaml_node_t *n)
{
    return cb_yaml_mark(n->start_mark);
}

/* Tabs are refused before parsing: YAML forbids them in indentation, and libyaml's message
 * for that case does not mention tabs. Refusing them everywhere keeps the rule simple. */
static int refuse_tabs(const cb_yamldoc *y, cb_diag *d)
{
    const char *tab = memchr(y->text, '\t', y->len);
    if (!tab)
        return CB_OK;
    cb_mark at = cb_yaml_offset_mark(y, (size_t)(tab - y->text));
    const char *s = y->text + y->line_start[at.line - 1];
    while (*s == ' ')
        s++;
    if (s == tab)
        return cb_yaml_fail(y, d, at, "tab character in the indentation: indent with spaces "
                                      "(YAML does not allow tabs there)");
    return cb_yaml_fail(y, d, at, "tab character: manifests use spaces only (write \\t in a "
                                  "double-quoted string for a tab)");
}

static const char *event_anchor(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return (const char *)ev->data.scalar.anchor;
    case YAML_SEQUENCE_START_EVENT: return (const char *)ev->data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT: return (const char *)ev->data.mapping_start.anchor;
    default: return NULL;
    }
}

static const char *event_tag(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return (const char *)ev->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT: return (const char *)ev->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT: return (const char *)ev->data.mapping_start.tag;
    default: return NULL;
    }
}

/* The token written at byte index (up to a space or flow indicator): a tag as the user wrote
 * it ("!!int"), where libyaml gives it resolved ("tag:yaml.org,2002:int"). */
static const char *token_at(const cb_yamldoc *y, size_t index, char *buf, size_t len)
{
    size_t n = 0;
    while (index + n < y->len && n + 1 < len && !strchr(" \r\n,[]{}", y->text[index + n]))
        n++;
    memcpy(buf, y->text + index, n);
    buf[n] = '\0';
    return buf;
}

/* One event's refusal (CB_EINVAL with d filled) or CB_OK. depth and docs carry state. */
static int check_event(const cb_yamldoc *y, const yaml_event_t *ev, int *depth, int *docs,
                       cb_diag *d)
{
    cb_mark at = cb_yaml_mark(ev->start_mark);
    if (ev->type == YAML_ALIAS_EVENT)
        return cb_yaml_fail(y, d, at, "YAML alias '*%s': aliases are not allowed in a manifest "
                                      "(write the value out)", (const char *)ev->data.alias.anchor);
    if (event_anchor(ev))
        return cb_yaml_fail(y, d, at, "YAML anchor '&%s': anchors are not allowed in a manifest "
                                      "(write each value where it is used)", event_anchor(ev));
    char tag[64];
    if (event_tag(ev))
        return cb_yaml_fail(y, d, at, "YAML tag '%s': tags are not allowed in a manifest (the "
                                      "schema gives every value its type)",
                            token_at(y, ev->start_mark.index, tag, sizeof tag));
    if (ev->type == YAML_DOCUMENT_START_EVENT && ++*docs > 1)
        return cb_yaml_fail(y, d, at, "a second YAML document: a manifest is one document "
                                      "(remove this '---' and what follows, or merge them)");
    if (ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) {
        if (++*depth > CB_YAML_MAX_DEPTH)
            return cb_yaml_fail(y, d, at, "nested deeper than %d levels", CB_YAML_MAX_DEPTH);
    } else if (ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT) {
        --*depth;
    }
    return CB_OK;
}

static void parser_open(yaml_parser_t *p, const cb_yamldoc *y)
{
    yaml_parser_initialize(p);
    /* UTF-8 only: a UTF-16 file then fails as "not valid UTF-8" instead of being decoded
     * with columns that no longer match the bytes shown in the caret line. */
    yaml_parser_set_encoding(p, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(p, (const unsigned char *)y->text, y->len);
}

static int syntax_error(const cb_yamldoc *y, const yaml_parser_t *p, cb_diag *d)
{
    char msg[sizeof d->msg];
    cb_mark at;
    cb_yaml_explain(p, y, &at, msg, sizeof msg);
    return cb_yaml_fail(y, d, at, "%s", msg);
}

/* The event pass: syntax errors and every refusal that the document API would hide. */
static int scan_events(const cb_yamldoc *y, cb_diag *d)
{
    yaml_parser_t p;
    parser_open(&p, y);
    int depth = 0, docs = 0, rc = CB_OK;
    for (bool done = false; !done && rc == CB_OK;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = syntax_error(y, &p, d);
            break;
        }
        rc = check_event(y, &ev, &depth, &docs, d);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int by_key_then_place(const void *a, const void *b)
{
    const yaml_node_t *x = *(yaml_node_t *const *)a, *y = *(yaml_node_t *const *)b;
    int c = strcmp(cb_yaml_str(x), cb_yaml_str(y));
    if (c)
        return c;
    return x->start_mark.index < y->start_mark.index ? -1 : x->start_mark.index > y->start_mark.index;
}

/* The repeated key of map that comes first in the file (NULL: none); *first gets its first
 * occurrence. Sorting keeps this O(n log n) however many keys a hostile file has. */
static yaml_node_t *first_duplicate(cb_yamldoc *y, yaml_node_t *map, yaml_node_t **first)
{
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    yaml_node_t **keys = cb_xcalloc(n, sizeof *keys);
    size_t k = 0;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *key = cb_yaml_node(y, pr->key);
        if (key && key->type == YAML_SCALAR_NODE)
            keys[k++] = key;
    }
    qsort(keys, k, sizeof *keys, by_key_then_place);
    /* Equal keys sort together, in file order: in each run, the second is the duplicate. */
    yaml_node_t *dup = NULL;
    for (size_t i = 1; i < k; i++) {
        bool repeat = strcmp(cb_yaml_str(keys[i]), cb_yaml_str(keys[i - 1])) == 0;
        bool second = repeat && (i < 2 || strcmp(cb_yaml_str(keys[i - 2]), cb_yaml_str(keys[i])) != 0);
        if (second && (!dup || keys[i]->start_mark.index < dup->start_mark.index)) {
            dup = keys[i];
            *first = keys[i - 1];
        }
    }
    free(keys);
    return dup;
}

/* Duplicate keys, over every mapping of the document; the one earliest in the file is named. */
static int refuse_duplicates(cb_yamldoc *y, cb_diag *d)
{
    yaml_node_t *dup = NULL, *first = NULL;
    for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++) {
        if (n->type != YAML_MAPPING_NODE)
            continue;
        yaml_node_t *f = NULL, *k = first_duplicate(y, n, &f);
        if (k && (!dup || k->start_mark.index < dup->start_mark.index)) {
            dup = k;
            first = f;
        }
    }
    if (!dup)
        return CB_OK;
    cb_mark was = cb_yaml_node_mark(first);
    return cb_yaml_fail(y, d, cb_yaml_node_mark(dup), "duplicate key '%s' (first given at %d:%d)",
                        cb_yaml_str(dup), was.line, was.col);
}

static int load_document(cb_yamldoc *y, cb_diag *d)
{
    yaml_parser_t p;
    parser_open(&p, y);
    int ok = yaml_parser_load(&p, &y->doc);
    int rc = ok ? CB_OK : syntax_error(y, &p, d);
    yaml_parser_delete(&p);
    y->has_doc = ok;
    return rc;
}

int cb_yamldoc_load(cb_yamldoc *y, const char *path, cb_diag *d)
{
    memset(y, 0, sizeof *y);
    cb_diag_clear(d);
    y->path = cb_xstrdup(path);
    int rc = read_file(y, path, d);
    if (rc == CB_OK) {
        index_lines(y);
        rc = refuse_tabs(y, d);
    }
    if (rc == CB_OK)
        rc = scan_events(y, d);
    if (rc == CB_OK)
        rc = load_document(y, d);
    if (rc == CB_OK)
        rc = refuse_duplicates(y, d);
    if (rc != CB_OK)
        cb_yamldoc_free(y);
    return rc;
}

void cb_yamldoc_free(cb_yamldoc *y)
{
    if (y->has_doc)
        yaml_document_delete(&y->doc);
    free(y->path);
    free(y->text);
    free(y->line_start);
    memset(y, 0, sizeof *y);
}

yaml_node_t *cb_yaml_root(cb_yamldoc *y)
{
    return y->has_doc ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *cb_yaml_node(cb_yamldoc *y, int id)
{
    return yaml_document_get_node(&y->doc, id);
}

yaml_node_t *cb_yaml_get(cb_yamldoc *y, yaml_node_t *map, const char *key, yaml_node_t **key_node)
{
    if (key_node)
        *key_node = NULL;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = cb_yaml_node(y, pr->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp(cb_yaml_str(k), key) == 0) {
            if (key_node)
                *key_node = k;
            return cb_yaml_node(y, pr->value);
        }
    }
    return NULL;
}

const char *cb_yaml_str(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

bool cb_yaml_is_quoted(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
}

bool cb_yaml_is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || cb_yaml_is_quoted(n))
        return false;
    const char *s = cb_yaml_str(n);
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}
