/* Unit tests for the web server's request handler and evaluator pool
 * (src/web/api.c, pool.c): the /api/eval contract, sessions and their expiry,
 * the safety checks (Host, Origin, body size, methods, JSON, static paths, file
 * builtins off), a worker killed at its hard deadline, and the practice and
 * lesson endpoints. No sockets: requests go straight to lm_web_handle. Expected
 * values are worked by hand (1 + 2 = 3, 4^2 = 16) or are the HTTP statuses the
 * issue names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lemma/learn.h"
#include "web/web.h"

#define PORT 18080

typedef struct reply {
    int status;
    json_t *json; /* NULL when the body is not JSON */
    lm_web_response res;
} reply;

static void reply_free(reply *r) {
    json_decref(r->json);
    lm_web_response_free(&r->res);
}

static reply call(lm_web *w, const char *method, const char *path, const char *body, const char *origin,
                  const char *host) {
    lm_web_request req = {0};
    req.method = method;
    char *q = lm_strdup(path);
    char *mark = strchr(q, '?');
    if (mark) *mark = '\0';
    req.path = q;
    req.query = mark ? mark + 1 : NULL;
    req.origin = origin;
    req.host = host;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    reply r = {0};
    lm_web_handle(w, &req, &r.res);
    lm_free(q);
    r.status = r.res.status;
    r.json = json_loadb(r.res.body.s ? r.res.body.s : "", r.res.body.len, 0, NULL);
    return r;
}

static reply post(lm_web *w, const char *path, const char *body) { return call(w, "POST", path, body, NULL, NULL); }
static reply get(lm_web *w, const char *path) { return call(w, "GET", path, NULL, NULL, NULL); }

static char db_path[64];

static lm_web *make(lm_web_config *cfg) {
    /* never the learner's own progress database */
    if (!db_path[0]) snprintf(db_path, sizeof db_path, "/tmp/lemma-web-test-%d.db", (int)getpid());
    cfg->db_path = db_path;
    lm_err err = LM_ERR_INIT;
    lm_web *w = lm_web_new(cfg, PORT, &err);
    assert_non_null(w);
    return w;
}

static lm_web *make_inline(void) {
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 0;
    return make(&cfg);
}

/* The results array of an eval reply. */
static json_t *results(const reply *r) {
    assert_int_equal(r->status, 200);
    assert_non_null(r->json);
    json_t *a = json_object_get(r->json, "results");
    assert_true(json_is_array(a));
    return a;
}

static void assert_json_equal(json_t *got, const char *want) {
    json_t *w = json_loads(want, 0, NULL);
    assert_non_null(w);
    if (!json_equal(got, w)) {
        char *g = json_dumps(got, JSON_COMPACT);
        print_error("got  %s\nwant %s\n", g, want);
        free(g);
        json_decref(w);
        fail();
    }
    json_decref(w);
}

static const char *error_message(const reply *r) {
    const char *m = json_string_value(json_object_get(r->json, "error"));
    assert_non_null(m);
    return m;
}

/* ---- /api/eval ---- */

static void test_eval_shape(void **state) {
    (void)state;
    lm_web *w = make_inline();
    /* each result is exactly the `lemma eval --json` object (DESIGN.md) */
    reply r = post(w, "/api/eval", "{\"program\": \"1 + 2\\nv = [1 2; 3 4]\\nsine(1)\"}");
    json_t *a = results(&r);
    assert_int_equal(json_array_size(a), 3);
    assert_json_equal(json_array_get(a, 0), "{\"ok\":true,\"type\":\"number\",\"value\":3}");
    assert_json_equal(json_array_get(a, 1),
                      "{\"ok\":true,\"name\":\"v\",\"type\":\"matrix\",\"shape\":[2,2],\"data\":[[1,2],[3,4]]}");
    json_t *e = json_object_get(json_array_get(a, 2), "error");
    assert_string_equal(json_string_value(json_object_get(e, "kind")), "name");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_false(json_is_true(json_object_get(r.json, "expired")));
    const char *sid = json_string_value(json_object_get(r.json, "session"));
    assert_non_null(sid);
    assert_true(strlen(sid) >= 32); /* 128 random bits in hex after the prefix */
    reply_free(&r);

    /* a parse error is still HTTP 200: the error is a result */
    r = post(w, "/api/eval", "{\"program\": \"1 +* 2\"}");
    a = results(&r);
    assert_json_equal(json_array_get(a, 0), "{\"ok\":false,\"error\":{\"kind\":\"parse\",\"message\":\"expected a value "
                                             "after '+', found '*'\",\"line\":1,\"col\":4}}");
    reply_free(&r);
    lm_web_free(w);
}

