/* The worked-solution value: an ordered list of steps and a result. Printing
 * lives in the language layer, which knows how to print the values inside. */
#include "lemma/steps.h"

static void steps_free(lm_obj *o) {
    lm_steps *s = (lm_steps *)o;
    for (size_t i = 0; i < s->n; i++) {
        lm_free(s->v[i].rule);
        lm_free(s->v[i].text);
        lm_free(s->v[i].latex);
        lm_release(s->v[i].value);
    }
    lm_free(s->v);
    lm_release(s->result);
    lm_free(s);
}

const lm_objtype lm_steps_type = {"steps", steps_free, NULL, NULL};

lm_steps *lm_steps_new(void) {
    lm_steps *s = lm_calloc(1, sizeof *s);
    lm_obj_init(&s->hdr, LM_OBJECT, &lm_steps_type);
    return s;
}

void lm_steps_add(lm_steps *s, const char *rule, lm_value value, const char *latex, const char *fmt, ...) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->v = lm_realloc(s->v, s->cap * sizeof *s->v);
    }
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    lm_step *st = &s->v[s->n++];
    st->rule = lm_strdup(rule ? rule : "");
    st->text = lm_buf_steal(&b);
    st->latex = latex ? lm_strdup(latex) : NULL;
    st->value = lm_retain(value);
}

void lm_steps_set_result(lm_steps *s, lm_value result) {
    lm_release(s->result);
    s->result = lm_retain(result);
}
