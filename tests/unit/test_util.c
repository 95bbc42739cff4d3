/* tests/unit/test_util.c: see test_util.h. */
#include "test_util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char *join(const char *base, const char *fmt, va_list ap)
{
    char tail[2048];
    vsnprintf(tail, sizeof tail, fmt, ap);
    char *out = NULL;
    if (asprintf(&out, "%s/%s", base, tail) < 0)
        abort();
    return out;
}

char *cb_test_path(const char *fmt, ...)
{
    const char *base = getenv("CODEBENCH_BUILD");
    va_list ap;
    va_start(ap, fmt);
    char *s = join(base && *base ? base : "build", fmt, ap);
    va_end(ap);
    return s;
}

char *cb_test_src(const char *fmt, ...)
{
    const char *base = getenv("CODEBENCH_SRC");
    va_list ap;
    va_start(ap, fmt);
    char *s = join(base && *base ? base : ".", fmt, ap);
    va_end(ap);
    return s;
}

/* the whole file, NUL-terminated */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf)
        abort();
    buf[len] = '\0';
    return buf;
}

cb_test_cli cb_test_run_cli(const char *dir, const char *const *args)
{
    char *exe = cb_test_path("codebench"), *out = NULL, *err = NULL;
    if (asprintf(&out, "%s/cli.out", dir) < 0 || asprintf(&err, "%s/cli.err", dir) < 0)
        abort();
    const char *argv[32] = {exe};
    for (int i = 0; args[i] && i < 30; i++)
        argv[i + 1] = args[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    cb_test_cli r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, read_all(out), read_all(err)};
    free(exe);
    free(out);
    free(err);
    return r;
}

void cb_test_cli_free(cb_test_cli *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}
