/* steps(backprop(net, x, y)): backpropagation worked out for a learner on a
 * small network and one sample — the forward pass unit by unit, the loss, then
 * every local derivative and the chain-rule product that gives each weight's
 * gradient, checked against the tape and against central finite differences.
 * Notation: z_l = a_(l-1)·W_l + b_l, a_l = f(z_l), a_0 = x; δ = ∂L/∂z. */
#include "ad_int.h"

#include "lemma/steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_PARAMS 64
#define MAX_UNITS 8

/* Rotating number buffers on the caller's stack: several numbers per sentence. */
typedef struct numfmt {
    char b[24][48];
    int k;
} numfmt;

static const char *N(numfmt *f, double x) {
    char *s = f->b[f->k++ % 24];
    lm_fmt_double_sig(s, x, 5);
    return s;
}

/* x as a LaTeX number, negative ones in parentheses when they follow an operator. */
static const char *NP(numfmt *f, double x) {
    char *s = f->b[f->k++ % 24];
    char t[40];
    lm_fmt_double_sig(t, x, 5);
    if (x < 0) snprintf(s, 48, "(%s)", t);
    else snprintf(s, 48, "%s", t);
    return s;
}

static lm_value row_value(const double *v, int64_t n) {
    if (n == 1) return lm_num(v[0]);
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(1, n, &err);
    if (!t) return lm_error_from(&err);
    memcpy(t->data, v, (size_t)n * sizeof(double));
    return lm_tensor_value(t);
}

static void add_step(lm_steps *s, const char *rule, lm_value v, lm_buf *latex, lm_buf *text) {
    lm_steps_add(s, rule, v, latex->len ? lm_buf_cstr(latex) : NULL, "%s", lm_buf_cstr(text));
    lm_release(v);
    lm_buf_reset(latex);
    lm_buf_reset(text);
}

static double act_f(lm_act a, double z) {
    switch (a) {
    case LM_ACT_TANH: return lm_ad_tanh(z);
    case LM_ACT_RELU: return z > 0 ? z : 0;
    case LM_ACT_SIGMOID: return z >= 0 ? 1 / (1 + lm_ad_exp(-z)) : lm_ad_exp(z) / (1 + lm_ad_exp(z));
    default: return z;
    }
}

/* f'(z) written through a = f(z), as a learner computes it. */
static double act_d(lm_act a, double z, double av) {
    switch (a) {
    case LM_ACT_TANH: return 1 - av * av;
    case LM_ACT_RELU: return z > 0 ? 1 : 0;
    case LM_ACT_SIGMOID: return av * (1 - av);
    default: return 1;
    }
}

static const char *act_d_text(lm_act a) {
    switch (a) {
    case LM_ACT_TANH: return "tanh'(z) = 1 - tanh(z)^2 = 1 - a^2";
    case LM_ACT_RELU: return "relu'(z) = 1 when z > 0, else 0";
    case LM_ACT_SIGMOID: return "σ'(z) = σ(z)(1 - σ(z)) = a(1 - a)";
    default: return "the identity's derivative is 1";
    }
}

