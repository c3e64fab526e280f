/* Matrix factorizations on LAPACKE and what is built on them: SVD (and rank,
 * pinv, null, cond, least squares, PCA, projections), LU, QR, Cholesky and the
 * eigenproblem. Inputs are copied into column-major scratch, the layout LAPACK
 * works in; LAPACK's info codes become errors a learner can act on. */
#include "tensor_int.h"

#include "lemma/linalg.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- column-major scratch ---- */

/* Checks that A is a real matrix; the error names the function `fn`. */
static bool real_matrix(const lm_tensor *A, const char *fn, lm_err *err) {
    if (A->ndim != 2) {
        char sh[64];
        lm_tensor_shape_str(A, sh);
        lm_err_set(err, LM_ERR_SHAPE, "%s needs a matrix, but this is a %s tensor", fn, sh);
        return false;
    }
    if (A->imag) {
        lm_err_set(err, LM_ERR_TYPE, "%s works with real matrices; this one is complex", fn);
        return false;
    }
    return true;
}

/* NULL with a `domain` error when some entry of the r×c column-major d is not
 * finite (naming the first, in A's row and column), else d. Frees d on error. */
static double *finite_or_free(double *d, int64_t r, int64_t c, bool transposed, const char *fn, lm_err *err) {
    for (int64_t k = 0; k < r * c; k++) {
        if (isfinite(d[k])) continue;
        int64_t i = k % (r ? r : 1), j = k / (r ? r : 1);
        if (transposed) {
            int64_t t = i;
            i = j;
            j = t;
        }
        lm_err_set(err, LM_ERR_DOMAIN, "%s: the matrix has %s at (%lld, %lld); it needs finite numbers", fn,
                   isnan(d[k]) ? "NaN" : d[k] > 0 ? "Inf" : "-Inf", (long long)i + 1, (long long)j + 1);
        lm_free(d);
        return NULL;
    }
    return d;
}

/* Tile edge for the blocked transposition: 32×32 doubles, 8 KiB, stay in L1. */
#define TILE 32

/* A column-major copy (leading dimension rows) of a real, finite 2-D tensor,
 * or NULL with an error that names the function `fn`. The copy goes tile by
 * tile: element by element, a transposition would touch a new cache line on
 * every read (0.3 ms at 500×500, as much as LAPACK's own O(n²) work). */
static double *cm_in(const lm_tensor *A, const char *fn, lm_err *err) {
    if (!real_matrix(A, fn, err)) return NULL;
    int64_t r = A->shape[0], c = A->shape[1], s0 = A->stride[0], s1 = A->stride[1];
    double *d = lm_alloc_big((size_t)(r * c > 0 ? r * c : 1) * sizeof *d);
    if (!d) {
        char sh[64];
        lm_tensor_shape_str(A, sh);
        lm_err_set(err, LM_ERR_LIMIT, "%s: not enough memory for a copy of a %s matrix", fn, sh);
        return NULL;
    }
    const double *src = A->data;
    for (int64_t i0 = 0; i0 < r; i0 += TILE)
        for (int64_t j0 = 0; j0 < c; j0 += TILE) {
            int64_t i1 = i0 + TILE < r ? i0 + TILE : r, j1 = j0 + TILE < c ? j0 + TILE : c;
            for (int64_t i = i0; i < i1; i++)
                for (int64_t j = j0; j < j1; j++) d[j * r + i] = src[i * s0 + j * s1];
        }
    return finite_or_free(d, r, c, false, fn, err);
}

/* A row-major copy of A, which LAPACK (column-major) reads as Aᵀ: for what
 * does not change under transposition (singular values, eigenvalues, a
 * symmetric matrix) this saves the transposition. Real and finite, as cm_in. */
static double *rm_in(const lm_tensor *A, const char *fn, lm_err *err) {
    if (!real_matrix(A, fn, err)) return NULL;
    int64_t r = A->shape[0], c = A->shape[1];
    double *d = lm_alloc_big((size_t)(r * c > 0 ? r * c : 1) * sizeof *d);
    if (!d) {
        char sh[64];
        lm_tensor_shape_str(A, sh);
        lm_err_set(err, LM_ERR_LIMIT, "%s: not enough memory for a copy of a %s matrix", fn, sh);
        return NULL;
    }
    if (lm_tensor_is_contiguous(A)) {
        if (r * c > 0) memcpy(d, A->data, (size_t)(r * c) * sizeof *d);
    } else {
        lm_tensor_gather(A, d);
    }
    return finite_or_free(d, c, r, true, fn, err);
}

/* Scratch of n doubles for LAPACK's outputs; NULL with a `limit` error. */
static double *scratch(int64_t n, const char *fn, lm_err *err) {
    double *d = lm_alloc_big((size_t)(n > 0 ? n : 1) * sizeof *d);
    if (!d) lm_err_set(err, LM_ERR_LIMIT, "%s: not enough memory for its workspace", fn);
    return d;
}

/* The r×c block at the top left of a column-major array with leading
 * dimension ld, as a fresh row-major tensor. */
static lm_tensor *cm_out(const double *d, int64_t ld, int64_t r, int64_t c, lm_err *err) {
    int64_t shape[2] = {r, c};
    lm_tensor *t = lm_tensor_alloc_raw(2, shape, false, false, err);
    if (!t) return NULL;
    for (int64_t i0 = 0; i0 < r; i0 += TILE)
        for (int64_t j0 = 0; j0 < c; j0 += TILE) {
            int64_t i1 = i0 + TILE < r ? i0 + TILE : r, j1 = j0 + TILE < c ? j0 + TILE : c;
            for (int64_t j = j0; j < j1; j++)
                for (int64_t i = i0; i < i1; i++) t->data[i * c + j] = d[j * ld + i];
        }
    return t;
}