static void test_sessions(void **state) {
    (void)state;
    lm_web *w = make_inline();
    reply r = post(w, "/api/eval", "{\"program\": \"a = 4;\"}");
    assert_int_equal(json_array_size(results(&r)), 0); /* ; prints nothing */
    char body[300];
    snprintf(body, sizeof body, "{\"program\": \"a^2\", \"session\": \"%s\"}",
             json_string_value(json_object_get(r.json, "session")));
    reply r2 = post(w, "/api/eval", body);
    assert_json_equal(json_array_get(results(&r2), 0), "{\"ok\":true,\"type\":\"number\",\"value\":16}");
    assert_string_equal(json_string_value(json_object_get(r.json, "session")),
                        json_string_value(json_object_get(r2.json, "session")));
    reply_free(&r2);

    /* a new session does not see a */
    r2 = post(w, "/api/eval", "{\"program\": \"a\"}");
    assert_string_equal(json_string_value(json_object_get(json_array_get(results(&r2), 0), "type")), "expr");
    reply_free(&r2);

    /* an unknown session: a fresh one, marked expired */
    r2 = post(w, "/api/eval", "{\"program\": \"a\", \"session\": \"w0g0-00000000000000000000000000000000\"}");
    results(&r2);
    assert_true(json_is_true(json_object_get(r2.json, "expired")));
    assert_string_not_equal(json_string_value(json_object_get(r2.json, "session")),
                            "w0g0-00000000000000000000000000000000");
    reply_free(&r2);
    reply_free(&r);
    lm_web_free(w);
}

static void test_session_idle_and_cap(void **state) {
    (void)state;
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 0;
    cfg.max_sessions = 2;
    cfg.session_idle = 0.2;
    lm_web_sessions *t = lm_web_sessions_new(&cfg, "t-");
    lm_buf out = LM_BUF_INIT;
    char ids[3][80];
    for (int i = 0; i < 3; i++) {
        lm_buf_reset(&out);
        lm_web_sessions_eval(t, NULL, "1", 1, &out);
        json_t *j = json_loads(out.s, 0, NULL);
        snprintf(ids[i], sizeof ids[i], "%s", json_string_value(json_object_get(j, "session")));
        json_decref(j);
    }
    assert_int_equal(lm_web_sessions_count(t), 2); /* the cap: the oldest went */
    lm_buf_reset(&out);
    lm_web_sessions_eval(t, ids[0], "1", 1, &out);
    assert_non_null(strstr(out.s, "\"expired\":true"));
    /* idle past session_idle: expired */
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    lm_buf_reset(&out);
    lm_web_sessions_eval(t, ids[2], "1", 1, &out);
    assert_non_null(strstr(out.s, "\"expired\":true"));
    assert_int_equal(lm_web_sessions_count(t), 1);
    lm_buf_free(&out);
    lm_web_sessions_free(t);
}

static void test_time_limit(void **state) {
    (void)state;
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 0;
    cfg.time_limit = 0.3;
    lm_web *w = make(&cfg);
    reply r = post(w, "/api/eval", "{\"program\": \"k = 0; while true, k = k + 1; end\"}");
    json_t *e = json_object_get(json_array_get(results(&r), 0), "error");
    assert_string_equal(json_string_value(json_object_get(e, "kind")), "limit");
    reply_free(&r);
    lm_web_free(w);
}

/* A worker that overruns its hard deadline is killed and replaced; its
 * sessions answer as expired; the pool keeps working. The soft limit is set
 * far above the hard one so that only the kill can stop the loop. */
