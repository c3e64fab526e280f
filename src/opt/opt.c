/* The optimizers: one loop that runs gradient descent and its variants
 * (momentum, Nesterov, AdaGrad, RMSProp, Adam), Newton's method and Armijo
 * backtracking over an lm_opt_problem, with optional projection onto a box or
 * the simplex, and records the trajectory in a trace object. */
#include "lemma/limits.h"
#include "lemma/opt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

static const char *const method_names[] = {
#define X(e, name, what) name,
    LM_OPT_METHOD_LIST(X)
#undef X
};
static const char *const method_whats[] = {
#define X(e, name, what) what,
    LM_OPT_METHOD_LIST(X)
#undef X
};

const char *lm_opt_method_name(lm_opt_method m) { return m < LM_OPT__COUNT ? method_names[m] : "?"; }
const char *lm_opt_method_what(lm_opt_method m) { return m < LM_OPT__COUNT ? method_whats[m] : "?"; }

int lm_opt_method_find(const char *name) {
    for (int m = 0; m < LM_OPT__COUNT; m++)
        if (!strcmp(name, method_names[m])) return m;
    return -1;
}

const char *lm_opt_status_text(lm_opt_status s) {
    switch (s) {
    case LM_OPT_CONVERGED: return "converged";
    case LM_OPT_MAXSTEPS: return "hit the step limit";
    case LM_OPT_DIVERGED: return "diverged";
    case LM_OPT_STALLED: return "stalled";
    }
    return "?";
}

void lm_opt_params_default(lm_opt_params *p) {
    memset(p, 0, sizeof *p);
    p->method = LM_OPT_GD;
    p->lr = 0.01;
    p->steps = 1000;
    p->tol = 1e-8;
    p->momentum = 0.9;
    p->beta1 = 0.9;
    p->beta2 = 0.999;
    p->rho = 0.9;
    p->eps = 1e-8;
    p->proj = LM_PROJ_NONE;
    p->radius = 1;
}

/* ---- projections ---- */

void lm_opt_project_box(double *x, int n, const double *lo, const double *hi) {
    for (int i = 0; i < n; i++) {
        if (lo && x[i] < lo[i]) x[i] = lo[i];
        if (hi && x[i] > hi[i]) x[i] = hi[i];
    }
}

