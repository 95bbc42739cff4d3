/* tests/unit/report_files.c: `codebench report`'s files from the fixture database: every figure
 * as a real PNG (signature, IHDR size) and well-formed SVG, report.json and index.html naming
 * the best pair and each front's members as brute force finds them, a page with no scripts and
 * nothing fetched from elsewhere, and errors escaped. */
#include "report/report.h"
#include "report_fixture.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static report_fixture fx;
static cb_report rep;
static char out[128];

static void setup(void)
{
    report_fixture_make(&fx);
    char err[512] = "";
    cr_assert(eq(int, cb_report_open(fx.dir, &rep, err, sizeof err), 0), "%s", err);
    snprintf(out, sizeof out, "%s/report", fx.dir);
    cr_assert(eq(int, cb_report_write(&rep, out, err, sizeof err), 0), "%s", err);
}

static void teardown(void)
{
    cb_report_free(&rep);
    report_fixture_remove(&fx);
}

TestSuite(report_files, .init = setup, .fini = teardown);

static const char *figs[] = {"pareto-area", "pareto-dyn_energy", "pareto-latency", "pareto-edp",
                             "best-so-far"};

static char *read_out(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", out, name);
    char *text = report_slurp(path, len);
    cr_assert(ne(ptr, text, NULL), "%s missing", path);
    return text;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

Test(report_files, every_figure_is_a_png_of_the_drawn_size)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
        char name[64];
        size_t len;
        snprintf(name, sizeof name, "%s.png", figs[i]);
        unsigned char *png = (unsigned char *)read_out(name, &len);
        cr_assert(eq(int, memcmp(png, sig, 8), 0), "%s", name);
        cr_assert(eq(int, memcmp(png + 12, "IHDR", 4), 0), "%s", name);
        cr_assert(eq(u32, be32(png + 16), 1440), "%s width", name);
        cr_assert(eq(u32, be32(png + 20), 960), "%s height", name);
        /* a blank canvas compresses to a few kB; axes, text and points take far more */
        cr_assert(gt(sz, len, 20000), "%s is %zu bytes", name, len);
        cr_assert(lt(sz, len, 3000000), "%s is %zu bytes", name, len);
        free(png);
    }
}

/* Tags balance: every <x ...> closed by </x> in order, <x/> self-closed; comments, <?...?>
 * and <!...> skipped. Enough to catch truncated or interleaved output. */
static int well_formed(const char *s)
{
    char stack[64][48];
    int depth = 0, roots = 0;
    for (const char *c = s; (c = strchr(c, '<')) != NULL;) {
        const char *end = strchr(c, '>');
        if (!end)
            return 0;
        if (c[1] == '?' || c[1] == '!') {
            c = end + 1;
            continue;
        }
        int closing = c[1] == '/';
        const char *name = c + 1 + closing;
        size_t n = strcspn(name, " \t\r\n/>");
        if (n == 0 || n >= 48)
            return 0;
        if (closing) {
            if (depth == 0 || strncmp(stack[depth - 1], name, n) != 0 || stack[depth - 1][n])
                return 0;
            depth--;
        } else if (end[-1] != '/') {
            if (depth == 64)
                return 0;
            roots += depth == 0;
            memcpy(stack[depth], name, n);
            stack[depth++][n] = '\0';
        }
        c = end + 1;
    }
    return depth == 0 && roots == 1;
}

Test(report_files, every_figure_is_well_formed_svg)
{
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.svg", figs[i]);
        char *svg = read_out(name, NULL);
        cr_assert(eq(int, strncmp(svg, "<?xml", 5), 0), "%s", name);
        cr_assert(ne(ptr, strstr(svg, "<svg"), NULL), "%s", name);
        cr_assert(ne(ptr, strstr(svg, "width=\"720px\""), NULL), "%s", name);
        cr_assert(well_formed(svg), "%s", name);
        free(svg);
    }
}

/* The ids of front k in ascending cost, as brute force finds them, joined by sep. */
static void brute_front_ids(int k, const char *sep, char *buf, size_t len)
{
    const cb_report_metric *met = &cb_report_fronts[k];
    size_t *on = malloc(rep.n_rows * sizeof *on), n = 0;
    for (size_t i = 0; i < rep.n_rows; i++) {
        const cb_eval_row *a = &rep.rows[i];
        int dominated = a->status != CB_ROW_OK;
        for (size_t j = 0; j < rep.n_rows && !dominated; j++) {
            const cb_eval_row *b = &rep.rows[j];
            double ax = cb_report_metric_of(met, &a->m), bx = cb_report_metric_of(met, &b->m);
            dominated = j != i && b->status == CB_ROW_OK && bx <= ax && b->m.accuracy >= a->m.accuracy &&
                        (bx < ax || b->m.accuracy > a->m.accuracy);
        }
        if (!dominated)
            on[n++] = i;
    }
    /* insertion sort by cost: the fixture's costs are distinct */
    for (size_t x = 1; x < n; x++)
        for (size_t y = x; y > 0 && cb_report_metric_of(met, &rep.rows[on[y]].m) <
                                        cb_report_metric_of(met, &rep.rows[on[y - 1]].m);
             y--) {
            size_t t = on[y];
            on[y] = on[y - 1];
            on[y - 1] = t;
        }
    size_t at = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < n; j++)
        at += (size_t)snprintf(buf + at, len - at, "%s%" PRId64, j ? sep : "", rep.rows[on[j]].id);
    free(on);
}

