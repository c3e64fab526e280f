/* Hypothesis tests and intervals with R's definitions, so that every statistic,
 * df and p-value matches R 4.2 (t.test, chisq.test, binom.test, prop.test,
 * oneway.test/aov): the formulas below follow R's sources step for step and the
 * tail probabilities come from Rmath, the same code R runs. A test result is an
 * lm_htest object that prints an R-like report with a verdict for a learner. */
#include "prob/st_int.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- alternatives ---- */

const char *lm_alt_name(lm_alt a) {
    switch (a) {
    case LM_ALT_LESS: return "less";
    case LM_ALT_GREATER: return "greater";
    default: return "two.sided";
    }
}

bool lm_alt_parse(const char *s, lm_alt *out) {
    if (!strcmp(s, "two.sided") || !strcmp(s, "two-sided") || !strcmp(s, "two_sided")) *out = LM_ALT_TWO_SIDED;
    else if (!strcmp(s, "less")) *out = LM_ALT_LESS;
    else if (!strcmp(s, "greater")) *out = LM_ALT_GREATER;
    else return false;
    return true;
}

/* ---- the test object ---- */

static void htest_free(lm_obj *o) {
    lm_htest *t = (lm_htest *)o;
    lm_free(t->name);
    lm_free(t->stat_name);
    for (int i = 0; i < t->nest; i++) lm_free(t->est_names[i]);
    lm_free(t->est_names);
    lm_free(t->estimate);
    lm_free(t->param);
    lm_free(t->h0);
    lm_free(t->h1);
    lm_free(t->note);
    lm_free(t);
}

static const char *rel_word(lm_alt a, bool null) {
    if (null) return "=";
    switch (a) {
    case LM_ALT_LESS: return "<";
    case LM_ALT_GREATER: return ">";
    default: return "≠";
    }
}

/* α of the verdict: 1 - conf for tests with an interval, otherwise 5%. */
static double verdict_alpha(const lm_htest *t) { return isfinite(t->conf) && t->conf > 0 && t->conf < 1 ? 1 - t->conf : 0.05; }

/* Display columns of s[0..n): one per code point (the report's α, ≥, ², ≠ are
 * each one column wide but two bytes). */
static size_t columns(const char *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Copies text to out with each line broken at spaces so that it fits `width`
 * columns, as a terminal of 80 shows it whole; a continuation is indented two
 * more than its line. A word longer than a line stays whole. */
static void put_wrapped(lm_buf *out, const char *text, size_t width) {
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        size_t indent = strspn(text, " ");
        const char *p = text, *end = text + len;
        size_t lead = 0; /* spaces to put before the current piece */
        while (p < end) {
            /* the longest prefix of [p, end) that fits, cut at a space */
            const char *cut = end;
            if (lead + columns(p, (size_t)(end - p)) > width) {
                const char *sp = NULL;
                for (const char *q = p + 1; q < end; q++)
                    if (*q == ' ' && q[-1] != ' ') {
                        if (lead + columns(p, (size_t)(q - p)) > width) break;
                        sp = q;
                    }
                if (!sp) { /* one long word: keep it whole, up to the next space */
                    sp = p + 1;
                    while (sp < end && *sp != ' ') sp++;
                }
                cut = sp;
            }
            for (size_t k = 0; k < lead; k++) lm_buf_putc(out, ' ');
            lm_buf_put(out, p, (size_t)(cut - p));
            p = cut;
            while (p < end && *p == ' ') p++;
            if (p < end) {
                lm_buf_putc(out, '\n');
                lead = indent + 2;
            }
        }
        if (!nl) break;
        lm_buf_putc(out, '\n');
        text = nl + 1;
    }
}

static void htest_text_long(const lm_htest *t, lm_buf *out, int digits);

static void htest_text(const lm_obj *o, lm_buf *out, int digits) {
    lm_buf whole = LM_BUF_INIT;
    htest_text_long((const lm_htest *)o, &whole, digits);
    put_wrapped(out, lm_buf_cstr(&whole), 80);
    lm_buf_free(&whole);
}

