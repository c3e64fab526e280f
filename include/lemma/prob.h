/* lemma probability engine: distributions as values (a vtable per family over
 * GSL and R's standalone Rmath), events built from comparisons (P(X < 1.96)),
 * and numerically careful descriptive statistics. Usable from C without the
 * language: the builtins in src/lang/builtins/b_prob.c are thin wrappers.
 *
 * Ownership follows core.h: BORROW IN, OWN OUT. Constructors return a +1
 * lm_dist * (release with lm_dist_release) or NULL with err filled (`domain`
 * errors name the parameter and say why). Scalar evaluators never fail: they
 * return NaN for a probability outside [0, 1] and follow R's conventions at the
 * edges of the support (cdf -inf → 0, quantile(0) = lower end of the support). */
#ifndef LEMMA_PROB_H
#define LEMMA_PROB_H

#include "lemma/core.h"
#include "lemma/ctx.h"
#include "lemma/tensor.h"

/* ---- families, written once: X(ENUM, "Name", nparams, discrete) ----------- */
#define LM_DIST_LIST(X)                  \
    X(NORMAL, "Normal", 2, false)        \
    X(STUDENT_T, "StudentT", 1, false)   \
    X(CHISQ, "ChiSquared", 1, false)     \
    X(FDIST, "FDist", 2, false)          \
    X(BETA, "Beta", 2, false)            \
    X(GAMMA, "Gamma", 2, false)          \
    X(EXPONENTIAL, "Exponential", 1, false) \
    X(UNIFORM, "Uniform", 2, false)      \
    X(LOGNORMAL, "LogNormal", 2, false)  \
    X(BERNOULLI, "Bernoulli", 1, true)   \
    X(BINOMIAL, "Binomial", 2, true)     \
    X(POISSON, "Poisson", 1, true)       \
    X(GEOMETRIC, "Geometric", 1, true)   \
    X(CATEGORICAL, "Categorical", 0, true) \
    X(MVNORMAL, "MultivariateNormal", 0, false) \
    X(DIRICHLET, "Dirichlet", 0, false)

typedef enum lm_dist_family {
#define X(e, name, np, disc) LM_DIST_##e,
    LM_DIST_LIST(X)
#undef X
    LM_DIST__COUNT
} lm_dist_family;

typedef struct lm_dist lm_dist;

/* The behaviour of one family (Redis dictType style). Univariate families fill
 * every scalar slot; the vector families (MultivariateNormal, Dirichlet) leave
 * cdf/quantile NULL and use pdf_vec/sample_vec. Entropy is in nats here;
 * lm_dist_entropy converts. */
typedef struct lm_dist_ops {
    lm_dist_family family;
    const char *name;                 /* "Beta": the constructor's name */
    int nparams;                      /* scalar parameters (0 for vector families) */
    const char *const *param_ascii;   /* {"a", "b"}: JSON keys and ASCII text */
    const char *const *param_unicode; /* {"α", "β"} or the same as ascii */
    bool discrete;                    /* support on integers: pdf is the pmf */
    double (*pdf)(const lm_dist *d, double x);
    double (*logpdf)(const lm_dist *d, double x);
    double (*cdf)(const lm_dist *d, double x, bool upper);          /* P(X <= x) or P(X > x) */
    double (*quantile)(const lm_dist *d, double p, bool upper);     /* smallest x with cdf >= p */
    double (*mean)(const lm_dist *d);
    double (*var)(const lm_dist *d);
    double (*entropy)(const lm_dist *d);                            /* nats */
    double (*sample)(const lm_dist *d, lm_rng *rng);
    void (*support)(const lm_dist *d, double *lo, double *hi);
    /* vector families */
    double (*pdf_vec)(const lm_dist *d, const double *x);
    void (*sample_vec)(const lm_dist *d, lm_rng *rng, double *out); /* dim values */
} lm_dist_ops;

/* A distribution value (kind LM_DIST). Immutable once made. */
struct lm_dist {
    lm_obj hdr;
    const lm_dist_ops *ops;
    double p[3];     /* scalar parameters in constructor order (Binomial n as a double) */
    int64_t dim;     /* Categorical: number of categories; vector families: dimension; else 1 */
    double *vec;     /* Categorical p, MultivariateNormal mu, Dirichlet alpha (dim values), or NULL */
    double *mat;     /* MultivariateNormal Sigma, dim×dim row-major, or NULL */
    double *chol;    /* its lower Cholesky factor L (Sigma = L·Lᵀ), or NULL */
    double *cum;     /* Categorical: cumulative sums, for cdf and sampling */
    double aux;      /* per-family constant: MVN log det Sigma, Dirichlet log B(alpha) */
};

