/* Optimization builtins: gd (every first-order method, Newton, Armijo, box and
 * simplex projections), newton, convex, lsq_gd and logreg. Thin wrappers over
 * include/lemma/opt.h. A call used for one value gives the report (minimizer,
 * iterations, why it stopped); [xmin, path] = gd(...) gives the minimizer as a
 * column and the trajectory, a "trace" object. */
#include "lang/lang_int.h"
#include "lemma/linalg.h"
#include "lemma/opt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments ---- */

/* An engine error as a value, its message prefixed with the function's name. */
static lm_value engine_error(lm_call *c, lm_err *e) {
    lm_value r = lm_error_new(e->kind ? e->kind : LM_ERR_INTERNAL, "%s: %s", c->fname, e->msg ? e->msg : "failed");
    lm_err_clear(e);
    return r;
}

/* The elements of a numeric argument in column-major order (vectors read the
 * same either way), as a fresh array; *n receives the count. */
static double *num_values(lm_call *c, lm_value v, const char *what, int64_t *n, lm_value *err) {
    if (v.kind == LM_EXPR) {
        *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be numbers; this is an expression with unknowns", c->fname, what);
        return NULL;
    }
    lm_err e = LM_ERR_INIT;
    char buf[160];
    snprintf(buf, sizeof buf, "%s: %s", c->fname, what);
    lm_tensor *t = lm_as_tensor(v, buf, &e);
    if (!t) {
        *err = lm_error_from(&e);
        return NULL;
    }
    if (t->imag) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be real numbers, not complex", c->fname, what);
        return NULL;
    }
    double *out = lm_alloc_big((size_t)t->size * sizeof *out + 1);
    if (!out) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
        return NULL;
    }
    int64_t rows = lm_tensor_rows(t), cols = lm_tensor_cols(t);
    if (t->ndim <= 2) {
        for (int64_t j = 0, k = 0; j < cols; j++)
            for (int64_t r = 0; r < rows; r++) out[k++] = lm_tensor_get2(t, r, j);
    } else {
        lm_tensor_gather(t, out);
    }
    *n = t->size;
    lm_tensor_release(t);
    return out;
}

/* The variables: a symbol x or a row/column of symbols [x, y]. Borrowed nodes
 * of the argument; *vars is a fresh array. */
static bool arg_vars(lm_call *c, int i, lm_expr ***vars, int *n, lm_value *err) {
    lm_value v = c->args[i];
    lm_expr *e = v.kind == LM_EXPR ? lm_expr_of(v) : NULL;
    if (e && e->op == LM_X_SYM) {
        *vars = lm_alloc(sizeof **vars);
        (*vars)[0] = e;
        *n = 1;
        return true;
    }
    if (e && e->op == LM_X_MATRIX && (e->u.rat.p == 1 || e->u.rat.q == 1)) {
        for (int k = 0; k < e->nargs; k++)
            if (e->args[k]->op != LM_X_SYM) goto bad;
        *vars = lm_alloc((size_t)e->nargs * sizeof **vars);
        memcpy(*vars, e->args, (size_t)e->nargs * sizeof **vars);
        *n = e->nargs;
        return true;
    }
bad:
    *err = lm_error_new(LM_ERR_TYPE,
                        "%s: the variables must be unbound names, as in [x, y]; got %s (clear a name first if it "
                        "holds a value)",
                        c->fname, lm_kind_a((lm_kind)v.kind));
    return false;
}

/* The objective as an expression (+1). A user function cannot be run from the
 * engine, so it gets a message showing the symbolic way to pass it. */
static lm_expr *arg_objective(lm_call *c, lm_value *err) {
    lm_value v = c->args[0];
    if (v.kind == LM_FUNC) {
        *err = lm_error_new(LM_ERR_TYPE,
                            "%s: pass the objective as an expression: if f(x, y) is defined, call %s(f(x, y), [x, y], "
                            "...) with x and y unbound",
                            c->fname, c->fname);
        return NULL;
    }
    if (v.kind != LM_EXPR && v.kind != LM_NUM) {
        *err = lm_error_new(LM_ERR_TYPE, "%s: the objective must be an expression such as x^2 + y^2, not %s", c->fname,
                            lm_kind_a((lm_kind)v.kind));
        return NULL;
    }
    lm_err e = LM_ERR_INIT;
    lm_expr *f = lm_as_expr(c->ctx, v, &e);
    if (!f) *err = lm_error_from(&e);
    return f;
}

