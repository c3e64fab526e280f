/* Symbolic-calculus builtins (diff, partial, grad, jacobian, hessian, dirdiff,
 * taylor) and their steps explainers (steps(diff(...)), steps(grad(...))). The
 * symbolic engine (src/sym: diff.c, diffsteps.c) does the work; this file reads
 * the arguments the way a learner writes them and names the function in errors. */
#include "lang/lang_int.h"

#include "lemma/steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- arguments ---- */

/* An engine error as a value that names the builtin: "diff: ...". */
static lm_value fail_err(lm_call *c, lm_err *err) {
    lm_errkind kind = err->kind == LM_OK ? LM_ERR_INTERNAL : err->kind;
    lm_value v = lm_error_new(kind, "%s: %s", c->fname, err->msg ? err->msg : "failed without saying why");
    lm_err_clear(err);
    return v;
}

/* Argument i as an expression (+1); numbers become exact. */
static lm_expr *arg_expr(lm_call *c, int i, const char *what, lm_value *ev) {
    lm_value a = c->args[i];
    if (a.kind == LM_FUNC) {
        *ev = lm_error_new(LM_ERR_TYPE, "%s: %s must be an expression: write f(x) rather than f, as in %s(f(x), x)",
                           c->fname, what, c->fname);
        return NULL;
    }
    lm_err err = LM_ERR_INIT;
    lm_expr *e = lm_as_expr(c->ctx, a, &err);
    if (!e) *ev = fail_err(c, &err);
    return e;
}

/* Argument i as one symbol (borrowed from the argument). */
static lm_expr *arg_var(lm_call *c, int i, lm_value *ev) {
    lm_value a = c->args[i];
    if (a.kind == LM_EXPR && lm_expr_of(a)->op == LM_X_SYM) return lm_expr_of(a);
    lm_buf b = LM_BUF_INIT;
    lm_value_text(c->s, a, &b);
    *ev = lm_error_new(LM_ERR_TYPE, "%s: the variable must be a symbol such as x, not %s", c->fname, lm_buf_cstr(&b));
    lm_buf_free(&b);
    return NULL;
}

/* The variables: argument i as a symbol or a vector of symbols ([x, y]), or,
 * when absent, the symbols of e in name order. Returns an lm_alloc'd array of
 * pointers borrowed from the argument or from e; NULL with *ev set. */
static lm_expr **arg_vars(lm_call *c, int i, lm_expr *e, int *n, lm_value *ev) {
    if (i >= c->nargs) {
        const lm_expr **syms;
        size_t k = lm_sym_symbols(e, &syms);
        if (k == 0) {
            lm_free((void *)syms);
            *ev = lm_error_new(LM_ERR_DOMAIN, "%s: the expression has no variables; name them, as in %s(f, [x, y])",
                               c->fname, c->fname);
            return NULL;
        }
        *n = (int)k;
        return (lm_expr **)syms;
    }
    lm_value a = c->args[i];
    lm_expr *v = a.kind == LM_EXPR ? lm_expr_of(a) : NULL;
    if (v && v->op == LM_X_SYM) {
        lm_expr **r = lm_alloc(sizeof *r);
        r[0] = v;
        *n = 1;
        return r;
    }
    bool ok = v && v->op == LM_X_MATRIX && v->nargs > 0 && (v->u.rat.p == 1 || v->u.rat.q == 1);
    for (int k = 0; ok && k < v->nargs; k++) ok = v->args[k]->op == LM_X_SYM;
    if (!ok) {
        lm_buf b = LM_BUF_INIT;
        lm_value_text(c->s, a, &b);
        *ev = lm_error_new(LM_ERR_TYPE, "%s: the variables must be a vector of symbols such as [x, y], not %s", c->fname,
                           lm_buf_cstr(&b));
        lm_buf_free(&b);
        return NULL;
    }
    lm_expr **r = lm_alloc((size_t)v->nargs * sizeof *r);
    memcpy(r, v->args, (size_t)v->nargs * sizeof *r);
    *n = v->nargs;
    return r;
}

/* The one variable of e when the call does not name it. NULL with *ev set when
 * there are several; *none when there is none (e is a constant). */
