/* Unit tests for the numeric linear algebra (src/tensor/linalg.c, decomp.c,
 * tensorops.c): reference values from NumPy 1.24.2 / SciPy 1.10.1 / LAPACK, exact
 * rationals (Python's fractions) and mpmath 1.2.1 at 60 digits, written here as
 * numbers; property tests of the factorizations on seeded random matrices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/ctx.h"
#include "lemma/linalg.h"

#include <lapacke.h>

/* How the reference values below were made (Debian's python3, numpy 1.24.2,
 * scipy 1.10.1, mpmath 1.2.1):
 *
 *   rng = np.random.default_rng(2024); R = rng.standard_normal((5, 5)).round(6)
 *   np.linalg.det(R), np.linalg.inv(R), np.linalg.solve(R, [1, 2, 3, 4, 5]),
 *   sorted(np.linalg.eigvals(R), key=lambda z: (z.real, z.imag)),
 *   np.linalg.svd(R, compute_uv=False), np.linalg.cond(R), np.linalg.eigvalsh(R + R.T)
 *   Hilbert matrices: det and inverse in exact rationals (fractions.Fraction,
 *   Gaussian elimination), eigenvalues by mpmath.eigsy at mp.dps = 60;
 *   scipy.linalg.expm; np.linalg.lstsq(A, y, rcond=None); PCA by np.linalg.svd
 *   of the centred data. */

#define EPS DBL_EPSILON

/* ---- helpers ---- */

#define assert_close(x, ref, rel, abs_) close_((x), (ref), (rel), (abs_), #x, __FILE__, __LINE__)

static void close_(double x, double ref, double rel, double abs_, const char *what, const char *file, int line) {
    if (x == ref || fabs(x - ref) <= abs_ + rel * fabs(ref)) return;
    print_error("%s = %.17g, expected %.17g (relative %g, absolute %g; off by %.3g)\n", what, x, ref, rel, abs_,
                fabs(x - ref));
    _fail(file, line);
}

static lm_tensor *mat(int64_t rows, int64_t cols, const double *vals) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(rows, cols, &err);
    assert_non_null(t);
    for (int64_t i = 0; i < rows * cols; i++) t->data[i] = vals[i];
    return t;
}

static lm_tensor *randn(lm_rng *r, int64_t rows, int64_t cols) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(rows, cols, &err);
    assert_non_null(t);
    for (int64_t i = 0; i < rows * cols; i++) t->data[i] = lm_rng_normal(r);
    return t;
}

static lm_tensor *hilbert(int64_t n) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(n, n, &err);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) t->data[i * n + j] = 1.0 / (double)(i + j + 1);
    return t;
}

static lm_tensor *mul(const lm_tensor *a, const lm_tensor *b) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *c = lm_tensor_matmul(a, b, &err);
    assert_non_null(c);
    return c;
}

static lm_tensor *tr(const lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *v = lm_tensor_transpose(a);
    lm_tensor *c = lm_tensor_copy(v, &err);
    lm_tensor_release(v);
    return c;
}

/* Frobenius norm of a - b (b may be NULL: the norm of a), real parts only. */
static double fro_diff(const lm_tensor *a, const lm_tensor *b) {
    assert_int_equal(a->ndim, 2);
    if (b) {
        assert_int_equal(a->shape[0], b->shape[0]);
        assert_int_equal(a->shape[1], b->shape[1]);
    }
    double s = 0;
    for (int64_t i = 0; i < a->shape[0]; i++)
        for (int64_t j = 0; j < a->shape[1]; j++) {
            double d = lm_tensor_get2(a, i, j) - (b ? lm_tensor_get2(b, i, j) : 0);
            s += d * d;
        }
    return sqrt(s);
}

static double fro(const lm_tensor *a) { return fro_diff(a, NULL); }

/* ||QᵀQ - I||_F for the columns of q. */
static double orth_err(const lm_tensor *q) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *qt = tr(q), *g = mul(qt, q), *e = lm_tensor_eye(q->shape[1], &err);
    double d = fro_diff(g, e);
    lm_tensor_release(qt);
    lm_tensor_release(g);
    lm_tensor_release(e);
    return d;
}

static void expect_error(lm_err *err, lm_errkind kind, const char *part) {
    assert_int_equal(err->kind, kind);
    assert_non_null(err->msg);
    if (part && !strstr(err->msg, part)) {
        print_error("message \"%s\" lacks \"%s\"\n", err->msg, part);
        fail();
    }
    lm_err_clear(err);
}

static void check_column(const lm_tensor *t, int64_t n, const double *want, double rel, double abs_) {
    assert_non_null(t);
    assert_int_equal(t->ndim, 2);
    assert_int_equal(t->shape[0], n);
    assert_int_equal(t->shape[1], 1);
    for (int64_t i = 0; i < n; i++) assert_close(lm_tensor_get2(t, i, 0), want[i], rel, abs_);
}

/* ---- references: a random 5×5 (condition number 14) ---- */

static const double R5[25] = {1.028857,  1.64192,   1.14672,   -0.97318,  -1.3928,   0.067196,  0.861351,
                              0.509187,  1.810286,  0.750843,  0.63976,   -0.731323, -1.107717, 1.484406,
                              0.048912,  0.81152,   -1.376423, -0.436371, -1.291092, -0.775679, 0.903063,
                              -1.480581, -0.534093, 0.163789,  -0.66847};

/* cond(R5) = 14.03, so every result below is good to about 14·eps ≈ 3e-15
 * relative (normwise); 1e-10 is the bar and leaves room for the
 * elementwise spread. */
#define REL_WELL 1e-10

