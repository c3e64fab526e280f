/* Printers: values as text for people (five significant digits, aligned matrix
 * columns, errors with a caret under the source) and as JSON for programs (the
 * `lemma eval --json` contract of DESIGN.md).
 *
 * JSON is written here rather than through jansson's encoder because the
 * contract needs numbers in shortest round-trip form ("0.1", not
 * "0.10000000000000001") and non-finite numbers as strings; jansson (used for
 * parsing JSON everywhere) has neither. */
#include "lang/lang_int.h"
#include "lemma/steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void steps_text(const lm_steps *s, int digits, lm_buf *out);
static void steps_json(const lm_steps *s, lm_buf *out);
static void json_members(lm_value v, lm_buf *out);

/* ---- text ---- */

static void fmt_num(double x, int digits, char out[40]) {
    if (digits <= 0) lm_fmt_double_shortest(out, x);
    else lm_fmt_double_sig(out, x, digits);
}

static void complex_text(double re, double im, int digits, lm_buf *out) {
    char a[40], b[40];
    fmt_num(re, digits, a);
    fmt_num(fabs(im), digits, b);
    bool neg = im < 0 || (im == 0 && signbit(im) && 0);
    if (isnan(im)) neg = false;
    lm_buf_printf(out, "%s %c %si", a, neg ? '-' : '+', b);
}

static void tensor_text(const lm_tensor *t, int digits, lm_buf *out) {
    if (t->size == 0) {
        char sh[64];
        lm_tensor_shape_str(t, sh);
        lm_buf_printf(out, "[](%s)", sh);
        return;
    }
    if (t->ndim > 2) {
        /* one 2-D page at a time: (:, :, k) */
        int64_t page = t->shape[0] * t->shape[1], pages = t->size / page;
        int64_t idx[LM_MAX_DIMS] = {0};
        for (int64_t p = 0; p < pages; p++) {
            lm_buf_puts(out, p ? "\n(:, :" : "(:, :");
            for (int d = 2; d < t->ndim; d++) lm_buf_printf(out, ", %lld", (long long)idx[d] + 1);
            lm_buf_puts(out, ") =\n");
            int64_t start[LM_MAX_DIMS] = {0}, stop[LM_MAX_DIMS], step[LM_MAX_DIMS];
            for (int d = 0; d < t->ndim; d++) {
                start[d] = d < 2 ? 0 : idx[d];
                stop[d] = d < 2 ? t->shape[d] : idx[d] + 1;
                step[d] = 1;
            }
            lm_err err = LM_ERR_INIT;
            lm_tensor *s = lm_tensor_slice(t, start, stop, step, &err);
            if (s) {
                lm_tensor *m = lm_tensor_reshape(s, 2, t->shape, &err);
                if (m) {
                    tensor_text(m, digits, out);
                    lm_tensor_release(m);
                }
                lm_tensor_release(s);
            }
            lm_err_clear(&err);
            for (int d = 2; d < t->ndim; d++) {
                if (++idx[d] < t->shape[d]) break;
                idx[d] = 0;
            }
        }
        return;
    }
    int64_t r = t->shape[0], c = t->shape[1];
    /* format every cell once, then pad each column to its widest cell */
    char **cells = lm_alloc((size_t)(r * c) * sizeof *cells);
    size_t *width = lm_calloc((size_t)c, sizeof *width);
    lm_buf cell = LM_BUF_INIT;
    for (int64_t i = 0; i < r; i++)
        for (int64_t j = 0; j < c; j++) {
            lm_buf_reset(&cell);
            double re = lm_tensor_get2(t, i, j);
            if (t->exact) {
                lm_rat q = t->exact[i * c + j];
                if (q.q == 1) lm_buf_printf(&cell, "%lld", (long long)q.p);
                else lm_buf_printf(&cell, "%lld/%lld", (long long)q.p, (long long)q.q);
            } else if (t->imag) {
                complex_text(re, lm_tensor_imag2(t, i, j), digits, &cell);
            } else {
                char s[40];
                fmt_num(re, digits, s);
                lm_buf_puts(&cell, s);
            }
            cells[i * c + j] = lm_strdup(lm_buf_cstr(&cell));
            size_t w = strlen(cells[i * c + j]);
            if (w > width[j]) width[j] = w;
        }
    lm_buf_free(&cell);
    for (int64_t i = 0; i < r; i++) {
        if (i) lm_buf_putc(out, '\n');
        for (int64_t j = 0; j < c; j++) {
            char *s = cells[i * c + j];
            lm_buf_printf(out, "%*s%s", (int)(width[j] - strlen(s) + 3), "", s);
            lm_free(s);
        }
    }
    lm_free(cells);
    lm_free(width);
}

