/* Unit tests for the core layer (src/core): number formatting, growable
 * buffers, error records and error values, refcounting and the random
 * generator. Every expected value is written here as a literal with its
 * source: Python 3's repr() / '%.Ng' % x for number formatting, a Python
 * transcription of splitmix64 + xoshiro256** (Blackman & Vigna's reference
 * algorithm) for the random stream, and hand arithmetic where it says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/core.h"

/* ---- helpers ---- */

#define assert_near(x, ref, tol) near_((x), (ref), (tol), #x, __FILE__, __LINE__)

static void near_(double x, double ref, double tol, const char *what, const char *file, int line) {
    if (x == ref || fabs(x - ref) <= tol) return;
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, x, ref, tol);
    _fail(file, line);
}

typedef struct fmt_case {
    double x;
    const char *want;
} fmt_case;

static double from_bits(uint64_t u) {
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* ---- lm_fmt_double_shortest ---- */

/* Each `want` is Python 3's repr(x), with the trailing ".0" of a whole number
 * dropped (lemma prints 3, not 3.0) and repr(-0.0) == '-0.0' written as "0"
 * (DESIGN.md: -0 is printed as 0). */
static void test_fmt_shortest_table(void **state) {
    (void)state;
    static const fmt_case cases[] = {
        {0.1, "0.1"},                                      /* repr(0.1) */
        {1.0 / 3.0, "0.3333333333333333"},                 /* repr(1/3) */
        {2.0 / 3.0, "0.6666666666666666"},                 /* repr(2/3) */
        {0.1 + 0.2, "0.30000000000000004"},                /* repr(0.1+0.2) */
        {1e21, "1e+21"},                                   /* repr(1e21) */
        {1e100, "1e+100"},                                 /* repr(1e100) */
        {1e16, "1e+16"},                                   /* repr(1e16) */
        {5e-324, "5e-324"},                                /* repr(5e-324), the smallest subnormal */
        {2.2250738585072014e-308, "2.2250738585072014e-308"}, /* repr(sys.float_info.min) */
        {1.7976931348623157e308, "1.7976931348623157e+308"},  /* repr(sys.float_info.max) */
        {123456789012345680.0, "1.2345678901234568e+17"},  /* repr(123456789012345680.0) */
        {9007199254740992.0, "9007199254740992"},          /* repr(2.0**53) == '9007199254740992.0' */
        {3.0, "3"},                                        /* repr(3.0) == '3.0' */
        {100.0, "100"},                                    /* repr(100.0) == '100.0' */
        {-1.5, "-1.5"},                                    /* repr(-1.5) */
        {123456.7, "123456.7"},                            /* repr(123456.7) */
        {0.0001, "0.0001"},                                /* repr(0.0001) */
        {0.00001, "1e-05"},                                /* repr(0.00001) */
        {1e-7, "1e-07"},                                   /* repr(1e-7) */
        {-0.0, "0"},                                       /* DESIGN.md: -0 printed as 0 */
        {0.0, "0"},                                        /* repr(0.0) == '0.0' */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        memset(out, 'X', sizeof out);
        lm_fmt_double_shortest(out, cases[i].x);
        if (strcmp(out, cases[i].want) != 0) {
            print_error("lm_fmt_double_shortest(%.17g) = \"%s\", expected \"%s\"\n", cases[i].x, out, cases[i].want);
            fail();
        }
    }
}

/* Non-finite numbers have the names of core.h / DESIGN.md's JSON section. */
static void test_fmt_nonfinite(void **state) {
    (void)state;
    char out[32], sig[40];
    lm_fmt_double_shortest(out, NAN);
    assert_string_equal(out, "nan");
    lm_fmt_double_shortest(out, INFINITY);
    assert_string_equal(out, "inf");
    lm_fmt_double_shortest(out, -INFINITY);
    assert_string_equal(out, "-inf");
    lm_fmt_double_sig(sig, NAN, 5);
    assert_string_equal(sig, "nan");
    lm_fmt_double_sig(sig, INFINITY, 5);
    assert_string_equal(sig, "inf");
    lm_fmt_double_sig(sig, -INFINITY, 5);
    assert_string_equal(sig, "-inf");
}

/* Powers of two sit at a binade boundary, where the gap below is half the gap
 * above: the nearest 16-digit decimal can fail to round-trip while another
 * 16-digit decimal does. Shortest means 16 digits there; each `want` is
 * Python's repr (David Gay's shortest algorithm). */
static void test_fmt_shortest_power_of_two(void **state) {
    (void)state;
    static const fmt_case cases[] = {
        {0x1p-24, "5.960464477539063e-08"},  /* repr(2.0**-24) */
        {0x1p-44, "5.684341886080802e-14"},  /* repr(2.0**-44) */
        {0x1p89, "6.189700196426902e+26"},   /* repr(2.0**89) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        lm_fmt_double_shortest(out, cases[i].x);
        if (strcmp(out, cases[i].want) != 0) {
            print_error("lm_fmt_double_shortest(%a) = \"%s\", expected the shortest round trip \"%s\"\n", cases[i].x,
                        out, cases[i].want);
            fail();
        }
    }
}

/* Property: for arbitrary bit patterns the text reads back (strtod, the C
 * library's correctly rounded parser) as exactly the same double, and never
 * needs more than 17 significant digits. */
static void test_fmt_shortest_round_trip(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 7);
    for (int i = 0; i < 200000; i++) {
        double x = from_bits(lm_rng_u64(&r));
        if (!isfinite(x)) continue;
        if (i & 1) x = ldexp(lm_rng_uniform(&r), (int)(lm_rng_u64(&r) % 200) - 100); /* ordinary magnitudes too */
        char out[32];
        lm_fmt_double_shortest(out, x);
        double back = strtod(out, NULL);
        if (back != x && !(x == 0 && back == 0)) {
            print_error("\"%s\" reads back as %a, not %a\n", out, back, x);
            fail();
        }
        /* significant digits: from the first nonzero digit up to the exponent */
        int digits = 0;
        bool started = false;
        for (const char *c = out; *c && *c != 'e'; c++) {
            if (*c >= '1' && *c <= '9') started = true;
            if (started && *c >= '0' && *c <= '9') digits++;
        }
        if (digits > 17) {
            print_error("\"%s\" has %d digits\n", out, digits);
            fail();
        }
    }
}

/* ---- lm_fmt_double_sig ---- */

/* `want` is Python's '%.5g' % x unless the comment names another rule. */
static void test_fmt_sig5_table(void **state) {
    (void)state;
    static const fmt_case cases[] = {
        {3.141592653589793, "3.1416"},     /* '%.5g' % math.pi */
        {0.000123456, "0.00012346"},       /* '%.5g' % 0.000123456 */
        {1e20, "1e+20"},                   /* '%.5g' % 1e20 */
        {123456.7, "1.2346e+05"},          /* '%.5g' % 123456.7 */
        {12345678901.0, "1.2346e+10"},     /* '%.5g' % 12345678901.0 */
        {6.02214076e23, "6.0221e+23"},     /* '%.5g' % 6.02214076e23 */
        {1.6e-19, "1.6e-19"},              /* '%.5g' % 1.6e-19 */
        {-2.0 / 3.0, "-0.66667"},          /* '%.5g' % (-2/3) */
        {1.0 / 3.0, "0.33333"},            /* '%.5g' % (1/3) */
        {-1234.5678, "-1234.6"},           /* '%.5g' % -1234.5678 */
        {0.1 + 0.2, "0.3"},                /* '%.5g' % (0.1+0.2) */
        {2.5, "2.5"},                      /* '%.5g' % 2.5 */
        {123.456, "123.46"},               /* '%.5g' % 123.456 */
        {12345.678, "12346"},              /* '%.5g' % 12345.678 */
        {0.0001, "0.0001"},                /* '%.5g' % 0.0001 */
        {-0.0, "0"},                       /* core.h / DESIGN.md: -0 as 0 ('%.5g' gives '-0') */
        {-0.0000001, "-1e-07"},            /* '%.5g' % -1e-7 */
        /* Octave's format short prints integer-valued doubles whole:
         * 15000000 displays as 15000000, not 1.5e+07 */
        {15000000.0, "15000000"},
        {-42.0, "-42"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[40];
        memset(out, 'X', sizeof out);
        lm_fmt_double_sig(out, cases[i].x, 5);
        if (strcmp(out, cases[i].want) != 0) {
            print_error("lm_fmt_double_sig(%.17g, 5) = \"%s\", expected \"%s\"\n", cases[i].x, out, cases[i].want);
            fail();
        }
    }
}

static void test_fmt_sig_other_digits(void **state) {
    (void)state;
    char out[40];
    lm_fmt_double_sig(out, 3.141592653589793, 17);
    assert_string_equal(out, "3.1415926535897931"); /* '%.17g' % math.pi */
    lm_fmt_double_sig(out, 2.0 / 3.0, 3);
    assert_string_equal(out, "0.667"); /* '%.3g' % (2/3) */
    lm_fmt_double_sig(out, 3.141592653589793, 1);
    assert_string_equal(out, "3"); /* '%.1g' % math.pi */
    /* out-of-range digit counts are clamped (core.h promises no overflow of out[40]) */
    lm_fmt_double_sig(out, 3.141592653589793, 0);
    assert_string_equal(out, "3"); /* clamped to 1: '%.1g' % math.pi */
    lm_fmt_double_sig(out, -1.2345678901234567e-300, 1000);
    assert_true(strlen(out) < 40);
    assert_true(strtod(out, NULL) == -1.2345678901234567e-300); /* 17 digits round-trip */
}

/* Property: the text is within half a unit of the fifth significant digit of x
 * (relative error <= 5e-5), parses as a number, and never shows "-0". */
static void test_fmt_sig_accuracy(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 11);
    for (int i = 0; i < 100000; i++) {
        double x = (lm_rng_uniform(&r) - 0.5) * pow(10.0, (double)(int)(lm_rng_u64(&r) % 60) - 30);
        char out[40];
        lm_fmt_double_sig(out, x, 5);
        char *end;
        double back = strtod(out, &end);
        assert_true(*end == '\0');
        if (fabs(back - x) > 5.000001e-5 * fabs(x)) {
            print_error("lm_fmt_double_sig(%.17g, 5) = \"%s\" is off by more than half a unit in the 5th digit\n", x,
                        out);
            fail();
        }
        assert_true(strcmp(out, "-0") != 0);
    }
}

/* ---- lm_buf ---- */

static void test_buf_growth(void **state) {
    (void)state;
    lm_buf b = LM_BUF_INIT;
    assert_string_equal(lm_buf_cstr(&b), ""); /* core.h: "" when empty */
    for (int i = 0; i < 10000; i++) lm_buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 10000);
    assert_true(b.cap > b.len);          /* room for the NUL */
    assert_int_equal(b.s[10000], '\0');
    assert_int_equal(b.s[0], 'a');
    assert_int_equal(b.s[25], 'z');
    assert_int_equal(b.s[9999], 'a' + 9999 % 26); /* 9999 % 26 = 15: 'p' */
    assert_int_equal(b.s[9999], 'p');

    size_t cap = b.cap;
    lm_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap); /* core.h: reset keeps the memory */
    assert_string_equal(lm_buf_cstr(&b), "");

    lm_buf_puts(&b, "abc");
    lm_buf_put(&b, "d\0e", 3); /* counted: the NUL is kept */
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.s, "abcd\0e", 7);

    char *s = lm_buf_steal(&b);
    assert_memory_equal(s, "abcd\0e", 7);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    lm_free(s);

    /* stealing an empty buffer still gives a string the caller can free */
    s = lm_buf_steal(&b);
    assert_string_equal(s, "");
    lm_free(s);
    lm_buf_free(&b);
}