static int64_t brute_best_id(void)
{
    const cb_eval_row *best = NULL;
    for (size_t i = 0; i < rep.n_rows; i++)
        if (rep.rows[i].status == CB_ROW_OK && (!best || rep.rows[i].m.performance > best->m.performance))
            best = &rep.rows[i];
    return best->id;
}

Test(report_files, report_json_names_the_best_pair_and_the_fronts)
{
    char *json = read_out("report.json", NULL);
    char want[1024], ids[900];
    snprintf(want, sizeof want, "\"best\":{\"id\":%" PRId64 ",\"status\":\"ok\"", brute_best_id());
    cr_assert(ne(ptr, strstr(json, want), NULL), "%s not in report.json", want);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++) {
        brute_front_ids(k, ",", ids, sizeof ids);
        snprintf(want, sizeof want, "\"%s\":[%s]", cb_report_fronts[k].key, ids);
        cr_assert(ne(ptr, strstr(json, want), NULL), "%s not in report.json", want);
    }
    cr_assert(ne(ptr, strstr(json, "\"counts\":{\"evaluations\":41,"), NULL));
    free(json);
}

Test(report_files, index_html_is_self_contained_and_matches_brute_force)
{
    size_t len;
    char *html = read_out("index.html", &len);
    char want[1024], ids[900];
    cr_assert(eq(int, strncmp(html, "<!DOCTYPE html>", 15), 0));
    cr_assert(ne(ptr, strstr(html, "</html>"), NULL));
    snprintf(want, sizeof want, "<table class=\"kv best\" data-id=\"%" PRId64 "\">", brute_best_id());
    cr_assert(ne(ptr, strstr(html, want), NULL), "%s not in index.html", want);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++) {
        brute_front_ids(k, " ", ids, sizeof ids);
        snprintf(want, sizeof want, "data-list=\"%s\" data-ids=\"%s\"", cb_report_fronts[k].key, ids);
        cr_assert(ne(ptr, strstr(html, want), NULL), "%s not in index.html", want);
    }
    /* five figures inline, nothing loaded from elsewhere, no scripts */
    size_t n_img = 0;
    for (const char *c = html; (c = strstr(c, "src=\"data:image/svg+xml;base64,")) != NULL; c++)
        n_img++;
    cr_assert(eq(sz, n_img, 5));
    cr_assert(eq(ptr, strstr(html, "<script"), NULL));
    cr_assert(eq(ptr, strstr(html, "src=\"http"), NULL));
    cr_assert(eq(ptr, strstr(html, "<link"), NULL));
    cr_assert(eq(ptr, strstr(html, "url("), NULL));
    /* the odd error is escaped, never markup */
    cr_assert(ne(ptr, strstr(html, "bad &quot;vector&quot;, &lt;b&gt;bold&lt;/b&gt; &amp; more"), NULL));
    cr_assert(eq(ptr, strstr(html, "<b>bold</b>"), NULL));
    /* a run whose manifest lists no reference pairs: the top pairs instead, and it says so */
    cr_assert(ne(ptr, strstr(html, "The manifest lists no reference pairs"), NULL));
    cr_assert(eq(ptr, strstr(html, "data-list=\"references\""), NULL));
    free(html);
}

/* The fonts are freed after each report (for leak checkers): a second report in the same
 * process must find them again and draw the same pixels. */
Test(report_files, a_second_report_in_one_process_draws_the_same_png)
{
    char again[160], err[512] = "", path[256];
    snprintf(again, sizeof again, "%s/again", fx.dir);
    cr_assert(eq(int, cb_report_write(&rep, again, err, sizeof err), 0), "%s", err);
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
        size_t n1, n2;
        char name[64];
        snprintf(name, sizeof name, "%s.png", figs[i]);
        char *first = read_out(name, &n1);
        snprintf(path, sizeof path, "%s/%s", again, name);
        char *second = report_slurp(path, &n2);
        cr_assert(ne(ptr, second, NULL));
        cr_assert(eq(sz, n1, n2), "%s", name);
        cr_assert(eq(int, memcmp(first, second, n1), 0), "%s differs", name);
        free(first);
        free(second);
    }
}
