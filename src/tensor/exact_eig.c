/* Eigenvalues of small exact matrices, worked the way a learner does them: the
 * characteristic polynomial det(A - λI), its roots (quadratic formula with exact
 * surds; a cubic's rational root divided out first, LAPACK on the companion matrix
 * when there is none), and an eigenvector for each from the null space of A - λI. */
#include "exact_int.h"

#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef struct eigval {
    bool exact; /* rational, in r; re/im always hold the numeric value */
    lm_rat r;
    double re, im;
} eigval;

/* ---- small integer helpers ---- */

static int64_t isqrt64(int64_t n) {
    int64_t r = (int64_t)sqrt((double)n), sq;
    while (r > 0 && (__builtin_mul_overflow(r, r, &sq) || sq > n)) r--;
    while (!__builtin_mul_overflow(r + 1, r + 1, &sq) && sq <= n) r++;
    return r;
}

/* n = k²·m with the square factors of n pulled out as far as trial division up
 * to 10^5 finds them (enough for the numbers of a hand-sized problem; what is
 * left is still correct, just not fully simplified). Returns m; n > 0. */
static int64_t squarefree(int64_t n, int64_t *k) {
    *k = 1;
    for (int64_t f = 2; f <= 100000 && f * f <= n; f++)
        while (n % (f * f) == 0) {
            n /= f * f;
            *k *= f;
        }
    int64_t s = isqrt64(n);
    if (s * s == n) {
        *k *= s;
        n = 1;
    }
    return n;
}

static int64_t lcm64(int64_t a, int64_t b, bool *ovf) {
    int64_t r;
    if (__builtin_mul_overflow(a / lm_gcd64(a, b), b, &r)) *ovf = true;
    return r;
}

/* ---- text helpers ---- */

static void cplx_text(lm_buf *b, double re, double im) {
    if (im == 0) {
        lm_xfmt_double(b, re);
        return;
    }
    if (re != 0) {
        lm_xfmt_double(b, re);
        lm_buf_puts(b, im < 0 ? " - " : " + ");
    } else if (im < 0) {
        lm_buf_putc(b, '-');
    }
    if (fabs(im) != 1) lm_xfmt_double(b, fabs(im)); /* i, not 1i */
    lm_buf_putc(b, 'i');
}

static void eig_text(lm_buf *b, const eigval *e) {
    if (e->exact) lm_xfmt_rat(b, e->r);
    else cplx_text(b, e->re, e->im);
}

/* "λ = 2" or "λ ≈ 1.382" */
/* Whole-number real and imaginary parts (1 + 2i) are shown exactly too. */
static bool shown_exactly(const eigval *e) {
    return e->exact || (e->re == floor(e->re) && e->im == floor(e->im) && fabs(e->re) < 1e15 && fabs(e->im) < 1e15);
}

static void lambda_is(lm_buf *b, const eigval *e) {
    lm_buf_puts(b, shown_exactly(e) ? LM_U_LAMBDA " = " : LM_U_LAMBDA " " LM_U_APPROX " ");
    eig_text(b, e);
}

/* A - λI for a rational λ, as a learner writes it: A - 2I, A + I, A - (1/2)I. */
static void a_minus(lm_buf *b, lm_rat lam, bool latex) {
    if (lm_rat_is_zero(lam)) {
        lm_buf_putc(b, 'A');
        return;
    }
    lm_buf_puts(b, lam.p < 0 ? "A + " : "A - ");
    lm_rat m = lam.p < 0 ? lm_rat_neg(lam) : lam;
    if (!lm_rat_is_one(m)) {
        if (latex) lm_xfmt_rat_latex(b, m);
        else if (m.q != 1) lm_xfmt_factor(b, m);
        else lm_xfmt_rat(b, m);
    }
    lm_buf_putc(b, 'I');
}

static void eig_latex(lm_buf *b, const eigval *e) {
    if (e->exact) {
        lm_xfmt_rat_latex(b, e->r);
        return;
    }
    char s[40];
    lm_fmt_double_sig(s, e->re, 5);
    if (e->im == 0) {
        lm_buf_puts(b, s);
        return;
    }
    if (e->re != 0) lm_buf_printf(b, "%s %s ", s, e->im < 0 ? "-" : "+");
    else if (e->im < 0) lm_buf_putc(b, '-');
    lm_fmt_double_sig(s, fabs(e->im), 5);
    lm_buf_printf(b, "%si", fabs(e->im) == 1 ? "" : s);
}

/* (a - λ) for the diagonal of A - λI, text and LaTeX */
static void diag_minus_lambda(lm_buf *b, lm_rat a, bool latex) {
    lm_buf_putc(b, '(');
    if (!lm_rat_is_zero(a)) {
        if (latex) lm_xfmt_rat_latex(b, a);
        else lm_xfmt_rat(b, a);
        lm_buf_puts(b, " - ");
    } else {
        lm_buf_putc(b, '-');
    }
    lm_buf_puts(b, latex ? "\\lambda" : LM_U_LAMBDA);
    lm_buf_putc(b, ')');
}

static void add_step(lm_steps *s, const char *rule, lm_value v, const lm_buf *latex, const lm_buf *text) {
    lm_steps_add(s, rule, v, latex ? lm_buf_cstr(latex) : NULL, "%s", lm_buf_cstr(text));
    lm_release(v);
}

/* ---- the quadratic formula ---------------------------------------------------- */

/* c ± k·√r (times i when imag), written over a common denominator:
 * "(5 ± √5)/2", "1 ± i√2", "\frac{5 \pm \sqrt{5}}{2}". */
