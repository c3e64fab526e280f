/* The autodiff tape: nodes {op, src, value, adjoint} recorded eagerly (each op
 * computes its value when it is added) and differentiated in reverse order.
 * Forward and backward of each op sit side by side so that one can be read
 * against the other; tests/unit/test_ad.c checks every op by finite differences.
 * Node storage and buffers survive lm_ad_reset, so a repeated graph reuses them. */
#include "lemma/ad.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

typedef struct ad_node {
    uint8_t op;
    bool needs_grad;        /* a parameter, or depends on one */
    int src[2];
    int64_t rows, cols;
    double p;               /* the exponent of LM_AD_POW */
    const double *val;      /* vbuf, or a leaf's borrowed data */
    double *grad;           /* gbuf, a parameter's borrowed buffer, or NULL */
    double *vbuf, *gbuf;    /* owned, kept across resets */
    size_t vcap, gcap;      /* in doubles */
} ad_node;

struct lm_ad_tape {
    ad_node *v;
    size_t n, cap;
};

lm_ad_tape *lm_ad_tape_new(void) { return lm_calloc(1, sizeof(lm_ad_tape)); }

void lm_ad_tape_free(lm_ad_tape *t) {
    if (!t) return;
    for (size_t i = 0; i < t->cap; i++) {
        lm_free(t->v[i].vbuf);
        lm_free(t->v[i].gbuf);
    }
    lm_free(t->v);
    lm_free(t);
}

void lm_ad_reset(lm_ad_tape *t) { t->n = 0; }

size_t lm_ad_bytes(const lm_ad_tape *t) {
    size_t b = sizeof *t + t->cap * sizeof(ad_node);
    for (size_t i = 0; i < t->cap; i++) b += (t->v[i].vcap + t->v[i].gcap) * sizeof(double);
    return b;
}

/* Grows an owned buffer only when a larger graph than any before needs it. */
static bool reserve(double **buf, size_t *cap, size_t need, lm_err *err) {
    if (need <= *cap) return true;
    if (need > (size_t)LM_MAX_ELEMS) {
        lm_err_set(err, LM_ERR_LIMIT, "a tensor on the autodiff tape would have %zu elements (the limit is %lld)", need,
                   (long long)LM_MAX_ELEMS);
        return false;
    }
    double *p = lm_alloc_big(need * sizeof(double));
    if (!p) {
        lm_err_set(err, LM_ERR_LIMIT, "out of memory for a %zu-element tensor on the autodiff tape", need);
        return false;
    }
    lm_free(*buf);
    *buf = p;
    *cap = need;
    return true;
}

/* The next node slot, its buffers kept from the last graph that used it. */
static ad_node *push(lm_ad_tape *t, uint8_t op, int64_t rows, int64_t cols, bool own_value, lm_err *err) {
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 32;
        t->v = lm_realloc(t->v, nc * sizeof(ad_node));
        memset(t->v + t->cap, 0, (nc - t->cap) * sizeof(ad_node));
        t->cap = nc;
    }
    ad_node *nd = &t->v[t->n];
    if (own_value && !reserve(&nd->vbuf, &nd->vcap, (size_t)(rows * cols), err)) return NULL;
    nd->op = op;
    nd->rows = rows;
    nd->cols = cols;
    nd->src[0] = nd->src[1] = -1;
    nd->p = 0;
    nd->needs_grad = false;
    nd->grad = NULL;
    nd->val = own_value ? nd->vbuf : NULL;
    t->n++;
    return nd;
}

static bool valid(const lm_ad_tape *t, lm_ad_id a) { return a >= 0 && (size_t)a < t->n; }

lm_ad_id lm_ad_leaf(lm_ad_tape *t, int64_t rows, int64_t cols, const double *data, double *grad) {
    ad_node *nd = push(t, LM_AD_LEAF, rows, cols, false, NULL);
    nd->val = data;
    nd->grad = grad;
    nd->needs_grad = grad != NULL;
    return (lm_ad_id)(t->n - 1);
}

