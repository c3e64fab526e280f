/* simplify: tries the standard rewrites and keeps the smallest result by node
 * count (lm_sym_size). The rewrites: expand, together (one common denominator),
 * cancel (polynomial gcds and exact division), factor and common factors, the
 * trig and hyperbolic identities, exp products and the logistic forms (sigmoid,
 * softplus), and, only for symbols stated positive, the log/exp/root rules that
 * need it. A short beam search chains them: the best few results of one round
 * are rewritten again in the next. Every rewrite is an identity for real values
 * wherever the input is defined. */
#include "sym_int.h"

#include <string.h>

/* The search: rounds of rewriting, and how many of the best results of a round
 * are rewritten in the next. Candidates that grow past GROW_FACTOR times the
 * input (plus GROW_SLACK nodes) are dropped, which also bounds the time spent
 * on an expansion nobody wants. */
#define SEARCH_ROUNDS 3
#define SEARCH_BEAM 4
#define GROW_FACTOR 4
#define GROW_SLACK 40
/* Local rewrites look at pairs of terms; sums longer than this are left alone. */
#define RULES_MAX_TERMS 256
/* Polynomial division and gcds for cancel: degrees above this, or polynomials
 * whose expansion would pass CANCEL_MAX_TERMS terms, are left alone. */
#define CANCEL_MAX_DEG 64
#define CANCEL_MAX_TERMS 400

static lm_expr *int_node(lm_ctx *ctx, int64_t n) { return lm_sym_int(ctx, n); }

/* b^k (borrowed b). */
static lm_expr *pow_k(lm_ctx *ctx, lm_expr *b, lm_snum k, lm_err *err) {
    lm_expr *kn = lm_sym_snum(ctx, k);
    lm_expr *r = lm_sym_pow(ctx, b, kn, err);
    lm_expr_release(kn);
    return r;
}

static lm_expr *call1(lm_ctx *ctx, const char *fn, lm_expr *u, lm_err *err) { return lm_sym_call(ctx, fn, 1, &u, err); }

static void memo_release(lm_xmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            lm_expr_release(m->vals[i].p);
            lm_expr_release((lm_expr *)m->keys[i]);
        }
    lm_xmap_free(m);
}

/* A deep rewrite: fn(node with rewritten operands) at every node, bottom-up,
 * each shared node once. */
typedef struct walker {
    lm_ctx *ctx;
    lm_err *err;
    lm_xmap memo;
    lm_expr *(*top)(struct walker *W, lm_expr *e); /* takes nothing, returns +1 */
    bool into_calls;
    void *ud;
} walker;

static lm_expr *walk(walker *W, lm_expr *e) {
    if (e->nargs == 0) return lm_expr_retain(e);
    lm_xval v;
    if (lm_xmap_get(&W->memo, e, &v)) return lm_expr_retain(v.p);
    lm_expr *stack[8];
    lm_expr **a = e->nargs <= 8 ? stack : lm_alloc((size_t)e->nargs * sizeof *a);
    int done = 0;
    bool same = true;
    lm_expr *r = NULL;
    bool descend = W->into_calls || e->op != LM_X_CALL;
    for (; done < e->nargs; done++) {
        a[done] = descend ? walk(W, e->args[done]) : lm_expr_retain(e->args[done]);
        if (!a[done]) goto out;
        same = same && a[done] == e->args[done];
    }
    lm_expr *b = same ? lm_expr_retain(e) : lm_sym_rebuild(W->ctx, e, a, W->err);
    if (!b) goto out;
    r = W->top(W, b);
    lm_expr_release(b);
    if (r) { /* keys retained too (see memo_release): no freed address can come back */
        v.p = lm_expr_retain(r);
        lm_xmap_put(&W->memo, lm_expr_retain(e), v);
    }
out:
    for (int i = 0; i < done; i++) lm_expr_release(a[i]);
    if (a != stack) lm_free(a);
    return r;
}

static lm_expr *walk_run(lm_ctx *ctx, lm_expr *e, lm_expr *(*top)(walker *, lm_expr *), bool into_calls, void *ud,
                         lm_err *err) {
    walker W = {ctx, err, LM_XMAP_INIT, top, into_calls, ud};
    lm_expr *r = walk(&W, e);
    memo_release(&W.memo);
    return r;
}

/* ---- together ---- */

/* The exponent of a factor as a rational, or false (symbolic exponents). */
static bool factor_rexp(const lm_expr *f, lm_snum *k) {
    if (f->op != LM_X_POW) {
        *k = lm_snum_int(1);
        return true;
    }
    return f->args[1]->op == LM_X_RAT && lm_snum_of(f->args[1], k);
}

static lm_expr *together_top(walker *W, lm_expr *e) {
    if (e->op != LM_X_ADD) return lm_expr_retain(e);
    /* the largest denominator power of each base across the terms */
    int cap = 16, nd = 0;
    const lm_expr **base = lm_alloc((size_t)cap * sizeof *base);
    lm_snum *mx = lm_alloc((size_t)cap * sizeof *mx);
    for (int i = 0; i < e->nargs; i++) {
        const lm_expr *t = e->args[i];
        int nf = t->op == LM_X_MUL ? t->nargs : 1;
        lm_expr *const *fs = t->op == LM_X_MUL ? t->args : &e->args[i];
        for (int j = 0; j < nf; j++) {
            lm_snum k;
            if (lm_sym_isnum(fs[j]) || !factor_rexp(fs[j], &k) || lm_snum_sign(k) >= 0) continue;
            const lm_expr *b = lm_sym_base(fs[j]);
            k = lm_snum_neg(k);
            int at = 0;
            while (at < nd && base[at] != b) at++;
            if (at == nd) {
                if (nd == cap) {
                    cap *= 2;
                    base = lm_realloc(base, (size_t)cap * sizeof *base);
                    mx = lm_realloc(mx, (size_t)cap * sizeof *mx);
                }
                base[nd] = b;
                mx[nd++] = k;
            } else if (lm_snum_cmp(k, mx[at]) > 0) {
                mx[at] = k;
            }
        }
    }
    lm_expr *r = NULL;
    if (nd == 0) {
        r = lm_expr_retain(e);
        goto out;
    }
    {
        lm_expr **den = lm_alloc((size_t)nd * sizeof *den);
        int made = 0;
        for (; made < nd; made++)
            if (!(den[made] = pow_k(W->ctx, (lm_expr *)base[made], mx[made], W->err))) break;
        lm_expr *D = made == nd ? lm_sym_mulv(W->ctx, nd, den, W->err) : NULL;
        for (int i = 0; i < made; i++) lm_expr_release(den[i]);
        lm_free(den);
        if (!D) goto out;
        /* each term times D, so its denominators cancel in the canonical product */
        lm_expr **num = lm_alloc((size_t)e->nargs * sizeof *num);
        int nn = 0;
        for (; nn < e->nargs; nn++)
            if (!(num[nn] = lm_sym_mul(W->ctx, e->args[nn], D, W->err))) break;
        lm_expr *N = nn == e->nargs ? lm_sym_addv(W->ctx, nn, num, W->err) : NULL;
        for (int i = 0; i < nn; i++) lm_expr_release(num[i]);
        lm_free(num);
        lm_expr *Dinv = N ? pow_k(W->ctx, D, lm_snum_int(-1), W->err) : NULL;
        if (Dinv) r = lm_sym_mul(W->ctx, N, Dinv, W->err);
        lm_expr_release(Dinv);
        lm_expr_release(N);
        lm_expr_release(D);
    }
out:
    lm_free(base);
    lm_free(mx);
    return r;
}

