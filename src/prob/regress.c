/* Linear least-squares regression with the statistics of R's summary(lm(...)).
 * The fit is a Householder QR (LAPACK dgeqrf) of the design with its predictor
 * columns centred (two-pass means), followed by Björck's iterative refinement
 * of the augmented system with residuals accumulated in extended precision, so
 * the NIST StRD sets (Longley, Wampler, Filip) keep more digits than R's lm. */
#include "prob/st_int.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A predictor whose column, after the ones before it have been projected out,
 * keeps less than this fraction of its norm is a combination of the others.
 * Filip's x^10 keeps about 1e-11 after centring; exact collinearity leaves
 * rounding noise near 1e-16. */
#define LINREG_RANK_TOL 1e-14
#define LINREG_MAX_REFINE 30
/* Refine the standard errors (k more refined solves) while n·k² is at most
 * this: all the NIST sets, and anything a learner types, in milliseconds. */
#define LINREG_SE_REFINE_WORK 2e6

/* ---- the object ---- */

static void linreg_free(lm_obj *o) {
    lm_linreg *f = (lm_linreg *)o;
    lm_free(f->coef);
    lm_free(f->se);
    lm_free(f->tval);
    lm_free(f->pval);
    lm_free(f->fitted);
    lm_free(f->resid);
    lm_free(f);
}

static void coef_name(const lm_linreg *f, int64_t j, char out[32]) {
    if (f->intercept && j == 0) snprintf(out, 32, "(intercept)");
    else snprintf(out, 32, "x%lld", (long long)(j + (f->intercept ? 0 : 1)));
}

static void linreg_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_linreg *f = (const lm_linreg *)o;
    char a[40], b[40], c[40];
    lm_buf_printf(out, "Linear regression by least squares: %lld observations, %lld coefficient%s%s\n",
                  (long long)f->n, (long long)f->k, f->k == 1 ? "" : "s", f->intercept ? "" : ", no intercept");
    /* the coefficient table, columns right-aligned to their widest cell */
    const char *head[5] = {"", "estimate", "std error", "t value", "p value"};
    int64_t rows = f->k + 1;
    char(*cell)[40] = lm_alloc((size_t)rows * 5 * sizeof *cell);
    int w[5] = {0};
    for (int j = 0; j < 5; j++) snprintf(cell[j], 40, "%s", head[j]);
    for (int64_t i = 0; i < f->k; i++) {
        char nm[32];
        coef_name(f, i, nm);
        snprintf(cell[(i + 1) * 5], 40, "%s", nm);
        lm_st_fmt(cell[(i + 1) * 5 + 1], f->coef[i], digits);
        lm_st_fmt(cell[(i + 1) * 5 + 2], f->se[i], digits);
        lm_st_fmt(cell[(i + 1) * 5 + 3], f->tval[i], digits);
        lm_st_fmt(cell[(i + 1) * 5 + 4], f->pval[i], digits);
    }
    for (int64_t i = 0; i < rows; i++)
        for (int j = 0; j < 5; j++)
            if ((int)strlen(cell[i * 5 + j]) > w[j]) w[j] = (int)strlen(cell[i * 5 + j]);
    for (int64_t i = 0; i < rows; i++) {
        lm_buf_printf(out, "  %-*s", w[0], cell[i * 5]);
        for (int j = 1; j < 5; j++) lm_buf_printf(out, "  %*s", w[j], cell[i * 5 + j]);
        lm_buf_putc(out, '\n');
    }
    lm_free(cell);
    lm_st_fmt(a, f->sigma, digits);
    lm_buf_printf(out, "  residual standard error: %s on %.0f degrees of freedom\n", a, f->df_resid);
    lm_st_fmt(a, f->r_squared, digits);
    lm_st_fmt(b, f->adj_r_squared, digits);
    lm_buf_printf(out, "  R² = %s, adjusted R² = %s%s\n", a, b, f->intercept ? "" : " (uncentred: the model has no intercept)");
    if (!isnan(f->f_stat)) {
        lm_st_fmt(a, f->f_stat, digits);
        lm_st_fmt(b, f->f_p, digits);
        lm_buf_printf(out, "  F = %s on %.0f and %.0f df, p-value = %s\n", a, f->f_df1, f->f_df2, b);
    }
    lm_st_fmt(c, f->r_squared * 100, 3);
    lm_buf_printf(out,
                  "  The model explains %s%% of the %svariation in y; each p-value tests whether that coefficient "
                  "is 0 while the other predictors stay in the model.",
                  c, f->intercept ? "" : "uncentred ");
}

