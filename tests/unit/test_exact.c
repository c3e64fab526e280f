/* Unit tests for the exact small-matrix path (src/tensor/exact*.c): rational
 * arithmetic at the int64 edges, eligibility, det/inv/rref/solve/products/powers
 * and eigenvalues against SymPy 1.12 (Matrix.det(), .inv(), .rref(), .LUsolve(),
 * nroots of the characteristic polynomial), the overflow fallback, the steps, and
 * the language's use of it. Each reference says where it comes from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/exact.h"
#include "lemma/linalg.h"
#include "lemma/lang.h"
#include "tensor/exact_int.h"

/* ---- helpers ---- */

static lm_tensor *mat(int64_t rows, int64_t cols, const double *vals) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(rows, cols, &err);
    assert_non_null(t);
    memcpy(t->data, vals, (size_t)(rows * cols) * sizeof *vals);
    return t;
}

/* t's exact entry k is p/q */
#define assert_rat(t, k, P, Q) rat_(t, k, P, Q, __FILE__, __LINE__)
static void rat_(const lm_tensor *t, int k, int64_t p, int64_t q, const char *file, int line) {
    if (!t->exact) {
        print_error("tensor has no exact values\n");
        _fail(file, line);
        return;
    }
    if (t->exact[k].p == p && t->exact[k].q == q && t->data[k] == (double)p / (double)q) return;
    print_error("entry %d is %lld/%lld (data %.17g), expected %lld/%lld\n", k, (long long)t->exact[k].p,
                (long long)t->exact[k].q, t->data[k], (long long)p, (long long)q);
    _fail(file, line);
}

#define assert_near(x, ref, rel) near_((x), (ref), (rel), #x, __FILE__, __LINE__)
static void near_(double x, double ref, double rel, const char *what, const char *file, int line) {
    if (x == ref || fabs(x - ref) <= rel * fabs(ref)) return;
    print_error("%s = %.17g, expected %.17g (relative tolerance %g)\n", what, x, ref, rel);
    _fail(file, line);
}

/* ---- rationals ---- */

static void test_rational_arithmetic(void **state) {
    (void)state;
    bool ovf = false;
    lm_rat a = lm_rat_make(2, -4, &ovf);
    assert_int_equal(a.p, -1); /* reduced, sign on the numerator */
    assert_int_equal(a.q, 2);
    lm_rat s = lm_rat_add(lm_rat_make(1, 3, &ovf), lm_rat_make(1, 6, &ovf), &ovf); /* 1/3 + 1/6 = 1/2 */
    assert_int_equal(s.p, 1);
    assert_int_equal(s.q, 2);
    lm_rat m = lm_rat_mul(lm_rat_make(4, 9, &ovf), lm_rat_make(3, 8, &ovf), &ovf); /* 4/9 · 3/8 = 1/6 */
    assert_int_equal(m.p, 1);
    assert_int_equal(m.q, 6);
    lm_rat d = lm_rat_div(lm_rat_make(1, 2, &ovf), lm_rat_make(-3, 4, &ovf), &ovf); /* (1/2)/(-3/4) = -2/3 */
    assert_int_equal(d.p, -2);
    assert_int_equal(d.q, 3);
    assert_false(ovf);
    assert_int_equal(lm_rat_cmp(lm_rat_make(1, 3, &ovf), lm_rat_make(1, 2, &ovf)), -1);
    assert_int_equal(lm_rat_cmp(lm_rat_make(-1, 3, &ovf), lm_rat_make(-2, 6, &ovf)), 0);

    /* the int64 edges: INT64_MAX + 1 and 2^32 · 2^31 do not fit; INT64_MIN is refused */
    lm_rat big = lm_rat_int(INT64_MAX);
    lm_rat_add(big, lm_rat_int(1), &ovf);
    assert_true(ovf);
    ovf = false;
    lm_rat_mul(lm_rat_int(INT64_C(1) << 32), lm_rat_int(INT64_C(1) << 31), &ovf);
    assert_true(ovf);
    ovf = false;
    lm_rat_make(INT64_MIN, 1, &ovf);
    assert_true(ovf);
    ovf = false;
    lm_rat_sub(lm_rat_int(-INT64_MAX), lm_rat_int(1), &ovf); /* would be INT64_MIN */
    assert_true(ovf);

    /* a sum whose int64 intermediate overflows but whose reduced value fits:
       (3·2^61 - 1)/2 + (3·2^61 - 1)/2 = 3·2^61 - 1 = 6917529027641081855 (by hand) */
    ovf = false;
    lm_rat h = {INT64_C(6917529027641081855), 2};
    lm_rat w = lm_rat_add(h, h, &ovf);
    assert_false(ovf);
    assert_int_equal(w.p, INT64_C(6917529027641081855));
    assert_int_equal(w.q, 1);
}