/* The report with each item on one line, however long; htest_text wraps it. */
static void htest_text_long(const lm_htest *t, lm_buf *out, int digits) {
    char a[40], b[40], c[40];
    lm_buf_printf(out, "%s\n", t->name);
    if (t->param) {
        lm_st_fmt(a, t->null_value, digits);
        lm_buf_printf(out, "  H0: %s %s %s\n", t->param, rel_word(t->alt, true), a);
        lm_buf_printf(out, "  H1: %s %s %s\n", t->param, rel_word(t->alt, false), a);
    } else {
        if (t->h0) lm_buf_printf(out, "  H0: %s\n", t->h0);
        if (t->h1) lm_buf_printf(out, "  H1: %s\n", t->h1);
    }
    if (t->has_table) {
        const lm_anova_table *tb = &t->table;
        char s1[40], s2[40], m1[40], m2[40];
        lm_st_fmt(s1, tb->ss_between, digits);
        lm_st_fmt(s2, tb->ss_within, digits);
        lm_st_fmt(m1, tb->ms_between, digits);
        lm_st_fmt(m2, tb->ms_within, digits);
        int w1 = (int)(strlen(s1) > strlen(s2) ? strlen(s1) : strlen(s2)), w2 = (int)(strlen(m1) > strlen(m2) ? strlen(m1) : strlen(m2));
        if (w1 < 6) w1 = 6;
        if (w2 < 7) w2 = 7;
        lm_buf_printf(out, "  %-9s %6s  %*s  %*s\n", "", "df", w1, "sum sq", w2, "mean sq");
        lm_buf_printf(out, "  %-9s %6.0f  %*s  %*s\n", "between", tb->df_between, w1, s1, w2, m1);
        lm_buf_printf(out, "  %-9s %6.0f  %*s  %*s\n", "within", tb->df_within, w1, s2, w2, m2);
    }
    lm_st_fmt(a, t->statistic, digits);
    lm_buf_printf(out, "  %s = %s", t->stat_name, a);
    if (t->ndf == 1) {
        lm_st_fmt(b, t->df[0], digits);
        lm_buf_printf(out, ", df = %s", b);
    } else if (t->ndf == 2) {
        lm_st_fmt(b, t->df[0], digits);
        lm_st_fmt(c, t->df[1], digits);
        lm_buf_printf(out, ", df = %s and %s", b, c);
    }
    lm_st_fmt(a, t->p_value, digits);
    lm_buf_printf(out, ", p-value = %s\n", a);
    if (t->has_table) {
        lm_st_fmt(a, t->table.r_squared, digits);
        lm_st_fmt(b, t->table.residual_sd, digits);
        lm_buf_printf(out, "  R² = %s (the share of the variation explained by the groups), residual standard deviation = %s\n",
                       a, b);
    }
    if (t->has_ci) {
        lm_st_fmt(a, t->ci[0], digits);
        lm_st_fmt(b, t->ci[1], digits);
        lm_st_fmt(c, 100 * t->conf, digits ? 4 : 0);
        lm_buf_printf(out, "  %s%% confidence interval: %s%s, %s%s\n", c, isinf(t->ci[0]) ? "(" : "[", a, b,
                      isinf(t->ci[1]) ? ")" : "]");
    }
    if (t->nest) {
        lm_buf_puts(out, t->nest == 1 ? "  estimate: " : "  estimates: ");
        for (int i = 0; i < t->nest; i++) {
            lm_st_fmt(a, t->estimate[i], digits);
            lm_buf_printf(out, "%s%s = %s", i ? ", " : "", t->est_names[i], a);
        }
        lm_buf_putc(out, '\n');
    }
    if (t->note) lm_buf_printf(out, "  note: %s\n", t->note);
    /* the verdict, in words a learner can check against the numbers above */
    double alpha = verdict_alpha(t);
    lm_st_fmt(a, t->p_value, digits); /* as many digits as the report, so p and α compare as printed */
    lm_st_fmt(b, alpha, 4);
    lm_st_fmt(c, 100 * alpha, 4);
    if (isnan(t->p_value))
        lm_buf_puts(out, "  The p-value is undefined (nan), so this test gives no verdict.");
    else if (t->p_value < alpha)
        lm_buf_printf(out,
                      "  p = %s < α = %s: at the %s%% level we reject H0, since data at least this extreme would "
                      "be rare if H0 were true.",
                      a, b, c);
    else
        lm_buf_printf(out,
                      "  p = %s ≥ α = %s: at the %s%% level we do not reject H0; the data are consistent with it, "
                      "which is not a proof that it is true.",
                      a, b, c);
}

static void htest_json(const lm_obj *o, lm_buf *out) {
    const lm_htest *t = (const lm_htest *)o;
    lm_buf_puts(out, "\"type\":\"test\",\"name\":");
    lm_st_json_str(out, t->name);
    lm_st_json_key(out, "statistic_name");
    lm_st_json_str(out, t->stat_name);
    lm_st_json_key(out, "statistic");
    lm_st_json_num(out, t->statistic);
    lm_st_json_key(out, "df");
    if (t->ndf == 0) lm_buf_puts(out, "null");
    else if (t->ndf == 1) lm_st_json_num(out, t->df[0]);
    else lm_st_json_nums(out, t->df, 2);
    lm_st_json_key(out, "p_value");
    lm_st_json_num(out, t->p_value);
    lm_st_json_key(out, "conf_int");
    lm_st_json_nums(out, t->has_ci ? t->ci : NULL, 2);
    lm_st_json_key(out, "conf_level");
    if (t->has_ci) lm_st_json_num(out, t->conf);
    else lm_buf_puts(out, "null");
    lm_st_json_key(out, "estimate");
    lm_st_json_nums(out, t->nest ? t->estimate : NULL, t->nest);
    lm_st_json_key(out, "estimate_names");
    if (!t->nest) lm_buf_puts(out, "null");
    else {
        lm_buf_putc(out, '[');
        for (int i = 0; i < t->nest; i++) {
            if (i) lm_buf_putc(out, ',');
            lm_st_json_str(out, t->est_names[i]);
        }
        lm_buf_putc(out, ']');
    }
    lm_st_json_key(out, "null_value");
    if (t->param) lm_st_json_num(out, t->null_value);
    else lm_buf_puts(out, "null");
    lm_st_json_key(out, "alternative");
    if (t->has_alt) lm_st_json_str(out, lm_alt_name(t->alt));
    else lm_buf_puts(out, "null");
    if (t->has_table) {
        const lm_anova_table *tb = &t->table;
        lm_buf_puts(out, ",\"anova\":{\"between\":{\"df\":");
        lm_st_json_num(out, tb->df_between);
        lm_buf_puts(out, ",\"ss\":");
        lm_st_json_num(out, tb->ss_between);
        lm_buf_puts(out, ",\"ms\":");
        lm_st_json_num(out, tb->ms_between);
        lm_buf_puts(out, "},\"within\":{\"df\":");
        lm_st_json_num(out, tb->df_within);
        lm_buf_puts(out, ",\"ss\":");
        lm_st_json_num(out, tb->ss_within);
        lm_buf_puts(out, ",\"ms\":");
        lm_st_json_num(out, tb->ms_within);
        lm_buf_puts(out, "},\"r_squared\":");
        lm_st_json_num(out, tb->r_squared);
        lm_buf_puts(out, ",\"residual_sd\":");
        lm_st_json_num(out, tb->residual_sd);
        lm_buf_putc(out, '}');
    }
}

const lm_objtype lm_htest_type = {"test", htest_free, htest_text, htest_json};

