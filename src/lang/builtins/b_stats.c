/* Statistics builtins: hypothesis tests and intervals (ttest, ztest, chisq,
 * binomtest, proptest, anova, ci, ci_prop), linear regression (lm and its
 * accessors), Bayesian updating (bayes, posterior, credible, predictive,
 * gridpost), Markov chains and HMMs, Bayesian networks, and the explainers
 * behind steps(...). Each converts its arguments, calls the engine
 * (include/lemma/stats.h) and wraps the result; engine errors pass through. */
#include "lang/lang_int.h"
#include "lemma/stats.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- argument helpers ---- */


/* Value v as a matrix of reals, row-major (lm_free). lm_arg_real has already
 * refused anything with more than two dimensions. */
static double *mat_of(lm_call *c, lm_value v, const char *what, int64_t *r, int64_t *cols, lm_value *e) {
    lm_tensor *t = lm_arg_real(c, v, what, e);
    if (!t) return NULL;
    double *x = lm_alloc_big((size_t)(t->size ? t->size : 1) * sizeof *x);
    if (!x) {
        lm_tensor_release(t);
        *e = lm_error_new(LM_ERR_LIMIT, "%s: %s is too large", c->fname, what);
        return NULL;
    }
    lm_tensor_gather(t, x);
    *r = lm_tensor_rows(t);
    *cols = lm_tensor_cols(t);
    lm_tensor_release(t);
    return x;
}

/* Value v as a vector of reals, either orientation (or a scalar), copied into
 * a fresh array (lm_free; never NULL on success, even when empty). */
static double *vec_of(lm_call *c, lm_value v, const char *what, int64_t *n, lm_value *e) {
    int64_t r = 0, k = 0;
    double *x = mat_of(c, v, what, &r, &k, e);
    if (!x) return NULL;
    if (r > 1 && k > 1) {
        lm_free(x);
        *e = lm_error_new(LM_ERR_SHAPE, "%s: %s must be a vector (a row or a column), not a %lld×%lld matrix", c->fname,
                          what, (long long)r, (long long)k);
        return NULL;
    }
    *n = r * k;
    return x;
}

static bool arg_string(lm_call *c, int i, const char *what, const char **out, lm_value *e) {
    if (i < c->nargs && c->args[i].kind == LM_STRING) {
        *out = lm_string_data(c->args[i]);
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: %s must be a string in double quotes, not %s", c->fname, what,
                      i < c->nargs ? lm_kind_a(c->args[i].kind) : "missing");
    return false;
}

static bool opt_alt(lm_call *c, lm_alt *alt, lm_value *e) {
    *alt = LM_ALT_TWO_SIDED;
    lm_value v = lm_call_named(c, "alternative");
    if (lm_is_nil(v)) return true;
    if (v.kind == LM_STRING && lm_alt_parse(lm_string_data(v), alt)) return true;
    *e = lm_error_new(LM_ERR_DOMAIN, "%s: alternative must be \"two.sided\", \"less\" or \"greater\"", c->fname);
    return false;
}

static bool opt_conf(lm_call *c, double *conf, lm_value *e) {
    *conf = 0.95;
    return lm_opt_double(c, "conf", conf, e);
}

/* A column vector value from n doubles (a number when n == 1 and `narrow`). */
static lm_value column(const double *x, int64_t n, bool narrow) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(n, 1, &err);
    if (!t) return lm_error_from(&err);
    if (n) memcpy(t->data, x, (size_t)n * sizeof *x);
    lm_value v = lm_tensor_value(t);
    return narrow ? lm_narrow(v) : v;
}

static lm_value row(const double *x, int64_t n) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(1, n, &err);
    if (!t) return lm_error_from(&err);
    if (n) memcpy(t->data, x, (size_t)n * sizeof *x);
    return lm_tensor_value(t);
}

/* A test's value: the report first; [t, p, ci] = ... gives the p-value and
 * the interval (a column; [] for tests without one) too. */
static lm_value test_result(lm_call *c, lm_htest *h, lm_err *err) {
    if (!h) return lm_error_from(err);
    if (h->note) lm_warn(c->ctx, "%s: %s", c->fname, h->note);
    if (c->nout >= 2) c->extra[1] = lm_num(h->p_value);
    if (c->nout >= 3) c->extra[2] = h->has_ci ? column(h->ci, 2, false) : column(NULL, 0, false);
    return lm_htest_value(h);
}

/* ---- tests ---- */

static lm_value b_ttest(lm_call *c) {
    lm_value e = lm_nil();
    double mu = 0, conf;
    bool paired = false, equal_var = false;
    lm_alt alt;
    if (!lm_opt_double(c, "mu", &mu, &e) || !lm_opt_bool(c, "paired", &paired, &e) ||
        !lm_opt_bool(c, "equal_var", &equal_var, &e) || !opt_alt(c, &alt, &e) || !opt_conf(c, &conf, &e))
        return e;
    int64_t nx, ny = 0;
    double *x = vec_of(c, c->args[0], "x", &nx, &e), *y = NULL;
    if (!x) return e;
    if (c->nargs > 1 && !(y = vec_of(c, c->args[1], "y", &ny, &e))) {
        lm_free(x);
        return e;
    }
    if (c->nargs == 1 && (paired || equal_var)) {
        lm_free(x);
        return lm_error_new(LM_ERR_TYPE, "ttest: %s applies to two samples, as in ttest(x, y, %s = true)",
                            paired ? "paired" : "equal_var", paired ? "paired" : "equal_var");
    }
    lm_err err = LM_ERR_INIT;
    lm_htest *h = lm_test_t(x, nx, y, ny, mu, paired, equal_var, alt, conf, &err);
    lm_free(x);
    lm_free(y);
    return test_result(c, h, &err);
}

static lm_value b_ztest(lm_call *c) {
    lm_value e = lm_nil();
    double mu = 0, conf;
    lm_alt alt;
    if (!lm_opt_double(c, "mu", &mu, &e) || !opt_alt(c, &alt, &e) || !opt_conf(c, &conf, &e)) return e;
    lm_value sv = lm_call_named(c, "sigma");
    if (lm_is_nil(sv))
        return lm_error_new(LM_ERR_TYPE,
                            "ztest: a z test needs the known population standard deviation: ztest(x, sigma = 2) "
                            "(with sigma unknown, use ttest)");
    int64_t ns;
    double *sig = vec_of(c, sv, "sigma", &ns, &e);
    if (!sig) return e;
    int64_t nx, ny = 0;
    double *x = NULL, *y = NULL;
    lm_value r;
    if (ns < 1 || ns > 2 || (ns == 2 && c->nargs < 2)) {
        r = lm_error_new(LM_ERR_SHAPE, "ztest: sigma is one number (the same for both samples) or [sigma_x sigma_y]");
        goto out;
    }
    if (!(x = vec_of(c, c->args[0], "x", &nx, &e)) || (c->nargs > 1 && !(y = vec_of(c, c->args[1], "y", &ny, &e)))) {
        r = e;
        goto out;
    }
    lm_err err = LM_ERR_INIT;
    r = test_result(c, lm_test_z(x, nx, y, ny, mu, sig[0], ns == 2 ? sig[1] : sig[0], alt, conf, &err), &err);
out:
    lm_free(sig);
    lm_free(x);
    lm_free(y);
    return r;
}

static lm_value b_chisq(lm_call *c) {
    lm_value e = lm_nil();
    bool correct = true;
    if (!lm_opt_bool(c, "correct", &correct, &e)) return e;
    int64_t r, k;
    double *x = mat_of(c, c->args[0], "the table", &r, &k, &e);
    if (!x) return e;
    lm_value pv = lm_call_named(c, "p");
    lm_err err = LM_ERR_INIT;
    lm_value res;
    if (r == 1 || k == 1) {
        double *p = NULL;
        int64_t np = 0;
        if (!lm_is_nil(pv)) {
            if (!(p = vec_of(c, pv, "p", &np, &e))) {
                lm_free(x);
                return e;
            }
            if (np != r * k) {
                lm_free(x);
                lm_free(p);
                return lm_error_new(LM_ERR_SHAPE, "chisq: p has %lld probabilities but there are %lld counts", (long long)np,
                                    (long long)(r * k));
            }
        }
        res = test_result(c, lm_test_chisq_gof(x, r * k, p, &err), &err);
        lm_free(p);
    } else {
        if (!lm_is_nil(pv)) {
            lm_free(x);
            return lm_error_new(LM_ERR_TYPE,
                                "chisq: p = ... is for a goodness-of-fit test on a vector of counts; a matrix is "
                                "tested for independence of its rows and columns");
        }
        res = test_result(c, lm_test_chisq_indep(x, r, k, correct, &err), &err);
    }
    lm_free(x);
    return res;
}

