/* critical(e, x) and critical(e, [x, y]): where the derivative (the gradient)
 * is zero, and what each point is by the second-derivative test. In one
 * variable the roots of e' come from solve; a zero e'' falls back on the first
 * nonzero higher derivative. In two, the system grad e = 0 is reduced to one
 * unknown when an equation is free of a variable or linear in one (x^3 - 3x + y^2,
 * Rosenbrock's function) and otherwise solved numerically from a grid of
 * starting points (GSL's hybrid Newton method with the exact Hessian as its
 * Jacobian); D = e_xx e_yy - e_xy^2 classifies each point. Exact points are
 * classified exactly. */
#include "sym_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <string.h>

#define HIGHER_ORDER_MAX 6 /* derivatives tried when e'' is 0 at a point */
#define GRID_STARTS 9      /* per axis, for the numeric 2-D search */
#define NEWTON_ITERS 100
#define MAX_POINTS 256

typedef struct cpts {
    lm_expr **pt; /* dim per point, owned */
    int n, cap, dim;
    bool numeric, searched;
} cpts;

static void cp_push(cpts *c, lm_expr *const *p) { /* takes the coordinates */
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->pt = lm_realloc(c->pt, (size_t)c->cap * (size_t)c->dim * sizeof *c->pt);
    }
    for (int k = 0; k < c->dim; k++) c->pt[c->n * c->dim + k] = p[k];
    c->n++;
}

static void cp_free(cpts *c) {
    for (int i = 0; i < c->n * c->dim; i++) lm_expr_release(c->pt[i]);
    lm_free(c->pt);
}

static bool is_real_number(const lm_expr *e, double *v) {
    double re, im;
    if (!lm_sym_to_complex(e, &re, &im)) return false;
    *v = re;
    return (im == 0 || isnan(im)) && isfinite(re);
}

static bool is_float_point(const lm_expr *e) { return e->op == LM_X_FLOAT; }

/* The sign of an expression at an exact point: exact zero is 0; otherwise the
 * sign of its value, with |v| <= tol counted as 0 for numeric points. */
static int sign_at(lm_ctx *ctx, lm_expr *e, int n, const char **names, lm_expr *const *pt, bool numeric, double tol,
                   lm_err *err) {
    lm_expr *v = lm_sym_subs(ctx, e, n, names, pt, err);
    if (!v) return 2;
    int s;
    double d;
    if (lm_sym_is_rat(v, 0, 1)) s = 0;
    else if (!is_real_number(v, &d)) s = 2; /* undefined there */
    else if (numeric && fabs(d) <= tol) s = 0;
    else s = d > 0 ? 1 : d < 0 ? -1 : 0;
    lm_expr_release(v);
    return s;
}

/* ---- one variable ---- */

static lm_status crit1(lm_ctx *ctx, lm_expr *e, lm_expr *x, double lo, double hi, lm_sym_critical *out, lm_err *err) {
    lm_expr *d1 = lm_sym_diff(ctx, e, x, err);
    if (!d1) return err->kind;
    lm_sym_roots r;
    lm_status st = lm_sym_solve(ctx, d1, x, lo, hi, &r, err);
    if (st != LM_OK) {
        if (st == LM_ERR_DOMAIN && err->msg && strstr(err->msg, "holds for every")) {
            lm_err_clear(err);
            st = lm_err_set(err, LM_ERR_DOMAIN, "critical: the derivative is 0 everywhere: every point is critical");
        }
        lm_expr_release(d1);
        return st;
    }
    out->searched = r.searched;
    const char *nm = x->u.name;
    lm_expr **dk = lm_calloc(HIGHER_ORDER_MAX + 1, sizeof *dk);
    dk[1] = d1;
    out->pt = lm_alloc(((size_t)r.n + 1) * sizeof *out->pt);
    out->val = lm_alloc(((size_t)r.n + 1) * sizeof *out->val);
    out->kind = lm_alloc(((size_t)r.n + 1) * sizeof *out->kind);
    for (int i = 0; i < r.n && st == LM_OK; i++) {
        double xv;
        if (!is_real_number(r.root[i], &xv)) continue; /* complex roots are no points of the graph */
        bool num = is_float_point(r.root[i]);
        lm_expr *fv = lm_sym_subs(ctx, e, 1, &nm, &r.root[i], err);
        if (!fv) {
            st = err->kind;
            break;
        }
        lm_critkind kind = LM_CRIT_UNKNOWN;
        for (int k = 2; k <= HIGHER_ORDER_MAX; k++) {
            if (!dk[k] && !(dk[k] = lm_sym_diff(ctx, dk[k - 1], x, err))) {
                st = err->kind;
                break;
            }
            int s = sign_at(ctx, dk[k], 1, &nm, &r.root[i], num, 1e-7 * fmax(1.0, fabs(lm_sym_to_double(fv))), err);
            if (s == 2) break;
            if (s == 0) continue;
            kind = k % 2 == 1 ? LM_CRIT_NEITHER : s > 0 ? LM_CRIT_MIN : LM_CRIT_MAX;
            out->order = k > out->order ? k : out->order;
            break;
        }
        if (st != LM_OK) {
            lm_expr_release(fv);
            break;
        }
        out->pt[out->n] = lm_expr_retain(r.root[i]);
        out->val[out->n] = fv;
        out->kind[out->n++] = kind;
        if (num) out->numeric = true;
    }
    for (int k = 1; k <= HIGHER_ORDER_MAX; k++) lm_expr_release(dk[k]);
    lm_free(dk);
    lm_sym_roots_free(&r);
    return st;
}

