/* Elementwise arithmetic with NumPy broadcasting. Each operator has one scalar
 * definition and one line kernel specialised for the stride patterns that
 * matter (both unit, one scalar); a coalescing index counter drives the rest. */
#include "tensor_int.h"

#include "cmplx.h"
#include <math.h>
#include <string.h>

/* ---- scalar definitions (Octave's semantics) ---- */

static inline double op_add(double x, double y) { return x + y; }
static inline double op_sub(double x, double y) { return x - y; }
static inline double op_mul(double x, double y) { return x * y; }
static inline double op_div(double x, double y) { return x / y; }
static inline double op_ldiv(double x, double y) { return y / x; }
/* x*x is exact where pow may be off by an ulp, and squaring is the common case. */
static inline double op_pow(double x, double y) { return y == 2.0 ? x * x : pow(x, y); }
static inline double op_eq(double x, double y) { return x == y ? 1.0 : 0.0; }
static inline double op_ne(double x, double y) { return x != y ? 1.0 : 0.0; }
static inline double op_lt(double x, double y) { return x < y ? 1.0 : 0.0; }
static inline double op_le(double x, double y) { return x <= y ? 1.0 : 0.0; }
static inline double op_gt(double x, double y) { return x > y ? 1.0 : 0.0; }
static inline double op_ge(double x, double y) { return x >= y ? 1.0 : 0.0; }
static inline double op_and(double x, double y) { return (x != 0.0 && y != 0.0) ? 1.0 : 0.0; }
static inline double op_or(double x, double y) { return (x != 0.0 || y != 0.0) ? 1.0 : 0.0; }
/* Octave's min/max ignore a NaN unless both are NaN (as fmin/fmax do); the
 * comparison form compiles to vector blends where the library calls do not. */
static inline double op_min(double x, double y) { return (y != y || x <= y) ? x : y; }
static inline double op_max(double x, double y) { return (y != y || x >= y) ? x : y; }
static inline double op_atan2(double x, double y) { return atan2(x, y); }

/* Octave's mod and rem (liboctave lo-mappers.h): a quotient within an epsilon
 * of an integer counts as exact, so mod(0.3, 0.1) is 0 rather than 0.1; the
 * result takes the sign of y (mod) or x (rem). mod(x, 0) is x, rem(x, 0) NaN. */
static inline double near_int(double x) { return isfinite(x) ? floor(x + 0.5) : x; }

static double op_mod(double x, double y) {
    double r;
    if (y == 0) {
        r = x;
    } else {
        double q = x / y;
        if (near_int(y) != y && fabs((q - near_int(q)) / near_int(q)) < 0x1p-52) {
            r = 0;
        } else {
            volatile double tmp = y * floor(q); /* no extended precision, as in Octave */
            r = x - tmp;
        }
    }
    if (x != y && y != 0) r = copysign(r, y);
    return r;
}

static double op_rem(double x, double y) {
    double r;
    if (y == 0) {
        r = NAN;
    } else {
        double q = x / y;
        if (near_int(y) != y && fabs((q - near_int(q)) / near_int(q)) < 0x1p-52) {
            r = 0;
        } else {
            volatile double tmp = y * trunc(q);
            r = x - tmp;
        }
    }
    if (x != y && y != 0) r = copysign(r, x);
    return r;
}

double lm_binop_apply(lm_binop op, double x, double y) {
    switch (op) {
    case LM_OP_ADD: return op_add(x, y);
    case LM_OP_SUB: return op_sub(x, y);
    case LM_OP_MUL: return op_mul(x, y);
    case LM_OP_DIV: return op_div(x, y);
    case LM_OP_POW: return op_pow(x, y);
    case LM_OP_LDIV: return op_ldiv(x, y);
    case LM_OP_EQ: return op_eq(x, y);
    case LM_OP_NE: return op_ne(x, y);
    case LM_OP_LT: return op_lt(x, y);
    case LM_OP_LE: return op_le(x, y);
    case LM_OP_GT: return op_gt(x, y);
    case LM_OP_GE: return op_ge(x, y);
    case LM_OP_AND: return op_and(x, y);
    case LM_OP_OR: return op_or(x, y);
    case LM_OP_MIN: return op_min(x, y);
    case LM_OP_MAX: return op_max(x, y);
    case LM_OP_ATAN2: return op_atan2(x, y);
    case LM_OP_MOD: return op_mod(x, y);
    case LM_OP_REM: return op_rem(x, y);
    }
    return NAN;
}

