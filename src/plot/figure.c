/* The figure model: the plot value (its lm_objtype: free, text placeholder,
 * JSON with the SVG inline), series builders, deep copies, nice ticks and
 * contour levels, and the data bounds the axes show. Drawing is in render.c;
 * the backends (svg.c, cairo.c, braille.c) only put shapes on a canvas. */
#include "lemma/plot.h"
#include "lemma/limits.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
 * Yellow is left out: it vanishes on a white background. */
static const uint32_t palette[LM_PLOT_NPALETTE] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7,
                                                   0xE69F00, 0x56B4E9, 0x000000};

uint32_t lm_plot_palette(int i) {
    if (i < 0) i = -i;
    return palette[i % LM_PLOT_NPALETTE];
}

/* viridis at nine stops (matplotlib's _viridis_data at 0, 1/8, ... 1); linear in
 * between is indistinguishable from the full 256-entry table at our band counts. */
static const uint32_t viridis[9] = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C,
                                    0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725};

uint32_t lm_plot_colormap(double t) {
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    double f = t * 8;
    int i = (int)f;
    if (i >= 8) return viridis[8];
    f -= i;
    uint32_t a = viridis[i], b = viridis[i + 1], out = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double ca = (a >> sh) & 255, cb = (b >> sh) & 255;
        out |= (uint32_t)lround(ca + (cb - ca) * f) << sh;
    }
    return out;
}

/* ---- the value ---- */

static void series_free(lm_series *s) {
    lm_free(s->label);
    lm_free(s->x);
    lm_free(s->y);
    lm_free(s->y2);
    lm_free(s->u);
    lm_free(s->v);
    lm_free(s->z);
    lm_free(s->levels);
    lm_free(s->text);
}

static void plot_free(lm_obj *o) {
    lm_plot *p = (lm_plot *)o;
    for (size_t i = 0; i < p->n; i++) series_free(&p->s[i]);
    lm_free(p->s);
    lm_free(p->title);
    lm_free(p->xlabel);
    lm_free(p->ylabel);
    lm_free(p->desc);
    lm_free(p->note);
    for (size_t i = 0; i < p->nsub; i++) lm_plot_release(p->sub[i]);
    lm_free(p->sub);
    lm_free(p);
}

/* Text mode prints a one-line placeholder; the REPL asks lm_plot_braille for the
 * picture when it knows the terminal's size. */
static void plot_text(const lm_obj *o, lm_buf *out, int digits) {
    (void)digits;
    const lm_plot *p = (const lm_plot *)o;
    const char *what = p->desc ? p->desc : p->title ? p->title : NULL;
    lm_buf_puts(out, "<plot");
    if (what) {
        lm_buf_puts(out, ": ");
        lm_buf_puts(out, what);
    }
    lm_buf_putc(out, '>');
}

static void json_string(lm_buf *out, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    lm_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': lm_buf_put(out, "\\\"", 2); break;
        case '\\': lm_buf_put(out, "\\\\", 2); break;
        case '\n': lm_buf_put(out, "\\n", 2); break;
        case '\r': lm_buf_put(out, "\\r", 2); break;
        case '\t': lm_buf_put(out, "\\t", 2); break;
        default:
            if (c < 0x20) {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                lm_buf_put(out, e, 6);
            } else {
                lm_buf_putc(out, (char)c);
            }
        }
    }
    lm_buf_putc(out, '"');
}

static void plot_json(const lm_obj *o, lm_buf *out) {
    const lm_plot *p = (const lm_plot *)o;
    lm_buf svg = LM_BUF_INIT;
    lm_plot_svg(p, LM_PLOT_WIDTH, LM_PLOT_HEIGHT, &svg);
    lm_buf_puts(out, "\"type\":\"plot\",\"svg\":");
    json_string(out, lm_buf_cstr(&svg), svg.len);
    lm_buf_free(&svg);
    lm_buf_puts(out, ",\"text\":");
    lm_buf t = LM_BUF_INIT;
    plot_text(o, &t, 0);
    json_string(out, lm_buf_cstr(&t), t.len);
    lm_buf_free(&t);
    if (p->note) {
        lm_buf_puts(out, ",\"note\":");
        json_string(out, p->note, strlen(p->note));
    }
}

