/* Printers for expressions: text that lemma's parser reads back to the same node
 * (`^` binds tighter than unary minus, so bases like -2 get parentheses), and
 * LaTeX for KaTeX. Storage order is for the machine; here terms are put in the
 * order people write them: x^2 + 2*x + 1, 2*x*sin(x) + x^2*cos(x), 1 - x. */
#include "sym_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text precedence, loosest first. Unary minus binds tighter than * and /. */
enum { P_LOW, P_REL, P_ADD, P_MUL, P_NEG, P_POW, P_ATOM };

typedef struct pr {
    lm_buf *out;
    size_t start;
    int digits;  /* floats: 0 = shortest round trip */
    bool latex;
    bool prose;  /* text for a sentence: products with '·', pending derivatives as d/dx (u) */
    bool cut;    /* the output passed LM_MAX_OUTPUT: stop printing */
} pr;

static void put(pr *p, const char *s) { lm_buf_puts(p->out, s); }

static int sgn(int c) { return (c > 0) - (c < 0); }

/* A DAG can describe a tree far larger than memory (x = x + sin(x), 100
 * times); its text is cut at the output limit instead of exhausting memory. */
static bool over(pr *p) {
    if (!p->cut && p->out->len - p->start > (size_t)LM_MAX_OUTPUT) p->cut = true;
    return p->cut;
}

static void print_node(pr *p, const lm_expr *e);

/* ---- numbers ---- */

/* A float in an expression is approximate already: sums of data values such as
 * 3.1 + 5.2 + ... land an ulp or two off the decimal the arithmetic means
 * (60.199999999999996 for 60.2). Printed to 15 significant digits, the most
 * every decimal survives the trip into a double with (DBL_DIG), that noise
 * goes: the value printed is the shortest decimal of the double nearest to x
 * at 15 digits, which for a noisy 60.2 is 60.2. */
static void fmt_float15(char s[40], double x) {
    lm_fmt_double_shortest(s, x);
    if (!isfinite(x) || x == floor(x)) return; /* whole floats are exact as printed */
    int sig = 0;
    bool lead = true;
    for (const char *c = s; *c && *c != 'e'; c++) {
        if (*c < '0' || *c > '9') continue;
        if (lead && *c == '0') continue;
        lead = false;
        sig++;
    }
    if (sig <= 15) return;
    char e[40];
    snprintf(e, sizeof e, "%.14e", x);
    lm_fmt_double_shortest(s, strtod(e, NULL));
}

static void put_float(pr *p, double x) {
    char s[48];
    if (p->digits > 0) lm_fmt_double_sig(s, x, p->digits);
    else fmt_float15(s, x);
    if (isfinite(x) && strspn(s, "-0123456789") == strlen(s)) strcat(s, ".0"); /* 2.0 is not the exact 2 */
    if (!p->latex) {
        put(p, s);
        return;
    }
    if (isnan(x)) {
        put(p, "\\mathrm{NaN}");
        return;
    }
    if (isinf(x)) {
        put(p, x < 0 ? "-\\infty" : "\\infty");
        return;
    }
    char *ex = strchr(s, 'e');
    if (!ex) {
        put(p, s);
        return;
    }
    *ex = '\0';
    lm_buf_printf(p->out, "%s \\cdot 10^{%ld}", s, strtol(ex + 1, NULL, 10));
}

static void put_snum(pr *p, lm_snum v) {
    if (v.isf) {
        put_float(p, v.f);
        return;
    }
    if (v.q == 1) lm_buf_printf(p->out, "%lld", (long long)v.p);
    else if (!p->latex) lm_buf_printf(p->out, "%lld/%lld", (long long)v.p, (long long)v.q);
    else if (v.p < 0) lm_buf_printf(p->out, "-\\frac{%lld}{%lld}", -(long long)v.p, (long long)v.q);
    else lm_buf_printf(p->out, "\\frac{%lld}{%lld}", (long long)v.p, (long long)v.q);
}

static int num_prec(lm_snum v) {
    if (lm_snum_sign(v) < 0) return P_NEG;
    if (!v.isf && v.q != 1) return P_MUL;
    return P_ATOM;
}

/* How tightly e's printed form binds. */
static int prec_of(const lm_expr *e) {
    lm_snum v;
    if (lm_snum_of(e, &v)) return num_prec(v);
    switch ((lm_xop)e->op) {
    case LM_X_POW:
        if (lm_snum_of(e->args[1], &v) && !v.isf) {
            if (v.p < 0) return P_MUL;               /* printed 1/x */
            if (v.p == 1 && v.q == 2) return P_ATOM; /* printed sqrt(x) */
        }
        return P_POW;
    case LM_X_MUL: return P_MUL;
    case LM_X_ADD: return P_ADD;
    case LM_X_REL: return P_REL;
    default: return P_ATOM;
    }
}