/* ---- line kernels ---- */

/* out[i] = f(a[i*sa], b[i*sb]) for i < n, out contiguous. The unit-stride and
 * scalar-operand cases get their own loops so the compiler can vectorise them. */
typedef void (*line_kernel)(int64_t n, const double *a, int64_t sa, const double *b, int64_t sb, double *out);

#define LINE_KERNEL(name, f)                                                                                 \
    static void name(int64_t n, const double *restrict a, int64_t sa, const double *restrict b, int64_t sb, \
                     double *restrict out) {                                                                 \
        if (sa == 1 && sb == 1) {                                                                            \
            for (int64_t i = 0; i < n; i++) out[i] = f(a[i], b[i]);                                          \
        } else if (sa == 1 && sb == 0) {                                                                     \
            const double y = b[0];                                                                           \
            for (int64_t i = 0; i < n; i++) out[i] = f(a[i], y);                                             \
        } else if (sa == 0 && sb == 1) {                                                                     \
            const double x = a[0];                                                                           \
            for (int64_t i = 0; i < n; i++) out[i] = f(x, b[i]);                                             \
        } else {                                                                                             \
            for (int64_t i = 0; i < n; i++) out[i] = f(a[i * sa], b[i * sb]);                                \
        }                                                                                                    \
    }

LINE_KERNEL(k_add, op_add)
LINE_KERNEL(k_sub, op_sub)
LINE_KERNEL(k_mul, op_mul)
LINE_KERNEL(k_div, op_div)
LINE_KERNEL(k_pow_any, op_pow)
LINE_KERNEL(k_ldiv, op_ldiv)
LINE_KERNEL(k_eq, op_eq)
LINE_KERNEL(k_ne, op_ne)
LINE_KERNEL(k_lt, op_lt)
LINE_KERNEL(k_le, op_le)
LINE_KERNEL(k_gt, op_gt)
LINE_KERNEL(k_ge, op_ge)
LINE_KERNEL(k_and, op_and)
LINE_KERNEL(k_or, op_or)
LINE_KERNEL(k_min, op_min)
LINE_KERNEL(k_max, op_max)
LINE_KERNEL(k_atan2, op_atan2)
LINE_KERNEL(k_mod, op_mod)
LINE_KERNEL(k_rem, op_rem)

/* A.^2 with a scalar exponent is the most common power: multiply instead of
 * calling pow per element (the same, correctly rounded, result). */
static void k_pow(int64_t n, const double *a, int64_t sa, const double *b, int64_t sb, double *out) {
    if (sb == 0 && b[0] == 2.0) k_mul(n, a, sa, a, sa, out);
    else k_pow_any(n, a, sa, b, sb, out);
}

static line_kernel kernel_for(lm_binop op) {
    switch (op) {
    case LM_OP_ADD: return k_add;
    case LM_OP_SUB: return k_sub;
    case LM_OP_MUL: return k_mul;
    case LM_OP_DIV: return k_div;
    case LM_OP_POW: return k_pow;
    case LM_OP_LDIV: return k_ldiv;
    case LM_OP_EQ: return k_eq;
    case LM_OP_NE: return k_ne;
    case LM_OP_LT: return k_lt;
    case LM_OP_LE: return k_le;
    case LM_OP_GT: return k_gt;
    case LM_OP_GE: return k_ge;
    case LM_OP_AND: return k_and;
    case LM_OP_OR: return k_or;
    case LM_OP_MIN: return k_min;
    case LM_OP_MAX: return k_max;
    case LM_OP_ATAN2: return k_atan2;
    case LM_OP_MOD: return k_mod;
    case LM_OP_REM: return k_rem;
    }
    return NULL;
}

static bool is_logical_op(lm_binop op) {
    return (op >= LM_OP_EQ && op <= LM_OP_GE) || op == LM_OP_AND || op == LM_OP_OR;
}

/* ---- complex line kernel ---- */

