/* The request handler: every HTTP request `lemma serve` answers, without
 * sockets, so that unit tests and the fuzzer drive exactly what the server runs.
 *
 * Order of checks, cheapest and most protective first: Host (a page on another
 * site that rebinds its DNS name to 127.0.0.1 must not read the learner's data),
 * body size, route and method, Origin on POST (another site's page must not run
 * programs here: browsers send Origin on cross-site POSTs), then the JSON. */
/* realpath, getrandom, prctl: glibc's wider set beside POSIX */
#define _DEFAULT_SOURCE

#include "web/web.h"

#include "lemma/check.h"
#include "lemma/learn.h"
#include "lemma/lesson.h"
#include "lemma/store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ORIGINS 4
#define MAX_STATIC_FILE (16u << 20)

struct lm_web {
    lm_web_config cfg;
    lm_web_pool *pool;
    lm_course *course;
    char *root;       /* realpath of the UI folder, or NULL */
    char *katex_root; /* realpath of node_modules/katex/dist, or NULL */
    bool check_host;  /* loopback: only our own names in Host */
    char *authority[MAX_ORIGINS]; /* "127.0.0.1:8080", "localhost:8080", ... */
    int nauthority;
    /* The progress store, opened on first use (a server that only evaluates
     * never creates the learner's database). One connection, one request at a
     * time: SQLite connections are not shared between threads. */
    pthread_mutex_t store_mu;
    lm_store *store;
    char *store_error;
};

static bool is_loopback(const char *host) {
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "[::1]") == 0;
}

