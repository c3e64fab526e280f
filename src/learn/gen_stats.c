/* Exercise generators for stats: the standard error, t-test and chi-square
 * decisions, confidence intervals, the maximum-likelihood estimate of a
 * proportion and the Beta-binomial posterior. Test statistics, p-values and
 * intervals come from the engine (ttest, chisq, ci, quantile, posterior). */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <string.h>
#include <stdio.h>

/* A row of integers in lemma syntax: "[3 5 4]". */
static void put_ints(lm_buf *b, const int *x, int n) {
    lm_buf_putc(b, '[');
    for (int i = 0; i < n; i++) lm_buf_printf(b, "%s%d", i ? " " : "", x[i]);
    lm_buf_putc(b, ']');
}

/* The same row for a person: "3, 5, 4". */
static void put_list(lm_buf *b, const int *x, int n) {
    for (int i = 0; i < n; i++) lm_buf_printf(b, "%s%d", i ? ", " : "", x[i]);
}

#define SIG3 "Give a decimal to three significant figures."

/* ---- the standard error of a mean ---- */

static bool gen_standard_error(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/standard-error", seed, difficulty);
    static const int64_t squares[] = {4, 9, 16, 25, 36, 49, 64, 81, 100};
    double se, sd, wrong_pop = 0;
    int n;
    lm_buf data = LM_BUF_INIT, l = LM_BUF_INIT;
    if (difficulty < 3) {
        n = (int)lm_gen_pick(&r, squares, 9);
        int s = (int)lm_gen_int(&r, 2, 30);
        sd = s;
        if (!lm_gen_evalf(&se, err, "%d / sqrt(%d)", s, n)) return false;
        if (difficulty == 1)
            lm_gen_prompt(p, "A sample of $n = %d$ measurements has standard deviation $s = %d$. What is the standard "
                             "error of the sample mean? " SIG3,
                          n, s);
        else
            lm_gen_prompt(p, "A sample of $n = %d$ measurements has variance $s^2 = %d$. What is the standard error of "
                             "the sample mean? " SIG3,
                          n, s * s);
    } else {
        n = (int)lm_gen_int(&r, 4, 6);
        int x[6], base = (int)lm_gen_int(&r, 5, 40);
        for (int i = 0; i < n; i++) x[i] = base + (int)lm_gen_int(&r, -5, 5);
        x[n - 1] = x[0] + 1 + (int)lm_gen_int(&r, 0, 3); /* never all equal */
        put_ints(&data, x, n);
        if (!lm_gen_evalf(&sd, err, "std(%s)", data.s) || !lm_gen_evalf(&se, err, "std(%s) / sqrt(%d)", data.s, n) ||
            !lm_gen_evalf(&wrong_pop, err, "std(%s, 1) / sqrt(%d)", data.s, n)) {
            lm_buf_free(&data);
            return false;
        }
        lm_buf_reset(&l);
        put_list(&l, x, n);
        lm_gen_prompt(p, "A sample of %d measurements is %s. What is the standard error of its mean (use the sample "
                         "standard deviation, with divisor $n - 1$)? " SIG3,
                      n, l.s);
    }
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(se, 6).s);
    p->spec.tol = 0.006;
    lm_gen_hint(p, "The standard error measures how much the sample *mean* varies from sample to sample, not how much "
                   "single measurements vary.");
    lm_gen_hint(p, "It shrinks as the sample grows, but only with the square root of $n$.%s",
                difficulty == 2 ? " Start from the standard deviation, the square root of the variance." : "");
    lm_gen_hint(p, "$\\mathrm{SE} = \\frac{s}{\\sqrt{n}}$%s.",
                difficulty == 3 ? ", with $s = \\sqrt{\\sum (x - \\bar{x})^2 / (n - 1)}$" : "");
    if (lm_gen_fresh(p, sd / n, se))
        lm_gen_mis(p, "forgot-sqrt", lm_gen_sig(sd / n, 6).s,
                   "You divided by $n$. The standard error divides by $\\sqrt{n}$: averaging $n$ values shrinks the "
                   "spread by the square root of $n$.");
    if (lm_gen_fresh(p, sd, se))
        lm_gen_mis(p, "sd-for-se", lm_gen_sig(sd, 6).s,
                   "That is the standard deviation of single measurements. The mean of %d of them varies less: "
                   "divide by $\\sqrt{%d}$.",
                   n, n);
    if (difficulty == 2 && lm_gen_fresh(p, sd * sd / sqrt(n), se))
        lm_gen_mis(p, "variance-for-sd", lm_gen_sig(sd * sd / sqrt(n), 6).s,
                   "You used the variance $s^2$ in place of the standard deviation $s$: take its square root first.");
    if (difficulty == 3 && lm_gen_fresh(p, wrong_pop, se))
        lm_gen_mis(p, "population-sd", lm_gen_sig(wrong_pop, 6).s,
                   "You used the divisor $n$ in the standard deviation. For a sample, divide by $n - 1$.");
    lm_buf_reset(&l);
    if (difficulty == 2) {
        lm_buf_printf(&l, "s = \\sqrt{%d} = %d", (int)(sd * sd), (int)sd);
        lm_gen_step(p, l.s, "The standard deviation is the square root of the variance.");
    } else if (difficulty == 3) {
        double mean;
        if (!lm_gen_evalf(&mean, err, "mean(%s)", data.s)) {
            lm_buf_free(&data);
            lm_buf_free(&l);
            return false;
        }
        lm_buf_printf(&l, "\\bar{x} = %s, \\quad s = \\sqrt{\\frac{\\sum (x - \\bar{x})^2}{%d}} \\approx %s", lm_gen_sig(mean, 6).s,
                      n - 1, lm_gen_sig(sd, 4).s);
        lm_gen_step(p, l.s, "The sample mean, then the sample standard deviation with divisor $n - 1 = %d$.", n - 1);
    }
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\mathrm{SE} = \\frac{s}{\\sqrt{n}} = \\frac{%s}{\\sqrt{%d}} \\approx %s", lm_gen_sig(sd, 4).s, n,
                  lm_gen_sig(se, 4).s);
    lm_gen_step(p, l.s, "Divide the standard deviation by the square root of the sample size.");
    lm_buf_free(&data);
    lm_buf_free(&l);
    return true;
}

