/* Exercise generators, one table per module (src/learn/gen_MODULE.c), each
 * ending with an entry whose id is NULL. skills.c strings them together in
 * curriculum order. Shared helpers for generators are declared in gen_util.h. */
#ifndef LEMMA_LEARN_GEN_H
#define LEMMA_LEARN_GEN_H

#include "lemma/learn.h"

extern const lm_skill_def lm_skills_linalg_basics[];
extern const lm_skill_def lm_skills_prob_basics[];
extern const lm_skill_def lm_skills_calc_basics[];
extern const lm_skill_def lm_skills_linalg[];
extern const lm_skill_def lm_skills_stats[];
extern const lm_skill_def lm_skills_multicalc[];
extern const lm_skill_def lm_skills_optim[];
extern const lm_skill_def lm_skills_advstats[];
extern const lm_skill_def lm_skills_info[];

#endif
