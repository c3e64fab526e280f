/* End-to-end test of the REPL: runs the real `lemma` on a pseudo-terminal
 * (forkpty) with a fresh HOME and XDG_STATE_HOME, types at it as a person would
 * and checks what comes back, escape sequences stripped. Every wait has a
 * deadline, so a wedged REPL fails the test instead of hanging it.
 * Usage: e2e_test_repl /path/to/lemma */

#define _DEFAULT_SOURCE /* forkpty, struct winsize */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 5000    /* per expectation */
#define TOTAL_SECONDS 180 /* the whole run, a last resort */

typedef struct term {
    int fd;
    pid_t pid;
    char *text;      /* everything printed so far, escape sequences removed */
    size_t len, cap;
    size_t mark;     /* expectations look from here on */
    int esc;         /* escape-sequence state, carried across reads */
    bool eof;        /* the pty closed: the program exited */
    bool reaped;
    int status;      /* wait status, once reaped */
} term;

static int g_passed, g_failed;
static pid_t g_child; /* for the watchdog */

/* ---- results ---------------------------------------------------------------------- */

static void report(bool ok, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", ok ? "ok" : "not ok", g_passed + g_failed + 1);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (ok)
        g_passed++;
    else
        g_failed++;
}

/* Shows what the screen had after the mark, to see why an expectation failed. */
static void show_tail(const term *t) {
    size_t from = t->mark, n = t->len - from;
    if (n > 600) from = t->len - 600;
    printf("#   got: \"");
    for (size_t i = from; i < t->len; i++) {
        unsigned char c = (unsigned char)t->text[i];
        if (c == '\n')
            printf("\\n");
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    printf("\"\n");
}

/* ---- the screen ------------------------------------------------------------------- */

static void append(term *t, char c) {
    if (t->len + 1 >= t->cap) {
        t->cap = t->cap ? 2 * t->cap : 4096;
        t->text = realloc(t->text, t->cap);
        if (!t->text) {
            perror("realloc");
            exit(2);
        }
    }
    t->text[t->len++] = c;
    t->text[t->len] = '\0';
}

/* Drops ANSI escape sequences (CSI, OSC and friends, two-byte escapes), carriage
 * returns, bells and backspaces, keeping the text a person would read. */
static void feed(term *t, const char *buf, size_t n) {
    enum { TEXT, ESC, CSI, STR, STR_ESC, ONE_MORE };
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        switch (t->esc) {
        case TEXT:
            if (c == 0x1b)
                t->esc = ESC;
            else if (c != '\r' && c != '\a' && c != '\b')
                append(t, (char)c);
            break;
        case ESC:
            if (c == '[')
                t->esc = CSI;
            else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
                t->esc = STR;
            else if (c == '(' || c == ')' || c == '*' || c == '+' || c == '#' || c == '%')
                t->esc = ONE_MORE;
            else
                t->esc = TEXT;
            break;
        case CSI:
            if (c >= 0x40 && c <= 0x7e) t->esc = TEXT;
            break;
        case STR:
            if (c == '\a')
                t->esc = TEXT;
            else if (c == 0x1b)
                t->esc = STR_ESC;
            break;
        case STR_ESC:
            t->esc = c == '\\' ? TEXT : STR;
            break;
        default:
            t->esc = TEXT;
            break;
        }
    }
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads whatever arrives until `deadline` (ms) or the first chunk, whichever
 * comes first. Returns false once nothing more can come. */
static bool pump(term *t, long long deadline) {
    if (t->eof) return false;
    long long left = deadline - now_ms();
    if (left < 0) left = 0;
    struct pollfd p = {t->fd, POLLIN, 0};
    int n = poll(&p, 1, (int)left);
    if (n < 0) return errno == EINTR;
    if (n == 0) return true;
    char buf[4096];
    ssize_t got = read(t->fd, buf, sizeof buf);
    if (got > 0) {
        feed(t, buf, (size_t)got);
        return true;
    }
    if (got < 0 && errno == EINTR) return true;
    t->eof = true; /* EIO: the other side closed */
    return false;
}

/* A matcher looks at text[from..len) and returns the offset just past a match,
 * or 0 when there is none yet. */
typedef size_t (*matcher)(const term *t, size_t from, const char *arg);

static size_t match_text(const term *t, size_t from, const char *arg) {
    const char *hit = strstr(t->text + from, arg);
    return hit ? (size_t)(hit - t->text) + strlen(arg) : 0;
}

/* Visits each complete line (ended by '\n') in text[from..to), trailing blanks
 * trimmed; returns the offset past the first one `want` accepts, or 0. */
static size_t find_line(const term *t, size_t from, size_t to, const char *arg,
                        bool (*want)(const char *line, size_t n, const char *arg)) {
    size_t start = from;
    for (size_t i = from; i < to; i++) {
        if (t->text[i] != '\n') continue;
        size_t n = i - start;
        while (n > 0 && (t->text[start + n - 1] == ' ' || t->text[start + n - 1] == '\t')) n--;
        if (want(t->text + start, n, arg)) return i + 1;
        start = i + 1;
    }
    return 0;
}

static bool line_is(const char *line, size_t n, const char *arg) {
    return n == strlen(arg) && memcmp(line, arg, n) == 0;
}

/* The value of an expression: "6" alone on its line, or "ans = 6". */
static bool line_is_value(const char *line, size_t n, const char *arg) {
    while (n > 0 && *line == ' ') line++, n--;
    if (n >= 6 && memcmp(line, "ans = ", 6) == 0) line += 6, n -= 6;
    return line_is(line, n, arg);
}

/* A caret line: blanks, then one or more '^'. */
static bool line_is_caret(const char *line, size_t n, const char *arg) {
    size_t i = 0;
    while (i < n && line[i] == ' ') i++;
    if (i == n || line[i] != '^') return false;
    while (i < n && line[i] == '^') i++;
    return i == n;
}

static size_t match_line(const term *t, size_t from, const char *arg) {
    return find_line(t, from, t->len, arg, line_is);
}
static size_t match_value(const term *t, size_t from, const char *arg) {
    return find_line(t, from, t->len, arg, line_is_value);
}
static size_t match_caret(const term *t, size_t from, const char *arg) {
    return find_line(t, from, t->len, arg, line_is_caret);
}

/* Waits up to WAIT_MS for `m` to match after the mark; on success the mark
 * moves past the match. Reports the result either way. */
static bool expect(term *t, matcher m, const char *arg, const char *what) {
    long long deadline = now_ms() + WAIT_MS;
    for (;;) {
        size_t end = m(t, t->mark, arg);
        if (end) {
            t->mark = end;
            report(true, "%s", what);
            return true;
        }
        if (now_ms() >= deadline || !pump(t, deadline)) break;
    }
    /* one last look at anything that came with the end of input */
    size_t end = m(t, t->mark, arg);
    if (end) {
        t->mark = end;
        report(true, "%s", what);
        return true;
    }
    report(false, "%s", what);
    printf("#   expected: \"%s\"%s\n", arg, t->eof ? " (the program exited)" : "");
    show_tail(t);
    t->mark = t->len; /* don't let one failure cascade into the next checks */
    return false;
}

/* No line in text[from..mark) shows the value `arg`. */
static void expect_no_value(term *t, size_t from, const char *arg, const char *what) {
    report(find_line(t, from, t->mark, arg, line_is_value) == 0, "%s", what);
}

static void send(term *t, const char *keys) {
    size_t n = strlen(keys);
    while (n > 0) {
        ssize_t w = write(t->fd, keys, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return; /* the program is gone; the next expectation says so */
        }
        keys += w;
        n -= (size_t)w;
    }
}

/* Sends a command and waits for the prompt that follows its output. */
static void prompt_after(term *t, const char *what) { expect(t, match_text, ">> ", what); }

/* ---- the program -------------------------------------------------------------------- */

static bool spawn(term *t, const char *lemma, const char *home, const char *state) {
    memset(t, 0, sizeof *t);
    struct winsize ws = {24, 80, 0, 0};
    pid_t pid = forkpty(&t->fd, NULL, NULL, &ws);
    if (pid < 0) {
        perror("forkpty");
        return false;
    }
    if (pid == 0) {
        setenv("HOME", home, 1);
        setenv("XDG_STATE_HOME", state, 1);
        setenv("TERM", "xterm", 1);
        setenv("INPUTRC", "/dev/null", 1); /* no local key bindings */
        setenv("LC_ALL", "C.UTF-8", 1);
        unsetenv("LINES");
        unsetenv("COLUMNS");
        execl(lemma, lemma, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", lemma, strerror(errno));
        _exit(127);
    }
    t->pid = g_child = pid;
    append(t, '\n'); /* so the first line counts as a line too */
    t->mark = 0;
    return true;
}

/* Waits for the program to exit, draining its output meanwhile. */
static bool wait_exit(term *t) {
    long long deadline = now_ms() + WAIT_MS;
    while (now_ms() < deadline) {
        pid_t w = waitpid(t->pid, &t->status, WNOHANG);
        if (w == t->pid) {
            t->reaped = true;
            while (pump(t, now_ms())) {
                if (t->eof) break;
                struct pollfd p = {t->fd, POLLIN, 0};
                if (poll(&p, 1, 0) <= 0) break;
            }
            return true;
        }
        if (!pump(t, deadline > now_ms() + 50 ? now_ms() + 50 : deadline)) usleep(20000);
    }
    return false;
}

static void finish(term *t) {
    if (!t->reaped) {
        kill(t->pid, SIGKILL);
        waitpid(t->pid, &t->status, 0);
        t->reaped = true;
    }
    close(t->fd);
    free(t->text);
    g_child = 0;
}

static void on_alarm(int sig) {
    static const char msg[] = "not ok - the whole test ran out of time\n";
    if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    if (g_child > 0) kill(g_child, SIGKILL);
    _exit(1);
}

/* ---- files -------------------------------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(s, cap *= 2);
            if (!bigger) free(s);
            s = bigger;
        }
    }
    fclose(f);
    if (s) s[len] = '\0';
    return s;
}

static void remove_tree(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
                char sub[4096];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* ---- the checks ----------------------------------------------------------------------- */

static void first_session(const char *lemma, const char *home, const char *state) {
    term t;
    if (!spawn(&t, lemma, home, state)) {
        report(false, "start %s", lemma);
        return;
    }
    expect(&t, match_text, "type help for a tour, Ctrl-D to quit", "banner");
    prompt_after(&t, "first prompt");

    send(&t, "1+1\r");
    expect(&t, match_value, "2", "1+1 prints 2");
    prompt_after(&t, "prompt after 1+1");

    send(&t, "x = 3\r");
    expect(&t, match_line, "x = 3", "x = 3 echoes the assignment");
    prompt_after(&t, "prompt after x = 3");
    send(&t, "x * 2\r");
    expect(&t, match_value, "6", "x * 2 prints 6 (the session persists)");
    prompt_after(&t, "prompt after x * 2");

    send(&t, "function y = sq(x)\r");
    expect(&t, match_text, ".. ", "continuation prompt inside a function");
    send(&t, "y = x^2;\r");
    expect(&t, match_text, ".. ", "continuation prompt on the body");
    send(&t, "end\r");
    prompt_after(&t, "prompt after end");
    send(&t, "sq(4)\r");
    expect(&t, match_value, "16", "sq(4) calls the multi-line function");
    prompt_after(&t, "prompt after sq(4)");

    send(&t, "1 +* 2\r");
    expect(&t, match_text, "error", "a parse error is reported");
    expect(&t, match_caret, NULL, "with a caret line");
    prompt_after(&t, "prompt after the error");
    send(&t, "7\r");
    expect(&t, match_value, "7", "the REPL goes on after an error");
    prompt_after(&t, "prompt after 7");

    /* Ctrl-C in the middle of a line: wait for the echo first, because the
     * terminal discards unread typed-ahead input when it raises SIGINT. */
    size_t before = t.mark;
    send(&t, "99999 + 1");
    expect(&t, match_text, "99999 + 1", "typed text is echoed");
    send(&t, "\x03");
    prompt_after(&t, "Ctrl-C puts up a fresh prompt");
    send(&t, "2+3\r");
    expect(&t, match_value, "5", "the next command works after Ctrl-C");
    expect_no_value(&t, before, "100000", "the cancelled line was not run");
    prompt_after(&t, "prompt after 2+3");

    /* Ctrl-C inside an open block drops the whole block. */
    send(&t, "function z = g(x)\r");
    expect(&t, match_text, ".. ", "continuation prompt for a second function");
    send(&t, "\x03");
    prompt_after(&t, "Ctrl-C at the continuation prompt goes back to >>");
    send(&t, "3+4\r");
    expect(&t, match_value, "7", "the block was dropped, not continued");
    prompt_after(&t, "prompt after 3+4");

    /* Ctrl-C while computing stops the computation, not lemma. */
    send(&t, "while true; end\r");
    usleep(300 * 1000);
    send(&t, "\x03");
    expect(&t, match_text, "interrupted", "Ctrl-C stops a running loop");
    prompt_after(&t, "prompt after the interrupt");
    send(&t, "1+2\r");
    expect(&t, match_value, "3", "the session still works after the interrupt");
    prompt_after(&t, "prompt after 1+2");

    /* Tab completion: a builtin with a unique prefix, then a workspace name. */
    send(&t, "zero\t");
    expect(&t, match_text, "zeros", "Tab completes zero to zeros");
    send(&t, "(1, 2)\r");
    prompt_after(&t, "zeros(1, 2) runs");
    send(&t, "longvariablename = 5;\r");
    prompt_after(&t, "a semicolon hides the value");
    send(&t, "longvar\t");
    expect(&t, match_text, "longvariablename", "Tab completes a workspace variable");
    send(&t, " + 1\r");
    expect(&t, match_value, "6", "the completed name evaluates");
    prompt_after(&t, "prompt after the completed line");

    send(&t, "help\r");
    expect(&t, match_text, "Tab completes names", "help adds the REPL's keys to the overview");
    prompt_after(&t, "prompt after help");
    send(&t, "help zeros\r");
    expect(&t, match_text, "zeros(", "help NAME shows the signature");
    prompt_after(&t, "prompt after help zeros");

    send(&t, "\x04");
    bool exited = wait_exit(&t);
    report(exited && WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0, "Ctrl-D exits with status 0");
    if (exited && !(WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0))
        printf("#   wait status %d\n", t.status);
    finish(&t);
}

static void check_history(const char *state) {
    char path[4096];
    snprintf(path, sizeof path, "%s/lemma/history", state);
    char *h = read_file(path);
    report(h != NULL, "the history file exists");
    if (!h) return;
    report(strstr(h, "1+1\n") != NULL, "history holds 1+1");
    report(strstr(h, "x = 3\n") != NULL, "history holds x = 3");
    /* one entry: the three lines together, no timestamp line between them */
    report(strstr(h, "function y = sq(x)\ny = x^2;\nend\n") != NULL, "history keeps the block as one entry");
    report(strstr(h, "99999") == NULL, "history leaves out the cancelled line");
    struct stat st;
    report(stat(path, &st) == 0 && (st.st_mode & 077) == 0, "the history file is private");
    free(h);
}

/* A second run starts from the saved history: Ctrl-R finds the function block
 * and brings it back whole. */
static void second_session(const char *lemma, const char *home, const char *state) {
    term t;
    if (!spawn(&t, lemma, home, state)) {
        report(false, "start %s again", lemma);
        return;
    }
    expect(&t, match_text, "type help", "banner, second run");
    prompt_after(&t, "first prompt, second run");
    send(&t, "\x12" "sq(x)");
    expect(&t, match_text, "function y = sq(x)", "Ctrl-R finds the block in the saved history");
    send(&t, "\r");
    prompt_after(&t, "the recalled block runs as one input");
    send(&t, "sq(5)\r");
    expect(&t, match_value, "25", "the recalled function works");
    prompt_after(&t, "prompt after sq(5)");
    send(&t, "\x04");
    bool exited = wait_exit(&t);
    report(exited && WIFEXITED(t.status) && WEXITSTATUS(t.status) == 0, "Ctrl-D exits the second run");
    finish(&t);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s /path/to/lemma\n", argv[0]);
        return 2;
    }
    signal(SIGALRM, on_alarm);
    alarm(TOTAL_SECONDS);
    signal(SIGPIPE, SIG_IGN);

    char dir[] = "/tmp/lemma-e2e-repl-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    char home[256], state[256]; /* dir is short: these fit */
    snprintf(home, sizeof home, "%s/home", dir);
    snprintf(state, sizeof state, "%s/state", dir); /* lemma creates it */
    if (mkdir(home, 0700) != 0) {
        perror("mkdir");
        return 2;
    }

    first_session(argv[1], home, state);
    check_history(state);
    second_session(argv[1], home, state);

    printf("# %d passed, %d failed\n", g_passed, g_failed);
    if (g_failed == 0)
        remove_tree(dir);
    else
        printf("# left %s for a look\n", dir);
    return g_failed == 0 ? 0 : 1;
}