/* ---- test decisions ---- */

/* Both decisions as choices; the answer follows the engine's p-value. */
static void decision(lm_problem *p, double pval, double alpha) {
    bool reject = pval < alpha;
    lm_gen_choice(p, "reject $H_0$");
    lm_gen_choice(p, "do not reject $H_0$");
    lm_gen_answer(p, LM_ANS_CHOICE, "%s", reject ? "a" : "b");
    if (reject)
        lm_gen_mis(p, "decision-direction", "b",
                   "The p-value %s is below $\\alpha = %s$: data this extreme would be rare if $H_0$ were true, so "
                   "the test rejects $H_0$.",
                   lm_gen_sig(pval, 3).s, lm_gen_dec(alpha).s);
    else
        lm_gen_mis(p, "decision-direction", "a",
                   "The p-value %s is not below $\\alpha = %s$: data like these are not unusual under $H_0$, so the "
                   "test does not reject it (which does not prove $H_0$ either).",
                   lm_gen_sig(pval, 3).s, lm_gen_dec(alpha).s);
    lm_gen_step(p, NULL, "Decide: $p \\approx %s$ is %s $\\alpha = %s$, so we %s $H_0$.", lm_gen_sig(pval, 3).s,
                reject ? "below" : "not below", lm_gen_dec(alpha).s, reject ? "reject" : "do not reject");
}

static int e_total(const int *c, int k) {
    int t = 0;
    for (int i = 0; i < k; i++) t += c[i];
    return t;
}

/* The p-value must sit clearly on one side of alpha, or rounding would decide. */
static bool clear_of(double pval, double alpha) { return pval < alpha / 1.5 || pval > alpha * 1.5; }

/* Choosing among random draws of a test's data: the first whose p-value is
 * clearly on the side of alpha that the target decision wants, or, if none
 * comes in the draws allowed, the first that was clear at all. */
typedef struct draw_pick {
    bool want_reject, matched, have_fallback;
    int fallback[10];
    double fallback_p;
} draw_pick;

/* True when the draw x[0..n) with this p-value is the one to keep. */
static bool pick_draw(draw_pick *d, const int *x, int n, double pval, double alpha) {
    if (!clear_of(pval, alpha)) return false;
    if ((pval < alpha) == d->want_reject) return d->matched = true;
    if (!d->have_fallback) {
        memcpy(d->fallback, x, (size_t)n * sizeof *x);
        d->fallback_p = pval;
        d->have_fallback = true;
    }
    return false;
}

/* After the draws: x and *pval hold the kept draw; false when none was clear. */
static bool pick_done(const draw_pick *d, int *x, int n, double *pval, const char *test, lm_err *err) {
    if (d->matched) return true;
    if (!d->have_fallback) {
        lm_err_set(err, LM_ERR_INTERNAL, "%s: no clear decision in 200 draws", test);
        return false;
    }
    memcpy(x, d->fallback, (size_t)n * sizeof *x); /* the other decision never came: keep a clear one */
    *pval = d->fallback_p;
    return true;
}

