/* The answer checker (check.h). Placeholder: owned by the checker work. */
#include "lemma/check.h"

#include <string.h>

void lm_check_answer(const lm_answer_spec *spec, const char *answer, lm_verdict *out) {
    (void)spec;
    (void)answer;
    out->kind = LM_VERDICT_UNPARSED;
    out->feedback = NULL;
    out->misconception = NULL;
}

void lm_verdict_free(lm_verdict *v) { (void)v; }
