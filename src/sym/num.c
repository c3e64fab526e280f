/* Numbers inside symbolic expressions: exact int64 rationals that turn into
 * doubles when a result does not fit (never a silently wrong exact value), and
 * the integer power and root helpers the canonical constructors fold with. */
#include "sym_int.h"

#include <math.h>

/* Exact comparison of p1*q2 with p2*q1 needs 128 bits; GCC and Clang have them
 * on every 64-bit target lemma builds for. */
__extension__ typedef __int128 lm_i128;

uint64_t lm_snum_ugcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* |x| without the overflow of -INT64_MIN. */
static uint64_t uabs64(int64_t x) { return x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x; }

lm_snum lm_snum_float(double x) {
    lm_snum r = {true, 0, 1, 0.0};
    if (isnan(x)) x = NAN; /* one NaN, so hash-consing sees one value */
    else if (x == 0) x = 0.0; /* -0 and 0 are one node */
    r.f = x;
    return r;
}

/* (-1)^neg * up/uq reduced; a double when a part does not fit below INT64_MAX
 * (INT64_MIN is excluded so that negation is always safe). */
static lm_snum rat_from(bool neg, uint64_t up, uint64_t uq) {
    uint64_t g = lm_snum_ugcd(up, uq);
    if (g > 1) {
        up /= g;
        uq /= g;
    }
    if (up > (uint64_t)INT64_MAX || uq > (uint64_t)INT64_MAX)
        return lm_snum_float((neg ? -1.0 : 1.0) * ((double)up / (double)uq));
    lm_snum r = {false, (int64_t)up, (int64_t)uq, 0.0};
    if (neg) r.p = -r.p;
    return r;
}

lm_snum lm_snum_rat(int64_t p, int64_t q) {
    if (q == 0) return lm_snum_float(p > 0 ? INFINITY : p < 0 ? -INFINITY : NAN);
    return rat_from(p != 0 && ((p < 0) != (q < 0)), uabs64(p), uabs64(q));
}

lm_snum lm_snum_int(int64_t n) { return lm_snum_rat(n, 1); }

double lm_snum_double(lm_snum a) { return a.isf ? a.f : (double)a.p / (double)a.q; }

lm_snum lm_snum_add(lm_snum a, lm_snum b) {
    if (a.isf || b.isf) return lm_snum_float(lm_snum_double(a) + lm_snum_double(b));
    /* p1/q1 + p2/q2 over lcm(q1, q2) keeps intermediates small */
    int64_t g = (int64_t)lm_snum_ugcd((uint64_t)a.q, (uint64_t)b.q);
    int64_t t1, t2, n, d;
    if (__builtin_mul_overflow(a.p, b.q / g, &t1) || __builtin_mul_overflow(b.p, a.q / g, &t2) ||
        __builtin_add_overflow(t1, t2, &n) || __builtin_mul_overflow(a.q, b.q / g, &d))
        return lm_snum_float(lm_snum_double(a) + lm_snum_double(b));
    return lm_snum_rat(n, d);
}

lm_snum lm_snum_mul(lm_snum a, lm_snum b) {
    if (a.isf || b.isf) return lm_snum_float(lm_snum_double(a) * lm_snum_double(b));
    if (a.p == 0 || b.p == 0) return lm_snum_int(0);
    /* cross-cancel first so that the products are already reduced */
    int64_t g1 = (int64_t)lm_snum_ugcd(uabs64(a.p), (uint64_t)b.q);
    int64_t g2 = (int64_t)lm_snum_ugcd(uabs64(b.p), (uint64_t)a.q);
    int64_t n, d;
    if (__builtin_mul_overflow(a.p / g1, b.p / g2, &n) || __builtin_mul_overflow(a.q / g2, b.q / g1, &d))
        return lm_snum_float(lm_snum_double(a) * lm_snum_double(b));
    return lm_snum_rat(n, d);
}

lm_snum lm_snum_neg(lm_snum a) {
    if (a.isf) return lm_snum_float(-a.f);
    a.p = -a.p; /* p != INT64_MIN by construction */
    return a;
}

bool lm_snum_upow(uint64_t b, uint64_t e, uint64_t *out) {
    if (b <= 1) {
        *out = e == 0 ? 1 : b;
        return true;
    }
    /* square-and-multiply: at most 64 rounds before b*b overflows */
    uint64_t r = 1;
    for (;;) {
        if ((e & 1) && __builtin_mul_overflow(r, b, &r)) return false;
        e >>= 1;
        if (!e) break;
        if (__builtin_mul_overflow(b, b, &b)) return false;
    }
    *out = r;
    return true;
}

lm_snum lm_snum_powi(lm_snum a, int64_t n) {
    if (a.isf) return lm_snum_float(pow(a.f, (double)n));
    if (n == 0) return lm_snum_int(1);
    if (a.p == 0) return n > 0 ? lm_snum_int(0) : lm_snum_float(INFINITY);
    uint64_t e = uabs64(n);
    bool neg = a.p < 0 && (e & 1);
    uint64_t bp = uabs64(a.p), bq = (uint64_t)a.q;
    if (n < 0) {
        uint64_t t = bp;
        bp = bq;
        bq = t;
    }
    uint64_t rp, rq;
    if (!lm_snum_upow(bp, e, &rp) || !lm_snum_upow(bq, e, &rq))
        return lm_snum_float(pow(lm_snum_double(a), (double)n)); /* 3^100000 is inf */
    return rat_from(neg, rp, rq);
}

bool lm_snum_iroot(uint64_t x, uint64_t n, uint64_t *r) {
    if (x <= 1) {
        *r = x;
        return true;
    }
    if (n >= 64) return false; /* 2^n > x: no integer root above 1 */
    /* the double estimate is within one of the true root for 64-bit x */
    double est = pow((double)x, 1.0 / (double)n);
    uint64_t c = (uint64_t)llround(est);
    for (uint64_t k = c > 1 ? c - 1 : 1; k <= c + 1; k++) {
        uint64_t v;
        if (lm_snum_upow(k, n, &v) && v == x) {
            *r = k;
            return true;
        }
    }
    return false;
}

int lm_snum_cmp(lm_snum a, lm_snum b) {
    if (!a.isf && !b.isf) {
        lm_i128 l = (lm_i128)a.p * b.q, r = (lm_i128)b.p * a.q;
        return (l > r) - (l < r);
    }
    /* by double value (NaN last), then exact before float, then exact value:
     * rounding to double is monotone, so this is one total order */
    double x = lm_snum_double(a), y = lm_snum_double(b);
    bool nx = isnan(x), ny = isnan(y);
    if (nx || ny) return (int)nx - (int)ny;
    if (x != y) return x < y ? -1 : 1;
    return (int)a.isf - (int)b.isf;
}

int lm_snum_sign(lm_snum a) {
    if (a.isf) return (a.f > 0) - (a.f < 0);
    return (a.p > 0) - (a.p < 0);
}

bool lm_snum_is(lm_snum a, int64_t n) { return !a.isf && a.q == 1 && a.p == n; }

bool lm_snum_is_zero(lm_snum a) { return a.isf ? a.f == 0 : a.p == 0; }

bool lm_snum_of(const lm_expr *e, lm_snum *out) {
    if (e->op == LM_X_RAT) {
        lm_snum r = {false, e->u.rat.p, e->u.rat.q, 0.0};
        *out = r;
        return true;
    }
    if (e->op == LM_X_FLOAT) {
        lm_snum r = {true, 0, 1, e->u.f};
        *out = r;
        return true;
    }
    return false;
}