static const lm_objtype plot_type = {"plot", plot_free, plot_text, plot_json};

lm_plot *lm_plot_new(void) {
    lm_plot *p = lm_calloc(1, sizeof *p);
    lm_obj_init(&p->hdr, LM_PLOT, &plot_type);
    p->xlim[0] = p->xlim[1] = p->ylim[0] = p->ylim[1] = NAN;
    p->grid = true;
    return p;
}

void lm_plot_release(lm_plot *p) {
    if (p) lm_obj_release(&p->hdr);
}

void lm_plot_set_str(char **field, const char *s) {
    lm_free(*field);
    *field = s ? lm_strdup(s) : NULL;
}

static double *dup_doubles(const double *a, size_t n) {
    if (!a) return NULL;
    double *d = lm_alloc((n ? n : 1) * sizeof *d);
    if (n) memcpy(d, a, n * sizeof *d);
    return d;
}

static char *dup_str(const char *s) { return s ? lm_strdup(s) : NULL; }

lm_plot *lm_plot_clone(const lm_plot *p) {
    lm_plot *q = lm_plot_new();
    lm_obj hdr = q->hdr;
    *q = *p;
    q->hdr = hdr;
    q->title = dup_str(p->title);
    q->xlabel = dup_str(p->xlabel);
    q->ylabel = dup_str(p->ylabel);
    q->desc = dup_str(p->desc);
    q->note = dup_str(p->note);
    q->cap = p->n;
    q->s = lm_alloc((p->n ? p->n : 1) * sizeof *q->s);
    for (size_t i = 0; i < p->n; i++) {
        const lm_series *a = &p->s[i];
        lm_series *b = &q->s[i];
        *b = *a;
        b->label = dup_str(a->label);
        b->text = dup_str(a->text);
        b->x = dup_doubles(a->x, a->n);
        b->y = dup_doubles(a->y, a->n);
        b->y2 = dup_doubles(a->y2, a->n);
        b->u = dup_doubles(a->u, a->n);
        b->v = dup_doubles(a->v, a->n);
        b->z = dup_doubles(a->z, a->nx * a->ny);
        b->levels = dup_doubles(a->levels, a->nlevels);
    }
    /* panels are immutable values: the copy shares them */
    q->sub = NULL;
    if (p->nsub) {
        q->sub = lm_alloc(p->nsub * sizeof *q->sub);
        for (size_t i = 0; i < p->nsub; i++) {
            lm_obj_retain(&p->sub[i]->hdr);
            q->sub[i] = p->sub[i];
        }
    }
    return q;
}

lm_plot *lm_plot_grid(lm_plot *const *plots, size_t n, int cols) {
    lm_plot *q = lm_plot_new();
    q->grid = false;
    q->nsub = n;
    q->cols = cols < 1 ? 1 : (size_t)cols > n && n ? (int)n : cols;
    q->sub = lm_alloc((n ? n : 1) * sizeof *q->sub);
    for (size_t i = 0; i < n; i++) {
        lm_obj_retain(&plots[i]->hdr);
        q->sub[i] = plots[i];
    }
    return q;
}

void lm_plot_grid_cell(const lm_plot *p, size_t k, double width, double height, double cell[4]) {
    size_t cols = p->cols > 0 ? (size_t)p->cols : 1;
    size_t rows = p->nsub ? (p->nsub + cols - 1) / cols : 1;
    /* the grid's own title takes a band at the top */
    double top = p->title ? height * 0.07 : 0;
    double cw = width / (double)cols, ch = (height - top) / (double)rows;
    cell[0] = cw * (double)(k % cols);
    cell[1] = top + ch * (double)(k / cols);
    cell[2] = cw;
    cell[3] = ch;
}

static lm_series *add_series(lm_plot *p, lm_series_kind kind) {
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 4;
        p->s = lm_realloc(p->s, p->cap * sizeof *p->s);
    }
    lm_series *s = &p->s[p->n++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->color = LM_PLOT_AUTO;
    s->fill = LM_PLOT_AUTO;
    s->alpha = kind == LM_SER_AREA ? 0.3 : 0.85;
    s->marker = kind == LM_SER_SCATTER ? 3.0 : 0;
    s->label_levels = kind == LM_SER_CONTOUR;
    return s;
}