static inline bool lm_is_dist(lm_value v) { return v.kind == LM_DIST; }
static inline lm_dist *lm_dist_of(lm_value v) { return (lm_dist *)v.u.obj; }
static inline lm_value lm_dist_value(lm_dist *d) { return lm_obj_value(&d->hdr); } /* takes d */
static inline void lm_dist_release(lm_dist *d) { if (d) lm_obj_release(&d->hdr); }
static inline lm_dist *lm_dist_retain(lm_dist *d) { lm_obj_retain(&d->hdr); return d; }

/* ---- constructors (+1, or NULL with a `domain` error naming the parameter) ---- */
/* Generic: family with its scalar parameters in constructor order. */
lm_dist *lm_dist_new(lm_dist_family fam, const double *params, int nparams, lm_err *err);
lm_dist *lm_dist_normal(double mu, double sigma, lm_err *err);        /* sigma > 0 */
lm_dist *lm_dist_student_t(double df, lm_err *err);                   /* df > 0, real */
lm_dist *lm_dist_chisq(double df, lm_err *err);                       /* df > 0 */
lm_dist *lm_dist_f(double d1, double d2, lm_err *err);                /* d1, d2 > 0 */
lm_dist *lm_dist_beta(double a, double b, lm_err *err);               /* a, b > 0 */
lm_dist *lm_dist_gamma(double shape, double rate, lm_err *err);       /* shape, rate > 0 */
lm_dist *lm_dist_exponential(double rate, lm_err *err);               /* rate > 0 */
lm_dist *lm_dist_uniform(double a, double b, lm_err *err);            /* a < b */
lm_dist *lm_dist_lognormal(double mu, double sigma, lm_err *err);     /* sigma > 0 */
lm_dist *lm_dist_bernoulli(double p, lm_err *err);                    /* 0 <= p <= 1 */
lm_dist *lm_dist_binomial(double n, double p, lm_err *err);           /* n whole >= 0 */
lm_dist *lm_dist_poisson(double lambda, lm_err *err);                 /* lambda >= 0 */
lm_dist *lm_dist_geometric(double p, lm_err *err);                    /* 0 < p <= 1; trials to first success */
/* Categorical on 1..k: p_i >= 0 summing to 1 (within 1e-9; then renormalized). */
lm_dist *lm_dist_categorical(const double *p, int64_t k, lm_err *err);
/* mu (k values) and Sigma (k×k row-major, symmetric positive definite). */
lm_dist *lm_dist_mvnormal(const double *mu, const double *Sigma, int64_t k, lm_err *err);
/* Dirichlet(alpha), alpha_i > 0, k >= 2: the conjugate prior of a Categorical. */
lm_dist *lm_dist_dirichlet(const double *alpha, int64_t k, lm_err *err);

/* ---- inspecting ---- */
static inline lm_dist_family lm_dist_fam(const lm_dist *d) { return d->ops->family; }
static inline const char *lm_dist_name(const lm_dist *d) { return d->ops->name; }
static inline bool lm_dist_is_discrete(const lm_dist *d) { return d->ops->discrete; }
static inline bool lm_dist_is_multivariate(const lm_dist *d) { return d->ops->pdf_vec != NULL; }
/* Family by constructor name ("Normal"), or -1. */
int lm_dist_family_find(const char *name);
/* The ops table of a family (its name, parameter names, ...); NULL if out of range. */
const lm_dist_ops *lm_dist_family_ops(lm_dist_family f);
/* Support [lo, hi] (may be infinite). Vector families: of each component. */
void lm_dist_support(const lm_dist *d, double *lo, double *hi);

/* ---- scalar evaluation (univariate families; NaN for vector families) ---- */
double lm_dist_pdf(const lm_dist *d, double x);     /* density, or pmf when discrete */
double lm_dist_logpdf(const lm_dist *d, double x);
double lm_dist_cdf(const lm_dist *d, double x, bool upper);
double lm_dist_quantile(const lm_dist *d, double p, bool upper); /* NaN outside [0, 1] */
double lm_dist_mean(const lm_dist *d);      /* may be inf or NaN (StudentT(1)) */
double lm_dist_var(const lm_dist *d);
double lm_dist_std(const lm_dist *d);
/* Entropy in units of `base` (2: bits; exp(1) = 2.718281828459045: nats),
 * differential for continuous families, vector families included. NaN for
 * base <= 0 or base == 1. */
double lm_dist_entropy(const lm_dist *d, double base);
/* One draw; NaN where lm_dist_can_sample refuses. */
double lm_dist_sample1(const lm_dist *d, lm_rng *rng);
/* False (with a `domain` error naming the approximation to use) for draws the
 * samplers cannot make: Binomial with n >= 2^32, Poisson with lambda > 1e9. */
