/* core/graph/cnnlib.c: a library of CNNBench graphs and the seeds' library JSON format (see
 * cnngraph.h). Reading checks shapes (square upper-triangular 0/1 matrices of at most
 * CB_MODULE_MAXV vertices, one label per vertex) and names the graph and module at fault. */
#include "graph/cnngraph.h"
#include "util/json.h"
#include "util/util.h"

#include <codebench/plugin.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void cb_cnnlib_init(cb_cnnlib *lib, cb_hash_algo algo, cb_vocab *voc)
{
    memset(lib, 0, sizeof *lib);
    lib->algo = algo;
    cb_vocab_init(&lib->own);
    lib->voc = voc ? voc : &lib->own;
    cb_hexset_init(&lib->seen, algo == CB_HASH_MD5 ? 32 : 64);
}

void cb_cnnlib_free(cb_cnnlib *lib)
{
    for (size_t i = 0; i < lib->n; i++) {
        cb_cnngraph_free(&lib->g[i]);
        free(lib->stored_hash ? lib->stored_hash[i] : NULL);
    }
    free(lib->g);
    free(lib->stored_hash);
    free(lib->embed);
    cb_vocab_free(&lib->own);
    cb_hexset_free(&lib->seen);
    memset(lib, 0, sizeof *lib);
}

static size_t push(cb_cnnlib *lib, const cb_cnngraph *g)
{
    size_t cap = lib->cap; /* g and stored_hash grow together */
    cb_grow(&lib->stored_hash, sizeof *lib->stored_hash, lib->n + 1, &cap);
    cb_grow(&lib->g, sizeof *lib->g, lib->n + 1, &lib->cap);
    lib->stored_hash[lib->n] = NULL;
    cb_cnngraph_copy(&lib->g[lib->n], g);
    cb_hexset_add(&lib->seen, g->hash);
    return lib->n++;
}

size_t cb_cnnlib_add(cb_cnnlib *lib, const cb_cnngraph *g)
{
    cb_cnngraph c = *g;
    cb_hasher h;
    if (cb_hasher_init(&h, lib->algo) == 0) {
        cb_cnngraph_hash(&c, lib->voc, &h);
        cb_hasher_free(&h);
    }
    long at = cb_hexset_index(&lib->seen, c.hash);
    return at >= 0 ? (size_t)at : push(lib, &c);
}

static int read_module(cb_cnnlib *lib, json_t *mat, json_t *labels, cb_module *m, char *why, size_t len)
{
    size_t n = json_array_size(labels);
    if (!json_is_array(mat) || !json_is_array(labels) || json_array_size(mat) != n || n < 2 ||
        n > CB_MODULE_MAXV) {
        snprintf(why, len, "a module needs 2..%d labels and a square matrix of that size", CB_MODULE_MAXV);
        return CB_EINVAL;
    }
    m->n = (int32_t)n;
    memset(m->adj, 0, sizeof m->adj);
    for (size_t x = 0; x < n; x++) {
        json_t *row = json_array_get(mat, x);
        const char *name = json_string_value(json_array_get(labels, x));
        if (!json_is_array(row) || json_array_size(row) != n || !name) {
            snprintf(why, len, "row %zu of the matrix or its label is malformed", x);
            return CB_EINVAL;
        }
        m->label[x] = cb_vocab_add(lib->voc, name, NULL);
        for (size_t y = 0; y < n; y++) {
            double e = json_number_value(json_array_get(row, y));
            if (e != 0 && y <= x) {
                snprintf(why, len, "edge %zu -> %zu is not above the diagonal", x, y);
                return CB_EINVAL;
            }
            if (e != 0)
                m->adj[x] |= (uint16_t)(1u << y);
        }
    }
    return CB_OK;
}

static int read_graph(cb_cnnlib *lib, json_t *mats, json_t *labs, cb_cnngraph *g, char *why, size_t len)
{
    size_t n = json_array_size(mats);
    if (!json_is_array(mats) || json_array_size(labs) != n || n == 0 || n > CB_CNN_MAX_MODULES) {
        snprintf(why, len, "matrices and labels must list the same 1..%d modules", CB_CNN_MAX_MODULES);
        return CB_EINVAL;
    }
    g->n = (int32_t)n;
    g->mods = cb_xcalloc(n, sizeof *g->mods);
    for (size_t k = 0; k < n; k++) {
        char inner[200];
        if (read_module(lib, json_array_get(mats, k), json_array_get(labs, k), &g->mods[k], inner, sizeof inner)) {
            snprintf(why, len, "module %zu: %s", k, inner);
            return CB_EINVAL;
        }
    }
    return CB_OK;
}

static void read_embeddings(cb_cnnlib *lib, json_t *emb)
{
    json_t *first = json_array_get(emb, 0);
    if (!json_is_array(emb) || json_array_size(emb) != lib->n || !json_is_array(first))
        return; /* absent or null: the library has no embeddings yet */
    lib->dim = (int)json_array_size(first);
    lib->embed = cb_xcalloc(lib->n * (size_t)lib->dim + 1, sizeof *lib->embed);
    for (size_t i = 0; i < lib->n; i++)
        for (int d = 0; d < lib->dim; d++)
            lib->embed[i * (size_t)lib->dim + (size_t)d] =
                (float)json_number_value(json_array_get(json_array_get(emb, i), (size_t)d));
}

