/* core/manifest/manifest_keys.c: the manifest's schema, as key tables (see schema.h), and the
 * rules that span several keys. docs/manifest.md documents every row; a unit test checks that
 * it names them all. To add a key: add a field to manifest.h, a row here, a line in the docs.
 *
 * Numbers that come from the papers (see /work/shared/DESIGN.md, "Things the seeds fix"):
 * module <= 5 vertices and <= 8 edges, head <= 8 vertices, <= 90 modules, hierarchy levels
 * s = 10, 5, ..., 1; the accelerator axes' value sets (AccelBench, Table 2 of the CODEBench
 * paper); the objective's weights (0.2, 0.1, 0.2, 0.2, 0.3). */
#include "manifest/manifest.h"

#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- row macros: {param, node, flags, offset, sub, fn, free, arg} ----
 * A range written "1, 0" (min > max) means none: cb_param_parse then checks only choices. */
#define ROW(T, NAME, FL, DEF, MIN, MAX, CH, UNIT, NODE, S, F, SUB, FN, FREE, ARG, HELP) \
    {{NAME, T, DEF, MIN, MAX, CH, UNIT, HELP, 0}, NODE, FL, offsetof(S, F), SUB, FN, FREE, ARG}
#define K_INT(NAME, FL, DEF, MIN, MAX, S, F, HELP) \
    ROW(CB_T_INT, NAME, FL, DEF, MIN, MAX, NULL, "", CB_N_SCALAR, S, F, NULL, NULL, NULL, 0, HELP)
#define K_REAL(NAME, FL, DEF, MIN, MAX, UNIT, S, F, HELP) \
    ROW(CB_T_REAL, NAME, FL, DEF, MIN, MAX, NULL, UNIT, CB_N_SCALAR, S, F, NULL, NULL, NULL, 0, HELP)
#define K_BOOL(NAME, DEF, S, F, HELP) \
    ROW(CB_T_BOOL, NAME, 0, DEF, 1, 0, NULL, "", CB_N_SCALAR, S, F, NULL, NULL, NULL, 0, HELP)
#define K_STR(NAME, FL, S, F, HELP) \
    ROW(CB_T_STR, NAME, FL, NULL, 1, 0, NULL, "", CB_N_SCALAR, S, F, NULL, NULL, NULL, 0, HELP)
#define K_ENUM(NAME, DEF, CH, S, F, HELP) \
    ROW(CB_T_ENUM, NAME, 0, DEF, 1, 0, CH, "", CB_N_SCALAR, S, F, NULL, NULL, NULL, 0, HELP)
#define K_MAP(NAME, FL, TABLE, S, F, HELP) \
    ROW(CB_T_STR, NAME, FL, NULL, 1, 0, NULL, "", CB_N_MAP, S, F, &TABLE, NULL, NULL, 0, HELP)
#define K_LIST(T, NAME, DEF, MIN, MAX, CH, S, F, HELP) \
    ROW(T, NAME, 0, DEF, MIN, MAX, CH, "", CB_N_LIST, S, F, NULL, NULL, NULL, 0, HELP)
#define K_FN(NAME, FL, FN, FREE, SUB, ARG, S, F, HELP) \
    ROW(CB_T_STR, NAME, FL, NULL, 1, 0, NULL, "", CB_N_FN, S, F, SUB, FN, FREE, ARG, HELP)
#define K_END {{NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0}, 0, 0, 0, NULL, NULL, NULL, 0}
#define REQ CB_K_REQUIRED

static cb_manifest *manifest_of(cb_walk *w)
{
    return w->user;
}

static cb_mark mark_of(cb_walk *w, yaml_node_t *map, const char *key)
{
    yaml_node_t *k, *v = cb_yaml_get(w->doc, map, key, &k);
    return v ? cb_yaml_node_mark(v) : w->here;
}

/* ---- top level: codebench, plugin_path, name ---- */

