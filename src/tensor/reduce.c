/* Reductions along an axis (keepdims) and concatenation. A reduction runs
 * either along lines or, when the reduced axis is the strided one, down
 * contiguous columns a chunk at a time; sums are pairwise either way. */
#include "tensor_int.h"

#include "cmplx.h"
#include <math.h>
#include <string.h>

/* Columns go in chunks small enough for the accumulators to live on the stack
 * and in L1, while each row chunk is still read contiguously. */
enum { COL_CHUNK = 64 };

/* ---- max and min ---- */

/* Octave's max/min: NaN is skipped unless every element is NaN, and ties keep
 * the first index (argmax([1 3 3]) is 1, 0-based).
 *
 * The fast scans start from a sentinel (-inf for max, +inf for min) and use a
 * strict comparison, so a NaN never wins and the first occurrence is kept;
 * that form compiles to packed max/compare-and-blend. A result still at the
 * sentinel means all NaN or a genuine ±inf, and is redone by the exact scan. */
#define GREATER(v, b) ((v) > (b))
#define LESS(v, b) ((v) < (b))

/* The exact rule, one element at a time: skip leading NaNs, then compare. */
#define EXACT_EXTREME(name, BETTER)                                                   \
    static double name(const double *x, int64_t m, int64_t stride, int64_t *where) { \
        int64_t f = 0;                                                                \
        while (f < m && isnan(x[f * stride])) f++;                                    \
        if (f == m) {                                                                 \
            *where = 0;                                                               \
            return x[0];                                                              \
        }                                                                             \
        double b = x[f * stride];                                                     \
        int64_t w = f;                                                                \
        for (int64_t i = f + 1; i < m; i++) {                                         \
            const double v = x[i * stride];                                           \
            if (BETTER(v, b)) {                                                       \
                b = v;                                                                \
                w = i;                                                                \
            }                                                                         \
        }                                                                             \
        *where = w;                                                                   \
        return b;                                                                     \
    }

EXACT_EXTREME(exact_max, GREATER)
EXACT_EXTREME(exact_min, LESS)

/* best[j] (and at[j], the row) over rows i < m of w contiguous columns. */
#define COLS_SCAN(name, BETTER, SENTINEL)                                                          \
    static void name(const double *restrict x, int64_t m, int64_t rs, int64_t w, double *restrict best, \
                     double *restrict at) {                                                      \
        for (int64_t j = 0; j < w; j++) best[j] = SENTINEL;                                      \
        if (at) {                                                                                \
            for (int64_t j = 0; j < w; j++) at[j] = 0.0;                                         \
            for (int64_t i = 0; i < m; i++) {                                                    \
                const double *row = x + i * rs;                                                  \
                const double di = (double)i; /* SSE2 has no packed int64->double */              \
                for (int64_t j = 0; j < w; j++) {                                                \
                    const bool take = BETTER(row[j], best[j]);                                   \
                    best[j] = take ? row[j] : best[j];                                           \
                    at[j] = take ? di : at[j];                                                   \
                }                                                                                \
            }                                                                                    \
        } else {                                                                                 \
            for (int64_t i = 0; i < m; i++) {                                                    \
                const double *row = x + i * rs;                                                  \
                for (int64_t j = 0; j < w; j++) best[j] = BETTER(row[j], best[j]) ? row[j] : best[j]; \
            }                                                                                    \
        }                                                                                        \
    }

COLS_SCAN(cols_max, GREATER, -INFINITY)
COLS_SCAN(cols_min, LESS, INFINITY)

/* The value alone over a contiguous line, in eight named lanes that stay in
 * registers (the same trick as the pairwise sum). */
#define LANES_EXTREME(name, BETTER, SENTINEL)                                          \
    static void name(const double *x, int64_t rows, double *best) {                    \
        double b0 = SENTINEL, b1 = SENTINEL, b2 = SENTINEL, b3 = SENTINEL;             \
        double b4 = SENTINEL, b5 = SENTINEL, b6 = SENTINEL, b7 = SENTINEL;             \
        for (int64_t i = 0; i < rows; i++) {                                           \
            const double *p = x + 8 * i;                                               \
            b0 = BETTER(p[0], b0) ? p[0] : b0;                                         \
            b1 = BETTER(p[1], b1) ? p[1] : b1;                                         \
            b2 = BETTER(p[2], b2) ? p[2] : b2;                                         \
            b3 = BETTER(p[3], b3) ? p[3] : b3;                                         \
            b4 = BETTER(p[4], b4) ? p[4] : b4;                                         \
            b5 = BETTER(p[5], b5) ? p[5] : b5;                                         \
            b6 = BETTER(p[6], b6) ? p[6] : b6;                                         \
            b7 = BETTER(p[7], b7) ? p[7] : b7;                                         \
        }                                                                              \
        best[0] = b0, best[1] = b1, best[2] = b2, best[3] = b3;                        \
        best[4] = b4, best[5] = b5, best[6] = b6, best[7] = b7;                        \
    }

