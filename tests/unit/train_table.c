/* tests/unit/train_table.c: the "tabular" trainer plugin, loaded from its .so and created through
 * the core's libffi binding as a manifest would: its answers for NAS-Bench-201 and NAS-Bench-101
 * cells equal the benchmark files' figures (read here with the core's own loaders), a cell is
 * found by its key, by the graph's hash, or given as nb101:<n>:<mask>:<ops> in any vertex order,
 * the epochs parameter picks the column, and the errors a user meets: a cell outside the table,
 * a graph that names no cell, a missing file, a file that is not a table, a key that is not its
 * cell's hash, epochs the table does not have. */
#include "graph/digest.h"
#include "graph/hash.h"
#include "graph/module.h"
#include "graph/nbdata.h"
#include "pareto/cells.h"
#include "pareto/skeleton.h"
#include "test_util.h"
#include "trainer_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *nas_path(const char *file)
{
    char *p = cb_test_src("../shared/data/nas/%s", file);
    if (access(p, R_OK) != 0) {
        free(p);
        size_t n = strlen("/work/shared/data/nas/") + strlen(file) + 1;
        p = malloc(n);
        snprintf(p, n, "/work/shared/data/nas/%s", file);
    }
    return p;
}

/* Opens the table trainer on file with extra "name=value" settings (up to 3). */
static int open_table(tu_trainer *t, const char *table_path, const char *extra, cb_error *e)
{
    char set_table[1024];
    snprintf(set_table, sizeof set_table, "table=%s", table_path);
    const char *set[3] = {set_table, extra, NULL};
    return tu_open(t, "tabular", set, e);
}

static cb_graph named(const char *name, const char *hash)
{
    cb_graph g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    g.input = (cb_shape){1, 3, 1, 32, 32};
    g.classes = 10;
    g.name = name;
    snprintf(g.hash, sizeof g.hash, "%s", hash ? hash : "");
    return g;
}

static int look_up(tu_trainer *t, const cb_graph *g, cb_train_result *r, cb_error *e)
{
    memset(e, 0, sizeof *e);
    return tu_train(t, g, NULL, 0, NULL, NULL, r, e);
}

Test(train_table, nb201_matches_the_file)
{
    char *path = nas_path("nb201-cifar10.json"), why[256];
    cb_nb201_table ref;
    cr_assert(eq(int, cb_nb201_load(path, &ref, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(sz, ref.n, 15625));
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, open_table(&t, path, NULL, &e), CB_OK), "%s", e.msg);
    static const size_t pick[] = {0, 1, 2, 777, 8000, 12345, 15624};
    for (size_t k = 0; k < sizeof pick / sizeof *pick; k++) {
        size_t i = pick[k];
        cb_graph g = named(ref.arch[i], NULL);
        cb_train_result r;
        cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_OK), "%s", e.msg);
        cr_expect(eq(dbl, r.accuracy, ref.test_acc[i] / 100), "cell %zu %s", i, ref.arch[i]);
        cr_expect(eq(int, r.epochs, 200));
        cr_expect(lt(dbl, r.val_accuracy, 0), "NB201's file has no validation accuracy");
    }
    /* the "nb201:" prefix names the same cell */
    char prefixed[256];
    snprintf(prefixed, sizeof prefixed, "nb201:%s", ref.arch[5]);
    cb_graph g = named(prefixed, NULL);
    cb_train_result r;
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_OK), "%s", e.msg);
    cr_expect(eq(dbl, r.accuracy, ref.test_acc[5] / 100));
    tu_close(&t);
    cb_nb201_table_free(&ref);
    free(path);
}

Test(train_table, nb201_cell_outside_the_table_is_an_error)
{
    char *path = nas_path("nb201-cifar10.json");
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, open_table(&t, path, NULL, &e), CB_OK), "%s", e.msg);
    /* a well-formed cell string with an operation the benchmark does not have */
    const char *cell = "|nor_conv_5x5~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|";
    cb_graph g = named(cell, NULL);
    cb_train_result r;
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_EINVAL));
    cr_expect(eq(str, e.plugin, "tabular"));
    cr_expect(eq(str, e.param, "table"));
    cr_expect(ne(ptr, strstr(e.msg, cell), NULL), "%s", e.msg);
    cr_expect(ne(ptr, strstr(e.msg, "is not in"), NULL), "%s", e.msg);
    /* a graph that names no cell at all (a model card's name) */
    g = named("lenet5", "0123abcd");
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "names no NAS-Bench-201 cell"), NULL), "%s", e.msg);
    tu_close(&t);
    free(path);
}

