/* `lemma assess`: the placement quiz (the questions and the rule are
 * src/learn/assess.c). Interactive on a terminal; `--answers FILE` reads one
 * answer per line instead, for tests and scripts.
 *
 *   lemma assess                  the quiz
 *   lemma assess --answers FILE   the same, answers from FILE (# lines skipped)
 *   lemma assess --list           the questions and their ids
 *
 * Exit status: 0 when the quiz ran to its recommendation, 2 for a usage error
 * or an answers file that cannot be read or has a line that is no answer. */
#include "cli/cli.h"
#include "lemma/assess.h"
#include "lemma/learn.h"
#include "lemma/lesson.h"

#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char usage[] =
    "usage: lemma assess                  the placement quiz: where to start\n"
    "       lemma assess --answers FILE   read the answers from FILE, one a line\n"
    "       lemma assess --list           the questions and their ids\n";

#define MAX_WIDTH 80

typedef struct quiz {
    int width;
    bool tty, color;
    FILE *answers;      /* --answers, or NULL for the keyboard */
    const char *answers_name;
    int line;           /* of the answers file */
    const char *bold, *green, *red, *reset;
} quiz;

/* Markdown with math, wrapped and indented (a generator's prompt). */
static void say(quiz *q, const char *md, int indent) {
    lm_render_opts ro = {q->width, q->color, false};
    lm_buf b = LM_BUF_INIT;
    lm_md_render_text(md, strlen(md), &ro, indent, &b);
    fputs(lm_buf_cstr(&b), stdout);
    if (b.len && b.s[b.len - 1] != '\n') putchar('\n');
    lm_buf_free(&b);
}

/* Plain words wrapped at spaces, every line indented. */
static void say_plain(quiz *q, const char *text, int indent) {
    size_t width = (size_t)(q->width - indent);
    while (*text) {
        size_t len = strcspn(text, "\n");
        const char *p = text, *end = text + len;
        if (*p == ' ') {
            /* a caret line under an answer: kept as it is */
            printf("%*s%.*s\n", indent, "", (int)len, p);
            p = end;
        }
        while (p < end) {
            const char *cut = p, *s = p;
            while (s < end) {
                const char *w = s;
                while (w < end && *w != ' ') w++;
                if (lm_text_columns(p, (size_t)(w - p)) > width && cut > p) break;
                cut = w;
                s = w < end ? w + 1 : w;
            }
            printf("%*s%.*s\n", indent, "", (int)(cut - p), p);
            p = cut;
            while (p < end && *p == ' ') p++;
        }
        text += len;
        if (*text) text++;
    }
}

static void sanitize(char *s);

/* The next answer without its newline (caller frees), or NULL at the end of
 * the input. From a file, lines that start with # are notes and skipped, and
 * the answer is echoed so that the transcript reads as a session. */
static char *next_answer(quiz *q, const char *prompt) {
    fflush(stdout);
    if (!q->answers) {
        if (q->tty) return readline(prompt);
        q->answers = stdin;
    }
    for (;;) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, q->answers);
        if (n < 0) {
            free(line);
            return NULL;
        }
        q->line++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (line[0] == '#') {
            free(line);
            continue;
        }
        sanitize(line);
        printf("%s%s\n", prompt, line);
        return line;
    }
}

/* Control characters and bytes that are not UTF-8 become '?', so that
 * whatever the file holds is echoed and quoted safely. */
static void sanitize(char *s) {
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int k = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        bool ok = k > 0;
        for (int i = 1; ok && i < k; i++) ok = (p[i] & 0xC0) == 0x80;
        if (!ok) {
            *p++ = '?';
            continue;
        }
        if (k == 1 && (*p < 0x20 || *p == 0x7f) && *p != '\t') *p = '?';
        p += k;
    }
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* Where the reader is, for a message about a line of the answers file. */
static void where(const quiz *q, lm_buf *b) {
    if (q->answers_name) lm_buf_printf(b, "%s, line %d: ", q->answers_name, q->line);
}

enum { ASK_OK, ASK_END, ASK_BAD };