static void add_authority(lm_web *w, const char *host, int port) {
    if (w->nauthority == MAX_ORIGINS) return;
    lm_buf b = LM_BUF_INIT;
    bool v6 = strchr(host, ':') && host[0] != '[';
    lm_buf_printf(&b, "%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "", port);
    for (int i = 0; i < w->nauthority; i++)
        if (strcasecmp(w->authority[i], lm_buf_cstr(&b)) == 0) {
            lm_buf_free(&b);
            return;
        }
    w->authority[w->nauthority++] = lm_buf_steal(&b);
}

/* The UI folder: LEMMA_WEB_ROOT, else web/ beside the program or up to three
 * folders above it (build/lemma finds the checkout's web/), so that
 * `lemma serve` works from any directory. */
static char *find_root(const char *configured) {
    char path[PATH_MAX + 64], real[PATH_MAX];
    const char *env = configured ? configured : getenv("LEMMA_WEB_ROOT");
    if (env && *env) {
        snprintf(path, sizeof path, "%s/index.html", env);
        if (access(path, R_OK) == 0 && realpath(env, real)) return lm_strdup(real);
        return NULL;
    }
    char *index = lm_find_shipped("web/index.html");
    if (!index) return NULL;
    index[strlen(index) - strlen("/index.html")] = '\0';
    char *root = realpath(index, real) ? lm_strdup(real) : NULL;
    lm_free(index);
    return root;
}

lm_web *lm_web_new(const lm_web_config *cfg, int port, lm_err *err) {
    lm_web *w = lm_calloc(1, sizeof *w);
    w->cfg = *cfg;
    w->pool = lm_web_pool_new(cfg, err);
    if (!w->pool) {
        lm_free(w);
        return NULL;
    }
    w->course = lm_course_load_embedded();
    pthread_mutex_init(&w->store_mu, NULL);
    w->root = find_root(cfg->web_root);
    if (w->root) {
        char path[PATH_MAX + 64], real[PATH_MAX];
        snprintf(path, sizeof path, "%s/../node_modules/katex/dist", w->root);
        if (realpath(path, real)) w->katex_root = lm_strdup(real);
    }
    w->check_host = is_loopback(cfg->host);
    if (w->check_host) {
        add_authority(w, cfg->host, port);
        add_authority(w, "127.0.0.1", port);
        add_authority(w, "localhost", port);
        add_authority(w, "::1", port);
    } else {
        add_authority(w, cfg->host, port);
    }
    return w;
}

void lm_web_free(lm_web *w) {
    if (!w) return;
    lm_web_pool_free(w->pool);
    lm_course_free(w->course);
    lm_store_close(w->store);
    lm_free(w->store_error);
    pthread_mutex_destroy(&w->store_mu);
    lm_free(w->root);
    lm_free(w->katex_root);
    for (int i = 0; i < w->nauthority; i++) lm_free(w->authority[i]);
    lm_free(w);
}

const char *lm_web_root(const lm_web *w) { return w->root; }

void lm_web_response_free(lm_web_response *res) { lm_buf_free(&res->body); }

/* ---- responses ---- */

static const char *const JSON_TYPE = "application/json; charset=utf-8";

static void reply_json(lm_web_response *res, int status, json_t *j) {
    res->status = status;
    res->content_type = JSON_TYPE;
    lm_buf_reset(&res->body);
    if (!j) { /* json_pack refused a string: not valid UTF-8 (from the request) */
        res->status = status == 200 ? 500 : status;
        lm_buf_puts(&res->body, "{\"error\":\"the answer could not be written as JSON\"}");
        return;
    }
    char *s = json_dumps(j, JSON_COMPACT);
    if (s) {
        lm_buf_puts(&res->body, s);
        free(s);
    }
    json_decref(j);
}

/* Messages may quote the request (a lesson id); bytes that are not valid UTF-8
 * become '?' so that the message is still valid JSON. */
static void reply_error(lm_web_response *res, int status, const char *msg) {
    json_t *m = json_string(msg);
    if (!m) {
        char *clean = lm_strdup(msg);
        for (char *c = clean; *c; c++)
            if ((unsigned char)*c >= 0x80) *c = '?';
        m = json_string(clean);
        lm_free(clean);
    }
    reply_json(res, status, json_pack("{s:o}", "error", m));
}

static void reply_method(lm_web_response *res, const char *allow, const char *what) {
    res->allow = allow;
    char msg[160];
    snprintf(msg, sizeof msg, "%s accepts only %s", what, allow);
    reply_error(res, 405, msg);
}

/* ---- request helpers ---- */

static bool host_allowed(const lm_web *w, const char *host) {
    if (!w->check_host || !host) return true; /* HTTP/1.0 clients send no Host */
    for (int i = 0; i < w->nauthority; i++)
        if (strcasecmp(w->authority[i], host) == 0) return true;
    return false;
}

static bool origin_allowed(const lm_web *w, const lm_web_request *req) {
    if (!req->origin) return true; /* not a browser's cross-site request (curl, scripts) */
    if (strncasecmp(req->origin, "http://", 7) != 0) return false;
    const char *auth = req->origin + 7;
    if (!w->check_host) /* --public: the page came from whatever name the learner typed */
        return req->host && strcasecmp(auth, req->host) == 0;
    for (int i = 0; i < w->nauthority; i++)
        if (strcasecmp(w->authority[i], auth) == 0) return true;
    return false;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of `key` in an undecoded query string, decoded, or NULL (caller frees). */
static char *query_arg(const char *query, const char *key) {
    if (!query) return NULL;
    size_t klen = strlen(key);
    for (const char *p = query; *p;) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            lm_buf b = LM_BUF_INIT;
            for (size_t i = klen + 1; i < n; i++) {
                int hi, lo;
                if (p[i] == '+') lm_buf_putc(&b, ' ');
                else if (p[i] == '%' && i + 2 < n && (hi = hexval(p[i + 1])) >= 0 && (lo = hexval(p[i + 2])) >= 0) {
                    char c = (char)(hi * 16 + lo);
                    if (c) lm_buf_putc(&b, c);
                    i += 2;
                } else lm_buf_putc(&b, p[i]);
            }
            lm_buf_putc(&b, '\0');
            b.len--;
            return lm_buf_steal(&b);
        }
        p += n + (amp ? 1 : 0);
    }
    return NULL;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (!s || !*s || strlen(s) > 20) return false;
    for (const char *c = s; *c; c++)
        if (!isdigit((unsigned char)*c)) return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v > max) return false;
    *out = v;
    return true;
}