static bool complex_supported(lm_binop op) {
    return op == LM_OP_ADD || op == LM_OP_SUB || op == LM_OP_MUL || op == LM_OP_DIV || op == LM_OP_LDIV ||
           op == LM_OP_EQ || op == LM_OP_NE;
}

/* x op y with x = xr + i*xi; `xreal` says x has no imaginary part at all, in
 * which case products and quotients scale componentwise (as Octave's
 * complex-by-real operators do, so inf*(1+0i) stays free of NaN). */
static void complex_apply(lm_binop op, double xr, double xi, bool xreal, double yr, double yi, bool yreal,
                          double *zr, double *zi) {
    switch (op) {
    case LM_OP_ADD: *zr = xr + yr; *zi = xi + yi; return;
    case LM_OP_SUB: *zr = xr - yr; *zi = xi - yi; return;
    case LM_OP_MUL:
        if (yreal) { *zr = xr * yr; *zi = xi * yr; return; }
        if (xreal) { *zr = xr * yr; *zi = xr * yi; return; }
        {
            double _Complex z = CMPLX(xr, xi) * CMPLX(yr, yi);
            *zr = creal(z); *zi = cimag(z);
        }
        return;
    case LM_OP_LDIV:
        complex_apply(LM_OP_DIV, yr, yi, yreal, xr, xi, xreal, zr, zi);
        return;
    case LM_OP_DIV:
        if (yreal) { *zr = xr / yr; *zi = xi / yr; return; }
        {
            double _Complex z = CMPLX(xr, xi) / CMPLX(yr, yi);
            *zr = creal(z); *zi = cimag(z);
        }
        return;
    case LM_OP_EQ: *zr = (xr == yr && xi == yi) ? 1.0 : 0.0; *zi = 0.0; return;
    case LM_OP_NE: *zr = (xr != yr || xi != yi) ? 1.0 : 0.0; *zi = 0.0; return;
    default: *zr = NAN; *zi = NAN; return;
    }
}

typedef struct cplx_line {
    lm_binop op;
    const double *ar, *ai, *br, *bi; /* ai/bi NULL for a real operand */
    double *outr, *outi;              /* outi NULL for a comparison */
} cplx_line;

static void complex_line(const cplx_line *L, int64_t n, int64_t oa, int64_t sa, int64_t ob, int64_t sb, int64_t oo) {
    for (int64_t i = 0; i < n; i++) {
        int64_t ia = oa + i * sa, ib = ob + i * sb;
        double zr, zi;
        complex_apply(L->op, L->ar[ia], L->ai ? L->ai[ia] : 0.0, !L->ai, L->br[ib], L->bi ? L->bi[ib] : 0.0,
                      !L->bi, &zr, &zi);
        L->outr[oo + i] = zr;
        if (L->outi) L->outi[oo + i] = zi;
    }
}

/* ---- broadcasting ---- */

static const char *default_opname(lm_binop op) {
    static const char *const names[] = {"+", "-", ".*", "./", ".^", ".\\", "==", "~=", "<", "<=",
                                        ">", ">=", "&", "|", "min", "max", "atan2", "mod", "rem"};
    return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

/* "cannot add 2×3 and 3×2" for the operators a learner types, "cannot apply
 * atan2 to 2×3 and 3×2" for function-style ones. dim counts in the broadcast
 * shape, which lines the operands up from their last dimension (NumPy's rule):
 * with as many dimensions each it is the dimension of both, otherwise the
 * message names each operand's own dimension, since 2×3 has no dimension 3. */
static void shape_mismatch(lm_err *err, const char *opname, const lm_tensor *a, const lm_tensor *b, int64_t ea,
                           int64_t eb, int dim) {
    static const struct { const char *op, *verb, *tail; } verbs[] = {
        {"+", "add", ""},           {"-", "subtract", ""},       {".*", "multiply", " elementwise"},
        {"*", "multiply", ""},      {"./", "divide", " elementwise"}, {"/", "divide", ""},
        {".\\", "divide", " elementwise"}, {"\\", "divide", ""}, {"==", "compare", ""},
        {"~=", "compare", ""},      {"!=", "compare", ""},       {"<", "compare", ""},
        {"<=", "compare", ""},      {">", "compare", ""},        {">=", "compare", ""},
        {"&", "combine", " with &"}, {"|", "combine", " with |"}, {"&&", "combine", " with &&"},
        {"||", "combine", " with ||"},
    };
    char sa[64], sb[64];
    lm_tensor_shape_str(a, sa);
    lm_tensor_shape_str(b, sb);
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    lm_buf why = LM_BUF_INIT;
    if (a->ndim == b->ndim) {
        lm_buf_printf(&why, "sizes %lld and %lld differ in dimension %d", (long long)ea, (long long)eb, dim);
    } else {
        lm_buf_printf(&why,
                      "shapes line up from their last dimension (NumPy's rule), which pairs dimension %d of %s (size "
                      "%lld) with dimension %d of %s (size %lld); paired sizes must be equal or 1",
                      dim - (nd - a->ndim), sa, (long long)ea, dim - (nd - b->ndim), sb, (long long)eb);
    }
    const char *verb = NULL, *tail = "";
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0] && !verb; i++)
        if (strcmp(opname, verbs[i].op) == 0) {
            verb = verbs[i].verb;
            tail = verbs[i].tail;
        }
    if (verb) lm_err_set(err, LM_ERR_SHAPE, "cannot %s %s and %s%s: %s", verb, sa, sb, tail, lm_buf_cstr(&why));
    else lm_err_set(err, LM_ERR_SHAPE, "cannot apply %s to %s and %s: %s", opname, sa, sb, lm_buf_cstr(&why));
    lm_buf_free(&why);
}