lm_expr *lm_sym_together(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    return walk_run(ctx, e, together_top, true, NULL, err);
}

/* ---- cancel ---- */

/* The single generator of a polynomial-like expression (its only symbol or
 * call), or NULL when it has none or several. */
static const lm_expr *single_atom(const lm_expr *e, const lm_expr *seen) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT:
    case LM_X_CONST: return seen;
    case LM_X_ADD:
    case LM_X_MUL:
        for (int i = 0; i < e->nargs && seen != (const lm_expr *)1; i++) seen = single_atom(e->args[i], seen);
        return seen;
    case LM_X_POW:
        if (lm_sym_is_int(e->args[1]) && e->args[1]->u.rat.p > 0) return single_atom(e->args[0], seen);
        break;
    default: break;
    }
    if (!seen || seen == e) return e;
    return (const lm_expr *)1; /* several */
}

static const lm_expr *atom_of(const lm_expr *e) {
    const lm_expr *a = single_atom(e, NULL);
    return a == (const lm_expr *)1 ? NULL : a;
}

/* The first symbol found in e, for a variable to divide in. */
static const lm_expr *some_symbol(const lm_expr *e, int depth) {
    if (e->op == LM_X_SYM) return e;
    if (depth > 64) return NULL;
    for (int i = 0; i < e->nargs; i++) {
        const lm_expr *s = some_symbol(e->args[i], depth + 1);
        if (s) return s;
    }
    return NULL;
}

/* a / b when b divides a exactly as polynomials in a symbol of b (coefficients
 * may hold other symbols): *q receives the quotient. False without error when
 * it does not divide or the sizes are out of reach. */
static bool divides(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_expr **q, lm_err *err) {
    if (lm_sym_expand_estimate(a) > CANCEL_MAX_TERMS || lm_sym_expand_estimate(b) > CANCEL_MAX_TERMS) return false;
    const lm_expr *x = some_symbol(b, 0);
    if (!x || lm_sym_free_of(a, x)) return false;
    lm_err e2 = LM_ERR_INIT;
    lm_expr **A = NULL, **B = NULL, **Q = NULL;
    int da = -1, db = -1;
    bool ok = false;
    if (lm_sym_coeffs(ctx, a, x, CANCEL_MAX_DEG, true, &A, &da, &e2) != 1) goto out;
    if (lm_sym_coeffs(ctx, b, x, CANCEL_MAX_DEG, true, &B, &db, &e2) != 1) goto out;
    if (db < 1 || da < db) goto out;
    Q = lm_calloc((size_t)(da - db + 1), sizeof *Q);
    lm_expr *m1 = int_node(ctx, -1);
    lm_expr *inv = lm_sym_pow(ctx, B[db], m1, &e2);
    lm_expr_release(m1);
    if (!inv) goto out;
    ok = true;
    for (int k = da - db; k >= 0 && ok; k--) {
        lm_expr *t = lm_sym_mul(ctx, A[k + db], inv, &e2);
        Q[k] = t ? lm_sym_expand(ctx, t, &e2) : NULL;
        lm_expr_release(t);
        if (!Q[k]) {
            ok = false;
            break;
        }
        for (int i = 0; i <= db && ok; i++) { /* A -= Q[k] x^k B */
            lm_expr *p = lm_sym_mul(ctx, Q[k], B[i], &e2);
            lm_expr *d = p ? lm_sym_sub(ctx, A[k + i], p, &e2) : NULL;
            lm_expr *dx = d ? lm_sym_expand(ctx, d, &e2) : NULL;
            lm_expr_release(p);
            lm_expr_release(d);
            if (!dx) ok = false;
            else {
                lm_expr_release(A[k + i]);
                A[k + i] = dx;
            }
        }
        if (ok && !lm_sym_is_rat(A[k + db], 0, 1)) ok = false; /* the top must cancel exactly */
    }
    lm_expr_release(inv);
    for (int i = 0; i < db && ok; i++)
        if (!lm_sym_is_rat(A[i], 0, 1)) ok = false;
    if (ok) {
        /* q = sum Q[k] x^k */
        lm_expr **t = lm_alloc((size_t)(da - db + 1) * sizeof *t);
        int n = 0;
        for (int k = 0; k <= da - db && ok; k++) {
            lm_expr *kn = int_node(ctx, k);
            lm_expr *xk = lm_sym_pow(ctx, (lm_expr *)x, kn, &e2);
            t[n] = xk ? lm_sym_mul(ctx, Q[k], xk, &e2) : NULL;
            lm_expr_release(kn);
            lm_expr_release(xk);
            if (!t[n]) ok = false;
            else n++;
        }
        *q = ok ? lm_sym_addv(ctx, n, t, &e2) : NULL;
        ok = ok && *q;
        for (int i = 0; i < n; i++) lm_expr_release(t[i]);
        lm_free(t);
    }
out:
    if (Q)
        for (int k = 0; k <= da - db; k++) lm_expr_release(Q[k]);
    lm_free(Q);
    lm_sym_coeffs_free(A, da);
    lm_sym_coeffs_free(B, db);
    /* a limit inside a trial is not the caller's failure; an interrupt is */
    if (e2.kind == LM_ERR_LIMIT && lm_ctx_poll(ctx, err) != LM_OK) ok = false;
    lm_err_clear(&e2);
    (void)err;
    return ok;
}

/* gcd of two polynomials in the same single generator over Q: a/g and b/g into
 * *ra, *rb. False when there is no common factor or it cannot be computed. */
static bool qgcd_split(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_expr **ra, lm_expr **rb, lm_err *err) {
    if (lm_sym_expand_estimate(a) > CANCEL_MAX_TERMS || lm_sym_expand_estimate(b) > CANCEL_MAX_TERMS) return false;
    const lm_expr *x = atom_of(a);
    if (!x || atom_of(b) != x) return false;
    lm_err e2 = LM_ERR_INIT;
    lm_qpoly pa, pb, g, qa, qb;
    bool ok = false;
    if (lm_qpoly_from(ctx, a, x, CANCEL_MAX_DEG, &pa, &e2) != 1) goto out0;
    if (lm_qpoly_from(ctx, b, x, CANCEL_MAX_DEG, &pb, &e2) != 1) goto out1;
    if (!lm_qpoly_gcd(&pa, &pb, &g)) goto out2;
    if (g.deg >= 1 && lm_qpoly_divmod(&pa, &g, &qa, NULL)) {
        if (lm_qpoly_divmod(&pb, &g, &qb, NULL)) {
            *ra = lm_qpoly_expr(ctx, &qa, x, err);
            *rb = *ra ? lm_qpoly_expr(ctx, &qb, x, err) : NULL;
            ok = *ra && *rb;
            if (!ok) lm_expr_release(*ra);
            lm_qpoly_free(&qb);
        }
        lm_qpoly_free(&qa);
    }
    lm_qpoly_free(&g);
out2:
    lm_qpoly_free(&pb);
out1:
    lm_qpoly_free(&pa);
out0:
    lm_err_clear(&e2);
    return ok;
}