static lm_value b_binomtest(lm_call *c) {
    lm_value e = lm_nil();
    double k, n, p = 0.5, conf;
    lm_alt alt;
    if (!lm_arg_double(c, 0, "k, the number of successes,", &k, &e) || !lm_arg_double(c, 1, "n, the number of trials,", &n, &e))
        return e;
    if (c->nargs > 2 && !lm_arg_double(c, 2, "p", &p, &e)) return e;
    if (!lm_opt_double(c, "p", &p, &e) || !opt_alt(c, &alt, &e) || !opt_conf(c, &conf, &e)) return e;
    lm_err err = LM_ERR_INIT;
    return test_result(c, lm_test_binom(k, n, p, alt, conf, &err), &err);
}

static lm_value b_proptest(lm_call *c) {
    lm_value e = lm_nil();
    double conf;
    bool correct = true;
    lm_alt alt;
    if (!opt_alt(c, &alt, &e) || !opt_conf(c, &conf, &e) || !lm_opt_bool(c, "correct", &correct, &e)) return e;
    int64_t nk, nn, np = 0;
    double *k = vec_of(c, c->args[0], "k", &nk, &e), *n = NULL, *p = NULL;
    lm_value r;
    if (!k || !(n = vec_of(c, c->args[1], "n", &nn, &e))) {
        r = e;
        goto out;
    }
    lm_value pv = lm_call_named(c, "p");
    if (c->nargs > 2) {
        if (!lm_is_nil(pv)) {
            r = lm_error_new(LM_ERR_TYPE, "proptest: p is given twice, as the third argument and as p = ...");
            goto out;
        }
        pv = c->args[2];
    }
    if (!lm_is_nil(pv) && !(p = vec_of(c, pv, "p", &np, &e))) {
        r = e;
        goto out;
    }
    if (nk != nn || (p && np != nk)) {
        r = lm_error_new(LM_ERR_SHAPE, "proptest: k, n%s need one entry per group (k has %lld, n %lld%s)", p ? " and p" : "",
                         (long long)nk, (long long)nn, p ? (np != nk ? ", p another count" : "") : "");
        goto out;
    }
    lm_err err = LM_ERR_INIT;
    r = test_result(c, lm_test_prop(k, n, nk, p, alt, conf, correct, &err), &err);
out:
    lm_free(k);
    lm_free(n);
    lm_free(p);
    return r;
}

static lm_value b_anova(lm_call *c) {
    lm_value e = lm_nil();
    bool equal_var = true;
    if (!lm_opt_bool(c, "equal_var", &equal_var, &e)) return e;
    int64_t k = c->nargs;
    double **g = NULL, *m = NULL;
    int64_t *sz = NULL;
    lm_value r = lm_nil();
    if (k == 1) {
        /* one matrix: its columns are the groups */
        int64_t rows, cols;
        if (!(m = mat_of(c, c->args[0], "the groups", &rows, &cols, &e))) return e;
        if (rows == 1 || cols == 1) {
            lm_free(m);
            return lm_error_new(LM_ERR_TYPE,
                                "anova: give at least two groups, as in anova(g1, g2, g3), or one matrix whose columns "
                                "are the groups");
        }
        k = cols;
        g = lm_calloc((size_t)(k ? k : 1), sizeof *g);
        sz = lm_calloc((size_t)(k ? k : 1), sizeof *sz);
        for (int64_t j = 0; j < k; j++) {
            g[j] = lm_alloc((size_t)(rows ? rows : 1) * sizeof **g);
            for (int64_t i = 0; i < rows; i++) g[j][i] = m[i * cols + j];
            sz[j] = rows;
        }
    } else {
        g = lm_calloc((size_t)k, sizeof *g);
        sz = lm_calloc((size_t)k, sizeof *sz);
        for (int64_t i = 0; i < k; i++) {
            char what[64];
            snprintf(what, sizeof what, "group %lld", (long long)i + 1);
            if (!(g[i] = vec_of(c, c->args[i], what, &sz[i], &e))) {
                r = e;
                goto out;
            }
        }
    }
    lm_err err = LM_ERR_INIT;
    r = test_result(c, lm_test_anova((const double *const *)g, sz, k, equal_var, &err), &err);
out:
    for (int64_t i = 0; g && i < k; i++) lm_free(g[i]);
    lm_free(g);
    lm_free(sz);
    lm_free(m);
    return r;
}

static lm_value b_ci(lm_call *c) {
    lm_value e = lm_nil();
    double conf = 0.95;
    if (c->nargs > 1 && !lm_arg_double(c, 1, "conf", &conf, &e)) return e;
    if (!lm_opt_double(c, "conf", &conf, &e)) return e;
    int64_t n;
    double *x = vec_of(c, c->args[0], "the data", &n, &e);
    if (!x) return e;
    double out[2];
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_ci_mean(x, n, conf, out, &err);
    lm_free(x);
    return st ? lm_error_from(&err) : column(out, 2, false);
}

static lm_value b_ci_prop(lm_call *c) {
    lm_value e = lm_nil();
    double k, n, conf = 0.95;
    bool correct = false;
    if (!lm_arg_double(c, 0, "k, the number of successes,", &k, &e) || !lm_arg_double(c, 1, "n, the number of trials,", &n, &e))
        return e;
    if (c->nargs > 2 && !lm_arg_double(c, 2, "conf", &conf, &e)) return e;
    if (!lm_opt_double(c, "conf", &conf, &e) || !lm_opt_bool(c, "correct", &correct, &e)) return e;
    double out[2];
    lm_err err = LM_ERR_INIT;
    return lm_ci_prop(k, n, conf, correct, out, &err) ? lm_error_from(&err) : column(out, 2, false);
}

/* ---- regression ---- */

static lm_value b_lm(lm_call *c) {
    lm_value e = lm_nil();
    bool intercept = true;
    if (!lm_opt_bool(c, "intercept", &intercept, &e)) return e;
    lm_tensor *X = lm_arg_real(c, c->args[0], "X", &e);
    if (!X) return e;
    if (X->ndim > 2) {
        lm_tensor_release(X);
        return lm_error_new(LM_ERR_SHAPE, "lm: X must be a matrix with one column per predictor");
    }
    int64_t ny;
    double *y = vec_of(c, c->args[1], "y", &ny, &e);
    if (!y) {
        lm_tensor_release(X);
        return e;
    }
    int64_t rows = lm_tensor_rows(X), cols = lm_tensor_cols(X);
    bool vec = rows == 1 || cols == 1;
    int64_t n = vec ? X->size : rows, p = vec ? 1 : cols;
    lm_value r;
    if (n != ny) {
        r = lm_error_new(LM_ERR_SHAPE, "lm: X has %lld observations (rows) but y has %lld values", (long long)n, (long long)ny);
        goto out;
    }
    double *xc = lm_alloc_big((size_t)(n * p > 0 ? n * p : 1) * sizeof *xc);
    if (!xc) {
        r = lm_error_new(LM_ERR_LIMIT, "lm: X is too large");
        goto out;
    }
    if (vec) lm_tensor_gather(X, xc);
    else
        for (int64_t j = 0; j < p; j++)
            for (int64_t i = 0; i < n; i++) xc[j * n + i] = lm_tensor_get2(X, i, j);
    lm_err err = LM_ERR_INIT;
    lm_linreg *fit = lm_regress(xc, n, p, y, intercept, &err);
    lm_free(xc);
    if (!fit) {
        r = lm_error_from(&err);
        goto out;
    }
    /* R's test for an essentially perfect fit: residual variance below 1e-30
       of the fitted values' mean square */
    {
        long double fm = 0, fv = 0;
        for (int64_t i = 0; i < n; i++) fm += fit->fitted[i];
        fm /= n;
        for (int64_t i = 0; i < n; i++) fv += (fit->fitted[i] - fm) * (fit->fitted[i] - fm);
        fv /= n > 1 ? n - 1 : 1;
        if ((long double)fit->sigma * fit->sigma < (fm * fm + fv) * 1e-30L)
            lm_warn(c->ctx, "lm: the fit is essentially perfect (the residuals are 0 to rounding), so the standard "
                            "errors, t and p values say nothing");
    }
    if (c->nout >= 2) c->extra[1] = column(fit->coef, fit->k, false);
    r = lm_obj_value(&fit->hdr);
out:
    lm_tensor_release(X);
    lm_free(y);
    return r;
}

