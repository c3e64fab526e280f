/* Information quantities of discrete distributions: entropy, cross-entropy, KL
 * and Jensen-Shannon divergences, joint tables (joint and conditional entropy,
 * mutual information) and the plug-in mutual information of paired samples.
 * Sums follow SciPy's formulas term by term (entr, rel_entr), so results agree
 * with scipy.stats.entropy to rounding. */
#include "lemma/info.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lm_status lm_info_check_base(double base, lm_err *err) {
    if (!(base > 0) || base == 1 || !isfinite(base))
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "the base of the logarithm must be positive and not 1 (2 for bits, e for nats), not %g", base);
    return LM_OK;
}

lm_status lm_info_check(const char *what, const double *p, int64_t n, bool normalize, double *out, lm_err *err) {
    if (n <= 0) return lm_err_set(err, LM_ERR_DOMAIN, "%s is empty: a distribution needs at least one probability", what);
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(p[i]) || p[i] < 0)
            return lm_err_set(err, LM_ERR_DOMAIN, "%s(%lld) is %g; probabilities must be finite and not negative", what,
                              (long long)(i + 1), p[i]);
        s += p[i];
    }
    if (normalize) {
        if (!(s > 0) || !isfinite(s))
            return lm_err_set(err, LM_ERR_DOMAIN, "%s sums to %g; normalizing needs a positive total", what, s);
        for (int64_t i = 0; i < n; i++) out[i] = p[i] / s;
        return LM_OK;
    }
    if (fabs(s - 1) > LM_INFO_SUM_TOL)
        return lm_err_set(err, LM_ERR_DOMAIN,
                          "%s sums to %.10g, not 1; probabilities must add up to one (or pass normalize = true to "
                          "divide by the sum)",
                          what, s);
    if (out != p) memcpy(out, p, (size_t)n * sizeof *out);
    return LM_OK;
}

/* x·log(x/y) with SciPy's rel_entr conventions: 0 at x = 0, inf when y = 0 < x. */
static double rel_entr(double x, double y) {
    if (x == 0) return 0;
    if (y == 0) return INFINITY;
    return x * log(x / y);
}

double lm_info_entropy(const double *p, int64_t n, double base) {
    double s = 0;
    for (int64_t i = 0; i < n; i++)
        if (p[i] > 0) s -= p[i] * log(p[i]);
    return s / log(base);
}

double lm_info_crossentropy(const double *p, const double *q, int64_t n, double base) {
    double s = 0;
    for (int64_t i = 0; i < n; i++) {
        if (p[i] == 0) continue;
        if (q[i] == 0) return INFINITY;
        s -= p[i] * log(q[i]);
    }
    return s / log(base);
}

double lm_info_kl(const double *p, const double *q, int64_t n, double base, int64_t *first_inf) {
    double s = 0;
    if (first_inf) *first_inf = -1;
    for (int64_t i = 0; i < n; i++) {
        double t = rel_entr(p[i], q[i]);
        if (isinf(t)) {
            if (first_inf) *first_inf = i;
            return INFINITY;
        }
        s += t;
    }
    /* rounding can leave -1e-17 for p == q; a divergence is never negative */
    return s > 0 ? s / log(base) : 0;
}

double lm_info_js(const double *p, const double *q, int64_t n, double base) {
    double a = 0, b = 0;
    for (int64_t i = 0; i < n; i++) {
        double m = (p[i] + q[i]) / 2;
        a += rel_entr(p[i], m);
        b += rel_entr(q[i], m);
    }
    double js = (a + b) / 2 / log(base);
    return js > 0 ? js : 0;
}

void lm_info_joint_table(const double *J, int64_t rows, int64_t cols, double base, lm_info_joint *out) {
    double *px = lm_calloc((size_t)rows, sizeof *px), *py = lm_calloc((size_t)cols, sizeof *py);
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            px[i] += J[i * cols + j];
            py[j] += J[i * cols + j];
        }
    double lb = log(base), mi = 0;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            double v = J[i * cols + j];
            if (v > 0) mi += v * log(v / (px[i] * py[j]));
        }
    out->hx = lm_info_entropy(px, rows, base);
    out->hy = lm_info_entropy(py, cols, base);
    out->hxy = lm_info_entropy(J, rows * cols, base);
    out->mi = mi > 0 ? mi / lb : 0;
    /* H(Y|X) = H(X,Y) - H(X): the chain rule; clamp the rounding below zero */
    out->hy_given_x = fmax(out->hxy - out->hx, 0);
    out->hx_given_y = fmax(out->hxy - out->hy, 0);
    lm_free(px);
    lm_free(py);
}

/* ---- samples ---- */

typedef struct keyed {
    double v;
    int64_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    if (x->v < y->v) return -1;
    if (x->v > y->v) return 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int cmp_pair(const void *a, const void *b) {
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Replaces each value by the index of its distinct value (0..k-1); returns k. */
static int64_t codes(const double *v, int64_t n, keyed *tmp, int64_t *code) {
    for (int64_t i = 0; i < n; i++) tmp[i] = (keyed){v[i], i};
    qsort(tmp, (size_t)n, sizeof *tmp, cmp_keyed);
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && tmp[i].v != tmp[i - 1].v) k++;
        code[tmp[i].i] = k;
    }
    return n ? k + 1 : 0;
}

lm_status lm_info_mi_samples(const double *x, const double *y, int64_t n, double base, double *out, lm_err *err) {
    if (n <= 0) return lm_err_set(err, LM_ERR_DOMAIN, "there are no samples");
    keyed *tmp = lm_alloc_big((size_t)n * sizeof *tmp);
    int64_t *cx = lm_alloc_big((size_t)n * sizeof *cx), *cy = lm_alloc_big((size_t)n * sizeof *cy);
    int64_t *pairs = lm_alloc_big((size_t)n * 2 * sizeof *pairs);
    int64_t *nx = NULL, *ny = NULL;
    lm_status st = LM_OK;
    if (!tmp || !cx || !cy || !pairs) {
        st = lm_err_set(err, LM_ERR_LIMIT, "out of memory for %lld samples", (long long)n);
        goto out;
    }
    int64_t kx = codes(x, n, tmp, cx), ky = codes(y, n, tmp, cy);
    nx = lm_calloc((size_t)kx, sizeof *nx);
    ny = lm_calloc((size_t)ky, sizeof *ny);
    for (int64_t i = 0; i < n; i++) {
        nx[cx[i]]++;
        ny[cy[i]]++;
        pairs[2 * i] = cx[i];
        pairs[2 * i + 1] = cy[i];
    }
    qsort(pairs, (size_t)n, 2 * sizeof *pairs, cmp_pair);
    /* I = sum over observed pairs of (c/n)·log(c·n / (cx·cy)) */
    double s = 0, N = (double)n;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && pairs[2 * j] == pairs[2 * i] && pairs[2 * j + 1] == pairs[2 * i + 1]) j++;
        double c = (double)(j - i);
        s += c / N * log(c * N / ((double)nx[pairs[2 * i]] * (double)ny[pairs[2 * i + 1]]));
        i = j;
    }
    *out = s > 0 ? s / log(base) : 0;
out:
    lm_free(tmp);
    lm_free(cx);
    lm_free(cy);
    lm_free(pairs);
    lm_free(nx);
    lm_free(ny);
    return st;
}
