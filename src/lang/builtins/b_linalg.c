/* Linear-algebra builtins: determinants and inverses, norms and measures, the
 * factorizations (lu, qr, chol, svd, eig), least squares, PCA and projections,
 * and the tensor operations (outer, kron, tensordot, einsum, diag, cat,
 * permute). Each converts its arguments, calls the engine (src/tensor) and
 * wraps the results; the engine's errors pass through in its words. */
#include "lang/lang_int.h"
#include "lemma/ctx.h"
#include "lemma/exact.h"
#include "lemma/linalg.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- argument helpers ---- */

/* Argument i as a tensor (+1), or NULL with *e set to an error value that
 * names the argument the way the learner wrote the call. */
static lm_tensor *arg_tensor(lm_call *c, int i, lm_value *e) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[i], c->fname, &err);
    if (t) return t;
    /* the words are made only now: formatting them on every call would cost
       a 3×3 det more than its arithmetic */
    lm_err_clear(&err);
    char what[96];
    if (c->nargs == 1) snprintf(what, sizeof what, "%s's argument", c->fname);
    else snprintf(what, sizeof what, "argument %d of %s", i + 1, c->fname);
    t = lm_as_tensor(c->args[i], what, &err);
    if (!t) *e = lm_error_from(&err);
    return t;
}

/* The result of an engine call: the tensor (narrowed: 1×1 becomes a number)
 * or the engine's error. Takes t. */
static lm_value result(lm_tensor *t, lm_err *err) { return t ? lm_narrow(lm_tensor_value(t)) : lm_error_from(err); }

/* An optional tolerance argument (rank, pinv, null): -1 means the default. */
static bool arg_tol(lm_call *c, int i, double *tol, lm_value *e) {
    *tol = -1;
    if (c->nargs <= i) return true;
    if (!lm_arg_double(c, i, "the tolerance", tol, e)) return false;
    if (*tol < 0 || isnan(*tol)) {
        *e = lm_error_new(LM_ERR_DOMAIN, "%s: the tolerance must be zero or positive, not %g", c->fname, *tol);
        return false;
    }
    return true;
}

/* A row vector read as the column it stands for when a column is needed
 * (builtins accept either orientation). Takes t. */
static lm_tensor *as_column_if(lm_tensor *t, int64_t rows) {
    if (t->ndim == 2 && t->shape[0] == 1 && t->shape[1] == rows && rows != 1) {
        lm_tensor *v = lm_tensor_transpose(t);
        lm_tensor_release(t);
        return v;
    }
    return t;
}

/* ---- determinants and inverses ---- */

/* The exact small-matrix path (include/lemma/exact.h) goes in front of these
 * two: integer and rational matrices up to 6×6 stay exact there, and only what
 * it declines (overflow, non-exact entries) reaches the LAPACK code below. */

static lm_value numeric_inv(lm_call *c, const lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    return result(lm_linalg_inv(c->ctx, a, &err), &err);
}

static lm_value numeric_det(const lm_tensor *a) {
    lm_err err = LM_ERR_INIT;
    double d = 0;
    return lm_linalg_det(a, &d, &err) == LM_OK ? lm_num(d) : lm_error_from(&err);
}

static lm_value b_inv(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_value r = lm_nil();
    if (lm_exact_eligible(a) && a->shape[0] == a->shape[1]) {
        lm_err err = LM_ERR_INIT;
        bool overflow = false;
        lm_tensor *x = lm_exact_inv(a, NULL, &overflow, &err);
        if (x) {
            lm_exact_plain_if_integral(x); /* inv([1 1; 0 1]) prints as it always did */
            r = lm_narrow(lm_tensor_value(x));
        } else if (!overflow) {
            r = lm_error_from(&err); /* singular: the exact path knows for sure */
        }
    }
    if (lm_is_nil(r)) r = numeric_inv(c, a); /* not exact, or the fractions overflowed int64 */
    lm_tensor_release(a);
    return r;
}

static lm_value b_det(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_value r = lm_nil();
    if (lm_exact_eligible(a) && a->shape[0] == a->shape[1]) {
        lm_err err = LM_ERR_INIT;
        bool overflow = false;
        lm_tensor *x = lm_exact_det(a, NULL, &overflow, &err);
        if (x) {
            lm_exact_plain_if_integral(x); /* a fraction such as 1/5, or a whole number past 2^53, stays exact */
            r = x->exact ? lm_tensor_value(x) : lm_narrow(lm_tensor_value(x));
        }
        else if (!overflow) r = lm_error_from(&err);
    }
    if (lm_is_nil(r)) r = numeric_det(a); /* not exact, or the fractions overflowed int64 */
    lm_tensor_release(a);
    return r;
}

static lm_value b_transpose(lm_call *c) { return lm_op_unary(c->s, T_DOTQUOTE, c->args[0]); }

/* ---- vectors and measures ---- */

typedef lm_tensor *(*binary_fn)(const lm_tensor *, const lm_tensor *, lm_err *);

