/* tests/unit/ops_util.c: see ops_util.h. */
#include "ops_util.h"

#include "host/host.h"
#include "plugin/param.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cb_pack *ops_pack(void)
{
    static const cb_pack *pack;
    if (pack)
        return pack;
    char *path = cb_test_path("plugins/ops/std.so");
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* never closed: descriptors live in it */
    cr_assert(ne(ptr, dl, NULL), "cannot load %s: %s", path, dlerror());
    cb_entry_fn entry = (cb_entry_fn)(uintptr_t)dlsym(dl, CB_ENTRY);
    cr_assert(ne(ptr, (void *)(uintptr_t)entry, NULL), "%s has no %s", path, CB_ENTRY);
    pack = entry();
    cr_assert(eq(u16, pack->abi_major, CB_ABI_MAJOR));
    free(path);
    return pack;
}

const cb_op_vt *ops_vt(const char *name)
{
    const cb_pack *p = ops_pack();
    for (int i = 0; p->plugins[i]; i++)
        if (p->plugins[i]->kind == CB_KIND_OP && strcmp(p->plugins[i]->name, name) == 0)
            return p->plugins[i]->vtable;
    cr_fatal("the std op pack has no op '%s'", name);
    return NULL;
}

const cb_host *ops_host(void)
{
    static cb_host *h;
    if (!h) {
        cb_host_configure(7, 2, CB_LOG_WARN);
        h = cb_host_new("std-ops-test");
    }
    return h;
}

void ops_attrs(const cb_op_vt *vt, const char *overrides, cb_value *vals)
{
    char why[256], copy[512], *save = NULL;
    cr_assert(le(int, cb_param_count(vt->attrs), OPS_MAX_W));
    cr_assert(eq(int, cb_param_defaults(vt->attrs, vals, why, sizeof why), CB_OK), "%s", why);
    snprintf(copy, sizeof copy, "%s", overrides ? overrides : "");
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eqs = strchr(tok, '=');
        cr_assert(ne(ptr, eqs, NULL), "'%s' is not name=value", tok);
        *eqs = '\0';
        int k = cb_param_index(vt->attrs, tok);
        cr_assert(ge(int, k, 0), "no attribute %s", tok);
        cr_assert(eq(int, cb_param_parse(&vt->attrs[k], eqs + 1, false, &vals[k], why, sizeof why),
                     CB_OK),
                  "%s: %s", tok, why);
    }
}

void ops_uniform(float *x, int64_t n, float lo, float hi, uint64_t seed)
{
    cb_rng r;
    cb_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * (float)cb_rng_unit(&r);
}

void ops_normal(float *x, int64_t n, uint64_t seed)
{
    cb_rng r;
    cb_rng_seed(&r, seed);
    for (int64_t i = 0; i < n; i++)
        x[i] = (float)cb_rng_normal(&r);
}

static void fill_weight(const cb_weight *spec, float *w, uint64_t seed)
{
    int64_t n = cb_shape_numel(spec->shape);
    if (strstr(spec->name, "gamma"))
        ops_uniform(w, n, 0.7f, 1.3f, seed);
    else if (strstr(spec->name, "beta"))
        ops_uniform(w, n, -0.3f, 0.3f, seed);
    else if (strstr(spec->name, "running_mean"))
        ops_uniform(w, n, -0.2f, 0.2f, seed);
    else if (strstr(spec->name, "running_var"))
        ops_uniform(w, n, 0.5f, 1.5f, seed);
    else {
        float b = sqrtf(3.0f / (float)(spec->fan_in > 0 ? spec->fan_in : 1));
        ops_uniform(w, n, -b, b, seed);
    }
}

static float *alloc_floats(int64_t n)
{
    float *p = calloc((size_t)(n > 0 ? n : 1), sizeof *p);
    cr_assert(ne(ptr, p, NULL));
    return p;
}

void ops_call_init(ops_call *c, const char *op, const char *attrs, int n_in, const cb_shape *in,
                   uint64_t seed)
{
    memset(c, 0, sizeof *c);
    c->name = op;
    c->vt = ops_vt(op);
    c->n_in = n_in;
    ops_attrs(c->vt, attrs, c->attrs);
    cb_shape one[OPS_MAX_IN];
    cb_error e;
    memset(&e, 0, sizeof e);
    for (int i = 0; i < n_in; i++) {
        one[i] = in[i];
        one[i].n = 1;
    }
    cr_assert(eq(int, c->vt->infer(c->attrs, n_in, one, &c->out.shape, &e), CB_OK), "%s: %s", op,
              e.msg);
    c->out.shape.n = in[0].n;
    for (int i = 0; i < n_in; i++) {
        c->in[i].shape = in[i];
        c->in[i].data = alloc_floats(cb_shape_numel(in[i]));
        ops_normal(c->in[i].data, cb_shape_numel(in[i]), seed * 31 + (uint64_t)i);
    }
    c->out.data = alloc_floats(cb_shape_numel(c->out.shape));
    c->n_w = c->vt->weights(c->attrs, n_in, one, &c->out.shape, c->spec, OPS_MAX_W);
    for (int k = 0; k < c->n_w; k++) {
        c->w[k].shape = c->spec[k].shape;
        c->w[k].data = alloc_floats(cb_shape_numel(c->spec[k].shape));
        fill_weight(&c->spec[k], c->w[k].data, seed * 77 + (uint64_t)k);
    }
    c->state_bytes = c->vt->state_size(c->attrs, n_in, in, &c->out.shape);
    c->work_bytes = c->vt->workspace_size(c->attrs, n_in, in, &c->out.shape);
    c->state = calloc(1, c->state_bytes + 1);
    c->work = malloc(c->work_bytes + 1);
    c->ctx.size = sizeof c->ctx;
    c->ctx.host = ops_host();
    c->ctx.state = c->state;
    c->ctx.workspace = c->work;
    c->ctx.seed = seed;
}

void ops_forward(ops_call *c, int training)
{
    memset(c->work, 0xff, c->work_bytes); /* NaN: scratch must be written before it is read */
    c->ctx.training = training;
    int rc = c->vt->forward(&c->ctx, c->attrs, c->n_in, c->in, c->w, c->n_w, &c->out);
    cr_assert(eq(int, rc, CB_OK), "%s forward: %d", c->name, rc);
}

void ops_backward(ops_call *c, const float *dout, float **din, float **dw)
{
    cb_tensor dt = {c->out.shape, (float *)dout}, di[OPS_MAX_IN], dwt[OPS_MAX_W];
    for (int i = 0; i < c->n_in; i++)
        di[i] = (cb_tensor){c->in[i].shape, din ? din[i] : NULL};
    for (int k = 0; k < c->n_w; k++)
        dwt[k] = (cb_tensor){c->w[k].shape, dw ? dw[k] : NULL};
    memset(c->work, 0xff, c->work_bytes);
    int rc = c->vt->backward(&c->ctx, c->attrs, c->n_in, c->in, &c->out, c->w, c->n_w, &dt, di,
                             dwt);
    cr_assert(eq(int, rc, CB_OK), "%s backward: %d", c->name, rc);
}

void ops_call_free(ops_call *c)
{
    for (int i = 0; i < c->n_in; i++)
        free(c->in[i].data);
    for (int k = 0; k < c->n_w; k++)
        free(c->w[k].data);
    free(c->out.data);
    free(c->state);
    free(c->work);
}
