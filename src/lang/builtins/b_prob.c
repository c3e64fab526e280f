/* Probability and descriptive-statistics builtins: the distribution
 * constructors (Normal(0, 1), Beta(a = 3, b = 5), ...), pdf/cdf/quantile with
 * a vectorized path, moments and entropy, sample, P(event), and var, std,
 * median, mode, quantile, cov, corr, zscore, histograms, summary and autocorr
 * on data. Thin wrappers over include/lemma/prob.h. */
#include "lang/lang_int.h"
#include "lemma/prob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static lm_value type_error_dist(lm_call *c, lm_value v) {
    return lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a distribution such as Normal(0, 1), not %s",
                        c->fname, lm_kind_a((lm_kind)v.kind));
}

/* The `upper` option (default false): which tail cdf and quantile measure. */
static bool opt_upper(lm_call *c, bool *upper, lm_value *err) {
    *upper = false;
    return lm_opt_bool(c, "upper", upper, err);
}


/* The elements of a numeric value in column-major (Octave) order, as a fresh
 * array the caller frees; *n receives the count. */
static double *arg_values(lm_call *c, int i, const char *what, int64_t *n, lm_value *err) {
    lm_tensor *t = lm_arg_real(c, c->args[i], what, err);
    if (!t) return NULL;
    double *v = lm_alloc_big((size_t)t->size * sizeof(double) + 1);
    if (!v) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
        return NULL;
    }
    int64_t rows = lm_tensor_rows(t), cols = lm_tensor_cols(t);
    if (t->ndim <= 2) {
        for (int64_t j = 0, k = 0; j < cols; j++)
            for (int64_t r = 0; r < rows; r++) v[k++] = lm_tensor_get2(t, r, j);
    } else {
        lm_tensor_gather(t, v);
    }
    *n = t->size;
    lm_tensor_release(t);
    return v;
}

static lm_value tensor_result(lm_tensor *t, lm_err *err) {
    return t ? lm_narrow(lm_tensor_value(t)) : lm_error_from(err);
}

/* ---- constructors ---- */

/* Defaults where a family has a standard form: Normal() is N(0, 1). */
static bool param_default(lm_dist_family fam, int i, double *out) {
    switch (fam) {
    case LM_DIST_NORMAL:
    case LM_DIST_LOGNORMAL: *out = i == 0 ? 0 : 1; return true;
    case LM_DIST_UNIFORM: *out = i == 0 ? 0 : 1; return true;
    case LM_DIST_GAMMA: if (i == 1) { *out = 1; return true; } return false;
    case LM_DIST_EXPONENTIAL: *out = 1; return true;
    default: return false;
    }
}

/* Parameter i of a constructor call: positional, else named, else the default. */
static bool ctor_param(lm_call *c, const lm_dist_ops *ops, int i, const char *sig, lm_value *out, lm_value *err) {
    lm_value named = lm_call_named(c, ops->param_ascii[i]);
    if (i < c->nargs) {
        if (!lm_is_nil(named)) {
            *err = lm_error_new(LM_ERR_TYPE, "%s: the parameter %s is given twice (by position and by name)", c->fname,
                                ops->param_ascii[i]);
            return false;
        }
        *out = c->args[i];
        return true;
    }
    if (lm_is_nil(named)) {
        *err = lm_error_new(LM_ERR_TYPE, "%s needs the parameter %s: %s", c->fname, ops->param_ascii[i], sig);
        return false;
    }
    *out = named;
    return true;
}

static bool scalar_param(lm_call *c, const char *name, lm_value v, double *out, lm_value *err) {
    if (v.kind == LM_TENSOR && lm_tensor_of(v)->size != 1) {
        char s[64];
        lm_tensor_shape_str(lm_tensor_of(v), s);
        *err = lm_error_new(LM_ERR_TYPE, "%s: the parameter %s must be one number, not a %s matrix", c->fname, name, s);
        return false;
    }
    if (lm_as_double(v, out)) return true;
    if (v.kind == LM_EXPR)
        *err = lm_error_new(LM_ERR_TYPE,
                            "%s: the parameter %s must be a number, not an expression with unknowns (is a variable "
                            "unset?)",
                            c->fname, name);
    else *err = lm_error_new(LM_ERR_TYPE, "%s: the parameter %s must be a real number, not %s", c->fname, name,
                             lm_kind_a((lm_kind)v.kind));
    return false;
}

static const char *ctor_signature(lm_dist_family f) {
    switch (f) {
    case LM_DIST_NORMAL: return "Normal(mu = 0, sigma = 1)";
    case LM_DIST_STUDENT_T: return "StudentT(df)";
    case LM_DIST_CHISQ: return "ChiSquared(df)";
    case LM_DIST_FDIST: return "FDist(d1, d2)";
    case LM_DIST_BETA: return "Beta(a, b)";
    case LM_DIST_GAMMA: return "Gamma(shape, rate = 1)";
    case LM_DIST_EXPONENTIAL: return "Exponential(rate = 1)";
    case LM_DIST_UNIFORM: return "Uniform(a = 0, b = 1)";
    case LM_DIST_LOGNORMAL: return "LogNormal(mu = 0, sigma = 1)";
    case LM_DIST_BERNOULLI: return "Bernoulli(p)";
    case LM_DIST_BINOMIAL: return "Binomial(n, p)";
    case LM_DIST_POISSON: return "Poisson(lambda)";
    case LM_DIST_GEOMETRIC: return "Geometric(p)";
    case LM_DIST_CATEGORICAL: return "Categorical(p)";
    case LM_DIST_MVNORMAL: return "MultivariateNormal(mu, Sigma)";
    default: return "Dirichlet(alpha)";
    }
}

