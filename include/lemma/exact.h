/* Exact rational linear algebra for the small matrices learners work by hand
 * (at most LM_EXACT_MAX_N × LM_EXACT_MAX_N, integer or rational entries): det,
 * inverse, reduced row echelon form, solving, products and 2×2 eigenvalues stay
 * exact, and each can record a worked solution (steps.h) as it goes.
 *
 * Every function returns a tensor whose `exact` field holds the exact values
 * (and `data` the same values rounded), or NULL. NULL with *overflow set means
 * an int64 numerator or denominator would overflow: the caller falls back to
 * floating point, never to a wrong answer. NULL with err set is a real error
 * (shape, singular). `steps` may be NULL; when given, the steps are appended. */
#ifndef LEMMA_EXACT_H
#define LEMMA_EXACT_H

#include "lemma/steps.h"
#include "lemma/tensor.h"

#define LM_EXACT_MAX_N 6

/* True when t is real, 2-D, at most LM_EXACT_MAX_N on each side, not empty, and
 * every element is exact (t->exact set, or every value a whole number below 2^53). */
bool lm_exact_eligible(const lm_tensor *t);

lm_tensor *lm_exact_det(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);  /* 1×1 */
lm_tensor *lm_exact_inv(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);  /* Gauss–Jordan */
lm_tensor *lm_exact_rref(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);
lm_tensor *lm_exact_solve(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err);
lm_tensor *lm_exact_matmul(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err);
/* Eigenvalues of a 2×2 as an exact column when they are rational; NULL with
 * neither flag nor error set when they are irrational or complex (the caller
 * then uses LAPACK). */
lm_tensor *lm_exact_eig2(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err);

#endif
