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
/* Text for a sentence a learner reads (the steps of a derivation, rendered as
 * Markdown too): products with a middle dot, 2·x·sin(x), where '*' pairs would
 * turn into emphasis; a pending derivative diff(u, x) or partial(u, x) as
 * d/dx (u) or ∂/∂x (u), bare after the operator when u reads as one piece
 * (d/dx x^2). For people only: it does not parse back. */
void lm_sym_print_prose(const lm_expr *e, lm_buf *out);
/* Canonical form in brief (the full list is in src/sym/sym_int.h): ADD and MUL
 * are flat and sorted, at most one number each and it comes first (a MUL's
 * coefficient); like terms and equal bases are collected; division is
 * multiplication by b^-1 and subtraction adds (-1)*b; sqrt(x) is x^(1/2);
 * for CALL nodes `sub` is the index of a known function (internal lm_xfn) or 255. */

/* ---- algebra (subs.c) ---- */

/* e with names[i] replaced by values[i] (borrowed; i < n), rebuilt canonically,
 * so a fully bound expression becomes a number node (exact where it can be:
 * x^2 at x = 1/2 is 1/4). Names absent from e are ignored. Division by an exact
 * zero gives IEEE inf/nan floats (1/x at 0 is inf, x/x^2... as built), never an
 * error; works inside relations and matrices. Returns +1; NULL with err set only
 * for limits. */
lm_expr *lm_sym_subs(lm_ctx *ctx, lm_expr *e, int n, const char *const *names, lm_expr *const *values,
                     lm_err *err);
/* e as a double with names[i] = values[i]; NAN when a symbol is unbound or the
 * value is not real. Shared subtrees are evaluated once. */
double lm_sym_eval(const lm_expr *e, const char *const *names, const double *values, int n);

/* e at n points: out[k] = e with names[j] = pts[k*nvars + j]. The expression is
 * compiled once (each shared subtree computed once per point). */
void lm_sym_eval_points(const lm_expr *e, int nvars, const char *const *names, const double *pts, size_t n,
                        double *out);
/* The distinct symbols of e sorted by name, into *out (the caller lm_frees the
 * array; the nodes are borrowed from e). Returns the count. */
size_t lm_sym_symbols(const lm_expr *e, const lm_expr ***out);
/* Nodes in e counted as a tree (a shared subtree counts each time it occurs;
 * saturates at INT64_MAX): the size simplify minimizes. */
uint64_t lm_sym_size(const lm_expr *e);
/* The complex value of a symbol-free expression (2*i, (-8)^(1/3) as its
 * principal value); false and NaN when e has symbols. */
bool lm_sym_to_complex(const lm_expr *e, double *re, double *im);
/* The complex conjugate of e, taking every symbol as real: i becomes -i
 * wherever it occurs (conj(x + 2*i) = x - 2*i), which is exact for the known
 * functions (they are real on the real axis) away from branch cuts. A power of
 * a negative number such as (-8)^(1/3) has no i to flip and is kept as it is.
 * Works entry by entry in a matrix. +1; NULL with err set only for limits. */
lm_expr *lm_sym_conj(lm_ctx *ctx, lm_expr *e, lm_err *err);
/* The transpose of a matrix of expressions (rows become columns) and, with conj,
 * the conjugate transpose A' (lm_sym_conj of each entry). Anything else is its
 * own transpose, and only conjugated. +1; NULL with err set only for limits. */
lm_expr *lm_sym_transpose(lm_ctx *ctx, lm_expr *e, bool conj, lm_err *err);

/* ---- algebra (expand.c, factor.c, simplify.c) ---- */

/* Products distributed over sums and positive integer powers of sums multiplied
 * out, everywhere (inside function arguments and denominators too, as SymPy's
 * expand). A `limit` error when the result would pass LM_SYM_EXPAND_MAX_TERMS. */
#define LM_SYM_EXPAND_MAX_TERMS 50000
lm_expr *lm_sym_expand(lm_ctx *ctx, lm_expr *e, lm_err *err);
/* Sums over one common denominator, everywhere: 1/x + 1/y is (x + y)/(x*y). */
lm_expr *lm_sym_together(lm_ctx *ctx, lm_expr *e, lm_err *err);
/* together, then common polynomial factors of numerator and denominator removed:
 * gcds over Q in one variable, exact division otherwise ((x^2 - y^2)/(x - y) is
 * x + y). */
