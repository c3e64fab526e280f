/* Exact rational linear algebra for the small matrices learners work by hand:
 * overflow-checked int64 fractions, row reduction (fraction-free when silent,
 * narrated one row operation per step when not), and on it det, inv, rref,
 * solving, products, powers, sums. Overflow means floating point, never a wrong fraction. */
#include "exact_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* 2^53: every whole number below it in magnitude is a double without rounding. */
#define TWO53 9007199254740992.0

/* ---- rationals ---------------------------------------------------------- */

static lm_rat rat_overflow(bool *ovf) {
    lm_rat z = {0, 1};
    *ovf = true;
    return z;
}

lm_rat lm_rat_make(int64_t p, int64_t q, bool *ovf) {
    if (q == 0 || p == INT64_MIN || q == INT64_MIN) return rat_overflow(ovf);
    if (q < 0) {
        p = -p;
        q = -q;
    }
    int64_t g = lm_gcd64(p, q);
    lm_rat r = {p / g, q / g};
    return r;
}

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* n/d (d > 0) reduced, when both fit int64 (and n is not INT64_MIN). The 128-bit
 * route is the slow one, taken only when the int64 arithmetic overflowed: a
 * result that fits after reduction is then still exact instead of a fallback. */
static lm_rat reduce128(i128 n, i128 d, bool *ovf) {
    u128 x = n < 0 ? (u128)0 - (u128)n : (u128)n, y = (u128)d;
    while (y) {
        u128 t = x % y;
        x = y;
        y = t;
    }
    if (x > 1) {
        n /= (i128)x;
        d /= (i128)x;
    }
    if (n <= (i128)INT64_MIN || n > (i128)INT64_MAX || d > (i128)INT64_MAX) return rat_overflow(ovf);
    lm_rat r = {(int64_t)n, (int64_t)d};
    return r;
}

lm_rat lm_rat_add(lm_rat a, lm_rat b, bool *ovf) {
    int64_t t;
    if (a.q == 1 && b.q == 1) {
        if (__builtin_add_overflow(a.p, b.p, &t) || t == INT64_MIN) return rat_overflow(ovf);
        return lm_rat_int(t);
    }
    /* Knuth's form (TAOCP 4.5.1): dividing by gcd(a.q, b.q) first keeps the
       intermediate products as small as they can be, and the result comes out
       reduced without a second full gcd. */
    int64_t g = lm_gcd64(a.q, b.q), t1, t2, den;
    if (__builtin_mul_overflow(a.p, b.q / g, &t1) || __builtin_mul_overflow(b.p, a.q / g, &t2) ||
        __builtin_add_overflow(t1, t2, &t) || t == INT64_MIN)
        goto wide;
    if (t == 0) return lm_rat_int(0);
    int64_t g2 = lm_gcd64(t, g);
    if (__builtin_mul_overflow(a.q / g, b.q / g2, &den)) goto wide;
    lm_rat r = {t / g2, den};
    return r;
wide: /* |a.p·b.q| < 2^126, so the sum fits in 127 bits */
    return reduce128((i128)a.p * (b.q / g) + (i128)b.p * (a.q / g), (i128)(a.q / g) * b.q, ovf);
}

lm_rat lm_rat_sub(lm_rat a, lm_rat b, bool *ovf) { return lm_rat_add(a, lm_rat_neg(b), ovf); }

lm_rat lm_rat_mul(lm_rat a, lm_rat b, bool *ovf) {
    if (a.p == 0 || b.p == 0) return lm_rat_int(0);
    /* cross-cancel before multiplying, so the product is reduced and as small as possible */
    int64_t g1 = lm_gcd64(a.p, b.q), g2 = lm_gcd64(b.p, a.q), n, d;
    if (__builtin_mul_overflow(a.p / g1, b.p / g2, &n) || __builtin_mul_overflow(a.q / g2, b.q / g1, &d) ||
        n == INT64_MIN)
        return rat_overflow(ovf); /* already reduced: it cannot fit */
    lm_rat r = {n, d};
    return r;
}

lm_rat lm_rat_div(lm_rat a, lm_rat b, bool *ovf) {
    if (b.p == 0) return rat_overflow(ovf); /* callers never divide by zero; never answer wrongly if one does */
    lm_rat inv = {b.p < 0 ? -b.q : b.q, b.p < 0 ? -b.p : b.p};
    return lm_rat_mul(a, inv, ovf);
}

int lm_rat_cmp(lm_rat a, lm_rat b) {
    /* both cross products fit in 126 bits */
    i128 l = (i128)a.p * b.q, r = (i128)b.p * a.q;
    return l < r ? -1 : l > r;
}

/* ---- tensors in and out -------------------------------------------------- */

static bool eligible(const lm_tensor *t, int64_t maxc) {
    if (!t || t->imag || t->ndim != 2) return false;
    int64_t r = t->shape[0], c = t->shape[1];
    if (r < 1 || c < 1 || r > LM_EXACT_MAX_N || c > maxc) return false;
    if (t->exact) return true;
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++) {
            double v = lm_tensor_get2(t, i, j);
            if (!(fabs(v) < TWO53) || v != floor(v)) return false; /* also rejects NaN */
        }
    return true;
}

bool lm_exact_eligible(const lm_tensor *t) { return eligible(t, LM_EXACT_MAX_N); }
bool lm_exact_eligible_wide(const lm_tensor *t) { return eligible(t, LM_XMAT_COLS); }

/* Reads a matrix of up to maxc columns. */
static bool xmat_load(const lm_tensor *t, lm_xmat *m, int64_t maxc) {
    if (!eligible(t, maxc)) return false;
    int r = (int)t->shape[0], c = (int)t->shape[1];
    m->r = r;
    m->c = c;
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) {
            if (t->exact) {
                lm_rat q = t->exact[i * c + j];
                if (q.q <= 0 || q.p == INT64_MIN) return false; /* not one of ours: do not trust it */
                m->a[i][j] = q;
            } else {
                m->a[i][j] = lm_rat_int((int64_t)lm_tensor_get2(t, i, j));
            }
        }
    return true;
}

bool lm_xmat_load(const lm_tensor *t, lm_xmat *m) { return xmat_load(t, m, LM_EXACT_MAX_N); }

lm_tensor *lm_xmat_tensor(const lm_xmat *m, int r0, int c0, int nr, int nc, lm_err *err) {
    lm_tensor *t = lm_tensor_matrix(nr, nc, err);
    if (!t) return NULL;
    t->exact = lm_alloc((size_t)(nr * nc) * sizeof *t->exact);
    for (int i = 0; i < nr; i++)
        for (int j = 0; j < nc; j++) {
            lm_rat q = m->a[r0 + i][c0 + j];
            t->exact[i * nc + j] = q;
            t->data[i * nc + j] = lm_rat_double(q);
        }
    return t;
}

/* Step values follow the language's rule for results: "exact" appears exactly
 * when some entry is a fraction, so whole-number matrices read as they always do. */
lm_value lm_xmat_value(const lm_xmat *m, int r0, int c0, int nr, int nc) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_xmat_tensor(m, r0, c0, nr, nc, &err);
    lm_err_clear(&err);
    if (!t) return lm_nil();
    lm_exact_plain_if_integral(t);
    return lm_tensor_value(t);
}

lm_value lm_rat_value(lm_rat r) {
    if (r.q == 1 && fabs((double)r.p) < TWO53) return lm_num((double)r.p);
    lm_xmat m;
    m.r = m.c = 1;
    m.a[0][0] = r;
    return lm_xmat_value(&m, 0, 0, 1, 1);
}

void lm_exact_plain_if_integral(lm_tensor *t) {
    if (!t || !t->exact) return;
    for (int64_t k = 0; k < t->size; k++)
        if (t->exact[k].q != 1 || (double)t->exact[k].p >= TWO53 || (double)t->exact[k].p <= -TWO53) return;
    lm_free(t->exact);
    t->exact = NULL;
}

static bool not_exact(lm_err *err) {
    lm_err_set(err, LM_ERR_TYPE,
               "the exact path works with matrices of whole numbers or fractions, at most %d%s%d", LM_EXACT_MAX_N,
               LM_U_TIMES, LM_EXACT_MAX_N);
    return false;
}

static bool load_square(const lm_tensor *A, const char *op, lm_xmat *m, lm_err *err) {
    if (A->ndim != 2 || A->shape[0] != A->shape[1]) {
        char sa[64];
        lm_tensor_shape_str(A, sa);
        lm_err_set(err, LM_ERR_SHAPE, "%s needs a square matrix, but this one is %s", op, sa);
        return false;
    }
    return lm_xmat_load(A, m) || not_exact(err);
}

