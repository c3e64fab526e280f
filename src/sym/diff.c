/* Symbolic differentiation: d e/d x over the hash-consed DAG, memoized per node
 * so a shared subtree is differentiated once, with results built through the
 * canonical constructors (like terms collected as they meet). Also the calculus
 * built on it: n-th derivatives, gradient, Jacobian, Hessian, directional
 * derivative and Taylor polynomials. The step-by-step version is diffsteps.c. */
#include "sym_int.h"

#include <math.h>
#include <string.h>

/* ---- consuming helpers: each takes its operands (NULL-safe) ---- */

static lm_expr *t_call(lm_ctx *ctx, const char *name, lm_expr *u, lm_err *err) {
    lm_expr *r = u ? lm_sym_call(ctx, name, 1, &u, err) : NULL;
    lm_expr_release(u);
    return r;
}

static lm_expr *ret(lm_expr *e) { return lm_expr_retain(e); }

static bool is_zero(const lm_expr *e) { return e->op == LM_X_RAT && e->u.rat.p == 0; }

/* ---- the outer derivatives ---- */

lm_expr *lm_sym_fn_deriv(lm_ctx *ctx, int fn, lm_expr *u, lm_err *err) {
    switch (fn) {
    case LM_XF_SIN: return t_call(ctx, "cos", ret(u), err);
    case LM_XF_COS: return lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), t_call(ctx, "sin", ret(u), err), err);
    case LM_XF_TAN: /* 1 + tan(u)^2, SymPy's form */
        return lm_sym_add_take(ctx, lm_sym_int(ctx, 1), lm_sym_pow_take(ctx, t_call(ctx, "tan", ret(u), err), lm_sym_int(ctx, 2), err),
                     err);
    case LM_XF_ASIN: /* 1/sqrt(1 - u^2) */
    case LM_XF_ACOS: {
        lm_expr *s = lm_sym_add_take(ctx, lm_sym_int(ctx, 1),
                           lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), lm_sym_pow_take(ctx, ret(u), lm_sym_int(ctx, 2), err), err), err);
        lm_expr *r = lm_sym_pow_take(ctx, s, lm_sym_rat(ctx, -1, 2), err);
        return fn == LM_XF_ASIN ? r : lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), r, err);
    }
    case LM_XF_ATAN: /* 1/(u^2 + 1) */
        return lm_sym_pow_take(ctx, lm_sym_add_take(ctx, lm_sym_pow_take(ctx, ret(u), lm_sym_int(ctx, 2), err), lm_sym_int(ctx, 1), err),
                     lm_sym_int(ctx, -1), err);
    case LM_XF_SINH: return t_call(ctx, "cosh", ret(u), err);
    case LM_XF_COSH: return t_call(ctx, "sinh", ret(u), err);
    case LM_XF_TANH: /* 1 - tanh(u)^2 */
        return lm_sym_add_take(ctx, lm_sym_int(ctx, 1),
                     lm_sym_mul_take(ctx, lm_sym_int(ctx, -1),
                           lm_sym_pow_take(ctx, t_call(ctx, "tanh", ret(u), err), lm_sym_int(ctx, 2), err), err),
                     err);
    case LM_XF_EXP: return t_call(ctx, "exp", ret(u), err);
    case LM_XF_LOG: return lm_sym_pow_take(ctx, ret(u), lm_sym_int(ctx, -1), err);
    case LM_XF_SQRT: /* not reached for canonical nodes (sqrt is a power) */
        return lm_sym_mul_take(ctx, lm_sym_rat(ctx, 1, 2), lm_sym_pow_take(ctx, ret(u), lm_sym_rat(ctx, -1, 2), err), err);
    case LM_XF_ABS: /* sign(u) written u/|u|: undefined (0/0) at the kink, as it should be */
        return lm_sym_mul_take(ctx, ret(u), lm_sym_pow_take(ctx, t_call(ctx, "abs", ret(u), err), lm_sym_int(ctx, -1), err), err);
    case LM_XF_SIGMOID: { /* sigmoid(u)*(1 - sigmoid(u)) */
        lm_expr *s = t_call(ctx, "sigmoid", ret(u), err);
        lm_expr *one_minus = s ? lm_sym_add_take(ctx, lm_sym_int(ctx, 1), lm_sym_mul_take(ctx, lm_sym_int(ctx, -1), ret(s), err), err) : NULL;
        return lm_sym_mul_take(ctx, s, one_minus, err);
    }
    case LM_XF_SOFTPLUS: return t_call(ctx, "sigmoid", ret(u), err);
    case LM_XF_RELU: /* the step function written relu(u)/u: 1 above 0, 0 below, 0/0 at the kink */
        return lm_sym_mul_take(ctx, t_call(ctx, "relu", ret(u), err), lm_sym_pow_take(ctx, ret(u), lm_sym_int(ctx, -1), err), err);
    default:
        lm_err_set(err, LM_ERR_DOMAIN, "no derivative is known for this function");
        return NULL;
    }
}

