/* Text and LaTeX for the worked solutions of the exact path: fractions as a
 * learner writes them ("-1/5", \frac{1}{5}), products with their parentheses,
 * linear combinations, polynomials in λ, and matrices (bmatrix, vmatrix, or an
 * augmented [A | b] with its bar). */
#include "exact_int.h"

#include <string.h>

void lm_xfmt_rat(lm_buf *b, lm_rat r) {
    if (r.q == 1) lm_buf_printf(b, "%lld", (long long)r.p);
    else lm_buf_printf(b, "%lld/%lld", (long long)r.p, (long long)r.q);
}

void lm_xfmt_factor(lm_buf *b, lm_rat r) {
    /* 2·(-3) and (1/2)·4: without parentheses "2·-3" and "1/2·4" misread */
    bool paren = r.p < 0 || r.q != 1;
    if (paren) lm_buf_putc(b, '(');
    lm_xfmt_rat(b, r);
    if (paren) lm_buf_putc(b, ')');
}

void lm_xfmt_rat_latex(lm_buf *b, lm_rat r) {
    if (r.q == 1) {
        lm_buf_printf(b, "%lld", (long long)r.p);
        return;
    }
    if (r.p < 0) lm_buf_putc(b, '-');
    lm_buf_printf(b, "\\frac{%lld}{%lld}", (long long)(r.p < 0 ? -r.p : r.p), (long long)r.q);
}

void lm_xfmt_factor_latex(lm_buf *b, lm_rat r) {
    if (r.p < 0) lm_buf_putc(b, '(');
    lm_xfmt_rat_latex(b, r);
    if (r.p < 0) lm_buf_putc(b, ')');
}

void lm_xfmt_term(lm_buf *b, lm_rat c, const char *var, bool first, bool latex) {
    bool neg = c.p < 0;
    lm_rat m = neg ? lm_rat_neg(c) : c;
    if (first) lm_buf_puts(b, neg ? "-" : "");
    else lm_buf_puts(b, neg ? " - " : " + ");
    if (var && lm_rat_is_one(m)) {
        lm_buf_puts(b, var);
        return;
    }
    if (latex) {
        lm_xfmt_rat_latex(b, m);
        if (var) lm_buf_puts(b, var);
        return;
    }
    if (var) {
        lm_xfmt_factor(b, m);
        lm_buf_puts(b, LM_U_DOT);
        lm_buf_puts(b, var);
    } else {
        lm_xfmt_rat(b, m);
    }
}

void lm_xfmt_mat_latex(lm_buf *b, const lm_xmat *m, int split, bool det) {
    if (split > 0 && split < m->c) {
        lm_buf_puts(b, "\\left[\\begin{array}{");
        for (int j = 0; j < m->c; j++) lm_buf_puts(b, j == split ? "|c" : "c");
        lm_buf_puts(b, "}");
    } else {
        lm_buf_puts(b, det ? "\\begin{vmatrix}" : "\\begin{bmatrix}");
    }
    for (int i = 0; i < m->r; i++) {
        if (i) lm_buf_puts(b, " \\\\ ");
        for (int j = 0; j < m->c; j++) {
            if (j) lm_buf_puts(b, " & ");
            lm_xfmt_rat_latex(b, m->a[i][j]);
        }
    }
    if (split > 0 && split < m->c) lm_buf_puts(b, "\\end{array}\\right]");
    else lm_buf_puts(b, det ? "\\end{vmatrix}" : "\\end{bmatrix}");
}

void lm_xfmt_mat_text(lm_buf *b, const lm_xmat *m) {
    lm_buf_putc(b, '[');
    for (int i = 0; i < m->r; i++) {
        if (i) lm_buf_puts(b, "; ");
        for (int j = 0; j < m->c; j++) {
            if (j) lm_buf_putc(b, ' ');
            lm_xfmt_rat(b, m->a[i][j]);
        }
    }
    lm_buf_putc(b, ']');
}

void lm_xfmt_double(lm_buf *b, double x) {
    char s[40];
    lm_fmt_double_sig(s, x, 5);
    lm_buf_puts(b, s);
}

void lm_xfmt_poly(lm_buf *b, const lm_rat *c, int deg, bool latex) {
    static const char *const sup_text[] = {"", "", LM_U_SQ, LM_U_CUBE};
    bool first = true;
    for (int k = deg; k >= 0; k--) {
        if (lm_rat_is_zero(c[k])) continue;
        bool neg = c[k].p < 0;
        lm_rat m = neg ? lm_rat_neg(c[k]) : c[k];
        lm_buf_puts(b, first ? (neg ? "-" : "") : (neg ? " - " : " + "));
        first = false;
        if (k == 0 || !lm_rat_is_one(m)) {
            if (latex) lm_xfmt_rat_latex(b, m);
            else if (k > 0) lm_xfmt_factor(b, m); /* (1/2)λ, not 1/2λ */
            else lm_xfmt_rat(b, m);
        }
        if (k == 0) continue;
        if (latex) {
            lm_buf_puts(b, "\\lambda");
            if (k > 1) lm_buf_printf(b, "^{%d}", k);
        } else {
            lm_buf_puts(b, LM_U_LAMBDA);
            if (k < 4) lm_buf_puts(b, sup_text[k]);
            else lm_buf_printf(b, "^%d", k);
        }
    }
    if (first) lm_buf_putc(b, '0');
}