static void test_buf_printf(void **state) {
    (void)state;
    lm_buf b = LM_BUF_INIT;
    lm_buf_printf(&b, "%d-%s-%.2f", 42, "x", 2.5);
    assert_string_equal(lm_buf_cstr(&b), "42-x-2.50"); /* C printf semantics */
    /* longer than any small stack buffer: 1000 'q's between brackets */
    char big[1001];
    memset(big, 'q', 1000);
    big[1000] = '\0';
    lm_buf_printf(&b, "[%s]", big);
    assert_int_equal(b.len, 9 + 1002);
    assert_int_equal(b.s[9], '[');
    assert_int_equal(b.s[10], 'q');
    assert_int_equal(b.s[1009], 'q');
    assert_int_equal(b.s[1010], ']');
    assert_int_equal(b.s[1011], '\0');
    assert_int_equal(strlen(b.s), b.len);
    /* appends after a long write land in the right place */
    lm_buf_printf(&b, "%c", '!');
    assert_int_equal(b.len, 1012);
    assert_int_equal(b.s[1011], '!');
    /* an empty format writes nothing */
    lm_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, 1012);
    lm_buf_free(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
}

static void test_strdup(void **state) {
    (void)state;
    char *a = lm_strdup("hello");
    assert_string_equal(a, "hello");
    char *b = lm_strndup("hello", 3);
    assert_string_equal(b, "hel");
    lm_free(a);
    lm_free(b);
    void *z = lm_calloc(4, sizeof(int));
    assert_memory_equal(z, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    lm_free(z);
}

/* ---- lm_err ---- */

static void test_err_first_wins(void **state) {
    (void)state;
    lm_err err = LM_ERR_INIT;
    assert_int_equal(err.kind, LM_OK);
    assert_int_equal(lm_err_set(&err, LM_ERR_NAME, "no %s called %d", "thing", 7), LM_ERR_NAME);
    assert_int_equal(err.kind, LM_ERR_NAME);
    assert_string_equal(err.msg, "no thing called 7");
    /* a second failure does not overwrite the first; the first kind comes back */
    assert_int_equal(lm_err_set(&err, LM_ERR_TYPE, "later"), LM_ERR_NAME);
    assert_int_equal(err.kind, LM_ERR_NAME);
    assert_string_equal(err.msg, "no thing called 7");
    lm_err_clear(&err);
    assert_int_equal(err.kind, LM_OK);
    assert_null(err.msg);
    /* after clearing, a new failure is recorded */
    assert_int_equal(lm_err_set(&err, LM_ERR_SHAPE, "%s", "sizes"), LM_ERR_SHAPE);
    assert_string_equal(err.msg, "sizes");
    lm_err_clear(&err);
    /* no record: the kind is still returned */
    assert_int_equal(lm_err_set(NULL, LM_ERR_DOMAIN, "x"), LM_ERR_DOMAIN);
}

/* DESIGN.md, "Values and errors": the kinds by name. */
static void test_errkind_names(void **state) {
    (void)state;
    assert_string_equal(lm_errkind_name(LM_ERR_PARSE), "parse");
    assert_string_equal(lm_errkind_name(LM_ERR_NAME), "name");
    assert_string_equal(lm_errkind_name(LM_ERR_TYPE), "type");
    assert_string_equal(lm_errkind_name(LM_ERR_SHAPE), "shape");
    assert_string_equal(lm_errkind_name(LM_ERR_DOMAIN), "domain");
    assert_string_equal(lm_errkind_name(LM_ERR_SINGULAR), "singular");
    assert_string_equal(lm_errkind_name(LM_ERR_CONVERGENCE), "convergence");
    assert_string_equal(lm_errkind_name(LM_ERR_IO), "io");
    assert_string_equal(lm_errkind_name(LM_ERR_LIMIT), "limit");
    assert_string_equal(lm_errkind_name(LM_ERR_INTERNAL), "internal");
    assert_string_equal(lm_errkind_name((lm_errkind)9999), "internal"); /* out of range: no crash */
}

static void test_kind_names(void **state) {
    (void)state;
    /* English articles: "a" before a consonant sound, "an" before a vowel */
    assert_string_equal(lm_kind_a(LM_NUM), "a number");
    assert_string_equal(lm_kind_a(LM_EXPR), "an expression");
    assert_string_equal(lm_kind_a(LM_OBJECT), "an object");
    assert_string_equal(lm_kind_a(LM_ERROR), "an error");
    for (int k = 0; k < LM_KIND__COUNT; k++) {
        assert_true(strlen(lm_kind_name((lm_kind)k)) > 0);
        const char *a = lm_kind_a((lm_kind)k);
        assert_true(strlen(a) > 0);
    }
}

/* ---- error values ---- */

static void test_error_values(void **state) {
    (void)state;
    lm_value v = lm_error_new(LM_ERR_DOMAIN, "log of %d", -1);
    assert_true(lm_is_error(v));
    assert_true(lm_is_heap(v));
    lm_error *e = lm_error_obj(v);
    assert_int_equal(e->kind, LM_ERR_DOMAIN);
    assert_string_equal(e->msg, "log of -1");
    assert_false(e->has_span);
    assert_false(e->incomplete);
    assert_int_equal(e->hdr.refcnt, 1);

    /* the span is set once: the innermost (first attached) wins */
    lm_error_set_span(v, 3, 7);
    assert_true(e->has_span);
    assert_int_equal(e->start, 3);
    assert_int_equal(e->end, 7);
    lm_error_set_span(v, 0, 20);
    assert_int_equal(e->start, 3);
    assert_int_equal(e->end, 7);

    /* spans on non-errors are ignored */
    lm_error_set_span(lm_num(1), 1, 2);
    lm_error_set_span(lm_nil(), 1, 2);
    lm_release(v);

    /* an engine record becomes a value; the record is emptied */
    lm_err err = LM_ERR_INIT;
    lm_err_set(&err, LM_ERR_SINGULAR, "pivot %d is zero", 2);
    lm_value w = lm_error_from(&err);
    assert_int_equal(err.kind, LM_OK);
    assert_null(err.msg);
    assert_int_equal(lm_error_obj(w)->kind, LM_ERR_SINGULAR);
    assert_string_equal(lm_error_obj(w)->msg, "pivot 2 is zero");
    lm_release(w);

    /* an empty record still gives a readable error, marked internal */
    lm_err none = LM_ERR_INIT;
    lm_value x = lm_error_from(&none);
    assert_int_equal(lm_error_obj(x)->kind, LM_ERR_INTERNAL);
    assert_non_null(lm_error_obj(x)->msg);
    assert_true(strlen(lm_error_obj(x)->msg) > 0);
    lm_release(x);
}

/* ---- refcounting ---- */

static int frees;

static void counting_free(lm_obj *o) {
    frees++;
    lm_free(o);
}

static const lm_objtype counting_type = {"counter", counting_free, NULL, NULL};

static void test_refcount_balance(void **state) {
    (void)state;
    frees = 0;
    lm_obj *o = lm_alloc(sizeof *o);
    lm_obj_init(o, LM_OBJECT, &counting_type);
    assert_int_equal(o->refcnt, 1);
    assert_int_equal(o->kind, LM_OBJECT);
    assert_ptr_equal(o->type, &counting_type);
    lm_value v = lm_obj_value(o);
    assert_int_equal(v.kind, LM_OBJECT);
    assert_true(lm_is_heap(v));

    lm_value v2 = lm_retain(v);
    assert_ptr_equal(v2.u.obj, o);
    lm_retain(v);
    lm_obj_retain(o);
    assert_int_equal(o->refcnt, 4);
    lm_release(v);
    lm_obj_release(o);
    lm_release(v2);
    assert_int_equal(frees, 0);
    assert_int_equal(o->refcnt, 1);
    lm_release(v); /* the last reference */
    assert_int_equal(frees, 1);

    /* immediates do not count references; releasing them is harmless */
    lm_value n = lm_retain(lm_num(2.5));
    lm_release(n);
    lm_release(lm_nil());
    lm_release(lm_bool(true));
    lm_obj_release(NULL);
    assert_int_equal(frees, 1);

    /* a type with no free function: freed with lm_free (ASan reports a leak otherwise) */
    static const lm_objtype plain = {"plain", NULL, NULL, NULL};
    lm_obj *p = lm_alloc(sizeof *p);
    lm_obj_init(p, LM_OBJECT, &plain);
    lm_obj_release(p);
}

static void test_immortal(void **state) {
    (void)state;
    frees = 0;
    static lm_obj forever; /* static storage: freeing it would crash under ASan */
    lm_obj_init(&forever, LM_OBJECT, &counting_type);
    forever.refcnt = LM_IMMORTAL;
    lm_value v = lm_obj_value(&forever);
    for (int i = 0; i < 1000; i++) lm_retain(v);
    for (int i = 0; i < 5000; i++) lm_release(v);
    assert_int_equal(forever.refcnt, LM_IMMORTAL);
    assert_int_equal(frees, 0);
}

static void test_strings_and_complex(void **state) {
    (void)state;
    lm_value s = lm_string_new("ab\0cd", 5);
    assert_int_equal(s.kind, LM_STRING);
    assert_int_equal(lm_string_len(s), 5);
    assert_memory_equal(lm_string_data(s), "ab\0cd", 6); /* NUL-terminated after the 5 bytes */
    lm_value t = lm_string_cstr("hi");
    assert_int_equal(lm_string_len(t), 2);
    assert_string_equal(lm_string_data(t), "hi");
    lm_release(s);
    lm_release(t);

    lm_value c = lm_complex_new(1, 0);
    assert_int_equal(c.kind, LM_COMPLEX); /* core.h: stays complex */
    assert_true(lm_complex_re(c) == 1 && lm_complex_im(c) == 0);
    lm_release(c);
    lm_value r = lm_complex_or_real(1.5, 0);
    assert_int_equal(r.kind, LM_NUM);
    assert_true(r.u.num == 1.5);
    lm_value z = lm_complex_or_real(1, -2);
    assert_int_equal(z.kind, LM_COMPLEX);
    assert_true(lm_complex_re(z) == 1 && lm_complex_im(z) == -2);
    lm_release(z);
}

/* ---- random numbers ---- */

/* splitmix64 from seed 42, four times: Python transcription of Vigna's
 * splitmix64.c (which gives 0xe220a8397b1dcdaf for seed 0, the published first
 * value, as a check of the transcription). */
static void test_rng_seed_state(void **state) {
    (void)state;
    lm_rng r;
    memset(&r, 0xAB, sizeof r);
    lm_rng_seed(&r, 42);
    assert_true(r.s[0] == 0xbdd732262feb6e95ULL);
    assert_true(r.s[1] == 0x28efe333b266f103ULL);
    assert_true(r.s[2] == 0x47526757130f9f52ULL);
    assert_true(r.s[3] == 0x581ce1ff0e4ae394ULL);
    assert_false(r.has_spare);
}

/* xoshiro256** outputs after seeding with 42 (same Python transcription). */
static void test_rng_reference_stream(void **state) {
    (void)state;
    static const uint64_t want[] = {
        0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL, 0xae17533239e499a1ULL,
        0xecb8ad4703b360a1ULL, 0xfde6dc7fe2ec5e64ULL,
    };
    lm_rng r;
    lm_rng_seed(&r, 42);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint64_t got = lm_rng_u64(&r);
        if (got != want[i]) {
            print_error("output %zu: 0x%016llx, expected 0x%016llx\n", i, (unsigned long long)got,
                        (unsigned long long)want[i]);
            fail();
        }
    }
}

