/* Exercise generators for multicalc: partial derivatives, Jacobians, Hessians,
 * a gradient-descent step, the sigmoid's derivative and softmax. Derivatives
 * and their steps come from the engine; where the arithmetic after them is a
 * learning rate or a probability, it is done exactly on the engine's numbers
 * with fractions so that the decimals in the answer are short and exact. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <string.h>

/* A random polynomial in x and y from the given monomials, at least one term. */
static void rand_poly(lm_rng *r, lm_buf *f, const char *const *mono, int n, int64_t lo, int64_t hi) {
    bool first = true;
    for (int i = 0; i < n; i++) {
        int64_t c = i == 0 ? lm_gen_int_nonzero(r, lo, hi) : lm_gen_int(r, lo, hi);
        if (!c) continue;
        lm_gen_put_term(f, c, mono[i], first);
        first = false;
    }
}

static bool latex_of(const char *f, lm_buf *latex, lm_err *err) { return lm_gen_eval_expr(f, NULL, latex, err); }

/* The value of `program` (a matrix of whole numbers or fractions) into m and its text. */
static bool eval_mat(const char *program, lm_rat *m, int max, int *rows, int *cols, lm_buf *text, lm_buf *latex, lm_err *err) {
    if (!lm_gen_eval_rmat(program, m, max, rows, cols, err)) return false;
    if (text) lm_gen_put_rmat(text, m, *rows, *cols);
    if (latex) lm_gen_put_rmat_latex(latex, m, *rows, *cols);
    return true;
}

/* ---- partial-derivative ---- */

static bool gen_partial_derivative(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/partial-derivative", seed, difficulty);
    static const char *const m1[] = {"x^2*y", "x*y", "y^2", "x^3", "y"};
    static const char *const m2[] = {"x^3*y^2", "x^2*y", "x*y^3", "y^2", "x"};
    lm_buf f = LM_BUF_INIT, fl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, w = LM_BUF_INIT;
    if (difficulty == 1) rand_poly(&r, &f, m1, 5, -4, 5);
    else if (difficulty == 2) rand_poly(&r, &f, m2, 5, -4, 5);
    else {
        static const char *const fn[] = {"exp(x*y)", "sin(x*y)", "x*exp(y)", "y*log(x)"};
        size_t k = lm_gen_index(&r, 4);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 4), fn[k], true);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -4, 4), "x^2*y", false);
    }
    const char *v = lm_gen_coin(&r) ? "x" : "y", *other = v[0] == 'x' ? "y" : "x";
    lm_buf_printf(&prog, "partial(%s, %s)", f.s, v);
    bool ok = latex_of(f.s, &fl, err) && lm_gen_eval_expr(prog.s, &ans, NULL, err);
    if (ok) {
        lm_gen_prompt(p, "Find the partial derivative $\\frac{\\partial f}{\\partial %s}$ of $f(x, y) = %s$.\n\n"
                         "Give it as an expression in `x` and `y`.",
                      v, fl.s);
        lm_gen_answer(p, LM_ANS_EXPRESSION, "%s", ans.s);
        p->spec.vars = lm_strdup("x,y");
        if (strstr(f.s, "log")) p->spec.domain = lm_strdup("positive");
        lm_gen_hint(p, "Treat $%s$ as a constant number, like 3.", other);
        lm_gen_hint(p, "A term without $%s$ has partial derivative 0; a factor made only of $%s$ stays in front.", v, other);
        lm_gen_hint(p, "Differentiate each term in $%s$ with the usual rules (power rule, chain rule), keeping the $%s$ factors.", v, other);
        ok = lm_gen_stepsf(p, "So the partial derivative is:", err, "steps(partial(%s, %s))", f.s, v);
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "partial(%s, %s)", f.s, other);
        if ((ok = lm_gen_eval_expr(prog.s, &w, NULL, err)))
            lm_gen_mis(p, "wrong-variable", w.s, "That is the partial derivative with respect to the other variable.");
    }
    lm_buf_free(&f);
    lm_buf_free(&fl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&w);
    return ok;
}

