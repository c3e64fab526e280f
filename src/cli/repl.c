/* The interactive REPL: GNU readline in callback mode around one persistent
 * session. Lines accumulate while lm_parse_status says the input is incomplete;
 * history persists across runs; Tab completes builtins and workspace names;
 * Ctrl-C cancels the line being typed or stops a running computation. */

#include "cli.h"

#include "lemma/lang.h"
#include "lemma/plot.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#ifndef LEMMA_VERSION
#define LEMMA_VERSION "0.1" /* CMake defines the real one */
#endif

#define PROMPT ">> "
#define CONT_PROMPT ".. "
#define HISTORY_MAX 1000 /* entries kept in the history file */

/* ---- signals ------------------------------------------------------------------
 * Handlers only set flags and wake the loop; the loop acts on them between keys.
 * These are file-static because a signal handler can reach nothing else.
 * g_sigint is also what the session's ctx->interrupt points at, so a running
 * computation notices Ctrl-C at its next lm_ctx_poll and stops with a `limit`
 * error.
 *
 * The handler may run on any thread: OpenBLAS starts worker threads before
 * main, and they don't block these signals, so a Ctrl-C that arrives while the
 * main thread has them blocked runs the handler on a worker and leaves the
 * main thread asleep in pselect. Hence the self-pipe: the handler writes a byte
 * to g_wake[1], and every wait for a key also waits on g_wake[0]. */

_Static_assert(_Generic((sig_atomic_t)0, int: 1, default: 0),
               "lm_ctx.interrupt is a volatile int *: it must be able to point at a sig_atomic_t");

static volatile sig_atomic_t g_sigint;       /* Ctrl-C was pressed */
static volatile sig_atomic_t g_winch;        /* the window was resized */
static volatile sig_atomic_t g_tstp;         /* Ctrl-Z while editing */
static volatile sig_atomic_t g_quit;         /* SIGTERM or SIGHUP while editing: its number */
static volatile sig_atomic_t g_busy;         /* a computation is running */
static volatile sig_atomic_t g_busy_presses; /* Ctrl-C presses during it */
static int g_wake[2] = {-1, -1};             /* the self-pipe; -1 when there is none */

/* SIGINT and SIGWINCH are ours for the whole session. The others are ours only
 * while editing, so that readline's raw terminal mode can be undone first; while
 * computing they get their old disposition back (Ctrl-Z suspends, kill kills). */
static const int k_signals[] = {SIGINT, SIGWINCH, SIGTSTP, SIGTERM, SIGHUP};
enum { NSIGNALS = sizeof k_signals / sizeof k_signals[0] };

static void on_signal(int sig) {
    int saved_errno = errno; /* the code we interrupted may be about to read it */
    if (sig == SIGINT) {
        g_sigint = 1;
        if (g_busy) {
            /* A computation that never polls (one huge BLAS call) would leave the
             * learner stuck: the third press in one computation quits. History is
             * already on disk and the terminal is in its normal mode then. */
            g_busy_presses++;
            if (g_busy_presses == 2) {
                static const char hint[] = "\n(still computing; press Ctrl-C again to quit lemma)\n";
                if (write(STDERR_FILENO, hint, sizeof hint - 1) < 0) {
                    /* nothing to do about it inside a handler */
                }
            } else if (g_busy_presses >= 3) {
                _exit(130);
            }
        }
    } else if (sig == SIGWINCH) {
        g_winch = 1;
    } else if (sig == SIGTSTP) {
        g_tstp = 1;
    } else {
        g_quit = sig;
    }
    if (g_wake[1] >= 0 && write(g_wake[1], "", 1) < 0) {
        /* full (already awake) or closed: either way nothing to do */
    }
    errno = saved_errno;
}

/* ---- state ----------------------------------------------------------------------- */