static void test_random5_against_numpy(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(5, 5, R5);

    double d = 0;
    assert_int_equal(lm_linalg_det(a, &d, &err), LM_OK);
    assert_close(d, 2.823280388635658, REL_WELL, 0); /* ref: np.linalg.det */

    static const double inv_ref[25] = {
        0.14231552292442737,  1.128016111829879,   0.49357595149794053,  1.8911472694974405, -1.187840134622793,
        0.2829591763359278,   -0.12661361901971457, 0.5964790615195953,  0.18102907116296307, -0.8981973093480177,
        -0.0764053461722362,  0.6130128680106738,  -1.1070501343918746, -0.22525935597286806, 1.0281309599723725,
        0.03309011662289368,  -0.13332527679665357, -0.07826010018688849, -0.9630951389608526, 0.8931299101462713,
        -0.36530695396234214, 1.2818649111906024,  0.21099555399956643,  2.0978682348003557, -1.7138739195066983};
    lm_tensor *x = lm_linalg_inv(NULL, a, &err); /* ref: np.linalg.inv */
    assert_non_null(x);
    for (int i = 0; i < 25; i++) assert_close(x->data[i], inv_ref[i], REL_WELL, 1e-14);
    lm_tensor_release(x);

    lm_tensor *b = mat(5, 1, (const double[]){1, 2, 3, 4, 5});
    x = lm_linalg_solve(NULL, a, b, &err); /* ref: np.linalg.solve(R, [1, 2, 3, 4, 5]) */
    check_column(x, 5,
                 (const double[]){5.504464005953802, -1.9477011392329522, 2.0680873626438787, 0.1449282573568676,
                                  2.653512872085493},
                 REL_WELL, 0);
    lm_tensor_release(x);
    lm_tensor_release(b);

    /* ref: np.linalg.eigvals, sorted by real then imaginary part */
    lm_tensor *w = lm_linalg_eigvals(a, &err);
    assert_non_null(w);
    assert_non_null(w->imag);
    static const double wre[5] = {-0.8819085688895094, -0.8819085688895094, -0.6837686466034845,
                                  -0.37787042790273245, 1.648385212285239};
    static const double wim[5] = {-2.4189179240654775, 2.4189179240654775, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        assert_close(w->data[i], wre[i], REL_WELL, 0);
        assert_close(w->imag[i], wim[i], REL_WELL, 0);
    }
    lm_tensor_release(w);

    w = lm_linalg_svdvals(a, &err); /* ref: np.linalg.svd(R, compute_uv=False) */
    check_column(w, 5,
                 (const double[]){3.3156969159450176, 3.304725819622331, 1.9139948344335684, 0.5695778291464421,
                                  0.23634690261065422},
                 REL_WELL, 0);
    lm_tensor_release(w);

    double c = 0;
    assert_int_equal(lm_linalg_cond(a, &c, &err), LM_OK);
    assert_close(c, 14.028941692572662, REL_WELL, 0); /* ref: np.linalg.cond */
    int64_t rank = 0;
    assert_int_equal(lm_linalg_rank(a, -1, &rank, &err), LM_OK);
    assert_int_equal(rank, 5); /* ref: np.linalg.matrix_rank */

    /* the symmetric solver: ascending, real (ref: np.linalg.eigvalsh(R + R.T)) */
    lm_tensor *at = tr(a);
    lm_tensor *s = lm_tensor_binop(LM_OP_ADD, a, at, "+", &err);
    w = lm_linalg_eigvals(s, &err);
    assert_null(w->imag);
    check_column(w, 5,
                 (const double[]){-3.9150838463490096, -2.271567059304877, -0.9430256610041123, 0.7296417487561377,
                                  4.045892817901861},
                 REL_WELL, 0);
    lm_tensor_release(w);
    lm_tensor_release(s);
    lm_tensor_release(at);
    lm_tensor_release(a);
    assert_int_equal(err.kind, LM_OK);
}

/* ---- references: Hilbert matrices ---- */

/* The Hilbert matrices are the classic hard case: cond₂(H8) = 1.5e10 and
 * cond₂(H10) = 1.6e13, so a backward-stable solver may lose log10(cond)
 * digits. Where the relative 1e-10 is out of reach the tolerance
 * follows the textbook bounds, each written out below:
 *   det, inv, solve (normwise):  relative n·cond·eps
 *   eigen- and singular values:  absolute 4·n·eps·||H||₂  (Weyl: a backward
 *                                error of eps·||H|| moves each value by as much) */
typedef struct hilbert_ref {
    int n;
    double det;          /* exact rational, rounded */
    double cond2;        /* np.linalg.cond */
    double inv_col1[10]; /* the first column of inv(H): integers, exact */
    double eig[10];      /* mpmath.eigsy at 60 digits, ascending */
} hilbert_ref;

static const hilbert_ref H8 = {
    8,
    2.737050113791513e-33,
    15257575563.722723,
    {64, -2016, 20160, -92400, 221760, -288288, 192192, -51480},
    {1.1115389663724424e-10, 1.7988737458175767e-8, 1.2943320918728115e-6, 5.4369433697499424e-5,
     0.0014676881177418673, 0.026212843578119048, 0.29812521131693071, 1.6959389969219495},
};

static const hilbert_ref H10 = {
    10,
    2.164179226431492e-53,
    16024980732174.455,
    {100, -4950, 79200, -600600, 2522520, -6306300, 9609600, -8751600, 4375800, -923780},
    {1.0931538193796658e-13, 2.2667467477629255e-11, 2.1474388173504786e-9, 1.228967738751175e-7,
     4.7296892931823475e-6, 0.00012874961427637708, 0.0025308907686700381, 0.035741816271639236,
     0.3429295484835091, 1.7519196702651775},
};

static void check_hilbert(const hilbert_ref *ref) {
    lm_err err = LM_ERR_INIT;
    lm_ctx *ctx = lm_ctx_new();
    int n = ref->n;
    lm_tensor *h = hilbert(n);
    double lossy = n * ref->cond2 * EPS; /* n·cond·eps */
    double weyl = 4 * n * EPS * ref->eig[n - 1];

    double d = 0;
    assert_int_equal(lm_linalg_det(h, &d, &err), LM_OK);
    assert_close(d, ref->det, lossy, 0);

    /* inv: the first column is exact integers; normwise relative error */
    lm_tensor *x = lm_linalg_inv(ctx, h, &err);
    assert_non_null(x);
    double num = 0, den = 0;
    for (int i = 0; i < n; i++) {
        double e = lm_tensor_get2(x, i, 0) - ref->inv_col1[i];
        num += e * e;
        den += ref->inv_col1[i] * ref->inv_col1[i];
    }
    assert_true(sqrt(num / den) <= lossy);
    /* H10 (cond 1.6e13) is past the 1e-12 warning line: the learner is told */
    assert_int_equal(ctx->nwarnings, n == 10 ? 1 : 0);
    if (n == 10) assert_non_null(strstr(ctx->warnings[0], "close to singular (condition number 3.5e+13)"));
    lm_ctx_clear_warnings(ctx);
    lm_tensor_release(x);

    /* H x = e1 has x = the first column of inv(H) */
    lm_tensor *e1 = lm_tensor_matrix(n, 1, &err);
    e1->data[0] = 1;
    x = lm_linalg_solve(ctx, h, e1, &err);
    assert_non_null(x);
    num = 0;
    for (int i = 0; i < n; i++) num += pow(x->data[i] - ref->inv_col1[i], 2);
    assert_true(sqrt(num / den) <= lossy);
    lm_tensor_release(x);
    lm_tensor_release(e1);

    /* symmetric positive definite: eigenvalues = singular values */
    lm_tensor *w = lm_linalg_eigvals(h, &err);
    check_column(w, n, ref->eig, 0, weyl);
    lm_tensor_release(w);
    lm_tensor *s = lm_linalg_svdvals(h, &err);
    assert_non_null(s);
    for (int i = 0; i < n; i++) assert_close(s->data[i], ref->eig[n - 1 - i], 0, weyl);
    lm_tensor_release(s);
    /* the largest values are far above the bound and agree to 1e-10 as asked */
    w = lm_linalg_eigvals(h, &err);
    assert_close(w->data[n - 1], ref->eig[n - 1], 1e-10, 0);
    assert_close(w->data[n - 2], ref->eig[n - 2], 1e-10, 0);
    lm_tensor_release(w);

    int64_t rank = 0; /* ref: np.linalg.matrix_rank gives 8 and 10 */
    assert_int_equal(lm_linalg_rank(h, -1, &rank, &err), LM_OK);
    assert_int_equal(rank, n);
    /* cond = s_max/s_min: s_min carries the absolute error above */
    double c = 0;
    assert_int_equal(lm_linalg_cond(h, &c, &err), LM_OK);
    assert_close(c, ref->cond2, weyl / ref->eig[0] + 1e-10, 0);
    lm_tensor_release(h);
    lm_ctx_free(ctx);
    assert_int_equal(err.kind, LM_OK);
}

static void test_hilbert8(void **state) {
    (void)state;
    check_hilbert(&H8);
}

static void test_hilbert10(void **state) {
    (void)state;
    check_hilbert(&H10);
}

/* ---- singular and nearly singular input ---- */