static bool xmat_mul(const lm_xmat *a, const lm_xmat *b, lm_xmat *c, bool *ovf) {
    c->r = a->r;
    c->c = b->c;
    for (int i = 0; i < a->r; i++)
        for (int j = 0; j < b->c; j++) {
            lm_rat s = lm_rat_int(0);
            for (int k = 0; k < a->c; k++) s = lm_rat_add(s, lm_rat_mul(a->a[i][k], b->a[k][j], ovf), ovf);
            c->a[i][j] = s;
        }
    return !*ovf;
}

/* ---- steps helpers ---------------------------------------------------------- */

/* Appends a step whose value is a matrix (or nil); the strings are copied. */
static void add_step(lm_steps *s, const char *rule, lm_value v, const lm_buf *latex, const lm_buf *text) {
    lm_steps_add(s, rule, v, latex ? lm_buf_cstr(latex) : NULL, "%s", lm_buf_cstr(text));
    lm_release(v);
}

/* "x·y" with the parentheses a product needs */
static void prod_text(lm_buf *b, lm_rat x, lm_rat y) {
    lm_xfmt_factor(b, x);
    lm_buf_puts(b, LM_U_DOT);
    lm_xfmt_factor(b, y);
}

static void prod_latex(lm_buf *b, lm_rat x, lm_rat y) {
    lm_xfmt_factor_latex(b, x);
    lm_buf_puts(b, " \\cdot ");
    lm_xfmt_factor_latex(b, y);
}

/* The right operand of a subtraction: only a negative needs parentheses. */
static void minus_operand(lm_buf *b, lm_rat r) {
    if (r.p < 0) lm_buf_putc(b, '(');
    lm_xfmt_rat(b, r);
    if (r.p < 0) lm_buf_putc(b, ')');
}

/* ---- narrated row reduction ------------------------------------------------ */

static void step_rowop(const lm_xreduce *x, const lm_xmat *m, const lm_buf *rule, const lm_buf *oplatex,
                       const lm_buf *text) {
    lm_buf lx = LM_BUF_INIT;
    lm_buf_printf(&lx, "\\xrightarrow{%s} ", lm_buf_cstr(oplatex));
    lm_xfmt_mat_latex(&lx, m, x->split, false);
    add_step(x->steps, lm_buf_cstr(rule), lm_xmat_value(m, 0, 0, m->r, m->c), &lx, text);
    lm_buf_free(&lx);
}

static void narrate_swap(const lm_xreduce *x, const lm_xmat *m, int row, int p, int j) {
    lm_buf rule = LM_BUF_INIT, lx = LM_BUF_INIT, t = LM_BUF_INIT;
    lm_buf_printf(&rule, "R%d " LM_U_LRARROW " R%d", row + 1, p + 1);
    lm_buf_printf(&lx, "R_%d \\leftrightarrow R_%d", row + 1, p + 1);
    lm_buf_printf(&t, "Row %d has 0 in column %d, so swap rows %d and %d to bring the non-zero entry ", row + 1, j + 1,
                  row + 1, p + 1);
    lm_xfmt_rat(&t, m->a[row][j]);
    lm_buf_puts(&t, " into the pivot position.");
    if (x->purpose == LM_XP_DET) lm_buf_puts(&t, " Swapping two rows flips the sign of the determinant.");
    if (x->purpose == LM_XP_SOLVE) lm_buf_puts(&t, " The order of the equations does not change the solution.");
    step_rowop(x, m, &rule, &lx, &t);
    lm_buf_free(&rule);
    lm_buf_free(&lx);
    lm_buf_free(&t);
}

/* Row `row` was just multiplied by s = 1/v to turn the pivot v into 1. */
static void narrate_scale(const lm_xreduce *x, const lm_xmat *m, int row, int j, lm_rat v, lm_rat s) {
    lm_buf rule = LM_BUF_INIT, lx = LM_BUF_INIT, t = LM_BUF_INIT;
    lm_buf_printf(&rule, "R%d " LM_U_LARROW " ", row + 1);
    lm_buf_printf(&lx, "R_%d \\leftarrow ", row + 1);
    if (s.p == -1 && s.q == 1) {
        lm_buf_putc(&rule, '-');
        lm_buf_putc(&lx, '-');
    } else {
        lm_xfmt_factor(&rule, s);
        lm_buf_puts(&rule, LM_U_DOT);
        lm_xfmt_rat_latex(&lx, s);
    }
    lm_buf_printf(&rule, "R%d", row + 1);
    lm_buf_printf(&lx, "R_%d", row + 1);
    if (v.q == 1 && v.p != -1) {
        lm_buf_printf(&t, "Divide row %d by %lld", row + 1, (long long)v.p);
    } else if (v.q == 1) {
        lm_buf_printf(&t, "Multiply row %d by -1", row + 1);
    } else {
        lm_buf_printf(&t, "Multiply row %d by ", row + 1);
        lm_xfmt_rat(&t, s);
        lm_buf_puts(&t, ", the reciprocal of the pivot ");
        lm_xfmt_rat(&t, v);
        lm_buf_putc(&t, ',');
    }
    lm_buf_printf(&t, " so that the pivot in column %d becomes 1.", j + 1);
    step_rowop(x, m, &rule, &lx, &t);
    lm_buf_free(&rule);
    lm_buf_free(&lx);
    lm_buf_free(&t);
}

/* Row i just became R_i - f·R_row, clearing the entry e under (or over) the pivot pv. */
static void narrate_elim(const lm_xreduce *x, const lm_xmat *m, int i, int row, int j, lm_rat e, lm_rat pv,
                         lm_rat f) {
    lm_buf rule = LM_BUF_INIT, lx = LM_BUF_INIT, t = LM_BUF_INIT;
    bool sub = f.p > 0;
    lm_rat mag = sub ? f : lm_rat_neg(f);
    lm_buf_printf(&rule, "R%d " LM_U_LARROW " R%d %c ", i + 1, i + 1, sub ? '-' : '+');
    lm_buf_printf(&lx, "R_%d \\leftarrow R_%d %c ", i + 1, i + 1, sub ? '-' : '+');
    if (!lm_rat_is_one(mag)) {
        lm_xfmt_factor(&rule, mag);
        lm_buf_puts(&rule, LM_U_DOT);
        lm_xfmt_rat_latex(&lx, mag);
    }
    lm_buf_printf(&rule, "R%d", row + 1);
    lm_buf_printf(&lx, "R_%d", row + 1);

    lm_buf_puts(&t, sub ? "Subtract " : "Add ");
    if (!lm_rat_is_one(mag)) {
        lm_xfmt_rat(&t, mag);
        lm_buf_puts(&t, " times ");
    }
    lm_buf_printf(&t, sub ? "row %d from row %d" : "row %d to row %d", row + 1, i + 1);
    if (x->purpose == LM_XP_SOLVE)
        lm_buf_printf(&t, " to eliminate x_%d from equation %d", j + 1, i + 1);
    else
        lm_buf_printf(&t, " to make the entry %s the pivot in column %d zero", i > row ? "below" : "above", j + 1);
    if (!lm_rat_is_one(pv)) {
        lm_buf_puts(&t, " (the multiplier ");
        lm_xfmt_rat(&t, f);
        lm_buf_puts(&t, " is the entry ");
        lm_xfmt_rat(&t, e);
        lm_buf_puts(&t, " divided by the pivot ");
        lm_xfmt_rat(&t, pv);
        lm_buf_putc(&t, ')');
    }
    lm_buf_putc(&t, '.');
    if (x->purpose == LM_XP_DET) lm_buf_puts(&t, " Adding a multiple of one row to another does not change the determinant.");
    if (x->purpose == LM_XP_LU) {
        lm_buf_puts(&t, " L keeps the multiplier ");
        lm_xfmt_rat(&t, f);
        lm_buf_printf(&t, " at (%d, %d).", i + 1, j + 1);
    }
    step_rowop(x, m, &rule, &lx, &t);
    lm_buf_free(&rule);
    lm_buf_free(&lx);
    lm_buf_free(&t);
}

static void narrate_free(const lm_xreduce *x, const lm_xmat *m, int row, int j) {
    lm_buf t = LM_BUF_INIT;
    lm_buf_printf(&t, "Column %d has no non-zero entry in row %d or below, so it gets no pivot and its variable is free.",
                  j + 1, row + 1);
    if (j + 1 < x->pivot_cols && row < m->r) lm_buf_printf(&t, " Move on to column %d.", j + 2);
    add_step(x->steps, "no pivot", lm_nil(), NULL, &t);
    lm_buf_free(&t);
}

