/* The answer checker (check.h): reads what a learner typed and judges it
 * against a problem's reference answer.
 *
 * Reading. The learner's text is rewritten at token level (lemma's own lexer)
 * into plain lemma syntax, then parsed and evaluated by lemma in a fresh
 * session, never the learner's workspace. The rewrites:
 *   - implicit products: `2x`, `2 x`, `3(x + 1)`, `(x+1)(x-1)`, `2 sin(x)`,
 *     `2pi`, `x y` (outside brackets a space between two values is a product);
 *     inside [ ] and { } a space separates entries as in Octave (`[2x 3]` is
 *     two entries, `[1 -2]` too), only touching values multiply there;
 *   - `name(...)` is a call when `name` is a function lemma knows, otherwise a
 *     product (`x(x + 1)`); `xy` stays one name (it is not split);
 *   - `1/2x` is (1/2)*x, the left-to-right reading of lemma and most CAS;
 *   - `50%` is (50/100) where a probability is asked, otherwise a hint;
 *   - `{1, 2, 3}` is [1, 2, 3]; `(a, b)` and `[a, b)` are [a, b] for intervals;
 *   - `×` `·` `⋅` are `*`, `÷` is `/`, `−` is `-`, `²` `³` are ^2 ^3, `√` is
 *     sqrt (of the next number or name, or of the group after it), `π` is pi,
 *     `∞` is Inf, `**` is ^, `ln` is log, `arcsin`/`arccos`/`arctan` are
 *     asin/acos/atan; `e` stays Euler's number and `2e3` a number.
 * An answer is one expression: statements, strings and functions outside a
 * list of pure mathematical ones are refused as syntax hints, and the
 * evaluation runs under a step and time limit.
 *
 * Judging, by type:
 *   - NUMBER within a relative tolerance (tol, default 1e-6), absolute
 *     tol*1e-3 near 0; FRACTION exactly (relative 1e-12, for the rounding of
 *     decimal input: 0.6 is 3/5) unless the spec sets tol: a rounded decimal
 *     such as 0.33 for 1/3 is wrong, with a hint to give the exact value;
 *   - VECTOR/MATRIX entry by entry with the shape; a vector may be a row or a
 *     column unless strict_shape;
 *   - EXPRESSION: a - b simplifies to 0, or the two agree at >= 8 points drawn
 *     from a fixed-seed sampler (domain "positive": x > 0, "unit": 0 < x < 1,
 *     otherwise all reals); points where the reference is not finite are
 *     skipped; too few usable points is an honest "could not decide";
 *   - CHOICE by letter (case-insensitive, "b", "(b)", "b)") or the option's text;
 *   - INTERVAL as a two-entry vector, lower end first; SET as numbers in any
 *     order, duplicates ignored.
 * A wrong answer is compared with the problem's own misconceptions first, then
 * with generic ones (sign, transpose, reciprocal, percentage, factor of 2,
 * square). */
#include "lang/lang_int.h"
#include "lemma/check.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_MAX_STEPS 1000
#define ANSWER_SECONDS 2.0     /* evaluation of one answer */
#define JUDGE_SECONDS 3.0      /* symbolic simplification across the whole judgement */
#define ANSWER_MAX_ENTRIES 10000
#define ANSWER_MAX_SHAPE_ARG 1000 /* eye(n), zeros(n, m), ones(n, m) in an answer */
#define DEFAULT_TOL 1e-6
#define FRACTION_TOL 1e-12
#define EXPR_RTOL 1e-8
#define EXPR_ATOL 1e-9
#define EXPR_POINTS 12   /* compared points (at least 8 must be usable) */
#define EXPR_MIN_POINTS 8
#define EXPR_TRIES 400   /* draws before giving up on finding usable points */
#define SIMPLIFY_MAX_SIZE 600
#define SAMPLER_SEED 0x1e77a5eedULL

/* ---- verdicts ---- */

static void verdict(lm_verdict *v, lm_verdict_kind kind, const char *mis, const char *fmt, ...) LM_PRINTF(4, 5);
static void verdict(lm_verdict *v, lm_verdict_kind kind, const char *mis, const char *fmt, ...) {
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    lm_free(v->feedback);
    v->kind = kind;
    v->misconception = mis;
    v->feedback = lm_buf_steal(&b);
}

void lm_verdict_free(lm_verdict *v) {
    if (!v) return;
    lm_free(v->feedback);
    v->feedback = NULL;
    v->misconception = NULL;
}

static const char *const type_names[] = {"number", "fraction", "vector", "matrix",
                                         "expression", "choice", "interval", "set"};

const char *lm_answer_type_name(lm_answer_type t) {
    return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "answer";
}

bool lm_answer_type_parse(const char *name, lm_answer_type *out) {
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (!strcmp(name, type_names[i])) {
            *out = (lm_answer_type)i;
            return true;
        }
    return false;
}

/* ---- rewriting what a learner types into lemma syntax ---- */

typedef struct rewriter {
    const char *src;
    size_t len;
    lm_buf out;
    uint32_t *map; /* map[k]: offset in src of out byte k; one more for the end */
    size_t mapcap;
    const char *hint; /* a reason to stop, in words (static text) */
    uint32_t hint_at;
} rewriter;

static void rw_put(rewriter *r, const char *s, size_t n, uint32_t at) {
    if (r->out.len + n + 1 > r->mapcap) {
        r->mapcap = 2 * (r->out.len + n + 1) + 64;
        r->map = lm_realloc(r->map, r->mapcap * sizeof *r->map);
    }
    for (size_t k = 0; k < n; k++) r->map[r->out.len + k] = at;
    lm_buf_put(&r->out, s, n);
}

static void rw_puts(rewriter *r, const char *s, uint32_t at) { rw_put(r, s, strlen(s), at); }

static bool tok_is(const rewriter *r, const token *t, const char *text) {
    size_t n = strlen(text);
    return t->end - t->start == n && memcmp(r->src + t->start, text, n) == 0;
}

