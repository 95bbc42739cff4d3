/* core/sim/accel_card_bind.c: an accelerator card's plugins made real: resolved in the
 * registry, their parameters parsed against the plugins' own schemas (the one strict parser
 * manifests use), the memory's banks, ranks and channels taken from the vector's memory
 * configuration, and the instances created. */
#include "host/host.h"
#include "plugin/param.h"
#include "sim/accel_card.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const GEOMETRY_PARAMS[3] = {"banks", "ranks", "channels"};

static int param_index(const cb_param *ps, const char *name)
{
    for (int i = 0; ps && ps[i].name; i++)
        if (strcmp(ps[i].name, name) == 0)
            return i;
    return -1;
}

static int n_params(const cb_param *ps)
{
    int n = 0;
    while (ps && ps[n].name)
        n++;
    return n;
}

static int fail(cb_accel_card *c, cb_diag *d, cb_mark at, const char *fmt, const char *a,
                const char *b, const char *x)
{
    return cb_yaml_fail(&c->y, d, at, fmt, a, b, x);
}

/* One `key: value` of the card's params onto the schema. */
static int set_param(cb_accel_card *c, cb_kind kind, cb_card_plugin *p, yaml_node_t *k, yaml_node_t *v,
                     cb_diag *d)
{
    const cb_param *ps = p->entry->plugin->params;
    cb_mark at = cb_yaml_node_mark(k);
    if (k->type != YAML_SCALAR_NODE)
        return fail(c, d, at, "plugin '%s': a parameter name must be a plain word%s%s", p->name, "", "");
    const char *key = (const char *)k->data.scalar.value;
    for (int g = 0; kind == CB_KIND_MEMORY && g < 3; g++)
        if (strcmp(key, GEOMETRY_PARAMS[g]) == 0)
            return fail(c, d, at, "memory plugin '%s': '%s' is set by the vector's memory_type and "
                                  "memory_config%s", p->name, key, "");
    int i = param_index(ps, key);
    if (i < 0) {
        const char *names[64];
        int n = n_params(ps) < 64 ? n_params(ps) : 64;
        for (int j = 0; j < n; j++)
            names[j] = ps[j].name;
        const char *guess = cb_did_you_mean(key, names, n);
        char hint[96] = "";
        if (guess)
            snprintf(hint, sizeof hint, " (did you mean '%s'?)", guess);
        return fail(c, d, at, "plugin '%s' has no parameter '%s'%s", p->name, key, hint);
    }
    char why[256];
    const char *text = v->type == YAML_SCALAR_NODE ? (const char *)v->data.scalar.value : NULL;
    if (!text)
        return fail(c, d, cb_yaml_node_mark(v), "plugin '%s': parameter '%s' needs a single value%s",
                    p->name, key, "");
    if (cb_param_parse(&ps[i], text, cb_yaml_is_quoted(v), &p->values[i], why, sizeof why))
        return fail(c, d, cb_yaml_node_mark(v), "plugin '%s': parameter '%s': %s", p->name, key, why);
    return CB_OK;
}

/* banks, ranks and channels of the vector's memory configuration, through the same parser. */
static int set_geometry(cb_accel_card *c, cb_card_plugin *p, cb_diag *d)
{
    int g[3];
    cb_mem_geometry(c->vec.mem_type, c->vec.mem_config, &g[0], &g[1], &g[2]);
    const cb_param *ps = p->entry->plugin->params;
    for (int k = 0; k < 3; k++) {
        int i = param_index(ps, GEOMETRY_PARAMS[k]);
        char text[16], why[256];
        snprintf(text, sizeof text, "%d", g[k]);
        if (i < 0)
            return fail(c, d, p->at, "memory plugin '%s' has no '%s' parameter: the vector's memory "
                                     "configuration cannot be applied to it%s", p->name,
                        GEOMETRY_PARAMS[k], "");
        if (cb_param_parse(&ps[i], text, false, &p->values[i], why, sizeof why))
            return fail(c, d, p->at, "memory plugin '%s' cannot take the configuration's %s: %s",
                        p->name, GEOMETRY_PARAMS[k], why);
    }
    return CB_OK;
}

static int check_required(cb_accel_card *c, cb_card_plugin *p, const bool *given, cb_diag *d)
{
    const cb_param *ps = p->entry->plugin->params;
    for (int i = 0; ps && ps[i].name; i++)
        if (!ps[i].def && !given[i])
            return fail(c, d, p->at, "plugin '%s': missing required parameter '%s'%s", p->name,
                        ps[i].name, "");
    return CB_OK;
}

int cb_card_plugin_bind(cb_accel_card *c, cb_registry *reg, cb_kind kind, cb_card_plugin *p, cb_diag *d)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    p->entry = cb_registry_find(reg, kind, p->name, &e);
    if (!p->entry)
        return fail(c, d, p->at, "%s%s%s", e.msg, "", "");
    const cb_param *ps = p->entry->plugin->params;
    int n = n_params(ps);
    p->values = cb_xcalloc((size_t)n + 1, sizeof *p->values);
    bool *given = cb_xcalloc((size_t)n + 1, sizeof *given);
    char why[256];
    int rc = cb_param_defaults(ps, p->values, why, sizeof why) ? fail(c, d, p->at, "plugin '%s': %s%s", p->name, why, "")
                                                               : CB_OK;
    yaml_node_t *map = p->params_node ? cb_yaml_node(&c->y, p->params_node) : NULL;
    for (yaml_node_pair_t *q = map ? map->data.mapping.pairs.start : NULL; rc == CB_OK && map && q < map->data.mapping.pairs.top; q++) {
        yaml_node_t *k = cb_yaml_node(&c->y, q->key), *v = cb_yaml_node(&c->y, q->value);
        rc = set_param(c, kind, p, k, v, d);
        int i = rc == CB_OK ? param_index(ps, (const char *)k->data.scalar.value) : -1; /* a scalar now */
        if (i >= 0)
            given[i] = true;
    }
    if (rc == CB_OK && kind == CB_KIND_MEMORY) {
        rc = set_geometry(c, p, d);
        for (int g = 0; rc == CB_OK && g < 3; g++)
            given[param_index(ps, GEOMETRY_PARAMS[g])] = true;
    }
    if (rc == CB_OK)
        rc = check_required(c, p, given, d);
    free(given);
    return rc;
}

static int create_one(cb_accel_card *c, cb_card_plugin *p, cb_instance *inst, cb_diag *d)
{
    cb_error e;
    memset(&e, 0, sizeof e);
    cb_host *h = cb_host_new(p->entry->plugin->name);
    if (cb_plugin_create(p->entry->plugin, h, p->values, inst, &e) == CB_OK)
        return CB_OK;
    cb_host_free(h);
    return fail(c, d, p->at, "plugin '%s' refused its parameters: %s%s", p->name, e.msg, "");
}

int cb_accel_card_create(cb_accel_card *c, cb_instance *mac, cb_instance *mem, cb_diag *d)
{
    memset(mac, 0, sizeof *mac);
    memset(mem, 0, sizeof *mem);
    if (!c->mac.entry || !c->memory.entry)
        return cb_diag_set(d, c->y.path, (cb_mark){0, 0}, NULL, "the card was loaded without a plugin registry");
    if (create_one(c, &c->mac, mac, d))
        return CB_EINVAL;
    if (create_one(c, &c->memory, mem, d) == CB_OK)
        return CB_OK;
    cb_instance_destroy(mac);
    cb_host_free(mac->host);
    mac->host = NULL;
    return CB_EINVAL;
}