/* ---- two variables ---- */

typedef struct sys2 {
    lm_ctx *ctx;
    lm_expr *g[2];    /* the gradient */
    lm_expr *h[2][2]; /* the Hessian */
    lm_expr *var[2];
    const char *names[2];
    double lo, hi;
} sys2;

/* Real roots of one equation in var (over [lo, hi] when searched). */
static bool roots1(sys2 *S, lm_expr *eq, lm_expr *var, lm_sym_roots *r, cpts *c, lm_err *err) {
    if (lm_sym_solve(S->ctx, eq, var, S->lo, S->hi, r, err) != LM_OK) return false;
    if (r->searched) c->searched = true;
    return true;
}

/* Points where g[i] (free of var[1-j]... see below) gives var[j] directly:
 * g[i] depends on var[j] alone. */
static bool eliminate_free(sys2 *S, int i, int j, cpts *c, lm_err *err) {
    lm_sym_roots r1;
    if (!roots1(S, S->g[i], S->var[j], &r1, c, err)) return false;
    bool ok = true;
    for (int a = 0; a < r1.n && ok; a++) {
        double v;
        if (!is_real_number(r1.root[a], &v)) continue;
        const char *nm = S->names[j];
        lm_expr *other = lm_sym_subs(S->ctx, S->g[1 - i], 1, &nm, &r1.root[a], err);
        if (!other) {
            ok = false;
            break;
        }
        if (lm_sym_free_of(other, S->var[1 - j])) {
            /* every value of the other variable: a line of critical points */
            bool zero = lm_sym_is_rat(other, 0, 1);
            lm_expr_release(other);
            if (zero) {
                lm_err_set(err, LM_ERR_DOMAIN, "critical: the gradient is 0 along the whole line %s = %.6g: every point on it is critical",
                           S->names[j], v);
                ok = false;
            }
            continue;
        }
        lm_sym_roots r2;
        ok = roots1(S, other, S->var[1 - j], &r2, c, err);
        lm_expr_release(other);
        for (int b = 0; ok && b < r2.n; b++) {
            double w;
            if (!is_real_number(r2.root[b], &w)) continue;
            lm_expr *p[2];
            p[j] = lm_expr_retain(r1.root[a]);
            p[1 - j] = lm_expr_retain(r2.root[b]);
            cp_push(c, p);
        }
        if (ok) lm_sym_roots_free(&r2);
    }
    lm_sym_roots_free(&r1);
    return ok;
}

