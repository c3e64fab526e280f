/* Algebra and calculus builtins on expressions: simplify, expand, factor, subs,
 * limit, integral, solve, critical points. The symbolic engine (src/sym) and GSL
 * do the work; this file turns arguments into expressions and results back into
 * numbers, matrices and expressions, and words the errors for a learner. */
#include "lang/lang_int.h"

#include <math.h>
#include <string.h>

/* ---- conversions ---- */

/* A fully numeric expression as a language number (or complex); anything else
 * stays an expression. Takes e. */
static lm_value number_or_expr(lm_expr *e) {
    if (e->op != LM_X_MATRIX && lm_sym_is_number(e)) {
        double re, im;
        lm_sym_to_complex(e, &re, &im);
        lm_expr_release(e);
        if (im != 0 && !isnan(im)) return lm_complex_new(re, im);
        return lm_num(re);
    }
    return lm_expr_value(e);
}

/* A relation between two numbers is true or false: subs(x^2 == 4, x = 2) is
 * true. Exact sides compare exactly (equal nodes), others by value. Takes e;
 * a relation that still has unknowns stays. */
static lm_value relation_value(lm_expr *e) {
    lm_expr *a = e->args[0], *b = e->args[1];
    if (!lm_sym_is_number(a) || !lm_sym_is_number(b)) return lm_expr_value(e);
    double ar, ai, br, bi;
    lm_sym_to_complex(a, &ar, &ai);
    lm_sym_to_complex(b, &br, &bi);
    bool eq = a == b || (ar == br && (ai == bi || (isnan(ai) && isnan(bi))));
    bool real = (ai == 0 || isnan(ai)) && (bi == 0 || isnan(bi));
    lm_value r;
    switch ((lm_xrel)e->sub) {
    case LM_XR_EQ: r = lm_bool(eq); break;
    case LM_XR_NE: r = lm_bool(!eq); break;
    default:
        if (!real) {
            lm_expr_release(e);
            return lm_error_new(LM_ERR_DOMAIN, "subs: complex numbers have no order, so the inequality is neither true nor false");
        }
        r = lm_bool(e->sub == LM_XR_LT ? ar < br : e->sub == LM_XR_LE ? ar <= br : e->sub == LM_XR_GT ? ar > br : ar >= br);
        break;
    }
    lm_expr_release(e);
    return r;
}

/* A matrix of expressions whose entries are all numbers becomes a numeric (maybe
 * complex) matrix; otherwise it stays. Takes e. */
static lm_value matrix_value(lm_expr *e) {
    if (e->op == LM_X_REL) return relation_value(e);
    if (e->op != LM_X_MATRIX) return number_or_expr(e);
    int64_t rows = e->u.rat.p, cols = e->u.rat.q;
    bool complex = false;
    for (int i = 0; i < e->nargs; i++) {
        if (!lm_sym_is_number(e->args[i])) return lm_expr_value(e);
        double re, im;
        lm_sym_to_complex(e->args[i], &re, &im);
        if (im != 0 && !isnan(im)) complex = true;
    }
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {rows, cols};
    lm_tensor *t = complex ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
    if (!t) {
        lm_expr_release(e);
        return lm_error_from(&err);
    }
    for (int i = 0; i < e->nargs; i++) {
        double re, im;
        lm_sym_to_complex(e->args[i], &re, &im);
        t->data[i] = re;
        if (complex) t->imag[i] = isnan(im) ? 0 : im;
    }
    lm_expr_release(e);
    return lm_narrow(lm_tensor_value(t));
}

/* Argument i as an expression (+1) or an error value in *errv. */
static lm_expr *arg_expr(lm_call *c, int i, const char *what, lm_value *errv) {
    lm_err err = LM_ERR_INIT;
    lm_expr *e = lm_as_expr(c->ctx, c->args[i], &err);
    if (!e) {
        *errv = lm_error_new(err.kind ? err.kind : LM_ERR_TYPE, "%s: %s: %s", c->fname, what,
                             err.msg ? err.msg : "not an expression");
        lm_err_clear(&err);
    }
    return e;
}

