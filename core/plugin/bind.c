/* core/plugin/bind.c: calling a plugin's typed create() through libffi (see bind.h).
 *
 * This is the one place libffi fits: once per instance, at a boundary, with the C types the
 * schema names. Everything called per vertex, per request or per step uses a fixed vtable
 * signature instead. The plugin proves at compile time that create() matches its schema
 * (CB_CHECK_CREATE), which closes libffi's one hole: a silent mismatch would be undefined
 * behaviour. */
#include "plugin/bind.h"
#include "host/host.h"
#include "util/util.h"

#include <codebench/sdk.h>
#include <ffi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CB_MAX_PARAMS 64

static ffi_type *ffi_type_of(cb_type t)
{
    switch (t) {
    case CB_T_INT: return &ffi_type_sint64;
    case CB_T_REAL: return &ffi_type_double;
    case CB_T_BOOL:
    case CB_T_ENUM: return &ffi_type_sint;
    case CB_T_STR: return &ffi_type_pointer;
    }
    return NULL;
}

static void *arg_of(const cb_param *p, cb_value *v)
{
    switch (p->type) {
    case CB_T_INT: return &v->i;
    case CB_T_REAL: return &v->r;
    case CB_T_BOOL: return &v->b;
    case CB_T_ENUM: return &v->e;
    case CB_T_STR: return &v->s;
    }
    return NULL;
}

static int call_create(const cb_plugin *pl, cb_host *host, const cb_value *vals, void **self,
                       cb_error *e)
{
    int n = cb_param_count(pl->params);
    if (n > CB_MAX_PARAMS)
        return cb_error_set(e, CB_EFAIL, NULL, "plugin '%s' has %d parameters, at most %d are supported",
                            pl->name, n, CB_MAX_PARAMS);
    ffi_type *types[CB_MAX_PARAMS + 3];
    void *args[CB_MAX_PARAMS + 3];
    cb_value copy[CB_MAX_PARAMS];
    const cb_host *h = host;
    types[0] = types[1] = types[2] = &ffi_type_pointer;
    args[0] = &h;
    args[1] = &e;
    args[2] = &self;
    for (int i = 0; i < n; i++) {
        copy[i] = vals[i];
        types[3 + i] = ffi_type_of(pl->params[i].type);
        args[3 + i] = arg_of(&pl->params[i], &copy[i]);
        if (!types[3 + i])
            return cb_error_set(e, CB_EFAIL, pl->params[i].name, "plugin '%s': parameter '%s' has an unknown type",
                                pl->name, pl->params[i].name);
    }
    ffi_cif cif;
    if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, (unsigned)(n + 3), &ffi_type_sint, types) != FFI_OK)
        return cb_error_set(e, CB_EFAIL, NULL, "plugin '%s': libffi cannot prepare create()", pl->name);
    ffi_arg rc = 0; /* libffi widens small integer returns to ffi_arg */
    ffi_call(&cif, FFI_FN(pl->create), &rc, args);
    return (int)(ffi_sarg)rc;
}

int cb_plugin_create(const cb_plugin *pl, cb_host *host, const cb_value *vals, cb_instance *inst,
                     cb_error *e)
{
    memset(inst, 0, sizeof *inst);
    inst->plugin = pl;
    inst->host = host;
    if (!pl->create)
        return CB_OK;
    cb_error local;
    memset(&local, 0, sizeof local);
    int rc = call_create(pl, host, vals, &inst->self, &local);
    if (rc == CB_OK)
        return CB_OK;
    if (!local.msg[0])
        snprintf(local.msg, sizeof local.msg, "create() failed with status %d and no message", rc);
    if (!local.plugin[0])
        snprintf(local.plugin, sizeof local.plugin, "%s", pl->name);
    local.code = rc == CB_EINVAL ? CB_EINVAL : CB_EFAIL;
    if (e)
        *e = local;
    inst->self = NULL;
    return local.code;
}

void cb_instance_destroy(cb_instance *inst)
{
    if (inst->plugin && inst->plugin->destroy && inst->self)
        inst->plugin->destroy(inst->self);
    inst->self = NULL;
}
