/* steps(diff(e, x)): the derivative worked out one rule at a time, for a learner.
 * The expression so far holds the derivatives still to be taken as calls
 * diff(u, x) (LaTeX \frac{d}{dx}[u]; partial(u, x) for partial derivatives);
 * the sentences are prose and write them d/dx (u) (lm_sym_print_prose). Each
 * step takes the first pending one as printed, applies its rule (to every
 * pending derivative of the same simple kind at once), and substitutes. A
 * derivative met twice is reused, not redone. The last step brings the result
 * to the form lm_sym_diff gives, so the steps end where diff(e, x) does. */
#include "sym_int.h"

#include "lemma/steps.h"

#include <stdio.h>
#include <string.h>

/* A derivation longer than this finishes the remaining derivatives in one
 * step: past it, the steps stop teaching (a network's loss has hundreds). */
#define MAX_RULE_STEPS 120

typedef enum rule {
    R_SUM,
    R_CMUL,
    R_POWER,
    R_PRODUCT,
    R_QUOTIENT,
    R_RECIP,
    R_CHAIN,
    R_GPOW,
    R_EXP,
    R_EXPA, /* a^x for a constant a */
    R_LOG,
    R_TRIG,
    R_ATRIG,
    R_HYP,
    R_ABS,
    R_SIGMOID,
    R_SOFTPLUS,
    R_RELU,
    R_UNKNOWN,
} rule;

static const char *const rule_name[] = {
    "sum rule",         "constant multiple rule", "power rule",       "product rule",      "quotient rule",
    "reciprocal rule",  "chain rule",             "general power rule", "exponential rule", "exponential rule",
    "logarithm rule",   "trig rule",              "inverse trig rule", "hyperbolic rule",   "absolute value rule",
    "sigmoid rule",     "softplus rule",          "relu rule",         "?",
};

/* Rules whose applications read well side by side in one step. */
static bool batchable(rule r) { return r != R_PRODUCT && r != R_QUOTIENT && r != R_RECIP && r != R_CHAIN && r != R_GPOW; }

typedef struct known {
    lm_expr *d; /* the expansion that replaced diff(u, x) (+1) */
    int step;   /* 1-based number of the step that found it */
} known;

typedef struct sd {
    lm_ctx *ctx;
    lm_expr *x;
    bool partial;
    const char *fname; /* "diff" or "partial": the placeholder's name */
    lm_steps *steps;
    lm_err *err;
    lm_xmap known; /* u -> known* */
    lm_xmap dep;   /* node -> 1 when it contains x, 2 when not */
    lm_expr *usym; /* the u of "inner u = ..." (a name e does not use) */
    lm_buf text, latex;
    /* notes the sum rule leaves for the end of its step */
    bool pulled;          /* a number factor came out of a term */
    lm_expr *consts[4];   /* constant terms dropped (the first few, borrowed) */
    int nconsts;
} sd;

/* ---- small helpers ---- */

static lm_expr *ret(lm_expr *e) { return lm_expr_retain(e); }

static bool depends(sd *S, const lm_expr *e) {
    if (e == S->x) return true;
    if (e->nargs == 0) return false;
    lm_xval v;
    if (lm_xmap_get(&S->dep, e, &v)) return v.i == 1;
    bool d = false;
    for (int i = 0; i < e->nargs && !d; i++) d = depends(S, e->args[i]);
    v.i = d ? 1 : 2;
    /* the map keeps its keys alive: a node freed mid-derivation must not
     * leave its address behind for a new node to inherit */
    lm_xmap_put(&S->dep, lm_expr_retain((lm_expr *)e), v);
    return d;
}

/* diff(u, x): a derivative still to be taken. */
static lm_expr *ph(sd *S, lm_expr *u) {
    if (!u) return NULL;
    lm_expr *args[2] = {u, S->x};
    return lm_sym_call(S->ctx, S->fname, 2, args, S->err);
}

static bool is_ph(const sd *S, const lm_expr *e) {
    return e->op == LM_X_CALL && e->sub == LM_XF_UNKNOWN && e->nargs == 2 && e->args[1] == S->x &&
           !strcmp(e->u.name, S->fname);
}

/* ---- words and formulas ---- */

/* The sentences are prose, in the practice UI Markdown: lm_sym_print_prose. */
static void put_text(lm_buf *b, const lm_expr *e) { lm_sym_print_prose(e, b); }

/* "d/dx" or "∂/∂x" */
static void put_op(sd *S, lm_buf *b) {
    if (S->partial) lm_buf_printf(b, "∂/∂%s", S->x->u.name);
    else lm_buf_printf(b, "d/d%s", S->x->u.name);
}

