/* Unit tests of the statistics engine (include/lemma/stats.h): the NIST StRD
 * linear regression and one-way ANOVA sets against their certified values,
 * graded in correct significant digits (LRE) next to what R 4.2.2 reaches on
 * the same data; properties of the probability models against brute force
 * (variable elimination against the full joint, the forward algorithm and
 * Viterbi against enumeration of hidden paths, simulated chains against their
 * stationary distribution); and the engine's named errors on invalid input. */
#include "lemma/stats.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- reading tests/data/nist/<name>.csv ---- */

/* The data folder, found from this file's path (CMake compiles it by its
 * absolute path), so the test runs from any directory. */
static void data_path(const char *name, char *out, size_t n) {
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    int dir = slash ? (int)(slash - here) : 0;
    snprintf(out, n, "%.*s/../data/nist/%s.csv", dir, here, name);
}

/* The numeric columns of a CSV with a header row, column-major: col[j][i]. */
typedef struct table {
    int64_t rows, cols;
    double *v; /* v[j * rows + i] */
} table;

static table read_csv(const char *name) {
    char path[1024];
    data_path(name, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[4096];
    table t = {0, 0, NULL};
    if (!fgets(line, sizeof line, f)) fail_msg("%s is empty", path);
    t.cols = 1;
    for (char *c = line; *c; c++) t.cols += *c == ',';
    size_t cap = 1024;
    double *rowmajor = malloc(cap * sizeof *rowmajor);
    size_t nv = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        if (*p == '\n' || *p == '\0') continue;
        for (int64_t j = 0; j < t.cols; j++) {
            char *end;
            double v = strtod(p, &end);
            if (end == p) fail_msg("%s: bad number at row %lld", path, (long long)t.rows + 2);
            if (nv == cap) rowmajor = realloc(rowmajor, (cap *= 2) * sizeof *rowmajor);
            rowmajor[nv++] = v;
            p = end + (*end == ',');
        }
        t.rows++;
    }
    fclose(f);
    t.v = malloc((size_t)(t.rows * t.cols) * sizeof *t.v);
    for (int64_t i = 0; i < t.rows; i++)
        for (int64_t j = 0; j < t.cols; j++) t.v[j * t.rows + i] = rowmajor[i * t.cols + j];
    free(rowmajor);
    return t;
}

/* NIST's log relative error: correct significant digits, -log10(|x - c|/|c|)
 * (-log10|x| when the certified value is 0), capped at the 15 digits that the
 * certificates carry. A value within half a unit of the certificate's 15th
 * digit gets all 15: the certificate is itself rounded there, so a correctly
 * rounded answer could otherwise score 14.9. R's figures use the same rule. */
static double lre(double x, double c) {
    double v;
    if (isinf(c)) return (isinf(x) && (x > 0) == (c > 0)) || fabs(x) > 1e15 ? 15 : 0;
    if (c == 0) v = -log10(fabs(x));
    else if (fabs(x - c) <= 0.5 * pow(10, floor(log10(fabs(c))) - 14)) return 15;
    else v = -log10(fabs(x - c) / fabs(c));
    if (isnan(v)) v = 0;
    return v > 15 ? 15 : v;
}

/* ---- NIST StRD linear regression ---- */

enum model { LINEAR, POLY, NOINT };

typedef struct regcase {
    const char *name;
    enum model model;
    int k;                 /* certified parameters */
    double est[11], sd[11];
    double sigma, r2, F;
    /* R 4.2.2's LRE on the same data: lm(y ~ ...) (Filip with tol = 1e-10);
     * the least over coefficients, over standard errors, then residual SD,
     * R² and F, measured as described above reg_cases. */
    double r_lre[5];
    /* The coefficient digits of the exact least-squares solution for these
     * binary64 data (rational arithmetic, Python fractions): no method can do
     * better except by luck, since the data already differ from NIST's decimals. */
    double exact_coef;
} regcase;