const double *lm_ad_value(const lm_ad_tape *t, lm_ad_id n, int64_t *rows, int64_t *cols) {
    if (!valid(t, n)) return NULL;
    if (rows) *rows = t->v[n].rows;
    if (cols) *cols = t->v[n].cols;
    return t->v[n].val;
}

const double *lm_ad_grad(const lm_ad_tape *t, lm_ad_id n) { return valid(t, n) ? t->v[n].grad : NULL; }

/* Non-leaf nodes that need an adjoint get their own buffer (zeroed in backward). */
static bool want_grad(ad_node *nd, lm_err *err) {
    if (!nd->needs_grad) return true;
    if (!reserve(&nd->gbuf, &nd->gcap, (size_t)(nd->rows * nd->cols), err)) return false;
    nd->grad = nd->gbuf;
    return true;
}

static const char *op_sym(lm_ad_op op) {
    switch (op) {
    case LM_AD_ADD: return "+";
    case LM_AD_SUB: return "-";
    case LM_AD_MUL: return ".*";
    case LM_AD_DIV: return "./";
    default: return "*";
    }
}

/* ---- elementwise binary ops with broadcasting ----
 * Operand strides: a size-1 axis has stride 0, so the same loop serves a bias
 * row against a matrix, and in backward the += through a zero stride is the sum
 * that reduces the adjoint back to the operand's shape. */

#define BCAST_LOOP(body)                                                                   \
    for (int64_t i = 0; i < r; i++) {                                                      \
        const double *ar = A + i * sar, *br = B + i * sbr;                                 \
        double *o = O + i * c;                                                             \
        for (int64_t j = 0; j < c; j++) {                                                  \
            double x = ar[j * sac], y = br[j * sbc];                                       \
            body;                                                                          \
        }                                                                                  \
    }

lm_ad_id lm_ad_binary(lm_ad_tape *t, lm_ad_op op, lm_ad_id a, lm_ad_id b, lm_err *err) {
    if (!valid(t, a) || !valid(t, b)) return -1;
    int64_t ra = t->v[a].rows, ca = t->v[a].cols, rb = t->v[b].rows, cb = t->v[b].cols;
    int64_t r, c;
    if (op == LM_AD_MATMUL) {
        if (ca != rb) {
            lm_err_set(err, LM_ERR_SHAPE, "cannot multiply %lld×%lld by %lld×%lld: inner sizes %lld and %lld differ",
                       (long long)ra, (long long)ca, (long long)rb, (long long)cb, (long long)ca, (long long)rb);
            return -1;
        }
        r = ra;
        c = cb;
    } else if (op >= LM_AD_ADD && op <= LM_AD_DIV) {
        if ((ra != rb && ra != 1 && rb != 1) || (ca != cb && ca != 1 && cb != 1)) {
            lm_err_set(err, LM_ERR_SHAPE, "cannot broadcast %lld×%lld %s %lld×%lld: each size must match or be 1",
                       (long long)ra, (long long)ca, op_sym(op), (long long)rb, (long long)cb);
            return -1;
        }
        r = ra > rb ? ra : rb;
        c = ca > cb ? ca : cb;
    } else {
        lm_err_set(err, LM_ERR_INTERNAL, "lm_ad_binary: not a binary op");
        return -1;
    }
    ad_node *nd = push(t, (uint8_t)op, r, c, true, err);
    if (!nd) return -1;
    nd->src[0] = a;
    nd->src[1] = b;
    nd->needs_grad = t->v[a].needs_grad || t->v[b].needs_grad;
    if (!want_grad(nd, err)) return t->n--, -1;
    const ad_node *na = &t->v[a], *nb = &t->v[b];
    double *O = nd->vbuf;
    if (op == LM_AD_MATMUL) {
        if (r && c) {
            if (ca == 0) memset(O, 0, (size_t)(r * c) * sizeof(double));
            else
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)r, (int)c, (int)ca, 1.0, na->val, (int)ca,
                            nb->val, (int)cb, 0.0, O, (int)c);
        }
        return (lm_ad_id)(t->n - 1);
    }
    const double *A = na->val, *B = nb->val;
    int64_t sar = ra == 1 ? 0 : ca, sac = ca == 1 ? 0 : 1, sbr = rb == 1 ? 0 : cb, sbc = cb == 1 ? 0 : 1;
    switch (op) {
    case LM_AD_ADD: BCAST_LOOP(o[j] = x + y) break;
    case LM_AD_SUB: BCAST_LOOP(o[j] = x - y) break;
    case LM_AD_MUL: BCAST_LOOP(o[j] = x * y) break;
    case LM_AD_DIV: BCAST_LOOP(o[j] = x / y) break;
    default: break;
    }
    return (lm_ad_id)(t->n - 1);
}