/* "du/dx" or "∂u/∂x" */
static void put_du(sd *S, lm_buf *b) {
    if (S->partial) lm_buf_printf(b, "∂%s/∂%s", S->usym->u.name, S->x->u.name);
    else lm_buf_printf(b, "d%s/d%s", S->usym->u.name, S->x->u.name);
}

/* "d/dx x^3" or "d/dx (x^2 + 1)" */
static void put_d(sd *S, lm_buf *b, const lm_expr *u) {
    put_op(S, b);
    bool bare = lm_sym_reads_bare(u);
    lm_buf_puts(b, bare ? " " : " (");
    put_text(b, u);
    if (!bare) lm_buf_putc(b, ')');
}

/* One application in LaTeX: \frac{d}{dx}\left[u\right] = res */
static void latex_app(sd *S, lm_expr *u, const lm_expr *res) {
    lm_expr *p = ph(S, u);
    if (!p) return;
    if (S->latex.len) lm_buf_puts(&S->latex, ", \\quad ");
    lm_sym_print_latex(p, &S->latex);
    lm_buf_puts(&S->latex, " = ");
    lm_sym_print_latex(res, &S->latex);
    lm_expr_release(p);
}

/* ---- classifying ---- */

/* Splits a product of factors that all contain x into a numerator and a
 * denominator (factors with an exact negative exponent, inverted). */
static bool split_fraction(sd *S, const lm_expr *u, lm_expr **num, lm_expr **den) {
    int n = u->nargs, nn = 0, nd = 0;
    lm_expr **a = lm_alloc((size_t)n * sizeof *a), **b = lm_alloc((size_t)n * sizeof *b);
    bool ok = true;
    for (int i = 0; i < n; i++) {
        lm_expr *f = u->args[i];
        lm_snum s;
        if (f->op == LM_X_POW && lm_snum_of(f->args[1], &s) && !s.isf && s.p < 0) {
            lm_expr *k = lm_sym_snum(S->ctx, lm_snum_neg(s));
            b[nd] = lm_sym_pow(S->ctx, f->args[0], k, S->err);
            lm_expr_release(k);
            if (!b[nd]) ok = false;
            else nd++;
        } else {
            a[nn++] = ret(f);
        }
    }
    *num = ok ? lm_sym_mulv(S->ctx, nn, a, S->err) : NULL;
    *den = ok ? lm_sym_mulv(S->ctx, nd, b, S->err) : NULL;
    for (int i = 0; i < nn; i++) lm_expr_release(a[i]);
    for (int i = 0; i < nd; i++) lm_expr_release(b[i]);
    lm_free(a);
    lm_free(b);
    return *num && *den;
}

static rule classify(sd *S, const lm_expr *u) {
    if (u == S->x) return R_POWER;
    switch ((lm_xop)u->op) {
    case LM_X_ADD: return R_SUM;
    case LM_X_MUL: {
        bool has_const = false, has_den = false, has_num = false;
        for (int i = 0; i < u->nargs; i++) {
            const lm_expr *f = u->args[i];
            lm_snum s;
            if (!depends(S, f)) has_const = true;
            else if (f->op == LM_X_POW && lm_snum_of(f->args[1], &s) && !s.isf && s.p < 0) has_den = true;
            else has_num = true;
        }
        if (has_const) return R_CMUL;
        if (!has_den) return R_PRODUCT;
        return has_num ? R_QUOTIENT : R_RECIP;
    }
    case LM_X_POW: {
        bool da = depends(S, u->args[0]), db = depends(S, u->args[1]);
        if (da && db) return R_GPOW;
        if (da) return u->args[0] == S->x ? R_POWER : R_CHAIN;
        if (u->args[1] != S->x) return R_CHAIN;
        return u->args[0]->op == LM_X_CONST && u->args[0]->sub == LM_XC_E ? R_EXP : R_EXPA;
    }
    case LM_X_CALL:
        if (u->sub == LM_XF_UNKNOWN || u->nargs != 1) return R_UNKNOWN;
        if (u->args[0] != S->x) return R_CHAIN;
        switch (u->sub) {
        case LM_XF_SIN:
        case LM_XF_COS:
        case LM_XF_TAN: return R_TRIG;
        case LM_XF_ASIN:
        case LM_XF_ACOS:
        case LM_XF_ATAN: return R_ATRIG;
        case LM_XF_SINH:
        case LM_XF_COSH:
        case LM_XF_TANH: return R_HYP;
        case LM_XF_EXP: return R_EXP;
        case LM_XF_LOG: return R_LOG;
        case LM_XF_ABS: return R_ABS;
        case LM_XF_SIGMOID: return R_SIGMOID;
        case LM_XF_SOFTPLUS: return R_SOFTPLUS;
        case LM_XF_RELU: return R_RELU;
        default: return R_UNKNOWN;
        }
    default: return R_UNKNOWN;
    }
}