static lm_value b_dist(lm_call *c) {
    int f = lm_dist_family_find(c->fname);
    if (f < 0) return lm_error_new(LM_ERR_INTERNAL, "%s is not a distribution family", c->fname);
    lm_dist_family fam = (lm_dist_family)f;
    lm_value err = lm_nil();
    lm_err e = LM_ERR_INIT;
    const char *sig = ctor_signature(fam);
    static const char *const vec_names[][2] = {{"p", NULL}, {"mu", "Sigma"}, {"alpha", NULL}};
    lm_dist *d = NULL;
    if (fam == LM_DIST_CATEGORICAL || fam == LM_DIST_MVNORMAL || fam == LM_DIST_DIRICHLET) {
        int which = fam == LM_DIST_CATEGORICAL ? 0 : fam == LM_DIST_MVNORMAL ? 1 : 2;
        int np = which == 1 ? 2 : 1;
        lm_value pv[2];
        for (int i = 0; i < np; i++) {
            lm_value named = lm_call_named(c, vec_names[which][i]);
            if (i < c->nargs) pv[i] = c->args[i];
            else if (!lm_is_nil(named)) pv[i] = named;
            else return lm_error_new(LM_ERR_TYPE, "%s needs the parameter %s: %s", c->fname, vec_names[which][i], sig);
        }
        int64_t n = 0;
        lm_call sub = *c;
        sub.args = pv;
        sub.nargs = np;
        double *v = arg_values(&sub, 0, vec_names[which][0], &n, &err);
        if (!v) return err;
        if (which == 0) d = lm_dist_categorical(v, n, &e);
        else if (which == 2) d = lm_dist_dirichlet(v, n, &e);
        else {
            lm_tensor *S = lm_arg_real(&sub, sub.args[1], "the covariance Sigma", &err);
            if (!S) {
                lm_free(v);
                return err;
            }
            if (S->ndim != 2 || S->shape[0] != n || S->shape[1] != n) {
                char s[64];
                lm_tensor_shape_str(S, s);
                lm_tensor_release(S);
                lm_free(v);
                return lm_error_new(LM_ERR_SHAPE,
                                    "MultivariateNormal: the mean mu has %lld entries, so Sigma must be %lld×%lld, "
                                    "not %s",
                                    (long long)n, (long long)n, (long long)n, s);
            }
            if (n > 4096) { /* before the n×n copy: the engine's limit, said early */
                lm_tensor_release(S);
                lm_free(v);
                return lm_error_new(LM_ERR_LIMIT, "MultivariateNormal: dimension %lld is past the limit of 4096",
                                    (long long)n);
            }
            double *m = lm_alloc((size_t)(n * n) * sizeof(double) + 1);
            for (int64_t i = 0; i < n; i++)
                for (int64_t j = 0; j < n; j++) m[i * n + j] = lm_tensor_get2(S, i, j);
            lm_tensor_release(S);
            d = lm_dist_mvnormal(v, m, n, &e);
            lm_free(m);
        }
        lm_free(v);
        return d ? lm_dist_value(d) : lm_error_from(&e);
    }
    const lm_dist_ops *ops = lm_dist_family_ops(fam);
    if (c->nargs > ops->nparams)
        return lm_error_new(LM_ERR_TYPE, "%s takes %d parameter%s: %s", c->fname, ops->nparams,
                            ops->nparams == 1 ? "" : "s", sig);
    double p[3];
    for (int i = 0; i < ops->nparams; i++) {
        lm_value v;
        if (i >= c->nargs && lm_is_nil(lm_call_named(c, ops->param_ascii[i])) && param_default(fam, i, &p[i])) continue;
        if (!ctor_param(c, ops, i, sig, &v, &err)) return err;
        if (!scalar_param(c, ops->param_ascii[i], v, &p[i], &err)) return err;
    }
    d = lm_dist_new(fam, p, ops->nparams, &e);
    return d ? lm_dist_value(d) : lm_error_from(&e);
}

/* ---- pdf, cdf, quantile ---- */

