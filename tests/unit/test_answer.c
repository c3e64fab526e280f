/* Unit tests for the answer checker (include/lemma/check.h, src/lang/answer.c).
 *
 * The tables are the "Done when" of issue 9: forms a learner may type for a
 * right answer (all accepted), plausible wrong answers (all rejected, with the
 * mistake named where one applies), answers that do not parse (a syntax hint
 * with a column, not a wrong attempt), and pathological input (a clear message,
 * quickly). Expected verdicts are mathematics worked by hand; every expression
 * pair, right or wrong, was also checked with SymPy 1.14 (simplify(a - b) == 0
 * for the right ones, != 0 for the wrong ones, with x > 0 where the row says
 * "positive"), and the decimal values are Python's float of the written value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/check.h"
#include "lemma/lang.h"

/* flags of a row */
enum { PROB = 1, POS = 2, UNIT = 4, STRICT = 8, TOL3 = 16 };

typedef struct row {
    lm_answer_type type;
    const char *ref, *answer;
    int flags;
    const char *mis; /* the misconception a wrong answer must be named with, or NULL: none */
} row;

#define N LM_ANS_NUMBER
#define F LM_ANS_FRACTION
#define V LM_ANS_VECTOR
#define M LM_ANS_MATRIX
#define E LM_ANS_EXPRESSION
#define C LM_ANS_CHOICE
#define I LM_ANS_INTERVAL
#define S LM_ANS_SET

static void fill_spec(lm_answer_spec *spec, const row *r) {
    memset(spec, 0, sizeof *spec);
    spec->type = r->type;
    spec->answer = (char *)r->ref;
    spec->probability = r->flags & PROB;
    spec->strict_shape = r->flags & STRICT;
    spec->domain = r->flags & POS ? "positive" : r->flags & UNIT ? "unit" : NULL;
    if (r->flags & TOL3) spec->tol = 1e-3;
    if (r->type == C) {
        spec->choices[0] = "yes";
        spec->choices[1] = "no";
        spec->choices[2] = "it depends on n";
        spec->nchoices = 3;
    }
}

static const char *kind_name(lm_verdict_kind k) {
    return k == LM_VERDICT_CORRECT ? "correct" : k == LM_VERDICT_WRONG ? "wrong" : "unparsed";
}

/* ---- answers that must be accepted ---- */