/* A product as parallel lists of bases and integer exponents (other factors,
 * numbers included, go into `other`). */
typedef struct flist {
    lm_expr **b;   /* owned */
    int64_t *k;
    int n, cap;
    lm_expr **other; /* owned */
    int no;
} flist;

static void fl_push(flist *l, lm_expr *b, int64_t k) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->b = lm_realloc(l->b, (size_t)l->cap * sizeof *l->b);
        l->k = lm_realloc(l->k, (size_t)l->cap * sizeof *l->k);
    }
    l->b[l->n] = b;
    l->k[l->n++] = k;
}

static void fl_free(flist *l) {
    for (int i = 0; i < l->n; i++) lm_expr_release(l->b[i]);
    for (int i = 0; i < l->no; i++) lm_expr_release(l->other[i]);
    lm_free(l->b);
    lm_free(l->k);
    lm_free(l->other);
}

static lm_expr *fl_build(lm_ctx *ctx, flist *l, lm_err *err) {
    int n = l->n + l->no;
    lm_expr **f = lm_alloc(((size_t)n + 1) * sizeof *f);
    int m = 0;
    lm_expr *r = NULL;
    for (int i = 0; i < l->n; i++) {
        if (l->k[i] == 0) continue;
        if (!(f[m] = pow_k(ctx, l->b[i], lm_snum_int(l->k[i]), err))) goto out;
        m++;
    }
    for (int i = 0; i < l->no; i++) f[m++] = lm_expr_retain(l->other[i]);
    r = lm_sym_mulv(ctx, m, f, err);
out:
    for (int i = 0; i < m; i++) lm_expr_release(f[i]);
    lm_free(f);
    return r;
}

#define CANCEL_ROUNDS 16

static lm_expr *cancel_top(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    if (e->op != LM_X_MUL && !(e->op == LM_X_POW)) return lm_expr_retain(e);
    int nf = e->op == LM_X_MUL ? e->nargs : 1;
    lm_expr *const *fs = e->op == LM_X_MUL ? e->args : &e;
    flist l = {0};
    l.other = lm_alloc((size_t)nf * sizeof *l.other);
    bool den = false;
    for (int i = 0; i < nf; i++) {
        const lm_expr *f = fs[i];
        const lm_expr *ex = lm_sym_exp(f);
        int64_t k = 1;
        if (ex && !lm_sym_is_int(ex)) k = 0;
        else if (ex) k = ex->u.rat.p;
        if (k == 0 || lm_sym_isnum(f)) l.other[l.no++] = lm_expr_retain((lm_expr *)f);
        else {
            fl_push(&l, lm_expr_retain((lm_expr *)lm_sym_base(f)), k);
            if (k < 0) den = true;
        }
    }
    lm_expr *r = NULL;
    bool changed = false;
    for (int round = 0; den && round < CANCEL_ROUNDS; round++) {
        bool step = false;
        for (int i = 0; i < l.n && !step; i++) {
            if (l.k[i] <= 0 || l.b[i]->op == LM_X_RAT) continue;
            for (int j = 0; j < l.n && !step; j++) {
                if (l.k[j] >= 0) continue;
                lm_expr *ra = NULL, *rb = NULL, *q = NULL;
                if (qgcd_split(ctx, l.b[i], l.b[j], &ra, &rb, err)) {
                    /* a^ka / b^kb = (ra g)^ka / (rb g)^kb */
                    lm_expr *g = NULL;
                    lm_expr *m1 = int_node(ctx, -1);
                    lm_expr *ir = lm_sym_pow(ctx, ra, m1, err);
                    g = ir ? lm_sym_mul(ctx, l.b[i], ir, err) : NULL; /* a / ra */
                    lm_expr *ge = g ? lm_sym_expand(ctx, g, err) : NULL;
                    lm_expr_release(m1);
                    lm_expr_release(ir);
                    lm_expr_release(g);
                    if (!ge) {
                        lm_expr_release(ra);
                        lm_expr_release(rb);
                        goto out;
                    }
                    int64_t ka = l.k[i], kb = l.k[j];
                    lm_expr_release(l.b[i]);
                    lm_expr_release(l.b[j]);
                    l.b[i] = ra;
                    l.b[j] = rb;
                    fl_push(&l, ge, ka + kb);
                    step = true;
                } else if (divides(ctx, l.b[i], l.b[j], &q, err)) { /* a = b q */
                    int64_t ka = l.k[i];
                    lm_expr_release(l.b[i]);
                    l.b[i] = q;
                    l.k[j] += ka;
                    step = true;
                } else if (divides(ctx, l.b[j], l.b[i], &q, err)) { /* b = a q */
                    int64_t kb = l.k[j];
                    lm_expr_release(l.b[j]);
                    l.b[j] = q;
                    l.k[i] += kb;
                    step = true;
                }
                if (err->kind != LM_OK) goto out;
            }
        }
        if (!step) break;
        changed = true;
    }
    r = changed ? fl_build(ctx, &l, err) : lm_expr_retain(e);
out:
    fl_free(&l);
    return r;
}

lm_expr *lm_sym_cancel(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    lm_expr *t = lm_sym_together(ctx, e, err);
    if (!t) return NULL;
    lm_expr *r = cancel_top(ctx, t, err);
    lm_expr_release(t);
    return r;
}

/* ---- local identities: trig, hyperbolic, exp, logistic ---- */

static bool is_call(const lm_expr *e, int fn) { return e->op == LM_X_CALL && e->sub == fn && e->nargs == 1; }

/* f = fn(u)^2: its u, else NULL. */
static const lm_expr *square_of(const lm_expr *f, int fn) {
    if (f->op == LM_X_POW && lm_sym_is_rat(f->args[1], 2, 1) && is_call(f->args[0], fn)) return f->args[0]->args[0];
    return NULL;
}

/* The product of a term's factors without the one at index skip (-1: none), +1. */
static lm_expr *rest_without(lm_ctx *ctx, lm_expr *const *f, int nf, int skip, lm_err *err) {
    lm_expr *stack[16] = {NULL};
    lm_expr **g = nf <= 16 ? stack : lm_alloc((size_t)nf * sizeof *g);
    int m = 0;
    for (int i = 0; i < nf; i++)
        if (i != skip) g[m++] = f[i];
    lm_expr *r = lm_sym_mulv(ctx, m, g, err);
    if (g != stack) lm_free(g);
    return r;
}

/* One identity between two terms k1*R*F1 and k2*R*F2 (F2 NULL: the term is k2*R):
 * F1 = fn1(u)^2, F2 = fn2(u)^2, and the coefficients relate as k2 = rel*k1 (rel 0:
 * any). The result is written as coef * R * repl, where coef is k1 or k2. */