static lm_htest *htest_new(const char *name, const char *stat_name) {
    lm_htest *t = lm_calloc(1, sizeof *t);
    lm_obj_init(&t->hdr, LM_TEST, &lm_htest_type);
    t->name = lm_strdup(name);
    t->stat_name = lm_strdup(stat_name);
    t->statistic = t->p_value = t->conf = t->null_value = NAN;
    t->df[0] = t->df[1] = NAN;
    return t;
}

static void htest_estimate(lm_htest *t, double value, const char *fmt, ...) LM_PRINTF(3, 4);
static void htest_estimate(lm_htest *t, double value, const char *fmt, ...) {
    t->estimate = lm_realloc(t->estimate, (size_t)(t->nest + 1) * sizeof *t->estimate);
    t->est_names = lm_realloc(t->est_names, (size_t)(t->nest + 1) * sizeof *t->est_names);
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    t->estimate[t->nest] = value;
    t->est_names[t->nest] = lm_buf_steal(&b);
    t->nest++;
}

static void htest_param(lm_htest *t, const char *param, double null_value, lm_alt alt) {
    t->param = lm_strdup(param);
    t->null_value = null_value;
    t->has_alt = true;
    t->alt = alt;
}

/* ---- argument checks shared by the tests ---- */

static lm_status check_conf(const char *fn, double conf, lm_err *err) {
    if (!(conf > 0 && conf < 1))
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "%s: conf must be a confidence level strictly between 0 and 1 (such as 0.95), not %g", fn,
                          conf);
    return LM_OK;
}

static lm_status check_finite(const char *fn, const char *what, const double *x, int64_t n, lm_err *err) {
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return lm_err_set(err, LM_ERR_DOMAIN, "%s: element %lld of %s is %g; the data must be finite numbers", fn,
                              (long long)i + 1, what, x[i]);
    return LM_OK;
}

/* Mean and sample variance by the corrected two-pass algorithm (Chan, Golub
 * & LeVeque): the second pass adds back the mean of the residuals and
 * subtracts (Σd)²/n. Four interleaved accumulators keep the additions
 * independent, which makes a 1000-value t-test several times faster than one
 * long dependency chain, at the same accuracy (well inside R's 1e-10). */
static void mean_var(const double *x, int64_t n, double *mean, double *var) {
    double s[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) s[k] += x[i + k];
    for (; i < n; i++) s[0] += x[i];
    double m = ((s[0] + s[1]) + (s[2] + s[3])) / (double)n;
    double q[4] = {0, 0, 0, 0}, l[4] = {0, 0, 0, 0};
    for (i = 0; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) {
            double d = x[i + k] - m;
            q[k] += d * d;
            l[k] += d;
        }
    for (; i < n; i++) {
        double d = x[i] - m;
        q[0] += d * d;
        l[0] += d;
    }
    double lin = (l[0] + l[1]) + (l[2] + l[3]), ss = (q[0] + q[1]) + (q[2] + q[3]) - lin * lin / (double)n;
    *mean = m + lin / (double)n;
    *var = n > 1 ? (ss > 0 ? ss : 0) / (double)(n - 1) : NAN;
}

/* ---- z test ---- */

lm_htest *lm_test_z(const double *x, int64_t nx, const double *y, int64_t ny, double mu, double sigma_x,
                    double sigma_y, lm_alt alt, double conf, lm_err *err) {
    if (check_conf("ztest", conf, err)) return NULL;
    if (nx < 1 || (y && ny < 1)) {
        lm_err_set(err, LM_ERR_DOMAIN, "ztest: each sample needs at least one observation");
        return NULL;
    }
    if (check_finite("ztest", "x", x, nx, err) || (y && check_finite("ztest", "y", y, ny, err))) return NULL;
    if (!(sigma_x > 0) || !isfinite(sigma_x) || (y && (!(sigma_y > 0) || !isfinite(sigma_y)))) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "ztest: sigma, the known population standard deviation, must be a positive number");
        return NULL;
    }
    if (!isfinite(mu)) {
        lm_err_set(err, LM_ERR_DOMAIN, "ztest: mu must be a finite number, not %g", mu);
        return NULL;
    }
    double mx, my = 0, unused;
    mean_var(x, nx, &mx, &unused);
    if (y) mean_var(y, ny, &my, &unused);
    double se = y ? sqrt(sigma_x * sigma_x / (double)nx + sigma_y * sigma_y / (double)ny) : sigma_x / sqrt((double)nx);
    double z = (mx - my - mu) / se;
    lm_htest *t = htest_new(y ? "Two-sample z-test" : "One-sample z-test", "z");
    t->statistic = z;
    double q;
    switch (alt) {
    case LM_ALT_LESS:
        t->p_value = pnorm(z, 0, 1, 1, 0);
        q = qnorm(conf, 0, 1, 1, 0);
        t->ci[0] = -INFINITY;
        t->ci[1] = mu + (z + q) * se;
        break;
    case LM_ALT_GREATER:
        t->p_value = pnorm(z, 0, 1, 0, 0);
        q = qnorm(conf, 0, 1, 1, 0);
        t->ci[0] = mu + (z - q) * se;
        t->ci[1] = INFINITY;
        break;
    default:
        t->p_value = 2 * pnorm(-fabs(z), 0, 1, 1, 0);
        q = qnorm(1 - (1 - conf) / 2, 0, 1, 1, 0);
        t->ci[0] = mu + (z - q) * se;
        t->ci[1] = mu + (z + q) * se;
    }
    t->has_ci = true;
    t->conf = conf;
    if (y) {
        htest_estimate(t, mx, "mean of x");
        htest_estimate(t, my, "mean of y");
        htest_param(t, "true difference in means", mu, alt);
    } else {
        htest_estimate(t, mx, "mean of x");
        htest_param(t, "true mean", mu, alt);
    }
    return t;
}

