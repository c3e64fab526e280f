/* lemma plots: an immutable figure (axes, series, labels) that renders to SVG
 * (our own writer), PNG and PDF (cairo, loaded on first use) and Unicode braille
 * for the terminal. A plot value is an lm_obj of kind LM_PLOT; builders work on
 * a fresh figure (refcnt 1) and then hand it out, after which it is never
 * written again (title(p, ...) copies). */
#ifndef LEMMA_PLOT_H
#define LEMMA_PLOT_H

#include "lemma/core.h"

/* Colours are 0xRRGGBB. LM_PLOT_AUTO picks the next colour of the palette
 * (Okabe–Ito, safe for colour-blind readers); LM_PLOT_NONE draws nothing. */
#define LM_PLOT_AUTO 0xFF000000u
#define LM_PLOT_NONE 0xFE000000u
#define LM_PLOT_NPALETTE 7
uint32_t lm_plot_palette(int i); /* i-th palette colour (wraps) */
uint32_t lm_plot_colormap(double t); /* viridis, t in [0, 1] */

typedef enum lm_series_kind {
    LM_SER_LINE,     /* x, y; NaN in either breaks the line */
    LM_SER_SCATTER,  /* x, y markers */
    LM_SER_STEP,     /* x, y drawn as a staircase (post) */
    LM_SER_BAR,      /* bars centred at x, height y, width `width` (data units) */
    LM_SER_AREA,     /* filled between (x, y) and (x, y2) */
    LM_SER_CONTOUR,  /* z on a grid: level lines */
    LM_SER_CONTOURF, /* z on a grid: filled bands */
    LM_SER_HEATMAP,  /* z on a grid of cells, row 1 on top */
    LM_SER_ARROWS,   /* arrows from (x, y) by (u, v); scale 0: fit the grid (quiver) */
    LM_SER_TEXT,     /* text at (x[0], y[0]) */
    LM_SER_POLYGON,  /* closed polygon through (x, y), filled at `alpha` and outlined */
} lm_series_kind;

typedef struct lm_series {
    lm_series_kind kind;
    char *label;       /* legend entry or NULL */
    uint32_t color;    /* LM_PLOT_AUTO: palette */
    uint32_t fill;     /* AREA, BAR: fill colour (AUTO: the colour) */
    double alpha;      /* fill opacity */
    double width;      /* line width in px at 600×400 (0: default); BAR: bar width */
    int dash;          /* 0 solid, 1 dashed, 2 dotted */
    double marker;     /* marker radius in px (SCATTER; LINE: 0 none) */
    size_t n;
    double *x, *y, *y2, *u, *v; /* owned, n each (y2: AREA; u, v: ARROWS) */
    double scale;      /* ARROWS: data units per unit of (u, v); 0 auto */
    /* grids (CONTOUR, CONTOURF, HEATMAP): z is ny rows × nx columns, row-major;
     * z[j*nx + i] is at x = x0 + i*(x1-x0)/(nx-1), y = y0 + j*(y1-y0)/(ny-1)
     * (HEATMAP: cell (j, i) is centred at column i+1, row j+1). */
    size_t nx, ny;
    double *z;
    double x0, x1, y0, y1;
    size_t nlevels;
    double *levels;    /* CONTOUR(F): ascending; NULL: nice levels */
    bool label_levels; /* CONTOUR: write the level on each line */
    char *text;        /* TEXT */
    int anchor;        /* TEXT: -1 left, 0 centre, 1 right */
} lm_series;