typedef struct pair_rule {
    int fn1, fn2; /* fn2 -1: the plain term R */
    int rel;      /* 1: k2 = k1; -1: k2 = -k1 */
    int which;    /* coefficient of the result: 1 = k1, 2 = k2 */
    int out_fn;   /* out_fn(u)^out_pow, or out_fn(2u) when double_arg; -1: 1 */
    int out_pow;
    bool double_arg;
} pair_rule;

static const pair_rule pair_rules[] = {
    {LM_XF_SIN, LM_XF_COS, 1, 1, -1, 0, false},              /* k sin^2 + k cos^2 = k */
    {LM_XF_SIN, LM_XF_COS, -1, 2, LM_XF_COS, 1, true},       /* k cos^2 - k sin^2 = k cos(2u) */
    {LM_XF_SIN, -1, -1, 2, LM_XF_COS, 2, false},             /* k - k sin^2 = k cos^2 */
    {LM_XF_COS, -1, -1, 2, LM_XF_SIN, 2, false},             /* k - k cos^2 = k sin^2 */
    {LM_XF_TAN, -1, 1, 1, LM_XF_COS, -2, false},             /* k tan^2 + k = k / cos^2 */
    {LM_XF_TANH, -1, -1, 2, LM_XF_COSH, -2, false},          /* k - k tanh^2 = k / cosh^2 */
    {LM_XF_COSH, LM_XF_SINH, -1, 1, -1, 0, false},           /* k cosh^2 - k sinh^2 = k */
    {LM_XF_SINH, -1, 1, 1, LM_XF_COSH, 2, false},            /* k sinh^2 + k = k cosh^2 */
    {LM_XF_COSH, -1, -1, 1, LM_XF_SINH, 2, false},           /* k cosh^2 - k = k sinh^2 */
};

/* The term sigma(v) in k - k*sigma(v) = k*sigmoid(-v): fn1 SIGMOID with power 1. */
static const lm_expr *sigmoid_of(const lm_expr *f) { return is_call(f, LM_XF_SIGMOID) ? f->args[0] : NULL; }

typedef struct tinfo {
    lm_snum c;
    lm_expr *const *f;
    int nf;
    lm_expr *rest; /* product of all factors (without c), +1 */
    bool used;
} tinfo;

/* coef * R * out(u), +1 */
static lm_expr *rule_result(lm_ctx *ctx, lm_snum coef, lm_expr *R, int out_fn, int out_pow, bool dbl, lm_expr *u,
                            lm_err *err) {
    lm_expr *c = lm_sym_snum(ctx, coef);
    lm_expr *o;
    if (out_fn < 0) o = int_node(ctx, 1);
    else {
        lm_expr *arg = lm_expr_retain(u);
        if (dbl) {
            lm_expr *two = int_node(ctx, 2);
            lm_expr_release(arg);
            arg = lm_sym_mul(ctx, two, u, err);
            lm_expr_release(two);
        }
        lm_expr *fc = arg ? call1(ctx, lm_sym_fn_info(out_fn)->name, arg, err) : NULL;
        lm_expr_release(arg);
        o = fc ? pow_k(ctx, fc, lm_snum_int(out_pow), err) : NULL;
        lm_expr_release(fc);
    }
    lm_expr *f3[3] = {c, R, o};
    lm_expr *r = o ? lm_sym_mulv(ctx, 3, f3, err) : NULL;
    lm_expr_release(c);
    lm_expr_release(o);
    return r;
}

/* Pairs of terms of a sum that an identity joins into one. Returns +1 (e itself
 * when nothing applies). */
static lm_expr *sum_rules(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    int n = e->nargs;
    if (n > RULES_MAX_TERMS) return lm_expr_retain(e);
    tinfo *t = lm_calloc((size_t)n, sizeof *t);
    lm_expr **out = lm_alloc((size_t)n * sizeof *out);
    int no = 0;
    lm_expr *r = NULL;
    bool any = false;
    for (int i = 0; i < n; i++) {
        lm_sym_term_split((const lm_expr *const *)&e->args[i], &t[i].c, &t[i].f, &t[i].nf);
        if (!(t[i].rest = rest_without(ctx, t[i].f, t[i].nf, -1, err))) goto out;
    }
    for (int i = 0; i < n; i++) {
        if (t[i].used) continue;
        for (int a = 0; a < t[i].nf && !t[i].used; a++) {
            const lm_expr *fa = t[i].f[a];
            for (size_t ri = 0; ri <= sizeof pair_rules / sizeof pair_rules[0] && !t[i].used; ri++) {
                bool sig = ri == sizeof pair_rules / sizeof pair_rules[0];
                const pair_rule *pr = sig ? NULL : &pair_rules[ri];
                const lm_expr *u = sig ? sigmoid_of(fa) : square_of(fa, pr->fn1);
                if (!u) continue;
                lm_expr *R = rest_without(ctx, t[i].f, t[i].nf, a, err);
                if (!R) goto out;
                for (int j = 0; j < n && !t[i].used; j++) {
                    if (j == i || t[j].used) continue;
                    int rel = sig ? -1 : pr->rel;
                    lm_snum want = rel > 0 ? t[i].c : lm_snum_neg(t[i].c);
                    if (lm_snum_cmp(want, t[j].c) != 0) continue;
                    bool match = false;
                    if (sig || pr->fn2 < 0) match = t[j].rest == R;
                    else
                        for (int b = 0; b < t[j].nf && !match; b++) {
                            if (square_of(t[j].f[b], pr->fn2) != u) continue;
                            lm_expr *Rj = rest_without(ctx, t[j].f, t[j].nf, b, err);
                            if (!Rj) {
                                lm_expr_release(R);
                                goto out;
                            }
                            match = Rj == R;
                            lm_expr_release(Rj);
                        }
                    if (!match) continue;
                    lm_expr *res;
                    if (sig) { /* k - k sigma(v) = k sigma(-v) */
                        lm_expr *nv = lm_sym_neg(ctx, (lm_expr *)u, err);
                        res = nv ? rule_result(ctx, t[j].c, R, LM_XF_SIGMOID, 1, false, nv, err) : NULL;
                        lm_expr_release(nv);
                    } else {
                        res = rule_result(ctx, pr->which == 1 ? t[i].c : t[j].c, R, pr->out_fn, pr->out_pow,
                                          pr->double_arg, (lm_expr *)u, err);
                    }
                    if (!res) {
                        lm_expr_release(R);
                        goto out;
                    }
                    out[no++] = res;
                    t[i].used = t[j].used = true;
                    any = true;
                }
                lm_expr_release(R);
            }
        }
    }
    if (!any) {
        r = lm_expr_retain(e);
        goto out;
    }
    for (int i = 0; i < n; i++)
        if (!t[i].used) out[no++] = lm_expr_retain(e->args[i]);
    r = lm_sym_addv(ctx, no, out, err);
out:
    for (int i = 0; i < no; i++) lm_expr_release(out[i]);
    for (int i = 0; i < n; i++) lm_expr_release(t[i].rest);
    lm_free(out);
    lm_free(t);
    return r;
}