/* ---- t tests (R's t.test.default) ---- */

lm_htest *lm_test_t(const double *x, int64_t nx, const double *y, int64_t ny, double mu, bool paired,
                    bool equal_var, lm_alt alt, double conf, lm_err *err) {
    if (check_conf("ttest", conf, err)) return NULL;
    if (!isfinite(mu)) {
        lm_err_set(err, LM_ERR_DOMAIN, "ttest: mu must be a finite number, not %g", mu);
        return NULL;
    }
    if (check_finite("ttest", "x", x, nx, err) || (y && check_finite("ttest", "y", y, ny, err))) return NULL;
    double *diff = NULL;
    if (paired) {
        if (!y) {
            lm_err_set(err, LM_ERR_TYPE, "ttest: a paired test needs two samples, as in ttest(before, after, paired = true)");
            return NULL;
        }
        if (nx != ny) {
            lm_err_set(err, LM_ERR_SHAPE,
                       "ttest: a paired test compares x(i) with y(i), so x and y need the same length, not %lld and %lld",
                       (long long)nx, (long long)ny);
            return NULL;
        }
        diff = lm_alloc((size_t)(nx ? nx : 1) * sizeof *diff);
        for (int64_t i = 0; i < nx; i++) diff[i] = x[i] - y[i];
        x = diff;
        y = NULL;
    }
    double mx = NAN, vx = NAN;
    if (nx) mean_var(x, nx, &mx, &vx);
    double se, dof, stat;
    lm_htest *t = NULL;
    if (!y) {
        if (nx < 2) {
            lm_err_set(err, LM_ERR_DOMAIN, "ttest: %s needs at least 2 observations to estimate a variance, not %lld",
                       paired ? "a paired test" : "a one-sample test", (long long)nx);
            goto out;
        }
        dof = (double)(nx - 1);
        se = sqrt(vx / (double)nx);
        if (se < 10 * DBL_EPSILON * fabs(mx)) {
            lm_err_set(err, LM_ERR_DOMAIN, "ttest: the data are essentially constant, so their spread is 0 and t is undefined");
            goto out;
        }
        stat = (mx - mu) / se;
        t = htest_new(paired ? "Paired t-test" : "One Sample t-test", "t");
        htest_estimate(t, mx, paired ? "mean difference" : "mean of x");
        htest_param(t, paired ? "true mean difference" : "true mean", mu, alt);
    } else {
        if (nx < 1 || (!equal_var && nx < 2) || ny < 1 || (!equal_var && ny < 2) || (equal_var && nx + ny < 3)) {
            lm_err_set(err, LM_ERR_DOMAIN,
                       "ttest: not enough observations (x has %lld, y has %lld); %s", (long long)nx, (long long)ny,
                       equal_var ? "the pooled test needs at least 3 in all" : "Welch's test needs at least 2 in each");
            goto out;
        }
        double my, vy;
        mean_var(y, ny, &my, &vy);
        if (equal_var) {
            dof = (double)(nx + ny - 2);
            double v = 0;
            if (nx > 1) v += (double)(nx - 1) * vx;
            if (ny > 1) v += (double)(ny - 1) * vy;
            v /= dof;
            se = sqrt(v * (1.0 / (double)nx + 1.0 / (double)ny));
        } else {
            double sx = sqrt(vx / (double)nx), sy = sqrt(vy / (double)ny);
            se = sqrt(sx * sx + sy * sy);
            dof = pow(se, 4) / (pow(sx, 4) / (double)(nx - 1) + pow(sy, 4) / (double)(ny - 1));
        }
        if (se < 10 * DBL_EPSILON * fmax(fabs(mx), fabs(my))) {
            lm_err_set(err, LM_ERR_DOMAIN, "ttest: the data are essentially constant, so their spread is 0 and t is undefined");
            goto out;
        }
        stat = (mx - my - mu) / se;
        t = htest_new(equal_var ? "Two Sample t-test" : "Welch Two Sample t-test", "t");
        htest_estimate(t, mx, "mean of x");
        htest_estimate(t, my, "mean of y");
        htest_param(t, "true difference in means", mu, alt);
    }
    t->statistic = stat;
    t->ndf = 1;
    t->df[0] = dof;
    double lo, hi, q;
    switch (alt) {
    case LM_ALT_LESS:
        t->p_value = pt(stat, dof, 1, 0);
        lo = -INFINITY;
        hi = stat + qt(conf, dof, 1, 0);
        break;
    case LM_ALT_GREATER:
        t->p_value = pt(stat, dof, 0, 0);
        lo = stat - qt(conf, dof, 1, 0);
        hi = INFINITY;
        break;
    default:
        t->p_value = 2 * pt(-fabs(stat), dof, 1, 0);
        q = qt(1 - (1 - conf) / 2, dof, 1, 0);
        lo = stat - q;
        hi = stat + q;
    }
    t->has_ci = true;
    t->conf = conf;
    t->ci[0] = mu + lo * se;
    t->ci[1] = mu + hi * se;
out:
    lm_free(diff);
    return t;
}

/* ---- chi-squared tests (R's chisq.test) ---- */

static bool any_below_5(const double *E, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (E[i] < 5) return true;
    return false;
}

static const char small_expected_note[] =
    "some expected counts are below 5, so the chi-squared approximation may be inaccurate";

