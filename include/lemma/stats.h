/* lemma statistics engine: hypothesis tests and intervals (tests.c), linear
 * regression (regress.c), Bayesian updating (bayes.c), Markov chains and hidden
 * Markov models (markov.c), Bayesian networks (bayesnet.c) and the worked
 * solutions a learner computes by hand (st_steps.c). Usable from C without the
 * language; src/lang/builtins/b_stats.c wraps it.
 *
 * Ownership follows core.h: BORROW IN, OWN OUT. A function that makes an object
 * returns it +1 (release with lm_obj_release on its header) or NULL with err
 * filled; messages name the parameter and say why. Data arrays are borrowed.
 * Matrices passed as plain arrays are row-major unless a comment says otherwise;
 * states, categories and groups are numbered from 1 in everything a learner sees. */
#ifndef LEMMA_STATS_H
#define LEMMA_STATS_H

#include "lemma/core.h"
#include "lemma/ctx.h"
#include "lemma/prob.h"
#include "lemma/steps.h"

/* ---- hypothesis tests (tests.c) -------------------------------------------- */

typedef enum lm_alt { LM_ALT_TWO_SIDED, LM_ALT_LESS, LM_ALT_GREATER } lm_alt;
/* "two.sided", "less", "greater" (R's spelling). */
const char *lm_alt_name(lm_alt a);
/* Parses R's spelling (also "two-sided" and "two_sided"); false if unknown. */
bool lm_alt_parse(const char *s, lm_alt *out);

/* The one-way ANOVA table that anova() adds to its test (R's summary(aov)). */
typedef struct lm_anova_table {
    double df_between, df_within;
    double ss_between, ss_within;
    double ms_between, ms_within;
    double r_squared;         /* ss_between / (ss_between + ss_within) */
    double residual_sd;       /* sqrt(ms_within) */
} lm_anova_table;

/* A test result (kind LM_TEST): what R's htest holds, plus the words a learner
 * reads. Printed as an R-like report; JSON as DESIGN.md's "test" object.
 * Fields a test does not have are NaN (numbers), 0 (counts) or NULL. */
typedef struct lm_htest {
    lm_obj hdr;
    char *name;               /* "Welch Two Sample t-test" */
    char *stat_name;          /* "t", "z", "X-squared", "F", "successes" */
    double statistic;
    int ndf;                  /* 0, 1 or 2 degrees-of-freedom values */
    double df[2];
    double p_value;
    bool has_ci;
    double ci[2];
    double conf;              /* confidence level of ci, and 1 - alpha for the verdict */
    int nest;
    double *estimate;         /* nest values */
    char **est_names;         /* "mean of x", ... */
    /* The hypotheses: either a parameter compared with a null value
     * ("true difference in means", 0, with the alternative's direction) or two
     * sentences (chi-squared and F tests, which have no direction). */
    char *param;              /* NULL when h0/h1 are given */
    double null_value;
    char *h0, *h1;
    bool has_alt;             /* false for tests without a direction: JSON "alternative":null */
    lm_alt alt;
    bool has_table;
    lm_anova_table table;
    char *note;               /* a caveat (small expected counts), or NULL */
} lm_htest;

extern const lm_objtype lm_htest_type;
static inline lm_value lm_htest_value(lm_htest *t) { return lm_obj_value(&t->hdr); } /* takes t */
static inline bool lm_is_htest(lm_value v) { return v.kind == LM_TEST && v.u.obj->type == &lm_htest_type; }
static inline lm_htest *lm_htest_of(lm_value v) { return (lm_htest *)v.u.obj; }

/* z test with known standard deviation(s): one sample (y == NULL; sigma_y
 * ignored) or two independent samples. mu is the null mean or difference. */
lm_htest *lm_test_z(const double *x, int64_t nx, const double *y, int64_t ny, double mu, double sigma_x,
                    double sigma_y, lm_alt alt, double conf, lm_err *err);
/* R's t.test: one sample (y == NULL), Welch (equal_var false), pooled
 * (equal_var true) or paired (ny == nx, the one-sample test of x - y). */
lm_htest *lm_test_t(const double *x, int64_t nx, const double *y, int64_t ny, double mu, bool paired,
                    bool equal_var, lm_alt alt, double conf, lm_err *err);
/* R's chisq.test on an r×c table of counts (row-major), Yates' correction on
 * 2×2 when `correct`. */
