/* LaTeX → Unicode for the terminal (src/learn/latex.c), the display-width
 * count and HTML escaping. Every expected string is written by hand from the
 * lessons' math subset (lessons/README.md) and Unicode's code charts: the
 * superscript/subscript letters (U+00B2, U+2070..U+209C, U+1D40..), the
 * mathematical operators block (U+2200..) and the bracket pieces (U+23A1..). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lemma/lesson.h"
#include "learn/lesson_int.h"

typedef struct row {
    const char *tex;
    const char *want;
} row;

static const row table[] = {
    {"x^2", "x²"},
    {"x^{10}", "x¹⁰"},
    {"x_i", "xᵢ"},
    {"x_{ij}", "xᵢⱼ"},
    {"A^{-1}", "A⁻¹"},
    {"A^\\top", "Aᵀ"},
    {"A^T", "Aᵀ"},
    {"\\mathbb{R}^2", "ℝ²"},
    {"\\mathbb{E}[X]", "𝔼[X]"},
    {"\\frac{a}{b}", "a/b"},
    {"\\frac{1}{2}", "½"},
    {"\\frac{a+b}{2}", "(a+b)/2"},
    {"\\frac{1}{1 + e^{-x}}", "1/(1 + e⁻ˣ)"},
    {"\\frac{\\partial f}{\\partial x}", "∂f/∂x"},
    {"\\nabla f", "∇f"},
    {"\\sqrt{x}", "√x"},
    {"\\sqrt{x^2 + y^2}", "√(x² + y²)"},
    {"\\sqrt[3]{8}", "∛8"},
    {"\\sum_{i=1}^{n} x_i", "Σᵢ₌₁ⁿ xᵢ"},
    {"\\prod_i p_i", "∏ᵢ pᵢ"},
    {"\\int_0^1 f(x)\\,dx", "∫₀¹ f(x) dx"},
    {"\\alpha + \\beta = \\gamma", "α + β = γ"},
    {"\\theta \\le \\pi", "θ ≤ π"},
    {"x \\ge 0, y \\ne 1", "x ≥ 0, y ≠ 1"},
    {"a \\cdot b \\times c", "a · b × c"},
    {"f \\approx g, n \\to \\infty", "f ≈ g, n → ∞"},
    {"x \\in \\mathbb{R}", "x ∈ ℝ"},
    {"P(A \\mid B)", "P(A | B)"},
    {"\\|x\\|_2", "‖x‖₂"},
    {"\\left( a \\right)", "( a )"},
    {"\\log p(x)", "log p(x)"},
    {"\\exp(-\\lambda)", "exp(-λ)"},
    {"\\arg\\min_w L", "argmin_w L"}, /* Unicode has no subscript w */
    {"\\hat{y}", "y\xCC\x82"},
    {"\\bar{x}", "x\xCC\x84"},
    {"\\mathbf{v}", "v"},
    {"\\text{if } x > 0", "if x > 0"},
    {"P(A \\text{ and } B)", "P(A and B)"},
    {"a \\quad b", "a   b"},
    {"e^{-x^2}", "e^(-x²)"},
    {"x_{\\text{new}}", "x_new"}, /* a word as a subscript needs no parentheses */
    {"D_{\\text{KL}}(p \\,\\|\\, q)", "D_KL(p ‖ q)"}, /* \\, beside a space: one space */
    {"\\theta_{c,w}", "θ_(c,w)"},
    {"t_{0.975}", "t_(0.975)"},
    {"\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", "⎡1  2⎤\n⎣3  4⎦"},
    {"\\begin{bmatrix} 1 \\\\ 22 \\\\ 3 \\end{bmatrix}", "⎡ 1⎤\n⎢22⎥\n⎣ 3⎦"},
    {"A = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}", "A = ⎡1  0⎤\n    ⎣0  1⎦"},
    {"\\begin{bmatrix} 1 & 2 \\end{bmatrix}", "[1 2]"}, /* one row stays on one line */
    /* an augmented matrix [A | I] as the Gauss-Jordan steps write it; \left[ \right] are the array's own brackets */
    {"\\left[\\begin{array}{cc|cc}1 & 2 & 1 & 0 \\\\ 3 & 4 & 0 & 1\\end{array}\\right]", "⎡1  2  │  1  0⎤\n⎣3  4  │  0  1⎦"},
    {"\\xrightarrow{R_2 \\leftarrow R_2 - 2R_1} B", "─(R₂ ← R₂ - 2R₁)→ B"},
    {"(2 x - 3)^{2}", "(2x - 3)²"}, /* TeX typesets `2 x` as 2x */
    /* a denominator that is a product is bracketed: 1/2√u would read as ½·√u */
    {"\\frac{1}{2\\sqrt{u}}", "1/(2√u)"},
    {"\\frac{x}{2y}", "x/(2y)"},
    /* derivative operators stay one piece */
    {"\\frac{d^2 y}{dx^2}", "d²y/dx²"},
    {"\\frac{\\partial^2 f}{\\partial x \\partial y}", "∂²f/∂x∂y"},
    {"\\frac{dy}{dx} = 3x^2", "dy/dx = 3x²"},
    /* a function takes the fraction after it as its argument */
    {"\\ln\\frac{p}{1-p}", "ln(p/(1-p))"},
    {"\\log_2 \\frac{p_i}{q_i}", "log₂(pᵢ/qᵢ)"},
    /* what follows a written-out fraction is set apart from it */
    {"\\frac{d}{dx}\\sin(x^2)", "d/dx sin(x²)"},
    {"-\\frac{1}{n}\\sum_{i=1}^{n}", "-1/n Σᵢ₌₁ⁿ"},
    {"\\frac{1}{\\sqrt{2}}(1, 1)", "1/√2 (1, 1)"},
    /* function names are words apart from a product before them */
    {"2x\\cos(x^2)", "2x cos(x²)"},
    {"y\\cos(xy)", "y cos(xy)"},
    /* a greek letter is one symbol like x */
    {"\\Delta x", "Δx"},
    {"U\\Sigma V^\\top", "UΣVᵀ"},
    {"\\alpha + \\beta", "α + β"},
    {"\\sum_{j=1}^{K}", "Σⱼ₌₁ᴷ"},
    {"\\sqrt{100}", "√100"},
    /* a part that is already one group or one call gets no second pair */
    {"\\frac{P(A \\cap B)}{P(B)}", "P(A ∩ B)/P(B)"},
    {"\\frac{\\log(x + 1)}{x}", "log(x + 1)/x"},
    {"\\frac{(a + b)}{c}", "(a + b)/c"},
    {"\\frac{(a+b)(c+d)}{2}", "((a+b)(c+d))/2"},
    {"\\frac{f(x) + g(x)}{2}", "(f(x) + g(x))/2"},
    {"\\sqrt{(a+b)(c+d)}", "√((a+b)(c+d))"},
    /* text beside a tall matrix: one space either side, on the middle row */
    {"\\det \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix} = ad - bc", "det ⎡a  b⎤ = ad - bc\n    ⎣c  d⎦"},
    {"\\det\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}= ad", "det ⎡a  b⎤ = ad\n    ⎣c  d⎦"},
    {"\\begin{bmatrix} 1 \\\\ 2 \\\\ 3 \\end{bmatrix} x", "⎡1⎤\n⎢2⎥ x\n⎣3⎦"},
    {"\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix},", "⎡1⎤,\n⎣2⎦"},
    {"\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}\\begin{bmatrix} 3 \\\\ 4 \\end{bmatrix}", "⎡1⎤ ⎡3⎤\n⎣2⎦ ⎣4⎦"},
    /* minus stays ASCII, as lemma prints it everywhere (latex.c's header) */
    {"a - b", "a - b"},
    {"\\unknowncommand", "unknowncommand"},
    {"x^{2", "x²"},
    {"", ""},
};

