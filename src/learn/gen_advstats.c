/* Exercise generators for advstats: stationary distributions and n-step
 * distributions of Markov chains, the HMM forward algorithm, inference in a
 * small Bayesian network and a naive Bayes posterior. Every number comes from
 * the engine (markov, stationary, evolve, hmm, forward, viterbi, bayesnet,
 * query, bayes); the generator chooses probabilities in tenths. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <string.h>
#include <stdio.h>

/* A row of probabilities (tenths or hundredths) in lemma syntax, "[0.2 0.8]". */
static void put_row(lm_buf *b, const double *v, int n) {
    lm_buf_putc(b, '[');
    for (int i = 0; i < n; i++) lm_buf_printf(b, "%s%s", i ? " " : "", lm_gen_dec(v[i]).s);
    lm_buf_putc(b, ']');
}

/* The same row in LaTeX, "(0.2, 0.8)". */
static void put_row_tex(lm_buf *b, const double *v, int n, int digits) {
    lm_buf_putc(b, '(');
    for (int i = 0; i < n; i++) lm_buf_printf(b, "%s%s", i ? ", " : "", lm_gen_sig(v[i], digits).s);
    lm_buf_putc(b, ')');
}

/* A probability given in hundredths, written exactly: 35 -> "0.35", 90 -> "0.9". */
static lm_gen_numtext hund(int64_t k) {
    lm_gen_numtext t;
    lm_buf b = LM_BUF_INIT;
    lm_gen_put_dec(&b, k, 2);
    snprintf(t.s, sizeof t.s, "%s", lm_buf_cstr(&b));
    lm_buf_free(&b);
    return t;
}

/* A 2×2 transition matrix [1-a a; b 1-b] in lemma syntax and LaTeX, a and b in
 * hundredths: the complements are integer differences, so 1 - 0.9 prints as
 * 0.1 and not as the double 0.09999999999999998. */
static void put_t2(lm_buf *lemma, lm_buf *latex, int64_t a, int64_t b) {
    lm_buf_printf(lemma, "[%s %s; %s %s]", hund(100 - a).s, hund(a).s, hund(b).s, hund(100 - b).s);
    lm_buf_printf(latex, "T = \\begin{bmatrix} %s & %s \\\\ %s & %s \\end{bmatrix}", hund(100 - a).s, hund(a).s,
                  hund(b).s, hund(100 - b).s);
}

/* ---- the stationary distribution of a 2-state chain ---- */