/* ref: NIST StRD certified values (tests/data/nist/<name>.json, from the
 * .dat files of Debian's gretl-data 2022c-1). R figures: R 4.2.2,
 *   s <- summary(lm(y ~ x1 + ... , data)); polynomial sets with X <- sapply(1:deg, function(j) x^j),
 *   lm(y ~ X) (Filip: lm(y ~ X, tol = 1e-10)); NoInt: lm(y ~ x - 1);
 *   LRE = -log10(|x - c| / |c|) (c = 0: -log10 |x|), capped at 15. */
static const regcase reg_cases[] = {
    {"Norris", LINEAR, 2, {-0.262323073774029, 1.00211681802045},
     {0.232818234301152, 0.429796848199937E-03},
     0.884796396144373, 0.999993745883712, 5436385.54079785, {11.9, 13.6, 13.7, 15.0, 13.3}, 14.1},
    {"Pontius", POLY, 3, {0.673565789473684E-03, 0.732059160401003E-06, -0.316081871345029E-14},
     {0.107938612033077E-03, 0.157817399981659E-09, 0.486652849992036E-16},
     0.205177424076185E-03, 0.999999900178537, 185330865.995752, {12.0, 12.3, 12.3, 15.0, 12.0}, 13.5},
    {"NoInt1", NOINT, 1, {2.07438016528926},
     {0.165289256198347E-01},
     3.56753034006338, 0.999365492298663, 15750.2500000000, {15.0, 14.5, 14.7, 15.0, 14.3}, 15},
    {"NoInt2", NOINT, 1, {0.727272727272727},
     {0.420827318078432E-01},
     0.369274472937998, 0.993348115299335, 298.6666666666667, {15.0, 15.0, 15.0, 15.0, 15.0}, 15},
    {"Longley", LINEAR, 7, {-3482258.63459582, 15.0618722713733, -0.358191792925910E-01, -2.02022980381683, -1.03322686717359, -0.511041056535807E-01, 1829.15146461355},
     {890420.383607373, 84.9149257747669, 0.334910077722432E-01, 0.488399681651699, 0.214274163161675, 0.226073200069370, 455.478499142212},
     304.854073561965, 0.995479004577296, 330.285339234588, {13.0, 14.2, 14.3, 15.0, 14.0}, 15},
    {"Wampler1", POLY, 6, {1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000},
     {0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000},
     0.000000000000000, 1.00000000000000, INFINITY, {9.2, 10.0, 10.0, 15.0, 15.0}, 15},
    {"Wampler2", POLY, 6, {1.00000000000000, 0.100000000000000, 0.100000000000000E-01, 0.100000000000000E-02, 0.100000000000000E-03, 0.100000000000000E-04},
     {0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000, 0.000000000000000},
     0.000000000000000, 1.00000000000000, INFINITY, {13.2, 14.9, 14.9, 15.0, 15.0}, 13.2},
    {"Wampler3", POLY, 6, {1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000},
     {2152.32624678170, 2363.55173469681, 779.343524331583, 101.475507550350, 5.64566512170752, 0.112324854679312},
     2360.14502379268, 0.999995559025820, 675524.458240122, {9.4, 13.3, 13.5, 15.0, 13.2}, 15},
    {"Wampler4", POLY, 6, {1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000},
     {215232.624678170, 236355.173469681, 77934.3524331583, 10147.5507550350, 564.566512170752, 11.2324854679312},
     236014.502379268, 0.957478440825662, 67.5524458240122, {7.6, 13.7, 15.0, 15.0, 15.0}, 15},
    {"Wampler5", POLY, 6, {1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000, 1.00000000000000},
     {21523262.4678170, 23635517.3469681, 7793435.24331583, 1014755.07550350, 56456.6512170752, 1123.24854679312},
     23601450.2379268, 0.224668921574940E-02, 6.7552445824012241E-03, {5.6, 13.7, 15.0, 15.0, 14.8}, 15},
    {"Filip", POLY, 11, {-1467.48961422980, -2772.17959193342, -2316.37108160893, -1127.97394098372, -354.478233703349, -75.1242017393757, -10.8753180355343, -1.06221498588947, -0.670191154593408E-01, -0.246781078275479E-02, -0.402962525080404E-04},
     {298.084530995537, 559.779865474950, 466.477572127796, 227.204274477751, 71.6478660875927, 15.2897178747400, 2.23691159816033, 0.221624321934227, 0.142363763154724E-01, 0.535617408889821E-03, 0.896632837373868E-05},
     0.334801051324544E-02, 0.996727416185620, 2162.43954511489, {8.2, 7.6, 8.2, 10.4, 7.9}, 7.6},
};

