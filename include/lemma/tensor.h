/* lemma tensors: n-dimensional float64 arrays (optionally complex) with shape and
 * strides, views without copies, NumPy broadcasting, and matrix algebra on
 * OpenBLAS (CBLAS) and LAPACKE. Usable from C without the language.
 *
 * Storage is row-major when freshly made; views (transpose, slices) share the
 * buffer of their `base`. The language layer keeps matrices two-dimensional
 * (a vector is 1×n or n×1) and reads linear indices column-major as Octave does;
 * the engine itself works for 0 < ndim <= LM_MAX_DIMS.
 *
 * Errors: functions that can fail take an lm_err * and return NULL (or a status)
 * with err filled; messages name both shapes and the operation. */
#ifndef LEMMA_TENSOR_H
#define LEMMA_TENSOR_H

#include "lemma/core.h"
#include "lemma/limits.h"

/* An exact rational p/q (q > 0, reduced) for the exact small-matrix path. */
typedef struct lm_rat {
    int64_t p, q;
} lm_rat;

typedef struct lm_tensor {
    lm_obj hdr;                 /* kind LM_TENSOR */
    int ndim;
    int64_t shape[LM_MAX_DIMS];
    int64_t stride[LM_MAX_DIMS]; /* in elements, may be 0 for broadcast views */
    int64_t size;               /* product of shape */
    double *data;               /* first element (may point into base's buffer) */
    double *imag;               /* parallel imaginary parts, or NULL when real */
    struct lm_tensor *base;     /* retained owner of the buffer for views; NULL if own */
    bool logical;               /* came from a comparison: values are 0 or 1 */
    /* Exact values of a small integer/rational matrix, row-major and contiguous
     * like `data` (which holds the same values rounded), or NULL. Owned, never
     * shared with views; operations that do not know about exactness ignore it,
     * so their results are plain floating point. */
    lm_rat *exact;
} lm_tensor;

/* ---- making tensors ---- */
/* Fresh, zero-filled, contiguous row-major. NULL + `limit` error past LM_MAX_ELEMS
 * or when memory runs out. */
lm_tensor *lm_tensor_new(int ndim, const int64_t *shape, lm_err *err);
lm_tensor *lm_tensor_new_complex(int ndim, const int64_t *shape, lm_err *err);
lm_tensor *lm_tensor_matrix(int64_t rows, int64_t cols, lm_err *err); /* 2-D zeros */
lm_tensor *lm_tensor_copy(const lm_tensor *t, lm_err *err);           /* contiguous copy */
lm_tensor *lm_tensor_eye(int64_t n, lm_err *err);
lm_tensor *lm_tensor_fill(int ndim, const int64_t *shape, double value, lm_err *err);
/* start:step:stop as a 1×n row (Octave's range rule, tolerant of rounding:
 * 0:0.1:1 has 11 elements). */
lm_tensor *lm_tensor_range(double start, double step, double stop, lm_err *err);
lm_tensor *lm_tensor_linspace(double a, double b, int64_t n, lm_err *err);

static inline lm_value lm_tensor_value(lm_tensor *t) { return lm_obj_value(&t->hdr); } /* takes t */
static inline lm_tensor *lm_tensor_of(lm_value v) { return (lm_tensor *)v.u.obj; }
static inline void lm_tensor_release(lm_tensor *t) { if (t) lm_obj_release(&t->hdr); }

/* ---- element access ---- */
bool lm_tensor_is_contiguous(const lm_tensor *t); /* row-major, no gaps */
static inline int64_t lm_tensor_rows(const lm_tensor *t) { return t->ndim >= 1 ? t->shape[0] : 1; }
static inline int64_t lm_tensor_cols(const lm_tensor *t) { return t->ndim >= 2 ? t->shape[1] : 1; }
/* 2-D element (0-based). */
static inline double lm_tensor_get2(const lm_tensor *t, int64_t i, int64_t j) {
    return t->data[i * t->stride[0] + j * t->stride[1]];
}
static inline double lm_tensor_imag2(const lm_tensor *t, int64_t i, int64_t j) {
    return t->imag ? t->imag[i * t->stride[0] + j * t->stride[1]] : 0.0;
}
/* Offset of the k-th element in row-major logical order (0-based). */
int64_t lm_tensor_offset(const lm_tensor *t, int64_t k);
/* Copies the elements in row-major logical order into out (t->size doubles). */
void lm_tensor_gather(const lm_tensor *t, double *out);

/* ---- views (share data, retain the base) ---- */
lm_tensor *lm_tensor_transpose(const lm_tensor *t);          /* 2-D: swap the axes */
lm_tensor *lm_tensor_permute(const lm_tensor *t, const int *perm, lm_err *err);
lm_tensor *lm_tensor_reshape(const lm_tensor *t, int ndim, const int64_t *shape, lm_err *err); /* copies if needed */
/* Half-open [start, stop) along each axis with a step (>0); NULL arrays mean "all". */
lm_tensor *lm_tensor_slice(const lm_tensor *t, const int64_t *start, const int64_t *stop,
                           const int64_t *step, lm_err *err);