/* The first column in [0, pivot_cols) that holds no pivot, or -1. */
static int first_free_column(const lm_xreduce *x) {
    for (int j = 0, k = 0; j < x->pivot_cols; j++) {
        if (k < x->rank && x->pivots[k] == j) {
            k++;
            continue;
        }
        return j;
    }
    return -1;
}

/* (p·a - e·b) / prev, which fraction-free elimination knows to be a whole
 * number (a minor of the input); false when it is not one or leaves int64, so a
 * surprise can only cost exactness, never correctness. */
static bool ff_update(int64_t p, int64_t a, int64_t e, int64_t b, int64_t prev, int64_t *out) {
    int64_t u, v, w;
    if (!__builtin_mul_overflow(p, a, &u) && !__builtin_mul_overflow(e, b, &v) && !__builtin_sub_overflow(u, v, &w) &&
        w != INT64_MIN) {
        if (prev == 1) {
            *out = w;
            return true;
        }
        if (w % prev) return false;
        *out = w / prev;
        return true;
    }
    i128 z = (i128)p * a - (i128)e * b; /* each product < 2^126 */
    if (z % prev) return false;
    z /= prev;
    if (z <= (i128)INT64_MIN || z > (i128)INT64_MAX) return false;
    *out = (int64_t)z;
    return true;
}

/* Fraction-free Gauss–Jordan (Bareiss): each row is first scaled to whole
 * numbers, then every step replaces M[i][k] by (p·M[i][k] - M[i][j]·M[r][k]) /
 * previous pivot, so all entries stay minors of the input and every pivot ends
 * equal to the last one, d. Dividing the rows by d gives the reduced row
 * echelon form, the same (it is unique) as the rational path gives. */
static bool ff_reduce(lm_xmat *m, lm_xreduce *x) {
    int r = m->r, c = m->c;
    int64_t M[LM_EXACT_MAX_N][LM_XMAT_COLS];
    bool ovf = false, scale_ovf = false;
    lm_rat scale = lm_rat_int(1); /* product of the row scales: det(DA) = det(D)·det(A) */
    for (int i = 0; i < r; i++) {
        int64_t l = 1;
        for (int j = 0; j < c; j++)
            if (__builtin_mul_overflow(l / lm_gcd64(l, m->a[i][j].q), m->a[i][j].q, &l)) return false;
        for (int j = 0; j < c; j++)
            if (__builtin_mul_overflow(m->a[i][j].p, l / m->a[i][j].q, &M[i][j]) || M[i][j] == INT64_MIN)
                return false;
        scale = lm_rat_mul(scale, lm_rat_int(l), &scale_ovf);
    }
    int64_t prev = 1;
    int row = 0;
    x->reduced = false;
    x->rank = x->swaps = 0;
    x->first_free = -1;
    for (int j = 0; j < x->pivot_cols && row < r; j++) {
        int p = row;
        while (p < r && M[p][j] == 0) p++;
        if (p == r) {
            if (x->first_free < 0) x->first_free = j;
            if (x->stop_at_free) return true;
            continue;
        }
        if (p != row) {
            for (int k = 0; k < c; k++) {
                int64_t t = M[row][k];
                M[row][k] = M[p][k];
                M[p][k] = t;
            }
            x->swaps++;
        }
        int64_t pv = M[row][j];
        for (int i = 0; i < r; i++) {
            if (i == row) continue;
            int64_t e = M[i][j];
            for (int k = 0; k < c; k++)
                if (k != j && !ff_update(pv, M[i][k], e, M[row][k], prev, &M[i][k])) return false;
            M[i][j] = 0;
        }
        prev = pv;
        x->pivots[row] = j;
        x->rank = ++row;
    }
    if (x->first_free < 0) x->first_free = first_free_column(x);
    for (int i = 0; i < r; i++)
        for (int k = 0; k < c; k++) m->a[i][k] = lm_rat_make(M[i][k], prev, &ovf);
    if (ovf) return false; /* cannot happen with entries above INT64_MIN; never trust a half-made matrix */
    bool det_ovf = scale_ovf;
    x->reduced = true;
    x->det_ok = false;
    x->det = lm_rat_int(0);
    if (r == x->pivot_cols && x->rank == r) {
        lm_rat d = lm_rat_div(lm_rat_int(x->swaps % 2 ? -prev : prev), scale, &det_ovf);
        x->det_ok = !det_ovf;
        x->det = d;
    } else if (r == x->pivot_cols) {
        x->det_ok = true; /* rank-deficient square: det is 0 */
    }
    return true; /* an overflow in det alone leaves the echelon form good (det_ok false) */
}

bool lm_xreduce_run(lm_xmat *m, lm_xreduce *x) {
    bool ovf = false;
    int row = 0;
    if (!x->steps) {
        lm_xmat saved = *m;
        if (ff_reduce(m, x)) return true;
        *m = saved; /* the fractions may still fit where the minors did not */
    }
    x->reduced = false;
    x->det_ok = false;
    x->rank = 0;
    x->swaps = 0;
    x->first_free = -1;
    for (int j = 0; j < x->pivot_cols && row < m->r; j++) {
        /* The first non-zero entry is the pivot: exact arithmetic has no
           rounding to fight, so there is no need to hunt for the largest one,
           and the steps then match what a learner does by hand. */
        int p = row;
        while (p < m->r && lm_rat_is_zero(m->a[p][j])) p++;
        if (p == m->r) {
            if (x->first_free < 0) x->first_free = j;
            if (x->stop_at_free) return true;
            if (x->steps && x->purpose == LM_XP_RREF) narrate_free(x, m, row, j);
            continue;
        }
        if (p != row) {
            for (int k = 0; k < m->c; k++) {
                lm_rat tmp = m->a[row][k];
                m->a[row][k] = m->a[p][k];
                m->a[p][k] = tmp;
            }
            x->swaps++;
            if (x->steps) narrate_swap(x, m, row, p, j);
        }
        if (x->full && !lm_rat_is_one(m->a[row][j])) {
            lm_rat v = m->a[row][j], s = lm_rat_div(lm_rat_int(1), v, &ovf);
            for (int k = 0; k < m->c; k++) m->a[row][k] = lm_rat_mul(m->a[row][k], s, &ovf);
            if (ovf) return false;
            if (x->steps) narrate_scale(x, m, row, j, v, s);
        }
        for (int i = x->full ? 0 : row + 1; i < m->r; i++) {
            if (i == row || lm_rat_is_zero(m->a[i][j])) continue;
            lm_rat e = m->a[i][j], pv = m->a[row][j], f = lm_rat_div(e, pv, &ovf);
            for (int k = 0; k < m->c; k++)
                if (!lm_rat_is_zero(m->a[row][k]))
                    m->a[i][k] = lm_rat_sub(m->a[i][k], lm_rat_mul(f, m->a[row][k], &ovf), &ovf);
            if (ovf) return false;
            if (x->steps) narrate_elim(x, m, i, row, j, e, pv, f);
        }
        x->pivots[row] = j;
        x->rank = ++row;
    }
    if (x->first_free < 0) x->first_free = first_free_column(x); /* the rows ran out first */
    return true;
}

/* ---- determinant ------------------------------------------------------------- */

/* det of [a b; c d] with its text "a·d - b·c = ad - bc" (when t is given). */
static lm_rat det2_text(lm_rat a, lm_rat b, lm_rat c, lm_rat d, lm_buf *t, lm_buf *lx, bool *ovf) {
    lm_rat ad = lm_rat_mul(a, d, ovf), bc = lm_rat_mul(b, c, ovf), r = lm_rat_sub(ad, bc, ovf);
    if (*ovf) return r;
    if (t) {
        prod_text(t, a, d);
        lm_buf_puts(t, " - ");
        prod_text(t, b, c);
        lm_buf_puts(t, " = ");
        lm_xfmt_rat(t, ad);
        lm_buf_puts(t, " - ");
        minus_operand(t, bc);
        lm_buf_puts(t, " = ");
        lm_xfmt_rat(t, r);
    }
    if (lx) {
        prod_latex(lx, a, d);
        lm_buf_puts(lx, " - ");
        prod_latex(lx, b, c);
        lm_buf_puts(lx, " = ");
        lm_xfmt_rat_latex(lx, r);
    }
    return r;
}