static void test_worker_killed(void **state) {
    (void)state;
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 1;
    cfg.time_limit = 60;
    cfg.hard_limit = 0.5;
    lm_web *w = make(&cfg);
    reply r = post(w, "/api/eval", "{\"program\": \"b = 7;\"}");
    results(&r);
    char body[300];
    snprintf(body, sizeof body, "{\"program\": \"while true, end\", \"session\": \"%s\"}",
             json_string_value(json_object_get(r.json, "session")));
    reply r2 = post(w, "/api/eval", body);
    json_t *e = json_object_get(json_array_get(results(&r2), 0), "error");
    assert_string_equal(json_string_value(json_object_get(e, "kind")), "limit");
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "stopped"));
    reply_free(&r2);
    snprintf(body, sizeof body, "{\"program\": \"b\", \"session\": \"%s\"}",
             json_string_value(json_object_get(r.json, "session")));
    r2 = post(w, "/api/eval", body);
    assert_true(json_is_true(json_object_get(r2.json, "expired")));
    /* b died with the worker: it is a symbol again */
    assert_json_equal(json_array_get(results(&r2), 0), "{\"ok\":true,\"type\":\"expr\",\"text\":\"b\",\"latex\":\"b\"}");
    reply_free(&r2);
    reply_free(&r);
    lm_web_free(w);
}

static void test_sandbox(void **state) {
    (void)state;
    lm_web *w = make_inline();
    reply r = post(w, "/api/eval", "{\"program\": \"csv(\\\"/etc/passwd\\\")\\nsave(plot([1 2 3]), \\\"/tmp/lemma-web-test.svg\\\")\"}");
    json_t *a = results(&r);
    for (size_t i = 0; i < 2; i++) {
        json_t *e = json_object_get(json_array_get(a, i), "error");
        assert_string_equal(json_string_value(json_object_get(e, "kind")), "io");
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "turned off in the web workbench"));
    }
    reply_free(&r);
    assert_int_not_equal(access("/tmp/lemma-web-test.svg", F_OK), 0);
    lm_web_free(w);
}

/* ---- bad requests ---- */

static void test_bad_json(void **state) {
    (void)state;
    lm_web *w = make_inline();
    static const char *const bodies[] = {"{\"program\": ", "", "[1, 2]", "{\"program\": 3}", "{\"session\": \"x\"}",
                                         "{\"program\": \"1\", \"session\": 5}", "{\"program\": \"1\", \"program\": \"2\"}"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        reply r = post(w, "/api/eval", bodies[i]);
        assert_int_equal(r.status, 400);
        assert_true(strlen(error_message(&r)) > 10);
        reply_free(&r);
    }
    reply r = post(w, "/api/eval", "{\"program\": ");
    assert_non_null(strstr(error_message(&r), "not valid JSON"));
    reply_free(&r);
    lm_web_free(w);
}

static void test_methods(void **state) {
    (void)state;
    lm_web *w = make_inline();
    reply r = get(w, "/api/eval");
    assert_int_equal(r.status, 405);
    assert_string_equal(r.res.allow, "POST");
    reply_free(&r);
    r = call(w, "DELETE", "/healthz", NULL, NULL, NULL);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.res.allow, "GET, HEAD");
    reply_free(&r);
    r = post(w, "/index.html", "{}");
    assert_int_equal(r.status, 405);
    reply_free(&r);
    r = get(w, "/api/nothing");
    assert_int_equal(r.status, 404);
    reply_free(&r);
    r = get(w, "/healthz");
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    reply_free(&r);
    lm_web_free(w);
}

