/* The discrete families: Bernoulli, Binomial, Poisson, Geometric (trials up to
 * the first success, so R's failure-counting geom is shifted by one) and
 * Categorical on 1..k. The pmf is 0 off the integers (checked here, because
 * Rmath would print a warning); quantiles are exact searches. */
#include "prob/dist_int.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#define GSL_RNG(g, rng) \
    gsl_rng g;          \
    lm_gsl_rng_wrap(&g, rng)

static bool is_int(double x) { return x == floor(x) && isfinite(x); }

/* Sum of −p log p over a pmf given in logs, from k = lo to hi (Neumaier-compensated). */
static double entropy_sum(const lm_dist *d, double lo, double hi) {
    if (!(hi - lo <= 4e6) || lo + 1 == lo) return NAN; /* callers keep the window small */
    double s = 0, c = 0;
    for (double k = lo; k <= hi; k++) {
        double lp = d->ops->logpdf(d, k);
        if (!(lp > -INFINITY)) continue;
        double term = -exp(lp) * lp, t = s + term;
        c += fabs(s) >= fabs(term) ? (s - t) + term : (term - t) + s;
        s = t;
    }
    return s + c;
}

/* The window [mean − 40 sd − 40, mean + 40 sd + 40] clipped to the support holds
 * all but ~e^-800 of the mass: the entropy sum beyond it is below any rounding.
 * Returns false when the window is too wide to sum (over two million terms);
 * the callers then use the normal limit. */
static bool entropy_window(const lm_dist *d, double *lo, double *hi) {
    double m = d->ops->mean(d), s = sqrt(d->ops->var(d)), a, b;
    if (80 * s + 80 > 2e6) return false;
    d->ops->support(d, &a, &b);
    *lo = fmax(a, floor(m - 40 * s - 40));
    *hi = fmin(b, ceil(m + 40 * s + 40));
    return true;
}

/* ---- Bernoulli(p) ---- */
static double bern_pdf(const lm_dist *d, double x) { return x == 1 ? d->p[0] : x == 0 ? 1 - d->p[0] : 0.0; }
static double bern_logpdf(const lm_dist *d, double x) { return log(bern_pdf(d, x)); }
static double bern_cdf(const lm_dist *d, double x, bool up) {
    double p = d->p[0];
    if (x < 0) return up ? 1 : 0;
    if (x < 1) return up ? p : 1 - p;
    return up ? 0 : 1;
}
/* The smallest x with P(X <= x) >= q (lower) or P(X > x) <= q (upper). */
static double bern_q(const lm_dist *d, double q, bool up) {
    double p = d->p[0];
    return up ? (p <= q ? 0 : 1) : (q <= 1 - p ? 0 : 1);
}
static double bern_mean(const lm_dist *d) { return d->p[0]; }
static double bern_var(const lm_dist *d) { return d->p[0] * (1 - d->p[0]); }
static double bern_entropy(const lm_dist *d) { return lm_xlogx_neg(d->p[0]) + lm_xlogx_neg(1 - d->p[0]); }
static double bern_sample(const lm_dist *d, lm_rng *r) { return lm_rng_uniform(r) < d->p[0] ? 1 : 0; }
static void bern_support(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 0;
    *hi = 1;
}
static const char *const names_p[] = {"p"};
const lm_dist_ops lm_dist_ops_BERNOULLI = {
    LM_DIST_BERNOULLI, "Bernoulli", 1, names_p, names_p, true, bern_pdf, bern_logpdf, bern_cdf, bern_q,
    bern_mean, bern_var, bern_entropy, bern_sample, bern_support, NULL, NULL,
};

/* ---- Binomial(n, p) ---- */
static double binom_pdf(const lm_dist *d, double x) { return is_int(x) ? dbinom(x, d->p[0], d->p[1], 0) : 0.0; }
static double binom_logpdf(const lm_dist *d, double x) {
    return is_int(x) ? dbinom(x, d->p[0], d->p[1], 1) : -INFINITY;
}
static double binom_cdf(const lm_dist *d, double x, bool up) { return pbinom(floor(x), d->p[0], d->p[1], !up, 0); }
static double binom_q(const lm_dist *d, double p, bool up) { return qbinom(p, d->p[0], d->p[1], !up, 0); }
static double binom_mean(const lm_dist *d) { return d->p[0] * d->p[1]; }
static double binom_var(const lm_dist *d) { return d->p[0] * d->p[1] * (1 - d->p[1]); }
static double binom_entropy(const lm_dist *d) {
    double lo, hi, n = d->p[0], p = d->p[1];
    if (p == 0 || p == 1 || n == 0) return 0;
    /* past two million terms (np(1−p) > 6e8), the normal limit ½ log(2πe np(1−p));
     * its error is O(1/(np(1−p))), below 1e-10 relative there */
    if (!entropy_window(d, &lo, &hi)) return 0.5 * log(2 * M_PI * M_E * n * p * (1 - p));
    return entropy_sum(d, lo, hi);
}
static double binom_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return (double)gsl_ran_binomial(&g, d->p[1], (unsigned int)d->p[0]);
}
static void binom_support(const lm_dist *d, double *lo, double *hi) {
    *lo = 0;
    *hi = d->p[0];
}
static const char *const names_np[] = {"n", "p"};
const lm_dist_ops lm_dist_ops_BINOMIAL = {
    LM_DIST_BINOMIAL, "Binomial", 2, names_np, names_np, true, binom_pdf, binom_logpdf, binom_cdf, binom_q,
    binom_mean, binom_var, binom_entropy, binom_sample, binom_support, NULL, NULL,
};