static lm_value binary(lm_call *c, binary_fn fn) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_tensor *b = arg_tensor(c, 1, &e);
    if (!b) {
        lm_tensor_release(a);
        return e;
    }
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = fn(a, b, &err);
    lm_tensor_release(a);
    lm_tensor_release(b);
    return result(r, &err);
}

static lm_value b_dot(lm_call *c) { return binary(c, lm_linalg_dot); }
static lm_value b_cross(lm_call *c) { return binary(c, lm_linalg_cross); }
static lm_value b_outer(lm_call *c) { return binary(c, lm_tensor_outer); }
static lm_value b_kron(lm_call *c) { return binary(c, lm_tensor_kron); }

/* A builtin that is one engine call on its only matrix argument. */
static lm_value unary(lm_call *c, lm_tensor *(*fn)(const lm_tensor *, lm_err *)) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = fn(a, &err);
    lm_tensor_release(a);
    return result(r, &err);
}

static lm_value b_trace(lm_call *c) { return unary(c, lm_linalg_trace); }

static lm_value b_norm(lm_call *c) {
    lm_normkind kind = LM_NORM_P;
    double p = 2;
    if (c->nargs > 1) {
        lm_value pv = c->args[1];
        if (pv.kind == LM_STRING) {
            const char *s = lm_string_data(pv);
            if (!strcmp(s, "fro")) kind = LM_NORM_FRO;
            else if (!strcmp(s, "inf") || !strcmp(s, "Inf")) p = INFINITY;
            else if (!strcmp(s, "-inf") || !strcmp(s, "-Inf")) p = -INFINITY;
            else
                return lm_error_new(LM_ERR_DOMAIN, "norm: unknown norm \"%s\"; use 1, 2, inf or \"fro\"", s);
        } else {
            lm_value e;
            if (!lm_arg_double(c, 1, "p", &p, &e)) return e;
            if (isnan(p)) return lm_error_new(LM_ERR_DOMAIN, "norm: p cannot be NaN");
        }
    }
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    double out = 0;
    lm_status st = lm_linalg_norm(a, kind, p, &out, &err);
    lm_tensor_release(a);
    return st == LM_OK ? lm_num(out) : lm_error_from(&err);
}

static lm_value b_rank(lm_call *c) {
    double tol;
    lm_value e;
    if (!arg_tol(c, 1, &tol, &e)) return e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    int64_t r = 0;
    lm_status st = lm_linalg_rank(a, tol, &r, &err);
    lm_tensor_release(a);
    return st == LM_OK ? lm_num((double)r) : lm_error_from(&err);
}

static lm_value b_cond(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    double out = 0;
    lm_status st = lm_linalg_cond(a, &out, &err);
    lm_tensor_release(a);
    return st == LM_OK ? lm_num(out) : lm_error_from(&err);
}

typedef lm_tensor *(*tol_fn)(const lm_tensor *, double, lm_err *);

static lm_value with_tol(lm_call *c, tol_fn fn) {
    double tol;
    lm_value e;
    if (!arg_tol(c, 1, &tol, &e)) return e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = fn(a, tol, &err);
    lm_tensor_release(a);
    return result(r, &err);
}

static lm_value b_pinv(lm_call *c) { return with_tol(c, lm_linalg_pinv); }

static lm_value b_null(lm_call *c) { return with_tol(c, lm_linalg_null); }

static lm_value b_expm(lm_call *c) { return unary(c, lm_linalg_expm); }

/* ---- least squares and projections ---- */

static lm_value b_lstsq(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_tensor *b = arg_tensor(c, 1, &e);
    if (!b) {
        lm_tensor_release(a);
        return e;
    }
    if (a->ndim == 2) b = as_column_if(b, a->shape[0]);
    lm_err err = LM_ERR_INIT;
    lm_tensor *res = NULL;
    lm_tensor *x = lm_linalg_lstsq(c->ctx, a, b, c->nout > 1 ? &res : NULL, &err);
    lm_tensor_release(a);
    lm_tensor_release(b);
    if (!x) return lm_error_from(&err);
    if (c->nout > 1) c->extra[1] = lm_narrow(lm_tensor_value(res));
    return lm_narrow(lm_tensor_value(x));
}

static lm_value b_proj(lm_call *c) { return binary(c, lm_linalg_proj); }

/* ---- factorizations ---- */

/* Stores the results of a factorization: first as the return value, the
 * others into c->extra. Takes every tensor. */
static lm_value results(lm_call *c, int n, lm_tensor **t) {
    for (int k = 1; k < n && k < c->nout; k++) c->extra[k] = lm_narrow(lm_tensor_value(t[k]));
    for (int k = c->nout; k < n; k++) lm_tensor_release(t[k]);
    return lm_narrow(lm_tensor_value(t[0]));
}

