/* plugins/trainers/pytorch/pytorch_proc.c: runs `python script job.json` and follows it: its
 * stdout lines ("@cb progress|log|result|error ...") become progress reports, log lines and
 * the outcome; its stderr lines are logged (debug) and the last one is kept for the error
 * message when the script dies without saying why. A cancelled host stops the script (SIGTERM,
 * then SIGKILL); the script runs in its own process group, so a Ctrl-C reaches the host first,
 * and dies with the thread that started it. */
#include "pytorch.h"

#include <codebench/sdk.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* One stream's partial line. */
typedef struct pt_line {
    int fd;
    size_t len;
    char buf[8192];
} pt_line;

typedef struct pt_proc {
    pt *p;
    const cb_train_job *job;
    pt_outcome *o;
    pid_t pid;
} pt_proc;

/* ---- the child ---------------------------------------------------------------------------- */

/* After fork, before exec: only async-signal-safe calls. Failure to exec is reported as an
 * errno through `report` (close-on-exec, so a successful exec closes it silently). */
static void child(const char *python, char *const argv[], int out, int err, int report)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    /* ignored signals stay ignored across exec (a worker ignores SIGINT): restore defaults */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp(python, argv);
    int why = errno;
    ssize_t put = write(report, &why, sizeof why);
    (void)put;
    _exit(127);
}

