/* The vector families: MultivariateNormal(mu, Sigma), with its density and
 * sampler on the Cholesky factor of Sigma (LAPACKE dpotrf), and Dirichlet(alpha),
 * the conjugate prior of a Categorical (posteriors in Bayesian updates). */
#include "prob/dist_int.h"

#include <gsl/gsl_randist.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

static void vec_support(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = -INFINITY;
    *hi = INFINITY;
}

/* ---- MultivariateNormal ---- */

/* log density: −k/2 log 2π − ½ log det Σ − ½ |L⁻¹(x − μ)|², by forward substitution */
static double mvn_logpdf_vec(const lm_dist *d, const double *x) {
    int64_t k = d->dim;
    const double *L = d->chol;
    double q = 0;
    double zbuf[16];
    double *z = k <= 16 ? zbuf : lm_alloc((size_t)k * sizeof(double));
    for (int64_t i = 0; i < k; i++) {
        double s = x[i] - d->vec[i];
        for (int64_t j = 0; j < i; j++) s -= L[i * k + j] * z[j];
        z[i] = s / L[i * k + i];
        q += z[i] * z[i];
    }
    if (z != zbuf) lm_free(z);
    return -0.5 * (double)k * M_LN_2PI - 0.5 * d->aux - 0.5 * q;
}
static double mvn_pdf_vec(const lm_dist *d, const double *x) {
    for (int64_t i = 0; i < d->dim; i++)
        if (isnan(x[i])) return NAN;
    return exp(mvn_logpdf_vec(d, x));
}
/* x = μ + L z with z standard normal */
static void mvn_sample_vec(const lm_dist *d, lm_rng *r, double *out) {
    int64_t k = d->dim;
    double zbuf[16];
    double *z = k <= 16 ? zbuf : lm_alloc((size_t)k * sizeof(double));
    for (int64_t i = 0; i < k; i++) z[i] = lm_rng_normal(r);
    for (int64_t i = 0; i < k; i++) {
        double s = d->vec[i];
        for (int64_t j = 0; j <= i; j++) s += d->chol[i * k + j] * z[j];
        out[i] = s;
    }
    if (z != zbuf) lm_free(z);
}
/* ½ log det(2πe Σ) */
static double mvn_entropy(const lm_dist *d) { return 0.5 * (double)d->dim * (1 + M_LN_2PI) + 0.5 * d->aux; }

static const char *const names_mvn[] = {"mu", "Sigma"};
static const char *const names_mvn_u[] = {"μ", "Σ"};
const lm_dist_ops lm_dist_ops_MVNORMAL = {
    LM_DIST_MVNORMAL, "MultivariateNormal", 0, names_mvn, names_mvn_u, false, NULL, NULL, NULL, NULL,
    NULL, NULL, mvn_entropy, NULL, vec_support, mvn_pdf_vec, mvn_sample_vec,
};

lm_dist *lm_dist_mvnormal(const double *mu, const double *Sigma, int64_t k, lm_err *err) {
    if (k < 1) {
        lm_err_set(err, LM_ERR_DOMAIN, "MultivariateNormal: the mean mu is empty");
        return NULL;
    }
    if (k > 4096) {
        lm_err_set(err, LM_ERR_LIMIT, "MultivariateNormal: dimension %lld is past the limit of 4096", (long long)k);
        return NULL;
    }
    double scale = 0;
    for (int64_t i = 0; i < k; i++) {
        if (!isfinite(mu[i])) {
            lm_err_set(err, LM_ERR_DOMAIN, "MultivariateNormal: the mean mu(%lld) = %g is not finite", (long long)(i + 1),
                       mu[i]);
            return NULL;
        }
        for (int64_t j = 0; j < k; j++) {
            if (!isfinite(Sigma[i * k + j])) {
                lm_err_set(err, LM_ERR_DOMAIN, "MultivariateNormal: Sigma(%lld,%lld) = %g is not finite",
                           (long long)(i + 1), (long long)(j + 1), Sigma[i * k + j]);
                return NULL;
            }
            scale = fmax(scale, fabs(Sigma[i * k + j]));
        }
    }
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < i; j++)
            if (fabs(Sigma[i * k + j] - Sigma[j * k + i]) > 1e-12 * scale) {
                lm_err_set(err, LM_ERR_DOMAIN,
                           "MultivariateNormal: the covariance Sigma must be symmetric, but Sigma(%lld,%lld) = %g and "
                           "Sigma(%lld,%lld) = %g",
                           (long long)(i + 1), (long long)(j + 1), Sigma[i * k + j], (long long)(j + 1),
                           (long long)(i + 1), Sigma[j * k + i]);
                return NULL;
            }
    double *L = lm_alloc((size_t)(k * k) * sizeof(double));
    memcpy(L, Sigma, (size_t)(k * k) * sizeof(double));
    lapack_int info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)k, L, (lapack_int)k);
    if (info != 0) {
        lm_free(L);
        if (info > 0)
            lm_err_set(err, LM_ERR_DOMAIN,
                       "MultivariateNormal: the covariance Sigma must be positive definite, but its leading %lld×%lld "
                       "block is not (a variance or correlation is impossible)",
                       (long long)info, (long long)info);
        else lm_err_set(err, LM_ERR_INTERNAL, "MultivariateNormal: dpotrf rejected argument %d", (int)-info);
        return NULL;
    }
    double logdet = 0;
    for (int64_t i = 0; i < k; i++) {
        for (int64_t j = i + 1; j < k; j++) L[i * k + j] = 0; /* dpotrf leaves the upper triangle as it was */
        logdet += 2 * log(L[i * k + i]);
    }
    lm_dist *d = lm_dist_alloc(&lm_dist_ops_MVNORMAL);
    d->dim = k;
    d->vec = lm_alloc((size_t)k * sizeof(double));
    memcpy(d->vec, mu, (size_t)k * sizeof(double));
    d->mat = lm_alloc((size_t)(k * k) * sizeof(double));
    /* store the symmetrized matrix: what the density actually uses */
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < k; j++) d->mat[i * k + j] = i == j ? Sigma[i * k + i] : 0.5 * (Sigma[i * k + j] + Sigma[j * k + i]);
    d->chol = L;
    d->aux = logdet;
    return d;
}

