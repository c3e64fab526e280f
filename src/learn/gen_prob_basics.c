/* Exercise generators for prob-basics: conditional probability, independence,
 * Bayes' theorem, expected value, variance and standard deviation, binomial and
 * normal probabilities. Every reference number comes from the engine (expect,
 * variance, bayes, pmf, cdf, P); the generator only chooses tidy inputs. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <stdio.h>

#define SIG3 "Give a decimal to three significant figures (a fraction or a percentage is fine too)."

/* ---- conditional probability from a table of counts ---- */

typedef struct table_story {
    const char *items;           /* "emails" */
    const char *a, *not_a;       /* row labels */
    const char *b, *not_b;       /* column labels */
    const char *a_phrase;        /* "an email is spam" */
    const char *b_phrase;        /* "it contains the word *free*" */
    const char *not_a_phrase, *not_b_phrase;
} table_story;

static const table_story stories[] = {
    {"emails", "spam", "not spam", "contains *free*", "no *free*", "an email is spam", "it contains the word *free*",
     "an email is not spam", "it does not contain the word *free*"},
    {"students", "passed", "failed", "went to the review", "skipped the review", "a student passed",
     "they went to the review session", "a student failed", "they skipped the review session"},
    {"patients", "flu", "no flu", "fever", "no fever", "a patient has the flu", "they have a fever",
     "a patient does not have the flu", "they do not have a fever"},
    {"photos", "cat", "no cat", "labelled *cat*", "not labelled *cat*", "a photo shows a cat",
     "the model labelled it *cat*", "a photo shows no cat", "the model did not label it *cat*"},
};

static bool gen_conditional(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/conditional-probability", seed, difficulty);
    const table_story *st = &stories[lm_gen_index(&r, sizeof stories / sizeof stories[0])];
    int hi = difficulty == 1 ? 12 : 40;
    int64_t n[4];
    for (int i = 0; i < 4; i++) n[i] = lm_gen_int(&r, difficulty == 1 ? 2 : 5, hi);
    int64_t total = n[0] + n[1] + n[2] + n[3];
    /* Which conditional: P(A | B) always at levels 1-2; a complement at 3. */
    int kind = difficulty == 3 ? 1 + (int)lm_gen_index(&r, 2) : 0;
    int64_t num, den;
    const char *ask_a, *ask_b;
    if (kind == 0) num = n[0], den = n[0] + n[2], ask_a = st->a_phrase, ask_b = st->b_phrase;
    else if (kind == 1) num = n[1], den = n[1] + n[3], ask_a = st->a_phrase, ask_b = st->not_b_phrase;
    else num = n[2], den = n[0] + n[2], ask_a = st->not_a_phrase, ask_b = st->b_phrase;
    int col = kind == 1 ? 2 : 1, row = kind == 2 ? 2 : 1;
    double ans;
    if (!lm_gen_evalf(&ans, err, "M = [%lld %lld; %lld %lld]; M(%d, %d) / sum(M(:, %d))", (long long)n[0], (long long)n[1],
               (long long)n[2], (long long)n[3], row, col, col))
        return false;
    lm_rat q = lm_gen_rat(num, den);
    lm_gen_prompt(p,
                  "Of %lld %s, this table counts each kind:\n\n"
                  "| | %s | %s |\n|---|---|---|\n| **%s** | %lld | %lld |\n| **%s** | %lld | %lld |\n\n"
                  "What is the probability that %s, given that %s? "
                  "Give a fraction, or a decimal to three significant figures.",
                  (long long)total, st->items, st->b, st->not_b, st->a, (long long)n[0], (long long)n[1], st->not_a,
                  (long long)n[2], (long long)n[3], ask_a, ask_b);
    lm_buf b = LM_BUF_INIT;
    lm_gen_put_rat(&b, q);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_buf_cstr(&b));
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "Given that %s: look only at the %s column of the table.", ask_b, col == 1 ? st->b : st->not_b);
    lm_gen_hint(p, "The condition shrinks the sample: the denominator is that column's total, not all %lld %s.",
                (long long)total, st->items);
    lm_gen_hint(p, "$P(A \\mid B) = \\frac{n(A\\text{ and } B)}{n(B)}$: the count in the cell divided by the "
                   "column total.");
    /* The usual wrong denominators: the row (the reversed condition), everyone. */
    int64_t rowtot = row == 1 ? n[0] + n[1] : n[2] + n[3];
    lm_buf w = LM_BUF_INIT;
    lm_gen_put_rat(&w, lm_gen_rat(num, rowtot));
    if (lm_gen_fresh(p, (double)num / (double)rowtot, ans))
        lm_gen_mis(p, "swapped-conditional", lm_buf_cstr(&w),
                   "That is the probability the other way round: you divided by the row total, which conditions "
                   "on the row's event. Here the condition is the column: %s.",
                   ask_b);
    lm_buf_reset(&w);
    lm_gen_put_rat(&w, lm_gen_rat(num, total));
    if (lm_gen_fresh(p, (double)num / (double)total, ans))
        lm_gen_mis(p, "joint-for-conditional", lm_buf_cstr(&w),
                   "That is the probability of both events together, out of all %lld %s. Given that %s, only that "
                   "column counts, so divide by its total.",
                   (long long)total, st->items, ask_b);
    lm_buf_free(&w);
    lm_gen_step(p, NULL, "Given that %s, only the %s column matters: it holds $%lld$ %s.", ask_b,
                col == 1 ? st->b : st->not_b, (long long)den, st->items);
    lm_buf_reset(&b);
    lm_buf_printf(&b, "P = \\frac{%lld}{%lld} = ", (long long)num, (long long)den);
    lm_gen_put_rat_latex(&b, q);
    lm_buf_printf(&b, " \\approx %s", lm_gen_sig(ans, 4).s);
    lm_gen_step(p, lm_buf_cstr(&b), "Of those, $%lld$ are in the cell asked about, so the probability is %lld out of %lld.",
                (long long)num, (long long)num, (long long)den);
    lm_buf_free(&b);
    return true;
}

