/* Elementwise mathematical functions. Each works on a number, a complex number,
 * a matrix (element by element) or a symbolic expression (building sin(x)). */
#include "lang/lang_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static double sign_of(double x) { return x > 0 ? 1 : x < 0 ? -1 : x; }
static double fix_of(double x) { return trunc(x); }
/* round half away from zero, as Octave and school arithmetic do */
static double round_of(double x) { return round(x); }
static double sigmoid_of(double x) { return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)); }
static double softplus_of(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }
static double relu_of(double x) { return x > 0 ? x : 0; }

#define MATH(n, f, m1, z) {n, f, m1, z}
static const lm_mathfn mathfns[] = {
    MATH("sin", sin, false, false),     MATH("cos", cos, false, false),
    MATH("tan", tan, false, false),     MATH("asin", asin, true, false),
    MATH("acos", acos, true, false),    MATH("atan", atan, false, false),
    MATH("sinh", sinh, false, false),   MATH("cosh", cosh, false, false),
    MATH("tanh", tanh, false, false),   MATH("exp", exp, false, false),
    MATH("log", log, false, true),      MATH("log2", log2, false, true),
    MATH("log10", log10, false, true),  MATH("sqrt", sqrt, false, true),
    MATH("abs", fabs, false, false),    MATH("floor", floor, false, false),
    MATH("ceil", ceil, false, false),   MATH("round", round_of, false, false),
    MATH("fix", fix_of, false, false),  MATH("sign", sign_of, false, false),
    MATH("sigmoid", sigmoid_of, false, false), MATH("softplus", softplus_of, false, false),
    MATH("relu", relu_of, false, false), MATH("gamma", tgamma, false, false),
    MATH("log1p", log1p, false, false), MATH("expm1", expm1, false, false),
};

/* log2, log10, log1p and expm1 of an expression, written with log and exp, which
 * the symbolic engine differentiates, simplifies and prints: log2(x) is
 * log(x)/log(2), log1p(x) is log(1 + x). */
static lm_value sym_log_family(lm_call *c, const lm_mathfn *m, lm_expr *x) {
    lm_err err = LM_ERR_INIT;
    lm_expr *r = NULL;
    if (m->fn == log2 || m->fn == log10) {
        lm_expr *base = lm_sym_int(c->ctx, m->fn == log2 ? 2 : 10);
        lm_expr *num = lm_sym_call(c->ctx, "log", 1, &x, &err);
        lm_expr *den = num ? lm_sym_call(c->ctx, "log", 1, &base, &err) : NULL;
        r = den ? lm_sym_div(c->ctx, num, den, &err) : NULL;
        lm_expr_release(base);
        lm_expr_release(num);
        lm_expr_release(den);
    } else {
        lm_expr *one = lm_sym_int(c->ctx, 1);
        if (m->fn == log1p) {
            lm_expr *arg = lm_sym_add(c->ctx, one, x, &err);
            r = arg ? lm_sym_call(c->ctx, "log", 1, &arg, &err) : NULL;
            lm_expr_release(arg);
        } else {
            lm_expr *ex = lm_sym_call(c->ctx, "exp", 1, &x, &err);
            r = ex ? lm_sym_sub(c->ctx, ex, one, &err) : NULL;
            lm_expr_release(ex);
        }
        lm_expr_release(one);
    }
    return r ? lm_expr_value(r) : lm_error_from(&err);
}

static lm_value apply_named(lm_call *c) {
    for (size_t i = 0; i < sizeof mathfns / sizeof mathfns[0]; i++)
        if (!strcmp(mathfns[i].name, c->fname)) {
            const lm_mathfn *m = &mathfns[i];
            lm_value x = c->args[0];
            /* rounding functions have no symbolic meaning here */
            if (x.kind == LM_EXPR && (m->fn == log2 || m->fn == log10 || m->fn == log1p || m->fn == expm1))
                return sym_log_family(c, m, lm_expr_of(x));
            if (x.kind == LM_EXPR && (m->fn == floor || m->fn == ceil || m->fn == round_of || m->fn == fix_of ||
                                      m->fn == sign_of || m->fn == tgamma))
                return lm_error_new(LM_ERR_TYPE, "%s needs a number: the expression still has unknowns", m->name);
            if (x.kind == LM_COMPLEX && (m->fn == floor || m->fn == ceil || m->fn == round_of || m->fn == fix_of))
                return lm_error_new(LM_ERR_TYPE, "%s of a complex number is not defined here", m->name);
            return lm_apply_math(c->s, m, x);
        }
    return lm_error_new(LM_ERR_INTERNAL, "no math function %s", c->fname);
}

