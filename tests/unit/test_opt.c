/* Unit tests for optimization (src/opt): every method reaches the known
 * minimum of the Rosenbrock function (1, 1) and of a convex quadratic with
 * condition number 100, within the tolerance stated beside it; gradient-descent
 * least squares matches the closed form; logistic regression; projections;
 * convexity; named errors for invalid input. References are by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/lang.h"
#include "lemma/linalg.h"
#include "lemma/opt.h"

/* A symbolic objective parsed by the language, with its variables x and y. */
typedef struct symf {
    lm_session *s;
    lm_value f;
    lm_expr *vars[2];
    lm_opt_sym *sym;
    lm_opt_problem prob;
} symf;

static void symf_open(symf *F, const char *src, bool hessian) {
    F->s = lm_session_new();
    F->f = lm_eval_value(F->s, src);
    assert_int_equal(F->f.kind, LM_EXPR);
    lm_ctx *ctx = lm_session_ctx(F->s);
    F->vars[0] = lm_sym_symbol(ctx, "x");
    F->vars[1] = lm_sym_symbol(ctx, "y");
    lm_err err = LM_ERR_INIT;
    F->sym = lm_opt_sym_new(ctx, lm_expr_of(F->f), F->vars, 2, hessian, &err);
    if (!F->sym) print_error("%s\n", err.msg);
    assert_non_null(F->sym);
    lm_opt_sym_problem(F->sym, &F->prob);
}

static void symf_close(symf *F) {
    lm_opt_sym_free(F->sym);
    lm_expr_release(F->vars[0]);
    lm_expr_release(F->vars[1]);
    lm_release(F->f);
    lm_session_free(F->s);
}

typedef struct setting {
    lm_opt_method m;
    bool linesearch;
    double lr;
    int64_t steps;
    double xtol; /* the stated tolerance on max |x_i - x*_i| */
} setting;

static void run_setting(symf *F, const setting *st, const double *x0, const double *xstar) {
    lm_opt_params p;
    lm_opt_params_default(&p);
    p.method = st->m;
    p.linesearch = st->linesearch;
    p.lr = st->lr;
    p.steps = st->steps;
    p.tol = 1e-9;
    lm_err err = LM_ERR_INIT;
    lm_opt_trace *T = lm_opt_minimize(lm_session_ctx(F->s), &F->prob, &p, x0, &err);
    assert_non_null(T);
    double d = fmax(fabs(T->xmin[0] - xstar[0]), fabs(T->xmin[1] - xstar[1]));
    if (!(d <= st->xtol))
        print_error("%s%s: ended at (%.10g, %.10g), %s after %lld iterations; off by %g > %g\n",
                    lm_opt_method_name(st->m), st->linesearch ? "+armijo" : "", T->xmin[0], T->xmin[1],
                    lm_opt_status_text(T->status), (long long)T->iterations, d, st->xtol);
    assert_true(d <= st->xtol);
    assert_true(T->status != LM_OPT_DIVERGED);
    /* the trace starts at x0 and ends at the minimizer */
    assert_true(T->x[0] == x0[0] && T->x[1] == x0[1]);
    assert_true(T->x[(T->npoints - 1) * 2] == T->xmin[0]);
    lm_opt_trace_release(T);
}

/* Rosenbrock (1 - x)^2 + 100 (y - x^2)^2 from (-1.2, 1); minimum (1, 1). */
static void test_rosenbrock(void **state) {
    (void)state;
    static const setting S[] = {
        {LM_OPT_GD, false, 1e-3, 200000, 1e-6},
        {LM_OPT_GD, true, 1, 100000, 1e-6}, /* Armijo backtracking */
        {LM_OPT_MOMENTUM, false, 2e-4, 200000, 1e-6},
        {LM_OPT_NESTEROV, false, 2e-4, 200000, 1e-6},
        {LM_OPT_ADAGRAD, false, 0.5, 200000, 1e-6},
        /* RMSProp's step stays about lr in size, so it circles the minimum
         * at that scale: the stated tolerance is 2e-3 */
        {LM_OPT_RMSPROP, false, 1e-4, 200000, 2e-3},
        {LM_OPT_ADAM, false, 0.01, 100000, 1e-6},
        {LM_OPT_NEWTON, false, 1, 100, 1e-9},
    };
    const double x0[2] = {-1.2, 1}, xs[2] = {1, 1};
    for (size_t k = 0; k < sizeof S / sizeof S[0]; k++) {
        symf F;
        symf_open(&F, "(1 - x)^2 + 100*(y - x^2)^2", S[k].m == LM_OPT_NEWTON);
        run_setting(&F, &S[k], x0, xs);
        symf_close(&F);
    }
}

