/* Shared between the quick reference's content (ref_formulas.c) and its
 * engine (ref.c). */
#ifndef LEMMA_LEARN_REF_INT_H
#define LEMMA_LEARN_REF_INT_H

#include "lemma/ref.h"

/* Each ends with an entry whose id is NULL. */
LM_INTERNAL extern const lm_ref_topic lm_ref_topic_table[];
LM_INTERNAL extern const lm_ref_formula lm_ref_formula_table[];

#endif
