/* Layout and drawing of a figure onto an abstract canvas: margins measured
 * from the labels, nice ticks that do not overlap, grid, series, legend in the
 * emptiest corner, colour bar, title and axis labels. SVG, cairo and braille all
 * come through here, so the three show the same figure. Sizes are in units of
 * the canvas's tick font (em), so the same layout works for 600×400 px and for
 * a terminal of braille dots. */
#include "lemma/plot.h"
#include "lemma/limits.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define GRID_COLOR 0xE5E5E5
#define ZERO_COLOR 0xB8B8B8
#define FRAME_COLOR 0x404040
#define TEXT_COLOR 0x222222

/* DejaVu Sans advance widths (units of the font size), by character class: close
 * enough that labels measured here neither collide nor leave gaps. */
double lm_plot_text_width(const char *s, double size) {
    double w = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        unsigned char ch = *c;
        if ((ch & 0xC0) == 0x80) continue; /* UTF-8 continuation byte */
        if (ch >= '0' && ch <= '9') w += 0.636;
        else if (strchr("il.,:;'|!", ch)) w += 0.28;
        else if (strchr("fjrt()[] -", ch)) w += 0.37;
        else if (ch == 'm' || ch == 'w') w += 0.92;
        else if (ch == 'M' || ch == 'W') w += 0.96;
        else if (ch >= 'A' && ch <= 'Z') w += 0.70;
        else if (ch >= 'a' && ch <= 'z') w += 0.60;
        else if (ch >= 0x80) w += 0.70;
        else w += 0.65;
    }
    return w * size;
}

typedef struct frame {
    double px, py, pw, ph; /* plot area on the canvas */
    double x0, x1, y0, y1; /* data range (log10 of it on a log axis) */
    bool yflip, xlog, ylog;
} frame;

/* Axis coordinates: log10 on a log axis, where a value <= 0 becomes NaN and is
 * then skipped like any missing value. */
static double TX(const frame *f, double x) { return f->xlog ? (x > 0 ? log10(x) : NAN) : x; }
static double TY(const frame *f, double y) { return f->ylog ? (y > 0 ? log10(y) : NAN) : y; }
static bool fx(const frame *f, double x) { return isfinite(TX(f, x)); }
static bool fy(const frame *f, double y) { return isfinite(TY(f, y)); }

static double X(const frame *f, double x) { return f->px + (TX(f, x) - f->x0) / (f->x1 - f->x0) * f->pw; }
static double Y(const frame *f, double y) {
    double t = (TY(f, y) - f->y0) / (f->y1 - f->y0) * f->ph;
    return f->yflip ? f->py + t : f->py + f->ph - t;
}
/* Far outside points are pulled in so a backend never sees 1e300 px (the clip
 * hides them anyway); the direction of a steep line is kept well enough. */
static double clampc(double v, double lo, double span) {
    double m = 4 * span + 100;
    if (v < lo - m) return lo - m;
    if (v > lo + span + m) return lo + span + m;
    return v;
}
static double PX(const frame *f, double x) { return clampc(X(f, x), f->px, f->pw); }
static double PY(const frame *f, double y) { return clampc(Y(f, y), f->py, f->ph); }

/* A growable list of sub-paths. */
typedef struct pathbuf {
    double *xy;
    size_t n, cap;     /* points */
    size_t *lens;
    size_t nsub, capsub;
    size_t open;       /* points in the sub-path being built */
} pathbuf;

static void pb_point(pathbuf *b, double x, double y) {
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->xy = lm_realloc(b->xy, b->cap * 2 * sizeof *b->xy);
    }
    b->xy[2 * b->n] = x;
    b->xy[2 * b->n + 1] = y;
    b->n++;
    b->open++;
}

static void pb_end(pathbuf *b) {
    if (!b->open) return;
    if (b->nsub == b->capsub) {
        b->capsub = b->capsub ? 2 * b->capsub : 64;
        b->lens = lm_realloc(b->lens, b->capsub * sizeof *b->lens);
    }
    b->lens[b->nsub++] = b->open;
    b->open = 0;
}

static void pb_free(pathbuf *b) {
    lm_free(b->xy);
    lm_free(b->lens);
    memset(b, 0, sizeof *b);
}

static void pb_draw(lm_canvas *cv, pathbuf *b, bool closed, const lm_pstyle *st) {
    pb_end(b);
    if (b->nsub) cv->path(cv->ud, b->xy, b->lens, b->nsub, closed, st);
}

static lm_pstyle stroke_style(uint32_t color, double width, int dash) {
    lm_pstyle st = {LM_PLOT_NONE, 1, color, width, dash};
    return st;
}
static lm_pstyle fill_style(uint32_t color, double alpha) {
    lm_pstyle st = {color, alpha, LM_PLOT_NONE, 0, 0};
    return st;
}

static void rect(lm_canvas *cv, double x, double y, double w, double h, const lm_pstyle *st) {
    double xy[8] = {x, y, x + w, y, x + w, y + h, x, y + h};
    size_t len = 4;
    cv->path(cv->ud, xy, &len, 1, true, st);
}

static void segment(lm_canvas *cv, double ax, double ay, double bx, double by, const lm_pstyle *st) {
    double xy[4] = {ax, ay, bx, by};
    size_t len = 2;
    cv->path(cv->ud, xy, &len, 1, false, st);
}

/* ---- grids: z range and contour levels ---- */