static bool is_deriv(const lm_expr *e);

/* In prose, d/dx (u) takes everything after it as its operand, so it binds
 * only as loosely as a sum; elsewhere diff(u, x) is a call like any other. */
static int prec_in(const pr *p, const lm_expr *e) { return p->prose && is_deriv(e) ? P_ADD : prec_of(e); }

static void print_at(pr *p, const lm_expr *e, int need) {
    if (prec_in(p, e) >= need) {
        print_node(p, e);
        return;
    }
    put(p, p->latex ? "\\left(" : "(");
    print_node(p, e);
    put(p, p->latex ? "\\right)" : ")");
}

/* ---- names ---- */

static const char *const greek[] = {
    "alpha", "beta",  "gamma", "delta",   "epsilon", "zeta",  "eta",   "theta", "iota",  "kappa",
    "lambda", "mu",   "nu",    "xi",      "pi",      "rho",   "sigma", "tau",   "upsilon", "phi",
    "chi",   "psi",   "omega", "Gamma",   "Delta",   "Theta", "Lambda", "Xi",   "Pi",    "Sigma",
    "Upsilon", "Phi", "Psi",   "Omega",
};

/* Characters of a name that LaTeX would read as markup. */
static void latex_escaped(pr *p, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (strchr("_#$%&{}", c)) {
            lm_buf_putc(p->out, '\\');
            lm_buf_putc(p->out, c);
        } else if (c == '\\') {
            put(p, "\\backslash{}");
        } else if (c == '^' || c == '~') {
            put(p, c == '^' ? "\\hat{}" : "\\sim{}");
        } else {
            lm_buf_putc(p->out, c);
        }
    }
}

static void latex_ident(pr *p, const char *s, size_t n) {
    for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++) {
        if (strlen(greek[i]) == n && strncmp(greek[i], s, n) == 0) {
            lm_buf_printf(p->out, "\\%s", greek[i]);
            return;
        }
    }
    if (n == 1) {
        latex_escaped(p, s, n);
        return;
    }
    put(p, "\\mathit{"); /* lr is one name, not l times r */
    latex_escaped(p, s, n);
    put(p, "}");
}

