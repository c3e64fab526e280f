/* Operators on values: dispatch on the kinds of the operands to real, complex,
 * matrix or symbolic arithmetic. Shared by the evaluator and builtins, so `+`
 * means the same thing everywhere. */
#include "lang/lang_int.h"
#include "lemma/prob.h"
#include "lemma/exact.h"
#include "lemma/linalg.h"

#include <complex.h>
#include <math.h>
#include <string.h>

static lm_value type_error(int op, lm_value a, lm_value b) {
    lm_kind k = a.kind == LM_STRING || a.kind == LM_FUNC || a.kind >= LM_DIST || a.kind == LM_NIL ? (lm_kind)a.kind
                                                                                                  : (lm_kind)b.kind;
    if (k == LM_STRING)
        return lm_error_new(LM_ERR_TYPE, "%s cannot be used with a string: strings are text, not numbers",
                            lm_tok_name((tok_type)op));
    if (k == LM_NIL) return lm_error_new(LM_ERR_TYPE, "this gives no value, so %s has nothing to work on", lm_tok_name((tok_type)op));
    /* X + Y of two distributions is a sum of random variables, which depends
       on how they are related (X + X is not the sum of two independent
       copies): say what to write instead */
    if (k == LM_DIST)
        return lm_error_new(LM_ERR_TYPE,
                            "%s cannot be used with a distribution: lemma compares a distribution with numbers, as "
                            "in P(X > 1), but does no arithmetic on it. For independent normals X + Y is Normal(m1 "
                            "+ m2, sqrt(s1^2 + s2^2)), and a*X + b is Normal(a*m + b, abs(a)*s) for X = Normal(m, "
                            "s); or simulate, as in sample(X, n) + sample(Y, n)",
                            lm_tok_name((tok_type)op));
    return lm_error_new(LM_ERR_TYPE, "%s cannot be used with %s", lm_tok_name((tok_type)op), lm_kind_a(k));
}

lm_value lm_narrow(lm_value v) {
    if (v.kind != LM_TENSOR) return v;
    lm_tensor *t = lm_tensor_of(v);
    if (t->size != 1 || t->ndim > 2) return v;
    if (t->exact && t->exact[0].q != 1) return v; /* 3/5 stays exact; the printers show it as a number */
    lm_value r;
    if (t->imag) r = lm_complex_new(t->data[0], t->imag[0]);
    else if (t->logical) r = lm_bool(t->data[0] != 0);
    else r = lm_num(t->data[0]);
    lm_release(v);
    return r;
}

bool lm_as_double(lm_value v, double *out) {
    switch (v.kind) {
    case LM_NUM: *out = v.u.num; return true;
    case LM_BOOL: *out = v.u.b ? 1 : 0; return true;
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->size != 1 || t->imag) return false;
        *out = t->data[0];
        return true;
    }
    default: return false;
    }
}

/* A matrix of expressions whose entries are all numbers (hessian(x^2 + 3*y^2)
 * is one) takes part in arithmetic as the numeric matrix it spells; anything
 * else comes back as it is. +1. */
static lm_value numeric_sym_matrix(lm_value v) {
    if (v.kind != LM_EXPR) return lm_retain(v);
    const lm_expr *m = lm_expr_of(v);
    if (m->op != LM_X_MATRIX) { /* the other operand, a number the evaluator kept exact: 1 in H + 1 */
        double re, im;
        if (!lm_sym_is_number(m) || !lm_sym_to_complex(m, &re, &im)) return lm_retain(v);
        return im != 0 && !isnan(im) ? lm_complex_new(re, im) : lm_num(re);
    }
    bool cplx = false;
    for (int i = 0; i < m->nargs; i++) {
        if (!lm_sym_is_number(m->args[i])) return lm_retain(v);
        double re, im;
        lm_sym_to_complex(m->args[i], &re, &im);
        if (im != 0 && !isnan(im)) cplx = true;
    }
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {m->u.rat.p, m->u.rat.q}; /* a matrix node keeps its rows and columns there */
    lm_tensor *t = cplx ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
    if (!t) return lm_error_from(&err);
    for (int i = 0; i < m->nargs; i++) {
        double re, im;
        lm_sym_to_complex(m->args[i], &re, &im);
        t->data[i] = re;
        if (cplx) t->imag[i] = isnan(im) ? 0 : im;
    }
    return lm_narrow(lm_tensor_value(t));
}

static bool is_sym_matrix(lm_value v) { return v.kind == LM_EXPR && lm_expr_of(v)->op == LM_X_MATRIX; }

