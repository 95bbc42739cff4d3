/* core/plugin/lint.c: schema lint and the trust check on plugin files (see registry.h).
 *
 * A plugin whose own schema is broken (a default out of its range, an enum without choices)
 * fails at load, before any manifest is read, so a user never meets it halfway through a run. */
#include "plugin/param.h"
#include "plugin/registry.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool snake_case(const char *s)
{
    if (!s || !(*s >= 'a' && *s <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static int lint_one(const cb_param *p, char *why, size_t len)
{
    char reason[300];
    if (p->type < CB_T_INT || p->type > CB_T_ENUM) {
        snprintf(why, len, "parameter '%s': unknown type %d", p->name, (int)p->type);
        return CB_EINVAL;
    }
    if (p->type == CB_T_ENUM && (!p->choices || !p->choices[0])) {
        snprintf(why, len, "parameter '%s': an enum needs at least one choice", p->name);
        return CB_EINVAL;
    }
    if ((p->type == CB_T_BOOL || p->type == CB_T_STR || p->type == CB_T_ENUM) && p->min <= p->max &&
        !(p->min == 0 && p->max == 0)) {
        snprintf(why, len, "parameter '%s': a %s has no numeric range", p->name, cb_type_name(p->type));
        return CB_EINVAL;
    }
    if (p->choices && (p->type == CB_T_INT || p->type == CB_T_REAL)) {
        for (int i = 0; p->choices[i]; i++) {
            cb_value v;
            if (cb_param_parse(p, p->choices[i], false, &v, reason, sizeof reason)) {
                snprintf(why, len, "parameter '%s': choice %s", p->name, reason);
                return CB_EINVAL;
            }
        }
    }
    if (p->def) {
        cb_value v;
        if (cb_param_parse(p, p->def, false, &v, reason, sizeof reason)) {
            snprintf(why, len, "parameter '%s': default %s", p->name, reason);
            return CB_EINVAL;
        }
    }
    return CB_OK;
}

int cb_schema_lint(const cb_param *params, char *why, size_t why_len)
{
    for (int i = 0; params && params[i].name; i++) {
        const cb_param *p = &params[i];
        if (!snake_case(p->name)) {
            snprintf(why, why_len, "parameter '%s': names are snake_case ([a-z][a-z0-9_]*)", p->name);
            return CB_EINVAL;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(params[j].name, p->name) == 0) {
                snprintf(why, why_len, "parameter '%s' is declared twice", p->name);
                return CB_EINVAL;
            }
        if (lint_one(p, why, why_len))
            return CB_EINVAL;
    }
    return CB_OK;
}

static int check_owner_mode(const char *path, const struct stat *st, const char *what, char *why,
                            size_t len)
{
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        snprintf(why, len, "%s: refused: %s is owned by uid %u, not by you or root", path, what,
                 (unsigned)st->st_uid);
        return CB_EINVAL;
    }
    /* A sticky world-writable folder such as /tmp still lets others drop files in it. */
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(why, len, "%s: refused: %s is writable by %s (chmod go-w to trust it)", path, what,
                 (st->st_mode & S_IWOTH) ? "others" : "its group");
        return CB_EINVAL;
    }
    return CB_OK;
}

int cb_path_trusted(const char *path, char *why, size_t why_len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, why_len, "%s: cannot read: %s", path, strerror(errno));
        return CB_EINVAL;
    }
    if (check_owner_mode(path, &st, S_ISDIR(st.st_mode) ? "the folder" : "the file", why, why_len))
        return CB_EINVAL;
    if (S_ISDIR(st.st_mode))
        return CB_OK;
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    struct stat dst;
    if (stat(dir, &dst) != 0) {
        snprintf(why, why_len, "%s: cannot read its folder %s: %s", path, dir, strerror(errno));
        return CB_EINVAL;
    }
    char what[4200];
    snprintf(what, sizeof what, "its folder %s", dir);
    return check_owner_mode(path, &dst, what, why, why_len);
}
