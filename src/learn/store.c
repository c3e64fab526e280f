/* The progress store (store.h) on SQLite.
 *
 * Opening is two-phase so that a file we must refuse is never written: first a
 * read-only connection checks that the file is an SQLite database, is ours (or
 * empty), passes SQLite's quick_check and has a schema version we know; only
 * then is it opened for writing, switched to WAL and migrated. A database from
 * a newer lemma, a foreign or damaged file is left exactly as it was.
 *
 * Every write is one BEGIN IMMEDIATE transaction: taking the write lock up
 * front means two processes never both hold a read lock and wait for each
 * other to upgrade (which SQLite reports as SQLITE_BUSY at once, without the
 * busy handler); with the lock taken, the busy timeout makes the other writer
 * wait its turn instead of failing. synchronous=FULL: an attempt reported as
 * recorded survives a crash of the process and of the machine. */
#include "lemma/store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* 'LMPG': marks the file as a lemma progress database (PRAGMA application_id). */
#define STORE_APP_ID 0x4C4D5047
#define STORE_BUSY_MS 10000

struct lm_store {
    sqlite3 *db;
    char *path;
};

/* The schema, one migration per version, applied in order in one transaction.
 * Never edit a released migration: add the next one. */
static const char *const migrations[] = {
    /* 1: skills with their FSRS state and mastery, and every attempt. */
    "CREATE TABLE skill ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  mastery INTEGER NOT NULL DEFAULT 0 CHECK (mastery BETWEEN 0 AND 4),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  correct INTEGER NOT NULL DEFAULT 0,"
    "  reps INTEGER NOT NULL DEFAULT 0,"
    "  lapses INTEGER NOT NULL DEFAULT 0,"
    "  stability REAL NOT NULL DEFAULT 0,"
    "  difficulty REAL NOT NULL DEFAULT 0,"
    "  last_attempt INTEGER NOT NULL DEFAULT 0,"
    "  due INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE attempt ("
    "  id INTEGER PRIMARY KEY,"
    "  skill TEXT NOT NULL REFERENCES skill(id),"
    "  seed INTEGER NOT NULL,"
    "  difficulty INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 3),"
    "  answer TEXT NOT NULL,"
    "  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),"
    "  misconception TEXT,"
    "  seconds REAL,"
    "  hints_used INTEGER NOT NULL DEFAULT 0 CHECK (hints_used >= 0),"
    "  solution_shown INTEGER NOT NULL DEFAULT 0 CHECK (solution_shown IN (0, 1)),"
    "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX attempt_by_skill ON attempt(skill, at);"
    "CREATE INDEX attempt_by_time ON attempt(at);"
    "CREATE INDEX skill_by_due ON skill(due);",
};
#define STORE_SCHEMA ((int)(sizeof migrations / sizeof migrations[0]))

static const char store_advice[] =
    "It was left untouched. Choose another file with --db PATH, or move this one away to start afresh.";

static const char newer_advice[] =
    "It was left untouched. Use the newer lemma with it, or choose another file with --db PATH.";

static lm_status store_fail_with(lm_err *err, const char *path, const char *why, const char *detail,
                                 const char *advice) {
    if (detail)
        return lm_err_set(err, LM_ERR_IO, "cannot use the progress database %s: %s (%s). %s", path, why, detail,
                          advice);
    return lm_err_set(err, LM_ERR_IO, "cannot use the progress database %s: %s. %s", path, why, advice);
}

static lm_status store_fail(lm_err *err, const char *path, const char *why, const char *detail) {
    return store_fail_with(err, path, why, detail, store_advice);
}

static lm_status db_fail(lm_err *err, lm_store *s, const char *doing) {
    return lm_err_set(err, LM_ERR_IO, "the progress database %s could not be %s: %s", s->path, doing,
                      sqlite3_errmsg(s->db));
}

/* ---- paths -------------------------------------------------------------------------------- */