lm_expr *lm_sym_cancel(lm_ctx *ctx, lm_expr *e, lm_err *err);
/* Common factors out of sums, and polynomials in one variable (or one generator
 * such as exp(x)) split over the rationals by their rational roots; homogeneous
 * polynomials in two symbols too. Factors without rational roots stay whole. */
lm_expr *lm_sym_factor(lm_ctx *ctx, lm_expr *e, lm_err *err);
/* The smallest (lm_sym_size) of e and what the standard rewrites make of it:
 * expand, together, cancel, factor, trig and hyperbolic identities, exp
 * products, the logistic forms (sigmoid, softplus). positive[0..npositive-1]
 * names symbols assumed > 0, which allows sqrt(x^2) = x, exp(log(x)) = x,
 * log(x*y) = log(x) + log(y); nothing is assumed otherwise. */
lm_expr *lm_sym_simplify(lm_ctx *ctx, lm_expr *e, int npositive, const char *const *positive, lm_err *err);

/* ---- calculus (diff.c, diffsteps.c, compile.c) ---- */

/* d e/d x for a symbol x (+1), through the canonical constructors; each shared
 * subtree is differentiated once. A matrix is differentiated entry by entry.
 * The derivative of abs(u) is written u/abs(u) and that of relu(u) relu(u)/u:
 * both are undefined (0/0) at the kink. NULL with err set: x is not a symbol
 * (type), a function lemma knows no derivative of depends on x (domain), an
 * equation (type), a limit, or an interrupt. */
lm_expr *lm_sym_diff(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_err *err);
/* The n-th derivative, 0 <= n <= LM_MAX_DIFF_ORDER. */
lm_expr *lm_sym_diff_n(lm_ctx *ctx, lm_expr *e, lm_expr *x, int64_t n, lm_err *err);
/* The gradient as an n×1 matrix of partials; the Jacobian of f (an expression or
 * a matrix of m expressions, read row-major) as m×n; the Hessian as n×n. */
lm_expr *lm_sym_grad(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_err *err);
lm_expr *lm_sym_jacobian(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, lm_err *err);
lm_expr *lm_sym_hessian(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_err *err);
/* The directional derivative along u (n entries), normalized: grad(e).u/|u|. */
lm_expr *lm_sym_dirdiff(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int n, lm_expr *const *u, lm_err *err);
/* The Taylor polynomial of order n about x = a: sum of f^(k)(a)/k! (x - a)^k,
 * exact where the values are (taylor(exp(x), x, 0, 2) is x^2/2 + x + 1). A
 * domain error when a value is not finite at a (1/x about 0). */
lm_expr *lm_sym_taylor(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, int64_t n, lm_err *err);

/* steps(diff(e, x)): appends to `steps` the derivation one rule at a time (sum,
 * constant multiple, power, product, quotient, chain naming outer and inner,
 * exp, log, trig, general power, and a final simplification) and returns the
 * derivative (+1), the same node lm_sym_diff gives. partial: write the partial
 * derivative symbol (∂) instead of d. */
struct lm_steps;
lm_expr *lm_sym_diff_steps(lm_ctx *ctx, lm_expr *e, lm_expr *x, bool partial, struct lm_steps *steps, lm_err *err);

/* A compiled evaluator: e (an expression or a matrix of them) as a flat register
 * program over the variables vars[0..n-1] (symbols), each shared subtree
 * computed once, numbers folded at compile time. NULL with err set when e has a
 * symbol that is not among vars, an unknown function or an equation. The
 * program does not keep e alive. lm_sym_prog_eval is reentrant (its registers
 * live on the caller's stack or heap), so one program may serve many threads. */
typedef struct lm_sym_prog lm_sym_prog;
lm_sym_prog *lm_sym_compile(const lm_expr *e, lm_expr *const *vars, int n, lm_err *err);
void lm_sym_prog_free(lm_sym_prog *p);
int lm_sym_prog_nvars(const lm_sym_prog *p);
int lm_sym_prog_nout(const lm_sym_prog *p); /* 1, or the entries of a matrix (row-major) */
/* One point: x[nvars] in, out[nout] out. */
void lm_sym_prog_eval(const lm_sym_prog *p, const double *x, double *out);
/* Many points at once (blocks of points run through each instruction). pts is
 * N×nvars, one point per row; with one variable any shape of N values will do.
 * The result (+1) is N×nout, or pts' shape when there is one variable and one
 * output. NULL with a shape error when pts does not fit, or a limit error. */
struct lm_tensor *lm_sym_eval_vec(const lm_sym_prog *p, const struct lm_tensor *pts, lm_err *err);

