/* core/sim/accel_card.c: reading an accelerator card (see accel_card.h): its keys, the
 * 13-element vector checked entry by entry against Table 2's space, the sparsity densities,
 * and the two plugin references (bound to their schemas in accel_card_bind.c). */
#include "sim/accel_card.h"
#include "sim/accel_space.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int fail(cb_accel_card *c, cb_diag *d, const yaml_node_t *n, const char *fmt, const char *a)
{
    return cb_yaml_fail(&c->y, d, cb_yaml_node_mark(n), fmt, a);
}

/* Every key of map must be one of allowed[]. */
static int check_keys(cb_accel_card *c, cb_diag *d, yaml_node_t *map, const char *const *allowed, int n)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cb_yaml_node(&c->y, p->key);
        const char *key = scalar(k);
        bool ok = false;
        for (int i = 0; i < n && key; i++)
            ok |= strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        const char *guess = key ? cb_did_you_mean(key, allowed, n) : NULL;
        char msg[256];
        snprintf(msg, sizeof msg, "unknown key '%.64s'%s%.64s%s", key ? key : "?",
                 guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
        return fail(c, d, k, "%s", msg);
    }
    return CB_OK;
}

static int need_map(cb_accel_card *c, cb_diag *d, yaml_node_t *n, const char *what)
{
    if (n && n->type == YAML_MAPPING_NODE)
        return CB_OK;
    return fail(c, d, n, "%s must be a mapping of keys to values", what);
}

/* A number written plainly (not quoted), whole; *v gets it. */
static int number(cb_accel_card *c, cb_diag *d, yaml_node_t *n, const char *key, double *v)
{
    const char *t = scalar(n);
    char *end = NULL;
    if (t && !cb_yaml_is_quoted(n)) {
        *v = strtod(t, &end);
        if (end != t && *end == '\0' && isfinite(*v))
            return CB_OK;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "%s: expected a number, got '%.40s'", key, t ? t : "(not a scalar)");
    return fail(c, d, n, "%s", msg);
}

static const char *const VEC_KEYS[CB_ACCEL_DIM] = {
    "p_ib", "p_if", "p_ix", "p_iy", "p_of", "p_kx", "p_ky", "batch", "act_buffer_mb",
    "weight_buffer_mb", "mask_buffer_mb", "memory_type", "memory_config"};
/* the space axis of each of entries 0..10 */
static const int AXIS_OF[11] = {CB_AX_IB, CB_AX_IF, CB_AX_IX, CB_AX_IY, CB_AX_OF, CB_AX_K,
                                CB_AX_K, CB_AX_BATCH, CB_AX_ACT, CB_AX_WGT, CB_AX_MASK};

/* Entry i (0..10) must be one of its axis's Table 2 values. */
static int in_space(cb_accel_card *c, cb_diag *d, yaml_node_t *n, int i, double x)
{
    cb_accel_space s;
    cb_accel_space_table2(&s);
    int a = AXIS_OF[i];
    for (int k = 0; k < s.n[a]; k++)
        if (s.v[a][k] == x)
            return CB_OK;
    char msg[256];
    int at = snprintf(msg, sizeof msg, "%s = %g is not in the AccelBench space (Table 2: ", VEC_KEYS[i], x);
    for (int k = 0; k < s.n[a] && at < (int)sizeof msg; k++)
        at += snprintf(msg + at, sizeof msg - (size_t)at, "%s%g", k ? ", " : "", s.v[a][k]);
    if (at < (int)sizeof msg)
        snprintf(msg + at, sizeof msg - (size_t)at, ")");
    return fail(c, d, n, "%s", msg);
}

static int vector_entry(cb_accel_card *c, cb_diag *d, yaml_node_t *map, int i, double *x, yaml_node_t **node)
{
    yaml_node_t *n = cb_yaml_get(&c->y, map, VEC_KEYS[i], NULL);
    if (!n)
        return fail(c, d, map, "vector: missing required key '%s'", VEC_KEYS[i]);
    *node = n;
    if (number(c, d, n, VEC_KEYS[i], x))
        return CB_EINVAL;
    if ((i <= 7 || i >= 11) && *x != floor(*x))
        return fail(c, d, n, "%s must be a whole number", VEC_KEYS[i]);
    return i <= 10 ? in_space(c, d, n, i, *x) : CB_OK;
}

static int read_vector(cb_accel_card *c, cb_diag *d, yaml_node_t *map)
{
    if (need_map(c, d, map, "vector") || check_keys(c, d, map, VEC_KEYS, CB_ACCEL_DIM))
        return CB_EINVAL;
    double x[CB_ACCEL_DIM];
    yaml_node_t *node[CB_ACCEL_DIM];
    for (int i = 0; i < CB_ACCEL_DIM; i++)
        if (vector_entry(c, d, map, i, &x[i], &node[i]))
            return CB_EINVAL;
    char msg[200];
    if (x[5] != x[6]) {
        snprintf(msg, sizeof msg, "p_ky = %g differs from p_kx = %g: the space has P_kx = P_ky "
                                  "(a PE's MAC lanes unroll a square kernel window)", x[6], x[5]);
        return fail(c, d, node[6], "%s", msg);
    }
    /* range first: a huge whole number does not fit an int (found by fuzz/accel_card.c) */
    int type = x[11] >= 1 && x[11] <= 3 ? (int)x[11] : 0;
    if (cb_mem_configs(type) == 0)
        return fail(c, d, node[11], "%s", "memory_type must be 1 (monolithic 3D RRAM), 2 (off-chip "
                                          "DRAM) or 3 (HBM)");
    if (x[12] < 1 || x[12] > cb_mem_configs(type)) {
        snprintf(msg, sizeof msg, "memory_config = %g does not exist for memory type %g "
                                  "(configurations 1..%d, Table 2)", x[12], x[11], cb_mem_configs(type));
        return fail(c, d, node[12], "%s", msg);
    }
    char why[256];
    return cb_accel_vec_from_array(x, CB_ACCEL_DIM, &c->vec, why, sizeof why) ? fail(c, d, map, "%s", why)
                                                                                 : CB_OK;
}

