/* `lemma learn --check` and the lesson test: everything lessons/README.md asks
 * of a lesson, each mistake reported with its file and line. */
#include "learn/lesson_int.h"
#include "lemma/lang.h"
#include "lemma/learn.h"

#include <ctype.h>
#include <md4c.h>
#include <stdlib.h>
#include <string.h>

static const char *const sections[] = {"Why it matters", "The idea in 2D", "Worked example", "Picture",
                                       "Another way to see it", "Common mistake", "In ML", "ML connection",
                                       "Check yourself"};
enum { NSECTIONS = sizeof sections / sizeof *sections, ML_CONNECTION = 7 };

/* Functions that draw from the session's random generator. */
static const char *const random_fns[] = {"rand", "randn", "randi", "randperm", "sample", "simulate",
                                         "bootstrap", "shuffle", "moons", NULL};

typedef struct found_section {
    int which; /* index in sections, or -1 */
    int line;
    char *name;
} found_section;

typedef struct walk {
    const lm_course *c;
    const lm_lesson *l;
    lm_lesson_report *r;
    int last_line;
    bool in_h2;
    lm_buf h2;
    int h2_line;
    found_section *found;
    size_t nfound;
    bool in_check;
    int check_line;
    int list_depth;    /* inside Check yourself */
    int questions, answers;
    bool in_question;  /* inside a top-level item, no answer seen yet */
    int question_line;
    bool in_quote_first_p; /* the answer's first paragraph */
    lm_buf quote_text;
    int quote_depth;
} walk;

#define REPORT(w, line, ...) \
    lm_report_add(&(w)->r->diags, &(w)->r->ndiags, &(w)->r->cap, (w)->l->file, line, __VA_ARGS__)

static int line_at(walk *w, const char *p) {
    const char *b = w->l->body;
    size_t len = strlen(b);
    if (p < b || p > b + len) return w->last_line;
    int line = w->l->body_line;
    for (const char *q = b; q < p; q++) line += *q == '\n';
    w->last_line = line;
    return line;
}

static void end_question(walk *w) {
    if (w->in_question) REPORT(w, w->question_line, "this self-check question has no answer: put it in a block quote starting with **Answer.** under the question");
    w->in_question = false;
}

static int w_enter_block(MD_BLOCKTYPE t, void *detail, void *ud) {
    walk *w = ud;
    if (t == MD_BLOCK_H && ((const MD_BLOCK_H_DETAIL *)detail)->level == 2) {
        w->in_h2 = true;
        lm_buf_reset(&w->h2);
        w->h2_line = 0;
    }
    if (!w->in_check) return 0;
    if (t == MD_BLOCK_OL || t == MD_BLOCK_UL) w->list_depth++;
    if (t == MD_BLOCK_LI && w->list_depth == 1) {
        end_question(w);
        w->questions++;
        w->in_question = true;
        w->question_line = 0; /* set by the item's first text */
    }
    if (t == MD_BLOCK_QUOTE && w->quote_depth++ == 0) {
        lm_buf_reset(&w->quote_text);
        w->in_quote_first_p = true;
    }
    return 0;
}

static int w_leave_block(MD_BLOCKTYPE t, void *detail, void *ud) {
    walk *w = ud;
    if (t == MD_BLOCK_H && w->in_h2) {
        w->in_h2 = false;
        const char *name = lm_buf_cstr(&w->h2);
        if (w->in_check) end_question(w);
        w->found = lm_realloc(w->found, (w->nfound + 1) * sizeof *w->found);
        found_section *f = &w->found[w->nfound++];
        f->which = -1;
        for (int i = 0; i < NSECTIONS; i++)
            if (!strcmp(sections[i], name)) f->which = i;
        f->line = w->h2_line ? w->h2_line : w->last_line;
        f->name = lm_strdup(name);
        w->in_check = f->which == NSECTIONS - 1;
        if (w->in_check) w->check_line = f->line;
        return 0;
    }
    if (!w->in_check) return 0;
    if (t == MD_BLOCK_OL || t == MD_BLOCK_UL) w->list_depth--;
    if (t == MD_BLOCK_P && w->in_quote_first_p) w->in_quote_first_p = false;
    if (t == MD_BLOCK_QUOTE && --w->quote_depth == 0) {
        const char *q = lm_buf_cstr(&w->quote_text);
        while (isspace((unsigned char)*q)) q++;
        if (!strncmp(q, "Answer.", 7)) {
            if (w->in_question) w->answers++;
            w->in_question = false;
        }
    }
    return 0;
}