static bool arg_fit(lm_call *c, lm_linreg **fit, lm_value *e) {
    if (lm_is_linreg(c->args[0])) {
        *fit = (lm_linreg *)c->args[0].u.obj;
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a regression made by lm(X, y), not %s", c->fname,
                      lm_kind_a(c->args[0].kind));
    return false;
}

static lm_value b_coef(lm_call *c) {
    lm_linreg *f;
    lm_value e;
    return arg_fit(c, &f, &e) ? column(f->coef, f->k, false) : e;
}

static lm_value b_residuals(lm_call *c) {
    lm_linreg *f;
    lm_value e;
    return arg_fit(c, &f, &e) ? column(f->resid, f->n, false) : e;
}

static lm_value b_fitted(lm_call *c) {
    lm_linreg *f;
    lm_value e;
    return arg_fit(c, &f, &e) ? column(f->fitted, f->n, false) : e;
}

/* predict(fit, X) for a regression; the `predict` builtin (b_ad.c) serves
 * networks and hands regressions here. */
lm_value lm_regress_predict(lm_call *c) {
    lm_linreg *f;
    lm_value e;
    if (!arg_fit(c, &f, &e)) return e;
    if (c->nout > 1) return lm_error_new(LM_ERR_TYPE, "predict: a regression gives one result, the predictions");
    int64_t p = f->k - (f->intercept ? 1 : 0), r, k;
    double *x = mat_of(c, c->args[1], "the new X", &r, &k, &e);
    if (!x) return e;
    /* one row per new observation; with one predictor any vector is a list of x values */
    if (p == 1 && (r == 1 || k == 1)) {
        r = r * k;
        k = 1;
    }
    if (k != p) {
        lm_free(x);
        return lm_error_new(LM_ERR_SHAPE, "predict: the model has %lld predictor%s, so each new row needs %lld value%s, not %lld",
                            (long long)p, p == 1 ? "" : "s", (long long)p, p == 1 ? "" : "s", (long long)k);
    }
    double *y = lm_alloc((size_t)(r ? r : 1) * sizeof *y);
    for (int64_t i = 0; i < r; i++) {
        long double s = f->intercept ? f->coef[0] : 0;
        for (int64_t j = 0; j < p; j++) s += (long double)x[i * k + j] * f->coef[j + (f->intercept ? 1 : 0)];
        y[i] = (double)s;
    }
    lm_value v = column(y, r, true);
    lm_free(x);
    lm_free(y);
    return v;
}

/* ---- Bayesian inference ---- */

static lm_value b_bayes(lm_call *c) {
    lm_value e = lm_nil();
    double a, b, d, post;
    if (!lm_arg_double(c, 0, "the prior P(A)", &a, &e) || !lm_arg_double(c, 1, "P(B | A)", &b, &e) ||
        !lm_arg_double(c, 2, "P(B | not A)", &d, &e))
        return e;
    lm_err err = LM_ERR_INIT;
    return lm_bayes_rule(a, b, d, &post, NULL, &err) ? lm_error_from(&err) : lm_num(post);
}

static bool arg_dist(lm_call *c, int i, const char *what, lm_dist **d, lm_value *e) {
    if (i < c->nargs && lm_is_dist(c->args[i])) {
        *d = lm_dist_of(c->args[i]);
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: %s must be a distribution such as Beta(1, 1), not %s", c->fname, what,
                      i < c->nargs ? lm_kind_a(c->args[i].kind) : "missing");
    return false;
}

static bool arg_lik(lm_call *c, int i, lm_lik *lik, lm_value *e) {
    const char *s;
    if (!arg_string(c, i, "the likelihood", &s, e)) return false;
    if (lm_lik_parse(s, lik)) return true;
    *e = lm_error_new(LM_ERR_DOMAIN,
                      "%s: unknown likelihood \"%s\"; use \"binomial\", \"bernoulli\", \"normal\", \"poisson\", "
                      "\"exponential\" or \"categorical\"",
                      c->fname, s);
    return false;
}

static lm_value b_posterior(lm_call *c) {
    lm_value e = lm_nil();
    lm_dist *prior;
    lm_lik lik;
    if (!arg_dist(c, 0, "the prior", &prior, &e) || !arg_lik(c, 1, &lik, &e)) return e;
    double sigma = NAN;
    if (!lm_opt_double(c, "sigma", &sigma, &e)) return e;
    double *x = NULL, kn[2];
    int64_t n = 0;
    if (lik == LM_LIK_BINOMIAL) {
        if (c->nargs != 4)
            return lm_error_new(LM_ERR_TYPE, "posterior: binomial data are k successes in n trials: posterior(Beta(1, 1), \"binomial\", k, n)");
        if (!lm_arg_double(c, 2, "k", &kn[0], &e) || !lm_arg_double(c, 3, "n", &kn[1], &e)) return e;
        n = 2;
    } else {
        if (c->nargs != 3)
            return lm_error_new(LM_ERR_TYPE, "posterior: give the data as one vector: posterior(prior, \"%s\", data%s)",
                                lm_lik_name(lik), lik == LM_LIK_NORMAL ? ", sigma = s" : "");
        if (!(x = vec_of(c, c->args[2], "the data", &n, &e))) return e;
    }
    if (lik != LM_LIK_NORMAL && !isnan(sigma)) {
        lm_free(x);
        return lm_error_new(LM_ERR_TYPE, "posterior: sigma is only for a normal likelihood");
    }
    lm_err err = LM_ERR_INIT;
    lm_dist *d = lm_bayes_posterior(prior, lik, x ? x : kn, n, sigma, &err);
    lm_free(x);
    return d ? lm_dist_value(d) : lm_error_from(&err);
}

static lm_value b_credible(lm_call *c) {
    lm_value e = lm_nil();
    lm_dist *d;
    double conf = 0.95, out[2];
    if (!arg_dist(c, 0, "the posterior", &d, &e)) return e;
    if (c->nargs > 1 && !lm_arg_double(c, 1, "conf", &conf, &e)) return e;
    if (!lm_opt_double(c, "conf", &conf, &e)) return e;
    lm_err err = LM_ERR_INIT;
    return lm_bayes_credible(d, conf, out, &err) ? lm_error_from(&err) : column(out, 2, false);
}

static lm_value b_predictive(lm_call *c) {
    lm_value e = lm_nil();
    lm_dist *d;
    lm_lik lik;
    if (!arg_dist(c, 0, "the posterior", &d, &e) || !arg_lik(c, 1, &lik, &e)) return e;
    lm_err err = LM_ERR_INIT;
    if (lik == LM_LIK_NORMAL) {
        double sigma = NAN;
        if (!lm_opt_double(c, "sigma", &sigma, &e)) return e;
        if (c->nargs > 2 && !lm_arg_double(c, 2, "sigma", &sigma, &e)) return e;
        lm_dist *r = lm_bayes_predictive_normal(d, sigma, &err);
        return r ? lm_dist_value(r) : lm_error_from(&err);
    }
    double m = 0;
    if (lik == LM_LIK_BINOMIAL || lik == LM_LIK_POISSON) {
        if (c->nargs < 3)
            return lm_error_new(LM_ERR_TYPE, "predictive: give %s, as in predictive(post, \"%s\", 10)",
                                lik == LM_LIK_BINOMIAL ? "m, the number of new trials" : "kmax, the largest count to list",
                                lm_lik_name(lik));
        if (!lm_arg_double(c, 2, "m", &m, &e)) return e;
    }
    lm_tensor *t = lm_bayes_predictive(d, lik, m, &err);
    return t ? lm_narrow(lm_tensor_value(t)) : lm_error_from(&err);
}