/* ---- the derivative walk ---- */

/* Building a product or sum sorts its operands, and comparing two operands
 * costs up to their depth, so a result of n operands at depth d costs about
 * n*d. A chain sin(sin(...(x))) of depth 2000 differentiates to 2000 products
 * of up to 2000 deep factors (billions of steps, for a result too large to
 * print); past this budget diff stops with a limit error. Real expressions
 * use little of it: the corpus network's whole Hessian (77 derivatives) about
 * a five-hundredth. */
#define DIFF_MAX_WORK 20000000ULL

typedef struct dwalk {
    lm_ctx *ctx;
    const lm_expr *x;
    lm_xmap memo; /* node -> derivative (+1) */
    lm_err *err;
    uint64_t work; /* operands times depth of the sums and products built */
} dwalk;

static lm_expr *d_node(dwalk *D, lm_expr *e);

/* The text of e for messages, cut short. */
static void short_text(const lm_expr *e, char *out, size_t n) {
    lm_buf b = LM_BUF_INIT;
    lm_sym_print_text(e, &b);
    const char *s = lm_buf_cstr(&b);
    if (strlen(s) < n) {
        memcpy(out, s, strlen(s) + 1);
    } else {
        memcpy(out, s, n - 4);
        memcpy(out + n - 4, "...", 4);
    }
    lm_buf_free(&b);
}

static lm_expr *d_sum(dwalk *D, lm_expr *e) {
    lm_expr **ts = lm_alloc((size_t)e->nargs * sizeof *ts);
    int k = 0;
    lm_expr *r = NULL;
    for (int i = 0; i < e->nargs; i++) {
        lm_expr *t = d_node(D, e->args[i]);
        if (!t) goto out;
        if (is_zero(t)) lm_expr_release(t);
        else ts[k++] = t;
    }
    r = lm_sym_addv(D->ctx, k, ts, D->err);
out:
    for (int i = 0; i < k; i++) lm_expr_release(ts[i]);
    lm_free(ts);
    return r;
}

/* Product rule over all factors: sum over i of f1 ... fi' ... fn. A factor
 * whose derivative is 0 (a number, a symbol other than x) adds no term. */
static lm_expr *d_product(dwalk *D, lm_expr *e) {
    int n = e->nargs;
    lm_expr **ts = lm_alloc((size_t)n * sizeof *ts);
    lm_expr **fs = lm_alloc((size_t)n * sizeof *fs);
    int k = 0;
    lm_expr *r = NULL;
    for (int i = 0; i < n; i++) {
        lm_expr *di = d_node(D, e->args[i]);
        if (!di) goto out;
        if (is_zero(di)) {
            lm_expr_release(di);
            continue;
        }
        memcpy(fs, e->args, (size_t)n * sizeof *fs);
        fs[i] = di;
        lm_expr *t = lm_sym_mulv(D->ctx, n, fs, D->err);
        lm_expr_release(di);
        if (!t) goto out;
        ts[k++] = t;
    }
    r = lm_sym_addv(D->ctx, k, ts, D->err);
out:
    for (int i = 0; i < k; i++) lm_expr_release(ts[i]);
    lm_free(ts);
    lm_free(fs);
    return r;
}