/* Runs a line function over a broadcast iteration space: st[0], st[1] are the
 * operands' strides (0 along stretched axes), st[2] the contiguous output's. */
typedef struct bcast_loop {
    int nd;
    int64_t shape[LM_MAX_DIMS];
    int64_t st[3][LM_MAX_DIMS];
} bcast_loop;

/* Moves the index counter over the outer nd - 1 axes to the next line and the
 * offsets o[0..2] (a, b, out) with it; false after the last line. */
static inline bool next_line(const bcast_loop *L, int nd, int64_t *idx, int64_t o[3]) {
    for (int d = nd - 2; d >= 0; d--) {
        o[0] += L->st[0][d];
        o[1] += L->st[1][d];
        o[2] += L->st[2][d];
        if (++idx[d] < L->shape[d]) return true;
        o[0] -= L->st[0][d] * L->shape[d];
        o[1] -= L->st[1][d] * L->shape[d];
        o[2] -= L->st[2][d] * L->shape[d];
        idx[d] = 0;
    }
    return false;
}

static void run_real(line_kernel k, bcast_loop *L, const double *a, const double *b, double *out) {
    int nd = lm_tensor_coalesce(L->nd, L->shape, 3, L->st);
    if (nd == 0) {
        k(1, a, 1, b, 1, out);
        return;
    }
    /* The output is contiguous, so its innermost remaining stride is 1. */
    const int64_t n = L->shape[nd - 1], sa = L->st[0][nd - 1], sb = L->st[1][nd - 1];
    int64_t idx[LM_MAX_DIMS] = {0}, o[3] = {0, 0, 0};
    for (;;) {
        k(n, a + o[0], sa, b + o[1], sb, out + o[2]);
        if (!next_line(L, nd, idx, o)) return;
    }
}

static void run_complex(const cplx_line *C, bcast_loop *L) {
    int nd = lm_tensor_coalesce(L->nd, L->shape, 3, L->st);
    if (nd == 0) {
        complex_line(C, 1, 0, 0, 0, 0, 0);
        return;
    }
    const int64_t n = L->shape[nd - 1], sa = L->st[0][nd - 1], sb = L->st[1][nd - 1];
    int64_t idx[LM_MAX_DIMS] = {0}, o[3] = {0, 0, 0};
    for (;;) {
        complex_line(C, n, o[0], sa, o[1], sb, o[2]);
        if (!next_line(L, nd, idx, o)) return;
    }
}

static bool same_shape(const lm_tensor *a, const lm_tensor *b) {
    if (a->ndim != b->ndim) return false;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d]) return false;
    return true;
}