/* ---- jacobian ---- */

/* Level 2 of the Jacobian: the matrix of partial derivatives as expressions
 * (the checker compares matrices entry by entry, symbolically). */
static bool jacobian_symbolic(lm_problem *p, const char *f1, const char *f2, const char *l1, const char *l2, lm_err *err) {
    lm_buf prog = LM_BUF_INIT, ans = LM_BUF_INIT, e[4] = {LM_BUF_INIT, LM_BUF_INIT, LM_BUF_INIT, LM_BUF_INIT};
    lm_buf_printf(&prog, "jacobian([%s; %s], [x, y])", f1, f2);
    bool ok = lm_gen_eval_expr(prog.s, &ans, NULL, err);
    if (ok) {
        lm_gen_prompt(p, "Let $F(x, y) = \\begin{bmatrix} %s \\\\ %s \\end{bmatrix}$. Find the Jacobian matrix $J_F$ as a "
                         "function of $x$ and $y$.\n\nGive the matrix as `[a, b; c, d]`: row $i$ holds the partial "
                         "derivatives of component $i$. Write products with `*` (`2*x*y`).",
                      l1, l2);
        lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
        p->spec.vars = lm_strdup("x,y");
        lm_gen_hint(p, "The Jacobian of a map $\\mathbb{R}^2 \\to \\mathbb{R}^2$ is $2 \\times 2$: one row per component, one column per variable.");
        lm_gen_hint(p, "Row 1 is $\\left(\\frac{\\partial F_1}{\\partial x}, \\frac{\\partial F_1}{\\partial y}\\right)$, row 2 the same for $F_2$.");
        lm_gen_hint(p, "In each partial derivative treat the other variable as a constant: $\\frac{\\partial}{\\partial x}(x y) = y$.");
        ok = lm_gen_stepsf(p, "Row 1 of the Jacobian is this gradient of $F_1$ (written as a row):", err, "steps(grad(%s, [x, y]))", f1);
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "steps(grad(%s, [x, y]))", f2);
        ok = ok && lm_gen_steps(p, prog.s, "Row 2 is this gradient of $F_2$:", err);
    }
    /* The transpose, entry by entry: a column per component instead of a row. */
    const char *fs[2] = {f1, f2}, *vs[2] = {"x", "y"};
    for (int i = 0; i < 4 && ok; i++) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "diff(%s, %s)", fs[i % 2], vs[i / 2]);
        ok = lm_gen_eval_expr(prog.s, &e[i], NULL, err);
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "[%s, %s; %s, %s]", e[0].s, e[1].s, e[2].s, e[3].s);
        lm_gen_mis(p, "transposed", prog.s, "That is the transpose: each row of the Jacobian belongs to one component of F, each column to one variable.");
    }
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    for (int i = 0; i < 4; i++) lm_buf_free(&e[i]);
    return ok;
}

