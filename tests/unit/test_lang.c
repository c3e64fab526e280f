/* Unit tests for the language layer's C API (include/lemma/lang.h): values and
 * errors from lm_eval_value, what lm_eval emits, lm_parse_status, independent
 * sessions, the workspace, the builtin registry, the JSON printer, freeing
 * sessions that hold live values, and the parser/evaluator under stress.
 *
 * Expected values are hand arithmetic, Octave's documented behaviour, Python's
 * repr() for doubles, or the contracts written in DESIGN.md / lang.h /
 * limits.h, as each comment says. Inputs that might crash the process run in a
 * forked child, so a crash fails one test instead of ending the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang_int.h"

/* ---- helpers ---- */

#define assert_near(x, ref, tol) near_((x), (ref), (tol), #x, __FILE__, __LINE__)

static void near_(double x, double ref, double tol, const char *what, const char *file, int line) {
    if (x == ref || fabs(x - ref) <= tol) return;
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, x, ref, tol);
    _fail(file, line);
}

#define assert_contains(hay, needle) contains_((hay), (needle), __FILE__, __LINE__)

static void contains_(const char *hay, const char *needle, const char *file, int line) {
    if (hay && strstr(hay, needle)) return;
    print_error("\"%s\" does not contain \"%s\"\n", hay ? hay : "(null)", needle);
    _fail(file, line);
}

#define assert_starts_with(s, prefix) starts_((s), (prefix), __FILE__, __LINE__)

static void starts_(const char *s, const char *prefix, const char *file, int line) {
    if (s && strncmp(s, prefix, strlen(prefix)) == 0) return;
    print_error("\"%s\" does not start with \"%s\"\n", s ? s : "(null)", prefix);
    _fail(file, line);
}

#define assert_ends_with(s, suffix) ends_((s), (suffix), __FILE__, __LINE__)

static void ends_(const char *s, const char *suffix, const char *file, int line) {
    size_t n = s ? strlen(s) : 0, k = strlen(suffix);
    if (s && n >= k && strcmp(s + n - k, suffix) == 0) return;
    print_error("\"%s\" does not end with \"%s\"\n", s ? s : "(null)", suffix);
    _fail(file, line);
}

/* Evaluates src in s and checks that it gives the number `want`. */
static void expect_num(lm_session *s, const char *src, double want, double tol) {
    lm_value v = lm_eval_value(s, src);
    if (v.kind != LM_NUM) {
        lm_buf b = LM_BUF_INIT;
        lm_value_text(s, v, &b);
        print_error("%s gave %s (%s), not a number\n", src, lm_kind_a((lm_kind)v.kind), lm_buf_cstr(&b));
        lm_buf_free(&b);
        lm_release(v);
        fail();
    }
    if (!(v.u.num == want || fabs(v.u.num - want) <= tol)) {
        print_error("%s = %.17g, expected %.17g\n", src, v.u.num, want);
        fail();
    }
}

/* Evaluates src and checks that it fails with `kind`; returns nothing. */
static void expect_error(lm_session *s, const char *src, lm_errkind kind) {
    lm_value v = lm_eval_value(s, src);
    if (!lm_is_error(v)) {
        print_error("%s did not fail (gave %s)\n", src, lm_kind_a((lm_kind)v.kind));
        lm_release(v);
        fail();
    }
    lm_errkind got = lm_error_obj(v)->kind;
    if (got != kind) {
        print_error("%s failed with a %s error (%s), expected %s\n", src, lm_errkind_name(got), lm_error_obj(v)->msg,
                    lm_errkind_name(kind));
        lm_release(v);
        fail();
    }
    assert_true(strlen(lm_error_obj(v)->msg) > 0);
    lm_release(v);
}

/* Everything one lm_eval emitted, copied out of the callback. */
typedef struct item {
    lm_outkind kind;
    char *name;
    lm_value value;
    char *text;
    size_t nwarnings;
    char *warning0;
    char *json;
    char *human; /* lm_output_text */
    char *src_name;
    char *src;
} item;

typedef struct collector {
    lm_session *s;
    item v[64];
    int n;
} collector;

static void collect(void *ud, const lm_output *o) {
    collector *c = ud;
    if (c->n == 64) return;
    item *it = &c->v[c->n++];
    memset(it, 0, sizeof *it);
    it->kind = o->kind;
    it->name = o->name ? lm_strdup(o->name) : NULL;
    it->value = lm_retain(o->value);
    it->text = o->text ? lm_strndup(o->text, o->textlen) : NULL;
    it->nwarnings = o->nwarnings;
    it->warning0 = o->nwarnings ? lm_strdup(o->warnings[0]) : NULL;
    it->src_name = o->src_name ? lm_strdup(o->src_name) : NULL;
    it->src = o->src ? lm_strdup(o->src) : NULL;
    lm_buf b = LM_BUF_INIT;
    lm_output_json(o, &b);
    it->json = lm_buf_steal(&b);
    lm_output_text(c->s, o, &b);
    it->human = lm_buf_steal(&b);
}

