/* Compiled evaluation of expressions for plots and optimizers: an expression (or
 * a matrix of them, such as a gradient) becomes a flat register program, each
 * shared DAG node computed once, numbers folded at compile time, registers
 * reused once their value is dead. lm_sym_eval_vec runs it over blocks of points,
 * one instruction at a time across the block, so the dispatch cost is paid once
 * per block rather than once per point and node. */
#include "sym_int.h"

#include "lemma/tensor.h"

#include <math.h>
#include <string.h>

#define PI_D 3.14159265358979323846
#define E_D 2.71828182845904523536

/* Points run through each instruction together: large enough to amortize the
 * dispatch, small enough that the registers stay in cache. */
#define BLOCK 256
/* Integer powers up to this size are multiplied out (x^2 is x*x). */
#define POWI_MAX 64

typedef enum {
    OP_ADD,  /* d = a + b */
    OP_SUB,  /* d = a - b */
    OP_MUL,  /* d = a * b */
    OP_DIV,  /* d = a / b */
    OP_ADDK, /* d = a + k */
    OP_MULK, /* d = k * a */
    OP_KDIV, /* d = k / a */
    OP_AXPY, /* d = a + k * b */
    OP_POWI, /* d = a ^ n, n an integer */
    OP_POWK, /* d = a ^ k */
    OP_KPOW, /* d = k ^ a */
    OP_POW,  /* d = a ^ b */
    OP_SQRT, /* d = sqrt(a) */
    OP_FN,   /* d = f(a), f an lm_xfn */
} opcode;

typedef struct ins {
    uint8_t op;
    uint8_t fn;
    int32_t d, a, b; /* registers */
    int32_t n;       /* OP_POWI */
    double k;        /* the constant of the *K ops */
} ins;

struct lm_sym_prog {
    int nvars, nregs, nout;
    ins *code;
    size_t ncode, cap;
    int32_t *out;   /* register of output i, or -1 for a constant */
    double *outk;   /* the constant value of output i */
};

/* An operand while compiling: a register (r >= 0) or a constant k (r < 0). */
typedef struct opnd {
    int32_t r;
    double k;
} opnd;

typedef struct cgen {
    lm_sym_prog *p;
    lm_expr *const *vars;
    int nvars;
    lm_xmap memo; /* node -> register (i) */
    lm_xmap kmemo; /* node -> folded constant (d) */
    int32_t nvreg; /* virtual registers: 0..nvars-1 are the variables */
    lm_err *err;
    bool failed;
} cgen;

static opnd K(double k) {
    opnd o = {-1, k};
    return o;
}

static int32_t emit(cgen *G, opcode op, int32_t a, int32_t b, double k, int32_t n, int fn) {
    lm_sym_prog *p = G->p;
    if (p->ncode == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->code = lm_realloc(p->code, p->cap * sizeof *p->code);
    }
    ins *in = &p->code[p->ncode++];
    in->op = (uint8_t)op;
    in->fn = (uint8_t)fn;
    in->d = G->nvreg++;
    in->a = a;
    in->b = b;
    in->n = n;
    in->k = k;
    return in->d;
}

static opnd R(int32_t r) {
    opnd o = {r, 0};
    return o;
}

static double powi(double x, int32_t n) {
    uint32_t u = n < 0 ? (uint32_t)0 - (uint32_t)n : (uint32_t)n;
    double r = 1;
    while (u) {
        if (u & 1) r *= x;
        u >>= 1;
        if (u) x *= x;
    }
    return n < 0 ? 1 / r : r;
}

static double fn_eval(int fn, double x) {
    const lm_xfninfo *info = lm_sym_fn_info(fn);
    return info ? info->eval(x) : NAN;
}

static opnd gen(cgen *G, const lm_expr *e);

static void fail(cgen *G, lm_errkind kind, const char *fmt, const char *what) {
    if (!G->failed) lm_err_set(G->err, kind, fmt, what);
    G->failed = true;
}