/* ---- eligibility ---- */

static void test_eligible(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(2, 2, (double[]){2, 1, 1, 3});
    assert_true(lm_exact_eligible(a));
    a->data[1] = 0.5;
    assert_false(lm_exact_eligible(a)); /* a decimal */
    a->data[1] = NAN;
    assert_false(lm_exact_eligible(a));
    a->data[1] = 9007199254740992.0; /* 2^53: no longer certainly the integer typed */
    assert_false(lm_exact_eligible(a));
    a->data[1] = 9007199254740991.0;
    assert_true(lm_exact_eligible(a));
    lm_tensor_release(a);
    lm_tensor *big = lm_tensor_matrix(7, 7, &err);
    assert_false(lm_exact_eligible(big)); /* 7×7 is past LM_EXACT_MAX_N */
    lm_tensor_release(big);
    lm_tensor *wide = lm_tensor_matrix(6, 12, &err);
    assert_false(lm_exact_eligible(wide));
    assert_true(lm_exact_eligible_wide(wide)); /* [A I] of a 6×6 for rref */
    lm_tensor_release(wide);
    lm_tensor *c = lm_tensor_new_complex(2, (int64_t[]){2, 2}, &err);
    assert_false(lm_exact_eligible(c));
    lm_tensor_release(c);
    lm_tensor *e = lm_tensor_matrix(0, 0, &err);
    assert_false(lm_exact_eligible(e));
    lm_tensor_release(e);
}

/* ---- determinants and inverses ---- */

static void test_inv_2x2(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf = true;
    /* ref: by hand, inv([2 1; 1 3]) = (1/5)[3 -1; -1 2] */
    lm_tensor *a = mat(2, 2, (double[]){2, 1, 1, 3});
    lm_tensor *r = lm_exact_inv(a, NULL, &ovf, &err);
    assert_non_null(r);
    assert_false(ovf);
    assert_rat(r, 0, 3, 5);
    assert_rat(r, 1, -1, 5);
    assert_rat(r, 2, -1, 5);
    assert_rat(r, 3, 2, 5);
    /* det of the inverse is 1/5 */
    lm_tensor *d = lm_exact_det(r, NULL, &ovf, &err);
    assert_non_null(d);
    assert_rat(d, 0, 1, 5);
    /* inv(inv(A)) = A, entry by entry exactly */
    lm_tensor *back = lm_exact_inv(r, NULL, &ovf, &err);
    assert_rat(back, 0, 2, 1);
    assert_rat(back, 1, 1, 1);
    assert_rat(back, 3, 3, 1);
    lm_tensor_release(back);
    lm_tensor_release(d);
    lm_tensor_release(r);
    lm_tensor_release(a);
}

