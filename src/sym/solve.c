/* solve(e == 0, x): the equation is put over one denominator and split into its
 * factors; a polynomial factor is solved exactly where it can be (rational roots
 * by the rational root theorem, the rest of degree 1 and 2 by formula, with sqrt
 * and i) and otherwise through the eigenvalues of its companion matrix (LAPACK
 * dgeev, polished by Newton steps); any other factor is searched numerically
 * over a range (sign changes refined by GSL's Brent solver, touching roots by a
 * minimizer), and a numeric root is written exactly only when substituting the
 * exact candidate gives exactly 0. */
#include "sym_int.h"

#include <complex.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Samples of the numeric search over [lo, hi], and its iteration caps. */
#define SCAN_POINTS 4000
#define BRENT_ITERS 200
#define NEWTON_POLISH 8
/* Recognizing a numeric root exactly: denominators tried for p/q and k*pi/q. */
#define RECOGNIZE_MAX_Q 12

void lm_sym_gsl_quiet(void) {
    /* GSL's default handler aborts the process; lemma reads every status itself.
     * Setting it is idempotent, so each entry point that calls GSL does it. */
    gsl_set_error_handler_off();
}

/* ---- the list of roots ---- */

typedef struct rootlist {
    lm_expr **v;
    int n, cap;
    bool numeric;
} rootlist;

static void rl_push(rootlist *l, lm_expr *r) { /* takes r */
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = lm_realloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = r;
}