char *lm_store_default_path(lm_err *err) {
    lm_buf b = LM_BUF_INIT;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    /* A relative XDG_DATA_HOME is invalid by the XDG spec and ignored. */
    if (xdg && xdg[0] == '/')
        lm_buf_printf(&b, "%s/lemma", xdg);
    else if (home && home[0] == '/')
        lm_buf_printf(&b, "%s/.local/share/lemma", home);
    else {
        lm_err_set(err, LM_ERR_IO, "there is no place for the progress database: neither XDG_DATA_HOME nor HOME is "
                                   "set to a full path; choose a file with --db PATH");
        return NULL;
    }
    if (!lm_make_dirs(b.s)) {
        lm_err_set(err, LM_ERR_IO, "cannot create the folder %s for the progress database: %s", b.s, strerror(errno));
        lm_buf_free(&b);
        return NULL;
    }
    lm_buf_puts(&b, "/progress.db");
    return lm_buf_steal(&b);
}

/* ---- opening ------------------------------------------------------------------------------- */

static bool pragma_int(sqlite3 *db, const char *sql, int *out, int *rc_out) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    *rc_out = rc;
    return rc == SQLITE_OK;
}

static lm_status refuse_for_rc(lm_err *err, const char *path, int rc, sqlite3 *db) {
    int primary = rc & 0xff;
    if (primary == SQLITE_NOTADB) return store_fail(err, path, "the file is not an SQLite database", NULL);
    if (primary == SQLITE_CORRUPT)
        return store_fail(err, path, "the database is damaged", db ? sqlite3_errmsg(db) : NULL);
    return store_fail(err, path, "it could not be read", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

/* A file: URI naming `path` read-only; `immutable` also tells SQLite that no
 * one else is changing the file, so that it takes no locks and creates no
 * -wal or -shm file beside it. */
static char *readonly_uri(const char *path, bool immutable) {
    lm_buf b = LM_BUF_INIT;
    lm_buf_puts(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/._-~", *p))
            lm_buf_putc(&b, (char)*p);
        else
            lm_buf_printf(&b, "%%%02X", *p);
    }
    lm_buf_puts(&b, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
    return lm_buf_steal(&b);
}

/* The read-only check of an existing file (see the top of this file). While
 * a -wal file exists beside it, the database is in use (or a writer was
 * killed): its latest state is partly in that file, so it is read normally.
 * Otherwise nothing has it open in WAL mode, and it is read as immutable,
 * which leaves no side files behind for a file we may refuse. */
static bool check_existing(const char *path, lm_err *err) {
    sqlite3 *db = NULL;
    lm_buf wal = LM_BUF_INIT;
    lm_buf_printf(&wal, "%s-wal", path);
    struct stat stbuf;
    bool in_use = stat(wal.s, &stbuf) == 0;
    lm_buf_free(&wal);
    char *uri = readonly_uri(path, !in_use);
    int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    lm_free(uri);
    bool ok = false;
    int app = 0, version = 0, objects = 0;
    if (rc != SQLITE_OK) {
        refuse_for_rc(err, path, rc, db);
        goto done;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    if (!pragma_int(db, "PRAGMA application_id", &app, &rc) || !pragma_int(db, "PRAGMA user_version", &version, &rc) ||
        !pragma_int(db, "SELECT count(*) FROM sqlite_schema", &objects, &rc)) {
        refuse_for_rc(err, path, rc, db);
        goto done;
    }
    bool empty = app == 0 && version == 0 && objects == 0;
    if (!empty && app != STORE_APP_ID) {
        store_fail(err, path, "it is an SQLite database, but not one of lemma's progress databases", NULL);
        goto done;
    }
    if (version > STORE_SCHEMA) {
        char detail[96];
        snprintf(detail, sizeof detail, "its schema is version %d; this lemma knows versions up to %d", version,
                 STORE_SCHEMA);
        store_fail_with(err, path, "it was written by a newer version of lemma", detail, newer_advice);
        goto done;
    }
    if (!empty) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const char *verdict = (const char *)sqlite3_column_text(st, 0);
            if (!verdict || strcmp(verdict, "ok") != 0) {
                store_fail(err, path, "the database is damaged", verdict ? verdict : "no result from its check");
                sqlite3_finalize(st);
                goto done;
            }
        } else {
            refuse_for_rc(err, path, rc, db);
            sqlite3_finalize(st);
            goto done;
        }
        sqlite3_finalize(st);
    }
    ok = true;
done:
    sqlite3_close(db);
    return ok;
}

static bool exec(lm_store *s, const char *sql, lm_err *err, const char *doing) {
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        lm_err_set(err, LM_ERR_IO, "the progress database %s could not be %s: %s", s->path, doing,
                   msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

static void rollback(lm_store *s) { sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL); }

/* Brings the schema to STORE_SCHEMA in one transaction. The version is read
 * again under the write lock: another process may have migrated meanwhile. */
static bool migrate(lm_store *s, lm_err *err) {
    if (!exec(s, "BEGIN IMMEDIATE", err, "opened for writing")) return false;
    int version = 0, rc;
    if (!pragma_int(s->db, "PRAGMA user_version", &version, &rc)) {
        db_fail(err, s, "read");
        rollback(s);
        return false;
    }
    if (version > STORE_SCHEMA) {
        /* A newer lemma migrated it between our check and now. */
        rollback(s);
        store_fail_with(err, s->path, "it was written by a newer version of lemma", NULL, newer_advice);
        return false;
    }
    for (int v = version; v < STORE_SCHEMA; v++) {
        if (!exec(s, migrations[v], err, "updated to the current schema")) {
            rollback(s);
            return false;
        }
    }
    if (version < STORE_SCHEMA) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", STORE_APP_ID, STORE_SCHEMA);
        if (!exec(s, sql, err, "updated to the current schema")) {
            rollback(s);
            return false;
        }
    }
    if (!exec(s, "COMMIT", err, "updated to the current schema")) {
        rollback(s);
        return false;
    }
    return true;
}

lm_store *lm_store_open(const char *path, lm_err *err) {
    char *owned = NULL;
    if (!path) {
        owned = lm_store_default_path(err);
        if (!owned) return NULL;
        path = owned;
    }
    struct stat stbuf;
    if (stat(path, &stbuf) == 0) {
        if (!S_ISREG(stbuf.st_mode)) {
            store_fail(err, path, "it is not a regular file", NULL);
            lm_free(owned);
            return NULL;
        }
        /* A file that another lemma is creating at this moment (the command
           line and the server on a first run) can look foreign, empty or
           damaged to the read-only check for a few milliseconds: a refusal
           stands only when it is the same after a second's worth of looks. */
        bool ok = check_existing(path, err);
        for (int tries = 0; !ok && tries < 20; tries++) {
            lm_err_clear(err);
            nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
            ok = check_existing(path, err);
        }
        if (!ok) {
            lm_free(owned);
            return NULL;
        }
    } else if (errno != ENOENT) {
        lm_err_set(err, LM_ERR_IO, "cannot use the progress database %s: %s", path, strerror(errno));
        lm_free(owned);
        return NULL;
    }
    lm_store *s = lm_calloc(1, sizeof *s);
    s->path = owned ? owned : lm_strdup(path);
    int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        /* SQLite says only "unable to open database file": say why when the
         * folder is the reason. */
        lm_buf dir = LM_BUF_INIT;
        const char *slash = strrchr(s->path, '/');
        lm_buf_put(&dir, s->path, slash ? (size_t)(slash - s->path) : 0);
        struct stat dst;
        if (slash && slash != s->path && stat(dir.s, &dst) != 0)
            lm_err_set(err, LM_ERR_IO, "cannot create the progress database %s: the folder %s does not exist", s->path,
                       dir.s);
        else
            lm_err_set(err, LM_ERR_IO, "cannot open or create the progress database %s: %s", s->path,
                       s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        lm_buf_free(&dir);
        lm_store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
    /* Switching a new file to WAL needs an exclusive lock, and SQLite answers
       SQLITE_BUSY at once, without its busy handler, while another process
       holds the file (the command line creating it as the server opens it):
       wait and retry, up to the same timeout the busy handler has. */
    bool ok = false;
    for (int waited_ms = 0;; waited_ms += 20) {
        ok = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", err,
                  "set up");
        if (ok || (sqlite3_errcode(s->db) & 0xff) != SQLITE_BUSY || waited_ms >= STORE_BUSY_MS) break;
        lm_err_clear(err);
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    if (!ok || !migrate(s, err)) {
        lm_store_close(s);
        return NULL;
    }
    return s;
}

void lm_store_close(lm_store *s) {
    if (!s) return;
    sqlite3_close(s->db);
    lm_free(s->path);
    lm_free(s);
}

const char *lm_store_path(const lm_store *s) { return s->path; }

/* ---- skill states -------------------------------------------------------------------------- */

void lm_skill_state_free(lm_skill_state *st) {
    if (!st) return;
    lm_free(st->skill);
    st->skill = NULL;
}

void lm_skill_states_free(lm_skill_state *v, size_t n) {
    for (size_t i = 0; i < n; i++) lm_skill_state_free(&v[i]);
    lm_free(v);
}

#define SKILL_COLUMNS "id, mastery, attempts, correct, reps, lapses, stability, difficulty, last_attempt, due"

static void read_skill_row(sqlite3_stmt *st, lm_skill_state *out) {
    const char *id = (const char *)sqlite3_column_text(st, 0);
    out->skill = lm_strdup(id ? id : "");
    int m = sqlite3_column_int(st, 1);
    out->mastery = m < 0 || m > LM_MASTERY_MASTERED ? LM_MASTERY_NOT_STARTED : (lm_mastery)m;
    out->attempts = sqlite3_column_int(st, 2);
    out->correct = sqlite3_column_int(st, 3);
    out->reps = sqlite3_column_int(st, 4);
    out->lapses = sqlite3_column_int(st, 5);
    out->fsrs.stability = sqlite3_column_double(st, 6);
    out->fsrs.difficulty = sqlite3_column_double(st, 7);
    out->last_attempt = sqlite3_column_int64(st, 8);
    out->due = sqlite3_column_int64(st, 9);
}

bool lm_store_skill(lm_store *s, const char *skill, lm_skill_state *out, lm_err *err) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT " SKILL_COLUMNS " FROM skill WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        db_fail(err, s, "read");
        return false;
    }
    sqlite3_bind_text(st, 1, skill, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_skill_row(st, out);
    } else if (rc == SQLITE_DONE) {
        out->skill = lm_strdup(skill);
    } else {
        db_fail(err, s, "read");
        sqlite3_finalize(st);
        return false;
    }
    sqlite3_finalize(st);
    return true;
}

static bool query_skills(lm_store *s, const char *sql, int64_t bind, lm_skill_state **out, size_t *n, lm_err *err) {
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(err, s, "read");
        return false;
    }
    if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, bind);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *out = lm_realloc(*out, cap * sizeof **out);
        }
        memset(&(*out)[*n], 0, sizeof **out);
        read_skill_row(st, &(*out)[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_fail(err, s, "read");
        lm_skill_states_free(*out, *n);
        *out = NULL;
        *n = 0;
        return false;
    }
    return true;
}