/* ---- independence ---- */

static bool gen_independence(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/independence", seed, difficulty);
    bool indep = lm_gen_coin(&r);
    double pab, pa_pb;
    lm_buf latex = LM_BUF_INIT;
    if (difficulty == 1 || difficulty == 3) {
        int a = (int)lm_gen_int(&r, 1, 9), bb = (int)lm_gen_int(&r, 1, 9); /* tenths */
        int ab = a * bb;                                                     /* hundredths */
        if (!indep && difficulty == 1) {
            /* Any other value the axioms allow: max(0, P(A) + P(B) - 1) <= P(A and B) <= min(P(A), P(B)). */
            int lo = (a + bb - 10) * 10, hi = (a < bb ? a : bb) * 10;
            if (lo < ab - 10) lo = ab - 10;
            if (lo < 0) lo = 0;
            if (hi > ab + 10) hi = ab + 10;
            do ab = (int)lm_gen_int(&r, lo, hi);
            while (ab == a * bb);
        } else if (!indep) {
            /* P(B | A) in tenths too, so the comparison needs no rounding. */
            int c;
            do c = (int)lm_gen_int(&r, 1, 9);
            while (c == bb);
            ab = a * c;
        }
        if (!lm_gen_evalf(&pa_pb, err, "%s * %s", lm_gen_dec(a / 10.0).s, lm_gen_dec(bb / 10.0).s)) return false;
        pab = ab / 100.0;
        if (difficulty == 1) {
            lm_gen_prompt(p,
                          "Events $A$ and $B$ have $P(A) = %s$, $P(B) = %s$ and $P(A\\text{ and } B) = %s$. "
                          "Are $A$ and $B$ independent? Answer with the letter of your choice.",
                          lm_gen_dec(a / 10.0).s, lm_gen_dec(bb / 10.0).s, lm_gen_dec(pab).s);
        } else {
            /* P(B | A) = P(A and B) / P(A): the same test seen as "does A change the odds of B?". */
            double pb_a;
            if (!lm_gen_evalf(&pb_a, err, "%s / %s", lm_gen_dec(pab).s, lm_gen_dec(a / 10.0).s)) return false;
            lm_gen_prompt(p,
                          "Events $A$ and $B$ have $P(A) = %s$, $P(B) = %s$ and $P(B \\mid A) = %s$. "
                          "Are $A$ and $B$ independent? Answer with the letter of your choice.",
                          lm_gen_dec(a / 10.0).s, lm_gen_dec(bb / 10.0).s, lm_gen_sig(pb_a, 4).s);
            lm_gen_step(p, NULL, "First recover the joint probability: $P(A\\text{ and } B) = P(B \\mid A)\\,P(A) = %s$.",
                        lm_gen_dec(pab).s);
        }
        lm_buf_printf(&latex, "P(A)\\,P(B) = %s \\cdot %s = %s", lm_gen_dec(a / 10.0).s, lm_gen_dec(bb / 10.0).s, lm_gen_sig(pa_pb, 6).s);
    } else {
        /* A table of counts: independent tables are outer products of margins. */
        int64_t u1 = lm_gen_int(&r, 1, 4), u2 = lm_gen_int(&r, 1, 4), v1 = lm_gen_int(&r, 1, 4),
                v2 = lm_gen_int(&r, 1, 4), k = lm_gen_int(&r, 2, 5);
        int64_t c[4] = {k * u1 * v1, k * u1 * v2, k * u2 * v1, k * u2 * v2};
        if (!indep) {
            /* Moving d from the off-diagonal to the diagonal keeps the margins and breaks the product form. */
            int64_t d = lm_gen_int(&r, 1, c[1] < c[2] ? c[1] : c[2]);
            c[0] += d, c[3] += d, c[1] -= d, c[2] -= d;
        }
        int64_t n = c[0] + c[1] + c[2] + c[3];
        double pa, pb;
        if (!lm_gen_evalf(&pab, err, "%lld / %lld", (long long)c[0], (long long)n) ||
            !lm_gen_evalf(&pa, err, "%lld / %lld", (long long)(c[0] + c[1]), (long long)n) ||
            !lm_gen_evalf(&pb, err, "%lld / %lld", (long long)(c[0] + c[2]), (long long)n) ||
            !lm_gen_evalf(&pa_pb, err, "(%lld / %lld) * (%lld / %lld)", (long long)(c[0] + c[1]), (long long)n,
                   (long long)(c[0] + c[2]), (long long)n))
            return false;
        lm_gen_prompt(p,
                      "In a group of %lld people, this table counts who owns a dog ($A$) and who walks daily "
                      "($B$):\n\n| | walks daily | does not |\n|---|---|---|\n| **dog** | %lld | %lld |\n"
                      "| **no dog** | %lld | %lld |\n\nFor a person chosen at random, are the events $A$ and $B$ "
                      "independent? Answer with the letter of your choice.",
                      (long long)n, (long long)c[0], (long long)c[1], (long long)c[2], (long long)c[3]);
        lm_gen_step(p, NULL, "From the table: $P(A) = \\frac{%lld}{%lld}$, $P(B) = \\frac{%lld}{%lld}$ and "
                             "$P(A\\text{ and } B) = \\frac{%lld}{%lld} \\approx %s$.",
                    (long long)(c[0] + c[1]), (long long)n, (long long)(c[0] + c[2]), (long long)n, (long long)c[0],
                    (long long)n, lm_gen_sig(pab, 4).s);
        lm_buf_printf(&latex, "P(A)\\,P(B) = %s \\cdot %s \\approx %s", lm_gen_sig(pa, 4).s, lm_gen_sig(pb, 4).s, lm_gen_sig(pa_pb, 4).s);
    }
    /* The verdict is the engine's comparison, not the coin: the coin only aimed. */
    bool same = fabs(pab - pa_pb) < 1e-9;
    lm_gen_choice(p, "independent");
    lm_gen_choice(p, "not independent");
    lm_gen_answer(p, LM_ANS_CHOICE, "%s", same ? "a" : "b");
    lm_gen_hint(p, "Independence has a precise test; it is not about whether the events seem related.");
    lm_gen_hint(p, "Compare $P(A\\text{ and } B)$ with the product $P(A)\\,P(B)$.");
    lm_gen_hint(p, "$A$ and $B$ are independent exactly when $P(A\\text{ and } B) = P(A)\\,P(B)$; compute both "
                   "sides and see whether they are equal.");
    if (same)
        lm_gen_mis(p, "independence-test", "b",
                   "Here $P(A\\text{ and } B)$ equals $P(A)\\,P(B)$ exactly, and that is the definition of "
                   "independence: knowing $A$ does not change the probability of $B$.");
    else
        lm_gen_mis(p, "independence-test", "a",
                   "Independence needs $P(A\\text{ and } B) = P(A)\\,P(B)$ exactly, and here the two differ, so "
                   "knowing $A$ changes the probability of $B$.");
    lm_gen_step(p, lm_buf_cstr(&latex), "Multiply the two probabilities: if the events were independent, this would "
                                        "be the probability of both.");
    lm_gen_step(p, NULL, "%s", same ? "It equals $P(A\\text{ and } B)$, so $A$ and $B$ are independent."
                                    : "It differs from $P(A\\text{ and } B)$, so $A$ and $B$ are not independent.");
    lm_buf_free(&latex);
    return true;
}