static void binary_backward(lm_ad_tape *t, ad_node *nd) {
    ad_node *na = &t->v[nd->src[0]], *nb = &t->v[nd->src[1]];
    const double *G = nd->grad;
    int64_t r = nd->rows, c = nd->cols;
    if (nd->op == LM_AD_MATMUL) {
        int64_t k = na->cols;
        if (!r || !c || !k) return;
        /* C = A·B:  dA += dC·Bᵀ,  dB += Aᵀ·dC */
        if (na->needs_grad)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)r, (int)k, (int)c, 1.0, G, (int)c, nb->val,
                        (int)c, 1.0, na->grad, (int)k);
        if (nb->needs_grad)
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)c, (int)r, 1.0, na->val, (int)k, G,
                        (int)c, 1.0, nb->grad, (int)c);
        return;
    }
    int64_t ra = na->rows, ca = na->cols, rb = nb->rows, cb = nb->cols;
    int64_t sar = ra == 1 ? 0 : ca, sac = ca == 1 ? 0 : 1, sbr = rb == 1 ? 0 : cb, sbc = cb == 1 ? 0 : 1;
    const double *A = na->val, *B = nb->val, *O = nd->val;
    for (int side = 0; side < 2; side++) {
        ad_node *ns = side ? nb : na;
        if (!ns->needs_grad) continue;
        if (nd->op == LM_AD_ADD || nd->op == LM_AD_SUB) { /* the hot cases: same shape, or a bias row */
            double sg = nd->op == LM_AD_SUB && side ? -1.0 : 1.0;
            double *D = ns->grad;
            if (ns->rows == r && ns->cols == c) {
                for (int64_t k = 0; k < r * c; k++) D[k] += sg * G[k];
                continue;
            }
            if (ns->rows == 1 && ns->cols == c) {
                for (int64_t i = 0; i < r; i++)
                    for (int64_t j = 0; j < c; j++) D[j] += sg * G[i * c + j];
                continue;
            }
        }
        double *D = ns->grad;
        int64_t sr = side ? sbr : sar, sc = side ? sbc : sac;
        for (int64_t i = 0; i < r; i++) {
            const double *g = G + i * c, *o = O + i * c, *ar = A + i * sar, *br = B + i * sbr;
            double *d = D + i * sr;
            for (int64_t j = 0; j < c; j++) {
                double dv;
                switch (nd->op) {
                case LM_AD_ADD: dv = g[j]; break;
                case LM_AD_SUB: dv = side ? -g[j] : g[j]; break;
                case LM_AD_MUL: dv = g[j] * (side ? ar[j * sac] : br[j * sbc]); break;
                default: /* DIV: d(x/y)/dx = 1/y, d(x/y)/dy = -(x/y)/y */
                    dv = side ? -g[j] * o[j] / br[j * sbc] : g[j] / br[j * sbc];
                    break;
                }
                d[j * sc] += dv;
            }
        }
    }
}

/* ---- unary ops ---- */

/* exp, expm1 and tanh of our own: libm's tanh costs half of a small network's
 * training step, and a function made of IEEE additions, multiplications and
 * one division (no FMA: the build has -ffp-contract=off) gives the same bits on
 * every machine, whatever its libm. Both agree with libm to a few ulps
 * (tests/unit/test_ad.c checks a dense grid). */
