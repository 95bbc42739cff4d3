/* plugins/trainers/tabular/table.h: the "table" trainer: accuracies looked up in a tabular NAS
 * benchmark instead of trained, so a search can be repeated hundreds of times in seconds.
 *
 * Owns: the loaded table (NAS-Bench-201's CIFAR-10 file, or NAS-Bench-101's cells with their
 * MD5 keys), the chosen accuracy column, NAS-Bench-101's cell hash (to check the file's keys and
 * to key a cell given by its matrix), and the mapping from a cb_graph to a row: the identity the
 * core hands over in the graph's name or hash (docs/trainers.md, "The table trainer").
 * A graph that is not in the table is an error naming it; the plugin never makes a number up.
 */
#ifndef CB_TRAINER_TABLE_H
#define CB_TRAINER_TABLE_H

#include <codebench/plugin.h>
#include <codebench/trainer.h>

#include <stddef.h>

enum { TB_NB201 = 0, TB_NB101 = 1 };
enum { TB_MAX_COLS = 4, TB_NB101_MAXV = 7, TB_CELL_OPS = 3, TB_PATTERN_ATTRS = 4 };

typedef struct tb_row {
    char *key;                 /* NB201: the architecture string; NB101: 32 hex digits (MD5) */
    double acc[TB_MAX_COLS];   /* fractions in [0, 1], one per column */
} tb_row;

typedef struct tb_table {
    int kind;                  /* TB_NB201, TB_NB101 */
    const char *name;          /* "NAS-Bench-201", "NAS-Bench-101" */
    char *path;
    int n_cols;
    int col_epochs[TB_MAX_COLS]; /* epochs of each column (NB201: 200; NB101: 4, 12, 36, 108) */
    const char *metric;        /* "test" or "validation": what the numbers are */
    tb_row *rows;              /* sorted by key */
    size_t n;
} tb_table;

/* How one of NAS-Bench-101's cell ops appears in a graph: an op and attribute values
 * ("conv2d kernel=3"). */
typedef struct tb_pattern {
    char op[64];
    int n_attrs;
    char attr[TB_PATTERN_ATTRS][64], value[TB_PATTERN_ATTRS][64];
} tb_pattern;

typedef struct table_trainer {
    const cb_host *h;
    tb_table t;
    int col;                   /* the column `epochs` chose */
    tb_pattern cell_ops[TB_CELL_OPS];
    int recognise;             /* cell_ops given: read cells from the nodes of keyless graphs */
} table_trainer;

/* Loads and checks path (format recognised from its keys); sorts the rows. On failure fills
 * why ("file: what is wrong") and returns CB_EINVAL (bad file) or CB_EFAIL (out of memory). */
int tb_load(const char *path, tb_table *t, char *why, size_t why_len);
void tb_free(tb_table *t);

/* The row with key, or NULL. */
const tb_row *tb_find(const tb_table *t, const char *key);

/* NAS-Bench-101's cell hash (nasbench graph_util.hash_module, MD5) of n vertices, row-major 0/1
 * adjacency and integer labels (-1 input, -2 output, 0..2 operations) into hex[33]. */
int tb_nb101_hash(int n, const unsigned char *adj, const int *ops, char *hex);

/* Parses a cell written "nb101:<n>:<mask>:<ops>" (the seeds' edge bit mask, edge x->y being bit
 * x + y(y-1)/2; one digit 0..2 per interior vertex, as `codebench space nb101` lists them) and
 * hashes it into hex[33]. Returns 0, or -1 with why filled. */
int tb_nb101_spec_hash(const char *spec, char *hex, char *why, size_t why_len);

/* Parses `cell_ops`: three patterns "OP [attr=value ...]" separated by ';', for NAS-Bench-101's
 * op codes 0, 1, 2. Returns 0, or -1 with why filled. */
int tb_patterns_parse(const char *spec, tb_pattern *pat, int *n, char *why, size_t len);

/* The key of the NAS-Bench-101 cell a network is built of, read from its nodes (table_cell.c);
 * 0, or -1 with why filled when the graph is not such a network. */
int tb_cell_from_graph(const tb_pattern *pat, const cb_graph *g, char *hex, char *why, size_t len);

int table_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e);

#endif