lm_tensor *lm_as_tensor(lm_value v, const char *what, lm_err *err) {
    static const int64_t one[2] = {1, 1};
    lm_tensor *t;
    switch (v.kind) {
    case LM_TENSOR:
        t = lm_tensor_of(v);
        lm_obj_retain(&t->hdr);
        return t;
    case LM_NUM:
    case LM_BOOL:
        t = lm_tensor_new(2, one, err);
        if (t) {
            t->data[0] = v.kind == LM_NUM ? v.u.num : (double)v.u.b;
            t->logical = v.kind == LM_BOOL;
        }
        return t;
    case LM_COMPLEX:
        t = lm_tensor_new_complex(2, one, err);
        if (t) {
            t->data[0] = lm_complex_re(v);
            t->imag[0] = lm_complex_im(v);
        }
        return t;
    case LM_EXPR: { /* hessian(x^2 + 3*y^2): a matrix of expressions that are all numbers */
        lm_value n = numeric_sym_matrix(v);
        t = n.kind != LM_EXPR && n.kind != LM_ERROR ? lm_as_tensor(n, what, err) : NULL;
        lm_release(n);
        if (t) return t;
    }
    /* fall through */
    default:
        lm_err_set(err, LM_ERR_TYPE, "%s must be a number or a matrix, not %s", what, lm_kind_a(v.kind));
        return NULL;
    }
}

lm_expr *lm_as_expr(lm_ctx *ctx, lm_value v, lm_err *err) {
    switch (v.kind) {
    case LM_EXPR: return lm_expr_retain(lm_expr_of(v));
    case LM_BOOL: return lm_sym_int(ctx, v.u.b ? 1 : 0);
    case LM_NUM: {
        double x = v.u.num;
        if (v.flags & LM_VF_PI) return lm_sym_const(ctx, LM_XC_PI);
        if (v.flags & LM_VF_E) return lm_sym_const(ctx, LM_XC_E);
        if (x == floor(x) && fabs(x) < 9007199254740992.0) return lm_sym_int(ctx, (int64_t)x);
        return lm_sym_float(ctx, x);
    }
    case LM_COMPLEX: {
        lm_value re = lm_num(lm_complex_re(v)), im = lm_num(lm_complex_im(v));
        lm_expr *r = lm_as_expr(ctx, re, err), *m = lm_as_expr(ctx, im, err);
        lm_expr *iu = lm_sym_const(ctx, LM_XC_I);
        lm_expr *mi = lm_sym_mul(ctx, m, iu, err);
        lm_expr *sum = mi ? lm_sym_add(ctx, r, mi, err) : NULL;
        lm_expr_release(r);
        lm_expr_release(m);
        lm_expr_release(iu);
        lm_expr_release(mi);
        return sum;
    }
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->size == 1) { /* any 1×1(×1...) tensor, exact or not, as the number it holds */
            int64_t off = lm_tensor_offset(t, 0);
            if (t->exact && t->exact[0].q != 1) return lm_sym_rat(ctx, t->exact[0].p, t->exact[0].q);
            lm_value n = t->imag && t->imag[off] != 0 ? lm_complex_new(t->data[off], t->imag[off]) : lm_num(t->data[off]);
            lm_expr *e = lm_as_expr(ctx, n, err);
            lm_release(n);
            return e;
        }
    }
        lm_err_set(err, LM_ERR_TYPE, "a matrix cannot be combined with a symbolic expression: give the unknowns values first");
        return NULL;
    default:
        lm_err_set(err, LM_ERR_TYPE, "%s has no symbolic form", lm_kind_a(v.kind));
        return NULL;
    }
}

bool lm_truthy(lm_value v, bool *out, lm_err *err) {
    switch (v.kind) {
    case LM_BOOL: *out = v.u.b; return true;
    case LM_NUM:
        if (isnan(v.u.num)) {
            lm_err_set(err, LM_ERR_DOMAIN, "the condition is NaN (not a number), which is neither true nor false");
            return false;
        }
        *out = v.u.num != 0;
        return true;
    case LM_COMPLEX: *out = lm_complex_re(v) != 0 || lm_complex_im(v) != 0; return true;
    case LM_TENSOR: {
        /* Octave: true when non-empty and every element is non-zero */
        lm_tensor *t = lm_tensor_of(v);
        *out = t->size > 0;
        for (int64_t k = 0; k < t->size && *out; k++) {
            int64_t off = lm_tensor_offset(t, k);
            if (t->data[off] == 0 && (!t->imag || t->imag[off] == 0)) *out = false;
        }
        return true;
    }
    case LM_EXPR:
        lm_err_set(err, LM_ERR_TYPE, "the condition contains unknowns, so it is neither true nor false: give them values first");
        return false;
    default:
        lm_err_set(err, LM_ERR_TYPE, "%s cannot be used as a condition (true or false)", lm_kind_a(v.kind));
        return false;
    }
}

