/* Multilayer perceptrons on the autodiff tape: seeded Xavier/He initialization,
 * full-batch and mini-batch training with SGD, momentum or Adam, prediction,
 * accuracy and a finite-difference gradient check. A training run records the
 * same graph every step on one tape and reuses its buffers, so the memory it
 * holds is the same after step 10 as after step 10,000. */
#include "lemma/ad.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the network value ---- */

const char *lm_act_name(lm_act a) {
    static const char *const names[] = {"tanh", "relu", "sigmoid", "identity"};
    return (unsigned)a < 4 ? names[a] : "?";
}

const char *lm_loss_name(lm_loss l) {
    static const char *const names[] = {"none", "mse", "bce", "ce"};
    return (unsigned)l < 4 ? names[l] : "?";
}

int64_t lm_net_w_offset(const lm_net *n, int l) {
    int64_t off = 0;
    for (int k = 0; k < l; k++) off += n->sizes[k] * n->sizes[k + 1] + n->sizes[k + 1];
    return off;
}

int64_t lm_net_b_offset(const lm_net *n, int l) { return lm_net_w_offset(n, l) + n->sizes[l] * n->sizes[l + 1]; }

static void net_free(lm_obj *o) {
    lm_net *n = (lm_net *)o;
    lm_free(n->theta);
    lm_free(n);
}

static void net_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_net *n = (const lm_net *)o;
    lm_buf_puts(out, "network ");
    for (int l = 0; l <= n->nlayers; l++) lm_buf_printf(out, "%s%lld", l ? "–" : "", (long long)n->sizes[l]);
    if (n->nlayers == 1) lm_buf_printf(out, ", no hidden layer (a linear model), %lld parameters", (long long)n->nparams);
    else lm_buf_printf(out, ", %s hidden units, linear output, %lld parameters", lm_act_name(n->act), (long long)n->nparams);
    if (n->epochs_trained) {
        char s[40];
        lm_fmt_double_sig(s, n->last_loss, digits > 0 ? digits : 17);
        lm_buf_printf(out, "\n  trained %lld epoch%s with loss = \"%s\"; last loss %s (nats)", (long long)n->epochs_trained,
                      n->epochs_trained == 1 ? "" : "s", lm_loss_name(n->loss), s);
    } else {
        lm_buf_puts(out, "\n  untrained (weights drawn at random)");
    }
}

const lm_objtype lm_net_type = {"network", net_free, net_text, NULL};

lm_net *lm_net_new(int nsizes, const int64_t *sizes, lm_act act, lm_rng *rng, lm_err *err) {
    if (nsizes < 2 || nsizes > LM_NET_MAX_LAYERS + 1) {
        lm_err_set(err, LM_ERR_SHAPE, "a network needs between 2 and %d layer sizes (inputs ... outputs), not %d",
                   LM_NET_MAX_LAYERS + 1, nsizes);
        return NULL;
    }
    int64_t np = 0;
    for (int l = 0; l < nsizes; l++) {
        if (sizes[l] < 1 || sizes[l] > 100000) {
            lm_err_set(err, sizes[l] < 1 ? LM_ERR_DOMAIN : LM_ERR_LIMIT,
                       "layer %d has %lld units: each layer needs between 1 and 100000", l + 1, (long long)sizes[l]);
            return NULL;
        }
        if (l) np += sizes[l - 1] * sizes[l] + sizes[l];
    }
    if (np > LM_MAX_ELEMS / 4) {
        lm_err_set(err, LM_ERR_LIMIT, "a network with %lld parameters is too large", (long long)np);
        return NULL;
    }
    double *theta = lm_alloc_big((size_t)np * sizeof(double));
    if (!theta) {
        lm_err_set(err, LM_ERR_LIMIT, "out of memory for %lld parameters", (long long)np);
        return NULL;
    }
    lm_net *n = lm_calloc(1, sizeof *n);
    lm_obj_init(&n->hdr, LM_OBJECT, &lm_net_type);
    n->nlayers = nsizes - 1;
    memcpy(n->sizes, sizes, (size_t)nsizes * sizeof *sizes);
    n->act = act;
    n->loss = LM_LOSS_NONE;
    n->nparams = np;
    n->theta = theta;
    n->last_loss = NAN;
    for (int l = 0; l < n->nlayers; l++) {
        /* Xavier/Glorot keeps the variance of tanh and sigmoid units steady from
         * layer to layer; He doubles it for ReLU, which zeroes half its inputs. */
        double fin = (double)sizes[l], fout = (double)sizes[l + 1];
        double sd = act == LM_ACT_RELU && l + 1 < n->nlayers ? sqrt(2.0 / fin) : sqrt(2.0 / (fin + fout));
        double *W = theta + lm_net_w_offset(n, l);
        for (int64_t k = 0; k < sizes[l] * sizes[l + 1]; k++) W[k] = sd * lm_rng_normal(rng);
        memset(theta + lm_net_b_offset(n, l), 0, (size_t)sizes[l + 1] * sizeof(double));
    }
    return n;
}