static bool gen_stationary(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "advstats/stationary-2state", seed, difficulty);
    /* tidy decimals: a, b are multiples of 0.1 (level 1) or 0.05, kept in hundredths */
    int unit = difficulty == 1 ? 10 : 20;
    int64_t ia = lm_gen_int(&r, 1, unit - 1), ib = lm_gen_int(&r, 1, unit - 1);
    int64_t ha = ia * (100 / unit), hb = ib * (100 / unit);
    double a = (double)ha / 100;
    lm_buf t = LM_BUF_INIT, tt = LM_BUF_INIT, l = LM_BUF_INIT, prog = LM_BUF_INIT;
    put_t2(&t, &tt, ha, hb);
    double pi1, pi2;
    bool ok = lm_gen_evalf(&pi1, err, "v = stationary(markov(%s)); v(1)", t.s) &&
              lm_gen_evalf(&pi2, err, "v = stationary(markov(%s)); v(2)", t.s);
    if (!ok) goto done;
    lm_rat r1 = lm_gen_rat(ib, ia + ib), r2 = lm_gen_rat(ia, ia + ib);
    if (fabs(pi1 - (double)r1.p / r1.q) > 1e-9) {
        lm_err_set(err, LM_ERR_INTERNAL, "stationary %g is not b/(a+b)", pi1);
        ok = false;
        goto done;
    }
    if (difficulty == 3) {
        lm_gen_prompt(p, "Each day is sunny or rainy. After a sunny day, the next day is rainy with probability %s; "
                         "after a rainy day, the next is sunny with probability %s. In the long run, what fraction of "
                         "days are rainy? Give a fraction, or a decimal to three significant figures.",
                      hund(ha).s, hund(hb).s);
        lm_gen_put_rat(&l, r2);
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", l.s);
        p->spec.tol = 0.006;
        p->spec.probability = true;
        lm_buf_reset(&l);
        lm_gen_put_rat(&l, r1);
        if (lm_gen_fresh(p, pi1, pi2))
            lm_gen_mis(p, "swapped-states", l.s,
                       "That is the long-run share of sunny days. Rainy days are entered at rate %s (from sunny) and "
                       "left at rate %s.",
                       hund(ha).s, hund(hb).s);
        if (lm_gen_fresh(p, a, pi2))
            lm_gen_mis(p, "one-step-probability", hund(ha).s,
                   "That is the chance of rain after one sunny day. In the long run, the flow into rain must balance "
                   "the flow out of it.");
        lm_gen_step(p, tt.s, "Write the chain with states (sunny, rainy): row $i$ holds the probabilities of moving "
                             "from state $i$.");
    } else {
        lm_gen_prompt(p, "A Markov chain with two states has transition matrix $%s$ (row $i$: the probabilities of "
                         "moving from state $i$). What is its stationary distribution $\\pi$? Give it as a row "
                         "`[pi1 pi2]` (fractions are fine).",
                      tt.s);
        lm_rat v[2] = {r1, r2};
        lm_gen_put_rmat(&l, v, 1, 2);
        lm_gen_answer(p, LM_ANS_VECTOR, "%s", l.s);
        p->spec.tol = 0.002;
        lm_buf_reset(&l);
        lm_rat sw[2] = {r2, r1};
        lm_gen_put_rmat(&l, sw, 1, 2);
        if (lm_gen_fresh(p, pi1, pi2))
            lm_gen_mis(p, "swapped-states", l.s,
                       "The two entries are swapped: the chain leaves state 1 at rate %s and state 2 at rate %s, so it "
                       "spends more time in the state it leaves less readily.",
                       hund(ha).s, hund(hb).s);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "[%s %s]", hund(100 - ha).s, hund(ha).s);
        if (lm_gen_far(1 - a, pi1) && lm_gen_far(1 - a, pi2))
            lm_gen_mis(p, "row-of-T", l.s,
                   "That is the first row of $T$: where the chain goes after one step from state 1. The stationary "
                   "distribution solves $\\pi T = \\pi$.");
    }
    lm_gen_hint(p, "The stationary distribution does not change in one step: $\\pi T = \\pi$, with $\\pi_1 + \\pi_2 = "
                   "1$.");
    lm_gen_hint(p, "In balance, the flow out of state 1 equals the flow into it: $\\pi_1 \\cdot %s = \\pi_2 \\cdot %s$.",
                hund(ha).s, hund(hb).s);
    lm_gen_hint(p, "For $T = \\begin{bmatrix} 1-a & a \\\\ b & 1-b \\end{bmatrix}$ that gives $\\pi = \\left(\\frac{b}{a + "
                   "b}, \\frac{a}{a + b}\\right)$.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\pi_1 \\cdot %s = \\pi_2 \\cdot %s, \\quad \\pi_1 + \\pi_2 = 1", hund(ha).s, hund(hb).s);
    lm_gen_step(p, l.s, "Balance the flows between the two states, and make the probabilities add up to 1.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "\\pi_1 = \\frac{%s}{%s + %s} = ", hund(hb).s, hund(ha).s, hund(hb).s);
    lm_gen_put_rat_latex(&l, r1);
    lm_buf_printf(&l, ", \\quad \\pi_2 = \\frac{%s}{%s + %s} = ", hund(ha).s, hund(ha).s, hund(hb).s);
    lm_gen_put_rat_latex(&l, r2);
    lm_gen_step(p, l.s, "Solve the two equations.");
    /* The engine's one-step explainer shows that π T = π indeed. */
    lm_buf_reset(&l);
    lm_gen_put_rmat(&l, (lm_rat[]){r1, r2}, 1, 2);
    lm_buf_printf(&prog, "steps(evolve(markov(%s), %s))", t.s, l.s);
    lm_gen_step(p, NULL, "Check: one step of the chain from $\\pi$ gives $\\pi$ again.");
    ok = lm_gen_steps(p, prog.s, NULL, err);
done:
    lm_buf_free(&t);
    lm_buf_free(&tt);
    lm_buf_free(&l);
    lm_buf_free(&prog);
    return ok;
}

/* ---- the distribution after n steps ---- */