static int read_density(cb_accel_card *c, cb_diag *d, yaml_node_t *map, const char *key, double *out)
{
    yaml_node_t *n = cb_yaml_get(&c->y, map, key, NULL);
    if (!n)
        return CB_OK;
    if (number(c, d, n, key, out))
        return CB_EINVAL;
    return *out > 0 && *out <= 1 ? CB_OK : fail(c, d, n, "%s must be in (0, 1]", key);
}

static int read_sparsity(cb_accel_card *c, cb_diag *d, yaml_node_t *map)
{
    static const char *const KEYS[] = {"activation_density", "weight_density"};
    c->opts = CB_SIM_OPTS_DEFAULT;
    if (!map)
        return CB_OK;
    if (need_map(c, d, map, "sparsity") || check_keys(c, d, map, KEYS, 2))
        return CB_EINVAL;
    return read_density(c, d, map, KEYS[0], &c->opts.act_density) ||
                   read_density(c, d, map, KEYS[1], &c->opts.wgt_density)
               ? CB_EINVAL
               : CB_OK;
}

/* `NAME` or {plugin: NAME, params: {...}}. */
static int read_plugin(cb_accel_card *c, cb_diag *d, yaml_node_t *root, const char *key, cb_card_plugin *p)
{
    static const char *const KEYS[] = {"plugin", "params"};
    yaml_node_t *n = cb_yaml_get(&c->y, root, key, NULL), *name = n;
    if (!n)
        return fail(c, d, root, "missing required key '%s'", key);
    if (n->type == YAML_MAPPING_NODE) {
        if (check_keys(c, d, n, KEYS, 2))
            return CB_EINVAL;
        name = cb_yaml_get(&c->y, n, "plugin", NULL);
        if (!name)
            return fail(c, d, n, "%s: missing required key 'plugin'", key);
        yaml_node_t *params = cb_yaml_get(&c->y, n, "params", NULL);
        if (params && need_map(c, d, params, "params"))
            return CB_EINVAL;
        p->params_node = params ? (int)(params - c->y.doc.nodes.start) + 1 : 0;
    }
    const char *text = scalar(name);
    if (!text || !*text || strlen(text) >= sizeof p->name)
        return fail(c, d, name, "%s: expected a plugin name", key);
    snprintf(p->name, sizeof p->name, "%s", text);
    p->at = cb_yaml_node_mark(name);
    return CB_OK;
}

static int read_name(cb_accel_card *c, cb_diag *d, yaml_node_t *root)
{
    yaml_node_t *n = cb_yaml_get(&c->y, root, "name", NULL);
    if (!n)
        return fail(c, d, root, "missing required key '%s'", "name");
    const char *t = scalar(n);
    if (!t || !*t || strlen(t) >= sizeof c->name)
        return fail(c, d, n, "%s", "name: expected a short name (at most 63 characters)");
    snprintf(c->name, sizeof c->name, "%s", t);
    return CB_OK;
}

int cb_accel_card_load(const char *path, cb_registry *reg, cb_accel_card *c, cb_diag *d)
{
    static const char *const KEYS[] = {"name", "vector", "mac", "memory", "sparsity"};
    memset(c, 0, sizeof *c);
    cb_diag_clear(d);
    if (cb_yamldoc_load(&c->y, path, d))
        return CB_EINVAL;
    yaml_node_t *root = cb_yaml_root(&c->y);
    if (!root)
        return cb_diag_set(d, path, (cb_mark){0, 0}, NULL, "the accelerator card is empty");
    if (need_map(c, d, root, "an accelerator card") || check_keys(c, d, root, KEYS, 5) ||
        read_name(c, d, root))
        return CB_EINVAL;
    yaml_node_t *vec = cb_yaml_get(&c->y, root, "vector", NULL);
    if (!vec)
        return fail(c, d, root, "missing required key '%s'", "vector");
    if (read_vector(c, d, vec) ||
        read_sparsity(c, d, cb_yaml_get(&c->y, root, "sparsity", NULL)) ||
        read_plugin(c, d, root, "mac", &c->mac) || read_plugin(c, d, root, "memory", &c->memory))
        return CB_EINVAL;
    if (!reg)
        return CB_OK;
    return cb_card_plugin_bind(c, reg, CB_KIND_MAC, &c->mac, d) ||
                   cb_card_plugin_bind(c, reg, CB_KIND_MEMORY, &c->memory, d)
               ? CB_EINVAL
               : CB_OK;
}

void cb_accel_card_free(cb_accel_card *c)
{
    free(c->mac.values);
    free(c->memory.values);
    c->mac.values = c->memory.values = NULL;
    cb_yamldoc_free(&c->y);
}