static lm_value eval_dist(lm_call *c, lm_dist_fn fn) {
    if (c->args[0].kind != LM_DIST) return type_error_dist(c, c->args[0]);
    lm_dist *d = lm_dist_of(c->args[0]);
    lm_value err;
    bool upper = false;
    if ((fn == LM_DF_CDF || fn == LM_DF_QUANTILE) && !opt_upper(c, &upper, &err)) return err;
    /* a plain number takes the scalar path: no tensor is made */
    if (c->args[1].kind == LM_NUM && !lm_dist_is_multivariate(d)) {
        double x = c->args[1].u.num;
        switch (fn) {
        case LM_DF_PDF: return lm_num(lm_dist_pdf(d, x));
        case LM_DF_LOGPDF: return lm_num(lm_dist_logpdf(d, x));
        case LM_DF_CDF: return lm_num(lm_dist_cdf(d, x, upper));
        default:
            if (!(x >= 0 && x <= 1))
                return lm_error_new(LM_ERR_DOMAIN, "quantile: the probability must be between 0 and 1, not %g", x);
            return lm_num(lm_dist_quantile(d, x, upper));
        }
    }
    lm_tensor *x = lm_arg_real(c, c->args[1], fn == LM_DF_QUANTILE ? "the probabilities" : "the points", &err);
    if (!x) return err;
    lm_err e = LM_ERR_INIT;
    lm_tensor *r = lm_dist_map(d, fn, x, upper, &e);
    lm_tensor_release(x);
    return tensor_result(r, &e);
}

static lm_value b_pdf(lm_call *c) { return eval_dist(c, LM_DF_PDF); }
static lm_value b_logpdf(lm_call *c) { return eval_dist(c, LM_DF_LOGPDF); }
static lm_value b_cdf(lm_call *c) { return eval_dist(c, LM_DF_CDF); }

/* quantile(v, p) on data: R's type 7, down the columns of a matrix; a vector of
 * probabilities gives one row per probability. */
