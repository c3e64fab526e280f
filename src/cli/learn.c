/* `lemma learn`: the course by level with where the learner stands, one lesson
 * rendered (paged on a terminal), and `--check` for authors.
 *
 *   lemma learn                      the paths by level
 *   lemma learn ID [--answers]       one lesson (a module id lists its lessons)
 *   lemma learn --check [--dir DIR]  validate every lesson; exit 1 on a mistake
 *
 * Exit status: 0 when it worked, 1 when the check found mistakes, 2 for a usage
 * error or an unknown lesson. */
#include "cli/cli.h"
#include "lemma/lesson.h"
#include "lemma/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static const char usage[] =
    "usage: lemma learn                      the lessons by level, and where you stand\n"
    "       lemma learn ID [--answers]       one lesson, with its live cells\n"
    "       lemma learn --check [--dir DIR]  check every lesson (for authors)\n"
    "options: --dir DIR reads the lessons from DIR instead of the built-in copy;\n"
    "         --width N sets the text width (default: the terminal's, at most 80);\n"
    "         --db PATH reads your progress from PATH (as lemma practice --db)\n";

/* Widest text we write: wider lines are harder to read, and 80 columns is
 * the terminal everyone has. */
#define MAX_WIDTH 80

static int term_size(int *rows) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        *rows = ws.ws_row > 4 ? ws.ws_row : 24;
        return ws.ws_col;
    }
    *rows = 24;
    return MAX_WIDTH;
}

/* ---- where the learner stands ---------------------------------------------------- */

/* Mastery per skill from the progress store; an empty list (no store yet, or
 * it cannot be read) means nothing was practised. The store file is not
 * created just to look. */
typedef struct progress {
    lm_skill_state *skills;
    size_t n;
} progress;

static void progress_load(progress *p, const char *db) {
    memset(p, 0, sizeof *p);
    lm_err err = LM_ERR_INIT;
    char *path = db ? lm_strdup(db) : lm_store_default_path(&err);
    if (path && access(path, F_OK) == 0) {
        lm_store *s = lm_store_open(path, &err);
        if (s) {
            if (!lm_store_skills(s, &p->skills, &p->n, &err)) p->n = 0;
            lm_store_close(s);
        }
    }
    lm_free(path);
    lm_err_clear(&err);
}

static lm_mastery skill_mastery(const progress *p, const char *id) {
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->skills[i].skill, id)) return p->skills[i].mastery;
    return LM_MASTERY_NOT_STARTED;
}

/* A lesson is done when every skill it practises is proficient or better,
 * started when any of them was tried. */
static const char *lesson_mark(const progress *p, const lm_lesson *l, bool *done) {
    *done = false;
    if (!l->nskills) return " ";
    bool all = true, any = false;
    for (size_t i = 0; i < l->nskills; i++) {
        lm_mastery m = skill_mastery(p, l->skills[i]);
        all &= m >= LM_MASTERY_PROFICIENT;
        any |= m >= LM_MASTERY_ATTEMPTED;
    }
    *done = all;
    return all ? "✓" : any ? "◐" : "·";
}

/* ---- the overview ----------------------------------------------------------------- */

static void put_fit(lm_buf *b, const char *s, size_t cols) {
    size_t used = 0;
    for (const char *p = s; *p;) {
        size_t k = 1;
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0xF0) k = 4;
        else if (ch >= 0xE0) k = 3;
        else if (ch >= 0xC0) k = 2;
        if (used + 1 >= cols && p[k]) {
            lm_buf_puts(b, "…");
            used++;
            break;
        }
        lm_buf_put(b, p, k);
        used++;
        p += k;
    }
    for (; used < cols; used++) lm_buf_putc(b, ' ');
}

/* A lesson's title in a column of cols, wrapped at spaces rather than cut (a
 * learner picks a lesson by its title); the minutes follow its first line,
 * and the lines after start at column indent. */
