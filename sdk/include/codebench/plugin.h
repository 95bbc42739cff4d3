/* codebench/plugin.h: the plugin ABI.
 *
 * Owns: the pack and descriptor structs every plugin .so exports, the typed parameter schema,
 * the error record, and the host services table the core hands to plugins. The kind vtables
 * live in op.h, mac.h, memory.h, search.h and trainer.h.
 *
 * A plugin .so exports exactly one symbol, `codebench_plugins` (CB_ENTRY), a pure function that
 * returns a static cb_pack. Plugins never link against the core: everything they need from the
 * host comes through the cb_host table, and pure helpers come from libcbsdk.a. They are built
 * with -fvisibility=hidden -Wl,-z,defs so that a typo fails the build, not the run.
 *
 * Versioning rules (the contract; read before changing anything below):
 *  1. The core refuses a pack whose abi_major differs from CB_ABI_MAJOR, or whose abi_minor is
 *     above the core's: a newer plugin may read members the core does not have.
 *  2. Within a major, structs only grow at their end. Every descriptor, vtable and context
 *     struct that crosses the boundary starts with `uint32_t size` (sizeof when built), and a
 *     reader never touches a member at or beyond `size`. A member beyond `size`, or NULL, means
 *     "not supported". Small value records (cb_value, cb_shape, cb_tensor, cb_error, cb_pair)
 *     are frozen for the whole major instead: they travel in arrays, where a size is useless.
 *  3. `sizes` fingerprints pointer, int64_t and double sizes: a pack built for another data
 *     model is refused.
 *  4. docs/abi.md keeps a changelog per minor.
 *
 * Ownership: the .so owns its descriptors and every string in them (static, never freed); the
 * core owns tensors, workspaces, cb_error records and the host table; a plugin owns `self`
 * from create to destroy and copies any STR parameter it wants to keep past create.
 *
 * Threading classes (stated on each member below):
 *  - discovery: the entry and descriptors; pure, may run at any time, any thread.
 *  - configuration: create/destroy; single-threaded, may allocate.
 *  - evaluation: vtable calls; distinct instances may run concurrently, one instance is never
 *    called from two threads at once. Stateless op calls may run concurrently.
 */
#ifndef CODEBENCH_PLUGIN_H
#define CODEBENCH_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CB_ABI_MAJOR 1 /* incompatible change: the core refuses any other major */
#define CB_ABI_MINOR 0 /* appended members: the core refuses a plugin minor above its own */

#if defined(__GNUC__) || defined(__clang__)
#define CB_EXPORT __attribute__((visibility("default")))
#define CB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CB_EXPORT
#define CB_PRINTF(f, a)
#endif

/* Status codes. CB_EINVAL means the user's input is wrong (the CLI exits 2); CB_EFAIL means
 * something failed at run time (exit 1); CB_ECANCEL means the host asked to stop. */
enum { CB_OK = 0, CB_EFAIL = 1, CB_EINVAL = 2, CB_ECANCEL = 3 };

typedef void (*cb_fn)(void); /* generic function pointer, cast back where called */

typedef struct cb_host cb_host;

/* One error, filled by host->fail (or cb_error_set in the SDK); fixed size, no heap, so it
 * can cross the boundary and a worker process can ship it back through a pipe. */
typedef struct cb_error {
    int code;        /* CB_EINVAL, CB_EFAIL or CB_ECANCEL; CB_OK when empty */
    char plugin[64]; /* the plugin that raised it ("" for the core) */
    char param[64];  /* the offending parameter or attribute ("" if none) */
    char msg[512];   /* one line, no trailing newline */
} cb_error;

/* ---- parameter schema: plugin configuration (create) and op attributes ------------------ */

typedef enum cb_type {
    CB_T_INT = 1, /* create() C type: int64_t */
    CB_T_REAL,    /* double */
    CB_T_BOOL,    /* int (0 or 1): libffi has no _Bool */
    CB_T_STR,     /* const char *, borrowed for the call: copy it to keep it */
    CB_T_ENUM     /* int, the index into `choices` */
} cb_type;

/* One value of a parameter or attribute, the member chosen by its cb_type. */
typedef union cb_value {
    int64_t i; /* INT */
    double r;  /* REAL */
    int b;     /* BOOL */
    int e;     /* ENUM: index into choices */
    const char *s; /* STR */
} cb_value;

