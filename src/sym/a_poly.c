/* Polynomials in one variable for factor, cancel and solve: coefficient
 * extraction from expressions (the variable may be any node: x, exp(x), sin(x)),
 * exact arithmetic over the rationals on int64 (an overflow makes the operation
 * give up, never return a wrong exact answer), gcd, square-free decomposition
 * and rational roots by the rational root theorem. */
#include "sym_int.h"

#include <math.h>
#include <string.h>

/* ---- coefficients as expressions ---- */

/* The power of x in one factor: 1 for x itself, n for x^n with a whole n >= 0,
 * 0 when the factor is free of x, -1 when it is not polynomial in x. */
static int64_t factor_degree(const lm_expr *f, const lm_expr *x) {
    if (f == x) return 1;
    if (f->op == LM_X_POW && f->args[0] == x) {
        const lm_expr *n = f->args[1];
        if (lm_sym_is_int(n) && n->u.rat.p > 0) return n->u.rat.p;
        return -1;
    }
    return lm_sym_free_of(f, x) ? 0 : -1;
}

void lm_sym_coeffs_free(lm_expr **c, int deg) {
    if (!c) return;
    for (int i = 0; i <= deg; i++) lm_expr_release(c[i]);
    lm_free(c);
}

int lm_sym_coeffs(lm_ctx *ctx, lm_expr *e, const lm_expr *x, int maxdeg, bool expand, lm_expr ***out, int *deg,
                  lm_err *err) {
    *out = NULL;
    *deg = -1;
    lm_expr *ex = expand ? lm_sym_expand(ctx, e, err) : lm_expr_retain(e);
    if (!ex) return -1;
    int nt = ex->op == LM_X_ADD ? ex->nargs : 1;
    lm_expr *const *terms = ex->op == LM_X_ADD ? ex->args : &ex;
    int64_t *pw = lm_alloc((size_t)nt * sizeof *pw);
    int64_t top = 0;
    int rc = 1;
    for (int i = 0; i < nt && rc == 1; i++) {
        const lm_expr *t = terms[i];
        int nf = t->op == LM_X_MUL ? t->nargs : 1;
        lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &terms[i];
        int64_t k = 0;
        for (int j = 0; j < nf; j++) {
            int64_t d = factor_degree(fs[j], x);
            if (d < 0) {
                rc = 0;
                break;
            }
            k += d;
            if (k > maxdeg) {
                lm_err_set(err, LM_ERR_LIMIT, "the polynomial has degree %lld; at most %d is supported here", (long long)k,
                           maxdeg);
                rc = -1;
                break;
            }
        }
        pw[i] = k;
        if (k > top) top = k;
    }
    if (rc == 1) {
        /* group the terms by power, each coefficient the product of the other factors */
        lm_expr ***groups = lm_calloc((size_t)top + 1, sizeof *groups);
        int *gn = lm_calloc((size_t)top + 1, sizeof *gn);
        for (int i = 0; i < nt; i++) gn[pw[i]]++;
        for (int64_t k = 0; k <= top; k++) {
            groups[k] = lm_alloc(((size_t)gn[k] + 1) * sizeof **groups);
            gn[k] = 0; /* refilled below */
        }
        for (int i = 0; i < nt && rc == 1; i++) {
            const lm_expr *t = terms[i];
            int nf = t->op == LM_X_MUL ? t->nargs : 1;
            lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &terms[i];
            lm_expr **keep = lm_alloc((size_t)nf * sizeof *keep);
            int nk = 0;
            for (int j = 0; j < nf; j++)
                if (factor_degree(fs[j], x) == 0) keep[nk++] = fs[j];
            lm_expr *c = lm_sym_mulv(ctx, nk, keep, err);
            lm_free(keep);
            if (!c) rc = -1;
            else groups[pw[i]][gn[pw[i]]++] = c;
        }
        lm_expr **co = lm_calloc((size_t)top + 1, sizeof *co);
        for (int64_t k = 0; k <= top; k++) {
            if (rc == 1 && !(co[k] = lm_sym_addv(ctx, gn[k], groups[k], err))) rc = -1;
            for (int j = 0; j < gn[k]; j++) lm_expr_release(groups[k][j]);
            lm_free(groups[k]);
        }
        lm_free(groups);
        lm_free(gn);
        int d = (int)top;
        /* without expanding first, a coefficient may cancel to 0 at the top */
        while (rc == 1 && d > 0 && lm_sym_is_rat(co[d], 0, 1)) lm_expr_release(co[d--]);
        if (rc == 1) {
            *out = co;
            *deg = d;
        } else {
            for (int64_t k = 0; k <= top; k++) lm_expr_release(co[k]);
            lm_free(co);
        }
    }
    lm_free(pw);
    lm_expr_release(ex);
    return rc;
}

