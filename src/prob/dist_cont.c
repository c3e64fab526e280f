/* The continuous univariate families. Densities, tails and quantiles come from
 * R's standalone Rmath (the code behind R's d/p/q functions: upper tails are
 * computed directly, so 1e-300 keeps its digits, and quantiles hold in the
 * tails); samplers come from GSL through the session's RNG; moments and
 * entropies are closed forms. */
#include "prob/dist_int.h"

#include <gsl/gsl_randist.h>
#include <math.h>

/* Samplers wrap the session RNG for GSL; see lm_gsl_rng_wrap. */
#define GSL_RNG(g, rng) \
    gsl_rng g;          \
    lm_gsl_rng_wrap(&g, rng)

/* ---- Normal(mu, sigma) ---- */
static double norm_pdf(const lm_dist *d, double x) { return dnorm(x, d->p[0], d->p[1], 0); }
static double norm_logpdf(const lm_dist *d, double x) { return dnorm(x, d->p[0], d->p[1], 1); }
/* Inside |z| < 5, 0.5 erfc(∓z/√2) is three times faster than R's pnorm (Cody's
 * algorithm) and within 4e-15 of it: rounding z/√2 costs about 2z² ulps, which
 * is why the tails beyond stay with pnorm, whose digits hold down to 1e-308. */
static double norm_cdf(const lm_dist *d, double x, bool up) {
    double z = (x - d->p[0]) / d->p[1];
    if (fabs(z) < 5) return 0.5 * erfc((up ? z : -z) * M_SQRT1_2);
    return pnorm(x, d->p[0], d->p[1], !up, 0);
}
static double norm_q(const lm_dist *d, double p, bool up) { return qnorm(p, d->p[0], d->p[1], !up, 0); }
static double norm_mean(const lm_dist *d) { return d->p[0]; }
static double norm_var(const lm_dist *d) { return d->p[1] * d->p[1]; }
/* ½ log(2πe σ²) */
static double norm_entropy(const lm_dist *d) { return 0.5 * (1.0 + M_LN_2PI) + log(d->p[1]); }
static double norm_sample(const lm_dist *d, lm_rng *r) { return d->p[0] + d->p[1] * lm_rng_normal(r); }
static void real_line(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = -INFINITY;
    *hi = INFINITY;
}
static void half_line(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 0;
    *hi = INFINITY;
}

static const char *const names_mu_sigma[] = {"mu", "sigma"};
static const char *const names_mu_sigma_u[] = {"μ", "σ"};
const lm_dist_ops lm_dist_ops_NORMAL = {
    LM_DIST_NORMAL, "Normal", 2, names_mu_sigma, names_mu_sigma_u, false, norm_pdf, norm_logpdf, norm_cdf,
    norm_q, norm_mean, norm_var, norm_entropy, norm_sample, real_line, NULL, NULL,
};

/* ---- StudentT(df) ---- */
static double t_pdf(const lm_dist *d, double x) { return dt(x, d->p[0], 0); }
static double t_logpdf(const lm_dist *d, double x) { return dt(x, d->p[0], 1); }
static double t_cdf(const lm_dist *d, double x, bool up) { return pt(x, d->p[0], !up, 0); }
static double t_q(const lm_dist *d, double p, bool up) { return qt(p, d->p[0], !up, 0); }
static double t_mean(const lm_dist *d) { return d->p[0] > 1 ? 0.0 : NAN; }
static double t_var(const lm_dist *d) {
    double v = d->p[0];
    return v > 2 ? v / (v - 2) : v > 1 ? INFINITY : NAN;
}
/* (ν+1)/2 [ψ((ν+1)/2) − ψ(ν/2)] + log(√ν B(ν/2, 1/2)) */
static double t_entropy(const lm_dist *d) {
    double v = d->p[0];
    return (v + 1) / 2 * (digamma((v + 1) / 2) - digamma(v / 2)) + 0.5 * log(v) + lbeta(v / 2, 0.5);
}
static double t_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return gsl_ran_tdist(&g, d->p[0]);
}
static const char *const names_df[] = {"df"};
static const char *const names_df_u[] = {"ν"};
const lm_dist_ops lm_dist_ops_STUDENT_T = {
    LM_DIST_STUDENT_T, "StudentT", 1, names_df, names_df_u, false, t_pdf, t_logpdf, t_cdf, t_q,
    t_mean, t_var, t_entropy, t_sample, real_line, NULL, NULL,
};