/* fn(u)^k in a factor: k (0 when absent). Only whole k. */
static int64_t power_of_call(lm_expr *const *f, int nf, int fn, const lm_expr *u, int *at) {
    for (int i = 0; i < nf; i++) {
        const lm_expr *b = lm_sym_base(f[i]), *ex = lm_sym_exp(f[i]);
        if (!is_call(b, fn) || b->args[0] != u) continue;
        if (ex && !lm_sym_is_int(ex)) return 0;
        *at = i;
        return ex ? ex->u.rat.p : 1;
    }
    *at = -1;
    return 0;
}

/* The product with factors at i and j (j may be -1) replaced by extra (borrowed). */
static lm_expr *replace2(lm_ctx *ctx, const lm_expr *m, int i, int j, lm_expr *extra, lm_err *err) {
    lm_expr **g = lm_alloc(((size_t)m->nargs + 1) * sizeof *g);
    int k = 0;
    for (int a = 0; a < m->nargs; a++)
        if (a != i && a != j) g[k++] = m->args[a];
    g[k++] = extra;
    lm_expr *r = lm_sym_mulv(ctx, k, g, err);
    lm_free(g);
    return r;
}

/* Keeps cand (consumed) when smaller than *best, which it then replaces. */
static void keep_smaller(lm_expr **best, lm_expr *cand) {
    if (cand && lm_sym_size(cand) < lm_sym_size(*best)) {
        lm_expr_release(*best);
        *best = cand;
    } else {
        lm_expr_release(cand);
    }
}

/* Identities inside a product: sin/cos = tan, 2 sin cos = sin(2u), products of
 * exps, and the logistic forms e^v/(1 + e^v) = sigmoid(v), 1/(1 + e^v) =
 * sigmoid(-v). Each is kept only when it makes the product smaller. */
static lm_expr *product_rules(lm_ctx *ctx, lm_expr *m, lm_err *err) {
    lm_expr *best = lm_expr_retain(m);
    int n = m->nargs;
    lm_expr *const *f = m->args;
    for (int i = 0; i < n; i++) {
        const lm_expr *b = lm_sym_base(f[i]);
        if (is_call(b, LM_XF_SIN)) {
            const lm_expr *u = b->args[0];
            int as, ac;
            int64_t ps = power_of_call(f, n, LM_XF_SIN, u, &as), pc = power_of_call(f, n, LM_XF_COS, u, &ac);
            if (ps > 0 && pc < 0) { /* sin^a cos^-b = tan^min * (rest) */
                int64_t k = ps < -pc ? ps : -pc;
                lm_expr *tn = call1(ctx, "tan", (lm_expr *)u, err), *sn = call1(ctx, "sin", (lm_expr *)u, err),
                        *cs = call1(ctx, "cos", (lm_expr *)u, err);
                lm_expr *p3[3] = {tn && sn && cs ? pow_k(ctx, tn, lm_snum_int(k), err) : NULL,
                                  tn && sn && cs ? pow_k(ctx, sn, lm_snum_int(ps - k), err) : NULL,
                                  tn && sn && cs ? pow_k(ctx, cs, lm_snum_int(pc + k), err) : NULL};
                lm_expr *rep = p3[0] && p3[1] && p3[2] ? lm_sym_mulv(ctx, 3, p3, err) : NULL;
                if (rep) keep_smaller(&best, replace2(ctx, m, as, ac, rep, err));
                for (int q = 0; q < 3; q++) lm_expr_release(p3[q]);
                lm_expr_release(rep);
                lm_expr_release(tn);
                lm_expr_release(sn);
                lm_expr_release(cs);
            } else if (ps > 0 && ps == pc) { /* sin^a cos^a = (sin(2u)/2)^a */
                lm_expr *two = int_node(ctx, 2);
                lm_expr *u2 = lm_sym_mul(ctx, two, (lm_expr *)u, err);
                lm_expr *s2 = u2 ? call1(ctx, "sin", u2, err) : NULL;
                lm_expr *half = lm_sym_rat(ctx, 1, 2);
                lm_expr *h = s2 ? lm_sym_mul(ctx, half, s2, err) : NULL;
                lm_expr *rep = h ? pow_k(ctx, h, lm_snum_int(ps), err) : NULL;
                if (rep) keep_smaller(&best, replace2(ctx, m, as, ac, rep, err));
                lm_expr_release(two);
                lm_expr_release(u2);
                lm_expr_release(s2);
                lm_expr_release(half);
                lm_expr_release(h);
                lm_expr_release(rep);
            }
        }
        /* logistic: e^(j v) (1 + e^v)^(-k) = sigmoid(v)^j sigmoid(-v)^(k-j), 0 <= j <= k */
        const lm_expr *ex = lm_sym_exp(f[i]);
        if (b->op == LM_X_ADD && b->nargs == 2 && lm_sym_is_rat(b->args[0], 1, 1) && is_call(b->args[1], LM_XF_EXP) &&
            ex && lm_sym_is_int(ex) && ex->u.rat.p < 0) {
            const lm_expr *v = b->args[1]->args[0];
            int64_t k = -ex->u.rat.p;
            int at;
            int64_t j = power_of_call(f, n, LM_XF_EXP, v, &at);
            if (j >= 0 && j <= k) {
                lm_expr *nv = lm_sym_neg(ctx, (lm_expr *)v, err);
                lm_expr *sp = call1(ctx, "sigmoid", (lm_expr *)v, err);
                lm_expr *sn = nv ? call1(ctx, "sigmoid", nv, err) : NULL;
                lm_expr *p2[2] = {sp && sn ? pow_k(ctx, sp, lm_snum_int(j), err) : NULL,
                                  sp && sn ? pow_k(ctx, sn, lm_snum_int(k - j), err) : NULL};
                lm_expr *rep = p2[0] && p2[1] ? lm_sym_mulv(ctx, 2, p2, err) : NULL;
                if (rep) keep_smaller(&best, replace2(ctx, m, i, at, rep, err));
                if (j == 1 && k == 2) { /* e^v/(1 + e^v)^2 = 1/(2 cosh(v) + 2), shorter for a long v */
                    lm_expr *ch = call1(ctx, "cosh", (lm_expr *)v, err);
                    lm_expr *one = int_node(ctx, 1), *half = lm_sym_rat(ctx, 1, 2);
                    lm_expr *s2[2] = {ch, one};
                    lm_expr *sum = ch ? lm_sym_addv(ctx, 2, s2, err) : NULL;
                    lm_expr *inv = sum ? pow_k(ctx, sum, lm_snum_int(-1), err) : NULL;
                    lm_expr *h = inv ? lm_sym_mul(ctx, half, inv, err) : NULL;
                    if (h) keep_smaller(&best, replace2(ctx, m, i, at, h, err));
                    lm_expr_release(ch);
                    lm_expr_release(one);
                    lm_expr_release(half);
                    lm_expr_release(sum);
                    lm_expr_release(inv);
                    lm_expr_release(h);
                }
                lm_expr_release(p2[0]);
                lm_expr_release(p2[1]);
                lm_expr_release(rep);
                lm_expr_release(nv);
                lm_expr_release(sp);
                lm_expr_release(sn);
            }
        }
    }
    /* e^(-w) sigmoid(w) = sigmoid(-w): undoes a sigmoid made too early from
     * 1/(1 + e^v) when an e^v stood beside it */
    for (int i = 0; i < n; i++) {
        const lm_expr *b = lm_sym_base(f[i]), *ex = lm_sym_exp(f[i]);
        if (!is_call(b, LM_XF_SIGMOID) || (ex && !(lm_sym_is_int(ex) && ex->u.rat.p > 0))) continue;
        int64_t k = ex ? ex->u.rat.p : 1;
        lm_expr *u = lm_sym_neg(ctx, b->args[0], err);
        if (!u) break;
        int at;
        int64_t j = power_of_call(f, n, LM_XF_EXP, u, &at);
        if (j > 0) {
            int64_t mn = j < k ? j : k;
            lm_expr *ee = call1(ctx, "exp", u, err), *sp = call1(ctx, "sigmoid", u, err);
            lm_expr *p3[3] = {ee && sp ? pow_k(ctx, ee, lm_snum_int(j - mn), err) : NULL,
                              ee && sp ? pow_k(ctx, (lm_expr *)b, lm_snum_int(k - mn), err) : NULL,
                              ee && sp ? pow_k(ctx, sp, lm_snum_int(mn), err) : NULL};
            lm_expr *rep = p3[0] && p3[1] && p3[2] ? lm_sym_mulv(ctx, 3, p3, err) : NULL;
            if (rep) keep_smaller(&best, replace2(ctx, m, i, at, rep, err));
            for (int q = 0; q < 3; q++) lm_expr_release(p3[q]);
            lm_expr_release(rep);
            lm_expr_release(ee);
            lm_expr_release(sp);
        }
        lm_expr_release(u);
    }
    /* exp(a)^p * exp(b)^q = exp(p*a + q*b) */
    int ne = 0;
    for (int i = 0; i < n; i++)
        if (is_call(lm_sym_base(f[i]), LM_XF_EXP)) ne++;
    if (ne >= 2) {
        lm_expr **args = lm_alloc((size_t)ne * sizeof *args);
        lm_expr **keep = lm_alloc(((size_t)n + 1) * sizeof *keep);
        int na = 0, nk = 0;
        bool ok = true;
        for (int i = 0; i < n && ok; i++) {
            const lm_expr *b = lm_sym_base(f[i]);
            if (!is_call(b, LM_XF_EXP)) {
                keep[nk++] = f[i];
                continue;
            }
            const lm_expr *ex = lm_sym_exp(f[i]);
            args[na] = ex ? lm_sym_mul(ctx, (lm_expr *)ex, b->args[0], err) : lm_expr_retain(b->args[0]);
            ok = args[na++] != NULL;
        }
        lm_expr *s = ok ? lm_sym_addv(ctx, na, args, err) : NULL;
        lm_expr *ee = s ? call1(ctx, "exp", s, err) : NULL;
        if (ee) {
            keep[nk++] = ee;
            keep_smaller(&best, lm_sym_mulv(ctx, nk, keep, err));
        }
        for (int i = 0; i < na; i++) lm_expr_release(args[i]);
        lm_expr_release(s);
        lm_expr_release(ee);
        lm_free(args);
        lm_free(keep);
    }
    return best;
}

