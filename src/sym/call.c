/* Function calls and relations inside expressions, and numeric evaluation of
 * number-only trees. A known function folds only when the result is exact
 * (sin(pi/6) = 1/2, log(1) = 0) or its argument is already a float; everything
 * else stays a CALL node, exactly as written. */
#include "sym_int.h"

#include <math.h>
#include <string.h>

#define PI_D 3.14159265358979323846
#define E_D 2.71828182845904523536

static double fn_sigmoid(double x) {
    /* never exp of a large positive number: no overflow either way */
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double z = exp(x);
    return z / (1.0 + z);
}

static double fn_softplus(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

static double fn_relu(double x) { return x > 0 ? x : (x == x ? 0.0 : x); }

static const lm_xfninfo fn_table[LM_XF__COUNT] = {
#define X(id, name, latex, parity, powform, fn) {name, latex, LM_XPAR_##parity, powform, fn},
#include "sym_funcs.def"
#undef X
};

int lm_sym_fn_lookup(const char *name) {
    for (int i = 0; i < LM_XF__COUNT; i++)
        if (strcmp(fn_table[i].name, name) == 0) return i;
    return LM_XF_UNKNOWN;
}

const lm_xfninfo *lm_sym_fn_info(int sub) { return sub >= 0 && sub < LM_XF__COUNT ? &fn_table[sub] : NULL; }

/* ---- exact values ---- */

/* sin(k*pi/12) for k = 0..11 as (num/den)*sqrt(rad); den 0: no exact value here. */
static const struct {
    int num, den, rad;
} sin_table[12] = {
    {0, 1, 1}, {0, 0, 0}, {1, 2, 1}, {1, 2, 2}, {1, 2, 3}, {0, 0, 0},
    {1, 1, 1}, {0, 0, 0}, {1, 2, 3}, {1, 2, 2}, {1, 2, 1}, {0, 0, 0},
};

/* sin(k*pi/12) for any integer k, or NULL (no error) when not in the table. */
static lm_expr *sin_twelfths(lm_ctx *ctx, int64_t k, lm_err *err) {
    k = ((k % 24) + 24) % 24;
    int sign = k >= 12 ? -1 : 1; /* sin(t + pi) = -sin(t) */
    int j = (int)(k % 12);
    if (sin_table[j].den == 0) return NULL;
    lm_expr *c = lm_sym_rat(ctx, sign * sin_table[j].num, sin_table[j].den);
    if (sin_table[j].rad == 1) return c;
    lm_expr *rad = lm_sym_int(ctx, sin_table[j].rad), *half = lm_sym_rat(ctx, 1, 2);
    lm_expr *root = lm_sym_pow(ctx, rad, half, err);
    lm_expr *r = root ? lm_sym_mul(ctx, c, root, err) : NULL;
    lm_expr_release(rad);
    lm_expr_release(half);
    lm_expr_release(root);
    lm_expr_release(c);
    return r;
}

/* x = r*pi for a rational r: 0, pi, or a product (r, pi). */
static bool pi_multiple(const lm_expr *x, lm_snum *r) {
    if (x->op == LM_X_RAT && x->u.rat.p == 0) {
        *r = lm_snum_int(0);
        return true;
    }
    if (x->op == LM_X_CONST && x->sub == LM_XC_PI) {
        *r = lm_snum_int(1);
        return true;
    }
    if (x->op == LM_X_MUL && x->nargs == 2 && x->args[0]->op == LM_X_RAT && x->args[1]->op == LM_X_CONST &&
        x->args[1]->sub == LM_XC_PI)
        return lm_snum_of(x->args[0], r);
    return false;
}

/* sin, cos, tan at multiples of pi/6 and pi/4. NULL without error: not exact. */
static lm_expr *trig_exact(lm_ctx *ctx, int fn, const lm_expr *x, lm_err *err) {
    lm_snum r;
    if (!pi_multiple(x, &r) || 12 % r.q != 0) return NULL;
    /* sin has period 2*pi, so p mod 2q keeps k small */
    int64_t k = ((r.p % (2 * r.q)) + 2 * r.q) % (2 * r.q) * (12 / r.q);
    if (fn == LM_XF_SIN) return sin_twelfths(ctx, k, err);
    if (fn == LM_XF_COS) return sin_twelfths(ctx, k + 6, err);
    lm_expr *s = sin_twelfths(ctx, k, err), *c = sin_twelfths(ctx, k + 6, err);
    lm_expr *res = NULL;
    if (s && c && !(c->op == LM_X_RAT && c->u.rat.p == 0)) res = lm_sym_div(ctx, s, c, err);
    lm_expr_release(s);
    lm_expr_release(c);
    return res; /* tan(pi/2) stays a call */
}

/* Inverse trig at the table points, as a multiple of pi. */
static lm_expr *arc_exact(lm_ctx *ctx, int fn, const lm_expr *x, lm_err *err) {
    static const struct {
        int fn;
        int p, q;   /* argument */
        int rp, rq; /* result / pi */
    } pts[] = {
        {LM_XF_ASIN, 0, 1, 0, 1}, {LM_XF_ASIN, 1, 2, 1, 6},  {LM_XF_ASIN, 1, 1, 1, 2},
        {LM_XF_ACOS, 1, 1, 0, 1}, {LM_XF_ACOS, 1, 2, 1, 3},  {LM_XF_ACOS, 0, 1, 1, 2},
        {LM_XF_ACOS, -1, 2, 2, 3}, {LM_XF_ACOS, -1, 1, 1, 1}, {LM_XF_ATAN, 0, 1, 0, 1},
        {LM_XF_ATAN, 1, 1, 1, 4},
    };
    if (x->op != LM_X_RAT) return NULL;
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        if (pts[i].fn != fn || !lm_sym_is_rat(x, pts[i].p, pts[i].q)) continue;
        lm_expr *c = lm_sym_rat(ctx, pts[i].rp, pts[i].rq), *pi = lm_sym_const(ctx, LM_XC_PI);
        lm_expr *r = lm_sym_mul(ctx, c, pi, err);
        lm_expr_release(c);
        lm_expr_release(pi);
        return r;
    }
    return NULL;
}

