/* Builtins for neural networks and data: mlp, train, predict, accuracy,
 * backprop, gradcheck (src/ad/net.c on the autodiff tape) and csv, iris,
 * moons, blobs, linear (src/ad/data.c); and the explainer behind
 * steps(backprop(net, x, y)). Options arrive as named arguments (lr = 0.01). */
#include "lang/lang_int.h"
#include "lemma/ad.h"
#include "lemma/data.h"
#include "lemma/steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- argument helpers ---- */

static lm_net *arg_net(lm_call *c, int i, lm_value *e) {
    if (i < c->nargs && lm_is_net(c->args[i])) return (lm_net *)c->args[i].u.obj;
    *e = lm_error_new(LM_ERR_TYPE, "%s: the first argument must be a network made by mlp(...)%s, not %s", c->fname,
                      !strcmp(c->fname, "predict") ? " (or a regression made by lm)" : "",
                      i < c->nargs ? lm_kind_a(c->args[i].kind) : "nothing");
    return NULL;
}

static lm_tensor *arg_matrix(lm_call *c, int i, const char *what, lm_value *e) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[i], what, &err);
    if (!t) {
        *e = lm_error_from(&err);
        return NULL;
    }
    if (t->ndim != 2) {
        lm_tensor_release(t);
        *e = lm_error_new(LM_ERR_SHAPE, "%s: %s must be a matrix (one row per sample)", c->fname, what);
        return NULL;
    }
    return t;
}

/* A string option matched against a list; *out keeps its default when absent. */
static bool opt_choice(lm_call *c, const char *name, const char *const *choices, int n, int *out, lm_value *e) {
    lm_value v = lm_call_named(c, name);
    if (lm_is_nil(v)) return true;
    if (v.kind == LM_STRING)
        for (int k = 0; k < n; k++)
            if (!strcmp(lm_string_data(v), choices[k])) {
                *out = k;
                return true;
            }
    lm_buf b = LM_BUF_INIT;
    for (int k = 0; k < n; k++) lm_buf_printf(&b, "%s\"%s\"", k ? ", " : "", choices[k]);
    *e = lm_error_new(LM_ERR_DOMAIN, "%s: %s must be one of %s", c->fname, name, lm_buf_cstr(&b));
    lm_buf_free(&b);
    return false;
}

static const char *const loss_names[] = {"none", "mse", "bce", "ce"};

static bool opt_loss(lm_call *c, lm_loss *out, lm_value *e) {
    int k = (int)*out;
    if (!opt_choice(c, "loss", loss_names, 4, &k, e)) return false;
    *out = (lm_loss)k;
    return true;
}

/* `seed = k` gives a private generator so that the result does not depend on
 * what ran before; without it the session's generator (seed(k)) is used. */
static bool opt_rng(lm_call *c, lm_rng *local, lm_rng **rng, lm_value *e) {
    double s = NAN;
    if (!lm_opt_double(c, "seed", &s, e)) return false;
    if (isnan(s)) {
        *rng = &c->ctx->rng;
        return true;
    }
    if (s != floor(s) || s < 0 || s > 9e15) {
        *e = lm_error_new(LM_ERR_DOMAIN, "%s: seed must be a whole number >= 0, not %g", c->fname, s);
        return false;
    }
    lm_rng_seed(local, (uint64_t)s);
    *rng = local;
    return true;
}

static bool opt_count(lm_call *c, const char *name, int64_t min, int64_t *out, lm_value *e) {
    double d = (double)*out;
    if (!lm_opt_double(c, name, &d, e)) return false;
    if (d != floor(d) || d < (double)min || d > 1e12) {
        *e = lm_error_new(LM_ERR_DOMAIN, "%s: %s must be a whole number >= %lld, not %g", c->fname, name, (long long)min, d);
        return false;
    }
    *out = (int64_t)d;
    return true;
}

/* ---- networks ---- */

