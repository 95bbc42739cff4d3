/* core/plugin/registry.c: loading and checking plugin packs (see registry.h).
 *
 * Order of checks for one file, each a one-line refusal naming the file:
 *   trust (owner, mode) -> dlopen RTLD_NOW|RTLD_LOCAL (undefined symbols surface here)
 *   -> the entry symbol -> ABI major/minor (read before anything else in the pack)
 *   -> struct sizes and the type fingerprint -> each descriptor (size, kind, name, vtable)
 *   -> schema lint -> duplicate names inside the pack.
 * Libraries are never dlclose'd: descriptors and strings stay valid for the whole run, and
 * sanitizer stack traces through plugin code can still be symbolized at exit (GStreamer makes
 * its modules resident for the same reason). */
#include "plugin/registry.h"
#include "plugin/param.h"
#include "util/util.h"

#include <codebench/codebench.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const kind_names[CB_KIND_COUNT_] = {
    NULL, "op", "mac", "memory", "search", "trainer", "accel",
};

/* The vtable size each kind had in ABI 1.0: a plugin must provide at least that much. */
static const size_t kind_vtable_min[CB_KIND_COUNT_] = {
    0,
    sizeof(cb_op_vt),
    sizeof(cb_mac_vt),
    sizeof(cb_memory_vt),
    offsetof(cb_search_vt, flags), /* flags appended within 1.0 */
    sizeof(cb_trainer_vt),
    sizeof(cb_accel_vt),
};

const char *cb_kind_name(cb_kind k)
{
    return k > 0 && k < CB_KIND_COUNT_ ? kind_names[k] : "unknown";
}

int cb_kind_from_name(const char *name)
{
    for (int k = 1; k < CB_KIND_COUNT_; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return 0;
}

void cb_registry_init(cb_registry *r)
{
    memset(r, 0, sizeof *r);
}

void cb_registry_free(cb_registry *r)
{
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i]->path);
        free(r->files[i]);
    }
    for (size_t i = 0; i < r->n_refused; i++) {
        free(r->refused[i].path);
        free(r->refused[i].why);
    }
    free(r->files);
    free(r->entries);
    free(r->refused);
    memset(r, 0, sizeof *r);
}

