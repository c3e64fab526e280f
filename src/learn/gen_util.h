/* Helpers shared by every exercise generator (gen_MODULE.c): a seeded RNG per
 * problem, random integers, exact fractions, numbers/vectors/matrices written
 * in lemma syntax and in LaTeX, filling an lm_problem piece by piece, and
 * running a lemma program in a fresh session to read its value or turn its
 * `steps(...)` into the worked solution.
 *
 * Determinism: everything here is integer arithmetic or the project's own
 * formatter (lm_fmt_double_shortest), so a (skill, seed, difficulty) triple
 * gives byte-identical problems on every machine. */
#ifndef LEMMA_LEARN_GEN_UTIL_H
#define LEMMA_LEARN_GEN_UTIL_H

#include "lemma/learn.h"
#include "lemma/tensor.h" /* lm_rat */

#include <stddef.h>
#include <stdint.h>

/* ---- random choices ---- */

/* The stream for one problem: splitmix of the seed mixed with a hash of the
 * skill id and the difficulty, so that two skills with the same seed differ. */
void lm_gen_rng(lm_rng *r, const char *skill, uint64_t seed, int difficulty);
/* Uniform in [lo, hi] (inclusive, lo <= hi), without modulo bias. */
int64_t lm_gen_int(lm_rng *r, int64_t lo, int64_t hi);
/* Uniform in [lo, hi] without 0 (the range must hold a non-zero value). */
int64_t lm_gen_int_nonzero(lm_rng *r, int64_t lo, int64_t hi);
/* One entry of list[0..n), n > 0. */
int64_t lm_gen_pick(lm_rng *r, const int64_t *list, size_t n);
/* An index in [0, n), n > 0. */
size_t lm_gen_index(lm_rng *r, size_t n);
bool lm_gen_coin(lm_rng *r);
/* Which way a yes/no exercise should come out (reject or not, convex or not,
 * independent or not), a fair coin from a stream of its own: the generator
 * redraws its data until the engine's verdict agrees, so that each answer is
 * right about half the time and always answering one letter does not pay.
 * Its own stream leaves the data's stream as it was, so a problem whose first
 * draw already agrees is the same as before. */
bool lm_gen_target(const char *skill, uint64_t seed, int difficulty);
/* Fisher–Yates on v[0..n). */
void lm_gen_shuffle(lm_rng *r, int *v, size_t n);
/* n positive parts (in units) summing to total (n <= total): tidy
 * probabilities such as tenths that add up to 1. */
void lm_gen_split_units(lm_rng *r, int *parts, int n, int total);

/* ---- exact fractions (p/q reduced, q > 0) ---- */

lm_rat lm_gen_rat(int64_t p, int64_t q);  /* q != 0 */
lm_rat lm_gen_rat_add(lm_rat a, lm_rat b);
lm_rat lm_gen_rat_sub(lm_rat a, lm_rat b);
lm_rat lm_gen_rat_mul(lm_rat a, lm_rat b);
lm_rat lm_gen_rat_div(lm_rat a, lm_rat b); /* b != 0 */
static inline bool lm_gen_rat_is_int(lm_rat a) { return a.q == 1; }

/* ---- writing numbers (append to b) ---- */

/* Integers as integers, others shortest round-trip: "3", "-0.25", "1e+100". */
void lm_gen_put_num(lm_buf *b, double x);
/* k / 10^places written exactly, without trailing zeros: (25, 3) -> "0.025",
 * (-80, 2) -> "-0.8", (300, 2) -> "3". Probabilities the generator chose in
 * tenths or hundredths go through here, so that a complement such as 1 - 0.9
 * is computed in integers and never shows float noise (0.09999999999999998).
 * places is 0..18. */
void lm_gen_put_dec(lm_buf *b, int64_t k, int places);
/* lemma syntax: "3", "-3/5" (parenthesise it yourself inside expressions). */
void lm_gen_put_rat(lm_buf *b, lm_rat r);
/* LaTeX: "3", "-\frac{3}{5}". */
void lm_gen_put_rat_latex(lm_buf *b, lm_rat r);

/* Matrices are row-major arrays of rows × cols. In lemma syntax "[1 -2; 3 4]"
 * (a row vector is rows = 1: "[1 2 3]", a column cols = 1: "[1; 2; 3]"); in
 * LaTeX a bmatrix. */
void lm_gen_put_imat(lm_buf *b, const int64_t *a, int rows, int cols);
void lm_gen_put_imat_latex(lm_buf *b, const int64_t *a, int rows, int cols);
void lm_gen_put_rmat(lm_buf *b, const lm_rat *a, int rows, int cols);
void lm_gen_put_rmat_latex(lm_buf *b, const lm_rat *a, int rows, int cols);
void lm_gen_put_dmat(lm_buf *b, const double *a, int rows, int cols);
void lm_gen_put_dmat_latex(lm_buf *b, const double *a, int rows, int cols);