static lm_value b_lu(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_value r;
    /* whole numbers and fractions up to 6×6 factor exactly: L = [1 0; 2/3 1],
       not 0.66667, and P * A - L * U is exactly zero; past int64, LAPACK */
    bool exact = lm_exact_eligible(a), overflow = false;
    if (c->nout == 1) {
        lm_tensor *y = exact ? lm_exact_lu_packed(a, NULL, &overflow, &err) : NULL;
        if (y) lm_exact_plain_if_integral(y);
        r = result(y ? y : lm_linalg_lu_packed(a, &err), &err);
    } else {
        lm_tensor *f[3] = {NULL, NULL, NULL};
        lm_tensor **p = c->nout > 2 ? &f[2] : NULL;
        lm_status st = exact ? lm_exact_lu(a, &f[0], &f[1], p, &overflow, &err) : LM_ERR_LIMIT;
        if (st == LM_OK)
            for (int k = 0; k < 3; k++) lm_exact_plain_if_integral(f[k]);
        else
            st = lm_linalg_lu(a, &f[0], &f[1], p, &err);
        r = st == LM_OK ? results(c, c->nout > 2 ? 3 : 2, f) : lm_error_from(&err);
    }
    lm_tensor_release(a);
    return r;
}

static lm_value b_qr(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *f[2];
    lm_value r;
    if (c->nout == 1) {
        /* one output: R, as Octave gives it */
        r = lm_linalg_qr(a, NULL, &f[0], &err) == LM_OK ? results(c, 1, f) : lm_error_from(&err);
    } else {
        r = lm_linalg_qr(a, &f[0], &f[1], &err) == LM_OK ? results(c, 2, f) : lm_error_from(&err);
    }
    lm_tensor_release(a);
    return r;
}

static lm_value b_chol(lm_call *c) { return unary(c, lm_linalg_chol); }

static lm_value b_svd(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_value r;
    if (c->nout == 1) {
        r = result(lm_linalg_svdvals(a, &err), &err);
    } else {
        lm_tensor *f[3];
        r = lm_linalg_svd(a, &f[0], &f[1], &f[2], &err) == LM_OK ? results(c, 3, f) : lm_error_from(&err);
    }
    lm_tensor_release(a);
    return r;
}

/* The exact path goes before LAPACK, as in det and inv: lm_exact_eig2 gives the
 * eigenvalues of a 2×2 integer matrix exactly when they are rational (exact.h);
 * everything else, and [V, D] = eig(A), is LAPACK's. */
static lm_value b_eig(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_value r = lm_nil();
    if (c->nout == 1 && lm_exact_eligible(a) && a->ndim == 2 && a->shape[0] == 2 && a->shape[1] == 2) {
        bool overflow = false;
        lm_tensor *x = lm_exact_eig2(a, NULL, &overflow, &err);
        if (x) {
            lm_exact_plain_if_integral(x);
            r = lm_narrow(lm_tensor_value(x));
        }
        lm_err_clear(&err); /* irrational, complex or overflowing: LAPACK answers */
    }
    if (!lm_is_nil(r)) {
        /* exact */
    } else if (c->nout == 1) {
        r = result(lm_linalg_eigvals(a, &err), &err);
    } else {
        lm_tensor *f[2];
        r = lm_linalg_eig(a, &f[0], &f[1], &err) == LM_OK ? results(c, 2, f) : lm_error_from(&err);
    }
    lm_tensor_release(a);
    return r;
}

static lm_value b_pca(lm_call *c) {
    lm_value e;
    lm_tensor *x = arg_tensor(c, 0, &e);
    if (!x) return e;
    int64_t k = x->ndim == 2 ? (x->shape[0] < x->shape[1] ? x->shape[0] : x->shape[1]) : 1;
    if (c->nargs > 1 && !lm_arg_int(c, 1, "k, the number of components,", 1, &k, &e)) {
        lm_tensor_release(x);
        return e;
    }
    lm_err err = LM_ERR_INIT;
    lm_tensor *f[3] = {NULL, NULL, NULL};
    lm_status st = lm_linalg_pca(x, k, &f[0], c->nout > 1 ? &f[1] : NULL, c->nout > 2 ? &f[2] : NULL, &err);
    lm_tensor_release(x);
    return st == LM_OK ? results(c, c->nout, f) : lm_error_from(&err);
}

/* ---- tensor operations ---- */

/* A vector of 1-based axis numbers (at most LM_MAX_DIMS) as 0-based ints. */
static bool arg_axes(lm_call *c, int i, int *ax, int *n, lm_value *e) {
    lm_tensor *t = arg_tensor(c, i, e);
    if (!t) return false;
    bool ok = t->size <= LM_MAX_DIMS && !t->imag;
    *n = 0;
    for (int64_t k = 0; ok && k < t->size; k++) {
        double d = t->data[lm_tensor_offset(t, k)];
        if (d != floor(d) || d < 1 || d > LM_MAX_DIMS) ok = false;
        else ax[(*n)++] = (int)d - 1;
    }
    lm_tensor_release(t);
    if (!ok)
        *e = lm_error_new(LM_ERR_DOMAIN, "%s: argument %d must list axis numbers from 1 to %d, as in [2 1]", c->fname, i + 1,
                          LM_MAX_DIMS);
    return ok;
}

