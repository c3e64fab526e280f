/* Symbolic objectives for the optimizers: f and its exact gradient (from
 * lm_sym_grad) compiled into one register program, so that one evaluation
 * gives both with shared subexpressions computed once; the Hessian into a
 * second program for Newton's method. */
#include "lemma/opt.h"

#include <string.h>

struct lm_opt_sym {
    int n;
    lm_sym_prog *fg;   /* outputs: f, df/dvar1, ..., df/dvarn */
    lm_sym_prog *hess; /* n×n outputs, or NULL */
    double *buf;       /* n + 1 outputs of fg */
};

/* Checks that vars are distinct symbols and that f mentions no other symbol, so
 * that the message names the stray unknown instead of failing in compile. */
static bool check_symbols(lm_expr *f, lm_expr *const *vars, int n, lm_err *err) {
    for (int i = 0; i < n; i++) {
        if (!vars[i] || vars[i]->op != LM_X_SYM) {
            lm_err_set(err, LM_ERR_TYPE, "the variables must be symbols such as [x, y]");
            return false;
        }
        for (int j = 0; j < i; j++)
            if (vars[j] == vars[i]) { /* hash-consed: equal symbols are one node */
                lm_err_set(err, LM_ERR_DOMAIN, "the variable %s is listed twice", vars[i]->u.name);
                return false;
            }
    }
    const lm_expr **syms = NULL;
    size_t ns = lm_sym_symbols(f, &syms);
    bool ok = true;
    for (size_t k = 0; k < ns && ok; k++) {
        bool found = false;
        for (int i = 0; i < n && !found; i++) found = syms[k] == vars[i];
        if (!found) {
            lm_err_set(err, LM_ERR_DOMAIN,
                       "the objective has the unknown %s, which is not among the variables; give it a value first "
                       "(%s = 1) or list it as a variable",
                       syms[k]->u.name, syms[k]->u.name);
            ok = false;
        }
    }
    lm_free(syms);
    return ok;
}

lm_opt_sym *lm_opt_sym_new(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, bool hessian, lm_err *err) {
    if (!f || f->op == LM_X_MATRIX || f->op == LM_X_REL) {
        lm_err_set(err, LM_ERR_TYPE, "the objective must be one expression such as x^2 + y^2, not %s",
                   f && f->op == LM_X_REL ? "an equation" : "a matrix");
        return NULL;
    }
    if (n <= 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "there is nothing to minimize over: give the variables, as in [x, y]");
        return NULL;
    }
    if (!check_symbols(f, vars, n, err)) return NULL;
    lm_expr *g = lm_sym_grad(ctx, f, vars, n, err);
    if (!g) return NULL;
    lm_expr **outs = lm_alloc((size_t)(n + 1) * sizeof *outs);
    outs[0] = f;
    for (int i = 0; i < n; i++) outs[i + 1] = g->args[i];
    lm_expr *m = lm_sym_matrix(ctx, n + 1, 1, outs, err);
    lm_free(outs);
    lm_expr_release(g);
    if (!m) return NULL;
    lm_opt_sym *s = lm_calloc(1, sizeof *s);
    s->n = n;
    s->fg = lm_sym_compile(m, vars, n, err);
    lm_expr_release(m);
    if (!s->fg) goto fail;
    if (hessian) {
        lm_expr *H = lm_sym_hessian(ctx, f, vars, n, err);
        if (!H) goto fail;
        s->hess = lm_sym_compile(H, vars, n, err);
        lm_expr_release(H);
        if (!s->hess) goto fail;
    }
    s->buf = lm_alloc((size_t)(n + 1) * sizeof *s->buf);
    return s;
fail:
    lm_opt_sym_free(s);
    return NULL;
}

void lm_opt_sym_free(lm_opt_sym *s) {
    if (!s) return;
    lm_sym_prog_free(s->fg);
    lm_sym_prog_free(s->hess);
    lm_free(s->buf);
    lm_free(s);
}

static double sym_fg(void *ud, const double *x, double *g) {
    lm_opt_sym *s = ud;
    lm_sym_prog_eval(s->fg, x, s->buf);
    if (g) memcpy(g, s->buf + 1, (size_t)s->n * sizeof *g);
    return s->buf[0];
}

static void sym_hess(void *ud, const double *x, double *H) {
    lm_opt_sym *s = ud;
    lm_sym_prog_eval(s->hess, x, H);
}

void lm_opt_sym_problem(lm_opt_sym *s, lm_opt_problem *out) {
    out->n = s->n;
    out->fg = sym_fg;
    out->hess = s->hess ? sym_hess : NULL;
    out->ud = s;
}
