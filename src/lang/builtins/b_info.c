/* Information-theory builtins: crossentropy, kl (vectors and distribution
 * values), js, jointentropy, condentropy, mutualinfo (joint table or paired
 * samples) and perplexity. Results are plain numbers in bits unless base = e
 * (nats); the help of each says its unit. `entropy` itself lives with the
 * distributions (b_prob.c). Thin wrappers over include/lemma/info.h. */
#include "lang/lang_int.h"
#include "lemma/info.h"
#include "lemma/prob.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static lm_value engine_error(lm_call *c, lm_err *e) {
    lm_value r = lm_error_new(e->kind ? e->kind : LM_ERR_INTERNAL, "%s: %s", c->fname, e->msg ? e->msg : "failed");
    lm_err_clear(e);
    return r;
}


/* The elements, row-major (a vector reads the same either way); fresh array. */
static double *tensor_values(const lm_tensor *t) {
    int64_t rows = lm_tensor_rows(t), cols = lm_tensor_cols(t);
    double *v = lm_alloc_big((size_t)t->size * sizeof *v + 1);
    if (!v) return NULL;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) v[i * cols + j] = lm_tensor_get2(t, i, j);
    return v;
}

/* base = 2 (bits) by default; `e` gives nats. */
static bool opt_base(lm_call *c, double *base, lm_value *err) {
    *base = 2;
    if (!lm_opt_double(c, "base", base, err)) return false;
    lm_err e = LM_ERR_INIT;
    if (lm_info_check_base(*base, &e) != LM_OK) {
        *err = engine_error(c, &e);
        return false;
    }
    return true;
}

/* A probability vector or table argument, checked (and normalized when asked).
 * Fresh array, row-major; rows and cols receive its shape. */
static double *arg_prob(lm_call *c, int i, const char *what, bool normalize, int64_t *rows, int64_t *cols,
                        lm_value *err) {
    lm_tensor *t = lm_arg_real(c, c->args[i], what, err);
    if (!t) return NULL;
    double *p = tensor_values(t);
    *rows = lm_tensor_rows(t);
    *cols = lm_tensor_cols(t);
    int64_t n = t->size;
    lm_tensor_release(t);
    if (!p) {
        *err = lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
        return NULL;
    }
    lm_err e = LM_ERR_INIT;
    if (lm_info_check(what, p, n, normalize, p, &e) != LM_OK) {
        lm_free(p);
        *err = engine_error(c, &e);
        return NULL;
    }
    return p;
}

typedef enum { PAIR_CROSS, PAIR_KL, PAIR_JS, PAIR_PERPLEXITY } pair_kind;

static lm_value kl_dists(lm_call *c, double base);

/* The quantities of two distributions p and q over the same outcomes. */
static lm_value pair(lm_call *c, pair_kind kind) {
    lm_value err = lm_nil(), r = lm_nil();
    double base = 2;
    bool normalize = false;
    if (!opt_base(c, &base, &err) || !lm_opt_bool(c, "normalize", &normalize, &err)) return err;
    if (kind == PAIR_KL && c->nargs == 2 && c->args[0].kind == LM_DIST && c->args[1].kind == LM_DIST)
        return kl_dists(c, base);
    int64_t pr = 0, pc = 0, qr = 0, qc = 0;
    double *p = arg_prob(c, 0, "p", normalize, &pr, &pc, &err), *q = NULL;
    if (!p) return err;
    if (kind == PAIR_PERPLEXITY && c->nargs == 1) { /* perplexity(p) = b^H_b(p), the same in any base */
        r = lm_num(exp(lm_info_entropy(p, pr * pc, exp(1.0))));
        goto out;
    }
    if (!(q = arg_prob(c, 1, "q", normalize, &qr, &qc, &err))) goto out;
    if (pr * pc != qr * qc) {
        err = lm_error_new(LM_ERR_SHAPE, "%s: p has %lld probabilities and q %lld; they must be over the same outcomes",
                           c->fname, (long long)(pr * pc), (long long)(qr * qc));
        goto out;
    }
    int64_t n = pr * pc, at = -1;
    switch (kind) {
    case PAIR_CROSS:
        r = lm_num_info(lm_info_crossentropy(p, q, n, base), base);
        if (isinf(r.u.num)) {
            for (int64_t i = 0; i < n && at < 0; i++)
                if (p[i] > 0 && q[i] == 0) at = i;
            lm_warn(c->ctx, "%s is infinite: q(%lld) = 0 where p(%lld) = %g > 0", c->fname, (long long)(at + 1),
                    (long long)(at + 1), p[at]);
        }
        break;
    case PAIR_KL:
        r = lm_num_info(lm_info_kl(p, q, n, base, &at), base);
        if (at >= 0)
            lm_warn(c->ctx, "%s is infinite: q(%lld) = 0 where p(%lld) = %g > 0, so q cannot explain that outcome",
                    c->fname, (long long)(at + 1), (long long)(at + 1), p[at]);
        break;
    case PAIR_JS: r = lm_num_info(lm_info_js(p, q, n, base), base); break;
    case PAIR_PERPLEXITY: r = lm_num(exp(lm_info_crossentropy(p, q, n, exp(1.0)))); break;
    }
out:
    lm_free(p);
    lm_free(q);
    return lm_is_nil(r) ? err : r;
}