LANES_EXTREME(lanes_max, GREATER, -INFINITY)
LANES_EXTREME(lanes_min, LESS, INFINITY)

/* A long contiguous line is scanned as rows of eight lanes (by the column
 * kernel when the index is wanted); the lanes are combined by value and then
 * lowest index. */
#define LINE_EXTREME(name, cols_fn, lanes_fn, exact_fn, BETTER, SENTINEL)              \
    static double name(const double *x, int64_t m, int64_t stride, int64_t *where) {  \
        if (stride == 1 && m >= 64) {                                                  \
            double best[8], at[8];                                                     \
            const int64_t rows = m / 8;                                                \
            if (where) cols_fn(x, rows, 8, 8, best, at);                               \
            else lanes_fn(x, rows, best);                                              \
            double b = SENTINEL;                                                       \
            int64_t w = 0;                                                             \
            for (int j = 0; j < 8; j++) {                                              \
                const int64_t k = where ? 8 * (int64_t)at[j] + j : 0;                  \
                if (BETTER(best[j], b) || (best[j] == b && k < w)) {                   \
                    b = best[j];                                                       \
                    w = k;                                                             \
                }                                                                      \
            }                                                                          \
            for (int64_t i = 8 * rows; i < m; i++)                                     \
                if (BETTER(x[i], b)) {                                                 \
                    b = x[i];                                                          \
                    w = i;                                                             \
                }                                                                      \
            if (b != SENTINEL) {                                                       \
                if (where) *where = w;                                                 \
                return b;                                                              \
            }                                                                          \
        }                                                                              \
        int64_t w2;                                                                    \
        double b2 = exact_fn(x, m, stride, &w2);                                       \
        if (where) *where = w2;                                                        \
        return b2;                                                                     \
    }

LINE_EXTREME(line_max, cols_max, lanes_max, exact_max, GREATER, -INFINITY)
LINE_EXTREME(line_min, cols_min, lanes_min, exact_min, LESS, INFINITY)

/* Column chunk of max/min/argmax/argmin: the fast scan, then the exact one
 * for any column left at the sentinel. */
static void cols_extreme(lm_reduce op, const double *x, int64_t m, int64_t rs, int64_t w, double *out) {
    const bool want_max = op == LM_RED_MAX || op == LM_RED_ARGMAX;
    const bool want_index = op == LM_RED_ARGMAX || op == LM_RED_ARGMIN;
    double best[COL_CHUNK], at[COL_CHUNK];
    if (want_max) cols_max(x, m, rs, w, best, want_index ? at : NULL);
    else cols_min(x, m, rs, w, best, want_index ? at : NULL);
    const double sentinel = want_max ? -INFINITY : INFINITY;
    for (int64_t j = 0; j < w; j++) {
        if (best[j] == sentinel) {
            int64_t where;
            best[j] = want_max ? exact_max(x + j, m, rs, &where) : exact_min(x + j, m, rs, &where);
            at[j] = (double)where;
        }
        out[j] = want_index ? at[j] : best[j];
    }
}

/* ---- one line: m elements spaced `stride` apart ---- */

/* m >= 1 here; empty lines are handled by the caller. */
static double reduce_line(lm_reduce op, const double *x, int64_t m, int64_t stride) {
    int64_t where;
    switch (op) {
    case LM_RED_SUM: return lm_tensor_pairwise_sum(x, m, stride);
    case LM_RED_MEAN: return lm_tensor_pairwise_sum(x, m, stride) / (double)m;
    case LM_RED_PROD: {
        double p = 1.0;
        for (int64_t i = 0; i < m; i++) p *= x[i * stride];
        return p;
    }
    case LM_RED_MAX: return line_max(x, m, stride, NULL);
    case LM_RED_MIN: return line_min(x, m, stride, NULL);
    case LM_RED_ARGMAX: line_max(x, m, stride, &where); return (double)where;
    case LM_RED_ARGMIN: line_min(x, m, stride, &where); return (double)where;
    }
    return NAN;
}

