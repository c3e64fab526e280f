/* Plotting builtins: plot, scatter, bar, hist, contour, quiver, heatmap,
 * tangent, the labelling functions (title, xlabel, ylabel, legend, xlim, ylim),
 * save and termplot. Expressions are compiled once (lm_sym_compile) and sampled;
 * the figure model and its renderers live in src/plot. Every builder returns a
 * new plot value; labelling functions copy a shared one. */
#include "lang/lang_int.h"
#include "lemma/prob.h"
#include "lemma/stats.h"
#include "lemma/opt.h"
#include "lemma/plot.h"
#include "lemma/ad.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FN_SAMPLES 801      /* points per curve before refining jumps */
#define GRID_DEFAULT 120    /* contour grid side */
#define GRID_MAX 1000
#define SERIES_MAX 16       /* curves in one plot([f; g; ...]) */

/* ---- argument helpers ---- */

/* A numeric argument as a flat array in row-major order (+1, lm_free it), or NULL
 * with *errv set. Vectors of either orientation give the same list. */
static double *arg_vec(lm_call *c, lm_value v, const char *what, size_t *n, lm_value *errv) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(v, what, &err);
    if (!t) {
        *errv = lm_error_new(LM_ERR_TYPE, "%s: %s must be numbers, not %s", c->fname, what, lm_kind_a(v.kind));
        lm_err_clear(&err);
        return NULL;
    }
    if (t->imag) {
        lm_tensor_release(t);
        *errv = lm_error_new(LM_ERR_TYPE, "%s: %s must be real, not complex", c->fname, what);
        return NULL;
    }
    *n = (size_t)t->size;
    double *d = lm_alloc((*n ? *n : 1) * sizeof *d);
    lm_tensor_gather(t, d);
    lm_tensor_release(t);
    return d;
}

/* [lo, hi] as two finite numbers with lo < hi */
static bool arg_range(lm_call *c, lm_value v, const char *what, double *lo, double *hi, lm_value *errv) {
    size_t n = 0;
    double *d = arg_vec(c, v, what, &n, errv);
    if (!d) return false;
    bool ok = n == 2 && isfinite(d[0]) && isfinite(d[1]) && d[0] < d[1];
    if (ok) *lo = d[0], *hi = d[1];
    else if (n != 2) *errv = lm_error_new(LM_ERR_SHAPE, "%s: %s must be two numbers [lo, hi]", c->fname, what);
    else *errv = lm_error_new(LM_ERR_DOMAIN, "%s: %s must go from a smaller to a larger finite number, not [%g, %g]",
                              c->fname, what, d[0], d[1]);
    lm_free(d);
    return ok;
}

static bool is_symbol(lm_value v) { return v.kind == LM_EXPR && lm_expr_of(v)->op == LM_X_SYM; }

static void fmt3(char out[32], double x) {
    snprintf(out, 32, "%.3g", x);
    if (!strcmp(out, "-0")) strcpy(out, "0");
}

static lm_value err_value(lm_call *c, lm_err *err) {
    lm_value v = lm_error_new(err->kind ? err->kind : LM_ERR_INTERNAL, "%s: %s", c->fname, err->msg ? err->msg : "failed");
    lm_err_clear(err);
    return v;
}

/* ---- sampling expressions ---- */

typedef struct curve {
    double *x, *y;
    size_t n, cap;
} curve;

static void curve_push(curve *k, double x, double y) {
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 1024;
        k->x = lm_realloc(k->x, k->cap * sizeof *k->x);
        k->y = lm_realloc(k->y, k->cap * sizeof *k->y);
    }
    k->x[k->n] = x;
    k->y[k->n] = y;
    k->n++;
}

static void curve_free(curve *k) {
    lm_free(k->x);
    lm_free(k->y);
}

static double eval1(const lm_sym_prog *p, int out, double x, double *buf) {
    lm_sym_prog_eval(p, &x, buf);
    return buf[out];
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The span of typical values: the 2% and 98% quantiles of the finite ones. */
static void robust_range(const double *y, size_t n, double *lo, double *hi, double *mn, double *mx) {
    double *v = lm_alloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(y[i])) v[m++] = y[i];
    *lo = *hi = *mn = *mx = NAN;
    if (m) {
        qsort(v, m, sizeof *v, cmp_double);
        *mn = v[0];
        *mx = v[m - 1];
        *lo = v[(size_t)(0.02 * (double)(m - 1))];
        *hi = v[(size_t)(0.98 * (double)(m - 1))];
    }
    lm_free(v);
}

/* Samples output `out` of p on [a, b]. Where neighbours jump by more than a
 * tenth of the typical span, the interval is bisected: a jump that survives
 * 50 halvings is a discontinuity (tan at pi/2, 1/x at 0, sign at 0), and the
 * curve is broken there (a NaN) after running up to it from both sides. */
static void sample_curve(const lm_sym_prog *p, int out, double a, double b, curve *k) {
    double *buf = lm_alloc((size_t)lm_sym_prog_nout(p) * sizeof *buf);
    double xs[FN_SAMPLES], ys[FN_SAMPLES];
    for (int i = 0; i < FN_SAMPLES; i++) {
        xs[i] = i == FN_SAMPLES - 1 ? b : a + (b - a) * i / (FN_SAMPLES - 1);
        ys[i] = eval1(p, out, xs[i], buf);
    }
    double lo, hi, mn, mx;
    robust_range(ys, FN_SAMPLES, &lo, &hi, &mn, &mx);
    double span = hi - lo;
    if (!(span > 0)) span = fmax(fabs(mx - mn), 1e-300);
    for (int i = 0; i < FN_SAMPLES; i++) {
        if (i > 0 && isfinite(ys[i - 1]) && isfinite(ys[i]) && fabs(ys[i] - ys[i - 1]) > 0.1 * span) {
            double l = xs[i - 1], r = xs[i], yl = ys[i - 1], yr = ys[i];
            for (int it = 0; it < 50; it++) {
                double m = 0.5 * (l + r), ym = eval1(p, out, m, buf);
                if (m <= l || m >= r) break;
                if (!isfinite(ym)) {
                    l = r = m;
                    yl = yr = NAN;
                    break;
                }
                if (fabs(ym - yl) >= fabs(yr - ym)) r = m, yr = ym;
                else l = m, yl = ym;
            }
            bool broken = !(isfinite(yl) && isfinite(yr)) || fabs(yr - yl) > 0.01 * span;
            if (broken) {
                if (isfinite(yl) && l > xs[i - 1]) curve_push(k, l, yl);
                curve_push(k, NAN, NAN);
                if (isfinite(yr) && r < xs[i]) curve_push(k, r, yr);
            }
        }
        curve_push(k, xs[i], ys[i]);
    }
    /* a sample that landed on a pole sits alone between two breaks: drop it */
    size_t w = 0;
    for (size_t i = 0; i < k->n; i++) {
        bool alone = i > 0 && i + 1 < k->n && isnan(k->y[i - 1]) && isnan(k->y[i + 1]) && !isnan(k->y[i]);
        bool double_break = w > 0 && isnan(k->y[i]) && isnan(k->y[w - 1]);
        if (alone || double_break) continue;
        k->x[w] = k->x[i];
        k->y[w] = k->y[i];
        w++;
    }
    k->n = w;
    lm_free(buf);
}

/* When a few samples run away (poles), the y range follows the typical values
 * instead of the extremes; otherwise it is left to the data. */
static void tame_ylim(lm_plot *p, const double *y, size_t n) {
    double lo, hi, mn, mx;
    robust_range(y, n, &lo, &hi, &mn, &mx);
    double span = hi - lo;
    if (!(span > 0)) return;
    if (mx > hi + 3 * span || mn < lo - 3 * span) {
        p->ylim[0] = fmax(mn, lo - 0.5 * span);
        p->ylim[1] = fmin(mx, hi + 0.5 * span);
    }
}

/* The free symbol of e when it has exactly one (borrowed), else NULL. */
static lm_expr *sole_symbol(lm_expr *e) {
    const lm_expr **syms = NULL;
    size_t n = lm_sym_symbols(e, &syms);
    lm_expr *x = n == 1 ? (lm_expr *)syms[0] : NULL;
    lm_free(syms);
    return x;
}

/* plot(f, x, a, b) and its shorter forms. */
static lm_value plot_expr(lm_call *c) {
    lm_value errv = lm_nil();
    lm_err err = LM_ERR_INIT;
    lm_expr *e = lm_as_expr(c->ctx, c->args[0], &err);
    if (!e) return err_value(c, &err);
    lm_expr *x = NULL;
    int ai = 1;
    if (c->nargs >= 2 && is_symbol(c->args[1])) {
        x = lm_expr_of(c->args[1]);
        ai = 2;
    } else {
        x = sole_symbol(e);
        if (!x && !lm_sym_is_number(e)) {
            lm_expr_release(e);
            return lm_error_new(LM_ERR_TYPE, "%s: name the variable, as in plot(x*y, x, -1, 1)", c->fname);
        }
    }
    double a = -5, b = 5;
    if (c->nargs - ai == 2) {
        if (!lm_arg_double(c, ai, "the start", &a, &errv) || !lm_arg_double(c, ai + 1, "the end", &b, &errv)) {
            lm_expr_release(e);
            return errv;
        }
    } else if (c->nargs - ai == 1) {
        if (!arg_range(c, c->args[ai], "the range", &a, &b, &errv)) {
            lm_expr_release(e);
            return errv;
        }
    } else if (c->nargs != ai) {
        lm_expr_release(e);
        return lm_error_new(LM_ERR_TYPE, "%s: expected plot(f, x, a, b)", c->fname);
    }
    if (!isfinite(a) || !isfinite(b) || !(a < b)) {
        lm_expr_release(e);
        return lm_error_new(LM_ERR_DOMAIN, "%s: the range must go from a smaller to a larger finite number, not [%g, %g]",
                            c->fname, a, b);
    }
    lm_expr *xsym = x ? x : NULL;
    lm_expr *vars[1] = {xsym};
    lm_sym_prog *prog = lm_sym_compile(e, vars, xsym ? 1 : 0, &err);
    if (!prog) {
        lm_expr_release(e);
        return err_value(c, &err);
    }
    int nout = lm_sym_prog_nout(prog);
    if (nout > SERIES_MAX) {
        lm_sym_prog_free(prog);
        lm_expr_release(e);
        return lm_error_new(LM_ERR_LIMIT, "%s: at most %d curves in one plot, not %d", c->fname, SERIES_MAX, nout);
    }
    lm_plot *p = lm_plot_new();
    curve all = {0};
    for (int k = 0; k < nout; k++) {
        curve cv = {0};
        sample_curve(prog, k, a, b, &cv);
        lm_series *s = lm_plot_add_xy(p, LM_SER_LINE, cv.x, cv.y, cv.n);
        if (nout > 1) {
            lm_buf lb = LM_BUF_INIT;
            lm_sym_print_text_digits(e->args[k], &lb, 4);
            s->label = lm_buf_steal(&lb);
            p->legend = true;
        }
        for (size_t i = 0; i < cv.n; i++) curve_push(&all, cv.x[i], cv.y[i]);
        curve_free(&cv);
    }
    tame_ylim(p, all.y, all.n);
    curve_free(&all);

    /* shade = [lo, hi]: the area under the first curve, and its value */
    lm_value sh = lm_call_named(c, "shade");
    if (!lm_is_nil(sh)) {
        double lo, hi;
        if (!arg_range(c, sh, "shade", &lo, &hi, &errv)) {
            lm_sym_prog_free(prog);
            lm_expr_release(e);
            lm_plot_release(p);
            return errv;
        }
        lo = fmax(lo, a);
        hi = fmin(hi, b);
        if (lo < hi) {
            enum { NS = 2001 }; /* odd: Simpson's rule */
            double *xs = lm_alloc(NS * sizeof *xs), *ys = lm_alloc(NS * sizeof *ys);
            double *buf = lm_alloc((size_t)nout * sizeof *buf), sum = 0, hstep = (hi - lo) / (NS - 1);
            bool finite = true;
            for (int i = 0; i < NS; i++) {
                xs[i] = i == NS - 1 ? hi : lo + hstep * i;
                ys[i] = eval1(prog, 0, xs[i], buf);
                if (!isfinite(ys[i])) finite = false;
                sum += ys[i] * (i == 0 || i == NS - 1 ? 1 : i % 2 ? 4 : 2);
            }
            lm_plot_add_area(p, xs, ys, NULL, NS);
            char l1[32], l2[32], v[40], note[160];
            fmt3(l1, lo);
            fmt3(l2, hi);
            if (finite) lm_fmt_double_sig(v, sum * hstep / 3, 5);
            else strcpy(v, "undefined");
            snprintf(note, sizeof note, "area over [%s, %s] = %s", l1, l2, v);
            lm_plot_set_str(&p->note, note);
            lm_free(xs);
            lm_free(ys);
            lm_free(buf);
        }
    }
    lm_sym_prog_free(prog);

    lm_buf d = LM_BUF_INIT;
    lm_sym_print_text_digits(e, &d, 4);
    char sa[32], sb[32];
    fmt3(sa, a);
    fmt3(sb, b);
    lm_buf_printf(&d, " on [%s, %s]", sa, sb);
    lm_plot_set_str(&p->desc, lm_buf_cstr(&d));
    lm_buf_free(&d);
    if (xsym) lm_plot_set_str(&p->xlabel, xsym->u.name);
    lm_expr_release(e);
    return lm_plot_value(p);
}