/* The core's view of the NB101 file: cells as modules, labels "0".."2" for the operations. */
typedef struct nb101_ref {
    cb_vocab voc;
    cb_nb101_table t;
} nb101_ref;

static void load_ref(nb101_ref *ref, const char *path)
{
    char why[512];
    cb_vocab_init(&ref->voc);
    cr_assert(eq(int, cb_nb101_load(path, &ref->voc, &ref->t, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(sz, ref->t.n, 1000));
}

static void free_ref(nb101_ref *ref)
{
    cb_nb101_table_free(&ref->t);
    cb_vocab_free(&ref->voc);
}

/* "nb101:<n>:<mask>:<ops>" of module m renumbered by another topological order (Kahn's, taking
 * the highest ready vertex first), so that the plugin must hash rather than compare matrices. */
static void spec_renumbered(const nb101_ref *ref, const cb_module *m, char *out, size_t len)
{
    int n = m->n, to[CB_MODULE_MAXV], indeg[CB_MODULE_MAXV] = {0}, done[CB_MODULE_MAXV] = {0};
    for (int v = 0; v < n; v++)
        for (int w = 0; w < n; w++)
            indeg[w] += m->adj[v] >> w & 1;
    for (int k = 0; k < n; k++) {
        int pick = -1;
        for (int v = n - 1; v >= 0 && pick < 0; v--)
            if (!done[v] && indeg[v] == 0)
                pick = v;
        cr_assert(ge(int, pick, 0));
        done[pick] = 1;
        to[pick] = k;
        for (int w = 0; w < n; w++)
            indeg[w] -= m->adj[pick] >> w & 1;
    }
    cb_module r;
    memset(&r, 0, sizeof r);
    r.n = n;
    for (int v = 0; v < n; v++) {
        r.label[to[v]] = m->label[v];
        for (int w = 0; w < n; w++)
            if (m->adj[v] >> w & 1)
                r.adj[to[v]] |= (uint16_t)(1u << to[w]);
    }
    int at = snprintf(out, len, "nb101:%d:%llu:", n, (unsigned long long)cb_module_mask(&r));
    for (int v = 1; v < n - 1; v++)
        at += snprintf(out + at, len - (size_t)at, "%s", ref->voc.v[r.label[v]].name);
}

Test(train_table, nb101_matches_the_file)
{
    char *path = nas_path("nb101-1k.json");
    nb101_ref ref;
    load_ref(&ref, path);
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, open_table(&t, path, NULL, &e), CB_OK), "%s", e.msg);
    tu_trainer t4;
    cr_assert(eq(int, open_table(&t4, path, "epochs=4", &e), CB_OK), "%s", e.msg);
    static const size_t pick[] = {0, 1, 2, 99, 500, 998, 999};
    for (size_t k = 0; k < sizeof pick / sizeof *pick; k++) {
        const cb_nb101_cell *c = &ref.t.cells[pick[k]];
        cb_train_result r;
        /* by key in the name, with and without the prefix, and by the graph's hash */
        char name[64];
        snprintf(name, sizeof name, "nb101:%s", c->key);
        cb_graph by_name = named(name, NULL), by_key = named(c->key, NULL), by_hash = named(NULL, c->key);
        const cb_graph *gs[3] = {&by_name, &by_key, &by_hash};
        for (int w = 0; w < 3; w++) {
            cr_assert(eq(int, look_up(&t, gs[w], &r, &e), CB_OK), "cell %zu: %s", pick[k], e.msg);
            cr_expect(eq(dbl, r.accuracy, c->val_acc[3]), "cell %zu way %d", pick[k], w);
            cr_expect(eq(dbl, r.val_accuracy, c->val_acc[3]));
            cr_expect(eq(int, r.epochs, 108));
        }
        cr_assert(eq(int, look_up(&t4, &by_hash, &r, &e), CB_OK), "%s", e.msg);
        cr_expect(eq(dbl, r.accuracy, c->val_acc[0]), "cell %zu after 4 epochs", pick[k]);
        cr_expect(eq(int, r.epochs, 4));
        /* the cell itself, hashed by the plugin */
        char spec[128];
        spec_renumbered(&ref, &c->m, spec, sizeof spec);
        cb_graph by_cell = named(spec, "not-the-key");
        cr_assert(eq(int, look_up(&t, &by_cell, &r, &e), CB_OK), "cell %zu as %s: %s", pick[k], spec, e.msg);
        cr_expect(eq(dbl, r.accuracy, c->val_acc[3]), "cell %zu as %s", pick[k], spec);
    }
    tu_close(&t4);
    tu_close(&t);
    free_ref(&ref);
    free(path);
}