static lm_tensor *column(const double *v, int64_t n, lm_err *err) {
    int64_t shape[2] = {n, 1};
    lm_tensor *t = lm_tensor_alloc_raw(2, shape, false, false, err);
    if (t && n) memcpy(t->data, v, (size_t)n * sizeof *v);
    return t;
}

static bool require_square(const lm_tensor *A, const char *fn, lm_err *err) {
    if (A->ndim == 2 && A->shape[0] == A->shape[1]) return true;
    char sh[64];
    lm_tensor_shape_str(A, sh);
    lm_err_set(err, LM_ERR_SHAPE, "%s needs a square matrix, but this one is %s", fn, sh);
    return false;
}

static lm_status lapack_bug(lm_err *err, const char *routine, lapack_int info) {
    return lm_err_set(err, LM_ERR_INTERNAL, "LAPACK %s rejected its argument %d (a bug in lemma)", routine, (int)-info);
}

/* Components whose magnitude is within this fraction of the largest count as
 * tied for the sign rule below, so that rounding cannot flip a vector whose
 * largest entries are equal in exact arithmetic (such as [1; -1]/sqrt(2)). */
#define SIGN_TIE 1e-10

/* Index of the component that decides a vector's sign: the first whose
 * magnitude is within SIGN_TIE of the largest. */
static int64_t sign_index(const double *re, const double *im, int64_t n, int64_t inc) {
    double big = 0;
    for (int64_t i = 0; i < n; i++) {
        double a = im ? hypot(re[i * inc], im[i * inc]) : fabs(re[i * inc]);
        if (a > big) big = a;
    }
    for (int64_t i = 0; i < n; i++) {
        double a = im ? hypot(re[i * inc], im[i * inc]) : fabs(re[i * inc]);
        if (a >= big * (1 - SIGN_TIE)) return i;
    }
    return 0;
}

/* Flips a real vector (n elements, `inc` apart) so that its deciding
 * component is positive; returns -1 when it flipped, 1 otherwise. */
static double fix_sign(double *v, int64_t n, int64_t inc) {
    if (n == 0) return 1;
    int64_t k = sign_index(v, NULL, n, inc);
    if (v[k * inc] >= 0) return 1;
    for (int64_t i = 0; i < n; i++) v[i * inc] = -v[i * inc];
    return -1;
}

/* Multiplies a complex vector by the unit phase that makes its deciding
 * component real and positive. */
static void fix_phase(double *re, double *im, int64_t n) {
    if (n == 0) return;
    int64_t k = sign_index(re, im, n, 1);
    double a = hypot(re[k], im[k]);
    if (a == 0) return;
    double cr = re[k] / a, ci = -im[k] / a; /* conj(v_k) / |v_k| */
    for (int64_t i = 0; i < n; i++) {
        double r = re[i] * cr - im[i] * ci, m = re[i] * ci + im[i] * cr;
        re[i] = r;
        im[i] = m;
    }
    im[k] = 0;
    re[k] = a;
}

/* ---- SVD ---- */

/* The SVD of a (m×n, column-major, destroyed) by divide and conquer (dgesdd),
 * falling back to dgesvd when dgesdd does not converge, as NumPy's users are
 * told to. jobz: 'N' values only, 'S' thin factors, 'A' full factors. u and vt
 * must have room for the factors jobz asks for (ldu = m, ldvt = n for 'A', or
 * min(m, n) for 'S'). */
static lm_status svd_lapack(double *a, int64_t m, int64_t n, char jobz, double *s, double *u, double *vt,
                            const char *fn, lm_err *err) {
    int64_t k = m < n ? m : n;
    if (k == 0) return LM_OK;
    lapack_int ldu = (lapack_int)(jobz == 'N' ? 1 : m);
    lapack_int ldvt = (lapack_int)(jobz == 'A' ? n : jobz == 'S' ? k : 1);
    /* dgesdd destroys a even when it fails: keep a copy for the fallback */
    double *keep = scratch(m * n, fn, err);
    if (!keep) return err->kind;
    memcpy(keep, a, (size_t)(m * n) * sizeof *a);
    lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, jobz, (lapack_int)m, (lapack_int)n, a, (lapack_int)m, s, u,
                                     ldu, vt, ldvt);
    if (info > 0) {
        double *superb = scratch(k, fn, err);
        if (!superb) {
            lm_free(keep);
            return err->kind;
        }
        info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, jobz, jobz, (lapack_int)m, (lapack_int)n, keep, (lapack_int)m, s, u,
                              ldu, vt, ldvt, superb);
        lm_free(superb);
    }
    lm_free(keep);
    if (info > 0)
        return lm_err_set(err, LM_ERR_CONVERGENCE,
                          "%s: the SVD did not converge (%d superdiagonals of the bidiagonal form stayed non-zero)", fn,
                          (int)info);
    if (info < 0) return lapack_bug(err, "dgesdd", info);
    return LM_OK;
}

/* Singular values of A (descending) into a fresh array of min(m, n). */
static double *singular_values(const lm_tensor *A, const char *fn, int64_t *k, lm_err *err) {
    double *a = rm_in(A, fn, err); /* Aᵀ, n×m: the same singular values */
    if (!a) return NULL;
    int64_t m = A->shape[0], n = A->shape[1];
    *k = m < n ? m : n;
    double *s = scratch(*k, fn, err);
    if (s && svd_lapack(a, n, m, 'N', s, NULL, NULL, fn, err) != LM_OK) {
        lm_free(s);
        s = NULL;
    }
    lm_free(a);
    return s;
}