static void complex_prod_line(const double *re, const double *im, int64_t m, int64_t stride, double *pr,
                              double *pi) {
    double _Complex p = 1.0;
    for (int64_t i = 0; i < m; i++) p *= CMPLX(re[i * stride], im[i * stride]);
    *pr = creal(p);
    *pi = cimag(p);
}

/* ---- across rows: m rows of w contiguous columns, rows `rs` apart ---- */

/* out[j] = the pairwise sum of x[i*rs + j] over i < m, for j < w <= COL_CHUNK,
 * with exactly the association of lm_tensor_pairwise_sum: a column sum is the
 * same to the bit whichever way the matrix is stored. */
static void pairwise_cols(const double *x, int64_t m, int64_t rs, int64_t w, double *out) {
    if (m < 8) {
        for (int64_t j = 0; j < w; j++) out[j] = 0.0;
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < w; j++) out[j] += x[i * rs + j];
        return;
    }
    if (m <= 128) {
        double r[8][COL_CHUNK];
        for (int k = 0; k < 8; k++)
            for (int64_t j = 0; j < w; j++) r[k][j] = x[k * rs + j];
        int64_t i;
        for (i = 8; i < m - (m % 8); i += 8)
            for (int k = 0; k < 8; k++) {
                const double *row = x + (i + k) * rs;
                for (int64_t j = 0; j < w; j++) r[k][j] += row[j];
            }
        for (int64_t j = 0; j < w; j++)
            out[j] = ((r[0][j] + r[1][j]) + (r[2][j] + r[3][j])) + ((r[4][j] + r[5][j]) + (r[6][j] + r[7][j]));
        for (; i < m; i++)
            for (int64_t j = 0; j < w; j++) out[j] += x[i * rs + j];
        return;
    }
    int64_t half = m / 2;
    half -= half % 8;
    double tmp[COL_CHUNK];
    pairwise_cols(x, half, rs, w, out);
    pairwise_cols(x + half * rs, m - half, rs, w, tmp);
    for (int64_t j = 0; j < w; j++) out[j] += tmp[j];
}

static void reduce_cols(lm_reduce op, const double *x, int64_t m, int64_t rs, int64_t n, double *out) {
    double acc[COL_CHUNK];
    for (int64_t j0 = 0; j0 < n; j0 += COL_CHUNK) {
        const int64_t w = n - j0 < COL_CHUNK ? n - j0 : COL_CHUNK;
        const double *x0 = x + j0;
        switch (op) {
        case LM_RED_SUM: pairwise_cols(x0, m, rs, w, acc); break;
        case LM_RED_MEAN:
            pairwise_cols(x0, m, rs, w, acc);
            for (int64_t j = 0; j < w; j++) acc[j] /= (double)m;
            break;
        case LM_RED_PROD:
            for (int64_t j = 0; j < w; j++) acc[j] = 1.0;
            for (int64_t i = 0; i < m; i++)
                for (int64_t j = 0; j < w; j++) acc[j] *= x0[i * rs + j];
            break;
        case LM_RED_MAX:
        case LM_RED_MIN:
        case LM_RED_ARGMAX:
        case LM_RED_ARGMIN: cols_extreme(op, x0, m, rs, w, acc); break;
        }
        memcpy(out + j0, acc, (size_t)w * sizeof *out);
    }
}

/* ---- driver ---- */

static bool is_extreme(lm_reduce op) {
    return op == LM_RED_MAX || op == LM_RED_MIN || op == LM_RED_ARGMAX || op == LM_RED_ARGMIN;
}

static double identity_of(lm_reduce op) {
    switch (op) {
    case LM_RED_SUM: return 0.0;
    case LM_RED_PROD: return 1.0;
    case LM_RED_MEAN: return NAN; /* 0/0, as Octave's mean([]) */
    default: return NAN;
    }
}