static lm_rat det_small_steps(const lm_xmat *m, lm_steps *steps, bool *ovf) {
    int n = m->r;
    lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
    lm_rat det = lm_rat_int(0);
    if (n == 1) {
        det = m->a[0][0];
        lm_buf_puts(&t, "The determinant of a 1" LM_U_TIMES "1 matrix is its only entry: det(A) = ");
        lm_xfmt_rat(&t, det);
        lm_buf_putc(&t, '.');
        lm_buf_puts(&lx, "\\det A = ");
        lm_xfmt_rat_latex(&lx, det);
        add_step(steps, "1" LM_U_TIMES "1", lm_rat_value(det), &lx, &t);
    } else if (n == 2) {
        lm_buf_puts(&t, "For a 2" LM_U_TIMES "2 matrix [a b; c d] the determinant is ad - bc: det(A) = ");
        lm_xfmt_mat_latex(&lx, m, 0, true);
        lm_buf_puts(&lx, " = ");
        det = det2_text(m->a[0][0], m->a[0][1], m->a[1][0], m->a[1][1], &t, &lx, ovf);
        lm_buf_putc(&t, '.');
        if (!*ovf) add_step(steps, "ad - bc", lm_rat_value(det), &lx, &t);
    } else {
        /* 3×3: cofactor expansion along the first row, as taught by hand */
        lm_buf_puts(&t, "Expand along the first row (cofactor expansion): det(A) = a_11" LM_U_DOT "det(M_11) - a_12" LM_U_DOT
                        "det(M_12) + a_13" LM_U_DOT "det(M_13), where M_1j is A without row 1 and column j. For a 3"
                        LM_U_TIMES "3 matrix this needs only three 2" LM_U_TIMES "2 determinants, which is quicker by "
                        "hand than row reduction.");
        lm_buf_puts(&lx, "\\det A = a_{11}\\det M_{11} - a_{12}\\det M_{12} + a_{13}\\det M_{13}");
        add_step(steps, "cofactor expansion", lm_xmat_value(m, 0, 0, 3, 3), &lx, &t);
        lm_rat term[3];
        for (int j = 0; j < 3 && !*ovf; j++) {
            lm_xmat minor;
            minor.r = minor.c = 2;
            for (int i = 1; i < 3; i++)
                for (int k = 0, c = 0; k < 3; k++)
                    if (k != j) minor.a[i - 1][c++] = m->a[i][k];
            lm_rat a = m->a[0][j];
            bool neg = j == 1;
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_printf(&t, "Term %d (sign %c): a_1%d = ", j + 1, neg ? '-' : '+', j + 1);
            lm_xfmt_rat(&t, a);
            lm_buf_printf(&lx, "%sa_{1%d}\\det M_{1%d} = %s", neg ? "-" : "", j + 1, j + 1, neg ? "-" : "");
            if (lm_rat_is_zero(a)) {
                term[j] = lm_rat_int(0);
                lm_buf_printf(&t, ", so this term is 0 whatever det(M_1%d) is.", j + 1);
                lm_buf_puts(&lx, "0 \\cdot \\det M_{1");
                lm_buf_printf(&lx, "%d} = 0", j + 1);
            } else {
                lm_buf_printf(&t, ", and M_1%d (A without row 1 and column %d) is ", j + 1, j + 1);
                lm_xfmt_mat_text(&t, &minor);
                lm_buf_printf(&t, ", with det(M_1%d) = ", j + 1);
                lm_xfmt_factor_latex(&lx, a);
                lm_buf_puts(&lx, " \\cdot ");
                lm_xfmt_mat_latex(&lx, &minor, 0, true);
                lm_buf_puts(&lx, " = ");
                lm_rat dm = det2_text(minor.a[0][0], minor.a[0][1], minor.a[1][0], minor.a[1][1], &t, NULL, ovf);
                term[j] = lm_rat_mul(a, dm, ovf);
                if (neg) term[j] = lm_rat_neg(term[j]);
                lm_buf_puts(&t, ". The term is ");
                if (neg) lm_buf_putc(&t, '-');
                prod_text(&t, a, dm);
                lm_buf_puts(&t, " = ");
                lm_xfmt_rat(&t, term[j]);
                lm_buf_putc(&t, '.');
                if (neg) lm_buf_putc(&lx, '-');
                prod_latex(&lx, a, dm);
                lm_buf_puts(&lx, " = ");
                lm_xfmt_rat_latex(&lx, term[j]);
            }
            if (!*ovf) add_step(steps, "cofactor", lm_xmat_value(&minor, 0, 0, 2, 2), &lx, &t);
        }
        if (!*ovf) {
            det = lm_rat_add(lm_rat_add(term[0], term[1], ovf), term[2], ovf);
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_puts(&t, "Add the three terms: det(A) = ");
            lm_buf_puts(&lx, "\\det A = ");
            for (int j = 0; j < 3; j++) {
                lm_xfmt_term(&t, term[j], NULL, j == 0, false);
                lm_xfmt_term(&lx, term[j], NULL, j == 0, true);
            }
            lm_buf_puts(&t, " = ");
            lm_xfmt_rat(&t, det);
            lm_buf_putc(&t, '.');
            lm_buf_puts(&lx, " = ");
            lm_xfmt_rat_latex(&lx, det);
            if (!*ovf) add_step(steps, "sum of terms", lm_rat_value(det), &lx, &t);
        }
    }
    lm_buf_free(&t);
    lm_buf_free(&lx);
    return det;
}

static long long factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

/* Forward elimination to triangular form; det is the signed product of the pivots. */
static lm_rat det_elim(lm_xmat *m, lm_steps *steps, bool *ovf) {
    int n = m->r;
    lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
    if (steps) {
        lm_buf_printf(&t, "Reduce A to upper triangular form with row operations. Cofactor expansion of a %d" LM_U_TIMES
                          "%d matrix would need %d determinants of size %d" LM_U_TIMES "%d (%lld products in all); "
                          "elimination needs far fewer. Adding a multiple of one row to another leaves det(A) "
                          "unchanged, and each row swap flips its sign.",
                      n, n, n, n - 1, n - 1, factorial(n));
        lm_xfmt_mat_latex(&lx, m, 0, true);
        add_step(steps, "elimination", lm_xmat_value(m, 0, 0, n, n), &lx, &t);
    }
    lm_xreduce x = {.steps = steps, .purpose = LM_XP_DET, .pivot_cols = n, .stop_at_free = true};
    if (!lm_xreduce_run(m, &x)) {
        *ovf = true;
        goto out;
    }
    lm_rat det = lm_rat_int(0);
    if (x.reduced && x.rank == n) { /* fraction-free, no steps */
        if (!x.det_ok) *ovf = true;
        det = x.det;
        goto out_det;
    }
    if (x.rank < n) {
        if (steps) {
            lm_buf_reset(&t);
            lm_buf_reset(&lx);
            lm_buf_printf(&t, "Column %d has no non-zero entry on or below the diagonal, so the triangular form has 0 "
                              "on its diagonal: the columns of A are linearly dependent and det(A) = 0.",
                          x.first_free + 1);
            lm_buf_puts(&lx, "\\det A = 0");
            add_step(steps, "zero pivot", lm_rat_value(det), &lx, &t);
        }
        goto out_det;
    }
    det = lm_rat_int(1);
    for (int i = 0; i < n; i++) det = lm_rat_mul(det, m->a[i][i], ovf);
    lm_rat unsigned_det = det;
    if (x.swaps % 2) det = lm_rat_neg(det);
    if (*ovf) goto out;
    if (steps) {
        lm_buf_reset(&t);
        lm_buf_reset(&lx);
        lm_buf_puts(&t, "The matrix is now upper triangular, so its determinant is the product of the diagonal "
                        "entries: ");
        lm_buf_puts(&lx, x.swaps % 2 ? "\\det A = -(" : "\\det A = ");
        for (int i = 0; i < n; i++) {
            if (i) {
                lm_buf_puts(&t, LM_U_DOT);
                lm_buf_puts(&lx, " \\cdot ");
            }
            lm_xfmt_factor(&t, m->a[i][i]);
            lm_xfmt_factor_latex(&lx, m->a[i][i]);
        }
        lm_buf_puts(&t, " = ");
        lm_xfmt_rat(&t, unsigned_det);
        lm_buf_putc(&t, '.');
        if (x.swaps == 1)
            lm_buf_puts(&t, " One row swap flipped the sign, so det(A) = ");
        else if (x.swaps % 2)
            lm_buf_printf(&t, " The %d row swaps flipped the sign an odd number of times, so det(A) = ", x.swaps);
        else if (x.swaps)
            lm_buf_printf(&t, " The %d row swaps flipped the sign an even number of times, so det(A) = ", x.swaps);
        if (x.swaps) {
            lm_xfmt_rat(&t, det);
            lm_buf_putc(&t, '.');
        }
        if (x.swaps % 2) lm_buf_putc(&lx, ')');
        lm_buf_puts(&lx, " = ");
        lm_xfmt_rat_latex(&lx, det);
        add_step(steps, "product of the diagonal", lm_rat_value(det), &lx, &t);
    }
out_det:
    lm_buf_free(&t);
    lm_buf_free(&lx);
    return det;
out:
    lm_buf_free(&t);
    lm_buf_free(&lx);
    return lm_rat_int(0);
}