static bool gen_ttest(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/t-test-decision", seed, difficulty);
    static const int64_t alphas[] = {1, 5, 10}; /* percent */
    int n = difficulty == 1 ? 5 : difficulty == 2 ? (int)lm_gen_int(&r, 6, 8) : (int)lm_gen_int(&r, 8, 10);
    double alpha = difficulty == 1 ? 0.05 : (double)lm_gen_pick(&r, alphas, difficulty == 2 ? 2 : 3) / 100;
    int mu = (int)lm_gen_int(&r, 10, 60), x[10] = {0};
    draw_pick pick = {.want_reject = lm_gen_target("stats/t-test-decision", seed, difficulty)};
    lm_buf data = LM_BUF_INIT, prog = LM_BUF_INIT, list = LM_BUF_INIT;
    double pval = 0;
    for (int tries = 0; tries < 200; tries++) {
        int shift = (int)lm_gen_int(&r, -4, 4), spread = (int)lm_gen_int(&r, 1, 4);
        for (int i = 0; i < n; i++) x[i] = mu + shift + (int)lm_gen_int(&r, -spread, spread);
        x[n - 1] = x[0] + 1; /* never all equal */
        lm_buf_reset(&prog);
        lm_buf_puts(&prog, "[t, p] = ttest(");
        put_ints(&prog, x, n);
        lm_buf_printf(&prog, ", mu = %d); p", mu);
        if (!lm_gen_eval_num(prog.s, &pval, err)) goto fail;
        if (pick_draw(&pick, x, n, pval, alpha)) break;
    }
    if (!pick_done(&pick, x, n, &pval, "t-test", err)) goto fail;
    put_ints(&data, x, n);
    put_list(&list, x, n);
    lm_gen_prompt(p, "A machine is supposed to fill bags with $\\mu_0 = %d$ g. A sample of %d bags weighs %s g. A "
                     "two-sided one-sample t-test of $H_0: \\mu = %d$ at level $\\alpha = %s$: what is the decision? "
                     "Answer with the letter of your choice.",
                  mu, n, list.s, mu, lm_gen_dec(alpha).s);
    lm_gen_hint(p, "Compute the t statistic $t = \\frac{\\bar{x} - \\mu_0}{s / \\sqrt{n}}$ with the sample standard "
                   "deviation $s$.");
    lm_gen_hint(p, "Under $H_0$, $t$ follows Student's t distribution with $n - 1 = %d$ degrees of freedom.", n - 1);
    lm_gen_hint(p, "Reject $H_0$ when the two-sided p-value $2\\,P(T \\ge |t|)$ is below $\\alpha$ (equivalently, "
                   "when $|t|$ exceeds the critical value `quantile(StudentT(%d), %s)`).",
                n - 1, lm_gen_dec(1 - alpha / 2).s);
    if (!lm_gen_stepsf(p, NULL, err, "steps(ttest(%s, mu = %d))", data.s, mu)) goto fail;
    decision(p, pval, alpha);
    lm_buf_free(&data);
    lm_buf_free(&prog);
    lm_buf_free(&list);
    return true;
fail:
    lm_buf_free(&data);
    lm_buf_free(&prog);
    lm_buf_free(&list);
    return false;
}

/* The engine call for the counts: a 2×2 test of independence below level 3,
 * a goodness-of-fit test of k equal sectors at level 3. */
static void chisq_call(lm_buf *call, const int *c, int k, int difficulty) {
    lm_buf_reset(call);
    if (difficulty < 3) {
        lm_buf_printf(call, "chisq([%d %d; %d %d], correct = false)", c[0], c[1], c[2], c[3]);
        return;
    }
    lm_buf_printf(call, "chisq(");
    put_ints(call, c, k);
    lm_buf_printf(call, ", p = ones(1, %d) / %d)", k, k);
}