static void linreg_json(const lm_obj *o, lm_buf *out) {
    const lm_linreg *f = (const lm_linreg *)o;
    lm_buf_puts(out, "\"type\":\"lm\"");
    lm_st_json_key(out, "coefficients");
    lm_st_json_nums(out, f->coef, f->k);
    lm_st_json_key(out, "std_errors");
    lm_st_json_nums(out, f->se, f->k);
    lm_st_json_key(out, "t_values");
    lm_st_json_nums(out, f->tval, f->k);
    lm_st_json_key(out, "p_values");
    lm_st_json_nums(out, f->pval, f->k);
    lm_st_json_key(out, "residual_std_error");
    lm_st_json_num(out, f->sigma);
    lm_st_json_key(out, "df_residual");
    lm_st_json_num(out, f->df_resid);
    lm_st_json_key(out, "r_squared");
    lm_st_json_num(out, f->r_squared);
    lm_st_json_key(out, "adj_r_squared");
    lm_st_json_num(out, f->adj_r_squared);
    lm_st_json_key(out, "f_statistic");
    lm_st_json_num(out, f->f_stat);
    lm_st_json_key(out, "f_df");
    double fdf[2] = {f->f_df1, f->f_df2};
    lm_st_json_nums(out, isnan(f->f_stat) ? NULL : fdf, 2);
    lm_st_json_key(out, "f_p_value");
    lm_st_json_num(out, f->f_p);
    lm_st_json_key(out, "intercept");
    lm_buf_puts(out, f->intercept ? "true" : "false");
    lm_st_json_key(out, "n");
    lm_st_json_num(out, (double)f->n);
}

const lm_objtype lm_linreg_type = {"lm", linreg_free, linreg_text, linreg_json};

/* ---- the fit ---- */

/* Workspace of one fit. The design is A = [1 X] (or X without an intercept);
 * the factored matrix is Ac = [1 Xc] with Xc = X - 1·mᵀ, so that A = Ac·M with
 * M = [1 mᵀ; 0 I]. Corrections are solved with Ac's QR and mapped through M. */
typedef struct fitws {
    int64_t n, p, k;
    bool icpt;
    const double *X, *y;
    double *m;       /* column means of X (p), zeros without an intercept */
    double *qr;      /* n×k, column-major: dgeqrf's R and Householder vectors */
    double *tau;     /* k */
    double *vn, *vk; /* scratch: n and k */
    long double *dx; /* the correction of one pass (k) */
    double *xh, *xl; /* the solution split into two doubles (k each) */
    double *rh, *rl; /* the residual split likewise (n each) */
} fitws;

/* Solves the augmented system [I Ac; Acᵀ 0][dr; du] = [f; g] with Ac's QR
 * (Björck 1967): h = R⁻ᵀg, d = Qᵀf, du = R⁻¹(d₁ - h), dr = Q[h; d₂].
 * f (n) is overwritten by dr, g (k) by du. */
static lm_status aug_solve(fitws *w, double *f, double *g) {
    lapack_int n = (lapack_int)w->n, k = (lapack_int)w->k;
    if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'T', 'N', k, 1, w->qr, n, g, k)) return LM_ERR_SINGULAR; /* g = h */
    if (LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'T', n, 1, k, w->qr, n, w->tau, f, n)) return LM_ERR_INTERNAL; /* f = d */
    for (int64_t j = 0; j < w->k; j++) {
        double h = g[j];
        g[j] = f[j] - h; /* d₁ - h */
        f[j] = h;        /* [h; d₂] */
    }
    if (LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N', k, 1, w->qr, n, g, k)) return LM_ERR_SINGULAR;
    if (LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'N', n, 1, k, w->qr, n, w->tau, f, n)) return LM_ERR_INTERNAL;
    return LM_OK;
}