static lm_expr *only_var(lm_call *c, lm_expr *e, bool *none, lm_value *ev) {
    const lm_expr **syms;
    size_t k = lm_sym_symbols(e, &syms);
    lm_expr *x = k == 1 ? (lm_expr *)syms[0] : NULL;
    *none = k == 0;
    if (k > 1) {
        lm_buf b = LM_BUF_INIT;
        for (size_t i = 0; i < k && i < 6; i++) lm_buf_printf(&b, "%s%s", i ? ", " : "", syms[i]->u.name);
        if (k > 6) lm_buf_puts(&b, ", ...");
        *ev = lm_error_new(LM_ERR_DOMAIN, "%s: the expression has several variables (%s): say which one, as in %s(f, %s)",
                           c->fname, lm_buf_cstr(&b), c->fname, syms[0]->u.name);
        lm_buf_free(&b);
    }
    lm_free((void *)syms);
    return x;
}

/* diff(f), diff(f, x), diff(f, n), diff(f, x, n): *x NULL for a constant f. */
static bool diff_args(lm_call *c, lm_expr **e, lm_expr **x, int64_t *n, lm_value *ev) {
    *e = NULL;
    *x = NULL;
    *n = 1;
    if (!(*e = arg_expr(c, 0, "the function", ev))) return false;
    if (c->nargs >= 2) {
        lm_value a1 = c->args[1];
        if (a1.kind != LM_EXPR && c->nargs == 2) { /* diff(f, 2): Octave's order without a variable */
            if (!lm_arg_int(c, 1, "the order n", 0, n, ev)) goto fail;
        } else if (!(*x = arg_var(c, 1, ev))) {
            goto fail;
        }
    }
    if (c->nargs == 3 && !lm_arg_int(c, 2, "the order n", 0, n, ev)) goto fail;
    if (!*x) {
        bool none;
        *x = only_var(c, *e, &none, ev);
        if (!*x && !none) goto fail;
    }
    return true;
fail:
    lm_expr_release(*e);
    *e = NULL;
    return false;
}

/* ---- diff of numbers: Octave's differences of neighbours ---- */

static lm_value numeric_diff(lm_call *c) {
    int64_t k = 1;
    lm_value ev;
    if (c->nargs >= 2 && !lm_arg_int(c, 1, "the order k", 0, &k, &ev)) return ev;
    if (c->nargs == 3)
        return lm_error_new(LM_ERR_TYPE, "%s: for a numeric vector use diff(v, k); diff(f, x, n) is for expressions",
                            c->fname);
    lm_tensor *t = lm_tensor_of(c->args[0]);
    if (t->ndim > 2 || t->imag)
        return lm_error_new(LM_ERR_TYPE, "%s: differences of a real vector or matrix only", c->fname);
    int64_t rows = lm_tensor_rows(t), cols = lm_tensor_cols(t);
    bool along_rows = rows > 1; /* Octave: the first dimension that is not 1 */
    int64_t len = along_rows ? rows : cols;
    lm_err err = LM_ERR_INIT;
    lm_tensor *cur = lm_tensor_copy(t, &err);
    if (!cur) return lm_error_from(&err);
    for (int64_t r = 0; r < k && len > 0; r++) {
        int64_t nr = along_rows ? rows - 1 : rows, nc = along_rows ? cols : cols - 1;
        lm_tensor *nx = lm_tensor_matrix(nr < 0 ? 0 : nr, nc < 0 ? 0 : nc, &err);
        if (!nx) {
            lm_tensor_release(cur);
            return lm_error_from(&err);
        }
        for (int64_t i = 0; i < nr; i++)
            for (int64_t j = 0; j < nc; j++)
                nx->data[i * nc + j] = along_rows ? lm_tensor_get2(cur, i + 1, j) - lm_tensor_get2(cur, i, j)
                                                  : lm_tensor_get2(cur, i, j + 1) - lm_tensor_get2(cur, i, j);
        lm_tensor_release(cur);
        cur = nx;
        if (along_rows) rows = nr;
        else cols = nc;
        len--;
    }
    return lm_narrow(lm_tensor_value(cur));
}

/* ---- the builtins ---- */

static lm_value b_diff(lm_call *c) {
    lm_value a0 = c->args[0];
    if (a0.kind == LM_TENSOR && lm_tensor_of(a0)->size != 1) return numeric_diff(c);
    lm_expr *e, *x;
    int64_t n;
    lm_value ev;
    if (!diff_args(c, &e, &x, &n, &ev)) return ev;
    lm_err err = LM_ERR_INIT;
    lm_expr *r;
    if (!x) r = n == 0 ? lm_expr_retain(e) : lm_sym_int(c->ctx, 0); /* a constant */
    else r = lm_sym_diff_n(c->ctx, e, x, n, &err);
    lm_expr_release(e);
    return r ? lm_expr_value(r) : fail_err(c, &err);
}

/* grad, hessian, jacobian: f and its variables, then the engine. */
typedef lm_expr *(*multi_fn)(lm_ctx *, lm_expr *, lm_expr *const *, int, lm_err *);