/* ---- numeric calculus (solve.c, a_limit.c, a_integral.c, a_critical.c) ---- */

/* The roots of one equation in one unknown. */
#define LM_SOLVE_MAX_DEG 400 /* polynomial degree solved through the companion matrix */
typedef struct lm_sym_roots {
    int n;
    lm_expr **root;       /* +1 each: exact (2, sqrt(2), -1/2 + sqrt(3)*i/2) or floats */
    bool numeric;         /* some roots are numeric approximations */
    bool searched;        /* a numeric search of [lo, hi] was used: roots outside it are not listed */
    bool assumed_nonzero; /* a formula divided by a leading coefficient holding other unknowns */
    double lo, hi;
} lm_sym_roots;
/* eq is e == c or e (meaning e == 0). One invertible function of the unknown is
 * undone exactly (exp(u) = c is u = log(c); also log, sqrt and roots, sinh,
 * tanh, atan, sigmoid, softplus; real solutions only). Polynomial factors
 * exactly where they can be (rational roots, degree 1 and 2 by formula),
 * otherwise by companion-matrix eigenvalues (complex roots included); any other
 * factor numerically over [lo, hi]. Roots are listed once, real ones first in
 * increasing order. */
lm_status lm_sym_solve(lm_ctx *ctx, lm_expr *eq, lm_expr *x, double lo, double hi, lm_sym_roots *out, lm_err *err);
void lm_sym_roots_free(lm_sym_roots *r);

/* limit(e, x, a) from both sides or one; a may be +-inf (a float node). */
typedef enum lm_limdir { LM_LIM_BOTH, LM_LIM_LEFT, LM_LIM_RIGHT } lm_limdir;
typedef struct lm_sym_limit_res {
    lm_expr *value;     /* +1: exact, or a float (inf for an infinite limit) */
    bool numeric;       /* estimated numerically (no exact step applied): not proven */
    int one_side;       /* both sides asked but only this one is defined: -1 left, 1 right, else 0 */
    const char *method; /* static text: "substitution", "L'Hopital's rule", ... */
} lm_sym_limit_res;
/* Exact steps first (substitution, cancelling, limit laws, L'Hopital through
 * lm_sym_diff, exp(lim p log b) for b^p); without other unknowns the one-sided
 * limits are also estimated numerically, which decides infinite signs and shows
 * when a two-sided limit does not exist (a domain error naming both sides). */
lm_status lm_sym_limit(lm_ctx *ctx, lm_expr *e, lm_expr *x, lm_expr *a, lm_limdir dir, lm_sym_limit_res *out,
                       lm_err *err);
void lm_sym_limit_free(lm_sym_limit_res *r);

/* The definite integral of e over x in [a, b] (either may be +-inf; a > b gives
 * minus the integral from b to a) on GSL's QUADPACK: QAGS on a finite interval,
 * QAGI/QAGIU/QAGIL on infinite ones. A `convergence` error, with the estimate
 * and error reached in its message and in *value / *abserr, when the tolerance
 * (relative 1e-10) is not met; e must hold no unknown but x. */
lm_status lm_sym_integral(lm_ctx *ctx, lm_expr *e, lm_expr *x, double a, double b, double *value, double *abserr,
                          lm_err *err);

/* Critical points of a function of one or two variables and what the
 * second-derivative test says of each (in one variable a zero e'' falls back on
 * the first nonzero higher derivative: an even order gives a minimum or a
 * maximum, an odd one neither). */
typedef enum lm_critkind { LM_CRIT_MIN, LM_CRIT_MAX, LM_CRIT_SADDLE, LM_CRIT_NEITHER, LM_CRIT_UNKNOWN } lm_critkind;
typedef struct lm_sym_critical {
    int n, dim;
    lm_expr **pt;       /* n*dim coordinates, row by row (+1 each): exact, or floats */
    lm_expr **val;      /* the n values of e there */
    lm_critkind *kind;  /* LM_CRIT_UNKNOWN: the test is inconclusive */
    bool numeric;       /* some points are numeric approximations */
    bool searched;      /* a numeric search over [lo, hi] (per axis) was used */
    int order;          /* the highest derivative order the test needed */
    double lo, hi;
} lm_sym_critical;
lm_status lm_sym_critical_points(lm_ctx *ctx, lm_expr *e, lm_expr *const *vars, int nvars, double lo, double hi,
                                 lm_sym_critical *out, lm_err *err);
void lm_sym_critical_free(lm_sym_critical *c);

#endif