/* Argument i as a symbol (borrowed node inside the argument) or NULL with *errv. */
static lm_expr *arg_symbol(lm_call *c, int i, const char *what, lm_value *errv) {
    lm_value v = c->args[i];
    if (v.kind == LM_EXPR && lm_expr_of(v)->op == LM_X_SYM) return lm_expr_of(v);
    *errv = lm_error_new(LM_ERR_TYPE, "%s: %s must be a symbol such as x, not %s", c->fname, what,
                         v.kind == LM_EXPR ? "an expression" : lm_kind_a(v.kind));
    return NULL;
}

/* ---- subs ---- */

typedef struct binding {
    const char *name;
    lm_value value; /* borrowed */
} binding;

/* An expression with numeric tensors for some symbols: evaluated element by
 * element, so subs(x^2, x = [1 2 3]) is [1 4 9]. Every other symbol must already
 * be bound. */
static lm_value subs_tensor(lm_call *c, lm_expr *e, const binding *tb, int nt) {
    const lm_tensor *shape_of = NULL;
    for (int i = 0; i < nt; i++) {
        const lm_tensor *t = lm_tensor_of(tb[i].value);
        if (t->imag) return lm_error_new(LM_ERR_TYPE, "%s: complex matrices cannot be substituted; use real values", c->fname);
        if (t->size == 1) continue;
        if (shape_of) {
            bool same = t->ndim == shape_of->ndim;
            for (int d = 0; same && d < t->ndim; d++) same = t->shape[d] == shape_of->shape[d];
            if (!same) return lm_error_new(LM_ERR_SHAPE, "%s: the matrices given for %s and the other names differ in shape",
                                           c->fname, tb[i].name);
        } else {
            shape_of = t;
        }
    }
    const lm_expr **syms;
    size_t ns = lm_sym_symbols(e, &syms);
    for (size_t k = 0; k < ns; k++) {
        bool bound = false;
        for (int i = 0; i < nt; i++) bound = bound || !strcmp(tb[i].name, syms[k]->u.name);
        if (!bound) {
            lm_value r = lm_error_new(LM_ERR_TYPE, "%s: %s has no value, so the expression cannot be evaluated at each element",
                                      c->fname, syms[k]->u.name);
            lm_free(syms);
            return r;
        }
    }
    lm_free(syms);
    lm_err err = LM_ERR_INIT;
    lm_tensor *out = lm_tensor_new(shape_of->ndim, shape_of->shape, &err);
    if (!out) return lm_error_from(&err);
    const char **names = lm_alloc((size_t)nt * sizeof *names);
    double *pts = lm_alloc_big((size_t)out->size * (size_t)nt * sizeof *pts);
    double *res = lm_alloc_big((size_t)out->size * sizeof *res);
    if (!pts || !res) {
        lm_free(names);
        lm_free(pts);
        lm_free(res);
        lm_tensor_release(out);
        return lm_error_new(LM_ERR_LIMIT, "%s: out of memory for %lld points", c->fname, (long long)out->size);
    }
    for (int i = 0; i < nt; i++) names[i] = tb[i].name;
    for (int64_t k = 0; k < out->size; k++)
        for (int i = 0; i < nt; i++) {
            const lm_tensor *t = lm_tensor_of(tb[i].value);
            pts[k * nt + i] = t->data[lm_tensor_offset(t, t->size == 1 ? 0 : k)];
        }
    lm_sym_eval_points(e, nt, names, pts, (size_t)out->size, res);
    for (int64_t k = 0; k < out->size; k++) out->data[lm_tensor_offset(out, k)] = res[k];
    lm_free(names);
    lm_free(pts);
    lm_free(res);
    return lm_narrow(lm_tensor_value(out));
}

