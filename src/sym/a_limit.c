/* limit(e, x, a): exact where the standard steps decide it (substitution where e
 * is defined, cancelling common factors, the limit laws, L'Hopital's rule on
 * 0/0 and inf/inf through lm_sym_diff, and exp(lim p*log(b)) for powers b^p as
 * in (1 + 1/n)^n), at a finite a or at +-inf (through x = 1/t). Without other
 * unknowns the one-sided limits are also estimated numerically (Richardson
 * extrapolation, as in Ridders' method): they decide the sign of an infinite
 * limit, show a two-sided limit that does not exist, and are the answer, clearly
 * labelled, when no exact step applies. */
#include "sym_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* L'Hopital rounds, and how much a quotient may grow while differentiating;
 * exact attempts in all (each part of a sum or product is one) before the
 * numeric estimate takes over. */
#define LHOPITAL_MAX 8
#define EXACT_BUDGET 400
#define LHOPITAL_GROWTH 40
/* Ridders' tableau: steps h0/2^k; a numeric limit is accepted within this
 * relative error estimate. */
#define RIDDERS_N 24
#define NUMERIC_TOL 1e-8

/* Values the other unknowns take when checking where e is defined: generic
 * enough that no cancellation happens there by accident. */
static double generic_value(int k) { return 0.5772156649015329 + 0.31415926 * k; }

typedef struct lim {
    lm_ctx *ctx;
    lm_err *err;
    const lm_expr *x;
    int nothers;
    const char **names; /* x, then the other symbols */
    double *vals;
    const char *method;
    int side; /* the approach: -1 from the left, 1 from the right, 0 both */
    int budget; /* exact attempts left: the limit laws recurse into every part */
} lim;

/* e at x = a (a number) with the other unknowns at generic values. */
static double eval_at(lim *L, const lm_expr *e, double a) {
    L->vals[0] = a;
    return lm_sym_eval(e, L->names, L->vals, L->nothers + 1);
}

/* The point as a number: itself, or for a symbolic point (limit at x = a) its
 * value with the other unknowns at their generic values. */
static double point_num(lim *L, const lm_expr *a) {
    if (lm_sym_is_number(a)) return lm_sym_to_double(a);
    return lm_sym_eval(a, L->names + 1, L->vals + 1, L->nothers);
}

static bool has_nonfinite(const lm_expr *e, int depth) {
    if (e->op == LM_X_FLOAT) return !isfinite(e->u.f);
    if (depth > LM_MAX_EXPR_DEPTH) return true;
    for (int i = 0; i < e->nargs; i++)
        if (has_nonfinite(e->args[i], depth + 1)) return true;
    return false;
}

static lm_expr *subs_x(lim *L, lm_expr *e, lm_expr *a, bool *dz) {
    const char *nm = L->x->u.name;
    return lm_sym_subs_dz(L->ctx, e, 1, &nm, &a, dz, L->err);
}

/* e where it is defined at a: the exact value, else NULL. */
static lm_expr *direct(lim *L, lm_expr *e, lm_expr *a) {
    double an = point_num(L, a);
    if (!isfinite(eval_at(L, e, an))) return NULL;
    bool dz = false;
    lm_expr *v = subs_x(L, e, a, &dz);
    if (v && (dz || has_nonfinite(v, 0))) {
        lm_expr_release(v);
        return NULL;
    }
    return v;
}

enum { V_ZERO, V_FINITE, V_INF, V_UNDEF };

static int classify(lim *L, lm_expr *e, lm_expr *a) {
    double w = eval_at(L, e, point_num(L, a));
    if (isnan(w)) return V_UNDEF;
    if (isinf(w)) return V_INF;
    if (w == 0) return V_ZERO; /* 1/log(x) at 0: exactly 0 in floating point too */
    bool dz = false;
    lm_expr *v = subs_x(L, e, a, &dz);
    int r = v && lm_sym_is_rat(v, 0, 1) ? V_ZERO : v && (dz || has_nonfinite(v, 0)) ? V_UNDEF : V_FINITE;
    lm_expr_release(v);
    return r;
}

static lm_expr *lim_exact(lim *L, lm_expr *e, lm_expr *a, int depth);

static lm_expr *fcall(lm_ctx *ctx, const char *fn, lm_expr *u, lm_err *err) { return lm_sym_call(ctx, fn, 1, &u, err); }