static void put_title(lm_buf *b, const char *title, size_t cols, size_t indent, int minutes) {
    bool first = true;
    const char *p = title;
    while (*p) {
        const char *end = p, *brk = NULL;
        size_t used = 0;
        while (*end && used < cols) {
            if (*end == ' ') brk = end;
            unsigned char ch = (unsigned char)*end;
            end += ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
            used++;
        }
        if (*end && *end != ' ' && brk && brk > p) end = brk;
        lm_buf_printf(b, "%*s", first ? 0 : (int)indent, "");
        lm_buf_put(b, p, (size_t)(end - p));
        if (first) {
            for (size_t w = lm_text_columns(p, (size_t)(end - p)); w < cols; w++) lm_buf_putc(b, ' ');
            lm_buf_printf(b, "%4d min", minutes);
        }
        lm_buf_putc(b, '\n');
        first = false;
        p = end;
        while (*p == ' ') p++;
    }
    if (first) lm_buf_printf(b, "%*s%4d min\n", (int)cols, "", minutes);
}

static int overview(const lm_course *c, bool color, const char *db) {
    progress pr;
    progress_load(&pr, db);
    lm_buf b = LM_BUF_INIT;
    const char *bold = color ? "\033[1m" : "", *title = color ? "\033[1;36m" : "", *reset = color ? "\033[0m" : "";
    const char *dim = color ? "\033[2m" : "";
    lm_buf_printf(&b, "%sThe lemma course%s: %zu lessons in %zu modules, three levels.\n", title, reset,
                  lm_course_nlessons(c), lm_course_nmodules(c));
    const lm_lesson *start = NULL;
    for (int lv = LM_LEVEL_BEGINNER; lv <= LM_LEVEL_ADVANCED; lv++) {
        const char *name = lm_level_name((lm_level)lv);
        lm_buf_printf(&b, "\n%s%c%s path%s\n", title, name[0] - 'a' + 'A', name + 1, reset);
        for (size_t m = 0; m < lm_course_nmodules(c); m++) {
            const lm_module *mod = lm_course_module(c, m);
            if (mod->level != (lm_level)lv) continue;
            int minutes = 0;
            for (size_t i = 0; i < mod->nlessons; i++) minutes += lm_course_lesson(c, mod->first + i)->minutes;
            lm_buf_printf(&b, "\n  %s%d. %s%s %s(%s, about %d min)%s\n", bold, mod->order, mod->title, reset, dim,
                          mod->id, minutes, reset);
            for (size_t i = 0; i < mod->nlessons; i++) {
                const lm_lesson *l = lm_course_lesson(c, mod->first + i);
                bool done;
                const char *mark = lesson_mark(&pr, l, &done);
                if (!done && !start) start = l;
                /* "    ✓ " 6 + slug 25 + title 40 + " 99 min" 8 = 79 columns; the
                 * module's id is in its heading and a unique slug is enough */
                const char *slash = strchr(l->id, '/');
                lm_buf_printf(&b, "    %s ", mark);
                put_fit(&b, slash ? slash + 1 : l->id, 25);
                put_title(&b, l->title, 40, 31, l->minutes);
            }
        }
    }
    lm_buf_printf(&b, "\n%s✓ practised to proficiency  ◐ started  · not started%s\n", dim, reset);
    if (start) lm_buf_printf(&b, "Next: %slemma learn %s%s\n", bold, start->id, reset);
    else if (lm_course_nlessons(c)) lm_buf_puts(&b, "Every lesson's skills are practised: well done.\n");
    lm_buf_puts(&b, "Practise a lesson's skills with `lemma practice MODULE/SKILL`.\n");
    fwrite(lm_buf_cstr(&b), 1, b.len, stdout);
    lm_buf_free(&b);
    lm_skill_states_free(pr.skills, pr.n);
    return 0;
}

static void print_module(const lm_course *c, const lm_module *m, int width, bool color) {
    lm_buf md = LM_BUF_INIT;
    lm_buf_printf(&md, "# %s\n\n*%s · module %d*\n\n%s\n\n## Lessons\n\n", m->title, lm_level_name(m->level),
                  m->order, m->body);
    for (size_t i = 0; i < m->nlessons; i++) {
        const lm_lesson *l = lm_course_lesson(c, m->first + i);
        lm_buf_printf(&md, "%zu. %s — `lemma learn %s` (%d min)\n", i + 1, l->title, l->id, l->minutes);
    }
    lm_buf out = LM_BUF_INIT;
    lm_render_opts o = {width, color, false};
    lm_md_render_text(md.s, md.len, &o, 0, &out);
    fwrite(lm_buf_cstr(&out), 1, out.len, stdout);
    lm_buf_free(&out);
    lm_buf_free(&md);
}