/* ---- plot(A): a 2×2 matrix as a map of the plane ---- */

static lm_value plot_matrix2(lm_call *c, const double *m) {
    double a = m[0], b = m[1], cc = m[2], d = m[3];
    if (!(isfinite(a) && isfinite(b) && isfinite(cc) && isfinite(d)))
        return lm_error_new(LM_ERR_DOMAIN, "%s: the matrix has entries that are not finite", c->fname);
    lm_plot *p = lm_plot_new();
    p->equal = true;
    p->legend = true;
    p->grid = false;
    /* the unit grid before (grey) and after (blue) the map, lines k = -2..2 */
    enum { G = 2, NP = 2 * (2 * G + 1) * 3 };
    double bx[NP], by[NP], ax[NP], ay[NP];
    int n = 0;
    for (int k = -G; k <= G; k++) {
        for (int dir = 0; dir < 2; dir++) {
            double x0 = dir ? -G : k, y0 = dir ? k : -G, x1 = dir ? G : k, y1 = dir ? k : G;
            bx[n] = x0, by[n] = y0, ax[n] = a * x0 + b * y0, ay[n] = cc * x0 + d * y0, n++;
            bx[n] = x1, by[n] = y1, ax[n] = a * x1 + b * y1, ay[n] = cc * x1 + d * y1, n++;
            bx[n] = by[n] = ax[n] = ay[n] = NAN, n++;
        }
    }
    lm_series *s = lm_plot_add_xy(p, LM_SER_LINE, bx, by, (size_t)n);
    s->color = 0xBBBBBB;
    s->width = 1;
    s->dash = 1;
    s = lm_plot_add_xy(p, LM_SER_LINE, ax, ay, (size_t)n);
    s->color = 0x56B4E9;
    s->width = 1.2;
    /* the unit square and its image, shaded: its area is |det A| */
    double sqx[5] = {0, a, a + b, b, 0}, sqy[5] = {0, cc, cc + d, d, 0};
    s = lm_plot_add_xy(p, LM_SER_POLYGON, sqx, sqy, 4);
    s->color = 0xE69F00;
    s->alpha = 0.25;
    s->label = lm_strdup("image of the unit square");
    double ox[1] = {0}, oy[1] = {0};
    double u1[1] = {a}, v1[1] = {cc}, u2[1] = {b}, v2[1] = {d};
    double e1u[1] = {1}, e1v[1] = {0}, e2u[1] = {0}, e2v[1] = {1};
    s = lm_plot_add_arrows(p, ox, oy, e1u, e1v, 1, 1);
    s->color = 0x999999;
    s->width = 1.6;
    s = lm_plot_add_arrows(p, ox, oy, e2u, e2v, 1, 1);
    s->color = 0x999999;
    s->width = 1.6;
    s = lm_plot_add_arrows(p, ox, oy, u1, v1, 1, 1);
    s->color = 0xD55E00;
    s->width = 2.4;
    s->label = lm_strdup("A e1 = column 1");
    s = lm_plot_add_arrows(p, ox, oy, u2, v2, 1, 1);
    s->color = 0x009E73;
    s->width = 2.4;
    s->label = lm_strdup("A e2 = column 2");
    /* real eigenvectors: the lines A maps onto themselves */
    double tr = a + d, det = a * d - b * cc, disc = tr * tr / 4 - det;
    if (disc >= 0) {
        double l[2] = {tr / 2 + sqrt(disc), tr / 2 - sqrt(disc)};
        int ne = disc == 0 ? 1 : 2;
        for (int i = 0; i < ne; i++) {
            double vx, vy;
            if (fabs(b) > 1e-12 * (fabs(a) + fabs(d) + 1)) vx = b, vy = l[i] - a;
            else if (fabs(cc) > 1e-12 * (fabs(a) + fabs(d) + 1)) vx = l[i] - d, vy = cc;
            else vx = i == 0 ? (fabs(l[0] - a) < fabs(l[0] - d) ? 1 : 0) : (fabs(l[1] - a) < fabs(l[1] - d) ? 1 : 0),
                 vy = 1 - vx;
            double nrm = hypot(vx, vy);
            if (!(nrm > 0)) continue;
            vx /= nrm, vy /= nrm;
            double R = 2.5 * fmax(1, fmax(fabs(l[0]), fabs(l[1])));
            double lx[2] = {-R * vx, R * vx}, ly[2] = {-R * vy, R * vy};
            s = lm_plot_add_xy(p, LM_SER_LINE, lx, ly, 2);
            s->color = 0xCC79A7;
            s->dash = 2;
            s->width = 2;
            if (i == 0) {
                char lab[160], l0[40], l1[40];
                lm_fmt_double_sig(l0, l[0], 4);
                lm_fmt_double_sig(l1, l[1], 4);
                if (ne == 1) snprintf(lab, sizeof lab, "eigenvector, \xce\xbb = %s", l0);
                else snprintf(lab, sizeof lab, "eigenvectors, \xce\xbb = %s, %s", l0, l1);
                s->label = lm_strdup(lab);
            }
        }
    }
    /* the view: the grid before and after, but not the long eigenvector lines */
    double xmin = -G, xmax = G, ymin = -G, ymax = G;
    for (int i = 0; i < n; i++) {
        if (!isfinite(ax[i])) continue;
        xmin = fmin(xmin, ax[i]), xmax = fmax(xmax, ax[i]);
        ymin = fmin(ymin, ay[i]), ymax = fmax(ymax, ay[i]);
    }
    double pad = 0.08 * fmax(xmax - xmin, ymax - ymin);
    p->xlim[0] = xmin - pad, p->xlim[1] = xmax + pad;
    p->ylim[0] = ymin - pad, p->ylim[1] = ymax + pad;
    char note[96], dv[40];
    lm_fmt_double_sig(dv, det, 5);
    snprintf(note, sizeof note, "det A = %s", dv);
    lm_plot_set_str(&p->note, note);
    char m0[40], m1[40], m2[40], m3[40], desc[200];
    lm_fmt_double_sig(m0, a, 4), lm_fmt_double_sig(m1, b, 4), lm_fmt_double_sig(m2, cc, 4), lm_fmt_double_sig(m3, d, 4);
    snprintf(desc, sizeof desc, "the map [%s %s; %s %s] of the plane", m0, m1, m2, m3);
    lm_plot_set_str(&p->desc, desc);
    return lm_plot_value(p);
}

/* ---- plot ---- */


/* plot(D): the density of a continuous distribution as a curve, or the pmf of a
 * discrete one as bars, over the middle 99.8% of its mass; shade = [a, b] fills
 * P(a <= X <= b) and prints it, computed from the cdf (not by adding up the
 * picture). */
static lm_value plot_dist(lm_call *c) {
    const lm_dist *d = lm_dist_of(c->args[0]);
    lm_value errv = lm_nil();
    if (lm_dist_is_multivariate(d))
        return lm_error_new(LM_ERR_TYPE, "%s: a picture of %s needs one variable; sample it and use hist or scatter",
                            c->fname, lm_dist_name(d));
    double slo, shi;
    lm_dist_support(d, &slo, &shi);
    double lo = lm_dist_quantile(d, 0.001, false), hi = lm_dist_quantile(d, 0.001, true);
    if (!isfinite(lo)) lo = slo;
    if (!isfinite(hi)) hi = shi;
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) {
        lo = isfinite(lo) ? lo - 1 : -1;
        hi = lo + 2;
    }
    bool discrete = lm_dist_is_discrete(d);
    lm_plot *p = lm_plot_new();
    lm_buf name = LM_BUF_INIT;
    lm_dist_text(d, &name, 5, false);
    lm_plot_set_str(&p->title, lm_buf_cstr(&name));
    lm_plot_set_str(&p->desc, lm_buf_cstr(&name));
    lm_buf_free(&name);
    lm_plot_set_str(&p->xlabel, "x");
    lm_plot_set_str(&p->ylabel, discrete ? "P(X = x)" : "density");
    double a = -INFINITY, b = INFINITY;
    lm_value sh = lm_call_named(c, "shade");
    bool shade = !lm_is_nil(sh);
    if (shade && !arg_range(c, sh, "shade", &a, &b, &errv)) {
        lm_plot_release(p);
        return errv;
    }
    if (discrete) {
        lo = floor(lo);
        hi = ceil(hi);
        if (hi - lo > 2000) hi = lo + 2000; /* bars beyond that are invisible */
        size_t n = (size_t)(hi - lo) + 1, ns = 0;
        double *x = lm_alloc(n * sizeof *x), *y = lm_alloc(n * sizeof *y);
        double *xs = lm_alloc(n * sizeof *xs), *ys = lm_alloc(n * sizeof *ys);
        for (size_t i = 0; i < n; i++) {
            x[i] = lo + (double)i;
            y[i] = lm_dist_pdf(d, x[i]);
            if (shade && x[i] >= a && x[i] <= b) {
                xs[ns] = x[i];
                ys[ns++] = y[i];
            }
        }
        lm_series *s = lm_plot_add_xy(p, LM_SER_BAR, x, y, n);
        s->width = 0.8;
        if (ns) {
            lm_series *s2 = lm_plot_add_xy(p, LM_SER_BAR, xs, ys, ns);
            s2->width = 0.8;
            s2->color = 0xD55E00;
        }
        p->xint = true;
        lm_free(x);
        lm_free(y);
        lm_free(xs);
        lm_free(ys);
    } else {
        enum { N = 401 };
        double *x = lm_alloc(N * sizeof *x), *y = lm_alloc(N * sizeof *y);
        for (int i = 0; i < N; i++) {
            x[i] = lo + (hi - lo) * i / (N - 1);
            y[i] = lm_dist_pdf(d, x[i]);
        }
        /* A density that is infinite at an end (ChiSquared(1), Beta(0.5, 0.5)
           at 0) would squash the rest of the curve to the floor: the y axis
           stops at twice the density's 95th percentile over the range shown,
           and the curve leaves the frame at the top. */
        double *sorted = lm_alloc(N * sizeof *sorted);
        int nf = 0;
        for (int i = 0; i < N; i++)
            if (isfinite(y[i])) sorted[nf++] = y[i];
        qsort(sorted, (size_t)nf, sizeof *sorted, cmp_double);
        double top = nf ? sorted[nf - 1] : 0, p95 = nf ? sorted[(nf - 1) * 95 / 100] : 0;
        if ((nf < N || top > 4 * p95) && p95 > 0 && isnan(p->ylim[1])) {
            p->ylim[0] = 0;
            p->ylim[1] = 2 * p95;
        }
        lm_free(sorted);
        lm_plot_add_xy(p, LM_SER_LINE, x, y, N);
        if (shade) {
            double s0 = fmax(a, lo), s1 = fmin(b, hi);
            if (s0 < s1) {
                double *xs = lm_alloc(N * sizeof *xs), *ys = lm_alloc(N * sizeof *ys);
                for (int i = 0; i < N; i++) {
                    xs[i] = s0 + (s1 - s0) * i / (N - 1);
                    ys[i] = lm_dist_pdf(d, xs[i]);
                }
                lm_plot_add_area(p, xs, ys, NULL, N);
                lm_free(xs);
                lm_free(ys);
            }
        }
        lm_free(x);
        lm_free(y);
    }
    if (shade) {
        /* P(a <= X <= b): for a discrete X the lower end counts too */
        double below = isfinite(a) ? (discrete ? lm_dist_cdf(d, ceil(a) - 1, false) : lm_dist_cdf(d, a, false)) : 0;
        double prob = (isfinite(b) ? lm_dist_cdf(d, b, false) : 1) - below;
        char l1[32], l2[32], v[40], note[200];
        fmt3(l1, a);
        fmt3(l2, b);
        lm_fmt_double_sig(v, prob, 5);
        snprintf(note, sizeof note, "P(%s <= X <= %s) = %s", l1, l2, v);
        lm_plot_set_str(&p->note, note);
    }
    return lm_plot_value(p);
}


