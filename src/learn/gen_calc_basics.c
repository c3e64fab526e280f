/* Exercise generators for one module (placeholder table until they land). */
#include "learn/gen.h"

const lm_skill_def lm_skills_calc_basics[] = {
    {NULL, NULL, NULL},
};