static void test_singular_reported(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* [1 2 3; 4 5 6; 7 8 9] has rank 2 (row 3 = 2·row 2 - row 1): the 3×3
       closed form sees det = 0 exactly, and LU then a zero pivot */
    lm_tensor *a = mat(3, 3, (const double[]){1, 2, 3, 4, 5, 6, 7, 8, 9});
    assert_null(lm_linalg_inv(NULL, a, &err));
    expect_error(&err, LM_ERR_SINGULAR, "singular matrix");
    lm_tensor *b = mat(3, 1, (const double[]){1, 2, 3});
    assert_null(lm_linalg_solve(NULL, a, b, &err));
    expect_error(&err, LM_ERR_SINGULAR, "try pinv(A)");
    double d = 1;
    assert_int_equal(lm_linalg_det(a, &d, &err), LM_OK);
    assert_true(d == 0); /* ref: by hand, -3 + 12 - 9 */
    int64_t rank = 0;
    assert_int_equal(lm_linalg_rank(a, -1, &rank, &err), LM_OK);
    assert_int_equal(rank, 2);
    lm_tensor_release(a);
    lm_tensor_release(b);

    /* magic(4) has rank 3, but LU in floating point ends with a pivot of
       about 1e-15, not 0: the condition number (about 1e17, past 1/eps)
       is what calls it singular. NumPy's inv does not notice it. */
    a = mat(4, 4, (const double[]){16, 2, 3, 13, 5, 11, 10, 8, 9, 7, 6, 12, 4, 14, 15, 1});
    assert_null(lm_linalg_inv(NULL, a, &err));
    expect_error(&err, LM_ERR_SINGULAR, "condition number");
    assert_int_equal(lm_linalg_rank(a, -1, &rank, &err), LM_OK);
    assert_int_equal(rank, 3); /* ref: np.linalg.matrix_rank(magic4) */
    lm_tensor *s = lm_linalg_svdvals(a, &err);
    /* ref: np.linalg.svd: 34, 8·sqrt(5), 2·sqrt(5), ~0 (7.2e-17 in NumPy) */
    check_column(s, 4, (const double[]){34, 17.888543819998315, 4.47213595499958, 0}, 1e-14, 4 * 4 * EPS * 34);
    lm_tensor_release(s);
    lm_tensor_release(a);

    /* ones(5): the second pivot is exactly zero */
    lm_err_clear(&err);
    int64_t shape[2] = {5, 5};
    a = lm_tensor_fill(2, shape, 1.0, &err);
    assert_null(lm_linalg_inv(NULL, a, &err));
    expect_error(&err, LM_ERR_SINGULAR, "pivot 2 is zero");
    assert_int_equal(lm_linalg_rank(a, -1, &rank, &err), LM_OK);
    assert_int_equal(rank, 1);
    lm_tensor_release(a);

    /* 2×2 closed form: det exactly 0 falls to LU and its pivot message */
    a = mat(2, 2, (const double[]){1, 2, 2, 4});
    assert_null(lm_linalg_inv(NULL, a, &err));
    expect_error(&err, LM_ERR_SINGULAR, "pivot 2 is zero");
    lm_tensor_release(a);
}

static void test_near_singular_warns(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_ctx *ctx = lm_ctx_new();
    /* diag(1, 1e-13): condition number exactly 1e13 (by hand), inverse diag(1, 1e13) */
    lm_tensor *a = mat(2, 2, (const double[]){1, 0, 0, 1e-13});
    lm_tensor *x = lm_linalg_inv(ctx, a, &err);
    assert_non_null(x);
    assert_close(x->data[3], 1e13, 1e-15, 0);
    assert_int_equal(ctx->nwarnings, 1);
    assert_non_null(strstr(ctx->warnings[0], "condition number 1e+13"));
    lm_ctx_clear_warnings(ctx);
    lm_tensor_release(x);
    lm_tensor_release(a);
    /* the same through LAPACK (5×5): dgecon's estimate, exact for a diagonal */
    a = lm_tensor_eye(5, &err);
    a->data[24] = 1e-14;
    x = lm_linalg_inv(ctx, a, &err);
    assert_non_null(x);
    assert_int_equal(ctx->nwarnings, 1);
    assert_non_null(strstr(ctx->warnings[0], "condition number 1e+14"));
    lm_tensor_release(x);
    /* and past 1/eps it is singular */
    a->data[24] = 1e-17;
    assert_null(lm_linalg_inv(ctx, a, &err));
    expect_error(&err, LM_ERR_SINGULAR, "condition number 1e+17");
    lm_tensor_release(a);
    lm_ctx_free(ctx);
}

/* The condition number in the "close to singular" warning is LAPACK's own
 * estimate: solve drives dlacn2 itself (sharing products with the solve of b),
 * and must print what dgecon, the same estimator, computes from the same
 * factors. Nearly dependent rows (one a copy of another to 1e-11) make it about 1e13. */
static void test_condition_estimate_matches_dgecon(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 11);
    lm_err err = LM_ERR_INIT;
    lm_ctx *ctx = lm_ctx_new();
    static const int sizes[] = {6, 50, 200};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        int n = sizes[si];
        lm_tensor *a = lm_tensor_matrix(n, n, &err), *b = lm_tensor_matrix(n, 1, &err);
        for (int i = 0; i < n * n; i++) a->data[i] = lm_rng_normal(&r);
        for (int j = 0; j < n; j++) a->data[(n - 1) * n + j] = a->data[j] + 1e-11 * lm_rng_normal(&r);
        for (int i = 0; i < n; i++) b->data[i] = 1;
        lm_tensor *x = lm_linalg_solve(ctx, a, b, &err);
        assert_non_null(x);
        assert_int_equal(ctx->nwarnings, 1);
        /* dgecon on the factors of the row-major data read column-major (Aᵀ),
           in the infinity norm: ||inv(Aᵀ)||∞ = ||inv(A)||₁ */
        double *at = malloc((size_t)n * (size_t)n * sizeof *at), anorm = 0, rcond = 0;
        lapack_int *piv = malloc((size_t)n * sizeof *piv);
        memcpy(at, a->data, (size_t)n * (size_t)n * sizeof *at);
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) col += fabs(a->data[i * n + j]);
            anorm = fmax(anorm, col);
        }
        assert_int_equal(LAPACKE_dgetrf(LAPACK_COL_MAJOR, n, n, at, n, piv), 0);
        assert_int_equal(LAPACKE_dgecon(LAPACK_COL_MAJOR, 'I', n, at, n, anorm, &rcond), 0);
        char want[64];
        snprintf(want, sizeof want, "condition number %.2g)", 1 / rcond);
        if (!strstr(ctx->warnings[0], want)) fail_msg("n = %d: warning '%s' lacks '%s'", n, ctx->warnings[0], want);
        free(at);
        free(piv);
        lm_ctx_clear_warnings(ctx);
        lm_tensor_release(x);
        lm_tensor_release(a);
        lm_tensor_release(b);
    }
    lm_ctx_free(ctx);
}

/* ---- properties on random matrices ---- */

/* Shapes that cross the 3×3 closed forms, LAPACK's blocked and unblocked
 * paths, and rectangular cases both ways. */
static const int64_t SQUARE[] = {1, 2, 3, 4, 5, 8, 17, 64};
static const int64_t RECT[][2] = {{5, 3}, {3, 5}, {40, 7}, {7, 40}, {1, 4}, {4, 1}};
#define NSQUARE (sizeof SQUARE / sizeof SQUARE[0])
#define NRECT (sizeof RECT / sizeof RECT[0])