/* Names learners write for functions lemma spells differently. */
static const char *fn_alias(const char *name) {
    static const char *const alias[][2] = {{"ln", "log"}, {"arcsin", "asin"}, {"arccos", "acos"}, {"arctan", "atan"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (!strcmp(name, alias[i][0])) return alias[i][1];
    return NULL;
}

/* Unicode the lexer does not know, with its lemma spelling and how it behaves. */
typedef enum { U_NONE, U_OP, U_POSTFIX, U_VALUE, U_SQRT, U_PERCENT } ukind;
static ukind unicode_sym(const rewriter *r, const token *t, const char **as) {
    static const struct {
        const char *text, *as;
        ukind kind;
    } syms[] = {
        {"\xc3\x97", "*", U_OP},          /* × */
        {"\xc2\xb7", "*", U_OP},          /* · */
        {"\xe2\x8b\x85", "*", U_OP},      /* ⋅ */
        {"\xe2\x88\x99", "*", U_OP},      /* ∙ */
        {"\xc3\xb7", "/", U_OP},          /* ÷ */
        {"\xe2\x88\x92", "-", U_OP},      /* − */
        {"\xe2\x80\x93", "-", U_OP},      /* – */
        {"\xc2\xb2", "^2", U_POSTFIX},    /* ² */
        {"\xc2\xb3", "^3", U_POSTFIX},    /* ³ */
        {"\xcf\x80", "pi", U_VALUE},      /* π */
        {"\xe2\x88\x9e", "Inf", U_VALUE}, /* ∞ */
        {"\xe2\x88\x9a", "sqrt", U_SQRT}, /* √ */
        {"%", "", U_PERCENT},
    };
    if (t->type != T_ERROR) return U_NONE;
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
        if (tok_is(r, t, syms[i].text)) {
            *as = syms[i].as;
            return syms[i].kind;
        }
    return U_NONE;
}

/* Token text as a C string in buf (names are short; longer ones are not functions). */
static const char *tok_text(const rewriter *r, const token *t, char buf[64]) {
    size_t n = t->end - t->start;
    if (n > 63) n = 63;
    memcpy(buf, r->src + t->start, n);
    buf[n] = '\0';
    return buf;
}

static bool is_function_name(const char *name) { return fn_alias(name) || lm_builtin_find(name) != NULL; }

/* Does this token begin a value (so that a value right before it multiplies it)? */
static bool starts_value(const rewriter *r, const token *t) {
    const char *as;
    ukind u = unicode_sym(r, t, &as);
    return t->type == T_NUM || t->type == T_IMAG || t->type == T_IDENT || t->type == T_LPAREN || u == U_VALUE ||
           u == U_SQRT;
}

/* Rewrites r->src into r->out. `percent`: 50% is allowed; `interval`: outer
 * ( ) and half-open brackets become [ ]. False with r->hint set when the text
 * asks for something the answer cannot be (a percentage where none is expected). */
static bool rewrite(rewriter *r, bool percent, bool interval) {
    lm_tokens tk = {0};
    lm_lex(r->src, r->len, &tk);
    /* the tokens to rewrite: all but the end, and trailing ';' or newlines */
    size_t n = tk.n - 1;
    while (n >= 1 && (tk.v[n - 1].type == T_SEMI || tk.v[n - 1].type == T_NEWLINE)) n--;
    size_t first = 0, last = n >= 1 ? n - 1 : 0;
    bool outer = interval && n >= 2 && (tk.v[first].type == T_LPAREN || tk.v[first].type == T_LBRACK) &&
                 (tk.v[last].type == T_RPAREN || tk.v[last].type == T_RBRACK);
    /* groups: '(' or '[' for each open bracket, to know whether a space separates entries */
    char stack[LM_MAX_PARSE_DEPTH + 1];
    int depth = 0;
    bool prev_value = false;   /* the token before ends a value */
    bool prev_num = false;     /* ... and it was a plain number */
    bool prev_fn = false;      /* ... it was a function name (a call may follow) */
    int sqrt_pending = 0;      /* √ without '(': close after the next value token */
    uint32_t gap_from = 0;
    bool ok = true;
    for (size_t k = 0; k < n; k++) {
        const token *t = &tk.v[k];
        /* the text between tokens (spaces) is kept as it was */
        if (t->start > gap_from) rw_put(r, r->src + gap_from, t->start - gap_from, gap_from);
        gap_from = t->end;
        bool in_list = depth > 0 && stack[depth - 1] == '[';
        const char *as = NULL;
        ukind u = unicode_sym(r, t, &as);
        /* an implicit product between two values */
        if (prev_value && starts_value(r, t) && !(prev_num && (t->type == T_NUM || t->type == T_IMAG)) &&
            !(in_list && t->space_before)) {
            bool call = prev_fn && t->type == T_LPAREN;
            if (!call) rw_puts(r, "*", t->start);
        }
        bool value_end = false, num = false, fn = false;
        if (outer && (k == first || k == last)) {
            rw_puts(r, k == first ? "[" : "]", t->start);
            if (k == first) {
                if (depth < LM_MAX_PARSE_DEPTH) stack[depth++] = '[';
            } else {
                if (depth > 0) depth--;
                value_end = true;
            }
        } else if (u == U_PERCENT) {
            /* handled with the number before it; a bare % is a misplaced sign */
            r->hint = "a percent sign must come right after a number, as in 25%";
            r->hint_at = t->start;
            ok = false;
            break;
        } else if (u != U_NONE) {
            rw_puts(r, as, t->start);
            if (u == U_SQRT) {
                const token *nx = &tk.v[k + 1];
                if (nx->type != T_LPAREN) {
                    rw_puts(r, "(", t->start);
                    sqrt_pending = 2;
                }
            }
            value_end = u == U_POSTFIX || u == U_VALUE;
        } else if (t->type == T_NUM && k + 1 < n && tk.v[k + 1].type == T_ERROR && tk.v[k + 1].start == t->end &&
                   tok_is(r, &tk.v[k + 1], "%")) {
            if (!percent) {
                r->hint = "a percentage is not expected here: give the value as a plain number";
                r->hint_at = tk.v[k + 1].start;
                ok = false;
                break;
            }
            rw_puts(r, "(", t->start);
            rw_put(r, r->src + t->start, t->end - t->start, t->start);
            rw_puts(r, "/100)", tk.v[k + 1].start);
            gap_from = tk.v[k + 1].end;
            k++;
            value_end = true;
        } else if (t->type == T_IDENT) {
            char buf[64];
            const char *name = tok_text(r, t, buf);
            const char *alias = fn_alias(name);
            rw_puts(r, alias ? alias : name, t->start);
            if (t->end - t->start > 63) rw_put(r, r->src + t->start + 63, t->end - t->start - 63, t->start);
            value_end = true;
            fn = is_function_name(name);
        } else if (t->type == T_LBRACE || t->type == T_RBRACE) {
            rw_puts(r, t->type == T_LBRACE ? "[" : "]", t->start);
            if (t->type == T_LBRACE) {
                if (depth < LM_MAX_PARSE_DEPTH) stack[depth++] = '[';
            } else if (depth > 0) {
                depth--;
            }
            value_end = t->type == T_RBRACE;
        } else if (t->type == T_STAR && k + 1 < n && tk.v[k + 1].type == T_STAR && tk.v[k + 1].start == t->end) {
            rw_puts(r, "^", t->start);
            gap_from = tk.v[k + 1].end;
            k++;
        } else {
            rw_put(r, r->src + t->start, t->end - t->start, t->start);
            if (t->type == T_LPAREN || t->type == T_LBRACK) {
                if (depth < LM_MAX_PARSE_DEPTH) stack[depth++] = t->type == T_LPAREN ? '(' : '[';
            } else if ((t->type == T_RPAREN || t->type == T_RBRACK) && depth > 0) {
                depth--;
            }
            num = t->type == T_NUM;
            value_end = t->type == T_NUM || t->type == T_IMAG || t->type == T_RPAREN || t->type == T_QUOTE ||
                        t->type == T_DOTQUOTE;
        }
        if (sqrt_pending == 1) {
            /* √ took the value just written */
            rw_puts(r, ")", t->end);
            sqrt_pending = 0;
        } else if (sqrt_pending == 2) {
            sqrt_pending = 1;
        }
        prev_value = value_end;
        prev_num = num;
        prev_fn = fn;
    }
    if (ok && sqrt_pending) rw_puts(r, ")", (uint32_t)r->len);
    lm_free(tk.v);
    if (!r->out.s) lm_buf_puts(&r->out, "");
    /* the end of the input maps to the end of the learner's text */
    if (r->out.len + 1 > r->mapcap) r->map = lm_realloc(r->map, (r->mapcap = r->out.len + 1) * sizeof *r->map);
    r->map[r->out.len] = (uint32_t)r->len;
    return ok;
}

/* ---- reading an answer ---- */

/* Functions an answer may call: pure mathematics, cheap on answer-sized input.
 * (Files, plots, random numbers and anything slow are not answers.) */
static const char *const answer_functions[] = {
    "abs",   "acos",  "angle", "asin",  "atan",  "atan2", "ceil",    "conj",     "cos",  "cosh",  "cross",
    "det",   "diag",  "dot",   "exp",   "expm1", "eye",   "fix",     "float",    "floor", "gamma", "imag",
    "inv",   "log",   "log10", "log1p", "log2",  "max",   "mean",    "min",      "mod",  "norm",  "ones",
    "prod",  "real",  "relu",  "rem",   "round", "sign",  "sigmoid", "softplus", "sin",  "sinh",  "sqrt",
    "sum",   "tan",   "tanh",  "trace", "transpose", "zeros",
};

static bool answer_function(const char *name) {
    for (size_t i = 0; i < sizeof answer_functions / sizeof answer_functions[0]; i++)
        if (!strcmp(name, answer_functions[i])) return true;
    return false;
}

/* Why a parsed answer cannot be evaluated as an answer, or NULL. *at: where. */
static const char *refuse_node(const node *nd, uint32_t *at, lm_buf *why) {
    if (!nd) return NULL;
    *at = nd->start;
    switch (nd->type) {
    case N_STR:
        lm_buf_puts(why, "an answer is mathematics, not text in quotes");
        return why->s;
    case N_CALL: {
        const node *callee = nd->kids[0];
        if (callee->type != N_NAME) {
            lm_buf_puts(why, "this call cannot be part of an answer");
            return why->s;
        }
        if (!answer_function(callee->str)) {
            lm_buf_printf(why, "the function '%s' cannot be used in an answer", callee->str);
            return why->s;
        }
        if (!strcmp(callee->str, "eye") || !strcmp(callee->str, "zeros") || !strcmp(callee->str, "ones"))
            for (uint32_t i = 1; i < nd->nkids; i++)
                if (nd->kids[i]->type != N_NUM || nd->kids[i]->num > ANSWER_MAX_SHAPE_ARG) {
                    *at = nd->kids[i]->start;
                    lm_buf_printf(why, "write the size of %s as a number of at most %d", callee->str,
                                  ANSWER_MAX_SHAPE_ARG);
                    return why->s;
                }
        break;
    }
    case N_RANGE:
        for (uint32_t i = 0; i < nd->nkids; i++)
            if (nd->kids[i]->type != N_NUM && !(nd->kids[i]->type == N_UNOP && nd->kids[i]->kids[0]->type == N_NUM)) {
                *at = nd->kids[i]->start;
                lm_buf_puts(why, "a range in an answer must be written with numbers, as in 1:5");
                return why->s;
            }
        if (nd->nkids >= 2) {
            const node *a = nd->kids[0], *b = nd->kids[nd->nkids - 1];
            double lo = a->type == N_NUM ? a->num : -a->kids[0]->num, hi = b->type == N_NUM ? b->num : -b->kids[0]->num;
            if (fabs(hi - lo) > ANSWER_MAX_ENTRIES) {
                lm_buf_printf(why, "a range in an answer has at most %d entries", ANSWER_MAX_ENTRIES);
                return why->s;
            }
        }
        break;
    case N_STEPS:
        lm_buf_puts(why, "steps(...) cannot be part of an answer");
        return why->s;
    default: break;
    }
    for (uint32_t i = 0; i < nd->nkids; i++) {
        const char *w = refuse_node(nd->kids[i], at, why);
        if (w) return w;
    }
    return NULL;
}

/* The parser's messages name columns of the rewritten text ("the '(' at column
 * 5"): turn each into the column of the learner's own text. */
static void map_columns(const rewriter *r, const char *msg, lm_buf *out) {
    const char *p = msg;
    const char *hit;
    while ((hit = strstr(p, "column ")) != NULL) {
        hit += strlen("column ");
        lm_buf_put(out, p, (size_t)(hit - p));
        char *end = NULL;
        long col = strtol(hit, &end, 10);
        if (end == hit || col < 1) {
            p = hit;
            continue;
        }
        /* the rewritten text of an answer is one line: count characters */
        size_t off = 0;
        for (long c = 1; c < col && off < r->out.len; off++)
            if (((unsigned char)r->out.s[off + 1] & 0xC0) != 0x80) c++;
        int line = 1, ocol = (int)col;
        lm_src_locate(r->src, r->len, r->map[off <= r->out.len ? off : r->out.len], &line, &ocol);
        lm_buf_printf(out, "%d", ocol);
        p = end;
    }
    lm_buf_puts(out, p);
}

/* The unparsed verdict: the message, where, and the learner's line with a caret. */
static void unparsed_at(lm_verdict *v, const char *text, size_t len, uint32_t off, const char *what) {
    int line = 1, col = 1;
    if (off > len) off = (uint32_t)len;
    lm_src_locate(text, len, off, &line, &col);
    size_t ls = off, le = off;
    while (ls > 0 && text[ls - 1] != '\n') ls--;
    while (le < len && text[le] != '\n') le++;
    lm_buf b = LM_BUF_INIT;
    lm_buf_printf(&b, "Your answer could not be read: %s (", what);
    if (line > 1) lm_buf_printf(&b, "line %d, ", line);
    lm_buf_printf(&b, "column %d).\n    ", col);
    lm_buf_put(&b, text + ls, le - ls);
    lm_buf_puts(&b, "\n    ");
    for (int i = 1; i < col; i++) lm_buf_putc(&b, ' ');
    lm_buf_putc(&b, '^');
    verdict(v, LM_VERDICT_UNPARSED, NULL, "%s", lm_buf_cstr(&b));
    lm_buf_free(&b);
}

/* `0,5` for 0.5: a comma between digits outside any brackets. */
static bool decimal_comma(const char *text) {
    if (strpbrk(text, "[{(")) return false;
    for (const char *p = text; *p; p++)
        if (*p == ',' && p > text && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1])) return true;
    return false;
}

