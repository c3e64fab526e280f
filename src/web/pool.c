/* The evaluator pool: learner programs run in pre-forked worker processes.
 *
 * The language stops a program at its time limit only between statements and
 * inside loops that poll; one long LAPACK call cannot be interrupted. So each
 * worker is a process the server can kill: a request waits for its answer up to
 * the hard deadline, and a worker that overruns it (or dies, e.g. on its memory
 * limit) is killed and replaced. Its sessions die with it; their ids carry the
 * worker's slot and generation, so the next request with one answers "expired"
 * with a fresh session.
 *
 * Sessions are pinned to the worker that made them (a notebook's variables live
 * in that process). A request without a session takes any idle worker, so one
 * runaway program holds up only its own notebook.
 *
 * Answers to practice problems are checked in the workers too: the
 * learner's text is evaluated there, under the same deadline, so a checker
 * that runs long or crashes costs a worker, never the server.
 *
 * Wire format on the socketpair, both ways native-endian (same machine):
 *   request:  u32 kind, u32 a_len, u32 b_len, a bytes, b bytes
 *             (JOB_EVAL: a = session id, b = program;
 *              JOB_CHECK: a = "skill seed difficulty", b = the answer)
 *   response: u32 len, len bytes of JSON                                   */
/* getrandom, setpriority: glibc's wider set beside POSIX */
#define _DEFAULT_SOURCE

#include "web/web.h"

#include "lemma/check.h"
#include "lemma/ctx.h"
#include "lemma/lang.h"
#include "lemma/learn.h"

#include <inttypes.h>
#include <jansson.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define LM_WEB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LM_WEB_ASAN 1
#endif
#endif

void lm_web_config_defaults(lm_web_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->host = "127.0.0.1";
    cfg->port = LM_WEB_DEFAULT_PORT;
    cfg->workers = 4;
    cfg->time_limit = 5;
    cfg->hard_limit = 7;
    cfg->memory_limit_mb = 2048;
    cfg->session_idle = 30 * 60;
    cfg->max_sessions = 256;
    cfg->client_timeout = 15;
}

/* ---- the worker side: a table of sessions ---- */

typedef struct web_session {
    char id[LM_WEB_SESSION_ID_MAX + 1];
    lm_session *s;
    double last_used;
} web_session;

struct lm_web_sessions {
    web_session *v;
    int n, cap;
    double idle, time_limit;
    char prefix[24];
};

lm_web_sessions *lm_web_sessions_new(const lm_web_config *cfg, const char *prefix) {
    lm_web_sessions *t = lm_calloc(1, sizeof *t);
    t->cap = cfg->max_sessions > 0 ? cfg->max_sessions : 1;
    t->v = lm_calloc((size_t)t->cap, sizeof *t->v);
    t->idle = cfg->session_idle;
    t->time_limit = cfg->time_limit;
    snprintf(t->prefix, sizeof t->prefix, "%s", prefix);
    return t;
}

static void drop_session(lm_web_sessions *t, int i) {
    lm_session_free(t->v[i].s);
    t->v[i] = t->v[--t->n];
}

void lm_web_sessions_free(lm_web_sessions *t) {
    if (!t) return;
    while (t->n) drop_session(t, t->n - 1);
    lm_free(t->v);
    lm_free(t);
}

size_t lm_web_sessions_count(const lm_web_sessions *t) { return (size_t)t->n; }

/* 128 random bits: a session id must not be guessable by another page. */
static void new_session_id(const lm_web_sessions *t, char out[LM_WEB_SESSION_ID_MAX + 1]) {
    unsigned char r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t k = getrandom(r + got, sizeof r - got, 0);
        if (k > 0) got += (size_t)k;
        else if (errno != EINTR) break;
    }
    if (got < sizeof r) { /* no kernel randomness: still unique within this worker */
        static uint64_t fallback;
        uint64_t x = ++fallback ^ (uint64_t)getpid() << 32 ^ (uint64_t)(lm_now() * 1e9);
        memcpy(r, &x, sizeof x);
        memcpy(r + 8, &x, sizeof x);
    }
    int k = snprintf(out, LM_WEB_SESSION_ID_MAX + 1, "%s", t->prefix);
    for (size_t i = 0; i < sizeof r && k + 2 <= LM_WEB_SESSION_ID_MAX; i++, k += 2)
        snprintf(out + k, 3, "%02x", r[i]);
}