/* ---- exact polynomials over Q ---- */

void lm_qpoly_free(lm_qpoly *p) {
    lm_free(p->c);
    p->c = NULL;
    p->deg = -1;
}

static lm_qpoly qp_alloc(int deg) {
    lm_qpoly p = {deg, lm_alloc(((size_t)(deg < 0 ? 0 : deg) + 1) * sizeof(lm_snum))};
    for (int i = 0; i <= deg; i++) p.c[i] = lm_snum_int(0);
    return p;
}

static void qp_trim(lm_qpoly *p) {
    while (p->deg >= 0 && lm_snum_is_zero(p->c[p->deg])) p->deg--;
}

lm_qpoly lm_qpoly_copy(const lm_qpoly *a) {
    lm_qpoly r = qp_alloc(a->deg);
    for (int i = 0; i <= a->deg; i++) r.c[i] = a->c[i];
    return r;
}

int lm_qpoly_from(lm_ctx *ctx, lm_expr *e, const lm_expr *x, int maxdeg, lm_qpoly *out, lm_err *err) {
    lm_expr **c;
    int deg;
    out->deg = -1;
    out->c = NULL;
    int rc = lm_sym_coeffs(ctx, e, x, maxdeg, true, &c, &deg, err);
    if (rc != 1) return rc;
    lm_qpoly p = qp_alloc(deg);
    for (int i = 0; i <= deg && rc == 1; i++) {
        if (c[i]->op != LM_X_RAT) rc = 0; /* a symbol or a float in a coefficient */
        else lm_snum_of(c[i], &p.c[i]);
    }
    lm_sym_coeffs_free(c, deg);
    if (rc != 1) {
        lm_qpoly_free(&p);
        return rc;
    }
    qp_trim(&p);
    *out = p;
    return 1;
}

lm_expr *lm_qpoly_expr(lm_ctx *ctx, const lm_qpoly *p, const lm_expr *x, lm_err *err) {
    if (p->deg < 0) return lm_sym_int(ctx, 0);
    lm_expr **t = lm_alloc(((size_t)p->deg + 1) * sizeof *t);
    int n = 0;
    lm_expr *r = NULL;
    for (int i = 0; i <= p->deg; i++) {
        if (lm_snum_is_zero(p->c[i])) continue;
        lm_expr *c = lm_sym_snum(ctx, p->c[i]), *k = lm_sym_int(ctx, i);
        lm_expr *xp = lm_sym_pow(ctx, (lm_expr *)x, k, err);
        t[n] = xp ? lm_sym_mul(ctx, c, xp, err) : NULL;
        lm_expr_release(c);
        lm_expr_release(k);
        lm_expr_release(xp);
        if (!t[n]) goto out;
        n++;
    }
    r = lm_sym_addv(ctx, n, t, err);
out:
    for (int i = 0; i < n; i++) lm_expr_release(t[i]);
    lm_free(t);
    return r;
}

/* r = a - c*x^k*b, in place on a; false on overflow. */
static bool qp_submul(lm_qpoly *a, lm_snum c, int k, const lm_qpoly *b) {
    for (int i = 0; i <= b->deg; i++) {
        lm_snum t = lm_snum_add(a->c[i + k], lm_snum_neg(lm_snum_mul(c, b->c[i])));
        if (t.isf) return false;
        a->c[i + k] = t;
    }
    return true;
}

