/* Dense solves, inverses and determinants on LAPACKE (LU with partial pivoting,
 * QR for least squares), closed forms for 1×1 to 3×3 inverses and determinants
 * (as Eigen has them: a LAPACK call costs more than the arithmetic there), and
 * the measures and functions of a matrix: dot, cross, trace, norm, expm. */
#include "tensor_int.h"

#include "lemma/linalg.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Column-major contiguous copy of a real 2-D tensor, or NULL with an error.
 * (Only the rectangular least-squares path and right-hand sides use it: the
 * square routines below work on row-major copies, see transposed_copy.) */
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
    int64_t shape[2] = {r, c};
    lm_tensor *t = lm_tensor_alloc_raw(2, shape, false, false, err);
    if (!t) return NULL;
    if (c == 1 && r > 0) memcpy(t->data, d, (size_t)r * sizeof *d);
    else
        for (int64_t i = 0; i < r; i++)
            for (int64_t j = 0; j < c; j++) t->data[i * c + j] = d[j * r + i];
    return t;
}

/* A square A as a fresh contiguous row-major copy, which LAPACK, reading
 * column-major, sees as Aᵀ. The square routines below work on Aᵀ rather than
 * A and so never transpose a matrix (a cache-unfriendly pass over it):
 * det(Aᵀ) = det(A); inv(Aᵀ) = inv(A)ᵀ, which reads back row-major as inv(A);
 * A x = b is (Aᵀ)ᵀ x = b, dgetrs with 'T'; and ||A||₁ = ||Aᵀ||∞. A non-finite
 * entry is a `domain` error that names its place. *norm1 (may be NULL)
 * receives ||A||₁, the largest column sum of |a_ij|. */
static double *transposed_copy(const lm_tensor *A, const char *what, double *norm1, lm_err *err) {
    if (A->imag) {
        lm_err_set(err, LM_ERR_TYPE, "%s is complex; this solver works with real matrices", what);
        return NULL;
    }
    int64_t n = A->shape[0];
    double *d = lm_alloc_big((size_t)(n * n + n > 0 ? n * n + n : 1) * sizeof *d);
    if (!d) {
        lm_err_set(err, LM_ERR_LIMIT, "not enough memory for a copy of %s", what);
        return NULL;
    }
    if (lm_tensor_is_contiguous(A)) {
        if (n) memcpy(d, A->data, (size_t)(n * n) * sizeof *d);
    } else {
        lm_tensor_gather(A, d);
    }
    /* The column sums, row by row (a loop the compiler runs on whole vectors),
       give the 1-norm and check finiteness at once: a sum is finite exactly
       when its terms are, unless finite terms overflowed it. */
    double *colsum = d + n * n, best = 0;
    memset(colsum, 0, (size_t)n * sizeof *colsum);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) colsum[j] += fabs(d[i * n + j]);
    bool finite = true;
    for (int64_t j = 0; j < n; j++) {
        finite &= isfinite(colsum[j]) != 0;
        best = fmax(best, colsum[j]);
    }
    if (!finite)
        for (int64_t k = 0; k < n * n; k++)
            if (!isfinite(d[k])) {
                lm_err_set(err, LM_ERR_DOMAIN, "%s contains %s at (%lld, %lld); solving needs finite numbers", what,
                           isnan(d[k]) ? "NaN" : "an infinity", (long long)(k / n) + 1, (long long)(k % n) + 1);
                lm_free(d);
                return NULL;
            }
    if (norm1) *norm1 = best;
    return d;
}

/* How close to singular a matrix may be: below DBL_EPSILON its reciprocal
 * condition number says that no digit of a solution can be trusted, and the
 * matrix is singular for all practical purposes (`singular` error, naming the
 * condition number); below 1e-12 more than 12 of the 16 significant digits may
 * be lost, and the answer comes with a warning that says how many. */
#define RCOND_SINGULAR DBL_EPSILON
#define RCOND_WARN 1e-12
#define SOLVE_REMEDY "try pinv(A) or lstsq"
#define INV_REMEDY "try pinv, the pseudo-inverse, instead"

