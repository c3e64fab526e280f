/* Dense solves, inverses and determinants on LAPACKE (LU with partial pivoting,
 * QR for least squares). Inputs are copied into column-major scratch, the layout
 * LAPACK is fastest in; condition numbers come from dgecon on the LU factors. */
#include "lemma/linalg.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Column-major contiguous copy of a real 2-D tensor, or NULL with an error. */
static double *colmajor_copy(const lm_tensor *t, const char *what, lm_err *err) {
    if (t->ndim != 2) {
        char sh[64];
        lm_tensor_shape_str(t, sh);
        lm_err_set(err, LM_ERR_SHAPE, "%s must be a matrix, but it is %s", what, sh);
        return NULL;
    }
    if (t->imag) {
        lm_err_set(err, LM_ERR_TYPE, "%s is complex; this solver works with real matrices", what);
        return NULL;
    }
    int64_t r = t->shape[0], c = t->shape[1];
    double *d = lm_alloc_big((size_t)(r * c > 0 ? r * c : 1) * sizeof *d);
    if (!d) {
        lm_err_set(err, LM_ERR_LIMIT, "not enough memory for a copy of %s", what);
        return NULL;
    }
    for (int64_t j = 0; j < c; j++)
        for (int64_t i = 0; i < r; i++) {
            double v = lm_tensor_get2(t, i, j);
            if (!isfinite(v)) {
                lm_free(d);
                lm_err_set(err, LM_ERR_DOMAIN, "%s contains %s at (%lld, %lld); solving needs finite numbers", what,
                           isnan(v) ? "NaN" : "an infinity", (long long)i + 1, (long long)j + 1);
                return NULL;
            }
            d[j * r + i] = v;
        }
    return d;
}

static lm_tensor *from_colmajor(const double *d, int64_t r, int64_t c, lm_err *err) {
    lm_tensor *t = lm_tensor_matrix(r, c, err);
    if (!t) return NULL;
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++) t->data[i * c + j] = d[j * r + i];
    return t;
}

/* LU-factors the n×n column-major a in place; reports singularity and, through
 * ctx, near-singularity. */
static lm_status lu_checked(lm_ctx *ctx, double *a, lapack_int n, lapack_int *piv, const char *what, lm_err *err) {
    double anorm = LAPACKE_dlange(LAPACK_COL_MAJOR, '1', n, n, a, n);
    lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, a, n, piv);
    if (info > 0)
        return lm_err_set(err, LM_ERR_SINGULAR,
                          "singular matrix: %s is not invertible (pivot %d is zero, so its columns are linearly "
                          "dependent); try pinv(%s) or lstsq",
                          what, (int)info, what);
    if (info < 0) return lm_err_set(err, LM_ERR_INTERNAL, "LAPACK dgetrf rejected argument %d", (int)-info);
    double rcond = 0;
    LAPACKE_dgecon(LAPACK_COL_MAJOR, '1', n, a, n, anorm, &rcond);
    /* Warn when more than 12 of the 16 significant digits may be lost; below
       machine epsilon the matrix is singular for all practical purposes. */
    if (rcond < 1e-12) {
        if (rcond == 0 || !isfinite(1 / rcond))
            return lm_err_set(err, LM_ERR_SINGULAR, "singular matrix: %s is not invertible (condition number is infinite)", what);
        double digits = log10(1 / rcond);
        lm_warn(ctx, "%s is close to singular (condition number %.2g): about %.0f of the 16 significant digits of the "
                     "result may be wrong",
                what, 1 / rcond, digits > 16 ? 16 : digits);
    }
    return LM_OK;
}

