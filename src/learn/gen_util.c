/* Helpers shared by the exercise generators (gen_util.h). */
#include "learn/gen_util.h"

#include "lemma/lang.h"
#include "lemma/steps.h"
#include "lemma/sym.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- random choices ---- */

void lm_gen_rng(lm_rng *r, const char *skill, uint64_t seed, int difficulty) {
    /* FNV-1a of the id: fixed constants, so the same on every machine. */
    uint64_t h = 1469598103934665603ULL;
    for (const char *c = skill ? skill : ""; *c; c++) {
        h ^= (unsigned char)*c;
        h *= 1099511628211ULL;
    }
    h ^= (uint64_t)(unsigned)difficulty * 0x9E3779B97F4A7C15ULL;
    lm_rng_seed(r, seed ^ h);
}

int64_t lm_gen_int(lm_rng *r, int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    /* Rejection keeps every value equally likely (no modulo bias). */
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x;
    do x = lm_rng_u64(r);
    while (x >= limit);
    return lo + (int64_t)(x % span);
}

int64_t lm_gen_int_nonzero(lm_rng *r, int64_t lo, int64_t hi) {
    if (lo == 0 && hi == 0) return 1;
    for (;;) {
        int64_t v = lm_gen_int(r, lo, hi);
        if (v != 0) return v;
    }
}

int64_t lm_gen_pick(lm_rng *r, const int64_t *list, size_t n) { return list[lm_gen_index(r, n)]; }

size_t lm_gen_index(lm_rng *r, size_t n) { return n ? (size_t)lm_gen_int(r, 0, (int64_t)n - 1) : 0; }

bool lm_gen_coin(lm_rng *r) { return lm_rng_u64(r) >> 63; }

bool lm_gen_target(const char *skill, uint64_t seed, int difficulty) {
    lm_rng r;
    lm_gen_rng(&r, skill, seed, difficulty);
    lm_rng_seed(&r, lm_rng_u64(&r) ^ 0xA5F1C3D2B4E69788ULL); /* not the data's stream */
    return lm_gen_coin(&r);
}

