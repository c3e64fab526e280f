/* Internals shared by the files of src/sym (SQLite's btreeInt.h): node interning,
 * exact-or-float numbers, the storage order of operands, the function table and
 * a pointer map for walks over the DAG. Nothing here is public API; the later
 * calculus code (diff, simplify, steps) builds on these pieces.
 *
 * CANONICAL FORM. Every node a public constructor returns satisfies:
 *   RAT    p/q with q > 0, gcd(|p|, q) = 1 and p != INT64_MIN (so -p never overflows).
 *   FLOAT  never -0.0 (stored as 0.0); every NaN is the one quiet NaN.
 *   SYM    owns its name.  CONST: sub is an lm_xconst.
 *   ADD    n >= 2 terms. At most one number, first, and nonzero. No term is an ADD.
 *          No two terms share their non-numeric part ("rest": the factors after a
 *          MUL's coefficient, or the term itself), so like terms are collected and
 *          none has a zero coefficient. Terms are sorted by rest (lm_sym_term_cmp).
 *   MUL    n >= 2 factors. At most one number (the coefficient), first; it is not
 *          exact 0 or exact 1 (a float 1.0 stays: it records inexactness, as in
 *          SymPy). No factor is a MUL or a number. Factors have distinct bases
 *          (base of x^k is x) and are sorted by lm_sym_cmp. A number times a single
 *          ADD is distributed (2*(x + 1) is 2*x + 2), so -(a - b) cancels as
 *          expected; a product with a symbolic factor is not expanded.
 *          A sum that is a factor beside other symbolic factors is PRIMITIVE: an
 *          exact sum has coprime integer coefficients, and every sum has a
 *          positive first non-constant term (storage order); the content and
 *          sign live in the coefficient (y*(2 - 2*x) is -2*y*(x - 1)). A float
 *          sum factor only comes with a coefficient of 1 or -1 (any other
 *          coefficient is multiplied into it). This makes the form unique
 *          however the factors met, so the printed text reads back as the node.
 *   POW    exponent is not exact 0 or 1; base is not exact 1. No POW of numbers
 *          that folds exactly: integer powers of rationals are folded, and a
 *          positive rational to a rational power is split as c * b^(k/n) with
 *          0 < k/n < 1 and b free of small perfect powers (sqrt(8) is 2*sqrt(2),
 *          1/sqrt(2) is sqrt(2)/2). (a*b)^n with integer n is distributed;
 *          (c*a)^r with a positive numeric coefficient c and rational r pulls
 *          c^r out. (a^m)^n is a^(m*n) when n is an integer or -1 < m < 1.
 *          The base of an integer power of a sum is primitive, as above
 *          ((1 - x)^2 is (x - 1)^2; 1/(1 - x) is -1/(x - 1), printed 1/(1 - x));
 *          under a non-integer power a sum keeps its sign (it cannot come out).
 *   CALL   sub is the index of a known function (lm_xfn) or LM_XF_UNKNOWN. sqrt
 *          never appears (it is x^(1/2)). Odd/even functions of a negated
 *          argument are normalized (sin(-x) is -sin(x), cos(-x) is cos(x)).
 *   REL    exactly two operands, sub an lm_xrel; never an operand of arithmetic.
 * Anything more (expansion, trig identities, log rules) belongs to simplify. */
#ifndef LEMMA_SYM_INT_H
#define LEMMA_SYM_INT_H

#include "lemma/limits.h"
#include "lemma/sym.h"

/* nargs is a uint16_t in the node. */
#define LM_SYM_MAX_ARGS 65535

/* ---- node construction (node.c) ---- */

/* Everything that identifies a node: two keys that compare equal intern to the
 * same node. Only the payload field matching op is read. */
typedef struct lm_xkey {
    lm_xop op;
    int sub;
    int nargs;
    lm_expr *const *args; /* borrowed; retained by a new node */
    int64_t p, q;         /* RAT */
    double f;             /* FLOAT, already normalized */
    const char *name;     /* SYM, CALL; copied by a new node */
} lm_xkey;

/* Returns the existing node for k (+1) or makes it. NULL with err set when the
 * node would be nested deeper than LM_MAX_EXPR_DEPTH or have too many operands.
 * Does NOT canonicalize: callers pass canonical operands in canonical order. */