lm_net *lm_net_copy(const lm_net *n) {
    lm_net *c = lm_alloc(sizeof *c);
    *c = *n;
    lm_obj_init(&c->hdr, LM_OBJECT, &lm_net_type);
    c->theta = lm_alloc((size_t)(n->nparams ? n->nparams : 1) * sizeof(double));
    memcpy(c->theta, n->theta, (size_t)n->nparams * sizeof(double));
    return c;
}

/* ---- data ---- */

void lm_train_opts_default(lm_train_opts *o) {
    memset(o, 0, sizeof *o);
    o->loss = LM_LOSS_NONE;
    o->optim = LM_OPTIM_ADAM;
    o->lr = 0.01;
    o->epochs = 100;
    o->batch = 0;
    o->momentum = 0.9;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
}

static int64_t outputs(const lm_net *n) { return n->sizes[n->nlayers]; }

lm_loss lm_net_default_loss(const lm_net *n, const lm_tensor *y) {
    bool vec = y && y->ndim == 2 && (y->shape[0] == 1 || y->shape[1] == 1);
    if (outputs(n) > 1) return vec ? LM_LOSS_CE : LM_LOSS_MSE;
    if (!y) return LM_LOSS_MSE;
    for (int64_t k = 0; k < y->size; k++) {
        double v = y->data[lm_tensor_offset(y, k)];
        if (v != 0 && v != 1) return LM_LOSS_MSE;
    }
    return LM_LOSS_BCE;
}

lm_status lm_net_check_data(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, lm_err *err) {
    if (X->ndim != 2 || X->imag) return lm_err_set(err, LM_ERR_SHAPE, "X must be a real matrix with one row per sample");
    int64_t m = X->shape[0], d = X->shape[1], k = outputs(n);
    if (d != n->sizes[0])
        return lm_err_set(err, LM_ERR_SHAPE, "X has %lld column%s but the network takes %lld input%s", (long long)d,
                          d == 1 ? "" : "s", (long long)n->sizes[0], n->sizes[0] == 1 ? "" : "s");
    if (m < 1) return lm_err_set(err, LM_ERR_SHAPE, "X has no rows: there is nothing to learn from");
    if (!y) return LM_OK;
    if (y->imag) return lm_err_set(err, LM_ERR_TYPE, "the targets y must be real");
    bool vec = y->ndim == 2 && (y->shape[0] == 1 || y->shape[1] == 1);
    if (loss == LM_LOSS_CE) {
        if (!vec || y->size != m)
            return lm_err_set(err, LM_ERR_SHAPE, "cross-entropy needs y as one class label (1..%lld) per row of X: %lld labels, %lld rows",
                              (long long)k, (long long)y->size, (long long)m);
        for (int64_t i = 0; i < m; i++) {
            double v = y->data[lm_tensor_offset(y, i)];
            if (v != floor(v) || v < 1 || v > (double)k)
                return lm_err_set(err, LM_ERR_DOMAIN, "y(%lld) = %g is not a class label 1..%lld (the network has %lld outputs)",
                                  (long long)i + 1, v, (long long)k, (long long)k);
        }
        return LM_OK;
    }
    bool shape_ok = (k == 1 && vec && y->size == m) || (y->ndim == 2 && y->shape[0] == m && y->shape[1] == k);
    if (!shape_ok)
        return lm_err_set(err, LM_ERR_SHAPE, "y must have one row of %lld target%s per row of X (%lld rows), not %lld elements",
                          (long long)k, k == 1 ? "" : "s", (long long)m, (long long)y->size);
    for (int64_t i = 0; i < y->size; i++) {
        double v = y->data[lm_tensor_offset(y, i)];
        if (!isfinite(v)) return lm_err_set(err, LM_ERR_DOMAIN, "y(%lld) is %g: targets must be finite", (long long)i + 1, v);
        if (loss == LM_LOSS_BCE && v != 0 && v != 1)
            return lm_err_set(err, LM_ERR_DOMAIN,
                              "binary cross-entropy needs labels 0 and 1, but y(%lld) = %g (use loss = \"mse\" for other targets)",
                              (long long)i + 1, v);
    }
    return LM_OK;
}