static lm_value b_crossentropy(lm_call *c) { return pair(c, PAIR_CROSS); }
static lm_value b_kl(lm_call *c) { return pair(c, PAIR_KL); }
static lm_value b_js(lm_call *c) { return pair(c, PAIR_JS); }
static lm_value b_perplexity(lm_call *c) { return pair(c, PAIR_PERPLEXITY); }

static lm_value kl_dists(lm_call *c, double base) {
    double v = 0;
    const char *method = NULL;
    lm_err e = LM_ERR_INIT;
    if (lm_info_kl_dist(lm_dist_of(c->args[0]), lm_dist_of(c->args[1]), base, &v, &method, &e) != LM_OK)
        return engine_error(c, &e);
    if (isinf(v)) lm_warn(c->ctx, "%s is infinite: the first distribution has mass where the second has none", c->fname);
    if (method && strcmp(method, "closed form"))
        lm_warn(c->ctx, "%s: no closed form for this pair; computed by %s", c->fname, method);
    return lm_num_info(v, base);
}

typedef enum { JOINT_H, JOINT_COND, JOINT_MI } joint_kind;

static lm_value joint(lm_call *c, joint_kind kind) {
    lm_value err = lm_nil(), r = lm_nil();
    double base = 2;
    bool normalize = false;
    if (!opt_base(c, &base, &err) || !lm_opt_bool(c, "normalize", &normalize, &err)) return err;
    if (kind == JOINT_MI && c->nargs == 2) { /* paired samples */
        lm_tensor *x = lm_arg_real(c, c->args[0], "x", &err), *y = x ? lm_arg_real(c, c->args[1], "y", &err) : NULL;
        if (!y) {
            lm_tensor_release(x);
            return err;
        }
        double *xv = tensor_values(x), *yv = tensor_values(y);
        lm_err e = LM_ERR_INIT;
        double mi = 0;
        if (x->size != y->size || (lm_tensor_rows(x) > 1 && lm_tensor_cols(x) > 1) ||
            (lm_tensor_rows(y) > 1 && lm_tensor_cols(y) > 1))
            err = lm_error_new(LM_ERR_SHAPE, "%s: x and y must be vectors of paired samples of one length (%lld and %lld)",
                               c->fname, (long long)x->size, (long long)y->size);
        else if (!xv || !yv)
            err = lm_error_new(LM_ERR_LIMIT, "%s: out of memory", c->fname);
        else if (lm_info_mi_samples(xv, yv, x->size, base, &mi, &e) != LM_OK)
            err = engine_error(c, &e);
        else
            r = lm_num_info(mi, base);
        lm_free(xv);
        lm_free(yv);
        lm_tensor_release(x);
        lm_tensor_release(y);
        return lm_is_nil(r) ? err : r;
    }
    int64_t rows = 0, cols = 0;
    double *J = arg_prob(c, 0, "the joint table", normalize, &rows, &cols, &err);
    if (!J) return err;
    lm_info_joint q;
    lm_info_joint_table(J, rows, cols, base, &q);
    lm_free(J);
    return lm_num_info(kind == JOINT_H ? q.hxy : kind == JOINT_COND ? q.hy_given_x : q.mi, base);
}

static lm_value b_jointentropy(lm_call *c) { return joint(c, JOINT_H); }
static lm_value b_condentropy(lm_call *c) { return joint(c, JOINT_COND); }
static lm_value b_mutualinfo(lm_call *c) { return joint(c, JOINT_MI); }

/* ---- softmax and logsumexp ---- */

/* The slices softmax and logsumexp work along: dim 1 (down each column) or 2
 * (along each row), as softmax(A, 2) or softmax(A, dim = 2) says; by default a
 * row vector along its length and anything else down its columns, as sum does. */
