/* The quick reference's engine (ref.h): runs a formula's check program in a
 * fresh session and lays the result out for the terminal. The formulas
 * themselves are in ref_formulas.c. */
#include "learn/ref_int.h"
#include "lemma/lang.h"
#include "lemma/lesson.h"
#include "lemma/tensor.h"

#include <math.h>
#include <string.h>

const lm_ref_topic *lm_ref_topics(size_t *n) {
    size_t k = 0;
    while (lm_ref_topic_table[k].id) k++;
    *n = k;
    return lm_ref_topic_table;
}

const lm_ref_formula *lm_ref_formulas(size_t *n) {
    size_t k = 0;
    while (lm_ref_formula_table[k].id) k++;
    *n = k;
    return lm_ref_formula_table;
}

const lm_ref_topic *lm_ref_topic_match(const char *s) {
    if (!s || !*s) return NULL;
    const lm_ref_topic *found = NULL;
    size_t len = strlen(s);
    for (const lm_ref_topic *t = lm_ref_topic_table; t->id; t++) {
        if (!strcmp(t->id, s)) return t;
        if (!strncmp(t->id, s, len)) {
            if (found) return NULL; /* ambiguous prefix */
            found = t;
        }
    }
    return found;
}

/* splitmix64's finaliser over the run seed and the formula's id (FNV-1a), cut
 * to 31 bits so that the number stays easy to read and exact as a double. */
uint64_t lm_ref_formula_seed(uint64_t seed, const lm_ref_formula *f) {
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = f->id; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    uint64_t z = seed ^ h;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z & 0x7fffffffULL;
}

/* The first error of the program, as the REPL would print it. */
typedef struct first_error {
    lm_session *s;
    char *text;
} first_error;

static void keep_first_error(void *ud, const lm_output *o) {
    first_error *fe = ud;
    if (o->kind != LM_OUT_ERROR || fe->text) return;
    lm_buf b = LM_BUF_INIT;
    lm_error_text(o, &b);
    fe->text = lm_buf_steal(&b);
}

static bool read_number(lm_session *s, const char *name, double *out) {
    lm_value v = lm_eval_value(s, name);
    bool ok = true;
    if (v.kind == LM_NUM) *out = v.u.num;
    else if (v.kind == LM_BOOL) *out = v.u.b ? 1 : 0;
    else if (v.kind == LM_TENSOR && lm_tensor_of(v)->size == 1 && !lm_tensor_of(v)->imag)
        *out = lm_tensor_of(v)->data[0];
    else ok = false;
    lm_release(v);
    return ok;
}

/* A string variable's text, or NULL when it is missing or not a string. */
static char *read_string(lm_session *s, const char *name) {
    lm_value v = lm_eval_value(s, name);
    char *out = v.kind == LM_STRING ? lm_strndup(lm_string_data(v), lm_string_len(v)) : NULL;
    lm_release(v);
    return out;
}

void lm_ref_check(const lm_ref_formula *f, uint64_t seed, lm_ref_result *out) {
    memset(out, 0, sizeof *out);
    lm_session *s = lm_session_new();
    /* A runaway program must not hang `lemma ref`: each check takes well
     * under a second. */
    lm_session_set_limits(s, 0, 20.0);
    lm_buf src = LM_BUF_INIT;
    lm_buf_printf(&src, "seed(%llu);\n%s", (unsigned long long)lm_ref_formula_seed(seed, f), f->program);
    first_error fe = {s, NULL};
    lm_eval_opts o = {f->id, keep_first_error, &fe};
    int failed = lm_eval(s, src.s, src.len, &o);
    lm_buf_free(&src);
    if (failed || fe.text) {
        out->error = fe.text ? fe.text : lm_strdup("the check program failed");
        fe.text = NULL;
    } else if (!read_number(s, "a", &out->a) || !read_number(s, "b", &out->b) || !read_number(s, "tol", &out->tol)) {
        out->error = lm_strdup("the check program did not leave the numbers a, b and tol behind");
    } else {
        out->ran = true;
        /* NaN on either side fails: the comparison is false */
        out->ok = fabs(out->a - out->b) <= out->tol;
    }
    lm_free(fe.text);
    out->what = read_string(s, "what");
    out->a_is = read_string(s, "a_is");
    out->b_is = read_string(s, "b_is");
    out->tol_why = read_string(s, "tol_why");
    lm_session_free(s);
}

