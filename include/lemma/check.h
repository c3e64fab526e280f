/* The answer checker: is what a learner typed an accepted form of the reference
 * answer? Lives in the language layer (src/lang/answer.c) because it parses with
 * lemma's own parser in a fresh session; the practice layer (learn.h), the web
 * server and the builtin `equivalent(a, b)` all call it.
 *
 * Answers are lemma syntax as a learner types it: `2x` and `3(x + 1)` are
 * products, `50%` is 0.5 where a probability is asked. */
#ifndef LEMMA_CHECK_H
#define LEMMA_CHECK_H

#include "lemma/core.h"

typedef enum lm_answer_type {
    LM_ANS_NUMBER,     /* a real number; 0.5, 1/2, 50% (probabilities) all accepted within tol */
    LM_ANS_FRACTION,   /* a number the learner should give exactly: 3/5 or 0.6, not 0.59 */
    LM_ANS_VECTOR,     /* entry by entry, with its shape (row or column accepted unless strict_shape) */
    LM_ANS_MATRIX,     /* entry by entry, with its shape */
    LM_ANS_EXPRESSION, /* symbolic: equal after simplification or at random points */
    LM_ANS_CHOICE,     /* one of `choices`, by its letter (a, b, ...) or its text */
    LM_ANS_INTERVAL,   /* [lo, hi] as a two-entry vector */
    LM_ANS_SET,        /* a set of numbers in any order: [1 2 3] or {1, 2, 3} */
} lm_answer_type;

/* A known wrong answer and what it means: the generator that made the problem
 * knows, for instance, the derivative with the chain-rule factor left out. */
typedef struct lm_misconception {
    const char *id;       /* "sign-error", "transposed-product", "chain-rule-factor", "variance-for-sd", "swapped-conditional", ... */
    char *answer;         /* the wrong answer in lemma syntax */
    char *feedback;       /* what the learner is told, in words */
} lm_misconception;

#define LM_MAX_CHOICES 8
#define LM_MAX_MISCONCEPTIONS 8

/* Everything the checker needs to judge an answer. Strings are owned by the
 * structure that embeds it (lm_problem frees them with lm_problem_free). */
typedef struct lm_answer_spec {
    lm_answer_type type;
    char *answer;            /* the reference answer, lemma syntax */
    char *vars;              /* EXPRESSION: the free variables, "x" or "x,y" (NULL: found in the reference) */
    char *domain;            /* EXPRESSION: where to sample, "positive" for log/sqrt answers, "unit" (0 < x < 1) for probabilities, NULL = all reals */
    double tol;              /* NUMBER/VECTOR/MATRIX/INTERVAL: relative tolerance (0 = 1e-6); absolute near 0 */
    bool probability;        /* NUMBER: accept 50% for 0.5 */
    bool strict_shape;       /* VECTOR: a row is not a column */
    char *choices[LM_MAX_CHOICES]; /* CHOICE: the options' texts; answer is the letter "a", "b", ... */
    int nchoices;
    lm_misconception mis[LM_MAX_MISCONCEPTIONS];
    int nmis;
} lm_answer_spec;

typedef enum lm_verdict_kind {
    LM_VERDICT_CORRECT,
    LM_VERDICT_WRONG,
    LM_VERDICT_UNPARSED, /* a syntax hint, not a wrong attempt: it is not recorded as one */
} lm_verdict_kind;

typedef struct lm_verdict {
    lm_verdict_kind kind;
    char *feedback;            /* always set: words for the learner (caller frees with lm_verdict_free) */
    const char *misconception; /* the id of a recognised mistake, or NULL */
} lm_verdict;

/* Judges `answer` against `spec`. Never fails: an answer that does not parse is
 * LM_VERDICT_UNPARSED with a hint naming where. */
void lm_check_answer(const lm_answer_spec *spec, const char *answer, lm_verdict *out);
void lm_verdict_free(lm_verdict *v);

/* ---- additions (answer.c) ---- */

/* Longer answers are refused unread (a syntax hint, not a wrong attempt). */
#define LM_ANSWER_MAX_BYTES 4096

/* "number", "fraction", "vector", "matrix", "expression", "choice", "interval",
 * "set": the names the JSON and the `type =` option of equivalent() use. */
const char *lm_answer_type_name(lm_answer_type t);
bool lm_answer_type_parse(const char *name, lm_answer_type *out);

/* Judges a value already computed (in ctx) against a reference value with the
 * same rules as lm_check_answer: what equivalent(a, b) does with non-strings.
 * spec supplies the type and options; its answer, choices and mis are unused. */
struct lm_ctx;
void lm_check_values(struct lm_ctx *ctx, const lm_answer_spec *spec, lm_value answer, lm_value reference,
                     lm_verdict *out);
/* The answer type a reference value calls for: a number, a vector (one row or
 * one column), a matrix, or an expression (symbols). False for other values. */
bool lm_answer_type_of(lm_value reference, lm_answer_type *out);
/* The same for a reference written as text, read as the checker reads it (in a
 * fresh session). False when it cannot be read or is none of those. */
bool lm_answer_type_infer(const char *reference, lm_answer_type *out);

#endif