static int ask_rating(quiz *q, const lm_assess_question *qu, int number, int total, int *rating) {
    lm_buf head = LM_BUF_INIT;
    lm_buf_printf(&head, "%d of %d. %s", number, total, qu->text);
    putchar('\n');
    say_plain(q, head.s, 0);
    lm_buf_free(&head);
    puts("  1 no · 2 a little · 3 mostly · 4 yes (or type yes, somewhat or no)");
    for (;;) {
        char *line = next_answer(q, "> ");
        if (!line) return ASK_END;
        char *t = trim(line);
        if (!*t) {
            *rating = 0;
            free(line);
            puts("  (Not rated.)");
            return ASK_OK;
        }
        bool ok = lm_assess_parse_rating(t, rating);
        if (!ok) {
            lm_buf msg = LM_BUF_INIT;
            where(q, &msg);
            lm_buf_printf(&msg, "'%.40s%s' is not a rating. Answer 1, 2, 3 or 4, or yes, somewhat or no.", t,
                          strlen(t) > 40 ? "..." : "");
            free(line);
            if (q->answers_name) {
                fprintf(stderr, "lemma assess: %s\n", msg.s);
                lm_buf_free(&msg);
                return ASK_BAD;
            }
            say_plain(q, msg.s, 2);
            lm_buf_free(&msg);
            continue;
        }
        free(line);
        return ASK_OK;
    }
}

/* One generated problem: 1 right, 0 wrong, -1 when its generator is not
 * there; ASK_END at the end of input. */
static int ask_item(quiz *q, const lm_assess_question *qu, int number, int total, int *result) {
    lm_problem p;
    lm_err err = LM_ERR_INIT;
    if (!lm_problem_generate(qu->id, qu->seed, qu->difficulty, &p, &err)) {
        /* a missing generator leaves the item out rather than stopping the quiz */
        printf("\n%d of %d. (This problem, %s, is not available in this build and is left out.)\n", number, total,
               qu->id);
        lm_err_clear(&err);
        lm_problem_free(&p);
        *result = -1;
        return ASK_OK;
    }
    const lm_skill_def *d = lm_skill_find(qu->id);
    printf("\n%s%d of %d. %s (%s)%s\n", q->bold, number, total, d && d->title ? d->title : qu->id,
           lm_level_name(qu->level), q->reset);
    say(q, p.prompt ? p.prompt : "", 2);
    for (int i = 0; i < p.spec.nchoices; i++) printf("    (%c) %s\n", 'a' + i, p.spec.choices[i]);
    int status = ASK_OK;
    for (;;) {
        char *line = next_answer(q, "answer> ");
        if (!line) {
            status = ASK_END;
            break;
        }
        char *t = trim(line);
        if (!*t) {
            free(line);
            puts("  Skipped: counted as not right.");
            *result = 0;
            break;
        }
        lm_verdict v = {0};
        lm_check_answer(&p.spec, t, &v);
        free(line);
        if (v.kind == LM_VERDICT_UNPARSED) {
            lm_buf msg = LM_BUF_INIT;
            where(q, &msg);
            lm_buf_puts(&msg, v.feedback ? v.feedback : "That answer could not be read.");
            say_plain(q, msg.s, 2);
            lm_buf_free(&msg);
            lm_verdict_free(&v);
            if (q->answers_name) {
                puts("  Counted as not right.");
                *result = 0;
                break;
            }
            puts("  Fix it and try again, or press Enter to skip.");
            continue;
        }
        *result = v.kind == LM_VERDICT_CORRECT;
        if (*result) printf("  %s✓ Right%s\n", q->green, q->reset);
        else printf("  %s✗ Not right%s: the answer is %s\n", q->red, q->reset, p.spec.answer ? p.spec.answer : "");
        lm_verdict_free(&v);
        break;
    }
    lm_problem_free(&p);
    return status;
}

static int list(void) {
    size_t n;
    const lm_assess_question *qs = lm_assess_questions(&n);
    puts("The placement quiz, in order (one answer per line for --answers):");
    for (size_t i = 0; i < n; i++) {
        const lm_assess_question *qu = &qs[i];
        if (qu->kind == LM_ASSESS_SELF) {
            printf("%2zu  %-36s self-rating 1-4\n", i + 1, qu->id);
        } else {
            const lm_skill_def *d = lm_skill_find(qu->id);
            printf("%2zu  %-36s %s problem%s\n", i + 1, qu->id, lm_level_name(qu->level),
                   d ? "" : " (not in this build)");
        }
    }
    return 0;
}