typedef struct repl {
    lm_session *s;
    lm_buf chunk;     /* the input so far: lines joined by '\n' */
    int nlines;       /* lines in chunk; > 0 means the continuation prompt */
    int blank_run;    /* consecutive blank continuation lines (for the hint) */
    bool hinted;      /* the hint was shown for this chunk */
    lm_buf out;       /* scratch for printing one output */
    bool at_bol;      /* the last thing printed ended its line */
    bool broke_line;  /* a new line was started after a ^C echo */
    char *line;       /* what the line handler received (readline's malloc) */
    bool got_line;    /* the line handler ran since the prompt went up */
    char *histpath;   /* NULL: no history file this session */
    /* completion candidates of the word being completed */
    const char **cands;
    size_t ncands, nextcand;
    char **names; /* workspace names that cands points into */
    size_t nnames;
    /* signals */
    struct sigaction sa, saved[NSIGNALS];
    bool ours[NSIGNALS];
    sigset_t handled;  /* the signals we installed handlers for */
    sigset_t oldmask;  /* the caller's mask, restored at the end */
    sigset_t waitmask; /* the mask while waiting for a key: ours open */
} repl;

/* readline's line handler and completion generator take no user-data pointer,
 * so they reach the session through this one; it is set only while
 * lm_cli_repl runs. */
static repl *g_repl;

static void signals_install(repl *r) {
    memset(&r->sa, 0, sizeof r->sa);
    r->sa.sa_handler = on_signal;
    sigemptyset(&r->sa.sa_mask);
    /* SA_RESTART: printing and file I/O carry on after a Ctrl-C. pselect, where
     * the loop waits for keys, is never restarted and returns EINTR anyway. */
    r->sa.sa_flags = SA_RESTART;
    sigemptyset(&r->handled);
    for (int i = 0; i < NSIGNALS; i++) {
        int sig = k_signals[i];
        sigaction(sig, NULL, &r->saved[i]);
        /* Respect a signal ignored by whoever started us (nohup, no job control). */
        r->ours[i] = sig == SIGINT || sig == SIGWINCH || r->saved[i].sa_handler != SIG_IGN;
        if (r->ours[i]) {
            sigaction(sig, &r->sa, NULL);
            sigaddset(&r->handled, sig);
        }
    }
    /* Blocked in this thread except inside pselect (which opens them
     * atomically, so a Ctrl-C can't slip in between checking the flags and
     * going to sleep) and while a computation runs. */
    sigprocmask(SIG_BLOCK, &r->handled, &r->oldmask);
    r->waitmask = r->oldmask;
    for (int i = 0; i < NSIGNALS; i++)
        if (r->ours[i]) sigdelset(&r->waitmask, k_signals[i]);
}

/* Without a pipe the REPL still works, except for a Ctrl-C handled by another
 * thread, which then waits for the next key. */
static void wake_open(void) {
    if (pipe(g_wake) != 0) {
        g_wake[0] = g_wake[1] = -1;
        return;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(g_wake[i], F_SETFL, fcntl(g_wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(g_wake[i], F_SETFD, FD_CLOEXEC);
    }
}

static void wake_close(void) {
    int fds[2] = {g_wake[0], g_wake[1]};
    g_wake[0] = g_wake[1] = -1;
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0) close(fds[i]);
}

static void signals_restore(repl *r) {
    for (int i = 0; i < NSIGNALS; i++)
        if (r->ours[i]) sigaction(k_signals[i], &r->saved[i], NULL);
    sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
    wake_close();
}

/* Sleeps until `fd` has input (1), a signal came in (0: the caller looks at the
 * flags) or something failed (-1). The signals are open only while asleep. */
static int wait_input(const repl *r, int fd) {
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fd, &set);
    int nfds = fd + 1;
    if (g_wake[0] >= 0) {
        FD_SET(g_wake[0], &set);
        if (g_wake[0] >= nfds) nfds = g_wake[0] + 1;
    }
    if (pselect(nfds, &set, NULL, NULL, NULL, &r->waitmask) < 0) return errno == EINTR ? 0 : -1;
    if (g_wake[0] >= 0 && FD_ISSET(g_wake[0], &set)) {
        char junk[64];
        while (read(g_wake[0], junk, sizeof junk) > 0) {
        }
        return 0;
    }
    return 1;
}