/* The limit of fn(u) when u tends to +-inf, for the functions that have one. */
static lm_expr *call_at_inf(lm_ctx *ctx, int fn, int sign) {
    switch (fn) {
    case LM_XF_EXP: return sign > 0 ? lm_sym_float(ctx, INFINITY) : lm_sym_int(ctx, 0);
    case LM_XF_LOG: return sign > 0 ? lm_sym_float(ctx, INFINITY) : NULL;
    case LM_XF_SQRT: return sign > 0 ? lm_sym_float(ctx, INFINITY) : NULL;
    case LM_XF_TANH: return lm_sym_int(ctx, sign);
    case LM_XF_SIGMOID: return lm_sym_int(ctx, sign > 0 ? 1 : 0);
    case LM_XF_SOFTPLUS:
    case LM_XF_RELU: return sign > 0 ? lm_sym_float(ctx, INFINITY) : lm_sym_int(ctx, 0);
    case LM_XF_ATAN: {
        lm_expr *h = lm_sym_rat(ctx, sign, 2), *pi = lm_sym_const(ctx, LM_XC_PI);
        lm_expr *r = lm_sym_mul(ctx, h, pi, NULL);
        lm_expr_release(h);
        lm_expr_release(pi);
        return r;
    }
    case LM_XF_SINH: return lm_sym_float(ctx, sign * INFINITY);
    case LM_XF_COSH: return lm_sym_float(ctx, INFINITY);
    default: return NULL;
    }
}

/* +1 for +inf, -1 for -inf, 0 otherwise */
static int inf_sign(const lm_expr *v) { return v->op == LM_X_FLOAT && isinf(v->u.f) ? (v->u.f > 0 ? 1 : -1) : 0; }

/* The sign of e just beside a on the side of the approach (both sides must
 * agree when both are asked): 1, -1, or 0 when unknown. */
static int sign_beside(lim *L, const lm_expr *e, lm_expr *a) {
    double an = point_num(L, a), h = 1e-7 * fmax(1.0, fabs(an));
    int s = 0;
    for (int side = -1; side <= 1; side += 2) {
        if (L->side && side != L->side) continue;
        double w = eval_at(L, e, an + side * h);
        int k = w > 0 ? 1 : w < 0 ? -1 : 0;
        if (k == 0 || (s && k != s)) return 0;
        s = k;
    }
    return s;
}

/* Functions whose values stay bounded whatever their argument: a factor that
 * tends to 0 times them tends to 0 (the squeeze theorem: x*sin(1/x) at 0). */
static bool bounded(const lm_expr *e) {
    if (e->op == LM_X_POW) return lm_sym_is_int(e->args[1]) && e->args[1]->u.rat.p > 0 && bounded(e->args[0]);
    if (e->op != LM_X_CALL || e->nargs != 1) return false;
    switch (e->sub) {
    case LM_XF_SIN:
    case LM_XF_COS:
    case LM_XF_TANH:
    case LM_XF_ATAN:
    case LM_XF_SIGMOID: return true;
    default: return false;
    }
}

/* L'Hopital's rule on N/D when both tend to 0 or both to infinity. */
static lm_expr *lhopital(lim *L, lm_expr *N, lm_expr *D, lm_expr *a, int depth) {
    /* a derivative too big to build only ends this line of attack */
    lm_err e2 = LM_ERR_INIT;
    lm_expr *dN = lm_sym_diff(L->ctx, N, (lm_expr *)L->x, &e2);
    lm_expr *dD = dN ? lm_sym_diff(L->ctx, D, (lm_expr *)L->x, &e2) : NULL;
    lm_err_clear(&e2);
    if (lm_ctx_poll(L->ctx, L->err) != LM_OK) {
        lm_expr_release(dN);
        lm_expr_release(dD);
        return NULL;
    }
    lm_expr *r = NULL;
    if (dD && !lm_sym_is_rat(dD, 0, 1)) {
        lm_expr *q = lm_sym_div(L->ctx, dN, dD, L->err);
        lm_expr *c = q ? lm_sym_cancel(L->ctx, q, L->err) : NULL;
        if (c && lm_sym_size(c) <= LHOPITAL_GROWTH * (lm_sym_size(N) + lm_sym_size(D))) {
            r = lim_exact(L, c, a, depth + 1);
            if (r) L->method = "L'Hopital's rule";
        }
        lm_expr_release(q);
        lm_expr_release(c);
    }
    lm_expr_release(dN);
    lm_expr_release(dD);
    return r;
}

