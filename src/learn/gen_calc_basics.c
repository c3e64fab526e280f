/* Exercise generators for calc-basics: slopes, the power, product, quotient
 * and chain rules, and the gradient. Functions are built from templates with
 * small integer coefficients; the derivative, its LaTeX and the worked solution
 * all come from the engine (diff and steps(diff(...))). */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* f in lemma syntax → the prompt's LaTeX, as the engine writes it. */
static bool latex_of(const char *f, lm_buf *latex, lm_err *err) { return lm_gen_eval_expr(f, NULL, latex, err); }

/* Adds a misconception whose answer is what the engine makes of `program`. */
static bool mis_expr(lm_problem *p, const char *id, const char *program, const char *feedback, lm_err *err) {
    lm_buf t = LM_BUF_INIT;
    bool ok = lm_gen_eval_expr(program, &t, NULL, err);
    if (ok) lm_gen_mis(p, id, t.s, "%s", feedback);
    lm_buf_free(&t);
    return ok;
}

/* The common part of "differentiate f": prompt, reference, steps. `rule` names
 * the rule for the prompt ("Use the product rule."), may be "". */
static bool derivative_problem(lm_problem *p, const char *f, const char *rule, const char *domain, lm_err *err) {
    lm_buf fl = LM_BUF_INIT, d = LM_BUF_INIT, prog = LM_BUF_INIT;
    bool ok = latex_of(f, &fl, err);
    lm_buf_printf(&prog, "diff(%s, x)", f);
    ok = ok && lm_gen_eval_expr(prog.s, &d, NULL, err);
    if (ok) {
        lm_gen_prompt(p, "Differentiate $f(x) = %s$ with respect to $x$.%s%s\n\nGive $f'(x)$ as an expression in `x`, "
                         "for example `3*x^2 + 2*x`.",
                      fl.s, *rule ? " " : "", rule);
        lm_gen_answer(p, LM_ANS_EXPRESSION, "%s", d.s);
        p->spec.vars = lm_strdup("x");
        if (domain) p->spec.domain = lm_strdup(domain);
        ok = lm_gen_stepsf(p, "So the derivative is:", err, "steps(diff(%s, x))", f);
    }
    lm_buf_free(&fl);
    lm_buf_free(&d);
    lm_buf_free(&prog);
    return ok;
}

/* ---- slope-at-point ---- */

