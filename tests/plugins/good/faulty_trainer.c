/* tests/plugins/good/faulty_trainer.c: fault injection for the runner's tests. fx_faulty
 * trains nothing: it gives a CNN an accuracy derived from its graph hash, except for CNNs
 * whose hash starts with `trigger`, where it does what `mode` says: segfault, abort, exit,
 * hang, return an error, return a NaN accuracy, or leak memory. A run must finish with those
 * evaluations marked failed and every other one stored. Test-only. */
#include <codebench/codebench.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAULTY_PARAMS(P)                                                                     \
    P(ENUM, mode, "segv", 0, 0, CB_CHOICES("segv", "abort", "exit", "hang", "error", "nan", "leak"), \
      "", "what to do on a triggering CNN")                                                  \
    P(STR, trigger, "", 0, 0, NULL, "", "graph-hash prefix that triggers the fault ('' never)")      \
    P(INT, delay_ms, "0", 0, 60000, NULL, "ms", "time each training takes (to kill runs midway)")
CB_PARAM_TABLE(faulty_params, FAULTY_PARAMS);

typedef struct faulty {
    int mode;
    int64_t delay_ms;
    char trigger[65];
} faulty;

static int faulty_create(const cb_host *h, cb_error *e, void **self, int mode, const char *trigger,
                         int64_t delay_ms)
{
    faulty *f = calloc(1, sizeof *f);
    if (!f)
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    f->mode = mode;
    f->delay_ms = delay_ms;
    strncpy(f->trigger, trigger, sizeof f->trigger - 1);
    *self = f;
    return CB_OK;
}
CB_CHECK_CREATE(faulty_create, FAULTY_PARAMS);

/* A stable pseudo-accuracy in [0.5, 0.95) from the first hex digits of the hash. */
static double hash_accuracy(const char *hash)
{
    unsigned v = (unsigned)strtoul((char[9]){hash[0], hash[1], hash[2], hash[3], hash[4], hash[5],
                                             hash[6], hash[7], 0},
                                   NULL, 16);
    return 0.5 + 0.45 * (double)(v % 10000) / 10000.0;
}

static int faulty_train(void *self, const cb_train_job *job, cb_train_result *r, cb_error *e)
{
    faulty *f = self;
    memset(r, 0, sizeof *r);
    r->size = sizeof *r;
    r->epochs = 1;
    const char *hash = job->graph->hash;
    bool hit = f->trigger[0] && strncmp(hash, f->trigger, strlen(f->trigger)) == 0;
    r->accuracy = hash_accuracy(hash);
    if (f->delay_ms)
        usleep((useconds_t)(f->delay_ms * 1000));
    if (!hit)
        return CB_OK;
    switch (f->mode) {
    case 0: signal(SIGSEGV, SIG_DFL); raise(SIGSEGV); break; /* past sanitizers' handlers */
    case 1: abort();
    case 2: _exit(7);
    case 3: for (;;) pause();
    case 4: return cb_error_set(e, CB_EFAIL, NULL, "injected failure for graph %.12s", hash);
    case 5: r->accuracy = NAN; break;
    case 6: (void)!malloc(1 << 20); break; /* leaked on purpose */
    }
    return CB_OK;
}

static const cb_trainer_vt faulty_vt = {sizeof faulty_vt, faulty_train};
static const cb_plugin fx_faulty = {sizeof(cb_plugin), CB_KIND_TRAINER, "fx_faulty", "1.0.0",
                                    "fault injection: crashes, hangs or errs on chosen CNNs",
                                    faulty_params, (cb_fn)faulty_create, free, &faulty_vt};

CB_PACK("faults", "1.0.0", "MIT", "codebench tests", &fx_faulty)
