/* The practice commands: `lemma practice`, `lemma review`, `lemma progress`
 * and `lemma export`, on the skill registry (learn.h), the answer checker
 * (check.h), the course (lesson.h) and the progress store (store.h).
 *
 *   lemma practice [SKILL|MODULE] [--count N] [--difficulty D]   a session on the terminal
 *   lemma practice SKILL --seed S [--difficulty D] --json        one problem as JSON
 *   lemma practice SKILL --seed S [--difficulty D] --answer TEXT [--json]
 *                  [--hints-used N] [--seconds T] [--no-record]   judge (and record) an answer
 *   lemma practice --list [--json]                                the skills
 *   lemma review [--list] [--json]                                the due queue, then practise it
 *   lemma progress                                                mastery by module and skill
 *   lemma export [--json]                                         all of the learner's data
 * Every command takes --db PATH (default: store.h's default path).
 *
 * Exit status: 0 when it worked (a wrong answer is not a failure), 1 when the
 * store or a generator failed, 2 for a usage error or an unknown skill. */
#include "cli/cli.h"
#include "lemma/learn.h"
#include "lemma/lesson.h"
#include "lemma/store.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>

static const char practice_usage[] =
    "usage: lemma practice [SKILL|MODULE] [--count N] [--difficulty D]\n"
    "                                  a session of problems, checked, with hints and solutions\n"
    "       lemma practice SKILL --seed S [--difficulty D] --json\n"
    "                                  one problem as JSON (D is 1, 2 or 3; default 1)\n"
    "       lemma practice SKILL --seed S [--difficulty D] --answer TEXT [--json]\n"
    "                      [--hints-used N] [--seconds T] [--no-record]\n"
    "                                  judge an answer and record the attempt\n"
    "       lemma practice --list [--json]   the skills with their module, level and prerequisites\n"
    "options: --db PATH uses that progress database instead of the default one\n";

/* Problems in a session when --count is not given: enough to warm up, short
 * enough to finish. */
#define SESSION_DEFAULT 10
#define MAX_WIDTH 80
/* A prerequisite skill at this level unlocks the skills that build on it. */
#define UNLOCK_LEVEL LM_MASTERY_PROFICIENT

/* ---- options ----------------------------------------------------------------------------- */

typedef struct opts {
    const char *db;
    const char *target; /* SKILL or MODULE */
    bool json, list, no_record;
    bool has_seed, has_difficulty, has_answer;
    uint64_t seed;
    int difficulty;
    const char *answer;
    int hints_used;
    double seconds;
    int count;
} opts;

static bool parse_u64(const char *s, uint64_t *out) {
    if (!s || !*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return false;
    *out = (uint64_t)v;
    return true;
}

static bool parse_int(const char *s, int lo, int hi, int *out) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = (int)v;
    return true;
}

static bool parse_seconds(const char *s, double *out) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v >= 0 && v <= 1e7)) return false;
    *out = v;
    return true;
}

/* Parses the options shared by the four commands. Returns false after
 * printing what was wrong. `cmd` names the command in messages. */
static bool parse_opts(const char *cmd, int argc, char **argv, opts *o, bool takes_target) {
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(a, "--db") || !strcmp(a, "--seed") || !strcmp(a, "--difficulty") ||
                     !strcmp(a, "--answer") || !strcmp(a, "--hints-used") || !strcmp(a, "--seconds") ||
                     !strcmp(a, "--count");
        if (takes && !next) {
            fprintf(stderr, "lemma %s: %s needs a value after it\n", cmd, a);
            return false;
        }
        if (!strcmp(a, "--json")) o->json = true;
        else if (!strcmp(a, "--list")) o->list = true;
        else if (!strcmp(a, "--no-record")) o->no_record = true;
        else if (!strcmp(a, "--db")) o->db = argv[++i];
        else if (!strcmp(a, "--seed")) {
            /* At most 2^53: a JSON reader (the browser's) keeps every digit. */
            if (!parse_u64(next, &o->seed) || o->seed > (1ULL << 53)) {
                fprintf(stderr, "lemma %s: --seed takes a whole number from 0 to 9007199254740992, not '%s'\n", cmd,
                        next);
                return false;
            }
            o->has_seed = true;
            i++;
        } else if (!strcmp(a, "--difficulty")) {
            if (!parse_int(next, 1, 3, &o->difficulty)) {
                fprintf(stderr, "lemma %s: --difficulty takes 1, 2 or 3, not '%s'\n", cmd, next);
                return false;
            }
            o->has_difficulty = true;
            i++;
        } else if (!strcmp(a, "--answer")) {
            o->answer = argv[++i];
            o->has_answer = true;
        } else if (!strcmp(a, "--hints-used")) {
            if (!parse_int(next, 0, 100, &o->hints_used)) {
                fprintf(stderr, "lemma %s: --hints-used takes a whole number from 0 to 100, not '%s'\n", cmd, next);
                return false;
            }
            i++;
        } else if (!strcmp(a, "--seconds")) {
            if (!parse_seconds(next, &o->seconds)) {
                fprintf(stderr, "lemma %s: --seconds takes a number of seconds (0 or more), not '%s'\n", cmd, next);
                return false;
            }
            i++;
        } else if (!strcmp(a, "--count")) {
            if (!parse_int(next, 1, 1000, &o->count)) {
                fprintf(stderr, "lemma %s: --count takes a number of problems from 1 to 1000, not '%s'\n", cmd, next);
                return false;
            }
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "lemma %s: unknown option '%s'\n", cmd, a);
            return false;
        } else if (takes_target && !o->target) {
            o->target = a;
        } else {
            fprintf(stderr, "lemma %s: unexpected argument '%s'\n", cmd, a);
            return false;
        }
    }
    return true;
}

/* ---- shared helpers ------------------------------------------------------------------------ */

static int term_width(void) {
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col < MAX_WIDTH ? ws.ws_col : MAX_WIDTH;
    return MAX_WIDTH;
}

