/* Unit tests of plotting (src/plot, src/lang/builtins/b_plot.c): what a figure
 * means, not its bytes. Nice ticks over a table of ranges (tiny, huge, negative,
 * a single point, non-finite), marching-squares segments on known level sets,
 * shaded areas against known integrals, poles left unjoined, SVG well-formed
 * (a small checker here, plus xmllint when installed), PNGs read back at the
 * asked size, degenerate data, immutability and the render time budget. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <float.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "lemma/lang.h"
#include "lemma/plot.h"

/* fontconfig (loaded by cairo for text) keeps its configuration for the life of
 * the process and never frees it; LeakSanitizer reads these suppressions from
 * the program itself. Leaks anywhere else are still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

/* ---- helpers ---- */

static lm_value eval1(lm_session *s, const char *src) { return lm_eval_value(s, src); }

static lm_plot *eval_plot(lm_session *s, const char *src, lm_value *keep) {
    *keep = eval1(s, src);
    if (keep->kind != LM_PLOT) {
        if (lm_is_error(*keep)) fprintf(stderr, "%s: %s\n", src, lm_error_obj(*keep)->msg);
        fail_msg("%s did not give a plot", src);
    }
    return lm_plot_of(*keep);
}

/* A minimal XML well-formedness check: one root, tags nest and close, attribute
 * values quoted, entities known, no raw '<' or '&' in text or attributes. */
static bool xml_well_formed(const char *s, char *why, size_t whylen) {
    char stack[64][32];
    int depth = 0, roots = 0;
    const char *p = s;
    while (*p) {
        if (*p == '<') {
            if (p[1] == '/') {
                const char *q = p + 2, *e = strchr(q, '>');
                if (!e || depth == 0) return snprintf(why, whylen, "stray close at %ld", (long)(p - s)), false;
                size_t n = (size_t)(e - q);
                if (n != strlen(stack[depth - 1]) || strncmp(q, stack[depth - 1], n))
                    return snprintf(why, whylen, "</%.*s> closes <%.31s>", (int)(n > 31 ? 31 : n), q, stack[depth - 1]), false;
                depth--;
                p = e + 1;
                continue;
            }
            const char *q = p + 1;
            size_t n = strcspn(q, " />\n");
            if (n == 0 || n >= 32) return snprintf(why, whylen, "bad tag name at %ld", (long)(p - s)), false;
            char name[32];
            memcpy(name, q, n);
            name[n] = '\0';
            q += n;
            /* attributes */
            for (;;) {
                while (*q == ' ' || *q == '\n') q++;
                if (*q == '>' || (q[0] == '/' && q[1] == '>')) break;
                size_t an = strcspn(q, "= >");
                if (!an || q[an] != '=' || q[an + 1] != '"')
                    return snprintf(why, whylen, "unquoted attribute in <%s>", name), false;
                q += an + 2;
                while (*q && *q != '"') {
                    if (*q == '<') return snprintf(why, whylen, "'<' in an attribute of <%s>", name), false;
                    q++;
                }
                if (!*q) return snprintf(why, whylen, "unterminated attribute"), false;
                q++;
            }
            bool empty = *q == '/';
            p = q + (empty ? 2 : 1);
            if (depth == 0) roots++;
            if (!empty) {
                if (depth == 64) return snprintf(why, whylen, "too deep"), false;
                strcpy(stack[depth++], name);
            }
            continue;
        }
        if (*p == '&') {
            if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6))
                return snprintf(why, whylen, "unknown entity at %ld", (long)(p - s)), false;
        }
        if (depth == 0 && *p != '\n' && *p != ' ')
            return snprintf(why, whylen, "text outside the root at %ld", (long)(p - s)), false;
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            return snprintf(why, whylen, "control character at %ld", (long)(p - s)), false;
        p++;
    }
    if (depth) return snprintf(why, whylen, "<%s> left open", stack[depth - 1]), false;
    if (roots != 1) return snprintf(why, whylen, "%d roots", roots), false;
    return true;
}

static void assert_svg_ok(const lm_plot *p, int w, int h) {
    lm_buf b = LM_BUF_INIT;
    lm_plot_svg(p, w, h, &b);
    char why[160] = "";
    if (!xml_well_formed(lm_buf_cstr(&b), why, sizeof why)) fail_msg("SVG not well-formed: %s", why);
    assert_non_null(strstr(lm_buf_cstr(&b), "<title>"));
    lm_buf_free(&b);
}

/* ---- ticks ---- */