/* g[i] = c1(w) v + c0(w) with v = var[j]: v = -c0/c1 into the other equation. */
static bool eliminate_linear(sys2 *S, int i, int j, lm_expr **co, cpts *c, lm_err *err) {
    lm_expr *m1 = lm_sym_int(S->ctx, -1);
    lm_expr *inv = lm_sym_pow(S->ctx, co[1], m1, err);
    lm_expr *q = inv ? lm_sym_mul(S->ctx, co[0], inv, err) : NULL;
    lm_expr *v = q ? lm_sym_mul(S->ctx, m1, q, err) : NULL;
    lm_expr_release(m1);
    lm_expr_release(inv);
    lm_expr_release(q);
    if (!v) return false;
    const char *nm = S->names[j];
    lm_expr *other = lm_sym_subs(S->ctx, S->g[1 - i], 1, &nm, &v, err);
    bool ok = other != NULL;
    lm_sym_roots r;
    if (ok && lm_sym_free_of(other, S->var[1 - j])) {
        ok = !lm_sym_is_rat(other, 0, 1);
        if (!ok) lm_err_set(err, LM_ERR_DOMAIN, "critical: the gradient is 0 along a whole curve: every point on it is critical");
        lm_expr_release(other);
        lm_expr_release(v);
        return ok;
    }
    ok = ok && roots1(S, other, S->var[1 - j], &r, c, err);
    for (int b = 0; ok && b < r.n; b++) {
        double w;
        if (!is_real_number(r.root[b], &w)) continue;
        const char *wn = S->names[1 - j];
        lm_expr *c1 = lm_sym_subs(S->ctx, co[1], 1, &wn, &r.root[b], err);
        bool zero = !c1 || lm_sym_is_rat(c1, 0, 1);
        lm_expr_release(c1);
        if (zero) continue; /* the formula for v does not hold there */
        lm_expr *vv = lm_sym_subs(S->ctx, v, 1, &wn, &r.root[b], err);
        if (!vv) {
            ok = false;
            break;
        }
        lm_expr *vs = lm_sym_simplify(S->ctx, vv, 0, NULL, err);
        lm_expr_release(vv);
        if (!vs) {
            ok = false;
            break;
        }
        lm_expr *p[2];
        p[j] = vs;
        p[1 - j] = lm_expr_retain(r.root[b]);
        cp_push(c, p);
    }
    if (ok) lm_sym_roots_free(&r);
    lm_expr_release(other);
    lm_expr_release(v);
    return ok;
}

/* One pair of equations p = 0, q = 0 (p borrowed into S->g[i] slot i, q in
 * the other): an equation in one variable, or one linear in a variable, reduces
 * the pair to one unknown. False (nothing pushed, no error) when neither fits. */
static bool reduce_pair(sys2 *S, cpts *c, lm_err *err) {
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (!lm_sym_free_of(S->g[i], S->var[j]) && lm_sym_free_of(S->g[i], S->var[1 - j]))
                return eliminate_free(S, i, j, c, err) || err->kind != LM_OK;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            lm_expr **co;
            int deg;
            lm_err e2 = LM_ERR_INIT;
            int rc = lm_sym_coeffs(S->ctx, S->g[i], S->var[j], 1, true, &co, &deg, &e2);
            lm_err_clear(&e2);
            if (rc != 1) continue;
            bool ok = deg == 1 && eliminate_linear(S, i, j, co, c, err);
            lm_sym_coeffs_free(co, deg);
            if (ok || err->kind != LM_OK) return true;
        }
    return false;
}

/* The factors of an equation that can be 0 (exp(u) never is). +1 each. */
static int zero_factors(sys2 *S, lm_expr *g, lm_expr **out, int max) {
    lm_err e2 = LM_ERR_INIT;
    lm_expr *f = lm_sym_factor(S->ctx, g, &e2);
    lm_err_clear(&e2);
    if (!f) f = lm_expr_retain(g);
    int nf = f->op == LM_X_MUL ? f->nargs : 1, n = 0;
    lm_expr *const *fs = f->op == LM_X_MUL ? f->args : &f;
    for (int k = 0; k < nf && n < max; k++) {
        const lm_expr *b = lm_sym_base(fs[k]), *ex = lm_sym_exp(fs[k]);
        lm_snum kk;
        if (ex && lm_snum_of(ex, &kk) && lm_snum_sign(kk) < 0) continue; /* a denominator */
        if (lm_sym_free_of(b, S->var[0]) && lm_sym_free_of(b, S->var[1])) continue;
        if (b->op == LM_X_CALL && b->sub == LM_XF_EXP) continue;
        out[n++] = lm_expr_retain((lm_expr *)b);
    }
    lm_expr_release(f);
    return n;
}

