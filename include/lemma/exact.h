/* Exact rational linear algebra for the small matrices learners work by hand
 * (at most LM_EXACT_MAX_N × LM_EXACT_MAX_N, integer or rational entries): det,
 * inverse, reduced row echelon form, solving, products and 2×2 eigenvalues stay
 * exact, and each can record a worked solution (steps.h) as it goes.
 *
 * Every function returns a tensor whose `exact` field holds the exact values
 * (and `data` the same values rounded), or NULL. NULL with *overflow set means
 * an int64 numerator or denominator would overflow: the caller falls back to
 * floating point, never to a wrong answer. NULL with err set is a real error
 * (shape, singular). `steps` may be NULL; when given, the steps are appended.
 * Returned tensors are +1: the caller releases them. */
#ifndef LEMMA_EXACT_H
#define LEMMA_EXACT_H

#include "lemma/steps.h"
#include "lemma/tensor.h"

#define LM_EXACT_MAX_N 6

/* True when t is real, 2-D, at most LM_EXACT_MAX_N on each side, not empty, and
 * every element is exact (t->exact set, or every value a whole number below 2^53). */
bool lm_exact_eligible(const lm_tensor *t);
/* The same with up to 2·LM_EXACT_MAX_N columns: what lm_exact_rref takes, so
 * that the augmented [A b] and [A I] of a 6×6 A stay exact. */
bool lm_exact_eligible_wide(const lm_tensor *t);

/* The arguments must be eligible (a `type` error otherwise); shape errors use
 * the same words as the floating-point functions of linalg.h and tensor.h. */

/* 1×1. With steps: ad - bc for a 2×2, cofactor expansion along the first row for
 * a 3×3, elimination to triangular form for larger ones. */
lm_tensor *lm_exact_det(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
/* Gauss–Jordan on [A | I]; a singular A is a `singular` error. */
lm_tensor *lm_exact_inv(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
/* Takes up to LM_EXACT_MAX_N × 2·LM_EXACT_MAX_N (lm_exact_eligible_wide). */
lm_tensor *lm_exact_rref(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
/* The same, with the pivot columns (0-based, ascending) in pivots[0..*npivots);
 * pivots needs room for LM_EXACT_MAX_N entries. Either pointer may be NULL. */
lm_tensor *lm_exact_rref_pivots(const lm_tensor *A, lm_steps *steps, int *pivots, int *npivots, bool *overflow,
                                lm_err *err);
/* P·A = L·U with partial pivoting as LAPACK's dgetrf chooses it (the first
 * entry of largest magnitude in each column), for any shape up to 6×6: L is
 * m×k unit lower triangular, U k×n upper triangular (k = min(m, n)), P the
 * m×m permutation. P may be NULL: L then comes back with its rows in A's
 * order, so that A = L·U (Octave's two-output lu). A singular A is no error:
 * U has a zero on its diagonal. */
lm_status lm_exact_lu(const lm_tensor *A, lm_tensor **L, lm_tensor **U, lm_tensor **P, bool *overflow, lm_err *err);
/* dgetrf's packed result Y = L + U - I, exact (Octave's one-output lu). With
 * steps: each row swap and elimination, then L, U and P. */
lm_tensor *lm_exact_lu_packed(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
/* A \ B for a square A: elimination on [A | B], then back substitution. A
 * singular A is a `singular` error that says whether the system has no solution
 * or infinitely many. A non-square A is a least-squares problem, which this path
 * leaves to LAPACK: NULL with no error and *overflow false. */
lm_tensor *lm_exact_solve(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err);
/* B / A = (A' \ B')', with the same rules. */
lm_tensor *lm_exact_mrdivide(const lm_tensor *B, const lm_tensor *A, bool *overflow, lm_err *err);
/* The matrix product (not a scalar times a matrix: see lm_exact_scale). With
 * steps: each entry as a dot product. */
lm_tensor *lm_exact_matmul(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err);
/* u·v of two vectors of the same length (rows or columns), a 1×1. With steps:
 * the products entry by entry and their sum. */
lm_tensor *lm_exact_dot(const lm_tensor *U, const lm_tensor *V, lm_steps *steps, bool *overflow, lm_err *err);
/* Every entry of A times (or divided by) the 1×1 s. Dividing by zero gives NULL
 * with no error and no overflow: floating point's ±Inf/NaN is the answer. */
lm_tensor *lm_exact_scale(const lm_tensor *A, const lm_tensor *s, bool divide, lm_steps *steps, bool *overflow,
                          lm_err *err);
/* A + B or A - B for equal shapes or a 1×1 on either side; other shapes give
 * NULL with no error (broadcasting and its messages belong to the float path). */
lm_tensor *lm_exact_add(const lm_tensor *A, const lm_tensor *B, bool subtract, bool *overflow, lm_err *err);
/* A^p for a square A and a whole p (negative: powers of the inverse). */
lm_tensor *lm_exact_power(const lm_tensor *A, int64_t p, bool *overflow, lm_err *err);
/* Eigenvalues of a 2×2 as an exact column when they are rational; NULL with
 * neither flag nor error set when they are irrational or complex (the caller
 * then uses LAPACK). With steps, the whole explanation of lm_exact_eig_explain
 * is appended. */
lm_tensor *lm_exact_eig2(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
/* The worked eigenvalue problem of a 2×2 or 3×3: the characteristic polynomial
 * det(A - λI), its roots (exact when rational, a rational root divided out of a
 * cubic, otherwise numeric through LAPACK), and an eigenvector for each from the
 * null space of A - λI. Returns the eigenvalues as a column sorted by real then
 * imaginary part: exact when all are rational, complex when some are. */
lm_tensor *lm_exact_eig_explain(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);

/* rref in floating point for what the exact path cannot take (decimals, more
 * than 6×6, exact overflow), as Octave's rref.m: partial pivoting, entries up to
 * eps·max(m, n)·norm(A, inf) count as zero. pivots (0-based columns) needs room
 * for min(rows, cols) entries, or is NULL. */
lm_tensor *lm_exact_rref_float(const lm_tensor *A, int64_t *pivots, int64_t *npivots, lm_err *err);

/* Drops t->exact when every entry is a whole number the double holds exactly:
 * the plain tensor then says the same, prints the same, and is still eligible.
 * The language calls this on results so that integer answers look as before. */
void lm_exact_plain_if_integral(lm_tensor *t);

#endif