/* log(1 + e^v) = softplus(v); a lone 1/(1 + e^v) = sigmoid(-v). */
static lm_expr *single_rules(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    if (is_call(e, LM_XF_LOG)) {
        const lm_expr *a = e->args[0];
        if (a->op == LM_X_ADD && a->nargs == 2 && lm_sym_is_rat(a->args[0], 1, 1) && is_call(a->args[1], LM_XF_EXP))
            return call1(ctx, "softplus", a->args[1]->args[0], err);
    }
    if (e->op == LM_X_POW && lm_sym_is_rat(e->args[1], -1, 1)) {
        const lm_expr *a = e->args[0];
        if (a->op == LM_X_ADD && a->nargs == 2 && lm_sym_is_rat(a->args[0], 1, 1) && is_call(a->args[1], LM_XF_EXP)) {
            lm_expr *nv = lm_sym_neg(ctx, a->args[1]->args[0], err);
            lm_expr *r = nv ? call1(ctx, "sigmoid", nv, err) : NULL;
            lm_expr_release(nv);
            return r;
        }
    }
    return lm_expr_retain(e);
}

static lm_expr *rules_top(walker *W, lm_expr *e) {
    lm_expr *cur = lm_expr_retain(e);
    for (int round = 0; round < 3 && cur; round++) {
        lm_expr *next;
        if (cur->op == LM_X_ADD) next = sum_rules(W->ctx, cur, W->err);
        else if (cur->op == LM_X_MUL) next = product_rules(W->ctx, cur, W->err);
        else next = single_rules(W->ctx, cur, W->err);
        lm_expr_release(cur);
        if (next == cur) return next;
        cur = next;
    }
    return cur;
}

static lm_expr *rules(lm_ctx *ctx, lm_expr *e, lm_err *err) { return walk_run(ctx, e, rules_top, true, NULL, err); }

/* ---- exp(-u) = 1/exp(u), so that a sum of exps can go over one denominator ---- */

static bool looks_negative(const lm_expr *u) {
    lm_snum s;
    if (lm_snum_of(u, &s)) return lm_snum_sign(s) < 0;
    if (u->op == LM_X_MUL) return lm_snum_of(u->args[0], &s) && lm_snum_sign(s) < 0;
    if (u->op == LM_X_ADD) {
        for (int i = 0; i < u->nargs; i++)
            if (!looks_negative(u->args[i])) return false;
        return true;
    }
    return false;
}

static lm_expr *expnorm_top(walker *W, lm_expr *e) {
    if (!is_call(e, LM_XF_EXP) || !looks_negative(e->args[0])) return lm_expr_retain(e);
    lm_expr *nu = lm_sym_neg(W->ctx, e->args[0], W->err);
    lm_expr *ex = nu ? call1(W->ctx, "exp", nu, W->err) : NULL;
    lm_expr *r = ex ? pow_k(W->ctx, ex, lm_snum_int(-1), W->err) : NULL;
    lm_expr_release(nu);
    lm_expr_release(ex);
    return r;
}

/* ---- rules for symbols stated positive ---- */

typedef struct posset {
    int n;
    const char *const *names;
} posset;

static bool is_pos(const lm_expr *e, const posset *P, int depth);

