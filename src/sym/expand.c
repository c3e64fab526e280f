/* expand: products distributed over sums and integer powers of sums multiplied
 * out (the binomial and multinomial theorems), everywhere in the tree, as SymPy's
 * expand does. Term counts are checked before any work so that (x + y)^100000
 * is a `limit` error at once, not a hang. */
#include "sym_int.h"

#include <string.h>

typedef struct ex {
    lm_ctx *ctx;
    lm_err *err;
    lm_xmap memo; /* node -> owned expanded node; the keys are retained too, since
                   * a temporary's children are keys and a freed node's address
                   * could come back as another node */
} ex;

/* Rounds of re-expansion when a product of expanded terms makes a new sum
 * ((x + 1)^(1/2) * (x + 1)^(1/2) is x + 1): each round removes one such
 * collision, so a few always suffice. */
#define EXPAND_REDO 6

static lm_expr *expand_node(ex *X, lm_expr *e, int redo);

static bool is_sum_power(const lm_expr *f) {
    return f->op == LM_X_POW && f->args[0]->op == LM_X_ADD && lm_sym_is_int(f->args[1]);
}

/* True when an expression built from expanded parts still has a product over a
 * sum or an integer power of a sum at its top. */
static bool needs_expand(const lm_expr *t) {
    if (t->op == LM_X_ADD) {
        for (int i = 0; i < t->nargs; i++)
            if (needs_expand(t->args[i])) return true;
        return false;
    }
    if (t->op == LM_X_MUL) {
        for (int i = 0; i < t->nargs; i++)
            if (t->args[i]->op == LM_X_ADD || (is_sum_power(t->args[i]) && t->args[i]->args[1]->u.rat.p > 0)) return true;
        return false;
    }
    return is_sum_power(t) && t->args[1]->u.rat.p > 0;
}

/* A growable owning list of terms. */
typedef struct tlist {
    lm_expr **v;
    size_t n, cap;
} tlist;

static void tpush(tlist *l, lm_expr *e) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = lm_realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = e;
}

static void tfree(tlist *l) {
    for (size_t i = 0; i < l->n; i++) lm_expr_release(l->v[i]);
    lm_free(l->v);
}

static bool too_many(ex *X, double count, const char *what) {
    if (count <= LM_SYM_EXPAND_MAX_TERMS) return false;
    lm_err_set(X->err, LM_ERR_LIMIT, "expanding %s would give about %.3g terms; the limit is %d", what, count,
               LM_SYM_EXPAND_MAX_TERMS);
    return true;
}

/* The product of factors (borrowed) as one term, re-expanded when needed; pushed. */
static bool push_product(ex *X, tlist *out, int n, lm_expr *const *f, int redo) {
    lm_expr *t = lm_sym_mulv(X->ctx, n, f, X->err);
    if (!t) return false;
    if (redo > 0 && needs_expand(t)) {
        lm_expr *u = expand_node(X, t, redo - 1);
        lm_expr_release(t);
        if (!u) return false;
        t = u;
    }
    tpush(out, t);
    return true;
}

static lm_expr *sum_of(ex *X, tlist *l) {
    lm_expr *r = lm_sym_addv(X->ctx, (int)l->n, l->v, X->err);
    tfree(l);
    return r;
}

/* A product of expanded factors, distributed over its sums. */
static lm_expr *distribute(ex *X, const lm_expr *m, int redo) {
    int n = m->nargs, nsum = 0;
    double count = 1;
    for (int i = 0; i < n; i++)
        if (m->args[i]->op == LM_X_ADD) {
            nsum++;
            count *= m->args[i]->nargs;
        }
    if (nsum == 0) return lm_expr_retain((lm_expr *)m);
    if (too_many(X, count, "this product")) return NULL;
    /* an odometer over one term of each sum */
    int *pos = lm_calloc((size_t)n, sizeof *pos);
    lm_expr **f = lm_alloc((size_t)n * sizeof *f);
    tlist out = {0};
    bool ok = true;
    for (;;) {
        for (int i = 0; i < n; i++) f[i] = m->args[i]->op == LM_X_ADD ? m->args[i]->args[pos[i]] : m->args[i];
        if (!push_product(X, &out, n, f, redo) || lm_ctx_poll(X->ctx, X->err) != LM_OK) {
            ok = false;
            break;
        }
        int i = n - 1;
        for (; i >= 0; i--) {
            if (m->args[i]->op != LM_X_ADD) continue;
            if (++pos[i] < m->args[i]->nargs) break;
            pos[i] = 0;
        }
        if (i < 0) break;
    }
    lm_free(pos);
    lm_free(f);
    if (!ok) {
        tfree(&out);
        return NULL;
    }
    return sum_of(X, &out);
}

