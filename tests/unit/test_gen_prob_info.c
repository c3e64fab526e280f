/* Unit tests of the exercise generators for prob-basics, stats, optim,
 * advstats and info (src/learn/gen_*.c): for every skill and difficulty, 200
 * seeds generate complete, reproducible, varied problems whose reference
 * answers evaluate; the answer checker accepts each reference and rejects a
 * perturbed answer and each listed misconception; and a handful of problems are
 * pinned to answers computed independently (by hand or with python3 as each
 * comment says). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/check.h"
#include "lemma/lang.h"
#include "lemma/learn.h"

#define NSEEDS 200

static const char *const skills[] = {
    "prob-basics/conditional-probability",
    "prob-basics/independence",
    "prob-basics/bayes-theorem",
    "prob-basics/expected-value",
    "prob-basics/variance-vs-sd",
    "prob-basics/binomial-probability",
    "prob-basics/normal-z-score",
    "stats/standard-error",
    "stats/t-test-decision",
    "stats/chi-square-decision",
    "stats/confidence-interval",
    "stats/mle-bernoulli",
    "stats/beta-binomial-posterior",
    "optim/convexity-check",
    "optim/momentum-step",
    "optim/newton-step",
    "optim/lagrange-multiplier",
    "optim/backprop-neuron",
    "optim/log-sum-exp",
    "advstats/stationary-2state",
    "advstats/markov-n-step",
    "advstats/hmm-forward",
    "advstats/bayes-net-inference",
    "advstats/naive-bayes-posterior",
    "info/entropy",
    "info/cross-entropy",
    "info/kl-divergence",
    "info/mutual-information",
};
#define NSKILLS (sizeof skills / sizeof skills[0])

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

/* Unescaped dollar signs: an odd count leaves math mode open. */
static bool dollars_balanced(const char *s) {
    int n = 0;
    for (const char *c = s; *c; c++)
        if (*c == '$' && (c == s || c[-1] != '\\')) n++;
    return n % 2 == 0;
}

static bool same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

static bool same_problem(const lm_problem *a, const lm_problem *b) {
    if (!same_str(a->prompt, b->prompt) || !same_str(a->spec.answer, b->spec.answer) || a->spec.type != b->spec.type ||
        a->spec.tol != b->spec.tol || a->nhints != b->nhints || a->nsteps != b->nsteps || a->spec.nmis != b->spec.nmis ||
        a->spec.nchoices != b->spec.nchoices)
        return false;
    for (int i = 0; i < a->nhints; i++)
        if (!same_str(a->hints[i], b->hints[i])) return false;
    for (int i = 0; i < a->nsteps; i++)
        if (!same_str(a->steps[i].text, b->steps[i].text) || !same_str(a->steps[i].latex, b->steps[i].latex))
            return false;
    for (int i = 0; i < a->spec.nmis; i++)
        if (!same_str(a->spec.mis[i].answer, b->spec.mis[i].answer) ||
            !same_str(a->spec.mis[i].feedback, b->spec.mis[i].feedback))
            return false;
    for (int i = 0; i < a->spec.nchoices; i++)
        if (!same_str(a->spec.choices[i], b->spec.choices[i])) return false;
    return true;
}

/* True when `src` evaluates without error in a fresh session. */
static bool evaluates(const char *src) {
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, src);
    bool ok = !lm_is_error(v) && !lm_is_nil(v);
    if (!ok) print_error("`%s` does not evaluate\n", src);
    lm_release(v);
    lm_session_free(s);
    return ok;
}