/* ---- symbolic ---- */

static lm_value sym_binary(lm_session *s, int op, lm_value a, lm_value b) {
    lm_err err = LM_ERR_INIT;
    lm_ctx *ctx = s->ctx;
    lm_expr *x = lm_as_expr(ctx, a, &err);
    lm_expr *y = x ? lm_as_expr(ctx, b, &err) : NULL;
    lm_expr *r = NULL;
    if (x && y) {
        switch (op) {
        case T_PLUS: r = lm_sym_add(ctx, x, y, &err); break;
        case T_MINUS: r = lm_sym_sub(ctx, x, y, &err); break;
        case T_STAR:
        case T_DOTSTAR: r = lm_sym_mul(ctx, x, y, &err); break;
        case T_SLASH:
        case T_DOTSLASH: r = lm_sym_div(ctx, x, y, &err); break;
        case T_BSLASH:
        case T_DOTBSLASH: r = lm_sym_div(ctx, y, x, &err); break;
        case T_CARET:
        case T_DOTCARET: r = lm_sym_pow(ctx, x, y, &err); break;
        case T_EQ: r = lm_sym_rel(ctx, LM_XR_EQ, x, y, &err); break;
        case T_NE: r = lm_sym_rel(ctx, LM_XR_NE, x, y, &err); break;
        case T_LT: r = lm_sym_rel(ctx, LM_XR_LT, x, y, &err); break;
        case T_LE: r = lm_sym_rel(ctx, LM_XR_LE, x, y, &err); break;
        case T_GT: r = lm_sym_rel(ctx, LM_XR_GT, x, y, &err); break;
        case T_GE: r = lm_sym_rel(ctx, LM_XR_GE, x, y, &err); break;
        default:
            lm_err_set(&err, LM_ERR_TYPE, "%s cannot be used with symbolic expressions: it needs true/false values",
                       lm_tok_name((tok_type)op));
            break;
        }
    }
    lm_expr_release(x);
    lm_expr_release(y);
    if (!r) return lm_error_from(&err);
    return lm_expr_value(r);
}

/* ---- scalars ---- */

static lm_value real_binary(int op, double x, double y) {
    switch (op) {
    case T_PLUS: return lm_num(x + y);
    case T_MINUS: return lm_num(x - y);
    case T_STAR:
    case T_DOTSTAR: return lm_num(x * y);
    case T_SLASH:
    case T_DOTSLASH: return lm_num(x / y);
    case T_BSLASH:
    case T_DOTBSLASH: return lm_num(y / x);
    case T_CARET:
    case T_DOTCARET:
        if (x < 0 && y != floor(y) && isfinite(y)) {
            /* (-8)^(1/3) is complex, as in Octave */
            double complex z = cpow((double complex)x, (double complex)y);
            return lm_complex_or_real(creal(z), cimag(z));
        }
        return lm_num(pow(x, y));
    case T_EQ: return lm_bool(x == y);
    case T_NE: return lm_bool(x != y);
    case T_LT: return lm_bool(x < y);
    case T_LE: return lm_bool(x <= y);
    case T_GT: return lm_bool(x > y);
    case T_GE: return lm_bool(x >= y);
    case T_AND:
    case T_OR:
        if (isnan(x) || isnan(y))
            return lm_error_new(LM_ERR_DOMAIN, "NaN (not a number) is neither true nor false");
        return lm_bool(op == T_AND ? (x != 0 && y != 0) : (x != 0 || y != 0));
    default: return lm_error_new(LM_ERR_INTERNAL, "unknown operator");
    }
}

static lm_value complex_binary(int op, double complex x, double complex y) {
    double complex r;
    switch (op) {
    case T_PLUS: r = x + y; break;
    case T_MINUS: r = x - y; break;
    case T_STAR:
    case T_DOTSTAR: r = x * y; break;
    case T_SLASH:
    case T_DOTSLASH: r = x / y; break;
    case T_BSLASH:
    case T_DOTBSLASH: r = y / x; break;
    case T_CARET:
    case T_DOTCARET:
        if (cimag(y) == 0 && creal(y) == floor(creal(y)) && fabs(creal(y)) <= 64) {
            /* exact small integer powers: (1i)^2 is -1, not -1 + 1.2e-16i */
            int n = (int)creal(y);
            double complex p = 1, b = n < 0 ? 1 / x : x;
            for (int k = n < 0 ? -n : n; k > 0; k >>= 1, b *= b)
                if (k & 1) p *= b;
            r = p;
        } else {
            r = cpow(x, y);
        }
        break;
    case T_EQ: return lm_bool(x == y);
    case T_NE: return lm_bool(x != y);
    /* Octave orders complex numbers by their real parts for < and > */
    case T_LT: return lm_bool(creal(x) < creal(y));
    case T_LE: return lm_bool(creal(x) <= creal(y));
    case T_GT: return lm_bool(creal(x) > creal(y));
    case T_GE: return lm_bool(creal(x) >= creal(y));
    case T_AND: return lm_bool(x != 0 && y != 0);
    case T_OR: return lm_bool(x != 0 || y != 0);
    default: return lm_error_new(LM_ERR_INTERNAL, "unknown operator");
    }
    return lm_complex_or_real(creal(r), cimag(r));
}