typedef struct lm_plot {
    lm_obj hdr;        /* kind LM_PLOT */
    char *title, *xlabel, *ylabel;
    char *desc;        /* what the placeholder names: "sin(x) on [-3.14, 3.14]" */
    char *note;        /* a result printed in the figure ("P(-1 < X < 1) = 0.6827") */
    double xlim[2], ylim[2]; /* NaN: from the data */
    bool equal;        /* equal aspect: one unit is as long on both axes */
    bool grid;         /* light grid lines at the ticks */
    bool legend;       /* draw a legend of the labelled series */
    bool yflip;        /* y grows downwards (heatmaps: row 1 on top) */
    bool xint, yint;   /* ticks at whole numbers only */
    bool colorbar;     /* for CONTOURF and HEATMAP */
    /* log10 scales: ticks at powers of ten; a coordinate <= 0 on a log axis is
     * not drawn (like NaN, it breaks a line); the builders say so in `note` */
    bool xlog, ylog;
    bool noaxes;       /* no frame, ticks or grid (diagrams such as a network) */
    size_t n, cap;
    lm_series *s;
    /* a grid of panels (subplots): when nsub > 0 the figure is these plots,
     * `cols` to a row, each drawn in its own cell; the series above are unused */
    size_t nsub;
    int cols;
    struct lm_plot **sub; /* each holds a reference */
} lm_plot;

static inline lm_plot *lm_plot_of(lm_value v) { return (lm_plot *)v.u.obj; }

/* A new empty figure (+1, refcnt 1, grid on, limits from the data). */
lm_plot *lm_plot_new(void);
/* A deep copy (+1) that may be changed: for title(p, ...) on a shared value. */
lm_plot *lm_plot_clone(const lm_plot *p);
static inline lm_value lm_plot_value(lm_plot *p) { return lm_obj_value(&p->hdr); } /* takes p */
void lm_plot_release(lm_plot *p);
/* Sets a string field (title, desc...): frees the old one, copies s (NULL clears). */
void lm_plot_set_str(char **field, const char *s);

/* Series builders: copy the data, return the new series (owned by p, valid until
 * the next add) for further styling. Lengths are limited by LM_MAX_ELEMS; the
 * caller checks sizes before. */
lm_series *lm_plot_add_xy(lm_plot *p, lm_series_kind kind, const double *x, const double *y, size_t n);
lm_series *lm_plot_add_area(lm_plot *p, const double *x, const double *y, const double *y2, size_t n);
lm_series *lm_plot_add_grid(lm_plot *p, lm_series_kind kind, const double *z, size_t nx, size_t ny, double x0,
                            double x1, double y0, double y1);
lm_series *lm_plot_add_arrows(lm_plot *p, const double *x, const double *y, const double *u, const double *v,
                              size_t n, double scale);
lm_series *lm_plot_add_text(lm_plot *p, double x, double y, const char *text, int anchor);
/* Sets explicit contour levels (copied, sorted). */
void lm_series_set_levels(lm_series *s, const double *levels, size_t n);

/* ---- ticks ---- */

#define LM_PLOT_MAX_TICKS 32
typedef struct lm_ticks {
    int n;
    double lo, hi;     /* the axis range after widening (degenerate input) */
    double step;
    double v[LM_PLOT_MAX_TICKS];
    char label[LM_PLOT_MAX_TICKS][24];
} lm_ticks;
/* "Nice" ticks (1, 2, 5 × 10^k) inside [lo, hi], about `target` of them, with the
 * shortest labels that tell them apart. Degenerate ranges are widened (a single
 * point v to v ± 1 or ± 10%), non-finite ends give [0, 1]; never loops. integer:
 * steps of at least 1. */
void lm_plot_ticks(double lo, double hi, int target, bool integer, lm_ticks *out);
/* Ticks for a log10 axis over [lo, hi] (lo > 0): powers of ten, every k-th
 * decade when there are more than `target`; a range inside one decade falls
 * back to the linear nice ticks. Labels "0.01", "1", "100", "1e+06". lo and hi
 * are data values; non-positive or non-finite ends give [1, 10]. */
void lm_plot_log_ticks(double lo, double hi, int target, lm_ticks *out);
/* Nice contour levels strictly inside (zmin, zmax): up to about `target`. Returns
 * the count written to out (out holds LM_PLOT_MAX_TICKS). */