bool lm_store_skills(lm_store *s, lm_skill_state **out, size_t *n, lm_err *err) {
    return query_skills(s, "SELECT " SKILL_COLUMNS " FROM skill WHERE attempts > 0 ORDER BY id", 0, out, n, err);
}

bool lm_store_due(lm_store *s, int64_t now, lm_skill_state **out, size_t *n, lm_err *err) {
    if (now == 0) now = (int64_t)time(NULL);
    return query_skills(s, "SELECT " SKILL_COLUMNS " FROM skill WHERE due > 0 AND due <= ?1 ORDER BY due, id", now,
                        out, n, err);
}

/* ---- recording ----------------------------------------------------------------------------- */

/* The mastery level from the skill's last attempts (the new one included). */
static bool recent_mastery(lm_store *s, const char *skill, lm_mastery *out, lm_err *err) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT correct AND hints_used = 0 AND NOT solution_shown FROM attempt WHERE skill = ?1 "
                           "ORDER BY at DESC, id DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fail(err, s, "read");
        return false;
    }
    sqlite3_bind_text(st, 1, skill, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, LM_MASTERY_WINDOW);
    bool clean[LM_MASTERY_WINDOW];
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < LM_MASTERY_WINDOW) clean[n++] = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_fail(err, s, "read");
        return false;
    }
    *out = lm_mastery_from_recent(clean, n);
    return true;
}

