/* Substitution and numeric evaluation: subs rebuilds an expression through the
 * canonical constructors with symbols replaced, so a fully bound expression folds
 * to an exact number where it can; the evaluators (one-shot, compiled for many
 * points, and complex) turn symbol-free trees into doubles. Also the small walks
 * the algebra files share: rebuild a node from new operands, free-of, size. */
#include "sym_int.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define PI_D 3.14159265358979323846
#define E_D 2.71828182845904523536

/* ---- shared walks ---- */

lm_expr *lm_sym_rebuild(lm_ctx *ctx, const lm_expr *e, lm_expr *const *args, lm_err *err) {
    switch ((lm_xop)e->op) {
    case LM_X_ADD: return lm_sym_addv(ctx, e->nargs, args, err);
    case LM_X_MUL: return lm_sym_mulv(ctx, e->nargs, args, err);
    case LM_X_POW: return lm_sym_pow(ctx, args[0], args[1], err);
    case LM_X_CALL: return lm_sym_call(ctx, e->u.name, e->nargs, args, err);
    case LM_X_REL: return lm_sym_rel(ctx, (lm_xrel)e->sub, args[0], args[1], err);
    case LM_X_MATRIX: return lm_sym_matrix(ctx, e->u.rat.p, e->u.rat.q, args, err);
    default: return lm_expr_retain((lm_expr *)e); /* leaves have no operands */
    }
}

static bool free_walk(const lm_expr *e, const lm_expr *x, lm_xmap *seen) {
    if (e == x) return false;
    if (e->nargs == 0 || e->depth <= x->depth) return true; /* x cannot fit inside a shallower node */
    lm_xval v;
    if (lm_xmap_get(seen, e, &v)) return true;
    v.i = 1;
    lm_xmap_put(seen, e, v);
    for (int i = 0; i < e->nargs; i++)
        if (!free_walk(e->args[i], x, seen)) return false;
    return true;
}

bool lm_sym_free_of(const lm_expr *e, const lm_expr *x) {
    lm_xmap seen = LM_XMAP_INIT;
    bool r = free_walk(e, x, &seen);
    lm_xmap_free(&seen);
    return r;
}

static uint64_t size_walk(const lm_expr *e, lm_xmap *memo) {
    if (e->nargs == 0) return 1;
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return (uint64_t)v.i;
    uint64_t n = 1;
    for (int i = 0; i < e->nargs; i++) {
        uint64_t k = size_walk(e->args[i], memo);
        n = n + k < n || n + k > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : n + k; /* saturate */
    }
    v.i = (int64_t)n;
    lm_xmap_put(memo, e, v);
    return n;
}

uint64_t lm_sym_size(const lm_expr *e) {
    if (!e) return 0;
    lm_xmap memo = LM_XMAP_INIT;
    uint64_t n = size_walk(e, &memo);
    lm_xmap_free(&memo);
    return n;
}

static void syms_walk(const lm_expr *e, lm_xmap *seen, const lm_expr ***out, size_t *n, size_t *cap) {
    lm_xval v;
    if (lm_xmap_get(seen, e, &v)) return;
    v.i = 1;
    lm_xmap_put(seen, e, v);
    if (e->op == LM_X_SYM) {
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 8;
            *out = lm_realloc((void *)*out, *cap * sizeof **out);
        }
        (*out)[(*n)++] = e;
        return;
    }
    for (int i = 0; i < e->nargs; i++) syms_walk(e->args[i], seen, out, n, cap);
}

static int sym_name_cmp(const void *a, const void *b, void *ud) {
    (void)ud;
    return strcmp(((const lm_expr *)a)->u.name, ((const lm_expr *)b)->u.name);
}

size_t lm_sym_symbols(const lm_expr *e, const lm_expr ***out) {
    lm_xmap seen = LM_XMAP_INIT;
    size_t n = 0, cap = 0;
    *out = NULL;
    syms_walk(e, &seen, out, &n, &cap);
    lm_xmap_free(&seen);
    lm_sym_sort((void **)*out, n, sym_name_cmp, NULL);
    return n;
}

/* ---- memoized rewrites (substitution, complex conjugate) ---- */

