/* Exercise generators for linalg-basics: vectors, dot products, norms, matrix
 * products and shapes, transposes, 2×2 inverses and determinants. Every answer
 * is computed by the engine from the generated numbers; the numbers are small
 * integers chosen so that the work is comfortable by hand. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <string.h>

/* Fills v[0..n) with integers in [lo, hi], at least one of them non-zero. */
static void rand_ivec(lm_rng *r, int64_t *v, int n, int64_t lo, int64_t hi) {
    bool any = false;
    for (int i = 0; i < n; i++) {
        v[i] = lm_gen_int(r, lo, hi);
        any = any || v[i] != 0;
    }
    if (!any) v[0] = lm_gen_int_nonzero(r, lo, hi);
}

/* "[1 2 3]" and its LaTeX, as a row. */
static void vec_texts(const int64_t *v, int n, lm_buf *text, lm_buf *latex) {
    lm_gen_put_imat(text, v, 1, n);
    lm_gen_put_imat_latex(latex, v, 1, n);
}

/* The engine's exact value of `program` in lemma syntax (and LaTeX when asked). */
static bool eval_rmat_text(const char *program, lm_buf *text, lm_buf *latex, lm_rat *out, int max, int *rows,
                           int *cols, lm_err *err) {
    if (!lm_gen_eval_rmat(program, out, max, rows, cols, err)) return false;
    if (text) lm_gen_put_rmat(text, out, *rows, *cols);
    if (latex) lm_gen_put_rmat_latex(latex, out, *rows, *cols);
    return true;
}

/* ---- vector-add ---- */