lm_tensor *lm_exact_det(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_xmat m;
    if (!load_square(A, "det", &m, err)) return NULL;
    lm_rat d = steps && m.r <= 3 ? det_small_steps(&m, steps, overflow) : det_elim(&m, steps, overflow);
    if (*overflow) return NULL;
    lm_xmat r;
    r.r = r.c = 1;
    r.a[0][0] = d;
    return lm_xmat_tensor(&r, 0, 0, 1, 1, err);
}

/* ---- inverse ------------------------------------------------------------------ */

/* A \ b names A through the equation A x = b; inv's argument has no name here. */
static const char *const singular_msg =
    "singular matrix: A is not invertible (det(A) = 0, so its columns are linearly dependent)";
static const char *const singular_inv_msg = "singular matrix: the matrix is not invertible (its determinant is 0, so "
                                            "its columns are linearly dependent); try pinv, the pseudo-inverse, instead";

lm_tensor *lm_exact_inv(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_xmat m;
    if (!load_square(A, "inv", &m, err)) return NULL;
    int n = m.r;
    m.c = 2 * n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) m.a[i][n + j] = lm_rat_int(i == j);
    if (steps) {
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
        lm_buf_puts(&t, "Write A and the identity matrix side by side as [A | I]. Row operations that turn the left "
                        "half into I turn the right half into inv(A).");
        lm_xfmt_mat_latex(&lx, &m, n, false);
        add_step(steps, "[A | I]", lm_xmat_value(&m, 0, 0, n, 2 * n), &lx, &t);
        lm_buf_free(&t);
        lm_buf_free(&lx);
    }
    lm_xreduce x = {.steps = steps, .purpose = LM_XP_INV, .split = n, .pivot_cols = n, .full = true, .stop_at_free = true};
    if (!lm_xreduce_run(&m, &x)) {
        *overflow = true;
        return NULL;
    }
    if (x.rank < n) {
        lm_err_set(err, LM_ERR_SINGULAR, "%s", singular_inv_msg);
        return NULL;
    }
    return lm_xmat_tensor(&m, 0, n, n, n, err);
}

/* ---- LU with partial pivoting ------------------------------------------------------ */

static lm_rat rat_abs(lm_rat a) { return a.p < 0 ? lm_rat_neg(a) : a; }

/* One LU factorization in progress: u starts as A and ends as U (with the
 * zeros elimination made), l collects the multipliers, perm[i] is the row of A
 * that is now row i. */
typedef struct xlu {
    lm_xmat u, l;
    int perm[LM_EXACT_MAX_N];
    int k; /* min(rows, cols) */
} xlu;

static void narrate_lu_swap(const lm_xreduce *x, const xlu *f, int j, int piv) {
    lm_buf rule = LM_BUF_INIT, lx = LM_BUF_INIT, t = LM_BUF_INIT;
    lm_buf_printf(&rule, "R%d " LM_U_LRARROW " R%d", j + 1, piv + 1);
    lm_buf_printf(&lx, "R_%d \\leftrightarrow R_%d", j + 1, piv + 1);
    lm_buf_printf(&t, "Column %d: the entry of largest size on or below the diagonal is ", j + 1);
    lm_xfmt_rat(&t, f->u.a[j][j]);
    lm_buf_printf(&t, ", in row %d, so swap rows %d and %d to make it the pivot (a largest pivot keeps every "
                      "multiplier at most 1 in size, which is what keeps LU accurate in floating point). P records "
                      "the swap",
                  piv + 1, j + 1, piv + 1);
    lm_buf_puts(&t, j > 0 ? "; the multipliers already in L swap with their rows." : ".");
    step_rowop(x, &f->u, &rule, &lx, &t);
    lm_buf_free(&rule);
    lm_buf_free(&lx);
    lm_buf_free(&t);
}

/* dgetrf's algorithm, so that P is the one the floating-point path finds: the
 * pivot is the first entry of largest magnitude on or below the diagonal;
 * whole rows swap (the multipliers already found with them); a zero column
 * leaves U singular and the elimination goes on. With steps, each swap and
 * each elimination is a step. False on overflow. */
static bool lu_run(xlu *f, lm_steps *steps) {
    lm_xmat *u = &f->u, *l = &f->l;
    int r = u->r, c = u->c, k = r < c ? r : c;
    f->k = k;
    l->r = r;
    l->c = k;
    for (int i = 0; i < r; i++) {
        f->perm[i] = i;
        for (int j = 0; j < k; j++) l->a[i][j] = lm_rat_int(i == j);
    }
    lm_xreduce x = {.steps = steps, .purpose = LM_XP_LU};
    bool ovf = false;
    for (int j = 0; j < k; j++) {
        int piv = j;
        for (int i = j + 1; i < r; i++)
            if (lm_rat_cmp(rat_abs(u->a[i][j]), rat_abs(u->a[piv][j])) > 0) piv = i;
        if (piv != j) {
            for (int jj = 0; jj < c; jj++) {
                lm_rat t = u->a[j][jj];
                u->a[j][jj] = u->a[piv][jj];
                u->a[piv][jj] = t;
            }
            for (int jj = 0; jj < j; jj++) {
                lm_rat t = l->a[j][jj];
                l->a[j][jj] = l->a[piv][jj];
                l->a[piv][jj] = t;
            }
            int t = f->perm[j];
            f->perm[j] = f->perm[piv];
            f->perm[piv] = t;
            if (steps) narrate_lu_swap(&x, f, j, piv);
        }
        lm_rat pv = u->a[j][j];
        if (lm_rat_is_zero(pv)) {
            if (steps) {
                lm_buf t = LM_BUF_INIT;
                lm_buf_printf(&t, "Column %d has no non-zero entry on or below the diagonal, so U gets a 0 pivot "
                                  "there (A is singular) and there is nothing to eliminate; move on to the next "
                                  "column.",
                              j + 1);
                add_step(steps, "zero pivot", lm_nil(), NULL, &t);
                lm_buf_free(&t);
            }
            continue;
        }
        for (int i = j + 1; i < r; i++) {
            lm_rat e = u->a[i][j];
            if (lm_rat_is_zero(e)) continue;
            lm_rat m = lm_rat_div(e, pv, &ovf);
            l->a[i][j] = m;
            u->a[i][j] = lm_rat_int(0);
            for (int jj = j + 1; jj < c; jj++) u->a[i][jj] = lm_rat_sub(u->a[i][jj], lm_rat_mul(m, u->a[j][jj], &ovf), &ovf);
            if (ovf) return false;
            if (steps) narrate_elim(&x, u, i, j, j, e, pv, m);
        }
    }
    return true;
}

static bool lu_load(const lm_tensor *A, xlu *f, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    if (!lm_xmat_load(A, &f->u)) return not_exact(err);
    if (lu_run(f, steps)) return true;
    *overflow = true;
    return false;
}

lm_status lm_exact_lu(const lm_tensor *A, lm_tensor **L, lm_tensor **U, lm_tensor **P, bool *overflow, lm_err *err) {
    *L = *U = NULL;
    if (P) *P = NULL;
    xlu f;
    if (!lu_load(A, &f, NULL, overflow, err)) return *overflow ? LM_ERR_LIMIT : err->kind;
    int r = f.u.r, c = f.u.c, k = f.k;
    lm_xmat l = {.r = r, .c = k}, pm = {.r = r, .c = r};
    for (int i = 0; i < r; i++) {
        /* without P the rows of L go back to A's order: A = (Pᵀ·L)·U */
        for (int j = 0; j < k; j++) l.a[P ? i : f.perm[i]][j] = f.l.a[i][j];
        for (int j = 0; j < r; j++) pm.a[i][j] = lm_rat_int(f.perm[i] == j);
    }
    *L = lm_xmat_tensor(&l, 0, 0, r, k, err);
    *U = *L ? lm_xmat_tensor(&f.u, 0, 0, k, c, err) : NULL;
    if (P && *U) *P = lm_xmat_tensor(&pm, 0, 0, r, r, err);
    if (!*U || (P && !*P)) {
        lm_tensor_release(*L);
        lm_tensor_release(*U);
        *L = *U = NULL;
        return err->kind;
    }
    return LM_OK;
}