static void surd_text(lm_buf *b, lm_rat c, lm_rat k, int64_t r, bool imag, bool latex, bool *ovf) {
    int64_t L = lcm64(c.q, k.q, ovf), C = 0, K = 0;
    if (__builtin_mul_overflow(c.p, L / c.q, &C) || __builtin_mul_overflow(k.p, L / k.q, &K)) *ovf = true;
    if (*ovf) return;
    lm_buf inner = LM_BUF_INIT;
    if (C != 0) lm_buf_printf(&inner, "%lld %s ", (long long)C, latex ? "\\pm" : LM_U_PM);
    else lm_buf_puts(&inner, latex ? "\\pm " : LM_U_PM);
    if (K != 1) lm_buf_printf(&inner, "%lld", (long long)K);
    if (imag) lm_buf_putc(&inner, 'i');
    if (r != 1) {
        if (latex) lm_buf_printf(&inner, "\\sqrt{%lld}", (long long)r);
        else lm_buf_printf(&inner, LM_U_SQRT "%lld", (long long)r);
    } else if (K == 1 && !imag) {
        lm_buf_putc(&inner, '1');
    }
    if (L == 1) lm_buf_puts(b, lm_buf_cstr(&inner));
    else if (latex) lm_buf_printf(b, "\\frac{%s}{%lld}", lm_buf_cstr(&inner), (long long)L);
    else if (C != 0) lm_buf_printf(b, "(%s)/%lld", lm_buf_cstr(&inner), (long long)L);
    else lm_buf_printf(b, "%s/%lld", lm_buf_cstr(&inner), (long long)L);
    lm_buf_free(&inner);
}

/* Roots of λ² - t·λ + d = 0 into ev[0..1] (ascending), with the working in t/lx
 * when they are given. False on overflow. */
static bool quadratic(lm_rat t, lm_rat d, eigval *ev, lm_buf *tx, lm_buf *lx, bool *ovf) {
    lm_rat t2 = lm_rat_mul(t, t, ovf), d4 = lm_rat_mul(lm_rat_int(4), d, ovf);
    lm_rat D = lm_rat_sub(t2, d4, ovf), c = lm_rat_div(t, lm_rat_int(2), ovf);
    if (*ovf) return false;
    bool imag = D.p < 0;
    /* √(p/q) with p = a²·r1 and q = b²·r2 is a/(b·r2)·√(r1·r2): a rational
       times the square root of a whole number, which is how it is written */
    int64_t a = 0, bq = 1, r1 = 1, r2 = 1, r, den2;
    if (D.p != 0) {
        r1 = squarefree(imag ? -D.p : D.p, &a);
        r2 = squarefree(D.q, &bq);
    }
    if (__builtin_mul_overflow(r1, r2, &r) || __builtin_mul_overflow(bq, r2, &den2) ||
        __builtin_mul_overflow(den2, 2, &den2)) {
        *ovf = true;
        return false;
    }
    lm_rat half = lm_rat_make(a, den2, ovf); /* the ± part: √D / 2 = half·√r */
    if (*ovf) return false;
    double s = lm_rat_double(half) * sqrt((double)r);
    for (int i = 0; i < 2; i++) {
        ev[i].exact = false;
        ev[i].re = lm_rat_double(c);
        ev[i].im = 0;
    }
    if (r == 1 && !imag) {
        ev[0].exact = ev[1].exact = true;
        ev[0].r = lm_rat_sub(c, half, ovf);
        ev[1].r = lm_rat_add(c, half, ovf);
        ev[0].re = lm_rat_double(ev[0].r);
        ev[1].re = lm_rat_double(ev[1].r);
    } else if (!imag) {
        ev[0].re -= s;
        ev[1].re += s;
    } else {
        ev[0].im = -s;
        ev[1].im = s;
    }
    if (*ovf) return false;
    if (tx) {
        lm_buf_puts(tx, " with the quadratic formula: " LM_U_LAMBDA " = (");
        lm_xfmt_rat(tx, t);
        lm_buf_puts(tx, " " LM_U_PM " " LM_U_SQRT "(");
        lm_xfmt_rat(tx, t2);
        lm_buf_puts(tx, d4.p < 0 ? " + " : " - ");
        lm_xfmt_rat(tx, d4.p < 0 ? lm_rat_neg(d4) : d4);
        lm_buf_puts(tx, "))/2 = ");
        lm_buf_puts(lx, "\\lambda = \\frac{");
        lm_xfmt_rat_latex(lx, t);
        lm_buf_puts(lx, " \\pm \\sqrt{");
        lm_xfmt_rat_latex(lx, t2);
        lm_buf_puts(lx, d4.p < 0 ? " + " : " - ");
        lm_xfmt_rat_latex(lx, d4.p < 0 ? lm_rat_neg(d4) : d4);
        lm_buf_puts(lx, "}}{2} = ");
        if (D.p == 0) {
            lm_xfmt_rat(tx, c);
            lm_buf_puts(tx, ": the number under the square root is 0, so there is one double root, " LM_U_LAMBDA " = ");
            lm_xfmt_rat(tx, c);
            lm_buf_puts(tx, " (twice).");
            lm_xfmt_rat_latex(lx, c);
        } else if (r == 1 && !imag) {
            lm_buf_putc(tx, '(');
            lm_xfmt_rat(tx, t);
            lm_buf_puts(tx, " " LM_U_PM " ");
            lm_xfmt_rat(tx, lm_rat_mul(half, lm_rat_int(2), ovf));
            lm_buf_puts(tx, ")/2, so " LM_U_LAMBDA " = ");
            lm_xfmt_rat(tx, ev[0].r);
            lm_buf_puts(tx, " and " LM_U_LAMBDA " = ");
            lm_xfmt_rat(tx, ev[1].r);
            lm_buf_putc(tx, '.');
            lm_xfmt_rat_latex(lx, ev[0].r);
            lm_buf_puts(lx, ",\\ ");
            lm_xfmt_rat_latex(lx, ev[1].r);
        } else {
            surd_text(tx, c, half, r, imag, false, ovf);
            surd_text(lx, c, half, r, imag, true, ovf);
            if (imag) lm_buf_puts(tx, ": the number under the square root is negative, so the eigenvalues are a pair "
                                      "of complex conjugates");
            if (!imag || r != 1) {
                lm_buf_puts(tx, imag ? ", " : ", so ");
                lambda_is(tx, &ev[0]);
                lm_buf_puts(tx, " and ");
                lambda_is(tx, &ev[1]);
                lm_buf_puts(lx, " \\approx ");
                eig_latex(lx, &ev[0]);
                lm_buf_puts(lx, ",\\ ");
                eig_latex(lx, &ev[1]);
            }
            lm_buf_putc(tx, '.');
        }
    }
    return !*ovf;
}

