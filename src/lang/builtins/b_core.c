/* Core builtins: output (disp, printf), workspace help, sizes and shapes,
 * constructors (zeros, ones, eye, rand, linspace), reductions and comparisons.
 * Each entry carries its signature, a one-line description and an example,
 * which `help` prints. */
#include "lang/lang_int.h"
#include "lemma/prob.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- argument helpers ---- */

bool lm_arg_double(lm_call *c, int i, const char *what, double *out, lm_value *err) {
    if (i < c->nargs && lm_as_double(c->args[i], out) && c->args[i].kind != LM_TENSOR) return true;
    if (i < c->nargs && c->args[i].kind == LM_TENSOR && lm_as_double(c->args[i], out)) return true;
    *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be a real number, not %s", c->fname, what,
                        i < c->nargs ? lm_kind_a(c->args[i].kind) : "missing value");
    return false;
}

bool lm_arg_int(lm_call *c, int i, const char *what, int64_t min, int64_t *out, lm_value *err) {
    double d;
    if (!lm_arg_double(c, i, what, &d, err)) return false;
    if (d != floor(d) || !isfinite(d)) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: %s must be a whole number, not %g", c->fname, what, d);
        return false;
    }
    if (d < (double)min) {
        *err = lm_error_new(LM_ERR_DOMAIN, "%s: %s must be at least %lld, not %g", c->fname, what, (long long)min, d);
        return false;
    }
    if (d > 9e15) {
        *err = lm_error_new(LM_ERR_LIMIT, "%s: %s = %g is too large", c->fname, what, d);
        return false;
    }
    *out = (int64_t)d;
    return true;
}

lm_tensor *lm_arg_real(lm_call *c, lm_value v, const char *what, lm_value *err) {
    if (v.kind != LM_NUM && v.kind != LM_BOOL && v.kind != LM_TENSOR && v.kind != LM_COMPLEX) {
        *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be numbers, not %s%s", c->fname, what, lm_kind_a((lm_kind)v.kind),
                            v.kind == LM_EXPR ? " (is a variable unset?)" : "");
        return NULL;
    }
    lm_err e = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(v, what, &e);
    if (!t) {
        *err = lm_error_from(&e);
        return NULL;
    }
    if (t->imag || t->ndim > 2) {
        lm_tensor_release(t);
        *err = lm_error_new(LM_ERR_TYPE, "%s: %s must be real numbers in a vector or a matrix", c->fname, what);
        return NULL;
    }
    return t;
}

lm_value lm_call_named(lm_call *c, const char *name) {
    for (int i = 0; i < c->nnamed && i < 64; i++) {
        if (!strcmp(c->names[i], name)) {
            c->named_used |= 1ULL << i;
            return c->named[i];
        }
    }
    return lm_nil();
}

bool lm_opt_double(lm_call *c, const char *name, double *out, lm_value *err) {
    lm_value v = lm_call_named(c, name);
    if (lm_is_nil(v)) return true;
    if (lm_as_double(v, out)) return true;
    *err = lm_error_new(LM_ERR_TYPE, "%s: the option %s must be a real number, not %s", c->fname, name, lm_kind_a(v.kind));
    return false;
}

bool lm_opt_bool(lm_call *c, const char *name, bool *out, lm_value *err) {
    lm_value v = lm_call_named(c, name);
    if (lm_is_nil(v)) return true;
    double d;
    if (v.kind == LM_BOOL) *out = v.u.b;
    else if (lm_as_double(v, &d)) *out = d != 0;
    else {
        *err = lm_error_new(LM_ERR_TYPE, "%s: the option %s must be true or false", c->fname, name);
        return false;
    }
    return true;
}

/* ---- output ---- */