/* (t_0 + ... + t_{k-1})^n for an expanded sum and n >= 2: the multinomial theorem,
 * sum over e_0 + ... + e_{k-1} = n of n!/(e_0! ... e_{k-1}!) * prod t_i^e_i. */
static lm_expr *multinomial(ex *X, const lm_expr *s, int64_t n, int redo) {
    int k = s->nargs;
    /* number of terms before collecting: C(n + k - 1, k - 1) */
    double count = 1;
    for (int j = 1; j < k && count <= 1e300; j++) count = count * (double)(n + j) / (double)j;
    if (too_many(X, count, "this power of a sum")) return NULL;

    /* Pascal's triangle up to n: with the term cap, n stays small unless k = 2,
     * and then only row n is used. */
    lm_snum **tri = lm_calloc((size_t)n + 1, sizeof *tri);
    for (int64_t m = (k == 2 ? n : 0); m <= n; m++) {
        tri[m] = lm_alloc((size_t)(m + 1) * sizeof **tri);
        if (k == 2) { /* row n alone: C(n, j+1) = C(n, j) * (n - j) / (j + 1) */
            tri[m][0] = lm_snum_int(1);
            for (int64_t j = 0; j < m; j++) tri[m][j + 1] = lm_snum_mul(tri[m][j], lm_snum_rat(m - j, j + 1));
        } else {
            tri[m][0] = tri[m][m] = lm_snum_int(1);
            for (int64_t j = 1; j < m; j++) tri[m][j] = lm_snum_add(tri[m - 1][j - 1], tri[m - 1][j]);
        }
    }
    int64_t *e = lm_calloc((size_t)k, sizeof *e);
    lm_expr **f = lm_alloc(((size_t)k + 1) * sizeof *f);
    tlist out = {0};
    bool ok = true;
    e[0] = n;
    for (;;) {
        /* coefficient: prod_i C(s_i, e_i) with s_i = e_i + ... + e_{k-1} */
        lm_snum c = lm_snum_int(1);
        int64_t rest = n;
        int nf = 0;
        for (int i = 0; i < k && rest > 0; i++) {
            if (e[i] == 0) continue;
            if (e[i] < rest) c = lm_snum_mul(c, tri[rest][e[i]]); /* C(rest, rest) = 1 */
            rest -= e[i];
        }
        f[nf++] = lm_sym_snum(X->ctx, c);
        bool fok = true;
        for (int i = 0; i < k; i++) {
            if (e[i] == 0) continue;
            lm_expr *ei = lm_sym_int(X->ctx, e[i]);
            f[nf] = lm_sym_pow(X->ctx, s->args[i], ei, X->err);
            lm_expr_release(ei);
            if (!f[nf]) {
                fok = false;
                break;
            }
            nf++;
        }
        if (fok) fok = push_product(X, &out, nf, f, redo);
        for (int i = 0; i < nf; i++) lm_expr_release(f[i]);
        if (!fok || lm_ctx_poll(X->ctx, X->err) != LM_OK) {
            ok = false;
            break;
        }
        /* next composition of n into k parts */
        int j = k - 2;
        while (j >= 0 && e[j] == 0) j--;
        if (j < 0) break;
        e[j]--;
        int64_t last = e[k - 1];
        e[k - 1] = 0;
        e[j + 1] = last + 1;
    }
    for (int64_t m = 0; m <= n; m++) lm_free(tri[m]);
    lm_free(tri);
    lm_free(e);
    lm_free(f);
    if (!ok) {
        tfree(&out);
        return NULL;
    }
    return sum_of(X, &out);
}