/* 2^k and r with x = k·ln 2 + r, |r| <= ln(2)/2, and e^r - 1 as r·poly(r). */
static inline double ad_expm1_parts(double x, double *scale) {
    const double log2e = 1.4426950408889634074, ln2_hi = 6.93147180369123816490e-01, /* 0x3fe62e42fee00000 */
        ln2_lo = 1.90821492927058770002e-10, shift = 6755399441055744.0;            /* 1.5·2^52 */
    x = x > 709.0 ? 709.0 : x;
    x = x < -708.0 ? -708.0 : x;
    double kd = x * log2e + shift; /* k = round(x / ln 2) sits in the low bits */
    uint64_t kb;
    memcpy(&kb, &kd, sizeof kb);
    kd -= shift;
    double r = (x - kd * ln2_hi) - kd * ln2_lo;
    /* (e^r - 1)/r by its Taylor series to r^12 (the first omitted term is below
     * 2^-56 on |r| <= 0.347), evaluated by Estrin's scheme: short dependency
     * chains, so consecutive elements overlap in the pipeline. */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double p01 = 1.0 + r * 0.5, p23 = 1.0 / 6.0 + r * (1.0 / 24.0), p45 = 1.0 / 120.0 + r * (1.0 / 720.0),
           p67 = 1.0 / 5040.0 + r * (1.0 / 40320.0), p89 = 1.0 / 362880.0 + r * (1.0 / 3628800.0),
           p1011 = 1.0 / 39916800.0 + r * (1.0 / 479001600.0), p12 = 1.0 / 6227020800.0;
    double q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * p1011;
    double p = (q0 + r4 * q1) + r8 * (q2 + r4 * p12);
    int64_t k = (int64_t)(int32_t)(uint32_t)kb;
    uint64_t sb = (uint64_t)(k + 1023) << 52;
    memcpy(scale, &sb, sizeof *scale);
    return r * p;
}

static inline double ad_exp(double x) {
    double scale, q = ad_expm1_parts(x, &scale);
    return scale * (1.0 + q);
}

/* e^x - 1, accurate near 0 (k = 0 there, so it is the polynomial alone). */
static inline double ad_expm1(double x) {
    double scale, q = ad_expm1_parts(x, &scale);
    return scale * q + (scale - 1.0);
}

/* tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): no cancellation near 0 and no
 * branch, so a loop of them keeps the pipeline full. */
static inline double ad_tanh(double x) {
    double u = -2.0 * fabs(x);
    u = u < -50.0 ? -50.0 : u; /* e^-50: tanh is 1 to double precision */
    double em = ad_expm1(u);
    return copysign(-em / (2.0 + em), x);
}

double lm_ad_tanh(double x) { return ad_tanh(x); }
double lm_ad_exp(double x) { return ad_exp(x); }

static double sigmoid(double x) {
    /* never exp of a large positive number */
    if (x >= 0) return 1.0 / (1.0 + ad_exp(-x));
    double e = ad_exp(x);
    return e / (1.0 + e);
}

/* log(1 + e^z) without overflow: max(z, 0) + log1p(e^-|z|). */
static double softplus(double z) { return (z > 0 ? z : 0) + log1p(exp(-fabs(z))); }

/* Row-wise softmax (logsm false) or log-softmax (true), subtracting the row max
 * first so that no exponential overflows (log-sum-exp). */
static void softmax_rows(const double *a, double *o, int64_t r, int64_t c, bool logsm) {
    for (int64_t i = 0; i < r; i++) {
        const double *x = a + i * c;
        double *y = o + i * c;
        double mx = -INFINITY;
        for (int64_t j = 0; j < c; j++)
            if (x[j] > mx) mx = x[j];
        if (!isfinite(mx)) mx = 0;
        double s = 0;
        for (int64_t j = 0; j < c; j++) s += exp(x[j] - mx);
        if (logsm) {
            double lse = mx + log(s);
            for (int64_t j = 0; j < c; j++) y[j] = x[j] - lse;
        } else {
            for (int64_t j = 0; j < c; j++) y[j] = exp(x[j] - mx) / s;
        }
    }
}