lm_series *lm_plot_add_xy(lm_plot *p, lm_series_kind kind, const double *x, const double *y, size_t n) {
    lm_series *s = add_series(p, kind);
    s->n = n;
    s->x = dup_doubles(x, n);
    s->y = dup_doubles(y, n);
    return s;
}

lm_series *lm_plot_add_area(lm_plot *p, const double *x, const double *y, const double *y2, size_t n) {
    lm_series *s = lm_plot_add_xy(p, LM_SER_AREA, x, y, n);
    if (y2) {
        s->y2 = dup_doubles(y2, n);
    } else {
        s->y2 = lm_calloc(n ? n : 1, sizeof *s->y2);
    }
    return s;
}

lm_series *lm_plot_add_grid(lm_plot *p, lm_series_kind kind, const double *z, size_t nx, size_t ny, double x0,
                            double x1, double y0, double y1) {
    lm_series *s = add_series(p, kind);
    s->nx = nx;
    s->ny = ny;
    s->z = dup_doubles(z, nx * ny);
    s->x0 = x0;
    s->x1 = x1;
    s->y0 = y0;
    s->y1 = y1;
    if (kind != LM_SER_CONTOUR) p->colorbar = true;
    return s;
}

/* quiver's automatic scale, fixed from the data when the arrows are added so
 * that the axis limits (which must hold the tips) and the drawing agree: the
 * longest arrow spans 90% of the spacing of the bases, sqrt(area / n) for bases
 * spread over an area (a grid cell), extent / (n - 1) for bases along a line.
 * Bases all at one point have no spacing: the arrows keep their own lengths,
 * as quiver([0 0], [0 0], [2 1], [1 3]) means. */
static double auto_arrow_scale(const double *x, const double *y, const double *u, const double *v, size_t n) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, umax = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || !isfinite(u[i]) || !isfinite(v[i])) continue;
        x0 = fmin(x0, x[i]), x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]), y1 = fmax(y1, y[i]);
        umax = fmax(umax, hypot(u[i], v[i]));
        used++;
    }
    if (used < 2 || !(umax > 0) || !isfinite(umax)) return 1;
    double w = x1 - x0, h = y1 - y0, spacing;
    if (w > 0 && h > 0) spacing = sqrt(w * h / (double)used);
    else if (w > 0 || h > 0) spacing = fmax(w, h) / (double)(used - 1);
    else return 1;
    double sc = 0.9 * spacing / umax;
    return sc > 0 && isfinite(sc) ? sc : 1;
}

lm_series *lm_plot_add_arrows(lm_plot *p, const double *x, const double *y, const double *u, const double *v,
                              size_t n, double scale) {
    lm_series *s = lm_plot_add_xy(p, LM_SER_ARROWS, x, y, n);
    s->u = dup_doubles(u, n);
    s->v = dup_doubles(v, n);
    s->scale = scale > 0 ? scale : auto_arrow_scale(x, y, u, v, n);
    return s;
}