/* A prior or likelihood for gridpost: a number, or an expression in θ. */
static bool grid_eval(lm_call *c, lm_value f, const char *what, const char *name, const double *grid, int64_t n,
                      double *out, lm_value *e) {
    double k;
    if (lm_as_double(f, &k)) {
        for (int64_t i = 0; i < n; i++) out[i] = k;
        return true;
    }
    if (f.kind != LM_EXPR) {
        *e = lm_error_new(LM_ERR_TYPE, "gridpost: the %s must be a number or an expression in %s, not %s", what, name,
                          lm_kind_a(f.kind));
        return false;
    }
    const char *names[1] = {name};
    for (int64_t i = 0; i < n; i++) {
        out[i] = lm_sym_eval(lm_expr_of(f), names, &grid[i], 1);
        if (isnan(out[i])) {
            lm_buf b = LM_BUF_INIT;
            lm_sym_print_text(lm_expr_of(f), &b);
            *e = lm_error_new(LM_ERR_DOMAIN,
                              "gridpost: the %s %s is not a real number at %s = %g (does it use names other than %s?)",
                              what, lm_buf_cstr(&b), name, grid[i], name);
            lm_buf_free(&b);
            return false;
        }
    }
    return true;
}

static lm_value b_gridpost(lm_call *c) {
    lm_value e = lm_nil();
    lm_value th = c->args[2];
    const char *name = NULL;
    if (th.kind == LM_EXPR && lm_expr_of(th)->op == LM_X_SYM) name = lm_expr_of(th)->u.name;
    else if (th.kind == LM_STRING) name = lm_string_data(th);
    if (!name)
        return lm_error_new(LM_ERR_TYPE,
                            "gridpost: the third argument names the parameter, an unbound name such as theta (clear it "
                            "if it holds a value)");
    int64_t n;
    double *grid = vec_of(c, c->args[3], "the grid", &n, &e);
    if (!grid) return e;
    double *pr = lm_alloc((size_t)(n ? n : 1) * sizeof *pr), *lk = lm_alloc((size_t)(n ? n : 1) * sizeof *lk);
    double *po = lm_alloc((size_t)(n ? n : 1) * sizeof *po);
    lm_value r;
    if (n < 2) {
        r = lm_error_new(LM_ERR_SHAPE, "gridpost: the grid needs at least 2 points, such as linspace(0, 1, 101)");
        goto out;
    }
    if (!grid_eval(c, c->args[0], "prior", name, grid, n, pr, &e) || !grid_eval(c, c->args[1], "likelihood", name, grid, n, lk, &e)) {
        r = e;
        goto out;
    }
    lm_err err = LM_ERR_INIT;
    if (lm_bayes_grid(pr, lk, n, po, &err)) {
        r = lm_error_from(&err);
        goto out;
    }
    if (c->nout >= 2) {
        long double m = 0;
        for (int64_t i = 0; i < n; i++) m += (long double)grid[i] * po[i];
        c->extra[1] = lm_num((double)m);
    }
    r = column(po, n, false);
out:
    lm_free(grid);
    lm_free(pr);
    lm_free(lk);
    lm_free(po);
    return r;
}

/* ---- discrete moments ---- */

static lm_value moment(lm_call *c, bool variance, bool explain) {
    lm_value e = lm_nil();
    int64_t nx, np;
    double *x = vec_of(c, c->args[0], "the values x", &nx, &e), *p = NULL;
    if (!x) return e;
    if (!(p = vec_of(c, c->args[1], "the probabilities p", &np, &e))) {
        lm_free(x);
        return e;
    }
    lm_value r;
    if (nx != np) {
        r = lm_error_new(LM_ERR_SHAPE, "%s: x has %lld values but p has %lld probabilities", c->fname, (long long)nx, (long long)np);
    } else {
        lm_err err = LM_ERR_INIT;
        lm_steps *s = lm_steps_moment(x, p, nx, variance, &err);
        if (!s) r = lm_error_from(&err);
        else if (explain) r = lm_obj_value(&s->hdr);
        else {
            r = lm_retain(s->result);
            lm_obj_release(&s->hdr);
        }
    }
    lm_free(x);
    lm_free(p);
    return r;
}

static lm_value b_expect(lm_call *c) { return moment(c, false, false); }
static lm_value b_variance(lm_call *c) { return moment(c, true, false); }

/* ---- Markov chains ---- */

static bool arg_chain(lm_call *c, lm_markov **m, lm_value *e) {
    if (lm_is_markov(c->args[0])) {
        *m = (lm_markov *)c->args[0].u.obj;
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a Markov chain made by markov(T), not %s", c->fname,
                      lm_kind_a(c->args[0].kind));
    return false;
}

/* A chain from a chain or a transition matrix (+1 either way). */
static lm_markov *chain_or_matrix(lm_call *c, lm_value v, lm_value *e) {
    if (lm_is_markov(v)) {
        lm_obj_retain(v.u.obj);
        return (lm_markov *)v.u.obj;
    }
    int64_t r, k;
    double *T = mat_of(c, v, "the transition matrix", &r, &k, e);
    if (!T) return NULL;
    lm_markov *m = NULL;
    if (r != k) *e = lm_error_new(LM_ERR_SHAPE, "%s: a transition matrix is square (one row and one column per state), not %lld×%lld", c->fname, (long long)r, (long long)k);
    else {
        lm_err err = LM_ERR_INIT;
        m = lm_markov_new(T, r, &err);
        if (!m) *e = lm_error_from(&err);
    }
    lm_free(T);
    return m;
}

static lm_value b_markov(lm_call *c) {
    lm_value e = lm_nil();
    int64_t r, k;
    double *T = mat_of(c, c->args[0], "the transition matrix", &r, &k, &e);
    if (!T) return e;
    lm_value res;
    if (r != k) res = lm_error_new(LM_ERR_SHAPE, "markov: a transition matrix is square (one row and one column per state), not %lld×%lld", (long long)r, (long long)k);
    else {
        lm_err err = LM_ERR_INIT;
        lm_markov *m = lm_markov_new(T, r, &err);
        res = m ? lm_obj_value(&m->hdr) : lm_error_from(&err);
    }
    lm_free(T);
    return res;
}

/* The transition matrix of a chain as a value (+1). */
static lm_value chain_matrix(const lm_markov *m) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(m->n, m->n, &err);
    if (!t) return lm_error_from(&err);
    memcpy(t->data, m->T, (size_t)(m->n * m->n) * sizeof *m->T);
    return lm_tensor_value(t);
}

static lm_value b_transition(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m;
    if (!arg_chain(c, &m, &e)) return e;
    if (c->nargs < 2) return chain_matrix(m);
    int64_t n;
    if (!lm_arg_int(c, 1, "the number of steps n", 0, &n, &e)) return e;
    /* T^n through the language's matrix power, so it agrees with T^n typed out */
    lm_value T = chain_matrix(m);
    if (lm_is_error(T)) return T;
    lm_value r = lm_op_binary(c->s, T_CARET, T, c->args[1]);
    lm_release(T);
    return r;
}

static lm_value b_stationary(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    double *pi = lm_alloc((size_t)m->n * sizeof *pi);
    lm_err err = LM_ERR_INIT;
    lm_value r = lm_markov_stationary(c->ctx, m, pi, &err) ? lm_error_from(&err) : row(pi, m->n);
    lm_free(pi);
    lm_obj_release(&m->hdr);
    return r;
}

static lm_value b_irreducible(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    bool r = lm_markov_irreducible(m);
    lm_obj_release(&m->hdr);
    return lm_bool(r);
}

static lm_value b_period(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    lm_value r;
    if (c->nargs > 1) {
        int64_t s;
        if (!lm_arg_int(c, 1, "the state", 1, &s, &e)) r = e;
        else if (s > m->n) r = lm_error_new(LM_ERR_DOMAIN, "period: the chain has states 1 to %lld, not %lld", (long long)m->n, (long long)s);
        else r = lm_num((double)m->period[m->cls[s - 1]]);
    } else if (!lm_markov_irreducible(m)) {
        r = lm_error_new(LM_ERR_DOMAIN,
                         "period: the chain is not irreducible, so each class has its own period; period(chain, i) "
                         "gives the period of state i's class");
    } else {
        r = lm_num((double)lm_markov_period(m));
    }
    lm_obj_release(&m->hdr);
    return r;
}

static lm_value b_absorbing(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    double *s = lm_alloc((size_t)m->n * sizeof *s);
    int64_t k = 0;
    for (int64_t i = 0; i < m->n; i++)
        if (m->T[i * m->n + i] == 1) s[k++] = (double)(i + 1);
    lm_value r = k ? column(s, k, true) : column(NULL, 0, false);
    lm_free(s);
    lm_obj_release(&m->hdr);
    return r;
}

