/* Unit tests for information theory (src/info): entropy, cross-entropy, KL, JS,
 * joint tables, plug-in mutual information and KL between distributions, and
 * their named errors. References are literals computed with SciPy 1.10.1
 * (Debian python3-scipy) on random vectors from numpy's default_rng(20240601),
 * or by hand, as each comment says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lemma/info.h"
#include "lemma/prob.h"

#define E1 2.718281828459045 /* the double nearest e */
#define REL 1e-12

#define assert_rel(x, ref, tol) rel_((x), (ref), (tol), #x, __FILE__, __LINE__)
static void rel_(double x, double ref, double tol, const char *what, const char *file, int line) {
    if (x == ref) return;
    if (fabs(x - ref) <= tol * fabs(ref)) return;
    print_error("%s = %.17g, expected %.17g (relative tolerance %g)\n", what, x, ref, tol);
    _fail(file, line);
}

/* One random pair (p, q) with SciPy's values for it. */
typedef struct ref_pair {
    int n;
    double p[8], q[8];
    double h2, he;   /* scipy.stats.entropy(p, base=2), entropy(p) */
    double ce2;      /* entropy(p, base=2) + entropy(p, q, base=2) */
    double kl2, kle; /* entropy(p, q, base=2), entropy(p, q) */
    double js2, jse; /* jensenshannon(p, q, base=2)**2, jensenshannon(p, q)**2 */
} ref_pair;

static const ref_pair pairs[] = {
    {3,
     {0.4429645208484043, 0.3249517820490263, 0.2320836971025694},
     {0.6094630449967717, 0.09186281631071998, 0.29867413869250825},
     1.536407892711762, 1.0649567990232047, 1.8403094399659257, 0.30390154725416374, 0.21064850064702859,
     0.062395320851787346, 0.043249140728549566},
    {5,
     {0.19803846581028167, 0.17883482230952433, 0.2616081627438813, 0.2420986372107782, 0.11941991192553454},
     {0.04097156491116214, 0.20690929264394034, 0.26928317081829345, 0.2637481362215759, 0.21908783540502808},
     2.2743761448699034, 1.5764774123493712, 2.541536351748196, 0.2671602068782927, 0.1851813441555003,
     0.0523730713830218, 0.03630224676640631},
    {8,
     {0.022657026245027884, 0.09020532409944071, 0.2846999202589867, 0.0038245591617178357, 0.33725234448513564,
      0.169036037556874, 0.019425143613012678, 0.0728996445798045},
     {0.0742844537484998, 0.007018518294215604, 0.1548215177754935, 0.19354175876977528, 0.029206535757516663,
      0.047391883928187994, 0.2856207947169916, 0.20811453700931962},
     2.3318093716126906, 1.6162870915365941, 4.168641163250635, 1.8368317916379449, 1.2731947775367143,
     0.4007349764555293, 0.27776831908190625},
};

static void test_scipy_pairs(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        const ref_pair *r = &pairs[k];
        assert_rel(lm_info_entropy(r->p, r->n, 2), r->h2, REL);
        assert_rel(lm_info_entropy(r->p, r->n, E1), r->he, REL);
        assert_rel(lm_info_crossentropy(r->p, r->q, r->n, 2), r->ce2, REL);
        assert_rel(lm_info_kl(r->p, r->q, r->n, 2, NULL), r->kl2, REL);
        assert_rel(lm_info_kl(r->p, r->q, r->n, E1, NULL), r->kle, REL);
        assert_rel(lm_info_js(r->p, r->q, r->n, 2), r->js2, REL);
        assert_rel(lm_info_js(r->p, r->q, r->n, E1), r->jse, REL);
        /* identities: H(p, q) = H(p) + D(p || q); D(p || p) = 0; JS symmetric */
        assert_rel(lm_info_crossentropy(r->p, r->q, r->n, E1), r->he + r->kle, REL);
        assert_true(lm_info_kl(r->p, r->p, r->n, 2, NULL) == 0);
        assert_rel(lm_info_js(r->q, r->p, r->n, 2), r->js2, REL);
    }
}