static int cmp_desc(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Duchi, Shalev-Shwartz, Singer, Chandra (2008), Fig. 1: sort descending, find
 * the largest k with u_k > (sum_{j<=k} u_j - r)/k, shift by that threshold. */
void lm_opt_project_simplex(double *x, int n, double radius) {
    if (n <= 0) return;
    double *u = lm_alloc((size_t)n * sizeof *u);
    memcpy(u, x, (size_t)n * sizeof *u);
    qsort(u, (size_t)n, sizeof *u, cmp_desc);
    double cum = 0, theta = 0;
    for (int k = 0; k < n; k++) {
        cum += u[k];
        double t = (cum - radius) / (k + 1);
        if (u[k] - t > 0) theta = t;
    }
    for (int i = 0; i < n; i++) x[i] = x[i] - theta > 0 ? x[i] - theta : 0;
    lm_free(u);
}

static void project(const lm_opt_params *par, double *x, int n) {
    if (par->proj == LM_PROJ_BOX) lm_opt_project_box(x, n, par->lo, par->hi);
    else if (par->proj == LM_PROJ_SIMPLEX) lm_opt_project_simplex(x, n, par->radius);
}

/* ---- the trace object ---- */

static void trace_free(lm_obj *o) {
    lm_opt_trace *t = (lm_opt_trace *)o;
    lm_free(t->iter);
    lm_free(t->x);
    lm_free(t->f);
    lm_free(t->gnorm);
    lm_free(t->xmin);
    lm_free(t->title);
    if (t->names)
        for (int i = 0; i < t->n; i++) lm_free(t->names[i]);
    lm_free(t->names);
    lm_free(t->note);
    lm_free(t);
}

static void put_num(lm_buf *out, double x, int digits) {
    char s[40];
    if (digits > 0) lm_fmt_double_sig(s, x, digits);
    else lm_fmt_double_shortest(s, x);
    lm_buf_puts(out, s);
}

static void var_name(const lm_opt_trace *t, int i, char out[64]) {
    if (t->names && t->names[i]) snprintf(out, 64, "%s", t->names[i]);
    else snprintf(out, 64, "x%d", i + 1);
}

static void method_line(const lm_opt_trace *t, lm_buf *out, int digits) {
    lm_buf_printf(out, "%s: %s (", t->title ? t->title : "minimize", lm_opt_method_what(t->method));
    lm_buf_puts(out, t->method == LM_OPT_NEWTON || t->linesearch ? "first trial step " : "lr = ");
    put_num(out, t->lr, digits);
    if (t->linesearch && t->method != LM_OPT_NEWTON) lm_buf_puts(out, ", Armijo backtracking");
    if (t->proj == LM_PROJ_BOX) lm_buf_puts(out, ", projected onto the box");
    else if (t->proj == LM_PROJ_SIMPLEX) lm_buf_puts(out, ", projected onto the simplex");
    lm_buf_puts(out, ")");
}

/* The table of iterates: all of them when few, else the first and last five. */
static void trace_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_opt_trace *t = (const lm_opt_trace *)o;
    int d = digits > 0 ? digits : 17;
    lm_buf_puts(out, "trace, ");
    method_line(t, out, digits);
    lm_buf_printf(out, ": %lld point%s over %lld iteration%s, %s\n", (long long)t->npoints, t->npoints == 1 ? "" : "s",
                  (long long)t->iterations, t->iterations == 1 ? "" : "s", lm_opt_status_text(t->status));
    int w = d + 7;
    int nshow = t->n <= 6 ? t->n : 6; /* a wide problem (regression weights) shows its first six */
    lm_buf_printf(out, "%10s", "iter");
    for (int i = 0; i < nshow; i++) {
        char nm[64];
        var_name(t, i, nm);
        lm_buf_printf(out, " %*s", w, nm);
    }
    if (nshow < t->n) lm_buf_printf(out, " %*s", 4, "...");
    lm_buf_printf(out, " %*s %*s", w, "f", w, "|grad|");
    for (int64_t k = 0; k < t->npoints; k++) {
        if (t->npoints > 12 && k == 5) {
            lm_buf_printf(out, "\n%10s", "...");
            k = t->npoints - 6;
            continue;
        }
        lm_buf_printf(out, "\n%10lld", (long long)t->iter[k]);
        char s[40];
        for (int i = 0; i < nshow; i++) {
            lm_fmt_double_sig(s, t->x[k * t->n + i], d);
            lm_buf_printf(out, " %*s", w, s);
        }
        if (nshow < t->n) lm_buf_printf(out, " %*s", 4, "");
        lm_fmt_double_sig(s, t->f[k], d);
        lm_buf_printf(out, " %*s", w, s);
        lm_fmt_double_sig(s, t->gnorm[k], d);
        lm_buf_printf(out, " %*s", w, s);
    }
}