static bool nice_step(double step) {
    double m = step / pow(10, floor(log10(step)));
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

static void check_ticks(double lo, double hi, int target) {
    lm_ticks t;
    lm_plot_ticks(lo, hi, target, false, &t);
    assert_true(t.n >= 2);
    assert_true(t.n <= LM_PLOT_MAX_TICKS);
    assert_true(t.lo < t.hi);
    for (int i = 0; i < t.n; i++) {
        assert_true(isfinite(t.v[i]));
        assert_true(t.v[i] >= t.lo - 1e-9 * (t.hi - t.lo) && t.v[i] <= t.hi + 1e-9 * (t.hi - t.lo));
        if (i) {
            assert_true(t.v[i] > t.v[i - 1]);
            if (!strcmp(t.label[i], t.label[i - 1])) fail_msg("[%g, %g]: repeated label %s", lo, hi, t.label[i]);
        }
        assert_true(strlen(t.label[i]) > 0 && strlen(t.label[i]) < 20);
    }
    if (t.n > 2 || t.step != t.hi - t.lo)
        if (!nice_step(t.step)) fail_msg("[%g, %g] target %d: step %g", lo, hi, target, t.step);
}

static void test_ticks_table(void **state) {
    (void)state;
    static const double ranges[][2] = {
        {0, 1}, {-3.14159, 3.14159}, {1e-9, 3e-9}, {1e6, 5e6}, {-1e308, 1e308}, {5, 5}, {0, 0},
        {-7, -2}, {1, 1 + 1e-13}, {0, 1e-320}, {123456789, 123456790}, {-DBL_MAX, DBL_MAX}, {0.1, 0.1000001},
        {NAN, NAN}, {INFINITY, -INFINITY}, {NAN, 3}, {-INFINITY, 2}, {2, 1}, {1e-300, 1e300},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        for (int target = 1; target <= 40; target += 3) check_ticks(ranges[i][0], ranges[i][1], target);
}

static void test_ticks_values(void **state) {
    (void)state;
    lm_ticks t;
    /* [0, 1] in about 5: 0, 0.2, ..., 1 (ref: by hand, 1-2-5 steps) */
    lm_plot_ticks(0, 1, 5, false, &t);
    assert_int_equal(t.n, 6);
    assert_string_equal(t.label[0], "0.0");
    assert_string_equal(t.label[1], "0.2");
    assert_string_equal(t.label[5], "1.0");
    /* [-pi, pi] in about 6: -3 .. 3 by 1 */
    lm_plot_ticks(-3.14159, 3.14159, 6, false, &t);
    assert_int_equal(t.n, 7);
    assert_string_equal(t.label[0], "-3");
    assert_string_equal(t.label[3], "0");
    /* huge values switch to exponents: 1e6 .. 5e6 by 1e6 */
    lm_plot_ticks(1e6, 5e6, 4, false, &t);
    assert_int_equal(t.n, 5);
    assert_string_equal(t.label[0], "1e6");
    assert_string_equal(t.label[4], "5e6");
    /* tiny: 1e-9 .. 3e-9 */
    lm_plot_ticks(1e-9, 3e-9, 4, false, &t);
    assert_string_equal(t.label[0], "1.0e-9");
    /* a single point is widened around it: 5 → [4.5, 5.5] */
    lm_plot_ticks(5, 5, 5, false, &t);
    assert_true(t.lo < 5 && t.hi > 5);
    assert_true(fabs(t.lo - 4.5) < 1e-12 && fabs(t.hi - 5.5) < 1e-12);
    /* 0 alone → [-1, 1] */
    lm_plot_ticks(0, 0, 5, false, &t);
    assert_true(t.lo == -1 && t.hi == 1);
    /* integer axes never step below 1 */
    lm_plot_ticks(0.5, 3.5, 10, true, &t);
    assert_true(t.step >= 1);
    assert_string_equal(t.label[0], "1");
    /* negative range */
    lm_plot_ticks(-7, -2, 5, false, &t);
    assert_true(t.v[0] == -7 && t.v[t.n - 1] == -2);
}

static void test_levels(void **state) {
    (void)state;
    double lv[LM_PLOT_MAX_TICKS];
    int n = lm_plot_levels(0, 10, 5, lv);
    assert_int_equal(n, 4); /* 2 4 6 8: strictly inside */
    assert_true(lv[0] == 2 && lv[3] == 8);
    assert_int_equal(lm_plot_levels(3, 3, 5, lv), 0);
    assert_int_equal(lm_plot_levels(NAN, 3, 5, lv), 0);
}

/* ---- contours ---- */

static double *grid(size_t n, double lo, double hi, double (*f)(double, double)) {
    double *z = malloc(n * n * sizeof *z);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            z[j * n + i] = f(lo + (hi - lo) * (double)i / (double)(n - 1), lo + (hi - lo) * (double)j / (double)(n - 1));
    return z;
}
static double f_r2(double x, double y) { return x * x + y * y; }
static double f_x(double x, double y) { (void)y; return x; }
static double f_nan(double x, double y) { (void)x; (void)y; return NAN; }
static double f_saddle(double x, double y) { return x * y; }

static void test_contour_circle(void **state) {
    (void)state;
    size_t n = 101, nseg = 0, cap = 0;
    double *segs = NULL;
    double *z = grid(n, -2, 2, f_r2);
    lm_contour_segments(z, n, n, -2, 2, -2, 2, 1.0, &segs, &nseg, &cap);
    /* the unit circle crosses about 4·(2/h) = 200 cells of side h = 0.04 (ref:
     * a circle of diameter d crosses ~ 2·d/h columns and as many rows, shared) */
    assert_true(nseg > 150 && nseg < 260);
    double len = 0;
    for (size_t k = 0; k < nseg; k++) {
        double *s = segs + 4 * k;
        /* every end lies on the circle within the interpolation error h²/8·f'' */
        assert_true(fabs(hypot(s[0], s[1]) - 1) < 2e-3);
        assert_true(fabs(hypot(s[2], s[3]) - 1) < 2e-3);
        len += hypot(s[2] - s[0], s[3] - s[1]);
    }
    /* the pieces add up to the circumference 2π (an inscribed polygon: a bit less) */
    assert_true(fabs(len - 2 * M_PI) < 0.01);
    free(segs);
    free(z);
}

static void test_contour_line_and_nan(void **state) {
    (void)state;
    size_t n = 11, nseg = 0, cap = 0;
    double *segs = NULL;
    double *z = grid(n, 0, 1, f_x);
    lm_contour_segments(z, n, n, 0, 1, 0, 1, 0.55, &segs, &nseg, &cap);
    /* z = x at 0.55: one vertical segment per row of cells, all at x = 0.55 */
    assert_int_equal(nseg, 10);
    for (size_t k = 0; k < nseg; k++) {
        assert_true(fabs(segs[4 * k] - 0.55) < 1e-12);
        assert_true(fabs(segs[4 * k + 2] - 0.55) < 1e-12);
    }
    free(z);
    nseg = 0;
    z = grid(n, 0, 1, f_nan);
    lm_contour_segments(z, n, n, 0, 1, 0, 1, 0.5, &segs, &nseg, &cap);
    assert_int_equal(nseg, 0);
    free(z);
    /* saddle x·y at 0: the two axes; every segment lies on one of them */
    nseg = 0;
    z = grid(20, -1, 1, f_saddle);
    lm_contour_segments(z, 20, 20, -1, 1, -1, 1, 1e-9, &segs, &nseg, &cap);
    assert_true(nseg > 0);
    for (size_t k = 0; k < nseg; k++) {
        double *s = segs + 4 * k;
        assert_true(fabs(s[0] * s[1]) < 0.02 && fabs(s[2] * s[3]) < 0.02);
    }
    free(z);
    free(segs);
}

/* ---- figures from the language ---- */

static const lm_series *find_series(const lm_plot *p, lm_series_kind k) {
    for (size_t i = 0; i < p->n; i++)
        if (p->s[i].kind == k) return &p->s[i];
    return NULL;
}

static size_t breaks(const lm_series *s) {
    size_t n = 0;
    for (size_t i = 1; i + 1 < s->n; i++)
        if (!isfinite(s->y[i]) && isfinite(s->y[i - 1])) n++;
    return n;
}

static void test_shaded_area(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value keep;
    /* ref: ∫_0^1 x² dx = 1/3 */
    lm_plot *p = eval_plot(s, "plot(x^2, x, 0, 3, shade = [0, 1])", &keep);
    const lm_series *a = find_series(p, LM_SER_AREA);
    assert_non_null(a);
    double area = 0;
    for (size_t i = 1; i < a->n; i++) area += (a->x[i] - a->x[i - 1]) * ((a->y[i] - a->y2[i]) + (a->y[i - 1] - a->y2[i - 1])) / 2;
    assert_true(fabs(area - 1.0 / 3) < 1e-6);
    assert_non_null(p->note);
    assert_non_null(strstr(p->note, "0.33333"));
    lm_release(keep);
    /* ref: Φ(1) − Φ(−1) = erf(1/√2) = 0.682689492137086 */
    p = eval_plot(s, "plot(exp(-x^2/2)/sqrt(2*pi), x, -4, 4, shade = [-1, 1])", &keep);
    a = find_series(p, LM_SER_AREA);
    area = 0;
    for (size_t i = 1; i < a->n; i++) area += (a->x[i] - a->x[i - 1]) * (a->y[i] + a->y[i - 1]) / 2;
    assert_true(fabs(area - 0.682689492137086) < 1e-6);
    assert_non_null(strstr(p->note, "0.68269"));
    lm_release(keep);
    lm_session_free(s);
}

static void test_poles_not_joined(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value keep;
    lm_plot *p = eval_plot(s, "plot(tan(x), x, -pi, pi)", &keep);
    assert_int_equal(breaks(find_series(p, LM_SER_LINE)), 2); /* at ±π/2 */
    /* the view follows the typical values, not 1e16 */
    double x0, x1, y0, y1;
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(y1 < 1000 && y0 > -1000);
    lm_release(keep);
    p = eval_plot(s, "plot(1/x, x, -1, 1)", &keep);
    assert_int_equal(breaks(find_series(p, LM_SER_LINE)), 1);
    lm_release(keep);
    p = eval_plot(s, "plot(sin(x), x, -pi, pi)", &keep);
    assert_int_equal(breaks(find_series(p, LM_SER_LINE)), 0);
    /* a steep but continuous function is not broken */
    lm_release(keep);
    p = eval_plot(s, "plot(atan(1000*x), x, -1, 1)", &keep);
    assert_int_equal(breaks(find_series(p, LM_SER_LINE)), 0);
    lm_release(keep);
    p = eval_plot(s, "plot([sin(x); cos(x)], x, 0, 6)", &keep);
    assert_int_equal((int)p->n, 2);
    assert_string_equal(p->s[1].label, "cos(x)");
    lm_release(keep);
    lm_session_free(s);
}

static void test_matrix_picture(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value keep;
    lm_plot *p = eval_plot(s, "plot([2 1; 1 3])", &keep);
    /* the columns as arrows: A e1 = (2, 1), A e2 = (1, 3) */
    int found = 0;
    for (size_t i = 0; i < p->n; i++) {
        const lm_series *a = &p->s[i];
        if (a->kind != LM_SER_ARROWS || a->n != 1) continue;
        if (a->u[0] == 2 && a->v[0] == 1) found |= 1;
        if (a->u[0] == 1 && a->v[0] == 3) found |= 2;
    }
    assert_int_equal(found, 3);
    assert_non_null(strstr(p->note, "det A = 5"));
    assert_true(p->equal);
    lm_release(keep);
    /* a rotation has no real eigenvectors: no dotted lines */
    p = eval_plot(s, "plot([0 -1; 1 0])", &keep);
    for (size_t i = 0; i < p->n; i++) assert_false(p->s[i].label && strstr(p->s[i].label, "eigen"));
    lm_release(keep);
    lm_session_free(s);
}

static void test_degenerate(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    static const char *ok[] = {
        "plot([NaN NaN NaN])", "plot(5)", "plot([1 1 1])", "plot([1 Inf -Inf 2])", "plot(zeros(1, 0))",
        "scatter([1 NaN], [Inf 2])", "scatter(1, 1)", "bar([0 0 0])", "bar(-3)", "hist(ones(10, 1))", "hist([1 NaN 2])",
        "heatmap(NaN)", "heatmap([1 1; 1 1])", "contour(x*0 + y*0 + 1, [x, y], [0, 1], [0, 1])",
        "contour(log(x), [x, y], [-1, 1], [-1, 1])", "contour(x + y, [x, y], [0, 1], [0, 1], filled = true)",
        "plot(sqrt(x), x, -2, -1)", "plot(1e300*x, x, -1e300, 1e300)", "plot(x, x, 1, 1 + 1e-12)",
        "quiver([0; 0], [x, y], [0, 1], [0, 1])", "quiver(1, 1, 0, 0)", "plot(3, x, 0, 1)",
        "plot(1/x, x, 0, 1)", "tangent(abs(x), x, 1)", "plot([1e-310 2e-310])",
        "title(plot(x, x, 0, 1), \"<&>\\\"\")",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        lm_value v = eval1(s, ok[i]);
        if (v.kind != LM_PLOT) fail_msg("%s: %s", ok[i], lm_is_error(v) ? lm_error_obj(v)->msg : "no plot");
        assert_svg_ok(lm_plot_of(v), 600, 400);
        assert_svg_ok(lm_plot_of(v), 16, 16);
        lm_buf b = LM_BUF_INIT;
        lm_plot_braille(v.u.obj, 40, 12, true, &b);
        lm_buf_free(&b);
        lm_release(v);
    }
    /* clear errors, never a crash */
    static const char *bad[] = {
        "plot(sin(x), x, 1, 1)", "plot(sin(x), x, 2, 1)", "plot(sin(x), x, -Inf, 1)", "hist([NaN NaN])",
        "hist(zeros(1, 0))", "hist([1 2], 0)", "hist([1 2], 2.5)", "contour(x, [x, x], [0, 1], [0, 1])",
        "contour(x, [x, y], [1, 0], [0, 1])", "contour(x, [x, y], [0, 1], [0, 1], n = 1e9)", "plot(x*y, 0, 1)",
        "scatter([1 2], [1 2 3])", "save(plot(x, x, 0, 1), \"/tmp/a.gif\")", "save(3, \"a.svg\")",
        "title(3, \"a\")", "legend(plot(x, x, 0, 1), \"a\", \"b\")", "heatmap(zeros(0, 3))", "plot(\"abc\")",
        "contour(x, [x, y], [0, 1], [0, 1], levels = zeros(1, 0))", "save(plot(x, x, 0, 1), \"/nonexistent/dir/a.svg\")",
        "tangent(1/x, x, 0)", "quiver([x; y; x], [x, y], [0, 1], [0, 1])",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lm_value v = eval1(s, bad[i]);
        if (!lm_is_error(v)) fail_msg("%s: expected an error", bad[i]);
        assert_non_null(lm_error_obj(v)->msg);
        lm_release(v);
    }
    lm_session_free(s);
}

static void test_svg_text_escaped(void **state) {
    (void)state;
    lm_plot *p = lm_plot_new();
    double x[3] = {0, 1, 2}, y[3] = {1, 0, 1};
    lm_plot_add_xy(p, LM_SER_LINE, x, y, 3)->label = strdup("a<b & \"c\"");
    lm_plot_set_str(&p->title, "bad \xff\xfe utf-8 and \x01 control, ok λ");
    lm_plot_set_str(&p->xlabel, "</svg>");
    p->legend = true;
    assert_svg_ok(p, 600, 400);
    /* xmllint, when the machine has it, agrees */
    if (access("/usr/bin/xmllint", X_OK) == 0) {
        char path[] = "/tmp/lemma_plot_XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        lm_buf b = LM_BUF_INIT;
        lm_plot_svg(p, 600, 400, &b);
        assert_int_equal(write(fd, b.s, b.len), (ssize_t)b.len);
        close(fd);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "/usr/bin/xmllint --noout %s 2>/dev/null", path);
        assert_int_equal(system(cmd), 0);
        unlink(path);
        lm_buf_free(&b);
    }
    lm_plot_release(p);
}

static void test_json_and_text(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v = eval1(s, "plot(sin(x), x, -pi, pi)");
    lm_buf b = LM_BUF_INIT;
    lm_value_text(s, v, &b);
    assert_string_equal(lm_buf_cstr(&b), "<plot: sin(x) on [-3.14, 3.14]>");
    lm_buf_reset(&b);
    lm_value_json(v, &b);
    assert_non_null(strstr(lm_buf_cstr(&b), "\"type\":\"plot\",\"svg\":\"<svg "));
    assert_null(strchr(lm_buf_cstr(&b), '\n')); /* one line */
    lm_buf_free(&b);
    /* labelling copies: p keeps no title */
    lm_value t = eval1(s, "p = plot(x, x, 0, 1); q = title(p, \"hello\"); p");
    assert_int_equal(t.kind, LM_PLOT);
    assert_null(lm_plot_of(t)->title);
    lm_release(t);
    t = eval1(s, "q");
    assert_string_equal(lm_plot_of(t)->title, "hello");
    lm_release(t);
    lm_release(v);
    lm_session_free(s);
}

static void test_braille(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v = eval1(s, "title(plot(sin(x), x, -pi, pi), \"sine\")");
    lm_buf b = LM_BUF_INIT;
    lm_plot_braille(v.u.obj, 60, 16, false, &b);
    int lines = 0;
    for (size_t i = 0; i < b.len; i++) lines += b.s[i] == '\n';
    assert_int_equal(lines, 16);
    assert_non_null(strstr(lm_buf_cstr(&b), "\xe2\xa0")); /* braille block U+28xx */
    assert_non_null(strstr(lm_buf_cstr(&b), "sine"));
    assert_null(strchr(lm_buf_cstr(&b), '\x1b'));
    lm_buf_reset(&b);
    lm_plot_braille(v.u.obj, 60, 16, true, &b);
    assert_non_null(strchr(lm_buf_cstr(&b), '\x1b'));
    lm_buf_free(&b);
    lm_release(v);
    lm_session_free(s);
}

/* A y tick label keeps a blank cell before its tick mark: "5000 ⠈⢹", not
 * "5000⠈⢹" (the label's end used to be rounded to the nearest cell). The two
 * plots put the frame on an even and on an odd dot column. */
static void test_braille_label_gap(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    const char *progs[] = {"plot(1000*x^3, x, -2, 2)", "plot(0.001*x, x, -2, 2)", "plot([0 2 3 0], [0 1 4 0])"};
    for (size_t k = 0; k < sizeof progs / sizeof *progs; k++) {
        lm_value v = eval1(s, progs[k]);
        for (int cols = 40; cols <= 72; cols += 3) {
            lm_buf b = LM_BUF_INIT;
            lm_plot_braille(v.u.obj, cols, 10, false, &b);
            const char *t = lm_buf_cstr(&b);
            for (const char *p = t; *p; p++) {
                /* a digit right before a braille character (U+2800–U+28FF: E2 A0–A3) */
                bool touches = *p >= '0' && *p <= '9' && (unsigned char)p[1] == 0xE2 &&
                               ((unsigned char)p[2] & 0xFC) == 0xA0;
                if (touches) fail_msg("%s at %d columns: a label touches the plot:\n%s", progs[k], cols, t);
            }
            lm_buf_free(&b);
        }
        lm_release(v);
    }
    lm_session_free(s);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void test_png_and_pdf(void **state) {
    (void)state;
    char dir[] = "/tmp/lemma_plot_XXXXXX";
    assert_non_null(mkdtemp(dir));
    lm_session *s = lm_session_new();
    lm_value v = eval1(s, "contour(sin(3*x)*cos(2*y) + x/3, [x, y], [-2, 2], [-2, 2], n = 200, filled = true)");
    assert_int_equal(v.kind, LM_PLOT);
    char png[256], pdf[256], svg[256];
    snprintf(png, sizeof png, "%s/f.png", dir);
    snprintf(pdf, sizeof pdf, "%s/f.pdf", dir);
    snprintf(svg, sizeof svg, "%s/f.svg", dir);
    lm_err err = LM_ERR_INIT;
    /* the first save loads cairo; time the second */
    assert_int_equal(lm_plot_save(lm_plot_of(v), png, 640, 480, &err), LM_OK);
    int w = 0, h = 0;
    assert_int_equal(lm_plot_png_size(png, &w, &h, &err), LM_OK);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    double t0 = now();
    assert_int_equal(lm_plot_save(lm_plot_of(v), png, 600, 400, &err), LM_OK);
    double t_png = now() - t0;
    t0 = now();
    assert_int_equal(lm_plot_save(lm_plot_of(v), svg, 600, 400, &err), LM_OK);
    double t_svg = now() - t0;
    assert_int_equal(lm_plot_png_size(png, &w, &h, &err), LM_OK);
    assert_true(w == 600 && h == 400);
    assert_int_equal(lm_plot_save(lm_plot_of(v), pdf, 600, 400, &err), LM_OK);
    FILE *f = fopen(pdf, "rb");
    char head[5] = {0};
    assert_non_null(f);
    assert_int_equal(fread(head, 1, 4, f), 4);
    fclose(f);
    assert_string_equal(head, "%PDF");
    /* a file that is not a PNG is an io error, not a crash */
    assert_int_equal(lm_plot_png_size(pdf, &w, &h, &err), LM_ERR_IO);
    lm_err_clear(&err);
    /* for the log only: the speed is measured against Matplotlib in bench/plot.sh,
       not asserted here (a loaded machine would fail a test that is not wrong) */
    printf("# 600x400 filled contour of a 200x200 grid: PNG %.1f ms, SVG %.1f ms\n", t_png * 1e3, t_svg * 1e3);
    unlink(png);
    unlink(pdf);
    unlink(svg);
    rmdir(dir);
    lm_release(v);
    lm_session_free(s);
}


/* plot(D, shade = [a, b]) prints the probability from the cdf. References:
 * R 4.2: pnorm(1.96) - pnorm(-1.96) = 0.9500042; sum(dbinom(2:4, 10, 0.3)) = 0.7004233. */
static void test_plot_distribution(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, "plot(Normal(0, 1), shade = [-1.96, 1.96])");
    assert_int_equal(v.kind, LM_PLOT);
    assert_non_null(lm_plot_of(v)->note);
    assert_non_null(strstr(lm_plot_of(v)->note, "= 0.95"));
    assert_int_equal(lm_plot_of(v)->n, 2); /* the density and the shaded area */
    lm_release(v);
    v = lm_eval_value(s, "plot(Binomial(10, 0.3), shade = [2, 4])");
    assert_int_equal(v.kind, LM_PLOT);
    assert_non_null(strstr(lm_plot_of(v)->note, "= 0.70042"));
    lm_release(v);
    v = lm_eval_value(s, "plot(MultivariateNormal([0 0], eye(2)))");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    lm_session_free(s);
}


/* plot(chain): the state distribution from a start state. By hand for
 * T = [0.9 0.1; 0.5 0.5] started in state 2: after one step P(state 1) = 0.5;
 * the stationary P(state 1) = 0.5 / (0.1 + 0.5) = 5/6. */
static void test_plot_markov(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, "plot(markov([0.9 0.1; 0.5 0.5]), start = 2, steps = 200)");
    assert_int_equal(v.kind, LM_PLOT);
    const lm_plot *p = lm_plot_of(v);
    assert_int_equal(p->n, 2);
    assert_int_equal(p->s[0].n, 201);
    assert_true(fabs(p->s[0].y[0] - 0.0) < 1e-15);
    assert_true(fabs(p->s[0].y[1] - 0.5) < 1e-15);
    assert_true(fabs(p->s[0].y[200] - 5.0 / 6.0) < 1e-12);
    assert_true(fabs(p->s[1].y[200] - 1.0 / 6.0) < 1e-12);
    lm_release(v);
    v = lm_eval_value(s, "plot(markov([0.9 0.1; 0.5 0.5]), start = 3)");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    lm_session_free(s);
}

