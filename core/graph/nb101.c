/* core/graph/nb101.c: the NAS-Bench-101 cell space's labels and its enumeration (see nb101.h). */
#include "graph/nb101.h"
#include "graph/modhash.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_nb101_labels(cb_vocab *voc, cb_labelset *ls, int32_t *ids)
{
    ls->in_id = cb_vocab_add(voc, "-1", "-1");
    ls->out_id = cb_vocab_add(voc, "-2", "-2");
    for (int i = 0; i < CB_NB101_OPS; i++) {
        char t[16];
        snprintf(t, sizeof t, "%d", i);
        ids[i] = cb_vocab_add(voc, t, t);
    }
    ls->k = CB_NB101_OPS;
    ls->ids = ids;
}

static uint64_t labelled_total(const cb_forms *f, int max_vertices)
{
    uint64_t total = 0;
    for (int n = 2; n <= max_vertices; n++) {
        uint64_t per = 1;
        for (int v = 0; v < n - 2; v++)
            per *= CB_NB101_OPS;
        total += f->full_by_n[n] * per;
    }
    return total;
}

int cb_nb101_enumerate(int max_vertices, int max_edges, cb_space_count *c, cb_hexset *hashes)
{
    memset(c, 0, sizeof *c);
    cb_forms f;
    if (cb_forms_build(&f, 2, max_vertices, max_edges) != CB_OK)
        return CB_EINVAL;
    cb_vocab voc;
    cb_vocab_init(&voc);
    cb_labelset ls;
    int32_t ids[CB_NB101_OPS];
    cb_nb101_labels(&voc, &ls, ids);
    cb_modlist l;
    int rc = cb_modlist_build(&l, &f, &ls);
    if (rc == CB_OK) {
        char *hex = cb_modlist_hash(&l, &f, &ls, cb_vocab_texts(&voc), CB_HASH_MD5);
        cb_hexset own;
        cb_hexset_init(&own, 32);
        cb_hexset *set = hashes ? hashes : &own;
        size_t before = set->n;
        cb_hexset_add_all(set, hex, l.n);
        c->unique = set->n - before;
        c->classes = l.n;
        cb_hexset_free(&own);
        free(hex);
    }
    c->full_dags = f.full_dags;
    c->labelled = labelled_total(&f, max_vertices);
    c->forms = f.n;
    cb_modlist_free(&l);
    cb_forms_free(&f);
    cb_vocab_free(&voc);
    return rc;
}