lm_htest *lm_test_chisq_indep(const double *x, int64_t r, int64_t c, bool correct, lm_err *err) {
    if (r < 2 || c < 2) {
        lm_err_set(err, LM_ERR_SHAPE, "chisq: a test of independence needs a table with at least 2 rows and 2 columns, not %lld×%lld",
                   (long long)r, (long long)c);
        return NULL;
    }
    double total = 0;
    for (int64_t i = 0; i < r * c; i++) {
        if (!isfinite(x[i]) || x[i] < 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "chisq: the count at (%lld, %lld) is %g; counts must be finite and not negative",
                       (long long)(i / c) + 1, (long long)(i % c) + 1, x[i]);
            return NULL;
        }
        total += x[i];
    }
    double *sr = lm_calloc((size_t)r, sizeof *sr), *sc = lm_calloc((size_t)c, sizeof *sc);
    double *E = lm_alloc_big((size_t)(r * c) * sizeof *E);
    lm_htest *t = NULL;
    if (!E) {
        lm_err_set(err, LM_ERR_LIMIT, "chisq: the table is too large");
        goto out;
    }
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++) {
            sr[i] += x[i * c + j];
            sc[j] += x[i * c + j];
        }
    for (int64_t i = 0; i < r; i++)
        if (sr[i] == 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "chisq: row %lld of the table is all zeros, so its expected counts are 0 and X² is undefined",
                       (long long)i + 1);
            goto out;
        }
    for (int64_t j = 0; j < c; j++)
        if (sc[j] == 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "chisq: column %lld of the table is all zeros, so its expected counts are 0 and X² is undefined",
                       (long long)j + 1);
            goto out;
        }
    /* E = outer(sr, sc) / n, as R */
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++) E[i * c + j] = sr[i] * sc[j] / total;
    bool yates = correct && r == 2 && c == 2;
    double Y = 0;
    if (yates) {
        Y = 0.5;
        for (int64_t i = 0; i < 4; i++) Y = fmin(Y, fabs(x[i] - E[i]));
    }
    double stat = 0;
    for (int64_t i = 0; i < r * c; i++) {
        double d = fabs(x[i] - E[i]) - Y;
        stat += d * d / E[i];
    }
    t = htest_new(yates ? "Pearson's Chi-squared test with Yates' continuity correction" : "Pearson's Chi-squared test",
                  "X-squared");
    t->statistic = stat;
    t->ndf = 1;
    t->df[0] = (double)((r - 1) * (c - 1));
    t->p_value = pchisq(stat, t->df[0], 0, 0);
    t->h0 = lm_strdup("the row variable and the column variable are independent");
    t->h1 = lm_strdup("they are associated (the counts depart from rowtotal × coltotal / n)");
    if (any_below_5(E, r * c)) t->note = lm_strdup(small_expected_note);
out:
    lm_free(sr);
    lm_free(sc);
    lm_free(E);
    return t;
}

lm_htest *lm_test_chisq_gof(const double *x, int64_t k, const double *p, lm_err *err) {
    if (k < 2) {
        lm_err_set(err, LM_ERR_SHAPE, "chisq: a goodness-of-fit test needs at least 2 categories, not %lld", (long long)k);
        return NULL;
    }
    double n = 0, ps = 0;
    for (int64_t i = 0; i < k; i++) {
        if (!isfinite(x[i]) || x[i] < 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "chisq: count %lld is %g; counts must be finite and not negative", (long long)i + 1, x[i]);
            return NULL;
        }
        n += x[i];
        if (p) {
            if (!(p[i] >= 0) || !isfinite(p[i])) {
                lm_err_set(err, LM_ERR_DOMAIN, "chisq: p(%lld) = %g; the expected probabilities must be between 0 and 1",
                           (long long)i + 1, p[i]);
                return NULL;
            }
            ps += p[i];
        }
    }
    if (n == 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "chisq: all counts are 0, so there is nothing to test");
        return NULL;
    }
    if (p && fabs(ps - 1) > sqrt(DBL_EPSILON)) {
        lm_err_set(err, LM_ERR_DOMAIN, "chisq: the expected probabilities p sum to %.10g, not 1", ps);
        return NULL;
    }
    double *E = lm_alloc_big((size_t)k * sizeof *E);
    if (!E) {
        lm_err_set(err, LM_ERR_LIMIT, "chisq: too many categories");
        return NULL;
    }
    double stat = 0;
    for (int64_t i = 0; i < k; i++) {
        E[i] = n * (p ? p[i] : 1.0 / (double)k);
        double d = x[i] - E[i];
        stat += d * d / E[i];
    }
    lm_htest *t = htest_new("Chi-squared test for given probabilities", "X-squared");
    t->statistic = stat;
    t->ndf = 1;
    t->df[0] = (double)(k - 1);
    t->p_value = pchisq(stat, t->df[0], 0, 0);
    t->h0 = lm_strdup(p ? "the counts come from the given probabilities" : "all categories are equally likely");
    t->h1 = lm_strdup(p ? "they come from some other probabilities" : "some categories are more likely than others");
    if (any_below_5(E, k)) t->note = lm_strdup(small_expected_note);
    lm_free(E);
    return t;
}

/* ---- exact binomial test (R's binom.test) ---- */

static bool whole(double v) { return isfinite(v) && v == floor(v); }

/* How many outcomes i from `from` towards `to` (either direction) have
 * dbinom(i) <= thr: R's binom.test counts them one by one. The pmf falls
 * monotonically away from the mode, and `from` is on the mode's side, so the
 * outcomes counted form the far end of the range: the first steps, where
 * neighbours can be equal to rounding, are scanned one by one as R does, and
 * the rest found by bisection, so n = 10^12 costs microseconds. */
static double count_at_most(double n, double p, double from, double to, double thr) {
    double step = to >= from ? 1 : -1, len = fabs(to - from) + 1, y = 0;
    double scan = len < 64 ? len : 64;
    for (double j = 0; j < scan; j++) y += dbinom(from + step * j, n, p, 0) <= thr;
    if (scan == len) return y;
    /* in [from + 64 step, to]: the first index at which the pmf is <= thr */
    double lo = scan, hi = len; /* offsets; answer in [lo, hi], hi = none */
    while (lo < hi) {
        double mid = floor((lo + hi) / 2);
        if (dbinom(from + step * mid, n, p, 0) <= thr) hi = mid;
        else lo = mid + 1;
    }
    return y + (len - lo);
}