LM_INTERNAL lm_expr *lm_sym_intern(lm_ctx *ctx, const lm_xkey *k, lm_err *err);
/* lm_sym_intern for ADD, MUL, POW (sub 0). */
LM_INTERNAL lm_expr *lm_sym_raw(lm_ctx *ctx, lm_xop op, int nargs, lm_expr *const *args, lm_err *err);

/* ---- numbers (num.c) ---- */

/* A number being folded: an exact rational (isf false) or a double. */
typedef struct lm_snum {
    bool isf;
    int64_t p, q;
    double f;
} lm_snum;

LM_INTERNAL lm_snum lm_snum_rat(int64_t p, int64_t q); /* reduced; float when it cannot be exact */
LM_INTERNAL lm_snum lm_snum_float(double x);           /* normalized -0 and NaN */
LM_INTERNAL lm_snum lm_snum_int(int64_t n);
LM_INTERNAL lm_snum lm_snum_add(lm_snum a, lm_snum b);
LM_INTERNAL lm_snum lm_snum_mul(lm_snum a, lm_snum b);
LM_INTERNAL lm_snum lm_snum_neg(lm_snum a);
/* a^n; exact while it fits in int64, else a double. The caller rejects exact 0^-n. */
LM_INTERNAL lm_snum lm_snum_powi(lm_snum a, int64_t n);
LM_INTERNAL double lm_snum_double(lm_snum a);
LM_INTERNAL int lm_snum_cmp(lm_snum a, lm_snum b); /* total: NaN last, exact before equal float */
LM_INTERNAL int lm_snum_sign(lm_snum a);           /* -1, 0, 1; 0 for NaN */
LM_INTERNAL bool lm_snum_is(lm_snum a, int64_t n); /* exactly the integer n (not a float) */
LM_INTERNAL bool lm_snum_is_zero(lm_snum a);       /* exact 0 or float 0 */
/* The number a node holds: true for RAT and FLOAT nodes. */
LM_INTERNAL bool lm_snum_of(const lm_expr *e, lm_snum *out);
LM_INTERNAL lm_expr *lm_sym_snum(lm_ctx *ctx, lm_snum a); /* +1 leaf */
/* Exact integer n-th root of x (x >= 0, n >= 2) into *r; false when not exact. */
LM_INTERNAL bool lm_snum_iroot(uint64_t x, uint64_t n, uint64_t *r);
LM_INTERNAL uint64_t lm_snum_ugcd(uint64_t a, uint64_t b);
/* b^e for unsigned integers, false on overflow. */
LM_INTERNAL bool lm_snum_upow(uint64_t b, uint64_t e, uint64_t *out);

static inline bool lm_sym_isnum(const lm_expr *e) { return e->op == LM_X_RAT || e->op == LM_X_FLOAT; }
static inline bool lm_sym_is_rat(const lm_expr *e, int64_t p, int64_t q) {
    return e->op == LM_X_RAT && e->u.rat.p == p && e->u.rat.q == q;
}
static inline bool lm_sym_is_int(const lm_expr *e) { return e->op == LM_X_RAT && e->u.rat.q == 1; }

/* ---- order (order.c) ---- */

/* The storage order, a deterministic total order on nodes (never by address):
 * a POW compares by its base first, then its exponent (a non-POW x counts as
 * x^1), so equal bases sit side by side in a MUL. Otherwise numbers < constants
 * < symbols < products < sums < calls < relations, each kind by value, name, or
 * operands left to right. Structurally equal nodes are the same pointer, so the
 * walk descends into one pair per level: O(depth). */
LM_INTERNAL int lm_sym_cmp(const lm_expr *a, const lm_expr *b);
/* The non-numeric part of an ADD term: its factors after a numeric coefficient. */
LM_INTERNAL void lm_sym_term_split(const lm_expr *const *t, lm_snum *coef, lm_expr *const **f, int *nf);
/* Term order inside an ADD: by the rest (lexicographic over factors). */
LM_INTERNAL int lm_sym_rest_cmp(lm_expr *const *fa, int na, lm_expr *const *fb, int nb);
/* Stable natural merge sort of an array of pointers (two sorted runs merge in
 * linear time, which keeps building a long sum term by term cheap). */
LM_INTERNAL void lm_sym_sort(void **v, size_t n, int (*cmp)(const void *a, const void *b, void *ud), void *ud);

static inline const lm_expr *lm_sym_base(const lm_expr *e) { return e->op == LM_X_POW ? e->args[0] : e; }
static inline const lm_expr *lm_sym_exp(const lm_expr *e) { return e->op == LM_X_POW ? e->args[1] : NULL; }