static lm_value b_classes(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    double *id = lm_alloc((size_t)m->n * sizeof *id), *cl = lm_alloc((size_t)m->nclasses * sizeof *cl);
    for (int64_t i = 0; i < m->n; i++) id[i] = (double)(m->cls[i] + 1);
    for (int64_t k = 0; k < m->nclasses; k++) cl[k] = m->closed[k];
    lm_value r = column(id, m->n, false);
    if (c->nout >= 2) {
        c->extra[1] = column(cl, m->nclasses, false);
        if (!lm_is_error(c->extra[1])) lm_tensor_of(c->extra[1])->logical = true;
    }
    lm_free(id);
    lm_free(cl);
    lm_obj_release(&m->hdr);
    return r;
}

static lm_value b_absorption(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m = chain_or_matrix(c, c->args[0], &e);
    if (!m) return e;
    double *B, *t;
    int64_t *tr, *ab, nt, na;
    lm_err err = LM_ERR_INIT;
    lm_value r;
    if (lm_markov_absorption(m, &B, &t, &tr, &nt, &ab, &na, &err)) {
        r = lm_error_from(&err);
    } else {
        lm_tensor *Bt = lm_tensor_matrix(nt, na, &err);
        if (!Bt) r = lm_error_from(&err);
        else {
            if (nt * na > 0) memcpy(Bt->data, B, (size_t)(nt * na) * sizeof *B);
            r = lm_tensor_value(Bt);
            double *s = lm_alloc((size_t)(m->n + 1) * sizeof *s);
            if (c->nout >= 2) c->extra[1] = column(t, nt, false);
            if (c->nout >= 3) {
                for (int64_t i = 0; i < nt; i++) s[i] = (double)(tr[i] + 1);
                c->extra[2] = column(s, nt, false);
            }
            if (c->nout >= 4) {
                for (int64_t i = 0; i < na; i++) s[i] = (double)(ab[i] + 1);
                c->extra[3] = column(s, na, false);
            }
            lm_free(s);
        }
        lm_free(B);
        lm_free(t);
        lm_free(tr);
        lm_free(ab);
    }
    lm_obj_release(&m->hdr);
    return r;
}

static lm_value b_simulate(lm_call *c) {
    lm_value e = lm_nil();
    lm_markov *m;
    int64_t start, n;
    if (!arg_chain(c, &m, &e) || !lm_arg_int(c, 1, "the start state", 1, &start, &e) ||
        !lm_arg_int(c, 2, "the number of steps n", 0, &n, &e))
        return e;
    if (start > m->n)
        return lm_error_new(LM_ERR_DOMAIN, "simulate: the chain has states 1 to %lld, so it cannot start in %lld", (long long)m->n,
                            (long long)start);
    if (n + 1 > LM_MAX_ELEMS) return lm_error_new(LM_ERR_LIMIT, "simulate: %lld steps is too many", (long long)n);
    int64_t *path = lm_alloc_big((size_t)(n + 1) * sizeof *path);
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = path ? lm_tensor_matrix(n + 1, 1, &err) : NULL;
    if (!t) {
        lm_free(path);
        return path ? lm_error_from(&err) : lm_error_new(LM_ERR_LIMIT, "simulate: %lld steps is too many", (long long)n);
    }
    lm_markov_simulate(m, start - 1, n, &c->ctx->rng, path);
    for (int64_t i = 0; i <= n; i++) t->data[i] = (double)(path[i] + 1);
    lm_free(path);
    return lm_narrow(lm_tensor_value(t));
}

/* p0 as a distribution over the chain's states (a row or column of n). */
static double *arg_distribution(lm_call *c, int i, const lm_markov *m, lm_value *e) {
    int64_t n;
    double *p = vec_of(c, c->args[i], "the distribution p", &n, e);
    if (p && n != m->n) {
        lm_free(p);
        *e = lm_error_new(LM_ERR_SHAPE, "%s: p must give a probability for each of the %lld states, not %lld values", c->fname,
                          (long long)m->n, (long long)n);
        return NULL;
    }
    return p;
}

static lm_value evolve(lm_call *c, bool explain) {
    lm_value e = lm_nil();
    lm_markov *m;
    if (!arg_chain(c, &m, &e)) return e;
    int64_t steps = 1;
    if (c->nargs > 2 && !lm_arg_int(c, 2, "the number of steps n", 0, &steps, &e)) return e;
    if (explain && steps != 1)
        return lm_error_new(LM_ERR_DOMAIN, "steps(evolve(chain, p)) explains one step; evolve(chain, p, %lld) without steps gives %lld",
                            (long long)steps, (long long)steps);
    double *p = arg_distribution(c, 1, m, &e);
    if (!p) return e;
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_markov(m, p, &err); /* validates p and takes the first step */
    lm_value r;
    if (!s) r = lm_error_from(&err);
    else if (explain) r = lm_obj_value(&s->hdr);
    else {
        double *q = lm_alloc((size_t)m->n * sizeof *q);
        memcpy(p, lm_tensor_of(s->result)->data, (size_t)m->n * sizeof *p);
        lm_obj_release(&s->hdr);
        for (int64_t t = 1; t < steps; t++) {
            for (int64_t j = 0; j < m->n; j++) {
                long double v = 0;
                for (int64_t i = 0; i < m->n; i++) v += (long double)p[i] * m->T[i * m->n + j];
                q[j] = (double)v;
            }
            memcpy(p, q, (size_t)m->n * sizeof *p);
            if ((t & 1023) == 0 && lm_ctx_poll(c->ctx, &err)) break;
        }
        lm_free(q);
        r = err.kind ? lm_error_from(&err) : row(p, m->n);
    }
    lm_free(p);
    return r;
}

static lm_value b_evolve(lm_call *c) {
    lm_value e = lm_nil();
    int64_t steps = 1;
    if (c->nargs > 2 && !lm_arg_int(c, 2, "the number of steps n", 0, &steps, &e)) return e;
    if (steps == 0) {
        /* zero steps: p itself, validated, as a row */
        lm_markov *m;
        if (!arg_chain(c, &m, &e)) return e;
        double *p = arg_distribution(c, 1, m, &e);
        if (!p) return e;
        lm_value r = row(p, m->n);
        lm_free(p);
        return r;
    }
    return evolve(c, false);
}

/* ---- hidden Markov models ---- */

static lm_value b_hmm(lm_call *c) {
    lm_value e = lm_nil();
    int64_t ar, ac, br, bc, np;
    double *A = mat_of(c, c->args[0], "the transition matrix A", &ar, &ac, &e), *B = NULL, *p0 = NULL;
    lm_value r;
    if (!A || !(B = mat_of(c, c->args[1], "the emission matrix B", &br, &bc, &e)) ||
        !(p0 = vec_of(c, c->args[2], "the initial distribution p0", &np, &e))) {
        r = e;
        goto out;
    }
    if (ar != ac || br != ar || np != ar) {
        r = lm_error_new(LM_ERR_SHAPE,
                         "hmm: A must be n×n, B n×m (a row per hidden state) and p0 have n entries; here A is %lld×%lld, "
                         "B %lld×%lld and p0 has %lld",
                         (long long)ar, (long long)ac, (long long)br, (long long)bc, (long long)np);
        goto out;
    }
    lm_err err = LM_ERR_INIT;
    lm_hmm *h = lm_hmm_new(A, ar, B, bc, p0, &err);
    r = h ? lm_obj_value(&h->hdr) : lm_error_from(&err);
out:
    lm_free(A);
    lm_free(B);
    lm_free(p0);
    return r;
}

static int64_t *arg_obs(lm_call *c, const lm_hmm *h, int64_t *len, lm_value *e) {
    double *o = vec_of(c, c->args[1], "the observations", len, e);
    if (!o) return NULL;
    int64_t *obs = lm_alloc((size_t)(*len ? *len : 1) * sizeof *obs);
    for (int64_t t = 0; t < *len; t++) {
        if (o[t] != floor(o[t]) || o[t] < 1 || o[t] > (double)h->m) {
            *e = lm_error_new(LM_ERR_DOMAIN, "%s: observation %lld is %g; observations are symbols 1 to %lld", c->fname,
                              (long long)t + 1, o[t], (long long)h->m);
            lm_free(o);
            lm_free(obs);
            return NULL;
        }
        obs[t] = (int64_t)o[t] - 1;
    }
    lm_free(o);
    return obs;
}

