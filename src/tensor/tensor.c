/* Making tensors and reading them: allocation under LM_MAX_ELEMS, the object
 * type (free releases a view's base or the owner's buffers), element offsets,
 * gathering, ranges, and the strided-copy helpers the other tensor files share. */
#include "tensor_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* GCC's -O2 vectorises only loops that need no scalar epilogue (the
 * "very-cheap" cost model), which leaves these loops scalar; the dynamic
 * model vectorises them. No effect on results: each lane does the same
 * operations in the same order. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

static void tensor_free(lm_obj *o) {
    lm_tensor *t = (lm_tensor *)o;
    if (t->base) {
        lm_tensor_release(t->base);
    } else {
        lm_free(t->data);
        lm_free(t->imag);
    }
    lm_free(t->exact); /* never shared with views */
    lm_free(t);
}

/* The language layer prints tensors itself (LM_TENSOR is a core kind), so
 * there are no text or JSON hooks here. */
static const lm_objtype tensor_type = {"matrix", tensor_free, NULL, NULL};

/* ---- shapes and messages ---- */

void lm_tensor_dims_str(int ndim, const int64_t *shape, char out[64]) {
    size_t len = 0;
    out[0] = '\0';
    for (int d = 0; d < ndim && len < 64; d++) {
        /* "\xc3\x97" is U+00D7 MULTIPLICATION SIGN in UTF-8. */
        int n = snprintf(out + len, 64 - len, d ? "\xc3\x97%lld" : "%lld", (long long)shape[d]);
        if (n < 0) break;
        len += (size_t)n;
    }
}

void lm_tensor_shape_str(const lm_tensor *t, char out[64]) { lm_tensor_dims_str(t->ndim, t->shape, out); }

/* "a" or "an" before a number as it is read aloud: an 8×8, an 11×2, an 18000×1. */
static const char *article_for(const char *num) {
    size_t digits = strspn(num, "0123456789");
    if (num[0] == '8') return "an";
    if (digits % 3 == 2 && num[0] == '1' && (num[1] == '1' || num[1] == '8')) return "an";
    return "a";
}

static const char *noun_for(int ndim) { return ndim <= 2 ? "matrix" : "tensor"; }

static void bytes_str(double bytes, char out[32]) {
    if (bytes >= 1e9) snprintf(out, 32, "%.1f GB", bytes / 1e9);
    else if (bytes >= 1e6) snprintf(out, 32, "%.0f MB", bytes / 1e6);
    else snprintf(out, 32, "%.0f kB", bytes / 1e3);
}

void lm_tensor_rowmajor_strides(int ndim, const int64_t *shape, int64_t *stride) {
    int64_t s = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        stride[d] = s;
        s *= shape[d] > 0 ? shape[d] : 1;
    }
}

/* Validates a shape and computes its element count without overflowing: the
 * product is checked against LM_MAX_ELEMS factor by factor. */
static bool check_shape(int ndim, const int64_t *shape, int64_t *size_out, lm_err *err) {
    if (ndim < 1 || ndim > LM_MAX_DIMS) {
        if (ndim > LM_MAX_DIMS)
            lm_err_set(err, LM_ERR_LIMIT, "a tensor can have at most %d dimensions, not %d", LM_MAX_DIMS, ndim);
        else
            lm_err_set(err, LM_ERR_INTERNAL, "a tensor needs at least one dimension (got %d)", ndim);
        return false;
    }
    bool any_zero = false;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0) {
            lm_err_set(err, LM_ERR_DOMAIN, "a size cannot be negative (got %lld)", (long long)shape[d]);
            return false;
        }
        if (shape[d] == 0) any_zero = true;
    }
    if (any_zero) {
        *size_out = 0;
        return true;
    }
    int64_t size = 1;
    double total = 1.0; /* only for the message: never overflows */
    bool over = false;
    for (int d = 0; d < ndim; d++) {
        total *= (double)shape[d];
        if (!over && shape[d] > LM_MAX_ELEMS / size) over = true;
        if (!over) size *= shape[d];
    }
    if (over || size > LM_MAX_ELEMS) {
        char dims[64];
        lm_tensor_dims_str(ndim, shape, dims);
        lm_err_set(err, LM_ERR_LIMIT,
                   "%s %s %s would have %.15g elements, more than the limit of %lld per value (LM_MAX_ELEMS)",
                   article_for(dims), dims, noun_for(ndim), total, (long long)LM_MAX_ELEMS);
        return false;
    }
    *size_out = size;
    return true;
}

