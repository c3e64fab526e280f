/* Exercise generators for linalg: rank, linear independence, eigenvalues and
 * eigenvectors, 3×3 determinants, broadcast shapes and projections. Matrices
 * with integer eigenvalues are built as P·D·P⁻¹ with det P = ±1, so that A
 * stays an integer matrix; the engine computes every answer. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <string.h>

static void rand_imat(lm_rng *r, int64_t *a, int n, int64_t lo, int64_t hi) {
    for (int i = 0; i < n; i++) a[i] = lm_gen_int(r, lo, hi);
}

/* Integer matrices with determinant ±1: their inverses are integer too. */
static const int64_t unimodular2[][4] = {
    {1, 1, 0, 1}, {1, 0, 1, 1}, {2, 1, 1, 1}, {1, 2, 0, 1}, {1, -1, 1, 0}, {1, 1, 1, 2},
    {3, 2, 1, 1}, {1, 0, -1, 1}, {2, 3, 1, 2}, {1, -2, 0, 1}, {1, 1, -1, 0}, {2, -1, 1, 0},
};
#define NUNI2 (sizeof unimodular2 / sizeof unimodular2[0])

/* ---- rank ---- */

/* Whether the first k rows of the 3-column integer matrix A are linearly
 * independent: a non-zero row, a non-zero cross product, a non-zero det. */
static bool independent_rows(const int64_t *A, int k) {
    const int64_t *u = A, *v = A + 3, *w = A + 6;
    int64_t x = u[1] * v[2] - u[2] * v[1], y = u[2] * v[0] - u[0] * v[2], z = u[0] * v[1] - u[1] * v[0];
    if (k == 1) return u[0] || u[1] || u[2];
    if (k == 2) return x || y || z;
    return x * w[0] + y * w[1] + z * w[2] != 0;
}

