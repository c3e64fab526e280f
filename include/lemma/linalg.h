/* lemma linear algebra on LAPACKE: solving, inverting and factoring dense
 * matrices. Numerical trouble is named: a singular matrix is a `singular` error,
 * a nearly singular one solves with a warning (through ctx, which may be NULL)
 * that gives its condition number. */
#ifndef LEMMA_LINALG_H
#define LEMMA_LINALG_H

#include "lemma/ctx.h"
#include "lemma/tensor.h"

/* A \ B: square A by LU (dgesv), otherwise least squares by QR (dgels). */
lm_tensor *lm_linalg_solve(lm_ctx *ctx, const lm_tensor *A, const lm_tensor *B, lm_err *err);
/* B / A = (A' \ B')'. */
lm_tensor *lm_linalg_mrdivide(lm_ctx *ctx, const lm_tensor *B, const lm_tensor *A, lm_err *err);
lm_tensor *lm_linalg_inv(lm_ctx *ctx, const lm_tensor *A, lm_err *err);
lm_status lm_linalg_det(const lm_tensor *A, double *out, lm_err *err);

/* ---- vectors and measures (linalg.c) ----
 * Vectors may be rows or columns (or 1-D); results that are vectors are columns. */

/* a·b of two vectors of the same length: sum(conj(a) .* b), as Octave; a 1×1
 * result (complex when an operand is). Matrices are a shape error. */
lm_tensor *lm_linalg_dot(const lm_tensor *a, const lm_tensor *b, lm_err *err);
/* a × b of two 3-vectors, as a 3×1 column. */
lm_tensor *lm_linalg_cross(const lm_tensor *a, const lm_tensor *b, lm_err *err);
/* The sum of the diagonal of a square matrix, 1×1 (complex when A is). */
lm_tensor *lm_linalg_trace(const lm_tensor *A, lm_err *err);

typedef enum lm_normkind { LM_NORM_P, LM_NORM_FRO } lm_normkind;
/* Vector norms for any p (inf and -inf included; p = 0 counts the non-zero
 * elements, as Octave); matrix norms for p = 1, 2 (the largest singular value),
 * inf, and Frobenius. */
lm_status lm_linalg_norm(const lm_tensor *A, lm_normkind kind, double p, double *out, lm_err *err);

/* The matrix exponential by Padé approximation with scaling and squaring
 * (Higham 2005, the algorithm of SciPy before 2009 and of Octave's expm). */
lm_tensor *lm_linalg_expm(const lm_tensor *A, lm_err *err);

/* ---- factorizations and what is built on them (decomp.c) ----
 * Every output parameter is +1 on success and NULL on failure. Inputs must be
 * real and finite; complex input is a `type` error, NaN or Inf a `domain`
 * error naming the element. */

/* Singular values, a min(m,n)×1 column in descending order (dgesdd). */
lm_tensor *lm_linalg_svdvals(const lm_tensor *A, lm_err *err);
/* Full SVD, A = U·S·Vᵀ: U m×m, S m×n (diagonal), V n×n. */
lm_status lm_linalg_svd(const lm_tensor *A, lm_tensor **U, lm_tensor **S, lm_tensor **V, lm_err *err);
/* A negative tol means the default, max(m, n)·eps·s_max (NumPy's and Octave's). */
lm_status lm_linalg_rank(const lm_tensor *A, double tol, int64_t *out, lm_err *err);
lm_tensor *lm_linalg_pinv(const lm_tensor *A, double tol, lm_err *err);
/* An orthonormal basis of the null space as columns (n×(n - rank), maybe n×0). */
lm_tensor *lm_linalg_null(const lm_tensor *A, double tol, lm_err *err);
/* The 2-norm condition number s_max / s_min (inf when singular, 0 when empty). */
lm_status lm_linalg_cond(const lm_tensor *A, double *out, lm_err *err);
/* Least squares min ||A·X - B|| by SVD (dgelsd): the minimum-norm solution when
 * A is rank deficient, with a warning through ctx (which may be NULL) saying
 * so. *resnorm (may be NULL) receives ||A·x - b|| for each column of B, as a
 * column. */
lm_tensor *lm_linalg_lstsq(lm_ctx *ctx, const lm_tensor *A, const lm_tensor *B, lm_tensor **resnorm, lm_err *err);

/* P·A = L·U with partial pivoting (dgetrf); A may be rectangular (L m×k, U k×n,
 * k = min(m, n)). With P == NULL, L comes back as Pᵀ·L, so that A = L·U. */
lm_status lm_linalg_lu(const lm_tensor *A, lm_tensor **L, lm_tensor **U, lm_tensor **P, lm_err *err);
/* dgetrf's packed result Y = L + U - I (Octave's one-output lu). */
lm_tensor *lm_linalg_lu_packed(const lm_tensor *A, lm_err *err);
/* Full QR, A = Q·R: Q m×m orthogonal, R m×n upper triangular (dgeqrf, dorgqr).
 * Q may be NULL when only R is wanted. */
lm_status lm_linalg_qr(const lm_tensor *A, lm_tensor **Q, lm_tensor **R, lm_err *err);
/* Cholesky: upper triangular R with Rᵀ·R = A (dpotrf). A must be symmetric
 * (to rounding) and positive definite; otherwise a `domain` error says which. */
lm_tensor *lm_linalg_chol(const lm_tensor *A, lm_err *err);

/* Eigenvalues as a column. Symmetric input (to rounding) goes to dsyevd and
 * gives real values in ascending order; other input goes to dgeev, and the
 * values, complex where they are, are sorted by real part, then imaginary. */
lm_tensor *lm_linalg_eigvals(const lm_tensor *A, lm_err *err);
/* A·V = V·D: unit-norm eigenvector columns, each scaled so that its largest
 * component (the first of those within a rounding of the largest) is real and
 * positive; D diagonal. Both complex when an eigenvalue is. */
lm_status lm_linalg_eig(const lm_tensor *A, lm_tensor **V, lm_tensor **D, lm_err *err);

/* Principal component analysis of X (rows are samples): W (n×k) holds the k
 * principal directions as unit columns, in order of variance; Z = (X - mean)·W
 * the projected data (m×k); explained the fraction of the variance along each
 * (k×1). Z and explained may be NULL. */
lm_status lm_linalg_pca(const lm_tensor *X, int64_t k, lm_tensor **W, lm_tensor **Z, lm_tensor **explained,
                        lm_err *err);
/* The orthogonal projection of b (a vector, or columns) onto the column space
 * of A: A·pinv(A)·b, computed from an orthonormal basis of range(A). */
lm_tensor *lm_linalg_proj(const lm_tensor *b, const lm_tensor *A, lm_err *err);

#endif