/* ---- Bayes' theorem with a test's error rates ---- */

static bool gen_bayes(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/bayes-theorem", seed, difficulty);
    static const int64_t prior1[] = {10, 20, 25, 30, 40};
    static const int64_t prior2[] = {1, 2, 3, 4, 5, 8};
    static const int64_t sens_l[] = {80, 85, 90, 95, 98, 99};
    static const int64_t fpr_l[] = {2, 5, 10, 15, 20};
    int64_t prior = difficulty == 1 ? lm_gen_pick(&r, prior1, 5) : lm_gen_pick(&r, prior2, 6);
    int64_t sens = lm_gen_pick(&r, sens_l, 6), fpr = lm_gen_pick(&r, fpr_l, 5);
    bool negative = difficulty == 3;
    lm_gen_numtext ps = lm_gen_dec((double)prior / 100), ss = lm_gen_dec((double)sens / 100), fs = lm_gen_dec((double)fpr / 100);
    lm_gen_numtext miss = lm_gen_dec((double)(100 - sens) / 100), spec = lm_gen_dec((double)(100 - fpr) / 100);
    /* A negative result: the "evidence" is the test saying no, with P(- | D) = 1 - sensitivity. */
    lm_buf call = LM_BUF_INIT;
    if (negative) lm_buf_printf(&call, "bayes(%s, %s, %s)", ps.s, miss.s, spec.s);
    else lm_buf_printf(&call, "bayes(%s, %s, %s)", ps.s, ss.s, fs.s);
    double ans, other;
    if (!lm_gen_eval_num(lm_buf_cstr(&call), &ans, err)) {
        lm_buf_free(&call);
        return false;
    }
    lm_gen_prompt(p,
                  "A disease affects %lld%% of people. A test for it is positive for %lld%% of people who have "
                  "the disease, and for %lld%% of people who do not. A person chosen at random tests **%s**. "
                  "What is the probability that they have the disease? " SIG3,
                  (long long)prior, (long long)sens, (long long)fpr, negative ? "negative" : "positive");
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "Write down what you know: $P(D)$, $P(%s \\mid D)$ and $P(%s \\mid \\text{no } D)$. The question "
                   "asks for the reverse conditional, $P(D \\mid %s)$.",
                negative ? "-" : "+", negative ? "-" : "+", negative ? "-" : "+");
    lm_gen_hint(p, "First find how often a test is %s at all: %s results come from people with the disease and "
                   "from people without it.",
                negative ? "negative" : "positive", negative ? "negative" : "positive");
    lm_gen_hint(p, "$P(D \\mid %s) = \\frac{P(%s \\mid D)\\,P(D)}{P(%s \\mid D)\\,P(D) + P(%s \\mid \\text{no } D)\\,"
                   "P(\\text{no } D)}$.",
                negative ? "-" : "+", negative ? "-" : "+", negative ? "-" : "+", negative ? "-" : "+");
    if (negative) {
        if (lm_gen_fresh(p, (double)(100 - sens) / 100, ans))
            lm_gen_mis(p, "swapped-conditional", miss.s,
                       "That is $P(- \\mid D)$, how often the test misses the disease. The question asks the "
                       "reverse, $P(D \\mid -)$, which also depends on how rare the disease is.");
        if (!lm_gen_evalf(&other, err, "bayes(%s, %s, %s)", ps.s, ss.s, fs.s)) goto fail;
        if (lm_gen_fresh(p, other, ans))
            lm_gen_mis(p, "wrong-evidence", lm_gen_sig(other, 6).s,
                       "That is the probability of the disease after a *positive* test. This person tested "
                       "negative, so the evidence is $P(- \\mid D) = 1 - %s$.",
                       ss.s);
    } else {
        if (lm_gen_fresh(p, (double)sens / 100, ans))
            lm_gen_mis(p, "swapped-conditional", ss.s,
                       "That is $P(+ \\mid D)$, how often the test finds the disease. The question asks the "
                       "reverse, $P(D \\mid +)$: most positives can come from the many people without it.");
        if (!lm_gen_evalf(&other, err, "%s / (%s + %s)", ss.s, ss.s, fs.s)) goto fail;
        if (lm_gen_fresh(p, other, ans))
            lm_gen_mis(p, "base-rate-neglect", lm_gen_sig(other, 6).s,
                       "You compared the two rates but left out how rare the disease is. Weigh $P(+ \\mid D)$ by "
                       "$P(D) = %s$ and the false positive rate by $P(\\text{no } D)$.",
                       ps.s);
    }
    lm_gen_step(p, NULL, "Name the events: $A$ = the person has the disease, $B$ = the test is %s. Then $P(A) = %s$, "
                         "$P(B \\mid A) = %s$ and $P(B \\mid \\text{not } A) = %s$.",
                negative ? "negative" : "positive", ps.s, negative ? miss.s : ss.s, negative ? spec.s : fs.s);
    lm_buf prog = LM_BUF_INIT;
    lm_buf_printf(&prog, "steps(%s)", lm_buf_cstr(&call));
    bool ok = lm_gen_steps(p, lm_buf_cstr(&prog), NULL, err);
    lm_buf_free(&prog);
    if (ok) lm_gen_step(p, NULL, "So a person who tests %s has the disease with probability about %s.",
                        negative ? "negative" : "positive", lm_gen_sig(ans, 3).s);
    lm_buf_free(&call);
    return ok;
