/* Unit tests for the tensor engine (src/tensor): creation, views, broadcasting,
 * reductions, joining, the matrix product and the limits. Expected values come
 * from NumPy 1.24 / Octave's documented rules / hand arithmetic, as each says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/tensor.h"

/* ---- helpers ---- */

#define assert_near(x, ref, tol) near_((x), (ref), (tol), #x, __FILE__, __LINE__)

static void near_(double x, double ref, double tol, const char *what, const char *file, int line) {
    if (x == ref || fabs(x - ref) <= tol) return;
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, x, ref, tol);
    _fail(file, line);
}

/* A rows×cols matrix with the given values in row-major order. */
static lm_tensor *mat(int64_t rows, int64_t cols, const double *vals) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(rows, cols, &err);
    assert_non_null(t);
    for (int64_t i = 0; i < rows * cols; i++) t->data[i] = vals[i];
    return t;
}

/* Checks shape and the row-major logical contents of t. */
static void check(const lm_tensor *t, int ndim, const int64_t *shape, const double *want, double tol) {
    assert_non_null(t);
    assert_int_equal(t->ndim, ndim);
    int64_t size = 1;
    for (int d = 0; d < ndim; d++) {
        assert_int_equal(t->shape[d], shape[d]);
        size *= shape[d];
    }
    assert_int_equal(t->size, size);
    double got[256];
    assert_true(size <= 256);
    lm_tensor_gather(t, got);
    for (int64_t i = 0; i < size; i++) {
        if (isnan(want[i])) assert_true(isnan(got[i]));
        else assert_near(got[i], want[i], tol);
    }
}

static void check2(const lm_tensor *t, int64_t rows, int64_t cols, const double *want) {
    int64_t shape[2] = {rows, cols};
    check(t, 2, shape, want, 0.0);
}

static void expect_error(lm_err *err, lm_errkind kind, const char *msg) {
    assert_int_equal(err->kind, kind);
    assert_non_null(err->msg);
    if (msg) assert_string_equal(err->msg, msg);
    lm_err_clear(err);
}

static void expect_error_containing(lm_err *err, lm_errkind kind, const char *part) {
    assert_int_equal(err->kind, kind);
    assert_non_null(err->msg);
    if (!strstr(err->msg, part)) {
        print_error("message \"%s\" lacks \"%s\"\n", err->msg, part);
        fail();
    }
    lm_err_clear(err);
}

/* Deterministic values in [-1, 1) (a 32-bit LCG, Numerical Recipes' constants). */
static double next_rand(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return (double)*s / 2147483648.0 - 1.0;
}

/* ---- creation ---- */

static void test_new_is_zero_and_contiguous(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    int64_t shape[3] = {2, 3, 4};
    lm_tensor *t = lm_tensor_new(3, shape, &err);
    assert_non_null(t);
    assert_int_equal(t->size, 24);
    /* ref: numpy.zeros((2,3,4)).strides / 8 = (12, 4, 1) */
    assert_int_equal(t->stride[0], 12);
    assert_int_equal(t->stride[1], 4);
    assert_int_equal(t->stride[2], 1);
    assert_true(lm_tensor_is_contiguous(t));
    assert_null(t->imag);
    assert_null(t->base);
    assert_false(t->logical);
    for (int i = 0; i < 24; i++) assert_true(t->data[i] == 0.0);
    char s[64];
    lm_tensor_shape_str(t, s);
    assert_string_equal(s, "2\xc3\x97" "3\xc3\x97" "4"); /* ref: "2×3×4" with U+00D7 */
    lm_tensor_release(t);

    lm_tensor *m = lm_tensor_matrix(2, 3, &err);
    lm_tensor_shape_str(m, s);
    assert_string_equal(s, "2×3");
    lm_tensor_release(m);

    lm_tensor *c = lm_tensor_new_complex(3, shape, &err);
    assert_non_null(c);
    assert_non_null(c->imag);
    assert_true(c->imag[23] == 0.0);
    lm_tensor_release(c);
    assert_int_equal(err.kind, LM_OK);
}

static void test_eye_fill_copy(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *e = lm_tensor_eye(3, &err);
    /* ref: numpy.eye(3) */
    check2(e, 3, 3, (const double[]){1, 0, 0, 0, 1, 0, 0, 0, 1});
    int64_t shape[2] = {2, 2};
    lm_tensor *f = lm_tensor_fill(2, shape, 7.5, &err);
    check2(f, 2, 2, (const double[]){7.5, 7.5, 7.5, 7.5}); /* ref: numpy.full((2,2), 7.5) */
    /* A copy of a transposed view is contiguous and holds the transpose. */
    lm_tensor *a = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor *at = lm_tensor_transpose(a);
    lm_tensor *c = lm_tensor_copy(at, &err);
    assert_true(lm_tensor_is_contiguous(c));
    assert_null(c->base);
    check2(c, 3, 2, (const double[]){1, 4, 2, 5, 3, 6}); /* ref: numpy [[1,2,3],[4,5,6]].T */
    lm_tensor_release(e);
    lm_tensor_release(f);
    lm_tensor_release(a);
    lm_tensor_release(at);
    lm_tensor_release(c);
}