/* Reads text (a learner's answer when `learner`, else a trusted reference) in
 * session s. Returns the value (+1), or nil with *v set to an UNPARSED verdict
 * (learner) or with *why holding the reason (reference). */
static lm_value read_text(lm_session *s, const lm_answer_spec *spec, const char *text, bool learner, lm_verdict *v,
                          lm_buf *why) {
    size_t len = strlen(text);
    rewriter r = {text, len, LM_BUF_INIT, NULL, 0, NULL, 0};
    lm_value result = lm_nil();
    bool percent = spec->probability || !learner;
    if (!rewrite(&r, percent, spec->type == LM_ANS_INTERVAL)) {
        if (learner) unparsed_at(v, text, len, r.hint_at, r.hint);
        else lm_buf_puts(why, r.hint);
        goto out;
    }
    lm_value perr = lm_nil();
    lm_program *prog = lm_parse(r.out.s, r.out.len, "<answer>", &perr);
    if (!prog) {
        lm_error *e = lm_error_obj(perr);
        uint32_t at = e->has_span && e->start <= r.out.len ? r.map[e->start] : (uint32_t)len;
        lm_buf msg = LM_BUF_INIT;
        map_columns(&r, e->msg ? e->msg : "it does not parse", &msg);
        if (learner) unparsed_at(v, text, len, at, msg.s);
        else lm_buf_puts(why, msg.s);
        lm_buf_free(&msg);
        lm_release(perr);
        goto out;
    }
    const node *root = prog->root;
    if (root->nkids == 0) {
        if (learner) verdict(v, LM_VERDICT_UNPARSED, NULL, "Type your answer first: it is empty.");
        else lm_buf_puts(why, "the answer is empty");
        lm_program_release(prog);
        goto out;
    }
    if (root->nkids > 1 || root->kids[0]->type != N_EXPR_STMT) {
        uint32_t at = root->kids[root->nkids > 1 ? 1 : 0]->start;
        const char *msg = root->kids[0]->type == N_ASSIGN
                              ? "type only the answer itself, without a name and '='"
                              : decimal_comma(text) ? "write a decimal with a point, as in 0.5, not with a comma"
                                                    : "an answer is one expression, not a statement or several";
        if (learner) unparsed_at(v, text, len, r.map[at < r.out.len ? at : r.out.len], msg);
        else lm_buf_puts(why, msg);
        lm_program_release(prog);
        goto out;
    }
    if (learner) {
        lm_buf w = LM_BUF_INIT;
        uint32_t at = 0;
        const char *bad = refuse_node(root->kids[0], &at, &w);
        if (bad) unparsed_at(v, text, len, r.map[at < r.out.len ? at : r.out.len], bad);
        lm_buf_free(&w);
        if (bad) {
            lm_program_release(prog);
            goto out;
        }
    }
    lm_program_release(prog);
    lm_value val = lm_eval_value(s, r.out.s);
    if (lm_is_error(val)) {
        lm_error *e = lm_error_obj(val);
        if (learner) {
            if (e->kind == LM_ERR_LIMIT && e->msg && strstr(e->msg, "too many to print"))
                verdict(v, LM_VERDICT_UNPARSED, NULL, "Your answer is a matrix too large to be an answer.");
            else if (e->kind == LM_ERR_LIMIT)
                verdict(v, LM_VERDICT_UNPARSED, NULL, "Your answer took too long to work out (%s); type a simpler form.",
                        e->msg);
            else
                unparsed_at(v, text, len, e->has_span && e->start <= r.out.len ? r.map[e->start] : 0, e->msg);
        } else {
            lm_buf_printf(why, "%s", e->msg);
        }
        lm_release(val);
        goto out;
    }
    if (lm_is_nil(val)) {
        if (learner) verdict(v, LM_VERDICT_UNPARSED, NULL, "Your answer has no value: type a number, a matrix or an expression.");
        else lm_buf_puts(why, "it has no value");
        goto out;
    }
    result = val;
out:
    lm_buf_free(&r.out);
    lm_free(r.map);
    return result;
}