static bool gen_vector_add(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/vector-add", seed, difficulty);
    int n = difficulty == 1 ? 2 : 3;
    int64_t u[3], v[3], a = 1, b = 1;
    rand_ivec(&r, u, n, difficulty == 1 ? 0 : -4, 6);
    /* u + u would read as a doubling, and the sum of a vector with itself
       teaches less: v differs from u */
    for (int tries = 0; tries < 20; tries++) {
        rand_ivec(&r, v, n, difficulty == 1 ? 0 : -4, 6);
        if (memcmp(u, v, (size_t)n * sizeof *u) != 0) break;
    }
    if (difficulty == 2) a = lm_gen_int(&r, 2, 4);
    if (difficulty == 3) {
        a = lm_gen_int(&r, 2, 4);
        b = -lm_gen_int(&r, 2, 3); /* a·u − |b|·v: the subtraction is the twist */
    }
    lm_buf us = LM_BUF_INIT, ul = LM_BUF_INIT, vs = LM_BUF_INIT, vl = LM_BUF_INIT,
           exprl = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT, tmpl = LM_BUF_INIT;
    vec_texts(u, n, &us, &ul);
    vec_texts(v, n, &vs, &vl);
    /* The combination as the learner reads it: "u + v", "3u + v", "2u - 3v". */
    if (a != 1) lm_buf_printf(&exprl, "%lld", (long long)a);
    lm_buf_puts(&exprl, "\\mathbf{u}");
    lm_buf_puts(&exprl, b < 0 ? " - " : " + ");
    if (b != 1 && b != -1) lm_buf_printf(&exprl, "%lld", (long long)(b < 0 ? -b : b));
    lm_buf_puts(&exprl, "\\mathbf{v}");
    lm_buf_printf(&prog, "%lld*%s + (%lld)*%s", (long long)a, us.s, (long long)b, vs.s);
    lm_rat res[3];
    int rr, cc;
    bool ok = eval_rmat_text(prog.s, &ans, NULL, res, 3, &rr, &cc, err);
    if (ok) {
        lm_gen_prompt(p,
                      "Let $\\mathbf{u} = %s$ and $\\mathbf{v} = %s$. Compute $%s$.\n\n"
                      "Give the vector as `[a b%s]`.",
                      ul.s, vl.s, exprl.s, n == 3 ? " c" : "");
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", ans.s);
        lm_gen_hint(p, "Vectors are added entry by entry: the first entry of the result uses only the first "
                       "entries of $\\mathbf{u}$ and $\\mathbf{v}$.");
        if (a != 1 || b != 1)
            lm_gen_hint(p, "Scale first: multiply every entry of $\\mathbf{u}$ by %lld and every entry of "
                           "$\\mathbf{v}$ by %lld, then combine the two vectors.",
                        (long long)a, (long long)b);
        /* "u_i + v_i", "3 u_i - 2 v_i": a factor of 1 is not written */
        lm_buf_reset(&tmp);
        if (a != 1) lm_buf_printf(&tmp, "%lld ", (long long)a);
        lm_buf_printf(&tmp, "u_i %s ", b < 0 ? "-" : "+");
        if (b != 1 && b != -1) lm_buf_printf(&tmp, "%lld ", (long long)(b < 0 ? -b : b));
        lm_buf_puts(&tmp, "v_i");
        lm_gen_hint(p, "Entry $i$ of the result is $%s$; do it for each of the %d entries.", tmp.s, n);
        /* Solution: the scaled vectors (a factor of 1 needs no step) and their sum, all from the engine. */
        if (a != 1) {
            lm_buf_reset(&prog);
            lm_buf_printf(&prog, "%lld*%s", (long long)a, us.s);
            ok = eval_rmat_text(prog.s, NULL, &tmpl, res, 3, &rr, &cc, err);
            if (ok) lm_gen_step(p, tmpl.s, "Scale $\\mathbf{u}$ by %lld: multiply each entry by %lld.", (long long)a, (long long)a);
        }
        if (ok && b != 1) {
            lm_buf_reset(&prog);
            lm_buf_reset(&tmpl);
            lm_buf_printf(&prog, "(%lld)*%s", (long long)b, vs.s);
            ok = eval_rmat_text(prog.s, NULL, &tmpl, res, 3, &rr, &cc, err);
            if (ok) lm_gen_step(p, tmpl.s, "Scale $\\mathbf{v}$ by %lld.", (long long)b);
        }
        lm_buf_reset(&prog);
        lm_buf_reset(&tmpl);
        lm_buf_printf(&prog, "%s", ans.s);
        ok = ok && eval_rmat_text(prog.s, NULL, &tmpl, res, 3, &rr, &cc, err);
        if (ok) {
            /* the entries' sums written out: [1 + 1 & 3 + 4], [-4 - 3 & 10 + 9] */
            lm_buf_reset(&tmp);
            lm_buf_puts(&tmp, "\\begin{bmatrix} ");
            for (int i = 0; i < n; i++) {
                int64_t x = a * u[i], y = b * v[i];
                lm_buf_printf(&tmp, "%s%lld %s %lld", i ? " & " : "", (long long)x, y < 0 ? "-" : "+",
                              (long long)(y < 0 ? -y : y));
            }
            lm_buf_puts(&tmp, " \\end{bmatrix}");
            lm_gen_step(p, tmpl.s, "Add the %svectors entry by entry: $%s = %s = %s$.",
                        a != 1 || b != 1 ? "two scaled " : "", exprl.s, tmp.s, tmpl.s);
        }
    }
    /* Wrong answers: the sign of the second vector flipped, a scale factor dropped. */
    if (ok && b != 1) {
        lm_buf_reset(&prog);
        lm_buf_reset(&tmp);
        lm_buf_printf(&prog, "%lld*%s + (%lld)*%s", (long long)a, us.s, (long long)-b, vs.s);
        if ((ok = eval_rmat_text(prog.s, &tmp, NULL, res, 3, &rr, &cc, err)))
            lm_gen_mis(p, "sign-error", tmp.s, "It looks as if you added %lld·v instead of subtracting it: check the sign in front of v.",
                       (long long)(b < 0 ? -b : b));
    }
    if (ok && (a != 1 || b != 1)) {
        lm_buf_reset(&prog);
        lm_buf_reset(&tmp);
        lm_buf_printf(&prog, "%s + (%lld)*%s", us.s, b < 0 ? -1LL : 1LL, vs.s);
        if ((ok = eval_rmat_text(prog.s, &tmp, NULL, res, 3, &rr, &cc, err)))
            lm_gen_mis(p, "forgot-scaling", tmp.s,
                       "That is u %s v without the scale factors: multiply each vector by its number before adding.",
                       b < 0 ? "-" : "+");
    }
    lm_buf_free(&us);
    lm_buf_free(&ul);
    lm_buf_free(&vs);
    lm_buf_free(&vl);
    lm_buf_free(&exprl);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    lm_buf_free(&tmpl);
    return ok;
}

/* ---- dot-product ---- */