/* plot(chain, start = k, steps = n): how the distribution over the states moves
 * from starting in state k (π₀ = e_k) to the stationary distribution, one line
 * per state: π_{t+1} = π_t T. */
static lm_value plot_markov(lm_call *c) {
    const lm_markov *m = (const lm_markov *)c->args[0].u.obj;
    lm_value errv = lm_nil();
    double start = 1, steps = 20;
    if (!lm_opt_double(c, "start", &start, &errv) || !lm_opt_double(c, "steps", &steps, &errv)) return errv;
    if (start != floor(start) || start < 1 || start > (double)m->n)
        return lm_error_new(LM_ERR_DOMAIN, "%s: start must be a state from 1 to %lld, not %g", c->fname,
                            (long long)m->n, start);
    if (steps != floor(steps) || steps < 1 || steps > 10000)
        return lm_error_new(LM_ERR_DOMAIN, "%s: steps must be a whole number from 1 to 10000, not %g", c->fname, steps);
    if (m->n > 12)
        return lm_error_new(LM_ERR_LIMIT, "%s: a chain of %lld states is too many lines to read; look at a few "
                                          "states with evolve", c->fname, (long long)m->n);
    int64_t n = m->n, ns = (int64_t)steps + 1;
    double *pi = lm_calloc((size_t)(ns * n), sizeof *pi);
    pi[(int64_t)start - 1] = 1;
    for (int64_t t = 1; t < ns; t++)
        for (int64_t j = 0; j < n; j++) {
            double acc = 0;
            for (int64_t i = 0; i < n; i++) acc += pi[(t - 1) * n + i] * m->T[i * n + j];
            pi[t * n + j] = acc;
        }
    lm_plot *p = lm_plot_new();
    double *x = lm_alloc((size_t)ns * sizeof *x), *y = lm_alloc((size_t)ns * sizeof *y);
    for (int64_t t = 0; t < ns; t++) x[t] = (double)t;
    for (int64_t j = 0; j < n; j++) {
        for (int64_t t = 0; t < ns; t++) y[t] = pi[t * n + j];
        lm_series *sr = lm_plot_add_xy(p, LM_SER_LINE, x, y, (size_t)ns);
        sr->marker = ns <= 40 ? 2.5 : 0;
        char lab[32];
        snprintf(lab, sizeof lab, "P(state %lld)", (long long)j + 1);
        lm_plot_set_str(&sr->label, lab);
    }
    char t[96];
    snprintf(t, sizeof t, "a %lld-state Markov chain started in state %lld", (long long)n, (long long)start);
    lm_plot_set_str(&p->title, t);
    lm_plot_set_str(&p->desc, t);
    lm_plot_set_str(&p->xlabel, "step t");
    lm_plot_set_str(&p->ylabel, "probability of each state");
    p->legend = true;
    p->xint = true;
    lm_free(x);
    lm_free(y);
    lm_free(pi);
    return lm_plot_value(p);
}

/* The rows × cols of v when it is a matrix with at least two rows and two
 * columns (a vector of either orientation is not). */
static bool is_matrix(lm_value v, size_t *rows, size_t *cols) {
    if (v.kind != LM_TENSOR) return false;
    const lm_tensor *t = lm_tensor_of(v);
    if (t->ndim != 2 || t->shape[0] < 2 || t->shape[1] < 2) return false;
    *rows = (size_t)t->shape[0];
    *cols = (size_t)t->shape[1];
    return true;
}

/* names = "a, b, c": one legend entry per line, split at commas (strings do
 * not form lists in lemma: ["a", "b"] is "ab", as in Octave). Returns the count
 * in *n (0 when the option is absent) and the names (+1, free with free_names). */
static bool opt_names(lm_call *c, size_t want, char ***out, size_t *n, lm_value *errv) {
    *out = NULL;
    *n = 0;
    lm_value v = lm_call_named(c, "names");
    if (lm_is_nil(v)) return true;
    if (v.kind != LM_STRING) {
        *errv = lm_error_new(LM_ERR_TYPE, "%s: names must be one string with the names separated by commas, as in "
                                          "names = \"SGD, Adam\"", c->fname);
        return false;
    }
    const char *s = lm_string_data(v);
    size_t count = 1;
    for (const char *q = s; *q; q++) count += *q == ',';
    if (count != want) {
        *errv = lm_error_new(LM_ERR_SHAPE, "%s: names gives %zu name%s for %zu line%s", c->fname, count,
                             count == 1 ? "" : "s", want, want == 1 ? "" : "s");
        return false;
    }
    char **names = lm_calloc(count, sizeof *names);
    for (size_t k = 0; k < count; k++) {
        size_t len = strcspn(s, ",");
        const char *b = s, *e = s + len;
        while (b < e && (*b == ' ' || *b == '\t')) b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
        names[k] = lm_strndup(b, (size_t)(e - b));
        s += len + (s[len] == ',');
    }
    *out = names;
    *n = count;
    return true;
}

static void free_names(char **names, size_t n) {
    for (size_t k = 0; k < n; k++) lm_free(names[k]);
    lm_free(names);
}

/* plot(y), plot(x, y) and, with a matrix Y, one line per column as in Octave and
 * Matplotlib: plot(Y) against 1..rows, plot(x, Y) against x when x has as many
 * values as Y has rows (or, failing that, columns: then one line per row), and
 * plot(X, Y) of equal shapes pairs their columns. */
static lm_value plot_data(lm_call *c) {
    lm_value errv = lm_nil();
    lm_value yv = c->nargs == 1 ? c->args[0] : c->args[1];
    size_t ny = 0, nx = 0, rows = 0, cols = 0;
    bool ymat = is_matrix(yv, &rows, &cols);
    double *y = arg_vec(c, yv, c->nargs == 1 ? "the values" : "y", &ny, &errv);
    if (!y) return errv;
    double *x = NULL;
    bool xmat = false;
    if (c->nargs == 2) {
        size_t xr = 0, xc = 0;
        xmat = is_matrix(c->args[0], &xr, &xc);
        x = arg_vec(c, c->args[0], "x", &nx, &errv);
        if (!x) {
            lm_free(y);
            return errv;
        }
        if (xmat && !(ymat && xr == rows && xc == cols)) {
            lm_value e = ymat ? lm_error_new(LM_ERR_SHAPE, "%s: x is %zu×%zu but y is %zu×%zu; a matrix x needs a y of the "
                                                           "same shape (or give x as a vector)", c->fname, xr, xc, rows, cols)
                              : lm_error_new(LM_ERR_SHAPE, "%s: x is a %zu×%zu matrix but y is a vector; give x as a "
                                                           "vector", c->fname, xr, xc);
            lm_free(x), lm_free(y);
            return e;
        }
    }
    /* npts points in each of nser lines: value i of line k is at [i*is + k*ks] */
    size_t npts = ny, nser = 1, is = 1, ks = 0;
    bool by_row = false;
    if (ymat) {
        if (c->nargs == 1 || xmat || nx == rows) npts = rows, nser = cols, is = cols, ks = 1;
        else if (nx == cols) npts = cols, nser = rows, is = 1, ks = cols, by_row = true;
        else {
            lm_free(x), lm_free(y);
            return lm_error_new(LM_ERR_SHAPE, "%s: x has %zu values but y is a %zu×%zu matrix; for one line per column, "
                                              "y needs %zu rows", c->fname, nx, rows, cols, nx);
        }
    } else if (c->nargs == 2 && nx != ny) {
        lm_free(x), lm_free(y);
        return lm_error_new(LM_ERR_SHAPE, "%s: x has %zu values but y has %zu", c->fname, nx, ny);
    }
    if (nser > SERIES_MAX) {
        lm_free(x), lm_free(y);
        return lm_error_new(LM_ERR_LIMIT, "%s: a matrix draws one line per %s, and %zu lines are more than the %d one "
                                          "plot shows; did you mean the transpose, %s?", c->fname,
                            by_row ? "row" : "column", nser, SERIES_MAX, c->nargs == 1 ? "plot(y')" : "plot(x, y')");
    }
    bool marker = false;
    char **names = NULL;
    size_t nnames = 0;
    if (!lm_opt_bool(c, "markers", &marker, &errv) || !opt_names(c, nser, &names, &nnames, &errv)) {
        lm_free(x), lm_free(y);
        return errv;
    }
    lm_plot *p = lm_plot_new();
    double *lx = lm_alloc((npts ? npts : 1) * sizeof *lx), *ly = lm_alloc((npts ? npts : 1) * sizeof *ly);
    for (size_t k = 0; k < nser; k++) {
        for (size_t i = 0; i < npts; i++) {
            ly[i] = y[i * is + k * ks];
            lx[i] = !x ? (double)(i + 1) : xmat ? x[i * is + k * ks] : x[i];
        }
        lm_series *s = lm_plot_add_xy(p, LM_SER_LINE, lx, ly, npts);
        if (marker || npts <= 1) s->marker = 3;
        if (nnames && *names[k]) s->label = lm_strdup(names[k]); /* an empty name leaves the line out of the legend */
        else if (nser > 1) {
            char lab[40];
            snprintf(lab, sizeof lab, "%s %zu", by_row ? "row" : "column", k + 1);
            s->label = lm_strdup(lab);
        }
    }
    p->legend = nser > 1 || nnames;
    char desc[96];
    if (nser > 1) snprintf(desc, sizeof desc, "%zu lines of %zu points", nser, npts);
    else snprintf(desc, sizeof desc, "line of %zu points", npts);
    lm_plot_set_str(&p->desc, desc);
    free_names(names, nnames);
    lm_free(lx), lm_free(ly), lm_free(x), lm_free(y);
    return lm_plot_value(p);
}