/* A POST body as a JSON object, or an error reply (400) and NULL. */
static json_t *body_object(const lm_web_request *req, lm_web_response *res) {
    json_error_t je;
    json_t *j = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char msg[300];
        if (req->body_len == 0) snprintf(msg, sizeof msg, "the request body is empty: it must be a JSON object");
        else snprintf(msg, sizeof msg, "the request body is not valid JSON: %s (line %d, column %d)", je.text, je.line, je.column);
        reply_error(res, 400, msg);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        reply_error(res, 400, "the request body must be a JSON object, like {\"program\": \"1 + 2\"}");
        return NULL;
    }
    return j;
}

/* ---- /api/eval ---- */

static void api_eval(lm_web *w, const lm_web_request *req, lm_web_response *res) {
    json_t *j = body_object(req, res);
    if (!j) return;
    json_t *prog = json_object_get(j, "program"), *sess = json_object_get(j, "session");
    if (!json_is_string(prog)) {
        reply_error(res, 400, prog ? "\"program\" must be a string of lemma code" : "the body needs a \"program\": the lemma code to run");
    } else if (sess && !json_is_null(sess) && !json_is_string(sess)) {
        reply_error(res, 400, "\"session\" must be a string, the one an earlier answer gave, or left out");
    } else {
        const char *sid = json_is_string(sess) ? json_string_value(sess) : NULL;
        res->status = 200;
        res->content_type = JSON_TYPE;
        lm_web_pool_eval(w->pool, sid, json_string_value(prog), json_string_length(prog), &res->body);
    }
    json_decref(j);
}

/* ---- lessons ---- */

static void api_lessons(lm_web *w, lm_web_response *res) {
    json_t *mods = json_array();
    for (size_t i = 0; i < lm_course_nmodules(w->course); i++) {
        const lm_module *m = lm_course_module(w->course, i);
        json_t *lessons = json_array();
        for (size_t k = m->first; k < m->first + m->nlessons; k++) {
            const lm_lesson *l = lm_course_lesson(w->course, k);
            json_t *skills = json_array();
            for (size_t s = 0; s < l->nskills; s++) json_array_append_new(skills, json_string(l->skills[s]));
            json_array_append_new(lessons, json_pack("{s:s, s:s, s:i, s:o}", "id", l->id, "title", l->title, "minutes",
                                                     l->minutes, "skills", skills));
        }
        json_array_append_new(mods, json_pack("{s:s, s:s, s:s, s:i, s:o}", "id", m->id, "title", m->title, "level",
                                              lm_level_name(m->level), "order", m->order, "lessons", lessons));
    }
    reply_json(res, 200, json_pack("{s:o}", "modules", mods));
}

static void api_lesson(lm_web *w, const char *id, lm_web_response *res) {
    const lm_lesson *l = lm_course_lesson_find(w->course, id);
    if (!l) {
        const char *near[3];
        size_t n = lm_course_suggest(w->course, id, near, 3);
        lm_buf msg = LM_BUF_INIT;
        lm_buf_printf(&msg, "there is no lesson \"%s\"", id);
        for (size_t i = 0; i < n; i++) lm_buf_printf(&msg, "%s%s", i ? ", " : "; did you mean ", near[i]);
        reply_error(res, 404, lm_buf_cstr(&msg));
        lm_buf_free(&msg);
        return;
    }
    size_t idx = lm_course_lesson_index(w->course, l);
    const lm_lesson *next = idx + 1 < lm_course_nlessons(w->course) ? lm_course_lesson(w->course, idx + 1) : NULL;
    lm_buf html = LM_BUF_INIT;
    lm_lesson_render_html(w->course, l, &html);
    json_t *skills = json_array();
    for (size_t s = 0; s < l->nskills; s++) json_array_append_new(skills, json_string(l->skills[s]));
    reply_json(res, 200,
               json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:s}", "id", l->id, "title", l->title, "module", l->module,
                         "level", lm_level_name(l->level), "skills", skills, "next", next ? next->id : NULL, "html",
                         lm_buf_cstr(&html)));
    lm_buf_free(&html);
}