/* x_1 and w1 get a subscript, alpha becomes \alpha. */
static void latex_name(pr *p, const char *s) {
    size_t n = strlen(s);
    const char *us = strchr(s, '_');
    if (us && us != s && us[1]) {
        latex_ident(p, s, (size_t)(us - s));
        put(p, "_{");
        latex_escaped(p, us + 1, strlen(us + 1));
        put(p, "}");
        return;
    }
    size_t j = n;
    while (j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9') j--;
    if (j > 0 && j < n) {
        latex_ident(p, s, j);
        lm_buf_printf(p->out, "_{%s}", s + j);
        return;
    }
    latex_ident(p, s, n);
}

/* ---- display order ---- */

/* Number-valued for display (sqrt(2), pi, sin(1)): such factors lead a product
 * and make a term a constant. A node budget keeps this cheap on wide DAGs. */
static bool quick_numeric(const lm_expr *e, int *budget) {
    int own = lm_sym_node_numeric(e);
    if (own >= 0) return own;
    if (--*budget < 0) return false;
    for (int i = 0; i < e->nargs; i++)
        if (!quick_numeric(e->args[i], budget)) return false;
    return true;
}

static bool is_numeric(const lm_expr *e) {
    int budget = 64;
    return quick_numeric(e, &budget);
}

static bool is_exp_power(const lm_expr *f) { /* e^x, shown among functions like exp(x) */
    return f->op == LM_X_POW && f->args[0]->op == LM_X_CONST && f->args[0]->sub == LM_XC_E;
}

/* Function key: the table order (sin before cos), unknown names after. */
static int fn_key(const lm_expr *g) {
    if (is_exp_power(g)) return LM_XF_EXP;
    return g->op == LM_X_CALL ? g->sub : LM_XF_UNKNOWN;
}

/* diff(u, x) or partial(u, x): a derivative still to be taken, in steps. */
static bool is_deriv(const lm_expr *e) {
    return e->op == LM_X_CALL && e->sub == LM_XF_UNKNOWN && e->nargs == 2 && e->args[1]->op == LM_X_SYM &&
           (!strcmp(e->u.name, "diff") || !strcmp(e->u.name, "partial"));
}

static int deriv_cmp(const lm_expr *a, const lm_expr *b);

static int cmp_functions(const lm_expr *a, const lm_expr *b) {
    int ka = fn_key(a), kb = fn_key(b);
    if (ka != kb) return ka < kb ? -1 : 1;
    if (ka == LM_XF_UNKNOWN && a->op == LM_X_CALL && b->op == LM_X_CALL) {
        int c = sgn(strcmp(a->u.name, b->u.name));
        if (c) return c;
        /* pending derivatives keep the order of what they differentiate:
         * 3*diff(x^3, x) - 2*diff(x^2, x), as 3*x^3 - 2*x^2 was written */
        if (is_deriv(a) && is_deriv(b) && (c = deriv_cmp(a, b))) return c;
    }
    return lm_sym_cmp(a, b);
}

/* Factor classes in a product: numbers and constants, symbols (by name),
 * sums, functions (table order), the rest: 2*pi*x*(x + 1)*sin(x). */
static int fclass(const lm_expr *f) {
    if (is_numeric(f)) return 0;
    const lm_expr *b = lm_sym_base(f);
    if (b->op == LM_X_SYM) return 1;
    if (b->op == LM_X_ADD) return 2;
    if (b->op == LM_X_CALL || is_exp_power(f)) return 3;
    return 4;
}

typedef struct item {
    const lm_expr *f;    /* the factor, for ordering */
    const lm_expr *base; /* printed base */
    const lm_expr *ex;   /* exponent, NULL for 1 */
    bool inv;            /* in a denominator: print base^(-ex) */
    bool negsum;         /* a sum printed negated: it took the product's minus sign */
    int cls;
} item;

static int item_cmp(const void *a, const void *b, void *ud) {
    const item *x = a, *y = b;
    (void)ud;
    if (x->cls != y->cls) return x->cls < y->cls ? -1 : 1;
    if (x->cls == 1) {
        int c = sgn(strcmp(lm_sym_base(x->f)->u.name, lm_sym_base(y->f)->u.name));
        if (c) return c;
    }
    if (x->cls == 3) {
        const lm_expr *gx = is_exp_power(x->f) ? x->f : lm_sym_base(x->f);
        const lm_expr *gy = is_exp_power(y->f) ? y->f : lm_sym_base(y->f);
        int c = cmp_functions(gx, gy);
        if (c) return c;
    }
    return lm_sym_cmp(x->f, y->f);
}

static void print_product(pr *p, lm_snum c, lm_expr *const *f, int nf, bool negate);

/* ---- sums ---- */

typedef struct pfac {
    const lm_expr *g; /* symbol (poly part) or generator (function, sum, ...) */
    lm_snum e;
} pfac;

typedef struct dterm {
    const lm_expr *t;
    lm_snum c;
    lm_expr *const *f;
    int nf;
    pfac *poly, *gen;
    int npoly, ngen;
    int group; /* 0 polynomial, 1 with functions, 2 constant, 3 negative powers */
    bool neg;
} dterm;

static int poly_gcmp(const lm_expr *a, const lm_expr *b) { return sgn(strcmp(a->u.name, b->u.name)); }

/* Generators: functions (table order) before sums before anything else. */
static int gen_class(const lm_expr *g) {
    if (g->op == LM_X_CALL || is_exp_power(g)) return 0;
    return g->op == LM_X_ADD ? 1 : 2;
}

static int gen_gcmp(const lm_expr *a, const lm_expr *b) {
    int ca = gen_class(a), cb = gen_class(b);
    if (ca != cb) return ca < cb ? -1 : 1;
    return ca == 0 ? cmp_functions(a, b) : lm_sym_cmp(a, b);
}

/* Lexicographic, higher powers first, over generator lists sorted by gcmp
 * (a missing generator has exponent 0): x^2 > x*y > x > y^2 > 1 > 1/x. */
static int lex_desc(const pfac *A, int na, const pfac *B, int nb, int (*gcmp)(const lm_expr *, const lm_expr *)) {
    int i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : gcmp(A[i].g, B[j].g);
        if (c == 0) {
            int ec = lm_snum_cmp(A[i].e, B[j].e);
            if (ec) return -ec;
            i++;
            j++;
        } else if (c < 0) {
            return lm_snum_sign(A[i].e) > 0 ? -1 : 1;
        } else {
            return lm_snum_sign(B[j].e) > 0 ? 1 : -1;
        }
    }
    return 0;
}

static int gen_sort_cmp(const void *a, const void *b, void *ud) {
    (void)ud;
    return gen_gcmp(((const pfac *)a)->g, ((const pfac *)b)->g);
}

static int dterm_cmp(const void *a, const void *b, void *ud) {
    const dterm *x = a, *y = b;
    (void)ud;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    int c = 0;
    if (x->group == 1) c = lex_desc(x->gen, x->ngen, y->gen, y->ngen, gen_gcmp);
    if (!c) c = lex_desc(x->poly, x->npoly, y->poly, y->npoly, poly_gcmp);
    if (!c && x->group == 2) c = (int)!lm_sym_isnum(x->t) - (int)!lm_sym_isnum(y->t); /* 1 + pi */
    return c ? c : lm_sym_cmp(x->t, y->t);
}