static void indent_lines(lm_buf *out, const char *text, const char *pad) {
    lm_buf_puts(out, pad);
    for (const char *c = text; *c; c++) {
        lm_buf_putc(out, *c);
        if (*c == '\n' && c[1]) lm_buf_puts(out, pad);
    }
}

/* Step 1 (power rule): The derivative of x^2 is 2*x.
 *     2*x
 * ...
 * Result: 2*x */
static void steps_text(const lm_steps *s, int digits, lm_buf *out) {
    lm_buf v = LM_BUF_INIT;
    for (size_t i = 0; i < s->n; i++) {
        const lm_step *st = &s->v[i];
        if (i) lm_buf_putc(out, '\n');
        /* "Step 3 (power rule): Power rule, ..." would name the rule twice */
        size_t rl = st->rule ? strlen(st->rule) : 0;
        bool named_in_text = rl && !strncasecmp(st->text, st->rule, rl);
        if (rl && !named_in_text) lm_buf_printf(out, "Step %zu (%s): %s", i + 1, st->rule, st->text);
        else lm_buf_printf(out, "Step %zu: %s", i + 1, st->text);
        if (!lm_is_nil(st->value)) {
            lm_buf_reset(&v);
            lm_value_text_digits(st->value, digits, &v);
            lm_buf_putc(out, '\n');
            bool grid = st->value.kind == LM_TENSOR && lm_tensor_of(st->value)->size > 1;
            indent_lines(out, lm_buf_cstr(&v), grid ? " " : "    ");
        }
    }
    if (!lm_is_nil(s->result)) {
        lm_buf_reset(&v);
        lm_value_text_digits(s->result, digits, &v);
        bool multi = strchr(lm_buf_cstr(&v), '\n') != NULL ||
                     (s->result.kind == LM_TENSOR && lm_tensor_of(s->result)->size > 1);
        lm_buf_puts(out, s->n ? "\nResult:" : "Result:");
        if (multi) {
            lm_buf_putc(out, '\n');
            indent_lines(out, lm_buf_cstr(&v), " ");
        } else {
            lm_buf_printf(out, " %s", lm_buf_cstr(&v));
        }
    }
    lm_buf_free(&v);
}

void lm_value_text_digits(lm_value v, int digits, lm_buf *out) {
    char s[40];
    switch (v.kind) {
    case LM_NIL: break;
    case LM_BOOL: lm_buf_puts(out, v.u.b ? "true" : "false"); break;
    case LM_NUM:
        fmt_num(v.u.num, digits, s);
        lm_buf_puts(out, s);
        if (v.flags & (LM_VF_BITS | LM_VF_NATS)) {
            bool one = strcmp(s, "1") == 0; /* as printed: 1.0000000000000002 shows as 1, a singular unit */
            lm_buf_puts(out, v.flags & LM_VF_BITS ? (one ? " bit" : " bits") : (one ? " nat" : " nats"));
        }
        break;
    case LM_COMPLEX: complex_text(lm_complex_re(v), lm_complex_im(v), digits, out); break;
    case LM_STRING: lm_buf_put(out, lm_string_data(v), lm_string_len(v)); break;
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->exact && t->size == 1) { /* an exact scalar such as det(inv(A)) = 1/5 */
            if (t->exact[0].q == 1) lm_buf_printf(out, "%lld", (long long)t->exact[0].p);
            else lm_buf_printf(out, "%lld/%lld", (long long)t->exact[0].p, (long long)t->exact[0].q);
        } else {
            tensor_text(t, digits, out);
        }
        break;
    }
    case LM_EXPR: lm_sym_print_text(lm_expr_of(v), out); break;
    case LM_ERROR: lm_buf_puts(out, lm_error_obj(v)->msg); break;
    case LM_OBJECT:
        if (lm_is_steps(v)) {
            steps_text((const lm_steps *)v.u.obj, digits, out);
            break;
        }
        /* fall through */
    default:
        if (v.u.obj->type && v.u.obj->type->text) v.u.obj->type->text(v.u.obj, out, digits);
        else lm_buf_printf(out, "<%s>", v.u.obj->type ? v.u.obj->type->name : lm_kind_name(v.kind));
        break;
    }
}