static void rl_free(rootlist *l) {
    for (int i = 0; i < l->n; i++) lm_expr_release(l->v[i]);
    lm_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static lm_expr *complex_node(lm_ctx *ctx, double re, double im, lm_err *err) {
    lm_expr *r = lm_sym_float(ctx, re);
    if (im == 0) return r;
    lm_expr *m = lm_sym_float(ctx, im), *iu = lm_sym_const(ctx, LM_XC_I);
    lm_expr *mi = lm_sym_mul(ctx, m, iu, err);
    lm_expr *s = mi ? lm_sym_add(ctx, r, mi, err) : NULL;
    lm_expr_release(r);
    lm_expr_release(m);
    lm_expr_release(iu);
    lm_expr_release(mi);
    return s;
}

/* ---- numeric roots of a polynomial with real coefficients ---- */

/* c[0..n] (c[n] != 0), n >= 1: the n complex roots into re/im. False when LAPACK
 * fails (it reports no convergence). */
static bool companion_roots(const double *c, int n, double *re, double *im) {
    if (n == 1) {
        re[0] = -c[0] / c[1];
        im[0] = 0;
        return true;
    }
    double *a = lm_calloc((size_t)n * (size_t)n, sizeof *a);
    /* row-major companion matrix of the monic polynomial: first row -c[n-1..0]/c[n] */
    for (int j = 0; j < n; j++) a[j] = -c[n - 1 - j] / c[n];
    for (int i = 1; i < n; i++) a[(size_t)i * (size_t)n + (size_t)(i - 1)] = 1.0;
    lapack_int info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', n, a, n, re, im, NULL, 1, NULL, 1);
    lm_free(a);
    if (info != 0) return false;
    /* a few Newton steps on the polynomial itself sharpen what the eigenvalues give */
    for (int k = 0; k < n; k++) {
        double complex z = re[k] + im[k] * I;
        for (int it = 0; it < NEWTON_POLISH; it++) {
            double complex p = c[n], dp = 0;
            for (int j = n - 1; j >= 0; j--) {
                dp = dp * z + p;
                p = p * z + c[j];
            }
            if (dp == 0) break;
            double complex nz = z - p / dp;
            double complex pn = c[n];
            for (int j = n - 1; j >= 0; j--) pn = pn * nz + c[j];
            if (!(cabs(pn) < cabs(p))) break;
            z = nz;
        }
        re[k] = creal(z);
        im[k] = cimag(z);
        if (fabs(im[k]) <= 1e-12 * fmax(1.0, cabs(z))) im[k] = 0; /* a real root */
    }
    return true;
}

static int cmp_complex(const void *pa, const void *pb) {
    const double *a = pa, *b = pb;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

static bool push_numeric_poly(lm_ctx *ctx, const double *c, int n, rootlist *out, lm_err *err) {
    double *re = lm_alloc((size_t)n * sizeof *re), *im = lm_alloc((size_t)n * sizeof *im);
    bool ok = companion_roots(c, n, re, im);
    if (!ok) lm_err_set(err, LM_ERR_CONVERGENCE, "solve: the eigenvalue solver (LAPACK dgeev) did not converge for this degree-%d polynomial", n);
    double *z = lm_alloc((size_t)n * 2 * sizeof *z);
    for (int k = 0; ok && k < n; k++) {
        z[2 * k] = re[k];
        z[2 * k + 1] = im[k];
    }
    if (ok) qsort(z, (size_t)n, 2 * sizeof *z, cmp_complex);
    for (int k = 0; ok && k < n; k++) {
        lm_expr *r = complex_node(ctx, z[2 * k], z[2 * k + 1], err);
        if (!r) ok = false;
        else rl_push(out, r);
    }
    out->numeric = out->numeric || (ok && n > 0);
    lm_free(re);
    lm_free(im);
    lm_free(z);
    return ok;
}

/* ---- exact roots ---- */

/* Roots of a*x^2 + b*x + c (a != 0) by the formula; one root when the
 * discriminant is exactly 0. */
static bool push_quadratic(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_expr *c, rootlist *out, lm_err *err) {
    lm_expr *four = lm_sym_int(ctx, 4), *two = lm_sym_int(ctx, 2), *half = lm_sym_rat(ctx, 1, 2);
    lm_expr *m1 = lm_sym_int(ctx, -1);
    lm_expr *b2 = lm_sym_pow(ctx, b, two, err);
    lm_expr *f3[3] = {four, a, c};
    lm_expr *ac4 = b2 ? lm_sym_mulv(ctx, 3, f3, err) : NULL;
    lm_expr *d0 = ac4 ? lm_sym_sub(ctx, b2, ac4, err) : NULL;
    lm_expr *d = d0 ? lm_sym_expand(ctx, d0, err) : NULL;
    lm_expr *s = NULL;
    lm_snum k;
    if (d && d->op == LM_X_MUL && lm_snum_of(d->args[0], &k) && !k.isf && lm_snum_sign(k) < 0) {
        /* sqrt(-4*y) = 2*sqrt(-y): a positive factor comes out of the root,
         * which the constructor does only for a positive coefficient */
        lm_expr *ak = lm_sym_snum(ctx, lm_snum_neg(k)), *mk = lm_sym_snum(ctx, lm_snum_powi(k, -1));
        lm_expr *inner = lm_sym_mul(ctx, mk, d, err); /* d/|k| with the sign kept: -y */
        lm_expr *neg1 = lm_sym_int(ctx, -1);
        lm_expr *inner2 = inner ? lm_sym_mul(ctx, neg1, inner, err) : NULL;
        lm_expr *r1 = lm_sym_pow(ctx, ak, half, err), *r2 = inner2 ? lm_sym_pow(ctx, inner2, half, err) : NULL;
        s = r1 && r2 ? lm_sym_mul(ctx, r1, r2, err) : NULL;
        lm_expr *tmp[] = {ak, mk, inner, neg1, inner2, r1, r2};
        for (size_t q = 0; q < sizeof tmp / sizeof tmp[0]; q++) lm_expr_release(tmp[q]);
    } else if (d) {
        s = lm_sym_pow(ctx, d, half, err);
    }
    lm_expr *a2 = s ? lm_sym_mul(ctx, two, a, err) : NULL;
    lm_expr *inv = a2 ? lm_sym_pow(ctx, a2, m1, err) : NULL;
    lm_expr *nb = inv ? lm_sym_neg(ctx, b, err) : NULL;
    bool ok = nb != NULL;
    bool one = ok && lm_sym_is_rat(d, 0, 1);
    for (int sign = -1; ok && sign <= 1; sign += 2) {
        if (one && sign > 0) break;
        lm_expr *ss = sign < 0 ? lm_sym_neg(ctx, s, err) : lm_expr_retain(s);
        lm_expr *num = ss ? lm_sym_add(ctx, nb, ss, err) : NULL;
        lm_expr *r0 = num ? lm_sym_mul(ctx, num, inv, err) : NULL;
        /* numbers: -1/2 + sqrt(3)*i/2, not (sqrt(3)*i - 1)/2; symbols: the
         * formula as taught, (-b + sqrt(b^2 - 4*a*c))/(2*a) */
        lm_expr *r = !r0 ? NULL : lm_sym_is_number(r0) ? lm_sym_expand(ctx, r0, err) : lm_expr_retain(r0);
        lm_expr_release(ss);
        lm_expr_release(num);
        lm_expr_release(r0);
        if (!r) ok = false;
        else rl_push(out, r);
    }
    lm_expr *all[] = {four, two, half, m1, b2, ac4, d0, d, s, a2, inv, nb};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) lm_expr_release(all[i]);
    return ok;
}

static bool push_qpoly_rest(lm_ctx *ctx, lm_qpoly *r, const lm_expr *x, rootlist *out, lm_err *err) {
    (void)x;
    if (r->deg < 1) return true;
    if (r->deg <= 2) {
        lm_expr *c[3] = {NULL, NULL, NULL};
        for (int i = 0; i <= r->deg; i++) c[i] = lm_sym_snum(ctx, r->c[i]);
        bool ok;
        if (r->deg == 1) {
            lm_expr *m1 = lm_sym_int(ctx, -1);
            lm_expr *inv = lm_sym_pow(ctx, c[1], m1, err);
            lm_expr *q = inv ? lm_sym_mul(ctx, c[0], inv, err) : NULL;
            lm_expr *nq = q ? lm_sym_neg(ctx, q, err) : NULL;
            ok = nq != NULL;
            if (ok) rl_push(out, nq);
            lm_expr_release(m1);
            lm_expr_release(inv);
            lm_expr_release(q);
        } else {
            ok = push_quadratic(ctx, c[2], c[1], c[0], out, err);
        }
        for (int i = 0; i < 3; i++) lm_expr_release(c[i]);
        return ok;
    }
    double *c = lm_alloc(((size_t)r->deg + 1) * sizeof *c);
    for (int i = 0; i <= r->deg; i++) c[i] = lm_snum_double(r->c[i]);
    bool ok = push_numeric_poly(ctx, c, r->deg, out, err);
    lm_free(c);
    return ok;
}

/* Every root of an exact polynomial: 0, the rational roots, then per square-free
 * part what remains. Roots are listed once each. */
static bool solve_qpoly(lm_ctx *ctx, const lm_qpoly *f, const lm_expr *x, rootlist *out, lm_err *err) {
    lm_qpoly p = lm_qpoly_copy(f);
    lm_snum content;
    bool ok = lm_qpoly_primitive(&p, &content);
    if (ok) {
        int k = 0;
        while (k < p.deg && lm_snum_is_zero(p.c[k])) k++;
        if (k > 0) {
            rl_push(out, lm_sym_int(ctx, 0));
            memmove(p.c, p.c + k, (size_t)(p.deg - k + 1) * sizeof *p.c);
            p.deg -= k;
        }
        lm_qpoly parts[64];
        int np = p.deg >= 1 ? lm_qpoly_squarefree(&p, parts, 64) : 0;
        if (np < 0) {
            /* numbers too big for exact work: all roots numerically */
            double *c = lm_alloc(((size_t)p.deg + 1) * sizeof *c);
            for (int i = 0; i <= p.deg; i++) c[i] = lm_snum_double(p.c[i]);
            ok = push_numeric_poly(ctx, c, p.deg, out, err);
            lm_free(c);
        }
        for (int i = 0; i < np; i++) {
            lm_qpoly *a = &parts[i];
            lm_snum junk;
            if (ok && a->deg >= 1 && lm_qpoly_primitive(a, &junk)) {
                lm_snum *roots = lm_alloc(((size_t)a->deg + 1) * sizeof *roots);
                int *mult = lm_alloc(((size_t)a->deg + 1) * sizeof *mult);
                int nr = lm_qpoly_rational_roots(a, roots, mult, a->deg + 1);
                for (int j = 0; j < nr; j++) rl_push(out, lm_sym_snum(ctx, roots[j]));
                lm_free(roots);
                lm_free(mult);
                ok = push_qpoly_rest(ctx, a, x, out, err);
            }
            lm_qpoly_free(a);
        }
    } else {
        double *c = lm_alloc(((size_t)f->deg + 1) * sizeof *c);
        for (int i = 0; i <= f->deg; i++) c[i] = lm_snum_double(f->c[i]);
        ok = push_numeric_poly(ctx, c, f->deg, out, err);
        lm_free(c);
    }
    lm_qpoly_free(&p);
    return ok;
}

/* A polynomial factor given by its coefficients (free of x). */
static bool solve_coeffs(lm_ctx *ctx, lm_expr **c, int deg, const lm_expr *x, rootlist *out, bool *assumed,
                         lm_err *err) {
    bool rat = true, num = true;
    for (int i = 0; i <= deg; i++) {
        if (c[i]->op != LM_X_RAT) rat = false;
        if (!lm_sym_is_number(c[i])) num = false;
    }
    if (deg < 1) return true;
    if (rat) {
        lm_qpoly f = {deg, lm_alloc(((size_t)deg + 1) * sizeof(lm_snum))};
        for (int i = 0; i <= deg; i++) lm_snum_of(c[i], &f.c[i]);
        bool ok = solve_qpoly(ctx, &f, x, out, err);
        lm_qpoly_free(&f);
        return ok;
    }
    if (deg == 1 || deg == 2) { /* exact formulas work for any coefficients */
        if (!lm_sym_is_number(c[deg])) *assumed = true; /* a leading coefficient a is taken to be nonzero */
        if (deg == 2) return push_quadratic(ctx, c[2], c[1], c[0], out, err);
        lm_expr *m1 = lm_sym_int(ctx, -1);
        lm_expr *inv = lm_sym_pow(ctx, c[1], m1, err);
        lm_expr *q = inv ? lm_sym_mul(ctx, c[0], inv, err) : NULL;
        lm_expr *nq = q ? lm_sym_neg(ctx, q, err) : NULL;
        lm_expr_release(m1);
        lm_expr_release(inv);
        lm_expr_release(q);
        if (!nq) return false;
        rl_push(out, nq);
        return true;
    }
    if (!num) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "solve: a polynomial of degree %d whose coefficients hold other unknowns has no formula here; give them values with subs first",
                   deg);
        return false;
    }
    double *d = lm_alloc(((size_t)deg + 1) * sizeof *d);
    bool ok = true;
    for (int i = 0; i <= deg; i++) {
        double re, im;
        lm_sym_to_complex(c[i], &re, &im);
        if (im != 0 && !isnan(im)) ok = false;
        d[i] = re;
    }
    if (!ok) lm_err_set(err, LM_ERR_DOMAIN, "solve: polynomials with complex coefficients are not supported");
    else ok = push_numeric_poly(ctx, d, deg, out, err);
    lm_free(d);
    return ok;
}