static int w_enter_span(MD_SPANTYPE t, void *detail, void *ud) {
    walk *w = ud;
    if (t != MD_SPAN_A) return 0;
    const MD_SPAN_A_DETAIL *d = detail;
    int line = line_at(w, d->href.text);
    if (d->href.size >= 7 && !memcmp(d->href.text, "lesson:", 7)) {
        char *id = lm_strndup(d->href.text + 7, d->href.size - 7);
        if (!lm_course_lesson_find(w->c, id)) {
            const char *near[1];
            if (lm_course_suggest(w->c, id, near, 1))
                REPORT(w, line, "the link 'lesson:%s' names no lesson; did you mean '%s'?", id, near[0]);
            else
                REPORT(w, line, "the link 'lesson:%s' names no lesson", id);
        }
        lm_free(id);
    } else if (!(d->href.size && d->href.text[0] == '#')) {
        REPORT(w, line, "links go to other lessons, as (lesson:MODULE/slug); lemma works offline, so '%.*s' cannot be followed",
               (int)d->href.size, d->href.text);
    }
    return 0;
}

static int w_leave_span(MD_SPANTYPE t, void *detail, void *ud) { return 0; }

static int w_text(MD_TEXTTYPE t, const MD_CHAR *text, MD_SIZE size, void *ud) {
    walk *w = ud;
    int line = line_at(w, text);
    if (w->in_h2) {
        if (!w->h2_line) w->h2_line = line;
        lm_buf_put(&w->h2, text, size);
    }
    if (w->in_question && !w->question_line) w->question_line = line;
    if (w->in_check && w->quote_depth && w->in_quote_first_p) lm_buf_put(&w->quote_text, text, size);
    return 0;
}

static void check_sections(walk *w) {
    const lm_module *m = lm_course_module_find(w->c, w->l->module);
    size_t idx = lm_course_lesson_index(w->c, w->l);
    bool last = m && m->nlessons && idx == m->first + m->nlessons - 1;
    int prev = -1;
    bool seen[NSECTIONS] = {false};
    for (size_t i = 0; i < w->nfound; i++) {
        found_section *f = &w->found[i];
        if (f->which < 0) {
            REPORT(w, f->line, "'## %s' is not one of the lesson's sections (use ### for a subsection)", f->name);
            continue;
        }
        if (seen[f->which]) {
            REPORT(w, f->line, "'## %s' appears twice", f->name);
            continue;
        }
        seen[f->which] = true;
        if (f->which == ML_CONNECTION && !last)
            REPORT(w, f->line, "'## ML connection' belongs only in the module's last lesson");
        if (f->which < prev)
            REPORT(w, f->line, "'## %s' must come before '## %s'", f->name, sections[prev]);
        else
            prev = f->which;
    }
    for (int s = 0; s < NSECTIONS; s++) {
        if (seen[s] || (s == ML_CONNECTION && !last)) continue;
        /* point at the section it belongs before */
        int line = w->last_line;
        for (size_t i = 0; i < w->nfound; i++)
            if (w->found[i].which > s) {
                line = w->found[i].line;
                break;
            }
        REPORT(w, line, "the lesson has no '## %s' section%s", sections[s],
               s == ML_CONNECTION ? " (the module's last lesson runs its ML application there)" : "");
    }
}