/* (x - 1)^2 + 100 (y + 2)^2: Hessian diag(2, 200), condition number 100;
 * minimum (1, -2), from (5, 5). */
static void test_quadratic_cond100(void **state) {
    (void)state;
    static const setting S[] = {
        {LM_OPT_GD, false, 0.009, 20000, 1e-8},
        {LM_OPT_GD, true, 1, 20000, 1e-8},
        {LM_OPT_MOMENTUM, false, 0.002, 20000, 1e-8},
        {LM_OPT_NESTEROV, false, 0.002, 20000, 1e-8},
        {LM_OPT_ADAGRAD, false, 1, 20000, 1e-8},
        {LM_OPT_RMSPROP, false, 1e-3, 20000, 2e-3}, /* circles at the scale of lr, as above */
        {LM_OPT_ADAM, false, 0.05, 20000, 1e-8},
        {LM_OPT_NEWTON, false, 1, 10, 1e-12}, /* exact in one step on a quadratic */
    };
    const double x0[2] = {5, 5}, xs[2] = {1, -2};
    for (size_t k = 0; k < sizeof S / sizeof S[0]; k++) {
        symf F;
        symf_open(&F, "(x - 1)^2 + 100*(y + 2)^2", S[k].m == LM_OPT_NEWTON);
        run_setting(&F, &S[k], x0, xs);
        symf_close(&F);
    }
}

/* Least squares by every method against the closed form (LAPACK dgelsd). */
static void test_least_squares(void **state) {
    (void)state;
    /* a line through noisy points: rows (1, t) */
    const double X[12] = {1, 0, 1, 1, 1, 2, 1, 3, 1, 4, 1, 5};
    const double y[6] = {1.1, 2.9, 5.2, 7.1, 8.8, 11.2};
    lm_err err = LM_ERR_INIT;
    lm_tensor *A = lm_tensor_matrix(6, 2, &err), *b = lm_tensor_matrix(6, 1, &err);
    memcpy(A->data, X, sizeof X);
    memcpy(b->data, y, sizeof y);
    lm_tensor *w = lm_linalg_lstsq(NULL, A, b, NULL, &err);
    assert_non_null(w);
    static const struct { lm_opt_method m; double lr; double tol; } S[] = {
        {LM_OPT_GD, -1, 1e-8}, /* lr <= 0: the automatic 1/L */
        {LM_OPT_MOMENTUM, 0.02, 1e-8},
        {LM_OPT_NESTEROV, 0.02, 1e-8},
        {LM_OPT_ADAGRAD, 1, 1e-8},
        {LM_OPT_RMSPROP, 1e-3, 3e-3},
        {LM_OPT_ADAM, 0.05, 1e-8},
        {LM_OPT_NEWTON, 1, 1e-12},
    };
    for (size_t k = 0; k < sizeof S / sizeof S[0]; k++) {
        lm_opt_params p;
        lm_opt_params_default(&p);
        p.method = S[k].m;
        p.lr = S[k].lr;
        p.steps = 100000;
        p.tol = 1e-11;
        lm_opt_trace *T = lm_opt_lsq(NULL, X, y, 6, 2, &p, &err);
        assert_non_null(T);
        double d = fmax(fabs(T->xmin[0] - w->data[0]), fabs(T->xmin[1] - w->data[1]));
        if (!(d <= S[k].tol))
            print_error("%s: (%.12g, %.12g) vs closed form (%.12g, %.12g)\n", lm_opt_method_name(S[k].m), T->xmin[0],
                        T->xmin[1], w->data[0], w->data[1]);
        assert_true(d <= S[k].tol);
        lm_opt_trace_release(T);
    }
    lm_tensor_release(A);
    lm_tensor_release(b);
    lm_tensor_release(w);
}

