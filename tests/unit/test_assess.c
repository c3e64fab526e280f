/* The placement quiz's recommendation rule (src/learn/assess.c): a table of
 * answer patterns and the path and starting module each must give, worked
 * out by hand from the rule in include/lemma/assess.h, and the reading of
 * self-ratings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lemma/assess.h"

/* The quiz's order: 5 self-ratings (matrices, eigen, chain rule, Bayes,
 * gradient descent), then items: 4 beginner (linalg-basics ×2, prob-basics,
 * calc-basics), 4 intermediate (linalg, stats, multicalc ×2), 3 advanced
 * (optim, advstats, info). */
#define NQ 16
typedef struct row {
    const char *name;
    int answers[NQ];
    lm_level path;
    const char *module;
} row;

static const row table[] = {
    {"a beginner: no to everything, every problem wrong",
     {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_BEGINNER, "linalg-basics"},
    {"nothing rated, nothing right: the first module",
     {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_BEGINNER, "linalg-basics"},
    {"confident but wrong: still linalg-basics first",
     {4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_BEGINNER, "linalg-basics"},
    {"matrices right, probability and calculus wrong: prob-basics (lower rating on Bayes)",
     {4, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_BEGINNER, "prob-basics"},
    {"two beginner problems wrong (calculus and one matrix): linalg-basics has 1/2, calc 0/1",
     {1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_BEGINNER, "calc-basics"},
    {"one beginner problem wrong still passes: intermediate path",
     {3, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_INTERMEDIATE, "linalg"},
    {"beginner right, intermediate all wrong, eigen and descent rated 4: stats (unrated counts as 2.5)",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_INTERMEDIATE, "stats"},
    {"intermediate right, advanced wrong: intermediate path, lowest self-rating (eigen 2)",
     {4, 2, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, LM_LEVEL_INTERMEDIATE, "linalg"},
    {"intermediate right, gradient descent rated 1: multicalc",
     {4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, LM_LEVEL_INTERMEDIATE, "multicalc"},
    {"intermediate right except the MLE: stats",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0}, LM_LEVEL_INTERMEDIATE, "stats"},
    {"everything right: the advanced path from its first module",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, LM_LEVEL_ADVANCED, "optim"},
    {"advanced with the entropy problem wrong: info",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, LM_LEVEL_ADVANCED, "info"},
    {"two advanced wrong: not passed, intermediate path",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, LM_LEVEL_INTERMEDIATE, "stats"},
    {"advanced right but intermediate failed: intermediate path at the weakest",
     {4, 4, 4, 4, 4, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1}, LM_LEVEL_INTERMEDIATE, "linalg"},
    {"an item not asked (-1) is left out: 3 of 3 asked beginner items right passes",
     {0, 0, 0, 0, 0, -1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, LM_LEVEL_INTERMEDIATE, "linalg"},
};

static void test_table(void **state) {
    (void)state;
    size_t n;
    lm_assess_questions(&n);
    assert_int_equal(n, NQ);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        lm_assess_outcome o;
        lm_assess_recommend(table[i].answers, NQ, &o);
        if (o.path != table[i].path || strcmp(o.module, table[i].module) != 0)
            fail_msg("%s: got the %s path at %s, want %s at %s", table[i].name, lm_level_name(o.path), o.module,
                     lm_level_name(table[i].path), table[i].module);
        assert_non_null(o.why);
        assert_true(strlen(o.why) > 40);
        lm_assess_outcome_free(&o);
    }
}

/* The counts by level come from the items alone (self-ratings are not
 * graded), and the sentence names them. */
static void test_counts(void **state) {
    (void)state;
    const int a[NQ] = {4, 4, 4, 4, 4, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0};
    lm_assess_outcome o;
    lm_assess_recommend(a, NQ, &o);
    assert_int_equal(o.right[LM_LEVEL_BEGINNER], 3);
    assert_int_equal(o.asked[LM_LEVEL_BEGINNER], 4);
    assert_int_equal(o.right[LM_LEVEL_INTERMEDIATE], 2);
    assert_int_equal(o.asked[LM_LEVEL_INTERMEDIATE], 4);
    assert_int_equal(o.right[LM_LEVEL_ADVANCED], 1);
    assert_int_equal(o.asked[LM_LEVEL_ADVANCED], 3);
    assert_int_equal(o.path, LM_LEVEL_INTERMEDIATE);
    /* linalg 1/1, stats 0/1, multicalc 1/2: stats is weakest */
    assert_string_equal(o.module, "stats");
    assert_non_null(strstr(o.why, "3 of 4 beginner"));
    assert_non_null(strstr(o.why, "Statistical methods"));
    lm_assess_outcome_free(&o);
}

static void test_ratings(void **state) {
    (void)state;
    static const struct {
        const char *in;
        bool ok;
        int want;
    } rows[] = {
        {"1", true, 1},        {"4", true, 4},       {" 3 ", true, 3},    {"yes", true, 4},   {"YES", true, 4},
        {"no", true, 1},       {"somewhat", true, 2}, {"a little", true, 2}, {"mostly", true, 3}, {"0", false, 0},
        {"5", false, 0},       {"12", false, 0},     {"", false, 0},      {"yess", false, 0}, {"maybe", false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int r = -7;
        bool ok = lm_assess_parse_rating(rows[i].in, &r);
        if (ok != rows[i].ok || (ok && r != rows[i].want))
            fail_msg("'%s': got %d (%s)", rows[i].in, r, ok ? "read" : "refused");
    }
    assert_string_equal(lm_assess_rating_words(2), "a little");
}

/* Every item names a skill id "module/skill" of its own module, and every
 * self-rating question has text. */
static void test_questions(void **state) {
    (void)state;
    size_t n;
    const lm_assess_question *q = lm_assess_questions(&n);
    int items[4] = {0};
    for (size_t i = 0; i < n; i++) {
        if (q[i].kind == LM_ASSESS_SELF) {
            assert_non_null(q[i].text);
            continue;
        }
        size_t ml = strlen(q[i].module);
        assert_true(!strncmp(q[i].id, q[i].module, ml) && q[i].id[ml] == '/');
        items[q[i].level]++;
    }
    for (int l = LM_LEVEL_BEGINNER; l <= LM_LEVEL_ADVANCED; l++) assert_true(items[l] >= 3 && items[l] <= 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_ratings),
        cmocka_unit_test(test_questions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
