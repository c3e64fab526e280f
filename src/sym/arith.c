/* The canonicalizing constructors: sums, products and powers. They flatten,
 * fold numbers exactly, collect like terms and equal bases, and sort operands,
 * so that equal expressions built in different ways are the same node. The
 * rules are listed in sym_int.h ("CANONICAL FORM"). */
#include "sym_int.h"

#include <math.h>

/* A growable array of node pointers; whether it owns them is up to the user. */
typedef struct xvec {
    lm_expr **v;
    size_t n, cap;
} xvec;

static void xpush(xvec *a, lm_expr *e) {
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->v = lm_realloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = e;
}

static void xvec_release(xvec *a) { /* for owning arrays */
    for (size_t i = 0; i < a->n; i++) lm_expr_release(a->v[i]);
    lm_free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

static bool check_all(int n, lm_expr *const *xs, lm_err *err) {
    for (int i = 0; i < n; i++)
        if (!lm_sym_check_operand(xs[i], err)) return false;
    return true;
}

/* Terms are counted in int below; keep them inside the node limit early. */
static bool check_count(size_t n, lm_err *err) {
    if (n <= (size_t)LM_SYM_MAX_ARGS * 4) return true;
    lm_err_set(err, LM_ERR_LIMIT, "expression has more than %d terms or factors in one sum, product or call",
               LM_SYM_MAX_ARGS);
    return false;
}

/* A MUL node from a coefficient and canonical, sorted factors (nf >= 1). */
static lm_expr *make_product(lm_ctx *ctx, lm_snum c, lm_expr *const *f, size_t nf, lm_err *err) {
    if (lm_snum_is(c, 1)) {
        if (nf == 1) return lm_expr_retain(f[0]);
        return lm_sym_raw(ctx, LM_X_MUL, (int)nf, f, err);
    }
    lm_expr **args = lm_alloc((nf + 1) * sizeof *args);
    args[0] = lm_sym_snum(ctx, c);
    for (size_t i = 0; i < nf; i++) args[i + 1] = f[i];
    lm_expr *r = lm_sym_raw(ctx, LM_X_MUL, (int)nf + 1, args, err);
    lm_expr_release(args[0]);
    lm_free(args);
    return r;
}

/* ---- sums ---- */

typedef struct term {
    lm_snum c;
    lm_expr *const *f; /* the rest: factors after the coefficient */
    int nf;
    lm_expr *node;
} term;

static int term_cmp(const void *a, const void *b, void *ud) {
    const term *x = a, *y = b;
    (void)ud;
    return lm_sym_rest_cmp(x->f, x->nf, y->f, y->nf);
}

static bool same_rest(const term *a, const term *b) {
    if (a->nf != b->nf) return false;
    for (int i = 0; i < a->nf; i++)
        if (a->f[i] != b->f[i]) return false;
    return true;
}

lm_expr *lm_sym_addv(lm_ctx *ctx, int n, lm_expr *const *xs, lm_err *err) {
    if (n < 0 || !check_all(n, xs, err)) return NULL;
    if (n == 0) return lm_sym_int(ctx, 0);
    if (n == 1) return lm_expr_retain(xs[0]);

    xvec flat = {0}; /* borrowed: the operands and their terms stay alive */
    for (int i = 0; i < n; i++) {
        if (xs[i]->op == LM_X_ADD)
            for (int j = 0; j < xs[i]->nargs; j++) xpush(&flat, xs[i]->args[j]);
        else
            xpush(&flat, xs[i]);
    }
    lm_expr *result = NULL;
    xvec out = {0}; /* owned */
    term *ts = lm_alloc(flat.n * sizeof *ts);
    term **tp = lm_alloc(flat.n * sizeof *tp);
    size_t nt = 0;
    lm_snum cst = lm_snum_int(0);
    if (!check_count(flat.n, err)) goto out;
    for (size_t i = 0; i < flat.n; i++) {
        term *t = &ts[nt];
        lm_sym_term_split((const lm_expr *const *)&flat.v[i], &t->c, &t->f, &t->nf);
        if (t->nf == 0) {
            cst = lm_snum_add(cst, t->c);
            continue;
        }
        t->node = flat.v[i];
        tp[nt] = t;
        nt++;
    }
    /* Operands of a sum are already sorted, so this is a linear merge when
     * adding two sums: building a long sum term by term stays quadratic at worst. */
    lm_sym_sort((void **)tp, nt, term_cmp, NULL);

    for (size_t i = 0; i < nt;) {
        size_t j = i + 1;
        lm_snum c = tp[i]->c;
        while (j < nt && same_rest(tp[i], tp[j])) c = lm_snum_add(c, tp[j++]->c);
        if (!lm_snum_is_zero(c)) { /* x - x vanishes, and so does 0.5*x - 0.5*x */
            lm_expr *r = j == i + 1 ? lm_expr_retain(tp[i]->node)
                                    : make_product(ctx, c, tp[i]->f, (size_t)tp[i]->nf, err);
            if (!r) goto out;
            xpush(&out, r);
        }
        i = j;
    }

    bool keepc = !lm_snum_is_zero(cst);
    if (out.n == 0) {
        result = lm_sym_snum(ctx, cst);
    } else if (out.n == 1 && !keepc) {
        result = out.v[0];
        out.n = 0;
    } else {
        lm_expr **args = lm_alloc((out.n + 1) * sizeof *args);
        size_t k = 0;
        if (keepc) args[k++] = lm_sym_snum(ctx, cst);
        for (size_t i = 0; i < out.n; i++) args[k++] = out.v[i];
        result = lm_sym_raw(ctx, LM_X_ADD, (int)k, args, err);
        if (keepc) lm_expr_release(args[0]);
        lm_free(args);
    }
out:
    xvec_release(&out);
    lm_free(ts);
    lm_free(tp);
    lm_free(flat.v);
    return result;
}

lm_expr *lm_sym_add(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *xs[2] = {a, b};
    return lm_sym_addv(ctx, 2, xs, err);
}

/* ---- products ---- */

static int factor_cmp(const void *a, const void *b, void *ud) {
    (void)ud;
    return lm_sym_cmp(a, b);
}

/* True when a sum has a float coefficient or constant. */
static bool sum_has_float(const lm_expr *a) {
    for (int i = 0; i < a->nargs; i++) {
        const lm_expr *t = a->args[i];
        if (t->op == LM_X_FLOAT || (t->op == LM_X_MUL && t->args[0]->op == LM_X_FLOAT)) return true;
    }
    return false;
}

/* A sum as s*k*A': s the sign of its first non-constant term in storage order,
 * and for an exact sum k > 0 its rational content (gcd of the numerators over
 * the lcm of the denominators; 1 for a sum with floats, or when the lcm does
 * not fit), so that A' has coprime integer coefficients and a positive leading
 * term. False (leave it alone) when s*k is 1. */
static bool sum_content(const lm_expr *a, lm_snum *sk) {
    uint64_t g = 0, l = 1;
    int sign = 0;
    bool exact = true;
    for (int i = 0; i < a->nargs; i++) {
        lm_snum c;
        lm_expr *const *f;
        int nf;
        lm_sym_term_split((const lm_expr *const *)&a->args[i], &c, &f, &nf);
        if (nf > 0 && sign == 0) sign = lm_snum_sign(c) < 0 ? -1 : 1;
        if (c.isf || !exact) {
            exact = false;
            continue;
        }
        g = lm_snum_ugcd(g, (uint64_t)(c.p < 0 ? -c.p : c.p));
        uint64_t q = (uint64_t)c.q, lq;
        if (__builtin_mul_overflow(l / lm_snum_ugcd(l, q), q, &lq) || lq > (uint64_t)INT64_MAX) exact = false;
        else l = lq;
    }
    if (!exact) g = l = 1;
    if (g == 1 && l == 1 && sign > 0) return false;
    *sk = lm_snum_rat(sign * (int64_t)g, (int64_t)l);
    return !sk->isf;
}

/* Products whose collected powers turned into new products, such as
 * (x*y)^(1/2) * (x*y)^(1/2) = x*y or i^3 = -i, are flattened again; a few rounds
 * always suffice, the bound only guards against a rule bug looping. */
#define MUL_REDO_ROUNDS 4

static lm_expr *mulv(lm_ctx *ctx, int n, lm_expr *const *xs, lm_err *err, int rounds) {
    if (n == 0) return lm_sym_int(ctx, 1);
    if (n == 1) return lm_expr_retain(xs[0]);

    xvec f = {0};   /* borrowed factors */
    xvec out = {0}; /* owned results */
    lm_expr *one = NULL, *result = NULL;
    lm_snum c = lm_snum_int(1);
    for (int i = 0; i < n; i++) {
        lm_snum s;
        if (lm_snum_of(xs[i], &s)) {
            c = lm_snum_mul(c, s);
        } else if (xs[i]->op == LM_X_MUL) {
            for (int j = 0; j < xs[i]->nargs; j++) {
                if (lm_snum_of(xs[i]->args[j], &s)) c = lm_snum_mul(c, s);
                else xpush(&f, xs[i]->args[j]);
            }
        } else {
            xpush(&f, xs[i]);
        }
    }
    if (!check_count(f.n, err)) goto out;
    if (f.n == 0) {
        result = lm_sym_snum(ctx, c);
        goto out;
    }
    if (lm_snum_is_zero(c)) { /* 0*x and 0.0*x are exact 0, as in SymPy */
        result = lm_sym_int(ctx, 0);
        goto out;
    }
    lm_sym_sort((void **)f.v, f.n, factor_cmp, NULL);

    bool again = false;
    for (size_t i = 0; i < f.n;) {
        const lm_expr *base = lm_sym_base(f.v[i]);
        size_t j = i + 1;
        while (j < f.n && lm_sym_base(f.v[j]) == base) j++;
        if (j == i + 1) {
            xpush(&out, lm_expr_retain(f.v[i]));
            i = j;
            continue;
        }
        /* x^a * x^b = x^(a+b) */
        lm_expr **ex = lm_alloc((j - i) * sizeof *ex);
        for (size_t k = i; k < j; k++) {
            const lm_expr *e = lm_sym_exp(f.v[k]);
            if (!e) {
                if (!one) one = lm_sym_int(ctx, 1);
                e = one;
            }
            ex[k - i] = (lm_expr *)e;
        }
        lm_expr *sum = lm_sym_addv(ctx, (int)(j - i), ex, err);
        lm_free(ex);
        if (!sum) goto out;
        lm_expr *r = lm_sym_pow(ctx, (lm_expr *)base, sum, err);
        lm_expr_release(sum);
        if (!r) goto out;
        lm_snum s;
        if (lm_snum_of(r, &s)) {
            c = lm_snum_mul(c, s);
            lm_expr_release(r);
        } else {
            if (r->op == LM_X_MUL || lm_sym_base(r) != base) again = true;
            xpush(&out, r);
        }
        i = j;
    }

    /* A sum that is a factor beside others is made primitive, its content and
     * sign moving to the coefficient: y*(2*x + 2) is 2*y*(x + 1) and y*(1 - x)
     * is -y*(x - 1) (printed y*(1 - x) again). Then -(x + 1)*y and -((x + 1)*y)
     * are one node, whichever way the coefficient met the sum first, and
     * y*(x - 1) + y*(1 - x) cancels. A sum with floats gives up only its sign.
     * This runs after collecting, so (1 - x)*sqrt(1 - x) is still (1 - x)^(3/2);
     * a sum under a non-integer power keeps its sign (it cannot come out). */
    if (out.n >= 2) {
        bool changed = false;
        for (size_t k = 0; k < out.n; k++) {
            lm_snum sk;
            if (out.v[k]->op != LM_X_ADD || !sum_content(out.v[k], &sk)) continue;
            lm_expr *inv = lm_sym_snum(ctx, lm_snum_powi(sk, -1));
            lm_expr *pair[2] = {inv, out.v[k]};
            lm_expr *prim = mulv(ctx, 2, pair, err, rounds); /* c * sum distributes */
            lm_expr_release(inv);
            if (!prim) goto out;
            for (size_t j = 0; j < out.n; j++)
                if (j != k && lm_sym_base(out.v[j]) == prim) again = true; /* (x + 1)*(-x - 1) */
            lm_expr_release(out.v[k]);
            out.v[k] = prim;
            c = lm_snum_mul(c, sk);
            changed = true;
        }
        if (changed && !again) lm_sym_sort((void **)out.v, out.n, factor_cmp, NULL);
    }

    if (again && rounds > 0) {
        xpush(&out, lm_sym_snum(ctx, c));
        result = mulv(ctx, (int)out.n, out.v, err, rounds - 1);
        goto out;
    }
    if (out.n >= 2 && !lm_snum_is(c, 1) && !lm_snum_is(c, -1)) {
        /* Floats have no content to take out, so a coefficient other than -1
         * goes into the first sum with a float (or any sum, for a float
         * coefficient), and the next round takes the sign out again:
         * -2*y*(0.5*x + 1) is -y*(1.0*x + 2). Then a float sum factor only ever
         * comes with a coefficient of 1 or -1, which keeps the form unique. */
        for (size_t k = 0; k < out.n; k++) {
            if (out.v[k]->op != LM_X_ADD || !(c.isf || sum_has_float(out.v[k]))) continue;
            lm_expr *cn = lm_sym_snum(ctx, c);
            lm_expr *pair[2] = {cn, out.v[k]};
            lm_expr *dist = mulv(ctx, 2, pair, err, rounds);
            lm_expr_release(cn);
            if (!dist) goto out;
            lm_expr_release(out.v[k]);
            out.v[k] = dist;
            result = mulv(ctx, (int)out.n, out.v, err, rounds > 0 ? rounds - 1 : 0);
            goto out;
        }
    }
    if (lm_snum_is_zero(c)) { /* a collected power was 0 (0^2) */
        result = lm_sym_int(ctx, 0);
    } else if (out.n == 0) {
        result = lm_sym_snum(ctx, c);
    } else if (out.n == 1 && out.v[0]->op == LM_X_ADD && !lm_snum_is(c, 1)) {
        /* c*(a + b) = c*a + c*b, so that x - (x - y) is y */
        lm_expr *sum = out.v[0];
        lm_expr *cn = lm_sym_snum(ctx, c);
        xvec terms = {0};
        for (int k = 0; k < sum->nargs; k++) {
            lm_expr *pair[2] = {cn, sum->args[k]};
            lm_expr *t = mulv(ctx, 2, pair, err, rounds);
            if (!t) {
                xvec_release(&terms);
                lm_expr_release(cn);
                goto out;
            }
            xpush(&terms, t);
        }
        result = lm_sym_addv(ctx, (int)terms.n, terms.v, err);
        xvec_release(&terms);
        lm_expr_release(cn);
    } else {
        result = make_product(ctx, c, out.v, out.n, err);
    }
out:
    if (one) lm_expr_release(one);
    xvec_release(&out);
    lm_free(f.v);
    return result;
}

lm_expr *lm_sym_mulv(lm_ctx *ctx, int n, lm_expr *const *xs, lm_err *err) {
    if (n < 0 || !check_all(n, xs, err)) return NULL;
    return mulv(ctx, n, xs, err, MUL_REDO_ROUNDS);
}

lm_expr *lm_sym_mul(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *xs[2] = {a, b};
    return lm_sym_mulv(ctx, 2, xs, err);
}

lm_expr *lm_sym_neg(lm_ctx *ctx, lm_expr *a, lm_err *err) {
    if (!lm_sym_check_operand(a, err)) return NULL;
    lm_expr *m1 = lm_sym_int(ctx, -1);
    lm_expr *r = lm_sym_mul(ctx, m1, a, err);
    lm_expr_release(m1);
    return r;
}

lm_expr *lm_sym_sub(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    if (!lm_sym_check_operand(a, err) || !lm_sym_check_operand(b, err)) return NULL;
    lm_expr *nb = lm_sym_neg(ctx, b, err);
    if (!nb) return NULL;
    lm_expr *r = lm_sym_add(ctx, a, nb, err);
    lm_expr_release(nb);
    return r;
}

lm_expr *lm_sym_div(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    if (!lm_sym_check_operand(a, err) || !lm_sym_check_operand(b, err)) return NULL;
    lm_expr *m1 = lm_sym_int(ctx, -1);
    lm_expr *inv = lm_sym_pow(ctx, b, m1, err);
    lm_expr_release(m1);
    if (!inv) return NULL;
    lm_expr *r = lm_sym_mul(ctx, a, inv, err);
    lm_expr_release(inv);
    return r;
}

/* ---- powers ---- */

static lm_expr *pow2(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *args[2] = {a, b};
    return lm_sym_raw(ctx, LM_X_POW, 2, args, err);
}

static lm_expr *mul_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) { /* consumes a and b */
    lm_expr *r = a && b ? lm_sym_mul(ctx, a, b, err) : NULL;
    lm_expr_release(a);
    lm_expr_release(b);
    return r;
}

