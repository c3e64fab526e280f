/* Mastery levels from a skill's recent attempts. The one rule, in one place:
 *
 * Look at the last LM_MASTERY_WINDOW (8) attempts; k of them, c "clean" (right
 * with no hints and no solution shown before answering).
 *   not started  no attempt at all
 *   mastered     k >= 5 and c/k >= 0.85  (5 of 5, 6 of 6, 6 of 7, 7 of 8)
 *   proficient   k >= 3 and c/k >= 0.7   (3 of 3, 3 of 4, 4 of 5, 5 of 6, 5 of 7, 6 of 8)
 *   familiar     c >= 1 and c/k >= 0.4   (1 of 1, 1 of 2, 2 of 3, 2 of 4, 2 of 5, ...)
 *   attempted    anything else
 *
 * Only recent attempts count, so early mistakes fade as the learner improves,
 * and a run of recent errors brings a level back down. Several attempts are
 * needed before "proficient" and "mastered", so one lucky answer is not mastery. */
#include "lemma/store.h"

const char *lm_mastery_name(lm_mastery m) {
    switch (m) {
    case LM_MASTERY_NOT_STARTED: return "not-started";
    case LM_MASTERY_ATTEMPTED: return "attempted";
    case LM_MASTERY_FAMILIAR: return "familiar";
    case LM_MASTERY_PROFICIENT: return "proficient";
    case LM_MASTERY_MASTERED: return "mastered";
    }
    return "not-started";
}

const char *lm_mastery_label(lm_mastery m) {
    return m == LM_MASTERY_NOT_STARTED ? "not started" : lm_mastery_name(m);
}

lm_mastery lm_mastery_from_recent(const bool *clean, size_t n) {
    size_t k = n < LM_MASTERY_WINDOW ? n : LM_MASTERY_WINDOW, c = 0;
    if (k == 0) return LM_MASTERY_NOT_STARTED;
    for (size_t i = 0; i < k; i++) c += clean[i] ? 1 : 0;
    /* Integer comparisons (c/k >= p as 100c >= p·k) so that 6 of 7 is not
     * decided by a rounding error. */
    if (k >= 5 && 100 * c >= 85 * k) return LM_MASTERY_MASTERED;
    if (k >= 3 && 10 * c >= 7 * k) return LM_MASTERY_PROFICIENT;
    if (c >= 1 && 10 * c >= 4 * k) return LM_MASTERY_FAMILIAR;
    return LM_MASTERY_ATTEMPTED;
}