static lm_expr *d_power(dwalk *D, lm_expr *e) {
    lm_ctx *ctx = D->ctx;
    lm_err *err = D->err;
    lm_expr *a = e->args[0], *b = e->args[1];
    lm_expr *da = d_node(D, a);
    lm_expr *db = da ? d_node(D, b) : NULL;
    lm_expr *r = NULL;
    if (!db) goto out;
    if (is_zero(db)) {
        /* power rule with the chain rule: (a^b)' = b * a^(b-1) * a' */
        if (is_zero(da)) r = lm_sym_int(ctx, 0);
        else {
            lm_expr *bm1 = lm_sym_add_take(ctx, ret(b), lm_sym_int(ctx, -1), err);
            lm_expr *fs[3] = {b, bm1 ? lm_sym_pow_take(ctx, ret(a), bm1, err) : NULL, da};
            r = fs[1] ? lm_sym_mulv(ctx, 3, fs, err) : NULL;
            lm_expr_release(fs[1]);
        }
    } else if (is_zero(da)) {
        /* (a^b)' = a^b * log(a) * b'; log(e) folds to 1 */
        lm_expr *fs[3] = {e, t_call(ctx, "log", ret(a), err), db};
        r = fs[1] ? lm_sym_mulv(ctx, 3, fs, err) : NULL;
        lm_expr_release(fs[1]);
    } else {
        /* both vary: a^b = exp(b*log(a)), so (a^b)' = a^b * (b'*log(a) + b*a'/a) */
        lm_expr *t1 = lm_sym_mul_take(ctx, ret(db), t_call(ctx, "log", ret(a), err), err);
        lm_expr *t2 = lm_sym_mul_take(ctx, lm_sym_mul_take(ctx, ret(b), ret(da), err), lm_sym_pow_take(ctx, ret(a), lm_sym_int(ctx, -1), err), err);
        r = lm_sym_mul_take(ctx, ret(e), lm_sym_add_take(ctx, t1, t2, err), err);
    }
out:
    lm_expr_release(da);
    lm_expr_release(db);
    return r;
}

static lm_expr *d_call(dwalk *D, lm_expr *e) {
    /* a function of arguments free of x is a constant */
    bool varies = false;
    for (int i = 0; i < e->nargs && !varies; i++) {
        lm_expr *di = d_node(D, e->args[i]);
        if (!di) return NULL;
        varies = !is_zero(di);
        lm_expr_release(di);
    }
    if (!varies) return lm_sym_int(D->ctx, 0);
    char txt[80];
    if (e->sub == LM_XF_UNKNOWN || e->nargs != 1) {
        short_text(e, txt, sizeof txt);
        lm_err_set(D->err, LM_ERR_DOMAIN, "cannot differentiate %s: %s is not a function lemma knows the derivative of",
                   txt, e->u.name);
        return NULL;
    }
    lm_expr *du = d_node(D, e->args[0]);
    lm_expr *outer = du ? lm_sym_fn_deriv(D->ctx, e->sub, e->args[0], D->err) : NULL;
    return lm_sym_mul_take(D->ctx, outer, du, D->err); /* chain rule: f'(u) * u' */
}

static lm_expr *d_matrix(dwalk *D, lm_expr *e) {
    lm_expr **es = lm_alloc((size_t)(e->nargs ? e->nargs : 1) * sizeof *es);
    int k = 0;
    lm_expr *r = NULL;
    for (; k < e->nargs; k++) {
        es[k] = d_node(D, e->args[k]);
        if (!es[k]) goto out;
    }
    r = lm_sym_matrix(D->ctx, e->u.rat.p, e->u.rat.q, es, D->err);
out:
    for (int i = 0; i < k; i++) lm_expr_release(es[i]);
    lm_free(es);
    return r;
}

