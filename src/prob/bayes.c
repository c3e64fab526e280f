/* Bayesian inference: Bayes' theorem on events, conjugate updates that return
 * the posterior as a distribution value (Beta–binomial, Normal–Normal with
 * known variance, Gamma–Poisson, Gamma–exponential, Dirichlet–categorical),
 * posterior predictives, equal-tailed credible intervals, and the grid
 * posterior for any prior and likelihood a learner writes down. */
#include "prob/st_int.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include <math.h>
#include <string.h>

static bool is_prob(double p) { return p >= 0 && p <= 1; }

lm_status lm_bayes_rule(double prior, double pba, double pbna, double *post, double *pb, lm_err *err) {
    if (!is_prob(prior))
        return lm_err_set(err, LM_ERR_DOMAIN, "bayes: the prior P(A) must be a probability between 0 and 1, not %g", prior);
    if (!is_prob(pba))
        return lm_err_set(err, LM_ERR_DOMAIN, "bayes: P(B | A) must be a probability between 0 and 1, not %g", pba);
    if (!is_prob(pbna))
        return lm_err_set(err, LM_ERR_DOMAIN, "bayes: P(B | not A) must be a probability between 0 and 1, not %g", pbna);
    double b = pba * prior + pbna * (1 - prior);
    if (b == 0)
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "bayes: P(B) = P(B | A) P(A) + P(B | not A) P(not A) = 0, so B never happens and P(A | B) "
                          "is undefined");
    if (pb) *pb = b;
    *post = pba * prior / b;
    return LM_OK;
}

static const char *const lik_names[] = {"binomial", "bernoulli", "normal", "poisson", "exponential", "categorical"};

bool lm_lik_parse(const char *s, lm_lik *out) {
    for (int i = 0; i < (int)(sizeof lik_names / sizeof lik_names[0]); i++)
        if (!strcmp(s, lik_names[i])) {
            *out = (lm_lik)i;
            return true;
        }
    return false;
}

const char *lm_lik_name(lm_lik l) { return lik_names[l]; }

/* The conjugate prior family of each likelihood. */
static lm_dist_family conjugate_of(lm_lik l) {
    switch (l) {
    case LM_LIK_BINOMIAL:
    case LM_LIK_BERNOULLI: return LM_DIST_BETA;
    case LM_LIK_NORMAL: return LM_DIST_NORMAL;
    case LM_LIK_POISSON:
    case LM_LIK_EXPONENTIAL: return LM_DIST_GAMMA;
    default: return LM_DIST_DIRICHLET;
    }
}

static const char *family_name(lm_dist_family f) {
    static const char *const names[] = {
#define X(e, name, np, disc) name,
        LM_DIST_LIST(X)
#undef X
    };
    return names[f];
}

static lm_status check_family(const lm_dist *prior, lm_lik lik, lm_err *err) {
    lm_dist_family want = conjugate_of(lik);
    if (lm_dist_fam(prior) == want) return LM_OK;
    return lm_err_set(err, LM_ERR_TYPE,
                      "posterior: the conjugate prior of a %s likelihood is a %s distribution, not %s; for any other "
                      "prior use gridpost",
                      lm_lik_name(lik), family_name(want), lm_dist_name(prior));
}

static bool whole(double v) { return isfinite(v) && v == floor(v); }