static lm_tensor *arg_slices(lm_call *c, int *dim, lm_value *err) {
    lm_value v = c->args[0];
    if (v.kind == LM_EXPR) {
        *err = lm_error_new(LM_ERR_TYPE, "%s needs numbers; this is an expression with unknowns", c->fname);
        return NULL;
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(v, c->fname, &e);
    if (!t) {
        *err = lm_error_from(&e);
        return NULL;
    }
    const char *why = NULL;
    if (t->imag) why = "needs real numbers, not complex ones";
    else if (t->ndim > 2) why = "works on a vector or a matrix, not an array of more than 2 dimensions";
    else if (t->size == 0) why = "needs at least one value";
    if (why) {
        *err = lm_error_new(LM_ERR_TYPE, "%s %s", c->fname, why);
        lm_tensor_release(t);
        return NULL;
    }
    double d = lm_tensor_rows(t) == 1 ? 2 : 1;
    bool given = c->nargs > 1 || !lm_is_nil(lm_call_named(c, "dim"));
    if (c->nargs > 1 && !lm_as_double(c->args[1], &d)) d = NAN;
    if (!lm_opt_double(c, "dim", &d, err)) {
        lm_tensor_release(t);
        return NULL;
    }
    if (given && d != 1 && d != 2) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: dim must be 1 (down each column) or 2 (along each row), not %g",
                            c->fname, d);
        lm_tensor_release(t);
        return NULL;
    }
    *dim = (int)d;
    return t;
}

/* The largest of n values at steps (dr, dc) from (r0, c0), *m, and the sum of
 * exp(x - m) over them, *sum: log(sum(exp(x))) is m + log(sum) without any exp
 * overflowing (logsumexp([1000 1000]) is 1000 + log 2, not inf), and softmax
 * is exp(x - m) / sum. NaN in the slice makes both NaN. */
static void shifted_sum(const lm_tensor *t, int64_t r0, int64_t c0, int64_t dr, int64_t dc, int64_t n, double *m,
                        double *sum) {
    *m = -INFINITY;
    *sum = 0;
    for (int64_t k = 0; k < n; k++) {
        double x = lm_tensor_get2(t, r0 + k * dr, c0 + k * dc);
        if (isnan(x)) {
            *m = *sum = NAN;
            return;
        }
        *m = fmax(*m, x);
    }
    if (isinf(*m)) return; /* all -inf, or some +inf: the callers decide */
    for (int64_t k = 0; k < n; k++) *sum += exp(lm_tensor_get2(t, r0 + k * dr, c0 + k * dc) - *m);
}

static double lse(const lm_tensor *t, int64_t r0, int64_t c0, int64_t dr, int64_t dc, int64_t n) {
    double m, sum;
    shifted_sum(t, r0, c0, dr, dc, n, &m, &sum);
    return isinf(m) || isnan(m) ? m : m + log(sum); /* all -inf: log 0 = -inf; some +inf: +inf */
}

/* The slices softmax and logsumexp work on (columns, or rows with dim = 2)
 * and a result for them: the same shape (softmax), or one value per slice
 * (logsumexp). False with *err set when the argument or the memory fails. */
typedef struct slices {
    lm_tensor *t, *r;
    int dim;
    int64_t cols, n, len; /* n slices of len values each */
} slices;

static bool slices_of(lm_call *c, bool one_per_slice, slices *sl, lm_value *err) {
    sl->t = arg_slices(c, &sl->dim, err);
    if (!sl->t) return false;
    int64_t rows = lm_tensor_rows(sl->t);
    sl->cols = lm_tensor_cols(sl->t);
    sl->n = sl->dim == 1 ? sl->cols : rows;
    sl->len = sl->dim == 1 ? rows : sl->cols;
    lm_err e = LM_ERR_INIT;
    sl->r = !one_per_slice  ? lm_tensor_matrix(rows, sl->cols, &e)
            : sl->dim == 1 ? lm_tensor_matrix(1, sl->cols, &e)
                           : lm_tensor_matrix(rows, 1, &e);
    if (sl->r) return true;
    lm_tensor_release(sl->t);
    *err = lm_error_from(&e);
    return false;
}