static bool gen_markov_n(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "advstats/markov-n-step", seed, difficulty);
    int k = difficulty == 3 ? 3 : 2, n = difficulty == 1 ? 1 : 2;
    double T[9], p0[3];
    int units[3];
    for (int i = 0; i < k; i++) {
        lm_gen_split_units(&r, units, k, 10);
        for (int j = 0; j < k; j++) T[i * k + j] = units[j] / 10.0;
    }
    if (difficulty == 1) {
        int s = (int)lm_gen_index(&r, 2);
        p0[0] = s == 0, p0[1] = s == 1;
    } else {
        lm_gen_split_units(&r, units, k, 10);
        for (int j = 0; j < k; j++) p0[j] = units[j] / 10.0;
    }
    lm_buf t = LM_BUF_INIT, tt = LM_BUF_INIT, pr = LM_BUF_INIT, l = LM_BUF_INIT, prog = LM_BUF_INIT;
    lm_buf_putc(&t, '[');
    lm_buf_puts(&tt, "T = \\begin{bmatrix} ");
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
            lm_buf_printf(&t, "%s%s", j ? " " : (i ? "; " : ""), lm_gen_dec(T[i * k + j]).s);
            lm_buf_printf(&tt, "%s%s", j ? " & " : (i ? " \\\\ " : ""), lm_gen_dec(T[i * k + j]).s);
        }
    }
    lm_buf_putc(&t, ']');
    lm_buf_puts(&tt, " \\end{bmatrix}");
    put_row(&pr, p0, k);
    double res[3], one[3], col[3];
    bool ok = true;
    for (int j = 0; j < k && ok; j++)
        ok = lm_gen_evalf(&res[j], err, "v = evolve(markov(%s), %s, %d); v(%d)", t.s, pr.s, n, j + 1) &&
             lm_gen_evalf(&one[j], err, "v = evolve(markov(%s), %s, 1); v(%d)", t.s, pr.s, j + 1) &&
             lm_gen_evalf(&col[j], err, "v = %s * %s'; v(%d)", t.s, pr.s, j + 1);
    if (!ok) goto done;
    put_row_tex(&l, p0, k, 10);
    lm_gen_prompt(p, "A Markov chain with %d states has transition matrix $%s$ (row $i$: the probabilities of moving "
                     "from state $i$). It starts in the distribution $\\pi_0 = %s$. What is the distribution after %s? "
                     "Give it as a row `[%s]`.",
                  k, tt.s, l.s, n == 1 ? "one step" : "two steps", k == 2 ? "p1 p2" : "p1 p2 p3");
    lm_buf_reset(&l);
    lm_buf_putc(&l, '[');
    for (int j = 0; j < k; j++) lm_buf_printf(&l, "%s%s", j ? " " : "", lm_gen_sig(res[j], 10).s);
    lm_buf_putc(&l, ']');
    lm_gen_answer(p, LM_ANS_VECTOR, "%s", l.s);
    lm_gen_hint(p, "A distribution is a row; one step multiplies it by $T$ on the right: $\\pi_1 = \\pi_0 T$.");
    lm_gen_hint(p, "Entry $j$ of $\\pi_0 T$ adds up the ways to reach state $j$: $\\sum_i \\pi_0(i)\\, T(i, j)$.");
    if (n > 1) lm_gen_hint(p, "Take one step, then another from where you landed: $\\pi_2 = \\pi_1 T$.");
    lm_buf_reset(&l);
    lm_buf_putc(&l, '[');
    for (int j = 0; j < k; j++) lm_buf_printf(&l, "%s%s", j ? " " : "", lm_gen_sig(col[j], 10).s);
    lm_buf_putc(&l, ']');
    bool differs = false;
    for (int j = 0; j < k; j++) differs = differs || lm_gen_far(col[j], res[j]);
    if (differs && n == 1)
        lm_gen_mis(p, "transposed-product", l.s,
                   "You multiplied $T$ by a column ($T \\pi_0^\\top$), which mixes the rows. With rows of $T$ for the "
                   "current state, the next distribution is the row $\\pi_0 T$.");
    if (n > 1) {
        lm_buf_reset(&l);
        lm_buf_putc(&l, '[');
        differs = false;
        for (int j = 0; j < k; j++) {
            lm_buf_printf(&l, "%s%s", j ? " " : "", lm_gen_sig(one[j], 10).s);
            differs = differs || lm_gen_far(one[j], res[j]);
        }
        lm_buf_putc(&l, ']');
        if (differs)
            lm_gen_mis(p, "one-step-only", l.s, "That is the distribution after one step; take a second step from it.");
    }
    /* One engine explanation per step, each from the distribution the last one reached. */
    lm_buf_reset(&prog);
    lm_buf_printf(&prog, "steps(evolve(markov(%s), %s))", t.s, pr.s);
    if (!(ok = lm_gen_steps(p, prog.s, NULL, err))) goto done;
    if (n > 1) {
        lm_buf_reset(&l);
        lm_buf_putc(&l, '[');
        for (int j = 0; j < k; j++) lm_buf_printf(&l, "%s%s", j ? " " : "", lm_gen_sig(one[j], 10).s);
        lm_buf_putc(&l, ']');
        lm_gen_step(p, NULL, "That was the first step. The second starts from where it landed.");
        ok = lm_gen_stepsf(p, NULL, err, "steps(evolve(markov(%s), %s))", t.s, l.s);
    }
done:
    lm_buf_free(&t);
    lm_buf_free(&tt);
    lm_buf_free(&pr);
    lm_buf_free(&l);
    lm_buf_free(&prog);
    return ok;
}

/* ---- the forward algorithm of a hidden Markov model ---- */