/* what names the matrix as the learner sees it ("A" in A \ b, where the
 * equation A x = b defines it; "the matrix" for inv, whose argument has no
 * name here) and remedy is what to try instead. */
static lm_status check_rcond(lm_ctx *ctx, double rcond, const char *what, const char *remedy, lm_err *err) {
    if (rcond >= RCOND_WARN) return LM_OK;
    if (rcond < RCOND_SINGULAR || !isfinite(1 / rcond)) {
        if (rcond == 0 || !isfinite(1 / rcond))
            return lm_err_set(err, LM_ERR_SINGULAR,
                              "singular matrix: %s is not invertible (condition number is infinite); %s", what, remedy);
        return lm_err_set(err, LM_ERR_SINGULAR,
                          "singular matrix: %s is not invertible to working precision (condition number %.2g, past "
                          "1/eps = 4.5e+15); %s",
                          what, 1 / rcond, remedy);
    }
    double digits = log10(1 / rcond);
    lm_warn(ctx, "%s is close to singular (condition number %.2g): about %.0f of the 16 significant digits of the "
                 "result may be wrong",
            what, 1 / rcond, digits > 16 ? 16 : digits);
    return LM_OK;
}

/* rcond(A) in the 1-norm from the LU factors of Aᵀ (column-major, n > 0):
 * the estimator of Hager and Higham that dgecon runs (LAPACK's dlacn2, which
 * asks for products with inv(A) and inv(A)ᵀ by reverse communication), with
 * each product done by dgetrs on OpenBLAS's triangular solves. dgecon does
 * them with dlatrs, a reference-Fortran solver that rescales against
 * overflow, and takes twice as long for the same number (0.45 against 0.2 ms
 * at n = 500, a sixth of the factorization). Overflow without that care means
 * an inverse beyond 1e308: the estimate becomes inf or NaN, and the matrix is
 * reported singular, which it is to working precision. */
static double rcond_from_lu(const double *at, lapack_int n, const lapack_int *piv, double anorm) {
    double *v = lm_alloc((size_t)n * 2 * sizeof *v), *x = v + n, est = 0;
    lapack_int *isgn = lm_alloc((size_t)n * sizeof *isgn), kase = 0, isave[3] = {0, 0, 0};
    /* One right-hand side a call, never batched with the solve's b or with
       each other: with one column dgetrs runs OpenBLAS's triangular solve for
       a vector, 0.04 ms at n = 500; with three it takes the blocked matrix
       path, which packs the factors first, and costs 0.16 ms (measured; a
       batched version of this loop was slower by that much). The estimator
       asks for five products on a typical matrix. */
    for (;;) {
        LAPACK_dlacn2(&n, v, x, isgn, &est, &kase, isave);
        if (kase == 0) break;
        /* kase 1: x := inv(A)·x, which is inv(Aᵀ)ᵀ·x, a 'T' solve with the
           factors of Aᵀ; kase 2: x := inv(A)ᵀ·x, an 'N' solve */
        LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, kase == 1 ? 'T' : 'N', n, 1, at, n, piv, x, n);
    }
    lm_free(v);
    lm_free(isgn);
    if (!(est > 0) || !isfinite(est) || anorm == 0) return 0;
    return 1 / est / anorm;
}

/* LU-factors at = Aᵀ (n×n, column-major, from transposed_copy) in place;
 * reports singularity and, through ctx, near-singularity. anorm is ||A||₁ =
 * ||Aᵀ||∞. With b (n×nrhs, column-major) given, it also overwrites b with
 * inv(A)·b, the solution of A x = b (whatever the verdict on the condition). */
