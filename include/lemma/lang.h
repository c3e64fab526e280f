/* The lemma language: sessions, evaluation, builtins and printers. The REPL, the
 * `lemma eval --json` contract, lessons, the exercise checker and the web server
 * all go through lm_eval and the printers here.
 *
 * A session is one workspace (variables, functions, `format` setting) plus one
 * engine context (RNG, symbol table). Sessions are independent: a server can run
 * many side by side. A session is not thread-safe; use one per thread. */
#ifndef LEMMA_LANG_H
#define LEMMA_LANG_H

#include "lemma/core.h"
#include "lemma/ctx.h"

typedef struct lm_session lm_session;

lm_session *lm_session_new(void);
void lm_session_free(lm_session *s);
lm_ctx *lm_session_ctx(lm_session *s);
/* Limits for each later lm_eval: at most max_steps statements and loop
 * iterations (0 = LM_MAX_LOOP_STEPS) and `seconds` of wall time (0 = none). Going
 * past either stops the program with a `limit` error. */
void lm_session_set_limits(lm_session *s, uint64_t max_steps, double seconds);
/* A sandboxed session (the web server's) may not touch the server's files:
 * builtins that read or write them (save, csv) fail with an `io` error that says
 * so. Off by default. */
void lm_session_set_sandbox(lm_session *s, bool on);
bool lm_session_sandboxed(const lm_session *s);

/* What a program prints, one item at a time. */
typedef enum lm_outkind {
    LM_OUT_VALUE, /* the value of a statement: `x = 3` or a bare expression */
    LM_OUT_ERROR, /* a statement failed (or the whole program did not parse) */
    LM_OUT_TEXT,  /* text written by disp() or printf() */
} lm_outkind;

typedef struct lm_output {
    lm_outkind kind;
    const char *name;            /* VALUE: the assigned name, or NULL for an expression */
    lm_value value;              /* VALUE and ERROR (an LM_ERROR value); borrowed */
    const char *text;            /* TEXT */
    size_t textlen;
    char *const *warnings;       /* warnings raised while computing this item */
    size_t nwarnings;
    const char *src;             /* the program text, for carets under errors */
    uint32_t stmt_end;           /* where in src the top-level statement that gave this item ends (0: unknown);
                                    a notebook shows each statement's output right under it */
    const char *src_name;        /* "<eval>", a file name */
} lm_output;

typedef void (*lm_output_fn)(void *ud, const lm_output *out);

typedef struct lm_eval_opts {
    const char *src_name; /* shown in errors; NULL means "<input>" */
    lm_output_fn emit;    /* NULL: discard */
    void *ud;
} lm_eval_opts;

/* Parses the whole program first (a parse error stops it before anything runs),
 * then runs each statement; a runtime error is emitted for its statement and
 * evaluation goes on with the next. Returns the number of failed statements
 * (a parse error counts as one). */
int lm_eval(lm_session *s, const char *src, size_t len, const lm_eval_opts *opts);

/* Runs a program like lm_eval and returns (+1) the value of its last printed
 * statement, or its first error; nil when nothing printed. For C callers and
 * tests: lm_eval_value(s, "det([1 2; 3 4])"). */
lm_value lm_eval_value(lm_session *s, const char *src);

/* For the REPL: sets *incomplete when `src` fails to parse only because it ended
 * too early, inside an open block (if, for, while, function) or bracket; a
 * REPL then asks for another line. Strings do not span lines. */
void lm_parse_status(const char *src, size_t len, bool *incomplete);

/* ---- printers ---- */
/* Text for people: `x = 3`, matrices in aligned columns, five significant digits
 * (or full precision after `format long`). Appends a trailing newline. */
void lm_output_text(lm_session *s, const lm_output *o, lm_buf *out);
/* One JSON object on one line (no newline), in the shapes of DESIGN.md. */
void lm_output_json(const lm_output *o, lm_buf *out);
/* A value as a JSON object without "ok" (nested values: steps, results). */
void lm_value_json(lm_value v, lm_buf *out);
/* A value as text, `digits` significant digits (0 = session default). */
void lm_value_text(lm_session *s, lm_value v, lm_buf *out);
/* An error with its location and caret line:
 *   error: expected ']' to close the matrix started at column 1
 *     at line 1, column 8:
 *       [1 2; 3
 *              ^                                                               */
void lm_error_text(const lm_output *o, lm_buf *out);

/* ---- builtins ---- */
typedef struct lm_call {
    lm_session *s;
    lm_ctx *ctx;
    int nargs;
    const lm_value *args;      /* positional, borrowed */
    int nnamed;
    const char *const *names;  /* named arguments `lr = 0.1` */
    const lm_value *named;
    int nout;                  /* results the caller asked for (>= 1) */
    lm_value *extra;           /* results 2..nout go in extra[1..nout-1] (+1 each) */
    const char *fname;         /* the name it was called by, for messages */
    uint64_t named_used;       /* private: which named arguments were read */
} lm_call;

typedef lm_value (*lm_builtin_fn)(lm_call *c);

typedef struct lm_builtin {
    const char *name;
    lm_builtin_fn fn;
    int min_args, max_args;    /* positional; max -1 = any */
    int max_out;               /* how many results it can give */
    const char *signature;     /* "diff(f, x, n = 1)" */
    const char *help;          /* one line, for a learner */
    const char *example;       /* a runnable example */
} lm_builtin;

/* A named argument, or a nil value when absent (borrowed). Marks it as used;
 * lm_eval reports named arguments nobody asked for. */
lm_value lm_call_named(lm_call *c, const char *name);
const lm_builtin *lm_builtin_find(const char *name);
/* All builtins in name order (for help and completion); *n receives the count. */
const lm_builtin *const *lm_builtin_all(size_t *n);

/* Workspace access for the REPL's completion and `who`. Names in sorted order;
 * the array and strings belong to the caller (lm_free each, then the array). */
char **lm_session_names(lm_session *s, size_t *n);
/* Borrowed value of a variable, or nil. */
lm_value lm_session_get(lm_session *s, const char *name);
/* Binds a variable (retains v). */
void lm_session_set(lm_session *s, const char *name, lm_value v);

#endif
