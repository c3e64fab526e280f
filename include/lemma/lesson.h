/* The course: modules and lessons read from Markdown (lessons/README.md is the
 * authors' guide), validated, and rendered for the terminal and the browser.
 *
 * The lesson files are embedded in the binary at build time (cmake/Embed.cmake),
 * so `lemma learn` works from any directory; authors load a folder instead
 * (`lemma learn --check --dir lessons`). A course is immutable once loaded and
 * may be shared by threads that only read it (rendering makes its own session).
 *
 * Ownership follows core.h: everything returned by pointer from a course is
 * borrowed and lives as long as the course. */
#ifndef LEMMA_LESSON_H
#define LEMMA_LESSON_H

#include "lemma/core.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum lm_level {
    LM_LEVEL_NONE = 0, /* not given or not one of the three */
    LM_LEVEL_BEGINNER,
    LM_LEVEL_INTERMEDIATE,
    LM_LEVEL_ADVANCED,
} lm_level;

const char *lm_level_name(lm_level l);     /* "beginner", ...; "" for NONE */
lm_level lm_level_parse(const char *s);    /* LM_LEVEL_NONE when unknown */

typedef struct lm_module {
    const char *id;     /* "linalg-basics" */
    const char *title;  /* "Linear algebra basics" */
    lm_level level;
    int order;          /* 1..9: curriculum order */
    const char *body;   /* Markdown after the front matter of MODULE/module.md */
    const char *file;   /* "linalg-basics/module.md", relative to the course root */
    size_t first;       /* its lessons are lm_course_lesson(c, first .. first+nlessons-1) */
    size_t nlessons;
} lm_module;

typedef struct lm_lesson {
    const char *id;                   /* "linalg-basics/vectors" */
    const char *title;
    lm_level level;
    const char *module;               /* "linalg-basics" */
    int order;                        /* position inside its module */
    const char *const *prerequisites; /* lesson ids */
    size_t nprerequisites;
    const char *const *skills;        /* skill ids "module/skill" */
    size_t nskills;
    int minutes;
    const char *body;                 /* the Markdown after the front matter */
    int body_line;                    /* line of the file where body starts (1-based) */
    const char *file;                 /* "linalg-basics/01-vectors.md", relative to the root */
} lm_lesson;

typedef struct lm_course lm_course;

/* The copy embedded in the binary. Never NULL. A file whose front matter
 * block is missing or unclosed is left out; that, and every other mistake
 * found while loading, is reported by lm_course_check. */
lm_course *lm_course_load_embedded(void);
/* Every MODULE/module.md and MODULE/NN-*.md under dir (README.md is read for
 * its skill table). NULL with *err (io) when dir cannot be read. */
lm_course *lm_course_load_dir(const char *dir, lm_err *err);
void lm_course_free(lm_course *c);

/* Modules in curriculum order; lessons in curriculum order (module order, then
 * lesson order), so index+1 is "next lesson". */
size_t lm_course_nmodules(const lm_course *c);
const lm_module *lm_course_module(const lm_course *c, size_t i);
const lm_module *lm_course_module_find(const lm_course *c, const char *id);
size_t lm_course_nlessons(const lm_course *c);
const lm_lesson *lm_course_lesson(const lm_course *c, size_t i);
const lm_lesson *lm_course_lesson_find(const lm_course *c, const char *id);
/* Index in curriculum order, or (size_t)-1. */
size_t lm_course_lesson_index(const lm_course *c, const lm_lesson *l);
/* Up to `max` lesson ids nearest to `id` by edit distance (for "did you mean");
 * returns how many were written. */
size_t lm_course_suggest(const lm_course *c, const char *id, const char **out, size_t max);

/* Skills declared by lessons, in the order they first appear in the curriculum. */
typedef struct lm_course_skill {
    const char *id;                   /* "linalg-basics/dot-product" */
    const char *lesson;               /* the first lesson that declares it */
    const char *const *prerequisites; /* skills of that lesson's prerequisite lessons */
    size_t nprerequisites;
} lm_course_skill;