/* ---- answers as grids of expressions ---- */

/* Any answer value as rows×cols entries (row-major), each a symbolic node:
 * numbers are number nodes, so one comparison serves numbers and expressions. */
typedef struct grid {
    int64_t rows, cols;
    bool scalar; /* written as one value, not a matrix */
    lm_expr **e;
} grid;

static void grid_free(grid *g) {
    if (g->e)
        for (int64_t k = 0; k < g->rows * g->cols; k++) lm_expr_release(g->e[k]);
    lm_free(g->e);
    g->e = NULL;
}

/* False (and *what set) for values that are not mathematics, or too large. */
static bool grid_of(lm_ctx *ctx, lm_value v, grid *g, const char **what) {
    lm_err err = LM_ERR_INIT;
    memset(g, 0, sizeof *g);
    switch (v.kind) {
    case LM_NUM:
    case LM_BOOL:
    case LM_COMPLEX:
        g->rows = g->cols = 1;
        g->scalar = true;
        g->e = lm_calloc(1, sizeof *g->e);
        g->e[0] = lm_as_expr(ctx, v, &err);
        break;
    case LM_EXPR: {
        lm_expr *x = lm_expr_of(v);
        if (x->op == LM_X_MATRIX) {
            g->rows = x->u.rat.p;
            g->cols = x->u.rat.q;
            g->e = lm_calloc((size_t)(g->rows * g->cols) + 1, sizeof *g->e);
            for (int64_t k = 0; k < g->rows * g->cols; k++) g->e[k] = lm_expr_retain(x->args[k]);
        } else if (x->op == LM_X_REL) {
            *what = "an equation or a comparison";
            return false;
        } else {
            g->rows = g->cols = 1;
            g->scalar = true;
            g->e = lm_calloc(1, sizeof *g->e);
            g->e[0] = lm_expr_retain(x);
        }
        break;
    }
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->ndim > 2) {
            *what = "an array of more than two dimensions";
            return false;
        }
        if (t->size > ANSWER_MAX_ENTRIES) {
            *what = "a matrix too large to be an answer";
            return false;
        }
        g->rows = lm_tensor_rows(t);
        g->cols = lm_tensor_cols(t);
        g->e = lm_calloc((size_t)t->size + 1, sizeof *g->e);
        for (int64_t i = 0; i < g->rows; i++)
            for (int64_t j = 0; j < g->cols; j++) {
                int64_t k = i * g->cols + j;
                double re = lm_tensor_get2(t, i, j), im = lm_tensor_imag2(t, i, j);
                if (t->exact) g->e[k] = lm_sym_rat(ctx, t->exact[k].p, t->exact[k].q);
                else if (im != 0) {
                    lm_value c = lm_complex_new(re, im);
                    g->e[k] = lm_as_expr(ctx, c, &err);
                    lm_release(c);
                } else {
                    g->e[k] = lm_sym_number(ctx, re);
                }
            }
        break;
    }
    default:
        *what = lm_kind_a((lm_kind)v.kind);
        return false;
    }
    for (int64_t k = 0; k < g->rows * g->cols; k++)
        if (!g->e[k]) {
            lm_err_clear(&err);
            grid_free(g);
            *what = "a value lemma cannot compare";
            return false;
        }
    lm_err_clear(&err);
    return true;
}

static bool grid_is_vector(const grid *g) { return !g->scalar && (g->rows == 1 || g->cols == 1); }

static void shape_words(const grid *g, lm_buf *b) {
    if (g->scalar || (g->rows == 1 && g->cols == 1)) lm_buf_puts(b, "a single value");
    else if (g->rows == 1) lm_buf_printf(b, "a row vector with %lld entries", (long long)g->cols);
    else if (g->cols == 1) lm_buf_printf(b, "a column vector with %lld entries", (long long)g->rows);
    else lm_buf_printf(b, "a %lld\xc3\x97%lld matrix", (long long)g->rows, (long long)g->cols);
}

/* ---- comparing ---- */

typedef enum { SAME, DIFFERENT, UNDECIDED } cmp;

typedef struct judge {
    lm_ctx *ctx;
    const lm_answer_spec *spec;
    lm_answer_type type;
    double tol;          /* relative, numbers */
    double atol;         /* absolute, near 0 */
    const char *domain;
    /* where two expressions were seen to differ, for the feedback */
    char where[160];
} judge;

static bool is_zero_node(const lm_expr *e) {
    return (e->op == LM_X_RAT && e->u.rat.p == 0) || (e->op == LM_X_FLOAT && e->u.f == 0);
}

static bool num_value(const lm_expr *e, double *re, double *im) {
    if (!lm_sym_is_number(e)) return false;
    return lm_sym_to_complex(e, re, im) && !isnan(*re) && !isnan(*im);
}

static bool close_num(double a, double r, double tol, double atol) {
    if (a == r) return true;
    if (!isfinite(a) || !isfinite(r)) return false;
    double d = fabs(a - r);
    return d <= tol * fabs(r) || d <= atol;
}

/* The symbols of a and b together (borrowed nodes), sorted by name. */
static int union_symbols(const lm_expr *a, const lm_expr *b, const lm_expr ***out) {
    const lm_expr **sa = NULL, **sb = NULL;
    size_t na = lm_sym_symbols(a, &sa), nb = lm_sym_symbols(b, &sb);
    const lm_expr **u = lm_alloc((na + nb + 1) * sizeof *u);
    size_t i = 0, j = 0, n = 0;
    while (i < na || j < nb) {
        int c = i >= na ? 1 : j >= nb ? -1 : strcmp(sa[i]->u.name, sb[j]->u.name);
        if (c < 0) u[n++] = sa[i++];
        else if (c > 0) u[n++] = sb[j++];
        else {
            u[n++] = sa[i++];
            j++;
        }
    }
    lm_free(sa);
    lm_free(sb);
    *out = u;
    return (int)n;
}

static double sample_coord(lm_rng *rng, const char *domain) {
    if (domain && !strcmp(domain, "unit")) return 0.02 + 0.96 * lm_rng_uniform(rng);
    /* magnitudes from 0.1 to 4 on a log scale: away from 0, where forms like
     * x/x are undefined, and small enough that no term overflows */
    double m = exp(log(0.1) + (log(4.0) - log(0.1)) * lm_rng_uniform(rng));
    if (domain && !strcmp(domain, "positive")) return m;
    return lm_rng_uniform(rng) < 0.5 ? -m : m;
}

/* Expressions a (answer) and r (reference): equal after simplification, or at
 * enough random points. */