static lm_value b_disp(lm_call *c) {
    lm_buf b = LM_BUF_INIT;
    lm_value_text(c->s, c->args[0], &b);
    lm_buf_putc(&b, '\n');
    lm_emit_text(c->s, lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return lm_nil();
}

/* Flattens printf's arguments into one list of scalars and strings, the way
 * Octave feeds a format: matrices element by element in column-major order. */
typedef struct pf_arg {
    bool is_str;
    double num;
    const char *s;
    size_t len;
} pf_arg;

static lm_value format_printf(lm_call *c, int first, lm_buf *out) {
    if (c->args[first].kind != LM_STRING)
        return lm_error_new(LM_ERR_TYPE, "%s: the format must be a string, as in %s(\"x = %%g\\n\", x)", c->fname, c->fname);
    const char *fmt = lm_string_data(c->args[first]);
    size_t flen = lm_string_len(c->args[first]);
    size_t nargs = 0, cap = 8;
    pf_arg *args = lm_alloc(cap * sizeof *args);
    for (int i = first + 1; i < c->nargs; i++) {
        lm_value v = c->args[i];
        if (v.kind == LM_STRING) {
            if (nargs == cap) args = lm_realloc(args, (cap *= 2) * sizeof *args);
            args[nargs++] = (pf_arg){true, 0, lm_string_data(v), lm_string_len(v)};
        } else if (v.kind == LM_TENSOR) {
            lm_tensor *t = lm_tensor_of(v);
            int64_t r = lm_tensor_rows(t);
            for (int64_t k = 0; k < t->size; k++) {
                if (nargs == cap) args = lm_realloc(args, (cap *= 2) * sizeof *args);
                int64_t i2 = r ? k % r : 0, j2 = r ? k / r : 0;
                double d = t->ndim == 2 ? lm_tensor_get2(t, i2, j2) : t->data[lm_tensor_offset(t, k)];
                args[nargs++] = (pf_arg){false, d, NULL, 0};
            }
        } else {
            double d;
            if (v.kind == LM_COMPLEX) d = lm_complex_re(v);
            else if (!lm_as_double(v, &d)) {
                lm_buf tb = LM_BUF_INIT;
                lm_value_text(c->s, v, &tb);
                /* expressions and other values print as their text, through %s or %g */
                if (nargs == cap) args = lm_realloc(args, (cap *= 2) * sizeof *args);
                char *keep = lm_buf_steal(&tb);
                args[nargs++] = (pf_arg){true, 0, keep, strlen(keep)};
                args[nargs - 1].num = NAN; /* marks an owned string */
                continue;
            }
            if (nargs == cap) args = lm_realloc(args, (cap *= 2) * sizeof *args);
            args[nargs++] = (pf_arg){false, d, NULL, 0};
        }
    }
    size_t ai = 0;
    lm_value err = lm_nil();
    do {
        bool consumed = false;
        for (size_t i = 0; i < flen; i++) {
            if (fmt[i] != '%') {
                lm_buf_putc(out, fmt[i]);
                continue;
            }
            if (i + 1 < flen && fmt[i + 1] == '%') {
                lm_buf_putc(out, '%');
                i++;
                continue;
            }
            /* %[flags][width][.prec]conv */
            size_t j = i + 1;
            long width = 0, prec = 0;
            /* (strchr matches the terminator too: NUL bytes in the format are not flags) */
            while (j < flen && fmt[j] && strchr("-+ #0", fmt[j])) j++;
            while (j < flen && (fmt[j] >= '0' && fmt[j] <= '9') && width < 100000) width = width * 10 + (fmt[j++] - '0');
            if (j < flen && fmt[j] == '.') {
                j++;
                while (j < flen && (fmt[j] >= '0' && fmt[j] <= '9') && prec < 100000) prec = prec * 10 + (fmt[j++] - '0');
            }
            if (width > 1000 || prec > 100) {
                err = lm_error_new(LM_ERR_LIMIT, "%s: a field width of at most 1000 and a precision of at most 100, please",
                                   c->fname);
                goto done;
            }
            if (j >= flen || !fmt[j] || !strchr("dixXfFeEgGsc", fmt[j]) || j - i > 30) {
                err = lm_error_new(LM_ERR_DOMAIN, "%s: the format has an incomplete or unknown conversion at '%.*s'", c->fname,
                                   (int)(j < flen ? j - i + 1 : j - i), fmt + i);
                goto done;
            }
            char spec[48];
            size_t n = j - i; /* "%-8.3" without the conversion letter */
            memcpy(spec, fmt + i, n);
            spec[n] = '\0';
            char conv = fmt[j];
            i = j;
            if (ai >= nargs && nargs > 0) goto done; /* arguments used up: stop here, like Octave */
            if (ai >= nargs) continue; /* no arguments at all: the conversions print nothing */
            pf_arg *a = &args[ai++];
            consumed = true;
            if (conv == 's' || (a->is_str && conv != 'c')) {
                spec[n] = 's';
                spec[n + 1] = '\0';
                if (a->is_str) {
                    /* a bare %s puts the string whole (it may hold NUL bytes) */
                    if (n == 1) lm_buf_put(out, a->s, a->len);
                    else lm_buf_printf(out, spec, a->s);
                } else {
                    char s[32];
                    lm_fmt_double_shortest(s, a->num);
                    lm_buf_printf(out, spec, s);
                }
            } else if (conv == 'c') {
                if (a->is_str) lm_buf_put(out, a->s, a->len);
                else lm_buf_putc(out, (char)(int)a->num);
            } else {
                double d = a->num;
                if ((conv == 'd' || conv == 'i' || conv == 'x' || conv == 'X') && (d != floor(d) || !isfinite(d) || fabs(d) > 9e18)) {
                    /* Octave prints a non-integer given to %d as %f (or %g) */
                    spec[n] = isfinite(d) ? 'f' : 'g';
                    spec[n + 1] = '\0';
                    if (!isfinite(d)) lm_buf_puts(out, isnan(d) ? "NaN" : d > 0 ? "Inf" : "-Inf");
                    else lm_buf_printf(out, spec, d);
                } else if (conv == 'd' || conv == 'i' || conv == 'x' || conv == 'X') {
                    spec[n] = 'l';
                    spec[n + 1] = 'l';
                    spec[n + 2] = conv;
                    spec[n + 3] = '\0';
                    lm_buf_printf(out, spec, (long long)d);
                } else if (!isfinite(d)) {
                    lm_buf_puts(out, isnan(d) ? "NaN" : d > 0 ? "Inf" : "-Inf");
                } else {
                    spec[n] = conv;
                    spec[n + 1] = '\0';
                    lm_buf_printf(out, spec, d);
                }
            }
            if (out->len > (size_t)LM_MAX_OUTPUT) {
                err = lm_error_new(LM_ERR_LIMIT, "%s: the output is too long", c->fname);
                goto done;
            }
        }
        if (!consumed) break;
    } while (ai < nargs);
done:
    for (size_t k = 0; k < nargs; k++)
        if (args[k].is_str && isnan(args[k].num)) lm_free((void *)args[k].s);
    lm_free(args);
    return err;
}

static lm_value b_printf(lm_call *c) {
    lm_buf b = LM_BUF_INIT;
    lm_value err = format_printf(c, 0, &b);
    if (lm_is_nil(err)) lm_emit_text(c->s, lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return err;
}

static lm_value b_sprintf(lm_call *c) {
    lm_buf b = LM_BUF_INIT;
    lm_value err = format_printf(c, 0, &b);
    lm_value r = lm_is_nil(err) ? lm_string_new(lm_buf_cstr(&b), b.len) : err;
    lm_buf_free(&b);
    return r;
}

static lm_value b_num2str(lm_call *c) {
    lm_buf b = LM_BUF_INIT;
    lm_value_text(c->s, c->args[0], &b);
    lm_value r = lm_string_new(lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return r;
}

static lm_value b_error(lm_call *c) {
    if (c->args[0].kind != LM_STRING) return lm_error_new(LM_ERR_TYPE, "error: the message must be a string");
    lm_buf b = LM_BUF_INIT;
    lm_value e = format_printf(c, 0, &b);
    if (lm_is_nil(e)) e = lm_error_new(LM_ERR_DOMAIN, "%s", lm_buf_cstr(&b));
    lm_buf_free(&b);
    return e;
}

static lm_value b_help(lm_call *c) {
    lm_buf b = LM_BUF_INIT;
    if (c->nargs == 0) {
        lm_buf_puts(&b,
                    "lemma: type mathematics and press Enter.\n"
                    "  2^10, sqrt(2), 1/3          numbers\n"
                    "  A = [2 1; 1 3]; A * A       matrices (rows split by ;)\n"
                    "  A(2, 1), v(end), A(:, 1)    indexing starts at 1\n"
                    "  f(x) = x^2 + 1; f(3)        define and call a function\n"
                    "  x + x                       unbound names are symbols\n"
                    "  for k = 1:3, disp(k), end   loops: for, while, if ... end\n"
                    "  help NAME                   what a function does, with an example\n"
                    "  who, clear x, format long   the workspace and the display\n");
        size_t n;
        const lm_builtin *const *all = lm_builtin_all(&n);
        lm_buf_puts(&b, "Functions:\n");
        size_t col = 0;
        for (size_t i = 0; i < n; i++) {
            size_t w = strlen(all[i]->name) + 1;
            if (col + w > 76) {
                lm_buf_putc(&b, '\n');
                col = 0;
            }
            lm_buf_printf(&b, "%s%s", col ? " " : "  ", all[i]->name);
            col += w + (col ? 0 : 1);
        }
        lm_buf_putc(&b, '\n');
    } else {
        if (c->args[0].kind != LM_STRING) {
            lm_buf_free(&b);
            return lm_error_new(LM_ERR_TYPE, "help: give the name of a function, as in help sin");
        }
        const char *name = lm_string_data(c->args[0]);
        static const struct {
            const char *word, *text;
        } keywords[] = {
            {"if", "if CONDITION ... elseif CONDITION ... else ... end\n  runs the first block whose condition is true\n"
                   "  example: x = -2; if x < 0, disp(\"negative\"), else, disp(\"not negative\"), end\n"},
            {"for", "for k = VALUES ... end\n  runs the block once for each column of VALUES (usually a range like 1:10)\n"
                    "  example: s = 0; for k = 1:10, s = s + k; end, s\n"},
            {"while", "while CONDITION ... end\n  repeats the block as long as the condition is true\n"
                      "  example: x = 1; while x < 100, x = 2 * x; end, x\n"},
            {"function", "function OUT = NAME(PARAMS) ... end\n  defines a function with its own variables; "
                         "[a, b] = NAME(...) for several results\n"
                         "  example: function y = sq(x)  y = x^2; end\n  one-line form: f(x) = x^2 + 1\n"},
            {"end", "end closes an if, for, while or function block; inside A(...) it means the last index\n"
                    "  example: v = [10 20 30]; v(end)\n"},
            {"break", "break leaves the innermost for or while loop at once\n"},
            {"continue", "continue skips to the next round of the innermost for or while loop\n"},
            {"return", "return leaves the function being run (or ends a script)\n"},
            {"else", "else starts the block of an if that runs when no condition was true\n"},
            {"elseif", "elseif CONDITION tests another condition inside an if\n"},
        };
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
            if (!strcmp(name, keywords[k].word)) {
                lm_emit_text(c->s, keywords[k].text, strlen(keywords[k].text));
                lm_buf_free(&b);
                return lm_nil();
            }
        }
        const lm_builtin *f = lm_builtin_find(name);
        if (!f) {
            const char *sug = lm_suggest_name(c->s, name);
            lm_buf_free(&b);
            if (sug) return lm_error_new(LM_ERR_NAME, "help: there is no function '%s'; did you mean '%s'?", name, sug);
            return lm_error_new(LM_ERR_NAME, "help: there is no function '%s' (type help to list them all)", name);
        }
        lm_buf_printf(&b, "%s\n  %s\n  example: %s\n", f->signature, f->help, f->example);
    }
    lm_emit_text(c->s, lm_buf_cstr(&b), b.len);
    lm_buf_free(&b);
    return lm_nil();
}

static lm_value b_class(lm_call *c) { return lm_string_cstr(lm_kind_name(c->args[0].kind)); }

/* ---- sizes ---- */

static lm_value size_of(lm_value v, int64_t *r, int64_t *cc, lm_tensor **t) {
    *t = NULL;
    switch (v.kind) {
    case LM_TENSOR:
        *t = lm_tensor_of(v);
        *r = (*t)->shape[0];
        *cc = (*t)->ndim > 1 ? (*t)->shape[1] : 1;
        return lm_nil();
    case LM_STRING:
        *r = 1;
        *cc = (int64_t)lm_string_len(v);
        return lm_nil();
    default:
        *r = *cc = 1;
        return lm_nil();
    }
}

static lm_value b_size(lm_call *c) {
    int64_t r, cc;
    lm_tensor *t;
    size_of(c->args[0], &r, &cc, &t);
    lm_err err = LM_ERR_INIT;
    if (c->nargs == 2) {
        int64_t d;
        lm_value e;
        if (!lm_arg_int(c, 1, "the dimension", 1, &d, &e)) return e;
        if (d == 1) return lm_num((double)r);
        if (d == 2) return lm_num((double)cc);
        return lm_num(t && d <= t->ndim ? (double)t->shape[d - 1] : 1.0);
    }
    int nd = t ? t->ndim : 2;
    if (c->nout > 1) {
        for (int k = 1; k < c->nout; k++)
            c->extra[k] = lm_num(k == 1 ? (double)cc : (t && k < t->ndim ? (double)t->shape[k] : 1.0));
        return lm_num((double)r);
    }
    lm_tensor *out = lm_tensor_matrix(1, nd, &err);
    if (!out) return lm_error_from(&err);
    out->data[0] = (double)r;
    out->data[1] = (double)cc;
    for (int d = 2; d < nd; d++) out->data[d] = (double)t->shape[d];
    return lm_tensor_value(out);
}

static int64_t numel_of(lm_value v) {
    if (v.kind == LM_TENSOR) return lm_tensor_of(v)->size;
    if (v.kind == LM_STRING) return (int64_t)lm_string_len(v);
    return 1;
}

static lm_value b_numel(lm_call *c) { return lm_num((double)numel_of(c->args[0])); }

static lm_value b_length(lm_call *c) {
    lm_value v = c->args[0];
    if (v.kind != LM_TENSOR) return lm_num((double)numel_of(v));
    lm_tensor *t = lm_tensor_of(v);
    if (t->size == 0) return lm_num(0);
    int64_t m = 0;
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] > m) m = t->shape[d];
    return lm_num((double)m);
}