static void test_hand_values(void **state) {
    (void)state;
    /* by hand: a fair coin is 1 bit, four equal outcomes 2 bits; a certain one 0 */
    double coin[2] = {0.5, 0.5}, four[4] = {0.25, 0.25, 0.25, 0.25}, sure[3] = {0, 1, 0};
    assert_rel(lm_info_entropy(coin, 2, 2), 1, REL);
    assert_rel(lm_info_entropy(four, 4, 2), 2, REL);
    assert_true(lm_info_entropy(sure, 3, 2) == 0);
    /* by hand: D([1/2 1/2] || [1/4 3/4]) = 1/2 log2 2 + 1/2 log2(2/3) = 1 - log2(3)/2 */
    double p[2] = {0.5, 0.5}, q[2] = {0.25, 0.75};
    assert_rel(lm_info_kl(p, q, 2, 2, NULL), 1 - log2(3) / 2, REL);
    /* q has a zero where p does not: infinite, and the index is reported */
    double q0[2] = {1, 0};
    int64_t at = -2;
    assert_true(isinf(lm_info_kl(p, q0, 2, 2, &at)));
    assert_int_equal(at, 1);
    assert_true(isinf(lm_info_crossentropy(p, q0, 2, 2)));
    /* ...but a zero of p where q is zero costs nothing: D([1 0] || [1 0]) = 0 */
    assert_true(lm_info_kl(q0, q0, 2, 2, NULL) == 0);
    /* JS of disjoint distributions is exactly 1 bit */
    double a[2] = {1, 0}, b[2] = {0, 1};
    assert_rel(lm_info_js(a, b, 2, 2), 1, REL);
}

static void test_joint_table(void **state) {
    (void)state;
    /* SciPy: J from default_rng(20240601) after the pairs, 3×4 row-major;
     * MI = entropy(J, outer(px, py), base=2), H(X,Y) = entropy(J, base=2) */
    const double J[12] = {0.0307039081414313,  0.04503826543378104, 0.0005843134452468418, 0.15343932504220628,
                          0.07363924769604921, 0.04270335942692522, 0.1215421860672524,    0.16210209909909487,
                          0.1744403815785852,  0.053796927405555604, 0.045081289731880574, 0.09692869693199153};
    lm_info_joint r;
    lm_info_joint_table(J, 3, 4, 2, &r);
    assert_rel(r.mi, 0.1807810100671737, REL);
    assert_rel(r.hxy, 3.2376390797815278, REL);
    assert_rel(r.hx, 1.5470085118598536, REL);
    assert_rel(r.hy_given_x, 1.6906305679216742, 1e-11); /* a difference: one more rounding */
    /* identity: I = H(X) + H(Y) - H(X,Y) */
    assert_rel(r.mi, r.hx + r.hy - r.hxy, 1e-11);
    /* by hand: independent table [1/4 1/4; 1/4 1/4] has I = 0, H = 2 bits */
    const double ind[4] = {0.25, 0.25, 0.25, 0.25};
    lm_info_joint_table(ind, 2, 2, 2, &r);
    assert_true(fabs(r.mi) < 1e-15);
    assert_rel(r.hxy, 2, REL);
}

static void test_mi_samples(void **state) {
    (void)state;
    /* paired samples from the same generator; reference: the plug-in sum
     * sum c/n log(c n / (cx cy)) in Python with collections.Counter (nats) */
    const double x[40] = {2, 1, 1, 1, 2, 2, 1, 0, 1, 2, 0, 0, 2, 0, 2, 2, 1, 1, 1, 0,
                          2, 0, 2, 0, 0, 1, 0, 1, 0, 2, 1, 1, 1, 1, 2, 2, 0, 2, 2, 2};
    const double y[40] = {2, 1, 2, 2, 0, 0, 1, 1, 1, 0, 1, 0, 2, 1, 0, 0, 2, 1, 1, 1,
                          2, 1, 0, 1, 0, 2, 0, 2, 0, 2, 1, 1, 2, 1, 2, 2, 1, 2, 0, 2};
    double mi = -1;
    lm_err err = LM_ERR_INIT;
    assert_int_equal(lm_info_mi_samples(x, y, 40, E1, &mi, &err), LM_OK);
    assert_rel(mi, 0.4118977978549852, REL);
    /* by hand: y = x with two equally frequent values gives 1 bit */
    const double u[4] = {1, 2, 1, 2};
    assert_int_equal(lm_info_mi_samples(u, u, 4, 2, &mi, &err), LM_OK);
    assert_rel(mi, 1, REL);
}