static void test_inv_det_sympy(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* ref: SymPy, random.seed(7) integer matrices; Matrix.det() and Matrix.inv() */
    lm_tensor *m4 = mat(4, 4, (double[]){0, -3, 1, 5, -5, -4, 3, -4, 0, 4, -5, 3, -2, -5, -4, 1});
    lm_tensor *d = lm_exact_det(m4, NULL, &ovf, &err);
    assert_rat(d, 0, -1087, 1);
    lm_tensor *r = lm_exact_inv(m4, NULL, &ovf, &err);
    assert_rat(r, 0, -79, 1087);
    assert_rat(r, 1, -245, 1087);
    assert_rat(r, 15, -55, 1087);
    lm_tensor_release(r);
    lm_tensor_release(d);
    lm_tensor_release(m4);

    lm_tensor *m5 = mat(5, 5, (double[]){4, -7, -2, -7, 8, 4, -8, 9, -6, -2, 9, -8, 9, 9, 3,
                                         -8, -2, -8, 8, -5, 0, 4, -5, 8, -6});
    d = lm_exact_det(m5, NULL, &ovf, &err);
    assert_rat(d, 0, 150810, 1);
    r = lm_exact_inv(m5, NULL, &ovf, &err);
    assert_rat(r, 0, 340, 5027);
    assert_rat(r, 1, 1291, 50270);
    assert_rat(r, 16, -6551, 150810); /* (4, 2): the full denominator */
    assert_rat(r, 24, -525, 5027);
    lm_tensor_release(r);
    lm_tensor_release(d);
    lm_tensor_release(m5);

    lm_tensor *m6 = mat(6, 6, (double[]){9, 0, 8, -4, -6, 9, 9, -3, 2, -6, 8, -7, 9, -8, -3, 6, 8, 4,
                                         1, 5, 9, 5, 2, 0, -2, -4, -2, -7, 9, 0, 7, 6, 1, 5, 0, -7});
    d = lm_exact_det(m6, NULL, &ovf, &err);
    assert_rat(d, 0, -1553687, 1);
    r = lm_exact_inv(m6, NULL, &ovf, &err);
    assert_rat(r, 0, 68752, 1553687);
    assert_rat(r, 6, 4755, 81773);
    assert_rat(r, 35, 94443, 1553687);
    lm_tensor_release(r);
    lm_tensor_release(d);
    lm_tensor_release(m6);

    /* entries up to 99: the inverse has denominators up to 340652463530 (SymPy) */
    lm_tensor *mb = mat(6, 6, (double[]){-69, 32, 8,   -57, 94, -12, -61, 26,  8,  -89, 72,  -80,
                                         96,  43, 47,  -19, -12, 78, -10, 53,  28, 49,  17,  -82,
                                         -76, -30, 22, 79,  71, -83, -84, 88,  80, -20, 66,  48});
    d = lm_exact_det(mb, NULL, &ovf, &err);
    assert_non_null(d);
    assert_rat(d, 0, INT64_C(681304927060), 1);
    r = lm_exact_inv(mb, NULL, &ovf, &err);
    assert_non_null(r);
    assert_rat(r, 0, INT64_C(1657168567), INT64_C(340652463530));
    assert_rat(r, 1, -40643193, INT64_C(68130492706));
    assert_rat(r, 35, 639506653, INT64_C(340652463530));
    lm_tensor_release(r);
    lm_tensor_release(d);
    lm_tensor_release(mb);

    /* the 6×6 Pascal matrix C(i+j, i): det 1, integer inverse (SymPy) */
    double pv[36];
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            double c = 1;
            for (int k = 1; k <= i; k++) c = c * (j + k) / k;
            pv[i * 6 + j] = c;
        }
    lm_tensor *pas = mat(6, 6, pv);
    d = lm_exact_det(pas, NULL, &ovf, &err);
    assert_rat(d, 0, 1, 1);
    r = lm_exact_inv(pas, NULL, &ovf, &err);
    assert_rat(r, 0, 6, 1);
    assert_rat(r, 7, 55, 1);
    assert_rat(r, 14, 146, 1);
    assert_rat(r, 35, 1, 1);
    lm_exact_plain_if_integral(r);
    assert_null(r->exact); /* whole numbers: the plain tensor says the same */
    assert_true(r->data[21] == 117);
    lm_tensor_release(r);
    lm_tensor_release(d);
    lm_tensor_release(pas);
}

