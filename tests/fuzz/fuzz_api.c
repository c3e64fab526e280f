/* libFuzzer target for `lemma serve`'s request handler (src/web/api.c): each
 * input is one HTTP request as the listener hands it over — method, path, query,
 * Origin, Host and body — driven straight into lm_web_handle with evaluation in
 * this process (workers = 0). No request may crash the server, leak, hang or be
 * answered with anything but one of the statuses the API uses and, for JSON,
 * a valid JSON body.
 *
 * Input layout (so the fuzzer reaches every route): byte 0 picks the method
 * (or, when >= the list's length, the method is the first line), then lines for
 * path, query, Origin and Host (an empty line: none), then the body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "web/web.h"

#define FUZZ_MAX_INPUT 8192

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lm_web *web;
static char db_path[64];

static void remove_db(void) {
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
}

static void setup(void) {
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    cfg.workers = 0;
    cfg.time_limit = 1.0; /* far below the run's -timeout: a timeout means a limit was ignored */
    snprintf(db_path, sizeof db_path, "/tmp/lemma-fuzz-api-%d.db", (int)getpid());
    cfg.db_path = db_path;
    atexit(remove_db);
#ifdef LEMMA_SOURCE_DIR
    cfg.web_root = LEMMA_SOURCE_DIR "/web";
#endif
    lm_err err = LM_ERR_INIT;
    web = lm_web_new(&cfg, 8080, &err);
    if (!web) {
        fprintf(stderr, "fuzz_api: %s\n", err.msg ? err.msg : "cannot start");
        abort();
    }
}

/* The next '\n'-terminated field as a NUL-terminated copy (NULL when empty or
 * past the end); advances *p. */
static char *field(const char **p, const char *end) {
    if (*p >= end) return NULL;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *stop = nl ? nl : end;
    char *s = (stop > *p) ? lm_strndup(*p, (size_t)(stop - *p)) : NULL;
    *p = nl ? nl + 1 : end;
    return s;
}

static void check(const lm_web_request *req, const lm_web_response *res) {
    static const int statuses[] = {200, 400, 403, 404, 405, 413, 421, 500, 503};
    int known = 0;
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) known |= res->status == statuses[i];
    if (!known) {
        fprintf(stderr, "fuzz_api: status %d for %s %s\n", res->status, req->method, req->path);
        abort();
    }
    if (res->status == 405 && !res->allow) {
        fprintf(stderr, "fuzz_api: 405 without an Allow header\n");
        abort();
    }
    if (res->content_type && strncmp(res->content_type, "application/json", 16) == 0) {
        json_error_t je;
        json_t *j = json_loadb(res->body.s ? res->body.s : "", res->body.len, JSON_ALLOW_NUL, &je);
        if (!json_is_object(j)) {
            fprintf(stderr, "fuzz_api: %s %s answered %d with invalid JSON (%s):\n%.*s\n", req->method, req->path,
                    res->status, je.text, (int)(res->body.len > 2000 ? 2000 : res->body.len),
                    res->body.s ? res->body.s : "");
            abort();
        }
        if (res->status != 200 && !json_is_string(json_object_get(j, "error"))) {
            fprintf(stderr, "fuzz_api: status %d without an error message\n", res->status);
            abort();
        }
        json_decref(j);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const methods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"};
    if (size < 1 || size > FUZZ_MAX_INPUT) return 0;
    if (!web) setup();
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    char *method = data[0] < 6 ? NULL : field(&p, end);
    char *path = field(&p, end), *query = field(&p, end), *origin = field(&p, end), *host = field(&p, end);
    lm_web_request req = {0};
    req.method = data[0] < 6 ? methods[data[0]] : (method ? method : "");
    req.path = path ? path : "/";
    req.query = query;
    req.origin = origin;
    req.host = host;
    req.body = p;
    req.body_len = (size_t)(end - p);
    lm_web_response res;
    lm_web_handle(web, &req, &res);
    check(&req, &res);
    lm_web_response_free(&res);
    lm_free(method);
    lm_free(path);
    lm_free(query);
    lm_free(origin);
    lm_free(host);
    return 0;
}