static void collector_clear(collector *c) {
    for (int i = 0; i < c->n; i++) {
        item *it = &c->v[i];
        lm_free(it->name);
        lm_release(it->value);
        lm_free(it->text);
        lm_free(it->warning0);
        lm_free(it->json);
        lm_free(it->human);
        lm_free(it->src_name);
        lm_free(it->src);
    }
    c->n = 0;
}

/* Runs src with output discarded; the number of failed statements. */
static int ev(lm_session *s, const char *src) { return lm_eval(s, src, strlen(src), NULL); }

static int run_collect(collector *c, const char *src, const char *name) {
    lm_eval_opts o = {name, collect, c};
    return lm_eval(c->s, src, strlen(src), &o);
}

/* ---- lm_eval_value ---- */

static void test_eval_value_numbers(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    expect_num(s, "1+2", 3, 0);                          /* hand */
    expect_num(s, "2^10", 1024, 0);                      /* hand */
    expect_num(s, "1/3", 0.3333333333333333, 0);         /* Python repr(1/3): IEEE division */
    expect_num(s, "-2^2", -4, 0);                        /* Octave: ^ binds tighter than unary minus */
    expect_num(s, "2^3^2", 512, 0);                      /* DESIGN/parse.c: ^ right-associative, 2^9 */
    expect_num(s, "7 - 2 - 1", 4, 0);                    /* left-associative: (7-2)-1 */
    expect_num(s, "det([1 2; 3 4])", -2, 1e-12);         /* hand: 1*4 - 2*3 */
    expect_num(s, "sin(pi/2)", 1, 1e-15);                /* sin(90 degrees) */
    expect_num(s, "x = 5", 5, 0);                        /* an assignment prints, so it is the value */
    expect_num(s, "x * 2", 10, 0);                       /* the workspace persists between calls */
    expect_num(s, "sum([1 2; 3 4])(2)", 6, 0);           /* Octave: sum runs down columns: [4 6] */

    /* a product of matrices: [1 2; 3 4] * [5; 6] = [1*5+2*6; 3*5+4*6] = [17; 39] by hand */
    lm_value m = lm_eval_value(s, "[1 2; 3 4] * [5; 6]");
    assert_int_equal(m.kind, LM_TENSOR);
    lm_tensor *t = lm_tensor_of(m);
    assert_int_equal(t->ndim, 2);
    assert_int_equal(t->shape[0], 2);
    assert_int_equal(t->shape[1], 1);
    assert_near(lm_tensor_get2(t, 0, 0), 17, 1e-12);
    assert_near(lm_tensor_get2(t, 1, 0), 39, 1e-12);
    lm_release(m);

    /* Octave: sqrt of a negative number is complex, sqrt(-4) = 0 + 2i */
    lm_value c = lm_eval_value(s, "sqrt(-4)");
    assert_int_equal(c.kind, LM_COMPLEX);
    assert_near(lm_complex_re(c), 0, 1e-15);
    assert_near(lm_complex_im(c), 2, 1e-15);
    lm_release(c);

    /* an unbound name is a symbol (DESIGN.md, "Names") */
    lm_value e = lm_eval_value(s, "y + 1");
    assert_int_equal(e.kind, LM_EXPR);
    lm_release(e);

    /* a statement ended by ';' prints nothing, so there is no value */
    lm_value nil = lm_eval_value(s, "z = 3;");
    assert_true(lm_is_nil(nil));
    expect_num(s, "z", 3, 0);
    lm_session_free(s);
}

static void test_eval_value_errors(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    expect_error(s, "[1 2] + [1 2 3]", LM_ERR_SHAPE);        /* 1x2 + 1x3 */
    expect_error(s, "[1 2; 3 4] * [1 2 3]", LM_ERR_SHAPE);   /* 2x2 * 1x3 */
    expect_error(s, "inv([1 2; 2 4])", LM_ERR_SINGULAR);     /* det = 1*4 - 2*2 = 0 */
    expect_error(s, "nosuchfunction(1)", LM_ERR_NAME);       /* DESIGN.md: unknown function is a name error */
    expect_error(s, "1 +* 2", LM_ERR_PARSE);
    expect_error(s, "[1 2 3](0)", LM_ERR_DOMAIN);            /* indices start at 1 */

    /* DESIGN.md: sine(x) -> a name error that suggests sin */
    lm_value v = lm_eval_value(s, "sine(1)");
    assert_true(lm_is_error(v));
    assert_int_equal(lm_error_obj(v)->kind, LM_ERR_NAME);
    assert_contains(lm_error_obj(v)->msg, "'sin'");
    lm_release(v);

    /* a parse error carries its place: '*' is the 4th character of "1 +* 2" */
    v = lm_eval_value(s, "1 +* 2");
    lm_error *e = lm_error_obj(v);
    assert_true(e->has_span);
    assert_false(e->incomplete);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->col, 4);
    assert_int_equal(e->start, 3); /* byte offset of '*' */
    lm_release(v);

    /* a failing statement does not bind anything; the session goes on */
    expect_error(s, "w = [1 2] + [1 2 3]", LM_ERR_SHAPE);
    assert_true(lm_is_nil(lm_session_get(s, "w")));
    expect_num(s, "40 + 2", 42, 0);
    lm_session_free(s);
}