static bool use_color(void) {
    const char *no = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

/* Opens the store for reading commands without creating a file that is not
 * there: a missing file reads as an empty, in-memory store. */
static lm_store *open_for_reading(const char *db, lm_err *err) {
    char *path = db ? lm_strdup(db) : lm_store_default_path(err);
    if (!path) return NULL;
    struct stat st;
    lm_store *s = lm_store_open(stat(path, &st) == 0 ? path : ":memory:", err);
    lm_free(path);
    return s;
}

static void report_err(const char *cmd, lm_err *err) {
    fprintf(stderr, "lemma %s: %s\n", cmd, err->msg ? err->msg : "something went wrong");
    lm_err_clear(err);
}

static void print_json(json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT);
    if (s) {
        puts(s);
        free(s);
    }
}

/* The module part of a skill id: "linalg-basics/dot-product" → "linalg-basics". */
static size_t module_len(const char *skill) {
    const char *slash = strchr(skill, '/');
    return slash ? (size_t)(slash - skill) : strlen(skill);
}

static bool in_module(const char *skill, const char *module) {
    size_t n = module_len(skill);
    return strlen(module) == n && !strncmp(skill, module, n);
}

static const lm_skill_state *find_state(const lm_skill_state *v, size_t n, const char *skill) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].skill, skill)) return &v[i];
    return NULL;
}

static lm_mastery mastery_of(const lm_skill_state *v, size_t n, const char *skill) {
    const lm_skill_state *st = find_state(v, n, skill);
    return st ? st->mastery : LM_MASTERY_NOT_STARTED;
}

/* "due now", "due in 3 days", "overdue by 2 days", "due tomorrow", ... */
static void when_text(int64_t due, int64_t now, char *buf, size_t size) {
    if (due <= 0) {
        snprintf(buf, size, "not scheduled");
        return;
    }
    int64_t diff = due - now;
    if (diff <= 0) {
        int64_t days = -diff / 86400;
        if (days < 1) snprintf(buf, size, "due now");
        else snprintf(buf, size, "overdue by %lld day%s", (long long)days, days == 1 ? "" : "s");
        return;
    }
    int64_t hours = (diff + 3599) / 3600;
    if (hours < 24) snprintf(buf, size, "due in %lld hour%s", (long long)hours, hours == 1 ? "" : "s");
    else {
        int64_t days = (diff + 43200) / 86400;
        if (days <= 1) snprintf(buf, size, "due tomorrow");
        else snprintf(buf, size, "due in %lld days", (long long)days);
    }
}


static uint64_t fresh_seed(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    lm_rng r;
    lm_rng_seed(&r, (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32));
    /* Short seeds are easier to read out and type back. */
    return lm_rng_u64(&r) % 1000000000ULL;
}

/* The difficulty that suits a skill's level: new and shaky skills start
 * easy; familiar ones get the middle level; mastered ones the hardest. */
static int difficulty_for(lm_mastery m) {
    if (m >= LM_MASTERY_MASTERED) return 3;
    if (m >= LM_MASTERY_FAMILIAR) return 2;
    return 1;
}

/* ---- the skill list ------------------------------------------------------------------------- */

static const char *module_title(const lm_course *c, const char *skill, char *buf, size_t size) {
    size_t n = module_len(skill);
    snprintf(buf, size, "%.*s", (int)n, skill);
    const lm_module *m = lm_course_module_find(c, buf);
    return m ? m->title : buf;
}

static lm_level module_level(const lm_course *c, const char *skill) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)module_len(skill), skill);
    const lm_module *m = lm_course_module_find(c, buf);
    return m ? m->level : LM_LEVEL_NONE;
}

static int list_skills(const lm_course *c, bool json) {
    size_t n;
    const lm_skill_def *defs = lm_skill_defs(&n);
    json_t *arr = json ? json_array() : NULL;
    char prev_module[64] = "";
    for (size_t i = 0; i < n; i++) {
        const lm_skill_def *d = &defs[i];
        const lm_course_skill *cs = lm_course_skill_find(c, d->id);
        char mod[64];
        snprintf(mod, sizeof mod, "%.*s", (int)module_len(d->id), d->id);
        if (json) {
            json_t *o = json_object();
            json_object_set_new(o, "id", json_string(d->id));
            json_object_set_new(o, "title", json_string(d->title ? d->title : d->id));
            json_object_set_new(o, "module", json_string(mod));
            json_object_set_new(o, "level", json_string(lm_level_name(module_level(c, d->id))));
            json_object_set_new(o, "lesson", cs && cs->lesson ? json_string(cs->lesson) : json_null());
            json_t *pre = json_array();
            for (size_t k = 0; cs && k < cs->nprerequisites; k++) json_array_append_new(pre, json_string(cs->prerequisites[k]));
            json_object_set_new(o, "prerequisites", pre);
            json_array_append_new(arr, o);
            continue;
        }
        if (strcmp(prev_module, mod) != 0) {
            char tb[64];
            const char *title = module_title(c, d->id, tb, sizeof tb);
            lm_level lv = module_level(c, d->id);
            printf("%s%s (%s%s%s)\n", prev_module[0] ? "\n" : "", title, mod, lv ? ", " : "", lm_level_name(lv));
            snprintf(prev_module, sizeof prev_module, "%s", mod);
        }
        printf("  %-40s %s\n", d->id, d->title ? d->title : "");
        if (cs && cs->nprerequisites) {
            lm_buf b = LM_BUF_INIT;
            lm_buf_puts(&b, "      after:");
            size_t col = 12;
            for (size_t k = 0; k < cs->nprerequisites; k++) {
                size_t w = strlen(cs->prerequisites[k]) + 2;
                if (col + w > MAX_WIDTH && col > 12) {
                    lm_buf_puts(&b, "\n            ");
                    col = 12;
                }
                lm_buf_printf(&b, " %s%s", cs->prerequisites[k], k + 1 < cs->nprerequisites ? "," : "");
                col += w;
            }
            puts(lm_buf_cstr(&b));
            lm_buf_free(&b);
        }
    }
    if (json) {
        print_json(arr);
        json_decref(arr);
    } else if (n == 0) {
        puts("No exercises are available yet.");
    }
    return 0;
}

