/* core/report/plot.c: a chart's layout and everything but the data: axes ranges and ticks,
 * grid, frame, tick labels, axis labels, title and legend (see plot.h). */
#include "report/plot.h"

#include <math.h>
#include <string.h>

#define FONT "sans-serif"
#define TITLE_PX 17.0
#define LABEL_PX 14.0
#define TICK_PX 12.5
#define LEGEND_PX 13.0

/* Draws s with its box's (ax, ay) fraction at (x, y): (0, 0) top-left, (0.5, 0.5) centre,
 * (1, 1) bottom-right. Font extents rather than ink extents place the baseline, so labels
 * with and without descenders line up. */
static void text(cairo_t *cr, const char *s, double x, double y, double ax, double ay)
{
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    cairo_text_extents(cr, s, &te);
    cairo_font_extents(cr, &fe);
    cairo_move_to(cr, x - ax * te.x_advance, y - ay * (fe.ascent + fe.descent) + fe.ascent);
    cairo_show_text(cr, s);
}

static void font(cairo_t *cr, double px, int bold, double grey)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, px);
    cairo_set_source_rgb(cr, grey, grey, grey);
}

static int shown(double v, int log)
{
    return isfinite(v) && (!log || v > 0);
}

/* The range of one coordinate (0: x, 1: y) over every series, log axes seeing only v > 0. */
static void data_range(const cb_plot *p, int axis, int log, double *mn, double *mx)
{
    *mn = INFINITY;
    *mx = -INFINITY;
    for (int k = 0; k < p->n_series; k++) {
        const double *v = axis ? p->s[k].y : p->s[k].x;
        for (size_t i = 0; i < p->s[k].n; i++)
            if (shown(v[i], log)) {
                *mn = fmin(*mn, v[i]);
                *mx = fmax(*mx, v[i]);
            }
    }
}

static void axis_ticks(const cb_plot *p, int axis, const cb_plot_axis *a, cb_ticks *t)
{
    double mn, mx;
    data_range(p, axis, 0, &mn, &mx);
    int log = a->log >= 0 ? a->log : cb_ticks_want_log(mn, mx);
    if (log) {
        data_range(p, axis, 1, &mn, &mx);
        cb_ticks_log(mn, mx, t);
    } else {
        cb_ticks_linear(mn, mx, axis ? 7 : 8, a->tight ? 0 : 0.03, t);
    }
}

int cb_plot_map(const cb_plot_frame *f, double x, double y, double *px, double *py)
{
    double fx = cb_ticks_frac(&f->x, x), fy = cb_ticks_frac(&f->y, y);
    if (!isfinite(fx) || !isfinite(fy))
        return 0;
    *px = f->left + fx * (f->right - f->left);
    *py = f->bottom - fy * (f->bottom - f->top);
    return 1;
}