/* i^n for an integer n: 1, i, -1, -i. */
static lm_expr *i_pow(lm_ctx *ctx, int64_t n, lm_err *err) {
    switch (((n % 4) + 4) % 4) {
    case 0: return lm_sym_int(ctx, 1);
    case 1: return lm_sym_const(ctx, LM_XC_I);
    case 2: return lm_sym_int(ctx, -1);
    default: {
        lm_expr *args[2] = {lm_sym_int(ctx, -1), lm_sym_const(ctx, LM_XC_I)};
        lm_expr *r = lm_sym_raw(ctx, LM_X_MUL, 2, args, err);
        lm_expr_release(args[0]);
        lm_expr_release(args[1]);
        return r;
    }
    }
}

static int64_t floor_div(int64_t m, int64_t n) { /* n > 0 */
    int64_t d = m / n;
    return (m % n != 0 && m < 0) ? d - 1 : d;
}

/* Perfect powers are pulled out by trial division up to this factor: enough for
 * the sqrt(8) = 2*sqrt(2) a learner meets, and cheap on any int64. An exact
 * root of the whole number is found at any size. */
#define ROOT_TRIAL_MAX 4096

/* x^(m/n) for an integer x >= 1 and n >= 2, gcd(m, n) = 1: c * y^(k/n) with
 * 0 < k < n, or a number when the root is exact. */
