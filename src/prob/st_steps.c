/* Worked solutions for what a learner computes by hand in probability and
 * statistics: Bayes' theorem on numbers, the expected value and variance of a
 * discrete distribution, a t statistic and its p-value, a chi-squared
 * statistic from its table, and one step of a Markov chain. Each step names
 * its rule, shows the numbers going in, and carries the value coming out. */
#include "prob/st_int.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Numbers inside a step's sentence: six significant digits (the value
 * attached to the step keeps them all). */
static const char *n6(char out[40], double x) {
    lm_fmt_double_sig(out, x, 6);
    return out;
}

static void add_num(lm_steps *s, const char *rule, double v, const char *latex, const char *text) {
    lm_steps_add(s, rule, lm_num(v), latex, "%s", text);
}

/* A matrix value (+1 inside the step, released here). */
static void add_mat(lm_steps *s, const char *rule, const double *a, int64_t r, int64_t c, const char *latex,
                    const char *text) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(r, c, &err);
    if (!t) {
        lm_err_clear(&err);
        lm_steps_add(s, rule, lm_nil(), latex, "%s", text);
        return;
    }
    memcpy(t->data, a, (size_t)(r * c) * sizeof *a);
    lm_value v = lm_tensor_value(t);
    lm_steps_add(s, rule, v, latex, "%s", text);
    lm_release(v);
}

/* "a·b + c·d + ..." for the first few terms, then "+ ... (n terms)". */
static void terms(lm_buf *b, const double *x, const double *p, int64_t n, bool square, double mu) {
    char u[40], v[40], w[40];
    int64_t shown = n <= 8 ? n : 6;
    for (int64_t i = 0; i < shown; i++) {
        if (square) lm_buf_printf(b, "%s(%s - %s)²·%s", i ? " + " : "", n6(u, x[i]), n6(v, mu), n6(w, p[i]));
        else lm_buf_printf(b, "%s%s·%s", i ? " + " : "", n6(u, x[i]), n6(v, p[i]));
    }
    if (shown < n) lm_buf_printf(b, " + ... (%lld terms)", (long long)n);
}

/* ---- Bayes' theorem ---- */

lm_steps *lm_steps_bayes(double prior, double pba, double pbna, lm_err *err) {
    double post, pb;
    if (lm_bayes_rule(prior, pba, pbna, &post, &pb, err)) return NULL;
    lm_steps *s = lm_steps_new();
    char a[40], b[40], c[40], d[40], e[40];
    lm_buf t = LM_BUF_INIT, l = LM_BUF_INIT;
    lm_buf_printf(&t, "P(not A) = 1 - P(A) = 1 - %s = %s.", n6(a, prior), n6(b, 1 - prior));
    lm_buf_printf(&l, "P(\\neg A) = 1 - %s = %s", n6(a, prior), n6(b, 1 - prior));
    add_num(s, "complement", 1 - prior, lm_buf_cstr(&l), lm_buf_cstr(&t));
    lm_buf_reset(&t);
    lm_buf_reset(&l);
    lm_buf_printf(&t,
                  "B happens either with A or without it, so P(B) = P(B | A) P(A) + P(B | not A) P(not A) = %s·%s + "
                  "%s·%s = %s.",
                  n6(a, pba), n6(b, prior), n6(c, pbna), n6(d, 1 - prior), n6(e, pb));
    lm_buf_printf(&l, "P(B) = P(B \\mid A)P(A) + P(B \\mid \\neg A)P(\\neg A) = %s \\cdot %s + %s \\cdot %s = %s",
                  n6(a, pba), n6(b, prior), n6(c, pbna), n6(d, 1 - prior), n6(e, pb));
    add_num(s, "law of total probability", pb, lm_buf_cstr(&l), lm_buf_cstr(&t));
    lm_buf_reset(&t);
    lm_buf_reset(&l);
    lm_buf_printf(&t, "P(A | B) = P(B | A) P(A) / P(B) = %s / %s = %s: of the times B happens, this share comes with A.",
                  n6(a, pba * prior), n6(b, pb), n6(c, post));
    lm_buf_printf(&l, "P(A \\mid B) = \\frac{P(B \\mid A)P(A)}{P(B)} = \\frac{%s}{%s} = %s", n6(a, pba * prior), n6(b, pb),
                  n6(c, post));
    add_num(s, "Bayes' theorem", post, lm_buf_cstr(&l), lm_buf_cstr(&t));
    lm_buf_free(&t);
    lm_buf_free(&l);
    lm_steps_set_result(s, lm_num(post));
    return s;
}