static bool gen_hmm_forward(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "advstats/hmm-forward", seed, difficulty);
    int len = difficulty == 1 ? 2 : 3, nsym = difficulty == 3 ? 3 : 2;
    double A[4], B[6], p0[2];
    int u[3];
    /* Equal rows of A make tomorrow's weather ignore today's; equal rows of B
       make the reports say nothing about the weather: either leaves the
       forward algorithm nothing to do, so such draws are redrawn. */
    for (int tries = 0; tries < 20; tries++) {
        for (int i = 0; i < 2; i++) {
            lm_gen_split_units(&r, u, 2, 10);
            A[2 * i] = u[0] / 10.0, A[2 * i + 1] = u[1] / 10.0;
            lm_gen_split_units(&r, u, nsym, 10);
            for (int j = 0; j < nsym; j++) B[i * nsym + j] = u[j] / 10.0;
        }
        if (A[0] != A[2] && memcmp(B, B + nsym, (size_t)nsym * sizeof *B) != 0) break;
    }
    lm_gen_split_units(&r, u, 2, 10);
    p0[0] = u[0] / 10.0, p0[1] = u[1] / 10.0;
    int obs[3];
    for (int t = 0; t < len; t++) obs[t] = (int)lm_gen_int(&r, 1, nsym);
    static const char *const sym_names[] = {"walk", "shop", "clean"};
    lm_buf call = LM_BUF_INIT, l = LM_BUF_INIT, bt = LM_BUF_INIT, os = LM_BUF_INIT, names = LM_BUF_INIT;
    lm_buf_printf(&call, "hmm([%s %s; %s %s], [", lm_gen_dec(A[0]).s, lm_gen_dec(A[1]).s, lm_gen_dec(A[2]).s, lm_gen_dec(A[3]).s);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < nsym; j++) lm_buf_printf(&call, "%s%s", j ? " " : (i ? "; " : ""), lm_gen_dec(B[i * nsym + j]).s);
    lm_buf_printf(&call, "], [%s %s])", lm_gen_dec(p0[0]).s, lm_gen_dec(p0[1]).s);
    lm_buf_puts(&os, "[");
    for (int t = 0; t < len; t++) {
        lm_buf_printf(&os, "%s%d", t ? " " : "", obs[t]);
        lm_buf_printf(&names, "%s*%s*", t ? ", " : "", sym_names[obs[t] - 1]);
    }
    lm_buf_puts(&os, "]");
    double ans, best, alpha[3][2];
    bool ok = lm_gen_evalf(&ans, err, "forward(%s, %s)", call.s, os.s) &&
              lm_gen_evalf(&best, err, "[path, lp] = viterbi(%s, %s); exp(lp)", call.s, os.s);
    for (int t = 0; t < len && ok; t++)
        for (int i = 0; i < 2 && ok; i++)
            ok = lm_gen_evalf(&alpha[t][i], err, "[pr, alpha] = forward(%s, %s); alpha(%d, %d)", call.s, os.s, t + 1, i + 1);
    if (!ok) goto done;
    /* The emission table for the prompt. */
    lm_buf_puts(&bt, "| weather |");
    for (int j = 0; j < nsym; j++) lm_buf_printf(&bt, " P(*%s*) |", sym_names[j]);
    lm_buf_puts(&bt, "\n|---|");
    for (int j = 0; j < nsym; j++) lm_buf_puts(&bt, "---|");
    for (int i = 0; i < 2; i++) {
        lm_buf_printf(&bt, "\n| %s |", i ? "rainy" : "sunny");
        for (int j = 0; j < nsym; j++) lm_buf_printf(&bt, " %s |", lm_gen_dec(B[i * nsym + j]).s);
    }
    lm_gen_prompt(p, "The weather is a hidden Markov chain with states sunny (1) and rainy (2): it starts sunny with "
                     "probability %s, and the transition matrix is $A = \\begin{bmatrix} %s & %s \\\\ %s & %s "
                     "\\end{bmatrix}$ (row: today, column: tomorrow). Each day a friend reports one activity, with "
                     "these probabilities given the weather:\n\n%s\n\nWhat is the probability of the reports %s on "
                     "%d consecutive days? " "Give a decimal to three significant figures.",
                  lm_gen_dec(p0[0]).s, lm_gen_dec(A[0]).s, lm_gen_dec(A[1]).s, lm_gen_dec(A[2]).s, lm_gen_dec(A[3]).s, bt.s, names.s, len);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "Sum over every hidden weather sequence, but do it day by day: the forward variable "
                   "$\\alpha_t(i)$ is the probability of the reports so far *and* state $i$ today.");
    lm_gen_hint(p, "Start with $\\alpha_1(i) = \\pi_0(i)\\, B(i, o_1)$, then $\\alpha_{t+1}(j) = \\left[\\sum_i "
                   "\\alpha_t(i) A(i, j)\\right] B(j, o_{t+1})$.");
    lm_gen_hint(p, "The answer is the last day's $\\alpha_%d(1) + \\alpha_%d(2)$.", len, len);
    if (lm_gen_fresh(p, best, ans))
        lm_gen_mis(p, "best-path-only", lm_gen_sig(best, 6).s,
                   "That is the probability of the single most likely weather sequence with these reports (Viterbi). "
                   "The probability of the reports sums over all weather sequences.");
    for (int t = 0; t < len; t++) {
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\alpha_%d = (%s, %s)", t + 1, lm_gen_sig(alpha[t][0], 6).s, lm_gen_sig(alpha[t][1], 6).s);
        if (t == 0)
            lm_gen_step(p, l.s, "Day 1, report *%s*: $\\alpha_1(i) = \\pi_0(i)\\,B(i, o_1)$, so $\\alpha_1(1) = %s "
                                "\\cdot %s$ and $\\alpha_1(2) = %s \\cdot %s$.",
                        sym_names[obs[0] - 1], lm_gen_dec(p0[0]).s, lm_gen_dec(B[obs[0] - 1]).s, lm_gen_dec(p0[1]).s,
                        lm_gen_dec(B[nsym + obs[0] - 1]).s);
        else
            lm_gen_step(p, l.s, "Day %d, report *%s*: carry yesterday's $\\alpha$ through $A$, then weigh by the "
                                "report: $\\alpha_%d(j) = [\\alpha_%d(1) A(1, j) + \\alpha_%d(2) A(2, j)]\\, B(j, "
                                "o_%d)$.",
                        t + 1, sym_names[obs[t] - 1], t + 1, t, t, t + 1);
    }
    lm_buf_reset(&l);
    lm_buf_printf(&l, "P(\\text{reports}) = %s + %s \\approx %s", lm_gen_sig(alpha[len - 1][0], 6).s,
                  lm_gen_sig(alpha[len - 1][1], 6).s, lm_gen_sig(ans, 4).s);
    lm_gen_step(p, l.s, "Add the last day's forward probabilities over both states.");