static double default_tol(int64_t m, int64_t n, const double *s, int64_t k) {
    return (double)(m > n ? m : n) * DBL_EPSILON * (k ? s[0] : 0);
}

lm_tensor *lm_linalg_svdvals(const lm_tensor *A, lm_err *err) {
    int64_t k;
    double *s = singular_values(A, "svd", &k, err);
    if (!s) return NULL;
    lm_tensor *r = column(s, k, err);
    lm_free(s);
    return r;
}

lm_status lm_linalg_svd(const lm_tensor *A, lm_tensor **U, lm_tensor **S, lm_tensor **V, lm_err *err) {
    *U = *S = *V = NULL;
    double *a = cm_in(A, "svd", err);
    if (!a) return err->kind;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    double *s = scratch(k, "svd", err), *u = s ? scratch(m * m, "svd", err) : NULL;
    double *vt = u ? scratch(n * n, "svd", err) : NULL;
    if (vt && k == 0) {
        /* an empty matrix: the factors of the empty product are identities */
        memset(u, 0, (size_t)(m * m) * sizeof *u);
        memset(vt, 0, (size_t)(n * n) * sizeof *vt);
        for (int64_t i = 0; i < m; i++) u[i * m + i] = 1;
        for (int64_t i = 0; i < n; i++) vt[i * n + i] = 1;
    }
    if (vt && svd_lapack(a, m, n, 'A', s, u, vt, "svd", err) == LM_OK) {
        *U = cm_out(u, m, m, m, err);
        *S = *U ? lm_tensor_matrix(m, n, err) : NULL;
        if (*S)
            for (int64_t i = 0; i < k; i++) (*S)->data[i * n + i] = s[i];
        /* Vᵀ in column-major order is V in row-major order: a plain copy */
        *V = *S ? lm_tensor_matrix(n, n, err) : NULL;
        if (*V && n) memcpy((*V)->data, vt, (size_t)(n * n) * sizeof *vt);
        if (!*V) {
            lm_tensor_release(*U);
            lm_tensor_release(*S);
            *U = *S = NULL;
        }
    }
    lm_free(a);
    lm_free(s);
    lm_free(u);
    lm_free(vt);
    return *V ? LM_OK : err->kind;
}

lm_status lm_linalg_rank(const lm_tensor *A, double tol, int64_t *out, lm_err *err) {
    int64_t k;
    double *s = singular_values(A, "rank", &k, err);
    if (!s) return err->kind;
    if (tol < 0) tol = default_tol(A->shape[0], A->shape[1], s, k);
    int64_t r = 0;
    while (r < k && s[r] > tol) r++;
    lm_free(s);
    *out = r;
    return LM_OK;
}

lm_status lm_linalg_cond(const lm_tensor *A, double *out, lm_err *err) {
    int64_t k;
    double *s = singular_values(A, "cond", &k, err);
    if (!s) return err->kind;
    *out = k == 0 ? 0 : s[k - 1] == 0 ? INFINITY : s[0] / s[k - 1];
    lm_free(s);
    return LM_OK;
}

/* The thin SVD of A: u (m×k), s (k), vt (k×n), k = min(m, n), all fresh. */
static lm_status thin_svd(const lm_tensor *A, const char *fn, double **u, double **s, double **vt, lm_err *err) {
    *u = *s = *vt = NULL;
    double *a = cm_in(A, fn, err);
    if (!a) return err->kind;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    *s = scratch(k, fn, err);
    *u = *s ? scratch(m * k, fn, err) : NULL;
    *vt = *u ? scratch(k * n, fn, err) : NULL;
    lm_status st = *vt ? svd_lapack(a, m, n, 'S', *s, *u, *vt, fn, err) : err->kind;
    lm_free(a);
    if (st != LM_OK) {
        lm_free(*u);
        lm_free(*s);
        lm_free(*vt);
        *u = *s = *vt = NULL;
    }
    return st;
}

lm_tensor *lm_linalg_pinv(const lm_tensor *A, double tol, lm_err *err) {
    double *u, *s, *vt;
    if (thin_svd(A, "pinv", &u, &s, &vt, err) != LM_OK) return NULL;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    if (tol < 0) tol = default_tol(m, n, s, k);
    /* pinv = V·diag(1/s)·Uᵀ over the singular values above tol: scale the rows
       of Vᵀ, then one dgemm (column-major X = (Vᵀ)ᵀ·Uᵀ, n×m) */
    for (int64_t i = 0; i < k; i++) {
        double f = s[i] > tol ? 1 / s[i] : 0;
        for (int64_t j = 0; j < n; j++) vt[j * k + i] *= f;
    }
    lm_tensor *r = NULL;
    double *x = scratch(n * m, "pinv", err);
    if (x) {
        if (k > 0)
            cblas_dgemm(CblasColMajor, CblasTrans, CblasTrans, (blasint)n, (blasint)m, (blasint)k, 1.0, vt,
                        (blasint)k, u, (blasint)m, 0.0, x, (blasint)(n ? n : 1));
        else
            memset(x, 0, (size_t)(n * m) * sizeof *x);
        r = cm_out(x, n, n, m, err);
        lm_free(x);
    }
    lm_free(u);
    lm_free(s);
    lm_free(vt);
    return r;
}