static int read_lib(json_t *root, cb_cnnlib *lib, char *why, size_t len)
{
    const char *algo = json_string_value(json_object_get(json_object_get(root, "config"), "hash_algo"));
    int a = cb_hash_algo_from_name(algo ? algo : "md5"); /* the seeds' default is md5 */
    json_t *mats = json_object_get(root, "matrices"), *labs = json_object_get(root, "labels");
    json_t *hashes = json_object_get(root, "hashes");
    size_t n = json_array_size(mats);
    if (a < 0 || !json_is_array(mats) || json_array_size(labs) != n) {
        snprintf(why, len, "expected config.hash_algo (sha256 or md5) and matrices and labels of equal length");
        return CB_EINVAL;
    }
    cb_cnnlib_init(lib, (cb_hash_algo)a, NULL);
    for (size_t i = 0; i < n; i++) {
        cb_cnngraph g = {0};
        char inner[256];
        int rc = read_graph(lib, json_array_get(mats, i), json_array_get(labs, i), &g, inner, sizeof inner);
        if (rc == CB_OK) {
            size_t at = push(lib, &g);
            const char *hx = json_string_value(json_array_get(hashes, i));
            lib->stored_hash[at] = hx ? cb_xstrdup(hx) : NULL;
        }
        cb_cnngraph_free(&g);
        if (rc) {
            snprintf(why, len, "graph %zu: %s", i, inner);
            return CB_EINVAL;
        }
    }
    read_embeddings(lib, json_object_get(root, "embeddings"));
    return CB_OK;
}

int cb_cnnlib_load(const char *path, cb_cnnlib *lib, char *why, size_t why_len)
{
    memset(lib, 0, sizeof *lib);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        snprintf(why, why_len, "%s:%d:%d: %s", path, err.line, err.column, err.text);
        return CB_EINVAL;
    }
    char inner[400];
    int rc = read_lib(root, lib, inner, sizeof inner);
    json_decref(root);
    if (rc) {
        snprintf(why, why_len, "%s: %s", path, inner);
        cb_cnnlib_free(lib);
        return rc;
    }
    /* hashes are recomputed: a graph is what its matrices and labels say */
    cb_hasher h;
    if (cb_hasher_init(&h, lib->algo) == 0) {
        for (size_t i = 0; i < lib->n; i++)
            cb_cnngraph_hash(&lib->g[i], lib->voc, &h);
        cb_hasher_free(&h);
    }
    return CB_OK;
}

static void write_module(const cb_cnnlib *lib, const cb_module *m, FILE *out, bool labels)
{
    fputc('[', out);
    for (int x = 0; x < m->n; x++) {
        fputs(x ? ", " : "", out);
        if (labels) {
            cb_json_str(out, lib->voc->v[m->label[x]].name);
            continue;
        }
        fputc('[', out);
        for (int y = 0; y < m->n; y++)
            fprintf(out, "%s%d", y ? ", " : "", m->adj[x] >> y & 1);
        fputc(']', out);
    }
    fputc(']', out);
}

static void write_graphs(const cb_cnnlib *lib, FILE *out, bool labels)
{
    fputc('[', out);
    for (size_t i = 0; i < lib->n; i++) {
        fputs(i ? ",\n  [" : "\n  [", out);
        for (int k = 0; k < lib->g[i].n; k++) {
            fputs(k ? ", " : "", out);
            write_module(lib, &lib->g[i].mods[k], out, labels);
        }
        fputc(']', out);
    }
    fputs("]", out);
}

int cb_cnnlib_save(const cb_cnnlib *lib, FILE *out)
{
    fprintf(out, "{\"config\": {\"hash_algo\": \"%s\"},\n\"matrices\": ", cb_hash_algo_name(lib->algo));
    write_graphs(lib, out, false);
    fputs(",\n\"labels\": ", out);
    write_graphs(lib, out, true);
    fputs(",\n\"hashes\": [", out);
    for (size_t i = 0; i < lib->n; i++)
        fprintf(out, "%s\"%s\"", i ? ", " : "", lib->g[i].hash);
    fputs("],\n\"embeddings\": ", out);
    if (!lib->embed)
        fputs("null", out);
    for (size_t i = 0; lib->embed && i < lib->n; i++) {
        fputs(i ? ", [" : "[[", out);
        for (int d = 0; d < lib->dim; d++) {
            fputs(d ? ", " : "", out);
            cb_json_num(out, lib->embed[i * (size_t)lib->dim + (size_t)d]);
        }
        fputs(i + 1 == lib->n ? "]]" : "]", out);
    }
    fputs("}\n", out);
    return ferror(out) ? CB_EFAIL : CB_OK;
}
