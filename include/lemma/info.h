/* lemma information theory: entropy, cross-entropy, KL and Jensen-Shannon
 * divergences, joint and conditional entropy and mutual information of
 * discrete distributions given as probability vectors or joint tables, the
 * plug-in mutual information of paired samples, and KL between distribution
 * values (closed forms, quadrature otherwise). Usable from C.
 *
 * Units: every function takes the logarithm's base: 2 gives bits (the
 * language's default), e (M_E) nats, 10 hartleys. Terms with p = 0 contribute
 * 0 (the limit of p·log p). */
#ifndef LEMMA_INFO_H
#define LEMMA_INFO_H

#include "lemma/core.h"
#include "lemma/ctx.h"

/* Probabilities must be finite and >= 0 and sum to 1 within this (absolute). */
#define LM_INFO_SUM_TOL 1e-9

/* Checks a probability vector p (n values) for `what` ("p", "the joint table"):
 * every value finite and >= 0 and the sum within LM_INFO_SUM_TOL of 1, or with
 * normalize, a positive finite sum; out (n values, may be p) receives the
 * normalized values. A `domain` error names the offending entry (1-based) or
 * the sum and suggests normalize = true. */
lm_status lm_info_check(const char *what, const double *p, int64_t n, bool normalize, double *out, lm_err *err);
/* A valid base: positive, finite, not 1; a `domain` error otherwise. */
lm_status lm_info_check_base(double base, lm_err *err);

/* H(p) = -sum p log p. */
double lm_info_entropy(const double *p, int64_t n, double base);
/* H(p, q) = -sum p log q: inf where q_i = 0 < p_i. */
double lm_info_crossentropy(const double *p, const double *q, int64_t n, double base);
/* D(p || q) = sum p log(p/q) >= 0: inf where q_i = 0 < p_i (*first_inf, may be
 * NULL, receives that i, 0-based, or -1). */
double lm_info_kl(const double *p, const double *q, int64_t n, double base, int64_t *first_inf);
/* JS(p, q) = D(p || m)/2 + D(q || m)/2 with m = (p + q)/2: symmetric, finite,
 * at most 1 bit. (SciPy's jensenshannon is its square root.) */
double lm_info_js(const double *p, const double *q, int64_t n, double base);

/* Quantities of a joint table J (rows: values of X, columns: values of Y;
 * row-major, rows×cols, already checked): the marginal entropies, the joint
 * entropy, both conditional entropies and the mutual information. */
typedef struct lm_info_joint {
    double hx, hy;       /* H(X), H(Y) */
    double hxy;          /* H(X, Y) */
    double hy_given_x;   /* H(Y | X) = H(X, Y) - H(X) */
    double hx_given_y;   /* H(X | Y) */
    double mi;           /* I(X; Y) = sum J log(J / (px py)) >= 0 */
} lm_info_joint;
void lm_info_joint_table(const double *J, int64_t rows, int64_t cols, double base, lm_info_joint *out);

/* The plug-in estimate of I(X; Y) from n paired samples: the empirical joint
 * distribution of the distinct values (compared exactly), then the table's
 * mutual information. A `limit` error only when memory runs out. */
lm_status lm_info_mi_samples(const double *x, const double *y, int64_t n, double base, double *out, lm_err *err);

/* ---- distribution values (needs prob.h) ---- */
struct lm_dist;
/* D(P || Q) in units of base. Closed forms: Normal, Exponential, Gamma, Beta,
 * Uniform, LogNormal, Poisson, Bernoulli, Binomial (same n), Geometric,
 * Categorical (same size), MultivariateNormal (same dimension). Other
 * univariate pairs: the integral (continuous, GSL QAGS over P's support) or the
 * sum (discrete) of p·log(p/q). Infinite when P puts mass where Q has none.
 * *method (may be NULL) receives "closed form", "quadrature" or "sum". A
 * `domain` error when P and Q mix discrete and continuous or dimensions,
 * `convergence` when the quadrature fails. */
lm_status lm_info_kl_dist(const struct lm_dist *P, const struct lm_dist *Q, double base, double *out,
                          const char **method, lm_err *err);

#endif