static void test_singular(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf = true;
    lm_tensor *a = mat(3, 3, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9}); /* rows in arithmetic progression: det 0 */
    lm_tensor *d = lm_exact_det(a, NULL, &ovf, &err);
    assert_rat(d, 0, 0, 1);
    lm_tensor *r = lm_exact_inv(a, NULL, &ovf, &err);
    assert_null(r);
    assert_false(ovf);
    assert_int_equal(err.kind, LM_ERR_SINGULAR);
    assert_string_equal(err.msg, "singular matrix: the matrix is not invertible (its determinant is 0, so its "
                                 "columns are linearly dependent); try pinv, the pseudo-inverse, instead");
    lm_err_clear(&err);
    /* [1 2 3; 4 5 6; 7 8 9] x = [1; 2; 3] has infinitely many solutions (x_3 free);
       = [1; 2; 4] none: R3 - 2R2 + R1 gives 0 = 1 (by hand) */
    lm_tensor *b = mat(3, 1, (double[]){1, 2, 3});
    r = lm_exact_solve(a, b, NULL, &ovf, &err);
    assert_null(r);
    assert_int_equal(err.kind, LM_ERR_SINGULAR);
    assert_non_null(strstr(err.msg, "infinitely many solutions (x_3 is free)"));
    lm_err_clear(&err);
    b->data[2] = 4;
    r = lm_exact_solve(a, b, NULL, &ovf, &err);
    assert_null(r);
    assert_non_null(strstr(err.msg, "has no solution"));
    lm_err_clear(&err);
    lm_tensor_release(b);
    lm_tensor_release(d);
    lm_tensor_release(a);
}

/* ---- rref, solve, products ---- */

static void test_rref(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* ref: SymPy Matrix([[1,2,1,0],[2,4,0,1],[3,6,1,1]]).rref() =
       ([1 2 0 1/2; 0 0 1 -1/2; 0 0 0 0], (0, 2)): column 2 and 4 free */
    lm_tensor *a = mat(3, 4, (double[]){1, 2, 1, 0, 2, 4, 0, 1, 3, 6, 1, 1});
    int piv[LM_EXACT_MAX_N], np = -1;
    lm_tensor *r = lm_exact_rref_pivots(a, NULL, piv, &np, &ovf, &err);
    assert_non_null(r);
    int64_t want[12][2] = {{1, 1}, {2, 1}, {0, 1}, {1, 2}, {0, 1}, {0, 1}, {1, 1}, {-1, 2}, {0, 1}, {0, 1}, {0, 1}, {0, 1}};
    for (int k = 0; k < 12; k++) assert_rat(r, k, want[k][0], want[k][1]);
    assert_int_equal(np, 2);
    assert_int_equal(piv[0], 0);
    assert_int_equal(piv[1], 2);
    lm_tensor_release(r);
    /* narrated: the same answer (the rational path rather than the fraction-free one) */
    lm_steps *s = lm_steps_new();
    r = lm_exact_rref(a, s, &ovf, &err);
    for (int k = 0; k < 12; k++) assert_rat(r, k, want[k][0], want[k][1]);
    assert_true(s->n >= 3);
    assert_string_equal(s->v[s->n - 1].rule, "pivot columns");
    lm_obj_release(&s->hdr);
    lm_tensor_release(r);
    lm_tensor_release(a);

    /* the float fallback, Octave's rref.m: rref([1 2 3; 4 5 6; 7 8 9]) = [1 0 -1; 0 1 2; 0 0 0] (SymPy) */
    lm_tensor *h = mat(3, 3, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 9});
    int64_t fp[3], fn = 0;
    lm_tensor *f = lm_exact_rref_float(h, fp, &fn, &err);
    double fw[9] = {1, 0, -1, 0, 1, 2, 0, 0, 0};
    for (int k = 0; k < 9; k++) assert_true(fabs(f->data[k] - fw[k]) < 1e-14);
    assert_int_equal(fn, 2);
    assert_int_equal(fp[1], 1);
    lm_tensor_release(f);
    lm_tensor_release(h);
}