/* lemma must reach at least R's digits in each of the five figures; the
 * figures it does reach are printed, for the record. */
static void test_nist_regression(void **state) {
    (void)state;
    int bad = 0;
    for (size_t c = 0; c < sizeof reg_cases / sizeof reg_cases[0]; c++) {
        const regcase *rc = &reg_cases[c];
        table t = read_csv(rc->name);
        int64_t n = t.rows, p = rc->model == POLY ? rc->k - 1 : rc->model == NOINT ? rc->k : rc->k - 1;
        const double *y = t.v; /* column 1 is y */
        double *X = malloc((size_t)(n * p) * sizeof *X);
        for (int64_t j = 0; j < p; j++)
            for (int64_t i = 0; i < n; i++)
                X[j * n + i] = rc->model == POLY ? pow(t.v[n + i], (double)(j + 1)) : t.v[(j + 1) * n + i];
        lm_err err = LM_ERR_INIT;
        lm_linreg *fit = lm_regress(X, n, p, y, rc->model != NOINT, &err);
        if (!fit) fail_msg("%s: %s", rc->name, err.msg);
        double got[5] = {15, 15, 15, 15, 15};
        for (int j = 0; j < rc->k; j++) {
            got[0] = fmin(got[0], lre(fit->coef[j], rc->est[j]));
            got[1] = fmin(got[1], lre(fit->se[j], rc->sd[j]));
        }
        got[2] = lre(fit->sigma, rc->sigma);
        got[3] = lre(fit->r_squared, rc->r2);
        got[4] = lre(fit->f_stat, rc->F);
        printf("  %-9s lemma/R digits: coef %4.1f/%4.1f (best possible %4.1f)  se %4.1f/%4.1f  sigma %4.1f/%4.1f  R2 %4.1f/%4.1f  F %4.1f/%4.1f"
               "  (%d refinements)\n",
               rc->name, got[0], rc->r_lre[0], rc->exact_coef, got[1], rc->r_lre[1], got[2], rc->r_lre[2], got[3], rc->r_lre[3], got[4],
               rc->r_lre[4], fit->refinements);
        static const char *what[5] = {"coefficients", "standard errors", "residual SD", "R squared", "F"};
        for (int q = 0; q < 5; q++)
            if (got[q] + 0.05 < (q == 0 ? fmin(rc->r_lre[q], rc->exact_coef) : rc->r_lre[q])) {
                printf("FAIL %s: %s reach %.1f digits, R reaches %.1f\n", rc->name, what[q], got[q], rc->r_lre[q]);
                bad++;
            }
        lm_obj_release(&fit->hdr);
        free(X);
        free(t.v);
    }
    assert_int_equal(bad, 0);
}

/* ---- NIST StRD one-way ANOVA ---- */

typedef struct aovcase {
    const char *name;
    double dfb, dfw, ssb, msb, ssw, msw, F, r2, sd;
    /* R 4.2.2, summary(aov(y ~ factor(group))): LRE of SS/MS between, SS/MS
     * within, F, R² = SSb/(SSb + SSw), residual SD = sqrt(MSw) */
    double r_lre[5];
} aovcase;

/* ref: NIST StRD certified values (tests/data/nist/<name>.json); R figures
 * measured with R 4.2.2 as described above. */