static void test_logreg(void **state) {
    (void)state;
    /* overlapping classes: the optimum is finite; Newton and gd must agree */
    const double X[16] = {1, 0.5, 1, 1.0, 1, 1.5, 1, 2.0, 1, 2.5, 1, 3.0, 1, 3.5, 1, 4.0};
    const double y[8] = {0, 0, 1, 0, 1, 0, 1, 1};
    lm_opt_params p;
    lm_opt_params_default(&p);
    p.method = LM_OPT_NEWTON;
    p.lr = 1;
    p.steps = 100;
    p.tol = 1e-12;
    lm_err err = LM_ERR_INIT;
    lm_opt_trace *N = lm_opt_logreg(NULL, X, y, 8, 2, 0, &p, &err);
    assert_non_null(N);
    assert_int_equal(N->status, LM_OPT_CONVERGED);
    p.method = LM_OPT_GD;
    p.lr = 1;
    p.steps = 200000;
    p.tol = 1e-10;
    lm_opt_trace *G = lm_opt_logreg(NULL, X, y, 8, 2, 0, &p, &err);
    assert_non_null(G);
    assert_true(fabs(N->xmin[0] - G->xmin[0]) < 1e-8 && fabs(N->xmin[1] - G->xmin[1]) < 1e-8);
    /* at the optimum the gradient is zero: sum (sigmoid(z_i) - y_i) x_i = 0 */
    double s0 = 0, s1 = 0;
    for (int i = 0; i < 8; i++) {
        double z = N->xmin[0] + N->xmin[1] * X[2 * i + 1];
        double r = 1 / (1 + exp(-z)) - y[i];
        s0 += r;
        s1 += r * X[2 * i + 1];
    }
    assert_true(fabs(s0) < 1e-10 && fabs(s1) < 1e-10);
    lm_opt_trace_release(N);
    lm_opt_trace_release(G);
    /* labels other than 0 and 1 are a domain error */
    const double bad[8] = {0, 2, 1, 0, 1, 0, 1, 1};
    assert_null(lm_opt_logreg(NULL, X, bad, 8, 2, 0, &p, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
}

static void test_projections(void **state) {
    (void)state;
    /* by hand: projecting (3, 4) onto the simplex keeps the difference: (0, 1);
     * (0.5, 0.5, 2) minus theta = 2/3... -> (0, 0, 1) */
    double a[2] = {3, 4};
    lm_opt_project_simplex(a, 2, 1);
    assert_true(a[0] == 0 && a[1] == 1);
    double b[3] = {0.4, 0.3, 0.5}; /* sum 1.2: theta = 0.2/3 */
    lm_opt_project_simplex(b, 3, 1);
    assert_true(fabs(b[0] - (0.4 - 0.2 / 3)) < 1e-15 && fabs(b[0] + b[1] + b[2] - 1) < 1e-15);
    double lo[2] = {0, -1}, hi[2] = {1, 1}, c[2] = {-3, 5};
    lm_opt_project_box(c, 2, lo, hi);
    assert_true(c[0] == 0 && c[1] == 1);
    /* projected gradient: min (x - 2)^2 + (y - 2)^2 on the simplex is (1/2, 1/2) */
    symf F;
    symf_open(&F, "(x - 2)^2 + (y - 2)^2", false);
    lm_opt_params p;
    lm_opt_params_default(&p);
    p.proj = LM_PROJ_SIMPLEX;
    p.lr = 0.1;
    p.tol = 1e-12;
    const double x0[2] = {3, -1};
    lm_err err = LM_ERR_INIT;
    lm_opt_trace *T = lm_opt_minimize(NULL, &F.prob, &p, x0, &err);
    assert_int_equal(T->status, LM_OPT_CONVERGED);
    assert_true(fabs(T->xmin[0] - 0.5) < 1e-9 && fabs(T->xmin[1] - 0.5) < 1e-9);
    lm_opt_trace_release(T);
    /* on the box [0, 1] x [-1, 1] it is the corner (1, 1) */
    p.proj = LM_PROJ_BOX;
    p.lo = lo;
    p.hi = hi;
    T = lm_opt_minimize(NULL, &F.prob, &p, x0, &err);
    assert_int_equal(T->status, LM_OPT_CONVERGED);
    assert_true(T->xmin[0] == 1 && T->xmin[1] == 1);
    lm_opt_trace_release(T);
    symf_close(&F);
}

static void test_divergence_and_errors(void **state) {
    (void)state;
    symf F;
    symf_open(&F, "x^2 + y^2", false);
    lm_opt_params p;
    lm_opt_params_default(&p);
    p.lr = 1.5; /* |1 - 2 lr| = 2 > 1: every step doubles the distance */
    p.steps = 100000;
    const double x0[2] = {1, 1};
    lm_err err = LM_ERR_INIT;
    lm_opt_trace *T = lm_opt_minimize(NULL, &F.prob, &p, x0, &err);
    assert_int_equal(T->status, LM_OPT_DIVERGED);
    lm_opt_trace_release(T);
    p.lr = 0.1;
    p.steps = 3;
    T = lm_opt_minimize(NULL, &F.prob, &p, x0, &err);
    assert_int_equal(T->status, LM_OPT_MAXSTEPS);
    assert_int_equal(T->npoints, 4);
    lm_opt_trace_release(T);
    p.lr = -1;
    assert_null(lm_opt_minimize(NULL, &F.prob, &p, x0, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    p.lr = 0.1;
    p.method = LM_OPT_NEWTON; /* compiled without the Hessian */
    assert_null(lm_opt_minimize(NULL, &F.prob, &p, x0, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    symf_close(&F);
    /* an unknown that is not a variable is named */
    lm_session *s = lm_session_new();
    lm_value f = lm_eval_value(s, "x^2 + z");
    lm_expr *x = lm_sym_symbol(lm_session_ctx(s), "x");
    assert_null(lm_opt_sym_new(lm_session_ctx(s), lm_expr_of(f), &x, 1, false, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "unknown z"));
    lm_err_clear(&err);
    lm_expr_release(x);
    lm_release(f);
    lm_session_free(s);
}

static void test_convex(void **state) {
    (void)state;
    static const struct { const char *f; lm_convexity want; bool constant; } C[] = {
        {"x^2 + x*y + y^2", LM_CONVEX_YES, true},     /* eigenvalues 1 and 3 */
        {"x^2 - y^2", LM_CONVEX_NO, true},            /* a saddle */
        {"3*x + 2*y", LM_CONVEX_YES, true},           /* linear: Hessian 0 */
        {"x^4 + y^2", LM_CONVEX_LIKELY, false},       /* convex, but not a quadratic */
        {"sin(x) + y^2", LM_CONVEX_NO, false},        /* sin'' = -sin < 0 somewhere */
        {"exp(x + y)", LM_CONVEX_LIKELY, false},
    };
    for (size_t k = 0; k < sizeof C / sizeof C[0]; k++) {
        lm_session *s = lm_session_new();
        lm_ctx *ctx = lm_session_ctx(s);
        lm_value f = lm_eval_value(s, C[k].f);
        assert_int_equal(f.kind, LM_EXPR);
        lm_expr *v[2] = {lm_sym_symbol(ctx, "x"), lm_sym_symbol(ctx, "y")};
        lm_convex_result r;
        lm_err err = LM_ERR_INIT;
        assert_int_equal(lm_opt_convex(ctx, lm_expr_of(f), v, 2, 500, 10, &r, &err), LM_OK);
        if (r.verdict != C[k].want) print_error("%s: verdict %d, expected %d\n", C[k].f, r.verdict, C[k].want);
        assert_int_equal(r.verdict, C[k].want);
        assert_int_equal(r.constant_hessian, C[k].constant);
        lm_free(r.point);
        lm_expr_release(v[0]);
        lm_expr_release(v[1]);
        lm_release(f);
        lm_session_free(s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rosenbrock),    cmocka_unit_test(test_quadratic_cond100),
        cmocka_unit_test(test_least_squares), cmocka_unit_test(test_logreg),
        cmocka_unit_test(test_projections),   cmocka_unit_test(test_divergence_and_errors),
        cmocka_unit_test(test_convex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