lm_htest *lm_test_binom(double k, double n, double p, lm_alt alt, double conf, lm_err *err) {
    if (check_conf("binomtest", conf, err)) return NULL;
    if (!whole(n) || n < 1 || n > 9007199254740992.0) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "binomtest: n, the number of trials, must be a whole number from 1 to 2^53, not %g", n);
        return NULL;
    }
    if (!whole(k) || k < 0 || k > n) {
        lm_err_set(err, LM_ERR_DOMAIN, "binomtest: k, the number of successes, must be a whole number from 0 to n = %g, not %g",
                   n, k);
        return NULL;
    }
    if (!(p >= 0 && p <= 1)) {
        lm_err_set(err, LM_ERR_DOMAIN, "binomtest: p, the probability of success under H0, must be between 0 and 1, not %g", p);
        return NULL;
    }
    double pv;
    switch (alt) {
    case LM_ALT_LESS: pv = pbinom(k, n, p, 1, 0); break;
    case LM_ALT_GREATER: pv = pbinom(k - 1, n, p, 0, 0); break;
    default:
        if (p == 0) pv = k == 0;
        else if (p == 1) pv = k == n;
        else {
            /* R's rule: add the probabilities of the outcomes on the other side
               that are no more likely than k (with a relative slack of 1e-7) */
            const double rel = 1 + 1e-7;
            double d = dbinom(k, n, p, 0), m = n * p;
            if (k == m) pv = 1;
            else if (k < m) {
                double y = count_at_most(n, p, ceil(m), n, d * rel);
                pv = pbinom(k, n, p, 1, 0) + pbinom(n - y, n, p, 0, 0);
            } else {
                double y = count_at_most(n, p, floor(m), 0, d * rel);
                pv = pbinom(y - 1, n, p, 1, 0) + pbinom(k - 1, n, p, 0, 0);
            }
        }
    }
    lm_htest *t = htest_new("Exact binomial test", "successes");
    t->statistic = k;
    t->p_value = fmin(1, pv);
    /* Clopper–Pearson limits from beta quantiles */
    double lo, hi, a;
    switch (alt) {
    case LM_ALT_LESS:
        lo = 0;
        hi = k == n ? 1 : qbeta(conf, k + 1, n - k, 1, 0);
        break;
    case LM_ALT_GREATER:
        lo = k == 0 ? 0 : qbeta(1 - conf, k, n - k + 1, 1, 0);
        hi = 1;
        break;
    default:
        a = (1 - conf) / 2;
        lo = k == 0 ? 0 : qbeta(a, k, n - k + 1, 1, 0);
        hi = k == n ? 1 : qbeta(1 - a, k + 1, n - k, 1, 0);
    }
    t->has_ci = true;
    t->conf = conf;
    t->ci[0] = lo;
    t->ci[1] = hi;
    htest_estimate(t, k / n, "probability of success");
    htest_param(t, "true probability of success", p, alt);
    return t;
}

/* ---- proportions (R's prop.test) ---- */