static const aovcase aov_cases[] = {
    {"SiRstv", 4, 20, 5.11462616000000E-02, 1.27865654000000E-02, 2.16636560000000E-01, 1.08318280000000E-02, 1.18046237440255E+00,
     1.90999039051129E-01, 1.04076068334656E-01, {12.8, 12.9, 13.3, 13.4, 13.2}},
    {"SmLs01", 8, 180, 1.68000000000000E+00, 2.10000000000000E-01, 1.80000000000000E+00, 1.00000000000000E-02, 2.10000000000000E+01,
     4.82758620689655E-01, 1.00000000000000E-01, {15, 15, 15, 15, 15}},
    {"SmLs02", 8, 1800, 1.60800000000000E+01, 2.01000000000000E+00, 1.80000000000000E+01, 1.00000000000000E-02, 2.01000000000000E+02,
     4.71830985915493E-01, 1.00000000000000E-01, {15, 15, 15, 15, 15}},
    {"SmLs03", 8, 18000, 1.60080000000000E+02, 2.00100000000000E+01, 1.80000000000000E+02, 1.00000000000000E-02, 2.00100000000000E+03,
     4.70712773465067E-01, 1.00000000000000E-01, {15.0, 15.0, 15.0, 15.0, 15.0}},
    {"SmLs04", 8, 180, 1.68000000000000E+00, 2.10000000000000E-01, 1.80000000000000E+00, 1.00000000000000E-02, 2.10000000000000E+01,
     4.82758620689655E-01, 1.00000000000000E-01, {10.1, 10.3, 10.4, 10.7, 10.6}},
    {"SmLs05", 8, 1800, 1.60800000000000E+01, 2.01000000000000E+00, 1.80000000000000E+01, 1.00000000000000E-02, 2.01000000000000E+02,
     4.71830985915493E-01, 1.00000000000000E-01, {9.9, 10.3, 10.2, 10.5, 10.6}},
    {"SmLs06", 8, 18000, 1.60080000000000E+02, 2.00100000000000E+01, 1.80000000000000E+02, 1.00000000000000E-02, 2.00100000000000E+03,
     4.70712773465067E-01, 1.00000000000000E-01, {9.9, 10.3, 10.2, 10.5, 10.6}},
    {"SmLs07", 8, 180, 1.68000000000000E+00, 2.10000000000000E-01, 1.80000000000000E+00, 1.00000000000000E-02, 2.10000000000000E+01,
     4.82758620689655E-01, 1.00000000000000E-01, {4.0, 4.3, 4.4, 4.7, 4.6}},
    {"SmLs08", 8, 1800, 1.60800000000000E+01, 2.01000000000000E+00, 1.80000000000000E+01, 1.00000000000000E-02, 2.01000000000000E+02,
     4.71830985915493E-01, 1.00000000000000E-01, {3.9, 4.1, 4.4, 4.7, 4.4}},
    {"SmLs09", 8, 18000, 1.60080000000000E+02, 2.00100000000000E+01, 1.80000000000000E+02, 1.00000000000000E-02, 2.00100000000000E+03,
     4.70712773465067E-01, 1.00000000000000E-01, {3.9, 3.0, 3.1, 3.4, 3.3}},
    {"AtmWtAg", 1, 46, 3.63834187500000E-09, 3.63834187500000E-09, 1.04951729166667E-08, 2.28155932971014E-10, 1.59467335677930E+01,
     2.57426544538321E-01, 1.51048314446410E-05, {9.6, 10.3, 9.7, 9.9, 10.6}},
};