lm_tensor *lm_linalg_solve(lm_ctx *ctx, const lm_tensor *A, const lm_tensor *B, lm_err *err) {
    char sa[64], sb[64];
    lm_tensor_shape_str(A, sa);
    lm_tensor_shape_str(B, sb);
    if (A->ndim != 2 || B->ndim != 2 || A->shape[0] != B->shape[0]) {
        lm_err_set(err, LM_ERR_SHAPE, "cannot solve A \\ b with A %s and b %s: they need the same number of rows", sa, sb);
        return NULL;
    }
    int64_t m = A->shape[0], n = A->shape[1], k = B->shape[1];
    if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
        lm_err_set(err, LM_ERR_LIMIT, "matrix too large for LAPACK");
        return NULL;
    }
    double *a = colmajor_copy(A, "A", err);
    if (!a) return NULL;
    lm_tensor *x = NULL;
    if (m == n) {
        double *b = colmajor_copy(B, "b", err);
        lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
        if (b && lu_checked(ctx, a, (lapack_int)n, piv, "A", err) == LM_OK) {
            LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', (lapack_int)n, (lapack_int)k, a, (lapack_int)n, piv, b,
                           (lapack_int)(n ? n : 1));
            x = from_colmajor(b, n, k, err);
        }
        lm_free(piv);
        lm_free(b);
    } else {
        /* least squares (or minimum norm) through QR: b needs max(m, n) rows of room */
        int64_t ld = m > n ? m : n;
        double *b = lm_alloc_big((size_t)(ld * (k ? k : 1)) * sizeof *b);
        if (!b) {
            lm_err_set(err, LM_ERR_LIMIT, "not enough memory to solve a %s system", sa);
        } else {
            memset(b, 0, (size_t)(ld * (k ? k : 1)) * sizeof *b);
            for (int64_t j = 0; j < k; j++)
                for (int64_t i = 0; i < m; i++) b[j * ld + i] = lm_tensor_get2(B, i, j);
            lapack_int info = LAPACKE_dgels(LAPACK_COL_MAJOR, 'N', (lapack_int)m, (lapack_int)n, (lapack_int)k, a,
                                            (lapack_int)(m ? m : 1), b, (lapack_int)(ld ? ld : 1));
            if (info > 0) {
                lm_err_set(err, LM_ERR_SINGULAR,
                           "A (%s) does not have full rank, so the least-squares solution is not unique; try pinv(A) * b",
                           sa);
            } else {
                x = lm_tensor_matrix(n, k, err);
                if (x)
                    for (int64_t i = 0; i < n; i++)
                        for (int64_t j = 0; j < k; j++) x->data[i * k + j] = b[j * ld + i];
            }
            lm_free(b);
        }
    }
    lm_free(a);
    return x;
}

lm_tensor *lm_linalg_mrdivide(lm_ctx *ctx, const lm_tensor *B, const lm_tensor *A, lm_err *err) {
    if (A->ndim != 2 || B->ndim != 2 || A->shape[1] != B->shape[1]) {
        char sa[64], sb[64];
        lm_tensor_shape_str(A, sa);
        lm_tensor_shape_str(B, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cannot compute b / A with b %s and A %s: they need the same number of columns", sb, sa);
        return NULL;
    }
    lm_tensor *at = lm_tensor_transpose(A), *bt = lm_tensor_transpose(B);
    lm_tensor *xt = lm_linalg_solve(ctx, at, bt, err);
    lm_tensor_release(at);
    lm_tensor_release(bt);
    if (!xt) return NULL;
    lm_tensor *x = lm_tensor_transpose(xt);
    lm_tensor *c = lm_tensor_copy(x, err);
    lm_tensor_release(x);
    lm_tensor_release(xt);
    return c;
}

static bool square(const lm_tensor *A, const char *op, lm_err *err) {
    if (A->ndim == 2 && A->shape[0] == A->shape[1]) return true;
    char sa[64];
    lm_tensor_shape_str(A, sa);
    lm_err_set(err, LM_ERR_SHAPE, "%s needs a square matrix, but this one is %s", op, sa);
    return false;
}

lm_tensor *lm_linalg_inv(lm_ctx *ctx, const lm_tensor *A, lm_err *err) {
    if (!square(A, "inv", err)) return NULL;
    int64_t n = A->shape[0];
    double *a = colmajor_copy(A, "A", err);
    if (!a) return NULL;
    lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
    lm_tensor *x = NULL;
    if (lu_checked(ctx, a, (lapack_int)n, piv, "A", err) == LM_OK) {
        LAPACKE_dgetri(LAPACK_COL_MAJOR, (lapack_int)n, a, (lapack_int)(n ? n : 1), piv);
        x = from_colmajor(a, n, n, err);
    }
    lm_free(piv);
    lm_free(a);
    return x;
}

lm_status lm_linalg_det(const lm_tensor *A, double *out, lm_err *err) {
    if (!square(A, "det", err)) return err->kind;
    int64_t n = A->shape[0];
    double *a = colmajor_copy(A, "A", err);
    if (!a) return err->kind;
    lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
    lapack_int info = n ? LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, a, (lapack_int)n, piv) : 0;
    double d = 1;
    if (info > 0) {
        d = 0;
    } else {
        for (int64_t i = 0; i < n; i++) {
            d *= a[i * n + i];
            if (piv[i] != i + 1) d = -d;
        }
    }
    lm_free(piv);
    lm_free(a);
    *out = d;
    return LM_OK;
}