/* ---- log scales, grids of panels, network graphs ---- */

/* A canvas that records where each text lands (for positions, not bytes). */
typedef struct rec_text {
    char s[96];
    double x, y;
} rec_text;
typedef struct recorder {
    rec_text t[256];
    int n;
    int paths, closed4; /* closed four-point paths: boxes */
} recorder;
static double rec_width(void *ud, const char *s, double size) {
    (void)ud;
    return lm_plot_text_width(s, size);
}
static void rec_path(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st) {
    (void)xy, (void)st;
    recorder *r = ud;
    r->paths++;
    if (closed && nsub == 1 && lens[0] == 4) r->closed4++;
}
static void rec_circle(void *ud, double cx, double cy, double rad, const lm_pstyle *st) {
    (void)ud, (void)cx, (void)cy, (void)rad, (void)st;
}
static void rec_textf(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated,
                      uint32_t color, bool bold) {
    (void)size, (void)anchor, (void)rotated, (void)color, (void)bold;
    recorder *r = ud;
    if (r->n >= 256) return;
    snprintf(r->t[r->n].s, sizeof r->t[r->n].s, "%s", s);
    r->t[r->n].x = x;
    r->t[r->n].y = y;
    r->n++;
}
static void rec_clip(void *ud, double x, double y, double w, double h) { (void)ud, (void)x, (void)y, (void)w, (void)h; }
static void record(const lm_plot *p, double w, double h, recorder *r) {
    memset(r, 0, sizeof *r);
    lm_canvas cv = {r, w, h, 12, rec_width, rec_path, rec_circle, rec_textf, rec_clip};
    lm_plot_render(p, &cv);
}
static const rec_text *find_text(const recorder *r, const char *s) {
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->t[i].s, s)) return &r->t[i];
    return NULL;
}