static lm_value b_tensordot(lm_call *c) {
    lm_value e;
    int axa[LM_MAX_DIMS], axb[LM_MAX_DIMS], na = 1, nb = 1;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_tensor *b = arg_tensor(c, 1, &e);
    if (!b) {
        lm_tensor_release(a);
        return e;
    }
    lm_value r;
    if (c->nargs == 4) {
        if (!arg_axes(c, 2, axa, &na, &e) || !arg_axes(c, 3, axb, &nb, &e)) {
            r = e;
            goto out;
        }
        if (na != nb) {
            r = lm_error_new(LM_ERR_DOMAIN, "tensordot: %d axes of the first tensor but %d of the second; they pair up", na, nb);
            goto out;
        }
    } else {
        /* tensordot(A, B, k): A's last k axes with B's first k (NumPy) */
        int64_t k = 1;
        if (c->nargs > 2 && !lm_arg_int(c, 2, "the number of axes", 0, &k, &e)) {
            r = e;
            goto out;
        }
        if (k > a->ndim || k > b->ndim) {
            char sa[64], sb[64];
            lm_tensor_shape_str(a, sa);
            lm_tensor_shape_str(b, sb);
            r = lm_error_new(LM_ERR_DOMAIN, "tensordot of %s and %s: cannot contract %lld axes", sa, sb, (long long)k);
            goto out;
        }
        na = (int)k;
        for (int i = 0; i < na; i++) axa[i] = a->ndim - na + i, axb[i] = i;
    }
    lm_err err = LM_ERR_INIT;
    r = result(lm_tensor_tensordot(a, b, na, axa, axb, &err), &err);
out:
    lm_tensor_release(a);
    lm_tensor_release(b);
    return r;
}

static lm_value b_einsum(lm_call *c) {
    if (c->args[0].kind != LM_STRING)
        return lm_error_new(LM_ERR_TYPE, "einsum: the first argument is the index string, as in einsum(\"ij,jk->ik\", A, B)");
    int n = c->nargs - 1;
    lm_tensor *ops[LM_MAX_DIMS + 1];
    lm_value e = lm_nil();
    int got = 0;
    for (; got < n; got++) {
        ops[got] = arg_tensor(c, got + 1, &e);
        if (!ops[got]) break;
    }
    lm_value r = e;
    if (got == n) {
        lm_err err = LM_ERR_INIT;
        r = result(lm_tensor_einsum(lm_string_data(c->args[0]), n, (const lm_tensor *const *)ops, &err), &err);
    }
    for (int i = 0; i < got; i++) lm_tensor_release(ops[i]);
    return r;
}

static lm_value b_diag(lm_call *c) {
    lm_value e;
    int64_t k = 0;
    if (c->nargs > 1) {
        double d;
        if (!lm_arg_double(c, 1, "the diagonal number k", &d, &e)) return e;
        if (d != floor(d) || fabs(d) > 9e15)
            return lm_error_new(LM_ERR_DOMAIN, "diag: k must be a whole number (0 the main diagonal, 1 above, -1 below)");
        k = (int64_t)d;
    }
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = lm_tensor_diag(a, k, &err);
    lm_tensor_release(a);
    return result(r, &err);
}

static lm_value b_cat(lm_call *c) {
    lm_value e;
    int64_t dim;
    if (!lm_arg_int(c, 0, "the dimension", 1, &dim, &e)) return e;
    if (dim > LM_MAX_DIMS) return lm_error_new(LM_ERR_LIMIT, "cat: a tensor has at most %d dimensions", LM_MAX_DIMS);
    int n = c->nargs - 1;
    lm_tensor **parts = lm_alloc((size_t)(n ? n : 1) * sizeof *parts);
    int got = 0;
    lm_value r = lm_nil();
    for (; got < n; got++) {
        parts[got] = arg_tensor(c, got + 1, &r);
        if (!parts[got]) break;
    }
    if (got == n) {
        lm_err err = LM_ERR_INIT;
        r = result(lm_tensor_cat((int)dim - 1, n, parts, &err), &err);
    }
    for (int i = 0; i < got; i++) lm_tensor_release(parts[i]);
    lm_free(parts);
    return r;
}