/* Row-major copies of X and of the targets as the tape wants them (CE labels
 * 0-based). The caller frees both. */
static lm_status gather_data(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double **xd,
                             double **yd, lm_err *err) {
    int64_t m = X->shape[0];
    *xd = lm_alloc_big((size_t)(X->size ? X->size : 1) * sizeof(double));
    *yd = NULL;
    if (!*xd) return lm_err_set(err, LM_ERR_LIMIT, "out of memory for the data");
    lm_tensor_gather(X, *xd);
    if (!y) return LM_OK;
    int64_t ny = loss == LM_LOSS_CE ? m : m * outputs(n);
    *yd = lm_alloc_big((size_t)(ny ? ny : 1) * sizeof(double));
    if (!*yd) {
        lm_free(*xd);
        *xd = NULL;
        return lm_err_set(err, LM_ERR_LIMIT, "out of memory for the targets");
    }
    lm_tensor_gather(y, *yd);
    if (loss == LM_LOSS_CE)
        for (int64_t i = 0; i < m; i++) (*yd)[i] -= 1;
    return LM_OK;
}

/* ---- the graph ---- */

/* Records the network on m rows of x; returns the logits node. Gradients of
 * the parameters go into grad (NULL: the parameters are constants). */
static lm_ad_id forward(lm_ad_tape *t, const lm_net *n, const double *theta, double *grad, const double *x, int64_t m,
                        lm_err *err) {
    lm_ad_id a = lm_ad_leaf(t, m, n->sizes[0], x, NULL);
    static const lm_ad_op actop[] = {LM_AD_TANH, LM_AD_RELU, LM_AD_SIGMOID, LM_AD_LEAF};
    for (int l = 0; l < n->nlayers; l++) {
        int64_t wo = lm_net_w_offset(n, l), bo = lm_net_b_offset(n, l);
        lm_ad_id W = lm_ad_leaf(t, n->sizes[l], n->sizes[l + 1], theta + wo, grad ? grad + wo : NULL);
        lm_ad_id b = lm_ad_leaf(t, 1, n->sizes[l + 1], theta + bo, grad ? grad + bo : NULL);
        lm_ad_id z = lm_ad_binary(t, LM_AD_ADD, lm_ad_binary(t, LM_AD_MATMUL, a, W, err), b, err);
        if (l + 1 < n->nlayers && n->act != LM_ACT_IDENTITY) a = lm_ad_unary(t, actop[n->act], z, err);
        else a = z;
    }
    return a;
}

static lm_ad_op loss_op(lm_loss l) {
    return l == LM_LOSS_BCE ? LM_AD_BCE_LOGITS : l == LM_LOSS_CE ? LM_AD_CE_LOGITS : LM_AD_MSE;
}