/* ---- the rules: each returns the expansion of diff(u, x) (+1) and writes its
 * part of the sentence ---- */

static lm_expr *rule_sum(sd *S, lm_expr *u, lm_buf *t) {
    int n = u->nargs, k = 0;
    lm_expr **ts = lm_alloc((size_t)n * sizeof *ts);
    lm_expr *r = NULL;
    for (int i = 0; i < n; i++) {
        lm_expr *term = u->args[i];
        if (!depends(S, term)) {
            if (S->nconsts < 4) S->consts[S->nconsts] = term;
            S->nconsts++;
            continue;
        }
        /* number factors stay in front: 3*x^2 - 2*x gives 3*d/dx x^2 - 2*d/dx x */
        lm_snum c;
        lm_expr *const *f;
        int nf;
        lm_sym_term_split((const lm_expr *const *)&u->args[i], &c, &f, &nf);
        lm_expr *rest = nf == 1 ? ret(f[0]) : lm_sym_mulv(S->ctx, nf, f, S->err);
        if (!lm_snum_is(c, 1) && !lm_snum_is(c, -1)) S->pulled = true;
        lm_expr *cn = lm_sym_snum(S->ctx, c);
        ts[k] = lm_sym_mul_take(S->ctx, cn, ph(S, rest), S->err);
        lm_expr_release(rest);
        if (!ts[k]) goto out;
        k++;
    }
    r = lm_sym_addv(S->ctx, k, ts, S->err);
    put_d(S, t, u);
    lm_buf_puts(t, " = ");
    if (r) put_text(t, r);
out:
    for (int i = 0; i < k; i++) lm_expr_release(ts[i]);
    lm_free(ts);
    return r;
}

static lm_expr *rule_cmul(sd *S, lm_expr *u, lm_buf *t) {
    int n = u->nargs, nc = 0, nv = 0;
    lm_expr **c = lm_alloc((size_t)n * sizeof *c), **v = lm_alloc((size_t)n * sizeof *v);
    for (int i = 0; i < n; i++) {
        if (depends(S, u->args[i])) v[nv++] = u->args[i];
        else c[nc++] = u->args[i];
    }
    lm_expr *cst = lm_sym_mulv(S->ctx, nc, c, S->err);
    lm_expr *rest = cst ? lm_sym_mulv(S->ctx, nv, v, S->err) : NULL;
    lm_expr *r = rest ? lm_sym_mul_take(S->ctx, ret(cst), ph(S, rest), S->err) : NULL;
    if (r) {
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
        /* a symbolic constant (y in d/dx y*x^2) deserves a word */
        bool sym = false;
        for (int i = 0; i < nc; i++) sym = sym || !lm_sym_isnum(c[i]);
        if (sym) {
            lm_buf_puts(t, ", since ");
            put_text(t, cst);
            lm_buf_printf(t, " does not contain %s", S->x->u.name);
        }
    }
    lm_expr_release(cst);
    lm_expr_release(rest);
    lm_free(c);
    lm_free(v);
    return r;
}

static lm_expr *rule_power(sd *S, lm_expr *u, lm_buf *t) {
    lm_expr *r;
    if (u == S->x) {
        r = lm_sym_int(S->ctx, 1);
    } else {
        lm_expr *n = u->args[1];
        lm_expr *nm1 = lm_sym_add_take(S->ctx, ret(n), lm_sym_int(S->ctx, -1), S->err);
        r = lm_sym_mul_take(S->ctx, ret(n), lm_sym_pow_take(S->ctx, ret(S->x), nm1, S->err), S->err);
    }
    if (r) {
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
    }
    return r;
}

static lm_expr *rule_product(sd *S, lm_expr *u, lm_buf *t) {
    int n = u->nargs;
    lm_expr **ts = lm_calloc((size_t)n, sizeof *ts), **fs = lm_alloc((size_t)n * sizeof *fs);
    lm_expr *r = NULL;
    int k = 0;
    for (; k < n; k++) {
        lm_expr *d = ph(S, u->args[k]);
        if (!d) goto out;
        memcpy(fs, u->args, (size_t)n * sizeof *fs);
        fs[k] = d;
        ts[k] = lm_sym_mulv(S->ctx, n, fs, S->err);
        lm_expr_release(d);
        if (!ts[k]) goto out;
    }
    r = lm_sym_addv(S->ctx, n, ts, S->err);
    if (r) {
        if (n == 2) {
            int perm[2];
            lm_sym_display_order(u, perm);
            put_op(S, t);
            lm_buf_puts(t, " (f·g) = f'·g + f·g' with f = ");
            put_text(t, u->args[perm[0]]);
            lm_buf_puts(t, " and g = ");
            put_text(t, u->args[perm[1]]);
        } else {
            lm_buf_printf(t, "for %d factors, differentiate one factor at a time, keep the others, and add up", n);
        }
        lm_buf_puts(t, ": ");
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
    }
out:
    for (int i = 0; i < k && i < n; i++) lm_expr_release(ts[i]);
    lm_free(ts);
    lm_free(fs);
    return r;
}