static int version_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    static const cb_param p = {"codebench", CB_T_INT, NULL, 1, 0, NULL, "", "", 0};
    cb_value v;
    if (cb_walk_scalar(w, &p, 0, node, &v))
        return CB_EINVAL;
    if (v.i != CB_MANIFEST_VERSION)
        return cb_walk_fail(w, cb_yaml_node_mark(node),
                            "codebench: manifest format version %lld is not supported (this "
                            "codebench reads version %d)", (long long)v.i, CB_MANIFEST_VERSION);
    *(int64_t *)field = v.i;
    return CB_OK;
}

static int plugin_entry(cb_walk *w, cb_manifest *m, size_t i)
{
    const char *dir = m->plugin_dirs[i];
    struct stat st;
    size_t len = cb_walk_push(w, NULL, i);
    int rc = CB_OK;
    cb_error e = {0};
    if (stat(dir, &st) != 0)
        rc = cb_walk_fail(w, m->plugin_path.at[i], "%s: cannot use '%s' (resolved against the "
                          "manifest's folder: %s): %s", w->path, m->plugin_path.v[i].s, dir,
                          strerror(errno));
    else if ((S_ISDIR(st.st_mode) ? cb_registry_load_dir(w->reg, dir, &e)
                                  : cb_registry_load_file(w->reg, dir, &e)) != CB_OK)
        rc = cb_walk_fail(w, m->plugin_path.at[i], "%s: %s", w->path, e.msg);
    cb_walk_pop(w, len);
    return rc;
}

static void list_free(void *l)
{
    cb_list_free(l);
}

/* Plugin folders (or pack files), relative to the manifest's folder, loaded right away so
 * that the sections after this row can name their plugins. */
static int plugin_path_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_manifest *m = manifest_of(w);
    if (cb_walk_list(w, &k->p, 0, node, field))
        return CB_EINVAL;
    m->plugin_dirs = cb_xcalloc(m->plugin_path.n, sizeof *m->plugin_dirs);
    for (size_t i = 0; i < m->plugin_path.n; i++)
        m->plugin_dirs[i] = cb_manifest_resolve(m, m->plugin_path.v[i].s);
    for (size_t i = 0; i < m->plugin_path.n; i++)
        if (plugin_entry(w, m, i))
            return CB_EINVAL;
    return CB_OK;
}

/* A run's name names its folder: keep it to characters that are safe in a path. */
static bool usable_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '.')
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* The default name: the file's name without .yaml/.yml, unsafe characters made '_'. */
static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *s = cb_xstrdup(base);
    char *dot = strrchr(s, '.');
    if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    for (char *c = s; *c; c++)
        if (!strchr("._-", *c) && !(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
            !(*c >= '0' && *c <= '9'))
            *c = '_';
    if (!usable_name(s)) {
        free(s);
        s = cb_xstrdup("run");
    }
    return s;
}

static int root_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_manifest *m = target;
    if (m->name && !usable_name(m->name))
        return cb_walk_fail(w, mark_of(w, map, "name"),
                            "name: '%s' cannot name a run folder (use at most 64 letters, digits, "
                            "'.', '_' or '-', not starting with '.')", m->name);
    /* a table of trained cells is how they get their accuracy: no trainer is needed then */
    if (!m->trainer.ref.entry && !m->cnn.table)
        return cb_walk_fail(w, w->here, "missing required top-level key 'trainer'");
    if (!m->name)
        m->name = m->name_buf = name_from_path(w->doc->path);
    char *dir = m->output.dir ? cb_xstrdup(m->output.dir) : cb_xasprintf("runs/%s", m->name);
    m->output.path = cb_manifest_resolve(m, dir);
    free(dir);
    return CB_OK;
}

/* ---- cnn ---- */

/* Each side may be 4096, but not all at once: one image must fit a training batch in memory
 * (2^26 floats = 256 MiB; ImageNet's 3x224x224 is 150,528). */
#define CB_MAX_INPUT_VALUES (1ll << 26)

static int input_check(cb_walk *w, yaml_node_t *map, void *target)
{
    const cb_cnn_input *in = target;
    long long n = (long long)in->channels * in->height * in->width;
    if (n > CB_MAX_INPUT_VALUES)
        return cb_walk_fail(w, w->here, "cnn.input: %lldx%lldx%lld = %lld values per image, more "
                            "than the limit of %lld", (long long)in->channels,
                            (long long)in->height, (long long)in->width, n, CB_MAX_INPUT_VALUES);
    return CB_OK;
}

