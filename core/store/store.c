/* core/store/store.c: the SQLite run database (see store.h). */
#include "store/store.h"
#include "util/util.h"

#include <errno.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cb_store {
    sqlite3 *db;
    char *path;
    char last_error[256]; /* the last failed write's reason: sqlite3_errmsg forgets it once rolled back */
};

#define CB_STORE_FORMAT 1

static const char *schema =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS manifest(id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL,"
    "  text TEXT NOT NULL, created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE TABLE IF NOT EXISTS search_state(id INTEGER PRIMARY KEY, state BLOB NOT NULL,"
    "  created TEXT NOT NULL DEFAULT (datetime('now')));"
    "CREATE TABLE IF NOT EXISTS evaluations(id INTEGER PRIMARY KEY, cnn INTEGER NOT NULL,"
    "  cnn_hash TEXT NOT NULL, level INTEGER NOT NULL, accel TEXT NOT NULL,"
    "  status INTEGER NOT NULL, state_id INTEGER NOT NULL,"
    "  accuracy REAL, latency_s REAL, area_mm2 REAL, dyn_energy_j REAL, leak_energy_j REAL,"
    "  throughput_fps REAL, edp REAL, performance REAL, acc_std REAL,"
    "  train_s REAL, sim_s REAL, error TEXT,"
    "  asked TEXT NOT NULL DEFAULT (datetime('now')), finished TEXT);"
    "CREATE INDEX IF NOT EXISTS evaluations_pair ON evaluations(cnn_hash, accel);"
    "CREATE TABLE IF NOT EXISTS layers(eval_id INTEGER NOT NULL REFERENCES evaluations(id),"
    "  layer INTEGER NOT NULL, name TEXT, op TEXT, cycles REAL, compute_cycles REAL,"
    "  stall_cycles REAL, latency_s REAL, dyn_energy_j REAL, leak_energy_j REAL,"
    "  PRIMARY KEY(eval_id, layer));"
    "CREATE TABLE IF NOT EXISTS accuracy_cache(cnn_hash TEXT PRIMARY KEY, accuracy REAL NOT NULL,"
    "  acc_std REAL NOT NULL, seconds REAL, checkpoint TEXT);"
    "CREATE TABLE IF NOT EXISTS curves(cnn_hash TEXT NOT NULL, epoch INTEGER NOT NULL, loss REAL,"
    "  accuracy REAL, val_accuracy REAL, PRIMARY KEY(cnn_hash, epoch));"
    "CREATE TABLE IF NOT EXISTS growth(id INTEGER PRIMARY KEY, level INTEGER NOT NULL,"
    "  parents TEXT NOT NULL, state_id INTEGER NOT NULL,"
    "  created TEXT NOT NULL DEFAULT (datetime('now')));";

static int fail(char *err, size_t len, const char *what, const char *detail)
{
    if (err)
        snprintf(err, len, "%s: %s", what, detail);
    return -1;
}

static int exec(cb_store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(s->last_error, sizeof s->last_error, "%s", msg ? msg : sqlite3_errstr(rc));
        fprintf(stderr, "codebench: database %s: %s\n", s->path, s->last_error);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int check_format(cb_store *s, char *err, size_t len)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='format'", -1, &st, NULL))
        return fail(err, len, s->path, sqlite3_errmsg(s->db));
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int format = atoi((const char *)sqlite3_column_text(st, 0));
        if (format != CB_STORE_FORMAT) {
            char detail[128];
            snprintf(detail, sizeof detail, "database format %d, this codebench reads format %d",
                     format, CB_STORE_FORMAT);
            rc = fail(err, len, s->path, detail);
        }
    } else {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO meta VALUES('format', '%d')", CB_STORE_FORMAT);
        rc = exec(s, sql);
    }
    sqlite3_finalize(st);
    return rc;
}

/* mkdir -p: the run folder's parents are created too (runs/ on a first run). */
static int make_dirs(const char *dir)
{
    char *p = cb_xstrdup(dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                free(p);
                return -1;
            }
            *s = '/';
        }
    int rc = mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