static lm_value b_ndims(lm_call *c) {
    return lm_num(c->args[0].kind == LM_TENSOR ? (double)lm_tensor_of(c->args[0])->ndim : 2.0);
}

static lm_value b_rows(lm_call *c) {
    int64_t r, cc;
    lm_tensor *t;
    size_of(c->args[0], &r, &cc, &t);
    return lm_num((double)r);
}

static lm_value b_columns(lm_call *c) {
    int64_t r, cc;
    lm_tensor *t;
    size_of(c->args[0], &r, &cc, &t);
    return lm_num((double)cc);
}

static lm_value b_isempty(lm_call *c) { return lm_bool(numel_of(c->args[0]) == 0); }

/* ---- constructors ---- */

/* zeros(n), zeros(r, c), zeros(d1, d2, d3...) or zeros([r c]) */
static lm_value shape_args(lm_call *c, int *nd, int64_t shape[LM_MAX_DIMS]) {
    lm_value e;
    if (c->nargs == 0) {
        *nd = 2;
        shape[0] = shape[1] = 1;
        return lm_nil();
    }
    if (c->nargs == 1 && c->args[0].kind == LM_TENSOR) {
        lm_tensor *t = lm_tensor_of(c->args[0]);
        if (t->size < 1 || t->size > LM_MAX_DIMS)
            return lm_error_new(LM_ERR_SHAPE, "%s: a size vector needs 1 to %d entries", c->fname, LM_MAX_DIMS);
        *nd = t->size < 2 ? 2 : (int)t->size;
        for (int64_t k = 0; k < t->size; k++) {
            double d = t->data[lm_tensor_offset(t, k)];
            if (d != floor(d) || d < 0 || !isfinite(d))
                return lm_error_new(LM_ERR_DOMAIN, "%s: sizes must be whole numbers of at least 0, not %g", c->fname, d);
            shape[k] = (int64_t)fmin(d, 9e15);
        }
        if (t->size == 1) shape[1] = shape[0];
        return lm_nil();
    }
    if (c->nargs > LM_MAX_DIMS) return lm_error_new(LM_ERR_LIMIT, "%s: at most %d dimensions", c->fname, LM_MAX_DIMS);
    for (int i = 0; i < c->nargs; i++) {
        int64_t v;
        if (!lm_arg_int(c, i, "each size", 0, &v, &e)) return e;
        shape[i] = v;
    }
    *nd = c->nargs < 2 ? 2 : c->nargs;
    if (c->nargs == 1) shape[1] = shape[0];
    /* trailing singleton dimensions beyond two are dropped, as in Octave */
    while (*nd > 2 && shape[*nd - 1] == 1) (*nd)--;
    /* check the element count before anything is allocated */
    double total = 1;
    for (int d = 0; d < *nd; d++) total *= (double)shape[d];
    if (total > (double)LM_MAX_ELEMS)
        return lm_error_new(LM_ERR_LIMIT, "%s: %.0f elements is more than the limit of %lld", c->fname, total,
                            (long long)LM_MAX_ELEMS);
    return lm_nil();
}

