/* core/report/plot.h: a small 2-D chart drawn with cairo, saved as SVG and PNG: a title, a
 * legend row, a framed plot area with grid lines, nice ticks (log or linear per axis), axis
 * labels, and series drawn as points, lines or steps. Text uses cairo's toy API (sans-serif).
 * The caller puts data in display units (ms, %), so the plot knows nothing of metrics. */
#ifndef CB_CORE_REPORT_PLOT_H
#define CB_CORE_REPORT_PLOT_H

#include "report/ticks.h"

#include <cairo.h>
#include <stddef.h>

typedef struct cb_rgb {
    double r, g, b;
} cb_rgb;

enum { CB_MARK_NONE, CB_MARK_DOT, CB_MARK_RING, CB_MARK_STAR, CB_MARK_CROSS, CB_MARK_DIAMOND };
enum { CB_DRAW_POINTS = 1, CB_DRAW_LINE = 2, CB_DRAW_STEPS = 4 }; /* flags */

typedef struct cb_series {
    const char *name;     /* legend text; NULL keeps it out of the legend */
    const double *x, *y;  /* n points; a point that cannot be shown (NaN, <= 0 on log) is skipped */
    size_t n;
    int draw;             /* CB_DRAW_* flags */
    int mark;             /* CB_MARK_* for points */
    double size;          /* mark radius, px */
    cb_rgb color;
    double alpha;         /* fill opacity of marks */
} cb_series;

typedef struct cb_plot_axis {
    const char *label;
    int log;              /* -1: decide from the data (cb_ticks_want_log), 0 linear, 1 log */
    int tight;            /* 1: no padding around the data (counts: 0..n, not -50..350) */
} cb_plot_axis;

#define CB_PLOT_MAX_SERIES 6
#define CB_PLOT_W 720.0  /* logical size; the PNG is drawn at twice this for sharp text */
#define CB_PLOT_H 480.0

typedef struct cb_plot {
    const char *title;
    const char *note;     /* small grey text ending the legend row; NULL: none */
    cb_plot_axis x, y;
    cb_series s[CB_PLOT_MAX_SERIES];
    int n_series;
} cb_plot;

/* The plot area on the canvas and its axes, once the data has chosen them. */
typedef struct cb_plot_frame {
    double left, top, right, bottom;
    cb_ticks x, y;
} cb_plot_frame;

/* Canvas position of data point (x, y); 0 when it cannot be shown. */
int cb_plot_map(const cb_plot_frame *f, double x, double y, double *px, double *py);

/* Draws the chart on cr in a CB_PLOT_W x CB_PLOT_H box at the origin. */
void cb_plot_draw(cairo_t *cr, const cb_plot *p);

/* Draws one series' lines and marks inside the frame (plot_marks.c). */
void cb_plot_draw_series(cairo_t *cr, const cb_series *s, const cb_plot_frame *f);
/* A legend sample of s, centred at (x, y). */
void cb_plot_draw_mark(cairo_t *cr, const cb_series *s, double x, double y);

/* Writes the chart to svg_path and png_path (either may be NULL). 0, or -1 with err set. */
int cb_plot_save(const cb_plot *p, const char *svg_path, const char *png_path, char *err, size_t len);

#endif
