/* Exercise generators for info: entropy, cross-entropy, KL divergence and
 * mutual information. The values come from the engine (entropy, crossentropy,
 * kl, mutualinfo); distributions are dyadic (powers of 1/2, so answers in bits
 * are exact) at the first level and in tenths above it. */
#include "learn/gen.h"
#include "learn/gen_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A negative number in parentheses for sums: "(-0.5)". */
static lm_gen_numtext par(double x, int digits) {
    lm_gen_numtext t = lm_gen_sig(x, digits), q;
    snprintf(q.s, sizeof q.s, "(%.36s)", t.s);
    return q;
}

#define MAXK 5

/* A distribution as exact fractions (units out of `den`). */
typedef struct dist {
    int k;
    int64_t num[MAXK];
    int64_t den;
} dist;

/* A dyadic distribution with k outcomes: start from {1} and halve a random
 * entry k - 1 times, so every probability is a power of 1/2. */
static dist dyadic(lm_rng *r, int k) {
    dist d = {1, {1}, 1};
    int e[MAXK] = {0};
    while (d.k < k) {
        size_t i = lm_gen_index(r, (size_t)d.k);
        e[i]++;
        e[d.k++] = e[i];
    }
    int emax = 0;
    for (int i = 0; i < k; i++) emax = e[i] > emax ? e[i] : emax;
    d.den = (int64_t)1 << emax;
    for (int i = 0; i < k; i++) d.num[i] = d.den >> e[i];
    int perm[MAXK];
    for (int i = 0; i < k; i++) perm[i] = i;
    lm_gen_shuffle(r, perm, (size_t)k);
    int64_t tmp[MAXK];
    for (int i = 0; i < k; i++) tmp[i] = d.num[perm[i]];
    for (int i = 0; i < k; i++) d.num[i] = tmp[i];
    return d;
}

/* k positive parts of `den` units, every split equally likely: k - 1 distinct
 * cut points in 1..den-1. */
static dist units(lm_rng *r, int k, int den) {
    dist d = {k, {0}, den};
    int cut[MAXK + 1];
    cut[0] = 0;
    for (int i = 1; i < k; i++) {
        bool dup;
        do {
            cut[i] = (int)lm_gen_int(r, 1, den - 1);
            dup = false;
            for (int j = 1; j < i; j++) dup = dup || cut[j] == cut[i];
        } while (dup);
    }
    for (int i = 2; i < k; i++)
        for (int j = i; j > 1 && cut[j - 1] > cut[j]; j--) {
            int t = cut[j];
            cut[j] = cut[j - 1];
            cut[j - 1] = t;
        }
    cut[k] = den;
    for (int i = 0; i < k; i++) d.num[i] = cut[i + 1] - cut[i];
    return d;
}

/* lemma syntax: "[1/2 1/4 1/4]" (reduced fractions). */
static void put_dist(lm_buf *b, const dist *d) {
    lm_buf_putc(b, '[');
    for (int i = 0; i < d->k; i++) {
        if (i) lm_buf_putc(b, ' ');
        lm_gen_put_rat(b, lm_gen_rat(d->num[i], d->den));
    }
    lm_buf_putc(b, ']');
}

/* LaTeX: "\left(\frac{1}{2}, \frac{1}{4}, \frac{1}{4}\right)", or decimals for tenths. */
static void put_dist_tex(lm_buf *b, const dist *d) {
    lm_buf_puts(b, "\\left(");
    for (int i = 0; i < d->k; i++) {
        if (i) lm_buf_puts(b, ", ");
        if (d->den == 10 || d->den == 100) lm_buf_puts(b, lm_gen_dec((double)d->num[i] / (double)d->den).s);
        else lm_gen_put_rat_latex(b, lm_gen_rat(d->num[i], d->den));
    }
    lm_buf_puts(b, "\\right)");
}