/* a^b for operands; exponents that are exact constants get cheaper ops. */
static opnd gen_pow(cgen *G, opnd a, opnd b) {
    if (a.r < 0 && b.r < 0) return K(pow(a.k, b.k));
    if (b.r < 0) {
        if (b.k == 1) return a;
        if (b.k == floor(b.k) && fabs(b.k) <= POWI_MAX) return R(emit(G, OP_POWI, a.r, -1, 0, (int32_t)b.k, 0));
        if (b.k == 0.5) return R(emit(G, OP_SQRT, a.r, -1, 0, 0, 0));
        return R(emit(G, OP_POWK, a.r, -1, b.k, 0, 0));
    }
    if (a.r < 0) return R(emit(G, OP_KPOW, b.r, -1, a.k, 0, 0));
    return R(emit(G, OP_POW, a.r, b.r, 0, 0, 0));
}

/* x * y where either may be a constant (k*1 and k*x fold). */
static opnd mul2(cgen *G, opnd x, opnd y) {
    if (x.r < 0 && y.r < 0) return K(x.k * y.k);
    if (x.r < 0) return x.k == 1 ? y : R(emit(G, OP_MULK, y.r, -1, x.k, 0, 0));
    if (y.r < 0) return y.k == 1 ? x : R(emit(G, OP_MULK, x.r, -1, y.k, 0, 0));
    return R(emit(G, OP_MUL, x.r, y.r, 0, 0, 0));
}

/* The product of factors f[0..n-1] (a MUL without its numeric coefficient),
 * numerator over denominator so x^-2*y costs one division, not a pow. */
static opnd gen_factors(cgen *G, lm_expr *const *f, int n, double coef) {
    opnd num = K(coef), den = K(1);
    for (int i = 0; i < n && !G->failed; i++) {
        const lm_expr *fi = f[i];
        lm_snum s;
        if (fi->op == LM_X_POW && lm_snum_of(fi->args[1], &s) && !s.isf && s.p < 0) {
            opnd b = gen(G, fi->args[0]);
            opnd pw = gen_pow(G, b, K(-lm_snum_double(s)));
            den = mul2(G, den, pw);
        } else {
            num = mul2(G, num, gen(G, fi));
        }
    }
    if (G->failed) return K(NAN);
    if (den.r < 0) return den.k == 1 ? num : mul2(G, num, K(1 / den.k));
    if (num.r < 0) return R(emit(G, OP_KDIV, den.r, -1, num.k, 0, 0));
    return R(emit(G, OP_DIV, num.r, den.r, 0, 0, 0));
}

static opnd gen_sum(cgen *G, const lm_expr *e) {
    opnd acc = K(0);
    for (int i = 0; i < e->nargs && !G->failed; i++) {
        const lm_expr *t = e->args[i];
        /* c*rest as one a + c*rest instruction */
        lm_snum c = lm_snum_int(1);
        opnd rest;
        if (t->op == LM_X_MUL && lm_snum_of(t->args[0], &c)) rest = gen_factors(G, t->args + 1, t->nargs - 1, 1);
        else rest = gen(G, t);
        double ck = lm_snum_double(c);
        if (rest.r < 0) { /* a constant term */
            opnd kt = K(ck * rest.k);
            if (acc.r < 0) acc = K(acc.k + kt.k);
            else acc = R(emit(G, OP_ADDK, acc.r, -1, kt.k, 0, 0));
        } else if (acc.r < 0) {
            opnd term = mul2(G, K(ck), rest);
            acc = acc.k == 0 ? term : R(emit(G, OP_ADDK, term.r, -1, acc.k, 0, 0));
        } else if (ck == 1) {
            acc = R(emit(G, OP_ADD, acc.r, rest.r, 0, 0, 0));
        } else if (ck == -1) {
            acc = R(emit(G, OP_SUB, acc.r, rest.r, 0, 0, 0));
        } else {
            acc = R(emit(G, OP_AXPY, acc.r, rest.r, ck, 0, 0));
        }
    }
    return acc;
}

