/* Tensor operations for the "tensor operations" lesson: outer and Kronecker
 * products, diagonals, and contraction (tensordot, Einstein summation). A
 * contraction is permuted and reshaped into one matrix product, so that it runs
 * on dgemm; only what cannot be written that way loops over the index space. */
#include "tensor_int.h"

#include <string.h>

/* ---- outer and Kronecker products ---- */

/* Element k (row-major logical order) of t as a complex number. */
static void elem(const lm_tensor *t, int64_t k, double *re, double *im) {
    int64_t off = lm_tensor_offset(t, k);
    *re = t->data[off];
    *im = t->imag ? t->imag[off] : 0;
}

lm_tensor *lm_tensor_outer(const lm_tensor *a, const lm_tensor *b, lm_err *err) {
    int64_t shape[2] = {a->size, b->size};
    bool cplx = a->imag || b->imag;
    lm_tensor *r = lm_tensor_alloc_raw(2, shape, cplx, false, err);
    if (!r) return NULL;
    for (int64_t i = 0; i < a->size; i++) {
        double ar, ai;
        elem(a, i, &ar, &ai);
        for (int64_t j = 0; j < b->size; j++) {
            double br, bi;
            elem(b, j, &br, &bi);
            r->data[i * b->size + j] = ar * br - ai * bi;
            if (cplx) r->imag[i * b->size + j] = ar * bi + ai * br;
        }
    }
    return r;
}

lm_tensor *lm_tensor_kron(const lm_tensor *a, const lm_tensor *b, lm_err *err) {
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    int64_t sa[LM_MAX_DIMS], sb[LM_MAX_DIMS], shape[LM_MAX_DIMS];
    for (int d = 0; d < nd; d++) {
        sa[d] = d < a->ndim ? a->shape[d] : 1;
        sb[d] = d < b->ndim ? b->shape[d] : 1;
        shape[d] = sa[d] * sb[d]; /* each factor is at most LM_MAX_ELEMS: no overflow */
    }
    bool cplx = a->imag || b->imag;
    lm_tensor *r = lm_tensor_alloc_raw(nd, shape, cplx, false, err);
    if (!r || r->size == 0) return r;
    /* element (i_a, i_b) of the pair goes to index i_a·sb + i_b on every axis */
    int64_t ia[LM_MAX_DIMS] = {0};
    for (int64_t p = 0; p < a->size; p++) {
        double ar, ai;
        elem(a, p, &ar, &ai);
        int64_t ib[LM_MAX_DIMS] = {0};
        for (int64_t q = 0; q < b->size; q++) {
            double br, bi;
            elem(b, q, &br, &bi);
            int64_t off = 0;
            for (int d = 0; d < nd; d++) off += (ia[d] * sb[d] + ib[d]) * r->stride[d];
            r->data[off] = ar * br - ai * bi;
            if (cplx) r->imag[off] = ar * bi + ai * br;
            for (int d = nd - 1; d >= 0 && ++ib[d] == sb[d]; d--) ib[d] = 0;
        }
        for (int d = nd - 1; d >= 0 && ++ia[d] == sa[d]; d--) ia[d] = 0;
    }
    return r;
}

/* ---- diagonals ---- */

lm_tensor *lm_tensor_diag(const lm_tensor *t, int64_t k, lm_err *err) {
    char sh[64];
    if (t->ndim > 2) {
        lm_tensor_shape_str(t, sh);
        lm_err_set(err, LM_ERR_SHAPE, "diag works on vectors and matrices, not a %s tensor", sh);
        return NULL;
    }
    int64_t ak = k < 0 ? -k : k;
    bool cplx = t->imag != NULL;
    bool vector = t->ndim == 1 || t->shape[0] == 1 || t->shape[1] == 1;
    if (vector) {
        int64_t n = t->size;
        if (ak > LM_MAX_ELEMS) {
            lm_err_set(err, LM_ERR_LIMIT, "diag(v, %lld): the matrix would have more than %lld elements",
                       (long long)k, (long long)LM_MAX_ELEMS);
            return NULL;
        }
        int64_t shape[2] = {n + ak, n + ak};
        lm_tensor *r = lm_tensor_alloc_raw(2, shape, cplx, true, err);
        if (!r) return NULL;
        for (int64_t i = 0; i < n; i++) {
            int64_t row = k >= 0 ? i : i + ak, col = k >= 0 ? i + ak : i;
            double re, im;
            elem(t, i, &re, &im);
            r->data[row * (n + ak) + col] = re;
            if (cplx) r->imag[row * (n + ak) + col] = im;
        }
        return r;
    }
    int64_t m = t->shape[0], n = t->shape[1];
    int64_t len = k >= 0 ? (n - k < m ? n - k : m) : (m + k < n ? m + k : n);
    if (len < 0) len = 0;
    int64_t shape[2] = {len, 1};
    lm_tensor *r = lm_tensor_alloc_raw(2, shape, cplx, false, err);
    if (!r) return NULL;
    for (int64_t i = 0; i < len; i++) {
        int64_t row = k >= 0 ? i : i + ak, col = k >= 0 ? i + ak : i;
        r->data[i] = lm_tensor_get2(t, row, col);
        if (cplx) r->imag[i] = lm_tensor_imag2(t, row, col);
    }
    return r;
}