/* Splits e (after together) into numerator and denominator factors. */
static void split_fraction(lim *L, lm_expr *t, lm_expr **N, lm_expr **D) {
    int nf = t->op == LM_X_MUL ? t->nargs : 1;
    lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &t;
    lm_expr **nu = lm_alloc((size_t)nf * sizeof *nu), **de = lm_alloc((size_t)nf * sizeof *de);
    int nn = 0, nd = 0;
    for (int i = 0; i < nf; i++) {
        const lm_expr *ex = lm_sym_exp(fs[i]);
        lm_snum k;
        if (ex && lm_snum_of(ex, &k) && lm_snum_sign(k) < 0) {
            lm_expr *kn = lm_sym_snum(L->ctx, lm_snum_neg(k));
            de[nd++] = lm_sym_pow(L->ctx, fs[i]->args[0], kn, L->err);
            lm_expr_release(kn);
        } else {
            nu[nn++] = lm_expr_retain(fs[i]);
        }
    }
    *N = lm_sym_mulv(L->ctx, nn, nu, L->err);
    *D = lm_sym_mulv(L->ctx, nd, de, L->err);
    for (int i = 0; i < nn; i++) lm_expr_release(nu[i]);
    for (int i = 0; i < nd; i++) lm_expr_release(de[i]);
    lm_free(nu);
    lm_free(de);
}

/* The exact limit at a (a number, or a symbolic point), or NULL when no exact
 * step decides it. An infinite limit is a float inf node with its sign. */