lm_tensor *lm_linalg_null(const lm_tensor *A, double tol, lm_err *err) {
    double *a = cm_in(A, "null", err);
    if (!a) return NULL;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    lm_tensor *r = NULL;
    double *s = scratch(k, "null", err), *u = s ? scratch(m * m, "null", err) : NULL;
    double *vt = u ? scratch(n * n, "null", err) : NULL;
    if (vt && k == 0) {
        memset(vt, 0, (size_t)(n * n) * sizeof *vt);
        for (int64_t i = 0; i < n; i++) vt[i * n + i] = 1;
    }
    if (vt && svd_lapack(a, m, n, 'A', s, u, vt, "null", err) == LM_OK) {
        if (tol < 0) tol = default_tol(m, n, s, k);
        int64_t rank = 0;
        while (rank < k && s[rank] > tol) rank++;
        /* rows rank..n-1 of Vᵀ span the null space; each becomes a column */
        r = lm_tensor_matrix(n, n - rank, err);
        if (r)
            for (int64_t c = 0; c < n - rank; c++) {
                double *row = vt + (rank + c); /* row (rank + c) of vt: stride n */
                fix_sign(row, n, n);
                for (int64_t i = 0; i < n; i++) r->data[i * (n - rank) + c] = row[i * n];
            }
    }
    lm_free(a);
    lm_free(s);
    lm_free(u);
    lm_free(vt);
    return r;
}

lm_tensor *lm_linalg_lstsq(lm_ctx *ctx, const lm_tensor *A, const lm_tensor *B, lm_tensor **resnorm, lm_err *err) {
    if (resnorm) *resnorm = NULL;
    char sa[64], sb[64];
    lm_tensor_shape_str(A, sa);
    lm_tensor_shape_str(B, sb);
    if (A->ndim != 2 || B->ndim != 2 || A->shape[0] != B->shape[0]) {
        lm_err_set(err, LM_ERR_SHAPE, "lstsq(A, b) with A %s and b %s: they need the same number of rows", sa, sb);
        return NULL;
    }
    int64_t m = A->shape[0], n = A->shape[1], nrhs = B->shape[1], ld = m > n ? m : n, k = m < n ? m : n;
    double *a = cm_in(A, "lstsq", err);
    double *b0 = a ? cm_in(B, "lstsq", err) : NULL;
    double *b = b0 ? scratch(ld * nrhs, "lstsq", err) : NULL;
    double *s = b ? scratch(k, "lstsq", err) : NULL;
    lm_tensor *x = NULL;
    if (!s) goto out;
    /* dgelsd wants b with max(m, n) rows: the solution comes back in the first n */
    memset(b, 0, (size_t)(ld * nrhs) * sizeof *b);
    for (int64_t j = 0; j < nrhs; j++) memcpy(b + j * ld, b0 + j * m, (size_t)m * sizeof *b);
    lapack_int rank = 0;
    if (k > 0 && nrhs > 0) {
        /* singular values below max(m, n)·eps·s_max count as zero, as rank() has it */
        lapack_int info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, (lapack_int)nrhs, a,
                                         (lapack_int)m, b, (lapack_int)ld, s, (double)ld * DBL_EPSILON, &rank);
        if (info > 0) {
            lm_err_set(err, LM_ERR_CONVERGENCE, "lstsq: the SVD inside the least-squares solver did not converge");
            goto out;
        }
        if (info < 0) {
            lapack_bug(err, "dgelsd", info);
            goto out;
        }
        if (rank < n)
            lm_warn(ctx,
                    "lstsq: A (%s) has rank %d, less than its %lld columns, so many x fit equally well; this is the "
                    "one with the smallest norm",
                    sa, (int)rank, (long long)n);
    }
    x = cm_out(b, ld, n, nrhs, err);
    if (x && resnorm) {
        /* ||b - A·x|| per column, from the original A and b */
        lm_tensor *ax = lm_tensor_matmul(A, x, err);
        lm_tensor *rn = ax ? lm_tensor_matrix(nrhs, 1, err) : NULL;
        if (rn) {
            for (int64_t j = 0; j < nrhs; j++) {
                double scale = 0, ssq = 1; /* dnrm2's scaled sum, safe from overflow */
                for (int64_t i = 0; i < m; i++) {
                    double d = fabs(lm_tensor_get2(B, i, j) - ax->data[i * nrhs + j]);
                    if (d == 0) continue;
                    if (scale < d) {
                        ssq = 1 + ssq * (scale / d) * (scale / d);
                        scale = d;
                    } else {
                        ssq += (d / scale) * (d / scale);
                    }
                }
                rn->data[j] = scale * sqrt(ssq);
            }
            *resnorm = rn;
        } else {
            lm_tensor_release(x);
            x = NULL;
        }
        lm_tensor_release(ax);
    }
out:
    lm_free(a);
    lm_free(b0);
    lm_free(b);
    lm_free(s);
    return x;
}

/* ---- LU ---- */

/* dgetrf on a copy of A: a (column-major, m×n, factored) and ipiv (min(m, n)). */
static lm_status lu_factor(const lm_tensor *A, double **a, lapack_int **ipiv, lm_err *err) {
    *ipiv = NULL;
    *a = cm_in(A, "lu", err);
    if (!*a) return err->kind;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    *ipiv = lm_alloc((size_t)(k ? k : 1) * sizeof **ipiv);
    /* info > 0 only says that U has a zero on its diagonal: the factors are
       still exact, so a singular A is factored like any other */
    lapack_int info = k ? LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, *a, (lapack_int)m, *ipiv) : 0;
    if (info < 0) {
        lm_free(*a);
        lm_free(*ipiv);
        *a = NULL;
        *ipiv = NULL;
        return lapack_bug(err, "dgetrf", info);
    }
    return LM_OK;
}