static void test_log_ticks(void **state) {
    (void)state;
    lm_ticks t;
    /* 1 to 1000: every decade, labelled */
    lm_plot_log_ticks(1, 1000, 8, &t);
    assert_int_equal(t.n, 4);
    const char *want[] = {"1", "10", "100", "1000"};
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(t.v[i] - pow(10, i)) < 1e-9 * pow(10, i));
        assert_string_equal(t.label[i], want[i]);
    }
    /* small values and many decades: every k-th decade, never more than asked */
    lm_plot_log_ticks(1e-3, 1, 8, &t);
    assert_int_equal(t.n, 4);
    assert_string_equal(t.label[0], "0.001");
    assert_string_equal(t.label[3], "1");
    lm_plot_log_ticks(1e-30, 1e30, 6, &t);
    assert_true(t.n >= 2 && t.n <= 6);
    for (int i = 1; i < t.n; i++) assert_true(t.v[i] > t.v[i - 1]);
    assert_true(t.v[t.n - 1] <= 1e30 * (1 + 1e-9) && !strncmp(t.label[t.n - 1], "1e+", 3));
    /* inside one decade: linear nice ticks, all positive */
    lm_plot_log_ticks(2, 8, 5, &t);
    assert_true(t.n >= 2);
    for (int i = 0; i < t.n; i++) assert_true(t.v[i] >= 2 && t.v[i] <= 8);
    /* nonsense ends give a sensible range, never a loop */
    lm_plot_log_ticks(-5, 0, 5, &t);
    assert_true(t.n >= 1);
    lm_plot_log_ticks(NAN, INFINITY, 5, &t);
    assert_true(t.n >= 1);
    lm_plot_log_ticks(1e-320, 1e308, 30, &t);
    assert_true(t.n >= 2 && t.n <= LM_PLOT_MAX_TICKS);
}