static lm_value make_filled(lm_call *c, double value) {
    int nd;
    int64_t shape[LM_MAX_DIMS];
    lm_value e = shape_args(c, &nd, shape);
    if (lm_is_error(e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_fill(nd, shape, value, &err);
    return t ? lm_narrow(lm_tensor_value(t)) : lm_error_from(&err);
}

static lm_value b_zeros(lm_call *c) { return make_filled(c, 0); }
static lm_value b_ones(lm_call *c) { return make_filled(c, 1); }

static lm_value b_eye(lm_call *c) {
    int nd;
    int64_t shape[LM_MAX_DIMS];
    lm_value e = shape_args(c, &nd, shape);
    if (lm_is_error(e)) return e;
    if (nd != 2) return lm_error_new(LM_ERR_SHAPE, "eye makes a 2-D identity matrix: eye(n) or eye(r, c)");
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_matrix(shape[0], shape[1], &err);
    if (!t) return lm_error_from(&err);
    for (int64_t i = 0; i < shape[0] && i < shape[1]; i++) t->data[i * shape[1] + i] = 1;
    return lm_narrow(lm_tensor_value(t));
}

static lm_value random_fill(lm_call *c, bool normal) {
    int nd;
    int64_t shape[LM_MAX_DIMS];
    lm_value e = shape_args(c, &nd, shape);
    if (lm_is_error(e)) return e;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_new(nd, shape, &err);
    if (!t) return lm_error_from(&err);
    /* filled in column-major order so rand(3, 2) and rand(3, 1) agree on the first column */
    int64_t r = t->shape[0], cc = t->size / (r ? r : 1);
    for (int64_t j = 0; j < cc; j++)
        for (int64_t i = 0; i < r; i++) {
            double v = normal ? lm_rng_normal(&c->ctx->rng) : lm_rng_uniform(&c->ctx->rng);
            t->data[i * cc + j] = v;
        }
    return lm_narrow(lm_tensor_value(t));
}

static lm_value b_rand(lm_call *c) { return random_fill(c, false); }
static lm_value b_randn(lm_call *c) { return random_fill(c, true); }

static lm_value b_seed(lm_call *c) {
    int64_t s;
    lm_value e;
    if (!lm_arg_int(c, 0, "the seed", 0, &s, &e)) return e;
    lm_rng_seed(&c->ctx->rng, (uint64_t)s);
    return lm_nil();
}

/* linspace's points for the arguments (a, b, n), n defaulting to default_n;
 * NULL with *e set on a bad argument. */
static lm_tensor *spaced_points(lm_call *c, int64_t default_n, lm_value *e) {
    double a, b;
    int64_t n = default_n;
    if (!lm_arg_double(c, 0, "the start", &a, e) || !lm_arg_double(c, 1, "the end", &b, e)) return NULL;
    if (c->nargs > 2 && !lm_arg_int(c, 2, "the number of points", 0, &n, e)) return NULL;
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_linspace(a, b, n, &err);
    if (!t) *e = lm_error_from(&err);
    return t;
}

static lm_value b_linspace(lm_call *c) {
    lm_value e;
    lm_tensor *t = spaced_points(c, 100, &e);
    return t ? lm_narrow(lm_tensor_value(t)) : e;
}

/* logspace(a, b, n = 50): n points from 10^a to 10^b, evenly spaced in the
 * exponent (Octave's default count), for log-scale axes and learning-rate
 * sweeps. */
static lm_value b_logspace(lm_call *c) {
    lm_value e;
    lm_tensor *t = spaced_points(c, 50, &e); /* the exponents */
    if (!t) return e;
    for (int64_t k = 0; k < t->size; k++) t->data[k] = pow(10, t->data[k]);
    return lm_narrow(lm_tensor_value(t));
}

/* trapz(y) or trapz(x, y): the area under sampled values by the trapezoidal
 * rule, sum of (x_k+1 - x_k)(y_k + y_k+1)/2 (unit spacing without x). */
static lm_value b_trapz(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *y = lm_as_tensor(c->args[c->nargs - 1], "trapz's values y", &err);
    lm_tensor *x = y && c->nargs > 1 ? lm_as_tensor(c->args[0], "trapz's points x", &err) : NULL;
    lm_value r;
    if (!y || (c->nargs > 1 && !x)) {
        r = lm_error_from(&err);
    } else if (y->imag || (x && x->imag)) {
        r = lm_error_new(LM_ERR_TYPE, "trapz works with real numbers");
    } else if (x && x->size != y->size) {
        r = lm_error_new(LM_ERR_SHAPE, "trapz(x, y) needs as many points x as values y, not %lld and %lld",
                         (long long)x->size, (long long)y->size);
    } else {
        double area = 0;
        for (int64_t k = 0; k + 1 < y->size; k++) {
            double h = x ? x->data[lm_tensor_offset(x, k + 1)] - x->data[lm_tensor_offset(x, k)] : 1;
            area += h * (y->data[lm_tensor_offset(y, k)] + y->data[lm_tensor_offset(y, k + 1)]) / 2;
        }
        r = lm_num(area);
    }
    lm_tensor_release(x);
    lm_tensor_release(y);
    return r;
}

static lm_value b_reshape(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[0], "reshape's first argument", &err);
    if (!t) return lm_error_from(&err);
    lm_call sub = *c;
    sub.args = c->args + 1;
    sub.nargs = c->nargs - 1;
    int nd;
    int64_t shape[LM_MAX_DIMS];
    lm_value e = shape_args(&sub, &nd, shape);
    if (lm_is_error(e)) {
        lm_tensor_release(t);
        return e;
    }
    int64_t total = 1;
    for (int d = 0; d < nd; d++) total *= shape[d];
    if (total != t->size) {
        char sh[64];
        lm_tensor_shape_str(t, sh);
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_SHAPE, "reshape: %s has %lld elements, which cannot fill %lld places", sh,
                            (long long)t->size, (long long)total);
    }
    /* Octave reshapes in column-major order: read and write columns first */
    lm_tensor *out = lm_tensor_new(nd, shape, &err);
    if (!out) {
        lm_tensor_release(t);
        return lm_error_from(&err);
    }
    int64_t idx[LM_MAX_DIMS] = {0};
    for (int64_t k = 0; k < t->size; k++) {
        /* k-th element in column-major order of the source */
        int64_t rem = k, off = 0;
        for (int d = 0; d < t->ndim; d++) {
            off += (rem % t->shape[d]) * t->stride[d];
            rem /= t->shape[d];
        }
        int64_t o = 0, mul = 1;
        for (int d = nd - 1; d >= 0; d--) {
            o += idx[d] * mul;
            mul *= shape[d];
        }
        out->data[o] = t->data[off];
        for (int d = 0; d < nd; d++) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    lm_tensor_release(t);
    return lm_narrow(lm_tensor_value(out));
}

/* ---- reductions: down the columns of a matrix, as Octave does ---- */

static lm_value reduce(lm_call *c, lm_reduce op) {
    lm_err err = LM_ERR_INIT;
    lm_value v = c->args[0];
    if (v.kind == LM_EXPR) return lm_error_new(LM_ERR_TYPE, "%s needs numbers; this is an expression with unknowns", c->fname);
    lm_tensor *t = lm_as_tensor(v, c->fname, &err);
    if (!t) return lm_error_from(&err);
    int axis;
    if (c->nargs > 1) {
        int64_t d;
        lm_value e;
        if (!lm_arg_int(c, 1, "the dimension", 1, &d, &e)) {
            lm_tensor_release(t);
            return e;
        }
        if (d > t->ndim) {
            /* reducing along a dimension of size 1 leaves the value as it is */
            lm_value r = lm_retain(v);
            lm_tensor_release(t);
            return r;
        }
        axis = (int)d - 1;
    } else {
        /* the first dimension that is not 1: a row vector sums along its length */
        axis = 0;
        while (axis < t->ndim - 1 && t->shape[axis] == 1) axis++;
    }
    if (t->size == 0 && t->ndim == 2 && t->shape[0] == 0 && t->shape[1] == 0) {
        lm_tensor_release(t);
        if (op == LM_RED_SUM) return lm_num(0);
        if (op == LM_RED_PROD) return lm_num(1);
        if (op == LM_RED_MEAN) return lm_num(NAN);
        return lm_tensor_value(lm_tensor_matrix(0, 0, &err));
    }
    bool want_index = c->nout > 1 && (op == LM_RED_MAX || op == LM_RED_MIN);
    lm_tensor *r = lm_tensor_reduce(op, t, axis, &err);
    if (r && want_index) {
        lm_tensor *ix = lm_tensor_reduce(op == LM_RED_MAX ? LM_RED_ARGMAX : LM_RED_ARGMIN, t, axis, &err);
        if (ix) {
            for (int64_t k = 0; k < ix->size; k++) ix->data[k] += 1; /* 1-based */
            c->extra[1] = lm_narrow(lm_tensor_value(ix));
        }
    }
    lm_tensor_release(t);
    return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
}

static lm_value b_sum(lm_call *c) { return reduce(c, LM_RED_SUM); }
static lm_value b_prod(lm_call *c) { return reduce(c, LM_RED_PROD); }
static lm_value b_mean(lm_call *c) {
    if (c->args[0].kind == LM_DIST) { /* the mean of a distribution (a column for vector ones) */
        lm_err err = LM_ERR_INIT;
        lm_tensor *m = lm_dist_mean_tensor(lm_dist_of(c->args[0]), &err);
        return m ? lm_narrow(lm_tensor_value(m)) : lm_error_from(&err);
    }
    return reduce(c, LM_RED_MEAN);
}

static lm_value minmax(lm_call *c, bool is_max) {
    if (c->nargs == 2) {
        /* max(a, b): elementwise */
        lm_err err = LM_ERR_INIT;
        double x, y;
        if (lm_as_double(c->args[0], &x) && lm_as_double(c->args[1], &y) && c->args[0].kind != LM_TENSOR &&
            c->args[1].kind != LM_TENSOR)
            return lm_num(is_max ? fmax(x, y) : fmin(x, y));
        lm_tensor *a = lm_as_tensor(c->args[0], c->fname, &err);
        lm_tensor *b = a ? lm_as_tensor(c->args[1], c->fname, &err) : NULL;
        lm_tensor *r = b ? lm_tensor_binop(is_max ? LM_OP_MAX : LM_OP_MIN, a, b, c->fname, &err) : NULL;
        lm_tensor_release(a);
        lm_tensor_release(b);
        return r ? lm_narrow(lm_tensor_value(r)) : lm_error_from(&err);
    }
    if (c->nargs == 3) {
        lm_call sub = *c;
        lm_value args[2] = {c->args[0], c->args[2]};
        sub.args = args;
        sub.nargs = 2;
        if (!lm_is_nil(c->args[1]) && !(c->args[1].kind == LM_TENSOR && lm_tensor_of(c->args[1])->size == 0))
            return lm_error_new(LM_ERR_TYPE, "%s(A, [], dim): the second argument must be []", c->fname);
        return reduce(&sub, is_max ? LM_RED_MAX : LM_RED_MIN);
    }
    return reduce(c, is_max ? LM_RED_MAX : LM_RED_MIN);
}

static lm_value b_max(lm_call *c) { return minmax(c, true); }
static lm_value b_min(lm_call *c) { return minmax(c, false); }

/* cumsum and cumprod: running totals or products along a row vector, else
 * down each column (Octave), complex parts included. */
static lm_value running(lm_call *c, bool product) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[0], product ? "cumprod's argument" : "cumsum's argument", &err);
    if (!t) return lm_error_from(&err);
    if (t->ndim != 2) {
        lm_tensor_release(t);
        return lm_error_new(LM_ERR_SHAPE, "%s works on vectors and matrices", c->fname);
    }
    lm_tensor *r = lm_tensor_copy(t, &err);
    lm_tensor_release(t);
    if (!r) return lm_error_from(&err);
    int64_t rows = r->shape[0], cols = r->shape[1];
    /* element k takes element prev's total: along the row, or down the column */
    int64_t step = rows == 1 ? 1 : cols, n = rows == 1 ? cols : rows, lines = rows == 1 ? 1 : cols;
    double *re = r->data, *im = r->imag;
    for (int64_t l = 0; l < lines; l++)
        for (int64_t i = 1; i < n; i++) {
            int64_t k = l + i * step, prev = k - step;
            if (!product) {
                re[k] += re[prev];
                if (im) im[k] += im[prev];
            } else if (!im) {
                re[k] *= re[prev];
            } else {
                double a = re[prev], b = im[prev], x = re[k], y = im[k];
                re[k] = a * x - b * y;
                im[k] = a * y + b * x;
            }
        }
    return lm_narrow(lm_tensor_value(r));
}