/* From the state {1, 2, 3, 4}, by hand: result = rotl(s1 * 5, 7) * 9
 * = rotl(10, 7) * 9 = 1280 * 9 = 11520. Then s2 = 3^1 = 2, s3 = 4^2 = 6,
 * s1 = 2^2 = 0, so the second result is rotl(0, 7) * 9 = 0. The third and
 * fourth are from the Python transcription. */
static void test_rng_hand_state(void **state) {
    (void)state;
    lm_rng r = {{1, 2, 3, 4}, false, 0};
    assert_true(lm_rng_u64(&r) == 11520);
    assert_true(lm_rng_u64(&r) == 0);
    assert_true(lm_rng_u64(&r) == 1509978240ULL);
    assert_true(lm_rng_u64(&r) == 1215971899390074240ULL);
}

static void test_rng_reproducible(void **state) {
    (void)state;
    lm_rng a, b, c;
    lm_rng_seed(&a, 12345);
    lm_rng_seed(&b, 12345);
    lm_rng_seed(&c, 12346);
    int same_as_other_seed = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = lm_rng_u64(&a), y = lm_rng_u64(&b), z = lm_rng_u64(&c);
        assert_true(x == y);
        same_as_other_seed += x == z;
    }
    assert_int_equal(same_as_other_seed, 0);
    for (int i = 0; i < 100; i++) assert_true(lm_rng_normal(&a) == lm_rng_normal(&b));

    /* reseeding restarts the stream, including the cached second normal deviate */
    lm_rng_seed(&a, 9);
    double first = lm_rng_normal(&a); /* leaves a spare behind */
    lm_rng_seed(&a, 9);
    assert_true(lm_rng_normal(&a) == first);
}

