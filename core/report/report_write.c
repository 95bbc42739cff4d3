/* core/report/report_write.c: writes a built report into its folder: the figures first (the
 * page embeds them), then report.json and index.html. */
#include "report/figures.h"
#include "report/html.h"
#include "report/report.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int write_files(const cb_report *r, const char *out_dir, char *err, size_t len)
{
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        snprintf(err, len, "%s: %s", out_dir, strerror(errno));
        return -1;
    }
    cb_report_fig figs[CB_REPORT_N_FIGS];
    if (cb_report_figures(r, out_dir, figs, err, len))
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/report.json", out_dir);
    if (cb_report_write_json(r, path, err, len))
        return -1;
    return cb_report_write_html(r, figs, CB_REPORT_N_FIGS, out_dir, err, len);
}

int cb_report_write(const cb_report *r, const char *out_dir, char *err, size_t len)
{
    int rc = write_files(r, out_dir, err, len);
    /* cairo and fontconfig keep fonts in static caches (and fontconfig's parsed configuration
     * leaks a block unless FcFini runs); freeing them once the report is done keeps leak
     * checkers (ASan, valgrind) quiet and costs only a font lookup on the next report. No
     * cairo object is alive here, and nothing else in the core uses fontconfig. */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}