static const cb_key input_keys[] = {
    K_INT("channels", REQ, NULL, 1, 4096, cb_cnn_input, channels, "input channels"),
    K_INT("height", REQ, NULL, 1, 4096, cb_cnn_input, height, "input height in pixels"),
    K_INT("width", REQ, NULL, 1, 4096, cb_cnn_input, width, "input width in pixels"),
    K_END,
};
static const cb_table input_table = {input_keys, NULL, input_check};

static const cb_key module_keys[] = {
    K_INT("max_vertices", 0, "5", 2, 5, cb_cnn_module, max_vertices,
          "vertices per module, input and output included"),
    K_INT("max_edges", 0, "8", 1, 8, cb_cnn_module, max_edges, "edges per module"),
    K_END,
};
static const cb_table module_table = {module_keys, NULL, NULL};

/* Default levels deeper than max_modules are dropped: they could not form one stack. */
static void fit_default_levels(cb_cnn_stacks *s)
{
    cb_list *l = &s->levels;
    size_t keep = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].i <= s->max_modules)
            l->v[keep++] = l->v[i];
    l->n = keep;
}

/* Each level's stack size divides the one before (the paper goes from s to s/K). */
static int stacks_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_cnn_stacks *s = target;
    const cb_list *l = &s->levels;
    if (l->n && !l->at[0].line)
        fit_default_levels(s);
    for (size_t i = 0; i < l->n; i++) {
        cb_mark at = l->at[i].line ? l->at[i] : w->here;
        if (l->v[i].i > s->max_modules)
            return cb_walk_fail(w, at, "cnn.stacks.levels[%zu]: a stack of %lld modules is more "
                                "than cnn.stacks.max_modules (%lld)", i, (long long)l->v[i].i,
                                (long long)s->max_modules);
        if (i && (l->v[i].i >= l->v[i - 1].i || l->v[i - 1].i % l->v[i].i))
            return cb_walk_fail(w, at, "cnn.stacks.levels[%zu]: %lld must be a smaller divisor of "
                                "the level before (%lld): levels go from s modules per stack to s/K",
                                i, (long long)l->v[i].i, (long long)l->v[i - 1].i);
    }
    return CB_OK;
}

static const cb_key stacks_keys[] = {
    K_INT("max_modules", 0, "90", 1, 90, cb_cnn_stacks, max_modules,
          "modules in a CNN, the head excluded"),
    K_LIST(CB_T_INT, "levels", "10, 5, 1", 1, 90, NULL, cb_cnn_stacks, levels,
           "modules per stack at each hierarchy level, coarsest first"),
    K_END,
};
static const cb_table stacks_table = {stacks_keys, NULL, stacks_check};

static const cb_key head_keys[] = {
    K_INT("max_vertices", 0, "8", 1, 8, cb_cnn_head, max_vertices,
          "sequential vertices of the head (dense and dropout layers)"),
    K_END,
};
static const cb_table head_table = {head_keys, NULL, NULL};

static const char *const space_names[] = {"cards", "modules", "nb101", "nb201", NULL};

/* Which keys each CNN space uses; the others are refused so that a manifest never carries
 * settings that silently do nothing. */
static int space_uses(int space, const char *key)
{
    if (strcmp(key, "cards") == 0)
        return space == CB_SPACE_CARDS;
    if (strcmp(key, "table") == 0 || strcmp(key, "skeleton") == 0)
        return space == CB_SPACE_NB101;
    return space == CB_SPACE_MODULES; /* ops, module, stacks, head, space_file, candidates */
}

static int cnn_cards(cb_walk *w, cb_manifest_cnn *c)
{
    cb_manifest *m = manifest_of(w);
    c->card_paths = cb_xcalloc(c->cards.n, sizeof *c->card_paths);
    for (size_t i = 0; i < c->cards.n; i++) {
        c->card_paths[i] = cb_manifest_resolve(m, c->cards.v[i].s);
        if (access(c->card_paths[i], R_OK) != 0)
            return cb_walk_fail(w, c->cards.at[i], "cnn.cards[%zu]: cannot read '%s' (resolved "
                                "against the manifest's folder: %s): %s", i, c->cards.v[i].s,
                                c->card_paths[i], strerror(errno));
    }
    return CB_OK;
}