/* The report gd(...) prints: what ran, why it stopped, where it ended. */
static void report_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_opt_trace *t = (const lm_opt_trace *)o;
    method_line(t, out, digits);
    lm_buf_puts(out, "\n");
    const char *gname = t->proj != LM_PROJ_NONE ? "projected gradient norm" : "gradient norm";
    switch (t->status) {
    case LM_OPT_CONVERGED:
        lm_buf_printf(out, "converged after %lld iteration%s: the %s ", (long long)t->iterations,
                      t->iterations == 1 ? "" : "s", gname);
        put_num(out, t->gmin, digits);
        lm_buf_puts(out, " is below tol = ");
        put_num(out, t->tol, digits);
        break;
    case LM_OPT_MAXSTEPS:
        lm_buf_printf(out, "hit the step limit after %lld iterations without converging: the %s is still ",
                      (long long)t->iterations, gname);
        put_num(out, t->gmin, digits);
        lm_buf_puts(out, " (tol = ");
        put_num(out, t->tol, digits);
        lm_buf_puts(out, "); raise steps or lr");
        break;
    case LM_OPT_DIVERGED:
        lm_buf_printf(out, "diverged at iteration %lld: f = ", (long long)t->iterations);
        put_num(out, t->fmin, digits);
        if (t->npoints > 0 && isfinite(t->fmin) && t->iterations > 0) {
            lm_buf_puts(out, " after starting at f = ");
            put_num(out, t->f[0], digits);
        }
        lm_buf_puts(out, t->method == LM_OPT_NEWTON ? "; try a starting point closer to a minimum"
                                                    : "; the step is too large, lower lr");
        break;
    case LM_OPT_STALLED:
        lm_buf_printf(out, "stopped after %lld iterations: the line search found no decrease (%s ",
                      (long long)t->iterations, gname);
        put_num(out, t->gmin, digits);
        lm_buf_puts(out, "), as close as rounding allows");
        break;
    }
    lm_buf_puts(out, t->status == LM_OPT_DIVERGED ? "\nlast point: " : "\nminimizer: ");
    int nshow = t->n <= 12 ? t->n : 12;
    for (int i = 0; i < nshow; i++) {
        char nm[64];
        var_name(t, i, nm);
        lm_buf_printf(out, "%s%s = ", i ? ", " : "", nm);
        put_num(out, t->xmin[i], digits);
    }
    if (nshow < t->n) lm_buf_printf(out, ", ... (%d values)", t->n);
    lm_buf_puts(out, "\nf = ");
    put_num(out, t->fmin, digits);
    lm_buf_puts(out, " there");
    if (t->note) lm_buf_printf(out, "\n%s", t->note);
}

const lm_objtype lm_opt_trace_type = {"trace", trace_free, trace_text, NULL};
const lm_objtype lm_opt_report_type = {"optimization", trace_free, report_text, NULL};

static lm_opt_trace *trace_alloc(int n, int64_t cap, lm_err *err) {
    lm_opt_trace *t = lm_calloc(1, sizeof *t);
    lm_obj_init(&t->hdr, LM_OBJECT, &lm_opt_trace_type);
    t->n = n;
    t->iter = lm_alloc_big((size_t)cap * sizeof *t->iter);
    t->x = lm_alloc_big((size_t)cap * (size_t)n * sizeof *t->x);
    t->f = lm_alloc_big((size_t)cap * sizeof *t->f);
    t->gnorm = lm_alloc_big((size_t)cap * sizeof *t->gnorm);
    t->xmin = lm_calloc((size_t)n, sizeof *t->xmin);
    if (!t->iter || !t->x || !t->f || !t->gnorm) {
        lm_opt_trace_release(t);
        lm_err_set(err, LM_ERR_LIMIT, "the trajectory of %d variables over %lld points does not fit in memory", n,
                   (long long)cap);
        return NULL;
    }
    return t;
}

static void trace_push(lm_opt_trace *t, int64_t it, const double *x, double f, double gn) {
    int64_t k = t->npoints++;
    t->iter[k] = it;
    memcpy(t->x + k * t->n, x, (size_t)t->n * sizeof *x);
    t->f[k] = f;
    t->gnorm[k] = gn;
}

lm_tensor *lm_opt_trace_table(const lm_opt_trace *t, lm_err *err) {
    int64_t cols = t->n + 3;
    lm_tensor *m = lm_tensor_matrix(t->npoints, cols, err);
    if (!m) return NULL;
    for (int64_t i = 0; i < t->npoints; i++) {
        double *row = m->data + i * cols;
        row[0] = (double)t->iter[i];
        for (int j = 0; j < t->n; j++) row[1 + j] = t->x[i * t->n + j];
        row[t->n + 1] = t->f[i];
        row[t->n + 2] = t->gnorm[i];
    }
    return m;
}