static lm_value plot_bnet(lm_call *c);
static lm_value plot_net(lm_call *c);

static lm_value plot_any(lm_call *c) {
    lm_value a0 = c->args[0];
    if (a0.kind == LM_EXPR || (c->nargs >= 2 && is_symbol(c->args[1]))) return plot_expr(c);
    if (a0.kind == LM_PLOT && c->nargs == 1) return lm_retain(a0);
    if (a0.kind == LM_DIST && c->nargs == 1) return plot_dist(c);
    if (lm_is_markov(a0) && c->nargs == 1) return plot_markov(c);
    if (lm_is_bnet(a0) && c->nargs == 1) return plot_bnet(c);
    if (lm_is_net(a0) && c->nargs == 1) return plot_net(c);
    if (a0.kind == LM_DIST || lm_is_markov(a0) || lm_is_bnet(a0) || lm_is_net(a0))
        return lm_error_new(LM_ERR_TYPE, "%s: a %s is drawn alone, as %s, not with %d arguments", c->fname,
                            a0.kind == LM_DIST     ? "distribution"
                            : lm_is_markov(a0) ? "Markov chain"
                            : lm_is_bnet(a0)   ? "Bayesian network"
                                               : "neural network",
                            a0.kind == LM_DIST     ? "plot(D, shade = [lo, hi])"
                            : lm_is_markov(a0) ? "plot(chain, start = 1, steps = 20)"
                                               : "plot(net)",
                            c->nargs);
    if (a0.kind == LM_FUNC)
        return lm_error_new(LM_ERR_TYPE, "%s: pass the function applied to its variable, as in plot(f(x), x, -2, 2)", c->fname);
    if (a0.kind != LM_TENSOR && a0.kind != LM_NUM && a0.kind != LM_BOOL) {
        char what[80];
        if (a0.kind == LM_OBJECT) snprintf(what, sizeof what, "an object of kind \"%s\"", a0.u.obj->type->name);
        else snprintf(what, sizeof what, "%s", lm_kind_a(a0.kind));
        return lm_error_new(LM_ERR_TYPE, "%s: cannot plot %s; plot draws an expression (plot(sin(x), x, -pi, pi)), "
                                         "numbers (plot(y), plot(x, Y)), a 2×2 matrix, a distribution, a Markov chain, "
                                         "a Bayesian network or a network from mlp",
                            c->fname, what);
    }
    if (c->nargs == 1 && a0.kind == LM_TENSOR) {
        lm_tensor *t = lm_tensor_of(a0);
        if (t->ndim == 2 && t->shape[0] == 2 && t->shape[1] == 2 && !t->imag) {
            double m[4] = {lm_tensor_get2(t, 0, 0), lm_tensor_get2(t, 0, 1), lm_tensor_get2(t, 1, 0),
                           lm_tensor_get2(t, 1, 1)};
            return plot_matrix2(c, m);
        }
    }
    if (c->nargs > 2) return lm_error_new(LM_ERR_TYPE, "%s: expected plot(y), plot(x, y) or plot(f, x, a, b)", c->fname);
    return plot_data(c);
}

static lm_value scatter_any(lm_call *c) {
    lm_value errv = lm_nil();
    size_t nx = 0, ny = 0;
    double *x = arg_vec(c, c->args[0], "x", &nx, &errv);
    if (!x) return errv;
    double *y = arg_vec(c, c->args[1], "y", &ny, &errv);
    if (!y) {
        lm_free(x);
        return errv;
    }
    if (nx != ny) {
        lm_free(x);
        lm_free(y);
        return lm_error_new(LM_ERR_SHAPE, "%s: x has %zu values but y has %zu", c->fname, nx, ny);
    }
    lm_plot *p = lm_plot_new();
    lm_series *s = lm_plot_add_xy(p, LM_SER_SCATTER, x, y, nx);
    s->alpha = nx > 500 ? 0.5 : 0.85;
    char desc[64];
    snprintf(desc, sizeof desc, "scatter of %zu points", nx);
    lm_plot_set_str(&p->desc, desc);
    lm_free(x);
    lm_free(y);
    return lm_plot_value(p);
}

static lm_value b_bar(lm_call *c) {
    lm_value errv = lm_nil();
    size_t nx = 0, ny = 0;
    double *x = NULL, *y = NULL;
    if (c->nargs == 1) {
        y = arg_vec(c, c->args[0], "the heights", &ny, &errv);
        if (!y) return errv;
        nx = ny;
        x = lm_alloc((ny ? ny : 1) * sizeof *x);
        for (size_t i = 0; i < ny; i++) x[i] = (double)(i + 1);
    } else {
        x = arg_vec(c, c->args[0], "the positions", &nx, &errv);
        if (!x) return errv;
        y = arg_vec(c, c->args[1], "the heights", &ny, &errv);
        if (!y || nx != ny) {
            lm_free(x);
            lm_free(y);
            return y ? lm_error_new(LM_ERR_SHAPE, "%s: %zu positions but %zu heights", c->fname, nx, ny) : errv;
        }
    }
    lm_plot *p = lm_plot_new();
    lm_series *s = lm_plot_add_xy(p, LM_SER_BAR, x, y, nx);
    /* bars as wide as 80% of the closest spacing between positions */
    double gap = INFINITY;
    for (size_t i = 1; i < nx; i++)
        if (isfinite(x[i]) && isfinite(x[i - 1]) && x[i] != x[i - 1]) gap = fmin(gap, fabs(x[i] - x[i - 1]));
    s->width = isfinite(gap) ? 0.8 * gap : 0.8;
    bool integer = true;
    for (size_t i = 0; i < nx; i++)
        if (x[i] != floor(x[i])) integer = false;
    p->xint = integer;
    char desc[64];
    snprintf(desc, sizeof desc, "%zu bars", nx);
    lm_plot_set_str(&p->desc, desc);
    lm_free(x);
    lm_free(y);
    return lm_plot_value(p);
}

static lm_value hist_any(lm_call *c) {
    lm_value errv = lm_nil();
    size_t n = 0;
    double *v = arg_vec(c, c->args[0], "the sample", &n, &errv);
    if (!v) return errv;
    size_t m = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i])) {
            v[m++] = v[i];
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
        }
    if (!m) {
        lm_free(v);
        return lm_error_new(LM_ERR_DOMAIN, "%s: the sample has no finite values to count", c->fname);
    }
    double dbins = NAN;
    if (c->nargs >= 2 && !lm_arg_double(c, 1, "the number of bins", &dbins, &errv)) goto fail;
    if (!lm_opt_double(c, "bins", &dbins, &errv)) goto fail;
    if (isnan(dbins)) dbins = fmin(50, fmax(5, ceil(log2((double)m) + 1))); /* Sturges */
    if (dbins != floor(dbins) || dbins < 1 || dbins > 10000) {
        errv = lm_error_new(LM_ERR_DOMAIN, "%s: the number of bins must be a whole number from 1 to 10000, not %g", c->fname, dbins);
        goto fail;
    }
    bool density = false;
    if (!lm_opt_bool(c, "density", &density, &errv)) goto fail;
    size_t nb = (size_t)dbins;
    if (lo == hi) lo -= 0.5, hi += 0.5;
    double w = (hi - lo) / (double)nb;
    double *cx = lm_alloc(nb * sizeof *cx), *cy = lm_calloc(nb, sizeof *cy);
    for (size_t i = 0; i < m; i++) {
        size_t k = (size_t)((v[i] - lo) / w);
        if (k >= nb) k = nb - 1; /* the last bin is closed on the right */
        cy[k]++;
    }
    for (size_t k = 0; k < nb; k++) {
        cx[k] = lo + w * ((double)k + 0.5);
        if (density) cy[k] /= (double)m * w;
    }
    lm_plot *p = lm_plot_new();
    lm_series *s = lm_plot_add_xy(p, LM_SER_BAR, cx, cy, nb);
    s->width = w;
    s->label = lm_strdup(density ? "histogram (density)" : "histogram");
    if (density) {
        /* a Gaussian kernel density estimate with Silverman's bandwidth */
        double mean = 0, ss = 0;
        for (size_t i = 0; i < m; i++) mean += v[i];
        mean /= (double)m;
        for (size_t i = 0; i < m; i++) ss += (v[i] - mean) * (v[i] - mean);
        double sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
        double bw = 1.06 * sd * pow((double)m, -0.2);
        if (bw > 0) {
            enum { NK = 200 };
            double kx[NK], ky[NK];
            size_t stride = m > 20000 ? m / 20000 : 1, used = 0;
            for (size_t i = 0; i < m; i += stride) used++;
            for (int j = 0; j < NK; j++) {
                kx[j] = lo - 2 * bw + (hi - lo + 4 * bw) * j / (NK - 1);
                double acc = 0;
                for (size_t i = 0; i < m; i += stride) {
                    double z = (kx[j] - v[i]) / bw;
                    acc += exp(-0.5 * z * z);
                }
                ky[j] = acc / ((double)used * bw * sqrt(2 * 3.14159265358979323846));
            }
            s = lm_plot_add_xy(p, LM_SER_LINE, kx, ky, NK);
            s->label = lm_strdup("kernel density");
        }
        lm_plot_set_str(&p->ylabel, "density");
    } else {
        lm_plot_set_str(&p->ylabel, "count");
    }
    char desc[96];
    snprintf(desc, sizeof desc, "histogram of %zu values in %zu bins", m, nb);
    lm_plot_set_str(&p->desc, desc);
    lm_free(cx);
    lm_free(cy);
    lm_free(v);
    return lm_plot_value(p);
fail:
    lm_free(v);
    return errv;
}

static lm_value b_heatmap(lm_call *c) {
    lm_value errv = lm_nil();
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[0], "the matrix", &err);
    if (!t) {
        lm_err_clear(&err);
        return lm_error_new(LM_ERR_TYPE, "%s: expected a matrix, not %s", c->fname, lm_kind_a(c->args[0].kind));
    }
    if (t->ndim > 2 || t->imag) {
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_SHAPE, "%s: expected a real matrix", c->fname);
    }
    size_t rows = (size_t)lm_tensor_rows(t), cols = (size_t)lm_tensor_cols(t);
    if (!rows || !cols) {
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_SHAPE, "%s: the matrix is empty", c->fname);
    }
    double *z = lm_alloc(rows * cols * sizeof *z);
    lm_tensor_gather(t, z);
    lm_tensor_release(t);
    lm_plot *p = lm_plot_new();
    lm_plot_add_grid(p, LM_SER_HEATMAP, z, cols, rows, 1, (double)cols, 1, (double)rows);
    p->yflip = true;
    p->xint = p->yint = true;
    p->grid = false;
    lm_plot_set_str(&p->xlabel, "column");
    lm_plot_set_str(&p->ylabel, "row");
    char desc[64];
    snprintf(desc, sizeof desc, "heatmap of a %zu×%zu matrix", rows, cols);
    lm_plot_set_str(&p->desc, desc);
    lm_free(z);
    (void)errv;
    return lm_plot_value(p);
}