/* A file a key names must be readable (resolved against the manifest's folder). */
static int readable(cb_walk *w, yaml_node_t *map, const char *key, const char *path)
{
    if (!path)
        return CB_OK;
    char *full = cb_manifest_resolve(manifest_of(w), path);
    int ok = access(full, R_OK) == 0, rc = CB_OK;
    if (!ok)
        rc = cb_walk_fail(w, mark_of(w, map, key), "cnn.%s: cannot read '%s' (resolved against the "
                          "manifest's folder: %s): %s", key, path, full, strerror(errno));
    free(full);
    return rc;
}

static int cnn_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_manifest_cnn *c = target;
    static const char *const keys[] = {"cards", "ops", "module", "stacks", "head", "table",
                                       "skeleton", "space_file", "candidates"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        yaml_node_t *k;
        bool given = cb_yaml_get(w->doc, map, keys[i], &k) != NULL;
        if (given && !space_uses(c->space, keys[i]))
            return cb_walk_fail(w, cb_yaml_node_mark(k), "cnn.%s does not apply to cnn.space '%s'",
                                keys[i], space_names[c->space]);
    }
    c->space_at = mark_of(w, map, "space");
    c->space_file_at = mark_of(w, map, "space_file");
    c->table_at = mark_of(w, map, "table");
    c->skeleton_at = mark_of(w, map, "skeleton");
    /* A space file describes the whole space (ops, limits, glue, head); the inline keys would
     * describe a second one, so the two are not mixed. */
    static const char *const inline_keys[] = {"ops", "module", "stacks", "head"};
    for (size_t i = 0; c->space_file && i < sizeof inline_keys / sizeof inline_keys[0]; i++) {
        yaml_node_t *k;
        if (cb_yaml_get(w->doc, map, inline_keys[i], &k))
            return cb_walk_fail(w, cb_yaml_node_mark(k), "cnn.%s cannot be combined with "
                                "cnn.space_file (the space file describes the whole space)", inline_keys[i]);
    }
    if (c->space == CB_SPACE_MODULES && c->ops.n == 0 && !c->space_file)
        return cb_walk_fail(w, mark_of(w, map, "space"), "missing required key 'ops' in cnn "
                            "(cnn.space 'modules' builds its modules from these ops, or from "
                            "cnn.space_file)");
    if (c->space == CB_SPACE_CARDS && c->cards.n == 0)
        return cb_walk_fail(w, mark_of(w, map, "space"), "missing required key 'cards' in cnn "
                            "(cnn.space 'cards' reads its CNNs from model cards)");
    if (readable(w, map, "table", c->table) || readable(w, map, "skeleton", c->skeleton) ||
        readable(w, map, "space_file", c->space_file))
        return CB_EINVAL;
    if (c->space_file)
        c->space_file_path = cb_manifest_resolve(manifest_of(w), c->space_file);
    return cnn_cards(w, c);
}

static const cb_key cnn_keys[] = {
    K_MAP("input", REQ, input_table, cb_manifest_cnn, input, "the input image's shape"),
    K_INT("classes", REQ, NULL, 2, 100000, cb_manifest_cnn, classes, "output classes"),
    K_ENUM("space", "modules", space_names, cb_manifest_cnn, space,
           "where CNNs come from: model cards, modules of ops, NAS-Bench-101 or -201 cells"),
    K_LIST(CB_T_STR, "cards", NULL, 1, 0, NULL, cb_manifest_cnn, cards,
           "model card files (space cards), relative to the manifest's folder"),
    K_FN("ops", 0, cb_ref_list_fn, cb_ref_list_free, &cb_op_ref_table, CB_KIND_OP,
         cb_manifest_cnn, ops, "op plugins that modules are built from (space modules)"),
    K_MAP("module", 0, module_table, cb_manifest_cnn, module, "limits of one module (space modules)"),
    K_MAP("stacks", 0, stacks_table, cb_manifest_cnn, stacks, "stacks of identical modules (space modules)"),
    K_MAP("head", 0, head_table, cb_manifest_cnn, head, "the classifier head (space modules)"),
    K_STR("table", 0, cb_manifest_cnn, table,
          "tabulated accuracies of the cells (space nb101), relative to the manifest's folder"),
    K_STR("skeleton", 0, cb_manifest_cnn, skeleton,
          "the network the cells go into (space nb101): a skeleton file"),
    K_STR("space_file", 0, cb_manifest_cnn, space_file,
          "a space file with the ops, limits, glue and head (space modules), relative to the "
          "manifest's folder"),
    K_INT("candidates", 0, "200", 2, 20000, cb_manifest_cnn, candidates,
          "distinct CNNs sampled from the module space into the study's candidate pool"),
    K_END,
};
static const cb_table cnn_table = {cnn_keys, NULL, cnn_check};