static bool in_table(const nb101_ref *ref, const char *key)
{
    for (size_t i = 0; i < ref->t.n; i++)
        if (!strcmp(ref->t.cells[i].key, key))
            return true;
    return false;
}

Test(train_table, nb101_cell_outside_the_table_is_an_error)
{
    char *path = nas_path("nb101-1k.json");
    nb101_ref ref;
    load_ref(&ref, path);
    cb_hasher h;
    cr_assert(eq(int, cb_hasher_init(&h, CB_HASH_MD5), 0));
    /* a real NB101 cell that the 1k file does not hold: cell 0 with one operation changed */
    cb_module m = ref.t.cells[0].m;
    char key[CB_HEX_MAX] = "";
    int op_ids[3] = {cb_vocab_find(&ref.voc, "0"), cb_vocab_find(&ref.voc, "1"), cb_vocab_find(&ref.voc, "2")};
    for (int v = 1; v < m.n - 1 && !key[0]; v++)
        for (int o = 0; o < 3 && !key[0]; o++) {
            cb_module x = m;
            x.label[v] = op_ids[o];
            cb_module_fingerprint(&h, &x, cb_vocab_texts(&ref.voc), key);
            if (in_table(&ref, key))
                key[0] = '\0';
        }
    cr_assert(eq(sz, strlen(key), 32), "every neighbour of cell 0 is in the table");
    tu_trainer t;
    cb_error e = {0};
    cr_assert(eq(int, open_table(&t, path, NULL, &e), CB_OK), "%s", e.msg);
    cb_graph g = named("some-net", key);
    cb_train_result r;
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_EINVAL));
    cr_expect(eq(str, e.param, "table"));
    cr_expect(ne(ptr, strstr(e.msg, key), NULL), "%s", e.msg);
    cr_expect(ne(ptr, strstr(e.msg, "is not in"), NULL), "%s", e.msg);
    cr_expect(ne(ptr, strstr(e.msg, "1000 cells"), NULL), "%s", e.msg);
    /* a graph without a cell, and a malformed cell */
    g = named("lenet5", "bench-lenet5");
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "names no NAS-Bench-101 cell"), NULL), "%s", e.msg);
    g = named("nb101:5:1023:0129", NULL);
    cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "is not a NAS-Bench-101 cell"), NULL), "%s", e.msg);
    tu_close(&t);
    cb_hasher_free(&h);
    free_ref(&ref);
    free(path);
}