/* ---- elementwise ---- */
typedef enum lm_binop {
    LM_OP_ADD, LM_OP_SUB, LM_OP_MUL, LM_OP_DIV, LM_OP_POW, LM_OP_LDIV, /* b./a */
    LM_OP_EQ, LM_OP_NE, LM_OP_LT, LM_OP_LE, LM_OP_GT, LM_OP_GE,
    LM_OP_AND, LM_OP_OR, LM_OP_MIN, LM_OP_MAX, LM_OP_ATAN2, LM_OP_MOD, LM_OP_REM
} lm_binop;

/* NumPy broadcasting: trailing axes aligned, size 1 stretches. `opname` is the
 * operator as the learner wrote it (".*", "+") for the error message. The result
 * of a comparison or logical op has `logical` set. Complex operands are handled
 * for + - .* ./ and the comparisons == ~=. */
lm_tensor *lm_tensor_binop(lm_binop op, const lm_tensor *a, const lm_tensor *b, const char *opname,
                           lm_err *err);
lm_tensor *lm_tensor_binop_scalar(lm_binop op, const lm_tensor *a, double s, bool scalar_on_left,
                                  lm_err *err);
double lm_binop_apply(lm_binop op, double x, double y);
lm_tensor *lm_tensor_map(const lm_tensor *a, double (*fn)(double), lm_err *err);
lm_tensor *lm_tensor_neg(const lm_tensor *a, lm_err *err);

/* ---- reductions along an axis (0-based), or over everything with axis = -1 ---- */
typedef enum lm_reduce { LM_RED_SUM, LM_RED_PROD, LM_RED_MEAN, LM_RED_MAX, LM_RED_MIN,
                         LM_RED_ARGMAX, LM_RED_ARGMIN } lm_reduce;
/* The reduced axis keeps size 1 (keepdims). Sums are pairwise so that long
 * vectors keep their digits. argmax/argmin give 0-based indices. */
lm_tensor *lm_tensor_reduce(lm_reduce op, const lm_tensor *a, int axis, lm_err *err);

/* ---- joining ---- */
lm_tensor *lm_tensor_cat(int axis, int n, lm_tensor *const *parts, lm_err *err);

/* ---- matrix algebra (2-D) ---- */
/* C = A·B on cblas_dgemm (cblas_dgemv for a vector); "cannot multiply 2×3 by 2×3:
 * inner sizes 3 and 2 differ". Complex operands use zgemm. */
lm_tensor *lm_tensor_matmul(const lm_tensor *a, const lm_tensor *b, lm_err *err);
/* Shape as "2×3" for messages. */
void lm_tensor_shape_str(const lm_tensor *t, char out[64]);

/* ---- added with the engine ---- */
/* The imaginary parts in row-major logical order (t->size zeros when t is real). */
void lm_tensor_gather_imag(const lm_tensor *t, double *out);

/* ---- tensor operations (tensorops.c) ---- */
/* a(:)·b(:)ᵀ: every product a_i·b_j as an (numel a)×(numel b) matrix (NumPy's
 * outer: no conjugation, any shapes flattened in row-major logical order). */
lm_tensor *lm_tensor_outer(const lm_tensor *a, const lm_tensor *b, lm_err *err);
/* Kronecker product: the block matrix [a_11·B a_12·B ...; ...]; n-d operands
 * are aligned on their leading axes (missing trailing axes have size 1). */
lm_tensor *lm_tensor_kron(const lm_tensor *a, const lm_tensor *b, lm_err *err);
/* Contracts axes axa[i] of a with axb[i] of b (0-based, naxes pairs): the result
 * has a's remaining axes, then b's, and is at least 2-D (a 1-D result becomes a
 * column, a full contraction 1×1). Runs on dgemm through lm_tensor_matmul. */
lm_tensor *lm_tensor_tensordot(const lm_tensor *a, const lm_tensor *b, int naxes, const int *axa, const int *axb,
                               lm_err *err);
/* Einstein summation, NumPy's notation: "ij,jk->ik", "ii->", "ij->ji", "i,i->"
 * (without "->", the output is the letters used once, in alphabetical order).
 * Real operands. Two-operand contractions go to tensordot (dgemm); anything
 * else is a loop over the index space, which may have at most LM_MAX_ELEMS
 * points. The result is at least 2-D, as for tensordot. */
lm_tensor *lm_tensor_einsum(const char *spec, int n, const lm_tensor *const *ops, lm_err *err);
/* diag(v, k): a vector (any orientation) onto the k-th diagonal of a square
 * matrix; diag(A, k): the k-th diagonal of a matrix as a column (k > 0 above
 * the main diagonal, k < 0 below). */
lm_tensor *lm_tensor_diag(const lm_tensor *t, int64_t k, lm_err *err);

#endif