/* ---- Poisson(lambda) ---- */
static double pois_pdf(const lm_dist *d, double x) { return is_int(x) ? dpois(x, d->p[0], 0) : 0.0; }
static double pois_logpdf(const lm_dist *d, double x) { return is_int(x) ? dpois(x, d->p[0], 1) : -INFINITY; }
static double pois_cdf(const lm_dist *d, double x, bool up) { return ppois(floor(x), d->p[0], !up, 0); }
static double pois_q(const lm_dist *d, double p, bool up) { return qpois(p, d->p[0], !up, 0); }
static double pois_mean(const lm_dist *d) { return d->p[0]; }
static double pois_var(const lm_dist *d) { return d->p[0]; }
static double pois_entropy(const lm_dist *d) {
    double lam = d->p[0], lo, hi;
    if (lam == 0) return 0;
    if (!entropy_window(d, &lo, &hi)) { /* the asymptotic series, terms to λ^-3: error O(λ^-4) */
        return 0.5 * log(2 * M_PI * M_E * lam) - 1 / (12 * lam) - 1 / (24 * lam * lam) - 19 / (360 * lam * lam * lam);
    }
    return entropy_sum(d, lo, hi);
}
static double pois_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return (double)gsl_ran_poisson(&g, d->p[0]);
}
static void count_support(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 0;
    *hi = INFINITY;
}
static const char *const names_lambda[] = {"lambda"};
static const char *const names_lambda_u[] = {"λ"};
const lm_dist_ops lm_dist_ops_POISSON = {
    LM_DIST_POISSON, "Poisson", 1, names_lambda, names_lambda_u, true, pois_pdf, pois_logpdf, pois_cdf, pois_q,
    pois_mean, pois_var, pois_entropy, pois_sample, count_support, NULL, NULL,
};

/* ---- Geometric(p): trials up to and including the first success, 1, 2, ... ---- */
static double geom_pdf(const lm_dist *d, double x) { return is_int(x) && x >= 1 ? dgeom(x - 1, d->p[0], 0) : 0.0; }
static double geom_logpdf(const lm_dist *d, double x) {
    return is_int(x) && x >= 1 ? dgeom(x - 1, d->p[0], 1) : -INFINITY;
}
static double geom_cdf(const lm_dist *d, double x, bool up) { return pgeom(floor(x) - 1, d->p[0], !up, 0); }
static double geom_q(const lm_dist *d, double p, bool up) { return qgeom(p, d->p[0], !up, 0) + 1; }
static double geom_mean(const lm_dist *d) { return 1 / d->p[0]; }
static double geom_var(const lm_dist *d) { return (1 - d->p[0]) / (d->p[0] * d->p[0]); }
/* (−(1−p) log(1−p) − p log p) / p */
static double geom_entropy(const lm_dist *d) {
    double p = d->p[0];
    return (lm_xlogx_neg(1 - p) + lm_xlogx_neg(p)) / p;
}
/* Inversion, K = floor(log U / log(1 − p)) + 1 with U in (0, 1]: GSL's sampler
 * returns an unsigned int, which a tiny p overflows. */
static double geom_sample(const lm_dist *d, lm_rng *r) {
    double p = d->p[0];
    if (p == 1) return 1;
    double u = 1 - lm_rng_uniform(r);
    return floor(log(u) / log1p(-p)) + 1;
}
static void geom_support(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 1;
    *hi = INFINITY;
}
const lm_dist_ops lm_dist_ops_GEOMETRIC = {
    LM_DIST_GEOMETRIC, "Geometric", 1, names_p, names_p, true, geom_pdf, geom_logpdf, geom_cdf, geom_q,
    geom_mean, geom_var, geom_entropy, geom_sample, geom_support, NULL, NULL,
};