lm_tensor *lm_linalg_lu_packed(const lm_tensor *A, lm_err *err) {
    double *a;
    lapack_int *ipiv;
    if (lu_factor(A, &a, &ipiv, err) != LM_OK) return NULL;
    lm_tensor *y = cm_out(a, A->shape[0], A->shape[0], A->shape[1], err);
    lm_free(a);
    lm_free(ipiv);
    return y;
}

lm_status lm_linalg_lu(const lm_tensor *A, lm_tensor **L, lm_tensor **U, lm_tensor **P, lm_err *err) {
    *L = *U = NULL;
    if (P) *P = NULL;
    double *a;
    lapack_int *ipiv;
    if (lu_factor(A, &a, &ipiv, err) != LM_OK) return err->kind;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    /* perm[i]: the row of A that ends up as row i of P·A */
    int64_t *perm = lm_alloc((size_t)(m ? m : 1) * sizeof *perm);
    for (int64_t i = 0; i < m; i++) perm[i] = i;
    for (int64_t i = 0; i < k; i++) {
        int64_t j = ipiv[i] - 1, t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    lm_tensor *l = lm_tensor_matrix(m, k, err), *u = l ? lm_tensor_matrix(k, n, err) : NULL;
    lm_tensor *p = u && P ? lm_tensor_matrix(m, m, err) : NULL;
    if (!u || (P && !p)) {
        lm_tensor_release(l);
        lm_tensor_release(u);
        goto out;
    }
    for (int64_t i = 0; i < m; i++) {
        /* without P the rows of L go back to A's order: A = (Pᵀ·L)·U */
        int64_t row = P ? i : perm[i];
        for (int64_t j = 0; j < k && j <= i; j++) l->data[row * k + j] = j == i ? 1.0 : a[j * m + i];
    }
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = i; j < n; j++) u->data[i * n + j] = a[j * m + i];
    if (p)
        for (int64_t i = 0; i < m; i++) p->data[i * m + perm[i]] = 1.0;
    *L = l;
    *U = u;
    if (P) *P = p;
out:
    lm_free(perm);
    lm_free(a);
    lm_free(ipiv);
    return *L ? LM_OK : err->kind;
}

/* ---- QR ---- */

lm_status lm_linalg_qr(const lm_tensor *A, lm_tensor **Q, lm_tensor **R, lm_err *err) {
    if (Q) *Q = NULL;
    *R = NULL;
    double *a = cm_in(A, "qr", err);
    if (!a) return err->kind;
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    double *tau = scratch(k, "qr", err), *q = NULL;
    lm_tensor *r = NULL, *qt = NULL;
    if (!tau) goto out;
    if (k > 0) {
        lapack_int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, a, (lapack_int)m, tau);
        if (info < 0) {
            lapack_bug(err, "dgeqrf", info);
            goto out;
        }
    }
    r = lm_tensor_matrix(m, n, err);
    if (!r) goto out;
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = i; j < n; j++) r->data[i * n + j] = a[j * m + i];
    if (Q) {
        /* the full m×m Q: the k reflectors in the first k columns, then dorgqr
           builds all m columns (the last m - k complete the basis) */
        q = scratch(m * m, "qr", err);
        if (!q) goto out;
        memset(q, 0, (size_t)(m * m) * sizeof *q);
        memcpy(q, a, (size_t)(m * k) * sizeof *q);
        if (k == 0) {
            for (int64_t i = 0; i < m; i++) q[i * m + i] = 1;
        } else {
            lapack_int info = LAPACKE_dorgqr(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)m, (lapack_int)k, q,
                                             (lapack_int)m, tau);
            if (info < 0) {
                lapack_bug(err, "dorgqr", info);
                goto out;
            }
        }
        qt = cm_out(q, m, m, m, err);
        if (!qt) goto out;
        *Q = qt;
    }
    *R = r;
    r = NULL;
out:
    lm_tensor_release(r);
    lm_free(a);
    lm_free(tau);
    lm_free(q);
    return *R ? LM_OK : err->kind;
}

/* ---- symmetry ---- */

/* Entries that differ by a few units in the last place still count as equal:
 * B'*B and A + A' computed in floating point may round their mirror entries
 * differently, and a learner means them to be symmetric. */
#define SYM_ULPS 64

static double max_abs_entry(const lm_tensor *A) {
    double scale = 0;
    for (int64_t i = 0; i < A->shape[0]; i++)
        for (int64_t j = 0; j < A->shape[1]; j++) scale = fmax(scale, fabs(lm_tensor_get2(A, i, j)));
    return scale;
}

/* Whether a mirror pair x = A(i, j), y = A(j, i) is equal to rounding.
 * Compared with the largest entry of A, not entry by entry: B'*B computes
 * (i, j) and (j, i) in different orders, and a small off-diagonal entry can
 * differ by many of its own ulps while the difference is rounding-sized for A.
 * A mismatch that small changes no eigenvalue beyond rounding error. */
static bool mirror_equal(double x, double y, double scale) {
    if (x == y) return true;
    double big = fmax(fmax(fabs(x), fabs(y)), scale);
    return fabs(x - y) <= SYM_ULPS * DBL_EPSILON * big;
}

/* True when A is symmetric to rounding; otherwise, with bi and bj given,
 * *bi, *bj is the first pair (0-based, above the diagonal, column by column)
 * that differs. The scan goes tile by tile, so that the column it reads
 * against each row stays in cache (a plain scan down the columns took 0.8 ms
 * at n = 500, a tenth of eig's time), and the largest entry, which only a
 * pair that differs needs, is found at the first such pair. */
