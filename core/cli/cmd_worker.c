/* core/cli/cmd_worker.c: `codebench worker MANIFEST --job-fd R --result-fd W`: one worker
 * process of `codebench run`. It opens the study as a worker (trainer, MAC units, memories,
 * the same candidates as the coordinator, grown as each job's growth log says) and evaluates the
 * jobs it is sent until the coordinator closes the pipe. Not meant to be run by hand. */
#include "cli/commands.h"
#include "host/host.h"
#include "runner/candidates.h"
#include "runner/study.h"
#include "runner/workers.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int handle(void *ctx, int64_t job_id, const void *payload, size_t len, void **result,
                  size_t *result_len)
{
    cb_study *st = ctx;
    cb_eval_result *r = cb_xcalloc(1, sizeof *r);
    cb_job job;
    char why[512];
    if (cb_job_unpack(st, payload, len, &job, why, sizeof why)) {
        r->m.size = sizeof r->m;
        r->m.status = CB_EVAL_FAILED;
        snprintf(r->error, sizeof r->error, "%s", why);
    } else {
        cb_study_evaluate(st, &job, r);
    }
    *result = r;
    *result_len = sizeof *r;
    return 0;
}

int cb_cmd_worker(int argc, char **argv)
{
    if (cb_cli_wants_help(argc, argv)) {
        printf("usage: codebench worker MANIFEST --job-fd R --result-fd W\n\n"
               "A worker process of `codebench run` (started by it; not for use by hand).\n");
        return CB_EXIT_OK;
    }
    const char *manifest = NULL;
    int in = -1, out = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--job-fd") == 0 && i + 1 < argc)
            in = atoi(argv[++i]);
        else if (strcmp(argv[i], "--result-fd") == 0 && i + 1 < argc)
            out = atoi(argv[++i]);
        else if (!manifest)
            manifest = argv[i];
    }
    if (!manifest || in < 0 || out < 0) {
        fprintf(stderr, "usage: codebench worker MANIFEST --job-fd R --result-fd W\n");
        return CB_EXIT_USAGE;
    }
    cb_study st;
    cb_diag d;
    int rc = cb_study_open(manifest, CB_ROLE_WORKER, &st, &d);
    if (rc) {
        cb_diag_print(&d, stderr);
        cb_study_close(&st);
        return rc == CB_EINVAL ? CB_EXIT_USAGE : CB_EXIT_FAIL;
    }
    cb_host_install_signals();
    rc = cb_worker_serve(in, out, handle, &st);
    cb_study_close(&st);
    return rc ? CB_EXIT_FAIL : CB_EXIT_OK;
}