static lm_value b_cumsum(lm_call *c) { return running(c, false); }
static lm_value b_cumprod(lm_call *c) { return running(c, true); }

static lm_value b_any_all(lm_call *c, bool is_all) {
    lm_value v = c->args[0];
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(v, c->fname, &err);
    if (!t) return lm_error_from(&err);
    bool acc = is_all;
    for (int64_t k = 0; k < t->size; k++) {
        bool nz = t->data[lm_tensor_offset(t, k)] != 0;
        if (is_all && !nz) acc = false;
        if (!is_all && nz) acc = true;
    }
    lm_tensor_release(t);
    return lm_bool(acc);
}

static lm_value b_any(lm_call *c) { return b_any_all(c, false); }
static lm_value b_all(lm_call *c) { return b_any_all(c, true); }

static lm_value b_find(lm_call *c) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[0], "find's argument", &err);
    if (!t) return lm_error_from(&err);
    int64_t n = 0, r = lm_tensor_rows(t);
    for (int64_t k = 0; k < t->size; k++) {
        int64_t i = r ? k % r : 0, j = r ? k / r : 0;
        if ((t->ndim == 2 ? lm_tensor_get2(t, i, j) : t->data[lm_tensor_offset(t, k)]) != 0) n++;
    }
    bool row = t->ndim == 2 && t->shape[0] == 1;
    lm_tensor *out = row ? lm_tensor_matrix(1, n, &err) : lm_tensor_matrix(n, 1, &err);
    if (out) {
        int64_t q = 0;
        for (int64_t k = 0; k < t->size; k++) {
            int64_t i = r ? k % r : 0, j = r ? k / r : 0;
            if ((t->ndim == 2 ? lm_tensor_get2(t, i, j) : t->data[lm_tensor_offset(t, k)]) != 0) out->data[q++] = (double)k + 1;
        }
    }
    lm_tensor_release(t);
    return out ? lm_narrow(lm_tensor_value(out)) : lm_error_from(&err);
}

