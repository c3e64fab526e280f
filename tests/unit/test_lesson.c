/* The lesson engine (lesson.h): front matter, loading a course from a folder,
 * the validator on tests/fixtures/lessons-bad (every mistake in it is listed
 * below with the file and line where it was written, counted by hand), the
 * good fixture checking clean, and the renderers: wrapping within the width,
 * answers hidden unless asked, HTML escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lemma/lesson.h"
#include "learn/lesson_int.h"

/* tests/fixtures/NAME, found from this file's own path */
static char *fixture(const char *name) {
    const char *here = __FILE__;
    const char *cut = strstr(here, "unit/test_lesson.c");
    lm_buf b = LM_BUF_INIT;
    lm_buf_put(&b, here, cut ? (size_t)(cut - here) : 0);
    lm_buf_printf(&b, "fixtures/%s", name);
    return lm_buf_steal(&b);
}

typedef struct diags {
    lm_lesson_diag *d;
    size_t n, cap;
} diags;

static void diags_free(diags *d) {
    for (size_t i = 0; i < d->n; i++) {
        lm_free(d->d[i].file);
        lm_free(d->d[i].msg);
    }
    lm_free(d->d);
}

static void test_front_matter_good(void **state) {
    (void)state;
    const char *text = "---\nid: a/b\ntitle: T: with a colon\nskills: [x/y, x/z]\n---\nbody\n";
    lm_front_matter fm;
    diags d = {0};
    assert_true(lm_front_matter_parse(text, strlen(text), "f.md", &fm, &d.d, &d.n, &d.cap));
    assert_int_equal(d.n, 0);
    assert_int_equal(fm.n, 3);
    assert_string_equal(fm.e[0].key, "id");
    assert_string_equal(fm.e[0].value, "a/b");
    assert_string_equal(fm.e[1].value, "T: with a colon"); /* only the first colon splits */
    assert_int_equal(fm.e[2].line, 4);
    assert_int_equal(fm.body_line, 6);
    assert_string_equal(text + fm.body_off, "body\n");
    char **items;
    size_t n;
    assert_true(lm_fm_list(fm.e[2].value, &items, &n));
    assert_int_equal(n, 2);
    assert_string_equal(items[0], "x/y");
    assert_string_equal(items[1], "x/z");
    for (size_t i = 0; i < n; i++) lm_free(items[i]);
    lm_free(items);
    lm_front_matter_free(&fm);
    diags_free(&d);
}

static void test_front_matter_mistakes(void **state) {
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *says;
    } cases[] = {
        {"id: a\n---\n", 1, "must start with a front matter block"},
        {"---\nid: a\n", 1, "never closed"},
        {"---\nid: a\njust words\n---\n", 3, "expected 'key: value'"},
        {"---\n: no key\n---\n", 2, "expected 'key: value'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lm_front_matter fm;
        diags d = {0};
        assert_false(lm_front_matter_parse(cases[i].text, strlen(cases[i].text), "f.md", &fm, &d.d, &d.n, &d.cap));
        assert_int_equal(d.n, 1);
        assert_int_equal(d.d[0].line, cases[i].line);
        if (!strstr(d.d[0].msg, cases[i].says)) fail_msg("case %zu said '%s'", i, d.d[0].msg);
        lm_front_matter_free(&fm);
        diags_free(&d);
    }
    static const char *const bad_lists[] = {"a, b", "[a, , b]", "[a,]", "[a", ""};
    for (size_t i = 0; i < sizeof bad_lists / sizeof *bad_lists; i++) {
        char **items;
        size_t n;
        assert_false(lm_fm_list(bad_lists[i], &items, &n));
        assert_null(items);
    }
    char **items;
    size_t n;
    assert_true(lm_fm_list("[]", &items, &n));
    assert_int_equal(n, 0);
    lm_free(items);
}