/* uniform = (u64 >> 11) * 2^-53: Python (x >> 11) * 2.0**-53 on the outputs above */
static void test_rng_uniform_reference(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 42);
    assert_true(lm_rng_uniform(&r) == 0.08386297105988216);
    assert_true(lm_rng_uniform(&r) == 0.3789802506626686);
    assert_true(lm_rng_uniform(&r) == 0.6800434110281394);
}

/* Marsaglia's polar method on the seed-42 uniforms, in Python:
 * u = 2U-1, v = 2V-1, s = u*u+v*v (redraw unless 0 < s < 1),
 * m = sqrt(-2 log s / s); deviates u*m then v*m. */
static void test_rng_normal_reference(void **state) {
    (void)state;
    lm_rng r;
    lm_rng_seed(&r, 42);
    assert_near(lm_rng_normal(&r), -0.7262191382447857, 1e-15);
    assert_near(lm_rng_normal(&r), -0.21119691823195985, 1e-15);
    assert_near(lm_rng_normal(&r), 0.2216227015035933, 1e-15);
    assert_near(lm_rng_normal(&r), 0.5227716877560146, 1e-15);
}

/* Sample moments over 1e5 draws, each within 5 standard errors:
 * uniform mean 1/2, se = sqrt(1/12 / 1e5) = 0.000912871 -> 5 se = 0.0045644;
 * uniform variance 1/12, se = sqrt((1/80 - 1/144) / 1e5) = 0.000235702 -> 0.0011785
 *   (Var of (U - 1/2)^2 = E(U-1/2)^4 - (1/12)^2 = 1/80 - 1/144);
 * normal mean 0, se = 1/sqrt(1e5) = 0.00316228 -> 0.0158114;
 * normal variance 1, se = sqrt(2 / 1e5) = 0.00447214 -> 0.0223607. */