/* A bottom-up rewrite of a DAG that visits each shared subtree once: `leaf`
 * may replace a node outright (+1) or return NULL to rewrite its children,
 * and `rebuild` (NULL: lm_sym_rebuild) makes a node from rewritten children.
 * A rewrite's own state follows this header in a struct of its own. */
typedef struct rewrite rewrite;
struct rewrite {
    lm_ctx *ctx;
    lm_err *err;
    lm_xmap memo; /* node -> owned result */
    lm_expr *(*leaf)(rewrite *R, lm_expr *e);
    lm_expr *(*rebuild)(rewrite *R, lm_expr *e, lm_expr **args);
};

static lm_expr *rewrite_walk(rewrite *R, lm_expr *e) {
    lm_expr *replaced = R->leaf(R, e);
    if (replaced) return replaced;
    if (e->nargs == 0) return lm_expr_retain(e);
    lm_xval v;
    if (lm_xmap_get(&R->memo, e, &v)) return lm_expr_retain(v.p);
    lm_expr *stack[8];
    lm_expr **args = e->nargs <= 8 ? stack : lm_alloc((size_t)e->nargs * sizeof *args);
    int done = 0;
    bool same = true;
    lm_expr *r = NULL;
    for (; done < e->nargs; done++) {
        args[done] = rewrite_walk(R, e->args[done]);
        if (!args[done]) goto out;
        if (args[done] != e->args[done]) same = false;
    }
    if (same) r = lm_expr_retain(e);
    else r = R->rebuild ? R->rebuild(R, e, args) : lm_sym_rebuild(R->ctx, e, args, R->err);
    if (r) {
        v.p = lm_expr_retain(r);
        lm_xmap_put(&R->memo, e, v);
    }
out:
    for (int i = 0; i < done; i++) lm_expr_release(args[i]);
    if (args != stack) lm_free(args);
    return r;
}

static void release_memo(lm_xmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) lm_expr_release(m->vals[i].p);
    lm_xmap_free(m);
}

/* ---- substitution ---- */

typedef struct subs_ctx {
    rewrite R; /* first: the walk hands it back to the callbacks */
    int n;
    const char *const *names;
    lm_expr *const *values;
    bool divzero; /* some 0^-k was met */
} subs_ctx;

/* 0^-k after substitution is a division by zero: IEEE says +inf (1/+0), and a
 * later 0*inf or inf - inf becomes nan through the float folding. */
static bool zero_to_negative(const lm_expr *b, const lm_expr *x) {
    lm_snum s;
    return b->op == LM_X_RAT && b->u.rat.p == 0 && lm_snum_of(x, &s) && lm_snum_sign(s) < 0;
}

static lm_expr *subs_leaf(rewrite *R, lm_expr *e) {
    const subs_ctx *S = (const subs_ctx *)R;
    if (e->op != LM_X_SYM) return NULL;
    for (int i = S->n - 1; i >= 0; i--) /* the last binding of a name wins */
        if (S->names[i] && strcmp(S->names[i], e->u.name) == 0) return lm_expr_retain(S->values[i]);
    return lm_expr_retain(e);
}

static lm_expr *subs_rebuild(rewrite *R, lm_expr *e, lm_expr **args) {
    subs_ctx *S = (subs_ctx *)R;
    if (e->op == LM_X_POW && zero_to_negative(args[0], args[1])) {
        S->divzero = true;
        return lm_sym_float(R->ctx, INFINITY);
    }
    return lm_sym_rebuild(R->ctx, e, args, R->err);
}

lm_expr *lm_sym_subs(lm_ctx *ctx, lm_expr *e, int n, const char *const *names, lm_expr *const *values,
                     lm_err *err) {
    return lm_sym_subs_dz(ctx, e, n, names, values, NULL, err);
}

lm_expr *lm_sym_subs_dz(lm_ctx *ctx, lm_expr *e, int n, const char *const *names, lm_expr *const *values,
                        bool *divzero, lm_err *err) {
    if (!e) {
        lm_sym_check_operand(NULL, err);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!values[i] || values[i]->op == LM_X_REL) {
            lm_err_set(err, LM_ERR_TYPE, "subs: the value for %s must be a number or an expression", names[i]);
            return NULL;
        }
    subs_ctx S = {{ctx, err, LM_XMAP_INIT, subs_leaf, subs_rebuild}, n, names, values, false};
    lm_expr *r = rewrite_walk(&S.R, e);
    release_memo(&S.R.memo);
    if (divzero) *divzero = S.divzero;
    return r;
}

