/* tests/unit/report_export.c: `codebench export`'s CSV and JSON read back to exactly the
 * doubles the store holds (every metric, the accelerator vector), failed rows' missing metrics
 * as empty fields or null, errors with commas, quotes and line breaks quoted, and the layers. */
#include "report/export.h"
#include "report_fixture.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static report_fixture fx;
static void setup(void) { report_fixture_make(&fx); }
static void teardown(void) { report_fixture_remove(&fx); }
TestSuite(report_export, .init = setup, .fini = teardown);

#define MAX_FIELDS 64

/* One RFC 4180 record from *p: fields written into storage, pointers in f; returns the count
 * (0 at the end of the text). Quoted fields may hold commas, "" and line breaks. */
static int csv_record(const char **p, char *storage, char *f[MAX_FIELDS])
{
    const char *c = *p;
    if (!*c)
        return 0;
    int n = 0;
    char *w = storage;
    for (;;) {
        f[n++] = w;
        if (*c == '"') {
            for (c++; *c && !(*c == '"' && c[1] != '"'); c++)
                *w++ = *c == '"' ? *++c : *c;
            c++;
        } else {
            while (*c && *c != ',' && *c != '\n')
                *w++ = *c++;
        }
        *w++ = '\0';
        if (*c != ',')
            break;
        c++;
    }
    if (*c == '\n')
        c++;
    *p = c;
    return n;
}

static char *export_to_text(int csv, int layers)
{
    char err[512] = "", path[128];
    cb_store *s = cb_store_open(fx.dir, err, sizeof err);
    cr_assert(ne(ptr, s, NULL), "%s", err);
    snprintf(path, sizeof path, "%s/export.out", fx.dir);
    FILE *out = fopen(path, "w");
    int rc = csv && layers ? cb_export_layers_csv(out, s)
             : csv         ? cb_export_csv(out, fx.rows, fx.n)
                           : cb_export_json(out, fx.rows, fx.n, layers ? s : NULL);
    cr_assert(eq(int, rc, 0));
    fclose(out);
    cb_store_close(s);
    return report_slurp(path, NULL);
}

static int column(char *const *header, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return i;
    cr_fatal("no column %s", name);
    return -1;
}

/* A field reads back to v exactly; NaN (NULL in the store) is an empty field. */
static void same_number(const char *field, double v, const char *what)
{
    if (isnan(v)) {
        cr_assert(eq(str, (char *)field, ""), "%s", what);
        return;
    }
    char *end;
    double got = strtod(field, &end);
    cr_assert(eq(int, *end, 0), "%s: '%s'", what, field);
    cr_assert(eq(dbl, got, v), "%s: %s reads back as %.17g, stored %.17g", what, field, got, v);
}

Test(report_export, csv_round_trips_every_number)
{
    char *text = export_to_text(1, 0);
    const char *p = text;
    static char hs[8192], rs[8192];
    char *h[MAX_FIELDS], *f[MAX_FIELDS];
    int nh = csv_record(&p, hs, h);
    cr_assert(eq(str, h[0], "id"));
    cr_assert(eq(str, h[nh - 1], "error"));
    int c_acc = column(h, nh, "accel_0"), c_status = column(h, nh, "status");
    cr_assert(eq(int, column(h, nh, "accel_12") - c_acc, 12));
    size_t n = 0;
    for (int nf; (nf = csv_record(&p, rs, f)) > 0; n++) {
        const cb_eval_row *r = &fx.rows[n];
        cr_assert(eq(int, nf, nh), "row %zu has %d fields, the header %d", n, nf, nh);
        cr_assert(eq(i64, strtoll(f[0], NULL, 10), r->id));
        cr_assert(eq(str, f[c_status], (char *)(r->status == CB_ROW_OK       ? "ok"
                                                : r->status == CB_ROW_FAILED ? "failed"
                                                : r->status == CB_ROW_PENDING ? "pending"
                                                                              : "infeasible")));
        for (int a = 0; a < r->pair.n_accel; a++)
            same_number(f[c_acc + a], r->pair.accel[a], "accel");
        for (size_t c = 0; c < cb_export_n_cols; c++)
            same_number(f[column(h, nh, cb_export_cols[c].name)], cb_export_value(&cb_export_cols[c], r),
                        cb_export_cols[c].name);
        cr_assert(eq(str, f[nh - 1], (char *)r->error));
    }
    cr_assert(eq(sz, n, fx.n));
    free(text);
}