/* -x as the constructors build it: a negative number or a product with a
 * negative coefficient. Used for the parity rules. */
static bool looks_negative(const lm_expr *x) {
    lm_snum s;
    if (lm_snum_of(x, &s)) return lm_snum_sign(s) < 0;
    return x->op == LM_X_MUL && lm_snum_of(x->args[0], &s) && lm_snum_sign(s) < 0;
}

static bool is_const(const lm_expr *x, lm_xconst c) { return x->op == LM_X_CONST && x->sub == c; }

static lm_expr *make_call(lm_ctx *ctx, int fn, const char *name, int nargs, lm_expr *const *args, lm_err *err) {
    lm_xkey k = {LM_X_CALL, fn, nargs, args, 0, 1, 0.0, name};
    return lm_sym_intern(ctx, &k, err);
}

/* Folding of a known one-argument function. Sets *done when it decided the
 * result (which may be NULL with err set). */
static lm_expr *fold1(lm_ctx *ctx, int fn, lm_expr *x, lm_err *err, bool *done) {
    const lm_xfninfo *info = &fn_table[fn];
    lm_expr *r = NULL;
    *done = true;
    if (fn == LM_XF_SQRT) { /* sqrt(x) is x^(1/2), so sqrt(x)^2 is x */
        lm_expr *half = lm_sym_rat(ctx, 1, 2);
        r = lm_sym_pow(ctx, x, half, err);
        lm_expr_release(half);
        return r;
    }
    if (info->parity != LM_XPAR_NONE && looks_negative(x)) {
        /* sin(-x) = -sin(x), cos(-x) = cos(x): one node for both spellings */
        lm_expr *nx = lm_sym_neg(ctx, x, err);
        if (!nx) return NULL;
        lm_expr *f = lm_sym_call(ctx, info->name, 1, &nx, err);
        lm_expr_release(nx);
        if (!f || info->parity == LM_XPAR_EVEN) return f;
        r = lm_sym_neg(ctx, f, err);
        lm_expr_release(f);
        return r;
    }
    if (x->op == LM_X_FLOAT) { /* a float argument evaluates, as in SymPy */
        double v = info->eval(x->u.f);
        if (!(isnan(v) && !isnan(x->u.f))) return lm_sym_float(ctx, v);
        *done = false; /* log(-1.0): no real value, keep the call */
        return NULL;
    }
    bool zero = x->op == LM_X_RAT && x->u.rat.p == 0;
    switch (fn) {
    case LM_XF_SIN:
    case LM_XF_COS:
    case LM_XF_TAN:
        r = trig_exact(ctx, fn, x, err);
        break;
    case LM_XF_ASIN:
    case LM_XF_ACOS:
    case LM_XF_ATAN:
        r = arc_exact(ctx, fn, x, err);
        break;
    case LM_XF_SINH:
    case LM_XF_TANH:
        if (zero) r = lm_sym_int(ctx, 0);
        break;
    case LM_XF_COSH:
        if (zero) r = lm_sym_int(ctx, 1);
        break;
    case LM_XF_EXP:
        if (zero) r = lm_sym_int(ctx, 1);
        else if (lm_sym_is_rat(x, 1, 1)) r = lm_sym_const(ctx, LM_XC_E);
        break;
    case LM_XF_LOG:
        if (lm_sym_is_rat(x, 1, 1)) r = lm_sym_int(ctx, 0);
        else if (is_const(x, LM_XC_E)) r = lm_sym_int(ctx, 1);
        /* log(exp(y)) = y and log(e^y) = y; exp(log(y)) is left alone */
        else if (x->op == LM_X_CALL && x->sub == LM_XF_EXP && x->nargs == 1) r = lm_expr_retain(x->args[0]);
        else if (x->op == LM_X_POW && is_const(x->args[0], LM_XC_E)) r = lm_expr_retain(x->args[1]);
        break;
    case LM_XF_ABS:
        if (x->op == LM_X_RAT) r = lm_sym_rat(ctx, x->u.rat.p < 0 ? -x->u.rat.p : x->u.rat.p, x->u.rat.q);
        else if (is_const(x, LM_XC_PI) || is_const(x, LM_XC_E)) r = lm_expr_retain(x);
        else if (is_const(x, LM_XC_I)) r = lm_sym_int(ctx, 1);
        else if (x->op == LM_X_CALL && x->sub == LM_XF_ABS) r = lm_expr_retain(x);
        break;
    case LM_XF_SIGMOID:
        if (zero) r = lm_sym_rat(ctx, 1, 2);
        break;
    case LM_XF_SOFTPLUS:
        if (zero) { /* softplus(0) = log(2) */
            lm_expr *two = lm_sym_int(ctx, 2);
            r = make_call(ctx, LM_XF_LOG, "log", 1, &two, err);
            lm_expr_release(two);
        }
        break;
    case LM_XF_RELU:
        if (x->op == LM_X_RAT) r = x->u.rat.p > 0 ? lm_expr_retain(x) : lm_sym_int(ctx, 0);
        else if (is_const(x, LM_XC_PI) || is_const(x, LM_XC_E)) r = lm_expr_retain(x);
        break;
    default:
        break;
    }
    /* The table values are a few levels deep and cannot hit a limit, so NULL
     * here only means "no exact value": keep the call. */
    *done = r != NULL;
    return r;
}