static bool gen_dot_product(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/dot-product", seed, difficulty);
    int n = difficulty == 1 ? 2 : difficulty == 2 ? 3 : 4;
    int64_t u[4], v[4];
    rand_ivec(&r, u, n, difficulty == 1 ? 0 : -3, 6);
    rand_ivec(&r, v, n, difficulty == 1 ? 0 : -3, 6);
    lm_buf us = LM_BUF_INIT, ul = LM_BUF_INIT, vs = LM_BUF_INIT, vl = LM_BUF_INIT, prog = LM_BUF_INIT,
           tmp = LM_BUF_INIT;
    vec_texts(u, n, &us, &ul);
    vec_texts(v, n, &vs, &vl);
    lm_buf_printf(&prog, "%s * %s'", us.s, vs.s);
    lm_rat res[4];
    int rr, cc;
    bool ok = lm_gen_eval_rmat(prog.s, res, 1, &rr, &cc, err);
    if (ok) {
        lm_gen_prompt(p, "Compute the dot product $\\mathbf{u} \\cdot \\mathbf{v}$ of $\\mathbf{u} = %s$ and "
                         "$\\mathbf{v} = %s$.\n\nGive a single number.",
                      ul.s, vl.s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)res[0].p);
        lm_gen_hint(p, "The dot product is a single number, not a vector.");
        lm_gen_hint(p, "Multiply matching entries, $u_1 v_1$, $u_2 v_2$, and so on.");
        lm_gen_hint(p, "Add up the %d products $u_i v_i$; watch the signs of negative entries.", n);
        ok = lm_gen_stepsf(p, NULL, err, "steps(dot(%s, %s))", us.s, vs.s);
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "%s .* %s", us.s, vs.s);
        if ((ok = eval_rmat_text(prog.s, &tmp, NULL, res, 4, &rr, &cc, err)))
            lm_gen_mis(p, "elementwise-product", tmp.s,
                       "Those are the products of matching entries; the dot product adds them up into one number.");
        lm_buf_reset(&prog);
        lm_buf_reset(&tmp);
        lm_buf_printf(&prog, "sum(%s + %s)", us.s, vs.s);
        double s;
        if (ok && (ok = lm_gen_eval_num(prog.s, &s, err))) {
            lm_gen_put_num(&tmp, s);
            lm_gen_mis(p, "added-instead-of-multiplied", tmp.s,
                       "You added matching entries; the dot product multiplies them and then adds the products.");
        }
    }
    lm_buf_free(&us);
    lm_buf_free(&ul);
    lm_buf_free(&vs);
    lm_buf_free(&vl);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- vector-norm ---- */

static bool gen_vector_norm(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/vector-norm", seed, difficulty);
    /* Pythagorean pairs and quadruples keep the norm whole at levels 1 and 2. */
    static const int64_t pairs[][2] = {{3, 4}, {5, 12}, {6, 8}, {8, 15}, {7, 24}, {9, 12}, {1, 0}, {20, 21}, {12, 16}};
    static const int64_t quads[][3] = {{1, 2, 2}, {2, 3, 6}, {1, 4, 8}, {2, 6, 9}, {4, 4, 7}, {2, 10, 11},
                                       {3, 4, 12}, {6, 6, 7}, {2, 5, 14}, {4, 8, 8}};
    int n = difficulty == 1 ? 2 : 3;
    int64_t v[3];
    if (difficulty == 1) {
        size_t k = lm_gen_index(&r, sizeof pairs / sizeof pairs[0]);
        int64_t m = k == 6 ? lm_gen_int(&r, 2, 9) : 1;
        v[0] = pairs[k][0] * m;
        v[1] = pairs[k][1] * m;
    } else if (difficulty == 2) {
        size_t k = lm_gen_index(&r, sizeof quads / sizeof quads[0]);
        for (int i = 0; i < 3; i++) v[i] = quads[k][i];
    } else {
        /* Level 3: the norm is a square root that does not simplify to a whole number. */
        rand_ivec(&r, v, 3, -5, 5);
    }
    int perm[3] = {0, 1, 2};
    lm_gen_shuffle(&r, perm, (size_t)n);
    int64_t w[3];
    for (int i = 0; i < n; i++) w[i] = v[perm[i]] * (lm_gen_coin(&r) ? -1 : 1);
    lm_buf vs = LM_BUF_INIT, vl = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    vec_texts(w, n, &vs, &vl);
    double sq, nrm, l1;
    lm_buf_printf(&prog, "sum(%s .^ 2)", vs.s);
    bool ok = lm_gen_eval_num(prog.s, &sq, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "norm(%s)", vs.s);
    ok = ok && lm_gen_eval_num(prog.s, &nrm, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "sum(abs(%s))", vs.s);
    ok = ok && lm_gen_eval_num(prog.s, &l1, err);
    if (ok) {
        bool whole = nrm == (double)(int64_t)nrm;
        lm_gen_prompt(p, "Find the length (the 2-norm) $\\|\\mathbf{v}\\|$ of $\\mathbf{v} = %s$.\n\n%s", vl.s,
                      whole ? "Give a single number."
                            : "Give a single number: an exact form such as `sqrt(13)` or a decimal to three places.");
        if (whole) lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)nrm);
        else lm_gen_answer(p, LM_ANS_NUMBER, "sqrt(%lld)", (long long)sq);
        p->spec.tol = whole ? 0 : 1e-3;
        lm_gen_hint(p, "The length comes from Pythagoras' theorem, extended to every entry.");
        lm_gen_hint(p, "Square each entry (a negative entry squares to a positive number) and add the squares.");
        lm_gen_hint(p, "$\\|\\mathbf{v}\\| = \\sqrt{v_1^2 + ... + v_%d^2}$: take the square root of the sum of squares.", n);
        lm_buf_reset(&tmp);
        lm_buf_puts(&tmp, "\\|\\mathbf{v}\\|^2 = ");
        for (int i = 0; i < n; i++) lm_buf_printf(&tmp, "%s(%lld)^2", i ? " + " : "", (long long)w[i]);
        lm_buf_printf(&tmp, " = %lld", (long long)sq);
        lm_gen_step(p, tmp.s, "Square each entry and add: the sum of squares is %lld.", (long long)sq);
        lm_buf_reset(&tmp);
        if (whole) lm_buf_printf(&tmp, "\\|\\mathbf{v}\\| = \\sqrt{%lld} = %lld", (long long)sq, (long long)nrm);
        else {
            char d[40];
            lm_fmt_double_sig(d, nrm, 5);
            lm_buf_printf(&tmp, "\\|\\mathbf{v}\\| = \\sqrt{%lld} \\approx %s", (long long)sq, d);
        }
        lm_gen_step(p, tmp.s, "Take the square root of the sum of squares.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "%lld", (long long)sq);
        lm_gen_mis(p, "forgot-sqrt", tmp.s,
                   "That is the sum of the squares, the squared length: take its square root to get the length.");
        lm_buf_reset(&tmp);
        lm_gen_put_num(&tmp, l1);
        lm_gen_mis(p, "l1-norm", tmp.s,
                   "That is the sum of the absolute values (the 1-norm); the length squares the entries, adds them and takes the square root.");
    }
    lm_buf_free(&vs);
    lm_buf_free(&vl);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- matrix-shape ---- */