static opnd gen(cgen *G, const lm_expr *e) {
    if (G->failed) return K(NAN);
    switch ((lm_xop)e->op) {
    case LM_X_RAT: return K((double)e->u.rat.p / (double)e->u.rat.q);
    case LM_X_FLOAT: return K(e->u.f);
    case LM_X_CONST:
        if (e->sub == LM_XC_I) {
            fail(G, LM_ERR_DOMAIN, "the expression has the imaginary unit %s, so its values are not real numbers", "i");
            return K(NAN);
        }
        return K(e->sub == LM_XC_PI ? PI_D : E_D);
    case LM_X_SYM:
        for (int i = 0; i < G->nvars; i++)
            if (G->vars[i] == e) return R(i);
        fail(G, LM_ERR_NAME, "the expression has the unknown %s, which is not among the variables", e->u.name);
        return K(NAN);
    default: break;
    }
    lm_xval v;
    if (lm_xmap_get(&G->kmemo, e, &v)) return K(v.d);
    if (lm_xmap_get(&G->memo, e, &v)) return R((int32_t)v.i);
    opnd r = K(NAN);
    switch ((lm_xop)e->op) {
    case LM_X_ADD: r = gen_sum(G, e); break;
    case LM_X_MUL: {
        lm_snum c;
        if (lm_snum_of(e->args[0], &c)) r = gen_factors(G, e->args + 1, e->nargs - 1, lm_snum_double(c));
        else r = gen_factors(G, e->args, e->nargs, 1);
        break;
    }
    case LM_X_POW: {
        opnd a = gen(G, e->args[0]);
        lm_snum s;
        /* x^-n as 1/x^n: the same rounding as x^-1 * ... in a product */
        if (lm_snum_of(e->args[1], &s) && !s.isf && s.p < 0 && a.r >= 0)
            r = R(emit(G, OP_KDIV, gen_pow(G, a, K(-lm_snum_double(s))).r, -1, 1, 0, 0));
        else
            r = gen_pow(G, a, gen(G, e->args[1]));
        break;
    }
    case LM_X_CALL:
        if (e->sub == LM_XF_UNKNOWN || e->nargs != 1) {
            fail(G, LM_ERR_DOMAIN, "cannot evaluate %s(...): it is not a function lemma can compute", e->u.name);
            return K(NAN);
        } else {
            opnd a = gen(G, e->args[0]);
            r = a.r < 0 ? K(fn_eval(e->sub, a.k)) : R(emit(G, OP_FN, a.r, -1, 0, 0, e->sub));
        }
        break;
    case LM_X_REL:
        fail(G, LM_ERR_TYPE, "an %s has no numeric value", "equation or inequality");
        return K(NAN);
    case LM_X_MATRIX:
        fail(G, LM_ERR_TYPE, "a %s inside an expression cannot be evaluated", "matrix");
        return K(NAN);
    default:
        fail(G, LM_ERR_INTERNAL, "compile: unknown node kind in %s", "an expression");
        return K(NAN);
    }
    if (G->failed) return K(NAN);
    if (r.r < 0) {
        v.d = r.k;
        lm_xmap_put(&G->kmemo, e, v);
    } else {
        v.i = r.r;
        lm_xmap_put(&G->memo, e, v);
    }
    return r;
}

/* Which operands an opcode reads. */
static int reads_b(int op) { return op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_AXPY || op == OP_POW; }

/* Linear-scan register allocation over the straight-line code: a register is
 * free again after the last instruction that reads it, so the register file is
 * as wide as the widest set of live values, not as long as the program. The
 * variables keep registers 0..nvars-1 throughout. */
static void allocate(lm_sym_prog *p, int32_t nvreg) {
    int32_t nv = p->nvars;
    int64_t *last = lm_alloc((size_t)nvreg * sizeof *last);
    int32_t *phys = lm_alloc((size_t)nvreg * sizeof *phys);
    int32_t *freel = lm_alloc((size_t)nvreg * sizeof *freel);
    size_t nfree = 0;
    for (int32_t v = 0; v < nvreg; v++) last[v] = -1;
    for (size_t i = 0; i < p->ncode; i++) {
        last[p->code[i].a] = (int64_t)i;
        if (reads_b(p->code[i].op)) last[p->code[i].b] = (int64_t)i;
    }
    for (int i = 0; i < p->nout; i++)
        if (p->out[i] >= 0) last[p->out[i]] = INT64_MAX;
    for (int32_t v = 0; v < nv; v++) phys[v] = v;
    int32_t nphys = nv;
    for (size_t i = 0; i < p->ncode; i++) {
        ins *in = &p->code[i];
        int32_t a = in->a, b = reads_b(in->op) ? in->b : -1;
        in->a = phys[a];
        if (b >= 0) in->b = phys[b];
        /* operands dying here hand their registers to the result (elementwise
         * ops may write where they read) */
        if (a >= nv && last[a] == (int64_t)i) freel[nfree++] = phys[a];
        if (b >= nv && b != a && last[b] == (int64_t)i) freel[nfree++] = phys[b];
        int32_t d = in->d;
        phys[d] = nfree ? freel[--nfree] : nphys++;
        in->d = phys[d];
        if (last[d] < 0) freel[nfree++] = phys[d]; /* never read: reusable at once */
    }
    for (int i = 0; i < p->nout; i++)
        if (p->out[i] >= 0) p->out[i] = phys[p->out[i]];
    p->nregs = nphys > 0 ? nphys : 1;
    lm_free(last);
    lm_free(phys);
    lm_free(freel);
}