static lm_value b_permute(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_tensor *o = arg_tensor(c, 1, &e);
    if (!o) {
        lm_tensor_release(a);
        return e;
    }
    lm_value r = lm_nil();
    /* the order may name more axes than a has: the extra ones have size 1
       (permute([1 2 3], [3 1 2]) makes a 1×1×3 tensor) */
    int nd = (int)o->size, perm[LM_MAX_DIMS];
    if (o->size > LM_MAX_DIMS || o->size < a->ndim || o->imag) {
        r = lm_error_new(LM_ERR_DOMAIN, "permute(A, order): order must list each of 1 to n once, n at least %d and at most %d",
                         a->ndim, LM_MAX_DIMS);
        goto out;
    }
    for (int d = 0; d < nd; d++) {
        double v = o->data[lm_tensor_offset(o, d)];
        if (v != floor(v) || v < 1 || v > nd) {
            r = lm_error_new(LM_ERR_DOMAIN, "permute(A, order): order must list each of 1 to %d once", nd);
            goto out;
        }
        perm[d] = (int)v - 1;
    }
    int64_t shape[LM_MAX_DIMS];
    for (int d = 0; d < nd; d++) shape[d] = d < a->ndim ? a->shape[d] : 1;
    lm_err err = LM_ERR_INIT;
    lm_tensor *full = lm_tensor_reshape(a, nd, shape, &err);
    lm_tensor *v = full ? lm_tensor_permute(full, perm, &err) : NULL;
    lm_tensor *cp = v ? lm_tensor_copy(v, &err) : NULL;
    lm_tensor_release(full);
    lm_tensor_release(v);
    r = result(cp, &err);
out:
    lm_tensor_release(a);
    lm_tensor_release(o);
    return r;
}

/* argmax/argmin: where the largest (smallest) element is, 1-based; down the
 * columns of a matrix as max and sum go, or along dimension dim. */
static lm_value arg_extreme(lm_call *c, lm_reduce op) {
    lm_value e;
    lm_tensor *t = arg_tensor(c, 0, &e);
    if (!t) return e;
    int axis = 0;
    if (c->nargs > 1) {
        int64_t d;
        if (!lm_arg_int(c, 1, "the dimension", 1, &d, &e)) {
            lm_tensor_release(t);
            return e;
        }
        if (d > t->ndim) {
            /* along a dimension of size 1 every element is its own extreme */
            lm_err err = LM_ERR_INIT;
            lm_tensor *ones = lm_tensor_fill(t->ndim, t->shape, 1.0, &err);
            lm_tensor_release(t);
            return result(ones, &err);
        }
        axis = (int)d - 1;
    } else {
        while (axis < t->ndim - 1 && t->shape[axis] == 1) axis++;
    }
    if (t->shape[axis] == 0) {
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_DOMAIN, "%s of an empty vector: there is no element to point at", c->fname);
    }
    if (t->imag) {
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_TYPE, "%s compares real numbers; for complex values use %s(abs(z))", c->fname, c->fname);
    }
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = lm_tensor_reduce(op, t, axis, &err);
    lm_tensor_release(t);
    if (r)
        for (int64_t k = 0; k < r->size; k++) r->data[k] += 1;
    return result(r, &err);
}

static lm_value b_argmax(lm_call *c) { return arg_extreme(c, LM_RED_ARGMAX); }
static lm_value b_argmin(lm_call *c) { return arg_extreme(c, LM_RED_ARGMIN); }

/* ---- examples and timing ---- */

static lm_value b_hilb(lm_call *c) {
    lm_value e;
    int64_t n;
    if (!lm_arg_int(c, 0, "the size", 0, &n, &e)) return e;
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {n, n};
    lm_tensor *h = lm_tensor_new(2, shape, &err);
    if (!h) return lm_error_from(&err);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) h->data[i * n + j] = 1.0 / (double)(i + j + 1);
    return lm_narrow(lm_tensor_value(h));
}

/* ---- rearranging a matrix: flips, triangles, tiling ---- */

/* A copy of the matrix A with entry (i, j) taken from A(src_i, src_j), or
 * zero where keep says no; complex parts come along. */
typedef bool (*keep_fn)(int64_t i, int64_t j, int64_t k);

static lm_value rearranged(lm_call *c, bool flip_rows, bool flip_cols, keep_fn keep, int64_t k) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    if (a->ndim != 2) {
        lm_tensor_release(a);
        return lm_error_new(LM_ERR_SHAPE, "%s works on vectors and matrices", c->fname);
    }
    lm_err err = LM_ERR_INIT;
    int64_t r = a->shape[0], n = a->shape[1];
    lm_tensor *t = a->imag ? lm_tensor_new_complex(2, a->shape, &err) : lm_tensor_new(2, a->shape, &err);
    for (int64_t i = 0; t && i < r; i++)
        for (int64_t j = 0; j < n; j++) {
            if (keep && !keep(i, j, k)) continue;
            int64_t si = flip_rows ? r - 1 - i : i, sj = flip_cols ? n - 1 - j : j;
            t->data[i * n + j] = lm_tensor_get2(a, si, sj);
            if (t->imag) t->imag[i * n + j] = lm_tensor_imag2(a, si, sj);
        }
    lm_tensor_release(a);
    return result(t, &err);
}

static bool upper_part(int64_t i, int64_t j, int64_t k) { return j - i >= k; }
static bool lower_part(int64_t i, int64_t j, int64_t k) { return j - i <= k; }

