/* Unit tests for the mastery rule (src/learn/mastery.c). Each expected level
 * is worked out by hand from the rule written at the top of mastery.c: over
 * the last 8 attempts, k of them with c clean (right, no hints),
 * mastered k >= 5 and c/k >= 0.85, proficient k >= 3 and c/k >= 0.7,
 * familiar c >= 1 and c/k >= 0.4, else attempted; nothing is not started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lemma/store.h"

/* `pattern` lists attempts newest first: '1' clean, '0' not. */
static lm_mastery level_of(const char *pattern) {
    bool clean[32];
    size_t n = strlen(pattern);
    for (size_t i = 0; i < n; i++) clean[i] = pattern[i] == '1';
    return lm_mastery_from_recent(clean, n);
}

static void test_levels(void **state) {
    (void)state;
    static const struct {
        const char *recent;
        lm_mastery want;
    } cases[] = {
        {"", LM_MASTERY_NOT_STARTED},
        {"0", LM_MASTERY_ATTEMPTED},       /* c = 0 */
        {"1", LM_MASTERY_FAMILIAR},        /* 1/1, but k < 3 */
        {"11", LM_MASTERY_FAMILIAR},       /* 2/2, k < 3 */
        {"10", LM_MASTERY_FAMILIAR},       /* 1/2 = 0.5 >= 0.4 */
        {"100", LM_MASTERY_ATTEMPTED},     /* 1/3 = 0.33 < 0.4 */
        {"111", LM_MASTERY_PROFICIENT},    /* 3/3, k = 3, but k < 5 for mastered */
        {"110", LM_MASTERY_FAMILIAR},      /* 2/3 = 0.67 < 0.7 */
        {"1101", LM_MASTERY_PROFICIENT},   /* 3/4 = 0.75 */
        {"11111", LM_MASTERY_MASTERED},    /* 5/5 */
        {"11110", LM_MASTERY_PROFICIENT},  /* 4/5 = 0.8 < 0.85 */
        {"111011", LM_MASTERY_PROFICIENT}, /* 5/6 = 0.83 < 0.85 */
        {"1110111", LM_MASTERY_MASTERED},  /* 6/7 = 0.857 >= 0.85 */
        {"11101110", LM_MASTERY_PROFICIENT}, /* 6/8 = 0.75 */
        {"11110111", LM_MASTERY_MASTERED},   /* 7/8 = 0.875 */
        {"00001111", LM_MASTERY_FAMILIAR},   /* 4/8 = 0.5: recent errors bring it down */
        {"00000011", LM_MASTERY_ATTEMPTED},  /* 2/8 = 0.25 */
        /* Only the newest 8 count: the 9th and later are ignored. */
        {"1111111100000000", LM_MASTERY_MASTERED},
        {"0000000011111111", LM_MASTERY_ATTEMPTED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lm_mastery got = level_of(cases[i].recent);
        if (got != cases[i].want) {
            print_error("recent \"%s\": got %s, expected %s\n", cases[i].recent, lm_mastery_name(got),
                        lm_mastery_name(cases[i].want));
            fail();
        }
    }
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(lm_mastery_name(LM_MASTERY_NOT_STARTED), "not-started");
    assert_string_equal(lm_mastery_label(LM_MASTERY_NOT_STARTED), "not started");
    assert_string_equal(lm_mastery_name(LM_MASTERY_MASTERED), "mastered");
    assert_string_equal(lm_mastery_label(LM_MASTERY_PROFICIENT), "proficient");
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_levels), cmocka_unit_test(test_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