void lm_sym_prog_free(lm_sym_prog *p) {
    if (!p) return;
    lm_free(p->code);
    lm_free(p->out);
    lm_free(p->outk);
    lm_free(p);
}

lm_sym_prog *lm_sym_compile(const lm_expr *e, lm_expr *const *vars, int n, lm_err *err) {
    if (!e || n < 0 || (n > 0 && !vars)) {
        lm_err_set(err, LM_ERR_INTERNAL, "compile: missing expression or variables");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (!vars[i] || vars[i]->op != LM_X_SYM) {
            lm_err_set(err, LM_ERR_TYPE, "compile: the variables must be symbols such as x");
            return NULL;
        }
    }
    lm_sym_prog *p = lm_calloc(1, sizeof *p);
    p->nvars = n;
    bool mat = e->op == LM_X_MATRIX;
    p->nout = mat ? e->nargs : 1;
    p->out = lm_alloc((size_t)(p->nout ? p->nout : 1) * sizeof *p->out);
    p->outk = lm_alloc((size_t)(p->nout ? p->nout : 1) * sizeof *p->outk);
    cgen G = {p, vars, n, LM_XMAP_INIT, LM_XMAP_INIT, n, err, false};
    for (int i = 0; i < p->nout && !G.failed; i++) {
        opnd o = gen(&G, mat ? e->args[i] : e);
        p->out[i] = o.r;
        p->outk[i] = o.k;
    }
    lm_xmap_free(&G.memo);
    lm_xmap_free(&G.kmemo);
    if (G.failed) {
        lm_sym_prog_free(p);
        return NULL;
    }
    allocate(p, G.nvreg);
    return p;
}

int lm_sym_prog_nvars(const lm_sym_prog *p) { return p ? p->nvars : 0; }
int lm_sym_prog_nout(const lm_sym_prog *p) { return p ? p->nout : 0; }

/* Runs the program on m points whose variables are already in registers
 * 0..nvars-1; register r holds its m values at R + r*B. */
static void run(const lm_sym_prog *p, double *R, int m, int B) {
    for (size_t i = 0; i < p->ncode; i++) {
        const ins *in = &p->code[i];
        double *d = R + (size_t)in->d * B;
        const double *a = R + (size_t)in->a * B;
        const double *b = in->b >= 0 ? R + (size_t)in->b * B : a;
        double k = in->k;
        switch ((opcode)in->op) {
        case OP_ADD: for (int j = 0; j < m; j++) d[j] = a[j] + b[j]; break;
        case OP_SUB: for (int j = 0; j < m; j++) d[j] = a[j] - b[j]; break;
        case OP_MUL: for (int j = 0; j < m; j++) d[j] = a[j] * b[j]; break;
        case OP_DIV: for (int j = 0; j < m; j++) d[j] = a[j] / b[j]; break;
        case OP_ADDK: for (int j = 0; j < m; j++) d[j] = a[j] + k; break;
        case OP_MULK: for (int j = 0; j < m; j++) d[j] = k * a[j]; break;
        case OP_KDIV: for (int j = 0; j < m; j++) d[j] = k / a[j]; break;
        case OP_AXPY: for (int j = 0; j < m; j++) d[j] = a[j] + k * b[j]; break;
        case OP_POWI:
            if (in->n == 2) for (int j = 0; j < m; j++) d[j] = a[j] * a[j];
            else for (int j = 0; j < m; j++) d[j] = powi(a[j], in->n);
            break;
        case OP_POWK: for (int j = 0; j < m; j++) d[j] = pow(a[j], k); break;
        case OP_KPOW: for (int j = 0; j < m; j++) d[j] = pow(k, a[j]); break;
        case OP_POW: for (int j = 0; j < m; j++) d[j] = pow(a[j], b[j]); break;
        case OP_SQRT: for (int j = 0; j < m; j++) d[j] = sqrt(a[j]); break;
        case OP_FN: {
            switch (in->fn) { /* the common ones without the indirect call */
            case LM_XF_EXP: for (int j = 0; j < m; j++) d[j] = exp(a[j]); break;
            case LM_XF_LOG: for (int j = 0; j < m; j++) d[j] = log(a[j]); break;
            case LM_XF_SIN: for (int j = 0; j < m; j++) d[j] = sin(a[j]); break;
            case LM_XF_COS: for (int j = 0; j < m; j++) d[j] = cos(a[j]); break;
            case LM_XF_TANH: for (int j = 0; j < m; j++) d[j] = tanh(a[j]); break;
            default: {
                double (*f)(double) = lm_sym_fn_info(in->fn)->eval;
                for (int j = 0; j < m; j++) d[j] = f(a[j]);
            }
            }
            break;
        }
        }
    }
}

