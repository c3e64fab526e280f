/* Distributions as values: the object type (free, text, JSON), the checked
 * constructors, the generic entry points that dispatch through each family's
 * ops table, the vectorized map and the sampler loop, and the bridge that
 * lets GSL's samplers draw from the session's reproducible lm_rng. */
#include "prob/dist_int.h"

#include <math.h>
#include <string.h>

/* ---- the GSL bridge ---------------------------------------------------- */

/* GSL samplers take a gsl_rng; this type makes one whose state pointer is the
 * session's lm_rng, so seed(42) drives GSL's algorithms too and no second
 * generator (with its own global seed) exists. */
static void gsl_bridge_set(void *state, unsigned long seed) {
    (void)state;
    (void)seed;
}
static unsigned long gsl_bridge_get(void *state) { return (unsigned long)(lm_rng_u64((lm_rng *)state) >> 32); }
static double gsl_bridge_get_double(void *state) { return lm_rng_uniform((lm_rng *)state); }

static const gsl_rng_type gsl_bridge_type = {
    "lemma-xoshiro256**", 0xffffffffUL, 0, sizeof(lm_rng), gsl_bridge_set, gsl_bridge_get, gsl_bridge_get_double,
};

void lm_gsl_rng_wrap(gsl_rng *g, lm_rng *rng) {
    g->type = &gsl_bridge_type;
    g->state = rng;
}

/* ---- Rmath's messages ---------------------------------------------------- */

/* Standalone Rmath reports "full precision may not have been achieved" and
 * non-convergence with printf; the value it returns already says what can be
 * said (NaN, or its best approximation), and lemma's stdout is for results. */
int lm_rmath_printf_chk(int flag, const char *fmt, ...) {
    (void)flag;
    (void)fmt;
    return 0;
}
int lm_rmath_fprintf_chk(FILE *f, int flag, const char *fmt, ...) {
    (void)f;
    (void)flag;
    (void)fmt;
    return 0;
}
int lm_rmath_printf(const char *fmt, ...) {
    (void)fmt;
    return 0;
}
int lm_rmath_fprintf(FILE *f, const char *fmt, ...) {
    (void)f;
    (void)fmt;
    return 0;
}

/* ---- the object -------------------------------------------------------- */

static const lm_dist_ops *const family_ops[LM_DIST__COUNT] = {
#define X(e, name, np, disc) &lm_dist_ops_##e,
    LM_DIST_LIST(X)
#undef X
};

static void dist_free(lm_obj *o) {
    lm_dist *d = (lm_dist *)o;
    lm_free(d->vec);
    lm_free(d->mat);
    lm_free(d->chol);
    lm_free(d->cum);
    lm_free(d);
}

static void fmt_num(char out[40], double x, int digits) {
    if (digits <= 0) lm_fmt_double_shortest(out, x);
    else lm_fmt_double_sig(out, x, digits);
}

/* [a, b, c] */
static void text_vector(lm_buf *out, const double *v, int64_t n, int digits) {
    char num[40];
    lm_buf_putc(out, '[');
    for (int64_t i = 0; i < n; i++) {
        fmt_num(num, v[i], digits);
        lm_buf_printf(out, "%s%s", i ? ", " : "", num);
    }
    lm_buf_putc(out, ']');
}

/* [a, b; c, d] */
static void text_matrix(lm_buf *out, const double *m, int64_t n, int digits) {
    char num[40];
    lm_buf_putc(out, '[');
    for (int64_t i = 0; i < n; i++) {
        if (i) lm_buf_puts(out, "; ");
        for (int64_t j = 0; j < n; j++) {
            fmt_num(num, m[i * n + j], digits);
            lm_buf_printf(out, "%s%s", j ? ", " : "", num);
        }
    }
    lm_buf_putc(out, ']');
}

