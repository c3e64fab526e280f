/* Memory and growable strings. Small allocations abort on exhaustion (lm_oom);
 * user-sized ones go through lm_alloc_big so the caller can report a limit. */
#include "lemma/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void lm_oom(void) {
    fputs("lemma: out of memory\n", stderr);
    abort();
}

void *lm_alloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) lm_oom();
    return p;
}

void *lm_calloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) lm_oom();
    return p;
}

void *lm_realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) lm_oom();
    return q;
}

void *lm_alloc_big(size_t n) { return malloc(n ? n : 1); }

void lm_free(void *p) { free(p); }

char *lm_strndup(const char *s, size_t n) {
    char *d = lm_alloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *lm_strdup(const char *s) { return lm_strndup(s, strlen(s)); }

static void buf_reserve(lm_buf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->s = lm_realloc(b->s, cap);
    b->cap = cap;
}

void lm_buf_put(lm_buf *b, const char *s, size_t n) {
    buf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void lm_buf_putc(lm_buf *b, char c) { lm_buf_put(b, &c, 1); }
void lm_buf_puts(lm_buf *b, const char *s) { lm_buf_put(b, s, strlen(s)); }

void lm_buf_vprintf(lm_buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        lm_buf_put(b, small, (size_t)n);
    } else {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void lm_buf_printf(lm_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void lm_buf_reset(lm_buf *b) {
    b->len = 0;
    if (b->s) b->s[0] = '\0';
}

char *lm_buf_steal(lm_buf *b) {
    char *s = b->s ? b->s : lm_strdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *lm_buf_cstr(const lm_buf *b) { return b->s ? b->s : ""; }

void lm_buf_free(lm_buf *b) {
    lm_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

bool lm_make_dirs(char *path) {
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        int rc = mkdir(path, 0700);
        int e = errno;
        *p = c;
        if (rc != 0 && e != EEXIST) return false;
        if (c == '\0') break;
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *lm_find_shipped(const char *relpath) {
    if (!relpath || relpath[0] == '/') return NULL;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    lm_buf path = LM_BUF_INIT;
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash) break;
        *slash = '\0';
        lm_buf_reset(&path);
        lm_buf_printf(&path, "%s/%s", exe, relpath);
        if (access(lm_buf_cstr(&path), R_OK) == 0) return lm_buf_steal(&path);
    }
    lm_buf_free(&path);
    return NULL;
}