static void test_nist_anova(void **state) {
    (void)state;
    int bad = 0;
    for (size_t c = 0; c < sizeof aov_cases / sizeof aov_cases[0]; c++) {
        const aovcase *ac = &aov_cases[c];
        table t = read_csv(ac->name);
        int64_t n = t.rows, k = 0;
        for (int64_t i = 0; i < n; i++)
            if (t.v[i] > k) k = (int64_t)t.v[i];
        double **g = calloc((size_t)k, sizeof *g);
        int64_t *sz = calloc((size_t)k, sizeof *sz);
        for (int64_t i = 0; i < n; i++) {
            int64_t gi = (int64_t)t.v[i] - 1;
            g[gi] = realloc(g[gi], (size_t)(sz[gi] + 1) * sizeof **g);
            g[gi][sz[gi]++] = t.v[n + i];
        }
        lm_err err = LM_ERR_INIT;
        lm_htest *h = lm_test_anova((const double *const *)g, sz, k, true, &err);
        if (!h) fail_msg("%s: %s", ac->name, err.msg);
        const lm_anova_table *tb = &h->table;
        assert_true(tb->df_between == ac->dfb && tb->df_within == ac->dfw);
        double got[5];
        got[0] = fmin(lre(tb->ss_between, ac->ssb), lre(tb->ms_between, ac->msb));
        got[1] = fmin(lre(tb->ss_within, ac->ssw), lre(tb->ms_within, ac->msw));
        got[2] = lre(h->statistic, ac->F);
        got[3] = lre(tb->r_squared, ac->r2);
        got[4] = lre(tb->residual_sd, ac->sd);
        printf("  %-8s lemma/R digits: between %4.1f/%4.1f  within %4.1f/%4.1f  F %4.1f/%4.1f  R2 %4.1f/%4.1f  sd %4.1f/%4.1f\n",
               ac->name, got[0], ac->r_lre[0], got[1], ac->r_lre[1], got[2], ac->r_lre[2], got[3], ac->r_lre[3], got[4],
               ac->r_lre[4]);
        static const char *what[5] = {"between-group sums of squares", "within-group sums of squares", "F", "R squared",
                                      "residual SD"};
        for (int q = 0; q < 5; q++)
            if (got[q] + 0.05 < ac->r_lre[q]) {
                printf("FAIL %s: %s reach %.1f digits, R reaches %.1f\n", ac->name, what[q], got[q], ac->r_lre[q]);
                bad++;
            }
        lm_obj_release(&h->hdr);
        for (int64_t i = 0; i < k; i++) free(g[i]);
        free(g);
        free(sz);
        free(t.v);
    }
    assert_int_equal(bad, 0);
}


/* ---- Markov chains ---- */

/* A random n×n stochastic matrix with some zeros (row-major). */
static void random_stochastic(lm_rng *rng, int64_t n, double *T, double zero_frac) {
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        for (int64_t j = 0; j < n; j++) {
            double u = lm_rng_uniform(rng);
            T[i * n + j] = (u < zero_frac && j != (i + 1) % n) ? 0 : lm_rng_uniform(rng) + 0.01;
            s += T[i * n + j];
        }
        for (int64_t j = 0; j < n; j++) T[i * n + j] /= s;
    }
}

/* π T = π to rounding, π sums to 1, for random irreducible chains (a cycle
 * i -> i+1 keeps them irreducible). */
static void test_stationary_random(void **state) {
    (void)state;
    lm_rng rng;
    lm_rng_seed(&rng, 11);
    for (int rep = 0; rep < 20; rep++) {
        int64_t n = 2 + rep;
        double *T = malloc((size_t)(n * n) * sizeof *T), *pi = malloc((size_t)n * sizeof *pi);
        random_stochastic(&rng, n, T, 0.5);
        lm_err err = LM_ERR_INIT;
        lm_markov *m = lm_markov_new(T, n, &err);
        assert_non_null(m);
        assert_true(lm_markov_irreducible(m));
        assert_int_equal(lm_markov_stationary(NULL, m, pi, &err), LM_OK);
        double s = 0, res = 0;
        for (int64_t j = 0; j < n; j++) {
            double v = 0;
            for (int64_t i = 0; i < n; i++) v += pi[i] * T[i * n + j];
            res = fmax(res, fabs(v - pi[j]));
            s += pi[j];
            assert_true(pi[j] >= 0);
        }
        assert_true(res < 1e-14);
        assert_true(fabs(s - 1) < 1e-14);
        lm_obj_release(&m->hdr);
        free(T);
        free(pi);
    }
}