static void zrange(const lm_series *s, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < s->nx * s->ny; i++) {
        if (!isfinite(s->z[i])) continue;
        if (s->z[i] < *lo) *lo = s->z[i];
        if (s->z[i] > *hi) *hi = s->z[i];
    }
}

static int series_levels(const lm_series *s, double *lv) {
    if (s->levels) {
        int n = 0;
        for (size_t i = 0; i < s->nlevels && n < LM_PLOT_MAX_TICKS; i++) lv[n++] = s->levels[i];
        return n;
    }
    double lo, hi;
    zrange(s, &lo, &hi);
    return lm_plot_levels(lo, hi, 9, lv);
}

/* ---- series ---- */

static double lw(const lm_canvas *cv, const lm_series *s, double dflt) {
    return (s->width > 0 ? s->width : dflt) * cv->font / 12;
}

static void draw_line(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    pathbuf b = {0};
    for (size_t i = 0; i < s->n; i++) {
        if (!fx(f, s->x[i]) || !fy(f, s->y[i])) {
            pb_end(&b);
            continue;
        }
        double x = PX(f, s->x[i]), y = PY(f, s->y[i]);
        if (s->kind == LM_SER_STEP && b.open) pb_point(&b, x, b.xy[2 * b.n - 1]);
        pb_point(&b, x, y);
    }
    lm_pstyle st = stroke_style(color, lw(cv, s, 1.8), s->dash);
    pb_draw(cv, &b, false, &st);
    pb_free(&b);
    if (s->marker > 0) {
        lm_pstyle m = {color, 1, 0xFFFFFF, 0.8 * cv->font / 12, 0};
        for (size_t i = 0; i < s->n; i++)
            if (fx(f, s->x[i]) && fy(f, s->y[i]))
                cv->circle(cv->ud, PX(f, s->x[i]), PY(f, s->y[i]), s->marker * cv->font / 12, &m);
    }
}

static void draw_scatter(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    lm_pstyle m = {color, s->alpha, LM_PLOT_NONE, 0, 0};
    double r = (s->marker > 0 ? s->marker : 3) * cv->font / 12;
    for (size_t i = 0; i < s->n; i++)
        if (fx(f, s->x[i]) && fy(f, s->y[i])) cv->circle(cv->ud, PX(f, s->x[i]), PY(f, s->y[i]), r, &m);
}

static void draw_area(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    pathbuf b = {0};
    size_t i = 0;
    while (i < s->n) {
        while (i < s->n && !(fx(f, s->x[i]) && fy(f, s->y[i]) && fy(f, s->y2[i]))) i++;
        size_t j = i;
        while (j < s->n && fx(f, s->x[j]) && fy(f, s->y[j]) && fy(f, s->y2[j])) j++;
        if (j - i >= 2) {
            for (size_t k = i; k < j; k++) pb_point(&b, PX(f, s->x[k]), PY(f, s->y[k]));
            for (size_t k = j; k-- > i;) pb_point(&b, PX(f, s->x[k]), PY(f, s->y2[k]));
            pb_end(&b);
        }
        i = j;
    }
    lm_pstyle st = fill_style(s->fill == LM_PLOT_AUTO ? color : s->fill, s->alpha);
    pb_draw(cv, &b, true, &st);
    pb_free(&b);
}

static void draw_polygon(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    pathbuf b = {0};
    for (size_t i = 0; i < s->n; i++)
        if (fx(f, s->x[i]) && fy(f, s->y[i])) pb_point(&b, PX(f, s->x[i]), PY(f, s->y[i]));
    lm_pstyle st = {s->fill == LM_PLOT_AUTO ? color : s->fill, s->alpha, color, lw(cv, s, 1.2), s->dash};
    if (b.open >= 3) pb_draw(cv, &b, true, &st);
    pb_free(&b);
}

static void draw_bars(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    double w = s->width > 0 ? s->width : 0.8;
    lm_pstyle st = {s->fill == LM_PLOT_AUTO ? color : s->fill, s->alpha, 0xFFFFFF, 0.6 * cv->font / 12, 0};
    for (size_t i = 0; i < s->n; i++) {
        if (!fx(f, s->x[i]) || !fy(f, s->y[i])) continue;
        double xa = PX(f, s->x[i] - w / 2), xb = PX(f, s->x[i] + w / 2);
        /* on a log axis a bar rises from the bottom of the frame (0 is not on it) */
        double ya = f->ylog ? f->py + (f->yflip ? 0 : f->ph) : PY(f, 0), yb = PY(f, s->y[i]);
        if (!isfinite(xa) || !isfinite(xb)) continue;
        rect(cv, fmin(xa, xb), fmin(ya, yb), fabs(xb - xa), fabs(yb - ya), &st);
    }
}