lm_tensor *lm_tensor_alloc_raw(int ndim, const int64_t *shape, bool is_complex, bool zero, lm_err *err) {
    int64_t size;
    if (!check_shape(ndim, shape, &size, err)) return NULL;
    /* At least one element, so that data is never NULL even for empty tensors. */
    size_t bytes = (size_t)(size > 0 ? size : 1) * sizeof(double);
    double *data = lm_alloc_big(bytes);
    double *imag = NULL;
    if (data && is_complex) {
        imag = lm_alloc_big(bytes);
        if (!imag) {
            lm_free(data);
            data = NULL;
        }
    }
    if (!data) {
        char dims[64], mem[32];
        lm_tensor_dims_str(ndim, shape, dims);
        bytes_str((double)bytes * (is_complex ? 2.0 : 1.0), mem);
        lm_err_set(err, LM_ERR_LIMIT, "not enough memory for %s %s %s (%s)", article_for(dims), dims,
                   noun_for(ndim), mem);
        return NULL;
    }
    if (zero) {
        memset(data, 0, bytes);
        if (imag) memset(imag, 0, bytes);
    }
    lm_tensor *t = lm_alloc(sizeof *t);
    memset(t, 0, sizeof *t);
    lm_obj_init(&t->hdr, LM_TENSOR, &tensor_type);
    t->ndim = ndim;
    memcpy(t->shape, shape, (size_t)ndim * sizeof *shape);
    lm_tensor_rowmajor_strides(ndim, shape, t->stride);
    t->size = size;
    t->data = data;
    t->imag = imag;
    return t;
}

lm_tensor *lm_tensor_new_view(const lm_tensor *t) {
    lm_tensor *v = lm_alloc(sizeof *v);
    *v = *t;
    v->exact = NULL; /* exact values belong to the owner's layout only */
    lm_obj_init(&v->hdr, LM_TENSOR, &tensor_type);
    /* Views always point at the owner, so chains of views never grow. */
    lm_tensor *owner = t->base ? t->base : (lm_tensor *)t;
    lm_obj_retain(&owner->hdr);
    v->base = owner;
    return v;
}

/* ---- making tensors ---- */

lm_tensor *lm_tensor_new(int ndim, const int64_t *shape, lm_err *err) {
    return lm_tensor_alloc_raw(ndim, shape, false, true, err);
}

lm_tensor *lm_tensor_new_complex(int ndim, const int64_t *shape, lm_err *err) {
    return lm_tensor_alloc_raw(ndim, shape, true, true, err);
}

lm_tensor *lm_tensor_matrix(int64_t rows, int64_t cols, lm_err *err) {
    int64_t shape[2] = {rows, cols};
    return lm_tensor_alloc_raw(2, shape, false, true, err);
}

lm_tensor *lm_tensor_copy(const lm_tensor *t, lm_err *err) {
    lm_tensor *c = lm_tensor_alloc_raw(t->ndim, t->shape, t->imag != NULL, false, err);
    if (!c) return NULL;
    lm_tensor_copy_strided(t->ndim, t->shape, t->data, t->stride, c->data, c->stride);
    if (t->imag) lm_tensor_copy_strided(t->ndim, t->shape, t->imag, t->stride, c->imag, c->stride);
    c->logical = t->logical;
    return c;
}

lm_tensor *lm_tensor_contiguous(const lm_tensor *t, lm_err *err) {
    if (lm_tensor_is_contiguous(t)) {
        lm_obj_retain((lm_obj *)&t->hdr);
        return (lm_tensor *)t;
    }
    return lm_tensor_copy(t, err);
}

lm_tensor *lm_tensor_eye(int64_t n, lm_err *err) {
    lm_tensor *t = lm_tensor_matrix(n, n, err);
    if (!t) return NULL;
    for (int64_t i = 0; i < n; i++) t->data[i * n + i] = 1.0;
    return t;
}