/* ---- lm_eval and its outputs ---- */

static void test_eval_outputs(void **state) {
    (void)state;
    collector c = {0};
    c.s = lm_session_new();
    const char *prog = "a = 1\n"
                       "b = 2;\n"
                       "disp(5)\n"
                       "sine(1)\n"
                       "c = a + b\n"
                       "3 + 4\n"
                       "printf(\"%d-%d\\n\", 8, 9)\n";
    /* lang.h: lm_eval returns the number of failed statements */
    assert_int_equal(run_collect(&c, prog, "lesson.lm"), 1);
    assert_int_equal(c.n, 6);

    assert_int_equal(c.v[0].kind, LM_OUT_VALUE);
    assert_string_equal(c.v[0].name, "a");
    assert_int_equal(c.v[0].value.kind, LM_NUM);
    assert_true(c.v[0].value.u.num == 1);
    /* DESIGN.md: JSON adds "name" to assignments */
    assert_string_equal(c.v[0].json, "{\"ok\":true,\"name\":\"a\",\"type\":\"number\",\"value\":1}");
    assert_string_equal(c.v[0].human, "a = 1\n"); /* Octave prints `a = 1` */
    assert_string_equal(c.v[0].src_name, "lesson.lm");
    assert_string_equal(c.v[0].src, prog);

    /* b = 2; prints nothing. disp(5) writes text */
    assert_int_equal(c.v[1].kind, LM_OUT_TEXT);
    assert_string_equal(c.v[1].text, "5\n");
    assert_string_equal(c.v[1].json, "{\"ok\":true,\"type\":\"output\",\"text\":\"5\\n\"}");

    assert_int_equal(c.v[2].kind, LM_OUT_ERROR);
    assert_true(lm_is_error(c.v[2].value));
    assert_int_equal(lm_error_obj(c.v[2].value)->kind, LM_ERR_NAME);
    /* "sine" starts line 4, column 1 */
    assert_ends_with(c.v[2].json, ",\"line\":4,\"col\":1}}");
    assert_starts_with(c.v[2].json, "{\"ok\":false,\"error\":{\"kind\":\"name\",\"message\":\"");
    assert_starts_with(c.v[2].human, "error: ");
    assert_contains(c.v[2].human, "lesson.lm, line 4, column 1");
    assert_contains(c.v[2].human, "\n    sine(1)\n    ^^^^\n"); /* caret under the 4-letter name */

    /* evaluation went on after the error */
    assert_int_equal(c.v[3].kind, LM_OUT_VALUE);
    assert_string_equal(c.v[3].name, "c");
    assert_true(c.v[3].value.u.num == 3);

    assert_int_equal(c.v[4].kind, LM_OUT_VALUE);
    assert_null(c.v[4].name); /* a bare expression has no name */
    assert_true(c.v[4].value.u.num == 7);
    assert_string_equal(c.v[4].json, "{\"ok\":true,\"type\":\"number\",\"value\":7}");

    assert_int_equal(c.v[5].kind, LM_OUT_TEXT);
    assert_string_equal(c.v[5].text, "8-9\n"); /* C printf semantics */
    for (int i = 0; i < c.n; i++) assert_int_equal(c.v[i].nwarnings, 0);
    collector_clear(&c);

    /* DESIGN.md: rebinding pi warns, and the warning rides along in JSON */
    assert_int_equal(run_collect(&c, "pi = 3\npi = 4", NULL), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.v[0].nwarnings, 1);
    assert_contains(c.v[0].warning0, "pi");
    assert_contains(c.v[0].json, ",\"warnings\":[\"");
    assert_starts_with(c.v[0].human, "warning: ");
    assert_string_equal(c.v[0].src_name, "<input>"); /* lang.h: NULL means "<input>" */
    /* the second rebinding is of the user's own variable: no new warning */
    assert_int_equal(c.v[1].nwarnings, 0);
    collector_clear(&c);
    expect_num(c.s, "pi", 4, 0);

    /* a NULL emit discards output but still evaluates */
    lm_eval_opts quiet = {NULL, NULL, NULL};
    assert_int_equal(lm_eval(c.s, "q = 11\nsine(2)", strlen("q = 11\nsine(2)"), &quiet), 1);
    expect_num(c.s, "q", 11, 0);
    assert_int_equal(ev(c.s, "q = 12"), 0);
    expect_num(c.s, "q", 12, 0);
    lm_session_free(c.s);
}