static void test_origin_and_host(void **state) {
    (void)state;
    lm_web *w = make_inline();
    const char *prog = "{\"program\": \"1\"}";
    static const char *const bad[] = {"http://evil.example", "null", "http://127.0.0.1:18081", "https://127.0.0.1:18080",
                                      "http://127.0.0.1:18080.evil.example"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reply r = call(w, "POST", "/api/eval", prog, bad[i], "127.0.0.1:18080");
        assert_int_equal(r.status, 403);
        reply_free(&r);
    }
    static const char *const good[] = {"http://127.0.0.1:18080", "http://localhost:18080", "http://[::1]:18080"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        reply r = call(w, "POST", "/api/eval", prog, good[i], "localhost:18080");
        assert_int_equal(r.status, 200);
        reply_free(&r);
    }
    /* DNS rebinding: a page on evil.example:18080 resolved to 127.0.0.1 */
    reply r = call(w, "GET", "/api/lessons", NULL, NULL, "evil.example:18080");
    assert_int_equal(r.status, 421);
    reply_free(&r);
    r = call(w, "POST", "/api/eval", prog, "http://evil.example:18080", "evil.example:18080");
    assert_int_equal(r.status, 421);
    reply_free(&r);
    lm_web_free(w);
}

static void test_too_large(void **state) {
    (void)state;
    lm_web *w = make_inline();
    lm_web_request req = {0};
    req.method = "POST";
    req.path = "/api/eval";
    req.body_too_large = true;
    lm_web_response res;
    lm_web_handle(w, &req, &res);
    assert_int_equal(res.status, 413);
    assert_non_null(strstr(res.body.s, "1 MiB"));
    lm_web_response_free(&res);
    lm_web_free(w);
}

static char tmpdir[64];

static void write_file(const char *rel, const char *text) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_static_paths(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/lemma-web-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char path[256], target[256];
    snprintf(path, sizeof path, "%s/web", tmpdir);
    assert_int_equal(mkdir(path, 0700), 0);
    write_file("secret.txt", "secret");
    write_file("web/index.html", "<p>home</p>");
    write_file("web/app.js", "1;");
    write_file("web/.hidden.js", "1;");
    snprintf(path, sizeof path, "%s/web/link.txt", tmpdir);
    snprintf(target, sizeof target, "%s/secret.txt", tmpdir);
    assert_int_equal(symlink(target, path), 0);

    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 0;
    snprintf(path, sizeof path, "%s/web", tmpdir);
    cfg.web_root = path;
    lm_web *w = make(&cfg);
    reply r = get(w, "/");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.res.body.s, "<p>home</p>");
    assert_string_equal(r.res.content_type, "text/html; charset=utf-8");
    reply_free(&r);
    r = get(w, "/app.js");
    assert_int_equal(r.status, 200);
    reply_free(&r);
    /* paths arrive decoded (%2e%2e is ..): none may leave the folder */
    static const char *const bad[] = {"/../secret.txt", "/..", "/./app.js", "/.hidden.js", "//etc/passwd",
                                      "/link.txt", "/web/../../secret.txt", "/app.js/", "/a\\..\\secret.txt",
                                      "/vendor/katex/../../secret.txt", "/missing.js", "/index.html\x01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = get(w, bad[i]);
        assert_int_equal(r.status, 404);
        assert_null(strstr(r.res.body.s, "secret\""));
        reply_free(&r);
    }
    lm_web_free(w);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    assert_int_equal(system(cmd), 0);
}

/* ---- lessons and practice ---- */

static void test_lessons(void **state) {
    (void)state;
    lm_web *w = make_inline();
    reply r = get(w, "/api/lessons");
    assert_int_equal(r.status, 200);
    json_t *mods = json_object_get(r.json, "modules");
    assert_true(json_array_size(mods) >= 1);
    json_t *first = json_array_get(json_object_get(json_array_get(mods, 0), "lessons"), 0);
    char path[200];
    snprintf(path, sizeof path, "/api/lessons/%s", json_string_value(json_object_get(first, "id")));
    reply r2 = get(w, path);
    assert_int_equal(r2.status, 200);
    assert_true(strlen(json_string_value(json_object_get(r2.json, "html"))) > 100);
    reply_free(&r2);
    r2 = get(w, "/api/lessons/no-such/lesson");
    assert_int_equal(r2.status, 404);
    assert_non_null(strstr(error_message(&r2), "no lesson"));
    reply_free(&r2);
    reply_free(&r);
    lm_web_free(w);
}

