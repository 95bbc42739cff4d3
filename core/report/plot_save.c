/* core/report/plot_save.c: a chart as files: SVG (vector, text as glyph outlines so it looks
 * the same without the fonts) and PNG (drawn at twice the logical size for sharp text). */
#include "report/plot.h"

#include <cairo-svg.h>
#include <stdio.h>

static int check(cairo_surface_t *s, const char *path, char *err, size_t len)
{
    cairo_status_t st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS)
        return 0;
    snprintf(err, len, "%s: %s", path, cairo_status_to_string(st));
    return -1;
}

static int save_svg(const cb_plot *p, const char *path, char *err, size_t len)
{
    cairo_surface_t *s = cairo_svg_surface_create(path, CB_PLOT_W, CB_PLOT_H);
    /* px, not pt: an <img> of the SVG then shows at the size the layout was made for */
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cairo_t *cr = cairo_create(s);
    cb_plot_draw(cr, p);
    cairo_destroy(cr);
    cairo_surface_finish(s); /* writes the file; errors show in the status */
    int rc = check(s, path, err, len);
    cairo_surface_destroy(s);
    return rc;
}

static int save_png(const cb_plot *p, const char *path, char *err, size_t len)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(2 * CB_PLOT_W),
                                                    (int)(2 * CB_PLOT_H));
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 2, 2);
    cb_plot_draw(cr, p);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(s, path);
    int rc = 0;
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, len, "%s: %s", path, cairo_status_to_string(st));
        rc = -1;
    }
    cairo_surface_destroy(s);
    return rc;
}

int cb_plot_save(const cb_plot *p, const char *svg_path, const char *png_path, char *err, size_t len)
{
    if (svg_path && save_svg(p, svg_path, err, len))
        return -1;
    if (png_path && save_png(p, png_path, err, len))
        return -1;
    return 0;
}