static lm_value multi(lm_call *c, multi_fn fn) {
    lm_value ev;
    lm_expr *e = arg_expr(c, 0, "the function", &ev);
    if (!e) return ev;
    int n;
    lm_expr **vars = arg_vars(c, 1, e, &n, &ev);
    if (!vars) {
        lm_expr_release(e);
        return ev;
    }
    lm_err err = LM_ERR_INIT;
    lm_expr *r = fn(c->ctx, e, vars, n, &err);
    lm_free(vars);
    lm_expr_release(e);
    return r ? lm_expr_value(r) : fail_err(c, &err);
}

static lm_value b_grad(lm_call *c) { return multi(c, lm_sym_grad); }
static lm_value b_hessian(lm_call *c) { return multi(c, lm_sym_hessian); }
static lm_value b_jacobian(lm_call *c) { return multi(c, lm_sym_jacobian); }

static lm_value b_dirdiff(lm_call *c) {
    lm_value ev;
    lm_expr *e = arg_expr(c, 0, "the function", &ev);
    if (!e) return ev;
    int n;
    lm_expr **vars = arg_vars(c, 1, e, &n, &ev);
    if (!vars) {
        lm_expr_release(e);
        return ev;
    }
    /* u: a numeric vector or a vector of expressions, one entry per variable */
    lm_value u = c->args[2];
    lm_expr **us = lm_calloc((size_t)n, sizeof *us);
    lm_err err = LM_ERR_INIT;
    lm_value res = lm_nil();
    int64_t have = -1;
    if (u.kind == LM_TENSOR) {
        lm_tensor *t = lm_tensor_of(u);
        have = t->size;
        if (have == n && !t->imag)
            for (int i = 0; i < n; i++) us[i] = lm_sym_number(c->ctx, t->data[lm_tensor_offset(t, i)]);
    } else if (u.kind == LM_EXPR && lm_expr_of(u)->op == LM_X_MATRIX) {
        lm_expr *m = lm_expr_of(u);
        have = m->nargs;
        if (have == n)
            for (int i = 0; i < n; i++) us[i] = lm_expr_retain(m->args[i]);
    } else if (n == 1) {
        have = 1;
        us[0] = lm_as_expr(c->ctx, u, &err);
        if (!us[0]) {
            res = fail_err(c, &err);
            goto out;
        }
    }
    if (have != n || !us[0]) {
        res = lm_error_new(LM_ERR_SHAPE, "%s: the direction u needs one entry per variable (%d), as in [1, 1]", c->fname, n);
        goto out;
    }
    lm_expr *r = lm_sym_dirdiff(c->ctx, e, vars, n, us, &err);
    res = r ? lm_expr_value(r) : fail_err(c, &err);
out:
    for (int i = 0; i < n; i++) lm_expr_release(us[i]);
    lm_free(us);
    lm_free(vars);
    lm_expr_release(e);
    return res;
}

/* taylor(f), taylor(f, x), taylor(f, x, a), taylor(f, x, a, n) */
static lm_value b_taylor(lm_call *c) {
    lm_value ev;
    lm_expr *e = arg_expr(c, 0, "the function", &ev);
    if (!e) return ev;
    lm_expr *x = NULL, *a = NULL, *r = NULL;
    int64_t n = 5;
    lm_value res;
    lm_err err = LM_ERR_INIT;
    if (c->nargs >= 2) x = arg_var(c, 1, &ev);
    else {
        bool none;
        x = only_var(c, e, &none, &ev);
        if (!x && none) { /* a constant is its own Taylor polynomial */
            return lm_expr_value(e);
        }
    }
    if (!x) {
        res = ev;
        goto out;
    }
    if (c->nargs >= 3) {
        if (!(a = arg_expr(c, 2, "the point a", &ev))) {
            res = ev;
            goto out;
        }
    } else {
        a = lm_sym_int(c->ctx, 0);
    }
    if (c->nargs >= 4 && !lm_arg_int(c, 3, "the order n", 0, &n, &ev)) {
        res = ev;
        goto out;
    }
    r = lm_sym_taylor(c->ctx, e, x, a, n, &err);
    res = r ? lm_expr_value(r) : fail_err(c, &err);
out:
    lm_expr_release(a);
    lm_expr_release(e);
    return res;
}

/* ---- explainers ---- */

/* "f", "the second derivative f''" ... in words. */
static const char *ordinal(int64_t k) {
    static const char *const w[] = {"zeroth", "first", "second", "third", "fourth", "fifth",
                                    "sixth", "seventh", "eighth", "ninth", "tenth"};
    return k >= 0 && k <= 10 ? w[k] : "next";
}