/* ---- accelerator ---- */

/* `params` of an optional plugin reference: only once its plugin is named. */
static int opt_params_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    const cb_plugin_ref *r = field;
    if (!r->entry)
        return node ? cb_walk_fail(w, cb_yaml_node_mark(node), "%s needs the plugin it "
                                   "configures", w->path) : CB_OK;
    return cb_ref_params_fn(w, k, node, field);
}

#define BUFFER_MB CB_CHOICES("1", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24")
#define BUFFER_DEF "1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24"
static const cb_key axes_keys[] = {
    K_LIST(CB_T_INT, "p_ib", "1, 2, 4", 1, 0, CB_CHOICES("1", "2", "4"), cb_accel_axes, p_ib,
           "P_ib: PE rows along the batch"),
    K_LIST(CB_T_INT, "p_if", "1, 16", 1, 0, CB_CHOICES("1", "16"), cb_accel_axes, p_if,
           "P_if: multipliers per MAC lane (picks the MAC unit)"),
    K_LIST(CB_T_INT, "p_ix", "1, 2, 3, 4, 5, 6, 7, 8", 1, 8, NULL, cb_accel_axes, p_ix,
           "P_ix: PE columns"),
    K_LIST(CB_T_INT, "p_iy", "1, 2, 3, 4, 5, 6, 7, 8", 1, 8, NULL, cb_accel_axes, p_iy, "P_iy: PE rows"),
    K_LIST(CB_T_INT, "p_of", "1, 2, 4, 8", 1, 0, CB_CHOICES("1", "2", "4", "8"), cb_accel_axes,
           p_of, "P_of: output channels per PE"),
    K_LIST(CB_T_INT, "p_k", "1, 3, 5, 7", 1, 0, CB_CHOICES("1", "3", "5", "7"), cb_accel_axes,
           p_k, "P_kx = P_ky: kernel lanes per PE"),
    K_LIST(CB_T_INT, "batch", "1, 64, 128, 256, 512", 1, 0,
           CB_CHOICES("1", "64", "128", "256", "512"), cb_accel_axes, batch, "batch size"),
    K_LIST(CB_T_INT, "act_buffer_mb", BUFFER_DEF, 1, 0, BUFFER_MB, cb_accel_axes, act_buffer_mb,
           "activation buffer, MB"),
    K_LIST(CB_T_INT, "weight_buffer_mb", BUFFER_DEF, 1, 0, BUFFER_MB, cb_accel_axes,
           weight_buffer_mb, "weight buffer, MB"),
    K_LIST(CB_T_INT, "mask_buffer_mb", "1, 2, 3, 4", 1, 4, NULL, cb_accel_axes, mask_buffer_mb,
           "mask buffer, MB"),
    K_END,
};
static const cb_table axes_table = {axes_keys, NULL, NULL};