/* Everything at once: one line over all elements in row-major order. */
static lm_tensor *reduce_all(lm_reduce op, const lm_tensor *a, lm_err *err) {
    int64_t shape[LM_MAX_DIMS];
    /* All axes keep size 1; max of nothing keeps the empty axes empty. */
    for (int d = 0; d < a->ndim; d++) shape[d] = (a->size == 0 && is_extreme(op) && a->shape[d] == 0) ? 0 : 1;
    bool cplx = a->imag != NULL;
    lm_tensor *r = lm_tensor_alloc_raw(a->ndim, shape, cplx, true, err);
    if (!r || r->size == 0) return r;
    if (a->size == 0) {
        r->data[0] = identity_of(op);
        return r;
    }
    lm_tensor *c = lm_tensor_contiguous(a, err);
    if (!c) {
        lm_tensor_release(r);
        return NULL;
    }
    if (cplx && op == LM_RED_PROD) {
        complex_prod_line(c->data, c->imag, c->size, 1, &r->data[0], &r->imag[0]);
    } else {
        r->data[0] = reduce_line(op, c->data, c->size, 1);
        if (cplx) r->imag[0] = reduce_line(op, c->imag, c->size, 1);
    }
    lm_tensor_release(c);
    return r;
}

/* Along one axis: the other axes are coalesced into an iteration space, and
 * each output element is either one line reduction or part of a column chunk. */
static void reduce_axis(lm_reduce op, const double *src, const double *src_im, const lm_tensor *a, int axis,
                        lm_tensor *r) {
    const int64_t m = a->shape[axis], rs = a->stride[axis];
    int64_t shape[LM_MAX_DIMS], st[2][LM_MAX_DIMS];
    int nd = 0;
    for (int d = 0; d < a->ndim; d++) {
        if (d == axis) continue;
        shape[nd] = a->shape[d];
        st[0][nd] = a->stride[d];
        st[1][nd] = r->stride[d];
        nd++;
    }
    nd = lm_tensor_coalesce(nd, shape, 2, st);
    /* Column mode pays off when the reduced axis is strided and the innermost
     * other axis is contiguous in both source and result. */
    bool cols = nd > 0 && rs != 1 && st[0][nd - 1] == 1 && st[1][nd - 1] == 1 && !(src_im && op == LM_RED_PROD);
    const int outer_nd = cols ? nd - 1 : nd;
    const int64_t inner = cols ? shape[nd - 1] : 1;
    int64_t idx[LM_MAX_DIMS] = {0}, oa = 0, oo = 0;
    for (;;) {
        if (cols) {
            reduce_cols(op, src + oa, m, rs, inner, r->data + oo);
            if (src_im) reduce_cols(op, src_im + oa, m, rs, inner, r->imag + oo);
        } else if (src_im && op == LM_RED_PROD) {
            complex_prod_line(src + oa, src_im + oa, m, rs, &r->data[oo], &r->imag[oo]);
        } else {
            r->data[oo] = reduce_line(op, src + oa, m, rs);
            if (src_im) r->imag[oo] = reduce_line(op, src_im + oa, m, rs);
        }
        int d = outer_nd - 1;
        for (; d >= 0; d--) {
            oa += st[0][d];
            oo += st[1][d];
            if (++idx[d] < shape[d]) break;
            oa -= st[0][d] * shape[d];
            oo -= st[1][d] * shape[d];
            idx[d] = 0;
        }
        if (d < 0) return;
    }
}

lm_tensor *lm_tensor_reduce(lm_reduce op, const lm_tensor *a, int axis, lm_err *err) {
    if (axis < -1 || axis >= LM_MAX_DIMS) {
        lm_err_set(err, LM_ERR_DOMAIN, "dimension %d is out of range: a tensor has at most %d", axis + 1,
                   LM_MAX_DIMS);
        return NULL;
    }
    if (a->imag && is_extreme(op)) {
        lm_err_set(err, LM_ERR_TYPE, "%s is not defined for complex numbers here",
                   op == LM_RED_MAX || op == LM_RED_ARGMAX ? "max" : "min");
        return NULL;
    }
    if (axis == -1) return reduce_all(op, a, err);
    /* An axis past the last one has size 1 (Octave's sum(A, 3) on a matrix):
     * every element is its own reduction. */
    if (axis >= a->ndim) {
        if (op == LM_RED_ARGMAX || op == LM_RED_ARGMIN) return lm_tensor_new(a->ndim, a->shape, err);
        lm_tensor *r = lm_tensor_copy(a, err);
        if (r) r->logical = false;
        return r;
    }
    int64_t shape[LM_MAX_DIMS];
    memcpy(shape, a->shape, (size_t)a->ndim * sizeof *shape);
    const int64_t m = a->shape[axis];
    /* max over an empty axis has no value: the axis stays empty, as in Octave
     * (max(zeros(0,3)) is 0×3). Sums of nothing are 0, products 1. */
    shape[axis] = (m == 0 && is_extreme(op)) ? 0 : 1;
    bool cplx = a->imag != NULL;
    lm_tensor *r = lm_tensor_alloc_raw(a->ndim, shape, cplx, m == 0, err);
    if (!r || r->size == 0) return r;
    if (m == 0) {
        double v = identity_of(op);
        for (int64_t i = 0; i < r->size; i++) r->data[i] = v;
        return r;
    }
    reduce_axis(op, a->data, a->imag, a, axis, r);
    return r;
}