int lm_plot_levels(double zmin, double zmax, int target, double *out);

/* ---- contours ---- */

/* Marching squares on z (ny×nx, row-major, grid as in lm_series) at `level`:
 * appends segments (x1, y1, x2, y2) in data units to *segs (lm_realloc'd, count in
 * *nseg). Cells with a NaN corner are skipped; saddles are split by the centre
 * value. */
void lm_contour_segments(const double *z, size_t nx, size_t ny, double x0, double x1, double y0, double y1,
                         double level, double **segs, size_t *nseg, size_t *cap);

/* ---- output ---- */

/* The data range the axes will show (after limits, padding and degenerate
 * widening), for tests and callers that place annotations. */
void lm_plot_bounds(const lm_plot *p, double *x0, double *x1, double *y0, double *y1);
/* A figure of panels laid out `cols` to a row (+1; each plot is retained). */
lm_plot *lm_plot_grid(lm_plot *const *plots, size_t n, int cols);
/* The cell (x, y, w, h) of panel k of a grid figure at width×height. */
void lm_plot_grid_cell(const lm_plot *p, size_t k, double width, double height, double cell[4]);
/* The ticks the axes will carry at this size. */
void lm_plot_axis_ticks(const lm_plot *p, int width, int height, lm_ticks *xt, lm_ticks *yt);
/* SVG 1.1 document (with <title>) of the figure at width×height px, appended to out. */
void lm_plot_svg(const lm_plot *p, int width, int height, lm_buf *out);
/* Terminal picture: cols×rows characters of braille dots, ANSI colours when
 * color; axis labels in plain text. Appends to out (lines end with '\n'). */
void lm_plot_braille(const lm_obj *plot, int cols, int rows, bool color, lm_buf *out);
/* Writes the figure to path; the format follows the extension (.svg, .png,
 * .pdf). PNG and PDF load cairo (libcairo.so.2) on first use; without it, an io
 * error says so. */
lm_status lm_plot_save(const lm_plot *p, const char *path, int width, int height, lm_err *err);
/* Reads a PNG back through cairo: its size (for tests and the gallery check). */
lm_status lm_plot_png_size(const char *path, int *width, int *height, lm_err *err);
/* The default figure size. */
#define LM_PLOT_WIDTH 600
#define LM_PLOT_HEIGHT 400

/* ---- for src/plot's backends (not for callers) ---- */

typedef struct lm_pstyle {
    uint32_t fill;     /* LM_PLOT_NONE: no fill */
    double fill_alpha;
    uint32_t stroke;   /* LM_PLOT_NONE: no outline */
    double width;
    int dash;
} lm_pstyle;

/* A drawing surface in its own units (px for SVG and cairo, dots for braille).
 * paths: nsub sub-paths, lens[k] points each, xy = x0 y0 x1 y1 ... */
typedef struct lm_canvas {
    void *ud;
    double w, h;
    double font;       /* tick label size; the layout is measured in it */
    double (*text_width)(void *ud, const char *s, double size);
    void (*path)(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st);
    void (*circle)(void *ud, double cx, double cy, double r, const lm_pstyle *st);
    /* anchor -1 left, 0 centre, 1 right; y is the baseline; rotated: read upwards */
    void (*text)(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated,
                 uint32_t color, bool bold);
    void (*clip)(void *ud, double x, double y, double w, double h); /* w = 0: clipping off */
} lm_canvas;

LM_INTERNAL void lm_plot_render(const lm_plot *p, lm_canvas *cv);
/* Width of s in px for a sans-serif face at `size` px (a table of DejaVu Sans
 * advances; SVG and cairo lay out with the same numbers). */
LM_INTERNAL double lm_plot_text_width(const char *s, double size);
LM_INTERNAL lm_status lm_plot_cairo_save(const lm_plot *p, const char *path, bool pdf, int width, int height,
                                         lm_err *err);

#endif