void lm_gen_shuffle(lm_rng *r, int *v, size_t n) {
    for (size_t i = n; i > 1; i--) {
        size_t j = lm_gen_index(r, i);
        int t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

void lm_gen_split_units(lm_rng *r, int *parts, int n, int total) {
    for (int i = 0; i < n; i++) parts[i] = 1;
    for (int k = n; k < total; k++) parts[lm_gen_index(r, (size_t)n)]++;
}

/* ---- fractions ---- */

lm_rat lm_gen_rat(int64_t p, int64_t q) {
    if (q < 0) {
        p = -p;
        q = -q;
    }
    int64_t g = lm_gcd64(p, q);
    if (g > 1) {
        p /= g;
        q /= g;
    }
    if (p == 0) q = 1;
    lm_rat r = {p, q};
    return r;
}

lm_rat lm_gen_rat_add(lm_rat a, lm_rat b) { return lm_gen_rat(a.p * b.q + b.p * a.q, a.q * b.q); }
lm_rat lm_gen_rat_sub(lm_rat a, lm_rat b) { return lm_gen_rat(a.p * b.q - b.p * a.q, a.q * b.q); }
lm_rat lm_gen_rat_mul(lm_rat a, lm_rat b) { return lm_gen_rat(a.p * b.p, a.q * b.q); }
lm_rat lm_gen_rat_div(lm_rat a, lm_rat b) { return lm_gen_rat(a.p * b.q, a.q * b.p); }

/* ---- writing numbers ---- */

void lm_gen_put_num(lm_buf *b, double x) {
    if (x == floor(x) && fabs(x) < 9007199254740992.0) {
        lm_buf_printf(b, "%lld", (long long)x);
        return;
    }
    char s[32];
    lm_fmt_double_shortest(s, x);
    lm_buf_puts(b, s);
}

void lm_gen_put_dec(lm_buf *b, int64_t k, int places) {
    if (places < 0) places = 0;
    if (places > 18) places = 18;
    bool neg = k < 0;
    uint64_t m = neg ? (uint64_t)(-(k + 1)) + 1 : (uint64_t)k;
    uint64_t scale = 1;
    for (int i = 0; i < places; i++) scale *= 10;
    uint64_t whole = m / scale, frac = m % scale;
    lm_buf_printf(b, "%s%llu", neg && m ? "-" : "", (unsigned long long)whole);
    if (!frac) return;
    char digits[24];
    snprintf(digits, sizeof digits, "%0*llu", places, (unsigned long long)frac);
    size_t n = strlen(digits);
    while (n > 0 && digits[n - 1] == '0') n--;
    lm_buf_printf(b, ".%.*s", (int)n, digits);
}

void lm_gen_put_rat(lm_buf *b, lm_rat r) {
    if (r.q == 1) lm_buf_printf(b, "%lld", (long long)r.p);
    else lm_buf_printf(b, "%lld/%lld", (long long)r.p, (long long)r.q);
}

void lm_gen_put_rat_latex(lm_buf *b, lm_rat r) {
    if (r.q == 1) lm_buf_printf(b, "%lld", (long long)r.p);
    else lm_buf_printf(b, "%s\\frac{%lld}{%lld}", r.p < 0 ? "-" : "", (long long)(r.p < 0 ? -r.p : r.p),
                       (long long)r.q);
}

lm_gen_numtext lm_gen_sig(double x, int digits) {
    lm_gen_numtext t;
    lm_fmt_double_sig(t.s, x, digits);
    return t;
}

lm_gen_numtext lm_gen_dec(double x) {
    lm_gen_numtext t;
    lm_buf b = LM_BUF_INIT;
    lm_gen_put_num(&b, x);
    snprintf(t.s, sizeof t.s, "%s", lm_buf_cstr(&b));
    lm_buf_free(&b);
    return t;
}

typedef void (*put_entry_fn)(lm_buf *b, const void *a, size_t k);

static void put_i(lm_buf *b, const void *a, size_t k) { lm_buf_printf(b, "%lld", (long long)((const int64_t *)a)[k]); }
static void put_r(lm_buf *b, const void *a, size_t k) { lm_gen_put_rat(b, ((const lm_rat *)a)[k]); }
static void put_r_latex(lm_buf *b, const void *a, size_t k) { lm_gen_put_rat_latex(b, ((const lm_rat *)a)[k]); }
static void put_d(lm_buf *b, const void *a, size_t k) { lm_gen_put_num(b, ((const double *)a)[k]); }

static void put_mat(lm_buf *b, const void *a, int rows, int cols, put_entry_fn put) {
    lm_buf_putc(b, '[');
    for (int i = 0; i < rows; i++) {
        if (i) lm_buf_puts(b, "; ");
        for (int j = 0; j < cols; j++) {
            if (j) lm_buf_putc(b, ' ');
            put(b, a, (size_t)i * (size_t)cols + (size_t)j);
        }
    }
    lm_buf_putc(b, ']');
}

static void put_mat_latex(lm_buf *b, const void *a, int rows, int cols, put_entry_fn put) {
    lm_buf_puts(b, "\\begin{bmatrix} ");
    for (int i = 0; i < rows; i++) {
        if (i) lm_buf_puts(b, " \\\\ ");
        for (int j = 0; j < cols; j++) {
            if (j) lm_buf_puts(b, " & ");
            put(b, a, (size_t)i * (size_t)cols + (size_t)j);
        }
    }
    lm_buf_puts(b, " \\end{bmatrix}");
}

void lm_gen_put_imat(lm_buf *b, const int64_t *a, int rows, int cols) { put_mat(b, a, rows, cols, put_i); }
void lm_gen_put_imat_latex(lm_buf *b, const int64_t *a, int rows, int cols) { put_mat_latex(b, a, rows, cols, put_i); }
void lm_gen_put_rmat(lm_buf *b, const lm_rat *a, int rows, int cols) { put_mat(b, a, rows, cols, put_r); }
void lm_gen_put_rmat_latex(lm_buf *b, const lm_rat *a, int rows, int cols) {
    put_mat_latex(b, a, rows, cols, put_r_latex);
}
void lm_gen_put_dmat(lm_buf *b, const double *a, int rows, int cols) { put_mat(b, a, rows, cols, put_d); }
void lm_gen_put_dmat_latex(lm_buf *b, const double *a, int rows, int cols) { put_mat_latex(b, a, rows, cols, put_d); }

void lm_gen_put_term(lm_buf *b, int64_t c, const char *rest, bool first) {
    if (c == 0) return;
    bool neg = c < 0;
    unsigned long long m = neg ? (unsigned long long)(-(c + 1)) + 1 : (unsigned long long)c;
    if (first) lm_buf_puts(b, neg ? "-" : "");
    else lm_buf_puts(b, neg ? " - " : " + ");
    if (!rest || !*rest) lm_buf_printf(b, "%llu", m);
    else if (m == 1) lm_buf_puts(b, rest);
    else lm_buf_printf(b, "%llu*%s", m, rest);
}

/* ---- misconceptions worth naming ---- */

bool lm_gen_far(double wrong, double right) { return fabs(wrong - right) > 0.02 * fabs(right) + 1e-4; }

bool lm_gen_fresh(const lm_problem *p, double wrong, double right) {
    if (!lm_gen_far(wrong, right)) return false;
    for (int i = 0; i < p->spec.nmis; i++) {
        double v;
        lm_err e = LM_ERR_INIT;
        bool numeric = lm_gen_eval_num(p->spec.mis[i].answer, &v, &e);
        lm_err_clear(&e);
        if (numeric && !lm_gen_far(wrong, v)) return false;
    }
    return true;
}

/* ---- filling a problem ---- */

static char *vfmt(const char *fmt, va_list ap) {
    lm_buf b = LM_BUF_INIT;
    lm_buf_vprintf(&b, fmt, ap);
    if (!b.s) lm_buf_puts(&b, "");
    return lm_buf_steal(&b);
}

void lm_gen_prompt(lm_problem *p, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_free(p->prompt);
    p->prompt = vfmt(fmt, ap);
    va_end(ap);
}

void lm_gen_answer(lm_problem *p, lm_answer_type type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_free(p->spec.answer);
    p->spec.type = type;
    p->spec.answer = vfmt(fmt, ap);
    va_end(ap);
}

void lm_gen_hint(lm_problem *p, const char *fmt, ...) {
    if (p->nhints >= LM_MAX_HINTS) return;
    va_list ap;
    va_start(ap, fmt);
    p->hints[p->nhints++] = vfmt(fmt, ap);
    va_end(ap);
}

void lm_gen_mis(lm_problem *p, const char *id, const char *answer, const char *fmt, ...) {
    if (p->spec.nmis >= LM_MAX_MISCONCEPTIONS) return;
    if (p->spec.answer && !strcmp(p->spec.answer, answer)) return;
    for (int i = 0; i < p->spec.nmis; i++)
        if (!strcmp(p->spec.mis[i].answer, answer)) return;
    va_list ap;
    va_start(ap, fmt);
    lm_misconception *m = &p->spec.mis[p->spec.nmis++];
    m->id = id;
    m->answer = lm_strdup(answer);
    m->feedback = vfmt(fmt, ap);
    va_end(ap);
}

void lm_gen_step(lm_problem *p, const char *latex, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    p->steps = lm_realloc(p->steps, (size_t)(p->nsteps + 1) * sizeof *p->steps);
    lm_solution_step *s = &p->steps[p->nsteps++];
    s->text = vfmt(fmt, ap);
    s->latex = latex ? lm_strdup(latex) : NULL;
    va_end(ap);
}

void lm_gen_choice(lm_problem *p, const char *text) {
    if (p->spec.nchoices >= LM_MAX_CHOICES) return;
    p->spec.choices[p->spec.nchoices++] = lm_strdup(text);
}

/* ---- running lemma ---- */

/* A fresh session per program: nothing a previous problem defined can leak in.
 * The step limit keeps a generator bug from hanging practice. */
static lm_session *fresh_session(void) {
    lm_session *s = lm_session_new();
    lm_session_set_limits(s, 1000000, 0);
    return s;
}

/* Moves an error value (or a nil "nothing printed") into err; true when v is usable. */
static bool value_ok(lm_value v, const char *program, lm_err *err) {
    if (lm_is_error(v)) {
        lm_error *e = lm_error_obj(v);
        lm_err_set(err, e->kind, "generator program `%s` failed: %s", program, e->msg ? e->msg : "(no message)");
        return false;
    }
    if (lm_is_nil(v)) {
        lm_err_set(err, LM_ERR_INTERNAL, "generator program `%s` gave no value", program);
        return false;
    }
    return true;
}

bool lm_gen_eval(const char *program, lm_value *out, lm_err *err) {
    lm_session *s = fresh_session();
    lm_value v = lm_eval_value(s, program);
    bool ok = value_ok(v, program, err);
    if (ok && v.kind == LM_EXPR) {
        lm_err_set(err, LM_ERR_INTERNAL, "generator program `%s` gave an expression; use lm_gen_eval_expr", program);
        ok = false;
    }
    if (ok) *out = v;
    else lm_release(v);
    lm_session_free(s);
    return ok;
}

bool lm_gen_eval_num(const char *program, double *out, lm_err *err) {
    lm_value v;
    if (!lm_gen_eval(program, &v, err)) return false;
    bool ok = true;
    if (v.kind == LM_NUM) *out = v.u.num;
    else if (v.kind == LM_BOOL) *out = v.u.b ? 1 : 0;
    else if (v.kind == LM_TENSOR && lm_tensor_of(v)->size == 1 && !lm_tensor_of(v)->imag)
        *out = lm_tensor_of(v)->data[0];
    else {
        lm_err_set(err, LM_ERR_TYPE, "generator program `%s` gave %s, not a number", program, lm_kind_a((lm_kind)v.kind));
        ok = false;
    }
    lm_release(v);
    return ok;
}

bool lm_gen_evalf(double *out, lm_err *err, const char *fmt, ...) {
    lm_buf prog = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&prog, fmt, ap);
    va_end(ap);
    bool ok = lm_gen_eval_num(lm_buf_cstr(&prog), out, err);
    lm_buf_free(&prog);
    return ok;
}

/* Reads a number or tensor value exactly into out[0..max). */
static bool value_rmat(lm_value v, lm_rat *out, int max, int *rows, int *cols) {
    if (v.kind == LM_NUM) {
        if (max < 1 || v.u.num != floor(v.u.num) || fabs(v.u.num) > 9007199254740992.0) return false;
        out[0] = lm_gen_rat((int64_t)v.u.num, 1);
        *rows = *cols = 1;
        return true;
    }
    if (v.kind != LM_TENSOR) return false;
    const lm_tensor *t = lm_tensor_of(v);
    if (t->ndim > 2 || t->imag || t->size > max) return false;
    *rows = (int)lm_tensor_rows(t);
    *cols = (int)lm_tensor_cols(t);
    for (int64_t k = 0; k < t->size; k++) {
        if (t->exact) {
            out[k] = t->exact[k];
            continue;
        }
        double x = t->data[lm_tensor_offset(t, k)];
        if (x != floor(x) || fabs(x) > 9007199254740992.0) return false;
        out[k] = lm_gen_rat((int64_t)x, 1);
    }
    return true;
}

bool lm_gen_eval_rmat(const char *program, lm_rat *out, int max, int *rows, int *cols, lm_err *err) {
    lm_value v;
    if (!lm_gen_eval(program, &v, err)) return false;
    bool ok = value_rmat(v, out, max, rows, cols);
    if (!ok)
        lm_err_set(err, LM_ERR_TYPE, "generator program `%s` did not give an exact matrix of at most %d entries",
                   program, max);
    lm_release(v);
    return ok;
}

/* Appends v's text and LaTeX (expressions, numbers, exact matrices). */
static bool value_text_latex(lm_session *s, lm_value v, lm_buf *text, lm_buf *latex) {
    if (v.kind == LM_EXPR) {
        if (text) lm_sym_print_text((const lm_expr *)v.u.obj, text);
        if (latex) lm_sym_print_latex((const lm_expr *)v.u.obj, latex);
        return true;
    }
    if (v.kind == LM_NUM) {
        if (text) lm_gen_put_num(text, v.u.num);
        if (latex) lm_gen_put_num(latex, v.u.num);
        return true;
    }
    lm_rat m[64];
    int r, c;
    if (value_rmat(v, m, 64, &r, &c)) {
        if (text) lm_gen_put_rmat(text, m, r, c);
        if (latex) lm_gen_put_rmat_latex(latex, m, r, c);
        return true;
    }
    (void)s;
    return false;
}

bool lm_gen_eval_expr(const char *program, lm_buf *text, lm_buf *latex, lm_err *err) {
    lm_session *s = fresh_session();
    lm_value v = lm_eval_value(s, program);
    bool ok = value_ok(v, program, err);
    if (ok && !value_text_latex(s, v, text, latex)) {
        lm_err_set(err, LM_ERR_TYPE, "generator program `%s` gave %s, not an expression", program,
                   lm_kind_a((lm_kind)v.kind));
        ok = false;
    }
    /* Expressions are interned in the session's table: release before it goes. */
    lm_release(v);
    lm_session_free(s);
    return ok;
}

/* ---- the engine's step sentences as practice text ---- */

static bool ident_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

/* A derivative's argument that reads without parentheses after d/dx, as the
 * engine's own sentences write it: x, x^3, sin(x) (no spaces, no operators). */
static bool reads_bare(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!ident_char(s[i]) && s[i] != '^' && s[i] != '(' && s[i] != ')' && s[i] != '.') return false;
    return n > 0;
}