void lm_sym_prog_eval(const lm_sym_prog *p, const double *x, double *out) {
    double stack[64];
    double *R = p->nregs <= 64 ? stack : lm_alloc((size_t)p->nregs * sizeof *R);
    for (int v = 0; v < p->nvars; v++) R[v] = x[v];
    run(p, R, 1, 1);
    for (int i = 0; i < p->nout; i++) out[i] = p->out[i] >= 0 ? R[p->out[i]] : p->outk[i];
    if (R != stack) lm_free(R);
}

struct lm_tensor *lm_sym_eval_vec(const lm_sym_prog *p, const struct lm_tensor *pts, lm_err *err) {
    if (!p || !pts) {
        lm_err_set(err, LM_ERR_INTERNAL, "eval: missing program or points");
        return NULL;
    }
    if (pts->imag) {
        lm_err_set(err, LM_ERR_TYPE, "the points must be real numbers");
        return NULL;
    }
    int nv = p->nvars;
    int64_t npts;
    bool elementwise = nv == 1 && p->nout == 1;
    if (elementwise || nv == 1) {
        npts = pts->size;
    } else if (nv == 0) {
        npts = pts->ndim >= 1 ? pts->shape[0] : 1; /* one value per row, whatever the columns */
    } else {
        if (pts->ndim > 2 || lm_tensor_cols(pts) != nv) {
            char sh[64];
            lm_tensor_shape_str(pts, sh);
            lm_err_set(err, LM_ERR_SHAPE, "the points must be a matrix with one row per point and %d columns (one per variable), not %s",
                       nv, sh);
            return NULL;
        }
        npts = lm_tensor_rows(pts);
    }
    lm_tensor *r;
    if (elementwise) {
        r = lm_tensor_new(pts->ndim, pts->shape, err);
    } else {
        r = lm_tensor_matrix(npts, p->nout, err);
    }
    if (!r) return NULL;
    /* the points in row-major logical order, read in place when they already are */
    const double *src = NULL;
    double *copy = NULL;
    if (nv > 0 && pts->size > 0) {
        if (lm_tensor_is_contiguous(pts)) {
            src = pts->data;
        } else {
            copy = lm_alloc_big((size_t)pts->size * sizeof *copy);
            if (!copy) {
                lm_tensor_release(r);
                lm_err_set(err, LM_ERR_LIMIT, "not enough memory for %lld points", (long long)npts);
                return NULL;
            }
            lm_tensor_gather(pts, copy);
            src = copy;
        }
    }
    double *R = lm_alloc((size_t)p->nregs * BLOCK * sizeof *R);
    for (int64_t s = 0; s < npts; s += BLOCK) {
        int m = (int)(npts - s < BLOCK ? npts - s : BLOCK);
        for (int v = 0; v < nv; v++)
            for (int j = 0; j < m; j++) R[(size_t)v * BLOCK + j] = src[(s + j) * nv + v];
        run(p, R, m, BLOCK);
        for (int o = 0; o < p->nout; o++) {
            double *dst = r->data + s * p->nout + o;
            if (p->out[o] >= 0) {
                const double *reg = R + (size_t)p->out[o] * BLOCK;
                for (int j = 0; j < m; j++) dst[(size_t)j * p->nout] = reg[j];
            } else {
                for (int j = 0; j < m; j++) dst[(size_t)j * p->nout] = p->outk[o];
            }
        }
    }
    lm_free(R);
    lm_free(copy);
    return r;
}