/* ---- numeric roots of a monic cubic through LAPACK ------------------------------- */

/* λ³ + a2λ² + a1λ + a0: the eigenvalues of its companion matrix. */
static bool cubic_roots(double a2, double a1, double a0, double *wr, double *wi) {
    double comp[9] = {-a2, 1, 0, -a1, 0, 1, -a0, 0, 0}; /* column-major */
    double vl[1], vr[1];
    lapack_int info = LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', 3, comp, 3, wr, wi, vl, 1, vr, 1);
    return info == 0;
}

/* P(x) for the rational coefficients c[0..deg] */
static lm_rat poly_eval(const lm_rat *c, int deg, lm_rat x, bool *ovf) {
    lm_rat s = lm_rat_int(0);
    for (int k = deg; k >= 0; k--) s = lm_rat_add(lm_rat_mul(s, x, ovf), c[k], ovf);
    return s;
}

/* A rational root of the cubic with coefficients c (c[3] = -1) near one of the
 * numeric roots: by the rational root theorem its denominator divides L, the
 * lcm of the coefficients' denominators (the leading coefficient of L·P). */
static bool rational_root(const lm_rat *c, int64_t L, const double *wr, const double *wi, lm_rat *root, bool *ovf) {
    for (int i = 0; i < 3; i++) {
        /* complex roots are tried too: LAPACK may split a multiple real root
           into a pair with a small imaginary part; the exact test decides */
        (void)wi;
        for (int64_t q = 1; q <= L && q <= 1000000; q++) {
            if (L % q) continue;
            double pq = wr[i] * (double)q;
            if (!(fabs(pq) < 1e15)) continue;
            for (int64_t p = llround(pq) - 1; p <= llround(pq) + 1; p++) {
                bool o = false;
                lm_rat x = lm_rat_make(p, q, &o);
                lm_rat v = poly_eval(c, 3, x, &o);
                if (o) continue; /* a candidate too large to test is not a root we can show */
                if (lm_rat_is_zero(v)) {
                    *root = x;
                    return true;
                }
            }
        }
    }
    (void)ovf;
    return false;
}

/* ---- eigenvectors ----------------------------------------------------------------- */

static int cmp_eig(const void *pa, const void *pb) {
    const eigval *a = pa, *b = pb;
    if (a->exact && b->exact) return lm_rat_cmp(a->r, b->r);
    if (a->re != b->re) return a->re < b->re ? -1 : 1;
    if (a->im != b->im) return a->im < b->im ? -1 : 1;
    return 0;
}

