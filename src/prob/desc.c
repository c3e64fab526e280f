/* Descriptive statistics, written so that the NIST StRD NumAcc sets (values
 * like 1000000000.2 that differ in the tenth digit) keep their digits: every
 * sum is Neumaier-compensated, the mean gets a corrective second pass, and
 * sums of squares use the corrected two-pass algorithm (Chan, Golub & LeVeque,
 * "Algorithms for computing the sample variance", 1983) with each product's
 * rounding error kept (Dekker's TwoProduct, as in Ogita, Rump & Oishi's Dot2),
 * so they come out as if computed in twice the working precision. */
#include "prob/dist_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A compensated running sum (Neumaier's variant of Kahan's: it also holds
 * when a term is larger than the running total). */
typedef struct csum {
    double s, c;
} csum;

static inline void csum_add(csum *a, double x) {
    double t = a->s + x;
    a->c += fabs(a->s) >= fabs(x) ? (a->s - t) + x : (x - t) + a->s;
    a->s = t;
}
static inline double csum_get(const csum *a) { return a->s + a->c; }

/* Adds a·b with its rounding error (Dekker's split; no FMA, so the result is the
 * same on every x86-64 machine). Past 1e300 the split would overflow: there the
 * error term is dropped, which costs only the last bit. */
static inline void csum_add_prod(csum *acc, double a, double b) {
    double p = a * b;
    const double split = 134217729.0; /* 2^27 + 1 */
    double t = split * a, ahi = t - (t - a), alo = a - ahi;
    t = split * b;
    double bhi = t - (t - b), blo = b - bhi;
    double e = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
    csum_add(acc, p);
    if (isfinite(e)) csum_add(acc, e);
}

double lm_stat_mean(const double *x, int64_t n) {
    if (n <= 0) return NAN;
    csum s = {0, 0};
    for (int64_t i = 0; i < n; i++) csum_add(&s, x[i]);
    double m = csum_get(&s) / (double)n;
    if (!isfinite(m)) return m;
    /* second pass: the mean of the residuals is what the first pass lost */
    csum r = {0, 0};
    for (int64_t i = 0; i < n; i++) csum_add(&r, x[i] - m);
    return m + csum_get(&r) / (double)n;
}

double lm_stat_ssd(const double *x, int64_t n) {
    if (n <= 0) return NAN;
    double m = lm_stat_mean(x, n);
    if (!isfinite(m)) return NAN;
    csum sq = {0, 0}, lin = {0, 0};
    for (int64_t i = 0; i < n; i++) {
        double dx = x[i] - m;
        csum_add_prod(&sq, dx, dx);
        csum_add(&lin, dx);
    }
    double l = csum_get(&lin);
    double ssd = csum_get(&sq) - l * l / (double)n;
    return ssd > 0 ? ssd : 0;
}

double lm_stat_var(const double *x, int64_t n, int ddof) {
    if (n <= 0) return NAN;
    if (n == 1) return 0; /* Octave: the variance of one value is 0 */
    if (n - ddof <= 0) return NAN;
    return lm_stat_ssd(x, n) / (double)(n - ddof);
}

/* Σ (x − mx)(y − my), corrected two-pass; also the two sums of squares when asked. */
static double cross_dev(const double *x, const double *y, int64_t n, double *sxx, double *syy) {
    double mx = lm_stat_mean(x, n), my = lm_stat_mean(y, n);
    csum sxy = {0, 0}, lx = {0, 0}, ly = {0, 0}, qx = {0, 0}, qy = {0, 0};
    for (int64_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        csum_add_prod(&sxy, dx, dy);
        csum_add(&lx, dx);
        csum_add(&ly, dy);
        csum_add_prod(&qx, dx, dx);
        csum_add_prod(&qy, dy, dy);
    }
    double a = csum_get(&lx), b = csum_get(&ly);
    if (sxx) *sxx = fmax(csum_get(&qx) - a * a / (double)n, 0);
    if (syy) *syy = fmax(csum_get(&qy) - b * b / (double)n, 0);
    return csum_get(&sxy) - a * b / (double)n;
}

double lm_stat_cov(const double *x, const double *y, int64_t n, int ddof) {
    if (n <= 0) return NAN;
    if (n == 1) return 0;
    if (n - ddof <= 0) return NAN;
    return cross_dev(x, y, n, NULL, NULL) / (double)(n - ddof);
}

double lm_stat_corr(const double *x, const double *y, int64_t n) {
    if (n < 2) return NAN;
    double sxx, syy, sxy = cross_dev(x, y, n, &sxx, &syy);
    double r = sxy / sqrt(sxx * syy);
    return r > 1 ? 1 : r < -1 ? -1 : r; /* rounding must not leave [-1, 1] */
}

/* R's type 7: index h = 1 + (n − 1) p, then (1 − f)·x[lo] + f·x[hi] exactly as
 * quantile.default writes it, so results agree with R to the last bit. */
