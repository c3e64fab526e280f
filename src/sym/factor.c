/* factor: common factors pulled out of sums (SymPy's factor_terms), and
 * polynomials in one variable or generator (x, exp(x), sin(x)) split over the
 * rationals: content, square-free parts, and linear factors from the rational
 * roots; a homogeneous polynomial in two symbols (x^2 - y^2) goes through its
 * dehomogenization. What has no rational root stays as it is. */
#include "sym_int.h"

#include <string.h>

/* Degrees and parts handled here; beyond them factor leaves the sum alone. */
#define FACTOR_MAX_DEG 200
#define FACTOR_MAX_PARTS 64
#define FACTOR_MAX_ATOMS 16
#define FACTOR_MAX_TERMS 2000

/* ---- common factors ---- */

/* One term as coefficient * prod base^exp, without allocating: views into the node. */
typedef struct tview {
    lm_snum c;
    lm_expr *const *f;
    int nf;
} tview;

static const lm_expr *view_exp(const lm_expr *f) { return f->op == LM_X_POW ? f->args[1] : NULL; }

/* The exponent of base b in a term: its node (NULL = 1) and whether present. */
static bool term_exp(const tview *t, const lm_expr *b, const lm_expr **ex) {
    for (int i = 0; i < t->nf; i++)
        if (lm_sym_base(t->f[i]) == b) {
            *ex = view_exp(t->f[i]);
            return true;
        }
    return false;
}

static bool exp_num(const lm_expr *ex, lm_snum *s) {
    if (!ex) {
        *s = lm_snum_int(1);
        return true;
    }
    return ex->op == LM_X_RAT && lm_snum_of(ex, s);
}

lm_expr *lm_sym_factor_terms(lm_ctx *ctx, lm_expr *e, bool denominators, lm_err *err) {
    if (e->op != LM_X_ADD) return lm_expr_retain(e);
    int n = e->nargs;
    tview *t = lm_alloc((size_t)n * sizeof *t);
    bool exact = true;
    for (int i = 0; i < n; i++) {
        lm_sym_term_split((const lm_expr *const *)&e->args[i], &t[i].c, &t[i].f, &t[i].nf);
        if (t[i].c.isf) exact = false;
    }
    /* numeric content: gcd of numerators over lcm of denominators */
    lm_snum content = lm_snum_int(1);
    if (exact) {
        uint64_t g = 0, l = 1;
        for (int i = 0; i < n && exact; i++) {
            g = lm_snum_ugcd(g, (uint64_t)(t[i].c.p < 0 ? -t[i].c.p : t[i].c.p));
            uint64_t q = (uint64_t)t[i].c.q, nl;
            if (__builtin_mul_overflow(l / lm_snum_ugcd(l, q), q, &nl) || nl > (uint64_t)INT64_MAX) exact = false;
            else l = nl;
        }
        if (exact && g > 0 && g <= (uint64_t)INT64_MAX) content = lm_snum_rat((int64_t)g, (int64_t)l);
    }
    /* common powers: every base that occurs anywhere; an absent base has
     * exponent 0, so 1 + 1/x gives x^-1 * (x + 1) */
    lm_expr **common = lm_alloc(((size_t)e->nargs * 4 + 2) * sizeof *common);
    int nc = 0;
    lm_expr *res = NULL;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < t[i].nf; j++) {
            const lm_expr *b = lm_sym_base(t[i].f[j]);
            bool seen = false; /* first occurrence only */
            for (int k = 0; k < i && !seen; k++) {
                const lm_expr *ex;
                seen = term_exp(&t[k], b, &ex);
            }
            if (seen) continue;
            lm_snum mn = lm_snum_int(0);
            bool numeric = true, all_same = true;
            const lm_expr *first = NULL;
            bool first_set = false;
            for (int k = 0; k < n; k++) {
                const lm_expr *ex = NULL;
                bool has = term_exp(&t[k], b, &ex);
                lm_snum s = lm_snum_int(0);
                if (has && !exp_num(ex, &s)) numeric = false;
                if (!has) all_same = false;
                else if (!first_set) {
                    first = ex;
                    first_set = true;
                } else if (ex != first) all_same = false;
                if (numeric && (k == 0 || lm_snum_cmp(s, mn) < 0)) mn = s;
            }
            lm_expr *pw = NULL;
            if (!denominators && lm_snum_sign(mn) < 0) numeric = all_same = false;
            if (numeric && !lm_snum_is_zero(mn)) {
                lm_expr *k = lm_sym_snum(ctx, mn);
                pw = lm_sym_pow(ctx, (lm_expr *)b, k, err);
                lm_expr_release(k);
                if (!pw) goto out;
            } else if (!numeric && all_same) { /* exp(x)*y + exp(x)*z, or x^a*y + x^a */
                pw = lm_expr_retain(t[i].f[j]);
            }
            if (pw) common[nc++] = pw;
        }
    }
    if (nc == 0 && lm_snum_is(content, 1)) {
        res = lm_expr_retain(e);
        goto out;
    }
    {
        common[nc] = lm_sym_snum(ctx, content);
        lm_expr *cm = lm_sym_mulv(ctx, nc + 1, common, err);
        lm_expr_release(common[nc]);
        if (!cm) goto out;
        lm_expr *m1 = lm_sym_int(ctx, -1);
        lm_expr *inv = lm_sym_pow(ctx, cm, m1, err);
        lm_expr_release(m1);
        lm_expr **q = lm_alloc((size_t)n * sizeof *q);
        int nq = 0;
        bool ok = inv != NULL;
        for (int i = 0; i < n && ok; i++) {
            q[nq] = lm_sym_mul(ctx, e->args[i], inv, err);
            ok = q[nq++] != NULL;
        }
        lm_expr *inner = ok ? lm_sym_addv(ctx, nq, q, err) : NULL;
        for (int i = 0; i < nq; i++) lm_expr_release(q[i]);
        lm_free(q);
        lm_expr_release(inv);
        if (inner) res = lm_sym_mul(ctx, cm, inner, err);
        lm_expr_release(inner);
        lm_expr_release(cm);
    }