bool lm_qpoly_divmod(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *q, lm_qpoly *r) {
    if (b->deg < 0) return false;
    lm_qpoly rem = lm_qpoly_copy(a);
    lm_qpoly quo = qp_alloc(a->deg - b->deg >= 0 ? a->deg - b->deg : -1);
    lm_snum inv = lm_snum_powi(b->c[b->deg], -1);
    bool ok = !inv.isf;
    while (ok && rem.deg >= b->deg) {
        int k = rem.deg - b->deg;
        lm_snum c = lm_snum_mul(rem.c[rem.deg], inv);
        if (c.isf || !qp_submul(&rem, c, k, b)) ok = false;
        else {
            quo.c[k] = c;
            rem.c[rem.deg] = lm_snum_int(0); /* exactly cancelled */
            qp_trim(&rem);
        }
    }
    if (!ok) {
        lm_qpoly_free(&rem);
        lm_qpoly_free(&quo);
        return false;
    }
    qp_trim(&quo);
    if (q) *q = quo;
    else lm_qpoly_free(&quo);
    if (r) *r = rem;
    else lm_qpoly_free(&rem);
    return true;
}

bool lm_qpoly_mul(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *out) {
    if (a->deg < 0 || b->deg < 0) {
        *out = qp_alloc(-1);
        return true;
    }
    lm_qpoly r = qp_alloc(a->deg + b->deg);
    for (int i = 0; i <= a->deg; i++)
        for (int j = 0; j <= b->deg; j++) {
            r.c[i + j] = lm_snum_add(r.c[i + j], lm_snum_mul(a->c[i], b->c[j]));
            if (r.c[i + j].isf) {
                lm_qpoly_free(&r);
                return false;
            }
        }
    *out = r;
    return true;
}

lm_qpoly lm_qpoly_deriv(const lm_qpoly *a) {
    lm_qpoly r = qp_alloc(a->deg - 1 >= 0 ? a->deg - 1 : -1);
    for (int i = 1; i <= a->deg; i++) r.c[i - 1] = lm_snum_mul(a->c[i], lm_snum_int(i));
    qp_trim(&r);
    return r;
}

/* Scales a (nonzero) to integer coefficients with gcd 1 and a positive leading
 * coefficient; *content receives a / primitive. False on overflow. */
bool lm_qpoly_primitive(lm_qpoly *a, lm_snum *content) {
    if (a->deg < 0) {
        *content = lm_snum_int(0);
        return true;
    }
    uint64_t g = 0, l = 1;
    for (int i = 0; i <= a->deg; i++) {
        if (a->c[i].isf) return false;
        if (a->c[i].p == 0) continue;
        g = lm_snum_ugcd(g, (uint64_t)(a->c[i].p < 0 ? -a->c[i].p : a->c[i].p));
        uint64_t q = (uint64_t)a->c[i].q, nl;
        if (__builtin_mul_overflow(l / lm_snum_ugcd(l, q), q, &nl) || nl > (uint64_t)INT64_MAX) return false;
        l = nl;
    }
    lm_snum k = lm_snum_rat((a->c[a->deg].p < 0 ? -1 : 1) * (int64_t)l, (int64_t)g); /* multiply by this */
    if (k.isf) return false;
    for (int i = 0; i <= a->deg; i++) {
        lm_snum t = lm_snum_mul(a->c[i], k);
        if (t.isf) return false;
        a->c[i] = t;
    }
    *content = lm_snum_powi(k, -1);
    return !content->isf;
}

/* Monic gcd by the primitive remainder sequence (remainders kept primitive so
 * that the int64 numbers stay small). False when a number overflows. */
bool lm_qpoly_gcd(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *g) {
    lm_qpoly u = lm_qpoly_copy(a), v = lm_qpoly_copy(b);
    lm_snum junk;
    bool ok = true;
    if (u.deg >= 0) ok = lm_qpoly_primitive(&u, &junk);
    if (ok && v.deg >= 0) ok = lm_qpoly_primitive(&v, &junk);
    while (ok && v.deg >= 0) {
        lm_qpoly r;
        if (!lm_qpoly_divmod(&u, &v, NULL, &r)) {
            ok = false;
            break;
        }
        if (r.deg >= 0 && !lm_qpoly_primitive(&r, &junk)) {
            lm_qpoly_free(&r);
            ok = false;
            break;
        }
        lm_qpoly_free(&u);
        u = v;
        v = r;
    }
    lm_qpoly_free(&v);
    if (!ok) {
        lm_qpoly_free(&u);
        return false;
    }
    if (u.deg >= 0) { /* monic */
        lm_snum inv = lm_snum_powi(u.c[u.deg], -1);
        for (int i = 0; i <= u.deg; i++) u.c[i] = lm_snum_mul(u.c[i], inv);
        for (int i = 0; i <= u.deg; i++)
            if (u.c[i].isf) {
                lm_qpoly_free(&u);
                return false;
            }
    }
    *g = u;
    return true;
}