static bool validate_attempt(const lm_attempt *a, lm_err *err) {
    if (!a->skill || !a->skill[0]) {
        lm_err_set(err, LM_ERR_DOMAIN, "an attempt needs the id of its skill");
        return false;
    }
    if (a->difficulty < 1 || a->difficulty > 3) {
        lm_err_set(err, LM_ERR_DOMAIN, "the difficulty of an attempt must be 1, 2 or 3, not %d", a->difficulty);
        return false;
    }
    if (a->hints_used < 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "the number of hints used cannot be negative (%d)", a->hints_used);
        return false;
    }
    return true;
}

int64_t lm_store_record(lm_store *s, const lm_attempt *a, lm_skill_state *after, lm_err *err) {
    if (!validate_attempt(a, err)) return 0;
    int64_t at = a->at ? a->at : (int64_t)time(NULL);
    /* A worked solution read before answering means the answer was not
     * recalled: for the schedule it counts as a miss. */
    lm_rating rating = a->solution_shown ? LM_AGAIN : lm_fsrs_rating(a->correct, a->hints_used, a->seconds, a->difficulty);
    if (!exec(s, "BEGIN IMMEDIATE", err, "written")) return 0;

    lm_skill_state prev;
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (!lm_store_skill(s, a->skill, &prev, err)) goto fail;
    if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO skill(id) VALUES (?1)", -1, &st, NULL) != SQLITE_OK) goto dbfail;
    sqlite3_bind_text(st, 1, a->skill, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) goto dbfail;
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO attempt(skill, seed, difficulty, answer, correct, misconception, seconds, "
                           "hints_used, solution_shown, rating, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                           -1, &st, NULL) != SQLITE_OK)
        goto dbfail;
    sqlite3_bind_text(st, 1, a->skill, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)a->seed); /* the bits of the uint64; read back the same way */
    sqlite3_bind_int(st, 3, a->difficulty);
    sqlite3_bind_text(st, 4, a->answer ? a->answer : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, a->correct ? 1 : 0);
    if (a->misconception) sqlite3_bind_text(st, 6, a->misconception, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 6);
    if (a->seconds > 0) sqlite3_bind_double(st, 7, a->seconds);
    else sqlite3_bind_null(st, 7);
    sqlite3_bind_int(st, 8, a->hints_used);
    sqlite3_bind_int(st, 9, a->solution_shown ? 1 : 0);
    sqlite3_bind_int(st, 10, (int)rating);
    sqlite3_bind_int64(st, 11, at);
    if (sqlite3_step(st) != SQLITE_DONE) goto dbfail;
    id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    st = NULL;

    /* Whole days since the last attempt; 0 (also for an attempt dated before
     * it) takes FSRS-6's same-day formula. */
    int days = 0;
    if (prev.last_attempt > 0 && at > prev.last_attempt) {
        int64_t d = (at - prev.last_attempt) / 86400;
        days = d > 36500 ? 36500 : (int)d;
    }
    lm_fsrs_state next = lm_fsrs_next(lm_fsrs_default_params, prev.fsrs, days, rating);
    int interval = lm_fsrs_interval(lm_fsrs_default_params, next.stability, LM_FSRS_RETENTION);
    lm_mastery mastery;
    if (!recent_mastery(s, a->skill, &mastery, err)) goto fail;
    lm_skill_state now = prev;
    now.skill = NULL;
    now.mastery = mastery;
    now.attempts++;
    now.correct += a->correct ? 1 : 0;
    now.reps++;
    /* A lapse is forgetting something once known: a miss after a success. */
    if (rating == LM_AGAIN && prev.correct > 0) now.lapses++;
    now.fsrs = next;
    if (at > now.last_attempt) now.last_attempt = at;
    now.due = at + (int64_t)interval * 86400;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE skill SET mastery = ?2, attempts = ?3, correct = ?4, reps = ?5, lapses = ?6, "
                           "stability = ?7, difficulty = ?8, last_attempt = ?9, due = ?10 WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto dbfail;
    sqlite3_bind_text(st, 1, a->skill, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)now.mastery);
    sqlite3_bind_int(st, 3, now.attempts);
    sqlite3_bind_int(st, 4, now.correct);
    sqlite3_bind_int(st, 5, now.reps);
    sqlite3_bind_int(st, 6, now.lapses);
    sqlite3_bind_double(st, 7, now.fsrs.stability);
    sqlite3_bind_double(st, 8, now.fsrs.difficulty);
    sqlite3_bind_int64(st, 9, now.last_attempt);
    sqlite3_bind_int64(st, 10, now.due);
    if (sqlite3_step(st) != SQLITE_DONE) goto dbfail;
    sqlite3_finalize(st);
    st = NULL;
    if (!exec(s, "COMMIT", err, "written")) goto fail;
    if (after) {
        *after = now;
        after->skill = prev.skill;
    } else {
        lm_skill_state_free(&prev);
    }
    return id;