lm_tensor *lm_exact_lu_packed(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    xlu f;
    if (!lu_load(A, &f, steps, overflow, err)) return NULL;
    int r = f.u.r, c = f.u.c, k = f.k;
    if (steps) {
        lm_buf t = LM_BUF_INIT;
        lm_buf_puts(&t, "L is lower triangular: ones on its diagonal and, below it, each multiplier where it was "
                        "used.");
        add_step(steps, "L", lm_xmat_value(&f.l, 0, 0, r, k), NULL, &t);
        lm_buf_reset(&t);
        lm_buf_puts(&t, "U is upper triangular: the matrix elimination left.");
        add_step(steps, "U", lm_xmat_value(&f.u, 0, 0, k, c), NULL, &t);
        lm_xmat pm = {.r = r, .c = r};
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++) pm.a[i][j] = lm_rat_int(f.perm[i] == j);
        lm_buf_reset(&t);
        lm_buf_puts(&t, "P is the identity with its rows in the order the swaps left the rows of A, so that P·A = "
                        "L·U; [L, U, P] = lu(A) gives all three. With one output, lu(A) packs L and U into one "
                        "matrix: L's multipliers below the diagonal (its ones left out), U on and above it.");
        add_step(steps, "P", lm_xmat_value(&pm, 0, 0, r, r), NULL, &t);
        lm_buf_free(&t);
    }
    /* dgetrf's packed form: U on and above the diagonal, L's multipliers below */
    for (int i = 0; i < r; i++)
        for (int j = 0; j < i && j < k; j++) f.u.a[i][j] = f.l.a[i][j];
    return lm_xmat_tensor(&f.u, 0, 0, r, c, err);
}

/* ---- reduced row echelon form ----------------------------------------------------- */

static void list_columns(lm_buf *b, const int *cols, int n) {
    lm_buf_puts(b, n == 1 ? "column " : "columns ");
    for (int k = 0; k < n; k++) {
        if (k) lm_buf_puts(b, k == n - 1 ? " and " : ", ");
        lm_buf_printf(b, "%d", cols[k] + 1);
    }
}

lm_tensor *lm_exact_rref_pivots(const lm_tensor *A, lm_steps *steps, int *pivots, int *npivots, bool *overflow,
                                lm_err *err) {
    *overflow = false;
    lm_xmat m;
    if (!xmat_load(A, &m, LM_XMAT_COLS)) {
        not_exact(err);
        return NULL;
    }
    lm_xreduce x = {.steps = steps, .purpose = LM_XP_RREF, .pivot_cols = m.c, .full = true};
    if (!lm_xreduce_run(&m, &x)) {
        *overflow = true;
        return NULL;
    }
    if (pivots)
        for (int k = 0; k < x.rank; k++) pivots[k] = x.pivots[k];
    if (npivots) *npivots = x.rank;
    if (steps) {
        lm_buf t = LM_BUF_INIT;
        int freec[LM_XMAT_COLS], nfree = 0;
        for (int j = 0, k = 0; j < m.c; j++) {
            if (k < x.rank && x.pivots[k] == j) k++;
            else freec[nfree++] = j;
        }
        if (x.rank == 0) {
            lm_buf_puts(&t, "A is all zeros, which is already in reduced row echelon form: there are no pivots, so "
                            "the rank is 0.");
        } else {
            lm_buf_puts(&t, "Done: each pivot is 1 and is the only non-zero entry in its column, and the pivots step "
                            "down to the right, so this is the reduced row echelon form. The pivots are in ");
            list_columns(&t, x.pivots, x.rank);
            lm_buf_printf(&t, ", so the rank is %d", x.rank);
            if (nfree) {
                lm_buf_puts(&t, "; ");
                list_columns(&t, freec, nfree);
                lm_buf_puts(&t, nfree == 1 ? " has no pivot, so its variable is free." : " have no pivot, so their variables are free.");
            } else {
                lm_buf_puts(&t, " and every column has a pivot.");
            }
        }
        add_step(steps, "pivot columns", lm_nil(), NULL, &t);
        lm_buf_free(&t);
    }
    return lm_xmat_tensor(&m, 0, 0, m.r, m.c, err);
}

lm_tensor *lm_exact_rref(const lm_tensor *A, lm_steps *steps, bool *overflow, lm_err *err) {
    return lm_exact_rref_pivots(A, steps, NULL, NULL, overflow, err);
}

/* ---- solving ------------------------------------------------------------------ */

/* The equation of row i of [U | c] as text ("2·x_1 - x_2 = 3") or LaTeX. */
static void equation(lm_buf *b, const lm_xmat *m, int i, int n, bool latex) {
    bool first = true;
    char var[32];
    for (int j = 0; j < n; j++) {
        if (lm_rat_is_zero(m->a[i][j])) continue;
        snprintf(var, sizeof var, latex ? "x_{%d}" : "x_%d", j + 1);
        lm_xfmt_term(b, m->a[i][j], var, first, latex);
        first = false;
    }
    if (first) lm_buf_putc(b, '0');
    lm_buf_puts(b, " = ");
    if (latex) lm_xfmt_rat_latex(b, m->a[i][n]);
    else lm_xfmt_rat(b, m->a[i][n]);
}

/* Back substitution on the triangular [U | C] (n×n, k right-hand sides) into X. */
static bool back_substitute(const lm_xmat *m, int n, int k, lm_steps *steps, lm_xmat *X, bool *ovf) {
    X->r = n;
    X->c = k;
    if (steps) {
        lm_buf t = LM_BUF_INIT;
        lm_buf_puts(&t, "The system is now upper triangular: the last row has one unknown, and each row above adds "
                        "one more. Solve from the bottom row up, one unknown per row (back substitution).");
        add_step(steps, "back substitution", lm_nil(), NULL, &t);
        lm_buf_free(&t);
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int c = 0; c < k; c++) {
            lm_rat s = m->a[i][n + c];
            for (int j = i + 1; j < n; j++) s = lm_rat_sub(s, lm_rat_mul(m->a[i][j], X->a[j][c], ovf), ovf);
            X->a[i][c] = lm_rat_div(s, m->a[i][i], ovf);
        }
        if (*ovf) return false;
        if (!steps) continue;
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT, rule = LM_BUF_INIT;
        if (k == 1) {
            lm_rat u = m->a[i][i], xi = X->a[i][0];
            lm_rat s = lm_rat_mul(u, xi, ovf); /* the right-hand side once the known unknowns are moved over */
            bool known = false;
            for (int j = i + 1; j < n; j++) known = known || !lm_rat_is_zero(m->a[i][j]);
            lm_buf_printf(&rule, "x_%d", i + 1);
            lm_buf_printf(&t, "Row %d reads ", i + 1);
            equation(&t, m, i, n, false);
            char var[32];
            snprintf(var, sizeof var, "x_%d", i + 1);
            if (known) {
                lm_buf_puts(&t, ". Put in ");
                int nk = 0, cnt = 0;
                for (int j = i + 1; j < n; j++) nk += !lm_rat_is_zero(m->a[i][j]);
                for (int j = i + 1; j < n; j++) {
                    if (lm_rat_is_zero(m->a[i][j])) continue;
                    if (cnt) lm_buf_puts(&t, cnt == nk - 1 ? " and " : ", ");
                    lm_buf_printf(&t, "x_%d = ", j + 1);
                    lm_xfmt_rat(&t, X->a[j][0]);
                    cnt++;
                }
                lm_buf_puts(&t, ": ");
                lm_xfmt_term(&t, u, var, true, false);
                lm_buf_puts(&t, " = ");
                lm_xfmt_rat(&t, m->a[i][n]);
                for (int j = i + 1; j < n; j++) {
                    if (lm_rat_is_zero(m->a[i][j])) continue;
                    lm_buf_puts(&t, " - ");
                    prod_text(&t, m->a[i][j], X->a[j][0]);
                }
                lm_buf_puts(&t, " = ");
                lm_xfmt_rat(&t, s);
            }
            if (!lm_rat_is_one(u)) {
                lm_buf_printf(&t, ", so x_%d = ", i + 1);
                if (s.q != 1) lm_xfmt_factor(&t, s); /* (7/2) / (5/2), not 7/2 / (5/2) */
                else lm_xfmt_rat(&t, s);
                lm_buf_puts(&t, " / ");
                lm_xfmt_factor(&t, u);
                lm_buf_puts(&t, " = ");
                lm_xfmt_rat(&t, xi);
            }
            lm_buf_putc(&t, '.');
            equation(&lx, m, i, n, true);
            lm_buf_printf(&lx, " \\;\\Rightarrow\\; x_{%d} = ", i + 1);
            lm_xfmt_rat_latex(&lx, xi);
            if (!*ovf) add_step(steps, lm_buf_cstr(&rule), lm_rat_value(xi), &lx, &t);
        } else {
            lm_xmat row;
            row.r = 1;
            row.c = k;
            for (int c = 0; c < k; c++) row.a[0][c] = X->a[i][c];
            lm_buf_printf(&rule, "row %d of X", i + 1);
            lm_buf_printf(&t, "Row %d: subtract the known rows of X times their coefficients from the right-hand side, "
                              "then divide by the pivot ", i + 1);
            lm_xfmt_rat(&t, m->a[i][i]);
            lm_buf_printf(&t, ". This gives X(%d, :) = ", i + 1);
            lm_xfmt_mat_text(&t, &row);
            lm_buf_putc(&t, '.');
            lm_buf_printf(&lx, "X_{%d,:} = ", i + 1);
            lm_xfmt_mat_latex(&lx, &row, 0, false);
            add_step(steps, lm_buf_cstr(&rule), lm_xmat_value(&row, 0, 0, 1, k), &lx, &t);
        }
        lm_buf_free(&t);
        lm_buf_free(&lx);
        lm_buf_free(&rule);
        if (*ovf) return false;
    }
    return true;
}