static double complex as_complex(lm_value v) {
    if (v.kind == LM_COMPLEX) return lm_complex_re(v) + lm_complex_im(v) * I;
    return v.kind == LM_BOOL ? (double)v.u.b : v.u.num;
}

/* ---- matrices ---- */

static bool elementwise_op(int op, lm_binop *out) {
    switch (op) {
    case T_PLUS: *out = LM_OP_ADD; return true;
    case T_MINUS: *out = LM_OP_SUB; return true;
    case T_DOTSTAR: *out = LM_OP_MUL; return true;
    case T_DOTSLASH: *out = LM_OP_DIV; return true;
    case T_DOTBSLASH: *out = LM_OP_LDIV; return true;
    case T_DOTCARET: *out = LM_OP_POW; return true;
    case T_EQ: *out = LM_OP_EQ; return true;
    case T_NE: *out = LM_OP_NE; return true;
    case T_LT: *out = LM_OP_LT; return true;
    case T_LE: *out = LM_OP_LE; return true;
    case T_GT: *out = LM_OP_GT; return true;
    case T_GE: *out = LM_OP_GE; return true;
    case T_AND: *out = LM_OP_AND; return true;
    case T_OR: *out = LM_OP_OR; return true;
    default: return false;
    }
}

static const char *op_text(int op) {
    switch (op) {
    case T_PLUS: return "+";
    case T_MINUS: return "-";
    case T_STAR: return "*";
    case T_SLASH: return "/";
    case T_BSLASH: return "\\";
    case T_CARET: return "^";
    case T_DOTSTAR: return ".*";
    case T_DOTSLASH: return "./";
    case T_DOTBSLASH: return ".\\";
    case T_DOTCARET: return ".^";
    case T_EQ: return "==";
    case T_NE: return "~=";
    case T_LT: return "<";
    case T_LE: return "<=";
    case T_GT: return ">";
    case T_GE: return ">=";
    case T_AND: return "&";
    case T_OR: return "|";
    default: return "?";
    }
}

static lm_value matrix_power(lm_tensor *a, double p) {
    lm_err err = LM_ERR_INIT;
    char sh[64];
    lm_tensor_shape_str(a, sh);
    if (a->ndim != 2 || a->shape[0] != a->shape[1])
        return lm_error_new(LM_ERR_SHAPE, "A^%g needs a square matrix, but A is %s; for elementwise powers use .^", p, sh);
    if (p != floor(p) || fabs(p) > 1e9)
        return lm_error_new(LM_ERR_DOMAIN, "A^%g: matrix powers are defined here for whole-number exponents; "
                                           "for elementwise powers use .^", p);
    lm_tensor *base = NULL;
    if (p < 0) {
        base = lm_linalg_inv(NULL, a, &err);
        if (!base) return lm_error_from(&err);
        p = -p;
    } else {
        lm_obj_retain(&a->hdr);
        base = a;
    }
    lm_tensor *result = lm_tensor_eye(a->shape[0], &err);
    uint64_t n = (uint64_t)p;
    while (result && n) {
        if (n & 1) {
            lm_tensor *r = lm_tensor_matmul(result, base, &err);
            lm_tensor_release(result);
            result = r;
        }
        n >>= 1;
        if (n && result) {
            lm_tensor *b2 = lm_tensor_matmul(base, base, &err);
            lm_tensor_release(base);
            base = b2;
            if (!base) {
                lm_tensor_release(result);
                result = NULL;
            }
        }
    }
    lm_tensor_release(base);
    if (!result) return lm_error_from(&err);
    return lm_narrow(lm_tensor_value(result));
}

/* True when the floating-point product of two whole-number matrices is exact
 * anyway: every partial sum stays below 2^53 when k·max|x|·max|y| does. BLAS is
 * then as exact as the rationals, and faster. */