static lm_expr *lim_exact(lim *L, lm_expr *e, lm_expr *a, int depth) {
    if (depth > LHOPITAL_MAX || L->err->kind != LM_OK || --L->budget < 0) return NULL;
    if (lm_ctx_poll(L->ctx, L->err) != LM_OK) return NULL;
    if (lm_sym_free_of(e, L->x)) return lm_expr_retain(e);
    lm_expr *v = direct(L, e, a);
    if (v) {
        if (!L->method) L->method = "substitution";
        return v;
    }
    /* common factors: ((x + h)^2 - x^2)/h is 2*x + h */
    lm_expr *c = lm_sym_cancel(L->ctx, e, L->err);
    if (!c) return NULL;
    if (c != e && (v = direct(L, c, a))) {
        L->method = "cancelling common factors";
        lm_expr_release(c);
        return v;
    }
    lm_expr *r = NULL;
    /* b^p with p depending on x: exp(lim p*log(b)), as (1 + 1/n)^n = e */
    if (c->op == LM_X_POW && !lm_sym_free_of(c->args[1], L->x)) {
        lm_expr *lg = fcall(L->ctx, "log", c->args[0], L->err);
        lm_expr *pl = lg ? lm_sym_mul(L->ctx, c->args[1], lg, L->err) : NULL;
        lm_expr *in = pl ? lim_exact(L, pl, a, depth + 1) : NULL;
        if (in) {
            int s = inf_sign(in);
            r = s > 0 ? lm_sym_float(L->ctx, INFINITY) : s < 0 ? lm_sym_int(L->ctx, 0) : fcall(L->ctx, "exp", in, L->err);
            L->method = "exp of the limit of p*log(b)";
        }
        lm_expr_release(lg);
        lm_expr_release(pl);
        lm_expr_release(in);
        if (r) goto out;
    }
    /* a continuous function of something with a limit */
    if (c->op == LM_X_CALL && c->nargs == 1 && c->sub != LM_XF_UNKNOWN) {
        lm_expr *in = lim_exact(L, c->args[0], a, depth + 1);
        if (in) {
            int s = inf_sign(in);
            if (s) r = call_at_inf(L->ctx, c->sub, s);
            else {
                lm_expr *f = fcall(L->ctx, c->u.name, in, L->err);
                if (f && lm_sym_is_number(f) && isfinite(lm_sym_to_double(f))) r = lm_expr_retain(f);
                else if (f && !lm_sym_is_number(f)) r = lm_expr_retain(f); /* holds other unknowns */
                lm_expr_release(f);
            }
            lm_expr_release(in);
            if (r) goto out;
        }
    }
    /* squeeze: (something -> 0) * bounded */
    if (c->op == LM_X_MUL) {
        int nb = 0;
        lm_expr **rest = lm_alloc((size_t)c->nargs * sizeof *rest);
        int nr = 0;
        for (int i = 0; i < c->nargs; i++) {
            if (bounded(c->args[i])) nb++;
            else rest[nr++] = c->args[i];
        }
        if (nb > 0 && nr > 0) {
            lm_expr *z = lm_sym_mulv(L->ctx, nr, rest, L->err);
            lm_expr *zl = z ? lim_exact(L, z, a, depth + 1) : NULL;
            if (zl && lm_sym_is_rat(zl, 0, 1)) {
                r = lm_sym_int(L->ctx, 0);
                L->method = "the squeeze theorem (0 times a bounded function)";
            }
            lm_expr_release(z);
            lm_expr_release(zl);
        }
        lm_free(rest);
        if (r) goto out;
    }
    /* the limit laws for sums and products of parts that each have a finite limit */
    if (c->op == LM_X_ADD || c->op == LM_X_MUL) {
        lm_expr **parts = lm_alloc((size_t)c->nargs * sizeof *parts);
        int got = 0;
        bool fin = true;
        for (; got < c->nargs && fin; got++) {
            parts[got] = lim_exact(L, c->args[got], a, depth + 1);
            if (!parts[got] || has_nonfinite(parts[got], 0)) fin = false;
            if (!parts[got]) break;
        }
        if (fin && got == c->nargs) r = lm_sym_rebuild(L->ctx, c, parts, L->err);
        for (int i = 0; i < got && i < c->nargs; i++) lm_expr_release(parts[i]);
        lm_free(parts);
        if (r) goto out;
    }
    /* 0/0 and inf/inf: L'Hopital; 0*inf is written as 0/(1/inf) first */
    {
        lm_expr *t = lm_sym_together(L->ctx, c, L->err), *N = NULL, *D = NULL;
        if (t) split_fraction(L, t, &N, &D);
        if (N && D && lm_sym_is_rat(D, 1, 1) && N->op == LM_X_MUL) {
            /* 0*inf: one kind of factor moves to the denominator as its reciprocal;
             * the blowing-up factors on top first (log(x)/(1/x) differentiates to
             * something simpler than x/(1/log(x))), then the other way */
            lm_expr **z = lm_alloc((size_t)N->nargs * sizeof *z), **b = lm_alloc((size_t)N->nargs * sizeof *b);
            int nz = 0, nb = 0;
            for (int i = 0; i < N->nargs; i++) {
                int k = classify(L, N->args[i], a);
                if (k == V_INF || k == V_UNDEF) b[nb++] = N->args[i];
                else if (k == V_ZERO) z[nz++] = N->args[i];
            }
            if (nb > 0 && nz > 0) {
                for (int order = 0; order < 2 && !r && L->err->kind == LM_OK; order++) {
                    lm_expr **top = lm_alloc((size_t)N->nargs * sizeof *top), **bot = lm_alloc((size_t)N->nargs * sizeof *bot);
                    int nt = 0, nbo = 0;
                    lm_expr *m1 = lm_sym_int(L->ctx, -1);
                    for (int i = 0; i < N->nargs; i++) {
                        bool isz = false, isb = false;
                        for (int j = 0; j < nz; j++) isz = isz || z[j] == N->args[i];
                        for (int j = 0; j < nb; j++) isb = isb || b[j] == N->args[i];
                        bool down = order == 0 ? isz : isb;
                        if (down) bot[nbo++] = lm_sym_pow(L->ctx, N->args[i], m1, L->err);
                        else top[nt++] = lm_expr_retain(N->args[i]);
                    }
                    lm_expr *N2 = lm_sym_mulv(L->ctx, nt, top, L->err), *D2 = lm_sym_mulv(L->ctx, nbo, bot, L->err);
                    if (N2 && D2) r = lhopital(L, N2, D2, a, depth);
                    for (int i = 0; i < nt; i++) lm_expr_release(top[i]);
                    for (int i = 0; i < nbo; i++) lm_expr_release(bot[i]);
                    lm_free(top);
                    lm_free(bot);
                    lm_expr_release(m1);
                    lm_expr_release(N2);
                    lm_expr_release(D2);
                }
            }
            lm_free(z);
            lm_free(b);
        }
        if (!r && N && D && !lm_sym_free_of(D, L->x)) {
            int kn = classify(L, N, a), kd = classify(L, D, a);
            if ((kn == V_ZERO && kd == V_ZERO) || (kn == V_INF && kd == V_INF)) r = lhopital(L, N, D, a, depth);
            else if ((kn == V_ZERO || kn == V_FINITE) && kd == V_INF) {
                /* a bounded numerator over a denominator that blows up: 0, if the
                 * numerator really stays finite beside a */
                double w1 = eval_at(L, N, point_num(L, a) + 1e-9), w2 = eval_at(L, N, point_num(L, a) - 1e-9);
                if (isfinite(w1) || isfinite(w2)) {
                    r = lm_sym_int(L->ctx, 0);
                    L->method = "a finite number over one that grows without bound";
                }
            } else if ((kn == V_FINITE || kn == V_INF) && kd == V_ZERO && L->nothers == 0) {
                /* c/0 with c != 0: infinite, with the sign of N/D beside a */
                int sg = sign_beside(L, c, a);
                if (sg) {
                    r = lm_sym_float(L->ctx, sg * INFINITY);
                    L->method = "a nonzero number over one that tends to 0";
                }
            }
        }
        lm_expr_release(t);
        lm_expr_release(N);
        lm_expr_release(D);
    }
out:
    lm_expr_release(c);
    return r;
}

