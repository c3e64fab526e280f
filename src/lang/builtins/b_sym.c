/* Symbolic-calculus builtins (diff, grad, simplify, ...) and their steps
 * explainers. The symbolic engine (src/sym) does the work. */
#include "lang/lang_int.h"

const lm_builtin lm_builtins_sym[] = {
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};

const lm_explainer lm_explain_sym[] = {
    {NULL, NULL, 0, 0},
};