static void text_support(const lm_dist *d, lm_buf *out, int digits) {
    double lo, hi;
    char a[40], b[40];
    lm_dist_support(d, &lo, &hi);
    switch (d->ops->family) {
    case LM_DIST_BERNOULLI: lm_buf_puts(out, "{0, 1}"); return;
    case LM_DIST_BINOMIAL:
        fmt_num(b, hi, 0);
        if (hi <= 2) lm_buf_puts(out, hi == 0 ? "{0}" : hi == 1 ? "{0, 1}" : "{0, 1, 2}");
        else lm_buf_printf(out, "{0, 1, ..., %s}", b);
        return;
    case LM_DIST_POISSON: lm_buf_puts(out, "{0, 1, 2, ...}"); return;
    case LM_DIST_GEOMETRIC: lm_buf_puts(out, "{1, 2, 3, ...}"); return;
    case LM_DIST_CATEGORICAL:
        if (d->dim <= 3) lm_buf_puts(out, d->dim == 1 ? "{1}" : d->dim == 2 ? "{1, 2}" : "{1, 2, 3}");
        else lm_buf_printf(out, "{1, 2, ..., %lld}", (long long)d->dim);
        return;
    case LM_DIST_MVNORMAL: lm_buf_printf(out, "R^%lld", (long long)d->dim); return;
    case LM_DIST_DIRICHLET:
        lm_buf_printf(out, "the simplex of %lld probabilities", (long long)d->dim);
        return;
    default: break;
    }
    /* continuous: closed at a finite end, except where the density needs x > 0 */
    bool open_lo = !isfinite(lo) || d->ops->family == LM_DIST_LOGNORMAL;
    fmt_num(a, lo, digits);
    fmt_num(b, hi, digits);
    lm_buf_printf(out, "%c%s, %s%c", open_lo ? '(' : '[', a, b, isfinite(hi) ? ']' : ')');
}

void lm_dist_text(const lm_dist *d, lm_buf *out, int digits, bool unicode) {
    const lm_dist_ops *ops = d->ops;
    const char *const *names = unicode ? ops->param_unicode : ops->param_ascii;
    char num[40];
    lm_buf_printf(out, "%s(", ops->name);
    switch (ops->family) {
    case LM_DIST_CATEGORICAL:
        lm_buf_printf(out, "%s = ", names[0]);
        text_vector(out, d->vec, d->dim, digits);
        break;
    case LM_DIST_DIRICHLET:
        lm_buf_printf(out, "%s = ", names[0]);
        text_vector(out, d->vec, d->dim, digits);
        break;
    case LM_DIST_MVNORMAL:
        lm_buf_printf(out, "%s = ", names[0]);
        text_vector(out, d->vec, d->dim, digits);
        lm_buf_printf(out, ", %s = ", names[1]);
        text_matrix(out, d->mat, d->dim, digits);
        break;
    default:
        for (int i = 0; i < ops->nparams; i++) {
            fmt_num(num, d->p[i], digits);
            lm_buf_printf(out, "%s%s = %s", i ? ", " : "", names[i], num);
        }
        break;
    }
    lm_buf_puts(out, unicode ? ") on " : "), support ");
    text_support(d, out, digits);
}

static void obj_text(const lm_obj *o, lm_buf *out, int digits) { lm_dist_text((const lm_dist *)o, out, digits, true); }

static void json_num(lm_buf *out, double x) {
    char num[32];
    lm_fmt_double_shortest(num, x);
    if (isfinite(x)) lm_buf_puts(out, num);
    else lm_buf_printf(out, "\"%s\"", num);
}

static void json_vector(lm_buf *out, const double *v, int64_t n) {
    lm_buf_putc(out, '[');
    for (int64_t i = 0; i < n; i++) {
        if (i) lm_buf_putc(out, ',');
        json_num(out, v[i]);
    }
    lm_buf_putc(out, ']');
}