static void dterm_init(dterm *d, lm_expr *const *slot, pfac *poly, pfac *gen) {
    d->t = *slot;
    lm_sym_term_split((const lm_expr *const *)slot, &d->c, &d->f, &d->nf);
    d->poly = poly;
    d->gen = gen;
    d->npoly = d->ngen = 0;
    for (int i = 0; i < d->nf; i++) {
        const lm_expr *fi = d->f[i], *b = lm_sym_base(fi), *ex = lm_sym_exp(fi);
        lm_snum v = lm_snum_int(1);
        bool rat = !ex || (lm_snum_of(ex, &v) && !v.isf);
        if (is_numeric(fi)) continue; /* part of the coefficient for display */
        if (b->op == LM_X_SYM && rat) {
            poly[d->npoly].g = b;
            poly[d->npoly++].e = v;
        } else if (rat) {
            gen[d->ngen].g = b;
            gen[d->ngen++].e = v;
        } else {
            gen[d->ngen].g = fi;
            gen[d->ngen++].e = lm_snum_int(1);
        }
    }
    /* storage order already lists symbols by name; generators need sorting */
    if (d->ngen > 1) {
        pfac **tmp = lm_alloc((size_t)d->ngen * sizeof *tmp);
        pfac *cp = lm_alloc((size_t)d->ngen * sizeof *cp);
        for (int i = 0; i < d->ngen; i++) tmp[i] = &gen[i];
        lm_sym_sort((void **)tmp, (size_t)d->ngen, gen_sort_cmp, NULL);
        for (int i = 0; i < d->ngen; i++) cp[i] = *tmp[i];
        memcpy(gen, cp, (size_t)d->ngen * sizeof *cp);
        lm_free(tmp);
        lm_free(cp);
    }
    if (d->npoly == 0 && d->ngen == 0) d->group = 2;
    else if (d->ngen > 0) d->group = 1;
    else d->group = lm_snum_sign(d->poly[0].e) > 0 ? 0 : 3;
    d->neg = lm_snum_sign(d->c) < 0;
}

/* A sum's terms in display order. With negate, every term is shown negated
 * (a product's minus sign absorbed into its sum factor: y*(1 - x)). */
typedef struct addview {
    dterm *ts;
    dterm **tp;
    pfac *pool;
    int n;
} addview;

static void addview_init(addview *v, const lm_expr *e, bool negate) {
    int n = e->nargs, total = 0;
    for (int i = 0; i < n; i++) total += e->args[i]->op == LM_X_MUL ? e->args[i]->nargs : 1;
    v->n = n;
    v->ts = lm_alloc((size_t)n * sizeof *v->ts);
    v->tp = lm_alloc((size_t)n * sizeof *v->tp);
    v->pool = lm_alloc((size_t)total * 2 * sizeof *v->pool);
    pfac *next = v->pool;
    for (int i = 0; i < n; i++) {
        int nfi = e->args[i]->op == LM_X_MUL ? e->args[i]->nargs : 1;
        dterm *d = &v->ts[i];
        dterm_init(d, &e->args[i], next, next + nfi);
        if (negate) {
            d->c = lm_snum_neg(d->c);
            d->neg = lm_snum_sign(d->c) < 0;
        }
        next += 2 * nfi;
        v->tp[i] = d;
    }
    lm_sym_sort((void **)v->tp, (size_t)n, dterm_cmp, NULL);
    /* 1 - x rather than -x + 1 (SymPy's habit for a negative term and a constant) */
    if (n == 2 && v->tp[0]->neg && v->tp[1]->group == 2 && !v->tp[1]->neg) {
        dterm *t = v->tp[0];
        v->tp[0] = v->tp[1];
        v->tp[1] = t;
    }
}

static void addview_free(addview *v) {
    lm_free(v->pool);
    lm_free(v->tp);
    lm_free(v->ts);
}

/* The slot of the term of e that prints first (e itself unless a sum). */
static lm_expr *const *lead_slot(lm_expr *const *slot) {
    const lm_expr *e = *slot;
    if (e->op != LM_X_ADD) return slot;
    addview v;
    addview_init(&v, e, false);
    int k = (int)(v.tp[0] - v.ts);
    addview_free(&v);
    return &e->args[k];
}

/* Two pending derivatives by the display order of their arguments' leading
 * terms, as if those were terms of one sum. */
static int deriv_cmp(const lm_expr *a, const lm_expr *b) {
    lm_expr *const *sa = lead_slot(&a->args[0]), *const *sb = lead_slot(&b->args[0]);
    int na = (*sa)->op == LM_X_MUL ? (*sa)->nargs : 1, nb = (*sb)->op == LM_X_MUL ? (*sb)->nargs : 1;
    pfac *pa = lm_alloc((size_t)na * 2 * sizeof *pa), *pb = lm_alloc((size_t)nb * 2 * sizeof *pb);
    dterm da, db;
    dterm_init(&da, sa, pa, pa + na);
    dterm_init(&db, sb, pb, pb + nb);
    int c = dterm_cmp(&da, &db, NULL);
    lm_free(pa);
    lm_free(pb);
    return c;
}