static lm_status lu_checked(lm_ctx *ctx, double *at, lapack_int n, double anorm, lapack_int *piv, double *b,
                            lapack_int nrhs, const char *what, const char *remedy, lm_err *err) {
    if (n == 0) return LM_OK;
    /* the _work entry points skip LAPACKE's own NaN scan: transposed_copy made one */
    lapack_int info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, n, n, at, n, piv);
    if (info > 0)
        return lm_err_set(err, LM_ERR_SINGULAR,
                          "singular matrix: %s is not invertible (pivot %d is zero, so its columns are linearly "
                          "dependent); %s",
                          what, (int)info, remedy);
    if (info < 0) return lm_err_set(err, LM_ERR_INTERNAL, "LAPACK dgetrf rejected argument %d", (int)-info);
    /* A x = b is (Aᵀ)ᵀ x = b: a 'T' solve with the factors of Aᵀ */
    if (b && nrhs > 0) LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, 'T', n, nrhs, at, n, piv, b, n);
    return check_rcond(ctx, rcond_from_lu(at, n, piv, anorm), what, remedy, err);
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
    lm_tensor *x = NULL;
    if (m == n) {
        double anorm = 0;
        double *at = transposed_copy(A, "A", &anorm, err);
        double *b = at ? colmajor_copy(B, "b", err) : NULL;
        lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
        if (b && lu_checked(ctx, at, (lapack_int)n, anorm, piv, b, (lapack_int)k, "A", SOLVE_REMEDY, err) == LM_OK)
            x = from_colmajor(b, n, k, err);
        lm_free(piv);
        lm_free(b);
        lm_free(at);
        return x;
    }
    /* least squares (or minimum norm) through QR: b needs max(m, n) rows of room */
    double *a = colmajor_copy(A, "A", err);
    if (!a) return NULL;
    {
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

/* ---- closed forms for 1×1 to 3×3 ---- */

/* A 1×1, 2×2 or 3×3 real matrix as 9 doubles in row-major order, or false
 * when it is not one of those or has a non-finite entry (the LAPACK path then
 * reports it). */
static bool small_matrix(const lm_tensor *A, double m[9]) {
    int64_t n = A->shape[0];
    if (A->imag || n < 1 || n > 3) return false;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            double v = lm_tensor_get2(A, i, j);
            if (!isfinite(v)) return false;
            m[i * n + j] = v;
        }
    return true;
}

static double det_small(const double *m, int64_t n) {
    switch (n) {
    case 1: return m[0];
    case 2: return m[0] * m[3] - m[1] * m[2];
    default:
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
               m[2] * (m[3] * m[7] - m[4] * m[6]);
    }
}

/* The largest column sum of |m|: the 1-norm, for the condition number. */
static double norm1_small(const double *m, int64_t n) {
    double best = 0;
    for (int64_t j = 0; j < n; j++) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += fabs(m[i * n + j]);
        if (s > best) best = s;
    }
    return best;
}

/* The inverse by the adjugate, x = adj(m) / det(m). False when det is zero or
 * something overflows: the LU path then decides (and names the zero pivot). */
static bool inv_small(const double *m, int64_t n, double *x) {
    double d = det_small(m, n);
    if (d == 0 || !isfinite(d)) return false;
    switch (n) {
    case 1: x[0] = 1 / m[0]; break;
    case 2:
        x[0] = m[3] / d, x[1] = -m[1] / d;
        x[2] = -m[2] / d, x[3] = m[0] / d;
        break;
    default:
        x[0] = (m[4] * m[8] - m[5] * m[7]) / d;
        x[1] = (m[2] * m[7] - m[1] * m[8]) / d;
        x[2] = (m[1] * m[5] - m[2] * m[4]) / d;
        x[3] = (m[5] * m[6] - m[3] * m[8]) / d;
        x[4] = (m[0] * m[8] - m[2] * m[6]) / d;
        x[5] = (m[2] * m[3] - m[0] * m[5]) / d;
        x[6] = (m[3] * m[7] - m[4] * m[6]) / d;
        x[7] = (m[1] * m[6] - m[0] * m[7]) / d;
        x[8] = (m[0] * m[4] - m[1] * m[3]) / d;
        break;
    }
    for (int64_t i = 0; i < n * n; i++)
        if (!isfinite(x[i])) return false;
    return true;
}