static bool gen_chisq(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/chi-square-decision", seed, difficulty);
    static const int64_t alphas[] = {1, 5, 10};
    double alpha = difficulty == 1 ? 0.05 : (double)lm_gen_pick(&r, alphas, 3) / 100;
    lm_buf prog = LM_BUF_INIT, call = LM_BUF_INIT, tab = LM_BUF_INIT;
    double pval = 0;
    int c[4] = {0}, k = difficulty == 3 ? (int)lm_gen_int(&r, 3, 4) : 4;
    draw_pick pick = {.want_reject = lm_gen_target("stats/chi-square-decision", seed, difficulty)};
    for (int tries = 0; tries < 200; tries++) {
        if (difficulty < 3) {
            int hi = difficulty == 1 ? 30 : 60;
            for (int i = 0; i < 4; i++) c[i] = (int)lm_gen_int(&r, 5, hi);
        } else {
            /* A fair die, coin or spinner with k sides: equal probabilities, counts near n/k. */
            int e = (int)lm_gen_int(&r, 5, 15) * 2, dev = (int)lm_gen_int(&r, 1, 8);
            int sum = 0;
            for (int i = 0; i < k - 1; i++) sum += c[i] = e + (int)lm_gen_int(&r, -dev, dev);
            c[k - 1] = e * k - sum;
            if (c[k - 1] < 1) continue; /* the others took more than all the spins */
        }
        chisq_call(&call, c, k, difficulty);
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "[c, p] = %s; p", call.s);
        if (!lm_gen_eval_num(prog.s, &pval, err)) goto fail;
        if (pick_draw(&pick, c, 4, pval, alpha)) break;
    }
    if (!pick_done(&pick, c, 4, &pval, "chi-square", err)) goto fail;
    chisq_call(&call, c, k, difficulty);
    if (difficulty < 3) {
        lm_gen_prompt(p, "A shop records whether %d customers used a coupon and whether they bought again:\n\n"
                         "| | bought again | did not |\n|---|---|---|\n| **coupon** | %d | %d |\n| **no coupon** | %d | %d "
                         "|\n\nPearson's chi-square test of independence (without continuity correction) at level "
                         "$\\alpha = %s$: what is the decision? Answer with the letter of your choice.",
                      c[0] + c[1] + c[2] + c[3], c[0], c[1], c[2], c[3], lm_gen_dec(alpha).s);
        lm_gen_hint(p, "Under $H_0$ (independence) each cell expects $E = \\frac{\\text{row total} \\times "
                       "\\text{column total}}{n}$.");
        lm_gen_hint(p, "$\\chi^2 = \\sum \\frac{(O - E)^2}{E}$ with $(2 - 1)(2 - 1) = 1$ degree of freedom.");
    } else {
        lm_buf_puts(&tab, "| sector |");
        for (int i = 0; i < k; i++) lm_buf_printf(&tab, " %d |", i + 1);
        lm_buf_puts(&tab, "\n|---|");
        for (int i = 0; i < k; i++) lm_buf_puts(&tab, "---|");
        lm_buf_puts(&tab, "\n| count |");
        for (int i = 0; i < k; i++) lm_buf_printf(&tab, " %d |", c[i]);
        lm_gen_prompt(p, "A spinner with %d equal sectors is spun %d times:\n\n%s\n\nA chi-square goodness-of-fit test "
                         "of $H_0$: the spinner is fair, at level $\\alpha = %s$: what is the decision? Answer with "
                         "the letter of your choice.",
                      k, e_total(c, k), tab.s, lm_gen_dec(alpha).s);
        lm_gen_hint(p, "If the spinner is fair, each sector expects $E = n/%d$ of the spins.", k);
        lm_gen_hint(p, "$\\chi^2 = \\sum \\frac{(O - E)^2}{E}$ with $%d - 1 = %d$ degrees of freedom.", k, k - 1);
    }
    lm_gen_hint(p, "Reject $H_0$ when the p-value $P(\\chi^2 \\ge \\text{your statistic})$ is below $\\alpha$.");
    if (!lm_gen_stepsf(p, NULL, err, "steps(%s)", call.s)) goto fail;
    decision(p, pval, alpha);
    lm_buf_free(&prog);
    lm_buf_free(&call);
    lm_buf_free(&tab);
    return true;
fail:
    lm_buf_free(&prog);
    lm_buf_free(&call);
    lm_buf_free(&tab);
    return false;
}

/* ---- a confidence interval for a mean ---- */

/* The prompt asks for the ends to two decimals: allow 0.006 either way (the
 * spec's tolerance is relative, so scale it by the larger end; both ends are
 * positive here), which a rounded answer meets and a wrong quantile does not. */
static void set_interval(lm_problem *p, double lo, double hi) {
    lm_gen_answer(p, LM_ANS_INTERVAL, "[%s, %s]", lm_gen_sig(lo, 6).s, lm_gen_sig(hi, 6).s);
    p->spec.tol = 0.006 / fmax(fabs(lo), fabs(hi));
}

/* k / 10^places into a small buffer (lm_gen_put_dec). */
static void put_dec_text(char *out, size_t cap, int64_t k, int places) {
    lm_buf b = LM_BUF_INIT;
    lm_gen_put_dec(&b, k, places);
    snprintf(out, cap, "%s", lm_buf_cstr(&b));
    lm_buf_free(&b);
}