/* ---- complex conjugate and transpose ---- */

typedef struct conj_ctx {
    rewrite R; /* first: the walk hands it back to the callbacks */
    lm_expr *minus_i;
} conj_ctx;

static lm_expr *conj_leaf(rewrite *R, lm_expr *e) {
    const conj_ctx *C = (const conj_ctx *)R;
    return e->op == LM_X_CONST && e->sub == LM_XC_I ? lm_expr_retain(C->minus_i) : NULL;
}

lm_expr *lm_sym_conj(lm_ctx *ctx, lm_expr *e, lm_err *err) {
    lm_expr *i = lm_sym_const(ctx, LM_XC_I);
    if (lm_sym_free_of(e, i)) { /* the common case: nothing to rebuild */
        lm_expr_release(i);
        return lm_expr_retain(e);
    }
    lm_expr *minus_i = lm_sym_neg(ctx, i, err);
    lm_expr_release(i);
    if (!minus_i) return NULL;
    conj_ctx C = {{ctx, err, LM_XMAP_INIT, conj_leaf, NULL}, minus_i};
    lm_expr *r = rewrite_walk(&C.R, e);
    release_memo(&C.R.memo);
    lm_expr_release(minus_i);
    return r;
}

lm_expr *lm_sym_transpose(lm_ctx *ctx, lm_expr *e, bool conj, lm_err *err) {
    if (conj) { /* one walk over the whole matrix, so entries that share subtrees share the work */
        lm_expr *c = lm_sym_conj(ctx, e, err);
        lm_expr *r = c ? lm_sym_transpose(ctx, c, false, err) : NULL;
        lm_expr_release(c);
        return r;
    }
    if (e->op != LM_X_MATRIX) return lm_expr_retain(e);
    int64_t rows = e->u.rat.p, cols = e->u.rat.q;
    lm_expr **t = lm_alloc((size_t)(e->nargs ? e->nargs : 1) * sizeof *t);
    for (int64_t j = 0, n = 0; j < cols; j++)
        for (int64_t k = 0; k < rows; k++) t[n++] = e->args[k * cols + j]; /* entry (k, j) becomes (j, k) */
    lm_expr *r = lm_sym_matrix(ctx, cols, rows, t, err);
    lm_free(t);
    return r;
}

/* ---- compiled evaluation ---- */

enum { XI_CONST, XI_VAR, XI_ADD, XI_MUL, XI_POW, XI_SQRT, XI_RSQRT, XI_CALL };

typedef struct xins {
    uint8_t op;
    uint8_t fn;   /* XI_CALL: lm_xfn */
    uint32_t n;   /* operands */
    uint32_t a;   /* XI_VAR: variable index; others: first operand in argv */
    double k;     /* XI_CONST */
} xins;

struct lm_xprog {
    xins *ins;
    uint32_t *argv;
    double *slot;
    size_t n, cap, nargv, capargv;
    int nvars;
};

static uint32_t prog_emit(lm_xprog *p, xins in) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->ins = lm_realloc(p->ins, p->cap * sizeof *p->ins);
    }
    p->ins[p->n] = in;
    return (uint32_t)p->n++;
}

static double const_value(const lm_expr *e) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT: return (double)e->u.rat.p / (double)e->u.rat.q;
    case LM_X_FLOAT: return e->u.f;
    case LM_X_CONST: return e->sub == LM_XC_PI ? PI_D : e->sub == LM_XC_E ? E_D : NAN;
    default: return NAN;
    }
}

