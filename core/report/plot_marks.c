/* core/report/plot_marks.c: drawing a series' data: lines through its points (in the given
 * order), post-steps (a best-so-far curve), and marks (dot, ring, star, cross, diamond). */
#include "report/plot.h"

#include <math.h>

static void set_color(cairo_t *cr, cb_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

static void star_path(cairo_t *cr, double x, double y, double r)
{
    for (int i = 0; i < 10; i++) {
        double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.45 : r;
        if (i == 0)
            cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
        else
            cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
    }
    cairo_close_path(cr);
}

/* One mark; outlines are a darker shade of the fill so overlapping points stay distinct. */
static void mark(cairo_t *cr, const cb_series *s, double x, double y)
{
    double r = s->size > 0 ? s->size : 3.5;
    cb_rgb dark = {s->color.r * 0.6, s->color.g * 0.6, s->color.b * 0.6};
    cairo_new_path(cr);
    cairo_set_line_width(cr, 1.2);
    switch (s->mark) {
    case CB_MARK_DOT:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        set_color(cr, s->color, s->alpha > 0 ? s->alpha : 1);
        cairo_fill_preserve(cr);
        set_color(cr, dark, fmin(1, (s->alpha > 0 ? s->alpha : 1) + 0.2));
        cairo_stroke(cr);
        break;
    case CB_MARK_RING:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        set_color(cr, s->color, 1);
        cairo_stroke(cr);
        break;
    case CB_MARK_STAR:
        star_path(cr, x, y, r);
        set_color(cr, s->color, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        cairo_stroke(cr);
        break;
    case CB_MARK_DIAMOND: /* reference pairs: a shape no search result uses */
        cairo_move_to(cr, x, y - r * 1.3);
        cairo_line_to(cr, x + r, y);
        cairo_line_to(cr, x, y + r * 1.3);
        cairo_line_to(cr, x - r, y);
        cairo_close_path(cr);
        set_color(cr, s->color, s->alpha > 0 ? s->alpha : 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_stroke(cr);
        break;
    case CB_MARK_CROSS:
        cairo_move_to(cr, x - r, y - r);
        cairo_line_to(cr, x + r, y + r);
        cairo_move_to(cr, x - r, y + r);
        cairo_line_to(cr, x + r, y - r);
        set_color(cr, s->color, s->alpha > 0 ? s->alpha : 1);
        cairo_stroke(cr);
        break;
    default:
        break;
    }
}

/* A polyline through the showable points; steps hold each y until the next x. */
static void path(cairo_t *cr, const cb_series *s, const cb_plot_frame *f)
{
    int started = 0;
    double last_y = 0;
    for (size_t i = 0; i < s->n; i++) {
        double px, py;
        if (!cb_plot_map(f, s->x[i], s->y[i], &px, &py))
            continue;
        if (!started)
            cairo_move_to(cr, px, py);
        else if (s->draw & CB_DRAW_STEPS) {
            cairo_line_to(cr, px, last_y);
            cairo_line_to(cr, px, py);
        } else
            cairo_line_to(cr, px, py);
        started = 1;
        last_y = py;
    }
    set_color(cr, s->color, 1);
    cairo_set_line_width(cr, 2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void cb_plot_draw_series(cairo_t *cr, const cb_series *s, const cb_plot_frame *f)
{
    if (s->draw & (CB_DRAW_LINE | CB_DRAW_STEPS))
        path(cr, s, f);
    if (!(s->draw & CB_DRAW_POINTS))
        return;
    for (size_t i = 0; i < s->n; i++) {
        double px, py;
        if (cb_plot_map(f, s->x[i], s->y[i], &px, &py))
            mark(cr, s, px, py);
    }
}

void cb_plot_draw_mark(cairo_t *cr, const cb_series *s, double x, double y)
{
    if (s->draw & (CB_DRAW_LINE | CB_DRAW_STEPS)) {
        cairo_new_path(cr);
        cairo_move_to(cr, x - 12, y);
        cairo_line_to(cr, x + 12, y);
        set_color(cr, s->color, 1);
        cairo_set_line_width(cr, 2);
        cairo_stroke(cr);
    }
    if (s->draw & CB_DRAW_POINTS)
        mark(cr, s, x, y);
}
