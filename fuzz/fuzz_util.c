/* fuzz/fuzz_util.c: see fuzz_util.h. */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

static char tmp_dir[512];

/* Removes the folder's files, then the folder: the harness writes only flat files there. */
static void cleanup(void)
{
    if (!tmp_dir[0])
        return;
    DIR *d = opendir(tmp_dir);
    if (d) {
        for (struct dirent *de; (de = readdir(d));) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", tmp_dir, de->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(tmp_dir);
}

const char *cb_fuzz_dir(void)
{
    if (!tmp_dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(tmp_dir, sizeof tmp_dir, "%s/cb-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmp_dir)) {
            perror("cb-fuzz: mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    return tmp_dir;
}

const char *cb_fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    enum { SLOTS = 8 };
    static char paths[SLOTS][600];
    static char names[SLOTS][64];
    int slot = 0;
    while (slot < SLOTS - 1 && names[slot][0] && strcmp(names[slot], name) != 0)
        slot++;
    snprintf(names[slot], sizeof names[slot], "%s", name);
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", cb_fuzz_dir(), name);
    FILE *f = fopen(paths[slot], "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(paths[slot]);
        abort();
    }
    return paths[slot];
}

cb_registry *cb_fuzz_registry(void)
{
    static cb_registry reg;
    static int ready;
    if (ready)
        return &reg;
    ready = 1;
    cb_registry_init(&reg);
    const char *b = getenv("CB_FUZZ_BUILD");
    char path[1024];
    cb_error e = {0};
    snprintf(path, sizeof path, "%s/plugins", b && *b ? b : "build-fuzz");
    if (cb_registry_load_dir(&reg, path, &e) != CB_OK)
        fprintf(stderr, "cb-fuzz: %s (the fuzzers run with fewer plugins)\n", e.msg);
    snprintf(path, sizeof path, "%s/tests/plugins/good/fixture_pack.so", b && *b ? b : "build-fuzz");
    if (cb_registry_load_file(&reg, path, &e) != CB_OK)
        fprintf(stderr, "cb-fuzz: %s\n", e.msg);
    return &reg;
}