/* ---- joining ---- */

lm_tensor *lm_tensor_cat(int axis, int n, lm_tensor *const *parts, lm_err *err) {
    if (axis < 0 || axis >= LM_MAX_DIMS) {
        lm_err_set(err, LM_ERR_DOMAIN, "cannot join along dimension %d: a tensor has at most %d", axis + 1,
                   LM_MAX_DIMS);
        return NULL;
    }
    int nd = axis + 1;
    for (int i = 0; i < n; i++)
        if (parts[i]->ndim > nd) nd = parts[i]->ndim;
    if (n == 0) {
        int64_t zero[LM_MAX_DIMS] = {0};
        return lm_tensor_new(nd > 2 ? nd : 2, zero, err); /* [] */
    }
    /* Shapes are compared with trailing 1s filled in. The first non-empty part
     * sets the shape; an empty part that does not fit is skipped, so [[] 1 2]
     * works as it does in Octave. */
    const lm_tensor *ref = parts[0];
    for (int i = 0; i < n; i++)
        if (parts[i]->size > 0) {
            ref = parts[i];
            break;
        }
    int64_t rshape[LM_MAX_DIMS];
    for (int d = 0; d < nd; d++) rshape[d] = d < ref->ndim ? ref->shape[d] : 1;
    rshape[axis] = 0;
    bool cplx = false, logical = true;
    int used = 0;
    bool *take = lm_alloc((size_t)n * sizeof *take);
    for (int i = 0; i < n; i++) {
        const lm_tensor *p = parts[i];
        take[i] = true;
        for (int d = 0; d < nd; d++) {
            int64_t e = d < p->ndim ? p->shape[d] : 1;
            if (d == axis || e == rshape[d]) continue;
            if (p->size == 0) {
                take[i] = false;
                break;
            }
            char sa[64], sb[64];
            lm_tensor_shape_str(ref, sa);
            lm_tensor_shape_str(p, sb);
            int64_t er = rshape[d];
            if (nd == 2 && axis == 0)
                lm_err_set(err, LM_ERR_SHAPE, "cannot stack %s and %s vertically: they have %lld and %lld columns",
                           sa, sb, (long long)er, (long long)e);
            else if (nd == 2 && axis == 1)
                lm_err_set(err, LM_ERR_SHAPE, "cannot put %s and %s side by side: they have %lld and %lld rows", sa,
                           sb, (long long)er, (long long)e);
            else
                lm_err_set(err, LM_ERR_SHAPE,
                           "cannot join %s and %s along dimension %d: sizes %lld and %lld differ in dimension %d", sa,
                           sb, axis + 1, (long long)er, (long long)e, d + 1);
            lm_free(take);
            return NULL;
        }
        if (!take[i]) continue;
        rshape[axis] += axis < p->ndim ? p->shape[axis] : 1;
        if (p->imag) cplx = true;
        if (!p->logical) logical = false;
        used++;
    }
    if (used == 0) logical = false;
    /* Zero-filled when complex: real parts contribute zero imaginary parts. */
    lm_tensor *r = lm_tensor_alloc_raw(nd, rshape, cplx, cplx, err);
    if (!r) {
        lm_free(take);
        return NULL;
    }
    r->logical = logical;
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        if (!take[i]) continue;
        const lm_tensor *p = parts[i];
        int64_t pshape[LM_MAX_DIMS], pstride[LM_MAX_DIMS];
        for (int d = 0; d < nd; d++) {
            pshape[d] = d < p->ndim ? p->shape[d] : 1;
            pstride[d] = d < p->ndim ? p->stride[d] : 0;
        }
        if (p->size > 0) {
            int64_t at = off * r->stride[axis];
            lm_tensor_copy_strided(nd, pshape, p->data, pstride, r->data + at, r->stride);
            if (p->imag) lm_tensor_copy_strided(nd, pshape, p->imag, pstride, r->imag + at, r->stride);
        }
        off += pshape[axis];
    }
    lm_free(take);
    return r;
}