/* DESIGN.md: a parse error anywhere stops the whole program before anything runs. */
static void test_parse_error_json(void **state) {
    (void)state;
    collector c = {0};
    c.s = lm_session_new();
    assert_int_equal(run_collect(&c, "a = 1\nb = 1 +* 2", "<eval>"), 1);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.v[0].kind, LM_OUT_ERROR);
    /* '*' of "b = 1 +* 2" is on line 2, column 8 (b,space,=,space,1,space,+,*) */
    assert_starts_with(c.v[0].json, "{\"ok\":false,\"error\":{\"kind\":\"parse\",\"message\":\"");
    assert_ends_with(c.v[0].json, "\",\"line\":2,\"col\":8}}");
    assert_true(lm_is_nil(lm_session_get(c.s, "a"))); /* line 1 never ran */
    collector_clear(&c);

    /* columns count characters, not bytes: in "\"é\" +* 1" the '*' is the 6th
     * character (", é, ", space, +, *) although é takes two bytes in UTF-8 */
    assert_int_equal(run_collect(&c, "\"\xc3\xa9\" +* 1", NULL), 1);
    assert_int_equal(c.n, 1);
    assert_ends_with(c.v[0].json, ",\"line\":1,\"col\":6}}");
    collector_clear(&c);

    /* a runtime error: "sine" at line 2, column 5 of "y = sine(x)" */
    assert_int_equal(run_collect(&c, "x = 1\ny = sine(x)", NULL), 1);
    assert_int_equal(c.n, 2);
    assert_starts_with(c.v[1].json, "{\"ok\":false,\"error\":{\"kind\":\"name\",");
    assert_ends_with(c.v[1].json, ",\"line\":2,\"col\":5}}");
    collector_clear(&c);
    lm_session_free(c.s);
}

/* The program text of an error's caret line comes from the caller's buffer
 * when the program does not parse. lm_eval takes (src, len): the buffer need
 * not be NUL-terminated, so printing the error must stay within len bytes.
 * Under ASan an over-read aborts the process, so the check runs in a child. */
static void print_text(void *ud, const lm_output *o) {
    lm_buf *b = ud;
    lm_output_text(NULL, o, b);
}

static int unterminated_source_child(void) {
    const char text[] = "1 +* 2";
    size_t len = sizeof text - 1;
    char *src = malloc(len); /* exactly the program, no NUL after it */
    if (!src) return 4;
    memcpy(src, text, len);
    lm_session *s = lm_session_new();
    lm_buf out = LM_BUF_INIT;
    lm_eval_opts o = {NULL, print_text, &out};
    int code = 0;
    if (lm_eval(s, src, len, &o) != 1) code = 5;
    else if (!strstr(lm_buf_cstr(&out), "line 1, column 4")) code = 6;
    /* the caret line: 4 spaces of indent, then 3 to reach column 4 */
    else if (!strstr(lm_buf_cstr(&out), "\n    1 +* 2\n       ^\n")) code = 7;
    if (code) fprintf(stderr, "printed:\n%s", lm_buf_cstr(&out));
    lm_buf_free(&out);
    lm_session_free(s);
    free(src);
    return code;
}

/* Runs fn in a child process; its wait status. */
static int in_child(int (*fn)(void)) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) _exit(fn());
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static void test_unterminated_source_buffer(void **state) {
    (void)state;
    int st = in_child(unterminated_source_child);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (WIFSIGNALED(st)) print_error("the child died with signal %d\n", WTERMSIG(st));
        else print_error("the child exited with %d (ASan exits 1 on a memory error)\n", WEXITSTATUS(st));
        fail();
    }
}

/* Indexing a plain number out of range: x = 5 is a 1x1 value with one element
 * (hand), so x(2) is a domain error that says so. The error message is built
 * from the temporary tensor the number was turned into, so under ASan a read
 * after it is freed aborts: the check runs in a child. */
static int scalar_index_child(void) {
    lm_session *s = lm_session_new();
    int code = 0;
    if (ev(s, "x = 5;") != 0) code = 5;
    lm_value v = lm_eval_value(s, "x(2)");
    if (!code && !lm_is_error(v)) code = 6;
    if (!code && lm_error_obj(v)->kind != LM_ERR_DOMAIN) code = 7;
    if (!code && !strstr(lm_error_obj(v)->msg, "1 element")) code = 8;
    if (code && lm_is_error(v)) fprintf(stderr, "error: %s\n", lm_error_obj(v)->msg);
    lm_release(v);
    lm_session_free(s);
    return code;
}

static void test_index_scalar_out_of_range(void **state) {
    (void)state;
    int st = in_child(scalar_index_child);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (WIFSIGNALED(st)) print_error("the child died with signal %d\n", WTERMSIG(st));
        else print_error("the child exited with %d (ASan exits 1 on a memory error)\n", WEXITSTATUS(st));
        fail();
    }
}

/* ---- lm_parse_status ---- */

static bool incomplete_of(const char *src) {
    bool inc = true;
    lm_parse_status(src, strlen(src), &inc);
    return inc;
}

static void test_parse_status(void **state) {
    (void)state;
    /* open blocks and brackets at the end of the input: the REPL asks for more */
    assert_true(incomplete_of("for k = 1:3"));
    assert_true(incomplete_of("for k = 1:3\n  s = k"));
    assert_true(incomplete_of("[1 2"));
    assert_true(incomplete_of("[1 2;\n3 4"));
    assert_true(incomplete_of("if x > 0"));
    assert_true(incomplete_of("while true\n x = 1"));
    assert_true(incomplete_of("function y = f(x)"));
    assert_true(incomplete_of("f(1, "));
    /* complete programs */
    assert_false(incomplete_of("1+1"));
    assert_false(incomplete_of("for k = 1:3\n s = k;\nend"));
    assert_false(incomplete_of(""));
    /* an error that no further input can fix is not incomplete ... */
    assert_false(incomplete_of("1 +* 2"));
    assert_false(incomplete_of("end"));
    /* ... and it is an error, not a program: */
    lm_session *s = lm_session_new();
    expect_error(s, "1 +* 2", LM_ERR_PARSE);
    lm_session_free(s);
}

