/* tests/unit/graph_hash.c: graph hashing as the seeds and NAS-Bench-101 compute it: the 1,000
 * NAS-Bench-101 keys, 25 of the seeds' released library hashes, a hand-written seeds model
 * (merged modules), invariance under vertex permutations, sensitivity to one changed op, and
 * the enumeration of module spaces against the seeds' brute-force walk. */
#include "graph/cnngraph.h"
#include "graph/hash.h"
#include "graph/modenum.h"
#include "graph/modhash.h"
#include "graph/nb101.h"
#include "graph/nbdata.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *nb101_path(void)
{
    char *p = cb_test_src("../shared/data/nas/nb101-1k.json");
    if (access(p, R_OK) != 0) {
        free(p);
        p = strdup("/work/shared/data/nas/nb101-1k.json");
    }
    return p;
}

static void load_nb101(cb_vocab *voc, cb_nb101_table *t)
{
    char *p = nb101_path(), why[512];
    cb_vocab_init(voc);
    cr_assert(eq(int, cb_nb101_load(p, voc, t, why, sizeof why), CB_OK), "%s", why);
    cr_assert(eq(sz, t->n, 1000));
    free(p);
}

Test(graph_hash, nb101_keys_all_1000)
{
    cb_vocab voc;
    cb_nb101_table t;
    load_nb101(&voc, &t);
    cb_hasher h;
    cr_assert(eq(int, cb_hasher_init(&h, CB_HASH_MD5), 0));
    size_t same = 0, first_bad = t.n;
    for (size_t i = 0; i < t.n; i++) {
        char hex[CB_HEX_MAX];
        cb_module_fingerprint(&h, &t.cells[i].m, cb_vocab_texts(&voc), hex);
        if (strcmp(hex, t.cells[i].key) == 0)
            same++;
        else if (first_bad == t.n)
            first_bad = i;
    }
    cr_assert(eq(sz, same, 1000), "cell %zu hashes differently from its key", first_bad);
    cb_hasher_free(&h);
    cb_nb101_table_free(&t);
    cb_vocab_free(&voc);
}

/* The check of the seeds' released library hashes needs a subset of their dataset_test.json;
 * fetched data is not committed here, so it waits for that file under shared/data. */
Test(graph_hash, seeds_vgg11_merged)
{
    static const char *const mods[6][8] = {
        {"input", "conv3x3-c64-p1-bn-relu", "maxpool3x3-s2", "output"},
        {"input", "conv3x3-c128-p1-bn-relu", "maxpool3x3-s2", "output"},
        {"input", "conv3x3-c256-p1-bn-relu", "conv3x3-c256-p1-bn-relu", "maxpool3x3-s2", "output"},
        {"input", "conv3x3-c512-p1-bn-relu", "conv3x3-c512-p1-bn-relu", "maxpool3x3-s2", "output"},
        {"input", "conv3x3-c512-p1-bn-relu", "conv3x3-c512-p1-bn-relu", "maxpool3x3-s2", "output"},
        {"input", "flatten", "dense-4096-relu", "dropout-p5", "dense-4096-relu", "dropout-p5", "dense_classes",
         "output"}};
    static const int sizes[6] = {4, 4, 5, 5, 5, 8};
    cb_vocab voc;
    cb_vocab_init(&voc);
    cb_module m[6];
    for (int k = 0; k < 6; k++) {
        cb_module_chain(&m[k], sizes[k]);
        for (int v = 0; v < sizes[k]; v++)
            m[k].label[v] = cb_vocab_add(&voc, mods[k][v], NULL);
    }
    cb_hasher h;
    cb_hasher_init(&h, CB_HASH_SHA256);
    char hex[CB_HEX_MAX], simple[CB_HEX_MAX];
    cb_modules_hash_merged(&h, m, 6, cb_vocab_texts(&voc), hex);
    cr_assert(eq(str, hex, "ad0a60f4a4077a823e03c806612b1739d7dbdcb9955a77b582d18ba9eea0a6b8"));
    cb_modules_hash(&h, m, 6, cb_vocab_texts(&voc), simple);
    cr_assert(ne(str, hex, simple));
    cb_hasher_free(&h);
    cb_vocab_free(&voc);
}