static bool arg_hmm(lm_call *c, lm_hmm **h, lm_value *e) {
    if (lm_is_hmm(c->args[0])) {
        *h = (lm_hmm *)c->args[0].u.obj;
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a hidden Markov model made by hmm(A, B, p0), not %s",
                      c->fname, lm_kind_a(c->args[0].kind));
    return false;
}

static lm_value b_forward(lm_call *c) {
    lm_value e = lm_nil();
    lm_hmm *h;
    int64_t len;
    if (!arg_hmm(c, &h, &e)) return e;
    int64_t *obs = arg_obs(c, h, &len, &e);
    if (!obs) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *alpha = lm_tensor_matrix(len, h->n, &err);
    double logp;
    lm_value r;
    if (!alpha || lm_hmm_forward(h, obs, len, alpha->data, &logp, &err)) {
        lm_tensor_release(alpha);
        r = lm_error_from(&err);
    } else {
        r = lm_num(exp(logp));
        if (c->nout >= 2) c->extra[1] = lm_tensor_value(alpha);
        else lm_tensor_release(alpha);
        if (c->nout >= 3) c->extra[2] = lm_num(logp);
    }
    lm_free(obs);
    return r;
}

static lm_value b_viterbi(lm_call *c) {
    lm_value e = lm_nil();
    lm_hmm *h;
    int64_t len;
    if (!arg_hmm(c, &h, &e)) return e;
    int64_t *obs = arg_obs(c, h, &len, &e);
    if (!obs) return e;
    int64_t *path = lm_alloc((size_t)len * sizeof *path);
    double logp;
    lm_err err = LM_ERR_INIT;
    lm_value r;
    if (lm_hmm_viterbi(h, obs, len, path, &logp, &err)) r = lm_error_from(&err);
    else {
        double *d = lm_alloc((size_t)len * sizeof *d);
        for (int64_t t = 0; t < len; t++) d[t] = (double)(path[t] + 1);
        r = column(d, len, true);
        lm_free(d);
        if (c->nout >= 2) c->extra[1] = lm_num(logp);
    }
    lm_free(path);
    lm_free(obs);
    return r;
}

/* ---- Bayesian networks ---- */

static bool arg_net(lm_call *c, lm_bnet **net, lm_value *e) {
    if (lm_is_bnet(c->args[0])) {
        *net = (lm_bnet *)c->args[0].u.obj;
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a Bayesian network made by bayesnet(), not %s", c->fname,
                      lm_kind_a(c->args[0].kind));
    return false;
}

/* Splits "Rain, Sprinkler" (commas or spaces) into names (lm_free each and the
 * array). */
static char **split_names(const char *s, int64_t *n) {
    char **v = NULL;
    int64_t k = 0, cap = 0;
    while (*s) {
        while (*s == ',' || isspace((unsigned char)*s)) s++;
        const char *b = s;
        while (*s && *s != ',' && !isspace((unsigned char)*s)) s++;
        if (s > b) {
            if (k == cap) v = lm_realloc(v, (size_t)(cap = cap ? 2 * cap : 4) * sizeof *v);
            v[k++] = lm_strndup(b, (size_t)(s - b));
        }
    }
    *n = k;
    return v;
}

static void free_names(char **v, int64_t n) {
    for (int64_t i = 0; i < n; i++) lm_free(v[i]);
    lm_free(v);
}

/* A list of nodes given as a string ("Rain, Sprinkler") or [] for none. */
static bool arg_nodes(lm_call *c, int i, const char *what, char ***names, int64_t *n, lm_value *e) {
    lm_value v = c->args[i];
    if (v.kind == LM_STRING) {
        *names = split_names(lm_string_data(v), n);
        return true;
    }
    if (v.kind == LM_TENSOR && lm_tensor_of(v)->size == 0) {
        *names = NULL;
        *n = 0;
        return true;
    }
    *e = lm_error_new(LM_ERR_TYPE, "%s: %s are node names in one string, such as \"Rain, Sprinkler\", or [] for none", c->fname,
                      what);
    return false;
}

static lm_value b_bayesnet(lm_call *c) {
    (void)c;
    return lm_bnet_value(lm_bnet_new());
}

static lm_value b_node(lm_call *c) {
    lm_value e = lm_nil();
    lm_bnet *net;
    const char *spec;
    if (!arg_net(c, &net, &e) || !arg_string(c, 1, "the node's name", &spec, &e)) return e;
    char *name = NULL, **par = NULL;
    int64_t npar = 0;
    int tab;
    if (c->nargs == 3) {
        /* node(net, "WetGrass | Sprinkler, Rain", table) */
        const char *bar = strchr(spec, '|');
        const char *end = bar ? bar : spec + strlen(spec);
        while (end > spec && isspace((unsigned char)end[-1])) end--;
        const char *b = spec;
        while (isspace((unsigned char)*b)) b++;
        name = lm_strndup(b, (size_t)(end > b ? end - b : 0));
        if (bar) par = split_names(bar + 1, &npar);
        tab = 2;
    } else {
        name = lm_strdup(spec);
        if (strchr(spec, '|')) {
            lm_free(name);
            return lm_error_new(LM_ERR_TYPE, "node: give the parents either after | in the name or as the third argument, not both");
        }
        if (!arg_nodes(c, 2, "the parents", &par, &npar, &e)) {
            lm_free(name);
            return e;
        }
        tab = 3;
    }
    int64_t r, k;
    double *cpt = mat_of(c, c->args[tab], "the table", &r, &k, &e);
    lm_value res;
    if (!cpt) res = e;
    else {
        lm_err err = LM_ERR_INIT;
        lm_bnet *n2 = lm_bnet_add(net, name, (const char *const *)par, npar, cpt, r, k, &err);
        res = n2 ? lm_bnet_value(n2) : lm_error_from(&err);
    }
    lm_free(cpt);
    lm_free(name);
    free_names(par, npar);
    return res;
}

/* Node indices of a list of names, or a `name` error listing the nodes. */
static int64_t *find_nodes(lm_call *c, const lm_bnet *net, char **names, int64_t n, lm_value *e) {
    int64_t *ix = lm_alloc((size_t)(n ? n : 1) * sizeof *ix);
    for (int64_t i = 0; i < n; i++) {
        ix[i] = lm_bnet_find(net, names[i]);
        if (ix[i] < 0) {
            lm_buf b = LM_BUF_INIT;
            lm_bnet_names(net, &b);
            *e = lm_error_new(LM_ERR_NAME, "%s: the network has no node named %s (its nodes: %s)", c->fname, names[i], lm_buf_cstr(&b));
            lm_buf_free(&b);
            lm_free(ix);
            return NULL;
        }
    }
    return ix;
}

static lm_value b_query(lm_call *c) {
    lm_value e = lm_nil();
    lm_bnet *net;
    const char *qname;
    if (!arg_net(c, &net, &e) || !arg_string(c, 1, "the queried node", &qname, &e)) return e;
    int64_t q = lm_bnet_find(net, qname);
    if (q < 0) {
        char *nm = lm_strdup(qname);
        find_nodes(c, net, &nm, 1, &e);
        lm_free(nm);
        return e;
    }
    /* every named argument is evidence: Node = state */
    int64_t nev = c->nnamed;
    int64_t *en = lm_alloc((size_t)(nev ? nev : 1) * sizeof *en), *es = lm_alloc((size_t)(nev ? nev : 1) * sizeof *es);
    lm_value r = lm_nil();
    for (int64_t i = 0; i < nev; i++) {
        const char *nm = c->names[i];
        lm_value v = lm_call_named(c, nm);
        en[i] = lm_bnet_find(net, nm);
        if (en[i] < 0) {
            char *cp = lm_strdup(nm);
            find_nodes(c, net, &cp, 1, &e);
            lm_free(cp);
            r = e;
            goto out;
        }
        int64_t k = lm_bnet_states(net, en[i]);
        double d;
        bool ok = lm_as_double(v, &d);
        if (ok && k == 2 && (d == 0 || d == 1)) es[i] = (int64_t)d; /* false/true, 0/1 */
        else if (ok && k > 2 && d == floor(d) && d >= 1 && d <= (double)k) es[i] = (int64_t)d - 1;
        else {
            r = lm_error_new(LM_ERR_DOMAIN, "query: the evidence %s = ... must be %s", nm,
                             k == 2 ? "true or false" : "a state number from 1 to the node's number of states");
            goto out;
        }
    }
    int64_t k = lm_bnet_states(net, q);
    double *out = lm_alloc((size_t)k * sizeof *out);
    lm_err err = LM_ERR_INIT;
    if (lm_bnet_query(net, q, en, es, nev, out, &err)) r = lm_error_from(&err);
    else r = k == 2 ? lm_num(out[1]) : column(out, k, false);
    lm_free(out);
out:
    lm_free(en);
    lm_free(es);
    return r;
}

