/* Exact small-matrix builtins (rref) and the steps(...) explainers of linear
 * algebra: det, inv, rref, A \\ b (mldivide), A * B (mtimes), eig. The exact
 * engine is src/tensor/exact.c. */
#include "lang/lang_int.h"
#include "lemma/exact.h"

const lm_builtin lm_builtins_exact[] = {
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};

const lm_explainer lm_explain_linalg[] = {
    {NULL, NULL, 0, 0},
};