static void test_solve_products(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* ref: SymPy LUsolve: [2 1 -1; -3 -1 2; -2 1 2] \ [8; -11; -3] = [2; 3; -1] */
    lm_tensor *a = mat(3, 3, (double[]){2, 1, -1, -3, -1, 2, -2, 1, 2});
    lm_tensor *b = mat(3, 1, (double[]){8, -11, -3});
    lm_tensor *x = lm_exact_solve(a, b, NULL, &ovf, &err);
    assert_rat(x, 0, 2, 1);
    assert_rat(x, 1, 3, 1);
    assert_rat(x, 2, -1, 1);
    lm_tensor_release(x);
    /* narrated: one back-substitution step per unknown, named x_3, x_2, x_1 */
    lm_steps *s = lm_steps_new();
    x = lm_exact_solve(a, b, s, &ovf, &err);
    assert_rat(x, 0, 2, 1);
    assert_string_equal(s->v[s->n - 1].rule, "x_1");
    assert_string_equal(s->v[s->n - 3].rule, "x_3");
    lm_obj_release(&s->hdr);
    lm_tensor_release(x);
    /* a non-square A is least squares: left to LAPACK, no error, no overflow */
    lm_tensor *tall = mat(3, 2, (double[]){1, 0, 0, 1, 1, 1});
    x = lm_exact_solve(tall, b, NULL, &ovf, &err);
    assert_null(x);
    assert_false(ovf);
    assert_int_equal(err.kind, LM_OK);
    lm_tensor_release(tall);
    lm_tensor_release(b);
    lm_tensor_release(a);

    /* ref: SymPy: [1 2; 3 4] * inv([2 1; 1 3]) = [1/5 3/5; 1 1] */
    lm_tensor *p = mat(2, 2, (double[]){1, 2, 3, 4}), *q = mat(2, 2, (double[]){2, 1, 1, 3});
    x = lm_exact_mrdivide(p, q, &ovf, &err);
    assert_rat(x, 0, 1, 5);
    assert_rat(x, 1, 3, 5);
    assert_rat(x, 2, 1, 1);
    assert_rat(x, 3, 1, 1);
    lm_tensor_release(x);
    /* by hand: [1 2; 3 4] * [2 1; 1 3] = [4 7; 10 15] */
    x = lm_exact_matmul(p, q, NULL, &ovf, &err);
    assert_rat(x, 0, 4, 1);
    assert_rat(x, 1, 7, 1);
    assert_rat(x, 2, 10, 1);
    assert_rat(x, 3, 15, 1);
    lm_tensor_release(x);
    /* shapes that do not fit are named as the float path names them */
    lm_tensor *row = mat(1, 2, (double[]){1, 1});
    x = lm_exact_matmul(p, row, NULL, &ovf, &err);
    assert_null(x);
    assert_int_equal(err.kind, LM_ERR_SHAPE);
    assert_string_equal(err.msg, "cannot multiply 2\xc3\x97" "2 by 1\xc3\x97" "2: inner sizes 2 and 1 differ");
    lm_err_clear(&err);
    lm_tensor_release(row);
    lm_tensor_release(q);
    lm_tensor_release(p);
}

static void test_power_overflow(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* ref: [1 1; 1 0]^n = [F(n+1) F(n); F(n) F(n-1)]; SymPy fibonacci(91) = 4660046610375530309,
       fibonacci(90) = 2880067194370816120, fibonacci(89) = 1779979416004714189: past 2^53, exact */
    lm_tensor *f = mat(2, 2, (double[]){1, 1, 1, 0});
    lm_tensor *p = lm_exact_power(f, 90, &ovf, &err);
    assert_non_null(p);
    assert_rat(p, 0, INT64_C(4660046610375530309), 1);
    assert_rat(p, 1, INT64_C(2880067194370816120), 1);
    assert_rat(p, 3, INT64_C(1779979416004714189), 1);
    lm_exact_plain_if_integral(p);
    assert_non_null(p->exact); /* beyond 2^53 the fractions are the only exact record */
    lm_tensor_release(p);
    /* fibonacci(94) = 19740274219868223167 > 2^63: overflow, so floating point */
    p = lm_exact_power(f, 93, &ovf, &err);
    assert_null(p);
    assert_true(ovf);
    assert_int_equal(err.kind, LM_OK);
    /* negative powers go through the inverse: [1 1; 1 0]^-1 = [0 1; 1 -1] */
    p = lm_exact_power(f, -1, &ovf, &err);
    assert_rat(p, 0, 0, 1);
    assert_rat(p, 3, -1, 1);
    lm_tensor_release(p);
    lm_tensor_release(f);

    /* A 6×6 with entries near 10^15 (diagonally dominant, SymPy random.seed(11)):
       its determinant 8.229067199389696e+94 and inverse cannot be exact in int64.
       The exact path must say so rather than answer. */
    double big[36] = {6979574616969357, 608719401326529,  313810289760818,  635661929853378,  791256216780409,  309614989723731,
                      602816520567187,  6259645237490817, 706514196131621,  814329054064423,  770401625107303,  546036572178228,
                      610027215035832,  931946563745686,  6831916610667646, 801579289266279,  171118337867446,  140141020118483,
                      775109768526392,  976070378372628,  467372020246702,  6765361045693880, 319914533686765,  363060386566496,
                      431187678226509,  105173287133737,  195690421586671,  837241690509879,  6557990737342236, 720674303813001,
                      193681140391386,  385974847488764,  953419945755132,  677455044387430,  133497691358640,  6734040553712320};
    lm_tensor *bm = mat(6, 6, big);
    assert_true(lm_exact_eligible(bm));
    assert_null(lm_exact_det(bm, NULL, &ovf, &err));
    assert_true(ovf);
    assert_null(lm_exact_inv(bm, NULL, &ovf, &err));
    assert_true(ovf);
    assert_int_equal(err.kind, LM_OK);
    lm_tensor_release(bm);
}

