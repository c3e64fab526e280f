/* lemma optimization: first-order methods (gradient descent with a fixed step,
 * momentum, Nesterov, AdaGrad, RMSProp, Adam), Newton's method, Armijo
 * backtracking, projections onto a box and the simplex, a convexity check, and
 * least squares and logistic regression solved by iteration. Usable from C.
 *
 * An objective is a C callback (lm_opt_problem); lm_opt_sym turns a symbolic
 * expression into one by compiling f, its gradient and Hessian (sym.h). Every
 * run returns a trace object (iterates, objective, gradient norm) that prints
 * as {"type":"object","kind":"trace"} and that plots can draw. */
#ifndef LEMMA_OPT_H
#define LEMMA_OPT_H

#include "lemma/core.h"
#include "lemma/ctx.h"
#include "lemma/sym.h"
#include "lemma/tensor.h"

/* The objective. fg returns f(x) and, when g is not NULL, writes the gradient
 * (n values). A non-finite value is allowed: the optimizer reports divergence.
 * hess (may be NULL: Newton's method then refuses) writes the n×n Hessian,
 * row-major. */
typedef struct lm_opt_problem {
    int n;
    double (*fg)(void *ud, const double *x, double *g);
    void (*hess)(void *ud, const double *x, double *H);
    void *ud;
} lm_opt_problem;

/* Methods, written once: X(ENUM, "option name", "what it is") */
#define LM_OPT_METHOD_LIST(X)                                                     \
    X(GD, "gd", "gradient descent with a fixed step")                             \
    X(MOMENTUM, "momentum", "gradient descent with heavy-ball momentum")         \
    X(NESTEROV, "nesterov", "Nesterov's accelerated gradient")                    \
    X(ADAGRAD, "adagrad", "AdaGrad (per-coordinate steps from summed squares)")   \
    X(RMSPROP, "rmsprop", "RMSProp (per-coordinate steps from a moving average)") \
    X(ADAM, "adam", "Adam (momentum and RMSProp with bias correction)")           \
    X(NEWTON, "newton", "Newton's method (damped by a line search)")

typedef enum lm_opt_method {
#define X(e, name, what) LM_OPT_##e,
    LM_OPT_METHOD_LIST(X)
#undef X
    LM_OPT__COUNT
} lm_opt_method;

const char *lm_opt_method_name(lm_opt_method m);  /* "adam" */
const char *lm_opt_method_what(lm_opt_method m);  /* "Adam (momentum and ...)" */
int lm_opt_method_find(const char *name);         /* the method, or -1 */

typedef enum lm_opt_proj { LM_PROJ_NONE, LM_PROJ_BOX, LM_PROJ_SIMPLEX } lm_opt_proj;

typedef struct lm_opt_params {
    lm_opt_method method;
    double lr;           /* the step (first trial step with a line search) */
    int64_t steps;       /* at most this many iterations */
    double tol;          /* converged when the gradient norm (projected step / lr under a projection) < tol */
    double momentum;     /* momentum and Nesterov: 0.9 */
    double beta1, beta2; /* Adam: 0.9, 0.999 */
    double rho;          /* RMSProp decay: 0.9 */
    double eps;          /* AdaGrad, RMSProp, Adam denominators: 1e-8 */
    bool linesearch;     /* Armijo backtracking for gd (Newton always uses one) */
    lm_opt_proj proj;
    const double *lo, *hi; /* LM_PROJ_BOX: n bounds each (-inf/inf allowed); borrowed */
    double radius;       /* LM_PROJ_SIMPLEX: {x >= 0, sum x = radius}; 1 */
} lm_opt_params;

/* The defaults above with method = GD, lr = 0.01, steps = 1000, tol = 1e-8. */
void lm_opt_params_default(lm_opt_params *p);

typedef enum lm_opt_status {
    LM_OPT_CONVERGED, /* gradient norm below tol */
    LM_OPT_MAXSTEPS,  /* ran out of steps */
    LM_OPT_DIVERGED,  /* f or x stopped being finite, or grew without bound */
    LM_OPT_STALLED,   /* the line search found no decrease (at a minimum to rounding) */
} lm_opt_status;

/* A run: the trajectory and how it ended. Immutable once returned. Iterates are
 * stored every `stride` iterations (so at most LM_OPT_MAX_TRACE + 2 points),
 * always including the start and the end. */
#define LM_OPT_MAX_TRACE 10000
#define LM_OPT_MAX_STEPS 100000000LL
typedef struct lm_opt_trace {
    lm_obj hdr;        /* LM_OBJECT, type lm_opt_trace_type ("trace") or lm_opt_report_type ("optimization") */
    int n;             /* variables */
    int64_t npoints;   /* stored points */
    int64_t *iter;     /* iteration number of each point */
    double *x;         /* npoints × n, row-major */
    double *f;         /* objective at each point */
    double *gnorm;     /* gradient norm at each point */
    double *xmin;      /* the last iterate (n values) */
    double fmin, gmin; /* f and gradient norm there */
    int64_t iterations;
    lm_opt_status status;
    lm_opt_method method;
    double lr, tol;
    lm_opt_proj proj;
    bool linesearch;
    char *title;       /* "gd" or "lsq_gd": who ran it, for the report */
    char **names;      /* variable names (n), or NULL: x1, x2, ... */
    char *note;        /* an extra line for the report (loss units, accuracy), or NULL */
} lm_opt_trace;