/* ---- compensated accumulation ----
 * A sum kept as hi + lo doubles with error-free transformations (TwoSum, and
 * TwoProduct by fma, which is exact wherever it runs): Ogita, Rump & Oishi's
 * Dot2, about 106 significant bits, so the residuals of ill-conditioned fits
 * (Wampler5, Filip) are exact to far more digits than the solution needs.
 * Long doubles (the solution and residual being refined) enter split into two
 * doubles, which holds their 64 bits exactly. */
typedef struct acc {
    double hi, lo;
} acc;

static inline void acc_add(acc *a, double v) {
    double s = a->hi + v, bb = s - a->hi;
    a->lo += (a->hi - (s - bb)) + (v - bb);
    a->hi = s;
}

static inline void acc_mul_add(acc *a, double u, double v) {
    double p = u * v, e = fma(u, v, -p);
    acc_add(a, p);
    a->lo += e;
}

static inline void split_ld(long double v, double *hi, double *lo) {
    *hi = (double)v;
    *lo = (double)(v - *hi);
}

static inline void acc_add_ld(acc *a, long double v) {
    double h, l;
    split_ld(v, &h, &l);
    acc_add(a, h);
    acc_add(a, l);
}

static inline long double acc_val(const acc *a) { return (long double)a->hi + a->lo; }

/* The solution x split into w->xh + w->xl, once per pass. */
static void split_x(fitws *w, const long double *x) {
    for (int64_t j = 0; j < w->k; j++) split_ld(x[j], &w->xh[j], &w->xl[j]);
}

/* rhs_i - r_i - (A x)_i with A = [1 X] (or X), x as split by split_x. */
static long double resid_row(const fitws *w, int64_t i, long double rhs, long double ri) {
    acc a = {0, 0};
    acc_add_ld(&a, rhs);
    acc_add_ld(&a, -ri);
    int ic = w->icpt ? 1 : 0;
    if (ic) {
        acc_add(&a, -w->xh[0]);
        acc_add(&a, -w->xl[0]);
    }
    for (int64_t j = 0; j < w->p; j++) {
        double u = w->X[j * w->n + i];
        acc_mul_add(&a, -u, w->xh[j + ic]);
        acc_add(&a, -u * w->xl[j + ic]);
    }
    return acc_val(&a);
}

/* Row i of the original design A times x (split by split_x). */
static long double design_dot(const fitws *w, int64_t i) { return -resid_row(w, i, 0, 0); }

/* Iterative refinement of the augmented system [I A; Aᵀ 0][r; x] = [rhs; -e_unit]
 * (rhs NULL means 0; unit < 0 means no unit vector), starting from r = x = 0:
 * the first pass is the plain QR solution, later ones correct it with the
 * residuals f = rhs - r - A x and g = -e - Aᵀ r accumulated in long double,
 * solved through Ac = A M⁻¹. With rhs = y this is least squares (r the
 * residual); with rhs = 0 and e = e_i, x = (AᵀA)⁻¹ e_i, whose i-th entry is the
 * variance factor of coefficient i. Returns the passes after the first, or -1
 * when a triangular solve fails. */