/* Around a computation: signals open, and job control and termination back to
 * their usual effect. */
static void signals_for_eval(repl *r, bool evaluating) {
    if (!evaluating) sigprocmask(SIG_BLOCK, &r->handled, NULL);
    for (int i = 0; i < NSIGNALS; i++) {
        int sig = k_signals[i];
        if (!r->ours[i] || sig == SIGINT || sig == SIGWINCH) continue;
        sigaction(sig, evaluating ? &r->saved[i] : &r->sa, NULL);
    }
    if (evaluating) sigprocmask(SIG_SETMASK, &r->waitmask, NULL);
}

/* Ctrl-Z while editing: give the terminal back, stop, and redraw on `fg`. */
static void suspend_self(void) {
    struct sigaction dfl, mine;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigset_t tstp;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);

    rl_cleanup_after_signal();
    sigaction(SIGTSTP, &dfl, &mine);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);
    raise(SIGTSTP); /* stopped here until the shell continues us */
    sigprocmask(SIG_BLOCK, &tstp, NULL);
    sigaction(SIGTSTP, &mine, NULL);
    rl_reset_after_signal();
    rl_forced_update_display();
}

/* ---- small text helpers ----------------------------------------------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

static const char *skip_space(const char *p) {
    while (is_space(*p)) p++;
    return p;
}

static bool is_blank(const char *s) { return *skip_space(s) == '\0'; }

static size_t ident_len(const char *p) {
    size_t n = 0;
    if (!is_ident_start(p[0])) return 0;
    while (is_ident_char(p[n])) n++;
    return n;
}

/* The rest of a command line: nothing, or a `;` and nothing. */
static bool at_end(const char *p) {
    p = skip_space(p);
    if (*p == ';') p = skip_space(p + 1);
    return *p == '\0';
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- output ------------------------------------------------------------------------- */

static void put_text(repl *r, const char *s, size_t n) {
    if (n == 0) return;
    fwrite(s, 1, n, stdout);
    fflush(stdout); /* a long computation shows its progress as it goes */
    r->at_bol = s[n - 1] == '\n';
}

/* The terminal echoes a Ctrl-C pressed during a computation as ^C wherever the
 * cursor is: what follows starts on a fresh line. */
static void break_after_ctrl_c(repl *r) {
    if (g_sigint && !r->broke_line) {
        put_text(r, "\n", 1);
        r->broke_line = true;
    }
}

static void emit_output(void *ud, const lm_output *o) {
    repl *r = ud;
    break_after_ctrl_c(r);
    lm_buf_reset(&r->out);
    lm_output_text(r->s, o, &r->out);
    put_text(r, lm_buf_cstr(&r->out), r->out.len);
    if (o->kind == LM_OUT_VALUE && o->value.kind == LM_PLOT) {
        /* a plot is drawn inline in braille, sized to the window */
        int rows = 24, cols = 80;
        rl_get_screen_size(&rows, &cols);
        if (cols > 120) cols = 120;
        if (cols < 20) cols = 20;
        int h = rows - 4 < 10 ? 10 : rows - 4 > 30 ? 30 : rows - 4;
        lm_buf_reset(&r->out);
        lm_plot_braille(o->value.u.obj, cols, h, true, &r->out);
        put_text(r, lm_buf_cstr(&r->out), r->out.len);
    }
}

static void say(repl *r, const char *fmt, ...) LM_PRINTF(2, 3);
static void say(repl *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_buf_reset(&r->out);
    lm_buf_vprintf(&r->out, fmt, ap);
    va_end(ap);
    put_text(r, lm_buf_cstr(&r->out), r->out.len);
}

/* ---- commands -------------------------------------------------------------------------- */

/* Keywords complete like names. The parser's list is in src/lang/lex.c. */
static const char *const k_keywords[] = {
    "function", "if", "elseif", "else", "for", "while", "end", "break", "continue", "return",
};
enum { NKEYWORDS = sizeof k_keywords / sizeof k_keywords[0] };

typedef enum command { CMD_NONE, CMD_QUIT, CMD_HELP } command;

/* The words the REPL treats specially, recognised only as a whole input:
 * `quit` and `exit` (a trailing `;` or `()` is fine), and a bare `help`. The
 * language answers `help` and `help NAME` itself, the same way everywhere;
 * the REPL only adds its keys to the overview. Anything else (`exit(1)`,
 * `quit = 2`) goes to the language, and so do these words once the learner
 * has bound them in the workspace. */
static command parse_command(repl *r, const char *src) {
    const char *p = skip_space(src);
    size_t n = ident_len(p);
    char word[8];
    if (n == 0 || n >= sizeof word) return CMD_NONE;
    memcpy(word, p, n);
    word[n] = '\0';
    bool is_help = strcmp(word, "help") == 0;
    bool is_quit = strcmp(word, "quit") == 0 || strcmp(word, "exit") == 0;
    if (!is_help && !is_quit) return CMD_NONE;
    if (!lm_is_nil(lm_session_get(r->s, word))) return CMD_NONE;
    p = skip_space(p + n);
    if (is_quit && p[0] == '(' && p[1] == ')') p += 2;
    if (!at_end(p)) return CMD_NONE;
    return is_quit ? CMD_QUIT : CMD_HELP;
}

/* ---- history --------------------------------------------------------------------------- */


/* $XDG_STATE_HOME/lemma/history, or ~/.local/state/lemma/history (a relative
 * XDG_STATE_HOME is invalid by the XDG spec and ignored). NULL when there is
 * nowhere to put it. Caller frees with lm_free. */
static char *history_path(void) {
    lm_buf b = LM_BUF_INIT;
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        lm_buf_printf(&b, "%s/lemma", xdg);
    else if (home && home[0] == '/')
        lm_buf_printf(&b, "%s/.local/state/lemma", home);
    else
        return NULL;
    if (!lm_make_dirs(b.s)) {
        lm_buf_free(&b);
        return NULL;
    }
    lm_buf_puts(&b, "/history");
    return lm_buf_steal(&b);
}

static void history_open(repl *r) {
    using_history();
    /* Timestamp lines ("#1700000000") mark where each entry starts; when
     * read_history finds them it joins the lines between into one entry, so a
     * multi-line block comes back whole. readline only stamps entries when the
     * comment character is set. (A file without stamps reads one entry a line.) */
    history_comment_char = '#';
    history_write_timestamps = 1;
    stifle_history(HISTORY_MAX);
    char *path = history_path();
    if (!path) return;
    int rc = read_history(path);
    if (rc == ENOENT) {
        /* append_history needs the file to exist */
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        rc = fd < 0 ? errno : 0;
        if (fd >= 0) close(fd);
    }
    if (rc != 0) {
        /* unreadable or uncreatable: this session simply runs without history */
        lm_free(path);
        return;
    }
    r->histpath = path;
}

/* Each entry goes to disk at once (appended), so a crash or a kill loses nothing
 * and concurrent sessions don't overwrite each other. */
static void history_remember(repl *r, const char *entry) {
    /* A line of its own like "#1 first try" would read back as a timestamp: a
     * leading blank keeps it a line (and means the same to the language). */
    lm_buf safe = LM_BUF_INIT;
    for (const char *p = entry; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (p[0] == '#' && p[1] >= '0' && p[1] <= '9') lm_buf_putc(&safe, ' ');
        lm_buf_put(&safe, p, n);
        p += n;
    }
    entry = lm_buf_cstr(&safe);
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && strcmp(last->line, entry) == 0) {
        lm_buf_free(&safe);
        return;
    }
    add_history(entry);
    lm_buf_free(&safe);
    if (r->histpath && append_history(1, r->histpath) != 0) {
        lm_free(r->histpath); /* e.g. the disk is full: stop trying, quietly */
        r->histpath = NULL;
    }
}