/* Where in src the identifier `name` is first called, or NULL. */
static const char *find_call(const char *src, const char *name) {
    size_t n = strlen(name);
    for (const char *p = strstr(src, name); p; p = strstr(p + 1, name)) {
        if (p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
        const char *q = p + n;
        while (*q == ' ') q++;
        if (*q == '(') return p;
    }
    return NULL;
}

static int line_in(const char *src, const char *p) {
    int k = 0;
    for (const char *q = src; q < p; q++) k += *q == '\n';
    return k;
}

static const char *first_error_line(const char *text) {
    const char *e = strstr(text, "error: ");
    return e ? e + 7 : text;
}

static void check_cells(walk *w) {
    size_t n = 0;
    lm_cell *cells = lm_lesson_cells(w->l, &n);
    lm_session *s = lm_lesson_session_new();
    bool seeded = false;
    for (size_t i = 0; i < n; i++) {
        const lm_cell *cell = &cells[i];
        const char *seed = find_call(cell->source, "seed");
        for (const char *const *fn = random_fns; *fn && !seeded; fn++) {
            const char *call = find_call(cell->source, *fn);
            if (call && (!seed || call < seed)) {
                REPORT(w, cell->line + 1 + line_in(cell->source, call),
                       "'%s' draws random numbers before any seed(...) in the lesson: start the cell with seed(k) so the lesson shows the same numbers each time",
                       *fn);
                break;
            }
        }
        if (seed) seeded = true;
        lm_buf out = LM_BUF_INIT;
        int failed = lm_lesson_run_cell_quiet(s, cell->source, strlen(cell->source), &out);
        w->r->ncells++;
        if (cell->kind == LM_CELL_RUN && failed) {
            const char *msg = first_error_line(lm_buf_cstr(&out));
            size_t len = strcspn(msg, "\n");
            REPORT(w, cell->line, "this cell fails: %.*s", (int)len, msg);
        } else if (cell->kind == LM_CELL_ERROR && !failed) {
            REPORT(w, cell->line, "this lemma-error cell runs without an error; it must fail (or make it a lemma cell)");
        }
        lm_buf_free(&out);
    }
    lm_session_free(s);
    lm_cells_free(cells, n);
}

static bool in_readme(const lm_course *c, const char *id) {
    for (size_t i = 0; i < c->nreadme_skills; i++)
        if (!strcmp(c->readme_skills[i].id, id)) return true;
    return false;
}

/* NULL when the skill is known, else why not. The practice registry decides
 * once it has entries; until then the authors' table in lessons/README.md. */
static const char *skill_problem(const lm_course *c, const char *id) {
    size_t n = 0;
    const lm_skill_def *defs = lm_skill_defs(&n);
    if (n) {
        for (size_t i = 0; i < n; i++)
            if (defs[i].id && !strcmp(defs[i].id, id)) return NULL;
        return in_readme(c, id) ? "it is in lessons/README.md but has no exercise generator in src/learn yet"
                                : "it is neither in lessons/README.md nor in the practice registry";
    }
    if (!c->have_readme || in_readme(c, id)) return NULL;
    return "the skills are listed in lessons/README.md";
}

static void check_lesson(const lm_course *c, const lm_lesson *l, lm_lesson_report *r) {
    walk w;
    memset(&w, 0, sizeof w);
    w.c = c;
    w.l = l;
    w.r = r;
    w.last_line = l->body_line;
    const lm_fm_lines *fl = NULL;
    for (size_t i = 0; i < c->nfm_lines; i++)
        if (!strcmp(c->fm_lines[i].file, l->file)) fl = &c->fm_lines[i];
    for (size_t i = 0; i < l->nprerequisites; i++) {
        const char *p = l->prerequisites[i];
        if (lm_course_lesson_find(c, p)) {
            if (!strcmp(p, l->id)) REPORT(&w, fl ? fl->prerequisites : 1, "a lesson cannot be its own prerequisite");
            continue;
        }
        const char *near[1];
        if (lm_course_suggest(c, p, near, 1))
            REPORT(&w, fl ? fl->prerequisites : 1, "unknown prerequisite '%s': did you mean '%s'?", p, near[0]);
        else
            REPORT(&w, fl ? fl->prerequisites : 1, "unknown prerequisite '%s': no lesson has that id", p);
    }
    for (size_t i = 0; i < l->nskills; i++) {
        const char *why = skill_problem(c, l->skills[i]);
        if (why) REPORT(&w, fl ? fl->skills : 1, "unknown skill '%s': %s", l->skills[i], why);
    }

    MD_PARSER p = {0, MD_FLAG_LATEXMATHSPANS | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML,
                   w_enter_block, w_leave_block, w_enter_span, w_leave_span, w_text, NULL, NULL};
    md_parse(l->body, (MD_SIZE)strlen(l->body), &p, &w);
    if (w.in_check) end_question(&w);
    /* count the file's last line for "missing at the end" */
    w.last_line = l->body_line;
    for (const char *q = l->body; *q; q++) w.last_line += *q == '\n' && q[1];
    check_sections(&w);
    bool has_check = false;
    for (size_t i = 0; i < w.nfound; i++) has_check |= w.found[i].which == NSECTIONS - 1;
    if (has_check && w.questions < 3)
        REPORT(&w, w.check_line, "'## Check yourself' has %d question%s; it needs at least 3", w.questions,
               w.questions == 1 ? "" : "s");
    check_cells(&w);
    for (size_t i = 0; i < w.nfound; i++) lm_free(w.found[i].name);
    lm_free(w.found);
    lm_buf_free(&w.h2);
    lm_buf_free(&w.quote_text);
}

static int cmp_diag(const void *a, const void *b) {
    const lm_lesson_diag *x = a, *y = b;
    int k = strcmp(x->file, y->file);
    if (k) return k;
    return (x->line > y->line) - (x->line < y->line);
}

bool lm_course_check(const lm_course *c, lm_lesson_report *r) {
    for (size_t i = 0; i < c->nload_diags; i++)
        lm_report_add(&r->diags, &r->ndiags, &r->cap, c->load_diags[i].file, c->load_diags[i].line, "%s",
                      c->load_diags[i].msg);
    for (size_t i = 0; i < c->nlessons; i++) {
        check_lesson(c, &c->lessons[i], r);
        r->nlessons++;
    }
    /* stable: messages of one line keep the order they were found in */
    for (size_t i = 1; i < r->ndiags; i++)
        for (size_t j = i; j > 0 && cmp_diag(&r->diags[j - 1], &r->diags[j]) > 0; j--) {
            lm_lesson_diag t = r->diags[j];
            r->diags[j] = r->diags[j - 1];
            r->diags[j - 1] = t;
        }
    return r->ndiags == 0;
}

void lm_lesson_report_free(lm_lesson_report *r) {
    for (size_t i = 0; i < r->ndiags; i++) {
        lm_free(r->diags[i].file);
        lm_free(r->diags[i].msg);
    }
    lm_free(r->diags);
    memset(r, 0, sizeof *r);
}