/* The share of time a long simulated path spends in each state approaches π
 * (ergodic theorem): 10^6 steps put it within 0.005. */
static void test_simulate_frequencies(void **state) {
    (void)state;
    double T[9] = {0.5, 0.3, 0.2, 0.2, 0.6, 0.2, 0.1, 0.2, 0.7};
    /* ref: R 4.2.2 eigen(t(T)): π = [0.22857142857142848 0.37142857142857139 0.40000000000000019] */
    double pi[3] = {0.22857142857142848, 0.37142857142857139, 0.40000000000000019};
    lm_err err = LM_ERR_INIT;
    lm_markov *m = lm_markov_new(T, 3, &err);
    int64_t n = 1000000, *path = malloc((size_t)(n + 1) * sizeof *path), cnt[3] = {0, 0, 0};
    lm_rng rng;
    lm_rng_seed(&rng, 42);
    lm_markov_simulate(m, 0, n, &rng, path);
    assert_int_equal(path[0], 0);
    for (int64_t t = 1; t <= n; t++) {
        assert_true(T[path[t - 1] * 3 + path[t]] > 0);
        cnt[path[t]]++;
    }
    for (int j = 0; j < 3; j++) assert_true(fabs((double)cnt[j] / (double)n - pi[j]) < 0.005);
    free(path);
    lm_obj_release(&m->hdr);
}