/* real, imag, conj, angle */
static lm_value complex_part(lm_call *c, int which) {
    lm_value x = c->args[0];
    lm_err err = LM_ERR_INIT;
    if (x.kind == LM_NUM || x.kind == LM_BOOL) {
        double v = x.kind == LM_NUM ? x.u.num : x.u.b;
        switch (which) {
        case 0: return lm_num(v);
        case 1: return lm_num(0);
        case 2: return lm_num(v);
        default: return lm_num(atan2(0.0, v));
        }
    }
    if (x.kind == LM_COMPLEX) {
        double re = lm_complex_re(x), im = lm_complex_im(x);
        switch (which) {
        case 0: return lm_num(re);
        case 1: return lm_num(im);
        case 2: return lm_complex_new(re, -im);
        default: return lm_num(atan2(im, re));
        }
    }
    if (x.kind == LM_TENSOR) {
        lm_tensor *t = lm_tensor_of(x);
        lm_tensor *r = which == 2 && t->imag ? lm_tensor_new_complex(t->ndim, t->shape, &err)
                                             : lm_tensor_new(t->ndim, t->shape, &err);
        if (!r) return lm_error_from(&err);
        for (int64_t k = 0; k < t->size; k++) {
            int64_t off = lm_tensor_offset(t, k);
            double re = t->data[off], im = t->imag ? t->imag[off] : 0;
            switch (which) {
            case 0: r->data[k] = re; break;
            case 1: r->data[k] = im; break;
            case 2:
                r->data[k] = re;
                if (r->imag) r->imag[k] = -im;
                break;
            default: r->data[k] = atan2(im, re); break;
            }
        }
        return lm_narrow(lm_tensor_value(r));
    }
    return lm_error_new(LM_ERR_TYPE, "%s needs a number or a matrix, not %s", c->fname, lm_kind_a(x.kind));
}

static lm_value b_real(lm_call *c) { return complex_part(c, 0); }
static lm_value b_imag(lm_call *c) { return complex_part(c, 1); }
static lm_value b_conj(lm_call *c) { return complex_part(c, 2); }
static lm_value b_angle(lm_call *c) { return complex_part(c, 3); }

static lm_value binary_elementwise(lm_call *c, lm_binop op) {
    lm_err err = LM_ERR_INIT;
    double x, y;
    if (c->args[0].kind != LM_TENSOR && c->args[1].kind != LM_TENSOR && lm_as_double(c->args[0], &x) &&
        lm_as_double(c->args[1], &y))
        return lm_num(lm_binop_apply(op, x, y));
    lm_tensor *a = lm_as_tensor(c->args[0], c->fname, &err);
    lm_tensor *b = a ? lm_as_tensor(c->args[1], c->fname, &err) : NULL;
    lm_tensor *r = b ? lm_tensor_binop(op, a, b, c->fname, &err) : NULL;
    lm_tensor_release(a);
    lm_tensor_release(b);
    return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
}

static lm_value b_mod(lm_call *c) { return binary_elementwise(c, LM_OP_MOD); }
static lm_value b_rem(lm_call *c) { return binary_elementwise(c, LM_OP_REM); }
static lm_value b_atan2(lm_call *c) { return binary_elementwise(c, LM_OP_ATAN2); }

/* ---- counting: n! and the binomial coefficient ---- */

/* n! for a whole n >= 0: exact in 128-bit integers while it fits (n <= 34),
 * so the double is the correctly rounded n!; then gamma(n + 1), within an ulp,
 * up to 170; 171! and beyond overflow to Inf, as in floating point everywhere. */
static double factorial_of(double n) {
    if (n <= 34) {
        unsigned __int128 f = 1;
        for (int k = 2; k <= (int)n; k++) f *= (unsigned)k;
        return (double)f;
    }
    return n > 170 ? INFINITY : tgamma(n + 1);
}

static bool whole_nonneg(double x) { return x >= 0 && x == floor(x) && isfinite(x); }

static lm_value b_factorial(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    if (c->args[0].kind == LM_EXPR) return lm_error_new(LM_ERR_TYPE, "factorial needs a number: the expression still has unknowns");
    lm_tensor *t = lm_as_tensor(c->args[0], "factorial's argument", &err);
    if (!t) return lm_error_from(&err);
    lm_tensor *r = t->imag ? NULL : lm_tensor_new(t->ndim, t->shape, &err);
    for (int64_t k = 0; r && k < t->size; k++) {
        double n = t->data[lm_tensor_offset(t, k)];
        if (!whole_nonneg(n)) {
            char v[32];
            lm_fmt_double_shortest(v, n);
            lm_tensor_release(t);
            lm_tensor_release(r);
            return lm_error_new(LM_ERR_DOMAIN,
                                "factorial(n) = 1·2·…·n needs a whole number n >= 0, not %s; gamma(x + 1) extends it to "
                                "other real x",
                                v);
        }
        r->data[k] = factorial_of(n);
    }
    bool complex_arg = t->imag != NULL;
    lm_tensor_release(t);
    if (complex_arg) return lm_error_new(LM_ERR_TYPE, "factorial needs real whole numbers, not complex ones");
    return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
}

/* C(n, k) = n! / (k! (n - k)!): the number of ways to choose k of n. Exact
 * while it fits 128 bits (each step of C(n, i) = C(n, i - 1)·(n - i + 1)/i is
 * a whole number), so the double is correctly rounded; past that the same
 * product in long double (a relative error of about k·2^-64), and past 2^16
 * factors log-gamma. */