/* ---- expected value and variance ---- */

lm_steps *lm_steps_moment(const double *x, const double *p, int64_t n, bool variance, lm_err *err) {
    const char *fn = variance ? "variance" : "expect";
    if (n < 1) {
        lm_err_set(err, LM_ERR_SHAPE, "%s: give at least one value", fn);
        return NULL;
    }
    long double ps = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            lm_err_set(err, LM_ERR_DOMAIN, "%s: value %lld is %g; values must be finite", fn, (long long)i + 1, x[i]);
            return NULL;
        }
        if (!(p[i] >= 0 && p[i] <= 1)) {
            lm_err_set(err, LM_ERR_DOMAIN, "%s: p(%lld) = %g is not a probability between 0 and 1", fn, (long long)i + 1, p[i]);
            return NULL;
        }
        ps += p[i];
    }
    if (fabsl(ps - 1) > LM_ST_SUM_TOL * (double)n) {
        lm_err_set(err, LM_ERR_DOMAIN, "%s: the probabilities sum to %.10g, not 1, so they are not a distribution", fn,
                   (double)ps);
        return NULL;
    }
    long double mu = 0, ex2 = 0, var = 0;
    for (int64_t i = 0; i < n; i++) {
        mu += (long double)x[i] * p[i];
        ex2 += (long double)x[i] * x[i] * p[i];
    }
    for (int64_t i = 0; i < n; i++) var += ((long double)x[i] - mu) * ((long double)x[i] - mu) * p[i];
    lm_steps *s = lm_steps_new();
    lm_buf t = LM_BUF_INIT;
    char a[40], b[40], c[40], d[40];
    lm_buf_puts(&t, "The expected value weighs each value by its probability: E[X] = Σ x·p(x) = ");
    terms(&t, x, p, n, false, 0);
    lm_buf_printf(&t, " = %s.", n6(a, (double)mu));
    add_num(s, "expected value", (double)mu, "E[X] = \\sum_x x\\,p(x)", lm_buf_cstr(&t));
    if (variance) {
        lm_buf_reset(&t);
        lm_buf_puts(&t, "The variance is the expected squared distance from the mean: Var(X) = Σ (x - E[X])²·p(x) = ");
        terms(&t, x, p, n, true, (double)mu);
        lm_buf_printf(&t, " = %s.", n6(a, (double)var));
        add_num(s, "variance", (double)var, "\\operatorname{Var}(X) = \\sum_x (x - E[X])^2\\,p(x)", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "Check with the shortcut Var(X) = E[X²] - (E[X])² = %s - %s² = %s; the standard deviation is "
                          "√Var(X) = %s.",
                      n6(a, (double)ex2), n6(b, (double)mu), n6(c, (double)(ex2 - mu * mu)), n6(d, sqrt((double)var)));
        add_num(s, "shortcut", (double)(ex2 - mu * mu), "\\operatorname{Var}(X) = E[X^2] - (E[X])^2", lm_buf_cstr(&t));
    }
    lm_buf_free(&t);
    lm_steps_set_result(s, lm_num(variance ? (double)var : (double)mu));
    return s;
}

/* ---- the t statistic ---- */

static void mean_sd(const double *x, int64_t n, double *m, double *sd) {
    *m = lm_stat_mean(x, n);
    *sd = n > 1 ? sqrt(lm_stat_ssd(x, n) / (double)(n - 1)) : NAN;
}