lm_opt_trace *lm_opt_trace_as_report(const lm_opt_trace *t) {
    lm_err err = LM_ERR_INIT;
    lm_opt_trace *r = trace_alloc(t->n, t->npoints ? t->npoints : 1, &err);
    if (!r) { /* a copy of something that already fits cannot fail but for memory */
        lm_err_clear(&err);
        lm_oom();
    }
    r->hdr.type = &lm_opt_report_type;
    r->npoints = t->npoints;
    memcpy(r->iter, t->iter, (size_t)t->npoints * sizeof *t->iter);
    memcpy(r->x, t->x, (size_t)t->npoints * (size_t)t->n * sizeof *t->x);
    memcpy(r->f, t->f, (size_t)t->npoints * sizeof *t->f);
    memcpy(r->gnorm, t->gnorm, (size_t)t->npoints * sizeof *t->gnorm);
    memcpy(r->xmin, t->xmin, (size_t)t->n * sizeof *t->xmin);
    r->fmin = t->fmin;
    r->gmin = t->gmin;
    r->iterations = t->iterations;
    r->status = t->status;
    r->method = t->method;
    r->lr = t->lr;
    r->tol = t->tol;
    r->proj = t->proj;
    r->linesearch = t->linesearch;
    lm_opt_trace_label(r, t->title, (const char *const *)t->names, t->note);
    return r;
}

void lm_opt_trace_label(lm_opt_trace *t, const char *title, const char *const *names, const char *note) {
    if (title) {
        lm_free(t->title);
        t->title = lm_strdup(title);
    }
    if (names) {
        if (!t->names) t->names = lm_calloc((size_t)t->n, sizeof *t->names);
        for (int i = 0; i < t->n; i++) {
            lm_free(t->names[i]);
            t->names[i] = names[i] ? lm_strdup(names[i]) : NULL;
        }
    }
    if (note) {
        lm_free(t->note);
        t->note = lm_strdup(note);
    }
}

/* ---- small dense helpers ---- */

static double norm2(const double *a, int n) {
    /* scaled, so that a huge iterate reads as huge rather than overflowing to inf */
    double scale = 0, ssq = 1;
    for (int i = 0; i < n; i++) {
        double v = fabs(a[i]);
        if (v == 0) continue;
        if (!isfinite(v)) return v;
        if (scale < v) {
            ssq = 1 + ssq * (scale / v) * (scale / v);
            scale = v;
        } else {
            ssq += (v / scale) * (v / scale);
        }
    }
    return scale * sqrt(ssq);
}

static bool all_finite(const double *a, int n) {
    for (int i = 0; i < n; i++)
        if (!isfinite(a[i])) return false;
    return true;
}

/* Solves (H + tau·I) d = -g by Cholesky, raising tau from 0 until the matrix is
 * positive definite (Nocedal & Wright, Algorithm 3.3), so that d is always a
 * descent direction even where H is indefinite. L is n×n scratch. */