static bool float_product_exact(const lm_tensor *x, const lm_tensor *y) {
    double mx = 0, my = 0;
    for (int64_t i = 0; i < x->shape[0]; i++)
        for (int64_t j = 0; j < x->shape[1]; j++) mx = fmax(mx, fabs(lm_tensor_get2(x, i, j)));
    for (int64_t i = 0; i < y->shape[0]; i++)
        for (int64_t j = 0; j < y->shape[1]; j++) my = fmax(my, fabs(lm_tensor_get2(y, i, j)));
    return (double)x->shape[1] * mx * my < 9007199254740992.0;
}

/* The exact small-matrix path (exact.h) for * / \ ^ + -: integer and fraction
 * matrices up to 6×6 stay exact, so inv(A)*A is exactly eye and
 * [2 1; 1 3] \ [3; 5] is [4/5; 7/5]. With a scalar operand (other than the
 * exponent of A^p), or for + and -, the operator is plain arithmetic, which
 * stays IEEE double (DESIGN.md: 1/3 is 0.333...) unless an operand is already
 * exact. Returns false to leave the work to floating point: not eligible,
 * shapes for the float path to explain, x/0, or int64 overflow (never a wrong
 * fraction). */
static bool exact_binary(int op, const lm_tensor *x, const lm_tensor *y, lm_value *res) {
    bool xs = x->size == 1, ys = y->size == 1;
    bool plain = op == T_PLUS || op == T_MINUS || xs || (ys && op != T_CARET); /* A^2 is a matrix operation */
    if (plain && !x->exact && !y->exact) return false;
    if (!lm_exact_eligible(x) || !lm_exact_eligible(y)) return false;
    lm_err err = LM_ERR_INIT;
    bool ovf = false;
    lm_tensor *r = NULL;
    switch (op) {
    case T_PLUS:
    case T_MINUS: r = lm_exact_add(x, y, op == T_MINUS, &ovf, &err); break;
    case T_STAR:
        if (xs && !ys) r = lm_exact_scale(y, x, false, NULL, &ovf, &err);
        else if (ys) r = lm_exact_scale(x, y, false, NULL, &ovf, &err);
        else if (x->shape[1] == y->shape[0] && (x->exact || y->exact || !float_product_exact(x, y)))
            r = lm_exact_matmul(x, y, NULL, &ovf, &err);
        break;
    case T_SLASH:
        if (ys) r = lm_exact_scale(x, y, true, NULL, &ovf, &err);
        else if (x->shape[1] == y->shape[1]) r = lm_exact_mrdivide(x, y, &ovf, &err);
        break;
    case T_BSLASH:
        if (xs) r = lm_exact_scale(y, x, true, NULL, &ovf, &err);
        else if (x->shape[0] == y->shape[0]) r = lm_exact_solve(x, y, NULL, &ovf, &err);
        break;
    case T_CARET: {
        double p = y->data[0];
        if (!ys || x->shape[0] != x->shape[1] || (y->exact && y->exact[0].q != 1) || p != floor(p) ||
            fabs(p) > 1e9)
            break;
        if (p < 0 && xs && x->data[0] == 0) break; /* 0^-1 is Inf, as floating point says */
        r = lm_exact_power(x, (int64_t)p, &ovf, &err);
        break;
    }
    default: break;
    }
    if (r) {
        lm_exact_plain_if_integral(r); /* whole-number answers print as they always have */
        /* a 1×1 that is still exact (a fraction, or a whole number past 2^53) stays a tensor */
        *res = r->exact ? lm_tensor_value(r) : lm_narrow(lm_tensor_value(r));
        return true;
    }
    if (err.kind != LM_OK) {
        *res = lm_error_from(&err);
        return true;
    }
    return false;
}