lm_series *lm_plot_add_text(lm_plot *p, double x, double y, const char *text, int anchor) {
    lm_series *s = lm_plot_add_xy(p, LM_SER_TEXT, &x, &y, 1);
    s->text = lm_strdup(text ? text : "");
    s->anchor = anchor;
    s->color = 0x000000;
    return s;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void lm_series_set_levels(lm_series *s, const double *levels, size_t n) {
    lm_free(s->levels);
    s->levels = NULL;
    s->nlevels = 0;
    if (!n) return;
    s->levels = lm_alloc(n * sizeof *s->levels);
    for (size_t i = 0; i < n; i++)
        if (isfinite(levels[i])) s->levels[s->nlevels++] = levels[i];
    qsort(s->levels, s->nlevels, sizeof *s->levels, cmp_double);
}

/* ---- ticks ---- */

/* "2.5e-07" → "2.5e-7", "1e+06" → "1e6": the exponent without padding. */
static void tidy_exponent(char *s) {
    char *e = strchr(s, 'e');
    if (!e) return;
    char *r = e + 1, *w = e + 1;
    if (*r == '+') r++;
    else if (*r == '-') *w++ = *r++;
    while (*r == '0' && r[1]) r++;
    memmove(w, r, strlen(r) + 1);
}

static void label_ticks(lm_ticks *t) {
    double amax = 0;
    for (int i = 0; i < t->n; i++) amax = fmax(amax, fabs(t->v[i]));
    bool sci = amax >= 1e6 || (amax > 0 && amax < 1e-4);
    /* the fewest digits that tell every pair of neighbours apart */
    for (int prec = 0; prec <= 17; prec++) {
        for (int i = 0; i < t->n; i++) {
            if (t->v[i] == 0 && sci) snprintf(t->label[i], sizeof t->label[i], "0");
            else if (sci) snprintf(t->label[i], sizeof t->label[i], "%.*e", prec, t->v[i]);
            else snprintf(t->label[i], sizeof t->label[i], "%.*f", prec, t->v[i]);
            if (sci) tidy_exponent(t->label[i]);
        }
        bool distinct = true;
        for (int i = 1; i < t->n; i++)
            if (!strcmp(t->label[i], t->label[i - 1])) distinct = false;
        /* fixed notation: also enough decimals to show the step itself */
        if (distinct && !sci && prec < 17) {
            double q = t->step * pow(10, prec);
            if (fabs(q - round(q)) > 1e-6 * fmax(1, fabs(q))) distinct = false;
        }
        if (distinct) break;
    }
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->label[i], "-0")) strcpy(t->label[i], "0");
}

static void widen(double *lo, double *hi) {
    const double big = DBL_MAX / 8;
    if (!isfinite(*lo) && !isfinite(*hi)) {
        *lo = 0;
        *hi = 1;
    } else if (!isfinite(*lo)) {
        *lo = *hi - 1;
    } else if (!isfinite(*hi)) {
        *hi = *lo + 1;
    }
    if (*lo > *hi) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    /* keep hi - lo finite */
    if (*lo < -big) *lo = -big;
    if (*hi > big) *hi = big;
    double mid = fmax(fabs(*lo), fabs(*hi));
    if (*hi - *lo <= mid * 1e-12 || *hi == *lo) {
        double d = mid == 0 ? 1 : mid * 0.1;
        *lo -= d;
        *hi += d;
    }
}

void lm_plot_ticks(double lo, double hi, int target, bool integer, lm_ticks *t) {
    memset(t, 0, sizeof *t);
    widen(&lo, &hi);
    t->lo = lo;
    t->hi = hi;
    if (target < 2) target = 2;
    if (target > LM_PLOT_MAX_TICKS - 2) target = LM_PLOT_MAX_TICKS - 2;
    double raw = (hi - lo) / target;
    double mag = pow(10, floor(log10(raw)));
    double step = 0;
    if (isfinite(mag) && mag > 0) {
        double norm = raw / mag;
        step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    }
    if (integer && step < 1) step = 1;
    /* A step below the resolution of lo's neighbourhood would give repeated
     * ticks; then (and for denormal ranges) only the two ends are marked. */
    for (int tries = 0; tries < 12 && step > 1e-290 && isfinite(step); tries++) {
        double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
        if (!isfinite(k0) || !isfinite(k1) || k1 - k0 + 1 > LM_PLOT_MAX_TICKS) {
            step *= 2;
            continue;
        }
        if (k1 - k0 + 1 < 2 && !integer) {
            /* fewer than two ticks in view: the next smaller nice step */
            double m = step / pow(10, floor(log10(step)) );
            step = m > 4.9 ? step * 0.4 : m > 1.9 ? step * 0.5 : step * 0.5;
            continue;
        }
        if (k0 * step + step == k0 * step) break;
        t->step = step;
        for (double k = k0; k <= k1 && t->n < LM_PLOT_MAX_TICKS; k++) {
            double v = k * step;
            if (fabs(v) < step * 1e-9) v = 0;
            t->v[t->n++] = v;
        }
        label_ticks(t);
        return;
    }
    t->step = hi - lo;
    t->n = 2;
    t->v[0] = lo;
    t->v[1] = hi;
    for (int i = 0; i < 2; i++) {
        snprintf(t->label[i], sizeof t->label[i], "%.6g", t->v[i]);
        tidy_exponent(t->label[i]);
    }
}