static void test_markov_errors(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    double bad[4] = {0.5, 0.4, 0.5, 0.5};
    assert_null(lm_markov_new(bad, 2, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "row 1 of the transition matrix sums to 0.9, not 1"));
    lm_err_clear(&err);
    double neg[4] = {1.5, -0.5, 0, 1};
    assert_null(lm_markov_new(neg, 2, &err));
    assert_non_null(strstr(err.msg, "entry (1, 1) of the transition matrix is 1.5"));
    lm_err_clear(&err);
    double nan_[4] = {NAN, 1, 0, 1};
    assert_null(lm_markov_new(nan_, 2, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    lm_err_clear(&err);
    /* the digits a learner types: 0.1 + 0.2 + 0.7 is not exactly 1 in binary, and passes */
    double typed[9] = {0.1, 0.2, 0.7, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1};
    lm_markov *m = lm_markov_new(typed, 3, &err);
    assert_non_null(m);
    lm_obj_release(&m->hdr);
}

/* ---- hidden Markov models against enumeration ---- */

static void test_hmm_bruteforce(void **state) {
    (void)state;
    lm_rng rng;
    lm_rng_seed(&rng, 5);
    for (int rep = 0; rep < 30; rep++) {
        int64_t n = 2 + rep % 3, m = 2 + rep % 2, len = 1 + rep % 5;
        double A[16], B[16], p0[4];
        random_stochastic(&rng, n, A, 0.3);
        for (int64_t i = 0; i < n; i++) {
            double s = 0;
            for (int64_t o = 0; o < m; o++) s += B[i * m + o] = lm_rng_uniform(&rng) + 0.05;
            for (int64_t o = 0; o < m; o++) B[i * m + o] /= s;
        }
        double s0 = 0;
        for (int64_t i = 0; i < n; i++) s0 += p0[i] = lm_rng_uniform(&rng) + 0.05;
        for (int64_t i = 0; i < n; i++) p0[i] /= s0;
        int64_t obs[5], path[5], hid[5];
        for (int64_t t = 0; t < len; t++) obs[t] = (int64_t)(lm_rng_uniform(&rng) * (double)m);
        lm_err err = LM_ERR_INIT;
        lm_hmm *h = lm_hmm_new(A, n, B, m, p0, &err);
        assert_non_null(h);
        /* every hidden path: the sum is P(obs), the best is Viterbi's */
        long double total = 0, best = -1;
        int64_t npaths = 1, bestpath[5] = {0};
        for (int64_t t = 0; t < len; t++) npaths *= n;
        for (int64_t q = 0; q < npaths; q++) {
            int64_t r = q;
            for (int64_t t = len - 1; t >= 0; t--) {
                hid[t] = r % n;
                r /= n;
            }
            long double p = p0[hid[0]] * B[hid[0] * m + obs[0]];
            for (int64_t t = 1; t < len; t++) p *= A[hid[t - 1] * n + hid[t]] * B[hid[t] * m + obs[t]];
            total += p;
            if (p > best) {
                best = p;
                memcpy(bestpath, hid, sizeof bestpath);
            }
        }
        double logp, vlogp;
        assert_int_equal(lm_hmm_forward(h, obs, len, NULL, &logp, &err), LM_OK);
        assert_true(fabs(logp - (double)logl(total)) < 1e-13 * fmax(1, fabs(logp)));
        assert_int_equal(lm_hmm_viterbi(h, obs, len, path, &vlogp, &err), LM_OK);
        assert_true(fabs(vlogp - (double)logl(best)) < 1e-12 * fmax(1, fabs(vlogp)));
        for (int64_t t = 0; t < len; t++) assert_int_equal(path[t], bestpath[t]);
        lm_obj_release(&h->hdr);
    }
}

/* ---- Bayesian networks: variable elimination against the full joint ---- */

static void test_bnet_bruteforce(void **state) {
    (void)state;
    lm_rng rng;
    lm_rng_seed(&rng, 99);
    for (int rep = 0; rep < 25; rep++) {
        int64_t nn = 3 + rep % 6;
        lm_bnet *net = lm_bnet_new();
        char names[8][24];
        for (int64_t i = 0; i < nn; i++) {
            snprintf(names[i], sizeof names[i], "N%lld", (long long)i);
            const char *par[3];
            int64_t np = 0, rows = 1;
            for (int64_t j = 0; j < i && np < 3; j++)
                if (lm_rng_uniform(&rng) < 0.5) {
                    par[np++] = names[j];
                    rows *= lm_bnet_states(net, j);
                }
            int64_t k = rep % 3 == 0 && i % 2 ? 3 : 1; /* some three-state nodes */
            double cpt[8 * 3 * 3];
            for (int64_t r = 0; r < rows; r++) {
                double s = 0;
                for (int64_t c = 0; c < k; c++) s += cpt[r * k + c] = lm_rng_uniform(&rng) + 0.01;
                if (k > 1)
                    for (int64_t c = 0; c < k; c++) cpt[r * k + c] /= s;
                else cpt[r] = lm_rng_uniform(&rng);
            }
            lm_err err = LM_ERR_INIT;
            lm_bnet *next = lm_bnet_add(net, names[i], par, np, cpt, rows, k, &err);
            if (!next) fail_msg("%s", err.msg);
            lm_obj_release((lm_obj *)net);
            net = next;
        }
        lm_err err = LM_ERR_INIT;
        lm_tensor *J = lm_bnet_joint(net, &err);
        assert_non_null(J);
        int64_t rows = J->shape[0], cols = J->shape[1];
        double tot = 0;
        for (int64_t r = 0; r < rows; r++) tot += J->data[r * cols + nn];
        assert_true(fabs(tot - 1) < 1e-12);
        /* a query with up to two pieces of evidence */
        int64_t q = (int64_t)(lm_rng_uniform(&rng) * (double)nn), en[2], es[2], ne = 0;
        for (int e = 0; e < 2; e++) {
            int64_t v = (int64_t)(lm_rng_uniform(&rng) * (double)nn);
            if (v == q || (ne && en[0] == v)) continue;
            en[ne] = v;
            es[ne++] = (int64_t)(lm_rng_uniform(&rng) * (double)lm_bnet_states(net, v));
        }
        double out[3], want[3] = {0, 0, 0}, z = 0;
        for (int64_t r = 0; r < rows; r++) {
            const double *row = J->data + r * cols;
            bool ok = true;
            for (int64_t e = 0; e < ne; e++) {
                int64_t st = lm_bnet_states(net, en[e]) == 2 ? (int64_t)row[en[e]] : (int64_t)row[en[e]] - 1;
                ok &= st == es[e];
            }
            if (!ok) continue;
            int64_t sq = lm_bnet_states(net, q) == 2 ? (int64_t)row[q] : (int64_t)row[q] - 1;
            want[sq] += row[nn];
            z += row[nn];
        }
        assert_int_equal(lm_bnet_query(net, q, en, es, ne, out, &err), LM_OK);
        for (int64_t s2 = 0; s2 < lm_bnet_states(net, q); s2++) assert_true(fabs(out[s2] - want[s2] / z) < 1e-12);
        lm_tensor_release(J);
        lm_obj_release((lm_obj *)net);
    }
}

static void test_bnet_errors(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_bnet *net = lm_bnet_new();
    double p = 0.2;
    lm_bnet *a = lm_bnet_add(net, "A", NULL, 0, &p, 1, 1, &err);
    assert_non_null(a);
    const char *par[1] = {"A"};
    double bad[4] = {0.5, 0.6, 0.2, 0.8};
    assert_null(lm_bnet_add(a, "B", par, 1, bad, 2, 2, &err));
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "row 1 of the table of B (A = false) sums to 1.1, not 1"));
    lm_err_clear(&err);
    assert_null(lm_bnet_add(a, "A", NULL, 0, &p, 1, 1, &err));
    assert_non_null(strstr(err.msg, "already has a node named A"));
    lm_err_clear(&err);
    const char *self[1] = {"C"};
    assert_null(lm_bnet_add(a, "C", self, 1, bad, 2, 1, &err));
    assert_non_null(strstr(err.msg, "C cannot be its own parent"));
    lm_err_clear(&err);
    lm_obj_release((lm_obj *)a);
    lm_obj_release((lm_obj *)net);
}