static void test_range(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* ref: Octave numel(0:0.1:1) = 11, and (0:0.1:1)(end) == 1 exactly */
    lm_tensor *r = lm_tensor_range(0, 0.1, 1, &err);
    assert_non_null(r);
    assert_int_equal(r->ndim, 2);
    assert_int_equal(r->shape[0], 1);
    assert_int_equal(r->shape[1], 11);
    assert_true(r->data[10] == 1.0);
    assert_true(r->data[3] == 3 * 0.1); /* ref: Octave computes base + k*increment */
    lm_tensor_release(r);

    /* ref: Octave numel(0:0.01:1) = 101 = numpy.arange(0, 1.01, 0.01).size */
    r = lm_tensor_range(0, 0.01, 1, &err);
    assert_int_equal(r->shape[1], 101);
    lm_tensor_release(r);

    /* ref: Octave 0:0.1:0.3 has 4 elements, the last equal to 0.3 */
    r = lm_tensor_range(0, 0.1, 0.3, &err);
    assert_int_equal(r->shape[1], 4);
    assert_true(r->data[3] == 0.3);
    lm_tensor_release(r);

    r = lm_tensor_range(5, -1, 1, &err);
    check2(r, 1, 5, (const double[]){5, 4, 3, 2, 1}); /* ref: Octave 5:-1:1 */
    lm_tensor_release(r);

    r = lm_tensor_range(1, 1, 3.5, &err);
    check2(r, 1, 3, (const double[]){1, 2, 3}); /* ref: Octave 1:3.5 */
    lm_tensor_release(r);

    /* ref: Octave size(1:0) = [1 0], size(1:-1:2) = [1 0] */
    r = lm_tensor_range(1, 1, 0, &err);
    assert_int_equal(r->shape[0], 1);
    assert_int_equal(r->shape[1], 0);
    assert_int_equal(r->size, 0);
    lm_tensor_release(r);
    r = lm_tensor_range(1, -1, 2, &err);
    assert_int_equal(r->size, 0);
    lm_tensor_release(r);
    assert_int_equal(err.kind, LM_OK);

    assert_null(lm_tensor_range(0, 0, 1, &err));
    expect_error(&err, LM_ERR_DOMAIN, "the step of a range cannot be 0");
    assert_null(lm_tensor_range(0, 1, INFINITY, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    assert_null(lm_tensor_range(NAN, 1, 2, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
}

static void test_linspace(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *l = lm_tensor_linspace(0, 1, 5, &err);
    check2(l, 1, 5, (const double[]){0, 0.25, 0.5, 0.75, 1}); /* ref: numpy.linspace(0, 1, 5) */
    lm_tensor_release(l);
    l = lm_tensor_linspace(2, 3, 1, &err);
    check2(l, 1, 1, (const double[]){3}); /* ref: Octave linspace(2, 3, 1) = 3 */
    lm_tensor_release(l);
    l = lm_tensor_linspace(2, 3, 0, &err);
    assert_int_equal(l->shape[1], 0); /* ref: Octave size(linspace(2,3,0)) = [1 0] */
    lm_tensor_release(l);
    /* ref: numpy.linspace(0, 1, 11)[3] == 0.30000000000000004, last exactly 1 */
    l = lm_tensor_linspace(0, 1, 11, &err);
    assert_true(l->data[3] == 0.30000000000000004);
    assert_true(l->data[10] == 1.0);
    lm_tensor_release(l);
}

/* ---- views ---- */

static void test_transpose_shares_data(void **state) {
    (void)state;
    lm_tensor *a = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor *t = lm_tensor_transpose(a);
    assert_ptr_equal(t->data, a->data);
    assert_ptr_equal(t->base, a);
    assert_false(lm_tensor_is_contiguous(t));
    /* ref: numpy.array([[1,2,3],[4,5,6]]).T = [[1,4],[2,5],[3,6]] */
    check2(t, 3, 2, (const double[]){1, 4, 2, 5, 3, 6});
    assert_true(lm_tensor_get2(t, 2, 1) == 6.0);
    /* Writing through the owner is visible through the view: one buffer. */
    a->data[1] = 20;
    assert_true(lm_tensor_get2(t, 1, 0) == 20.0);
    /* k-th row-major element of the 3×2 view: k = 3 is (1, 1), which is a[1][1]. */
    assert_int_equal(lm_tensor_offset(t, 3), 4);
    /* The transpose of the transpose points at the owner, not at the view. */
    lm_tensor *tt = lm_tensor_transpose(t);
    assert_ptr_equal(tt->base, a);
    assert_true(lm_tensor_is_contiguous(tt));
    /* Releasing the owner first leaves the views valid (they hold the base). */
    lm_tensor_release(a);
    assert_true(lm_tensor_get2(tt, 1, 2) == 6.0);
    lm_tensor_release(t);
    lm_tensor_release(tt);
}

static void test_slice(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    double v[20];
    for (int i = 0; i < 20; i++) v[i] = i;
    lm_tensor *a = mat(4, 5, v); /* numpy.arange(20.).reshape(4, 5) */
    int64_t start[2] = {1, 0}, stop[2] = {3, 5}, step[2] = {1, 2};
    lm_tensor *s = lm_tensor_slice(a, start, stop, step, &err);
    /* ref: numpy.arange(20.).reshape(4,5)[1:3, 0:5:2] = [[5,7,9],[10,12,14]] */
    check2(s, 2, 3, (const double[]){5, 7, 9, 10, 12, 14});
    assert_ptr_equal(s->base, a);
    assert_false(lm_tensor_is_contiguous(s));

    /* A slice of a slice still points at the owner. */
    int64_t start2[2] = {1, 1};
    lm_tensor *ss = lm_tensor_slice(s, start2, NULL, NULL, &err);
    check2(ss, 1, 2, (const double[]){12, 14}); /* ref: the above [1:, 1:] */
    assert_ptr_equal(ss->base, a);

    /* A row of a contiguous matrix is contiguous. */
    int64_t r0[2] = {2, 0}, r1[2] = {3, 5};
    lm_tensor *row = lm_tensor_slice(a, r0, r1, NULL, &err);
    assert_true(lm_tensor_is_contiguous(row));
    check2(row, 1, 5, (const double[]){10, 11, 12, 13, 14});

    /* Empty selection. */
    int64_t e0[2] = {4, 0};
    lm_tensor *empty = lm_tensor_slice(a, e0, NULL, NULL, &err);
    assert_int_equal(empty->shape[0], 0);
    assert_int_equal(empty->size, 0);
    assert_int_equal(err.kind, LM_OK);

    int64_t bad[2] = {0, 6};
    assert_null(lm_tensor_slice(a, NULL, bad, NULL, &err));
    expect_error(&err, LM_ERR_SHAPE, "index range 1 to 6 is out of bounds for dimension 2 of size 5");
    int64_t zero_step[2] = {1, 0};
    assert_null(lm_tensor_slice(a, NULL, NULL, zero_step, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);

    lm_tensor_release(a);
    lm_tensor_release(s);
    lm_tensor_release(ss);
    lm_tensor_release(row);
    lm_tensor_release(empty);
}

static void test_permute_and_reshape(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    int64_t shape[3] = {2, 3, 4};
    lm_tensor *a = lm_tensor_new(3, shape, &err);
    for (int i = 0; i < 24; i++) a->data[i] = i;
    int perm[3] = {2, 0, 1};
    lm_tensor *p = lm_tensor_permute(a, perm, &err);
    /* ref: numpy.transpose(numpy.arange(24.).reshape(2,3,4), (2,0,1)).ravel() */
    int64_t pshape[3] = {4, 2, 3};
    check(p, 3, pshape,
          (const double[]){0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23},
          0.0);
    assert_ptr_equal(p->data, a->data);
    int badperm[3] = {0, 0, 1};
    assert_null(lm_tensor_permute(a, badperm, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);

    /* Reshape of a contiguous tensor is a view. */
    int64_t s64[2] = {6, 4};
    lm_tensor *r = lm_tensor_reshape(a, 2, s64, &err);
    assert_ptr_equal(r->data, a->data);
    assert_true(lm_tensor_get2(r, 5, 3) == 23.0);

    /* Reshape of a transposed view must copy. */
    lm_tensor *m = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor *mt = lm_tensor_transpose(m);
    int64_t s32[2] = {3, 2}, s6[1] = {6};
    lm_tensor *r2 = lm_tensor_reshape(mt, 2, s32, &err);
    check2(r2, 3, 2, (const double[]){1, 4, 2, 5, 3, 6}); /* ref: numpy A.T.reshape(3,2) */
    lm_tensor *r1 = lm_tensor_reshape(mt, 1, s6, &err);
    check(r1, 1, s6, (const double[]){1, 4, 2, 5, 3, 6}, 0.0); /* ref: numpy A.T.reshape(6) */
    assert_ptr_not_equal(r1->data, m->data);

    int64_t s44[2] = {4, 4};
    assert_null(lm_tensor_reshape(m, 2, s44, &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot reshape 2×3 (6 elements) into 4×4 (16 elements)");

    lm_tensor_release(a);
    lm_tensor_release(p);
    lm_tensor_release(r);
    lm_tensor_release(m);
    lm_tensor_release(mt);
    lm_tensor_release(r2);
    lm_tensor_release(r1);
}

/* ---- elementwise ---- */

static void test_broadcast_row_plus_column(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *row = mat(1, 3, (const double[]){1, 2, 3});
    lm_tensor *col = mat(2, 1, (const double[]){10, 20});
    lm_tensor *s = lm_tensor_binop(LM_OP_ADD, row, col, "+", &err);
    /* ref: numpy.array([[1,2,3]]) + [[10],[20]] = [[11,12,13],[21,22,23]] */
    check2(s, 2, 3, (const double[]){11, 12, 13, 21, 22, 23});
    assert_false(s->logical);

    /* 3-D against 2-D: numpy aligns the trailing axes. */
    int64_t shape[3] = {2, 1, 3};
    lm_tensor *x = lm_tensor_new(3, shape, &err);
    for (int i = 0; i < 6; i++) x->data[i] = i;
    lm_tensor *y = mat(4, 1, (const double[]){100, 200, 300, 400});
    lm_tensor *z = lm_tensor_binop(LM_OP_ADD, x, y, "+", &err);
    /* ref: (numpy.arange(6.).reshape(2,1,3) + [[100],[200],[300],[400]]).ravel(), shape (2,4,3) */
    int64_t zshape[3] = {2, 4, 3};
    check(z, 3, zshape,
          (const double[]){100, 101, 102, 200, 201, 202, 300, 301, 302, 400, 401, 402,
                           103, 104, 105, 203, 204, 205, 303, 304, 305, 403, 404, 405},
          0.0);

    lm_tensor_release(row);
    lm_tensor_release(col);
    lm_tensor_release(s);
    lm_tensor_release(x);
    lm_tensor_release(y);
    lm_tensor_release(z);
}

static void test_broadcast_mismatch_message(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = lm_tensor_matrix(2, 3, &err);
    lm_tensor *b = lm_tensor_matrix(3, 2, &err);
    assert_null(lm_tensor_binop(LM_OP_ADD, a, b, "+", &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot add 2×3 and 3×2: sizes 3 and 2 differ in dimension 2");
    assert_null(lm_tensor_binop(LM_OP_MUL, a, b, ".*", &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot multiply 2×3 and 3×2 elementwise: sizes 3 and 2 differ in dimension 2");
    assert_null(lm_tensor_binop(LM_OP_ATAN2, a, b, "atan2", &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot apply atan2 to 2×3 and 3×2: sizes 3 and 2 differ in dimension 2");
    /* Only the first dimension differs. */
    lm_tensor *c = lm_tensor_matrix(4, 3, &err);
    assert_null(lm_tensor_binop(LM_OP_LT, a, c, "<", &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot compare 2×3 and 4×3: sizes 2 and 4 differ in dimension 1");
    /* Different numbers of dimensions line up from the last (NumPy): 2×3×4
       against 2×3 pairs 4 with 3, which are dimension 3 of the one and 2 of the
       other (by hand); "dimension 3" alone would not exist in 2×3. */
    lm_tensor *d = lm_tensor_new(3, (int64_t[]){2, 3, 4}, &err);
    assert_null(lm_tensor_binop(LM_OP_ADD, d, a, "+", &err));
    expect_error(&err, LM_ERR_SHAPE,
                 "cannot add 2×3×4 and 2×3: shapes line up from their last dimension (NumPy's rule), which pairs "
                 "dimension 3 of 2×3×4 (size 4) with dimension 2 of 2×3 (size 3); paired sizes must be equal or 1");
    assert_null(lm_tensor_binop(LM_OP_SUB, c, d, "-", &err));
    expect_error(&err, LM_ERR_SHAPE,
                 "cannot subtract 4×3 and 2×3×4: shapes line up from their last dimension (NumPy's rule), which pairs "
                 "dimension 2 of 4×3 (size 3) with dimension 3 of 2×3×4 (size 4); paired sizes must be equal or 1");
    lm_tensor_release(a);
    lm_tensor_release(b);
    lm_tensor_release(c);
    lm_tensor_release(d);
}

static void test_elementwise_ops(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(1, 4, (const double[]){1, -1, 0, 2});
    lm_tensor *b = mat(1, 4, (const double[]){0, 0, 0, 3});
    lm_tensor *d = lm_tensor_binop(LM_OP_DIV, a, b, "./", &err);
    /* ref: IEEE 754: 1/0 = inf, -1/0 = -inf, 0/0 = nan; 2/3 */
    assert_true(isinf(d->data[0]) && d->data[0] > 0);
    assert_true(isinf(d->data[1]) && d->data[1] < 0);
    assert_true(isnan(d->data[2]));
    assert_near(d->data[3], 0.6666666666666666, 0.0);
    assert_int_equal(err.kind, LM_OK);

    lm_tensor *ge = lm_tensor_binop(LM_OP_GE, a, b, ">=", &err);
    assert_true(ge->logical);
    check2(ge, 1, 4, (const double[]){1, 0, 1, 0}); /* ref: by hand */

    /* ref: Octave (-8).^(1/3) is complex; the real path gives NaN; 2.^3 = 8 */
    lm_tensor *base = mat(1, 2, (const double[]){-8, 2});
    lm_tensor *ex = mat(1, 2, (const double[]){1.0 / 3.0, 3});
    lm_tensor *p = lm_tensor_binop(LM_OP_POW, base, ex, ".^", &err);
    assert_true(isnan(p->data[0]));
    assert_true(p->data[1] == 8.0);

    /* ref: Octave mod(-1,3) = 2, rem(-1,3) = -1, mod(5,0) = 5, mod(0.3,0.1) = 0 */
    assert_true(lm_binop_apply(LM_OP_MOD, -1, 3) == 2.0);
    assert_true(lm_binop_apply(LM_OP_REM, -1, 3) == -1.0);
    assert_true(lm_binop_apply(LM_OP_MOD, 5, 0) == 5.0);
    assert_true(lm_binop_apply(LM_OP_MOD, 0.3, 0.1) == 0.0);
    /* ref: Octave max(NaN, 1) = 1; numpy.arctan2(1, -1) = 2.356194490192345 */
    assert_true(lm_binop_apply(LM_OP_MAX, NAN, 1) == 1.0);
    assert_near(lm_binop_apply(LM_OP_ATAN2, 1, -1), 2.356194490192345, 0.0);
    /* ref: b ./ a for LDIV: 6 .\ 3 = 0.5 */
    assert_true(lm_binop_apply(LM_OP_LDIV, 6, 3) == 0.5);

    /* Scalar on either side. */
    lm_tensor *m = mat(2, 2, (const double[]){1, 2, 3, 4});
    lm_tensor *l = lm_tensor_binop_scalar(LM_OP_SUB, m, 10, true, &err);
    check2(l, 2, 2, (const double[]){9, 8, 7, 6}); /* ref: 10 - [1 2; 3 4] */
    lm_tensor *rr = lm_tensor_binop_scalar(LM_OP_SUB, m, 10, false, &err);
    check2(rr, 2, 2, (const double[]){-9, -8, -7, -6}); /* ref: [1 2; 3 4] - 10 */

    /* A strided operand (transpose view) against a contiguous one. */
    lm_tensor *mt = lm_tensor_transpose(m);
    lm_tensor *sum = lm_tensor_binop(LM_OP_ADD, m, mt, "+", &err);
    check2(sum, 2, 2, (const double[]){2, 5, 5, 8}); /* ref: A + A' = [2 5; 5 8] */

    lm_tensor *n = lm_tensor_neg(m, &err);
    check2(n, 2, 2, (const double[]){-1, -2, -3, -4});
    lm_tensor *sq = lm_tensor_map(mt, sqrt, &err);
    /* ref: sqrt([1 3; 2 4]) = [1 1.7320508075688772; 1.4142135623730951 2] (numpy.sqrt) */
    check2(sq, 2, 2, (const double[]){1, 1.7320508075688772, 1.4142135623730951, 2});

    lm_tensor *objs[] = {a, b, d, ge, base, ex, p, m, l, rr, mt, sum, n, sq};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

static void test_complex_elementwise(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {1, 1};
    lm_tensor *x = lm_tensor_new_complex(2, shape, &err);
    lm_tensor *y = lm_tensor_new_complex(2, shape, &err);
    x->data[0] = 1, x->imag[0] = 2;
    y->data[0] = 3, y->imag[0] = 4;
    lm_tensor *p = lm_tensor_binop(LM_OP_MUL, x, y, ".*", &err);
    /* ref: Python (1+2j)*(3+4j) = (-5+10j) */
    assert_true(p->data[0] == -5.0 && p->imag[0] == 10.0);
    lm_tensor *q = lm_tensor_binop(LM_OP_DIV, x, y, "./", &err);
    /* ref: Python (1+2j)/(3+4j) = (0.44+0.08j) */
    assert_near(q->data[0], 0.44, 1e-16);
    assert_near(q->imag[0], 0.08, 1e-16);
    lm_tensor *r = mat(1, 2, (const double[]){10, 20});
    lm_tensor *s = lm_tensor_binop(LM_OP_ADD, x, r, "+", &err);
    /* ref: (1+2i) + [10 20] = [11+2i 21+2i] */
    assert_int_equal(s->shape[1], 2);
    assert_true(s->data[1] == 21.0 && s->imag[1] == 2.0);
    lm_tensor *eq = lm_tensor_binop(LM_OP_EQ, x, x, "==", &err);
    assert_true(eq->logical);
    assert_null(eq->imag);
    assert_true(eq->data[0] == 1.0);
    assert_int_equal(err.kind, LM_OK);
    assert_null(lm_tensor_binop(LM_OP_LT, x, y, "<", &err));
    expect_error(&err, LM_ERR_TYPE, "cannot apply < to complex numbers");
    lm_tensor_release(x);
    lm_tensor_release(y);
    lm_tensor_release(p);
    lm_tensor_release(q);
    lm_tensor_release(r);
    lm_tensor_release(s);
    lm_tensor_release(eq);
}

/* Complex values through cat, reductions and gather_imag.
 * ref: Python sum([1+2j, 3-1j]) = (4+1j); (1+2j)*(3-1j) = (5+5j); mean = (2+0.5j) */
static void test_complex_cat_and_reduce(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    int64_t s11[2] = {1, 1};
    lm_tensor *z = lm_tensor_new_complex(2, s11, &err);
    z->data[0] = 1, z->imag[0] = 2;
    lm_tensor *w = lm_tensor_new_complex(2, s11, &err);
    w->data[0] = 3, w->imag[0] = -1;
    lm_tensor *parts[] = {z, w};
    lm_tensor *row = lm_tensor_cat(1, 2, parts, &err);
    assert_non_null(row->imag);
    double im[2];
    lm_tensor_gather_imag(row, im);
    assert_true(im[0] == 2 && im[1] == -1);
    lm_tensor *sum = lm_tensor_reduce(LM_RED_SUM, row, 1, &err);
    assert_true(sum->data[0] == 4 && sum->imag[0] == 1);
    lm_tensor *prod = lm_tensor_reduce(LM_RED_PROD, row, -1, &err);
    assert_true(prod->data[0] == 5 && prod->imag[0] == 5);
    lm_tensor *mean = lm_tensor_reduce(LM_RED_MEAN, row, 1, &err);
    assert_true(mean->data[0] == 2 && mean->imag[0] == 0.5);
    /* A real part joined to a complex one gets zero imaginary parts: [5, 1+2i]. */
    lm_tensor *five = mat(1, 1, (const double[]){5});
    lm_tensor *mixed_parts[] = {five, z};
    lm_tensor *mixed = lm_tensor_cat(1, 2, mixed_parts, &err);
    assert_true(mixed->data[0] == 5 && mixed->imag[0] == 0 && mixed->data[1] == 1 && mixed->imag[1] == 2);
    assert_int_equal(err.kind, LM_OK);
    assert_null(lm_tensor_reduce(LM_RED_MAX, row, 1, &err));
    assert_int_equal(err.kind, LM_ERR_TYPE);
    lm_err_clear(&err);
    lm_tensor *objs[] = {z, w, row, sum, prod, mean, five, mixed};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

/* ---- reductions ---- */

static void test_reduce_axes(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor *r;
    /* ref: numpy A.sum(0) = [5 7 9], A.sum(1) = [6 15], kept as 1×3 and 2×1 */
    r = lm_tensor_reduce(LM_RED_SUM, a, 0, &err);
    check2(r, 1, 3, (const double[]){5, 7, 9});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_SUM, a, 1, &err);
    check2(r, 2, 1, (const double[]){6, 15});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_SUM, a, -1, &err);
    check2(r, 1, 1, (const double[]){21});
    lm_tensor_release(r);
    /* ref: numpy A.mean(0) = [2.5 3.5 4.5], A.mean(1) = [2 5], A.prod(0) = [4 10 18], A.prod(1) = [6 120] */
    r = lm_tensor_reduce(LM_RED_MEAN, a, 0, &err);
    check2(r, 1, 3, (const double[]){2.5, 3.5, 4.5});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_MEAN, a, 1, &err);
    check2(r, 2, 1, (const double[]){2, 5});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_PROD, a, 0, &err);
    check2(r, 1, 3, (const double[]){4, 10, 18});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_PROD, a, 1, &err);
    check2(r, 2, 1, (const double[]){6, 120});
    lm_tensor_release(r);

    /* The same along the axes of the transposed view (strided lines). */
    lm_tensor *at = lm_tensor_transpose(a);
    r = lm_tensor_reduce(LM_RED_SUM, at, 0, &err);
    check2(r, 1, 2, (const double[]){6, 15});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_SUM, at, 1, &err);
    check2(r, 3, 1, (const double[]){5, 7, 9});
    lm_tensor_release(r);

    /* Past the last axis: Octave's sum(A, 3) is A. */
    r = lm_tensor_reduce(LM_RED_SUM, a, 2, &err);
    check2(r, 2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor_release(r);
    assert_int_equal(err.kind, LM_OK);

    lm_tensor *b = mat(2, 3, (const double[]){3, 1, 4, 1, 5, 9});
    /* ref: numpy B.max(0) = [3 5 9], B.max(1) = [4 9], B.argmax(0) = [0 1 1], B.argmax(1) = [2 2],
     *      B.min(0) = [1 1 4], B.argmin(1) = [1 0] */
    r = lm_tensor_reduce(LM_RED_MAX, b, 0, &err);
    check2(r, 1, 3, (const double[]){3, 5, 9});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_MAX, b, 1, &err);
    check2(r, 2, 1, (const double[]){4, 9});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, b, 0, &err);
    check2(r, 1, 3, (const double[]){0, 1, 1});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, b, 1, &err);
    check2(r, 2, 1, (const double[]){2, 2});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_MIN, b, 0, &err);
    check2(r, 1, 3, (const double[]){1, 1, 4});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMIN, b, 1, &err);
    check2(r, 2, 1, (const double[]){1, 0});
    lm_tensor_release(r);

    /* ref: Octave [m, i] = max([NaN 1 2]) gives m = 2, i = 3 (1-based); max([NaN NaN]) = NaN, i = 1 */
    lm_tensor *n = mat(1, 3, (const double[]){NAN, 1, 2});
    r = lm_tensor_reduce(LM_RED_MAX, n, 1, &err);
    assert_true(r->data[0] == 2.0);
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, n, 1, &err);
    assert_true(r->data[0] == 2.0);
    lm_tensor_release(r);
    lm_tensor *nn = mat(2, 1, (const double[]){NAN, NAN});
    r = lm_tensor_reduce(LM_RED_MAX, nn, 0, &err);
    assert_true(isnan(r->data[0]));
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMIN, nn, 0, &err);
    assert_true(r->data[0] == 0.0);
    lm_tensor_release(r);

    lm_tensor_release(a);
    lm_tensor_release(at);
    lm_tensor_release(b);
    lm_tensor_release(n);
    lm_tensor_release(nn);
}

/* Long lines and many columns take the vectorised scans; their NaN, -inf and
 * tie handling must match the exact rule. Values are built so the answers are
 * known by hand: v[i] = i mod 17 with NaN at 0, 5 and 50, so the max 16 is
 * first at i = 16 and the min 0 first at i = 17 (Octave's max/min skip NaN). */
static void test_reduce_extremes_long(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    enum { N = 100 };
    lm_tensor *v = lm_tensor_matrix(1, N, &err);
    lm_tensor *cols = lm_tensor_matrix(N, 3, &err); /* column 0 = v, 1 = all NaN, 2 = NaN then -inf */
    for (int i = 0; i < N; i++) {
        v->data[i] = (i == 0 || i == 5 || i == 50) ? NAN : (double)(i % 17);
        cols->data[3 * i] = v->data[i];
        cols->data[3 * i + 1] = NAN;
        cols->data[3 * i + 2] = i == 0 ? NAN : -INFINITY;
    }
    lm_tensor *r;
    r = lm_tensor_reduce(LM_RED_MAX, v, 1, &err);
    assert_true(r->data[0] == 16.0);
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, v, 1, &err);
    assert_true(r->data[0] == 16.0);
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMIN, v, 1, &err);
    assert_true(r->data[0] == 17.0);
    lm_tensor_release(r);

    /* Down the columns (column mode), and the same lines through a transposed view. */
    r = lm_tensor_reduce(LM_RED_MAX, cols, 0, &err);
    check2(r, 1, 3, (const double[]){16, NAN, -INFINITY});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, cols, 0, &err);
    check2(r, 1, 3, (const double[]){16, 0, 1});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMIN, cols, 0, &err);
    check2(r, 1, 3, (const double[]){17, 0, 1});
    lm_tensor_release(r);
    lm_tensor *ct = lm_tensor_transpose(cols);
    lm_tensor *ctc = lm_tensor_copy(ct, &err); /* contiguous 3×N: line mode with unit stride */
    r = lm_tensor_reduce(LM_RED_MIN, ctc, 1, &err);
    check2(r, 3, 1, (const double[]){0, NAN, -INFINITY});
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_ARGMAX, ctc, 1, &err);
    check2(r, 3, 1, (const double[]){16, 0, 1});
    lm_tensor_release(r);
    assert_int_equal(err.kind, LM_OK);
    lm_tensor_release(v);
    lm_tensor_release(cols);
    lm_tensor_release(ct);
    lm_tensor_release(ctc);
}

/* Column sums use the same association as line sums, so a sum down the
 * columns equals, bit for bit, the sum along the rows of the stored transpose
 * (a property of the implementation, checked on 300 rows: past the 128-row
 * block, so the recursive halving is covered). */
static void test_column_sum_matches_line_sum(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    uint32_t seed = 7;
    lm_tensor *a = lm_tensor_matrix(300, 5, &err);
    for (int i = 0; i < 1500; i++) a->data[i] = next_rand(&seed) * 1e3;
    lm_tensor *view = lm_tensor_transpose(a);
    lm_tensor *at = lm_tensor_copy(view, &err);
    lm_tensor_release(view);
    lm_tensor *down = lm_tensor_reduce(LM_RED_SUM, a, 0, &err);
    lm_tensor *along = lm_tensor_reduce(LM_RED_SUM, at, 1, &err);
    for (int j = 0; j < 5; j++) assert_true(down->data[j] == along->data[j]);
    lm_tensor_release(a);
    lm_tensor_release(at);
    lm_tensor_release(down);
    lm_tensor_release(along);
}

/* NIST StRD NumAcc4: 10000000.2, then 500 pairs 10000000.1, 10000000.3;
 * certified mean 10000000.2. A naive running sum loses about two digits here
 * (relative error 9.9e-15, Python loop); pairwise keeps 1.9e-16 (numpy). */
static void test_reduce_keeps_digits(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *col = lm_tensor_matrix(1001, 1, &err);
    lm_tensor *two = lm_tensor_matrix(1001, 2, &err); /* the column mode: reduced axis strided */
    col->data[0] = 10000000.2;
    for (int i = 0; i < 500; i++) {
        col->data[1 + 2 * i] = 10000000.1;
        col->data[2 + 2 * i] = 10000000.3;
    }
    for (int i = 0; i < 1001; i++) two->data[2 * i] = two->data[2 * i + 1] = col->data[i];
    lm_tensor *m = lm_tensor_reduce(LM_RED_MEAN, col, 0, &err);
    assert_true(fabs(m->data[0] - 10000000.2) / 10000000.2 < 1e-15);
    lm_tensor *m2 = lm_tensor_reduce(LM_RED_MEAN, two, 0, &err);
    assert_true(fabs(m2->data[0] - 10000000.2) / 10000000.2 < 1e-15);
    assert_true(fabs(m2->data[1] - 10000000.2) / 10000000.2 < 1e-15);
    lm_tensor *all = lm_tensor_reduce(LM_RED_MEAN, two, -1, &err);
    assert_true(fabs(all->data[0] - 10000000.2) / 10000000.2 < 1e-15);
    lm_tensor_release(col);
    lm_tensor_release(two);
    lm_tensor_release(m);
    lm_tensor_release(m2);
    lm_tensor_release(all);
}

static void test_reduce_empty(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *e = lm_tensor_matrix(0, 3, &err);
    lm_tensor *r = lm_tensor_reduce(LM_RED_SUM, e, 0, &err);
    check2(r, 1, 3, (const double[]){0, 0, 0}); /* ref: Octave sum(zeros(0,3)) = [0 0 0] */
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_PROD, e, 0, &err);
    check2(r, 1, 3, (const double[]){1, 1, 1}); /* ref: Octave prod(zeros(0,3)) = [1 1 1] */
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_MEAN, e, 0, &err);
    check2(r, 1, 3, (const double[]){NAN, NAN, NAN}); /* ref: Octave mean(zeros(0,3)) = [NaN NaN NaN] */
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_MAX, e, 0, &err);
    assert_int_equal(r->shape[0], 0); /* ref: Octave size(max(zeros(0,3))) = [0 3] */
    assert_int_equal(r->shape[1], 3);
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_SUM, e, 1, &err);
    assert_int_equal(r->shape[0], 0); /* ref: numpy.zeros((0,3)).sum(1, keepdims=True).shape = (0, 1) */
    assert_int_equal(r->shape[1], 1);
    lm_tensor_release(r);
    r = lm_tensor_reduce(LM_RED_SUM, e, -1, &err);
    check2(r, 1, 1, (const double[]){0}); /* ref: numpy.zeros((0,3)).sum() = 0 */
    lm_tensor_release(r);
    assert_int_equal(err.kind, LM_OK);
    assert_null(lm_tensor_reduce(LM_RED_SUM, e, 9, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    lm_tensor_release(e);
}

/* ---- joining ---- */

static void test_cat(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(2, 2, (const double[]){1, 2, 3, 4});
    lm_tensor *b = mat(2, 1, (const double[]){5, 6});
    lm_tensor *c = mat(1, 3, (const double[]){7, 8, 9});
    lm_tensor *ab_parts[] = {a, b};
    lm_tensor *ab = lm_tensor_cat(1, 2, ab_parts, &err);
    check2(ab, 2, 3, (const double[]){1, 2, 5, 3, 4, 6}); /* ref: Octave [[1 2; 3 4] [5; 6]] */
    lm_tensor *abc_parts[] = {ab, c};
    lm_tensor *abc = lm_tensor_cat(0, 2, abc_parts, &err);
    /* ref: Octave [[1 2 5; 3 4 6]; [7 8 9]] */
    check2(abc, 3, 3, (const double[]){1, 2, 5, 3, 4, 6, 7, 8, 9});

    /* A transposed view as a part. */
    lm_tensor *at = lm_tensor_transpose(a);
    lm_tensor *tv_parts[] = {at, a};
    lm_tensor *tv = lm_tensor_cat(0, 2, tv_parts, &err);
    check2(tv, 4, 2, (const double[]){1, 3, 2, 4, 1, 2, 3, 4}); /* ref: Octave [A'; A] */

    /* [] parts are skipped, as in Octave's [[] 1 2]. */
    lm_tensor *empty = lm_tensor_matrix(0, 0, &err);
    lm_tensor *sk_parts[] = {empty, c};
    lm_tensor *sk = lm_tensor_cat(1, 2, sk_parts, &err);
    check2(sk, 1, 3, (const double[]){7, 8, 9});
    assert_int_equal(err.kind, LM_OK);

    lm_tensor *bad_h[] = {a, c};
    assert_null(lm_tensor_cat(1, 2, bad_h, &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot put 2×2 and 1×3 side by side: they have 2 and 1 rows");
    assert_null(lm_tensor_cat(0, 2, bad_h, &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot stack 2×2 and 1×3 vertically: they have 2 and 3 columns");

    lm_tensor *objs[] = {a, b, c, ab, abc, at, tv, empty, sk};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

/* ---- matrix product ---- */

static void test_matmul_small(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(2, 2, (const double[]){1, 2, 3, 4});
    lm_tensor *b = mat(2, 1, (const double[]){5, 6});
    lm_tensor *c = lm_tensor_matmul(a, b, &err);
    check2(c, 2, 1, (const double[]){17, 39}); /* ref: numpy.array([[1,2],[3,4]]) @ [[5],[6]] = [[17],[39]] */
    lm_tensor *x = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    lm_tensor *y = mat(3, 2, (const double[]){7, 8, 9, 10, 11, 12});
    lm_tensor *xy = lm_tensor_matmul(x, y, &err);
    check2(xy, 2, 2, (const double[]){58, 64, 139, 154}); /* ref: numpy [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]] */
    assert_int_equal(err.kind, LM_OK);

    assert_null(lm_tensor_matmul(x, x, &err));
    expect_error(&err, LM_ERR_SHAPE, "cannot multiply 2×3 by 2×3: inner sizes 3 and 2 differ");

    /* Empty inner dimension: a 3×0 by 0×2 product is 3×2 zeros (numpy.zeros((3,0)) @ numpy.zeros((0,2))). */
    lm_tensor *e1 = lm_tensor_matrix(3, 0, &err), *e2 = lm_tensor_matrix(0, 2, &err);
    lm_tensor *ez = lm_tensor_matmul(e1, e2, &err);
    check2(ez, 3, 2, (const double[]){0, 0, 0, 0, 0, 0});

    /* Complex: ref numpy [[1+1j, 2], [0, 1-1j]] @ [[1], [1j]] = [[1+3j], [1+1j]] */
    int64_t s22[2] = {2, 2}, s21[2] = {2, 1};
    lm_tensor *za = lm_tensor_new_complex(2, s22, &err), *zb = lm_tensor_new_complex(2, s21, &err);
    za->data[0] = 1, za->imag[0] = 1, za->data[1] = 2, za->data[3] = 1, za->imag[3] = -1;
    zb->data[0] = 1, zb->imag[1] = 1;
    lm_tensor *zc = lm_tensor_matmul(za, zb, &err);
    assert_non_null(zc);
    assert_non_null(zc->imag);
    assert_true(zc->data[0] == 1 && zc->imag[0] == 3 && zc->data[1] == 1 && zc->imag[1] == 1);

    int64_t s3[3] = {2, 2, 2};
    lm_tensor *t3 = lm_tensor_new(3, s3, &err);
    assert_null(lm_tensor_matmul(t3, a, &err));
    assert_int_equal(err.kind, LM_ERR_SHAPE);
    lm_err_clear(&err);

    lm_tensor *objs[] = {a, b, c, x, y, xy, e1, e2, ez, za, zb, zc, t3};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

/* The reference for the larger products is a naive triple loop computed here. */
static void naive(const lm_tensor *a, const lm_tensor *b, double *out) {
    int64_t m = a->shape[0], k = a->shape[1], n = b->shape[1];
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0;
            for (int64_t p = 0; p < k; p++) s += lm_tensor_get2(a, i, p) * lm_tensor_get2(b, p, j);
            out[i * n + j] = s;
        }
}

static void check_product(const lm_tensor *a, const lm_tensor *b) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *c = lm_tensor_matmul(a, b, &err);
    assert_non_null(c);
    int64_t m = a->shape[0], n = b->shape[1];
    assert_int_equal(c->shape[0], m);
    assert_int_equal(c->shape[1], n);
    static double want[50 * 50];
    naive(a, b, want);
    for (int64_t i = 0; i < m * n; i++) assert_near(c->data[i], want[i], 1e-12);
    lm_tensor_release(c);
}

static lm_tensor *random_matrix(int64_t r, int64_t c, uint32_t *seed) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(r, c, &err);
    for (int64_t i = 0; i < r * c; i++) t->data[i] = next_rand(seed);
    return t;
}

static void test_matmul_random_and_views(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    uint32_t seed = 12345;
    lm_tensor *a = random_matrix(50, 40, &seed);
    lm_tensor *b = random_matrix(40, 30, &seed);
    check_product(a, b); /* dgemm, both row-major */

    /* Transposed views of contiguous matrices go to BLAS as CblasTrans. */
    lm_tensor *at_store = random_matrix(40, 50, &seed), *bt_store = random_matrix(30, 40, &seed);
    lm_tensor *at = lm_tensor_transpose(at_store), *bt = lm_tensor_transpose(bt_store);
    check_product(at, b);
    check_product(a, bt);
    check_product(at, bt);

    /* Vectors: dgemv both ways, with plain and transposed operands. */
    lm_tensor *v = random_matrix(40, 1, &seed), *w = random_matrix(1, 50, &seed);
    check_product(a, v);
    check_product(at, v);
    check_product(w, a);
    check_product(w, at);
    /* A column taken out of a matrix (stride 30) as the vector. */
    int64_t c0[2] = {0, 3}, c1[2] = {40, 4};
    lm_tensor *col = lm_tensor_slice(b, c0, c1, NULL, &err);
    check_product(a, col);

    /* A slice with a step fits no BLAS layout and is copied first. */
    int64_t s0[2] = {0, 0}, s1[2] = {50, 40}, st[2] = {1, 2};
    lm_tensor *stepped = lm_tensor_slice(a, s0, s1, st, &err); /* 50×20 */
    lm_tensor *b20 = random_matrix(20, 7, &seed);
    check_product(stepped, b20);

    /* A sub-block view (leading dimension larger than the width). */
    int64_t q0[2] = {5, 3}, q1[2] = {25, 33};
    lm_tensor *block = lm_tensor_slice(a, q0, q1, NULL, &err); /* 20×30 */
    lm_tensor *b30 = random_matrix(30, 9, &seed);
    check_product(block, b30);

    /* Tiny path agrees with BLAS on a 4×4 block. */
    lm_tensor *t4 = random_matrix(4, 4, &seed), *u4 = random_matrix(4, 3, &seed);
    check_product(t4, u4);

    lm_tensor *objs[] = {a, b, at_store, bt_store, at, bt, v, w, col, stepped, b20, block, b30, t4, u4};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

/* ---- limits and empties ---- */

static void test_limits(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* 2^14 × 2^14 = 2^28 elements, twice LM_MAX_ELEMS. */
    int64_t big[2] = {16384, 16384};
    assert_null(lm_tensor_new(2, big, &err));
    expect_error(&err, LM_ERR_LIMIT,
                 "a 16384×16384 matrix would have 268435456 elements, more than the limit of 134217728 per value "
                 "(LM_MAX_ELEMS)");
    /* A product that overflows 64 bits is still a limit error, not a crash. */
    int64_t huge[3] = {INT64_C(1) << 40, INT64_C(1) << 40, 8};
    assert_null(lm_tensor_new(3, huge, &err));
    expect_error_containing(&err, LM_ERR_LIMIT, "LM_MAX_ELEMS");
    assert_null(lm_tensor_fill(2, big, 1.0, &err));
    expect_error_containing(&err, LM_ERR_LIMIT, "LM_MAX_ELEMS");
    /* ref: 0:1e-9:1 would have 1e9 + 1 elements */
    assert_null(lm_tensor_range(0, 1e-9, 1, &err));
    expect_error_containing(&err, LM_ERR_LIMIT, "LM_MAX_ELEMS");
    /* A broadcast result past the limit: 1×20000 + 20000×1 is 4e8 elements. */
    lm_tensor *row = lm_tensor_matrix(1, 20000, &err), *col = lm_tensor_matrix(20000, 1, &err);
    assert_null(lm_tensor_binop(LM_OP_ADD, row, col, "+", &err));
    expect_error_containing(&err, LM_ERR_LIMIT, "20000×20000");
    lm_tensor_release(row);
    lm_tensor_release(col);
    int64_t neg[2] = {-1, 3};
    assert_null(lm_tensor_new(2, neg, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    int64_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    assert_null(lm_tensor_new(9, nine, &err));
    assert_int_equal(err.kind, LM_ERR_LIMIT);
    lm_err_clear(&err);
}

static void test_empty_tensors(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *e = lm_tensor_matrix(0, 3, &err);
    assert_non_null(e);
    assert_int_equal(e->size, 0);
    assert_true(lm_tensor_is_contiguous(e));
    char s[64];
    lm_tensor_shape_str(e, s);
    assert_string_equal(s, "0×3");
    lm_tensor *t = lm_tensor_transpose(e);
    assert_int_equal(t->shape[0], 3);
    assert_int_equal(t->shape[1], 0);
    lm_tensor *row = mat(1, 3, (const double[]){1, 2, 3});
    lm_tensor *sum = lm_tensor_binop(LM_OP_ADD, e, row, "+", &err);
    assert_non_null(sum); /* ref: numpy.zeros((0,3)) + [[1,2,3]] has shape (0, 3) */
    assert_int_equal(sum->shape[0], 0);
    assert_int_equal(sum->shape[1], 3);
    lm_tensor *c = lm_tensor_copy(t, &err);
    assert_int_equal(c->size, 0);
    double dummy = 42;
    lm_tensor_gather(t, &dummy);
    assert_true(dummy == 42);
    lm_tensor *prod = lm_tensor_matmul(t, e, &err); /* 3×0 by 0×3 = 3×3 zeros */
    assert_int_equal(prod->size, 9);
    assert_true(prod->data[4] == 0.0);
    lm_tensor *ee = lm_tensor_matmul(e, t, &err); /* 0×3 by 3×0 = 0×0 */
    assert_int_equal(ee->size, 0);
    assert_int_equal(err.kind, LM_OK);
    lm_tensor *objs[] = {e, t, row, sum, c, prod, ee};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) lm_tensor_release(objs[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_is_zero_and_contiguous),
        cmocka_unit_test(test_eye_fill_copy),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_linspace),
        cmocka_unit_test(test_transpose_shares_data),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_permute_and_reshape),
        cmocka_unit_test(test_broadcast_row_plus_column),
        cmocka_unit_test(test_broadcast_mismatch_message),
        cmocka_unit_test(test_elementwise_ops),
        cmocka_unit_test(test_complex_elementwise),
        cmocka_unit_test(test_complex_cat_and_reduce),
        cmocka_unit_test(test_reduce_axes),
        cmocka_unit_test(test_reduce_extremes_long),
        cmocka_unit_test(test_column_sum_matches_line_sum),
        cmocka_unit_test(test_reduce_keeps_digits),
        cmocka_unit_test(test_reduce_empty),
        cmocka_unit_test(test_cat),
        cmocka_unit_test(test_matmul_small),
        cmocka_unit_test(test_matmul_random_and_views),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_empty_tensors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