lm_dist *lm_bayes_posterior(const lm_dist *prior, lm_lik lik, const double *x, int64_t n, double sigma, lm_err *err) {
    if (check_family(prior, lik, err)) return NULL;
    double a = prior->p[0], b = prior->p[1];
    long double s = 0;
    switch (lik) {
    case LM_LIK_BINOMIAL: {
        if (n != 2 || !whole(x[1]) || x[1] < 0 || !whole(x[0]) || x[0] < 0 || x[0] > x[1]) {
            lm_err_set(err, LM_ERR_DOMAIN,
                       "posterior: binomial data are k successes in n trials, whole numbers with 0 <= k <= n, as in "
                       "posterior(Beta(1, 1), \"binomial\", 7, 10)");
            return NULL;
        }
        return lm_dist_beta(a + x[0], b + x[1] - x[0], err);
    }
    case LM_LIK_BERNOULLI:
        for (int64_t i = 0; i < n; i++) {
            if (x[i] != 0 && x[i] != 1) {
                lm_err_set(err, LM_ERR_DOMAIN, "posterior: Bernoulli outcome %lld is %g; outcomes are 0 (failure) or 1 (success)",
                           (long long)i + 1, x[i]);
                return NULL;
            }
            s += x[i];
        }
        return lm_dist_beta(a + (double)s, b + (double)(n - s), err);
    case LM_LIK_NORMAL: {
        if (!(sigma > 0) || !isfinite(sigma)) {
            lm_err_set(err, LM_ERR_DOMAIN,
                       "posterior: a normal likelihood needs sigma, the known standard deviation of each observation, "
                       "as a positive number: posterior(Normal(0, 1), \"normal\", x, sigma = 2)");
            return NULL;
        }
        for (int64_t i = 0; i < n; i++) {
            if (!isfinite(x[i])) {
                lm_err_set(err, LM_ERR_DOMAIN, "posterior: observation %lld is %g; the data must be finite", (long long)i + 1, x[i]);
                return NULL;
            }
            s += x[i];
        }
        /* precisions add; the posterior mean is the precision-weighted mean */
        double prec0 = 1 / (b * b), precd = (double)n / (sigma * sigma);
        double prec = prec0 + precd;
        double mu = (double)((a * prec0 + s / (sigma * sigma)) / prec);
        return lm_dist_normal(mu, sqrt(1 / prec), err);
    }
    case LM_LIK_POISSON:
    case LM_LIK_EXPONENTIAL:
        for (int64_t i = 0; i < n; i++) {
            bool ok = lik == LM_LIK_POISSON ? whole(x[i]) && x[i] >= 0 : isfinite(x[i]) && x[i] >= 0;
            if (!ok) {
                lm_err_set(err, LM_ERR_DOMAIN, "posterior: observation %lld is %g; %s", (long long)i + 1, x[i],
                           lik == LM_LIK_POISSON ? "Poisson data are counts 0, 1, 2, ..." : "exponential data are times >= 0");
                return NULL;
            }
            s += x[i];
        }
        /* Gamma(shape, rate): a count adds to the shape, an exposure to the rate */
        if (lik == LM_LIK_POISSON) return lm_dist_gamma(a + (double)s, b + (double)n, err);
        return lm_dist_gamma(a + (double)n, b + (double)s, err);
    default: {
        int64_t k = prior->dim;
        if (n != k) {
            lm_err_set(err, LM_ERR_SHAPE,
                       "posterior: categorical data are the count of each category: %lld counts for this Dirichlet of "
                       "dimension %lld, not %lld",
                       (long long)k, (long long)k, (long long)n);
            return NULL;
        }
        double *al = lm_alloc((size_t)k * sizeof *al);
        for (int64_t i = 0; i < k; i++) {
            if (!whole(x[i]) || x[i] < 0) {
                lm_free(al);
                lm_err_set(err, LM_ERR_DOMAIN, "posterior: count %lld is %g; counts are whole numbers >= 0", (long long)i + 1, x[i]);
                return NULL;
            }
            al[i] = prior->vec[i] + x[i];
        }
        lm_dist *d = lm_dist_dirichlet(al, k, err);
        lm_free(al);
        return d;
    }
    }
}