static lm_value b_subs(lm_call *c) {
    lm_value v = c->args[0];
    if (v.kind != LM_EXPR) {
        /* a plain number (or matrix) has nothing to substitute: it passes through */
        for (int i = 0; i < c->nnamed; i++) lm_call_named(c, c->names[i]);
        if (v.kind == LM_NUM || v.kind == LM_BOOL || v.kind == LM_COMPLEX || v.kind == LM_TENSOR) return lm_retain(v);
        return lm_error_new(LM_ERR_TYPE, "%s: the first argument must be an expression, not %s", c->fname, lm_kind_a(v.kind));
    }
    if (c->nargs == 2)
        return lm_error_new(LM_ERR_TYPE, "%s: give a value too: %s(e, x, 2) or %s(e, x = 2)", c->fname, c->fname, c->fname);

    /* Bindings: the positional pair (x, value) or ([x, y], [1, 2]), then named ones. */
    binding *b = lm_alloc(((size_t)c->nnamed + 64) * sizeof *b);
    lm_value owned[64]; /* values made here for the list form, released at the end */
    int nb = 0, nowned = 0;
    lm_value res = lm_nil();
    if (c->nargs == 3) {
        lm_value names = c->args[1], vals = c->args[2];
        lm_expr *ne = names.kind == LM_EXPR ? lm_expr_of(names) : NULL;
        if (ne && ne->op == LM_X_SYM) {
            b[nb++] = (binding){ne->u.name, vals};
        } else if (ne && ne->op == LM_X_MATRIX && ne->nargs <= 64) {
            int64_t count = ne->nargs;
            bool vexpr = vals.kind == LM_EXPR && lm_expr_of(vals)->op == LM_X_MATRIX;
            int64_t vcount = vexpr ? lm_expr_of(vals)->nargs : vals.kind == LM_TENSOR ? lm_tensor_of(vals)->size : 1;
            if (vcount != count) {
                res = lm_error_new(LM_ERR_SHAPE, "%s: %lld names but %lld values", c->fname, (long long)count, (long long)vcount);
                goto out;
            }
            for (int64_t k = 0; k < count; k++) {
                if (ne->args[k]->op != LM_X_SYM) {
                    res = lm_error_new(LM_ERR_TYPE, "%s: entry %lld of the names is not a symbol", c->fname, (long long)k + 1);
                    goto out;
                }
                lm_value val;
                if (vexpr) val = lm_expr_value(lm_expr_retain(lm_expr_of(vals)->args[k]));
                else if (vals.kind == LM_TENSOR) {
                    const lm_tensor *t = lm_tensor_of(vals);
                    /* the k-th value in reading order, whatever the orientation */
                    int64_t off = lm_tensor_offset(t, k);
                    val = t->imag ? lm_complex_or_real(t->data[off], t->imag[off]) : lm_num(t->data[off]);
                } else val = lm_retain(vals);
                b[nb++] = (binding){ne->args[k]->u.name, val};
                owned[nowned++] = val;
            }
        } else {
            res = lm_error_new(LM_ERR_TYPE, "%s: the second argument must be a symbol (or a list [x, y]) to replace", c->fname);
            goto out;
        }
    }
    for (int i = 0; i < c->nnamed; i++) b[nb++] = (binding){c->names[i], lm_call_named(c, c->names[i])};

    lm_expr *e = lm_expr_of(v);
    /* Scalars and expressions are substituted exactly; matrices are handled after. */
    const char **names = lm_alloc(((size_t)nb + 1) * sizeof *names);
    lm_expr **vals = lm_calloc((size_t)nb + 1, sizeof *vals);
    binding *tb = lm_alloc(((size_t)nb + 1) * sizeof *tb);
    int nx = 0, nt = 0;
    for (int i = 0; i < nb && lm_is_nil(res); i++) {
        lm_value bv = b[i].value;
        if (bv.kind == LM_TENSOR && lm_tensor_of(bv)->size != 1) {
            tb[nt++] = b[i];
            continue;
        }
        lm_err err = LM_ERR_INIT;
        lm_expr *x = lm_as_expr(c->ctx, bv, &err);
        if (!x) {
            res = lm_error_new(LM_ERR_TYPE, "%s: the value for %s: %s", c->fname, b[i].name, err.msg ? err.msg : "not a number");
            lm_err_clear(&err);
            break;
        }
        names[nx] = b[i].name;
        vals[nx++] = x;
    }
    if (lm_is_nil(res)) {
        lm_err err = LM_ERR_INIT;
        lm_expr *r = lm_sym_subs(c->ctx, e, nx, names, vals, &err);
        if (!r) res = lm_error_from(&err);
        else if (nt > 0) {
            res = r->op == LM_X_MATRIX || r->op == LM_X_REL
                      ? lm_error_new(LM_ERR_TYPE, "%s: matrices of values work for a single expression only", c->fname)
                      : subs_tensor(c, r, tb, nt);
            lm_expr_release(r);
        } else {
            res = matrix_value(r);
        }
    }
    for (int i = 0; i < nx; i++) lm_expr_release(vals[i]);
    lm_free(names);
    lm_free(vals);
    lm_free(tb);
out:
    for (int i = 0; i < nowned; i++) lm_release(owned[i]);
    lm_free(b);
    return res;
}