/* ---- numeric search ---- */

typedef struct fnum {
    lm_xprog *p;
} fnum;

static double fnum_eval(double x, void *ud) {
    fnum *F = ud;
    return lm_xprog_run(F->p, &x);
}

static double fnum_abs(double x, void *ud) { return fabs(fnum_eval(x, ud)); }

/* The exact value a numeric root stands for, when substituting it gives exactly
 * 0: p/q or k*pi/q with small q. NULL when none. */
static lm_expr *recognize(lm_ctx *ctx, lm_expr *f, const lm_expr *x, double r) {
    static const int piq[] = {1, 2, 3, 4, 6, 12};
    lm_err e2 = LM_ERR_INIT;
    lm_expr *found = NULL;
    for (int k = 0; k < RECOGNIZE_MAX_Q + 6 && !found; k++) {
        bool pi = k >= RECOGNIZE_MAX_Q;
        int q = pi ? piq[k - RECOGNIZE_MAX_Q] : k + 1;
        double unit = pi ? 3.14159265358979323846 : 1.0;
        double p = round(r * q / unit);
        if (fabs(p) > 1e6 || fabs(p * unit / q - r) > 1e-9 * fmax(1.0, fabs(r))) continue;
        lm_expr *cand = lm_sym_rat(ctx, (int64_t)p, q);
        if (pi) {
            lm_expr *pic = lm_sym_const(ctx, LM_XC_PI);
            lm_expr *t = lm_sym_mul(ctx, cand, pic, &e2);
            lm_expr_release(pic);
            lm_expr_release(cand);
            cand = t;
        }
        if (!cand) break;
        const char *nm = x->u.name;
        lm_expr *v = lm_sym_subs(ctx, f, 1, &nm, &cand, &e2);
        if (v && lm_sym_is_rat(v, 0, 1)) found = cand;
        else lm_expr_release(cand);
        lm_expr_release(v);
    }
    lm_err_clear(&e2);
    return found;
}