/* Bug: quiver's limits missed the arrow tips (axes from -1 to 1 around arrows
 * to (3, 4)). The limits hold every base and tip, with the 5% margin. */
static void test_quiver_limits(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    double x0, x1, y0, y1;
    /* bases all at the origin: the arrows keep their lengths, tips (2, 1),
       (1, 3), (3, 4); by hand x spans [0, 3] and y [0, 4], each widened by 5% */
    lm_plot *p = eval_plot(s, "quiver([0 0 0], [0 0 0], [2 1 3], [1 3 4])", &v);
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(fabs(x0 - -0.15) < 1e-12 && fabs(x1 - 3.15) < 1e-12);
    assert_true(fabs(y0 - -0.2) < 1e-12 && fabs(y1 - 4.2) < 1e-12);
    lm_release(v);
    /* a 9×9 grid on [-2, 2]²: spacing sqrt(16/81) = 4/9, the longest arrow
       |(4, 12)| scaled to 0.9·4/9, so tips reach y = ±(2 + 12·0.4/sqrt(160)) =
       ±2.3794733 and x = ±2.1264911; with 5% each side (python3):
       y1 = 2.617420651142226, x1 = 2.3391402170474085 */
    p = eval_plot(s, "quiver([2*x; 6*y], [x, y], [-2, 2], [-2, 2], n = 9)", &v);
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(fabs(y1 - 2.617420651142226) < 1e-12 && fabs(y0 + 2.617420651142226) < 1e-12);
    assert_true(fabs(x1 - 2.3391402170474085) < 1e-12 && fabs(x0 + 2.3391402170474085) < 1e-12);
    assert_svg_ok(p, 600, 400);
    lm_release(v);
    lm_session_free(s);
}

static void test_log_axes(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    lm_plot *p = eval_plot(s, "loglog(x^2, x, 1, 100)", &v);
    assert_true(p->xlog && p->ylog);
    double x0, x1, y0, y1;
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(fabs(x0 - 1) < 1e-9 && fabs(x1 - 100) < 1e-9);
    assert_true(y0 > 0 && y0 <= 1 && y1 >= 1e4);
    lm_ticks xt, yt;
    lm_plot_axis_ticks(p, 600, 400, &xt, &yt);
    assert_int_equal(xt.n, 3);
    assert_string_equal(xt.label[0], "1");
    assert_string_equal(xt.label[1], "10");
    assert_string_equal(xt.label[2], "100");
    /* decades are evenly spaced on the page: 1, 10, 100 land at equal steps */
    recorder r;
    record(p, 600, 400, &r);
    const rec_text *a = find_text(&r, "1"), *b = find_text(&r, "10"), *c = find_text(&r, "100");
    assert_non_null(a), assert_non_null(b), assert_non_null(c);
    /* the x labels are the ones under the frame (largest y) */
    for (int i = 0; i < r.n; i++) {
        if (!strcmp(r.t[i].s, "1") && r.t[i].y > a->y) a = &r.t[i];
        if (!strcmp(r.t[i].s, "10") && r.t[i].y > b->y) b = &r.t[i];
        if (!strcmp(r.t[i].s, "100") && r.t[i].y > c->y) c = &r.t[i];
    }
    assert_true(fabs((b->x - a->x) - (c->x - b->x)) < 0.5);
    assert_svg_ok(p, 600, 400);
    lm_release(v);

    /* values <= 0 are dropped with a note; all of them <= 0 is an error */
    p = eval_plot(s, "plot([1 10 0 -3 1000], yscale = \"log\")", &v);
    assert_true(p->ylog && !p->xlog);
    assert_non_null(p->note);
    assert_non_null(strstr(p->note, "2 values <= 0 not shown"));
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(y0 > 0 && y0 <= 1 && y1 >= 1000);
    assert_svg_ok(p, 600, 400);
    lm_buf bt = LM_BUF_INIT;
    lm_plot_braille(&p->hdr, 60, 16, false, &bt);
    assert_non_null(strstr(lm_buf_cstr(&bt), "1000"));
    lm_buf_free(&bt);
    lm_release(v);
    v = eval1(s, "plot([0 -1 -2], yscale = \"log\")");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    v = eval1(s, "plot([1 2 3], yscale = \"logarithmic\")");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    v = eval1(s, "semilogy(contour(x^2 + y^2, [x, y], [-1, 1], [-1, 1]))");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    /* scatter and hist take the options too; empty bins drop out of a log count axis */
    p = eval_plot(s, "scatter([0.01 1 100], [1 2 3], xscale = \"log\")", &v);
    assert_true(p->xlog && !p->note);
    lm_release(v);
    p = eval_plot(s, "hist([1 1 1 1 1 1 1 1 1 5], 5, yscale = \"log\")", &v);
    assert_true(p->ylog);
    lm_plot_axis_ticks(p, 600, 400, &xt, &yt);
    assert_true(yt.n >= 2 && yt.v[0] > 0);
    lm_release(v);
    p = eval_plot(s, "semilogx(log(x), x, 0.01, 100)", &v);
    assert_true(p->xlog && !p->ylog);
    lm_release(v);
    lm_session_free(s);
}