/* At exit: reread the file (other sessions may have appended to it), keep the
 * newest HISTORY_MAX entries and write it back (readline writes a temporary
 * file and renames it, so a failure leaves the old file intact). */
static void history_close(repl *r) {
    if (r->histpath) {
        clear_history();
        if (read_history(r->histpath) == 0) write_history(r->histpath);
        lm_free(r->histpath);
        r->histpath = NULL;
    }
    clear_history();
}

/* ---- completion -------------------------------------------------------------------------- */

static void completion_reset(repl *r) {
    for (size_t i = 0; i < r->nnames; i++) lm_free(r->names[i]);
    lm_free(r->names);
    lm_free(r->cands);
    r->names = NULL;
    r->cands = NULL;
    r->nnames = r->ncands = r->nextcand = 0;
}

/* Builtins, keywords and workspace names that start with `text`, sorted and
 * without duplicates (a workspace variable may shadow a builtin). */
static void completion_collect(repl *r, const char *text) {
    completion_reset(r);
    size_t len = strlen(text), nb = 0;
    const lm_builtin *const *all = lm_builtin_all(&nb);
    r->names = lm_session_names(r->s, &r->nnames);
    r->cands = lm_alloc((nb + NKEYWORDS + r->nnames + 1) * sizeof *r->cands);
    size_t n = 0;
    for (size_t i = 0; i < nb; i++)
        if (strncmp(all[i]->name, text, len) == 0) r->cands[n++] = all[i]->name;
    for (int i = 0; i < NKEYWORDS; i++)
        if (strncmp(k_keywords[i], text, len) == 0) r->cands[n++] = k_keywords[i];
    for (size_t i = 0; i < r->nnames; i++)
        if (strncmp(r->names[i], text, len) == 0) r->cands[n++] = r->names[i];
    if (n > 1) qsort(r->cands, n, sizeof *r->cands, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(r->cands[k - 1], r->cands[i]) != 0) r->cands[k++] = r->cands[i];
    r->ncands = k;
}