static bool gen_matrix_shape(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/matrix-shape", seed, difficulty);
    int64_t hi = difficulty == 1 ? 5 : 8;
    int64_t m = lm_gen_int(&r, 1, hi), n = lm_gen_int(&r, 1, hi), k = lm_gen_int(&r, 1, hi);
    /* Level 3 multiplies by a transpose: A is n×m and the product is A'·B. */
    bool tr = difficulty == 3;
    while (m == k && m == n) k = lm_gen_int(&r, 1, hi);
    lm_buf prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    if (tr) lm_buf_printf(&prog, "size(zeros(%lld, %lld)' * zeros(%lld, %lld))", (long long)n, (long long)m,
                          (long long)n, (long long)k);
    else lm_buf_printf(&prog, "size(zeros(%lld, %lld) * zeros(%lld, %lld))", (long long)m, (long long)n,
                       (long long)n, (long long)k);
    lm_rat sz[2];
    int rr, cc;
    bool ok = lm_gen_eval_rmat(prog.s, sz, 2, &rr, &cc, err);
    if (ok) {
        if (tr)
            lm_gen_prompt(p, "$A$ is a $%lld \\times %lld$ matrix and $B$ is a $%lld \\times %lld$ matrix. What is the shape of "
                             "$A^\\top B$?\n\nGive the shape as `[rows cols]`.",
                          (long long)n, (long long)m, (long long)n, (long long)k);
        else
            lm_gen_prompt(p, "$A$ is a $%lld \\times %lld$ matrix and $B$ is a $%lld \\times %lld$ matrix. What is the shape of "
                             "the product $AB$?\n\nGive the shape as `[rows cols]`.",
                          (long long)m, (long long)n, (long long)n, (long long)k);
        lm_gen_answer(p, LM_ANS_VECTOR, "[%lld %lld]", (long long)sz[0].p, (long long)sz[1].p);
        p->spec.strict_shape = false;
        if (tr) lm_gen_hint(p, "Transposing swaps the shape: $A^\\top$ is $%lld \\times %lld$.", (long long)m, (long long)n);
        lm_gen_hint(p, "A product $(m \\times n)(n \\times p)$ needs the inner sizes to agree.");
        lm_gen_hint(p, "The result keeps the outer sizes: rows from the left factor, columns from the right one.");
        if (tr) lm_gen_step(p, NULL, "$A^\\top$ has the rows and columns of $A$ swapped, so it is $%lld \\times %lld$.",
                            (long long)m, (long long)n);
        lm_buf_printf(&tmp, "(%lld \\times %lld)(%lld \\times %lld) = %lld \\times %lld", (long long)m, (long long)n,
                      (long long)n, (long long)k, (long long)sz[0].p, (long long)sz[1].p);
        lm_gen_step(p, tmp.s, "The inner sizes are both %lld, so the product exists; it has the %lld rows of the left factor "
                              "and the %lld columns of the right one.",
                    (long long)n, (long long)sz[0].p, (long long)sz[1].p);
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "[%lld %lld]", (long long)k, (long long)m);
        lm_gen_mis(p, "transposed-shape", tmp.s, "Rows and columns are swapped: the rows come from the left factor, the columns from the right one.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "[%lld %lld]", (long long)n, (long long)n);
        lm_gen_mis(p, "inner-sizes", tmp.s, "Those are the inner sizes, which cancel; the shape uses the outer ones.");
        if (tr) {
            lm_buf_reset(&tmp);
            lm_buf_printf(&tmp, "[%lld %lld]", (long long)n, (long long)k);
            lm_gen_mis(p, "forgot-transpose", tmp.s, "Transpose A first: A is %lld×%lld, so A' is %lld×%lld.", (long long)n,
                       (long long)m, (long long)m, (long long)n);
        }
    }
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

/* ---- matrix-product ---- */

static bool gen_matrix_product(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/matrix-product", seed, difficulty);
    /* 1: 2×2 times 2×2, entries 0..4; 2: negatives; 3: 2×3 times 3×2. */
    int m = 2, n = difficulty == 3 ? 3 : 2, k = 2;
    int64_t A[6], B[6];
    int64_t lo = difficulty == 1 ? 0 : -3, hi = difficulty == 1 ? 4 : 5;
    rand_ivec(&r, A, m * n, lo, hi);
    rand_ivec(&r, B, n * k, lo, hi);
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, bs = LM_BUF_INIT, bl = LM_BUF_INIT, prog = LM_BUF_INIT,
           ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, A, m, n);
    lm_gen_put_imat_latex(&al, A, m, n);
    lm_gen_put_imat(&bs, B, n, k);
    lm_gen_put_imat_latex(&bl, B, n, k);
    lm_rat res[9];
    int rr, cc;
    lm_buf_printf(&prog, "%s * %s", as.s, bs.s);
    bool ok = eval_rmat_text(prog.s, &ans, NULL, res, 9, &rr, &cc, err);
    if (ok) {
        lm_gen_prompt(p, "Let $A = %s$ and $B = %s$. Compute the matrix product $AB$.\n\nGive the matrix as `[a b; c d]`.",
                      al.s, bl.s);
        lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
        lm_gen_hint(p, "$AB$ is $%d \\times %d$: (rows of $A$) by (columns of $B$).", m, k);
        lm_gen_hint(p, "Entry $(i, j)$ of $AB$ combines row $i$ of $A$ with column $j$ of $B$.");
        lm_gen_hint(p, "Multiply row $i$ of $A$ by column $j$ of $B$ entry by entry and add the %d products.", n);
        ok = lm_gen_stepsf(p, "Put the entries together:", err, "steps(%s * %s)", as.s, bs.s);
    }
    if (ok) {
        lm_buf_reset(&prog);
        lm_buf_printf(&prog, "%s * %s", bs.s, as.s);
        int r2, c2;
        if (n == 2 && (ok = eval_rmat_text(prog.s, &tmp, NULL, res, 9, &r2, &c2, err)))
            lm_gen_mis(p, "transposed-product", tmp.s, "That is BA: matrix products depend on the order. AB takes rows from A and columns from B.");
        lm_buf_reset(&prog);
        lm_buf_reset(&tmp);
        lm_buf_printf(&prog, "%s .* %s", as.s, bs.s);
        if (ok && n == 2 && (ok = eval_rmat_text(prog.s, &tmp, NULL, res, 9, &r2, &c2, err)))
            lm_gen_mis(p, "elementwise-product", tmp.s, "You multiplied matching entries; a matrix product combines a row of A with a column of B.");
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

/* ---- transpose ---- */

static bool gen_transpose(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/transpose", seed, difficulty);
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, bs = LM_BUF_INIT, bl = LM_BUF_INIT, prog = LM_BUF_INIT,
           ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_rat res[12];
    int rr, cc;
    bool ok;
    if (difficulty < 3) {
        int m = difficulty == 1 ? 2 : 3, n = difficulty == 1 ? 3 : (int)lm_gen_int(&r, 2, 4);
        int64_t A[12];
        rand_ivec(&r, A, m * n, difficulty == 1 ? 0 : -5, 9);
        lm_gen_put_imat(&as, A, m, n);
        lm_gen_put_imat_latex(&al, A, m, n);
        lm_buf_printf(&prog, "%s'", as.s);
        ok = eval_rmat_text(prog.s, &ans, &tmp, res, 12, &rr, &cc, err);
        if (ok) {
            lm_gen_prompt(p, "Let $A = %s$. Write down its transpose $A^\\top$.\n\nGive the matrix as `[a b; c d]`, rows separated by `;`.",
                          al.s);
            lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
            lm_gen_hint(p, "$A$ is $%d \\times %d$, so $A^\\top$ is $%d \\times %d$.", m, n, n, m);
            lm_gen_hint(p, "Entry $(i, j)$ of $A^\\top$ is entry $(j, i)$ of $A$.");
            lm_gen_hint(p, "Write row 1 of $A$ as column 1 of $A^\\top$, row 2 as column 2, and so on.");
            for (int i = 0; i < m; i++) {
                lm_buf_reset(&bl);
                lm_gen_put_imat_latex(&bl, A + i * n, 1, n);
                lm_gen_step(p, bl.s, "Row %d of $A$ becomes column %d of $A^\\top$.", i + 1, i + 1);
            }
            lm_gen_step(p, tmp.s, "So $A^\\top$ is this %d×%d matrix.", n, m);
            if (m == n) lm_gen_mis(p, "unchanged", as.s, "That is A itself: swap rows and columns.");
            /* Reading the rows backwards is a common slip when rotating instead of reflecting. */
            lm_buf_reset(&prog);
            lm_buf_reset(&tmp);
            lm_buf_printf(&prog, "rot90(%s)", as.s);
            int r2, c2;
            lm_rat rot[12];
            if (lm_gen_eval_rmat(prog.s, rot, 12, &r2, &c2, err)) {
                lm_gen_put_rmat(&tmp, rot, r2, c2);
                lm_gen_mis(p, "rotated", tmp.s, "That turns the matrix a quarter turn; the transpose reflects it in its main diagonal, so row 1 becomes column 1 in the same order.");
            } else {
                lm_err_clear(err);
            }
        }
    } else {
        /* Level 3: (AB)' = B'A', with the tempting A'B' as the misconception. */
        int64_t A[4], B[4];
        rand_ivec(&r, A, 4, -3, 5);
        rand_ivec(&r, B, 4, -3, 5);
        lm_gen_put_imat(&as, A, 2, 2);
        lm_gen_put_imat_latex(&al, A, 2, 2);
        lm_gen_put_imat(&bs, B, 2, 2);
        lm_gen_put_imat_latex(&bl, B, 2, 2);
        lm_buf_printf(&prog, "(%s * %s)'", as.s, bs.s);
        ok = eval_rmat_text(prog.s, &ans, NULL, res, 4, &rr, &cc, err);
        if (ok) {
            lm_gen_prompt(p, "Let $A = %s$ and $B = %s$. Compute $(AB)^\\top$.\n\nGive the matrix as `[a b; c d]`.", al.s, bl.s);
            lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
            lm_gen_hint(p, "You can multiply first and transpose the result.");
            lm_gen_hint(p, "Or use the rule $(AB)^\\top = B^\\top A^\\top$: the order reverses.");
            lm_gen_hint(p, "Compute $AB$ row by column, then write its rows as columns.");
            ok = lm_gen_stepsf(p, "This is $AB$.", err, "steps(%s * %s)", as.s, bs.s);
            if (ok) lm_gen_step(p, NULL, "Transpose it: row $i$ of $AB$ becomes column $i$ of $(AB)^\\top$.");
            lm_buf_reset(&prog);
            lm_buf_printf(&prog, "%s' * %s'", as.s, bs.s);
            int r2, c2;
            if (ok && (ok = eval_rmat_text(prog.s, &tmp, NULL, res, 4, &r2, &c2, err)))
                lm_gen_mis(p, "transposed-product", tmp.s, "That is A'B'; transposing a product reverses the order: (AB)' = B'A'.");
            lm_buf_reset(&prog);
            lm_buf_reset(&tmp);
            lm_buf_printf(&prog, "%s * %s", as.s, bs.s);
            if (ok && (ok = eval_rmat_text(prog.s, &tmp, NULL, res, 4, &r2, &c2, err)))
                lm_gen_mis(p, "forgot-transpose", tmp.s, "That is AB itself; transpose it as the last step.");
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

/* ---- inverse-2x2 and determinant-2x2 ---- */

/* A 2×2 integer matrix [a b; c d] with entries in [lo, hi] whose determinant
 * is one of dets[0..n). */
static void rand_2x2_with_det(lm_rng *r, int64_t *A, int64_t lo, int64_t hi, const int64_t *dets, size_t n) {
    for (;;) {
        for (int i = 0; i < 4; i++) A[i] = lm_gen_int(r, lo, hi);
        int64_t d = A[0] * A[3] - A[1] * A[2];
        for (size_t k = 0; k < n; k++)
            if (d == dets[k]) return;
    }
}

static bool gen_inverse_2x2(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/inverse-2x2", seed, difficulty);
    static const int64_t d1[] = {1, -1}, d2[] = {2, -2, 1, -1}, d3[] = {3, -3, 4, -4, 5, -5};
    int64_t A[4];
    if (difficulty == 1) rand_2x2_with_det(&r, A, 0, 5, d1, 2);
    else if (difficulty == 2) rand_2x2_with_det(&r, A, -4, 6, d2, 4);
    else rand_2x2_with_det(&r, A, -5, 7, d3, 6);
    int64_t det = A[0] * A[3] - A[1] * A[2];
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, prog = LM_BUF_INIT, ans = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, A, 2, 2);
    lm_gen_put_imat_latex(&al, A, 2, 2);
    lm_rat res[4];
    int rr, cc;
    lm_buf_printf(&prog, "inv(%s)", as.s);
    bool ok = eval_rmat_text(prog.s, &ans, NULL, res, 4, &rr, &cc, err);
    if (ok) {
        lm_gen_prompt(p, "Find the inverse of $A = %s$.\n\nGive the matrix as `[a b; c d]`; fractions such as `3/5` are fine.", al.s);
        lm_gen_answer(p, LM_ANS_MATRIX, "%s", ans.s);
        lm_gen_hint(p, "First find $\\text{det}\\, A = ad - bc$; the inverse exists because it is not zero.");
        lm_gen_hint(p, "For $A = \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}$, swap $a$ and $d$ and change the signs of $b$ and $c$.");
        lm_gen_hint(p, "Divide every entry of $\\begin{bmatrix} d & -b \\\\ -c & a \\end{bmatrix}$ by $\\text{det}\\, A$.");
        lm_buf_printf(&tmp, "\\text{det}\\, A = (%lld)(%lld) - (%lld)(%lld) = %lld", (long long)A[0], (long long)A[3], (long long)A[1],
                      (long long)A[2], (long long)det);
        lm_gen_step(p, tmp.s, "The determinant is %lld, which is not zero, so $A$ has an inverse. Gauss–Jordan elimination finds it:",
                    (long long)det);
        ok = lm_gen_stepsf(p, "So $A^{-1}$ is the right half:", err, "steps(inv(%s))", as.s);
    }
    if (ok) {
        /* The adjugate alone (determinant forgotten), and the usual sign slips. */
        int64_t adj[4] = {A[3], -A[1], -A[2], A[0]};
        int64_t nosign[4] = {A[3], A[1], A[2], A[0]};
        lm_buf_reset(&tmp);
        if (det != 1) {
            lm_gen_put_imat(&tmp, adj, 2, 2);
            lm_gen_mis(p, "forgot-determinant", tmp.s, "That is [d -b; -c a] without dividing by the determinant %lld.", (long long)det);
        }
        lm_rat m[4];
        lm_buf_reset(&tmp);
        for (int i = 0; i < 4; i++) m[i] = lm_gen_rat(nosign[i], det);
        lm_gen_put_rmat(&tmp, m, 2, 2);
        lm_gen_mis(p, "sign-error", tmp.s, "Check the signs: the off-diagonal entries b and c change sign in the inverse.");
        lm_buf_reset(&tmp);
        for (int i = 0; i < 4; i++) m[i] = lm_gen_rat(A[i] * (i == 1 || i == 2 ? -1 : 1), det);
        lm_gen_put_rmat(&tmp, m, 2, 2);
        lm_gen_mis(p, "forgot-swap", tmp.s, "Swap the diagonal entries a and d as well as changing the signs of b and c.");
        lm_buf_reset(&tmp);
        for (int i = 0; i < 4; i++) m[i] = lm_gen_rat(adj[i], -det);
        lm_gen_put_rmat(&tmp, m, 2, 2);
        lm_gen_mis(p, "sign-error", tmp.s, "Every sign is flipped: the determinant is ad - bc = %lld, not bc - ad.", (long long)det);
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&prog);
    lm_buf_free(&ans);
    lm_buf_free(&tmp);
    return ok;
}

static bool gen_determinant_2x2(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "linalg-basics/determinant-2x2", seed, difficulty);
    int64_t A[4];
    rand_ivec(&r, A, 4, difficulty == 1 ? 0 : -6, difficulty == 1 ? 6 : 9);
    /* Level 3 asks for det(kA): each of the two rows carries a factor k. */
    static const int64_t ks[] = {2, 3, -1, -2};
    int64_t k = difficulty == 3 ? lm_gen_pick(&r, ks, 4) : 1;
    int64_t K[4];
    for (int i = 0; i < 4; i++) K[i] = k * A[i];
    lm_buf as = LM_BUF_INIT, al = LM_BUF_INIT, ks_ = LM_BUF_INIT, prog = LM_BUF_INIT, tmp = LM_BUF_INIT;
    lm_gen_put_imat(&as, A, 2, 2);
    lm_gen_put_imat_latex(&al, A, 2, 2);
    lm_gen_put_imat(&ks_, K, 2, 2);
    double det, det1;
    lm_buf_printf(&prog, "det(%lld * %s)", (long long)k, as.s);
    bool ok = lm_gen_eval_num(prog.s, &det, err);
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "det(%s)", as.s);
    ok = ok && lm_gen_eval_num(prog.s, &det1, err);
    if (ok) {
        if (k == 1) lm_gen_prompt(p, "Compute the determinant of $A = %s$.\n\nGive a single number.", al.s);
        else
            lm_gen_prompt(p, "Let $A = %s$. Compute $\\text{det}\\,(%lldA)$.\n\nGive a single number.", al.s, (long long)k);
        lm_gen_answer(p, LM_ANS_NUMBER, "%lld", (long long)det);
        lm_gen_hint(p, "For a $2 \\times 2$ matrix $\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}$ the determinant is one product minus another.");
        if (k != 1) lm_gen_hint(p, "Multiplying a $2 \\times 2$ matrix by $k$ multiplies each of its two rows by $k$, and each row scales the determinant by $k$.");
        lm_gen_hint(p, "$\\text{det}\\, A = ad - bc$: the main diagonal's product minus the other diagonal's; keep negative entries in brackets.");
        if (k != 1) {
            lm_buf_printf(&tmp, "%lldA = ", (long long)k);
            lm_gen_put_imat_latex(&tmp, K, 2, 2);
            lm_gen_step(p, tmp.s, "Multiply every entry of $A$ by %lld.", (long long)k);
        }
        ok = lm_gen_stepsf(p, NULL, err, "steps(det(%s))", ks_.s);
        if (ok && k != 1) {
            lm_buf_reset(&tmp);
            lm_buf_printf(&tmp, "\\text{det}\\,(%lldA) = (%lld)^2 \\text{det}\\, A = %lld \\cdot (%lld) = %lld", (long long)k, (long long)k,
                          (long long)(k * k), (long long)det1, (long long)det);
            lm_gen_step(p, tmp.s, "Check: $\\text{det}\\,(kA) = k^2 \\text{det}\\, A$ for a $2 \\times 2$ matrix.");
        }
    }
    if (ok) {
        int64_t ad = K[0] * K[3], bc = K[1] * K[2];
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "%lld", (long long)(ad + bc));
        lm_gen_mis(p, "sign-error", tmp.s, "You added the two products; the determinant subtracts them: ad - bc.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "%lld", (long long)(bc - ad));
        lm_gen_mis(p, "sign-error", tmp.s, "The subtraction is the wrong way round: it is ad - bc, main diagonal first.");
        lm_buf_reset(&tmp);
        lm_buf_printf(&tmp, "%lld", (long long)(K[0] * K[1] - K[2] * K[3]));
        lm_gen_mis(p, "wrong-pairs", tmp.s, "Multiply along the diagonals (a with d, b with c), not along the rows.");
        if (k != 1) {
            lm_buf_reset(&tmp);
            lm_buf_printf(&tmp, "%lld", (long long)(k * det1));
            lm_gen_mis(p, "scaled-once", tmp.s, "det(kA) is not k·det(A): both rows are multiplied by k, so det(kA) = k²·det(A).");
        }
    }
    lm_buf_free(&as);
    lm_buf_free(&al);
    lm_buf_free(&ks_);
    lm_buf_free(&prog);
    lm_buf_free(&tmp);
    return ok;
}

const lm_skill_def lm_skills_linalg_basics[] = {
    {"linalg-basics/vector-add", "Adding and scaling vectors", gen_vector_add},
    {"linalg-basics/dot-product", "Dot product of two vectors", gen_dot_product},
    {"linalg-basics/vector-norm", "Length (2-norm) of a vector", gen_vector_norm},
    {"linalg-basics/matrix-shape", "The shape of a matrix product", gen_matrix_shape},
    {"linalg-basics/matrix-product", "Multiplying two small matrices", gen_matrix_product},
    {"linalg-basics/transpose", "Transposing a matrix", gen_transpose},
    {"linalg-basics/inverse-2x2", "The inverse of a 2×2 matrix", gen_inverse_2x2},
    {"linalg-basics/determinant-2x2", "The determinant of a 2×2 matrix", gen_determinant_2x2},
    {NULL, NULL, NULL},
};