typedef struct emit_state {
    lm_buf *out;
    size_t start;
    int count;
    bool truncated;
} emit_state;

static void emit_result(void *ud, const lm_output *o) {
    emit_state *st = ud;
    if (st->truncated) return;
    if (st->out->len - st->start > LM_WEB_MAX_OUTPUT) {
        st->truncated = true;
        lm_buf_printf(st->out,
                      "%s{\"ok\":false,\"error\":{\"kind\":\"limit\",\"message\":\"the program printed more than %u MiB; "
                      "the rest of its output was dropped (end statements with ; to print less)\"}}",
                      st->count ? "," : "", LM_WEB_MAX_OUTPUT >> 20);
        return;
    }
    if (st->count++) lm_buf_putc(st->out, ',');
    lm_output_json(o, st->out);
}

void lm_web_sessions_eval(lm_web_sessions *t, const char *sid, const char *program, size_t len, lm_buf *out) {
    double now = lm_now();
    for (int i = t->n - 1; i >= 0; i--)
        if (now - t->v[i].last_used > t->idle) drop_session(t, i);
    int found = -1;
    if (sid && *sid)
        for (int i = 0; i < t->n && found < 0; i++)
            if (strcmp(t->v[i].id, sid) == 0) found = i;
    bool expired = sid && *sid && found < 0;
    if (found < 0) {
        if (t->n == t->cap) { /* full: the least recently used session goes */
            int lru = 0;
            for (int i = 1; i < t->n; i++)
                if (t->v[i].last_used < t->v[lru].last_used) lru = i;
            drop_session(t, lru);
        }
        found = t->n++;
        web_session *ws = &t->v[found];
        new_session_id(t, ws->id);
        ws->s = lm_session_new();
        lm_session_set_sandbox(ws->s, true);
    }
    web_session *ws = &t->v[found];
    ws->last_used = now;
    lm_session_set_limits(ws->s, 0, t->time_limit);

    lm_buf_printf(out, "{\"session\":\"%s\",\"expired\":%s,\"results\":[", ws->id, expired ? "true" : "false");
    emit_state st = {out, out->len, 0, false};
    lm_eval_opts opts = {"<cell>", emit_result, &st};
    lm_eval(ws->s, program, len, &opts);
    lm_buf_puts(out, "]}");
    ws->last_used = lm_now();
}

/* ---- checking an answer ---- */

enum { JOB_EVAL, JOB_CHECK };

static void check_reply(lm_buf *out, int verdict, const char *feedback, const char *misconception) {
    json_t *j = json_pack("{s:i, s:s, s:s?}", "verdict", verdict, "feedback", feedback ? feedback : "", "misconception",
                          misconception);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (text) lm_buf_puts(out, text);
    else lm_buf_puts(out, "{\"verdict\":2,\"feedback\":\"the answer could not be checked\",\"misconception\":null}");
    free(text);
    json_decref(j);
}

void lm_web_check_answer(const char *skill, uint64_t seed, int difficulty, const char *answer, lm_buf *out) {
    lm_problem p;
    lm_err err = LM_ERR_INIT;
    memset(&p, 0, sizeof p);
    if (!lm_problem_generate(skill, seed, difficulty, &p, &err)) {
        check_reply(out, LM_VERDICT_UNPARSED, err.msg ? err.msg : "the problem could not be made", NULL);
        lm_err_clear(&err);
        lm_problem_free(&p);
        return;
    }
    lm_verdict v;
    lm_check_answer(&p.spec, answer, &v);
    check_reply(out, (int)v.kind, v.feedback, v.misconception);
    lm_verdict_free(&v);
    lm_problem_free(&p);
}