static lm_value tensor_binary(lm_session *s, int op, lm_value a, lm_value b) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *x = lm_as_tensor(a, "the left operand", &err);
    lm_tensor *y = x ? lm_as_tensor(b, "the right operand", &err) : NULL;
    lm_tensor *r = NULL;
    lm_value res = lm_nil();
    if (!y) goto out;
    /* a product or solve of large matrices is long work: check the time limit
       first, as before a builtin call */
    if (x->size + y->size >= 4096 && lm_ctx_poll_now(s->ctx, &err) != LM_OK) {
        res = lm_error_from(&err);
        goto out;
    }
    if (exact_binary(op, x, y, &res)) goto out;
    bool xs = x->size == 1 && x->ndim <= 2, ys = y->size == 1 && y->ndim <= 2;
    lm_binop bop;
    switch (op) {
    case T_STAR:
        if (xs || ys) r = lm_tensor_binop(LM_OP_MUL, x, y, "*", &err);
        else r = lm_tensor_matmul(x, y, &err);
        break;
    case T_SLASH:
        if (ys) r = lm_tensor_binop(LM_OP_DIV, x, y, "/", &err);
        else r = lm_linalg_mrdivide(s->ctx, x, y, &err);
        break;
    case T_BSLASH:
        if (xs) r = lm_tensor_binop(LM_OP_LDIV, x, y, "\\", &err);
        else r = lm_linalg_solve(s->ctx, x, y, &err);
        break;
    case T_CARET: {
        double p;
        if (ys && !y->imag) {
            p = y->data[0];
            if (xs) {
                r = lm_tensor_binop(LM_OP_POW, x, y, "^", &err);
                break;
            }
            res = matrix_power(x, p);
            goto out;
        }
        res = lm_error_new(LM_ERR_DOMAIN, "^ with a matrix exponent is not defined here; for elementwise powers use .^");
        goto out;
    }
    default:
        /* DESIGN.md: a row against a column is an error, not a silent outer product */
        if (x->ndim == 2 && y->ndim == 2 && !xs && !ys &&
            ((x->shape[0] == 1 && y->shape[1] == 1 && x->shape[1] > 1 && y->shape[0] > 1) ||
             (x->shape[1] == 1 && y->shape[0] == 1 && x->shape[0] > 1 && y->shape[1] > 1))) {
            char sx[64], sy[64];
            lm_tensor_shape_str(x, sx);
            lm_tensor_shape_str(y, sy);
            res = lm_error_new(LM_ERR_SHAPE,
                               "cannot combine a %s %s with a %s %s using %s: one is a row and the other a column "
                               "(transpose one with ', or use outer(u, v) for the table of all pairs)",
                               sx, x->shape[0] == 1 ? "row" : "column", sy, y->shape[0] == 1 ? "row" : "column",
                               op_text(op));
            goto out;
        }
        if (!elementwise_op(op, &bop)) {
            res = lm_error_new(LM_ERR_INTERNAL, "unknown operator");
            goto out;
        }
        r = lm_tensor_binop(bop, x, y, op_text(op), &err);
        break;
    }
    res = r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
out:
    if (!x || !y) res = lm_error_from(&err);
    lm_tensor_release(x);
    lm_tensor_release(y);
    return res;
}


lm_value lm_op_binary(lm_session *s, int op, lm_value a, lm_value b) {
    if (is_sym_matrix(a) || is_sym_matrix(b)) {
        lm_value na = numeric_sym_matrix(a);
        if (na.kind == LM_ERROR) return na;
        lm_value nb = numeric_sym_matrix(b);
        if (nb.kind == LM_ERROR) {
            lm_release(na);
            return nb;
        }
        /* a matrix that still holds unknowns keeps the symbolic path, with the operands as they came */
        lm_value r = is_sym_matrix(na) || is_sym_matrix(nb) ? sym_binary(s, op, a, b) : lm_op_binary(s, op, na, nb);
        lm_release(na);
        lm_release(nb);
        return r;
    }
    /* strings: only equality */
    if (a.kind == LM_STRING || b.kind == LM_STRING) {
        if ((op == T_EQ || op == T_NE) && a.kind == LM_STRING && b.kind == LM_STRING) {
            bool eq = lm_string_len(a) == lm_string_len(b) && memcmp(lm_string_data(a), lm_string_data(b), lm_string_len(a)) == 0;
            return lm_bool(op == T_EQ ? eq : !eq);
        }
        return type_error(op, a, b);
    }
    /* a comparison with a random variable builds an event for P(...) (prob.h) */
    if ((a.kind == LM_DIST || b.kind == LM_DIST) && op >= T_EQ && op <= T_GE) {
        static const int rel[] = {[T_EQ - T_EQ] = 0, [T_NE - T_EQ] = 1, [T_LT - T_EQ] = 2,
                                  [T_LE - T_EQ] = 3, [T_GT - T_EQ] = 4, [T_GE - T_EQ] = 5};
        return lm_prob_compare(s->ctx, rel[op - T_EQ], a, b);
    }
    if (op == T_AND && (lm_is_event(a) || lm_is_event(b))) return lm_prob_event_and(s->ctx, a, b);
    if (a.kind == LM_NIL || b.kind == LM_NIL || a.kind == LM_FUNC || b.kind == LM_FUNC || a.kind >= LM_DIST ||
        b.kind >= LM_DIST)
        return type_error(op, a, b);
    if (a.kind == LM_EXPR || b.kind == LM_EXPR) return sym_binary(s, op, a, b);
    bool as = a.kind == LM_NUM || a.kind == LM_BOOL, bs = b.kind == LM_NUM || b.kind == LM_BOOL;
    if (as && bs) {
        double x = a.kind == LM_NUM ? a.u.num : a.u.b, y = b.kind == LM_NUM ? b.u.num : b.u.b;
        return real_binary(op, x, y);
    }
    bool ac = as || a.kind == LM_COMPLEX, bc = bs || b.kind == LM_COMPLEX;
    if (ac && bc) return complex_binary(op, as_complex(a), as_complex(b));
    return tensor_binary(s, op, a, b);
}