/* The ASIC template is built from MAC and memory plugins; an FPGA family is one plugin. */
static int accel_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_manifest_accel *a = target;
    static const char *const needed[] = {"mac", "memory"};
    yaml_node_t *k;
    if (a->family == CB_FAMILY_ASIC && cb_yaml_get(w->doc, map, "plugin", &k))
        return cb_walk_fail(w, cb_yaml_node_mark(k), "accelerator.plugin applies to family fpga "
                            "(family asic is built from mac and memory plugins)");
    for (int i = 0; i < 2 && a->family == CB_FAMILY_ASIC; i++)
        if (!cb_yaml_get(w->doc, map, needed[i], NULL))
            return cb_walk_fail(w, w->here, "missing required key '%s' in accelerator", needed[i]);
    return CB_OK;
}

static const cb_key accel_keys[] = {
    K_ENUM("family", "asic", CB_CHOICES("asic", "fpga"), cb_manifest_accel, family,
           "the accelerator template"),
    K_FN("mac", 0, cb_ref_list_fn, cb_ref_list_free, &cb_ref_table, CB_KIND_MAC,
         cb_manifest_accel, mac, "MAC unit plugins (family asic)"),
    K_FN("memory", 0, cb_ref_list_fn, cb_ref_list_free, &cb_ref_table, CB_KIND_MEMORY,
         cb_manifest_accel, memory, "main-memory plugins, each with its configuration (family asic)"),
    K_MAP("axes", 0, axes_table, cb_manifest_accel, axes, "allowed values of each accelerator axis"),
    K_FN("plugin", 0, cb_ref_plugin_fn, cb_ref_free, NULL, CB_KIND_ACCEL, cb_manifest_accel, plugin,
         "the accelerator family plugin (family fpga)"),
    K_FN("params", CB_K_ALWAYS, opt_params_fn, NULL, NULL, 0, cb_manifest_accel, plugin,
         "its parameters"),
    K_END,
};
static const cb_table accel_table = {accel_keys, NULL, accel_check};

/* ---- objective ---- */

/* Absent (or empty) weights mean the paper's; once any is written, the others are 0, so a
 * manifest says exactly what it weighs. Either way they must sum to 1. */
static int weights_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_objective_weights *o = target;
    bool any = map && map->type == YAML_MAPPING_NODE &&
               map->data.mapping.pairs.top > map->data.mapping.pairs.start;
    if (!any)
        *o = (cb_objective_weights){0.2, 0.1, 0.2, 0.2, 0.3};
    double sum = o->latency + o->area + o->dynamic_energy + o->leakage_energy + o->accuracy;
    if (fabs(sum - 1.0) > 1e-6)
        return cb_walk_fail(w, w->here, "objective.weights: the weights sum to %g, not 1 "
                            "(latency %g + area %g + dynamic_energy %g + leakage_energy %g + "
                            "accuracy %g; a weight left out is 0)", sum, o->latency, o->area,
                            o->dynamic_energy, o->leakage_energy, o->accuracy);
    return CB_OK;
}

#define WEIGHT(NAME, HELP) K_REAL(#NAME, 0, NULL, 0, 1, "", cb_objective_weights, NAME, HELP)
static const cb_key weights_keys[] = {
    WEIGHT(latency, "weight of 1 - normalized latency"),
    WEIGHT(area, "weight of 1 - normalized area"),
    WEIGHT(dynamic_energy, "weight of 1 - normalized dynamic energy"),
    WEIGHT(leakage_energy, "weight of 1 - normalized leakage energy"),
    WEIGHT(accuracy, "weight of the accuracy"),
    K_END,
};
static const cb_table weights_table = {weights_keys, NULL, weights_check};

#define POSITIVE CB_K_ABOVE_MIN
static const cb_key constraints_keys[] = {
    K_REAL("max_latency_ms", POSITIVE, NULL, 0, 1e9, "ms", cb_objective_constraints,
           max_latency_ms, "latency of one batch"),
    K_REAL("max_area_mm2", POSITIVE, NULL, 0, 1e6, "mm^2", cb_objective_constraints, max_area_mm2,
           "accelerator area"),
    K_REAL("max_dynamic_energy_mj", POSITIVE, NULL, 0, 1e9, "mJ", cb_objective_constraints,
           max_dynamic_energy_mj, "dynamic energy of one batch"),
    K_REAL("max_leakage_energy_mj", POSITIVE, NULL, 0, 1e9, "mJ", cb_objective_constraints,
           max_leakage_energy_mj, "leakage energy of one batch"),
    K_REAL("min_accuracy", 0, NULL, 0, 1, "", cb_objective_constraints, min_accuracy,
           "test accuracy"),
    K_END,
};
static const cb_table constraints_table = {constraints_keys, NULL, NULL};