static lm_expr *rule_quotient(sd *S, lm_expr *u, lm_buf *t, bool recip) {
    lm_expr *num, *den;
    if (!split_fraction(S, u, &num, &den)) return NULL;
    lm_ctx *ctx = S->ctx;
    lm_err *err = S->err;
    lm_expr *r = NULL;
    lm_expr *den2inv = lm_sym_pow_take(ctx, ret(den), lm_sym_int(ctx, -2), err);
    if (!den2inv) goto out;
    if (recip) { /* (1/g)' = -g'/g^2 */
        r = lm_sym_mul_take(ctx, lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), ph(S, den), err), ret(den2inv), err);
    } else { /* (f/g)' = (f'*g - f*g')/g^2 */
        lm_expr *a = lm_sym_mul_take(ctx, ph(S, num), ret(den), err);
        lm_expr *b = lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), lm_sym_mul_take(ctx, ret(num), ph(S, den), err), err);
        r = lm_sym_mul_take(ctx, lm_sym_add_take(ctx, a, b, err), ret(den2inv), err);
    }
    if (r) {
        put_op(S, t);
        lm_buf_puts(t, recip ? " (1/g) = -g'/g^2 with g = " : " (f/g) = (f'·g - f·g')/g^2 with f = ");
        if (!recip) {
            put_text(t, num);
            lm_buf_puts(t, " and g = ");
        }
        put_text(t, den);
        lm_buf_puts(t, ": ");
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
    }
out:
    lm_expr_release(den2inv);
    lm_expr_release(num);
    lm_expr_release(den);
    return r;
}

/* The outer function of u as a function of S->usym, and its derivative there. */
static bool outer_of(sd *S, lm_expr *u, lm_expr **inner, lm_expr **outer, lm_expr **douter) {
    lm_ctx *ctx = S->ctx;
    lm_err *err = S->err;
    lm_expr *v = S->usym;
    *outer = *douter = NULL;
    if (u->op == LM_X_CALL) {
        *inner = u->args[0];
        *outer = lm_sym_call(ctx, u->u.name, 1, &v, err);
        *douter = lm_sym_fn_deriv(ctx, u->sub, v, err);
    } else if (depends(S, u->args[0])) { /* u^n */
        *inner = u->args[0];
        lm_expr *n = u->args[1];
        *outer = lm_sym_pow(ctx, v, n, err);
        lm_expr *nm1 = lm_sym_add_take(ctx, ret(n), lm_sym_int(ctx, -1), err);
        *douter = lm_sym_mul_take(ctx, ret(n), lm_sym_pow_take(ctx, ret(v), nm1, err), err);
    } else { /* a^u */
        *inner = u->args[1];
        *outer = lm_sym_pow(ctx, u->args[0], v, err);
        lm_expr *lg = lm_sym_call(ctx, "log", 1, &u->args[0], err);
        *douter = lm_sym_mul_take(ctx, ret(*outer), lg, err);
    }
    return *outer && *douter;
}

static lm_expr *rule_chain(sd *S, lm_expr *u, lm_buf *t) {
    lm_expr *inner, *outer, *douter, *r = NULL;
    if (!outer_of(S, u, &inner, &outer, &douter)) goto out;
    /* f'(g(x)) * g'(x) */
    const char *uname = S->usym->u.name;
    lm_expr *at = lm_sym_subs(S->ctx, douter, 1, &uname, &inner, S->err);
    r = lm_sym_mul_take(S->ctx, at, ph(S, inner), S->err);
    if (r) {
        lm_buf_puts(t, "outer function ");
        put_text(t, outer);
        lm_buf_printf(t, ", inner function %s = ", uname);
        put_text(t, inner);
        lm_buf_puts(t, "; ");
        put_d(S, t, outer);
        lm_buf_puts(t, douter->op == LM_X_ADD ? " = (" : " = "); /* (1 - tanh(u)^2)·du/dx */
        put_text(t, douter);
        lm_buf_puts(t, douter->op == LM_X_ADD ? ")·" : "·");
        put_du(S, t);
        lm_buf_puts(t, ", so ");
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
    }
out:
    lm_expr_release(outer);
    lm_expr_release(douter);
    return r;
}