static cmp expr_cmp(judge *J, lm_expr *a, lm_expr *r) {
    lm_err err = LM_ERR_INIT;
    cmp result = UNDECIDED;
    const lm_expr **vars = NULL;
    lm_sym_prog *pa = NULL, *pr = NULL;
    lm_expr *d = lm_sym_sub(J->ctx, a, r, &err);
    if (d && is_zero_node(d)) result = SAME;
    int nv = union_symbols(a, r, &vars);
    bool positive = J->domain && (!strcmp(J->domain, "positive") || !strcmp(J->domain, "unit"));
    if (result == UNDECIDED && d && lm_sym_size(d) <= SIMPLIFY_MAX_SIZE) {
        const char **names = lm_alloc(((size_t)nv + 1) * sizeof *names);
        for (int i = 0; i < nv; i++) names[i] = vars[i]->u.name;
        lm_expr *s = lm_sym_simplify(J->ctx, d, positive ? nv : 0, names, &err);
        if (s && is_zero_node(s)) result = SAME;
        lm_expr_release(s);
        lm_free(names);
        lm_err_clear(&err);
    }
    lm_expr_release(d);
    lm_err_clear(&err);
    if (result != UNDECIDED) goto out;
    pa = lm_sym_compile(a, (lm_expr *const *)vars, nv, &err);
    lm_err_clear(&err);
    pr = lm_sym_compile(r, (lm_expr *const *)vars, nv, &err);
    lm_err_clear(&err);
    if (!pa || !pr) goto out;
    lm_rng rng;
    lm_rng_seed(&rng, SAMPLER_SEED);
    double pt[16], scale = 0;
    int valid = 0;
    if (nv > 16) goto out;
    for (int tries = 0; tries < EXPR_TRIES && valid < EXPR_POINTS; tries++) {
        for (int i = 0; i < nv; i++) pt[i] = sample_coord(&rng, J->domain);
        double rv = 0, av = 0;
        lm_sym_prog_eval(pr, pt, &rv);
        if (!isfinite(rv)) continue; /* the reference is undefined there: another point */
        lm_sym_prog_eval(pa, pt, &av);
        valid++;
        if (fabs(rv) > scale) scale = fabs(rv);
        double d2 = fabs(av - rv);
        if (!isfinite(av) || (d2 > EXPR_RTOL * fmax(fabs(rv), fabs(av)) && d2 > EXPR_ATOL)) {
            lm_buf w = LM_BUF_INIT;
            for (int i = 0; i < nv; i++) {
                char num[40];
                lm_fmt_double_sig(num, pt[i], 3);
                lm_buf_printf(&w, "%s%s = %s", i ? ", " : "", vars[i]->u.name, num);
            }
            snprintf(J->where, sizeof J->where, "%s", lm_buf_cstr(&w));
            lm_buf_free(&w);
            result = DIFFERENT;
            goto out;
        }
    }
    result = valid >= EXPR_MIN_POINTS ? SAME : UNDECIDED;
out:
    lm_sym_prog_free(pa);
    lm_sym_prog_free(pr);
    lm_free(vars);
    return result;
}

static cmp entry_cmp(judge *J, lm_expr *a, lm_expr *r, double tol) {
    if (a == r) return SAME;
    double ar, ai, rr, ri;
    bool an = num_value(a, &ar, &ai), rn = num_value(r, &rr, &ri);
    if (an && rn) {
        if (ai == 0 && ri == 0) return close_num(ar, rr, tol, J->atol) ? SAME : DIFFERENT;
        double d = hypot(ar - rr, ai - ri);
        return d <= tol * hypot(rr, ri) || d <= J->atol ? SAME : DIFFERENT;
    }
    if (rn && lm_sym_is_number(a)) return DIFFERENT; /* a is a number that is not finite or real */
    return expr_cmp(J, a, r);
}

/* Entry by entry; shapes already agree in count. UNDECIDED when any entry is. */
static cmp grid_cmp(judge *J, const grid *a, const grid *r, bool transpose_a, double tol, int64_t *first_bad,
                    int *nbad) {
    cmp all = SAME;
    int bad = 0;
    int64_t n = r->rows * r->cols;
    for (int64_t k = 0; k < n; k++) {
        int64_t ka = k;
        if (transpose_a) ka = (k % r->cols) * r->rows + k / r->cols;
        cmp c = entry_cmp(J, a->e[ka], r->e[k], tol);
        if (c == DIFFERENT) {
            if (bad++ == 0 && first_bad) *first_bad = k;
            all = DIFFERENT;
            if (!first_bad) break;
        } else if (c == UNDECIDED && all == SAME) {
            all = UNDECIDED;
        }
    }
    if (nbad) *nbad = bad;
    return all;
}

/* Do the two grids hold the same values in a comparable shape? (Used for
 * misconceptions: vectors compare in either orientation unless strict.) */
static cmp grids_equivalent(judge *J, const grid *a, const grid *r, double tol) {
    if (a->rows == r->rows && a->cols == r->cols) return grid_cmp(J, a, r, false, tol, NULL, NULL);
    bool vec_ok = J->type != LM_ANS_MATRIX && !J->spec->strict_shape && a->rows * a->cols == r->rows * r->cols &&
                  (a->rows == 1 || a->cols == 1) && (r->rows == 1 || r->cols == 1);
    if (vec_ok) return grid_cmp(J, a, r, false, tol, NULL, NULL);
    return DIFFERENT;
}

/* ---- misconceptions ---- */

typedef enum { X_NEG, X_TRANSPOSE, X_RECIP, X_PERCENT, X_TWICE, X_HALF, X_SQUARE } xform;

/* The reference transformed by a usual mistake, or false where it does not
 * apply or would not differ from the reference. */
static bool transform(judge *J, const grid *r, xform x, grid *out) {
    lm_err err = LM_ERR_INIT;
    int64_t n = r->rows * r->cols;
    bool scalar = n == 1;
    if ((x == X_RECIP || x == X_SQUARE || x == X_PERCENT) && !scalar) return false;
    if (x == X_TRANSPOSE && (scalar || r->rows == 1 || r->cols == 1)) return false;
    double v = 0, im = 0;
    bool isnum = scalar && num_value(r->e[0], &v, &im) && im == 0;
    if (x == X_PERCENT && !(isnum && v > 0 && v <= 1)) return false;
    if (x == X_RECIP && isnum && (v == 0 || fabs(v) == 1)) return false;
    /* a square is named only for numbers: sd against variance is about values */
    if (x == X_SQUARE && !(isnum && v > 0 && v != 1)) return false;
    *out = *r;
    out->e = lm_calloc((size_t)n + 1, sizeof *out->e);
    if (x == X_TRANSPOSE) {
        out->rows = r->cols;
        out->cols = r->rows;
    }
    lm_expr *two = lm_sym_int(J->ctx, 2), *half = lm_sym_rat(J->ctx, 1, 2), *hundred = lm_sym_int(J->ctx, 100);
    bool all_zero = true;
    for (int64_t k = 0; k < n; k++) {
        lm_expr *e = r->e[k];
        if (!is_zero_node(e)) all_zero = false;
        switch (x) {
        case X_NEG: out->e[k] = lm_sym_neg(J->ctx, e, &err); break;
        case X_TRANSPOSE: out->e[(k % r->cols) * r->rows + k / r->cols] = lm_expr_retain(e); break;
        case X_RECIP: {
            lm_expr *one = lm_sym_int(J->ctx, 1);
            out->e[k] = lm_sym_div(J->ctx, one, e, &err);
            lm_expr_release(one);
            break;
        }
        case X_PERCENT: out->e[k] = lm_sym_mul(J->ctx, hundred, e, &err); break;
        case X_TWICE: out->e[k] = lm_sym_mul(J->ctx, two, e, &err); break;
        case X_HALF: out->e[k] = lm_sym_mul(J->ctx, half, e, &err); break;
        case X_SQUARE: out->e[k] = lm_sym_pow(J->ctx, e, two, &err); break;
        }
    }
    lm_expr_release(two);
    lm_expr_release(half);
    lm_expr_release(hundred);
    lm_err_clear(&err);
    bool ok = !all_zero;
    for (int64_t k = 0; k < n; k++)
        if (!out->e[k]) ok = false;
    if (ok && x == X_TRANSPOSE) {
        /* a symmetric matrix is its own transpose: nothing to name */
        bool same = out->rows == r->rows;
        for (int64_t k = 0; same && k < n; k++) same = out->e[k] == r->e[k];
        if (same) ok = false;
    }
    if (!ok) grid_free(out);
    return ok;
}