lm_ad_id lm_ad_unary(lm_ad_tape *t, lm_ad_op op, lm_ad_id a, lm_err *err) {
    if (!valid(t, a)) return -1;
    if (op < LM_AD_EXP || op > LM_AD_MEAN) {
        lm_err_set(err, LM_ERR_INTERNAL, "lm_ad_unary: not a unary op");
        return -1;
    }
    int64_t r = t->v[a].rows, c = t->v[a].cols, n = r * c;
    bool scalar = op == LM_AD_SUM || op == LM_AD_MEAN;
    ad_node *nd = push(t, (uint8_t)op, scalar ? 1 : r, scalar ? 1 : c, true, err);
    if (!nd) return -1;
    nd->src[0] = a;
    nd->needs_grad = t->v[a].needs_grad;
    if (!want_grad(nd, err)) return t->n--, -1;
    const double *x = t->v[a].val;
    double *o = nd->vbuf;
    switch (op) {
    case LM_AD_EXP: for (int64_t k = 0; k < n; k++) o[k] = exp(x[k]); break;
    case LM_AD_LOG: for (int64_t k = 0; k < n; k++) o[k] = log(x[k]); break;
    case LM_AD_TANH: for (int64_t k = 0; k < n; k++) o[k] = ad_tanh(x[k]); break;
    case LM_AD_SIGMOID: for (int64_t k = 0; k < n; k++) o[k] = sigmoid(x[k]); break;
    case LM_AD_RELU: for (int64_t k = 0; k < n; k++) o[k] = x[k] > 0 ? x[k] : 0; break;
    case LM_AD_SOFTMAX: softmax_rows(x, o, r, c, false); break;
    case LM_AD_LOGSOFTMAX: softmax_rows(x, o, r, c, true); break;
    case LM_AD_SUM:
    case LM_AD_MEAN: {
        double s = 0;
        for (int64_t k = 0; k < n; k++) s += x[k];
        o[0] = op == LM_AD_MEAN ? (n ? s / (double)n : NAN) : s;
        break;
    }
    default: break;
    }
    return (lm_ad_id)(t->n - 1);
}

lm_ad_id lm_ad_pow(lm_ad_tape *t, lm_ad_id a, double p, lm_err *err) {
    if (!valid(t, a)) return -1;
    int64_t r = t->v[a].rows, c = t->v[a].cols;
    ad_node *nd = push(t, LM_AD_POW, r, c, true, err);
    if (!nd) return -1;
    nd->src[0] = a;
    nd->p = p;
    nd->needs_grad = t->v[a].needs_grad;
    if (!want_grad(nd, err)) return t->n--, -1;
    const double *x = t->v[a].val;
    for (int64_t k = 0; k < r * c; k++) nd->vbuf[k] = p == 2 ? x[k] * x[k] : pow(x[k], p);
    return (lm_ad_id)(t->n - 1);
}

static void unary_backward(lm_ad_tape *t, ad_node *nd) {
    ad_node *na = &t->v[nd->src[0]];
    if (!na->needs_grad) return;
    const double *g = nd->grad, *o = nd->val, *x = na->val;
    double *d = na->grad;
    int64_t r = na->rows, c = na->cols, n = r * c;
    switch (nd->op) {
    case LM_AD_EXP: for (int64_t k = 0; k < n; k++) d[k] += g[k] * o[k]; break;
    case LM_AD_LOG: for (int64_t k = 0; k < n; k++) d[k] += g[k] / x[k]; break;
    case LM_AD_TANH: for (int64_t k = 0; k < n; k++) d[k] += g[k] * (1 - o[k] * o[k]); break;
    case LM_AD_SIGMOID: for (int64_t k = 0; k < n; k++) d[k] += g[k] * o[k] * (1 - o[k]); break;
    case LM_AD_RELU: for (int64_t k = 0; k < n; k++) d[k] += x[k] > 0 ? g[k] : 0; break;
    case LM_AD_POW:
        for (int64_t k = 0; k < n; k++) d[k] += g[k] * nd->p * (nd->p == 2 ? x[k] : pow(x[k], nd->p - 1));
        break;
    case LM_AD_SOFTMAX: /* dx_j = s_j (g_j - Σ_k g_k s_k) */
        for (int64_t i = 0; i < r; i++) {
            const double *gi = g + i * c, *si = o + i * c;
            double dot = 0;
            for (int64_t j = 0; j < c; j++) dot += gi[j] * si[j];
            for (int64_t j = 0; j < c; j++) d[i * c + j] += si[j] * (gi[j] - dot);
        }
        break;
    case LM_AD_LOGSOFTMAX: /* dx_j = g_j - softmax_j Σ_k g_k */
        for (int64_t i = 0; i < r; i++) {
            const double *gi = g + i * c, *li = o + i * c;
            double s = 0;
            for (int64_t j = 0; j < c; j++) s += gi[j];
            for (int64_t j = 0; j < c; j++) d[i * c + j] += gi[j] - exp(li[j]) * s;
        }
        break;
    case LM_AD_SUM: for (int64_t k = 0; k < n; k++) d[k] += g[0]; break;
    case LM_AD_MEAN: for (int64_t k = 0; k < n; k++) d[k] += g[0] / (double)n; break;
    default: break;
    }
}