/* Inside parentheses a newline is only whitespace, so "(1 +" followed by the
 * line "2)" is the valid program "(1 +\n2)" (which evaluates to 3): the input
 * ended too early inside an open bracket, which lang.h calls incomplete. */
static void test_parse_status_open_paren_after_operator(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    expect_num(s, "(1 +\n2)", 3, 0); /* hand: the joined input is valid */
    expect_num(s, "sin(0 +\n0)", 0, 0);
    lm_session_free(s);
    assert_true(incomplete_of("(1 +"));
    assert_true(incomplete_of("sin(0 +"));
    assert_true(incomplete_of("x = ("));
}

/* ---- sessions ---- */

static void test_sessions_independent(void **state) {
    (void)state;
    lm_session *a = lm_session_new(), *b = lm_session_new();
    expect_num(a, "x = 1", 1, 0);
    lm_value bx = lm_eval_value(b, "x");
    assert_int_equal(bx.kind, LM_EXPR); /* unbound in b: a symbol */
    lm_release(bx);
    expect_num(a, "x", 1, 0);
    assert_true(lm_is_nil(lm_session_get(b, "x")));
    assert_ptr_not_equal(lm_session_ctx(a), lm_session_ctx(b));

    /* Random streams: seed(42)'s uniforms are 0.08386297105988216,
     * 0.3789802506626686, 0.6800434110281394 (Python transcription of
     * splitmix64 + xoshiro256**, (x >> 11) * 2**-53). */
    lm_value r = lm_eval_value(a, "seed(42)");
    lm_release(r);
    r = lm_eval_value(b, "seed(42)");
    lm_release(r);
    expect_num(a, "rand()", 0.08386297105988216, 0);
    expect_num(a, "rand()", 0.3789802506626686, 0);
    /* b's stream did not move when a drew */
    expect_num(b, "rand()", 0.08386297105988216, 0);
    /* reseeding a does not touch b */
    r = lm_eval_value(a, "seed(7)");
    lm_release(r);
    expect_num(b, "rand()", 0.3789802506626686, 0);
    expect_num(b, "rand()", 0.6800434110281394, 0);

    /* freeing one leaves the other working */
    lm_session_free(a);
    expect_num(b, "x = 2", 2, 0);
    lm_value e = lm_eval_value(b, "y + 1");
    assert_int_equal(e.kind, LM_EXPR);
    lm_release(e);
    lm_session_free(b);
}

/* rand(1, 3) after seed(42) is the three uniforms above, in order. */
static void test_rand_matrix_reference(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, "seed(42); rand(1, 3)");
    assert_int_equal(v.kind, LM_TENSOR);
    lm_tensor *t = lm_tensor_of(v);
    assert_int_equal(t->shape[0], 1);
    assert_int_equal(t->shape[1], 3);
    assert_true(lm_tensor_get2(t, 0, 0) == 0.08386297105988216);
    assert_true(lm_tensor_get2(t, 0, 1) == 0.3789802506626686);
    assert_true(lm_tensor_get2(t, 0, 2) == 0.6800434110281394);
    lm_release(v);
    lm_session_free(s);
}

static void test_session_names(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    size_t n = 99;
    char **names = lm_session_names(s, &n);
    assert_int_equal(n, 0);
    lm_free(names);

    ev(s, "zeta = 1; alpha = 2; Mid = 3; beta = 4; f(t) = t^2;");
    /* byte order (strcmp): uppercase before lowercase */
    const char *want[] = {"Mid", "alpha", "beta", "f", "zeta"};
    names = lm_session_names(s, &n);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(names[i], want[i]);
        lm_free(names[i]);
    }
    lm_free(names);

    ev(s, "clear alpha\n1 + 1;");
    const char *want2[] = {"Mid", "ans", "beta", "f", "zeta"}; /* Octave: an expression sets ans */
    names = lm_session_names(s, &n);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(names[i], want2[i]);
        lm_free(names[i]);
    }
    lm_free(names);

    /* many variables: the table grows and the order holds */
    lm_buf prog = LM_BUF_INIT;
    for (int i = 0; i < 300; i++) lm_buf_printf(&prog, "v%03d = %d;\n", 299 - i, i);
    assert_int_equal(lm_eval(s, lm_buf_cstr(&prog), prog.len, NULL), 0);
    lm_buf_free(&prog);
    names = lm_session_names(s, &n);
    assert_int_equal(n, 305);
    for (size_t i = 1; i < n; i++) assert_true(strcmp(names[i - 1], names[i]) < 0);
    for (size_t i = 0; i < n; i++) lm_free(names[i]);
    lm_free(names);
    expect_num(s, "v000", 299, 0);
    expect_num(s, "v299", 0, 0);
    lm_session_free(s);
}