double lm_stat_quantile_sorted(const double *s, int64_t n, double p) {
    if (n <= 0 || !(p >= 0 && p <= 1)) return NAN;
    double index = (double)(n - 1) * p; /* 0-based */
    double lo = floor(index), hi = ceil(index);
    double q = s[(int64_t)lo];
    if (index > lo && s[(int64_t)hi] != q) {
        double h = index - lo;
        q = (1 - h) * q + h * s[(int64_t)hi];
    }
    return q;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* A sorted copy, or NULL when a NaN is present (the statistic is then NaN). */
static double *sorted_copy(const double *x, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        if (isnan(x[i])) return NULL;
    double *s = lm_alloc((size_t)n * sizeof(double) + 1);
    memcpy(s, x, (size_t)n * sizeof(double));
    qsort(s, (size_t)n, sizeof(double), cmp_double);
    return s;
}

double lm_stat_median(const double *x, int64_t n) {
    if (n <= 0) return NAN;
    double *s = sorted_copy(x, n);
    if (!s) return NAN;
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    lm_free(s);
    return m;
}

double lm_stat_mode(const double *x, int64_t n) {
    if (n <= 0) return NAN;
    double *s = sorted_copy(x, n);
    if (!s) return NAN;
    double best = s[0];
    int64_t best_run = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && s[j] == s[i]) j++;
        if (j - i > best_run) { /* strictly longer: ties keep the smallest value */
            best_run = j - i;
            best = s[i];
        }
        i = j;
    }
    lm_free(s);
    return best;
}

/* With d = x − m for the computed mean m and δ = mean(d) (what m missed), the
 * exactly centred sums are Σ d_t d_{t+k} − δ (A + B) + (n − k) δ², where A and
 * B are the sums of d over the two overlapping ranges; likewise the lag-0 sum. */
double lm_stat_autocorr(const double *x, int64_t n, int64_t lag) {
    if (n <= 0 || lag < 0 || lag >= n) return NAN;
    double m = lm_stat_mean(x, n);
    csum num = {0, 0}, den = {0, 0}, lin = {0, 0}, a = {0, 0}, b = {0, 0};
    for (int64_t t = 0; t < n; t++) {
        double d = x[t] - m;
        csum_add_prod(&den, d, d);
        csum_add(&lin, d);
        if (t + lag < n) {
            csum_add_prod(&num, d, x[t + lag] - m);
            csum_add(&a, d);
        }
        if (t >= lag) csum_add(&b, d);
    }
    double delta = csum_get(&lin) / (double)n;
    double s0 = csum_get(&den) - (double)n * delta * delta;
    double sk = csum_get(&num) - delta * (csum_get(&a) + csum_get(&b)) + (double)(n - lag) * delta * delta;
    return sk / s0;
}

lm_tensor *lm_stat_columns(lm_statop op, const lm_tensor *x, int ddof, double p, lm_err *err) {
    if (x->imag) {
        lm_err_set(err, LM_ERR_TYPE, "statistics need real numbers, not complex ones");
        return NULL;
    }
    if (x->ndim > 2) {
        lm_err_set(err, LM_ERR_SHAPE, "statistics work on vectors and matrices (columns), not %d-dimensional arrays",
                   x->ndim);
        return NULL;
    }
    if (op == LM_ST_QUANTILE && !(p >= 0 && p <= 1)) {
        lm_err_set(err, LM_ERR_DOMAIN, "quantile: the probability must be between 0 and 1, not %g", p);
        return NULL;
    }
    int64_t rows = lm_tensor_rows(x), cols = lm_tensor_cols(x);
    bool vector = rows == 1 || cols == 1;
    int64_t ncol = vector ? 1 : cols, len = vector ? x->size : rows;
    lm_tensor *out = lm_tensor_matrix(1, ncol, err);
    if (!out) return NULL;
    double *buf = lm_alloc_big((size_t)len * sizeof(double) + 1);
    if (!buf) {
        lm_tensor_release(out);
        lm_err_set(err, LM_ERR_LIMIT, "out of memory for a column of %lld values", (long long)len);
        return NULL;
    }
    for (int64_t j = 0; j < ncol; j++) {
        if (vector) lm_tensor_gather(x, buf);
        else
            for (int64_t i = 0; i < rows; i++) buf[i] = lm_tensor_get2(x, i, j);
        double r;
        switch (op) {
        case LM_ST_MEAN: r = lm_stat_mean(buf, len); break;
        case LM_ST_VAR: r = lm_stat_var(buf, len, ddof); break;
        case LM_ST_STD: r = sqrt(lm_stat_var(buf, len, ddof)); break;
        case LM_ST_MEDIAN: r = lm_stat_median(buf, len); break;
        case LM_ST_MODE: r = lm_stat_mode(buf, len); break;
        default: {
            bool has_nan = false;
            for (int64_t i = 0; i < len; i++) has_nan |= isnan(buf[i]);
            if (has_nan || len == 0) {
                r = NAN;
            } else {
                qsort(buf, (size_t)len, sizeof(double), cmp_double);
                r = lm_stat_quantile_sorted(buf, len, p);
            }
            break;
        }
        }
        out->data[j] = r;
    }
    lm_free(buf);
    return out;
}