static void practice_text_n(const char *s, size_t n, lm_buf *out);

/* s points just past "diff(" or "partial(": the pending derivative written
 * as the engine's sentences write the others, d/dx (u) or ∂/∂x (u). Returns
 * the length consumed (through the closing parenthesis), 0 when the call does
 * not have the two arguments it should (then it is copied as it is). */
static size_t put_pending_derivative(const char *s, size_t n, bool partial, lm_buf *out) {
    int depth = 0;
    size_t comma = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] == '(' || s[i] == '[') depth++;
        else if (s[i] == ')' || s[i] == ']') {
            if (depth == 0) break;
            depth--;
        } else if (s[i] == ',' && depth == 0) {
            if (comma) return 0;
            comma = i;
        }
    }
    if (i == n || !comma) return 0;
    size_t vstart = comma + 1;
    while (vstart < i && s[vstart] == ' ') vstart++;
    lm_buf_printf(out, partial ? "∂/∂%.*s " : "d/d%.*s ", (int)(i - vstart), s + vstart);
    bool bare = reads_bare(s, comma);
    if (!bare) lm_buf_putc(out, '(');
    practice_text_n(s, comma, out);
    if (!bare) lm_buf_putc(out, ')');
    return i + 1;
}

static void practice_text_n(const char *s, size_t n, lm_buf *out) {
    bool math = false; /* inside $...$: LaTeX, left alone */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '$') math = !math;
        bool word_start = i == 0 || !ident_char(s[i - 1]);
        if (!math && word_start && n - i > 5 && !strncmp(s + i, "diff(", 5)) {
            size_t used = put_pending_derivative(s + i + 5, n - i - 5, false, out);
            if (used) {
                i += 4 + used;
                continue;
            }
        }
        if (!math && word_start && n - i > 8 && !strncmp(s + i, "partial(", 8)) {
            size_t used = put_pending_derivative(s + i + 8, n - i - 8, true, out);
            if (used) {
                i += 7 + used;
                continue;
            }
        }
        /* A product sign: a middle dot, as the engine's sentences already write
         * "n·x^(n-1)". Left as '*', pairs of them turn into Markdown emphasis
         * and vanish: 2*(2*x - 3)*u showed as 2(2x - 3)u. */
        if (!math && c == '*') lm_buf_puts(out, "·");
        else lm_buf_putc(out, c);
    }
}