#define SPLIT_MAX 8

/* The exact reductions: the first equation is split into its factors (each
 * factor = 0 together with the other equation is a smaller system), then each
 * pair is reduced. False when some pair has no reduction (the caller searches
 * numerically); what was pushed then is dropped by the caller. */
static bool eliminate(sys2 *S, cpts *c, lm_err *err) {
    for (int first = 0; first < 2; first++) {
        lm_expr *fa[SPLIT_MAX];
        int na = zero_factors(S, S->g[first], fa, SPLIT_MAX);
        bool all = na > 0;
        int start = c->n;
        lm_expr *keep0 = S->g[0], *keep1 = S->g[1];
        for (int a = 0; a < na && all; a++) {
            S->g[first] = fa[a];
            S->g[1 - first] = first == 0 ? keep1 : keep0;
            all = reduce_pair(S, c, err);
            if (err->kind != LM_OK) all = false;
        }
        S->g[0] = keep0;
        S->g[1] = keep1;
        for (int a = 0; a < na; a++) lm_expr_release(fa[a]);
        if (all || err->kind != LM_OK) return all || err->kind != LM_OK;
        /* undo a partial reduction before trying the other equation first */
        for (int i = start * c->dim; i < c->n * c->dim; i++) lm_expr_release(c->pt[i]);
        c->n = start;
    }
    return false;
}

typedef struct nsys {
    lm_xprog *g[2], *h[2][2];
} nsys;

static int ns_f(const gsl_vector *x, void *ud, gsl_vector *f) {
    nsys *N = ud;
    double p[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)};
    for (int i = 0; i < 2; i++) gsl_vector_set(f, (size_t)i, lm_xprog_run(N->g[i], p));
    return isfinite(gsl_vector_get(f, 0)) && isfinite(gsl_vector_get(f, 1)) ? GSL_SUCCESS : GSL_EDOM;
}

static int ns_df(const gsl_vector *x, void *ud, gsl_matrix *J) {
    nsys *N = ud;
    double p[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) gsl_matrix_set(J, (size_t)i, (size_t)j, lm_xprog_run(N->h[i][j], p));
    return GSL_SUCCESS;
}

static int ns_fdf(const gsl_vector *x, void *ud, gsl_vector *f, gsl_matrix *J) {
    int s = ns_f(x, ud, f);
    ns_df(x, ud, J);
    return s;
}

/* The exact values a coordinate may stand for: p/q with q <= 12, k*pi/q. */
static int exact_candidates(lm_ctx *ctx, double v, lm_expr **out) {
    static const int piq[] = {1, 2, 3, 4, 6};
    int n = 0;
    for (int q = 1; q <= 12 && n == 0; q++) {
        double pn = round(v * q);
        if (fabs(pn / q - v) <= 1e-9 * fmax(1, fabs(v)) && fabs(pn) < 1e9) out[n++] = lm_sym_rat(ctx, (int64_t)pn, q);
    }
    for (size_t k = 0; k < sizeof piq / sizeof piq[0] && n < 2; k++) {
        double pn = round(v * piq[k] / 3.14159265358979323846);
        if (pn != 0 && fabs(pn * 3.14159265358979323846 / piq[k] - v) <= 1e-9 * fmax(1, fabs(v)) && fabs(pn) < 1e6) {
            lm_expr *r = lm_sym_rat(ctx, (int64_t)pn, piq[k]), *pi = lm_sym_const(ctx, LM_XC_PI);
            out[n++] = lm_sym_mul(ctx, r, pi, NULL);
            lm_expr_release(r);
            lm_expr_release(pi);
        }
    }
    return n;
}

/* p receives exact coordinates when some pair of candidates makes the gradient
 * exactly 0, else the floats. */