static lm_expr *pow_posint(lm_ctx *ctx, int64_t x, lm_snum e, lm_err *err) {
    if (x == 1) return lm_sym_int(ctx, 1);
    int64_t m = e.p, n = e.q;
    uint64_t s = 1, y = (uint64_t)x, r;
    if (lm_snum_iroot(y, (uint64_t)n, &r)) {
        s = r;
        y = 1;
    } else {
        for (uint64_t d = 2; d <= ROOT_TRIAL_MAX; d++) {
            uint64_t dn;
            if (!lm_snum_upow(d, (uint64_t)n, &dn) || dn > y) break;
            while (y % dn == 0) {
                y /= dn;
                s *= d;
            }
        }
    }
    /* x^(m/n) = s^m * y^(m/n) = s^m * y^k0 * y^(k/n) */
    int64_t k0 = floor_div(m, n), k = m - k0 * n;
    lm_snum c = lm_snum_mul(lm_snum_powi(lm_snum_int((int64_t)s), m), lm_snum_powi(lm_snum_int((int64_t)y), k0));
    if (c.isf) /* too big for an exact coefficient: the float value, as for 3^100000 */
        return lm_sym_float(ctx, pow((double)x, (double)m / (double)n));
    if (y == 1) return lm_sym_snum(ctx, c);
    lm_expr *yb = lm_sym_int(ctx, (int64_t)y), *ke = lm_sym_rat(ctx, k, n);
    lm_expr *pw = pow2(ctx, yb, ke, err);
    lm_expr_release(yb);
    lm_expr_release(ke);
    if (!pw || lm_snum_is(c, 1)) return pw;
    lm_expr *res = make_product(ctx, c, &pw, 1, err);
    lm_expr_release(pw);
    return res;
}