/* ---- the scriptable form ------------------------------------------------------------------ */

static json_t *problem_json(const lm_problem *p) {
    json_t *o = json_object();
    json_object_set_new(o, "skill", json_string(p->skill));
    json_object_set_new(o, "seed", json_integer((json_int_t)p->seed));
    json_object_set_new(o, "level", json_integer(p->difficulty));
    const lm_skill_def *d = lm_skill_find(p->skill);
    if (d && d->title) json_object_set_new(o, "title", json_string(d->title));
    json_object_set_new(o, "prompt", lm_json_text(p->prompt ? p->prompt : ""));
    json_object_set_new(o, "answer_type", json_string(lm_answer_type_name(p->spec.type)));
    json_object_set_new(o, "answer", lm_json_text(p->spec.answer ? p->spec.answer : ""));
    if (p->spec.nchoices > 0) {
        json_t *ch = json_array();
        for (int i = 0; i < p->spec.nchoices; i++) json_array_append_new(ch, lm_json_text(p->spec.choices[i]));
        json_object_set_new(o, "choices", ch);
    }
    json_t *hints = json_array();
    for (int i = 0; i < p->nhints; i++) json_array_append_new(hints, lm_json_text(p->hints[i]));
    json_object_set_new(o, "hints", hints);
    json_t *steps = json_array();
    for (int i = 0; i < p->nsteps; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "text", lm_json_text(p->steps[i].text ? p->steps[i].text : ""));
        json_object_set_new(s, "latex", lm_json_text(p->steps[i].latex));
        json_array_append_new(steps, s);
    }
    json_object_set_new(o, "solution", steps);
    return o;
}

static int json_error(const char *kind, const char *msg, int status) {
    json_t *o = json_object();
    json_t *e = json_object();
    json_object_set_new(e, "kind", json_string(kind));
    json_object_set_new(e, "message", lm_json_text(msg));
    json_object_set_new(o, "error", e);
    print_json(o);
    json_decref(o);
    return status;
}

static int fail(const opts *o, lm_err *err, int status) {
    int rc = status;
    if (o->json) rc = json_error(lm_errkind_name(err->kind), err->msg ? err->msg : "", status);
    else fprintf(stderr, "lemma practice: %s\n", err->msg ? err->msg : "something went wrong");
    lm_err_clear(err);
    return rc;
}

static int scripted(const opts *o) {
    lm_err err = LM_ERR_INIT;
    if (!lm_skill_find(o->target)) {
        lm_skill_unknown(&err, o->target);
        return fail(o, &err, 2);
    }
    uint64_t seed = o->has_seed ? o->seed : fresh_seed();
    int difficulty = o->has_difficulty ? o->difficulty : 1;
    lm_problem p;
    if (!lm_problem_generate(o->target, seed, difficulty, &p, &err)) {
        lm_problem_free(&p);
        return fail(o, &err, 1);
    }
    if (!o->has_answer) {
        json_t *j = problem_json(&p);
        print_json(j);
        json_decref(j);
        lm_problem_free(&p);
        return 0;
    }
    lm_verdict v = {0};
    lm_check_answer(&p.spec, o->answer, &v);
    bool recorded = false;
    lm_skill_state after = {0};
    int status = 0;
    if (v.kind != LM_VERDICT_UNPARSED && !o->no_record) {
        lm_store *s = lm_store_open(o->db, &err);
        lm_attempt a = {.skill = p.skill, .seed = seed, .difficulty = difficulty, .answer = o->answer,
                        .correct = v.kind == LM_VERDICT_CORRECT, .misconception = v.misconception,
                        .seconds = o->seconds, .hints_used = o->hints_used};
        if (s && lm_store_record(s, &a, &after, &err) > 0) recorded = true;
        lm_store_close(s);
        if (!recorded) status = 1;
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "correct", json_boolean(v.kind == LM_VERDICT_CORRECT));
        json_object_set_new(j, "feedback", lm_json_text(v.feedback ? v.feedback : ""));
        if (v.misconception) json_object_set_new(j, "misconception", json_string(v.misconception));
        if (v.kind == LM_VERDICT_UNPARSED) json_object_set_new(j, "unparsed", json_true());
        json_object_set_new(j, "recorded", json_boolean(recorded));
        if (recorded) {
            json_object_set_new(j, "mastery", json_string(lm_mastery_name(after.mastery)));
            json_object_set_new(j, "next_review", lm_json_time(after.due));
        }
        if (status) {
            json_t *e = json_object();
            json_object_set_new(e, "kind", json_string(lm_errkind_name(err.kind)));
            json_object_set_new(e, "message", lm_json_text(err.msg ? err.msg : ""));
            json_object_set_new(j, "error", e);
        }
        print_json(j);
        json_decref(j);
    } else {
        /* the checker's own "Correct." would say the same thing twice */
        const char *head = v.kind == LM_VERDICT_CORRECT ? "Right." : v.kind == LM_VERDICT_WRONG ? "Not right." : "";
        const char *fb = v.feedback && strcmp(v.feedback, "Correct.") != 0 ? v.feedback : "";
        printf("%s%s%s\n", head, *head && *fb ? " " : "", fb);
    }
    if (status) report_err("practice", &err);
    lm_err_clear(&err);
    lm_skill_state_free(&after);
    lm_verdict_free(&v);
    lm_problem_free(&p);
    return status;
}

/* ---- the interactive session ---------------------------------------------------------------- */

typedef struct skill_result {
    const char *skill; /* static, from the registry */
    char marks[48];    /* one per problem: '+' right first time, 'h' right with hints, 'x' missed, '-' skipped */
    lm_mastery before, after;
} skill_result;

