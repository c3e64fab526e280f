/* Problems of the exercise generators (src/learn/gen_*.c) pinned to answers
 * worked out independently of the code under test: by hand, or with R or
 * python3 as each comment says. The generic checks of every skill are in
 * test_generators.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/check.h"
#include "lemma/lang.h"
#include "lemma/learn.h"

static void generate(const char *skill, uint64_t seed, int d, lm_problem *p) {
    lm_err err = LM_ERR_INIT;
    bool ok = lm_problem_generate(skill, seed, d, p, &err);
    if (!ok) {
        print_error("%s seed %llu difficulty %d failed: %s\n", skill, (unsigned long long)seed, d,
                    err.msg ? err.msg : "(no message)");
        lm_err_clear(&err);
    }
    assert_true(ok);
}

/* ---- linear algebra and calculus, answers worked out by hand ---- */

static void expect_answer(const char *skill, uint64_t seed, int d, const char *prompt_part, const char *answer) {
    lm_problem p;
    lm_err err = LM_ERR_INIT;
    assert_true(lm_problem_generate(skill, seed, d, &p, &err));
    if (!strstr(p.prompt, prompt_part)) fail_msg("%s seed %llu: prompt lacks `%s`:\n%s", skill, (unsigned long long)seed, prompt_part, p.prompt);
    assert_string_equal(p.spec.answer, answer);
    lm_problem_free(&p);
}

static void test_pinned_la_calc(void **state) {
    (void)state;
    /* inv([3 1; 2 1]): det = 3 - 2 = 1, so the inverse is the adjugate [1 -1; -2 3] (by hand). */
    expect_answer("linalg-basics/inverse-2x2", 1, 1, "3 & 1 \\\\ 2 & 1", "[1 -1; -2 3]");
    /* det([1 3 0; 4 4 1; 4 2 4]) = 1·(16 - 2) - 3·(16 - 4) + 0 = -22 (by hand, first-row expansion). */
    expect_answer("linalg/determinant-3x3", 1, 1, "1 & 3 & 0 \\\\ 4 & 4 & 1 \\\\ 4 & 2 & 4", "-22");
    /* d/dx (5x + 3)^3 = 3(5x + 3)^2 · 5 = 15(5x + 3)^2 (by hand, chain rule). */
    expect_answer("calc-basics/chain-rule", 1, 1, "\\left(5 x + 3\\right)^{3}", "15*(5*x + 3)^2");
    /* softmax(ln 3, ln 8) = (3, 8)/11 (by hand: e^{ln a} = a). */
    expect_answer("multicalc/softmax", 1, 1, "\\ln 3, \\ln 8", "[3/11 8/11]");
    /* [0 1; -2 3]: trace 3, det 2, λ² - 3λ + 2 = (λ - 1)(λ - 2) (by hand). */
    expect_answer("linalg/eigenvalues-2x2", 1, 1, "0 & 1 \\\\ -2 & 3", "[1 2]");
}

/* ---- pinned problems, answers computed independently ---- */

static double answer_value(const lm_problem *p) {
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, p->spec.answer);
    assert_int_equal(v.kind, LM_NUM);
    double x = v.u.num;
    lm_session_free(s);
    return x;
}

static void assert_near(double x, double ref, double tol) {
    if (fabs(x - ref) > tol) print_error("%.17g is not within %g of %.17g\n", x, tol, ref);
    assert_true(fabs(x - ref) <= tol);
}

/* Generates (skill, seed, difficulty), checks that the prompt states the
 * inputs the reference was computed from, and returns the problem. */
static void pinned(const char *skill, uint64_t seed, int d, const char *const *must, lm_problem *p) {
    generate(skill, seed, d, p);
    for (const char *const *m = must; *m; m++) {
        if (!strstr(p->prompt, *m)) print_error("%s seed %llu: prompt lacks \"%s\":\n%s\n", skill,
                                                (unsigned long long)seed, *m, p->prompt);
        assert_non_null(strstr(p->prompt, *m));
    }
}