/* A step whose value is the derivative still to be taken: diff(f, x) or
 * partial(f, x), LaTeX \frac{d}{dx}[f]. */
static void header_step(lm_call *c, lm_steps *s, const char *rule, lm_expr *f, lm_expr *x, bool partial,
                        const char *text) {
    lm_err err = LM_ERR_INIT;
    lm_expr *args[2] = {f, x};
    lm_expr *p = lm_sym_call(c->ctx, partial ? "partial" : "diff", 2, args, &err);
    lm_buf latex = LM_BUF_INIT;
    if (p) lm_sym_print_latex(p, &latex);
    lm_value v = p ? lm_expr_value(p) : lm_nil();
    lm_steps_add(s, rule, v, p ? lm_buf_cstr(&latex) : NULL, "%s", text);
    lm_release(v);
    lm_buf_free(&latex);
    lm_err_clear(&err);
}

/* Explaining more than this many derivatives in a row would bury the learner. */
#define MAX_STEPS_ORDER 10

static lm_value explain_diff(lm_call *c, bool partial) {
    lm_value a0 = c->args[0];
    if (a0.kind == LM_TENSOR && lm_tensor_of(a0)->size != 1)
        return lm_error_new(LM_ERR_TYPE, "steps explains derivatives of expressions; %s of a numeric vector is plain subtraction",
                            c->fname);
    lm_expr *e, *x;
    int64_t n;
    lm_value ev;
    if (!diff_args(c, &e, &x, &n, &ev)) return ev;
    if (n > MAX_STEPS_ORDER) {
        lm_expr_release(e);
        return lm_error_new(LM_ERR_LIMIT, "%s: steps explains derivatives up to order %d, not %lld", c->fname,
                            MAX_STEPS_ORDER, (long long)n);
    }
    lm_steps *s = lm_steps_new();
    lm_err err = LM_ERR_INIT;
    lm_expr *cur = lm_expr_retain(e);
    if (!x) { /* a constant: one step */
        lm_buf t = LM_BUF_INIT;
        lm_sym_print_prose(e, &t);
        lm_buf_puts(&t, " has no variable, so it is a constant: its derivative is 0.");
        lm_expr *z = lm_sym_int(c->ctx, 0);
        lm_value zv = lm_expr_value(z);
        lm_steps_add(s, "constant", zv, "0", "%s", lm_buf_cstr(&t));
        lm_buf_free(&t);
        lm_steps_set_result(s, n == 0 ? a0 : zv);
        lm_release(zv);
        lm_expr_release(cur);
        lm_expr_release(e);
        return lm_obj_value(&s->hdr);
    }
    for (int64_t k = 1; k <= n && cur; k++) {
        if (n > 1) {
            lm_buf t = LM_BUF_INIT;
            if (k == 1) {
                lm_buf_printf(&t, "First derivative: differentiate ");
                lm_sym_print_prose(cur, &t);
                lm_buf_printf(&t, " with respect to %s.", x->u.name);
            } else {
                char ord[32];
                snprintf(ord, sizeof ord, "%s", ordinal(k));
                ord[0] = (char)(ord[0] - 'a' + 'A');
                lm_buf_printf(&t, "%s derivative: differentiate the %s derivative ", ord, ordinal(k - 1));
                lm_sym_print_prose(cur, &t);
                lm_buf_puts(&t, " again.");
            }
            header_step(c, s, k == 1 ? "first derivative" : "next derivative", cur, x, partial, lm_buf_cstr(&t));
            lm_buf_free(&t);
        }
        lm_expr *next = lm_sym_diff_steps(c->ctx, cur, x, partial, s, &err);
        lm_expr_release(cur);
        cur = next;
    }
    lm_expr_release(e);
    if (!cur) {
        lm_obj_release(&s->hdr);
        return fail_err(c, &err);
    }
    lm_value r = lm_expr_value(cur);
    lm_steps_set_result(s, r);
    lm_release(r);
    return lm_obj_value(&s->hdr);
}

static lm_value x_diff(lm_call *c) { return explain_diff(c, false); }
static lm_value x_partial(lm_call *c) { return explain_diff(c, true); }