/* ---- the progress store ---- */

/* Locks and returns the store, or NULL (unlocked) after an error reply. A
 * failed open is tried again by the next request: the file may have been
 * locked for a moment, or mended, and one refusal must not stop the server
 * recording for the rest of its life. */
static lm_store *store_lock_why(lm_web *w, lm_web_response *res, char **why) {
    pthread_mutex_lock(&w->store_mu);
    if (!w->store) {
        lm_err err = LM_ERR_INIT;
        w->store = lm_store_open(w->cfg.db_path, &err);
        lm_free(w->store_error);
        w->store_error = w->store ? NULL : lm_strdup(err.msg ? err.msg : "the progress database cannot be opened");
        lm_err_clear(&err);
    }
    if (w->store) return w->store;
    if (res) reply_error(res, 503, w->store_error);
    if (why) *why = lm_strdup(w->store_error); /* a copy: the next request may replace it */
    pthread_mutex_unlock(&w->store_mu);
    return NULL;
}

static lm_store *store_lock(lm_web *w, lm_web_response *res) { return store_lock_why(w, res, NULL); }

static void store_unlock(lm_web *w) { pthread_mutex_unlock(&w->store_mu); }

static const char *skill_title(const char *id) {
    const lm_skill_def *d = lm_skill_find(id);
    return d ? d->title : id;
}

static json_t *skill_json(const lm_skill_state *st) {
    char module[128];
    snprintf(module, sizeof module, "%s", st->skill);
    char *slash = strchr(module, '/');
    if (slash) *slash = '\0';
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:I}", "id", st->skill, "title", skill_title(st->skill),
                     "module", module, "mastery", lm_mastery_name(st->mastery), "mastery_label",
                     lm_mastery_label(st->mastery), "attempts", st->attempts, "correct", st->correct, "last_attempt",
                     (json_int_t)st->last_attempt, "due", (json_int_t)st->due);
}

/* Every skill with a generator, practised or not, and the review queue. */
static void api_progress(lm_web *w, lm_web_response *res) {
    lm_store *st = store_lock(w, res);
    if (!st) return;
    lm_err err = LM_ERR_INIT;
    lm_skill_state *done = NULL, *due = NULL;
    size_t ndone = 0, ndue = 0;
    if (!lm_store_skills(st, &done, &ndone, &err) || !lm_store_due(st, 0, &due, &ndue, &err)) {
        reply_error(res, 503, err.msg ? err.msg : "the progress database cannot be read");
    } else {
        size_t n;
        const lm_skill_def *defs = lm_skill_defs(&n);
        json_t *skills = json_array(), *queue = json_array();
        for (size_t i = 0; i < n; i++) {
            lm_skill_state blank = {0};
            blank.skill = (char *)defs[i].id;
            const lm_skill_state *s = &blank;
            for (size_t k = 0; k < ndone; k++)
                if (strcmp(done[k].skill, defs[i].id) == 0) s = &done[k];
            json_array_append_new(skills, skill_json(s));
        }
        for (size_t k = 0; k < ndue; k++) json_array_append_new(queue, skill_json(&due[k]));
        int streak = lm_store_streak(st, 0, &err);
        reply_json(res, 200, json_pack("{s:o, s:o, s:i, s:I}", "skills", skills, "due", queue, "streak",
                                       streak < 0 ? 0 : streak, "attempts", (json_int_t)lm_store_count(st, &err)));
    }
    lm_err_clear(&err);
    lm_skill_states_free(done, ndone);
    lm_skill_states_free(due, ndue);
    store_unlock(w);
}