static void test_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        lm_buf b = LM_BUF_INIT;
        lm_latex_to_unicode(table[i].tex, strlen(table[i].tex), &b);
        if (strcmp(lm_buf_cstr(&b), table[i].want))
            fail_msg("'%s' gave '%s', expected '%s'", table[i].tex, lm_buf_cstr(&b), table[i].want);
        lm_buf_free(&b);
    }
}

/* The subscript fallback: _w has no modifier letter, so it stays readable. */
static void test_fallback(void **state) {
    (void)state;
    lm_buf b = LM_BUF_INIT;
    lm_latex_to_unicode("\\min_{w} L", 10, &b);
    assert_string_equal(lm_buf_cstr(&b), "min_w L");
    lm_buf_free(&b);
}

/* Inline math stays on one line: a matrix is written with semicolons. */
static void test_inline_matrix(void **state) {
    (void)state;
    const char *tex = "A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}";
    lm_buf b = LM_BUF_INIT;
    lm_latex_inline(tex, strlen(tex), &b);
    assert_string_equal(lm_buf_cstr(&b), "A = [1 2; 3 4]");
    lm_buf_reset(&b);
    /* a bracket right after a fraction is spaced off, so it is not read as
       part of the denominator */
    const char *scaled = "\\frac{1}{5}\\begin{bmatrix} 3 & -1 \\\\ -1 & 2 \\end{bmatrix}";
    lm_latex_inline(scaled, strlen(scaled), &b);
    assert_string_equal(lm_buf_cstr(&b), "1/5 [3 -1; -1 2]");
    lm_buf_free(&b);
}

/* Nesting far beyond any formula must neither crash nor recurse without end. */
static void test_deep_nesting(void **state) {
    (void)state;
    char tex[4001];
    for (int i = 0; i < 2000; i++) tex[i] = '{';
    for (int i = 2000; i < 4000; i++) tex[i] = '}';
    tex[4000] = 0;
    lm_buf b = LM_BUF_INIT;
    lm_latex_to_unicode(tex, 4000, &b);
    assert_true(b.len == 0);
    lm_buf_free(&b);
    const char *frac = "\\frac{\\frac{\\frac{\\sqrt{\\sqrt{x^{y^{z_{w}}}}}}}}";
    lm_latex_to_unicode(frac, strlen(frac), &b); /* unbalanced on purpose */
    lm_buf_free(&b);
}

static void test_columns(void **state) {
    (void)state;
    /* "x²" is two columns in three bytes; escapes take none; a combining hat none */
    assert_int_equal(lm_text_columns("x\xC2\xB2", 3), 2);
    assert_int_equal(lm_text_columns("\033[1mab\033[0m", 10), 2);
    assert_int_equal(lm_text_columns("y\xCC\x82", 3), 1);
    assert_int_equal(lm_text_columns("", 0), 0);
}

static void test_html_escape(void **state) {
    (void)state;
    const char *in = "<a href=\"x\">Tom & Jerry's</a>";
    lm_buf b = LM_BUF_INIT;
    lm_html_escape(in, strlen(in), &b);
    assert_string_equal(lm_buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    lm_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_inline_matrix), cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_columns),      cmocka_unit_test(test_html_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