/* Solves the square system held as the augmented [A | B] in m (n×(n+k)). */
static bool solve_aug(lm_xmat *m, int n, int k, lm_steps *steps, lm_xmat *X, bool *ovf, lm_err *err) {
    const char *sys = k == 1 ? "A x = b" : "A X = B";
    if (steps) {
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
        lm_buf_printf(&t, "Write %s as the augmented matrix [A | %s]: row i holds the coefficients of equation i and, "
                          "after the bar, its right-hand side.",
                      sys, k == 1 ? "b" : "B");
        lm_xfmt_mat_latex(&lx, m, n, false);
        add_step(steps, k == 1 ? "[A | b]" : "[A | B]", lm_xmat_value(m, 0, 0, n, n + k), &lx, &t);
        lm_buf_free(&t);
        lm_buf_free(&lx);
    }
    lm_xreduce x = {.steps = steps, .purpose = LM_XP_SOLVE, .split = n, .pivot_cols = n};
    if (!lm_xreduce_run(m, &x)) {
        *ovf = true;
        return false;
    }
    if (x.rank < n) {
        /* rows rank..n-1 are zero on the left of the bar: 0 = c must hold for each */
        for (int i = x.rank; i < n; i++)
            for (int c = 0; c < k; c++) {
                if (lm_rat_is_zero(m->a[i][n + c])) continue;
                lm_buf v = LM_BUF_INIT;
                lm_xfmt_rat(&v, m->a[i][n + c]);
                lm_err_set(err, LM_ERR_SINGULAR,
                           "%s, and %s has no solution: row reduction leaves the equation 0 = %s in row %d%s; try "
                           "pinv(A) * %s for the least-squares answer",
                           singular_msg, sys, lm_buf_cstr(&v), i + 1, k == 1 ? "" : " of [A | B]", k == 1 ? "b" : "B");
                lm_buf_free(&v);
                return false;
            }
        lm_err_set(err, LM_ERR_SINGULAR,
                   "%s, and %s has infinitely many solutions (x_%d is free); rref([A %s]) shows them all, and pinv(A) "
                   "* %s picks the shortest",
                   singular_msg, sys, x.first_free + 1, k == 1 ? "b" : "B", k == 1 ? "b" : "B");
        return false;
    }
    if (x.reduced) { /* fraction-free Gauss–Jordan left [I | X] */
        X->r = n;
        X->c = k;
        for (int i = 0; i < n; i++)
            for (int c = 0; c < k; c++) X->a[i][c] = m->a[i][n + c];
        return true;
    }
    return back_substitute(m, n, k, steps, X, ovf);
}

static bool solve_shapes(const lm_tensor *A, const lm_tensor *B, lm_err *err) {
    if (A->ndim == 2 && B->ndim == 2 && A->shape[0] == B->shape[0]) return true;
    char sa[64], sb[64];
    lm_tensor_shape_str(A, sa);
    lm_tensor_shape_str(B, sb);
    lm_err_set(err, LM_ERR_SHAPE, "cannot solve A \\ b with A %s and b %s: they need the same number of rows", sa, sb);
    return false;
}

lm_tensor *lm_exact_solve(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    if (!solve_shapes(A, B, err)) return NULL;
    if (A->shape[0] != A->shape[1]) return NULL; /* least squares: LAPACK's QR does it (see exact.h) */
    lm_xmat a, b, m;
    if (!lm_xmat_load(A, &a) || !lm_xmat_load(B, &b)) {
        not_exact(err);
        return NULL;
    }
    int n = a.r, k = b.c;
    m.r = n;
    m.c = n + k;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) m.a[i][j] = a.a[i][j];
        for (int j = 0; j < k; j++) m.a[i][n + j] = b.a[i][j];
    }
    lm_xmat X;
    if (!solve_aug(&m, n, k, steps, &X, overflow, err)) return NULL;
    return lm_xmat_tensor(&X, 0, 0, n, k, err);
}

lm_tensor *lm_exact_mrdivide(const lm_tensor *B, const lm_tensor *A, bool *overflow, lm_err *err) {
    *overflow = false;
    if (A->ndim != 2 || B->ndim != 2 || A->shape[1] != B->shape[1]) {
        char sa[64], sb[64];
        lm_tensor_shape_str(A, sa);
        lm_tensor_shape_str(B, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cannot compute b / A with b %s and A %s: they need the same number of columns",
                   sb, sa);
        return NULL;
    }
    if (A->shape[0] != A->shape[1]) return NULL;
    lm_xmat a, b, m;
    if (!lm_xmat_load(A, &a) || !lm_xmat_load(B, &b)) {
        not_exact(err);
        return NULL;
    }
    /* B / A = (A' \ B')' */
    int n = a.r, k = b.r;
    m.r = n;
    m.c = n + k;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) m.a[i][j] = a.a[j][i];
        for (int j = 0; j < k; j++) m.a[i][n + j] = b.a[j][i];
    }
    lm_xmat X, Xt;
    if (!solve_aug(&m, n, k, NULL, &X, overflow, err)) return NULL;
    Xt.r = k;
    Xt.c = n;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < n; j++) Xt.a[i][j] = X.a[j][i];
    return lm_xmat_tensor(&Xt, 0, 0, k, n, err);
}

/* ---- products, powers, sums --------------------------------------------------------- */

/* "5·6 + 0·6 = 30 + 0 = 30" and its LaTeX: the products of x and y entry by
 * entry, the terms, then their sum s (appended to t and lx). */
static void dot_line(lm_buf *t, lm_buf *lx, const lm_rat *x, const lm_rat *y, int n, lm_rat s, bool *ovf) {
    for (int k = 0; k < n; k++) {
        if (k) {
            lm_buf_puts(t, " + ");
            lm_buf_puts(lx, " + ");
        }
        prod_text(t, x[k], y[k]);
        prod_latex(lx, x[k], y[k]);
    }
    if (n > 1) {
        lm_buf_puts(t, " = ");
        for (int k = 0; k < n; k++) lm_xfmt_term(t, lm_rat_mul(x[k], y[k], ovf), NULL, k == 0, false);
    }
    lm_buf_puts(t, " = ");
    lm_xfmt_rat(t, s);
    lm_buf_puts(lx, " = ");
    lm_xfmt_rat_latex(lx, s);
}