cb_store *cb_store_open(const char *dir, char *err, size_t err_len)
{
    if (make_dirs(dir) != 0) {
        fail(err, err_len, dir, strerror(errno));
        return NULL;
    }
    if (access(dir, W_OK) != 0) {
        char detail[256];
        snprintf(detail, sizeof detail, "the run folder is not writable (%s)", strerror(errno));
        fail(err, err_len, dir, detail);
        return NULL;
    }
    cb_store *s = cb_xcalloc(1, sizeof *s);
    s->path = cb_xasprintf("%s/codebench.db", dir);
    if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fail(err, err_len, s->path, sqlite3_errmsg(s->db));
        cb_store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;") ||
        exec(s, schema) || check_format(s, err, err_len)) {
        if (err && !err[0])
            fail(err, err_len, s->path, s->last_error[0] ? s->last_error : sqlite3_errmsg(s->db));
        cb_store_close(s);
        return NULL;
    }
    return s;
}

void cb_store_close(cb_store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static void sha256_hex(const char *text, char out[65])
{
    unsigned char d[32];
    unsigned int n = 0;
    EVP_Digest(text, strlen(text), d, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

int cb_store_manifest(cb_store *s, const char *text, char *err, size_t err_len)
{
    char hash[65];
    sha256_hex(text, hash);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "SELECT sha256 FROM manifest ORDER BY id LIMIT 1", -1, &st, NULL);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *old = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(old, hash) != 0) {
            char detail[300];
            snprintf(detail, sizeof detail,
                     "this run folder holds a study of another manifest (sha256 %.12s..., now %.12s...): "
                     "use another output folder, or the original manifest to resume",
                     old, hash);
            rc = fail(err, err_len, s->path, detail);
        }
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    sqlite3_prepare_v2(s->db, "INSERT INTO manifest(sha256, text) VALUES(?, ?)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = fail(err, err_len, s->path, sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return rc;
}

/* The accelerator vector as text: "[2,16,8,...]", the key of the simulation cache. */
static void accel_text(const cb_pair *p, char *buf, size_t len)
{
    size_t at = 0;
    at += (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < p->n_accel && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%.17g", i ? "," : "", p->accel[i]);
    if (at < len)
        snprintf(buf + at, len - at, "]");
}

static void parse_accel(const char *text, cb_pair *p)
{
    p->n_accel = 0;
    const char *c = text && *text == '[' ? text + 1 : "";
    while (*c && *c != ']' && p->n_accel < CB_ACCEL_MAX) {
        char *end;
        p->accel[p->n_accel++] = strtod(c, &end);
        c = *end == ',' ? end + 1 : end;
        if (end == c && *c != ']')
            break;
    }
}

int64_t cb_store_add_pending(cb_store *s, const cb_pair *p, const char *cnn_hash, int64_t state_id)
{
    char accel[CB_ACCEL_MAX * 26 + 4];
    accel_text(p, accel, sizeof accel);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db,
                       "INSERT INTO evaluations(cnn, cnn_hash, level, accel, status, state_id) "
                       "VALUES(?, ?, ?, ?, 0, ?)",
                       -1, &st, NULL);
    sqlite3_bind_int64(st, 1, p->cnn);
    sqlite3_bind_text(st, 2, cnn_hash ? cnn_hash : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, p->level);
    sqlite3_bind_text(st, 4, accel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, state_id);
    int64_t id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db) : -1;
    if (id < 0)
        snprintf(s->last_error, sizeof s->last_error, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return id;
}

int cb_store_set_meta(cb_store *s, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", -1, &st, NULL))
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

const char *cb_store_last_error(const cb_store *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s: %s", s->path, s->last_error[0] ? s->last_error : sqlite3_errmsg(s->db));
    return buf;
}

static int64_t insert_state(cb_store *s, const void *state, size_t len)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "INSERT INTO search_state(state) VALUES(?)", -1, &st, NULL);
    sqlite3_bind_blob64(st, 1, state ? state : "", state ? len : 0, SQLITE_STATIC);
    int64_t id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db) : -1;
    sqlite3_finalize(st);
    return id;
}

