/* Internals of the language layer shared between the lexer, parser, evaluator,
 * printers and builtins. Nothing here is part of the public API (lang.h). */
#ifndef LEMMA_LANG_INT_H
#define LEMMA_LANG_INT_H

#include "lemma/lang.h"
#include "lemma/limits.h"
#include "lemma/sym.h"
#include "lemma/tensor.h"

/* ---- tokens ---- */

typedef enum tok_type {
    T_EOF, T_NEWLINE, T_SEMI, T_COMMA,
    T_NUM, T_IMAG, T_STR, T_IDENT,
    T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE,
    /* operators */
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_BSLASH, T_CARET,
    T_DOTSTAR, T_DOTSLASH, T_DOTBSLASH, T_DOTCARET,
    T_QUOTE, T_DOTQUOTE,            /* ' and .' */
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_ANDAND, T_OROR, T_AND, T_OR, T_NOT,
    T_ASSIGN, T_COLON, T_AT,
    /* keywords */
    T_IF, T_ELSEIF, T_ELSE, T_END, T_FOR, T_WHILE, T_FUNCTION, T_BREAK, T_CONTINUE, T_RETURN,
    T_ERROR, /* a character the lexer could not read; the parser reports it */
} tok_type;

typedef struct token {
    uint8_t type;
    bool space_before; /* whitespace (not a newline) right before it: matters in [ ] */
    uint32_t start, end; /* byte offsets */
    double num;          /* T_NUM, T_IMAG */
} token;

typedef struct lm_tokens {
    token *v;
    size_t n, cap;
} lm_tokens;

/* Tokenizes the whole source; never fails (bad characters become T_ERROR and
 * unterminated strings a T_ERROR too; the parser reports them). */
void lm_lex(const char *src, size_t len, lm_tokens *out);
const char *lm_tok_name(tok_type t); /* "'+'", "a number", "end of input" */

/* ---- syntax tree ---- */

typedef enum node_type {
    N_NUM, N_IMAG, N_STR, N_NAME, N_END, N_COLON, N_TILDE,
    N_BINOP,   /* op: tok_type of the operator; kids[0], kids[1] */
    N_UNOP,    /* op: T_MINUS, T_PLUS, T_NOT; kids[0] */
    N_POSTFIX, /* op: T_QUOTE or T_DOTQUOTE; kids[0] */
    N_CMP,     /* chained comparison: kids[0..n-1], ops[0..n-2] */
    N_ANDAND, N_OROR,
    N_RANGE,   /* kids: start, stop or start, step, stop */
    N_CALL,    /* kids[0] callee (N_NAME or other), kids[1..] args; argnames[i] for kids[i+1] */
    N_MATRIX,  /* kids: N_ROW */
    N_ROW,     /* kids: elements */
    N_BLOCK,   /* kids: statements */
    N_EXPR_STMT, N_ASSIGN, N_MULTI_ASSIGN,
    N_IF,      /* kids: cond, block, cond, block, ..., [else block]; has_else */
    N_FOR,     /* kids: var (N_NAME), range expr, body */
    N_WHILE,   /* kids: cond, body */
    N_BREAK, N_CONTINUE, N_RETURN,
    N_FUNCDEF, /* str: name; params, outs; kids[0]: body */
    N_COMMAND, /* str: command word; params: its words (clear x y, format long) */
    N_STEPS,   /* steps(CALL): kids[0] the call */
} node_type;

typedef struct node node;
struct node {
    uint8_t type;
    uint8_t op;
    bool print;     /* statement: print its value (not ended by ';') */
    bool has_else;
    uint32_t start, end;
    uint32_t depth;   /* 1 + the deepest child: bounded by LM_MAX_AST_DEPTH */
    uint32_t nkids;
    node **kids;
    double num;
    const char *str;        /* names, string literals (arena) */
    const char **argnames;  /* N_CALL: NULL or per-arg name */
    uint8_t *ops;           /* N_CMP */
    const char **params;    /* N_FUNCDEF, N_COMMAND */
    uint32_t nparams;
    const char **outs;      /* N_FUNCDEF */
    uint32_t nouts;
};

/* A parsed program: its arena and root. Refcounted (an lm_obj of kind LM_OBJECT)
 * because function values keep the tree they were defined in alive. */
typedef struct lm_program {
    lm_obj hdr;
    char *src;          /* a private copy of the source */
    size_t len;
    char *src_name;
    struct arena_block *arena;
    node *root;         /* N_BLOCK */
} lm_program;

/* Parses src. Returns the program (+1), or NULL with *error set to an error value
 * (kind parse, span, incomplete flag). */
lm_program *lm_parse(const char *src, size_t len, const char *src_name, lm_value *error);
void lm_program_release(lm_program *p);

/* Line and column (1-based, column counted in characters) of a byte offset. */
void lm_src_locate(const char *src, size_t len, uint32_t off, int *line, int *col);

/* ---- user functions ---- */

typedef struct lm_func {
    lm_obj hdr;          /* kind LM_FUNC */
    char *name;
    bool oneline;        /* f(x) = expr: sees the workspace */
    bool maps;           /* oneline, applied to a vector: elementwise (see one_line_maps in eval.c) */
    uint32_t text_start, text_end; /* oneline: the body's source, parentheses included */
    uint32_t nparams, nouts;
    const char **params; /* point into prog's arena */
    const char **outs;
    node *body;          /* expression (oneline) or N_BLOCK */
    lm_program *prog;    /* retained */
} lm_func;

/* ---- sessions ---- */

typedef struct var_entry {
    char *name;
    lm_value value;
} var_entry;

typedef struct lm_scope {
    var_entry *v;
    size_t n, cap; /* open addressing; cap a power of two */
    size_t live;
} lm_scope;