static void draw_contour(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color, bool colormap) {
    double lv[LM_PLOT_MAX_TICKS];
    int nl = series_levels(s, lv);
    double *segs = NULL;
    size_t cap = 0;
    for (int k = 0; k < nl; k++) {
        size_t nseg = 0;
        lm_contour_segments(s->z, s->nx, s->ny, s->x0, s->x1, s->y0, s->y1, lv[k], &segs, &nseg, &cap);
        if (!nseg) continue;
        pathbuf b = {0};
        size_t best = 0;
        double bestd = -1;
        for (size_t i = 0; i < nseg; i++) {
            double *g = segs + 4 * i;
            pb_point(&b, PX(f, g[0]), PY(f, g[1]));
            pb_point(&b, PX(f, g[2]), PY(f, g[3]));
            pb_end(&b);
            /* the label goes where the line is farthest from the frame */
            double mx = (X(f, g[0]) + X(f, g[2])) / 2, my = (Y(f, g[1]) + Y(f, g[3])) / 2;
            double d = fmin(fmin(mx - f->px, f->px + f->pw - mx), fmin(my - f->py, f->py + f->ph - my));
            /* spread the labels of different levels along the lines */
            d -= fabs(mx - (f->px + f->pw * (0.25 + 0.5 * (k + 0.5) / nl))) * 0.5;
            if (d > bestd) {
                bestd = d;
                best = i;
            }
        }
        uint32_t c = colormap ? lm_plot_colormap(0.85 * (k + 0.5) / nl) : color;
        lm_pstyle st = stroke_style(c, lw(cv, s, 1.4), s->dash);
        pb_draw(cv, &b, false, &st);
        pb_free(&b);
        if (s->label_levels && bestd > cv->font) {
            double *g = segs + 4 * best;
            char lab[32];
            snprintf(lab, sizeof lab, "%.4g", lv[k]);
            double mx = (X(f, g[0]) + X(f, g[2])) / 2, my = (Y(f, g[1]) + Y(f, g[3])) / 2;
            double tw = lm_plot_text_width(lab, cv->font * 0.85);
            lm_pstyle bg = fill_style(0xFFFFFF, 0.85);
            rect(cv, mx - tw / 2 - 2, my - cv->font * 0.55, tw + 4, cv->font * 1.1, &bg);
            cv->text(cv->ud, mx, my + cv->font * 0.3, lab, cv->font * 0.85, 0, false, c, false);
        }
    }
    lm_free(segs);
}

/* Filled contours: a cell whose four corners lie in one band joins a run of
 * such cells along its row (one rectangle per run); a cell that a level crosses
 * is cut into two triangles, and each triangle into the polygon of every band it
 * meets (z is linear on a triangle, so each piece is convex). */
typedef struct vtx {
    double x, y, z;
} vtx;

static int clip_poly(const vtx *in, int n, double level, bool keep_above, vtx *out) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        const vtx *a = &in[i], *b = &in[(i + 1) % n];
        bool ia = keep_above ? a->z >= level : a->z < level;
        bool ib = keep_above ? b->z >= level : b->z < level;
        if (ia) out[m++] = *a;
        if (ia != ib) {
            double t = (level - a->z) / (b->z - a->z);
            out[m++] = (vtx){a->x + t * (b->x - a->x), a->y + t * (b->y - a->y), level};
        }
    }
    return m;
}