static uint32_t prog_node(lm_xprog *p, const lm_expr *e, const char *const *names, lm_xmap *memo) {
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return (uint32_t)v.i;
    xins in = {XI_CONST, 0, 0, 0, NAN};
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT:
    case LM_X_CONST: in.k = const_value(e); break;
    case LM_X_SYM:
        for (int i = 0; i < p->nvars; i++)
            if (names[i] && strcmp(names[i], e->u.name) == 0) {
                in.op = XI_VAR;
                in.a = (uint32_t)i;
            }
        break; /* an unbound symbol is NaN */
    case LM_X_ADD:
    case LM_X_MUL:
    case LM_X_POW:
    case LM_X_CALL: {
        const lm_xfninfo *info = e->op == LM_X_CALL ? lm_sym_fn_info(e->sub) : NULL;
        if (e->op == LM_X_CALL && (!info || e->nargs != 1)) break; /* unknown function: NaN */
        uint32_t *ops = lm_alloc((size_t)e->nargs * sizeof *ops);
        for (int i = 0; i < e->nargs; i++) ops[i] = prog_node(p, e->args[i], names, memo);
        in.op = e->op == LM_X_ADD ? XI_ADD : e->op == LM_X_MUL ? XI_MUL : e->op == LM_X_POW ? XI_POW : XI_CALL;
        in.fn = (uint8_t)e->sub;
        if (e->op == LM_X_POW && lm_sym_is_rat(e->args[1], 1, 2)) in.op = XI_SQRT; /* exact rounding */
        if (e->op == LM_X_POW && lm_sym_is_rat(e->args[1], -1, 2)) in.op = XI_RSQRT;
        in.n = (in.op == XI_SQRT || in.op == XI_RSQRT) ? 1 : (uint32_t)e->nargs;
        in.a = (uint32_t)p->nargv;
        for (uint32_t i = 0; i < in.n; i++) {
            if (p->nargv == p->capargv) {
                p->capargv = p->capargv ? p->capargv * 2 : 64;
                p->argv = lm_realloc(p->argv, p->capargv * sizeof *p->argv);
            }
            p->argv[p->nargv++] = ops[i];
        }
        lm_free(ops);
        break;
    }
    default: break; /* relations and matrices have no single value */
    }
    v.i = prog_emit(p, in);
    lm_xmap_put(memo, e, v);
    return (uint32_t)v.i;
}

lm_xprog *lm_xprog_new(const lm_expr *e, int nvars, const char *const *names) {
    lm_xprog *p = lm_calloc(1, sizeof *p);
    p->nvars = nvars;
    lm_xmap memo = LM_XMAP_INIT;
    prog_node(p, e, names, &memo);
    lm_xmap_free(&memo);
    p->slot = lm_alloc(p->n * sizeof *p->slot);
    return p;
}

double lm_xprog_run(lm_xprog *p, const double *vals) {
    double *s = p->slot;
    const uint32_t *av = p->argv;
    for (size_t i = 0; i < p->n; i++) {
        const xins *in = &p->ins[i];
        double r;
        switch (in->op) {
        case XI_CONST: r = in->k; break;
        case XI_VAR: r = vals[in->a]; break;
        case XI_ADD:
            r = 0;
            for (uint32_t j = 0; j < in->n; j++) r += s[av[in->a + j]];
            break;
        case XI_MUL:
            r = 1;
            for (uint32_t j = 0; j < in->n; j++) r *= s[av[in->a + j]];
            break;
        case XI_POW: r = pow(s[av[in->a]], s[av[in->a + 1]]); break;
        case XI_SQRT: r = sqrt(s[av[in->a]]); break;
        case XI_RSQRT: r = 1.0 / sqrt(s[av[in->a]]); break;
        default: r = lm_sym_fn_info(in->fn)->eval(s[av[in->a]]); break;
        }
        s[i] = r;
    }
    return p->n ? s[p->n - 1] : NAN;
}

void lm_xprog_free(lm_xprog *p) {
    if (!p) return;
    lm_free(p->ins);
    lm_free(p->argv);
    lm_free(p->slot);
    lm_free(p);
}

double lm_sym_eval(const lm_expr *e, const char *const *names, const double *values, int n) {
    if (!e) return NAN;
    lm_xprog *p = lm_xprog_new(e, n, names);
    double r = lm_xprog_run(p, values);
    lm_xprog_free(p);
    return r;
}

/* ---- complex value of a symbol-free expression ---- */