/* An optional string option; *out keeps its default when absent. */
static bool opt_string(lm_call *c, const char *name, const char **out, lm_value *err) {
    lm_value v = lm_call_named(c, name);
    if (lm_is_nil(v)) return true;
    if (v.kind != LM_STRING) {
        *err = lm_error_new(LM_ERR_TYPE, "%s: the option %s must be a string such as \"adam\"", c->fname, name);
        return false;
    }
    *out = lm_string_data(v);
    return true;
}

static bool opt_steps(lm_call *c, int64_t *steps, lm_value *err) {
    double d = (double)*steps;
    if (!lm_opt_double(c, "steps", &d, err)) return false;
    if (!(d >= 0) || d != floor(d)) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: steps must be a whole number >= 0, not %g", c->fname, d);
        return false;
    }
    if (d > (double)LM_OPT_MAX_STEPS) {
        *err = lm_error_new(LM_ERR_LIMIT, "%s: steps = %g is past the limit of %lld", c->fname, d,
                            (long long)LM_OPT_MAX_STEPS);
        return false;
    }
    *steps = (int64_t)d;
    return true;
}

/* Box bounds from lower = / upper = (a number for every variable, or one per
 * variable). Fresh arrays, or NULL when absent. */
static bool opt_bound(lm_call *c, const char *name, int n, double fill, double **out, lm_value *err) {
    lm_value v = lm_call_named(c, name);
    *out = NULL;
    if (lm_is_nil(v)) return true;
    int64_t k = 0;
    double *b = num_values(c, v, name, &k, err);
    if (!b) return false;
    if (k != 1 && k != n) {
        lm_free(b);
        *err = lm_error_new(LM_ERR_SHAPE, "%s: %s needs one number or %d (one per variable), not %lld", c->fname, name,
                            n, (long long)k);
        return false;
    }
    double *r = lm_alloc((size_t)n * sizeof *r);
    for (int i = 0; i < n; i++) r[i] = k == 1 ? b[0] : b[i];
    for (int i = 0; i < n; i++)
        if (isnan(r[i])) r[i] = fill;
    lm_free(b);
    *out = r;
    return true;
}

/* Every option gd and its relatives take, with their defaults. lr_default < 0:
 * lsq_gd's automatic 1/L step. The bounds arrays (lo, hi) are fresh. */
typedef struct opts {
    lm_opt_params par;
    double *lo, *hi;
} opts;

static bool read_opts(lm_call *c, int n, const char *default_method, double lr_default, opts *o, lm_value *err) {
    lm_opt_params *p = &o->par;
    lm_opt_params_default(p);
    o->lo = o->hi = NULL;
    const char *name = default_method;
    if (!opt_string(c, "optimizer", &name, err)) return false;
    int m = lm_opt_method_find(name);
    if (m < 0) {
        lm_buf b = LM_BUF_INIT;
        for (int k = 0; k < LM_OPT__COUNT; k++) lm_buf_printf(&b, "%s\"%s\"", k ? ", " : "", lm_opt_method_name(k));
        *err = lm_error_new(LM_ERR_NAME, "%s: there is no optimizer \"%s\"; the optimizers are %s", c->fname, name,
                            lm_buf_cstr(&b));
        lm_buf_free(&b);
        return false;
    }
    p->method = (lm_opt_method)m;
    p->lr = p->method == LM_OPT_NEWTON ? 1 : lr_default;
    if (p->method == LM_OPT_NEWTON) p->steps = 100;
    if (!lm_opt_double(c, "lr", &p->lr, err) || !opt_steps(c, &p->steps, err) || !lm_opt_double(c, "tol", &p->tol, err) ||
        !lm_opt_double(c, "momentum", &p->momentum, err) || !lm_opt_double(c, "beta1", &p->beta1, err) ||
        !lm_opt_double(c, "beta2", &p->beta2, err) || !lm_opt_double(c, "rho", &p->rho, err) ||
        !lm_opt_double(c, "eps", &p->eps, err) || !lm_opt_bool(c, "linesearch", &p->linesearch, err))
        return false;
    if (lr_default < 0 && !lm_is_nil(lm_call_named(c, "lr")) && !(p->lr > 0)) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: the step lr must be a positive number, not %g", c->fname, p->lr);
        return false;
    }
    struct { const char *name; double v, lo, hi; } ranges[] = {
        {"momentum", p->momentum, 0, 1}, {"beta1", p->beta1, 0, 1}, {"beta2", p->beta2, 0, 1}, {"rho", p->rho, 0, 1}};
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++)
        if (!(ranges[k].v >= ranges[k].lo && ranges[k].v < ranges[k].hi)) {
            *err = lm_error_new(LM_ERR_DOMAIN, "%s: %s must be in [0, 1), not %g", c->fname, ranges[k].name, ranges[k].v);
            return false;
        }
    if (!(p->eps > 0)) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: eps must be positive, not %g", c->fname, p->eps);
        return false;
    }
    const char *proj = NULL;
    if (!opt_string(c, "project", &proj, err)) return false;
    if (!lm_opt_double(c, "radius", &p->radius, err)) return false;
    if (!opt_bound(c, "lower", n, -INFINITY, &o->lo, err) || !opt_bound(c, "upper", n, INFINITY, &o->hi, err))
        return false;
    if (proj && !strcmp(proj, "simplex")) {
        if (o->lo || o->hi) {
            *err = lm_error_new(LM_ERR_DOMAIN, "%s: choose either the simplex or lower/upper bounds, not both", c->fname);
            return false;
        }
        p->proj = LM_PROJ_SIMPLEX;
    } else if (proj && strcmp(proj, "box") && strcmp(proj, "none")) {
        *err = lm_error_new(LM_ERR_NAME, "%s: project must be \"box\" (with lower = and upper =) or \"simplex\", not \"%s\"",
                            c->fname, proj);
        return false;
    } else if (o->lo || o->hi) {
        p->proj = LM_PROJ_BOX;
        p->lo = o->lo;
        p->hi = o->hi;
    } else if (proj && !strcmp(proj, "box")) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: a box needs lower = ... and/or upper = ...", c->fname);
        return false;
    }
    return true;
}