static int bind_metric(sqlite3_stmt *st, int i, double v, bool known)
{
    return known ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

static int update_row(cb_store *s, int64_t id, const cb_metrics *m, double train_s, double sim_s,
                      const char *error)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db,
                       "UPDATE evaluations SET status=?, accuracy=?, latency_s=?, area_mm2=?,"
                       " dyn_energy_j=?, leak_energy_j=?, throughput_fps=?, edp=?, performance=?,"
                       " acc_std=?, train_s=?, sim_s=?, error=?, finished=datetime('now') WHERE id=?",
                       -1, &st, NULL);
    int status = m->status == CB_EVAL_OK ? CB_ROW_OK
                 : m->status == CB_EVAL_INFEASIBLE ? CB_ROW_INFEASIBLE : CB_ROW_FAILED;
    bool ok = m->status != CB_EVAL_FAILED;
    sqlite3_bind_int(st, 1, status);
    bind_metric(st, 2, m->accuracy, ok);
    bind_metric(st, 3, m->latency_s, ok);
    bind_metric(st, 4, m->area_mm2, ok);
    bind_metric(st, 5, m->dyn_energy_j, ok);
    bind_metric(st, 6, m->leak_energy_j, ok);
    bind_metric(st, 7, m->throughput_fps, ok);
    bind_metric(st, 8, m->edp, ok);
    bind_metric(st, 9, m->performance, ok);
    bind_metric(st, 10, m->acc_std, ok);
    sqlite3_bind_double(st, 11, train_s);
    sqlite3_bind_double(st, 12, sim_s);
    if (error && *error)
        sqlite3_bind_text(st, 13, error, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 13);
    sqlite3_bind_int64(st, 14, id);
    int rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(s->db) == 1 ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