/* a^e for a rational a > 0 and a non-integer rational e. */
static lm_expr *pow_pos(lm_ctx *ctx, lm_snum a, lm_snum e, lm_err *err) {
    if (a.q == 1) return pow_posint(ctx, a.p, e, err);
    /* (p/q)^e = p^e * q^-e, so (1/2)^(1/2) is sqrt(2)/2 */
    return mul_take(ctx, pow_posint(ctx, a.p, e, err), pow_posint(ctx, a.q, lm_snum_neg(e), err), err);
}

/* Both operands are numbers. an and bn are their nodes. */
static lm_expr *pow_num(lm_ctx *ctx, lm_expr *an, lm_expr *bn, lm_snum a, lm_snum b, lm_err *err) {
    if (!a.isf && !b.isf && a.p == 0 && b.p < 0) {
        if (b.q == 1) lm_err_set(err, LM_ERR_DOMAIN, "division by zero: 0^%lld is undefined", (long long)b.p);
        else lm_err_set(err, LM_ERR_DOMAIN, "division by zero: 0^(%lld/%lld) is undefined", (long long)b.p, (long long)b.q);
        return NULL;
    }
    if (a.isf || b.isf) {
        double x = lm_snum_double(a), y = lm_snum_double(b), r = pow(x, y);
        /* (-2.0)^0.5 has no real value: keep it as a power rather than NaN */
        if (isnan(r) && !isnan(x) && !isnan(y)) return pow2(ctx, an, bn, err);
        return lm_sym_float(ctx, r);
    }
    if (b.q == 1) return lm_sym_snum(ctx, lm_snum_powi(a, b.p));
    if (a.p == 0) return lm_sym_int(ctx, 0); /* 0^(1/2), exponent > 0 here */
    if (a.p < 0) {
        /* principal value: (-a)^(m/2) = i^m * a^(m/2), so sqrt(-4) is 2*i */
        if (b.q == 2) return mul_take(ctx, i_pow(ctx, b.p, err), pow_pos(ctx, lm_snum_neg(a), b, err), err);
        return pow2(ctx, an, bn, err); /* (-8)^(1/3) stays: its principal value is complex */
    }
    return pow_pos(ctx, a, b, err);
}