static bool gen_slope_at_point(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/slope-at-point", seed, difficulty);
    lm_buf f = LM_BUF_INIT, fl = LM_BUF_INIT, prog = LM_BUF_INIT, d = LM_BUF_INIT, tmp = LM_BUF_INIT;
    int64_t a;
    if (difficulty == 1) {
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 4), "x^2", true);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "x", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "", false);
        a = lm_gen_int(&r, -3, 3);
    } else if (difficulty == 2) {
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -2, 2), "x^3", true);
        lm_gen_put_term(&f, lm_gen_int(&r, -4, 4), "x^2", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -6, 6), "x", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "", false);
        a = lm_gen_int(&r, -3, 3);
    } else {
        /* A 1/x term: the slope is a fraction and the power rule meets a negative power. */
        int64_t c = lm_gen_int_nonzero(&r, -4, 4);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 3), "x^2", true);
        lm_buf_printf(&f, " %s %lld/x", c < 0 ? "-" : "+", (long long)(c < 0 ? -c : c));
        a = lm_gen_int_nonzero(&r, -3, 3);
    }
    double slope, value;
    lm_buf_printf(&prog, "subs(diff(%s, x), x, %lld)", f.s, (long long)a);
    bool ok = latex_of(f.s, &fl, err) && lm_gen_eval_num(prog.s, &slope, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "subs(%s, x, %lld)", f.s, (long long)a);
    ok = ok && lm_gen_eval_num(prog.s, &value, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "diff(%s, x)", f.s);
    ok = ok && lm_gen_eval_expr(prog.s, &d, NULL, err);
    int64_t den = a != 0 ? a * a : 1;
    lm_rat exact = lm_gen_rat((int64_t)llround(slope * (double)den), den);
    if (ok && fabs((double)exact.p / (double)exact.q - slope) > 1e-9) {
        lm_err_set(err, LM_ERR_INTERNAL, "slope-at-point: the slope %g is not a fraction over %lld", slope, (long long)den);
        ok = false;
    }
    if (ok) {
        lm_gen_prompt(p, "What is the slope of the tangent line to $f(x) = %s$ at $x = %lld$?\n\nGive a single number%s.", fl.s,
                      (long long)a, difficulty == 3 ? " (a fraction such as `7/4` or a decimal)" : "");
        /* f' has whole coefficients plus -c/x^2, so a^2·f'(a) is whole: the slope as an exact fraction. */
        lm_buf_reset(&tmp);
        lm_gen_put_rat(&tmp, exact);
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", tmp.s);
        lm_gen_hint(p, "The slope of the tangent at a point is the derivative there.");
        lm_gen_hint(p, "Differentiate term by term with the power rule $\\frac{d}{dx} x^n = n x^{n-1}$%s.",
                    difficulty == 3 ? " (write $1/x$ as $x^{-1}$)" : "");
        lm_gen_hint(p, "Find $f'(x)$ first, then substitute $x = %lld$ into $f'(x)$, not into $f(x)$.", (long long)a);
        ok = lm_gen_stepsf(p, "The derivative is:", err, "steps(diff(%s, x))", f.s);
    }
    if (ok) {
        lm_buf_reset(&tmp);
        lm_gen_put_rat_latex(&tmp, exact);
        char latex[96];
        snprintf(latex, sizeof latex, "f'(%lld) = %s", (long long)a, tmp.s);
        lm_gen_step(p, latex, "Substitute $x = %lld$ into $f'(x) = %s$.", (long long)a, d.s);
        lm_buf_reset(&tmp);
        lm_gen_put_num(&tmp, value);
        lm_gen_mis(p, "value-not-slope", tmp.s, "That is the value f(a) of the function; the slope is the derivative f'(a).");
    }
    lm_buf_free(&f);
    lm_buf_free(&fl);
    lm_buf_free(&prog);
    lm_buf_free(&d);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- power-rule ---- */

static bool gen_power_rule(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/power-rule", seed, difficulty);
    lm_buf f = LM_BUF_INIT, w1 = LM_BUF_INIT, w2 = LM_BUF_INIT;
    const char *domain = NULL;
    if (difficulty == 1) {
        int64_t c = lm_gen_int(&r, 1, 9), n = lm_gen_int(&r, 2, 7);
        lm_gen_put_term(&f, c, "", true);
        lm_buf_printf(&f, "*x^%lld", (long long)n);
        lm_buf_printf(&w1, "%lld*x^%lld", (long long)(c * n), (long long)n);
        lm_buf_printf(&w2, "%lld*x^%lld", (long long)c, (long long)(n - 1));
    } else if (difficulty == 2) {
        int64_t n = lm_gen_int(&r, 3, 6), m = lm_gen_int(&r, 2, n - 1);
        int64_t a = lm_gen_int_nonzero(&r, -5, 6), b = lm_gen_int_nonzero(&r, -6, 6), k = lm_gen_int_nonzero(&r, -9, 9);
        char t1[16], t2[16];
        snprintf(t1, sizeof t1, "x^%lld", (long long)n);
        snprintf(t2, sizeof t2, "x^%lld", (long long)m);
        lm_gen_put_term(&f, a, t1, true);
        lm_gen_put_term(&f, b, t2, false);
        lm_gen_put_term(&f, k, "x", false);
        int64_t k0 = lm_gen_int_nonzero(&r, -9, 9);
        lm_gen_put_term(&f, k0, "", false);
        /* the constant kept: d/dx of a constant taken as the constant itself */
        lm_buf_printf(&w1, "diff(%s, x) + (%lld)", f.s, (long long)k0);
        lm_buf_printf(&w2, "%lld*x^%lld", (long long)a, (long long)(n - 1));
    } else {
        /* Negative and fractional powers: c/x^n and c*sqrt(x). */
        int64_t c = lm_gen_int(&r, 2, 15);
        if (lm_gen_int(&r, 0, 3) != 0) {
            int64_t n = lm_gen_int(&r, 1, 5);
            lm_buf_printf(&f, "%lld/x^%lld", (long long)c, (long long)n);
            lm_buf_printf(&w1, "-%lld/x^%lld", (long long)(c * n), (long long)(n - 1)); /* n - 1 instead of n + 1 */
            lm_buf_printf(&w2, "%lld/x^%lld", (long long)(c * n), (long long)(n + 1));  /* lost the minus sign */
        } else {
            lm_buf_printf(&f, "%lld*sqrt(x)", (long long)(2 * c));
            lm_buf_printf(&w1, "%lld*sqrt(x)", (long long)c); /* halved without lowering the power */
            lm_buf_printf(&w2, "%lld*x^(3/2)/3", (long long)(4 * c)); /* raised the power instead */
            domain = "positive";
        }
    }
    bool ok = derivative_problem(p, f.s, "", domain, err);
    if (ok) {
        lm_gen_hint(p, "Differentiate term by term; a constant term has derivative $0$.");
        lm_gen_hint(p, "The power rule: $\\frac{d}{dx} x^n = n x^{n-1}$%s.",
                    difficulty == 3 ? "; it holds for negative and fractional $n$ too ($\\frac{1}{x^n} = x^{-n}$, $\\sqrt{x} = x^{1/2}$)" : "");
        lm_gen_hint(p, "Bring the power down as a factor, then lower the power by one.");
        if (difficulty == 2) {
            ok = mis_expr(p, "kept-constant", w1.s, "The constant term has derivative 0: drop it.", err);
        } else {
            ok = mis_expr(p, "off-by-one-power", w1.s,
                          difficulty == 1 ? "Lower the power by one after bringing it down: d/dx x^n = n·x^(n-1)."
                                          : "Check the new power: it is n - 1 with the negative or fractional n.", err);
        }
        ok = ok && mis_expr(p, difficulty == 3 ? "sign-error" : "forgot-factor", w2.s,
                            difficulty == 3 ? "Check the sign and the power: d/dx x^n = n·x^(n-1), and n may be negative or a fraction."
                                            : "Bring the power down as a factor: d/dx x^n = n·x^(n-1).", err);
    }
    lm_buf_free(&f);
    lm_buf_free(&w1);
    lm_buf_free(&w2);
    return ok;
}