static void test_session_get_set(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_session_set(s, "q", lm_num(5));
    expect_num(s, "q * 2", 10, 0);
    lm_value got = lm_session_get(s, "q");
    assert_int_equal(got.kind, LM_NUM);
    assert_true(got.u.num == 5);
    assert_true(lm_is_nil(lm_session_get(s, "nope")));

    /* set retains: the caller's reference stays the caller's */
    lm_value str = lm_string_cstr("hello");
    lm_session_set(s, "greeting", str);
    assert_int_equal(str.u.obj->refcnt, 2);
    lm_release(str);
    lm_value g = lm_session_get(s, "greeting");
    assert_int_equal(g.kind, LM_STRING);
    assert_string_equal(lm_string_data(g), "hello");

    /* replacing a binding releases the old value (ASan: no leak) */
    lm_session_set(s, "greeting", lm_num(1));
    expect_num(s, "greeting", 1, 0);
    lm_session_free(s);
}

/* ---- builtins ---- */

static void test_builtin_find(void **state) {
    (void)state;
    const lm_builtin *b = lm_builtin_find("sin");
    assert_non_null(b);
    assert_string_equal(b->name, "sin");
    assert_non_null(b->fn);
    assert_starts_with(b->signature, "sin(");
    assert_true(strlen(b->help) > 0);
    assert_true(strlen(b->example) > 0);
    assert_true(b->min_args <= 1 && (b->max_args == -1 || b->max_args >= 1));
    assert_null(lm_builtin_find("nosuchbuiltin"));
    assert_null(lm_builtin_find(""));
    assert_null(lm_builtin_find("SIN")); /* names are case-sensitive, as in Octave */
}

static void test_builtin_all(void **state) {
    (void)state;
    size_t n = 0;
    const lm_builtin *const *all = lm_builtin_all(&n);
    assert_non_null(all);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const lm_builtin *b = all[i];
        if (!b->signature || !*b->signature || !b->help || !*b->help || !b->example || !*b->example) {
            print_error("builtin '%s' lacks a signature, help line or example\n", b->name);
            fail();
        }
        if (i > 0 && strcmp(all[i - 1]->name, b->name) >= 0) {
            print_error("builtins not in strictly ascending order: '%s' then '%s'\n", all[i - 1]->name, b->name);
            fail();
        }
        assert_ptr_equal(lm_builtin_find(b->name), b);
        assert_non_null(b->fn);
        assert_true(b->min_args >= 0);
        assert_true(b->max_args == -1 || b->max_args >= b->min_args);
        assert_true(b->max_out >= 1);
        /* the signature names the function: "diff(f, x, n = 1)" */
        assert_starts_with(b->signature, b->name);
    }
}

/* lang.h: `example` is "a runnable example". Each runs without error in a
 * fresh session, except error()'s, whose whole point is to raise one. */
static void test_builtin_examples_run(void **state) {
    (void)state;
    size_t n = 0;
    const lm_builtin *const *all = lm_builtin_all(&n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const lm_builtin *b = all[i];
        if (!strcmp(b->name, "error")) continue;
        lm_session *s = lm_session_new();
        int failures = lm_eval(s, b->example, strlen(b->example), NULL);
        if (failures) {
            print_error("the example of %s fails: %s\n", b->name, b->example);
            bad++;
        }
        lm_session_free(s);
    }
    assert_int_equal(bad, 0);
    /* and error()'s example does fail, with its message */
    lm_session *s = lm_session_new();
    const lm_builtin *e = lm_builtin_find("error");
    if (e) {
        lm_value v = lm_eval_value(s, e->example);
        assert_true(lm_is_error(v));
        lm_release(v);
    }
    lm_session_free(s);
}

/* ---- freeing sessions with live values (ASan's leak checker watches) ---- */

static void test_free_session_with_live_values(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    const char *prog = "f(x) = x^2 + 1\n"
                       "function [a, b] = g(x)\n"
                       "  a = 2*x;\n"
                       "  b = x + 1;\n"
                       "end\n"
                       "E1 = sin(x)*y + x^2\n"
                       "E2 = E1 + E1\n"
                       "M = rand(3, 3)\n"
                       "T = zeros(2, 3, 4);\n"
                       "h = f\n"
                       "S = \"text\"\n"
                       "z = 1 + 2i\n"
                       "[p, q] = g(3)\n"
                       "k = f([1 2 3])\n"
                       "for j = 1:3\n  v(j) = j^2;\nend\n"
                       "w = v'\n";
    assert_int_equal(lm_eval(s, prog, strlen(prog), NULL), 0);
    expect_num(s, "p", 6, 0);  /* g(3): a = 2*3 */
    expect_num(s, "q", 4, 0);  /* b = 3 + 1 */
    expect_num(s, "h(3)", 10, 0); /* f(3) = 9 + 1 */
    expect_num(s, "v(3)", 9, 0);
    lm_value k = lm_session_get(s, "k"); /* f maps over [1 2 3]: [2 5 10] by hand */
    assert_int_equal(k.kind, LM_TENSOR);
    assert_true(lm_tensor_get2(lm_tensor_of(k), 0, 2) == 10);

    /* redefining releases the old function and its program */
    assert_int_equal(ev(s, "f(x) = x + 100"), 0);
    expect_num(s, "f(1)", 101, 0);
    expect_num(s, "h(3)", 10, 0); /* h still holds the old definition */

    /* a function value may outlive its session: it owns its program */
    lm_value fn = lm_retain(lm_session_get(s, "g"));
    assert_int_equal(fn.kind, LM_FUNC);
    /* keep an expression, matrix and string alive until just before the free */
    lm_value e = lm_retain(lm_session_get(s, "E2"));
    lm_value m = lm_retain(lm_session_get(s, "M"));
    assert_int_equal(e.kind, LM_EXPR);
    assert_int_equal(m.kind, LM_TENSOR);
    lm_release(e);
    lm_release(m);
    lm_session_free(s);
    lm_release(fn);
}