typedef struct session {
    lm_store *store;
    lm_course *course;
    const char *module;    /* practise only this module's skills (NULL: all) */
    const char *skill;     /* practise only this skill (NULL: choose) */
    bool review_only;      /* `lemma review`: only what is due */
    int fixed_difficulty;  /* 0: from the skill's level */
    int width;
    bool color, tty;
    const char *bold, *green, *red, *dim, *reset;
    /* what happened, for the summary */
    int shown, right_first, right_hints, missed, skipped;
    skill_result results[64];
    int nresults;
    const char *avoid[128]; /* skipped or broken this session: not offered again */
    int navoid;
} session;

static void say(session *s, const char *md, int indent) {
    lm_render_opts ro = {s->width, s->color, false};
    lm_buf b = LM_BUF_INIT;
    lm_md_render_text(md, strlen(md), &ro, indent, &b);
    fputs(lm_buf_cstr(&b), stdout);
    if (b.len && b.s[b.len - 1] != '\n') putchar('\n');
    lm_buf_free(&b);
}

/* The checker's words are plain text, not Markdown (an answer may contain *
 * or _): wrapped at spaces to the width, each line indented; a line that
 * starts with a space (the checker's caret under an answer) is kept as it is. */
static void say_plain(session *s, const char *text, int indent) {
    size_t width = (size_t)s->width > (size_t)indent + 20 ? (size_t)(s->width - indent) : 20;
    while (*text) {
        size_t len = strcspn(text, "\n");
        if (text[0] == ' ') {
            printf("%*s%.*s\n", indent, "", (int)len, text);
        } else {
            const char *p = text, *end = text + len;
            while (p < end) {
                /* the longest run of whole words that fits */
                const char *cut = p, *q = p;
                while (q < end) {
                    const char *w = q;
                    while (w < end && *w != ' ') w++;
                    if (lm_text_columns(p, (size_t)(w - p)) > width && cut > p) break;
                    cut = w;
                    q = w < end ? w + 1 : w;
                }
                printf("%*s%.*s\n", indent, "", (int)(cut - p), p);
                p = cut;
                while (p < end && *p == ' ') p++;
            }
        }
        text += len;
        if (*text) text++;
    }
}

/* One line of input, without its newline; NULL at end of input (Ctrl-D).
 * readline on a terminal (line editing); plain reads from a pipe, so that a
 * script's transcript is clean. Caller frees with free(). */
static char *read_answer(session *s, const char *prompt) {
    fflush(stdout);
    if (s->tty) return readline(prompt);
    fputs(prompt, stdout);
    fflush(stdout);
    lm_buf b = LM_BUF_INIT;
    int c;
    while ((c = getchar()) != EOF && c != '\n') lm_buf_putc(&b, (char)c);
    if (c == EOF && b.len == 0) {
        lm_buf_free(&b);
        putchar('\n');
        return NULL;
    }
    /* echoed, as a terminal would show it, so that the transcript reads as a
     * session */
    puts(lm_buf_cstr(&b));
    char *line = malloc(b.len + 1);
    if (!line) lm_oom();
    memcpy(line, lm_buf_cstr(&b), b.len + 1);
    lm_buf_free(&b);
    return line;
}

static char *trim(char *t) {
    while (*t == ' ' || *t == '\t' || *t == '\r') t++;
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r')) t[--n] = '\0';
    return t;
}

static bool avoided(const session *s, const char *skill) {
    for (int i = 0; i < s->navoid; i++)
        if (!strcmp(s->avoid[i], skill)) return true;
    return false;
}

static bool unlocked(const session *s, const char *skill, const lm_skill_state *st, size_t nst) {
    const lm_course_skill *cs = lm_course_skill_find(s->course, skill);
    if (!cs) return true;
    for (size_t k = 0; k < cs->nprerequisites; k++)
        if (mastery_of(st, nst, cs->prerequisites[k]) < UNLOCK_LEVEL) return false;
    return true;
}

/* What to practise next: a skill that is due (most overdue first), else the
 * weakest unlocked one (lowest mastery level, then curriculum order). Sets
 * *why to a few words for the header. NULL when there is nothing. */
static const char *pick_skill(session *s, const char **why, lm_err *err) {
    if (s->skill) {
        *why = NULL;
        return s->skill;
    }
    lm_skill_state *due = NULL, *all = NULL;
    size_t ndue = 0, nall = 0;
    const char *pick = NULL;
    if (!lm_store_due(s->store, 0, &due, &ndue, err)) return NULL;
    for (size_t i = 0; i < ndue && !pick; i++) {
        const lm_skill_def *d = lm_skill_find(due[i].skill);
        if (d && !avoided(s, d->id) && (!s->module || in_module(d->id, s->module))) pick = d->id;
    }
    lm_skill_states_free(due, ndue);
    if (pick) {
        *why = "due for review";
        return pick;
    }
    if (s->review_only) return NULL;
    if (!lm_store_skills(s->store, &all, &nall, err)) return NULL;
    size_t n;
    const lm_skill_def *defs = lm_skill_defs(&n);
    lm_mastery best = LM_MASTERY_MASTERED + 1;
    for (size_t i = 0; i < n; i++) {
        const char *id = defs[i].id;
        if (avoided(s, id) || (s->module && !in_module(id, s->module))) continue;
        /* Within a module the learner chose, every skill is open to them. */
        if (!s->module && !unlocked(s, id, all, nall)) continue;
        lm_mastery m = mastery_of(all, nall, id);
        if (m < best) {
            best = m;
            pick = id;
        }
    }
    lm_skill_states_free(all, nall);
    *why = best == LM_MASTERY_NOT_STARTED ? "new skill" : "your weakest skill";
    return pick;
}

static skill_result *result_for(session *s, const char *skill, lm_mastery before) {
    for (int i = 0; i < s->nresults; i++)
        if (!strcmp(s->results[i].skill, skill)) return &s->results[i];
    if (s->nresults == (int)(sizeof s->results / sizeof s->results[0])) return NULL;
    skill_result *r = &s->results[s->nresults++];
    memset(r, 0, sizeof *r);
    r->skill = skill;
    r->before = r->after = before;
    return r;
}