static void api_export(lm_web *w, lm_web_response *res) {
    lm_store *st = store_lock(w, res);
    if (!st) return;
    lm_err err = LM_ERR_INIT;
    json_t *j = lm_store_export(st, &err);
    if (j) reply_json(res, 200, j);
    else reply_error(res, 503, err.msg ? err.msg : "the progress database cannot be read");
    lm_err_clear(&err);
    store_unlock(w);
}

/* ---- practice: problems are (skill, seed, difficulty), so any can be made again ---- */

static const char *const answer_type_names[] = {"number", "fraction", "vector", "matrix",
                                                 "expression", "choice", "interval", "set"};

static json_t *md_html(const char *md) {
    lm_buf b = LM_BUF_INIT;
    if (md) lm_md_render_html(md, strlen(md), &b);
    json_t *s = json_string(lm_buf_cstr(&b));
    lm_buf_free(&b);
    return s ? s : json_string("");
}

/* A verdict's feedback is plain text whose indented lines (the learner's
 * answer with a caret under the place it could not be read) must stay aligned:
 * a blank line before them makes Markdown keep them as a code block. */
static json_t *feedback_html(const char *text) {
    lm_buf b = LM_BUF_INIT;
    bool in_block = false, after_text = false;
    for (const char *p = text ? text : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
        bool indented = !strncmp(p, "    ", 4);
        if (indented && !in_block && after_text) lm_buf_putc(&b, '\n');
        in_block = indented;
        after_text = n > 1 || *p != '\n';
        lm_buf_put(&b, p, n);
        p += n;
    }
    json_t *j = md_html(lm_buf_cstr(&b));
    lm_buf_free(&b);
    return j;
}

/* The practice endpoints' words for a bad skill or seed, in one place. */
#define NO_SUCH_SKILL "there is no practice skill by that name (GET /api/skills lists them)"
#define SEED_RANGE "seed must be a whole number from 0 to 2^53 - 1"
#define SEED_MAX ((UINT64_C(1) << 53) - 1)

/* Reads skill, seed and difficulty from the query or a JSON body and makes the
 * problem; false after an error reply. */
static bool problem_from(const char *skill, const char *seed_s, const char *diff_s, lm_problem *p, lm_web_response *res) {
    uint64_t seed = 0, diff = 1;
    if (!skill || !lm_skill_find(skill)) {
        reply_error(res, 404, skill ? NO_SUCH_SKILL
                                    : "say which skill to practise: ?skill=module/skill");
        return false;
    }
    if (diff_s && (!parse_u64(diff_s, 3, &diff) || diff < 1)) {
        reply_error(res, 400, "difficulty must be 1, 2 or 3");
        return false;
    }
    if (seed_s && !parse_u64(seed_s, SEED_MAX, &seed)) {
        reply_error(res, 400, SEED_RANGE);
        return false;
    }
    if (!seed_s) {
        uint32_t r = 0;
        if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) r = (uint32_t)rand();
        seed = r;
    }
    lm_err err = LM_ERR_INIT;
    memset(p, 0, sizeof *p);
    if (!lm_problem_generate(skill, seed, (int)diff, p, &err)) {
        reply_error(res, 500, err.msg ? err.msg : "the problem could not be made");
        lm_err_clear(&err);
        lm_problem_free(p);
        return false;
    }
    return true;
}