static bool gen_jacobian(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/jacobian", seed, difficulty);
    static const char *const m1[] = {"x", "y", "x*y"};
    static const char *const m2[] = {"x^2", "x*y", "y^2", "y"};
    static const char *const m3[] = {"x^2*y", "x*y^2", "y^3", "x"};
    lm_buf f1 = LM_BUF_INIT, f2 = LM_BUF_INIT, l1 = LM_BUF_INIT, l2 = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT,
           al = LM_BUF_INIT, tmp = LM_BUF_INIT;
    const char *const *m = difficulty == 1 ? m1 : difficulty == 2 ? m2 : m3;
    int nm = difficulty == 1 ? 3 : 4;
    rand_poly(&r, &f1, m, nm, -3, 4);
    rand_poly(&r, &f2, m, nm, -3, 4);
    int64_t x0 = lm_gen_int(&r, -2, 3), y0 = lm_gen_int(&r, -2, 3);
    lm_rat J[4];
    int rr, cc;
    if (difficulty == 2) {
        bool ok = latex_of(f1.s, &l1, err) && latex_of(f2.s, &l2, err) && jacobian_symbolic(p, f1.s, f2.s, l1.s, l2.s, err);
        lm_buf_free(&f1);
        lm_buf_free(&f2);
        lm_buf_free(&l1);
        lm_buf_free(&l2);
        return ok;
    }
    lm_buf_printf(&prog, "subs(jacobian([%s; %s], [x, y]), [x, y], [%lld, %lld])", f1.s, f2.s, (long long)x0, (long long)y0);
    bool ok = latex_of(f1.s, &l1, err) && latex_of(f2.s, &l2, err) && eval_mat(prog.s, J, 4, &rr, &cc, &ans, &al, err);
    if (ok) {
        lm_gen_prompt(p, "Let $F(x, y) = \\begin{bmatrix} %s \\\\ %s \\end{bmatrix}$. Find the Jacobian matrix $J_F$ at "
                         "$(x, y) = (%lld, %lld)$.\n\nGive the matrix as `[a b; c d]`: row $i$ holds the partial derivatives of "
                         "component $i$.",
                      l1.s, l2.s, (long long)x0, (long long)y0);
        lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
        lm_gen_hint(p, "The Jacobian of a map $\\mathbb{R}^2 \\to \\mathbb{R}^2$ is $2 \\times 2$: one row per component, one column per variable.");
        lm_gen_hint(p, "Row 1 is $\\left(\\frac{\\partial F_1}{\\partial x}, \\frac{\\partial F_1}{\\partial y}\\right)$, row 2 the same for $F_2$.");
        lm_gen_hint(p, "Find the four partial derivatives as expressions, then substitute $x = %lld$, $y = %lld$.", (long long)x0, (long long)y0);
        ok = lm_gen_stepsf(p, "Row 1 of the Jacobian is this gradient of $F_1$ (written as a row):", err, "steps(grad(%s, [x, y]))", f1.s);
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "steps(grad(%s, [x, y]))", f2.s);
        ok = ok && lm_gen_steps(p, prog.s, "Row 2 is this gradient of $F_2$:", err);
        if (ok) {
            lm_buf_printf(&tmp, "J_F(%lld, %lld) = %s", (long long)x0, (long long)y0, al.s);
            lm_gen_step(p, tmp.s, "Substitute $x = %lld$ and $y = %lld$ into both rows.", (long long)x0, (long long)y0);
            lm_rat T[4] = {J[0], J[2], J[1], J[3]};
            lm_buf_reset(&tmp);
            lm_gen_put_rmat(&tmp, T, 2, 2);
            lm_gen_mis(p, "transposed", tmp.s, "That is the transpose: each row of the Jacobian belongs to one component of F, each column to one variable.");
        }
    }
    lm_buf_free(&f1);
    lm_buf_free(&f2);
    lm_buf_free(&l1);
    lm_buf_free(&l2);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&al);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- hessian ---- */