extern const lm_objtype lm_opt_trace_type;  /* prints a table of iterates */
extern const lm_objtype lm_opt_report_type; /* prints the report: minimizer, iterations, why it stopped */
static inline bool lm_is_opt_trace(lm_value v) {
    return v.kind == LM_OBJECT && (v.u.obj->type == &lm_opt_trace_type || v.u.obj->type == &lm_opt_report_type);
}
const char *lm_opt_status_text(lm_opt_status s); /* "converged", "hit the step limit", ... */

/* Minimizes from x0 (n values). Returns a trace (+1, objtype "trace"), or NULL
 * with err set: a `domain` error for bad parameters (lr <= 0, Newton without a
 * Hessian, an empty box), a `limit` error when ctx reports an interrupt or the
 * time budget. Divergence is not an error: the trace says so. ctx may be NULL. */
lm_opt_trace *lm_opt_minimize(lm_ctx *ctx, const lm_opt_problem *prob, const lm_opt_params *par, const double *x0,
                              lm_err *err);
/* A second reference to the same run, printed as the report instead (+1): what
 * gd(...) returns as a single value. Shares nothing mutable. */
lm_opt_trace *lm_opt_trace_as_report(const lm_opt_trace *t);
/* Sets the title, variable names (copied) and note of a fresh trace. */
void lm_opt_trace_label(lm_opt_trace *t, const char *title, const char *const *names, const char *note);
/* The trace as the table it prints: one row per stored point, columns
 * iteration, x1 ... xn, f, |grad| (+1), so path(:, end - 1) is the objective
 * along the run. NULL with err set when memory runs out. */
lm_tensor *lm_opt_trace_table(const lm_opt_trace *t, lm_err *err);
static inline void lm_opt_trace_release(lm_opt_trace *t) { if (t) lm_obj_release(&t->hdr); }

/* Euclidean projections (in place): onto {lo <= x <= hi} and onto the simplex
 * {x >= 0, sum x = radius} (sort-based, Duchi et al. 2008). */
void lm_opt_project_box(double *x, int n, const double *lo, const double *hi);
void lm_opt_project_simplex(double *x, int n, double radius);

/* ---- symbolic objectives (sym_obj.c) ---- */
/* f and its gradient compiled into one program over vars (symbols), and the
 * Hessian into another when `hessian` is true. NULL with err set when f is not
 * a scalar expression, vars are not distinct symbols, f has a symbol that is not
 * among vars (`domain`, naming it), or differentiation fails. */
typedef struct lm_opt_sym lm_opt_sym;
lm_opt_sym *lm_opt_sym_new(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, bool hessian, lm_err *err);
void lm_opt_sym_free(lm_opt_sym *s);
/* The problem that evaluates s (valid while s lives). */
void lm_opt_sym_problem(lm_opt_sym *s, lm_opt_problem *out);

/* ---- convexity (convex.c) ---- */
typedef enum lm_convexity {
    LM_CONVEX_YES,       /* proved: the Hessian is constant and positive semidefinite */
    LM_CONVEX_NO,        /* proved: a point where the Hessian has a negative eigenvalue */
    LM_CONVEX_LIKELY,    /* the Hessian was positive semidefinite at every sampled point: not a proof */
} lm_convexity;
typedef struct lm_convex_result {
    lm_convexity verdict;
    bool constant_hessian; /* decided from the eigenvalues of a constant Hessian */
    bool strict;           /* constant Hessian with every eigenvalue > 0 */
    double min_eig;        /* the smallest eigenvalue seen */
    int64_t samples;       /* points checked (sampled case) */
    double *point;         /* n values: where min_eig was seen (owned; lm_free) */
} lm_convex_result;
/* Decides convexity of f in vars. Constant Hessians (quadratics, linear
 * functions) are decided by their eigenvalues; otherwise the Hessian is
 * evaluated at `samples` points drawn from ctx's generator in [-radius, radius]^n
 * (points where it is not finite are skipped). */
lm_status lm_opt_convex(lm_ctx *ctx, lm_expr *f, lm_expr *const *vars, int n, int64_t samples, double radius,
                        lm_convex_result *out, lm_err *err);

/* ---- models (models.c) ---- */
/* Least squares min (1/2m)·||X·w - y||² by the chosen first-order method from
 * w = 0 (X m×k, y m values, row-major X). par->lr <= 0 means 1/L with L the
 * largest eigenvalue of XᵀX/m (the step that always converges for gd). */
lm_opt_trace *lm_opt_lsq(lm_ctx *ctx, const double *X, const double *y, int64_t m, int k, const lm_opt_params *par,
                         lm_err *err);
/* Logistic regression: min mean binary cross-entropy (in nats) + lambda/2·||w||²
 * over weights w (k values) for X m×k (the caller adds a column of ones for an
 * intercept) and labels y in {0, 1} (a `domain` error otherwise). The loss is
 * computed stably (log1p(exp(-|z|))). */
lm_opt_trace *lm_opt_logreg(lm_ctx *ctx, const double *X, const double *y, int64_t m, int k, double lambda,
                            const lm_opt_params *par, lm_err *err);
/* Mean binary cross-entropy (nats) of weights w, and the training accuracy with threshold 0.5. */
double lm_opt_logreg_loss(const double *X, const double *y, int64_t m, int k, const double *w, double *accuracy);

#endif