/* a = "skill seed difficulty", as the server writes it */
static void check_job(const char *a, const char *answer, lm_buf *out) {
    char skill[128];
    uint64_t seed = 0;
    int difficulty = 1;
    if (sscanf(a, "%127s %" SCNu64 " %d", skill, &seed, &difficulty) != 3) {
        check_reply(out, LM_VERDICT_UNPARSED, "the answer could not be checked (a malformed request)", NULL);
        return;
    }
    lm_web_check_answer(skill, seed, difficulty, answer, out);
}

/* ---- the pipe protocol ---- */

/* Writes every part in as few system calls as the socket allows: one frame is
 * usually one writev, which keeps a small evaluation's round trip short. */
static bool write_parts(int fd, struct iovec *iov, int n) {
    while (n > 0) {
        ssize_t k = writev(fd, iov, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        while (n > 0 && (size_t)k >= iov->iov_len) {
            k -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
    return true;
}

/* Reads exactly n bytes, waiting at most until `deadline` (lm_now seconds; 0 =
 * forever). False on end of file, error or timeout. */
static bool read_all(int fd, void *data, size_t n, double deadline) {
    char *p = data;
    while (n) {
        if (deadline > 0) {
            double left = deadline - lm_now();
            if (left <= 0) return false;
            struct pollfd pfd = {fd, POLLIN, 0};
            int r = poll(&pfd, 1, (int)(left * 1000) + 1);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
        }
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

LM_NORETURN static void worker_main(int fd, const lm_web_config *cfg, const char *prefix) {
    lm_web_sessions *t = lm_web_sessions_new(cfg, prefix);
    lm_buf out = LM_BUF_INIT;
    char *sid = NULL, *prog = NULL;
    for (;;) {
        uint32_t hdr[3]; /* kind, a_len, b_len */
        if (!read_all(fd, hdr, sizeof hdr, 0)) break;
        if (hdr[0] > JOB_CHECK || hdr[1] > 256 || hdr[2] > LM_WEB_MAX_BODY) break;
        sid = lm_realloc(sid, hdr[1] + 1);
        prog = lm_realloc(prog, hdr[2] + 1);
        if (!read_all(fd, sid, hdr[1], 0) || !read_all(fd, prog, hdr[2], 0)) break;
        sid[hdr[1]] = '\0';
        prog[hdr[2]] = '\0';
        lm_buf_reset(&out);
        if (hdr[0] == JOB_CHECK) check_job(sid, prog, &out);
        else lm_web_sessions_eval(t, sid, prog, hdr[2], &out);
        uint32_t n = (uint32_t)out.len;
        struct iovec iov[2] = {{&n, sizeof n}, {out.s, out.len}};
        if (!write_parts(fd, iov, 2)) break;
    }
    /* The server closed its end: it is shutting down or replacing this worker. */
    lm_free(sid);
    lm_free(prog);
    lm_buf_free(&out);
    lm_web_sessions_free(t);
    _exit(0);
}

/* ---- the server side ---- */

typedef struct web_worker {
    pthread_mutex_t mu;  /* held for a whole request: one program at a time */
    int slot;
    unsigned gen;        /* bumped each time the process is replaced */
    pid_t pid;           /* 0: not running (inline or not yet started) */
    int fd;
    bool busy;
    bool niced;          /* running at low priority after a long request */
    lm_web_sessions *inline_sessions; /* workers = 0: evaluation in this process */
} web_worker;

struct lm_web_pool {
    lm_web_config cfg;
    web_worker *w;
    int n;
    bool inline_eval;
    unsigned next; /* round robin start for requests without a session */
    pthread_mutex_t next_mu;
};

static void worker_prefix(const web_worker *w, char out[24]) { snprintf(out, 24, "w%dg%u-", w->slot, w->gen); }

static void worker_stop(web_worker *w) {
    if (w->pid <= 0) return;
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    close(w->fd);
    w->pid = 0;
    w->fd = -1;
}

static bool worker_start(lm_web_pool *p, web_worker *w) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
    char prefix[24];
    worker_prefix(w, prefix);
    /* Flushed now so the child never writes the parent's buffered output again. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return false;
    }
    if (pid == 0) {
        /* The worker must not hold the listening socket or another worker's
         * pipe open. It ends when the server's end of its socket closes, which
         * also happens when the server dies (PR_SET_PDEATHSIG would not do: it
         * fires when the forking *thread* ends, and a connection's thread may
         * be the one that replaces a worker). */
        signal(SIGINT, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        for (int fd = 3; fd < 1024; fd++)
            if (fd != sv[1]) close(fd);
#ifndef LM_WEB_ASAN /* ASan reserves terabytes of address space for its shadow memory */
        if (p->cfg.memory_limit_mb) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = (rlim_t)p->cfg.memory_limit_mb << 20;
            setrlimit(RLIMIT_AS, &rl);
        }
#endif
        worker_main(sv[1], &p->cfg, prefix);
    }
    close(sv[1]);
    w->pid = pid;
    w->fd = sv[0];
    w->niced = false;
    return true;
}

lm_web_pool *lm_web_pool_new(const lm_web_config *cfg, lm_err *err) {
    lm_web_pool *p = lm_calloc(1, sizeof *p);
    p->cfg = *cfg;
    p->inline_eval = cfg->workers <= 0;
    p->n = p->inline_eval ? 1 : cfg->workers;
    p->w = lm_calloc((size_t)p->n, sizeof *p->w);
    pthread_mutex_init(&p->next_mu, NULL);
    for (int i = 0; i < p->n; i++) {
        web_worker *w = &p->w[i];
        pthread_mutex_init(&w->mu, NULL);
        w->slot = i;
        w->fd = -1;
        if (p->inline_eval) {
            char prefix[24];
            worker_prefix(w, prefix);
            w->inline_sessions = lm_web_sessions_new(cfg, prefix);
        } else if (!worker_start(p, w)) {
            lm_err_set(err, LM_ERR_IO, "cannot start an evaluation worker: %s", strerror(errno));
            lm_web_pool_free(p);
            return NULL;
        }
    }
    return p;
}

void lm_web_pool_free(lm_web_pool *p) {
    if (!p) return;
    for (int i = 0; i < p->n; i++) {
        worker_stop(&p->w[i]);
        lm_web_sessions_free(p->w[i].inline_sessions);
        pthread_mutex_destroy(&p->w[i].mu);
    }
    pthread_mutex_destroy(&p->next_mu);
    lm_free(p->w);
    lm_free(p);
}

void lm_web_pool_load(lm_web_pool *p, int *busy, int *total) {
    int b = 0;
    for (int i = 0; i < p->n; i++) b += __atomic_load_n(&p->w[i].busy, __ATOMIC_RELAXED);
    *busy = b;
    *total = p->n;
}

/* The worker a session lives on, from its id "w<slot>g<gen>-...", or -1. */
static int session_slot(const lm_web_pool *p, const char *sid) {
    if (!sid || sid[0] != 'w') return -1;
    char *end;
    long slot = strtol(sid + 1, &end, 10);
    if (end == sid + 1 || *end != 'g' || slot < 0 || slot >= p->n) return -1;
    return (int)slot;
}

static web_worker *acquire(lm_web_pool *p, const char *sid) {
    int slot = session_slot(p, sid);
    if (slot >= 0) {
        pthread_mutex_lock(&p->w[slot].mu);
        return &p->w[slot];
    }
    pthread_mutex_lock(&p->next_mu);
    unsigned start = p->next++;
    pthread_mutex_unlock(&p->next_mu);
    for (int k = 0; k < p->n; k++) {
        web_worker *w = &p->w[(start + (unsigned)k) % (unsigned)p->n];
        if (pthread_mutex_trylock(&w->mu) == 0) return w;
    }
    web_worker *w = &p->w[start % (unsigned)p->n];
    pthread_mutex_lock(&w->mu);
    return w;
}

static void limit_response(lm_buf *out, const char *sid, const lm_web_config *cfg) {
    lm_buf_reset(out);
    /* sid is echoed only when it is a plain id: it goes into JSON unescaped */
    bool plain = sid && strlen(sid) <= LM_WEB_SESSION_ID_MAX;
    for (const char *c = sid; plain && *c; c++) plain = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || *c == '-';
    lm_buf_printf(out,
                  "{\"session\":\"%s\",\"expired\":false,\"results\":[{\"ok\":false,\"error\":{\"kind\":\"limit\","
                  "\"message\":\"the program was stopped: it ran past the server's limit of %g seconds or %zu MiB of "
                  "memory. Its workspace was lost, so the next run starts a fresh session\"}}]}",
                  plain ? sid : "", cfg->hard_limit, cfg->memory_limit_mb);
}

/* Runs one job on the worker w (its mutex held) and appends the worker's
 * reply to out; false when the worker did not answer by the hard deadline
 * (or died), in which case it has been killed and replaced. */
static bool worker_job(lm_web_pool *p, web_worker *w, uint32_t kind, const char *a, size_t alen, const char *b,
                       size_t blen, lm_buf *out) {
    bool ok = w->pid > 0 || worker_start(p, w);
    uint32_t hdr[3] = {kind, (uint32_t)alen, (uint32_t)(blen > LM_WEB_MAX_BODY ? LM_WEB_MAX_BODY : blen)};
    struct iovec iov[3] = {{hdr, sizeof hdr}, {(void *)(alen ? a : ""), alen}, {(void *)b, hdr[2]}};
    ok = ok && write_parts(w->fd, iov, 3);
    uint32_t n = 0;
    double deadline = lm_now() + p->cfg.hard_limit;
    /* A program still running after 50 ms is a long one: it yields the CPU to
     * the quick requests of other notebooks (a nicer worker), so that one
     * runaway does not stretch everyone's latency on a small machine. */
    struct pollfd pfd = {w->fd, POLLIN, 0};
    if (ok && !w->niced && poll(&pfd, 1, 50) == 0) w->niced = setpriority(PRIO_PROCESS, (id_t)w->pid, 10) == 0;
    ok = ok && read_all(w->fd, &n, sizeof n, deadline);
    if (ok) {
        char *tmp = lm_alloc_big(n ? n : 1); /* NULL when out of memory: treated as a lost worker */
        ok = tmp && read_all(w->fd, tmp, n, deadline);
        if (ok) lm_buf_put(out, tmp, n);
        lm_free(tmp);
    }
    /* back to normal priority; without the privilege to raise it again (not
     * root), the worker stays nice until it is replaced */
    if (ok && w->niced && setpriority(PRIO_PROCESS, (id_t)w->pid, 0) == 0) w->niced = false;
    if (!ok) {
        worker_stop(w);
        w->gen++;
        worker_start(p, w); /* failure here is retried by the next request */
    }
    return ok;
}

void lm_web_pool_eval(lm_web_pool *p, const char *sid, const char *program, size_t len, lm_buf *out) {
    web_worker *w = acquire(p, sid);
    __atomic_store_n(&w->busy, true, __ATOMIC_RELAXED);
    if (p->inline_eval) {
        lm_web_sessions_eval(w->inline_sessions, sid, program, len, out);
    } else {
        size_t sidlen = sid ? strlen(sid) : 0;
        if (sidlen > LM_WEB_SESSION_ID_MAX) sidlen = 0; /* not one of ours: a fresh session, marked expired below */
        if (!worker_job(p, w, JOB_EVAL, sid, sidlen, program, len, out)) limit_response(out, sid, &p->cfg);
    }
    __atomic_store_n(&w->busy, false, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&w->mu);
}

void lm_web_pool_check(lm_web_pool *p, const char *skill, uint64_t seed, int difficulty, const char *answer,
                       lm_buf *out) {
    if (p->inline_eval) {
        lm_web_check_answer(skill, seed, difficulty, answer, out);
        return;
    }
    char job[200];
    snprintf(job, sizeof job, "%.127s %" PRIu64 " %d", skill, seed, difficulty);
    web_worker *w = acquire(p, NULL);
    __atomic_store_n(&w->busy, true, __ATOMIC_RELAXED);
    size_t before = out->len;
    if (!worker_job(p, w, JOB_CHECK, job, strlen(job), answer, strlen(answer), out)) {
        out->len = before;
        check_reply(out, LM_VERDICT_UNPARSED,
                    "Your answer could not be checked: working it out went past the server's limit. Type a simpler "
                    "form.",
                    NULL);
    }
    __atomic_store_n(&w->busy, false, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&w->mu);
}