lm_htest *lm_test_prop(const double *x, const double *n, int64_t m, const double *p, lm_alt alt, double conf,
                       bool correct, lm_err *err) {
    if (check_conf("proptest", conf, err)) return NULL;
    if (m < 1) {
        lm_err_set(err, LM_ERR_SHAPE, "proptest: give at least one group: k successes out of n trials");
        return NULL;
    }
    for (int64_t i = 0; i < m; i++) {
        if (!whole(n[i]) || n[i] < 1) {
            lm_err_set(err, LM_ERR_DOMAIN, "proptest: n(%lld) = %g; each number of trials must be a whole number of at least 1",
                       (long long)i + 1, n[i]);
            return NULL;
        }
        if (!whole(x[i]) || x[i] < 0 || x[i] > n[i]) {
            lm_err_set(err, LM_ERR_DOMAIN, "proptest: k(%lld) = %g; each number of successes must be a whole number from 0 to n(%lld) = %g",
                       (long long)i + 1, x[i], (long long)i + 1, n[i]);
            return NULL;
        }
        if (p && !(p[i] > 0 && p[i] < 1)) {
            lm_err_set(err, LM_ERR_DOMAIN, "proptest: p(%lld) = %g; each proportion under H0 must be strictly between 0 and 1",
                       (long long)i + 1, p[i]);
            return NULL;
        }
    }
    if (m > 2 || (m == 2 && p)) alt = LM_ALT_TWO_SIDED; /* as R: no direction with more than one parameter */
    double pnull1 = 0.5;
    const double *pp = p;
    if (m == 1 && !p) pp = &pnull1;
    double *est = lm_alloc((size_t)m * sizeof *est);
    for (int64_t i = 0; i < m; i++) est[i] = x[i] / n[i];
    double Y = correct && m <= 2 ? 0.5 : 0;
    bool has_ci = false;
    double ci[2] = {NAN, NAN}, delta = 0;
    double zq = qnorm(alt == LM_ALT_TWO_SIDED ? (1 + conf) / 2 : conf, 0, 1, 1, 0);
    if (m == 1) {
        Y = fmin(Y, fabs(x[0] - n[0] * pp[0]));
        double z22n = zq * zq / (2 * n[0]);
        double pc = est[0] + Y / n[0];
        double pu = pc >= 1 ? 1 : (pc + z22n + zq * sqrt(pc * (1 - pc) / n[0] + z22n / (2 * n[0]))) / (1 + 2 * z22n);
        pc = est[0] - Y / n[0];
        double pl = pc <= 0 ? 0 : (pc + z22n - zq * sqrt(pc * (1 - pc) / n[0] + z22n / (2 * n[0]))) / (1 + 2 * z22n);
        ci[0] = alt == LM_ALT_LESS ? 0 : fmax(pl, 0);
        ci[1] = alt == LM_ALT_GREATER ? 1 : fmin(pu, 1);
        has_ci = true;
    } else if (m == 2 && !p) {
        delta = est[0] - est[1];
        double sinv = 1 / n[0] + 1 / n[1];
        Y = fmin(Y, fabs(delta) / sinv);
        double width = zq * sqrt(est[0] * (1 - est[0]) / n[0] + est[1] * (1 - est[1]) / n[1]) + Y * sinv;
        ci[0] = alt == LM_ALT_LESS ? -1 : fmax(delta - width, -1);
        ci[1] = alt == LM_ALT_GREATER ? 1 : fmin(delta + width, 1);
        has_ci = true;
    }
    double dof, pooled = 0;
    if (!pp) {
        double sx = 0, sn = 0;
        for (int64_t i = 0; i < m; i++) {
            sx += x[i];
            sn += n[i];
        }
        pooled = sx / sn;
        dof = (double)(m - 1);
    } else {
        dof = (double)m;
    }
    double stat = 0;
    bool small = false;
    for (int64_t i = 0; i < m; i++) {
        double pi = pp ? pp[i] : pooled;
        double e1 = n[i] * pi, e2 = n[i] * (1 - pi);
        if (e1 < 5 || e2 < 5) small = true;
        double d1 = fabs(x[i] - e1) - Y, d2 = fabs((n[i] - x[i]) - e2) - Y;
        stat += d1 * d1 / e1 + d2 * d2 / e2;
    }
    double pv;
    if (alt == LM_ALT_TWO_SIDED) pv = pchisq(stat, dof, 0, 0);
    else {
        double s = m == 1 ? est[0] - pp[0] : delta;
        double z = (s > 0 ? 1 : s < 0 ? -1 : 0) * sqrt(stat);
        pv = pnorm(z, 0, 1, alt == LM_ALT_LESS, 0);
    }
    lm_buf name = LM_BUF_INIT;
    if (m == 1) lm_buf_puts(&name, "1-sample proportions test");
    else lm_buf_printf(&name, "%lld-sample test for %s proportions", (long long)m, pp ? "given" : "equality of");
    lm_buf_printf(&name, " %s continuity correction", Y != 0 ? "with" : "without");
    lm_htest *t = htest_new(lm_buf_cstr(&name), "X-squared");
    lm_buf_free(&name);
    t->statistic = stat;
    t->ndf = 1;
    t->df[0] = dof;
    t->p_value = pv;
    t->has_ci = has_ci;
    t->conf = conf;
    t->ci[0] = ci[0];
    t->ci[1] = ci[1];
    for (int64_t i = 0; i < m; i++) {
        if (m == 1) htest_estimate(t, est[i], "p");
        else htest_estimate(t, est[i], "prop %lld", (long long)i + 1);
    }
    if (m == 1) htest_param(t, "true p", pp[0], alt);
    else if (m == 2 && !p) htest_param(t, "true difference of the two proportions", 0, alt);
    else {
        t->has_alt = true;
        t->alt = LM_ALT_TWO_SIDED;
        t->h0 = lm_strdup(p ? "each group's true proportion equals its given value" : "all groups have the same true proportion");
        t->h1 = lm_strdup(p ? "at least one group's proportion differs from its given value"
                            : "at least one group's proportion differs");
    }
    if (small) t->note = lm_strdup(small_expected_note);
    lm_free(est);
    return t;
}

/* ---- one-way analysis of variance ---- */

/* Mean of one group in extended precision, with the second corrective pass. */
static long double mean_ld(const double *x, int64_t n) {
    long double s = 0;
    for (int64_t i = 0; i < n; i++) s += x[i];
    long double m = s / n, c = 0;
    for (int64_t i = 0; i < n; i++) c += x[i] - m;
    return m + c / n;
}