static lm_value b_softmax(lm_call *c) {
    lm_value err = lm_nil();
    slices sl;
    if (!slices_of(c, false, &sl, &err)) return err;
    lm_tensor *t = sl.t, *r = sl.r;
    int dim = sl.dim;
    int64_t cols = sl.cols, nslices = sl.n, len = sl.len;
    for (int64_t s = 0; s < nslices; s++) {
        int64_t r0 = dim == 1 ? 0 : s, c0 = dim == 1 ? s : 0, dr = dim == 1, dc = dim == 2;
        double m, sum;
        shifted_sum(t, r0, c0, dr, dc, len, &m, &sum);
        int64_t ninf = 0;
        if (m == INFINITY)
            for (int64_t q = 0; q < len; q++) ninf += lm_tensor_get2(t, r0 + q * dr, c0 + q * dc) == INFINITY;
        for (int64_t k = 0; k < len; k++) {
            int64_t i = r0 + k * dr, j = c0 + k * dc;
            double x = lm_tensor_get2(t, i, j);
            /* the +inf entries share everything; all -inf (or NaN) is no distribution */
            r->data[i * cols + j] = m == INFINITY      ? (x == INFINITY ? 1.0 / (double)ninf : 0)
                                    : m == -INFINITY ? NAN
                                                     : exp(x - m) / sum;
        }
    }
    lm_tensor_release(t);
    return lm_narrow(lm_tensor_value(r));
}

static lm_value b_logsumexp(lm_call *c) {
    lm_value err = lm_nil();
    slices sl;
    if (!slices_of(c, true, &sl, &err)) return err;
    lm_tensor *t = sl.t, *r = sl.r;
    int dim = sl.dim;
    int64_t nslices = sl.n, len = sl.len;
    for (int64_t s = 0; s < nslices; s++)
        r->data[s] = dim == 1 ? lse(t, 0, s, 1, 0, len) : lse(t, s, 0, 0, 1, len);
    lm_tensor_release(t);
    return lm_narrow(lm_tensor_value(r));
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_info[] = {
    B("condentropy", b_condentropy, 1, 1, 1, "condentropy(J, base = 2, normalize = false)",
      "conditional entropy H(Y|X) in bits (base = e: nats) of a joint table J with rows for X and columns for Y; "
      "condentropy(J') gives H(X|Y)",
      "condentropy([0.25 0.25; 0.5 0])"),
    B("crossentropy", b_crossentropy, 2, 2, 1, "crossentropy(p, q, base = 2, normalize = false)",
      "cross-entropy H(p, q) = -sum p log q in bits (base = e: nats; training losses are reported in nats); infinite "
      "where q is 0 and p is not",
      "crossentropy([0.5 0.5], [0.9 0.1])"),
    B("jointentropy", b_jointentropy, 1, 1, 1, "jointentropy(J, base = 2, normalize = false)",
      "joint entropy H(X, Y) in bits (base = e: nats) of a joint probability table J", "jointentropy([0.25 0.25; 0.5 0])"),
    B("js", b_js, 2, 2, 1, "js(p, q, base = 2, normalize = false)",
      "Jensen-Shannon divergence in bits (base = e: nats): the mean KL of p and q to their average; symmetric, at "
      "most 1 bit (its square root is a distance)",
      "js([0.5 0.5], [0.9 0.1])"),
    B("kl", b_kl, 2, 2, 1, "kl(p, q, base = 2, normalize = false) or kl(D1, D2)",
      "Kullback-Leibler divergence D(p || q) = sum p log(p/q) in bits (base = e: nats); infinite where q is 0 and p "
      "is not; for distribution values, a closed form where one exists",
      "kl([0.5 0.5], [0.9 0.1])"),
    B("logsumexp", b_logsumexp, 1, 2, 1, "logsumexp(v), logsumexp(A, dim) or logsumexp(A, dim = 2)",
      "log(sum(exp(v))) computed without overflow, as max(v) + log(sum(exp(v - max(v)))); of a matrix, one value "
      "per column (dim = 2: per row)",
      "logsumexp([1000 1000])"),
    B("mutualinfo", b_mutualinfo, 1, 2, 1, "mutualinfo(J, base = 2) or mutualinfo(x, y)",
      "mutual information I(X; Y) in bits (base = e: nats) of a joint table J, or the plug-in estimate from paired "
      "samples x and y (their empirical joint distribution)",
      "mutualinfo([0.25 0.25; 0.5 0])"),
    B("perplexity", b_perplexity, 1, 2, 1, "perplexity(p) or perplexity(p, q)",
      "2^H(p): the effective number of equally likely outcomes (a plain number, the same in any base); with q, "
      "2^H(p, q), the perplexity of a model q on data p",
      "perplexity([0.25 0.25 0.25 0.25])"),
    B("softmax", b_softmax, 1, 2, 1, "softmax(v), softmax(A, dim) or softmax(A, dim = 2)",
      "exp(v) / sum(exp(v)): scores turned into probabilities that add up to 1, computed stably (the largest is "
      "subtracted first); the same shape back; of a matrix, each column (dim = 2: each row)",
      "softmax([1 2 3])"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