static lm_value data_quantile(lm_call *c) {
    lm_value err;
    lm_tensor *x = lm_arg_real(c, c->args[0], "the data", &err);
    if (!x) return err;
    int64_t np = 0;
    double *p = arg_values(c, 1, "the probabilities", &np, &err);
    if (!p) {
        lm_tensor_release(x);
        return err;
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *out = NULL;
    bool vector = x->ndim <= 2 && (lm_tensor_rows(x) == 1 || lm_tensor_cols(x) == 1);
    int64_t cols = vector ? 1 : lm_tensor_cols(x);
    for (int64_t k = 0; k < np; k++) {
        lm_tensor *row = lm_stat_columns(LM_ST_QUANTILE, x, 0, p[k], &e);
        if (!row) break;
        if (!out) out = lm_tensor_matrix(np, cols, &e);
        if (out)
            for (int64_t j = 0; j < cols; j++) out->data[k * cols + j] = row->data[j];
        lm_tensor_release(row);
        if (!out) break;
    }
    if (np == 0) out = lm_tensor_matrix(0, cols, &e);
    if (e.kind != LM_OK) {
        lm_tensor_release(out);
        out = NULL;
    }
    lm_free(p);
    lm_tensor_release(x);
    return tensor_result(out, &e);
}

static lm_value b_quantile(lm_call *c) {
    if (c->args[0].kind == LM_DIST) return eval_dist(c, LM_DF_QUANTILE);
    return data_quantile(c);
}

/* ---- moments and entropy ---- */

/* The divisor of var/std/cov: n − 1, or n with population = true or Octave's
 * second argument 1 (var(v, 1)). */
static bool opt_ddof(lm_call *c, int pos, int *ddof, lm_value *err) {
    bool pop = false;
    *ddof = 1;
    if (c->nargs > pos) {
        double w;
        if (!lm_arg_double(c, pos, "the normalization (0: divide by n-1, 1: by n)", &w, err)) return false;
        if (w != 0 && w != 1) {
            *err = lm_error_new(LM_ERR_DOMAIN, "%s: the normalization must be 0 (divide by n-1) or 1 (divide by n), not %g",
                                c->fname, w);
            return false;
        }
        pop = w == 1;
    }
    if (!lm_opt_bool(c, "population", &pop, err)) return false;
    *ddof = pop ? 0 : 1;
    return true;
}

/* The data statistics by column (a vector along its length); an explicit dim
 * argument picks columns (1) or rows (2), as in Octave. */
static lm_value column_stat(lm_call *c, lm_statop op, int ddof, int dim_pos) {
    lm_value err;
    lm_tensor *x = lm_arg_real(c, c->args[0], "the data", &err);
    if (!x) return err;
    lm_err e = LM_ERR_INIT;
    if (x->ndim == 2 && x->shape[0] == 0 && x->shape[1] == 0) {
        lm_tensor_release(x);
        return lm_num(NAN);
    }
    int64_t dim = 0;
    if (dim_pos >= 0 && c->nargs > dim_pos) {
        if (!lm_arg_int(c, dim_pos, "the dimension", 1, &dim, &err)) {
            lm_tensor_release(x);
            return err;
        }
        if (dim > 2 || x->ndim > 2) {
            lm_tensor_release(x);
            return lm_error_new(LM_ERR_DOMAIN, "%s: the dimension must be 1 (columns) or 2 (rows) of a matrix",
                                c->fname);
        }
    }
    lm_tensor *m = x;
    if (dim == 2) {
        m = lm_tensor_transpose(x);
        lm_tensor_release(x);
    }
    lm_tensor *r;
    if (dim != 0 && lm_tensor_rows(m) == 1) {
        /* columns of one value each: that value, with no spread */
        int64_t cols = lm_tensor_cols(m);
        r = lm_tensor_matrix(1, cols, &e);
        for (int64_t j = 0; r && j < cols; j++) {
            double v = lm_tensor_get2(m, 0, j);
            r->data[j] = op == LM_ST_VAR || op == LM_ST_STD ? (isnan(v) ? NAN : 0) : v;
        }
    } else {
        r = lm_stat_columns(op, m, ddof, 0.5, &e);
    }
    lm_tensor_release(m);
    if (r && dim == 2) { /* one result per row, as a column */
        lm_tensor *rt = lm_tensor_transpose(r);
        lm_tensor_release(r);
        r = lm_tensor_copy(rt, &e);
        lm_tensor_release(rt);
    }
    return tensor_result(r, &e);
}

static lm_value dist_moment(lm_call *c, bool want_std) {
    lm_dist *d = lm_dist_of(c->args[0]);
    lm_err e = LM_ERR_INIT;
    lm_tensor *v = lm_dist_var_tensor(d, &e);
    if (!v) return lm_error_from(&e);
    if (!want_std) return lm_narrow(lm_tensor_value(v));
    /* std of a vector distribution: the standard deviation of each component */
    int64_t k = lm_tensor_rows(v);
    lm_tensor *s = lm_tensor_matrix(k, 1, &e);
    if (s)
        for (int64_t i = 0; i < k; i++) s->data[i] = sqrt(lm_tensor_get2(v, i, i));
    lm_tensor_release(v);
    return tensor_result(s, &e);
}

static lm_value b_var(lm_call *c) {
    if (c->args[0].kind == LM_DIST) return dist_moment(c, false);
    int ddof;
    lm_value err;
    if (!opt_ddof(c, 1, &ddof, &err)) return err;
    return column_stat(c, LM_ST_VAR, ddof, 2);
}

static lm_value b_std(lm_call *c) {
    if (c->args[0].kind == LM_DIST) return dist_moment(c, true);
    int ddof;
    lm_value err;
    if (!opt_ddof(c, 1, &ddof, &err)) return err;
    return column_stat(c, LM_ST_STD, ddof, 2);
}

static lm_value b_median(lm_call *c) {
    if (c->args[0].kind == LM_DIST) {
        lm_dist *d = lm_dist_of(c->args[0]);
        if (lm_dist_is_multivariate(d))
            return lm_error_new(LM_ERR_TYPE, "median: %s is a distribution of vectors, which has no median",
                                lm_dist_name(d));
        return lm_num(lm_dist_quantile(d, 0.5, false));
    }
    return column_stat(c, LM_ST_MEDIAN, 1, 1);
}

static lm_value b_mode(lm_call *c) {
    if (c->args[0].kind == LM_DIST)
        return lm_error_new(LM_ERR_TYPE,
                            "mode: give data (mode([1 2 2 3])); for a distribution, the mode is where pdf is largest");
    return column_stat(c, LM_ST_MODE, 1, 1);
}

static lm_value b_entropy(lm_call *c) {
    lm_value err;
    double base = 2;
    if (!lm_opt_double(c, "base", &base, &err)) return err;
    if (!(base > 0) || base == 1 || !isfinite(base))
        return lm_error_new(LM_ERR_DOMAIN, "entropy: the base must be positive and not 1 (2 for bits, e for nats), not %g",
                            base);
    if (c->args[0].kind == LM_DIST) return lm_num_info(lm_dist_entropy(lm_dist_of(c->args[0]), base), base);
    /* a probability vector: the entropy of the categorical distribution it is */
    bool normalize = false;
    if (!lm_opt_bool(c, "normalize", &normalize, &err)) return err;
    int64_t n = 0;
    double *p = arg_values(c, 0, "the probabilities", &n, &err);
    if (!p) return err;
    if (normalize) { /* counts or weights: divide by their total first */
        double total = 0;
        for (int64_t k = 0; k < n; k++) total += p[k];
        if (total > 0 && isfinite(total))
            for (int64_t k = 0; k < n; k++) p[k] /= total;
    }
    lm_err e = LM_ERR_INIT;
    lm_dist *d = lm_dist_categorical(p, n, &e);
    lm_free(p);
    if (!d) { /* say it in entropy's words, not Categorical's */
        const char *m = e.msg ? e.msg : "";
        if (!strncmp(m, "Categorical: ", 13)) m += 13;
        lm_value r = lm_error_new(e.kind, "entropy: %s", m);
        lm_err_clear(&e);
        return r;
    }
    double h = lm_dist_entropy(d, base);
    lm_dist_release(d);
    return lm_num_info(h, base);
}

static lm_value b_sample(lm_call *c) {
    if (c->args[0].kind != LM_DIST) return type_error_dist(c, c->args[0]);
    lm_dist *d = lm_dist_of(c->args[0]);
    int64_t n = 1;
    lm_value err;
    if (c->nargs > 1 && !lm_arg_int(c, 1, "the number of draws", 0, &n, &err)) return err;
    if (n > LM_MAX_ELEMS / (d->dim > 0 ? d->dim : 1))
        return lm_error_new(LM_ERR_LIMIT, "sample: %lld draws is past the limit of %lld values", (long long)n,
                            (long long)LM_MAX_ELEMS);
    lm_err e = LM_ERR_INIT;
    if (c->nargs == 1 && !lm_dist_is_multivariate(d)) {
        if (!lm_dist_can_sample(d, &e)) return lm_error_from(&e);
        return lm_num(lm_dist_sample1(d, &c->ctx->rng));
    }
    lm_tensor *t = lm_dist_sample(d, &c->ctx->rng, n, &e);
    return tensor_result(t, &e);
}

static lm_value b_P(lm_call *c) {
    lm_value v = c->args[0];
    if (lm_is_event(v)) return lm_num(lm_prob_event_p(v));
    if (v.kind == LM_DIST)
        return lm_error_new(LM_ERR_TYPE, "P needs an event such as P(X < 1.96), not the distribution itself");
    return lm_error_new(LM_ERR_TYPE,
                        "P needs an event built by comparing a distribution with a number, such as P(X < 1.96) or "
                        "P(-1 < X <= 1), not %s",
                        lm_kind_a((lm_kind)v.kind));
}

/* ---- two-variable statistics ---- */

/* The columns of a matrix as separate arrays (column-major copy), n rows. */
static double *columns_of(const lm_tensor *t, int64_t *rows, int64_t *cols) {
    int64_t r = lm_tensor_rows(t), k = lm_tensor_cols(t);
    if (r == 1 || k == 1) { /* a vector is one column */
        r = t->size;
        k = 1;
    }
    double *v = lm_alloc_big((size_t)(r * k) * sizeof(double) + 1);
    if (!v) return NULL;
    if (k == 1) lm_tensor_gather(t, v);
    else
        for (int64_t j = 0; j < k; j++)
            for (int64_t i = 0; i < r; i++) v[j * r + i] = lm_tensor_get2(t, i, j);
    *rows = r;
    *cols = k;
    return v;
}

static lm_value cov_corr(lm_call *c, bool corr) {
    lm_value err;
    int ddof = 1;
    if (!corr) {
        bool pop = false;
        if (!lm_opt_bool(c, "population", &pop, &err)) return err;
        ddof = pop ? 0 : 1;
    }
    lm_tensor *x = lm_arg_real(c, c->args[0], "the data", &err);
    if (!x) return err;
    if (x->ndim > 2) {
        lm_tensor_release(x);
        return lm_error_new(LM_ERR_SHAPE, "%s works on vectors and matrices", c->fname);
    }
    int64_t n, k;
    double *cx = columns_of(x, &n, &k);
    lm_tensor_release(x);
    if (!cx) return lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
    if (c->nargs > 1) {
        lm_tensor *y = lm_arg_real(c, c->args[1], "the second data vector", &err);
        if (!y) {
            lm_free(cx);
            return err;
        }
        int64_t ny, ky;
        double *cy = columns_of(y, &ny, &ky);
        lm_tensor_release(y);
        if (!cy || k != 1 || ky != 1 || ny != n) {
            lm_free(cx);
            lm_free(cy);
            return lm_error_new(LM_ERR_SHAPE, "%s(x, y) needs two vectors of the same length (here %lld and %lld values)",
                                c->fname, (long long)(n * k), (long long)(ny * ky));
        }
        double r = corr ? lm_stat_corr(cx, cy, n) : lm_stat_cov(cx, cy, n, ddof);
        lm_free(cx);
        lm_free(cy);
        return lm_num(r);
    }
    if (k == 1) { /* one vector: its variance, or a correlation of 1 */
        double r = corr ? (n > 1 && lm_stat_var(cx, n, 1) > 0 ? 1.0 : NAN) : lm_stat_var(cx, n, ddof);
        lm_free(cx);
        return lm_num(r);
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *m = lm_tensor_matrix(k, k, &e);
    if (m) {
        for (int64_t i = 0; i < k; i++)
            for (int64_t j = 0; j <= i; j++) {
                double r = corr ? (i == j ? 1.0 : lm_stat_corr(cx + i * n, cx + j * n, n))
                                : lm_stat_cov(cx + i * n, cx + j * n, n, ddof);
                if (corr && i == j && !(lm_stat_var(cx + i * n, n, 1) > 0)) r = NAN;
                m->data[i * k + j] = m->data[j * k + i] = r;
            }
    }
    lm_free(cx);
    return tensor_result(m, &e);
}

static lm_value b_cov(lm_call *c) { return cov_corr(c, false); }
static lm_value b_corr(lm_call *c) { return cov_corr(c, true); }

/* (x − mean) / std down each column; a column with std 0 gives zeros (Octave). */
static lm_value b_zscore(lm_call *c) {
    lm_value err;
    lm_tensor *x = lm_arg_real(c, c->args[0], "the data", &err);
    if (!x) return err;
    lm_err e = LM_ERR_INIT;
    lm_tensor *out = x->ndim == 2 ? lm_tensor_copy(x, &e) : NULL;
    if (x->ndim != 2 && !out) lm_err_set(&e, LM_ERR_SHAPE, "zscore works on vectors and matrices");
    lm_tensor_release(x);
    if (!out) return lm_error_from(&e);
    int64_t rows = out->shape[0], cols = out->shape[1];
    bool vector = rows == 1 || cols == 1;
    int64_t nc = vector ? 1 : cols, len = vector ? out->size : rows;
    double *buf = lm_alloc((size_t)len * sizeof(double) + 1);
    for (int64_t j = 0; j < nc; j++) {
        for (int64_t i = 0; i < len; i++) buf[i] = vector ? out->data[i] : out->data[i * cols + j];
        double m = lm_stat_mean(buf, len), s = sqrt(lm_stat_var(buf, len, 1));
        for (int64_t i = 0; i < len; i++) {
            double z = s > 0 ? (buf[i] - m) / s : buf[i] - m;
            if (vector) out->data[i] = z;
            else out->data[i * cols + j] = z;
        }
    }
    lm_free(buf);
    return lm_narrow(lm_tensor_value(out));
}

/* Counts per bin: edges[k] <= x < edges[k+1], the last bin closed on the right
 * when `last_closed` (histogram), or a final bin of x == edges[end] (histc). */
static void count_bins(const double *x, int64_t n, const double *edges, int64_t ne, bool histc, double *counts) {
    int64_t nb = histc ? ne : ne - 1;
    for (int64_t k = 0; k < nb; k++) counts[k] = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = x[i];
        if (isnan(v) || v < edges[0] || v > edges[ne - 1]) continue;
        if (v == edges[ne - 1]) {
            counts[histc ? ne - 1 : ne - 2]++;
            continue;
        }
        int64_t lo = 0, hi = ne - 1; /* last k with edges[k] <= v */
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (edges[mid] <= v) lo = mid;
            else hi = mid;
        }
        counts[lo]++;
    }
}