/* The p-value step of a t or z statistic, in words for the alternative. */
static void pvalue_step(lm_steps *s, const char *dist, double stat, double dof, lm_alt alt, double p) {
    char a[40], b[40], c[40];
    lm_buf t = LM_BUF_INIT;
    const char *tail = alt == LM_ALT_LESS ? "P(T <= t)" : alt == LM_ALT_GREATER ? "P(T >= t)" : "2·P(T >= |t|)";
    lm_buf_printf(&t, "Under H0, t follows %s(%s). The p-value is %s = %s: the chance of a statistic at least this far "
                      "from 0 in the direction of H1 if H0 were true (t = %s).",
                  dist, n6(a, dof), tail, n6(b, p), n6(c, stat));
    add_num(s, "p-value", p, alt == LM_ALT_TWO_SIDED ? "p = 2\\,P(T_{\\nu} \\ge |t|)" : alt == LM_ALT_LESS ? "p = P(T_{\\nu} \\le t)" : "p = P(T_{\\nu} \\ge t)",
            lm_buf_cstr(&t));
    lm_buf_free(&t);
}

lm_steps *lm_steps_ttest(const double *x, int64_t nx, const double *y, int64_t ny, double mu, bool paired,
                         bool equal_var, lm_alt alt, lm_err *err) {
    lm_htest *h = lm_test_t(x, nx, y, ny, mu, paired, equal_var, alt, 0.95, err);
    if (!h) return NULL;
    lm_steps *s = lm_steps_new();
    lm_buf t = LM_BUF_INIT;
    char a[40], b[40], c[40], d[40];
    double *diff = NULL;
    if (paired) {
        diff = lm_alloc((size_t)nx * sizeof *diff);
        for (int64_t i = 0; i < nx; i++) diff[i] = x[i] - y[i];
        lm_buf_printf(&t, "A paired test works on the differences d = x - y of each pair (%lld of them), and tests "
                          "whether their mean is %s.",
                      (long long)nx, n6(a, mu));
        add_mat(s, "differences", diff, nx, 1, "d_i = x_i - y_i", lm_buf_cstr(&t));
        x = diff;
        y = NULL;
    }
    if (!y) {
        double m, sd;
        mean_sd(x, nx, &m, &sd);
        double se = sd / sqrt((double)nx);
        lm_buf_reset(&t);
        /* a paired test names its data d, the differences */
        const char *v = paired ? "d" : "x", *vb = paired ? "d̄" : "x̄";
        lm_buf_printf(&t, "The sample mean is %s = Σ%s / n = %s (n = %lld).", vb, v, n6(a, m), (long long)nx);
        add_num(s, "sample mean", m, paired ? "\\bar{d} = \\frac{1}{n}\\sum_i d_i" : "\\bar{x} = \\frac{1}{n}\\sum_i x_i",
                lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "The sample standard deviation is s = √(Σ(%s - %s)² / (n - 1)) = %s.", v, vb, n6(a, sd));
        add_num(s, "standard deviation", sd, "s = \\sqrt{\\frac{\\sum_i (x_i - \\bar{x})^2}{n-1}}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "The standard error of the mean is s / √n = %s / √%lld = %s.", n6(a, sd), (long long)nx, n6(b, se));
        add_num(s, "standard error", se, "SE = \\frac{s}{\\sqrt{n}}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "t = (%s - μ0) / SE = (%s - %s) / %s = %s: how many standard errors the mean lies from μ0.", vb,
                      n6(a, m), n6(b, mu), n6(c, se), n6(d, h->statistic));
        add_num(s, "t statistic", h->statistic, "t = \\frac{\\bar{x} - \\mu_0}{SE}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "The degrees of freedom are n - 1 = %lld.", (long long)nx - 1);
        add_num(s, "degrees of freedom", h->df[0], "\\nu = n - 1", lm_buf_cstr(&t));
    } else {
        double m1, s1, m2, s2;
        mean_sd(x, nx, &m1, &s1);
        mean_sd(y, ny, &m2, &s2);
        lm_buf_reset(&t);
        lm_buf_printf(&t, "Means: x̄ = %s (n = %lld) and ȳ = %s (n = %lld).", n6(a, m1), (long long)nx, n6(b, m2),
                      (long long)ny);
        double mm[2] = {m1, m2};
        add_mat(s, "sample means", mm, 2, 1, "\\bar{x},\\ \\bar{y}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_printf(&t, "Sample variances (divisor n - 1): s_x² = %s and s_y² = %s.", n6(a, s1 * s1), n6(b, s2 * s2));
        double vv[2] = {s1 * s1, s2 * s2};
        add_mat(s, "sample variances", vv, 2, 1, "s_x^2,\\ s_y^2", lm_buf_cstr(&t));
        double se;
        if (equal_var) {
            double sp2 = ((double)(nx - 1) * s1 * s1 + (double)(ny - 1) * s2 * s2) / (double)(nx + ny - 2);
            se = sqrt(sp2 * (1.0 / (double)nx + 1.0 / (double)ny));
            lm_buf_reset(&t);
            lm_buf_printf(&t, "Assuming equal variances, pool them: s_p² = ((n_x - 1) s_x² + (n_y - 1) s_y²) / (n_x + n_y - 2) = %s.",
                          n6(a, sp2));
            add_num(s, "pooled variance", sp2, "s_p^2 = \\frac{(n_x-1)s_x^2 + (n_y-1)s_y^2}{n_x+n_y-2}", lm_buf_cstr(&t));
            lm_buf_reset(&t);
            lm_buf_printf(&t, "SE = s_p √(1/n_x + 1/n_y) = %s.", n6(a, se));
            add_num(s, "standard error", se, "SE = s_p\\sqrt{\\tfrac{1}{n_x} + \\tfrac{1}{n_y}}", lm_buf_cstr(&t));
        } else {
            se = sqrt(s1 * s1 / (double)nx + s2 * s2 / (double)ny);
            lm_buf_reset(&t);
            lm_buf_printf(&t, "Without assuming equal variances (Welch): SE = √(s_x²/n_x + s_y²/n_y) = %s.", n6(a, se));
            add_num(s, "standard error", se, "SE = \\sqrt{\\tfrac{s_x^2}{n_x} + \\tfrac{s_y^2}{n_y}}", lm_buf_cstr(&t));
        }
        lm_buf_reset(&t);
        char e[40];
        lm_buf_printf(&t, "t = (x̄ - ȳ - %s) / SE = (%s - %s - %s) / %s = %s.", n6(d, mu), n6(a, m1), n6(b, m2), n6(d, mu),
                      n6(c, se), n6(e, h->statistic));
        add_num(s, "t statistic", h->statistic, "t = \\frac{\\bar{x} - \\bar{y} - \\Delta_0}{SE}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        if (equal_var)
            lm_buf_printf(&t, "The degrees of freedom are n_x + n_y - 2 = %s.", n6(a, h->df[0]));
        else
            lm_buf_printf(&t, "Welch–Satterthwaite degrees of freedom: ν = SE⁴ / ((s_x²/n_x)²/(n_x - 1) + (s_y²/n_y)²/(n_y - 1)) = %s.",
                          n6(a, h->df[0]));
        add_num(s, "degrees of freedom", h->df[0],
                equal_var ? "\\nu = n_x + n_y - 2"
                          : "\\nu = \\frac{SE^4}{\\frac{(s_x^2/n_x)^2}{n_x-1} + \\frac{(s_y^2/n_y)^2}{n_y-1}}",
                lm_buf_cstr(&t));
    }
    pvalue_step(s, "Student's t", h->statistic, h->df[0], alt, h->p_value);
    lm_buf_free(&t);
    lm_free(diff);
    lm_value v = lm_htest_value(h);
    lm_steps_set_result(s, v);
    lm_release(v);
    return s;
}

/* ---- the chi-squared statistic ---- */

lm_steps *lm_steps_chisq(const double *x, int64_t r, int64_t c, const double *p, bool correct, lm_err *err) {
    bool gof = r == 1;
    lm_htest *h = gof ? lm_test_chisq_gof(x, c, p, err) : lm_test_chisq_indep(x, r, c, correct, err);
    if (!h) return NULL;
    lm_steps *s = lm_steps_new();
    lm_buf t = LM_BUF_INIT;
    char a[40], b[40];
    int64_t N = r * c;
    double *E = lm_alloc((size_t)N * sizeof *E), *contrib = lm_alloc((size_t)N * sizeof *contrib);
    double total = 0;
    for (int64_t i = 0; i < N; i++) total += x[i];
    double Y = 0;
    if (gof) {
        for (int64_t j = 0; j < c; j++) E[j] = total * (p ? p[j] : 1.0 / (double)c);
        lm_buf_printf(&t, "Expected counts under H0: E = n·p, with n = %s observations%s.", n6(a, total),
                      p ? "" : " and every category equally likely, p = 1/k");
        add_mat(s, "expected counts", E, 1, c, "E_i = n\\,p_i", lm_buf_cstr(&t));
    } else {
        double *sr = lm_calloc((size_t)r, sizeof *sr), *sc = lm_calloc((size_t)c, sizeof *sc);
        for (int64_t i = 0; i < r; i++)
            for (int64_t j = 0; j < c; j++) {
                sr[i] += x[i * c + j];
                sc[j] += x[i * c + j];
            }
        lm_buf_printf(&t, "Row totals (the grand total is n = %s).", n6(a, total));
        add_mat(s, "row totals", sr, r, 1, "R_i = \\sum_j O_{ij}", lm_buf_cstr(&t));
        lm_buf_reset(&t);
        lm_buf_puts(&t, "Column totals.");
        add_mat(s, "column totals", sc, 1, c, "C_j = \\sum_i O_{ij}", lm_buf_cstr(&t));
        for (int64_t i = 0; i < r; i++)
            for (int64_t j = 0; j < c; j++) E[i * c + j] = sr[i] * sc[j] / total;
        lm_buf_reset(&t);
        lm_buf_puts(&t, "If rows and columns were independent, cell (i, j) would expect E = (row total × column total) / n.");
        add_mat(s, "expected counts", E, r, c, "E_{ij} = \\frac{R_i C_j}{n}", lm_buf_cstr(&t));
        lm_free(sr);
        lm_free(sc);
        if (correct && r == 2 && c == 2) {
            Y = 0.5;
            for (int64_t i = 0; i < 4; i++) Y = fmin(Y, fabs(x[i] - E[i]));
            lm_buf_reset(&t);
            lm_buf_printf(&t, "For a 2×2 table, Yates' continuity correction shrinks each |O - E| by %s before squaring "
                              "(correct = false turns it off).",
                          n6(a, Y));
            add_num(s, "Yates' correction", Y, "|O - E| \\to |O - E| - \\tfrac{1}{2}", lm_buf_cstr(&t));
        }
    }
    for (int64_t i = 0; i < N; i++) {
        double d = fabs(x[i] - E[i]) - Y;
        contrib[i] = d * d / E[i];
    }
    lm_buf_reset(&t);
    lm_buf_printf(&t, "Each cell contributes (%sO - E%s)² / E: how surprising its count is.", Y ? "|" : "", Y ? "| - 1/2" : "");
    add_mat(s, "contributions", contrib, r, c, Y ? "\\frac{(|O - E| - \\frac12)^2}{E}" : "\\frac{(O - E)^2}{E}",
            lm_buf_cstr(&t));
    lm_buf_reset(&t);
    lm_buf_printf(&t, "X² is the sum of the contributions: X² = %s.", n6(a, h->statistic));
    add_num(s, "chi-squared statistic", h->statistic, "X^2 = \\sum \\frac{(O - E)^2}{E}", lm_buf_cstr(&t));
    lm_buf_reset(&t);
    if (gof) lm_buf_printf(&t, "Degrees of freedom: k - 1 = %lld categories - 1 = %s.", (long long)c, n6(a, h->df[0]));
    else lm_buf_printf(&t, "Degrees of freedom: (rows - 1)(columns - 1) = %lld·%lld = %s.", (long long)(r - 1), (long long)(c - 1),
                       n6(a, h->df[0]));
    add_num(s, "degrees of freedom", h->df[0], gof ? "\\nu = k - 1" : "\\nu = (r-1)(c-1)", lm_buf_cstr(&t));
    lm_buf_reset(&t);
    lm_buf_printf(&t, "The p-value is the upper tail P(χ²(%s) >= X²) = %s: large X² counts against H0.", n6(a, h->df[0]),
                  n6(b, h->p_value));
    add_num(s, "p-value", h->p_value, "p = P(\\chi^2_{\\nu} \\ge X^2)", lm_buf_cstr(&t));
    lm_buf_free(&t);
    lm_free(E);
    lm_free(contrib);
    lm_value v = lm_htest_value(h);
    lm_steps_set_result(s, v);
    lm_release(v);
    return s;
}

/* ---- one step of a Markov chain ---- */

lm_steps *lm_steps_markov(const lm_markov *m, const double *pi, lm_err *err) {
    int64_t n = m->n;
    long double ps = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!(pi[i] >= 0 && pi[i] <= 1)) {
            lm_err_set(err, LM_ERR_DOMAIN, "evolve: p(%lld) = %g is not a probability between 0 and 1", (long long)i + 1, pi[i]);
            return NULL;
        }
        ps += pi[i];
    }
    if (fabsl(ps - 1) > LM_ST_SUM_TOL * (double)n) {
        lm_err_set(err, LM_ERR_DOMAIN, "evolve: the distribution p sums to %.10g, not 1", (double)ps);
        return NULL;
    }
    double *next = lm_alloc((size_t)n * sizeof *next);
    lm_steps *s = lm_steps_new();
    lm_buf t = LM_BUF_INIT;
    char a[40], b[40], c[40];
    add_mat(s, "start", pi, 1, n, "\\pi_0",
            "Start from the distribution π over the states (a row: π(i) is the probability of being in state i now).");
    for (int64_t j = 0; j < n; j++) {
        long double v = 0;
        for (int64_t i = 0; i < n; i++) v += (long double)pi[i] * m->T[i * n + j];
        next[j] = (double)v;
        if (n <= 6) {
            lm_buf_reset(&t);
            lm_buf_printf(&t, "To be in state %lld next, come from any state i and move i → %lld: π'(%lld) = Σ π(i) T(i, %lld) = ",
                          (long long)j + 1, (long long)j + 1, (long long)j + 1, (long long)j + 1);
            for (int64_t i = 0; i < n; i++)
                lm_buf_printf(&t, "%s%s·%s", i ? " + " : "", n6(a, pi[i]), n6(b, m->T[i * n + j]));
            lm_buf_printf(&t, " = %s.", n6(c, next[j]));
            char rule[48];
            snprintf(rule, sizeof rule, "state %lld", (long long)j + 1);
            add_num(s, rule, next[j], "\\pi'_j = \\sum_i \\pi_i T_{ij}", lm_buf_cstr(&t));
        }
    }
    lm_buf_reset(&t);
    lm_buf_puts(&t, "Together: the next distribution is the row π' = π T (each entry is a column of T weighted by π).");
    add_mat(s, "one step", next, 1, n, "\\pi' = \\pi T", lm_buf_cstr(&t));
    lm_buf_free(&t);
    lm_tensor *r = lm_tensor_matrix(1, n, err);
    if (r) {
        memcpy(r->data, next, (size_t)n * sizeof *next);
        lm_value v = lm_tensor_value(r);
        lm_steps_set_result(s, v);
        lm_release(v);
    } else {
        lm_obj_release(&s->hdr);
        s = NULL;
    }
    lm_free(next);
    return s;
}
