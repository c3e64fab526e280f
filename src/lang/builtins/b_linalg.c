/* Linear-algebra builtins that the language needs from the start: inverse,
 * determinant, transpose and the matrix products' companions. The linear algebra
 * engine (src/tensor/linalg.c) does the work. */
#include "lang/lang_int.h"
#include "lemma/linalg.h"

static lm_value b_inv(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = lm_as_tensor(c->args[0], "inv's argument", &err);
    if (!a) return lm_error_from(&err);
    lm_tensor *r = lm_linalg_inv(c->ctx, a, &err);
    lm_tensor_release(a);
    return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
}

static lm_value b_det(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = lm_as_tensor(c->args[0], "det's argument", &err);
    if (!a) return lm_error_from(&err);
    double d = 0;
    lm_status st = lm_linalg_det(a, &d, &err);
    lm_tensor_release(a);
    return st == LM_OK ? lm_num(d) : lm_error_from(&err);
}

static lm_value b_transpose(lm_call *c) { return lm_op_unary(c->s, T_DOTQUOTE, c->args[0]); }

const lm_builtin lm_builtins_linalg[] = {
    {"det", b_det, 1, 1, 1, "det(A)", "the determinant of a square matrix (how much A scales areas)", "det([2 1; 1 3])"},
    {"inv", b_inv, 1, 1, 1, "inv(A)", "the inverse matrix, with A * inv(A) = I", "inv([2 1; 1 3])"},
    {"transpose", b_transpose, 1, 1, 1, "transpose(A)", "rows become columns (the same as A.')", "transpose([1 2 3])"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};