/* The null space of the exact B = A - λI, one step. */
static bool exact_eigenvector(const lm_xmat *B, const eigval *e, int mult, lm_steps *steps, bool *ovf) {
    int n = B->r;
    lm_xmat R = *B;
    lm_xreduce x = {.purpose = LM_XP_NULL, .pivot_cols = n, .full = true};
    if (!lm_xreduce_run(&R, &x)) {
        *ovf = true;
        return false;
    }
    int freec[LM_EXACT_MAX_N], nfree = 0;
    for (int j = 0, k = 0; j < n; j++) {
        if (k < x.rank && x.pivots[k] == j) k++;
        else freec[nfree++] = j;
    }
    /* one basis vector per free column: that variable 1, the other free ones 0,
       each pivot variable read off its row; then scaled to whole numbers */
    lm_xmat V;
    V.r = n;
    V.c = nfree;
    for (int f = 0; f < nfree; f++) {
        for (int i = 0; i < n; i++) V.a[i][f] = lm_rat_int(0);
        V.a[freec[f]][f] = lm_rat_int(1);
        for (int k = 0; k < x.rank; k++) V.a[x.pivots[k]][f] = lm_rat_neg(R.a[k][freec[f]]);
        int64_t l = 1, g = 0;
        for (int i = 0; i < n; i++) l = lcm64(l, V.a[i][f].q, ovf);
        for (int i = 0; i < n; i++) {
            V.a[i][f] = lm_rat_mul(V.a[i][f], lm_rat_int(l), ovf);
            g = lm_gcd64(g, V.a[i][f].p);
        }
        for (int i = 0; i < n && g > 1; i++) V.a[i][f].p /= g;
    }
    if (*ovf) return false;
    lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT, lam = LM_BUF_INIT;
    lm_xfmt_rat(&lam, e->r);
    if (x.rank == 0) {
        lm_buf am = LM_BUF_INIT;
        a_minus(&am, e->r, false);
        lm_buf_printf(&t, "%s is the zero matrix, so %s%s%sv = 0 for every v: every non-zero vector is an "
                          "eigenvector for " LM_U_LAMBDA " = %s, and the columns of I are a basis of them.",
                      lm_buf_cstr(&am), am.len > 1 ? "(" : "", lm_buf_cstr(&am), am.len > 1 ? ")" : "",
                      lm_buf_cstr(&lam));
        lm_buf_free(&am);
    } else {
        lm_buf_puts(&t, "Row reducing ");
        a_minus(&t, e->r, false);
        lm_buf_puts(&t, " gives ");
        lm_xfmt_mat_text(&t, &R);
        bool z = lm_rat_is_zero(e->r);
        lm_buf_puts(&t, z ? ", so " : ", so (");
        a_minus(&t, e->r, false);
        lm_buf_puts(&t, z ? "v = 0 says " : ")v = 0 says ");
        char var[16];
        for (int k = 0; k < x.rank; k++) {
            if (k) lm_buf_puts(&t, " and ");
            bool first = true;
            for (int j = 0; j < n; j++) {
                if (lm_rat_is_zero(R.a[k][j])) continue;
                snprintf(var, sizeof var, "v_%d", j + 1);
                lm_xfmt_term(&t, R.a[k][j], var, first, false);
                first = false;
            }
            lm_buf_puts(&t, " = 0");
        }
        lm_buf_puts(&t, ". ");
        for (int f = 0; f < nfree; f++) {
            if (f) lm_buf_puts(&t, f == nfree - 1 ? " and " : ", ");
            lm_buf_printf(&t, "v_%d", freec[f] + 1);
        }
        lm_buf_puts(&t, nfree == 1 ? " is free" : " are free");
        if (nfree == 1) {
            lm_buf_printf(&t, "; taking v_%d = %lld gives v = ", freec[0] + 1, (long long)V.a[freec[0]][0].p);
            lm_xfmt_mat_text(&t, &V);
            lm_buf_printf(&t, ". Any non-zero multiple of v is also an eigenvector for " LM_U_LAMBDA " = %s.",
                          lm_buf_cstr(&lam));
        } else {
            lm_buf_puts(&t, ", so the eigenvectors for " LM_U_LAMBDA " = ");
            lm_buf_puts(&t, lm_buf_cstr(&lam));
            lm_buf_printf(&t, " fill a %d-dimensional space; one free variable at a time set to 1 gives the basis ",
                          nfree);
            for (int f = 0; f < nfree; f++) {
                lm_xmat col;
                col.r = n;
                col.c = 1;
                for (int i = 0; i < n; i++) col.a[i][0] = V.a[i][f];
                if (f) lm_buf_puts(&t, f == nfree - 1 ? " and " : ", ");
                lm_xfmt_mat_text(&t, &col);
            }
            lm_buf_putc(&t, '.');
        }
    }
    if (mult > 1 && nfree < mult)
        lm_buf_printf(&t, " (" LM_U_LAMBDA " = %s is a root %d times but has only %d independent eigenvector%s, so A "
                          "cannot be diagonalized.)",
                      lm_buf_cstr(&lam), mult, nfree, nfree == 1 ? "" : "s");
    if (!lm_rat_is_zero(e->r)) lm_buf_putc(&lx, '(');
    a_minus(&lx, e->r, true);
    lm_buf_puts(&lx, lm_rat_is_zero(e->r) ? "\\,v = 0 \\;\\Rightarrow\\; v = " : ")\\,v = 0 \\;\\Rightarrow\\; v = ");
    lm_xfmt_mat_latex(&lx, &V, 0, false);
    add_step(steps, "eigenvector", lm_xmat_value(&V, 0, 0, n, nfree), &lx, &t);
    lm_buf_free(&t);
    lm_buf_free(&lx);
    lm_buf_free(&lam);
    return true;
}

static lm_value cvec_value(const double complex *v, int n, bool cplx) {
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {n, 1};
    lm_tensor *t = cplx ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
    lm_err_clear(&err);
    if (!t) return lm_nil();
    for (int i = 0; i < n; i++) {
        t->data[i] = creal(v[i]);
        if (cplx) t->imag[i] = cimag(v[i]);
    }
    return lm_tensor_value(t);
}

static void cvec_text(lm_buf *b, const double complex *v, int n, bool latex) {
    lm_buf_puts(b, latex ? "\\begin{bmatrix}" : "[");
    for (int i = 0; i < n; i++) {
        if (i) lm_buf_puts(b, latex ? " \\\\ " : "; ");
        eigval e = {false, {0, 1}, creal(v[i]), cimag(v[i])};
        if (latex) eig_latex(b, &e);
        else eig_text(b, &e);
    }
    lm_buf_puts(b, latex ? "\\end{bmatrix}" : "]");
}

