/* Unit tests for reverse-mode autodiff (src/ad/tape.c), networks (net.c,
 * backprop.c) and data (data.c, iris.c): every tape op against central finite
 * differences, the tape's memory flat over many steps, the accuracy
 * targets on moons and Iris, the Iris means against the published values
 * (Fisher 1936: setosa sepal length 5.006, ...), and seeded reproducibility. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/ad.h"
#include "lemma/data.h"
#include "lemma/lang.h"
#include "lemma/steps.h"

#define assert_close(x, ref, tol) close_((x), (ref), (tol), #x, __FILE__, __LINE__)

static void close_(double x, double ref, double tol, const char *what, const char *file, int line) {
    if (fabs(x - ref) <= tol) return;
    print_error("%s = %.17g, expected %.17g (within %g)\n", what, x, ref, tol);
    _fail(file, line);
}

/* ---- every op against finite differences ---- */

typedef struct opcase {
    const char *name;
    int kind;        /* 0 binary, 1 unary, 2 pow, 3 loss */
    lm_ad_op op;
    int64_t ra, ca, rb, cb;
    double p;
    int domain;      /* 0 any, 1 positive, 2 away from 0 (relu), 3 0/1 labels, 4 class labels */
} opcase;

/* L = sum(op(A, B) .* R) for a fixed random R: a scalar whose gradient reaches
 * every element of the op's adjoint. */
static double eval_case(lm_ad_tape *t, const opcase *c, const double *A, double *gA, const double *B, double *gB,
                        const double *R, bool backward) {
    lm_err err = LM_ERR_INIT;
    lm_ad_reset(t);
    lm_ad_id a = lm_ad_leaf(t, c->ra, c->ca, A, gA);
    lm_ad_id b = c->kind == 0 || c->kind == 3 ? lm_ad_leaf(t, c->rb, c->cb, B, gB) : -1;
    lm_ad_id o;
    switch (c->kind) {
    case 0: o = lm_ad_binary(t, c->op, a, b, &err); break;
    case 1: o = lm_ad_unary(t, c->op, a, &err); break;
    case 2: o = lm_ad_pow(t, a, c->p, &err); break;
    default: o = lm_ad_loss(t, c->op, a, b, &err); break;
    }
    assert_true(o >= 0);
    int64_t r, cc;
    lm_ad_value(t, o, &r, &cc);
    lm_ad_id Rn = lm_ad_leaf(t, r, cc, R, NULL);
    lm_ad_id L = lm_ad_unary(t, LM_AD_SUM, lm_ad_binary(t, LM_AD_MUL, o, Rn, &err), &err);
    assert_true(L >= 0);
    if (backward) assert_int_equal(lm_ad_backward(t, L, &err), LM_OK);
    lm_err_clear(&err);
    return lm_ad_value(t, L, NULL, NULL)[0];
}

static void fill(lm_rng *g, double *v, int64_t n, int domain, int64_t classes) {
    for (int64_t k = 0; k < n; k++) {
        double u = lm_rng_normal(g);
        switch (domain) {
        case 1: v[k] = 0.5 + fabs(u); break;
        case 2: v[k] = (u < 0 ? -0.2 : 0.2) + u; break;
        case 3: v[k] = lm_rng_uniform(g) < 0.5 ? 0 : 1; break;
        case 4: v[k] = floor(lm_rng_uniform(g) * (double)classes); break;
        default: v[k] = u; break;
        }
    }
}

