/* KL divergence between distribution values: closed forms for pairs of the
 * same family (Normal, LogNormal, Exponential, Gamma, Beta, Uniform, Poisson,
 * Bernoulli, Binomial, Geometric, Categorical, MultivariateNormal), otherwise
 * GSL quadrature of p·log(p/q) over P's support, or the sum for discrete P. */
#include "lemma/info.h"
#include "lemma/prob.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <string.h>

#define KL_QUAD_LIMIT 1000
#define KL_SUM_MAX 10000000 /* terms of a discrete sum */

static double bern(double p, double q) {
    double a[2] = {p, 1 - p}, b[2] = {q, 1 - q};
    return lm_info_kl(a, b, 2, exp(1.0), NULL);
}

/* lower-triangular L x = b, in place */
static void trisolve(const double *L, int64_t n, double *b) {
    for (int64_t i = 0; i < n; i++) {
        double s = b[i];
        for (int64_t k = 0; k < i; k++) s -= L[i * n + k] * b[k];
        b[i] = s / L[i * n + i];
    }
}

/* 1/2 [tr(S2⁻¹S1) + (m2-m1)ᵀS2⁻¹(m2-m1) - k + ln det S2 - ln det S1], with
 * S = L·Lᵀ: tr(S2⁻¹S1) = ||L2⁻¹L1||²_F and the quadratic form = ||L2⁻¹(m2-m1)||². */
static double kl_mvn(const lm_dist *P, const lm_dist *Q) {
    int64_t k = P->dim;
    double *col = lm_alloc((size_t)k * sizeof *col);
    double tr = 0, quad = 0;
    for (int64_t j = 0; j < k; j++) {
        for (int64_t i = 0; i < k; i++) col[i] = P->chol[i * k + j];
        trisolve(Q->chol, k, col);
        for (int64_t i = 0; i < k; i++) tr += col[i] * col[i];
    }
    for (int64_t i = 0; i < k; i++) col[i] = Q->vec[i] - P->vec[i];
    trisolve(Q->chol, k, col);
    for (int64_t i = 0; i < k; i++) quad += col[i] * col[i];
    lm_free(col);
    return 0.5 * (tr + quad - (double)k + Q->aux - P->aux);
}

/* The closed form in nats, or false when the pair has none here. */
static bool closed_form(const lm_dist *P, const lm_dist *Q, double *out) {
    const double *a = P->p, *b = Q->p;
    switch (lm_dist_fam(P)) {
    case LM_DIST_NORMAL:
    case LM_DIST_LOGNORMAL: /* log X is normal and KL is invariant under the map */
        *out = log(b[1] / a[1]) + (a[1] * a[1] + (a[0] - b[0]) * (a[0] - b[0])) / (2 * b[1] * b[1]) - 0.5;
        return true;
    case LM_DIST_EXPONENTIAL: *out = log(a[0] / b[0]) + b[0] / a[0] - 1; return true;
    case LM_DIST_GAMMA: /* shape a, rate b */
        *out = (a[0] - b[0]) * gsl_sf_psi(a[0]) - lgamma(a[0]) + lgamma(b[0]) + b[0] * (log(a[1]) - log(b[1])) +
               a[0] * (b[1] - a[1]) / a[1];
        return true;
    case LM_DIST_BETA: {
        double lbp = lgamma(a[0]) + lgamma(a[1]) - lgamma(a[0] + a[1]);
        double lbq = lgamma(b[0]) + lgamma(b[1]) - lgamma(b[0] + b[1]);
        *out = lbq - lbp + (a[0] - b[0]) * gsl_sf_psi(a[0]) + (a[1] - b[1]) * gsl_sf_psi(a[1]) +
               (b[0] - a[0] + b[1] - a[1]) * gsl_sf_psi(a[0] + a[1]);
        return true;
    }
    case LM_DIST_UNIFORM:
        *out = a[0] >= b[0] && a[1] <= b[1] ? log((b[1] - b[0]) / (a[1] - a[0])) : INFINITY;
        return true;
    case LM_DIST_POISSON:
        if (a[0] == 0) *out = b[0];
        else if (b[0] == 0) *out = INFINITY;
        else *out = a[0] * log(a[0] / b[0]) + b[0] - a[0];
        return true;
    case LM_DIST_BERNOULLI: *out = bern(a[0], b[0]); return true;
    case LM_DIST_BINOMIAL:
        if (a[0] != b[0]) return false;
        *out = a[0] * bern(a[1], b[1]);
        return true;
    case LM_DIST_GEOMETRIC: /* trials to the first success: KL per trial over the expected 1/p trials */
        *out = bern(a[0], b[0]) / a[0];
        return true;
    case LM_DIST_CATEGORICAL:
        if (P->dim != Q->dim) return false;
        *out = lm_info_kl(P->vec, Q->vec, P->dim, exp(1.0), NULL);
        return true;
    case LM_DIST_MVNORMAL:
        if (P->dim != Q->dim) return false;
        *out = kl_mvn(P, Q);
        return true;
    default: return false;
    }
}

typedef struct kq {
    const lm_dist *P, *Q;
    bool inf; /* P has density where Q has none */
} kq;