lm_tensor *lm_bayes_predictive(const lm_dist *post, lm_lik lik, double m, lm_err *err) {
    if (lik == LM_LIK_NORMAL || lik == LM_LIK_EXPONENTIAL) {
        lm_err_set(err, LM_ERR_DOMAIN, "predictive: for a %s likelihood the predictive is a distribution; %s",
                   lm_lik_name(lik),
                   lik == LM_LIK_NORMAL ? "use predictive(post, \"normal\", sigma = s)" : "it is not available yet");
        return NULL;
    }
    if (lm_dist_fam(post) != conjugate_of(lik)) {
        lm_err_set(err, LM_ERR_TYPE, "predictive: a %s likelihood goes with a %s posterior, not %s", lm_lik_name(lik),
                   family_name(conjugate_of(lik)), lm_dist_name(post));
        return NULL;
    }
    double a = post->p[0], b = post->p[1];
    if (lik == LM_LIK_BERNOULLI) {
        lm_tensor *t = lm_tensor_matrix(1, 1, err);
        if (t) t->data[0] = a / (a + b); /* the posterior mean of p */
        return t;
    }
    if (lik == LM_LIK_CATEGORICAL) {
        int64_t k = post->dim;
        lm_tensor *t = lm_tensor_matrix(k, 1, err);
        if (!t) return NULL;
        double s = 0;
        for (int64_t i = 0; i < k; i++) s += post->vec[i];
        for (int64_t i = 0; i < k; i++) t->data[i] = post->vec[i] / s;
        return t;
    }
    if (!whole(m) || m < 0 || m > 1e6) {
        lm_err_set(err, LM_ERR_DOMAIN, "predictive: %s must be a whole number from 0 to 10^6, not %g",
                   lik == LM_LIK_BINOMIAL ? "m, the number of new trials," : "kmax, the largest count listed,", m);
        return NULL;
    }
    int64_t mm = (int64_t)m;
    lm_tensor *t = lm_tensor_matrix(mm + 1, 1, err);
    if (!t) return NULL;
    for (int64_t k = 0; k <= mm; k++) {
        double kk = (double)k;
        if (lik == LM_LIK_BINOMIAL) /* beta-binomial: C(m,k) B(k+a, m-k+b) / B(a,b) */
            t->data[k] = exp(lchoose(m, kk) + lbeta(kk + a, m - kk + b) - lbeta(a, b));
        else /* gamma-Poisson: negative binomial with size a and success probability b/(b+1) */
            t->data[k] = dnbinom(kk, a, b / (b + 1), 0);
    }
    return t;
}

lm_dist *lm_bayes_predictive_normal(const lm_dist *post, double sigma, lm_err *err) {
    if (lm_dist_fam(post) != LM_DIST_NORMAL) {
        lm_err_set(err, LM_ERR_TYPE, "predictive: a normal likelihood goes with a Normal posterior, not %s", lm_dist_name(post));
        return NULL;
    }
    if (!(sigma > 0) || !isfinite(sigma)) {
        lm_err_set(err, LM_ERR_DOMAIN, "predictive: sigma, the known standard deviation of an observation, must be positive");
        return NULL;
    }
    /* a new observation = the uncertain mean + its own noise: variances add */
    double tau = post->p[1];
    return lm_dist_normal(post->p[0], sqrt(tau * tau + sigma * sigma), err);
}

lm_status lm_bayes_credible(const lm_dist *post, double conf, double out[2], lm_err *err) {
    if (!(conf > 0 && conf < 1))
        return lm_err_set(err, LM_ERR_DOMAIN, "credible: conf must be strictly between 0 and 1 (such as 0.95), not %g", conf);
    if (lm_dist_is_multivariate(post))
        return lm_err_set(err, LM_ERR_TYPE,
                          "credible: %s is a distribution of vectors; give one of its components' distributions instead",
                          lm_dist_name(post));
    out[0] = lm_dist_quantile(post, (1 - conf) / 2, false);
    out[1] = lm_dist_quantile(post, (1 - conf) / 2, true);
    return LM_OK;
}

lm_status lm_bayes_grid(const double *prior, const double *lik, int64_t n, double *post, lm_err *err) {
    long double s = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!(prior[i] >= 0) || !isfinite(prior[i]))
            return lm_err_set(err, LM_ERR_DOMAIN, "gridpost: the prior at grid point %lld is %g; it must be finite and >= 0",
                              (long long)i + 1, prior[i]);
        if (!(lik[i] >= 0) || !isfinite(lik[i]))
            return lm_err_set(err, LM_ERR_DOMAIN,
                              "gridpost: the likelihood at grid point %lld is %g; it must be finite and >= 0",
                              (long long)i + 1, lik[i]);
        post[i] = prior[i] * lik[i];
        s += post[i];
    }
    if (s == 0 || !isfinite((double)s))
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "gridpost: prior × likelihood is %s at every grid point, so it cannot be normalized; check "
                          "the grid covers where the likelihood is not 0",
                          s == 0 ? "0" : "not finite");
    for (int64_t i = 0; i < n; i++) post[i] = (double)(post[i] / s);
    return LM_OK;
}