static bool is_symmetric(const lm_tensor *A, int64_t *bi, int64_t *bj) {
    int64_t n = A->shape[0], s0 = A->stride[0], s1 = A->stride[1];
    const double *d = A->data;
    double scale = -1;
    for (int64_t j0 = 0; j0 < n; j0 += TILE)
        for (int64_t i0 = 0; i0 <= j0; i0 += TILE) {
            int64_t i1 = i0 + TILE < n ? i0 + TILE : n, j1 = j0 + TILE < n ? j0 + TILE : n;
            for (int64_t i = i0; i < i1; i++)
                for (int64_t j = i + 1 > j0 ? i + 1 : j0; j < j1; j++) {
                    double x = d[i * s0 + j * s1], y = d[j * s0 + i * s1];
                    if (x == y) continue;
                    if (scale < 0) scale = max_abs_entry(A);
                    if (!mirror_equal(x, y, scale)) goto differs;
                }
        }
    return true;
differs:
    if (bi && bj)
        for (int64_t j = 1; j < n; j++)
            for (int64_t i = 0; i < j; i++)
                if (!mirror_equal(lm_tensor_get2(A, i, j), lm_tensor_get2(A, j, i), scale)) {
                    *bi = i;
                    *bj = j;
                    return false;
                }
    return false;
}

/* ---- Cholesky ---- */

lm_tensor *lm_linalg_chol(const lm_tensor *A, lm_err *err) {
    if (!require_square(A, "chol", err)) return NULL;
    double *a = cm_in(A, "chol", err);
    if (!a) return NULL;
    int64_t n = A->shape[0], bi = 0, bj = 0;
    lm_tensor *r = NULL;
    if (!is_symmetric(A, &bi, &bj)) {
        char x[32], y[32];
        lm_fmt_double_shortest(x, lm_tensor_get2(A, bi, bj));
        lm_fmt_double_shortest(y, lm_tensor_get2(A, bj, bi));
        lm_err_set(err, LM_ERR_DOMAIN,
                   "chol needs a symmetric matrix, but A(%lld, %lld) = %s and A(%lld, %lld) = %s; a Cholesky factor "
                   "R gives R'*R, which is always symmetric",
                   (long long)bi + 1, (long long)bj + 1, x, (long long)bj + 1, (long long)bi + 1, y);
        goto out;
    }
    lapack_int info = n ? LAPACKE_dpotrf(LAPACK_COL_MAJOR, 'U', (lapack_int)n, a, (lapack_int)n) : 0;
    if (info > 0) {
        if (info == 1)
            lm_err_set(err, LM_ERR_DOMAIN,
                       "chol: A is not positive definite (A(1, 1) is not positive), so it has no Cholesky factor; "
                       "eig(A) shows its eigenvalues, which must all be positive");
        else
            lm_err_set(err, LM_ERR_DOMAIN,
                       "chol: A is not positive definite (its leading %d×%d block has a determinant that is not "
                       "positive), so it has no Cholesky factor; eig(A) shows its eigenvalues, which must all be "
                       "positive",
                       (int)info, (int)info);
        goto out;
    }
    if (info < 0) {
        lapack_bug(err, "dpotrf", info);
        goto out;
    }
    r = lm_tensor_matrix(n, n, err);
    if (r)
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = i; j < n; j++) r->data[i * n + j] = a[j * n + i];
out:
    lm_free(a);
    return r;
}

/* ---- eigenvalues ---- */

typedef struct eigval {
    double re, im;
    int64_t k; /* index in LAPACK's order */
} eigval;

static int cmp_eigval(const void *pa, const void *pb) {
    const eigval *a = pa, *b = pb;
    if (a->re != b->re) return a->re < b->re ? -1 : 1;
    if (a->im != b->im) return a->im < b->im ? -1 : 1;
    return a->k < b->k ? -1 : a->k > b->k;
}

/* Symmetric eigenproblem on the column-major a (n×n, lower triangle read, which
 * dsytrd walks faster in column-major storage):
 * w ascending; with vectors, a holds them as columns afterwards. */
static lm_status eig_symmetric(double *a, int64_t n, double *w, bool vectors, lm_err *err) {
    lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, vectors ? 'V' : 'N', 'L', (lapack_int)n, a, (lapack_int)n, w);
    if (info > 0)
        return lm_err_set(err, LM_ERR_CONVERGENCE,
                          "eig: the symmetric eigensolver did not converge (%d off-diagonal elements stayed non-zero)",
                          (int)info);
    if (info < 0) return lapack_bug(err, "dsyevd", info);
    return LM_OK;
}

/* General eigenproblem (dgeev) on the column-major a (destroyed): the values
 * sorted by real then imaginary part into ev; with vr non-NULL (n×n), the
 * right eigenvectors in LAPACK's packed real form. */
static lm_status eig_general(double *a, int64_t n, eigval *ev, double *vr, lm_err *err) {
    double *wr = scratch(2 * n, "eig", err);
    if (!wr) return err->kind;
    double *wi = wr + n;
    lapack_int info = LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', vr ? 'V' : 'N', (lapack_int)n, a, (lapack_int)n, wr, wi,
                                    NULL, 1, vr, (lapack_int)(vr ? n : 1));
    if (info > 0) {
        lm_free(wr);
        return lm_err_set(err, LM_ERR_CONVERGENCE,
                          "eig did not converge: the QR algorithm found only %lld of the %lld eigenvalues",
                          (long long)(n - info), (long long)n);
    }
    if (info < 0) {
        lm_free(wr);
        return lapack_bug(err, "dgeev", info);
    }
    for (int64_t i = 0; i < n; i++) ev[i] = (eigval){wr[i], wi[i], i};
    lm_free(wr);
    qsort(ev, (size_t)n, sizeof *ev, cmp_eigval);
    return LM_OK;
}