lm_obj *lm_net_backprop_steps(const lm_net *n, lm_loss loss, const lm_tensor *x, const lm_tensor *y, lm_err *err) {
    if (n->nparams > MAX_PARAMS || n->nlayers > 3) {
        lm_err_set(err, LM_ERR_LIMIT,
                   "steps(backprop(...)) explains a small network (at most 3 weight layers and %d parameters; this one has %lld); "
                   "use backprop(...) or gradcheck(...) for larger ones",
                   MAX_PARAMS, (long long)n->nparams);
        return NULL;
    }
    for (int l = 0; l <= n->nlayers; l++)
        if (n->sizes[l] > MAX_UNITS) {
            lm_err_set(err, LM_ERR_LIMIT, "steps(backprop(...)) explains layers of at most %d units", MAX_UNITS);
            return NULL;
        }
    if (lm_net_check_data(n, loss, x, y, err)) return NULL;
    if (x->shape[0] != 1) {
        lm_err_set(err, LM_ERR_SHAPE, "steps(backprop(net, x, y)) works on one sample: x must be one row, not %lld rows",
                   (long long)x->shape[0]);
        return NULL;
    }
    int L = n->nlayers;
    int64_t K = n->sizes[L];
    double a[4][MAX_UNITS], z[4][MAX_UNITS], delta[4][MAX_UNITS], yv[MAX_UNITS], yhat[MAX_UNITS] = {0};
    double g[MAX_PARAMS], tape_g[MAX_PARAMS];
    lm_tensor_gather(x, a[0]);
    lm_tensor_gather(y, yv);
    numfmt F = {{{0}}, 0};
    lm_buf tx = LM_BUF_INIT, lx = LM_BUF_INIT;
    lm_steps *s = lm_steps_new();
    const double *th = n->theta;

    /* ---- forward ---- */
    for (int l = 1; l <= L; l++) {
        int64_t din = n->sizes[l - 1], dout = n->sizes[l];
        const double *W = th + lm_net_w_offset(n, l - 1), *b = th + lm_net_b_offset(n, l - 1);
        bool out = l == L;
        lm_buf_printf(&tx, "Forward through layer %d: each unit adds up its inputs times its weights, plus its bias", l);
        if (!out) lm_buf_printf(&tx, ", then applies %s", lm_act_name(n->act));
        lm_buf_puts(&tx, ".");
        for (int64_t j = 0; j < dout; j++) {
            double zz = b[j];
            lm_buf_printf(&tx, " z%d_%lld =", l, (long long)j + 1);
            lm_buf_printf(&lx, "%sz^{(%d)}_{%lld} = ", j ? ",\\quad " : "", l, (long long)j + 1);
            for (int64_t i = 0; i < din; i++) {
                double w = W[i * dout + j];
                zz += a[l - 1][i] * w;
                lm_buf_printf(&tx, "%s%s·%s", i ? " + " : " ", NP(&F, a[l - 1][i]), NP(&F, w));
                lm_buf_printf(&lx, "%s%s \\cdot %s", i ? " + " : "", NP(&F, a[l - 1][i]), NP(&F, w));
            }
            lm_buf_printf(&tx, " + %s = %s", NP(&F, b[j]), N(&F, zz));
            lm_buf_printf(&lx, " + %s = %s", NP(&F, b[j]), N(&F, zz));
            z[l][j] = zz;
            if (!out) {
                a[l][j] = act_f(n->act, zz);
                lm_buf_printf(&tx, ", a%d_%lld = %s(%s) = %s", l, (long long)j + 1, lm_act_name(n->act), N(&F, zz),
                              N(&F, a[l][j]));
                lm_buf_printf(&lx, ",\\ a^{(%d)}_{%lld} = \\%s(%s) = %s", l, (long long)j + 1,
                              n->act == LM_ACT_SIGMOID ? "sigma" : n->act == LM_ACT_TANH ? "tanh" : "operatorname{relu}",
                              N(&F, zz), N(&F, a[l][j]));
            }
            lm_buf_putc(&tx, j + 1 < dout ? ';' : '.');
        }
        add_step(s, out ? "forward: output layer" : "forward: hidden layer", row_value(out ? z[l] : a[l], dout), &lx, &tx);
    }

    /* ---- the loss and the output's δ ---- */
    double Lval = 0;
    if (loss == LM_LOSS_CE) {
        double mx = z[L][0], se = 0;
        for (int64_t k = 1; k < K; k++) mx = z[L][k] > mx ? z[L][k] : mx;
        for (int64_t k = 0; k < K; k++) se += exp(z[L][k] - mx);
        for (int64_t k = 0; k < K; k++) yhat[k] = exp(z[L][k] - mx) / se;
        int64_t c = (int64_t)yv[0] - 1;
        Lval = -log(yhat[c]);
        lm_buf_printf(&tx, "The output goes through softmax, ŷ_k = e^z_k / Σ e^z_j, giving probabilities");
        for (int64_t k = 0; k < K; k++) lm_buf_printf(&tx, "%s%s", k ? ", " : " ", N(&F, yhat[k]));
        lm_buf_printf(&tx, ". The cross-entropy loss is L = -log ŷ_%lld = %s (nats).", (long long)c + 1, N(&F, Lval));
        lm_buf_printf(&lx, "L = -\\log \\hat{y}_{%lld} = -\\log %s = %s", (long long)c + 1, N(&F, yhat[c]), N(&F, Lval));
        add_step(s, "loss", lm_num(Lval), &lx, &tx);
        for (int64_t k = 0; k < K; k++) delta[L][k] = yhat[k] - (k == c ? 1 : 0);
        lm_buf_printf(&tx, "Softmax and cross-entropy together have the simple derivative ∂L/∂z_k = ŷ_k - [k = %lld]:",
                      (long long)c + 1);
        for (int64_t k = 0; k < K; k++)
            lm_buf_printf(&tx, " δ%d_%lld = %s - %d = %s%s", L, (long long)k + 1, N(&F, yhat[k]), k == c, N(&F, delta[L][k]),
                          k + 1 < K ? ";" : ".");
        lm_buf_printf(&lx, "\\frac{\\partial L}{\\partial z^{(%d)}_k} = \\hat{y}_k - [k = %lld]", L, (long long)c + 1);
        add_step(s, "output δ", row_value(delta[L], K), &lx, &tx);
    } else if (loss == LM_LOSS_BCE) {
        for (int64_t k = 0; k < K; k++) {
            yhat[k] = act_f(LM_ACT_SIGMOID, z[L][k]);
            Lval += -(yv[k] * log(yhat[k]) + (1 - yv[k]) * log(1 - yhat[k])) / (double)K;
        }
        lm_buf_printf(&tx, "The output goes through the sigmoid: ŷ = σ(z%d_1) = σ(%s) = %s. The binary cross-entropy with label y = %s is "
                           "L = -[y log ŷ + (1 - y) log(1 - ŷ)] = %s (nats).",
                      L, N(&F, z[L][0]), N(&F, yhat[0]), N(&F, yv[0]), N(&F, Lval));
        lm_buf_printf(&lx, "L = -\\left[y \\log \\hat{y} + (1 - y)\\log(1 - \\hat{y})\\right] = %s", N(&F, Lval));
        add_step(s, "loss", lm_num(Lval), &lx, &tx);
        for (int64_t k = 0; k < K; k++) {
            double dLdy = (yhat[k] - yv[k]) / (yhat[k] * (1 - yhat[k])) / (double)K, dydz = yhat[k] * (1 - yhat[k]);
            delta[L][k] = dLdy * dydz;
            lm_buf_printf(&tx, "%sChain rule at the output: ∂L/∂z%d_%lld = ∂L/∂ŷ · ∂ŷ/∂z = (ŷ - y)/(ŷ(1 - ŷ)) · ŷ(1 - ŷ) = %s · %s = %s "
                               "(the sigmoid's derivative cancels: δ = ŷ - y).",
                          k ? " " : "", L, (long long)k + 1, N(&F, dLdy), N(&F, dydz), N(&F, delta[L][k]));
        }
        lm_buf_printf(&lx, "\\delta^{(%d)} = \\frac{\\partial L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial z^{(%d)}} = %s \\cdot %s = %s",
                      L, L, NP(&F, (yhat[0] - yv[0]) / (yhat[0] * (1 - yhat[0])) / (double)K), NP(&F, yhat[0] * (1 - yhat[0])),
                      N(&F, delta[L][0]));
        add_step(s, "output δ", row_value(delta[L], K), &lx, &tx);
    } else {
        for (int64_t k = 0; k < K; k++) {
            yhat[k] = z[L][k];
            Lval += (yhat[k] - yv[k]) * (yhat[k] - yv[k]) / (double)K;
        }
        if (K == 1)
            lm_buf_printf(&tx, "The output is ŷ = z%d_1 = %s. The squared error against y = %s is L = (ŷ - y)^2 = (%s)^2 = %s.", L,
                          N(&F, yhat[0]), N(&F, yv[0]), N(&F, yhat[0] - yv[0]), N(&F, Lval));
        else
            lm_buf_printf(&tx, "The outputs are ŷ_k = z%d_k. The mean squared error is L = (1/%lld) Σ (ŷ_k - y_k)^2 = %s.", L, (long long)K,
                          N(&F, Lval));
        lm_buf_printf(&lx, "L = %s(\\hat{y} - y)^2 = %s", K == 1 ? "" : "\\tfrac{1}{K}\\sum_k ", N(&F, Lval));
        add_step(s, "loss", lm_num(Lval), &lx, &tx);
        for (int64_t k = 0; k < K; k++) {
            double dLdy = 2 * (yhat[k] - yv[k]) / (double)K;
            delta[L][k] = dLdy; /* ∂ŷ/∂z = 1: the output is linear */
            lm_buf_printf(&tx, "%sChain rule at the output: ∂L/∂z%d_%lld = ∂L/∂ŷ%s · ∂ŷ/∂z = %s(ŷ - y) · 1 = %s · 1 = %s.", k ? " " : "", L,
                          (long long)k + 1, K == 1 ? "" : "_k", K == 1 ? "2" : "(2/K)", N(&F, dLdy), N(&F, delta[L][k]));
        }
        lm_buf_printf(&lx, "\\delta^{(%d)} = \\frac{\\partial L}{\\partial \\hat{y}} \\cdot \\frac{\\partial \\hat{y}}{\\partial z^{(%d)}} = %s \\cdot 1 = %s",
                      L, L, NP(&F, delta[L][0]), N(&F, delta[L][0]));
        add_step(s, "output δ", row_value(delta[L], K), &lx, &tx);
    }

    /* ---- backward, layer by layer ---- */
    for (int l = L; l >= 1; l--) {
        int64_t din = n->sizes[l - 1], dout = n->sizes[l];
        int64_t wo = lm_net_w_offset(n, l - 1), bo = lm_net_b_offset(n, l - 1);
        const double *W = th + wo;
        /* each weight: ∂L/∂w_ij = ∂L/∂z_j · ∂z_j/∂w_ij = δ_j · a_i */
        char in[16];
        if (l == 1) snprintf(in, sizeof in, "x");
        else snprintf(in, sizeof in, "a%d", l - 1);
        lm_buf_printf(&tx, "Gradients of layer %d's weights. Since z%d_j = Σ_i %s_i w%d_ij + b%d_j, the local derivative ∂z%d_j/∂w%d_ij is "
                           "the input %s_i and ∂z%d_j/∂b%d_j = 1; the chain rule multiplies them by δ%d_j = ∂L/∂z%d_j:",
                      l, l, in, l, l, l, l, in, l, l, l, l);
        for (int64_t i = 0; i < din; i++)
            for (int64_t j = 0; j < dout; j++) {
                g[wo + i * dout + j] = delta[l][j] * a[l - 1][i];
                lm_buf_printf(&tx, " ∂L/∂w%d_%lld%lld = δ%d_%lld · %s_%lld = %s · %s = %s;", l, (long long)i + 1, (long long)j + 1, l,
                              (long long)j + 1, in, (long long)i + 1, N(&F, delta[l][j]),
                              NP(&F, a[l - 1][i]), N(&F, g[wo + i * dout + j]));
                lm_buf_printf(&lx, "%s\\frac{\\partial L}{\\partial w^{(%d)}_{%lld%lld}} = \\frac{\\partial L}{\\partial z^{(%d)}_{%lld}} \\cdot "
                                   "\\frac{\\partial z^{(%d)}_{%lld}}{\\partial w^{(%d)}_{%lld%lld}} = %s \\cdot %s = %s",
                              lx.len ? ",\\quad " : "", l, (long long)i + 1, (long long)j + 1, l, (long long)j + 1, l, (long long)j + 1, l,
                              (long long)i + 1, (long long)j + 1, NP(&F, delta[l][j]), NP(&F, a[l - 1][i]), N(&F, g[wo + i * dout + j]));
            }
        for (int64_t j = 0; j < dout; j++) {
            g[bo + j] = delta[l][j];
            lm_buf_printf(&tx, " ∂L/∂b%d_%lld = δ%d_%lld · 1 = %s%s", l, (long long)j + 1, l, (long long)j + 1, N(&F, g[bo + j]),
                          j + 1 < dout ? ";" : ".");
        }
        {
            lm_err e2 = LM_ERR_INIT;
            lm_tensor *gw = lm_tensor_matrix(din + 1, dout, &e2);
            lm_value v = lm_nil();
            if (gw) {
                memcpy(gw->data, g + wo, (size_t)(din * dout) * sizeof(double));
                memcpy(gw->data + din * dout, g + bo, (size_t)dout * sizeof(double));
                v = lm_tensor_value(gw);
            }
            lm_buf_printf(&tx, " (Rows 1..%lld: ∂L/∂W%d; last row: ∂L/∂b%d.)", (long long)din, l, l);
            add_step(s, "chain rule: weights", v, &lx, &tx);
        }
        if (l == 1) break;
        /* δ of the layer below: ∂L/∂z_i = (Σ_j δ_j w_ij) · f'(z_i) */
        lm_buf_printf(&tx, "Back through layer %d to the hidden units below it. Each a%d_i feeds every z%d_j with weight w%d_ij, so "
                           "∂L/∂a%d_i = Σ_j δ%d_j · w%d_ij; then %s:",
                      l, l - 1, l, l, l - 1, l, l, act_d_text(n->act));
        for (int64_t i = 0; i < din; i++) {
            double s1 = 0;
            lm_buf_printf(&tx, " ∂L/∂a%d_%lld =", l - 1, (long long)i + 1);
            for (int64_t j = 0; j < dout; j++) {
                s1 += delta[l][j] * W[i * dout + j];
                lm_buf_printf(&tx, "%s%s·%s", j ? " + " : " ", N(&F, delta[l][j]), NP(&F, W[i * dout + j]));
            }
            double d = act_d(n->act, z[l - 1][i], a[l - 1][i]);
            delta[l - 1][i] = s1 * d;
            lm_buf_printf(&tx, " = %s, ∂a%d_%lld/∂z%d_%lld = %s, δ%d_%lld = %s · %s = %s%s", N(&F, s1), l - 1, (long long)i + 1, l - 1,
                          (long long)i + 1, N(&F, d), l - 1, (long long)i + 1, N(&F, s1), NP(&F, d), N(&F, delta[l - 1][i]),
                          i + 1 < din ? ";" : ".");
            lm_buf_printf(&lx, "%s\\delta^{(%d)}_{%lld} = \\frac{\\partial L}{\\partial a^{(%d)}_{%lld}} \\cdot \\frac{\\partial a^{(%d)}_{%lld}}{\\partial z^{(%d)}_{%lld}} = %s \\cdot %s = %s",
                          i ? ",\\quad " : "", l - 1, (long long)i + 1, l - 1, (long long)i + 1, l - 1, (long long)i + 1, l - 1,
                          (long long)i + 1, NP(&F, s1), NP(&F, d), N(&F, delta[l - 1][i]));
        }
        add_step(s, "chain rule: hidden δ", row_value(delta[l - 1], din), &lx, &tx);
    }

    /* ---- checks: the tape and finite differences ---- */
    double Lt;
    if (lm_net_loss_grad(n, loss, x, y, &Lt, tape_g, err)) goto fail;
    lm_net *pert = lm_net_copy(n);
    lm_err e3 = LM_ERR_INIT;
    lm_tensor *cmp = lm_tensor_matrix(n->nparams, 3, &e3);
    double max_rel = 0, max_tape = 0;
    for (int64_t k = 0; k < n->nparams && cmp; k++) {
        double keep = pert->theta[k], h = 1e-6, lp, lmn;
        pert->theta[k] = keep + h;
        lm_net_loss_grad(pert, loss, x, y, &lp, NULL, &e3);
        pert->theta[k] = keep - h;
        lm_net_loss_grad(pert, loss, x, y, &lmn, NULL, &e3);
        pert->theta[k] = keep;
        double fd = (lp - lmn) / (2 * h), den = fabs(g[k]) + fabs(fd);
        double rel = fabs(g[k] - fd) / (den > 1e-8 ? den : 1e-8);
        double dt = fabs(g[k] - tape_g[k]) / (fabs(g[k]) + fabs(tape_g[k]) > 1e-12 ? fabs(g[k]) + fabs(tape_g[k]) : 1e-12);
        if (rel > max_rel) max_rel = rel;
        if (dt > max_tape) max_tape = dt;
        cmp->data[k * 3] = g[k];
        cmp->data[k * 3 + 1] = tape_g[k];
        cmp->data[k * 3 + 2] = fd;
    }
    lm_obj_release(&pert->hdr);
    if (!cmp) {
        lm_err_set(err, e3.kind, "%s", e3.msg ? e3.msg : "out of memory");
        lm_err_clear(&e3);
        goto fail;
    }
    lm_err_clear(&e3);
    lm_buf_printf(&tx, "Check: the chain-rule gradients above agree with the autodiff tape (largest relative difference %s) and with "
                       "central finite differences (L(θ + h) - L(θ - h))/(2h), h = 1e-6, for every parameter (largest relative error %s). "
                       "Columns: chain rule, tape, finite difference; rows in the order W1 (row by row), b1, W2, b2%s.",
                  N(&F, max_tape), N(&F, max_rel), L > 2 ? ", W3, b3" : "");
    lm_buf_printf(&lx, "\\max_k \\frac{|g_k - \\hat{g}_k|}{|g_k| + |\\hat{g}_k|} = %s", N(&F, max_rel));
    add_step(s, "finite-difference check", lm_tensor_value(cmp), &lx, &tx);
    {
        lm_tensor *gt = lm_tensor_matrix(n->nparams, 1, err);
        if (!gt) goto fail;
        memcpy(gt->data, g, (size_t)n->nparams * sizeof(double));
        lm_value gv = lm_tensor_value(gt);
        lm_steps_set_result(s, gv);
        lm_release(gv);
    }
    lm_buf_free(&tx);
    lm_buf_free(&lx);
    return &s->hdr;
fail:
    lm_buf_free(&tx);
    lm_buf_free(&lx);
    lm_obj_release(&s->hdr);
    return NULL;
}