typedef struct sort_item {
    double v;
    int64_t i; /* position in v, 0-based: ties keep their order */
} sort_item;

/* NaN counts as larger than every number, as in Octave and MATLAB: last
 * going up, first going down */
static int cmp_item_up(const void *pa, const void *pb) {
    const sort_item *a = pa, *b = pb;
    if (isnan(a->v) != isnan(b->v)) return isnan(a->v) ? 1 : -1;
    if (!isnan(a->v) && a->v != b->v) return a->v < b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int cmp_item_down(const void *pa, const void *pb) {
    const sort_item *a = pa, *b = pb;
    if (isnan(a->v) != isnan(b->v)) return isnan(a->v) ? -1 : 1;
    if (!isnan(a->v) && a->v != b->v) return a->v > b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* sort(v), sort(v, "descend"), [s, i] = sort(v): a stable sort of a real
 * vector, with i the original positions (1-based), so that v(i) is s. */
static lm_value b_sort(lm_call *c) {
    bool down = false;
    if (c->nargs > 1) {
        lm_value d = c->args[1];
        bool ok = d.kind == LM_STRING;
        if (ok) down = !strcmp(lm_string_data(d), "descend");
        if (!ok || (!down && strcmp(lm_string_data(d), "ascend") != 0))
            return lm_error_new(LM_ERR_DOMAIN, "sort: the order is \"ascend\" or \"descend\", as in sort(v, \"descend\")");
    }
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(c->args[0], "sort's argument", &err);
    if (!t) return lm_error_from(&err);
    if (t->size == 0) {
        if (c->nout > 1) { /* no positions either */
            lm_obj_retain(&t->hdr);
            c->extra[1] = lm_tensor_value(t);
        }
        return lm_tensor_value(t);
    }
    if (t->ndim != 2 || (t->shape[0] != 1 && t->shape[1] != 1) || t->imag) {
        bool cplx = t->imag != NULL;
        lm_tensor_release(t);
        return cplx ? lm_error_new(LM_ERR_TYPE, "sort compares real numbers; complex numbers have no order (sort(abs(v)) "
                                                "sorts them by size)")
                    : lm_error_new(LM_ERR_SHAPE, "sort works on vectors");
    }
    lm_tensor *r = lm_tensor_new(t->ndim, t->shape, &err), *ix = r && c->nout > 1 ? lm_tensor_new(t->ndim, t->shape, &err) : NULL;
    sort_item *items = r && (c->nout < 2 || ix) ? lm_alloc_big((size_t)(t->size ? t->size : 1) * sizeof *items) : NULL;
    if (!items) {
        lm_tensor_release(t);
        lm_tensor_release(r);
        lm_tensor_release(ix);
        return err.kind != LM_OK ? lm_error_from(&err) : lm_error_new(LM_ERR_LIMIT, "sort: not enough memory");
    }
    for (int64_t k = 0; k < t->size; k++) items[k] = (sort_item){t->data[lm_tensor_offset(t, k)], k};
    lm_tensor_release(t);
    qsort(items, (size_t)r->size, sizeof *items, down ? cmp_item_down : cmp_item_up);
    for (int64_t k = 0; k < r->size; k++) {
        r->data[k] = items[k].v;
        if (ix) ix->data[k] = (double)(items[k].i + 1);
    }
    lm_free(items);
    if (ix) c->extra[1] = lm_narrow(lm_tensor_value(ix));
    return lm_narrow(lm_tensor_value(r));
}

static bool values_equal(lm_value a, lm_value b) {
    if (a.kind == LM_STRING || b.kind == LM_STRING)
        return a.kind == b.kind && lm_string_len(a) == lm_string_len(b) &&
               memcmp(lm_string_data(a), lm_string_data(b), lm_string_len(a)) == 0;
    if (a.kind == LM_EXPR || b.kind == LM_EXPR) return a.kind == b.kind && a.u.obj == b.u.obj;
    lm_err err = LM_ERR_INIT;
    lm_tensor *x = lm_as_tensor(a, "", &err), *y = x ? lm_as_tensor(b, "", &err) : NULL;
    bool eq = x && y && x->ndim == y->ndim;
    for (int d = 0; eq && d < x->ndim; d++) eq = x->shape[d] == y->shape[d];
    for (int64_t k = 0; eq && k < x->size; k++) {
        int64_t ox = lm_tensor_offset(x, k), oy = lm_tensor_offset(y, k);
        eq = x->data[ox] == y->data[oy] && (x->imag ? x->imag[ox] : 0) == (y->imag ? y->imag[oy] : 0);
    }
    lm_tensor_release(x);
    lm_tensor_release(y);
    lm_err_clear(&err);
    return eq;
}

static lm_value b_isequal(lm_call *c) {
    for (int i = 1; i < c->nargs; i++)
        if (!values_equal(c->args[0], c->args[i])) return lm_bool(false);
    return lm_bool(true);
}

/* A matrix of expressions (hessian(x^2 + 3*y^2) is one) whose entries are all
 * numbers becomes the numeric matrix they spell; one that still holds unknowns
 * stays as it is, as float does for any expression with unknowns. */
static lm_value float_sym_matrix(const lm_expr *m, lm_value v) {
    bool complex = false;
    for (int i = 0; i < m->nargs; i++) {
        if (!lm_sym_is_number(m->args[i])) return lm_retain(v);
        double re, im;
        lm_sym_to_complex(m->args[i], &re, &im);
        if (im != 0 && !isnan(im)) complex = true;
    }
    lm_err err = LM_ERR_INIT;
    int64_t shape[2] = {m->u.rat.p, m->u.rat.q}; /* a matrix node keeps its rows and columns there */
    lm_tensor *t = complex ? lm_tensor_new_complex(2, shape, &err) : lm_tensor_new(2, shape, &err);
    if (!t) return lm_error_from(&err);
    for (int i = 0; i < m->nargs; i++) {
        double re, im;
        lm_sym_to_complex(m->args[i], &re, &im);
        t->data[i] = re;
        if (complex) t->imag[i] = isnan(im) ? 0 : im;
    }
    return lm_narrow(lm_tensor_value(t));
}

static lm_value b_float(lm_call *c) {
    lm_value v = c->args[0];
    if (v.kind == LM_EXPR) {
        lm_expr *e = lm_expr_of(v);
        if (e->op == LM_X_MATRIX) return float_sym_matrix(e, v);
        if (lm_sym_is_number(e)) return lm_num(lm_sym_to_double(e));
        return lm_retain(v);
    }
    if (v.kind == LM_BOOL) return lm_num(v.u.b);
    if (v.kind == LM_TENSOR && lm_tensor_of(v)->exact) {
        lm_err err = LM_ERR_INIT;
        lm_tensor *c2 = lm_tensor_copy(lm_tensor_of(v), &err); /* copies drop the exact values */
        return c2 ? lm_narrow(lm_tensor_value(c2)) : lm_error_from(&err);
    }
    lm_value r = lm_retain(v);
    r.flags = 0;
    return r;
}

#define B(name, fn, lo, hi, out, sig, help, ex) {name, fn, lo, hi, out, sig, help, ex}
const lm_builtin lm_builtins_core[] = {
    B("all", b_all, 1, 1, 1, "all(v)", "true when every element is non-zero", "all([1 2 3] > 0)"),
    B("any", b_any, 1, 1, 1, "any(v)", "true when some element is non-zero", "any([0 0 1])"),
    B("class", b_class, 1, 1, 1, "class(x)", "the kind of a value, in words", "class([1 2])"),
    B("columns", b_columns, 1, 1, 1, "columns(A)", "the number of columns", "columns([1 2 3])"),
    B("cumprod", b_cumprod, 1, 1, 1, "cumprod(v)", "running products (down the columns of a matrix)", "cumprod([1 2 3 4])"),
    B("cumsum", b_cumsum, 1, 1, 1, "cumsum(v)", "running totals (down the columns of a matrix)", "cumsum([1 2 3])"),
    B("disp", b_disp, 1, 1, 1, "disp(x)", "print a value without its name", "disp([1 2; 3 4])"),
    B("error", b_error, 1, -1, 1, "error(fmt, ...)", "stop with an error message (printf-style)", "error(\"x must be positive\")"),
    B("eye", b_eye, 0, 2, 1, "eye(n) or eye(r, c)", "the identity matrix", "eye(3)"),
    B("find", b_find, 1, 1, 1, "find(v)", "the (linear, 1-based) positions of the non-zero elements", "find([0 3 0 5])"),
    B("float", b_float, 1, 1, 1, "float(x)", "a number as a plain floating-point value (drops exactness)", "float(sqrt(2))"),
    B("help", b_help, 0, 1, 1, "help or help(\"name\")", "what a function does, with an example", "help sin"),
    B("isempty", b_isempty, 1, 1, 1, "isempty(x)", "true when x has no elements", "isempty([])"),
    B("isequal", b_isequal, 2, -1, 1, "isequal(a, b, ...)", "true when the values are equal in shape and every element", "isequal([1 2], [1 2])"),
    B("length", b_length, 1, 1, 1, "length(v)", "the largest dimension (the length of a vector)", "length([1 2 3])"),
    B("linspace", b_linspace, 2, 3, 1, "linspace(a, b, n = 100)", "n equally spaced points from a to b, as a row", "linspace(0, 1, 5)"),
    B("logspace", b_logspace, 2, 3, 1, "logspace(a, b, n = 50)", "n points from 10^a to 10^b, evenly spaced on a log scale", "logspace(-3, 0, 4)"),
    B("max", b_max, 1, 3, 2, "max(v), max(a, b), [m, k] = max(v)", "the largest element (down each column of a matrix), and where", "max([3 1 4])"),
    B("mean", b_mean, 1, 2, 1, "mean(v) or mean(A, dim)", "the arithmetic mean (of each column of a matrix)", "mean([1 2 3 4])"),
    B("min", b_min, 1, 3, 2, "min(v), min(a, b), [m, k] = min(v)", "the smallest element (down each column of a matrix), and where", "min([3 1 4])"),
    B("ndims", b_ndims, 1, 1, 1, "ndims(A)", "the number of dimensions (2 for a matrix)", "ndims(zeros(2, 3, 4))"),
    B("num2str", b_num2str, 1, 1, 1, "num2str(x)", "a value as text", "num2str(pi)"),
    B("numel", b_numel, 1, 1, 1, "numel(A)", "the number of elements", "numel([1 2; 3 4])"),
    B("ones", b_ones, 0, LM_MAX_DIMS, 1, "ones(n), ones(r, c)", "a matrix of ones", "ones(2, 3)"),
    B("printf", b_printf, 1, -1, 1, "printf(fmt, ...)", "print formatted text: %d %f %g %e %s, \\n for a new line", "printf(\"%d squared is %d\\n\", 3, 9)"),
    B("prod", b_prod, 1, 2, 1, "prod(v) or prod(A, dim)", "the product of the elements (of each column of a matrix)", "prod([1 2 3 4])"),
    B("rand", b_rand, 0, LM_MAX_DIMS, 1, "rand(n), rand(r, c)", "uniform random numbers in [0, 1); seed(k) makes them repeatable", "seed(1); rand(2, 2)"),
    B("randn", b_randn, 0, LM_MAX_DIMS, 1, "randn(n), randn(r, c)", "standard normal random numbers; seed(k) makes them repeatable", "seed(1); randn(3, 1)"),
    B("reshape", b_reshape, 2, 1 + LM_MAX_DIMS, 1, "reshape(A, r, c)", "the same elements in a new shape (taken column by column)", "reshape(1:6, 2, 3)"),
    B("rows", b_rows, 1, 1, 1, "rows(A)", "the number of rows", "rows([1; 2; 3])"),
    B("seed", b_seed, 1, 1, 1, "seed(k)", "restart the random numbers from seed k: the same seed gives the same numbers everywhere", "seed(42); rand()"),
    B("size", b_size, 1, 2, LM_MAX_DIMS, "size(A), size(A, dim), [r, c] = size(A)", "the dimensions of a value", "size([1 2 3; 4 5 6])"),
    B("trapz", b_trapz, 1, 2, 1, "trapz(y) or trapz(x, y)", "the area under sampled values by the trapezoidal rule (unit spacing without x)", "x = linspace(0, 1, 101); trapz(x, x.^2)"),
    B("sort", b_sort, 1, 2, 2, "sort(v), sort(v, \"descend\"), [s, i] = sort(v)",
      "the elements in increasing (or decreasing) order; i gives where each came from, so v(i) is s", "sort([3 1 2])"),
    B("sprintf", b_sprintf, 1, -1, 1, "sprintf(fmt, ...)", "formatted text as a string", "sprintf(\"%.2f\", pi)"),
    B("sum", b_sum, 1, 2, 1, "sum(v) or sum(A, dim)", "the sum of the elements (of each column of a matrix)", "sum([1 2; 3 4])"),
    B("zeros", b_zeros, 0, LM_MAX_DIMS, 1, "zeros(n), zeros(r, c)", "a matrix of zeros", "zeros(2, 3)"),
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