/* ---- stress: the parser and evaluator under deep or long input ---- */

/* Repeats a, then mid, then b, n times each. */
static char *repeat3(const char *a, int n, const char *mid, const char *b) {
    lm_buf out = LM_BUF_INIT;
    for (int i = 0; i < n; i++) lm_buf_puts(&out, a);
    lm_buf_puts(&out, mid);
    for (int i = 0; i < n; i++) lm_buf_puts(&out, b);
    return lm_buf_steal(&out);
}

/* 10000 nested parentheses pass LM_MAX_PARSE_DEPTH (400), which limits.h
 * says is a `limit` error naming the limit (DESIGN.md: resource limits,
 * expression depth included, are reported as `limit` errors). */
static void test_deep_parens_limit(void **state) {
    (void)state;
    char *src = repeat3("(", 10000, "1", ")");
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, src);
    assert_true(lm_is_error(v));
    lm_error *e = lm_error_obj(v);
    assert_true(strlen(e->msg) > 0);
    if (e->kind != LM_ERR_LIMIT) {
        print_error("10000 nested parentheses: a %s error (%s), expected limit\n", lm_errkind_name(e->kind), e->msg);
        lm_release(v);
        lm_session_free(s);
        lm_free(src);
        fail();
    }
    lm_release(v);
    lm_session_free(s);
    lm_free(src);
}

/* Below the limit, nesting works: 300 parentheses around 1 is 1. */
static void test_nesting_below_limit(void **state) {
    (void)state;
    char *src = repeat3("(", 300, "1", ")");
    lm_session *s = lm_session_new();
    expect_num(s, src, 1, 0);
    lm_free(src);
    src = repeat3("[", 300, "2", "]");
    expect_num(s, src, 2, 0); /* [[2]] is the 1x1 matrix 2: a number */
    lm_free(src);
    lm_session_free(s);
}

/* 1 MiB of "x = 1;\n" (149796 statements) runs, prints nothing, succeeds. */
static void test_megabyte_program(void **state) {
    (void)state;
    size_t lines = (1u << 20) / 7;
    lm_buf b = LM_BUF_INIT;
    for (size_t i = 0; i < lines; i++) lm_buf_put(&b, "x = 1;\n", 7);
    assert_true(b.len >= (1u << 20) - 7);
    collector c = {0};
    c.s = lm_session_new();
    lm_eval_opts o = {NULL, collect, &c};
    assert_int_equal(lm_eval(c.s, lm_buf_cstr(&b), b.len, &o), 0);
    assert_int_equal(c.n, 0);
    expect_num(c.s, "x", 1, 0);
    lm_buf_free(&b);
    lm_session_free(c.s);
}

/* A program over LM_MAX_SOURCE (16 MiB) is refused with a limit error. */
static void test_source_limit(void **state) {
    (void)state;
    size_t len = (size_t)LM_MAX_SOURCE + 1;
    char *src = malloc(len + 1);
    assert_non_null(src);
    memset(src, ' ', len);
    src[len] = '\0';
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, src);
    assert_true(lm_is_error(v));
    assert_int_equal(lm_error_obj(v)->kind, LM_ERR_LIMIT);
    lm_release(v);
    lm_session_free(s);
    free(src);
}

/* Endless recursion stops at LM_MAX_CALL_DEPTH with a limit error. */
static void test_deep_recursion_limit(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    assert_int_equal(ev(s, "function y = r(n)\n  y = r(n + 1);\nend"), 0);
    expect_error(s, "r(1)", LM_ERR_LIMIT);
    assert_int_equal(ev(s, "f(n) = f(n + 1);"), 0);
    expect_error(s, "f(1)", LM_ERR_LIMIT);
    /* bounded recursion below the limit works: the sum 1 + 2 + ... + 100 = 5050 (Gauss) */
    assert_int_equal(ev(s, "function y = tri(n)\n  if n == 0\n    y = 0;\n  else\n    y = n + tri(n - 1);\n  end\nend"), 0);
    expect_num(s, "tri(100)", 5050, 0);
    /* the session is usable after hitting the limit */
    expect_num(s, "1 + 1", 2, 0);
    lm_session_free(s);
}