/* ---- contraction ---- */

/* A result of any rank as the language shows it: at least 2-D, a 1-D result
 * as a column. Takes t. */
static lm_tensor *at_least_2d(lm_tensor *t) {
    if (t->ndim >= 2) return t;
    lm_tensor *v = lm_tensor_new_view(t);
    v->ndim = 2;
    v->shape[1] = 1;
    v->stride[1] = 1;
    lm_tensor_release(t);
    return v;
}

/* The contraction without the final reshaping for the language: the result
 * has a's free axes then b's (rank max(1, free_a + free_b); a full
 * contraction is shape [1]). */
static lm_tensor *contract(const lm_tensor *a, const lm_tensor *b, int naxes, const int *axa, const int *axb,
                           lm_err *err) {
    char sa[64], sb[64];
    lm_tensor_shape_str(a, sa);
    lm_tensor_shape_str(b, sb);
    bool used_a[LM_MAX_DIMS] = {false}, used_b[LM_MAX_DIMS] = {false};
    if (naxes < 0 || naxes > a->ndim || naxes > b->ndim) {
        lm_err_set(err, LM_ERR_DOMAIN, "tensordot of %s and %s: cannot contract %d axes", sa, sb, naxes);
        return NULL;
    }
    int64_t K = 1;
    for (int i = 0; i < naxes; i++) {
        int p = axa[i], q = axb[i];
        if (p < 0 || p >= a->ndim || q < 0 || q >= b->ndim) {
            lm_err_set(err, LM_ERR_DOMAIN, "tensordot of %s and %s: axis %d of the first or %d of the second does not exist",
                       sa, sb, p + 1, q + 1);
            return NULL;
        }
        if (used_a[p] || used_b[q]) {
            lm_err_set(err, LM_ERR_DOMAIN, "tensordot: each axis can be contracted only once (axis %d of the %s is repeated)",
                       used_a[p] ? p + 1 : q + 1, used_a[p] ? "first" : "second");
            return NULL;
        }
        if (a->shape[p] != b->shape[q]) {
            lm_err_set(err, LM_ERR_SHAPE,
                       "tensordot of %s and %s: axis %d of the first has size %lld but axis %d of the second has "
                       "%lld; contracted axes must have the same size",
                       sa, sb, p + 1, (long long)a->shape[p], q + 1, (long long)b->shape[q]);
            return NULL;
        }
        used_a[p] = used_b[q] = true;
        K *= a->shape[p];
    }
    int nfa = a->ndim - naxes, nfb = b->ndim - naxes;
    if (nfa + nfb > LM_MAX_DIMS) {
        lm_err_set(err, LM_ERR_LIMIT, "tensordot of %s and %s would have %d dimensions; the limit is %d", sa, sb,
                   nfa + nfb, LM_MAX_DIMS);
        return NULL;
    }
    /* a as (free × contracted), b as (contracted × free): one matrix product */
    int perm_a[LM_MAX_DIMS], perm_b[LM_MAX_DIMS], nd = 0;
    int64_t shape[LM_MAX_DIMS], Fa = 1, Fb = 1;
    for (int d = 0, j = 0; d < a->ndim; d++)
        if (!used_a[d]) {
            perm_a[j++] = d;
            shape[nd++] = a->shape[d];
            Fa *= a->shape[d];
        }
    for (int i = 0; i < naxes; i++) perm_a[nfa + i] = axa[i], perm_b[i] = axb[i];
    for (int d = 0, j = naxes; d < b->ndim; d++)
        if (!used_b[d]) {
            perm_b[j++] = d;
            shape[nd++] = b->shape[d];
            Fb *= b->shape[d];
        }
    if (nd == 0) shape[nd++] = 1;
    lm_tensor *pa = lm_tensor_permute(a, perm_a, err);
    lm_tensor *pb = pa ? lm_tensor_permute(b, perm_b, err) : NULL;
    int64_t s2a[2] = {Fa, K}, s2b[2] = {K, Fb};
    lm_tensor *ma = pb ? lm_tensor_reshape(pa, 2, s2a, err) : NULL; /* copies when the permutation needs it */
    lm_tensor *mb = ma ? lm_tensor_reshape(pb, 2, s2b, err) : NULL;
    lm_tensor *c = mb ? lm_tensor_matmul(ma, mb, err) : NULL;
    lm_tensor *r = c ? lm_tensor_reshape(c, nd, shape, err) : NULL;
    lm_tensor_release(pa);
    lm_tensor_release(pb);
    lm_tensor_release(ma);
    lm_tensor_release(mb);
    lm_tensor_release(c);
    return r;
}