/* The variables [x, y] of contour and quiver: two symbols. */
static bool arg_xy(lm_call *c, int i, lm_expr **vars, lm_value *errv) {
    lm_value v = c->args[i];
    if (v.kind == LM_EXPR) {
        lm_expr *e = lm_expr_of(v);
        if (e->op == LM_X_MATRIX && e->nargs == 2 && e->args[0]->op == LM_X_SYM && e->args[1]->op == LM_X_SYM &&
            e->args[0] != e->args[1]) {
            vars[0] = e->args[0];
            vars[1] = e->args[1];
            return true;
        }
    }
    *errv = lm_error_new(LM_ERR_TYPE, "%s: the variables must be two symbols, as in [x, y]", c->fname);
    return false;
}

/* Samples e (one output, or outputs k0..) on an n×n grid over [x0,x1]×[y0,y1]. */
static double *sample_grid(const lm_sym_prog *prog, int out, size_t n, double x0, double x1, double y0, double y1) {
    int nout = lm_sym_prog_nout(prog);
    double *z = lm_alloc(n * n * sizeof *z), *buf = lm_alloc((size_t)nout * sizeof *buf);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double pt[2] = {x0 + (x1 - x0) * (double)i / (double)(n - 1), y0 + (y1 - y0) * (double)j / (double)(n - 1)};
            lm_sym_prog_eval(prog, pt, buf);
            z[j * n + i] = buf[out];
        }
    lm_free(buf);
    return z;
}

static lm_value b_contour(lm_call *c) {
    lm_value errv = lm_nil();
    lm_expr *vars[2];
    double x0, x1, y0, y1, dn = GRID_DEFAULT;
    if (!arg_xy(c, 1, vars, &errv) || !arg_range(c, c->args[2], "the x range", &x0, &x1, &errv) ||
        !arg_range(c, c->args[3], "the y range", &y0, &y1, &errv) || !lm_opt_double(c, "n", &dn, &errv))
        return errv;
    if (dn != floor(dn) || dn < 3 || dn > GRID_MAX)
        return lm_error_new(LM_ERR_DOMAIN, "%s: the grid size n must be a whole number from 3 to %d", c->fname, GRID_MAX);
    bool filled = false;
    if (!lm_opt_bool(c, "filled", &filled, &errv)) return errv;
    lm_err err = LM_ERR_INIT;
    lm_expr *e = lm_as_expr(c->ctx, c->args[0], &err);
    if (!e) return err_value(c, &err);
    lm_sym_prog *prog = lm_sym_compile(e, vars, 2, &err);
    if (!prog) {
        lm_expr_release(e);
        return err_value(c, &err);
    }
    if (lm_sym_prog_nout(prog) != 1) {
        lm_sym_prog_free(prog);
        lm_expr_release(e);
        return lm_error_new(LM_ERR_SHAPE, "%s: expected one expression, not a matrix", c->fname);
    }
    size_t n = (size_t)dn;
    double *z = sample_grid(prog, 0, n, x0, x1, y0, y1);
    lm_sym_prog_free(prog);
    lm_plot *p = lm_plot_new();
    lm_series *s = lm_plot_add_grid(p, filled ? LM_SER_CONTOURF : LM_SER_CONTOUR, z, n, n, x0, x1, y0, y1);
    /* levels = v (one level or a list), nlevels = k (about k nice levels) */
    lm_value lv = lm_call_named(c, "levels");
    double nlev = 0;
    if (!lm_opt_double(c, "nlevels", &nlev, &errv)) goto fail;
    if (!lm_is_nil(lv)) {
        size_t nl = 0;
        double *l = arg_vec(c, lv, "levels", &nl, &errv);
        if (!l) goto fail;
        if (nl == 0 || nl > LM_PLOT_MAX_TICKS) {
            lm_free(l);
            errv = lm_error_new(LM_ERR_DOMAIN, "%s: between 1 and %d levels, please", c->fname, LM_PLOT_MAX_TICKS);
            goto fail;
        }
        lm_series_set_levels(s, l, nl);
        lm_free(l);
    } else if (nlev != 0) {
        if (nlev != floor(nlev) || nlev < 1 || nlev > LM_PLOT_MAX_TICKS - 2) {
            errv = lm_error_new(LM_ERR_DOMAIN, "%s: nlevels must be a whole number from 1 to %d", c->fname, LM_PLOT_MAX_TICKS - 2);
            goto fail;
        }
        double zl = INFINITY, zh = -INFINITY, l[LM_PLOT_MAX_TICKS];
        for (size_t i = 0; i < n * n; i++)
            if (isfinite(z[i])) zl = fmin(zl, z[i]), zh = fmax(zh, z[i]);
        int k = lm_plot_levels(zl, zh, (int)nlev, l);
        lm_series_set_levels(s, l, (size_t)k);
    }
    if (filled) {
        /* thin dark lines over the bands at the same levels */
        lm_series *ln = lm_plot_add_grid(p, LM_SER_CONTOUR, z, n, n, x0, x1, y0, y1);
        s = &p->s[0];
        ln->width = 0.6;
        ln->color = 0x333333;
        ln->label_levels = false;
        if (s->levels) lm_series_set_levels(ln, s->levels, s->nlevels);
    }
    /* path = P: the iterates of an optimizer, one point per row (or column) */
    lm_value pv = lm_call_named(c, "path");
    lm_value path_pts = lm_nil();
    if (lm_is_opt_trace(pv)) {
        /* the trajectory of [xmin, p] = gd(...): its iterates, one point per row */
        const lm_opt_trace *tr = (const lm_opt_trace *)pv.u.obj;
        if (tr->n != 2) {
            errv = lm_error_new(LM_ERR_SHAPE, "%s: path is a run in %d variables; a contour shows runs in 2", c->fname, tr->n);
            goto fail;
        }
        lm_err e3 = LM_ERR_INIT;
        lm_tensor *pts = lm_tensor_matrix(tr->npoints, 2, &e3);
        lm_err_clear(&e3);
        if (pts) {
            memcpy(pts->data, tr->x, (size_t)(tr->npoints * 2) * sizeof(double));
            path_pts = lm_tensor_value(pts);
            pv = path_pts;
        }
    }
    if (!lm_is_nil(pv)) {
        lm_err e2 = LM_ERR_INIT;
        lm_tensor *t = lm_as_tensor(pv, "path", &e2);
        lm_release(path_pts);
        path_pts = lm_nil();
        lm_err_clear(&e2);
        if (!t || t->ndim > 2 || (lm_tensor_cols(t) != 2 && lm_tensor_rows(t) != 2)) {
            lm_tensor_release(t);
            errv = lm_error_new(LM_ERR_SHAPE, "%s: path must be a k×2 matrix of points (x, y), one per row", c->fname);
            goto fail;
        }
        bool rows2 = lm_tensor_cols(t) == 2;
        size_t k = (size_t)(rows2 ? lm_tensor_rows(t) : lm_tensor_cols(t));
        double *px = lm_alloc((k ? k : 1) * sizeof *px), *py = lm_alloc((k ? k : 1) * sizeof *py);
        for (size_t i = 0; i < k; i++) {
            px[i] = rows2 ? lm_tensor_get2(t, (int64_t)i, 0) : lm_tensor_get2(t, 0, (int64_t)i);
            py[i] = rows2 ? lm_tensor_get2(t, (int64_t)i, 1) : lm_tensor_get2(t, 1, (int64_t)i);
        }
        lm_tensor_release(t);
        lm_series *ps = lm_plot_add_xy(p, LM_SER_LINE, px, py, k);
        ps->color = 0xD55E00;
        ps->marker = 2.5;
        ps->width = 1.6;
        ps->label = lm_strdup("path");
        if (k) {
            ps = lm_plot_add_xy(p, LM_SER_SCATTER, px, py, 1);
            ps->color = 0x000000;
            ps->marker = 4.5;
            ps->label = lm_strdup("start");
        }
        p->legend = true;
        lm_free(px);
        lm_free(py);
    }
    p->equal = lm_opt_bool(c, "equal", &p->equal, &errv) && p->equal;
    if (!lm_is_nil(errv)) goto fail;
    lm_plot_set_str(&p->xlabel, vars[0]->u.name);
    lm_plot_set_str(&p->ylabel, vars[1]->u.name);
    lm_buf d = LM_BUF_INIT;
    lm_buf_puts(&d, "level sets of ");
    lm_sym_print_text_digits(e, &d, 4);
    lm_plot_set_str(&p->desc, lm_buf_cstr(&d));
    lm_buf_free(&d);
    lm_expr_release(e);
    lm_free(z);
    return lm_plot_value(p);
fail:
    lm_expr_release(e);
    lm_free(z);
    lm_plot_release(p);
    return errv;
}

static lm_value b_quiver(lm_call *c) {
    lm_value errv = lm_nil();
    lm_plot *p = NULL;
    if (c->nargs == 4 && c->args[1].kind != LM_EXPR) {
        /* quiver(x, y, u, v): numbers */
        size_t n[4];
        double *d[4] = {0};
        const char *what[4] = {"x", "y", "u", "v"};
        for (int i = 0; i < 4; i++) {
            d[i] = arg_vec(c, c->args[i], what[i], &n[i], &errv);
            if (!d[i] || n[i] != n[0]) {
                if (d[i]) errv = lm_error_new(LM_ERR_SHAPE, "%s: x, y, u and v must have as many values", c->fname);
                for (int j = 0; j <= i; j++) lm_free(d[j]);
                return errv;
            }
        }
        p = lm_plot_new();
        lm_plot_add_arrows(p, d[0], d[1], d[2], d[3], n[0], 0);
        for (int j = 0; j < 4; j++) lm_free(d[j]);
        lm_plot_set_str(&p->desc, "vector field");
        return lm_plot_value(p);
    }
    /* quiver(F, [x, y], [x0, x1], [y0, y1]): F a 2-vector of expressions */
    lm_expr *vars[2];
    double x0, x1, y0, y1, dn = 15;
    if (c->nargs != 4 || !arg_xy(c, 1, vars, &errv) || !arg_range(c, c->args[2], "the x range", &x0, &x1, &errv) ||
        !arg_range(c, c->args[3], "the y range", &y0, &y1, &errv) || !lm_opt_double(c, "n", &dn, &errv))
        return lm_is_nil(errv) ? lm_error_new(LM_ERR_TYPE, "%s: expected quiver(F, [x, y], [x0, x1], [y0, y1])", c->fname) : errv;
    if (dn != floor(dn) || dn < 2 || dn > 100)
        return lm_error_new(LM_ERR_DOMAIN, "%s: the grid size n must be a whole number from 2 to 100", c->fname);
    lm_err err = LM_ERR_INIT;
    lm_expr *e = NULL;
    if (c->args[0].kind == LM_TENSOR && lm_tensor_of(c->args[0])->size == 2 && !lm_tensor_of(c->args[0])->imag) {
        /* a constant field [u; v] */
        double uv[2];
        lm_tensor_gather(lm_tensor_of(c->args[0]), uv);
        lm_expr *el[2] = {lm_sym_number(c->ctx, uv[0]), lm_sym_number(c->ctx, uv[1])};
        e = el[0] && el[1] ? lm_sym_matrix(c->ctx, 2, 1, el, &err) : NULL;
        lm_expr_release(el[0]);
        lm_expr_release(el[1]);
    } else {
        e = lm_as_expr(c->ctx, c->args[0], &err);
    }
    if (!e) return err_value(c, &err);
    lm_sym_prog *prog = lm_sym_compile(e, vars, 2, &err);
    if (!prog) {
        lm_expr_release(e);
        return err_value(c, &err);
    }
    if (lm_sym_prog_nout(prog) != 2) {
        lm_sym_prog_free(prog);
        lm_expr_release(e);
        return lm_error_new(LM_ERR_SHAPE, "%s: the field must have two components, as in [-y; x]", c->fname);
    }
    size_t n = (size_t)dn;
    double *u = sample_grid(prog, 0, n, x0, x1, y0, y1), *v = sample_grid(prog, 1, n, x0, x1, y0, y1);
    double *gx = lm_alloc(n * n * sizeof *gx), *gy = lm_alloc(n * n * sizeof *gy);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            gx[j * n + i] = x0 + (x1 - x0) * (double)i / (double)(n - 1);
            gy[j * n + i] = y0 + (y1 - y0) * (double)j / (double)(n - 1);
        }
    lm_sym_prog_free(prog);
    p = lm_plot_new();
    lm_plot_add_arrows(p, gx, gy, u, v, n * n, 0);
    p->equal = true;
    lm_plot_set_str(&p->xlabel, vars[0]->u.name);
    lm_plot_set_str(&p->ylabel, vars[1]->u.name);
    lm_buf d = LM_BUF_INIT;
    lm_buf_puts(&d, "vector field ");
    lm_sym_print_text_digits(e, &d, 4);
    lm_plot_set_str(&p->desc, lm_buf_cstr(&d));
    lm_buf_free(&d);
    lm_expr_release(e);
    lm_free(u), lm_free(v), lm_free(gx), lm_free(gy);
    return lm_plot_value(p);
}