/* Backward-stable factorizations reproduce A to a few n·eps·||A||: the
 * constant 10 leaves room for the growth a random matrix may bring. */
#define BACKWARD(n, norm) (10.0 * (double)(n) * EPS * (norm))

static void test_prop_inverse(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 42);
    lm_err err = LM_ERR_INIT;
    for (size_t k = 0; k < NSQUARE; k++) {
        for (int rep = 0; rep < 3; rep++) {
            int64_t n = SQUARE[k];
            lm_tensor *a = randn(&r, n, n);
            double cond = 0;
            assert_int_equal(lm_linalg_cond(a, &cond, &err), LM_OK);
            lm_tensor *x = lm_linalg_inv(NULL, a, &err);
            assert_non_null(x);
            lm_tensor *p = mul(a, x), *e = lm_tensor_eye(n, &err);
            /* ||A·inv(A) - I|| is bounded by n·cond·eps, not by eps alone */
            assert_true(fro_diff(p, e) <= BACKWARD(n, cond));
            /* A \ b agrees with inv(A)·b */
            lm_tensor *b = randn(&r, n, 2), *y = lm_linalg_solve(NULL, a, b, &err), *z = mul(x, b);
            assert_true(fro_diff(y, z) <= BACKWARD(n, cond * fro(y)));
            /* A \ I is inv(A) too (more right-hand sides than the estimator's
               shared pass takes: the separate solve) */
            lm_tensor *ident = lm_tensor_eye(n, &err), *xi = lm_linalg_solve(NULL, a, ident, &err);
            assert_true(fro_diff(xi, x) <= BACKWARD(n, cond * fro(x)));
            lm_tensor_release(ident);
            lm_tensor_release(xi);
            /* det(A)·det(inv(A)) = 1 */
            double d1 = 0, d2 = 0;
            lm_linalg_det(a, &d1, &err);
            lm_linalg_det(x, &d2, &err);
            assert_close(d1 * d2, 1, BACKWARD(n, cond), 0);
            lm_tensor_release(a);
            lm_tensor_release(x);
            lm_tensor_release(p);
            lm_tensor_release(e);
            lm_tensor_release(b);
            lm_tensor_release(y);
            lm_tensor_release(z);
        }
    }
    assert_int_equal(err.kind, LM_OK);
}

static void check_qr(lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    int64_t m = a->shape[0], n = a->shape[1];
    lm_tensor *q, *r;
    assert_int_equal(lm_linalg_qr(a, &q, &r, &err), LM_OK);
    assert_int_equal(q->shape[0], m);
    assert_int_equal(q->shape[1], m);
    assert_int_equal(r->shape[0], m);
    assert_int_equal(r->shape[1], n);
    lm_tensor *qr = mul(q, r);
    assert_true(fro_diff(qr, a) <= BACKWARD(m + n, fro(a)));
    assert_true(orth_err(q) <= BACKWARD(m, 1));
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < i && j < n; j++) assert_true(lm_tensor_get2(r, i, j) == 0);
    lm_tensor *r2;
    assert_int_equal(lm_linalg_qr(a, NULL, &r2, &err), LM_OK); /* R alone is the same R */
    assert_true(fro_diff(r, r2) == 0);
    lm_tensor_release(r2);
    lm_tensor_release(q);
    lm_tensor_release(r);
    lm_tensor_release(qr);
}

static void check_svd(lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;
    lm_tensor *u, *s, *v;
    assert_int_equal(lm_linalg_svd(a, &u, &s, &v, &err), LM_OK);
    lm_tensor *us = mul(u, s), *vt = tr(v), *usv = mul(us, vt);
    assert_true(fro_diff(usv, a) <= BACKWARD(m + n, fro(a)));
    assert_true(orth_err(u) <= BACKWARD(m, 1));
    assert_true(orth_err(v) <= BACKWARD(n, 1));
    lm_tensor *vals = lm_linalg_svdvals(a, &err);
    assert_int_equal(vals->shape[0], k);
    for (int64_t i = 0; i < k; i++) {
        assert_true(vals->data[i] >= 0);
        if (i) assert_true(vals->data[i] <= vals->data[i - 1]);
        assert_close(lm_tensor_get2(s, i, i), vals->data[i], 0, BACKWARD(m + n, vals->data[0]));
    }
    lm_tensor_release(vals);
    lm_tensor_release(u);
    lm_tensor_release(s);
    lm_tensor_release(v);
    lm_tensor_release(us);
    lm_tensor_release(vt);
    lm_tensor_release(usv);
}

static void check_lu(lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    int64_t m = a->shape[0], n = a->shape[1], k = m < n ? m : n;
    lm_tensor *l, *u, *p;
    assert_int_equal(lm_linalg_lu(a, &l, &u, &p, &err), LM_OK);
    assert_int_equal(l->shape[1], k);
    assert_int_equal(u->shape[0], k);
    lm_tensor *pa = mul(p, a), *lu = mul(l, u);
    assert_true(fro_diff(pa, lu) <= BACKWARD(m + n, fro(a)));
    for (int64_t i = 0; i < m; i++) {
        double rowsum = 0;
        for (int64_t j = 0; j < m; j++) rowsum += lm_tensor_get2(p, i, j);
        assert_true(rowsum == 1); /* a permutation: one 1 in each row */
        for (int64_t j = 0; j < k; j++) {
            if (j > i) assert_true(lm_tensor_get2(l, i, j) == 0);
            if (j == i) assert_true(lm_tensor_get2(l, i, j) == 1);
            if (j < i) assert_true(fabs(lm_tensor_get2(l, i, j)) <= 1); /* partial pivoting */
        }
    }
    for (int64_t i = 0; i < k; i++)
        for (int64_t j = 0; j < i; j++) assert_true(lm_tensor_get2(u, i, j) == 0);
    /* two outputs: L comes back permuted, A = L·U */
    lm_tensor *l2, *u2;
    assert_int_equal(lm_linalg_lu(a, &l2, &u2, NULL, &err), LM_OK);
    lm_tensor *lu2 = mul(l2, u2);
    assert_true(fro_diff(lu2, a) <= BACKWARD(m + n, fro(a)));
    lm_tensor *pt = tr(p), *ptl = mul(pt, l);
    assert_true(fro_diff(ptl, l2) == 0);
    lm_tensor *ref[] = {l, u, p, pa, lu, l2, u2, lu2, pt, ptl};
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) lm_tensor_release(ref[i]);
}

static void test_prop_factorizations(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 7);
    for (size_t k = 0; k < NSQUARE + NRECT; k++) {
        int64_t m = k < NSQUARE ? SQUARE[k] : RECT[k - NSQUARE][0];
        int64_t n = k < NSQUARE ? SQUARE[k] : RECT[k - NSQUARE][1];
        lm_tensor *a = randn(&r, m, n);
        check_qr(a);
        check_svd(a);
        check_lu(a);
        /* a transposed view goes in as well as a contiguous matrix */
        lm_tensor *at = lm_tensor_transpose(a);
        check_qr(at);
        check_svd(at);
        check_lu(at);
        lm_tensor_release(at);
        lm_tensor_release(a);
    }
}