static void test_pinned_prob_basics(void **state) {
    (void)state;
    lm_problem p;
    /* 25% prevalence, sensitivity 99%, false positives 15%: by hand,
     * 0.99·0.25 / (0.99·0.25 + 0.15·0.75) = 0.2475 / 0.36 = 0.6875. */
    pinned("prob-basics/bayes-theorem", 1, 1, (const char *[]){"25%", "99%", "15%", "**positive**", NULL}, &p);
    assert_near(answer_value(&p), 0.6875, 1e-12);
    lm_problem_free(&p);
    /* Binomial(4, 0.4), P(X = 2) = 6 · 0.4² · 0.6² = 0.3456 (by hand; R dbinom(2, 4, 0.4)). */
    pinned("prob-basics/binomial-probability", 1, 1, (const char *[]){"$p = 0.4$", "4 images", "P(X = 2)", NULL}, &p);
    assert_near(answer_value(&p), 0.3456, 1e-12);
    lm_problem_free(&p);
    /* Normal(107, 14), P(X > 135): R pnorm(135, 107, 14, lower.tail = FALSE) = 0.0227501319481792. */
    pinned("prob-basics/normal-z-score", 1, 2, (const char *[]){"\\mu = 107", "\\sigma = 14", "greater than 135", NULL},
           &p);
    assert_near(answer_value(&p), 0.0227501319481792, 1e-7);
    lm_problem_free(&p);
}

static void test_pinned_stats(void **state) {
    (void)state;
    lm_problem p;
    /* t test of 61, 61, 56, 57, 62 against 55: R t.test(...)$p.value = 0.0219362, below 0.05: reject (a). */
    pinned("stats/t-test-decision", 3, 1, (const char *[]){"61, 61, 56, 57, 62", "\\mu = 55", "0.05", NULL}, &p);
    assert_string_equal(p.spec.answer, "a");
    lm_problem_free(&p);
    /* t test of 54, 52, 53, 55, 55 against 54: R t.test(...)$p.value = 0.748868, not below 0.05: keep H0 (b). */
    pinned("stats/t-test-decision", 5, 1, (const char *[]){"54, 52, 53, 55, 55", "\\mu = 54", "0.05", NULL}, &p);
    assert_string_equal(p.spec.answer, "b");
    lm_problem_free(&p);
    /* [24 6; 9 20] without continuity correction: R chisq.test(..., correct = FALSE)$p.value = 0.000152: reject (a). */
    pinned("stats/chi-square-decision", 1, 1, (const char *[]){"| 24 | 6 |", "| 9 | 20 |", NULL}, &p);
    assert_string_equal(p.spec.answer, "a");
    lm_problem_free(&p);
    /* [9 27; 9 29] without continuity correction: R chisq.test(..., correct = FALSE)$p.value = 0.895: keep H0 (b). */
    pinned("stats/chi-square-decision", 2, 1, (const char *[]){"| 9 | 27 |", "| 9 | 29 |", NULL}, &p);
    assert_string_equal(p.spec.answer, "b");
    lm_problem_free(&p);
    /* The 95% t interval of 64 64 73 63 65 75 74 66: R t.test(x)$conf.int = [63.7606001662556, 72.2393998337444]. */
    pinned("stats/confidence-interval", 2, 3, (const char *[]){"64, 64, 73, 63, 65, 75, 74, 66", NULL}, &p);
    assert_string_equal(p.spec.answer, "[63.7606, 72.2394]");
    lm_problem_free(&p);
    /* Known sigma 6, n = 36, mean 59: 59 ± qnorm(0.975) · 1 = [57.0400360, 60.9599640] (R). */
    pinned("stats/confidence-interval", 1, 1, (const char *[]){"n = 36", "\\bar{x} = 59", "\\sigma = 6", NULL}, &p);
    assert_string_equal(p.spec.answer, "[57.04, 60.96]");
    lm_problem_free(&p);
}