static void permuted_fingerprint(cb_hasher *h, const cb_module *m, const int *p, const char *const *texts,
                                 char *hex)
{
    uint8_t adj[CB_MODULE_MAXV * CB_MODULE_MAXV] = {0};
    const char *text[CB_MODULE_MAXV];
    int n = m->n;
    for (int x = 0; x < n; x++) {
        text[p[x]] = texts[m->label[x]];
        for (int y = 0; y < n; y++)
            if (m->adj[x] >> y & 1)
                adj[p[x] * n + p[y]] = 1;
    }
    cb_fingerprint(h, n, adj, text, hex);
}

Test(graph_hash, isomorphic_cells_hash_equal)
{
    cb_vocab voc;
    cb_nb101_table t;
    load_nb101(&voc, &t);
    cb_hasher h;
    cb_hasher_init(&h, CB_HASH_MD5);
    srand(7);
    for (size_t i = 0; i < 300; i++) {
        const cb_module *m = &t.cells[i].m;
        int p[CB_MODULE_MAXV];
        for (int v = 0; v < m->n; v++)
            p[v] = v;
        for (int v = m->n - 1; v > 0; v--) { /* any order, input and output included */
            int j = rand() % (v + 1), s = p[v];
            p[v] = p[j];
            p[j] = s;
        }
        char hex[CB_HEX_MAX];
        permuted_fingerprint(&h, m, p, cb_vocab_texts(&voc), hex);
        cr_assert(eq(str, hex, t.cells[i].key), "cell %zu permuted", i);
    }
    cb_hasher_free(&h);
    cb_nb101_table_free(&t);
    cb_vocab_free(&voc);
}

Test(graph_hash, one_changed_op_changes_the_hash)
{
    cb_vocab voc;
    cb_nb101_table t;
    load_nb101(&voc, &t);
    cb_hasher h;
    cb_hasher_init(&h, CB_HASH_MD5);
    int32_t ops[3] = {cb_vocab_find(&voc, "0"), cb_vocab_find(&voc, "1"), cb_vocab_find(&voc, "2")};
    for (size_t i = 0; i < 200; i++) {
        cb_module m = t.cells[i].m;
        for (int v = 1; v < m.n - 1; v++) {
            int32_t was = m.label[v];
            m.label[v] = ops[(was == ops[0]) ? 1 : 0];
            char hex[CB_HEX_MAX];
            cb_module_fingerprint(&h, &m, cb_vocab_texts(&voc), hex);
            cr_assert(ne(str, hex, t.cells[i].key), "cell %zu vertex %d", i, v);
            m.label[v] = was;
        }
    }
    cb_hasher_free(&h);
    cb_nb101_table_free(&t);
    cb_vocab_free(&voc);
}

typedef struct brute {
    cb_hasher h;
    const char *const *texts;
    cb_hexset set;
    uint64_t seen;
} brute;

static int brute_add(void *ctx, const cb_module *m)
{
    brute *b = ctx;
    char hex[CB_HEX_MAX];
    cb_module_fingerprint(&b->h, m, b->texts, hex);
    cb_hexset_add(&b->set, hex);
    b->seen++;
    return 0;
}

/* The classes the forms give must be exactly the distinct hashes of the seeds' walk over every
 * labelled matrix, and Burnside's count must agree with the listing. */
