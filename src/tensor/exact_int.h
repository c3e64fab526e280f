/* Internals of the exact small-matrix path (exact.c, exact_fmt.c, exact_eig.c):
 * overflow-checked rationals on int64, a fixed-size matrix of them (nothing the
 * path handles is larger than 6×12, so it lives on the stack), row reduction
 * that can narrate itself, and the text/LaTeX formatting the narration uses. */
#ifndef LEMMA_EXACT_INT_H
#define LEMMA_EXACT_INT_H

#include "lemma/core.h"
#include "lemma/exact.h"

/* UTF-8 for the symbols in sentences (escaped so the source stays ASCII). */
#define LM_U_LARROW "\xe2\x86\x90"   /* ← */
#define LM_U_LRARROW "\xe2\x86\x94"  /* ↔ */
#define LM_U_DOT "\xc2\xb7"           /* · */
#define LM_U_LAMBDA "\xce\xbb"        /* λ */
#define LM_U_SQ "\xc2\xb2"            /* ² */
#define LM_U_CUBE "\xc2\xb3"          /* ³ */
#define LM_U_SQRT "\xe2\x88\x9a"     /* √ */
#define LM_U_PM "\xc2\xb1"            /* ± */
#define LM_U_APPROX "\xe2\x89\x88"   /* ≈ */
#define LM_U_TIMES "\xc3\x97"         /* × */

/* ---- rationals ----
 * Every lm_rat here is reduced with q > 0 and neither part equal to INT64_MIN
 * (so negation can never overflow). An operation that would leave int64 sets
 * *ovf and returns 0; callers check *ovf once per row operation, which keeps
 * the arithmetic readable and can never let a wrong value through. */
LM_INTERNAL lm_rat lm_rat_make(int64_t p, int64_t q, bool *ovf);
static inline lm_rat lm_rat_int(int64_t n) { lm_rat r = {n, 1}; return r; }
LM_INTERNAL lm_rat lm_rat_add(lm_rat a, lm_rat b, bool *ovf);
LM_INTERNAL lm_rat lm_rat_sub(lm_rat a, lm_rat b, bool *ovf);
LM_INTERNAL lm_rat lm_rat_mul(lm_rat a, lm_rat b, bool *ovf);
LM_INTERNAL lm_rat lm_rat_div(lm_rat a, lm_rat b, bool *ovf); /* b != 0 */
static inline lm_rat lm_rat_neg(lm_rat a) { a.p = -a.p; return a; }
static inline bool lm_rat_is_zero(lm_rat a) { return a.p == 0; }
static inline bool lm_rat_is_one(lm_rat a) { return a.p == 1 && a.q == 1; }
static inline bool lm_rat_eq(lm_rat a, lm_rat b) { return a.p == b.p && a.q == b.q; }
static inline double lm_rat_double(lm_rat a) { return (double)a.p / (double)a.q; }
LM_INTERNAL int lm_rat_cmp(lm_rat a, lm_rat b); /* -1, 0, 1 without overflow */

/* ---- a small matrix of rationals ---- */
#define LM_XMAT_COLS (2 * LM_EXACT_MAX_N)
typedef struct lm_xmat {
    int r, c;
    lm_rat a[LM_EXACT_MAX_N][LM_XMAT_COLS];
} lm_xmat;

/* Reads an eligible tensor into m (false when it is not eligible or too wide). */
LM_INTERNAL bool lm_xmat_load(const lm_tensor *t, lm_xmat *m);
/* The block rows [r0, r0+nr) × columns [c0, c0+nc) of m as a fresh exact tensor. */
LM_INTERNAL lm_tensor *lm_xmat_tensor(const lm_xmat *m, int r0, int c0, int nr, int nc, lm_err *err);
/* The same as a value for a step (a nil value only when memory ran out). */
LM_INTERNAL lm_value lm_xmat_value(const lm_xmat *m, int r0, int c0, int nr, int nc);
/* A single rational as a 1×1 exact tensor value. */
LM_INTERNAL lm_value lm_rat_value(lm_rat r);