static void api_practice_get(lm_web *w, const char *what, const lm_web_request *req, lm_web_response *res) {
    (void)w;
    char *skill = query_arg(req->query, "skill"), *seed = query_arg(req->query, "seed"),
         *diff = query_arg(req->query, "difficulty"), *n_s = query_arg(req->query, "n");
    lm_problem p;
    if (strcmp(what, "next") != 0 && !seed) {
        reply_error(res, 400, "say which problem: ?skill=...&seed=...&difficulty=...");
    } else if (problem_from(skill, seed, diff, &p, res)) {
        const lm_skill_def *def = lm_skill_find(skill);
        if (strcmp(what, "next") == 0) {
            json_t *choices = json_array();
            for (int i = 0; i < p.spec.nchoices; i++) json_array_append_new(choices, md_html(p.spec.choices[i]));
            reply_json(res, 200,
                       json_pack("{s:s, s:s, s:I, s:i, s:o, s:s, s:o, s:i}", "skill", def->id, "title", def->title,
                                 "seed", (json_int_t)p.seed, "difficulty", p.difficulty, "prompt_html", md_html(p.prompt),
                                 "answer_type",
                                 (size_t)p.spec.type < sizeof answer_type_names / sizeof answer_type_names[0]
                                     ? answer_type_names[p.spec.type]
                                     : "text", "choices", choices, "nhints", p.nhints));
        } else if (strcmp(what, "hint") == 0) {
            uint64_t n = 1;
            if (n_s && (!parse_u64(n_s, LM_MAX_HINTS, &n) || n < 1)) n = 0;
            if (n < 1 || (int)n > p.nhints) {
                char msg[120];
                snprintf(msg, sizeof msg, "this problem has %d hint%s: ask for n from 1 to %d", p.nhints,
                         p.nhints == 1 ? "" : "s", p.nhints);
                reply_error(res, 404, msg);
            } else {
                reply_json(res, 200, json_pack("{s:I, s:i, s:o}", "n", (json_int_t)n, "nhints", p.nhints, "hint_html",
                                               md_html(p.hints[n - 1])));
            }
        } else { /* solution */
            json_t *steps = json_array();
            for (int i = 0; i < p.nsteps; i++)
                json_array_append_new(steps, json_pack("{s:o, s:s?}", "html", md_html(p.steps[i].text), "latex",
                                                       p.steps[i].latex));
            reply_json(res, 200, json_pack("{s:o, s:s}", "steps", steps, "answer", p.spec.answer ? p.spec.answer : ""));
        }
        lm_problem_free(&p);
    }
    lm_free(skill);
    lm_free(seed);
    lm_free(diff);
    lm_free(n_s);
}