static void test_load_good(void **state) {
    (void)state;
    char *dir = fixture("lessons-good");
    lm_err err = LM_ERR_INIT;
    lm_course *c = lm_course_load_dir(dir, &err);
    assert_non_null(c);
    assert_int_equal(lm_course_nmodules(c), 1);
    assert_int_equal(lm_course_nlessons(c), 1);
    const lm_module *m = lm_course_module(c, 0);
    assert_string_equal(m->id, "mod");
    assert_string_equal(m->title, "A test module");
    assert_int_equal(m->level, LM_LEVEL_BEGINNER);
    const lm_lesson *l = lm_course_lesson_find(c, "mod/only");
    assert_non_null(l);
    assert_string_equal(l->title, "The only lesson");
    assert_int_equal(l->minutes, 10);
    assert_int_equal(l->nskills, 1);
    assert_string_equal(l->skills[0], "linalg-basics/vector-add");
    assert_string_equal(l->file, "mod/01-only.md");
    assert_int_equal(l->body_line, 11);
    const lm_course_skill *s = lm_course_skill_find(c, "linalg-basics/vector-add");
    assert_non_null(s);
    assert_string_equal(s->lesson, "mod/only");
    /* six cells: five lemma, one lemma-error; the first fence is on line 22 (grep -n) */
    size_t n;
    lm_cell *cells = lm_lesson_cells(l, &n);
    assert_int_equal(n, 6);
    assert_int_equal(cells[0].line, 22);
    assert_string_equal(cells[0].source, "u = [2; 1]\n");
    assert_int_equal(cells[3].kind, LM_CELL_ERROR);
    assert_int_equal(cells[2].kind, LM_CELL_RUN);
    lm_cells_free(cells, n);

    lm_lesson_report r = LM_LESSON_REPORT_INIT;
    bool ok = lm_course_check(c, &r);
    for (size_t i = 0; i < r.ndiags; i++) print_error("%s:%d: %s\n", r.diags[i].file, r.diags[i].line, r.diags[i].msg);
    assert_true(ok);
    assert_int_equal(r.nlessons, 1);
    assert_int_equal(r.ncells, 6);
    lm_lesson_report_free(&r);
    lm_course_free(c);
    lm_free(dir);
}

static void test_load_missing_dir(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    assert_null(lm_course_load_dir("/nonexistent/lessons", &err));
    assert_int_equal(err.kind, LM_ERR_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/lessons"));
    lm_err_clear(&err);
}

typedef struct expect {
    const char *file;
    int line;
    const char *says;
} expect;

/* Each mistake written into tests/fixtures/lessons-bad, with its line. */
static const expect bad[] = {
    {"mod/01-front.md", 2, "should be 'mod/front'"},
    {"mod/01-front.md", 4, "level must be beginner, intermediate or advanced, not 'expert'"},
    {"mod/01-front.md", 6, "order is 2 but the file name starts with 01"},
    {"mod/01-front.md", 7, "unknown front-matter key 'colour'"},
    {"mod/01-front.md", 8, "prerequisites must be a list in brackets"},
    {"mod/01-front.md", 10, "minutes must be a whole number"},
    {"mod/01-front.md", 15, "no '## Check yourself' section"},
    {"mod/02-nofence.md", 1, "must start with a front matter block"},
    {"mod/03-sections.md", 7, "unknown prerequisite 'mod/nope'"},
    {"mod/03-sections.md", 8, "unknown skill 'mod/not-a-skill'"},
    {"mod/03-sections.md", 18, "'lesson:mod/sectoins' names no lesson; did you mean 'mod/sections'?"},
    {"mod/03-sections.md", 21, "'rand' draws random numbers before any seed"},
    {"mod/03-sections.md", 24, "'## The idea in 2D' must come before '## Worked example'"},
    {"mod/03-sections.md", 26, "this cell fails: unknown function 'sine'"},
    {"mod/03-sections.md", 32, "lemma-error cell runs without an error"},
    {"mod/03-sections.md", 42, "has 2 questions; it needs at least 3"},
    {"mod/03-sections.md", 42, "no '## ML connection' section"},
    {"mod/03-sections.md", 48, "this self-check question has no answer"},
    {"mod/04-open.md", 1, "never closed"},
};

static void test_check_bad(void **state) {
    (void)state;
    char *dir = fixture("lessons-bad");
    lm_err err = LM_ERR_INIT;
    lm_course *c = lm_course_load_dir(dir, &err);
    assert_non_null(c);
    lm_lesson_report r = LM_LESSON_REPORT_INIT;
    assert_false(lm_course_check(c, &r));
    bool *used = lm_calloc(r.ndiags + 1, sizeof *used);
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        bool found = false;
        for (size_t i = 0; i < r.ndiags && !found; i++) {
            const lm_lesson_diag *d = &r.diags[i];
            if (!strcmp(d->file, bad[k].file) && d->line == bad[k].line && strstr(d->msg, bad[k].says))
                found = used[i] = true;
        }
        if (!found) {
            for (size_t i = 0; i < r.ndiags; i++)
                print_error("%s:%d: %s\n", r.diags[i].file, r.diags[i].line, r.diags[i].msg);
            fail_msg("not reported: %s:%d: %s", bad[k].file, bad[k].line, bad[k].says);
        }
    }
    /* 01-front.md also lacks the sections between Why it matters and Check
     * yourself; anything else reported is a mistake of the validator */
    for (size_t i = 0; i < r.ndiags; i++) {
        if (used[i]) continue;
        const lm_lesson_diag *d = &r.diags[i];
        if (!strcmp(d->file, "mod/01-front.md") && d->line == 15 && strstr(d->msg, "the lesson has no '## "))
            continue;
        fail_msg("unexpected: %s:%d: %s", d->file, d->line, d->msg);
    }
    lm_free(used);
    lm_lesson_report_free(&r);
    lm_course_free(c);
    lm_free(dir);
}

