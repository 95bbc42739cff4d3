/* tests/helpers/echo_worker.c: a worker for the worker-pool tests. It answers each job with
 * its payload reversed, and misbehaves on request: payload "segv" crashes, "abort" aborts,
 * "exit" exits, "hang" sleeps forever, "print" writes junk to stdout first (which must not
 * reach the protocol). Usage: echo_worker --job-fd R --result-fd W */
#include "runner/workers.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int handle(void *ctx, int64_t job, const void *payload, size_t len, void **result,
                  size_t *result_len)
{
    (void)ctx;
    (void)job;
    if (len == 4 && memcmp(payload, "segv", 4) == 0)
        signal(SIGSEGV, SIG_DFL), raise(SIGSEGV); /* past sanitizers' handlers */
    if (len == 5 && memcmp(payload, "abort", 5) == 0)
        abort();
    if (len == 4 && memcmp(payload, "exit", 4) == 0)
        exit(3);
    if (len == 4 && memcmp(payload, "hang", 4) == 0)
        for (;;)
            pause();
    if (len == 5 && memcmp(payload, "print", 5) == 0) {
        printf("junk on stdout\n");
        fflush(stdout);
    }
    char *out = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++)
        out[i] = ((const char *)payload)[len - 1 - i];
    *result = out;
    *result_len = len;
    return 0;
}

int main(int argc, char **argv)
{
    int in = -1, out = -1;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--job-fd") == 0)
            in = atoi(argv[i + 1]);
        if (strcmp(argv[i], "--result-fd") == 0)
            out = atoi(argv[i + 1]);
    }
    if (in < 0 || out < 0)
        return 2;
    return cb_worker_serve(in, out, handle, NULL) ? 1 : 0;
}
