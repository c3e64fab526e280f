/* equivalent(a, b): the answer checker as a builtin (placeholder until answer.c lands). */
#include "lang/lang_int.h"

const lm_builtin lm_builtins_check[] = {
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