static const row right[] = {
    /* numbers: every way of writing the same value (hand arithmetic) */
    {N, "0.5", "1/2", 0, NULL},          {N, "0.5", ".5", 0, NULL},
    {N, "0.5", "50%", PROB, NULL},       {N, "0.25", "25%", PROB, NULL},
    {N, "0.5", "2/4", 0, NULL},          {N, "0.75", "3/4", 0, NULL},
    {N, "1/3", "0.3333333333", 0, NULL}, {N, "2", "4/2", 0, NULL},
    {N, "2000", "2e3", 0, NULL},         {N, "0.002", "2e-3", 0, NULL},
    {N, "1.5", "3/2", 0, NULL},          {N, "-0.5", "-1/2", 0, NULL},
    {N, "3.141592653589793", "\xcf\x80", 0, NULL},    /* π */
    {N, "6.283185307179586", "2pi", 0, NULL},
    {N, "6.283185307179586", "2\xcf\x80", 0, NULL},   /* 2π */
    {N, "2.718281828459045", "e", 0, NULL},
    {N, "7.38905609893065", "e^2", 0, NULL},
    {N, "1.4142135623730951", "sqrt(2)", 0, NULL},
    {N, "1.4142135623730951", "\xe2\x88\x9a" "2", 0, NULL}, /* √2 */
    {N, "9", "3\xc2\xb2", 0, NULL},                  /* 3² */
    {N, "27", "3\xc2\xb3", 0, NULL},                 /* 3³ */
    {N, "6", "2\xc3\x97" "3", 0, NULL},              /* 2×3 */
    {N, "6", "2\xc2\xb7" "3", 0, NULL},              /* 2·3 */
    {N, "1", "3\xe2\x88\x92" "2", 0, NULL},          /* 3−2 */
    {N, "0.3", "0.1+0.2", 0, NULL},      {N, "0", "1e-12", 0, NULL},
    {N, "0", "0", 0, NULL},              {N, "0.125", "12.5%", PROB, NULL},
    {N, "1", "100%", PROB, NULL},        {N, "0.05", "5%", PROB, NULL},
    {N, "3", "3;", 0, NULL},             {N, "1.0986122886681098", "ln(3)", 0, NULL},
    {N, "0.6931471805599453", "log(2)", 0, NULL},
    {N, "10", "2(3+2)", 0, NULL},        {N, "12", "(1+2)(2+2)", 0, NULL},
    {N, "4", "2**2", 0, NULL},           {N, "0.8414709848078965", "sin(1)", 0, NULL},
    {N, "1", "exp(0)", 0, NULL},         {N, "0.6", "3/5", 0, NULL},
    {N, "5", "10/2", 0, NULL},           {N, "0.1", "1/10", 0, NULL},
    {N, "2", "sqrt(4)", 0, NULL},        {N, "100", "10^2", 0, NULL},
    {N, "0.0625", "1/16", 0, NULL},      {N, "-3", "-(1+2)", 0, NULL},
    {N, "1.5", "1.5000001", 0, NULL},    {N, "3", "abs(-3)", 0, NULL},
    {N, "0.5", "sigmoid(0)", 0, NULL},   {N, "2", "log2(4)", 0, NULL},
    {N, "3", "log10(1000)", 0, NULL},    {N, "1.96", "1.9604", TOL3, NULL},
    {N, "0.5", "  0.5  ", 0, NULL},
    /* fractions: the exact value, or a decimal that is exactly it */
    {F, "3/5", "0.6", 0, NULL},          {F, "3/5", "6/10", 0, NULL},
    {F, "1/3", "2/6", 0, NULL},          {F, "2/3", "4/6", 0, NULL},
    {F, "1/4", "0.25", 0, NULL},         {F, "5/6", "1/2+1/3", 0, NULL},
    {F, "7/8", "0.875", 0, NULL},        {F, "-1/2", "-0.5", 0, NULL},
    {F, "3/2", "1.5", 0, NULL},          {F, "1/3", "1/3", 0, NULL},
    /* vectors: a row or a column, any spelling of the entries */
    {V, "[1 2 3]", "[1, 2, 3]", 0, NULL},    {V, "[1 2 3]", "[1; 2; 3]", 0, NULL},
    {V, "[1; 2]", "[1 2]", 0, NULL},         {V, "[1 -2]", "[1, -2]", 0, NULL},
    {V, "[0.5 0.5]", "[1/2 1/2]", 0, NULL},  {V, "[1 2 3]", "1:3", 0, NULL},
    {V, "[2 4]", "2*[1 2]", 0, NULL},        {V, "[1 0]", "[1 0]", 0, NULL},
    {V, "[1/3 2/3]", "[0.333333333 0.666666667]", 0, NULL},
    {V, "[3; 4]", "[3, 4]'", 0, NULL},       {V, "[0.5 0.25 0.25]", "[50% 25% 25%]", PROB, NULL},
    {V, "[2*x; 2*y]", "[2x, 2y]", 0, NULL},  /* a gradient */
    {V, "[2*x*y; x^2 + 3*y^2]", "[2x*y; x\xc2\xb2 + 3y\xc2\xb2]", 0, NULL},
    {V, "[1; 2]", "[1; 2]", STRICT, NULL},
    /* matrices */
    {M, "[1 0; 0 1]", "eye(2)", 0, NULL},    {M, "[1 2; 3 4]", "[1, 2; 3, 4]", 0, NULL},
    {M, "[3/5 -1/5; -1/5 2/5]", "[0.6 -0.2; -0.2 0.4]", 0, NULL},
    {M, "[2 0; 0 2]", "2*eye(2)", 0, NULL},  {M, "[2 0; 0 2]", "2eye(2)", 0, NULL},
    {M, "[0 0; 0 0]", "zeros(2)", 0, NULL},  {M, "[1 1; 1 1]", "ones(2)", 0, NULL},
    {M, "[1 2; 3 4]", "[1 3; 2 4]'", 0, NULL},
    /* [2 1; 1 3]' [2 1; 1 3] = [5 5; 5 10] (README) */
    {M, "[5 5; 5 10]", "[2 1; 1 3]'*[2 1; 1 3]", 0, NULL},
    {M, "[3/5 -1/5; -1/5 2/5]", "inv([2 1; 1 3])", 0, NULL},
    {M, "[4 0; 0 9]", "diag([4 9])", 0, NULL},
    {M, "[-1 2; 3 -4]", "[-1 2; 3 -4]", 0, NULL},
    {M, "[1 2; 3 4]", "[1 2;3 4];", 0, NULL},
    /* expressions (each pair checked with SymPy) */
    {E, "2*x*cos(x^2)", "cos(x^2)*2*x", 0, NULL}, {E, "2*x", "2x", 0, NULL},
    {E, "3*x+3", "3(x+1)", 0, NULL},              {E, "x^2-1", "(x+1)(x-1)", 0, NULL},
    {E, "1", "sin(x)^2+cos(x)^2", 0, NULL},       {E, "2*log(x)", "log(x^2)", POS, NULL},
    {E, "exp(x)^2", "exp(2x)", 0, NULL},          {E, "x^2+2*x+1", "(x+1)^2", 0, NULL},
    {E, "2*sin(x)", "2 sin(x)", 0, NULL},         {E, "2*pi*x", "2pi x", 0, NULL},
    {E, "x*y", "x y", 0, NULL},                   {E, "x*y", "y*x", 0, NULL},
    {E, "x^3", "x\xc2\xb3", 0, NULL},             {E, "sqrt(x)", "\xe2\x88\x9ax", POS, NULL},
    {E, "sqrt(x)", "x^(1/2)", 0, NULL},           {E, "1/x", "x^-1", 0, NULL},
    {E, "log(x)", "ln(x)", POS, NULL},            {E, "2*x*cos(x^2)", "2x cos(x\xc2\xb2)", 0, NULL},
    {E, "exp(x)", "e^x", 0, NULL},                {E, "x/2", "0.5x", 0, NULL},
    {E, "x/2", "1/2x", 0, NULL}, /* read left to right: (1/2)*x */
    {E, "(x-1)/(x+1)", "1 - 2/(x+1)", 0, NULL},   {E, "sin(2*x)", "2sin(x)cos(x)", 0, NULL},
    {E, "cos(2*x)", "cos(x)^2 - sin(x)^2", 0, NULL}, {E, "tan(x)", "sin(x)/cos(x)", 0, NULL},
    {E, "x^2*y + y^3", "y(x^2+y^2)", 0, NULL},    {E, "1/(1+exp(-x))", "sigmoid(x)", 0, NULL},
    {E, "sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2", 0, NULL},
    {E, "6*x", "2*3*x", 0, NULL},                 {E, "x^2", "x*x", 0, NULL},
    {E, "(x+y)^2", "x^2+2x y+y^2", 0, NULL},      {E, "1/(x*y)", "1/x/y", 0, NULL},
    {E, "log(x*y)", "log(x)+log(y)", POS, NULL},  {E, "exp(x+y)", "exp(x)exp(y)", 0, NULL},
    {E, "x^(3/2)", "x*sqrt(x)", POS, NULL},       {E, "abs(x)", "sqrt(x^2)", 0, NULL},
    {E, "3*x^2 - 4*x", "x(3x-4)", 0, NULL},       {E, "cosh(x)", "(exp(x)+exp(-x))/2", 0, NULL},
    {E, "sinh(x)", "(e^x - e^(-x))/2", 0, NULL},  {E, "1 - x", "-(x-1)", 0, NULL},
    {E, "-2*x*exp(-x^2)", "-2x e^(-x^2)", 0, NULL}, {E, "4*x^3", "4x\xc2\xb3", 0, NULL},
    {E, "x^2/2", "0.5x^2", 0, NULL},              {E, "(x^2-1)/(x-1)", "x+1", 0, NULL},
    {E, "log(x)/log(2)", "ln(x)/ln(2)", POS, NULL}, {E, "1/sqrt(x)", "x^(-1/2)", POS, NULL},
    {E, "2^x", "exp(x log(2))", 0, NULL},         {E, "x/(x^2+1)", "x/(1+x^2)", 0, NULL},
    {E, "(x+1)^3", "x^3+3x^2+3x+1", 0, NULL},     {E, "2*(x-3)", "2x - 6", 0, NULL},
    {E, "3*cos(3*x)", "3cos(3x)", 0, NULL},       {E, "-sin(x)", "\xe2\x88\x92sin(x)", 0, NULL},
    {E, "x*exp(x) + exp(x)", "(x+1)exp(x)", 0, NULL}, {E, "exp(-x)", "1/exp(x)", 0, NULL},
    {E, "p - p^2", "p(1-p)", UNIT, NULL},
    {E, "-p*log(p) - (1-p)*log(1-p)", "-(p ln(p) + (1-p) ln(1-p))", UNIT, NULL},
    {E, "sin(x + pi)", "-sin(x)", 0, NULL},       {E, "cos(pi/2 - x)", "sin(x)", 0, NULL},
    {E, "(2*x)/(4*x^2)", "1/(2x)", 0, NULL},      {E, "exp(3*x)*3", "3e^(3x)", 0, NULL},
    {E, "x^2", "(-x)^2", 0, NULL},                {E, "x^-2", "1/x^2", 0, NULL},
    {E, "5*x^4", "5x^4", 0, NULL},                {E, "2*x", "x\xc3\x97" "2", 0, NULL},
    /* sets: any order, duplicates ignored */
    {S, "[1 2 3]", "{1, 2, 3}", 0, NULL}, {S, "[1 2 3]", "{3, 2, 1}", 0, NULL},
    {S, "[1 2 3]", "{1, 1, 2, 3}", 0, NULL}, {S, "[1 2]", "{1,2}", 0, NULL},
    {S, "[-1 1]", "{1, -1}", 0, NULL},    {S, "[0.5 1]", "[1 1/2]", 0, NULL},
    {S, "[2 3]", "[3; 2]", 0, NULL},      {S, "{1, 2}", "[2 1]", 0, NULL},
    /* multiple choice (options "yes", "no", "it depends on n"; b is right) */
    {C, "b", "b", 0, NULL},    {C, "b", "B", 0, NULL},   {C, "b", "(b)", 0, NULL},
    {C, "b", "b)", 0, NULL},   {C, "b", "no", 0, NULL},  {C, "b", " No ", 0, NULL},
    /* intervals */
    {I, "[1 2]", "[1, 2]", 0, NULL},      {I, "[1 2]", "(1, 2)", 0, NULL},
    {I, "[1 2]", "[1 2]", 0, NULL},       {I, "[-1.96 1.96]", "[-1.96, 1.96]", 0, NULL},
    {I, "[0.2 0.8]", "[1/5, 4/5]", 0, NULL}, {I, "[0 1]", "[0, 1)", 0, NULL},
};