lm_tensor *lm_tensor_binop(lm_binop op, const lm_tensor *a, const lm_tensor *b, const char *opname, lm_err *err) {
    if (!opname) opname = default_opname(op);
    line_kernel k = kernel_for(op);
    if (!k) {
        lm_err_set(err, LM_ERR_INTERNAL, "unknown elementwise operator %d", (int)op);
        return NULL;
    }
    /* Broadcast from the trailing axis, so that the first mismatch reported is
     * the one NumPy reports. */
    bcast_loop L;
    L.nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int d = L.nd - 1; d >= 0; d--) {
        int da = d - (L.nd - a->ndim), db = d - (L.nd - b->ndim);
        int64_t ea = da >= 0 ? a->shape[da] : 1, eb = db >= 0 ? b->shape[db] : 1;
        L.st[0][d] = (da >= 0 && ea != 1) ? a->stride[da] : 0;
        L.st[1][d] = (db >= 0 && eb != 1) ? b->stride[db] : 0;
        if (ea == eb || eb == 1) {
            L.shape[d] = ea;
        } else if (ea == 1) {
            L.shape[d] = eb;
        } else {
            shape_mismatch(err, opname, a, b, ea, eb, d + 1);
            return NULL;
        }
    }
    bool cplx = a->imag || b->imag;
    bool logical = is_logical_op(op);
    if (cplx && !complex_supported(op)) {
        lm_err_set(err, LM_ERR_TYPE, "cannot apply %s to complex numbers", opname);
        return NULL;
    }
    lm_tensor *r = lm_tensor_alloc_raw(L.nd, L.shape, cplx && !logical, false, err);
    if (!r) return NULL;
    r->logical = logical;
    if (r->size == 0) return r;
    for (int d = 0; d < L.nd; d++) L.st[2][d] = r->stride[d];

    if (cplx) {
        cplx_line C = {op, a->data, a->imag, b->data, b->imag, r->data, r->imag};
        run_complex(&C, &L);
        return r;
    }
    /* The fast paths: same shape and both contiguous, or a scalar against a
     * contiguous tensor. The element order is then just 0..size-1. */
    bool ca = lm_tensor_is_contiguous(a), cb = lm_tensor_is_contiguous(b);
    if (ca && cb && same_shape(a, b)) {
        k(r->size, a->data, 1, b->data, 1, r->data);
    } else if (b->size == 1 && ca && a->size == r->size) {
        k(r->size, a->data, 1, b->data, 0, r->data);
    } else if (a->size == 1 && cb && b->size == r->size) {
        k(r->size, a->data, 0, b->data, 1, r->data);
    } else {
        run_real(k, &L, a->data, b->data, r->data);
    }
    return r;
}

lm_tensor *lm_tensor_binop_scalar(lm_binop op, const lm_tensor *a, double s, bool scalar_on_left, lm_err *err) {
    /* A one-element tensor on the stack: binop never retains its operands, and
     * broadcasting against it keeps a's shape. */
    lm_tensor st;
    memset(&st, 0, sizeof st);
    st.ndim = 1;
    st.shape[0] = 1;
    st.stride[0] = 1;
    st.size = 1;
    st.data = &s;
    return scalar_on_left ? lm_tensor_binop(op, &st, a, NULL, err) : lm_tensor_binop(op, a, &st, NULL, err);
}

lm_tensor *lm_tensor_map(const lm_tensor *a, double (*fn)(double), lm_err *err) {
    if (a->imag) {
        lm_err_set(err, LM_ERR_TYPE, "this function is not defined for complex numbers here");
        return NULL;
    }
    lm_tensor *r = lm_tensor_alloc_raw(a->ndim, a->shape, false, false, err);
    if (!r) return NULL;
    if (lm_tensor_is_contiguous(a)) {
        const double *x = a->data;
        for (int64_t i = 0; i < r->size; i++) r->data[i] = fn(x[i]);
    } else {
        lm_tensor_gather(a, r->data);
        for (int64_t i = 0; i < r->size; i++) r->data[i] = fn(r->data[i]);
    }
    return r;
}

lm_tensor *lm_tensor_neg(const lm_tensor *a, lm_err *err) {
    lm_tensor *r = lm_tensor_copy(a, err);
    if (!r) return NULL;
    r->logical = false;
    for (int64_t i = 0; i < r->size; i++) r->data[i] = -r->data[i];
    if (r->imag)
        for (int64_t i = 0; i < r->size; i++) r->imag[i] = -r->imag[i];
    return r;
}