/* ---- algebra ---- */

typedef lm_expr *(*xform_fn)(lm_ctx *ctx, lm_expr *e, lm_err *err);

/* A one-argument rewrite; numbers pass through. */
static lm_value xform(lm_call *c, xform_fn fn) {
    lm_value v = c->args[0];
    if (v.kind == LM_NUM || v.kind == LM_BOOL || v.kind == LM_COMPLEX || v.kind == LM_TENSOR) return lm_retain(v);
    lm_value errv;
    lm_expr *e = arg_expr(c, 0, "the argument", &errv);
    if (!e) return errv;
    lm_err err = LM_ERR_INIT;
    lm_expr *r = fn(c->ctx, e, &err);
    lm_expr_release(e);
    return r ? lm_expr_value(r) : lm_error_from(&err);
}

static lm_value b_expand(lm_call *c) { return xform(c, lm_sym_expand); }
static lm_value b_factor(lm_call *c) { return xform(c, lm_sym_factor); }
static lm_value b_together(lm_call *c) { return xform(c, lm_sym_together); }
static lm_value b_cancel(lm_call *c) { return xform(c, lm_sym_cancel); }

/* simplify(e) or simplify(e, positive = x) / positive = [x, y]: the stated
 * assumption is the only one simplify makes. */
static lm_value b_simplify(lm_call *c) {
    lm_value v = c->args[0];
    lm_value pos = lm_call_named(c, "positive");
    if (v.kind == LM_NUM || v.kind == LM_BOOL || v.kind == LM_COMPLEX || v.kind == LM_TENSOR) return lm_retain(v);
    const char *names[64];
    int np = 0;
    if (!lm_is_nil(pos)) {
        lm_expr *pe = pos.kind == LM_EXPR ? lm_expr_of(pos) : NULL;
        lm_expr *const *list = pe && pe->op == LM_X_MATRIX ? pe->args : &pe;
        int n = pe && pe->op == LM_X_MATRIX ? pe->nargs : 1;
        for (int i = 0; i < n; i++) {
            if (!list[i] || list[i]->op != LM_X_SYM || np == 64)
                return lm_error_new(LM_ERR_TYPE, "%s: positive = must name symbols, as in positive = x or positive = [x, y]",
                                    c->fname);
            names[np++] = list[i]->u.name;
        }
    }
    lm_value errv;
    lm_expr *e = arg_expr(c, 0, "the argument", &errv);
    if (!e) return errv;
    lm_err err = LM_ERR_INIT;
    lm_expr *r = lm_sym_simplify(c->ctx, e, np, names, &err);
    lm_expr_release(e);
    return r ? lm_expr_value(r) : lm_error_from(&err);
}

/* The number of nodes of an expression tree: what simplify makes smaller. */
static lm_value b_exprsize(lm_call *c) {
    lm_value errv;
    lm_expr *e = arg_expr(c, 0, "the argument", &errv);
    if (!e) return errv;
    double n = (double)lm_sym_size(e);
    lm_expr_release(e);
    return lm_num(n);
}

/* ---- solve ---- */