static lm_value x_grad(lm_call *c) {
    lm_value ev;
    lm_expr *e = arg_expr(c, 0, "the function", &ev);
    if (!e) return ev;
    int n;
    lm_expr **vars = arg_vars(c, 1, e, &n, &ev);
    if (!vars) {
        lm_expr_release(e);
        return ev;
    }
    lm_steps *s = lm_steps_new();
    lm_err err = LM_ERR_INIT;
    lm_expr **g = lm_calloc((size_t)n, sizeof *g);
    lm_expr *m = NULL;
    lm_value res;
    if (e->op == LM_X_MATRIX) {
        lm_err_set(&err, LM_ERR_TYPE, "grad takes one expression; for a vector of functions use jacobian");
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        lm_buf t = LM_BUF_INIT;
        lm_buf_printf(&t, "Partial derivative with respect to %s", vars[i]->u.name);
        int others = 0;
        for (int j = 0; j < n; j++)
            if (j != i) {
                lm_buf_printf(&t, "%s%s", others ? (j == n - 1 || (j == n - 2 && i == n - 1) ? " and " : ", ")
                                                 : ": treat ",
                              vars[j]->u.name);
                others++;
            }
        if (others) lm_buf_printf(&t, " as %s and differentiate in %s alone.", others > 1 ? "constants" : "a constant",
                                  vars[i]->u.name);
        else lm_buf_putc(&t, '.');
        header_step(c, s, "partial derivative", e, vars[i], true, lm_buf_cstr(&t));
        lm_buf_free(&t);
        if (!(g[i] = lm_sym_diff_steps(c->ctx, e, vars[i], true, s, &err))) goto fail;
    }
    if (!(m = lm_sym_matrix(c->ctx, n, 1, g, &err))) goto fail;
    {
        lm_buf t = LM_BUF_INIT, latex = LM_BUF_INIT;
        lm_buf_puts(&t, "The gradient collects the partial derivatives in a column: grad f = [");
        for (int i = 0; i < n; i++) lm_buf_printf(&t, "%s∂f/∂%s", i ? "; " : "", vars[i]->u.name);
        lm_buf_puts(&t, "].");
        lm_buf_puts(&latex, "\\nabla f = ");
        lm_sym_print_latex(m, &latex);
        lm_value mv = lm_expr_value(lm_expr_retain(m));
        lm_steps_add(s, "gradient", mv, lm_buf_cstr(&latex), "%s", lm_buf_cstr(&t));
        lm_steps_set_result(s, mv);
        lm_release(mv);
        lm_buf_free(&t);
        lm_buf_free(&latex);
    }
    res = lm_obj_value(&s->hdr);
    goto out;
fail:
    lm_obj_release(&s->hdr);
    res = fail_err(c, &err);
out:
    for (int i = 0; i < n; i++) lm_expr_release(g[i]);
    lm_free(g);
    lm_expr_release(m);
    lm_free(vars);
    lm_expr_release(e);
    return res;
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_sym[] = {
    B("diff", b_diff, 1, 3, 1, "diff(f, x, n = 1)",
      "the derivative of f with respect to x (the n-th with n); of a numeric vector, the differences of neighbours",
      "diff(x^2*sin(x), x)"),
    B("dirdiff", b_dirdiff, 3, 3, 1, "dirdiff(f, [x, y], u)",
      "the directional derivative of f along u, normalized: grad(f)·u/|u|, so u need not have length 1",
      "dirdiff(x^2*y, [x, y], [1, 1])"),
    B("grad", b_grad, 1, 2, 1, "grad(f, [x, y])",
      "the gradient: a column of the partial derivatives of f (variables default to f's symbols by name)",
      "grad(x^2*y + y^3, [x, y])"),
    B("hessian", b_hessian, 1, 2, 1, "hessian(f, [x, y])", "the Hessian: the matrix of second partial derivatives of f",
      "hessian(x^3*y + y^2, [x, y])"),
    B("jacobian", b_jacobian, 1, 2, 1, "jacobian([f; g], [x, y])",
      "the Jacobian: row i holds the partial derivatives of the i-th function", "jacobian([x*y; x + y^2], [x, y])"),
    B("partial", b_diff, 1, 3, 1, "partial(f, x, n = 1)",
      "the partial derivative of f with respect to x, as diff(f, x); steps(partial(...)) writes it with ∂",
      "partial(x^2*y, y)"),
    B("taylor", b_taylor, 1, 4, 1, "taylor(f, x, a = 0, n = 5)",
      "the Taylor polynomial of f about x = a, up to the power (x - a)^n", "taylor(exp(x), x, 0, 4)"),
    B(NULL, NULL, 0, 0, 0, NULL, NULL, NULL),
};

const lm_explainer lm_explain_sym[] = {
    {"diff", x_diff, 1, 3},
    {"grad", x_grad, 1, 2},
    {"partial", x_partial, 1, 3},
    {NULL, NULL, 0, 0},
};