static bool near_known(const double *v, int n, double r) {
    for (int i = 0; i < n; i++)
        if (fabs(v[i] - r) <= 1e-8 * fmax(1.0, fabs(r))) return true;
    return false;
}

/* Real roots of f in [lo, hi]: sign changes between samples refined by Brent's
 * method (a pole, as tan(x) at pi/2, also changes sign: it is dropped because f
 * is not small there), and local minima of |f| that reach 0 (touching roots,
 * cos(x) + 1 at pi) refined by a minimizer. */
static bool solve_scan(lm_ctx *ctx, lm_expr *f, const lm_expr *x, double lo, double hi, rootlist *out, lm_err *err) {
    lm_sym_gsl_quiet();
    const char *nm = x->u.name;
    fnum F = {lm_xprog_new(f, 1, &nm)};
    int n = SCAN_POINTS;
    double *xs = lm_alloc(((size_t)n + 1) * sizeof *xs), *fs = lm_alloc(((size_t)n + 1) * sizeof *fs);
    double *found = lm_alloc(((size_t)n + 1) * sizeof *found);
    int nf = 0;
    double scale = 0;
    for (int i = 0; i <= n; i++) {
        xs[i] = lo + (hi - lo) * i / n;
        fs[i] = fnum_eval(xs[i], &F);
        if (isfinite(fs[i])) scale = fmax(scale, fabs(fs[i]));
    }
    scale = fmax(scale, 1e-300);
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_min_fminimizer *ms = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    gsl_function gf = {fnum_eval, &F}, ga = {fnum_abs, &F};
    bool ok = true;
    for (int i = 0; i <= n && ok; i++) {
        if (lm_ctx_poll(ctx, err) != LM_OK) ok = false;
        double r = NAN;
        if (fs[i] == 0) r = xs[i];
        else if (i < n && isfinite(fs[i]) && isfinite(fs[i + 1]) && fs[i + 1] != 0 && (fs[i] < 0) != (fs[i + 1] < 0)) {
            gsl_root_fsolver_set(rs, &gf, xs[i], xs[i + 1]);
            for (int it = 0; it < BRENT_ITERS; it++) {
                if (gsl_root_fsolver_iterate(rs) != GSL_SUCCESS) break;
                double a = gsl_root_fsolver_x_lower(rs), b = gsl_root_fsolver_x_upper(rs);
                if (gsl_root_test_interval(a, b, 0, 4 * 2.220446049250313e-16) == GSL_SUCCESS) break;
            }
            r = gsl_root_fsolver_root(rs);
            double fr = fnum_eval(r, &F);
            /* a root makes f small next to its neighbours; a pole does not */
            if (!(fabs(fr) <= 1e-6 * fmax(fabs(fs[i]), fabs(fs[i + 1])))) r = NAN;
        } else if (i > 0 && i < n && isfinite(fs[i - 1]) && isfinite(fs[i + 1]) && fabs(fs[i]) <= fabs(fs[i - 1]) &&
                   fabs(fs[i]) <= fabs(fs[i + 1]) && (fs[i] < 0) == (fs[i - 1] < 0) && (fs[i] < 0) == (fs[i + 1] < 0) &&
                   fabs(fs[i]) < 1e-3 * scale) {
            if (gsl_min_fminimizer_set_with_values(ms, &ga, xs[i], fabs(fs[i]), xs[i - 1], fabs(fs[i - 1]), xs[i + 1],
                                                   fabs(fs[i + 1])) == GSL_SUCCESS) {
                for (int it = 0; it < BRENT_ITERS; it++) {
                    if (gsl_min_fminimizer_iterate(ms) != GSL_SUCCESS) break;
                    if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(ms), gsl_min_fminimizer_x_upper(ms), 1e-15,
                                              1e-12) == GSL_SUCCESS)
                        break;
                }
                double m = gsl_min_fminimizer_x_minimum(ms);
                if (fabs(fnum_eval(m, &F)) <= 1e-12 * fmax(1.0, scale)) r = m;
            }
        }
        if (isnan(r) || near_known(found, nf, r)) continue;
        found[nf++] = r;
        lm_expr *ex = recognize(ctx, f, x, r);
        if (!ex) {
            ex = lm_sym_float(ctx, r);
            out->numeric = true;
        }
        rl_push(out, ex);
    }
    gsl_root_fsolver_free(rs);
    gsl_min_fminimizer_free(ms);
    lm_xprog_free(F.p);
    lm_free(xs);
    lm_free(fs);
    lm_free(found);
    return ok;
}

