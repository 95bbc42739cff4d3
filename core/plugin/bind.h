/* core/plugin/bind.h: calling a plugin's typed create() with values from a manifest.
 *
 * Owns: the libffi call. create(const cb_host *, cb_error *, void **self, <params>) is called
 * with one C argument per schema entry (INT int64_t, REAL double, BOOL int, STR const char *,
 * ENUM int), which plugin authors prove at compile time with CB_CHECK_CREATE.
 */
#ifndef CB_CORE_BIND_H
#define CB_CORE_BIND_H

#include <codebench/plugin.h>

/* A live plugin instance. */
typedef struct cb_instance {
    const cb_plugin *plugin;
    cb_host *host;         /* the instance's own host table */
    void *self;            /* what create() returned; NULL for stateless plugins */
} cb_instance;

/* Calls plugin->create through libffi with vals (one per schema entry, in order).
 * A plugin without create gets self = NULL. Errors name the plugin; a create() that fails
 * without calling host->fail gets a generic message. */
int cb_plugin_create(const cb_plugin *plugin, cb_host *host, const cb_value *vals,
                     cb_instance *inst, cb_error *e);

void cb_instance_destroy(cb_instance *inst);

#endif