out:
    for (int i = 0; i < nc; i++) lm_expr_release(common[i]);
    lm_free(common);
    lm_free(t);
    return res;
}

/* ---- generators ---- */

/* The maximal non-polynomial parts of an expression: symbols, calls, powers
 * with other than whole positive exponents. A polynomial in one of them (x,
 * exp(x), sqrt(x)) can be factored over the rationals. */
static void atoms_walk(const lm_expr *e, const lm_expr **out, int *n, bool *over) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT:
    case LM_X_CONST: return;
    case LM_X_ADD:
    case LM_X_MUL:
        for (int i = 0; i < e->nargs; i++) atoms_walk(e->args[i], out, n, over);
        return;
    case LM_X_POW:
        if (lm_sym_is_int(e->args[1]) && e->args[1]->u.rat.p > 0) {
            atoms_walk(e->args[0], out, n, over);
            return;
        }
        break;
    default: break;
    }
    for (int i = 0; i < *n; i++)
        if (out[i] == e) return;
    if (*n == FACTOR_MAX_ATOMS) *over = true;
    else out[(*n)++] = e;
}

/* ---- factoring a polynomial over Q ---- */

/* h(x) homogenized with y to total degree d: sum h_i x^i y^(d - i). */
static lm_expr *homog_expr(lm_ctx *ctx, const lm_qpoly *h, const lm_expr *x, const lm_expr *y, int d, lm_err *err) {
    if (!y) return lm_qpoly_expr(ctx, h, x, err);
    lm_expr **t = lm_alloc(((size_t)h->deg + 1) * sizeof *t);
    int n = 0;
    bool ok = true;
    for (int i = 0; i <= h->deg && ok; i++) {
        if (lm_snum_is_zero(h->c[i])) continue;
        lm_expr *c = lm_sym_snum(ctx, h->c[i]), *ki = lm_sym_int(ctx, i), *kj = lm_sym_int(ctx, d - i);
        lm_expr *xp = lm_sym_pow(ctx, (lm_expr *)x, ki, err);
        lm_expr *yp = xp ? lm_sym_pow(ctx, (lm_expr *)y, kj, err) : NULL;
        lm_expr *f3[3] = {c, xp, yp};
        t[n] = yp ? lm_sym_mulv(ctx, 3, f3, err) : NULL;
        ok = t[n] != NULL;
        if (ok) n++;
        lm_expr_release(c);
        lm_expr_release(ki);
        lm_expr_release(kj);
        lm_expr_release(xp);
        lm_expr_release(yp);
    }
    lm_expr *r = ok ? lm_sym_addv(ctx, n, t, err) : NULL;
    for (int i = 0; i < n; i++) lm_expr_release(t[i]);
    lm_free(t);
    return r;
}