lm_tensor *lm_tensor_tensordot(const lm_tensor *a, const lm_tensor *b, int naxes, const int *axa, const int *axb,
                               lm_err *err) {
    lm_tensor *r = contract(a, b, naxes, axa, axb, err);
    return r ? at_least_2d(r) : NULL;
}

/* ---- Einstein summation ---- */

#define NLETTERS 52

static int letter_index(char ch) {
    if (ch >= 'a' && ch <= 'z') return ch - 'a';
    if (ch >= 'A' && ch <= 'Z') return 26 + ch - 'A';
    return -1;
}

static char letter_of(int i) { return (char)(i < 26 ? 'a' + i : 'A' + i - 26); }

typedef struct esum {
    int nterms;
    int len[LM_MAX_DIMS + 1];                 /* letters per input term */
    int idx[LM_MAX_DIMS + 1][LM_MAX_DIMS];    /* their letter numbers */
    int outlen, out[LM_MAX_DIMS];
    int64_t size[NLETTERS];                   /* -1 while unseen */
    int count[NLETTERS];                      /* uses across all inputs */
} esum;

/* Parses `spec` for n operands and checks it against their shapes. A vector
 * (1×n or n×1) matches a one-letter term. */
static bool esum_parse(const char *spec, int n, const lm_tensor *const *ops, esum *e, lm_err *err) {
    memset(e, 0, sizeof *e);
    for (int i = 0; i < NLETTERS; i++) e->size[i] = -1;
    const char *arrow = strstr(spec, "->");
    const char *p = spec, *end = arrow ? arrow : spec + strlen(spec);
    int t = 0;
    while (1) {
        if (t >= n || t > LM_MAX_DIMS) {
            lm_err_set(err, LM_ERR_DOMAIN, "einsum(\"%s\", ...): the specification has more terms than the %d operand%s given",
                       spec, n, n == 1 ? "" : "s");
            return false;
        }
        const lm_tensor *op = ops[t];
        int len = 0;
        for (; p < end && *p != ','; p++) {
            if (*p == ' ') continue;
            int li = letter_index(*p);
            if (li < 0) {
                lm_err_set(err, LM_ERR_DOMAIN, "einsum: '%c' is not an index letter; use a-z and A-Z, as in \"ij,jk->ik\"", *p);
                return false;
            }
            if (len == LM_MAX_DIMS) {
                lm_err_set(err, LM_ERR_LIMIT, "einsum: a term has more than %d letters", LM_MAX_DIMS);
                return false;
            }
            e->idx[t][len++] = li;
        }
        e->len[t] = len;
        /* match the letters to the operand's axes */
        int64_t dims[LM_MAX_DIMS];
        int nd = op->ndim;
        for (int d = 0; d < nd; d++) dims[d] = op->shape[d];
        if (len == 1 && nd == 2 && (op->shape[0] == 1 || op->shape[1] == 1)) {
            nd = 1;
            dims[0] = op->size;
        } else if (len == 0 && op->size == 1) {
            nd = 0; /* a number: einsum("", x) and einsum("i,->i", v, s) */
        }
        if (len != nd) {
            char sh[64];
            lm_tensor_shape_str(op, sh);
            lm_err_set(err, LM_ERR_SHAPE, "einsum: term %d has %d letter%s, but operand %d is %s (%d dimensions)", t + 1,
                       len, len == 1 ? "" : "s", t + 1, sh, op->ndim);
            return false;
        }
        for (int d = 0; d < len; d++) {
            int li = e->idx[t][d];
            if (e->size[li] >= 0 && e->size[li] != dims[d]) {
                lm_err_set(err, LM_ERR_SHAPE, "einsum: index %c has size %lld in one place and %lld in another",
                           letter_of(li), (long long)e->size[li], (long long)dims[d]);
                return false;
            }
            e->size[li] = dims[d];
            e->count[li]++;
        }
        t++;
        if (p >= end) break;
        p++; /* the comma */
    }
    e->nterms = t;
    if (t != n) {
        lm_err_set(err, LM_ERR_DOMAIN, "einsum(\"%s\", ...): the specification has %d term%s but %d operand%s %s given", spec,
                   t, t == 1 ? "" : "s", n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
        return false;
    }
    if (arrow) {
        bool seen[NLETTERS] = {false};
        for (const char *q = arrow + 2; *q; q++) {
            if (*q == ' ') continue;
            int li = letter_index(*q);
            if (li < 0 || e->size[li] < 0) {
                lm_err_set(err, LM_ERR_DOMAIN, "einsum: the output index '%c' does not appear in any input term", *q);
                return false;
            }
            if (seen[li]) {
                lm_err_set(err, LM_ERR_DOMAIN, "einsum: the output index %c appears twice", *q);
                return false;
            }
            if (e->outlen == LM_MAX_DIMS) {
                lm_err_set(err, LM_ERR_LIMIT, "einsum: the output has more than %d letters", LM_MAX_DIMS);
                return false;
            }
            seen[li] = true;
            e->out[e->outlen++] = li;
        }
    } else {
        /* NumPy's implicit mode: the letters used once, in alphabetical order */
        for (int li = 0; li < NLETTERS; li++)
            if (e->count[li] == 1) {
                if (e->outlen == LM_MAX_DIMS) {
                    lm_err_set(err, LM_ERR_LIMIT, "einsum: the output has more than %d letters", LM_MAX_DIMS);
                    return false;
                }
                e->out[e->outlen++] = li;
            }
    }
    return true;
}

/* When the spec is a plain contraction of two operands — no letter repeated
 * inside a term, every shared letter summed, every other letter kept — it is
 * tensordot followed by a permutation. Returns NULL with no error otherwise. */
static lm_tensor *esum_by_tensordot(const esum *e, const lm_tensor *const *ops, lm_err *err) {
    if (e->nterms != 2 || e->len[0] == 0 || e->len[1] == 0) return NULL;
    bool in_out[NLETTERS] = {false}, in_a[NLETTERS] = {false}, in_b[NLETTERS] = {false};
    for (int i = 0; i < e->outlen; i++) in_out[e->out[i]] = true;
    for (int d = 0; d < e->len[0]; d++) {
        if (in_a[e->idx[0][d]]) return NULL;
        in_a[e->idx[0][d]] = true;
    }
    for (int d = 0; d < e->len[1]; d++) {
        if (in_b[e->idx[1][d]]) return NULL;
        in_b[e->idx[1][d]] = true;
    }
    int axa[LM_MAX_DIMS], axb[LM_MAX_DIMS], nax = 0;
    for (int li = 0; li < NLETTERS; li++) {
        if (in_a[li] && in_b[li] && in_out[li]) return NULL; /* a batch index */
        if ((in_a[li] != in_b[li]) && !in_out[li]) return NULL; /* summed inside one operand */
    }
    /* operands as einsum sees them: a one-letter term on a vector is 1-D */
    lm_tensor *views[2] = {NULL, NULL};
    for (int t = 0; t < 2; t++) {
        const lm_tensor *op = ops[t];
        if (e->len[t] == 1 && op->ndim == 2) {
            int64_t shape[1] = {op->size};
            views[t] = lm_tensor_reshape(op, 1, shape, err);
        } else {
            views[t] = lm_tensor_new_view(op);
        }
        if (!views[t]) {
            lm_tensor_release(views[0]);
            return NULL;
        }
    }
    for (int d = 0; d < e->len[0]; d++) {
        int li = e->idx[0][d];
        if (!in_b[li]) continue;
        for (int q = 0; q < e->len[1]; q++)
            if (e->idx[1][q] == li) {
                axa[nax] = d;
                axb[nax++] = q;
            }
    }
    lm_tensor *r = contract(views[0], views[1], nax, axa, axb, err);
    lm_tensor_release(views[0]);
    lm_tensor_release(views[1]);
    if (!r) return NULL;
    /* contract() leaves a's free letters then b's; the output may order them
       differently */
    int have[LM_MAX_DIMS], nh = 0;
    for (int t = 0; t < 2; t++)
        for (int d = 0; d < e->len[t]; d++)
            if (!(t == 0 ? in_b : in_a)[e->idx[t][d]]) have[nh++] = e->idx[t][d];
    if (nh >= 2) {
        int perm[LM_MAX_DIMS];
        bool identity = true;
        for (int i = 0; i < nh; i++)
            for (int j = 0; j < nh; j++)
                if (have[j] == e->out[i]) {
                    perm[i] = j;
                    identity &= i == j;
                }
        if (!identity) {
            lm_tensor *v = lm_tensor_permute(r, perm, err);
            lm_tensor *c = v ? lm_tensor_copy(v, err) : NULL;
            lm_tensor_release(v);
            lm_tensor_release(r);
            r = c;
        }
    }
    return r;
}

lm_tensor *lm_tensor_einsum(const char *spec, int n, const lm_tensor *const *ops, lm_err *err) {
    esum e;
    for (int t = 0; t < n; t++)
        if (ops[t]->imag) {
            lm_err_set(err, LM_ERR_TYPE, "einsum works with real tensors; operand %d is complex", t + 1);
            return NULL;
        }
    if (!esum_parse(spec, n, ops, &e, err)) return NULL;
    lm_tensor *r = esum_by_tensordot(&e, ops, err);
    if (r) return at_least_2d(r);
    if (err->kind != LM_OK) return NULL;

    /* The general case: every combination of the letters' values, adding the
       product of the operands' elements into the output element they name. */
    int letters[NLETTERS], nl = 0;
    int64_t points = 1;
    for (int li = 0; li < NLETTERS; li++)
        if (e.size[li] >= 0) {
            letters[nl++] = li;
            if (e.size[li] == 0) points = 0;
            else if (points > 0 && e.size[li] > LM_MAX_ELEMS / points) points = LM_MAX_ELEMS + 1;
            else if (points > 0) points *= e.size[li];
        }
    if (points > LM_MAX_ELEMS) {
        lm_err_set(err, LM_ERR_LIMIT,
                   "einsum(\"%s\"): the loop over every index would take more than %lld steps (LM_MAX_ELEMS); write "
                   "it as products that tensordot can do",
                   spec, (long long)LM_MAX_ELEMS);
        return NULL;
    }
    int64_t oshape[LM_MAX_DIMS];
    for (int i = 0; i < e.outlen; i++) oshape[i] = e.size[e.out[i]];
    if (e.outlen == 0) oshape[0] = 1;
    r = lm_tensor_alloc_raw(e.outlen ? e.outlen : 1, oshape, false, true, err);
    if (!r) return NULL;
    /* stride of each letter in each operand (summed when a letter repeats in
       a term: "ii" walks the diagonal) and in the output */
    int64_t (*st)[NLETTERS] = lm_calloc((size_t)n + 1, sizeof *st);
    for (int t = 0; t < n; t++) {
        const lm_tensor *op = ops[t];
        bool flat = e.len[t] == 1 && op->ndim == 2;
        for (int d = 0; d < e.len[t]; d++) {
            int64_t s = op->stride[d];
            if (flat) s = op->size <= 1 ? 0 : op->shape[0] == 1 ? op->stride[1] : op->stride[0];
            st[t][e.idx[t][d]] += s;
        }
    }
    for (int i = 0; i < e.outlen; i++) st[n][e.out[i]] = r->stride[i];
    int64_t ctr[NLETTERS] = {0}, off[LM_MAX_DIMS + 2] = {0};
    for (int64_t p = 0; p < points; p++) {
        double prod = 1;
        for (int t = 0; t < n; t++) prod *= ops[t]->data[off[t]];
        r->data[off[n]] += prod;
        /* odometer over the letters, last letter fastest */
        for (int q = nl - 1; q >= 0; q--) {
            int li = letters[q];
            for (int t = 0; t <= n; t++) off[t] += st[t][li];
            if (++ctr[li] < e.size[li]) break;
            for (int t = 0; t <= n; t++) off[t] -= st[t][li] * e.size[li];
            ctr[li] = 0;
        }
    }
    lm_free(st);
    return at_least_2d(r);
}
