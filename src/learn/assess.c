/* The placement quiz's content and its recommendation rule (assess.h). */
#include "lemma/assess.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The nine modules (lessons/README.md), in curriculum order. */
static const struct {
    const char *id, *title;
    lm_level level;
} modules[] = {
    {"linalg-basics", "Linear algebra basics", LM_LEVEL_BEGINNER},
    {"prob-basics", "Probability and statistics fundamentals", LM_LEVEL_BEGINNER},
    {"calc-basics", "Calculus essentials", LM_LEVEL_BEGINNER},
    {"linalg", "Advanced linear algebra", LM_LEVEL_INTERMEDIATE},
    {"stats", "Statistical methods", LM_LEVEL_INTERMEDIATE},
    {"multicalc", "Multivariable calculus", LM_LEVEL_INTERMEDIATE},
    {"optim", "Optimization theory", LM_LEVEL_ADVANCED},
    {"advstats", "Advanced statistics", LM_LEVEL_ADVANCED},
    {"info", "Information theory", LM_LEVEL_ADVANCED},
};
#define NMODULES (sizeof modules / sizeof modules[0])

#define B LM_LEVEL_BEGINNER
#define I LM_LEVEL_INTERMEDIATE
#define A LM_LEVEL_ADVANCED
/* The seeds are fixed so that the quiz is the same for everyone (and a test
 * can hold its answers); any seed whose problem reads well would do. */
static const lm_assess_question questions[] = {
    {LM_ASSESS_SELF, "self/matrix-product", B, "linalg-basics", "Can you multiply two matrices by hand?", 0, 0},
    {LM_ASSESS_SELF, "self/eigenvalues", I, "linalg",
     "Do you know what eigenvalues and eigenvectors represent?", 0, 0},
    {LM_ASSESS_SELF, "self/chain-rule", B, "calc-basics",
     "Can you differentiate a composition of functions with the chain rule?", 0, 0},
    {LM_ASSESS_SELF, "self/bayes-theorem", B, "prob-basics", "Can you apply Bayes' theorem?", 0, 0},
    {LM_ASSESS_SELF, "self/gradient-descent", I, "multicalc",
     "Can you explain what gradient descent does and why the learning rate matters?", 0, 0},
    {LM_ASSESS_ITEM, "linalg-basics/matrix-product", B, "linalg-basics", NULL, 11, 1},
    {LM_ASSESS_ITEM, "linalg-basics/determinant-2x2", B, "linalg-basics", NULL, 12, 1},
    {LM_ASSESS_ITEM, "prob-basics/bayes-theorem", B, "prob-basics", NULL, 13, 1},
    {LM_ASSESS_ITEM, "calc-basics/chain-rule", B, "calc-basics", NULL, 14, 1},
    {LM_ASSESS_ITEM, "linalg/eigenvalues-2x2", I, "linalg", NULL, 21, 1},
    {LM_ASSESS_ITEM, "stats/mle-bernoulli", I, "stats", NULL, 22, 1},
    {LM_ASSESS_ITEM, "multicalc/partial-derivative", I, "multicalc", NULL, 23, 1},
    {LM_ASSESS_ITEM, "multicalc/gradient-descent-step", I, "multicalc", NULL, 24, 1},
    {LM_ASSESS_ITEM, "optim/momentum-step", A, "optim", NULL, 31, 1},
    {LM_ASSESS_ITEM, "advstats/stationary-2state", A, "advstats", NULL, 34, 1},
    {LM_ASSESS_ITEM, "info/entropy", A, "info", NULL, 33, 1},
};
#undef B
#undef I
#undef A
#define NQUESTIONS (sizeof questions / sizeof questions[0])

const lm_assess_question *lm_assess_questions(size_t *n) {
    *n = NQUESTIONS;
    return questions;
}

const char *lm_assess_module_title(const char *module) {
    for (size_t i = 0; i < NMODULES; i++)
        if (!strcmp(modules[i].id, module)) return modules[i].title;
    return module;
}

static const char *const rating_words[] = {"not answered", "no", "a little", "mostly", "yes"};

const char *lm_assess_rating_words(int rating) {
    return rating >= 1 && rating <= 4 ? rating_words[rating] : rating_words[0];
}

bool lm_assess_parse_rating(const char *s, int *rating) {
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len == 1 && s[0] >= '1' && s[0] <= '4') {
        *rating = s[0] - '0';
        return true;
    }
    static const struct {
        const char *word;
        int rating;
    } words[] = {{"no", 1}, {"n", 1}, {"a little", 2}, {"little", 2}, {"somewhat", 2},
                 {"mostly", 3}, {"yes", 4}, {"y", 4}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == len && !strncasecmp(s, words[i].word, len)) {
            *rating = words[i].rating;
            return true;
        }
    return false;
}

/* ---- the recommendation -------------------------------------------------------- */

static bool passed(const lm_assess_outcome *o, lm_level l) { return o->asked[l] > 0 && o->asked[l] - o->right[l] <= 1; }

/* How well the answers speak for one module: the share of its items right,
 * and the self-rating of the seed question about it (2.5, the middle, when
 * there is none or it was not answered). */
