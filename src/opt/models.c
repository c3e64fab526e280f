/* Two models fitted by the optimizers, as numeric objectives: least squares
 * (to set beside the closed form X \ y) and logistic regression (mean binary
 * cross-entropy in nats, computed without overflow). */
#include "lemma/linalg.h"
#include "lemma/opt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct data {
    const double *X, *y;
    int64_t m;
    int k;
    double lambda;
    double *r; /* m residuals or probabilities (scratch) */
} data;

/* f = (1/2m)·||X·w - y||², g = (1/m)·Xᵀ(X·w - y). */
static double lsq_fg(void *ud, const double *w, double *g) {
    data *D = ud;
    double s = 0;
    for (int64_t i = 0; i < D->m; i++) {
        double z = -D->y[i];
        for (int j = 0; j < D->k; j++) z += D->X[i * D->k + j] * w[j];
        D->r[i] = z;
        s += z * z;
    }
    if (g) {
        for (int j = 0; j < D->k; j++) g[j] = 0;
        for (int64_t i = 0; i < D->m; i++)
            for (int j = 0; j < D->k; j++) g[j] += D->X[i * D->k + j] * D->r[i];
        for (int j = 0; j < D->k; j++) g[j] /= (double)D->m;
    }
    return s / (2.0 * (double)D->m);
}

/* XᵀX/m (plus lambda·I): the Hessian of least squares, and of the logistic
 * loss when weighted by p(1-p) (weights NULL: all ones). */
static void gram(const data *D, const double *weights, double *H) {
    int k = D->k;
    memset(H, 0, (size_t)k * (size_t)k * sizeof *H);
    for (int64_t i = 0; i < D->m; i++) {
        double wi = weights ? weights[i] : 1;
        const double *xi = D->X + i * k;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) H[a * k + b] += wi * xi[a] * xi[b];
    }
    for (int a = 0; a < k * k; a++) H[a] /= (double)D->m;
    for (int a = 0; a < k; a++) H[a * k + a] += D->lambda;
}

static void lsq_hess(void *ud, const double *w, double *H) {
    (void)w;
    gram(ud, NULL, H);
}

/* log(1 + e^z) without overflow. */
static double softplus(double z) { return (z > 0 ? z : 0) + log1p(exp(-fabs(z))); }
static double sigmoid(double z) {
    if (z >= 0) return 1 / (1 + exp(-z));
    double e = exp(z);
    return e / (1 + e);
}

/* f = mean(softplus(z) - y·z) + lambda/2·||w||², z = X·w: the mean binary
 * cross-entropy of sigmoid(z) against y, in nats. */
static double logreg_fg(void *ud, const double *w, double *g) {
    data *D = ud;
    double s = 0;
    for (int64_t i = 0; i < D->m; i++) {
        double z = 0;
        for (int j = 0; j < D->k; j++) z += D->X[i * D->k + j] * w[j];
        s += softplus(z) - D->y[i] * z;
        D->r[i] = sigmoid(z) - D->y[i];
    }
    double reg = 0;
    for (int j = 0; j < D->k; j++) reg += w[j] * w[j];
    if (g) {
        for (int j = 0; j < D->k; j++) g[j] = 0;
        for (int64_t i = 0; i < D->m; i++)
            for (int j = 0; j < D->k; j++) g[j] += D->X[i * D->k + j] * D->r[i];
        for (int j = 0; j < D->k; j++) g[j] = g[j] / (double)D->m + D->lambda * w[j];
    }
    return s / (double)D->m + 0.5 * D->lambda * reg;
}

static void logreg_hess(void *ud, const double *w, double *H) {
    data *D = ud;
    for (int64_t i = 0; i < D->m; i++) {
        double z = 0;
        for (int j = 0; j < D->k; j++) z += D->X[i * D->k + j] * w[j];
        double p = sigmoid(z);
        D->r[i] = p * (1 - p);
    }
    gram(D, D->r, H);
}

double lm_opt_logreg_loss(const double *X, const double *y, int64_t m, int k, const double *w, double *accuracy) {
    double s = 0;
    int64_t right = 0;
    for (int64_t i = 0; i < m; i++) {
        double z = 0;
        for (int j = 0; j < k; j++) z += X[i * k + j] * w[j];
        s += softplus(z) - y[i] * z;
        right += (z > 0) == (y[i] > 0.5);
    }
    if (accuracy) *accuracy = m ? (double)right / (double)m : NAN;
    return m ? s / (double)m : NAN;
}

