/* core/cli/space_nb.c: `codebench space` on the built-in benchmark spaces (see space.h).
 *
 * nb101: NAS-Bench-101's cells (graph/nb101.h), listed as their MD5 key, vertex count, the
 * seeds' edge mask and the operations (0 conv3x3-bn-relu, 1 conv1x1-bn-relu, 2 maxpool3x3, in
 * NAS-Bench-101's order). nb201: NAS-Bench-201's cells, one operation on each of the 6 edges of
 * a 4-node cell, written as the benchmark writes them. */
#include "cli/commands.h"
#include "cli/space.h"
#include "graph/hash.h"
#include "graph/modhash.h"
#include "graph/nb101.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void print_cell(cb_hasher *h, const cb_module *m, cb_vocab *voc)
{
    char hex[CB_HEX_MAX];
    cb_module_fingerprint(h, m, cb_vocab_texts(voc), hex);
    printf("%s  %d vertices  mask %-7llu ops", hex, m->n, (unsigned long long)cb_module_mask(m));
    for (int v = 1; v < m->n - 1; v++)
        printf(" %s", voc->v[m->label[v]].name);
    printf("\n");
}

static int nb101_count(void)
{
    double t0 = seconds();
    cb_space_count c;
    if (cb_nb101_enumerate(CB_NB101_VERTICES, CB_NB101_EDGES, &c, NULL)) {
        fprintf(stderr, "codebench space: the NAS-Bench-101 limits do not fit\n");
        return CB_EXIT_FAIL;
    }
    printf("nb101: %llu unique graphs (MD5, NAS-Bench-101's hashing)\n"
           "  %llu labelled full DAGs of 2..%d vertices and at most %d edges, %d ops\n"
           "  %zu unlabelled shapes, %llu labelled isomorphism classes\n"
           "  %.2f s\n",
           (unsigned long long)c.unique, (unsigned long long)c.labelled, CB_NB101_VERTICES, CB_NB101_EDGES,
           CB_NB101_OPS, c.forms, (unsigned long long)c.classes, seconds() - t0);
    return c.unique == c.classes ? CB_EXIT_OK : CB_EXIT_FAIL;
}

typedef struct lister {
    cb_hasher h;
    cb_vocab *voc;
    long left;
} lister;

static int list_one(void *ctx, const cb_module *m)
{
    lister *l = ctx;
    if (l->left == 0)
        return 1;
    if (l->left > 0)
        l->left--;
    print_cell(&l->h, m, l->voc);
    return 0;
}

int cb_space_nb101(const cb_space_opts *o)
{
    if (o->action == CB_ACT_COUNT)
        return nb101_count();
    cb_forms f;
    cb_forms_build(&f, 2, CB_NB101_VERTICES, CB_NB101_EDGES);
    cb_vocab voc;
    cb_vocab_init(&voc);
    cb_labelset ls;
    int32_t ids[CB_NB101_OPS];
    cb_nb101_labels(&voc, &ls, ids);
    lister l = {.voc = &voc, .left = o->action == CB_ACT_SAMPLE ? o->count : o->limit};
    cb_hasher_init(&l.h, CB_HASH_MD5);
    if (o->action == CB_ACT_ENUMERATE) {
        cb_modules_enumerate(&f, &ls, list_one, &l);
    } else {
        cb_rng rng;
        cb_rng_seed(&rng, o->seed);
        for (long i = 0; i < o->count; i++) {
            cb_module m;
            cb_modules_sample(&f, &ls, &rng, &m);
            print_cell(&l.h, &m, &voc);
        }
    }
    cb_hasher_free(&l.h);
    cb_vocab_free(&voc);
    cb_forms_free(&f);
    return CB_EXIT_OK;
}

/* NAS-Bench-201's operations, in the order its API lists them. */
static const char *const nb201_ops[5] = {"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};

static void print_nb201(long code)
{
    int op[6];
    for (int e = 5; e >= 0; e--) {
        op[e] = (int)(code % 5);
        code /= 5;
    }
    printf("|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|\n", nb201_ops[op[0]], nb201_ops[op[1]], nb201_ops[op[2]],
           nb201_ops[op[3]], nb201_ops[op[4]], nb201_ops[op[5]]);
}

int cb_space_nb201(const cb_space_opts *o)
{
    const long total = 5 * 5 * 5 * 5 * 5 * 5;
    if (o->action == CB_ACT_COUNT) {
        printf("nb201: %ld cells (5 operations on each of the 6 edges of a 4-node cell)\n", total);
        return CB_EXIT_OK;
    }
    cb_rng rng;
    cb_rng_seed(&rng, o->seed);
    long n = o->action == CB_ACT_SAMPLE ? o->count : (o->limit < 0 || o->limit > total ? total : o->limit);
    for (long i = 0; i < n; i++)
        print_nb201(o->action == CB_ACT_SAMPLE ? (long)cb_rng_below(&rng, (uint64_t)total) : i);
    return CB_EXIT_OK;
}