static const cb_key objective_keys[] = {
    K_MAP("weights", 0, weights_table, cb_manifest_objective, weights, "Eq. 4's weights"),
    K_MAP("constraints", 0, constraints_table, cb_manifest_objective, constraints,
          "pairs that break one are infeasible"),
    K_END,
};
static const cb_table objective_table = {objective_keys, NULL, NULL};

/* ---- search, trainer ---- */

static int search_check(cb_walk *w, yaml_node_t *map, void *target)
{
    cb_manifest_search *s = target;
    if (s->initial < 0) /* not written: 10 random samples, or the whole budget if smaller */
        s->initial = s->budget < 10 ? s->budget : 10;
    else if (s->initial > s->budget)
        return cb_walk_fail(w, mark_of(w, map, "initial"), "search.initial: %lld random initial "
                            "samples exceed search.budget (%lld queries)", (long long)s->initial,
                            (long long)s->budget);
    return CB_OK;
}

static const cb_key search_keys[] = {
    K_FN("plugin", REQ, cb_ref_plugin_fn, cb_ref_free, NULL, CB_KIND_SEARCH, cb_manifest_search,
         ref, "the search plugin"),
    K_FN("params", CB_K_ALWAYS, cb_ref_params_fn, NULL, NULL, 0, cb_manifest_search, ref,
         "its parameters"),
    K_INT("budget", 0, "100", 1, 1000000, cb_manifest_search, budget, "queries (pairs evaluated)"),
    K_INT("initial", 0, NULL, 0, 1000000, cb_manifest_search, initial,
          "random initial samples (default min(10, budget))"),
    K_INT("batch", 0, "1", 1, 1024, cb_manifest_search, batch, "pending asks at a time"),
    K_END,
};
static const cb_table search_table = {search_keys, "plugin", search_check};

/* The plugin is required once the section is written (an absent section: see root_check). */
static int trainer_check(cb_walk *w, yaml_node_t *map, void *target)
{
    const cb_manifest_trainer *t = target;
    if (map && !t->ref.entry)
        return cb_walk_fail(w, w->here, "missing required key 'plugin' in trainer");
    return CB_OK;
}

static const cb_key trainer_keys[] = {
    K_FN("plugin", 0, cb_ref_plugin_fn, cb_ref_free, NULL, CB_KIND_TRAINER, cb_manifest_trainer,
         ref, "the trainer plugin"),
    K_FN("params", CB_K_ALWAYS, opt_params_fn, NULL, NULL, 0, cb_manifest_trainer, ref,
         "its parameters"),
    K_END,
};
static const cb_table trainer_table = {trainer_keys, "plugin", trainer_check};

/* ---- workers, output ---- */

static const cb_key workers_keys[] = {
    K_INT("count", 0, "1", 1, 1024, cb_manifest_workers, count, "evaluations at once"),
    K_REAL("timeout_s", POSITIVE, "3600", 0, 604800, "s", cb_manifest_workers, timeout_s,
           "longest one evaluation may run"),
    K_ENUM("backend", "local", CB_CHOICES("local", "mpi"), cb_manifest_workers, backend,
           "local processes or MPI ranks"),
    K_END,
};
static const cb_table workers_table = {workers_keys, NULL, NULL};

static const cb_key reference_keys[] = {
    K_STR("model", REQ, cb_manifest_reference, model, "the CNN's model card"),
    K_STR("accelerator", REQ, cb_manifest_reference, accelerator, "the accelerator card"),
    K_REAL("accuracy", 0, NULL, 0, 1, "", cb_manifest_reference, accuracy,
           "the CNN's published accuracy (absent: not trained)"),
    K_STR("label", 0, cb_manifest_reference, label, "the name the report shows"),
    K_END,
};
static const cb_table reference_table = {reference_keys, NULL, NULL};

/* One card a reference names: resolved against the manifest's folder and readable now, so a
 * typo fails at validation, not when the report is written after the search. */