static lm_value b_fliplr(lm_call *c) { return rearranged(c, false, true, NULL, 0); }
static lm_value b_flipud(lm_call *c) { return rearranged(c, true, false, NULL, 0); }

/* triu(A, k) keeps the entries on and above diagonal k (0 the main one, 1 the
 * one above it, -1 below); tril(A, k) those on and below. */
static lm_value triangle(lm_call *c, keep_fn keep) {
    int64_t k = 0;
    if (c->nargs > 1) {
        double d;
        lm_value e;
        if (!lm_arg_double(c, 1, "the diagonal k", &d, &e)) return e;
        if (d != floor(d) || fabs(d) > 1e15)
            return lm_error_new(LM_ERR_DOMAIN, "%s: the diagonal k is a whole number (0 the main diagonal), not %g", c->fname, d);
        k = (int64_t)d;
    }
    return rearranged(c, false, false, keep, k);
}

static lm_value b_triu(lm_call *c) { return triangle(c, upper_part); }
static lm_value b_tril(lm_call *c) { return triangle(c, lower_part); }

/* repmat(A, m, n): A tiled m times down and n times across, which is
 * kron(ones(m, n), A). */
static lm_value b_repmat(lm_call *c) {
    lm_value e;
    int64_t m, n;
    if (!lm_arg_int(c, 1, "the number of copies down", 0, &m, &e)) return e;
    n = m;
    if (c->nargs > 2 && !lm_arg_int(c, 2, "the number of copies across", 0, &n, &e)) return e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *ones = lm_tensor_fill(2, (int64_t[]){m, n}, 1.0, &err);
    lm_tensor *r = ones ? lm_tensor_kron(ones, a, &err) : NULL;
    lm_tensor_release(ones);
    lm_tensor_release(a);
    return result(r, &err);
}

static int cmp_dbl(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    if (isnan(a) || isnan(b)) return isnan(a) - isnan(b); /* NaN last */
    return (a > b) - (a < b);
}

/* unique(v): the distinct values in increasing order, as a column, or as a
 * row when v is a row (Octave). NaN is never equal to itself, so each stays. */
static lm_value b_unique(lm_call *c) {
    lm_value e;
    lm_tensor *a = arg_tensor(c, 0, &e);
    if (!a) return e;
    if (a->imag) {
        lm_tensor_release(a);
        return lm_error_new(LM_ERR_TYPE, "unique compares real numbers; complex numbers have no order");
    }
    lm_err err = LM_ERR_INIT;
    double *v = lm_alloc_big((size_t)(a->size ? a->size : 1) * sizeof *v);
    if (!v) {
        lm_tensor_release(a);
        return lm_error_new(LM_ERR_LIMIT, "unique: not enough memory");
    }
    lm_tensor_gather(a, v);
    qsort(v, (size_t)a->size, sizeof *v, cmp_dbl);
    int64_t m = 0;
    for (int64_t k = 0; k < a->size; k++)
        if (m == 0 || v[k] != v[m - 1] || isnan(v[k])) v[m++] = v[k];
    bool row = a->ndim == 2 && a->shape[0] == 1 && a->size > 0, empty = a->size == 0;
    lm_tensor_release(a);
    /* unique([]) is [] (0×0), as in Octave */
    lm_tensor *r = empty ? lm_tensor_matrix(0, 0, &err) : lm_tensor_matrix(row ? 1 : m, row ? m : 1, &err);
    if (r && m) memcpy(r->data, v, (size_t)m * sizeof *v);
    lm_free(v);
    return result(r, &err);
}

/* Octave's magic(n) entry for entry (its magic.m, 0-based here): the
 * Siamese-style formula for odd n, the complement of the diagonals' pattern
 * for n divisible by 4, and four odd squares with swaps for the rest. A is
 * n×n, row-major; every entry (at most n² <= 10^8) is exact in a double. */
static void magic_fill(double *A, int64_t n) {
    if (n == 0) return;
    if (n % 2 == 1) {
        for (int64_t k = 0; k < n * n; k++) {
            int64_t shift = k / n;
            int64_t col = ((k + 1 - shift + (n - 3) / 2) % n + n) % n, row = ((n * n - k + 2 * shift) % n + n) % n;
            A[row * n + col] = (double)(k + 1);
        }
    } else if (n % 4 == 0) {
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++) {
                bool ci = i % 4 == 0 || i % 4 == 3, cj = j % 4 == 0 || j % 4 == 3;
                A[i * n + j] = (double)(ci == cj ? n * n - (i * n + j) : i * n + j + 1);
            }
    } else {
        int64_t m = n / 2, k = (m - 1) / 2, mm = m * m;
        double *q = lm_alloc((size_t)mm * sizeof *q);
        magic_fill(q, m);
        static const int64_t add[2][2] = {{0, 2}, {3, 1}}; /* [A, A+2m²; A+3m², A+m²] */
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++) A[i * n + j] = q[(i % m) * m + j % m] + (double)(add[i / m][j / m] * mm);
        lm_free(q);
        /* swap the halves of a column between row i and row i + m */