/* Display columns of every line: at most `width`, counting code points. */
static size_t widest_line(const char *s) {
    size_t widest = 0;
    while (*s) {
        size_t n = strcspn(s, "\n");
        size_t points = 0;
        for (size_t i = 0; i < n; i++) points += ((unsigned char)s[i] & 0xC0) != 0x80;
        if (points > widest) widest = points;
        s += n + (s[n] == '\n');
    }
    return widest;
}

static void test_render_text(void **state) {
    (void)state;
    char *dir = fixture("lessons-good");
    lm_err err = LM_ERR_INIT;
    lm_course *c = lm_course_load_dir(dir, &err);
    const lm_lesson *l = lm_course_lesson_find(c, "mod/only");
    static const int widths[] = {80, 60, 40};
    for (size_t k = 0; k < 3; k++) {
        lm_render_opts o = {widths[k], false, false};
        lm_buf out = LM_BUF_INIT;
        lm_lesson_render_text(c, l, &o, &out);
        const char *s = lm_buf_cstr(&out);
        if (widest_line(s) > (size_t)widths[k]) fail_msg("a line is wider than %d:\n%s", widths[k], s);
        assert_null(strstr(s, "SECRET-ONE"));
        assert_non_null(strstr(s, "Answer hidden"));
        assert_null(strchr(s, '\033')); /* no colour asked for */
        assert_non_null(strstr(s, "x² + y²"));
        assert_non_null(strstr(s, "⎡1  2⎤"));
        assert_non_null(strstr(s, "» u = [2; 1]"));
        /* the cell's value, printed by the engine: 2*u = [4; 2] */
        assert_non_null(strstr(s, "     4\n"));
        assert_non_null(strstr(s, "⣀")); /* the plot, in braille */
        lm_buf_free(&out);
    }
    lm_render_opts o = {80, true, true};
    lm_buf out = LM_BUF_INIT;
    lm_lesson_render_text(c, l, &o, &out);
    assert_non_null(strstr(lm_buf_cstr(&out), "SECRET-THREE"));
    assert_non_null(strchr(lm_buf_cstr(&out), '\033'));
    lm_buf_free(&out);
    lm_course_free(c);
    lm_free(dir);
}