lm_tensor *lm_linalg_inv(lm_ctx *ctx, const lm_tensor *A, lm_err *err) {
    if (!square(A, "inv", err)) return NULL;
    int64_t n = A->shape[0];
    double m[9], xs[9];
    if (small_matrix(A, m) && inv_small(m, n, xs)) {
        /* the exact 1-norm condition number, ||A||·||inv(A)||, is at hand */
        if (check_rcond(ctx, 1 / (norm1_small(m, n) * norm1_small(xs, n)), "the matrix", INV_REMEDY, err) != LM_OK) return NULL;
        lm_tensor *x = lm_tensor_alloc_raw(2, A->shape, false, false, err);
        if (x) memcpy(x->data, xs, (size_t)(n * n) * sizeof *xs);
        return x;
    }
    /* inv(Aᵀ) = inv(A)ᵀ: computed in place on the row-major copy, it reads back
       as inv(A) with no transposition */
    double anorm = 0;
    double *at = transposed_copy(A, "the matrix", &anorm, err);
    if (!at) return NULL;
    lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
    lm_tensor *x = NULL;
    if (lu_checked(ctx, at, (lapack_int)n, anorm, piv, NULL, 0, "the matrix", INV_REMEDY, err) == LM_OK) {
        lapack_int info = 0;
        if (n) {
            double query = 0;
            LAPACKE_dgetri_work(LAPACK_COL_MAJOR, (lapack_int)n, at, (lapack_int)n, piv, &query, -1);
            lapack_int lwork = query > n ? (lapack_int)query : (lapack_int)n;
            double *work = lm_alloc_big((size_t)lwork * sizeof *work);
            info = work ? LAPACKE_dgetri_work(LAPACK_COL_MAJOR, (lapack_int)n, at, (lapack_int)n, piv, work, lwork)
                        : -1;
            lm_free(work);
        }
        if (info == 0) {
            x = lm_tensor_alloc_raw(2, A->shape, false, false, err);
            if (x && n) memcpy(x->data, at, (size_t)(n * n) * sizeof *at);
        } else {
            lm_err_set(err, info < 0 ? LM_ERR_LIMIT : LM_ERR_INTERNAL, "inv: LAPACK dgetri failed (info %d)", (int)info);
        }
    }
    lm_free(piv);
    lm_free(at);
    return x;
}

lm_status lm_linalg_det(const lm_tensor *A, double *out, lm_err *err) {
    if (!square(A, "det", err)) return err->kind;
    int64_t n = A->shape[0];
    double m[9];
    if (small_matrix(A, m)) {
        *out = det_small(m, n);
        return LM_OK;
    }
    double *a = transposed_copy(A, "A", NULL, err); /* det(Aᵀ) = det(A) */
    if (!a) return err->kind;
    lapack_int *piv = lm_alloc((size_t)(n ? n : 1) * sizeof *piv);
    lapack_int info = n ? LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, a, (lapack_int)n, piv) : 0;
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

/* ---- vectors ---- */

/* True when t is a vector (1×n, n×1 or 1-D); its elements are then read in
 * row-major logical order, which is the vector's own order either way. */
static bool is_vector(const lm_tensor *t) {
    return t->ndim == 1 || (t->ndim == 2 && (t->shape[0] == 1 || t->shape[1] == 1));
}

lm_tensor *lm_linalg_dot(const lm_tensor *a, const lm_tensor *b, lm_err *err) {
    char sa[64], sb[64];
    if (!is_vector(a) || !is_vector(b) || a->size != b->size) {
        lm_tensor_shape_str(a, sa);
        lm_tensor_shape_str(b, sb);
        if (!is_vector(a) || !is_vector(b))
            lm_err_set(err, LM_ERR_SHAPE,
                       "dot takes two vectors, but got %s and %s; for matrices, sum(A .* B) adds up every product",
                       sa, sb);
        else
            lm_err_set(err, LM_ERR_SHAPE, "dot of %s and %s: the vectors have %lld and %lld elements", sa, sb,
                       (long long)a->size, (long long)b->size);
        return NULL;
    }
    bool cplx = a->imag || b->imag;
    int64_t one[2] = {1, 1};
    lm_tensor *r = lm_tensor_alloc_raw(2, one, cplx, true, err);
    if (!r) return NULL;
    int64_t n = a->size;
    int64_t ia = n > 1 ? a->stride[a->ndim == 2 && a->shape[0] == 1 ? 1 : 0] : 1;
    int64_t ib = n > 1 ? b->stride[b->ndim == 2 && b->shape[0] == 1 ? 1 : 0] : 1;
    if (!cplx) {
        /* ddot reads each vector in place at its own stride */
        if (n > 0 && ia != 0 && ib != 0) {
            r->data[0] = cblas_ddot((blasint)n, a->data, (blasint)ia, b->data, (blasint)ib);
        } else {
            double s = 0;
            for (int64_t k = 0; k < n; k++) s += a->data[k * ia] * b->data[k * ib];
            r->data[0] = s;
        }
        return r;
    }
    /* sum(conj(a) .* b), as Octave: dot(a, a) is the squared length */
    double re = 0, im = 0;
    for (int64_t k = 0; k < n; k++) {
        double ar = a->data[k * ia], ai = a->imag ? -a->imag[k * ia] : 0;
        double br = b->data[k * ib], bi = b->imag ? b->imag[k * ib] : 0;
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
    }
    r->data[0] = re;
    r->imag[0] = im;
    return r;
}