static bool newton_direction(const double *H, const double *g, int n, double *L, double *d) {
    double maxdiag = 0;
    for (int i = 0; i < n; i++) maxdiag = fmax(maxdiag, fabs(H[i * n + i]));
    double tau = 0;
    for (int attempt = 0; attempt < 80; attempt++) {
        bool ok = true;
        for (int j = 0; j < n && ok; j++) {
            double s = H[j * n + j] + tau;
            for (int k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
            if (!(s > 1e-14 * (maxdiag + tau + 1e-300))) {
                ok = false;
                break;
            }
            L[j * n + j] = sqrt(s);
            for (int i = j + 1; i < n; i++) {
                double t = 0.5 * (H[i * n + j] + H[j * n + i]);
                for (int k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
                L[i * n + j] = t / L[j * n + j];
            }
        }
        if (ok) {
            for (int i = 0; i < n; i++) { /* L y = -g */
                double s = -g[i];
                for (int k = 0; k < i; k++) s -= L[i * n + k] * d[k];
                d[i] = s / L[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) { /* Lᵀ d = y */
                double s = d[i];
                for (int k = i + 1; k < n; k++) s -= L[k * n + i] * d[k];
                d[i] = s / L[i * n + i];
            }
            return all_finite(d, n);
        }
        tau = tau == 0 ? fmax(1e-3 * maxdiag, 1e-8) : 4 * tau;
    }
    return false;
}

/* ---- the loop ---- */

typedef struct run {
    const lm_opt_problem *prob;
    const lm_opt_params *par;
    int n;
    double *g, *xt, *gt, *v, *s, *d, *H, *L;
} run;

/* The stopping measure: |g|, or under a projection |x - P(x - g)|, which is 0
 * exactly at a constrained stationary point. */
static double crit(run *R, const double *x, const double *g) {
    if (R->par->proj == LM_PROJ_NONE) return norm2(g, R->n);
    for (int i = 0; i < R->n; i++) R->xt[i] = x[i] - g[i];
    project(R->par, R->xt, R->n);
    for (int i = 0; i < R->n; i++) R->xt[i] = x[i] - R->xt[i];
    return norm2(R->xt, R->n);
}

/* Armijo backtracking from x along the projected arc P(x - t·g) (or x + t·d for
 * Newton): halves t from t0 until f drops by c·(g·step). Returns false when no
 * trial decreases f in 60 halvings. On success x, f and g are the new point. */
static bool armijo(run *R, double *x, double *f, const double *dir, double t0) {
    const double c = 1e-4;
    int n = R->n;
    double t = t0;
    for (int k = 0; k < 60; k++, t *= 0.5) {
        for (int i = 0; i < n; i++) R->xt[i] = dir ? x[i] + t * dir[i] : x[i] - t * R->g[i];
        if (!dir) project(R->par, R->xt, n);
        double slope = 0;
        for (int i = 0; i < n; i++) slope += R->g[i] * (R->xt[i] - x[i]);
        double ft = R->prob->fg(R->prob->ud, R->xt, R->gt);
        if (isfinite(ft) && ft <= *f + c * slope && slope < 0) {
            memcpy(x, R->xt, (size_t)n * sizeof *x);
            memcpy(R->g, R->gt, (size_t)n * sizeof *x);
            *f = ft;
            return true;
        }
    }
    return false;
}

lm_opt_trace *lm_opt_minimize(lm_ctx *ctx, const lm_opt_problem *prob, const lm_opt_params *par, const double *x0,
                              lm_err *err) {
    int n = prob->n;
    if (n <= 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "there is nothing to minimize over: no variables");
        return NULL;
    }
    if (!(par->lr > 0) || !isfinite(par->lr)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the step lr must be a positive number, not %g", par->lr);
        return NULL;
    }
    if (par->steps < 0 || par->steps > LM_OPT_MAX_STEPS) {
        lm_err_set(err, LM_ERR_LIMIT, "steps must be between 0 and %lld, not %lld", (long long)LM_OPT_MAX_STEPS,
                   (long long)par->steps);
        return NULL;
    }
    if (!(par->tol >= 0)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the tolerance tol must be zero or positive, not %g", par->tol);
        return NULL;
    }
    if (par->method == LM_OPT_NEWTON && !prob->hess) {
        lm_err_set(err, LM_ERR_DOMAIN, "Newton's method needs the Hessian, which this objective does not provide");
        return NULL;
    }
    if (par->method == LM_OPT_NEWTON && par->proj != LM_PROJ_NONE) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "Newton's method cannot be projected onto constraints here; use a gradient method with the box or "
                   "simplex");
        return NULL;
    }
    if (par->proj == LM_PROJ_BOX) {
        for (int i = 0; i < n; i++)
            if (par->lo && par->hi && !(par->lo[i] <= par->hi[i])) {
                lm_err_set(err, LM_ERR_DOMAIN, "the box is empty: lower bound %g is above upper bound %g (variable %d)",
                           par->lo[i], par->hi[i], i + 1);
                return NULL;
            }
    }
    if (par->proj == LM_PROJ_SIMPLEX && !(par->radius > 0 && isfinite(par->radius))) {
        lm_err_set(err, LM_ERR_DOMAIN, "the simplex needs a positive total, not %g", par->radius);
        return NULL;
    }
    if (!all_finite(x0, n)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the starting point must be finite numbers");
        return NULL;
    }

    /* Store every stride-th iterate so that long runs keep a bounded trace. */
    int64_t stride = par->steps > LM_OPT_MAX_TRACE ? (par->steps + LM_OPT_MAX_TRACE - 1) / LM_OPT_MAX_TRACE : 1;
    int64_t cap = par->steps / stride + 2;
    if ((double)cap * n > (double)LM_MAX_ELEMS) {
        lm_err_set(err, LM_ERR_LIMIT, "the trajectory of %d variables would pass the limit of %lld values", n,
                   (long long)LM_MAX_ELEMS);
        return NULL;
    }
    lm_opt_trace *T = trace_alloc(n, cap, err);
    if (!T) return NULL;
    T->method = par->method;
    T->lr = par->lr;
    T->tol = par->tol;
    T->proj = par->proj;
    T->linesearch = par->linesearch || par->method == LM_OPT_NEWTON;

    size_t nn = (size_t)n;
    run R = {prob, par, n, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    double *x = lm_calloc(nn, sizeof *x);
    R.g = lm_calloc(nn, sizeof *x);
    R.xt = lm_calloc(nn, sizeof *x);
    R.gt = lm_calloc(nn, sizeof *x);
    R.v = lm_calloc(nn, sizeof *x);
    R.s = lm_calloc(nn, sizeof *x);
    R.d = lm_calloc(nn, sizeof *x);
    if (par->method == LM_OPT_NEWTON) {
        R.H = lm_alloc_big(nn * nn * sizeof *x);
        R.L = lm_alloc_big(nn * nn * sizeof *x);
        if (!R.H || !R.L) {
            lm_err_set(err, LM_ERR_LIMIT, "a %d×%d Hessian does not fit in memory", n, n);
            lm_opt_trace_release(T);
            T = NULL;
            goto out_free;
        }
    }

    memcpy(x, x0, nn * sizeof *x);
    project(par, x, n); /* a projected method starts from a feasible point */
    double f = prob->fg(prob->ud, x, R.g);
    double f0 = f, xscale = 1 + norm2(x, n);
    double gn = crit(&R, x, R.g);
    trace_push(T, 0, x, f, gn);
    lm_opt_status status = LM_OPT_MAXSTEPS;
    int64_t it = 0;
    double b1t = 1, b2t = 1; /* beta1^t, beta2^t for Adam's bias correction */
    int64_t rising = 0;       /* how many of the latest steps raised f, in a row */
    for (;;) {
        if (!isfinite(f) || !all_finite(R.g, n)) {
            status = LM_OPT_DIVERGED;
            break;
        }
        if (gn < par->tol) {
            status = LM_OPT_CONVERGED;
            break;
        }
        if (it >= par->steps) break;
        if (ctx && (it & 255) == 0 && lm_ctx_poll(ctx, err) != LM_OK) {
            lm_opt_trace_release(T);
            T = NULL;
            goto out_free;
        }
        it++;
        bool stepped = true; /* false: f and g still need evaluating at the new x */
        switch (par->method) {
        case LM_OPT_GD:
            if (par->linesearch) {
                if (!armijo(&R, x, &f, NULL, par->lr)) status = LM_OPT_STALLED;
            } else {
                for (int i = 0; i < n; i++) x[i] -= par->lr * R.g[i];
                stepped = false;
            }
            break;
        case LM_OPT_MOMENTUM:
            for (int i = 0; i < n; i++) {
                R.v[i] = par->momentum * R.v[i] - par->lr * R.g[i];
                x[i] += R.v[i];
            }
            stepped = false;
            break;
        case LM_OPT_NESTEROV:
            /* the gradient at the look-ahead point x + mu·v (Sutskever et al. 2013) */
            for (int i = 0; i < n; i++) R.xt[i] = x[i] + par->momentum * R.v[i];
            prob->fg(prob->ud, R.xt, R.gt);
            for (int i = 0; i < n; i++) {
                R.v[i] = par->momentum * R.v[i] - par->lr * R.gt[i];
                x[i] += R.v[i];
            }
            stepped = false;
            break;
        case LM_OPT_ADAGRAD:
            for (int i = 0; i < n; i++) {
                R.s[i] += R.g[i] * R.g[i];
                x[i] -= par->lr * R.g[i] / (sqrt(R.s[i]) + par->eps);
            }
            stepped = false;
            break;
        case LM_OPT_RMSPROP:
            for (int i = 0; i < n; i++) {
                R.s[i] = par->rho * R.s[i] + (1 - par->rho) * R.g[i] * R.g[i];
                x[i] -= par->lr * R.g[i] / (sqrt(R.s[i]) + par->eps);
            }
            stepped = false;
            break;
        case LM_OPT_ADAM:
            b1t *= par->beta1;
            b2t *= par->beta2;
            for (int i = 0; i < n; i++) {
                R.v[i] = par->beta1 * R.v[i] + (1 - par->beta1) * R.g[i];
                R.s[i] = par->beta2 * R.s[i] + (1 - par->beta2) * R.g[i] * R.g[i];
                double mhat = R.v[i] / (1 - b1t), vhat = R.s[i] / (1 - b2t);
                x[i] -= par->lr * mhat / (sqrt(vhat) + par->eps);
            }
            stepped = false;
            break;
        case LM_OPT_NEWTON:
            prob->hess(prob->ud, x, R.H);
            if (!all_finite(R.H, n * n) || !newton_direction(R.H, R.g, n, R.L, R.d)) {
                status = LM_OPT_DIVERGED;
                break;
            }
            if (!armijo(&R, x, &f, R.d, par->lr)) status = LM_OPT_STALLED;
            break;
        default: break;
        }
        if (status != LM_OPT_MAXSTEPS) break;
        double fprev = f;
        if (!stepped) {
            project(par, x, n);
            f = prob->fg(prob->ud, x, R.g);
        }
        rising = f > fprev ? rising + 1 : 0;
        gn = crit(&R, x, R.g);
        if (it % stride == 0) trace_push(T, it, x, f, gn);
        /* Unbounded growth is divergence even before it overflows. */
        if (!all_finite(x, n) || norm2(x, n) > 1e50 * xscale ||
            (isfinite(f0) && f > f0 + 1e15 * (1 + fabs(f0)))) {
            status = LM_OPT_DIVERGED;
            break;
        }
    }
    /* A fixed step that is too large makes f grow step after step long before it
     * overflows: out of steps above the start and still climbing is divergence,
     * and "raise steps" would be the wrong advice. */
    if (status == LM_OPT_MAXSTEPS && !T->linesearch && it >= 2 && rising >= (it < 5 ? it : 5) && f > f0)
        status = LM_OPT_DIVERGED;
    if (T->npoints == 0 || T->iter[T->npoints - 1] != it) trace_push(T, it, x, f, gn);
    memcpy(T->xmin, x, nn * sizeof *x);
    T->fmin = f;
    T->gmin = gn;
    T->iterations = it;
    T->status = status;

out_free:
    lm_free(x);
    lm_free(R.g);
    lm_free(R.xt);
    lm_free(R.gt);
    lm_free(R.v);
    lm_free(R.s);
    lm_free(R.d);
    lm_free(R.H);
    lm_free(R.L);
    return T;
}