/* ---- ChiSquared(df) ---- */
static double chisq_pdf(const lm_dist *d, double x) { return dchisq(x, d->p[0], 0); }
static double chisq_logpdf(const lm_dist *d, double x) { return dchisq(x, d->p[0], 1); }
static double chisq_cdf(const lm_dist *d, double x, bool up) { return pchisq(x, d->p[0], !up, 0); }
static double chisq_q(const lm_dist *d, double p, bool up) { return qchisq(p, d->p[0], !up, 0); }
static double chisq_mean(const lm_dist *d) { return d->p[0]; }
static double chisq_var(const lm_dist *d) { return 2 * d->p[0]; }
/* k/2 + log(2 Γ(k/2)) + (1 − k/2) ψ(k/2) */
static double chisq_entropy(const lm_dist *d) {
    double h = d->p[0] / 2;
    return h + M_LN2 + lgammafn(h) + (1 - h) * digamma(h);
}
static double chisq_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return gsl_ran_chisq(&g, d->p[0]);
}
const lm_dist_ops lm_dist_ops_CHISQ = {
    LM_DIST_CHISQ, "ChiSquared", 1, names_df, names_df, false, chisq_pdf, chisq_logpdf, chisq_cdf, chisq_q,
    chisq_mean, chisq_var, chisq_entropy, chisq_sample, half_line, NULL, NULL,
};

/* ---- FDist(d1, d2) ---- */
static double f_pdf(const lm_dist *d, double x) { return df(x, d->p[0], d->p[1], 0); }
static double f_logpdf(const lm_dist *d, double x) { return df(x, d->p[0], d->p[1], 1); }
static double f_cdf(const lm_dist *d, double x, bool up) { return pf(x, d->p[0], d->p[1], !up, 0); }
/* Through the Beta variable of the smaller tail, instead of R's qf, which takes
 * 1/qbeta − 1 and loses digits near F = 0 (qf(1e-10, 3, 20) is off by 2e-9):
 * X = d1 F / (d1 F + d2) ~ Beta(d1/2, d2/2) and 1 − X ~ Beta(d2/2, d1/2). */
static double f_q(const lm_dist *d, double p, bool up) {
    double d1 = d->p[0], d2 = d->p[1];
    bool lower_small = up ? p > 0.5 : p < 0.5;
    if (lower_small) {
        double x = qbeta(p, d1 / 2, d2 / 2, !up, 0);
        return d2 / d1 * (x / (1 - x));
    }
    double y = qbeta(p, d2 / 2, d1 / 2, up, 0);
    return d2 / d1 * ((1 - y) / y);
}
static double f_mean(const lm_dist *d) {
    double d2 = d->p[1];
    return d2 > 2 ? d2 / (d2 - 2) : INFINITY;
}
static double f_var(const lm_dist *d) {
    double d1 = d->p[0], d2 = d->p[1];
    if (d2 <= 2) return NAN;
    if (d2 <= 4) return INFINITY;
    return 2 * d2 * d2 * (d1 + d2 - 2) / (d1 * (d2 - 2) * (d2 - 2) * (d2 - 4));
}
/* log(d2/d1) + log B(d1/2, d2/2) + (1 − d1/2) ψ(d1/2) − (1 + d2/2) ψ(d2/2) + (d1+d2)/2 ψ((d1+d2)/2) */
static double f_entropy(const lm_dist *d) {
    double a = d->p[0] / 2, b = d->p[1] / 2;
    return log(d->p[1] / d->p[0]) + lbeta(a, b) + (1 - a) * digamma(a) - (1 + b) * digamma(b) +
           (a + b) * digamma(a + b);
}
static double f_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return gsl_ran_fdist(&g, d->p[0], d->p[1]);
}
static const char *const names_d1d2[] = {"d1", "d2"};
const lm_dist_ops lm_dist_ops_FDIST = {
    LM_DIST_FDIST, "FDist", 2, names_d1d2, names_d1d2, false, f_pdf, f_logpdf, f_cdf, f_q,
    f_mean, f_var, f_entropy, f_sample, half_line, NULL, NULL,
};

