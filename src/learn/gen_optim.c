/* Exercise generators for optim: convexity, one momentum step, one Newton
 * step, a minimum under an equality constraint, backpropagation through one
 * neuron and log-sum-exp. Derivatives, Hessians, linear solves and the
 * convexity verdicts come from the engine (diff, grad, hessian, mldivide,
 * convex); the solution shows its steps where it has them. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <stdio.h>

/* A formatted string the caller frees with lm_free. */
static char *strf(const char *fmt, ...) LM_PRINTF(1, 2);
static char *strf(const char *fmt, ...) {
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return lm_buf_steal(&b);
}

/* An expression's lemma text and LaTeX from the engine (both appended). */
static bool expr_of(const char *program, lm_buf *text, lm_buf *latex, lm_err *err) {
    return lm_gen_eval_expr(program, text, latex, err);
}

/* The LaTeX of an expression in lemma syntax, as the engine prints it (for
 * prompts: "3*x^2" reads as $3 x^{2}$). The caller frees the result. */
static char *tex(const char *expr, lm_err *err) {
    lm_buf b = LM_BUF_INIT;
    if (!lm_gen_eval_expr(expr, NULL, &b, err)) {
        lm_buf_free(&b);
        return NULL;
    }
    return lm_buf_steal(&b);
}

/* A number for a product or sum in LaTeX: negatives in parentheses. */
static lm_gen_numtext par(double x) {
    lm_gen_numtext t = lm_gen_sig(x, 10);
    if (x < 0) {
        lm_gen_numtext q;
        snprintf(q.s, sizeof q.s, "(%.36s)", t.s);
        return q;
    }
    return t;
}

/* ---- is this function convex? ---- */

static bool gen_convexity(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/convexity-check", seed, difficulty);
    lm_buf f = LM_BUF_INIT, l = LM_BUF_INIT, h = LM_BUF_INIT;
    char *prog = NULL;
    bool ok = false;
    double verdict = 0, dt = 0, h11 = 0, h22 = 0;
    /* Most random functions are not convex: redraw until the verdict is the
       target, so that "not convex" is right only about half the time. */
    bool want_convex = lm_gen_target("optim/convexity-check", seed, difficulty);
    if (difficulty == 1) {
        for (int tries = 0; tries < 50; tries++) {
            int kind = (int)lm_gen_index(&r, 4);
            int64_t c = lm_gen_int_nonzero(&r, -5, 5), b = lm_gen_int(&r, -6, 6);
            lm_buf_reset(&f);
            if (kind == 0) lm_gen_put_term(&f, c, "x^2", true), lm_gen_put_term(&f, b, "x", false);
            else if (kind == 1) lm_gen_put_term(&f, c, "x^4", true), lm_gen_put_term(&f, b, "x^2", false);
            else if (kind == 2) lm_gen_put_term(&f, c, "x^3", true), lm_gen_put_term(&f, b, "x", false);
            else lm_buf_printf(&f, "%lld*exp(%lld*x)", (long long)c, (long long)(b ? b : 1));
            lm_free(prog);
            prog = strf("convex(%s, x)", f.s);
            if (!lm_gen_eval_num(prog, &verdict, err)) goto done;
            if ((verdict != 0) == want_convex) break;
        }
        char *ft = tex(f.s, err);
        if (!ft) goto done;
        lm_gen_prompt(p, "Is $f(x) = %s$ convex on the whole real line? Answer with the letter of your choice.", ft);
        lm_free(ft);
        lm_gen_hint(p, "A twice-differentiable function of one variable is convex exactly when $f''(x) \\ge 0$ "
                       "everywhere.");
        lm_gen_hint(p, "Differentiate twice, then ask whether $f''$ can be negative for any $x$.");
        lm_free(prog);
        prog = strf("diff(%s, x, 2)", f.s);
        if (!expr_of(prog, NULL, &l, err)) goto done;
        lm_buf_printf(&h, "f''(x) = %s", l.s);
        lm_gen_step(p, h.s, "Differentiate twice.");
        lm_gen_step(p, NULL, "%s", verdict != 0 ? "$f''(x)$ is never negative, so $f$ is convex."
                                                : "$f''(x)$ is negative for some $x$, so $f$ is not convex there.");
    } else {
        int64_t a = 0, b = 0, c = 0;
        for (int tries = 0; tries < 50; tries++) {
            do {
                a = difficulty == 3 ? lm_gen_int(&r, 1, 5) : lm_gen_int_nonzero(&r, -3, 5);
                c = difficulty == 3 ? lm_gen_int(&r, 1, 5) : lm_gen_int_nonzero(&r, -3, 5);
                /* Level 3: positive diagonals with a cross term near the edge, where the determinant decides. */
                if (difficulty == 3) {
                    int64_t edge = (int64_t)floor(2 * sqrt((double)(a * c)));
                    b = lm_gen_int(&r, edge - 2 > 1 ? edge - 2 : 1, edge + 2);
                    if (lm_gen_coin(&r)) b = -b;
                } else
                    b = lm_gen_int(&r, -6, 6);
            } while (4 * a * c == b * b); /* semidefinite edge cases: leave them to the lesson */
            lm_buf_reset(&f);
            lm_gen_put_term(&f, a, "x^2", true);
            lm_gen_put_term(&f, b, "x*y", false);
            lm_gen_put_term(&f, c, "y^2", false);
            if (difficulty == 3) lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -5, 5), "x", false);
            lm_free(prog);
            prog = strf("convex(%s, [x, y])", f.s);
            if (!lm_gen_eval_num(prog, &verdict, err)) goto done;
            if ((verdict != 0) == want_convex) break;
        }
        lm_free(prog);
        prog = strf("H = subs(hessian(%s, [x, y]), [x, y], [0, 0]); det(H)", f.s);
        if (!lm_gen_eval_num(prog, &dt, err)) goto done;
        lm_free(prog);
        prog = strf("H = subs(hessian(%s, [x, y]), [x, y], [0, 0]); H(1, 1)", f.s);
        if (!lm_gen_eval_num(prog, &h11, err)) goto done;
        lm_free(prog);
        prog = strf("H = subs(hessian(%s, [x, y]), [x, y], [0, 0]); H(2, 2)", f.s);
        if (!lm_gen_eval_num(prog, &h22, err)) goto done;
        char *ft = tex(f.s, err);
        if (!ft) goto done;
        lm_gen_prompt(p, "Is $f(x, y) = %s$ convex on $\\mathbb{R}^2$? Answer with the letter of your choice.", ft);
        lm_free(ft);
        lm_gen_hint(p, "A twice-differentiable function is convex exactly when its Hessian is positive semidefinite "
                       "everywhere; for a quadratic the Hessian is constant.");
        lm_gen_hint(p, "A symmetric $2 \\times 2$ matrix is positive semidefinite when both diagonal entries and the "
                       "determinant are $\\ge 0$ (equivalently, both eigenvalues are $\\ge 0$).");
        lm_free(prog);
        prog = strf("hessian(%s, [x, y])", f.s);
        if (!expr_of(prog, NULL, &l, err)) goto done;
        lm_buf_printf(&h, "H = %s", l.s);
        lm_gen_step(p, h.s, "The Hessian, the matrix of second partial derivatives (constant for a quadratic).");
        lm_buf_reset(&h);
        lm_buf_printf(&h, "\\det H = %s \\cdot %s - %s^2 = %s", par(h11).s, par(h22).s, par((double)b).s, lm_gen_dec(dt).s);
        lm_gen_step(p, h.s, "Its diagonal entries are $%s$ and $%s$; its determinant is the product of the "
                            "eigenvalues.",
                    lm_gen_dec(h11).s, lm_gen_dec(h22).s);
        lm_gen_step(p, NULL, "%s",
                    verdict != 0 ? "Both diagonal entries and the determinant are positive: both eigenvalues are "
                                   "positive, so $f$ is convex."
                    : dt < 0     ? "The determinant is negative, so the eigenvalues have opposite signs: $f$ curves "
                                   "down in some direction (a saddle), so it is not convex."
                                 : "A diagonal entry is negative, so $f$ curves down along an axis: it is not "
                                   "convex.");
    }
    lm_gen_choice(p, "convex");
    lm_gen_choice(p, "not convex");
    lm_gen_answer(p, LM_ANS_CHOICE, "%s", verdict != 0 ? "a" : "b");
    lm_gen_hint(p, "%s", difficulty == 1 ? "Where is $f''$ smallest? If even that is $\\ge 0$, $f$ is convex."
                                         : "Compute the Hessian's diagonal entries and its determinant.");
    if (verdict != 0)
        lm_gen_mis(p, "convexity-test", "b",
                   "The second-derivative test says convex: the curvature is never negative in any direction.");
    else
        lm_gen_mis(p, "convexity-test", "a", "%s",
                   difficulty == 3 && dt < 0 && h11 > 0 && h22 > 0
                       ? "Positive diagonal entries are not enough: the cross term makes the Hessian's determinant "
                         "negative, so $f$ curves down along a diagonal direction."
                       : "The curvature is negative somewhere, so a chord can lie below the graph: not convex.");
    ok = true;