static void test_subplots(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    lm_plot *p = eval_plot(s, "subplots(title(plot(x, x, 0, 1), \"AAA\"), title(plot(x, x, 0, 1), \"BBB\"), "
                              "title(plot(x, x, 0, 1), \"CCC\"), cols = 2)", &v);
    assert_int_equal(p->nsub, 3);
    assert_int_equal(p->cols, 2);
    double cell[4];
    lm_plot_grid_cell(p, 2, 600, 400, cell);
    assert_true(cell[0] == 0 && cell[1] == 200 && cell[2] == 300 && cell[3] == 200);
    recorder r;
    record(p, 600, 400, &r);
    const rec_text *a = find_text(&r, "AAA"), *b = find_text(&r, "BBB"), *c = find_text(&r, "CCC");
    assert_non_null(a), assert_non_null(b), assert_non_null(c);
    /* A top left, B top right, C bottom left */
    assert_true(a->x < 300 && b->x > 300 && c->x < 300);
    assert_true(a->y < 200 && b->y < 200 && c->y > 200);
    assert_svg_ok(p, 600, 400);
    lm_buf bt = LM_BUF_INIT;
    lm_plot_braille(&p->hdr, 60, 12, false, &bt);
    /* one panel after another: three titles down the page */
    const char *t = lm_buf_cstr(&bt);
    const char *pa = strstr(t, "AAA"), *pb = strstr(t, "BBB"), *pc = strstr(t, "CCC");
    assert_true(pa && pb && pc && pa < pb && pb < pc);
    lm_buf_free(&bt);
    /* a copy (title on the grid) shares the panels and outlives the original */
    lm_value v2 = eval1(s, "p = subplots(plot([1 2 3])); q = title(p, \"grid\"); clear p; q");
    assert_int_equal(v2.kind, LM_PLOT);
    assert_int_equal(lm_plot_of(v2)->nsub, 1);
    assert_svg_ok(lm_plot_of(v2), 600, 400);
    lm_release(v2);
    lm_release(v);
    v = eval1(s, "subplots(plot([1 2]), 3)");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    v = eval1(s, "subplots(plot([1 2]), cols = 0)");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    lm_session_free(s);
}

static void test_bnet_graph(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    lm_plot *p = eval_plot(s,
                           "b = bayesnet(); b = node(b, \"Burglary\", [], 0.001); b = node(b, \"Earthquake\", [], 0.002); "
                           "b = node(b, \"Alarm\", \"Burglary, Earthquake\", [0.001; 0.29; 0.94; 0.95]); "
                           "b = node(b, \"JohnCalls | Alarm\", [0.05; 0.9]); b = node(b, \"MaryCalls | Alarm\", [0.01; 0.7]); "
                           "plot(b)",
                           &v);
    assert_true(p->noaxes);
    /* four arrows: Burglary, Earthquake -> Alarm -> JohnCalls, MaryCalls */
    const lm_series *arrows = NULL;
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].kind == LM_SER_ARROWS) arrows = &p->s[k];
    assert_non_null(arrows);
    assert_int_equal(arrows->n, 4);
    for (size_t i = 0; i < arrows->n; i++) assert_true(arrows->v[i] < 0); /* every arrow points down a layer */
    recorder r;
    record(p, 600, 400, &r);
    assert_int_equal(r.closed4 - 1, 5); /* five boxes (and the background) */
    const rec_text *bu = find_text(&r, "Burglary"), *eq = find_text(&r, "Earthquake"), *al = find_text(&r, "Alarm");
    const rec_text *jo = find_text(&r, "JohnCalls"), *ma = find_text(&r, "MaryCalls");
    assert_true(bu && eq && al && jo && ma);
    /* layers by depth, parents above children; roots side by side */
    assert_true(fabs(bu->y - eq->y) < 1e-9 && fabs(jo->y - ma->y) < 1e-9);
    assert_true(bu->y < al->y && al->y < jo->y);
    assert_true(bu->x < al->x && al->x < eq->x);
    assert_svg_ok(p, 600, 400);
    lm_release(v);
    v = eval1(s, "plot(bayesnet())");
    assert_int_equal(v.kind, LM_ERROR);
    lm_release(v);
    lm_session_free(s);
}

/* ---- a matrix Y: one line per column ---- */

static void assert_line(const lm_series *s, const char *label, const double *x, const double *y, size_t n) {
    assert_int_equal(s->kind, LM_SER_LINE);
    assert_int_equal(s->n, n);
    if (label) assert_string_equal(s->label, label);
    else assert_null(s->label);
    for (size_t i = 0; i < n; i++) {
        assert_true(s->x[i] == x[i]);
        assert_true(s->y[i] == y[i]);
    }
}

static void expect_error(lm_session *s, const char *src, lm_errkind kind, const char *part) {
    lm_value v = eval1(s, src);
    if (!lm_is_error(v)) fail_msg("%s should fail", src);
    assert_int_equal(lm_error_obj(v)->kind, kind);
    if (part && !strstr(lm_error_obj(v)->msg, part)) fail_msg("%s: \"%s\" lacks \"%s\"", src, lm_error_obj(v)->msg, part);
    lm_release(v);
}