/* One term p·log(1/p)-style in LaTeX: "\frac{1}{4} \log_2 \frac{1}{4}". */
static void put_p(lm_buf *b, int64_t num, int64_t den) {
    if (den == 10 || den == 100) lm_buf_puts(b, lm_gen_dec((double)num / (double)den).s);
    else lm_gen_put_rat_latex(b, lm_gen_rat(num, den));
}

#define LN2 0.6931471805599453 /* the double nearest ln 2: converts bits to nats for wrong-unit answers */

/* ---- entropy ---- */

static bool gen_entropy(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "info/entropy", seed, difficulty);
    dist d = difficulty == 1 ? dyadic(&r, (int)lm_gen_int(&r, 2, 5)) : units(&r, (int)lm_gen_int(&r, 2, difficulty == 2 ? 3 : 4), 10);
    bool nats = difficulty == 3;
    static const char *const stories[] = {"the next symbol of a source", "tomorrow's weather", "the class of an image",
                                          "the outcome of a spinner"};
    const char *story = stories[lm_gen_index(&r, 4)];
    lm_buf pd = LM_BUF_INIT, pt = LM_BUF_INIT, l = LM_BUF_INIT;
    put_dist(&pd, &d);
    put_dist_tex(&pt, &d);
    double h, hbits;
    bool ok = lm_gen_evalf(&h, err, "entropy(%s%s)", pd.s, nats ? ", base = e" : "") && lm_gen_evalf(&hbits, err, "entropy(%s)", pd.s);
    if (!ok) goto done;
    lm_gen_prompt(p, "The probabilities of the %d possible values of %s are $%s$. What is the entropy $H$ of this "
                     "distribution in **%s** (logarithm base %s)? %s",
                  d.k, story, pt.s, nats ? "nats" : "bits", nats ? "$e$" : "2",
                  difficulty == 1 ? "Give the exact number." : "Give a decimal to three significant figures.");
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(h, difficulty == 1 ? 10 : 6).s);
    if (difficulty > 1) p->spec.tol = 0.006;
    lm_gen_hint(p, "Entropy is the average surprise: each outcome of probability $p$ contributes $p \\log \\frac{1}{p}$.");
    lm_gen_hint(p, "In %s, use $\\%s$.%s", nats ? "nats" : "bits", nats ? "ln" : "log_2",
                difficulty == 1 ? " For powers of one half, $\\log_2 \\frac{1}{2^k} = -k$." : "");
    lm_gen_hint(p, "$H = -\\sum_i p_i \\%s p_i$: %d terms to add.", nats ? "ln" : "log_2", d.k);
    double other = nats ? hbits : h * LN2;
    if (lm_gen_fresh(p, other, h))
        lm_gen_mis(p, nats ? "bits-for-nats" : "nats-for-bits", lm_gen_sig(other, 6).s,
                   "That is the entropy in %s. The question asks for %s: use the logarithm base %s.",
                   nats ? "bits" : "nats", nats ? "nats" : "bits", nats ? "$e$" : "2");
    if (h != 0)
        lm_gen_mis(p, "sign-error", lm_gen_sig(-h, 6).s,
                   "Entropy is never negative: $\\log p \\le 0$, so the minus sign in $H = -\\sum p \\log p$ makes "
                   "every term positive.");
    double umax = nats ? log((double)d.k) : log2((double)d.k);
    if (lm_gen_fresh(p, umax, h))
        lm_gen_mis(p, "uniform-for-entropy", lm_gen_sig(umax, 6).s,
                   "That is $\\log %d$, the entropy of a *uniform* distribution on %d values (the largest possible). "
                   "These probabilities are not equal, so the entropy is smaller.",
                   d.k, d.k);
    lm_buf_puts(&l, "H = -\\left(");
    for (int i = 0; i < d.k; i++) {
        if (i) lm_buf_puts(&l, " + ");
        put_p(&l, d.num[i], d.den);
        lm_buf_printf(&l, " \\%s ", nats ? "ln" : "log_2");
        put_p(&l, d.num[i], d.den);
    }
    lm_buf_puts(&l, "\\right)");
    lm_gen_step(p, l.s, "Write the sum, one term per value.");
    lm_buf_reset(&l);
    lm_buf_puts(&l, "H = ");
    for (int i = 0; i < d.k && ok; i++) {
        double t;
        ok = lm_gen_evalf(&t, err, "-(%lld/%lld) * %s(%lld/%lld)", (long long)d.num[i], (long long)d.den, nats ? "log" : "log2",
                   (long long)d.num[i], (long long)d.den);
        lm_buf_printf(&l, "%s%s", i ? " + " : "", lm_gen_sig(t, difficulty == 1 ? 10 : 4).s);
    }
    if (!ok) goto done;
    lm_buf_printf(&l, " %s %s", difficulty == 1 ? "=" : "\\approx", lm_gen_sig(h, difficulty == 1 ? 10 : 4).s);
    lm_gen_step(p, l.s, "Each term $-p \\log p$ is the probability times the surprise; add them up (in %s).",
                nats ? "nats" : "bits");