fail:
    lm_buf_free(&call);
    return false;
}

/* ---- expected value and variance of a discrete variable ---- */

/* Values and tidy probabilities (units of 1/total) written as lemma rows. */
static void put_dist(lm_buf *xs, lm_buf *ps, const int *x, const int *units, int n, int total) {
    lm_buf_putc(xs, '[');
    lm_buf_putc(ps, '[');
    for (int i = 0; i < n; i++) {
        lm_buf_printf(xs, "%s%d", i ? " " : "", x[i]);
        lm_buf_printf(ps, "%s%s", i ? " " : "", lm_gen_dec((double)units[i] / total).s);
    }
    lm_buf_putc(xs, ']');
    lm_buf_putc(ps, ']');
}

/* The distribution as a Markdown table for the prompt. */
static void put_dist_table(lm_buf *b, const char *var, const int *x, const int *units, int n, int total) {
    lm_buf_printf(b, "| $%s$ |", var);
    for (int i = 0; i < n; i++) lm_buf_printf(b, " %d |", x[i]);
    lm_buf_puts(b, "\n|---|");
    for (int i = 0; i < n; i++) lm_buf_puts(b, "---|");
    lm_buf_printf(b, "\n| $P(%s = x)$ |", var);
    for (int i = 0; i < n; i++) lm_buf_printf(b, " %s |", lm_gen_dec((double)units[i] / total).s);
    lm_buf_puts(b, "\n");
}

/* Distinct sorted values in [lo, hi]. */
static void pick_values(lm_rng *r, int *x, int n, int lo, int hi) {
    for (int i = 0; i < n; i++) {
        bool dup;
        do {
            x[i] = (int)lm_gen_int(r, lo, hi);
            dup = false;
            for (int j = 0; j < i; j++) dup = dup || x[j] == x[i];
        } while (dup);
    }
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && x[j - 1] > x[j]; j--) {
            int t = x[j];
            x[j] = x[j - 1];
            x[j - 1] = t;
        }
}

static bool gen_expected(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/expected-value", seed, difficulty);
    int n = difficulty == 1 ? 3 : 4, total = difficulty == 1 ? 10 : 20;
    int x[4], u[4];
    pick_values(&r, x, n, difficulty == 3 ? -10 : 0, 10);
    lm_gen_split_units(&r, u, n, total);
    lm_buf xs = LM_BUF_INIT, ps = LM_BUF_INIT, tab = LM_BUF_INIT, prog = LM_BUF_INIT;
    put_dist(&xs, &ps, x, u, n, total);
    put_dist_table(&tab, "X", x, u, n, total);
    double ans, mean_x;
    lm_buf_printf(&prog, "expect(%s, %s)", xs.s, ps.s);
    bool ok = lm_gen_eval_num(prog.s, &ans, err) && lm_gen_evalf(&mean_x, err, "mean(%s)", xs.s);
    if (ok) {
        if (difficulty == 3)
            lm_gen_prompt(p, "In a game you win (or, when negative, lose) $X$ euros, with these probabilities:\n\n%s\n"
                             "What is your expected win $\\mathbb{E}[X]$? Give the exact number.",
                          tab.s);
        else
            lm_gen_prompt(p, "A random variable $X$ takes these values with these probabilities:\n\n%s\n"
                             "What is its expected value $\\mathbb{E}[X]$? Give the exact number.",
                          tab.s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 10).s);
        lm_gen_hint(p, "The expected value is a weighted average: each value counts as much as its probability.");
        lm_gen_hint(p, "Multiply each value by its probability.%s",
                    difficulty == 3 ? " Keep the minus signs of the losses." : "");
        lm_gen_hint(p, "$\\mathbb{E}[X] = \\sum_x x \\cdot P(X = x)$: add up the %d products.", n);
        if (lm_gen_fresh(p, mean_x, ans))
            lm_gen_mis(p, "unweighted-mean", lm_gen_sig(mean_x, 10).s,
                       "That is the plain average of the values, as if each were equally likely. Weigh each value "
                       "by its probability instead.");
        int mode = 0;
        for (int i = 1; i < n; i++)
            if (u[i] > u[mode]) mode = i;
        if (lm_gen_fresh(p, x[mode], ans))
            lm_gen_mis(p, "mode-for-mean", lm_gen_sig(x[mode], 10).s,
                       "That is the most likely value. The expected value is the long-run average, which weighs "
                       "every value by its probability.");
        ok = lm_gen_stepsf(p, NULL, err, "steps(expect(%s, %s))", xs.s, ps.s);
    }
    lm_buf_free(&xs);
    lm_buf_free(&ps);
    lm_buf_free(&tab);
    lm_buf_free(&prog);
    return ok;
}