static void test_practice(void **state) {
    (void)state;
    lm_web *w = make_inline();
    size_t n;
    const lm_skill_def *defs = lm_skill_defs(&n);
    assert_true(n > 0);
    char path[300], body[600];
    snprintf(path, sizeof path, "/api/practice/next?skill=%s&seed=42&difficulty=1", defs[0].id);
    reply r = get(w, path);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_integer_value(json_object_get(r.json, "seed")), 42);
    assert_true(strlen(json_string_value(json_object_get(r.json, "prompt_html"))) > 0);
    int nhints = (int)json_integer_value(json_object_get(r.json, "nhints"));
    reply_free(&r);

    snprintf(path, sizeof path, "/api/practice/solution?skill=%s&seed=42&difficulty=1", defs[0].id);
    r = get(w, path);
    assert_int_equal(r.status, 200);
    assert_true(json_array_size(json_object_get(r.json, "steps")) >= 1);
    json_t *ans = json_object_get(r.json, "answer");
    /* the problem's own reference answer is right; a made-up number is wrong */
    json_t *b = json_pack("{s:s, s:i, s:i, s:O}", "skill", defs[0].id, "seed", 42, "difficulty", 1, "answer", ans);
    char *s = json_dumps(b, 0);
    reply r2 = post(w, "/api/practice/answer", s);
    assert_int_equal(r2.status, 200);
    assert_string_equal(json_string_value(json_object_get(r2.json, "verdict")), "correct");
    reply_free(&r2);
    free(s);
    json_decref(b);
    reply_free(&r);
    snprintf(body, sizeof body, "{\"skill\": \"%s\", \"seed\": 42, \"difficulty\": 1, \"answer\": \"123456789\"}",
             defs[0].id);
    r2 = post(w, "/api/practice/answer", body);
    assert_string_equal(json_string_value(json_object_get(r2.json, "verdict")), "wrong");
    reply_free(&r2);
    /* an unreadable answer: its line and the caret under column 4 stay aligned in a code block */
    snprintf(body, sizeof body, "{\"skill\": \"%s\", \"seed\": 42, \"difficulty\": 1, \"answer\": \"2(x+\"}",
             defs[0].id);
    r2 = post(w, "/api/practice/answer", body);
    assert_string_equal(json_string_value(json_object_get(r2.json, "verdict")), "unparsed");
    assert_non_null(strstr(json_string_value(json_object_get(r2.json, "feedback_html")), "<pre><code>2(x+\n    ^\n"));
    reply_free(&r2);

    if (nhints > 0) {
        snprintf(path, sizeof path, "/api/practice/hint?skill=%s&seed=42&difficulty=1&n=1", defs[0].id);
        r = get(w, path);
        assert_int_equal(r.status, 200);
        reply_free(&r);
    }
    snprintf(path, sizeof path, "/api/practice/hint?skill=%s&seed=42&difficulty=1&n=9", defs[0].id);
    r = get(w, path);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    /* the query is percent-decoded: %2F is '/', as a browser's encodeURIComponent writes it */
    char enc[200];
    snprintf(enc, sizeof enc, "%s", defs[0].id);
    char *slash = strchr(enc, '/');
    assert_non_null(slash);
    *slash = '\0';
    snprintf(path, sizeof path, "/api/practice/next?difficulty=1&skill=%s%%2F%s&seed=42", enc, slash + 1);
    r = get(w, path);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "skill")), defs[0].id);
    reply_free(&r);
    r = get(w, "/api/practice/next?skill=no/such");
    assert_int_equal(r.status, 404);
    reply_free(&r);
    snprintf(path, sizeof path, "/api/practice/next?skill=%s&difficulty=7", defs[0].id);
    r = get(w, path);
    assert_int_equal(r.status, 400);
    reply_free(&r);
    lm_web_free(w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_shape),     cmocka_unit_test(test_sessions),   cmocka_unit_test(test_session_idle_and_cap),
        cmocka_unit_test(test_time_limit),     cmocka_unit_test(test_worker_killed), cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_bad_json),       cmocka_unit_test(test_methods),    cmocka_unit_test(test_origin_and_host),
        cmocka_unit_test(test_too_large),      cmocka_unit_test(test_static_paths), cmocka_unit_test(test_lessons),
        cmocka_unit_test(test_practice),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; db_path[0] && i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
    return failed;
}