done:
    lm_buf_free(&pd);
    lm_buf_free(&pt);
    lm_buf_free(&l);
    return ok;
}

/* ---- cross-entropy ---- */

static bool gen_cross_entropy(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "info/cross-entropy", seed, difficulty);
    static const char *const labels[][4] = {
        {"cat", "dog", "bird", "fish"}, {"spam", "promotion", "personal", "work"}, {"red", "green", "blue", "yellow"}};
    const char *const *lab = labels[lm_gen_index(&r, 3)];
    int k = (int)lm_gen_int(&r, 3, 4);
    dist q = difficulty == 2 ? units(&r, k, 10) : dyadic(&r, k);
    dist t = {k, {0}, 1};
    int cls = (int)lm_gen_index(&r, (size_t)k);
    if (difficulty == 3) t = dyadic(&r, k);
    else t.num[cls] = 1;
    bool nats = difficulty == 2;
    lm_buf pd = LM_BUF_INIT, qd = LM_BUF_INIT, qt = LM_BUF_INIT, pt = LM_BUF_INIT, l = LM_BUF_INIT;
    put_dist(&pd, &t);
    put_dist(&qd, &q);
    put_dist_tex(&qt, &q);
    put_dist_tex(&pt, &t);
    double h, other_unit, swapped = 0, hp = 0;
    bool ok = lm_gen_evalf(&h, err, "crossentropy(%s, %s%s)", pd.s, qd.s, nats ? ", base = e" : "") &&
              lm_gen_evalf(&other_unit, err, "crossentropy(%s, %s%s)", pd.s, qd.s, nats ? "" : ", base = e");
    if (ok && difficulty == 3)
        ok = lm_gen_evalf(&swapped, err, "crossentropy(%s, %s)", qd.s, pd.s) && lm_gen_evalf(&hp, err, "entropy(%s)", pd.s);
    if (!ok) goto done;
    lm_buf_puts(&l, "(");
    for (int i = 0; i < k; i++) lm_buf_printf(&l, "%s%s", i ? ", " : "", lab[i]);
    lm_buf_puts(&l, ")");
    if (difficulty < 3)
        lm_gen_prompt(p, "A classifier predicts the probabilities $q = %s$ for the classes %s. The true class is "
                         "**%s**. What is the cross-entropy loss $H(p, q) = -\\sum_i p_i \\log q_i$ of this prediction "
                         "in **%s**? %s",
                      qt.s, l.s, lab[cls], nats ? "nats" : "bits",
                      nats ? "Give a decimal to three significant figures." : "Give the exact number.");
    else
        lm_gen_prompt(p, "For the classes %s, the target distribution is $p = %s$ (soft labels) and a model predicts $q = "
                         "%s$. What is the cross-entropy $H(p, q) = -\\sum_i p_i \\log_2 q_i$ in bits? Give the exact "
                         "number.",
                      l.s, pt.s, qt.s);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(h, nats ? 6 : 10).s);
    if (nats) p->spec.tol = 0.006;
    lm_gen_hint(p, "Cross-entropy charges the surprise of the *predicted* probability, $-\\log q_i$, weighted by the "
                   "*true* probability $p_i$.");
    lm_gen_hint(p, "%s", difficulty < 3 ? "With a one-hot target only the true class has $p_i \\ne 0$, so only its term "
                                          "survives."
                                        : "Go class by class: multiply $p_i$ by $-\\log_2 q_i$.");
    lm_gen_hint(p, "%s", difficulty < 3 ? (nats ? "The loss is $-\\ln q_{\\text{true}}$, the natural log."
                                                : "The loss is $-\\log_2 q_{\\text{true}}$.")
                                        : "Add the products: $H(p, q) = \\sum_i p_i (-\\log_2 q_i)$.");
    if (lm_gen_fresh(p, other_unit, h))
        lm_gen_mis(p, nats ? "bits-for-nats" : "nats-for-bits", lm_gen_sig(other_unit, 6).s,
                   "That is the loss in %s. The question asks for %s: use the logarithm base %s.",
                   nats ? "bits" : "nats", nats ? "nats" : "bits", nats ? "$e$" : "2");
    lm_gen_mis(p, "sign-error", lm_gen_sig(-h, 6).s,
               "A loss of this kind is never negative: $\\log q \\le 0$, and the minus sign in front makes it "
               "positive.");
    if (difficulty < 3) {
        /* The most confident wrong class: the learner read the predicted winner. */
        int wrong = cls == 0 ? 1 : 0;
        for (int i = 0; i < k; i++)
            if (i != cls && q.num[i] > q.num[wrong]) wrong = i;
        double wv;
        if (!(ok = lm_gen_evalf(&wv, err, "-%s(%lld/%lld)", nats ? "log" : "log2", (long long)q.num[wrong], (long long)q.den)))
            goto done;
        if (lm_gen_fresh(p, wv, h))
            lm_gen_mis(p, "wrong-class", lm_gen_sig(wv, 6).s,
                       "That uses the probability of *%s*. The loss looks at the probability given to the true class, "
                       "*%s*.",
                       lab[wrong], lab[cls]);
        lm_buf_reset(&l);
        lm_buf_printf(&l, "H(p, q) = -\\%s q_{\\text{%s}} = -\\%s ", nats ? "ln" : "log_2", lab[cls],
                      nats ? "ln" : "log_2");
        put_p(&l, q.num[cls], q.den);
        lm_buf_printf(&l, " %s %s", nats ? "\\approx" : "=", lm_gen_sig(h, nats ? 4 : 10).s);
        lm_gen_step(p, NULL, "The target is one-hot: $p_{\\text{%s}} = 1$ and every other $p_i = 0$, so every other "
                             "term of the sum vanishes.",
                    lab[cls]);
        lm_gen_step(p, l.s, "What remains is the surprise of the probability given to the true class.");
    } else {
        if (!isinf(swapped) && lm_gen_fresh(p, swapped, h))
            lm_gen_mis(p, "swapped-arguments", lm_gen_sig(swapped, 6).s,
                       "You swapped $p$ and $q$: cross-entropy weighs by the *target* $p$ and takes the log of the "
                       "*prediction* $q$.");
        if (lm_gen_fresh(p, hp, h))
            lm_gen_mis(p, "entropy-for-cross-entropy", lm_gen_sig(hp, 6).s,
                       "That is the entropy $H(p)$ of the target alone. Cross-entropy uses the logs of the predicted "
                       "$q$.");
        lm_buf_reset(&l);
        lm_buf_puts(&l, "H(p, q) = ");
        for (int i = 0; i < k; i++) {
            if (i) lm_buf_puts(&l, " + ");
            put_p(&l, t.num[i], t.den);
            lm_buf_puts(&l, " \\cdot (-\\log_2 ");
            put_p(&l, q.num[i], q.den);
            lm_buf_puts(&l, ")");
        }
        lm_buf_printf(&l, " = %s", lm_gen_sig(h, 10).s);
        lm_gen_step(p, l.s, "Each class contributes its target probability times the surprise of its prediction; for "
                            "powers of one half, $-\\log_2 \\frac{1}{2^k} = k$.");
    }