lm_htest *lm_test_chisq_indep(const double *table, int64_t r, int64_t c, bool correct, lm_err *err);
/* Goodness of fit of k counts to probabilities p (NULL: all equal). */
lm_htest *lm_test_chisq_gof(const double *x, int64_t k, const double *p, lm_err *err);
/* R's binom.test: exact p-value (two-sided: the sum over outcomes no more
 * likely than k) and the Clopper–Pearson interval. */
lm_htest *lm_test_binom(double k, double n, double p, lm_alt alt, double conf, lm_err *err);
/* R's prop.test for m groups (k[i] successes of n[i]); p NULL for m >= 2 tests
 * equality, otherwise the given proportions (m values; for m == 1, NULL means 0.5). */
lm_htest *lm_test_prop(const double *k, const double *n, int64_t m, const double *p, lm_alt alt, double conf,
                       bool correct, lm_err *err);
/* One-way analysis of variance of ngroups samples: Fisher's F with R's aov
 * table (equal_var), or Welch's F as R's oneway.test (not equal_var). */
lm_htest *lm_test_anova(const double *const *groups, const int64_t *sizes, int64_t ngroups, bool equal_var,
                        lm_err *err);

/* Intervals. The t interval for a mean (R's t.test(x)$conf.int) and Wilson's
 * score interval for a proportion (with `correct`, the continuity-corrected
 * one of prop.test). */
lm_status lm_ci_mean(const double *x, int64_t n, double conf, double out[2], lm_err *err);
lm_status lm_ci_prop(double k, double n, double conf, bool correct, double out[2], lm_err *err);

/* ---- linear regression (regress.c) ---------------------------------------- */

/* A least-squares fit as R's summary(lm(...)): the intercept (when present)
 * first. An LM_OBJECT whose JSON is {"type":"lm",...}. */
typedef struct lm_linreg {
    lm_obj hdr;
    int64_t n, k;             /* observations; coefficients (intercept included) */
    bool intercept;
    double *coef, *se, *tval, *pval;      /* k each */
    double *fitted, *resid;               /* n each */
    double sigma;             /* residual standard error */
    double df_resid;
    double rss, tss;          /* tss centred with an intercept, uncentred without (as R) */
    double r_squared, adj_r_squared;
    double f_stat, f_df1, f_df2, f_p;     /* NaN when the model has no slope */
    int refinements;          /* iterative-refinement passes that improved the solution */
} lm_linreg;

extern const lm_objtype lm_linreg_type;
static inline bool lm_is_linreg(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_linreg_type; }

/* Fits y = [1] X b + e by Householder QR on the centred columns (two-pass
 * means), refined with residuals accumulated in extended precision. X is n×p
 * COLUMN-major (X[j*n + i]), the predictors without the intercept column. A
 * predictor that is (numerically) a combination of the others is a `singular`
 * error naming it. */
lm_linreg *lm_regress(const double *X, int64_t n, int64_t p, const double *y, bool intercept, lm_err *err);

/* ---- Bayesian inference (bayes.c) ----------------------------------------- */

/* P(A | B) from P(A), P(B | A), P(B | not A); NaN-free: a `domain` error when a
 * probability is outside [0, 1] or P(B) = 0. *pb receives P(B) (may be NULL). */
lm_status lm_bayes_rule(double prior, double pba, double pbna, double *post, double *pb, lm_err *err);

typedef enum lm_lik {
    LM_LIK_BINOMIAL, LM_LIK_BERNOULLI, LM_LIK_NORMAL, LM_LIK_POISSON, LM_LIK_EXPONENTIAL, LM_LIK_CATEGORICAL
} lm_lik;
/* "binomial" ...; false if unknown. */
bool lm_lik_parse(const char *s, lm_lik *out);
const char *lm_lik_name(lm_lik l);

/* Conjugate update. The data, by likelihood:
 *   binomial: data = {k, n}; bernoulli: 0/1 outcomes; normal: observations and
 *   `sigma`, the known standard deviation; poisson: counts; exponential: times;
 *   categorical: the count of each category (k values for a Dirichlet of k).
 * The prior must be the conjugate family (Beta, Normal, Gamma, Dirichlet);
 * otherwise a `type` error names the one that is. */
lm_dist *lm_bayes_posterior(const lm_dist *prior, lm_lik lik, const double *data, int64_t n, double sigma,
                            lm_err *err);