static lm_expr *d_node(dwalk *D, lm_expr *e) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT:
    case LM_X_CONST: return lm_sym_int(D->ctx, 0);
    case LM_X_SYM: return lm_sym_int(D->ctx, e == D->x ? 1 : 0);
    default: break;
    }
    lm_xval v;
    if (lm_xmap_get(&D->memo, e, &v)) return ret(v.p);
    /* Ctrl-C and the session's time budget reach into long derivatives */
    if (lm_ctx_poll(D->ctx, D->err) != LM_OK) return NULL;
    lm_expr *r = NULL;
    switch ((lm_xop)e->op) {
    case LM_X_ADD: r = d_sum(D, e); break;
    case LM_X_MUL: r = d_product(D, e); break;
    case LM_X_POW: r = d_power(D, e); break;
    case LM_X_CALL: r = d_call(D, e); break;
    case LM_X_MATRIX: r = d_matrix(D, e); break;
    case LM_X_REL:
        lm_err_set(D->err, LM_ERR_TYPE,
                   "cannot differentiate an equation or inequality: differentiate each side on its own");
        return NULL;
    default:
        lm_err_set(D->err, LM_ERR_INTERNAL, "diff: unknown node kind %d", e->op);
        return NULL;
    }
    if (!r) return NULL;
    if (r->op == LM_X_MUL || r->op == LM_X_ADD) D->work += (uint64_t)r->nargs * r->depth;
    if (D->work > DIFF_MAX_WORK) {
        lm_expr_release(r);
        lm_err_set(D->err, LM_ERR_LIMIT,
                   "the derivative grows too large and deep to build (nested products of hundreds of deep factors); "
                   "try a smaller or shallower expression");
        return NULL;
    }
    v.p = ret(r);
    lm_xmap_put(&D->memo, e, v);
    return r;
}

static void memo_release(lm_xmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) lm_expr_release(m->vals[i].p);
    lm_xmap_free(m);
}

static bool check_var(const lm_expr *x, lm_err *err) {
    if (x && x->op == LM_X_SYM) return true;
    char txt[80] = "nothing";
    if (x) short_text(x, txt, sizeof txt);
    lm_err_set(err, LM_ERR_TYPE, "the variable must be a symbol such as x, not %s", txt);
    return false;
}

/* One derivative; *work carries the budget across the derivatives of one
 * request (diff(f, x, n), a Hessian, a Taylor polynomial), so that many
 * derivatives each just under the budget cannot add up to minutes. */
static lm_expr *diff_budget(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_err *err, uint64_t *work) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    if (!check_var(x, err)) return NULL;
    dwalk D = {ctx, x, LM_XMAP_INIT, err, *work};
    lm_expr *r = d_node(&D, e);
    *work = D.work;
    memo_release(&D.memo);
    return r;
}

lm_expr *lm_sym_diff(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_err *err) {
    uint64_t work = 0;
    return diff_budget(ctx, e, x, err, &work);
}

lm_expr *lm_sym_diff_n(lm_ctx *ctx, lm_expr *e, lm_expr *x, int64_t n, lm_err *err) {
    if (n < 0 || n > LM_MAX_DIFF_ORDER) {
        lm_err_set(err, n < 0 ? LM_ERR_DOMAIN : LM_ERR_LIMIT,
                   "the order of a derivative must be between 0 and %d, not %lld", LM_MAX_DIFF_ORDER, (long long)n);
        return NULL;
    }
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    if (!check_var(x, err)) return NULL;
    lm_expr *cur = ret(e);
    uint64_t work = 0;
    for (int64_t k = 0; k < n && cur && !is_zero(cur); k++) {
        lm_expr *next = diff_budget(ctx, cur, x, err, &work);
        lm_expr_release(cur);
        cur = next;
    }
    return cur;
}

/* ---- several variables ---- */

static bool check_vars(lm_expr *const *vars, int n, lm_err *err) {
    if (n < 1) {
        lm_err_set(err, LM_ERR_DOMAIN, "give at least one variable, as in [x, y]");
        return false;
    }
    for (int i = 0; i < n; i++)
        if (!check_var(vars[i], err)) return false;
    return true;
}

/* Releases n nodes and the array. */
static void release_all(lm_expr **v, int n) {
    for (int i = 0; i < n; i++) lm_expr_release(v[i]);
    lm_free(v);
}

