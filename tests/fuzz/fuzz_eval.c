/* libFuzzer target for the parser and the evaluator: each input is a lemma
 * program, run through lm_eval in a fresh session, and every item it prints goes
 * through the JSON and text printers too. A crash, a sanitizer report, a leak or
 * a hang is a bug: no input a user can type may do that (DESIGN.md, "Values and
 * errors"). The JSON printer is also held to its contract: each item is one line
 * of valid JSON, an object with "ok" (checked with jansson). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lemma/lang.h"

/* Longer inputs are skipped: small programs find the bugs, and a corpus file
 * from elsewhere must not turn into a slow run (the run also passes -max_len). */
#define FUZZ_MAX_INPUT 4096
/* Per input: a long loop becomes a `limit` error after this many statements or
 * seconds (lm_session_set_limits), which keeps the fuzzer fast. The run's
 * -timeout (10 s) is far above this, so a timeout means something ignored the
 * limits (a long computation that never polls, an unbounded builtin). */
#define FUZZ_MAX_STEPS 1000000
#define FUZZ_TIME_BUDGET 1.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_state {
    lm_session *s;
    lm_buf buf;
} fuzz_state;

static void fuzz_fail(const char *what, const lm_buf *b) {
    fprintf(stderr, "fuzz_eval: %s:\n%s\n", what, lm_buf_cstr(b));
    abort(); /* libFuzzer reports it as a crash and saves the input */
}

/* One item of `lemma eval --json` output: one line, valid JSON, an object whose
 * "ok" is true or false. */
static void check_json_line(const lm_buf *b) {
    if (b->len == 0)
        fuzz_fail("lm_output_json wrote nothing", b);
    if (memchr(b->s, '\n', b->len))
        fuzz_fail("lm_output_json wrote more than one line", b);
    json_error_t jerr;
    json_t *j = json_loadb(b->s, b->len, JSON_ALLOW_NUL, &jerr); /* "\u0000" is valid JSON */
    if (!j) {
        fprintf(stderr, "fuzz_eval: jansson: %s at column %d\n", jerr.text, jerr.column);
        fuzz_fail("lm_output_json wrote invalid JSON", b);
    }
    if (!json_is_object(j) || !json_is_boolean(json_object_get(j, "ok"))) {
        json_decref(j);
        fuzz_fail("lm_output_json wrote no object with \"ok\"", b);
    }
    json_decref(j);
}

static void on_output(void *ud, const lm_output *o) {
    fuzz_state *st = ud;

    lm_buf_reset(&st->buf);
    lm_output_json(o, &st->buf);
    check_json_line(&st->buf);

    lm_buf_reset(&st->buf);
    lm_output_text(st->s, o, &st->buf);

    if (o->kind == LM_OUT_ERROR) {
        lm_buf_reset(&st->buf);
        lm_error_text(o, &st->buf);
    } else if (o->kind == LM_OUT_VALUE) {
        lm_buf_reset(&st->buf);
        lm_value_json(o->value, &st->buf);
        lm_buf_reset(&st->buf);
        lm_value_text(st->s, o->value, &st->buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > FUZZ_MAX_INPUT)
        return -1; /* not added to the corpus */

    /* The REPL's question first: does this parse, or is it only unfinished? */
    bool incomplete = false;
    lm_parse_status((const char *)data, size, &incomplete);

    /* `data` is exactly `size` bytes with no NUL after it: lm_eval takes a
     * length, so reading past it is a bug that ASan reports. */
    fuzz_state st = {lm_session_new(), LM_BUF_INIT};
    lm_session_set_limits(st.s, FUZZ_MAX_STEPS, FUZZ_TIME_BUDGET);
    lm_eval_opts opts = {"<fuzz>", on_output, &st};
    lm_eval(st.s, (const char *)data, size, &opts);
    lm_buf_free(&st.buf);
    lm_session_free(st.s);
    return 0;
}
