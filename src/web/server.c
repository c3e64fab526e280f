/* The listener behind `lemma serve`: libmicrohttpd, one thread per connection.
 *
 * A thread per connection because an evaluation blocks its thread until the
 * worker answers: with a shared event loop one runaway program would stall
 * /healthz and every other client. The connection limit bounds the threads.
 * Everything about what to answer is in api.c; this file moves bytes. */
/* realpath, getrandom, prctl: glibc's wider set beside POSIX */
#define _DEFAULT_SOURCE

#include "web/web.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNECTIONS 128
#define MAX_URI 8192

typedef struct conn_state {
    char *uri;        /* the raw request target, for its query string */
    lm_buf body;
    bool started;
    bool too_large;
} conn_state;

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *con) {
    (void)cls;
    (void)con;
    conn_state *st = lm_calloc(1, sizeof *st);
    st->uri = lm_strndup(uri ? uri : "", uri ? strnlen(uri, MAX_URI) : 0);
    return st;
}

static void completed(void *cls, struct MHD_Connection *con, void **req_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)con;
    (void)toe;
    conn_state *st = *req_cls;
    if (!st) return;
    lm_free(st->uri);
    lm_buf_free(&st->body);
    lm_free(st);
    *req_cls = NULL;
}

static enum MHD_Result send_response(struct MHD_Connection *con, const lm_web_response *res) {
    struct MHD_Response *r = MHD_create_response_from_buffer(res->body.len, res->body.s, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    if (res->content_type) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    if (res->allow) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, res->cacheable ? "max-age=3600" : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    /* Only our own scripts run; KaTeX sets inline styles; plots are inline SVG. */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                            "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **req_cls) {
    (void)version;
    lm_web *w = cls;
    conn_state *st = *req_cls;
    if (!st) return MHD_NO; /* the URI logger always sets it */
    lm_web_request req = {0};
    req.method = method;
    req.path = url;
    req.origin = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
    req.host = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!st->started) {
        st->started = true;
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > LM_WEB_MAX_BODY) {
            /* refused before the body is read: MHD closes the connection after */
            req.body_too_large = true;
            lm_web_response res;
            lm_web_handle(w, &req, &res);
            enum MHD_Result ret = send_response(con, &res);
            lm_web_response_free(&res);
            return ret;
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (st->body.len + *upload_data_size > LM_WEB_MAX_BODY) st->too_large = true; /* chunked: read and dropped */
        else lm_buf_put(&st->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    const char *q = strchr(st->uri, '?');
    req.query = q ? q + 1 : NULL;
    req.body = st->body.s;
    req.body_len = st->body.len;
    req.body_too_large = st->too_large;
    lm_web_response res;
    lm_web_handle(w, &req, &res);
    enum MHD_Result ret = send_response(con, &res);
    lm_web_response_free(&res);
    return ret;
}

static bool is_loopback_addr(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        static const unsigned char lo[16] = {[15] = 1};
        return memcmp(a, lo, 16) == 0;
    }
    return false;
}

/* A listening socket on host:port, or -1 after saying why on stderr. */
static int listen_on(const lm_web_config *cfg, int *port_out, bool *v6) {
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char port[16];
    snprintf(port, sizeof port, "%d", cfg->port);
    int rc = getaddrinfo(cfg->host, port, &hints, &ai);
    if (rc != 0 || !ai) {
        fprintf(stderr, "lemma serve: cannot use the address \"%s\": %s\n", cfg->host, gai_strerror(rc));
        return -1;
    }
    if (!is_loopback_addr(ai->ai_addr) && !cfg->public_ok) {
        fprintf(stderr,
                "lemma serve: \"%s\" is not a loopback address, so anyone on the network could run programs and read "
                "your progress here; add --public if that is what you want\n",
                cfg->host);
        freeaddrinfo(ai);
        return -1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        int e = errno;
        fprintf(stderr, "lemma serve: cannot listen on %s port %d: %s%s\n", cfg->host, cfg->port, strerror(e),
                e == EADDRINUSE ? " (another program uses it; pick another with --port)" : "");
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

int lm_web_serve(const lm_web_config *cfg) {
    signal(SIGPIPE, SIG_IGN);
    int port = 0;
    bool v6 = false;
    int fd = listen_on(cfg, &port, &v6);
    if (fd < 0) return 1;
    /* The workers are forked here, before any thread exists. */
    lm_err err = LM_ERR_INIT;
    lm_web *w = lm_web_new(cfg, port, &err);
    if (!w) {
        fprintf(stderr, "lemma serve: %s\n", err.msg ? err.msg : "cannot start");
        lm_err_clear(&err);
        close(fd);
        return 1;
    }
    if (!lm_web_root(w))
        fprintf(stderr, "lemma serve: the web UI's files were not found beside the program; the API works, pages do "
                        "not (set LEMMA_WEB_ROOT to the web/ folder)\n");
    /* SIGINT and SIGTERM are taken by sigwait below, in this thread only. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                     (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, w, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK, uri_logger,
        NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, cfg->client_timeout,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "lemma serve: the HTTP server did not start\n");
        lm_web_free(w);
        close(fd);
        return 1;
    }
    bool v6host = strchr(cfg->host, ':') != NULL;
    printf("lemma serve: http://%s%s%s:%d/  (Ctrl-C to stop)\n", v6host ? "[" : "", cfg->host, v6host ? "]" : "", port);
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "lemma serve: stopping\n");
    MHD_stop_daemon(d); /* closes the listening socket too */
    lm_web_free(w);
    return 0;
}