lm_value lm_op_unary(lm_session *s, int op, lm_value a) {
    lm_err err = LM_ERR_INIT;
    switch (a.kind) {
    case LM_NUM:
    case LM_BOOL: {
        double x = a.kind == LM_NUM ? a.u.num : a.u.b;
        if (op == T_MINUS) return lm_num(-x);
        if (op == T_PLUS) return a.kind == LM_BOOL ? lm_num(x) : lm_retain(a);
        if (op == T_NOT) {
            if (isnan(x)) return lm_error_new(LM_ERR_DOMAIN, "NaN (not a number) is neither true nor false");
            return lm_bool(x == 0);
        }
        return lm_retain(a); /* transpose of a scalar */
    }
    case LM_COMPLEX: {
        double re = lm_complex_re(a), im = lm_complex_im(a);
        if (op == T_MINUS) return lm_complex_new(-re, -im);
        if (op == T_NOT) return lm_bool(re == 0 && im == 0);
        if (op == T_QUOTE) return lm_complex_new(re, -im);
        return lm_retain(a);
    }
    case LM_EXPR: {
        if (is_sym_matrix(a)) {
            lm_value n = numeric_sym_matrix(a);
            if (!is_sym_matrix(n)) {
                lm_value r = n.kind == LM_ERROR ? lm_retain(n) : lm_op_unary(s, op, n);
                lm_release(n);
                return r;
            }
            lm_release(n);
        }
        if (op == T_PLUS) return lm_retain(a);
        if (op == T_QUOTE || op == T_DOTQUOTE) {
            /* symbols count as real, so A' and A.' differ only where an entry holds i */
            lm_expr *r = lm_sym_transpose(s->ctx, lm_expr_of(a), op == T_QUOTE, &err);
            return r ? lm_expr_value(r) : lm_error_from(&err);
        }
        if (op == T_MINUS) {
            lm_expr *r = lm_sym_neg(s->ctx, lm_expr_of(a), &err);
            return r ? lm_expr_value(r) : lm_error_from(&err);
        }
        return lm_error_new(LM_ERR_TYPE, "'!' needs a true/false value, not an expression with unknowns");
    }
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(a), *r = NULL;
        if (op == T_MINUS) r = lm_tensor_neg(t, &err);
        else if (op == T_PLUS) return lm_retain(a);
        else if (op == T_NOT) {
            r = lm_tensor_binop_scalar(LM_OP_EQ, t, 0.0, false, &err);
        } else if (op == T_QUOTE || op == T_DOTQUOTE) {
            if (t->ndim > 2) {
                char sh[64];
                lm_tensor_shape_str(t, sh);
                return lm_error_new(LM_ERR_SHAPE, "transpose needs a matrix, but this is a %s tensor; use permute", sh);
            }
            lm_tensor *v = lm_tensor_transpose(t);
            if (op == T_QUOTE && t->imag) {
                r = lm_tensor_copy(v, &err);
                lm_tensor_release(v);
                if (r)
                    for (int64_t k = 0; k < r->size; k++) r->imag[k] = -r->imag[k];
            } else {
                r = v;
            }
        }
        return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
    }
    case LM_STRING:
        if (op == T_QUOTE || op == T_DOTQUOTE) return lm_retain(a);
        return lm_error_new(LM_ERR_TYPE, "%s cannot be used with a string", lm_tok_name((tok_type)op));
    default:
        return lm_error_new(LM_ERR_TYPE, "%s cannot be used with %s", lm_tok_name((tok_type)op), lm_kind_a(a.kind));
    }
}

/* ---- elementwise math ---- */