#define SWAP_HALVES(i, j)                                                                                              \
    do {                                                                                                               \
        double t_ = A[(i) * n + (j)];                                                                                 \
        A[(i) * n + (j)] = A[((i) + m) * n + (j)];                                                                     \
        A[((i) + m) * n + (j)] = t_;                                                                                   \
    } while (0)
        if (k > 1)
            for (int64_t i = 0; i < m; i++) {
                for (int64_t j = 1; j < k; j++) SWAP_HALVES(i, j);
                for (int64_t j = n - k + 1; j < n; j++) SWAP_HALVES(i, j);
            }
        for (int64_t i = 0; i < m; i++)
            if (i != k) SWAP_HALVES(i, 0);
        SWAP_HALVES(k, k);
#undef SWAP_HALVES
    }
}

static lm_value b_magic(lm_call *c) {
    lm_value e;
    int64_t n;
    if (!lm_arg_int(c, 0, "the size", 0, &n, &e)) return e;
    if (n > 10000) return lm_error_new(LM_ERR_LIMIT, "magic: n is at most 10000 here");
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {n, n};
    lm_tensor *t = lm_tensor_new(2, shape, &err); /* every entry is then written */
    if (!t) return lm_error_from(&err);
    magic_fill(t->data, n);
    return lm_narrow(lm_tensor_value(t));
}

/* t = tic ... toc(t): a stopwatch on the monotonic clock, for timing a loop
 * from inside a program (the start-up of the process is not in it). The
 * time is carried in t, not in the session, so stopwatches can nest. */
static lm_value b_tic(lm_call *c) {
    (void)c;
    return lm_num(lm_now());
}