static void check_case(const opcase *c) {
    lm_rng g;
    lm_rng_seed(&g, 7);
    int64_t na = c->ra * c->ca, nb = c->rb * c->cb;
    double A[64], B[64], gA[64], gB[64], R[64];
    fill(&g, A, na, c->domain == 3 || c->domain == 4 ? 0 : c->domain, 0);
    fill(&g, B, nb, c->kind == 3 ? c->domain : c->op == LM_AD_DIV ? 1 : 0, c->ca);
    if (c->op == LM_AD_DIV) /* keep the divisor away from 0 */
        for (int64_t k = 0; k < nb; k++) B[k] = 0.5 + fabs(B[k]);
    fill(&g, R, 64, 0, 0);
    memset(gA, 0, sizeof gA);
    memset(gB, 0, sizeof gB);
    bool b_param = c->kind == 0 || (c->kind == 3 && c->op == LM_AD_MSE);
    lm_ad_tape *t = lm_ad_tape_new();
    eval_case(t, c, A, gA, B, b_param ? gB : NULL, R, true);
    double worst = 0;
    for (int side = 0; side < (b_param ? 2 : 1); side++) {
        double *v = side ? B : A, *gv = side ? gB : gA;
        for (int64_t k = 0; k < (side ? nb : na); k++) {
            double keep = v[k], h = 1e-6;
            v[k] = keep + h;
            double lp = eval_case(t, c, A, NULL, B, NULL, R, false);
            v[k] = keep - h;
            double lm = eval_case(t, c, A, NULL, B, NULL, R, false);
            v[k] = keep;
            double fd = (lp - lm) / (2 * h), err = fabs(fd - gv[k]) / (fabs(fd) + fabs(gv[k]) + 1e-7);
            if (err > worst) worst = err;
        }
    }
    lm_ad_tape_free(t);
    if (worst > 1e-6) {
        print_error("op %s: backprop and finite differences differ by %g (relative)\n", c->name, worst);
        fail();
    }
}