/* ---- losses ---- */

lm_ad_id lm_ad_loss(lm_ad_tape *t, lm_ad_op op, lm_ad_id z, lm_ad_id y, lm_err *err) {
    if (!valid(t, z) || !valid(t, y)) return -1;
    const ad_node *nz = &t->v[z], *ny = &t->v[y];
    int64_t r = nz->rows, c = nz->cols;
    if (op == LM_AD_CE_LOGITS) {
        if (ny->rows != r || ny->cols != 1) {
            lm_err_set(err, LM_ERR_SHAPE, "cross-entropy needs one label per row: %lld labels for %lld rows",
                       (long long)(ny->rows * ny->cols), (long long)r);
            return -1;
        }
        for (int64_t i = 0; i < r; i++) {
            double l = ny->val[i];
            if (l != floor(l) || l < 0 || l >= (double)c) {
                lm_err_set(err, LM_ERR_DOMAIN, "cross-entropy: label %g in row %lld is not a class 1..%lld", l + 1,
                           (long long)i + 1, (long long)c);
                return -1;
            }
        }
    } else if (op == LM_AD_MSE || op == LM_AD_BCE_LOGITS) {
        if (ny->rows != r || ny->cols != c) {
            lm_err_set(err, LM_ERR_SHAPE, "%s needs targets of the output's shape: %lld×%lld against %lld×%lld",
                       op == LM_AD_MSE ? "mean squared error" : "binary cross-entropy", (long long)ny->rows,
                       (long long)ny->cols, (long long)r, (long long)c);
            return -1;
        }
    } else {
        lm_err_set(err, LM_ERR_INTERNAL, "lm_ad_loss: not a loss");
        return -1;
    }
    if (r * c == 0) {
        lm_err_set(err, LM_ERR_SHAPE, "a loss needs at least one sample");
        return -1;
    }
    ad_node *nd = push(t, (uint8_t)op, 1, 1, true, err);
    if (!nd) return -1;
    nz = &t->v[z];
    ny = &t->v[y];
    nd->src[0] = z;
    nd->src[1] = y;
    nd->needs_grad = nz->needs_grad || (op != LM_AD_CE_LOGITS && ny->needs_grad);
    if (!want_grad(nd, err)) return t->n--, -1;
    const double *Z = nz->val, *Y = ny->val;
    double s = 0;
    switch (op) {
    case LM_AD_MSE:
        for (int64_t k = 0; k < r * c; k++) s += (Z[k] - Y[k]) * (Z[k] - Y[k]);
        s /= (double)(r * c);
        break;
    case LM_AD_BCE_LOGITS: /* -[y log σ(z) + (1-y) log(1-σ(z))] = softplus(z) - y z */
        for (int64_t k = 0; k < r * c; k++) s += softplus(Z[k]) - Y[k] * Z[k];
        s /= (double)(r * c);
        break;
    default: /* CE: log-sum-exp of the row minus the logit of its label */
        for (int64_t i = 0; i < r; i++) {
            const double *zi = Z + i * c;
            double mx = -INFINITY, e = 0;
            for (int64_t j = 0; j < c; j++)
                if (zi[j] > mx) mx = zi[j];
            for (int64_t j = 0; j < c; j++) e += exp(zi[j] - mx);
            s += mx + log(e) - zi[(int64_t)Y[i]];
        }
        s /= (double)r;
        break;
    }
    nd->vbuf[0] = s;
    return (lm_ad_id)(t->n - 1);
}

