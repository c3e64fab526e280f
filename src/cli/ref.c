/* `lemma ref`: the quick reference of formulas, each checked live on random
 * numbers (the content and the checks are src/learn/ref*.c).
 *
 *   lemma ref                 the topics, then every formula
 *   lemma ref TOPIC           one topic (its id or the start of it)
 *   lemma ref FORMULA         one formula by its id ("bayes")
 *   --seed S                  replay the numbers of an earlier run
 *
 * Exit status: 0 when every check passed, 1 when one failed, 2 for a usage
 * error or an unknown topic. */
#include "cli/cli.h"
#include "lemma/ref.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: lemma ref [TOPIC] [--seed S] [--width N]\n"
    "  the quick reference: formulas by topic, each checked live on random\n"
    "  numbers. TOPIC is a topic's id or the start of it (linalg, calc, prob,\n"
    "  optim, info) or one formula's id. --seed S repeats the numbers of a run.\n";

#define MAX_WIDTH 80

static void list_topics(FILE *f) {
    size_t nt;
    const lm_ref_topic *t = lm_ref_topics(&nt);
    fputs("The topics:\n", f);
    for (size_t i = 0; i < nt; i++) fprintf(f, "  %-14s %s\n", t[i].id, t[i].title);
}

/* One screen at a time on a terminal: Enter or space shows the next, q
 * stops. */
static void page(const char *text, size_t len) {
    struct winsize ws;
    int rows = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 4 ? ws.ws_row : 24;
    struct termios saved, raw;
    if (tcgetattr(STDIN_FILENO, &saved) != 0) {
        fwrite(text, 1, len, stdout);
        return;
    }
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *q = p;
        for (int n = 0; n < rows - 1 && q < end; n++) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            q = nl ? nl + 1 : end;
        }
        fwrite(p, 1, (size_t)(q - p), stdout);
        p = q;
        if (p >= end) break;
        fputs("\033[7m -- more: Enter or space for the next page, q to stop -- \033[0m", stdout);
        fflush(stdout);
        unsigned char ch = 'q';
        if (read(STDIN_FILENO, &ch, 1) != 1) ch = 'q';
        fputs("\r\033[K", stdout);
        if (ch == 'q' || ch == 'Q' || ch == 4) break;
    }
    fflush(stdout);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

static bool parse_u64(const char *s, uint64_t *out) {
    if (!*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return false;
    *out = v;
    return true;
}

int lm_cli_ref(int argc, char **argv) {
    const char *topic_arg = NULL;
    uint64_t seed = 0;
    bool seeded = false;
    int width = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--width")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lemma ref: %s needs a value\n%s", a, usage);
                return 2;
            }
            const char *v = argv[++i];
            uint64_t n;
            if (!parse_u64(v, &n)) {
                fprintf(stderr, "lemma ref: %s takes a whole number, not '%s'\n", a, v);
                return 2;
            }
            if (a[2] == 's') {
                seed = n;
                seeded = true;
            } else {
                if (n < 40 || n > 1000) {
                    fprintf(stderr, "lemma ref: --width takes a number of columns from 40 to 1000, not '%s'\n", v);
                    return 2;
                }
                width = (int)n;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "lemma ref: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (topic_arg) {
            fprintf(stderr, "lemma ref: one topic at a time ('%s' and '%s')\n%s", topic_arg, a, usage);
            return 2;
        } else {
            topic_arg = a;
        }
    }

    size_t nt, nf;
    const lm_ref_topic *topics = lm_ref_topics(&nt);
    const lm_ref_formula *formulas = lm_ref_formulas(&nf);
    const lm_ref_topic *only_topic = NULL;
    const lm_ref_formula *only_formula = NULL;
    if (topic_arg) {
        only_topic = lm_ref_topic_match(topic_arg);
        for (size_t i = 0; !only_topic && i < nf; i++)
            if (!strcmp(formulas[i].id, topic_arg)) only_formula = &formulas[i];
        if (!only_topic && !only_formula) {
            fprintf(stderr, "lemma ref: there is no topic called '%s'.\n", topic_arg);
            list_topics(stderr);
            fputs("Type `lemma ref TOPIC`, for example `lemma ref linalg`.\n", stderr);
            return 2;
        }
    }

    bool tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    if (!width) {
        struct winsize ws;
        width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : MAX_WIDTH;
        if (width > MAX_WIDTH) width = MAX_WIDTH;
        if (width < 40) width = 40;
    }
    if (!seeded) {
        /* a fresh seed per run, small enough to type back in */
        seed = ((uint64_t)time(NULL) * 2654435761ULL ^ (uint64_t)getpid() * 40503ULL) % 1000000ULL;
    }

    if (tty) {
        fputs("Running the checks...", stdout);
        fflush(stdout);
    }
    lm_buf out = LM_BUF_INIT;
    lm_buf_printf(&out, "Quick reference: each formula is checked now on random numbers (seed %llu).\n",
                  (unsigned long long)seed);
    if (!topic_arg) {
        lm_buf_puts(&out, "Topics (show one with `lemma ref TOPIC`):\n");
        for (size_t i = 0; i < nt; i++) lm_buf_printf(&out, "  %-14s %s\n", topics[i].id, topics[i].title);
    }
    size_t passed = 0, failed = 0;
    for (size_t ti = 0; ti < nt; ti++) {
        const lm_ref_topic *t = &topics[ti];
        if (only_topic && only_topic != t) continue;
        if (only_formula && strcmp(only_formula->topic, t->id) != 0) continue;
        lm_buf_printf(&out, "\n%s== %s ==%s\n", tty ? "\033[1;36m" : "", t->title, tty ? "\033[0m" : "");
        for (size_t i = 0; i < nf; i++) {
            const lm_ref_formula *f = &formulas[i];
            if (strcmp(f->topic, t->id) != 0 || (only_formula && only_formula != f)) continue;
            lm_ref_result r;
            lm_ref_check(f, seed, &r);
            lm_buf_putc(&out, '\n');
            lm_ref_render_text(f, &r, width, tty, &out);
            if (r.ok) passed++;
            else failed++;
            lm_ref_result_free(&r);
        }
    }
    lm_buf_printf(&out, "\n%zu check%s: %zu passed ✓, %zu failed ✗.\n", passed + failed,
                  passed + failed == 1 ? "" : "s", passed, failed);
    lm_buf_printf(&out, "To see these same numbers again: lemma ref%s%s --seed %llu\n", topic_arg ? " " : "",
                  topic_arg ? topic_arg : "", (unsigned long long)seed);
    if (tty) {
        fputs("\r\033[K", stdout);
        page(out.s, out.len);
    } else {
        fwrite(out.s, 1, out.len, stdout);
    }
    lm_buf_free(&out);
    return failed ? 1 : 0;
}