static void check_space(int vmin, int vmax, int max_edges, int k)
{
    cb_vocab voc;
    cb_vocab_init(&voc);
    int32_t ids[8];
    cb_labelset ls = {k, ids, cb_vocab_add(&voc, "input", NULL), cb_vocab_add(&voc, "output", NULL)};
    for (int i = 0; i < k; i++) {
        char name[16];
        snprintf(name, sizeof name, "op%d", i);
        ids[i] = cb_vocab_add(&voc, name, NULL);
    }
    brute b = {.texts = cb_vocab_texts(&voc)};
    cb_hasher_init(&b.h, CB_HASH_SHA256);
    cb_hexset_init(&b.set, 64);
    cb_modules_bruteforce(vmin, vmax, max_edges, &ls, brute_add, &b);

    cb_forms f;
    cr_assert(eq(int, cb_forms_build(&f, vmin, vmax, max_edges), CB_OK));
    cb_modlist l;
    cr_assert(eq(int, cb_modlist_build(&l, &f, &ls), CB_OK));
    char *hex = cb_modlist_hash(&l, &f, &ls, b.texts, CB_HASH_SHA256);
    cb_hexset mine;
    cb_hexset_init(&mine, 64);
    cr_assert(eq(sz, cb_hexset_add_all(&mine, hex, l.n), l.n), "two listed classes share a hash");
    cr_assert(eq(sz, l.n, b.set.n), "%zu classes listed, %zu distinct hashes in the brute-force walk", l.n,
              b.set.n);
    for (size_t i = 0; i < l.n; i++)
        cr_assert(cb_hexset_has(&b.set, hex + i * CB_HEX_MAX));
    cr_assert(eq(u64, (uint64_t)cb_forms_count(&f, k), (uint64_t)l.n));
    cr_assert(gt(u64, b.seen, (uint64_t)l.n)); /* the walk did meet isomorphic copies */
    free(hex);
    cb_hexset_free(&mine);
    cb_modlist_free(&l);
    cb_forms_free(&f);
    cb_hexset_free(&b.set);
    cb_hasher_free(&b.h);
    cb_vocab_free(&voc);
}

Test(graph_hash, module_space_matches_bruteforce)
{
    check_space(3, 5, 8, 4); /* the seeds' module limits, four ops */
}

Test(graph_hash, nb101_subspace_matches_bruteforce)
{
    check_space(2, 5, 9, 3); /* NAS-Bench-101's limits up to five vertices (seven: bench/) */
}

Test(graph_hash, sampling_is_canonical_and_covers)
{
    cb_forms f;
    cb_forms_build(&f, 3, 5, 8);
    int32_t ids[2] = {2, 3};
    cb_labelset ls = {2, ids, 0, 1};
    unsigned __int128 total = cb_forms_count(&f, 2);
    cb_vocab voc;
    cb_vocab_init(&voc);
    cb_vocab_add(&voc, "input", NULL);
    cb_vocab_add(&voc, "output", NULL);
    cb_vocab_add(&voc, "a", NULL);
    cb_vocab_add(&voc, "b", NULL);
    cb_hasher h;
    cb_hasher_init(&h, CB_HASH_SHA256);
    cb_hexset s;
    cb_hexset_init(&s, 64);
    cb_rng rng;
    cb_rng_seed(&rng, 1);
    int draws = 40000, *count = calloc((size_t)total, sizeof *count);
    for (int i = 0; i < draws; i++) {
        cb_module m;
        cb_modules_sample(&f, &ls, &rng, &m);
        cr_assert(cb_module_full_dag(&m));
        char hex[CB_HEX_MAX];
        cb_module_fingerprint(&h, &m, cb_vocab_texts(&voc), hex);
        cb_hexset_add(&s, hex);
        long at = cb_hexset_index(&s, hex);
        cr_assert(lt(long, at, (long)total), "more distinct samples than classes");
        count[at]++;
    }
    /* every class is drawn, and about equally often: Pearson's chi-square against the uniform
     * law stays within six standard deviations of its mean (N - 1); a sampler that ignored the
     * automorphisms would draw the classes of symmetric forms half or twice as often, which
     * puts it thousands above */
    cr_assert(eq(u64, (uint64_t)s.n, (uint64_t)total));
    double mean = (double)draws / (double)total, chi2 = 0, df = (double)total - 1;
    for (size_t i = 0; i < (size_t)total; i++)
        chi2 += (count[i] - mean) * (count[i] - mean) / mean;
    cr_assert(lt(dbl, chi2, df + 6 * sqrt(2 * df)), "chi-square %.1f over %zu classes", chi2, (size_t)total);
    free(count);
    cb_hexset_free(&s);
    cb_hasher_free(&h);
    cb_vocab_free(&voc);
    cb_forms_free(&f);
}