/* ---- answers that must be rejected (mis: the mistake that must be named) ---- */

static const row wrong[] = {
    /* the generic detectors */
    {N, "0.5", "-0.5", 0, "sign-error"},        {N, "3", "-3", 0, "sign-error"},
    {N, "0.25", "4", 0, "reciprocal"},          {N, "0.3", "30", PROB, "percent-for-probability"},
    {N, "0.3", "30", 0, "percent-for-probability"}, {N, "2", "4", 0, "factor-of-2"},
    {N, "3", "6", 0, "factor-of-2"},            {N, "3", "1.5", 0, "factor-of-2"},
    {N, "3", "9", 0, "variance-for-sd"},        {N, "1.5", "2.25", 0, "variance-for-sd"},
    {N, "1.5", "-1.5", 0, "sign-error"},        {N, "5", "0.2", 0, "reciprocal"},
    {M, "[1 2; 3 4]", "[1 3; 2 4]", 0, "transposed"},
    {M, "[1 2 3; 4 5 6]", "[1 4; 2 5; 3 6]", 0, "transposed"},
    {M, "[1 2; 3 4]", "[-1 -2; -3 -4]", 0, "sign-error"},
    {M, "[1 2; 3 4]", "[2 4; 6 8]", 0, "factor-of-2"},
    {V, "[1 2 3]", "[-1 -2 -3]", 0, "sign-error"},
    {E, "2*x*cos(x^2)", "-2x cos(x^2)", 0, "sign-error"},
    {E, "x^2", "2x^2", 0, "factor-of-2"},
    {E, "2*exp(2*x)", "exp(2x)", 0, "factor-of-2"}, /* d/dx exp(2x) without the chain-rule factor */
    {E, "1/x", "x", 0, "reciprocal"},
    {E, "sqrt(x)", "x", POS, NULL}, /* a square is named for numbers only */
    {N, "0.05", "5", PROB, "percent-for-probability"}, {N, "-2", "2", 0, "sign-error"},
    {V, "[1; -1]", "[2; -2]", 0, "factor-of-2"},
    {M, "[0 1; 0 0]", "[0 0; 1 0]", 0, "transposed"},
    {N, "0.6", "60", PROB, "percent-for-probability"}, {N, "10", "0.1", 0, "reciprocal"},
    {E, "-sin(x)", "sin(x)", 0, "sign-error"},  {E, "3*x^2", "-3x^2", 0, "sign-error"},
    {E, "cos(x)", "-cos(x)", 0, "sign-error"},  {N, "0.2", "0.4", 0, "factor-of-2"},
    {N, "4", "16", 0, "variance-for-sd"},       {N, "0.5", "0.25", 0, "factor-of-2"},
    {E, "-1/x^2", "1/x^2", 0, "sign-error"},
    {I, "[1 2]", "[2, 1]", 0, "swapped-ends"},
    /* plainly wrong: nothing to name */
    {N, "0.5", "0.6", 0, NULL},        {N, "0.5", "0.49", 0, NULL},
    {N, "3", "3.01", 0, NULL},         {N, "1/3", "0.333", 0, NULL},
    {F, "1/3", "0.33", 0, NULL},       {F, "1/3", "0.333333", 0, NULL},
    {F, "3/5", "0.59", 0, NULL},       {F, "2/3", "0.67", 0, NULL},
    {N, "2", "2x", 0, NULL},           {N, "7", "8", 0, NULL},
    {N, "0", "0.001", 0, NULL},        {N, "100", "101", 0, NULL},
    {V, "[1 2 3]", "[1 2]", 0, NULL},  {V, "[1 2 3]", "[1 2 3 4]", 0, NULL},
    {V, "[1 2 3]", "[1 2 4]", 0, NULL}, {V, "[1; 2]", "[1 2]", STRICT, NULL},
    {M, "[1 2; 3 4]", "[1 2; 3 5]", 0, NULL}, {M, "[1 2; 3 4]", "[1 2 3 4]", 0, NULL},
    {M, "[1 0; 0 1]", "eye(3)", 0, NULL},     {M, "[1 2; 3 4]", "1", 0, NULL},
    {E, "x^2", "x^3", 0, NULL},        {E, "2*x", "2", 0, NULL},
    {E, "sin(x)", "cos(x)", 0, NULL},  {E, "2*log(x)", "log(2x)", POS, NULL},
    {E, "log(x^2)", "2*log(x)", 0, NULL}, /* equal only for x > 0: this problem samples all reals */
    {E, "x*y", "xy", 0, NULL},         {E, "x+1", "t+1", 0, NULL},
    {E, "(x+1)^2", "x^2+1", 0, NULL},  {E, "exp(x)^2", "exp(x^2)", 0, NULL},
    {E, "sqrt(x^2)", "x", 0, NULL},    {E, "1/(x+1)", "1/x+1", 0, NULL},
    {E, "x^2-1", "(x-1)^2", 0, NULL},  {E, "sin(2*x)", "2sin(x)", 0, NULL},
    {E, "cos(x)^2", "cos(x^2)", 0, NULL}, {E, "x/2", "1/(2x)", 0, NULL},
    {E, "sigmoid(x)*(1-sigmoid(x))", "sigmoid(x)", 0, NULL},
    {S, "[1 2 3]", "{1, 2}", 0, NULL}, {S, "[1 2 3]", "{1, 2, 3, 4}", 0, NULL},
    {S, "[1 2]", "{1, 3}", 0, NULL},
    {I, "[1 2]", "[1, 3]", 0, NULL},   {I, "[-1.96 1.96]", "[-1.64, 1.64]", 0, NULL},
    {C, "b", "a", 0, NULL},            {C, "b", "c", 0, NULL},
    {C, "b", "yes", 0, NULL},
    {N, "0.95", "0.05", 0, NULL},      {N, "0.5", "0.5001", 0, NULL},
    {N, "1", "0", 0, NULL},            {N, "1", "Inf", 0, NULL},
    {E, "x^2", "2x", 0, NULL},         {E, "exp(x)", "x e^(x-1)", 0, NULL},
    {E, "x^3/3", "x^3", 0, NULL},      {E, "1/x", "log(x)", POS, NULL},
    {E, "2*x + 3", "2x + 2", 0, NULL},
    {M, "[3/5 -1/5; -1/5 2/5]", "[3 -1; -1 2]", 0, NULL}, /* the adjugate, not divided by det = 5 */
    {V, "[0.5; 0.5]", "[0.6; 0.4]", 0, NULL},
    {N, "0.975", "1.96", 0, NULL},     {N, "2.5", "25", 0, NULL},
    {N, "0.7", "0.3", 0, NULL},        {N, "1.96", "1.97", TOL3, NULL},
    {F, "1/4", "0.2", 0, NULL},        {F, "5/6", "0.83", 0, NULL},
    {E, "3*x^2", "x^3", 0, NULL},      /* an antiderivative given for a derivative */
    {E, "2*x*exp(x^2)", "exp(x^2)", 0, NULL}, /* the chain-rule factor left out */
    {E, "cos(x)", "sin(x)", 0, NULL},  {E, "1/x", "1/x^2", 0, NULL},
    {E, "exp(x)", "x exp(x)", 0, NULL}, {E, "x + y", "x y", 0, NULL},
    {V, "[2*x; 2*y]", "[2x; 2]", 0, NULL}, {M, "[2 0; 0 2]", "eye(2)", 0, "factor-of-2"},
    {M, "[1 2; 3 4]", "[1 2; 4 3]", 0, NULL}, {S, "[1 2 3]", "{1, 2, 2}", 0, NULL},
};