static bool gen_rank(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/rank", seed, difficulty);
    int rows = difficulty == 1 ? 2 : 3, cols = 3;
    int k = (int)lm_gen_int(&r, 1, rows); /* the intended rank; the engine has the last word */
    int64_t A[9] = {0};
    /* The k rows meant to be independent are redrawn until they are (small
       random rows often are not, and the answer was then 1 far too often). */
    for (int tries = 0; tries < 50; tries++) {
        rand_imat(&r, A, k * cols, difficulty == 3 ? -3 : 0, 4);
        if (A[0] == 0) A[0] = 1; /* keep the first row non-zero */
        if (independent_rows(A, k)) break;
    }
    for (int i = k; i < rows; i++) {
        /* A dependent row: a small combination of the first k rows. */
        int64_t c1 = lm_gen_int_nonzero(&r, -2, 3), c2 = k > 1 ? lm_gen_int(&r, -2, 2) : 0;
        for (int j = 0; j < cols; j++) A[i * cols + j] = c1 * A[j] + (k > 1 ? c2 * A[cols + j] : 0);
    }
    /* Shuffle the rows so that the dependent one is not always last. */
    int perm[3] = {0, 1, 2};
    lm_gen_shuffle(&r, perm, (size_t)rows);
    int64_t B[9];
    for (int i = 0; i < rows; i++) memcpy(B + i * cols, A + perm[i] * cols, (size_t)cols * sizeof *B);
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, B, rows, cols);
    lm_gen_put_imat_latex(&al, B, rows, cols);
    double rank;
    lm_buf_printf(&prog, "rank(%s)", as.s);
    bool ok = lm_gen_eval_num(prog.s, &rank, err);
    if (ok) {
        lm_gen_prompt(p, "What is the rank of $A = %s$?\n\nGive a whole number.", al.s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)rank);
        lm_gen_hint(p, "The rank is the number of linearly independent rows (or columns).");
        lm_gen_hint(p, "Look for a row that is a multiple of another, or a combination of two others.");
        lm_gen_hint(p, "Row reduce $A$ to echelon form and count the pivots (the non-zero rows).");
        ok = lm_gen_stepsf(p, NULL, err, "steps(rref(%s))", as.s);
    }
    if (ok) {
        lm_gen_step(p, NULL, "The number of pivots is the rank: %lld.", (long long)rank);
        int nonzero = 0;
        for (int i = 0; i < rows; i++) {
            bool nz = false;
            for (int j = 0; j < cols; j++) nz = nz || B[i * cols + j] != 0;
            nonzero += nz;
        }
        lm_buf_printf(&tmp, "%d", nonzero);
        lm_gen_mis(p, "counted-rows", tmp.s,
                   "Counting the non-zero rows of A is not enough: a row that is a combination of others adds nothing. Row reduce first.");
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- linear-independence ---- */

static bool gen_linear_independence(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/linear-independence", seed, difficulty);
    /* 1: two vectors in R^2; 2: three in R^3; 3: three in R^3, a dependence
     * hidden as a combination of both others (or three in R^2). */
    int dim = difficulty == 1 ? 2 : 3, n = difficulty == 1 ? 2 : 3;
    /* Half the problems are dependent; at level 3 half of those are three
       vectors in R^2, dependent whatever their entries. */
    bool dependent = lm_gen_coin(&r);
    bool too_many = difficulty == 3 && dependent && lm_gen_coin(&r);
    if (too_many) dim = 2;
    int64_t V[9]; /* column j is vector j: V[i * n + j] */
    for (int tries = 0; tries < 50; tries++) {
        for (int i = 0; i < dim; i++)
            for (int j = 0; j < n; j++) V[i * n + j] = lm_gen_int(&r, difficulty == 1 ? 0 : -3, 4);
        /* meant to be independent: redraw until they are (as columns, n = dim) */
        if (dependent || too_many) break;
        int64_t d = n == 2 ? V[0] * V[3] - V[1] * V[2]
                           : V[0] * (V[4] * V[8] - V[5] * V[7]) - V[1] * (V[3] * V[8] - V[5] * V[6]) +
                                 V[2] * (V[3] * V[7] - V[4] * V[6]);
        if (d != 0) break;
    }
    if (dependent && !too_many) {
        int64_t c1 = lm_gen_int_nonzero(&r, -2, 3), c2 = difficulty == 3 ? lm_gen_int_nonzero(&r, -2, 2) : 0;
        for (int i = 0; i < dim; i++) V[i * n + n - 1] = c1 * V[i * n] + (n > 2 ? c2 * V[i * n + 1] : 0);
    }
    lm_buf ms = LM_BUF_INIT, vl = LM_BUF_INIT, prog = LM_BUF_INIT, col = LM_BUF_INIT;
    lm_gen_put_imat(&ms, V, dim, n);
    for (int j = 0; j < n; j++) {
        int64_t c[3];
        for (int i = 0; i < dim; i++) c[i] = V[i * n + j];
        lm_buf_reset(&col);
        lm_gen_put_imat_latex(&col, c, dim, 1);
        lm_buf_printf(&vl, "%s$\\mathbf{v}_%d = %s$", j == 0 ? "" : j == n - 1 ? " and " : ", ", j + 1, col.s);
    }
    double rank;
    lm_buf_printf(&prog, "rank(%s)", ms.s);
    bool ok = lm_gen_eval_num(prog.s, &rank, err);
    if (ok) {
        bool indep = rank == n;
        lm_gen_prompt(p, "Are the vectors %s linearly independent?\n\nAnswer `a` or `b`.", vl.s);
        lm_gen_choice(p, "independent");
        lm_gen_choice(p, "dependent");
        lm_gen_answer(p, LM_ANS_CHOICE, "%s", indep ? "a" : "b");
        lm_gen_hint(p, "Independent means no vector is a combination of the others: only $c_1 = ... = c_%d = 0$ solves $c_1 \\mathbf{v}_1 + ... + c_%d \\mathbf{v}_%d = \\mathbf{0}$.", n, n, n);
        if (too_many) lm_gen_hint(p, "How many independent vectors can there be in $\\mathbb{R}^2$?");
        else lm_gen_hint(p, "Check whether one vector is a multiple of another, or a sum of multiples of the others.");
        lm_gen_hint(p, "Put the vectors as the columns of a matrix and row reduce: they are independent exactly when every column has a pivot.");
        ok = lm_gen_stepsf(p, NULL, err, "steps(rref(%s))", ms.s);
        if (ok)
            lm_gen_step(p, NULL, "The rank is %lld and there are %d vectors, so they are linearly %s.", (long long)rank, n,
                        indep ? "independent" : "dependent");
        if (indep)
            lm_gen_mis(p, "missed-independence", "b", "No vector here is a combination of the others: row reduction gives a pivot in every column.");
        else
            lm_gen_mis(p, "missed-dependence", "a", "%s", too_many ? "Three vectors in R^2 are always dependent: R^2 has room for only two independent directions."
                                                                  : "One of these vectors is a combination of the others; row reduction leaves a column without a pivot.");
    }
    lm_buf_free(&ms);
    lm_buf_free(&vl);
    lm_buf_free(&prog);
    lm_buf_free(&col);
    return ok;
}

/* ---- eigenvalues-2x2 and eigenvector-check ---- */

/* A = P·diag(l1, l2)·P⁻¹ from the engine, exact. */
static bool similar_2x2(lm_rng *r, int64_t l1, int64_t l2, lm_rat *A, const int64_t **P, lm_err *err) {
    *P = unimodular2[lm_gen_index(r, NUNI2)];
    lm_buf prog = LM_BUF_INIT, ps = LM_BUF_INIT;
    lm_gen_put_imat(&ps, *P, 2, 2);
    lm_buf_printf(&prog, "%s * diag([%lld %lld]) * inv(%s)", ps.s, (long long)l1, (long long)l2, ps.s);
    int rr, cc;
    bool ok = lm_gen_eval_rmat(prog.s, A, 4, &rr, &cc, err);
    lm_buf_free(&prog);
    lm_buf_free(&ps);
    return ok;
}

static bool gen_eigenvalues_2x2(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/eigenvalues-2x2", seed, difficulty);
    int64_t lo = difficulty == 1 ? 0 : -4, hi = difficulty == 1 ? 5 : 6, l1, l2;
    do {
        l1 = lm_gen_int(&r, lo, hi);
        l2 = lm_gen_int(&r, lo, hi);
    } while (l1 == l2 && difficulty < 3); /* level 3 allows a repeated eigenvalue */
    lm_rat A[4];
    const int64_t *P;
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    bool ok = similar_2x2(&r, l1, l2, A, &P, err);
    lm_rat ev[2];
    int rr, cc;
    if (ok) {
        lm_gen_put_rmat(&as, A, 2, 2);
        lm_gen_put_rmat_latex(&al, A, 2, 2);
        lm_buf_printf(&prog, "eig(%s)", as.s);
        ok = lm_gen_eval_rmat(prog.s, ev, 2, &rr, &cc, err);
    }
    if (ok) {
        lm_gen_put_rmat(&ans, ev, 1, 2);
        lm_gen_prompt(p, "Find the eigenvalues of $A = %s$.\n\nGive them as a list `[a b]` in any order%s.", al.s,
                      difficulty == 3 ? " (write a repeated eigenvalue twice)" : "");
        lm_gen_answer(p, LM_ANS_SET, "%s", ans.s);
        lm_gen_hint(p, "The eigenvalues are the numbers $\\lambda$ that make $A - \\lambda I$ singular: $\\text{det}\\,(A - \\lambda I) = 0$.");
        lm_gen_hint(p, "For a $2 \\times 2$ matrix, $\\text{det}\\,(A - \\lambda I) = \\lambda^2 - \\text{tr}(A)\\,\\lambda + \\text{det}\\, A$.");
        lm_gen_hint(p, "Here the trace is $a + d$ and the determinant $ad - bc$; solve the quadratic (it factors over the integers).");
        ok = lm_gen_stepsf(p, "So the eigenvalues are:", err, "steps(eig(%s))", as.s);
    }
    if (ok) {
        lm_rat d[2] = {A[0], A[3]};
        lm_gen_put_rmat(&tmp, d, 1, 2);
        /* Only a misconception when the diagonal is not already the answer. */
        /* Only a misconception when it is not the same set as the answer. */
        bool diag_is_answer = (A[0].p * ev[0].q == ev[0].p * A[0].q && A[3].p * ev[1].q == ev[1].p * A[3].q) ||
                              (A[0].p * ev[1].q == ev[1].p * A[0].q && A[3].p * ev[0].q == ev[0].p * A[3].q);
        if (!diag_is_answer)
            lm_gen_mis(p, "diagonal-entries", tmp.s, "The diagonal entries are the eigenvalues only for a triangular matrix; solve det(A - λI) = 0.");
        /* {λ, -λ} is its own negation: then a flipped sign is still right. */
        if ((ev[0].p != 0 || ev[1].p != 0) && !(ev[0].p == -ev[1].p && ev[0].q == ev[1].q)) {
            lm_rat neg[2] = {lm_gen_rat(-ev[0].p, ev[0].q), lm_gen_rat(-ev[1].p, ev[1].q)};
            lm_buf_reset(&tmp);
            lm_gen_put_rmat(&tmp, neg, 1, 2);
            lm_gen_mis(p, "sign-error", tmp.s, "The signs are flipped: the characteristic polynomial is λ² - tr(A)·λ + det(A), so the roots add up to the trace.");
        }
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    return ok;
}

/* "$\lambda = -\frac{1}{2}$"-style text of a ratio, for a choice option. */
static void put_lambda_option(lm_buf *b, lm_rat lambda) {
    lm_buf_puts(b, "Yes, with $\\lambda = ");
    lm_gen_put_rat_latex(b, lambda);
    lm_buf_puts(b, "$");
}

/* The choice form of eigenvector-check: is v an eigenvector at all, and if so
 * for which λ? Av (exact, n entries) decides; the options are shuffled. */
static void eigenvector_choice(lm_problem *p, lm_rng *r, const lm_rat *Av, const int64_t *v, int n, const char *vl,
                               const char *al) {
    int k = 0;
    while (v[k] == 0) k++;
    lm_rat ratio = lm_gen_rat_div(Av[k], lm_gen_rat(v[k], 1));
    int witness = -1; /* an entry where Av is not ratio·v */
    for (int i = 0; i < n && witness < 0; i++)
        if (Av[i].p * v[k] * Av[k].q != Av[k].p * v[i] * Av[i].q) witness = i;
    bool eigen = witness < 0;
    /* Option 0 is right; 1 and 2 are the usual mistakes. */
    lm_buf opt[3] = {LM_BUF_INIT, LM_BUF_INIT, LM_BUF_INIT};
    const char *ids[3] = {NULL, NULL, NULL};
    const char *why[3] = {NULL, NULL, NULL};
    lm_rat other;
    if (eigen) {
        put_lambda_option(&opt[0], ratio);
        bool invertible = ratio.p != 0 && ratio.p != ratio.q && ratio.p != -ratio.q;
        other = invertible ? lm_gen_rat(ratio.q, ratio.p) : lm_gen_rat_add(ratio, lm_gen_rat(1, 1));
        put_lambda_option(&opt[1], other);
        if (invertible) {
            ids[1] = "inverted-ratio";
            why[1] = "The ratio is upside down: Av is λ times v, so λ = (Av)_i / v_i.";
        }
        lm_buf_puts(&opt[2], "No, $A\\mathbf{v}$ is not a multiple of $\\mathbf{v}$");
        ids[2] = "missed-eigenvector";
        why[2] = "Compare every entry: each entry of Av is the same multiple of the matching entry of v, so v is an "
                 "eigenvector.";
    } else {
        lm_buf_puts(&opt[0], "No, $A\\mathbf{v}$ is not a multiple of $\\mathbf{v}$");
        put_lambda_option(&opt[1], ratio);
        ids[1] = "one-entry-ratio";
        why[1] = "One entry's ratio is not enough: v is an eigenvector only when every entry of Av is the same "
                 "multiple of the matching entry of v.";
        /* a second ratio that differs, or ratio + 1 when the witness entry of v is 0 */
        other = v[witness] != 0 ? lm_gen_rat_div(Av[witness], lm_gen_rat(v[witness], 1))
                                : lm_gen_rat_add(ratio, lm_gen_rat(1, 1));
        put_lambda_option(&opt[2], other);
        if (v[witness] != 0) {
            ids[2] = "one-entry-ratio";
            why[2] = why[1];
        }
    }
    int order[3] = {0, 1, 2};
    lm_gen_shuffle(r, order, 3);
    int right = 0;
    for (int i = 0; i < 3; i++) {
        lm_gen_choice(p, lm_buf_cstr(&opt[order[i]]));
        if (order[i] == 0) right = i;
    }
    lm_gen_prompt(p, "Is $\\mathbf{v} = %s$ an eigenvector of $A = %s$? If it is, for which eigenvalue $\\lambda$?\n\n"
                     "Answer with the letter of your choice.",
                  vl, al);
    lm_gen_answer(p, LM_ANS_CHOICE, "%c", 'a' + right);
    for (int i = 0; i < 3; i++)
        if (order[i] != 0 && ids[order[i]]) {
            char letter[2] = {(char)('a' + i), 0};
            lm_gen_mis(p, ids[order[i]], letter, "%s", why[order[i]]);
        }
    lm_gen_hint(p, "Compute $A\\mathbf{v}$ and compare it with $\\mathbf{v}$ entry by entry.");
    lm_gen_hint(p, "$\\mathbf{v}$ is an eigenvector exactly when $A\\mathbf{v} = \\lambda \\mathbf{v}$ for one number "
                   "$\\lambda$: every entry gives the same ratio, and where $\\mathbf{v}$ has a 0, so must "
                   "$A\\mathbf{v}$.");
    for (int i = 0; i < 3; i++) lm_buf_free(&opt[i]);
}

/* The closing step of the choice form, after the engine's steps for A·v. */
static void eigenvector_verdict_step(lm_problem *p, const lm_rat *Av, const int64_t *v, int n) {
    int k = 0;
    while (v[k] == 0) k++;
    lm_rat ratio = lm_gen_rat_div(Av[k], lm_gen_rat(v[k], 1));
    lm_buf l = LM_BUF_INIT, t = LM_BUF_INIT;
    int witness = -1;
    for (int i = 0; i < n && witness < 0; i++)
        if (Av[i].p * v[k] * Av[k].q != Av[k].p * v[i] * Av[i].q) witness = i;
    if (witness < 0) {
        lm_buf_puts(&l, "A\\mathbf{v} = ");
        lm_gen_put_rat_latex(&l, ratio);
        lm_buf_puts(&l, " \\mathbf{v}");
        lm_gen_put_rat_latex(&t, ratio);
        lm_gen_step(p, lm_buf_cstr(&l),
                    "Every entry of $A\\mathbf{v}$ is $%s$ times the matching entry of $\\mathbf{v}$: $\\mathbf{v}$ is "
                    "an eigenvector, with $\\lambda = %s$.",
                    lm_buf_cstr(&t), lm_buf_cstr(&t));
    } else if (v[witness] == 0) {
        lm_gen_put_rat_latex(&t, Av[witness]);
        lm_gen_step(p, NULL,
                    "Entry %d of $\\mathbf{v}$ is 0 but entry %d of $A\\mathbf{v}$ is $%s$, so $A\\mathbf{v}$ is not "
                    "a multiple of $\\mathbf{v}$: $\\mathbf{v}$ is not an eigenvector.",
                    witness + 1, witness + 1, lm_buf_cstr(&t));
    } else {
        lm_gen_put_rat_latex(&t, ratio);
        lm_buf_printf(&l, "\\frac{(A\\mathbf{v})_%d}{v_%d} = %s \\ne ", k + 1, k + 1, lm_buf_cstr(&t));
        lm_gen_put_rat_latex(&l, lm_gen_rat_div(Av[witness], lm_gen_rat(v[witness], 1)));
        lm_buf_printf(&l, " = \\frac{(A\\mathbf{v})_%d}{v_%d}", witness + 1, witness + 1);
        lm_gen_step(p, lm_buf_cstr(&l),
                    "Entries %d and %d give different ratios, so $A\\mathbf{v}$ is not a multiple of $\\mathbf{v}$: "
                    "$\\mathbf{v}$ is not an eigenvector.",
                    k + 1, witness + 1);
    }
    lm_buf_free(&l);
    lm_buf_free(&t);
}

static bool gen_eigenvector_check(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/eigenvector-check", seed, difficulty);
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, vs = LM_BUF_INIT, vl = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    int n = difficulty == 3 ? 3 : 2;
    lm_rat A[9];
    int64_t v[3];
    int64_t other_v[3]; /* the sum of two eigenvectors of different eigenvalues: no eigenvector in 2×2 */
    bool ok;
    int rr, cc;
    if (n == 2) {
        int64_t l1 = lm_gen_int(&r, -3, 6), l2;
        do l2 = lm_gen_int(&r, -3, 6);
        while (l2 == l1);
        const int64_t *P;
        ok = similar_2x2(&r, l1, l2, A, &P, err);
        int which = (int)lm_gen_index(&r, 2);
        int64_t s = difficulty == 1 ? 1 : lm_gen_int_nonzero(&r, -2, 2);
        v[0] = s * P[which];
        v[1] = s * P[2 + which];
        for (int i = 0; i < 2; i++) other_v[i] = s * (P[2 * i] + P[2 * i + 1]);
    } else {
        /* A = P·T·P⁻¹ with T upper triangular: eigenvalue T_11 has eigenvector P e_1. */
        static const int64_t P3[] = {1, 1, 0, 0, 1, 1, 1, 0, 1}; /* det 2 */
        static const int64_t Q3[] = {1, 0, 1, 1, 1, 0, 0, 1, 1}; /* det 2 */
        const int64_t *P = lm_gen_coin(&r) ? P3 : Q3;
        int64_t T[9] = {0};
        for (int i = 0; i < 3; i++)
            for (int j = i; j < 3; j++) T[i * 3 + j] = lm_gen_int(&r, -2, 4);
        /* a multiple of 2 keeps P·T·P⁻¹ integer (P⁻¹ has halves) */
        for (int i = 0; i < 9; i++) T[i] *= 2;
        lm_buf ps = LM_BUF_INIT, ts = LM_BUF_INIT;
        lm_gen_put_imat(&ps, P, 3, 3);
        lm_gen_put_imat(&ts, T, 3, 3);
        lm_buf_printf(&prog, "%s * %s * inv(%s)", ps.s, ts.s, ps.s);
        ok = lm_gen_eval_rmat(prog.s, A, 9, &rr, &cc, err);
        for (int i = 0; i < 3; i++) v[i] = P[i * 3];
        /* P(e1 + e2): an eigenvector only when T11 + T12 = T22 = λ; Av decides below */
        for (int i = 0; i < 3; i++) other_v[i] = P[i * 3] + P[i * 3 + 1];
        lm_buf_free(&ps);
        lm_buf_free(&ts);
    }
    /* Levels 2 and 3 also ask whether v is an eigenvector at all (the first
     * half of the skill); then half the time v is not one. */
    bool ask_whether = difficulty >= 2 && lm_gen_coin(&r);
    if (ask_whether && lm_gen_coin(&r))
        for (int i = 0; i < n; i++) v[i] = other_v[i];
    double lambda = 0;
    int k = 0;
    while (v[k] == 0) k++;
    if (ok) {
        lm_gen_put_rmat(&as, A, n, n);
        lm_gen_put_rmat_latex(&al, A, n, n);
        lm_gen_put_imat(&vs, v, n, 1);
        lm_gen_put_imat_latex(&vl, v, n, 1);
    }
    if (ok && ask_whether) {
        lm_rat Av[3];
        lm_buf_printf(&tmp, "%s * %s", as.s, vs.s);
        ok = lm_gen_eval_rmat(tmp.s, Av, 3, &rr, &cc, err);
        if (ok) {
            eigenvector_choice(p, &r, Av, v, n, vl.s, al.s);
            ok = lm_gen_stepsf(p, "So $A\\mathbf{v}$ is:", err, "steps(%s * %s)", as.s, vs.s);
        }
        if (ok) eigenvector_verdict_step(p, Av, v, n);
        goto done;
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "w = %s * %s; w(%d) / %lld", as.s, vs.s, k + 1, (long long)v[k]);
        ok = lm_gen_eval_num(prog.s, &lambda, err);
    }
    if (ok) {
        lm_gen_prompt(p, "The vector $\\mathbf{v} = %s$ is an eigenvector of $A = %s$. For which eigenvalue $\\lambda$ is "
                         "$A\\mathbf{v} = \\lambda \\mathbf{v}$?\n\nGive a single number.",
                      vl.s, al.s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)lambda);
        lm_gen_hint(p, "You do not need the characteristic polynomial: just compute $A\\mathbf{v}$.");
        lm_gen_hint(p, "$A\\mathbf{v}$ is a multiple of $\\mathbf{v}$; the multiplier is $\\lambda$.");
        lm_gen_hint(p, "Divide an entry of $A\\mathbf{v}$ by the matching non-zero entry of $\\mathbf{v}$.");
        ok = lm_gen_stepsf(p, "So $A\\mathbf{v}$ is:", err, "steps(%s * %s)", as.s, vs.s);
    }
    if (ok) {
        lm_buf_printf(&tmp, "A\\mathbf{v} = %lld \\mathbf{v}", (long long)lambda);
        lm_gen_step(p, tmp.s, "Every entry of $A\\mathbf{v}$ is %lld times the matching entry of $\\mathbf{v}$, so $\\lambda = %lld$.",
                    (long long)lambda, (long long)lambda);
        lm_rat Av[3];
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "%s * %s", as.s, vs.s);
        ok = lm_gen_eval_rmat(prog.s, Av, 3, &rr, &cc, err);
        if (ok) {
            lm_buf_reset(&tmp);
            lm_gen_put_rmat(&tmp, Av, n, 1);
            lm_gen_mis(p, "gave-Av", tmp.s, "That is the vector Av; λ is the number that Av is a multiple of v by.");
            if (lambda != 0 && lambda != 1 && lambda != -1) {
                lm_buf_reset(&tmp);
                lm_gen_put_rat(&tmp, lm_gen_rat(1, (int64_t)lambda));
                lm_gen_mis(p, "inverted-ratio", tmp.s, "The ratio is upside down: λ = (Av)_i / v_i.");
            }
        }
    }