static double complex cfn(int fn, double complex z) {
    switch (fn) {
    case LM_XF_SIN: return csin(z);
    case LM_XF_COS: return ccos(z);
    case LM_XF_TAN: return ctan(z);
    case LM_XF_ASIN: return casin(z);
    case LM_XF_ACOS: return cacos(z);
    case LM_XF_ATAN: return catan(z);
    case LM_XF_SINH: return csinh(z);
    case LM_XF_COSH: return ccosh(z);
    case LM_XF_TANH: return ctanh(z);
    case LM_XF_EXP: return cexp(z);
    case LM_XF_LOG: return clog(z);
    case LM_XF_SQRT: return csqrt(z);
    case LM_XF_ABS: return cabs(z);
    case LM_XF_SIGMOID: return 1.0 / (1.0 + cexp(-z));
    case LM_XF_SOFTPLUS: return clog(1.0 + cexp(z));
    case LM_XF_RELU: return cimag(z) == 0 ? (creal(z) > 0 ? creal(z) : 0.0) : NAN; /* no complex relu */
    default: return NAN;
    }
}

/* The principal value, as SymPy's N(): (-8)^(1/3) is 1 + 1.732i. */
static double complex cpow_exact(double complex a, double complex b) {
    if (cimag(b) == 0 && creal(b) == floor(creal(b)) && fabs(creal(b)) <= 1024 && cimag(a) == 0)
        return pow(creal(a), creal(b)); /* integer powers of reals stay real and exact-ish */
    if (a == 0) return creal(b) > 0 ? 0.0 : creal(b) < 0 ? INFINITY : NAN;
    return cpow(a, b);
}

static double complex ceval_walk(const lm_expr *e, lm_xmap *memo, double complex *vals, size_t *nvals) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: return const_value(e);
    case LM_X_CONST: return e->sub == LM_XC_I ? I : const_value(e);
    case LM_X_ADD:
    case LM_X_MUL:
    case LM_X_POW:
    case LM_X_CALL: break;
    default: return NAN;
    }
    lm_xval v;
    if (lm_xmap_get(memo, e, &v)) return vals[v.i];
    double complex r;
    switch ((lm_xop)e->op) {
    case LM_X_ADD:
        r = 0;
        for (int i = 0; i < e->nargs; i++) r += ceval_walk(e->args[i], memo, vals, nvals);
        break;
    case LM_X_MUL:
        r = 1;
        for (int i = 0; i < e->nargs; i++) r *= ceval_walk(e->args[i], memo, vals, nvals);
        break;
    case LM_X_POW:
        r = cpow_exact(ceval_walk(e->args[0], memo, vals, nvals), ceval_walk(e->args[1], memo, vals, nvals));
        break;
    default:
        r = e->nargs == 1 && lm_sym_fn_info(e->sub) ? cfn(e->sub, ceval_walk(e->args[0], memo, vals, nvals)) : NAN;
        break;
    }
    v.i = (int64_t)*nvals;
    vals[(*nvals)++] = r;
    lm_xmap_put(memo, e, v);
    return r;
}

static size_t count_inner(const lm_expr *e, lm_xmap *seen) {
    if (e->nargs == 0) return 0;
    lm_xval v;
    if (lm_xmap_get(seen, e, &v)) return 0;
    v.i = 1;
    lm_xmap_put(seen, e, v);
    size_t n = 1;
    for (int i = 0; i < e->nargs; i++) n += count_inner(e->args[i], seen);
    return n;
}

bool lm_sym_to_complex(const lm_expr *e, double *re, double *im) {
    if (!e || !lm_sym_is_number(e)) {
        *re = *im = NAN;
        return false;
    }
    lm_xmap seen = LM_XMAP_INIT, memo = LM_XMAP_INIT;
    size_t n = count_inner(e, &seen) + 1, used = 0;
    lm_xmap_free(&seen);
    double complex *vals = lm_alloc(n * sizeof *vals);
    double complex z = ceval_walk(e, &memo, vals, &used);
    lm_xmap_free(&memo);
    lm_free(vals);
    *re = creal(z);
    *im = cimag(z);
    return true;
}

void lm_sym_eval_points(const lm_expr *e, int nvars, const char *const *names, const double *pts, size_t n,
                        double *out) {
    lm_xprog *p = lm_xprog_new(e, nvars, names);
    for (size_t k = 0; k < n; k++) out[k] = lm_xprog_run(p, pts + k * (size_t)nvars);
    lm_xprog_free(p);
}