done:
    lm_free(prog);
    lm_buf_free(&f);
    lm_buf_free(&l);
    lm_buf_free(&h);
    return ok;
}

/* ---- one step of gradient descent with momentum ---- */

static bool gen_momentum(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/momentum-step", seed, difficulty);
    static const int64_t lrs[] = {5, 10, 20};  /* hundredths */
    static const int64_t betas[] = {5, 9};     /* tenths */
    double lr = (double)lm_gen_pick(&r, lrs, 3) / 100, beta = difficulty == 3 ? 0.9 : (double)lm_gen_pick(&r, betas, 2) / 10;
    int64_t a = lm_gen_int(&r, 1, 4), c = lm_gen_int(&r, 1, 4);
    int64_t x0 = lm_gen_int_nonzero(&r, -5, 5), y0 = lm_gen_int_nonzero(&r, -5, 5);
    int64_t v0 = difficulty == 3 ? 0 : lm_gen_int(&r, -4, 4), w0 = lm_gen_int(&r, -4, 4);
    lm_buf f = LM_BUF_INIT, l = LM_BUF_INIT, ans = LM_BUF_INIT, wrong = LM_BUF_INIT;
    char *prog = NULL;
    bool ok = false;
    lm_gen_numtext lrs_ = lm_gen_dec(lr), bs = lm_gen_dec(beta);
    char *ft = NULL;
    if (difficulty != 2) {
        lm_gen_put_term(&f, a, "x^2", true);
        if (!(ft = tex(f.s, err))) goto done;
        double g0, v1, x1, plain, up;
        prog = strf("subs(diff(%s, x), x, %lld)", f.s, (long long)x0);
        if (!lm_gen_eval_num(prog, &g0, err)) goto done;
        lm_free(prog);
        prog = strf("%s * %lld + %s", bs.s, (long long)v0, lm_gen_dec(g0).s);
        if (!lm_gen_eval_num(prog, &v1, err)) goto done;
        lm_free(prog);
        prog = strf("%lld - %s * %s", (long long)x0, lrs_.s, lm_gen_dec(v1).s);
        if (!lm_gen_eval_num(prog, &x1, err)) goto done;
        plain = x0 - lr * g0, up = x0 + lr * v1;
        double answer = x1;
        if (difficulty == 1) {
            lm_gen_prompt(p, "Minimise $f(x) = %s$ by gradient descent with momentum: $v \\leftarrow \\beta v + "
                             "f'(x)$, then $x \\leftarrow x - \\eta v$, with $\\eta = %s$ and $\\beta = %s$. The "
                             "current point is $x = %lld$ and the velocity $v = %lld$. What is $x$ after one step? Give "
                             "the exact number.",
                          ft, lrs_.s, bs.s, (long long)x0, (long long)v0);
        } else {
            /* Two steps from rest: the engine's own heavy-ball optimiser (v <- 0.9 v + grad) must agree. */
            double g1, v2, x2, check;
            lm_free(prog);
            prog = strf("subs(diff(%s, x), x, %s)", f.s, lm_gen_dec(x1).s);
            if (!lm_gen_eval_num(prog, &g1, err)) goto done;
            lm_free(prog);
            prog = strf("0.9 * %s + %s", lm_gen_dec(v1).s, lm_gen_dec(g1).s);
            if (!lm_gen_eval_num(prog, &v2, err)) goto done;
            lm_free(prog);
            prog = strf("%s - %s * %s", lm_gen_dec(x1).s, lrs_.s, lm_gen_dec(v2).s);
            if (!lm_gen_eval_num(prog, &x2, err)) goto done;
            lm_free(prog);
            prog = strf("[xm, path] = gd(%s, x, %lld, optimizer = \"momentum\", lr = %s, steps = 2); xm", f.s,
                        (long long)x0, lrs_.s);
            if (!lm_gen_eval_num(prog, &check, err)) goto done;
            if (fabs(check - x2) > 1e-9 * (1 + fabs(x2))) {
                lm_err_set(err, LM_ERR_INTERNAL, "momentum by hand gives %g, gd gives %g", x2, check);
                goto done;
            }
            lm_gen_prompt(p, "Minimise $f(x) = %s$ by gradient descent with momentum: $v \\leftarrow \\beta v + "
                             "f'(x)$, then $x \\leftarrow x - \\eta v$, with $\\eta = %s$ and $\\beta = %s$. Start at "
                             "$x = %lld$ with velocity $v = 0$. What is $x$ after **two** steps? Give the exact "
                             "number.",
                          ft, lrs_.s, bs.s, (long long)x0);
            plain = x1 - lr * g1; /* forgetting the velocity on the second step */
            up = x1 - lr * g1;
            answer = x2;
            lm_buf_printf(&l, "v_1 = %s \\cdot 0 + f'(%lld) = %s, \\quad x_1 = %lld - %s \\cdot %s = %s", bs.s,
                          (long long)x0, lm_gen_dec(v1).s, (long long)x0, lrs_.s, par(v1).s, lm_gen_sig(x1, 10).s);
            lm_gen_step(p, l.s, "First step: $f'(x) = %lld x$; from rest the velocity is just the gradient.",
                        (long long)(2 * a));
            lm_buf_reset(&l);
            lm_buf_printf(&l, "v_2 = %s \\cdot %s + f'(%s) = %s, \\quad x_2 = %s - %s \\cdot %s = %s", bs.s, par(v1).s,
                          lm_gen_sig(x1, 10).s, lm_gen_sig(v2, 10).s, lm_gen_sig(x1, 10).s, lrs_.s, par(v2).s, lm_gen_sig(x2, 10).s);
            lm_gen_step(p, l.s, "Second step: the old velocity, shrunk by $\\beta$, adds to the new gradient.");
            x1 = x2;
        }
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(answer, 10).s);
        if (difficulty == 1) {
            lm_buf_printf(&l, "f'(x) = %lld x, \\quad f'(%lld) = %s", (long long)(2 * a), (long long)x0, lm_gen_dec(g0).s);
            lm_gen_step(p, l.s, "The gradient at the current point.");
            lm_buf_reset(&l);
            lm_buf_printf(&l, "v = %s \\cdot %s + %s = %s", bs.s, par((double)v0).s, par(g0).s, lm_gen_sig(v1, 10).s);
            lm_gen_step(p, l.s, "Update the velocity: keep a share $\\beta$ of the old one and add the gradient.");
            lm_buf_reset(&l);
            lm_buf_printf(&l, "x = %lld - %s \\cdot %s = %s", (long long)x0, lrs_.s, par(v1).s, lm_gen_sig(x1, 10).s);
            lm_gen_step(p, l.s, "Move against the velocity, scaled by the learning rate.");
            if (v0 != 0 && lm_gen_fresh(p, plain, answer))
                lm_gen_mis(p, "forgot-momentum", lm_gen_sig(plain, 10).s,
                           "That is a plain gradient step. With momentum, the step follows the velocity $v = \\beta v + "
                           "f'(x)$, which still carries the old $v = %lld$.",
                           (long long)v0);
            if (lm_gen_fresh(p, up, answer))
                lm_gen_mis(p, "sign-error", lm_gen_sig(up, 10).s,
                           "You moved along the velocity, uphill. Gradient descent subtracts: $x - \\eta v$.");
        } else if (lm_gen_fresh(p, plain, answer)) {
            lm_gen_mis(p, "forgot-momentum", lm_gen_sig(plain, 10).s,
                       "On the second step you used the gradient alone. The velocity keeps $\\beta = %s$ of the first "
                       "step's velocity.",
                       bs.s);
        }
    } else {
        lm_gen_put_term(&f, a, "x^2", true);
        lm_gen_put_term(&f, c, "y^2", false);
        if (!(ft = tex(f.s, err))) goto done;
        double g[2], v[2], x[2];
        for (int i = 0; i < 2; i++) {
            lm_free(prog);
            prog = strf("g = subs(grad(%s, [x, y]), [x, y], [%lld, %lld]); g(%d)", f.s, (long long)x0, (long long)y0,
                        i + 1);
            if (!lm_gen_eval_num(prog, &g[i], err)) goto done;
            lm_free(prog);
            prog = strf("%s * %lld + %s", bs.s, (long long)(i ? w0 : v0), lm_gen_dec(g[i]).s);
            if (!lm_gen_eval_num(prog, &v[i], err)) goto done;
            lm_free(prog);
            prog = strf("%lld - %s * %s", (long long)(i ? y0 : x0), lrs_.s, lm_gen_dec(v[i]).s);
            if (!lm_gen_eval_num(prog, &x[i], err)) goto done;
        }
        lm_gen_prompt(p, "Minimise $f(x, y) = %s$ by gradient descent with momentum: $\\mathbf{v} \\leftarrow \\beta "
                         "\\mathbf{v} + \\nabla f$, then $\\mathbf{x} \\leftarrow \\mathbf{x} - \\eta \\mathbf{v}$, "
                         "with $\\eta = %s$ and $\\beta = %s$. The current point is $(%lld, %lld)$ and the velocity "
                         "$(%lld, %lld)$. What is the point after one step? Give it as `[x y]`.",
                      ft, lrs_.s, bs.s, (long long)x0, (long long)y0, (long long)v0, (long long)w0);
        lm_buf_printf(&ans, "[%s %s]", lm_gen_sig(x[0], 10).s, lm_gen_sig(x[1], 10).s);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_buf_printf(&wrong, "[%s %s]", lm_gen_sig(x0 - lr * g[0], 10).s, lm_gen_sig(y0 - lr * g[1], 10).s);
        if (v0 != 0 || w0 != 0)
            lm_gen_mis(p, "forgot-momentum", wrong.s,
                       "That is a plain gradient step. With momentum, the step follows $\\mathbf{v} = \\beta "
                       "\\mathbf{v} + \\nabla f$, which still carries the old velocity.");
        lm_buf_reset(&wrong);
        lm_buf_printf(&wrong, "[%s %s]", lm_gen_sig(x0 + lr * v[0], 10).s, lm_gen_sig(y0 + lr * v[1], 10).s);
        lm_gen_mis(p, "sign-error", wrong.s, "You moved along the velocity, uphill. Gradient descent subtracts: "
                                             "$\\mathbf{x} - \\eta \\mathbf{v}$.");
        lm_free(prog);
        prog = strf("steps(grad(%s, [x, y]))", f.s);
        if (!lm_gen_steps(p, prog, NULL, err)) goto done;
        lm_buf_printf(&l, "\\nabla f(%lld, %lld) = (%s, %s)", (long long)x0, (long long)y0, lm_gen_dec(g[0]).s, lm_gen_dec(g[1]).s);
        lm_gen_step(p, l.s, "The gradient at the current point.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\mathbf{v} = %s \\cdot (%lld, %lld) + (%s, %s) = (%s, %s)", bs.s, (long long)v0,
                      (long long)w0, lm_gen_dec(g[0]).s, lm_gen_dec(g[1]).s, lm_gen_sig(v[0], 10).s, lm_gen_sig(v[1], 10).s);
        lm_gen_step(p, l.s, "Update the velocity.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "(%lld, %lld) - %s \\cdot (%s, %s) = (%s, %s)", (long long)x0, (long long)y0, lrs_.s,
                      lm_gen_sig(v[0], 10).s, lm_gen_sig(v[1], 10).s, lm_gen_sig(x[0], 10).s, lm_gen_sig(x[1], 10).s);
        lm_gen_step(p, l.s, "Move against the velocity, scaled by the learning rate.");
    }
    lm_gen_hint(p, "Momentum keeps a running velocity: first update $v$, then move $x$.");
    lm_gen_hint(p, "The new velocity is $\\beta$ times the old one plus the gradient at the current point.");
    lm_gen_hint(p, "Then subtract $\\eta$ times the *new* velocity from the current point.");
    ok = true;