static void run_table(const row *t, size_t n, lm_verdict_kind want, bool check_mis) {
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        lm_answer_spec spec;
        fill_spec(&spec, &t[i]);
        lm_verdict v;
        lm_check_answer(&spec, t[i].answer, &v);
        bool ok = v.kind == want && v.feedback && v.feedback[0];
        if (ok && check_mis) {
            const char *got = v.misconception;
            ok = t[i].mis ? got && !strcmp(got, t[i].mis) : got == NULL;
        }
        if (!ok) {
            print_error("row %zu: %s answer \"%s\" for \"%s\": %s [%s] %s (wanted %s [%s])\n", i,
                        lm_answer_type_name(t[i].type), t[i].answer, t[i].ref, kind_name(v.kind),
                        v.misconception ? v.misconception : "-", v.feedback ? v.feedback : "(no feedback)",
                        kind_name(want), t[i].mis ? t[i].mis : "-");
            failures++;
        }
        lm_verdict_free(&v);
    }
    assert_int_equal(failures, 0);
}

static void test_right_answers_accepted(void **state) {
    (void)state;
    assert_true(sizeof right / sizeof right[0] >= 150);
    run_table(right, sizeof right / sizeof right[0], LM_VERDICT_CORRECT, false);
}

static void test_wrong_answers_rejected(void **state) {
    (void)state;
    assert_true(sizeof wrong / sizeof wrong[0] >= 100);
    run_table(wrong, sizeof wrong / sizeof wrong[0], LM_VERDICT_WRONG, true);
}