lm_expr *lm_sym_grad(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_err *err) {
    if (!check_vars(vars, n, err)) return NULL;
    if (e && e->op == LM_X_MATRIX) {
        lm_err_set(err, LM_ERR_TYPE, "grad takes one expression; for a vector of functions use jacobian");
        return NULL;
    }
    lm_expr **g = lm_calloc((size_t)n, sizeof *g);
    lm_expr *r = NULL;
    uint64_t work = 0;
    for (int i = 0; i < n; i++)
        if (!(g[i] = diff_budget(ctx, e, vars[i], err, &work))) goto out;
    r = lm_sym_matrix(ctx, n, 1, g, err);
out:
    release_all(g, n);
    return r;
}

lm_expr *lm_sym_jacobian(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, lm_err *err) {
    if (!check_vars(vars, n, err)) return NULL;
    if (!f) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    int m = f->op == LM_X_MATRIX ? f->nargs : 1;
    lm_expr *const *fs = f->op == LM_X_MATRIX ? f->args : &f;
    if ((int64_t)m * n > LM_SYM_MAX_ARGS) {
        lm_err_set(err, LM_ERR_LIMIT, "a Jacobian may have at most %d entries", LM_SYM_MAX_ARGS);
        return NULL;
    }
    lm_expr **J = lm_calloc((size_t)m * (size_t)n, sizeof *J);
    lm_expr *r = NULL;
    uint64_t work = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            if (!(J[i * n + j] = diff_budget(ctx, fs[i], vars[j], err, &work))) goto out;
    r = lm_sym_matrix(ctx, m, n, J, err);
out:
    release_all(J, m * n);
    return r;
}

lm_expr *lm_sym_hessian(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_err *err) {
    if (!check_vars(vars, n, err)) return NULL;
    if (e && e->op == LM_X_MATRIX) {
        lm_err_set(err, LM_ERR_TYPE, "hessian takes one expression, not a matrix");
        return NULL;
    }
    if ((int64_t)n * n > LM_SYM_MAX_ARGS) {
        lm_err_set(err, LM_ERR_LIMIT, "a Hessian may have at most %d entries", LM_SYM_MAX_ARGS);
        return NULL;
    }
    lm_expr **H = lm_calloc((size_t)n * (size_t)n, sizeof *H);
    lm_expr *r = NULL;
    uint64_t work = 0;
    for (int i = 0; i < n; i++) {
        lm_expr *gi = diff_budget(ctx, e, vars[i], err, &work);
        if (!gi) goto out;
        /* the second partials commute for the smooth functions here, so the
         * lower triangle mirrors the upper one (as SymPy's hessian does) */
        for (int j = i; j < n; j++) {
            H[i * n + j] = diff_budget(ctx, gi, vars[j], err, &work);
            if (!H[i * n + j]) break;
            if (j != i) H[j * n + i] = ret(H[i * n + j]);
        }
        lm_expr_release(gi);
        for (int j = i; j < n; j++)
            if (!H[i * n + j]) goto out;
    }
    r = lm_sym_matrix(ctx, n, n, H, err);
out:
    release_all(H, n * n);
    return r;
}

lm_expr *lm_sym_dirdiff(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_expr *const *u, lm_err *err) {
    if (!check_vars(vars, n, err)) return NULL;
    for (int i = 0; i < n; i++)
        if (!lm_sym_check_operand(u[i], err)) return NULL;
    lm_expr **sq = lm_calloc((size_t)n, sizeof *sq);
    lm_expr **terms = lm_calloc((size_t)n, sizeof *terms);
    lm_expr *two = lm_sym_int(ctx, 2), *r = NULL, *len2 = NULL, *dot = NULL;
    for (int i = 0; i < n; i++)
        if (!(sq[i] = lm_sym_pow(ctx, u[i], two, err))) goto out;
    if (!(len2 = lm_sym_addv(ctx, n, sq, err))) goto out;
    lm_snum s;
    if (lm_snum_of(len2, &s) && lm_snum_is_zero(s)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the direction u is the zero vector, which points nowhere");
        goto out;
    }
    uint64_t work = 0;
    for (int i = 0; i < n; i++) {
        lm_expr *g = diff_budget(ctx, e, vars[i], err, &work);
        if (!(terms[i] = lm_sym_mul_take(ctx, g, ret(u[i]), err))) goto out;
    }
    /* grad(e) . u / |u|, with |u| = sqrt(u1^2 + ... + un^2) kept exact (sqrt(2)) */
    if ((dot = lm_sym_addv(ctx, n, terms, err)))
        r = lm_sym_mul_take(ctx, ret(dot), lm_sym_pow_take(ctx, ret(len2), lm_sym_rat(ctx, -1, 2), err), err);
out:
    lm_expr_release(two);
    lm_expr_release(len2);
    lm_expr_release(dot);
    release_all(sq, n);
    release_all(terms, n);
    return r;
}