lm_tensor *lm_linalg_cross(const lm_tensor *a, const lm_tensor *b, lm_err *err) {
    if (!is_vector(a) || !is_vector(b) || a->size != 3 || b->size != 3) {
        char sa[64], sb[64];
        lm_tensor_shape_str(a, sa);
        lm_tensor_shape_str(b, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cross takes two vectors with 3 elements each (the cross product lives in 3-D), "
                   "but got %s and %s", sa, sb);
        return NULL;
    }
    if (a->imag || b->imag) {
        lm_err_set(err, LM_ERR_TYPE, "cross works with real vectors");
        return NULL;
    }
    double x[3], y[3];
    lm_tensor_gather(a, x);
    lm_tensor_gather(b, y);
    lm_tensor *r = lm_tensor_matrix(3, 1, err);
    if (!r) return NULL;
    r->data[0] = x[1] * y[2] - x[2] * y[1];
    r->data[1] = x[2] * y[0] - x[0] * y[2];
    r->data[2] = x[0] * y[1] - x[1] * y[0];
    return r;
}

lm_tensor *lm_linalg_trace(const lm_tensor *A, lm_err *err) {
    if (!square(A, "trace", err)) return NULL;
    int64_t one[2] = {1, 1}, n = A->shape[0];
    lm_tensor *r = lm_tensor_alloc_raw(2, one, A->imag != NULL, true, err);
    if (!r) return NULL;
    int64_t step = A->stride[0] + A->stride[1];
    r->data[0] = n ? lm_tensor_pairwise_sum(A->data, n, step) : 0;
    if (A->imag) r->imag[0] = n ? lm_tensor_pairwise_sum(A->imag, n, step) : 0;
    return r;
}

/* ---- norms ---- */

/* |element k| (row-major logical order) of t, complex or real. */
static double abs_at(const lm_tensor *t, int64_t off) {
    return t->imag ? hypot(t->data[off], t->imag[off]) : fabs(t->data[off]);
}

/* sqrt(sum x_i^2) scaled as dnrm2 does, so that 1e200 and 1e-200 survive. */
static double norm2_vec(const lm_tensor *t) {
    double scale = 0, ssq = 1;
    for (int64_t k = 0; k < t->size; k++) {
        double d = abs_at(t, lm_tensor_offset(t, k));
        if (d == 0) continue;
        if (isnan(d)) return NAN;
        if (scale < d) {
            ssq = 1 + ssq * (scale / d) * (scale / d);
            scale = d;
        } else {
            ssq += (d / scale) * (d / scale);
        }
    }
    return isinf(scale) ? INFINITY : scale * sqrt(ssq);
}