/* The posterior predictive of the next observation(s):
 *   Beta + binomial: P(K = k) for k = 0..m in m new trials (m+1 values);
 *   Beta + bernoulli: P(next = 1) (1 value);
 *   Gamma + poisson: P(next count = k) for k = 0..m (m+1 values);
 *   Dirichlet + categorical: P(next = j) (dim values).
 * Normal + normal returns a distribution instead: see lm_bayes_predictive_normal.
 * *out is a fresh column (+1). */
lm_tensor *lm_bayes_predictive(const lm_dist *post, lm_lik lik, double m, lm_err *err);
lm_dist *lm_bayes_predictive_normal(const lm_dist *post, double sigma, lm_err *err);
/* Equal-tailed credible interval: the (1-conf)/2 and (1+conf)/2 quantiles. */
lm_status lm_bayes_credible(const lm_dist *post, double conf, double out[2], lm_err *err);
/* Normalizes prior(θ)·likelihood(θ) over a grid (n points) into probabilities
 * that sum to 1. Values must be finite and non-negative, and not all zero. */
lm_status lm_bayes_grid(const double *prior, const double *lik, int64_t n, double *post, lm_err *err);

/* ---- Markov chains and hidden Markov models (markov.c) -------------------- */

typedef struct lm_markov {
    lm_obj hdr;               /* LM_OBJECT, kind "markov chain" */
    int64_t n;
    double *T;                /* n×n row-major, rows sum to 1 */
    /* classification, computed once */
    int64_t nclasses;
    int64_t *cls;             /* communicating class of each state, 0-based, in order of first state */
    bool *closed;             /* per class: no way out (recurrent in a finite chain) */
    int64_t *period;          /* per class */
} lm_markov;

extern const lm_objtype lm_markov_type;
static inline bool lm_is_markov(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_markov_type; }

/* Validates T (square, entries in [0, 1], each row summing to 1 within 1e-9)
 * and classifies the states. */
lm_markov *lm_markov_new(const double *T, int64_t n, lm_err *err);
bool lm_markov_irreducible(const lm_markov *m);
/* Period of the chain when irreducible (1: aperiodic); 0 when it is not. */
int64_t lm_markov_period(const lm_markov *m);
/* The stationary distribution π (n values, π T = π, sum 1): the left
 * eigenvector for eigenvalue 1 (dgeev), checked against power iteration on the
 * lazy chain (I + T)/2, which has the same π and converges even when the chain
 * is periodic. A `domain` error when π is not unique (several closed classes). */
lm_status lm_markov_stationary(lm_ctx *ctx, const lm_markov *m, double *pi, lm_err *err);
/* Absorbing chains: B (t×a, row-major) = probability that each of the t
 * non-absorbing states (in order) ends in each of the a absorbing states, and
 * steps (t values) the expected number of steps until absorption, from the
 * fundamental matrix N = (I - Q)^-1. Arrays are allocated here (lm_free). */
lm_status lm_markov_absorption(const lm_markov *m, double **B, double **steps, int64_t **transient, int64_t *nt,
                               int64_t **absorbing, int64_t *na, lm_err *err);
/* A path of n steps from `start` (0-based): n + 1 states written to path. */
void lm_markov_simulate(const lm_markov *m, int64_t start, int64_t n, lm_rng *rng, int64_t *path);

typedef struct lm_hmm {
    lm_obj hdr;               /* LM_OBJECT, kind "hidden Markov model" */
    int64_t n, m;             /* hidden states, observation symbols */
    double *A;                /* n×n transitions */
    double *B;                /* n×m emissions: B[i][o] = P(symbol o | state i) */
    double *p0;               /* n initial probabilities */
} lm_hmm;

extern const lm_objtype lm_hmm_type;
static inline bool lm_is_hmm(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_hmm_type; }

lm_hmm *lm_hmm_new(const double *A, int64_t n, const double *B, int64_t m, const double *p0, lm_err *err);
/* The forward algorithm on observations obs (0-based symbols, len values):
 * alpha (len×n row-major, may be NULL) receives α_t(i) = P(o_1..o_t, X_t = i);
 * *logp receives log P(o_1..o_len), computed with scaling so that long
 * sequences do not underflow (alpha itself may then underflow to 0). */