/* The x range tangent(f, x, a) shows when none is given: a ± h with h = 3,
 * narrowed (by √2 at a time, down to 0.75) while the outer half of the window
 * makes f span more than 6 times what it spans over the inner half: far-away
 * growth (x^4 at x = 4) would flatten the local shape the picture is about into
 * a line. A power law looks alike at every scale and keeps the widest window
 * still under the ratio. */
static void tangent_window(const lm_sym_prog *pf, double a, double *lo, double *hi) {
    enum { NS = 201 };
    double *buf = lm_alloc((size_t)lm_sym_prog_nout(pf) * sizeof *buf), h = 3;
    for (int step = 0; step < 4; step++, h /= sqrt(2.0)) {
        double span[2];
        for (int half = 0; half < 2; half++) {
            double w = half ? h / 2 : h, mn = INFINITY, mx = -INFINITY;
            for (int i = 0; i < NS; i++) {
                double y = eval1(pf, 0, a - w + 2 * w * i / (NS - 1), buf);
                if (isfinite(y)) mn = fmin(mn, y), mx = fmax(mx, y);
            }
            span[half] = mx >= mn ? mx - mn : 0;
        }
        if (!(span[0] > 6 * span[1])) break;
    }
    lm_free(buf);
    *lo = a - h;
    *hi = a + h;
}

/* tangent(f, x, a): f near a with its tangent line y = f(a) + f'(a)(x - a). */
static lm_value b_tangent(lm_call *c) {
    lm_value errv = lm_nil();
    if (!is_symbol(c->args[1])) return lm_error_new(LM_ERR_TYPE, "%s: the variable must be a symbol, as in tangent(x^2, x, 1)", c->fname);
    double a;
    if (!lm_arg_double(c, 2, "the point", &a, &errv)) return errv;
    if (!isfinite(a)) return lm_error_new(LM_ERR_DOMAIN, "%s: the point must be finite", c->fname);
    double lo = NAN, hi = NAN;
    if (c->nargs == 4 && !arg_range(c, c->args[3], "the range", &lo, &hi, &errv)) return errv;
    lm_expr *x = lm_expr_of(c->args[1]);
    lm_err err = LM_ERR_INIT;
    lm_expr *e = lm_as_expr(c->ctx, c->args[0], &err);
    if (!e) return err_value(c, &err);
    lm_expr *de = lm_sym_diff(c->ctx, e, x, &err);
    if (!de) {
        lm_expr_release(e);
        return err_value(c, &err);
    }
    lm_expr *vars[1] = {x};
    lm_sym_prog *pf = lm_sym_compile(e, vars, 1, &err);
    lm_sym_prog *pd = pf ? lm_sym_compile(de, vars, 1, &err) : NULL;
    if (!pd) {
        lm_sym_prog_free(pf);
        lm_expr_release(e);
        lm_expr_release(de);
        return err_value(c, &err);
    }
    double fa, m;
    lm_sym_prog_eval(pf, &a, &fa);
    lm_sym_prog_eval(pd, &a, &m);
    if (!isfinite(fa) || !isfinite(m)) {
        lm_sym_prog_free(pf);
        lm_sym_prog_free(pd);
        lm_expr_release(e);
        lm_expr_release(de);
        return lm_error_new(LM_ERR_DOMAIN, "%s: the function or its derivative is not finite at %g", c->fname, a);
    }
    if (isnan(lo)) tangent_window(pf, a, &lo, &hi);
    lm_plot *p = lm_plot_new();
    curve k = {0};
    sample_curve(pf, 0, lo, hi, &k);
    lm_buf lb = LM_BUF_INIT;
    lm_sym_print_text_digits(e, &lb, 4);
    lm_series *s = lm_plot_add_xy(p, LM_SER_LINE, k.x, k.y, k.n);
    s->label = lm_buf_steal(&lb);
    /* the view follows f, not the tangent line running off */
    double ylo, yhi, mn, mx;
    robust_range(k.y, k.n, &ylo, &yhi, &mn, &mx);
    tame_ylim(p, k.y, k.n);
    if (!isfinite(p->ylim[0])) {
        double pad = 0.1 * fmax(mx - mn, 1e-9);
        p->ylim[0] = fmin(mn, fa) - pad;
        p->ylim[1] = fmax(mx, fa) + pad;
    }
    double tx[2] = {lo, hi}, ty[2] = {fa + m * (lo - a), fa + m * (hi - a)};
    s = lm_plot_add_xy(p, LM_SER_LINE, tx, ty, 2);
    s->dash = 1;
    /* A slope that is zero up to rounding (a, or f'(a), known to a few digits)
       reads as 0 rather than 9.8e-09: "small" is relative to the typical slope
       of f across the picture, the height it spans over its width. */
    double yspan = (isfinite(p->ylim[0]) ? p->ylim[1] - p->ylim[0] : mx - mn), xspan = hi - lo;
    double shown = fabs(m) <= 1e-6 * fabs(yspan / xspan) ? 0 : m;
    char sl[40], sa[40], lab[120];
    lm_fmt_double_sig(sl, shown, 4);
    lm_fmt_double_sig(sa, a, 4);
    snprintf(lab, sizeof lab, "tangent at %s = %s, slope %s", x->u.name, sa, sl);
    s->label = lm_strdup(lab);
    s = lm_plot_add_xy(p, LM_SER_SCATTER, &a, &fa, 1);
    s->color = 0x000000;
    s->marker = 4.5;
    p->legend = true;
    lm_plot_set_str(&p->xlabel, x->u.name);
    char note[120];
    snprintf(note, sizeof note, "slope at %s = %s: %s", x->u.name, sa, sl);
    lm_plot_set_str(&p->note, note);
    lm_buf d = LM_BUF_INIT;
    lm_buf_puts(&d, "tangent to ");
    lm_sym_print_text_digits(e, &d, 4);
    lm_buf_printf(&d, " at %s = %s", x->u.name, sa);
    lm_plot_set_str(&p->desc, lm_buf_cstr(&d));
    lm_buf_free(&d);
    curve_free(&k);
    lm_sym_prog_free(pf);
    lm_sym_prog_free(pd);
    lm_expr_release(e);
    lm_expr_release(de);
    return lm_plot_value(p);
}

/* ---- log scales ---- */

/* Reads xscale = "log" | "linear" (and yscale); *log keeps its default when absent. */
static bool opt_scale(lm_call *c, const char *name, bool *log, lm_value *err) {
    lm_value v = lm_call_named(c, name);
    if (lm_is_nil(v)) return true;
    const char *t = v.kind == LM_STRING ? lm_string_data(v) : NULL;
    if (t && !strcmp(t, "log")) *log = true;
    else if (t && !strcmp(t, "linear")) *log = false;
    else {
        *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be \"log\" or \"linear\"", c->fname, name);
        return false;
    }
    return true;
}

static void count_positive(const double *v, size_t n, size_t *pos, size_t *bad) {
    for (size_t i = 0; v && i < n; i++) {
        if (!isfinite(v[i])) continue;
        if (v[i] > 0) (*pos)++;
        else (*bad)++;
    }
}

/* Puts a finished figure on log axes (xlog, ylog: the defaults of loglog and
 * friends; the options override them). Values <= 0 cannot be placed on a log
 * axis: they are dropped and a note in the figure says how many; when nothing
 * would be left it is an error instead. Takes v. */
static lm_value with_scales(lm_call *c, lm_value v, bool xlog, bool ylog) {
    if (lm_is_error(v) || v.kind != LM_PLOT) return v;
    lm_value errv = lm_nil();
    if (!opt_scale(c, "xscale", &xlog, &errv) || !opt_scale(c, "yscale", &ylog, &errv)) {
        lm_release(v);
        return errv;
    }
    if (!xlog && !ylog) return v;
    lm_plot *p = lm_plot_clone(lm_plot_of(v));
    lm_release(v);
    size_t xpos = 0, xbad = 0, ypos = 0, ybad = 0;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        if (s->kind == LM_SER_CONTOUR || s->kind == LM_SER_CONTOURF || s->kind == LM_SER_HEATMAP ||
            s->kind == LM_SER_ARROWS) {
            lm_plot_release(p);
            return lm_error_new(LM_ERR_DOMAIN, "%s: log scales are for lines, points and bars, not for grids or arrows",
                                c->fname);
        }
        if (s->kind == LM_SER_TEXT) continue;
        if (xlog) count_positive(s->x, s->n, &xpos, &xbad);
        if (ylog) count_positive(s->y, s->n, &ypos, &ybad);
        if (ylog) count_positive(s->y2, s->n, &ypos, &ybad);
    }
    if ((xlog && !xpos) || (ylog && !ypos)) {
        lm_plot_release(p);
        return lm_error_new(LM_ERR_DOMAIN, "%s: a log %s axis needs positive values, and none of the %zu are", c->fname,
                            xlog && !xpos ? "x" : "y", xlog && !xpos ? xbad : ybad);
    }
    p->xlog = xlog;
    p->ylog = ylog;
    p->equal = false; /* one unit has no fixed length on a log axis */
    if ((xbad || ybad) && !p->note) {
        char note[96];
        snprintf(note, sizeof note, "%zu value%s <= 0 not shown (log scale)", xbad + ybad, xbad + ybad == 1 ? "" : "s");
        lm_plot_set_str(&p->note, note);
    }
    return lm_plot_value(p);
}

static lm_value b_plot(lm_call *c) { return with_scales(c, plot_any(c), false, false); }
static lm_value b_scatter(lm_call *c) { return with_scales(c, scatter_any(c), false, false); }
static lm_value b_hist(lm_call *c) { return with_scales(c, hist_any(c), false, false); }
static lm_value b_loglog(lm_call *c) { return with_scales(c, plot_any(c), true, true); }
static lm_value b_semilogx(lm_call *c) { return with_scales(c, plot_any(c), true, false); }
static lm_value b_semilogy(lm_call *c) { return with_scales(c, plot_any(c), false, true); }

/* ---- several plots in one figure ---- */