/* ---- regression: exact data, and the conjugate updates ---- */

/* y = 3 - 2x exactly: the refined fit gives the coefficients exactly and a
 * zero residual. */
static void test_regress_exact(void **state) {
    (void)state;
    double x[6] = {1, 2, 3, 4, 5, 6}, y[6];
    for (int i = 0; i < 6; i++) y[i] = 3 - 2 * x[i];
    lm_err err = LM_ERR_INIT;
    lm_linreg *f = lm_regress(x, 6, 1, y, true, &err);
    assert_non_null(f);
    assert_true(f->coef[0] == 3 && f->coef[1] == -2);
    assert_true(f->sigma == 0 && f->r_squared == 1);
    lm_obj_release(&f->hdr);
}

static void test_posterior(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_dist *prior = lm_dist_beta(2, 3, &err);
    double kn[2] = {4, 10};
    lm_dist *post = lm_bayes_posterior(prior, LM_LIK_BINOMIAL, kn, 2, NAN, &err);
    assert_non_null(post);
    assert_true(lm_dist_fam(post) == LM_DIST_BETA && post->p[0] == 6 && post->p[1] == 9);
    double ci[2];
    assert_int_equal(lm_bayes_credible(post, 0.95, ci, &err), LM_OK);
    /* ref: R 4.2.2 qbeta(c(0.025, 0.975), 6, 9) */
    assert_true(fabs(ci[0] - 0.17661108998211789) < 1e-12 && fabs(ci[1] - 0.64861988938400850) < 1e-12);
    lm_dist *bad = lm_bayes_posterior(prior, LM_LIK_POISSON, kn, 2, NAN, &err);
    assert_null(bad);
    assert_int_equal(err.kind, LM_ERR_TYPE);
    lm_err_clear(&err);
    lm_dist_release(post);
    lm_dist_release(prior);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_regression),
        cmocka_unit_test(test_nist_anova),
        cmocka_unit_test(test_stationary_random),
        cmocka_unit_test(test_simulate_frequencies),
        cmocka_unit_test(test_markov_errors),
        cmocka_unit_test(test_hmm_bruteforce),
        cmocka_unit_test(test_bnet_bruteforce),
        cmocka_unit_test(test_bnet_errors),
        cmocka_unit_test(test_regress_exact),
        cmocka_unit_test(test_posterior),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