dbfail:
    db_fail(err, s, "written");
fail:
    sqlite3_finalize(st);
    rollback(s);
    lm_skill_state_free(&prev);
    return 0;
}

/* ---- streak and counts --------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int64_t local_day(int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) return t / 86400;
    return days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int lm_store_streak(lm_store *s, int64_t now, lm_err *err) {
    if (now == 0) now = (int64_t)time(NULL);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT at FROM attempt WHERE at <= ?1 ORDER BY at DESC", -1, &st, NULL) !=
        SQLITE_OK) {
        db_fail(err, s, "read");
        return -1;
    }
    sqlite3_bind_int64(st, 1, now);
    int64_t today = local_day(now), expect = today;
    int streak = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t day = local_day(sqlite3_column_int64(st, 0));
        if (day == expect) {
            streak++;
            expect--;
        } else if (day == expect + 1) {
            continue; /* another attempt on a day already counted */
        } else if (streak == 0 && day == today - 1) {
            streak = 1; /* nothing yet today: the streak ending yesterday is still alive */
            expect = today - 2;
        } else {
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        db_fail(err, s, "read");
        return -1;
    }
    return streak;
}

int64_t lm_store_count(lm_store *s, lm_err *err) {
    int n = 0, rc;
    if (!pragma_int(s->db, "SELECT count(*) FROM attempt", &n, &rc)) {
        db_fail(err, s, "read");
        return -1;
    }
    return n;
}