static void free_opts(opts *o) {
    lm_free(o->lo);
    lm_free(o->hi);
}

/* One result: the report. Two: the minimizer (a column) and the trace. Takes T. */
static lm_value results(lm_call *c, lm_opt_trace *T) {
    if (c->nout <= 1) {
        lm_opt_trace *r = lm_opt_trace_as_report(T);
        lm_opt_trace_release(T);
        return lm_obj_value(&r->hdr);
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *x = lm_tensor_matrix(T->n, 1, &e);
    if (!x) {
        lm_opt_trace_release(T);
        return lm_error_from(&e);
    }
    memcpy(x->data, T->xmin, (size_t)T->n * sizeof *x->data);
    c->extra[1] = lm_obj_value(&T->hdr);
    return lm_narrow(lm_tensor_value(x));
}

/* Why a fixed-step gd diverged, when that is certain: for a constant Hessian
 * (a quadratic f) the iteration x <- x - lr·H·x is stable exactly when
 * lr < 2/λmax, λmax the largest eigenvalue of H. NULL when the Hessian is not
 * constant or not positive somewhere, where no such bound holds. Fresh string. */
static char *lr_bound_note(lm_call *c, lm_expr *f, lm_expr *const *vars, int n) {
    lm_err e = LM_ERR_INIT;
    lm_expr *H = lm_sym_hessian(c->ctx, f, vars, n, &e);
    lm_tensor *A = NULL, *ev = NULL;
    char *note = NULL;
    if (!H) goto out;
    for (int k = 0; k < n * n; k++)
        if (!lm_sym_is_number(H->args[k])) goto out;
    if (!(A = lm_tensor_matrix(n, n, &e))) goto out;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            A->data[i * n + j] = 0.5 * (lm_sym_to_double(H->args[i * n + j]) + lm_sym_to_double(H->args[j * n + i]));
    if (!(ev = lm_linalg_eigvals(A, &e))) goto out;
    double lmax = -INFINITY;
    for (int64_t k = 0; k < ev->size; k++) lmax = fmax(lmax, ev->data[lm_tensor_offset(ev, k)]);
    if (!(lmax > 0) || !isfinite(lmax)) goto out;
    char bound[40], lam[40];
    lm_fmt_double_sig(bound, 2 / lmax, 5);
    lm_fmt_double_sig(lam, lmax, 5);
    lm_buf b = LM_BUF_INIT;
    lm_buf_printf(&b, "lr must be below 2/λmax = %s, where λmax = %s is the largest eigenvalue of the Hessian", bound,
                  lam);
    note = lm_buf_steal(&b);
out:
    lm_err_clear(&e);
    lm_tensor_release(ev);
    lm_tensor_release(A);
    lm_expr_release(H);
    return note;
}

/* gd(f, vars, x0, ...) and newton(...): the same body, a different default. */
static lm_value minimize(lm_call *c, const char *default_method) {
    lm_value err = lm_nil(), r = lm_nil();
    lm_expr **vars = NULL;
    double *x0 = NULL;
    lm_opt_sym *sym = NULL;
    opts o = {0};
    int n = 0;
    lm_expr *f = arg_objective(c, &err);
    if (!f) return err;
    if (!arg_vars(c, 1, &vars, &n, &err)) goto out;
    int64_t nx = 0;
    if (!(x0 = num_values(c, c->args[2], "the starting point", &nx, &err))) goto out;
    if (nx != n) {
        err = lm_error_new(LM_ERR_SHAPE, "%s: the starting point has %lld value%s but there %s %d variable%s", c->fname,
                           (long long)nx, nx == 1 ? "" : "s", n == 1 ? "is" : "are", n, n == 1 ? "" : "s");
        goto out;
    }
    if (!read_opts(c, n, default_method, 0.01, &o, &err)) goto out;
    lm_err e = LM_ERR_INIT;
    sym = lm_opt_sym_new(c->ctx, f, vars, n, o.par.method == LM_OPT_NEWTON, &e);
    if (!sym) {
        err = engine_error(c, &e);
        goto out;
    }
    lm_opt_problem prob;
    lm_opt_sym_problem(sym, &prob);
    lm_opt_trace *T = lm_opt_minimize(c->ctx, &prob, &o.par, x0, &e);
    if (!T) {
        err = engine_error(c, &e);
        goto out;
    }
    const char **names = lm_alloc((size_t)n * sizeof *names);
    for (int i = 0; i < n; i++) names[i] = vars[i]->u.name;
    char *note = T->status == LM_OPT_DIVERGED && T->method == LM_OPT_GD && !T->linesearch
                     ? lr_bound_note(c, f, vars, n)
                     : NULL;
    lm_opt_trace_label(T, c->fname, names, note);
    lm_free(names);
    if (T->status == LM_OPT_DIVERGED && c->nout > 1) /* alone, the report says so */
        lm_warn(c->ctx, "%s diverged at iteration %lld; %s", c->fname, (long long)T->iterations,
                note ? note : "lower lr");
    lm_free(note);
    r = results(c, T);
out:
    lm_opt_sym_free(sym);
    free_opts(&o);
    lm_free(x0);
    lm_free(vars);
    lm_expr_release(f);
    return lm_is_nil(r) ? err : r;
}

static lm_value b_gd(lm_call *c) { return minimize(c, "gd"); }
static lm_value b_newton(lm_call *c) { return minimize(c, "newton"); }

/* convex(f, vars): true or false; [yes, how] = convex(...) adds the reasoning. */
static lm_value b_convex(lm_call *c) {
    lm_value err = lm_nil(), r = lm_nil();
    lm_expr **vars = NULL;
    int n = 0;
    lm_expr *f = arg_objective(c, &err);
    if (!f) return err;
    double samples = 500, radius = 10;
    if (!arg_vars(c, 1, &vars, &n, &err) || !lm_opt_double(c, "samples", &samples, &err) ||
        !lm_opt_double(c, "radius", &radius, &err))
        goto out;
    if (!(samples >= 1 && samples <= 1e6) || samples != floor(samples)) {
        err = lm_error_new(LM_ERR_DOMAIN, "%s: samples must be a whole number from 1 to 1000000, not %g", c->fname,
                           samples);
        goto out;
    }
    if (!(radius > 0) || !isfinite(radius)) {
        err = lm_error_new(LM_ERR_DOMAIN, "%s: radius must be a positive number, not %g", c->fname, radius);
        goto out;
    }
    lm_err e = LM_ERR_INIT;
    lm_convex_result cr;
    if (lm_opt_convex(c->ctx, f, vars, n, (int64_t)samples, radius, &cr, &e) != LM_OK) {
        err = engine_error(c, &e);
        goto out;
    }
    lm_buf how = LM_BUF_INIT;
    char ev[40];
    lm_fmt_double_sig(ev, cr.min_eig, 5);
    if (cr.constant_hessian) {
        lm_buf_printf(&how, "%s: the Hessian is constant and its smallest eigenvalue is %s, so this is decided exactly",
                      cr.verdict == LM_CONVEX_YES ? (cr.strict ? "strictly convex" : "convex") : "not convex", ev);
    } else if (cr.verdict == LM_CONVEX_NO) {
        lm_buf_printf(&how, "not convex: the Hessian has the negative eigenvalue %s at (", ev);
        for (int i = 0; i < n; i++) {
            char s[40];
            lm_fmt_double_sig(s, cr.point[i], 5);
            lm_buf_printf(&how, "%s%s = %s", i ? ", " : "", vars[i]->u.name, s);
        }
        lm_buf_puts(&how, ")");
    } else {
        lm_buf_printf(&how,
                      "probably convex: the Hessian was positive semidefinite at all %lld sampled points in [-%g, %g] "
                      "(smallest eigenvalue %s), which suggests but does not prove convexity",
                      (long long)cr.samples, radius, radius, ev);
        if (c->nout < 2) lm_warn(c->ctx, "%s", lm_buf_cstr(&how));
    }
    lm_free(cr.point);
    if (c->nout > 1) c->extra[1] = lm_string_new(lm_buf_cstr(&how), how.len);
    lm_buf_free(&how);
    r = lm_bool(cr.verdict != LM_CONVEX_NO);
out:
    lm_free(vars);
    lm_expr_release(f);
    return lm_is_nil(r) ? err : r;
}

/* X (m×k, one row per sample) and y (m values) as fresh row-major arrays. */
static bool arg_data(lm_call *c, double **X, double **y, int64_t *m, int *k, bool intercept, lm_value *err) {
    lm_err e = LM_ERR_INIT;
    char buf[96];
    snprintf(buf, sizeof buf, "%s: X", c->fname);
    *X = *y = NULL;
    if (c->args[0].kind == LM_EXPR || c->args[1].kind == LM_EXPR) {
        *err = lm_error_new(LM_ERR_TYPE, "%s: X and y must be numbers, not expressions with unknowns", c->fname);
        return false;
    }
    lm_tensor *t = lm_as_tensor(c->args[0], buf, &e);
    if (!t) {
        *err = lm_error_from(&e);
        return false;
    }
    if (t->imag || t->ndim > 2) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_TYPE, "%s: X must be a real matrix with one row per sample", c->fname);
        return false;
    }
    int64_t rows = lm_tensor_rows(t), cols = lm_tensor_cols(t), ny = 0;
    if (cols + intercept > 100000) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_LIMIT, "%s: at most 100000 features, not %lld", c->fname, (long long)cols);
        return false;
    }
    *y = num_values(c, c->args[1], "y", &ny, err);
    if (!*y) {
        lm_tensor_release(t);
        return false;
    }
    if (ny != rows) {
        char s[64];
        lm_tensor_shape_str(t, s);
        *err = lm_error_new(LM_ERR_SHAPE, "%s: X is %s, so y needs %lld values (one per row), not %lld", c->fname, s,
                            (long long)rows, (long long)ny);
        lm_tensor_release(t);
        lm_free(*y);
        *y = NULL;
        return false;
    }
    int kk = (int)cols + (intercept ? 1 : 0);
    *X = lm_alloc_big((size_t)rows * (size_t)kk * sizeof **X + 1);
    if (!*X) {
        lm_tensor_release(t);
        lm_free(*y);
        *y = NULL;
        *err = lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
        return false;
    }
    for (int64_t i = 0; i < rows; i++) {
        int j0 = 0;
        if (intercept) (*X)[i * kk + j0++] = 1;
        for (int64_t j = 0; j < cols; j++) (*X)[i * kk + j0 + j] = lm_tensor_get2(t, i, j);
    }
    lm_tensor_release(t);
    *m = rows;
    *k = kk;
    return true;
}