static lm_value b_mlp(lm_call *c) {
    lm_value e = lm_nil();
    lm_tensor *s = arg_matrix(c, 0, "the layer sizes", &e);
    if (!s) return e;
    int64_t sizes[LM_NET_MAX_LAYERS + 1];
    int ns = 0;
    if (s->size > LM_NET_MAX_LAYERS + 1 || s->size < 2) {
        lm_tensor_release(s);
        return lm_error_new(LM_ERR_SHAPE, "mlp: give between 2 and %d layer sizes, as in mlp([2, 16, 1])", LM_NET_MAX_LAYERS + 1);
    }
    for (int64_t k = 0; k < s->size; k++) {
        double v = s->data[lm_tensor_offset(s, k)];
        if (v != floor(v) || v < 1 || v > 100000) {
            lm_tensor_release(s);
            return lm_error_new(LM_ERR_DOMAIN, "mlp: layer sizes must be whole numbers from 1 to 100000, not %g", v);
        }
        sizes[ns++] = (int64_t)v;
    }
    lm_tensor_release(s);
    static const char *const acts[] = {"tanh", "relu", "sigmoid", "identity"};
    int act = LM_ACT_TANH;
    if (c->nargs > 1) {
        bool ok = c->args[1].kind == LM_STRING;
        if (ok) {
            ok = false;
            for (int k = 0; k < 4; k++)
                if (!strcmp(lm_string_data(c->args[1]), acts[k])) act = k, ok = true;
        }
        if (!ok) return lm_error_new(LM_ERR_DOMAIN, "mlp: the activation must be \"tanh\", \"relu\", \"sigmoid\" or \"identity\"");
    }
    lm_rng local, *rng;
    if (!opt_rng(c, &local, &rng, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_net *n = lm_net_new(ns, sizes, (lm_act)act, rng, &err);
    return n ? lm_obj_value(&n->hdr) : lm_error_from(&err);
}

typedef struct progress_state {
    lm_ctx *ctx;
    bool tty;
    double last;
    bool drawn;
} progress_state;

/* Polls for Ctrl-C and the time limit every epoch; on a terminal, redraws a bar
 * at most ten times a second (and clears it at the end). */
static lm_status progress(void *ud, int64_t ep, int64_t total, double loss, lm_err *err) {
    progress_state *p = ud;
    if (lm_ctx_poll(p->ctx, err)) return err->kind;
    if (!p->tty) return LM_OK;
    double now = lm_now();
    if (now - p->last < 0.1 && ep < total) return LM_OK;
    p->last = now;
    int w = 30, fill = total ? (int)((double)w * (double)ep / (double)total) : w;
    char bar[64];
    for (int k = 0; k < w; k++) bar[k] = k < fill ? '#' : '.';
    bar[w] = '\0';
    fprintf(stdout, "\r  training [%s] epoch %lld/%lld  loss %.5g\033[K", bar, (long long)ep, (long long)total, loss);
    fflush(stdout);
    p->drawn = true;
    return LM_OK;
}

static lm_value b_train(lm_call *c) {
    lm_value e = lm_nil();
    lm_net *n0 = arg_net(c, 0, &e);
    if (!n0) return e;
    lm_train_opts o;
    lm_train_opts_default(&o);
    static const char *const optims[] = {"sgd", "momentum", "adam"};
    int optim = LM_OPTIM_ADAM;
    lm_rng local, *rng;
    if (!opt_loss(c, &o.loss, &e) || !opt_choice(c, "optimizer", optims, 3, &optim, &e) ||
        !lm_opt_double(c, "lr", &o.lr, &e) || !opt_count(c, "epochs", 0, &o.epochs, &e) ||
        !opt_count(c, "batch", 0, &o.batch, &e) || !lm_opt_double(c, "momentum", &o.momentum, &e) ||
        !opt_rng(c, &local, &rng, &e))
        return e;
    o.optim = (lm_optim)optim;
    if (o.epochs > 10000000) return lm_error_new(LM_ERR_LIMIT, "train: epochs = %lld is more than 10 million", (long long)o.epochs);
    lm_tensor *X = arg_matrix(c, 1, "X", &e);
    if (!X) return e;
    lm_tensor *y = arg_matrix(c, 2, "y", &e);
    if (!y) {
        lm_tensor_release(X);
        return e;
    }
    progress_state ps = {c->ctx, isatty(1) != 0, 0, false};
    o.progress = progress;
    o.ud = &ps;
    lm_err err = LM_ERR_INIT;
    lm_net *n = lm_net_copy(n0); /* values are immutable: train returns a new network */
    lm_tensor *losses = lm_tensor_matrix(o.epochs, 1, &err);
    lm_status st = losses ? lm_net_train(n, X, y, &o, rng, losses->data, &err) : err.kind;
    if (ps.drawn) {
        fputs("\r\033[K", stdout);
        fflush(stdout);
    }
    lm_tensor_release(X);
    lm_tensor_release(y);
    if (st) {
        lm_obj_release(&n->hdr);
        lm_tensor_release(losses);
        return lm_error_from(&err);
    }
    if (c->nout > 1) c->extra[1] = lm_tensor_value(losses);
    else lm_tensor_release(losses);
    return lm_obj_value(&n->hdr);
}

static lm_value b_predict(lm_call *c) {
    /* predict(fit, X) of a regression lives in another table under the same
     * name: hand anything that is not a network to it. */
    if (c->nargs > 0 && c->args[0].kind == LM_OBJECT && !lm_is_net(c->args[0])) return lm_regress_predict(c);
    lm_value e = lm_nil();
    lm_net *n = arg_net(c, 0, &e);
    if (!n) return e;
    lm_tensor *X = arg_matrix(c, 1, "X", &e);
    if (!X) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *p = lm_net_predict(n, X, &err);
    lm_tensor_release(X);
    if (!p) return lm_error_from(&err);
    if (c->nout > 1) { /* the predicted class of each row */
        int64_t m = p->shape[0], k = p->shape[1];
        lm_tensor *cls = lm_tensor_matrix(m, 1, &err);
        if (!cls) {
            lm_tensor_release(p);
            return lm_error_from(&err);
        }
        for (int64_t i = 0; i < m; i++) {
            const double *r = p->data + i * k;
            if (k == 1) cls->data[i] = n->loss == LM_LOSS_BCE ? (r[0] > 0.5 ? 1 : 0) : round(r[0]);
            else {
                int64_t best = 0;
                for (int64_t j = 1; j < k; j++)
                    if (r[j] > r[best]) best = j;
                cls->data[i] = (double)best + 1;
            }
        }
        c->extra[1] = lm_narrow(lm_tensor_value(cls));
    }
    return lm_narrow(lm_tensor_value(p));
}

/* net, X, y and the loss option shared by accuracy, gradcheck and backprop. */
static bool net_xy(lm_call *c, lm_net **n, lm_tensor **X, lm_tensor **y, lm_loss *loss, lm_value *e) {
    *n = arg_net(c, 0, e);
    if (!*n) return false;
    *loss = LM_LOSS_NONE;
    if (!opt_loss(c, loss, e)) return false;
    *X = arg_matrix(c, 1, "X", e);
    if (!*X) return false;
    *y = arg_matrix(c, 2, "y", e);
    if (!*y) {
        lm_tensor_release(*X);
        return false;
    }
    if (*loss == LM_LOSS_NONE) *loss = (*n)->loss != LM_LOSS_NONE ? (*n)->loss : lm_net_default_loss(*n, *y);
    return true;
}

static lm_value b_accuracy(lm_call *c) {
    lm_net *n;
    lm_tensor *X, *y;
    lm_loss loss;
    lm_value e = lm_nil();
    if (!net_xy(c, &n, &X, &y, &loss, &e)) return e;
    lm_err err = LM_ERR_INIT;
    double acc = 0;
    lm_status st = lm_net_accuracy(n, loss, X, y, &acc, &err);
    lm_tensor_release(X);
    lm_tensor_release(y);
    return st ? lm_error_from(&err) : lm_num(acc);
}

static lm_value b_gradcheck(lm_call *c) {
    lm_net *n;
    lm_tensor *X, *y;
    lm_loss loss;
    lm_value e = lm_nil();
    if (!net_xy(c, &n, &X, &y, &loss, &e)) return e;
    lm_err err = LM_ERR_INIT;
    double rel = 0;
    int64_t worst = 0;
    lm_status st = lm_net_gradcheck(n, loss, X, y, &rel, &worst, &err);
    lm_tensor_release(X);
    lm_tensor_release(y);
    if (st) return lm_error_from(&err);
    if (c->nout > 1) c->extra[1] = lm_num((double)worst + 1);
    return lm_num(rel);
}

static lm_value b_backprop(lm_call *c) {
    lm_net *n;
    lm_tensor *X, *y;
    lm_loss loss;
    lm_value e = lm_nil();
    if (!net_xy(c, &n, &X, &y, &loss, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *g = lm_tensor_matrix(n->nparams, 1, &err);
    double L = 0;
    lm_status st = g ? lm_net_loss_grad(n, loss, X, y, &L, g->data, &err) : err.kind;
    lm_tensor_release(X);
    lm_tensor_release(y);
    if (st) {
        lm_tensor_release(g);
        return lm_error_from(&err);
    }
    if (c->nout > 1) c->extra[1] = lm_num(L);
    return lm_narrow(lm_tensor_value(g));
}

static lm_value x_backprop(lm_call *c) {
    lm_net *n;
    lm_tensor *X, *y;
    lm_loss loss;
    lm_value e = lm_nil();
    if (!net_xy(c, &n, &X, &y, &loss, &e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_obj *s = lm_net_backprop_steps(n, loss, X, y, &err);
    lm_tensor_release(X);
    lm_tensor_release(y);
    return s ? lm_obj_value(s) : lm_error_from(&err);
}

/* ---- data ---- */

static lm_value b_csv(lm_call *c) {
    if (lm_session_sandboxed(c->s))
        return lm_error_new(LM_ERR_IO, "csv: reading files is turned off in the web workbench, because it would read the "
                                       "server's disk; use csv in the lemma REPL, or type the data as a matrix");
    if (c->args[0].kind != LM_STRING) return lm_error_new(LM_ERR_TYPE, "csv: the file name must be a string, as in csv(\"data.csv\")");
    lm_err err = LM_ERR_INIT;
    char **names = NULL;
    int64_t nc = 0;
    lm_tensor *X = lm_data_csv(lm_string_data(c->args[0]), c->nout > 1 ? &names : NULL, &nc, &err);
    if (!X) return lm_error_from(&err);
    if (c->nout > 1) {
        lm_buf b = LM_BUF_INIT;
        for (int64_t j = 0; j < nc; j++) lm_buf_printf(&b, "%s%s", j ? "," : "", names[j]);
        c->extra[1] = lm_string_new(lm_buf_cstr(&b), b.len);
        lm_buf_free(&b);
        lm_data_names_free(names, nc);
    }
    return lm_tensor_value(X);
}

static lm_value b_iris(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *X, *y;
    if (lm_data_iris(&X, &y, &err)) return lm_error_from(&err);
    if (c->nout > 1) c->extra[1] = lm_tensor_value(y);
    else lm_tensor_release(y);
    return lm_tensor_value(X);
}

/* X first, the rest into extra (each +1). */
static lm_value results(lm_call *c, int n, lm_tensor **t) {
    for (int k = 1; k < n; k++) {
        if (k < c->nout) c->extra[k] = lm_tensor_value(t[k]);
        else lm_tensor_release(t[k]);
    }
    return lm_tensor_value(t[0]);
}

static lm_value b_moons(lm_call *c) {
    lm_value e = lm_nil();
    int64_t n;
    double noise = 0.1;
    lm_rng local, *rng;
    if (!lm_arg_int(c, 0, "n", 1, &n, &e) || !lm_opt_double(c, "noise", &noise, &e) || !opt_rng(c, &local, &rng, &e))
        return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t[2];
    if (lm_data_moons(n, noise, rng, &t[0], &t[1], &err)) return lm_error_from(&err);
    return results(c, 2, t);
}

static lm_value b_blobs(lm_call *c) {
    lm_value e = lm_nil();
    int64_t n, k = 3, d = 2;
    double sd = 1, box = 10;
    lm_rng local, *rng;
    if (!lm_arg_int(c, 0, "n", 1, &n, &e) || (c->nargs > 1 && !lm_arg_int(c, 1, "k", 1, &k, &e)) ||
        !opt_count(c, "dims", 1, &d, &e) || !lm_opt_double(c, "sd", &sd, &e) || !lm_opt_double(c, "box", &box, &e) ||
        !opt_rng(c, &local, &rng, &e))
        return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t[3];
    if (lm_data_blobs(n, k, d, sd, box, rng, &t[0], &t[1], &t[2], &err)) return lm_error_from(&err);
    return results(c, 3, t);
}

static lm_value b_linear(lm_call *c) {
    lm_value e = lm_nil();
    int64_t n, d = 1;
    double noise = 0.1;
    lm_rng local, *rng;
    if (!lm_arg_int(c, 0, "n", 1, &n, &e) || (c->nargs > 1 && !lm_arg_int(c, 1, "d", 1, &d, &e)) ||
        !lm_opt_double(c, "noise", &noise, &e) || !opt_rng(c, &local, &rng, &e))
        return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t[3];
    if (lm_data_linear(n, d, noise, rng, &t[0], &t[1], &t[2], &err)) return lm_error_from(&err);
    return results(c, 3, t);
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_ad[] = {
    B("accuracy", b_accuracy, 3, 3, 1, "accuracy(net, X, y, loss = ...)",
      "the fraction of samples a network classifies right (0/1 labels: output > 0.5; labels 1..K: the largest output)",
      "[X, y] = moons(100, seed = 1); net = train(mlp([2, 8, 1], seed = 1), X, y, epochs = 200); accuracy(net, X, y)"),
    B("backprop", b_backprop, 3, 3, 2, "backprop(net, X, y, loss = ...), [g, L] = backprop(...)",
      "the gradient of the loss with respect to every parameter (W1, b1, W2, ... in order) by backpropagation; steps(backprop(...)) shows the chain rule",
      "net = mlp([2, 2, 1], seed = 1); steps(backprop(net, [1 2], 1, loss = \"mse\"))"),
    B("blobs", b_blobs, 1, 2, 3, "blobs(n, k = 3, sd = 1, dims = 2, box = 10, seed = ...), [X, y, C] = blobs(...)",
      "n points in k Gaussian clusters (labels 1..k; C the centres), reproducible with seed",
      "[X, y] = blobs(90, 3, seed = 1); size(X)"),
    B("csv", b_csv, 1, 1, 2, "csv(\"file.csv\"), [X, names] = csv(...)",
      "read a numeric CSV file with a header row (relative to the current directory); names: the header",
      "[X, names] = csv(\"data/iris.csv\"); size(X)"),
    B("gradcheck", b_gradcheck, 3, 3, 2, "gradcheck(net, X, y, loss = ...), [err, k] = gradcheck(...)",
      "compare backpropagation with central finite differences: the largest relative error (and at which parameter)",
      "[X, y] = moons(20, seed = 1); gradcheck(mlp([2, 4, 1], seed = 1), X, y) < 1e-6"),
    B("iris", b_iris, 0, 0, 2, "iris(), [X, y] = iris()",
      "Fisher's Iris data: X 150×4 (sepal length, sepal width, petal length, petal width in cm), y species 1..3",
      "[X, y] = iris(); mean(X(y == 1, :))"),
    B("linear", b_linear, 1, 2, 3, "linear(n, d = 1, noise = 0.1, seed = ...), [X, y, w] = linear(...)",
      "n samples of y = w(1) + X·w(2:end) + noise with X uniform in [-1, 1] (w the true coefficients)",
      "[X, y, w] = linear(50, seed = 1); w"),
    B("mlp", b_mlp, 1, 2, 1, "mlp([inputs, hidden..., outputs], \"tanh\", seed = ...)",
      "a multilayer perceptron (activations tanh, relu, sigmoid, identity; linear output) with Xavier/He random weights",
      "net = mlp([2, 16, 16, 1], \"tanh\", seed = 1)"),
    B("moons", b_moons, 1, 1, 2, "moons(n, noise = 0.1, seed = ...), [X, y] = moons(...)",
      "two interleaving half circles, labels 0 and 1: a data set no straight line separates",
      "[X, y] = moons(200, noise = 0.1, seed = 1); size(X)"),
    B("predict", b_predict, 2, 2, 2, "predict(net, X), [p, class] = predict(net, X), predict(fit, X)",
      "the network's output for each row of X: probabilities after training with bce or ce; class: the predicted label",
      "[X, y] = moons(50, seed = 1); net = train(mlp([2, 8, 1], seed = 1), X, y); predict(net, [0 0.5])"),
    B("train", b_train, 3, 3, 2,
      "train(net, X, y, loss = \"bce\", optimizer = \"adam\", lr = 0.01, epochs = 100, batch = 0, seed = ...), [net, losses] = train(...)",
      "fit a network by gradient descent (sgd, momentum, adam; batch 0 = the whole data set); losses: the mean loss of each epoch, in nats",
      "[X, y] = moons(200, seed = 1); [net, L] = train(mlp([2, 16, 16, 1], seed = 1), X, y, epochs = 300); L(end)"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};

const lm_explainer lm_explain_ad[] = {
    {"backprop", x_backprop, 3, 3},
    {NULL, NULL, 0, 0},
};