static void test_ops_gradcheck(void **state) {
    (void)state;
    static const opcase cases[] = {
        {"add", 0, LM_AD_ADD, 3, 4, 3, 4, 0, 0},
        {"add row", 0, LM_AD_ADD, 3, 4, 1, 4, 0, 0},
        {"add column", 0, LM_AD_ADD, 3, 4, 3, 1, 0, 0},
        {"add scalar", 0, LM_AD_ADD, 1, 1, 3, 4, 0, 0},
        {"sub", 0, LM_AD_SUB, 3, 4, 3, 4, 0, 0},
        {"sub row", 0, LM_AD_SUB, 3, 4, 1, 4, 0, 0},
        {"sub column first", 0, LM_AD_SUB, 3, 1, 3, 4, 0, 0},
        {"mul", 0, LM_AD_MUL, 3, 4, 3, 4, 0, 0},
        {"mul row", 0, LM_AD_MUL, 3, 4, 1, 4, 0, 0},
        {"mul outer", 0, LM_AD_MUL, 3, 1, 1, 4, 0, 0},
        {"div", 0, LM_AD_DIV, 3, 4, 3, 4, 0, 0},
        {"div column", 0, LM_AD_DIV, 3, 4, 3, 1, 0, 0},
        {"matmul", 0, LM_AD_MATMUL, 3, 4, 4, 2, 0, 0},
        {"matvec", 0, LM_AD_MATMUL, 3, 4, 4, 1, 0, 0},
        {"pow 2", 2, LM_AD_POW, 3, 4, 0, 0, 2, 0},
        {"pow 2.5", 2, LM_AD_POW, 3, 4, 0, 0, 2.5, 1},
        {"pow -1", 2, LM_AD_POW, 3, 4, 0, 0, -1, 1},
        {"exp", 1, LM_AD_EXP, 3, 4, 0, 0, 0, 0},
        {"log", 1, LM_AD_LOG, 3, 4, 0, 0, 0, 1},
        {"tanh", 1, LM_AD_TANH, 3, 4, 0, 0, 0, 0},
        {"sigmoid", 1, LM_AD_SIGMOID, 3, 4, 0, 0, 0, 0},
        {"relu", 1, LM_AD_RELU, 3, 4, 0, 0, 0, 2},
        {"softmax", 1, LM_AD_SOFTMAX, 3, 4, 0, 0, 0, 0},
        {"logsoftmax", 1, LM_AD_LOGSOFTMAX, 3, 4, 0, 0, 0, 0},
        {"sum", 1, LM_AD_SUM, 3, 4, 0, 0, 0, 0},
        {"mean", 1, LM_AD_MEAN, 3, 4, 0, 0, 0, 0},
        {"mse", 3, LM_AD_MSE, 3, 4, 3, 4, 0, 0},
        {"bce logits", 3, LM_AD_BCE_LOGITS, 5, 1, 5, 1, 0, 3},
        {"ce logits", 3, LM_AD_CE_LOGITS, 5, 3, 5, 1, 0, 4},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

static void test_stable_losses(void **state) {
    (void)state;
    /* ref: BCE of logit z = 800 with label 0 is softplus(800) = 800 exactly (log1p(e^-800) = 0 in doubles);
     * CE of logits [1000 0] with label 2 is 1000 (log-sum-exp); naive formulas give inf or nan */
    lm_ad_tape *t = lm_ad_tape_new();
    lm_err err = LM_ERR_INIT;
    double z[2] = {800, 0}, y0 = 0, lab = 1;
    lm_ad_id L = lm_ad_loss(t, LM_AD_BCE_LOGITS, lm_ad_leaf(t, 1, 1, z, NULL), lm_ad_leaf(t, 1, 1, &y0, NULL), &err);
    assert_close(lm_ad_value(t, L, NULL, NULL)[0], 800, 0);
    double zc[2] = {1000, 0};
    L = lm_ad_loss(t, LM_AD_CE_LOGITS, lm_ad_leaf(t, 1, 2, zc, NULL), lm_ad_leaf(t, 1, 1, &lab, NULL), &err);
    assert_close(lm_ad_value(t, L, NULL, NULL)[0], 1000, 0);
    /* ref: log-softmax of [1000 0] = [0 -1000] */
    lm_ad_id ls = lm_ad_unary(t, LM_AD_LOGSOFTMAX, lm_ad_leaf(t, 1, 2, zc, NULL), &err);
    assert_close(lm_ad_value(t, ls, NULL, NULL)[1], -1000, 0);
    /* a shape error names both shapes */
    double a[6] = {0};
    lm_ad_id bad = lm_ad_binary(t, LM_AD_ADD, lm_ad_leaf(t, 2, 3, a, NULL), lm_ad_leaf(t, 3, 2, a, NULL), &err);
    assert_true(bad < 0);
    assert_int_equal(err.kind, LM_ERR_SHAPE);
    assert_non_null(strstr(err.msg, "2×3"));
    lm_err_clear(&err);
    lm_ad_tape_free(t);
}

static void test_own_tanh_exp(void **state) {
    (void)state;
    double wt = 0, we = 0;
    for (int i = -200000; i <= 200000; i++) {
        double x = i * 1e-4;
        double rt = tanh(x) ? fabs(lm_ad_tanh(x) - tanh(x)) / fabs(tanh(x)) : fabs(lm_ad_tanh(x));
        double re = fabs(lm_ad_exp(x * 30) - exp(x * 30)) / exp(x * 30);
        wt = rt > wt ? rt : wt;
        we = re > we ? re : we;
    }
    assert_true(wt < 2e-15);
    assert_true(we < 2e-15);
    assert_close(lm_ad_tanh(1e-300), 1e-300, 1e-315);
    assert_close(lm_ad_tanh(-40), -1, 0);
}

/* ---- networks ---- */

static lm_net *make_net(int n, const int64_t *sizes, lm_act act, uint64_t seed) {
    lm_rng g;
    lm_rng_seed(&g, seed);
    lm_err err = LM_ERR_INIT;
    lm_net *net = lm_net_new(n, sizes, act, &g, &err);
    assert_non_null(net);
    return net;
}

static void test_moons_accuracy(void **state) {
    (void)state;
    lm_rng g;
    lm_rng_seed(&g, 1);
    lm_err err = LM_ERR_INIT;
    lm_tensor *X, *y;
    assert_int_equal(lm_data_moons(200, 0.1, &g, &X, &y, &err), LM_OK);
    int64_t sizes[] = {2, 16, 16, 1};
    lm_net *net = make_net(4, sizes, LM_ACT_TANH, 1);
    lm_train_opts o;
    lm_train_opts_default(&o);
    o.loss = LM_LOSS_BCE;
    o.lr = 0.01;
    o.epochs = 500;
    double losses[500];
    assert_int_equal(lm_net_train(net, X, y, &o, &g, losses, &err), LM_OK);
    assert_true(losses[499] < losses[0]);
    double acc;
    assert_int_equal(lm_net_accuracy(net, LM_LOSS_NONE, X, y, &acc, &err), LM_OK);
    assert_true(acc >= 0.97);
    double rel;
    int64_t worst;
    assert_int_equal(lm_net_gradcheck(net, LM_LOSS_BCE, X, y, &rel, &worst, &err), LM_OK);
    assert_true(rel < 1e-3); /* a trained network: tiny gradients, finite differences at their noise floor */
    lm_obj_release(&net->hdr);
    lm_tensor_release(X);
    lm_tensor_release(y);
}

static void test_gradcheck_untrained(void **state) {
    (void)state;
    lm_rng g;
    lm_rng_seed(&g, 3);
    lm_err err = LM_ERR_INIT;
    lm_tensor *X, *y, *C;
    assert_int_equal(lm_data_blobs(30, 3, 2, 1.0, 5.0, &g, &X, &y, &C, &err), LM_OK);
    static const lm_act acts[] = {LM_ACT_TANH, LM_ACT_SIGMOID, LM_ACT_IDENTITY};
    int64_t sizes[] = {2, 5, 4, 3};
    for (int a = 0; a < 3; a++) {
        lm_net *net = make_net(4, sizes, acts[a], 5);
        double rel;
        int64_t worst;
        assert_int_equal(lm_net_gradcheck(net, LM_LOSS_CE, X, y, &rel, &worst, &err), LM_OK);
        assert_true(rel < 1e-6);
        lm_obj_release(&net->hdr);
    }
    lm_tensor_release(X);
    lm_tensor_release(y);
    lm_tensor_release(C);
}

static void test_tape_memory_flat(void **state) {
    (void)state;
    /* the same graph recorded again and again reuses the tape's memory */
    lm_rng g;
    lm_rng_seed(&g, 2);
    int64_t sizes[] = {2, 16, 16, 1};
    lm_net *net = make_net(4, sizes, LM_ACT_TANH, 1);
    double x[400], y[200], grad[337];
    for (int k = 0; k < 400; k++) x[k] = lm_rng_normal(&g);
    for (int k = 0; k < 200; k++) y[k] = k % 2;
    lm_ad_tape *t = lm_ad_tape_new();
    lm_err err = LM_ERR_INIT;
    size_t after1 = 0;
    for (int step = 0; step < 1000; step++) {
        lm_ad_reset(t);
        lm_ad_id a = lm_ad_leaf(t, 200, 2, x, NULL);
        for (int l = 0; l < 3; l++) {
            lm_ad_id W = lm_ad_leaf(t, sizes[l], sizes[l + 1], net->theta + lm_net_w_offset(net, l), grad + lm_net_w_offset(net, l));
            lm_ad_id b = lm_ad_leaf(t, 1, sizes[l + 1], net->theta + lm_net_b_offset(net, l), grad + lm_net_b_offset(net, l));
            a = lm_ad_binary(t, LM_AD_ADD, lm_ad_binary(t, LM_AD_MATMUL, a, W, &err), b, &err);
            if (l < 2) a = lm_ad_unary(t, LM_AD_TANH, a, &err);
        }
        lm_ad_id L = lm_ad_loss(t, LM_AD_BCE_LOGITS, a, lm_ad_leaf(t, 200, 1, y, NULL), &err);
        memset(grad, 0, sizeof grad);
        assert_int_equal(lm_ad_backward(t, L, &err), LM_OK);
        if (step == 0) after1 = lm_ad_bytes(t);
    }
    assert_int_equal(lm_ad_bytes(t), after1);
    lm_ad_tape_free(t);
    lm_obj_release(&net->hdr);
}

static void test_optimizers_and_batches(void **state) {
    (void)state;
    lm_rng g;
    lm_rng_seed(&g, 4);
    lm_err err = LM_ERR_INIT;
    lm_tensor *X, *y, *w;
    assert_int_equal(lm_data_linear(100, 2, 0.01, &g, &X, &y, &w, &err), LM_OK);
    int64_t sizes[] = {2, 1};
    for (int opt = 0; opt < 3; opt++)
        for (int batch = 0; batch <= 16; batch += 16) {
            lm_net *net = make_net(2, sizes, LM_ACT_IDENTITY, 9);
            lm_train_opts o;
            lm_train_opts_default(&o);
            o.loss = LM_LOSS_MSE;
            o.optim = (lm_optim)opt;
            o.lr = opt == LM_OPTIM_ADAM ? 0.05 : 0.1;
            o.epochs = 400;
            o.batch = batch;
            assert_int_equal(lm_net_train(net, X, y, &o, &g, NULL, &err), LM_OK);
            /* a linear network recovers y = w0 + X·w (ref: the generator's own w, noise 0.01) */
            assert_close(net->theta[0], w->data[1], 0.02);
            assert_close(net->theta[1], w->data[2], 0.02);
            assert_close(net->theta[2], w->data[0], 0.02);
            lm_obj_release(&net->hdr);
        }
    lm_tensor_release(X);
    lm_tensor_release(y);
    lm_tensor_release(w);
}

static void test_backprop_steps_matches_tape(void **state) {
    (void)state;
    int64_t sizes[] = {2, 2, 1};
    lm_net *net = make_net(3, sizes, LM_ACT_TANH, 1);
    lm_err err = LM_ERR_INIT;
    lm_tensor *x = lm_tensor_matrix(1, 2, &err), *y = lm_tensor_matrix(1, 1, &err);
    x->data[0] = 1;
    x->data[1] = -2;
    y->data[0] = 1;
    for (int loss = LM_LOSS_MSE; loss <= LM_LOSS_BCE; loss++) {
        lm_obj *s = lm_net_backprop_steps(net, (lm_loss)loss, x, y, &err);
        assert_non_null(s);
        lm_steps *st = (lm_steps *)s;
        assert_true(st->n >= 5);
        double g[9], L;
        assert_int_equal(lm_net_loss_grad(net, (lm_loss)loss, x, y, &L, g, &err), LM_OK);
        lm_tensor *r = lm_tensor_of(st->result);
        for (int k = 0; k < 9; k++) assert_close(r->data[k], g[k], 1e-12 * (1 + fabs(g[k])));
        lm_obj_release(s);
    }
    lm_tensor_release(x);
    lm_tensor_release(y);
    lm_obj_release(&net->hdr);
}

/* ---- data ---- */

static void test_iris_means(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    lm_tensor *X, *y;
    assert_int_equal(lm_data_iris(&X, &y, &err), LM_OK);
    /* ref: Fisher (1936) / R datasets::iris, colMeans by species */
    static const double ref[3][4] = {{5.006, 3.428, 1.462, 0.246}, {5.936, 2.770, 4.260, 1.326}, {6.588, 2.974, 5.552, 2.026}};
    for (int s = 0; s < 3; s++)
        for (int j = 0; j < 4; j++) {
            double sum = 0;
            int cnt = 0;
            for (int i = 0; i < 150; i++)
                if (y->data[i] == s + 1) sum += X->data[i * 4 + j], cnt++;
            assert_int_equal(cnt, 50);
            assert_close(sum / 50, ref[s][j], 1e-12);
        }
    /* the shipped CSV holds the same numbers */
    char path[4096];
    snprintf(path, sizeof path, "%s", __FILE__);
    char *slash = strstr(path, "tests/unit/test_ad.c");
    assert_non_null(slash);
    strcpy(slash, "data/iris.csv");
    char **names;
    int64_t nc;
    lm_tensor *C = lm_data_csv(path, &names, &nc, &err);
    assert_non_null(C);
    assert_int_equal(nc, 5);
    assert_string_equal(names[0], "sepal_length");
    assert_string_equal(names[4], "species");
    assert_int_equal(C->shape[0], 150);
    for (int i = 0; i < 150; i++) {
        for (int j = 0; j < 4; j++) assert_true(C->data[i * 5 + j] == X->data[i * 4 + j]);
        assert_true(C->data[i * 5 + 4] == y->data[i]);
    }
    lm_data_names_free(names, nc);
    lm_tensor_release(C);

    /* logistic regression (a 4–1 network) separates setosa from the rest: 100% */
    lm_tensor *yb = lm_tensor_matrix(150, 1, &err);
    for (int i = 0; i < 150; i++) yb->data[i] = y->data[i] == 1;
    int64_t sizes[] = {4, 1};
    lm_net *net = make_net(2, sizes, LM_ACT_IDENTITY, 1);
    lm_train_opts o;
    lm_train_opts_default(&o);
    o.lr = 0.1;
    o.epochs = 300;
    lm_rng g;
    lm_rng_seed(&g, 1);
    assert_int_equal(lm_net_train(net, X, yb, &o, &g, NULL, &err), LM_OK);
    assert_int_equal(net->loss, LM_LOSS_BCE);
    double acc;
    assert_int_equal(lm_net_accuracy(net, LM_LOSS_NONE, X, yb, &acc, &err), LM_OK);
    assert_true(acc == 1.0);
    lm_obj_release(&net->hdr);
    lm_tensor_release(yb);
    lm_tensor_release(X);
    lm_tensor_release(y);
}

static void test_csv_errors(void **state) {
    (void)state;
    char path[] = "/tmp/lemma_test_ad_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("a,b\r\n1,2\r\n3,x\r\n", f);
    fclose(f);
    lm_err err = LM_ERR_INIT;
    assert_null(lm_data_csv(path, NULL, NULL, &err));
    assert_int_equal(err.kind, LM_ERR_PARSE);
    assert_non_null(strstr(err.msg, "line 3, column 2"));
    lm_err_clear(&err);
    f = fopen(path, "w");
    fputs("a,\"b, c\"\n1,2\n3\n", f);
    fclose(f);
    assert_null(lm_data_csv(path, NULL, NULL, &err));
    assert_non_null(strstr(err.msg, "line 3 has 1 cell"));
    lm_err_clear(&err);
    f = fopen(path, "w");
    fputs("a,\"b, c\"\n1, 2.5\n\nNA,-3e2\n", f);
    fclose(f);
    char **names;
    int64_t nc;
    lm_tensor *X = lm_data_csv(path, &names, &nc, &err);
    assert_non_null(X);
    assert_string_equal(names[1], "b, c");
    assert_int_equal(X->shape[0], 2);
    assert_true(isnan(X->data[2]));
    assert_close(X->data[3], -300, 0);
    lm_data_names_free(names, nc);
    lm_tensor_release(X);
    remove(path);
    assert_null(lm_data_csv("/nonexistent/file.csv", NULL, NULL, &err));
    assert_int_equal(err.kind, LM_ERR_IO);
    lm_err_clear(&err);
}

static void test_seeds_reproduce(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value a = lm_eval_value(s, "[X, y] = moons(50, seed = 3); net = train(mlp([2, 4, 1], seed = 2), X, y, epochs = 20, batch = 8, seed = 5); predict(net, X(1:3, :))");
    lm_value b = lm_eval_value(s, "seed(9); rand(); [X, y] = moons(50, seed = 3); net = train(mlp([2, 4, 1], seed = 2), X, y, epochs = 20, batch = 8, seed = 5); predict(net, X(1:3, :))");
    assert_int_equal(a.kind, LM_TENSOR);
    assert_int_equal(b.kind, LM_TENSOR);
    for (int k = 0; k < 3; k++) assert_true(lm_tensor_of(a)->data[k] == lm_tensor_of(b)->data[k]);
    lm_release(a);
    lm_release(b);
    /* ref: the clean moons (noise = 0) are exact: the first point (1, 0), the last of the upper moon (-1, 0) */
    lm_value c = lm_eval_value(s, "[X, y] = moons(10, noise = 0); [X(1, :), X(5, :), y(5), y(6)]");
    assert_int_equal(c.kind, LM_TENSOR);
    const double *d = lm_tensor_of(c)->data;
    assert_close(d[0], 1, 0);
    assert_close(d[1], 0, 0);
    assert_close(d[2], -1, 1e-15);
    assert_close(d[3], 0, 1e-15);
    assert_close(d[4], 0, 0);
    assert_close(d[5], 1, 0);
    lm_release(c);
    lm_session_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ops_gradcheck),
        cmocka_unit_test(test_stable_losses),
        cmocka_unit_test(test_own_tanh_exp),
        cmocka_unit_test(test_moons_accuracy),
        cmocka_unit_test(test_gradcheck_untrained),
        cmocka_unit_test(test_tape_memory_flat),
        cmocka_unit_test(test_optimizers_and_batches),
        cmocka_unit_test(test_backprop_steps_matches_tape),
        cmocka_unit_test(test_iris_means),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_seeds_reproduce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