/* A column of roots: numbers when every root is numeric (a complex column when
 * some are complex), else a column of expressions. Takes the roots. */
static lm_value roots_value(lm_ctx *ctx, lm_sym_roots *r) {
    lm_err err = LM_ERR_INIT;
    bool all_float = true, complex = false;
    for (int i = 0; i < r->n; i++) {
        double re, im;
        lm_sym_to_complex(r->root[i], &re, &im);
        if (im != 0 && !isnan(im)) complex = true;
        /* float, or float + float*i */
        const lm_expr *e = r->root[i];
        bool fl = e->op == LM_X_FLOAT || (e->op == LM_X_ADD && e->args[0]->op == LM_X_FLOAT) ||
                  (e->op == LM_X_MUL && e->args[0]->op == LM_X_FLOAT);
        if (!fl) all_float = false;
    }
    lm_value v;
    if (r->n == 0 || all_float) {
        int64_t shape[2] = {r->n, 1};
        lm_tensor *t = complex ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
        if (!t) v = lm_error_from(&err);
        else {
            for (int i = 0; i < r->n; i++) {
                double re, im;
                lm_sym_to_complex(r->root[i], &re, &im);
                t->data[i] = re;
                if (complex) t->imag[i] = im;
            }
            v = r->n == 1 ? lm_narrow(lm_tensor_value(t)) : lm_tensor_value(t);
        }
    } else if (r->n == 1) { /* one root: the root itself, as a 1x1 numeric column is a number */
        v = number_or_expr(lm_expr_retain(r->root[0]));
        if (v.kind == LM_NUM || v.kind == LM_COMPLEX) {
            lm_release(v);
            v = lm_expr_value(lm_expr_retain(r->root[0])); /* exact stays exact: 1/2, sqrt(2) */
        }
    } else {
        lm_expr *m = lm_sym_matrix(ctx, r->n, 1, r->root, &err);
        v = m ? lm_expr_value(m) : lm_error_from(&err);
    }
    lm_sym_roots_free(r);
    return v;
}

static lm_value b_solve(lm_call *c) {
    lm_value errv;
    lm_expr *x = arg_symbol(c, 1, "the unknown", &errv);
    if (!x) return errv;
    double lo = -10, hi = 10;
    if (c->nargs == 3) return lm_error_new(LM_ERR_TYPE, "%s: give both ends of the search range: %s(e, x, lo, hi)", c->fname, c->fname);
    if (c->nargs == 4 && (!lm_arg_double(c, 2, "lo", &lo, &errv) || !lm_arg_double(c, 3, "hi", &hi, &errv))) return errv;
    lm_expr *e = arg_expr(c, 0, "the equation", &errv);
    if (!e) return errv;
    lm_sym_roots r;
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_sym_solve(c->ctx, e, x, lo, hi, &r, &err);
    lm_expr_release(e);
    if (st != LM_OK) return lm_error_from(&err);
    if (r.searched)
        lm_warn(c->ctx, "roots found by a numeric search of %s in [%g, %g]; roots outside it are not listed (%s(e, %s, lo, hi) searches elsewhere)",
                x->u.name, lo, hi, c->fname, x->u.name);
    if (r.assumed_nonzero) lm_warn(c->ctx, "the formula assumes the leading coefficient is not 0");
    return roots_value(c->ctx, &r);
}

/* ---- limit ---- */