static int refuse(cb_registry *r, const char *path, cb_error *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse(cb_registry *r, const char *path, cb_error *e, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cb_grow(&r->refused, sizeof *r->refused, r->n_refused + 1, &r->cap_refused);
    r->refused[r->n_refused].path = cb_xstrdup(path);
    r->refused[r->n_refused].why = cb_xstrdup(msg);
    r->n_refused++;
    if (e) {
        memset(e, 0, sizeof *e);
        e->code = CB_EINVAL;
        snprintf(e->msg, sizeof e->msg, "%s", msg);
    }
    return CB_EINVAL;
}

static bool already_loaded(const cb_registry *r, const char *real)
{
    for (size_t i = 0; i < r->n_files; i++) {
        char other[PATH_MAX];
        if (realpath(r->files[i]->path, other) && strcmp(other, real) == 0)
            return true;
    }
    return false;
}

/* Checks one descriptor; on failure writes the reason (without the path) into why. */
static int check_plugin(const cb_plugin *p, char *why, size_t len)
{
    if (!p || p->size < sizeof(cb_plugin)) {
        snprintf(why, len, "a plugin descriptor is %u bytes, ABI 1.0 needs %zu",
                 p ? p->size : 0, sizeof(cb_plugin));
        return CB_EINVAL;
    }
    const char *name = p->name ? p->name : "(null)";
    if (p->kind <= 0 || p->kind >= CB_KIND_COUNT_) {
        snprintf(why, len, "plugin '%s' has unknown kind %d", name, (int)p->kind);
        return CB_EINVAL;
    }
    if (!p->name || !*p->name || strchr(p->name, '/') || !p->version || !p->summary) {
        snprintf(why, len, "plugin '%s' (%s) lacks a name, version or summary, or its name has a '/'",
                 name, cb_kind_name(p->kind));
        return CB_EINVAL;
    }
    const uint32_t *vt = p->vtable;
    if (!vt || *vt < kind_vtable_min[p->kind]) {
        snprintf(why, len, "plugin '%s' (%s): vtable is %u bytes, ABI 1.0 needs %zu", name,
                 cb_kind_name(p->kind), vt ? *vt : 0, kind_vtable_min[p->kind]);
        return CB_EINVAL;
    }
    if (p->params && p->params[0].name && !p->create) {
        snprintf(why, len, "plugin '%s' (%s) declares parameters but no create()", name,
                 cb_kind_name(p->kind));
        return CB_EINVAL;
    }
    char reason[400];
    if (cb_schema_lint(p->params, reason, sizeof reason)) {
        snprintf(why, len, "plugin '%s' (%s): %s", name, cb_kind_name(p->kind), reason);
        return CB_EINVAL;
    }
    if (p->kind == CB_KIND_OP && cb_schema_lint(((const cb_op_vt *)vt)->attrs, reason, sizeof reason)) {
        snprintf(why, len, "plugin '%s' (op): attribute %s", name, reason + strlen("parameter "));
        return CB_EINVAL;
    }
    return CB_OK;
}

static int check_pack(const cb_pack *pk, char *why, size_t len)
{
    for (size_t i = 0; pk->plugins[i]; i++) {
        if (check_plugin(pk->plugins[i], why, len))
            return CB_EINVAL;
        for (size_t j = 0; j < i; j++)
            if (pk->plugins[j]->kind == pk->plugins[i]->kind &&
                strcmp(pk->plugins[j]->name, pk->plugins[i]->name) == 0) {
                snprintf(why, len, "plugin '%s' (%s) is defined twice in pack '%s'",
                         pk->plugins[i]->name, cb_kind_name(pk->plugins[i]->kind), pk->name);
                return CB_EINVAL;
            }
    }
    return CB_OK;
}

/* A (kind, name) pair that an already loaded pack of the same name and version provides is
 * the same plugin found twice (the build tree and an install, say): the first one found wins.
 * Different packs providing one name both stay; a plain-name look-up then asks for pack/name. */
static bool same_plugin_loaded(const cb_registry *r, const cb_pack *pk, const cb_plugin *p)
{
    for (size_t i = 0; i < r->n_entries; i++) {
        const cb_entry *en = &r->entries[i];
        if (en->plugin->kind == p->kind && strcmp(en->plugin->name, p->name) == 0 &&
            strcmp(en->file->pack->name, pk->name) == 0 &&
            strcmp(en->file->pack->version, pk->version) == 0)
            return true;
    }
    return false;
}

static int open_pack(cb_registry *r, const char *path, cb_error *e, void **dl_out,
                     const cb_pack **pack_out)
{
    char why[600];
    if (cb_path_trusted(path, why, sizeof why))
        return refuse(r, path, e, "%s", why);
    /* An empty name would make dlopen return the running program itself (SQLite guards this
     * too); a path without a slash would search LD_LIBRARY_PATH, so make it explicit. */
    char full[PATH_MAX];
    if (!realpath(path, full))
        return refuse(r, path, e, "%s: cannot resolve: %s", path, strerror(errno));
    dlerror();
    void *dl = dlopen(full, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *msg = dlerror();
        return refuse(r, path, e, "%s: cannot load: %s", path, msg ? msg : "unknown dlopen error");
    }
    cb_entry_fn entry;
    *(void **)&entry = dlsym(dl, CB_ENTRY);
    if (!entry)
        return refuse(r, path, e, "%s: no entry point '%s' (not a codebench plugin pack?)", path,
                      CB_ENTRY);
    const cb_pack *pk = entry();
    if (!pk)
        return refuse(r, path, e, "%s: %s() returned NULL", path, CB_ENTRY);
    /* abi_major and abi_minor are the first members in every version: read them first. */
    if (pk->abi_major != CB_ABI_MAJOR || pk->abi_minor > CB_ABI_MINOR)
        return refuse(r, path, e, "%s: built for plugin ABI %u.%u, this codebench provides %d.%d (%s)",
                      path, pk->abi_major, pk->abi_minor, CB_ABI_MAJOR, CB_ABI_MINOR,
                      pk->abi_major != CB_ABI_MAJOR ? "rebuild it against the installed SDK"
                                                    : "it needs a newer codebench");
    if (pk->size < sizeof(cb_pack))
        return refuse(r, path, e, "%s: pack header is %u bytes, ABI %d.0 needs %zu", path, pk->size,
                      CB_ABI_MAJOR, sizeof(cb_pack));
    if (pk->sizes != CB_SIZES)
        return refuse(r, path, e, "%s: built with other type sizes (fingerprint 0x%06x, this codebench 0x%06x)",
                      path, pk->sizes, CB_SIZES);
    if (!pk->name || !pk->version || !pk->plugins)
        return refuse(r, path, e, "%s: pack lacks a name, version or plugin list", path);
    if (check_pack(pk, why, sizeof why))
        return refuse(r, path, e, "%s: pack '%s' %s: %s", path, pk->name, pk->version, why);
    *dl_out = dl;
    *pack_out = pk;
    return CB_OK;
}

int cb_registry_load_file(cb_registry *r, const char *path, cb_error *e)
{
    char real[PATH_MAX];
    if (realpath(path, real) && already_loaded(r, real))
        return CB_OK;
    void *dl = NULL;
    const cb_pack *pk = NULL;
    if (open_pack(r, path, e, &dl, &pk))
        return CB_EINVAL;
    cb_pack_file *f = cb_xcalloc(1, sizeof *f);
    f->path = cb_xstrdup(path);
    f->dl = dl;
    f->pack = pk;
    cb_grow(&r->files, sizeof *r->files, r->n_files + 1, &r->cap_files);
    r->files[r->n_files++] = f;
    for (size_t i = 0; pk->plugins[i]; i++) {
        if (same_plugin_loaded(r, pk, pk->plugins[i]))
            continue;
        cb_grow(&r->entries, sizeof *r->entries, r->n_entries + 1, &r->cap_entries);
        r->entries[r->n_entries++] = (cb_entry){pk->plugins[i], f};
    }
    return CB_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_pack_file(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0 && name[0] != '.';
}

/* Walks dir (and its sub-folders, a few levels deep) in name order, so the load order and
 * therefore "first found wins" never depend on the file system's listing order. */
static int load_tree(cb_registry *r, const char *dir, int depth, cb_error *e)
{
    char why[600];
    if (cb_path_trusted(dir, why, sizeof why))
        return refuse(r, dir, e, "%s", why);
    DIR *d = opendir(dir);
    if (!d)
        return refuse(r, dir, e, "%s: cannot open folder: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        cb_grow(&names, sizeof *names, n + 1, &cap);
        names[n++] = cb_xasprintf("%s/%s", dir, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode) && depth < 3)
            load_tree(r, names[i], depth + 1, NULL);
        else if (S_ISREG(st.st_mode) && is_pack_file(names[i]))
            cb_registry_load_file(r, names[i], NULL);
        free(names[i]);
    }
    free(names);
    return CB_OK;
}

int cb_registry_load_dir(cb_registry *r, const char *dir, cb_error *e)
{
    return load_tree(r, dir, 0, e);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void load_env_path(cb_registry *r)
{
    const char *env = getenv("CODEBENCH_PLUGIN_PATH");
    if (!env)
        return;
    char *copy = cb_xstrdup(env), *save = NULL;
    for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        /* "." would search the current folder: never implicitly, so never through the path. */
        if (strcmp(tok, ".") == 0 || strcmp(tok, "./") == 0) {
            refuse(r, tok, NULL, "CODEBENCH_PLUGIN_PATH: entry '.' ignored: plugins are never "
                                 "loaded from the current folder implicitly");
            continue;
        }
        if (is_dir(tok))
            cb_registry_load_dir(r, tok, NULL);
        else
            cb_registry_load_file(r, tok, NULL);
    }
    free(copy);
}

int cb_registry_load_default(cb_registry *r, const char *const *extra, size_t n_extra, cb_error *e)
{
    int rc = CB_OK;
    for (size_t i = 0; i < n_extra; i++) {
        int one = is_dir(extra[i]) ? cb_registry_load_dir(r, extra[i], e)
                                   : cb_registry_load_file(r, extra[i], e);
        if (one && rc == CB_OK)
            rc = one;
    }
    load_env_path(r);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        /* Only the codebench executable has its plugins beside it; another program linking
         * the core (the unit tests in build/tests/) must not pick up whatever lies there. */
        if (!slash || strcmp(slash + 1, "codebench") != 0)
            return rc;
        *slash = '\0';
        char *build = cb_xasprintf("%s/plugins", exe);
        char *installed = cb_xasprintf("%s/../lib/codebench/plugins", exe);
        if (is_dir(build))
            cb_registry_load_dir(r, build, NULL);
        if (is_dir(installed))
            cb_registry_load_dir(r, installed, NULL);
        free(build);
        free(installed);
    }
    return rc;
}

