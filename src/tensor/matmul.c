/* The matrix product on OpenBLAS: dgemm, dgemv for a vector, zgemm for complex
 * operands, and a plain loop for tiny matrices where a BLAS call costs more
 * than the arithmetic. Transposed views go to BLAS as CblasTrans, not copies. */
#include "tensor_int.h"

#include <cblas.h>
#include <string.h>

/* Below this size (every dimension) the triple loop beats the BLAS call. */
enum { TINY = 4 };

/* How BLAS can read t (r×c) in place, if at all: row-major with a leading
 * dimension (stride pattern {ld, 1}), or as the transpose of a row-major c×r
 * matrix ({1, ld}). A size-1 axis imposes nothing on its stride. */
static bool blas_layout(const lm_tensor *t, enum CBLAS_TRANSPOSE *tr, blasint *ld) {
    const int64_t r = t->shape[0], c = t->shape[1], s0 = t->stride[0], s1 = t->stride[1];
    if ((c <= 1 || s1 == 1) && (r <= 1 || s0 >= (c > 1 ? c : 1))) {
        *tr = CblasNoTrans;
        *ld = (blasint)(r <= 1 ? (c > 1 ? c : 1) : s0);
        return true;
    }
    if ((r <= 1 || s0 == 1) && (c <= 1 || s1 >= (r > 1 ? r : 1))) {
        *tr = CblasTrans;
        *ld = (blasint)(c <= 1 ? (r > 1 ? r : 1) : s1);
        return true;
    }
    return false;
}

/* The operand as BLAS will see it; *hold keeps a contiguous copy alive when
 * the strides fit neither layout (a broadcast view, a slice with a step). */
static const double *blas_operand(const lm_tensor *t, lm_tensor **hold, enum CBLAS_TRANSPOSE *tr, blasint *ld,
                                  lm_err *err) {
    *hold = NULL;
    if (blas_layout(t, tr, ld)) return t->data;
    lm_tensor *c = lm_tensor_copy(t, err);
    if (!c) return NULL;
    *hold = c;
    blas_layout(c, tr, ld); /* always NoTrans for a contiguous copy */
    return c->data;
}

/* Stride between consecutive elements of a vector operand, for dgemv's incx.
 * BLAS rejects 0, so a broadcast vector is copied first (by the caller). */
static blasint vec_inc(int64_t n, int64_t stride) { return (blasint)(n <= 1 ? 1 : stride); }

static void matmul_tiny(const lm_tensor *a, const lm_tensor *b, lm_tensor *r) {
    const int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0.0;
            for (int64_t p = 0; p < k; p++) s += lm_tensor_get2(a, i, p) * lm_tensor_get2(b, p, j);
            r->data[i * n + j] = s;
        }
}

static bool matmul_real(const lm_tensor *a, const lm_tensor *b, lm_tensor *r, lm_err *err) {
    const int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    if (m <= TINY && k <= TINY && n <= TINY) {
        matmul_tiny(a, b, r);
        return true;
    }
    lm_tensor *ha = NULL, *hb = NULL;
    enum CBLAS_TRANSPOSE ta, tb;
    blasint lda, ldb;
    bool ok = false;
    if (n == 1 && (k <= 1 || b->stride[0] != 0)) {
        /* y = A x, x being B's single column read in place. */
        const double *A = blas_operand(a, &ha, &ta, &lda, err);
        if (!A) goto out;
        if (ta == CblasNoTrans)
            cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)m, (blasint)k, 1.0, A, lda, b->data,
                        vec_inc(k, b->stride[0]), 0.0, r->data, 1);
        else
            cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)k, (blasint)m, 1.0, A, lda, b->data,
                        vec_inc(k, b->stride[0]), 0.0, r->data, 1);
    } else if (m == 1 && (k <= 1 || a->stride[1] != 0)) {
        /* y = Bᵀ x, x being A's single row: the row vector times a matrix. */
        const double *B = blas_operand(b, &hb, &tb, &ldb, err);
        if (!B) goto out;
        if (tb == CblasNoTrans)
            cblas_dgemv(CblasRowMajor, CblasTrans, (blasint)k, (blasint)n, 1.0, B, ldb, a->data,
                        vec_inc(k, a->stride[1]), 0.0, r->data, 1);
        else
            cblas_dgemv(CblasRowMajor, CblasNoTrans, (blasint)n, (blasint)k, 1.0, B, ldb, a->data,
                        vec_inc(k, a->stride[1]), 0.0, r->data, 1);
    } else {
        const double *A = blas_operand(a, &ha, &ta, &lda, err);
        if (!A) goto out;
        const double *B = blas_operand(b, &hb, &tb, &ldb, err);
        if (!B) goto out;
        cblas_dgemm(CblasRowMajor, ta, tb, (blasint)m, (blasint)n, (blasint)k, 1.0, A, lda, B, ldb, 0.0, r->data,
                    (blasint)n);
    }
    ok = true;