static int band_of(const double *lv, int nl, double z) {
    int lo = 0, hi = nl; /* count of levels <= z */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (lv[mid] <= z) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void draw_contourf(lm_canvas *cv, const frame *f, const lm_series *s) {
    double lv[LM_PLOT_MAX_TICKS];
    int nl = series_levels(s, lv);
    int nb = nl + 1;
    size_t nx = s->nx, ny = s->ny;
    if (nx < 2 || ny < 2) return;
    pathbuf *band = lm_calloc((size_t)nb, sizeof *band);
    double dx = (s->x1 - s->x0) / (double)(nx - 1), dy = (s->y1 - s->y0) / (double)(ny - 1);
    for (size_t j = 0; j + 1 < ny; j++) {
        double ya = PY(f, s->y0 + dy * (double)j), yb = PY(f, s->y0 + dy * (double)(j + 1));
        long run_band = -1;
        size_t run_start = 0;
        for (size_t i = 0; i + 1 <= nx; i++) {
            long cb = -2; /* -2: mixed or NaN */
            const double *z = s->z;
            double a = 0, b = 0, c = 0, d = 0;
            if (i + 1 < nx) {
                a = z[j * nx + i], b = z[j * nx + i + 1], c = z[(j + 1) * nx + i + 1], d = z[(j + 1) * nx + i];
                if (!isnan(a) && !isnan(b) && !isnan(c) && !isnan(d)) {
                    int ba = band_of(lv, nl, a);
                    if (ba == band_of(lv, nl, b) && ba == band_of(lv, nl, c) && ba == band_of(lv, nl, d)) cb = ba;
                    else cb = -3;
                }
            }
            if (cb != run_band) {
                if (run_band >= 0) {
                    pathbuf *pb = &band[run_band];
                    double xa = PX(f, s->x0 + dx * (double)run_start), xb = PX(f, s->x0 + dx * (double)i);
                    pb_point(pb, xa, ya);
                    pb_point(pb, xb, ya);
                    pb_point(pb, xb, yb);
                    pb_point(pb, xa, yb);
                    pb_end(pb);
                }
                run_band = cb >= 0 ? cb : -1;
                run_start = i;
            }
            if (cb != -3) continue;
            double cx = s->x0 + dx * (double)i, cy = s->y0 + dy * (double)j;
            vtx tri[2][3] = {{{cx, cy, a}, {cx + dx, cy, b}, {cx + dx, cy + dy, c}},
                             {{cx, cy, a}, {cx + dx, cy + dy, c}, {cx, cy + dy, d}}};
            for (int t = 0; t < 2; t++) {
                double zmin = fmin(tri[t][0].z, fmin(tri[t][1].z, tri[t][2].z));
                double zmax = fmax(tri[t][0].z, fmax(tri[t][1].z, tri[t][2].z));
                int b0 = band_of(lv, nl, zmin), b1 = band_of(lv, nl, zmax);
                for (int k = b0; k <= b1; k++) {
                    vtx p1[8], p2[12];
                    int m = 3;
                    memcpy(p1, tri[t], sizeof tri[t]);
                    if (k > 0) m = clip_poly(p1, m, lv[k - 1], true, p2), memcpy(p1, p2, (size_t)m * sizeof *p1);
                    if (k < nl) m = clip_poly(p1, m, lv[k], false, p2), memcpy(p1, p2, (size_t)m * sizeof *p1);
                    if (m < 3) continue;
                    for (int q = 0; q < m; q++) pb_point(&band[k], PX(f, p1[q].x), PY(f, p1[q].y));
                    pb_end(&band[k]);
                }
            }
        }
    }
    for (int k = 0; k < nb; k++) {
        uint32_t c = lm_plot_colormap(nb > 1 ? (double)k / (nb - 1) : 0.5);
        /* a hairline of the same colour hides the seams anti-aliasing leaves
         * between neighbouring pieces */
        lm_pstyle st = {c, 1, c, 0.5 * cv->font / 12, 0};
        pb_draw(cv, &band[k], true, &st);
        pb_free(&band[k]);
    }
    lm_free(band);
}

static double luminance(uint32_t c) {
    return 0.299 * ((c >> 16) & 255) + 0.587 * ((c >> 8) & 255) + 0.114 * (c & 255);
}

static void draw_heatmap(lm_canvas *cv, const frame *f, const lm_series *s) {
    double lo, hi;
    zrange(s, &lo, &hi);
    bool values = s->nx <= 12 && s->ny <= 12;
    for (size_t j = 0; j < s->ny; j++) {
        for (size_t i = 0; i < s->nx; i++) {
            double z = s->z[j * s->nx + i];
            uint32_t c = !isfinite(z) ? 0xDDDDDD : hi > lo ? lm_plot_colormap((z - lo) / (hi - lo)) : lm_plot_colormap(0.5);
            double xa = PX(f, (double)i + 0.5), xb = PX(f, (double)i + 1.5);
            double ya = PY(f, (double)j + 0.5), yb = PY(f, (double)j + 1.5);
            lm_pstyle st = {c, 1, c, 0.4 * cv->font / 12, 0};
            rect(cv, fmin(xa, xb), fmin(ya, yb), fabs(xb - xa), fabs(yb - ya), &st);
            if (values) {
                char lab[40];
                lm_fmt_double_sig(lab, z, 3);
                double fs = cv->font * 0.9;
                if (lm_plot_text_width(lab, fs) < fabs(xb - xa) * 0.95 && fs < fabs(yb - ya))
                    cv->text(cv->ud, (xa + xb) / 2, (ya + yb) / 2 + fs * 0.35, lab, fs, 0, false,
                             luminance(c) > 128 ? 0x000000 : 0xFFFFFF, false);
            }
        }
    }
}

static void draw_arrows(lm_canvas *cv, const frame *f, const lm_series *s, uint32_t color) {
    double sc = s->scale;
    if (!(sc > 0)) {
        /* quiver: the longest arrow spans 90% of the spacing between the points */
        double umax = 0;
        for (size_t i = 0; i < s->n; i++)
            if (isfinite(s->u[i]) && isfinite(s->v[i])) umax = fmax(umax, hypot(s->u[i], s->v[i]));
        double spacing = sqrt((f->x1 - f->x0) * (f->y1 - f->y0) / (double)(s->n ? s->n : 1));
        sc = umax > 0 ? 0.9 * spacing / umax : 1;
    }
    double w = lw(cv, s, 1.6);
    lm_pstyle line = stroke_style(color, w, s->dash), head = fill_style(color, 1);
    for (size_t i = 0; i < s->n; i++) {
        if (!fx(f, s->x[i]) || !fy(f, s->y[i]) || !isfinite(s->u[i]) || !isfinite(s->v[i])) continue;
        double ax = PX(f, s->x[i]), ay = PY(f, s->y[i]);
        double bx = PX(f, s->x[i] + sc * s->u[i]), by = PY(f, s->y[i] + sc * s->v[i]);
        double len = hypot(bx - ax, by - ay);
        if (len < 1e-9) continue;
        double hl = fmin(len * 0.4, w * 5 + 3), ux = (bx - ax) / len, uy = (by - ay) / len;
        double hw = hl * 0.45;
        segment(cv, ax, ay, bx - ux * hl * 0.8, by - uy * hl * 0.8, &line);
        double tri[6] = {bx, by, bx - ux * hl - uy * hw, by - uy * hl + ux * hw, bx - ux * hl + uy * hw,
                         by - uy * hl - ux * hw};
        size_t three = 3;
        cv->path(cv->ud, tri, &three, 1, true, &head);
    }
}

/* ---- layout ---- */

typedef struct layout {
    frame f;
    lm_ticks xt, yt;
    double em;
    /* colour bar */
    const lm_series *cbs;
    lm_ticks ct;
    double cb_lo, cb_hi;
    int cb_nl;
    double cb_lv[LM_PLOT_MAX_TICKS];
} layout;

static double max_label_width(const lm_ticks *t, double size) {
    double w = 0;
    for (int i = 0; i < t->n; i++) w = fmax(w, lm_plot_text_width(t->label[i], size));
    return w;
}

static bool xticks_fit(const lm_ticks *t, const frame *f, double em) {
    /* neighbouring labels keep at least 1.2 em apart */
    for (int i = 1; i < t->n; i++) {
        double a = X(f, t->v[i - 1]) + lm_plot_text_width(t->label[i - 1], em) / 2;
        double b = X(f, t->v[i]) - lm_plot_text_width(t->label[i], em) / 2;
        if (b - a < 1.2 * em) return false;
    }
    return true;
}

/* Ticks of one axis: tick values are data values on either scale. */
static void axis_ticks(const frame *f, bool yaxis, int target, bool integer, lm_ticks *t) {
    bool lg = yaxis ? f->ylog : f->xlog;
    double a = yaxis ? f->y0 : f->x0, b = yaxis ? f->y1 : f->x1;
    if (lg) lm_plot_log_ticks(pow(10, a), pow(10, b), target, t);
    else lm_plot_ticks(a, b, target, integer, t);
}

static void make_ticks(const frame *f, bool xint, bool yint, double em, lm_ticks *xt, lm_ticks *yt) {
    int ty = (int)(f->ph / (3.2 * em));
    axis_ticks(f, true, ty, yint, yt);
    for (int target = (int)(f->pw / (3.5 * em)); target >= 1; target--) {
        axis_ticks(f, false, target, xint, xt);
        if (xticks_fit(xt, f, em)) break;
    }
}

static void do_layout(const lm_plot *p, const lm_canvas *cv, layout *L) {
    memset(L, 0, sizeof *L);
    double em = cv->font;
    L->em = em;
    frame *f = &L->f;
    lm_plot_bounds(p, &f->x0, &f->x1, &f->y0, &f->y1);
    f->yflip = p->yflip;
    f->xlog = p->xlog;
    f->ylog = p->ylog;
    /* lm_plot_bounds keeps log ranges positive */
    if (f->xlog) f->x0 = log10(f->x0), f->x1 = log10(f->x1);
    if (f->ylog) f->y0 = log10(f->y0), f->y1 = log10(f->y1);
    for (size_t k = 0; k < p->n && p->colorbar; k++)
        if (p->s[k].kind == LM_SER_CONTOURF || p->s[k].kind == LM_SER_HEATMAP) L->cbs = &p->s[k];
    double cbw = 0;
    if (L->cbs) {
        zrange(L->cbs, &L->cb_lo, &L->cb_hi);
        if (!(L->cb_lo <= L->cb_hi)) L->cb_lo = 0, L->cb_hi = 1;
        if (L->cbs->kind == LM_SER_CONTOURF) L->cb_nl = series_levels(L->cbs, L->cb_lv);
        lm_plot_ticks(L->cb_lo, L->cb_hi, 6, false, &L->ct);
        if (L->cbs->kind == LM_SER_CONTOURF) {
            L->ct.n = L->cb_nl;
            for (int i = 0; i < L->cb_nl; i++) {
                L->ct.v[i] = L->cb_lv[i];
                snprintf(L->ct.label[i], sizeof L->ct.label[i], "%.4g", L->cb_lv[i]);
            }
        }
        cbw = 1.0 * em + 1.0 * em + 0.5 * em + max_label_width(&L->ct, em);
    }
    double top = 0.9 * em + (p->title ? 2.0 * em : 0);
    if (p->noaxes) {
        /* a diagram: no tick labels to make room for */
        f->px = 1.2 * em;
        f->py = top;
        f->pw = fmax(cv->w - 2.4 * em, 1);
        f->ph = fmax(cv->h - top - 1.2 * em, 1);
        return;
    }
    double bottom = 0.4 * em + 0.4 * em + 1.0 * em + (p->xlabel ? 1.7 * em : 0) + 0.5 * em;
    double right = 1.2 * em + cbw;
    f->py = top;
    f->ph = cv->h - top - bottom;
    double left = 0;
    for (int pass = 0; pass < 3; pass++) {
        lm_ticks yt;
        axis_ticks(f, true, (int)(f->ph / (3.2 * em)), p->yint, &yt);
        double need = 0.6 * em + (p->ylabel ? 1.7 * em : 0) + max_label_width(&yt, em) + 0.4 * em + 0.4 * em;
        if (need <= left && pass > 0) break;
        left = fmax(left, need);
        f->px = left;
        f->pw = cv->w - left - right;
        if (f->pw < 4 * em) f->pw = fmax(cv->w - left - right, 1);
        if (f->ph < 1) f->ph = 1;
        if (p->equal && !f->xlog && !f->ylog) {
            /* widen whichever range is short so one unit is as long on both axes */
            double sx = f->pw / (f->x1 - f->x0), sy = f->ph / (f->y1 - f->y0);
            if (sx > sy) {
                double c = (f->x0 + f->x1) / 2, half = f->pw / sy / 2;
                f->x0 = c - half;
                f->x1 = c + half;
            } else if (sy > sx) {
                double c = (f->y0 + f->y1) / 2, half = f->ph / sx / 2;
                f->y0 = c - half;
                f->y1 = c + half;
            }
        }
    }
    make_ticks(f, p->xint, p->yint, em, &L->xt, &L->yt);
}

void lm_plot_axis_ticks(const lm_plot *p, int width, int height, lm_ticks *xt, lm_ticks *yt) {
    lm_canvas cv = {0};
    cv.w = width;
    cv.h = height;
    cv.font = 12 * sqrt((double)width * height / (LM_PLOT_WIDTH * LM_PLOT_HEIGHT));
    layout L;
    do_layout(p, &cv, &L);
    *xt = L.xt;
    *yt = L.yt;
}

/* ---- decorations ---- */

static bool in_range(double v, double a, double b) { return v >= fmin(a, b) - 1e-9 * fabs(b - a) && v <= fmax(a, b) + 1e-9 * fabs(b - a); }

static void draw_axes(lm_canvas *cv, const lm_plot *p, const layout *L, bool grid_only) {
    const frame *f = &L->f;
    double em = L->em;
    if (p->grid && !grid_only) {
        lm_pstyle g = stroke_style(GRID_COLOR, 0.8 * em / 12, 0);
        for (int i = 0; i < L->xt.n; i++) segment(cv, X(f, L->xt.v[i]), f->py, X(f, L->xt.v[i]), f->py + f->ph, &g);
        for (int i = 0; i < L->yt.n; i++) segment(cv, f->px, Y(f, L->yt.v[i]), f->px + f->pw, Y(f, L->yt.v[i]), &g);
        /* the axes through the origin, where they are in view */
        lm_pstyle z = stroke_style(ZERO_COLOR, 1.0 * em / 12, 0);
        if (!f->xlog && f->x0 < 0 && f->x1 > 0) segment(cv, X(f, 0), f->py, X(f, 0), f->py + f->ph, &z);
        if (!f->ylog && f->y0 < 0 && f->y1 > 0) segment(cv, f->px, Y(f, 0), f->px + f->pw, Y(f, 0), &z);
    }
}

static void draw_frame(lm_canvas *cv, const lm_plot *p, const layout *L) {
    const frame *f = &L->f;
    double em = L->em, tl = 0.4 * em;
    if (p->noaxes) {
        if (p->title)
            cv->text(cv->ud, f->px + f->pw / 2, f->py - 0.8 * em, p->title, 1.25 * em, 0, false, 0x000000, true);
        return;
    }
    lm_pstyle fr = stroke_style(FRAME_COLOR, 1.0 * em / 12, 0);
    rect(cv, f->px, f->py, f->pw, f->ph, &fr);
    for (int i = 0; i < L->xt.n; i++) {
        double x = X(f, L->xt.v[i]);
        if (!in_range(TX(f, L->xt.v[i]), f->x0, f->x1)) continue;
        segment(cv, x, f->py + f->ph, x, f->py + f->ph + tl, &fr);
        cv->text(cv->ud, x, f->py + f->ph + tl + 0.3 * em + 0.8 * em, L->xt.label[i], em, 0, false, TEXT_COLOR, false);
    }
    for (int i = 0; i < L->yt.n; i++) {
        double y = Y(f, L->yt.v[i]);
        if (!in_range(TY(f, L->yt.v[i]), f->y0, f->y1)) continue;
        segment(cv, f->px - tl, y, f->px, y, &fr);
        cv->text(cv->ud, f->px - tl - 0.3 * em, y + 0.35 * em, L->yt.label[i], em, 1, false, TEXT_COLOR, false);
    }
    if (p->title)
        cv->text(cv->ud, f->px + f->pw / 2, f->py - 0.8 * em, p->title, 1.25 * em, 0, false, 0x000000, true);
    if (p->xlabel)
        cv->text(cv->ud, f->px + f->pw / 2, f->py + f->ph + tl + 0.3 * em + 0.8 * em + 1.7 * em, p->xlabel, 1.08 * em, 0,
                 false, TEXT_COLOR, false);
    if (p->ylabel)
        cv->text(cv->ud, 0.6 * em + 0.9 * em, f->py + f->ph / 2, p->ylabel, 1.08 * em, 0, true, TEXT_COLOR, false);
}

static void draw_colorbar(lm_canvas *cv, const layout *L) {
    const frame *f = &L->f;
    double em = L->em, x = f->px + f->pw + 1.0 * em, w = 1.0 * em;
    double lo = L->cb_lo, hi = L->cb_hi;
    if (L->cbs->kind == LM_SER_CONTOURF) {
        /* bands of equal height, the levels at their boundaries */
        int nb = L->cb_nl + 1;
        for (int k = 0; k < nb; k++) {
            uint32_t c = lm_plot_colormap(nb > 1 ? (double)k / (nb - 1) : 0.5);
            lm_pstyle st = {c, 1, c, 0.5, 0};
            rect(cv, x, f->py + f->ph * (1 - (double)(k + 1) / nb), w, f->ph / nb, &st);
        }
        lm_pstyle fr = stroke_style(FRAME_COLOR, em / 12, 0);
        for (int i = 0; i < L->cb_nl; i++) {
            double y = f->py + f->ph * (1 - (double)(i + 1) / nb);
            segment(cv, x + w, y, x + w + 0.3 * em, y, &fr);
            cv->text(cv->ud, x + w + 0.5 * em, y + 0.35 * em, L->ct.label[i], em, -1, false, TEXT_COLOR, false);
        }
        rect(cv, x, f->py, w, f->ph, &fr);
        return;
    }
    int slices = 64;
    for (int k = 0; k < slices; k++) {
        uint32_t c = lm_plot_colormap((k + 0.5) / slices);
        lm_pstyle st = {c, 1, c, 0.5, 0};
        rect(cv, x, f->py + f->ph * (1 - (double)(k + 1) / slices), w, f->ph / slices, &st);
    }
    lm_pstyle fr = stroke_style(FRAME_COLOR, em / 12, 0);
    rect(cv, x, f->py, w, f->ph, &fr);
    if (!(hi > lo)) return;
    for (int i = 0; i < L->ct.n; i++) {
        if (L->ct.v[i] < lo || L->ct.v[i] > hi) continue;
        double y = f->py + f->ph * (1 - (L->ct.v[i] - lo) / (hi - lo));
        segment(cv, x + w, y, x + w + 0.3 * em, y, &fr);
        cv->text(cv->ud, x + w + 0.5 * em, y + 0.35 * em, L->ct.label[i], em, -1, false, TEXT_COLOR, false);
    }
}

static size_t points_in_box(const lm_plot *p, const frame *f, double bx, double by, double bw, double bh) {
    size_t n = 0;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        if (s->kind != LM_SER_LINE && s->kind != LM_SER_SCATTER && s->kind != LM_SER_STEP && s->kind != LM_SER_AREA &&
            s->kind != LM_SER_BAR)
            continue;
        size_t stride = s->n > 2000 ? s->n / 2000 : 1;
        for (size_t i = 0; i < s->n; i += stride) {
            double x = X(f, s->x[i]), y = Y(f, s->y[i]);
            if (x >= bx && x <= bx + bw && y >= by && y <= by + bh) n++;
            if (s->kind == LM_SER_BAR && x >= bx && x <= bx + bw && by + bh >= fmin(y, Y(f, 0))) n++;
        }
    }
    return n;
}