/* The practice text of one engine step sentence: the sentences are plain text
 * in lemma syntax, but a problem's step text is Markdown for the learner. */
static void practice_text(const char *s, lm_buf *out) { practice_text_n(s, strlen(s), out); }

bool lm_gen_steps(lm_problem *p, const char *program, const char *result_text, lm_err *err) {
    lm_session *s = fresh_session();
    lm_value v = lm_eval_value(s, program);
    bool ok = value_ok(v, program, err);
    if (ok && !lm_is_steps(v)) {
        lm_err_set(err, LM_ERR_TYPE, "generator program `%s` did not give steps", program);
        ok = false;
    }
    if (ok) {
        const lm_steps *st = (const lm_steps *)v.u.obj;
        lm_buf text = LM_BUF_INIT;
        for (size_t i = 0; i < st->n; i++) {
            lm_buf_reset(&text);
            practice_text(st->v[i].text ? st->v[i].text : "", &text);
            lm_gen_step(p, st->v[i].latex, "%s", lm_buf_cstr(&text));
        }
        lm_buf_free(&text);
        if (result_text) {
            lm_buf latex = LM_BUF_INIT;
            if (value_text_latex(s, st->result, NULL, &latex)) lm_gen_step(p, lm_buf_cstr(&latex), "%s", result_text);
            else lm_gen_step(p, NULL, "%s", result_text);
            lm_buf_free(&latex);
        }
    }
    lm_release(v);
    lm_session_free(s);
    return ok;
}

bool lm_gen_stepsf(lm_problem *p, const char *result_text, lm_err *err, const char *fmt, ...) {
    lm_buf prog = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&prog, fmt, ap);
    va_end(ap);
    bool ok = lm_gen_steps(p, lm_buf_cstr(&prog), result_text, err);
    lm_buf_free(&prog);
    return ok;
}