out:
    lm_tensor_release(ha);
    lm_tensor_release(hb);
    return ok;
}

/* Interleaved (re, im) copy of t in row-major order, as zgemm reads it. */
static double *interleave(const lm_tensor *t) {
    double *z = lm_alloc_big((size_t)(t->size > 0 ? t->size : 1) * 2 * sizeof *z);
    if (!z) return NULL;
    for (int64_t k = 0; k < t->size; k++) {
        int64_t off = lm_tensor_offset(t, k);
        z[2 * k] = t->data[off];
        z[2 * k + 1] = t->imag ? t->imag[off] : 0.0;
    }
    return z;
}

static bool matmul_complex(const lm_tensor *a, const lm_tensor *b, lm_tensor *r, lm_err *err) {
    const int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    double *za = interleave(a), *zb = interleave(b);
    double *zc = lm_alloc_big((size_t)r->size * 2 * sizeof *zc);
    bool ok = za && zb && zc;
    if (ok) {
        const double one[2] = {1.0, 0.0}, zero[2] = {0.0, 0.0};
        cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)m, (blasint)n, (blasint)k, one, za,
                    (blasint)k, zb, (blasint)n, zero, zc, (blasint)n);
        for (int64_t i = 0; i < r->size; i++) {
            r->data[i] = zc[2 * i];
            r->imag[i] = zc[2 * i + 1];
        }
    } else {
        char sa[64], sb[64];
        lm_tensor_shape_str(a, sa);
        lm_tensor_shape_str(b, sb);
        lm_err_set(err, LM_ERR_LIMIT, "not enough memory to multiply %s by %s", sa, sb);
    }
    lm_free(za);
    lm_free(zb);
    lm_free(zc);
    return ok;
}

lm_tensor *lm_tensor_matmul(const lm_tensor *a, const lm_tensor *b, lm_err *err) {
    char sa[64], sb[64];
    if (a->ndim != 2 || b->ndim != 2) {
        lm_tensor_shape_str(a, sa);
        lm_tensor_shape_str(b, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cannot multiply %s by %s: the matrix product needs two 2-D matrices", sa, sb);
        return NULL;
    }
    const int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    if (k != b->shape[0]) {
        lm_tensor_shape_str(a, sa);
        lm_tensor_shape_str(b, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cannot multiply %s by %s: inner sizes %lld and %lld differ", sa, sb,
                   (long long)k, (long long)b->shape[0]);
        return NULL;
    }
    bool cplx = a->imag || b->imag;
    int64_t shape[2] = {m, n};
    /* An empty inner dimension sums nothing: the zero-filled result is the answer. */
    lm_tensor *r = lm_tensor_alloc_raw(2, shape, cplx, k == 0, err);
    if (!r || r->size == 0 || k == 0) return r;
    bool ok = cplx ? matmul_complex(a, b, r, err) : matmul_real(a, b, r, err);
    if (!ok) {
        lm_tensor_release(r);
        return NULL;
    }
    return r;
}