/* Forward + loss (+ backward when grad is given, which the caller zeroed). */
static lm_status run_step(lm_ad_tape *t, const lm_net *n, const double *theta, lm_loss loss, const double *x,
                          const double *y, int64_t m, double *grad, double *loss_out, lm_err *err) {
    lm_ad_reset(t);
    lm_ad_id z = forward(t, n, theta, grad, x, m, err);
    lm_ad_id yl = z >= 0 ? lm_ad_leaf(t, m, loss == LM_LOSS_CE ? 1 : outputs(n), y, NULL) : -1;
    lm_ad_id L = lm_ad_loss(t, loss_op(loss), z, yl, err);
    if (L < 0) return err->kind ? err->kind : lm_err_set(err, LM_ERR_INTERNAL, "the network's graph failed");
    *loss_out = lm_ad_value(t, L, NULL, NULL)[0];
    if (grad) return lm_ad_backward(t, L, err);
    return LM_OK;
}

lm_status lm_net_loss_grad(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *loss_out,
                           double *grad, lm_err *err) {
    if (lm_net_check_data(n, loss, X, y, err)) return err->kind;
    double *xd, *yd;
    if (gather_data(n, loss, X, y, &xd, &yd, err)) return err->kind;
    lm_ad_tape *t = lm_ad_tape_new();
    if (grad) memset(grad, 0, (size_t)n->nparams * sizeof(double));
    lm_status st = run_step(t, n, n->theta, loss, xd, yd, X->shape[0], grad, loss_out, err);
    lm_ad_tape_free(t);
    lm_free(xd);
    lm_free(yd);
    return st;
}

/* ---- training ---- */