/* ---- one factor ---- */

static bool solve_factor(lm_ctx *ctx, lm_expr *g, const lm_expr *x, double lo, double hi, rootlist *out,
                         lm_sym_roots *info, lm_err *err) {
    if (lm_sym_free_of(g, x)) return true;
    /* exp(u) is never 0; log(u) = 0 where u = 1; a power is 0 where its base is */
    if (g->op == LM_X_CALL && g->sub == LM_XF_EXP) return true;
    if (g->op == LM_X_POW && lm_sym_free_of(g->args[1], x) && !lm_sym_is_number(g->args[0]))
        return solve_factor(ctx, g->args[0], x, lo, hi, out, info, err);
    if (g->op == LM_X_CALL && g->sub == LM_XF_LOG && g->nargs == 1) {
        lm_expr *one = lm_sym_int(ctx, 1);
        lm_expr *u = lm_sym_sub(ctx, g->args[0], one, err);
        lm_expr_release(one);
        bool ok = u && solve_factor(ctx, u, x, lo, hi, out, info, err);
        lm_expr_release(u);
        return ok;
    }
    lm_expr **c;
    int deg;
    lm_err e2 = LM_ERR_INIT;
    int rc = lm_sym_coeffs(ctx, g, x, LM_SOLVE_MAX_DEG, true, &c, &deg, &e2);
    if (rc < 0) {
        if (e2.kind == LM_ERR_LIMIT) {
            lm_err_set(err, LM_ERR_LIMIT, "solve: %s", e2.msg ? e2.msg : "the polynomial is too large");
            lm_err_clear(&e2);
            return false;
        }
        lm_err_clear(&e2);
        rc = 0;
    }
    if (rc == 1) {
        bool ok = solve_coeffs(ctx, c, deg, x, out, &info->assumed_nonzero, err);
        lm_sym_coeffs_free(c, deg);
        return ok;
    }
    const lm_expr **syms;
    size_t ns = lm_sym_symbols(g, &syms);
    const char *other = NULL;
    for (size_t i = 0; i < ns && !other; i++)
        if (syms[i] != x) other = syms[i]->u.name;
    if (other) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "solve: this equation is not polynomial in %s and also holds %s; only polynomial equations are solved with other unknowns present",
                   x->u.name, other);
        lm_free(syms);
        return false;
    }
    lm_free(syms);
    info->searched = true;
    return solve_scan(ctx, g, x, lo, hi, out, err);
}

