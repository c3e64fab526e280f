/* Hash-consing of symbolic nodes: the context's intern table, node creation and
 * destruction, and the leaf constructors. The table holds nodes weakly; a node's
 * free unlinks it, so the table never keeps garbage alive and equal structures
 * are always one pointer. The canonicalizing constructors are in arith.c. */
#include "sym_int.h"

#include <math.h>
#include <string.h>

struct lm_symtab {
    lm_expr **buckets; /* chains through lm_expr.next */
    size_t nbuckets;   /* a power of two */
    size_t count;      /* live nodes */
};

#define SYMTAB_INITIAL 256

static struct lm_symtab *symtab_get(lm_ctx *ctx) {
    if (!ctx->symtab) {
        struct lm_symtab *t = lm_calloc(1, sizeof *t);
        t->nbuckets = SYMTAB_INITIAL;
        t->buckets = lm_calloc(t->nbuckets, sizeof *t->buckets);
        ctx->symtab = t;
    }
    return ctx->symtab;
}

void lm_symtab_free(struct lm_symtab *tab) {
    if (!tab) return;
    /* Nodes still referenced elsewhere outlive the context: detach them so that
     * their eventual free does not touch this table. */
    for (size_t i = 0; i < tab->nbuckets; i++) {
        lm_expr *n = tab->buckets[i];
        while (n) {
            lm_expr *next = n->next;
            n->tab = NULL;
            n->next = NULL;
            n = next;
        }
    }
    lm_free(tab->buckets);
    lm_free(tab);
}

size_t lm_symtab_count(const lm_ctx *ctx) { return ctx && ctx->symtab ? ctx->symtab->count : 0; }

static void symtab_grow(struct lm_symtab *t) {
    size_t nb = t->nbuckets * 2;
    lm_expr **b = lm_calloc(nb, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++) {
        lm_expr *n = t->buckets[i];
        while (n) {
            lm_expr *next = n->next;
            size_t j = (size_t)(n->hash & (nb - 1));
            n->next = b[j];
            b[j] = n;
            n = next;
        }
    }
    lm_free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

static void symtab_unlink(struct lm_symtab *t, lm_expr *e) {
    lm_expr **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
    while (*pp && *pp != e) pp = &(*pp)->next;
    if (*pp) {
        *pp = e->next;
        t->count--;
    }
}

/* ---- hashing: node identity is (op, sub, payload, operand pointers) ---- */

static uint64_t mix64(uint64_t x) { /* splitmix64's finalizer */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t hstep(uint64_t h, uint64_t v) { return mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6))); }

static uint64_t hash_str(uint64_t h, const char *s) {
    uint64_t f = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *s; s++) f = (f ^ (unsigned char)*s) * 0x100000001b3ULL;
    return hstep(h, f);
}

static uint64_t key_hash(const lm_xkey *k) {
    uint64_t h = hstep(((uint64_t)k->op << 8) | (uint64_t)(k->sub & 0xff), (uint64_t)k->nargs);
    switch (k->op) {
    case LM_X_RAT:
    case LM_X_MATRIX: /* rows and cols */
        h = hstep(hstep(h, (uint64_t)k->p), (uint64_t)k->q);
        break;
    case LM_X_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &k->f, sizeof bits);
        h = hstep(h, bits);
        break;
    }
    case LM_X_SYM:
    case LM_X_CALL:
        h = hash_str(h, k->name);
        break;
    default:
        break;
    }
    for (int i = 0; i < k->nargs; i++) h = hstep(h, (uint64_t)(uintptr_t)k->args[i]);
    return h;
}

static bool key_eq(const lm_expr *n, const lm_xkey *k) {
    if (n->op != k->op || n->sub != (uint8_t)k->sub || n->nargs != k->nargs) return false;
    switch (k->op) {
    case LM_X_RAT:
    case LM_X_MATRIX:
        if (n->u.rat.p != k->p || n->u.rat.q != k->q) return false;
        break;
    case LM_X_FLOAT: /* bitwise: the one NaN equals itself */
        if (memcmp(&n->u.f, &k->f, sizeof k->f) != 0) return false;
        break;
    case LM_X_SYM:
    case LM_X_CALL:
        if (strcmp(n->u.name, k->name) != 0) return false;
        break;
    default:
        break;
    }
    for (int i = 0; i < k->nargs; i++)
        if (n->args[i] != k->args[i]) return false;
    return true;
}

/* ---- node lifetime ---- */

static void expr_free(lm_obj *o) {
    lm_expr *e = (lm_expr *)o;
    if (e->tab) symtab_unlink(e->tab, e);
    /* Recursion here is bounded by the node depth (LM_MAX_EXPR_DEPTH). */
    for (int i = 0; i < e->nargs; i++) lm_expr_release(e->args[i]);
    if (e->op == LM_X_SYM || e->op == LM_X_CALL) lm_free((char *)e->u.name);
    lm_free(e);
}

static void expr_text(const lm_obj *o, lm_buf *out, int digits) {
    lm_sym_print_text_digits((const lm_expr *)o, out, digits);
}

static const lm_objtype expr_type = {"expr", expr_free, expr_text, NULL};