static void add_mark(skill_result *r, char c) {
    if (!r) return;
    size_t n = strlen(r->marks);
    if (n + 1 < sizeof r->marks) {
        r->marks[n] = c;
        r->marks[n + 1] = '\0';
    }
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_solution(session *s, const lm_problem *p) {
    printf("\n  %sWorked solution%s\n", s->bold, s->reset);
    for (int i = 0; i < p->nsteps; i++) {
        lm_buf md = LM_BUF_INIT;
        lm_buf_printf(&md, "%d. %s", i + 1, p->steps[i].text ? p->steps[i].text : "");
        say(s, md.s, 2);
        lm_buf_free(&md);
        if (p->steps[i].latex && *p->steps[i].latex) {
            lm_buf u = LM_BUF_INIT;
            lm_latex_to_unicode(p->steps[i].latex, strlen(p->steps[i].latex), &u);
            /* a bmatrix comes back as rows separated by '\n': indent each */
            const char *line = lm_buf_cstr(&u);
            while (*line) {
                size_t len = strcspn(line, "\n");
                printf("       %.*s\n", (int)len, line);
                line += len;
                if (*line) line++;
            }
            lm_buf_free(&u);
        }
    }
    lm_buf ans = LM_BUF_INIT;
    lm_buf_printf(&ans, "Answer: `%s`", p->spec.answer ? p->spec.answer : "");
    say(s, ans.s, 2);
    lm_buf_free(&ans);
}

static bool record(session *s, const lm_problem *p, const char *answer, bool correct, const char *misconception,
                   double seconds, int hints, bool solution, lm_skill_state *after, lm_err *err) {
    lm_attempt a = {.skill = p->skill, .seed = p->seed, .difficulty = p->difficulty, .answer = answer,
                    .correct = correct, .misconception = misconception, .seconds = seconds, .hints_used = hints,
                    .solution_shown = solution};
    return lm_store_record(s->store, &a, after, err) > 0;
}

static void schedule_line(session *s, const lm_skill_state *after) {
    char when[64];
    when_text(after->due, (int64_t)time(NULL), when, sizeof when);
    printf("  %sMastery: %s; next review %s.%s\n", s->dim, lm_mastery_label(after->mastery),
           strncmp(when, "due ", 4) ? when : when + 4, s->reset);
}

enum { PROBLEM_NEXT, PROBLEM_QUIT, PROBLEM_ERROR, PROBLEM_RETRY };

/* One problem from showing it to moving on. The first answer the checker can
 * read is the attempt that is recorded (with the hints seen before it);
 * later tries are for learning and are not recorded again. */
static int run_problem(session *s, const char *skill, const char *why, int number, int total, lm_err *err) {
    lm_skill_state st;
    if (!lm_store_skill(s->store, skill, &st, err)) return PROBLEM_ERROR;
    lm_mastery before = st.mastery;
    lm_skill_state_free(&st);
    int difficulty = s->fixed_difficulty ? s->fixed_difficulty : difficulty_for(before);
    lm_problem p;
    if (!lm_problem_generate(skill, fresh_seed(), difficulty, &p, err)) {
        lm_problem_free(&p);
        if (s->skill) return PROBLEM_ERROR;
        /* One broken generator should not end the session: leave that skill
         * out and go on with another. */
        fprintf(stderr, "lemma: no problem could be made for %s (%s); going on with another skill\n", skill,
                err->msg ? err->msg : "the generator failed");
        lm_err_clear(err);
        if (s->navoid == (int)(sizeof s->avoid / sizeof s->avoid[0])) {
            lm_err_set(err, LM_ERR_INTERNAL, "no problem could be made for any skill");
            return PROBLEM_ERROR;
        }
        s->avoid[s->navoid++] = lm_skill_find(skill)->id;
        return PROBLEM_RETRY;
    }
    const lm_skill_def *d = lm_skill_find(skill);
    skill_result *res = result_for(s, d->id, before);
    s->shown++;

    char head[160];
    snprintf(head, sizeof head, "Problem %d of %d · %s · level %d%s%s", number, total, d->title ? d->title : d->id,
             difficulty, why ? " · " : "", why ? why : "");
    if (lm_text_columns(head, strlen(head)) > (size_t)s->width)
        snprintf(head, sizeof head, "Problem %d of %d · %s", number, total, d->title ? d->title : d->id);
    printf("\n%s%s%s\n", s->bold, head, s->reset);
    say(s, p.prompt ? p.prompt : "", 2);
    if (p.spec.nchoices > 0)
        for (int i = 0; i < p.spec.nchoices; i++) printf("    (%c) %s\n", 'a' + i, p.spec.choices[i]);

    double start = now_seconds();
    int hints = 0, tries = 0;
    bool recorded = false, done = false;
    int status = PROBLEM_NEXT;
    lm_skill_state after = {0};
    while (!done) {
        char *line = read_answer(s, "answer> ");
        if (!line) {
            status = PROBLEM_QUIT;
            if (!recorded) {
                s->skipped++;
                add_mark(res, '-');
            }
            break;
        }
        char *t = trim(line);
        if (!*t) {
            puts("  Type your answer, or hint, solution, skip or quit.");
        } else if (!strcmp(t, "quit") || !strcmp(t, "exit") || !strcmp(t, "q")) {
            status = PROBLEM_QUIT;
            if (!recorded) {
                s->skipped++;
                add_mark(res, '-');
            }
            done = true;
        } else if (!strcmp(t, "hint")) {
            if (hints < p.nhints) {
                lm_buf md = LM_BUF_INIT;
                lm_buf_printf(&md, "**Hint %d of %d.** %s", hints + 1, p.nhints, p.hints[hints]);
                say(s, md.s, 2);
                lm_buf_free(&md);
                hints++;
            } else if (p.nhints == 0) {
                puts("  There is no hint for this one. Type solution to see it worked out.");
            } else {
                puts("  That was the last hint. Type solution to see it worked out.");
            }
        } else if (!strcmp(t, "solution")) {
            show_solution(s, &p);
            if (!recorded) {
                /* Reading the solution before answering is a miss for the
                 * schedule: the answer was not recalled. */
                if (!record(s, &p, "", false, NULL, now_seconds() - start, hints, true, &after, err)) {
                    free(line);
                    status = PROBLEM_ERROR;
                    break;
                }
                recorded = true;
                s->missed++;
                add_mark(res, 'x');
            }
            done = true;
        } else if (!strcmp(t, "skip")) {
            if (!recorded) {
                s->skipped++;
                add_mark(res, '-');
                if (s->navoid < (int)(sizeof s->avoid / sizeof s->avoid[0])) s->avoid[s->navoid++] = d->id;
            }
            puts("  Skipped.");
            done = true;
        } else {
            lm_verdict v = {0};
            lm_check_answer(&p.spec, t, &v);
            if (v.kind == LM_VERDICT_UNPARSED) {
                say_plain(s, v.feedback ? v.feedback : "That answer could not be read.", 2);
                puts("  (Not counted: fix it and try again.)");
            } else {
                bool right = v.kind == LM_VERDICT_CORRECT;
                tries++;
                if (!recorded) {
                    if (!record(s, &p, t, right, v.misconception, now_seconds() - start, hints, false, &after, err)) {
                        lm_verdict_free(&v);
                        free(line);
                        status = PROBLEM_ERROR;
                        break;
                    }
                    recorded = true;
                    if (right && hints == 0) s->right_first++;
                    else if (right) s->right_hints++;
                    else s->missed++;
                    add_mark(res, right ? (hints ? 'h' : '+') : 'x');
                }
                if (right) {
                    printf("  %s✓ Right%s%s\n", s->green, tries > 1 ? " this time" : "", s->reset);
                    if (v.feedback && *v.feedback && strcmp(v.feedback, "Correct.") != 0) say_plain(s, v.feedback, 4);
                    done = true;
                } else {
                    printf("  %s✗ Not right%s\n", s->red, s->reset);
                    if (v.feedback && *v.feedback) say_plain(s, v.feedback, 4);
                    puts(hints < p.nhints ? "  Try again, or type hint, solution or skip."
                                          : "  Try again, or type solution or skip.");
                }
            }
            lm_verdict_free(&v);
        }
        free(line);
    }
    if (recorded && status != PROBLEM_ERROR) {
        if (res) res->after = after.mastery;
        schedule_line(s, &after);
    }
    lm_skill_state_free(&after);
    lm_problem_free(&p);
    return status;
}

static void summary(session *s) {
    int answered = s->right_first + s->right_hints + s->missed;
    printf("\n%sSession summary%s\n", s->bold, s->reset);
    if (s->shown == 0) {
        puts("  No problems this time.");
        return;
    }
    printf("  %d problem%s: %d right on the first try", s->shown, s->shown == 1 ? "" : "s", s->right_first);
    if (s->right_hints) printf(", %d right with hints", s->right_hints);
    if (s->missed) printf(", %d missed", s->missed);
    if (s->skipped) printf(", %d skipped", s->skipped);
    puts(".");
    if (answered) {
        puts("");
        for (int i = 0; i < s->nresults; i++) {
            const skill_result *r = &s->results[i];
            char change[48];
            if (r->after != r->before)
                snprintf(change, sizeof change, "%s → %s", lm_mastery_label(r->before), lm_mastery_label(r->after));
            else snprintf(change, sizeof change, "%s", lm_mastery_label(r->after));
            printf("  %-36s %-8s %s\n", r->skill, r->marks, change);
        }
        puts("  (+ right, h right with hints, x missed, - skipped)");
    }
    lm_err err = LM_ERR_INIT;
    int streak = lm_store_streak(s->store, 0, &err);
    lm_err_clear(&err);
    if (streak > 0) printf("\n  Streak: %d day%s in a row.\n", streak, streak == 1 ? "" : "s");
}

static int run_session(const char *cmd, const opts *o, bool review_only) {
    lm_err err = LM_ERR_INIT;
    size_t ndefs;
    lm_skill_defs(&ndefs);
    if (ndefs == 0) {
        fprintf(stderr, "lemma %s: no exercises are available yet in this build of lemma\n", cmd);
        return 1;
    }
    session s;
    memset(&s, 0, sizeof s);
    s.course = lm_course_load_embedded();
    if (o->target) {
        if (lm_skill_find(o->target)) s.skill = lm_skill_find(o->target)->id;
        else if (lm_course_module_find(s.course, o->target)) s.module = lm_course_module_find(s.course, o->target)->id;
        else {
            bool any = false;
            for (size_t i = 0; i < ndefs && !any; i++) any = in_module(lm_skill_defs(&ndefs)[i].id, o->target);
            if (any) s.module = o->target;
        }
        if (!s.skill && !s.module) {
            const char *near = lm_skill_suggest(o->target);
            if (near)
                fprintf(stderr, "lemma %s: there is no skill or module called '%s'; did you mean '%s'? `lemma practice --list` shows them\n",
                        cmd, o->target, near);
            else
                fprintf(stderr, "lemma %s: there is no skill or module called '%s'; `lemma practice --list` shows them\n",
                        cmd, o->target);
            lm_course_free(s.course);
            return 2;
        }
    }
    s.store = lm_store_open(o->db, &err);
    if (!s.store) {
        report_err(cmd, &err);
        lm_course_free(s.course);
        return 1;
    }
    s.review_only = review_only;
    s.fixed_difficulty = o->has_difficulty ? o->difficulty : 0;
    s.width = term_width();
    s.color = use_color();
    s.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    s.bold = s.color ? "\033[1m" : "";
    s.green = s.color ? "\033[32m" : "";
    s.red = s.color ? "\033[31m" : "";
    s.dim = s.color ? "\033[2m" : "";
    s.reset = s.color ? "\033[0m" : "";
    int total = o->count ? o->count : SESSION_DEFAULT;
    if (review_only) {
        lm_skill_state *due = NULL;
        size_t ndue = 0;
        if (!lm_store_due(s.store, 0, &due, &ndue, &err)) {
            report_err(cmd, &err);
            lm_store_close(s.store);
            lm_course_free(s.course);
            return 1;
        }
        lm_skill_states_free(due, ndue);
        if (!o->count) total = (int)ndue;
    }
    const char *scope = s.skill ? s.skill : s.module ? s.module : NULL;
    printf("%sPractice%s%s%s: %d problem%s.\n"
           "Type each answer in lemma's syntax (2x, 1/2, [1 2; 3 4]), or hint, solution,\n"
           "skip or quit.\n",
           s.bold, scope ? " · " : "", scope ? scope : "", s.reset, total, total == 1 ? "" : "s");
    int status = 0;
    for (int i = 1; i <= total; i++) {
        const char *why = NULL;
        const char *skill = pick_skill(&s, &why, &err);
        if (!skill) {
            if (err.kind != LM_OK) {
                report_err(cmd, &err);
                status = 1;
            } else {
                puts(review_only ? "\nNothing more is due for review." : "\nThere is nothing more to practise here.");
            }
            break;
        }
        int r = run_problem(&s, skill, why, i, total, &err);
        if (r == PROBLEM_ERROR) {
            report_err(cmd, &err);
            status = 1;
            break;
        }
        if (r == PROBLEM_QUIT) break;
        if (r == PROBLEM_RETRY) i--; /* the same number again, with another skill */
    }
    summary(&s);
    lm_store_close(s.store);
    lm_course_free(s.course);
    return status;
}

int lm_cli_practice(int argc, char **argv) {
    opts o;
    if (!parse_opts("practice", argc, argv, &o, true)) {
        fputs(practice_usage, stderr);
        return 2;
    }
    if (o.list) {
        lm_course *c = lm_course_load_embedded();
        int rc = list_skills(c, o.json);
        lm_course_free(c);
        return rc;
    }
    bool scripted_form = o.json || o.has_answer || o.has_seed || o.no_record;
    if (scripted_form) {
        if (!o.target) {
            fprintf(stderr, "lemma practice: the scriptable form needs a SKILL, as in\n"
                            "  lemma practice linalg-basics/dot-product --seed 1 --json\n");
            return 2;
        }
        if (o.has_answer && !o.has_seed) {
            fprintf(stderr, "lemma practice: --answer needs the --seed (and --difficulty) of the problem it answers\n");
            return 2;
        }
        return scripted(&o);
    }
    return run_session("practice", &o, false);
}

/* ---- review ----------------------------------------------------------------------------------- */

int lm_cli_review(int argc, char **argv) {
    opts o;
    if (!parse_opts("review", argc, argv, &o, false)) {
        fputs("usage: lemma review [--list] [--json] [--count N] [--db PATH]\n", stderr);
        return 2;
    }
    lm_err err = LM_ERR_INIT;
    lm_store *s = open_for_reading(o.db, &err);
    if (!s) {
        report_err("review", &err);
        return 1;
    }
    int64_t now = (int64_t)time(NULL);
    lm_skill_state *due = NULL, *all = NULL;
    size_t ndue = 0, nall = 0;
    if (!lm_store_due(s, now, &due, &ndue, &err) || !lm_store_skills(s, &all, &nall, &err)) {
        report_err("review", &err);
        lm_skill_states_free(due, ndue);
        lm_store_close(s);
        return 1;
    }
    lm_store_close(s);
    int status = 0;
    if (o.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < ndue; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "skill", lm_json_text(due[i].skill));
            json_object_set_new(j, "mastery", json_string(lm_mastery_name(due[i].mastery)));
            json_object_set_new(j, "due", lm_json_time(due[i].due));
            json_array_append_new(arr, j);
        }
        print_json(arr);
        json_decref(arr);
    } else if (ndue == 0) {
        /* the soonest of what is scheduled */
        const lm_skill_state *next = NULL;
        for (size_t i = 0; i < nall; i++)
            if (all[i].due > 0 && (!next || all[i].due < next->due)) next = &all[i];
        if (next) {
            char when[64];
            when_text(next->due, now, when, sizeof when);
            printf("Nothing is due for review. Next: %s, %s.\n", next->skill, when);
        } else {
            puts("Nothing is due for review: nothing has been practised yet. Start with `lemma practice`.");
        }
    } else {
        printf("Due for review: %zu skill%s\n", ndue, ndue == 1 ? "" : "s");
        for (size_t i = 0; i < ndue; i++) {
            char when[64];
            when_text(due[i].due, now, when, sizeof when);
            printf("  %-40s %-12s %s\n", due[i].skill, lm_mastery_label(due[i].mastery), when);
        }
        if (!o.list) {
            putchar('\n');
            status = run_session("review", &o, true);
        }
    }
    lm_skill_states_free(due, ndue);
    lm_skill_states_free(all, nall);
    return status;
}