static bool gen_ci(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/confidence-interval", seed, difficulty);
    static const int64_t squares[] = {16, 25, 36, 49, 64, 81, 100};
    static const int64_t levels[] = {90, 95, 99};
    int level = difficulty == 2 ? (int)lm_gen_pick(&r, levels, 3) : 95;
    double lo, hi, wlo, whi, q;
    /* The tail and the quantile's level in thousandths, in integers: 1 - 0.95 in
     * doubles is 0.050000000000000044, which would show in the hints. */
    int64_t tail = (100 - level) * 5;
    char upper[24], tailtext[24];
    put_dec_text(upper, sizeof upper, 1000 - tail, 3);
    put_dec_text(tailtext, sizeof tailtext, tail, 3);
    lm_buf l = LM_BUF_INIT, data = LM_BUF_INIT;
    if (difficulty < 3) {
        int n = (int)lm_gen_pick(&r, squares, 7), sigma = (int)lm_gen_int(&r, 2, 20), m = (int)lm_gen_int(&r, 20, 200);
        if (!lm_gen_evalf(&q, err, "quantile(Normal(0, 1), %s)", upper) ||
            !lm_gen_evalf(&lo, err, "%d - quantile(Normal(0, 1), %s) * %d / sqrt(%d)", m, upper, sigma, n) ||
            !lm_gen_evalf(&hi, err, "%d + quantile(Normal(0, 1), %s) * %d / sqrt(%d)", m, upper, sigma, n))
            return false;
        wlo = m - q * sigma, whi = m + q * sigma;
        set_interval(p, lo, hi);
        lm_gen_prompt(p, "A sample of $n = %d$ measurements has mean $\\bar{x} = %d$. The population standard deviation "
                         "is known: $\\sigma = %d$. What is the %d%% confidence interval for the population mean? Give "
                         "it as `[lower, upper]`, each to two decimal places.",
                      n, m, sigma, level);
        lm_gen_hint(p, "With $\\sigma$ known, the interval is $\\bar{x} \\pm z \\cdot \\frac{\\sigma}{\\sqrt{n}}$.");
        lm_gen_hint(p, "For %d%% confidence, $z$ leaves %s in each tail of the standard normal.", level,
                    tailtext);
        lm_gen_hint(p, "$z = %s$ (from `quantile(Normal(0, 1), %s)`); the standard error is $%d / \\sqrt{%d}$.",
                    lm_gen_sig(q, 4).s, upper, sigma, n);
        lm_buf_printf(&l, "\\frac{\\sigma}{\\sqrt{n}} = \\frac{%d}{\\sqrt{%d}} = %s", sigma, n, lm_gen_sig(sigma / sqrt(n), 6).s);
        lm_gen_step(p, l.s, "The standard error of the mean.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "z = %s", lm_gen_sig(q, 5).s);
        lm_gen_step(p, l.s, "The z value that leaves %s in each tail of the standard normal.", tailtext);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "%d \\pm %s \\cdot %s = [%s, %s]", m, lm_gen_sig(q, 5).s, lm_gen_sig(sigma / sqrt(n), 6).s, lm_gen_sig(lo, 6).s,
                      lm_gen_sig(hi, 6).s);
        lm_gen_step(p, l.s, "The interval reaches $z$ standard errors either side of the mean.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "[%s, %s]", lm_gen_sig(wlo, 6).s, lm_gen_sig(whi, 6).s);
        if (lm_gen_fresh(p, wlo, lo))
            lm_gen_mis(p, "sd-for-se", l.s,
                       "You used $\\sigma$ itself as the margin's scale. The mean of %d values varies less: use the "
                       "standard error $\\sigma / \\sqrt{%d}$.",
                       n, n);
        if (level != 95) {
            double q95, l95, h95;
            if (!lm_gen_evalf(&q95, err, "quantile(Normal(0, 1), 0.975)")) return false;
            l95 = m - q95 * sigma / sqrt(n), h95 = m + q95 * sigma / sqrt(n);
            lm_buf_reset(&l);
            lm_buf_printf(&l, "[%s, %s]", lm_gen_sig(l95, 6).s, lm_gen_sig(h95, 6).s);
            lm_gen_mis(p, "wrong-confidence-level", l.s,
                       "That is the 95%% interval ($z = 1.96$). For %d%% confidence, use $z = %s$.", level, lm_gen_sig(q, 4).s);
        }
    } else {
        int n = (int)lm_gen_int(&r, 5, 8), x[8], base = (int)lm_gen_int(&r, 20, 80);
        for (int i = 0; i < n; i++) x[i] = base + (int)lm_gen_int(&r, -6, 6);
        x[n - 1] = x[0] + 2;
        put_ints(&data, x, n);
        double mean, se, tq, zq;
        if (!lm_gen_evalf(&lo, err, "v = ci(%s); v(1)", data.s) || !lm_gen_evalf(&hi, err, "v = ci(%s); v(2)", data.s) ||
            !lm_gen_evalf(&mean, err, "mean(%s)", data.s) || !lm_gen_evalf(&se, err, "std(%s) / sqrt(%d)", data.s, n) ||
            !lm_gen_evalf(&tq, err, "quantile(StudentT(%d), 0.975)", n - 1) || !lm_gen_evalf(&zq, err, "quantile(Normal(0, 1), 0.975)")) {
            lm_buf_free(&data);
            return false;
        }
        wlo = mean - zq * se, whi = mean + zq * se;
        set_interval(p, lo, hi);
        lm_buf_reset(&l);
        for (int i = 0; i < n; i++) lm_buf_printf(&l, "%s%d", i ? ", " : "", x[i]);
        lm_gen_prompt(p, "A sample of %d measurements is %s. The population standard deviation is unknown. What is the "
                         "95%% confidence interval for the population mean? Give it as `[lower, upper]`, each to two "
                         "decimal places.",
                      n, l.s);
        lm_gen_hint(p, "With $\\sigma$ unknown, estimate it by the sample standard deviation $s$ and use Student's t "
                       "distribution instead of the normal.");
        lm_gen_hint(p, "The interval is $\\bar{x} \\pm t \\cdot \\frac{s}{\\sqrt{n}}$ with $n - 1 = %d$ degrees of "
                       "freedom.",
                    n - 1);
        lm_gen_hint(p, "$t$ = `quantile(StudentT(%d), 0.975)`, which leaves 2.5%% in each tail.", n - 1);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\bar{x} = %s, \\quad \\frac{s}{\\sqrt{n}} \\approx %s", lm_gen_sig(mean, 6).s, lm_gen_sig(se, 5).s);
        lm_gen_step(p, l.s, "The sample mean and the standard error (sample standard deviation with divisor $n - 1$, "
                            "over $\\sqrt{%d}$).",
                    n);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "t_{0.975,\\,%d} \\approx %s", n - 1, lm_gen_sig(tq, 5).s);
        lm_gen_step(p, l.s, "The t quantile with %d degrees of freedom.", n - 1);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "%s \\pm %s \\cdot %s \\approx [%s, %s]", lm_gen_sig(mean, 6).s, lm_gen_sig(tq, 5).s, lm_gen_sig(se, 5).s,
                      lm_gen_sig(lo, 6).s, lm_gen_sig(hi, 6).s);
        lm_gen_step(p, l.s, "The interval reaches $t$ standard errors either side of the mean.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "[%s, %s]", lm_gen_sig(wlo, 6).s, lm_gen_sig(whi, 6).s);
        lm_gen_mis(p, "z-for-t", l.s,
                   "You used the normal value 1.96. With $\\sigma$ estimated from only %d values, the t distribution "
                   "with %d degrees of freedom gives a wider interval: $t \\approx %s$.",
                   n, n - 1, lm_gen_sig(tq, 4).s);
    }
    lm_buf_free(&l);
    lm_buf_free(&data);
    return true;
}