static void test_prop_chol(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 11);
    lm_err err = LM_ERR_INIT;
    for (size_t k = 0; k < NSQUARE; k++) {
        int64_t n = SQUARE[k];
        /* BᵀB + n·I is symmetric positive definite; dgemm rounds its mirror
           entries apart by an ulp or so, which chol must accept */
        lm_tensor *b = randn(&r, n, n), *bt = tr(b), *a = mul(bt, b);
        for (int64_t i = 0; i < n; i++) a->data[i * n + i] += (double)n;
        lm_tensor *rr = lm_linalg_chol(a, &err);
        assert_non_null(rr);
        lm_tensor *rt = tr(rr), *rtr = mul(rt, rr);
        assert_true(fro_diff(rtr, a) <= BACKWARD(n, fro(a)));
        for (int64_t i = 0; i < n; i++) {
            assert_true(lm_tensor_get2(rr, i, i) > 0);
            for (int64_t j = 0; j < i; j++) assert_true(lm_tensor_get2(rr, i, j) == 0);
        }
        lm_tensor *ref[] = {b, bt, a, rr, rt, rtr};
        for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) lm_tensor_release(ref[i]);
    }
    assert_int_equal(err.kind, LM_OK);
}

/* ||A·v - λ·v|| for column c of complex V and D. */
static double eig_residual(const lm_tensor *a, const lm_tensor *v, const lm_tensor *d, int64_t c) {
    int64_t n = a->shape[0];
    double lr = lm_tensor_get2(d, c, c), li = lm_tensor_imag2(d, c, c), s = 0;
    for (int64_t i = 0; i < n; i++) {
        double re = 0, im = 0;
        for (int64_t j = 0; j < n; j++) {
            re += lm_tensor_get2(a, i, j) * lm_tensor_get2(v, j, c);
            im += lm_tensor_get2(a, i, j) * lm_tensor_imag2(v, j, c);
        }
        double vr = lm_tensor_get2(v, i, c), vi = lm_tensor_imag2(v, i, c);
        re -= lr * vr - li * vi;
        im -= lr * vi + li * vr;
        s += re * re + im * im;
    }
    return sqrt(s);
}

/* Unit norm, and the deciding component (the largest) real and positive. */
static void check_eigvec_convention(const lm_tensor *v, int64_t c) {
    int64_t n = v->shape[0], big = 0;
    double norm = 0, best = -1;
    for (int64_t i = 0; i < n; i++) {
        double m = hypot(lm_tensor_get2(v, i, c), lm_tensor_imag2(v, i, c));
        norm += m * m;
        if (m > best * (1 + 1e-10)) best = m, big = i;
    }
    assert_close(sqrt(norm), 1, 10 * n * EPS, 0);
    assert_true(lm_tensor_get2(v, big, c) > 0);
    assert_true(lm_tensor_imag2(v, big, c) == 0);
}

static void test_prop_eig(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 2024);
    lm_err err = LM_ERR_INIT;
    bool saw_complex = false;
    for (size_t k = 0; k < NSQUARE; k++) {
        int64_t n = SQUARE[k];
        for (int sym = 0; sym < 2; sym++) {
            lm_tensor *a = randn(&r, n, n);
            if (sym) {
                lm_tensor *at = tr(a), *s = lm_tensor_binop(LM_OP_ADD, a, at, "+", &err);
                lm_tensor_release(at);
                lm_tensor_release(a);
                a = s;
            }
            lm_tensor *v, *d;
            assert_int_equal(lm_linalg_eig(a, &v, &d, &err), LM_OK);
            lm_tensor *w = lm_linalg_eigvals(a, &err);
            if (sym) assert_null(v->imag); /* symmetric: real, and ascending */
            saw_complex |= v->imag != NULL;
            double an = fro(a);
            for (int64_t c = 0; c < n; c++) {
                assert_true(eig_residual(a, v, d, c) <= BACKWARD(n, an));
                check_eigvec_convention(v, c);
                /* D is diagonal, and its diagonal is eig(A) in the same order */
                assert_close(lm_tensor_get2(d, c, c), w->data[c], 0, BACKWARD(n, an));
                assert_close(lm_tensor_imag2(d, c, c), w->imag ? w->imag[c] : 0, 0, BACKWARD(n, an));
                for (int64_t i = 0; i < n; i++)
                    if (i != c) assert_true(lm_tensor_get2(d, i, c) == 0 && lm_tensor_imag2(d, i, c) == 0);
                if (c > 0) {
                    /* sorted by real part, then imaginary part */
                    double r0 = w->data[c - 1], r1 = w->data[c];
                    assert_true(r0 < r1 || (r0 == r1 && (!w->imag || w->imag[c - 1] <= w->imag[c])));
                }
            }
            if (sym) {
                /* the eigenvectors of a symmetric matrix are orthonormal */
                assert_true(orth_err(v) <= BACKWARD(n, 1));
            }
            lm_tensor_release(a);
            lm_tensor_release(v);
            lm_tensor_release(d);
            lm_tensor_release(w);
        }
    }
    assert_true(saw_complex); /* random 8×8 and larger have complex pairs */
    assert_int_equal(err.kind, LM_OK);
}

static void test_eig_known(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* ref: the rotation by 90°, eigenvalues ±i, sorted -i then +i; vectors
       [1; -i]/sqrt(2) and [1; i]/sqrt(2) (their first component is real) */
    lm_tensor *a = mat(2, 2, (const double[]){0, -1, 1, 0});
    lm_tensor *w = lm_linalg_eigvals(a, &err);
    assert_non_null(w->imag);
    assert_true(w->data[0] == 0 && w->data[1] == 0);
    assert_close(w->imag[0], -1, 1e-15, 0);
    assert_close(w->imag[1], 1, 1e-15, 0);
    lm_tensor *v, *d;
    assert_int_equal(lm_linalg_eig(a, &v, &d, &err), LM_OK);
    double h = sqrt(0.5);
    assert_close(v->data[0], h, 1e-15, 0);
    assert_true(v->imag[0] == 0);
    assert_close(v->data[2], 0, 0, 1e-15);
    assert_close(v->imag[2], h, 1e-15, 0); /* A v = -i v: v = [1; i]/sqrt(2) for λ = -i */
    assert_close(v->imag[3], -h, 1e-15, 0);
    lm_tensor_release(w);
    lm_tensor_release(v);
    lm_tensor_release(d);
    lm_tensor_release(a);

    /* ref: [2 1; 1 2] has eigenvalues 1, 3 with vectors [1; -1]/sqrt(2) and
       [1; 1]/sqrt(2): the tie between equal magnitudes goes to the first */
    a = mat(2, 2, (const double[]){2, 1, 1, 2});
    assert_int_equal(lm_linalg_eig(a, &v, &d, &err), LM_OK);
    assert_close(d->data[0], 1, 1e-15, 0);
    assert_close(d->data[3], 3, 1e-15, 0);
    assert_close(v->data[0], h, 1e-15, 0);
    assert_close(v->data[2], -h, 1e-15, 0);
    assert_close(v->data[1], h, 1e-15, 0);
    assert_close(v->data[3], h, 1e-15, 0);
    lm_tensor_release(v);
    lm_tensor_release(d);
    lm_tensor_release(a);

    /* a non-symmetric matrix with real eigenvalues stays real:
       ref: [1 2; 3 4] has (5 ± sqrt(33))/2 */
    a = mat(2, 2, (const double[]){1, 2, 3, 4});
    w = lm_linalg_eigvals(a, &err);
    assert_null(w->imag);
    assert_close(w->data[0], (5 - sqrt(33)) / 2, 1e-14, 0);
    assert_close(w->data[1], (5 + sqrt(33)) / 2, 1e-14, 0);
    lm_tensor_release(w);
    lm_tensor_release(a);
}