static bool is_real(const lm_expr *e, const posset *P, int depth) {
    if (depth > 64) return false;
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: return true;
    case LM_X_CONST: return e->sub != LM_XC_I;
    case LM_X_SYM: return is_pos(e, P, depth + 1);
    case LM_X_ADD:
    case LM_X_MUL:
        for (int i = 0; i < e->nargs; i++)
            if (!is_real(e->args[i], P, depth + 1)) return false;
        return true;
    case LM_X_POW:
        return is_pos(e->args[0], P, depth + 1) ? is_real(e->args[1], P, depth + 1)
                                                 : lm_sym_is_int(e->args[1]) && is_real(e->args[0], P, depth + 1);
    case LM_X_CALL:
        if (e->nargs != 1 || !is_real(e->args[0], P, depth + 1)) return false;
        switch (e->sub) {
        case LM_XF_LOG: return is_pos(e->args[0], P, depth + 1);
        case LM_XF_ASIN:
        case LM_XF_ACOS:
        case LM_XF_TAN:
        case LM_XF_SQRT: return false; /* domain not known */
        default: return e->sub != LM_XF_UNKNOWN;
        }
    default: return false;
    }
}

static bool is_pos(const lm_expr *e, const posset *P, int depth) {
    if (depth > 64) return false;
    lm_snum s;
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: return lm_snum_of(e, &s) && lm_snum_sign(s) > 0;
    case LM_X_CONST: return e->sub != LM_XC_I;
    case LM_X_SYM:
        for (int i = 0; i < P->n; i++)
            if (!strcmp(P->names[i], e->u.name)) return true;
        return false;
    case LM_X_ADD:
    case LM_X_MUL:
        for (int i = 0; i < e->nargs; i++)
            if (!is_pos(e->args[i], P, depth + 1)) return false;
        return true;
    case LM_X_POW: return is_pos(e->args[0], P, depth + 1) && is_real(e->args[1], P, depth + 1);
    case LM_X_CALL:
        if (e->nargs != 1) return false;
        if (e->sub == LM_XF_EXP || e->sub == LM_XF_COSH || e->sub == LM_XF_SIGMOID || e->sub == LM_XF_SOFTPLUS)
            return is_real(e->args[0], P, depth + 1);
        if (e->sub == LM_XF_ABS) return false;
        return (e->sub == LM_XF_SQRT || e->sub == LM_XF_SINH || e->sub == LM_XF_TANH || e->sub == LM_XF_ATAN ||
                e->sub == LM_XF_ASIN) &&
               is_pos(e->args[0], P, depth + 1);
    default: return false;
    }
}

static lm_expr *positive_top(walker *W, lm_expr *e) {
    const posset *P = W->ud;
    lm_ctx *ctx = W->ctx;
    /* (b^m)^r = b^(m r) for b > 0: sqrt(x^2) = x */
    if (e->op == LM_X_POW && e->args[0]->op == LM_X_POW && is_pos(e->args[0]->args[0], P, 0)) {
        lm_expr *k = lm_sym_mul(ctx, e->args[0]->args[1], e->args[1], W->err);
        lm_expr *r = k ? lm_sym_pow(ctx, e->args[0]->args[0], k, W->err) : NULL;
        lm_expr_release(k);
        return r;
    }
    if (is_call(e, LM_XF_ABS) && is_pos(e->args[0], P, 0)) return lm_expr_retain(e->args[0]);
    if (is_call(e, LM_XF_EXP)) {
        /* exp(k*log(b)) = b^k and exp(log(b)) = b for b > 0 */
        const lm_expr *a = e->args[0];
        lm_expr *const *fs = a->op == LM_X_MUL ? a->args : &e->args[0];
        int nf = a->op == LM_X_MUL ? a->nargs : 1;
        for (int i = 0; i < nf; i++) {
            if (!is_call(fs[i], LM_XF_LOG) || !is_pos(fs[i]->args[0], P, 0)) continue;
            lm_expr *k = rest_without(ctx, fs, nf, i, W->err);
            lm_expr *r = k ? lm_sym_pow(ctx, fs[i]->args[0], k, W->err) : NULL;
            lm_expr_release(k);
            return r;
        }
    }
    if (is_call(e, LM_XF_LOG) && is_pos(e->args[0], P, 0)) {
        /* log(a*b) = log(a) + log(b) and log(b^k) = k*log(b) for positive parts */
        const lm_expr *a = e->args[0];
        if (a->op == LM_X_POW && is_real(a->args[1], P, 0)) {
            lm_expr *l = call1(ctx, "log", a->args[0], W->err);
            lm_expr *r = l ? lm_sym_mul(ctx, a->args[1], l, W->err) : NULL;
            lm_expr_release(l);
            return r;
        }
        if (a->op == LM_X_MUL) {
            lm_expr **t = lm_alloc((size_t)a->nargs * sizeof *t);
            int nt = 0;
            bool ok = true;
            for (int i = 0; i < a->nargs && ok; i++) {
                lm_expr *l = call1(ctx, "log", a->args[i], W->err);
                /* the new logs may simplify again (log(x^2) = 2 log(x)) */
                lm_expr *l2 = l ? positive_top(W, l) : NULL;
                lm_expr_release(l);
                ok = (t[nt] = l2) != NULL;
                if (ok) nt++;
            }
            lm_expr *r = ok ? lm_sym_addv(ctx, nt, t, W->err) : NULL;
            for (int i = 0; i < nt; i++) lm_expr_release(t[i]);
            lm_free(t);
            return r;
        }
    }
    return lm_expr_retain(e);
}

/* ---- the search ---- */

typedef lm_expr *(*rewrite_fn)(lm_ctx *ctx, lm_expr *e, lm_err *err);

/* An expansion to more terms than the search would keep is not worth making. */
static bool expansion_too_big(const lm_expr *e) {
    return lm_sym_expand_estimate(e) > (double)(lm_sym_size(e) * GROW_FACTOR + GROW_SLACK);
}

static lm_expr *rw_expand(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    return expansion_too_big(e) ? NULL : lm_sym_expand(ctx, e, err);
}

static lm_expr *rw_cancel(lm_ctx *ctx, lm_expr *e, lm_err *err) { return lm_sym_cancel(ctx, e, err); }

/* together, then the numerator expanded: the form in which terms cancel */
static lm_expr *rw_together_expand(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    lm_expr *t = lm_sym_cancel(ctx, e, err);
    if (!t) return NULL;
    lm_expr *r = expansion_too_big(t) ? NULL : lm_sym_expand(ctx, t, err);
    lm_expr_release(t);
    if (!r) return NULL;
    /* expand also multiplied out the denominator; put the fraction back together */
    lm_expr *q = lm_sym_together(ctx, r, err);
    lm_expr_release(r);
    return q;
}

static lm_expr *ft_top(walker *W, lm_expr *e) { return lm_sym_factor_terms(W->ctx, e, true, W->err); }
static lm_expr *ft_top_num(walker *W, lm_expr *e) { return lm_sym_factor_terms(W->ctx, e, false, W->err); }

/* common factors with and without the common denominator: e^x log(x) + e^x/x
 * is shortest as e^x (log(x) + 1/x) */
static lm_expr *rw_factor_terms(lm_ctx *ctx, lm_expr *e, lm_err *err) { return walk_run(ctx, e, ft_top, true, NULL, err); }
static lm_expr *rw_factor_terms_num(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    return walk_run(ctx, e, ft_top_num, true, NULL, err);
}

static lm_expr *rw_factor(lm_ctx *ctx, lm_expr *e, lm_err *err) { return lm_sym_factor(ctx, e, err); }

