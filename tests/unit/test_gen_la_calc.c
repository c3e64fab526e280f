/* Unit tests for the exercise generators of linalg-basics, calc-basics, linalg
 * and multicalc (src/learn/gen_*.c), the shared helpers (gen_util.c) and the
 * skill registry (skills.c).
 *
 * Every skill and difficulty is generated for 200 seeds and checked for shape
 * (prompt, hints, steps), determinism, variety, a reference answer the engine
 * evaluates, and — through the answer checker — that the reference is accepted
 * and a perturbed answer rejected. A few problems are pinned to answers worked
 * out independently; each says where its number comes from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "learn/gen.h"
#include "learn/gen_util.h"
#include "lemma/check.h"
#include "lemma/lang.h"
#include "lemma/learn.h"

#define NSEEDS 200

static const char *const my_skills[] = {
    "linalg-basics/vector-add",    "linalg-basics/dot-product",     "linalg-basics/vector-norm",
    "linalg-basics/matrix-shape",  "linalg-basics/matrix-product",  "linalg-basics/transpose",
    "linalg-basics/inverse-2x2",   "linalg-basics/determinant-2x2", "calc-basics/slope-at-point",
    "calc-basics/power-rule",      "calc-basics/product-rule",      "calc-basics/quotient-rule",
    "calc-basics/chain-rule",      "calc-basics/gradient",          "linalg/rank",
    "linalg/linear-independence",  "linalg/eigenvalues-2x2",        "linalg/eigenvector-check",
    "linalg/determinant-3x3",      "linalg/broadcast-shape",        "linalg/projection",
    "multicalc/partial-derivative", "multicalc/jacobian",           "multicalc/hessian",
    "multicalc/gradient-descent-step", "multicalc/sigmoid-derivative", "multicalc/softmax",
};
#define NMY (sizeof my_skills / sizeof my_skills[0])

/* ---- helpers ---- */

static bool same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

static bool same_problem(const lm_problem *a, const lm_problem *b) {
    if (!same_str(a->prompt, b->prompt) || a->spec.type != b->spec.type || !same_str(a->spec.answer, b->spec.answer) ||
        !same_str(a->spec.vars, b->spec.vars) || !same_str(a->spec.domain, b->spec.domain) || a->spec.tol != b->spec.tol ||
        a->spec.probability != b->spec.probability || a->spec.nchoices != b->spec.nchoices ||
        a->spec.nmis != b->spec.nmis || a->nhints != b->nhints || a->nsteps != b->nsteps)
        return false;
    for (int i = 0; i < a->spec.nchoices; i++)
        if (!same_str(a->spec.choices[i], b->spec.choices[i])) return false;
    for (int i = 0; i < a->spec.nmis; i++)
        if (!same_str(a->spec.mis[i].id, b->spec.mis[i].id) || !same_str(a->spec.mis[i].answer, b->spec.mis[i].answer) ||
            !same_str(a->spec.mis[i].feedback, b->spec.mis[i].feedback))
            return false;
    for (int i = 0; i < a->nhints; i++)
        if (!same_str(a->hints[i], b->hints[i])) return false;
    for (int i = 0; i < a->nsteps; i++)
        if (!same_str(a->steps[i].text, b->steps[i].text) || !same_str(a->steps[i].latex, b->steps[i].latex)) return false;
    return true;
}

/* Unescaped $ signs come in pairs ($...$ and $$...$$ alike). */
static bool balanced_dollars(const char *s) {
    int n = 0;
    for (const char *c = s; *c; c++)
        if (*c == '$' && (c == s || c[-1] != '\\')) n++;
    return n % 2 == 0;
}

/* A program evaluates without error in a fresh session. */
static bool evaluates(const char *src, char *why, size_t whylen) {
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, src);
    bool ok = !lm_is_error(v) && !lm_is_nil(v);
    if (!ok) snprintf(why, whylen, "%s", lm_is_error(v) && lm_error_obj(v)->msg ? lm_error_obj(v)->msg : "no value");
    lm_release(v);
    lm_session_free(s);
    return ok;
}