done:
    lm_free(ft);
    lm_free(prog);
    lm_buf_free(&f);
    lm_buf_free(&l);
    lm_buf_free(&ans);
    lm_buf_free(&wrong);
    return ok;
}

/* ---- one step of Newton's method ---- */

static bool gen_newton(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/newton-step", seed, difficulty);
    lm_buf f = LM_BUF_INIT, l = LM_BUF_INIT, d1 = LM_BUF_INIT, d2 = LM_BUF_INIT, w = LM_BUF_INIT;
    char *prog = NULL;
    bool ok = false;
    int64_t x0 = 0;
    double f0 = 0, f1 = 0, f2 = 0;
    for (int tries = 0; tries < 50; tries++) {
        lm_buf_reset(&f);
        if (difficulty == 1) {
            lm_gen_put_term(&f, lm_gen_int(&r, 1, 5), "x^2", true);
            lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -9, 9), "x", false);
            int64_t c0 = lm_gen_int(&r, -5, 5);
            if (c0) lm_buf_printf(&f, " %c %lld", c0 < 0 ? '-' : '+', (long long)(c0 < 0 ? -c0 : c0));
        } else if (difficulty == 2) {
            lm_buf_puts(&f, "x^3");
            lm_gen_put_term(&f, lm_gen_int(&r, -4, 4), "x^2", false);
            lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -6, 6), "x", false);
        } else {
            lm_buf_puts(&f, "x^4");
            lm_gen_put_term(&f, lm_gen_int(&r, -4, 4), "x^2", false);
            lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -6, 6), "x", false);
        }
        x0 = lm_gen_int(&r, -3, 3);
        lm_free(prog);
        prog = strf("f(x) = %s; [f(%lld), subs(diff(f(x), x), x, %lld), subs(diff(f(x), x, 2), x, %lld)]", f.s,
                    (long long)x0, (long long)x0, (long long)x0);
        lm_rat v[3];
        int rows, cols;
        if (!lm_gen_eval_rmat(prog, v, 3, &rows, &cols, err)) goto done;
        f0 = (double)v[0].p, f1 = (double)v[1].p, f2 = (double)v[2].p;
        if (f2 > 0 && f1 != 0) break; /* a step that moves, towards a minimum */
    }
    char *ft = tex(f.s, err);
    if (!ft) goto done;
    lm_rat x1 = lm_gen_rat((int64_t)(x0 * f2 - f1), (int64_t)f2);
    double ans = (double)x1.p / (double)x1.q;
    lm_gen_prompt(p, "Minimise $f(x) = %s$ with Newton's method, $x \\leftarrow x - \\frac{f'(x)}{f''(x)}$. Starting "
                     "from $x_0 = %lld$, what is $x_1$ after one step? Give a fraction, or a decimal to three "
                     "significant figures.",
                  ft, (long long)x0);
    lm_free(ft);
    lm_gen_put_rat(&l, x1);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", l.s);
    p->spec.tol = 0.006;
    lm_gen_hint(p, "Newton's method fits a parabola at $x_0$ and jumps to its lowest point.");
    lm_gen_hint(p, "You need the first and second derivatives of $f$ at $x_0 = %lld$.", (long long)x0);
    lm_gen_hint(p, "$x_1 = x_0 - \\frac{f'(x_0)}{f''(x_0)}$: divide the slope by the curvature.");
    lm_buf_reset(&w);
    lm_gen_put_rat(&w, lm_gen_rat((int64_t)(x0 * f2 + f1), (int64_t)f2));
    if (lm_gen_fresh(p, (x0 * f2 + f1) / f2, ans))
        lm_gen_mis(p, "sign-error", w.s, "You added the Newton step. Subtract it: $x_1 = x_0 - f'(x_0)/f''(x_0)$ moves "
                                         "against the slope.");
    lm_buf_reset(&w);
    lm_buf_printf(&w, "%lld", (long long)(x0 - (int64_t)f1));
    if (lm_gen_fresh(p, x0 - f1, ans))
        lm_gen_mis(p, "gradient-step", w.s,
                   "That is a gradient step with learning rate 1. Newton's method divides the slope by the curvature "
                   "$f''(x_0) = %s$.",
                   lm_gen_dec(f2).s);
    if (f1 != 0 && lm_gen_fresh(p, x0 - f0 / f1, ans)) {
        lm_buf_reset(&w);
        lm_gen_put_rat(&w, lm_gen_rat((int64_t)(x0 * f1 - f0), (int64_t)f1));
        lm_gen_mis(p, "root-newton", w.s,
                   "That is Newton's method for a root of $f$ ($x - f/f'$). To minimise $f$, look for a root of "
                   "$f'$: $x - f'/f''$.");
    }
    lm_free(prog);
    prog = strf("diff(%s, x)", f.s);
    if (!expr_of(prog, NULL, &d1, err)) goto done;
    lm_free(prog);
    prog = strf("diff(%s, x, 2)", f.s);
    if (!expr_of(prog, NULL, &d2, err)) goto done;
    lm_buf_reset(&l);
    lm_buf_printf(&l, "f'(x) = %s, \\quad f''(x) = %s", d1.s, d2.s);
    lm_gen_step(p, l.s, "Differentiate twice.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "f'(%lld) = %s, \\quad f''(%lld) = %s", (long long)x0, lm_gen_dec(f1).s, (long long)x0, lm_gen_dec(f2).s);
    lm_gen_step(p, l.s, "Evaluate both at $x_0 = %lld$.", (long long)x0);
    lm_buf_reset(&l);
    lm_buf_printf(&l, "x_1 = %lld - \\frac{%s}{%s} = ", (long long)x0, lm_gen_dec(f1).s, lm_gen_dec(f2).s);
    lm_gen_put_rat_latex(&l, x1);
    lm_gen_step(p, l.s, "Take the Newton step.");
    ok = true;
done:
    lm_free(prog);
    lm_buf_free(&f);
    lm_buf_free(&l);
    lm_buf_free(&d1);
    lm_buf_free(&d2);
    lm_buf_free(&w);
    return ok;
}