/* ---- progress --------------------------------------------------------------------------------- */

/* A bar of `cells` cells filled to fraction f, in whole and half cells. */
static void bar(lm_buf *b, double f, int cells) {
    int halves = (int)(f * cells * 2 + 0.5);
    for (int i = 0; i < cells; i++) {
        int h = halves - 2 * i;
        lm_buf_puts(b, h >= 2 ? "█" : h == 1 ? "▌" : "░");
    }
}

int lm_cli_progress(int argc, char **argv) {
    opts o;
    if (!parse_opts("progress", argc, argv, &o, false)) {
        fputs("usage: lemma progress [--db PATH]\n", stderr);
        return 2;
    }
    lm_err err = LM_ERR_INIT;
    lm_store *s = open_for_reading(o.db, &err);
    if (!s) {
        report_err("progress", &err);
        return 1;
    }
    lm_skill_state *all = NULL;
    size_t nall = 0;
    int64_t now = (int64_t)time(NULL);
    int streak = lm_store_streak(s, now, &err);
    int64_t attempts = lm_store_count(s, &err);
    if (streak < 0 || attempts < 0 || !lm_store_skills(s, &all, &nall, &err)) {
        report_err("progress", &err);
        lm_store_close(s);
        return 1;
    }
    lm_store_close(s);
    lm_course *c = lm_course_load_embedded();
    bool color = use_color();
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";

    /* The skills in curriculum order: the course's, else the registry's, then
     * any practised skill neither knows (from an older lemma). */
    size_t nlist = 0, cap = 64;
    const char **list = lm_alloc(cap * sizeof *list);
    size_t ncs = lm_course_nskills(c), ndefs;
    const lm_skill_def *defs = lm_skill_defs(&ndefs);
    for (size_t i = 0; i < ncs + ndefs + nall; i++) {
        const char *id = i < ncs ? lm_course_skill_at(c, i)->id
                         : i < ncs + ndefs ? defs[i - ncs].id
                                           : all[i - ncs - ndefs].skill;
        bool seen = false;
        for (size_t k = 0; k < nlist && !seen; k++) seen = !strcmp(list[k], id);
        if (seen) continue;
        if (nlist == cap) list = lm_realloc(list, (cap *= 2) * sizeof *list);
        list[nlist++] = id;
    }

    /* One group per module, in the order modules first appear (a skill whose
     * lesson is not written yet comes from the registry, after the course's). */
    for (size_t i = 1; i < nlist; i++) {
        size_t home = i;
        for (size_t k = 0; k < i; k++)
            if (module_len(list[k]) == module_len(list[i]) && !strncmp(list[k], list[i], module_len(list[i]))) {
                home = k;
                while (home + 1 < i && module_len(list[home + 1]) == module_len(list[i]) &&
                       !strncmp(list[home + 1], list[i], module_len(list[i])))
                    home++;
                home++;
                break;
            }
        if (home == i) continue;
        const char *moved = list[i];
        memmove(&list[home + 1], &list[home], (i - home) * sizeof *list);
        list[home] = moved;
    }

    printf("%sProgress%s: %lld attempt%s", bold, reset, (long long)attempts, attempts == 1 ? "" : "s");
    if (streak > 0) printf(", a streak of %d day%s", streak, streak == 1 ? "" : "s");
    puts(".");
    /* 2 + 26 name + 1 + 12 bar + 1 + 12 level + 1 + 24 due = 79 columns */
    const lm_skill_state *soonest = NULL;
    size_t ndue = 0;
    for (size_t i = 0; i < nlist;) {
        size_t j = i, mastered = 0, sum = 0;
        while (j < nlist && module_len(list[j]) == module_len(list[i]) &&
               !strncmp(list[j], list[i], module_len(list[i]))) {
            lm_mastery m = mastery_of(all, nall, list[j]);
            sum += (size_t)m;
            mastered += m >= LM_MASTERY_PROFICIENT;
            j++;
        }
        char tb[64];
        const char *title = module_title(c, list[i], tb, sizeof tb);
        lm_buf line = LM_BUF_INIT;
        lm_buf_printf(&line, "\n%s%s%s", bold, title, reset);
        size_t cols = lm_text_columns(title, strlen(title));
        for (; cols < 41; cols++) lm_buf_putc(&line, ' ');
        bar(&line, (double)sum / (double)(4 * (j - i)), 12);
        lm_buf_printf(&line, " %zu of %zu proficient", mastered, j - i);
        puts(line.s);
        lm_buf_free(&line);
        for (size_t k = i; k < j; k++) {
            const lm_skill_state *st = find_state(all, nall, list[k]);
            lm_mastery m = st ? st->mastery : LM_MASTERY_NOT_STARTED;
            const char *shortname = list[k] + module_len(list[k]) + (list[k][module_len(list[k])] == '/');
            lm_buf row = LM_BUF_INIT;
            lm_buf_printf(&row, "  %-26.26s ", shortname);
            bar(&row, (double)m / 4.0, 12);
            lm_buf_printf(&row, " %s", lm_mastery_label(m));
            if (st && st->due > 0) {
                char when[64];
                when_text(st->due, now, when, sizeof when);
                lm_buf_printf(&row, "%*s%s", 13 - (int)strlen(lm_mastery_label(m)), "", when);
                if (st->due <= now) ndue++;
                else if (!soonest || st->due < soonest->due) soonest = st;
            }
            puts(row.s);
            lm_buf_free(&row);
        }
        i = j;
    }
    putchar('\n');
    if (attempts == 0) puts("Nothing practised yet. Start with `lemma practice`.");
    else if (ndue) printf("%zu skill%s due now: `lemma review` practises them.\n", ndue, ndue == 1 ? " is" : "s are");
    else if (soonest) {
        char when[64];
        when_text(soonest->due, now, when, sizeof when);
        printf("Nothing is due now. Next review: %s, %s.\n", soonest->skill, when);
    }
    lm_free(list);
    lm_skill_states_free(all, nall);
    lm_course_free(c);
    return 0;
}

/* ---- export ------------------------------------------------------------------------------------ */

int lm_cli_export(int argc, char **argv) {
    opts o;
    if (!parse_opts("export", argc, argv, &o, false)) {
        fputs("usage: lemma export [--json] [--db PATH]   (JSON is the only format)\n", stderr);
        return 2;
    }
    lm_err err = LM_ERR_INIT;
    lm_store *s = open_for_reading(o.db, &err);
    if (!s) {
        report_err("export", &err);
        return 1;
    }
    json_t *j = lm_store_export(s, &err);
    lm_store_close(s);
    if (!j) {
        report_err("export", &err);
        return 1;
    }
    /* 12 significant digits: 0.212 rather than 0.21199999999999999 */
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    json_decref(j);
    if (!text) return 1;
    puts(text);
    free(text);
    return 0;
}