static void json_matrix(lm_buf *out, const double *m, int64_t n) {
    lm_buf_putc(out, '[');
    for (int64_t i = 0; i < n; i++) {
        if (i) lm_buf_putc(out, ',');
        json_vector(out, m + i * n, n);
    }
    lm_buf_putc(out, ']');
}

/* JSON-escape text that can only hold printable ASCII and UTF-8 (our own). */
static void json_text(lm_buf *out, const char *s) {
    lm_buf_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') lm_buf_putc(out, '\\');
        lm_buf_putc(out, *s);
    }
    lm_buf_putc(out, '"');
}

static void obj_json(const lm_obj *o, lm_buf *out) {
    const lm_dist *d = (const lm_dist *)o;
    const lm_dist_ops *ops = d->ops;
    lm_buf_printf(out, "\"type\":\"distribution\",\"name\":\"%s\",\"params\":{", ops->name);
    switch (ops->family) {
    case LM_DIST_CATEGORICAL:
    case LM_DIST_DIRICHLET:
        lm_buf_printf(out, "\"%s\":", ops->param_ascii[0]);
        json_vector(out, d->vec, d->dim);
        break;
    case LM_DIST_MVNORMAL:
        lm_buf_printf(out, "\"%s\":", ops->param_ascii[0]);
        json_vector(out, d->vec, d->dim);
        lm_buf_printf(out, ",\"%s\":", ops->param_ascii[1]);
        json_matrix(out, d->mat, d->dim);
        break;
    default:
        for (int i = 0; i < ops->nparams; i++) {
            lm_buf_printf(out, "%s\"%s\":", i ? "," : "", ops->param_ascii[i]);
            json_num(out, d->p[i]);
        }
        break;
    }
    lm_buf_puts(out, "},\"discrete\":");
    lm_buf_puts(out, ops->discrete ? "true" : "false");
    if (lm_dist_is_multivariate(d)) {
        lm_err err = LM_ERR_INIT;
        lm_tensor *m = lm_dist_mean_tensor(d, &err);
        lm_tensor *v = m ? lm_dist_var_tensor(d, &err) : NULL;
        lm_buf_puts(out, ",\"mean\":");
        if (m) json_vector(out, m->data, m->size);
        else lm_buf_puts(out, "null");
        lm_buf_puts(out, ",\"var\":");
        if (v) json_matrix(out, v->data, d->dim);
        else lm_buf_puts(out, "null");
        lm_tensor_release(m);
        lm_tensor_release(v);
        lm_err_clear(&err);
    } else {
        double lo, hi;
        lm_dist_support(d, &lo, &hi);
        lm_buf_puts(out, ",\"mean\":");
        json_num(out, lm_dist_mean(d));
        lm_buf_puts(out, ",\"var\":");
        json_num(out, lm_dist_var(d));
        lm_buf_puts(out, ",\"support\":[");
        json_num(out, lo);
        lm_buf_putc(out, ',');
        json_num(out, hi);
        lm_buf_putc(out, ']');
    }
    lm_buf t = LM_BUF_INIT;
    lm_dist_text(d, &t, 0, true);
    lm_buf_puts(out, ",\"text\":");
    json_text(out, lm_buf_cstr(&t));
    lm_buf_free(&t);
}

const lm_objtype lm_dist_objtype = {"distribution", dist_free, obj_text, obj_json};

lm_dist *lm_dist_alloc(const lm_dist_ops *ops) {
    lm_dist *d = lm_calloc(1, sizeof *d);
    lm_obj_init(&d->hdr, LM_DIST, &lm_dist_objtype);
    d->ops = ops;
    d->dim = 1;
    return d;
}

int lm_dist_family_find(const char *name) {
    for (int f = 0; f < LM_DIST__COUNT; f++)
        if (!strcmp(family_ops[f]->name, name)) return f;
    return -1;
}

const lm_dist_ops *lm_dist_family_ops(lm_dist_family f) {
    return (int)f >= 0 && f < LM_DIST__COUNT ? family_ops[f] : NULL;
}

