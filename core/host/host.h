/* core/host/host.h: the services the core hands to plugins (the cb_host table).
 *
 * Owns: one host table per plugin instance (so log lines and seeds carry the plugin's name),
 * the run-wide seed, the thread pool, BLAS, the log level and the cancellation flag that
 * SIGINT/SIGTERM set.
 */
#ifndef CB_CORE_HOST_H
#define CB_CORE_HOST_H

#include <codebench/plugin.h>
#include <stdbool.h>

/* Run-wide settings; call once before making host tables (defaults: seed 0, 1 thread, info). */
void cb_host_configure(uint64_t seed, int threads, int log_level);

/* A new host table for the named plugin; free with cb_host_free. */
cb_host *cb_host_new(const char *plugin_name);
void cb_host_free(cb_host *h);

/* Cancellation: set by the signal handlers cb_host_install_signals() installs. */
void cb_host_install_signals(void);
void cb_host_cancel(void);
bool cb_host_is_cancelled(void);

/* The same seed derivation plugins get: SHA-256(run seed, plugin, stream), first 8 bytes. */
uint64_t cb_host_seed_for(const char *plugin, const char *stream);

/* Shuts the thread pool down (at exit). */
void cb_host_shutdown(void);

#endif