/* ---- the problem's own misconceptions come first ---- */

typedef struct mis_row {
    lm_answer_type type;
    const char *ref, *mis_answer, *mis_id, *answer;
} mis_row;

static const mis_row mis_rows[] = {
    /* d/dx sin(x^2) = 2x cos(x^2); cos(x^2) forgets the chain-rule factor */
    {E, "2*x*cos(x^2)", "cos(x^2)", "chain-rule-factor", "cos(x\xc2\xb2)"},
    /* P(A|B) = 0.3 asked, P(B|A) = 0.6 given */
    {N, "0.3", "0.6", "swapped-conditional", "0.6"},
    /* A = [1 2; 3 4], B = [5 6; 7 8]: A*B = [19 22; 43 50], B*A = [23 34; 31 46] (by hand) */
    {M, "[19 22; 43 50]", "[23 34; 31 46]", "transposed-product", "[23 34; 31 46]"},
    /* sd 2 asked, variance 4 given: named by the problem, not as "twice" */
    {N, "2", "4", "variance-for-sd", "4"},
    {N, "9", "3", "sd-for-variance", "3"},
    {C, "b", "c", "overgeneralises", "(c)"},
    {S, "[1 2]", "[1 2 3]", "endpoint-included", "{3, 2, 1}"},
};