static int refine(fitws *w, const double *rhs, int64_t unit, long double *x, long double *r) {
    /* convergence is judged on every coefficient of a fit, but only on entry
       `unit` of a variance solve (the rest of that column is not used) */
    int64_t n = w->n, p = w->p, k = w->k;
    int ic = w->icpt ? 1 : 0;
    for (int64_t i = 0; i < n; i++) r[i] = 0;
    for (int64_t j = 0; j < k; j++) x[j] = 0;
    double last = INFINITY;
    int passes = 0;
    for (int it = 0; it < LINREG_MAX_REFINE; it++) {
        split_x(w, x);
        for (int64_t i = 0; i < n; i++) {
            w->vn[i] = (double)resid_row(w, i, rhs ? rhs[i] : 0, r[i]);
            split_ld(r[i], &w->rh[i], &w->rl[i]);
        }
        /* g = -e - Aᵀr, then g' = M⁻ᵀ g: g'₀ = g₀, g'ⱼ = gⱼ - mⱼ g₀ */
        long double g0 = 0;
        if (ic) {
            acc a = {unit == 0 ? -1 : 0, 0};
            for (int64_t i = 0; i < n; i++) {
                acc_add(&a, -w->rh[i]);
                acc_add(&a, -w->rl[i]);
            }
            g0 = acc_val(&a);
            w->vk[0] = (double)g0;
        }
        for (int64_t j = 0; j < p; j++) {
            acc a = {unit == j + ic ? -1 : 0, 0};
            for (int64_t i = 0; i < n; i++) {
                double u = w->X[j * n + i];
                acc_mul_add(&a, -u, w->rh[i]);
                acc_add(&a, -u * w->rl[i]);
            }
            double gh, gl;
            split_ld(g0, &gh, &gl);
            acc_mul_add(&a, -w->m[j], gh);
            acc_add(&a, -w->m[j] * gl);
            w->vk[j + ic] = (double)acc_val(&a);
        }
        if (aug_solve(w, w->vn, w->vk)) return -1;
        /* dx = M⁻¹ du: dx₀ = du₀ - m·du_rest */
        long double d0 = 0;
        if (ic) {
            d0 = w->vk[0];
            for (int64_t j = 0; j < p; j++) d0 -= (long double)w->m[j] * w->vk[j + 1];
        }
        long double *dx = w->dx;
        double dnorm = 0, xmax = 0;
        for (int64_t j = 0; j < k; j++) {
            dx[j] = ic && j == 0 ? d0 : (long double)w->vk[j];
            xmax = fmax(xmax, fabs((double)(x[j] + dx[j])));
        }
        for (int64_t j = 0; j < k; j++) {
            if (unit >= 0 && j != unit) continue;
            /* componentwise: every coefficient must settle, not just the
               largest; one that is 0 to working precision is judged against
               the largest */
            double rel = fabs((double)dx[j]) / fmax(fabs((double)(x[j] + dx[j])), fmax(LDBL_EPSILON * xmax, DBL_MIN));
            if (rel > dnorm) dnorm = rel;
        }
        if (it > 1 && dnorm > last) break; /* diverging: keep the previous solution */
        for (int64_t j = 0; j < k; j++) x[j] += dx[j];
        for (int64_t i = 0; i < n; i++) r[i] += w->vn[i];
        passes = it;
        if (dnorm <= 4 * LDBL_EPSILON) break;
        last = dnorm;
    }
    return passes;
}