void lm_value_text(lm_session *s, lm_value v, lm_buf *out) { lm_value_text_digits(v, s ? s->digits : 5, out); }

static bool multiline(lm_value v) {
    if (v.kind != LM_TENSOR) return false;
    lm_tensor *t = lm_tensor_of(v);
    return t->size > 0;
}

static void line_of_source(const char *src, size_t len, uint32_t off, const char **start, size_t *n) {
    if (off > len) off = (uint32_t)len;
    size_t a = off, b = off;
    while (a > 0 && src[a - 1] != '\n') a--;
    while (b < len && src[b] != '\n') b++;
    *start = src + a;
    *n = b - a;
}

void lm_error_text(const lm_output *o, lm_buf *out) {
    lm_error *e = lm_error_obj(o->value);
    lm_buf_printf(out, "error: %s\n", e->msg);
    if (!e->has_span || !o->src) return;
    size_t srclen = strlen(o->src);
    const char *name = o->src_name;
    bool named = name && strcmp(name, "<input>") && strcmp(name, "<eval>") && strcmp(name, "<stdin>");
    if (named) lm_buf_printf(out, "  at %s, line %d, column %d:\n", name, e->line, e->col);
    else lm_buf_printf(out, "  at line %d, column %d:\n", e->line, e->col);
    const char *ls;
    size_t ln;
    line_of_source(o->src, srclen, e->start, &ls, &ln);
    lm_buf_puts(out, "    ");
    for (size_t i = 0; i < ln; i++) lm_buf_putc(out, ls[i] == '\t' ? ' ' : ls[i]);
    lm_buf_puts(out, "\n    ");
    for (int c = 1; c < e->col; c++) lm_buf_putc(out, ' ');
    /* underline the span, but only up to the end of its first line */
    size_t span = e->end > e->start ? e->end - e->start : 1;
    size_t rest = (size_t)(ls + ln - (o->src + e->start));
    if (e->start >= srclen) rest = 1;
    if (span > rest) span = rest ? rest : 1;
    size_t chars = 0;
    for (size_t i = 0; i < span && e->start + i < srclen; i++)
        if (((unsigned char)o->src[e->start + i] & 0xC0) != 0x80) chars++;
    if (chars == 0) chars = 1;
    for (size_t i = 0; i < chars; i++) lm_buf_putc(out, '^');
    lm_buf_putc(out, '\n');
}

void lm_output_text(lm_session *s, const lm_output *o, lm_buf *out) {
    for (size_t i = 0; i < o->nwarnings; i++) lm_buf_printf(out, "warning: %s\n", o->warnings[i]);
    switch (o->kind) {
    case LM_OUT_TEXT: lm_buf_put(out, o->text, o->textlen); break;
    case LM_OUT_ERROR: lm_error_text(o, out); break;
    case LM_OUT_VALUE:
        if (o->name && o->value.kind != LM_FUNC) { /* a function prints as its definition */
            lm_buf_printf(out, "%s =%s", o->name, multiline(o->value) ? "\n" : " ");
        }
        lm_value_text(s, o->value, out);
        lm_buf_putc(out, '\n');
        break;
    }
}

/* ---- JSON ---- */

static void json_num(lm_buf *out, double x) {
    char s[32];
    lm_fmt_double_shortest(s, x);
    if (!isfinite(x)) lm_buf_printf(out, "\"%s\"", s);
    else lm_buf_puts(out, s);
}

/* Escapes a string for JSON; bytes that are not valid UTF-8 become U+FFFD so the
 * output is always valid JSON. */
