/* Unit tests for the progress store (src/learn/store.c): creating and
 * migrating the schema, refusing files it must not touch (a newer schema, a
 * foreign database, a file that is not a database, a damaged one) while leaving
 * them byte for byte as they were, recording attempts with their FSRS-6
 * schedule, the due queue, the streak, the export, and two processes writing
 * the same file at once. Expected schedules are ts-fsrs 5.4.2's numbers (see
 * test_fsrs.c); every other expectation is worked out by hand in its comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lemma/store.h"

#define DAY 86400
/* 2026-03-10 12:00:00 UTC (date -u -d '2026-03-10 12:00' +%s). */
#define T0 ((int64_t)1773144000)

static char dir[64];

static int setup(void **state) {
    (void)state;
    /* The streak counts local days: pin the zone so the test means the same
     * everywhere. */
    setenv("TZ", "UTC", 1);
    tzset();
    strcpy(dir, "/tmp/lemma-store-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name) {
    static char buf[4][128];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 128, "%s/%s", dir, name);
    return p;
}

static unsigned char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static int sql_int(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Opening `path` must fail with a message containing `why`, and leave the
 * file exactly as it was, with no journal beside it. */
static void assert_refused_untouched(const char *path, const char *why) {
    size_t n0, n1;
    unsigned char *before = read_file(path, &n0);
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_null(s);
    assert_int_equal(err.kind, LM_ERR_IO);
    assert_non_null(err.msg);
    if (!strstr(err.msg, why) || !strstr(err.msg, path) || !strstr(err.msg, "left untouched")) {
        print_error("message: %s\nexpected it to contain '%s' and the path\n", err.msg, why);
        fail();
    }
    lm_err_clear(&err);
    unsigned char *after = read_file(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", path);
    assert_false(exists(side));
    snprintf(side, sizeof side, "%s-journal", path);
    assert_false(exists(side));
    free(before);
    free(after);
}

static void test_create_and_migrate(void **state) {
    (void)state;
    /* A path that does not exist yet, and an empty file (what `touch` makes):
     * both become a schema-1 lemma database in WAL mode. */
    const char *fresh = path_of("fresh.db"), *empty = path_of("empty.db");
    FILE *f = fopen(empty, "wb");
    fclose(f);
    const char *paths[2] = {fresh, empty};
    for (int i = 0; i < 2; i++) {
        lm_err err = LM_ERR_INIT;
        lm_store *s = lm_store_open(paths[i], &err);
        assert_non_null(s);
        assert_string_equal(lm_store_path(s), paths[i]);
        assert_int_equal(lm_store_count(s, &err), 0);
        /* Checked while the store holds the file open, before the last close
         * checkpoints it. */
        assert_int_equal(sql_int(paths[i], "PRAGMA user_version"), 1);
        assert_int_equal(sql_int(paths[i], "PRAGMA application_id"), 0x4C4D5047);
        assert_int_equal(sql_int(paths[i], "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                                           "('skill', 'attempt')"),
                         2);
        lm_store_close(s);
        /* WAL mode is persistent: it is in the file's header. */
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open_v2(paths[i], &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        sqlite3_close(db);
        /* Opening again finds the current schema and changes nothing. */
        s = lm_store_open(paths[i], &err);
        assert_non_null(s);
        lm_store_close(s);
        assert_int_equal(err.kind, LM_OK);
    }
}

static void test_future_version_refused(void **state) {
    (void)state;
    /* A lemma database from a newer lemma: our application id, schema 99. */
    const char *path = path_of("future.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA application_id = 1280135239; PRAGMA user_version = 99;"
                                  "CREATE TABLE attempt(id INTEGER PRIMARY KEY, stuff TEXT);"
                                  "INSERT INTO attempt(stuff) VALUES ('from the future')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_refused_untouched(path, "newer version of lemma");
}

static void test_foreign_and_garbage_refused(void **state) {
    (void)state;
    /* Another program's SQLite database. */
    const char *other = path_of("other.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('mine')", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_refused_untouched(other, "not one of lemma's progress databases");

    /* A text file given by mistake. */
    const char *text = path_of("notes.txt");
    FILE *f = fopen(text, "wb");
    for (int i = 0; i < 200; i++) fputs("These are my notes, not a database.\n", f);
    fclose(f);
    assert_refused_untouched(text, "not an SQLite database");
}

static void test_corrupt_refused(void **state) {
    (void)state;
    /* A real progress database with a few attempts, then its second page (the
     * first table's root) overwritten with garbage. */
    const char *path = path_of("corrupt.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_non_null(s);
    for (int i = 0; i < 20; i++) {
        lm_attempt a = {.skill = "linalg-basics/dot-product", .seed = (uint64_t)i, .difficulty = 1, .answer = "11",
                        .correct = i % 3 != 0, .at = T0 + i * 60};
        assert_true(lm_store_record(s, &a, NULL, &err) > 0);
    }
    lm_store_close(s);
    int page = sql_int(path, "PRAGMA page_size");
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, page, SEEK_SET);
    for (int i = 0; i < page; i++) fputc(0xA5 ^ (i & 0x3F), f);
    fclose(f);
    assert_refused_untouched(path, "damaged");
}

static void test_record_and_schedule(void **state) {
    (void)state;
    const char *path = path_of("record.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_non_null(s);
    const char *skill = "calc-basics/chain-rule";

    lm_skill_state st;
    assert_true(lm_store_skill(s, skill, &st, &err));
    assert_string_equal(st.skill, skill);
    assert_int_equal(st.mastery, LM_MASTERY_NOT_STARTED);
    assert_int_equal(st.attempts, 0);
    assert_true(st.due == 0);
    lm_skill_state_free(&st);

    /* 1. Right, no hints, 50 s at level 2 (slower than 45 s): Good. First
     * review: S = w2 = 2.3065, D = 2.11810397, due in round(S) = 2 days. One
     * clean attempt of one: familiar. */
    lm_attempt a = {.skill = skill, .seed = 42, .difficulty = 2, .answer = "2*x*cos(x^2)", .correct = true,
                    .seconds = 50, .at = T0};
    int64_t id1 = lm_store_record(s, &a, &st, &err);
    assert_true(id1 > 0);
    assert_int_equal(st.attempts, 1);
    assert_int_equal(st.correct, 1);
    assert_int_equal(st.mastery, LM_MASTERY_FAMILIAR);
    assert_true(fabs(st.fsrs.stability - 2.3065) < 1e-9);
    assert_true(fabs(st.fsrs.difficulty - 2.11810397) < 1e-6);
    assert_true(st.due == T0 + 2 * DAY);
    lm_skill_state_free(&st);

    /* 2. Three days later, wrong: Again after 3 days. By ts-fsrs,
     * next_state({S 2.3065, D 2.11810397}, 3, Again) = S 0.63685069, so due in
     * 1 day; a miss after a success is a lapse. 1 clean of 2: familiar. */
    a = (lm_attempt){.skill = skill, .seed = 43, .difficulty = 2, .answer = "cos(x^2)", .correct = false,
                     .misconception = "chain-rule-factor", .seconds = 20, .at = T0 + 3 * DAY};
    int64_t id2 = lm_store_record(s, &a, &st, &err);
    assert_true(id2 > id1);
    assert_int_equal(st.attempts, 2);
    assert_int_equal(st.correct, 1);
    assert_int_equal(st.lapses, 1);
    assert_int_equal(st.mastery, LM_MASTERY_FAMILIAR);
    assert_true(fabs(st.fsrs.stability - 0.63685069) < 1e-6);
    assert_true(st.due == T0 + 4 * DAY);
    lm_skill_state_free(&st);

    /* 3. Same day, right with one hint: Hard, counted but not clean: 1 clean
     * of 3 is below 0.4, so the level is "attempted". */
    a = (lm_attempt){.skill = skill, .seed = 44, .difficulty = 1, .answer = "2x cos(x^2)", .correct = true,
                     .hints_used = 1, .seconds = 10, .at = T0 + 3 * DAY + 600};
    assert_true(lm_store_record(s, &a, &st, &err) > 0);
    assert_int_equal(st.mastery, LM_MASTERY_ATTEMPTED);
    assert_int_equal(st.reps, 3);
    lm_skill_state_free(&st);

    /* The same skill read back. */
    assert_true(lm_store_skill(s, skill, &st, &err));
    assert_int_equal(st.attempts, 3);
    assert_int_equal(st.correct, 2);
    lm_skill_state_free(&st);

    /* A bad attempt is refused with words and records nothing. */
    a.difficulty = 7;
    assert_int_equal(lm_store_record(s, &a, NULL, &err), 0);
    assert_int_equal(err.kind, LM_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "difficulty"));
    lm_err_clear(&err);
    assert_int_equal(lm_store_count(s, &err), 3);
    lm_store_close(s);
}

static void test_due_queue(void **state) {
    (void)state;
    const char *path = path_of("due.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_non_null(s);
    /* A wrong first answer (S = 0.212): due 1 day later. A right first answer
     * (S = 2.3065): due 2 days later. A fast right first answer, Easy
     * (S = 8.2956): due 8 days later. */
    lm_attempt wrong = {.skill = "info/entropy", .difficulty = 1, .answer = "1", .correct = false, .at = T0};
    lm_attempt good = {.skill = "linalg/rank", .difficulty = 1, .answer = "2", .correct = true, .seconds = 100, .at = T0};
    lm_attempt easy = {.skill = "stats/standard-error", .difficulty = 1, .answer = "0.5", .correct = true,
                       .seconds = 12, .at = T0};
    assert_true(lm_store_record(s, &good, NULL, &err) > 0);
    assert_true(lm_store_record(s, &wrong, NULL, &err) > 0);
    assert_true(lm_store_record(s, &easy, NULL, &err) > 0);

    lm_skill_state *due = NULL;
    size_t n = 0;
    assert_true(lm_store_due(s, T0 + DAY - 1, &due, &n, &err));
    assert_int_equal(n, 0);
    assert_true(lm_store_due(s, T0 + 2 * DAY, &due, &n, &err));
    assert_int_equal(n, 2); /* most overdue first */
    assert_string_equal(due[0].skill, "info/entropy");
    assert_string_equal(due[1].skill, "linalg/rank");
    lm_skill_states_free(due, n);
    assert_true(lm_store_due(s, T0 + 8 * DAY, &due, &n, &err));
    assert_int_equal(n, 3);
    assert_string_equal(due[2].skill, "stats/standard-error");
    lm_skill_states_free(due, n);

    lm_skill_state *all = NULL;
    assert_true(lm_store_skills(s, &all, &n, &err));
    assert_int_equal(n, 3); /* in id order */
    assert_string_equal(all[0].skill, "info/entropy");
    assert_string_equal(all[1].skill, "linalg/rank");
    assert_string_equal(all[2].skill, "stats/standard-error");
    lm_skill_states_free(all, n);
    lm_store_close(s);
}

static void test_streak(void **state) {
    (void)state;
    const char *path = path_of("streak.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_non_null(s);
    assert_int_equal(lm_store_streak(s, T0, &err), 0); /* nothing yet */
    /* Attempts on days 0, 0 (again), -1, -2 and -4 (UTC) around noon: the
     * run 0, -1, -2 makes 3; day -4 is cut off by the gap at -3. */
    int64_t when[] = {T0, T0 + 3600, T0 - DAY, T0 - 2 * DAY - 7 * 3600, T0 - 4 * DAY};
    for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
        lm_attempt a = {.skill = "prob-basics/bayes-theorem", .difficulty = 1, .answer = "0.5", .correct = true,
                        .at = when[i]};
        assert_true(lm_store_record(s, &a, NULL, &err) > 0);
    }
    assert_int_equal(lm_store_streak(s, T0 + 2 * 3600, &err), 3);
    /* The next day before practising: still alive, 3. */
    assert_int_equal(lm_store_streak(s, T0 + DAY, &err), 3);
    /* Two days later: broken. */
    assert_int_equal(lm_store_streak(s, T0 + 2 * DAY, &err), 0);
    /* Just after midnight on day 0 (00:30 UTC, before the noon attempts, which
     * are in the future then and do not count): day -1 and -2 are a live
     * streak of 2. */
    assert_int_equal(lm_store_streak(s, T0 - 12 * 3600 + 1800, &err), 2);
    lm_store_close(s);
}

static void test_export(void **state) {
    (void)state;
    const char *path = path_of("export.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err);
    assert_non_null(s);
    lm_attempt a = {.skill = "info/kl-divergence", .seed = 7, .difficulty = 3, .answer = "0.5 \xff bits",
                    .correct = false, .misconception = "swapped-arguments", .hints_used = 2, .at = T0};
    assert_true(lm_store_record(s, &a, NULL, &err) > 0);
    a = (lm_attempt){.skill = "info/kl-divergence", .seed = 8, .difficulty = 3, .answer = "0.25", .correct = true,
                     .seconds = 70, .at = T0 + 60};
    assert_true(lm_store_record(s, &a, NULL, &err) > 0);
    json_t *j = lm_store_export(s, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "lemma-progress");
    assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
    json_t *skills = json_object_get(j, "skills"), *attempts = json_object_get(j, "attempts");
    assert_int_equal(json_array_size(skills), 1);
    assert_int_equal(json_array_size(attempts), 2);
    json_t *k = json_array_get(skills, 0);
    assert_string_equal(json_string_value(json_object_get(k, "skill")), "info/kl-divergence");
    assert_int_equal(json_integer_value(json_object_get(k, "attempts")), 2);
    json_t *first = json_array_get(attempts, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "seed")), 7);
    /* The byte that is not UTF-8 becomes '?', the rest is kept. */
    assert_string_equal(json_string_value(json_object_get(first, "answer")), "0.5 ? bits");
    assert_string_equal(json_string_value(json_object_get(first, "misconception")), "swapped-arguments");
    assert_string_equal(json_string_value(json_object_get(first, "rating")), "again");
    assert_string_equal(json_string_value(json_object_get(first, "at")), "2026-03-10T12:00:00Z");
    assert_true(json_is_null(json_object_get(first, "seconds")));
    assert_int_equal(json_integer_value(json_object_get(first, "hints_used")), 2);
    json_t *second = json_array_get(attempts, 1);
    assert_true(json_is_true(json_object_get(second, "correct")));
    assert_string_equal(json_string_value(json_object_get(second, "rating")), "good"); /* 70 s > 60 s at level 3 */
    json_decref(j);
    lm_store_close(s);
}

/* Two processes, each with its own connection, recording at the same time
 * (as the CLI and the web server do): every attempt of both is recorded, and
 * each skill's count agrees with its attempt rows. */
static void test_two_writers(void **state) {
    (void)state;
    const char *path = path_of("shared.db");
    lm_err err = LM_ERR_INIT;
    lm_store *s = lm_store_open(path, &err); /* create it before the race */
    assert_non_null(s);
    lm_store_close(s);
    enum { PER_WRITER = 150 };
    pid_t kids[2];
    for (int w = 0; w < 2; w++) {
        kids[w] = fork();
        assert_true(kids[w] >= 0);
        if (kids[w] == 0) {
            lm_err e = LM_ERR_INIT;
            lm_store *mine = lm_store_open(path, &e);
            if (!mine) _exit(3);
            for (int i = 0; i < PER_WRITER; i++) {
                /* Both write the shared skill; each also its own. */
                lm_attempt a = {.skill = i % 2 ? "linalg/rank" : (w ? "info/entropy" : "stats/mle-bernoulli"),
                                .seed = (uint64_t)i, .difficulty = 1 + i % 3, .answer = "1", .correct = i % 4 != 0};
                if (lm_store_record(mine, &a, NULL, &e) <= 0) {
                    fprintf(stderr, "writer %d: %s\n", w, e.msg);
                    _exit(4);
                }
            }
            lm_store_close(mine);
            _exit(0);
        }
    }
    for (int w = 0; w < 2; w++) {
        int status = 0;
        assert_int_equal(waitpid(kids[w], &status, 0), kids[w]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(sql_int(path, "SELECT count(*) FROM attempt"), 2 * PER_WRITER);
    assert_int_equal(sql_int(path, "SELECT attempts FROM skill WHERE id = 'linalg/rank'"), PER_WRITER);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM skill s WHERE attempts <> (SELECT count(*) FROM attempt a "
                                   "WHERE a.skill = s.id)"),
                     0);
}

/* Processes that open a database that does not exist yet, all at once (the
 * command line and the server on a first run): each must get it, set up once,
 * and record. Switching the new file to WAL answered "database is locked"
 * at once to the loser of that race, without waiting; 40 rounds of four. */
static void test_concurrent_create(void **state) {
    (void)state;
    enum { ROUNDS = 40, PROCS = 4 };
    for (int round = 0; round < ROUNDS; round++) {
        char name[32];
        snprintf(name, sizeof name, "race%d.db", round);
        const char *path = path_of(name);
        pid_t kids[PROCS];
        for (int k = 0; k < PROCS; k++) {
            kids[k] = fork();
            assert_true(kids[k] >= 0);
            if (kids[k] == 0) {
                /* staggered by up to 3 ms, so that some arrive while another is
                   in the middle of setting the file up */
                nanosleep(&(struct timespec){0, (long)((round * 7 + k * 3) % 4) * 1000000L}, NULL);
                lm_err e = LM_ERR_INIT;
                lm_store *mine = lm_store_open(path, &e);
                if (!mine) {
                    fprintf(stderr, "round %d, process %d: %s\n", round, k, e.msg);
                    _exit(3);
                }
                lm_attempt a = {.skill = "linalg/rank", .seed = (uint64_t)k, .difficulty = 1, .answer = "1", .correct = true};
                int ok = lm_store_record(mine, &a, NULL, &e) > 0;
                lm_store_close(mine);
                _exit(ok ? 0 : 4);
            }
        }
        for (int k = 0; k < PROCS; k++) {
            int status = 0;
            assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
            assert_true(WIFEXITED(status));
            assert_int_equal(WEXITSTATUS(status), 0);
        }
        assert_int_equal(sql_int(path, "SELECT count(*) FROM attempt"), PROCS);
    }
}

static void test_default_path(void **state) {
    (void)state;
    /* $XDG_DATA_HOME/lemma/progress.db, the folder created; a relative
     * XDG_DATA_HOME is ignored for ~/.local/share. */
    char xdg[160];
    snprintf(xdg, sizeof xdg, "%s/xdg/data", dir);
    setenv("XDG_DATA_HOME", xdg, 1);
    lm_err err = LM_ERR_INIT;
    char *p = lm_store_default_path(&err);
    assert_non_null(p);
    char want[200];
    snprintf(want, sizeof want, "%s/lemma/progress.db", xdg);
    assert_string_equal(p, want);
    lm_free(p);
    snprintf(want, sizeof want, "%s/lemma", xdg);
    assert_true(exists(want));
    setenv("XDG_DATA_HOME", "relative/path", 1);
    setenv("HOME", dir, 1);
    p = lm_store_default_path(&err);
    assert_non_null(p);
    snprintf(want, sizeof want, "%s/.local/share/lemma/progress.db", dir);
    assert_string_equal(p, want);
    lm_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_migrate), cmocka_unit_test(test_future_version_refused),
        cmocka_unit_test(test_foreign_and_garbage_refused), cmocka_unit_test(test_corrupt_refused),
        cmocka_unit_test(test_record_and_schedule), cmocka_unit_test(test_due_queue),
        cmocka_unit_test(test_streak),              cmocka_unit_test(test_export),
        cmocka_unit_test(test_two_writers),
        cmocka_unit_test(test_concurrent_create),         cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
