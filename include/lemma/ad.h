/* lemma reverse-mode automatic differentiation: a tape of matrix operations
 * (ggml style: each node keeps its op, its operands, its value and its adjoint,
 * and backward is one switch per op beside its forward), and the multilayer
 * perceptrons that are trained on it. Usable from C without the language.
 *
 * Values on the tape are 2-D (rows × cols, row-major); a scalar is 1×1.
 * Binary elementwise ops broadcast a size-1 axis against the other operand's,
 * and backward sums the adjoint back down to the operand's shape.
 *
 * Memory: a tape keeps its nodes and their buffers between uses.
 * lm_ad_reset() forgets the graph but not the memory, so a training loop that
 * records the same graph every step allocates nothing after its first step. */
#ifndef LEMMA_AD_H
#define LEMMA_AD_H

#include "lemma/core.h"
#include "lemma/tensor.h"

/* ---- the tape ---- */

typedef enum lm_ad_op {
    LM_AD_LEAF,       /* an input or a parameter: no operands */
    LM_AD_ADD, LM_AD_SUB, LM_AD_MUL, LM_AD_DIV, /* elementwise, broadcasting */
    LM_AD_MATMUL,     /* a · b on cblas_dgemm */
    LM_AD_POW,        /* a .^ p for a constant p */
    LM_AD_EXP, LM_AD_LOG, LM_AD_TANH, LM_AD_SIGMOID, LM_AD_RELU,
    LM_AD_SOFTMAX,    /* along each row */
    LM_AD_LOGSOFTMAX, /* along each row, by log-sum-exp */
    LM_AD_SUM,        /* of everything, 1×1 */
    LM_AD_MEAN,       /* of everything, 1×1 */
    LM_AD_MSE,        /* mean((a - b).^2), 1×1 */
    LM_AD_BCE_LOGITS, /* mean of log(1 + e^z) - y·z over every element, 1×1 */
    LM_AD_CE_LOGITS,  /* mean over rows of -log softmax(z)[label], labels 0-based, 1×1 */
    LM_AD__COUNT
} lm_ad_op;

typedef struct lm_ad_tape lm_ad_tape;
typedef int lm_ad_id; /* a node of the tape; negative after a failure */

lm_ad_tape *lm_ad_tape_new(void);
void lm_ad_tape_free(lm_ad_tape *t);
/* Forgets every node but keeps the memory for the next graph. */
void lm_ad_reset(lm_ad_tape *t);
/* Bytes the tape holds now (nodes and buffers): flat once a loop is warm. */
size_t lm_ad_bytes(const lm_ad_tape *t);

/* Leaves. The tape borrows `data` (rows*cols doubles, row-major) until the next
 * reset; it is not copied. A parameter adds its gradient into `grad` (same
 * size, borrowed, zeroed by the caller); a constant has none (grad NULL). */
lm_ad_id lm_ad_leaf(lm_ad_tape *t, int64_t rows, int64_t cols, const double *data, double *grad);

/* Operations. Each returns the new node, or -1 with err filled (shape errors
 * name both shapes). A negative operand gives -1 at once, so calls can nest. */
lm_ad_id lm_ad_binary(lm_ad_tape *t, lm_ad_op op, lm_ad_id a, lm_ad_id b, lm_err *err);
lm_ad_id lm_ad_unary(lm_ad_tape *t, lm_ad_op op, lm_ad_id a, lm_err *err);
lm_ad_id lm_ad_pow(lm_ad_tape *t, lm_ad_id a, double p, lm_err *err);
/* Losses of logits z against targets y (a constant node): MSE(z, y) and
 * BCE(z, y) need y of z's shape with 0/1 labels for BCE; CE needs a column of
 * 0-based class indices, one per row of z. */
lm_ad_id lm_ad_loss(lm_ad_tape *t, lm_ad_op op, lm_ad_id z, lm_ad_id y, lm_err *err);

/* Reads a node's value (row-major) and shape. */
const double *lm_ad_value(const lm_ad_tape *t, lm_ad_id n, int64_t *rows, int64_t *cols);
/* The adjoint of a node after lm_ad_backward (NULL for constants). */
const double *lm_ad_grad(const lm_ad_tape *t, lm_ad_id n);
/* Backpropagates from the 1×1 node `root` (seed 1): every node that depends on
 * a parameter gets its adjoint, and parameters add theirs into their buffers. */
lm_status lm_ad_backward(lm_ad_tape *t, lm_ad_id root, lm_err *err);

/* The tape's own exp and tanh: plain IEEE arithmetic, so the same bits on every
 * machine whatever its libm, and faster than libm's tanh (within a few ulps). */
double lm_ad_exp(double x);
double lm_ad_tanh(double x);

/* ---- networks ---- */

#define LM_NET_MAX_LAYERS 32

