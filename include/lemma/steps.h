/* Worked solutions: a list of steps, each a named rule, a sentence for the
 * learner, the value after the step and its LaTeX form, followed by the result.
 * Engine modules build them (the derivative rule by rule, Gauss–Jordan row by
 * row); the language prints them as text or as DESIGN.md's JSON:
 *   {"type":"steps","steps":[{"rule":..,"text":..,"latex":..,"value":{..}}],"result":{..}} */
#ifndef LEMMA_STEPS_H
#define LEMMA_STEPS_H

#include "lemma/core.h"

typedef struct lm_step {
    char *rule;    /* short name: "power rule", "R2 <- R2 - 3 R1" */
    char *text;    /* a sentence in plain words */
    char *latex;   /* the state after the step, for KaTeX (may be NULL) */
    lm_value value; /* the state after the step (may be nil) */
} lm_step;

typedef struct lm_steps {
    lm_obj hdr;    /* kind LM_OBJECT, type lm_steps_type */
    lm_step *v;
    size_t n, cap;
    lm_value result;
} lm_steps;

extern const lm_objtype lm_steps_type;

lm_steps *lm_steps_new(void);
/* Appends a step. Retains `value`; copies the strings. */
void lm_steps_add(lm_steps *s, const char *rule, lm_value value, const char *latex, const char *fmt, ...)
    LM_PRINTF(5, 6);
/* Sets the final result (retained). */
void lm_steps_set_result(lm_steps *s, lm_value result);
static inline bool lm_is_steps(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_steps_type; }

#endif