/* e with expanded operands: finish the job at the top. Takes nothing. */
static lm_expr *expand_top(ex *X, lm_expr *e, int redo) {
    if (e->op == LM_X_MUL) return distribute(X, e, redo);
    if (e->op == LM_X_ADD) {
        if (!needs_expand(e) || redo <= 0) return lm_expr_retain(e);
        tlist out = {0};
        for (int i = 0; i < e->nargs; i++) {
            lm_expr *t = expand_top(X, e->args[i], redo - 1);
            if (!t) {
                tfree(&out);
                return NULL;
            }
            tpush(&out, t);
        }
        return sum_of(X, &out);
    }
    if (is_sum_power(e)) {
        int64_t n = e->args[1]->u.rat.p;
        int64_t an = n < 0 ? -n : n;
        lm_expr *p = an == 1 ? lm_expr_retain(e->args[0]) : multinomial(X, e->args[0], an, redo);
        if (!p || n > 0) return p;
        /* 1/(x + 1)^2 = 1/(x^2 + 2*x + 1), as SymPy writes it */
        lm_expr *m1 = lm_sym_int(X->ctx, -1);
        lm_expr *r = lm_sym_pow(X->ctx, p, m1, X->err);
        lm_expr_release(m1);
        lm_expr_release(p);
        return r;
    }
    return lm_expr_retain(e);
}

static lm_expr *expand_node(ex *X, lm_expr *e, int redo) {
    if (e->nargs == 0) return lm_expr_retain(e);
    lm_xval v;
    if (redo == EXPAND_REDO && lm_xmap_get(&X->memo, e, &v)) return lm_expr_retain(v.p);
    lm_expr *stack[8];
    lm_expr **args = e->nargs <= 8 ? stack : lm_alloc((size_t)e->nargs * sizeof *args);
    int done = 0;
    bool same = true;
    lm_expr *r = NULL;
    for (; done < e->nargs; done++) {
        args[done] = expand_node(X, e->args[done], EXPAND_REDO);
        if (!args[done]) goto out;
        same = same && args[done] == e->args[done];
    }
    lm_expr *b = same ? lm_expr_retain(e) : lm_sym_rebuild(X->ctx, e, args, X->err);
    if (!b) goto out;
    r = expand_top(X, b, redo);
    lm_expr_release(b);
    if (r && redo == EXPAND_REDO) {
        v.p = lm_expr_retain(r);
        lm_xmap_put(&X->memo, lm_expr_retain(e), v);
    }
out:
    for (int i = 0; i < done; i++) lm_expr_release(args[i]);
    if (args != stack) lm_free(args);
    return r;
}

lm_expr *lm_sym_expand(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    ex X = {ctx, err, LM_XMAP_INIT};
    lm_expr *r = expand_node(&X, e, EXPAND_REDO);
    for (size_t i = 0; i < X.memo.cap; i++)
        if (X.memo.keys[i]) {
            lm_expr_release(X.memo.vals[i].p);
            lm_expr_release((lm_expr *)X.memo.keys[i]);
        }
    lm_xmap_free(&X.memo);
    return r;
}

/* ---- a cheap upper bound on the number of terms expand would make ---- */

static double est_walk(const lm_expr *e, lm_xmap *memo) {
    if (e->op != LM_X_ADD && e->op != LM_X_MUL && e->op != LM_X_POW) return 1;
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return v.d;
    double n;
    if (e->op == LM_X_ADD) {
        n = 0;
        for (int i = 0; i < e->nargs; i++) n += est_walk(e->args[i], memo);
    } else if (e->op == LM_X_MUL) {
        n = 1;
        for (int i = 0; i < e->nargs; i++) n *= est_walk(e->args[i], memo);
    } else if (lm_sym_is_int(e->args[1]) && e->args[1]->u.rat.p > 1) {
        /* C(t + k - 1, k) terms for a sum of t terms to the power k */
        double t = est_walk(e->args[0], memo), k = (double)e->args[1]->u.rat.p;
        n = 1;
        for (double j = 1; j < t && n < 1e18; j++) n = n * (k + j) / j;
    } else {
        n = 1; /* a denominator or a root stays one factor */
    }
    if (n > 1e18) n = 1e18;
    v.d = n;
    lm_xmap_put(memo, e, v);
    return n;
}

double lm_sym_expand_estimate(const lm_expr *e) {
    lm_xmap memo = LM_XMAP_INIT;
    double n = est_walk(e, &memo);
    lm_xmap_free(&memo);
    return n;
}