lm_expr *lm_sym_intern(lm_ctx *ctx, const lm_xkey *k, lm_err *err) {
    if (k->nargs > LM_SYM_MAX_ARGS) {
        lm_err_set(err, LM_ERR_LIMIT, "expression has more than %d terms or factors in one sum, product or call",
                   LM_SYM_MAX_ARGS);
        return NULL;
    }
    struct lm_symtab *t = symtab_get(ctx);
    uint64_t h = key_hash(k);
    size_t b = (size_t)(h & (t->nbuckets - 1));
    for (lm_expr *n = t->buckets[b]; n; n = n->next)
        if (n->hash == h && key_eq(n, k)) return lm_expr_retain(n);

    uint32_t depth = 1;
    for (int i = 0; i < k->nargs; i++)
        if (k->args[i]->depth + 1 > depth) depth = k->args[i]->depth + 1;
    if (depth > LM_MAX_EXPR_DEPTH) {
        lm_err_set(err, LM_ERR_LIMIT, "expression nested deeper than %d levels", LM_MAX_EXPR_DEPTH);
        return NULL;
    }

    lm_expr *n = lm_alloc(sizeof *n + (size_t)k->nargs * sizeof n->args[0]);
    memset(n, 0, sizeof *n);
    lm_obj_init(&n->hdr, LM_EXPR, &expr_type);
    n->op = (uint8_t)k->op;
    n->sub = (uint8_t)k->sub;
    n->nargs = (uint16_t)k->nargs;
    n->depth = depth;
    n->hash = h;
    n->tab = t;
    switch (k->op) {
    case LM_X_RAT:
    case LM_X_MATRIX:
        n->u.rat.p = k->p;
        n->u.rat.q = k->q;
        break;
    case LM_X_FLOAT:
        n->u.f = k->f;
        break;
    case LM_X_SYM:
    case LM_X_CALL:
        n->u.name = lm_strdup(k->name);
        break;
    default:
        break;
    }
    for (int i = 0; i < k->nargs; i++) n->args[i] = lm_expr_retain(k->args[i]);
    n->next = t->buckets[b];
    t->buckets[b] = n;
    if (++t->count > t->nbuckets) symtab_grow(t);
    return n;
}

lm_expr *lm_sym_raw(lm_ctx *ctx, lm_xop op, int nargs, lm_expr *const *args, lm_err *err) {
    lm_xkey k = {op, 0, nargs, args, 0, 1, 0.0, NULL};
    return lm_sym_intern(ctx, &k, err);
}

/* ---- leaves ---- */

lm_expr *lm_sym_snum(lm_ctx *ctx, lm_snum a) {
    lm_xkey k = {LM_X_RAT, 0, 0, NULL, a.p, a.q, 0.0, NULL};
    if (a.isf) {
        k.op = LM_X_FLOAT;
        k.p = 0;
        k.q = 1;
        k.f = a.f;
    }
    return lm_sym_intern(ctx, &k, NULL); /* a leaf cannot hit a limit */
}

lm_expr *lm_sym_rat(lm_ctx *ctx, int64_t p, int64_t q) { return lm_sym_snum(ctx, lm_snum_rat(p, q)); }

lm_expr *lm_sym_int(lm_ctx *ctx, int64_t n) { return lm_sym_snum(ctx, lm_snum_int(n)); }

lm_expr *lm_sym_float(lm_ctx *ctx, double x) { return lm_sym_snum(ctx, lm_snum_float(x)); }

lm_expr *lm_sym_number(lm_ctx *ctx, double x) {
    /* 2^53: every integer up to here is exactly a double and an int64 */
    if (isfinite(x) && x == floor(x) && fabs(x) <= 9007199254740992.0) return lm_sym_int(ctx, (int64_t)x);
    return lm_sym_float(ctx, x);
}

lm_expr *lm_sym_symbol(lm_ctx *ctx, const char *name) {
    lm_xkey k = {LM_X_SYM, 0, 0, NULL, 0, 1, 0.0, name ? name : ""};
    return lm_sym_intern(ctx, &k, NULL);
}

lm_expr *lm_sym_const(lm_ctx *ctx, lm_xconst c) {
    lm_xkey k = {LM_X_CONST, (int)c, 0, NULL, 0, 1, 0.0, NULL};
    return lm_sym_intern(ctx, &k, NULL);
}

bool lm_sym_check_operand(const lm_expr *e, lm_err *err) {
    if (!e) {
        /* A failed inner constructor already said why; keep its message. */
        lm_err_set(err, LM_ERR_INTERNAL, "symbolic operation on a missing operand");
        return false;
    }
    if (e->op == LM_X_REL) {
        lm_err_set(err, LM_ERR_TYPE, "an equation or inequality cannot be used in arithmetic");
        return false;
    }
    if (e->op == LM_X_MATRIX) {
        lm_err_set(err, LM_ERR_TYPE,
                   "arithmetic on a matrix of expressions is not defined here: give the unknowns values with subs first");
        return false;
    }
    return true;
}

lm_expr *lm_sym_matrix(lm_ctx *ctx, int64_t rows, int64_t cols, lm_expr *const *elems, lm_err *err) {
    if (rows < 0 || cols < 0 || rows * cols > LM_SYM_MAX_ARGS) {
        lm_err_set(err, LM_ERR_LIMIT, "a matrix of expressions may have at most %d entries", LM_SYM_MAX_ARGS);
        return NULL;
    }
    for (int64_t i = 0; i < rows * cols; i++) {
        if (!elems[i] || elems[i]->op == LM_X_MATRIX) {
            lm_err_set(err, LM_ERR_TYPE, "the entries of a matrix of expressions must be expressions, not matrices");
            return NULL;
        }
    }
    lm_xkey k = {LM_X_MATRIX, 0, (int)(rows * cols), elems, rows, cols, 0.0, NULL};
    return lm_sym_intern(ctx, &k, err);
}
