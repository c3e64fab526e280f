/* Exact small-matrix builtins (rref) and the steps(...) explainers of linear
 * algebra: det, dot, inv, lu, rref, A \ b (mldivide), A * B (mtimes), eig. The exact
 * engine is src/tensor/exact*.c; here are the language's rules around it: what
 * can be explained, how results look, and what happens when fractions overflow. */
#include "lang/lang_int.h"
#include "lemma/exact.h"

#include <math.h>
#include <stdio.h>

/* A result of the exact path as the language shows it: whole-number matrices
 * plain, 1×1 narrowed to a number unless it is a fraction. Takes t. */
static lm_value exact_result(lm_tensor *t) {
    lm_exact_plain_if_integral(t);
    if (t->exact && t->size == 1) return lm_tensor_value(t); /* a fraction, or a whole number past 2^53 */
    return lm_narrow(lm_tensor_value(t));
}

/* ---- rref ---- */

static lm_value b_rref(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = lm_as_tensor(c->args[0], "rref's argument", &err);
    if (!a) return lm_error_from(&err);
    lm_tensor *r = NULL;
    int64_t np = 0, *piv = NULL;
    if (lm_exact_eligible_wide(a)) {
        int p[LM_EXACT_MAX_N], n = 0;
        bool ovf = false;
        r = lm_exact_rref_pivots(a, NULL, p, &n, &ovf, &err);
        if (r) {
            piv = lm_alloc(LM_EXACT_MAX_N * sizeof *piv);
            for (int k = 0; k < n; k++) piv[k] = p[k];
            np = n;
        }
    }
    if (!r && err.kind == LM_OK) { /* not eligible, or the fractions overflowed */
        int64_t room = a->ndim == 2 && a->shape[0] < a->shape[1] ? a->shape[0] : (a->ndim == 2 ? a->shape[1] : 1);
        piv = lm_alloc_big((size_t)(room > 0 ? room : 1) * sizeof *piv);
        if (!piv) lm_err_set(&err, LM_ERR_LIMIT, "not enough memory for rref of this matrix");
        else r = lm_exact_rref_float(a, piv, &np, &err);
    }
    lm_tensor_release(a);
    if (!r) {
        lm_free(piv);
        return lm_error_from(&err);
    }
    if (c->nout > 1) {
        /* [R, k] = rref(A): k lists the pivot columns, 1-based, as a row (Octave) */
        lm_tensor *k = lm_tensor_matrix(1, np, &err);
        if (!k) {
            lm_free(piv);
            lm_tensor_release(r);
            return lm_error_from(&err);
        }
        for (int64_t j = 0; j < np; j++) k->data[j] = (double)(piv[j] + 1);
        c->extra[1] = lm_narrow(lm_tensor_value(k));
    }
    lm_free(piv);
    return exact_result(r);
}