static void module_score(const int *answers, size_t n, const char *module, double *share, double *rating) {
    int right = 0, asked = 0;
    *rating = 2.5;
    for (size_t i = 0; i < n && i < NQUESTIONS; i++) {
        const lm_assess_question *q = &questions[i];
        if (strcmp(q->module, module) != 0) continue;
        if (q->kind == LM_ASSESS_SELF) {
            if (answers[i] >= 1 && answers[i] <= 4) *rating = answers[i];
        } else if (answers[i] >= 0) {
            asked++;
            right += answers[i] > 0;
        }
    }
    *share = asked ? (double)right / asked : 1.0;
}

/* Why a module was the weakest, for the sentence that says so. */
typedef enum weak_reason { WEAK_ITEMS, WEAK_RATING, WEAK_FIRST } weak_reason;

static const char *weakest_module(const int *answers, size_t n, lm_level level, weak_reason *why) {
    const char *best = NULL;
    double best_share = 2, best_rating = 5;
    int tied_share = 0, tied_all = 0; /* other modules as weak as the best */
    for (size_t m = 0; m < NMODULES; m++) {
        if (modules[m].level != level) continue;
        double share, rating;
        module_score(answers, n, modules[m].id, &share, &rating);
        /* strictly weaker only: ties stay with the earlier module */
        if (share < best_share || (share == best_share && rating < best_rating)) {
            tied_share = share == best_share ? tied_share + 1 : 0;
            tied_all = 0;
            best = modules[m].id;
            best_share = share;
            best_rating = rating;
        } else if (share == best_share) {
            tied_share++;
            if (rating == best_rating) tied_all++;
        }
    }
    *why = !tied_share ? WEAK_ITEMS : !tied_all ? WEAK_RATING : WEAK_FIRST;
    return best;
}

void lm_assess_recommend(const int *answers, size_t n, lm_assess_outcome *out) {
    memset(out, 0, sizeof *out);
    int rated = 0, rating_sum = 0;
    for (size_t i = 0; i < n && i < NQUESTIONS; i++) {
        const lm_assess_question *q = &questions[i];
        if (q->kind == LM_ASSESS_SELF) {
            if (answers[i] >= 1 && answers[i] <= 4) {
                rated++;
                rating_sum += answers[i];
            }
        } else if (answers[i] >= 0) {
            out->asked[q->level]++;
            out->right[q->level] += answers[i] > 0;
        }
    }
    if (!passed(out, LM_LEVEL_BEGINNER)) out->path = LM_LEVEL_BEGINNER;
    else if (passed(out, LM_LEVEL_INTERMEDIATE) && passed(out, LM_LEVEL_ADVANCED)) out->path = LM_LEVEL_ADVANCED;
    else out->path = LM_LEVEL_INTERMEDIATE;
    weak_reason reason;
    out->module = weakest_module(answers, n, out->path, &reason);
    const char *title = lm_assess_module_title(out->module);

    lm_buf why = LM_BUF_INIT;
    const int *r = out->right, *a = out->asked;
    switch (out->path) {
    case LM_LEVEL_BEGINNER:
        lm_buf_printf(&why,
                      "You answered %d of %d beginner problems correctly, so the beginner path is the place to "
                      "start: it builds the vectors, matrices, probability and derivatives that everything later "
                      "uses.",
                      r[LM_LEVEL_BEGINNER], a[LM_LEVEL_BEGINNER]);
        if (rated && rating_sum >= 3 * rated)
            lm_buf_puts(&why, " You rated yourself higher than your answers showed; the lessons' checks will "
                              "soon tell you what you already know.");
        break;
    case LM_LEVEL_INTERMEDIATE:
        lm_buf_printf(&why,
                      "You answered %d of %d beginner problems correctly, so the basics are in place; you "
                      "answered %d of %d intermediate ones and %d of %d advanced ones, so the intermediate "
                      "path comes next.",
                      r[LM_LEVEL_BEGINNER], a[LM_LEVEL_BEGINNER], r[LM_LEVEL_INTERMEDIATE],
                      a[LM_LEVEL_INTERMEDIATE], r[LM_LEVEL_ADVANCED], a[LM_LEVEL_ADVANCED]);
        break;
    default:
        lm_buf_printf(&why,
                      "You answered %d of %d intermediate and %d of %d advanced problems correctly, so the "
                      "advanced path is where you will learn something new.",
                      r[LM_LEVEL_INTERMEDIATE], a[LM_LEVEL_INTERMEDIATE], r[LM_LEVEL_ADVANCED],
                      a[LM_LEVEL_ADVANCED]);
        break;
    }
    if (reason == WEAK_ITEMS)
        lm_buf_printf(&why, " Start with %s: your answers there were the weakest.", title);
    else if (reason == WEAK_RATING)
        lm_buf_printf(&why, " Start with %s: of the modules where your answers were equally good, you rated "
                            "yourself lowest on it.", title);
    else
        lm_buf_printf(&why, " Start with %s: it comes first in the path, and the others build on it.", title);
    out->why = lm_buf_steal(&why);
}

void lm_assess_outcome_free(lm_assess_outcome *o) {
    if (!o) return;
    lm_free(o->why);
    o->why = NULL;
}