static bool exact_point(sys2 *S, double p0, double p1, lm_expr **p) {
    lm_expr *c0[2], *c1[2];
    int n0 = exact_candidates(S->ctx, p0, c0), n1 = exact_candidates(S->ctx, p1, c1);
    bool found = false;
    for (int a = 0; a < n0 && !found; a++)
        for (int b = 0; b < n1 && !found; b++) {
            lm_expr *q[2] = {c0[a], c1[b]};
            lm_err e2 = LM_ERR_INIT;
            bool zero = true;
            for (int i = 0; i < 2 && zero; i++) {
                lm_expr *v = lm_sym_subs(S->ctx, S->g[i], 2, S->names, q, &e2);
                zero = v && lm_sym_is_rat(v, 0, 1);
                lm_expr_release(v);
            }
            lm_err_clear(&e2);
            if (zero) {
                p[0] = lm_expr_retain(c0[a]);
                p[1] = lm_expr_retain(c1[b]);
                found = true;
            }
        }
    for (int a = 0; a < n0; a++) lm_expr_release(c0[a]);
    for (int b = 0; b < n1; b++) lm_expr_release(c1[b]);
    if (!found) {
        p[0] = lm_sym_float(S->ctx, p0);
        p[1] = lm_sym_float(S->ctx, p1);
    }
    return found;
}

/* Newton from a grid of starts over [lo, hi]^2; a coordinate is written
 * exactly when a small fraction substituted exactly zeroes the gradient. */
static bool search2(sys2 *S, cpts *c, lm_err *err) {
    lm_sym_gsl_quiet();
    nsys N;
    for (int i = 0; i < 2; i++) {
        N.g[i] = lm_xprog_new(S->g[i], 2, S->names);
        for (int j = 0; j < 2; j++) N.h[i][j] = lm_xprog_new(S->h[i][j], 2, S->names);
    }
    gsl_multiroot_function_fdf F = {ns_f, ns_df, ns_fdf, 2, &N};
    gsl_multiroot_fdfsolver *sv = gsl_multiroot_fdfsolver_alloc(gsl_multiroot_fdfsolver_hybridsj, 2);
    gsl_vector *x0 = gsl_vector_alloc(2);
    double found[MAX_POINTS][2];
    int nf = 0;
    bool ok = true;
    c->searched = true;
    for (int a = 0; a < GRID_STARTS && ok; a++)
        for (int b = 0; b < GRID_STARTS && ok; b++) {
            if (lm_ctx_poll(S->ctx, err) != LM_OK) {
                ok = false;
                break;
            }
            gsl_vector_set(x0, 0, S->lo + (S->hi - S->lo) * (a + 0.5) / GRID_STARTS);
            gsl_vector_set(x0, 1, S->lo + (S->hi - S->lo) * (b + 0.5) / GRID_STARTS);
            if (gsl_multiroot_fdfsolver_set(sv, &F, x0) != GSL_SUCCESS) continue;
            int status = GSL_CONTINUE;
            for (int it = 0; it < NEWTON_ITERS && status == GSL_CONTINUE; it++) {
                if (gsl_multiroot_fdfsolver_iterate(sv) != GSL_SUCCESS) break;
                status = gsl_multiroot_test_residual(sv->f, 1e-12);
            }
            if (status != GSL_SUCCESS) continue;
            double p0 = gsl_vector_get(sv->x, 0), p1 = gsl_vector_get(sv->x, 1);
            if (!(p0 >= S->lo && p0 <= S->hi && p1 >= S->lo && p1 <= S->hi)) continue;
            bool dup = false;
            for (int k = 0; k < nf && !dup; k++)
                dup = fabs(found[k][0] - p0) <= 1e-7 * fmax(1, fabs(p0)) && fabs(found[k][1] - p1) <= 1e-7 * fmax(1, fabs(p1));
            if (dup || nf == MAX_POINTS) continue;
            {
                /* a numerically flat region (exp(-x^2) far out) is no isolated critical point */
                double pp[2] = {p0, p1}, hm = 0;
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 2; j++) hm = fmax(hm, fabs(lm_xprog_run(N.h[i][j], pp)));
                if (!(hm > 1e-10)) continue;
            }
            found[nf][0] = p0;
            found[nf][1] = p1;
            nf++;
            lm_expr *p[2];
            bool exact = exact_point(S, p0, p1, p);
            if (!exact) c->numeric = true;
            cp_push(c, p);
        }
    gsl_vector_free(x0);
    gsl_multiroot_fdfsolver_free(sv);
    for (int i = 0; i < 2; i++) {
        lm_xprog_free(N.g[i]);
        for (int j = 0; j < 2; j++) lm_xprog_free(N.h[i][j]);
    }
    return ok;
}