static void test_prop_pinv_null_lstsq_proj(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 5);
    lm_err err = LM_ERR_INIT;
    lm_ctx *ctx = lm_ctx_new();
    for (size_t k = 0; k < NRECT; k++) {
        int64_t m = RECT[k][0], n = RECT[k][1];
        /* rank 2 on purpose (a product of m×2 and 2×n), so null spaces exist */
        lm_tensor *b1 = randn(&r, m, 2), *b2 = randn(&r, 2, n), *a = mul(b1, b2);
        int64_t want = m < 2 || n < 2 ? 1 : 2;
        int64_t rank = 0;
        assert_int_equal(lm_linalg_rank(a, -1, &rank, &err), LM_OK);
        assert_int_equal(rank, want);
        /* Penrose: A·X·A = A and X·A·X = X */
        lm_tensor *x = lm_linalg_pinv(a, -1, &err), *ax = mul(a, x), *axa = mul(ax, a), *xa = mul(x, a),
                  *xax = mul(xa, x);
        assert_true(fro_diff(axa, a) <= BACKWARD(m + n, 100 * fro(a)));
        assert_true(fro_diff(xax, x) <= BACKWARD(m + n, 100 * fro(x)));
        /* the null space: n - rank orthonormal columns with A·N = 0 */
        lm_tensor *nl = lm_linalg_null(a, -1, &err);
        assert_int_equal(nl->shape[0], n);
        assert_int_equal(nl->shape[1], n - want);
        if (n > want) {
            lm_tensor *an = mul(a, nl);
            assert_true(fro(an) <= BACKWARD(m + n, fro(a)));
            assert_true(orth_err(nl) <= BACKWARD(n, 1));
            lm_tensor_release(an);
        }
        /* least squares: the residual is orthogonal to range(A) (Aᵀ·r = 0),
           and the rank deficiency is said */
        lm_tensor *y = randn(&r, m, 1), *res = NULL;
        lm_tensor *sol = lm_linalg_lstsq(ctx, a, y, &res, &err);
        assert_non_null(sol);
        lm_tensor *as = mul(a, sol), *rv = lm_tensor_binop(LM_OP_SUB, y, as, "-", &err), *at = tr(a),
                  *atr = mul(at, rv);
        assert_true(fro(atr) <= BACKWARD(m + n, 100 * fro(a) * fro(y)));
        assert_close(res->data[0], fro(rv), 1e-12, 1e-14);
        assert_int_equal(ctx->nwarnings, want < n ? 1 : 0);
        lm_ctx_clear_warnings(ctx);
        /* projection: proj(y, A) = A·sol, and projecting twice changes nothing */
        lm_tensor *p = lm_linalg_proj(y, a, &err), *pp = lm_linalg_proj(p, a, &err);
        assert_true(fro_diff(p, as) <= BACKWARD(m + n, 100 * fro(y)));
        assert_true(fro_diff(pp, p) <= BACKWARD(m + n, 10 * fro(y)));
        lm_tensor *ref[] = {b1, b2, a, x, ax, axa, xa, xax, nl, y, res, sol, as, rv, at, atr, p, pp};
        for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) lm_tensor_release(ref[i]);
    }
    lm_ctx_free(ctx);
    assert_int_equal(err.kind, LM_OK);
}

static void test_lstsq_reference(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* ref: np.linalg.lstsq([[1,0],[1,1],[1,2],[1,3]], [1, 2.5, 2.9, 4.2], rcond=None):
       intercept 1.15, slope 1.0, residual norm 0.4582575694955841 */
    lm_tensor *a = mat(4, 2, (const double[]){1, 0, 1, 1, 1, 2, 1, 3});
    lm_tensor *y = mat(4, 1, (const double[]){1, 2.5, 2.9, 4.2}), *res;
    lm_tensor *x = lm_linalg_lstsq(NULL, a, y, &res, &err);
    check_column(x, 2, (const double[]){1.1500000000000008, 1.0}, 1e-14, 0);
    assert_close(res->data[0], 0.4582575694955841, 1e-14, 0);
    lm_tensor_release(x);
    lm_tensor_release(res);
    /* a square well-conditioned system: lstsq = solve */
    lm_tensor *b = mat(5, 5, R5), *e = mat(5, 1, (const double[]){1, 2, 3, 4, 5});
    x = lm_linalg_lstsq(NULL, b, e, NULL, &err);
    check_column(x, 5,
                 (const double[]){5.504464005953802, -1.9477011392329522, 2.0680873626438787, 0.1449282573568676,
                                  2.653512872085493},
                 REL_WELL, 0);
    lm_tensor_release(x);
    lm_tensor_release(b);
    lm_tensor_release(e);
    lm_tensor_release(a);
    lm_tensor_release(y);
}

static void test_expm(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* ref: scipy.linalg.expm of E (norm 5.3: Padé 13, one squaring) and 10·E
       (eight squarings); the scaling and squaring loses about log10(||E||)
       digits, hence 1e-12 */
    static const double E[9] = {1, 2, 0, -1, 0.5, 3, 0.25, -2, -1};
    static const double expE[9] = {1.5639281530508653,  1.4879986033493053, 2.0825571336230593,
                                   -0.48367965997177054, -0.8906286314095213, 0.14944077140089893,
                                   0.7500257157749087,  0.07391924686798935, -0.27116330590228377};
    static const double exp10E[9] = {897.149253302745, 481.35056329624234, 848.8280334507565,
                                     -134.57177746677655, -72.01642097207194, -126.80218850639298,
                                     290.05974613827675, 155.270461791825, 274.32735109804327};
    lm_tensor *a = mat(3, 3, E);
    lm_tensor *x = lm_linalg_expm(a, &err);
    for (int i = 0; i < 9; i++) assert_close(x->data[i], expE[i], 1e-12, 1e-14);
    lm_tensor_release(x);
    for (int i = 0; i < 9; i++) a->data[i] *= 10;
    x = lm_linalg_expm(a, &err);
    for (int i = 0; i < 9; i++) assert_close(x->data[i], exp10E[i], 1e-11, 1e-11 * 900);
    lm_tensor_release(x);
    lm_tensor_release(a);

    /* ref: expm([0 t; -t 0]) is the rotation [cos t, sin t; -sin t, cos t],
       for t across the Padé degrees 3, 5, 7, 9 and 13 */
    static const double ts[] = {0.01, 0.2, 0.9, 2, 5, 30};
    for (size_t k = 0; k < sizeof ts / sizeof ts[0]; k++) {
        double t = ts[k];
        a = mat(2, 2, (const double[]){0, t, -t, 0});
        x = lm_linalg_expm(a, &err);
        double tol = 1e-15 * (1 + t);
        assert_close(x->data[0], cos(t), 0, tol);
        assert_close(x->data[1], sin(t), 0, tol);
        assert_close(x->data[2], -sin(t), 0, tol);
        assert_close(x->data[3], cos(t), 0, tol);
        lm_tensor_release(x);
        lm_tensor_release(a);
    }

    /* property: expm(A)·expm(-A) = I on random 6×6 */
    lm_rng r;
    lm_rng_seed(&r, 3);
    for (int rep = 0; rep < 5; rep++) {
        a = randn(&r, 6, 6);
        lm_tensor *na = lm_tensor_neg(a, &err), *p = lm_linalg_expm(a, &err), *q = lm_linalg_expm(na, &err);
        lm_tensor *pq = mul(p, q), *e = lm_tensor_eye(6, &err);
        assert_true(fro_diff(pq, e) <= 1e-12 * fro(p) * fro(q));
        lm_tensor *ref[] = {a, na, p, q, pq, e};
        for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) lm_tensor_release(ref[i]);
    }
}