lm_tensor *lm_linalg_eigvals(const lm_tensor *A, lm_err *err) {
    if (!require_square(A, "eig", err)) return NULL;
    double *a = rm_in(A, "eig", err); /* Aᵀ has the same eigenvalues */
    if (!a) return NULL;
    int64_t n = A->shape[0];
    lm_tensor *r = NULL;
    if (is_symmetric(A, NULL, NULL)) {
        double *w = scratch(n, "eig", err);
        if (w && (n == 0 || eig_symmetric(a, n, w, false, err) == LM_OK)) r = column(w, n, err);
        lm_free(w);
    } else {
        eigval *ev = lm_alloc((size_t)(n ? n : 1) * sizeof *ev);
        if (eig_general(a, n, ev, NULL, err) == LM_OK) {
            bool cplx = false;
            for (int64_t i = 0; i < n; i++) cplx |= ev[i].im != 0;
            int64_t shape[2] = {n, 1};
            r = lm_tensor_alloc_raw(2, shape, cplx, false, err);
            if (r)
                for (int64_t i = 0; i < n; i++) {
                    r->data[i] = ev[i].re;
                    if (cplx) r->imag[i] = ev[i].im;
                }
        }
        lm_free(ev);
    }
    lm_free(a);
    return r;
}

lm_status lm_linalg_eig(const lm_tensor *A, lm_tensor **V, lm_tensor **D, lm_err *err) {
    *V = *D = NULL;
    if (!require_square(A, "eig", err)) return err->kind;
    int64_t n = A->shape[0], shape[2] = {n, n};
    bool sym = A->ndim == 2 && is_symmetric(A, NULL, NULL);
    /* a symmetric A is its own transpose: the row-major copy will do */
    double *a = sym ? rm_in(A, "eig", err) : cm_in(A, "eig", err);
    if (!a) return err->kind;
    lm_tensor *v = NULL, *d = NULL;
    if (sym) {
        double *w = scratch(n, "eig", err);
        if (w && (n == 0 || eig_symmetric(a, n, w, true, err) == LM_OK)) {
            for (int64_t j = 0; j < n; j++) fix_sign(a + j * n, n, 1);
            v = cm_out(a, n, n, n, err);
            d = v ? lm_tensor_matrix(n, n, err) : NULL;
            if (d)
                for (int64_t i = 0; i < n; i++) d->data[i * n + i] = w[i];
        }
        lm_free(w);
    } else {
        eigval *ev = lm_alloc((size_t)(n ? n : 1) * sizeof *ev);
        double *vr = scratch(n * n, "eig", err);
        double *re = vr ? scratch(2 * n, "eig", err) : NULL;
        if (re && eig_general(a, n, ev, vr, err) == LM_OK) {
            double *im = re + n;
            bool cplx = false;
            for (int64_t i = 0; i < n; i++) cplx |= ev[i].im != 0;
            v = lm_tensor_alloc_raw(2, shape, cplx, false, err);
            d = v ? lm_tensor_alloc_raw(2, shape, cplx, true, err) : NULL;
            for (int64_t c = 0; d && c < n; c++) {
                /* dgeev packs a conjugate pair λ, conj(λ) (imaginary part > 0
                   first) as two real columns k, k+1: v = vr_k ± i·vr_{k+1} */
                int64_t k = ev[c].k;
                if (ev[c].im == 0) {
                    for (int64_t i = 0; i < n; i++) re[i] = vr[k * n + i], im[i] = 0;
                } else {
                    int64_t k0 = ev[c].im > 0 ? k : k - 1;
                    double sgn = ev[c].im > 0 ? 1 : -1;
                    for (int64_t i = 0; i < n; i++) re[i] = vr[k0 * n + i], im[i] = sgn * vr[(k0 + 1) * n + i];
                }
                /* dgeev's vectors have unit 2-norm already */
                if (cplx) fix_phase(re, im, n);
                else fix_sign(re, n, 1);
                for (int64_t i = 0; i < n; i++) {
                    v->data[i * n + c] = re[i];
                    if (cplx) v->imag[i * n + c] = im[i];
                }
                d->data[c * n + c] = ev[c].re;
                if (cplx) d->imag[c * n + c] = ev[c].im;
            }
        }
        lm_free(ev);
        lm_free(vr);
        lm_free(re);
    }
    lm_free(a);
    if (!d) {
        lm_tensor_release(v);
        return err->kind;
    }
    *V = v;
    *D = d;
    return LM_OK;
}

/* ---- PCA and projections ---- */