static lm_expr *rule_gpow(sd *S, lm_expr *u, lm_buf *t) {
    lm_expr *a = u->args[0], *b = u->args[1];
    lm_expr *w = lm_sym_mul_take(S->ctx, ret(b), lm_sym_call(S->ctx, "log", 1, &a, S->err), S->err);
    lm_expr *r = w ? lm_sym_mul_take(S->ctx, ret(u), ph(S, w), S->err) : NULL;
    if (r) {
        lm_buf_printf(t, "base and exponent both contain %s, so write ", S->x->u.name);
        put_text(t, u);
        lm_buf_puts(t, " = e^(");
        put_text(t, w);
        lm_buf_puts(t, "); by the chain rule through e^w, ");
        put_d(S, t, u);
        lm_buf_puts(t, " = ");
        put_text(t, r);
    }
    lm_expr_release(w);
    return r;
}

/* exp, log, trig, ... of x itself: the table derivative. */
static lm_expr *rule_basic(sd *S, lm_expr *u, rule R, lm_buf *t) {
    lm_expr *r;
    if (u->op == LM_X_POW) { /* a^x = a^x * log(a) (e^x: log(e) = 1) */
        r = lm_sym_mul_take(S->ctx, ret(u), lm_sym_call(S->ctx, "log", 1, &u->args[0], S->err), S->err);
    } else {
        r = lm_sym_fn_deriv(S->ctx, u->sub, S->x, S->err);
    }
    if (!r) return NULL;
    put_d(S, t, u);
    lm_buf_puts(t, " = ");
    put_text(t, r);
    if (R == R_ABS) lm_buf_printf(t, " (the sign of %s: 1 above 0, -1 below, undefined at 0)", S->x->u.name);
    if (R == R_RELU) lm_buf_printf(t, " (1 for %s > 0, 0 for %s < 0, undefined at 0)", S->x->u.name, S->x->u.name);
    return r;
}

/* ---- the expression so far ---- */

typedef struct pvec {
    lm_expr **v;
    int n, cap;
} pvec;

static void pv_push(pvec *p, lm_expr *e) {
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->v = lm_realloc(p->v, (size_t)p->cap * sizeof *p->v);
    }
    p->v[p->n++] = e;
}

/* The pending derivatives of e in the order they are printed (borrowed). */
static void collect(sd *S, lm_expr *e, lm_xmap *seen, pvec *out) {
    lm_xval v;
    if (e->nargs == 0 || lm_xmap_get(seen, e, &v)) return;
    v.i = 1;
    lm_xmap_put(seen, e, v);
    if (is_ph(S, e)) {
        pv_push(out, e);
        return;
    }
    int stack[16];
    int *perm = e->nargs <= 16 ? stack : lm_alloc((size_t)e->nargs * sizeof *perm);
    lm_sym_display_order(e, perm);
    for (int i = 0; i < e->nargs; i++) collect(S, e->args[perm[i]], seen, out);
    if (perm != stack) lm_free(perm);
}

/* e with each from[i] replaced by to[i], rebuilt through the constructors. */
static lm_expr *replace_walk(sd *S, lm_expr *e, lm_xmap *map, lm_xmap *memo) {
    lm_xval v;
    if (lm_xmap_get(map, e, &v)) return ret(v.p);
    if (e->nargs == 0) return ret(e);
    if (lm_xmap_get(memo, e, &v)) return ret(v.p);
    lm_expr *stack[8];
    lm_expr **args = e->nargs <= 8 ? stack : lm_alloc((size_t)e->nargs * sizeof *args);
    int k = 0;
    bool same = true;
    lm_expr *r = NULL;
    for (; k < e->nargs; k++) {
        if (!(args[k] = replace_walk(S, e->args[k], map, memo))) goto out;
        same = same && args[k] == e->args[k];
    }
    r = same ? ret(e) : lm_sym_rebuild(S->ctx, e, args, S->err);
    if (r) {
        v.p = ret(r);
        lm_xmap_put(memo, e, v);
    }
out:
    for (int i = 0; i < k; i++) lm_expr_release(args[i]);
    if (args != stack) lm_free(args);
    return r;
}

static lm_expr *replace(sd *S, lm_expr *e, int n, lm_expr *const *from, lm_expr *const *to) {
    lm_xmap map = LM_XMAP_INIT, memo = LM_XMAP_INIT;
    for (int i = 0; i < n; i++) {
        lm_xval v;
        v.p = to[i];
        lm_xmap_put(&map, from[i], v);
    }
    lm_expr *r = replace_walk(S, e, &map, &memo);
    for (size_t i = 0; i < memo.cap; i++)
        if (memo.keys[i]) lm_expr_release(memo.vals[i].p);
    lm_xmap_free(&memo);
    lm_xmap_free(&map);
    return r;
}