static char *write_temp(const char *text)
{
    char *p = strdup("/tmp/cb-table-XXXXXX");
    int fd = mkstemp(p);
    cr_assert(ge(int, fd, 0));
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

Test(train_table, bad_files_and_parameters)
{
    tu_trainer t;
    cb_error e = {0};
    /* a path that does not exist */
    cr_assert(eq(int, open_table(&t, "/nonexistent/nb201.json", NULL, &e), CB_EINVAL));
    cr_expect(eq(str, e.plugin, "tabular"));
    cr_expect(eq(str, e.param, "table"));
    cr_expect(ne(ptr, strstr(e.msg, "/nonexistent/nb201.json: cannot open"), NULL), "%s", e.msg);
    /* JSON that is not a table, and text that is not JSON */
    char *p = write_temp("{\"models\": []}");
    cr_assert(eq(int, open_table(&t, p, NULL, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "not a benchmark table"), NULL), "%s", e.msg);
    unlink(p);
    free(p);
    p = write_temp("{\"archs\": [\"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\"], \"accuracies\": [10,");
    cr_assert(eq(int, open_table(&t, p, NULL, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "not JSON"), NULL), "%s", e.msg);
    unlink(p);
    free(p);
    /* an NB101 key that is not its cell's hash (input -> conv3x3 -> output, wrong key) */
    p = write_temp("{\"key\": [\"00000000000000000000000000000000\"],"
                   " \"adjacency\": [[[0,1,0],[0,0,1],[0,0,0]]], \"operations\": [[-1,0,-2]],"
                   " \"4_final_validation_accuracy\": [0.5], \"12_final_validation_accuracy\": [0.6],"
                   " \"36_final_validation_accuracy\": [0.7], \"108_final_validation_accuracy\": [0.8]}");
    cr_assert(eq(int, open_table(&t, p, NULL, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "is not the NAS-Bench-101 hash of its cell"), NULL), "%s", e.msg);
    unlink(p);
    free(p);
    /* an accuracy outside [0, 100] */
    p = write_temp("{\"archs\": [\"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|\"], \"accuracies\": [101]}");
    cr_assert(eq(int, open_table(&t, p, NULL, &e), CB_EINVAL));
    cr_expect(ne(ptr, strstr(e.msg, "cell 0"), NULL), "%s", e.msg);
    unlink(p);
    free(p);
    /* epochs the table does not have */
    char *nb101 = nas_path("nb101-1k.json");
    cr_assert(eq(int, open_table(&t, nb101, "epochs=50", &e), CB_EINVAL));
    cr_expect(eq(str, e.param, "epochs"));
    cr_expect(ne(ptr, strstr(e.msg, "4, 12, 36, 108"), NULL), "%s", e.msg);
    free(nb101);
}

Test(train_table, nb101_cells_read_back_from_networks)
{
    cb_registry reg;
    cb_registry_init(&reg);
    cb_error e = {0};
    char *dir = cb_test_path("plugins");
    cr_assert(eq(int, cb_registry_load_dir(&reg, dir, &e), CB_OK), "%s", e.msg);
    free(dir);
    char *skp = cb_test_src("examples/codesign-nas/nb101-skeleton.yaml");
    cb_skeleton sk;
    cb_diag d;
    cr_assert(eq(int, cb_skeleton_load(skp, &reg, &sk, &d), CB_OK), "%s: %s", skp, d.msg);
    char *path = nas_path("nb101-1k.json"), why[512];
    cb_cellset cs;
    cr_assert(eq(int, cb_cellset_table(&cs, path, 108, why, sizeof why), CB_OK), "%s", why);
    cb_cnn_source src;
    cb_cellset_source(&cs, &sk, (cb_shape){1, 3, 1, 32, 32}, &src);
    tu_trainer t, wrong;
    cr_assert(eq(int, open_table(&t, path, "cell_ops=conv2d kernel=3; conv2d kernel=1; maxpool", &e), CB_OK),
              "%s", e.msg);
    /* conv3x3 vertices taken for glue: every cell reads as another one */
    cr_assert(eq(int, open_table(&wrong, path, "cell_ops=conv2d kernel=5; conv2d kernel=1; maxpool", &e), CB_OK),
              "%s", e.msg);
    int wrong_found = 0;
    for (int64_t i = 0; i < cs.n; i += 13) {
        cr_assert(eq(int, cb_cellnet_build(&cs.net, cs.sk, &cs.cells[i], cs.op_of_label, cs.voc.n, cs.input,
                                           why, sizeof why), CB_OK), "cell %lld: %s", (long long)i, why);
        cb_graph g = cs.net.g;
        g.name = NULL;
        g.hash[0] = '\0';
        cb_train_result r;
        cr_assert(eq(int, look_up(&t, &g, &r, &e), CB_OK), "cell %lld (%s): %s", (long long)i, cs.key[i], e.msg);
        cr_expect(eq(dbl, r.accuracy, cs.accuracy[i]), "cell %lld (%s)", (long long)i, cs.key[i]);
        bool has_conv3 = false;
        for (int v = 1; v < cs.cells[i].n - 1; v++)
            has_conv3 |= !strcmp(cs.voc.v[cs.cells[i].label[v]].name, "0");
        if (has_conv3 && look_up(&wrong, &g, &r, &e) == CB_OK && r.accuracy == cs.accuracy[i])
            wrong_found++;
    }
    cr_expect(eq(int, wrong_found, 0), "a wrong cell_ops still found the right cell");
    /* the parameter is checked when the trainer is created */
    tu_trainer bad;
    cr_assert(eq(int, open_table(&bad, path, "cell_ops=conv2d kernel=3; maxpool", &e), CB_EINVAL));
    cr_expect(eq(str, e.param, "cell_ops"));
    char *nb201 = nas_path("nb201-cifar10.json");
    cr_assert(eq(int, open_table(&bad, nb201, "cell_ops=conv2d kernel=3; conv2d kernel=1; maxpool", &e), CB_EINVAL));
    cr_expect(eq(str, e.param, "cell_ops"));
    free(nb201);
    tu_close(&wrong);
    tu_close(&t);
    cb_cellset_free(&cs);
    cb_skeleton_free(&sk);
    cb_registry_free(&reg);
    free(path);
    free(skp);
}