static int insert_layers(cb_store *s, int64_t id, const cb_layer_row *l, int n)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO layers VALUES(?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_text(st, 3, l[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, l[i].op, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 5, l[i].cycles);
        sqlite3_bind_double(st, 6, l[i].compute_cycles);
        sqlite3_bind_double(st, 7, l[i].stall_cycles);
        sqlite3_bind_double(st, 8, l[i].latency_s);
        sqlite3_bind_double(st, 9, l[i].dyn_energy_j);
        sqlite3_bind_double(st, 10, l[i].leak_energy_j);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

int64_t cb_store_finish(cb_store *s, int64_t id, const cb_metrics *m, double train_s, double sim_s,
                        const char *error, const cb_layer_row *layers, int n_layers,
                        const void *state, size_t state_len)
{
    if (exec(s, "BEGIN IMMEDIATE"))
        return -1;
    int64_t state_id = -1;
    if (update_row(s, id, m, train_s, sim_s, error) == 0 && insert_layers(s, id, layers, n_layers) == 0)
        state_id = insert_state(s, state, state_len);
    if (state_id < 0 || exec(s, "COMMIT")) {
        /* kept for the caller's message: the rollback resets sqlite3_errmsg */
        if (state_id < 0)
            snprintf(s->last_error, sizeof s->last_error, "%s", sqlite3_errmsg(s->db));
        /* a failed COMMIT may have rolled back already: no second message, keep the first */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return state_id;
}

int64_t cb_store_save_state(cb_store *s, const void *state, size_t len)
{
    return insert_state(s, state, len);
}

int cb_store_latest_state(cb_store *s, int64_t *id, void **blob, size_t *len)
{
    *id = 0;
    *blob = NULL;
    *len = 0;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "SELECT id, state FROM search_state ORDER BY id DESC LIMIT 1", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *len = (size_t)sqlite3_column_bytes(st, 1);
        *blob = cb_xmalloc(*len);
        if (*len)
            memcpy(*blob, sqlite3_column_blob(st, 1), *len);
    }
    sqlite3_finalize(st);
    return 0;
}

static double col_or_nan(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? 0.0 / 0.0 : sqlite3_column_double(st, i);
}

static void read_row(sqlite3_stmt *st, cb_eval_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->pair.cnn = sqlite3_column_int64(st, 1);
    snprintf(r->cnn_hash, sizeof r->cnn_hash, "%s", (const char *)sqlite3_column_text(st, 2));
    r->pair.level = sqlite3_column_int(st, 3);
    parse_accel((const char *)sqlite3_column_text(st, 4), &r->pair);
    r->status = sqlite3_column_int(st, 5);
    r->state_id = sqlite3_column_int64(st, 6);
    r->m.size = sizeof r->m;
    r->m.status = r->status == CB_ROW_OK ? CB_EVAL_OK
                  : r->status == CB_ROW_INFEASIBLE ? CB_EVAL_INFEASIBLE : CB_EVAL_FAILED;
    r->m.accuracy = col_or_nan(st, 7);
    r->m.latency_s = col_or_nan(st, 8);
    r->m.area_mm2 = col_or_nan(st, 9);
    r->m.dyn_energy_j = col_or_nan(st, 10);
    r->m.leak_energy_j = col_or_nan(st, 11);
    r->m.throughput_fps = col_or_nan(st, 12);
    r->m.edp = col_or_nan(st, 13);
    r->m.performance = col_or_nan(st, 14);
    r->m.acc_std = col_or_nan(st, 15);
    r->train_s = col_or_nan(st, 16);
    r->sim_s = col_or_nan(st, 17);
    const unsigned char *e = sqlite3_column_text(st, 18);
    snprintf(r->error, sizeof r->error, "%s", e ? (const char *)e : "");
}

int cb_store_rows(cb_store *s, cb_eval_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, cnn, cnn_hash, level, accel, status, state_id, accuracy,"
                           " latency_s, area_mm2, dyn_energy_j, leak_energy_j, throughput_fps, edp,"
                           " performance, acc_std, train_s, sim_s, error FROM evaluations ORDER BY id",
                           -1, &st, NULL))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cb_grow(rows, sizeof **rows, *n + 1, &cap);
        read_row(st, &(*rows)[(*n)++]);
    }
    sqlite3_finalize(st);
    return 0;
}

static void text_col(sqlite3_stmt *st, int i, char *buf, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, len, "%s", t ? (const char *)t : "");
}

int cb_store_each_layer(cb_store *s, int (*fn)(void *ctx, int64_t eval_id, int layer,
                                               const cb_layer_row *row),
                        void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT eval_id, layer, name, op, cycles, compute_cycles, stall_cycles,"
                           " latency_s, dyn_energy_j, leak_energy_j FROM layers ORDER BY eval_id, layer",
                           -1, &st, NULL))
        return -1;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        cb_layer_row r;
        text_col(st, 2, r.name, sizeof r.name);
        text_col(st, 3, r.op, sizeof r.op);
        r.cycles = col_or_nan(st, 4);
        r.compute_cycles = col_or_nan(st, 5);
        r.stall_cycles = col_or_nan(st, 6);
        r.latency_s = col_or_nan(st, 7);
        r.dyn_energy_j = col_or_nan(st, 8);
        r.leak_energy_j = col_or_nan(st, 9);
        rc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), &r);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs a DELETE whose one parameter is a state id; the rows deleted, or -1. */
static int delete_since(cb_store *s, const char *sql, int64_t state_id)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    sqlite3_bind_int64(st, 1, state_id);
    int n = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db) : -1;
    sqlite3_finalize(st);
    return n;
}

int cb_store_drop_pending_after(cb_store *s, int64_t state_id)
{
    return delete_since(s, "DELETE FROM evaluations WHERE status=0 AND state_id>=?", state_id);
}