done:
    lm_buf_free(&pd);
    lm_buf_free(&qd);
    lm_buf_free(&qt);
    lm_buf_free(&pt);
    lm_buf_free(&l);
    return ok;
}

/* ---- KL divergence ---- */

static bool gen_kl(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "info/kl-divergence", seed, difficulty);
    dist P, Q;
    do {
        if (difficulty == 1) P = dyadic(&r, 4), Q = dyadic(&r, 4);
        else P = units(&r, difficulty == 2 ? 2 : 3, 10), Q = units(&r, P.k, 10);
    } while (!memcmp(P.num, Q.num, sizeof P.num)); /* D(P || P) = 0 is a lesson, not an exercise */
    bool nats = difficulty == 3;
    lm_buf pd = LM_BUF_INIT, qd = LM_BUF_INIT, pt = LM_BUF_INIT, qt = LM_BUF_INIT, l = LM_BUF_INIT;
    put_dist(&pd, &P);
    put_dist(&qd, &Q);
    put_dist_tex(&pt, &P);
    put_dist_tex(&qt, &Q);
    const char *base = nats ? ", base = e" : "";
    double d, rev, ce, other;
    bool ok = lm_gen_evalf(&d, err, "kl(%s, %s%s)", pd.s, qd.s, base) && lm_gen_evalf(&rev, err, "kl(%s, %s%s)", qd.s, pd.s, base) &&
              lm_gen_evalf(&ce, err, "crossentropy(%s, %s%s)", pd.s, qd.s, base) &&
              lm_gen_evalf(&other, err, "kl(%s, %s%s)", pd.s, qd.s, nats ? "" : ", base = e");
    if (!ok) goto done;
    lm_gen_prompt(p, "A model approximates the true distribution $P = %s$ by $Q = %s$ (over the same %d outcomes). What "
                     "is the KL divergence $D_{\\mathrm{KL}}(P \\,\\|\\, Q)$ in **%s**? %s",
                  pt.s, qt.s, P.k, nats ? "nats" : "bits",
                  difficulty == 1 ? "Give the exact number." : "Give a decimal to three significant figures.");
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(d, difficulty == 1 ? 10 : 6).s);
    if (difficulty > 1) p->spec.tol = 0.006;
    lm_gen_hint(p, "$D_{\\mathrm{KL}}(P \\,\\|\\, Q) = \\sum_i P_i \\log \\frac{P_i}{Q_i}$: weights from $P$, the log of "
                   "the ratio $P_i / Q_i$.");
    lm_gen_hint(p, "The order matters: the first argument, $P$, supplies the weights.");
    lm_gen_hint(p, "Use $\\%s$ for %s%s.", nats ? "ln" : "log_2", nats ? "nats" : "bits",
                difficulty == 1 ? "; each ratio here is a power of 2, so each log is a whole number" : "");
    if (lm_gen_fresh(p, rev, d))
        lm_gen_mis(p, "swapped-kl", lm_gen_sig(rev, 6).s,
                   "That is $D_{\\mathrm{KL}}(Q \\,\\|\\, P)$: KL divergence is not symmetric. Weigh by $P$ and take "
                   "the log of $P_i / Q_i$.");
    if (lm_gen_fresh(p, ce, d))
        lm_gen_mis(p, "cross-entropy-for-kl", lm_gen_sig(ce, 6).s,
                   "That is the cross-entropy $H(P, Q)$. The KL divergence subtracts the entropy of $P$: $D = H(P, Q) "
                   "- H(P)$.");
    if (lm_gen_fresh(p, other, d))
        lm_gen_mis(p, nats ? "bits-for-nats" : "nats-for-bits", lm_gen_sig(other, 6).s, "That is the divergence in %s; the "
                                                                                 "question asks for %s.",
                   nats ? "bits" : "nats", nats ? "nats" : "bits");
    lm_gen_mis(p, "sign-error", lm_gen_sig(-d, 6).s, "KL divergence is never negative (Gibbs' inequality); check the ratio: "
                                              "$P_i / Q_i$, not $Q_i / P_i$.");
    lm_buf_puts(&l, "D = ");
    for (int i = 0; i < P.k; i++) {
        if (i) lm_buf_puts(&l, " + ");
        put_p(&l, P.num[i], P.den);
        lm_buf_printf(&l, " \\%s \\frac{", nats ? "ln" : "log_2");
        put_p(&l, P.num[i], P.den);
        lm_buf_puts(&l, "}{");
        put_p(&l, Q.num[i], Q.den);
        lm_buf_puts(&l, "}");
    }
    lm_gen_step(p, l.s, "One term per outcome: the weight $P_i$ times the log of the ratio.");
    lm_buf_reset(&l);
    lm_buf_puts(&l, "D = ");
    for (int i = 0; i < P.k && ok; i++) {
        double tv;
        ok = lm_gen_evalf(&tv, err, "(%lld/%lld) * %s((%lld/%lld) / (%lld/%lld))", (long long)P.num[i], (long long)P.den,
                   nats ? "log" : "log2", (long long)P.num[i], (long long)P.den, (long long)Q.num[i], (long long)Q.den);
        lm_buf_printf(&l, "%s%s", i ? " + " : "", tv < 0 ? par(tv, difficulty == 1 ? 10 : 4).s : lm_gen_sig(tv, difficulty == 1 ? 10 : 4).s);
    }
    if (!ok) goto done;
    lm_buf_printf(&l, " %s %s", difficulty == 1 ? "=" : "\\approx", lm_gen_sig(d, difficulty == 1 ? 10 : 4).s);
    lm_gen_step(p, l.s, "Evaluate and add (terms where $Q$ gives more probability than $P$ are negative; the total is not).");