/* ---- a minimum under an equality constraint ---- */

static bool gen_lagrange(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/lagrange-multiplier", seed, difficulty);
    int64_t wx = difficulty == 3 ? lm_gen_int(&r, 1, 4) : 1, wy = difficulty == 3 ? lm_gen_int(&r, 1, 4) : 1;
    int64_t a = difficulty == 1 ? lm_gen_int(&r, 1, 2) : lm_gen_int_nonzero(&r, -4, 4);
    int64_t b = difficulty == 1 ? lm_gen_int(&r, 1, 2) : lm_gen_int_nonzero(&r, -4, 4);
    int64_t c = lm_gen_int_nonzero(&r, -12, 12);
    lm_buf f = LM_BUF_INIT, g = LM_BUF_INIT, l = LM_BUF_INIT, sys = LM_BUF_INIT;
    lm_gen_put_term(&f, wx, "x^2", true);
    lm_gen_put_term(&f, wy, "y^2", false);
    lm_gen_put_term(&g, a, "x", true);
    lm_gen_put_term(&g, b, "y", false);
    /* Stationarity 2 wx x = λ a, 2 wy y = λ b, and the constraint: one exact linear solve. */
    lm_buf_printf(&sys, "[%lld 0 %lld; 0 %lld %lld; %lld %lld 0] \\ [0; 0; %lld]", (long long)(2 * wx), (long long)-a,
                  (long long)(2 * wy), (long long)-b, (long long)a, (long long)b, (long long)c);
    lm_rat sol[3];
    int rows, cols;
    bool ok = false;
    char *prog = NULL, *ft = NULL, *gt = NULL;
    if (!lm_gen_eval_rmat(sys.s, sol, 3, &rows, &cols, err)) goto done;
    if (!(ft = tex(f.s, err)) || !(gt = tex(g.s, err))) goto done;
    lm_gen_prompt(p, "Minimise $f(x, y) = %s$ subject to the constraint $%s = %lld$. At which point is the minimum? "
                     "Give it as `[x y]` (fractions are fine).",
                  ft, gt, (long long)c);
    lm_gen_put_rmat(&l, sol, 1, 2);
    lm_gen_answer(p, LM_ANS_VECTOR, "%s", l.s);
    lm_gen_hint(p, "At the constrained minimum the gradient of $f$ is parallel to the gradient of the constraint: "
                   "$\\nabla f = \\lambda \\nabla g$.");
    lm_gen_hint(p, "Write the Lagrange conditions $%lld x = %lld \\lambda$ and $%lld y = %lld \\lambda$, then put $x$ "
                   "and $y$ into the constraint to find $\\lambda$.",
                (long long)(2 * wx), (long long)a, (long long)(2 * wy), (long long)b);
    lm_gen_hint(p, "Together with $%s = %lld$ that is a linear system in $x$, $y$ and $\\lambda$.", gt, (long long)c);
    lm_buf_reset(&l);
    lm_buf_puts(&l, "[0 0]");
    lm_gen_mis(p, "unconstrained-minimum", l.s,
               "That is the minimum without the constraint, but $(0, 0)$ does not satisfy $%s = %lld$.", gt,
               (long long)c);
    lm_rat neg[2] = {lm_gen_rat(-sol[0].p, sol[0].q), lm_gen_rat(-sol[1].p, sol[1].q)};
    lm_buf_reset(&l);
    lm_gen_put_rmat(&l, neg, 1, 2);
    lm_gen_mis(p, "sign-error", l.s, "Check the constraint: at that point $%s = %lld$, not $%lld$. A sign went wrong.",
               gt, (long long)-c, (long long)c);
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\nabla f = \\begin{bmatrix} %lld x \\\\ %lld y \\end{bmatrix} = \\lambda \\begin{bmatrix} %lld "
                      "\\\\ %lld \\end{bmatrix}, \\quad %s = %lld",
                  (long long)(2 * wx), (long long)(2 * wy), (long long)a, (long long)b, gt, (long long)c);
    lm_gen_step(p, l.s, "The Lagrange conditions: the gradients are parallel, and the constraint holds. These are "
                        "three linear equations in $x$, $y$ and $\\lambda$; solve them by elimination.");
    prog = strf("steps(%s)", sys.s);
    if (!lm_gen_steps(p, prog, NULL, err)) goto done;
    lm_buf_reset(&l);
    lm_buf_puts(&l, "x = ");
    lm_gen_put_rat_latex(&l, sol[0]);
    lm_buf_puts(&l, ", \\quad y = ");
    lm_gen_put_rat_latex(&l, sol[1]);
    lm_buf_puts(&l, ", \\quad \\lambda = ");
    lm_gen_put_rat_latex(&l, sol[2]);
    lm_gen_step(p, l.s, "So the minimum under the constraint is at this point (with this multiplier).");
    ok = true;