static void api_practice_answer(lm_web *w, const lm_web_request *req, lm_web_response *res) {
    json_t *j = body_object(req, res);
    if (!j) return;
    const char *skill = NULL, *answer = NULL;
    json_int_t seed = -1, diff = 1, hints = 0;
    int shown = 0;
    double seconds = 0;
    json_error_t je;
    if (json_unpack_ex(j, &je, 0, "{s:s, s:I, s?I, s:s, s?I, s?b, s?F}", "skill", &skill, "seed", &seed, "difficulty",
                       &diff, "answer", &answer, "hints_used", &hints, "solution_shown", &shown, "seconds",
                       &seconds) != 0 ||
        seed < 0 || diff < 1 || diff > 3 || hints < 0 || hints > LM_MAX_HINTS) {
        reply_error(res, 400, "the body must be {\"skill\": ..., \"seed\": N, \"difficulty\": 1-3, \"answer\": \"...\"}");
        json_decref(j);
        return;
    }
    const lm_skill_def *def = lm_skill_find(skill);
    if (!def) {
        reply_error(res, 404, NO_SUCH_SKILL);
        json_decref(j);
        return;
    }
    if ((uint64_t)seed > SEED_MAX) {
        reply_error(res, 400, SEED_RANGE);
        json_decref(j);
        return;
    }
    /* the problem is made again and the answer judged in a worker process:
       the learner's text is evaluated there, never in the server */
    lm_buf vb = LM_BUF_INIT;
    lm_web_pool_check(w->pool, def->id, (uint64_t)seed, (int)diff, answer, &vb);
    json_t *vj = json_loadb(vb.s ? vb.s : "", vb.len, 0, NULL);
    lm_buf_free(&vb);
    json_int_t kind = 2;
    const char *feedback = "the answer could not be checked", *misconception = NULL;
    json_t *mis = NULL;
    if (vj && json_unpack(vj, "{s:I, s:s, s?o}", "verdict", &kind, "feedback", &feedback, "misconception", &mis) == 0)
        misconception = json_is_string(mis) ? json_string_value(mis) : NULL;
    else
        kind = -1;
    if (kind < 0 || kind > 2) {
        kind = 2;
        feedback = "the answer could not be checked";
        misconception = NULL;
    }
    {
        static const char *const kinds[] = {"correct", "wrong", "unparsed"};
        bool correct = kind == LM_VERDICT_CORRECT;
        json_t *out = json_pack("{s:s, s:b, s:o, s:s?, s:b}", "verdict", kinds[kind], "correct", correct,
                                "feedback_html", feedback_html(feedback), "misconception", misconception, "recorded", 0);
        /* an answer that did not parse is a typing hint, not an attempt */
        char *store_why = NULL;
        lm_store *st = kind == LM_VERDICT_UNPARSED ? NULL : store_lock_why(w, NULL, &store_why);
        if (st) {
            lm_attempt a = {0};
            a.skill = def->id;
            a.seed = (uint64_t)seed;
            a.difficulty = (int)diff;
            a.answer = answer;
            a.correct = correct;
            a.misconception = misconception;
            a.seconds = seconds > 0 && seconds < 1e7 ? seconds : 0;
            a.hints_used = (int)hints;
            a.solution_shown = shown;
            lm_skill_state after = {0};
            lm_err err = LM_ERR_INIT;
            if (lm_store_record(st, &a, &after, &err) > 0) {
                json_object_set_new(out, "recorded", json_true());
                json_object_set_new(out, "mastery", json_string(lm_mastery_name(after.mastery)));
                json_object_set_new(out, "mastery_label", json_string(lm_mastery_label(after.mastery)));
                lm_skill_state_free(&after);
            } else if (err.msg) {
                json_object_set_new(out, "store_error", json_string(err.msg));
            }
            lm_err_clear(&err);
            store_unlock(w);
        } else if (store_why) {
            json_object_set_new(out, "store_error", json_string(store_why));
        }
        lm_free(store_why);
        reply_json(res, 200, out);
    }
    json_decref(vj);
    json_decref(j);
}

static void api_skills(lm_web_response *res) {
    size_t n;
    const lm_skill_def *defs = lm_skill_defs(&n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "id", defs[i].id, "title", defs[i].title));
    reply_json(res, 200, json_pack("{s:o}", "skills", a));
}

/* ---- static files ---- */