static void json_str(lm_buf *out, const char *s, size_t n) {
    lm_buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': lm_buf_puts(out, "\\\""); break;
            case '\\': lm_buf_puts(out, "\\\\"); break;
            case '\n': lm_buf_puts(out, "\\n"); break;
            case '\r': lm_buf_puts(out, "\\r"); break;
            case '\t': lm_buf_puts(out, "\\t"); break;
            case '\b': lm_buf_puts(out, "\\b"); break;
            case '\f': lm_buf_puts(out, "\\f"); break;
            default:
                if (c < 0x20) lm_buf_printf(out, "\\u%04x", c);
                else lm_buf_putc(out, (char)c);
            }
            i++;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        bool ok = len > 0 && c < 0xF5 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++) ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
        if (ok && len == 3) {
            unsigned char c1 = (unsigned char)s[i + 1];
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) ok = false; /* overlong, surrogates */
        }
        if (ok && len == 4) {
            unsigned char c1 = (unsigned char)s[i + 1];
            if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) ok = false;
        }
        if (ok) {
            lm_buf_put(out, s + i, len);
            i += len;
        } else {
            lm_buf_puts(out, "\xEF\xBF\xBD");
            i++;
        }
    }
    lm_buf_putc(out, '"');
}

static void json_cstr(lm_buf *out, const char *s) { json_str(out, s, strlen(s)); }

static void json_rat(lm_buf *out, lm_rat q) {
    if (q.q == 1) lm_buf_printf(out, "\"%lld\"", (long long)q.p);
    else lm_buf_printf(out, "\"%lld/%lld\"", (long long)q.p, (long long)q.q);
}

static void json_nested(lm_buf *out, const lm_tensor *t, const double *base, int dim, int64_t off) {
    lm_buf_putc(out, '[');
    for (int64_t i = 0; i < t->shape[dim]; i++) {
        if (i) lm_buf_putc(out, ',');
        int64_t o = off + i * t->stride[dim];
        if (dim == t->ndim - 1) json_num(out, base[o]);
        else json_nested(out, t, base, dim + 1, o);
    }
    lm_buf_putc(out, ']');
}

static void json_members(lm_value v, lm_buf *out) {
    switch (v.kind) {
    case LM_NIL: lm_buf_puts(out, "\"type\":\"nothing\""); break;
    case LM_BOOL: lm_buf_printf(out, "\"type\":\"boolean\",\"value\":%s", v.u.b ? "true" : "false"); break;
    case LM_NUM:
        lm_buf_puts(out, "\"type\":\"number\",\"value\":");
        json_num(out, v.u.num);
        if (v.flags & (LM_VF_BITS | LM_VF_NATS)) lm_buf_puts(out, v.flags & LM_VF_BITS ? ",\"unit\":\"bits\"" : ",\"unit\":\"nats\"");
        break;
    case LM_COMPLEX:
        lm_buf_puts(out, "\"type\":\"complex\",\"re\":");
        json_num(out, lm_complex_re(v));
        lm_buf_puts(out, ",\"im\":");
        json_num(out, lm_complex_im(v));
        break;
    case LM_STRING:
        lm_buf_puts(out, "\"type\":\"string\",\"value\":");
        json_str(out, lm_string_data(v), lm_string_len(v));
        break;
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->exact && t->size == 1 && t->ndim <= 2) {
            lm_buf_puts(out, "\"type\":\"number\",\"value\":");
            json_num(out, t->data[0]);
            lm_buf_puts(out, ",\"exact\":");
            json_rat(out, t->exact[0]);
            break;
        }
        lm_buf_printf(out, "\"type\":\"%s\",\"shape\":[", t->ndim <= 2 ? "matrix" : "tensor");
        for (int d = 0; d < t->ndim; d++) lm_buf_printf(out, "%s%lld", d ? "," : "", (long long)t->shape[d]);
        lm_buf_puts(out, "],\"data\":");
        if (t->size == 0) {
            /* [] is shape [0,0] with no rows; a 0×3 or 3×0 keeps its rows */
            lm_buf_putc(out, '[');
            if (t->ndim == 2)
                for (int64_t i = 0; i < t->shape[0]; i++) lm_buf_puts(out, i ? ",[]" : "[]");
            lm_buf_putc(out, ']');
        } else {
            json_nested(out, t, t->data, 0, 0);
        }
        if (t->imag) {
            lm_buf_puts(out, ",\"imag\":");
            json_nested(out, t, t->imag, 0, 0);
        }
        if (t->exact && t->ndim == 2) {
            /* fraction strings in the same shape as "data" (DESIGN.md, "Numbers") */
            lm_buf_puts(out, ",\"exact\":[");
            for (int64_t i = 0; i < t->shape[0]; i++) {
                lm_buf_puts(out, i ? ",[" : "[");
                for (int64_t j = 0; j < t->shape[1]; j++) {
                    if (j) lm_buf_putc(out, ',');
                    json_rat(out, t->exact[i * t->shape[1] + j]);
                }
                lm_buf_putc(out, ']');
            }
            lm_buf_putc(out, ']');
        }
        break;
    }
    case LM_EXPR: {
        lm_buf text = LM_BUF_INIT, latex = LM_BUF_INIT;
        lm_sym_print_text(lm_expr_of(v), &text);
        lm_sym_print_latex(lm_expr_of(v), &latex);
        lm_buf_puts(out, "\"type\":\"expr\",\"text\":");
        json_str(out, lm_buf_cstr(&text), text.len);
        lm_buf_puts(out, ",\"latex\":");
        json_str(out, lm_buf_cstr(&latex), latex.len);
        lm_buf_free(&text);
        lm_buf_free(&latex);
        break;
    }
    default: {
        const lm_objtype *ty = v.u.obj->type;
        if (lm_is_steps(v)) {
            steps_json((const lm_steps *)v.u.obj, out);
            break;
        }
        if (ty && ty->json) {
            ty->json(v.u.obj, out);
            break;
        }
        lm_buf text = LM_BUF_INIT;
        lm_value_text_digits(v, 0, &text);
        lm_buf_puts(out, "\"type\":\"object\",\"kind\":");
        json_cstr(out, ty ? ty->name : lm_kind_name(v.kind));
        lm_buf_puts(out, ",\"text\":");
        json_str(out, lm_buf_cstr(&text), text.len);
        lm_buf_free(&text);
        break;
    }
    }
}