/* ---- the maximum-likelihood estimate of a proportion ---- */

static bool gen_mle(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/mle-bernoulli", seed, difficulty);
    int n = (int)lm_gen_int(&r, difficulty == 1 ? 5 : 8, difficulty == 1 ? 20 : 16);
    int k = (int)lm_gen_int(&r, 1, n - 1);
    double ans;
    lm_buf l = LM_BUF_INIT;
    if (!lm_gen_evalf(&ans, err, "%d / %d", k, n)) return false;
    if (difficulty == 1) {
        lm_gen_prompt(p, "A coin of unknown bias lands heads %d %s in %d independent tosses. What is the "
                         "maximum-likelihood estimate $\\hat{p}$ of its probability of heads? Give a fraction, or a "
                         "decimal to three significant figures.",
                      k, lm_gen_plural(k, "time", "times"), n);
    } else if (difficulty == 2) {
        /* The successes scattered through the sequence: a shuffle of k ones and n - k zeros. */
        int seq[16];
        for (int i = 0; i < n; i++) seq[i] = i < k;
        lm_gen_shuffle(&r, seq, (size_t)n);
        for (int i = 0; i < n; i++) lm_buf_printf(&l, "%s%d", i ? ", " : "", seq[i]);
        lm_gen_prompt(p, "A model's predictions were checked one by one: 1 means correct, 0 wrong. The results were %s. "
                         "Treating them as independent Bernoulli trials, what is the maximum-likelihood estimate "
                         "$\\hat{p}$ of the probability of a correct prediction? Give a fraction, or a decimal to three "
                         "significant figures.",
                      l.s);
    } else {
        lm_gen_prompt(p, "The log-likelihood of a Bernoulli parameter $p$ for some data is $\\ell(p) = %d \\ln p + %d "
                         "\\ln(1 - p)$. At which $p$ is it largest? Give a fraction, or a decimal to three significant "
                         "figures.",
                      k, n - k);
    }
    lm_buf_reset(&l);
    lm_gen_put_rat(&l, lm_gen_rat(k, n));
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", l.s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "The likelihood of $k$ successes in $n$ trials is $L(p) = p^k (1 - p)^{n - k}$; maximise its log.");
    lm_gen_hint(p, "Set the derivative of $\\ell(p) = k \\ln p + (n - k) \\ln(1 - p)$ to zero: $\\frac{k}{p} = "
                   "\\frac{n - k}{1 - p}$.");
    lm_gen_hint(p, "Solving gives the share of successes among all trials.");
    lm_buf_reset(&l);
    lm_gen_put_rat(&l, lm_gen_rat(n - k, n));
    if (lm_gen_fresh(p, (double)(n - k) / n, ans))
        lm_gen_mis(p, "swapped-outcomes", l.s, "That is the share of %s. The estimate of $p$ is the share of %s.",
                   difficulty == 1 ? "tails" : "failures", difficulty == 1 ? "heads" : "successes");
    lm_buf_reset(&l);
    lm_gen_put_rat(&l, lm_gen_rat(k, n - k));
    if (k != n - k && lm_gen_fresh(p, (double)k / (n - k), ans))
        lm_gen_mis(p, "odds-for-probability", l.s,
                   "You divided successes by failures: those are the odds. A probability divides successes by all "
                   "%d trials.",
                   n);
    if (difficulty > 1) {
        lm_gen_step(p, NULL, "Count: $k = %d$ %s in $n = %d$ trials.", k, lm_gen_plural(k, "success", "successes"), n);
    }
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\ell(p) = %d \\ln p + %d \\ln(1 - p)", k, n - k);
    lm_gen_step(p, l.s, "The log-likelihood: each success contributes $\\ln p$, each failure $\\ln(1 - p)$.");
    lm_buf prog = LM_BUF_INIT;
    lm_buf_printf(&prog, "steps(diff(%d*log(p) + %d*log(1 - p), p))", k, n - k);
    bool ok = lm_gen_steps(p, prog.s, "Together, the derivative of the log-likelihood:", err);
    lm_buf_free(&prog);
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\frac{%d}{p} = \\frac{%d}{1 - p} \\;\\Rightarrow\\; %d(1 - p) = %d p \\;\\Rightarrow\\; \\hat{p} = "
                      "\\frac{%d}{%d} \\approx %s",
                  k, n - k, k, n - k, k, n, lm_gen_sig(ans, 4).s);
    if (ok) lm_gen_step(p, l.s, "Set the derivative to zero and solve for $p$.");
    lm_buf_free(&l);
    return ok;
}