static lm_expr *rw_rules(lm_ctx *ctx, lm_expr *e, lm_err *err) { return rules(ctx, e, err); }

static lm_expr *rw_expnorm(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    lm_expr *n = walk_run(ctx, e, expnorm_top, true, NULL, err);
    if (!n) return NULL;
    lm_expr *c = lm_sym_cancel(ctx, n, err);
    lm_expr_release(n);
    if (!c) return NULL;
    lm_expr *r = rules(ctx, c, err);
    lm_expr_release(c);
    return r;
}

static const rewrite_fn rewrites[] = {rw_rules, rw_expand, rw_cancel, rw_together_expand, rw_factor_terms,
                                      rw_factor_terms_num, rw_factor, rw_expnorm};
#define NREWRITES ((int)(sizeof rewrites / sizeof rewrites[0]))

typedef struct pool {
    lm_expr **v; /* owned, all distinct */
    uint64_t *size;
    int n, cap;
} pool;

static bool pool_has(const pool *p, const lm_expr *e) {
    for (int i = 0; i < p->n; i++)
        if (p->v[i] == e) return true;
    return false;
}

static void pool_add(pool *p, lm_expr *e, uint64_t size) { /* takes e */
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->v = lm_realloc(p->v, (size_t)p->cap * sizeof *p->v);
        p->size = lm_realloc(p->size, (size_t)p->cap * sizeof *p->size);
    }
    p->v[p->n] = e;
    p->size[p->n++] = size;
}

static void pool_free(pool *p) {
    for (int i = 0; i < p->n; i++) lm_expr_release(p->v[i]);
    lm_free(p->v);
    lm_free(p->size);
}

/* The smallest of e and its rewrites, over SEARCH_ROUNDS rounds. A rewrite that
 * fails (a limit inside an expansion, an overflow) is skipped; an interrupt or
 * the time limit stops the search with an error. */
static lm_expr *search(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    pool all = {0};
    uint64_t s0 = lm_sym_size(e);
    uint64_t cap = s0 * GROW_FACTOR + GROW_SLACK;
    pool_add(&all, lm_expr_retain(e), s0);
    int *frontier = lm_alloc(SEARCH_BEAM * sizeof *frontier), nfront = 1;
    frontier[0] = 0;
    lm_expr *best = NULL;
    for (int round = 0; round < SEARCH_ROUNDS && nfront > 0; round++) {
        int first_new = all.n;
        for (int f = 0; f < nfront; f++) {
            for (int k = 0; k < NREWRITES; k++) {
                lm_err e2 = LM_ERR_INIT;
                lm_expr *r = rewrites[k](ctx, all.v[frontier[f]], &e2);
                lm_err_clear(&e2);
                if (lm_ctx_poll(ctx, err) != LM_OK) {
                    lm_expr_release(r);
                    goto out;
                }
                if (!r) continue;
                uint64_t s = lm_sym_size(r);
                if (s > cap || pool_has(&all, r)) {
                    lm_expr_release(r);
                    continue;
                }
                pool_add(&all, r, s);
            }
        }
        /* the next frontier: the smallest new results */
        nfront = 0;
        for (int pick = 0; pick < SEARCH_BEAM; pick++) {
            int bi = -1;
            for (int i = first_new; i < all.n; i++) {
                bool taken = false;
                for (int q = 0; q < nfront; q++) taken = taken || frontier[q] == i;
                if (!taken && (bi < 0 || all.size[i] < all.size[bi])) bi = i;
            }
            if (bi < 0) break;
            frontier[nfront++] = bi;
        }
    }
    {
        int bi = 0; /* ties keep the earliest: the input, then the first rewrite found */
        for (int i = 1; i < all.n; i++)
            if (all.size[i] < all.size[bi]) bi = i;
        best = lm_expr_retain(all.v[bi]);
    }
out:
    lm_free(frontier);
    pool_free(&all);
    return best;
}

typedef struct simp {
    posset P;
    bool warned;
} simp;

/* exp(log(u)) = u needs u > 0, which only a stated assumption gives: say so
 * once when one is left after the positive rules ran. */
static lm_expr *warn_top(walker *W, lm_expr *e) {
    simp *S = W->ud;
    if (!S->warned && is_call(e, LM_XF_EXP) && is_call(e->args[0], LM_XF_LOG)) {
        lm_warn(W->ctx, "exp(log(u)) = u holds only for u > 0, which lemma cannot know: it is left as it is "
                        "(say simplify(e, positive = x) to assume x > 0)");
        S->warned = true;
    }
    return lm_expr_retain(e);
}

/* Function arguments are simplified on their own first (inner to outer), then
 * the whole is searched. */
static lm_expr *args_top(walker *W, lm_expr *e) {
    if (e->op != LM_X_CALL) return lm_expr_retain(e);
    bool changed = false;
    lm_expr **a = lm_alloc((size_t)e->nargs * sizeof *a);
    int done = 0;
    for (; done < e->nargs; done++) {
        /* a bare call as argument had its own arguments searched one level down,
         * which keeps sin(sin(...sin(x))) linear */
        const lm_expr *arg = e->args[done];
        a[done] = arg->nargs > 0 && arg->op != LM_X_CALL ? search(W->ctx, e->args[done], W->err)
                                                          : lm_expr_retain(e->args[done]);
        if (!a[done]) break;
        changed = changed || a[done] != e->args[done];
    }
    lm_expr *r = NULL;
    if (done == e->nargs) r = changed ? lm_sym_rebuild(W->ctx, e, a, W->err) : lm_expr_retain(e);
    for (int i = 0; i < done; i++) lm_expr_release(a[i]);
    lm_free(a);
    return r;
}

lm_expr *lm_sym_simplify(lm_ctx *ctx, lm_expr *e, int npositive, const char *const *positive, lm_err *err) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    if (e->op == LM_X_MATRIX || e->op == LM_X_REL) {
        lm_expr **a = lm_alloc((size_t)e->nargs * sizeof *a);
        int done = 0;
        for (; done < e->nargs; done++)
            if (!(a[done] = lm_sym_simplify(ctx, e->args[done], npositive, positive, err))) break;
        lm_expr *r = done == e->nargs ? lm_sym_rebuild(ctx, e, a, err) : NULL;
        for (int i = 0; i < done; i++) lm_expr_release(a[i]);
        lm_free(a);
        return r;
    }
    simp S = {{npositive, positive}, false};
    lm_expr *cur = lm_expr_retain(e);
    if (npositive > 0) {
        lm_expr *p = walk_run(ctx, cur, positive_top, true, &S.P, err);
        lm_expr_release(cur);
        if (!p) return NULL;
        cur = p;
    }
    lm_expr *w = walk_run(ctx, cur, warn_top, true, &S, err);
    lm_expr_release(cur);
    if (!w) return NULL;
    lm_expr *inner = walk_run(ctx, w, args_top, true, &S, err);
    lm_expr_release(w);
    if (!inner) return NULL;
    lm_expr *r = search(ctx, inner, err);
    lm_expr_release(inner);
    return r;
}