static char *completion_next(const char *text, int state) {
    repl *r = g_repl;
    if (state == 0) completion_collect(r, text);
    if (r->nextcand >= r->ncands) return NULL;
    /* readline frees what we return with free(), so this must be malloc's */
    return strdup(r->cands[r->nextcand++]);
}

static char **complete(const char *text, int start, int end) {
    rl_attempted_completion_over = 1;     /* names only, never file names */
    rl_completion_append_character = '\0'; /* `zeros` then `(`, not `zeros (` */
    return rl_completion_matches(text, completion_next);
}

/* ---- reading lines ------------------------------------------------------------------------ */

typedef enum read_result { READ_LINE, READ_EOF, READ_CANCEL, READ_QUIT } read_result;

static void on_line(char *line) {
    g_repl->line = line;
    g_repl->got_line = true;
    /* Take the prompt down: the line is evaluated and its output printed before
     * read_line puts up the next prompt (which may be the continuation one). */
    rl_callback_handler_remove();
}

/* Ctrl-C while editing: leave the abandoned text on screen followed by ^C,
 * forget it, and start on a fresh line. */
static void cancel_line(void) {
    /* The cleanups redisplay the line, so they go before the ^C is printed. */
    rl_free_line_state();
    rl_callback_sigcleanup(); /* a half-done search or key sequence */
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C", rl_outstream);
    rl_callback_handler_remove();
    rl_replace_line("", 1);
    fputc('\n', rl_outstream);
    fflush(rl_outstream);
}

/* readline reads every byte through this. Its own rl_getc can sleep in the
 * middle of a key (the rest of a UTF-8 character, say) with our signals blocked
 * and without the self-pipe, so a Ctrl-C would wait for the next key. Here a
 * signal the loop must act on comes out as the key INTR_KEY (bound to nothing,
 * see lm_cli_repl), rl_callback_read_char returns, and read_line deals with
 * the flag. */