static lm_value b_subplots(lm_call *c) {
    lm_value errv = lm_nil();
    size_t n = (size_t)c->nargs;
    if (n > 64) return lm_error_new(LM_ERR_LIMIT, "%s: at most 64 panels in one figure, not %zu", c->fname, n);
    for (size_t i = 0; i < n; i++)
        if (c->args[i].kind != LM_PLOT)
            return lm_error_new(LM_ERR_TYPE, "%s: argument %zu must be a plot, not %s", c->fname, i + 1,
                                lm_kind_a(c->args[i].kind));
    /* default: one row up to three panels, then a near-square grid */
    double cols = n <= 3 ? (double)n : ceil(sqrt((double)n));
    if (!lm_opt_double(c, "cols", &cols, &errv)) return errv;
    if (cols != floor(cols) || cols < 1 || cols > 64)
        return lm_error_new(LM_ERR_DOMAIN, "%s: cols must be a whole number from 1 to 64, not %g", c->fname, cols);
    lm_plot *panels[64];
    for (size_t i = 0; i < n; i++) panels[i] = lm_plot_of(c->args[i]);
    lm_plot *p = lm_plot_grid(panels, n, (int)cols);
    char desc[64];
    snprintf(desc, sizeof desc, "%zu panels, %d to a row", n, p->cols);
    lm_plot_set_str(&p->desc, desc);
    return lm_plot_value(p);
}

/* ---- a Bayesian network's graph ---- */

/* The parents of each node, recovered through d-separation (the network's
 * public interface): nodes are stored parents-first, and j < i is a parent of i
 * exactly when i and j are not d-separated given all the other nodes before i
 * (any other path from j into i runs through a conditioned parent of i or a
 * collider that is a descendant of i, and no descendant of i comes before it). */
static void bnet_parents(const lm_bnet *net, int64_t n, bool *par) {
    int64_t *z = lm_alloc((size_t)(n ? n : 1) * sizeof *z);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < i; j++) {
            int64_t nz = 0;
            for (int64_t q = 0; q < i; q++)
                if (q != j) z[nz++] = q;
            par[i * n + j] = !lm_bnet_dsep(net, &j, 1, &i, 1, z, nz);
        }
    lm_free(z);
}

static lm_value plot_bnet(lm_call *c) {
    const lm_bnet *net = (const lm_bnet *)c->args[0].u.obj;
    int64_t n = lm_bnet_size(net);
    if (n < 1) return lm_error_new(LM_ERR_DOMAIN, "%s: the network has no nodes yet; add them with node(...)", c->fname);
    if (n > 100) return lm_error_new(LM_ERR_LIMIT, "%s: a network of %lld nodes is too large to draw (at most 100)",
                                     c->fname, (long long)n);
    bool *par = lm_calloc((size_t)(n * n), sizeof *par);
    bnet_parents(net, n, par);
    /* layers by depth: a root is at depth 0, a child one below its deepest parent */
    int64_t *depth = lm_calloc((size_t)n, sizeof *depth), *slot = lm_calloc((size_t)n, sizeof *slot);
    int64_t *count = lm_calloc((size_t)n, sizeof *count), maxd = 0, maxw = 1;
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < i; j++)
            if (par[i * n + j] && depth[j] + 1 > depth[i]) depth[i] = depth[j] + 1;
        slot[i] = count[depth[i]]++;
        if (depth[i] > maxd) maxd = depth[i];
        if (count[depth[i]] > maxw) maxw = count[depth[i]];
    }
    double *x = lm_alloc((size_t)n * sizeof *x), *y = lm_alloc((size_t)n * sizeof *y);
    for (int64_t i = 0; i < n; i++) {
        /* each layer centred; one unit of x per node, one of y per layer */
        x[i] = (double)slot[i] - (double)(count[depth[i]] - 1) / 2;
        y[i] = -(double)depth[i];
    }
    /* An edge that skips a layer would run straight through a lone node in
       between (Rain -> WetGrass behind Sprinkler): move that node aside. */
    for (int64_t i = 0; i < n; i++) {
        if (count[depth[i]] != 1) continue;
        for (int64_t k = 0; k < n; k++)
            for (int64_t j = 0; j < k; j++)
                if (par[k * n + j] && depth[j] < depth[i] && depth[i] < depth[k] && x[j] == x[i] && x[k] == x[i])
                    x[i] += 0.9;
    }
    double xmin = 0, xmax = 0;
    for (int64_t i = 0; i < n; i++) {
        if (x[i] < xmin) xmin = x[i];
        if (x[i] > xmax) xmax = x[i];
    }
    const double hw = 0.4, hh = 0.22; /* half the size of a node's box */
    lm_plot *p = lm_plot_new();
    p->noaxes = true;
    p->grid = false;
    /* at least three node widths across, so a lone node is a box, not a banner */
    double mid = (xmin + xmax) / 2, half = fmax((xmax - xmin) / 2 + 0.6, 1.5);
    p->xlim[0] = mid - half;
    p->xlim[1] = mid + half;
    for (int64_t i = 0; i < n; i++) {
        double bx[4] = {x[i] - hw, x[i] + hw, x[i] + hw, x[i] - hw}, by[4] = {y[i] - hh, y[i] - hh, y[i] + hh, y[i] + hh};
        lm_series *s = lm_plot_add_xy(p, LM_SER_POLYGON, bx, by, 4);
        s->color = 0x0072B2;
        s->fill = 0xDCEBF7;
        s->alpha = 1;
    }
    size_t ne = 0;
    for (int64_t k = 0; k < n * n; k++) ne += par[k];
    if (ne) {
        double *ax = lm_alloc(ne * sizeof *ax), *ay = lm_alloc(ne * sizeof *ay);
        double *au = lm_alloc(ne * sizeof *au), *av = lm_alloc(ne * sizeof *av);
        size_t e = 0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < i; j++)
                if (par[i * n + j]) {
                    /* from the bottom edge of the parent to the top edge of the child */
                    ax[e] = x[j], ay[e] = y[j] - hh;
                    au[e] = x[i] - x[j], av[e] = (y[i] + hh) - (y[j] - hh);
                    e++;
                }
        lm_series *s = lm_plot_add_arrows(p, ax, ay, au, av, ne, 1);
        s->color = 0x404040;
        lm_free(ax), lm_free(ay), lm_free(au), lm_free(av);
    }
    for (int64_t i = 0; i < n; i++) {
        lm_series *s = lm_plot_add_text(p, x[i], y[i] - 0.05, lm_bnet_name(net, i), 0);
        s->color = 0x000000;
    }
    p->ylim[0] = -(double)maxd - 0.45, p->ylim[1] = 0.45;
    lm_buf b = LM_BUF_INIT;
    lm_buf_puts(&b, "Bayesian network: ");
    lm_bnet_names(net, &b);
    lm_plot_set_str(&p->desc, lm_buf_cstr(&b));
    lm_buf_free(&b);
    lm_free(par), lm_free(depth), lm_free(slot), lm_free(count), lm_free(x), lm_free(y);
    return lm_plot_value(p);
}

/* ---- a neural network (mlp) as layers of units ---- */

#define NET_MAX_UNITS 32  /* units in one layer that can still be told apart */
#define NET_MAX_DRAWN 12  /* layers side by side before the labels run together */
#define NET_WIDTH_BINS 4  /* line widths for |weight|: a legend can name a few, not a continuum */

/* plot(net): layer l's units in a column at x = l, unit j of n at
 * y = (n - 1)/2 - j (top to bottom), an edge from every unit to every unit of
 * the next layer. Colour is the sign of the weight, width its size relative to
 * the largest |weight| (in NET_WIDTH_BINS steps). Biases are not drawn. */
static lm_value plot_net(lm_call *c) {
    const lm_net *net = (const lm_net *)c->args[0].u.obj;
    int L = net->nlayers;
    int64_t maxn = 1, nedges = 0;
    for (int l = 0; l <= L; l++) {
        if (net->sizes[l] > NET_MAX_UNITS)
            return lm_error_new(LM_ERR_LIMIT, "%s: layer %d has %lld units, too many to draw one by one (at most %d); "
                                              "the picture is for small networks such as mlp([2, 4, 1])",
                                c->fname, l + 1, (long long)net->sizes[l], NET_MAX_UNITS);
        if (net->sizes[l] > maxn) maxn = net->sizes[l];
        if (l < L) nedges += net->sizes[l] * net->sizes[l + 1];
    }
    if (L + 1 > NET_MAX_DRAWN)
        return lm_error_new(LM_ERR_LIMIT, "%s: %d layers are too many to draw side by side (at most %d)", c->fname, L + 1,
                            NET_MAX_DRAWN);
    double wmax = 0;
    for (int l = 0; l < L; l++) {
        const double *W = net->theta + lm_net_w_offset(net, l);
        for (int64_t k = 0; k < net->sizes[l] * net->sizes[l + 1]; k++) wmax = fmax(wmax, fabs(W[k]));
    }
    lm_plot *p = lm_plot_new();
    p->noaxes = true;
    p->grid = false;
    p->legend = true;
    /* edges first, so that the units are drawn over their ends; one series per
       (sign, width) pair, the segments separated by NaN */
    size_t cap = (size_t)nedges * 3;
    double *ex = lm_alloc(cap * sizeof *ex), *ey = lm_alloc(cap * sizeof *ey);
    for (int sign = 0; sign < 2; sign++) {
        bool labelled = false;
        for (int bin = NET_WIDTH_BINS - 1; bin >= 0; bin--) {
            size_t n = 0;
            for (int l = 0; l < L; l++) {
                int64_t nin = net->sizes[l], nout = net->sizes[l + 1];
                const double *W = net->theta + lm_net_w_offset(net, l);
                for (int64_t i = 0; i < nin; i++)
                    for (int64_t j = 0; j < nout; j++) {
                        double w = W[i * nout + j], rel = wmax > 0 ? fabs(w) / wmax : 0;
                        int b = (int)fmin(NET_WIDTH_BINS - 1, floor(rel * NET_WIDTH_BINS));
                        if ((w < 0) != (sign == 1) || b != bin) continue;
                        ex[n] = l, ey[n++] = (double)(nin - 1) / 2 - (double)i;
                        ex[n] = l + 1, ey[n++] = (double)(nout - 1) / 2 - (double)j;
                        ex[n] = NAN, ey[n++] = NAN;
                    }
            }
            if (!n) continue;
            lm_series *s = lm_plot_add_xy(p, LM_SER_LINE, ex, ey, n - 1);
            s->color = sign ? 0xD55E00 : 0x0072B2;
            s->width = 0.6 + 1.0 * bin;
            if (!labelled) s->label = lm_strdup(sign ? "weight < 0" : "weight > 0");
            labelled = true;
        }
    }
    lm_free(ex), lm_free(ey);
    /* units: a column of markers per layer, small enough not to touch */
    double ux[NET_MAX_UNITS], uy[NET_MAX_UNITS];
    for (int l = 0; l <= L; l++) {
        int64_t n = net->sizes[l];
        for (int64_t j = 0; j < n; j++) ux[j] = l, uy[j] = (double)(n - 1) / 2 - (double)j;
        lm_series *s = lm_plot_add_xy(p, LM_SER_SCATTER, ux, uy, (size_t)n);
        s->color = l == 0 ? 0x666666 : l == L ? 0x009E73 : 0x56B4E9;
        s->alpha = 1;
        s->marker = fmin(9, 100.0 / ((double)maxn + 1.5)); /* px at 600×400: about a third of the spacing */
    }
    /* the size and role of each layer under its column, about 30 px below the
       lowest unit (a layer of n units is about 330/(n + 1) px per unit) */
    double gap = fmax(0.3, 0.08 * ((double)maxn + 1)), ylo = -(double)(maxn - 1) / 2 - gap;
    for (int l = 0; l <= L; l++) {
        char lab[64];
        long long n = (long long)net->sizes[l];
        if (l == 0) snprintf(lab, sizeof lab, "%lld input%s", n, n == 1 ? "" : "s");
        else if (l == L) snprintf(lab, sizeof lab, "%lld output%s", n, n == 1 ? "" : "s");
        else snprintf(lab, sizeof lab, "%lld hidden, %s", n, lm_act_name(net->act));
        lm_series *s = lm_plot_add_text(p, l, ylo, lab, 0);
        s->color = 0x000000;
    }
    /* room on the right for the legend, beside the output layer */
    p->xlim[0] = -0.5;
    p->xlim[1] = L + 0.5 + (L + 1.0) / 4;
    p->ylim[0] = ylo - 0.3 * gap;
    p->ylim[1] = (double)(maxn - 1) / 2 + 0.5;
    lm_buf b = LM_BUF_INIT;
    lm_buf_puts(&b, "network ");
    for (int l = 0; l <= L; l++) lm_buf_printf(&b, "%s%lld", l ? "–" : "", (long long)net->sizes[l]);
    if (L > 1) lm_buf_printf(&b, " (%s)", lm_act_name(net->act));
    else lm_buf_puts(&b, " (no hidden layer)");
    lm_plot_set_str(&p->desc, lm_buf_cstr(&b));
    lm_buf_puts(&b, ", width ∝ |weight|");
    lm_plot_set_str(&p->title, lm_buf_cstr(&b));
    lm_buf_free(&b);
    return lm_plot_value(p);
}