static bool gen_variance_sd(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/variance-vs-sd", seed, difficulty);
    int n, total, x[4], u[4];
    if (difficulty == 2) {
        /* m - k, m, m + k with P = q, 1 - 2q, q: Var = 2q k², and 2q is a perfect square, so the SD is exact. */
        static const int q_units[][3] = {{2, 96, 2}, {8, 84, 8}, {18, 64, 18}, {32, 36, 32}, {40, 20, 40}, {50, 0, 50}};
        const int *qu = q_units[lm_gen_index(&r, 5)];
        int m = (int)lm_gen_int(&r, 0, 10), k = (int)lm_gen_int(&r, 1, 6);
        n = 3, total = 100;
        x[0] = m - k, x[1] = m, x[2] = m + k;
        u[0] = qu[0], u[1] = qu[1], u[2] = qu[2];
    } else {
        n = difficulty == 1 ? 3 : 4, total = 10;
        pick_values(&r, x, n, 0, difficulty == 1 ? 6 : 10);
        lm_gen_split_units(&r, u, n, total);
    }
    bool ask_sd = difficulty >= 2;
    lm_buf xs = LM_BUF_INIT, ps = LM_BUF_INIT, tab = LM_BUF_INIT, prog = LM_BUF_INIT;
    put_dist(&xs, &ps, x, u, n, total);
    put_dist_table(&tab, "X", x, u, n, total);
    double var, sd, ex2;
    bool ok = lm_gen_evalf(&var, err, "variance(%s, %s)", xs.s, ps.s) && lm_gen_evalf(&sd, err, "sqrt(variance(%s, %s))", xs.s, ps.s) &&
              lm_gen_evalf(&ex2, err, "expect(%s .^ 2, %s)", xs.s, ps.s);
    if (ok) {
        double ans = ask_sd ? sd : var;
        lm_gen_prompt(p, "A random variable $X$ takes these values with these probabilities:\n\n%s\nWhat is its %s? %s",
                      tab.s, ask_sd ? "**standard deviation** $\\sigma$" : "**variance** $\\mathrm{Var}(X)$",
                      difficulty == 3 ? "Give a decimal to three significant figures." : "Give the exact number.");
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, difficulty == 3 ? 6 : 10).s);
        if (difficulty == 3) p->spec.tol = 0.006;
        lm_gen_hint(p, "Start with the mean $\\mu = \\mathbb{E}[X]$.");
        lm_gen_hint(p, "The variance is the probability-weighted average of the squared distances $(x - \\mu)^2$.%s",
                    ask_sd ? " The question asks for the standard deviation, which is in the units of $X$." : "");
        lm_gen_hint(p, "$\\mathrm{Var}(X) = \\sum_x (x - \\mu)^2 P(X = x)$%s.",
                    ask_sd ? ", and $\\sigma = \\sqrt{\\mathrm{Var}(X)}$" : "");
        if (ask_sd && lm_gen_fresh(p, var, ans))
            lm_gen_mis(p, "variance-for-sd", lm_gen_sig(var, 10).s,
                       "That is the variance, $\\sigma^2$. The standard deviation is its square root, in the same "
                       "units as $X$.");
        if (!ask_sd && lm_gen_fresh(p, sd, ans))
            lm_gen_mis(p, "sd-for-variance", lm_gen_sig(sd, 10).s,
                       "That is the standard deviation. The variance is its square: the average squared distance "
                       "from the mean, without the square root.");
        double no_mean = ask_sd ? sqrt(ex2) : ex2;
        if (lm_gen_fresh(p, no_mean, ans))
            lm_gen_mis(p, "forgot-mean", lm_gen_sig(no_mean, 10).s,
                       "You used $\\mathbb{E}[X^2]$ without subtracting the squared mean: $\\mathrm{Var}(X) = "
                       "\\mathbb{E}[X^2] - \\mu^2$.");
        lm_buf_printf(&prog, "steps(variance(%s, %s))", xs.s, ps.s);
        ok = lm_gen_steps(p, prog.s, NULL, err);
        if (ok && ask_sd) {
            lm_buf_reset(&prog);
            lm_buf_printf(&prog, "\\sigma = \\sqrt{%s} %s %s", lm_gen_sig(var, 10).s, difficulty == 3 ? "\\approx" : "=",
                          lm_gen_sig(sd, difficulty == 3 ? 4 : 10).s);
            lm_gen_step(p, prog.s, "The standard deviation is the square root of the variance.");
        }
    }
    lm_buf_free(&xs);
    lm_buf_free(&ps);
    lm_buf_free(&tab);
    lm_buf_free(&prog);
    return ok;
}

/* ---- binomial probabilities ---- */

static int64_t choose(int n, int k) {
    int64_t c = 1;
    for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
    return c;
}