/* With an intercept the first weight is b and the features keep the numbers
 * they have in X, x1, x2, ..., as lm names them (not shifted by the column of
 * ones the intercept adds). */
static void label_intercept(lm_opt_trace *T) {
    char **names = lm_calloc((size_t)T->n, sizeof *names);
    names[0] = lm_strdup("b");
    for (int i = 1; i < T->n; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "x%d", i);
        names[i] = lm_strdup(nm);
    }
    lm_opt_trace_label(T, NULL, (const char *const *)names, NULL);
    for (int i = 0; i < T->n; i++) lm_free(names[i]);
    lm_free(names);
}
static lm_value b_lsq_gd(lm_call *c) {
    lm_value err = lm_nil(), r = lm_nil();
    double *X = NULL, *y = NULL;
    int64_t m = 0;
    int k = 0;
    opts o = {0};
    bool intercept = false;
    if (!lm_opt_bool(c, "intercept", &intercept, &err)) return err;
    if (!arg_data(c, &X, &y, &m, &k, intercept, &err)) return err;
    if (!read_opts(c, k, "gd", -1, &o, &err)) goto out;
    if (lm_is_nil(lm_call_named(c, "steps"))) o.par.steps = 10000;
    if (lm_is_nil(lm_call_named(c, "tol"))) o.par.tol = 1e-10;
    lm_err e = LM_ERR_INIT;
    lm_opt_trace *T = lm_opt_lsq(c->ctx, X, y, m, k, &o.par, &e);
    if (!T) {
        err = engine_error(c, &e);
        goto out;
    }
    if (intercept) label_intercept(T);
    r = results(c, T);
out:
    free_opts(&o);
    lm_free(X);
    lm_free(y);
    return lm_is_nil(r) ? err : r;
}