/* ---- product-rule ---- */

static bool gen_product_rule(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/product-rule", seed, difficulty);
    static const char *const trig_exp[] = {"sin(x)", "cos(x)", "exp(x)"};
    lm_buf u = LM_BUF_INIT, v = LM_BUF_INIT, f = LM_BUF_INIT, w = LM_BUF_INIT;
    const char *domain = NULL;
    if (difficulty == 1) {
        int64_t c = lm_gen_int(&r, 1, 9);
        if (c == 1) lm_buf_printf(&u, "x^%lld", (long long)lm_gen_int(&r, 2, 5));
        else lm_buf_printf(&u, "%lld*x^%lld", (long long)c, (long long)lm_gen_int(&r, 2, 5));
        lm_buf_puts(&v, trig_exp[lm_gen_index(&r, 3)]);
    } else if (difficulty == 2) {
        int64_t a = lm_gen_int(&r, 2, 6), b = lm_gen_int_nonzero(&r, -7, 7);
        lm_buf_printf(&u, "(%lld*x %s %lld)", (long long)a, b < 0 ? "-" : "+", (long long)(b < 0 ? -b : b));
        if (lm_gen_coin(&r)) lm_buf_puts(&v, trig_exp[lm_gen_index(&r, 3)]);
        else lm_buf_printf(&v, "(x^2 + %lld)", (long long)lm_gen_int(&r, 1, 9));
    } else {
        switch (lm_gen_index(&r, 3)) {
        case 0:
            lm_gen_put_term(&u, lm_gen_int(&r, 1, 9), "", true);
            lm_buf_printf(&u, "*x^%lld", (long long)lm_gen_int(&r, 2, 5));
            lm_buf_puts(&v, "log(x)");
            domain = "positive";
            break;
        case 1:
            lm_buf_printf(&u, "%lld*exp(x)", (long long)lm_gen_int(&r, 2, 12));
            lm_buf_puts(&v, lm_gen_coin(&r) ? "sin(x)" : "cos(x)");
            break;
        default:
            lm_gen_put_term(&u, lm_gen_int(&r, 1, 9), "", true);
            lm_buf_printf(&u, "*x^%lld", (long long)lm_gen_int(&r, 2, 4));
            lm_buf_puts(&v, "sqrt(x)");
            domain = "positive";
            break;
        }
    }
    lm_buf_printf(&f, "%s*%s", u.s, v.s);
    bool ok = derivative_problem(p, f.s, "Use the product rule.", domain, err);
    if (ok) {
        lm_gen_hint(p, "Write $f = u \\cdot v$ with $u = %s$ and $v = %s$.", u.s, v.s);
        lm_gen_hint(p, "Find $u'$ and $v'$ separately first.");
        lm_gen_hint(p, "The product rule: $(uv)' = u'v + uv'$ — two terms, each with one factor differentiated.");
        lm_buf_printf(&w, "diff(%s, x)*diff(%s, x)", u.s, v.s);
        ok = mis_expr(p, "product-of-derivatives", w.s,
                      "The derivative of a product is not the product of the derivatives: (uv)' = u'v + uv'.", err);
        lm_buf_reset(&w);
        lm_buf_printf(&w, "diff(%s, x)*%s", u.s, v.s);
        ok = ok && mis_expr(p, "missing-term", w.s, "That is only u'v; the product rule has a second term, uv'.", err);
    }
    lm_buf_free(&u);
    lm_buf_free(&v);
    lm_buf_free(&f);
    lm_buf_free(&w);
    return ok;
}

