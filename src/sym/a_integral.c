/* integral(e, x, a, b): numeric definite integrals on GSL's QUADPACK: QAGS
 * (adaptive Gauss-Kronrod with extrapolation, good at integrable endpoint
 * singularities) on a finite interval, QAGI/QAGIU/QAGIL on infinite ones. A
 * failure to reach the tolerance is a `convergence` error that reports the
 * estimate and the error QUADPACK reached. */
#include "sym_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <string.h>

/* Subintervals QUADPACK may use, and the tolerance asked of it: relative 1e-10
 * with a tiny absolute floor so that an integral equal to 0 can converge. */
#define QUAD_LIMIT 1000
#define QUAD_EPSREL 1e-10
#define QUAD_EPSABS 1e-13

typedef struct qctx {
    lm_xprog *p;
    lm_ctx *ctx;
    double bad;   /* where the integrand was not a number, or NAN */
    bool stop;    /* interrupted */
    long calls;
} qctx;

/* The integrand. A removable hole (sin(x)/x at 0) is bridged by the mean of
 * the values just beside it; anything else non-finite is reported. */
static double integrand(double x, void *ud) {
    qctx *Q = ud;
    if (Q->stop) return 0;
    if ((++Q->calls & 1023) == 0) {
        lm_err e = LM_ERR_INIT;
        if (lm_ctx_poll(Q->ctx, &e) != LM_OK) Q->stop = true;
        lm_err_clear(&e);
    }
    double v = lm_xprog_run(Q->p, &x);
    if (isnan(v)) {
        double h = 1e-7 * fmax(1.0, fabs(x)), xl = x - h, xr = x + h;
        double l = lm_xprog_run(Q->p, &xl), r = lm_xprog_run(Q->p, &xr);
        v = 0.5 * (l + r);
        if (isnan(v) && isnan(Q->bad)) Q->bad = x;
    }
    return v;
}

lm_status lm_sym_integral(lm_ctx *ctx, lm_expr *e, lm_expr *x, double a, double b, double *value, double *abserr,
                          lm_err *err) {
    *value = NAN;
    *abserr = NAN;
    if (!e || !x || x->op != LM_X_SYM)
        return lm_err_set(err, LM_ERR_TYPE, "integral: the variable of integration must be a symbol such as x");
    if (e->op == LM_X_REL || e->op == LM_X_MATRIX)
        return lm_err_set(err, LM_ERR_TYPE, "integral: the integrand must be one expression");
    if (isnan(a) || isnan(b)) return lm_err_set(err, LM_ERR_DOMAIN, "integral: a limit of integration is NaN");
    lm_expr *iu = lm_sym_const(ctx, LM_XC_I);
    bool complex = !lm_sym_free_of(e, iu);
    lm_expr_release(iu);
    if (complex)
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "integral: the integrand holds i; integrate its real and imaginary parts separately");
    const lm_expr **syms;
    size_t ns = lm_sym_symbols(e, &syms);
    for (size_t i = 0; i < ns; i++)
        if (syms[i] != x) {
            lm_status st = lm_err_set(err, LM_ERR_TYPE,
                                      "integral: the integrand also holds %s; give it a value first, as in integral(subs(e, %s = 1), %s, a, b)",
                                      syms[i]->u.name, syms[i]->u.name, x->u.name);
            lm_free(syms);
            return st;
        }
    lm_free(syms);
    if (a == b) {
        *value = 0;
        *abserr = 0;
        return LM_OK;
    }
    double sign = 1;
    if (a > b) { /* the integral from b to a, negated */
        double t = a;
        a = b;
        b = t;
        sign = -1;
    }
    lm_sym_gsl_quiet();
    const char *nm = x->u.name;
    qctx Q = {lm_xprog_new(e, 1, &nm), ctx, NAN, false, 0};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(QUAD_LIMIT);
    gsl_function f = {integrand, &Q};
    double r = NAN, ae = NAN;
    int status;
    if (isinf(a) && isinf(b)) status = gsl_integration_qagi(&f, QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, w, &r, &ae);
    else if (isinf(b)) status = gsl_integration_qagiu(&f, a, QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, w, &r, &ae);
    else if (isinf(a)) status = gsl_integration_qagil(&f, b, QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, w, &r, &ae);
    else status = gsl_integration_qags(&f, a, b, QUAD_EPSABS, QUAD_EPSREL, QUAD_LIMIT, w, &r, &ae);
    size_t used = w->size;
    gsl_integration_workspace_free(w);
    lm_xprog_free(Q.p);
    if (Q.stop) return lm_ctx_poll(ctx, err) != LM_OK ? err->kind : lm_err_set(err, LM_ERR_LIMIT, "integral: interrupted");
    if (!isnan(Q.bad))
        return lm_err_set(err, LM_ERR_DOMAIN, "integral: the integrand is not defined at %s = %.10g", nm, Q.bad);
    *value = sign * r;
    *abserr = ae;
    if (status != GSL_SUCCESS || !isfinite(r)) {
        lm_err_set(err, LM_ERR_CONVERGENCE,
                   "integral: QUADPACK did not converge (%s) after %zu subintervals: estimate %.10g with error estimate %.3g; "
                   "the integral may diverge, or the integrand may have a singularity or oscillate inside the interval",
                   gsl_strerror(status), used, sign * r, ae);
        return LM_ERR_CONVERGENCE;
    }
    return LM_OK;
}