/* ---- Dirichlet ---- */

/* On the simplex (x_i >= 0, Σ x_i = 1 within 1e-9): Π x_i^(α_i − 1) / B(α) */
static double dir_pdf_vec(const lm_dist *d, const double *x) {
    double s = 0, lp = -d->aux;
    for (int64_t i = 0; i < d->dim; i++) {
        if (isnan(x[i])) return NAN;
        if (x[i] < 0 || x[i] > 1) return 0;
        s += x[i];
        if (d->vec[i] != 1) lp += (d->vec[i] - 1) * log(x[i]);
    }
    if (fabs(s - 1) > 1e-9) return 0;
    return exp(lp);
}
static void dir_sample_vec(const lm_dist *d, lm_rng *r, double *out) {
    gsl_rng g;
    lm_gsl_rng_wrap(&g, r);
    gsl_ran_dirichlet(&g, (size_t)d->dim, d->vec, out);
}
/* log B(α) + (α0 − K) ψ(α0) − Σ (α_j − 1) ψ(α_j) */
static double dir_entropy(const lm_dist *d) {
    double a0 = 0, h = d->aux;
    for (int64_t i = 0; i < d->dim; i++) a0 += d->vec[i];
    h += (a0 - (double)d->dim) * digamma(a0);
    for (int64_t i = 0; i < d->dim; i++) h -= (d->vec[i] - 1) * digamma(d->vec[i]);
    return h;
}
static void dir_support(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 0;
    *hi = 1;
}
static const char *const names_alpha[] = {"alpha"};
static const char *const names_alpha_u[] = {"α"};
const lm_dist_ops lm_dist_ops_DIRICHLET = {
    LM_DIST_DIRICHLET, "Dirichlet", 0, names_alpha, names_alpha_u, false, NULL, NULL, NULL, NULL,
    NULL, NULL, dir_entropy, NULL, dir_support, dir_pdf_vec, dir_sample_vec,
};

lm_dist *lm_dist_dirichlet(const double *alpha, int64_t k, lm_err *err) {
    if (k < 2) {
        lm_err_set(err, LM_ERR_DOMAIN, "Dirichlet: alpha needs at least 2 concentrations, not %lld", (long long)k);
        return NULL;
    }
    double a0 = 0, lb = 0;
    for (int64_t i = 0; i < k; i++) {
        if (!(alpha[i] > 0) || !isfinite(alpha[i])) {
            lm_err_set(err, LM_ERR_DOMAIN, "Dirichlet: the concentration alpha(%lld) must be positive, not %g",
                       (long long)(i + 1), alpha[i]);
            return NULL;
        }
        a0 += alpha[i];
        lb += lgammafn(alpha[i]);
    }
    double *vec = lm_alloc_big((size_t)k * sizeof(double));
    if (!vec) {
        lm_err_set(err, LM_ERR_LIMIT, "Dirichlet: out of memory for %lld concentrations", (long long)k);
        return NULL;
    }
    memcpy(vec, alpha, (size_t)k * sizeof(double));
    lm_dist *d = lm_dist_alloc(&lm_dist_ops_DIRICHLET);
    d->dim = k;
    d->vec = vec;
    d->aux = lb - lgammafn(a0); /* log B(α) */
    return d;
}