static lm_value b_dsep(lm_call *c) {
    lm_value e = lm_nil();
    lm_bnet *net;
    if (!arg_net(c, &net, &e)) return e;
    char **s[3] = {NULL, NULL, NULL};
    int64_t n[3] = {0, 0, 0}, *ix[3] = {NULL, NULL, NULL};
    lm_value r = lm_nil();
    static const char *const what[3] = {"the first set X", "the second set Y", "the given set Z"};
    for (int i = 0; i < 3 && i + 1 < c->nargs; i++) {
        if (!arg_nodes(c, i + 1, what[i], &s[i], &n[i], &e) || !(ix[i] = find_nodes(c, net, s[i], n[i], &e))) {
            r = e;
            goto out;
        }
    }
    if (!n[0] || !n[1]) {
        r = lm_error_new(LM_ERR_DOMAIN, "dsep: name at least one node in X and one in Y, as in dsep(net, \"Rain\", \"Sprinkler\")");
        goto out;
    }
    for (int64_t a = 0; a < n[2]; a++)
        for (int i = 0; i < 2; i++)
            for (int64_t b = 0; b < n[i]; b++)
                if (ix[i][b] == ix[2][a]) {
                    r = lm_error_new(LM_ERR_DOMAIN, "dsep: %s is both in %s and in the given set Z", s[2][a], what[i]);
                    goto out;
                }
    r = lm_bool(lm_bnet_dsep(net, ix[0], n[0], ix[1], n[1], ix[2], n[2]));
out:
    for (int i = 0; i < 3; i++) {
        free_names(s[i], n[i]);
        lm_free(ix[i]);
    }
    return r;
}