static bool check_data(const double *X, const double *y, int64_t m, int k, bool labels, lm_err *err) {
    if (m <= 0 || k <= 0) {
        lm_err_set(err, LM_ERR_SHAPE, "the data are empty: X needs at least one row and one column");
        return false;
    }
    for (int64_t i = 0; i < m * k; i++)
        if (!isfinite(X[i])) {
            lm_err_set(err, LM_ERR_DOMAIN, "X(%lld, %lld) is %g; the data must be finite", (long long)(i / k + 1),
                       (long long)(i % k + 1), X[i]);
            return false;
        }
    for (int64_t i = 0; i < m; i++) {
        if (!isfinite(y[i]) || (labels && y[i] != 0 && y[i] != 1)) {
            lm_err_set(err, LM_ERR_DOMAIN, labels ? "y(%lld) is %g; the labels must be 0 or 1"
                                                  : "y(%lld) is %g; the data must be finite",
                       (long long)(i + 1), y[i]);
            return false;
        }
    }
    return true;
}

lm_opt_trace *lm_opt_lsq(lm_ctx *ctx, const double *X, const double *y, int64_t m, int k, const lm_opt_params *par,
                         lm_err *err) {
    if (!check_data(X, y, m, k, false, err)) return NULL;
    data D = {X, y, m, k, 0, lm_alloc_big((size_t)m * sizeof(double))};
    if (!D.r) {
        lm_err_set(err, LM_ERR_LIMIT, "out of memory for %lld residuals", (long long)m);
        return NULL;
    }
    lm_opt_params p = *par;
    lm_opt_trace *T = NULL;
    double *w0 = lm_calloc((size_t)k, sizeof *w0);
    if (!(p.lr > 0)) {
        /* 1/L, L = the largest eigenvalue of XᵀX/m: gd's guaranteed step */
        double *H = lm_alloc_big((size_t)k * (size_t)k * sizeof *H);
        lm_tensor *A = H ? lm_tensor_matrix(k, k, err) : NULL;
        if (!A) {
            if (!H) lm_err_set(err, LM_ERR_LIMIT, "a %d×%d Gram matrix does not fit in memory", k, k);
            lm_free(H);
            goto out;
        }
        gram(&D, NULL, H);
        memcpy(A->data, H, (size_t)k * (size_t)k * sizeof *H);
        lm_free(H);
        lm_tensor *ev = lm_linalg_eigvals(A, err);
        lm_tensor_release(A);
        if (!ev) goto out;
        double L = 0;
        for (int64_t i = 0; i < ev->size; i++) L = fmax(L, ev->data[lm_tensor_offset(ev, i)]);
        lm_tensor_release(ev);
        if (!(L > 0)) {
            lm_err_set(err, LM_ERR_DOMAIN, "X is all zeros: there is nothing to fit");
            goto out;
        }
        p.lr = p.method == LM_OPT_NEWTON ? 1 : 1 / L;
    }
    lm_opt_problem prob = {k, lsq_fg, lsq_hess, &D};
    T = lm_opt_minimize(ctx, &prob, &p, w0, err);
    if (T) lm_opt_trace_label(T, "lsq_gd", NULL, "f is (1/2m)·||X·w - y||², half the mean squared error");
out:
    lm_free(w0);
    lm_free(D.r);
    return T;
}

lm_opt_trace *lm_opt_logreg(lm_ctx *ctx, const double *X, const double *y, int64_t m, int k, double lambda,
                            const lm_opt_params *par, lm_err *err) {
    if (!check_data(X, y, m, k, true, err)) return NULL;
    if (!(lambda >= 0) || !isfinite(lambda)) {
        lm_err_set(err, LM_ERR_DOMAIN, "the regularization lambda must be zero or positive, not %g", lambda);
        return NULL;
    }
    data D = {X, y, m, k, lambda, lm_alloc_big((size_t)m * sizeof(double))};
    if (!D.r) {
        lm_err_set(err, LM_ERR_LIMIT, "out of memory for %lld samples", (long long)m);
        return NULL;
    }
    double *w0 = lm_calloc((size_t)k, sizeof *w0);
    lm_opt_problem prob = {k, logreg_fg, logreg_hess, &D};
    lm_opt_trace *T = lm_opt_minimize(ctx, &prob, par, w0, err);
    if (T) {
        double acc;
        double loss = lm_opt_logreg_loss(X, y, m, k, T->xmin, &acc);
        char note[200];
        snprintf(note, sizeof note,
                 "f is the mean binary cross-entropy in nats%s; loss %.6g nats, training accuracy %.4g%%",
                 lambda > 0 ? " plus lambda/2·||w||²" : "", loss, 100 * acc);
        lm_opt_trace_label(T, "logreg", NULL, note);
    }
    lm_free(w0);
    lm_free(D.r);
    return T;
}