lm_expr *lm_sym_call(lm_ctx *ctx, const char *fname, int nargs, lm_expr *const *args, lm_err *err) {
    if (!fname || !*fname || nargs < 0 || (nargs > 0 && !args)) {
        lm_err_set(err, LM_ERR_INTERNAL, "symbolic call without a function name or arguments");
        return NULL;
    }
    for (int i = 0; i < nargs; i++)
        if (!args[i]) { /* a relation, though, is a fine argument: solve(x^2 == 4, x) */
            lm_sym_check_operand(NULL, err);
            return NULL;
        }
    int fn = lm_sym_fn_lookup(fname);
    if (fn != LM_XF_UNKNOWN && nargs == 1 && args[0]->op != LM_X_REL) {
        bool done;
        lm_expr *r = fold1(ctx, fn, args[0], err, &done);
        if (done) return r;
    }
    return make_call(ctx, fn, fname, nargs, args, err);
}

lm_expr *lm_sym_rel(lm_ctx *ctx, lm_xrel rel, lm_expr *a, lm_expr *b, lm_err *err) {
    if (!a || !b) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    if ((int)rel < LM_XR_EQ || (int)rel > LM_XR_GE) {
        lm_err_set(err, LM_ERR_INTERNAL, "unknown relation %d", (int)rel);
        return NULL;
    }
    lm_expr *args[2] = {a, b};
    lm_xkey k = {LM_X_REL, (int)rel, 2, args, 0, 1, 0.0, NULL};
    return lm_sym_intern(ctx, &k, err);
}