double lm_qpoly_eval(const lm_qpoly *p, double x) {
    double r = 0;
    for (int i = p->deg; i >= 0; i--) r = r * x + lm_snum_double(p->c[i]);
    return r;
}

/* ---- rational roots ---- */

/* Trial division up to this bound finds the divisors of the int64 coefficients;
 * a cofactor left above it is taken as prime (a product of two primes above 2
 * million would be missed, and its roots then come out numerically). */
#define DIVISOR_TRIAL_MAX 2000000u
#define DIVISORS_MAX 4096
#define CANDIDATES_MAX 2000000

/* The positive divisors of n > 0 into d (at most DIVISORS_MAX); the count, or -1
 * when there are more. */
static int divisors(uint64_t n, uint64_t *d) {
    uint64_t pr[64];
    int ex[64], np = 0;
    for (uint64_t f = 2; f <= DIVISOR_TRIAL_MAX && f * f <= n; f += (f == 2 ? 1 : 2)) {
        if (n % f) continue;
        pr[np] = f;
        ex[np] = 0;
        while (n % f == 0) {
            n /= f;
            ex[np]++;
        }
        np++;
    }
    if (n > 1) {
        pr[np] = n;
        ex[np++] = 1;
    }
    int nd = 1;
    d[0] = 1;
    for (int i = 0; i < np; i++) {
        int base = nd;
        uint64_t m = 1;
        for (int k = 1; k <= ex[i]; k++) {
            m *= pr[i];
            if (nd + base > DIVISORS_MAX) return -1;
            for (int j = 0; j < base; j++) d[nd++] = d[j] * m;
        }
    }
    return nd;
}

/* Divides the integer polynomial a (degree n >= 1) by (q x - p) when that is
 * exact, the quotient into out; false when q x - p does not divide it (or a
 * number overflows, which then counts as not dividing). */
static bool divide_linear(const lm_qpoly *a, int64_t p, int64_t q, lm_qpoly *out) {
    int n = a->deg;
    lm_qpoly r = qp_alloc(n - 1);
    /* a_i = q*r_{i-1} - p*r_i from the top: r_{i-1} = (a_i + p*r_i) / q */
    int64_t ri = 0;
    for (int i = n; i >= 1; i--) {
        int64_t t;
        if (a->c[i].q != 1 || __builtin_mul_overflow(p, ri, &t) || __builtin_add_overflow(a->c[i].p, t, &t) || t % q) {
            lm_qpoly_free(&r);
            return false;
        }
        ri = t / q;
        r.c[i - 1] = lm_snum_int(ri);
    }
    int64_t t;
    if (a->c[0].q != 1 || __builtin_mul_overflow(p, ri, &t) || a->c[0].p != -t) {
        lm_qpoly_free(&r);
        return false;
    }
    *out = r;
    return true;
}