static int reference_file(cb_walk *w, yaml_node_t *item, const char *key, const char *path,
                          char **out)
{
    *out = cb_manifest_resolve(manifest_of(w), path);
    if (access(*out, R_OK) == 0)
        return CB_OK;
    return cb_walk_fail(w, mark_of(w, item, key), "%s.%s: cannot read '%s' (resolved against the "
                        "manifest's folder: %s): %s", w->path, key, path, *out, strerror(errno));
}

static void references_free(void *field)
{
    cb_manifest_references *l = field;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].model_path);
        free(l->v[i].accel_path);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* output.references: a list of {model, accelerator, accuracy, label} mappings. */
static int references_fn(cb_walk *w, const cb_key *k, yaml_node_t *node, void *field)
{
    cb_manifest_references *l = field;
    char got[128];
    if (node->type != YAML_SEQUENCE_NODE || node->data.sequence.items.start == node->data.sequence.items.top)
        return cb_walk_fail(w, cb_yaml_node_mark(node), "%s: expected a non-empty list of "
                            "{model: CARD, accelerator: CARD} mappings, got %s", w->path,
                            node->type == YAML_SEQUENCE_NODE ? "an empty list"
                                                             : cb_node_desc(node, got, sizeof got));
    yaml_node_item_t *it = node->data.sequence.items.start, *end = node->data.sequence.items.top;
    l->v = cb_xcalloc((size_t)(end - it), sizeof *l->v);
    for (; it < end; it++) {
        yaml_node_t *item = cb_yaml_node(w->doc, *it);
        cb_manifest_reference *r = &l->v[l->n++];
        r->accuracy = NAN;
        r->at = cb_yaml_node_mark(item);
        size_t len = cb_walk_push(w, NULL, l->n - 1);
        int rc = cb_walk_map(w, &reference_table, item, NULL, r);
        if (rc == CB_OK)
            rc = reference_file(w, item, "model", r->model, &r->model_path);
        if (rc == CB_OK)
            rc = reference_file(w, item, "accelerator", r->accelerator, &r->accel_path);
        cb_walk_pop(w, len);
        if (rc)
            return rc;
    }
    return CB_OK;
}

static const cb_key output_keys[] = {
    K_STR("dir", 0, cb_manifest_output, dir, "the run folder (default runs/<name>)"),
    K_BOOL("report", "true", cb_manifest_output, report, "write the report at the end"),
    K_FN("references", 0, references_fn, references_free, &reference_table, 0, cb_manifest_output,
         references, "reference pairs (published CNN on published accelerator) for the report"),
    K_END,
};
static const cb_table output_table = {output_keys, NULL, NULL};

/* ---- the top level ---- */

static const cb_key root_keys[] = {
    K_FN("codebench", REQ, version_fn, NULL, NULL, 0, cb_manifest, version,
         "manifest format version: 1"),
    K_STR("name", 0, cb_manifest, name, "the run's name (default: the file's name)"),
    K_INT("seed", 0, "0", 0, 9007199254740991.0, cb_manifest, seed, "seed of every random stream"),
    K_FN("plugin_path", 0, plugin_path_fn, list_free, NULL, 0, cb_manifest, plugin_path,
         "plugin folders or pack files, relative to the manifest's folder"),
    K_MAP("cnn", REQ, cnn_table, cb_manifest, cnn, "the CNN design space"),
    K_MAP("accelerator", REQ, accel_table, cb_manifest, accel, "the accelerator design space"),
    K_MAP("objective", 0, objective_table, cb_manifest, objective, "what a pair is scored by"),
    K_MAP("search", REQ, search_table, cb_manifest, search, "the search strategy"),
    K_MAP("trainer", 0, trainer_table, cb_manifest, trainer,
          "how a CNN gets its accuracy (required unless cnn.table gives it)"),
    K_MAP("workers", 0, workers_table, cb_manifest, workers, "parallel evaluations"),
    K_MAP("output", 0, output_table, cb_manifest, output, "where results go"),
    K_END,
};

const cb_table cb_manifest_schema = {root_keys, NULL, root_check};