static void draw_legend(lm_canvas *cv, const lm_plot *p, const layout *L, const uint32_t *colors) {
    const frame *f = &L->f;
    double em = L->em, fs = 0.95 * em;
    int n = 0;
    double tw = 0;
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].label) n++, tw = fmax(tw, lm_plot_text_width(p->s[k].label, fs));
    if (!n || !(p->legend || n >= 2)) return;
    double bw = tw + 3.2 * em, bh = n * 1.35 * em + 0.6 * em, pad = 0.6 * em;
    /* the corner with the fewest data points under it; top-left is the note's */
    double cx[4] = {f->px + f->pw - bw - pad, f->px + f->pw - bw - pad, f->px + pad, f->px + pad};
    double cy[4] = {f->py + pad, f->py + f->ph - bh - pad, f->py + f->ph - bh - pad, f->py + pad};
    /* the note's box (draw_note), which a legend must not cover: a long note
       reaches the top-right corner too */
    double nx1 = f->px + 0.6 * em + (p->note ? lm_plot_text_width(p->note, em) + 1.2 * em : 0);
    double ny1 = f->py + 0.6 * em + 1.6 * em;
    int best = -1;
    size_t bestn = (size_t)-1;
    for (int c = 0; c < 4; c++) {
        if (p->note && cx[c] < nx1 + 0.3 * em && cy[c] < ny1 + 0.3 * em) continue;
        size_t m = points_in_box(p, f, cx[c], cy[c], bw, bh);
        if (m < bestn) bestn = m, best = c;
    }
    double x = best >= 0 ? cx[best] : cx[0], y = best >= 0 ? cy[best] : ny1 + 0.3 * em;
    lm_pstyle box = {0xFFFFFF, 0.9, 0xCCCCCC, em / 12, 0};
    rect(cv, x, y, bw, bh, &box);
    int i = 0;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        if (!s->label) continue;
        double ly = y + 0.3 * em + (i + 0.5) * 1.35 * em + 0.3 * em;
        uint32_t c = colors[k];
        if (s->kind == LM_SER_SCATTER) {
            lm_pstyle m = fill_style(c, 1);
            cv->circle(cv->ud, x + 1.35 * em, ly, 0.3 * em, &m);
        } else if (s->kind == LM_SER_BAR || s->kind == LM_SER_AREA || s->kind == LM_SER_CONTOURF ||
                   s->kind == LM_SER_POLYGON) {
            lm_pstyle m = fill_style(s->fill == LM_PLOT_AUTO ? c : s->fill,
                                     s->kind == LM_SER_AREA || s->kind == LM_SER_POLYGON ? 0.5 : 0.85);
            rect(cv, x + 0.6 * em, ly - 0.4 * em, 1.5 * em, 0.8 * em, &m);
        } else {
            lm_pstyle m = stroke_style(c, lw(cv, s, 1.8), s->dash);
            segment(cv, x + 0.5 * em, ly, x + 2.2 * em, ly, &m);
        }
        cv->text(cv->ud, x + 2.6 * em, ly + 0.35 * fs, s->label, fs, -1, false, TEXT_COLOR, false);
        i++;
    }
}