static double norm_p_vec(const lm_tensor *t, double p) {
    int64_t n = t->size;
    if (p == 2) return norm2_vec(t);
    double acc = 0, big = 0;
    if (isinf(p)) {
        acc = p > 0 ? 0 : INFINITY;
        for (int64_t k = 0; k < n; k++) {
            double d = abs_at(t, lm_tensor_offset(t, k));
            if (isnan(d)) return NAN;
            acc = p > 0 ? fmax(acc, d) : fmin(acc, d);
        }
        return n ? acc : 0;
    }
    if (p == 0) { /* Octave's Hamming norm: how many elements are not zero */
        for (int64_t k = 0; k < n; k++) acc += abs_at(t, lm_tensor_offset(t, k)) != 0;
        return acc;
    }
    if (p == 1) {
        for (int64_t k = 0; k < n; k++) acc += abs_at(t, lm_tensor_offset(t, k));
        return acc;
    }
    /* (sum |x|^p)^(1/p) with every |x| divided by the largest first, so that
       large p cannot overflow */
    for (int64_t k = 0; k < n; k++) big = fmax(big, abs_at(t, lm_tensor_offset(t, k)));
    if (big == 0 || isinf(big)) return p > 0 ? big : 0;
    for (int64_t k = 0; k < n; k++) acc += pow(abs_at(t, lm_tensor_offset(t, k)) / big, p);
    return big * pow(acc, 1 / p);
}

/* The largest singular value of a complex matrix (zgesdd): the 2-norm. */
static lm_status norm2_complex(const lm_tensor *A, double *out, lm_err *err) {
    int64_t m = A->shape[0], n = A->shape[1], k = m < n ? m : n;
    lapack_complex_double *z = lm_alloc_big((size_t)(m * n > 0 ? m * n : 1) * sizeof *z);
    double *s = lm_alloc_big((size_t)(k ? k : 1) * sizeof *s);
    lm_status st = LM_OK;
    if (!z || !s) {
        st = lm_err_set(err, LM_ERR_LIMIT, "norm: not enough memory for a copy of the matrix");
        goto out;
    }
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++)
            z[j * m + i] = lapack_make_complex_double(lm_tensor_get2(A, i, j), lm_tensor_imag2(A, i, j));
    lapack_int info = k ? LAPACKE_zgesdd(LAPACK_COL_MAJOR, 'N', (lapack_int)m, (lapack_int)n, z, (lapack_int)m, s,
                                         NULL, 1, NULL, 1)
                        : 0;
    if (info > 0) st = lm_err_set(err, LM_ERR_CONVERGENCE, "norm: the SVD did not converge");
    else if (info < 0) st = lm_err_set(err, LM_ERR_INTERNAL, "LAPACK zgesdd rejected argument %d", (int)-info);
    else *out = k ? s[0] : 0;
out:
    lm_free(z);
    lm_free(s);
    return st;
}

lm_status lm_linalg_norm(const lm_tensor *A, lm_normkind kind, double p, double *out, lm_err *err) {
    if (is_vector(A) || A->size == 0) {
        *out = kind == LM_NORM_FRO ? norm2_vec(A) : norm_p_vec(A, p);
        return LM_OK;
    }
    char sh[64];
    lm_tensor_shape_str(A, sh);
    if (A->ndim != 2)
        return lm_err_set(err, LM_ERR_SHAPE, "norm works on vectors and matrices, not a %s tensor", sh);
    for (int64_t k = 0; k < A->size; k++) {
        int64_t off = lm_tensor_offset(A, k);
        if (isnan(A->data[off]) || (A->imag && isnan(A->imag[off]))) {
            *out = NAN;
            return LM_OK;
        }
    }
    int64_t m = A->shape[0], n = A->shape[1];
    if (kind == LM_NORM_FRO) {
        *out = norm2_vec(A);
        return LM_OK;
    }
    if (p == 1 || (isinf(p) && p > 0)) {
        /* 1: the largest column sum of |a_ij|; inf: the largest row sum */
        bool cols = p == 1;
        double best = 0;
        for (int64_t o = 0; o < (cols ? n : m); o++) {
            double s = 0;
            for (int64_t q = 0; q < (cols ? m : n); q++) {
                int64_t i = cols ? q : o, j = cols ? o : q;
                s += A->imag ? hypot(lm_tensor_get2(A, i, j), lm_tensor_imag2(A, i, j)) : fabs(lm_tensor_get2(A, i, j));
            }
            best = fmax(best, s);
        }
        *out = best;
        return LM_OK;
    }
    if (p == 2) {
        for (int64_t k = 0; k < A->size; k++)
            if (isinf(abs_at(A, lm_tensor_offset(A, k)))) {
                *out = INFINITY;
                return LM_OK;
            }
        if (A->imag) return norm2_complex(A, out, err);
        lm_tensor *s = lm_linalg_svdvals(A, err);
        if (!s) return err->kind;
        *out = s->size ? s->data[0] : 0;
        lm_tensor_release(s);
        return LM_OK;
    }
    char ps[32];
    lm_fmt_double_shortest(ps, p);
    return lm_err_set(err, LM_ERR_DOMAIN,
                      "norm(A, %s): for a matrix, p is 1, 2, inf or \"fro\" (any p works for a vector)", ps);
}

