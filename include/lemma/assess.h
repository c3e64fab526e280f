/* The placement quiz (src/learn/assess.c): the seed guide's five
 * self-assessment questions, then auto-graded items per level drawn from the
 * practice generators at a fixed seed and difficulty (so everyone gets the
 * same quiz), and a recommended starting module and path.
 *
 * The rule (lm_assess_recommend): a level is passed when at most one of its
 * items was answered wrong (an unanswered item is wrong).
 *   - beginner items not passed: the beginner path;
 *   - beginner passed, but not both intermediate and advanced: the
 *     intermediate path;
 *   - all three passed: the advanced path.
 * The starting module is the path's weakest module: the fewest of its items
 * right (as a share), then the lowest self-rating of the seed question about
 * it (unrated counts as the middle of the scale), then curriculum order. So a
 * beginner who misses everything starts at linalg-basics. */
#ifndef LEMMA_ASSESS_H
#define LEMMA_ASSESS_H

#include "lemma/core.h"
#include "lemma/lesson.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lm_assess_kind {
    LM_ASSESS_SELF, /* a self-rating, 1..4 */
    LM_ASSESS_ITEM, /* a generated problem, right or wrong */
} lm_assess_kind;

typedef struct lm_assess_question {
    lm_assess_kind kind;
    const char *id;     /* SELF: "self/matrix-product"; ITEM: the skill id "module/skill" */
    lm_level level;     /* the level of `module` */
    const char *module; /* the module it speaks for: "linalg-basics" */
    const char *text;   /* SELF: the question; ITEM: NULL (the prompt comes from the generator) */
    uint64_t seed;      /* ITEM: the generator's seed and difficulty */
    int difficulty;
} lm_assess_question;

/* The quiz in order: the self-ratings first, then the items by level. */
const lm_assess_question *lm_assess_questions(size_t *n);

/* A self-rating as typed: 1, 2, 3 or 4, or (any case) no, a little,
 * somewhat, mostly, yes. False for anything else. */
bool lm_assess_parse_rating(const char *s, int *rating);
/* The words of a rating, "a little" for 2. */
const char *lm_assess_rating_words(int rating);

/* One answer per question, in the order of lm_assess_questions:
 *   SELF: 0 = not answered, 1..4 the rating;
 *   ITEM: 1 = right, 0 = wrong or not answered, -1 = not asked (its
 *         generator was missing), which leaves it out of the counts. */
typedef struct lm_assess_outcome {
    lm_level path;
    const char *module; /* static: the module to start with */
    int right[4];       /* by lm_level: items right */
    int asked[4];       /* by lm_level: items asked */
    char *why;          /* owned: one or two sentences for the learner */
} lm_assess_outcome;

void lm_assess_recommend(const int *answers, size_t n, lm_assess_outcome *out);
void lm_assess_outcome_free(lm_assess_outcome *o);

/* The module's title ("Linear algebra basics"), or the id when unknown. */
const char *lm_assess_module_title(const char *module);

#endif