/* ---- quotient-rule ---- */

static bool gen_quotient_rule(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/quotient-rule", seed, difficulty);
    lm_buf u = LM_BUF_INIT, v = LM_BUF_INIT, f = LM_BUF_INIT, w = LM_BUF_INIT;
    const char *domain = NULL;
    if (difficulty == 1) {
        lm_buf_printf(&u, "x");
        lm_buf_printf(&v, "(x + %lld)", (long long)lm_gen_int(&r, 1, 9));
        if (lm_gen_coin(&r)) {
            lm_buf_reset(&u);
            lm_buf_printf(&u, "%lld", (long long)lm_gen_int(&r, 2, 9));
        }
    } else if (difficulty == 2) {
        int64_t a, b, c, d;
        do {
            a = lm_gen_int(&r, 1, 5);
            b = lm_gen_int_nonzero(&r, -5, 5);
            c = lm_gen_int(&r, 1, 4);
            d = lm_gen_int_nonzero(&r, -5, 5);
        } while (a * d == b * c); /* otherwise f is a constant */
        lm_buf_printf(&u, "(%lld*x %s %lld)", (long long)a, b < 0 ? "-" : "+", (long long)(b < 0 ? -b : b));
        lm_buf_printf(&v, "(%lld*x %s %lld)", (long long)c, d < 0 ? "-" : "+", (long long)(d < 0 ? -d : d));
    } else {
        switch (lm_gen_index(&r, 3)) {
        case 0:
            lm_buf_printf(&u, "%lld*%s", (long long)lm_gen_int(&r, 1, 9), lm_gen_coin(&r) ? "sin(x)" : "cos(x)");
            lm_buf_printf(&v, "x^%lld", (long long)lm_gen_int(&r, 1, 3));
            break;
        case 1:
            lm_buf_puts(&u, "exp(x)");
            lm_buf_printf(&v, "(x^2 + %lld)", (long long)lm_gen_int(&r, 1, 9));
            break;
        default:
            lm_buf_printf(&u, "%lld*x", (long long)lm_gen_int(&r, 1, 6));
            lm_buf_printf(&v, "(x^2 + %lld)", (long long)lm_gen_int(&r, 1, 9));
            break;
        }
        domain = NULL;
    }
    lm_buf_printf(&f, "%s/%s", u.s, v.s);
    bool ok = derivative_problem(p, f.s, "Use the quotient rule.", domain, err);
    if (ok) {
        lm_gen_hint(p, "Write $f = u / v$ with $u = %s$ and $v = %s$, and find $u'$ and $v'$.", u.s, v.s);
        lm_gen_hint(p, "The quotient rule: $\\left(\\frac{u}{v}\\right)' = \\frac{u'v - uv'}{v^2}$; the order in the numerator matters.");
        lm_gen_hint(p, "Put $u'$, $v'$, $u$ and $v$ into the rule, then simplify the numerator.");
        lm_buf_printf(&w, "(%s*diff(%s, x) - diff(%s, x)*%s)/%s^2", u.s, v.s, u.s, v.s, v.s);
        ok = mis_expr(p, "sign-error", w.s, "The numerator is the wrong way round: it is u'v - uv', so your answer has the opposite sign.", err);
        lm_buf_reset(&w);
        lm_buf_printf(&w, "(diff(%s, x)*%s - %s*diff(%s, x))/%s", u.s, v.s, u.s, v.s, v.s);
        ok = ok && mis_expr(p, "forgot-square", w.s, "The denominator is v squared, not v.", err);
        lm_buf_reset(&w);
        lm_buf_printf(&w, "diff(%s, x)/diff(%s, x)", u.s, v.s);
        ok = ok && mis_expr(p, "quotient-of-derivatives", w.s,
                            "The derivative of a quotient is not the quotient of the derivatives: use (u'v - uv')/v^2.", err);
    }
    lm_buf_free(&u);
    lm_buf_free(&v);
    lm_buf_free(&f);
    lm_buf_free(&w);
    return ok;
}