#define INTR_KEY 0x03 /* Ctrl-C: with ISIG on, the terminal never sends it as a byte */

static int getc_or_interrupt(FILE *in) {
    int fd = fileno(in);
    for (;;) {
        if (g_sigint || g_quit || g_tstp) return INTR_KEY;
        int w = wait_input(g_repl, fd);
        if (w < 0) return EOF;
        if (w == 0) continue;
        unsigned char c;
        ssize_t n = read(fd, &c, 1);
        if (n == 1) return c;
        if (n == 0) return EOF;
        if (errno != EINTR && errno != EAGAIN) return EOF;
    }
}

static int ignore_key(int count, int key) { return 0; }

/* Puts up `prompt` and feeds readline one key at a time until a line is done,
 * Ctrl-D ends the input, Ctrl-C cancels or a termination signal arrives. */
static read_result read_line(repl *r, const char *prompt) {
    int fd = fileno(rl_instream);
    r->line = NULL;
    r->got_line = false;
    rl_callback_handler_install(prompt, on_line);
    for (;;) {
        if (g_sigint) {
            g_sigint = 0;
            cancel_line();
            return READ_CANCEL;
        }
        if (g_quit) {
            rl_callback_sigcleanup();
            rl_callback_handler_remove();
            fputc('\n', rl_outstream);
            return READ_QUIT;
        }
        if (g_tstp) {
            g_tstp = 0;
            suspend_self();
        }
        if (g_winch) {
            g_winch = 0;
            rl_resize_terminal();
        }
        int w = wait_input(r, fd);
        if (w == 0) continue; /* a signal: its flag is checked above */
        if (w < 0) {
            rl_callback_handler_remove(); /* the terminal is gone */
            return READ_EOF;
        }
        rl_callback_read_char();
        if (r->got_line) return r->line ? READ_LINE : READ_EOF;
    }
}

/* ---- evaluating ------------------------------------------------------------------------------ */

/* Returns the number of statements that failed. */
static int evaluate(repl *r, const char *src, size_t len) {
    lm_eval_opts opts = {NULL, emit_output, r};
    fflush(stdout);
    /* Only a Ctrl-C pressed from now on may stop this computation. */
    g_sigint = 0;
    g_busy_presses = 0;
    g_busy = 1;
    r->broke_line = false;
    signals_for_eval(r, true);
    int failed = lm_eval(r->s, src, len, &opts);
    signals_for_eval(r, false);
    g_busy = 0;
    break_after_ctrl_c(r);
    /* A Ctrl-C that came too late to stop anything must not cancel the next line. */
    g_sigint = 0;
    return failed;
}

static void chunk_reset(repl *r) {
    lm_buf_reset(&r->chunk);
    r->nlines = 0;
    r->blank_run = 0;
    r->hinted = false;
}

/* Runs the complete input in r->chunk. Returns true when it asked to quit. */
static bool submit(repl *r) {
    const char *src = lm_buf_cstr(&r->chunk);
    bool quit = false;
    if (!is_blank(src)) {
        history_remember(r, src);
        switch (parse_command(r, src)) {
        case CMD_QUIT:
            quit = true;
            break;
        case CMD_HELP:
            if (evaluate(r, src, r->chunk.len) == 0)
                say(r, "%s", "Keys: Tab completes names, Ctrl-C cancels a line or stops a computation,\n"
                             "      Ctrl-D (or quit) leaves.\n");
            break;
        case CMD_NONE:
            evaluate(r, src, r->chunk.len);
            break;
        }
    }
    chunk_reset(r);
    return quit;
}

/* After Ctrl-D, readline has already ended the line itself when bracketed paste
 * was on (it does so as it restores the terminal); otherwise that's our job. */
static void newline_after_eof(repl *r) {
    const char *bp = rl_variable_value("enable-bracketed-paste");
    if (!(bp && strcmp(bp, "on") == 0)) fputc('\n', stdout);
    fflush(stdout);
    r->at_bol = true;
    /* The callback interface never clears this, and while it is set readline
     * ends every later line with an extra newline. */
    rl_eof_found = 0;
}