lm_status lm_hmm_forward(const lm_hmm *h, const int64_t *obs, int64_t len, double *alpha, double *logp, lm_err *err);
/* The most probable hidden path (0-based states) and its log probability
 * log P(path, obs), by Viterbi in log space. */
lm_status lm_hmm_viterbi(const lm_hmm *h, const int64_t *obs, int64_t len, int64_t *path, double *logp, lm_err *err);

/* ---- Bayesian networks (bayesnet.c) -------------------------------------- */

typedef struct lm_bnet lm_bnet; /* LM_OBJECT, kind "bayes net"; immutable once shared */
extern const lm_objtype lm_bnet_type;
static inline bool lm_is_bnet(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_bnet_type; }
/* Wraps a network into a value (takes the reference); its header is an lm_obj. */
static inline lm_value lm_bnet_value(lm_bnet *net) { return lm_obj_value((lm_obj *)net); }

lm_bnet *lm_bnet_new(void);
/* A copy of net with one more node (parents must already be in it, so the
 * network stays acyclic). cpt has one row per combination of the parents'
 * states (the first parent varying slowest, false before true, 1 before 2) and
 * either one column, P(name = true) for a binary node, or one column per state
 * (2 columns: false, true), each row summing to 1. */
lm_bnet *lm_bnet_add(const lm_bnet *net, const char *name, const char *const *parents, int64_t nparents,
                     const double *cpt, int64_t rows, int64_t cols, lm_err *err);
int64_t lm_bnet_size(const lm_bnet *net);
/* Index of a node by name, or -1. */
int64_t lm_bnet_find(const lm_bnet *net, const char *name);
const char *lm_bnet_name(const lm_bnet *net, int64_t i);
int64_t lm_bnet_states(const lm_bnet *net, int64_t i); /* 2 for a binary node */
/* Appends the node names, comma separated (for messages). */
void lm_bnet_names(const lm_bnet *net, lm_buf *out);

/* P(query | evidence) by variable elimination (barren nodes pruned first, then
 * the min-degree order). ev_node[i] is a node index and ev_state[i] its state
 * (0-based: false = 0, true = 1). out receives one probability per state of the
 * query node. A `domain` error when the evidence has probability 0. */
lm_status lm_bnet_query(const lm_bnet *net, int64_t query, const int64_t *ev_node, const int64_t *ev_state,
                        int64_t nev, double *out, lm_err *err);
/* Whether every X is d-separated from every Y given Z (node index sets), by
 * the reachability ("Bayes ball") algorithm of Koller & Friedman, 3.3.3. */
bool lm_bnet_dsep(const lm_bnet *net, const int64_t *x, int64_t nx, const int64_t *y, int64_t ny, const int64_t *z,
                  int64_t nz);
/* The full joint table: one row per assignment (the first node varying
 * slowest), its columns the node states (0/1 for binary, 1..k otherwise) then
 * the probability. A `limit` error past 2^20 rows. */
lm_tensor *lm_bnet_joint(const lm_bnet *net, lm_err *err);
/* "P(Rain, Sprinkler, WetGrass) = P(Rain) P(Sprinkler | Rain) P(WetGrass | Sprinkler, Rain)" */
void lm_bnet_factorization(const lm_bnet *net, lm_buf *out);

/* ---- worked solutions (st_steps.c) ------------------------------------------ */
/* Each returns a steps object (+1) whose result is the ordinary answer. */
lm_steps *lm_steps_bayes(double prior, double pba, double pbna, lm_err *err);
/* E[X] (variance = false) or Var(X) of a discrete distribution: values x with
 * probabilities p (n each, summing to 1). */
lm_steps *lm_steps_moment(const double *x, const double *p, int64_t n, bool variance, lm_err *err);
/* The t statistic and p-value of the same test as lm_test_t. */
lm_steps *lm_steps_ttest(const double *x, int64_t nx, const double *y, int64_t ny, double mu, bool paired,
                         bool equal_var, lm_alt alt, lm_err *err);
/* The chi-squared statistic of an r×c table (independence) or, with r == 1,
 * of counts against p (goodness of fit; p may be NULL). */
lm_steps *lm_steps_chisq(const double *table, int64_t r, int64_t c, const double *p, bool correct, lm_err *err);
/* One step of a Markov chain: the row π' = π T. */
lm_steps *lm_steps_markov(const lm_markov *m, const double *pi, lm_err *err);

#endif