static double integrand(double x, void *ud) {
    kq *K = ud;
    double lp = lm_dist_logpdf(K->P, x);
    if (!(lp > -INFINITY)) return 0;
    double lq = lm_dist_logpdf(K->Q, x);
    if (!(lq > -INFINITY)) {
        K->inf = true;
        return 0;
    }
    return exp(lp) * (lp - lq);
}

static lm_status quadrature(const lm_dist *P, const lm_dist *Q, double *out, lm_err *err) {
    double lo, hi, qlo, qhi;
    lm_dist_support(P, &lo, &hi);
    lm_dist_support(Q, &qlo, &qhi);
    if (lo < qlo || hi > qhi) { /* P's support reaches where Q has no density */
        *out = INFINITY;
        return LM_OK;
    }
    gsl_set_error_handler_off(); /* report QUADPACK trouble as a status, never abort */
    kq K = {P, Q, false};
    gsl_function f = {integrand, &K};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(KL_QUAD_LIMIT);
    double r = NAN, ae = NAN;
    int st;
    if (isinf(lo) && isinf(hi)) st = gsl_integration_qagi(&f, 1e-13, 1e-10, KL_QUAD_LIMIT, w, &r, &ae);
    else if (isinf(hi)) st = gsl_integration_qagiu(&f, lo, 1e-13, 1e-10, KL_QUAD_LIMIT, w, &r, &ae);
    else if (isinf(lo)) st = gsl_integration_qagil(&f, hi, 1e-13, 1e-10, KL_QUAD_LIMIT, w, &r, &ae);
    else st = gsl_integration_qags(&f, lo, hi, 1e-13, 1e-10, KL_QUAD_LIMIT, w, &r, &ae);
    gsl_integration_workspace_free(w);
    if (K.inf) {
        *out = INFINITY;
        return LM_OK;
    }
    if (st != GSL_SUCCESS || !isfinite(r))
        return lm_err_set(err, LM_ERR_CONVERGENCE,
                          "the KL integral did not converge (%s): estimate %.10g, error estimate %.3g", gsl_strerror(st),
                          r, ae);
    *out = r > 0 ? r : 0;
    return LM_OK;
}

/* sum over P's support of p·log(p/q), from its lower end until the upper tail
 * is below 1e-17. */
static lm_status discrete_sum(const lm_dist *P, const lm_dist *Q, double *out, lm_err *err) {
    double lo, hi;
    lm_dist_support(P, &lo, &hi);
    double start = isfinite(lo) ? lo : lm_dist_quantile(P, 1e-17, false);
    double s = 0;
    int64_t terms = 0;
    for (double k = start; k <= hi; k += 1) {
        if (++terms > KL_SUM_MAX)
            return lm_err_set(err, LM_ERR_CONVERGENCE, "the KL sum needs more than %d terms", KL_SUM_MAX);
        double lp = lm_dist_logpdf(P, k);
        if (lp > -INFINITY) {
            double lq = lm_dist_logpdf(Q, k);
            if (!(lq > -INFINITY)) {
                *out = INFINITY;
                return LM_OK;
            }
            s += exp(lp) * (lp - lq);
        }
        if (k > start && lm_dist_cdf(P, k, true) < 1e-17) break;
    }
    *out = s > 0 ? s : 0;
    return LM_OK;
}

lm_status lm_info_kl_dist(const lm_dist *P, const lm_dist *Q, double base, double *out, const char **method,
                          lm_err *err) {
    if (lm_info_check_base(base, err) != LM_OK) return err->kind;
    if (lm_dist_is_discrete(P) != lm_dist_is_discrete(Q))
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "%s is %s and %s is %s: KL compares two distributions of the same kind", lm_dist_name(P),
                          lm_dist_is_discrete(P) ? "discrete" : "continuous", lm_dist_name(Q),
                          lm_dist_is_discrete(Q) ? "discrete" : "continuous");
    if (lm_dist_is_multivariate(P) || lm_dist_is_multivariate(Q) || lm_dist_fam(P) == LM_DIST_CATEGORICAL ||
        lm_dist_fam(Q) == LM_DIST_CATEGORICAL) {
        if (lm_dist_fam(P) != lm_dist_fam(Q) || P->dim != Q->dim)
            return lm_err_set(err, LM_ERR_DOMAIN,
                              "KL between %s (dimension %lld) and %s (dimension %lld) is not available: vector "
                              "distributions need the same family and dimension",
                              lm_dist_name(P), (long long)P->dim, lm_dist_name(Q), (long long)Q->dim);
    }
    double v = 0;
    const char *how = "closed form";
    if (lm_dist_fam(P) == lm_dist_fam(Q) && closed_form(P, Q, &v)) {
        /* fall through to the conversion */
    } else if (lm_dist_is_discrete(P)) {
        how = "sum";
        if (discrete_sum(P, Q, &v, err) != LM_OK) return err->kind;
    } else {
        how = "quadrature";
        if (quadrature(P, Q, &v, err) != LM_OK) return err->kind;
    }
    if (method) *method = how;
    *out = v / log(base);
    return LM_OK;
}