/* ---- numeric one-sided limits ---- */

enum { SIDE_UNKNOWN, SIDE_VALUE, SIDE_INF, SIDE_UNDEF };

/* f(a + s*h) as h -> 0+: Richardson extrapolation in h over a tableau of
 * halving steps, keeping the entry with the smallest error estimate (Ridders);
 * infinite when |f| grows steadily without its increments shrinking. (A limit
 * at infinity arrives here as t -> 0+ after x = 1/t.) */
static int side_limit(lm_xprog *p, double a, int s, double *val) {
    double h0 = fmax(fabs(a), 1.0) / 16;
    double T[RIDDERS_N][RIDDERS_N];
    double best = NAN, err = INFINITY;
    double raw[64];
    int nraw = 0, nnan = 0;
    for (int k = 0; k < 64; k++) {
        double h = ldexp(h0, -k);
        double x = a + s * h;
        if (x == a) break; /* below the resolution of a */
        raw[nraw++] = lm_xprog_run(p, &x);
        if (isnan(raw[nraw - 1])) nnan++;
    }
    if (nraw == 0 || nnan == nraw) return SIDE_UNDEF;
    for (int i = 0; i < RIDDERS_N && i < nraw; i++) {
        T[0][i] = raw[i];
        double fac = 2;
        for (int j = 1; j <= i; j++) {
            T[j][i] = (T[j - 1][i] * fac - T[j - 1][i - 1]) / (fac - 1);
            fac *= 2;
            double e1 = fmax(fabs(T[j][i] - T[j - 1][i]), fabs(T[j][i] - T[j - 1][i - 1]));
            if (e1 <= err) {
                err = e1;
                best = T[j][i];
            }
        }
        if (i > 0 && fabs(T[i][i] - T[i - 1][i - 1]) >= 2 * err) break;
    }
    if (isfinite(best) && err <= NUMERIC_TOL * fmax(1.0, fabs(best))) {
        *val = fabs(best) <= 2 * err ? 0.0 : best; /* indistinguishable from 0 */
        return SIDE_VALUE;
    }
    /* the last raw values agree: a limit reached exactly (a constant near a) */
    if (nraw >= 8 && isfinite(raw[nraw - 1]) && fabs(raw[nraw - 1] - raw[nraw - 8]) <= 1e-12 * fmax(1.0, fabs(raw[nraw - 1]))) {
        *val = raw[nraw - 1];
        return SIDE_VALUE;
    }
    /* steady growth: monotone in |f| with one sign over the last 12 values, and
     * increments not shrinking as a convergent sequence's would */
    if (nraw >= 16) {
        int lo = nraw - 12;
        bool mono = true;
        for (int i = lo + 1; i < nraw && mono; i++)
            mono = isfinite(raw[i]) ? (fabs(raw[i]) > fabs(raw[i - 1]) && (raw[i] > 0) == (raw[lo] > 0)) : isinf(raw[i]);
        double d0 = fabs(raw[lo + 1]) - fabs(raw[lo]), d1 = fabs(raw[nraw - 1]) - fabs(raw[nraw - 2]);
        if (mono && (isinf(raw[nraw - 1]) || d1 >= 0.5 * d0)) {
            *val = raw[nraw - 1] > 0 ? INFINITY : -INFINITY;
            return SIDE_INF;
        }
    }
    return SIDE_UNKNOWN;
}