static void test_problem_misconceptions(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof mis_rows / sizeof mis_rows[0]; i++) {
        const mis_row *m = &mis_rows[i];
        row r = {m->type, m->ref, m->answer, 0, NULL};
        lm_answer_spec spec;
        fill_spec(&spec, &r);
        spec.mis[0].id = "unrelated";
        spec.mis[0].answer = "[99]";
        spec.mis[0].feedback = "never this one";
        spec.mis[1].id = m->mis_id;
        spec.mis[1].answer = (char *)m->mis_answer;
        spec.mis[1].feedback = "the problem's own words";
        spec.nmis = 2;
        lm_verdict v;
        lm_check_answer(&spec, m->answer, &v);
        if (v.kind != LM_VERDICT_WRONG || !v.misconception || strcmp(v.misconception, m->mis_id))
            print_error("row %zu: %s [%s] %s\n", i, kind_name(v.kind), v.misconception ? v.misconception : "-",
                        v.feedback);
        assert_int_equal(v.kind, LM_VERDICT_WRONG);
        assert_non_null(v.misconception);
        assert_string_equal(v.misconception, m->mis_id);
        assert_string_equal(v.feedback, "the problem's own words");
        lm_verdict_free(&v);
        /* the right answer is still right with the list present */
        lm_check_answer(&spec, m->ref, &v);
        assert_int_equal(v.kind, LM_VERDICT_CORRECT);
        lm_verdict_free(&v);
    }
}

/* ---- syntax hints ---- */

typedef struct unparsed_row {
    lm_answer_type type;
    const char *answer;
    const char *column; /* "column N" the hint must name, or NULL when it names none */
    const char *words;  /* words the hint must contain */
} unparsed_row;

static const unparsed_row unparsed[] = {
    {E, "2x +", "column 5", "expected a value after '+'"},
    {M, "[1 2; 3]", "column 6", "row 1 has 2 elements, row 2 has 1"},
    {E, "sin(", "column 5", "expected ')'"},
    /* the '(' is the learner's column 3, though `2x(` is read as `2*x*(` */
    {E, "2x(", "column 4", "expected a value"},
    {N, "(", "column 2", "expected"},
    {N, "x +* 2", "column 4", "expected a value after '+'"},
    {M, "[1 2", "column 5", "]"},
    {N, "50%", "column 3", "percentage is not expected"},
    {N, "%", "column 1", "percent sign must come right after a number"},
    {N, "rand(3)", "column 1", "'rand' cannot be used in an answer"},
    {N, "\"text\"", "column 1", "not text in quotes"},
    {N, "while 1, end", "column 1", "one expression"},
    {N, "x = 3", "column 1", "without a name and '='"},
    {E, "f(x) = x^2", "column 1", "'='"},
    {N, "1; 2", "column 4", "one expression"},
    {N, "0,5", "column 3", "decimal with a point"},
    {N, "", NULL, "empty"},
    {N, "   ", NULL, "empty"},
    {C, "e", NULL, "letter of one option, a to c"},
    {N, "zeros(5000)", "column 7", "at most 1000"},
    {N, "1:1e9", "column 1", "at most 10000 entries"},
    {M, "[1 2] * [3 4]", "column 1", "cannot multiply 1\xc3\x97" "2 by 1\xc3\x97" "2"},
};

static void test_unparsed_answers(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof unparsed / sizeof unparsed[0]; i++) {
        row r = {unparsed[i].type, unparsed[i].type == C ? "b" : "1", unparsed[i].answer, 0, NULL};
        lm_answer_spec spec;
        fill_spec(&spec, &r);
        lm_verdict v;
        lm_check_answer(&spec, unparsed[i].answer, &v);
        bool ok = v.kind == LM_VERDICT_UNPARSED && v.feedback && strstr(v.feedback, unparsed[i].words) &&
                  (!unparsed[i].column || strstr(v.feedback, unparsed[i].column)) && !v.misconception;
        if (!ok) print_error("row %zu \"%s\": %s %s\n", i, unparsed[i].answer, kind_name(v.kind), v.feedback);
        assert_true(ok);
        /* a hint with a column shows the learner's line and a caret under that column */
        if (unparsed[i].column) {
            int col = atoi(unparsed[i].column + strlen("column "));
            const char *caret = strrchr(v.feedback, '\n');
            assert_non_null(caret);
            assert_int_equal((int)strlen(caret + 1), 4 + col);
            assert_int_equal(caret[4 + col], '^');
        }
        lm_verdict_free(&v);
    }
}

