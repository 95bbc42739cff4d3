/* core/runner/workers.c: worker processes, framed pipes, time limits (see workers.h). */
#include "runner/workers.h"
#include "runner/workers_mpi.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAME (256u << 20) /* a result larger than this is a bug, not data */

typedef struct worker {
    pid_t pid;
    int job_fd;       /* we write jobs here */
    int result_fd;    /* we read results here */
    bool busy;
    int64_t job;
    double deadline;  /* monotonic seconds */
} worker;

struct cb_workers {
    struct cb_mpi_pool *mpi; /* non-NULL: ranks of an MPI job instead of local processes */
    worker *w;
    int n;
    char *exe;
    char **args;
    double timeout_s;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 1: read len bytes; 0: EOF before the first byte; -1: error or EOF midway */
static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return got == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

int cb_frame_write(int fd, int64_t job, const void *payload, size_t len)
{
    unsigned char head[12];
    uint32_t l = (uint32_t)len;
    for (int i = 0; i < 4; i++)
        head[i] = (unsigned char)(l >> (8 * i));
    for (int i = 0; i < 8; i++)
        head[4 + i] = (unsigned char)((uint64_t)job >> (8 * i));
    if (write_all(fd, head, sizeof head))
        return -1;
    return len ? write_all(fd, payload, len) : 0;
}

int cb_frame_read(int fd, int64_t *job, void **payload, size_t *len)
{
    unsigned char head[12];
    int rc = read_all(fd, head, sizeof head);
    if (rc <= 0)
        return rc;
    uint32_t l = 0;
    uint64_t j = 0;
    for (int i = 0; i < 4; i++)
        l |= (uint32_t)head[i] << (8 * i);
    for (int i = 0; i < 8; i++)
        j |= (uint64_t)head[4 + i] << (8 * i);
    if (l > MAX_FRAME)
        return -1;
    void *buf = cb_xmalloc(l ? l : 1);
    if (l && read_all(fd, buf, l) != 1) {
        free(buf);
        return -1;
    }
    *job = (int64_t)j;
    *payload = buf;
    *len = l;
    return 1;
}

static int spawn(cb_workers *ws, worker *w, char *err, size_t err_len)
{
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) || pipe2(from_child, O_CLOEXEC)) {
        snprintf(err, err_len, "cannot create a pipe for a worker: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, err_len, "cannot start a worker: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        /* The child: its stdout joins stderr so a chatty plugin cannot corrupt the frames. */
        dup2(2, 1);
        int in = dup(to_child[0]), out = dup(from_child[1]); /* dup drops O_CLOEXEC */
        char in_s[16], out_s[16];
        snprintf(in_s, sizeof in_s, "%d", in);
        snprintf(out_s, sizeof out_s, "%d", out);
        int n = 0;
        while (ws->args[n])
            n++;
        char **argv = calloc((size_t)n + 6, sizeof *argv);
        argv[0] = ws->exe;
        for (int i = 0; i < n; i++)
            argv[1 + i] = ws->args[i];
        argv[n + 1] = "--job-fd";
        argv[n + 2] = in_s;
        argv[n + 3] = "--result-fd";
        argv[n + 4] = out_s;
        signal(SIGINT, SIG_IGN); /* Ctrl-C is the coordinator's to handle */
        execv(ws->exe, argv);
        fprintf(stderr, "codebench: cannot run worker %s: %s\n", ws->exe, strerror(errno));
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    w->pid = pid;
    w->job_fd = to_child[1];
    w->result_fd = from_child[0];
    w->busy = false;
    return 0;
}

cb_workers *cb_workers_start(int n, const char *exe, char *const *args, double timeout_s, char *err,
                             size_t err_len)
{
    /* A worker that dies while we write to it must not kill the coordinator. */
    signal(SIGPIPE, SIG_IGN);
    cb_workers *ws = cb_xcalloc(1, sizeof *ws);
    ws->n = n;
    ws->w = cb_xcalloc((size_t)n, sizeof *ws->w);
    ws->exe = cb_xstrdup(exe);
    int na = 0;
    while (args[na])
        na++;
    ws->args = cb_xcalloc((size_t)na + 1, sizeof *ws->args);
    for (int i = 0; i < na; i++)
        ws->args[i] = cb_xstrdup(args[i]);
    ws->timeout_s = timeout_s;
    for (int i = 0; i < n; i++)
        if (spawn(ws, &ws->w[i], err, err_len)) {
            ws->n = i;
            cb_workers_stop(ws);
            return NULL;
        }
    return ws;
}

int cb_workers_idle(const cb_workers *ws)
{
    if (ws->mpi)
        return cb_mpi_pool_idle(ws->mpi);
    int k = 0;
    for (int i = 0; i < ws->n; i++)
        k += !ws->w[i].busy;
    return k;
}

int cb_workers_busy(const cb_workers *ws)
{
    if (ws->mpi)
        return cb_mpi_pool_busy(ws->mpi);
    return ws->n - cb_workers_idle(ws);
}

int cb_workers_submit(cb_workers *ws, int64_t job, const void *payload, size_t len)
{
    if (ws->mpi)
        return cb_mpi_pool_submit(ws->mpi, job, payload, len);
    for (int i = 0; i < ws->n; i++) {
        worker *w = &ws->w[i];
        if (w->busy)
            continue;
        w->busy = true;
        w->job = job;
        w->deadline = now_s() + ws->timeout_s;
        /* A failed write means the worker already died; the next wait reports it. */
        cb_frame_write(w->job_fd, job, payload, len);
        return 0;
    }
    return -1;
}

static void reap(worker *w, cb_job_result *out, const char *timeout_why)
{
    int st = 0;
    if (timeout_why) {
        kill(w->pid, SIGKILL);
        snprintf(out->why, sizeof out->why, "%s", timeout_why);
    }
    waitpid(w->pid, &st, 0);
    if (!timeout_why) {
        if (WIFSIGNALED(st))
            snprintf(out->why, sizeof out->why, "worker killed by signal %d (SIG%s)", WTERMSIG(st),
                     sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
        else
            snprintf(out->why, sizeof out->why, "worker exited with status %d during the job",
                     WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
    close(w->job_fd);
    close(w->result_fd);
}

/* Replaces a dead worker; a failure to respawn leaves the slot busy forever (fewer workers). */
static void replace(cb_workers *ws, worker *w)
{
    char err[256];
    if (spawn(ws, w, err, sizeof err)) {
        fprintf(stderr, "codebench: %s\n", err);
        w->busy = true;
        w->pid = -1;
        w->deadline = 1e300;
    }
}

static int finish_dead(cb_workers *ws, worker *w, cb_job_result *out, const char *timeout_why)
{
    out->job = w->job;
    out->status = timeout_why ? CB_JOB_TIMEOUT : CB_JOB_CRASHED;
    out->payload = NULL;
    out->len = 0;
    reap(w, out, timeout_why);
    replace(ws, w);
    return 1;
}

int cb_workers_wait(cb_workers *ws, cb_job_result *out, double max_wait_s)
{
    memset(out, 0, sizeof *out);
    if (ws->mpi)
        return cb_mpi_pool_wait(ws->mpi, out, max_wait_s);
    struct pollfd *fds = cb_xcalloc((size_t)ws->n, sizeof *fds);
    int *index = cb_xcalloc((size_t)ws->n, sizeof *index);
    double t = now_s(), wait = max_wait_s;
    int nf = 0;
    for (int i = 0; i < ws->n; i++) {
        worker *w = &ws->w[i];
        if (!w->busy || w->pid < 0)
            continue;
        if (w->deadline <= t) {
            char why[128];
            snprintf(why, sizeof why, "job timed out after %g s (workers.timeout_s)", ws->timeout_s);
            free(fds);
            free(index);
            return finish_dead(ws, w, out, why);
        }
        if (w->deadline - t < wait)
            wait = w->deadline - t;
        fds[nf].fd = w->result_fd;
        fds[nf].events = POLLIN;
        index[nf++] = i;
    }
    int rc = 0;
    if (nf == 0) {
        free(fds);
        free(index);
        return 0;
    }
    int ready = poll(fds, (nfds_t)nf, (int)(wait * 1000.0) + 1);
    if (ready < 0)
        rc = errno == EINTR ? -1 : 0;
    for (int k = 0; ready > 0 && k < nf; k++) {
        if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        worker *w = &ws->w[index[k]];
        int64_t job;
        void *payload;
        size_t len;
        int got = cb_frame_read(w->result_fd, &job, &payload, &len);
        if (got == 1 && job == w->job) {
            out->job = job;
            out->status = CB_JOB_DONE;
            out->payload = payload;
            out->len = len;
            w->busy = false;
            rc = 1;
        } else {
            if (got == 1)
                free(payload);
            rc = finish_dead(ws, w, out, NULL);
        }
        break;
    }
    free(fds);
    free(index);
    return rc;
}

void cb_workers_stop(cb_workers *ws)
{
    if (!ws)
        return;
    if (ws->mpi) {
        cb_mpi_pool_stop(ws->mpi);
        free(ws);
        return;
    }
    for (int i = 0; i < ws->n; i++) {
        if (ws->w[i].pid <= 0)
            continue;
        close(ws->w[i].job_fd); /* EOF: a healthy worker exits by itself */
        close(ws->w[i].result_fd);
        kill(ws->w[i].pid, SIGTERM);
    }
    for (int i = 0; i < ws->n; i++) {
        if (ws->w[i].pid <= 0)
            continue;
        /* a short grace period, then no more waiting */
        for (int tries = 0; tries < 50; tries++) {
            if (waitpid(ws->w[i].pid, NULL, WNOHANG) != 0)
                break;
            if (tries == 49) {
                kill(ws->w[i].pid, SIGKILL);
                waitpid(ws->w[i].pid, NULL, 0);
            }
            usleep(20000);
        }
    }
    for (char **a = ws->args; *a; a++)
        free(*a);
    free(ws->args);
    free(ws->exe);
    free(ws->w);
    free(ws);
}

cb_workers *cb_workers_start_mpi(int ranks)
{
    cb_workers *ws = cb_xcalloc(1, sizeof *ws);
    ws->mpi = cb_mpi_pool_start(ranks);
    return ws;
}

int cb_worker_serve(int in_fd, int out_fd, cb_job_handler handle, void *ctx)
{
    for (;;) {
        int64_t job;
        void *payload;
        size_t len;
        int got = cb_frame_read(in_fd, &job, &payload, &len);
        if (got == 0)
            return 0; /* the coordinator is done with us */
        if (got < 0)
            return -1;
        void *result = NULL;
        size_t rlen = 0;
        int rc = handle(ctx, job, payload, len, &result, &rlen);
        free(payload);
        if (rc != 0 || cb_frame_write(out_fd, job, result, rlen) != 0) {
            free(result);
            return -1;
        }
        free(result);
    }
}