/* An eigenvector of an irrational or complex eigenvalue, in floating point. */
static void numeric_eigenvector(const lm_xmat *A, const eigval *e, lm_steps *steps) {
    int n = A->r;
    double complex lam = e->re + e->im * I, B[3][3], v[3] = {0};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) B[i][j] = lm_rat_double(A->a[i][j]) - (i == j ? lam : 0);
    bool cplx = e->im != 0;
    lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;

    /* the matrix A - λI itself, as a step */
    {
        lm_err err = LM_ERR_INIT;
        int64_t shape[2] = {n, n};
        lm_tensor *m = cplx ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
        lm_err_clear(&err);
        if (m)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    m->data[i * n + j] = creal(B[i][j]);
                    if (cplx) m->imag[i * n + j] = cimag(B[i][j]);
                }
        lm_buf_puts(&t, "For ");
        lambda_is(&t, e);
        lm_buf_puts(&t, ", subtract " LM_U_LAMBDA " from each diagonal entry of A.");
        /* A - 1.382I, A + iI, A - (1 + 2i)I; then the matrix */
        eigval ee = *e;
        bool neg = ee.re < 0 || (ee.re == 0 && ee.im < 0), both = ee.re != 0 && ee.im != 0;
        if (neg && !both) {
            ee.re = -ee.re;
            ee.im = -ee.im;
        }
        lm_buf_puts(&lx, neg && !both ? "A + " : "A - ");
        if (both) lm_buf_putc(&lx, '(');
        eig_latex(&lx, &ee);
        if (both) lm_buf_putc(&lx, ')');
        lm_buf_puts(&lx, "I \\approx \\begin{bmatrix}");
        for (int i = 0; i < n; i++) {
            if (i) lm_buf_puts(&lx, " \\\\ ");
            for (int j = 0; j < n; j++) {
                eigval b = {false, {0, 1}, creal(B[i][j]), cimag(B[i][j])};
                if (j) lm_buf_puts(&lx, " & ");
                eig_latex(&lx, &b);
            }
        }
        lm_buf_puts(&lx, "\\end{bmatrix}");
        add_step(steps, "A - " LM_U_LAMBDA "I", m ? lm_tensor_value(m) : lm_nil(), &lx, &t);
        lm_buf_reset(&t);
        lm_buf_reset(&lx);
    }

    if (n == 2) {
        /* (a - λ)v_1 + b·v_2 = 0 is solved by v = [b; λ - a] (or the second row, if b = 0) */
        bool first = !lm_rat_is_zero(A->a[0][1]);
        if (first) {
            v[0] = lm_rat_double(A->a[0][1]);
            v[1] = lam - lm_rat_double(A->a[0][0]);
        } else {
            v[0] = lam - lm_rat_double(A->a[1][1]);
            v[1] = lm_rat_double(A->a[1][0]);
        }
        lm_buf_printf(&t, "Row %d of (A - " LM_U_LAMBDA "I)v = 0 reads ", first ? 1 : 2);
        if (first) {
            diag_minus_lambda(&t, A->a[0][0], false);
            lm_buf_puts(&t, "v_1");
            lm_xfmt_term(&t, A->a[0][1], "v_2", false, false);
            lm_buf_puts(&t, " = 0, which v = [");
            lm_xfmt_rat(&t, A->a[0][1]);
            lm_buf_puts(&t, "; " LM_U_LAMBDA);
            if (!lm_rat_is_zero(A->a[0][0])) lm_xfmt_term(&t, lm_rat_neg(A->a[0][0]), NULL, false, false);
            lm_buf_puts(&t, "] satisfies");
        } else {
            lm_xfmt_term(&t, A->a[1][0], "v_1", true, false);
            lm_buf_puts(&t, " + ");
            diag_minus_lambda(&t, A->a[1][1], false);
            lm_buf_puts(&t, "v_2 = 0, which v = [" LM_U_LAMBDA);
            if (!lm_rat_is_zero(A->a[1][1])) lm_xfmt_term(&t, lm_rat_neg(A->a[1][1]), NULL, false, false);
            lm_buf_puts(&t, "; ");
            lm_xfmt_rat(&t, A->a[1][0]);
            lm_buf_puts(&t, "] satisfies");
        }
        lm_buf_puts(&t, " (the other row is a multiple of this one, since A - " LM_U_LAMBDA "I is singular)");
    } else {
        /* rank 2: the cross product of two independent rows is a null vector */
        static const int pairs[3][2] = {{0, 1}, {0, 2}, {1, 2}};
        double best = -1;
        int bp = 0;
        for (int p = 0; p < 3; p++) {
            const double complex *r = B[pairs[p][0]], *s = B[pairs[p][1]];
            double complex c[3] = {r[1] * s[2] - r[2] * s[1], r[2] * s[0] - r[0] * s[2], r[0] * s[1] - r[1] * s[0]};
            double nrm = cabs(c[0]) + cabs(c[1]) + cabs(c[2]);
            if (nrm > best) {
                best = nrm;
                bp = p;
                memcpy(v, c, sizeof c);
            }
        }
        lm_buf_printf(&t, "A - " LM_U_LAMBDA "I is singular, so one row is a combination of the other two. The cross "
                          "product of rows %d and %d has zero dot product with both, so it solves (A - " LM_U_LAMBDA
                          "I)v = 0",
                      pairs[bp][0] + 1, pairs[bp][1] + 1);
    }
    /* scale so that the largest entry is 1: easy to read, and unique */
    int big = 0;
    for (int i = 1; i < n; i++)
        if (cabs(v[i]) > cabs(v[big]) * (1 + 1e-12)) big = i;
    double complex s = v[big];
    if (s != 0)
        for (int i = 0; i < n; i++) v[i] /= s;
    for (int i = 0; i < n; i++) /* no -0 or 1e-17i dust in what the learner reads */
        v[i] = (fabs(creal(v[i])) < 1e-14 ? 0 : creal(v[i])) + (fabs(cimag(v[i])) < 1e-14 ? 0 : cimag(v[i])) * I;
    lm_buf_puts(&t, "; scaled so that its largest entry is 1, v " LM_U_APPROX " ");
    cvec_text(&t, v, n, false);
    lm_buf_puts(&t, ".");
    lm_buf_puts(&lx, "v \\approx ");
    cvec_text(&lx, v, n, true);
    add_step(steps, "eigenvector", cvec_value(v, n, cplx), &lx, &t);
    lm_buf_free(&t);
    lm_buf_free(&lx);
}

/* ---- the whole explanation ----------------------------------------------------------- */