/* ---- labelling: each returns a new plot ---- */

static lm_value arg_plot(lm_call *c, lm_plot **out) {
    if (c->args[0].kind != LM_PLOT)
        return lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a plot, not %s", c->fname, lm_kind_a(c->args[0].kind));
    *out = lm_plot_clone(lm_plot_of(c->args[0]));
    return lm_nil();
}

static lm_value set_label(lm_call *c, int which) {
    lm_plot *p;
    lm_value e = arg_plot(c, &p);
    if (lm_is_error(e)) return e;
    if (c->args[1].kind != LM_STRING) {
        lm_plot_release(p);
        return lm_error_new(LM_ERR_TYPE, "%s: the label must be a string in double quotes", c->fname);
    }
    char **f = which == 0 ? &p->title : which == 1 ? &p->xlabel : &p->ylabel;
    const char *s = lm_string_data(c->args[1]);
    lm_plot_set_str(f, *s ? s : NULL);
    return lm_plot_value(p);
}

static lm_value b_title(lm_call *c) { return set_label(c, 0); }
static lm_value b_xlabel(lm_call *c) { return set_label(c, 1); }
static lm_value b_ylabel(lm_call *c) { return set_label(c, 2); }

static lm_value b_legend(lm_call *c) {
    lm_plot *p;
    lm_value e = arg_plot(c, &p);
    if (lm_is_error(e)) return e;
    size_t k = 0;
    for (int i = 1; i < c->nargs; i++) {
        if (c->args[i].kind != LM_STRING) {
            lm_plot_release(p);
            return lm_error_new(LM_ERR_TYPE, "%s: legend entries must be strings", c->fname);
        }
        /* the entries name the data series in order (not text or grids) */
        while (k < p->n && (p->s[k].kind == LM_SER_TEXT || p->s[k].kind == LM_SER_CONTOURF ||
                            p->s[k].kind == LM_SER_HEATMAP))
            k++;
        if (k >= p->n) {
            size_t n = p->n;
            lm_plot_release(p);
            return lm_error_new(LM_ERR_DOMAIN, "%s: %d names for a plot of %zu series", c->fname, c->nargs - 1, n);
        }
        lm_plot_set_str(&p->s[k].label, lm_string_data(c->args[i]));
        k++;
    }
    p->legend = true;
    return lm_plot_value(p);
}

static lm_value b_xlim(lm_call *c) {
    lm_value errv = lm_nil();
    double lo, hi;
    if (c->args[0].kind != LM_PLOT) return lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a plot", c->fname);
    if (!arg_range(c, c->args[1], "the limits", &lo, &hi, &errv)) return errv;
    lm_plot *p = lm_plot_clone(lm_plot_of(c->args[0]));
    bool x = c->fname[0] == 'x';
    double *lim = x ? p->xlim : p->ylim;
    lim[0] = lo;
    lim[1] = hi;
    return lm_plot_value(p);
}

static lm_value b_save(lm_call *c) {
    if (lm_session_sandboxed(c->s))
        return lm_error_new(LM_ERR_IO, "%s: writing files is turned off in the web workbench, because it would write on the "
                                       "server's disk; the plot is shown on the page instead (use save in the lemma REPL)",
                            c->fname);
    if (c->args[0].kind != LM_PLOT)
        return lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a plot, not %s", c->fname, lm_kind_a(c->args[0].kind));
    if (c->args[1].kind != LM_STRING)
        return lm_error_new(LM_ERR_TYPE, "%s: the file name must be a string, as in save(p, \"fig.png\")", c->fname);
    lm_value errv = lm_nil();
    double w = LM_PLOT_WIDTH, h = LM_PLOT_HEIGHT;
    if (!lm_opt_double(c, "width", &w, &errv) || !lm_opt_double(c, "height", &h, &errv)) return errv;
    if (w != floor(w) || h != floor(h) || !(w >= 16 && w <= 20000 && h >= 16 && h <= 20000))
        return lm_error_new(LM_ERR_DOMAIN, "%s: width and height must be whole numbers of pixels from 16 to 20000", c->fname);
    lm_err err = LM_ERR_INIT;
    if (lm_plot_save(lm_plot_of(c->args[0]), lm_string_data(c->args[1]), (int)w, (int)h, &err)) {
        lm_value v = lm_error_new(err.kind, "%s", err.msg ? err.msg : "save failed");
        lm_err_clear(&err);
        return v;
    }
    return lm_nil();
}

static lm_value b_termplot(lm_call *c) {
    if (c->args[0].kind != LM_PLOT)
        return lm_error_new(LM_ERR_TYPE, "%s: the argument must be a plot, not %s", c->fname, lm_kind_a(c->args[0].kind));
    lm_value errv = lm_nil();
    double cols = 72, rows = 20;
    bool color = false;
    if (!lm_opt_double(c, "cols", &cols, &errv) || !lm_opt_double(c, "rows", &rows, &errv) ||
        !lm_opt_bool(c, "color", &color, &errv))
        return errv;
    if (!(cols >= 20 && cols <= 1000 && rows >= 8 && rows <= 500))
        return lm_error_new(LM_ERR_DOMAIN, "%s: cols from 20 to 1000 and rows from 8 to 500, please", c->fname);
    lm_buf b = LM_BUF_INIT;
    lm_plot_braille(c->args[0].u.obj, (int)cols, (int)rows, color, &b);
    lm_emit_text(c->s, lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return lm_nil();
}

const lm_builtin lm_builtins_plot[] = {
    {"bar", b_bar, 1, 2, 1, "bar(heights) or bar(x, heights)", "a bar chart", "bar([3 1 4 1 5])"},
    {"contour", b_contour, 4, 4, 1,
     "contour(f, [x, y], [x0, x1], [y0, y1], levels = v, nlevels = k, filled = false, path = P, n = 120)",
     "level sets of f(x, y); path overlays the iterates of an optimizer (one point per row)",
     "contour(x^2 + 3*y^2, [x, y], [-2, 2], [-2, 2])"},
    {"loglog", b_loglog, 1, 4, 1, "loglog(...) with the arguments of plot",
     "plot on log scales on both axes (ticks at powers of ten; values <= 0 are left out and counted in a note)",
     "loglog(x^2, x, 0.1, 100)"},
    {"semilogx", b_semilogx, 1, 4, 1, "semilogx(...) with the arguments of plot", "plot with a log scale on x",
     "semilogx(log(x), x, 0.01, 100)"},
    {"semilogy", b_semilogy, 1, 4, 1, "semilogy(...) with the arguments of plot", "plot with a log scale on y",
     "semilogy(exp(x), x, 0, 10)"},
    {"subplots", b_subplots, 1, 64, 1, "subplots(p1, p2, ..., cols = 2)",
     "several plots in one figure, laid out in a grid cols to a row (in the terminal: one after another)",
     "subplots(plot(sin(x), x, 0, 6), plot(cos(x), x, 0, 6), cols = 2)"},
    {"heatmap", b_heatmap, 1, 1, 1, "heatmap(A)", "a matrix as coloured cells with a colour bar (row 1 on top)",
     "heatmap([1 2; 3 4])"},
    {"hist", b_hist, 1, 2, 1, "hist(v, bins), hist(v, bins = 20, density = true, yscale = \"log\")",
     "a histogram of the values; density = true scales it to area 1 and overlays a kernel density",
     "hist(randn(1000, 1), 30)"},
    {"legend", b_legend, 2, -1, 1, "legend(p, \"name\", ...)", "name the series of a plot, in order",
     "legend(plot([sin(x); cos(x)], x, 0, 6), \"sine\", \"cosine\")"},
    {"plot", b_plot, 1, 4, 1, "plot(f, x, a, b, shade = [lo, hi]), plot(y), plot(x, Y, names = \"a, b\"), plot(A), plot(D, shade = [lo, hi]), plot(chain, start = 1, steps = 20), plot(net); xscale = \"log\", yscale = \"log\"",
     "draw expressions (several as [f; g]), data (a matrix Y: one line per column, named by names = \"a, b\"), a 2×2 matrix as a map of the plane, a Bayesian network's graph, or a network from mlp as layers of units joined by their weights; xscale/yscale = \"log\" for log axes (values <= 0 are left out, with a note)",
     "plot(sin(x), x, -pi, pi)"},
    {"quiver", b_quiver, 4, 4, 1, "quiver(F, [x, y], [x0, x1], [y0, y1], n = 15) or quiver(x, y, u, v)",
     "a vector field as arrows", "quiver([-y; x], [x, y], [-2, 2], [-2, 2])"},
    {"save", b_save, 2, 2, 1, "save(p, \"fig.svg\" | \"fig.png\" | \"fig.pdf\", width = 600, height = 400)",
     "write a plot to a file; the extension picks the format", "save(plot(x^2, x, -1, 1), \"/tmp/fig.svg\")"},
    {"scatter", b_scatter, 2, 2, 1, "scatter(x, y, xscale = \"log\", yscale = \"log\")", "points (x, y) as dots", "scatter(randn(100, 1), randn(100, 1))"},
    {"tangent", b_tangent, 3, 4, 1, "tangent(f, x, a) or tangent(f, x, a, [lo, hi])",
     "f with its tangent line at x = a, whose slope is the derivative there", "tangent(x^2, x, 1)"},
    {"termplot", b_termplot, 1, 1, 1, "termplot(p, cols = 72, rows = 20, color = false)",
     "draw a plot as text with braille dots", "termplot(plot(sin(x), x, -pi, pi))"},
    {"title", b_title, 2, 2, 1, "title(p, \"text\")", "a plot with a title", "title(plot(x^2, x, -1, 1), \"a parabola\")"},
    {"xlabel", b_xlabel, 2, 2, 1, "xlabel(p, \"text\")", "a plot with a label under the x axis",
     "xlabel(plot(x^2, x, -1, 1), \"x\")"},
    {"xlim", b_xlim, 2, 2, 1, "xlim(p, [lo, hi])", "a plot showing x from lo to hi", "xlim(plot(x^2, x, -1, 1), [0, 1])"},
    {"ylabel", b_ylabel, 2, 2, 1, "ylabel(p, \"text\")", "a plot with a label beside the y axis",
     "ylabel(plot(x^2, x, -1, 1), \"x squared\")"},
    {"ylim", b_xlim, 2, 2, 1, "ylim(p, [lo, hi])", "a plot showing y from lo to hi", "ylim(plot(x^2, x, -1, 1), [0, 1])"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