lm_value lm_apply_math(lm_session *s, const lm_mathfn *m, lm_value x) {
    lm_err err = LM_ERR_INIT;
    switch (x.kind) {
    case LM_NUM:
    case LM_BOOL: {
        double v = x.kind == LM_NUM ? x.u.num : x.u.b;
        if (x.kind == LM_NUM && (x.flags & (LM_VF_PI | LM_VF_E))) {
            /* sin(pi) is 0 and log(e) is 1 exactly: the constant is still exact here */
            lm_expr *a = lm_as_expr(s->ctx, x, &err);
            lm_expr *r = a ? lm_sym_call(s->ctx, m->name, 1, &a, &err) : NULL;
            lm_expr_release(a);
            bool exact = r && lm_sym_is_number(r) && (r->op == LM_X_RAT);
            double d = exact ? lm_sym_to_double(r) : 0;
            lm_expr_release(r);
            lm_err_clear(&err);
            if (exact) return lm_num(d);
        }
        if ((m->complex_below_0 && v < 0) || (m->complex_below_minus1 && (v < -1 || v > 1))) {
            double complex z = v, r;
            if (!strcmp(m->name, "sqrt")) r = csqrt(z);
            else if (!strcmp(m->name, "log")) r = clog(z);
            else if (!strcmp(m->name, "log2")) r = clog(z) / log(2.0);
            else if (!strcmp(m->name, "log10")) r = clog(z) / log(10.0);
            else if (!strcmp(m->name, "asin")) r = casin(z);
            else if (!strcmp(m->name, "acos")) r = cacos(z);
            else r = NAN;
            return lm_complex_or_real(creal(r), cimag(r));
        }
        return lm_num(m->fn(v));
    }
    case LM_COMPLEX: {
        double complex z = lm_complex_re(x) + lm_complex_im(x) * I, r;
        const char *n = m->name;
        if (!strcmp(n, "sqrt")) r = csqrt(z);
        else if (!strcmp(n, "exp")) r = cexp(z);
        else if (!strcmp(n, "log")) r = clog(z);
        else if (!strcmp(n, "sin")) r = csin(z);
        else if (!strcmp(n, "cos")) r = ccos(z);
        else if (!strcmp(n, "tan")) r = ctan(z);
        else if (!strcmp(n, "sinh")) r = csinh(z);
        else if (!strcmp(n, "cosh")) r = ccosh(z);
        else if (!strcmp(n, "tanh")) r = ctanh(z);
        else if (!strcmp(n, "asin")) r = casin(z);
        else if (!strcmp(n, "acos")) r = cacos(z);
        else if (!strcmp(n, "atan")) r = catan(z);
        else if (!strcmp(n, "abs")) return lm_num(cabs(z));
        else return lm_error_new(LM_ERR_TYPE, "%s is not defined for complex numbers", n);
        return lm_complex_or_real(creal(r), cimag(r));
    }
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(x);
        if (t->imag) {
            if (!strcmp(m->name, "abs")) {
                lm_tensor *r = lm_tensor_new(t->ndim, t->shape, &err);
                if (!r) return lm_error_from(&err);
                for (int64_t k = 0; k < t->size; k++) {
                    int64_t off = lm_tensor_offset(t, k);
                    r->data[k] = hypot(t->data[off], t->imag[off]);
                }
                return lm_narrow(lm_tensor_value(r));
            }
            return lm_error_new(LM_ERR_TYPE, "%s of a complex matrix is not supported; apply it to each element", m->name);
        }
        if (m->complex_below_0 || m->complex_below_minus1) {
            for (int64_t k = 0; k < t->size; k++) {
                double v = t->data[lm_tensor_offset(t, k)];
                if ((m->complex_below_0 && v < 0) || (m->complex_below_minus1 && (v < -1 || v > 1))) {
                    /* per element, like Octave: the whole result becomes complex */
                    lm_tensor *r = lm_tensor_new_complex(t->ndim, t->shape, &err);
                    if (!r) return lm_error_from(&err);
                    for (int64_t q = 0; q < t->size; q++) {
                        lm_value e = lm_apply_math(s, m, lm_num(t->data[lm_tensor_offset(t, q)]));
                        if (e.kind == LM_COMPLEX) {
                            r->data[q] = lm_complex_re(e);
                            r->imag[q] = lm_complex_im(e);
                        } else {
                            r->data[q] = e.u.num;
                        }
                        lm_release(e);
                    }
                    return lm_narrow(lm_tensor_value(r));
                }
            }
        }
        lm_tensor *r = lm_tensor_map(t, m->fn, &err);
        return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
    }
    case LM_EXPR: {
        lm_expr *a = lm_expr_of(x);
        lm_expr *r = lm_sym_call(s->ctx, m->name, 1, &a, &err);
        return r ? lm_expr_value(r) : lm_error_from(&err);
    }
    default:
        return lm_error_new(LM_ERR_TYPE, "%s needs a number, a matrix or an expression, not %s", m->name,
                            lm_kind_a(x.kind));
    }
}
