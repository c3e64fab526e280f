/* equivalent(a, b): the answer checker (answer.c, check.h) as a builtin. True
 * when a learner's answer a is accepted for the reference b. Two strings are
 * read as answers are (`2x`, `50%`, `{1, 2}`), in a fresh session, with the
 * type taken from the reference; values are compared directly by the same
 * rules; a string beside a value is compared after writing the value out. */
#include "lang/lang_int.h"
#include "lemma/check.h"

#include <string.h>

static void put_number(lm_buf *b, double re, double im) {
    char s[32];
    if (im == 0) {
        lm_fmt_double_shortest(s, re);
        lm_buf_puts(b, s);
        return;
    }
    lm_fmt_double_shortest(s, re);
    lm_buf_printf(b, "(%s", s);
    lm_fmt_double_shortest(s, im);
    lm_buf_printf(b, " + (%s)*i)", s);
}

/* A value in lemma syntax that reads back as the same value, or false. */
static bool value_source(lm_value v, lm_buf *b) {
    switch (v.kind) {
    case LM_NUM: put_number(b, v.u.num, 0); return true;
    case LM_BOOL: lm_buf_puts(b, v.u.b ? "1" : "0"); return true;
    case LM_COMPLEX: put_number(b, lm_complex_re(v), lm_complex_im(v)); return true;
    case LM_EXPR: lm_sym_print_text(lm_expr_of(v), b); return true;
    case LM_TENSOR: {
        lm_tensor *t = lm_tensor_of(v);
        if (t->ndim > 2 || t->size > LM_ANSWER_MAX_BYTES) return false;
        lm_buf_putc(b, '[');
        for (int64_t i = 0; i < lm_tensor_rows(t); i++) {
            if (i) lm_buf_puts(b, "; ");
            for (int64_t j = 0; j < lm_tensor_cols(t); j++) {
                if (j) lm_buf_putc(b, ' ');
                int64_t k = i * lm_tensor_cols(t) + j;
                if (t->exact) lm_buf_printf(b, "%lld/%lld", (long long)t->exact[k].p, (long long)t->exact[k].q);
                else put_number(b, lm_tensor_get2(t, i, j), lm_tensor_imag2(t, i, j));
            }
        }
        lm_buf_putc(b, ']');
        return true;
    }
    default: return false;
    }
}

static lm_value result(lm_call *c, lm_verdict *v) {
    if (v->kind == LM_VERDICT_UNPARSED) lm_warn(c->ctx, "%s: %s", c->fname, v->feedback ? v->feedback : "not checked");
    if (c->nout >= 2) c->extra[1] = lm_string_cstr(v->feedback ? v->feedback : "");
    lm_value r = lm_bool(v->kind == LM_VERDICT_CORRECT);
    lm_verdict_free(v);
    return r;
}

static lm_value b_equivalent(lm_call *c) {
    lm_answer_spec spec;
    memset(&spec, 0, sizeof spec);
    lm_value err = lm_nil();
    bool probability = false, strict = false;
    if (!lm_opt_double(c, "tol", &spec.tol, &err) || !lm_opt_bool(c, "probability", &probability, &err) ||
        !lm_opt_bool(c, "strict", &strict, &err))
        return err;
    if (spec.tol < 0 || spec.tol >= 1)
        return lm_error_new(LM_ERR_DOMAIN, "%s: tol is a relative tolerance between 0 and 1, not %g", c->fname, spec.tol);
    spec.probability = probability;
    spec.strict_shape = strict;
    lm_value type = lm_call_named(c, "type"), domain = lm_call_named(c, "domain");
    bool have_type = !lm_is_nil(type);
    if (have_type && (type.kind != LM_STRING || !lm_answer_type_parse(lm_string_data(type), &spec.type)))
        return lm_error_new(LM_ERR_TYPE,
                            "%s: type must be one of \"number\", \"fraction\", \"vector\", \"matrix\", \"expression\", "
                            "\"interval\" or \"set\"",
                            c->fname);
    if (have_type && spec.type == LM_ANS_CHOICE)
        return lm_error_new(LM_ERR_TYPE, "%s: multiple choice needs its options; compare the letters as strings instead",
                            c->fname);
    if (!lm_is_nil(domain)) {
        if (domain.kind != LM_STRING ||
            (strcmp(lm_string_data(domain), "positive") && strcmp(lm_string_data(domain), "unit") &&
             strcmp(lm_string_data(domain), "real")))
            return lm_error_new(LM_ERR_TYPE, "%s: domain must be \"real\", \"positive\" or \"unit\" (0 < x < 1)", c->fname);
        spec.domain = (char *)lm_string_data(domain);
    }
    lm_value a = c->args[0], b = c->args[1];
    lm_verdict v;
    if (a.kind != LM_STRING && b.kind != LM_STRING) {
        if (!have_type && !lm_answer_type_of(b, &spec.type))
            return lm_error_new(LM_ERR_TYPE, "%s: the reference must be a number, a matrix or an expression, not %s",
                                c->fname, lm_kind_a((lm_kind)b.kind));
        lm_check_values(c->ctx, &spec, a, b, &v);
        return result(c, &v);
    }
    /* one of them is text: compare both as text */
    lm_buf as = LM_BUF_INIT, bs = LM_BUF_INIT;
    if (a.kind == LM_STRING) lm_buf_put(&as, lm_string_data(a), lm_string_len(a));
    else if (!value_source(a, &as)) err = lm_error_new(LM_ERR_TYPE, "%s: the answer cannot be %s", c->fname, lm_kind_a((lm_kind)a.kind));
    if (b.kind == LM_STRING) lm_buf_put(&bs, lm_string_data(b), lm_string_len(b));
    else if (lm_is_nil(err) && !value_source(b, &bs))
        err = lm_error_new(LM_ERR_TYPE, "%s: the reference cannot be %s", c->fname, lm_kind_a((lm_kind)b.kind));
    if (lm_is_nil(err) && (strlen(lm_buf_cstr(&as)) != as.len || strlen(lm_buf_cstr(&bs)) != bs.len))
        err = lm_error_new(LM_ERR_TYPE, "%s: an answer cannot contain a NUL character", c->fname);
    if (lm_is_nil(err) && !have_type && !lm_answer_type_infer(lm_buf_cstr(&bs), &spec.type))
        err = lm_error_new(LM_ERR_TYPE, "%s: the reference \"%s\" cannot be read as a number, a matrix or an expression",
                           c->fname, lm_buf_cstr(&bs));
    if (lm_is_nil(err)) {
        spec.answer = (char *)lm_buf_cstr(&bs);
        lm_check_answer(&spec, lm_buf_cstr(&as), &v);
    }
    lm_buf_free(&as);
    lm_buf_free(&bs);
    return lm_is_nil(err) ? result(c, &v) : err;
}

const lm_builtin lm_builtins_check[] = {
    {"equivalent", b_equivalent, 2, 2, 2,
     "equivalent(a, b, tol = 1e-6, type = \"...\", domain = \"positive\", probability = false, strict = false)",
     "true when the answer a is accepted for the reference b, as the practice checker judges it: strings are read as "
     "a learner types them (2x, 3(x + 1), 50% with probability = true, {1, 2} for sets), numbers within the relative "
     "tolerance tol, matrices entry by entry, expressions equal after simplifying or at random points (domain = "
     "\"positive\" samples x > 0); [ok, why] = equivalent(...) also gives the feedback",
     "equivalent(\"2x*cos(x^2)\", \"cos(x^2)*2*x\")"},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
};