/* ---- eigenvalues ---- */

static void test_eig(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* [2 1; 1 2]: λ² - 4λ + 3 = (λ - 1)(λ - 3) (by hand) */
    lm_tensor *a = mat(2, 2, (double[]){2, 1, 1, 2});
    lm_tensor *e = lm_exact_eig2(a, NULL, &ovf, &err);
    assert_non_null(e);
    assert_rat(e, 0, 1, 1);
    assert_rat(e, 1, 3, 1);
    lm_tensor_release(e);
    lm_tensor_release(a);
    /* [2 1; 1 3]: (5 ± √5)/2 is irrational; [0 -1; 1 0]: ±i. Both go to LAPACK. */
    a = mat(2, 2, (double[]){2, 1, 1, 3});
    assert_null(lm_exact_eig2(a, NULL, &ovf, &err));
    assert_false(ovf);
    assert_int_equal(err.kind, LM_OK);
    lm_tensor_release(a);
    a = mat(2, 2, (double[]){0, -1, 1, 0});
    assert_null(lm_exact_eig2(a, NULL, &ovf, &err));
    assert_int_equal(err.kind, LM_OK);
    /* explained, the complex pair comes back sorted by imaginary part: -i, i */
    lm_steps *s = lm_steps_new();
    e = lm_exact_eig_explain(a, s, &ovf, &err);
    assert_non_null(e->imag);
    assert_true(e->data[0] == 0 && e->imag[0] == -1 && e->imag[1] == 1);
    lm_obj_release(&s->hdr);
    lm_tensor_release(e);
    lm_tensor_release(a);

    /* a lower-triangular 3×3 has its diagonal as eigenvalues: 1, 2, 3, exactly */
    a = mat(3, 3, (double[]){2, 0, 0, 1, 3, 0, 4, 5, 1});
    s = lm_steps_new();
    e = lm_exact_eig_explain(a, s, &ovf, &err);
    assert_rat(e, 0, 1, 1);
    assert_rat(e, 1, 2, 1);
    assert_rat(e, 2, 3, 1);
    assert_string_equal(s->v[0].rule, "characteristic polynomial");
    assert_string_equal(s->v[1].rule, "rational root");
    lm_obj_release(&s->hdr);
    lm_tensor_release(e);
    lm_tensor_release(a);

    /* [1 2 3; 4 5 6; 7 8 10]: -λ³ + 16λ² + 12λ - 3 has no rational root; SymPy nroots:
       -0.90574017952175846731, 0.19824686339701012790, 16.707493316124748339 */
    a = mat(3, 3, (double[]){1, 2, 3, 4, 5, 6, 7, 8, 10});
    s = lm_steps_new();
    e = lm_exact_eig_explain(a, s, &ovf, &err);
    assert_null(e->exact);
    assert_near(e->data[0], -0.90574017952175846731, 1e-12);
    assert_near(e->data[1], 0.19824686339701012790, 1e-12);
    assert_near(e->data[2], 16.707493316124748339, 1e-13);
    assert_string_equal(s->v[1].rule, "numeric roots");
    lm_obj_release(&s->hdr);
    lm_tensor_release(e);
    lm_tensor_release(a);
}