static void test_pinned_optim(void **state) {
    (void)state;
    lm_problem p;
    /* f = x³ - 4x² - 6x at 3: f' = 27 - 24 - 6 = -3, f'' = 18 - 8 = 10, x1 = 3 + 3/10 = 33/10 (by hand). */
    pinned("optim/newton-step", 2, 2, (const char *[]){"x^{3} - 4 x^{2} - 6 x", "x_0 = 3", NULL}, &p);
    assert_string_equal(p.spec.answer, "33/10");
    lm_problem_free(&p);
    /* min 4x² + 2y² on -3x - y = 12: 8x = -3λ, 4y = -λ, so x = 3y/2, -11y/2 = 12, y = -24/11, x = -36/11
     * (by hand; sympy solve agrees). */
    pinned("optim/lagrange-multiplier", 3, 3, (const char *[]){"4 x^{2} + 2 y^{2}", "-3 x - y = 12", NULL}, &p);
    assert_string_equal(p.spec.answer, "[-36/11 -24/11]");
    lm_problem_free(&p);
    /* 3x², x = -3, v = 4, η = 0.05, β = 0.9: v = 3.6 - 18 = -14.4, x = -3 + 0.72 = -2.28 (by hand). */
    pinned("optim/momentum-step", 1, 1, (const char *[]){"3 x^{2}", "x = -3", "v = 4", "0.05", "0.9", NULL}, &p);
    assert_near(answer_value(&p), -2.28, 1e-12);
    lm_problem_free(&p);
    /* ŷ = -3·1 + 0 = -3, t = -5: dL/dw = 2(ŷ - t)x = 2·2·1 = 4 (by hand). */
    pinned("optim/backprop-neuron", 1, 1, (const char *[]){"w = -3", "b = 0", "x = 1", "t = -5", NULL}, &p);
    assert_near(answer_value(&p), 4, 0);
    lm_problem_free(&p);
}

static void test_pinned_advstats_info(void **state) {
    (void)state;
    lm_problem p;
    /* T = [0.9 0.1; 0.6 0.4]: π1·0.1 = π2·0.6, so π = (6/7, 1/7) (by hand). */
    pinned("advstats/stationary-2state", 2, 1, (const char *[]){"0.9 & 0.1", "0.6 & 0.4", NULL}, &p);
    assert_string_equal(p.spec.answer, "[6/7 1/7]");
    lm_problem_free(&p);
    /* A = [0.2 0.8; 0.3 0.7], B = [0.3 0.4 0.3; 0.4 0.2 0.4], p0 = (0.7, 0.3), reports 1 2 3: the forward
     * recursion in R gives 0.030504. */
    pinned("advstats/hmm-forward", 3, 3,
           (const char *[]){"probability 0.7", "0.2 & 0.8", "0.3 & 0.7", "*walk*, *shop*, *clean*", NULL}, &p);
    assert_near(answer_value(&p), 0.030504, 1e-12);
    lm_problem_free(&p);
    /* 30% spam; free 0.7/0.4, winner 0.8/0.5, free without winner: 0.3·0.7·0.2 / (0.042 + 0.7·0.4·0.5) = 3/13. */
    pinned("advstats/naive-bayes-posterior", 4, 3, (const char *[]){"30%", "| *free* | 0.7 | 0.4 |", NULL}, &p);
    assert_near(answer_value(&p), 3.0 / 13, 1e-6);
    lm_problem_free(&p);
    /* (1/8, 1/8, 1/2, 1/4): H = 3/8 + 3/8 + 1/2 + 1/2 = 1.75 bits (by hand). */
    pinned("info/entropy", 3, 1, (const char *[]){"\\frac{1}{8}, \\frac{1}{8}, \\frac{1}{2}, \\frac{1}{4}", NULL}, &p);
    assert_near(answer_value(&p), 1.75, 0);
    lm_problem_free(&p);
    /* P = (1/8, 1/8, 1/2, 1/4), Q = (1/4, 1/2, 1/8, 1/8): -1/8 - 2/8 + 2/2 + 1/4 = 0.875 bits (by hand). */
    pinned("info/kl-divergence", 5, 1, (const char *[]){"Q = \\left(\\frac{1}{4}, \\frac{1}{2}, \\frac{1}{8}", NULL},
           &p);
    assert_near(answer_value(&p), 0.875, 0);
    lm_problem_free(&p);
    /* J = [0 1/2; 1/4 1/4]: I = 0.311278124459133 bits (R, from the definition). */
    pinned("info/mutual-information", 1, 1, (const char *[]){"0 & \\frac{1}{2} \\\\ \\frac{1}{4} & \\frac{1}{4}", NULL},
           &p);
    assert_near(answer_value(&p), 0.311278124459133, 1e-6);
    lm_problem_free(&p);
}

/* ---- symbolic answers and the eigenvector choice (checked with sympy) ---- */

