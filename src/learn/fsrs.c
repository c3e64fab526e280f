/* FSRS-6, the Free Spaced Repetition Scheduler (open-spaced-repetition), for
 * one memory per skill. The formulas and the 21 default parameters are those
 * of the published algorithm (its wiki "The Algorithm", FSRS-6 section; the
 * reference implementations fsrs-rs, py-fsrs and ts-fsrs agree on them):
 *
 *   R(t, S)  = (1 + F·t/S)^(-w20),   F = 0.9^(-1/w20) - 1, so R(S, S) = 0.9
 *   S0(G)    = w[G-1]                               (first review)
 *   D0(G)    = w4 - e^(w5·(G-1)) + 1                 clamped to [1, 10]
 *   D'       = w7·D0(4) + (1-w7)·(D + ΔD·(10-D)/9),  ΔD = -w6·(G-3)
 *   S'r      = S·(1 + e^w8·(11-D)·S^-w9·(e^(w10·(1-R)) - 1)·[w15 if Hard]·[w16 if Easy])
 *   S'f      = min(w11·D^-w12·((S+1)^w13 - 1)·e^(w14·(1-R)), S/e^(w17·w18))
 *   S'same   = S·e^(w17·(G-3+w18))·S^-w19, at least S unless Again (same day)
 *   interval = S/F·(r^(-1/w20) - 1), which is S for r = 0.9
 *
 * Where the implementations differ in small details we follow ts-fsrs 5
 * (FSRS-6.0): a first stability is at least 0.1 day, stabilities are kept in
 * [0.001, 36500], and the same-day increase is floored at 1 for Hard too. */
#include "lemma/store.h"

#include <math.h>

const double lm_fsrs_default_params[LM_FSRS_NPARAMS] = {
    0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,  1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
};

enum { FSRS_MAX_INTERVAL = 36500 };
static const double fsrs_s_min = 0.001;

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static double decay_factor(const double w[LM_FSRS_NPARAMS]) { return pow(0.9, -1.0 / w[20]) - 1.0; }

double lm_fsrs_retrievability(const double w[LM_FSRS_NPARAMS], double days, double stability) {
    if (stability <= 0) return 0;
    if (days < 0) days = 0;
    return pow(1.0 + decay_factor(w) * days / stability, -w[20]);
}

static double init_difficulty(const double w[LM_FSRS_NPARAMS], lm_rating g) {
    return w[4] - exp(w[5] * ((double)g - 1.0)) + 1.0;
}

lm_fsrs_state lm_fsrs_next(const double w[LM_FSRS_NPARAMS], lm_fsrs_state prev, int days, lm_rating g) {
    lm_fsrs_state next;
    if (g < LM_AGAIN) g = LM_AGAIN;
    if (g > LM_EASY) g = LM_EASY;
    if (prev.stability <= 0) {
        next.stability = fmax(w[g - 1], 0.1);
        next.difficulty = clamp(init_difficulty(w, g), 1, 10);
        return next;
    }
    double s = fmax(prev.stability, fsrs_s_min), d = clamp(prev.difficulty, 1, 10);
    double gd = (double)g;
    if (days <= 0) {
        double sinc = exp(w[17] * (gd - 3.0 + w[18])) * pow(s, -w[19]);
        if (g >= LM_HARD && sinc < 1) sinc = 1;
        next.stability = s * sinc;
    } else {
        double r = lm_fsrs_retrievability(w, days, s);
        if (g == LM_AGAIN) {
            double forget = w[11] * pow(d, -w[12]) * (pow(s + 1, w[13]) - 1) * exp(w[14] * (1 - r));
            next.stability = fmin(forget, s / exp(w[17] * w[18]));
        } else {
            double hard = g == LM_HARD ? w[15] : 1, easy = g == LM_EASY ? w[16] : 1;
            next.stability = s * (1 + exp(w[8]) * (11 - d) * pow(s, -w[9]) * (exp(w[10] * (1 - r)) - 1) * hard * easy);
        }
    }
    next.stability = clamp(next.stability, fsrs_s_min, FSRS_MAX_INTERVAL);
    double delta = -w[6] * (gd - 3.0);
    double damped = d + delta * (10.0 - d) / 9.0;
    next.difficulty = clamp(w[7] * init_difficulty(w, LM_EASY) + (1 - w[7]) * damped, 1, 10);
    return next;
}

int lm_fsrs_interval(const double w[LM_FSRS_NPARAMS], double stability, double retention) {
    if (!(retention > 0 && retention < 1)) retention = LM_FSRS_RETENTION;
    double days = stability / decay_factor(w) * (pow(retention, -1.0 / w[20]) - 1.0);
    double r = round(days);
    if (!(r >= 1)) return 1;
    return r > FSRS_MAX_INTERVAL ? FSRS_MAX_INTERVAL : (int)r;
}

/* "Fast" is what someone fluent in the skill takes: about half a minute for a
 * level-1 problem (a dot product of two short vectors), 15 s more per level,
 * since harder problems have bigger numbers and more steps. */
double lm_fsrs_fast_seconds(int difficulty) {
    if (difficulty < 1) difficulty = 1;
    if (difficulty > 3) difficulty = 3;
    return 15.0 + 15.0 * difficulty;
}

lm_rating lm_fsrs_rating(bool correct, int hints_used, double seconds, int difficulty) {
    if (!correct) return LM_AGAIN;
    if (hints_used > 0) return LM_HARD;
    if (seconds > 0 && seconds <= lm_fsrs_fast_seconds(difficulty)) return LM_EASY;
    return LM_GOOD;
}