/* ---- the whole equation ---- */

static double approx_re(const lm_expr *e, double *im) {
    double re;
    if (!lm_sym_to_complex(e, &re, im)) *im = NAN;
    return re;
}

static int cmp_roots(const void *pa, const void *pb) {
    const lm_expr *a = *(lm_expr *const *)pa, *b = *(lm_expr *const *)pb;
    double ia, ib, ra = approx_re(a, &ia), rb = approx_re(b, &ib);
    bool ca = ia != 0, cb = ib != 0; /* NaN counts as complex: listed last */
    if (ca != cb) return ca ? 1 : -1; /* real roots first */
    if (ra != rb && !isnan(ra) && !isnan(rb)) return ra < rb ? -1 : 1;
    if (ia != ib && !isnan(ia) && !isnan(ib)) return ia < ib ? -1 : 1;
    return lm_sym_cmp(a, b);
}

/* ---- g(u) = c for an invertible g ---- */

static lm_expr *call1(lm_ctx *ctx, const char *fn, lm_expr *u, lm_err *err) { return lm_sym_call(ctx, fn, 1, &u, err); }

/* f = k*g(u) + rest with rest and k free of x and g one invertible function:
 * the equation u == g^-1(-rest/k) (+1 in *out). false: no such shape (try the
 * other ways); true with *out NULL: no real solution (exp(x) = -1). */