/* Returns the exit status. */
static int repl_loop(repl *r) {
    for (;;) {
        if (!r->at_bol) put_text(r, "\n", 1); /* printf("no newline") ends its line */
        switch (read_line(r, r->nlines ? CONT_PROMPT : PROMPT)) {
        case READ_CANCEL:
            chunk_reset(r);
            r->at_bol = true;
            continue;
        case READ_QUIT:
            return 128 + g_quit;
        case READ_EOF:
            newline_after_eof(r);
            if (r->nlines == 0) return 0;
            /* Ctrl-D inside an open block: run it anyway, so the learner sees
             * what was left open (as Lua's REPL does) instead of losing it. */
            submit(r);
            continue;
        case READ_LINE:
            break;
        }
        r->at_bol = true;
        bool blank = is_blank(r->line);
        if (r->nlines++) lm_buf_putc(&r->chunk, '\n');
        lm_buf_puts(&r->chunk, r->line);
        free(r->line); /* readline's malloc */
        r->line = NULL;

        bool incomplete = false;
        lm_parse_status(lm_buf_cstr(&r->chunk), r->chunk.len, &incomplete);
        if (!incomplete) {
            if (submit(r)) return 0;
            continue;
        }
        /* A learner stuck at ".. " may not know what it waits for. */
        r->blank_run = blank ? r->blank_run + 1 : 0;
        if (r->blank_run >= 2 && !r->hinted) {
            say(r, "(the input goes on until every block has its end and every bracket "
                   "and string is closed; Ctrl-C cancels it)\n");
            r->hinted = true;
        }
    }
}

int lm_cli_repl(void) {
    repl r;
    memset(&r, 0, sizeof r);
    r.at_bol = true;
    g_repl = &r;
    g_sigint = g_winch = g_tstp = g_quit = g_busy = g_busy_presses = 0;

    /* readline needs the character set to edit multibyte text; only LC_CTYPE,
     * so number formatting stays in the C locale. */
    setlocale(LC_CTYPE, "");

    r.s = lm_session_new();
    lm_session_ctx(r.s)->interrupt = &g_sigint;

    rl_readline_name = "lemma"; /* for $if lemma in ~/.inputrc */
    rl_instream = stdin;
    rl_outstream = stdout;
    /* We handle the signals (see above); readline must not install its own. */
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_change_environment = 0; /* don't export LINES and COLUMNS */
    rl_getc_function = getc_or_interrupt;
    rl_attempted_completion_function = complete;
    /* Everything that can't be part of a name ends the word being completed. */
    rl_completer_word_break_characters = " \t\n\"'`~!@#$%^&*()-=+[]{}\\|;:,.<>/?";
    rl_basic_word_break_characters = rl_completer_word_break_characters;

    /* Read ~/.inputrc now, so that its bindings can't take INTR_KEY back. */
    rl_initialize();
    static const char *const maps[] = {"emacs", "vi-insert", "vi-command"};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        Keymap km = rl_get_keymap_by_name(maps[i]);
        if (km) rl_bind_key_in_map(INTR_KEY, ignore_key, km);
    }

    wake_open();
    signals_install(&r);
    history_open(&r);

    /* An em dash where the terminal's character set has one. */
    const char *dash = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? "\xe2\x80\x94" : "-";
    printf("lemma %s %s type help for a tour, Ctrl-D to quit\n", LEMMA_VERSION, dash);
    fflush(stdout);

    int status = repl_loop(&r);

    history_close(&r);
    signals_restore(&r);
    lm_session_ctx(r.s)->interrupt = NULL;
    lm_session_free(r.s);
    completion_reset(&r);
    lm_buf_free(&r.chunk);
    lm_buf_free(&r.out);
    g_repl = NULL;
    fflush(stdout);
    return status;
}
