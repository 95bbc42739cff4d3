/* core/report/html.c: index.html's page: the style sheet, the summary, the best pair, the
 * figures (their SVG as base64 data: URIs, so each keeps its own ids and the page needs no
 * other file) with their captions and front tables, the reference pairs (html_refs.c), the top
 * pairs and the failures. */
#include "report/base64.h"
#include "report/html.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *style =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px auto;max-width:1500px;"
    "padding:0 16px;color:#1a1a1a;line-height:1.4}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}"
    ".meta{color:#555}.note{background:#fff8e1;border-left:4px solid #f0c040;padding:6px 10px}"
    "table{border-collapse:collapse;font-size:.9em;margin:8px 0}"
    "th,td{border:1px solid #d8d8d8;padding:3px 8px;text-align:left}"
    "thead th{background:#f0f3f7}tbody tr:nth-child(even){background:#fafafa}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.nw{white-space:nowrap}"
    "tr.best{background:#fff3c4 !important}table.kv th{background:#f0f3f7;font-weight:normal}"
    ".figs{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:20px}"
    "figure{margin:0}figure img{max-width:100%;height:auto;border:1px solid #e4e4e4}"
    "figcaption{font-size:.9em;color:#333;margin-top:4px}code{font-size:.95em}"
    "details{margin-top:4px}summary{cursor:pointer;color:#1f5fa8}";

static void head(FILE *out, const cb_report *r)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>codebench report: ",
          out);
    cb_html_esc(out, r->run_dir);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>codebench report</h1>\n", style);
    char when[64] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    fputs("<p class=\"meta\">Run folder <code>", out);
    cb_html_esc(out, r->run_dir);
    fprintf(out, "</code>, written %s by codebench %s: %zu evaluations, %zu ok, %zu infeasible, "
                 "%zu failed, %zu pending.</p>\n",
            when, CB_VERSION, r->n_rows, r->n_ok, r->n_infeasible, r->n_failed, r->n_pending);
}

static int figure(FILE *out, const cb_report_fig *fig, const char *out_dir, char *err, size_t len)
{
    fprintf(out, "<figure id=\"%s\">\n", fig->key);
    if (fig->drawn) {
        char svg[4096];
        snprintf(svg, sizeof svg, "%s/%s.svg", out_dir, fig->key);
        fputs("<img width=\"720\" height=\"480\" alt=\"", out);
        cb_html_esc(out, fig->title);
        fputs("\" src=\"data:image/svg+xml;base64,", out);
        if (cb_base64_file(out, svg)) {
            snprintf(err, len, "%s: %s", svg, strerror(errno));
            return -1;
        }
        fputs("\">\n", out);
    }
    fputs("<figcaption><b>", out);
    cb_html_esc(out, fig->title);
    fputs(".</b> ", out);
    cb_html_esc(out, fig->caption);
    if (fig->drawn)
        fprintf(out, " Files: <a href=\"%s.svg\">SVG</a>, <a href=\"%s.png\">PNG</a>.", fig->key,
                fig->key);
    fputs("</figcaption>\n", out);
    return 0;
}

static int fronts(FILE *out, const cb_report *r, const cb_report_fig *figs, const char *out_dir,
                  char *err, size_t len)
{
    fputs("<h2>Pareto fronts</h2>\n<p>Accuracy (maximized) against each cost (minimized), as in "
          "Fig. 11 of the CODEBench paper. A pair is on a front when no other ok pair has both a "
          "higher or equal accuracy and a lower or equal cost, one of them strictly.</p>\n"
          "<div class=\"figs\">\n",
          out);
    for (int k = 0; k < CB_REPORT_N_FRONTS; k++) {
        fputs("<div>\n", out);
        if (figure(out, &figs[k], out_dir, err, len))
            return -1;
        fprintf(out, "<details><summary>The %zu pairs on the front, by ascending %c%s</summary>\n",
                r->n_front[k], tolower((unsigned char)cb_report_fronts[k].label[0]),
                cb_report_fronts[k].label + 1);
        cb_html_pairs(out, r, r->front[k], r->n_front[k], cb_report_fronts[k].key);
        fputs("</details>\n</figure>\n</div>\n", out);
    }
    fputs("</div>\n", out);
    return 0;
}

static void top(FILE *out, const cb_report *r)
{
    if (r->refs.declared) {
        cb_html_refs(out, r);
        fputs("<h2>Top pairs</h2>\n<p>The ten best pairs by performance.</p>\n", out);
    } else {
        fputs("<h2>Top pairs</h2>\n<p class=\"note\">The manifest lists no reference pairs "
              "(published CNNs on published accelerators: <code>output.references</code>), so "
              "instead of the comparison table this shows the ten best pairs by performance.</p>\n",
              out);
    }
    cb_html_pairs(out, r, r->top, r->n_top, "top");
}

static int page(FILE *out, const cb_report *r, const cb_report_fig *figs, int n_figs,
                const char *out_dir, char *err, size_t len)
{
    head(out, r);
    fputs("<h2>Best pair</h2>\n<p>The ok pair with the highest performance (the run's objective).</p>\n", out);
    cb_html_best(out, r);
    if (fronts(out, r, figs, out_dir, err, len))
        return -1;
    fputs("<h2>Search progress</h2>\n", out);
    for (int i = CB_REPORT_N_FRONTS; i < n_figs; i++) {
        if (figure(out, &figs[i], out_dir, err, len))
            return -1;
        fputs("</figure>\n", out);
    }
    top(out, r);
    fputs("<h2>Failures</h2>\n", out);
    cb_html_failures(out, r);
    fputs("<p class=\"meta\">Machine-readable: <a href=\"report.json\">report.json</a>; every row: "
          "<code>codebench export RUN --csv</code>.</p>\n</body>\n</html>\n",
          out);
    return 0;
}

int cb_report_write_html(const cb_report *r, const cb_report_fig *figs, int n_figs,
                         const char *out_dir, char *err, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/index.html", out_dir);
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(err, len, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = page(out, r, figs, n_figs, out_dir, err, len);
    int bad = ferror(out);
    if (fclose(out) != 0 || (bad && rc == 0)) {
        snprintf(err, len, "%s: write failed (%s)", path, strerror(errno));
        rc = -1;
    }
    return rc;
}