const lm_builtin lm_builtins_exact[] = {
    {"rref", b_rref, 1, 1, 2, "rref(A), [R, k] = rref(A)",
     "the reduced row echelon form (exact fractions for small whole-number matrices); k lists the pivot columns",
     "rref([1 2 3; 4 5 6; 7 8 10])"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* ---- explainers ---- */

/* Why the steps cannot be shown for this matrix (and what to do instead). */
static lm_value not_explainable(const char *call, const char *plain, const lm_tensor *a, int maxc) {
    char sa[64];
    lm_tensor_shape_str(a, sa);
    if (a->imag)
        return lm_error_new(LM_ERR_TYPE, "%s shows exact work for real matrices, and this one is complex; %s gives the answer",
                            call, plain);
    if (a->ndim != 2 || a->shape[0] > LM_EXACT_MAX_N || a->shape[1] > maxc || a->size == 0)
        return lm_error_new(LM_ERR_LIMIT,
                            "%s shows exact work for matrices up to %d\xc3\x97%d, and this one is %s; %s gives the answer",
                            call, LM_EXACT_MAX_N, maxc, sa, plain);
    for (int64_t i = 0; i < a->shape[0]; i++)
        for (int64_t j = 0; j < a->shape[1]; j++) {
            double v = lm_tensor_get2(a, i, j);
            if (v == floor(v) && fabs(v) < 9007199254740992.0) continue;
            return lm_error_new(LM_ERR_DOMAIN,
                                "%s shows exact work for matrices of whole numbers or fractions, and the entry at (%lld, "
                                "%lld) is %.17g; %s gives the floating-point answer",
                                call, (long long)i + 1, (long long)j + 1, v, plain);
        }
    return lm_error_new(LM_ERR_INTERNAL, "%s: this matrix should have been explainable", call);
}

/* The exact fractions overflowed int64: no exact steps, but still the answer,
 * in floating point, from the ordinary computation. */
static lm_value overflow_steps(lm_value plain) {
    if (lm_is_error(plain)) return plain;
    lm_steps *s = lm_steps_new();
    lm_steps_add(s, "floating point", lm_nil(), NULL, "%s",
                 "The exact fractions in this computation grow past what 64-bit integers can hold, so the exact steps "
                 "cannot be shown; here is the answer in floating point.");
    lm_steps_set_result(s, plain);
    lm_release(plain);
    return lm_obj_value(&s->hdr);
}

static lm_value finish(lm_steps *s, lm_tensor *r) {
    lm_value v = exact_result(r);
    lm_steps_set_result(s, v);
    lm_release(v);
    return lm_obj_value(&s->hdr);
}

/* The end of every explainer: the narrated steps with the exact result r;
 * or, when the fractions overflowed, the answer in floating point — from the
 * builtin `name`, or from the operator `op` (T_STAR, T_BSLASH) when name is
 * NULL; or the exact path's error. Takes s and r. */
static lm_value settle(lm_call *c, lm_steps *s, lm_tensor *r, bool ovf, lm_err *err, const char *name, int op) {
    if (r) return finish(s, r);
    lm_obj_release(&s->hdr);
    if (!ovf) return lm_error_from(err);
    if (!name) return overflow_steps(lm_op_binary(c->s, op, c->args[0], c->args[1]));
    const lm_builtin *b = lm_builtin_find(name);
    if (!b) return lm_error_new(LM_ERR_NAME, "%s is not available, so there is no floating-point answer either", name);
    return overflow_steps(b->fn(c));
}

typedef lm_tensor *(*exact1_fn)(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);

/* steps(f(A)) for det, inv, lu, rref, eig: the exact function narrates; on overflow
 * the ordinary builtin `name` gives the floating-point answer. rref takes the
 * wide augmented matrices too. */
static lm_value explain1(lm_call *c, const char *name, exact1_fn fn) {
    bool wide = fn == lm_exact_rref;
    char call[32], plain[32];
    snprintf(call, sizeof call, "steps(%s(A))", name);
    snprintf(plain, sizeof plain, "%s(A)", name);
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = lm_as_tensor(c->args[0], "the matrix", &err);
    if (!a) return lm_error_from(&err);
    if (!(wide ? lm_exact_eligible_wide(a) : lm_exact_eligible(a))) {
        lm_value e = not_explainable(call, plain, a, wide ? 2 * LM_EXACT_MAX_N : LM_EXACT_MAX_N);
        lm_tensor_release(a);
        return e;
    }
    lm_steps *s = lm_steps_new();
    bool ovf = false;
    lm_tensor *r = fn(a, s, &ovf, &err);
    lm_tensor_release(a);
    return settle(c, s, r, ovf, &err, name, 0);
}

static lm_value x_det(lm_call *c) { return explain1(c, "det", lm_exact_det); }
static lm_value x_inv(lm_call *c) { return explain1(c, "inv", lm_exact_inv); }
static lm_value x_rref(lm_call *c) { return explain1(c, "rref", lm_exact_rref); }
static lm_value x_eig(lm_call *c) { return explain1(c, "eig", lm_exact_eig_explain); }
static lm_value x_lu(lm_call *c) { return explain1(c, "lu", lm_exact_lu_packed); }

/* Both operands of A * B or A \ b as tensors that the exact path takes, or an error. */
static bool two_exact(lm_call *c, const char *call, const char *plain, lm_tensor **a, lm_tensor **b, lm_value *e) {
    lm_err err = LM_ERR_INIT;
    *a = lm_as_tensor(c->args[0], "the left operand", &err);
    *b = *a ? lm_as_tensor(c->args[1], "the right operand", &err) : NULL;
    if (!*b) {
        lm_tensor_release(*a);
        *e = lm_error_from(&err);
        return false;
    }
    const lm_tensor *bad = !lm_exact_eligible(*a) ? *a : !lm_exact_eligible(*b) ? *b : NULL;
    if (!bad) return true;
    *e = not_explainable(call, plain, bad, LM_EXACT_MAX_N);
    lm_tensor_release(*a);
    lm_tensor_release(*b);
    return false;
}

static lm_value x_mtimes(lm_call *c) {
    lm_tensor *a, *b;
    lm_value e;
    if (!two_exact(c, "steps(A * B)", "A * B", &a, &b, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_new();
    bool ovf = false, as = a->size == 1, bs = b->size == 1;
    lm_tensor *r;
    if (as && !bs) r = lm_exact_scale(b, a, false, s, &ovf, &err);
    else if (bs && !as) r = lm_exact_scale(a, b, false, s, &ovf, &err);
    else r = lm_exact_matmul(a, b, s, &ovf, &err);
    lm_tensor_release(a);
    lm_tensor_release(b);
    return settle(c, s, r, ovf, &err, NULL, T_STAR);
}

static lm_value x_dot(lm_call *c) {
    lm_tensor *a, *b;
    lm_value e;
    if (!two_exact(c, "steps(dot(u, v))", "dot(u, v)", &a, &b, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_new();
    bool ovf = false;
    lm_tensor *r = lm_exact_dot(a, b, s, &ovf, &err);
    lm_tensor_release(a);
    lm_tensor_release(b);
    return settle(c, s, r, ovf, &err, "dot", 0);
}

static lm_value x_mldivide(lm_call *c) {
    lm_tensor *a, *b;
    lm_value e;
    if (!two_exact(c, "steps(A \\ b)", "A \\ b", &a, &b, &e)) return e;
    if (a->shape[0] != a->shape[1] && a->shape[0] == b->shape[0]) {
        char sa[64];
        lm_tensor_shape_str(a, sa);
        lm_tensor_release(a);
        lm_tensor_release(b);
        return lm_error_new(LM_ERR_SHAPE,
                            "steps(A \\ b) explains square systems by elimination; this A is %s, so A \\ b is a "
                            "least-squares problem: A \\ b without steps solves it",
                            sa);
    }
    lm_err err = LM_ERR_INIT;
    lm_steps *s = lm_steps_new();
    bool ovf = false;
    lm_tensor *r = lm_exact_solve(a, b, s, &ovf, &err);
    lm_tensor_release(a);
    lm_tensor_release(b);
    return settle(c, s, r, ovf, &err, NULL, T_BSLASH);
}

const lm_explainer lm_explain_linalg[] = {
    {"det", x_det, 1, 1},
    {"dot", x_dot, 2, 2},
    {"eig", x_eig, 1, 1},
    {"inv", x_inv, 1, 1},
    {"lu", x_lu, 1, 1},
    {"mldivide", x_mldivide, 2, 2},
    {"mtimes", x_mtimes, 2, 2},
    {"rref", x_rref, 1, 1},
    {NULL, NULL, 0, 0},
};
