/* core/report/refs_find.c: the manifest behind a run folder: its text as the run database
 * recorded it, whether that text lists output.references, and the file it was read from. The
 * database keeps the text but not the file's path, and a reference's cards are named relative
 * to the manifest's folder, so the report takes the file `codebench run` recorded (meta
 * manifest_path) when it still holds that text, else looks for the file whose text is exactly
 * the recorded one near the run folder (where `codebench run` puts it by default). */
#include "report/refs.h"
#include "util/util.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* The first column of the first row sql gives in run_dir's database, or NULL. Read-only: the
 * report must never create or change a database (cb_store_open would). */
static char *query_text(const char *run_dir, const char *sql)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/codebench.db", run_dir);
    sqlite3 *db = NULL;
    char *text = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_text(st, 0))
            text = cb_xstrdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return text;
}

char *cb_report_manifest_text(const char *run_dir)
{
    return query_text(run_dir, "SELECT text FROM manifest ORDER BY id LIMIT 1");
}

static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

int cb_report_text_has_references(const char *text)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return 0;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    int found = 0;
    if (yaml_parser_load(&parser, &doc)) {
        yaml_node_t *refs = get(&doc, get(&doc, yaml_document_get_root_node(&doc), "output"), "references");
        found = refs && refs->type == YAML_SEQUENCE_NODE &&
                refs->data.sequence.items.top > refs->data.sequence.items.start;
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return found;
}

typedef struct search {
    const char *text;
    size_t len;
    size_t budget; /* directory entries left to look at */
    char *found;
} search;

static int same_text(const char *path, const search *s)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return 0;
    char *buf = cb_xmalloc(s->len + 1);
    size_t n = fread(buf, 1, s->len + 1, in);
    fclose(in);
    int same = n == s->len && memcmp(buf, s->text, s->len) == 0;
    free(buf);
    return same;
}

static int is_yaml(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
}

/* Files of dir first (sorted, so the answer does not depend on the file system's order), then
 * its subfolders while depth lasts. The size test makes a non-matching file cost one stat. */
static void walk(search *s, const char *dir, int depth)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n && !s->found && s->budget; i++) {
            const char *name = names[i]->d_name;
            if (name[0] == '.')
                continue;
            s->budget--;
            char *path = cb_xasprintf("%s/%s", dir, name);
            struct stat st;
            if (stat(path, &st) == 0) {
                if (pass == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == s->len && is_yaml(name) &&
                    same_text(path, s))
                    s->found = cb_xstrdup(path);
                else if (pass == 1 && S_ISDIR(st.st_mode) && depth > 0)
                    walk(s, path, depth - 1);
            }
            free(path);
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The manifest's path as `codebench run` recorded it (meta manifest_path), or NULL. */
static char *recorded_path(const char *run_dir)
{
    return query_text(run_dir, "SELECT value FROM meta WHERE key = 'manifest_path'");
}

char *cb_report_find_manifest(const char *run_dir, const char *text)
{
    /* First the file the run was started from, if it still holds the recorded text. */
    char *rec = text ? recorded_path(run_dir) : NULL;
    if (rec) {
        search probe = {text, strlen(text), 1, NULL};
        if (same_text(rec, &probe))
            return rec;
        free(rec);
    }
    char *dir = text ? realpath(run_dir, NULL) : NULL;
    if (!dir)
        return NULL;
    search s = {text, strlen(text), 20000, NULL};
    walk(&s, dir, 0);
    /* up to three folders above; "/" itself is not searched (too wide to mean anything) */
    for (int up = 0; up < 3 && !s.found; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
        walk(&s, dir, 2);
    }
    free(dir);
    return s.found;
}
