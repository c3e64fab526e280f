/* The quick reference (src/learn/ref.c): the seed guide's formulas by topic,
 * each with a live check that the engine runs on random numbers. `lemma ref`
 * prints them for the terminal; the web UI can list the same table.
 *
 * A check is a lemma program (run through lm_eval in a fresh session, so it
 * exercises the real engine). It leaves behind the variables
 *   what        a string: what was compared, in words, with the numbers drawn
 *   a, a_is     the first number and how it was computed ("by the formula")
 *   b, b_is     the second number and how it was computed ("by simulation")
 *   tol         how far apart they may be
 *   tol_why     optional string: where that allowance comes from
 * and passes when |a - b| <= tol. */
#ifndef LEMMA_REF_H
#define LEMMA_REF_H

#include "lemma/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lm_ref_topic {
    const char *id;    /* "linalg" */
    const char *title; /* "Linear algebra" */
} lm_ref_topic;

typedef struct lm_ref_formula {
    const char *id;      /* "inverse" */
    const char *topic;   /* a topic id */
    const char *title;   /* "Inverse" */
    const char *tex;     /* the formula, in the lessons' LaTeX subset */
    const char *program; /* the check, in lemma */
} lm_ref_formula;

/* Topics and formulas in the order they are shown. */
const lm_ref_topic *lm_ref_topics(size_t *n);
const lm_ref_formula *lm_ref_formulas(size_t *n);
/* The topic whose id is `s` or starts with `s`; NULL when none or when the
 * prefix fits more than one. */
const lm_ref_topic *lm_ref_topic_match(const char *s);

/* The outcome of one check. Strings are owned (lm_ref_result_free). */
typedef struct lm_ref_result {
    bool ran;       /* the program ran and left two numbers behind */
    bool ok;        /* ran and |a - b| <= tol */
    double a, b, tol;
    char *what, *a_is, *b_is, *tol_why;
    char *error;    /* when it did not run: why, in words */
} lm_ref_result;

/* The seed each formula's check starts from for a run seeded with `seed`:
 * fixed per (seed, formula), so one topic alone shows the same numbers as
 * the full listing. */
uint64_t lm_ref_formula_seed(uint64_t seed, const lm_ref_formula *f);
/* Runs f's check from lm_ref_formula_seed(seed, f). Never fails: a program
 * that does not run gives ran = false and the reason in error. */
void lm_ref_check(const lm_ref_formula *f, uint64_t seed, lm_ref_result *out);
void lm_ref_result_free(lm_ref_result *r);

/* One formula as terminal text: its title, the formula in Unicode, the check
 * with ✓ or ✗, wrapped to `width` columns (0 = 80). */
void lm_ref_render_text(const lm_ref_formula *f, const lm_ref_result *r, int width, bool color, lm_buf *out);

#endif