/* ---- Beta(a, b) ---- */
static double beta_pdf(const lm_dist *d, double x) { return dbeta(x, d->p[0], d->p[1], 0); }
static double beta_logpdf(const lm_dist *d, double x) { return dbeta(x, d->p[0], d->p[1], 1); }
static double beta_cdf(const lm_dist *d, double x, bool up) { return pbeta(x, d->p[0], d->p[1], !up, 0); }
static double beta_q(const lm_dist *d, double p, bool up) { return qbeta(p, d->p[0], d->p[1], !up, 0); }
static double beta_mean(const lm_dist *d) { return d->p[0] / (d->p[0] + d->p[1]); }
static double beta_var(const lm_dist *d) {
    double a = d->p[0], b = d->p[1], s = a + b;
    return a * b / (s * s * (s + 1));
}
/* log B(a,b) − (a−1)ψ(a) − (b−1)ψ(b) + (a+b−2)ψ(a+b) */
static double beta_entropy(const lm_dist *d) {
    double a = d->p[0], b = d->p[1];
    return lbeta(a, b) - (a - 1) * digamma(a) - (b - 1) * digamma(b) + (a + b - 2) * digamma(a + b);
}
static double beta_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return gsl_ran_beta(&g, d->p[0], d->p[1]);
}
static void unit_interval(const lm_dist *d, double *lo, double *hi) {
    (void)d;
    *lo = 0;
    *hi = 1;
}
static const char *const names_ab[] = {"a", "b"};
const lm_dist_ops lm_dist_ops_BETA = {
    LM_DIST_BETA, "Beta", 2, names_ab, names_ab, false, beta_pdf, beta_logpdf, beta_cdf, beta_q,
    beta_mean, beta_var, beta_entropy, beta_sample, unit_interval, NULL, NULL,
};

/* ---- Gamma(shape, rate): Rmath takes the scale 1/rate ---- */
static double gamma_pdf(const lm_dist *d, double x) { return dgamma(x, d->p[0], 1 / d->p[1], 0); }
static double gamma_logpdf(const lm_dist *d, double x) { return dgamma(x, d->p[0], 1 / d->p[1], 1); }
static double gamma_cdf(const lm_dist *d, double x, bool up) { return pgamma(x * d->p[1], d->p[0], 1, !up, 0); }
static double gamma_q(const lm_dist *d, double p, bool up) { return qgamma(p, d->p[0], 1, !up, 0) / d->p[1]; }
static double gamma_mean(const lm_dist *d) { return d->p[0] / d->p[1]; }
static double gamma_var(const lm_dist *d) { return d->p[0] / (d->p[1] * d->p[1]); }
/* k − log(rate) + log Γ(k) + (1 − k) ψ(k) */
static double gamma_entropy(const lm_dist *d) {
    double k = d->p[0];
    return k - log(d->p[1]) + lgammafn(k) + (1 - k) * digamma(k);
}
static double gamma_sample(const lm_dist *d, lm_rng *r) {
    GSL_RNG(g, r);
    return gsl_ran_gamma(&g, d->p[0], 1 / d->p[1]);
}
static const char *const names_shape_rate[] = {"shape", "rate"};
const lm_dist_ops lm_dist_ops_GAMMA = {
    LM_DIST_GAMMA, "Gamma", 2, names_shape_rate, names_shape_rate, false, gamma_pdf, gamma_logpdf, gamma_cdf,
    gamma_q, gamma_mean, gamma_var, gamma_entropy, gamma_sample, half_line, NULL, NULL,
};