static bool gen_binomial(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/binomial-probability", seed, difficulty);
    int n = (int)(difficulty == 1 ? lm_gen_int(&r, 3, 5) : lm_gen_int(&r, 5, 10));
    int pt = (int)lm_gen_int(&r, 1, 9); /* tenths */
    lm_gen_numtext ps = lm_gen_dec(pt / 10.0), qs = lm_gen_dec((10 - pt) / 10.0);
    static const char *const trials[][2] = {
        {"A basketball player makes each free throw", "free throws are taken"},
        {"A seed sprouts", "seeds are planted"},
        {"A classifier labels each test image correctly", "images are labelled"},
        {"A customer clicks on an ad", "customers see the ad"},
    };
    size_t story = lm_gen_index(&r, 4);
    double ans, nocoef, swapped, one;
    bool at_least_one = difficulty == 3 && lm_gen_coin(&r);
    if (at_least_one) {
        /* (1 - p)^n stays above 0.01 for p <= 0.3 and n <= 10: the answer is not simply 1. */
        pt = 1 + pt % 3;
        ps = lm_gen_dec(pt / 10.0), qs = lm_gen_dec((10 - pt) / 10.0);
    }
    int k = 1;
    /* Redraw k until the answer is at least 0.01: a probability of 1e-7 asks
     * nothing about the binomial and cannot be told apart from 0. */
    for (int tries = 0; tries < 50; tries++) {
        k = at_least_one ? 1 : (int)lm_gen_int(&r, 0, n);
        if (difficulty == 3 && !at_least_one) {
            if (!lm_gen_evalf(&ans, err, "cdf(Binomial(%d, %s), %d)", n, ps.s, k)) return false;
        } else if (at_least_one) {
            if (!lm_gen_evalf(&ans, err, "cdf(Binomial(%d, %s), 0, upper = true)", n, ps.s)) return false;
        } else if (!lm_gen_evalf(&ans, err, "pmf(Binomial(%d, %s), %d)", n, ps.s, k))
            return false;
        if (ans >= 0.01 && (difficulty < 3 || ans <= 0.99)) break;
    }
    if (!lm_gen_evalf(&nocoef, err, "%s^%d * %s^%d", ps.s, k, qs.s, n - k) ||
        !lm_gen_evalf(&swapped, err, "%s^%d * %s^%d * %lld", ps.s, n - k, qs.s, k, (long long)choose(n, k)) ||
        !lm_gen_evalf(&one, err, "pmf(Binomial(%d, %s), 1)", n, ps.s))
        return false;
    const char *what = at_least_one ? "at least one success" : difficulty == 3 ? "at most" : "exactly";
    if (at_least_one)
        lm_gen_prompt(p, "%s with probability $p = %s$, independently each time. %d %s. What is the probability of "
                         "**at least one** success, $P(X \\ge 1)$? " SIG3,
                      trials[story][0], ps.s, n, trials[story][1]);
    else
        lm_gen_prompt(p, "%s with probability $p = %s$, independently each time. %d %s. What is the probability of "
                         "**%s** %d %s, $P(X %s %d)$? " SIG3,
                      trials[story][0], ps.s, n, trials[story][1], what, k, lm_gen_plural(k, "success", "successes"),
                      difficulty == 3 ? "\\le" : "=", k);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "The number of successes $X$ in $n = %d$ independent trials with success probability $p = %s$ is "
                   "binomial.",
                n, ps.s);
    if (at_least_one)
        lm_gen_hint(p, "\"At least one\" has a short complement: no success at all.");
    else
        lm_gen_hint(p, "A particular order of %d %s and %d %s has probability $p^{%d}(1-p)^{%d}$; count how many "
                       "orders there are.",
                    k, lm_gen_plural(k, "success", "successes"), n - k, lm_gen_plural(n - k, "failure", "failures"), k, n - k);
    lm_gen_hint(p, "%s", at_least_one ? "$P(X \\ge 1) = 1 - P(X = 0) = 1 - (1 - p)^n$."
                 : difficulty == 3    ? "$P(X \\le k)$ adds $P(X = j) = \\binom{n}{j} p^j (1-p)^{n-j}$ for $j = 0, "
                                        "\\dots, k$."
                                      : "$P(X = k) = \\binom{n}{k} p^k (1-p)^{n-k}$.");
    if (at_least_one) {
        if (lm_gen_fresh(p, one, ans))
            lm_gen_mis(p, "exactly-for-at-least", lm_gen_sig(one, 6).s,
                       "That is the probability of exactly one success. At least one also counts two, three, ... "
                       "successes: use the complement, $1 - P(X = 0)$.");
        double none = ans > 0 ? 1 - ans : 0;
        if (lm_gen_fresh(p, none, ans))
            lm_gen_mis(p, "forgot-complement", lm_gen_sig(none, 6).s,
                       "That is $P(X = 0)$, the probability of no success at all. Subtract it from 1.");
    } else if (difficulty < 3) {
        if (lm_gen_fresh(p, nocoef, ans))
            lm_gen_mis(p, "missing-binomial-coefficient", lm_gen_sig(nocoef, 6).s,
                       "That is the probability of one particular order of the successes and failures. There are "
                       "$\\binom{%d}{%d} = %lld$ orders, each as likely: multiply by that.",
                       n, k, (long long)choose(n, k));
        if (lm_gen_fresh(p, swapped, ans))
            lm_gen_mis(p, "swapped-exponents", lm_gen_sig(swapped, 6).s,
                       "The powers are swapped: $p = %s$ goes with the %d %s and $1 - p$ with the %d %s.", ps.s,
                       k, lm_gen_plural(k, "success", "successes"), n - k, lm_gen_plural(n - k, "failure", "failures"));
    } else {
        double exact;
        if (!lm_gen_evalf(&exact, err, "pmf(Binomial(%d, %s), %d)", n, ps.s, k)) return false;
        if (lm_gen_fresh(p, exact, ans))
            lm_gen_mis(p, "exactly-for-at-most", lm_gen_sig(exact, 6).s,
                       "That is $P(X = %d)$ only. At most %d also counts every smaller number of successes, down "
                       "to 0.",
                       k, k);
    }
    /* The worked solution: the formula with the engine's numbers. */
    lm_buf l = LM_BUF_INIT;
    if (at_least_one) {
        double zero;
        if (!lm_gen_evalf(&zero, err, "pmf(Binomial(%d, %s), 0)", n, ps.s)) return false;
        lm_buf_printf(&l, "P(X = 0) = (1 - %s)^{%d} = %s^{%d} \\approx %s", ps.s, n, qs.s, n, lm_gen_sig(zero, 4).s);
        lm_gen_step(p, l.s, "No success at all means %d failures in a row.", n);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "P(X \\ge 1) = 1 - P(X = 0) \\approx %s", lm_gen_sig(ans, 4).s);
        lm_gen_step(p, l.s, "At least one success is everything except no success.");
    } else {
        int lo = difficulty == 3 ? 0 : k;
        for (int j = lo; j <= k; j++) {
            double pj;
            if (!lm_gen_evalf(&pj, err, "pmf(Binomial(%d, %s), %d)", n, ps.s, j)) {
                lm_buf_free(&l);
                return false;
            }
            lm_buf_reset(&l);
            lm_buf_printf(&l, "P(X = %d) = \\binom{%d}{%d} \\cdot %s^{%d} \\cdot %s^{%d} = %lld \\cdot %s^{%d} \\cdot "
                              "%s^{%d} \\approx %s",
                          j, n, j, ps.s, j, qs.s, n - j, (long long)choose(n, j), ps.s, j, qs.s, n - j, lm_gen_sig(pj, 4).s);
            lm_gen_step(p, l.s, "%d %s and %d %s: $\\binom{%d}{%d} = %lld$ %s, each with probability $%s^{%d} "
                                "\\cdot %s^{%d}$.",
                        j, lm_gen_plural(j, "success", "successes"), n - j, lm_gen_plural(n - j, "failure", "failures"), n, j,
                        (long long)choose(n, j), lm_gen_plural(choose(n, j), "order", "orders"), ps.s, j, qs.s, n - j);
        }
        if (difficulty == 3) {
            lm_buf_reset(&l);
            lm_buf_printf(&l, "P(X \\le %d) \\approx %s", k, lm_gen_sig(ans, 4).s);
            lm_gen_step(p, l.s, "Add the %d probabilities.", k + 1);
        }
    }
    lm_buf_free(&l);
    return true;
}