static lm_tensor *eig_column(const eigval *ev, int n, lm_err *err) {
    bool exact = true, cplx = false;
    for (int i = 0; i < n; i++) {
        exact = exact && ev[i].exact;
        cplx = cplx || ev[i].im != 0;
    }
    if (exact) {
        lm_xmat m;
        m.r = n;
        m.c = 1;
        for (int i = 0; i < n; i++) m.a[i][0] = ev[i].r;
        return lm_xmat_tensor(&m, 0, 0, n, 1, err);
    }
    int64_t shape[2] = {n, 1};
    lm_tensor *t = cplx ? lm_tensor_new_complex(2, shape, err) : lm_tensor_new(2, shape, err);
    if (!t) return NULL;
    for (int i = 0; i < n; i++) {
        t->data[i] = ev[i].re;
        if (cplx) t->imag[i] = ev[i].im;
    }
    return t;
}

static void list_eigs(lm_buf *t, const eigval *ev, int n) {
    for (int i = 0; i < n; i++) {
        if (i) lm_buf_puts(t, i == n - 1 ? " and " : ", ");
        if (!shown_exactly(&ev[i])) lm_buf_puts(t, LM_U_APPROX " ");
        eig_text(t, &ev[i]);
    }
}

lm_tensor *lm_exact_eig_explain(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    bool *ovf = overflow;
    lm_xmat a;
    if (A->ndim != 2 || A->shape[0] != A->shape[1] || A->shape[0] < 2 || A->shape[0] > 3) {
        char sa[64];
        lm_tensor_shape_str(A, sa);
        lm_err_set(err, LM_ERR_SHAPE, "the worked eigenvalue problem is for 2%s2 and 3%s3 matrices; this one is %s",
                   LM_U_TIMES, LM_U_TIMES, sa);
        return NULL;
    }
    if (!lm_xmat_load(A, &a)) {
        lm_err_set(err, LM_ERR_TYPE, "the worked eigenvalue problem needs whole numbers or fractions in A");
        return NULL;
    }
    int n = a.r;
    lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
    eigval ev[3];
    lm_tensor *result = NULL;

    /* the characteristic polynomial: c[k] is the coefficient of λ^k in det(A - λI) */
    lm_rat c[4];
    lm_tensor *dt = lm_exact_det(A, NULL, ovf, err);
    if (!dt) goto out;
    lm_rat det = dt->exact[0];
    lm_tensor_release(dt);
    lm_rat tr = lm_rat_int(0);
    for (int i = 0; i < n; i++) tr = lm_rat_add(tr, a.a[i][i], ovf);
    const char *roots_rule = "quadratic formula";
    lm_rat minors = lm_rat_int(0); /* sum of the 2×2 principal minors (3×3 only) */
    if (n == 2) {
        c[2] = lm_rat_int(1);
        c[1] = lm_rat_neg(tr);
        c[0] = det;
    } else {
        for (int i = 0; i < 3; i++) {
            int p = (i + 1) % 3, q = (i + 2) % 3;
            if (p > q) {
                int tmp = p;
                p = q;
                q = tmp;
            }
            lm_rat m2 = lm_rat_sub(lm_rat_mul(a.a[p][p], a.a[q][q], ovf), lm_rat_mul(a.a[p][q], a.a[q][p], ovf), ovf);
            minors = lm_rat_add(minors, m2, ovf);
        }
        c[3] = lm_rat_int(-1);
        c[2] = tr;
        c[1] = lm_rat_neg(minors);
        c[0] = det;
    }
    if (*ovf) goto out;

    if (steps) {
        lm_buf_puts(&t, "The eigenvalues are the numbers " LM_U_LAMBDA " that make A - " LM_U_LAMBDA
                        "I singular, so they solve det(A - " LM_U_LAMBDA "I) = 0. ");
        lm_buf_puts(&lx, "\\det(A - \\lambda I) = \\begin{vmatrix}");
        for (int i = 0; i < n; i++) {
            if (i) lm_buf_puts(&lx, " \\\\ ");
            for (int j = 0; j < n; j++) {
                if (j) lm_buf_puts(&lx, " & ");
                if (i != j) {
                    lm_xfmt_rat_latex(&lx, a.a[i][j]);
                } else if (lm_rat_is_zero(a.a[i][i])) {
                    lm_buf_puts(&lx, "-\\lambda");
                } else {
                    lm_xfmt_rat_latex(&lx, a.a[i][i]);
                    lm_buf_puts(&lx, " - \\lambda");
                }
            }
        }
        lm_buf_puts(&lx, "\\end{vmatrix} = ");
        lm_xfmt_poly(&lx, c, n, true);
        if (n == 2) {
            lm_buf_puts(&t, "For a 2" LM_U_TIMES "2 matrix this is (a - " LM_U_LAMBDA ")(d - " LM_U_LAMBDA ") - bc = "
                            LM_U_LAMBDA LM_U_SQ " - tr(A)" LM_U_DOT LM_U_LAMBDA " + det(A): here ");
            diag_minus_lambda(&t, a.a[0][0], false);
            diag_minus_lambda(&t, a.a[1][1], false);
            lm_buf_puts(&t, " - ");
            lm_xfmt_factor(&t, a.a[0][1]);
            lm_buf_puts(&t, LM_U_DOT);
            lm_xfmt_factor(&t, a.a[1][0]);
        } else {
            lm_buf_puts(&t, "For a 3" LM_U_TIMES "3 matrix this is -" LM_U_LAMBDA LM_U_CUBE " + tr(A)" LM_U_DOT LM_U_LAMBDA
                            LM_U_SQ " - m" LM_U_DOT LM_U_LAMBDA " + det(A), where tr(A) = ");
            lm_xfmt_rat(&t, tr);
            lm_buf_puts(&t, " is the sum of the diagonal, m = ");
            lm_xfmt_rat(&t, minors);
            lm_buf_puts(&t, " is the sum of the three 2" LM_U_TIMES "2 minors on the diagonal (delete row i and "
                            "column i), and det(A) = ");
            lm_xfmt_rat(&t, det);
            lm_buf_puts(&t, ". So det(A - " LM_U_LAMBDA "I)");
        }
        lm_buf_puts(&t, " = ");
        lm_xfmt_poly(&t, c, n, false);
        lm_buf_putc(&t, '.');
        add_step(steps, "characteristic polynomial", lm_nil(), &lx, &t);
    }

    if (n == 2) {
        lm_buf_reset(&t);
        lm_buf_reset(&lx);
        lm_buf_puts(&t, "Solve ");
        lm_xfmt_poly(&t, c, 2, false);
        lm_buf_puts(&t, " = 0");
        if (!quadratic(tr, det, ev, steps ? &t : NULL, &lx, ovf)) goto out;
    } else {
        /* monic form λ³ + a2λ² + a1λ + a0 = -det(A - λI) */
        double wr[3], wi[3];
        if (!cubic_roots(-lm_rat_double(tr), lm_rat_double(minors), -lm_rat_double(det), wr, wi)) {
            lm_err_set(err, LM_ERR_CONVERGENCE, "LAPACK could not find the roots of the characteristic polynomial");
            goto out;
        }
        int64_t L = lcm64(lcm64(tr.q, minors.q, ovf), det.q, ovf);
        if (*ovf) goto out;
        lm_rat root;
        if (rational_root(c, L, wr, wi, &root, ovf)) {
            /* divide det(A - λI) by (λ - root): -λ³ + c2λ² + c1λ + c0 = (λ - root)(-λ² + e1λ + e0) */
            lm_rat e1 = lm_rat_add(c[2], lm_rat_neg(root), ovf);       /* -root + c2 */
            lm_rat e0 = lm_rat_add(c[1], lm_rat_mul(root, e1, ovf), ovf); /* c1 + root·e1 */
            /* roots of -λ² + e1λ + e0, i.e. λ² - e1λ - e0 */
            lm_rat qc[3] = {lm_rat_neg(e0), lm_rat_neg(e1), lm_rat_int(1)};
            if (*ovf) goto out;
            if (steps) {
                lm_buf_reset(&t);
                lm_buf_reset(&lx);
                lm_buf_puts(&t, "Look for a rational root first. By the rational root theorem, a rational root p/q of a "
                                "polynomial with whole-number coefficients has p dividing the constant term and q "
                                "dividing the leading coefficient");
                if (L > 1) lm_buf_printf(&t, " (multiply by %lld to clear the fractions first)", (long long)L);
                lm_buf_puts(&t, ". Trying those candidates, " LM_U_LAMBDA " = ");
                lm_xfmt_rat(&t, root);
                lm_rat pw = lm_rat_int(1);
                lm_rat terms[4];
                for (int k = 0; k <= 3; k++) {
                    terms[k] = lm_rat_mul(c[k], pw, ovf);
                    pw = lm_rat_mul(pw, root, ovf);
                }
                if (lm_rat_is_zero(root)) {
                    lm_buf_puts(&t, " is a root, because the constant term det(A) is 0.");
                } else {
                    lm_buf_puts(&t, " is a root: ");
                    for (int k = 3; k >= 0; k--) lm_xfmt_term(&t, terms[k], NULL, k == 3, false);
                    lm_buf_puts(&t, " = 0.");
                }
                lm_buf_puts(&lx, "\\lambda = ");
                lm_xfmt_rat_latex(&lx, root);
                lm_buf_puts(&lx, ":\\quad ");
                for (int k = 3; k >= 0; k--) lm_xfmt_term(&lx, terms[k], NULL, k == 3, true);
                lm_buf_puts(&lx, " = 0");
                if (*ovf) goto out;
                add_step(steps, "rational root", lm_rat_value(root), &lx, &t);

                lm_buf_reset(&t);
                lm_buf_reset(&lx);
                /* the factor (λ - root), or just λ for the root 0 */
                lm_buf t2 = LM_BUF_INIT, l2 = LM_BUF_INIT;
                bool z = lm_rat_is_zero(root);
                lm_buf_puts(&t2, z ? LM_U_LAMBDA : "(" LM_U_LAMBDA);
                lm_buf_puts(&l2, z ? "\\lambda" : "(\\lambda");
                if (!z) {
                    lm_xfmt_term(&t2, lm_rat_neg(root), NULL, false, false);
                    lm_xfmt_term(&l2, lm_rat_neg(root), NULL, false, true);
                    lm_buf_putc(&t2, ')');
                    lm_buf_putc(&l2, ')');
                }
                lm_buf_printf(&t, "Divide by %s to leave a quadratic: ", lm_buf_cstr(&t2));
                lm_xfmt_poly(&t, c, 3, false);
                lm_buf_printf(&t, " = -%s(", lm_buf_cstr(&t2));
                lm_xfmt_poly(&t, qc, 2, false);
                lm_buf_puts(&t, ").");
                lm_xfmt_poly(&lx, c, 3, true);
                lm_buf_printf(&lx, " = -%s(", lm_buf_cstr(&l2));
                lm_buf_free(&t2);
                lm_buf_free(&l2);
                lm_xfmt_poly(&lx, qc, 2, true);
                lm_buf_putc(&lx, ')');
                add_step(steps, "divide out the root", lm_nil(), &lx, &t);
            }
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_puts(&t, "Solve ");
            lm_xfmt_poly(&t, qc, 2, false);
            lm_buf_puts(&t, " = 0");
            ev[2].exact = true;
            ev[2].r = root;
            ev[2].re = lm_rat_double(root);
            ev[2].im = 0;
            if (!quadratic(e1, lm_rat_neg(e0), ev, steps ? &t : NULL, &lx, ovf)) goto out;
        } else {
            for (int i = 0; i < 3; i++) {
                ev[i].exact = false;
                ev[i].re = wr[i];
                ev[i].im = fabs(wi[i]) > 1e-12 * fmax(1, fabs(wr[i])) ? wi[i] : 0;
            }
            roots_rule = "numeric roots";
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_puts(&t, "This cubic has no rational root (no candidate p/q of the rational root theorem works), so "
                            "its roots are found numerically, as the eigenvalues of its companion matrix: ");
            qsort(ev, 3, sizeof ev[0], cmp_eig);
            list_eigs(&t, ev, 3);
            lm_buf_putc(&t, '.');
            lm_buf_puts(&lx, "\\lambda \\approx ");
            for (int i = 0; i < 3; i++) {
                if (i) lm_buf_puts(&lx, ",\\ ");
                eig_latex(&lx, &ev[i]);
            }
        }
    }
    qsort(ev, (size_t)n, sizeof ev[0], cmp_eig);
    result = eig_column(ev, n, err);
    if (!result) goto out;
    if (steps) {
        if (n == 3 && ev[0].exact + ev[1].exact + ev[2].exact > 0) { /* a root was divided out */
            lm_buf_puts(&t, " The eigenvalues of A are ");
            list_eigs(&t, ev, 3);
            lm_buf_putc(&t, '.');
        }
        lm_obj_retain(&result->hdr);
        add_step(steps, roots_rule, lm_tensor_value(result), &lx, &t);
        /* one eigenvector per distinct eigenvalue */
        for (int i = 0; i < n; i++) {
            int mult = 1;
            bool seen = false;
            for (int j = 0; j < n; j++) {
                if (j == i || !ev[i].exact || !ev[j].exact || !lm_rat_eq(ev[i].r, ev[j].r)) continue;
                if (j < i) seen = true;
                mult++;
            }
            if (seen) continue;
            if (!ev[i].exact) {
                numeric_eigenvector(&a, &ev[i], steps);
                continue;
            }
            lm_xmat B = a;
            for (int k = 0; k < n; k++) B.a[k][k] = lm_rat_sub(B.a[k][k], ev[i].r, ovf);
            if (*ovf) break;
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_puts(&t, "For " LM_U_LAMBDA " = ");
            lm_xfmt_rat(&t, ev[i].r);
            if (mult == 2) lm_buf_puts(&t, " (a double root)");
            if (mult == 3) lm_buf_puts(&t, " (a triple root)");
            if (lm_rat_is_zero(ev[i].r)) {
                lm_buf_puts(&t, ", A - " LM_U_LAMBDA "I is A itself.");
            } else {
                lm_buf_puts(&t, ev[i].r.p < 0 ? ", add " : ", subtract ");
                lm_xfmt_rat(&t, ev[i].r.p < 0 ? lm_rat_neg(ev[i].r) : ev[i].r);
                lm_buf_puts(&t, ev[i].r.p < 0 ? " to each diagonal entry of A." : " from each diagonal entry of A.");
            }
            a_minus(&lx, ev[i].r, true);
            lm_buf_puts(&lx, " = ");
            lm_xfmt_mat_latex(&lx, &B, 0, false);
            add_step(steps, "A - " LM_U_LAMBDA "I", lm_xmat_value(&B, 0, 0, n, n), &lx, &t);
            if (!exact_eigenvector(&B, &ev[i], mult, steps, ovf)) break;
        }
        if (*ovf) {
            lm_tensor_release(result);
            result = NULL;
        }
    }
out:
    lm_buf_free(&t);
    lm_buf_free(&lx);
    return result;
}