/* Would -e print with a leading plus sign? (-(x - 1) as 1 - x: yes.) */
static bool negated_sum_leads_positive(const lm_expr *e) {
    addview v;
    addview_init(&v, e, true);
    bool r = !v.tp[0]->neg;
    addview_free(&v);
    return r;
}

/* A term with its sign (negate: without it, after " - "). */
static void print_term(pr *p, const dterm *d, bool negate) {
    if (d->nf == 0) put_snum(p, negate ? lm_snum_neg(d->c) : d->c);
    else print_product(p, d->c, d->f, d->nf, negate);
}

static void print_add(pr *p, const lm_expr *e, bool negate) {
    addview v;
    addview_init(&v, e, negate);
    for (int i = 0; i < v.n && !over(p); i++) {
        const dterm *d = v.tp[i];
        if (i == 0) {
            print_term(p, d, false);
        } else if (d->neg) {
            put(p, " - ");
            print_term(p, d, true);
        } else {
            put(p, " + ");
            print_term(p, d, false);
        }
    }
    addview_free(&v);
}

/* ---- powers and products ---- */

/* The exponent an item prints with. */
typedef struct effexp {
    bool one;    /* exponent 1: the base alone */
    bool israt;  /* exact rational, in r */
    lm_snum r;
} effexp;

static effexp item_exp(const item *it) {
    effexp x = {false, false, lm_snum_int(1)};
    if (!it->ex) {
        x.one = x.israt = true;
        return x;
    }
    lm_snum v;
    if (lm_snum_of(it->ex, &v) && !v.isf) {
        x.israt = true;
        x.r = it->inv ? lm_snum_neg(v) : v;
        x.one = lm_snum_is(x.r, 1);
    }
    return x;
}

static bool is_root(effexp x) { return x.israt && x.r.p == 1 && x.r.q >= 2; }

static int item_prec(const pr *p, const item *it) {
    effexp x = item_exp(it);
    if (x.one) return prec_in(p, it->base);
    if (is_root(x) && (x.r.q == 2 || p->latex)) return P_ATOM; /* sqrt(x), \sqrt[3]{x} */
    return P_POW;
}

static void print_args(pr *p, const lm_expr *e) {
    for (int i = 0; i < e->nargs; i++) {
        if (i) put(p, ", ");
        print_at(p, e->args[i], P_LOW);
    }
}

static void print_power(pr *p, const item *it) {
    effexp x = item_exp(it);
    const lm_expr *b = it->base;
    if (x.one) {
        if (it->negsum) print_add(p, b, true);
        else print_node(p, b);
        return;
    }
    if (is_root(x) && (x.r.q == 2 || p->latex)) {
        if (!p->latex) {
            put(p, "sqrt(");
            print_node(p, b);
            put(p, ")");
        } else {
            if (x.r.q == 2) put(p, "\\sqrt{");
            else lm_buf_printf(p->out, "\\sqrt[%lld]{", (long long)x.r.q);
            print_node(p, b);
            put(p, "}");
        }
        return;
    }
    if (it->negsum) { /* (1 - x)^3 */
        put(p, p->latex ? "\\left(" : "(");
        print_add(p, b, true);
        put(p, p->latex ? "\\right)" : ")");
        put(p, p->latex ? "^{" : "^");
        put_snum(p, x.r);
        if (p->latex) put(p, "}");
        return;
    }
    if (!p->latex) {
        print_at(p, b, P_ATOM);
        put(p, "^");
        if (!x.israt) {
            print_at(p, it->ex, P_ATOM);
        } else if (x.r.q == 1 && x.r.p >= 0) {
            lm_buf_printf(p->out, "%lld", (long long)x.r.p);
        } else {
            put(p, "(");
            put_snum(p, x.r);
            put(p, ")");
        }
        return;
    }
    /* LaTeX: \sin^{2}\left(x\right) for the operator-like functions */
    const lm_xfninfo *info = b->op == LM_X_CALL ? lm_sym_fn_info(b->sub) : NULL;
    if (info && info->powform && info->latex && x.israt && x.r.q == 1 && x.r.p > 1) {
        lm_buf_printf(p->out, "%s^{%lld}\\left(", info->latex, (long long)x.r.p);
        print_args(p, b);
        put(p, "\\right)");
        return;
    }
    bool paren = b->op == LM_X_CALL ? (b->sub == LM_XF_EXP && b->nargs == 1) : prec_of(b) < P_ATOM;
    if (b->op == LM_X_FLOAT && !paren) { /* 1 \cdot 10^{20} needs parentheses as a base */
        char s[40];
        fmt_float15(s, b->u.f);
        paren = strchr(s, 'e') != NULL || isinf(b->u.f);
    }
    if (paren) put(p, "\\left(");
    print_node(p, b);
    if (paren) put(p, "\\right)");
    put(p, "^{");
    if (x.israt) put_snum(p, x.r);
    else print_node(p, it->ex);
    put(p, "}");
}