/* ---- chain-rule ---- */

static bool gen_chain_rule(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/chain-rule", seed, difficulty);
    /* f = outer(inner); `forgot` is the outer derivative at the inner function
     * with the inner derivative left out, the classic slip. */
    lm_buf inner = LM_BUF_INIT, f = LM_BUF_INIT, forgot = LM_BUF_INIT, outer = LM_BUF_INIT;
    int64_t a = lm_gen_int(&r, 2, 5), b = lm_gen_int_nonzero(&r, -6, 6);
    lm_buf_printf(&inner, difficulty == 1 ? "%lld*x %s %lld" : "%lld*x^2 %s %lld", (long long)a, b < 0 ? "-" : "+",
                  (long long)(b < 0 ? -b : b));
    size_t kind = lm_gen_index(&r, 3);
    if (difficulty == 1 || (difficulty == 2 && kind == 0)) {
        int64_t n = lm_gen_int(&r, 2, 5);
        lm_buf_printf(&f, "(%s)^%lld", inner.s, (long long)n);
        lm_buf_printf(&forgot, "%lld*(%s)^%lld", (long long)n, inner.s, (long long)(n - 1));
        lm_buf_printf(&outer, "u^%lld", (long long)n);
    } else if (difficulty == 2) {
        const char *fn = kind == 1 ? (lm_gen_coin(&r) ? "sin" : "cos") : "exp";
        lm_buf_printf(&f, "%s(%s)", fn, inner.s);
        lm_buf_printf(&forgot, "diff(%s(u), u)", fn);
        lm_buf_printf(&outer, "%s(u)", fn);
    } else {
        /* Three layers: the twist is a second inner function. */
        switch (kind) {
        case 0:
            lm_buf_printf(&f, "sin(%s)^2", inner.s);
            lm_buf_printf(&forgot, "2*sin(%s)*cos(%s)", inner.s, inner.s);
            lm_buf_puts(&outer, "u^2 with u = sin(w)");
            break;
        case 1:
            a = lm_gen_int(&r, 2, 12); /* the inner polynomial is not used here: widen the choice */
            lm_buf_printf(&f, "exp(sin(%lld*x))", (long long)a);
            lm_buf_printf(&forgot, "exp(sin(%lld*x))*cos(%lld*x)", (long long)a, (long long)a);
            lm_buf_puts(&outer, "exp(u) with u = sin(w)");
            break;
        default:
            a = lm_gen_int(&r, 1, 12);
            lm_buf_printf(&f, "(x^2 + %lld)^%lld", (long long)a, (long long)lm_gen_int(&r, 3, 5));
            lm_buf_reset(&forgot);
            break;
        }
    }
    bool ok = true;
    if (forgot.len && !strncmp(forgot.s, "diff(", 5)) {
        /* The outer derivative at u, then u replaced by the inner function. */
        lm_buf t = LM_BUF_INIT, prog = LM_BUF_INIT;
        lm_buf_printf(&prog, "subs(%s, u, %s)", forgot.s, inner.s);
        ok = lm_gen_eval_expr(prog.s, &t, NULL, err);
        lm_buf_reset(&forgot);
        if (ok) lm_buf_puts(&forgot, t.s);
        lm_buf_free(&t);
        lm_buf_free(&prog);
    }
    ok = ok && derivative_problem(p, f.s, "Use the chain rule.", NULL, err);
    if (ok) {
        if (difficulty == 3 && kind == 1)
            lm_gen_hint(p, "There are two layers inside: $\\exp$ of $\\sin$ of $%lldx$.", (long long)a);
        else if (difficulty == 3 && kind == 2)
            lm_gen_hint(p, "Spot the function inside another function: the inside is $x^2 + %lld$.", (long long)a);
        else
            lm_gen_hint(p, "Spot the function inside another function: the inside is $%s$.", inner.s);
        lm_gen_hint(p, "The chain rule: $\\frac{d}{dx} g(h(x)) = g'(h(x)) \\cdot h'(x)$.");
        lm_gen_hint(p, "Differentiate the outside function, keep the inside as it is, then multiply by the derivative of the "
                       "inside%s.", difficulty == 3 ? " — and apply the rule again to the inside if it is itself a composition" : "");
        if (forgot.len)
            ok = mis_expr(p, "chain-rule-factor", forgot.s, "You differentiated the outer function but left out the factor from the inner one (the chain rule multiplies by the inner derivative).", err);
        else {
            lm_buf w = LM_BUF_INIT;
            lm_buf_printf(&w, "diff(u^%s, u)", strrchr(f.s, '^') + 1);
            lm_buf t = LM_BUF_INIT;
            lm_buf_printf(&t, "subs(%s, u, x^2 + %lld)", w.s, (long long)a);
            ok = mis_expr(p, "chain-rule-factor", t.s, "You differentiated the outer power but left out the inner derivative 2x.", err);
            lm_buf_free(&w);
            lm_buf_free(&t);
        }
    }
    lm_buf_free(&inner);
    lm_buf_free(&f);
    lm_buf_free(&forgot);
    lm_buf_free(&outer);
    return ok;
}