static bool gen_hessian(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/hessian", seed, difficulty);
    static const char *const m1[] = {"x^2", "x*y", "y^2", "x", "y"};
    static const char *const m3[] = {"x^3", "x^2*y", "x*y", "y^2", "y^3"};
    lm_buf f = LM_BUF_INIT, fl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, al = LM_BUF_INIT, hl = LM_BUF_INIT,
           tmp = LM_BUF_INIT;
    rand_poly(&r, &f, difficulty == 1 ? m1 : m3, 5, -3, 4);
    int64_t x0 = difficulty == 1 ? 0 : lm_gen_int(&r, -2, 2), y0 = difficulty == 1 ? 0 : lm_gen_int(&r, -2, 2);
    lm_rat H[4];
    int rr, cc;
    /* Level 1 (a quadratic) has a constant Hessian; level 2 asks for the
     * Hessian of a cubic as expressions; level 3 for its value at a point. */
    bool symbolic = difficulty == 2;
    lm_buf hs = LM_BUF_INIT;
    lm_buf_printf(&prog, "subs(hessian(%s, [x, y]), [x, y], [%lld, %lld])", f.s, (long long)x0, (long long)y0);
    bool ok = latex_of(f.s, &fl, err) && eval_mat(prog.s, H, 4, &rr, &cc, &ans, &al, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "hessian(%s, [x, y])", f.s);
    ok = ok && lm_gen_eval_expr(prog.s, &hs, &hl, err);
    if (ok) {
        if (difficulty == 1)
            lm_gen_prompt(p, "Find the Hessian matrix $H$ of $f(x, y) = %s$.\n\nGive the matrix as `[a b; c d]`.", fl.s);
        else if (symbolic)
            lm_gen_prompt(p, "Find the Hessian matrix $H$ of $f(x, y) = %s$ as a function of $x$ and $y$.\n\nGive the "
                             "matrix as `[a, b; c, d]`, writing products with `*` (`6*x`).",
                          fl.s);
        else
            lm_gen_prompt(p, "Find the Hessian matrix $H$ of $f(x, y) = %s$ at $(x, y) = (%lld, %lld)$.\n\nGive the matrix as `[a b; c d]`.",
                          fl.s, (long long)x0, (long long)y0);
        if (symbolic) {
            lm_gen_answer(p, LM_ANS_MATRIX, "%s", hs.s);
            p->spec.vars = lm_strdup("x,y");
        } else {
            lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
        }
        lm_gen_hint(p, "The Hessian holds the second partial derivatives: $\\begin{bmatrix} f_{xx} & f_{xy} \\\\ f_{yx} & f_{yy} \\end{bmatrix}$.");
        lm_gen_hint(p, "Differentiate twice: first the gradient, then each of its entries in $x$ and in $y$. The mixed partials $f_{xy}$ and $f_{yx}$ agree.");
        lm_gen_hint(p, "Watch the factors the power rule brings down: $\\frac{\\partial^2}{\\partial x^2} x^2 = 2$, not 1%s.",
                    symbolic || difficulty == 1 ? "" : "; substitute the point at the end");
        ok = lm_gen_stepsf(p, "First the gradient:", err, "steps(grad(%s, [x, y]))", f.s);
        if (ok) {
            lm_buf_printf(&tmp, "H = %s", hl.s);
            lm_gen_step(p, tmp.s, "Differentiate each entry of the gradient again, in $x$ (first column) and in $y$ (second column).");
            if (difficulty > 1 && !symbolic) {
                lm_buf_reset(&tmp);
                lm_buf_printf(&tmp, "H(%lld, %lld) = %s", (long long)x0, (long long)y0, al.s);
                lm_gen_step(p, tmp.s, "Substitute $x = %lld$ and $y = %lld$.", (long long)x0, (long long)y0);
            }
            /* The factor 2 of the power rule lost on the diagonal (of the numbers). */
            if (!symbolic && H[0].p % 2 == 0 && H[3].p % 2 == 0 && (H[0].p || H[3].p)) {
                lm_rat W[4] = {lm_gen_rat(H[0].p, 2 * H[0].q), H[1], H[2], lm_gen_rat(H[3].p, 2 * H[3].q)};
                lm_buf_reset(&tmp);
                lm_gen_put_rmat(&tmp, W, 2, 2);
                lm_gen_mis(p, "forgot-factor", tmp.s, "The diagonal is too small by a factor 2: the second derivative of c·x^2 is 2c.");
            }
        }
    }
    lm_buf_free(&f);
    lm_buf_free(&fl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&al);
    lm_buf_free(&hl);
    lm_buf_free(&hs);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- gradient-descent-step ---- */

static void put_rat_decimal(lm_buf *b, lm_rat x) { lm_gen_put_num(b, (double)x.p / (double)x.q); }

static bool gen_gradient_descent_step(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/gradient-descent-step", seed, difficulty);
    static const int64_t lrs[][2] = {{1, 10}, {1, 4}, {1, 2}, {1, 5}, {1, 20}};
    size_t li = lm_gen_index(&r, difficulty == 1 ? 1 : 5);
    lm_rat lr = lm_gen_rat(lrs[li][0], lrs[li][1]);
    lm_buf f = LM_BUF_INIT, fl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT, w = LM_BUF_INIT;
    lm_gen_put_term(&f, lm_gen_int(&r, 1, 3), "x^2", true);
    if (difficulty == 3) lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -2, 2), "x*y", false);
    lm_gen_put_term(&f, lm_gen_int(&r, 1, 3), "y^2", false);
    lm_gen_put_term(&f, lm_gen_int(&r, -4, 4), "x", false);
    if (difficulty > 1) lm_gen_put_term(&f, lm_gen_int(&r, -4, 4), "y", false);
    int64_t x0 = lm_gen_int(&r, -3, 3), y0 = lm_gen_int(&r, -3, 3);
    lm_rat g[2];
    int rr, cc;
    lm_buf_printf(&prog, "subs(grad(%s, [x, y]), [x, y], [%lld, %lld])", f.s, (long long)x0, (long long)y0);
    bool ok = latex_of(f.s, &fl, err) && lm_gen_eval_rmat(prog.s, g, 2, &rr, &cc, err);
    if (ok) {
        lm_rat x1[2], wrong[2];
        int64_t xy0[2] = {x0, y0};
        for (int i = 0; i < 2; i++) {
            x1[i] = lm_gen_rat_sub(lm_gen_rat(xy0[i], 1), lm_gen_rat_mul(lr, g[i]));
            wrong[i] = lm_gen_rat_add(lm_gen_rat(xy0[i], 1), lm_gen_rat_mul(lr, g[i]));
        }
        lm_buf lrs_text = LM_BUF_INIT;
        put_rat_decimal(&lrs_text, lr);
        lm_buf_puts(&ans, "[");
        put_rat_decimal(&ans, x1[0]);
        lm_buf_puts(&ans, "; ");
        put_rat_decimal(&ans, x1[1]);
        lm_buf_puts(&ans, "]");
        lm_gen_prompt(p, "Take one step of gradient descent on $f(x, y) = %s$ from $(x_0, y_0) = (%lld, %lld)$ with learning rate "
                         "$\\eta = %s$.\n\nGive the new point as `[x; y]` (decimals are fine).",
                      fl.s, (long long)x0, (long long)y0, lrs_text.s);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_gen_hint(p, "Gradient descent moves against the gradient: $\\mathbf{x}_1 = \\mathbf{x}_0 - \\eta \\nabla f(\\mathbf{x}_0)$.");
        lm_gen_hint(p, "Compute $\\nabla f = \\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right)$ and evaluate it at $(%lld, %lld)$.",
                    (long long)x0, (long long)y0);
        lm_gen_hint(p, "Multiply the gradient by $%s$ and subtract it from the starting point, entry by entry.", lrs_text.s);
        ok = lm_gen_stepsf(p, "The gradient:", err, "steps(grad(%s, [x, y]))", f.s);
        if (ok) {
            lm_buf_printf(&tmp, "\\nabla f(%lld, %lld) = ", (long long)x0, (long long)y0);
            lm_gen_put_rmat_latex(&tmp, g, 2, 1);
            lm_gen_step(p, tmp.s, "Evaluate it at the starting point.");
            lm_buf_reset(&tmp);
            lm_buf_printf(&tmp, "\\begin{bmatrix} %lld \\\\ %lld \\end{bmatrix} - %s ", (long long)x0, (long long)y0, lrs_text.s);
            lm_gen_put_rmat_latex(&tmp, g, 2, 1);
            lm_buf_puts(&tmp, " = \\begin{bmatrix} ");
            put_rat_decimal(&tmp, x1[0]);
            lm_buf_puts(&tmp, " \\\\ ");
            put_rat_decimal(&tmp, x1[1]);
            lm_buf_puts(&tmp, " \\end{bmatrix}");
            lm_gen_step(p, tmp.s, "Step against the gradient, scaled by the learning rate.");
            lm_buf_puts(&w, "[");
            put_rat_decimal(&w, wrong[0]);
            lm_buf_puts(&w, "; ");
            put_rat_decimal(&w, wrong[1]);
            lm_buf_puts(&w, "]");
            lm_gen_mis(p, "sign-error", w.s, "You stepped along the gradient, which goes uphill; gradient descent subtracts η·∇f.");
            lm_buf_reset(&w);
            lm_buf_puts(&w, "[");
            put_rat_decimal(&w, lm_gen_rat_sub(lm_gen_rat(x0, 1), g[0]));
            lm_buf_puts(&w, "; ");
            put_rat_decimal(&w, lm_gen_rat_sub(lm_gen_rat(y0, 1), g[1]));
            lm_buf_puts(&w, "]");
            lm_gen_mis(p, "forgot-learning-rate", w.s, "Scale the gradient by the learning rate η before subtracting it.");
        }
        lm_buf_free(&lrs_text);
    }
    lm_buf_free(&f);
    lm_buf_free(&fl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    lm_buf_free(&w);
    return ok;
}