done:
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&vs);
    lm_buf_free(&vl);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- determinant-3x3 ---- */

static bool gen_determinant_3x3(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/determinant-3x3", seed, difficulty);
    int64_t A[9];
    /* Entries from 0 to 4 give a singular matrix one time in five; a
       determinant of 0 now and then teaches something, that often it is
       repetitive, so levels 1 and 2 redraw those. */
    for (int tries = 0; tries < 20; tries++) {
        if (difficulty == 1) {
            /* Zeros in the first row make the cofactor expansion short. */
            rand_imat(&r, A, 9, 0, 4);
            A[lm_gen_index(&r, 3)] = 0;
        } else {
            rand_imat(&r, A, 9, difficulty == 2 ? 0 : -4, difficulty == 2 ? 4 : 5);
        }
        int64_t d = A[0] * (A[4] * A[8] - A[5] * A[7]) - A[1] * (A[3] * A[8] - A[5] * A[6]) +
                    A[2] * (A[3] * A[7] - A[4] * A[6]);
        if (difficulty == 3 || d != 0) break;
    }
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, A, 3, 3);
    lm_gen_put_imat_latex(&al, A, 3, 3);
    lm_rat det;
    int rr, cc;
    lm_buf_printf(&prog, "det(%s)", as.s);
    bool ok = lm_gen_eval_rmat(prog.s, &det, 1, &rr, &cc, err);
    if (ok) {
        lm_gen_prompt(p, "Compute the determinant of $A = %s$.\n\nGive a single number.", al.s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)det.p);
        lm_gen_hint(p, "Expand along the first row: three $2 \\times 2$ determinants (minors), one for each entry.");
        lm_gen_hint(p, "The signs alternate $+, -, +$ along the first row.");
        lm_gen_hint(p, "$\\text{det}\\, A = a_{11} M_{11} - a_{12} M_{12} + a_{13} M_{13}$, where $M_{1j}$ is the determinant of $A$ without row 1 and column $j$.");
        ok = lm_gen_stepsf(p, NULL, err, "steps(det(%s))", as.s);
    }
    if (ok) {
        int64_t m11 = A[4] * A[8] - A[5] * A[7], m12 = A[3] * A[8] - A[5] * A[6], m13 = A[3] * A[7] - A[4] * A[6];
        lm_buf_printf(&tmp, "%lld", (long long)(A[0] * m11 + A[1] * m12 + A[2] * m13));
        lm_gen_mis(p, "cofactor-sign", tmp.s, "The middle term of the expansion has a minus sign: a11·M11 - a12·M12 + a13·M13.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "%lld", (long long)(A[0] * A[4] * A[8]));
        lm_gen_mis(p, "diagonal-product", tmp.s, "The product of the diagonal is the determinant only for a triangular matrix; expand along a row.");
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- broadcast-shape ---- */

static void put_shape(lm_buf *b, const int64_t *s, int n, const char *open, const char *sep, const char *close) {
    lm_buf_puts(b, open);
    for (int i = 0; i < n; i++) lm_buf_printf(b, "%s%lld", i ? sep : "", (long long)s[i]);
    lm_buf_puts(b, close);
}

static bool gen_broadcast_shape(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/broadcast-shape", seed, difficulty);
    int64_t a = lm_gen_int(&r, 2, 6), b = lm_gen_int(&r, 2, 6), c = lm_gen_int(&r, 2, 6);
    int64_t sa[3], sb[3], wrong[3];
    int na, nb, nw;
    if (difficulty == 1) {
        na = nb = 2;
        sa[0] = a, sa[1] = b;
        if (lm_gen_coin(&r)) sb[0] = 1, sb[1] = b, wrong[0] = 1, wrong[1] = b; /* a row added to every row */
        else sb[0] = a, sb[1] = 1, wrong[0] = a, wrong[1] = 1;                  /* a column added to every column */
        nw = 2;
    } else if (difficulty == 2) {
        na = 3, nb = 2;
        sa[0] = a, sa[1] = b, sa[2] = c;
        if (lm_gen_coin(&r)) sb[0] = b, sb[1] = c;
        else sb[0] = 1, sb[1] = c;
        nw = 2, wrong[0] = b, wrong[1] = c;
    } else {
        /* Both operands stretch: (a, 1, c) + (b, 1) lines up as (a, 1, c) + (1, b, 1). */
        na = 3, nb = 2;
        sa[0] = a, sa[1] = 1, sa[2] = c;
        sb[0] = b, sb[1] = 1;
        nw = 3, wrong[0] = a, wrong[1] = 1, wrong[2] = c;
    }
    lm_buf prog = LM_BUF_INIT, la = LM_BUF_INIT, lb = LM_BUF_INIT, tmp = LM_BUF_INIT;
    put_shape(&la, sa, na, "(", ", ", ")");
    put_shape(&lb, sb, nb, "(", ", ", ")");
    lm_buf_printf(&prog, "size(ones%s + ones%s)", la.s, lb.s);
    lm_rat res[3];
    int rr, cc;
    bool ok = lm_gen_eval_rmat(prog.s, res, 3, &rr, &cc, err);
    if (ok) {
        int n = rr * cc;
        int64_t shape[3];
        for (int i = 0; i < n; i++) shape[i] = res[i].p;
        lm_buf ans = LM_BUF_INIT;
        put_shape(&ans, shape, n, "[", " ", "]");
        lm_gen_prompt(p, "`A` has shape $%s$ and `B` has shape $%s$. With broadcasting (as in lemma, NumPy and PyTorch), "
                         "what is the shape of `A + B`?\n\nGive the shape as `[%s]`.",
                      la.s, lb.s, n == 2 ? "m n" : "m n p");
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_gen_hint(p, "Line the shapes up from the right; a missing leading axis counts as size 1.");
        lm_gen_hint(p, "Two sizes on an axis are compatible when they are equal or one of them is 1.");
        lm_gen_hint(p, "On each axis the result takes the larger of the two sizes (a size 1 is stretched).");
        int64_t pb[3] = {1, 1, 1};
        for (int i = 0; i < nb; i++) pb[n - nb + i] = sb[i];
        lm_buf_printf(&tmp, "%s + %s", la.s, lb.s);
        lm_buf padded = LM_BUF_INIT;
        put_shape(&padded, pb, n, "(", ", ", ")");
        if (nb < n) lm_gen_step(p, NULL, "Line the shapes up from the right: $%s$ acts as $%s$.", lb.s, padded.s);
        lm_buf_reset(&tmp);
        lm_buf_puts(&tmp, "(");
        for (int i = 0; i < n; i++) {
            int64_t x = sa[na - n + i], y = pb[i];
            lm_buf_printf(&tmp, "%s\\max(%lld, %lld)", i ? ", " : "", (long long)x, (long long)y);
        }
        lm_buf_printf(&tmp, ") = %s", ans.s);
        lm_gen_step(p, tmp.s, "Axis by axis, the sizes are equal or one of them is 1, which stretches to the other; the result "
                              "takes the larger size on each axis.");
        lm_buf_reset(&tmp);
        put_shape(&tmp, wrong, nw, "[", " ", "]");
        lm_gen_mis(p, "no-stretch", tmp.s, "A size-1 axis stretches to match the other operand; the result is as large as both on every axis.");
        lm_buf_free(&ans);
        lm_buf_free(&padded);
    }
    lm_buf_free(&prog);
    lm_buf_free(&la);
    lm_buf_free(&lb);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- projection ---- */

static bool gen_projection(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg/projection", seed, difficulty);
    int n = difficulty == 3 ? 3 : 2;
    int64_t a[3], b[3], ab, aa;
    do {
        for (int i = 0; i < n; i++) {
            a[i] = lm_gen_int(&r, difficulty == 1 ? 0 : -3, 4);
            b[i] = lm_gen_int(&r, difficulty == 1 ? 0 : -4, 5);
        }
        ab = aa = 0;
        for (int i = 0; i < n; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
        }
        /* Level 1 keeps the coefficient whole: a·b a multiple of a·a. */
    } while (aa == 0 || ab == 0 || (difficulty == 1 && ab % aa != 0));
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, bs = LM_BUF_INIT, bl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT,
           tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, a, 1, n);
    lm_gen_put_imat_latex(&al, a, 1, n);
    lm_gen_put_imat(&bs, b, 1, n);
    lm_gen_put_imat_latex(&bl, b, 1, n);
    lm_rat res[3], dots[2];
    int rr, cc;
    lm_buf_printf(&prog, "%s * %s' * inv(%s * %s') * %s", bs.s, as.s, as.s, as.s, as.s);
    bool ok = lm_gen_eval_rmat(prog.s, res, 3, &rr, &cc, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "[%s * %s', %s * %s']", as.s, bs.s, as.s, as.s);
    ok = ok && lm_gen_eval_rmat(prog.s, dots, 2, &rr, &cc, err);
    if (ok) {
        lm_gen_put_rmat(&ans, res, 1, n);
        lm_gen_prompt(p, "Project $\\mathbf{b} = %s$ onto the line through $\\mathbf{a} = %s$: find $\\text{proj}_{\\mathbf{a}} \\mathbf{b}$.\n\n"
                         "Give the vector as `[x y%s]`; fractions such as `3/5` are fine.",
                      bl.s, al.s, n == 3 ? " z" : "");
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_gen_hint(p, "The projection is a multiple of $\\mathbf{a}$: it lies on the line.");
        lm_gen_hint(p, "The multiple is $\\frac{\\mathbf{a} \\cdot \\mathbf{b}}{\\mathbf{a} \\cdot \\mathbf{a}}$.");
        lm_gen_hint(p, "Compute the two dot products, divide, and multiply every entry of $\\mathbf{a}$ by the result.");
        lm_rat coef = lm_gen_rat_div(dots[0], dots[1]);
        lm_buf_printf(&tmp, "\\mathbf{a} \\cdot \\mathbf{b} = %lld, \\quad \\mathbf{a} \\cdot \\mathbf{a} = %lld", (long long)dots[0].p,
                      (long long)dots[1].p);
        lm_gen_step(p, tmp.s, "Compute the two dot products.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "\\frac{\\mathbf{a} \\cdot \\mathbf{b}}{\\mathbf{a} \\cdot \\mathbf{a}} = \\frac{%lld}{%lld} = ",
                      (long long)dots[0].p, (long long)dots[1].p);
        lm_gen_put_rat_latex(&tmp, coef);
        lm_gen_step(p, tmp.s, "Divide to get the multiple of $\\mathbf{a}$.");
        lm_buf_reset(&tmp);
        lm_buf_puts(&tmp, "\\text{proj}_{\\mathbf{a}} \\mathbf{b} = ");
        lm_gen_put_rat_latex(&tmp, coef);
        lm_buf_printf(&tmp, " %s = ", al.s);
        lm_gen_put_rmat_latex(&tmp, res, 1, n);
        lm_gen_step(p, tmp.s, "Multiply every entry of $\\mathbf{a}$ by it.");
        /* The wrong way round (a onto b) and the missing division by a·a. */
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "%s * %s' * inv(%s * %s') * %s", as.s, bs.s, bs.s, bs.s, bs.s);
        lm_rat w[3];
        ok = lm_gen_eval_rmat(prog.s, w, 3, &rr, &cc, err);
        if (ok) {
            lm_buf_reset(&tmp);
            lm_gen_put_rmat(&tmp, w, 1, n);
            lm_gen_mis(p, "swapped-roles", tmp.s, "That projects a onto b; here b is projected onto the line through a, so the answer is a multiple of a.");
            for (int i = 0; i < n; i++) w[i] = lm_gen_rat(dots[0].p * a[i], 1);
            lm_buf_reset(&tmp);
            lm_gen_put_rmat(&tmp, w, 1, n);
            lm_gen_mis(p, "forgot-normalise", tmp.s, "Divide by a·a as well: the multiple is (a·b)/(a·a), not a·b.");
        }
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&bs);
    lm_buf_free(&bl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    return ok;
}

const lm_skill_def lm_skills_linalg[] = {
    {"linalg/rank", "The rank of a small matrix", gen_rank},
    {"linalg/linear-independence", "Are these vectors independent?", gen_linear_independence},
    {"linalg/eigenvalues-2x2", "Eigenvalues of a 2×2 matrix", gen_eigenvalues_2x2},
    {"linalg/eigenvector-check", "Is v an eigenvector of A, and for which λ?", gen_eigenvector_check},
    {"linalg/determinant-3x3", "The determinant of a 3×3 matrix", gen_determinant_3x3},
    {"linalg/broadcast-shape", "The shape of a broadcast operation", gen_broadcast_shape},
    {"linalg/projection", "Projecting a vector onto a line", gen_projection},
    {NULL, NULL, NULL},
};