Test(report_export, layers_csv_lists_every_layer_row)
{
    char *text = export_to_text(1, 1);
    const char *p = text;
    static char hs[4096], rs[4096];
    char *h[MAX_FIELDS], *f[MAX_FIELDS];
    int nh = csv_record(&p, hs, h);
    cr_assert(eq(int, nh, 10));
    int n = 0;
    for (int nf; (nf = csv_record(&p, rs, f)) > 0; n++) {
        cr_assert(eq(int, nf, 10));
        int layer = atoi(f[1]);
        char name[32];
        snprintf(name, sizeof name, "layer,%d", layer);
        cr_assert(eq(str, f[2], name)); /* the comma came back from its quotes */
        same_number(f[6], strtod(f[4], NULL) - 800.0 * (layer + 1), "stall_cycles");
        same_number(f[8], 1e-6 * (layer + 1) / 3.0, "dyn_energy_j");
    }
    cr_assert(eq(int, n, fx.n_layer_rows));
    cr_assert(gt(int, n, 0));
    free(text);
}

/* The number after "key": inside the object that starts at obj. */
static const char *json_field(const char *obj, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *at = strstr(obj, k);
    cr_assert(ne(ptr, (void *)at, NULL), "no %s", key);
    return at + strlen(k);
}

static void same_json_number(const char *at, double v, const char *what)
{
    if (isnan(v)) {
        cr_assert(eq(int, strncmp(at, "null", 4), 0), "%s", what);
        return;
    }
    char *end;
    double got = strtod(at, &end);
    cr_assert(ne(ptr, (void *)end, (void *)at), "%s", what);
    cr_assert(eq(dbl, got, v), "%s reads back as %.17g, stored %.17g", what, got, v);
}

Test(report_export, json_round_trips_every_number_and_nests_layers)
{
    char *text = export_to_text(0, 1);
    cr_assert(eq(int, text[0], '['));
    int layers_seen = 0;
    for (size_t i = 0; i < fx.n; i++) {
        const cb_eval_row *r = &fx.rows[i];
        char start[64];
        snprintf(start, sizeof start, "{\"id\":%" PRId64 ",", r->id);
        const char *obj = strstr(text, start);
        cr_assert(ne(ptr, (void *)obj, NULL), "no object for row %" PRId64, r->id);
        for (size_t c = 0; c < cb_export_n_cols; c++)
            same_json_number(json_field(obj, cb_export_cols[c].name),
                             cb_export_value(&cb_export_cols[c], r), cb_export_cols[c].name);
        const char *accel = json_field(obj, "accel");
        cr_assert(eq(int, *accel, '['));
        for (int a = 0; a < r->pair.n_accel; a++) {
            char *end;
            cr_assert(eq(dbl, strtod(accel + 1, &end), r->pair.accel[a]));
            accel = end;
        }
        cr_assert(eq(int, *json_field(obj, "layers"), '['));
    }
    for (const char *l = text; (l = strstr(l, "{\"layer\":")) != NULL; l++)
        layers_seen++;
    cr_assert(eq(int, layers_seen, fx.n_layer_rows));
    /* the odd error survives as an escaped JSON string */
    cr_assert(ne(ptr, strstr(text, "\"bad \\\"vector\\\", <b>bold</b> & more\\nsecond line\""), NULL));
    free(text);
}

Test(report_export, an_empty_run_exports_a_header_or_an_empty_array)
{
    char *text;
    size_t n = fx.n;
    fx.n = 0;
    text = export_to_text(0, 0);
    cr_assert(eq(str, text, "[]\n"));
    free(text);
    text = export_to_text(1, 0);
    cr_assert(eq(int, strncmp(text, "id,status,cnn,level,cnn_hash,accuracy,", 38), 0), "%s", text);
    cr_assert(eq(int, (int)(strchr(text, '\n') - text + 1), (int)strlen(text)));
    free(text);
    fx.n = n;
}