static int spawn(pt_proc *pr, const char *script, const char *job_path, int fds[2], cb_error *e)
{
    pt *p = pr->p;
    int out[2], err[2], rep[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
        return p->h->fail(p->h, e, CB_EFAIL, NULL, "pipe: %s", strerror(errno));
    char *argv[] = {p->cfg.python, "-u", (char *)script, (char *)job_path, NULL};
    pr->pid = fork();
    if (pr->pid == 0)
        child(p->cfg.python, argv, out[1], err[1], rep[1]);
    close(out[1]);
    close(err[1]);
    close(rep[1]);
    int why = 0;
    ssize_t got = pr->pid > 0 ? read(rep[0], &why, sizeof why) : 0;
    close(rep[0]);
    if (pr->pid < 0 || got == (ssize_t)sizeof why) {
        close(out[0]);
        close(err[0]);
        if (pr->pid > 0)
            waitpid(pr->pid, NULL, 0);
        if (pr->pid < 0)
            return p->h->fail(p->h, e, CB_EFAIL, NULL, "fork: %s", strerror(errno));
        if (why == ENOENT)
            return p->h->fail(p->h, e, CB_EINVAL, "python",
                              "cannot run '%s': not found; install python3 and python3-torch "
                              "(Debian: apt-get install python3-torch), or set the python parameter",
                              p->cfg.python);
        return p->h->fail(p->h, e, CB_EINVAL, "python", "cannot run '%s': %s", p->cfg.python,
                          strerror(why));
    }
    fds[0] = out[0];
    fds[1] = err[0];
    return CB_OK;
}

/* ---- messages ----------------------------------------------------------------------------- */

/* The number after " key=" in a message, or fallback. */
static double num(const char *msg, const char *key, double fallback)
{
    char pat[40];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *at = strstr(msg, pat);
    return at ? strtod(at + strlen(pat), NULL) : fallback;
}

static void on_progress(pt_proc *pr, const char *m)
{
    if (!pr->job->progress)
        return;
    cb_train_progress pg = {sizeof pg, (int32_t)num(m, "epoch", 0), (int32_t)num(m, "epochs", 0),
                            (int64_t)num(m, "step", 0), (int64_t)num(m, "steps", 0),
                            num(m, "loss", 0), num(m, "accuracy", 0), num(m, "val_accuracy", -1),
                            num(m, "images_per_s", 0)};
    pr->job->progress(pr->job->progress_ctx, &pg);
}

static void on_result(pt_proc *pr, const char *m)
{
    pt_outcome *o = pr->o;
    o->result = (cb_train_result){sizeof o->result, num(m, "accuracy", 0), num(m, "val_accuracy", -1),
                                  num(m, "loss", 0), 0, (int32_t)num(m, "epochs", 0),
                                  num(m, "seconds", 0), num(m, "images_per_s", 0)};
    const char *dev = strstr(m, " device=");
    snprintf(o->device, sizeof o->device, "%s", dev ? dev + 8 : "?");
    o->have_result = 1;
}

/* "@cb error CODE PARAM message" */
static void on_error(pt_proc *pr, const char *m)
{
    pt_outcome *o = pr->o;
    char code[16] = "", param[64] = "";
    int used = 0;
    if (sscanf(m, " %15s %63s %n", code, param, &used) < 2)
        used = 0;
    o->err_code = strcmp(code, "einval") == 0 ? CB_EINVAL : CB_EFAIL;
    snprintf(o->err_param, sizeof o->err_param, "%s", strcmp(param, "-") ? param : "");
    snprintf(o->err_msg, sizeof o->err_msg, "%s", m + used);
}

static void on_log(pt_proc *pr, const char *m)
{
    const cb_host *h = pr->p->h;
    char level[16] = "";
    int used = 0;
    if (sscanf(m, " %15s %n", level, &used) < 1)
        used = 0;
    int lv = !strcmp(level, "warn") ? CB_LOG_WARN : !strcmp(level, "error") ? CB_LOG_ERROR
           : !strcmp(level, "debug") ? CB_LOG_DEBUG : CB_LOG_INFO;
    h->log(h, lv, "%s", m + used);
}

static void on_stdout(pt_proc *pr, const char *line)
{
    static const struct {
        const char *tag;
        void (*fn)(pt_proc *, const char *);
    } kinds[] = {{"@cb progress", on_progress}, {"@cb result", on_result},
                 {"@cb error", on_error}, {"@cb log", on_log}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t n = strlen(kinds[k].tag);
        if (!strncmp(line, kinds[k].tag, n) && (line[n] == ' ' || !line[n])) {
            kinds[k].fn(pr, line + n);
            return;
        }
    }
    pr->p->h->log(pr->p->h, CB_LOG_DEBUG, "script: %s", line); /* a stray print() */
}

static void on_stderr(pt_proc *pr, const char *line)
{
    pr->p->h->log(pr->p->h, CB_LOG_DEBUG, "script stderr: %s", line);
    if (line[0])
        snprintf(pr->o->stderr_tail, sizeof pr->o->stderr_tail, "%s", line);
}

/* Reads what is there; calls back per whole line. Returns 0 at end of stream. */
static int drain(pt_proc *pr, pt_line *l, void (*fn)(pt_proc *, const char *))
{
    ssize_t got = read(l->fd, l->buf + l->len, sizeof l->buf - 1 - l->len);
    if (got < 0)
        return errno == EINTR || errno == EAGAIN;
    if (got == 0 && l->len) { /* a last line without a newline */
        l->buf[l->len] = '\0';
        fn(pr, l->buf);
        l->len = 0;
    }
    l->len += (size_t)got;
    char *start = l->buf, *nl;
    while ((nl = memchr(start, '\n', (size_t)(l->buf + l->len - start))) != NULL) {
        *nl = '\0';
        fn(pr, start);
        start = nl + 1;
    }
    l->len -= (size_t)(start - l->buf);
    memmove(l->buf, start, l->len);
    if (l->len == sizeof l->buf - 1) { /* an endless line: take it in pieces */
        l->buf[l->len] = '\0';
        fn(pr, l->buf);
        l->len = 0;
    }
    return got > 0;
}

/* ---- the run ------------------------------------------------------------------------------ */

static void stop(pid_t pid)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 50; i++) { /* 5 s to exit cleanly (CUDA teardown) */
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static int follow(pt_proc *pr, int fds[2], cb_error *e)
{
    const cb_host *h = pr->p->h;
    pt_line *out = calloc(1, sizeof *out), *err = calloc(1, sizeof *err);
    if (!out || !err) {
        free(out);
        free(err);
        stop(pr->pid);
        return h->fail(h, e, CB_EFAIL, NULL, "out of memory");
    }
    out->fd = fds[0];
    err->fd = fds[1];
    int open_out = 1, open_err = 1, rc = CB_OK;
    while (open_out || open_err) {
        if (h->cancelled(h)) {
            stop(pr->pid);
            pr->pid = 0;
            rc = h->fail(h, e, CB_ECANCEL, NULL, "training stopped on request");
            break;
        }
        struct pollfd pf[2] = {{open_out ? fds[0] : -1, POLLIN, 0}, {open_err ? fds[1] : -1, POLLIN, 0}};
        if (poll(pf, 2, 100) < 0 && errno != EINTR) {
            stop(pr->pid);
            pr->pid = 0;
            rc = h->fail(h, e, CB_EFAIL, NULL, "poll: %s", strerror(errno));
            break;
        }
        if (open_out && pf[0].revents)
            open_out = drain(pr, out, on_stdout);
        if (open_err && pf[1].revents)
            open_err = drain(pr, err, on_stderr);
    }
    free(out);
    free(err);
    return rc;
}

/* The outcome of a script that exited (status as waitpid gives it). */
static int verdict(pt_proc *pr, int status, cb_error *e)
{
    const cb_host *h = pr->p->h;
    pt_outcome *o = pr->o;
    if (o->err_code)
        return h->fail(h, e, o->err_code, o->err_param[0] ? o->err_param : NULL, "%s", o->err_msg);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && o->have_result)
        return CB_OK;
    char how[64];
    if (WIFSIGNALED(status))
        snprintf(how, sizeof how, "was killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    return h->fail(h, e, CB_EFAIL, NULL, "%s %s %s%s%s", pr->p->cfg.python, "(training script)", how,
                   o->stderr_tail[0] ? ": " : " without a result", o->stderr_tail);
}

int pt_run_script(pt *p, const char *script, const char *job_path, const cb_train_job *job,
                  pt_outcome *o, cb_error *e)
{
    memset(o, 0, sizeof *o);
    pt_proc pr = {p, job, o, 0};
    int fds[2] = {-1, -1};
    int rc = spawn(&pr, script, job_path, fds, e);
    if (rc)
        return rc;
    rc = follow(&pr, fds, e);
    close(fds[0]);
    close(fds[1]);
    int status = 0;
    if (pr.pid > 0 && waitpid(pr.pid, &status, 0) < 0 && rc == CB_OK)
        return p->h->fail(p->h, e, CB_EFAIL, NULL, "waitpid: %s", strerror(errno));
    return rc ? rc : verdict(&pr, status, e);
}