/* A signed term for building expressions: coefficient c times `rest` with the
 * right sign and without "1*"; first = true leaves out a leading "+".
 * lm_gen_put_term(b, -1, "x^2", false) appends " - x^2". c = 0 appends nothing. */
void lm_gen_put_term(lm_buf *b, int64_t c, const char *rest, bool first);

/* Text for one number, usable inline in a printf argument list:
 * lm_gen_prompt(p, "... $%s$ ...", lm_gen_sig(x, 3).s). */
typedef struct lm_gen_numtext {
    char s[40];
} lm_gen_numtext;
/* An engine result rounded to `digits` significant digits: the shortest
 * round-trip form would expose the last bit of libm, which may differ between
 * machines, and a learner never needs more. */
lm_gen_numtext lm_gen_sig(double x, int digits);
/* An input the generator chose (k/100) in its shortest form: "0.3", "12"
 * (lm_gen_put_num as a value). */
lm_gen_numtext lm_gen_dec(double x);

/* "success" or "successes": one when n == 1, many otherwise. */
static inline const char *lm_gen_plural(int64_t n, const char *one, const char *many) { return n == 1 ? one : many; }

/* ---- filling a problem (strings are copied into p) ---- */

void lm_gen_prompt(lm_problem *p, const char *fmt, ...) LM_PRINTF(2, 3);
/* Sets spec.type and the reference answer. */
void lm_gen_answer(lm_problem *p, lm_answer_type type, const char *fmt, ...) LM_PRINTF(3, 4);
/* Appends a hint (silently ignored past LM_MAX_HINTS: the tests catch it). */
void lm_gen_hint(lm_problem *p, const char *fmt, ...) LM_PRINTF(2, 3);
/* Appends a misconception unless `answer` is textually the reference or one
 * already listed; `id` must be a string literal (it is not copied). */
void lm_gen_mis(lm_problem *p, const char *id, const char *answer, const char *fmt, ...) LM_PRINTF(4, 5);
/* Appends a solution step; latex may be NULL. */
void lm_gen_step(lm_problem *p, const char *latex, const char *fmt, ...) LM_PRINTF(3, 4);
/* Appends a CHOICE option (the answer is its letter, "a", "b", ...). */
void lm_gen_choice(lm_problem *p, const char *text);

/* A numeric wrong answer is only worth naming when the checker could tell it
 * apart from the right one (NUMBER answers are judged within 0.6%, and
 * absolutely near 0); this asks for a margin of 2% (1e-4 near 0). */
bool lm_gen_far(double wrong, double right);
/* lm_gen_far from the right answer and from every misconception p already
 * names that reads as a number: only then is `wrong` worth an lm_gen_mis. */
bool lm_gen_fresh(const lm_problem *p, double wrong, double right);

/* ---- running lemma ---- */

/* Evaluates `program` in a fresh session and returns its value (+1), or false
 * with err set (an error value is turned into err). Expressions (LM_EXPR) die
 * with their session: use lm_gen_eval_expr for them. */
bool lm_gen_eval(const char *program, lm_value *out, lm_err *err);
/* The value of `program` as a number. */
bool lm_gen_eval_num(const char *program, double *out, lm_err *err);
/* lm_gen_eval_num of a program built with printf's format. */
bool lm_gen_evalf(double *out, lm_err *err, const char *fmt, ...) LM_PRINTF(3, 4);
/* The value of `program` as an exact matrix (any tensor of at most max entries
 * whose entries are exact, or whole numbers): entries row-major into out. */
bool lm_gen_eval_rmat(const char *program, lm_rat *out, int max, int *rows, int *cols, lm_err *err);
/* The value of `program` (an expression, or a number) as lemma text and LaTeX;
 * either buffer may be NULL. */
bool lm_gen_eval_expr(const char *program, lm_buf *text, lm_buf *latex, lm_err *err);
/* Evaluates `program`, which must give a steps value (steps(...)), and appends
 * each of its steps to p's solution; then a last step "Result" with the
 * result's LaTeX when `result_text` is not NULL (it is the step's sentence). */
bool lm_gen_steps(lm_problem *p, const char *program, const char *result_text, lm_err *err);
/* lm_gen_steps of a program built with printf's format: "steps(det(%s))". */
bool lm_gen_stepsf(lm_problem *p, const char *result_text, lm_err *err, const char *fmt, ...) LM_PRINTF(4, 5);

#endif