/* Names the mistake behind a wrong answer, if a known one explains it. */
static void name_misconception(judge *J, const grid *a, const grid *r, lm_verdict *v) {
    static const struct {
        xform x;
        const char *id, *feedback;
    } generic[] = {
        {X_NEG, "sign-error", "Check the sign: your answer is the negative of the right one."},
        {X_TRANSPOSE, "transposed",
         "Your matrix is the transpose of the right one: its rows and columns are swapped. Check the order of a "
         "product (A*B is not B*A) and which index is the row."},
        {X_RECIP, "reciprocal",
         "Your answer is the reciprocal of the right one (1 divided by it): check which quantity goes on top of the "
         "fraction."},
        {X_PERCENT, "percent-for-probability",
         "Your answer is 100 times the right one: it looks like a percentage. Give it as a number between 0 and 1 "
         "(0.25 rather than 25)."},
        {X_TWICE, "factor-of-2", "Your answer is twice the right one: look for a factor of 2 that should not be there."},
        {X_HALF, "factor-of-2", "Your answer is half the right one: a factor of 2 is missing."},
        {X_SQUARE, "variance-for-sd",
         "Your answer is the square of the right one: did you give a variance where a standard deviation was asked? "
         "Take the square root."},
    };
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        grid t;
        if (!transform(J, r, generic[i].x, &t)) continue;
        cmp c = grids_equivalent(J, a, &t, fmax(J->tol, 1e-9));
        grid_free(&t);
        if (c == SAME) {
            const char *fb = generic[i].feedback;
            if (generic[i].x == X_PERCENT && J->spec->probability)
                fb = "A probability is a number between 0 and 1: it looks like you gave a percentage. Write 0.25 "
                     "or 25% rather than 25.";
            verdict(v, LM_VERDICT_WRONG, generic[i].id, "%s", fb);
            return;
        }
    }
}

/* ---- judging by type ---- */

static void entry_words(const grid *r, int64_t k, bool vector, lm_buf *b) {
    if (vector) lm_buf_printf(b, "entry %lld", (long long)(k + 1));
    else lm_buf_printf(b, "the entry in row %lld, column %lld", (long long)(k / r->cols + 1), (long long)(k % r->cols + 1));
}

/* Vectors, matrices, numbers and expressions: one grid against another. */
static void judge_grid(judge *J, const grid *a, const grid *r, lm_verdict *v) {
    bool want_vector = J->type == LM_ANS_VECTOR || (J->type != LM_ANS_MATRIX && grid_is_vector(r));
    bool strict = J->type == LM_ANS_MATRIX || J->spec->strict_shape;
    int64_t na = a->rows * a->cols, nr = r->rows * r->cols;
    bool same_shape = a->rows == r->rows && a->cols == r->cols;
    bool flat_ok = !strict && want_vector && na == nr && (a->rows == 1 || a->cols == 1);
    if (!same_shape && !flat_ok) {
        lm_buf b = LM_BUF_INIT;
        lm_buf_puts(&b, "Your answer is ");
        shape_words(a, &b);
        lm_buf_puts(&b, ", but the answer is ");
        shape_words(r, &b);
        if (want_vector && na == nr) lm_buf_puts(&b, " (a column is written with ';' between entries: [1; 2])");
        lm_buf_putc(&b, '.');
        verdict(v, LM_VERDICT_WRONG, NULL, "%s", b.s);
        lm_buf_free(&b);
        if (a->rows == r->cols && a->cols == r->rows && !want_vector) {
            /* the transposed matrix is still worth naming */
            name_misconception(J, a, r, v);
        }
        return;
    }
    double tol = J->tol;
    int64_t first = -1;
    int nbad = 0;
    J->where[0] = '\0';
    cmp c = grid_cmp(J, a, r, false, tol, &first, &nbad);
    if (c == SAME) {
        verdict(v, LM_VERDICT_CORRECT, NULL, "Correct.");
        return;
    }
    if (c == UNDECIDED) {
        verdict(v, LM_VERDICT_WRONG, NULL,
                "lemma could not decide whether your answer is equivalent: it could not simplify the difference to 0 "
                "and found too few points where both can be computed. Try writing it in a simpler form.");
        return;
    }
    lm_buf b = LM_BUF_INIT;
    if (nr == 1) {
        double av, ai, rv, ri;
        bool nums = num_value(a->e[0], &av, &ai) && num_value(r->e[0], &rv, &ri) && ai == 0 && ri == 0;
        if (nums && J->type == LM_ANS_FRACTION && close_num(av, rv, 1e-2, J->atol)) {
            verdict(v, LM_VERDICT_WRONG, NULL,
                    "Close, but this question asks for the exact value: write it as a fraction (like 2/3) rather than "
                    "a rounded decimal.");
            goto named;
        }
        if (nums && close_num(av, rv, 1e-2, J->atol)) {
            verdict(v, LM_VERDICT_WRONG, NULL,
                    "Close, but not accurate enough: give more digits (the answer is checked to a relative accuracy "
                    "of %g) or the exact value.",
                    tol);
            goto named;
        }
        if (nums && !isfinite(av)) {
            lm_buf_puts(&b, "Your answer is not a finite number: does it divide by zero?");
        } else if (!lm_sym_is_number(r->e[0]) || !lm_sym_is_number(a->e[0])) {
            if (J->where[0]) lm_buf_printf(&b, "Your expression is not equal to the right one: for example, they differ at %s.", J->where);
            else lm_buf_puts(&b, "Your expression is not equal to the right one.");
        } else {
            lm_buf_puts(&b, "That is not the right value.");
        }
    } else {
        lm_buf_puts(&b, "Not quite: ");
        entry_words(r, first, want_vector, &b);
        /* "entry 1 and 1 other are": two entries, a plural verb */
        if (nbad > 1) lm_buf_printf(&b, " and %d other%s are", nbad - 1, nbad > 2 ? "s" : "");
        else lm_buf_puts(&b, " is");
        lm_buf_puts(&b, " not right.");
    }
    verdict(v, LM_VERDICT_WRONG, NULL, "%s", b.s);
named:
    lm_buf_free(&b);
    name_misconception(J, a, r, v);
}

/* The learner's answer names symbols the problem does not have: say so rather
 * than "not equal", since `xy` for `x*y` is a spelling problem. */