/* ---- Exponential(rate) ---- */
static double exp_pdf(const lm_dist *d, double x) { return dexp(x, 1 / d->p[0], 0); }
static double exp_logpdf(const lm_dist *d, double x) { return dexp(x, 1 / d->p[0], 1); }
static double exp_cdf(const lm_dist *d, double x, bool up) { return pexp(x * d->p[0], 1, !up, 0); }
static double exp_q(const lm_dist *d, double p, bool up) { return qexp(p, 1, !up, 0) / d->p[0]; }
static double exp_mean(const lm_dist *d) { return 1 / d->p[0]; }
static double exp_var(const lm_dist *d) { return 1 / (d->p[0] * d->p[0]); }
static double exp_entropy(const lm_dist *d) { return 1 - log(d->p[0]); }
static double exp_sample(const lm_dist *d, lm_rng *r) {
    /* inversion on (0, 1]: -log(1 - U) never sees log(0) */
    return -log1p(-lm_rng_uniform(r)) / d->p[0];
}
static const char *const names_rate[] = {"rate"};
const lm_dist_ops lm_dist_ops_EXPONENTIAL = {
    LM_DIST_EXPONENTIAL, "Exponential", 1, names_rate, names_rate, false, exp_pdf, exp_logpdf, exp_cdf, exp_q,
    exp_mean, exp_var, exp_entropy, exp_sample, half_line, NULL, NULL,
};

/* ---- Uniform(a, b) ---- */
static double unif_pdf(const lm_dist *d, double x) { return dunif(x, d->p[0], d->p[1], 0); }
static double unif_logpdf(const lm_dist *d, double x) { return dunif(x, d->p[0], d->p[1], 1); }
static double unif_cdf(const lm_dist *d, double x, bool up) { return punif(x, d->p[0], d->p[1], !up, 0); }
static double unif_q(const lm_dist *d, double p, bool up) { return qunif(p, d->p[0], d->p[1], !up, 0); }
static double unif_mean(const lm_dist *d) { return d->p[0] / 2 + d->p[1] / 2; }
static double unif_var(const lm_dist *d) {
    double w = d->p[1] - d->p[0];
    return w * w / 12;
}
static double unif_entropy(const lm_dist *d) { return log(d->p[1] - d->p[0]); }
static double unif_sample(const lm_dist *d, lm_rng *r) {
    return d->p[0] + (d->p[1] - d->p[0]) * lm_rng_uniform(r);
}
static void unif_support(const lm_dist *d, double *lo, double *hi) {
    *lo = d->p[0];
    *hi = d->p[1];
}
const lm_dist_ops lm_dist_ops_UNIFORM = {
    LM_DIST_UNIFORM, "Uniform", 2, names_ab, names_ab, false, unif_pdf, unif_logpdf, unif_cdf, unif_q,
    unif_mean, unif_var, unif_entropy, unif_sample, unif_support, NULL, NULL,
};

/* ---- LogNormal(mu, sigma): log X ~ Normal(mu, sigma) ---- */
static double lnorm_pdf(const lm_dist *d, double x) { return dlnorm(x, d->p[0], d->p[1], 0); }
static double lnorm_logpdf(const lm_dist *d, double x) { return dlnorm(x, d->p[0], d->p[1], 1); }
static double lnorm_cdf(const lm_dist *d, double x, bool up) { return plnorm(x, d->p[0], d->p[1], !up, 0); }
static double lnorm_q(const lm_dist *d, double p, bool up) { return qlnorm(p, d->p[0], d->p[1], !up, 0); }
static double lnorm_mean(const lm_dist *d) { return exp(d->p[0] + d->p[1] * d->p[1] / 2); }
/* (e^{σ²} − 1) e^{2μ+σ²}, with expm1 so a small σ keeps its digits */
static double lnorm_var(const lm_dist *d) {
    double s2 = d->p[1] * d->p[1];
    return expm1(s2) * exp(2 * d->p[0] + s2);
}
static double lnorm_entropy(const lm_dist *d) { return d->p[0] + norm_entropy(d); }
static double lnorm_sample(const lm_dist *d, lm_rng *r) { return exp(d->p[0] + d->p[1] * lm_rng_normal(r)); }
const lm_dist_ops lm_dist_ops_LOGNORMAL = {
    LM_DIST_LOGNORMAL, "LogNormal", 2, names_mu_sigma, names_mu_sigma_u, false, lnorm_pdf, lnorm_logpdf, lnorm_cdf,
    lnorm_q, lnorm_mean, lnorm_var, lnorm_entropy, lnorm_sample, half_line, NULL, NULL,
};