/* ---- pathological input: a clear message, quickly ---- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void expect_quick(lm_answer_type type, const char *ref, const char *answer, lm_verdict_kind kind,
                         const char *words) {
    row r = {type, ref, answer, 0, NULL};
    lm_answer_spec spec;
    fill_spec(&spec, &r);
    lm_verdict v;
    double t0 = now_s();
    lm_check_answer(&spec, answer, &v);
    double dt = now_s() - t0;
    /* The verdict's words prove which limit stopped the answer ("too long",
       "took too long"); the time is printed on failure but not asserted, since
       a loaded machine may take longer without anything being wrong. */
    if (v.kind != kind || !strstr(v.feedback, words))
        print_error("answer of %zu bytes: %s in %.2f s: %.200s\n", strlen(answer), kind_name(v.kind), dt, v.feedback);
    assert_int_equal(v.kind, kind);
    assert_non_null(strstr(v.feedback, words));
    lm_verdict_free(&v);
}

static void test_pathological_answers(void **state) {
    (void)state;
    size_t big = 10u << 20; /* a 10 MB answer */
    char *s = malloc(big + 1);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++) s[i] = i % 2 ? '+' : '1';
    s[big - 1] = '1';
    s[big] = '\0';
    expect_quick(N, "1", s, LM_VERDICT_UNPARSED, "too long");
    /* 2000 nested parentheses fit in 4 KB but not in the parser's depth limit */
    size_t depth = 2000;
    for (size_t i = 0; i < depth; i++) s[i] = '(';
    s[depth] = '1';
    for (size_t i = 0; i < depth; i++) s[depth + 1 + i] = ')';
    s[2 * depth + 1] = '\0';
    expect_quick(N, "1", s, LM_VERDICT_UNPARSED, "could not be read");
    /* sin(sin(...)) 500 deep */
    s[0] = '\0';
    for (int i = 0; i < 500; i++) strcat(s, "sin(");
    strcat(s, "x");
    for (int i = 0; i < 500; i++) strcat(s, ")");
    expect_quick(E, "x", s, LM_VERDICT_UNPARSED, "could not be read");
    free(s);
    expect_quick(N, "1", "while 1, end", LM_VERDICT_UNPARSED, "one expression");
    expect_quick(N, "1", "for k = 1:1e9, end", LM_VERDICT_UNPARSED, "one expression");
    /* a 1000x1000 product is computed but is no answer */
    expect_quick(M, "[1 2; 3 4]", "ones(1000)*ones(1000)", LM_VERDICT_UNPARSED, "too large");
    expect_quick(E, "x", "x^1000000000", LM_VERDICT_WRONG, "not equal");
    expect_quick(E, "(x+y+1)^2", "(x+y+1)^60", LM_VERDICT_WRONG, "not equal");
    /* One expression of 120 slow calls (each a 1000×1000 inverse, ~0.1 s): the
       time limit is checked before every call, not only between statements,
       so this stops at 2 s (it used to run for 26 s and then be judged). */
    s = malloc(4096);
    assert_non_null(s);
    s[0] = '\0';
    for (int i = 0; i < 120; i++) strcat(s, i ? "+det(inv(ones(1000)+eye(1000)))" : "det(inv(ones(1000)+eye(1000)))");
    expect_quick(N, "1", s, LM_VERDICT_UNPARSED, "took too long");
    free(s);
}

/* ---- the rules in words ---- */

static void test_feedback_words(void **state) {
    (void)state;
    struct {
        lm_answer_type type;
        const char *ref, *answer, *words;
    } cases[] = {
        {M, "[1 2 3; 4 5 6]", "[1 2; 3 4]", "Your answer is a 2\xc3\x97" "2 matrix, but the answer is a 2\xc3\x97" "3 matrix."},
        {M, "[1 2; 3 4]", "[1 2; 3 5]", "the entry in row 2, column 2 is not right"},
        {M, "[1 2; 3 4]", "[0 2; 3 5]", "the entry in row 1, column 1 and 1 other are not right"},
        {V, "[1 2 3]", "[1 2 4]", "entry 3 is not right"},
        {V, "[1 2 3]", "[1 2]", "a row vector with 2 entries, but the answer is a row vector with 3 entries"},
        {E, "x*y", "xy", "'xy', which is not a variable of this problem"},
        {N, "2", "2x", "still contains 'x'"},
        {F, "1/3", "0.33", "exact value"},
        {N, "0.5", "0.499", "Close, but not accurate enough"},
        {S, "[1 2 3]", "{1, 2, 5}", "5 does not belong in the set"},
        {S, "[1 2 3]", "{1, 2}", "missing 1 value"},
        {I, "[1 2]", "[1, 3]", "The upper end of the interval is not right."},
        {E, "x^2", "x^3", "they differ at x ="},
        {C, "b", "a", "That is not the right choice."},
        {N, "0.5", "1/0", "not a finite number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        row r = {cases[i].type, cases[i].ref, cases[i].answer, 0, NULL};
        lm_answer_spec spec;
        fill_spec(&spec, &r);
        lm_verdict v;
        lm_check_answer(&spec, cases[i].answer, &v);
        if (!strstr(v.feedback, cases[i].words)) print_error("case %zu: \"%s\"\n", i, v.feedback);
        assert_non_null(strstr(v.feedback, cases[i].words));
        lm_verdict_free(&v);
    }
}

/* the same answer gets the same verdict and the same words every time */
static void test_deterministic(void **state) {
    (void)state;
    row r = {E, "sin(x)*exp(x)", "sin(x)*exp(x) + 1e-3*x", 0, NULL};
    lm_answer_spec spec;
    fill_spec(&spec, &r);
    lm_verdict a, b;
    lm_check_answer(&spec, r.answer, &a);
    lm_check_answer(&spec, r.answer, &b);
    assert_int_equal(a.kind, LM_VERDICT_WRONG);
    assert_string_equal(a.feedback, b.feedback);
    lm_verdict_free(&a);
    lm_verdict_free(&b);
}

/* an expression whose reference is undefined almost everywhere on the sampled
 * domain cannot be decided: the learner is told so, not told "wrong" as a fact */
static void test_undecidable(void **state) {
    (void)state;
    row r = {E, "sqrt(-x^2 - 1) + x", "x", 0, NULL};
    lm_answer_spec spec;
    fill_spec(&spec, &r);
    lm_verdict v;
    lm_check_answer(&spec, r.answer, &v);
    assert_int_equal(v.kind, LM_VERDICT_WRONG);
    assert_non_null(strstr(v.feedback, "could not decide"));
    lm_verdict_free(&v);
}

/* ---- equivalent(a, b) ---- */

static void expect_eval(const char *src, const char *text) {
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, src);
    lm_buf b = LM_BUF_INIT;
    lm_value_text(s, v, &b);
    if (strcmp(lm_buf_cstr(&b), text)) print_error("%s gave \"%s\", wanted \"%s\"\n", src, lm_buf_cstr(&b), text);
    assert_string_equal(lm_buf_cstr(&b), text);
    lm_buf_free(&b);
    lm_release(v);
    lm_session_free(s);
}