/* Runs src in a fresh session in a child process. The child exits 0 when the
 * program ran or was refused as too deep (DESIGN.md: no input may crash the
 * program; which kind the refusal has is test_deep_parens_limit's business, so
 * `parse` is accepted here as well as `limit`), 3 for any other outcome; a
 * crash shows as a signal. */
static int run_in_child(const char *src) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        lm_session *s = lm_session_new();
        lm_value v = lm_eval_value(s, src);
        int code = 0;
        if (lm_is_error(v) && lm_error_obj(v)->kind != LM_ERR_LIMIT && lm_error_obj(v)->kind != LM_ERR_PARSE) code = 3;
        lm_release(v);
        lm_session_free(s);
        _exit(code);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static void check_no_crash(const char *what, const char *src, int *bad) {
    int st = run_in_child(src);
    if (WIFSIGNALED(st)) {
        print_error("%s: the process died with signal %d\n", what, WTERMSIG(st));
        (*bad)++;
    } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        print_error("%s: neither a value nor a limit error (status %d)\n", what, st);
        (*bad)++;
    }
}

/* Long chains that the parser reads in a loop still become deep trees: the
 * evaluator must not overflow the C stack on them. */
static void test_no_stack_overflow(void **state) {
    (void)state;
    int bad = 0;
    char *src;
    src = repeat3("1+", 100000, "1", ""); /* 100001 terms, 200 KB */
    check_no_crash("1+1+...+1 (100001 terms)", src, &bad);
    lm_free(src);
    src = repeat3("2*", 100000, "1", "");
    check_no_crash("2*2*...*1 (100001 factors)", src, &bad);
    lm_free(src);
    src = repeat3("", 100000, "1", "'");
    check_no_crash("1'''...' (100000 transposes)", src, &bad);
    lm_free(src);
    src = repeat3("", 100000, "true", "&&true");
    check_no_crash("true&&true&&... (100001 operands)", src, &bad);
    lm_free(src);
    src = repeat3("if 1\n", 100000, "x = 1;\n", "end\n");
    check_no_crash("100000 nested if blocks", src, &bad);
    lm_free(src);
    src = repeat3("-", 100000, "1", "");
    check_no_crash("100000 unary minus signs", src, &bad);
    lm_free(src);
    assert_int_equal(bad, 0);
}

/* The values a chain computes, where it is short enough to be sure to run:
 * 1000 terms of 1 sum to 1000. */
static void test_long_chain_value(void **state) {
    (void)state;
    char *src = repeat3("1+", 999, "1", "");
    lm_session *s = lm_session_new();
    expect_num(s, src, 1000, 0);
    lm_free(src);
    lm_session_free(s);
}

/* The hints for names from other tools (ln, E, int, ...) name lemma's own
 * functions; each word written before a '(' in a hint must be a builtin, or
 * the hint would send a learner to another unknown function. And the hint is
 * what the error says. */
static void test_name_hints_name_builtins(void **state) {
    (void)state;
    const char *name;
    size_t i = 0;
    for (const char *hint; (hint = lm_name_hint_at(i, &name)) != NULL; i++) {
        assert_null(lm_builtin_find(name)); /* a hint for a name that exists would hide it */
        for (const char *p = hint; *p; p++) {
            if (*p != '(' || p == hint || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
            const char *w = p;
            while (w > hint && (isalnum((unsigned char)w[-1]) || w[-1] == '_')) w--;
            char word[32];
            snprintf(word, sizeof word, "%.*s", (int)(p - w), w);
            if (!lm_builtin_find(word)) fail_msg("the hint for '%s' names %s(), which lemma does not have", name, word);
        }
    }
    assert_true(i >= 10);
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, "ln(e)");
    assert_true(lm_is_error(v));
    assert_non_null(strstr(lm_error_obj(v)->msg, "the natural logarithm is log(x)"));
    lm_release(v);
    lm_session_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_value_numbers),
        cmocka_unit_test(test_eval_value_errors),
        cmocka_unit_test(test_eval_outputs),
        cmocka_unit_test(test_parse_error_json),
        cmocka_unit_test(test_unterminated_source_buffer),
        cmocka_unit_test(test_index_scalar_out_of_range),
        cmocka_unit_test(test_parse_status),
        cmocka_unit_test(test_parse_status_open_paren_after_operator),
        cmocka_unit_test(test_sessions_independent),
        cmocka_unit_test(test_rand_matrix_reference),
        cmocka_unit_test(test_session_names),
        cmocka_unit_test(test_session_get_set),
        cmocka_unit_test(test_builtin_find),
        cmocka_unit_test(test_builtin_all),
        cmocka_unit_test(test_builtin_examples_run),
        cmocka_unit_test(test_free_session_with_live_values),
        cmocka_unit_test(test_deep_parens_limit),
        cmocka_unit_test(test_nesting_below_limit),
        cmocka_unit_test(test_megabyte_program),
        cmocka_unit_test(test_source_limit),
        cmocka_unit_test(test_deep_recursion_limit),
        cmocka_unit_test(test_no_stack_overflow),
        cmocka_unit_test(test_long_chain_value),
        cmocka_unit_test(test_name_hints_name_builtins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