void lm_plot_log_ticks(double lo, double hi, int target, lm_ticks *t) {
    if (!(lo > 0) || !isfinite(lo)) lo = hi > 0 && isfinite(hi) ? hi / 10 : 1;
    if (!(hi > 0) || !isfinite(hi)) hi = lo * 10;
    if (lo > hi) {
        double x = lo;
        lo = hi;
        hi = x;
    }
    double e0 = ceil(log10(lo) - 1e-9), e1 = floor(log10(hi) + 1e-9);
    if (!(e1 > e0)) {
        /* fewer than two powers of ten in view: plain nice ticks read better */
        lm_plot_ticks(lo, hi, target < 3 ? 3 : target, false, t);
        int m = 0;
        for (int i = 0; i < t->n; i++)
            if (t->v[i] > 0) {
                t->v[m] = t->v[i];
                memmove(t->label[m], t->label[i], sizeof t->label[m]);
                m++;
            }
        t->n = m;
        return;
    }
    memset(t, 0, sizeof *t);
    t->lo = lo;
    t->hi = hi;
    if (target < 2) target = 2;
    if (target > LM_PLOT_MAX_TICKS - 2) target = LM_PLOT_MAX_TICKS - 2;
    /* every k-th decade, k from 1, 2, 5, 10, ... (at most ~617 decades) */
    double k = 1;
    while ((e1 - e0) / k + 1 > target) {
        double next = k == 1 ? 2 : k == 2 ? 5 : k * 2;
        /* but keep two labelled decades at least, even if they crowd a little */
        if (floor(e1 / next) - ceil(e0 / next) + 1 < 2) break;
        k = next;
    }
    t->step = k; /* in decades */
    for (double e = ceil(e0 / k) * k; e <= e1 && t->n < LM_PLOT_MAX_TICKS; e += k) {
        double v = pow(10, e);
        if (!(v > 0) || !isfinite(v)) continue;
        t->v[t->n] = v;
        if (e >= -4 && e <= 5) snprintf(t->label[t->n], sizeof t->label[t->n], "%.*f", e < 0 ? (int)-e : 0, v);
        else snprintf(t->label[t->n], sizeof t->label[t->n], "1e%+d", (int)e);
        t->n++;
    }
}

int lm_plot_levels(double zmin, double zmax, int target, double *out) {
    if (!isfinite(zmin) || !isfinite(zmax) || !(zmax > zmin)) return 0;
    lm_ticks t;
    lm_plot_ticks(zmin, zmax, target, false, &t);
    int n = 0;
    for (int i = 0; i < t.n; i++)
        if (t.v[i] > zmin && t.v[i] < zmax) out[n++] = t.v[i];
    return n;
}

/* ---- data bounds ---- */

typedef struct range {
    double lo, hi;
} range;

static void take(range *r, double v) {
    if (!isfinite(v)) return;
    if (v < r->lo) r->lo = v;
    if (v > r->hi) r->hi = v;
}

/* On a log axis only positive values count. */
static void takex(const lm_plot *p, range *r, double v) {
    if (!p->xlog || v > 0) take(r, v);
}
static void takey(const lm_plot *p, range *r, double v) {
    if (!p->ylog || v > 0) take(r, v);
}

/* The auto limits: every finite coordinate a series draws. Lines of functions
 * fill x exactly; y gets 5% room, except that bars keep their base at 0. */