static void side_text(int st, double v, char *out, size_t n) {
    if (st == SIDE_VALUE || st == SIDE_INF) snprintf(out, n, "%.10g", v);
    else snprintf(out, n, st == SIDE_UNDEF ? "undefined" : "not settling");
}

void lm_sym_limit_free(lm_sym_limit_res *r) {
    lm_expr_release(r->value);
    r->value = NULL;
}

/* How e behaves as x -> s*inf, judged on x = s*2^k (other unknowns at generic
 * values): V_INF when |e| grows past any bound, V_ZERO when it shrinks to 0,
 * V_FINITE otherwise. */
static int kind_at_inf(const lm_expr *e, int n, const char **names, double *vals, int s) {
    double prev = NAN, last = NAN;
    bool grow = true, shrink = true;
    for (int k = 4; k <= 60; k += 4) {
        vals[0] = s * ldexp(1.0, k);
        double w = fabs(lm_sym_eval(e, names, vals, n));
        if (isnan(w)) return V_UNDEF;
        if (!isnan(prev)) {
            grow = grow && w >= prev;
            shrink = shrink && w <= prev;
        }
        prev = w;
        last = w;
    }
    if (grow && last > 1e12) return V_INF;
    if (shrink && last < 1e-12) return V_ZERO;
    return V_FINITE;
}

static lm_status limit_rec(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, lm_limdir dir, lm_sym_limit_res *out,
                           lm_err *err, int depth);

/* L'Hopital's rule in x itself at +-inf (x/exp(x)): the substitution x = 1/t
 * turns these into forms that differentiate badly. */
static bool lhopital_at_inf(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, int s, lim *L, lm_sym_limit_res *res,
                            int depth) {
    if (depth >= LHOPITAL_MAX) return false;
    lm_err e2 = LM_ERR_INIT;
    lm_expr *t = lm_sym_together(ctx, e, &e2), *N = NULL, *D = NULL;
    bool ok = false;
    if (t) {
        lim L2 = *L;
        L2.err = &e2;
        split_fraction(&L2, t, &N, &D);
    }
    const char **names = lm_alloc(((size_t)L->nothers + 1) * sizeof *names);
    double *vals = lm_alloc(((size_t)L->nothers + 1) * sizeof *vals);
    names[0] = x->u.name;
    for (int i = 0; i < L->nothers; i++) {
        names[i + 1] = L->names[i + 1];
        vals[i + 1] = L->vals[i + 1];
    }
    if (N && D && lm_sym_free_of(D, x) && N->op == LM_X_MUL) {
        /* inf * 0: the factors that shrink go below as reciprocals (x*exp(-x) is
         * x/exp(-x)^-1) */
        lm_expr **top = lm_alloc((size_t)N->nargs * sizeof *top), **bot = lm_alloc((size_t)N->nargs * sizeof *bot);
        int nt = 0, nb = 0;
        lm_expr *m1 = lm_sym_int(ctx, -1);
        for (int i = 0; i < N->nargs; i++) {
            if (kind_at_inf(N->args[i], L->nothers + 1, names, vals, s) == V_ZERO)
                bot[nb++] = lm_sym_pow(ctx, N->args[i], m1, &e2);
            else
                top[nt++] = lm_expr_retain(N->args[i]);
        }
        lm_expr_release(m1);
        if (nb > 0 && nt > 0) {
            lm_expr *N2 = lm_sym_mulv(ctx, nt, top, &e2), *D2 = lm_sym_mulv(ctx, nb, bot, &e2);
            lm_expr *c = D2 ? lm_sym_mul(ctx, D, D2, &e2) : NULL;
            lm_expr_release(N);
            lm_expr_release(D);
            lm_expr_release(D2);
            N = N2;
            D = c;
        }
        for (int i = 0; i < nt; i++) lm_expr_release(top[i]);
        for (int i = 0; i < nb; i++) lm_expr_release(bot[i]);
        lm_free(top);
        lm_free(bot);
    }
    if (N && D && !lm_sym_free_of(D, x)) {
        int kn = kind_at_inf(N, L->nothers + 1, names, vals, s), kd = kind_at_inf(D, L->nothers + 1, names, vals, s);
        if ((kn == V_INF && kd == V_INF) || (kn == V_ZERO && kd == V_ZERO)) {
            lm_expr *dN = lm_sym_diff(ctx, N, x, &e2), *dD = dN ? lm_sym_diff(ctx, D, x, &e2) : NULL;
            lm_expr *q = dD && !lm_sym_is_rat(dD, 0, 1) ? lm_sym_div(ctx, dN, dD, &e2) : NULL;
            lm_expr *c = q ? lm_sym_cancel(ctx, q, &e2) : NULL;
            if (c && lm_sym_size(c) <= LHOPITAL_GROWTH * (lm_sym_size(N) + lm_sym_size(D)) &&
                limit_rec(ctx, c, x, a, LM_LIM_BOTH, res, &e2, depth + 1) == LM_OK) {
                if (!res->numeric) {
                    ok = true;
                    res->method = "L'Hopital's rule";
                } else {
                    lm_sym_limit_free(res);
                }
            }
            lm_expr_release(dN);
            lm_expr_release(dD);
            lm_expr_release(q);
            lm_expr_release(c);
        }
    }
    lm_free(names);
    lm_free(vals);
    lm_expr_release(t);
    lm_expr_release(N);
    lm_expr_release(D);
    lm_err_clear(&e2);
    return ok;
}