static void test_rng_moments(void **state) {
    (void)state;
    const int n = 100000;
    lm_rng r;
    lm_rng_seed(&r, 2024);
    double sum = 0, sq = 0;
    for (int i = 0; i < n; i++) {
        double u = lm_rng_uniform(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sq += (u - 0.5) * (u - 0.5);
    }
    assert_near(sum / n, 0.5, 0.0045644);
    assert_near(sq / n, 1.0 / 12.0, 0.0011785);

    sum = sq = 0;
    for (int i = 0; i < n; i++) {
        double z = lm_rng_normal(&r);
        assert_true(isfinite(z));
        sum += z;
        sq += z * z;
    }
    double mean = sum / n;
    assert_near(mean, 0.0, 0.0158114);
    assert_near(sq / n - mean * mean, 1.0, 0.0223607);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_shortest_table),
        cmocka_unit_test(test_fmt_nonfinite),
        cmocka_unit_test(test_fmt_shortest_power_of_two),
        cmocka_unit_test(test_fmt_shortest_round_trip),
        cmocka_unit_test(test_fmt_sig5_table),
        cmocka_unit_test(test_fmt_sig_other_digits),
        cmocka_unit_test(test_fmt_sig_accuracy),
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_err_first_wins),
        cmocka_unit_test(test_errkind_names),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_error_values),
        cmocka_unit_test(test_refcount_balance),
        cmocka_unit_test(test_immortal),
        cmocka_unit_test(test_strings_and_complex),
        cmocka_unit_test(test_rng_seed_state),
        cmocka_unit_test(test_rng_reference_stream),
        cmocka_unit_test(test_rng_hand_state),
        cmocka_unit_test(test_rng_reproducible),
        cmocka_unit_test(test_rng_uniform_reference),
        cmocka_unit_test(test_rng_normal_reference),
        cmocka_unit_test(test_rng_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