/* ---- narrated row reduction ----
 * Who is reducing decides how the sentences read: the determinant notes what a
 * row operation does to det(A), the inverse and the solver work on augmented
 * matrices [A | I] and [A | b] whose bar the LaTeX shows. */
typedef enum lm_xpurpose { LM_XP_DET, LM_XP_INV, LM_XP_RREF, LM_XP_SOLVE, LM_XP_NULL, LM_XP_LU } lm_xpurpose;

typedef struct lm_xreduce {
    lm_steps *steps;      /* NULL: compute only */
    lm_xpurpose purpose;
    int split;            /* columns left of the bar in LaTeX (0: no bar) */
    int pivot_cols;       /* only columns [0, pivot_cols) may hold pivots */
    bool full;            /* Gauss–Jordan (pivots 1, zeros above too) or forward elimination only */
    bool stop_at_free;    /* stop at the first column without a pivot (singular square A) */
    /* out */
    int rank;
    int pivots[LM_EXACT_MAX_N]; /* column of each pivot row */
    int swaps;
    int first_free;       /* first column without a pivot, or -1 */
    /* Without steps the reduction runs fraction-free (Bareiss) first, whose
     * entries stay minors of A and so overflow far later than fractions do. It
     * leaves the reduced row echelon form even when `full` is false: `reduced`
     * says so, and `det` (when det_ok) is the determinant of a square A. */
    bool reduced;
    bool det_ok;
    lm_rat det;
} lm_xreduce;

/* Reduces m in place. Returns false when int64 overflowed (m is then garbage). */
LM_INTERNAL bool lm_xreduce_run(lm_xmat *m, lm_xreduce *x);

/* ---- formatting for steps (exact_fmt.c) ---- */
/* "3", "-1/5" */
LM_INTERNAL void lm_xfmt_rat(lm_buf *b, lm_rat r);
/* As a factor in a product: negatives and fractions in parentheses, "(-1/5)". */
LM_INTERNAL void lm_xfmt_factor(lm_buf *b, lm_rat r);
/* "3", "\frac{1}{5}", "-\frac{1}{5}" */
LM_INTERNAL void lm_xfmt_rat_latex(lm_buf *b, lm_rat r);
/* As a LaTeX factor: negatives in parentheses. */
LM_INTERNAL void lm_xfmt_factor_latex(lm_buf *b, lm_rat r);
/* A term c·var of a sum: first term "-3·x_2", later " - 3·x_2", " + (1/2)·x_3";
 * coefficient 1 is left out ("x_2"). `var` NULL writes just the number. With
 * `latex` the coefficient is LaTeX and `var` follows it directly ("\frac{1}{2}x_{3}"). */
LM_INTERNAL void lm_xfmt_term(lm_buf *b, lm_rat c, const char *var, bool first, bool latex);
/* A matrix in LaTeX: bmatrix (vmatrix when `det`), or an array with a bar after
 * column `split` when split > 0. */
LM_INTERNAL void lm_xfmt_mat_latex(lm_buf *b, const lm_xmat *m, int split, bool det);
/* A matrix inline in a sentence, as the learner would type it: "[1 -2; 0 0]". */
LM_INTERNAL void lm_xfmt_mat_text(lm_buf *b, const lm_xmat *m);
/* A double with five significant digits, as the text printer shows it. */
LM_INTERNAL void lm_xfmt_double(lm_buf *b, double x);
/* A polynomial in λ from its coefficients c[0] + c[1]λ + ... + c[deg]λ^deg:
 * "-λ³ + 6λ² - 11λ + 6" (text) or "-\lambda^{3} + 6\lambda^{2} - ..." (LaTeX). */
LM_INTERNAL void lm_xfmt_poly(lm_buf *b, const lm_rat *c, int deg, bool latex);

#endif
