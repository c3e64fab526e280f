/* The floating-point fallback of the exact path's rref, for matrices it cannot
 * take (decimals, more than 6×6, or exact fractions that overflowed): Octave's
 * rref.m, with partial pivoting and the tolerance eps·max(m, n)·norm(A, inf)
 * below which an entry counts as zero. */
#include "lemma/exact.h"

#include <float.h>
#include <math.h>
#include <string.h>

lm_tensor *lm_exact_rref_float(const lm_tensor *A, int64_t *pivots, int64_t *npivots, lm_err *err) {
    char sa[64];
    lm_tensor_shape_str(A, sa);
    if (A->ndim != 2) {
        lm_err_set(err, LM_ERR_SHAPE, "rref needs a matrix, but this is a %s tensor", sa);
        return NULL;
    }
    if (A->imag) {
        lm_err_set(err, LM_ERR_TYPE, "rref works with real matrices; this one is complex");
        return NULL;
    }
    int64_t rows = A->shape[0], cols = A->shape[1];
    lm_tensor *R = lm_tensor_matrix(rows, cols, err);
    if (!R) return NULL;
    double norm_inf = 0;
    for (int64_t i = 0; i < rows; i++) {
        double s = 0;
        for (int64_t j = 0; j < cols; j++) {
            double v = lm_tensor_get2(A, i, j);
            if (!isfinite(v)) {
                lm_tensor_release(R);
                lm_err_set(err, LM_ERR_DOMAIN, "rref needs finite numbers, but A has %s at (%lld, %lld)",
                           isnan(v) ? "NaN" : "an infinity", (long long)i + 1, (long long)j + 1);
                return NULL;
            }
            R->data[i * cols + j] = v;
            s += fabs(v);
        }
        if (s > norm_inf) norm_inf = s;
    }
    double tol = DBL_EPSILON * (double)(rows > cols ? rows : cols) * norm_inf;
    double *a = R->data;
    int64_t r = 0, np = 0;
    for (int64_t c = 0; c < cols && r < rows; c++) {
        int64_t p = r;
        for (int64_t i = r + 1; i < rows; i++)
            if (fabs(a[i * cols + c]) > fabs(a[p * cols + c])) p = i;
        if (fabs(a[p * cols + c]) <= tol) {
            /* what is left of the column is rounding noise: make it the zero it stands for */
            for (int64_t i = r; i < rows; i++) a[i * cols + c] = 0;
            continue;
        }
        if (pivots) pivots[np] = c;
        np++;
        if (p != r)
            for (int64_t j = c; j < cols; j++) {
                double t = a[p * cols + j];
                a[p * cols + j] = a[r * cols + j];
                a[r * cols + j] = t;
            }
        double pv = a[r * cols + c];
        for (int64_t j = c; j < cols; j++) a[r * cols + j] /= pv;
        for (int64_t i = 0; i < rows; i++) {
            if (i == r) continue;
            double f = a[i * cols + c];
            if (f == 0) continue;
            for (int64_t j = c; j < cols; j++) a[i * cols + j] -= f * a[r * cols + j];
            a[i * cols + c] = 0;
        }
        r++;
    }
    if (npivots) *npivots = np;
    return R;
}