static void draw_note(lm_canvas *cv, const lm_plot *p, const layout *L) {
    const frame *f = &L->f;
    double em = L->em, fs = 1.0 * em;
    double tw = lm_plot_text_width(p->note, fs);
    double x = f->px + 0.6 * em, y = f->py + 0.6 * em;
    lm_pstyle box = {0xFFFFFF, 0.9, 0xCCCCCC, em / 12, 0};
    rect(cv, x, y, tw + 1.2 * em, 1.6 * em, &box);
    cv->text(cv->ud, x + 0.6 * em, y + 1.15 * em, p->note, fs, -1, false, 0x000000, false);
}

/* A panel of a grid draws on its parent's canvas shifted to its cell. */
typedef struct subcv {
    lm_canvas *pa;
    double dx, dy;
    double *buf;
    size_t cap;
} subcv;

static double sc_text_width(void *ud, const char *s, double size) {
    subcv *c = ud;
    return c->pa->text_width ? c->pa->text_width(c->pa->ud, s, size) : lm_plot_text_width(s, size);
}
static void sc_path(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st) {
    subcv *c = ud;
    size_t n = 0;
    for (size_t k = 0; k < nsub; k++) n += lens[k];
    if (n > c->cap) {
        c->cap = n;
        c->buf = lm_realloc(c->buf, 2 * n * sizeof *c->buf);
    }
    for (size_t i = 0; i < n; i++) {
        c->buf[2 * i] = xy[2 * i] + c->dx;
        c->buf[2 * i + 1] = xy[2 * i + 1] + c->dy;
    }
    c->pa->path(c->pa->ud, c->buf, lens, nsub, closed, st);
}
static void sc_circle(void *ud, double cx, double cy, double r, const lm_pstyle *st) {
    subcv *c = ud;
    c->pa->circle(c->pa->ud, cx + c->dx, cy + c->dy, r, st);
}
static void sc_text(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated, uint32_t color,
                    bool bold) {
    subcv *c = ud;
    c->pa->text(c->pa->ud, x + c->dx, y + c->dy, s, size, anchor, rotated, color, bold);
}
static void sc_clip(void *ud, double x, double y, double w, double h) {
    subcv *c = ud;
    if (w == 0) c->pa->clip(c->pa->ud, 0, 0, 0, 0);
    else c->pa->clip(c->pa->ud, x + c->dx, y + c->dy, w, h);
}

