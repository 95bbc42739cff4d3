/* data_folder.c: the image-folder loader (see codebench/data.h): dir/<class>/<image>.png|jpg,
 * classes and files in sorted order so the label numbering and image order are the same on
 * every machine. */
#include <codebench/data.h>
#include <codebench/sdk.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct name_list {
    char **v;
    int n, cap;
} name_list;

static void names_free(name_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int names_push(name_list *l, const char *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return CB_EFAIL;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return CB_EFAIL;
    l->n++;
    return CB_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_image_name(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"));
}

/* Entries of dir that are folders (want_dirs) or image files, sorted. */
static int list_dir(const char *dir, int want_dirs, name_list *out, cb_error *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return cb_error_set(e, CB_EINVAL, NULL, "%s: cannot open folder: %s", dir, strerror(errno));
    struct dirent *de;
    char path[4096];
    int rc = CB_OK;
    while (rc == CB_OK && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
            continue; /* longer than any path this loader opens */
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        int keep = want_dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode) && is_image_name(de->d_name);
        if (keep && names_push(out, de->d_name))
            rc = cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory", dir);
    }
    closedir(d);
    if (rc == CB_OK)
        qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_names);
    return rc;
}

/* Appends one decoded image; the first image fixes the size every later one must have.
 * *cap is the capacity in images, doubled as needed so loading stays linear. */
static int append(cb_dataset *out, int64_t *cap, const char *path, const uint8_t *pix, int32_t c,
                  int32_t h, int32_t w, int label, cb_error *e)
{
    if (out->n == 0) {
        out->c = c;
        out->h = h;
        out->w = w;
    } else if (c != out->c || h != out->h || w != out->w) {
        return cb_error_set(e, CB_EINVAL, NULL,
                            "%s: image is %dx%dx%d (channels x height x width), expected %dx%dx%d like the first image",
                            path, c, h, w, out->c, out->h, out->w);
    }
    size_t img = (size_t)c * h * w;
    if (out->n == *cap) {
        int64_t want = *cap ? 2 * *cap : 256;
        uint8_t *p = realloc(out->pixels, (size_t)want * img);
        if (p)
            out->pixels = p;
        int32_t *l = p ? realloc(out->labels, (size_t)want * sizeof *l) : NULL;
        if (!p || !l)
            return cb_error_set(e, CB_EFAIL, NULL, "%s: out of memory", path);
        out->labels = l;
        *cap = want;
    }
    memcpy(out->pixels + (size_t)out->n * img, pix, img);
    out->labels[out->n++] = label;
    return CB_OK;
}

static int load_class(const char *dir, const char *cls, int label, cb_dataset *out, int64_t *cap,
                      cb_error *e)
{
    char sub[4096], path[4096];
    if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, cls) >= sizeof sub)
        return cb_error_set(e, CB_EINVAL, NULL, "%s/%s: path too long", dir, cls);
    name_list files = {0};
    int rc = list_dir(sub, 0, &files, e);
    if (rc == CB_OK && files.n == 0)
        rc = cb_error_set(e, CB_EINVAL, NULL, "%s: class folder holds no .png or .jpg image", sub);
    for (int i = 0; rc == CB_OK && i < files.n; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", sub, files.v[i]) >= sizeof path) {
            rc = cb_error_set(e, CB_EINVAL, NULL, "%s/%s: path too long", sub, files.v[i]);
            break;
        }
        uint8_t *pix = NULL;
        int32_t c, h, w;
        rc = cb_image_decode(path, &pix, &c, &h, &w, e);
        if (rc == CB_OK)
            rc = append(out, cap, path, pix, c, h, w, label, e);
        free(pix);
    }
    names_free(&files);
    return rc;
}

int cb_data_load_folder(const char *dir, cb_dataset *out, char ***class_names, cb_error *e)
{
    memset(out, 0, sizeof *out);
    name_list classes = {0};
    int64_t cap = 0;
    int rc = list_dir(dir, 1, &classes, e);
    if (rc == CB_OK && classes.n < 2)
        rc = cb_error_set(e, CB_EINVAL, NULL, "%s: expected one sub-folder per class, found %d",
                          dir, classes.n);
    for (int k = 0; rc == CB_OK && k < classes.n; k++)
        rc = load_class(dir, classes.v[k], k, out, &cap, e);
    if (rc) {
        names_free(&classes);
        cb_dataset_free(out);
        return rc;
    }
    out->classes = classes.n;
    if (class_names) {
        *class_names = classes.v; /* hand the array over instead of freeing it */
        classes.v = NULL;
        classes.n = 0;
    }
    names_free(&classes);
    return CB_OK;
}
