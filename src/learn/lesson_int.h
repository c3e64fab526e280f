/* Private to the lesson engine (src/learn/lesson*.c, latex.c). */
#ifndef LEMMA_LESSON_INT_H
#define LEMMA_LESSON_INT_H

#include "lemma/lesson.h"

#include <stddef.h>

/* One file of the course as embedded by cmake/Embed.cmake; the table ends
 * with an entry whose path is NULL. */
typedef struct lm_embedded_file {
    const char *path; /* relative to lessons/: "linalg/02-eigenvalues.md" */
    const unsigned char *data; /* NUL-terminated */
    size_t len;
} lm_embedded_file;

extern const lm_embedded_file lm_lessons_embedded[];

/* A skill id from the table in lessons/README.md (the authors' list, used while
 * the practice registry is empty). */
typedef struct lm_readme_skill {
    char *id;
    char *lesson;
} lm_readme_skill;

/* Where a lesson's list fields are in its file, for the check's messages. */
typedef struct lm_fm_lines {
    char *file;
    int prerequisites, skills;
} lm_fm_lines;

struct lm_course {
    lm_fm_lines *fm_lines;
    size_t nfm_lines;
    lm_module *modules;
    size_t nmodules;
    lm_lesson *lessons;
    size_t nlessons;
    lm_course_skill *skills;
    size_t nskills;
    lm_readme_skill *readme_skills;
    size_t nreadme_skills;
    bool have_readme;
    /* what loading found: front-matter mistakes, files in the wrong place */
    lm_lesson_diag *load_diags;
    size_t nload_diags, load_cap;
};

void lm_report_add(lm_lesson_diag **d, size_t *n, size_t *cap, const char *file, int line,
                   const char *fmt, ...) LM_PRINTF(6, 7);

/* Front matter: parses the block at the start of text. On success fills the
 * key/value list and *body_off / *body_line; mistakes are reported with lines. */
typedef struct lm_fm_entry {
    char *key;
    char *value; /* raw text after "key:", trimmed */
    int line;
} lm_fm_entry;

typedef struct lm_front_matter {
    lm_fm_entry *e;
    size_t n;
    size_t body_off;
    int body_line;
} lm_front_matter;

bool lm_front_matter_parse(const char *text, size_t len, const char *file, lm_front_matter *fm,
                           lm_lesson_diag **d, size_t *nd, size_t *cap);
void lm_front_matter_free(lm_front_matter *fm);
/* Parses "[a, b]" into a NULL-terminated owned array; false on a malformed list. */
bool lm_fm_list(const char *value, char ***items, size_t *n);

/* Code points of text, ANSI escapes not counted (control bytes are). */
size_t lm_text_points(const char *s, size_t len);

/* UTF-8 helpers shared by the renderers. */
size_t lm_utf8_len(unsigned char c); /* bytes of the sequence starting with c (1 on bad input) */

/* Inline math: like lm_latex_to_unicode but always one line (a matrix is
 * written [a b; c d]). */
void lm_latex_inline(const char *tex, size_t len, lm_buf *out);

/* The check runs cells the way the renderers do (same session limits). */
typedef struct lm_session lm_session;
lm_session *lm_lesson_session_new(void);
int lm_lesson_run_cell_quiet(lm_session *s, const char *src, size_t len, lm_buf *out);

#endif