lm_tensor *lm_exact_matmul(const lm_tensor *A, const lm_tensor *B, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_xmat a, b, c;
    if (!lm_xmat_load(A, &a) || !lm_xmat_load(B, &b)) {
        not_exact(err);
        return NULL;
    }
    if (a.c != b.r) {
        char sa[64], sb[64];
        lm_tensor_shape_str(A, sa);
        lm_tensor_shape_str(B, sb);
        lm_err_set(err, LM_ERR_SHAPE, "cannot multiply %s by %s: inner sizes %d and %d differ", sa, sb, a.c, b.r);
        return NULL;
    }
    if (!xmat_mul(&a, &b, &c, overflow)) return NULL;
    if (steps) {
        /* A times a column v reads as a matrix acting on a vector: (Av)_i is
           row i of A times v, with no B, C or c_i1 to name */
        bool vec = b.c == 1 && a.r > 1;
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT, rule = LM_BUF_INIT;
        if (vec)
            lm_buf_printf(&t, "A is %d" LM_U_TIMES "%d and v has %d entries, so Av has %d entries. Entry i of Av is row i of A "
                              "times v: multiply them entry by entry and add up the products.",
                          a.r, a.c, b.r, c.r);
        else
            lm_buf_printf(&t, "A is %d" LM_U_TIMES "%d and B is %d" LM_U_TIMES "%d, so C = A*B is %d" LM_U_TIMES
                              "%d. Each entry c_ij is row i of A times column j of B: multiply them entry by entry and "
                              "add up the products.",
                          a.r, a.c, b.r, b.c, c.r, c.c);
        add_step(steps, vec ? "row times vector" : "row times column", lm_nil(), NULL, &t);
        for (int i = 0; i < c.r; i++)
            for (int j = 0; j < c.c; j++) {
                lm_buf_reset(&t);
                lm_buf_reset(&lx);
                lm_buf_reset(&rule);
                if (vec) {
                    lm_buf_printf(&rule, "entry %d", i + 1);
                    lm_buf_printf(&t, "Row %d of A times v: (Av)_%d = ", i + 1, i + 1);
                    lm_buf_printf(&lx, "(A\\mathbf{v})_{%d} = ", i + 1);
                } else {
                    lm_buf_printf(&rule, "c_%d%d", i + 1, j + 1);
                    lm_buf_printf(&t, "Row %d of A times column %d of B: c_%d%d = ", i + 1, j + 1, i + 1, j + 1);
                    lm_buf_printf(&lx, "c_{%d%d} = ", i + 1, j + 1);
                }
                lm_rat col[LM_EXACT_MAX_N];
                for (int k = 0; k < a.c; k++) col[k] = b.a[k][j];
                dot_line(&t, &lx, a.a[i], col, a.c, c.a[i][j], overflow);
                lm_buf_putc(&t, '.');
                add_step(steps, lm_buf_cstr(&rule), lm_rat_value(c.a[i][j]), &lx, &t);
            }
        lm_buf_free(&t);
        lm_buf_free(&lx);
        lm_buf_free(&rule);
    }
    return lm_xmat_tensor(&c, 0, 0, c.r, c.c, err);
}

/* The entries of a row or column vector, in order; false for anything else. */
static bool xvec_load(const lm_tensor *V, lm_rat *x, int *n) {
    lm_xmat m;
    if (!lm_xmat_load(V, &m) || (m.r != 1 && m.c != 1)) return false;
    *n = m.r == 1 ? m.c : m.r;
    for (int k = 0; k < *n; k++) x[k] = m.r == 1 ? m.a[0][k] : m.a[k][0];
    return true;
}

lm_tensor *lm_exact_dot(const lm_tensor *U, const lm_tensor *V, lm_steps *steps, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_rat x[LM_EXACT_MAX_N], y[LM_EXACT_MAX_N];
    int n = 0, m = 0;
    if (!xvec_load(U, x, &n) || !xvec_load(V, y, &m)) {
        not_exact(err);
        return NULL;
    }
    if (n != m) {
        lm_err_set(err, LM_ERR_SHAPE, "dot needs two vectors of the same length, not %d and %d", n, m);
        return NULL;
    }
    lm_rat s = lm_rat_int(0);
    for (int k = 0; k < n; k++) s = lm_rat_add(s, lm_rat_mul(x[k], y[k], overflow), overflow);
    if (*overflow) return NULL;
    if (steps) {
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
        lm_buf_puts(&t, "Multiply the vectors entry by entry and add up the products: u" LM_U_DOT "v = ");
        for (int k = 0; k < n; k++) lm_buf_printf(&t, "%su_%d v_%d", k ? " + " : "", k + 1, k + 1);
        lm_buf_puts(&t, " = ");
        lm_buf_puts(&lx, "\\mathbf{u} \\cdot \\mathbf{v} = ");
        dot_line(&t, &lx, x, y, n, s, overflow);
        lm_buf_putc(&t, '.');
        add_step(steps, "multiply and add", lm_rat_value(s), &lx, &t);
        lm_buf_free(&t);
        lm_buf_free(&lx);
    }
    lm_xmat r = {.r = 1, .c = 1};
    r.a[0][0] = s;
    return lm_xmat_tensor(&r, 0, 0, 1, 1, err);
}

lm_tensor *lm_exact_scale(const lm_tensor *A, const lm_tensor *s, bool divide, lm_steps *steps, bool *overflow,
                          lm_err *err) {
    *overflow = false;
    lm_xmat a, sm;
    if (!lm_xmat_load(A, &a) || !lm_xmat_load(s, &sm) || sm.r != 1 || sm.c != 1) {
        not_exact(err);
        return NULL;
    }
    lm_rat f = sm.a[0][0];
    if (divide) {
        if (lm_rat_is_zero(f)) return NULL; /* x/0 is ±Inf or NaN: floating point says so */
        f = lm_rat_div(lm_rat_int(1), f, overflow);
    }
    lm_xmat r = a;
    for (int i = 0; i < a.r; i++)
        for (int j = 0; j < a.c; j++) r.a[i][j] = lm_rat_mul(a.a[i][j], f, overflow);
    if (*overflow) return NULL;
    if (steps) {
        lm_buf t = LM_BUF_INIT, lx = LM_BUF_INIT;
        lm_buf_puts(&t, divide ? "Dividing a matrix by a number divides every entry by it: each entry times "
                               : "Multiplying a matrix by a number multiplies every entry by it: each entry times ");
        lm_xfmt_rat(&t, f);
        lm_buf_putc(&t, '.');
        lm_xfmt_rat_latex(&lx, f);
        lm_buf_putc(&lx, ' ');
        lm_xfmt_mat_latex(&lx, &a, 0, false);
        lm_buf_puts(&lx, " = ");
        lm_xfmt_mat_latex(&lx, &r, 0, false);
        add_step(steps, "scalar times matrix", lm_xmat_value(&r, 0, 0, r.r, r.c), &lx, &t);
        lm_buf_free(&t);
        lm_buf_free(&lx);
    }
    return lm_xmat_tensor(&r, 0, 0, r.r, r.c, err);
}

lm_tensor *lm_exact_add(const lm_tensor *A, const lm_tensor *B, bool subtract, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_xmat a, b;
    if (!lm_xmat_load(A, &a) || !lm_xmat_load(B, &b)) {
        not_exact(err);
        return NULL;
    }
    bool as = a.r == 1 && a.c == 1, bs = b.r == 1 && b.c == 1;
    if (!(a.r == b.r && a.c == b.c) && !as && !bs) return NULL; /* broadcasting and its errors: the float path */
    lm_xmat r;
    r.r = as ? b.r : a.r;
    r.c = as ? b.c : a.c;
    for (int i = 0; i < r.r; i++)
        for (int j = 0; j < r.c; j++) {
            lm_rat x = as ? a.a[0][0] : a.a[i][j], y = bs ? b.a[0][0] : b.a[i][j];
            r.a[i][j] = subtract ? lm_rat_sub(x, y, overflow) : lm_rat_add(x, y, overflow);
        }
    if (*overflow) return NULL;
    return lm_xmat_tensor(&r, 0, 0, r.r, r.c, err);
}

lm_tensor *lm_exact_power(const lm_tensor *A, int64_t p, bool *overflow, lm_err *err) {
    *overflow = false;
    lm_xmat base;
    if (!load_square(A, "A^p", &base, err)) return NULL;
    int n = base.r;
    uint64_t e0 = p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p; /* |p|, INT64_MIN included */
    if (p < 0) {
        lm_tensor *inv = lm_exact_inv(A, NULL, overflow, err);
        if (!inv) return NULL;
        lm_xmat_load(inv, &base);
        lm_tensor_release(inv);
    }
    lm_xmat r, tmp;
    r.r = r.c = n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) r.a[i][j] = lm_rat_int(i == j);
    /* square-and-multiply: about 2·log2(p) products, each checked for overflow */
    for (uint64_t e = e0; e; e >>= 1) {
        if (e & 1) {
            if (!xmat_mul(&r, &base, &tmp, overflow)) return NULL;
            r = tmp;
        }
        if (e > 1) {
            if (!xmat_mul(&base, &base, &tmp, overflow)) return NULL;
            base = tmp;
        }
    }
    return lm_xmat_tensor(&r, 0, 0, n, n, err);
}