static void print_item(pr *p, const item *it, int need) {
    if (item_prec(p, it) >= need) {
        print_power(p, it);
        return;
    }
    put(p, p->latex ? "\\left(" : "(");
    print_power(p, it);
    put(p, p->latex ? "\\right)" : ")");
}

/* LaTeX juxtaposes factors; a factor that starts with a digit after another
 * would read as one number (2 2^{x}), so it gets a \cdot. */
static bool latex_starts_digit(const item *it) {
    effexp x = item_exp(it);
    if (is_root(x)) return false;
    lm_snum v;
    return lm_snum_of(it->base, &v) && lm_snum_sign(v) >= 0;
}

/* A factor as the product printer sees it: base, exponent, class, and whether
 * it goes in the denominator (an exact negative exponent). */
static void item_init(item *it, const lm_expr *f) {
    lm_snum v;
    it->f = f;
    it->cls = fclass(f);
    if (f->op == LM_X_POW) {
        it->base = f->args[0];
        it->ex = f->args[1];
    } else {
        it->base = f;
        it->ex = NULL;
    }
    it->inv = it->ex && lm_snum_of(it->ex, &v) && !v.isf && v.p < 0;
    it->negsum = false;
}

/* coef * f[0] * ... * f[nf-1], written as a fraction when some exponents are
 * negative: 2*x/3, -x/2, 1/(x + 1), 3*x^2*y/(2*z). */
static void print_product(pr *p, lm_snum c, lm_expr *const *f, int nf, bool negate) {
    if (negate) c = lm_snum_neg(c);
    item *items = lm_alloc((size_t)(nf > 0 ? nf : 1) * sizeof *items);
    item **num = lm_alloc((size_t)(nf > 0 ? nf : 1) * sizeof *num);
    item **den = lm_alloc((size_t)(nf > 0 ? nf : 1) * sizeof *den);
    size_t nn = 0, nd = 0;
    for (int i = 0; i < nf; i++) {
        item *it = &items[i];
        item_init(it, f[i]);
        if (it->inv) den[nd++] = it;
        else num[nn++] = it;
    }
    lm_sym_sort((void **)num, nn, item_cmp, NULL);
    lm_sym_sort((void **)den, nd, item_cmp, NULL);

    bool neg = lm_snum_sign(c) < 0;
    lm_snum a = neg ? lm_snum_neg(c) : c;
    /* -y*(x - 1) reads better as y*(1 - x): give the minus to a sum under an odd
     * power that then starts with a plus (both spellings build the same node) */
    for (size_t i = 0; neg && i < nn + nd; i++) {
        item *it = i < nn ? num[i] : den[i - nn];
        effexp x = item_exp(it);
        if (it->base->op == LM_X_ADD && x.israt && x.r.q == 1 && (x.r.p & 1) &&
            negated_sum_leads_positive(it->base)) {
            it->negsum = true;
            neg = false;
        }
    }
    bool qden = !a.isf && a.q != 1;
    size_t ndtot = nd + (qden ? 1 : 0);
    if (neg) put(p, "-");
    if (p->latex && ndtot) put(p, "\\frac{");

    /* numerator */
    size_t k = 0;
    if (a.isf) {
        put_float(p, a.f);
        k++;
    } else if (a.p != 1 || nn == 0) {
        lm_buf_printf(p->out, "%lld", (long long)a.p);
        k++;
    }
    for (size_t i = 0; i < nn; i++) {
        if (k++) {
            if (!p->latex) put(p, p->prose ? "·" : "*");
            else put(p, latex_starts_digit(num[i]) ? " \\cdot " : " ");
        }
        int need = p->latex && ndtot && nn == 1 && k == 1 ? P_LOW : P_NEG; /* \frac{x + 1}{y}, but (x + 1)/y */
        /* a pending derivative reads bare only at the end: 2·d/dx x, (d/dx x)·y */
        if (p->prose && is_deriv(num[i]->f) && i + 1 == nn && !ndtot) need = P_ADD;
        print_item(p, num[i], need);
    }

    /* denominator */
    if (ndtot) {
        if (p->latex) {
            put(p, "}{");
        } else {
            put(p, "/");
            if (ndtot > 1) put(p, "(");
        }
        k = 0;
        if (qden) {
            lm_buf_printf(p->out, "%lld", (long long)a.q);
            k++;
        }
        for (size_t i = 0; i < nd; i++) {
            if (k++) {
                if (!p->latex) put(p, p->prose ? "·" : "*");
                else put(p, latex_starts_digit(den[i]) ? " \\cdot " : " ");
            }
            /* a lone denominator binds like a power: 1/x^2, 1/(x + 1) */
            int need = ndtot > 1 ? P_NEG : p->latex ? P_LOW : P_POW;
            print_item(p, den[i], need);
        }
        put(p, p->latex ? "}" : ndtot > 1 ? ")" : "");
    }
    lm_free(items);
    lm_free(num);
    lm_free(den);
}