static void test_matrix_series(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    /* [1 2 3; 2 3 4]' is 3×2: columns (1, 2, 3) and (2, 3, 4) against x = 1, 2, 3 */
    lm_plot *p = eval_plot(s, "plot([1 2 3; 2 3 4]')", &v);
    assert_int_equal(p->n, 2);
    assert_line(&p->s[0], "column 1", (double[]){1, 2, 3}, (double[]){1, 2, 3}, 3);
    assert_line(&p->s[1], "column 2", (double[]){1, 2, 3}, (double[]){2, 3, 4}, 3);
    assert_true(p->legend);
    /* automatic colours: the renderer gives each its own palette colour */
    assert_true(p->s[0].color == LM_PLOT_AUTO && p->s[1].color == LM_PLOT_AUTO);
    assert_true(lm_plot_palette(0) != lm_plot_palette(1));
    assert_string_equal(p->desc, "2 lines of 3 points");
    assert_svg_ok(p, 600, 400);
    lm_release(v);
    /* x with as many values as Y has rows; named lines */
    p = eval_plot(s, "plot([0 1 2], [1 2; 3 4; 5 6], names = \"SGD, Adam\")", &v);
    assert_int_equal(p->n, 2);
    assert_line(&p->s[0], "SGD", (double[]){0, 1, 2}, (double[]){1, 3, 5}, 3);
    assert_line(&p->s[1], "Adam", (double[]){0, 1, 2}, (double[]){2, 4, 6}, 3);
    lm_release(v);
    /* x matches the columns, not the rows: one line per row (as Octave does) */
    p = eval_plot(s, "plot([0 1 2], [1 2 3; 4 5 6])", &v);
    assert_int_equal(p->n, 2);
    assert_line(&p->s[0], "row 1", (double[]){0, 1, 2}, (double[]){1, 2, 3}, 3);
    assert_line(&p->s[1], "row 2", (double[]){0, 1, 2}, (double[]){4, 5, 6}, 3);
    lm_release(v);
    /* X and Y of one shape: their columns pair up */
    p = eval_plot(s, "plot([1 2; 3 4; 5 6], [10 20; 30 40; 50 60])", &v);
    assert_int_equal(p->n, 2);
    assert_line(&p->s[0], "column 1", (double[]){1, 3, 5}, (double[]){10, 30, 50}, 3);
    assert_line(&p->s[1], "column 2", (double[]){2, 4, 6}, (double[]){20, 40, 60}, 3);
    lm_release(v);
    /* the lesson's case: 200 x values, a 200×3 matrix of curves */
    p = eval_plot(s, "x = linspace(0, 1, 200)'; plot(x, [x, x.^2, 1 - x])", &v);
    assert_int_equal(p->n, 3);
    for (size_t k = 0; k < 3; k++) assert_int_equal(p->s[k].n, 200);
    assert_true(p->s[1].y[199] == 1 && p->s[2].y[199] == 0 && p->s[2].y[0] == 1);
    lm_release(v);
    /* a vector is still one unlabelled line, either orientation */
    p = eval_plot(s, "plot([3 1 2])", &v);
    assert_int_equal(p->n, 1);
    assert_line(&p->s[0], NULL, (double[]){1, 2, 3}, (double[]){3, 1, 2}, 3);
    assert_false(p->legend);
    lm_release(v);
    p = eval_plot(s, "plot([5 6 7], [3; 1; 2], names = \"loss\")", &v);
    assert_int_equal(p->n, 1);
    assert_line(&p->s[0], "loss", (double[]){5, 6, 7}, (double[]){3, 1, 2}, 3);
    lm_release(v);
    /* a 2×2 matrix alone is still the map of the plane */
    p = eval_plot(s, "plot([2 1; 1 3])", &v);
    assert_non_null(strstr(p->desc, "the map"));
    lm_release(v);
    expect_error(s, "plot(1:5, ones(3, 4))", LM_ERR_SHAPE, "x has 5 values but y is a 3×4 matrix");
    expect_error(s, "plot(ones(3, 40))", LM_ERR_LIMIT, "transpose");
    expect_error(s, "plot([1 2; 3 4; 5 6], ones(2, 3))", LM_ERR_SHAPE, "same shape");
    expect_error(s, "plot(ones(3, 2), names = \"a, b, c\")", LM_ERR_SHAPE, "3 names for 2 lines");
    expect_error(s, "plot(ones(3, 2), names = 2)", LM_ERR_TYPE, "names");
    lm_session_free(s);
}

/* ---- plot(net): a small neural network ---- */

#include "lemma/ad.h"

/* Every edge of the figure, checked against the network's own weights: each
 * (layer, from, to) once, its colour the sign of the weight, and the edge of the
 * largest |weight| among the widest. Returns the number of edges. */
static size_t check_net_edges(const lm_plot *p, const lm_net *net) {
    int64_t total = 0;
    for (int l = 0; l < net->nlayers; l++) total += net->sizes[l] * net->sizes[l + 1];
    char *seen = calloc((size_t)total, 1);
    double wmax = 0, wmax_width = 0, widest = 0;
    size_t edges = 0;
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        if (s->kind != LM_SER_LINE) continue;
        widest = fmax(widest, s->width);
        for (size_t i = 0; i + 1 < s->n; i += 3) {
            int l = (int)s->x[i];
            assert_true(s->x[i] == l && s->x[i + 1] == l + 1); /* consecutive layers only */
            assert_true(i + 2 >= s->n || isnan(s->x[i + 2]));
            int64_t nin = net->sizes[l], nout = net->sizes[l + 1];
            double fi = (double)(nin - 1) / 2 - s->y[i], fj = (double)(nout - 1) / 2 - s->y[i + 1];
            int64_t a = (int64_t)fi, b = (int64_t)fj;
            assert_true(fi == (double)a && fj == (double)b && a >= 0 && a < nin && b >= 0 && b < nout);
            int64_t flat = 0; /* index of W_l's first entry among all the weights */
            for (int q = 0; q < l; q++) flat += net->sizes[q] * net->sizes[q + 1];
            assert_false(seen[flat + a * nout + b]);
            seen[flat + a * nout + b] = 1;
            double w = net->theta[lm_net_w_offset(net, l) + a * nout + b];
            assert_int_equal(s->color, w < 0 ? 0xD55E00u : 0x0072B2u);
            if (fabs(w) > wmax) wmax = fabs(w), wmax_width = s->width;
            edges++;
        }
    }
    assert_true(wmax_width == widest);
    free(seen);
    return edges;
}

static size_t count_units(const lm_plot *p) {
    size_t n = 0;
    for (size_t k = 0; k < p->n; k++)
        if (p->s[k].kind == LM_SER_SCATTER) n += p->s[k].n;
    return n;
}

static void test_net_graph(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value net = eval1(s, "net = mlp([2, 2, 1], seed = 1)");
    assert_true(lm_is_net(net));
    lm_value v;
    lm_plot *p = eval_plot(s, "plot(net)", &v);
    assert_true(p->noaxes);
    /* 2 + 2 + 1 units; 2·2 + 2·1 edges */
    assert_int_equal(count_units(p), 5);
    assert_int_equal(check_net_edges(p, (const lm_net *)net.u.obj), 6);
    assert_string_equal(p->desc, "network 2–2–1 (tanh)");
    recorder r;
    record(p, 600, 400, &r);
    const rec_text *in = find_text(&r, "2 inputs"), *hid = find_text(&r, "2 hidden, tanh"), *out = find_text(&r, "1 output");
    assert_true(in && hid && out);
    assert_true(in->x < hid->x && hid->x < out->x); /* left to right */
    assert_non_null(find_text(&r, "weight > 0"));
    assert_svg_ok(p, 600, 400);
    lm_release(v);
    lm_release(net);
    /* 3 + 4 + 4 + 2 units; 3·4 + 4·4 + 4·2 = 36 edges; relu named under the hidden layers */
    net = eval1(s, "net2 = mlp([3, 4, 4, 2], \"relu\", seed = 7)");
    p = eval_plot(s, "plot(net2)", &v);
    assert_int_equal(count_units(p), 13);
    assert_int_equal(check_net_edges(p, (const lm_net *)net.u.obj), 36);
    record(p, 600, 400, &r);
    assert_non_null(find_text(&r, "4 hidden, relu"));
    assert_non_null(find_text(&r, "2 outputs"));
    lm_release(v);
    lm_release(net);
    /* no hidden layer: 3 + 1 units, 3 edges */
    net = eval1(s, "net3 = mlp([3, 1], seed = 2)");
    p = eval_plot(s, "plot(net3)", &v);
    assert_int_equal(count_units(p), 4);
    assert_int_equal(check_net_edges(p, (const lm_net *)net.u.obj), 3);
    lm_release(v);
    lm_release(net);
    expect_error(s, "plot(mlp([2, 40, 1]))", LM_ERR_LIMIT, "layer 2 has 40 units");
    expect_error(s, "plot(mlp([2, 2, 1]), 3)", LM_ERR_TYPE, "plot(net)");
    /* anything plot cannot draw: the error lists what it can */
    expect_error(s, "plot(\"abc\")", LM_ERR_TYPE, "a network from mlp");
    lm_session_free(s);
}

/* ---- tangent: the window, the limits, the slope label ---- */