typedef enum lm_act { LM_ACT_TANH, LM_ACT_RELU, LM_ACT_SIGMOID, LM_ACT_IDENTITY } lm_act;
typedef enum lm_loss { LM_LOSS_NONE, LM_LOSS_MSE, LM_LOSS_BCE, LM_LOSS_CE } lm_loss;
typedef enum lm_optim { LM_OPTIM_SGD, LM_OPTIM_MOMENTUM, LM_OPTIM_ADAM } lm_optim;

/* A multilayer perceptron: layer l maps a row of width sizes[l] to one of width
 * sizes[l+1] by z = a·W + b, followed by the activation on hidden layers (the
 * output layer is linear: the loss reads logits). Parameters live in one
 * buffer: W1 (row-major, in × out), b1, W2, b2, ... */
typedef struct lm_net {
    lm_obj hdr;               /* kind LM_OBJECT, type lm_net_type */
    int nlayers;              /* weight layers: nsizes - 1 */
    int64_t sizes[LM_NET_MAX_LAYERS + 1];
    lm_act act;
    lm_loss loss;             /* what it was trained with (NONE before train) */
    int64_t nparams;
    double *theta;            /* nparams */
    int64_t epochs_trained;
    double last_loss;         /* NAN before training */
} lm_net;

extern const lm_objtype lm_net_type;
static inline bool lm_is_net(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &lm_net_type; }

const char *lm_act_name(lm_act a);
const char *lm_loss_name(lm_loss l);
/* Offsets of W_l and b_l (0-based l) in theta. */
int64_t lm_net_w_offset(const lm_net *n, int l);
int64_t lm_net_b_offset(const lm_net *n, int l);

/* A fresh network (+1) with Xavier (tanh, sigmoid, identity) or He (relu)
 * normal initialization drawn from rng; biases start at zero. */
lm_net *lm_net_new(int nsizes, const int64_t *sizes, lm_act act, lm_rng *rng, lm_err *err);
lm_net *lm_net_copy(const lm_net *n);

typedef struct lm_train_opts {
    lm_loss loss;
    lm_optim optim;
    double lr;
    int64_t epochs;
    int64_t batch;            /* 0: the whole data set at once */
    double momentum;          /* 0.9 */
    double beta1, beta2, eps; /* Adam: 0.9, 0.999, 1e-8 */
    /* Called after each epoch (may be NULL): a progress bar, a time limit.
     * A non-OK return stops training with that error. */
    lm_status (*progress)(void *ud, int64_t epoch, int64_t epochs, double loss, lm_err *err);
    void *ud;
} lm_train_opts;

void lm_train_opts_default(lm_train_opts *o);

/* Checks X (m × sizes[0]) and y against the network and the loss: for MSE, y
 * is m × (outputs); for BCE, 0/1 labels of that shape; for CE, a column of
 * labels 1..K with K the output width. */
lm_status lm_net_check_data(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, lm_err *err);
/* Trains n in place; losses (may be NULL) receives the mean loss of each epoch
 * (epochs doubles). rng shuffles mini-batches. */
lm_status lm_net_train(lm_net *n, const lm_tensor *X, const lm_tensor *y, const lm_train_opts *o, lm_rng *rng,
                       double *losses, lm_err *err);
/* The network's output for each row of X (m × outputs): probabilities for a
 * network trained with BCE (sigmoid) or CE (softmax), the linear output
 * otherwise. */
lm_tensor *lm_net_predict(const lm_net *n, const lm_tensor *X, lm_err *err);
/* The fraction of rows classified right: BCE thresholds at 0.5, CE takes the
 * largest output (labels 1..K), MSE rounds to the nearest label. */
lm_status lm_net_accuracy(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *out,
                          lm_err *err);
/* The loss over the whole data set and its gradient (nparams doubles; may be
 * NULL), by one forward and one backward pass on the tape. */
lm_status lm_net_loss_grad(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *loss_out,
                           double *grad, lm_err *err);
/* Backprop against central finite differences on every parameter: the largest
 * relative error |g - fd| / max(|g| + |fd|, 1e-8) and where it is. */
lm_status lm_net_gradcheck(const lm_net *n, lm_loss loss, const lm_tensor *X, const lm_tensor *y, double *max_rel,
                           int64_t *worst, lm_err *err);
/* The worked backpropagation of a small network on one sample (x one row,
 * y its target): forward values, local derivatives, chain-rule products and a
 * finite-difference check. Returns an lm_steps (+1) whose result is the
 * gradient as a column, or NULL with err. */
lm_obj *lm_net_backprop_steps(const lm_net *n, lm_loss loss, const lm_tensor *x, const lm_tensor *y, lm_err *err);

/* The loss a network uses when train gets no `loss`: CE for several outputs,
 * BCE when every target is 0 or 1, MSE otherwise. */
lm_loss lm_net_default_loss(const lm_net *n, const lm_tensor *y);

#endif