/* The checker is a placeholder until src/lang/answer.c lands: it then answers
 * "unparsed" for everything, so its assertions are skipped rather than failed. */
static bool checker_ready(void) {
    lm_answer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = LM_ANS_NUMBER;
    spec.answer = (char *)"1/2";
    lm_verdict v;
    memset(&v, 0, sizeof v);
    lm_check_answer(&spec, "0.5", &v);
    bool ready = v.kind != LM_VERDICT_UNPARSED;
    lm_verdict_free(&v);
    return ready;
}

/* A wrong answer of the same type and shape as the reference. */
static void perturb(const lm_answer_spec *spec, lm_buf *out) {
    switch (spec->type) {
    case LM_ANS_CHOICE:
        lm_buf_puts(out, strcmp(spec->answer, "a") ? "a" : "b");
        break;
    case LM_ANS_NUMBER:
    case LM_ANS_FRACTION:
        lm_buf_printf(out, "(%s) + 1", spec->answer);
        break;
    default: /* vectors, matrices, sets, intervals, expressions: every entry moves */
        lm_buf_printf(out, "(%s) + 1", spec->answer);
        break;
    }
}

/* ---- the registry ---- */

static void test_registry(void **state) {
    (void)state;
    size_t n = 0;
    const lm_skill_def *defs = lm_skill_defs(&n);
    assert_non_null(defs);
    for (size_t i = 0; i < NMY; i++) {
        const lm_skill_def *d = lm_skill_find(my_skills[i]);
        if (!d) fail_msg("skill %s is not registered", my_skills[i]);
        assert_string_equal(d->id, my_skills[i]);
        assert_non_null(d->title);
        assert_non_null(d->generate);
    }
    /* curriculum order: linalg-basics before calc-basics before linalg before multicalc */
    size_t pos[4] = {0, 0, 0, 0};
    const char *firsts[4] = {"linalg-basics/vector-add", "calc-basics/slope-at-point", "linalg/rank", "multicalc/partial-derivative"};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            if (!strcmp(defs[i].id, firsts[k])) pos[k] = i + 1;
    assert_true(pos[0] && pos[0] < pos[1] && pos[1] < pos[2] && pos[2] < pos[3]);
    assert_null(lm_skill_find("linalg-basics/no-such-skill"));
    lm_problem p;
    lm_err err = LM_ERR_INIT;
    assert_false(lm_problem_generate("nope/nope", 1, 1, &p, &err));
    assert_int_equal(err.kind, LM_ERR_NAME);
    lm_err_clear(&err);
    assert_false(lm_problem_generate("linalg-basics/dot-product", 1, 4, &p, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
}

/* ---- every skill, difficulty and seed ---- */

static void check_skill(const char *skill, bool with_checker) {
    for (int d = 1; d <= 3; d++) {
        char *prompts[NSEEDS];
        int distinct = 0;
        for (uint64_t seed = 0; seed < NSEEDS; seed++) {
            lm_problem p, q;
            lm_err err = LM_ERR_INIT;
            if (!lm_problem_generate(skill, seed, d, &p, &err))
                fail_msg("%s d%d seed %llu: %s", skill, d, (unsigned long long)seed, err.msg ? err.msg : "?");
            assert_true(lm_problem_generate(skill, seed, d, &q, &err));
            if (!same_problem(&p, &q)) fail_msg("%s d%d seed %llu is not reproducible", skill, d, (unsigned long long)seed);
            lm_problem_free(&q);
            assert_ptr_equal(p.skill, lm_skill_find(skill)->id);
            assert_non_null(p.prompt);
            assert_true(p.prompt[0] != '\0');
            if (!balanced_dollars(p.prompt)) fail_msg("%s d%d seed %llu: unbalanced $ in %s", skill, d, (unsigned long long)seed, p.prompt);
            if (p.nhints < 2 || p.nhints > 3) fail_msg("%s d%d: %d hints", skill, d, p.nhints);
            for (int i = 0; i < p.nhints; i++) assert_true(balanced_dollars(p.hints[i]));
            if (p.nsteps < 1) fail_msg("%s d%d seed %llu: no solution steps", skill, d, (unsigned long long)seed);
            for (int i = 0; i < p.nsteps; i++) assert_true(p.steps[i].text && p.steps[i].text[0]);
            assert_non_null(p.spec.answer);
            char why[256];
            if (p.spec.type == LM_ANS_CHOICE) {
                assert_true(p.spec.nchoices >= 2);
                assert_true(p.spec.answer[0] >= 'a' && p.spec.answer[0] < 'a' + p.spec.nchoices && !p.spec.answer[1]);
            } else if (!evaluates(p.spec.answer, why, sizeof why)) {
                fail_msg("%s d%d seed %llu: reference `%s` fails: %s", skill, d, (unsigned long long)seed, p.spec.answer, why);
            }
            for (int i = 0; i < p.spec.nmis; i++) {
                assert_non_null(p.spec.mis[i].id);
                assert_true(p.spec.mis[i].feedback && p.spec.mis[i].feedback[0]);
                if (p.spec.type != LM_ANS_CHOICE && !evaluates(p.spec.mis[i].answer, why, sizeof why))
                    fail_msg("%s d%d seed %llu: misconception `%s` fails: %s", skill, d, (unsigned long long)seed,
                             p.spec.mis[i].answer, why);
            }
            if (with_checker) {
                lm_verdict v;
                memset(&v, 0, sizeof v);
                lm_check_answer(&p.spec, p.spec.answer, &v);
                if (v.kind != LM_VERDICT_CORRECT)
                    fail_msg("%s d%d seed %llu: reference `%s` not accepted: %s", skill, d, (unsigned long long)seed,
                             p.spec.answer, v.feedback ? v.feedback : "");
                lm_verdict_free(&v);
                lm_buf wrong = LM_BUF_INIT;
                perturb(&p.spec, &wrong);
                memset(&v, 0, sizeof v);
                lm_check_answer(&p.spec, wrong.s, &v);
                if (v.kind != LM_VERDICT_WRONG)
                    fail_msg("%s d%d seed %llu: perturbed `%s` not rejected", skill, d, (unsigned long long)seed, wrong.s);
                lm_verdict_free(&v);
                lm_buf_free(&wrong);
                for (int i = 0; i < p.spec.nmis; i++) {
                    memset(&v, 0, sizeof v);
                    lm_check_answer(&p.spec, p.spec.mis[i].answer, &v);
                    if (v.kind != LM_VERDICT_WRONG)
                        fail_msg("%s d%d seed %llu: misconception `%s` not rejected", skill, d, (unsigned long long)seed,
                                 p.spec.mis[i].answer);
                    lm_verdict_free(&v);
                }
            }
            bool seen = false;
            for (int i = 0; i < distinct && !seen; i++) seen = !strcmp(prompts[i], p.prompt);
            if (!seen) prompts[distinct++] = lm_strdup(p.prompt);
            lm_problem_free(&p);
        }
        for (int i = 0; i < distinct; i++) lm_free(prompts[i]);
        if (distinct < 50) fail_msg("%s d%d: only %d distinct prompts in %d seeds", skill, d, distinct, NSEEDS);
    }
}

/* One pass per skill (generation dominates the run time under ASan). The
 * accept/reject checks run once the checker is in; before that they are
 * reported as skipped rather than passed. */
static void test_all_skills(void **state) {
    (void)state;
    bool ready = checker_ready();
    for (size_t i = 0; i < NMY; i++) check_skill(my_skills[i], ready);
    if (!ready) {
        print_message("the answer checker is still a placeholder: accept/reject checks skipped\n");
        skip();
    }
}

/* ---- gen_util ---- */

static void test_util(void **state) {
    (void)state;
    lm_rng a, b;
    lm_gen_rng(&a, "x/y", 7, 1);
    lm_gen_rng(&b, "x/y", 7, 2);
    assert_true(lm_rng_u64(&a) != lm_rng_u64(&b)); /* difficulty changes the stream */
    for (int i = 0; i < 1000; i++) {
        int64_t v = lm_gen_int(&a, -3, 4);
        assert_true(v >= -3 && v <= 4);
        assert_true(lm_gen_int_nonzero(&a, -1, 1) != 0);
    }
    /* 6/-8 = -3/4; 1/3 + 1/6 = 1/2; (2/3)/(4/9) = 3/2 (by hand) */
    lm_rat r = lm_gen_rat(6, -8);
    assert_int_equal(r.p, -3);
    assert_int_equal(r.q, 4);
    r = lm_gen_rat_add(lm_gen_rat(1, 3), lm_gen_rat(1, 6));
    assert_true(r.p == 1 && r.q == 2);
    r = lm_gen_rat_div(lm_gen_rat(2, 3), lm_gen_rat(4, 9));
    assert_true(r.p == 3 && r.q == 2);
    lm_buf s = LM_BUF_INIT;
    lm_rat m[4] = {{3, 5}, {-1, 5}, {-1, 5}, {2, 5}};
    lm_gen_put_rmat(&s, m, 2, 2);
    assert_string_equal(s.s, "[3/5 -1/5; -1/5 2/5]");
    lm_buf_reset(&s);
    lm_gen_put_rmat_latex(&s, m, 1, 2);
    assert_string_equal(s.s, "\\begin{bmatrix} \\frac{3}{5} & -\\frac{1}{5} \\end{bmatrix}");
    lm_buf_reset(&s);
    lm_gen_put_term(&s, -1, "x^2", true);
    lm_gen_put_term(&s, 3, "x", false);
    lm_gen_put_term(&s, -2, "", false);
    assert_string_equal(s.s, "-x^2 + 3*x - 2");
    lm_buf_reset(&s);
    lm_gen_put_num(&s, 0.25);
    lm_gen_put_num(&s, -3);
    assert_string_equal(s.s, "0.25-3");
    lm_buf_free(&s);
    /* inv([2 1; 1 3]) = [3/5 -1/5; -1/5 2/5] (by hand: adj / det, det = 5) */
    lm_err err = LM_ERR_INIT;
    int rr, cc;
    assert_true(lm_gen_eval_rmat("inv([2 1; 1 3])", m, 4, &rr, &cc, &err));
    assert_true(rr == 2 && cc == 2 && m[0].p == 3 && m[0].q == 5 && m[1].p == -1 && m[3].p == 2);
    lm_buf t = LM_BUF_INIT;
    assert_true(lm_gen_eval_expr("diff(x^3, x)", &t, NULL, &err));
    assert_string_equal(t.s, "3*x^2");
    lm_buf_free(&t);
    assert_false(lm_gen_eval_rmat("sine(1)", m, 4, &rr, &cc, &err));
    assert_int_equal(err.kind, LM_ERR_NAME);
    lm_err_clear(&err);
}

/* ---- pinned problems, answers worked out by hand ---- */

static void expect_answer(const char *skill, uint64_t seed, int d, const char *prompt_part, const char *answer) {
    lm_problem p;
    lm_err err = LM_ERR_INIT;
    assert_true(lm_problem_generate(skill, seed, d, &p, &err));
    if (!strstr(p.prompt, prompt_part)) fail_msg("%s seed %llu: prompt lacks `%s`:\n%s", skill, (unsigned long long)seed, prompt_part, p.prompt);
    assert_string_equal(p.spec.answer, answer);
    lm_problem_free(&p);
}

static void test_pinned(void **state) {
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_pinned),
        cmocka_unit_test(test_all_skills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