static bool isolate(lm_ctx *ctx, lm_expr *f, const lm_expr *x, lm_expr **out, lm_err *err) {
    *out = NULL;
    if (f->op != LM_X_ADD) return false;
    int with = -1;
    for (int i = 0; i < f->nargs; i++)
        if (!lm_sym_free_of(f->args[i], x)) {
            if (with >= 0) return false;
            with = i;
        }
    if (with < 0) return false;
    /* the term: k times one factor that holds x */
    const lm_expr *t = f->args[with];
    lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &f->args[with];
    int nf = t->op == LM_X_MUL ? t->nargs : 1, gi = -1;
    for (int i = 0; i < nf; i++)
        if (!lm_sym_free_of(fs[i], x)) {
            if (gi >= 0) return false;
            gi = i;
        }
    const lm_expr *g = fs[gi];
    int fn = g->op == LM_X_CALL && g->nargs == 1 ? g->sub : -1;
    bool root = g->op == LM_X_POW && g->args[1]->op == LM_X_RAT && g->args[1]->u.rat.q > 1 && g->args[1]->u.rat.p > 0 &&
                lm_sym_free_of(g->args[1], x);
    if (!root && fn != LM_XF_EXP && fn != LM_XF_LOG && fn != LM_XF_SIGMOID && fn != LM_XF_ATAN && fn != LM_XF_SINH &&
        fn != LM_XF_TANH && fn != LM_XF_SOFTPLUS)
        return false;
    /* c = -(f - term)/k */
    lm_expr **rest = lm_alloc((size_t)f->nargs * sizeof *rest), **ks = lm_alloc((size_t)nf * sizeof *ks);
    int nr = 0, nk = 0;
    for (int i = 0; i < f->nargs; i++)
        if (i != with) rest[nr++] = f->args[i];
    for (int i = 0; i < nf; i++)
        if (i != gi) ks[nk++] = fs[i];
    lm_expr *R = lm_sym_addv(ctx, nr, rest, err), *K = lm_sym_mulv(ctx, nk, ks, err);
    lm_free(rest);
    lm_free(ks);
    lm_expr *q = R && K ? lm_sym_div(ctx, R, K, err) : NULL;
    lm_expr *c = q ? lm_sym_neg(ctx, q, err) : NULL;
    lm_expr_release(R);
    lm_expr_release(K);
    lm_expr_release(q);
    if (!c) return true; /* err is set */
    double cv = lm_sym_is_number(c) ? lm_sym_to_double(c) : NAN; /* NaN: symbolic, no domain check */
    lm_expr *v = NULL, *u = root ? g->args[0] : g->args[0];
    lm_expr *one = lm_sym_int(ctx, 1);
    bool none = false;
    switch (root ? -2 : fn) {
    case -2: { /* u^(p/q) = c: u = c^(q/p), for c >= 0 */
        if (cv < 0) none = true;
        else {
            lm_expr *m1 = lm_sym_int(ctx, -1), *inv = lm_sym_pow(ctx, g->args[1], m1, err);
            v = inv ? lm_sym_pow(ctx, c, inv, err) : NULL;
            lm_expr_release(m1);
            lm_expr_release(inv);
        }
        break;
    }
    case LM_XF_EXP:
        if (cv <= 0) none = true;
        else v = call1(ctx, "log", c, err);
        break;
    case LM_XF_LOG: v = call1(ctx, "exp", c, err); break;
    case LM_XF_SINH: { /* asinh(c) = log(c + sqrt(c^2 + 1)) */
        lm_expr *two = lm_sym_int(ctx, 2), *half = lm_sym_rat(ctx, 1, 2);
        lm_expr *c2 = lm_sym_pow(ctx, c, two, err), *s1 = c2 ? lm_sym_add(ctx, c2, one, err) : NULL;
        lm_expr *sq = s1 ? lm_sym_pow(ctx, s1, half, err) : NULL, *a = sq ? lm_sym_add(ctx, c, sq, err) : NULL;
        v = a ? call1(ctx, "log", a, err) : NULL;
        lm_expr *tmp[] = {two, half, c2, s1, sq, a};
        for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++) lm_expr_release(tmp[i]);
        break;
    }
    case LM_XF_SIGMOID:
    case LM_XF_TANH: { /* logit(c) = log(c/(1 - c)); atanh(c) = log((1 + c)/(1 - c))/2 */
        if (fn == LM_XF_SIGMOID ? !(cv > 0 && cv < 1) && !isnan(cv) : !(cv > -1 && cv < 1) && !isnan(cv)) {
            none = true;
            break;
        }
        lm_expr *den = lm_sym_sub(ctx, one, c, err);
        lm_expr *num = fn == LM_XF_SIGMOID ? lm_expr_retain(c) : lm_sym_add(ctx, one, c, err);
        lm_expr *r = den && num ? lm_sym_div(ctx, num, den, err) : NULL;
        lm_expr *l = r ? call1(ctx, "log", r, err) : NULL;
        lm_expr *half = lm_sym_rat(ctx, 1, 2);
        v = !l ? NULL : fn == LM_XF_SIGMOID ? lm_expr_retain(l) : lm_sym_mul(ctx, half, l, err);
        lm_expr *tmp[] = {den, num, r, l, half};
        for (size_t i = 0; i < sizeof tmp / sizeof tmp[0]; i++) lm_expr_release(tmp[i]);
        break;
    }
    case LM_XF_ATAN:
        if (fabs(cv) >= 1.5707963267948966) none = true;
        else v = call1(ctx, "tan", c, err);
        break;
    case LM_XF_SOFTPLUS: { /* log(1 + e^u) = c: u = log(e^c - 1), c > 0 */
        if (cv <= 0) {
            none = true;
            break;
        }
        lm_expr *ec = call1(ctx, "exp", c, err), *d = ec ? lm_sym_sub(ctx, ec, one, err) : NULL;
        v = d ? call1(ctx, "log", d, err) : NULL;
        lm_expr_release(ec);
        lm_expr_release(d);
        break;
    }
    default: break;
    }
    if (!none && v) *out = lm_sym_rel(ctx, LM_XR_EQ, u, v, err);
    lm_expr_release(v);
    lm_expr_release(one);
    lm_expr_release(c);
    return true;
}

void lm_sym_roots_free(lm_sym_roots *r) {
    for (int i = 0; i < r->n; i++) lm_expr_release(r->root[i]);
    lm_free(r->root);
    memset(r, 0, sizeof *r);
}