/* ---- z-scores and normal probabilities ---- */

static bool gen_normal(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "prob-basics/normal-z-score", seed, difficulty);
    static const int64_t half_z[] = {-5, -4, -3, -2, -1, 1, 2, 3, 4, 5}; /* z in halves */
    int mu = (int)lm_gen_int(&r, 40, 120), sd = (int)lm_gen_int(&r, 2, 15);
    int z2 = (int)lm_gen_pick(&r, half_z, 10);
    double x = mu + z2 * sd / 2.0;
    static const char *const what[] = {"exam scores", "heights in cm", "daily sales", "reaction times in ms"};
    const char *story = what[lm_gen_index(&r, 4)];
    double ans;
    lm_buf l = LM_BUF_INIT;
    if (difficulty == 1) {
        if (!lm_gen_evalf(&ans, err, "(%s - %d) / %d", lm_gen_dec(x).s, mu, sd)) return false;
        lm_gen_prompt(p, "The %s in a population are normally distributed with mean $\\mu = %d$ and standard deviation "
                         "$\\sigma = %d$. What is the z-score of the value $x = %s$? Give the exact number.",
                      story, mu, sd, lm_gen_dec(x).s);
        lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 10).s);
        lm_gen_hint(p, "A z-score says how many standard deviations a value lies from the mean, and on which side.");
        lm_gen_hint(p, "Subtract the mean first; the sign tells the side.");
        lm_gen_hint(p, "$z = \\frac{x - \\mu}{\\sigma}$.");
        lm_gen_mis(p, "sign-error", lm_gen_sig(-ans, 10).s,
                   "The sign is reversed: $z = (x - \\mu)/\\sigma$ is %s because $x$ is %s the mean.",
                   ans > 0 ? "positive" : "negative", ans > 0 ? "above" : "below");
        if (sd != 1 && lm_gen_fresh(p, (x - mu) / (sd * sd), ans))
            lm_gen_mis(p, "variance-for-sd", lm_gen_sig((x - mu) / (sd * sd), 10).s,
                       "You divided by the variance $\\sigma^2 = %d$. Divide by the standard deviation $\\sigma = %d$.",
                       sd * sd, sd);
        lm_buf_printf(&l, "z = \\frac{%s - %d}{%d} = %s", lm_gen_dec(x).s, mu, sd, lm_gen_sig(ans, 10).s);
        lm_gen_step(p, l.s, "Subtract the mean and divide by the standard deviation.");
        lm_gen_step(p, NULL, "So $x$ lies %s standard deviation%s %s the mean.", lm_gen_sig(fabs(ans), 10).s,
                    fabs(ans) == 1 ? "" : "s", ans > 0 ? "above" : "below");
        lm_buf_free(&l);
        return true;
    }
    double lo_x = x, hi_x = 0, z_lo = z2 / 2.0, z_hi = 0, upper_cdf;
    bool between = difficulty == 3;
    bool above = !between && lm_gen_coin(&r);
    if (between) {
        int w2 = (int)lm_gen_int(&r, 1, 4); /* the interval's width in half standard deviations */
        if (z2 + w2 > 6) z2 = 6 - w2;
        lo_x = mu + z2 * sd / 2.0, z_lo = z2 / 2.0;
        hi_x = mu + (z2 + w2) * sd / 2.0, z_hi = (z2 + w2) / 2.0;
        if (!lm_gen_evalf(&ans, err, "X = Normal(%d, %d); P(%s < X < %s)", mu, sd, lm_gen_dec(lo_x).s, lm_gen_dec(hi_x).s) ||
            !lm_gen_evalf(&upper_cdf, err, "cdf(Normal(%d, %d), %s)", mu, sd, lm_gen_dec(hi_x).s))
            return false;
        lm_gen_prompt(p, "The %s in a population are normally distributed with mean $\\mu = %d$ and standard deviation "
                         "$\\sigma = %d$. What is the probability that a value chosen at random lies between %s and %s? "
                         SIG3,
                      story, mu, sd, lm_gen_dec(lo_x).s, lm_gen_dec(hi_x).s);
    } else {
        if (!lm_gen_evalf(&ans, err, "X = Normal(%d, %d); P(X %s %s)", mu, sd, above ? ">" : "<", lm_gen_dec(x).s) ||
            !lm_gen_evalf(&upper_cdf, err, "X = Normal(%d, %d); P(X %s %s)", mu, sd, above ? "<" : ">", lm_gen_dec(x).s))
            return false;
        lm_gen_prompt(p, "The %s in a population are normally distributed with mean $\\mu = %d$ and standard deviation "
                         "$\\sigma = %d$. What is the probability that a value chosen at random is %s than %s? " SIG3,
                      story, mu, sd, above ? "greater" : "less", lm_gen_dec(x).s);
    }
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(ans, 6).s);
    p->spec.tol = 0.006;
    p->spec.probability = true;
    lm_gen_hint(p, "Turn the value%s into z-score%s: $z = (x - \\mu)/\\sigma$.", between ? "s" : "", between ? "s" : "");
    lm_gen_hint(p, "The standard normal table (or `cdf(Normal(0, 1), z)`) gives $\\Phi(z) = P(Z \\le z)$, the area to "
                   "the left of $z$.");
    lm_gen_hint(p, "%s", between ? "$P(a < X < b) = \\Phi(z_b) - \\Phi(z_a)$."
                 : above         ? "The area to the right is $1 - \\Phi(z)$."
                                 : "The area to the left is $\\Phi(z)$ itself.");
    if (lm_gen_fresh(p, upper_cdf, ans))
        lm_gen_mis(p, between ? "one-tail-only" : "wrong-tail", lm_gen_sig(upper_cdf, 6).s, "%s",
                   between ? "That is $P(X < b)$: everything below the upper end. Subtract the part below the lower end, "
                             "$\\Phi(z_a)$."
                           : "That is the area on the other side of $x$. Sketch the bell curve and shade the side the "
                             "question asks for.");
    if (between) {
        lm_buf_printf(&l, "z_a = \\frac{%s - %d}{%d} = %s, \\quad z_b = \\frac{%s - %d}{%d} = %s", lm_gen_dec(lo_x).s, mu, sd,
                      lm_gen_dec(z_lo).s, lm_gen_dec(hi_x).s, mu, sd, lm_gen_dec(z_hi).s);
        lm_gen_step(p, l.s, "Standardise both ends.");
        double pa, pb;
        if (!lm_gen_evalf(&pa, err, "cdf(Normal(0, 1), %s)", lm_gen_dec(z_lo).s) || !lm_gen_evalf(&pb, err, "cdf(Normal(0, 1), %s)", lm_gen_dec(z_hi).s)) {
            lm_buf_free(&l);
            return false;
        }
        lm_buf_reset(&l);
        lm_buf_printf(&l, "\\Phi(%s) - \\Phi(%s) \\approx %s - %s = %s", lm_gen_dec(z_hi).s, lm_gen_dec(z_lo).s, lm_gen_sig(pb, 4).s,
                      lm_gen_sig(pa, 4).s, lm_gen_sig(ans, 4).s);
        lm_gen_step(p, l.s, "The probability between them is the area to the left of $z_b$ minus the area to the left "
                            "of $z_a$.");
    } else {
        lm_buf_printf(&l, "z = \\frac{%s - %d}{%d} = %s", lm_gen_dec(x).s, mu, sd, lm_gen_dec(z_lo).s);
        lm_gen_step(p, l.s, "Standardise: how many standard deviations from the mean is $x$?");
        double phi;
        if (!lm_gen_evalf(&phi, err, "cdf(Normal(0, 1), %s)", lm_gen_dec(z_lo).s)) {
            lm_buf_free(&l);
            return false;
        }
        lm_buf_reset(&l);
        if (above)
            lm_buf_printf(&l, "P(X > %s) = 1 - \\Phi(%s) \\approx 1 - %s = %s", lm_gen_dec(x).s, lm_gen_dec(z_lo).s, lm_gen_sig(phi, 4).s,
                          lm_gen_sig(ans, 4).s);
        else
            lm_buf_printf(&l, "P(X < %s) = \\Phi(%s) \\approx %s", lm_gen_dec(x).s, lm_gen_dec(z_lo).s, lm_gen_sig(ans, 4).s);
        lm_gen_step(p, l.s, "%s", above ? "Greater than $x$ is the area to the right: one minus the area to the left."
                                        : "Less than $x$ is the area to the left of $z$.");
    }
    lm_buf_free(&l);
    return true;
}

const lm_skill_def lm_skills_prob_basics[] = {
    {"prob-basics/conditional-probability", "P(A given B) from a table of counts", gen_conditional},
    {"prob-basics/independence", "Are two events independent?", gen_independence},
    {"prob-basics/bayes-theorem", "Bayes' theorem with a test's error rates", gen_bayes},
    {"prob-basics/expected-value", "Expected value of a discrete variable", gen_expected},
    {"prob-basics/variance-vs-sd", "Variance and standard deviation", gen_variance_sd},
    {"prob-basics/binomial-probability", "Binomial probabilities", gen_binomial},
    {"prob-basics/normal-z-score", "Z-scores and normal probabilities", gen_normal},
    {NULL, NULL, NULL},
};