static const char *content_type_of(const char *path) {
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
                 {".json", JSON_TYPE}, {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
                 {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return NULL;
}

/* Only plain names: letters, digits, '-', '_', '.', never a leading '.', so no
 * "..", no hidden files, no backslashes or NULs reach the file system. */
static bool safe_rel_path(const char *p) {
    if (!*p) return false;
    for (const char *seg = p; *seg;) {
        if (*seg == '.' || *seg == '/') return false;
        const char *c = seg;
        for (; *c && *c != '/'; c++)
            if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_' || *c == '.')) return false;
        seg = *c ? c + 1 : c;
        if (*c && !*seg) return false; /* trailing slash */
    }
    return true;
}

static void serve_static(lm_web *w, const lm_web_request *req, lm_web_response *res) {
    const char *rel = req->path + 1, *base = w->root;
    if (strcmp(req->path, "/") == 0) rel = "index.html";
    else if (strncmp(req->path, "/vendor/katex/", 14) == 0) {
        rel = req->path + 14;
        base = w->katex_root;
    }
    const char *type = content_type_of(rel);
    if (!base || !safe_rel_path(rel) || strlen(rel) > 256 || !type) {
        if (!w->root) reply_error(res, 404, "the web UI's files were not found: set LEMMA_WEB_ROOT to the web/ folder");
        else reply_error(res, 404, "no such page");
        return;
    }
    char path[PATH_MAX + 300], real[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", base, rel);
    size_t blen = strlen(base);
    /* a symbolic link inside the folder must not lead out of it */
    if (!realpath(path, real) || strncmp(real, base, blen) != 0 || real[blen] != '/') {
        reply_error(res, 404, "no such page");
        return;
    }
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_STATIC_FILE) {
        if (fd >= 0) close(fd);
        reply_error(res, 404, "no such page");
        return;
    }
    lm_buf_reset(&res->body);
    char chunk[65536];
    ssize_t k;
    while ((k = read(fd, chunk, sizeof chunk)) > 0) lm_buf_put(&res->body, chunk, (size_t)k);
    close(fd);
    res->status = 200;
    res->content_type = type;
    res->cacheable = base == w->katex_root;
}

/* ---- routing ---- */

static bool is(const char *m, const char *want) { return strcmp(m, want) == 0; }

void lm_web_handle(lm_web *w, const lm_web_request *req, lm_web_response *res) {
    memset(res, 0, sizeof *res);
    const char *m = req->method ? req->method : "", *path = req->path ? req->path : "";
    if (!host_allowed(w, req->host)) {
        reply_error(res, 421, "this server answers only to its own address (the Host header names another)");
        return;
    }
    if (req->body_too_large) {
        char msg[120];
        snprintf(msg, sizeof msg, "the request body is larger than the limit of %u MiB", LM_WEB_MAX_BODY >> 20);
        reply_error(res, 413, msg);
        return;
    }
    if (path[0] != '/') {
        reply_error(res, 400, "the request path must start with /");
        return;
    }
    bool get = is(m, "GET") || is(m, "HEAD"), post = is(m, "POST");
    if (post && !origin_allowed(w, req)) {
        reply_error(res, 403, "this request came from a page on another site (its Origin header is not this server's)");
        return;
    }
    if (is(path, "/healthz")) {
        if (!get) {
            reply_method(res, "GET, HEAD", "/healthz");
            return;
        }
        int busy, total;
        lm_web_pool_load(w->pool, &busy, &total);
        reply_json(res, 200, json_pack("{s:b, s:i, s:i}", "ok", 1, "workers", total, "busy", busy));
    } else if (is(path, "/api/eval")) {
        if (!post) {
            reply_method(res, "POST", "/api/eval");
            return;
        }
        api_eval(w, req, res);
    } else if (is(path, "/api/lessons")) {
        if (!get) {
            reply_method(res, "GET, HEAD", "/api/lessons");
            return;
        }
        api_lessons(w, res);
    } else if (strncmp(path, "/api/lessons/", 13) == 0) {
        if (!get) {
            reply_method(res, "GET, HEAD", "/api/lessons/ID");
            return;
        }
        api_lesson(w, path + 13, res);
    } else if (is(path, "/api/progress") || is(path, "/api/export")) {
        if (!get) {
            reply_method(res, "GET, HEAD", path);
            return;
        }
        if (is(path, "/api/progress")) api_progress(w, res);
        else api_export(w, res);
    } else if (is(path, "/api/skills")) {
        if (!get) {
            reply_method(res, "GET, HEAD", "/api/skills");
            return;
        }
        api_skills(res);
    } else if (is(path, "/api/practice/next") || is(path, "/api/practice/hint") || is(path, "/api/practice/solution")) {
        if (!get) {
            reply_method(res, "GET, HEAD", path);
            return;
        }
        api_practice_get(w, path + strlen("/api/practice/"), req, res);
    } else if (is(path, "/api/practice/answer")) {
        if (!post) {
            reply_method(res, "POST", path);
            return;
        }
        api_practice_answer(w, req, res);
    } else if (strncmp(path, "/api/", 5) == 0 || is(path, "/api")) {
        reply_error(res, 404, "no such API endpoint");
    } else {
        if (!get) {
            reply_method(res, "GET, HEAD", "this page");
            return;
        }
        serve_static(w, req, res);
    }
}