static lm_value b_limit(lm_call *c) {
    lm_value errv;
    lm_expr *x = arg_symbol(c, 1, "the variable", &errv);
    if (!x) return errv;
    lm_limdir dir = LM_LIM_BOTH;
    if (c->nargs == 4) {
        lm_value d = c->args[3];
        const char *s = d.kind == LM_STRING ? lm_string_data(d) : "";
        if (!strcmp(s, "+") || !strcmp(s, "right")) dir = LM_LIM_RIGHT;
        else if (!strcmp(s, "-") || !strcmp(s, "left")) dir = LM_LIM_LEFT;
        else if (strcmp(s, "both"))
            return lm_error_new(LM_ERR_TYPE, "%s: the direction must be \"left\", \"right\" or \"both\" (or \"-\", \"+\")", c->fname);
    }
    lm_expr *e = arg_expr(c, 0, "the expression", &errv);
    if (!e) return errv;
    lm_expr *a = arg_expr(c, 2, "the point", &errv);
    if (!a) {
        lm_expr_release(e);
        return errv;
    }
    lm_sym_limit_res r;
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_sym_limit(c->ctx, e, x, a, dir, &r, &err);
    lm_expr_release(e);
    lm_expr_release(a);
    if (st != LM_OK) return lm_error_from(&err);
    if (r.numeric)
        lm_warn(c->ctx, "no exact step applies: this is a numeric estimate (Richardson extrapolation), not a proof");
    if (r.one_side)
        lm_warn(c->ctx, "the expression is defined only on the %s of the point; this is the one-sided limit",
                r.one_side < 0 ? "left" : "right");
    /* an exact answer stays exact (e, 1/2, pi/2); integers and floats are numbers */
    lm_expr *v = r.value;
    r.value = NULL;
    if (v->op == LM_X_FLOAT || (v->op == LM_X_RAT && v->u.rat.q == 1)) return number_or_expr(v);
    return lm_expr_value(v);
}

/* ---- integral ---- */

static lm_value b_integral(lm_call *c) {
    lm_value errv;
    if (c->nargs == 2)
        return lm_error_new(LM_ERR_TYPE, "%s: only definite integrals are computed (numerically): give the limits, as in %s(e, x, 0, 1)",
                            c->fname, c->fname);
    lm_expr *x = arg_symbol(c, 1, "the variable of integration", &errv);
    if (!x) return errv;
    double a, b;
    if (!lm_arg_double(c, 2, "the lower limit", &a, &errv) || !lm_arg_double(c, 3, "the upper limit", &b, &errv)) return errv;
    lm_value v = c->args[0];
    if (v.kind == LM_NUM || v.kind == LM_BOOL) { /* a constant integrand */
        double k;
        lm_as_double(v, &k);
        return lm_num(a == b ? 0 : k * (b - a));
    }
    lm_expr *e = arg_expr(c, 0, "the integrand", &errv);
    if (!e) return errv;
    double r, ae;
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_sym_integral(c->ctx, e, x, a, b, &r, &ae, &err);
    lm_expr_release(e);
    if (st != LM_OK) {
        lm_value ev = lm_error_from(&err);
        if (st == LM_ERR_CONVERGENCE) lm_error_obj(ev)->detail = r;
        return ev;
    }
    if (c->nout > 1) c->extra[1] = lm_num(ae);
    return lm_num(r);
}

/* ---- critical points ---- */

/* The report critical() gives: the points with what each is, as text and as
 * JSON ({"type":"object","kind":"critical points","text":..,"points":[..]}). */
typedef struct critobj {
    lm_obj hdr;
    lm_sym_critical c;
    char *fname;     /* the expression, as text */
    char *vars[2];
} critobj;

static const char *crit_word(lm_critkind k) {
    switch (k) {
    case LM_CRIT_MIN: return "local minimum";
    case LM_CRIT_MAX: return "local maximum";
    case LM_CRIT_SADDLE: return "saddle point";
    case LM_CRIT_NEITHER: return "neither (the graph flattens and goes on)";
    default: return "inconclusive (the second-derivative test gives 0)";
    }
}

static void crit_free(lm_obj *o) {
    critobj *r = (critobj *)o;
    lm_sym_critical_free(&r->c);
    lm_free(r->fname);
    lm_free(r->vars[0]);
    lm_free(r->vars[1]);
    lm_free(r);
}

static void crit_point_text(const critobj *r, int i, lm_buf *out, int digits) {
    const lm_sym_critical *c = &r->c;
    if (c->dim == 1) {
        lm_buf_printf(out, "%s = ", r->vars[0]);
        lm_sym_print_text_digits(c->pt[i], out, digits);
    } else {
        lm_buf_printf(out, "(%s, %s) = (", r->vars[0], r->vars[1]);
        lm_sym_print_text_digits(c->pt[2 * i], out, digits);
        lm_buf_puts(out, ", ");
        lm_sym_print_text_digits(c->pt[2 * i + 1], out, digits);
        lm_buf_putc(out, ')');
    }
}