/* Pushes base^m (consumes base). */
static bool push_pow(lm_ctx *ctx, lm_expr **fs, int *nf, lm_expr *base, int m, lm_err *err) {
    if (!base) return false;
    lm_expr *k = lm_sym_int(ctx, m);
    fs[*nf] = lm_sym_pow(ctx, base, k, err);
    lm_expr_release(k);
    lm_expr_release(base);
    return fs[(*nf)++] != NULL;
}

/* f (deg >= 1) in the generator x as content * x^k * prod factors^m. With y,
 * f is the dehomogenized form of a homogeneous polynomial of total degree n in
 * x and y, and each factor is homogenized back. NULL without error: give up. */
static lm_expr *factor_qpoly(lm_ctx *ctx, const lm_qpoly *f, const lm_expr *x, const lm_expr *y, int n, lm_err *err) {
    lm_qpoly p = lm_qpoly_copy(f);
    lm_snum content;
    lm_qpoly parts[FACTOR_MAX_PARTS];
    int np = -1;
    lm_expr **fs = NULL;
    int nf = 0;
    lm_expr *res = NULL;
    if (!lm_qpoly_primitive(&p, &content)) goto out;
    /* x^k */
    int k = 0;
    while (k < p.deg && lm_snum_is_zero(p.c[k])) k++;
    if (k > 0) {
        memmove(p.c, p.c + k, (size_t)(p.deg - k + 1) * sizeof *p.c);
        p.deg -= k;
    }
    fs = lm_alloc((size_t)(f->deg + 4) * sizeof *fs);
    fs[nf++] = lm_sym_snum(ctx, content);
    if (k > 0 && !push_pow(ctx, fs, &nf, lm_expr_retain((lm_expr *)x), k, err)) goto out;
    /* y^(n - deg f): the factors of y that setting y = 1 hid */
    if (y && n - f->deg > 0 && !push_pow(ctx, fs, &nf, lm_expr_retain((lm_expr *)y), n - f->deg, err)) goto out;
    np = p.deg >= 1 ? lm_qpoly_squarefree(&p, parts, FACTOR_MAX_PARTS) : 0;
    if (np < 0) goto out;
    for (int i = 0; i < np; i++) {
        int m = i + 1;
        lm_qpoly *a = &parts[i];
        if (a->deg < 1) continue;
        lm_snum junk;
        if (!lm_qpoly_primitive(a, &junk)) goto out;
        lm_snum roots[FACTOR_MAX_DEG];
        int mult[FACTOR_MAX_DEG];
        int nr = lm_qpoly_rational_roots(a, roots, mult, FACTOR_MAX_DEG);
        for (int j = 0; j < nr; j++) {
            lm_qpoly lin = {1, (lm_snum[2]){lm_snum_neg(lm_snum_int(roots[j].p)), lm_snum_int(roots[j].q)}};
            if (!push_pow(ctx, fs, &nf, homog_expr(ctx, &lin, x, y, 1, err), m * mult[j], err)) goto out;
        }
        if (a->deg >= 1 && !push_pow(ctx, fs, &nf, homog_expr(ctx, a, x, y, a->deg, err), m, err)) goto out;
    }
    res = lm_sym_mulv(ctx, nf, fs, err);
out:
    for (int i = 0; i < np; i++) lm_qpoly_free(&parts[i]);
    for (int i = 0; i < nf; i++) lm_expr_release(fs[i]);
    lm_free(fs);
    lm_qpoly_free(&p);
    return res;
}

/* A homogeneous polynomial in the two symbols x and y with rational
 * coefficients, as its dehomogenization f(x) = p(x, 1); n its total degree. */