bool lm_dist_can_sample(const lm_dist *d, lm_err *err);

/* ---- vector-valued (all families) ---- */
/* Mean as a column (dim×1; 1×1 for univariate families). */
lm_tensor *lm_dist_mean_tensor(const lm_dist *d, lm_err *err);
/* Variance: the covariance matrix (dim×dim) for vector families, 1×1 otherwise. */
lm_tensor *lm_dist_var_tensor(const lm_dist *d, lm_err *err);
/* Density of a vector family at x (dim values). */
double lm_dist_pdf_vec(const lm_dist *d, const double *x);

/* Elementwise over a tensor of points or probabilities, in C (the vectorized
 * path): the result has x's shape. LM_DF_QUANTILE gives a `domain` error for a
 * probability outside [0, 1]. For vector families only LM_DF_PDF/LOGPDF apply,
 * and x holds one point per row (n×dim → n×1). */
typedef enum lm_dist_fn { LM_DF_PDF, LM_DF_LOGPDF, LM_DF_CDF, LM_DF_QUANTILE } lm_dist_fn;
lm_tensor *lm_dist_map(const lm_dist *d, lm_dist_fn fn, const lm_tensor *x, bool upper, lm_err *err);

/* n draws as an n×1 column (n×dim for vector families) from the session RNG:
 * the same seed gives the same samples on every machine. */
lm_tensor *lm_dist_sample(const lm_dist *d, lm_rng *rng, int64_t n, lm_err *err);

/* Text as the printer shows it: "Normal(μ = 0, σ = 1) on (-inf, inf)" (unicode)
 * or "Normal(mu = 0, sigma = 1), support (-inf, inf)" (ASCII). */
void lm_dist_text(const lm_dist *d, lm_buf *out, int digits, bool unicode);

/* ---- events: comparisons with a distribution operand --------------------- */
/* rel is an lm_xrel (sym.h): 0 ==, 1 ~=, 2 <, 3 <=, 4 >, 5 >=. One of a, b is a
 * univariate distribution, the other a real number; X < 1.96 and 1.96 > X are
 * the same event. Returns an event value (LM_OBJECT, objtype "event") or an
 * error value. */
lm_value lm_prob_compare(lm_ctx *ctx, int rel, lm_value a, lm_value b);
/* Both events of a chained comparison on the same variable (-1 < X <= 1): their
 * intersection, an interval event. Anything else is an error value. */
lm_value lm_prob_event_and(lm_ctx *ctx, lm_value a, lm_value b);
bool lm_is_event(lm_value v);
/* P(event), computed in the tail that keeps its digits. NaN if v is no event. */
double lm_prob_event_p(lm_value v);

/* ---- descriptive statistics (desc.c): careful algorithms on plain arrays ---- */
/* Mean with a second, corrective pass (exact mean of the residuals added back):
 * the NIST NumAcc sets need it. NaN for n = 0. */
double lm_stat_mean(const double *x, int64_t n);
/* Sum of squared deviations from the mean, two-pass with the correction term
 * (Chan, Golub & LeVeque's corrected two-pass algorithm). */
double lm_stat_ssd(const double *x, int64_t n);
/* Variance with divisor n - ddof (ddof 1: sample variance, 0: population). */
double lm_stat_var(const double *x, int64_t n, int ddof);
double lm_stat_cov(const double *x, const double *y, int64_t n, int ddof);
double lm_stat_corr(const double *x, const double *y, int64_t n); /* Pearson */
/* R's type-7 quantile of data already sorted ascending; p in [0, 1]. */
double lm_stat_quantile_sorted(const double *sorted, int64_t n, double p);
/* Median (copies and sorts; NaN for n = 0). */
double lm_stat_median(const double *x, int64_t n);
/* Most frequent value, the smallest among ties (Octave's mode). */
double lm_stat_mode(const double *x, int64_t n);
/* R's acf at `lag`: sum (x_t - m)(x_{t+lag} - m) / sum (x_t - m)^2. */
double lm_stat_autocorr(const double *x, int64_t n, int64_t lag);

/* Column-wise reductions of a matrix (a vector reduces along its length), the
 * way mean() works in Octave: the result is 1×cols (or 1×1 for a vector). */
typedef enum lm_statop {
    LM_ST_MEAN, LM_ST_VAR, LM_ST_STD, LM_ST_MEDIAN, LM_ST_MODE, LM_ST_QUANTILE
} lm_statop;
/* ddof for VAR/STD; p for QUANTILE (must be in [0, 1], else a `domain` error). */
lm_tensor *lm_stat_columns(lm_statop op, const lm_tensor *x, int ddof, double p, lm_err *err);

#endif