/* ---- steps ---- */

static void test_steps_inv(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    bool ovf;
    /* Gauss–Jordan on [2 1 | 1 0; 1 3 | 0 1] by hand: R1/2, R2 - R1, (2/5)R2, R1 - (1/2)R2 */
    lm_tensor *a = mat(2, 2, (double[]){2, 1, 1, 3});
    lm_steps *s = lm_steps_new();
    lm_tensor *r = lm_exact_inv(a, s, &ovf, &err);
    assert_non_null(r);
    assert_int_equal(s->n, 5);
    assert_string_equal(s->v[0].rule, "[A | I]");
    assert_string_equal(s->v[1].rule, "R1 \xe2\x86\x90 (1/2)\xc2\xb7R1");
    assert_string_equal(s->v[2].rule, "R2 \xe2\x86\x90 R2 - R1");
    assert_string_equal(s->v[3].rule, "R2 \xe2\x86\x90 (2/5)\xc2\xb7R2");
    assert_string_equal(s->v[4].rule, "R1 \xe2\x86\x90 R1 - (1/2)\xc2\xb7R2");
    assert_string_equal(s->v[4].latex, "\\xrightarrow{R_1 \\leftarrow R_1 - \\frac{1}{2}R_2} "
                                       "\\left[\\begin{array}{cc|cc}1 & 0 & \\frac{3}{5} & -\\frac{1}{5} \\\\ "
                                       "0 & 1 & -\\frac{1}{5} & \\frac{2}{5}\\end{array}\\right]");
    /* each step's value is the whole augmented matrix after it, exact */
    lm_tensor *v = lm_tensor_of(s->v[3].value);
    assert_int_equal(v->shape[1], 4);
    assert_rat(v, 6, -1, 5);
    lm_obj_release(&s->hdr);
    lm_tensor_release(r);
    lm_tensor_release(a);
}

/* ---- through the language ---- */

static void test_language(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    /* inv(A)*A is exactly the identity, printed as the plain matrix */
    lm_value v = lm_eval_value(s, "inv([2 1; 1 3]) * [2 1; 1 3]");
    assert_int_equal(v.kind, LM_TENSOR);
    lm_tensor *t = lm_tensor_of(v);
    assert_null(t->exact);
    assert_true(t->data[0] == 1 && t->data[1] == 0 && t->data[2] == 0 && t->data[3] == 1);
    lm_release(v);
    /* A \ b keeps fractions: [4/5; 7/5] (Cramer's rule by hand) */
    v = lm_eval_value(s, "[2 1; 1 3] \\ [3; 5]");
    t = lm_tensor_of(v);
    assert_rat(t, 0, 4, 5);
    assert_rat(t, 1, 7, 5);
    lm_release(v);
    /* det(inv(A)) = 1/5 stays an exact scalar */
    v = lm_eval_value(s, "det(inv([2 1; 1 3]))");
    assert_int_equal(v.kind, LM_TENSOR);
    assert_rat(lm_tensor_of(v), 0, 1, 5);
    lm_release(v);
    /* plain arithmetic with a scalar stays IEEE double (DESIGN.md: 1/3 is 0.333...) */
    v = lm_eval_value(s, "[1 2] / 3");
    assert_null(lm_tensor_of(v)->exact);
    lm_release(v);
    /* float() drops exactness */
    v = lm_eval_value(s, "float(inv([2 1; 1 3]))");
    assert_null(lm_tensor_of(v)->exact);
    assert_true(lm_tensor_of(v)->data[0] == 0.6);
    lm_release(v);
    lm_session_free(s);
}

/* ---- LU ---- */