/* ---- gradient ---- */

/* Level 2 of the gradient: the vector of partial derivatives itself, as
 * expressions (the checker compares a vector entry by entry, symbolically). */
static bool gradient_symbolic(lm_problem *p, const char *f, const char *fl, lm_err *err) {
    lm_buf prog = LM_BUF_INIT, ans = LM_BUF_INIT, sw = LM_BUF_INIT;
    lm_buf_printf(&prog, "grad(%s, [x, y])", f);
    bool ok = lm_gen_eval_expr(prog.s, &ans, NULL, err);
    if (ok) {
        lm_gen_prompt(p, "Find the gradient $\\nabla f$ of $f(x, y) = %s$ as a function of $x$ and $y$.\n\n"
                         "Give it as a vector `[a; b]` of two expressions, the partial derivative in $x$ first. Write "
                         "products with `*` (`4*x*y`): inside brackets a space separates entries.",
                      fl);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        p->spec.vars = lm_strdup("x,y");
        lm_gen_hint(p, "The gradient is the vector of partial derivatives $\\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right)$.");
        lm_gen_hint(p, "For $\\frac{\\partial f}{\\partial x}$ treat $y$ as a constant; for $\\frac{\\partial f}{\\partial y}$ treat $x$ as a constant.");
        lm_gen_hint(p, "A mixed term differentiates like a constant times a power: $\\frac{\\partial}{\\partial x}(c\\,x y) = c\\,y$.");
        ok = lm_gen_stepsf(p, "So the gradient is:", err, "steps(grad(%s, [x, y]))", f);
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "grad(%s, [y, x])", f);
        ok = lm_gen_eval_expr(prog.s, &sw, NULL, err);
        if (ok) lm_gen_mis(p, "swapped-partials", sw.s, "The entries are in the wrong order: the partial derivative in x comes first.");
    }
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&sw);
    return ok;
}