/* ---- functions (call.c) ---- */

typedef enum lm_xfn {
#define X(id, name, latex, parity, powform, fn) LM_XF_##id,
#include "sym_funcs.def"
#undef X
    LM_XF__COUNT
} lm_xfn;
#define LM_XF_UNKNOWN 255

/* Whether e stands for a number judging by its own node: 1 for a number or
 * a named constant, 0 for a symbol, a relation or an unknown function, -1 when
 * that depends on its operands (a sum, a product, sin(...)). The numeric tests
 * (lm_sym_is_number, the printer's display order) walk the operands on -1. */
static inline int lm_sym_node_numeric(const lm_expr *e) {
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT:
    case LM_X_CONST: return 1;
    case LM_X_SYM:
    case LM_X_REL: return 0;
    case LM_X_CALL: return e->sub == LM_XF_UNKNOWN ? 0 : -1;
    default: return -1;
    }
}

enum { LM_XPAR_NONE, LM_XPAR_ODD, LM_XPAR_EVEN };

typedef struct lm_xfninfo {
    const char *name;
    const char *latex;  /* NULL: printed specially (exp, sqrt, abs) */
    int parity;
    bool powform;
    double (*eval)(double);
} lm_xfninfo;

LM_INTERNAL int lm_sym_fn_lookup(const char *name);   /* lm_xfn or LM_XF_UNKNOWN */
LM_INTERNAL const lm_xfninfo *lm_sym_fn_info(int sub); /* NULL for LM_XF_UNKNOWN */

/* ---- pointer map (map.c), for walks that must visit each DAG node once ---- */

typedef union lm_xval {
    double d;
    void *p;
    int64_t i;
} lm_xval;

typedef struct lm_xmap {
    const lm_expr **keys;
    lm_xval *vals;
    size_t cap, n; /* cap is 0 or a power of two */
} lm_xmap;

#define LM_XMAP_INIT {NULL, NULL, 0, 0}
LM_INTERNAL bool lm_xmap_get(const lm_xmap *m, const lm_expr *k, lm_xval *v);
LM_INTERNAL void lm_xmap_put(lm_xmap *m, const lm_expr *k, lm_xval v);
LM_INTERNAL void lm_xmap_free(lm_xmap *m);

/* ---- errors ---- */

/* Arithmetic on a relation (x == 1) + 1 or on a missing operand. */
LM_INTERNAL bool lm_sym_check_operand(const lm_expr *e, lm_err *err);

/* ---- algebra and numeric calculus: shared walks (subs.c) ---- */

/* e's operator applied to new operands (borrowed) through the canonical
 * constructors; a leaf is returned as is. +1, NULL with err set. */
LM_INTERNAL lm_expr *lm_sym_rebuild(lm_ctx *ctx, const lm_expr *e, lm_expr *const *args, lm_err *err);
/* True when the node x (a symbol or any subtree) occurs nowhere in e. */
LM_INTERNAL bool lm_sym_free_of(const lm_expr *e, const lm_expr *x);
/* A compiled evaluator for many points: e's DAG in post-order, each shared node
 * computed once per run. names[i] is the i-th variable; other symbols are NaN.
 * The program does not keep e alive. */
typedef struct lm_xprog lm_xprog;
LM_INTERNAL lm_xprog *lm_xprog_new(const lm_expr *e, int nvars, const char *const *names);
LM_INTERNAL double lm_xprog_run(lm_xprog *p, const double *vals);
LM_INTERNAL void lm_xprog_free(lm_xprog *p);
/* lm_sym_subs that also says whether a division by an exact zero was met. */
LM_INTERNAL lm_expr *lm_sym_subs_dz(lm_ctx *ctx, lm_expr *e, int n, const char *const *names,
                                    lm_expr *const *values, bool *divzero, lm_err *err);

/* ---- differentiation (diff.c, diffsteps.c, print.c) ---- */

/* Highest derivative order diff(e, x, n) and taylor take (a limit error past it). */
#define LM_MAX_DIFF_ORDER 1000
/* f'(u) for a known one-argument function f (lm_xfn), +1; NULL with err set. */
LM_INTERNAL lm_expr *lm_sym_fn_deriv(lm_ctx *ctx, int fn, lm_expr *u, lm_err *err);
/* The order in which the printer shows the operands of an ADD (terms) or a MUL
 * (factors, numerator first): perm[k] is the index in e->args of the k-th one
 * shown. Other nodes get the identity. perm has e->nargs entries. */