lm_status lm_sym_limit(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, lm_limdir dir, lm_sym_limit_res *out,
                       lm_err *err) {
    return limit_rec(ctx, e, x, a, dir, out, err, 0);
}

static lm_status limit_rec(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, lm_limdir dir, lm_sym_limit_res *out,
                           lm_err *err, int depth) {
    memset(out, 0, sizeof *out);
    if (!e || !x || x->op != LM_X_SYM) return lm_err_set(err, LM_ERR_TYPE, "limit: the variable must be a symbol such as x");
    if (!a || !lm_sym_free_of(a, x)) return lm_err_set(err, LM_ERR_TYPE, "limit: the point must not contain %s", x->u.name);
    if (e->op == LM_X_REL || e->op == LM_X_MATRIX)
        return lm_err_set(err, LM_ERR_TYPE, "limit: give one expression, not an equation or a matrix");
    double an = lm_sym_is_number(a) ? lm_sym_to_double(a) : NAN;
    bool at_inf = isinf(an);
    int inf_s = an > 0 ? 1 : -1;
    /* at +-inf, x = +-1/t with t -> 0+ */
    lm_expr *t = NULL, *ee = lm_expr_retain(e), *pt = NULL;
    if (at_inf) {
        t = lm_sym_symbol(ctx, "limit t"); /* a name no program can type */
        lm_expr *m1 = lm_sym_int(ctx, inf_s);
        lm_expr *inv = lm_sym_div(ctx, m1, t, err);
        const char *nm = x->u.name;
        lm_expr *se = inv ? lm_sym_subs(ctx, e, 1, &nm, &inv, err) : NULL;
        lm_expr_release(m1);
        lm_expr_release(inv);
        lm_expr_release(ee);
        if (!se) {
            lm_expr_release(t);
            return err->kind;
        }
        ee = se;
        pt = lm_sym_int(ctx, 0);
        dir = LM_LIM_RIGHT;
    } else {
        pt = lm_expr_retain(a);
    }
    const lm_expr *var = at_inf ? t : x;
    /* the other unknowns, of e and of a symbolic point, get generic values for
     * the numeric checks */
    const lm_expr **syms, **psyms;
    size_t ns = lm_sym_symbols(ee, &syms), np = lm_sym_symbols(pt, &psyms);
    lim L = {ctx, err, var, 0, lm_alloc((ns + np + 1) * sizeof(char *)), lm_alloc((ns + np + 1) * sizeof(double)), NULL,
             dir == LM_LIM_LEFT ? -1 : dir == LM_LIM_RIGHT ? 1 : 0, EXACT_BUDGET};
    L.names[0] = var->u.name;
    for (size_t i = 0; i < ns + np; i++) {
        const lm_expr *sy = i < ns ? syms[i] : psyms[i - ns];
        bool dup = sy == var;
        for (int k = 0; k < L.nothers && !dup; k++) dup = !strcmp(L.names[1 + k], sy->u.name);
        if (dup) continue;
        L.names[1 + L.nothers] = sy->u.name;
        L.vals[1 + L.nothers] = generic_value(L.nothers);
        L.nothers++;
    }
    lm_free(syms);
    lm_free(psyms);

    lm_expr *exact = lim_exact(&L, ee, pt, 0);
    lm_status st = err->kind;
    if (st != LM_OK) goto out;
    if (!exact && at_inf) {
        lm_sym_limit_res r2;
        if (lhopital_at_inf(ctx, e, x, a, inf_s, &L, &r2, depth)) {
            exact = r2.value;
            L.method = r2.method;
        }
    }

    /* An exact answer stands: each step used is valid from both sides (a
     * continuous expression, cancelling, L'Hopital, a sign checked on both
     * sides), while the numeric estimate can be fooled by a stiff function
     * such as (x + 1)^(10^9). */
    if (exact) {
        out->value = exact;
        out->method = L.method ? L.method : "substitution";
        exact = NULL;
        goto out;
    }
    /* the numeric one-sided limits, when nothing else is unknown */
    int sl = SIDE_UNKNOWN, sr = SIDE_UNKNOWN;
    double vl = NAN, vr = NAN;
    if (L.nothers == 0 && lm_sym_is_number(pt)) {
        const char *nm = var->u.name;
        lm_xprog *p = lm_xprog_new(ee, 1, &nm);
        double a0 = lm_sym_to_double(pt);
        if (dir != LM_LIM_RIGHT && !at_inf) sl = side_limit(p, a0, -1, &vl);
        if (dir != LM_LIM_LEFT || at_inf) sr = side_limit(p, a0, 1, &vr);
        lm_xprog_free(p);
    }
    bool both = dir == LM_LIM_BOTH && !at_inf;
    bool agree = vl == vr || (isfinite(vl) && isfinite(vr) && fabs(vl - vr) <= 1e-6 * fmax(1.0, fmax(fabs(vl), fabs(vr))));
    if (both && (sl == SIDE_VALUE || sl == SIDE_INF) && (sr == SIDE_VALUE || sr == SIDE_INF) && !agree) {
        char l[64], r[64];
        side_text(sl, vl, l, sizeof l);
        side_text(sr, vr, r, sizeof r);
        st = lm_err_set(err, LM_ERR_DOMAIN,
                        "limit: the limit does not exist: from the left it is %s, from the right %s (give \"left\" or \"right\" for one side)",
                        l, r);
        goto out;
    }
    /* numeric: one side, or both when they agree (one undefined side is left out) */
    int s1 = both ? (sr == SIDE_UNDEF ? sl : sr) : (dir == LM_LIM_LEFT ? sl : sr);
    double v1 = both ? (sr == SIDE_UNDEF ? vl : vr) : (dir == LM_LIM_LEFT ? vl : vr);
    if (both && sl != SIDE_UNDEF && sr != SIDE_UNDEF && (sl != sr || !agree)) s1 = SIDE_UNKNOWN;
    if (s1 == SIDE_VALUE || s1 == SIDE_INF) {
        out->value = lm_sym_float(ctx, v1);
        out->numeric = s1 == SIDE_VALUE;
        out->method = s1 == SIDE_INF ? "the values grow without bound" : "numeric extrapolation";
        out->one_side = both && (sl == SIDE_UNDEF || sr == SIDE_UNDEF) ? (sl == SIDE_UNDEF ? 1 : -1) : 0;
        goto out;
    }
    if (L.nothers > 0)
        st = lm_err_set(err, LM_ERR_DOMAIN, "limit: no exact step decides this limit, and with other unknowns (%s) it cannot be estimated numerically",
                        L.names[1]);
    else if (s1 == SIDE_UNDEF)
        st = lm_err_set(err, LM_ERR_DOMAIN, "limit: the expression is not defined near that point");
    else
        st = lm_err_set(err, LM_ERR_CONVERGENCE, "limit: the values do not settle near that point; the limit may not exist");
out:
    lm_expr_release(exact);
    lm_expr_release(ee);
    lm_expr_release(pt);
    lm_expr_release(t);
    lm_free(L.names);
    lm_free(L.vals);
    return st;
}