/* ---- the posterior of a Beta-binomial model ---- */

static bool gen_beta_binomial(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "stats/beta-binomial-posterior", seed, difficulty);
    int a = difficulty == 1 ? 1 : (int)lm_gen_int(&r, 1, 8), b = difficulty == 1 ? 1 : (int)lm_gen_int(&r, 1, 8);
    int n = (int)lm_gen_int(&r, 4, 20), k = (int)lm_gen_int(&r, 0, n);
    double mean;
    lm_buf call = LM_BUF_INIT, l = LM_BUF_INIT;
    lm_buf_printf(&call, "posterior(Beta(%d, %d), \"binomial\", %d, %d)", a, b, k, n);
    lm_buf_printf(&l, "mean(%s)", call.s);
    if (!lm_gen_eval_num(l.s, &mean, err)) goto fail;
    /* The engine's posterior must be Beta(a + k, b + n - k): its mean pins that down for the parameters we print. */
    if (fabs(mean - (double)(a + k) / (a + b + n)) > 1e-12) {
        lm_err_set(err, LM_ERR_INTERNAL, "posterior mean %g is not (a + k)/(a + b + n)", mean);
        goto fail;
    }
    bool ask_params = difficulty != 2;
    const char *story = difficulty == 3 ? "a new drug cures" : "a website visitor signs up";
    lm_gen_prompt(p, "The probability $\\theta$ that %s has the prior $\\mathrm{Beta}(%d, %d)$%s. Then %d out of %d "
                     "%s. %s",
                  story, a, b, difficulty == 1 ? " (uniform)" : "", k, n,
                  difficulty == 3 ? (k == 1 ? "patients is cured" : "patients are cured")
                                  : (k == 1 ? "visitors signs up" : "visitors sign up"),
                  ask_params ? "What is the posterior distribution of $\\theta$? Give its two parameters as "
                               "`[alpha beta]`."
                             : "What is the posterior mean of $\\theta$? Give a fraction, or a decimal to three "
                               "significant figures.");
    lm_buf_reset(&l);
    if (ask_params) {
        lm_buf_printf(&l, "[%d %d]", a + k, b + n - k);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", l.s);
    } else {
        lm_gen_put_rat(&l, lm_gen_rat(a + k, a + b + n));
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", l.s);
        p->spec.tol = 0.006;
        p->spec.probability = true;
    }
    lm_gen_hint(p, "The Beta prior is conjugate to the binomial likelihood: the posterior is a Beta again.");
    lm_gen_hint(p, "Think of $\\alpha$ and $\\beta$ as counts of successes and failures seen so far; the data add "
                   "more of each.");
    lm_gen_hint(p, "Prior $\\mathrm{Beta}(\\alpha, \\beta)$ and $k$ successes in $n$ trials give $\\mathrm{Beta}(\\alpha "
                   "+ k, \\beta + n - k)$%s.",
                ask_params ? "" : ", whose mean is $\\frac{\\alpha'}{\\alpha' + \\beta'}$");
    lm_buf_reset(&l);
    if (ask_params) {
        lm_buf_printf(&l, "[%d %d]", a + n - k, b + k);
        if (k * 2 != n)
            lm_gen_mis(p, "swapped-outcomes", l.s,
                       "Successes and failures are swapped: the %d %s add%s to $\\alpha$, the %d %s to $\\beta$.", k,
                       lm_gen_plural(k, "success", "successes"), k == 1 ? "s" : "", n - k, lm_gen_plural(n - k, "failure", "failures"));
        lm_buf_reset(&l);
        lm_buf_printf(&l, "[%d %d]", a + k, b + n);
        lm_gen_mis(p, "trials-for-failures", l.s,
                   "You added all %d trials to $\\beta$. $\\beta$ grows by the failures only: $n - k = %d$.", n, n - k);
        lm_buf_reset(&l);
        if (k > 0 && k < n) {
            lm_buf_printf(&l, "[%d %d]", k, n - k);
            lm_gen_mis(p, "forgot-prior", l.s,
                       "Those are the data alone. The posterior adds the data to the prior's parameters $(%d, %d)$.",
                       a, b);
        }
    } else {
        if (k > 0) {
            lm_gen_put_rat(&l, lm_gen_rat(k, n));
            if (lm_gen_fresh(p, (double)k / n, mean))
                lm_gen_mis(p, "forgot-prior", l.s,
                           "That is the share of successes in the data alone (the maximum-likelihood estimate). The "
                           "posterior mean also counts the prior's $\\alpha = %d$ and $\\beta = %d$.",
                           a, b);
        }
    }
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\mathrm{Beta}(%d + %d,\\; %d + %d) = \\mathrm{Beta}(%d, %d)", a, k, b, n - k, a + k, b + n - k);
    lm_gen_step(p, l.s, "Add the %d %s to $\\alpha$ and the $%d - %d = %d$ %s to $\\beta$.", k,
                lm_gen_plural(k, "success", "successes"), n, k, n - k, lm_gen_plural(n - k, "failure", "failures"));
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\mathbb{E}[\\theta] = \\frac{%d}{%d + %d} = \\frac{%d}{%d} \\approx %s", a + k, a + k, b + n - k,
                  a + k, a + b + n, lm_gen_sig(mean, 4).s);
    lm_gen_step(p, l.s, "The posterior mean $\\frac{\\alpha'}{\\alpha' + \\beta'}$%s.",
                ask_params ? ", for reference" : "");
    lm_buf_free(&call);
    lm_buf_free(&l);
    return true;
fail:
    lm_buf_free(&call);
    lm_buf_free(&l);
    return false;
}

const lm_skill_def lm_skills_stats[] = {
    {"stats/standard-error", "The standard error of a mean", gen_standard_error},
    {"stats/t-test-decision", "A t-test's decision at level α", gen_ttest},
    {"stats/chi-square-decision", "A chi-square test's decision", gen_chisq},
    {"stats/confidence-interval", "A confidence interval for a mean", gen_ci},
    {"stats/mle-bernoulli", "The maximum-likelihood estimate of a proportion", gen_mle},
    {"stats/beta-binomial-posterior", "The posterior of a Beta–binomial model", gen_beta_binomial},
    {NULL, NULL, NULL},
};