void lm_ref_result_free(lm_ref_result *r) {
    if (!r) return;
    lm_free(r->what);
    lm_free(r->a_is);
    lm_free(r->b_is);
    lm_free(r->tol_why);
    lm_free(r->error);
    memset(r, 0, sizeof *r);
}

/* ---- layout ------------------------------------------------------------------ */

/* Words of `text` on lines of at most `width` columns: the first line starts
 * with `first` (already `lead` columns wide), the others with `indent` spaces.
 * Spaces between words are kept (a formula's \quad is a wide gap) except
 * where a line breaks. A word longer than a line is written whole. */
static void wrap(lm_buf *out, const char *first, size_t lead, size_t indent, const char *text, size_t width) {
    lm_buf_puts(out, first);
    size_t col = lead;
    bool line_empty = true;
    const char *p = text;
    while (*p) {
        const char *gap = p;
        while (*p == ' ') p++;
        size_t spaces = (size_t)(p - gap);
        if (!*p) break;
        const char *w = p;
        while (*w && *w != ' ' && *w != '\n') w++;
        size_t cols = lm_text_columns(p, (size_t)(w - p));
        if (!line_empty && col + spaces + cols > width) {
            lm_buf_printf(out, "\n%*s", (int)indent, "");
            col = indent;
            line_empty = true;
        }
        if (!line_empty) {
            lm_buf_put(out, gap, spaces);
            col += spaces;
        }
        lm_buf_put(out, p, (size_t)(w - p));
        col += cols;
        line_empty = false;
        p = w;
        if (*p == '\n') {
            lm_buf_printf(out, "\n%*s", (int)indent, "");
            col = indent;
            line_empty = true;
            p++;
        }
    }
    lm_buf_putc(out, '\n');
}

static void fmt_num(char out[40], double x, int digits) {
    if (isnan(x)) strcpy(out, "NaN");
    else lm_fmt_double_sig(out, x, digits);
}

void lm_ref_render_text(const lm_ref_formula *f, const lm_ref_result *r, int width, bool color, lm_buf *out) {
    size_t w = width > 0 ? (size_t)width : 80;
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    const char *green = color ? "\033[32m" : "", *red = color ? "\033[31m" : "";
    lm_buf_printf(out, "%s%s%s\n", bold, f->title, reset);

    lm_buf math = LM_BUF_INIT;
    lm_latex_to_unicode(f->tex, strlen(f->tex), &math);
    wrap(out, "    ", 4, 6, lm_buf_cstr(&math), w);
    lm_buf_free(&math);

    lm_buf head = LM_BUF_INIT;
    lm_buf_printf(&head, "  %s%s%s ", r->ok ? green : red, r->ok ? "✓" : "✗", reset);
    if (!r->ran) {
        wrap(out, head.s, 4, 6, "the check could not run:", w);
        /* the engine's own message, caret lines and all */
        const char *e = r->error ? r->error : "";
        while (*e) {
            size_t len = strcspn(e, "\n");
            lm_buf_printf(out, "      %.*s\n", (int)len, e);
            e += len;
            if (*e) e++;
        }
        lm_buf_free(&head);
        return;
    }
    wrap(out, head.s, 4, 6, r->what ? r->what : "", w);
    lm_buf_free(&head);

    char a[40], b[40], d[40], t[40];
    fmt_num(a, r->a, 6);
    fmt_num(b, r->b, 6);
    fmt_num(d, fabs(r->a - r->b), 2);
    fmt_num(t, r->tol, 2);
    lm_buf line = LM_BUF_INIT;
    lm_buf_printf(&line, "%s = %s; %s = %s", r->a_is ? r->a_is : "a", a, r->b_is ? r->b_is : "b", b);
    wrap(out, "      ", 6, 8, line.s, w);
    lm_buf_reset(&line);
    lm_buf_printf(&line, "difference %s, %s %s%s%s%s", d, r->ok ? "allowed" : "more than the allowed", t,
                  r->tol_why ? " (" : "", r->tol_why ? r->tol_why : "", r->tol_why ? ")" : "");
    wrap(out, "      ", 6, 8, line.s, w);
    lm_buf_free(&line);
}