/* Flags on a parameter. */
enum {
    CB_P_LOG = 1u << 0,   /* REAL sampled log-uniformly when it spans a search range */
    CB_P_SPACE = 1u << 1, /* op attribute that is part of the op's design space */
    CB_P_PATH = 1u << 2,  /* STR naming a file or folder (ABI 1.1): a relative value written in a
                           * manifest is taken from the manifest's folder, as the core's own paths
                           * are, so a manifest works from any current folder */
};

typedef struct cb_param {
    const char *name;            /* YAML key, snake_case, unique within the plugin */
    cb_type type;
    const char *def;             /* default as YAML text ("8", "0.5", "true", "rram"); NULL: required */
    double min, max;             /* inclusive range for INT and REAL; min > max: no range */
    const char *const *choices;  /* ENUM: names; INT/REAL/STR: allowed values as text; NULL-terminated; NULL: any */
    const char *unit;            /* "MB", "ns", "" */
    const char *help;            /* one line for `codebench plugins show` */
    uint32_t flags;              /* CB_P_* */
} cb_param;                      /* arrays end with an entry whose name is NULL */

/* ---- descriptors: static const data owned by the .so; never unloaded during a run -------- */

typedef enum cb_kind {
    CB_KIND_OP = 1,
    CB_KIND_MAC,
    CB_KIND_MEMORY,
    CB_KIND_SEARCH,
    CB_KIND_TRAINER,
    CB_KIND_ACCEL, /* an accelerator family model (e.g. an FPGA model beside the ASIC simulator) */
    CB_KIND_COUNT_
} cb_kind;

typedef struct cb_plugin {
    uint32_t size;        /* sizeof(cb_plugin) when built */
    cb_kind kind;
    const char *name;     /* unique per kind within a run: "rram", "conv2d" */
    const char *version;  /* "1.2.0" */
    const char *summary;  /* one line */
    const cb_param *params; /* configuration, in create()'s argument order; NULL: none */
    /* configuration: int create(const cb_host *h, cb_error *e, void **self, <params...>),
     * called through libffi with one C argument per schema entry (see cb_type). NULL: the
     * plugin is stateless (every op). Returns CB_OK or a status after host->fail(). */
    cb_fn create;
    void (*destroy)(void *self); /* configuration: frees what create made; NULL-safe */
    const void *vtable;          /* the kind's vtable; its first member is uint32_t size */
} cb_plugin;

typedef struct cb_pack {
    uint16_t abi_major, abi_minor; /* first and frozen forever: checked before anything else */
    uint32_t size;                 /* sizeof(cb_pack) when built */
    uint32_t sizes;                /* CB_SIZES fingerprint */
    const char *name, *version, *license, *origin;
    const cb_plugin *const *plugins; /* NULL-terminated: one .so, many plugins */
} cb_pack;

#define CB_SIZES ((uint32_t)(sizeof(void *) << 16 | sizeof(int64_t) << 8 | sizeof(double)))
#define CB_ENTRY "codebench_plugins" /* the only exported symbol */
typedef const cb_pack *(*cb_entry_fn)(void); /* discovery: pure, no allocation, I/O or writes */

/* CB_PACK("acme-mem", "0.3.1", "MIT", "https://example.org", &rram, &fefet) defines the entry. */
#define CB_PACK(NAME, VER, LIC, ORIGIN, ...)                                                  \
    CB_EXPORT const cb_pack *codebench_plugins(void);                                         \
    CB_EXPORT const cb_pack *codebench_plugins(void)                                          \
    {                                                                                         \
        static const cb_plugin *const list_[] = {__VA_ARGS__, NULL};                          \
        static const cb_pack pack_ = {CB_ABI_MAJOR, CB_ABI_MINOR, sizeof(cb_pack), CB_SIZES, \
                                      NAME, VER, LIC, ORIGIN, list_};                         \
        return &pack_;                                                                        \
    }

/* ---- schemas written once, checked at compile time -------------------------------------
 *
 * A plugin lists its parameters once, as an X-macro, and gets both the cb_param array and a
 * compile-time proof that create() takes the schema's C types in order:
 *
 *   #define RRAM_PARAMS(P)                                                           \
 *       P(INT,  banks, "16", 1, 64, NULL, "",   "banks per rank")                     \
 *       P(REAL, t_rcd, "8.5", 1, 100, NULL, "ns", "row to column delay")
 *   CB_PARAM_TABLE(rram_params, RRAM_PARAMS);
 *   static int rram_create(const cb_host *h, cb_error *e, void **self, int64_t banks, double t_rcd);
 *   CB_CHECK_CREATE(rram_create, RRAM_PARAMS);
 *
 * Each P(...) row is: type (INT REAL BOOL STR ENUM, or PATH: a STR naming a file or folder,
 * flagged CB_P_PATH), name, default text (or NULL: required),
 * min, max, choices (NULL or CB_CHOICES("a", "b")), unit, help. A schema with no parameters uses
 * CB_CHECK_CREATE0(fn). A mismatch is a compile error naming the function. */
