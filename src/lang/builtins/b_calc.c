/* Algebra and calculus builtins on expressions: simplify, expand, factor, subs,
 * limit, integral, solve, critical points. The symbolic engine (src/sym) and GSL
 * do the work. */
#include "lang/lang_int.h"

const lm_builtin lm_builtins_calc[] = {
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