static void steps_json(const lm_steps *s, lm_buf *out) {
    lm_buf_puts(out, "\"type\":\"steps\",\"steps\":[");
    for (size_t i = 0; i < s->n; i++) {
        const lm_step *st = &s->v[i];
        lm_buf_puts(out, i ? ",{\"rule\":" : "{\"rule\":");
        json_cstr(out, st->rule ? st->rule : "");
        lm_buf_puts(out, ",\"text\":");
        json_cstr(out, st->text ? st->text : "");
        lm_buf_puts(out, ",\"latex\":");
        if (st->latex) json_cstr(out, st->latex);
        else lm_buf_puts(out, "null");
        lm_buf_puts(out, ",\"value\":");
        if (lm_is_nil(st->value)) lm_buf_puts(out, "null");
        else lm_value_json(st->value, out);
        lm_buf_putc(out, '}');
    }
    lm_buf_puts(out, "],\"result\":");
    if (lm_is_nil(s->result)) lm_buf_puts(out, "null");
    else lm_value_json(s->result, out);
}

void lm_value_json(lm_value v, lm_buf *out) {
    lm_buf_putc(out, '{');
    json_members(v, out);
    lm_buf_putc(out, '}');
}

void lm_output_json(const lm_output *o, lm_buf *out) {
    if (o->kind == LM_OUT_ERROR) {
        lm_error *e = lm_error_obj(o->value);
        lm_buf_puts(out, "{\"ok\":false,\"error\":{\"kind\":");
        json_cstr(out, lm_errkind_name(e->kind));
        lm_buf_puts(out, ",\"message\":");
        json_cstr(out, e->msg);
        if (e->has_span) lm_buf_printf(out, ",\"line\":%d,\"col\":%d", e->line, e->col);
        else lm_buf_puts(out, ",\"line\":null,\"col\":null");
        lm_buf_putc(out, '}');
    } else if (o->kind == LM_OUT_TEXT) {
        lm_buf_puts(out, "{\"ok\":true,\"type\":\"output\",\"text\":");
        json_str(out, o->text, o->textlen);
    } else {
        lm_buf_puts(out, "{\"ok\":true,");
        if (o->name) {
            lm_buf_puts(out, "\"name\":");
            json_cstr(out, o->name);
            lm_buf_putc(out, ',');
        }
        json_members(o->value, out);
    }
    if (o->nwarnings) {
        lm_buf_puts(out, ",\"warnings\":[");
        for (size_t i = 0; i < o->nwarnings; i++) {
            if (i) lm_buf_putc(out, ',');
            json_cstr(out, o->warnings[i]);
        }
        lm_buf_putc(out, ']');
    }
    lm_buf_putc(out, '}');
}