/* Substitutes derivatives found in earlier steps into r (which takes r), and
 * names them in the sentence. */
static lm_expr *reuse_known(sd *S, lm_expr *r, lm_buf *t) {
    for (int round = 0; r && round < MAX_RULE_STEPS; round++) {
        pvec p = {0};
        lm_xmap seen = LM_XMAP_INIT;
        collect(S, r, &seen, &p);
        lm_xmap_free(&seen);
        lm_expr **from = lm_alloc((size_t)(p.n ? p.n : 1) * sizeof *from);
        lm_expr **to = lm_alloc((size_t)(p.n ? p.n : 1) * sizeof *to);
        int n = 0;
        for (int i = 0; i < p.n; i++) {
            lm_xval v;
            if (!lm_xmap_get(&S->known, p.v[i]->args[0], &v)) continue;
            known *kn = v.p;
            from[n] = p.v[i];
            to[n++] = kn->d;
            lm_buf_puts(t, "; ");
            put_d(S, t, p.v[i]->args[0]);
            lm_buf_printf(t, " was found in step %d", kn->step);
        }
        lm_expr *next = n ? replace(S, r, n, from, to) : NULL;
        lm_free(from);
        lm_free(to);
        lm_free(p.v);
        if (!n) break;
        lm_expr_release(r);
        r = next;
    }
    return r;
}

static lm_expr *apply(sd *S, rule R, lm_expr *u, lm_buf *t) {
    switch (R) {
    case R_SUM: return rule_sum(S, u, t);
    case R_CMUL: return rule_cmul(S, u, t);
    case R_POWER: return rule_power(S, u, t);
    case R_PRODUCT: return rule_product(S, u, t);
    case R_QUOTIENT: return rule_quotient(S, u, t, false);
    case R_RECIP: return rule_quotient(S, u, t, true);
    case R_CHAIN: return rule_chain(S, u, t);
    case R_GPOW: return rule_gpow(S, u, t);
    case R_UNKNOWN: {
        lm_buf b = LM_BUF_INIT;
        put_text(&b, u);
        lm_err_set(S->err, LM_ERR_DOMAIN, "cannot differentiate %s: %s is not a function lemma knows the derivative of",
                   lm_buf_cstr(&b), u->op == LM_X_CALL ? u->u.name : "it");
        lm_buf_free(&b);
        return NULL;
    }
    default: return rule_basic(S, u, R, t);
    }
}

/* The general statement that opens a step, before its applications, in the
 * step's variable and notation (d/dx or ∂/∂y). */
static void rule_intro(sd *S, rule R, lm_buf *t) {
    const char *v = S->x->u.name;
    switch (R) {
    case R_SUM: lm_buf_puts(t, "The derivative of a sum is the sum of the derivatives of its terms"); break;
    case R_CMUL: lm_buf_puts(t, "A constant factor stays in front of the derivative"); break;
    case R_POWER:
        lm_buf_puts(t, "Power rule, ");
        put_op(S, t);
        lm_buf_printf(t, " %s^n = n·%s^(n-1)", v, v);
        break;
    case R_PRODUCT: lm_buf_puts(t, "Product rule"); break;
    case R_QUOTIENT: lm_buf_puts(t, "Quotient rule"); break;
    case R_RECIP: lm_buf_puts(t, "Reciprocal rule"); break;
    case R_CHAIN: lm_buf_puts(t, "Chain rule"); break;
    case R_GPOW: lm_buf_puts(t, "General power rule"); break;
    case R_EXP: lm_buf_puts(t, "The exponential function is its own derivative"); break;
    case R_EXPA: lm_buf_printf(t, "An exponential a^%s with a constant base a has derivative a^%s·log(a)", v, v); break;
    case R_LOG: lm_buf_printf(t, "The natural logarithm log(%s) has derivative 1/%s", v, v); break;
    case R_TRIG: lm_buf_puts(t, "Derivatives of the trigonometric functions"); break;
    case R_ATRIG: lm_buf_puts(t, "Derivatives of the inverse trigonometric functions"); break;
    case R_HYP: lm_buf_puts(t, "Derivatives of the hyperbolic functions"); break;
    case R_ABS: lm_buf_puts(t, "The absolute value has slope -1 left of 0 and 1 right of it"); break;
    case R_SIGMOID: lm_buf_puts(t, "The logistic sigmoid satisfies sigmoid' = sigmoid·(1 - sigmoid)"); break;
    case R_SOFTPLUS: lm_buf_puts(t, "The derivative of softplus(u) = log(1 + e^u) is the sigmoid"); break;
    case R_RELU: lm_buf_puts(t, "relu(u) = max(u, 0) has slope 1 where u > 0 and 0 where u < 0"); break;
    default: break;
    }
}