static bool rat_equal_entries(const lm_tensor *a, const lm_tensor *b) {
    if (a->size != b->size || !a->exact || !b->exact) return false;
    for (int64_t k = 0; k < a->size; k++)
        if (a->exact[k].p != b->exact[k].p || a->exact[k].q != b->exact[k].q) return false;
    return true;
}

/* Properties of the exact P·A = L·U on 600 random integer matrices of every
 * shape up to 6×6 (entries -9..9 from a fixed LCG): P·A equals L·U exactly, L
 * is unit lower triangular with |l_ij| <= 1 (what partial pivoting
 * guarantees), U is upper triangular. The reference for the pivot order is
 * LAPACK's dgetrf (lm_linalg_lu): where the exact elimination met no tie (a
 * multiplier of ±1) and no zero pivot, P must be LAPACK's and L, U its factors
 * to rounding, 1e-12 of the largest entry of U (dgetrf's entries carry a few
 * ulps of that scale at n <= 6). */
static void test_lu_properties(void **state) {
    (void)state;
    uint64_t x = 12345;
    int compared = 0, total = 0;
    for (int trial = 0; trial < 600; trial++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        int m = 1 + (int)((x >> 33) % 6), n = 1 + (int)((x >> 45) % 6), k = m < n ? m : n;
        double v[36];
        for (int i = 0; i < m * n; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            v[i] = (double)((int)((x >> 33) % 19) - 9);
        }
        lm_tensor *A = mat(m, n, v), *L = NULL, *U = NULL, *P = NULL;
        lm_err err = LM_ERR_INIT;
        bool ovf = false;
        assert_int_equal(lm_exact_lu(A, &L, &U, &P, &ovf, &err), LM_OK);
        total++;
        lm_tensor *PA = lm_exact_matmul(P, A, NULL, &ovf, &err), *LU = lm_exact_matmul(L, U, NULL, &ovf, &err);
        assert_non_null(PA);
        assert_non_null(LU);
        assert_true(rat_equal_entries(PA, LU));
        bool tie = false, zero_pivot = false;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) {
                lm_rat l = L->exact[i * k + j];
                if (j == i) assert_true(l.p == 1 && l.q == 1);
                else if (j > i) assert_int_equal(l.p, 0);
                else {
                    assert_true(l.p <= l.q && -l.p <= l.q);
                    tie |= l.q == 1 && (l.p == 1 || l.p == -1);
                }
            }
        double umax = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++) {
                if (j < i) assert_int_equal(U->exact[i * n + j].p, 0);
                if (j == i) zero_pivot |= U->exact[i * n + j].p == 0;
                umax = fmax(umax, fabs(U->data[i * n + j]));
            }
        lm_tensor *Lf = NULL, *Uf = NULL, *Pf = NULL;
        assert_int_equal(lm_linalg_lu(A, &Lf, &Uf, &Pf, &err), LM_OK);
        if (!tie && !zero_pivot) {
            compared++;
            assert_memory_equal(Pf->data, P->data, (size_t)(m * m) * sizeof(double));
            for (int64_t q = 0; q < L->size; q++) assert_true(fabs(Lf->data[q] - L->data[q]) <= 1e-12);
            for (int64_t q = 0; q < U->size; q++) assert_true(fabs(Uf->data[q] - U->data[q]) <= 1e-12 * umax);
        }
        lm_tensor *all[] = {A, L, U, P, PA, LU, Lf, Uf, Pf};
        for (size_t q = 0; q < sizeof all / sizeof *all; q++) lm_tensor_release(all[q]);
    }
    /* the comparison with LAPACK must not be vacuous */
    assert_true(compared > total / 2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rational_arithmetic),
        cmocka_unit_test(test_eligible),
        cmocka_unit_test(test_inv_2x2),
        cmocka_unit_test(test_inv_det_sympy),
        cmocka_unit_test(test_singular),
        cmocka_unit_test(test_rref),
        cmocka_unit_test(test_solve_products),
        cmocka_unit_test(test_power_overflow),
        cmocka_unit_test(test_eig),
        cmocka_unit_test(test_lu_properties),
        cmocka_unit_test(test_steps_inv),
        cmocka_unit_test(test_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