static int cmp_pts(const double *a, const double *b) {
    for (int k = 0; k < 2; k++)
        if (a[k] != b[k]) return a[k] < b[k] ? -1 : 1;
    return 0;
}

static lm_status crit2(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, double lo, double hi, lm_sym_critical *out,
                       lm_err *err) {
    sys2 S;
    memset(&S, 0, sizeof S);
    S.ctx = ctx;
    S.lo = lo;
    S.hi = hi;
    lm_status st = LM_OK;
    cpts c = {NULL, 0, 0, 2, false, false};
    for (int i = 0; i < 2; i++) {
        S.var[i] = vars[i];
        S.names[i] = vars[i]->u.name;
        if (!(S.g[i] = lm_sym_diff(ctx, e, vars[i], err))) goto fail;
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (!(S.h[i][j] = j < i ? lm_expr_retain(S.h[j][i]) : lm_sym_diff(ctx, S.g[i], vars[j], err))) goto fail;
    if (lm_sym_is_rat(S.g[0], 0, 1) && lm_sym_is_rat(S.g[1], 0, 1)) {
        lm_err_set(err, LM_ERR_DOMAIN, "critical: the gradient is 0 everywhere: every point is critical");
        goto fail;
    }
    if (!eliminate(&S, &c, err)) {
        if (err->kind != LM_OK) goto fail;
        const lm_expr **syms;
        size_t ns = lm_sym_symbols(e, &syms);
        const char *other = NULL;
        for (size_t i = 0; i < ns && !other; i++)
            if (syms[i] != vars[0] && syms[i] != vars[1]) other = syms[i]->u.name;
        lm_free(syms);
        if (other) {
            lm_err_set(err, LM_ERR_DOMAIN, "critical: the system grad = 0 has no exact reduction here, and %s has no value for a numeric search",
                       other);
            goto fail;
        }
        if (!search2(&S, &c, err)) goto fail;
    }
    if (err->kind != LM_OK) goto fail;
    /* check, dedupe, sort, classify */
    {
        double *key = lm_alloc(((size_t)c.n + 1) * 2 * sizeof *key);
        int *order = lm_alloc(((size_t)c.n + 1) * sizeof *order), n = 0;
        for (int i = 0; i < c.n; i++) {
            double p[2];
            if (!is_real_number(c.pt[2 * i], &p[0]) || !is_real_number(c.pt[2 * i + 1], &p[1])) continue;
            /* the gradient really vanishes there (an eliminated formula could divide by 0) */
            double g0 = lm_sym_eval(S.g[0], S.names, p, 2), g1 = lm_sym_eval(S.g[1], S.names, p, 2);
            if (!(fabs(g0) <= 1e-6 * fmax(1, fabs(p[0]) + fabs(p[1])) && fabs(g1) <= 1e-6 * fmax(1, fabs(p[0]) + fabs(p[1]))))
                continue;
            bool dup = false;
            for (int k = 0; k < n && !dup; k++) {
                int o = order[k];
                dup = (c.pt[2 * o] == c.pt[2 * i] && c.pt[2 * o + 1] == c.pt[2 * i + 1]) ||
                      (fabs(key[2 * o] - p[0]) <= 1e-8 * fmax(1, fabs(p[0])) &&
                       fabs(key[2 * o + 1] - p[1]) <= 1e-8 * fmax(1, fabs(p[1])));
            }
            if (dup) continue;
            key[2 * i] = p[0];
            key[2 * i + 1] = p[1];
            int k = n++;
            while (k > 0 && cmp_pts(&key[2 * order[k - 1]], p) > 0) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        out->pt = lm_alloc(((size_t)n + 1) * 2 * sizeof *out->pt);
        out->val = lm_alloc(((size_t)n + 1) * sizeof *out->val);
        out->kind = lm_alloc(((size_t)n + 1) * sizeof *out->kind);
        lm_expr *D = NULL;
        lm_expr *t1 = lm_sym_mul(ctx, S.h[0][0], S.h[1][1], err);
        lm_expr *t2 = t1 ? lm_sym_mul(ctx, S.h[0][1], S.h[0][1], err) : NULL;
        D = t2 ? lm_sym_sub(ctx, t1, t2, err) : NULL;
        lm_expr_release(t1);
        lm_expr_release(t2);
        for (int k = 0; k < n && D; k++) {
            int i = order[k];
            lm_expr *p[2] = {c.pt[2 * i], c.pt[2 * i + 1]};
            bool num = is_float_point(p[0]) || is_float_point(p[1]);
            lm_expr *fv = lm_sym_subs(ctx, e, 2, S.names, p, err);
            if (!fv) break;
            /* entries of the Hessian near 0 at a numeric point are taken as 0 */
            double scale = 1e-7 * fmax(1.0, fabs(lm_sym_to_double(fv)));
            int sd = sign_at(ctx, D, 2, S.names, p, num, scale, err), sx = sign_at(ctx, S.h[0][0], 2, S.names, p, num, scale, err);
            lm_critkind kind = sd == 2 ? LM_CRIT_UNKNOWN
                               : sd < 0 ? LM_CRIT_SADDLE
                               : sd == 0 ? LM_CRIT_UNKNOWN
                               : sx > 0 && sx != 2 ? LM_CRIT_MIN
                               : sx < 0 ? LM_CRIT_MAX
                                        : LM_CRIT_UNKNOWN;
            out->pt[2 * out->n] = lm_expr_retain(p[0]);
            out->pt[2 * out->n + 1] = lm_expr_retain(p[1]);
            out->val[out->n] = fv;
            out->kind[out->n++] = kind;
            if (num) out->numeric = true;
        }
        lm_expr_release(D);
        lm_free(key);
        lm_free(order);
    }
    out->searched = c.searched;
    out->order = 2;
    st = err->kind;
    goto done;
fail:
    st = err->kind ? err->kind : lm_err_set(err, LM_ERR_INTERNAL, "critical failed without saying why");
done:
    cp_free(&c);
    for (int i = 0; i < 2; i++) {
        lm_expr_release(S.g[i]);
        for (int j = 0; j < 2; j++) lm_expr_release(S.h[i][j]);
    }
    return st;
}

void lm_sym_critical_free(lm_sym_critical *c) {
    if (c->pt)
        for (int i = 0; i < c->n * c->dim; i++) lm_expr_release(c->pt[i]);
    if (c->val)
        for (int i = 0; i < c->n; i++) lm_expr_release(c->val[i]);
    lm_free(c->pt);
    lm_free(c->val);
    lm_free(c->kind);
    memset(c, 0, sizeof *c);
}

lm_status lm_sym_critical_points(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int nvars, double lo, double hi,
                                 lm_sym_critical *out, lm_err *err) {
    memset(out, 0, sizeof *out);
    out->dim = nvars;
    out->lo = lo;
    out->hi = hi;
    if (nvars < 1 || nvars > 2)
        return lm_err_set(err, LM_ERR_DOMAIN, "critical: functions of one or two variables only, not %d", nvars);
    for (int i = 0; i < nvars; i++)
        if (!vars[i] || vars[i]->op != LM_X_SYM) return lm_err_set(err, LM_ERR_TYPE, "critical: the variables must be symbols");
    if (nvars == 2 && vars[0] == vars[1]) return lm_err_set(err, LM_ERR_DOMAIN, "critical: the two variables must differ");
    if (!e || e->op == LM_X_REL || e->op == LM_X_MATRIX)
        return lm_err_set(err, LM_ERR_TYPE, "critical: give one expression (a function to examine)");
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
        return lm_err_set(err, LM_ERR_DOMAIN, "critical: the search range must be finite with lo < hi");
    lm_status st = nvars == 1 ? crit1(ctx, e, vars[0], lo, hi, out, err) : crit2(ctx, e, vars, lo, hi, out, err);
    if (st != LM_OK) lm_sym_critical_free(out);
    return st;
}