static bool foreign_symbols(judge *J, const grid *a, const grid *r, lm_verdict *v) {
    const char *vars = J->spec->vars;
    for (int64_t k = 0; k < a->rows * a->cols; k++) {
        const lm_expr **sa = NULL;
        size_t na = lm_sym_symbols(a->e[k], &sa);
        for (size_t i = 0; i < na; i++) {
            const char *name = sa[i]->u.name;
            bool known = false;
            for (int64_t m = 0; m < r->rows * r->cols && !known; m++) {
                const lm_expr **sr = NULL;
                size_t nr = lm_sym_symbols(r->e[m], &sr);
                for (size_t j = 0; j < nr && !known; j++) known = !strcmp(sr[j]->u.name, name);
                lm_free(sr);
            }
            if (!known && vars) {
                size_t ln = strlen(name);
                for (const char *p = vars; *p && !known; p++)
                    if (!strncmp(p, name, ln) && (p == vars || p[-1] == ',' || p[-1] == ' ') &&
                        (p[ln] == '\0' || p[ln] == ',' || p[ln] == ' '))
                        known = true;
            }
            if (!known) {
                bool expr = J->type == LM_ANS_EXPRESSION;
                if (!expr)
                    verdict(v, LM_VERDICT_WRONG, NULL,
                            "Your answer still contains '%s', but the answer is a number: work it out to a value.", name);
                else if (strlen(name) > 1)
                    verdict(v, LM_VERDICT_WRONG, NULL,
                            "Your answer uses '%s', which is not a variable of this problem (to multiply, write a * "
                            "between the letters).",
                            name);
                else
                    verdict(v, LM_VERDICT_WRONG, NULL, "Your answer uses '%s', which is not a variable of this problem.",
                            name);
                lm_free(sa);
                return true;
            }
        }
        lm_free(sa);
    }
    return false;
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

/* Real numbers of a grid, sorted, duplicates (within tol) dropped; false when
 * an entry is not a real number. */
static bool set_values(judge *J, const grid *g, double **out, int64_t *n) {
    int64_t m = g->rows * g->cols;
    double *x = lm_alloc(((size_t)m + 1) * sizeof *x);
    for (int64_t k = 0; k < m; k++) {
        double im;
        if (!num_value(g->e[k], &x[k], &im) || im != 0) {
            lm_free(x);
            return false;
        }
    }
    qsort(x, (size_t)m, sizeof *x, cmp_double);
    int64_t w = 0;
    for (int64_t k = 0; k < m; k++)
        if (w == 0 || !close_num(x[k], x[w - 1], J->tol, J->atol)) x[w++] = x[k];
    *out = x;
    *n = w;
    return true;
}

static void judge_set(judge *J, const grid *a, const grid *r, lm_verdict *v) {
    double *av = NULL, *rv = NULL;
    int64_t na = 0, nr = 0;
    if (!set_values(J, r, &rv, &nr)) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "This problem's reference set is not a set of numbers, so your answer was not graded.");
        lm_free(rv);
        return;
    }
    if (a->rows > 1 && a->cols > 1) {
        verdict(v, LM_VERDICT_WRONG, NULL, "Write a set as a list of numbers, as in {1, 2, 3}, not as a matrix.");
        lm_free(rv);
        return;
    }
    if (!set_values(J, a, &av, &na)) {
        verdict(v, LM_VERDICT_WRONG, NULL, "Write a set as a list of numbers, as in {1, 2, 3}.");
        lm_free(rv);
        return;
    }
    int64_t missing = 0, extra = 0;
    double extra_value = 0;
    for (int64_t i = 0; i < nr; i++) {
        bool found = false;
        for (int64_t j = 0; j < na && !found; j++) found = close_num(av[j], rv[i], J->tol, J->atol);
        if (!found) missing++;
    }
    for (int64_t j = 0; j < na; j++) {
        bool found = false;
        for (int64_t i = 0; i < nr && !found; i++) found = close_num(av[j], rv[i], J->tol, J->atol);
        if (!found && extra++ == 0) extra_value = av[j];
    }
    if (!missing && !extra) verdict(v, LM_VERDICT_CORRECT, NULL, "Correct.");
    else if (extra) {
        char num[40];
        lm_fmt_double_sig(num, extra_value, 6);
        verdict(v, LM_VERDICT_WRONG, NULL, "%s does not belong in the set%s.", num,
                missing ? ", and some values are missing" : "");
    } else {
        verdict(v, LM_VERDICT_WRONG, NULL, "Your set is missing %lld value%s.", (long long)missing, missing > 1 ? "s" : "");
    }
    lm_free(av);
    lm_free(rv);
}

static void judge_interval(judge *J, const grid *a, const grid *r, lm_verdict *v) {
    if (r->rows * r->cols != 2) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "This problem's reference interval is not two numbers, so your answer was not graded.");
        return;
    }
    if (a->rows * a->cols != 2 || (a->rows != 1 && a->cols != 1)) {
        verdict(v, LM_VERDICT_WRONG, NULL, "Write an interval as its two ends, lower first: [lo, hi].");
        return;
    }
    cmp lo = entry_cmp(J, a->e[0], r->e[0], J->tol), hi = entry_cmp(J, a->e[1], r->e[1], J->tol);
    if (lo == SAME && hi == SAME) {
        verdict(v, LM_VERDICT_CORRECT, NULL, "Correct.");
        return;
    }
    if (entry_cmp(J, a->e[0], r->e[1], J->tol) == SAME && entry_cmp(J, a->e[1], r->e[0], J->tol) == SAME) {
        verdict(v, LM_VERDICT_WRONG, "swapped-ends", "Write the lower end of the interval first: [lo, hi].");
        return;
    }
    if (lo != SAME && hi != SAME) verdict(v, LM_VERDICT_WRONG, NULL, "Neither end of the interval is right.");
    else verdict(v, LM_VERDICT_WRONG, NULL, "The %s end of the interval is not right.", lo != SAME ? "lower" : "upper");
    name_misconception(J, a, r, v);
}

static void judge_setup(judge *J, lm_ctx *ctx, const lm_answer_spec *spec) {
    memset(J, 0, sizeof *J);
    J->ctx = ctx;
    J->spec = spec;
    J->type = spec->type;
    J->tol = spec->tol > 0 ? spec->tol : spec->type == LM_ANS_FRACTION ? FRACTION_TOL : DEFAULT_TOL;
    J->atol = (spec->tol > 0 ? spec->tol : DEFAULT_TOL) * 1e-3;
    J->domain = spec->domain;
}

/* a and r are values in J->ctx. */
static void judge_values(judge *J, lm_value av, lm_value rv, lm_verdict *v) {
    grid a, r;
    const char *what = NULL;
    if (!grid_of(J->ctx, rv, &r, &what)) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "This problem's reference answer is %s, which the checker cannot compare, so your answer was not graded.", what);
        return;
    }
    if (!grid_of(J->ctx, av, &a, &what)) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "Your answer is %s: type a %s.", what,
                J->type == LM_ANS_EXPRESSION ? "mathematical expression" : lm_answer_type_name(J->type));
        grid_free(&r);
        return;
    }
    if (J->type == LM_ANS_SET) judge_set(J, &a, &r, v);
    else if (J->type == LM_ANS_INTERVAL) judge_interval(J, &a, &r, v);
    else judge_grid(J, &a, &r, v);
    /* a name the problem does not have explains a wrong answer better than
     * "not equal" (`xy` for x*y); an answer equal anyway (sin(x)^2 + cos(x)^2
     * for 1) stays right */
    if (v->kind == LM_VERDICT_WRONG && !v->misconception) foreign_symbols(J, &a, &r, v);
    grid_free(&a);
    grid_free(&r);
}

void lm_check_values(lm_ctx *ctx, const lm_answer_spec *spec, lm_value answer, lm_value reference, lm_verdict *out) {
    memset(out, 0, sizeof *out);
    judge J;
    judge_setup(&J, ctx, spec);
    judge_values(&J, answer, reference, out);
}

bool lm_answer_type_of(lm_value ref, lm_answer_type *out) {
    switch (ref.kind) {
    case LM_NUM:
    case LM_BOOL:
    case LM_COMPLEX: *out = LM_ANS_NUMBER; return true;
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(ref);
        if (t->ndim > 2) return false;
        *out = t->size == 1 ? LM_ANS_NUMBER : lm_tensor_rows(t) == 1 || lm_tensor_cols(t) == 1 ? LM_ANS_VECTOR : LM_ANS_MATRIX;
        return true;
    }
    case LM_EXPR: {
        lm_expr *e = lm_expr_of(ref);
        if (e->op == LM_X_REL) return false;
        if (e->op == LM_X_MATRIX) *out = e->u.rat.p == 1 || e->u.rat.q == 1 ? LM_ANS_VECTOR : LM_ANS_MATRIX;
        else *out = lm_sym_is_number(e) ? LM_ANS_NUMBER : LM_ANS_EXPRESSION;
        return true;
    }
    default: return false;
    }
}

