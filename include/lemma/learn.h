/* The learning layer (src/learn): skills, exercise generators and problems.
 * Lessons (lesson.h) declare which skills they practise in their front matter;
 * each skill id is "module/skill" and has a generator here. The progress store
 * is store.h. */
#ifndef LEMMA_LEARN_H
#define LEMMA_LEARN_H

#include "lemma/check.h"
#include "lemma/core.h"

#include <stdint.h>

#define LM_MAX_HINTS 3

/* One step of a worked solution: a sentence for the learner and its LaTeX. */
typedef struct lm_solution_step {
    char *text;  /* plain words with inline $...$ math allowed */
    char *latex; /* the step's mathematics, display form; may be NULL */
} lm_solution_step;

/* A generated exercise. All strings are owned (lm_problem_free). */
typedef struct lm_problem {
    const char *skill;  /* static: the skill's id, "linalg-basics/dot-product" */
    uint64_t seed;
    int difficulty;     /* 1, 2 or 3 */
    char *prompt;       /* Markdown with $...$ LaTeX */
    lm_answer_spec spec;  /* answer type, reference answer (lemma syntax), misconceptions */
    char *hints[LM_MAX_HINTS];
    int nhints;
    lm_solution_step *steps;
    int nsteps;
} lm_problem;

void lm_problem_free(lm_problem *p);

/* A generator fills *p for (seed, difficulty) deterministically — the same
 * problem on every machine — and returns true, or false with *err set. */
typedef bool (*lm_generator_fn)(lm_problem *p, uint64_t seed, int difficulty, lm_err *err);

typedef struct lm_skill_def {
    const char *id;     /* "module/skill" */
    const char *title;  /* "Dot product of two vectors" */
    lm_generator_fn generate;
} lm_skill_def;

/* Every skill with a generator, in curriculum order. */
const lm_skill_def *lm_skill_defs(size_t *n);
const lm_skill_def *lm_skill_find(const char *id);
/* The skill id closest to a mistyped one ("chain-rul", "linalg-basics/dot-prod"), or NULL. */
const char *lm_skill_suggest(const char *id);
/* Sets err to a `name` error for an unknown skill id, naming the closest one. */
lm_status lm_skill_unknown(lm_err *err, const char *id);
/* Generates one problem: seeds p->skill/seed/difficulty, then calls the generator. */
bool lm_problem_generate(const char *skill, uint64_t seed, int difficulty, lm_problem *p, lm_err *err);

#endif