/* ---- calls, relations ---- */

/* diff(u, x) and partial(u, x), as the steps of a derivation hold pending
 * derivatives: \frac{d}{dx}\left[u\right] and \frac{\partial}{\partial x}. */
static bool print_deriv_latex(pr *p, const lm_expr *e) {
    if (e->nargs != 2 || e->args[1]->op != LM_X_SYM) return false;
    bool partial = !strcmp(e->u.name, "partial");
    if (!partial && strcmp(e->u.name, "diff") != 0) return false;
    put(p, partial ? "\\frac{\\partial}{\\partial " : "\\frac{d}{d");
    latex_name(p, e->args[1]->u.name);
    put(p, "}\\left[");
    print_node(p, e->args[0]);
    put(p, "\\right]");
    return true;
}

bool lm_sym_reads_bare(const lm_expr *u) {
    if (u->op == LM_X_SYM || u->op == LM_X_CALL || u->op == LM_X_CONST) return true;
    if (u->op == LM_X_RAT) return u->u.rat.q == 1 && u->u.rat.p >= 0;
    if (u->op == LM_X_FLOAT) return u->u.f >= 0;
    if (u->op == LM_X_POW) {
        const lm_expr *b = u->args[0], *k = u->args[1];
        if (k->op == LM_X_RAT && k->u.rat.p == 1 && k->u.rat.q == 2) return true; /* sqrt(...) */
        bool simple_base = b->op == LM_X_SYM || b->op == LM_X_CALL || b->op == LM_X_CONST ||
                           (b->op == LM_X_RAT && b->u.rat.q == 1 && b->u.rat.p > 0);
        return simple_base && ((k->op == LM_X_RAT && k->u.rat.p > 0 && k->u.rat.q == 1) || k->op == LM_X_SYM);
    }
    return false;
}

/* The same in prose, as the sentences of the steps write derivatives:
 * d/dx x^3, d/dx (2·x - 3), ∂/∂y (x·y). */
static void print_deriv_prose(pr *p, const lm_expr *e) {
    const char *x = e->args[1]->u.name;
    lm_buf_printf(p->out, strcmp(e->u.name, "partial") ? "d/d%s" : "∂/∂%s", x);
    bool bare = lm_sym_reads_bare(e->args[0]);
    put(p, bare ? " " : " (");
    print_node(p, e->args[0]);
    if (!bare) put(p, ")");
}

static void print_call(pr *p, const lm_expr *e) {
    if (p->latex && e->sub == LM_XF_UNKNOWN && print_deriv_latex(p, e)) return;
    if (p->prose && is_deriv(e)) {
        print_deriv_prose(p, e);
        return;
    }
    if (!p->latex) {
        put(p, e->u.name);
        put(p, "(");
        print_args(p, e);
        put(p, ")");
        return;
    }
    const lm_xfninfo *info = lm_sym_fn_info(e->sub);
    if (info && e->nargs == 1 && e->sub == LM_XF_EXP) {
        put(p, "e^{");
        print_node(p, e->args[0]);
        put(p, "}");
        return;
    }
    if (info && e->nargs == 1 && e->sub == LM_XF_ABS) {
        put(p, "\\left|");
        print_node(p, e->args[0]);
        put(p, "\\right|");
        return;
    }
    if (info && e->nargs == 1 && e->sub == LM_XF_SQRT) {
        put(p, "\\sqrt{");
        print_node(p, e->args[0]);
        put(p, "}");
        return;
    }
    if (info && info->latex) {
        put(p, info->latex);
    } else if (strlen(e->u.name) == 1) {
        latex_escaped(p, e->u.name, 1);
    } else {
        put(p, "\\operatorname{");
        latex_escaped(p, e->u.name, strlen(e->u.name));
        put(p, "}");
    }
    put(p, "\\left(");
    print_args(p, e);
    put(p, "\\right)");
}