/* ---- one lesson ---------------------------------------------------------------------- */

static void render(const lm_course *c, const lm_lesson *l, int width, bool color, bool answers, lm_buf *out) {
    lm_render_opts o = {width, color, answers};
    lm_buf_reset(out);
    lm_lesson_render_text(c, l, &o, out);
}

/* Line starts of text, for paging. */
static size_t split_lines(const char *s, size_t len, size_t **starts) {
    size_t n = 0, cap = 64;
    *starts = lm_alloc(cap * sizeof **starts);
    for (size_t i = 0; i < len;) {
        if (n + 1 >= cap) *starts = lm_realloc(*starts, (cap *= 2) * sizeof **starts);
        (*starts)[n++] = i;
        const char *nl = memchr(s + i, '\n', len - i);
        i = nl ? (size_t)(nl - s) + 1 : len;
    }
    (*starts)[n] = len;
    return n;
}

static int read_key(void) {
    unsigned char ch;
    return read(STDIN_FILENO, &ch, 1) == 1 ? ch : 'q';
}

/* The pager: space or enter for the next screen, b back, n/p next/previous
 * lesson, a answers shown or hidden, q quits. */
static int page(const lm_course *c, const lm_lesson *l, int width, int rows, bool answers) {
    struct termios saved, raw;
    if (tcgetattr(STDIN_FILENO, &saved) != 0) return -1;
    raw = saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    lm_buf text = LM_BUF_INIT;
    size_t *starts = NULL;
    size_t nlines = 0, top = 0;
    bool fresh = true;
    size_t screen = (size_t)(rows > 3 ? rows - 1 : 2);
    for (;;) {
        if (fresh) {
            fputs("\033[2J\033[H", stdout);
            printf("Running the cells of %s...\n", l->id);
            fflush(stdout);
            render(c, l, width, true, answers, &text);
            lm_free(starts);
            nlines = split_lines(lm_buf_cstr(&text), text.len, &starts);
            fresh = false;
        }
        fputs("\033[2J\033[H", stdout);
        size_t end = top + screen < nlines ? top + screen : nlines;
        fwrite(text.s + starts[top], 1, starts[end] - starts[top], stdout);
        size_t idx = lm_course_lesson_index(c, l);
        printf("\033[7m %zu/%zu %s %3zu%%  space next · b back · n/p lesson · a answers · q quit \033[0m",
               idx + 1, lm_course_nlessons(c), end >= nlines ? "end" : "   ", nlines ? end * 100 / nlines : 100);
        fflush(stdout);
        int k = read_key();
        if (k == 'q' || k == 'Q' || k == 4 /* Ctrl-D */) break;
        if (k == ' ' || k == '\n' || k == '\r' || k == 'f' || k == 'j') {
            if (end < nlines) top = end;
        } else if (k == 'b' || k == 'k') {
            top = top > screen ? top - screen : 0;
        } else if (k == 'n' || k == 'p') {
            size_t next = k == 'n' ? idx + 1 : idx - 1;
            if (idx != (size_t)-1 && next < lm_course_nlessons(c)) {
                l = lm_course_lesson(c, next);
                top = 0;
                fresh = true;
            }
        } else if (k == 'a') {
            answers = !answers;
            fresh = true;
        }
    }
    fputs("\n", stdout);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    lm_free(starts);
    lm_buf_free(&text);
    return 0;
}

static int show_lesson(const lm_course *c, const lm_lesson *l, int width_opt, bool answers) {
    bool tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    int rows;
    int width = width_opt ? width_opt : term_size(&rows);
    if (!width_opt && width > MAX_WIDTH) width = MAX_WIDTH;
    if (tty && !width_opt) return page(c, l, width, rows, answers) < 0 ? 1 : 0;
    lm_buf out = LM_BUF_INIT;
    render(c, l, width, false, answers, &out);
    size_t idx = lm_course_lesson_index(c, l);
    /* commands on lines of their own, so that a long id still fits */
    if (!answers) lm_buf_printf(&out, "\nThe answers are hidden. To see them:\n  lemma learn %s --answers\n", l->id);
    if (idx + 1 < lm_course_nlessons(c))
        lm_buf_printf(&out, "\nNext lesson:\n  lemma learn %s\n", lm_course_lesson(c, idx + 1)->id);
    fwrite(lm_buf_cstr(&out), 1, out.len, stdout);
    lm_buf_free(&out);
    return 0;
}