static void check_well_formed(const lm_problem *p) {
    assert_non_null(p->prompt);
    assert_true(strlen(p->prompt) > 20);
    assert_true(dollars_balanced(p->prompt));
    assert_in_range(p->nhints, 2, 3);
    for (int i = 0; i < p->nhints; i++) assert_true(p->hints[i] && *p->hints[i] && dollars_balanced(p->hints[i]));
    assert_true(p->nsteps >= 1);
    for (int i = 0; i < p->nsteps; i++) assert_true(p->steps[i].text && dollars_balanced(p->steps[i].text));
    assert_non_null(p->spec.answer);
    if (p->spec.type == LM_ANS_CHOICE) {
        assert_true(p->spec.nchoices >= 2);
        assert_true(strlen(p->spec.answer) == 1 && p->spec.answer[0] >= 'a' &&
                    p->spec.answer[0] < 'a' + p->spec.nchoices);
    } else {
        assert_true(evaluates(p->spec.answer));
        for (int i = 0; i < p->spec.nmis; i++) assert_true(evaluates(p->spec.mis[i].answer));
    }
    for (int i = 0; i < p->spec.nmis; i++) {
        assert_non_null(p->spec.mis[i].id);
        assert_true(p->spec.mis[i].feedback && dollars_balanced(p->spec.mis[i].feedback));
        assert_string_not_equal(p->spec.mis[i].answer, p->spec.answer);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every skill, difficulty and seed: generates, is complete, reproduces, varies. */
static void test_generate_all(void **state) {
    (void)state;
    for (size_t k = 0; k < NSKILLS; k++) {
        assert_non_null(lm_skill_find(skills[k]));
        for (int d = 1; d <= 3; d++) {
            char *prompts[NSEEDS];
            for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
                lm_problem a, b;
                generate(skills[k], seed, d, &a);
                check_well_formed(&a);
                generate(skills[k], seed, d, &b);
                if (!same_problem(&a, &b)) print_error("%s seed %llu d %d is not reproducible\n", skills[k],
                                                       (unsigned long long)seed, d);
                assert_true(same_problem(&a, &b));
                prompts[seed - 1] = lm_strdup(a.prompt);
                lm_problem_free(&a);
                lm_problem_free(&b);
            }
            qsort(prompts, NSEEDS, sizeof prompts[0], cmp_str);
            int distinct = 1;
            for (int i = 1; i < NSEEDS; i++) distinct += strcmp(prompts[i - 1], prompts[i]) != 0;
            for (int i = 0; i < NSEEDS; i++) lm_free(prompts[i]);
            if (distinct < 50) print_error("%s difficulty %d: only %d distinct prompts\n", skills[k], d, distinct);
            assert_true(distinct >= 50);
        }
    }
}

/* A wrong answer of the problem's type, far from the reference. */
static void perturb(const lm_answer_spec *spec, lm_buf *out) {
    if (spec->type == LM_ANS_CHOICE) {
        lm_buf_puts(out, spec->answer[0] == 'a' ? "b" : "a");
        return;
    }
    if (spec->type == LM_ANS_NUMBER || spec->type == LM_ANS_FRACTION) {
        lm_session *s = lm_session_new();
        lm_value v = lm_eval_value(s, spec->answer);
        assert_int_equal(v.kind, LM_NUM);
        char num[32];
        lm_fmt_double_shortest(num, v.u.num + fabs(v.u.num) * 0.5 + 1);
        lm_buf_puts(out, num);
        lm_release(v);
        lm_session_free(s);
        return;
    }
    lm_buf_printf(out, "(%s) + 1", spec->answer);
}

/* The checker is a placeholder (every answer "unparsed") until it lands; the
 * tests that need it skip until then instead of failing on someone else's
 * unfinished work. */
static bool checker_ready(void) {
    lm_answer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = LM_ANS_NUMBER;
    spec.answer = (char *)"1/2";
    lm_verdict v;
    lm_check_answer(&spec, "0.5", &v);
    bool ready = v.kind == LM_VERDICT_CORRECT;
    lm_verdict_free(&v);
    return ready;
}

static lm_verdict_kind verdict_of(const lm_answer_spec *spec, const char *answer, const char **mis) {
    lm_verdict v;
    lm_check_answer(spec, answer, &v);
    lm_verdict_kind k = v.kind;
    if (mis) *mis = v.misconception;
    lm_verdict_free(&v);
    return k;
}

static void test_checker_all(void **state) {
    (void)state;
    if (!checker_ready()) {
        print_message("the answer checker is still a placeholder: skipping the checker assertions\n");
        skip();
    }
    for (size_t k = 0; k < NSKILLS; k++)
        for (int d = 1; d <= 3; d++)
            for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
                lm_problem p;
                generate(skills[k], seed, d, &p);
                lm_buf wrong = LM_BUF_INIT;
                perturb(&p.spec, &wrong);
                lm_verdict_kind right_v = verdict_of(&p.spec, p.spec.answer, NULL);
                lm_verdict_kind wrong_v = verdict_of(&p.spec, lm_buf_cstr(&wrong), NULL);
                if (right_v != LM_VERDICT_CORRECT || wrong_v != LM_VERDICT_WRONG)
                    print_error("%s seed %llu d %d: reference `%s` -> %d, perturbed `%s` -> %d\n", skills[k],
                                (unsigned long long)seed, d, p.spec.answer, right_v, lm_buf_cstr(&wrong), wrong_v);
                assert_int_equal(right_v, LM_VERDICT_CORRECT);
                assert_int_equal(wrong_v, LM_VERDICT_WRONG);
                for (int i = 0; i < p.spec.nmis; i++) {
                    const char *id = NULL;
                    lm_verdict_kind mv = verdict_of(&p.spec, p.spec.mis[i].answer, &id);
                    if (mv != LM_VERDICT_WRONG || !id || strcmp(id, p.spec.mis[i].id))
                        print_error("%s seed %llu d %d: misconception %s `%s` -> %d (%s)\n", skills[k],
                                    (unsigned long long)seed, d, p.spec.mis[i].id, p.spec.mis[i].answer, mv,
                                    id ? id : "none");
                    assert_int_equal(mv, LM_VERDICT_WRONG);
                    assert_non_null(id);
                    assert_string_equal(id, p.spec.mis[i].id);
                }
                lm_buf_free(&wrong);
                lm_problem_free(&p);
            }
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
    /* t test of 59, 58, 60, 61, 60 against 54: R t.test(...)$p.value = 0.000390584, below 0.05: reject (a). */
    pinned("stats/t-test-decision", 5, 1, (const char *[]){"59, 58, 60, 61, 60", "\\mu = 54", "0.05", NULL}, &p);
    assert_string_equal(p.spec.answer, "a");
    lm_problem_free(&p);
    /* [27 26; 22 21] without continuity correction: R chisq.test(..., correct = FALSE)$p.value = 0.983: keep H0 (b). */
    pinned("stats/chi-square-decision", 1, 1, (const char *[]){"| 27 | 26 |", "| 22 | 21 |", NULL}, &p);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_all),
        cmocka_unit_test(test_checker_all),
        cmocka_unit_test(test_pinned_prob_basics),
        cmocka_unit_test(test_pinned_stats),
        cmocka_unit_test(test_pinned_optim),
        cmocka_unit_test(test_pinned_advstats_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