static void loss_backward(lm_ad_tape *t, ad_node *nd) {
    ad_node *nz = &t->v[nd->src[0]], *ny = &t->v[nd->src[1]];
    int64_t r = nz->rows, c = nz->cols, n = r * c;
    const double *Z = nz->val, *Y = ny->val;
    double g = nd->grad[0];
    switch (nd->op) {
    case LM_AD_MSE: {
        double k2 = 2.0 * g / (double)n;
        if (nz->needs_grad)
            for (int64_t k = 0; k < n; k++) nz->grad[k] += k2 * (Z[k] - Y[k]);
        if (ny->needs_grad)
            for (int64_t k = 0; k < n; k++) ny->grad[k] -= k2 * (Z[k] - Y[k]);
        break;
    }
    case LM_AD_BCE_LOGITS: {
        double k1 = g / (double)n;
        if (nz->needs_grad)
            for (int64_t k = 0; k < n; k++) nz->grad[k] += k1 * (sigmoid(Z[k]) - Y[k]);
        if (ny->needs_grad)
            for (int64_t k = 0; k < n; k++) ny->grad[k] -= k1 * Z[k];
        break;
    }
    default: { /* CE: (softmax(z) - onehot(label)) / rows */
        if (!nz->needs_grad) break;
        double k1 = g / (double)r;
        for (int64_t i = 0; i < r; i++) {
            const double *zi = Z + i * c;
            double *di = nz->grad + i * c;
            double mx = -INFINITY, e = 0;
            for (int64_t j = 0; j < c; j++)
                if (zi[j] > mx) mx = zi[j];
            for (int64_t j = 0; j < c; j++) e += exp(zi[j] - mx);
            for (int64_t j = 0; j < c; j++) di[j] += k1 * exp(zi[j] - mx) / e;
            di[(int64_t)Y[i]] -= k1;
        }
        break;
    }
    }
}

/* ---- backward ---- */

lm_status lm_ad_backward(lm_ad_tape *t, lm_ad_id root, lm_err *err) {
    if (!valid(t, root)) return lm_err_set(err, LM_ERR_INTERNAL, "backward from a node that is not on the tape");
    ad_node *nr = &t->v[root];
    if (nr->rows * nr->cols != 1)
        return lm_err_set(err, LM_ERR_SHAPE, "backward needs a scalar (1×1) result, not %lld×%lld",
                          (long long)nr->rows, (long long)nr->cols);
    if (!nr->needs_grad) return LM_OK; /* nothing depends on a parameter */
    for (int i = 0; i <= root; i++) {
        ad_node *nd = &t->v[i];
        if (nd->op != LM_AD_LEAF && nd->needs_grad) memset(nd->grad, 0, (size_t)(nd->rows * nd->cols) * sizeof(double));
    }
    if (nr->op == LM_AD_LEAF) {
        nr->grad[0] += 1;
        return LM_OK;
    }
    nr->grad[0] = 1;
    for (int i = root; i >= 0; i--) {
        ad_node *nd = &t->v[i];
        if (!nd->needs_grad) continue;
        switch ((lm_ad_op)nd->op) {
        case LM_AD_LEAF: break;
        case LM_AD_ADD: case LM_AD_SUB: case LM_AD_MUL: case LM_AD_DIV: case LM_AD_MATMUL:
            binary_backward(t, nd);
            break;
        case LM_AD_POW: case LM_AD_EXP: case LM_AD_LOG: case LM_AD_TANH: case LM_AD_SIGMOID: case LM_AD_RELU:
        case LM_AD_SOFTMAX: case LM_AD_LOGSOFTMAX: case LM_AD_SUM: case LM_AD_MEAN:
            unary_backward(t, nd);
            break;
        case LM_AD_MSE: case LM_AD_BCE_LOGITS: case LM_AD_CE_LOGITS:
            loss_backward(t, nd);
            break;
        default: break;
        }
    }
    return LM_OK;
}