static void test_equivalent_builtin(void **state) {
    (void)state;
    expect_eval("equivalent(\"2x*cos(x^2)\", \"cos(x^2)*2*x\")", "true");
    expect_eval("equivalent(\"50%\", \"0.5\", probability = true)", "true");
    expect_eval("equivalent(\"50%\", \"0.5\")", "false");
    expect_eval("equivalent(\"[1 0; 0 1]\", \"eye(2)\")", "true");
    expect_eval("equivalent(\"2*log(x)\", \"log(x^2)\", domain = \"positive\")", "true");
    /* on all reals log(x^2) is defined at x < 0 and 2*log(x) is not */
    expect_eval("equivalent(\"2*log(x)\", \"log(x^2)\")", "false");
    expect_eval("equivalent(\"{3, 1, 2}\", \"[1 2 3]\", type = \"set\")", "true");
    expect_eval("equivalent(\"0.59\", \"3/5\", type = \"fraction\")", "false");
    expect_eval("equivalent(\"0.6\", \"3/5\", type = \"fraction\")", "true");
    expect_eval("equivalent(1.96, 1.9604, tol = 1e-3)", "true");
    expect_eval("equivalent(1.96, 1.97, tol = 1e-3)", "false");
    /* values: symbolic expressions made in the caller's session */
    expect_eval("equivalent(diff(sin(x^2), x), 2*x*cos(x^2))", "true");
    expect_eval("equivalent(diff(sin(x^2), x), cos(x^2))", "false");
    expect_eval("equivalent(inv([2 1; 1 3]), [0.6 -0.2; -0.2 0.4])", "true");
    expect_eval("equivalent([1 2; 3 4]', [1 2; 3 4])", "false");
    /* a value beside a string */
    expect_eval("equivalent(\"3(x+1)\", 3*x + 3)", "true");
    expect_eval("equivalent([1 2 3], \"[1; 2; 3]\")", "true");
    expect_eval("[ok, why] = equivalent(\"-2x\", \"2*x\"); why",
                "Check the sign: your answer is the negative of the right one.");
    /* options are checked */
    lm_session *s = lm_session_new();
    lm_value v = lm_eval_value(s, "equivalent(\"1\", \"1\", type = \"banana\")");
    assert_true(lm_is_error(v));
    lm_release(v);
    v = lm_eval_value(s, "equivalent(\"1\", \"1\", tol = -1)");
    assert_true(lm_is_error(v));
    lm_release(v);
    /* the learner's workspace is not the answer's: x = 5 here does not make "x" equal 5 */
    v = lm_eval_value(s, "x = 5; equivalent(\"x\", \"5\")");
    assert_int_equal(v.kind, LM_BOOL);
    assert_false(v.u.b);
    lm_release(v);
    lm_session_free(s);
    const lm_builtin *b = lm_builtin_find("equivalent");
    assert_non_null(b);
    assert_non_null(strstr(b->example, "equivalent("));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_answers_accepted), cmocka_unit_test(test_wrong_answers_rejected),
        cmocka_unit_test(test_problem_misconceptions), cmocka_unit_test(test_unparsed_answers),
        cmocka_unit_test(test_pathological_answers),   cmocka_unit_test(test_feedback_words),
        cmocka_unit_test(test_deterministic),          cmocka_unit_test(test_undecidable),
        cmocka_unit_test(test_equivalent_builtin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