static void test_pca(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    /* ref: the classic 10×2 PCA tutorial data (L. I. Smith), np.linalg.svd of
       the centred data; each direction scaled so its largest component is
       positive (NumPy's signs are arbitrary; lemma fixes them this way) */
    static const double X[20] = {2.5, 2.4, 0.5, 0.7, 2.2, 2.9, 1.9, 2.2, 3.1, 3.0,
                                 2.3, 2.7, 2,   1.6, 1,   1.1, 1.5, 1.6, 1.1, 0.9};
    lm_tensor *x = mat(10, 2, X), *w, *z, *e;
    assert_int_equal(lm_linalg_pca(x, 2, &w, &z, &e, &err), LM_OK);
    static const double W[4] = {0.6778733985280119, 0.735178655544408, 0.735178655544408, -0.6778733985280119};
    for (int i = 0; i < 4; i++) assert_close(w->data[i], W[i], 1e-13, 0);
    check_column(e, 2, (const double[]){0.963181314348646, 0.036818685651354065}, 1e-12, 0);
    static const double Z1[10] = {0.8279701862010882, -1.777580325280429, 0.9921974944148888, 0.27421041597539964,
                                  1.6758014186445402, 0.9129491031588083, -0.09910943749844398, -1.1445721637986597,
                                  -0.4380461367624499, -1.2238205550547403};
    for (int i = 0; i < 10; i++) assert_close(z->data[2 * i], Z1[i], 1e-12, 1e-14);
    lm_tensor_release(w);
    lm_tensor_release(z);
    lm_tensor_release(e);
    assert_int_equal(lm_linalg_pca(x, 3, &w, NULL, NULL, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    lm_tensor_release(x);
}

/* ---- vectors, norms, traces ---- */

static void test_vectors_and_norms(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(1, 3, (const double[]){1, 2, 3}), *b = mat(3, 1, (const double[]){4, 5, 6});
    lm_tensor *d = lm_linalg_dot(a, b, &err); /* ref: 4 + 10 + 18 */
    assert_true(d->data[0] == 32);
    lm_tensor_release(d);
    lm_tensor *c = lm_linalg_cross(a, b, &err); /* ref: np.cross([1,2,3],[4,5,6]) = [-3, 6, -3] */
    check_column(c, 3, (const double[]){-3, 6, -3}, 0, 0);
    lm_tensor_release(c);

    /* ref: np.linalg.norm([3, -4], p) for p = 2, 1, inf, -inf, 3; Octave's p = 0 */
    lm_tensor *v = mat(1, 2, (const double[]){3, -4});
    double out;
    lm_linalg_norm(v, LM_NORM_P, 2, &out, &err);
    assert_true(out == 5);
    lm_linalg_norm(v, LM_NORM_P, 1, &out, &err);
    assert_true(out == 7);
    lm_linalg_norm(v, LM_NORM_P, INFINITY, &out, &err);
    assert_true(out == 4);
    lm_linalg_norm(v, LM_NORM_P, -INFINITY, &out, &err);
    assert_true(out == 3);
    lm_linalg_norm(v, LM_NORM_P, 3, &out, &err);
    assert_close(out, 4.497941445275415, 1e-15, 0);
    lm_linalg_norm(v, LM_NORM_P, 0, &out, &err);
    assert_true(out == 2);
    lm_linalg_norm(v, LM_NORM_FRO, 0, &out, &err);
    assert_true(out == 5);
    lm_tensor_release(v);
    /* no overflow on the way: norm([1e200 1e200]) = sqrt(2)·1e200 */
    v = mat(1, 2, (const double[]){1e200, 1e200});
    lm_linalg_norm(v, LM_NORM_P, 2, &out, &err);
    assert_close(out, sqrt(2) * 1e200, 1e-15, 0);
    lm_tensor_release(v);

    /* ref: np.linalg.norm(R5, p) for p = 1, 2, inf, 'fro' */
    lm_tensor *m = mat(5, 5, R5);
    lm_linalg_norm(m, LM_NORM_P, 2, &out, &err);
    assert_close(out, 3.3156969159450176, 1e-14, 0);
    lm_linalg_norm(m, LM_NORM_P, 1, &out, &err);
    assert_close(out, 6.091597999999999, 1e-15, 0); /* column 2: |1.64192|+|0.861351|+|-0.731323|+|-1.376423|+|-1.480581| */
    lm_linalg_norm(m, LM_NORM_P, INFINITY, &out, &err);
    assert_close(out, 6.183477000000001, 1e-15, 0); /* row 1 */
    assert_int_equal(lm_linalg_norm(m, LM_NORM_P, 3, &out, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    lm_tensor *t = lm_linalg_trace(m, &err); /* ref: 1.028857 + 0.861351 - 1.107717 - 1.291092 - 0.66847 */
    assert_close(t->data[0], -1.177071, 1e-14, 0);
    lm_tensor_release(t);
    lm_tensor_release(m);
    lm_tensor_release(a);
    lm_tensor_release(b);
}

/* ---- tensor operations ---- */

static void test_tensorops(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *a = mat(1, 2, (const double[]){1, 2}), *b = mat(3, 1, (const double[]){3, 4, 5});
    lm_tensor *o = lm_tensor_outer(a, b, &err); /* ref: np.outer([1,2],[3,4,5]) */
    assert_int_equal(o->shape[0], 2);
    assert_int_equal(o->shape[1], 3);
    static const double ow[6] = {3, 4, 5, 6, 8, 10};
    for (int i = 0; i < 6; i++) assert_true(o->data[i] == ow[i]);
    lm_tensor_release(o);

    /* ref: np.kron([[1,2],[3,4]], [[0,1],[1,0]]) */
    lm_tensor *p = mat(2, 2, (const double[]){1, 2, 3, 4}), *q = mat(2, 2, (const double[]){0, 1, 1, 0});
    lm_tensor *k = lm_tensor_kron(p, q, &err);
    static const double kw[16] = {0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0};
    for (int i = 0; i < 16; i++) assert_true(k->data[i] == kw[i]);
    lm_tensor_release(k);

    /* ref: np.diag([1,2], 1) and np.diag([[1,2],[3,4]]) */
    lm_tensor *dg = lm_tensor_diag(a, 1, &err);
    static const double dw[9] = {0, 1, 0, 0, 0, 2, 0, 0, 0};
    for (int i = 0; i < 9; i++) assert_true(dg->data[i] == dw[i]);
    lm_tensor_release(dg);
    dg = lm_tensor_diag(p, 0, &err);
    check_column(dg, 2, (const double[]){1, 4}, 0, 0);
    lm_tensor_release(dg);
    dg = lm_tensor_diag(p, -1, &err);
    check_column(dg, 1, (const double[]){3}, 0, 0);
    lm_tensor_release(dg);

    /* tensordot over one axis is the matrix product; over both, sum(P .* Q) */
    int ax1[1] = {1}, ax0[1] = {0}, both_a[2] = {0, 1}, both_b[2] = {0, 1};
    lm_tensor *pq = lm_tensor_tensordot(p, q, 1, ax1, ax0, &err), *ref = mul(p, q);
    assert_true(fro_diff(pq, ref) == 0);
    lm_tensor_release(pq);
    lm_tensor_release(ref);
    pq = lm_tensor_tensordot(p, q, 2, both_a, both_b, &err);
    assert_int_equal(pq->shape[0], 1);
    assert_int_equal(pq->shape[1], 1);
    assert_true(pq->data[0] == 5); /* ref: 2 + 3 */
    lm_tensor_release(pq);
    /* ref: np.tensordot(np.arange(24).reshape(2,3,4), np.arange(20).reshape(4,5), 1)[1, 2, 3]
       = sum_k (20 + k)·(5k + 3) for k = 0..3 = 60 + 168 + 286 + 414 = 928 */
    int64_t s3[3] = {2, 3, 4}, s2[2] = {4, 5};
    lm_tensor *t3 = lm_tensor_new(3, s3, &err), *t2 = lm_tensor_new(2, s2, &err);
    for (int i = 0; i < 24; i++) t3->data[i] = i;
    for (int i = 0; i < 20; i++) t2->data[i] = i;
    int ax2[1] = {2};
    lm_tensor *td = lm_tensor_tensordot(t3, t2, 1, ax2, ax0, &err);
    assert_int_equal(td->ndim, 3);
    assert_true(td->data[1 * 15 + 2 * 5 + 3] == 928);
    lm_tensor_release(td);
    assert_null(lm_tensor_tensordot(t3, t2, 1, ax1, ax0, &err));
    expect_error(&err, LM_ERR_SHAPE, "axis 2 of the first has size 3 but axis 1 of the second has 4");

    /* einsum: the same contraction by letters (the dgemm path), a trace, a
       transpose, a batch product (the loop path), each against NumPy */
    const lm_tensor *ops[2] = {t3, t2};
    lm_tensor *es = lm_tensor_einsum("ijk,kl->ijl", 2, ops, &err);
    assert_true(es->data[1 * 15 + 2 * 5 + 3] == 928);
    lm_tensor_release(es);
    es = lm_tensor_einsum("ijk,kl->lij", 2, ops, &err); /* the same numbers, axes moved */
    assert_int_equal(es->shape[0], 5);
    assert_true(es->data[3 * 6 + 1 * 3 + 2] == 928);
    lm_tensor_release(es);
    const lm_tensor *one[1] = {p};
    es = lm_tensor_einsum("ii->", 1, one, &err); /* ref: trace = 5 */
    assert_true(es->data[0] == 5);
    lm_tensor_release(es);
    es = lm_tensor_einsum("ij->ji", 1, one, &err);
    static const double tw[4] = {1, 3, 2, 4};
    for (int i = 0; i < 4; i++) assert_true(es->data[i] == tw[i]);
    lm_tensor_release(es);
    const lm_tensor *pp[2] = {p, q};
    es = lm_tensor_einsum("ij,ij->i", 2, pp, &err); /* ref: rowwise dots [2, 3] */
    check_column(es, 2, (const double[]){2, 3}, 0, 0);
    lm_tensor_release(es);
    /* ref: np.einsum('bij,bjk->bik', t3, t3.transpose(0,2,1))[1,2,0] =
       sum_j (20 + j)(12 + j) for j = 0..3 = 240 + 273 + 308 + 345 = 1166 */
    lm_tensor *t3t = NULL;
    {
        int perm[3] = {0, 2, 1};
        lm_tensor *v = lm_tensor_permute(t3, perm, &err);
        t3t = lm_tensor_copy(v, &err);
        lm_tensor_release(v);
    }
    const lm_tensor *bb[2] = {t3, t3t};
    es = lm_tensor_einsum("bij,bjk->bik", 2, bb, &err);
    assert_int_equal(es->shape[1], 3);
    assert_int_equal(es->shape[2], 3);
    assert_true(es->data[1 * 9 + 2 * 3 + 0] == 1166);
    lm_tensor_release(es);
    assert_null(lm_tensor_einsum("ij,jk->ik", 1, one, &err));
    expect_error(&err, LM_ERR_DOMAIN, "more terms");
    assert_null(lm_tensor_einsum("ijk->i", 1, one, &err));
    expect_error(&err, LM_ERR_SHAPE, "term 1 has 3 letters");
    assert_null(lm_tensor_einsum("ij->iz", 1, one, &err));
    expect_error(&err, LM_ERR_DOMAIN, "'z' does not appear");
    lm_tensor *ref2[] = {a, b, p, q, t3, t2, t3t};
    for (size_t i = 0; i < sizeof ref2 / sizeof ref2[0]; i++) lm_tensor_release(ref2[i]);
}

/* ---- errors a learner reads ---- */

static void test_errors(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *r23 = mat(2, 3, (const double[]){1, 2, 3, 4, 5, 6});
    assert_null(lm_linalg_inv(NULL, r23, &err));
    expect_error(&err, LM_ERR_SHAPE, "inv needs a square matrix, but this one is 2×3");
    assert_null(lm_linalg_chol(r23, &err));
    expect_error(&err, LM_ERR_SHAPE, "chol needs a square matrix");
    assert_null(lm_linalg_eigvals(r23, &err));
    expect_error(&err, LM_ERR_SHAPE, "eig needs a square matrix");
    lm_tensor *b = mat(3, 1, (const double[]){1, 2, 3});
    assert_null(lm_linalg_lstsq(NULL, r23, b, NULL, &err));
    expect_error(&err, LM_ERR_SHAPE, "A 2×3 and b 3×1");
    assert_null(lm_linalg_dot(r23, b, &err));
    expect_error(&err, LM_ERR_SHAPE, "sum(A .* B)");
    lm_tensor *indef = mat(2, 2, (const double[]){1, 2, 2, 1}); /* eigenvalues 3 and -1 */
    assert_null(lm_linalg_chol(indef, &err));
    expect_error(&err, LM_ERR_DOMAIN, "not positive definite (its leading 2×2 block");
    lm_tensor *asym = mat(2, 2, (const double[]){2, 1, 0, 2});
    assert_null(lm_linalg_chol(asym, &err));
    expect_error(&err, LM_ERR_DOMAIN, "A(1, 2) = 1 and A(2, 1) = 0");
    lm_tensor *nan = mat(2, 2, (const double[]){1, NAN, 0, 1});
    assert_null(lm_linalg_svdvals(nan, &err));
    expect_error(&err, LM_ERR_DOMAIN, "NaN at (1, 2)");
    assert_null(lm_linalg_inv(NULL, nan, &err));
    expect_error(&err, LM_ERR_DOMAIN, "NaN");
    lm_tensor *z = lm_tensor_new_complex(2, (const int64_t[]){2, 2}, &err);
    assert_null(lm_linalg_eigvals(z, &err));
    expect_error(&err, LM_ERR_TYPE, "complex");
    lm_tensor *ref[] = {r23, b, indef, asym, nan, z};
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) lm_tensor_release(ref[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random5_against_numpy),
        cmocka_unit_test(test_hilbert8),
        cmocka_unit_test(test_hilbert10),
        cmocka_unit_test(test_singular_reported),
        cmocka_unit_test(test_near_singular_warns),
        cmocka_unit_test(test_condition_estimate_matches_dgecon),
        cmocka_unit_test(test_prop_inverse),
        cmocka_unit_test(test_prop_factorizations),
        cmocka_unit_test(test_prop_chol),
        cmocka_unit_test(test_prop_eig),
        cmocka_unit_test(test_eig_known),
        cmocka_unit_test(test_prop_pinv_null_lstsq_proj),
        cmocka_unit_test(test_lstsq_reference),
        cmocka_unit_test(test_expm),
        cmocka_unit_test(test_pca),
        cmocka_unit_test(test_vectors_and_norms),
        cmocka_unit_test(test_tensorops),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