LM_INTERNAL void lm_sym_display_order(const lm_expr *e, int *perm);
/* True when u reads without parentheses after d/dx: x, sin(x), x^3, sqrt(u). */
LM_INTERNAL bool lm_sym_reads_bare(const lm_expr *u);

/* ---- polynomials in one variable (a_poly.c) ---- */

/* e as a polynomial in the node x (a symbol, or any subtree such as exp(x)):
 * *out[k] is the coefficient of x^k (+1 each, free of x), k <= *deg. expand:
 * expand e first. Returns 1, 0 when e is not polynomial in x, -1 with err set
 * (a degree above maxdeg, a limit). Free with lm_sym_coeffs_free. */
LM_INTERNAL int lm_sym_coeffs(lm_ctx *ctx, lm_expr *e, const lm_expr *x, int maxdeg, bool expand, lm_expr ***out,
                              int *deg, lm_err *err);
LM_INTERNAL void lm_sym_coeffs_free(lm_expr **c, int deg);

/* Exact rational coefficients c[0..deg]; deg -1 is the zero polynomial. Every
 * operation returns false when an int64 number overflows (the caller gives up). */
typedef struct lm_qpoly {
    int deg;
    lm_snum *c;
} lm_qpoly;
LM_INTERNAL int lm_qpoly_from(lm_ctx *ctx, lm_expr *e, const lm_expr *x, int maxdeg, lm_qpoly *out, lm_err *err);
LM_INTERNAL lm_expr *lm_qpoly_expr(lm_ctx *ctx, const lm_qpoly *p, const lm_expr *x, lm_err *err);
LM_INTERNAL void lm_qpoly_free(lm_qpoly *p);
LM_INTERNAL lm_qpoly lm_qpoly_copy(const lm_qpoly *a);
LM_INTERNAL bool lm_qpoly_divmod(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *q, lm_qpoly *r);
LM_INTERNAL bool lm_qpoly_mul(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *out);
LM_INTERNAL bool lm_qpoly_gcd(const lm_qpoly *a, const lm_qpoly *b, lm_qpoly *g); /* monic */
LM_INTERNAL lm_qpoly lm_qpoly_deriv(const lm_qpoly *a);
LM_INTERNAL double lm_qpoly_eval(const lm_qpoly *p, double x);
/* In place: integer coefficients with gcd 1 and a positive leading one; *content
 * = old / new. */
LM_INTERNAL bool lm_qpoly_primitive(lm_qpoly *a, lm_snum *content);
/* Rational roots of a primitive integer polynomial with a(0) != 0, by the
 * rational root theorem; each is divided out (a deflates in place) with its
 * multiplicity. Returns how many were found (at most maxroots). */
LM_INTERNAL int lm_qpoly_rational_roots(lm_qpoly *a, lm_snum *roots, int *mult, int maxroots);
/* Yun's square-free decomposition: f = lc * prod parts[i]^(i+1), parts monic
 * (some may be 1). Returns the count, -1 on overflow or more than maxparts. */
LM_INTERNAL int lm_qpoly_squarefree(const lm_qpoly *f, lm_qpoly *parts, int maxparts);
/* A sum's common factors pulled out (numeric content and common powers; with
 * denominators, a negative power as a common denominator too: 1 + 1/x is
 * (x + 1)/x): x*y + x is x*(y + 1). Top level only. */
LM_INTERNAL lm_expr *lm_sym_factor_terms(lm_ctx *ctx, lm_expr *e, bool denominators, lm_err *err);
/* An upper bound on the terms lm_sym_expand would make before collecting them
 * (cheap: one walk), so that callers can skip a hopeless expansion. */
LM_INTERNAL double lm_sym_expand_estimate(const lm_expr *e);
/* Turns GSL's abort-on-error handler off (idempotent); every GSL user calls it. */
LM_INTERNAL void lm_sym_gsl_quiet(void);

/* Consuming a*b, a+b, a^b: release both operands (NULL-safe), for code that
 * builds long chains of temporaries (derivatives, their steps). */
LM_INTERNAL lm_expr *lm_sym_mul_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
LM_INTERNAL lm_expr *lm_sym_add_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);
LM_INTERNAL lm_expr *lm_sym_pow_take(lm_ctx *ctx, lm_expr *a, lm_expr *b, lm_err *err);

#endif