/* What the sum rule did besides splitting: "y^3 does not contain x, so its
 * derivative is 0"; number factors that stayed in front. */
static void sum_notes(sd *S) {
    lm_buf *t = &S->text;
    if (S->pulled) lm_buf_puts(t, "; number factors stay in front (the constant multiple rule)");
    if (S->nconsts > 0) {
        bool numbers = true;
        int shown = S->nconsts < 4 ? S->nconsts : 4;
        for (int i = 0; i < shown; i++) numbers = numbers && lm_sym_isnum(S->consts[i]);
        lm_buf_puts(t, "; ");
        for (int i = 0; i < shown; i++) {
            if (i) lm_buf_puts(t, i == S->nconsts - 1 ? " and " : ", ");
            put_text(t, S->consts[i]);
        }
        if (S->nconsts > shown) lm_buf_puts(t, " and the other constant terms");
        bool one = S->nconsts == 1;
        const char *tail = one ? "its derivative is 0" : "their derivatives are 0";
        if (numbers) lm_buf_printf(t, " %s, so %s", one ? "is a constant" : "are constants", tail);
        else lm_buf_printf(t, " %s not contain %s, so %s", one ? "does" : "do", S->x->u.name, tail);
    }
    S->pulled = false;
    S->nconsts = 0;
}

/* A step whose value is the expression so far (borrowed). */
static void add_step(sd *S, const char *rname, lm_expr *value) {
    lm_value v = lm_expr_value(ret(value));
    lm_steps_add(S->steps, rname, v, S->latex.len ? lm_buf_cstr(&S->latex) : NULL, "%s", lm_buf_cstr(&S->text));
    lm_release(v); /* lm_steps_add keeps its own reference */
    lm_buf_reset(&S->text);
    lm_buf_reset(&S->latex);
}

/* A name for the inner function that e does not use: u, v, w, u1, u2, ... */
static lm_expr *fresh_name(lm_ctx *ctx, lm_expr *e, lm_expr *x) {
    static const char *const cands[] = {"u", "v", "w", "t", "s"};
    const lm_expr **syms;
    size_t n = lm_sym_symbols(e, &syms);
    char name[24];
    for (int k = 0;; k++) {
        if (k < 5) snprintf(name, sizeof name, "%s", cands[k]);
        else snprintf(name, sizeof name, "u%d", k - 4);
        bool used = !strcmp(name, x->u.name);
        for (size_t i = 0; i < n && !used; i++) used = !strcmp(syms[i]->u.name, name);
        if (!used) break;
    }
    lm_free((void *)syms);
    return lm_sym_symbol(ctx, name);
}