static bool homogeneous(const lm_expr *s, const lm_expr *x, const lm_expr *y, lm_qpoly *f, int *n) {
    int total = -1;
    lm_qpoly p = {-1, NULL};
    int nt = s->op == LM_X_ADD ? s->nargs : 1;
    lm_expr *const *terms = s->op == LM_X_ADD ? s->args : (lm_expr *const *)&s;
    for (int i = 0; i < nt; i++) {
        lm_snum c;
        lm_expr *const *fs;
        int nf;
        lm_sym_term_split((const lm_expr *const *)&terms[i], &c, &fs, &nf);
        if (c.isf) goto fail;
        int64_t a = 0, b = 0;
        for (int j = 0; j < nf; j++) {
            const lm_expr *base = lm_sym_base(fs[j]), *ex = lm_sym_exp(fs[j]);
            int64_t k = 1;
            if (ex) {
                if (!lm_sym_is_int(ex) || ex->u.rat.p < 1) goto fail;
                k = ex->u.rat.p;
            }
            if (base == x) a += k;
            else if (base == y) b += k;
            else goto fail;
        }
        if (a + b > FACTOR_MAX_DEG || (total >= 0 && a + b != total)) goto fail;
        total = (int)(a + b);
        if (!p.c) {
            p.c = lm_alloc(((size_t)FACTOR_MAX_DEG + 1) * sizeof *p.c);
            for (int j = 0; j <= FACTOR_MAX_DEG; j++) p.c[j] = lm_snum_int(0);
        }
        p.c[a] = c;
        if (a > p.deg) p.deg = (int)a;
    }
    if (p.deg < 1) goto fail;
    *f = p;
    *n = total;
    return true;
fail:
    lm_free(p.c);
    return false;
}

/* A sum with no common factor left: as a product when a rule applies, else NULL. */
static lm_expr *factor_sum(lm_ctx *ctx, lm_expr *s, lm_err *err) {
    const lm_expr *atoms[FACTOR_MAX_ATOMS];
    int na = 0;
    bool over = false;
    atoms_walk(s, atoms, &na, &over);
    if (over || na == 0) return NULL;
    /* an expansion this large is no polynomial a learner factors; leave it */
    if (lm_sym_expand_estimate(s) > FACTOR_MAX_TERMS) return NULL;
    if (na == 1) {
        lm_qpoly f;
        lm_err e2 = LM_ERR_INIT; /* a degree past the limit just means: leave it */
        int rc = lm_qpoly_from(ctx, s, atoms[0], FACTOR_MAX_DEG, &f, &e2);
        lm_err_clear(&e2);
        if (rc != 1) return NULL;
        lm_expr *r = f.deg >= 1 ? factor_qpoly(ctx, &f, atoms[0], NULL, 0, err) : NULL;
        lm_qpoly_free(&f);
        return r;
    }
    if (na == 2 && atoms[0]->op == LM_X_SYM && atoms[1]->op == LM_X_SYM) {
        lm_expr *ex = lm_sym_expand(ctx, s, err);
        if (!ex) return NULL;
        lm_qpoly f;
        int n;
        lm_expr *r = NULL;
        const lm_expr *x = lm_sym_cmp(atoms[0], atoms[1]) < 0 ? atoms[0] : atoms[1];
        const lm_expr *y = x == atoms[0] ? atoms[1] : atoms[0];
        if (homogeneous(ex, x, y, &f, &n)) {
            r = factor_qpoly(ctx, &f, x, y, n, err);
            lm_qpoly_free(&f);
        }
        lm_expr_release(ex);
        return r;
    }
    return NULL;
}

static lm_expr *factor_node(lm_ctx *ctx, lm_expr *e, lm_xmap *memo, lm_err *err);

/* Fractions first: a sum with denominators is put over one (together), then
 * its numerator and denominator are factored on their own. */