lm_status lm_net_train(lm_net *n, const lm_tensor *X, const lm_tensor *y, const lm_train_opts *o, lm_rng *rng,
                       double *losses, lm_err *err) {
    lm_loss loss = o->loss == LM_LOSS_NONE ? lm_net_default_loss(n, y) : o->loss;
    if (lm_net_check_data(n, loss, X, y, err)) return err->kind;
    if (!(o->lr > 0) || !isfinite(o->lr)) return lm_err_set(err, LM_ERR_DOMAIN, "the learning rate lr must be positive, not %g", o->lr);
    if (o->epochs < 0) return lm_err_set(err, LM_ERR_DOMAIN, "epochs must be at least 0");
    int64_t m = X->shape[0], d = n->sizes[0], ycols = loss == LM_LOSS_CE ? 1 : outputs(n);
    int64_t bs = o->batch <= 0 || o->batch >= m ? m : o->batch;
    double *xd, *yd;
    if (gather_data(n, loss, X, y, &xd, &yd, err)) return err->kind;
    size_t np = (size_t)n->nparams;
    /* grad, then the optimizer's state: velocity (momentum) or m and v (Adam) */
    double *work = lm_alloc_big(np * 3 * sizeof(double) + 1);
    int64_t *perm = bs < m ? lm_alloc_big((size_t)m * sizeof(int64_t)) : NULL;
    double *xb = bs < m ? lm_alloc_big((size_t)(bs * d) * sizeof(double)) : NULL;
    double *yb = bs < m ? lm_alloc_big((size_t)(bs * ycols) * sizeof(double)) : NULL;
    lm_ad_tape *t = lm_ad_tape_new();
    lm_status st = LM_OK;
    if (!work || (bs < m && (!perm || !xb || !yb))) {
        st = lm_err_set(err, LM_ERR_LIMIT, "out of memory for training");
        goto out_free;
    }
    double *grad = work, *m1 = work + np, *m2 = work + 2 * np;
    memset(m1, 0, 2 * np * sizeof(double));
    if (perm)
        for (int64_t i = 0; i < m; i++) perm[i] = i;
    double b1t = 1, b2t = 1; /* β1^t, β2^t for Adam's bias correction */
    for (int64_t ep = 0; ep < o->epochs; ep++) {
        if (perm) /* Fisher–Yates, from the session's generator: reproducible */
            for (int64_t i = m - 1; i > 0; i--) {
                int64_t j = (int64_t)(lm_rng_uniform(rng) * (double)(i + 1));
                int64_t tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
        double total = 0;
        for (int64_t start = 0; start < m; start += bs) {
            int64_t nb = m - start < bs ? m - start : bs;
            const double *xs = xd, *ys = yd;
            if (perm) {
                for (int64_t i = 0; i < nb; i++) {
                    int64_t r = perm[start + i];
                    memcpy(xb + i * d, xd + r * d, (size_t)d * sizeof(double));
                    memcpy(yb + i * ycols, yd + r * ycols, (size_t)ycols * sizeof(double));
                }
                xs = xb;
                ys = yb;
            }
            memset(grad, 0, np * sizeof(double));
            double L;
            st = run_step(t, n, n->theta, loss, xs, ys, nb, grad, &L, err);
            if (st) goto out_free;
            if (!isfinite(L)) {
                st = lm_err_set(err, LM_ERR_CONVERGENCE,
                                "training diverged: the loss became %g in epoch %lld (try a smaller lr than %g)", L,
                                (long long)ep + 1, o->lr);
                goto out_free;
            }
            total += L * (double)nb;
            double *th = n->theta;
            switch (o->optim) {
            case LM_OPTIM_SGD:
                for (size_t k = 0; k < np; k++) th[k] -= o->lr * grad[k];
                break;
            case LM_OPTIM_MOMENTUM: /* heavy ball: v = μv + g, θ -= lr·v */
                for (size_t k = 0; k < np; k++) {
                    m1[k] = o->momentum * m1[k] + grad[k];
                    th[k] -= o->lr * m1[k];
                }
                break;
            case LM_OPTIM_ADAM: {
                b1t *= o->beta1;
                b2t *= o->beta2;
                double c1 = 1 / (1 - b1t), c2 = 1 / (1 - b2t);
                for (size_t k = 0; k < np; k++) {
                    double g = grad[k];
                    m1[k] = o->beta1 * m1[k] + (1 - o->beta1) * g;
                    m2[k] = o->beta2 * m2[k] + (1 - o->beta2) * g * g;
                    th[k] -= o->lr * (m1[k] * c1) / (sqrt(m2[k] * c2) + o->eps);
                }
                break;
            }
            }
        }
        double epl = total / (double)m;
        if (losses) losses[ep] = epl;
        n->last_loss = epl;
        n->epochs_trained++;
        if (o->progress && (st = o->progress(o->ud, ep + 1, o->epochs, epl, err))) goto out_free;
    }
    n->loss = loss;
out_free:
    lm_ad_tape_free(t);
    lm_free(work);
    lm_free(perm);
    lm_free(xb);
    lm_free(yb);
    lm_free(xd);
    lm_free(yd);
    return st;
}

/* ---- using a network ---- */

lm_tensor *lm_net_predict(const lm_net *n, const lm_tensor *X, lm_err *err) {
    if (lm_net_check_data(n, LM_LOSS_MSE, X, NULL, err)) return NULL;
    int64_t m = X->shape[0], k = outputs(n);
    double *xd, *yd;
    if (gather_data(n, LM_LOSS_MSE, X, NULL, &xd, &yd, err)) return NULL;
    lm_ad_tape *t = lm_ad_tape_new();
    lm_ad_id z = forward(t, n, n->theta, NULL, xd, m, err);
    if (z >= 0 && n->loss == LM_LOSS_BCE) z = lm_ad_unary(t, LM_AD_SIGMOID, z, err);
    if (z >= 0 && n->loss == LM_LOSS_CE) z = lm_ad_unary(t, LM_AD_SOFTMAX, z, err);
    lm_tensor *out = z >= 0 ? lm_tensor_matrix(m, k, err) : NULL;
    if (out) memcpy(out->data, lm_ad_value(t, z, NULL, NULL), (size_t)(m * k) * sizeof(double));
    lm_ad_tape_free(t);
    lm_free(xd);
    return out;
}

lm_status lm_net_accuracy(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *out,
                          lm_err *err) {
    if (loss == LM_LOSS_NONE) loss = n->loss != LM_LOSS_NONE ? n->loss : lm_net_default_loss(n, y);
    if (lm_net_check_data(n, loss, X, y, err)) return err->kind;
    double *xd, *yd;
    if (gather_data(n, loss, X, y, &xd, &yd, err)) return err->kind;
    int64_t m = X->shape[0], k = outputs(n);
    lm_ad_tape *t = lm_ad_tape_new();
    lm_ad_id z = forward(t, n, n->theta, NULL, xd, m, err);
    lm_status st = z < 0 ? err->kind : LM_OK;
    if (!st) {
        const double *Z = lm_ad_value(t, z, NULL, NULL);
        int64_t right = 0, total = 0;
        for (int64_t i = 0; i < m; i++) {
            if (loss == LM_LOSS_CE) {
                int64_t best = 0;
                for (int64_t j = 1; j < k; j++)
                    if (Z[i * k + j] > Z[i * k + best]) best = j;
                right += (double)best == yd[i];
                total++;
            } else {
                for (int64_t j = 0; j < k; j++) {
                    double zz = Z[i * k + j], pred = loss == LM_LOSS_BCE ? (zz > 0 ? 1 : 0) : round(zz);
                    right += pred == yd[i * k + j];
                    total++;
                }
            }
        }
        *out = (double)right / (double)total;
    }
    lm_ad_tape_free(t);
    lm_free(xd);
    lm_free(yd);
    return st;
}

lm_status lm_net_gradcheck(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *max_rel,
                           int64_t *worst, lm_err *err) {
    if (loss == LM_LOSS_NONE) loss = n->loss != LM_LOSS_NONE ? n->loss : lm_net_default_loss(n, y);
    if (lm_net_check_data(n, loss, X, y, err)) return err->kind;
    double *xd, *yd;
    if (gather_data(n, loss, X, y, &xd, &yd, err)) return err->kind;
    size_t np = (size_t)n->nparams;
    double *g = lm_alloc_big(np * 2 * sizeof(double) + 1);
    lm_ad_tape *t = lm_ad_tape_new();
    lm_status st = LM_OK;
    if (!g) {
        st = lm_err_set(err, LM_ERR_LIMIT, "out of memory for the gradient check");
        goto out;
    }
    double *th = g + np, L;
    memcpy(th, n->theta, np * sizeof(double));
    memset(g, 0, np * sizeof(double));
    if ((st = run_step(t, n, th, loss, xd, yd, X->shape[0], g, &L, err))) goto out;
    /* Large networks check an evenly spaced sample of at most 2000 parameters:
     * each costs two forward passes. */
    size_t stride = np > 2000 ? (np + 1999) / 2000 : 1;
    *max_rel = 0;
    *worst = 0;
    for (size_t k = 0; k < np; k += stride) {
        double keep = th[k], h = 1e-5 * (fabs(keep) > 1 ? fabs(keep) : 1), lp, lmn;
        th[k] = keep + h;
        if ((st = run_step(t, n, th, loss, xd, yd, X->shape[0], NULL, &lp, err))) goto out;
        th[k] = keep - h;
        if ((st = run_step(t, n, th, loss, xd, yd, X->shape[0], NULL, &lmn, err))) goto out;
        th[k] = keep;
        double fd = (lp - lmn) / (2 * h), den = fabs(g[k]) + fabs(fd);
        double rel = fabs(g[k] - fd) / (den > 1e-8 ? den : 1e-8);
        if (rel > *max_rel) {
            *max_rel = rel;
            *worst = (int64_t)k;
        }
    }
out:
    lm_ad_tape_free(t);
    lm_free(g);
    lm_free(xd);
    lm_free(yd);
    return st;
}