bool lm_answer_type_infer(const char *reference, lm_answer_type *out) {
    if (!reference || strlen(reference) > LM_ANSWER_MAX_BYTES) return false;
    lm_session *s = lm_session_new();
    lm_session_set_sandbox(s, true); /* an answer never touches files, even when a server checks it */
    lm_session_set_limits(s, ANSWER_MAX_STEPS, ANSWER_SECONDS);
    lm_answer_spec spec = {0};
    spec.type = LM_ANS_EXPRESSION;
    lm_buf why = LM_BUF_INIT;
    lm_verdict unused = {0};
    lm_value v = read_text(s, &spec, reference, false, &unused, &why);
    bool ok = !lm_is_nil(v) && lm_answer_type_of(v, out);
    lm_release(v);
    lm_buf_free(&why);
    lm_session_free(s);
    return ok;
}

/* ---- multiple choice ---- */

/* "b", "B", "(b)", "b)", "b." as the option's index, or -1. */
static int choice_letter(const char *s, int nchoices) {
    while (isspace((unsigned char)*s)) s++;
    const char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) e--;
    if (e - s >= 2 && *s == '(' && e[-1] == ')') s++, e--;
    else if (e - s >= 2 && (e[-1] == ')' || e[-1] == '.')) e--;
    if (e - s != 1 || !isalpha((unsigned char)*s)) return -1;
    int k = tolower((unsigned char)*s) - 'a';
    return k >= 0 && k < nchoices ? k : -1;
}

static bool same_text(const char *a, const char *b) {
    while (isspace((unsigned char)*a)) a++;
    while (isspace((unsigned char)*b)) b++;
    size_t la = strlen(a), lb = strlen(b);
    while (la && isspace((unsigned char)a[la - 1])) la--;
    while (lb && isspace((unsigned char)b[lb - 1])) lb--;
    if (la != lb) return false;
    for (size_t i = 0; i < la; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
    return true;
}

static void judge_choice(const lm_answer_spec *spec, const char *answer, lm_verdict *v) {
    int n = spec->nchoices < LM_MAX_CHOICES ? spec->nchoices : LM_MAX_CHOICES;
    int right = spec->answer ? choice_letter(spec->answer, n) : -1;
    if (right < 0 && spec->answer)
        for (int i = 0; i < n; i++)
            if (spec->choices[i] && same_text(spec->answer, spec->choices[i])) right = i;
    if (right < 0) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "This problem's right choice is not one of its options, so your answer was not graded.");
        return;
    }
    int k = choice_letter(answer, n);
    for (int i = 0; i < n && k < 0; i++)
        if (spec->choices[i] && same_text(answer, spec->choices[i])) k = i;
    if (k < 0) {
        verdict(v, LM_VERDICT_UNPARSED, NULL, "Answer with the letter of one option, a to %c (or copy its text).", 'a' + n - 1);
        return;
    }
    if (k == right) {
        verdict(v, LM_VERDICT_CORRECT, NULL, "Correct.");
        return;
    }
    verdict(v, LM_VERDICT_WRONG, NULL, "That is not the right choice.");
    for (int i = 0; i < spec->nmis && i < LM_MAX_MISCONCEPTIONS; i++) {
        const lm_misconception *m = &spec->mis[i];
        if (m->answer && (choice_letter(m->answer, n) == k || (spec->choices[k] && same_text(m->answer, spec->choices[k])))) {
            verdict(v, LM_VERDICT_WRONG, m->id, "%s", m->feedback ? m->feedback : "That is a common mistake.");
            return;
        }
    }
}

/* ---- the checker ---- */

/* The problem's own list of wrong answers, before the generic detectors. */
static bool problem_misconception(judge *J, lm_session *s, lm_value av, lm_verdict *v) {
    grid a;
    const char *what = NULL;
    if (!grid_of(J->ctx, av, &a, &what)) return false;
    bool found = false;
    for (int i = 0; i < J->spec->nmis && i < LM_MAX_MISCONCEPTIONS && !found; i++) {
        const lm_misconception *m = &J->spec->mis[i];
        if (!m->answer) continue;
        lm_buf why = LM_BUF_INIT;
        lm_value mv = read_text(s, J->spec, m->answer, false, v, &why);
        lm_buf_free(&why);
        grid g;
        if (!lm_is_nil(mv) && grid_of(J->ctx, mv, &g, &what)) {
            cmp c;
            if (J->type == LM_ANS_SET || J->type == LM_ANS_INTERVAL) {
                lm_verdict tmp = {0};
                judge_values(J, av, mv, &tmp);
                c = tmp.kind == LM_VERDICT_CORRECT ? SAME : DIFFERENT;
                lm_verdict_free(&tmp);
            } else {
                c = grids_equivalent(J, &a, &g, J->tol);
            }
            if (c == SAME) {
                verdict(v, LM_VERDICT_WRONG, m->id, "%s", m->feedback ? m->feedback : "That is a common mistake.");
                found = true;
            }
            grid_free(&g);
        }
        lm_release(mv);
    }
    grid_free(&a);
    return found;
}

void lm_check_answer(const lm_answer_spec *spec, const char *answer, lm_verdict *out) {
    memset(out, 0, sizeof *out);
    if (!answer) answer = "";
    size_t len = strnlen(answer, LM_ANSWER_MAX_BYTES + 1);
    if (len > LM_ANSWER_MAX_BYTES) {
        verdict(out, LM_VERDICT_UNPARSED, NULL, "Your answer is too long to check (more than %d characters): type it more briefly.",
                LM_ANSWER_MAX_BYTES);
        return;
    }
    const char *p = answer;
    while (isspace((unsigned char)*p)) p++;
    if (!*p) {
        verdict(out, LM_VERDICT_UNPARSED, NULL, "Type your answer first: it is empty.");
        return;
    }
    if (spec->type == LM_ANS_CHOICE) {
        judge_choice(spec, answer, out);
        return;
    }
    if (!spec->answer) {
        verdict(out, LM_VERDICT_UNPARSED, NULL, "This problem has no reference answer, so your answer was not graded.");
        return;
    }
    lm_session *s = lm_session_new();
    lm_session_set_sandbox(s, true); /* an answer never touches files, even when a server checks it */
    lm_session_set_limits(s, ANSWER_MAX_STEPS, ANSWER_SECONDS);
    judge J;
    judge_setup(&J, lm_session_ctx(s), spec);
    lm_buf why = LM_BUF_INIT;
    lm_value rv = read_text(s, spec, spec->answer, false, out, &why), av = lm_nil();
    if (lm_is_nil(rv)) {
        verdict(out, LM_VERDICT_UNPARSED, NULL,
                "This problem's reference answer could not be read (%s), so your answer was not graded.", lm_buf_cstr(&why));
        goto done;
    }
    av = read_text(s, spec, answer, true, out, &why);
    if (lm_is_nil(av)) goto done; /* out holds the syntax hint */
    /* simplification across the judgement shares one time budget */
    lm_session_ctx(s)->deadline = lm_now() + JUDGE_SECONDS;
    judge_values(&J, av, rv, out);
    if (out->kind == LM_VERDICT_WRONG && spec->nmis > 0) {
        const char *generic = out->misconception;
        char *fb = out->feedback;
        out->feedback = NULL;
        if (!problem_misconception(&J, s, av, out)) {
            lm_free(out->feedback);
            out->kind = LM_VERDICT_WRONG;
            out->feedback = fb;
            out->misconception = generic;
        } else {
            lm_free(fb);
        }
    }
done:
    lm_release(av);
    lm_release(rv);
    lm_buf_free(&why);
    lm_session_free(s);
}