lm_status lm_sym_solve(lm_ctx *ctx, lm_expr *eq, lm_expr *x, double lo, double hi, lm_sym_roots *out, lm_err *err) {
    memset(out, 0, sizeof *out);
    out->lo = lo;
    out->hi = hi;
    if (!eq || !x || x->op != LM_X_SYM) return lm_err_set(err, LM_ERR_TYPE, "solve: the unknown must be a symbol such as x");
    if (!(lo < hi) || !isfinite(lo) || !isfinite(hi))
        return lm_err_set(err, LM_ERR_DOMAIN, "solve: the search range must be finite with lo < hi, not [%g, %g]", lo, hi);
    lm_expr *f;
    if (eq->op == LM_X_REL) {
        if (eq->sub != LM_XR_EQ)
            return lm_err_set(err, LM_ERR_TYPE, "solve: give an equation with ==; inequalities are not solved here");
        f = lm_sym_sub(ctx, eq->args[0], eq->args[1], err);
        if (!f) return err->kind;
    } else if (eq->op == LM_X_MATRIX) {
        return lm_err_set(err, LM_ERR_TYPE, "solve: one equation in one unknown, please; systems are not solved here");
    } else {
        f = lm_expr_retain(eq);
    }
    rootlist rl = {0};
    lm_expr *t = NULL, *inv = NULL;
    if (isolate(ctx, f, x, &inv, err)) {
        /* exp(u) = c is u = log(c), and so on: solve that instead */
        lm_expr_release(f);
        if (err->kind != LM_OK) {
            lm_expr_release(inv);
            return err->kind;
        }
        if (!inv) return LM_OK; /* no real solution */
        lm_status st = lm_sym_solve(ctx, inv, x, lo, hi, out, err);
        lm_expr_release(inv);
        return st;
    }
    if (lm_sym_free_of(f, x)) {
        bool zero = lm_sym_is_rat(f, 0, 1);
        lm_expr_release(f);
        if (zero) return lm_err_set(err, LM_ERR_DOMAIN, "solve: the equation holds for every %s", x->u.name);
        return LM_OK; /* no root: 3 == 0 */
    }
    /* over one denominator and factored, so that each factor is solved on its
     * own: 2*x*exp(-x) - x^2*exp(-x) is -x*(x - 2)*exp(-x) */
    {
        lm_err e2 = LM_ERR_INIT;
        t = lm_sym_factor(ctx, f, &e2);
        lm_err_clear(&e2);
        if (!t) t = lm_sym_together(ctx, f, err);
    }
    if (!t) goto fail;
    {
        /* roots of the numerator's factors; the denominator's are excluded below */
        int nf = t->op == LM_X_MUL ? t->nargs : 1;
        lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &t;
        for (int i = 0; i < nf; i++) {
            const lm_expr *ex = lm_sym_exp(fs[i]);
            lm_snum k;
            if (ex && lm_snum_of(ex, &k) && lm_snum_sign(k) < 0) continue;
            if (!solve_factor(ctx, fs[i], x, lo, hi, &rl, out, err)) goto fail;
        }
    }
    /* keep each root once, and only where f is defined (the denominator is not 0) */
    {
        const char *nm = x->u.name;
        int k = 0;
        for (int i = 0; i < rl.n; i++) {
            bool dup = false;
            for (int j = 0; j < k && !dup; j++) dup = rl.v[j] == rl.v[i];
            double ri, rr = approx_re(rl.v[i], &ri);
            for (int j = 0; j < k && !dup; j++) {
                double ji, jr = approx_re(rl.v[j], &ji);
                dup = fabs(jr - rr) <= 1e-10 * fmax(1, fabs(rr)) && fabs(ji - ri) <= 1e-10 * fmax(1, fabs(ri)) &&
                      (rl.v[i]->op == LM_X_FLOAT || rl.v[j]->op == LM_X_FLOAT);
            }
            /* a root of the numerator where the denominator vanishes too is a
             * hole or a pole of f, not a root: exactly when the root is exact */
            bool defined = true;
            if (!dup && lm_sym_is_number(rl.v[i])) {
                if (rl.v[i]->op == LM_X_FLOAT) {
                    double v = ri == 0 ? lm_sym_eval(f, &nm, &rr, 1) : 0;
                    defined = !isnan(v) && !isinf(v);
                } else {
                    lm_err e2 = LM_ERR_INIT;
                    lm_expr *val = lm_sym_subs(ctx, f, 1, &nm, &rl.v[i], &e2);
                    lm_err_clear(&e2);
                    double vr, vi;
                    defined = val && lm_sym_to_complex(val, &vr, &vi) && !isnan(vr) && !isinf(vr);
                    lm_expr_release(val);
                }
            }
            if (dup || !defined) lm_expr_release(rl.v[i]);
            else rl.v[k++] = rl.v[i];
        }
        rl.n = k;
    }
    {
        /* numeric roots in order; roots with other unknowns stay as the formula gave them */
        bool all_num = true;
        for (int i = 0; i < rl.n; i++) all_num = all_num && lm_sym_is_number(rl.v[i]);
        if (all_num && rl.n > 1) qsort(rl.v, (size_t)rl.n, sizeof *rl.v, cmp_roots);
    }
    out->n = rl.n;
    out->root = rl.v;
    out->numeric = rl.numeric;
    lm_expr_release(t);
    lm_expr_release(f);
    return LM_OK;
fail:
    rl_free(&rl);
    lm_expr_release(t);
    lm_expr_release(f);
    if (err->kind == LM_OK) lm_err_set(err, LM_ERR_INTERNAL, "solve failed without saying why");
    return err->kind;
}