int lm_qpoly_rational_roots(lm_qpoly *a, lm_snum *roots, int *mult, int maxroots) {
    /* a: primitive, integer coefficients, a(0) != 0 unless deg 0. Deflated in place. */
    int nr = 0;
    if (a->deg < 1) return 0;
    uint64_t *dn = lm_alloc(DIVISORS_MAX * sizeof *dn), *dd = lm_alloc(DIVISORS_MAX * sizeof *dd);
    uint64_t a0 = (uint64_t)(a->c[0].p < 0 ? -a->c[0].p : a->c[0].p);
    uint64_t an = (uint64_t)(a->c[a->deg].p < 0 ? -a->c[a->deg].p : a->c[a->deg].p);
    int nn = a0 ? divisors(a0, dn) : -1, nd = divisors(an, dd);
    if (nn < 0 || nd < 0) goto out;
    /* Cauchy's bound: every root has |r| <= 1 + max |a_i / a_n| */
    double bound = 0;
    for (int i = 0; i < a->deg; i++) bound = fmax(bound, fabs(lm_snum_double(a->c[i]) / lm_snum_double(a->c[a->deg])));
    bound += 1;
    long tried = 0;
    for (int j = 0; j < nd && a->deg >= 1; j++) {
        for (int i = 0; i < nn && a->deg >= 1; i++) {
            if (lm_snum_ugcd(dn[i], dd[j]) != 1) continue; /* each fraction once, in lowest terms */
            if ((double)dn[i] / (double)dd[j] > bound) continue;
            for (int s = -1; s <= 1 && a->deg >= 1; s += 2) {
                if (++tried > CANDIDATES_MAX) goto out;
                double r = s * (double)dn[i] / (double)dd[j];
                /* a double evaluation rejects most candidates cheaply and never a true root */
                double v = 0, mag = 0;
                for (int k = a->deg; k >= 0; k--) {
                    double ck = lm_snum_double(a->c[k]);
                    v = v * r + ck;
                    mag = mag * fabs(r) + fabs(ck);
                }
                if (fabs(v) > 1e-9 * mag) continue;
                int m = 0;
                lm_qpoly qt;
                while (a->deg >= 1 && divide_linear(a, s * (int64_t)dn[i], (int64_t)dd[j], &qt)) {
                    lm_qpoly_free(a);
                    *a = qt;
                    m++;
                }
                if (m > 0 && nr < maxroots) {
                    roots[nr] = lm_snum_rat(s * (int64_t)dn[i], (int64_t)dd[j]);
                    mult[nr++] = m;
                }
            }
        }
    }
out:
    lm_free(dn);
    lm_free(dd);
    return nr;
}

/* ---- square-free decomposition (Yun) ---- */

int lm_qpoly_squarefree(const lm_qpoly *f, lm_qpoly *parts, int maxparts) {
    /* f = prod parts[i]^(i+1), each part monic and square-free (parts may be 1).
     * Returns the number of parts, or -1 on overflow. */
    if (f->deg < 1) return 0;
    lm_qpoly fp = lm_qpoly_deriv(f), a0, b, c, d;
    if (!lm_qpoly_gcd(f, &fp, &a0)) {
        lm_qpoly_free(&fp);
        return -1;
    }
    int n = 0;
    bool ok = lm_qpoly_divmod(f, &a0, &b, NULL);
    if (ok) ok = lm_qpoly_divmod(&fp, &a0, &c, NULL);
    if (!ok) {
        lm_qpoly_free(&fp);
        lm_qpoly_free(&a0);
        return -1;
    }
    lm_qpoly_free(&fp);
    lm_qpoly_free(&a0);
    /* d = c - b' ; loop while b != 1 */
    for (;;) {
        lm_qpoly bp = lm_qpoly_deriv(&b);
        d = lm_qpoly_copy(&c);
        int top = d.deg > bp.deg ? d.deg : bp.deg;
        if (top > d.deg) {
            lm_qpoly t = qp_alloc(top);
            for (int i = 0; i <= d.deg; i++) t.c[i] = d.c[i];
            lm_qpoly_free(&d);
            d = t;
        }
        for (int i = 0; i <= bp.deg && ok; i++) {
            d.c[i] = lm_snum_add(d.c[i], lm_snum_neg(bp.c[i]));
            if (d.c[i].isf) ok = false;
        }
        lm_qpoly_free(&bp);
        qp_trim(&d);
        if (!ok || b.deg < 1) break;
        lm_qpoly a;
        if (!lm_qpoly_gcd(&b, &d, &a)) {
            ok = false;
            break;
        }
        if (n >= maxparts) {
            lm_qpoly_free(&a);
            ok = false;
            break;
        }
        parts[n++] = a;
        lm_qpoly nb = {-1, NULL}, nc = {-1, NULL};
        ok = lm_qpoly_divmod(&b, &a, &nb, NULL) && lm_qpoly_divmod(&d, &a, &nc, NULL);
        if (!ok) lm_qpoly_free(&nb);
        lm_qpoly_free(&b);
        lm_qpoly_free(&c);
        lm_qpoly_free(&d);
        if (!ok) {
            b.c = c.c = NULL;
            b.deg = c.deg = -1;
            d.c = NULL;
            break;
        }
        b = nb;
        c = nc;
    }
    lm_qpoly_free(&b);
    lm_qpoly_free(&c);
    lm_qpoly_free(&d);
    if (!ok) {
        for (int i = 0; i < n; i++) lm_qpoly_free(&parts[i]);
        return -1;
    }
    return n;
}