#define CB_CTYPE_INT int64_t
#define CB_CTYPE_REAL double
#define CB_CTYPE_BOOL int
#define CB_CTYPE_STR const char *
#define CB_CTYPE_ENUM int
#define CB_CHOICES(...) ((const char *const[]){__VA_ARGS__, NULL})
/* PATH in a P(...) row is a STR flagged CB_P_PATH (a file or folder, relative to the manifest). */
#define CB_T_PATH CB_T_STR
#define CB_CTYPE_PATH const char *
#define CB_PFLAGS_INT 0
#define CB_PFLAGS_REAL 0
#define CB_PFLAGS_BOOL 0
#define CB_PFLAGS_STR 0
#define CB_PFLAGS_ENUM 0
#define CB_PFLAGS_PATH CB_P_PATH
#define CB_PARAM_ROW_(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP) \
    {#NAME, CB_T_##T, DEF, MIN, MAX, CHOICES, UNIT, HELP, CB_PFLAGS_##T},
#define CB_PARAM_CTYPE_(T, NAME, DEF, MIN, MAX, CHOICES, UNIT, HELP) , CB_CTYPE_##T
#define CB_PARAM_TABLE(VAR, LIST) \
    static const cb_param VAR[] = {LIST(CB_PARAM_ROW_){NULL, (cb_type)0, NULL, 0, 0, NULL, NULL, NULL, 0}}
#define CB_CHECK_CREATE(fn, LIST)                                                        \
    _Static_assert(_Generic(&(fn), int (*)(const cb_host *, cb_error *, void **          \
                                           LIST(CB_PARAM_CTYPE_)): 1, default: 0),       \
                   #fn ": create() signature does not match its parameter schema")
#define CB_CHECK_CREATE0(fn)                                                                  \
    _Static_assert(_Generic(&(fn), int (*)(const cb_host *, cb_error *, void **): 1, default: 0), \
                   #fn ": create() signature does not match its (empty) parameter schema")

/* ---- host services: append-only; test h->size before using a member added after 1.0 ---- */

enum { CB_LOG_ERROR = 0, CB_LOG_WARN = 1, CB_LOG_INFO = 2, CB_LOG_DEBUG = 3 };

typedef void (*cb_task)(void *ctx, size_t begin, size_t end);
typedef int (*cb_write)(void *ctx, const void *buf, size_t len); /* CB_OK or CB_EFAIL */

struct cb_host {
    uint32_t size;                 /* sizeof(cb_host) in the running core */
    uint16_t abi_major, abi_minor; /* the core's ABI */
    const char *plugin;            /* the plugin this copy of the table serves */
    void *core;                    /* the core's private state: opaque, never touch */

    /* any thread: a log line prefixed with the plugin's name; level CB_LOG_* */
    void (*log)(const cb_host *h, int level, const char *fmt, ...) CB_PRINTF(3, 4);
    /* any thread: fills e (plugin, param, one-line message), returns code */
    int (*fail)(const cb_host *h, cb_error *e, int code, const char *param, const char *fmt, ...)
        CB_PRINTF(5, 6);
    /* any thread: a 64-bit seed for the named stream, derived from the run's seed, this
     * plugin's name and `stream`, so results do not depend on call order. Feed it to
     * cb_rng_seed() (codebench/rng.h); the plugin owns the generator and can save it. */
    uint64_t (*seed)(const cb_host *h, const char *stream);
    /* evaluation: runs t over [0, n) in chunks on the core's thread pool; blocks until done.
     * Tasks must not call parallel() themselves (it then runs inline). */
    void (*parallel)(const cb_host *h, size_t n, cb_task t, void *ctx);
    /* any thread: row-major C = alpha * op(A) op(B) + beta * C, on the core's BLAS */
    void (*sgemm)(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc);
    /* any thread: true once the user asked to stop (Ctrl-C, a worker timeout); long loops
     * poll it, return CB_ECANCEL and keep their state consistent */
    bool (*cancelled)(const cb_host *h);
    /* any thread: number of threads parallel() uses (>= 1) */
    int (*threads)(const cb_host *h);
};

#ifdef __cplusplus
}
#endif
#endif /* CODEBENCH_PLUGIN_H */