lm_linreg *lm_regress(const double *X, int64_t n, int64_t p, const double *y, bool intercept, lm_err *err) {
    int64_t k = p + (intercept ? 1 : 0);
    if (p < 1) {
        lm_err_set(err, LM_ERR_SHAPE, "lm: X needs at least one predictor column");
        return NULL;
    }
    if (n <= k) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "lm: %lld observations cannot estimate %lld coefficients and the error variance; give more rows "
                   "than coefficients",
                   (long long)n, (long long)k);
        return NULL;
    }
    if (n > INT32_MAX / (k > 0 ? k : 1)) {
        lm_err_set(err, LM_ERR_LIMIT, "lm: the design matrix is too large");
        return NULL;
    }
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i])) {
            lm_err_set(err, LM_ERR_DOMAIN, "lm: y(%lld) is %g; the data must be finite numbers", (long long)i + 1, y[i]);
            return NULL;
        }
    for (int64_t j = 0; j < p; j++)
        for (int64_t i = 0; i < n; i++)
            if (!isfinite(X[j * n + i])) {
                lm_err_set(err, LM_ERR_DOMAIN, "lm: X(%lld, %lld) is %g; the data must be finite numbers", (long long)i + 1,
                           (long long)j + 1, X[j * n + i]);
                return NULL;
            }

    fitws w = {n, p, k, intercept, X, y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    lm_linreg *fit = NULL;
    w.m = lm_calloc((size_t)p, sizeof *w.m);
    w.qr = lm_alloc_big((size_t)(n * k) * sizeof *w.qr);
    w.tau = lm_alloc((size_t)k * sizeof *w.tau);
    w.vn = lm_alloc_big((size_t)n * sizeof *w.vn);
    w.vk = lm_alloc((size_t)k * sizeof *w.vk);
    w.dx = lm_alloc((size_t)k * sizeof *w.dx);
    w.xh = lm_alloc((size_t)k * sizeof *w.xh);
    w.xl = lm_alloc((size_t)k * sizeof *w.xl);
    w.rh = lm_alloc_big((size_t)n * sizeof *w.rh);
    w.rl = lm_alloc_big((size_t)n * sizeof *w.rl);
    long double *x = lm_calloc((size_t)k, sizeof *x), *r = lm_alloc_big((size_t)n * sizeof *r);
    double *colnorm = lm_alloc((size_t)k * sizeof *colnorm);
    if (!w.qr || !w.vn || !r || !w.rh || !w.rl) {
        lm_err_set(err, LM_ERR_LIMIT, "lm: not enough memory for a %lld×%lld design", (long long)n, (long long)k);
        goto out;
    }
    /* centre the predictors (two passes) and build Ac */
    for (int64_t j = 0; j < p; j++) {
        const double *col = X + j * n;
        double *dst = w.qr + (j + (intercept ? 1 : 0)) * n;
        double mj = 0;
        if (intercept) {
            long double s = lm_st_sum_ld(col, n), mm = s / n, c = 0;
            for (int64_t i = 0; i < n; i++) c += col[i] - mm;
            mj = (double)(mm + c / n);
        }
        w.m[j] = mj;
        for (int64_t i = 0; i < n; i++) dst[i] = col[i] - mj;
    }
    if (intercept)
        for (int64_t i = 0; i < n; i++) w.qr[i] = 1;
    for (int64_t j = 0; j < k; j++) {
        long double s = 0;
        for (int64_t i = 0; i < n; i++) s += (long double)w.qr[j * n + i] * w.qr[j * n + i];
        colnorm[j] = (double)sqrtl(s);
        if (colnorm[j] == 0) {
            if (intercept)
                lm_err_set(err, LM_ERR_SINGULAR,
                           "lm: predictor x%lld is constant, so its coefficient cannot be told apart from the "
                           "intercept; drop it",
                           (long long)j);
            else
                lm_err_set(err, LM_ERR_SINGULAR,
                           "lm: predictor x%lld is all zeros, so it says nothing about y and its coefficient is not "
                           "determined; drop it",
                           (long long)j + 1);
            goto out;
        }
    }
    if (LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)k, w.qr, (lapack_int)n, w.tau)) {
        lm_err_set(err, LM_ERR_INTERNAL, "lm: the QR factorization failed");
        goto out;
    }
    for (int64_t j = 0; j < k; j++)
        if (!(fabs(w.qr[j * n + j]) > LINREG_RANK_TOL * colnorm[j])) {
            lm_err_set(err, LM_ERR_SINGULAR,
                       "lm: predictor x%lld is a linear combination of the %s before it (to rounding: only %.2g of "
                       "its size is left after removing them), so the coefficients are not determined; drop it",
                       (long long)(j + (intercept ? 0 : 1)), intercept ? "intercept and predictors" : "predictors",
                       fabs(w.qr[j * n + j]) / colnorm[j]);
            goto out;
        }

    int passes = refine(&w, y, -1, x, r);
    if (passes < 0) {
        lm_err_set(err, LM_ERR_SINGULAR, "lm: the triangular solve failed; the design is singular");
        goto out;
    }

    fit = lm_calloc(1, sizeof *fit);
    lm_obj_init(&fit->hdr, LM_OBJECT, &lm_linreg_type);
    fit->n = n;
    fit->k = k;
    fit->intercept = intercept;
    fit->refinements = passes;
    fit->coef = lm_alloc((size_t)k * sizeof *fit->coef);
    fit->se = lm_alloc((size_t)k * sizeof *fit->se);
    for (int64_t j = 0; j < k; j++) fit->se[j] = NAN;
    fit->tval = lm_alloc((size_t)k * sizeof *fit->tval);
    fit->pval = lm_alloc((size_t)k * sizeof *fit->pval);
    fit->fitted = lm_alloc_big((size_t)n * sizeof *fit->fitted);
    fit->resid = lm_alloc_big((size_t)n * sizeof *fit->resid);
    if (!fit->fitted || !fit->resid) {
        lm_obj_release(&fit->hdr);
        fit = NULL;
        lm_err_set(err, LM_ERR_LIMIT, "lm: not enough memory for the fitted values");
        goto out;
    }
    for (int64_t j = 0; j < k; j++) fit->coef[j] = (double)x[j];
    /* residuals and sums of squares from the refined solution, in long double */
    split_x(&w, x);
    long double rss = 0, fsum = 0, ysum = 0;
    for (int64_t i = 0; i < n; i++) {
        long double fi = design_dot(&w, i), ri = y[i] - fi;
        fit->fitted[i] = (double)fi;
        fit->resid[i] = (double)ri;
        rss += ri * ri;
        fsum += fi;
        ysum += y[i];
    }
    long double mss = 0, tss = 0, fm = fsum / n, ym = ysum / n;
    for (int64_t i = 0; i < n; i++) {
        long double fi = design_dot(&w, i) - (intercept ? fm : 0);
        long double yi = intercept ? y[i] - ym : y[i];
        mss += fi * fi;
        tss += yi * yi;
    }
    double dfr = (double)(n - k);
    long double s2 = rss / dfr;
    fit->df_resid = dfr;
    fit->rss = (double)rss;
    fit->tss = (double)tss;
    fit->sigma = (double)sqrtl(s2);
    fit->r_squared = (double)(mss / (mss + rss));
    fit->adj_r_squared = (double)(1 - (1 - mss / (mss + rss)) * ((long double)(n - (intercept ? 1 : 0)) / dfr));
    if (k - (intercept ? 1 : 0) >= 1) {
        double df1 = (double)(k - (intercept ? 1 : 0));
        fit->f_stat = (double)((mss / df1) / s2);
        fit->f_df1 = df1;
        fit->f_df2 = dfr;
        fit->f_p = pf(fit->f_stat, df1, dfr, 0, 0);
    } else {
        fit->f_stat = fit->f_df1 = fit->f_df2 = fit->f_p = NAN;
    }
    /* Var(x_i) = s² [(AᵀA)⁻¹]_ii. First from the factorization: (AᵀA)⁻¹ =
     * W Wᵀ with W = M⁻¹ R⁻¹, good to about cond(Ac)·ε. Then, while it is cheap
     * (n k² up to LINREG_SE_REFINE_WORK), each diagonal entry is refined like
     * the fit itself, so the standard errors keep as many digits as the
     * coefficients (the NIST sets); larger fits keep the first figures. */
    {
        double *Ri = lm_calloc((size_t)(k * k), sizeof *Ri);
        for (int64_t j = 0; j < k; j++)
            for (int64_t i = 0; i <= j; i++) Ri[j * k + i] = w.qr[j * n + i];
        if (LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N', (lapack_int)k, Ri, (lapack_int)k) == 0)
            for (int64_t i = 0; i < k; i++) {
                long double ss = 0;
                for (int64_t j = 0; j < k; j++) {
                    long double wij = Ri[j * k + i];
                    if (intercept && i == 0)
                        for (int64_t q = 0; q < p; q++) wij -= (long double)w.m[q] * Ri[j * k + q + 1];
                    ss += wij * wij;
                }
                fit->se[i] = (double)sqrtl(s2 * ss);
            }
        lm_free(Ri);
    }
    if ((double)n * (double)k * (double)k <= LINREG_SE_REFINE_WORK) {
        long double *z = lm_alloc((size_t)k * sizeof *z), *rr = lm_alloc_big((size_t)n * sizeof *rr);
        for (int64_t i = 0; i < k && rr; i++)
            if (refine(&w, NULL, i, z, rr) >= 0 && z[i] > 0) fit->se[i] = (double)sqrtl(s2 * z[i]);
        lm_free(z);
        lm_free(rr);
    }
    for (int64_t j = 0; j < k; j++) {
        fit->tval[j] = fit->coef[j] / fit->se[j];
        fit->pval[j] = 2 * pt(-fabs(fit->tval[j]), dfr, 1, 0);
    }
out:
    lm_free(w.m);
    lm_free(w.qr);
    lm_free(w.tau);
    lm_free(w.vn);
    lm_free(w.vk);
    lm_free(w.dx);
    lm_free(w.xh);
    lm_free(w.xl);
    lm_free(w.rh);
    lm_free(w.rl);
    lm_free(x);
    lm_free(r);
    lm_free(colnorm);
    return fit;
}