/* ---- export -------------------------------------------------------------------------------- */

json_t *lm_json_time(int64_t t) {
    if (t <= 0) return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    if (!gmtime_r(&tt, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm)) return json_null();
    return json_string(buf);
}

json_t *lm_json_text(const char *t) {
    if (!t) return json_null();
    json_t *j = json_string(t);
    if (j) return j;
    char *copy = lm_strdup(t);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80) *p = '?';
    j = json_string(copy);
    lm_free(copy);
    return j;
}

static const char *rating_name(int r) {
    static const char *const names[] = {"again", "hard", "good", "easy"};
    return r >= 1 && r <= 4 ? names[r - 1] : "again";
}

static json_t *skill_json(const lm_skill_state *k) {
    json_t *o = json_object();
    json_object_set_new(o, "skill", lm_json_text(k->skill));
    json_object_set_new(o, "mastery", json_string(lm_mastery_name(k->mastery)));
    json_object_set_new(o, "attempts", json_integer(k->attempts));
    json_object_set_new(o, "correct", json_integer(k->correct));
    json_object_set_new(o, "reviews", json_integer(k->reps));
    json_object_set_new(o, "lapses", json_integer(k->lapses));
    json_object_set_new(o, "stability_days", json_real(k->fsrs.stability));
    json_object_set_new(o, "difficulty", json_real(k->fsrs.difficulty));
    json_object_set_new(o, "last_attempt", lm_json_time(k->last_attempt));
    json_object_set_new(o, "due", lm_json_time(k->due));
    return o;
}