/* ---- Categorical(p) on 1..k ---- */
static double cat_pdf(const lm_dist *d, double x) {
    return is_int(x) && x >= 1 && x <= (double)d->dim ? d->vec[(int64_t)x - 1] : 0.0;
}
static double cat_logpdf(const lm_dist *d, double x) { return log(cat_pdf(d, x)); }
/* The upper tail is summed directly from the top, so small tails keep their digits. */
static double cat_cdf(const lm_dist *d, double x, bool up) {
    double k = floor(x);
    if (k < 1) return up ? 1 : 0;
    if (k >= (double)d->dim) return up ? 0 : 1;
    if (!up) return d->cum[(int64_t)k - 1];
    double s = 0;
    for (int64_t i = d->dim - 1; i >= (int64_t)k; i--) s += d->vec[i];
    return s;
}
/* R's rule for discrete quantiles, with its fuzz of 64 ulps so that p = 0.3
 * lands on a category whose cumulative sum rounds to 0.30000000000000004. */
static double cat_q(const lm_dist *d, double p, bool up) {
    if (up) {
        double s = 0;
        for (int64_t i = d->dim - 1; i >= 0; i--) { /* smallest x with P(X > x) <= p */
            if (s + d->vec[i] > p * (1 + 64 * DBL_EPSILON)) return (double)(i + 1);
            s += d->vec[i];
        }
        return 1;
    }
    if (p == 0) return 1;
    for (int64_t i = 0; i < d->dim; i++)
        if (d->cum[i] >= p * (1 - 64 * DBL_EPSILON)) return (double)(i + 1);
    return (double)d->dim;
}
static double cat_mean(const lm_dist *d) {
    double m = 0;
    for (int64_t i = 0; i < d->dim; i++) m += (double)(i + 1) * d->vec[i];
    return m;
}
static double cat_var(const lm_dist *d) {
    double m = cat_mean(d), v = 0;
    for (int64_t i = 0; i < d->dim; i++) v += ((double)(i + 1) - m) * ((double)(i + 1) - m) * d->vec[i];
    return v;
}
static double cat_entropy(const lm_dist *d) {
    double h = 0;
    for (int64_t i = 0; i < d->dim; i++) h += lm_xlogx_neg(d->vec[i]);
    return h;
}
static double cat_sample(const lm_dist *d, lm_rng *r) {
    double u = lm_rng_uniform(r);
    int64_t lo = 0, hi = d->dim - 1; /* first i with cum[i] > u */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (d->cum[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    while (lo > 0 && d->vec[lo] == 0) lo--; /* never a zero-probability category */
    return (double)(lo + 1);
}
static void cat_support(const lm_dist *d, double *lo, double *hi) {
    *lo = 1;
    *hi = (double)d->dim;
}
const lm_dist_ops lm_dist_ops_CATEGORICAL = {
    LM_DIST_CATEGORICAL, "Categorical", 0, names_p, names_p, true, cat_pdf, cat_logpdf, cat_cdf, cat_q,
    cat_mean, cat_var, cat_entropy, cat_sample, cat_support, NULL, NULL,
};

lm_dist *lm_dist_categorical(const double *p, int64_t k, lm_err *err) {
    if (k < 1) {
        lm_err_set(err, LM_ERR_DOMAIN, "Categorical: the probability vector p is empty");
        return NULL;
    }
    double s = 0;
    for (int64_t i = 0; i < k; i++) {
        if (!(p[i] >= 0 && p[i] <= 1)) {
            lm_err_set(err, LM_ERR_DOMAIN, "Categorical: the probability p(%lld) = %g is not between 0 and 1",
                       (long long)(i + 1), p[i]);
            return NULL;
        }
        s += p[i];
    }
    if (fabs(s - 1) > 1e-9) {
        lm_err_set(err, LM_ERR_DOMAIN, "Categorical: the probabilities p must sum to 1, but they sum to %.10g", s);
        return NULL;
    }
    double *vec = lm_alloc_big((size_t)k * sizeof(double)), *cum = lm_alloc_big((size_t)k * sizeof(double));
    if (!vec || !cum) {
        lm_free(vec);
        lm_free(cum);
        lm_err_set(err, LM_ERR_LIMIT, "Categorical: out of memory for %lld categories", (long long)k);
        return NULL;
    }
    lm_dist *d = lm_dist_alloc(&lm_dist_ops_CATEGORICAL);
    d->dim = k;
    d->vec = vec;
    d->cum = cum;
    double c = 0;
    for (int64_t i = 0; i < k; i++) {
        d->vec[i] = p[i] / s; /* a sum of 1 ± 1e-9 from rounding in the input is absorbed */
        c += d->vec[i];
        d->cum[i] = c;
    }
    d->cum[k - 1] = 1; /* the last category closes the distribution exactly */
    return d;
}
