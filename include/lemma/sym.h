/* lemma symbolic expressions: an immutable, hash-consed DAG. Equal subtrees are one
 * node, so structural equality is a pointer compare. Nodes are refcounted lm_obj
 * (kind LM_EXPR); the intern table in the context holds them weakly and a node's
 * free removes it. Constructors canonicalize as they build (flattened, ordered
 * sums and products, numbers folded exactly), so `x/3 + x/6` is built as `x/2`.
 *
 * Numbers inside expressions are exact rationals (int64 numerator/denominator,
 * falling back to a float on overflow) or floats. */
#ifndef LEMMA_SYM_H
#define LEMMA_SYM_H

#include "lemma/core.h"
#include "lemma/ctx.h"

typedef enum lm_xop {
    LM_X_RAT,   /* exact rational p/q, q > 0, gcd(p, q) = 1 */
    LM_X_FLOAT, /* inexact number */
    LM_X_SYM,   /* a symbol: x, y, w1 */
    LM_X_CONST, /* pi, e, i (the imaginary unit) */
    LM_X_ADD,   /* n-ary sum, n >= 2 */
    LM_X_MUL,   /* n-ary product, n >= 2 */
    LM_X_POW,   /* base ^ exponent */
    LM_X_CALL,  /* named function applied to arguments: sin(x), sigmoid(x) */
    LM_X_REL,   /* relation a OP b for equations and events: ==, <, <=, >, >=, ~= */
    LM_X_MATRIX, /* rows×cols matrix of expressions, args row-major; u.rat.p = rows, u.rat.q = cols */
} lm_xop;

typedef enum lm_xconst { LM_XC_PI, LM_XC_E, LM_XC_I } lm_xconst;
typedef enum lm_xrel { LM_XR_EQ, LM_XR_NE, LM_XR_LT, LM_XR_LE, LM_XR_GT, LM_XR_GE } lm_xrel;

typedef struct lm_expr lm_expr;
struct lm_expr {
    lm_obj hdr;      /* kind LM_EXPR */
    uint8_t op;      /* lm_xop */
    uint8_t sub;     /* lm_xconst for CONST, lm_xrel for REL */
    uint16_t nargs;
    uint32_t depth;  /* 1 for leaves */
    uint64_t hash;
    struct lm_symtab *tab; /* the table that interned it (for removal on free) */
    lm_expr *next;   /* intern table chain */
    union {
        struct { int64_t p, q; } rat;
        double f;
        const char *name; /* SYM and CALL: owned by the node */
    } u;
    lm_expr *args[];
};

/* Leaves. Return +1 references; NULL only with err set (limits). */
lm_expr *lm_sym_rat(lm_ctx *ctx, int64_t p, int64_t q);
lm_expr *lm_sym_int(lm_ctx *ctx, int64_t n);
lm_expr *lm_sym_float(lm_ctx *ctx, double x);
lm_expr *lm_sym_symbol(lm_ctx *ctx, const char *name);
lm_expr *lm_sym_const(lm_ctx *ctx, lm_xconst c);

/* Operations (borrow arguments, return +1; canonical). NULL with err set when a
 * limit is hit (depth LM_MAX_EXPR_DEPTH) or the operation is undefined (0^-1). */
lm_expr *lm_sym_add(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
lm_expr *lm_sym_sub(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
lm_expr *lm_sym_mul(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
lm_expr *lm_sym_div(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
lm_expr *lm_sym_pow(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
lm_expr *lm_sym_neg(lm_ctx *ctx, lm_expr *a, lm_err *err);
lm_expr *lm_sym_call(lm_ctx *ctx, const char *fname, int nargs, lm_expr *const *args, lm_err *err);
lm_expr *lm_sym_rel(lm_ctx *ctx, lm_xrel rel, lm_expr *a, lm_expr *b, lm_err *err);

/* A matrix (or vector: one column) of expressions, e.g. a gradient or a Hessian.
 * Borrows the elements. */
lm_expr *lm_sym_matrix(lm_ctx *ctx, int64_t rows, int64_t cols, lm_expr *const *elems, lm_err *err);

static inline lm_value lm_expr_value(lm_expr *e) { return lm_obj_value(&e->hdr); } /* takes e */
static inline lm_expr *lm_expr_of(lm_value v) { return (lm_expr *)v.u.obj; }
static inline void lm_expr_release(lm_expr *e) { if (e) lm_obj_release(&e->hdr); }
static inline lm_expr *lm_expr_retain(lm_expr *e) { lm_obj_retain(&e->hdr); return e; }

/* True when the expression has no symbols (it can be evaluated to a number). */
bool lm_sym_is_number(const lm_expr *e);
/* Numeric value of a number-only expression (NAN when it has symbols). */
double lm_sym_to_double(const lm_expr *e);

/* Printing. Text parses back to the same node with lemma's parser; LaTeX is for
 * KaTeX. Both append to out. */
void lm_sym_print_text(const lm_expr *e, lm_buf *out);
void lm_sym_print_latex(const lm_expr *e, lm_buf *out);

/* Frees the context's intern table (called from lm_ctx_free). */
void lm_symtab_free(struct lm_symtab *tab);
/* Number of live interned nodes (tests use it to prove sharing and no leaks). */
size_t lm_symtab_count(const lm_ctx *ctx);

/* ---- additions (src/sym) ---- */

/* A language number as an expression leaf: an integer-valued double up to 2^53
 * becomes an exact integer (so `x/3` is exact), anything else a float. */
lm_expr *lm_sym_number(lm_ctx *ctx, double x);
/* n-ary sum and product of canonical nodes (borrowed); n = 0 gives 0 and 1. */
lm_expr *lm_sym_addv(lm_ctx *ctx, int n, lm_expr *const *xs, lm_err *err);
lm_expr *lm_sym_mulv(lm_ctx *ctx, int n, lm_expr *const *xs, lm_err *err);
/* Text with floats to `digits` significant digits (0: shortest round trip, as
 * lm_sym_print_text). For people; only the round-trip form parses back exactly. */
void lm_sym_print_text_digits(const lm_expr *e, lm_buf *out, int digits);
/* Canonical form in brief (the full list is in src/sym/sym_int.h): ADD and MUL
 * are flat and sorted, at most one number each and it comes first (a MUL's
 * coefficient); like terms and equal bases are collected; division is
 * multiplication by b^-1 and subtraction adds (-1)*b; sqrt(x) is x^(1/2);
 * for CALL nodes `sub` is the index of a known function (internal lm_xfn) or 255. */

#endif