lm_htest *lm_test_anova(const double *const *g, const int64_t *sz, int64_t k, bool equal_var, lm_err *err) {
    if (k < 2) {
        lm_err_set(err, LM_ERR_DOMAIN, "anova: comparing means needs at least 2 groups, not %lld", (long long)k);
        return NULL;
    }
    int64_t N = 0;
    for (int64_t i = 0; i < k; i++) {
        if (sz[i] < (equal_var ? 1 : 2)) {
            lm_err_set(err, LM_ERR_DOMAIN, "anova: group %lld has %lld observation%s; %s", (long long)i + 1,
                       (long long)sz[i], sz[i] == 1 ? "" : "s",
                       equal_var ? "each group needs at least one" : "Welch's test needs at least 2 in each group");
            return NULL;
        }
        char what[32];
        snprintf(what, sizeof what, "group %lld", (long long)i + 1);
        if (check_finite("anova", what, g[i], sz[i], err)) return NULL;
        N += sz[i];
    }
    if (equal_var && N <= k) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "anova: %lld observations in %lld groups leave no degrees of freedom for the variation within groups",
                   (long long)N, (long long)k);
        return NULL;
    }
    long double *m = lm_alloc((size_t)k * sizeof *m), *v = lm_alloc((size_t)k * sizeof *v);
    double *dev = lm_alloc_big((size_t)N * sizeof *dev);
    lm_htest *t = NULL;
    if (!dev) {
        lm_err_set(err, LM_ERR_LIMIT, "anova: too many observations");
        goto out;
    }
    /* Everything below is invariant under a shift of the data, so it works on
     * exact decimal deviations from the first observation: the NIST SmLs sets
     * (1000000000000.4, ...) then keep all their digits. Group means, within
     * sums of squares and the grand mean are two-pass in extended precision. */
    lm_st_dec ref;
    lm_st_dec_ref(g[0][0], &ref);
    long double ssw = 0, gsum = 0;
    double *d = dev;
    for (int64_t i = 0; i < k; d += sz[i], i++) {
        for (int64_t j = 0; j < sz[i]; j++) d[j] = lm_st_dec_sub(g[i][j], &ref);
        m[i] = mean_ld(d, sz[i]);
        long double ss = 0;
        for (int64_t j = 0; j < sz[i]; j++) {
            long double e = d[j] - m[i];
            ss += e * e;
        }
        v[i] = sz[i] > 1 ? ss / (sz[i] - 1) : 0;
        ssw += ss;
        gsum += lm_st_sum_ld(d, sz[i]);
    }
    long double gm = gsum / N, corr = 0;
    for (int64_t q = 0; q < N; q++) corr += dev[q] - gm;
    gm += corr / N;
    if (equal_var) {
        long double ssb = 0;
        for (int64_t i = 0; i < k; i++) ssb += sz[i] * (m[i] - gm) * (m[i] - gm);
        double dfb = (double)(k - 1), dfw = (double)(N - k);
        t = htest_new("One-way analysis of means", "F");
        lm_anova_table *tb = &t->table;
        t->has_table = true;
        tb->df_between = dfb;
        tb->df_within = dfw;
        tb->ss_between = (double)ssb;
        tb->ss_within = (double)ssw;
        tb->ms_between = (double)(ssb / dfb);
        tb->ms_within = (double)(ssw / dfw);
        tb->r_squared = (double)(ssb / (ssb + ssw));
        tb->residual_sd = (double)sqrtl(ssw / dfw);
        t->statistic = (double)((ssb / dfb) / (ssw / dfw));
        t->ndf = 2;
        t->df[0] = dfb;
        t->df[1] = dfw;
        t->p_value = pf(t->statistic, dfb, dfw, 0, 0);
    } else {
        /* Welch (1951), as R's oneway.test(var.equal = FALSE) */
        long double sw = 0;
        for (int64_t i = 0; i < k; i++) {
            if (v[i] == 0) {
                lm_err_set(err, LM_ERR_DOMAIN,
                           "anova: group %lld has no spread (all its values are equal), so Welch's weights n/s² are infinite",
                           (long long)i + 1);
                goto out;
            }
            sw += sz[i] / v[i];
        }
        long double tmp = 0, mw = 0;
        for (int64_t i = 0; i < k; i++) {
            long double w = sz[i] / v[i], a = 1 - w / sw;
            tmp += a * a / (sz[i] - 1);
            mw += w * m[i];
        }
        tmp /= (long double)k * k - 1;
        mw /= sw;
        long double num = 0;
        for (int64_t i = 0; i < k; i++) num += (sz[i] / v[i]) * (m[i] - mw) * (m[i] - mw);
        double stat = (double)(num / ((k - 1) * (1 + 2 * (k - 2) * tmp)));
        t = htest_new("One-way analysis of means (not assuming equal variances)", "F");
        t->statistic = stat;
        t->ndf = 2;
        t->df[0] = (double)(k - 1);
        t->df[1] = (double)(1 / (3 * tmp));
        t->p_value = pf(stat, t->df[0], t->df[1], 0, 0);
    }
    lm_buf h0 = LM_BUF_INIT;
    lm_buf_printf(&h0, "all %lld group means are equal", (long long)k);
    t->h0 = lm_buf_steal(&h0);
    t->h1 = lm_strdup("at least one group mean differs from the others");
    t->has_alt = false;
    for (int64_t i = 0; i < k; i++) htest_estimate(t, (double)(ref.x + m[i]), "mean of group %lld", (long long)i + 1);
out:
    lm_free(dev);
    lm_free(m);
    lm_free(v);
    return t;
}

/* ---- intervals ---- */

lm_status lm_ci_mean(const double *x, int64_t n, double conf, double out[2], lm_err *err) {
    if (check_conf("ci", conf, err)) return err->kind;
    if (n < 2)
        return lm_err_set(err, LM_ERR_DOMAIN, "ci: an interval for a mean needs at least 2 observations, not %lld", (long long)n);
    if (check_finite("ci", "the data", x, n, err)) return err->kind;
    double m, v;
    mean_var(x, n, &m, &v);
    double se = sqrt(v / (double)n);
    double q = qt(1 - (1 - conf) / 2, (double)(n - 1), 1, 0);
    out[0] = m - q * se;
    out[1] = m + q * se;
    return LM_OK;
}

lm_status lm_ci_prop(double k, double n, double conf, bool correct, double out[2], lm_err *err) {
    if (check_conf("ci_prop", conf, err)) return err->kind;
    if (!whole(n) || n < 1)
        return lm_err_set(err, LM_ERR_DOMAIN, "ci_prop: n, the number of trials, must be a whole number of at least 1, not %g", n);
    if (!whole(k) || k < 0 || k > n)
        return lm_err_set(err, LM_ERR_DOMAIN, "ci_prop: k, the number of successes, must be a whole number from 0 to n = %g, not %g",
                          n, k);
    /* Wilson's score interval; with `correct` the continuity-corrected form
       (Newcombe 1998), written as R's prop.test writes it */
    double z = qnorm((1 + conf) / 2, 0, 1, 1, 0), ph = k / n, Y = correct ? 0.5 : 0;
    double z22n = z * z / (2 * n);
    double pc = ph + Y / n;
    double pu = pc >= 1 ? 1 : (pc + z22n + z * sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (1 + 2 * z22n);
    pc = ph - Y / n;
    double pl = pc <= 0 ? 0 : (pc + z22n - z * sqrt(pc * (1 - pc) / n + z22n / (2 * n))) / (1 + 2 * z22n);
    out[0] = fmax(pl, 0);
    out[1] = fmin(pu, 1);
    return LM_OK;
}