static bool gen_gradient(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "calc-basics/gradient", seed, difficulty);
    lm_buf f = LM_BUF_INIT, fl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    if (difficulty == 1) {
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 4), "x^2", true);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 4), "y^2", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "x", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "y", false);
    } else if (difficulty == 2) {
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 3), "x^2", true);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -4, 4), "x*y", false);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -3, 3), "y^2", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "y", false);
    } else {
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -2, 3), "x^2*y", true);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -2, 2), "y^3", false);
        lm_gen_put_term(&f, lm_gen_int_nonzero(&r, -4, 4), "x*y", false);
        lm_gen_put_term(&f, lm_gen_int(&r, -5, 5), "x", false);
    }
    int64_t x0 = lm_gen_int(&r, -3, 3), y0 = lm_gen_int(&r, -3, 3);
    lm_rat g[2], sw[2];
    int rr, cc;
    if (difficulty == 2) {
        bool ok = latex_of(f.s, &fl, err) && gradient_symbolic(p, f.s, fl.s, err);
        lm_buf_free(&f);
        lm_buf_free(&fl);
        return ok;
    }
    lm_buf_printf(&prog, "subs(grad(%s, [x, y]), [x, y], [%lld, %lld])", f.s, (long long)x0, (long long)y0);
    bool ok = latex_of(f.s, &fl, err) && lm_gen_eval_rmat(prog.s, g, 2, &rr, &cc, err);
    if (ok) {
        lm_gen_put_rmat(&ans, g, 2, 1);
        lm_gen_put_rmat_latex(&tmp, g, 2, 1);
        lm_gen_prompt(p, "Find the gradient $\\nabla f$ of $f(x, y) = %s$ at the point $(x, y) = (%lld, %lld)$.\n\n"
                         "Give it as a vector `[a; b]`: the partial derivative in $x$ first.",
                      fl.s, (long long)x0, (long long)y0);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_gen_hint(p, "The gradient is the vector of partial derivatives $\\left(\\frac{\\partial f}{\\partial x}, \\frac{\\partial f}{\\partial y}\\right)$.");
        lm_gen_hint(p, "For $\\frac{\\partial f}{\\partial x}$ treat $y$ as a constant; for $\\frac{\\partial f}{\\partial y}$ treat $x$ as a constant.");
        lm_gen_hint(p, "Find both partial derivatives as expressions, then substitute $x = %lld$ and $y = %lld$.", (long long)x0, (long long)y0);
        ok = lm_gen_stepsf(p, "So the gradient as a function of $x$ and $y$ is:", err, "steps(grad(%s, [x, y]))", f.s);
    }
    if (ok) {
        char latex[160];
        snprintf(latex, sizeof latex, "\\nabla f(%lld, %lld) = %s", (long long)x0, (long long)y0, tmp.s);
        lm_gen_step(p, latex, "Substitute $x = %lld$ and $y = %lld$.", (long long)x0, (long long)y0);
        sw[0] = g[1];
        sw[1] = g[0];
        lm_buf_reset(&tmp);
        lm_gen_put_rmat(&tmp, sw, 2, 1);
        lm_gen_mis(p, "swapped-partials", tmp.s, "The entries are in the wrong order: the partial derivative in x comes first.");
        lm_buf_reset(&prog);
        lm_buf_reset(&tmp);
        lm_buf_printf(&prog, "subs(%s, [x, y], [%lld, %lld])", f.s, (long long)x0, (long long)y0);
        double v;
        if ((ok = lm_gen_eval_num(prog.s, &v, err))) {
            lm_gen_put_num(&tmp, v);
            lm_gen_mis(p, "value-not-gradient", tmp.s, "That is the value of f at the point; the gradient is a vector of two partial derivatives.");
        }
    }
    lm_buf_free(&f);
    lm_buf_free(&fl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    return ok;
}

const lm_skill_def lm_skills_calc_basics[] = {
    {"calc-basics/slope-at-point", "The derivative as a slope at a point", gen_slope_at_point},
    {"calc-basics/power-rule", "The power rule", gen_power_rule},
    {"calc-basics/product-rule", "The product rule", gen_product_rule},
    {"calc-basics/quotient-rule", "The quotient rule", gen_quotient_rule},
    {"calc-basics/chain-rule", "The chain rule", gen_chain_rule},
    {"calc-basics/gradient", "The gradient of a function of two variables", gen_gradient},
    {NULL, NULL, NULL},
};