/* The left margin fits the widest y tick label and the rotated axis label. */
static void layout(cairo_t *cr, cb_plot_frame *f)
{
    font(cr, TICK_PX, 0, 0);
    double widest = 0;
    for (int i = 0; i < f->y.n; i++) {
        char s[48];
        cairo_text_extents_t te;
        cb_ticks_label(&f->y, i, s, sizeof s);
        cairo_text_extents(cr, s, &te);
        widest = fmax(widest, te.x_advance);
    }
    f->left = 16 + LABEL_PX + 12 + widest + 8;
    f->right = CB_PLOT_W - 24;
    f->top = 84; /* title, a legend row and room for a second one */
    f->bottom = CB_PLOT_H - 62;
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

/* Grid lines at every tick (fainter at log minor ticks), tick marks outside the frame. */
static void grid(cairo_t *cr, const cb_plot_frame *f)
{
    cairo_set_line_width(cr, 1);
    double px, py;
    for (int i = 0; i < f->x.n_minor + f->y.n_minor; i++) {
        int on_x = i < f->x.n_minor;
        double v = on_x ? f->x.minor[i] : f->y.minor[i - f->x.n_minor];
        cairo_set_source_rgb(cr, 0.94, 0.94, 0.94);
        if (on_x && cb_plot_map(f, v, f->y.hi, &px, &py))
            line(cr, px, f->top, px, f->bottom);
        else if (!on_x && cb_plot_map(f, f->x.hi, v, &px, &py))
            line(cr, f->left, py, f->right, py);
    }
    for (int i = 0; i < f->x.n; i++)
        if (cb_plot_map(f, f->x.v[i], f->y.hi, &px, &py)) {
            cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
            line(cr, px, f->top, px, f->bottom);
            cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
            line(cr, px, f->bottom, px, f->bottom + 5);
        }
    for (int i = 0; i < f->y.n; i++)
        if (cb_plot_map(f, f->x.hi, f->y.v[i], &px, &py)) {
            cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
            line(cr, f->left, py, f->right, py);
            cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
            line(cr, f->left - 5, py, f->left, py);
        }
}

static void tick_labels(cairo_t *cr, const cb_plot_frame *f)
{
    font(cr, TICK_PX, 0, 0.2);
    char s[48];
    double px, py;
    for (int i = 0; i < f->x.n; i++)
        if (cb_plot_map(f, f->x.v[i], f->y.hi, &px, &py)) {
            cb_ticks_label(&f->x, i, s, sizeof s);
            text(cr, s, px, f->bottom + 8, 0.5, 0);
        }
    for (int i = 0; i < f->y.n; i++)
        if (cb_plot_map(f, f->x.hi, f->y.v[i], &px, &py)) {
            cb_ticks_label(&f->y, i, s, sizeof s);
            text(cr, s, f->left - 8, py, 1, 0.5);
        }
}

static void axis_labels(cairo_t *cr, const cb_plot *p, const cb_plot_frame *f)
{
    font(cr, LABEL_PX, 0, 0.1);
    if (p->x.label)
        text(cr, p->x.label, (f->left + f->right) / 2, CB_PLOT_H - 34, 0.5, 0);
    if (p->y.label) {
        cairo_save(cr);
        cairo_translate(cr, 16, (f->top + f->bottom) / 2);
        cairo_rotate(cr, -M_PI / 2);
        text(cr, p->y.label, 0, 0, 0.5, 0);
        cairo_restore(cr);
    }
}

/* The note (small, grey) ends the legend row at the right edge, or takes the next line when
 * the row is full, so it never runs into the title or the entries. */
static void note(cairo_t *cr, const cb_plot *p, const cb_plot_frame *f, double x, double y)
{
    if (!p->note)
        return;
    font(cr, 11.5, 0, 0.4);
    cairo_text_extents_t te;
    cairo_text_extents(cr, p->note, &te);
    if (x + 12 > f->right - te.x_advance)
        y += 17;
    text(cr, p->note, f->right, y, 1, 0.5);
}

/* Rows under the title (wrapping if needed): the legend never hides data. */
static void legend(cairo_t *cr, const cb_plot *p, const cb_plot_frame *f)
{
    double x = f->left, y = 50;
    for (int k = 0; k < p->n_series; k++) {
        const cb_series *s = &p->s[k];
        if (!s->name)
            continue;
        font(cr, LEGEND_PX, 0, 0.15);
        cairo_text_extents_t te;
        cairo_text_extents(cr, s->name, &te);
        double w = 28 + 6 + te.x_advance + 20;
        if (x + w > f->right && x > f->left) {
            x = f->left;
            y += 17;
        }
        cb_plot_draw_mark(cr, s, x + 14, y);
        font(cr, LEGEND_PX, 0, 0.15);
        text(cr, s->name, x + 34, y, 0, 0.5);
        x += w;
    }
    note(cr, p, f, x - 20, y);
}

static void title(cairo_t *cr, const cb_plot *p, const cb_plot_frame *f)
{
    font(cr, TITLE_PX, 1, 0.05);
    if (p->title)
        text(cr, p->title, f->left, 14, 0, 0);
}

void cb_plot_draw(cairo_t *cr, const cb_plot *p)
{
    cb_plot_frame f;
    memset(&f, 0, sizeof f);
    axis_ticks(p, 0, &p->x, &f.x);
    axis_ticks(p, 1, &p->y, &f.y);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    layout(cr, &f);
    grid(cr, &f);
    cairo_save(cr);
    cairo_rectangle(cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
    cairo_clip(cr);
    for (int k = 0; k < p->n_series; k++)
        cb_plot_draw_series(cr, &p->s[k], &f);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
    cairo_stroke(cr);
    tick_labels(cr, &f);
    axis_labels(cr, p, &f);
    legend(cr, p, &f);
    title(cr, p, &f);
}
