/* plugins/trainers/pytorch/pytorch_script.c: where the training script is (the `script`
 * parameter, else pytorch_train.py in the folder this .so was loaded from) and whether it may
 * run: like a plugin file, a script that others could have written is refused, because running
 * it runs their code as the user (docs/security.md). */
#include "pytorch.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PT_SCRIPT "pytorch_train.py"

/* The folder of the shared object holding this function. */
static int own_dir(char *out, size_t len)
{
    Dl_info info;
    if (!dladdr((const void *)(uintptr_t)own_dir, &info) || !info.dli_fname)
        return -1;
    const char *slash = strrchr(info.dli_fname, '/');
    if (!slash)
        return snprintf(out, len, ".") < (int)len ? 0 : -1;
    int n = (int)(slash - info.dli_fname);
    return snprintf(out, len, "%.*s", n, info.dli_fname) < (int)len ? 0 : -1;
}

static int trusted(const pt *p, const char *path, cb_error *e)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return p->h->fail(p->h, e, CB_EINVAL, "script",
                          "%s: the training script is missing (%s); it is installed beside pytorch.so, "
                          "or set the script parameter",
                          path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return p->h->fail(p->h, e, CB_EINVAL, "script", "%s: the training script is not a file", path);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return p->h->fail(p->h, e, CB_EINVAL, "script",
                          "%s: refused: writable by group or others (chmod go-w it)", path);
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return p->h->fail(p->h, e, CB_EINVAL, "script", "%s: refused: owned by uid %u, not by you or root",
                          path, (unsigned)st.st_uid);
    return CB_OK;
}

int pt_find_script(const pt *p, char *out, size_t len, cb_error *e)
{
    if (p->cfg.script[0]) {
        snprintf(out, len, "%s", p->cfg.script);
        return trusted(p, out, e);
    }
    char dir[4096];
    if (own_dir(dir, sizeof dir) != 0)
        return p->h->fail(p->h, e, CB_EFAIL, "script",
                          "cannot tell where pytorch.so was loaded from: set the script parameter");
    snprintf(out, len, "%s/%s", dir, PT_SCRIPT);
    return trusted(p, out, e);
}