size_t lm_course_nskills(const lm_course *c);
const lm_course_skill *lm_course_skill_at(const lm_course *c, size_t i);
const lm_course_skill *lm_course_skill_find(const lm_course *c, const char *id);

/* ---- cells ---------------------------------------------------------------- */

typedef enum lm_cell_kind {
    LM_CELL_RUN,   /* ```lemma: must succeed */
    LM_CELL_ERROR, /* ```lemma-error: runs and must fail */
} lm_cell_kind;

typedef struct lm_cell {
    lm_cell_kind kind;
    int index;     /* 0-based, in lesson order */
    int line;      /* line of the opening fence in the file */
    char *source;  /* owned */
} lm_cell;

/* The lesson's live cells in order; free with lm_cells_free. */
lm_cell *lm_lesson_cells(const lm_lesson *l, size_t *n);
void lm_cells_free(lm_cell *cells, size_t n);

/* ---- validation -------------------------------------------------------------- */

typedef struct lm_lesson_diag {
    char *file; /* relative to the course root, "linalg/02-eigenvalues.md" */
    int line;   /* 1-based; 0 when it concerns the whole file */
    char *msg;  /* plain words, no trailing newline */
} lm_lesson_diag;

typedef struct lm_lesson_report {
    lm_lesson_diag *diags;
    size_t ndiags, cap;
    size_t nlessons; /* lessons checked */
    size_t ncells;   /* cells run */
} lm_lesson_report;

#define LM_LESSON_REPORT_INIT {NULL, 0, 0, 0, 0}
/* Checks everything the authors' guide asks for: front matter, known
 * prerequisites and skills, sections in order, 3+ self-check questions,
 * `lesson:` links, cells that fail, lemma-error cells that succeed, random
 * numbers drawn before any seed(. Returns true when nothing was found. */
bool lm_course_check(const lm_course *c, lm_lesson_report *r);
void lm_lesson_report_free(lm_lesson_report *r);

/* ---- rendering ------------------------------------------------------------- */

typedef struct lm_render_opts {
    int width;    /* columns; 0 = 80 */
    bool color;   /* ANSI colours and bold */
    bool answers; /* show the self-check answers */
} lm_render_opts;

/* A lesson for the terminal: title, Markdown rendered and wrapped to width,
 * math as Unicode, every cell with its source and its output (plots in
 * braille). Cells run in one fresh session. No line has more than width code
 * points: prose is word-wrapped, and a wider line of code or output is cut
 * and continued on the next line. */
void lm_lesson_render_text(const lm_course *c, const lm_lesson *l, const lm_render_opts *o, lm_buf *out);

/* A lesson as an HTML fragment for the web UI: math left as TeX in
 * <span class="math" data-display="false|true">, each cell as
 * <div class="cell" data-index="i" data-kind="lemma|lemma-error"> with
 * <pre class="source"> and <div class="output"> (text in <pre>, plots as SVG),
 * self-check answers inside <details>. Everything from text is escaped;
 * `lesson:` links become href="#/lesson/ID". */
void lm_lesson_render_html(const lm_course *c, const lm_lesson *l, lm_buf *out);

/* Markdown with $...$ math to terminal text (the practice commands use it for
 * prompts and solution steps). `indent` spaces start every line. No cells run. */
void lm_md_render_text(const char *md, size_t len, const lm_render_opts *o, int indent, lm_buf *out);
/* Markdown with math to an HTML fragment, math as KaTeX spans. No cells run. */
void lm_md_render_html(const char *md, size_t len, lm_buf *out);

/* LaTeX (the lessons' subset) to readable Unicode: x^{2} → x², x_i → xᵢ,
 * \frac{a}{b} → a/b, \sqrt{x} → √x, greek, operators. Unknown commands are
 * written without the backslash. A bmatrix becomes aligned rows separated by
 * '\n' (the caller indents them). */
void lm_latex_to_unicode(const char *tex, size_t len, lm_buf *out);

/* Escapes & < > " ' for HTML text and attribute values. */
void lm_html_escape(const char *s, size_t len, lm_buf *out);

/* Display columns of UTF-8 text, ANSI escape sequences not counted. */
size_t lm_text_columns(const char *s, size_t len);

#endif