int64_t cb_store_add_growth(cb_store *s, int32_t level, const int64_t *parents, int n, int64_t state_id)
{
    char *text = cb_xmalloc((size_t)(n > 0 ? n : 0) * 22 + 1);
    size_t at = 0;
    text[0] = '\0';
    for (int i = 0; i < n; i++)
        at += (size_t)sprintf(text + at, "%s%lld", i ? "," : "", (long long)parents[i]);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "INSERT INTO growth(level, parents, state_id) VALUES(?, ?, ?)", -1, &st, NULL);
    sqlite3_bind_int(st, 1, level);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, state_id);
    int64_t id = sqlite3_step(st) == SQLITE_DONE ? sqlite3_last_insert_rowid(s->db) : -1;
    if (id < 0)
        snprintf(s->last_error, sizeof s->last_error, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    free(text);
    return id;
}

int cb_store_growths(cb_store *s, cb_growth_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, level, parents, state_id FROM growth ORDER BY id", -1, &st, NULL))
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cb_grow(rows, sizeof **rows, *n + 1, &cap);
        cb_growth_row *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->level = sqlite3_column_int(st, 1);
        r->state_id = sqlite3_column_int64(st, 3);
        const char *t = (const char *)sqlite3_column_text(st, 2);
        size_t commas = 0;
        for (const char *c = t ? t : ""; *c; c++)
            commas += *c == ',';
        r->parents = cb_xcalloc(commas + 2, sizeof *r->parents);
        for (const char *c = t ? t : ""; *c;) {
            char *end;
            long long v = strtoll(c, &end, 10);
            if (end == c)
                break;
            r->parents[r->n++] = v;
            c = *end == ',' ? end + 1 : end;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

void cb_store_growth_free(cb_growth_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].parents);
    free(rows);
}

int cb_store_drop_growth_after(cb_store *s, int64_t state_id)
{
    return delete_since(s, "DELETE FROM growth WHERE state_id>=?", state_id);
}

int cb_store_acc_get(cb_store *s, const char *cnn_hash, double *acc, double *acc_std, int *hit)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "SELECT accuracy, acc_std FROM accuracy_cache WHERE cnn_hash=?", -1, &st, NULL);
    sqlite3_bind_text(st, 1, cnn_hash, -1, SQLITE_STATIC);
    *hit = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *acc = sqlite3_column_double(st, 0);
        *acc_std = sqlite3_column_double(st, 1);
        *hit = 1;
    }
    sqlite3_finalize(st);
    return 0;
}

int cb_store_acc_put(cb_store *s, const char *cnn_hash, double acc, double acc_std, double seconds,
                     const char *checkpoint)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO accuracy_cache VALUES(?,?,?,?,?)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, cnn_hash, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 2, acc);
    sqlite3_bind_double(st, 3, acc_std);
    sqlite3_bind_double(st, 4, seconds);
    if (checkpoint)
        sqlite3_bind_text(st, 5, checkpoint, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 5);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int cb_store_curve_add(cb_store *s, const char *cnn_hash, int epoch, double loss, double acc,
                       double val_acc)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO curves VALUES(?,?,?,?,?)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, cnn_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, epoch);
    sqlite3_bind_double(st, 3, loss);
    sqlite3_bind_double(st, 4, acc);
    sqlite3_bind_double(st, 5, val_acc);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int cb_store_counts(cb_store *s, int64_t *ok, int64_t *failed, int64_t *pending)
{
    int64_t c[4] = {0, 0, 0, 0};
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "SELECT status, count(*) FROM evaluations GROUP BY status", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        if (k >= 0 && k < 4)
            c[k] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (ok)
        *ok = c[CB_ROW_OK] + c[CB_ROW_INFEASIBLE];
    if (failed)
        *failed = c[CB_ROW_FAILED];
    if (pending)
        *pending = c[CB_ROW_PENDING];
    return 0;
}

int cb_store_integrity(cb_store *s, char *err, size_t err_len)
{
    sqlite3_stmt *st;
    sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        rc = strcmp(r, "ok") == 0 ? 0 : -1;
        if (rc && err)
            snprintf(err, err_len, "%s", r);
    }
    sqlite3_finalize(st);
    return rc;
}