done:
    lm_buf_free(&call);
    lm_buf_free(&l);
    lm_buf_free(&bt);
    lm_buf_free(&os);
    lm_buf_free(&names);
    return ok;
}

/* ---- a query in a small Bayesian network ---- */

static bool gen_bayes_net(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "advstats/bayes-net-inference", seed, difficulty);
    double pr = (double)lm_gen_int(&r, 1, 5) / 10, ps = (double)lm_gen_int(&r, 1, 5) / 10;
    double w[4]; /* P(Wet | parents), parents in the engine's order (false first) */
    lm_buf net = LM_BUF_INIT, l = LM_BUF_INIT, prog = LM_BUF_INIT;
    double ans, other;
    bool ok;
    if (difficulty == 1) {
        /* dry grass never wet without rain would make P(R | W) = 1 with no
           Bayes needed: the grass is sometimes wet without rain too */
        w[0] = (double)lm_gen_int(&r, 1, 3) / 10, w[1] = (double)lm_gen_int(&r, 7, 10) / 10;
        lm_buf_printf(&net, "net = node(node(bayesnet(), \"Rain\", [], %s), \"Wet | Rain\", [%s; %s])", lm_gen_dec(pr).s,
                      lm_gen_dec(w[0]).s, lm_gen_dec(w[1]).s);
        ok = lm_gen_evalf(&ans, err, "%s; query(net, \"Rain\", Wet = true)", net.s);
        if (!ok) goto done;
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
        p->spec.tol = 0.006;
        p->spec.probability = true;
        lm_gen_prompt(p, "In a small Bayesian network, Rain $\\to$ WetGrass. It rains with probability $P(R) = %s$. The "
                         "grass is wet with probability %s when it rains and %s when it does not. The grass is wet. "
                         "What is the probability that it rained, $P(R \\mid W)$? " "Give a decimal to three "
                         "significant figures.",
                      lm_gen_dec(pr).s, lm_gen_dec(w[1]).s, lm_gen_dec(w[0]).s);
        lm_gen_hint(p, "The evidence is at the child; the question is about the parent: turn the arrow round with "
                       "Bayes' theorem.");
        lm_gen_hint(p, "$P(W) = P(W \\mid R)P(R) + P(W \\mid \\text{not } R)P(\\text{not } R)$.");
        lm_gen_hint(p, "$P(R \\mid W) = \\frac{P(W \\mid R)\\,P(R)}{P(W)}$.");
        if (lm_gen_fresh(p, w[1], ans))
            lm_gen_mis(p, "swapped-conditional", lm_gen_dec(w[1]).s,
                       "That is $P(W \\mid R)$, the chance of wet grass when it rains. The question asks the reverse, "
                       "$P(R \\mid W)$.");
        if (lm_gen_fresh(p, pr, ans))
            lm_gen_mis(p, "ignored-evidence", lm_gen_dec(pr).s,
                       "That is the prior $P(R)$. Wet grass is evidence for rain: update the prior with it.");
        lm_buf_printf(&prog, "steps(bayes(%s, %s, %s))", lm_gen_dec(pr).s, lm_gen_dec(w[1]).s, lm_gen_dec(w[0]).s);
        lm_gen_step(p, NULL, "Name the events: $A$ = it rained, $B$ = the grass is wet.");
        ok = lm_gen_steps(p, prog.s, NULL, err);
        goto done;
    }
    for (int i = 0; i < 4; i++) w[i] = (double)lm_gen_int(&r, i == 0 ? 0 : 3, i == 0 ? 2 : 10) / 10;
    lm_buf_printf(&net, "net = node(node(node(bayesnet(), \"Rain\", [], %s), \"Sprinkler\", [], %s), \"Wet | Rain, "
                        "Sprinkler\", [%s; %s; %s; %s])",
                  lm_gen_dec(pr).s, lm_gen_dec(ps).s, lm_gen_dec(w[0]).s, lm_gen_dec(w[1]).s, lm_gen_dec(w[2]).s, lm_gen_dec(w[3]).s);
    double pw;
    ok = lm_gen_evalf(&pw, err, "%s; query(net, \"Wet\")", net.s);
    if (!ok) goto done;
    const char *intro = "In a Bayesian network, Rain $\\to$ WetGrass $\\leftarrow$ Sprinkler. Rain and the sprinkler "
                        "are independent";
    lm_buf_printf(&l, "| Rain | Sprinkler | P(wet) |\n|---|---|---|\n| no | no | %s |\n| no | yes | %s |\n"
                      "| yes | no | %s |\n| yes | yes | %s |",
                  lm_gen_dec(w[0]).s, lm_gen_dec(w[1]).s, lm_gen_dec(w[2]).s, lm_gen_dec(w[3]).s);
    /* The four joint terms P(r) P(s) P(W | r, s), each from the engine. */
    double term[4];
    for (int i = 0; i < 4 && ok; i++)
        ok = lm_gen_evalf(&term[i], err, "%s * %s * %s", lm_gen_dec(i >= 2 ? pr : 1 - pr).s, lm_gen_dec(i % 2 ? ps : 1 - ps).s, lm_gen_dec(w[i]).s);
    if (!ok) goto done;
    if (difficulty == 2) {
        ans = pw;
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
        lm_gen_prompt(p, "%s: $P(R) = %s$ and $P(S) = %s$. The grass is wet with these probabilities:\n\n%s\n\nWhat is "
                         "the probability that the grass is wet, $P(W)$? Give a decimal to three significant figures.",
                      intro, lm_gen_dec(pr).s, lm_gen_dec(ps).s, l.s);
        lm_gen_hint(p, "Sum over the four combinations of the parents (the law of total probability).");
        lm_gen_hint(p, "Each combination contributes $P(r)\\,P(s)\\,P(W \\mid r, s)$; the parents are independent.");
        lm_gen_hint(p, "$P(W) = \\sum_{r, s} P(r) P(s) P(W \\mid r, s)$: four products to add.");
        if (!lm_gen_evalf(&other, err, "(%s + %s + %s + %s) / 4", lm_gen_dec(w[0]).s, lm_gen_dec(w[1]).s, lm_gen_dec(w[2]).s, lm_gen_dec(w[3]).s))
            goto done;
        if (lm_gen_fresh(p, other, ans))
            lm_gen_mis(p, "unweighted-average", lm_gen_sig(other, 6).s,
                       "That averages the four table entries as if each combination were equally likely. Weigh each "
                       "by $P(r)\\,P(s)$.");
    } else {
        ok = lm_gen_evalf(&ans, err, "%s; query(net, \"Rain\", Wet = true)", net.s);
        if (!ok) goto done;
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
        lm_gen_prompt(p, "%s: $P(R) = %s$ and $P(S) = %s$. The grass is wet with these probabilities:\n\n%s\n\nThe grass "
                         "is wet. What is the probability that it rained, $P(R \\mid W)$? Give a decimal to three "
                         "significant figures.",
                      intro, lm_gen_dec(pr).s, lm_gen_dec(ps).s, l.s);
        lm_gen_hint(p, "$P(R \\mid W) = \\frac{P(R, W)}{P(W)}$: both come from summing joint probabilities over the "
                       "sprinkler.");
        lm_gen_hint(p, "Each joint term is $P(r)\\,P(s)\\,P(W \\mid r, s)$.");
        lm_gen_hint(p, "Add the two terms with rain for $P(R, W)$ and all four for $P(W)$, then divide.");
        if (lm_gen_fresh(p, pr, ans))
            lm_gen_mis(p, "ignored-evidence", lm_gen_dec(pr).s,
                       "That is the prior $P(R)$. Wet grass is evidence for rain: condition on it.");
        if (!lm_gen_evalf(&other, err, "%s; query(net, \"Wet\", Rain = true)", net.s)) goto done;
        if (lm_gen_fresh(p, other, ans))
            lm_gen_mis(p, "swapped-conditional", lm_gen_sig(other, 6).s,
                       "That is $P(W \\mid R)$, the chance of wet grass when it rains. The question asks the reverse.");
    }
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%s \\cdot %s \\cdot %s = %s", lm_gen_dec(1 - pr).s, lm_gen_dec(1 - ps).s, lm_gen_dec(w[0]).s, lm_gen_sig(term[0], 6).s);
    lm_gen_step(p, l.s, "No rain, no sprinkler: $P(\\text{not } R)\\,P(\\text{not } S)\\,P(W \\mid \\text{neither})$.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%s \\cdot %s \\cdot %s = %s", lm_gen_dec(1 - pr).s, lm_gen_dec(ps).s, lm_gen_dec(w[1]).s, lm_gen_sig(term[1], 6).s);
    lm_gen_step(p, l.s, "No rain, sprinkler on.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%s \\cdot %s \\cdot %s = %s", lm_gen_dec(pr).s, lm_gen_dec(1 - ps).s, lm_gen_dec(w[2]).s, lm_gen_sig(term[2], 6).s);
    lm_gen_step(p, l.s, "Rain, sprinkler off.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "%s \\cdot %s \\cdot %s = %s", lm_gen_dec(pr).s, lm_gen_dec(ps).s, lm_gen_dec(w[3]).s, lm_gen_sig(term[3], 6).s);
    lm_gen_step(p, l.s, "Rain and sprinkler.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "P(W) = %s", lm_gen_sig(pw, 6).s);
    lm_gen_step(p, l.s, "Add the four terms: the probability of wet grass.");
    if (difficulty == 3) {
        lm_buf_reset(&l);
        lm_buf_printf(&l, "P(R \\mid W) = \\frac{%s + %s}{%s} \\approx %s", lm_gen_sig(term[2], 6).s, lm_gen_sig(term[3], 6).s,
                      lm_gen_sig(pw, 6).s, lm_gen_sig(ans, 4).s);
        lm_gen_step(p, l.s, "Keep the two terms with rain and divide by $P(W)$.");
    }
    p->spec.tol = 0.006;
    p->spec.probability = true;
done:
    lm_buf_free(&net);
    lm_buf_free(&l);
    lm_buf_free(&prog);
    return ok;
}

/* ---- a naive Bayes posterior ---- */

/* A product written in lemma syntax ("0.7 * (1 - 0.8)") as LaTeX. */
static void put_cdot(lm_buf *b, const char *s) {
    for (; *s; s++) {
        if (*s == '*') lm_buf_puts(b, "\\cdot");
        else lm_buf_putc(b, *s);
    }
}

static bool gen_naive_bayes(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "advstats/naive-bayes-posterior", seed, difficulty);
    static const char *const words[][2] = {{"free", "winner"}, {"offer", "click"}, {"prize", "urgent"}};
    const char *const *wd = words[lm_gen_index(&r, 3)];
    double prior = (double)lm_gen_int(&r, 2, 6) / 10;
    double s1 = (double)lm_gen_int(&r, 3, 9) / 10, h1 = (double)lm_gen_int(&r, 1, 4) / 10;
    double s2 = (double)lm_gen_int(&r, 2, 8) / 10, h2 = (double)lm_gen_int(&r, 1, 5) / 10;
    bool two = difficulty >= 2, absent = difficulty == 3;
    lm_buf ls = LM_BUF_INIT, lh = LM_BUF_INIT, l = LM_BUF_INIT, prog = LM_BUF_INIT;
    /* The likelihood of the email under each class, by the naive independence assumption. */
    if (!two) lm_buf_printf(&ls, "%s", lm_gen_dec(s1).s), lm_buf_printf(&lh, "%s", lm_gen_dec(h1).s);
    else if (!absent) lm_buf_printf(&ls, "%s * %s", lm_gen_dec(s1).s, lm_gen_dec(s2).s), lm_buf_printf(&lh, "%s * %s", lm_gen_dec(h1).s, lm_gen_dec(h2).s);
    else
        lm_buf_printf(&ls, "%s * (1 - %s)", lm_gen_dec(s1).s, lm_gen_dec(s2).s), lm_buf_printf(&lh, "%s * (1 - %s)", lm_gen_dec(h1).s, lm_gen_dec(h2).s);
    double ans, lsv, lhv, noprior;
    bool ok = lm_gen_evalf(&lsv, err, "%s", ls.s) && lm_gen_evalf(&lhv, err, "%s", lh.s) &&
              lm_gen_evalf(&ans, err, "bayes(%s, %s, %s)", lm_gen_dec(prior).s, ls.s, lh.s) &&
              lm_gen_evalf(&noprior, err, "bayes(0.5, %s, %s)", ls.s, lh.s);
    if (!ok) goto done;
    lm_buf_printf(&l, "| word | P(word \\| spam) | P(word \\| not spam) |\n|---|---|---|\n| *%s* | %s | %s |", wd[0],
                  lm_gen_dec(s1).s, lm_gen_dec(h1).s);
    if (two) lm_buf_printf(&l, "\n| *%s* | %s | %s |", wd[1], lm_gen_dec(s2).s, lm_gen_dec(h2).s);
    lm_buf_reset(&prog);
    if (!two) lm_buf_printf(&prog, "contains *%s*", wd[0]);
    else if (absent) lm_buf_printf(&prog, "contains *%s* but not *%s*", wd[0], wd[1]);
    else lm_buf_printf(&prog, "contains both *%s* and *%s*", wd[0], wd[1]);
    lm_gen_prompt(p, "A naive Bayes spam filter knows that %s%% of emails are spam, and how often words appear:\n\n%s\n\n"
                     "An email %s. What is the probability that it is spam? Give a decimal to three significant "
                     "figures.",
                  lm_gen_dec(prior * 100).s, l.s, prog.s);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "Naive Bayes assumes the words are independent given the class, so the likelihood of the email is "
                   "a product of per-word probabilities.");
    if (absent)
        lm_gen_hint(p, "A word that is *absent* contributes $1 - P(\\text{word} \\mid \\text{class})$.");
    lm_gen_hint(p, "$P(\\text{spam} \\mid \\text{email}) = \\frac{P(\\text{email} \\mid \\text{spam})\\,P(\\text{spam})}"
                   "{P(\\text{email} \\mid \\text{spam})\\,P(\\text{spam}) + P(\\text{email} \\mid \\text{not "
                   "spam})\\,P(\\text{not spam})}$.");
    if (lm_gen_fresh(p, noprior, ans))
        lm_gen_mis(p, "forgot-prior", lm_gen_sig(noprior, 6).s,
                   "You compared the likelihoods alone, as if spam and not-spam were equally common. Weigh them by the "
                   "prior $P(\\text{spam}) = %s$.",
                   lm_gen_dec(prior).s);
    if (lm_gen_fresh(p, lsv, ans))
        lm_gen_mis(p, "swapped-conditional", lm_gen_sig(lsv, 6).s,
                   "That is $P(\\text{email} \\mid \\text{spam})$, the likelihood. The question asks the reverse, "
                   "$P(\\text{spam} \\mid \\text{email})$.");
    lm_buf_reset(&l);
    lm_buf_puts(&l, "P(\\text{email} \\mid \\text{spam}) = ");
    put_cdot(&l, ls.s);
    lm_buf_printf(&l, " = %s, \\quad P(\\text{email} \\mid \\text{not spam}) = ", lm_gen_sig(lsv, 6).s);
    put_cdot(&l, lh.s);
    lm_buf_printf(&l, " = %s", lm_gen_sig(lhv, 6).s);
    lm_gen_step(p, l.s, "The likelihood of the email under each class%s.",
                two ? ": multiply the word probabilities (the naive assumption)" : "");
    lm_gen_step(p, NULL, "Name the events: $A$ = the email is spam, $B$ = the email looks like this one.");
    ok = lm_gen_stepsf(p, NULL, err, "steps(bayes(%s, %s, %s))", lm_gen_dec(prior).s, lm_gen_sig(lsv, 10).s, lm_gen_sig(lhv, 10).s);
done:
    lm_buf_free(&ls);
    lm_buf_free(&lh);
    lm_buf_free(&l);
    lm_buf_free(&prog);
    return ok;
}

const lm_skill_def lm_skills_advstats[] = {
    {"advstats/stationary-2state", "The stationary distribution of a 2-state chain", gen_stationary},
    {"advstats/markov-n-step", "The distribution after n steps of a chain", gen_markov_n},
    {"advstats/hmm-forward", "The probability of an observation sequence (HMM)", gen_hmm_forward},
    {"advstats/bayes-net-inference", "A query in a small Bayesian network", gen_bayes_net},
    {"advstats/naive-bayes-posterior", "A naive Bayes posterior", gen_naive_bayes},
    {NULL, NULL, NULL},
};