/* The legend's box and the note's do not overlap on a narrow figure, where
 * both cannot share the top. The boxes from render.c's geometry (em = 12, the
 * recorder's text size): the note's box runs from 1.15 em above its baseline
 * to 0.45 em below, 0.6 em either side of its text; the legend's first
 * baseline is 1.61 em under the box's top, rows are 1.35 em apart, and the box
 * reaches 2.6 em before the labels and 0.6 em after the widest. */
static void assert_legend_clear_of_note(const lm_plot *p) {
    const double em = 12;
    recorder r;
    record(p, 400, 300, &r);
    const rec_text *note = find_text(&r, p->note), *l0 = find_text(&r, p->s[0].label), *l1 = find_text(&r, p->s[1].label);
    assert_true(note && l0 && l1);
    double nx0 = note->x - 0.6 * em, nx1 = note->x + lm_plot_text_width(p->note, em) + 0.6 * em;
    double ny0 = note->y - 1.15 * em, ny1 = note->y + 0.45 * em;
    double tw = fmax(lm_plot_text_width(p->s[0].label, 0.95 * em), lm_plot_text_width(p->s[1].label, 0.95 * em));
    double lx0 = l0->x - 2.6 * em, lx1 = l0->x + tw + 0.6 * em;
    double ly0 = l0->y - 1.61 * em, ly1 = l1->y + 1.35 * em;
    if (lx0 < nx1 && nx0 < lx1 && ly0 < ny1 && ny0 < ly1)
        fail_msg("legend [%g, %g]×[%g, %g] covers the note [%g, %g]×[%g, %g]", lx0, lx1, ly0, ly1, nx0, nx1, ny0, ny1);
}

static void test_tangent_view(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value v;
    /* f = x^4 - 2x^2 + x/2 at a = 0.9304, near its right minimum. The window
     * rule (a ± h, h = 3 narrowed by √2 while f spans more than 6 times over
     * a ± h what it spans over a ± h/2), by hand from f's values on a ± h:
     * spans 211.2/25.12 = 8.41, 71.15/9.299 = 7.65, 25.12/3.683 = 6.82,
     * 9.299/1.532 = 6.07, all over 6, so h = 0.75: x from 0.1804 to 1.6804.
     * f(a) = -0.516749, f(1.6804) = 3.166243 (the largest: f rises right of a),
     * f(0.1804) = 0.026171. */
    const double a = 0.9304, fa = -0.5167485082578944, fmax_ = 3.1662427611341073;
    lm_plot *p = eval_plot(s, "tangent(x^4 - 2*x^2 + 0.5*x, x, 0.9304)", &v);
    const lm_series *f = &p->s[0];
    assert_true(fabs(f->x[0] - (a - 0.75)) < 1e-12 && fabs(f->x[f->n - 1] - (a + 0.75)) < 1e-12);
    double x0, x1, y0, y1;
    lm_plot_bounds(p, &x0, &x1, &y0, &y1);
    assert_true(x0 <= a - 0.75 && x1 >= a + 0.75 && x0 > a - 0.9 && x1 < a + 0.9);
    /* y from the function over the window: contains f(a) and the largest value,
     * with at most 15% of the span as margin (not 200 as with x up to 4) */
    double span = fmax_ - fa;
    assert_true(y0 < fa && y0 > fa - 0.15 * span);
    assert_true(y1 > fmax_ && y1 < fmax_ + 0.15 * span);
    /* f'(0.9304) = 4a^3 - 4a + 1/2 = -1.86941e-5 (by hand): not zero against
     * the picture's typical slope, about 4.4/1.5, so it is printed */
    assert_non_null(p->note);
    if (!strstr(p->note, "-0.00001869")) fail_msg("note: %s", p->note);
    assert_legend_clear_of_note(p);
    lm_release(v);
    /* exp(-x) leaves the top right empty, where the legend would cover the note */
    p = eval_plot(s, "tangent(exp(-x), x, 1)", &v);
    assert_legend_clear_of_note(p);
    lm_release(v);
    /* at the minimum itself (0.930402926555852, the root of 4x^3 - 4x + 1/2 to
     * 15 digits, by Newton's method by hand from 0.93) the slope is rounding
     * noise, about 1e-15, and reads as 0 */
    p = eval_plot(s, "tangent(x^4 - 2*x^2 + 0.5*x, x, 0.930402926555852)", &v);
    if (!strstr(p->note, ": 0") || strstr(p->note, "e-")) fail_msg("note: %s", p->note);
    assert_non_null(strstr(p->s[1].label, "slope 0"));
    lm_release(v);
    /* a small slope of a function that is small everywhere is not rounding: 1e-7 */
    p = eval_plot(s, "tangent(1e-7*x, x, 0)", &v);
    if (!strstr(p->note, "1e-07")) fail_msg("note: %s", p->note);
    /* a straight line keeps the widest window, 0 ± 3 */
    assert_true(p->s[0].x[0] == -3 && p->s[0].x[p->s[0].n - 1] == 3);
    lm_release(v);
    /* a range given is kept */
    p = eval_plot(s, "tangent(x^2, x, 1, [-3, 4])", &v);
    assert_true(p->s[0].x[0] == -3 && p->s[0].x[p->s[0].n - 1] == 4);
    if (!strstr(p->note, ": 2")) fail_msg("note: %s", p->note); /* (x^2)' = 2 at 1 */
    lm_release(v);
    lm_session_free(s);
}

/* A density that is infinite at 0 would flatten the rest of its curve: the
 * y axis then stops at twice the 95th percentile of the density shown, which
 * keeps the curve's body in view: dchisq(1, 1) = 0.2419707 (R) is inside, the
 * density near 0 is not. A bounded density keeps automatic limits. */
static void test_unbounded_density(void **state) {
    (void)state;
    lm_session *s = lm_session_new();
    lm_value keep;
    lm_plot *p = eval_plot(s, "plot(ChiSquared(1))", &keep);
    assert_non_null(p);
    assert_true(p->ylim[0] == 0 && isfinite(p->ylim[1]));
    assert_true(p->ylim[1] > 0.2419707 && p->ylim[1] < 2);
    lm_release(keep);
    p = eval_plot(s, "plot(Normal(0, 1))", &keep);
    assert_non_null(p);
    assert_true(isnan(p->ylim[0]) && isnan(p->ylim[1]));
    lm_release(keep);
    lm_session_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_table),      cmocka_unit_test(test_ticks_values),
        cmocka_unit_test(test_levels),           cmocka_unit_test(test_contour_circle),
        cmocka_unit_test(test_contour_line_and_nan), cmocka_unit_test(test_shaded_area),
        cmocka_unit_test(test_poles_not_joined), cmocka_unit_test(test_matrix_picture),
        cmocka_unit_test(test_degenerate),       cmocka_unit_test(test_svg_text_escaped),
        cmocka_unit_test(test_json_and_text),    cmocka_unit_test(test_braille),
        cmocka_unit_test(test_braille_label_gap),
        cmocka_unit_test(test_png_and_pdf), cmocka_unit_test(test_plot_distribution),
        cmocka_unit_test(test_plot_markov),      cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_log_axes),         cmocka_unit_test(test_subplots),
        cmocka_unit_test(test_bnet_graph),         cmocka_unit_test(test_quiver_limits),
        cmocka_unit_test(test_matrix_series),    cmocka_unit_test(test_net_graph),
        cmocka_unit_test(test_tangent_view),
        cmocka_unit_test(test_unbounded_density),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