/* ---- the matrix exponential ---- */

/* Padé coefficients b_0..b_m of degree m = 3, 5, 7, 9, 13, and the largest
 * 1-norm θ_m for which that degree is accurate to double precision without
 * scaling (Higham 2005, "The scaling and squaring method for the matrix
 * exponential revisited", Table 2.3 and eq. 2.11). */
static const double pade3[] = {120, 60, 12, 1};
static const double pade5[] = {30240, 15120, 3360, 420, 30, 1};
static const double pade7[] = {17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1};
static const double pade9[] = {17643225600., 8821612800., 2075673600., 302702400., 30270240.,
                               2162160.,     110880.,     3960.,       90.,        1.};
static const double pade13[] = {64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
                                129060195264000.,   10559470521600.,    670442572800.,     33522128640.,
                                1323241920.,        40840800.,          960960.,           16380.,
                                182.,               1.};
static const struct {
    int m;
    double theta;
    const double *b;
} pade_orders[] = {
    {3, 1.495585217958292e-2, pade3},
    {5, 2.539398330063230e-1, pade5},
    {7, 9.504178996162932e-1, pade7},
    {9, 2.097847961257068e0, pade9},
};
#define THETA13 5.371920351148152

/* c = a·b for n×n column-major matrices. */
static void mm(int64_t n, const double *a, const double *b, double *c) {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (blasint)n, (blasint)n, (blasint)n, 1.0, a, (blasint)n,
                b, (blasint)n, 0.0, c, (blasint)n);
}

/* The Padé approximant r_m(A) = (V - U)⁻¹(V + U) into x, where U holds the odd
 * and V the even terms. w is workspace of 7 n×n matrices. */
static lm_status pade(int64_t n, const double *a, int m, const double *b, double *x, double *w, lm_err *err) {
    int64_t nn = n * n;
    double *a2 = w, *a4 = w + nn, *a6 = w + 2 * nn, *u = w + 3 * nn, *v = w + 4 * nn, *t = w + 5 * nn;
    lapack_int *piv = (lapack_int *)(w + 6 * nn);
    mm(n, a, a, a2);
    if (m >= 5) mm(n, a2, a2, a4);
    if (m >= 7) mm(n, a4, a2, a6);
    if (m == 13) {
        /* U = A·[A6(b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
           V =    A6(b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I */
        for (int64_t k = 0; k < nn; k++) t[k] = b[13] * a6[k] + b[11] * a4[k] + b[9] * a2[k];
        mm(n, a6, t, u);
        for (int64_t k = 0; k < nn; k++) u[k] += b[7] * a6[k] + b[5] * a4[k] + b[3] * a2[k];
        for (int64_t k = 0; k < n; k++) u[k * n + k] += b[1];
        mm(n, a, u, t);
        memcpy(u, t, (size_t)nn * sizeof *u);
        for (int64_t k = 0; k < nn; k++) t[k] = b[12] * a6[k] + b[10] * a4[k] + b[8] * a2[k];
        mm(n, a6, t, v);
        for (int64_t k = 0; k < nn; k++) v[k] += b[6] * a6[k] + b[4] * a4[k] + b[2] * a2[k];
        for (int64_t k = 0; k < n; k++) v[k * n + k] += b[0];
    } else {
        /* U = A·sum b_{2j+1} A^{2j},  V = sum b_{2j} A^{2j}, powers up to A^8 */
        double *pw[5] = {NULL, a2, a4, a6, NULL};
        if (m == 9) {
            pw[4] = x; /* x is free until the solve: it holds A8 meanwhile */
            mm(n, a6, a2, x);
        }
        memset(t, 0, (size_t)nn * sizeof *t);
        memset(v, 0, (size_t)nn * sizeof *v);
        for (int64_t k = 0; k < n; k++) t[k * n + k] = b[1], v[k * n + k] = b[0];
        for (int j = 1; 2 * j <= m; j++)
            for (int64_t k = 0; k < nn; k++) {
                t[k] += b[2 * j + 1] * pw[j][k];
                v[k] += b[2 * j] * pw[j][k];
            }
        mm(n, a, t, u);
    }
    /* solve (V - U) X = V + U */
    for (int64_t k = 0; k < nn; k++) {
        x[k] = v[k] + u[k];
        t[k] = v[k] - u[k];
    }
    lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, t, (lapack_int)n, piv, x,
                                    (lapack_int)n);
    if (info != 0)
        return lm_err_set(err, LM_ERR_INTERNAL, "expm: the Padé denominator was singular (LAPACK dgesv info %d)",
                          (int)info);
    return LM_OK;
}

