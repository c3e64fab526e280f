/* The storage order of operands inside sums and products: a deterministic total
 * order that never looks at addresses, so that x + y and y + x are one node and
 * every run stores (and later differentiates) the same tree. Also the sort that
 * the constructors use. Display order is the printer's business (print.c). */
#include "sym_int.h"

#include <string.h>

static int rank(const lm_expr *e) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: return 0;
    case LM_X_CONST: return 1;
    case LM_X_SYM: return 2;
    case LM_X_MUL: return 3;
    case LM_X_ADD: return 4;
    case LM_X_CALL: return 5;
    case LM_X_REL: return 6;
    case LM_X_POW: return 7; /* not reached: POWs compare through their base */
    case LM_X_MATRIX: return 9;
    }
    return 8;
}

static int sgn(int c) { return (c > 0) - (c < 0); }

static int cmp_args(const lm_expr *a, const lm_expr *b) {
    int n = a->nargs < b->nargs ? a->nargs : b->nargs;
    for (int i = 0; i < n; i++) {
        int c = lm_sym_cmp(a->args[i], b->args[i]);
        if (c) return c;
    }
    return (a->nargs > b->nargs) - (a->nargs < b->nargs);
}

static int cmp_exp(const lm_expr *x, const lm_expr *y);

/* lm_sym_cmp(<the number 1>, y) without making the node. */
static int cmp_one(const lm_expr *y) {
    lm_snum s;
    if (lm_snum_of(y, &s)) return lm_snum_cmp(lm_snum_int(1), s);
    if (y->op == LM_X_POW) {
        int c = cmp_one(y->args[0]);
        return c ? c : cmp_exp(NULL, y->args[1]);
    }
    return -1; /* numbers rank below everything else */
}

/* Exponents; NULL stands for the implicit exponent 1 of a non-POW. */
static int cmp_exp(const lm_expr *x, const lm_expr *y) {
    if (x == y) return 0;
    if (!x) return cmp_one(y);
    if (!y) return -cmp_one(x);
    return lm_sym_cmp(x, y);
}

int lm_sym_cmp(const lm_expr *a, const lm_expr *b) {
    if (a == b) return 0;
    if (a->op == LM_X_POW || b->op == LM_X_POW) {
        /* base first: x < x^2 < x^3 < y, and a product's equal bases are adjacent */
        int c = lm_sym_cmp(lm_sym_base(a), lm_sym_base(b));
        return c ? c : cmp_exp(lm_sym_exp(a), lm_sym_exp(b));
    }
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb ? -1 : 1;
    switch ((lm_xop)a->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: {
        lm_snum x, y;
        lm_snum_of(a, &x);
        lm_snum_of(b, &y);
        return lm_snum_cmp(x, y);
    }
    case LM_X_CONST: return (a->sub > b->sub) - (a->sub < b->sub);
    case LM_X_SYM: return sgn(strcmp(a->u.name, b->u.name));
    case LM_X_CALL: {
        int c = sgn(strcmp(a->u.name, b->u.name));
        return c ? c : cmp_args(a, b);
    }
    case LM_X_REL:
        if (a->sub != b->sub) return a->sub < b->sub ? -1 : 1;
        return cmp_args(a, b);
    default: return cmp_args(a, b);
    }
}

void lm_sym_term_split(const lm_expr *const *t, lm_snum *coef, lm_expr *const **f, int *nf) {
    const lm_expr *e = *t;
    if (e->op == LM_X_MUL) {
        if (lm_snum_of(e->args[0], coef)) {
            *f = e->args + 1;
            *nf = e->nargs - 1;
        } else {
            *coef = lm_snum_int(1);
            *f = e->args;
            *nf = e->nargs;
        }
    } else if (lm_snum_of(e, coef)) {
        *f = NULL;
        *nf = 0;
    } else {
        *coef = lm_snum_int(1);
        *f = (lm_expr *const *)t;
        *nf = 1;
    }
}

int lm_sym_rest_cmp(lm_expr *const *fa, int na, lm_expr *const *fb, int nb) {
    int n = na < nb ? na : nb;
    for (int i = 0; i < n; i++) {
        int c = lm_sym_cmp(fa[i], fb[i]);
        if (c) return c;
    }
    return (na > nb) - (na < nb);
}

/* End of the non-descending run that starts at i. */
static size_t run_end(void **v, size_t i, size_t n, int (*cmp)(const void *, const void *, void *), void *ud) {
    size_t j = i + 1;
    while (j < n && cmp(v[j - 1], v[j], ud) <= 0) j++;
    return j;
}

void lm_sym_sort(void **v, size_t n, int (*cmp)(const void *a, const void *b, void *ud), void *ud) {
    if (n < 2 || run_end(v, 0, n, cmp, ud) == n) return;
    void **tmp = lm_alloc(n * sizeof *tmp);
    void **src = v, **dst = tmp;
    for (;;) {
        size_t i = 0, runs = 0;
        while (i < n) {
            size_t mid = run_end(src, i, n, cmp, ud);
            size_t hi = mid < n ? run_end(src, mid, n, cmp, ud) : n;
            size_t a = i, b = mid, k = i;
            while (a < mid && b < hi) dst[k++] = cmp(src[a], src[b], ud) <= 0 ? src[a++] : src[b++];
            while (a < mid) dst[k++] = src[a++];
            while (b < hi) dst[k++] = src[b++];
            i = hi;
            runs++;
        }
        void **t = src;
        src = dst;
        dst = t;
        if (runs == 1) break;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    lm_free(tmp);
}
