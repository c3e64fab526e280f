/* Internals shared by the tensor sources (tensor.c, view.c, elementwise.c,
 * reduce.c, matmul.c): raw allocation, shape checks and messages, and the
 * strided-copy and axis-coalescing helpers the fast paths are built on. */
#ifndef LEMMA_TENSOR_INT_H
#define LEMMA_TENSOR_INT_H

#include "lemma/tensor.h"

/* A fresh contiguous row-major tensor; zero-filled only when `zero` is set
 * (kernels that overwrite every element skip the memset). NULL + error on a bad
 * ndim, a negative size, more than LM_MAX_ELEMS elements, or no memory. */
LM_INTERNAL lm_tensor *lm_tensor_alloc_raw(int ndim, const int64_t *shape, bool is_complex, bool zero,
                                           lm_err *err);

/* A view header: same shape, strides and data as t, base retained (pointing at
 * the ultimate owner). Cannot fail; the caller adjusts the fields. */
LM_INTERNAL lm_tensor *lm_tensor_new_view(const lm_tensor *t);

/* t itself (retained) when it is contiguous, otherwise a contiguous copy. */
LM_INTERNAL lm_tensor *lm_tensor_contiguous(const lm_tensor *t, lm_err *err);

/* "2×3" for a shape that may not belong to any tensor yet. */
LM_INTERNAL void lm_tensor_dims_str(int ndim, const int64_t *shape, char out[64]);

/* Row-major strides (in elements) of a contiguous tensor of this shape. */
LM_INTERNAL void lm_tensor_rowmajor_strides(int ndim, const int64_t *shape, int64_t *stride);

/* Drops size-1 axes and merges neighbouring axes that are laid out contiguously
 * with each other in every one of the `nops` stride arrays, so that loops run
 * over the longest possible inner line. Updates shape and strides in place and
 * returns the new ndim (0: a single element). The shape must not contain 0. */
LM_INTERNAL int lm_tensor_coalesce(int ndim, int64_t *shape, int nops, int64_t (*strides)[LM_MAX_DIMS]);

/* Copies a strided block of `shape` from src to dst (both strided). */
LM_INTERNAL void lm_tensor_copy_strided(int ndim, const int64_t *shape, const double *src,
                                        const int64_t *sstride, double *dst, const int64_t *dstride);

/* Pairwise sum of n doubles spaced `stride` apart (NumPy's scheme: blocks of
 * eight accumulators below 128 elements, halving above). */
LM_INTERNAL double lm_tensor_pairwise_sum(const double *x, int64_t n, int64_t stride);

#endif