static void test_errors(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    double neg[3] = {0.5, -0.5, 1}, out[3];
    assert_int_equal(lm_info_check("p", neg, 3, false, out, &err), LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "p(2) is -0.5"));
    lm_err_clear(&err);
    double over[2] = {0.5, 0.6};
    assert_int_equal(lm_info_check("p", over, 2, false, out, &err), LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "normalize = true"));
    lm_err_clear(&err);
    assert_int_equal(lm_info_check("p", over, 2, true, out, &err), LM_OK);
    assert_rel(out[0], 0.5 / 1.1, REL);
    double nan3[3] = {NAN, 0.5, 0.5};
    assert_int_equal(lm_info_check("q", nan3, 3, true, out, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    double zero[2] = {0, 0};
    assert_int_equal(lm_info_check("q", zero, 2, true, out, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    assert_int_equal(lm_info_check("q", zero, 0, false, out, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    assert_int_equal(lm_info_check_base(1, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    assert_int_equal(lm_info_check_base(-2, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
}

static lm_dist *mk(lm_dist_family f, double a, double b) {
    double p[2] = {a, b};
    lm_err err = LM_ERR_INIT;
    lm_dist *d = lm_dist_new(f, p, lm_dist_family_ops(f)->nparams, &err);
    assert_non_null(d);
    return d;
}

static double kl_d(lm_dist *P, lm_dist *Q, double base, const char *want_method) {
    double v = NAN;
    const char *how = NULL;
    lm_err err = LM_ERR_INIT;
    lm_status st = lm_info_kl_dist(P, Q, base, &v, &how, &err);
    if (st != LM_OK) print_error("%s\n", err.msg);
    assert_int_equal(st, LM_OK);
    assert_string_equal(how, want_method);
    lm_dist_release(P);
    lm_dist_release(Q);
    return v;
}

static void test_kl_dists(void **state) {
    (void)state;
    /* by hand: KL(N(0,1) || N(1,2)) = log 2 + (1 + 1)/8 - 1/2 nats */
    assert_rel(kl_d(mk(LM_DIST_NORMAL, 0, 1), mk(LM_DIST_NORMAL, 1, 2), E1, "closed form"), log(2) + 0.25 - 0.5, REL);
    /* SciPy quad of p (log p - log q): Gamma(2, rate 3) || Gamma(5, rate 1.5) */
    assert_rel(kl_d(mk(LM_DIST_GAMMA, 2, 3), mk(LM_DIST_GAMMA, 5, 1.5), E1, "closed form"), 4.375436727852272, 1e-12);
    /* SciPy quad: Beta(2, 3) || Beta(4, 1.5) */
    assert_rel(kl_d(mk(LM_DIST_BETA, 2, 3), mk(LM_DIST_BETA, 4, 1.5), E1, "closed form"), 1.48973658042876, 1e-12);
    /* SciPy quad: Normal(0, 1) || StudentT(3), no closed form here */
    assert_rel(kl_d(mk(LM_DIST_NORMAL, 0, 1), mk(LM_DIST_STUDENT_T, 3, 0), E1, "quadrature"), 0.06915159848517628,
               1e-9);
    /* by hand: KL(Exp(1) || N(0,1)) = -H(Exp(1)) + log(2 pi)/2 + E[x^2]/2 = log(2 pi)/2 nats */
    assert_rel(kl_d(mk(LM_DIST_EXPONENTIAL, 1, 0), mk(LM_DIST_NORMAL, 0, 1), E1, "quadrature"), 0.5 * log(2 * 3.141592653589793),
               1e-9);
    /* by hand: KL(Poisson(2) || Poisson(3)) = 2 log(2/3) + 1 nats; in bits divided by log 2 */
    assert_rel(kl_d(mk(LM_DIST_POISSON, 2, 0), mk(LM_DIST_POISSON, 3, 0), 2, "closed form"),
               (2 * log(2.0 / 3) + 1) / log(2), REL);
    /* by hand: Uniform(0, 1) || Uniform(0, 2) is log 2 = 1 bit; the other way is infinite */
    assert_rel(kl_d(mk(LM_DIST_UNIFORM, 0, 1), mk(LM_DIST_UNIFORM, 0, 2), 2, "closed form"), 1, REL);
    assert_true(isinf(kl_d(mk(LM_DIST_UNIFORM, 0, 2), mk(LM_DIST_UNIFORM, 0, 1), 2, "closed form")));
    /* Poisson puts mass on 0, where Geometric (trials) has none */
    assert_true(isinf(kl_d(mk(LM_DIST_POISSON, 3, 0), mk(LM_DIST_GEOMETRIC, 0.3, 0), 2, "sum")));
    /* discrete against continuous is a named domain error */
    lm_dist *P = mk(LM_DIST_NORMAL, 0, 1), *Q = mk(LM_DIST_POISSON, 2, 0);
    double v;
    lm_err err = LM_ERR_INIT;
    assert_int_equal(lm_info_kl_dist(P, Q, 2, &v, NULL, &err), LM_ERR_DOMAIN);
    lm_err_clear(&err);
    lm_dist_release(P);
    lm_dist_release(Q);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scipy_pairs), cmocka_unit_test(test_hand_values), cmocka_unit_test(test_joint_table),
        cmocka_unit_test(test_mi_samples),  cmocka_unit_test(test_errors),      cmocka_unit_test(test_kl_dists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