static void crit_text(const lm_obj *o, lm_buf *out, int digits) {
    const critobj *r = (const critobj *)o;
    const lm_sym_critical *c = &r->c;
    if (c->n == 0) {
        lm_buf_printf(out, "no critical points of %s%s", r->fname,
                      c->searched ? " were found in the range searched" : "");
        return;
    }
    lm_buf_printf(out, "critical points of %s:", r->fname);
    for (int i = 0; i < c->n; i++) {
        lm_buf_puts(out, "\n  ");
        crit_point_text(r, i, out, digits);
        lm_buf_printf(out, ": %s, value ", crit_word(c->kind[i]));
        lm_sym_print_text_digits(c->val[i], out, digits);
    }
}

static void json_esc(lm_buf *out, const char *s) {
    lm_buf_putc(out, '"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') lm_buf_printf(out, "\\%c", ch);
        else if (ch == '\n') lm_buf_puts(out, "\\n");
        else if (ch < 0x20) lm_buf_printf(out, "\\u%04x", ch);
        else lm_buf_putc(out, (char)ch);
    }
    lm_buf_putc(out, '"');
}

static void json_expr(lm_buf *out, const lm_expr *e) {
    lm_buf t = LM_BUF_INIT;
    lm_sym_print_text(e, &t);
    json_esc(out, lm_buf_cstr(&t));
    lm_buf_free(&t);
}

static void crit_json(const lm_obj *o, lm_buf *out) {
    const critobj *r = (const critobj *)o;
    const lm_sym_critical *c = &r->c;
    static const char *const kinds[] = {"minimum", "maximum", "saddle", "neither", "inconclusive"};
    lm_buf t = LM_BUF_INIT;
    crit_text(o, &t, 0);
    lm_buf_puts(out, "\"type\":\"object\",\"kind\":\"critical points\",\"text\":");
    json_esc(out, lm_buf_cstr(&t));
    lm_buf_free(&t);
    lm_buf_puts(out, ",\"points\":[");
    for (int i = 0; i < c->n; i++) {
        lm_buf_puts(out, i ? ",{\"at\":[" : "{\"at\":[");
        for (int k = 0; k < c->dim; k++) {
            if (k) lm_buf_putc(out, ',');
            json_expr(out, c->pt[i * c->dim + k]);
        }
        lm_buf_puts(out, "],\"value\":");
        json_expr(out, c->val[i]);
        lm_buf_printf(out, ",\"class\":\"%s\"}", kinds[c->kind[i]]);
    }
    lm_buf_printf(out, "],\"numeric\":%s", c->numeric ? "true" : "false");
}

static const lm_objtype crit_type = {"critical points", crit_free, crit_text, crit_json};