/* A lesson by its id, or by its slug alone when only one lesson has it. */
static const lm_lesson *find_lesson(const lm_course *c, const char *id) {
    const lm_lesson *l = lm_course_lesson_find(c, id);
    if (l || strchr(id, '/')) return l;
    const lm_lesson *only = NULL;
    for (size_t i = 0; i < lm_course_nlessons(c); i++) {
        const lm_lesson *x = lm_course_lesson(c, i);
        const char *slash = strchr(x->id, '/');
        if (slash && !strcmp(slash + 1, id)) {
            if (only) return NULL;
            only = x;
        }
    }
    return only;
}

static int check(const lm_course *c, const char *dir) {
    lm_lesson_report r = LM_LESSON_REPORT_INIT;
    bool ok = lm_course_check(c, &r);
    for (size_t i = 0; i < r.ndiags; i++) {
        const lm_lesson_diag *d = &r.diags[i];
        if (d->line > 0) printf("%s/%s:%d: %s\n", dir, d->file, d->line, d->msg);
        else printf("%s/%s: %s\n", dir, d->file, d->msg);
    }
    printf("%zu lessons, %zu cells checked", r.nlessons, r.ncells);
    if (!ok) printf("; %zu mistake%s", r.ndiags, r.ndiags == 1 ? "" : "s");
    printf("\n");
    lm_lesson_report_free(&r);
    return ok ? 0 : 1;
}

int lm_cli_learn(int argc, char **argv) {
    const char *dir = NULL, *id = NULL, *db = NULL;
    bool do_check = false, answers = false;
    int width = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--check")) do_check = true;
        else if (!strcmp(a, "--answers")) answers = true;
        else if (!strcmp(a, "--dir") || !strcmp(a, "--width") || !strcmp(a, "--db")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lemma learn: %s needs a value\n%s", a, usage);
                return 2;
            }
            if (!strcmp(a, "--dir")) dir = argv[++i];
            else if (!strcmp(a, "--db")) db = argv[++i];
            else {
                char *end;
                long w = strtol(argv[++i], &end, 10);
                if (*end || w < 24 || w > 1000) {
                    fprintf(stderr, "lemma learn: --width takes a number of columns from 24 to 1000, not '%s'\n",
                            argv[i]);
                    return 2;
                }
                width = (int)w;
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "lemma learn: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (id) {
            fprintf(stderr, "lemma learn: one lesson at a time ('%s' and '%s')\n%s", id, a, usage);
            return 2;
        } else {
            id = a;
        }
    }
    lm_err err = LM_ERR_INIT;
    lm_course *c = dir ? lm_course_load_dir(dir, &err) : lm_course_load_embedded();
    if (!c) {
        fprintf(stderr, "lemma learn: %s\n", err.msg ? err.msg : "cannot load the lessons");
        lm_err_clear(&err);
        return 2;
    }
    int rc;
    if (do_check) {
        rc = check(c, dir ? dir : "lessons");
    } else if (!id) {
        rc = overview(c, isatty(STDOUT_FILENO), db);
    } else {
        const lm_lesson *l = find_lesson(c, id);
        const lm_module *m = l ? NULL : lm_course_module_find(c, id);
        if (l) {
            rc = show_lesson(c, l, width, answers);
        } else if (m) {
            int rows;
            int w = width ? width : term_size(&rows);
            print_module(c, m, w > MAX_WIDTH && !width ? MAX_WIDTH : w, isatty(STDOUT_FILENO));
            rc = 0;
        } else {
            const char *near[3];
            size_t n = lm_course_suggest(c, id, near, 3);
            fprintf(stderr, "lemma learn: there is no lesson '%s'", id);
            for (size_t i = 0; i < n; i++) fprintf(stderr, "%s'%s'", i ? ", " : "; did you mean ", near[i]);
            fprintf(stderr, "%s\n`lemma learn` lists every lesson.\n", n ? "?" : ".");
            rc = 2;
        }
    }
    lm_course_free(c);
    return rc;
}
