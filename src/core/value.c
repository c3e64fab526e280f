/* Values: the refcounted tagged value, the core heap kinds (complex, string,
 * error) and the error records of the engine's C API. */
#include "lemma/core.h"

#include <stdio.h>
#include <string.h>

static const char *const errkind_names[] = {
    "ok",
#define X(e, json, what) json,
#include "lemma/errors.def"
#undef X
};

const char *lm_errkind_name(lm_errkind k) {
    return (unsigned)k < LM_ERR__COUNT ? errkind_names[k] : "internal";
}

const char *lm_kind_name(lm_kind k) {
    switch (k) {
    case LM_NIL: return "nothing";
    case LM_BOOL: return "boolean";
    case LM_NUM: return "number";
    case LM_COMPLEX: return "complex number";
    case LM_STRING: return "string";
    case LM_TENSOR: return "matrix";
    case LM_EXPR: return "expression";
    case LM_FUNC: return "function";
    case LM_DIST: return "distribution";
    case LM_TEST: return "test result";
    case LM_PLOT: return "plot";
    case LM_OBJECT: return "object";
    case LM_ERROR: return "error";
    default: return "value";
    }
}

const char *lm_kind_a(lm_kind k) {
    switch (k) {
    case LM_NIL: return "nothing";
    case LM_BOOL: return "a boolean";
    case LM_NUM: return "a number";
    case LM_COMPLEX: return "a complex number";
    case LM_STRING: return "a string";
    case LM_TENSOR: return "a matrix";
    case LM_EXPR: return "an expression";
    case LM_FUNC: return "a function";
    case LM_DIST: return "a distribution";
    case LM_TEST: return "a test result";
    case LM_PLOT: return "a plot";
    case LM_OBJECT: return "an object";
    case LM_ERROR: return "an error";
    default: return "a value";
    }
}

/* ---- error records ---- */

lm_status lm_err_set(lm_err *err, lm_errkind kind, const char *fmt, ...) {
    if (!err || err->kind != LM_OK) return err ? err->kind : kind;
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err->kind = kind;
    err->msg = lm_buf_steal(&b);
    return kind;
}

void lm_err_clear(lm_err *err) {
    lm_free(err->msg);
    err->msg = NULL;
    err->kind = LM_OK;
}

/* ---- refcounting ---- */

void lm_obj_init(lm_obj *o, lm_kind kind, const lm_objtype *type) {
    o->refcnt = 1;
    o->kind = (uint8_t)kind;
    o->flags = 0;
    o->pad = 0;
    o->type = type;
}

void lm_obj_retain(lm_obj *o) {
    if (o->refcnt != LM_IMMORTAL) o->refcnt++;
}

void lm_obj_release(lm_obj *o) {
    if (!o || o->refcnt == LM_IMMORTAL) return;
    if (--o->refcnt == 0) {
        if (o->type && o->type->free) o->type->free(o);
        else lm_free(o);
    }
}

lm_value lm_retain(lm_value v) {
    if (lm_is_heap(v) && v.u.obj) lm_obj_retain(v.u.obj);
    return v;
}

void lm_release(lm_value v) {
    if (lm_is_heap(v) && v.u.obj) lm_obj_release(v.u.obj);
}

/* ---- complex ---- */

static const lm_objtype complex_type = {"complex", NULL, NULL, NULL};

lm_value lm_complex_new(double re, double im) {
    lm_complex *c = lm_alloc(sizeof *c);
    lm_obj_init(&c->hdr, LM_COMPLEX, &complex_type);
    c->re = re;
    c->im = im;
    return lm_obj_value(&c->hdr);
}

lm_value lm_complex_or_real(double re, double im) {
    return im == 0 ? lm_num(re) : lm_complex_new(re, im);
}

/* ---- strings ---- */

static const lm_objtype string_type = {"string", NULL, NULL, NULL};

lm_value lm_string_new(const char *s, size_t n) {
    lm_string *str = lm_alloc(sizeof *str + n + 1);
    lm_obj_init(&str->hdr, LM_STRING, &string_type);
    str->len = n;
    memcpy(str->s, s, n);
    str->s[n] = '\0';
    return lm_obj_value(&str->hdr);
}

lm_value lm_string_cstr(const char *s) { return lm_string_new(s, strlen(s)); }

/* ---- error values ---- */

static void error_free(lm_obj *o) {
    lm_error *e = (lm_error *)o;
    lm_free(e->msg);
    lm_free(e);
}

static const lm_objtype error_type = {"error", error_free, NULL, NULL};

static lm_value error_make(lm_errkind kind, char *msg) {
    lm_error *e = lm_calloc(1, sizeof *e);
    lm_obj_init(&e->hdr, LM_ERROR, &error_type);
    e->kind = kind;
    e->msg = msg;
    return lm_obj_value(&e->hdr);
}

lm_value lm_error_newv(lm_errkind kind, const char *fmt, va_list ap) {
    lm_buf b = LM_BUF_INIT;
    lm_buf_vprintf(&b, fmt, ap);
    return error_make(kind, lm_buf_steal(&b));
}

lm_value lm_error_new(lm_errkind kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_value v = lm_error_newv(kind, fmt, ap);
    va_end(ap);
    return v;
}

lm_value lm_error_from(lm_err *err) {
    lm_errkind kind = err->kind == LM_OK ? LM_ERR_INTERNAL : err->kind;
    char *msg = err->msg ? err->msg : lm_strdup("an operation failed without saying why (a bug in lemma)");
    err->msg = NULL;
    err->kind = LM_OK;
    return error_make(kind, msg);
}

void lm_error_set_span(lm_value v, uint32_t start, uint32_t end) {
    if (!lm_is_error(v)) return;
    lm_error *e = lm_error_obj(v);
    if (e->has_span) return;
    e->has_span = true;
    e->start = start;
    e->end = end;
}
