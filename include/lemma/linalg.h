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

#endif