done:
    lm_free(prog);
    lm_free(ft);
    lm_free(gt);
    lm_buf_free(&f);
    lm_buf_free(&g);
    lm_buf_free(&l);
    lm_buf_free(&sys);
    return ok;
}

/* ---- backpropagation through one neuron ---- */

static bool gen_backprop(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/backprop-neuron", seed, difficulty);
    int64_t w = lm_gen_int_nonzero(&r, -3, 3), x = lm_gen_int_nonzero(&r, -4, 4), t = lm_gen_int(&r, -5, 5);
    int64_t b = lm_gen_int(&r, -3, 3);
    lm_buf loss = LM_BUF_INIT, l = LM_BUF_INIT, wrong = LM_BUF_INIT;
    char *prog = NULL;
    bool ok = false;
    double ans, nochain = 0, yhat = 0;
    if (difficulty == 1) {
        /* ŷ = w x + b, L = (ŷ - t)²: the loss as a function of w with the data put in. */
        lm_buf_printf(&loss, "(w*%s%lld%s + %s%lld%s - %s%lld%s)^2", x < 0 ? "(" : "", (long long)x, x < 0 ? ")" : "",
                      b < 0 ? "(" : "", (long long)b, b < 0 ? ")" : "", t < 0 ? "(" : "", (long long)t, t < 0 ? ")" : "");
        yhat = (double)(w * x + b);
        lm_gen_prompt(p, "A linear neuron computes $\\hat{y} = w x + b$ and is trained with the squared error $L = "
                         "(\\hat{y} - t)^2$. With $w = %lld$, $b = %lld$, input $x = %lld$ and target $t = %lld$, what "
                         "is $\\frac{\\partial L}{\\partial w}$? Give the exact number.",
                      (long long)w, (long long)b, (long long)x, (long long)t);
        nochain = 2 * (yhat - t);
        lm_gen_hint(p, "Backpropagation is the chain rule: $\\frac{\\partial L}{\\partial w} = \\frac{\\partial "
                       "L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial w}$.");
        lm_gen_hint(p, "First the forward pass: $\\hat{y} = %lld \\cdot %lld + %lld$.", (long long)w, (long long)x,
                    (long long)b);
        lm_gen_hint(p, "$\\frac{\\partial L}{\\partial \\hat{y}} = 2(\\hat{y} - t)$ and $\\frac{\\partial "
                       "\\hat{y}}{\\partial w} = x$.");
    } else if (difficulty == 2) {
        /* Half squared error with a bias gradient asked instead of the weight's. */
        lm_buf_printf(&loss, "(1/2)*(w*%s%lld%s + bb - %s%lld%s)^2", x < 0 ? "(" : "", (long long)x, x < 0 ? ")" : "",
                      t < 0 ? "(" : "", (long long)t, t < 0 ? ")" : "");
        yhat = (double)(w * x + b);
        lm_gen_prompt(p, "A linear neuron computes $\\hat{y} = w x + b$ with loss $L = \\frac{1}{2}(\\hat{y} - t)^2$. "
                         "With $w = %lld$, $b = %lld$, input $x = %lld$ and target $t = %lld$, what are the two "
                         "gradients $\\left[\\frac{\\partial L}{\\partial w}\\ \\frac{\\partial L}{\\partial b}\\right]$? "
                         "Give them as `[dw db]`.",
                      (long long)w, (long long)b, (long long)x, (long long)t);
        lm_gen_hint(p, "Both gradients share the factor $\\frac{\\partial L}{\\partial \\hat{y}} = \\hat{y} - t$.");
        lm_gen_hint(p, "Then multiply by $\\frac{\\partial \\hat{y}}{\\partial w} = x$ and $\\frac{\\partial "
                       "\\hat{y}}{\\partial b} = 1$.");
    } else {
        /* A sigmoid neuron with cross-entropy at z = 0, where σ(z) = 1/2 exactly. */
        b = -w * x;
        t = lm_gen_coin(&r);
        lm_buf_printf(&loss, "-(%lld*log(sigmoid(w*%s%lld%s + %s%lld%s)) + %lld*log(1 - sigmoid(w*%s%lld%s + %s%lld%s)))",
                      (long long)t, x < 0 ? "(" : "", (long long)x, x < 0 ? ")" : "", b < 0 ? "(" : "", (long long)b,
                      b < 0 ? ")" : "", (long long)(1 - t), x < 0 ? "(" : "", (long long)x, x < 0 ? ")" : "",
                      b < 0 ? "(" : "", (long long)b, b < 0 ? ")" : "");
        lm_gen_prompt(p, "A neuron computes $\\hat{y} = \\sigma(w x + b)$ with the sigmoid $\\sigma$, and is trained "
                         "with the cross-entropy loss $L = -[t \\ln \\hat{y} + (1 - t) \\ln(1 - \\hat{y})]$. With $w = "
                         "%lld$, $b = %lld$, input $x = %lld$ and label $t = %lld$, what is $\\frac{\\partial L}{\\partial "
                         "w}$? Give the exact number.",
                      (long long)w, (long long)b, (long long)x, (long long)t);
        nochain = 0.5 - (double)t;
        lm_gen_hint(p, "The chain rule runs through $z = w x + b$: $\\frac{\\partial L}{\\partial w} = \\frac{\\partial "
                       "L}{\\partial z} \\cdot \\frac{\\partial z}{\\partial w}$.");
        lm_gen_hint(p, "For a sigmoid with cross-entropy, the factors simplify to $\\frac{\\partial L}{\\partial z} = "
                       "\\hat{y} - t$.");
        lm_gen_hint(p, "Compute $z$ and $\\hat{y} = \\sigma(z)$ first, then multiply $\\hat{y} - t$ by $x$.");
    }
    if (difficulty == 2) {
        double gw, gb;
        prog = strf("subs(diff(%s, w), [w, bb], [%lld, %lld])", loss.s, (long long)w, (long long)b);
        if (!lm_gen_eval_num(prog, &gw, err)) goto done;
        lm_free(prog);
        prog = strf("subs(diff(%s, bb), [w, bb], [%lld, %lld])", loss.s, (long long)w, (long long)b);
        if (!lm_gen_eval_num(prog, &gb, err)) goto done;
        lm_buf_printf(&l, "[%s %s]", lm_gen_dec(gw).s, lm_gen_dec(gb).s);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", l.s);
        lm_gen_hint(p, "$\\frac{\\partial L}{\\partial w} = (\\hat{y} - t)\\,x$ and $\\frac{\\partial L}{\\partial b} = "
                       "\\hat{y} - t$.");
        lm_buf_printf(&wrong, "[%s %s]", lm_gen_dec(gb).s, lm_gen_dec(gb).s);
        if (x != 1)
            lm_gen_mis(p, "chain-rule-factor", wrong.s,
                       "For $w$ you left out the last chain-rule factor $\\frac{\\partial \\hat{y}}{\\partial w} = x = "
                       "%lld$.",
                       (long long)x);
        lm_buf_reset(&wrong);
        lm_buf_printf(&wrong, "[%s %s]", lm_gen_dec(-gw).s, lm_gen_dec(-gb).s);
        if (gw != 0 || gb != 0)
            lm_gen_mis(p, "sign-error", wrong.s, "The signs are reversed: the error is $\\hat{y} - t$, prediction minus "
                                                 "target.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\hat{y} = %s \\cdot %s + %s = %s, \\quad \\hat{y} - t = %s", par((double)w).s,
                      par((double)x).s, par((double)b).s, lm_gen_dec(yhat).s, lm_gen_dec(gb).s);
        lm_gen_step(p, l.s, "Forward pass, then the error that flows back.");
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\frac{\\partial L}{\\partial w} = %s \\cdot %s = %s, \\quad \\frac{\\partial L}{\\partial "
                          "b} = %s \\cdot 1 = %s",
                      par(gb).s, par((double)x).s, lm_gen_dec(gw).s, par(gb).s, lm_gen_dec(gb).s);
        lm_gen_step(p, l.s, "Multiply the error by each parameter's local derivative.");
    } else {
        prog = strf("subs(diff(%s, w), w, %lld)", loss.s, (long long)w);
        if (!lm_gen_eval_num(prog, &ans, err)) goto done;
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_dec(ans).s);
        if (lm_gen_fresh(p, nochain, ans))
            lm_gen_mis(p, "chain-rule-factor", lm_gen_dec(nochain).s,
                       "You stopped one factor short: multiply by $\\frac{\\partial %s}{\\partial w} = x = %lld$.",
                       difficulty == 1 ? "\\hat{y}" : "z", (long long)x);
        if (ans != 0) lm_gen_mis(p, "sign-error", lm_gen_dec(-ans).s, "The sign is reversed: the error is prediction minus "
                                                              "target, $\\hat{y} - t$.");
        if (difficulty == 1 && lm_gen_fresh(p, ans / 2, ans))
            lm_gen_mis(p, "power-rule-factor", lm_gen_dec(ans / 2).s,
                       "You dropped the 2 from differentiating the square: $\\frac{d}{d\\hat{y}}(\\hat{y} - t)^2 = "
                       "2(\\hat{y} - t)$.");
        lm_buf_reset(&l);
        if (difficulty == 1)
            lm_buf_printf(&l, "\\hat{y} = %s \\cdot %s + %s = %s", par((double)w).s, par((double)x).s,
                          par((double)b).s, lm_gen_dec(yhat).s);
        else
            lm_buf_printf(&l, "z = %s \\cdot %s + %s = 0, \\quad \\hat{y} = \\sigma(0) = \\frac{1}{2}",
                          par((double)w).s, par((double)x).s, par((double)b).s);
        lm_gen_step(p, l.s, "The forward pass.");
        lm_free(prog);
        prog = strf("steps(diff(%s, w))", loss.s);
        if (!lm_gen_steps(p, prog, "The chain rule gives the derivative in $w$:", err)) goto done;
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\frac{\\partial L}{\\partial w}\\Big|_{w = %lld} = %s", (long long)w, lm_gen_dec(ans).s);
        lm_gen_step(p, l.s, "Put in $w = %lld$%s.", (long long)w,
                    difficulty == 1 ? "" : ": the whole chain collapses to $(\\hat{y} - t)\\,x$");
    }
    ok = true;