static lm_value b_critical(lm_call *c) {
    lm_value errv;
    lm_value vv = c->args[1];
    lm_expr *vars[2];
    int nv = 0;
    lm_expr *ve = vv.kind == LM_EXPR ? lm_expr_of(vv) : NULL;
    if (ve && ve->op == LM_X_SYM) vars[nv++] = ve;
    else if (ve && ve->op == LM_X_MATRIX && ve->nargs >= 1 && ve->nargs <= 2) {
        for (int i = 0; i < ve->nargs; i++) vars[nv++] = ve->args[i];
    } else {
        return lm_error_new(LM_ERR_TYPE, "%s: the variables must be a symbol x or a list [x, y]", c->fname);
    }
    double lo = -10, hi = 10;
    if (c->nargs == 3) return lm_error_new(LM_ERR_TYPE, "%s: give both ends of the search range: %s(e, x, lo, hi)", c->fname, c->fname);
    if (c->nargs == 4 && (!lm_arg_double(c, 2, "lo", &lo, &errv) || !lm_arg_double(c, 3, "hi", &hi, &errv))) return errv;
    lm_expr *e = arg_expr(c, 0, "the function", &errv);
    if (!e) return errv;
    critobj *r = lm_calloc(1, sizeof *r);
    lm_obj_init(&r->hdr, LM_OBJECT, &crit_type);
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_sym_critical_points(c->ctx, e, vars, nv, lo, hi, &r->c, &err);
    lm_buf t = LM_BUF_INIT;
    lm_sym_print_text(e, &t);
    r->fname = lm_buf_steal(&t);
    lm_expr_release(e);
    for (int i = 0; i < nv; i++) r->vars[i] = lm_strdup(vars[i]->u.name);
    lm_value res = lm_obj_value(&r->hdr);
    if (st != LM_OK) {
        lm_release(res);
        return lm_error_from(&err);
    }
    if (r->c.searched)
        lm_warn(c->ctx, "points found by a numeric search of [%g, %g]%s; points outside it are not listed", lo, hi,
                nv == 2 ? " in each variable" : "");
    if (c->nout > 1) {
        lm_expr *m = lm_sym_matrix(c->ctx, r->c.n, nv, r->c.pt, &err);
        c->extra[1] = m ? matrix_value(m) : lm_error_from(&err);
    }
    if (c->nout > 2) {
        lm_expr *m = lm_sym_matrix(c->ctx, r->c.n, 1, r->c.val, &err);
        c->extra[2] = m ? matrix_value(m) : lm_error_from(&err);
    }
    return res;
}

const lm_builtin lm_builtins_calc[] = {
    {"cancel", b_cancel, 1, 1, 1, "cancel(e)", "one fraction with the common polynomial factors of top and bottom removed",
     "cancel((x^2 - 1)/(x - 1))"},
    {"critical", b_critical, 2, 4, 3, "critical(e, x), critical(e, [x, y]), [report, P, values] = critical(...)",
     "the critical points (gradient 0) of a function of one or two variables, each classified by the second-derivative test",
     "critical(x^3 - 3*x, x)"},
    {"expand", b_expand, 1, 1, 1, "expand(e)", "multiply out products and integer powers of sums",
     "expand((x + 1)^3)"},
    {"exprsize", b_exprsize, 1, 1, 1, "exprsize(e)", "how many nodes the expression tree has (what simplify minimizes)",
     "exprsize(x^2 + 2*x + 1)"},
    {"factor", b_factor, 1, 1, 1, "factor(e)",
     "write a polynomial as a product: common factors, and linear factors from its rational roots", "factor(x^2 - 5*x + 6)"},
    {"integral", b_integral, 2, 4, 2, "integral(e, x, a, b), [v, err] = integral(...)",
     "the definite integral of e for x from a to b, numerically (QUADPACK); a or b may be inf", "integral(exp(-x^2), x, 0, 1)"},
    {"limit", b_limit, 3, 4, 1, "limit(e, x, a) or limit(e, x, a, \"left\")",
     "the value e approaches as x approaches a (a may be inf or -inf), from both sides unless one is named",
     "limit(sin(x)/x, x, 0)"},
    {"simplify", b_simplify, 1, 1, 1, "simplify(e), simplify(e, positive = x)",
     "the smallest equivalent form found by expanding, factoring, combining fractions and the standard identities",
     "simplify(sin(x)^2 + cos(x)^2)"},
    {"together", b_together, 1, 1, 1, "together(e)", "combine fractions over one common denominator",
     "together(1/x + 1/y)"},
    {"solve", b_solve, 2, 4, 1, "solve(e == c, x) or solve(e, x, lo, hi)",
     "the roots of an equation: exact for polynomials where possible, else numeric (searching [lo, hi], default [-10, 10])",
     "solve(x^2 - 5*x + 6 == 0, x)"},
    {"subs", b_subs, 1, 3, 1, "subs(e, x = 2, y = 3) or subs(e, x, 2)",
     "replace symbols by values or expressions: a number once every symbol has a value", "subs(x^2 + y, x = 3, y = 1)"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