static lm_value b_toc(lm_call *c) {
    lm_value e;
    double t0;
    if (!lm_arg_double(c, 0, "the start time (from t = tic)", &t0, &e)) return e;
    return lm_num(lm_now() - t0);
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_linalg[] = {
    B("argmax", b_argmax, 1, 2, 1, "argmax(v), argmax(A, dim)", "where the largest element is (1-based; down each column of a matrix)",
      "argmax([3 9 4])"),
    B("argmin", b_argmin, 1, 2, 1, "argmin(v), argmin(A, dim)", "where the smallest element is (1-based; down each column of a matrix)",
      "argmin([3 9 4])"),
    B("cat", b_cat, 1, -1, 1, "cat(dim, A, B, ...)", "join arrays along dimension dim (1 stacks rows, 2 puts side by side)",
      "cat(3, [1 2], [3 4])"),
    B("chol", b_chol, 1, 1, 1, "chol(A)", "the Cholesky factor: upper triangular R with R' * R = A (A symmetric positive definite)",
      "chol([4 2; 2 3])"),
    B("cond", b_cond, 1, 1, 1, "cond(A)", "the condition number (largest over smallest singular value): how much A amplifies errors",
      "cond([1 2; 3 4])"),
    B("cross", b_cross, 2, 2, 1, "cross(a, b)", "the cross product of two 3-vectors: perpendicular to both", "cross([1 0 0], [0 1 0])"),
    B("det", b_det, 1, 1, 1, "det(A)", "the determinant of a square matrix (how much A scales areas)", "det([2 1; 1 3])"),
    B("diag", b_diag, 1, 2, 1, "diag(v, k = 0), diag(A, k = 0)", "a vector onto a diagonal matrix, or a matrix's diagonal as a column",
      "diag([1 2 3])"),
    B("dot", b_dot, 2, 2, 1, "dot(a, b)", "the dot product of two vectors: the sum of a_i * b_i", "dot([1 2 3], [4 5 6])"),
    B("eig", b_eig, 1, 1, 2, "eig(A), [V, D] = eig(A)", "eigenvalues (a column), or eigenvectors V and D with A * V = V * D",
      "eig([2 1; 1 2])"),
    B("einsum", b_einsum, 2, 2 + LM_MAX_DIMS, 1, "einsum(\"ij,jk->ik\", A, B, ...)",
      "Einstein summation: letters name axes; letters missing from the output are summed", "einsum(\"ii->\", [1 2; 3 4])"),
    B("expm", b_expm, 1, 1, 1, "expm(A)", "the matrix exponential I + A + A^2/2! + ... (not exp of each element)",
      "expm([0 1; -1 0])"),
    B("fliplr", b_fliplr, 1, 1, 1, "fliplr(A)", "A with its columns in reverse order (left to right)", "fliplr([1 2 3])"),
    B("flipud", b_flipud, 1, 1, 1, "flipud(A)", "A with its rows in reverse order (upside down)", "flipud([1; 2; 3])"),
    B("repmat", b_repmat, 2, 3, 1, "repmat(A, m, n)", "A tiled m times down and n times across (repmat(A, m) is m by m)", "repmat([1 2], 2, 3)"),
    B("tril", b_tril, 1, 2, 1, "tril(A, k = 0)", "the lower triangle of A: the entries on and below diagonal k, the rest 0", "tril(magic(3))"),
    B("triu", b_triu, 1, 2, 1, "triu(A, k = 0)", "the upper triangle of A: the entries on and above diagonal k (1: above the main one), the rest 0", "triu(magic(3))"),
    B("unique", b_unique, 1, 1, 1, "unique(v)", "the distinct values in increasing order", "unique([3 1 3 2 1])"),
    B("magic", b_magic, 1, 1, 1, "magic(n)", "an n×n magic square (Octave's): every row, column and diagonal adds up to n(n²+1)/2", "magic(4)"),
    B("hilb", b_hilb, 1, 1, 1, "hilb(n)", "the n×n Hilbert matrix 1/(i + j - 1): a classic ill-conditioned matrix", "cond(hilb(6))"),
    B("inv", b_inv, 1, 1, 1, "inv(A)", "the inverse matrix, with A * inv(A) = I", "inv([2 1; 1 3])"),
    B("kron", b_kron, 2, 2, 1, "kron(A, B)", "the Kronecker product: the block matrix of a_ij * B", "kron([1 2], [1; 1])"),
    B("lstsq", b_lstsq, 2, 2, 2, "lstsq(A, b), [x, r] = lstsq(A, b)",
      "the least-squares solution of A x = b (smallest norm if many), and the residual norm ||A x - b||",
      "lstsq([1 0; 1 1; 1 2], [1; 2; 4])"),
    B("lu", b_lu, 1, 1, 3, "lu(A), [L, U] = lu(A), [L, U, P] = lu(A)", "LU factorization with row pivoting: P * A = L * U (exact fractions for whole-number matrices up to 6×6)", "[L, U, P] = lu([1 2; 3 4])"),
    B("norm", b_norm, 1, 2, 1, "norm(v, p = 2), norm(A, p)", "length of a vector (p-norm), or a matrix norm: 1, 2, inf or \"fro\"",
      "norm([3 4])"),
    B("null", b_null, 1, 2, 1, "null(A), null(A, tol)", "an orthonormal basis of the null space (the x with A x = 0), as columns",
      "null([1 1; 1 1])"),
    B("outer", b_outer, 2, 2, 1, "outer(a, b)", "the outer product a * b' of two vectors: every a_i * b_j", "outer([1 2], [3 4 5])"),
    B("pca", b_pca, 1, 2, 3, "pca(X, k), [W, Z, explained] = pca(X, k)",
      "principal components of X (one sample per row): directions W, projected data Z, variance explained",
      "pca([1 2; 2 4.1; 3 5.9; 4 8.2], 1)"),
    B("permute", b_permute, 2, 2, 1, "permute(A, order)", "reorder the dimensions of an array (permute(A, [2 1]) transposes)",
      "permute(zeros(2, 3, 4), [3 1 2])"),
    B("pinv", b_pinv, 1, 2, 1, "pinv(A), pinv(A, tol)", "the Moore–Penrose pseudo-inverse (works for singular and non-square A)",
      "pinv([1 2; 2 4])"),
    B("proj", b_proj, 2, 2, 1, "proj(b, A)", "the projection of b onto the column space of A (the closest A x to b)",
      "proj([1; 2; 3], [1; 0; 0])"),
    B("qr", b_qr, 1, 1, 2, "qr(A), [Q, R] = qr(A)", "QR factorization: Q orthogonal, R upper triangular, A = Q * R", "[Q, R] = qr([1 2; 3 4])"),
    B("rank", b_rank, 1, 2, 1, "rank(A), rank(A, tol)", "the number of linearly independent columns (from the singular values)",
      "rank([1 2; 2 4])"),
    B("svd", b_svd, 1, 1, 3, "svd(A), [U, S, V] = svd(A)", "singular values (a column, largest first), or the factors with A = U * S * V'",
      "svd([3 0; 4 5])"),
    B("tensordot", b_tensordot, 2, 4, 1, "tensordot(A, B, k = 1), tensordot(A, B, axesA, axesB)",
      "contract A's last k axes with B's first k (or the listed axes): sums of products", "tensordot([1 2; 3 4], [5; 6], 1)"),
    B("tic", b_tic, 0, 0, 1, "tic, t = tic", "start a stopwatch: toc(t) gives the seconds since (for timing)",
      "t = tic; s = 0; for k = 1:1000, s = s + k; end; toc(t) < 10"),
    B("toc", b_toc, 1, 1, 1, "toc(t)", "seconds since t = tic, on the monotonic clock", "t = tic; toc(t) >= 0"),
    B("trace", b_trace, 1, 1, 1, "trace(A)", "the sum of the diagonal of a square matrix (also the sum of its eigenvalues)",
      "trace([1 2; 3 4])"),
    B("transpose", b_transpose, 1, 1, 1, "transpose(A)", "rows become columns (the same as A.')", "transpose([1 2 3])"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
