/* The progress store (src/learn/store.c): every practice attempt, and per skill
 * its mastery level and FSRS-6 review schedule, in one SQLite file.
 *
 * The file is shared: the command line and `lemma serve` may have it open at
 * the same time, from two processes (WAL mode and a busy timeout make that
 * work). An attempt and the skill's new schedule are committed together or not
 * at all. A file that is not a lemma database, is corrupt, or was written by a
 * newer lemma is refused with a message and never written to.
 *
 * Times are Unix seconds (UTC). Days, for the streak, are the learner's local
 * calendar days (localtime_r).
 *
 * One lm_store is one SQLite connection: use it from one thread at a time (a
 * server opens one per thread, or guards one with a mutex). */
#ifndef LEMMA_STORE_H
#define LEMMA_STORE_H

#include "lemma/core.h"

#include <jansson.h>
#include <stdint.h>

typedef struct lm_store lm_store;

/* ---- mastery (src/learn/mastery.c) ------------------------------------------ */

typedef enum lm_mastery {
    LM_MASTERY_NOT_STARTED = 0,
    LM_MASTERY_ATTEMPTED,
    LM_MASTERY_FAMILIAR,
    LM_MASTERY_PROFICIENT,
    LM_MASTERY_MASTERED,
} lm_mastery;

const char *lm_mastery_name(lm_mastery m);  /* "not-started", "attempted", ... */
const char *lm_mastery_label(lm_mastery m); /* "not started", "attempted", ... for people */

/* The most recent attempts the level is judged on (see mastery.c for the rule). */
#define LM_MASTERY_WINDOW 8

/* The level from a skill's recent attempts, newest first: clean[i] is true when
 * attempt i was right with no hints. n may exceed LM_MASTERY_WINDOW (the rest
 * is ignored). */
lm_mastery lm_mastery_from_recent(const bool *clean, size_t n);

/* ---- FSRS-6 (src/learn/fsrs.c) ---------------------------------------------- */

typedef enum lm_rating { LM_AGAIN = 1, LM_HARD = 2, LM_GOOD = 3, LM_EASY = 4 } lm_rating;

#define LM_FSRS_NPARAMS 21
extern const double lm_fsrs_default_params[LM_FSRS_NPARAMS]; /* w0..w20 */
#define LM_FSRS_RETENTION 0.9

/* A skill's memory state; stability in days, difficulty in [1, 10]. A state
 * with stability 0 has never been reviewed. */
typedef struct lm_fsrs_state {
    double stability;
    double difficulty;
} lm_fsrs_state;

/* Probability of recall `days` after the last review. */
double lm_fsrs_retrievability(const double w[LM_FSRS_NPARAMS], double days, double stability);
/* The state after a review rated `r`, `days` whole days after the previous one
 * (0: the same day, which uses FSRS-6's short-term formula). `prev` with
 * stability 0 is a first review. */
lm_fsrs_state lm_fsrs_next(const double w[LM_FSRS_NPARAMS], lm_fsrs_state prev, int days, lm_rating r);
/* Days until the next review so that recall is `retention` then: at least 1. */
int lm_fsrs_interval(const double w[LM_FSRS_NPARAMS], double stability, double retention);
/* How an attempt is rated: wrong is Again, right with hints Hard, right without
 * hints Good, and Easy when also done within lm_fsrs_fast_seconds(difficulty). */
lm_rating lm_fsrs_rating(bool correct, int hints_used, double seconds, int difficulty);
double lm_fsrs_fast_seconds(int difficulty);

/* ---- the store ---------------------------------------------------------------- */

/* One answered problem. An answer the checker could not parse is not an
 * attempt and is not recorded. */
typedef struct lm_attempt {
    const char *skill;         /* "linalg-basics/dot-product" */
    uint64_t seed;
    int difficulty;            /* 1, 2 or 3 */
    const char *answer;        /* what the learner typed */
    bool correct;
    const char *misconception; /* the recognised mistake's id, or NULL */
    double seconds;            /* time taken; <= 0 when not measured */
    int hints_used;
    bool solution_shown;       /* the worked solution was seen before answering */
    int64_t at;                /* when; 0 = now */
} lm_attempt;

/* What the store knows about one skill. */
typedef struct lm_skill_state {
    char *skill;          /* owned */
    lm_mastery mastery;
    int attempts, correct; /* all time */
    int reps, lapses;      /* FSRS reviews (one per attempt); misses after a first success */
    lm_fsrs_state fsrs;    /* stability 0 before the first attempt */
    int64_t last_attempt;  /* 0 = never */
    int64_t due;           /* next review; 0 = not scheduled */
} lm_skill_state;

void lm_skill_state_free(lm_skill_state *st);            /* frees the members */
void lm_skill_states_free(lm_skill_state *v, size_t n);  /* frees the members and the array */

/* $XDG_DATA_HOME/lemma/progress.db, or ~/.local/share/lemma/progress.db; the
 * folder is created. NULL with *err set when there is no home to put it in. */
char *lm_store_default_path(lm_err *err);

/* Opens the store at `path` (NULL: the default path), creating it or bringing
 * its schema up to date. NULL with *err set (kind LM_ERR_IO) when the file
 * cannot be used; the message names the file and says why. */
lm_store *lm_store_open(const char *path, lm_err *err);
void lm_store_close(lm_store *s);
const char *lm_store_path(const lm_store *s);

/* Records `a` and updates its skill's mastery and schedule in one transaction.
 * On success returns the attempt's id (> 0) and fills *after when not NULL. */
int64_t lm_store_record(lm_store *s, const lm_attempt *a, lm_skill_state *after, lm_err *err);

/* The state of one skill (a not-started state when it was never practised). */
bool lm_store_skill(lm_store *s, const char *skill, lm_skill_state *out, lm_err *err);
/* Every practised skill, in id order. *out is NULL when there are none. */
bool lm_store_skills(lm_store *s, lm_skill_state **out, size_t *n, lm_err *err);
/* Skills due at `now` (0 = now), most overdue first. */
bool lm_store_due(lm_store *s, int64_t now, lm_skill_state **out, size_t *n, lm_err *err);
/* Consecutive local days with at least one attempt, ending today, or ending
 * yesterday when there is none yet today (the streak is still alive). -1 on error. */
int lm_store_streak(lm_store *s, int64_t now, lm_err *err);
/* Number of recorded attempts (-1 on error). */
int64_t lm_store_count(lm_store *s, lm_err *err);

/* All of the learner's data as one JSON object: {"format": "lemma-progress",
 * "schema": N, "exported_at": ..., "skills": [...], "attempts": [...]}. */
json_t *lm_store_export(lm_store *s, lm_err *err);

/* JSON pieces shared by the export and the practice commands' --json output:
 * a time as "2026-11-25T23:26:27Z" (null when t <= 0), and text that may not
 * be valid UTF-8 (a learner's answer is whatever was typed) with invalid bytes
 * shown as '?' rather than losing the whole string (null for NULL). +1. */
json_t *lm_json_time(int64_t t);
json_t *lm_json_text(const char *t);

#endif