lm_expr *lm_sym_diff_steps(lm_ctx *ctx, lm_expr *e, lm_expr *x, bool partial, struct lm_steps *steps, lm_err *err) {
    if (!e || !x || x->op != LM_X_SYM) return lm_sym_diff(ctx, e, x, err); /* its errors */
    if (e->op == LM_X_MATRIX || e->op == LM_X_REL) {
        lm_err_set(err, LM_ERR_TYPE, "steps explains the derivative of one expression; use diff without steps for %s",
                   e->op == LM_X_MATRIX ? "a matrix" : "an equation");
        return NULL;
    }
    lm_expr *final = lm_sym_diff(ctx, e, x, err); /* also finds unknown functions up front */
    if (!final) return NULL;
    sd S = {ctx, x, partial, partial ? "partial" : "diff", steps, err, LM_XMAP_INIT, LM_XMAP_INIT, NULL,
            LM_BUF_INIT, LM_BUF_INIT, false, {NULL, NULL, NULL, NULL}, 0};
    S.usym = fresh_name(ctx, e, x);
    lm_expr *cur = NULL;
    if (!depends(&S, e)) {
        put_d(&S, &S.text, e);
        lm_buf_printf(&S.text, " = 0: ");
        put_text(&S.text, e);
        lm_buf_printf(&S.text, " does not contain %s, so it is a constant and does not change as %s does.", x->u.name,
                      x->u.name);
        lm_expr *p = ph(&S, e);
        if (p) {
            lm_sym_print_latex(p, &S.latex);
            lm_buf_puts(&S.latex, " = 0");
            lm_expr_release(p);
        }
        add_step(&S, "constant", final);
        goto done;
    }
    cur = ph(&S, e);
    int rule_steps = 0;
    while (cur) {
        if (lm_ctx_poll(ctx, err) != LM_OK) goto fail;
        pvec p = {0};
        lm_xmap seen = LM_XMAP_INIT;
        collect(&S, cur, &seen, &p);
        lm_xmap_free(&seen);
        if (p.n == 0) {
            lm_free(p.v);
            break;
        }
        lm_expr **from = lm_alloc((size_t)p.n * sizeof *from), **to = lm_calloc((size_t)p.n, sizeof *to);
        int nb = 0;
        bool failed = false;
        const char *rname;
        if (++rule_steps > MAX_RULE_STEPS) {
            /* too long to teach: finish every pending derivative at once */
            rname = "remaining derivatives";
            lm_buf_printf(&S.text, "The remaining %d derivatives follow by the same rules", p.n);
            for (int i = 0; i < p.n; i++) {
                from[nb] = p.v[i];
                if (!(to[nb++] = lm_sym_diff(ctx, p.v[i]->args[0], x, err))) {
                    failed = true;
                    break;
                }
            }
        } else {
            rule R = classify(&S, p.v[0]->args[0]);
            rname = rule_name[R];
            rule_intro(&S, R, &S.text);
            lm_buf_puts(&S.text, R == R_CHAIN ? " with " : ": ");
            for (int i = 0; i < p.n; i++) {
                if (i > 0 && (!batchable(R) || classify(&S, p.v[i]->args[0]) != R)) continue;
                if (nb > 0) lm_buf_puts(&S.text, "; ");
                lm_expr *u = p.v[i]->args[0];
                lm_expr *r = apply(&S, R, u, &S.text);
                r = reuse_known(&S, r, &S.text);
                if (!r) {
                    failed = true;
                    break;
                }
                latex_app(&S, u, r);
                from[nb] = p.v[i];
                to[nb++] = r;
            }
        }
        bool ok = nb > 0 && !failed;
        lm_expr *next = ok ? replace(&S, cur, nb, from, to) : NULL;
        for (int i = 0; i < nb && ok; i++) { /* remember each for reuse */
            lm_xval v;
            known *kn = lm_alloc(sizeof *kn);
            kn->d = ret(to[i]);
            kn->step = (int)steps->n + 1;
            lm_xval old;
            if (lm_xmap_get(&S.known, from[i]->args[0], &old)) { /* not expected: a derivative is taken once */
                known *prev = old.p;
                lm_expr_release(prev->d);
                *prev = *kn;
                lm_free(kn);
                continue;
            }
            v.p = kn;
            lm_xmap_put(&S.known, ret(from[i]->args[0]), v); /* keeps u alive, as dep does */
        }
        for (int i = 0; i < nb; i++) lm_expr_release(to[i]);
        lm_free(from);
        lm_free(to);
        lm_free(p.v);
        lm_expr_release(cur);
        cur = next;
        if (!cur) goto fail;
        sum_notes(&S);
        lm_buf_putc(&S.text, '.');
        if (!S.latex.len) { /* the remaining derivatives: where they lead */
            lm_expr *p0 = ph(&S, e);
            if (p0) {
                lm_sym_print_latex(p0, &S.latex);
                lm_buf_puts(&S.latex, " = ");
                lm_sym_print_latex(cur, &S.latex);
                lm_expr_release(p0);
            }
        }
        add_step(&S, rname, cur);
    }
    if (cur != final) {
        /* the pieces as the rules left them, against diff's canonical result */
        uint64_t a = lm_sym_size(cur), b = lm_sym_size(final);
        if (b < a) lm_buf_puts(&S.text, "Simplify: multiply out and collect like terms");
        else lm_buf_puts(&S.text, "Simplify: multiply out and split into simpler terms, the form diff gives (the same function)");
        lm_buf_puts(&S.text, ": ");
        put_text(&S.text, final);
        lm_buf_putc(&S.text, '.');
        lm_expr *p = ph(&S, e);
        if (p) {
            lm_sym_print_latex(p, &S.latex);
            lm_buf_puts(&S.latex, " = ");
            lm_sym_print_latex(final, &S.latex);
            lm_expr_release(p);
        }
        add_step(&S, "simplify", final);
    }
    goto done;
fail:
    lm_expr_release(final);
    final = NULL;
done:
    lm_expr_release(cur);
    for (size_t i = 0; i < S.known.cap; i++) {
        if (!S.known.keys[i]) continue;
        known *kn = S.known.vals[i].p;
        lm_expr_release(kn->d);
        lm_free(kn);
        lm_expr_release((lm_expr *)S.known.keys[i]);
    }
    lm_xmap_free(&S.known);
    for (size_t i = 0; i < S.dep.cap; i++)
        if (S.dep.keys[i]) lm_expr_release((lm_expr *)S.dep.keys[i]);
    lm_xmap_free(&S.dep);
    lm_expr_release(S.usym);
    lm_buf_free(&S.text);
    lm_buf_free(&S.latex);
    return final;
}