lm_tensor *lm_tensor_fill(int ndim, const int64_t *shape, double value, lm_err *err) {
    lm_tensor *t = lm_tensor_alloc_raw(ndim, shape, false, false, err);
    if (!t) return NULL;
    for (int64_t i = 0; i < t->size; i++) t->data[i] = value;
    return t;
}

/* Octave's colon rule: n = floor((stop - start)/step + slack) + 1, where the
 * relative slack absorbs the rounding in (stop - start)/step (0.1 is not
 * exactly representable, yet 0:0.1:1 must have 11 elements). As in Octave, an
 * element that the slack lets past `stop` is clamped to `stop`. */
lm_tensor *lm_tensor_range(double start, double step, double stop, lm_err *err) {
    if (!isfinite(start) || !isfinite(step) || !isfinite(stop)) {
        lm_err_set(err, LM_ERR_DOMAIN, "a range start:step:stop needs finite numbers (got %g:%g:%g)", start, step,
                   stop);
        return NULL;
    }
    if (step == 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "the step of a range cannot be 0");
        return NULL;
    }
    double q = (stop - start) / step;
    int64_t n = 0;
    if (!isfinite(q) || q >= (double)LM_MAX_ELEMS) {
        lm_err_set(err, LM_ERR_LIMIT,
                   "the range %g:%g:%g would have more than %lld elements, the most one value may hold (LM_MAX_ELEMS)",
                   start, step, stop, (long long)LM_MAX_ELEMS);
        return NULL;
    }
    double qs = q + 1e-10 * fmax(1.0, fabs(q));
    if (qs >= 0) n = (int64_t)floor(qs) + 1;
    lm_tensor *t = lm_tensor_matrix(1, n, err);
    if (!t) return NULL;
    for (int64_t k = 0; k < n; k++) {
        double x = start + (double)k * step;
        if ((step > 0 && x > stop) || (step < 0 && x < stop)) x = stop;
        t->data[k] = x;
    }
    return t;
}

/* a + i*delta, with the last element exactly b (as NumPy and Octave do). */
lm_tensor *lm_tensor_linspace(double a, double b, int64_t n, lm_err *err) {
    if (n < 0) n = 0;
    lm_tensor *t = lm_tensor_matrix(1, n, err);
    if (!t) return NULL;
    if (n == 1) {
        t->data[0] = b;
    } else if (n > 1) {
        double delta = (b - a) / (double)(n - 1);
        for (int64_t i = 0; i < n - 1; i++) t->data[i] = a + (double)i * delta;
        t->data[n - 1] = b;
    }
    return t;
}

/* ---- element access ---- */

bool lm_tensor_is_contiguous(const lm_tensor *t) {
    if (t->size == 0) return true;
    int64_t expect = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        /* A size-1 axis is never stepped along, so its stride does not matter. */
        if (t->shape[d] != 1 && t->stride[d] != expect) return false;
        expect *= t->shape[d];
    }
    return true;
}

int64_t lm_tensor_offset(const lm_tensor *t, int64_t k) {
    int64_t off = 0;
    for (int d = t->ndim - 1; d >= 0 && k > 0; d--) {
        int64_t n = t->shape[d];
        off += (k % n) * t->stride[d];
        k /= n;
    }
    return off;
}

void lm_tensor_gather(const lm_tensor *t, double *out) {
    int64_t st[LM_MAX_DIMS];
    lm_tensor_rowmajor_strides(t->ndim, t->shape, st);
    lm_tensor_copy_strided(t->ndim, t->shape, t->data, t->stride, out, st);
}

void lm_tensor_gather_imag(const lm_tensor *t, double *out) {
    if (!t->imag) {
        for (int64_t i = 0; i < t->size; i++) out[i] = 0.0;
        return;
    }
    int64_t st[LM_MAX_DIMS];
    lm_tensor_rowmajor_strides(t->ndim, t->shape, st);
    lm_tensor_copy_strided(t->ndim, t->shape, t->imag, t->stride, out, st);
}

/* ---- strided loops ---- */