lm_tensor *lm_linalg_expm(const lm_tensor *A, lm_err *err) {
    if (!square(A, "expm", err)) return NULL;
    if (A->imag) {
        lm_err_set(err, LM_ERR_TYPE, "expm works with real matrices; this one is complex");
        return NULL;
    }
    int64_t n = A->shape[0], nn = n * n;
    lm_tensor *r = lm_tensor_alloc_raw(2, A->shape, false, false, err);
    if (!r || n == 0) return r;
    /* Row-major A read as column-major is Aᵀ, and expm(Aᵀ) = expm(A)ᵀ, so the
       result written column-major reads back row-major as expm(A): no copies
       between layouts are needed. */
    double *a = lm_alloc_big((size_t)nn * 8 * sizeof *a);
    if (!a) {
        lm_tensor_release(r);
        lm_err_set(err, LM_ERR_LIMIT, "expm: not enough memory for its workspace");
        return NULL;
    }
    double *w = a + nn;
    lm_tensor_gather(A, a);
    for (int64_t k = 0; k < nn; k++)
        if (!isfinite(a[k])) {
            lm_free(a);
            lm_tensor_release(r);
            lm_err_set(err, LM_ERR_DOMAIN, "expm: the matrix has %s; it needs finite numbers",
                       isnan(a[k]) ? "NaN" : "an infinity");
            return NULL;
        }
    /* a diagonal matrix (the identity, a scaling) exponentiates entry by entry:
       exact, and where exp overflows, inf on the diagonal rather than the NaN
       that inf·0 would spread through the squarings */
    bool diagonal = true;
    for (int64_t k = 0; k < nn && diagonal; k++) diagonal = a[k] == 0 || k % (n + 1) == 0;
    if (diagonal) {
        for (int64_t k = 0; k < nn; k++) r->data[k] = k % (n + 1) == 0 ? exp(a[k]) : 0;
        lm_free(a);
        return r;
    }
    /* ||A||₁ is ||Aᵀ||∞ of the buffer as LAPACK reads it */
    double norm1 = LAPACKE_dlange(LAPACK_COL_MAJOR, 'I', (lapack_int)n, (lapack_int)n, a, (lapack_int)n);
    lm_status st = LM_OK;
    bool done = false;
    for (size_t o = 0; o < sizeof pade_orders / sizeof pade_orders[0] && !done; o++)
        if (norm1 <= pade_orders[o].theta) {
            st = pade(n, a, pade_orders[o].m, pade_orders[o].b, r->data, w, err);
            done = true;
        }
    if (!done) {
        /* scale A by 2^-s so that its norm is at most θ13, then square s times */
        int s = norm1 > THETA13 ? (int)ceil(log2(norm1 / THETA13)) : 0;
        if (s > 0)
            for (int64_t k = 0; k < nn; k++) a[k] = ldexp(a[k], -s);
        st = pade(n, a, 13, pade13, r->data, w, err);
        for (int i = 0; i < s && st == LM_OK; i++) {
            mm(n, r->data, r->data, w);
            memcpy(r->data, w, (size_t)nn * sizeof *w);
        }
    }
    lm_free(a);
    if (st != LM_OK) {
        lm_tensor_release(r);
        return NULL;
    }
    return r;
}