static void print_rel(pr *p, const lm_expr *e) {
    static const char *const text[] = {"==", "~=", "<", "<=", ">", ">="};
    static const char *const latex[] = {"=", "\\ne", "<", "\\le", ">", "\\ge"};
    int r = e->sub <= LM_XR_GE ? e->sub : LM_XR_EQ;
    print_at(p, e->args[0], P_REL + 1);
    lm_buf_printf(p->out, " %s ", p->latex ? latex[r] : text[r]);
    print_at(p, e->args[1], P_REL + 1);
}

/* [a, b; c, d] in text (commas, so that "x - 1" entries read back whole);
 * a bmatrix in LaTeX. */
static void print_matrix(pr *p, const lm_expr *e) {
    int64_t rows = e->u.rat.p, cols = e->u.rat.q;
    put(p, p->latex ? "\\begin{bmatrix}" : "[");
    for (int64_t i = 0; i < rows; i++) {
        if (i) put(p, p->latex ? " \\\\ " : "; ");
        for (int64_t j = 0; j < cols; j++) {
            if (j) put(p, p->latex ? " & " : ", ");
            print_node(p, e->args[i * cols + j]);
        }
    }
    put(p, p->latex ? "\\end{bmatrix}" : "]");
}

static void print_node(pr *p, const lm_expr *e) {
    if (over(p)) return;
    switch ((lm_xop)e->op) {
    case LM_X_RAT:
    case LM_X_FLOAT: {
        lm_snum v;
        lm_snum_of(e, &v);
        put_snum(p, v);
        break;
    }
    case LM_X_SYM:
        if (p->latex) latex_name(p, e->u.name);
        else put(p, e->u.name);
        break;
    case LM_X_CONST:
        switch (e->sub) {
        case LM_XC_PI: put(p, p->latex ? "\\pi" : "pi"); break;
        case LM_XC_E: put(p, "e"); break;
        case LM_XC_I: put(p, "i"); break;
        default: put(p, "?"); break;
        }
        break;
    case LM_X_ADD: print_add(p, e, false); break;
    case LM_X_MUL: {
        lm_snum c;
        lm_expr *const *f;
        int nf;
        lm_expr *self = (lm_expr *)e;
        lm_sym_term_split((const lm_expr *const *)&self, &c, &f, &nf);
        print_product(p, c, f, nf, false);
        break;
    }
    case LM_X_POW: {
        lm_expr *self = (lm_expr *)e;
        print_product(p, lm_snum_int(1), &self, 1, false);
        break;
    }
    case LM_X_CALL: print_call(p, e); break;
    case LM_X_REL: print_rel(p, e); break;
    case LM_X_MATRIX: print_matrix(p, e); break;
    }
}

static void print_root(const lm_expr *e, lm_buf *out, int digits, bool latex, bool prose) {
    if (!e || !out) return;
    pr p = {out, out->len, digits > 0 ? digits : 0, latex, prose, false};
    print_node(&p, e);
    if (p.cut) put(&p, latex ? "\\dots" : "...");
}

void lm_sym_print_text(const lm_expr *e, lm_buf *out) { print_root(e, out, 0, false, false); }

void lm_sym_print_text_digits(const lm_expr *e, lm_buf *out, int digits) { print_root(e, out, digits, false, false); }

void lm_sym_print_latex(const lm_expr *e, lm_buf *out) { print_root(e, out, 0, true, false); }

void lm_sym_print_prose(const lm_expr *e, lm_buf *out) { print_root(e, out, 0, false, true); }

void lm_sym_display_order(const lm_expr *e, int *perm) {
    int n = e->nargs;
    for (int i = 0; i < n; i++) perm[i] = i;
    if (e->op == LM_X_ADD) {
        addview v;
        addview_init(&v, e, false);
        for (int k = 0; k < n; k++) perm[k] = (int)(v.tp[k] - v.ts);
        addview_free(&v);
    } else if (e->op == LM_X_MUL) {
        /* the coefficient, then the numerator's factors, then the denominator's */
        int start = lm_sym_isnum(e->args[0]) ? 1 : 0, nf = n - start;
        if (nf < 1) return;
        item *items = lm_alloc((size_t)nf * sizeof *items);
        item **num = lm_alloc((size_t)nf * sizeof *num), **den = lm_alloc((size_t)nf * sizeof *den);
        size_t nn = 0, nd = 0;
        for (int i = 0; i < nf; i++) {
            item_init(&items[i], e->args[start + i]);
            if (items[i].inv) den[nd++] = &items[i];
            else num[nn++] = &items[i];
        }
        lm_sym_sort((void **)num, nn, item_cmp, NULL);
        lm_sym_sort((void **)den, nd, item_cmp, NULL);
        int k = start;
        for (size_t i = 0; i < nn; i++) perm[k++] = start + (int)(num[i] - items);
        for (size_t i = 0; i < nd; i++) perm[k++] = start + (int)(den[i] - items);
        lm_free(items);
        lm_free(num);
        lm_free(den);
    }
}