done:
    lm_buf_free(&pd);
    lm_buf_free(&qd);
    lm_buf_free(&pt);
    lm_buf_free(&qt);
    lm_buf_free(&l);
    return ok;
}

/* ---- mutual information from a joint table ---- */

static bool gen_mutual_info(lm_problem *p, uint64_t seed, int difficulty, lm_err *err) {
    lm_rng r;
    lm_gen_rng(&r, "info/mutual-information", seed, difficulty);
    int rows = 2, cols = difficulty == 3 ? 3 : 2, den = difficulty == 1 ? 8 : difficulty == 2 ? 20 : 10;
    int64_t c[6] = {0};
    for (int u = 0; u < den; u++) c[lm_gen_index(&r, (size_t)(rows * cols))]++;
    lm_buf jm = LM_BUF_INIT, jt = LM_BUF_INIT, l = LM_BUF_INIT;
    lm_buf_putc(&jm, '[');
    lm_buf_puts(&jt, "\\begin{bmatrix} ");
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            lm_rat v = lm_gen_rat(c[i * cols + j], den);
            if (j == 0 && i) lm_buf_puts(&jm, "; "), lm_buf_puts(&jt, " \\\\ ");
            else if (j) lm_buf_putc(&jm, ' '), lm_buf_puts(&jt, " & ");
            lm_gen_put_rat(&jm, v);
            if (den == 8) lm_gen_put_rat_latex(&jt, v);
            else lm_buf_puts(&jt, lm_gen_dec((double)c[i * cols + j] / den).s);
        }
    lm_buf_putc(&jm, ']');
    lm_buf_puts(&jt, " \\end{bmatrix}");
    double mi, hx, hy, hxy;
    bool ok = lm_gen_evalf(&mi, err, "mutualinfo(%s)", jm.s) && lm_gen_evalf(&hx, err, "J = %s; entropy(sum(J, 2))", jm.s) &&
              lm_gen_evalf(&hy, err, "J = %s; entropy(sum(J, 1))", jm.s) && lm_gen_evalf(&hxy, err, "J = %s; entropy(J(:))", jm.s);
    if (!ok) goto done;
    lm_gen_prompt(p, "Two variables $X$ (rows) and $Y$ (columns) have the joint distribution $P(X, Y) = %s$. What is "
                     "their mutual information $I(X; Y)$ in bits? Give a decimal to three significant figures.",
                  jt.s);
    lm_gen_answer(p, LM_ANS_NUMBER, "%s", lm_gen_sig(mi, 6).s);
    p->spec.tol = 0.006;
    lm_gen_hint(p, "Mutual information is how much knowing one variable reduces the uncertainty about the other.");
    lm_gen_hint(p, "Find the marginals $P(X)$ (row sums) and $P(Y)$ (column sums) and their entropies.");
    lm_gen_hint(p, "$I(X; Y) = H(X) + H(Y) - H(X, Y)$, with $H(X, Y)$ the entropy of all %d cells.", rows * cols);
    if (lm_gen_fresh(p, hxy, mi))
        lm_gen_mis(p, "joint-entropy-for-mi", lm_gen_sig(hxy, 6).s,
                   "That is the joint entropy $H(X, Y)$. Mutual information is what the variables share: $H(X) + H(Y) "
                   "- H(X, Y)$.");
    if (lm_gen_fresh(p, hx + hy, mi))
        lm_gen_mis(p, "forgot-joint", lm_gen_sig(hx + hy, 6).s,
                   "That is $H(X) + H(Y)$, which counts the shared part twice. Subtract the joint entropy $H(X, Y)$.");
    lm_buf_printf(&l, "H(X) \\approx %s, \\quad H(Y) \\approx %s", lm_gen_sig(hx, 4).s, lm_gen_sig(hy, 4).s);
    lm_gen_step(p, l.s, "The marginals are the row and column sums; these are their entropies in bits.");
    lm_buf_reset(&l);
    lm_buf_printf(&l, "H(X, Y) \\approx %s", lm_gen_sig(hxy, 4).s);
    lm_gen_step(p, l.s, "The joint entropy treats each of the %d cells as one outcome.", rows * cols);
    lm_buf_reset(&l);
    lm_buf_printf(&l, "I(X; Y) = %s + %s - %s \\approx %s", lm_gen_sig(hx, 4).s, lm_gen_sig(hy, 4).s, lm_gen_sig(hxy, 4).s, lm_gen_sig(mi, 4).s);
    lm_gen_step(p, l.s, "%s", fabs(mi) < 1e-12 ? "The joint table is the product of its marginals: $X$ and $Y$ are "
                                                 "independent and share no information."
                                               : "Combine them: the information $X$ and $Y$ share.");
done:
    lm_buf_free(&jm);
    lm_buf_free(&jt);
    lm_buf_free(&l);
    return ok;
}

const lm_skill_def lm_skills_info[] = {
    {"info/entropy", "The entropy of a distribution", gen_entropy},
    {"info/cross-entropy", "Cross-entropy of a prediction", gen_cross_entropy},
    {"info/kl-divergence", "KL divergence between two distributions", gen_kl},
    {"info/mutual-information", "Mutual information from a joint table", gen_mutual_info},
    {NULL, NULL, NULL},
};