void lm_plot_bounds(const lm_plot *p, double *x0, double *x1, double *y0, double *y1) {
    range rx = {INFINITY, -INFINITY}, ry = {INFINITY, -INFINITY};
    bool padx = false, bars = false;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        switch (s->kind) {
        case LM_SER_LINE:
        case LM_SER_STEP:
        case LM_SER_AREA:
            for (size_t i = 0; i < s->n; i++) {
                if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
                takex(p, &rx, s->x[i]);
                takey(p, &ry, s->y[i]);
                if (s->y2) takey(p, &ry, s->y2[i]);
            }
            break;
        case LM_SER_SCATTER:
        case LM_SER_TEXT:
        case LM_SER_POLYGON:
            padx = true;
            for (size_t i = 0; i < s->n; i++) {
                if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
                takex(p, &rx, s->x[i]);
                takey(p, &ry, s->y[i]);
            }
            break;
        case LM_SER_BAR: {
            bars = true;
            double w = s->width > 0 ? s->width : 0.8;
            for (size_t i = 0; i < s->n; i++) {
                if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
                takex(p, &rx, s->x[i] - w / 2);
                takex(p, &rx, s->x[i] + w / 2);
                takey(p, &ry, s->y[i]);
                takey(p, &ry, 0);
            }
            break;
        }
        case LM_SER_CONTOUR:
        case LM_SER_CONTOURF:
            takex(p, &rx, s->x0);
            takex(p, &rx, s->x1);
            takey(p, &ry, s->y0);
            takey(p, &ry, s->y1);
            break;
        case LM_SER_HEATMAP:
            takex(p, &rx, 0.5);
            takex(p, &rx, (double)s->nx + 0.5);
            takey(p, &ry, 0.5);
            takey(p, &ry, (double)s->ny + 0.5);
            break;
        case LM_SER_ARROWS: {
            double sc = s->scale > 0 ? s->scale : 0;
            padx = true;
            for (size_t i = 0; i < s->n; i++) {
                takex(p, &rx, s->x[i]);
                takey(p, &ry, s->y[i]);
                if (sc > 0 && isfinite(s->u[i]) && isfinite(s->v[i])) {
                    takex(p, &rx, s->x[i] + sc * s->u[i]);
                    takey(p, &ry, s->y[i] + sc * s->v[i]);
                }
            }
            break;
        }
        }
    }
    bool havex = rx.lo <= rx.hi, havey = ry.lo <= ry.hi;
    bool grid_only = p->n > 0;
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].kind != LM_SER_CONTOUR && p->s[k].kind != LM_SER_CONTOURF && p->s[k].kind != LM_SER_HEATMAP)
            grid_only = false;
    /* a log axis is padded and widened in decades: work on log10 of it */
    if (p->xlog && havex) rx.lo = log10(rx.lo), rx.hi = log10(rx.hi);
    if (p->ylog && havey) ry.lo = log10(ry.lo), ry.hi = log10(ry.hi);
    if (!havex) rx = (range){0, 1};
    if (!havey) ry = (range){0, 1};
    if (rx.lo == rx.hi) widen(&rx.lo, &rx.hi);
    if (ry.lo == ry.hi) widen(&ry.lo, &ry.hi);
    if (!grid_only && havey) {
        double d = (ry.hi - ry.lo) * 0.05;
        if (!(bars && ry.lo == 0) || p->ylog) ry.lo -= d;
        if (!(bars && ry.hi == 0) || p->ylog) ry.hi += d;
    }
    if (!grid_only && padx && havex) {
        double d = (rx.hi - rx.lo) * 0.05;
        rx.lo -= d;
        rx.hi += d;
    }
    /* limits <= 0 cannot be shown on a log axis: they are ignored */
    for (int e = 0; e < 2; e++) {
        double xl = p->xlim[e], yl = p->ylim[e];
        if (p->xlog) xl = xl > 0 ? log10(xl) : NAN;
        if (p->ylog) yl = yl > 0 ? log10(yl) : NAN;
        if (isfinite(xl)) *(e ? &rx.hi : &rx.lo) = xl;
        if (isfinite(yl)) *(e ? &ry.hi : &ry.lo) = yl;
    }
    widen(&rx.lo, &rx.hi);
    widen(&ry.lo, &ry.hi);
    if (p->xlog) {
        /* keep 10^x finite and nonzero */
        rx.lo = fmax(rx.lo, -300), rx.hi = fmin(fmax(rx.hi, rx.lo + 1e-9), 300);
        rx.lo = pow(10, rx.lo), rx.hi = pow(10, rx.hi);
    }
    if (p->ylog) {
        ry.lo = fmax(ry.lo, -300), ry.hi = fmin(fmax(ry.hi, ry.lo + 1e-9), 300);
        ry.lo = pow(10, ry.lo), ry.hi = pow(10, ry.hi);
    }
    *x0 = rx.lo;
    *x1 = rx.hi;
    *y0 = ry.lo;
    *y1 = ry.hi;
}