static lm_value b_joint(lm_call *c) {
    lm_value e = lm_nil();
    lm_bnet *net;
    if (!arg_net(c, &net, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_bnet_joint(net, &err);
    return t ? lm_tensor_value(t) : lm_error_from(&err);
}

static lm_value b_factorization(lm_call *c) {
    lm_value e = lm_nil();
    lm_bnet *net;
    if (!arg_net(c, &net, &e)) return e;
    if (!lm_bnet_size(net)) return lm_error_new(LM_ERR_DOMAIN, "factorization: the network has no nodes yet");
    lm_buf b = LM_BUF_INIT;
    lm_bnet_factorization(net, &b);
    lm_value r = lm_string_new(lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return r;
}

/* ---- explainers (steps(...)) ---- */

static lm_value x_bayes(lm_call *c) {
    lm_value e = lm_nil();
    double a, b, d;
    if (!lm_arg_double(c, 0, "the prior P(A)", &a, &e) || !lm_arg_double(c, 1, "P(B | A)", &b, &e) ||
        !lm_arg_double(c, 2, "P(B | not A)", &d, &e))
        return e;
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_bayes(a, b, d, &err);
    return s ? lm_obj_value(&s->hdr) : lm_error_from(&err);
}

static lm_value x_expect(lm_call *c) { return moment(c, false, true); }
static lm_value x_variance(lm_call *c) { return moment(c, true, true); }

static lm_value x_ttest(lm_call *c) {
    lm_value e = lm_nil();
    double mu = 0;
    bool paired = false, equal_var = false;
    lm_alt alt;
    double conf;
    if (!lm_opt_double(c, "mu", &mu, &e) || !lm_opt_bool(c, "paired", &paired, &e) ||
        !lm_opt_bool(c, "equal_var", &equal_var, &e) || !opt_alt(c, &alt, &e) || !opt_conf(c, &conf, &e))
        return e;
    int64_t nx, ny = 0;
    double *x = vec_of(c, c->args[0], "x", &nx, &e), *y = NULL;
    if (!x) return e;
    if (c->nargs > 1 && !(y = vec_of(c, c->args[1], "y", &ny, &e))) {
        lm_free(x);
        return e;
    }
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_ttest(x, nx, y, ny, mu, paired, equal_var, alt, &err);
    lm_free(x);
    lm_free(y);
    return s ? lm_obj_value(&s->hdr) : lm_error_from(&err);
}

static lm_value x_chisq(lm_call *c) {
    lm_value e = lm_nil();
    bool correct = true;
    if (!lm_opt_bool(c, "correct", &correct, &e)) return e;
    int64_t r, k, np = 0;
    double *x = mat_of(c, c->args[0], "the table", &r, &k, &e), *p = NULL;
    if (!x) return e;
    lm_value pv = lm_call_named(c, "p");
    if (k == 1) { /* a column of counts: goodness of fit, laid out as a row */
        k = r;
        r = 1;
    }
    if (!lm_is_nil(pv) && (r != 1 || !(p = vec_of(c, pv, "p", &np, &e)) || np != k)) {
        lm_free(x);
        lm_free(p);
        return lm_is_error(e) ? e : lm_error_new(LM_ERR_SHAPE, "chisq: p must give one probability per count");
    }
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_chisq(x, r, k, p, correct, &err);
    lm_free(x);
    lm_free(p);
    return s ? lm_obj_value(&s->hdr) : lm_error_from(&err);
}

static lm_value x_evolve(lm_call *c) { return evolve(c, true); }

const lm_explainer lm_explain_stats[] = {
    {"bayes", x_bayes, 3, 3},
    {"chisq", x_chisq, 1, 1},
    {"evolve", x_evolve, 2, 3},
    {"expect", x_expect, 2, 2},
    {"ttest", x_ttest, 1, 2},
    {"variance", x_variance, 2, 2},
    {NULL, NULL, 0, 0},
};

/* ---- the table ---- */

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_stats[] = {
    B("absorbing", b_absorbing, 1, 1, 1, "absorbing(chain)", "the absorbing states (T(i, i) = 1) of a Markov chain, as a column",
      "absorbing(markov([1 0; 0.5 0.5]))"),
    B("absorption", b_absorption, 1, 1, 4, "absorption(chain), [B, t, transient, absorbing] = absorption(chain)",
      "absorption probabilities B (rows: non-absorbing states, columns: absorbing states) and expected steps t until absorption",
      "[B, t] = absorption(markov([1 0 0; 0.3 0.4 0.3; 0 0 1]))"),
    B("anova", b_anova, 1, -1, 3, "anova(g1, g2, ..., equal_var = true)",
      "one-way analysis of variance: do the group means differ? (F test as R's aov; Welch's with equal_var = false)",
      "anova([4 5 6], [6 7 8], [9 8 10])"),
    B("bayes", b_bayes, 3, 3, 1, "bayes(prior, p_b_given_a, p_b_given_not_a)",
      "Bayes' theorem: P(A | B) from P(A), P(B | A) and P(B | not A); steps(bayes(...)) shows the work",
      "bayes(0.01, 0.9, 0.05)"),
    B("bayesnet", b_bayesnet, 0, 0, 1, "bayesnet()", "an empty Bayesian network; add nodes with node(...)",
      "net = bayesnet(); net = node(net, \"Rain\", [], 0.2)"),
    B("binomtest", b_binomtest, 2, 3, 3, "binomtest(k, n, p = 0.5, alternative = \"two.sided\", conf = 0.95)",
      "exact binomial test of k successes in n trials (R's binom.test), with the Clopper-Pearson interval",
      "binomtest(7, 20, 0.5)"),
    B("chisq", b_chisq, 1, 1, 3, "chisq(M, correct = true), chisq(counts, p = expected)",
      "Pearson's chi-squared test: independence of a table's rows and columns, or counts against probabilities",
      "chisq([10 20; 30 25])"),
    B("ci", b_ci, 1, 2, 1, "ci(v, conf = 0.95)", "the t confidence interval for the mean of v, as a column [lower; upper]",
      "ci([5.1 4.9 5.6 5.0 5.3])"),
    B("ci_prop", b_ci_prop, 2, 3, 1, "ci_prop(k, n, conf = 0.95, correct = false)",
      "Wilson's score interval for a proportion k/n, as a column [lower; upper]", "ci_prop(7, 20)"),
    B("classes", b_classes, 1, 1, 2, "classes(chain), [c, closed] = classes(chain)",
      "the communicating class of each state (numbered in order of first state), and whether each class is closed",
      "classes(markov([0.5 0.5 0; 0.5 0.5 0; 0.2 0.3 0.5]))"),
    B("coef", b_coef, 1, 1, 1, "coef(fit)", "the coefficients of a regression from lm, intercept first", "coef(lm([1 2 3 4], [2 4 5 8]))"),
    B("credible", b_credible, 1, 2, 1, "credible(D, conf = 0.95)",
      "the equal-tailed credible interval of a posterior distribution, as a column [lower; upper]",
      "credible(Beta(8, 4))"),
    B("dsep", b_dsep, 3, 4, 1, "dsep(net, X, Y, Z = [])",
      "whether node sets X and Y are d-separated given Z (names as strings), i.e. independent given Z in every model of the graph",
      "net = node(node(bayesnet(), \"Rain\", [], 0.2), \"Wet | Rain\", [0.1; 0.9]); dsep(net, \"Rain\", \"Wet\")"),
    B("evolve", b_evolve, 2, 3, 1, "evolve(chain, p, n = 1)",
      "the distribution (a row) after n steps from distribution p: p T^n; steps(evolve(chain, p)) shows one step",
      "evolve(markov([0.9 0.1; 0.5 0.5]), [1 0], 2)"),
    B("expect", b_expect, 2, 2, 1, "expect(x, p)", "the expected value Σ x p(x) of a discrete distribution (values x, probabilities p)",
      "expect([0 1 2], [0.25 0.5 0.25])"),
    B("factorization", b_factorization, 1, 1, 1, "factorization(net)",
      "how a Bayesian network factorizes the joint distribution, as a string", "net = node(node(bayesnet(), \"Rain\", [], 0.2), \"WetGrass | Rain\", [0.1; 0.9]); factorization(net)"),
    B("fitted", b_fitted, 1, 1, 1, "fitted(fit)", "the fitted values of a regression from lm, as a column",
      "fitted(lm([1 2 3 4], [2 4 5 8]))"),
    B("forward", b_forward, 2, 2, 3, "forward(h, obs), [p, alpha, logp] = forward(h, obs)",
      "the forward algorithm: the probability of an observation sequence under a hidden Markov model",
      "forward(hmm([0.7 0.3; 0.4 0.6], [0.9 0.1; 0.2 0.8], [0.5 0.5]), [1 2 1])"),
    B("gridpost", b_gridpost, 4, 4, 2, "gridpost(prior, likelihood, theta, grid), [post, mean] = gridpost(...)",
      "the posterior on a grid: prior(theta) * likelihood(theta) normalized to sum to 1 (expressions in theta)",
      "gridpost(1, theta^7 * (1 - theta)^3, theta, linspace(0, 1, 11))"),
    B("hmm", b_hmm, 3, 3, 1, "hmm(A, B, p0)",
      "a hidden Markov model: transitions A, emissions B (row per hidden state) and initial distribution p0",
      "hmm([0.7 0.3; 0.4 0.6], [0.9 0.1; 0.2 0.8], [0.5 0.5])"),
    B("irreducible", b_irreducible, 1, 1, 1, "irreducible(chain)", "whether every state of a Markov chain can reach every other",
      "irreducible(markov([0 1; 1 0]))"),
    B("joint", b_joint, 1, 1, 1, "joint(net)",
      "the full joint table of a Bayesian network: one row per assignment (states, then the probability)",
      "net = node(node(bayesnet(), \"Rain\", [], 0.2), \"WetGrass | Rain\", [0.1; 0.9]); joint(net)"),
    B("lm", b_lm, 2, 2, 2, "lm(X, y, intercept = true), [fit, b] = lm(X, y)",
      "linear regression by least squares, with standard errors, t and p values, R² and F, as R's summary(lm(...))",
      "lm([1 2 3 4 5], [2.1 3.9 6.2 7.8 10.1])"),
    B("markov", b_markov, 1, 1, 1, "markov(T)",
      "a Markov chain from its transition matrix (row i: the probabilities of moving from state i); classifies its states",
      "markov([0.9 0.1; 0.5 0.5])"),
    B("node", b_node, 3, 4, 1, "node(net, \"Name\", parents, table), node(net, \"Name | P1, P2\", table)",
      "a network with one more node: table has a row per combination of parent states (first parent slowest, false "
      "first) giving P(Name = true), or one column per state",
      "net = node(bayesnet(), \"Rain\", [], 0.2)"),
    B("period", b_period, 1, 2, 1, "period(chain), period(chain, i)",
      "the period of an irreducible chain (1 means aperiodic), or of state i's class", "period(markov([0 1; 1 0]))"),
    B("posterior", b_posterior, 3, 4, 1, "posterior(prior, likelihood, data...)",
      "a conjugate Bayesian update: Beta + \"binomial\"/\"bernoulli\", Normal + \"normal\" (sigma = s), Gamma + "
      "\"poisson\"/\"exponential\", Dirichlet + \"categorical\"",
      "posterior(Beta(1, 1), \"binomial\", 7, 10)"),
    B("predictive", b_predictive, 2, 3, 1, "predictive(post, likelihood, m)",
      "the posterior predictive: P(k successes in m new trials), P(next count = k), or a Normal for \"normal\" (sigma = s)",
      "predictive(Beta(8, 4), \"binomial\", 5)"),
    B("proptest", b_proptest, 2, 3, 3, "proptest(k, n, p, alternative = \"two.sided\", conf = 0.95, correct = true)",
      "test of proportions k/n (one group against p, or several groups for equality), as R's prop.test",
      "proptest([15 25], [50 50])"),
    B("query", b_query, 2, 2, 1, "query(net, \"Node\", Evidence = true, ...)",
      "exact inference by variable elimination: P(Node = true | evidence) (a column of probabilities for a many-state node)",
      "net = node(node(bayesnet(), \"Rain\", [], 0.2), \"WetGrass | Rain\", [0.1; 0.9]); query(net, \"Rain\", WetGrass = true)"),
    B("residuals", b_residuals, 1, 1, 1, "residuals(fit)", "the residuals y - fitted of a regression from lm, as a column",
      "residuals(lm([1 2 3 4], [2 4 5 8]))"),
    B("simulate", b_simulate, 3, 3, 1, "simulate(chain, start, n)",
      "a random path of n steps from state start: n + 1 states as a column (seed(...) makes it reproducible)",
      "seed(1); simulate(markov([0.9 0.1; 0.5 0.5]), 1, 10)"),
    B("stationary", b_stationary, 1, 1, 1, "stationary(chain)",
      "the stationary distribution π (a row) with π T = π: where the chain spends its time in the long run",
      "stationary(markov([0.9 0.1; 0.5 0.5]))"),
    B("transition", b_transition, 1, 2, 1, "transition(chain, n)",
      "the n-step transition matrix T^n: entry (i, j) is the probability of being in j n steps after i",
      "transition(markov([0.9 0.1; 0.5 0.5]), 3)"),
    B("ttest", b_ttest, 1, 2, 3, "ttest(x, mu = 0), ttest(x, y, paired = false, equal_var = false, alternative, conf)",
      "Student's t test: one sample against mu, two samples (Welch by default; pooled with equal_var = true), or paired",
      "ttest([5.1 4.9 5.6 5.0 5.3], mu = 5)"),
    B("variance", b_variance, 2, 2, 1, "variance(x, p)",
      "the variance Σ (x - E[X])² p(x) of a discrete distribution (values x, probabilities p); var(v) is a sample's",
      "variance([0 1 2], [0.25 0.5 0.25])"),
    B("viterbi", b_viterbi, 2, 2, 2, "viterbi(h, obs), [path, logp] = viterbi(h, obs)",
      "the most probable hidden state path for the observations (Viterbi), and its log probability",
      "viterbi(hmm([0.7 0.3; 0.4 0.6], [0.9 0.1; 0.2 0.8], [0.5 0.5]), [1 2 2])"),
    B("ztest", b_ztest, 1, 2, 3, "ztest(x, sigma = s, mu = 0), ztest(x, y, sigma = [sx sy])",
      "z test for a mean (or a difference of means) when the population standard deviation is known",
      "ztest([5.1 4.9 5.6 5.0 5.3], sigma = 0.3, mu = 5)"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
