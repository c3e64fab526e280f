/* Convexity of a symbolic function: decided exactly when the Hessian is
 * constant (quadratics and linear functions: by its eigenvalues), otherwise by
 * evaluating the Hessian at sampled points, which can prove non-convexity (a
 * negative eigenvalue somewhere) but only suggest convexity. */
#include "lemma/linalg.h"
#include "lemma/opt.h"

#include <math.h>
#include <string.h>

/* The smallest eigenvalue of the symmetric n×n matrix H (row-major), or NaN. */
static double min_eig(const double *H, int n, double *maxabs, lm_err *err) {
    lm_tensor *A = lm_tensor_matrix(n, n, err);
    if (!A) return NAN;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) A->data[i * n + j] = 0.5 * (H[i * n + j] + H[j * n + i]);
    lm_tensor *ev = lm_linalg_eigvals(A, err);
    lm_tensor_release(A);
    if (!ev) return NAN;
    double lo = INFINITY, big = 0;
    for (int64_t k = 0; k < ev->size; k++) {
        double v = ev->data[lm_tensor_offset(ev, k)];
        if (v < lo) lo = v;
        if (fabs(v) > big) big = fabs(v);
    }
    lm_tensor_release(ev);
    *maxabs = big;
    return lo;
}

lm_status lm_opt_convex(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, int64_t samples, double radius,
                        lm_convex_result *out, lm_err *err) {
    memset(out, 0, sizeof *out);
    if (!f || f->op == LM_X_MATRIX || f->op == LM_X_REL)
        return lm_err_set(err, LM_ERR_TYPE, "convexity is a property of one expression, such as x^2 + y^2");
    if (n <= 0) return lm_err_set(err, LM_ERR_DOMAIN, "give the variables, as in [x, y]");
    lm_expr *H = lm_sym_hessian(ctx, f, vars, n, err);
    if (!H) return err->kind;
    lm_status st = LM_OK;
    double *h = lm_calloc((size_t)n * (size_t)n, sizeof *h);
    out->point = lm_calloc((size_t)n, sizeof *out->point);
    bool constant = true;
    for (int k = 0; k < n * n && constant; k++) constant = lm_sym_is_number(H->args[k]);
    if (constant) {
        for (int k = 0; k < n * n; k++) h[k] = lm_sym_to_double(H->args[k]);
        double big = 0;
        double lo = min_eig(h, n, &big, err);
        if (isnan(lo)) {
            st = err->kind ? err->kind : lm_err_set(err, LM_ERR_DOMAIN, "the Hessian is not a finite matrix");
            goto out;
        }
        /* eigenvalues of an exact integer Hessian come back with rounding: a
         * zero may read as -1e-16, which is not a reason to say "not convex" */
        double tol = 1e-12 * (big > 1 ? big : 1);
        out->constant_hessian = true;
        out->min_eig = lo;
        out->strict = lo > tol;
        out->verdict = lo >= -tol ? LM_CONVEX_YES : LM_CONVEX_NO;
        out->samples = 0;
        goto out;
    }
    if (samples <= 0) samples = 1;
    lm_sym_prog *p = lm_sym_compile(H, vars, n, err);
    if (!p) {
        st = err->kind;
        goto out;
    }
    double *x = lm_calloc((size_t)n, sizeof *x);
    out->min_eig = INFINITY;
    out->verdict = LM_CONVEX_LIKELY;
    int64_t used = 0;
    for (int64_t s = 0; s < samples; s++) {
        /* a quarter of the points near the origin, where curvature changes most
         * often (x^3, sin), the rest spread over the whole box */
        double r = s % 4 == 0 ? 1 : radius;
        for (int i = 0; i < n; i++) x[i] = r * (2 * lm_rng_uniform(&ctx->rng) - 1);
        lm_sym_prog_eval(p, x, h);
        bool finite = true;
        for (int k = 0; k < n * n && finite; k++) finite = isfinite(h[k]);
        if (!finite) continue; /* outside the domain (log of a negative): not evidence either way */
        used++;
        double big = 0;
        double lo = min_eig(h, n, &big, err);
        if (isnan(lo)) {
            lm_err_clear(err);
            continue;
        }
        if (lo < out->min_eig) {
            out->min_eig = lo;
            memcpy(out->point, x, (size_t)n * sizeof *x);
        }
        if (lo < -1e-9 * (big > 1 ? big : 1)) {
            out->verdict = LM_CONVEX_NO;
            break;
        }
    }
    out->samples = used;
    lm_free(x);
    lm_sym_prog_free(p);
    if (used == 0)
        st = lm_err_set(err, LM_ERR_DOMAIN,
                        "the Hessian was not finite at any of the %lld sampled points in [-%g, %g]; the function may "
                        "be defined only on a small region",
                        (long long)samples, radius, radius);
out:
    lm_free(h);
    lm_expr_release(H);
    if (st != LM_OK) {
        lm_free(out->point);
        out->point = NULL;
    }
    return st;
}