static bool check_edges(lm_call *c, const double *edges, int64_t ne, lm_value *err) {
    if (ne < 2) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: the bin edges need at least 2 values", c->fname);
        return false;
    }
    for (int64_t k = 0; k < ne; k++)
        if (!isfinite(edges[k]) || (k && !(edges[k] > edges[k - 1]))) {
            *err = lm_error_new(LM_ERR_DOMAIN, "%s: the bin edges must be finite and increasing (edge %lld is %g)",
                                c->fname, (long long)(k + 1), edges[k]);
            return false;
        }
    return true;
}

static lm_value b_histc(lm_call *c) {
    lm_value err;
    int64_t n, ne;
    double *x = arg_values(c, 0, "the data", &n, &err);
    if (!x) return err;
    double *edges = arg_values(c, 1, "the bin edges", &ne, &err);
    if (!edges) {
        lm_free(x);
        return err;
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *out = NULL;
    if (check_edges(c, edges, ne, &err)) {
        out = lm_tensor_matrix(ne, 1, &e);
        if (out) count_bins(x, n, edges, ne, true, out->data);
    }
    lm_free(x);
    lm_free(edges);
    if (!out && e.kind == LM_OK) return err;
    return tensor_result(out, &e);
}

/* histogram(v, nbins = 10) or histogram(v, edges): counts per bin, and the edges
 * as a second result; equal-width bins span min(v)..max(v), the last one closed. */
static lm_value b_histogram(lm_call *c) {
    lm_value err;
    int64_t n, ne = 0;
    double *x = arg_values(c, 0, "the data", &n, &err);
    if (!x) return err;
    double *edges = NULL;
    int64_t nbins = 10;
    bool given_edges = false;
    if (c->nargs > 1 && c->args[1].kind == LM_TENSOR && lm_tensor_of(c->args[1])->size > 1) {
        edges = arg_values(c, 1, "the bin edges", &ne, &err);
        if (!edges) {
            lm_free(x);
            return err;
        }
        given_edges = true;
        if (!check_edges(c, edges, ne, &err)) {
            lm_free(x);
            lm_free(edges);
            return err;
        }
    } else if (c->nargs > 1) {
        if (!lm_arg_int(c, 1, "the number of bins", 1, &nbins, &err)) {
            lm_free(x);
            return err;
        }
        if (nbins > 1000000) {
            lm_free(x);
            return lm_error_new(LM_ERR_LIMIT, "histogram: %lld bins is past the limit of 1000000", (long long)nbins);
        }
    }
    if (!given_edges) {
        double lo = INFINITY, hi = -INFINITY;
        for (int64_t i = 0; i < n; i++)
            if (isfinite(x[i])) {
                lo = fmin(lo, x[i]);
                hi = fmax(hi, x[i]);
            }
        if (lo > hi) lo = 0, hi = 1;   /* no finite data: an empty histogram on [0, 1] */
        if (lo == hi) lo -= 0.5, hi += 0.5; /* one distinct value: a unit-wide range around it */
        ne = nbins + 1;
        edges = lm_alloc((size_t)ne * sizeof(double));
        for (int64_t k = 0; k < ne; k++) edges[k] = k == nbins ? hi : lo + (hi - lo) * (double)k / (double)nbins;
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *counts = lm_tensor_matrix(ne - 1, 1, &e);
    if (counts) count_bins(x, n, edges, ne, false, counts->data);
    if (counts && c->nout > 1) {
        lm_tensor *et = lm_tensor_matrix(ne, 1, &e);
        if (et) {
            memcpy(et->data, edges, (size_t)ne * sizeof(double));
            c->extra[1] = lm_tensor_value(et);
        }
    }
    lm_free(x);
    lm_free(edges);
    return tensor_result(counts, &e);
}

/* Five numbers per column: minimum, first quartile, median, third quartile,
 * maximum (quartiles by R's type 7, as R's summary()). */
static lm_value b_summary(lm_call *c) {
    lm_value err;
    lm_tensor *x = lm_arg_real(c, c->args[0], "the data", &err);
    if (!x) return err;
    static const double ps[5] = {0, 0.25, 0.5, 0.75, 1};
    lm_err e = LM_ERR_INIT;
    bool vector = x->ndim <= 2 && (lm_tensor_rows(x) == 1 || lm_tensor_cols(x) == 1);
    int64_t cols = vector ? 1 : lm_tensor_cols(x);
    lm_tensor *out = x->size ? lm_tensor_matrix(5, cols, &e) : NULL;
    if (!x->size) lm_err_set(&e, LM_ERR_DOMAIN, "summary: the data are empty");
    for (int k = 0; out && k < 5; k++) {
        lm_tensor *row = lm_stat_columns(LM_ST_QUANTILE, x, 0, ps[k], &e);
        if (!row) {
            lm_tensor_release(out);
            out = NULL;
            break;
        }
        for (int64_t j = 0; j < cols; j++) out->data[k * cols + j] = row->data[j];
        lm_tensor_release(row);
    }
    lm_tensor_release(x);
    return tensor_result(out, &e);
}

static lm_value b_autocorr(lm_call *c) {
    lm_value err;
    int64_t n, nl = 1;
    double *x = arg_values(c, 0, "the data", &n, &err);
    if (!x) return err;
    double one = 1, *lags = &one;
    if (c->nargs > 1) {
        lags = arg_values(c, 1, "the lag", &nl, &err);
        if (!lags) {
            lm_free(x);
            return err;
        }
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *out = lm_tensor_matrix(nl, 1, &e);
    for (int64_t k = 0; out && k < nl; k++) {
        double L = lags[k];
        if (L != floor(L) || L < 0 || L >= (double)n) {
            lm_tensor_release(out);
            out = NULL;
            lm_err_set(&e, LM_ERR_DOMAIN, "autocorr: the lag must be a whole number from 0 to %lld (one less than the "
                       "number of values), not %g", (long long)(n - 1), L);
            break;
        }
        out->data[k] = lm_stat_autocorr(x, n, (int64_t)L);
    }
    lm_free(x);
    if (lags != &one) lm_free(lags);
    return tensor_result(out, &e);
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
#define D(name, np, sig, help, ex) B(name, b_dist, 0, np, 1, sig, help, ex)

const lm_builtin lm_builtins_prob[] = {
    D("Bernoulli", 1, "Bernoulli(p)", "one trial that succeeds (1) with probability p, else 0", "pdf(Bernoulli(0.3), 1)"),
    D("Beta", 2, "Beta(a, b)", "the Beta distribution on [0, 1], density ∝ x^(a-1) (1-x)^(b-1)", "var(Beta(3, 5))"),
    D("Binomial", 2, "Binomial(n, p)", "successes in n independent trials of probability p", "pdf(Binomial(10, 0.5), 5)"),
    D("Categorical", 1, "Categorical(p)", "one of 1..k with probabilities p (a vector summing to 1)",
      "sample(Categorical([0.2 0.3 0.5]), 5)"),
    D("ChiSquared", 1, "ChiSquared(df)", "the chi-squared distribution: a sum of df squared standard normals",
      "quantile(ChiSquared(1), 0.95)"),
    D("Dirichlet", 1, "Dirichlet(alpha)", "random probability vectors; the conjugate prior of a Categorical",
      "entropy(Dirichlet([1 1 1]))"),
    D("Exponential", 1, "Exponential(rate = 1)", "waiting time of a Poisson process with this rate",
      "cdf(Exponential(2), 1)"),
    D("FDist", 2, "FDist(d1, d2)", "Fisher's F: a ratio of two scaled chi-squared variables (ANOVA)",
      "cdf(FDist(3, 20), 3.1, upper = true)"),
    D("Gamma", 2, "Gamma(shape, rate = 1)", "the Gamma distribution, density ∝ x^(shape-1) e^(-rate x)",
      "var(Gamma(2, 3))"),
    D("Geometric", 1, "Geometric(p)", "the number of trials up to and including the first success",
      "cdf(Geometric(0.25), 4)"),
    D("LogNormal", 2, "LogNormal(mu = 0, sigma = 1)", "X whose logarithm is Normal(mu, sigma)",
      "median(LogNormal(0, 1))"),
    D("MultivariateNormal", 2, "MultivariateNormal(mu, Sigma)",
      "the normal distribution of vectors with mean mu and covariance Sigma",
      "pdf(MultivariateNormal([0 0], [1 0.5; 0.5 1]), [0 0])"),
    D("Normal", 2, "Normal(mu = 0, sigma = 1)", "the normal (Gaussian) distribution: mean mu, standard deviation sigma",
      "cdf(Normal(0, 1), 1.96)"),
    B("P", b_P, 1, 1, 1, "P(event)", "the probability of an event such as X < 1.96 or -1 < X <= 1",
      "X = Normal(0, 1); P(-1 < X <= 1)"),
    D("Poisson", 1, "Poisson(lambda)", "counts of rare events with mean lambda", "pdf(Poisson(3), 2)"),
    D("StudentT", 1, "StudentT(df)", "Student's t distribution with df degrees of freedom",
      "quantile(StudentT(10), 0.975)"),
    D("Uniform", 2, "Uniform(a = 0, b = 1)", "every point of [a, b] equally likely", "cdf(Uniform(0, 4), 1)"),
    B("autocorr", b_autocorr, 1, 2, 1, "autocorr(v, lag = 1)",
      "autocorrelation of a series at a lag (as R's acf); a vector of lags gives a column",
      "autocorr([1 3 2 4 3 5], 1)"),
    B("cdf", b_cdf, 2, 2, 1, "cdf(D, x, upper = false)",
      "P(X <= x), or P(X > x) with upper = true (computed directly: tiny tails keep their digits)",
      "cdf(Normal(0, 1), 1.96)"),
    B("corr", b_corr, 1, 2, 1, "corr(x, y) or corr(A)", "Pearson correlation of two vectors, or of the columns of A",
      "corr([1 2 3 4], [2 4 5 9])"),
    B("cov", b_cov, 1, 2, 1, "cov(x, y) or cov(A), population = false",
      "sample covariance (divisor n-1; n with population = true) of two vectors, or the matrix of A's columns",
      "cov([1 2 3 4], [2 4 5 9])"),
    B("entropy", b_entropy, 1, 1, 1, "entropy(D or p, base = 2)",
      "entropy in bits (base = e: nats) of a distribution (differential for continuous ones) or a probability vector",
      "entropy([0.5 0.5])"),
    B("histc", b_histc, 2, 2, 1, "histc(v, edges)",
      "counts with edges(k) <= v < edges(k+1); the last count is of values equal to edges(end)",
      "histc([1 2 2 3 5], [1 2 3 4 5])"),
    B("histogram", b_histogram, 1, 2, 2, "histogram(v, nbins = 10) or histogram(v, edges); [counts, edges] = histogram(...)",
      "counts in equal-width bins from min to max (the last bin includes its right edge)",
      "histogram([1 2 2 3 3 3 4], 3)"),
    B("logpdf", b_logpdf, 2, 2, 1, "logpdf(D, x)", "the logarithm of the density (or pmf), accurate where pdf underflows",
      "logpdf(Normal(0, 1), 40)"),
    B("median", b_median, 1, 2, 1, "median(v), median(A, dim) or median(D)",
      "the middle value (of each column of a matrix), or a distribution's median", "median([3 1 4 1 5])"),
    B("mode", b_mode, 1, 2, 1, "mode(v) or mode(A, dim)", "the most frequent value (the smallest among ties)",
      "mode([1 2 2 3 3])"),
    B("pdf", b_pdf, 2, 2, 1, "pdf(D, x)",
      "the density of D at x (the probability P(X = x) for a discrete D); x may be a matrix of points",
      "pdf(Normal(0, 1), 0)"),
    B("pmf", b_pdf, 2, 2, 1, "pmf(D, x)", "P(X = x) for a discrete distribution (the same as pdf)",
      "pmf(Binomial(4, 0.5), 2)"),
    B("quantile", b_quantile, 2, 2, 1, "quantile(D, p, upper = false) or quantile(v, p)",
      "the x with P(X <= x) = p (P(X > x) = p with upper = true), or the p-quantile of data (R's type 7)",
      "quantile(Normal(0, 1), 0.975)"),
    B("sample", b_sample, 1, 2, 1, "sample(D, n = 1)",
      "n random draws as a column (one draw per row for vector distributions); seed(k) repeats them",
      "seed(1); sample(Normal(0, 1), 3)"),
    B("std", b_std, 1, 3, 1, "std(v), std(v, 1), std(A, 0, dim), population = false, or std(D)",
      "standard deviation (divisor n-1; n with population = true or std(v, 1)), or a distribution's",
      "std([2 4 4 4 5 5 7 9])"),
    B("summary", b_summary, 1, 1, 1, "summary(v)",
      "five numbers: minimum, first quartile, median, third quartile, maximum (of each column)",
      "summary([1 2 3 4 5 6 7 8 9 10])"),
    B("var", b_var, 1, 3, 1, "var(v), var(v, 1), var(A, 0, dim), population = false, or var(D)",
      "variance (divisor n-1; n with population = true or var(v, 1)), or a distribution's (a covariance matrix for a "
      "vector distribution)",
      "var([2 4 4 4 5 5 7 9])"),
    B("zscore", b_zscore, 1, 1, 1, "zscore(v)", "(v - mean) / std, down each column", "zscore([1 2 3 4 5])"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