static lm_expr *factor_add(lm_ctx *ctx, lm_expr *e, lm_xmap *memo, lm_err *err) {
    lm_expr *tg = lm_sym_together(ctx, e, err);
    if (!tg) return NULL;
    if (tg != e && tg->op != LM_X_ADD) {
        lm_expr *r = factor_node(ctx, tg, memo, err);
        lm_expr_release(tg);
        return r;
    }
    lm_expr_release(tg);
    lm_expr *ft = lm_sym_factor_terms(ctx, e, true, err);
    if (!ft) return NULL;
    /* ft is common * inner (or e itself); factor the inner sum */
    lm_expr *inner = NULL, *rest = NULL;
    if (ft->op == LM_X_ADD) {
        inner = lm_expr_retain(ft);
        rest = lm_sym_int(ctx, 1);
    } else if (ft->op == LM_X_MUL) {
        for (int i = 0; i < ft->nargs; i++)
            if (ft->args[i]->op == LM_X_ADD) inner = ft->args[i];
        if (inner) {
            lm_expr *m1 = lm_sym_int(ctx, -1);
            lm_expr *inv = lm_sym_pow(ctx, inner, m1, err);
            rest = inv ? lm_sym_mul(ctx, ft, inv, err) : NULL;
            lm_expr_release(m1);
            lm_expr_release(inv);
            lm_expr_retain(inner);
            if (!rest) {
                lm_expr_release(inner);
                lm_expr_release(ft);
                return NULL;
            }
        }
    }
    if (!inner) return ft;
    lm_expr *fs = factor_sum(ctx, inner, err);
    lm_expr *r = NULL;
    if (fs) r = lm_sym_mul(ctx, rest, fs, err);
    else if (err->kind == LM_OK) r = lm_expr_retain(ft);
    lm_expr_release(fs);
    lm_expr_release(inner);
    lm_expr_release(rest);
    lm_expr_release(ft);
    return r;
}

static lm_expr *factor_node(lm_ctx *ctx, lm_expr *e, lm_xmap *memo, lm_err *err) {
    if (e->nargs == 0) return lm_expr_retain(e);
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return lm_expr_retain(v.p);
    lm_expr *r = NULL;
    if (e->op == LM_X_ADD) {
        /* the terms' own arguments first (sin(x^2 - 1) + 1), then the sum */
        lm_expr **a = lm_alloc((size_t)e->nargs * sizeof *a);
        int done = 0;
        bool same = true;
        for (; done < e->nargs; done++) {
            const lm_expr *t = e->args[done];
            /* factors of terms stay as they are, only calls inside them are factored */
            a[done] = t->op == LM_X_CALL ? factor_node(ctx, e->args[done], memo, err) : lm_expr_retain(e->args[done]);
            if (!a[done]) break;
            same = same && a[done] == e->args[done];
        }
        lm_expr *s = done == e->nargs ? (same ? lm_expr_retain(e) : lm_sym_addv(ctx, e->nargs, a, err)) : NULL;
        for (int i = 0; i < done; i++) lm_expr_release(a[i]);
        lm_free(a);
        if (s && s->op == LM_X_ADD) r = factor_add(ctx, s, memo, err);
        else if (s) r = factor_node(ctx, s, memo, err);
        lm_expr_release(s);
    } else {
        lm_expr **a = lm_alloc((size_t)e->nargs * sizeof *a);
        int done = 0;
        for (; done < e->nargs; done++) {
            /* an exponent is not factored: x^(2*n + 2) stays readable */
            bool skip = e->op == LM_X_POW && done == 1;
            a[done] = skip ? lm_expr_retain(e->args[done]) : factor_node(ctx, e->args[done], memo, err);
            if (!a[done]) break;
        }
        if (done == e->nargs) r = lm_sym_rebuild(ctx, e, a, err);
        for (int i = 0; i < done; i++) lm_expr_release(a[i]);
        lm_free(a);
    }
    if (r) {
        /* the key is retained: temporaries (a rebuilt sum, a together) are keys
         * too, and a freed node's address may come back as another node */
        v.p = lm_expr_retain(r);
        lm_xmap_put(memo, lm_expr_retain(e), v);
    }
    return r;
}

lm_expr *lm_sym_factor(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    lm_xmap memo = LM_XMAP_INIT;
    lm_expr *r = factor_node(ctx, e, &memo, err);
    for (size_t i = 0; i < memo.cap; i++)
        if (memo.keys[i]) {
            lm_expr_release(memo.vals[i].p);
            lm_expr_release((lm_expr *)memo.keys[i]);
        }
    lm_xmap_free(&memo);
    return r;
}