done:
    lm_free(prog);
    lm_buf_free(&loss);
    lm_buf_free(&l);
    lm_buf_free(&wrong);
    return ok;
}

/* ---- log-sum-exp without overflow ---- */

static bool gen_logsumexp(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "optim/log-sum-exp", seed, difficulty);
    int n = difficulty == 1 ? 2 : 3;
    int64_t m = lm_gen_int(&r, 50, 250) * 10;
    if (difficulty == 3 && lm_gen_coin(&r)) m = -m; /* underflow instead of overflow */
    int64_t v[3], gaps[3];
    for (int i = 0; i < n; i++) gaps[i] = difficulty == 1 ? 0 : i == 0 ? 0 : lm_gen_int(&r, 0, 3);
    for (int i = 0; i < n; i++) v[i] = m - gaps[i];
    lm_buf vec = LM_BUF_INIT, ref = LM_BUF_INIT, l = LM_BUF_INIT, tail = LM_BUF_INIT;
    char *prog = NULL;
    bool ok = false;
    lm_buf_putc(&vec, '[');
    for (int i = 0; i < n; i++) lm_buf_printf(&vec, "%s%lld", i ? " " : "", (long long)v[i]);
    lm_buf_putc(&vec, ']');
    /* The reference in closed form, m + log(1 + e^-g1 + ...), which lemma evaluates exactly as written. */
    lm_buf_puts(&tail, "1");
    for (int i = 1; i < n; i++) {
        if (gaps[i] == 0) lm_buf_puts(&tail, " + 1");
        else lm_buf_printf(&tail, " + exp(-%lld)", (long long)gaps[i]);
    }
    lm_buf_printf(&ref, "%lld + log(%s)", (long long)m, tail.s);
    double ans, naive, check;
    prog = strf("%s", ref.s);
    if (!lm_gen_eval_num(prog, &ans, err)) goto done;
    lm_free(prog);
    prog = strf("v = %s; max(v) + log(sum(exp(v - max(v))))", vec.s);
    if (!lm_gen_eval_num(prog, &check, err)) goto done;
    if (fabs(check - ans) > 1e-9 * fabs(ans)) {
        lm_err_set(err, LM_ERR_INTERNAL, "log-sum-exp %g differs from the closed form %g", check, ans);
        goto done;
    }
    lm_free(prog);
    prog = strf("log(sum(exp(%s)))", vec.s);
    if (!lm_gen_eval_num(prog, &naive, err)) goto done;
    lm_buf_reset(&l);
    for (int i = 0; i < n; i++) lm_buf_printf(&l, "%s%lld", i ? ", " : "", (long long)v[i]);
    lm_gen_prompt(p, "Compute $\\mathrm{LSE}(\\mathbf{v}) = \\log \\sum_i e^{v_i}$ (natural log) for $\\mathbf{v} = "
                     "(%s)$. In double precision $e^{%lld}$ %s, so compute it the stable way. Give the answer to three "
                     "decimal places (an expression such as `%lld + log(2)` is fine too).",
                  l.s, (long long)m, m > 0 ? "overflows to infinity" : "underflows to 0", (long long)m);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", ref.s);
    /* Three decimals of a number near ±1000: an absolute 6e-4, written as the relative tolerance the spec takes. */
    p->spec.tol = 6e-4 / fabs(ans);
    lm_gen_hint(p, "Factor out the largest term: $e^{v_i} = e^{m} e^{v_i - m}$ with $m = \\max_i v_i$.");
    lm_gen_hint(p, "Then $\\log \\sum_i e^{v_i} = m + \\log \\sum_i e^{v_i - m}$, and every $e^{v_i - m}$ is between 0 "
                   "and 1.");
    lm_gen_hint(p, "Here $m = %lld$; the shifted exponents are $0$%s.", (long long)m, n > 1 ? " and small negatives" : "");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "log(%s)", tail.s);
    lm_gen_mis(p, "forgot-max", l.s, "You dropped the maximum you factored out: add $m = %lld$ back.", (long long)m);
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%lld", (long long)m);
    lm_gen_mis(p, "max-only", l.s,
               "The maximum is only the largest part: the other terms add $\\log \\sum_i e^{v_i - m} > 0$ to it.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\log \\sum_i e^{v_i} = %s", isinf(naive) ? (naive > 0 ? "\\infty" : "-\\infty") : lm_gen_sig(naive, 6).s);
    lm_gen_step(p, l.s, "Computed directly, the exponentials %s and the result is useless.",
                m > 0 ? "overflow to infinity" : "underflow to 0");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "m = %lld, \\quad \\mathbf{v} - m = [", (long long)m);
    for (int i = 0; i < n; i++) lm_buf_printf(&l, "%s%lld", i ? ", " : "", (long long)-gaps[i]);
    lm_buf_putc(&l, ']');
    lm_gen_step(p, l.s, "Shift by the maximum: the largest shifted exponent is 0, so nothing overflows.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%lld + \\log(1", (long long)m);
    for (int i = 1; i < n; i++) {
        if (gaps[i] == 0) lm_buf_puts(&l, " + 1");
        else lm_buf_printf(&l, " + e^{-%lld}", (long long)gaps[i]);
    }
    lm_buf_printf(&l, ") \\approx %s", lm_gen_sig(ans, 10).s);
    lm_gen_step(p, l.s, "Add the log of the small sum back to $m$.");
    ok = true;
done:
    lm_free(prog);
    lm_buf_free(&vec);
    lm_buf_free(&ref);
    lm_buf_free(&l);
    lm_buf_free(&tail);
    return ok;
}

const lm_skill_def lm_skills_optim[] = {
    {"optim/convexity-check", "Is this function convex?", gen_convexity},
    {"optim/momentum-step", "One step of gradient descent with momentum", gen_momentum},
    {"optim/newton-step", "One step of Newton's method", gen_newton},
    {"optim/lagrange-multiplier", "A minimum under an equality constraint", gen_lagrange},
    {"optim/backprop-neuron", "Backpropagation through one neuron", gen_backprop},
    {"optim/log-sum-exp", "Log-sum-exp without overflow", gen_logsumexp},
    {NULL, NULL, NULL},
};