static void render_grid(const lm_plot *p, lm_canvas *cv) {
    lm_pstyle bg = fill_style(0xFFFFFF, 1);
    rect(cv, 0, 0, cv->w, cv->h, &bg);
    if (p->title) cv->text(cv->ud, cv->w / 2, cv->h * 0.05, p->title, 1.25 * cv->font, 0, false, 0x000000, true);
    subcv sc = {cv, 0, 0, NULL, 0};
    for (size_t k = 0; k < p->nsub; k++) {
        double cell[4];
        lm_plot_grid_cell(p, k, cv->w, cv->h, cell);
        lm_canvas c = *cv;
        c.ud = &sc;
        c.w = cell[2];
        c.h = cell[3];
        /* smaller cells take a slightly smaller font, never below 70% */
        c.font = cv->font * fmax(0.7, fmin(1, sqrt(cell[2] * cell[3] / (cv->w * cv->h)) * 1.3));
        c.text_width = sc_text_width;
        c.path = sc_path;
        c.circle = sc_circle;
        c.text = sc_text;
        c.clip = sc_clip;
        sc.dx = cell[0];
        sc.dy = cell[1];
        lm_plot_render(p->sub[k], &c);
    }
    lm_free(sc.buf);
}

void lm_plot_render(const lm_plot *p, lm_canvas *cv) {
    if (p->nsub) {
        render_grid(p, cv);
        return;
    }
    layout L;
    do_layout(p, cv, &L);
    const frame *f = &L.f;
    lm_pstyle bg = fill_style(0xFFFFFF, 1);
    rect(cv, 0, 0, cv->w, cv->h, &bg);
    bool grid_only = false;
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].kind == LM_SER_CONTOURF || p->s[k].kind == LM_SER_HEATMAP) grid_only = true;
    if (!p->noaxes) draw_axes(cv, p, &L, grid_only);
    /* colours: the palette in series order; contour lines alone in a figure (no
     * filled bands under them) take the colour map, one colour per level */
    uint32_t *colors = lm_alloc((p->n ? p->n : 1) * sizeof *colors);
    int next = 0;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        if (s->color != LM_PLOT_AUTO) colors[k] = s->color;
        else if (s->kind == LM_SER_TEXT) colors[k] = 0x000000;
        else if (s->kind == LM_SER_CONTOUR) colors[k] = grid_only ? 0x000000 : LM_PLOT_AUTO;
        else if (s->kind == LM_SER_CONTOURF || s->kind == LM_SER_HEATMAP) colors[k] = 0;
        else colors[k] = lm_plot_palette(next++);
    }
    cv->clip(cv->ud, f->px, f->py, f->pw, f->ph);
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        switch (s->kind) {
        case LM_SER_LINE:
        case LM_SER_STEP: draw_line(cv, f, s, colors[k]); break;
        case LM_SER_SCATTER: draw_scatter(cv, f, s, colors[k]); break;
        case LM_SER_AREA: draw_area(cv, f, s, colors[k]); break;
        case LM_SER_POLYGON: draw_polygon(cv, f, s, colors[k]); break;
        case LM_SER_BAR: draw_bars(cv, f, s, colors[k]); break;
        case LM_SER_CONTOUR: draw_contour(cv, f, s, colors[k], colors[k] == LM_PLOT_AUTO); break;
        case LM_SER_CONTOURF: draw_contourf(cv, f, s); break;
        case LM_SER_HEATMAP: draw_heatmap(cv, f, s); break;
        case LM_SER_ARROWS: draw_arrows(cv, f, s, colors[k]); break;
        case LM_SER_TEXT:
            if (fx(f, s->x[0]) && fy(f, s->y[0]))
                cv->text(cv->ud, PX(f, s->x[0]), PY(f, s->y[0]), s->text, 0.95 * L.em, s->anchor, false, colors[k], false);
            break;
        }
    }
    cv->clip(cv->ud, 0, 0, 0, 0);
    draw_frame(cv, p, &L);
    if (L.cbs) draw_colorbar(cv, &L);
    draw_legend(cv, p, &L, colors);
    if (p->note) draw_note(cv, p, &L);
    lm_free(colors);
}