lm_status lm_linalg_pca(const lm_tensor *X, int64_t k, lm_tensor **W, lm_tensor **Z, lm_tensor **explained,
                        lm_err *err) {
    *W = NULL;
    if (Z) *Z = NULL;
    if (explained) *explained = NULL;
    char sx[64];
    lm_tensor_shape_str(X, sx);
    if (X->ndim != 2) return lm_err_set(err, LM_ERR_SHAPE, "pca needs a matrix with one sample per row, not a %s tensor", sx);
    int64_t m = X->shape[0], n = X->shape[1], r = m < n ? m : n;
    if (m < 2)
        return lm_err_set(err, LM_ERR_DOMAIN, "pca needs at least 2 samples (rows) to measure variance; X is %s", sx);
    if (n < 1) return lm_err_set(err, LM_ERR_DOMAIN, "pca needs at least one feature (column); X is %s", sx);
    if (k < 1 || k > r)
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "pca(X, k): k = %lld, but X (%s) has %lld principal directions; k goes from 1 to %lld",
                          (long long)k, sx, (long long)r, (long long)r);
    double *xc = cm_in(X, "pca", err);
    if (!xc) return err->kind;
    /* centre each feature: PCA finds directions of variance about the mean */
    for (int64_t j = 0; j < n; j++) {
        double *col = xc + j * m, mean = lm_tensor_pairwise_sum(col, m, 1) / (double)m;
        for (int64_t i = 0; i < m; i++) col[i] -= mean;
    }
    double *s = scratch(r, "pca", err), *u = s ? scratch(m * r, "pca", err) : NULL;
    double *vt = u ? scratch(r * n, "pca", err) : NULL;
    lm_status st = vt ? svd_lapack(xc, m, n, 'S', s, u, vt, "pca", err) : err->kind;
    if (st != LM_OK) goto out;
    double total = 0;
    for (int64_t i = 0; i < r; i++) total += s[i] * s[i];
    if (total == 0) {
        st = lm_err_set(err, LM_ERR_DOMAIN, "pca: every sample (row of X) is the same, so there is no variance to explain");
        goto out;
    }
    lm_tensor *w = lm_tensor_matrix(n, k, err), *z = NULL, *e = NULL;
    if (w && Z) z = lm_tensor_matrix(m, k, err);
    if (w && explained) e = lm_tensor_matrix(k, 1, err);
    if (!w || (Z && !z) || (explained && !e)) {
        lm_tensor_release(w);
        lm_tensor_release(z);
        st = err->kind;
        goto out;
    }
    for (int64_t c = 0; c < k; c++) {
        /* direction c is row c of Vᵀ; the scores Xc·w_c are u_c·s_c, flipped with it */
        double f = fix_sign(vt + c, n, r);
        for (int64_t i = 0; i < n; i++) w->data[i * k + c] = vt[i * r + c];
        if (z)
            for (int64_t i = 0; i < m; i++) z->data[i * k + c] = f * u[c * m + i] * s[c];
        if (e) e->data[c] = s[c] * s[c] / total;
    }
    *W = w;
    if (Z) *Z = z;
    if (explained) *explained = e;
out:
    lm_free(xc);
    lm_free(s);
    lm_free(u);
    lm_free(vt);
    return st;
}

/* True when v is a row or column with n elements. */
static bool is_vector_of(const lm_tensor *v, int64_t n) {
    return v->ndim == 2 && v->size == n && (v->shape[0] == 1 || v->shape[1] == 1);
}

lm_tensor *lm_linalg_proj(const lm_tensor *b, const lm_tensor *A, lm_err *err) {
    char sa[64], sb[64];
    lm_tensor_shape_str(A, sa);
    lm_tensor_shape_str(b, sb);
    if (A->ndim != 2 || b->ndim != 2) {
        lm_err_set(err, LM_ERR_SHAPE, "proj(b, A) needs a matrix A and a vector b, not %s and %s", sa, sb);
        return NULL;
    }
    /* either orientation of a vector: a row A with as many entries as b is the
       line through that vector; a row b is read as the column it stands for */
    lm_tensor *at = NULL, *bt = NULL;
    const lm_tensor *AA = A, *bb = b;
    int64_t bn = b->shape[0] == 1 ? b->shape[1] : b->shape[0];
    if (A->shape[0] == 1 && A->shape[1] > 1 && is_vector_of(b, A->shape[1])) AA = at = lm_tensor_transpose(A);
    if (b->shape[0] == 1 && b->shape[1] > 1 && AA->shape[0] == bn) bb = bt = lm_tensor_transpose(b);
    lm_tensor *r = NULL;
    double *u = NULL, *s = NULL, *vt = NULL, *y = NULL, *x = NULL;
    if (AA->shape[0] != bb->shape[0]) {
        lm_err_set(err, LM_ERR_SHAPE,
                   "proj(b, A) with b %s and A %s: b needs as many entries as A has rows (each column of A is a "
                   "vector in the same space as b)",
                   sb, sa);
        goto out;
    }
    int64_t m = AA->shape[0], p = AA->shape[1], q = bb->shape[1], k = m < p ? m : p;
    x = cm_in(bb, "proj", err);
    if (!x || thin_svd(AA, "proj", &u, &s, &vt, err) != LM_OK) goto out;
    /* the first `rank` columns of U are an orthonormal basis of range(A):
       proj = U_r·(U_rᵀ·b), two products on dgemm */
    int64_t rank = 0;
    double tol = default_tol(m, p, s, k);
    while (rank < k && s[rank] > tol) rank++;
    y = scratch(rank * q, "proj", err);
    double *pb = y ? scratch(m * q, "proj", err) : NULL;
    if (!pb) goto out;
    if (rank > 0 && q > 0 && m > 0) {
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (blasint)rank, (blasint)q, (blasint)m, 1.0, u, (blasint)m,
                    x, (blasint)m, 0.0, y, (blasint)rank);
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (blasint)m, (blasint)q, (blasint)rank, 1.0, u,
                    (blasint)m, y, (blasint)rank, 0.0, pb, (blasint)m);
    } else {
        memset(pb, 0, (size_t)(m * q > 0 ? m * q : 1) * sizeof *pb);
    }
    r = cm_out(pb, m, m, q, err);
    lm_free(pb);
out:
    lm_tensor_release(at);
    lm_tensor_release(bt);
    lm_free(u);
    lm_free(s);
    lm_free(vt);
    lm_free(x);
    lm_free(y);
    return r;
}