static const cb_entry *find_qualified(const cb_registry *r, cb_kind kind, const char *name)
{
    const char *slash = strchr(name, '/');
    size_t pack_len = (size_t)(slash - name);
    for (size_t i = 0; i < r->n_entries; i++) {
        const cb_entry *en = &r->entries[i];
        if ((kind == 0 || en->plugin->kind == kind) && strcmp(en->plugin->name, slash + 1) == 0 &&
            strlen(en->file->pack->name) == pack_len &&
            strncmp(en->file->pack->name, name, pack_len) == 0)
            return en;
    }
    return NULL;
}

static const cb_entry *find(const cb_registry *r, cb_kind kind, const char *name, cb_error *e)
{
    if (strchr(name, '/')) {
        const cb_entry *en = find_qualified(r, kind, name);
        if (en)
            return en;
    } else {
        const cb_entry *hit = NULL;
        for (size_t i = 0; i < r->n_entries; i++) {
            const cb_entry *en = &r->entries[i];
            if ((kind != 0 && en->plugin->kind != kind) || strcmp(en->plugin->name, name) != 0)
                continue;
            if (hit) {
                cb_error_set(e, CB_EINVAL, NULL,
                             "%s plugin '%s' is provided by two packs: write '%s/%s' (%s) or '%s/%s' (%s)",
                             cb_kind_name(en->plugin->kind), name, hit->file->pack->name, name,
                             hit->file->path, en->file->pack->name, name, en->file->path);
                return NULL;
            }
            hit = en;
        }
        if (hit)
            return hit;
    }
    /* Suggest the closest name among plugins of the same kind. */
    const char **names = cb_xcalloc(r->n_entries + 1, sizeof *names);
    int n = 0;
    for (size_t i = 0; i < r->n_entries; i++)
        if (kind == 0 || r->entries[i].plugin->kind == kind)
            names[n++] = r->entries[i].plugin->name;
    const char *base = strchr(name, '/') ? strchr(name, '/') + 1 : name;
    const char *guess = cb_did_you_mean(base, names, n);
    char what[32];
    snprintf(what, sizeof what, "%s%splugin", kind ? cb_kind_name(kind) : "", kind ? " " : "");
    if (guess)
        cb_error_set(e, CB_EINVAL, NULL, "unknown %s '%s' (did you mean '%s'?)", what, name, guess);
    else
        cb_error_set(e, CB_EINVAL, NULL, "unknown %s '%s' (`codebench plugins` lists them)", what,
                     name);
    free(names);
    return NULL;
}

const cb_entry *cb_registry_find(const cb_registry *r, cb_kind kind, const char *name, cb_error *e)
{
    return find(r, kind, name, e);
}

const cb_entry *cb_registry_find_any(const cb_registry *r, const char *name, cb_error *e)
{
    return find(r, 0, name, e);
}