/* ---- sigmoid-derivative ---- */

static bool gen_sigmoid_derivative(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/sigmoid-derivative", seed, difficulty);
    /* Level 1 gives σ(z) = m/100 directly; levels 2 and 3 give z = ln(a/b), which
     * makes σ(z) = a/(a + b) exactly, so σ'(z) is a fraction. */
    int64_t na = lm_gen_int(&r, 1, 9), nb = lm_gen_int(&r, 1, 9), xin = difficulty == 3 ? lm_gen_int_nonzero(&r, -4, 5) : 1;
    lm_rat kk = lm_gen_rat(na, nb);
    int64_t k = kk.p, kq = kk.q;
    lm_rat s = difficulty == 1 ? lm_gen_rat(lm_gen_int(&r, 5, 95), 100) : lm_gen_rat(k, k + kq);
    lm_rat ds = lm_gen_rat_mul(s, lm_gen_rat_sub(lm_gen_rat(1, 1), s));
    lm_rat ans = lm_gen_rat_mul(ds, lm_gen_rat(xin, 1));
    lm_buf zt = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT, d = LM_BUF_INIT, dl = LM_BUF_INIT;
    lm_buf kl = LM_BUF_INIT;
    if (kq == 1) lm_buf_printf(&kl, "%lld", (long long)k);
    else lm_buf_printf(&kl, "\\frac{%lld}{%lld}", (long long)k, (long long)kq);
    if (difficulty == 1) {
        lm_buf_printf(&zt, "\\sigma(z) = ");
        lm_gen_put_num(&zt, (double)s.p / (double)s.q);
    } else {
        lm_buf_printf(&zt, "z = \\ln %s", kl.s);
    }
    /* The engine's σ(z) at this z, as a check on the exact fraction. */
    double sig;
    if (difficulty == 1) lm_buf_printf(&prog, "sigmoid(log(%lld/%lld))", (long long)s.p, (long long)(s.q - s.p));
    else lm_buf_printf(&prog, "sigmoid(log(%lld/%lld))", (long long)k, (long long)kq);
    bool ok = lm_gen_eval_num(prog.s, &sig, err) && lm_gen_eval_expr("diff(sigmoid(z), z)", &d, &dl, err);
    if (ok && (sig - (double)s.p / (double)s.q > 1e-12 || (double)s.p / (double)s.q - sig > 1e-12)) {
        lm_err_set(err, LM_ERR_INTERNAL, "sigmoid-derivative: the engine's sigmoid disagrees with %lld/%lld", (long long)s.p, (long long)s.q);
        ok = false;
    }
    if (ok) {
        if (difficulty == 3)
            lm_gen_prompt(p, "A neuron computes $a = \\sigma(w x + b)$ with $\\sigma(t) = \\frac{1}{1 + e^{-t}}$. At input $x = %lld$ the "
                             "pre-activation is $w x + b = \\ln %s$. Find $\\frac{\\partial a}{\\partial w}$.\n\nGive a number "
                             "(a fraction such as `3/16` or a decimal).",
                          (long long)xin, kl.s);
        else
            lm_gen_prompt(p, "For the sigmoid $\\sigma(z) = \\frac{1}{1 + e^{-z}}$, find $\\sigma'(z)$ when $%s$.\n\nGive a number "
                             "(a fraction such as `3/16` or a decimal).",
                          zt.s);
        lm_gen_put_rat(&tmp, ans);
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", tmp.s);
        p->spec.probability = false;
        lm_gen_hint(p, "The sigmoid has a famous derivative: $\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))$.");
        if (difficulty == 1) lm_gen_hint(p, "You already know $\\sigma(z)$; you do not need $z$ itself.");
        else lm_gen_hint(p, "With $z = \\ln \\frac{a}{b}$, $e^{-z} = \\frac{b}{a}$, so $\\sigma(z) = \\frac{a}{a + b}$.");
        lm_gen_hint(p, "%s", difficulty == 3 ? "By the chain rule $\\frac{\\partial a}{\\partial w} = \\sigma'(wx + b) \\cdot x$."
                                             : "Multiply $\\sigma(z)$ by $1 - \\sigma(z)$.");
        lm_gen_step(p, dl.s, "The engine's derivative of the sigmoid, which is $\\sigma(z)(1 - \\sigma(z))$: `%s`.", d.s);
        lm_buf_reset(&tmp);
        lm_buf_puts(&tmp, "\\sigma = ");
        lm_gen_put_rat_latex(&tmp, s);
        lm_buf_puts(&tmp, ", \\quad \\sigma(1 - \\sigma) = ");
        lm_gen_put_rat_latex(&tmp, ds);
        lm_gen_step(p, tmp.s, "Put in the value of the sigmoid.");
        if (difficulty == 3) {
            lm_buf_reset(&tmp);
            lm_buf_puts(&tmp, "\\frac{\\partial a}{\\partial w} = ");
            lm_gen_put_rat_latex(&tmp, ds);
            lm_buf_printf(&tmp, " \\cdot %lld = ", (long long)xin);
            lm_gen_put_rat_latex(&tmp, ans);
            lm_gen_step(p, tmp.s, "Multiply by the inner derivative $\\frac{\\partial (wx + b)}{\\partial w} = x = %lld$.", (long long)xin);
            lm_buf_reset(&tmp);
            lm_gen_put_rat(&tmp, ds);
            lm_gen_mis(p, "chain-rule-factor", tmp.s, "That is σ'(wx + b); the chain rule multiplies it by the derivative of wx + b in w, which is x.");
        }
        lm_buf_reset(&tmp);
        lm_gen_put_rat(&tmp, lm_gen_rat_mul(s, lm_gen_rat(xin, 1)));
        lm_gen_mis(p, "gave-sigmoid", tmp.s, "That uses σ(z) itself; the derivative is σ(z)·(1 - σ(z)).");
    }
    lm_buf_free(&zt);
    lm_buf_free(&kl);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    lm_buf_free(&d);
    lm_buf_free(&dl);
    return ok;
}