lm_expr *lm_sym_pow(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    if (!lm_sym_check_operand(a, err) || !lm_sym_check_operand(b, err)) return NULL;
    lm_snum sa, sb;
    bool na = lm_snum_of(a, &sa), nb = lm_snum_of(b, &sb);
    bool bint = nb && !sb.isf && sb.q == 1;
    if (bint && sb.p == 0) return lm_sym_int(ctx, 1); /* a^0 = 1, even 0^0 (as SymPy) */
    if (bint && sb.p == 1) return lm_expr_retain(a);
    if (na && nb) return pow_num(ctx, a, b, sa, sb, err);
    if (na && lm_snum_is(sa, 1)) return lm_sym_int(ctx, 1); /* 1^x */
    if (bint && a->op == LM_X_CONST && a->sub == LM_XC_I) return i_pow(ctx, sb.p, err);

    if (a->op == LM_X_ADD && bint) {
        /* an integer power of a sum has a primitive base, as a sum factor of a
         * product does: (2*x + 2)^2 = 4*(x + 1)^2, 1/(1 - x) = -1/(x - 1) */
        lm_snum sk, skn;
        /* (unless (s*k)^n is too big to be exact: (2*x + 2)^100000 stays) */
        if (sum_content(a, &sk) && !(skn = lm_snum_powi(sk, sb.p)).isf) {
            lm_expr *inv = lm_sym_snum(ctx, lm_snum_powi(sk, -1));
            lm_expr *prim = lm_sym_mul(ctx, inv, a, err);
            lm_expr_release(inv);
            if (!prim) return NULL;
            lm_expr *pw = lm_sym_pow(ctx, prim, b, err);
            lm_expr_release(prim);
            return mul_take(ctx, lm_sym_snum(ctx, skn), pw, err);
        }
    }
    if (a->op == LM_X_POW) {
        /* (x^m)^n = x^(m*n) holds for integer n, and for any n when -1 < m < 1
         * (the principal branch does not wrap); (x^2)^(1/2) is not x. */
        lm_snum sm;
        bool small = lm_snum_of(a->args[1], &sm) && !sm.isf && sm.p < sm.q && -sm.p < sm.q;
        if (bint || small) {
            lm_expr *e = lm_sym_mul(ctx, a->args[1], b, err);
            if (!e) return NULL;
            lm_expr *r = lm_sym_pow(ctx, a->args[0], e, err);
            lm_expr_release(e);
            return r;
        }
    }
    if (a->op == LM_X_MUL && nb && !sb.isf) {
        if (bint) {
            /* (2*x*y)^n = 2^n * x^n * y^n keeps products flat for collecting */
            xvec fs = {0};
            lm_expr *r = NULL;
            for (int i = 0; i < a->nargs; i++) {
                lm_expr *t = lm_sym_pow(ctx, a->args[i], b, err);
                if (!t) goto out_fs;
                xpush(&fs, t);
            }
            r = lm_sym_mulv(ctx, (int)fs.n, fs.v, err);
        out_fs:
            xvec_release(&fs);
            return r;
        }
        lm_snum c;
        if (lm_snum_of(a->args[0], &c) && lm_snum_sign(c) > 0) {
            /* (4*x)^(1/2) = 2*x^(1/2): a positive coefficient comes out */
            lm_expr *rest = a->nargs == 2 ? lm_expr_retain(a->args[1])
                                          : lm_sym_raw(ctx, LM_X_MUL, a->nargs - 1, a->args + 1, err);
            if (!rest) return NULL;
            lm_expr *cp = pow_num(ctx, a->args[0], b, c, sb, err);
            lm_expr *rp = cp ? lm_sym_pow(ctx, rest, b, err) : NULL;
            lm_expr_release(rest);
            return mul_take(ctx, cp, rp, err);
        }
    }
    return pow2(ctx, a, b, err);
}

/* ---- consuming variants (STYLE.md's _take): each releases its operands,
 * which may be NULL (an earlier step failed: the result is then NULL too) ---- */

lm_expr *lm_sym_mul_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *r = a && b ? lm_sym_mul(ctx, a, b, err) : NULL;
    lm_expr_release(a);
    lm_expr_release(b);
    return r;
}

lm_expr *lm_sym_add_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *r = a && b ? lm_sym_add(ctx, a, b, err) : NULL;
    lm_expr_release(a);
    lm_expr_release(b);
    return r;
}

lm_expr *lm_sym_pow_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err) {
    lm_expr *r = a && b ? lm_sym_pow(ctx, a, b, err) : NULL;
    lm_expr_release(a);
    lm_expr_release(b);
    return r;
}