/* ---- Taylor polynomials ---- */

/* A float that is not finite anywhere in e (a pole met by substitution). */
static bool has_nonfinite(const lm_expr *e, lm_xmap *seen) {
    if (e->op == LM_X_FLOAT) return !isfinite(e->u.f);
    if (e->nargs == 0) return false;
    lm_xval v;
    if (lm_xmap_get(seen, e, &v)) return false;
    v.i = 1;
    lm_xmap_put(seen, e, v);
    for (int i = 0; i < e->nargs; i++)
        if (has_nonfinite(e->args[i], seen)) return true;
    return false;
}

lm_expr *lm_sym_taylor(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, int64_t n, lm_err *err) {
    if (!e || !a) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    if (!check_var(x, err)) return NULL;
    if (e->op == LM_X_MATRIX) {
        lm_err_set(err, LM_ERR_TYPE, "taylor takes one expression, not a matrix");
        return NULL;
    }
    if (!lm_sym_check_operand(e, err) || !lm_sym_check_operand(a, err)) return NULL;
    if (n < 0 || n > LM_MAX_DIFF_ORDER) {
        lm_err_set(err, n < 0 ? LM_ERR_DOMAIN : LM_ERR_LIMIT, "the order of a Taylor polynomial must be between 0 and %d",
                   LM_MAX_DIFF_ORDER);
        return NULL;
    }
    if (!lm_sym_free_of(a, x)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the expansion point must not contain %s itself", x->u.name);
        return NULL;
    }
    const char *name = x->u.name;
    lm_expr *h = lm_sym_sub(ctx, x, a, err); /* x - a */
    lm_expr *d = ret(e), *coef = lm_sym_int(ctx, 1), *r = NULL;
    lm_expr **terms = lm_calloc((size_t)n + 1, sizeof *terms);
    int64_t k = 0, nt = 0;
    uint64_t work = 0;
    if (!h) goto out;
    for (; k <= n; k++) {
        if (k > 0) { /* f^(k) and 1/k! */
            lm_expr *next = diff_budget(ctx, d, x, err, &work);
            lm_expr_release(d);
            if (!(d = next)) goto out;
            if (is_zero(d)) break;
            if (!(coef = lm_sym_mul_take(ctx, coef, lm_sym_rat(ctx, 1, k), err))) goto out;
        }
        lm_expr *at = lm_sym_subs(ctx, d, 1, &name, &a, err);
        if (!at) goto out;
        lm_xmap seen = LM_XMAP_INIT;
        bool bad = has_nonfinite(at, &seen);
        lm_xmap_free(&seen);
        if (bad) {
            char ta[80];
            short_text(a, ta, sizeof ta);
            lm_expr_release(at);
            if (k == 0) lm_err_set(err, LM_ERR_DOMAIN, "no Taylor polynomial at %s = %s: the function is not finite there", name, ta);
            else lm_err_set(err, LM_ERR_DOMAIN, "no Taylor polynomial at %s = %s: the derivative of order %lld is not finite there",
                            name, ta, (long long)k);
            goto out;
        }
        /* f^(k)(a)/k! * (x - a)^k */
        lm_expr *t = lm_sym_mul_take(ctx, lm_sym_mul_take(ctx, at, ret(coef), err), lm_sym_pow_take(ctx, ret(h), lm_sym_int(ctx, k), err), err);
        if (!t) goto out;
        terms[nt++] = t;
    }
    r = lm_sym_addv(ctx, (int)nt, terms, err);
out:
    lm_expr_release(h);
    lm_expr_release(d);
    lm_expr_release(coef);
    release_all(terms, (int)nt);
    return r;
}
