/* `lemma serve`: the HTTP server, its JSON API and the static browser UI.
 *
 * Three parts, each usable on its own so that tests and the fuzzer can drive
 * them without sockets:
 *   - the request handler (api.c): one HTTP request in, one response out; it
 *     checks method, origin, size and JSON, serves static files and routes the
 *     API. It never blocks on the network and never crashes on any input.
 *   - the evaluator pool (pool.c): learner programs, and the answers to
 *     practice problems, run in worker processes, because one LAPACK call
 *     cannot be interrupted; a worker that overruns its hard deadline is
 *     killed and replaced. With workers = 0 evaluation runs in the calling
 *     process (tests, fuzzing).
 *   - the listener (server.c): libmicrohttpd, one thread per connection so a
 *     slow evaluation never stalls /healthz or other clients.              */
#ifndef LEMMA_WEB_H
#define LEMMA_WEB_H

#include "lemma/core.h"

#include <stdbool.h>
#include <stddef.h>

#define LM_WEB_DEFAULT_PORT 8080
#define LM_WEB_MAX_BODY (1u << 20)           /* request bodies over 1 MiB get 413 */
#define LM_WEB_MAX_OUTPUT (8u << 20)         /* one eval's results are cut at 8 MiB */
#define LM_WEB_SESSION_ID_MAX 64

typedef struct lm_web_config {
    const char *host;        /* "127.0.0.1" */
    int port;                /* 0 = any free port (the chosen one is printed) */
    bool public_ok;          /* --public: a non-loopback address is allowed */
    const char *db_path;     /* the progress store; NULL = the store's default */
    const char *web_root;    /* the UI folder; NULL = found beside the program */
    int workers;             /* evaluation processes; 0 = evaluate in-process */
    double time_limit;       /* seconds per request, enforced by the language */
    double hard_limit;       /* seconds after which the worker is killed */
    size_t memory_limit_mb;  /* address-space limit of a worker (0 = none) */
    double session_idle;     /* seconds of idleness before a session expires */
    int max_sessions;        /* per worker; the least recently used go first */
    unsigned client_timeout; /* seconds a silent connection is kept */
} lm_web_config;

void lm_web_config_defaults(lm_web_config *cfg);

/* ---- the evaluator pool ---- */
typedef struct lm_web_pool lm_web_pool;

lm_web_pool *lm_web_pool_new(const lm_web_config *cfg, lm_err *err);
void lm_web_pool_free(lm_web_pool *p);
/* Runs `program` in the session `sid` (NULL or "" = a new one) and writes the
 * whole response body {"session", "expired", "results": [...]} into out.
 * Thread-safe; blocks until the program finishes or its worker is killed. */
void lm_web_pool_eval(lm_web_pool *p, const char *sid, const char *program, size_t len, lm_buf *out);
/* Checks a practice answer against problem (skill, seed, difficulty) in a
 * worker process and writes {"verdict": 0 correct | 1 wrong | 2 unparsed,
 * "feedback": "...", "misconception": "id" or null} into out. A checker that
 * overruns the hard deadline costs its worker, and answers "unparsed" with
 * words for the learner. Thread-safe. */
void lm_web_pool_check(lm_web_pool *p, const char *skill, uint64_t seed, int difficulty, const char *answer,
                       lm_buf *out);
/* How many workers are evaluating right now, and how many there are. */
void lm_web_pool_load(lm_web_pool *p, int *busy, int *total);

/* ---- the request handler ---- */
typedef struct lm_web lm_web;

typedef struct lm_web_request {
    const char *method;   /* "GET", "POST", ... */
    const char *path;     /* decoded, without the query string */
    const char *query;    /* NULL or the part after '?', undecoded */
    const char *origin;   /* the Origin header or NULL */
    const char *host;     /* the Host header or NULL */
    const char *body;
    size_t body_len;
    bool body_too_large;  /* the listener stopped reading past LM_WEB_MAX_BODY */
} lm_web_request;

typedef struct lm_web_response {
    int status;
    const char *content_type; /* static string */
    const char *allow;        /* 405: the Allow header */
    bool cacheable;           /* static assets: may be cached briefly */
    lm_buf body;
} lm_web_response;

/* The handler owns the pool (created from cfg). The server's own origins are
 * derived from cfg->host and `port` (the port actually bound). */
lm_web *lm_web_new(const lm_web_config *cfg, int port, lm_err *err);
void lm_web_free(lm_web *w);
void lm_web_handle(lm_web *w, const lm_web_request *req, lm_web_response *res);
void lm_web_response_free(lm_web_response *res);
/* The folder the UI is served from, or NULL when none was found. */
const char *lm_web_root(const lm_web *w);

/* ---- the listener ---- */
/* Serves until SIGINT/SIGTERM; prints the URL on stdout. Returns an exit status. */
int lm_web_serve(const lm_web_config *cfg);

/* ---- the worker side (pool.c), exposed for tests ---- */
typedef struct lm_web_sessions lm_web_sessions;
/* `prefix` starts every session id this table makes ("w0g1-"). */
lm_web_sessions *lm_web_sessions_new(const lm_web_config *cfg, const char *prefix);
void lm_web_sessions_free(lm_web_sessions *t);
void lm_web_sessions_eval(lm_web_sessions *t, const char *sid, const char *program, size_t len, lm_buf *out);
size_t lm_web_sessions_count(const lm_web_sessions *t);
/* The checking itself, as a worker (or an inline pool) runs it. */
void lm_web_check_answer(const char *skill, uint64_t seed, int difficulty, const char *answer, lm_buf *out);

#endif