/* ---- checked constructors ------------------------------------------------ */

/* Parameter checks, one per rule; each names the family, the parameter and why. */
static bool need_finite(const lm_dist_ops *ops, int i, double x, lm_err *err) {
    if (isfinite(x)) return true;
    lm_err_set(err, LM_ERR_DOMAIN, "%s: the parameter %s must be a finite number, not %g", ops->name,
               ops->param_ascii[i], x);
    return false;
}

static bool need_positive(const lm_dist_ops *ops, int i, double x, const char *what, lm_err *err) {
    if (x > 0 && isfinite(x)) return true;
    lm_err_set(err, LM_ERR_DOMAIN, "%s: %s%s%s must be positive (and finite), not %g", ops->name, what ? what : "",
               what ? " " : "the parameter ", ops->param_ascii[i], x);
    return false;
}

static bool need_prob(const lm_dist_ops *ops, int i, double x, bool allow_zero, lm_err *err) {
    if ((allow_zero ? x >= 0 : x > 0) && x <= 1) return true;
    lm_err_set(err, LM_ERR_DOMAIN, "%s: the probability %s must be %s, not %g", ops->name, ops->param_ascii[i],
               allow_zero ? "between 0 and 1" : "in (0, 1] (a success must be possible)", x);
    return false;
}

static bool check_params(lm_dist_family fam, const double *p, lm_err *err) {
    const lm_dist_ops *ops = family_ops[fam];
    switch (fam) {
    case LM_DIST_NORMAL:
    case LM_DIST_LOGNORMAL:
        return need_finite(ops, 0, p[0], err) && need_positive(ops, 1, p[1], "the standard deviation", err);
    case LM_DIST_STUDENT_T:
    case LM_DIST_CHISQ: return need_positive(ops, 0, p[0], "the degrees of freedom", err);
    case LM_DIST_FDIST:
        return need_positive(ops, 0, p[0], "the degrees of freedom", err) &&
               need_positive(ops, 1, p[1], "the degrees of freedom", err);
    case LM_DIST_BETA: return need_positive(ops, 0, p[0], "the shape", err) && need_positive(ops, 1, p[1], "the shape", err);
    case LM_DIST_GAMMA: return need_positive(ops, 0, p[0], "the shape", err) && need_positive(ops, 1, p[1], "the rate", err);
    case LM_DIST_EXPONENTIAL: return need_positive(ops, 0, p[0], "the rate", err);
    case LM_DIST_UNIFORM:
        if (!need_finite(ops, 0, p[0], err) || !need_finite(ops, 1, p[1], err)) return false;
        if (p[0] < p[1]) return true;
        lm_err_set(err, LM_ERR_DOMAIN, "Uniform: the lower end a = %g must be below the upper end b = %g", p[0], p[1]);
        return false;
    case LM_DIST_BERNOULLI: return need_prob(ops, 0, p[0], true, err);
    case LM_DIST_BINOMIAL:
        if (!(p[0] >= 0) || p[0] != floor(p[0]) || !isfinite(p[0])) {
            lm_err_set(err, LM_ERR_DOMAIN, "Binomial: the number of trials n must be a whole number >= 0, not %g", p[0]);
            return false;
        }
        if (p[0] > 9007199254740992.0) {
            lm_err_set(err, LM_ERR_DOMAIN, "Binomial: the number of trials n = %g is too large (at most 2^53)", p[0]);
            return false;
        }
        return need_prob(ops, 1, p[1], true, err);
    case LM_DIST_POISSON:
        if (p[0] >= 0 && isfinite(p[0])) return true;
        lm_err_set(err, LM_ERR_DOMAIN, "Poisson: the rate lambda must be >= 0 (and finite), not %g", p[0]);
        return false;
    case LM_DIST_GEOMETRIC: return need_prob(ops, 0, p[0], false, err);
    default:
        lm_err_set(err, LM_ERR_INTERNAL, "%s has no scalar constructor", ops->name);
        return false;
    }
}

