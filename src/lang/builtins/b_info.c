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
    B("mutualinfo", b_mutualinfo, 1, 2, 1, "mutualinfo(J, base = 2) or mutualinfo(x, y)",
      "mutual information I(X; Y) in bits (base = e: nats) of a joint table J, or the plug-in estimate from paired "
      "samples x and y (their empirical joint distribution)",
      "mutualinfo([0.25 0.25; 0.5 0])"),
    B("perplexity", b_perplexity, 1, 2, 1, "perplexity(p) or perplexity(p, q)",
      "2^H(p): the effective number of equally likely outcomes (a plain number, the same in any base); with q, "
      "2^H(p, q), the perplexity of a model q on data p",
      "perplexity([0.25 0.25 0.25 0.25])"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