int lm_cli_assess(int argc, char **argv) {
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--list")) {
            return list();
        } else if (!strcmp(a, "--answers")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lemma assess: --answers needs a file name\n%s", usage);
                return 2;
            }
            file = argv[++i];
        } else {
            fprintf(stderr, "lemma assess: unknown argument '%s'\n%s", a, usage);
            return 2;
        }
    }
    quiz q = {0};
    q.tty = !file && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    q.color = isatty(STDOUT_FILENO);
    q.bold = q.color ? "\033[1m" : "";
    q.green = q.color ? "\033[32m" : "";
    q.red = q.color ? "\033[31m" : "";
    q.reset = q.color ? "\033[0m" : "";
    struct winsize ws;
    q.width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : MAX_WIDTH;
    if (q.width > MAX_WIDTH) q.width = MAX_WIDTH;
    if (q.width < 40) q.width = 40;
    if (file) {
        q.answers = fopen(file, "r");
        if (!q.answers) {
            fprintf(stderr, "lemma assess: cannot read the answers file '%s'\n", file);
            return 2;
        }
        q.answers_name = file;
    }

    size_t n;
    const lm_assess_question *qs = lm_assess_questions(&n);
    int nself = 0;
    for (size_t i = 0; i < n; i++) nself += qs[i].kind == LM_ASSESS_SELF;
    printf("%sPlacement quiz%s: %d questions about what you can do, then %zu short\n"
           "problems. At the end you get a starting point in the course.\n",
           q.bold, q.reset, nself, n - (size_t)nself);
    if (!file) puts("Type an answer and press Enter; an empty line skips. Ctrl-D stops.");
    int *answers = lm_calloc(n, sizeof *answers);
    int status = ASK_OK;
    size_t done = 0;
    for (; done < n && status == ASK_OK; done++) {
        const lm_assess_question *qu = &qs[done];
        if (qu->kind == LM_ASSESS_SELF) status = ask_rating(&q, qu, (int)done + 1, (int)n, &answers[done]);
        else status = ask_item(&q, qu, (int)done + 1, (int)n, &answers[done]);
    }
    int rc = 0;
    if (status == ASK_BAD) {
        rc = 2;
    } else if (status == ASK_END && file) {
        fprintf(stderr, "lemma assess: %s has answers for %zu of the %zu questions; add the rest (`lemma "
                        "assess --list` shows them in order)\n",
                file, done - 1, n);
        rc = 2;
    } else if (status == ASK_END) {
        puts("\nStopped before the end; run `lemma assess` again to get a recommendation.");
    } else {
        lm_assess_outcome o;
        lm_assess_recommend(answers, n, &o);
        printf("\n%sResult%s: beginner %d of %d, intermediate %d of %d, advanced %d of %d right.\n", q.bold,
               q.reset, o.right[LM_LEVEL_BEGINNER], o.asked[LM_LEVEL_BEGINNER], o.right[LM_LEVEL_INTERMEDIATE],
               o.asked[LM_LEVEL_INTERMEDIATE], o.right[LM_LEVEL_ADVANCED], o.asked[LM_LEVEL_ADVANCED]);
        printf("%sRecommendation%s: the %s path, starting with\n  %s (%s).\n", q.bold, q.reset,
               lm_level_name(o.path), lm_assess_module_title(o.module), o.module);
        say_plain(&q, o.why, 0);
        lm_course *c = lm_course_load_embedded();
        const lm_module *m = lm_course_module_find(c, o.module);
        if (m && m->nlessons) printf("Begin here:\n  lemma learn %s\n", lm_course_lesson(c, m->first)->id);
        else printf("Begin here:\n  lemma learn %s\n", o.module);
        lm_course_free(c);
        lm_assess_outcome_free(&o);
    }
    if (file && q.answers) fclose(q.answers);
    lm_free(answers);
    return rc;
}
