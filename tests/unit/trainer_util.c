/* tests/unit/trainer_util.c: see trainer_util.h. */
#include "trainer_util.h"

#include "plugin/param.h"
#include "test_util.h"
#include "train_fixture.h"

#include <codebench/sdk.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_values(const cb_plugin *p, const char *const *set, cb_value *vals)
{
    char why[256];
    cr_assert(eq(int, cb_param_defaults(p->params, vals, why, sizeof why), CB_OK), "%s", why);
    for (int k = 0; set && set[k]; k++) {
        char name[64];
        const char *eqs = strchr(set[k], '=');
        cr_assert(ne(ptr, (void *)eqs, NULL), "'%s' is not name=value", set[k]);
        snprintf(name, sizeof name, "%.*s", (int)(eqs - set[k]), set[k]);
        int i = cb_param_index(p->params, name);
        cr_assert(ge(int, i, 0), "%s has no parameter %s", p->name, name);
        cr_assert(eq(int, cb_param_parse(&p->params[i], eqs + 1, p->params[i].type == CB_T_STR,
                                         &vals[i], why, sizeof why), CB_OK), "%s: %s", name, why);
    }
}

int tu_open(tu_trainer *t, const char *name, const char *const *set, cb_error *e)
{
    memset(t, 0, sizeof *t);
    cb_registry_init(&t->reg);
    char *path = cb_test_path("plugins/trainers/%s.so", name);
    cr_assert(eq(int, cb_registry_load_file(&t->reg, path, e), CB_OK), "%s", e->msg);
    free(path);
    const cb_entry *en = cb_registry_find(&t->reg, CB_KIND_TRAINER, name, e);
    cr_assert(ne(ptr, (void *)en, NULL), "%s", e->msg);
    t->plugin = en->plugin;
    t->vt = t->plugin->vtable;
    cb_value vals[64];
    set_values(t->plugin, set, vals);
    tf_host(2); /* configures the core's pool once per process */
    t->host = cb_host_new(t->plugin->name);
    int rc = cb_plugin_create(t->plugin, t->host, vals, &t->inst, e);
    if (rc) {
        cb_host_free(t->host);
        cb_registry_free(&t->reg);
    }
    return rc;
}

void tu_close(tu_trainer *t)
{
    cb_instance_destroy(&t->inst);
    cb_host_free(t->host);
    cb_registry_free(&t->reg);
}

int tu_train(tu_trainer *t, const cb_graph *g, cb_tensor *w, int32_t n,
             void (*progress)(void *, const cb_train_progress *), void *ctx, cb_train_result *r,
             cb_error *e)
{
    static const uint8_t fresh[64] = {0}; /* slots for output only: nothing transferred */
    cr_assert(le(int, n, 64));
    cb_train_job job = {sizeof job, g, NULL, w ? n : 0, w, fresh, progress, ctx};
    return t->vt->train(t->inst.self, &job, r, e);
}

const char *tu_st_meta(const char *path, const char *key)
{
    static char value[256];
    value[0] = '\0';
    FILE *f = fopen(path, "rb");
    unsigned char len8[8];
    if (!f || fread(len8, 1, 8, f) != 8) {
        if (f)
            fclose(f);
        return value;
    }
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--)
        n = n << 8 | len8[i];
    char *hdr = n < (1u << 24) ? calloc(n + 1, 1) : NULL;
    if (hdr && fread(hdr, 1, n, f) == n) {
        char pat[128];
        snprintf(pat, sizeof pat, "\"%s\":\"", key);
        const char *at = strstr(hdr, pat);
        if (at)
            sscanf(at + strlen(pat), "%255[^\"]", value);
    }
    free(hdr);
    fclose(f);
    return value;
}