/* The checker's verdict on what a learner types, for the problem's spec. */
static lm_verdict_kind verdict_on(const lm_problem *p, const char *answer) {
    lm_verdict v;
    lm_check_answer(&p->spec, answer, &v);
    lm_verdict_kind k = v.kind;
    if (k != LM_VERDICT_CORRECT) print_error("`%s` for `%s`: %s\n", answer, p->spec.answer, v.feedback);
    lm_verdict_free(&v);
    return k;
}

static void test_pinned_symbolic(void **state) {
    (void)state;
    lm_problem p;
    /* f = -3x² + 3xy - 3y² + 5y: sympy [diff(f, v) for v in (x, y)] = [-6x + 3y, 3x - 6y + 5], typed in
     * another order; at level 2 the gradient is asked as expressions. */
    pinned("calc-basics/gradient", 0, 2, (const char *[]){"-3 x^{2} + 3 x y - 3 y^{2} + 5 y", "as a function", NULL}, &p);
    assert_int_equal(p.spec.type, LM_ANS_VECTOR);
    assert_int_equal(verdict_on(&p, "[3*y - 6*x; 5 + 3*x - 6*y]"), LM_VERDICT_CORRECT);
    assert_int_equal(verdict_on(&p, "[3y - 6x, 5 + 3x - 6y]"), LM_VERDICT_CORRECT);
    lm_problem_free(&p);
    /* F = (-2x² + y² - 3y, 3x² + 3xy - y² + y): sympy F.jacobian([x, y]) = [[-4x, 2y - 3], [6x + 3y, 3x - 2y + 1]]. */
    pinned("multicalc/jacobian", 0, 2, (const char *[]){"-2 x^{2} + y^{2} - 3 y", "3 x^{2} + 3 x y - y^{2} + y", NULL},
           &p);
    assert_int_equal(p.spec.type, LM_ANS_MATRIX);
    assert_int_equal(verdict_on(&p, "[-4*x, 2*y - 3; 6*x + 3*y, 3*x - 2*y + 1]"), LM_VERDICT_CORRECT);
    lm_problem_free(&p);
    /* f = 2x³ + 2x²y + 2xy - 2y²: sympy hessian(f, (x, y)) = [[12x + 4y, 4x + 2], [4x + 2, -4]]. */
    pinned("multicalc/hessian", 0, 2, (const char *[]){"2 x^{3} + 2 x^{2} y + 2 x y - 2 y^{2}", NULL}, &p);
    assert_int_equal(p.spec.type, LM_ANS_MATRIX);
    assert_int_equal(verdict_on(&p, "[4*y + 12*x, 2 + 4*x; 2 + 4*x, -4]"), LM_VERDICT_CORRECT);
    lm_problem_free(&p);
    /* A = [7 1 1; 2 2 -2; 1 3 7], v = (2, 1, 1): sympy A*v = (16, 4, 12), ratios 8, 4, 12, so v is not an
     * eigenvector: the right option is the "No" one. */
    pinned("linalg/eigenvector-check", 1, 3,
           (const char *[]){"2 \\\\ 1 \\\\ 1", "7 & 1 & 1 \\\\ 2 & 2 & -2 \\\\ 1 & 3 & 7", NULL}, &p);
    assert_int_equal(p.spec.type, LM_ANS_CHOICE);
    assert_non_null(strstr(p.spec.choices[p.spec.answer[0] - 'a'], "No, "));
    lm_problem_free(&p);
    /* The prompt users reported as T = [0.8 0.2; 0.9 0.09999999999999998]: sympy (T' - I).nullspace() for
     * T = [8/10 2/10; 9/10 1/10] is (9/2, 1), so pi = (9/11, 2/11). */
    pinned("advstats/stationary-2state", 32, 1, (const char *[]){"0.8 & 0.2 \\\\ 0.9 & 0.1 \\end", NULL}, &p);
    assert_string_equal(p.spec.answer, "[9/11 2/11]");
    lm_problem_free(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pinned_la_calc),       cmocka_unit_test(test_pinned_prob_basics),
        cmocka_unit_test(test_pinned_stats),         cmocka_unit_test(test_pinned_optim),
        cmocka_unit_test(test_pinned_advstats_info), cmocka_unit_test(test_pinned_symbolic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