/* ---- numeric value ---- */

/* Each walk visits a shared subtree once (a map of visited nodes), so a DAG
 * whose tree is exponentially large is still linear work. */
static bool isnum_walk(const lm_expr *e, lm_xmap *seen) {
    int own = lm_sym_node_numeric(e);
    if (own >= 0) return own;
    lm_xval v;
    if (lm_xmap_get(seen, e, &v)) return true; /* a false would have ended the walk */
    v.i = 1;
    lm_xmap_put(seen, e, v);
    for (int i = 0; i < e->nargs; i++)
        if (!isnum_walk(e->args[i], seen)) return false;
    return true;
}

bool lm_sym_is_number(const lm_expr *e) {
    if (!e) return false;
    lm_xmap seen = LM_XMAP_INIT;
    bool r = isnum_walk(e, &seen);
    lm_xmap_free(&seen);
    return r;
}

static double eval_walk(const lm_expr *e, lm_xmap *memo) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT: return (double)e->u.rat.p / (double)e->u.rat.q;
    case LM_X_FLOAT: return e->u.f;
    case LM_X_CONST: return e->sub == LM_XC_PI ? PI_D : e->sub == LM_XC_E ? E_D : NAN;
    case LM_X_SYM:
    case LM_X_REL: return NAN;
    default: break;
    }
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return v.d;
    double r;
    switch ((lm_xop)e->op) {
    case LM_X_ADD:
        r = 0;
        for (int i = 0; i < e->nargs; i++) r += eval_walk(e->args[i], memo);
        break;
    case LM_X_MUL:
        r = 1;
        for (int i = 0; i < e->nargs; i++) r *= eval_walk(e->args[i], memo);
        break;
    case LM_X_POW: r = pow(eval_walk(e->args[0], memo), eval_walk(e->args[1], memo)); break;
    case LM_X_CALL: {
        const lm_xfninfo *info = lm_sym_fn_info(e->sub);
        r = info && e->nargs == 1 ? info->eval(eval_walk(e->args[0], memo)) : NAN;
        break;
    }
    default: r = NAN; break;
    }
    v.d = r;
    lm_xmap_put(memo, e, v);
    return r;
}

double lm_sym_to_double(const lm_expr *e) {
    if (!e) return NAN;
    lm_xmap memo = LM_XMAP_INIT;
    double r = eval_walk(e, &memo);
    lm_xmap_free(&memo);
    return r;
}