lm_tensor *lm_exact_eig2(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    if (A->ndim != 2 || A->shape[0] != 2 || A->shape[1] != 2) {
        char sa[64];
        lm_tensor_shape_str(A, sa);
        lm_err_set(err, LM_ERR_SHAPE, "lm_exact_eig2 needs a 2%s2 matrix, not %s", LM_U_TIMES, sa);
        return NULL;
    }
    if (steps) {
        lm_tensor *r = lm_exact_eig_explain(A, steps, overflow, err);
        if (r && !r->exact) {
            lm_tensor_release(r);
            return NULL;
        }
        return r;
    }
    lm_xmat a;
    if (!lm_xmat_load(A, &a)) {
        lm_err_set(err, LM_ERR_TYPE, "the exact path works with matrices of whole numbers or fractions");
        return NULL;
    }
    lm_rat tr = lm_rat_add(a.a[0][0], a.a[1][1], overflow);
    lm_rat det = lm_rat_sub(lm_rat_mul(a.a[0][0], a.a[1][1], overflow), lm_rat_mul(a.a[0][1], a.a[1][0], overflow),
                            overflow);
    eigval ev[2];
    if (*overflow || !quadratic(tr, det, ev, NULL, NULL, overflow)) return NULL;
    if (!ev[0].exact) return NULL; /* irrational or complex: LAPACK's */
    lm_xmat m;
    m.r = 2;
    m.c = 1;
    m.a[0][0] = ev[0].r;
    m.a[1][0] = ev[1].r;
    return lm_xmat_tensor(&m, 0, 0, 2, 1, err);
}