static void test_render_html(void **state) {
    (void)state;
    char *dir = fixture("lessons-good");
    lm_err err = LM_ERR_INIT;
    lm_course *c = lm_course_load_dir(dir, &err);
    const lm_lesson *l = lm_course_lesson_find(c, "mod/only");
    lm_buf out = LM_BUF_INIT;
    lm_lesson_render_html(c, l, &out);
    const char *s = lm_buf_cstr(&out);
    assert_null(strstr(s, "<script>"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(s, "&amp; stays text"));
    assert_non_null(strstr(s, "<span class=\"math\" data-display=\"false\">x^2 + y^2</span>"));
    assert_non_null(strstr(s, "<span class=\"math\" data-display=\"true\">"));
    assert_non_null(strstr(s, "<div class=\"cell\" data-index=\"0\" data-kind=\"lemma\"><pre class=\"source\">u = [2; 1]"));
    assert_non_null(strstr(s, "data-index=\"3\" data-kind=\"lemma-error\""));
    assert_non_null(strstr(s, "<pre class=\"error\">"));
    assert_non_null(strstr(s, "<svg"));
    assert_non_null(strstr(s, "<a class=\"lesson-link\" href=\"#/lesson/mod/only\">"));
    assert_non_null(strstr(s, "<details class=\"answer\"><summary>Answer</summary>"));
    /* the In ML cell is "u' * u\nv = 3;\nv + 1": line 1 gives a value, lines
       2-3 (the silent assignment, then v + 1) give the next, as the terminal
       groups them */
    const char *first = strstr(s, "<div class=\"stmt\" data-line=\"1\" data-line-end=\"1\"><pre class=\"text\">");
    assert_non_null(first);
    const char *second = strstr(first, "</div><div class=\"stmt\" data-line=\"2\" data-line-end=\"3\"><pre class=\"text\">4");
    assert_non_null(second);
    size_t opens = 0, closes = 0;
    for (const char *p = s; (p = strstr(p, "<div")); p++) opens++;
    for (const char *p = s; (p = strstr(p, "</div>")); p++) closes++;
    assert_int_equal(opens, closes);
    lm_buf_free(&out);
    lm_course_free(c);
    lm_free(dir);
}

static void test_md_text(void **state) {
    (void)state;
    const char *md = "Compute $\\frac{a}{b}$ and **bold** and `code`.\n\n- one\n- two\n";
    lm_render_opts o = {40, false, false};
    lm_buf out = LM_BUF_INIT;
    lm_md_render_text(md, strlen(md), &o, 2, &out);
    assert_string_equal(lm_buf_cstr(&out), "  Compute a/b and bold and code.\n\n  • one\n  • two\n");
    lm_buf_free(&out);
}

/* A table keeps its header, a rule under it, and its columns' alignment. */
static void test_md_table(void **state) {
    (void)state;
    const char *md = "| | contains *free* | no *free* |\n|---|---:|---:|\n"
                     "| **spam** | 7 | 12 |\n| **not spam** | 10 | 6 |\n";
    lm_render_opts o = {80, false, false};
    lm_buf out = LM_BUF_INIT;
    lm_md_render_text(md, strlen(md), &o, 2, &out);
    assert_string_equal(lm_buf_cstr(&out), "           │ contains free │ no free\n"
                                           "  ─────────┼───────────────┼────────\n"
                                           "  spam     │             7 │      12\n"
                                           "  not spam │            10 │       6\n");
    lm_buf_reset(&out);
    /* too wide for 30 columns: the long column wraps, the short one keeps its width */
    const char *wide = "Before.\n\n| term | meaning |\n|---|---|\n"
                       "| PDF | the density of a continuous random variable |\n\nAfter.\n";
    o.width = 30;
    lm_md_render_text(wide, strlen(wide), &o, 0, &out);
    assert_string_equal(lm_buf_cstr(&out), "Before.\n\n"
                                           "term │ meaning\n"
                                           "─────┼────────────────────────\n"
                                           "PDF  │ the density of a\n"
                                           "     │ continuous random\n"
                                           "     │ variable\n\n"
                                           "After.\n");
    lm_buf_reset(&out);
    lm_md_render_html(md, strlen(md), &out);
    assert_string_equal(lm_buf_cstr(&out),
                        "<table><thead><tr><th></th><th style=\"text-align: right\">contains <em>free</em></th>"
                        "<th style=\"text-align: right\">no <em>free</em></th></tr></thead><tbody>"
                        "<tr><td><strong>spam</strong></td><td style=\"text-align: right\">7</td>"
                        "<td style=\"text-align: right\">12</td></tr>"
                        "<tr><td><strong>not spam</strong></td><td style=\"text-align: right\">10</td>"
                        "<td style=\"text-align: right\">6</td></tr></tbody></table>");
    lm_buf_free(&out);
}

static void test_suggest(void **state) {
    (void)state;
    char *dir = fixture("lessons-good");
    lm_err err = LM_ERR_INIT;
    lm_course *c = lm_course_load_dir(dir, &err);
    const char *near[3];
    assert_int_equal(lm_course_suggest(c, "mod/onyl", near, 3), 1);
    assert_string_equal(near[0], "mod/only");
    assert_int_equal(lm_course_suggest(c, "completely-different-thing", near, 3), 0);
    lm_course_free(c);
    lm_free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter_good), cmocka_unit_test(test_front_matter_mistakes),
        cmocka_unit_test(test_load_good),         cmocka_unit_test(test_load_missing_dir),
        cmocka_unit_test(test_check_bad),         cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_render_html),       cmocka_unit_test(test_md_text),
        cmocka_unit_test(test_suggest),           cmocka_unit_test(test_md_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