/* ---- softmax ---- */

static bool gen_softmax(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "multicalc/softmax", seed, difficulty);
    /* z_i = ln a_i (+ c at level 3) makes e^{z_i} proportional to a_i. */
    int n = difficulty == 1 ? 2 : 3;
    int64_t a[3], c = difficulty == 3 ? lm_gen_int_nonzero(&r, -3, 3) : 0, sum = 0;
    for (int i = 0; i < n; i++) sum += a[i] = lm_gen_int(&r, 1, 8);
    lm_buf zl = LM_BUF_INIT, zs = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_rat q[3], e[3];
    for (int i = 0; i < n; i++) {
        q[i] = lm_gen_rat(a[i], sum);
        e[i] = lm_gen_rat(a[i], 1);
        lm_buf_printf(&zl, "%s", i ? ", " : "");
        if (a[i] == 1 && c) lm_buf_printf(&zl, "%lld", (long long)c);
        else if (a[i] == 1) lm_buf_puts(&zl, "0");
        else if (c) lm_buf_printf(&zl, "\\ln %lld %s %lld", (long long)a[i], c < 0 ? "-" : "+", (long long)(c < 0 ? -c : c));
        else lm_buf_printf(&zl, "\\ln %lld", (long long)a[i]);
        lm_buf_printf(&zs, "%slog(%lld) + (%lld)", i ? " " : "[", (long long)a[i], (long long)c);
    }
    lm_buf_puts(&zs, "]");
    /* The engine's softmax of the same z, as a check on the fractions. */
    lm_value v;
    lm_buf_printf(&prog, "z = %s; exp(z) / sum(exp(z))", zs.s);
    bool ok = lm_gen_eval(prog.s, &v, err);
    if (ok) {
        const lm_tensor *t = lm_tensor_of(v);
        for (int i = 0; i < n && ok; i++) {
            double x = t->data[lm_tensor_offset(t, i)], y = (double)q[i].p / (double)q[i].q;
            if (x - y > 1e-9 || y - x > 1e-9) ok = false;
        }
        lm_release(v);
        if (!ok) lm_err_set(err, LM_ERR_INTERNAL, "softmax: the engine disagrees with the exact fractions");
    }
    if (ok) {
        lm_gen_put_rmat(&ans, q, 1, n);
        lm_gen_prompt(p, "Compute $\\text{softmax}(\\mathbf{z})$ for $\\mathbf{z} = (%s)$.\n\nGive the vector as `[p1 p2%s]`; "
                         "fractions such as `1/6` or decimals to three places are fine.",
                      zl.s, n == 3 ? " p3" : "");
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        p->spec.tol = 1e-3;
        lm_gen_hint(p, "$\\text{softmax}(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}$: exponentiate, then divide by the total.");
        lm_gen_hint(p, "$e^{\\ln a} = a$%s.", c ? ", and adding the same number to every $z_i$ does not change the softmax" : "");
        lm_gen_hint(p, "The exponentials are proportional to whole numbers here; divide each by their sum.");
        lm_buf_reset(&tmp);
        lm_buf_puts(&tmp, "e^{\\mathbf{z}}\\text{ is proportional to } ");
        lm_gen_put_rmat_latex(&tmp, e, 1, n);
        lm_gen_step(p, tmp.s, "Exponentiate each entry: $e^{\\ln a} = a$%s.",
                    c ? "; the common shift multiplies every exponential by the same $e^c$, which cancels when dividing" : "");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "\\text{softmax}(\\mathbf{z}) = \\frac{1}{%lld} ", (long long)sum);
        lm_gen_put_rmat_latex(&tmp, e, 1, n);
        lm_buf_puts(&tmp, " = ");
        lm_gen_put_rmat_latex(&tmp, q, 1, n);
        lm_gen_step(p, tmp.s, "Divide by their sum, %lld, so the entries add up to 1.", (long long)sum);
        lm_buf_reset(&tmp);
        lm_gen_put_rmat(&tmp, e, 1, n);
        lm_gen_mis(p, "forgot-normalise", tmp.s, "Those are the exponentials; divide each by their sum so that the probabilities add up to 1.");
    }
    lm_buf_free(&zl);
    lm_buf_free(&zs);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    return ok;
}

const lm_skill_def lm_skills_multicalc[] = {
    {"multicalc/partial-derivative", "A partial derivative", gen_partial_derivative},
    {"multicalc/jacobian", "The Jacobian of a map from R² to R²", gen_jacobian},
    {"multicalc/hessian", "The Hessian of a function of two variables", gen_hessian},
    {"multicalc/gradient-descent-step", "One step of gradient descent", gen_gradient_descent_step},
    {"multicalc/sigmoid-derivative", "The sigmoid and its derivative", gen_sigmoid_derivative},
    {"multicalc/softmax", "Softmax of a small vector", gen_softmax},
    {NULL, NULL, NULL},
};