static lm_value b_logreg(lm_call *c) {
    lm_value err = lm_nil(), r = lm_nil();
    double *X = NULL, *y = NULL;
    int64_t m = 0;
    int k = 0;
    opts o = {0};
    bool intercept = true;
    double lambda = 0;
    if (!lm_opt_bool(c, "intercept", &intercept, &err) || !lm_opt_double(c, "lambda", &lambda, &err)) return err;
    if (!arg_data(c, &X, &y, &m, &k, intercept, &err)) return err;
    if (!read_opts(c, k, "gd", 0.1, &o, &err)) goto out;
    if (o.par.proj != LM_PROJ_NONE) {
        err = lm_error_new(LM_ERR_DOMAIN, "%s: constraints do not apply to logistic regression", c->fname);
        goto out;
    }
    lm_err e = LM_ERR_INIT;
    lm_opt_trace *T = lm_opt_logreg(c->ctx, X, y, m, k, lambda, &o.par, &e);
    if (!T) {
        err = engine_error(c, &e);
        goto out;
    }
    if (intercept) label_intercept(T);
    r = results(c, T);
out:
    free_opts(&o);
    lm_free(X);
    lm_free(y);
    return lm_is_nil(r) ? err : r;
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_opt[] = {
    B("convex", b_convex, 2, 2, 2, "convex(f, vars, samples = 500, radius = 10); [yes, how] = convex(...)",
      "is f convex? decided exactly from the eigenvalues of a constant Hessian (quadratics), otherwise by checking the "
      "Hessian at sampled points (a warning says it is not a proof); `how` explains",
      "convex(x^2 + x*y + y^2, [x, y])"),
    B("gd", b_gd, 3, 3, 2,
      "gd(f, vars, x0, optimizer = \"gd\", lr = 0.01, steps = 1000, tol = 1e-8, linesearch = false, lower, upper, "
      "project); [xmin, path] = gd(...)",
      "minimizes f from x0 by gradient descent; optimizer \"momentum\", \"nesterov\", \"adagrad\", \"rmsprop\", "
      "\"adam\" or \"newton\"; linesearch = true backtracks (Armijo); lower/upper or project = \"simplex\" "
      "constrain; alone it prints a report, path is the trajectory (index it as its table: path(:, end - 1) is f)",
      "gd(x^2 + 10*y^2, [x, y], [1, 1], lr = 0.05, steps = 50)"),
    B("logreg", b_logreg, 2, 2, 2,
      "logreg(X, y, optimizer = \"gd\", lr = 0.1, steps = 1000, lambda = 0, intercept = true); [w, path] = "
      "logreg(...)",
      "logistic regression on rows of X with labels 0/1, minimizing the mean binary cross-entropy (in nats); w "
      "starts with the intercept",
      "logreg([1; 2; 3; 4], [0; 0; 1; 1], lr = 1, steps = 200)"),
    B("lsq_gd", b_lsq_gd, 2, 2, 2,
      "lsq_gd(X, y, optimizer = \"gd\", lr = 1/L, steps = 10000, tol = 1e-10, intercept = false); [w, path] = "
      "lsq_gd(...)",
      "least squares min ||X*w - y||² by gradient descent from w = 0 (compare with the closed form X \\ y); the "
      "default step is 1/L, L the largest eigenvalue of X'X/m",
      "lsq_gd([1 0; 1 1; 1 2], [1; 2; 4])"),
    B("newton", b_newton, 3, 3, 2, "newton(f, vars, x0, steps = 100, tol = 1e-8); [xmin, path] = newton(...)",
      "minimizes f by Newton's method (the Hessian, shifted where it is not positive definite, and a backtracking "
      "line search)",
      "newton((1 - x)^2 + 100*(y - x^2)^2, [x, y], [-1.2, 1])"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