static double choose(double n, double k) {
    if (k > n) return 0;
    if (k > n - k) k = n - k;
    unsigned __int128 r = 1;
    double i = 1;
    for (; i <= k; i++) {
        unsigned __int128 f = (unsigned __int128)(n - k + i);
        if (r > ~(unsigned __int128)0 / f) break;
        r = r * f / (unsigned __int128)i;
    }
    if (i > k) return (double)r;
    if (k > 65536) return exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1));
    long double x = (long double)r;
    for (; i <= k; i++) x = x * (long double)(n - k + i) / (long double)i;
    return (double)x;
}

static lm_value b_nchoosek(lm_call *c) {
    double n, k;
    if (!lm_as_double(c->args[0], &n) || !lm_as_double(c->args[1], &k))
        return lm_error_new(LM_ERR_TYPE, "nchoosek(n, k) needs two numbers, as in nchoosek(5, 2)");
    if (!whole_nonneg(n) || !whole_nonneg(k)) {
        char a[32], b[32];
        lm_fmt_double_shortest(a, n);
        lm_fmt_double_shortest(b, k);
        return lm_error_new(LM_ERR_DOMAIN, "nchoosek(n, k) counts ways to choose k of n things: n and k must be whole "
                                           "numbers >= 0, not %s and %s",
                            a, b);
    }
    if (n > 1e15) return lm_error_new(LM_ERR_LIMIT, "nchoosek: n is at most 1e15 here");
    return lm_num(choose(n, k));
}

#define F1(n, help, ex) {n, apply_named, 1, 1, 1, n "(x)", help, ex}
const lm_builtin lm_builtins_math[] = {
    F1("abs", "absolute value |x| (the modulus of a complex number)", "abs(-3)"),
    F1("acos", "inverse cosine, in radians", "acos(0.5)"),
    {"angle", b_angle, 1, 1, 1, "angle(z)", "the argument (phase) of a complex number, in radians", "angle(1i)"},
    F1("asin", "inverse sine, in radians", "asin(1)"),
    F1("atan", "inverse tangent, in radians", "atan(1)"),
    {"atan2", b_atan2, 2, 2, 1, "atan2(y, x)", "the angle of the point (x, y), in radians, in the right quadrant", "atan2(1, -1)"},
    F1("ceil", "round up to a whole number", "ceil(2.1)"),
    {"conj", b_conj, 1, 1, 1, "conj(z)", "the complex conjugate", "conj(2 + 3i)"},
    F1("cos", "cosine (x in radians)", "cos(pi)"),
    F1("cosh", "hyperbolic cosine", "cosh(0)"),
    F1("exp", "the exponential e^x", "exp(1)"),
    {"factorial", b_factorial, 1, 1, 1, "factorial(n)", "n! = 1·2·…·n for whole n >= 0 (elementwise)", "factorial(5)"},
    F1("expm1", "exp(x) - 1, accurate for small x", "expm1(1e-10)"),
    F1("fix", "round toward zero", "fix(-2.7)"),
    F1("floor", "round down to a whole number", "floor(2.7)"),
    F1("gamma", "the gamma function: gamma(n) = (n-1)!", "gamma(5)"),
    {"imag", b_imag, 1, 1, 1, "imag(z)", "the imaginary part", "imag(2 + 3i)"},
    F1("log", "natural logarithm (base e); complex for negative x", "log(e)"),
    F1("log10", "logarithm base 10", "log10(1000)"),
    F1("log1p", "log(1 + x), accurate for small x", "log1p(1e-10)"),
    F1("log2", "logarithm base 2", "log2(8)"),
    {"mod", b_mod, 2, 2, 1, "mod(x, y)", "remainder after division, with the sign of y", "mod(-1, 3)"},
    {"nchoosek", b_nchoosek, 2, 2, 1, "nchoosek(n, k)", "the binomial coefficient C(n, k) = n!/(k!(n-k)!): the ways to choose k of n things", "nchoosek(5, 2)"},
    {"real", b_real, 1, 1, 1, "real(z)", "the real part", "real(2 + 3i)"},
    F1("relu", "the rectifier max(x, 0), used in neural networks", "relu([-1 0 2])"),
    {"rem", b_rem, 2, 2, 1, "rem(x, y)", "remainder after division, with the sign of x", "rem(-1, 3)"},
    F1("round", "round to the nearest whole number (halves away from zero)", "round(2.5)"),
    F1("sigmoid", "the logistic function 1/(1 + e^-x)", "sigmoid(0)"),
    F1("sign", "-1, 0 or 1 by the sign of x", "sign(-3)"),
    F1("sin", "sine (x in radians)", "sin(pi/2)"),
    F1("sinh", "hyperbolic sine", "sinh(1)"),
    F1("softplus", "log(1 + e^x), a smooth version of relu", "softplus(0)"),
    F1("sqrt", "square root; complex for negative x", "sqrt(2)"),
    F1("tan", "tangent (x in radians)", "tan(pi/4)"),
    F1("tanh", "hyperbolic tangent", "tanh(1)"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