struct lm_session {
    lm_ctx *ctx;
    lm_scope globals;
    int digits;            /* 5, or 0 (shortest round trip) after `format long` */
    /* the lm_eval in progress */
    lm_output_fn emit;
    void *emit_ud;
    lm_program *prog;
    uint64_t steps, max_steps;
    double time_limit;
    int call_depth;
    int eval_depth;
    int print_failures; /* values too large to print, counted as failed statements */
    uint32_t stmt_end;  /* the end of the top-level statement being run (lm_output.stmt_end) */
    bool sandbox;       /* served: builtins that touch files (save, csv) refuse (lm_session_set_sandbox) */
    size_t out_bytes;
};

void lm_scope_init(lm_scope *s);
void lm_scope_free(lm_scope *s);
lm_value *lm_scope_lookup(lm_scope *s, const char *name); /* NULL if unbound */
void lm_scope_set(lm_scope *s, const char *name, lm_value v); /* takes v */
bool lm_scope_remove(lm_scope *s, const char *name);

/* ---- value helpers shared by evaluator and builtins ---- */

/* A 1×1 real tensor becomes a number, a 1×1 complex one a complex, a logical
 * 1×1 a boolean. Takes v. */
lm_value lm_narrow(lm_value v);
/* Any numeric value (number, boolean, tensor, complex) as a tensor (+1), or NULL
 * with a `type` error naming `what`. */
lm_tensor *lm_as_tensor(lm_value v, const char *what, lm_err *err);
/* A real scalar (number, boolean, 1×1) or false. */
bool lm_as_double(lm_value v, double *out);
/* A value as an expression (+1): numbers become exact where they can be. NULL
 * with an error for values that have no symbolic form. */
lm_expr *lm_as_expr(lm_ctx *ctx, lm_value v, lm_err *err);
bool lm_truthy(lm_value v, bool *out, lm_err *err);

/* The operators, shared by the evaluator and builtins. Borrow, return +1 or an
 * error value. */
lm_value lm_op_binary(lm_session *s, int op, lm_value a, lm_value b);
lm_value lm_op_unary(lm_session *s, int op, lm_value a);

/* Elementwise math on any numeric or symbolic value: sin(x) builds sin(x) for a
 * symbol, maps over a matrix, computes a number. */
typedef struct lm_mathfn {
    const char *name;
    double (*fn)(double);
    bool complex_below_minus1, complex_below_0; /* sqrt/log of negatives → complex */
} lm_mathfn;
lm_value lm_apply_math(lm_session *s, const lm_mathfn *m, lm_value x);

/* ---- builtins ---- */
extern const lm_builtin lm_builtins_core[];
extern const lm_builtin lm_builtins_math[];
extern const lm_builtin lm_builtins_linalg[];
extern const lm_builtin lm_builtins_sym[];
extern const lm_builtin lm_builtins_exact[];
extern const lm_builtin lm_builtins_calc[];
extern const lm_builtin lm_builtins_prob[];
extern const lm_builtin lm_builtins_info[];
extern const lm_builtin lm_builtins_opt[];
extern const lm_builtin lm_builtins_plot[];
extern const lm_builtin lm_builtins_stats[];
extern const lm_builtin lm_builtins_ad[];
extern const lm_builtin lm_builtins_check[]; /* equivalent(): the answer checker (answer.c) */

/* predict(fit, X) of a regression (b_stats.c); `predict` itself lives in b_ad.c. */
lm_value lm_regress_predict(lm_call *c);

/* Explainers behind the special form steps(CALL): CALL's function name, the
 * function that computes it in explaining mode (it returns an lm_steps value,
 * see steps.h, with the ordinary result as its result) and the argument counts.
 * Each engine module's builtins file keeps a table; session.c lists them. */
typedef struct lm_explainer {
    const char *name;
    lm_builtin_fn fn;
    int min_args, max_args;
} lm_explainer;
extern const lm_explainer lm_explain_linalg[];
extern const lm_explainer lm_explain_sym[];
extern const lm_explainer lm_explain_stats[];
extern const lm_explainer lm_explain_ad[];
const lm_explainer *lm_explainer_find(const char *name);
/* "det, diff, inv" — what steps can explain, for messages. Caller frees. */
char *lm_explainer_list(void);

/* Argument helpers for builtins: each returns false and sets *err (an error
 * value naming the function and the argument) when the argument does not fit. */
bool lm_arg_double(lm_call *c, int i, const char *what, double *out, lm_value *err);
bool lm_arg_int(lm_call *c, int i, const char *what, int64_t min, int64_t *out, lm_value *err);
/* A named option as a real number / boolean; *out keeps its default when absent. */
bool lm_opt_double(lm_call *c, const char *name, double *out, lm_value *err);
bool lm_opt_bool(lm_call *c, const char *name, bool *out, lm_value *err);
/* A numeric value as a real tensor of at most two dimensions (+1); otherwise
 * NULL and *err names the function and `what` ("the probabilities"). */
lm_tensor *lm_arg_real(lm_call *c, lm_value v, const char *what, lm_value *err);

/* Emit helpers used by disp/printf: write text to the program's output. */
void lm_emit_text(lm_session *s, const char *text, size_t n);
/* The closest name among builtins and workspace to an unknown one, or NULL. */
const char *lm_suggest_name(lm_session *s, const char *name);
/* A sentence for a name from another tool that lemma spells differently
 * ("ln": the natural logarithm is log(x)), or NULL. */
const char *lm_name_hint(const char *name);
/* The i-th entry of that table (its name in *name), or NULL past the end. */
const char *lm_name_hint_at(size_t i, const char **name);
/* Text form of a value without a name ("3", "   1   2\n   3   4"). */
void lm_value_text_digits(lm_value v, int digits, lm_buf *out);

#endif