int lm_tensor_coalesce(int ndim, int64_t *shape, int nops, int64_t (*strides)[LM_MAX_DIMS]) {
    int m = 0;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1) continue;
        if (m > 0) {
            /* The kept axis m-1 is outer to d: they merge when stepping m-1 once
             * is the same as stepping d shape[d] times, in every operand. */
            bool merge = true;
            for (int op = 0; op < nops; op++)
                if (strides[op][m - 1] != strides[op][d] * shape[d]) merge = false;
            if (merge) {
                shape[m - 1] *= shape[d];
                for (int op = 0; op < nops; op++) strides[op][m - 1] = strides[op][d];
                continue;
            }
        }
        shape[m] = shape[d];
        for (int op = 0; op < nops; op++) strides[op][m] = strides[op][d];
        m++;
    }
    return m;
}

void lm_tensor_copy_strided(int ndim, const int64_t *shape_in, const double *src, const int64_t *sstride,
                            double *dst, const int64_t *dstride) {
    int64_t shape[LM_MAX_DIMS], st[2][LM_MAX_DIMS];
    for (int d = 0; d < ndim; d++) {
        if (shape_in[d] == 0) return;
        shape[d] = shape_in[d];
        st[0][d] = sstride[d];
        st[1][d] = dstride[d];
    }
    int nd = lm_tensor_coalesce(ndim, shape, 2, st);
    if (nd == 0) {
        *dst = *src;
        return;
    }
    const int64_t n = shape[nd - 1], s = st[0][nd - 1], t = st[1][nd - 1];
    int64_t idx[LM_MAX_DIMS] = {0};
    int64_t os = 0, od = 0;
    for (;;) {
        const double *p = src + os;
        double *q = dst + od;
        if (s == 1 && t == 1) {
            memcpy(q, p, (size_t)n * sizeof *q);
        } else {
            for (int64_t i = 0; i < n; i++) q[i * t] = p[i * s];
        }
        int d = nd - 2;
        for (; d >= 0; d--) {
            os += st[0][d];
            od += st[1][d];
            if (++idx[d] < shape[d]) break;
            os -= st[0][d] * shape[d];
            od -= st[1][d] * shape[d];
            idx[d] = 0;
        }
        if (d < 0) break;
    }
}

/* NumPy's pairwise_sum: eight independent accumulators over blocks of up to
 * 128 elements, recursive halving above that. The error grows like log2(n)
 * rather than n, which is what keeps the digits of the NIST data sets. The
 * unit-stride copy exists so that the block loop vectorises. */
static inline double pairwise_block(const double *x, int64_t n, int64_t stride) {
    if (n < 8) {
        double s = 0.0;
        for (int64_t i = 0; i < n; i++) s += x[i * stride];
        return s;
    }
    /* Eight named accumulators rather than an array: they stay in registers
     * (as four vector pairs once the block is vectorised). */
    double r0 = x[0], r1 = x[stride], r2 = x[2 * stride], r3 = x[3 * stride];
    double r4 = x[4 * stride], r5 = x[5 * stride], r6 = x[6 * stride], r7 = x[7 * stride];
    int64_t i;
    for (i = 8; i < n - (n % 8); i += 8) {
        const double *p = x + i * stride;
        r0 += p[0];
        r1 += p[stride];
        r2 += p[2 * stride];
        r3 += p[3 * stride];
        r4 += p[4 * stride];
        r5 += p[5 * stride];
        r6 += p[6 * stride];
        r7 += p[7 * stride];
    }
    double s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) s += x[i * stride];
    return s;
}

static double pairwise_unit(const double *x, int64_t n) {
    if (n <= 128) return pairwise_block(x, n, 1);
    int64_t half = n / 2;
    half -= half % 8;
    return pairwise_unit(x, half) + pairwise_unit(x + half, n - half);
}

static double pairwise_strided(const double *x, int64_t n, int64_t stride) {
    if (n <= 128) return pairwise_block(x, n, stride);
    int64_t half = n / 2;
    half -= half % 8;
    return pairwise_strided(x, half, stride) + pairwise_strided(x + half * stride, n - half, stride);
}

double lm_tensor_pairwise_sum(const double *x, int64_t n, int64_t stride) {
    return stride == 1 ? pairwise_unit(x, n) : pairwise_strided(x, n, stride);
}