lm_dist *lm_dist_new(lm_dist_family fam, const double *params, int nparams, lm_err *err) {
    if ((int)fam < 0 || fam >= LM_DIST__COUNT || family_ops[fam]->nparams == 0) {
        lm_err_set(err, LM_ERR_INTERNAL, "lm_dist_new: not a family with scalar parameters");
        return NULL;
    }
    const lm_dist_ops *ops = family_ops[fam];
    if (nparams != ops->nparams) {
        lm_err_set(err, LM_ERR_TYPE, "%s takes %d parameter%s, not %d", ops->name, ops->nparams,
                   ops->nparams == 1 ? "" : "s", nparams);
        return NULL;
    }
    if (!check_params(fam, params, err)) return NULL;
    lm_dist *d = lm_dist_alloc(ops);
    for (int i = 0; i < nparams; i++) d->p[i] = params[i] == 0 ? 0.0 : params[i]; /* no -0 */
    return d;
}

#define CTOR1(fn, FAM)                                                   \
    lm_dist *fn(double a, lm_err *err) {                                 \
        double p[1] = {a};                                               \
        return lm_dist_new(LM_DIST_##FAM, p, 1, err);                    \
    }
#define CTOR2(fn, FAM)                                                   \
    lm_dist *fn(double a, double b, lm_err *err) {                       \
        double p[2] = {a, b};                                            \
        return lm_dist_new(LM_DIST_##FAM, p, 2, err);                    \
    }
CTOR2(lm_dist_normal, NORMAL)
CTOR1(lm_dist_student_t, STUDENT_T)
CTOR1(lm_dist_chisq, CHISQ)
CTOR2(lm_dist_f, FDIST)
CTOR2(lm_dist_beta, BETA)
CTOR2(lm_dist_gamma, GAMMA)
CTOR1(lm_dist_exponential, EXPONENTIAL)
CTOR2(lm_dist_uniform, UNIFORM)
CTOR2(lm_dist_lognormal, LOGNORMAL)
CTOR1(lm_dist_bernoulli, BERNOULLI)
CTOR2(lm_dist_binomial, BINOMIAL)
CTOR1(lm_dist_poisson, POISSON)
CTOR1(lm_dist_geometric, GEOMETRIC)

/* ---- generic entry points ---------------------------------------------- */

void lm_dist_support(const lm_dist *d, double *lo, double *hi) { d->ops->support(d, lo, hi); }

double lm_dist_pdf(const lm_dist *d, double x) {
    if (!d->ops->pdf || isnan(x)) return NAN;
    return d->ops->pdf(d, x);
}

double lm_dist_logpdf(const lm_dist *d, double x) {
    if (!d->ops->logpdf || isnan(x)) return NAN;
    return d->ops->logpdf(d, x);
}

double lm_dist_cdf(const lm_dist *d, double x, bool upper) {
    if (!d->ops->cdf || isnan(x)) return NAN;
    return d->ops->cdf(d, x, upper);
}

double lm_dist_quantile(const lm_dist *d, double p, bool upper) {
    if (!d->ops->quantile || !(p >= 0 && p <= 1)) return NAN;
    return d->ops->quantile(d, p, upper);
}

double lm_dist_mean(const lm_dist *d) { return lm_dist_is_multivariate(d) ? NAN : d->ops->mean(d); }
double lm_dist_var(const lm_dist *d) { return lm_dist_is_multivariate(d) ? NAN : d->ops->var(d); }
double lm_dist_std(const lm_dist *d) { return sqrt(lm_dist_var(d)); }

double lm_dist_entropy(const lm_dist *d, double base) {
    if (!(base > 0) || base == 1 || !isfinite(base)) return NAN;
    double h = d->ops->entropy(d);
    return base == M_E ? h : h / log(base);
}

double lm_dist_sample1(const lm_dist *d, lm_rng *rng) {
    lm_err err = LM_ERR_INIT;
    if (!d->ops->sample || !lm_dist_can_sample(d, &err)) {
        lm_err_clear(&err);
        return NAN;
    }
    return d->ops->sample(d, rng);
}

double lm_dist_pdf_vec(const lm_dist *d, const double *x) {
    if (!d->ops->pdf_vec) return NAN;
    return d->ops->pdf_vec(d, x);
}

lm_tensor *lm_dist_mean_tensor(const lm_dist *d, lm_err *err) {
    if (!lm_dist_is_multivariate(d)) {
        int64_t shape[2] = {1, 1};
        return lm_tensor_fill(2, shape, lm_dist_mean(d), err);
    }
    lm_tensor *t = lm_tensor_matrix(d->dim, 1, err);
    if (!t) return NULL;
    if (d->ops->family == LM_DIST_MVNORMAL) {
        memcpy(t->data, d->vec, (size_t)d->dim * sizeof(double));
    } else { /* Dirichlet: alpha_i / alpha_0 */
        double a0 = 0;
        for (int64_t i = 0; i < d->dim; i++) a0 += d->vec[i];
        for (int64_t i = 0; i < d->dim; i++) t->data[i] = d->vec[i] / a0;
    }
    return t;
}

lm_tensor *lm_dist_var_tensor(const lm_dist *d, lm_err *err) {
    if (!lm_dist_is_multivariate(d)) {
        int64_t shape[2] = {1, 1};
        return lm_tensor_fill(2, shape, lm_dist_var(d), err);
    }
    int64_t k = d->dim;
    lm_tensor *t = lm_tensor_matrix(k, k, err);
    if (!t) return NULL;
    if (d->ops->family == LM_DIST_MVNORMAL) {
        memcpy(t->data, d->mat, (size_t)(k * k) * sizeof(double));
    } else { /* Dirichlet: (a_i δ_ij a0 - a_i a_j) / (a0² (a0 + 1)) */
        double a0 = 0;
        for (int64_t i = 0; i < k; i++) a0 += d->vec[i];
        double den = a0 * a0 * (a0 + 1);
        for (int64_t i = 0; i < k; i++)
            for (int64_t j = 0; j < k; j++)
                t->data[i * k + j] = ((i == j ? d->vec[i] * a0 : 0) - d->vec[i] * d->vec[j]) / den;
    }
    return t;
}

/* The elementwise kernels: one tight loop per function so the compiler keeps
 * the ops pointer in a register and the 10^6-point path stays near SciPy's. */
static void map_loop(const lm_dist *d, lm_dist_fn fn, const double *x, double *y, int64_t n, bool upper) {
    const lm_dist_ops *ops = d->ops;
    switch (fn) {
    case LM_DF_PDF:
        for (int64_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? NAN : ops->pdf(d, x[i]);
        break;
    case LM_DF_LOGPDF:
        for (int64_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? NAN : ops->logpdf(d, x[i]);
        break;
    case LM_DF_CDF:
        for (int64_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? NAN : ops->cdf(d, x[i], upper);
        break;
    case LM_DF_QUANTILE:
        for (int64_t i = 0; i < n; i++) y[i] = ops->quantile(d, x[i], upper);
        break;
    }
}

lm_tensor *lm_dist_map(const lm_dist *d, lm_dist_fn fn, const lm_tensor *x, bool upper, lm_err *err) {
    if (x->imag) {
        lm_err_set(err, LM_ERR_TYPE, "%s: the points must be real numbers, not complex", d->ops->name);
        return NULL;
    }
    if (lm_dist_is_multivariate(d)) {
        if (fn != LM_DF_PDF && fn != LM_DF_LOGPDF) {
            lm_err_set(err, LM_ERR_TYPE,
                       "%s is a distribution of vectors: it has a density (pdf) but no cdf or quantile here",
                       d->ops->name);
            return NULL;
        }
        /* one point per row; a single vector of any orientation is one point */
        int64_t k = d->dim, rows, cols = x->ndim >= 2 ? x->shape[1] : 1;
        bool one = x->ndim <= 2 && x->size == k && (x->shape[0] == 1 || cols == 1);
        if (!one && (x->ndim != 2 || cols != k)) {
            char s[64];
            lm_tensor_shape_str(x, s);
            lm_err_set(err, LM_ERR_SHAPE,
                       "%s has dimension %lld: give one point as a vector of %lld numbers, or one point per row "
                       "of an n×%lld matrix, not %s",
                       d->ops->name, (long long)k, (long long)k, (long long)k, s);
            return NULL;
        }
        rows = one ? 1 : x->shape[0];
        double *buf = lm_alloc_big((size_t)x->size * sizeof(double) + 1);
        if (!buf) {
            lm_err_set(err, LM_ERR_LIMIT, "out of memory for %lld points", (long long)rows);
            return NULL;
        }
        lm_tensor_gather(x, buf);
        lm_tensor *out = lm_tensor_matrix(rows, 1, err);
        if (out)
            for (int64_t r = 0; r < rows; r++) {
                double p = d->ops->pdf_vec(d, buf + r * k);
                out->data[r] = fn == LM_DF_LOGPDF ? log(p) : p;
            }
        lm_free(buf);
        return out;
    }
    if (fn == LM_DF_QUANTILE) {
        int64_t n = x->size;
        for (int64_t i = 0; i < n; i++) {
            double p = x->data[lm_tensor_offset(x, i)];
            if (!(p >= 0 && p <= 1)) {
                lm_err_set(err, LM_ERR_DOMAIN, "quantile: the probability must be between 0 and 1, not %g", p);
                return NULL;
            }
        }
    }
    lm_tensor *out = lm_tensor_new(x->ndim, x->shape, err);
    if (!out) return NULL;
    if (lm_tensor_is_contiguous(x)) {
        map_loop(d, fn, x->data, out->data, x->size, upper);
    } else {
        lm_tensor_gather(x, out->data);
        map_loop(d, fn, out->data, out->data, x->size, upper);
    }
    return out;
}

/* GSL's integer samplers return an unsigned int: past these sizes they would
 * overflow, so such draws are refused with the approximation to use instead. */
bool lm_dist_can_sample(const lm_dist *d, lm_err *err) {
    if (d->ops->family == LM_DIST_BINOMIAL && d->p[0] > 4294967295.0) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "sample: Binomial draws need n below 2^32 (n = %g); Normal(n*p, sqrt(n*p*(1-p))) is an excellent "
                   "approximation there",
                   d->p[0]);
        return false;
    }
    if (d->ops->family == LM_DIST_POISSON && d->p[0] > 1e9) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "sample: Poisson draws need lambda <= 1e9 (lambda = %g); Normal(lambda, sqrt(lambda)) is an "
                   "excellent approximation there",
                   d->p[0]);
        return false;
    }
    return true;
}

lm_tensor *lm_dist_sample(const lm_dist *d, lm_rng *rng, int64_t n, lm_err *err) {
    if (n < 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "sample: the number of draws must be >= 0, not %lld", (long long)n);
        return NULL;
    }
    if (lm_dist_is_multivariate(d)) {
        lm_tensor *t = lm_tensor_matrix(n, d->dim, err);
        if (!t) return NULL;
        for (int64_t i = 0; i < n; i++) d->ops->sample_vec(d, rng, t->data + i * d->dim);
        return t;
    }
    if (!lm_dist_can_sample(d, err)) return NULL;
    lm_tensor *t = lm_tensor_matrix(n, 1, err);
    if (!t) return NULL;
    for (int64_t i = 0; i < n; i++) t->data[i] = d->ops->sample(d, rng);
    return t;
}