json_t *lm_store_export(lm_store *s, lm_err *err) {
    lm_skill_state *skills = NULL;
    size_t nskills = 0;
    if (!exec(s, "BEGIN", err, "read")) return NULL; /* one consistent snapshot */
    if (!lm_store_skills(s, &skills, &nskills, err)) {
        rollback(s);
        return NULL;
    }
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("lemma-progress"));
    json_object_set_new(root, "schema", json_integer(STORE_SCHEMA));
    json_object_set_new(root, "exported_at", lm_json_time((int64_t)time(NULL)));
    int streak = lm_store_streak(s, 0, err);
    json_object_set_new(root, "streak_days", json_integer(streak < 0 ? 0 : streak));
    json_t *arr = json_array();
    for (size_t i = 0; i < nskills; i++) json_array_append_new(arr, skill_json(&skills[i]));
    json_object_set_new(root, "skills", arr);
    lm_skill_states_free(skills, nskills);

    sqlite3_stmt *st = NULL;
    arr = json_array();
    json_object_set_new(root, "attempts", arr);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, skill, seed, difficulty, answer, correct, misconception, seconds, hints_used, "
                           "solution_shown, rating, at FROM attempt ORDER BY at, id",
                           -1, &st, NULL) != SQLITE_OK) {
        db_fail(err, s, "read");
        json_decref(root);
        rollback(s);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(o, "skill", lm_json_text((const char *)sqlite3_column_text(st, 1)));
        uint64_t seed = (uint64_t)sqlite3_column_int64(st, 2);
        /* Seeds past 2^53 would lose digits in a JSON reader's double. */
        if (seed <= (1ULL << 53)) json_object_set_new(o, "seed", json_integer((json_int_t)seed));
        else {
            char buf[24];
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)seed);
            json_object_set_new(o, "seed", json_string(buf));
        }
        json_object_set_new(o, "difficulty", json_integer(sqlite3_column_int(st, 3)));
        json_object_set_new(o, "answer", lm_json_text((const char *)sqlite3_column_text(st, 4)));
        json_object_set_new(o, "correct", json_boolean(sqlite3_column_int(st, 5)));
        json_object_set_new(o, "misconception", sqlite3_column_type(st, 6) == SQLITE_NULL
                                                    ? json_null()
                                                    : lm_json_text((const char *)sqlite3_column_text(st, 6)));
        json_object_set_new(o, "seconds",
                            sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, 7)));
        json_object_set_new(o, "hints_used", json_integer(sqlite3_column_int(st, 8)));
        json_object_set_new(o, "solution_shown", json_boolean(sqlite3_column_int(st, 9)));
        json_object_set_new(o, "rating", json_string(rating_name(sqlite3_column_int(st, 10))));
        json_object_set_new(o, "at", lm_json_time(sqlite3_column_int64(st, 11)));
        json_array_append_new(arr, o);
    }
    sqlite3_finalize(st);
    rollback(s); /* ends the read transaction; nothing was written */
    if (rc != SQLITE_DONE) {
        db_fail(err, s, "read");
        json_decref(root);
        return NULL;
    }
    return root;
}
