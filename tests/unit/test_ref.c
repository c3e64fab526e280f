/* The quick reference (src/learn/ref*.c): topic matching, the checks of the
 * real formula table passing on several seeds, a wrong formula failing, a
 * program that errors reported rather than crashing, and the layout within
 * 80 columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lemma/lesson.h"
#include "lemma/ref.h"

static void test_topics(void **state) {
    (void)state;
    size_t n;
    const lm_ref_topic *t = lm_ref_topics(&n);
    assert_int_equal(n, 5);
    assert_string_equal(lm_ref_topic_match("linalg")->id, "linalg");
    assert_string_equal(lm_ref_topic_match("calc")->id, "calculus");
    assert_string_equal(lm_ref_topic_match("prob")->id, "probability");
    assert_string_equal(lm_ref_topic_match("info")->id, "information");
    assert_null(lm_ref_topic_match("xyz"));
    assert_null(lm_ref_topic_match(""));
    /* every formula belongs to a topic, and every topic has formulas */
    size_t nf;
    const lm_ref_formula *f = lm_ref_formulas(&nf);
    assert_true(nf >= 26);
    for (size_t i = 0; i < n; i++) {
        size_t count = 0;
        for (size_t k = 0; k < nf; k++) count += !strcmp(f[k].topic, t[i].id);
        assert_true(count >= 3);
    }
}

/* The seed per formula depends on the run seed and the formula only. */
static void test_seed(void **state) {
    (void)state;
    size_t nf;
    const lm_ref_formula *f = lm_ref_formulas(&nf);
    assert_int_equal(lm_ref_formula_seed(5, &f[0]), lm_ref_formula_seed(5, &f[0]));
    assert_true(lm_ref_formula_seed(5, &f[0]) != lm_ref_formula_seed(6, &f[0]));
    assert_true(lm_ref_formula_seed(5, &f[0]) != lm_ref_formula_seed(5, &f[1]));
    assert_true(lm_ref_formula_seed(5, &f[0]) < (1ULL << 31));
}

/* Every real check passes on a few seeds, leaves its description behind, and
 * renders within 80 columns with a ✓. */
static void test_all_pass(void **state) {
    (void)state;
    size_t nf;
    const lm_ref_formula *f = lm_ref_formulas(&nf);
    for (uint64_t seed = 1; seed <= 3; seed++)
        for (size_t i = 0; i < nf; i++) {
            lm_ref_result r;
            lm_ref_check(&f[i], seed, &r);
            if (!r.ok) fail_msg("%s (seed %llu): %s", f[i].id, (unsigned long long)seed, r.error ? r.error : "✗");
            assert_non_null(r.what);
            assert_non_null(r.a_is);
            assert_non_null(r.b_is);
            lm_buf b = LM_BUF_INIT;
            lm_ref_render_text(&f[i], &r, 80, false, &b);
            assert_non_null(strstr(b.s, "✓"));
            for (const char *p = b.s; *p;) {
                size_t len = strcspn(p, "\n");
                if (lm_text_columns(p, len) > 80) fail_msg("%s: a line wider than 80 columns: %.*s", f[i].id, (int)len, p);
                p += len + (p[len] == '\n');
            }
            lm_buf_free(&b);
            lm_ref_result_free(&r);
        }
}

/* A wrong formula is caught: (AB)ᵀ = AᵀBᵀ on square random matrices differs
 * from (AB)ᵀ by far more than rounding. */
static void test_wrong_formula_fails(void **state) {
    (void)state;
    const lm_ref_formula wrong = {"wrong", "linalg", "A wrong transpose rule", "(AB)^{\\top} = A^{\\top} B^{\\top}",
                                  "A = randn(3, 3); B = randn(3, 3);\n"
                                  "what = \"(AB)ᵀ against AᵀBᵀ\";\n"
                                  "a = max(max(abs((A * B)' - A' * B'))); a_is = \"largest difference\";\n"
                                  "b = 0; b_is = \"expected\"; tol = 1e-12;\n"};
    lm_ref_result r;
    lm_ref_check(&wrong, 1, &r);
    assert_true(r.ran);
    assert_false(r.ok);
    lm_buf b = LM_BUF_INIT;
    lm_ref_render_text(&wrong, &r, 80, false, &b);
    assert_non_null(strstr(b.s, "✗"));
    assert_non_null(strstr(b.s, "more than the allowed"));
    lm_buf_free(&b);
    lm_ref_result_free(&r);
}

/* A program that fails, or leaves no numbers, is a ✗ with the reason. */
static void test_broken_program(void **state) {
    (void)state;
    const lm_ref_formula broken = {"broken", "linalg", "Broken", "x", "a = [1 2] * [3 4];\n"};
    lm_ref_result r;
    lm_ref_check(&broken, 1, &r);
    assert_false(r.ran);
    assert_false(r.ok);
    assert_non_null(r.error);
    assert_non_null(strstr(r.error, "error"));
    lm_buf b = LM_BUF_INIT;
    lm_ref_render_text(&broken, &r, 80, false, &b);
    assert_non_null(strstr(b.s, "✗ the check could not run"));
    lm_buf_free(&b);
    lm_ref_result_free(&r);

    const lm_ref_formula silent = {"silent", "linalg", "Silent", "x", "q = 1;\n"};
    lm_ref_check(&silent, 1, &r);
    assert_false(r.ok);
    assert_non_null(strstr(r.error, "a, b and tol"));
    lm_ref_result_free(&r);

    /* NaN never passes */
    const lm_ref_formula nan = {"nan", "linalg", "NaN", "x", "a = 0/0; b = 0; tol = 1;\n"};
    lm_ref_check(&nan, 1, &r);
    assert_false(r.ok);
    lm_ref_result_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topics),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_all_pass),
        cmocka_unit_test(test_wrong_formula_fails),
        cmocka_unit_test(test_broken_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
