/* The evaluator: walks the syntax tree of a parsed program. Values are
 * refcounted and errors are values (LM_ERROR) that travel up to the statement
 * that caused them; a top-level statement's error is emitted and the program
 * goes on with the next statement (DESIGN.md, "Statements"). Limits on steps,
 * recursion and time are checked here. */
#include "lang/lang_int.h"
#include "lemma/opt.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef enum flow { FLOW_NORMAL, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN, FLOW_ERROR } flow;

/* What `end` means inside A(...): the size of the dimension being indexed. */
typedef struct end_ctx {
    lm_value v;
    int pos, count;
    struct end_ctx *prev;
} end_ctx;

typedef struct frame {
    lm_scope *locals;  /* NULL: the global workspace */
    bool sees_globals; /* one-line functions look up free names in the workspace */
    lm_func *fn;       /* the function running, or NULL at top level */
} frame;

typedef struct ev {
    lm_session *s;
    lm_program *prog; /* the program whose nodes are being run (spans refer to it) */
    frame *f;
    end_ctx *end;
    lm_value err;     /* the error of a FLOW_ERROR */
} ev;

static lm_value eval_expr(ev *E, node *n);
static flow exec_block(ev *E, node *b);
static lm_value call_user(ev *E, lm_func *fn, int nargs, lm_value *args, int nout, lm_value *extra, node *site);

static lm_value fail_at(node *n, lm_value err) {
    lm_error_set_span(err, n->start, n->end);
    return err;
}

static lm_value errorf_at(node *n, lm_errkind kind, const char *fmt, ...) LM_PRINTF(3, 4);
static lm_value errorf_at(node *n, lm_errkind kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lm_value e = lm_error_newv(kind, fmt, ap);
    va_end(ap);
    return fail_at(n, e);
}

/* ---- scopes: open addressing on names ---- */

static uint64_t hash_name(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void lm_scope_init(lm_scope *s) { memset(s, 0, sizeof *s); }

void lm_scope_free(lm_scope *s) {
    for (size_t i = 0; i < s->cap; i++) {
        if (s->v[i].name) {
            lm_free(s->v[i].name);
            lm_release(s->v[i].value);
        }
    }
    lm_free(s->v);
    memset(s, 0, sizeof *s);
}

static var_entry *scope_slot(lm_scope *s, const char *name) {
    if (!s->cap) return NULL;
    size_t mask = s->cap - 1, i = hash_name(name) & mask;
    for (;;) {
        var_entry *e = &s->v[i];
        if (!e->name && e->value.kind == LM_NIL) return e; /* never used: end of chain */
        if (e->name && strcmp(e->name, name) == 0) return e;
        i = (i + 1) & mask;
    }
}

lm_value *lm_scope_lookup(lm_scope *s, const char *name) {
    var_entry *e = scope_slot(s, name);
    return e && e->name ? &e->value : NULL;
}

static void scope_grow(lm_scope *s) {
    lm_scope old = *s;
    s->cap = old.cap ? old.cap * 2 : 16;
    s->v = lm_calloc(s->cap, sizeof *s->v);
    s->n = s->live = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.v[i].name) {
            var_entry *e = scope_slot(s, old.v[i].name);
            *e = old.v[i];
            s->n++;
            s->live++;
        }
    }
    lm_free(old.v);
}

void lm_scope_set(lm_scope *s, const char *name, lm_value v) {
    if ((s->n + 1) * 4 > s->cap * 3) scope_grow(s);
    var_entry *e = scope_slot(s, name);
    if (e->name) {
        lm_value old = e->value;
        e->value = v;
        lm_release(old);
        return;
    }
    bool fresh = e->value.kind == LM_NIL; /* not a tombstone */
    e->name = lm_strdup(name);
    e->value = v;
    if (fresh) s->n++;
    s->live++;
}

bool lm_scope_remove(lm_scope *s, const char *name) {
    var_entry *e = scope_slot(s, name);
    if (!e || !e->name) return false;
    lm_free(e->name);
    lm_release(e->value);
    e->name = NULL;
    e->value = lm_bool(false); /* tombstone: keeps probe chains intact */
    s->live--;
    return true;
}

/* ---- name lookup ---- */

static lm_scope *cur_scope(ev *E) { return E->f->locals ? E->f->locals : &E->s->globals; }

static lm_value *lookup_var(ev *E, const char *name) {
    lm_value *v = lm_scope_lookup(cur_scope(E), name);
    if (v) return v;
    if (E->f->locals && E->f->sees_globals) return lm_scope_lookup(&E->s->globals, name);
    return NULL;
}

/* A user function visible from here: functions live in the workspace. */
static lm_func *lookup_func(ev *E, const char *name) {
    lm_value *v = lookup_var(E, name);
    if (!v && E->f->locals) v = lm_scope_lookup(&E->s->globals, name);
    if (v && v->kind == LM_FUNC) return (lm_func *)v->u.obj;
    return NULL;
}

static bool constant_value(const char *name, lm_value *out) {
    /* called for every assignment and unbound name: reject most names at once */
    if (!strchr("peijItfnIN", name[0]) || strlen(name) > 5) return false;
    if (!strcmp(name, "pi")) {
        *out = lm_num(3.14159265358979323846);
        out->flags = LM_VF_PI;
    } else if (!strcmp(name, "e")) {
        *out = lm_num(2.71828182845904523536);
        out->flags = LM_VF_E;
    } else if (!strcmp(name, "i") || !strcmp(name, "j") || !strcmp(name, "I")) {
        *out = lm_complex_new(0, 1);
    } else if (!strcmp(name, "inf") || !strcmp(name, "Inf")) {
        *out = lm_num(INFINITY);
    } else if (!strcmp(name, "nan") || !strcmp(name, "NaN")) {
        *out = lm_num(NAN);
    } else if (!strcmp(name, "true")) {
        *out = lm_bool(true);
    } else if (!strcmp(name, "false")) {
        *out = lm_bool(false);
    } else if (!strcmp(name, "eps")) {
        *out = lm_num(2.220446049250313e-16);
    } else {
        return false;
    }
    return true;
}

static bool is_constant_name(const char *name) {
    lm_value v;
    if (!constant_value(name, &v)) return false;
    lm_release(v);
    return true;
}

/* ---- emitting ---- */

static void emit(lm_session *s, lm_outkind kind, const char *name, lm_value v, const char *text, size_t textlen) {
    if (kind == LM_OUT_VALUE && v.kind == LM_TENSOR && lm_tensor_of(v)->size > LM_MAX_PRINT_ELEMS) {
        /* printing twenty million numbers helps nobody and takes minutes */
        char sh[64];
        lm_tensor_shape_str(lm_tensor_of(v), sh);
        lm_value err = lm_error_new(LM_ERR_LIMIT,
                                    "%s%s%s is %s (%lld elements), too many to print (at most %d): end the statement "
                                    "with ; or look at a part, as in %s(1:10)",
                                    name ? "" : "the result", name ? name : "", name ? "" : "", sh,
                                    (long long)lm_tensor_of(v)->size, LM_MAX_PRINT_ELEMS, name ? name : "v");
        emit(s, LM_OUT_ERROR, NULL, err, NULL, 0);
        lm_release(err);
        s->print_failures++;
        return;
    }
    if (!s->emit) {
        lm_ctx_clear_warnings(s->ctx);
        return;
    }
    lm_output o = {0};
    o.kind = kind;
    o.name = name;
    o.value = v;
    o.text = text;
    o.textlen = textlen;
    o.warnings = s->ctx->warnings;
    o.nwarnings = s->ctx->nwarnings;
    o.src = s->prog ? s->prog->src : NULL;
    o.src_name = s->prog ? s->prog->src_name : NULL;
    o.stmt_end = s->stmt_end;
    if (kind == LM_OUT_ERROR && lm_is_error(v) && s->prog) {
        lm_error *e = lm_error_obj(v);
        if (e->has_span) lm_src_locate(s->prog->src, s->prog->len, e->start, &e->line, &e->col);
    }
    s->emit(s->emit_ud, &o);
    lm_ctx_clear_warnings(s->ctx);
}

void lm_emit_text(lm_session *s, const char *text, size_t n) {
    s->out_bytes += n;
    emit(s, LM_OUT_TEXT, NULL, lm_nil(), text, n);
}

/* ---- indexing ---- */

/* One index argument resolved to 0-based positions. */
typedef struct idxlist {
    bool all;        /* ':' */
    int64_t n;
    int64_t *pos;    /* owned */
    int64_t max;     /* largest position + 1 */
    int64_t rows, cols; /* shape of the index value, for A(idx) result shapes */
    bool logical;
} idxlist;

static void idx_free(idxlist *ix) { lm_free(ix->pos); }

static lm_value to_idx(node *site, lm_value v, int64_t extent, idxlist *ix) {
    memset(ix, 0, sizeof *ix);
    ix->rows = ix->cols = 1;
    double d;
    if (lm_as_double(v, &d) && v.kind != LM_TENSOR) {
        if (v.kind == LM_BOOL) {
            ix->logical = true;
            ix->pos = lm_alloc(sizeof *ix->pos);
            ix->n = d != 0 ? 1 : 0;
            ix->rows = ix->cols = ix->n;
            ix->pos[0] = 0;
            ix->max = ix->n;
            return lm_nil();
        }
        if (d != floor(d) || !isfinite(d))
            return errorf_at(site, LM_ERR_DOMAIN, "index %g is not a whole number: indices are 1, 2, 3, ...", d);
        if (d < 1)
            return errorf_at(site, LM_ERR_DOMAIN, "index %g is out of range: indices start at 1", d);
        if (d > 9e15) return errorf_at(site, LM_ERR_LIMIT, "index %g is too large", d);
        ix->pos = lm_alloc(sizeof *ix->pos);
        ix->pos[0] = (int64_t)d - 1;
        ix->n = 1;
        ix->max = (int64_t)d;
        return lm_nil();
    }
    if (v.kind != LM_TENSOR)
        return errorf_at(site, LM_ERR_TYPE, "an index must be a number, a vector of numbers or ':', not %s",
                         lm_kind_a(v.kind));
    lm_tensor *t = lm_tensor_of(v);
    if (t->imag) return errorf_at(site, LM_ERR_TYPE, "an index cannot be a complex number");
    ix->rows = lm_tensor_rows(t);
    ix->cols = t->size / (ix->rows ? ix->rows : 1);
    if (t->ndim >= 2) ix->cols = t->shape[1];
    double *vals = lm_alloc((size_t)(t->size ? t->size : 1) * sizeof *vals);
    /* column-major order, as Octave reads index vectors */
    int64_t r = lm_tensor_rows(t), c = t->ndim >= 2 ? t->shape[1] : 1;
    int64_t k = 0;
    if (t->ndim <= 2) {
        for (int64_t j = 0; j < c; j++)
            for (int64_t i = 0; i < r; i++) vals[k++] = t->ndim == 2 ? lm_tensor_get2(t, i, j) : t->data[i * t->stride[0]];
    } else {
        lm_tensor_gather(t, vals);
        k = t->size;
    }
    ix->pos = lm_alloc((size_t)(k ? k : 1) * sizeof *ix->pos);
    if (t->logical) {
        ix->logical = true;
        if (extent >= 0 && k > extent) {
            for (int64_t q = extent; q < k; q++) {
                if (vals[q] != 0) {
                    lm_free(vals);
                    lm_free(ix->pos);
                    ix->pos = NULL;
                    return errorf_at(site, LM_ERR_SHAPE,
                                     "the true/false mask has %lld elements but the value has only %lld",
                                     (long long)k, (long long)extent);
                }
            }
        }
        for (int64_t q = 0; q < k; q++)
            if (vals[q] != 0) ix->pos[ix->n++] = q;
    } else {
        for (int64_t q = 0; q < k; q++) {
            double d2 = vals[q];
            if (d2 != floor(d2) || !isfinite(d2) || d2 < 1 || d2 > 9e15) {
                lm_free(vals);
                lm_free(ix->pos);
                ix->pos = NULL;
                if (d2 != floor(d2) || !isfinite(d2))
                    return errorf_at(site, LM_ERR_DOMAIN, "index %g is not a whole number: indices are 1, 2, 3, ...", d2);
                return errorf_at(site, LM_ERR_DOMAIN, "index %g is out of range: indices start at 1", d2);
            }
            ix->pos[ix->n++] = (int64_t)d2 - 1;
        }
    }
    for (int64_t q = 0; q < ix->n; q++)
        if (ix->pos[q] + 1 > ix->max) ix->max = ix->pos[q] + 1;
    lm_free(vals);
    return lm_nil();
}

/* The element of a 2-D (or n-d) tensor at column-major linear position k. */
static int64_t colmajor_offset(const lm_tensor *t, int64_t k) {
    int64_t off = 0;
    for (int d = 0; d < t->ndim; d++) {
        int64_t sz = t->shape[d];
        int64_t i = sz ? k % sz : 0;
        k = sz ? k / sz : 0;
        off += i * t->stride[d];
    }
    return off;
}

static void dims_str(const lm_tensor *t, char out[64]) { lm_tensor_shape_str(t, out); }

static const char *ordinal_dim(int d) {
    static const char *const names[] = {"row", "column", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};
    return d < 8 ? names[d] : "high";
}

static lm_value index_read(ev *E, node *site, const char *vname, lm_value base, int nidx, idxlist *ix) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(base, "an indexed value", &err);
    if (!t) return fail_at(site, lm_error_from(&err));
    char shp[64];
    dims_str(t, shp);
    lm_tensor *out = NULL;
    if (nidx == 1) {
        idxlist *x = &ix[0];
        int64_t n = x->all ? t->size : x->n;
        if (!x->all && x->max > t->size) {
            int64_t bad = 0;
            for (int64_t q = 0; q < x->n; q++)
                if (x->pos[q] >= t->size) { bad = x->pos[q] + 1; break; }
            int64_t size = t->size;
            lm_tensor_release(t);
            return errorf_at(site, LM_ERR_DOMAIN, "index %lld is out of range: %s is %s and has %lld element%s",
                             (long long)bad, vname, shp, (long long)size, size == 1 ? "" : "s");
        }
        int64_t r, c;
        bool is_row = t->ndim == 2 && t->shape[0] == 1;
        bool is_col = t->ndim == 2 && t->shape[1] == 1 && t->shape[0] != 1;
        if (x->all) {
            r = n;
            c = 1;
        } else if (x->logical || x->rows == 1 || x->cols == 1) {
            if (is_row || (!is_col && !x->logical && x->rows == 1)) {
                r = 1;
                c = n;
            } else {
                r = n;
                c = 1;
            }
        } else {
            r = x->rows;
            c = x->cols;
        }
        out = t->imag ? lm_tensor_new_complex(2, (int64_t[]){r, c}, &err) : lm_tensor_matrix(r, c, &err);
        if (!out) {
            lm_tensor_release(t);
            return fail_at(site, lm_error_from(&err));
        }
        /* out is fresh row-major; fill in column-major order of its own shape */
        for (int64_t q = 0; q < n; q++) {
            int64_t src = colmajor_offset(t, x->all ? q : x->pos[q]);
            int64_t oi = r ? q % r : 0, oj = r ? q / r : 0;
            out->data[oi * c + oj] = t->data[src];
            if (t->imag) out->imag[oi * c + oj] = t->imag[src];
        }
    } else {
        if (nidx < t->ndim && nidx != 1) {
            /* A(i, j) on a 3-D tensor: treat trailing dims as folded, as Octave does
               only partially; keep it simple and say so */
            int nd = t->ndim;
            lm_tensor_release(t);
            return errorf_at(site, LM_ERR_SHAPE, "%s is %s: index it with %d subscripts (or one linear index)", vname,
                             shp, nd);
        }
        int64_t oshape[LM_MAX_DIMS];
        int ond = nidx;
        if (ond > LM_MAX_DIMS) {
            lm_tensor_release(t);
            return errorf_at(site, LM_ERR_LIMIT, "too many subscripts (at most %d)", LM_MAX_DIMS);
        }
        for (int d = 0; d < nidx; d++) {
            int64_t extent = d < t->ndim ? t->shape[d] : 1;
            if (!ix[d].all && ix[d].max > extent) {
                int64_t bad = 0;
                for (int64_t q = 0; q < ix[d].n; q++)
                    if (ix[d].pos[q] >= extent) { bad = ix[d].pos[q] + 1; break; }
                lm_tensor_release(t);
                return errorf_at(site, LM_ERR_DOMAIN, "%s index %lld is out of range: %s is %s", ordinal_dim(d),
                                 (long long)bad, vname, shp);
            }
            oshape[d] = ix[d].all ? extent : ix[d].n;
        }
        out = t->imag ? lm_tensor_new_complex(ond, oshape, &err) : lm_tensor_new(ond, oshape, &err);
        if (!out) {
            lm_tensor_release(t);
            return fail_at(site, lm_error_from(&err));
        }
        int64_t cnt[LM_MAX_DIMS] = {0};
        for (int64_t q = 0; q < out->size; q++) {
            int64_t off = 0;
            for (int d = 0; d < nidx; d++) {
                int64_t i = ix[d].all ? cnt[d] : ix[d].pos[cnt[d]];
                if (d < t->ndim) off += i * t->stride[d];
            }
            out->data[q] = t->data[off];
            if (t->imag) out->imag[q] = t->imag[off];
            for (int d = nidx - 1; d >= 0; d--) {
                if (++cnt[d] < oshape[d]) break;
                cnt[d] = 0;
            }
        }
    }
    out->logical = t->logical;
    lm_tensor_release(t);
    (void)E;
    return lm_narrow(lm_tensor_value(out));
}

/* v(idx...) = rhs, growing v as Octave does. Takes cur (the old value, may be nil). */
static lm_value index_assign(node *site, const char *vname, lm_value cur, int nidx, idxlist *ix, lm_value rhs) {
    lm_err err = LM_ERR_INIT;
    lm_tensor *r = lm_as_tensor(rhs, "the assigned value", &err);
    if (!r) {
        lm_release(cur);
        return fail_at(site, lm_error_from(&err));
    }
    lm_tensor *t;
    if (lm_is_nil(cur)) {
        t = lm_tensor_matrix(0, 0, &err);
    } else {
        t = lm_as_tensor(cur, vname, &err);
        lm_release(cur);
    }
    if (!t) {
        lm_tensor_release(r);
        return fail_at(site, lm_error_from(&err));
    }
    if (t->ndim > 2 || nidx > 2) {
        lm_tensor_release(t);
        lm_tensor_release(r);
        return errorf_at(site, LM_ERR_SHAPE, "assigning into tensors with more than two dimensions by index is not supported; build them with cat or reshape");
    }
    int64_t rows = t->shape[0], cols = t->shape[1];
    int64_t nr, nc, count;
    if (nidx == 1) {
        count = ix[0].all ? t->size : ix[0].n;
        int64_t need = ix[0].all ? t->size : ix[0].max;
        nr = rows;
        nc = cols;
        if (need > t->size) {
            if (rows == 0 && cols == 0) { nr = 1; nc = need; }
            else if (rows == 1) nc = need;
            else if (cols == 1) nr = need;
            else {
                char shp[64];
                dims_str(t, shp);
                lm_tensor_release(t);
                lm_tensor_release(r);
                return errorf_at(site, LM_ERR_DOMAIN,
                                 "index %lld is out of range for %s, which is %s; a matrix grows only by row and column "
                                 "subscripts, as in A(3, 1) = x",
                                 (long long)need, vname, shp);
            }
        }
    } else {
        int64_t n0 = ix[0].all ? rows : ix[0].n, n1 = ix[1].all ? cols : ix[1].n;
        count = n0 * n1;
        nr = ix[0].all ? rows : (ix[0].max > rows ? ix[0].max : rows);
        nc = ix[1].all ? cols : (ix[1].max > cols ? ix[1].max : cols);
        if (ix[0].all && rows == 0 && nr == 0) nr = r->ndim == 2 && r->size > 1 ? r->shape[0] : 1;
        if (ix[1].all && cols == 0 && nc == 0) nc = r->ndim == 2 && r->size > 1 ? r->shape[1] : 1;
        n0 = ix[0].all ? nr : ix[0].n;
        n1 = ix[1].all ? nc : ix[1].n;
        count = n0 * n1;
    }
    if (r->size != 1 && r->size != count) {
        char rs[64];
        dims_str(r, rs);
        lm_tensor_release(t);
        lm_tensor_release(r);
        return errorf_at(site, LM_ERR_SHAPE, "cannot put %s values into %lld place%s of %s", rs, (long long)count,
                         count == 1 ? "" : "s", vname);
    }
    bool complex = t->imag || r->imag;
    /* Reuse the buffer when we hold the only reference and nothing moves. */
    lm_tensor *d;
    if (nr == rows && nc == cols && t->hdr.refcnt == 1 && !t->base && lm_tensor_is_contiguous(t) && (!complex || t->imag)) {
        d = t;
        lm_free(d->exact); /* the exact values would go stale */
        d->exact = NULL;
    } else {
        d = complex ? lm_tensor_new_complex(2, (int64_t[]){nr, nc}, &err) : lm_tensor_matrix(nr, nc, &err);
        if (!d) {
            lm_tensor_release(t);
            lm_tensor_release(r);
            return fail_at(site, lm_error_from(&err));
        }
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j++) {
                d->data[i * nc + j] = lm_tensor_get2(t, i, j);
                if (t->imag) d->imag[i * nc + j] = lm_tensor_imag2(t, i, j);
            }
        d->logical = t->logical;
        lm_tensor_release(t);
    }
    double *rv = lm_alloc((size_t)(r->size ? r->size : 1) * sizeof *rv);
    double *ri = r->imag ? lm_alloc((size_t)(r->size ? r->size : 1) * sizeof *ri) : NULL;
    /* the right side is read in column-major order too */
    for (int64_t q = 0; q < r->size; q++) {
        int64_t off = colmajor_offset(r, q);
        rv[q] = r->data[off];
        if (ri) ri[q] = r->imag[off];
    }
    if (nidx == 1) {
        for (int64_t q = 0; q < count; q++) {
            int64_t k = ix[0].all ? q : ix[0].pos[q];
            int64_t off = colmajor_offset(d, k);
            d->data[off] = rv[r->size == 1 ? 0 : q];
            if (d->imag) d->imag[off] = ri ? ri[r->size == 1 ? 0 : q] : 0;
        }
    } else {
        int64_t n0 = ix[0].all ? nr : ix[0].n, n1 = ix[1].all ? nc : ix[1].n;
        for (int64_t jj = 0; jj < n1; jj++)
            for (int64_t ii = 0; ii < n0; ii++) {
                int64_t i = ix[0].all ? ii : ix[0].pos[ii], j = ix[1].all ? jj : ix[1].pos[jj];
                int64_t q = jj * n0 + ii;
                d->data[i * d->stride[0] + j * d->stride[1]] = rv[r->size == 1 ? 0 : q];
                if (d->imag) d->imag[i * d->stride[0] + j * d->stride[1]] = ri ? ri[r->size == 1 ? 0 : q] : 0;
            }
    }
    if (!r->logical) d->logical = false;
    lm_free(rv);
    lm_free(ri);
    lm_tensor_release(r);
    return lm_tensor_value(d);
}

/* ---- calls ---- */

typedef struct argvals {
    int n, nnamed;
    lm_value *v;
    const char **names;
    lm_value *named;
    bool *is_colon;
} argvals;

static void args_free(argvals *a) {
    for (int i = 0; i < a->n; i++) lm_release(a->v[i]);
    for (int i = 0; i < a->nnamed; i++) lm_release(a->named[i]);
    lm_free(a->v);
    lm_free(a->names);
    lm_free(a->named);
    lm_free(a->is_colon);
}

/* Evaluates the arguments of call node n. With `indexing`, `end` and `:` are
 * allowed and refer to `base`. */
static lm_value eval_args(ev *E, node *n, bool indexing, lm_value base, argvals *a) {
    int total = (int)n->nkids - 1;
    a->v = lm_calloc((size_t)(total ? total : 1), sizeof *a->v);
    a->names = lm_calloc((size_t)(total ? total : 1), sizeof *a->names);
    a->named = lm_calloc((size_t)(total ? total : 1), sizeof *a->named);
    a->is_colon = lm_calloc((size_t)(total ? total : 1), sizeof *a->is_colon);
    a->n = a->nnamed = 0;
    int positional = 0;
    for (int i = 0; i < total; i++)
        if (!n->argnames[i + 1]) positional++;
    for (int i = 0; i < total; i++) {
        node *k = n->kids[i + 1];
        if (n->argnames[i + 1]) {
            if (indexing) return errorf_at(k, LM_ERR_TYPE, "'%s = ...' inside an index: named arguments are for function calls", n->argnames[i + 1]);
            for (int q = 0; q < a->nnamed; q++)
                if (!strcmp(a->names[q], n->argnames[i + 1]))
                    return errorf_at(k, LM_ERR_TYPE, "the argument '%s' is given twice", n->argnames[i + 1]);
            lm_value v = eval_expr(E, k);
            if (lm_is_error(v)) return v;
            a->names[a->nnamed] = n->argnames[i + 1];
            a->named[a->nnamed++] = v;
            continue;
        }
        if (k->type == N_COLON) {
            if (!indexing) return errorf_at(k, LM_ERR_TYPE, "':' alone can only be used inside an index, as in A(:, 1)");
            a->is_colon[a->n] = true;
            a->v[a->n++] = lm_nil();
            continue;
        }
        end_ctx ec = {base, a->n, positional, E->end};
        end_ctx *saved = E->end;
        E->end = indexing ? &ec : NULL;
        lm_value v = eval_expr(E, k);
        E->end = saved;
        if (lm_is_error(v)) return v;
        a->v[a->n++] = v;
    }
    return lm_nil();
}

static lm_value do_index(ev *E, node *n, lm_value base, const char *vname) {
    if (lm_is_opt_trace(base)) { /* a trace is indexed as the table it prints: path(:, 4), path(end, :) */
        lm_err terr = LM_ERR_INIT;
        lm_tensor *tt = lm_opt_trace_table((const lm_opt_trace *)base.u.obj, &terr);
        if (!tt) return fail_at(n, lm_error_from(&terr));
        lm_value table = lm_tensor_value(tt);
        lm_value r = do_index(E, n, table, vname);
        lm_release(table);
        return r;
    }
    argvals a = {0};
    lm_value r = eval_args(E, n, true, base, &a);
    if (lm_is_error(r)) {
        args_free(&a);
        return r;
    }
    if (a.n == 0) {
        args_free(&a);
        return lm_retain(base);
    }
    if (base.kind == LM_STRING || base.kind == LM_EXPR || base.kind >= LM_DIST) {
        args_free(&a);
        if (base.kind == LM_EXPR)
            return errorf_at(n, LM_ERR_TYPE,
                             "%s is an expression, not a function: to define one write %s(x) = ..., or use subs", vname, vname);
        return errorf_at(n, LM_ERR_TYPE, "%s is %s and cannot be indexed", vname, lm_kind_a(base.kind));
    }
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_as_tensor(base, vname, &err);
    if (!t) {
        args_free(&a);
        return fail_at(n, lm_error_from(&err));
    }
    idxlist ix[LM_MAX_DIMS];
    int nidx = a.n;
    if (nidx > LM_MAX_DIMS) {
        lm_tensor_release(t);
        args_free(&a);
        return errorf_at(n, LM_ERR_LIMIT, "too many subscripts (at most %d)", LM_MAX_DIMS);
    }
    int got = 0;
    lm_value res = lm_nil();
    for (int d = 0; d < nidx; d++) {
        if (a.is_colon[d]) {
            memset(&ix[d], 0, sizeof ix[d]);
            ix[d].all = true;
        } else {
            int64_t extent = nidx == 1 ? t->size : (d < t->ndim ? t->shape[d] : 1);
            res = to_idx(n->kids[d + 1], a.v[d], extent, &ix[d]);
            if (lm_is_error(res)) break;
        }
        got++;
    }
    lm_tensor_release(t);
    if (!lm_is_error(res)) res = index_read(E, n, vname, base, nidx, ix);
    for (int d = 0; d < got; d++) idx_free(&ix[d]);
    args_free(&a);
    return res;
}

static lm_value call_builtin(ev *E, const lm_builtin *b, node *n, argvals *a, int nout, lm_value *extra) {
    if (a->n < b->min_args || (b->max_args >= 0 && a->n > b->max_args)) {
        if (b->min_args == b->max_args)
            return errorf_at(n, LM_ERR_TYPE, "%s takes %d argument%s but was given %d: %s", b->name, b->min_args,
                             b->min_args == 1 ? "" : "s", a->n, b->signature);
        if (a->n < b->min_args)
            return errorf_at(n, LM_ERR_TYPE, "%s needs at least %d argument%s but was given %d: %s", b->name,
                             b->min_args, b->min_args == 1 ? "" : "s", a->n, b->signature);
        return errorf_at(n, LM_ERR_TYPE, "%s takes at most %d argument%s but was given %d: %s", b->name, b->max_args,
                         b->max_args == 1 ? "" : "s", a->n, b->signature);
    }
    if (nout > b->max_out)
        return errorf_at(n, LM_ERR_TYPE, "%s gives %d result%s, but %d were asked for", b->name, b->max_out,
                         b->max_out == 1 ? "" : "s", nout);
    if (a->nnamed > 64) return errorf_at(n, LM_ERR_LIMIT, "too many named arguments");
    /* one statement can hold any number of calls, each possibly long (a LAPACK
       call cannot be stopped once it runs): the time limit is checked before
       each, not only between statements */
    lm_err perr = LM_ERR_INIT;
    if (lm_ctx_poll_now(E->s->ctx, &perr) != LM_OK) return fail_at(n, lm_error_from(&perr));
    lm_call c = {0};
    c.s = E->s;
    c.ctx = E->s->ctx;
    c.nargs = a->n;
    c.args = a->v;
    c.nnamed = a->nnamed;
    c.names = a->names;
    c.named = a->named;
    c.nout = nout;
    c.extra = extra;
    c.fname = b->name;
    lm_value r = b->fn(&c);
    if (lm_is_error(r)) {
        for (int k = 1; k < nout; k++) {
            lm_release(extra[k]);
            extra[k] = lm_nil();
        }
        return fail_at(n, r);
    }
    for (int q = 0; q < a->nnamed; q++) {
        if (!(c.named_used & (1ULL << q))) {
            lm_release(r);
            for (int k = 1; k < nout; k++) {
                lm_release(extra[k]);
                extra[k] = lm_nil();
            }
            return errorf_at(n, LM_ERR_NAME, "%s has no option named '%s': %s", b->name, a->names[q], b->signature);
        }
    }
    return r;
}

/* steps(CALL): a special form that runs CALL in explaining mode. */
static lm_value eval_steps(ev *E, node *n) {
    node *inner = n->nkids == 2 && !n->argnames[1] ? n->kids[1] : NULL;
    char *list = lm_explainer_list();
    lm_value r;
    /* steps(A * B) and steps(A \ b): the operators are explained by the
       functions they stand for, mtimes and mldivide, as Octave names them */
    if (inner && inner->type == N_BINOP && (inner->op == T_STAR || inner->op == T_BSLASH)) {
        const char *opname = inner->op == T_STAR ? "mtimes" : "mldivide";
        const lm_explainer *x = lm_explainer_find(opname);
        if (!x) {
            r = errorf_at(inner, LM_ERR_NAME, "steps cannot explain %s; it can explain %s", opname,
                          *list ? list : "nothing yet");
            lm_free(list);
            return r;
        }
        lm_free(list);
        lm_value a = eval_expr(E, inner->kids[0]);
        if (lm_is_error(a)) return a;
        lm_value b = eval_expr(E, inner->kids[1]);
        if (lm_is_error(b)) {
            lm_release(a);
            return b;
        }
        argvals av = {0};
        av.n = 2;
        av.v = lm_alloc(2 * sizeof *av.v);
        av.v[0] = a;
        av.v[1] = b;
        lm_builtin bi = {x->name, x->fn, 2, 2, 1, opname, "", ""};
        r = call_builtin(E, &bi, inner, &av, 1, NULL);
        args_free(&av);
        return r;
    }
    if (!inner || inner->type != N_CALL || inner->kids[0]->type != N_NAME) {
        r = errorf_at(n, LM_ERR_TYPE, "steps explains one function call, as in steps(det([2 1; 1 3])); it can explain %s",
                      *list ? list : "nothing yet");
        lm_free(list);
        return r;
    }
    const char *fname = inner->kids[0]->str;
    const lm_explainer *x = lm_explainer_find(fname);
    if (!x) {
        r = errorf_at(inner->kids[0], LM_ERR_NAME, "steps cannot explain %s; it can explain %s", fname,
                      *list ? list : "nothing yet");
        lm_free(list);
        return r;
    }
    lm_free(list);
    argvals a = {0};
    r = eval_args(E, inner, false, lm_nil(), &a);
    if (!lm_is_error(r)) {
        lm_builtin b = {x->name, x->fn, x->min_args, x->max_args, 1, x->name, "", ""};
        const lm_builtin *bf = lm_builtin_find(x->name);
        if (bf) b.signature = bf->signature;
        r = call_builtin(E, &b, inner, &a, 1, NULL);
    }
    args_free(&a);
    return r;
}

/* name(args): a variable (index it, or call the function it holds), a builtin,
 * or an unknown name. */
static lm_value eval_call(ev *E, node *n, int nout, lm_value *extra) {
    node *callee = n->kids[0];
    if (callee->type != N_NAME) {
        lm_value base = eval_expr(E, callee);
        if (lm_is_error(base)) return base;
        lm_value r = base.kind == LM_FUNC ? lm_nil() : do_index(E, n, base, "the value");
        if (base.kind == LM_FUNC) {
            argvals a = {0};
            lm_value e = eval_args(E, n, false, lm_nil(), &a);
            r = lm_is_error(e) ? e : call_user(E, (lm_func *)base.u.obj, a.n, a.v, nout, extra, n);
            args_free(&a);
        }
        lm_release(base);
        return r;
    }
    const char *name = callee->str;
    lm_value *var = lookup_var(E, name);
    if (!var && !strcmp(name, "steps") && !lookup_func(E, name)) return eval_steps(E, n);
    lm_func *fn = NULL;
    if (var && var->kind == LM_FUNC) fn = (lm_func *)var->u.obj;
    else if (!var) fn = lookup_func(E, name);
    if (var && !fn) {
        if (nout > 1) return errorf_at(n, LM_ERR_TYPE, "%s is a variable, so it gives one result, not %d", name, nout);
        lm_value base = lm_retain(*var);
        lm_value r = do_index(E, n, base, name);
        lm_release(base);
        return r;
    }
    if (fn) {
        lm_obj_retain(&fn->hdr); /* the call may redefine or clear it */
        argvals a = {0};
        lm_value r = eval_args(E, n, false, lm_nil(), &a);
        if (!lm_is_error(r)) {
            if (a.nnamed) r = errorf_at(n->kids[1], LM_ERR_TYPE, "%s is your own function and takes no named arguments", name);
            else r = call_user(E, fn, a.n, a.v, nout, extra, n);
        }
        args_free(&a);
        lm_obj_release(&fn->hdr);
        return r;
    }
    const lm_builtin *b = lm_builtin_find(name);
    if (!b) {
        lm_value c;
        if (constant_value(name, &c)) {
            lm_value r = do_index(E, n, c, name);
            lm_release(c);
            return r;
        }
        const char *hint = lm_name_hint(name);
        if (hint) return errorf_at(callee, LM_ERR_NAME, "unknown function '%s': %s", name, hint);
        const char *sug = lm_suggest_name(E->s, name);
        if (sug)
            return errorf_at(callee, LM_ERR_NAME, "unknown function '%s': did you mean '%s'?", name, sug);
        return errorf_at(callee, LM_ERR_NAME, "unknown function '%s' (type help to see what exists, or define it, as in %s(t) = t^2)",
                         name, name);
    }
    argvals a = {0};
    lm_value r = eval_args(E, n, false, lm_nil(), &a);
    if (!lm_is_error(r)) r = call_builtin(E, b, n, &a, nout, extra);
    args_free(&a);
    return r;
}

/* ---- user functions ---- */

static void func_free(lm_obj *o) {
    lm_func *f = (lm_func *)o;
    lm_program_release(f->prog);
    lm_free((void *)f->params);
    lm_free(f->name);
    lm_free(f);
}

static void func_text(const lm_obj *o, lm_buf *out, int digits) {
    (void)digits;
    const lm_func *f = (const lm_func *)o;
    if (f->oneline) {
        lm_buf_printf(out, "%s(", f->name);
        for (uint32_t i = 0; i < f->nparams; i++) lm_buf_printf(out, "%s%s", i ? ", " : "", f->params[i]);
        lm_buf_printf(out, ") = %.*s", (int)(f->text_end - f->text_start), f->prog->src + f->text_start);
    } else {
        lm_buf_puts(out, "function ");
        if (f->nouts == 1) lm_buf_printf(out, "%s = ", f->outs[0]);
        else if (f->nouts > 1) {
            lm_buf_putc(out, '[');
            for (uint32_t i = 0; i < f->nouts; i++) lm_buf_printf(out, "%s%s", i ? ", " : "", f->outs[i]);
            lm_buf_puts(out, "] = ");
        }
        lm_buf_printf(out, "%s(", f->name);
        for (uint32_t i = 0; i < f->nparams; i++) lm_buf_printf(out, "%s%s", i ? ", " : "", f->params[i]);
        lm_buf_putc(out, ')');
    }
}

static const lm_objtype func_type = {"function", func_free, func_text, NULL};

static lm_func *func_new(lm_program *prog, const char *name, bool oneline) {
    lm_func *f = lm_calloc(1, sizeof *f);
    lm_obj_init(&f->hdr, LM_FUNC, &func_type);
    f->name = lm_strdup(name);
    f->oneline = oneline;
    f->prog = prog;
    lm_obj_retain(&prog->hdr);
    return f;
}

/* An error leaving a function defined in another program: its span means nothing
 * here, so the message says where it happened and the caret goes to the call. */
static lm_value relocate_error(lm_value err, lm_func *fn, lm_program *here, node *site) {
    lm_error *e = lm_error_obj(err);
    if (fn->prog != here && e->has_span) {
        int line, col;
        lm_src_locate(fn->prog->src, fn->prog->len, e->start, &line, &col);
        lm_buf b = LM_BUF_INIT;
        lm_buf_printf(&b, "in %s (line %d of its definition): %s", fn->name, line, e->msg);
        lm_free(e->msg);
        e->msg = lm_buf_steal(&b);
        e->has_span = false;
    }
    return fail_at(site, err);
}

static lm_value call_user_once(ev *E, lm_func *fn, int nargs, lm_value *args, int nout, lm_value *extra, node *site) {
    if (nargs > (int)fn->nparams)
        return errorf_at(site, LM_ERR_TYPE, "%s takes %u argument%s but was given %d", fn->name, fn->nparams,
                         fn->nparams == 1 ? "" : "s", nargs);
    if (fn->oneline && nout > 1)
        return errorf_at(site, LM_ERR_TYPE, "%s gives one result, but %d were asked for", fn->name, nout);
    if (!fn->oneline && nout > (int)(fn->nouts ? fn->nouts : 1))
        return errorf_at(site, LM_ERR_TYPE, "%s gives %u result%s, but %d were asked for", fn->name, fn->nouts,
                         fn->nouts == 1 ? "" : "s", nout);
    if (E->s->call_depth >= LM_MAX_CALL_DEPTH)
        return errorf_at(site, LM_ERR_LIMIT, "too many nested function calls (more than %d): is %s calling itself forever?",
                         LM_MAX_CALL_DEPTH, fn->name);
    lm_scope locals;
    lm_scope_init(&locals);
    for (int i = 0; i < nargs; i++) lm_scope_set(&locals, fn->params[i], lm_retain(args[i]));
    frame fr = {&locals, fn->oneline, fn};
    frame *saved_f = E->f;
    lm_program *saved_p = E->prog;
    end_ctx *saved_end = E->end;
    E->f = &fr;
    E->prog = fn->prog;
    E->end = NULL;
    E->s->call_depth++;
    lm_value result;
    if (fn->oneline) {
        result = eval_expr(E, fn->body);
    } else {
        flow fl = exec_block(E, fn->body);
        if (fl == FLOW_ERROR) {
            result = E->err;
            E->err = lm_nil();
        } else if (fn->nouts == 0) {
            result = lm_nil();
        } else {
            result = lm_nil();
            for (int k = 0; k < nout && k < (int)fn->nouts; k++) {
                lm_value *v = lm_scope_lookup(&locals, fn->outs[k]);
                if (!v) {
                    lm_release(result);
                    for (int q = 1; q < k; q++) {
                        lm_release(extra[q]);
                        extra[q] = lm_nil();
                    }
                    result = lm_error_new(LM_ERR_NAME, "%s did not set its result '%s' before returning", fn->name,
                                          fn->outs[k]);
                    break;
                }
                if (k == 0) result = lm_retain(*v);
                else extra[k] = lm_retain(*v);
            }
        }
    }
    E->s->call_depth--;
    E->f = saved_f;
    E->prog = saved_p;
    E->end = saved_end;
    lm_scope_free(&locals);
    if (lm_is_error(result)) return relocate_error(result, fn, E->prog, site);
    return result;
}

/* One-line functions map over vectors elementwise (DESIGN.md: f(x) = x^2 applied
 * to [1 2 3] gives [1 4 9]) when their body treats each parameter as a number;
 * see one_line_maps. */
static lm_value call_user(ev *E, lm_func *fn, int nargs, lm_value *args, int nout, lm_value *extra, node *site) {
    int vec = -1;
    if (fn->oneline && fn->maps) {
        for (int i = 0; i < nargs; i++) {
            if (args[i].kind == LM_TENSOR && lm_tensor_of(args[i])->size != 1) {
                if (vec >= 0) {
                    lm_tensor *a = lm_tensor_of(args[vec]), *b = lm_tensor_of(args[i]);
                    bool same = a->ndim == b->ndim;
                    for (int d = 0; same && d < a->ndim; d++) same = a->shape[d] == b->shape[d];
                    if (!same) {
                        char sa[64], sb[64];
                        lm_tensor_shape_str(a, sa);
                        lm_tensor_shape_str(b, sb);
                        return errorf_at(site, LM_ERR_SHAPE, "%s is applied elementwise, but its arguments are %s and %s",
                                         fn->name, sa, sb);
                    }
                } else {
                    vec = i;
                }
            }
        }
    }
    if (vec < 0) return call_user_once(E, fn, nargs, args, nout, extra, site);
    lm_tensor *shape = lm_tensor_of(args[vec]);
    lm_err err = LM_ERR_INIT;
    lm_tensor *out = lm_tensor_new(shape->ndim, shape->shape, &err);
    if (!out) return fail_at(site, lm_error_from(&err));
    lm_value *one = lm_alloc((size_t)nargs * sizeof *one);
    lm_value res = lm_nil();
    for (int64_t k = 0; k < out->size; k++) {
        for (int i = 0; i < nargs; i++) {
            if (args[i].kind == LM_TENSOR && lm_tensor_of(args[i])->size != 1) {
                lm_tensor *t = lm_tensor_of(args[i]);
                int64_t off = lm_tensor_offset(t, k);
                one[i] = t->imag ? lm_complex_or_real(t->data[off], t->imag[off]) : lm_num(t->data[off]);
            } else {
                one[i] = lm_retain(args[i]);
            }
        }
        lm_value r = call_user_once(E, fn, nargs, one, 1, extra, site);
        for (int i = 0; i < nargs; i++) lm_release(one[i]);
        double d;
        if (lm_is_error(r)) {
            res = r;
            break;
        }
        if (!lm_as_double(r, &d) || r.kind == LM_TENSOR) {
            lm_release(r);
            res = errorf_at(site, LM_ERR_TYPE, "%s applied elementwise must give one real number per element", fn->name);
            break;
        }
        lm_release(r);
        out->data[k] = d;
    }
    lm_free(one);
    if (lm_is_error(res)) {
        lm_tensor_release(out);
        return res;
    }
    return lm_narrow(lm_tensor_value(out));
}


/* ---- exact numbers next to symbols ----
 * Plain arithmetic is IEEE double, so `3/5` alone is 0.6. But in `3/5*x` or
 * `sqrt(2)*x` the numeric part meets a symbol, and there it should stay exact,
 * as the symbolic printer writes it (that is what makes printed expressions read
 * back as the same node). When a number meets an expression, the number's
 * syntax tree is rebuilt exactly if it is pure: literals, constants, variables,
 * arithmetic and the elementary functions; anything else keeps its double. */

static const char *const pure_functions[] = {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
                                             "exp", "log", "sqrt", "abs", "sigmoid", "softplus", "relu", NULL};

/* A decimal literal as written ("0.1", "2.5e-3") as an exact rational. */
static lm_expr *exact_literal(ev *E, node *n) {
    const char *s = E->prog->src + n->start;
    size_t len = n->end - n->start;
    if (n->type == N_IMAG) len--; /* the i or j suffix */
    int64_t mant = 0;
    int scale = 0, ex = 0;
    bool frac = false, overflow = false;
    size_t i = 0;
    for (; i < len && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')); i++) {
        if (s[i] == '.') {
            frac = true;
            continue;
        }
        if (mant > (INT64_MAX - 9) / 10) {
            overflow = true;
            break;
        }
        mant = mant * 10 + (s[i] - '0');
        if (frac) scale++;
    }
    if (!overflow && i < len && (s[i] == 'e' || s[i] == 'E')) ex = atoi(s + i + 1);
    int p10 = ex - scale;
    if (overflow || p10 > 18 || p10 < -18) return lm_sym_number(E->s->ctx, n->num);
    int64_t pow10 = 1;
    for (int k = 0; k < (p10 < 0 ? -p10 : p10); k++) pow10 *= 10;
    if (p10 >= 0) {
        if (mant > INT64_MAX / pow10) return lm_sym_number(E->s->ctx, n->num);
        return lm_sym_int(E->s->ctx, mant * pow10);
    }
    return lm_sym_rat(E->s->ctx, mant, pow10);
}

static lm_expr *exact_subtree(ev *E, node *n, int depth) {
    lm_ctx *ctx = E->s->ctx;
    lm_err err = LM_ERR_INIT;
    lm_expr *r = NULL;
    if (depth > 64) return NULL;
    switch ((node_type)n->type) {
    case N_NUM:
        return exact_literal(E, n);
    case N_IMAG: {
        lm_expr *m = exact_literal(E, n), *iu = lm_sym_const(ctx, LM_XC_I);
        r = lm_sym_mul(ctx, m, iu, &err);
        lm_expr_release(m);
        lm_expr_release(iu);
        break;
    }
    case N_NAME: {
        lm_value *v = lookup_var(E, n->str);
        if (v) return v->kind == LM_NUM || v->kind == LM_BOOL || v->kind == LM_EXPR ? lm_as_expr(ctx, *v, &err) : NULL;
        if (!strcmp(n->str, "pi")) return lm_sym_const(ctx, LM_XC_PI);
        if (!strcmp(n->str, "e")) return lm_sym_const(ctx, LM_XC_E);
        if (!strcmp(n->str, "i") || !strcmp(n->str, "j") || !strcmp(n->str, "I")) return lm_sym_const(ctx, LM_XC_I);
        return NULL; /* other names are not numbers here */
    }
    case N_UNOP:
        if (n->op != T_MINUS && n->op != T_PLUS) return NULL;
        r = exact_subtree(E, n->kids[0], depth + 1);
        if (r && n->op == T_MINUS) {
            lm_expr *neg = lm_sym_neg(ctx, r, &err);
            lm_expr_release(r);
            r = neg;
        }
        break;
    case N_BINOP: {
        lm_expr *a = exact_subtree(E, n->kids[0], depth + 1);
        lm_expr *b = a ? exact_subtree(E, n->kids[1], depth + 1) : NULL;
        if (a && b) {
            switch (n->op) {
            case T_PLUS: r = lm_sym_add(ctx, a, b, &err); break;
            case T_MINUS: r = lm_sym_sub(ctx, a, b, &err); break;
            case T_STAR:
            case T_DOTSTAR: r = lm_sym_mul(ctx, a, b, &err); break;
            case T_SLASH:
            case T_DOTSLASH: r = lm_sym_div(ctx, a, b, &err); break;
            case T_CARET:
            case T_DOTCARET: r = lm_sym_pow(ctx, a, b, &err); break;
            default: break;
            }
        }
        lm_expr_release(a);
        lm_expr_release(b);
        break;
    }
    case N_CALL: {
        node *callee = n->kids[0];
        if (callee->type != N_NAME || n->nkids != 2 || n->argnames[1] || lookup_var(E, callee->str) ||
            lookup_func(E, callee->str))
            return NULL;
        bool pure = false;
        for (int k = 0; pure_functions[k] && !pure; k++) pure = !strcmp(pure_functions[k], callee->str);
        if (!pure) return NULL;
        lm_expr *a = exact_subtree(E, n->kids[1], depth + 1);
        if (a) r = lm_sym_call(ctx, callee->str, 1, &a, &err);
        lm_expr_release(a);
        break;
    }
    default:
        return NULL;
    }
    lm_err_clear(&err);
    return r;
}

/* The operand value to combine with an expression: the exact form of its tree
 * when there is one (+1), else the value itself (retained). */
static lm_value exact_operand(ev *E, node *n, lm_value v, lm_value other) {
    bool numeric = v.kind == LM_NUM || v.kind == LM_COMPLEX;
    if (!numeric || other.kind != LM_EXPR) return lm_retain(v);
    lm_expr *x = exact_subtree(E, n, 0);
    return x ? lm_expr_value(x) : lm_retain(v);
}

/* ---- expressions ---- */

/* [x 1; 2 y]: a matrix whose entries are expressions (a gradient, a Jacobian).
 * Numbers in it stay exact as they were written. */
static lm_value matrix_of_exprs(ev *E, node *n, lm_value *vals) {
    uint32_t rows = n->nkids, cols = n->kids[0]->nkids;
    for (uint32_t r = 1; r < rows; r++)
        if (n->kids[r]->nkids != cols)
            return errorf_at(n->kids[r], LM_ERR_SHAPE,
                             "the rows of this matrix have different lengths: row 1 has %u element%s, row %u has %u", cols,
                             cols == 1 ? "" : "s", r + 1, n->kids[r]->nkids);
    lm_expr **el = lm_calloc((size_t)rows * cols, sizeof *el);
    lm_value res = lm_nil();
    lm_err err = LM_ERR_INIT;
    uint32_t k = 0;
    for (uint32_t r = 0; r < rows && lm_is_nil(res); r++)
        for (uint32_t c = 0; c < cols && lm_is_nil(res); c++, k++) {
            lm_value v = vals[k];
            node *en = n->kids[r]->kids[c];
            if (v.kind == LM_EXPR && lm_expr_of(v)->op == LM_X_MATRIX) {
                res = errorf_at(en, LM_ERR_TYPE, "a matrix of expressions holds single entries, not blocks");
            } else if (v.kind == LM_NUM || v.kind == LM_COMPLEX) {
                el[k] = exact_subtree(E, en, 0);
                if (!el[k]) el[k] = lm_as_expr(E->s->ctx, v, &err);
            } else {
                el[k] = lm_as_expr(E->s->ctx, v, &err);
            }
            if (lm_is_nil(res) && !el[k]) res = fail_at(en, lm_error_from(&err));
        }
    if (lm_is_nil(res)) {
        lm_expr *m = lm_sym_matrix(E->s->ctx, rows, cols, el, &err);
        res = m ? lm_expr_value(m) : fail_at(n, lm_error_from(&err));
    }
    for (uint32_t q = 0; q < rows * cols; q++) lm_expr_release(el[q]);
    lm_free(el);
    return res;
}

static lm_value eval_matrix(ev *E, node *n) {
    lm_err err = LM_ERR_INIT;
    uint32_t nrows = n->nkids;
    if (nrows == 0) return lm_tensor_value(lm_tensor_matrix(0, 0, &err));
    /* fast path: every element a real scalar literal or value */
    uint32_t total = 0;
    for (uint32_t r = 0; r < nrows; r++) total += n->kids[r]->nkids;
    lm_value *vals = lm_alloc(total * sizeof *vals);
    uint32_t k = 0;
    bool all_scalar = true, any_string = false, all_string = true, any_expr = false;
    lm_value res = lm_nil();
    for (uint32_t r = 0; r < nrows; r++) {
        for (uint32_t c = 0; c < n->kids[r]->nkids; c++) {
            lm_value v = eval_expr(E, n->kids[r]->kids[c]);
            if (lm_is_error(v)) {
                res = v;
                goto out;
            }
            vals[k++] = v;
            if (v.kind != LM_NUM && v.kind != LM_BOOL) all_scalar = false;
            if (v.kind == LM_STRING) any_string = true;
            else all_string = false;
            if (v.kind == LM_EXPR) any_expr = true;
            if (v.kind == LM_FUNC || v.kind >= LM_DIST) {
                res = errorf_at(n->kids[r]->kids[c], LM_ERR_TYPE, "%s cannot be an element of a matrix",
                                lm_kind_a(v.kind));
                goto out;
            }
        }
    }
    if (any_expr) {
        res = matrix_of_exprs(E, n, vals);
        goto out;
    }
    if (any_string) {
        if (!all_string || nrows != 1) {
            res = errorf_at(n, LM_ERR_TYPE, "strings can only be joined with other strings in one row, as in [\"a\" \"b\"]");
            goto out;
        }
        lm_buf b = LM_BUF_INIT;
        for (uint32_t q = 0; q < k; q++) lm_buf_put(&b, lm_string_data(vals[q]), lm_string_len(vals[q]));
        res = lm_string_new(lm_buf_cstr(&b), b.len);
        lm_buf_free(&b);
        goto out;
    }
    if (all_scalar) {
        uint32_t cols = n->kids[0]->nkids;
        for (uint32_t r = 1; r < nrows; r++) {
            if (n->kids[r]->nkids != cols) {
                res = errorf_at(n->kids[r], LM_ERR_SHAPE,
                                "the rows of this matrix have different lengths: row 1 has %u element%s, row %u has %u",
                                cols, cols == 1 ? "" : "s", r + 1, n->kids[r]->nkids);
                goto out;
            }
        }
        lm_tensor *t = lm_tensor_matrix(nrows, cols, &err);
        if (!t) {
            res = fail_at(n, lm_error_from(&err));
            goto out;
        }
        for (uint32_t q = 0; q < k; q++) t->data[q] = vals[q].kind == LM_BOOL ? (double)vals[q].u.b : vals[q].u.num;
        res = lm_narrow(lm_tensor_value(t));
        goto out;
    }
    /* general path: concatenate blocks horizontally, then the rows vertically */
    {
        lm_tensor **rowt = lm_calloc(nrows, sizeof *rowt);
        uint32_t q = 0, nr = 0;
        for (uint32_t r = 0; r < nrows; r++) {
            uint32_t cnt = n->kids[r]->nkids;
            lm_tensor **parts = lm_calloc(cnt, sizeof *parts);
            uint32_t np = 0;
            for (uint32_t c = 0; c < cnt; c++, q++) {
                lm_tensor *t = lm_as_tensor(vals[q], "a matrix element", &err);
                if (!t) break;
                if (t->size == 0) { /* [] elements vanish, as in Octave */
                    lm_tensor_release(t);
                    continue;
                }
                parts[np++] = t;
            }
            lm_tensor *row = NULL;
            if (err.kind == LM_OK && np > 0) {
                row = np == 1 ? (lm_obj_retain(&parts[0]->hdr), parts[0]) : lm_tensor_cat(1, (int)np, parts, &err);
            }
            for (uint32_t z = 0; z < np; z++) lm_tensor_release(parts[z]);
            lm_free(parts);
            if (err.kind != LM_OK) {
                res = fail_at(n->kids[r], lm_error_from(&err));
                break;
            }
            if (row) rowt[nr++] = row;
        }
        if (lm_is_nil(res)) {
            lm_tensor *all = NULL;
            if (nr == 0) all = lm_tensor_matrix(0, 0, &err);
            else if (nr == 1) {
                all = rowt[0];
                lm_obj_retain(&all->hdr);
            } else {
                all = lm_tensor_cat(0, (int)nr, rowt, &err);
            }
            res = all ? lm_narrow(lm_tensor_value(all)) : fail_at(n, lm_error_from(&err));
        }
        for (uint32_t z = 0; z < nr; z++) lm_tensor_release(rowt[z]);
        lm_free(rowt);
    }
out:
    for (uint32_t q = 0; q < k; q++) lm_release(vals[q]);
    lm_free(vals);
    return res;
}

static lm_value eval_range(ev *E, node *n) {
    double v[3] = {0, 0, 0};
    for (uint32_t i = 0; i < n->nkids; i++) {
        lm_value x = eval_expr(E, n->kids[i]);
        if (lm_is_error(x)) return x;
        bool ok = lm_as_double(x, &v[i]) && x.kind != LM_TENSOR;
        if (!ok && x.kind == LM_TENSOR && lm_tensor_of(x)->size >= 1) {
            /* Octave takes the first element of a vector bound */
            lm_tensor *t = lm_tensor_of(x);
            v[i] = t->data[0];
            ok = !t->imag;
        }
        lm_kind kind = (lm_kind)x.kind;
        lm_release(x);
        if (!ok)
            return errorf_at(n->kids[i], LM_ERR_TYPE, "a range a:b needs real numbers, but this is %s", lm_kind_a(kind));
    }
    double start = v[0], step = n->nkids == 3 ? v[1] : 1, stop = n->nkids == 3 ? v[2] : v[1];
    lm_err err = LM_ERR_INIT;
    lm_tensor *t = lm_tensor_range(start, step, stop, &err);
    if (!t) return fail_at(n, lm_error_from(&err));
    return lm_narrow(lm_tensor_value(t));
}

static lm_value eval_cmp(ev *E, node *n) {
    lm_value left = eval_expr(E, n->kids[0]);
    if (lm_is_error(left)) return left;
    lm_value acc = lm_nil();
    for (uint32_t i = 1; i < n->nkids; i++) {
        lm_value right = eval_expr(E, n->kids[i]);
        if (lm_is_error(right)) {
            lm_release(left);
            lm_release(acc);
            return right;
        }
        lm_value c = lm_op_binary(E->s, n->ops[i - 1], left, right);
        lm_release(left);
        left = right;
        if (lm_is_error(c)) {
            lm_release(left);
            lm_release(acc);
            return fail_at(n, c);
        }
        if (lm_is_nil(acc)) {
            acc = c;
        } else {
            if (c.kind == LM_EXPR || acc.kind == LM_EXPR) {
                lm_release(c);
                lm_release(acc);
                lm_release(left);
                return errorf_at(n, LM_ERR_TYPE, "a chained comparison with unknowns (like 0 < x < 1) cannot be decided: "
                                                 "give x a value first");
            }
            lm_value both = lm_op_binary(E->s, T_AND, acc, c);
            lm_release(acc);
            lm_release(c);
            if (lm_is_error(both)) {
                lm_release(left);
                return fail_at(n, both);
            }
            acc = both;
        }
    }
    lm_release(left);
    return acc;
}

static lm_value eval_name(ev *E, node *n) {
    lm_value *v = lookup_var(E, n->str);
    if (v) return lm_retain(*v);
    if (E->f->locals) {
        lm_func *fn = lookup_func(E, n->str);
        if (fn) {
            lm_obj_retain(&fn->hdr);
            return lm_obj_value(&fn->hdr);
        }
    }
    lm_value c;
    if (constant_value(n->str, &c)) return c;
    const lm_builtin *b = lm_builtin_find(n->str);
    if (b) {
        if (b->min_args == 0) {
            argvals a = {0};
            a.v = lm_calloc(1, sizeof *a.v);
            a.names = lm_calloc(1, sizeof *a.names);
            a.named = lm_calloc(1, sizeof *a.named);
            a.is_colon = lm_calloc(1, sizeof *a.is_colon);
            lm_value r = call_builtin(E, b, n, &a, 1, NULL);
            args_free(&a);
            return r;
        }
        return errorf_at(n, LM_ERR_TYPE, "%s is a function: call it with arguments, as in %s", n->str, b->signature);
    }
    /* an unbound name is a symbol */
    return lm_expr_value(lm_sym_symbol(E->s->ctx, n->str));
}

static lm_value eval_expr_inner(ev *E, node *n);

/* Every nested evaluation, across user-function calls, counts against one
 * budget so that no program can exhaust the C stack. */
static lm_value eval_expr(ev *E, node *n) {
    if (E->s->eval_depth >= LM_MAX_EVAL_DEPTH)
        return errorf_at(n, LM_ERR_LIMIT, "the computation is nested too deeply (more than %d levels of calls and "
                                          "operations); is a function calling itself forever?",
                         LM_MAX_EVAL_DEPTH);
    E->s->eval_depth++;
    lm_value v = eval_expr_inner(E, n);
    E->s->eval_depth--;
    return v;
}

static lm_value eval_expr_inner(ev *E, node *n) {
    switch ((node_type)n->type) {
    case N_NUM:
        return lm_num(n->num);
    case N_IMAG:
        return lm_complex_new(0, n->num);
    case N_STR:
        return lm_string_new(n->str, (size_t)n->num);
    case N_NAME:
        return eval_name(E, n);
    case N_END: {
        if (!E->end) return errorf_at(n, LM_ERR_TYPE, "'end' can only be used inside an index, as in v(end)");
        lm_value b = E->end->v;
        int64_t sz;
        if (b.kind == LM_TENSOR) {
            lm_tensor *t = lm_tensor_of(b);
            if (E->end->count == 1) sz = t->size;
            else if (E->end->pos < t->ndim) {
                sz = t->shape[E->end->pos];
                /* the last subscript spans all trailing dimensions */
                if (E->end->pos == E->end->count - 1)
                    for (int d = E->end->pos + 1; d < t->ndim; d++) sz *= t->shape[d];
            } else sz = 1;
        } else if (lm_is_nil(b)) {
            sz = 0;
        } else {
            sz = 1;
        }
        return lm_num((double)sz);
    }
    case N_COLON:
        return errorf_at(n, LM_ERR_TYPE, "':' alone can only be used inside an index, as in A(:, 1)");
    case N_BINOP: {
        /* Walk the left spine of a chain like 1+2+...+n in a loop, not by
           recursion, so long sums cost no stack (the parser counts depth the same way). */
        node *small[32], **spine = small;
        size_t ns = 0, cap = 32;
        node *cur = n;
        while (cur->type == N_BINOP) {
            if (ns == cap) {
                node **bigger = lm_alloc(2 * cap * sizeof *bigger);
                memcpy(bigger, spine, ns * sizeof *spine);
                if (spine != small) lm_free(spine);
                spine = bigger;
                cap *= 2;
            }
            spine[ns++] = cur;
            cur = cur->kids[0];
        }
        lm_value acc = eval_expr(E, cur);
        for (size_t k = ns; k-- > 0 && !lm_is_error(acc);) {
            node *op = spine[k];
            lm_value b = eval_expr(E, op->kids[1]);
            if (lm_is_error(b)) {
                lm_release(acc);
                acc = b;
                break;
            }
            if (acc.kind == LM_EXPR || b.kind == LM_EXPR) {
                /* a number meeting a symbol stays exact: 3/5*x, sqrt(2)*x */
                lm_value a2 = exact_operand(E, op->kids[0], acc, b), b2 = exact_operand(E, op->kids[1], b, acc);
                lm_release(acc);
                lm_release(b);
                acc = a2;
                b = b2;
            }
            lm_value r = lm_op_binary(E->s, op->op, acc, b);
            lm_release(acc);
            lm_release(b);
            acc = lm_is_error(r) ? fail_at(op, r) : r;
        }
        if (spine != small) lm_free(spine);
        return acc;
    }
    case N_UNOP:
    case N_POSTFIX: {
        lm_value a = eval_expr(E, n->kids[0]);
        if (lm_is_error(a)) return a;
        lm_value r = lm_op_unary(E->s, n->op, a);
        lm_release(a);
        return lm_is_error(r) ? fail_at(n, r) : r;
    }
    case N_CMP:
        return eval_cmp(E, n);
    case N_ANDAND:
    case N_OROR: {
        bool is_and = n->type == N_ANDAND;
        for (int side = 0; side < 2; side++) {
            lm_value v = eval_expr(E, n->kids[side]);
            if (lm_is_error(v)) return v;
            bool t;
            lm_err err = LM_ERR_INIT;
            if (!lm_truthy(v, &t, &err)) {
                lm_release(v);
                return fail_at(n->kids[side], lm_error_from(&err));
            }
            lm_release(v);
            if (side == 0 && t != is_and) return lm_bool(t);
            if (side == 1) return lm_bool(t);
        }
        return lm_bool(false);
    }
    case N_RANGE:
        return eval_range(E, n);
    case N_CALL:
        return eval_call(E, n, 1, NULL);
    case N_MATRIX:
        return eval_matrix(E, n);
    default:
        return errorf_at(n, LM_ERR_INTERNAL, "this cannot be used as a value");
    }
}

/* ---- statements ---- */

static flow fail(ev *E, lm_value err) {
    E->err = err;
    return FLOW_ERROR;
}

static bool at_top(ev *E) { return E->f->locals == NULL; }

static void print_assign(ev *E, node *st, const char *name, lm_value v) {
    if (st->print && !lm_is_nil(v)) emit(E->s, LM_OUT_VALUE, name, v, NULL, 0);
}

static void warn_constant(ev *E, const char *name) {
    if (is_constant_name(name) && at_top(E) && !lm_scope_lookup(&E->s->globals, name))
        lm_warn(E->s->ctx, "'%s' now names your variable; the constant %s is hidden until you clear %s", name, name, name);
}

static bool is_param(const lm_func *f, const node *n) {
    if (n->type != N_NAME) return false;
    for (uint32_t i = 0; i < f->nparams; i++)
        if (!strcmp(f->params[i], n->str)) return true;
    return false;
}

static bool mentions_param(const lm_func *f, const node *n) {
    if (is_param(f, n)) return true;
    for (uint32_t i = 0; i < n->nkids; i++)
        if (n->kids[i] && mentions_param(f, n->kids[i])) return true;
    return false;
}

/* Builtins that read a whole vector or matrix at once (a norm, a sum, a
 * test): handing them one element at a time would answer another question. */
static bool takes_whole_vectors(const char *name) {
    static const char *const reducers[] = {"all",  "any", "columns", "cumsum", "find",  "isempty", "isequal",
                                           "length", "max", "mean",  "min",    "ndims", "numel",   "prod",
                                           "reshape", "rows", "size", "sort",   "sum"};
    for (size_t i = 0; i < sizeof reducers / sizeof reducers[0]; i++)
        if (!strcmp(reducers[i], name)) return true;
    const lm_builtin *b = lm_builtin_find(name);
    if (!b) return false;
    const lm_builtin *const tables[] = {lm_builtins_linalg, lm_builtins_stats, lm_builtins_info};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const lm_builtin *e = tables[t]; e->name; e++)
            if (e == b) return true;
    return false;
}

/* Whether a one-line function's body uses a parameter as a whole vector: it
 * indexes it (p(1)), or passes it to a builtin that reads whole vectors
 * (norm(a), mean(y .* log(q))). Such a function gets its vector argument
 * whole; any other maps over it elementwise, as f(x) = x^2 does. */
static bool uses_params_whole(const lm_func *f, const node *n) {
    if (n->type == N_CALL && n->kids[0]->type == N_NAME) {
        if (is_param(f, n->kids[0])) return true;
        if (takes_whole_vectors(n->kids[0]->str))
            for (uint32_t i = 1; i < n->nkids; i++)
                if (mentions_param(f, n->kids[i])) return true;
    }
    for (uint32_t i = 0; i < n->nkids; i++)
        if (n->kids[i] && uses_params_whole(f, n->kids[i])) return true;
    return false;
}

/* The source of a one-line body for printing the function. The parser's spans
 * leave out the parentheses around a group, so `(w - 3)^2` would print as
 * `w - 3)^2`: the text runs from just after the `=` to the end of the body,
 * extended over the closing parentheses that balance the opening ones. */
static void body_text_span(const lm_program *prog, const node *lhs, const node *rhs, uint32_t *start, uint32_t *end) {
    const char *src = prog->src;
    uint32_t a = lhs->end, b = rhs->end;
    while (a < rhs->start && src[a] != '=') a++;
    if (a < rhs->start) a++;
    while (a < rhs->start && (src[a] == ' ' || src[a] == '\t')) a++;
    int open = 0;
    for (uint32_t k = a; k < b; k++) open += (src[k] == '(') - (src[k] == ')');
    while (open > 0 && b < prog->len) {
        char c = src[b];
        if (c == ')') open--;
        else if (c != ' ' && c != '\t') break;
        b++;
    }
    *start = a;
    *end = b;
}

static flow exec_assign(ev *E, node *st) {
    node *lhs = st->kids[0], *rhs = st->kids[1];
    if (lhs->type == N_NAME) {
        lm_value v = eval_expr(E, rhs);
        if (lm_is_error(v)) return fail(E, v);
        if (v.kind == LM_NIL) return fail(E, errorf_at(rhs, LM_ERR_TYPE, "this gives no value to assign"));
        warn_constant(E, lhs->str);
        v.flags &= (uint8_t)~(LM_VF_PI | LM_VF_E); /* a copy of pi is just a number; units stay */
        lm_scope_set(cur_scope(E), lhs->str, v);
        print_assign(E, st, lhs->str, v);
        return FLOW_NORMAL;
    }
    /* f(args) = rhs: a definition when every argument is a fresh name */
    const char *name = lhs->kids[0]->str;
    bool definition = lhs->nkids > 1;
    for (uint32_t i = 1; i < lhs->nkids && definition; i++) {
        node *a = lhs->kids[i];
        if (a->type != N_NAME || lookup_var(E, a->str)) definition = false;
        for (uint32_t j = 1; j < i && definition; j++)
            if (!strcmp(lhs->kids[j]->str, a->str)) definition = false;
    }
    if (definition) {
        lm_func *f = func_new(E->prog, name, true);
        f->nparams = lhs->nkids - 1;
        f->params = lm_alloc(f->nparams * sizeof *f->params);
        for (uint32_t i = 0; i < f->nparams; i++) f->params[i] = lhs->kids[i + 1]->str;
        f->body = rhs;
        f->maps = !uses_params_whole(f, rhs);
        body_text_span(E->prog, lhs, rhs, &f->text_start, &f->text_end);
        lm_value fv = lm_obj_value(&f->hdr);
        lm_scope_set(cur_scope(E), name, fv);
        print_assign(E, st, name, fv);
        return FLOW_NORMAL;
    }
    lm_value *curp = lookup_var(E, name);
    if (curp && (curp->kind == LM_FUNC || curp->kind == LM_STRING || curp->kind == LM_EXPR || curp->kind >= LM_DIST))
        return fail(E, errorf_at(lhs, LM_ERR_TYPE, "%s is %s; only matrices can be assigned by index", name,
                                 lm_kind_a(curp->kind)));
    if (rhs->type == N_MATRIX && rhs->nkids == 0)
        return fail(E, errorf_at(rhs, LM_ERR_TYPE, "deleting elements with = [] is not supported: keep the ones you "
                                                   "want instead, as in v = v([1 2 4])"));
    lm_value v = eval_expr(E, rhs);
    if (lm_is_error(v)) return fail(E, v);
    if (v.kind == LM_EXPR || v.kind == LM_STRING || v.kind == LM_FUNC || v.kind >= LM_DIST || v.kind == LM_NIL) {
        lm_kind k = (lm_kind)v.kind;
        lm_release(v);
        return fail(E, errorf_at(rhs, LM_ERR_TYPE, "only numbers can be stored in a matrix element, not %s", lm_kind_a(k)));
    }
    lm_value base = curp ? *curp : lm_nil();
    argvals a = {0};
    lm_value r = eval_args(E, lhs, true, base, &a);
    idxlist ix[2];
    int got = 0;
    if (!lm_is_error(r) && (a.n == 0 || a.n > 2))
        r = errorf_at(lhs, LM_ERR_SHAPE, "assign by index with one or two subscripts, as in v(3) = x or A(2, 1) = x");
    for (int d = 0; !lm_is_error(r) && d < a.n; d++) {
        if (a.is_colon[d]) {
            memset(&ix[d], 0, sizeof ix[d]);
            ix[d].all = true;
        } else {
            r = to_idx(lhs->kids[d + 1], a.v[d], -1, &ix[d]);
            if (lm_is_error(r)) break;
        }
        got++;
    }
    if (!lm_is_error(r)) {
        /* Take the variable's reference so a sole owner can be updated in place. */
        lm_value old = lm_nil();
        lm_scope *sc = cur_scope(E);
        lm_value *slot = lm_scope_lookup(sc, name);
        if (slot) {
            old = *slot;
            *slot = lm_nil();
        } else if (curp) {
            old = lm_retain(*curp); /* a global seen from a one-line function */
        }
        r = index_assign(lhs, name, old, a.n, ix, v);
        if (!lm_is_error(r)) {
            lm_scope_set(sc, name, r);
            print_assign(E, st, name, r);
            r = lm_nil();
        } else if (slot) {
            lm_scope_remove(sc, name); /* index_assign consumed the old value */
        }
    }
    for (int d = 0; d < got; d++) idx_free(&ix[d]);
    args_free(&a);
    lm_release(v);
    if (lm_is_error(r)) return fail(E, r);
    return FLOW_NORMAL;
}

static flow exec_multi_assign(ev *E, node *st) {
    uint32_t nt = st->nparams;
    node *rhs = st->kids[nt];
    if (rhs->type != N_CALL)
        return fail(E, errorf_at(rhs, LM_ERR_TYPE, "the right side of [a, b] = ... must be a function call that gives several results"));
    if (nt > 64) return fail(E, errorf_at(st, LM_ERR_LIMIT, "too many results asked for (at most 64)"));
    lm_value extra[65];
    for (uint32_t k = 0; k <= nt; k++) extra[k] = lm_nil();
    lm_value first = eval_call(E, rhs, (int)nt, extra);
    if (lm_is_error(first)) return fail(E, first);
    extra[0] = first;
    for (uint32_t k = 0; k < nt; k++) {
        if (lm_is_nil(extra[k])) {
            for (uint32_t q = 0; q < nt; q++) lm_release(extra[q]);
            return fail(E, errorf_at(rhs, LM_ERR_TYPE, "this call gave fewer than %u results", nt));
        }
    }
    for (uint32_t k = 0; k < nt; k++) {
        node *t = st->kids[k];
        if (t->type == N_TILDE) {
            lm_release(extra[k]);
            continue;
        }
        warn_constant(E, t->str);
        lm_scope_set(cur_scope(E), t->str, extra[k]);
        print_assign(E, st, t->str, extra[k]);
    }
    return FLOW_NORMAL;
}

static flow exec_command(ev *E, node *st) {
    const char *cmd = st->str;
    lm_session *s = E->s;
    if (!strcmp(cmd, "clear")) {
        if (st->nparams == 0) {
            if (at_top(E)) {
                lm_scope_free(&s->globals);
                lm_scope_init(&s->globals);
            } else {
                lm_scope_free(E->f->locals);
                lm_scope_init(E->f->locals);
            }
        }
        for (uint32_t i = 0; i < st->nparams; i++) lm_scope_remove(cur_scope(E), st->params[i]);
        return FLOW_NORMAL;
    }
    if (!strcmp(cmd, "format")) {
        const char *mode = st->nparams ? st->params[0] : "short";
        if (!strcmp(mode, "long")) s->digits = 0;
        else if (!strcmp(mode, "short")) s->digits = 5;
        else return fail(E, errorf_at(st, LM_ERR_NAME, "format %s is not known: use format long or format short", mode));
        return FLOW_NORMAL;
    }
    if (!strcmp(cmd, "who")) {
        size_t n;
        char **names = lm_session_names(s, &n);
        lm_buf b = LM_BUF_INIT;
        if (n == 0) lm_buf_puts(&b, "the workspace is empty\n");
        else {
            lm_buf_puts(&b, "Variables in the workspace:\n  ");
            for (size_t i = 0; i < n; i++) lm_buf_printf(&b, "%s%s", i ? "  " : "", names[i]);
            lm_buf_putc(&b, '\n');
        }
        for (size_t i = 0; i < n; i++) lm_free(names[i]);
        lm_free(names);
        lm_emit_text(s, lm_buf_cstr(&b), b.len);
        lm_buf_free(&b);
        return FLOW_NORMAL;
    }
    if (!strcmp(cmd, "help")) {
        lm_value arg = st->nparams ? lm_string_cstr(st->params[0]) : lm_nil();
        const lm_builtin *h = lm_builtin_find("help");
        lm_call c = {0};
        c.s = s;
        c.ctx = s->ctx;
        c.nargs = st->nparams ? 1 : 0;
        c.args = &arg;
        c.nout = 1;
        c.fname = "help";
        lm_value r = h ? h->fn(&c) : lm_nil();
        lm_release(arg);
        if (lm_is_error(r)) return fail(E, fail_at(st, r));
        lm_release(r);
        return FLOW_NORMAL;
    }
    /* clc, more, close: terminal niceties with nothing to do here */
    return FLOW_NORMAL;
}

static flow exec_stmt(ev *E, node *st);

static flow exec_block(ev *E, node *b) {
    for (uint32_t i = 0; i < b->nkids; i++) {
        flow f = exec_stmt(E, b->kids[i]);
        if (f != FLOW_NORMAL) return f;
    }
    return FLOW_NORMAL;
}

static flow check_budget(ev *E, node *st) {
    lm_session *s = E->s;
    uint64_t max_steps = s->max_steps ? s->max_steps : (uint64_t)LM_MAX_LOOP_STEPS;
    if (++s->steps > max_steps)
        return fail(E, errorf_at(st, LM_ERR_LIMIT, "the program ran more than %llu steps and was stopped: is a loop endless?",
                                 (unsigned long long)max_steps));
    if (s->out_bytes > (size_t)LM_MAX_OUTPUT)
        return fail(E, errorf_at(st, LM_ERR_LIMIT, "the program printed more than %lld MB and was stopped",
                                 (long long)(LM_MAX_OUTPUT >> 20)));
    lm_err err = LM_ERR_INIT;
    if (lm_ctx_poll(s->ctx, &err) != LM_OK) return fail(E, fail_at(st, lm_error_from(&err)));
    return FLOW_NORMAL;
}

static flow exec_for(ev *E, node *st) {
    lm_value seq = eval_expr(E, st->kids[1]);
    if (lm_is_error(seq)) return fail(E, seq);
    const char *var = st->kids[0]->str;
    flow result = FLOW_NORMAL;
    if (seq.kind == LM_TENSOR) {
        lm_tensor *t = lm_tensor_of(seq);
        int64_t rows = lm_tensor_rows(t), cols = t->size / (rows ? rows : 1);
        if (t->size == 0) cols = 0;
        for (int64_t j = 0; j < cols; j++) {
            lm_value item;
            if (rows == 1) {
                int64_t off = colmajor_offset(t, j);
                item = t->imag ? lm_complex_or_real(t->data[off], t->imag[off]) : lm_num(t->data[off]);
            } else {
                lm_err err = LM_ERR_INIT;
                lm_tensor *col = lm_tensor_matrix(rows, 1, &err);
                if (!col) {
                    result = fail(E, fail_at(st, lm_error_from(&err)));
                    break;
                }
                for (int64_t i = 0; i < rows; i++) col->data[i] = t->data[colmajor_offset(t, j * rows + i)];
                item = lm_tensor_value(col);
            }
            lm_scope_set(cur_scope(E), var, item);
            flow f = check_budget(E, st);
            if (f == FLOW_NORMAL) f = exec_block(E, st->kids[2]);
            if (f == FLOW_BREAK) break;
            if (f == FLOW_CONTINUE) continue;
            if (f != FLOW_NORMAL) {
                result = f;
                break;
            }
        }
    } else if (seq.kind == LM_NUM || seq.kind == LM_BOOL || seq.kind == LM_COMPLEX) {
        lm_scope_set(cur_scope(E), var, lm_retain(seq));
        flow f = check_budget(E, st);
        if (f == FLOW_NORMAL) f = exec_block(E, st->kids[2]);
        if (f == FLOW_ERROR || f == FLOW_RETURN) result = f;
    } else {
        result = fail(E, errorf_at(st->kids[1], LM_ERR_TYPE, "a for loop runs over the columns of a matrix or a range like 1:10, not %s",
                                   lm_kind_a(seq.kind)));
    }
    lm_release(seq);
    return result;
}

static flow exec_stmt(ev *E, node *st) {
    flow budget = check_budget(E, st);
    if (budget != FLOW_NORMAL) return budget;
    switch ((node_type)st->type) {
    case N_EXPR_STMT: {
        node *e = st->kids[0];
        lm_value v = e->type == N_CALL ? eval_call(E, e, 1, NULL) : eval_expr(E, e);
        if (lm_is_error(v)) return fail(E, v);
        if (!lm_is_nil(v)) {
            /* a bare variable prints with its name, as in Octave: `x` shows x = 3 */
            const char *shown = e->type == N_NAME && lookup_var(E, e->str) ? e->str : NULL;
            if (st->print) emit(E->s, LM_OUT_VALUE, shown, v, NULL, 0);
            if (e->type != N_NAME && at_top(E) && v.kind != LM_FUNC) {
                v.flags &= (uint8_t)~(LM_VF_PI | LM_VF_E); /* a copy of pi is just a number; units stay */
                lm_scope_set(&E->s->globals, "ans", v);
            } else {
                lm_release(v);
            }
        }
        return FLOW_NORMAL;
    }
    case N_ASSIGN:
        return exec_assign(E, st);
    case N_MULTI_ASSIGN:
        return exec_multi_assign(E, st);
    case N_IF: {
        uint32_t pairs = st->nkids / 2;
        for (uint32_t i = 0; i < pairs; i++) {
            lm_value c = eval_expr(E, st->kids[2 * i]);
            if (lm_is_error(c)) return fail(E, c);
            bool t;
            lm_err err = LM_ERR_INIT;
            bool ok = lm_truthy(c, &t, &err);
            lm_release(c);
            if (!ok) return fail(E, fail_at(st->kids[2 * i], lm_error_from(&err)));
            if (t) return exec_block(E, st->kids[2 * i + 1]);
        }
        if (st->has_else) return exec_block(E, st->kids[st->nkids - 1]);
        return FLOW_NORMAL;
    }
    case N_FOR:
        return exec_for(E, st);
    case N_WHILE:
        for (;;) {
            lm_value c = eval_expr(E, st->kids[0]);
            if (lm_is_error(c)) return fail(E, c);
            bool t;
            lm_err err = LM_ERR_INIT;
            bool ok = lm_truthy(c, &t, &err);
            lm_release(c);
            if (!ok) return fail(E, fail_at(st->kids[0], lm_error_from(&err)));
            if (!t) return FLOW_NORMAL;
            flow f = exec_block(E, st->kids[1]);
            if (f == FLOW_BREAK) return FLOW_NORMAL;
            if (f == FLOW_CONTINUE) continue;
            if (f != FLOW_NORMAL) return f;
            f = check_budget(E, st);
            if (f != FLOW_NORMAL) return f;
        }
    case N_BREAK:
        return FLOW_BREAK;
    case N_CONTINUE:
        return FLOW_CONTINUE;
    case N_RETURN:
        return FLOW_RETURN;
    case N_FUNCDEF: {
        lm_func *f = func_new(E->prog, st->str, false);
        f->nparams = st->nparams;
        f->params = lm_alloc((st->nparams ? st->nparams : 1) * sizeof *f->params);
        memcpy(f->params, st->params, st->nparams * sizeof *f->params);
        f->nouts = st->nouts;
        f->outs = st->outs;
        f->body = st->kids[0];
        lm_scope_set(&E->s->globals, st->str, lm_obj_value(&f->hdr));
        return FLOW_NORMAL;
    }
    case N_COMMAND:
        return exec_command(E, st);
    default:
        return fail(E, errorf_at(st, LM_ERR_INTERNAL, "unknown statement"));
    }
}

/* ---- entry points ---- */

static void report(lm_session *s, lm_value err) {
    emit(s, LM_OUT_ERROR, NULL, err, NULL, 0);
}

int lm_eval(lm_session *s, const char *src, size_t len, const lm_eval_opts *opts) {
    lm_value perr;
    lm_output_fn saved_emit = s->emit;
    void *saved_ud = s->emit_ud;
    lm_program *saved_prog = s->prog;
    uint32_t saved_stmt_end = s->stmt_end; /* a program may run another (run, help) */
    s->emit = opts ? opts->emit : NULL;
    s->emit_ud = opts ? opts->ud : NULL;
    lm_program *prog = lm_parse(src, len, opts ? opts->src_name : NULL, &perr);
    int failures = 0;
    if (!prog) {
        /* locate against the raw source: the program object is gone */
        lm_program tmp = {0};
        tmp.src = lm_strndup(src, len); /* the caller's buffer need not end in NUL */
        tmp.len = len;
        tmp.src_name = (char *)(opts && opts->src_name ? opts->src_name : "<input>");
        s->prog = &tmp;
        s->stmt_end = 0;
        report(s, perr);
        lm_release(perr);
        lm_free(tmp.src);
        failures = 1;
    } else {
        s->prog = prog;
        s->steps = 0;
        s->print_failures = 0;
        s->ctx->deadline = s->time_limit > 0 ? lm_now() + s->time_limit : 0;
        s->out_bytes = 0;
        frame top = {NULL, false, NULL};
        ev E = {s, prog, &top, NULL, lm_nil()};
        lm_ctx_clear_warnings(s->ctx);
        for (uint32_t i = 0; i < prog->root->nkids; i++) {
            s->stmt_end = prog->root->kids[i]->end;
            flow f = exec_stmt(&E, prog->root->kids[i]);
            if (f == FLOW_ERROR) {
                report(s, E.err);
                lm_release(E.err);
                E.err = lm_nil();
                failures++;
            } else if (f == FLOW_RETURN) {
                break; /* `return` at top level ends the script */
            }
        }
        failures += s->print_failures;
        lm_program_release(prog);
    }
    s->emit = saved_emit;
    s->emit_ud = saved_ud;
    s->prog = saved_prog;
    s->stmt_end = saved_stmt_end;
    return failures;
}

typedef struct capture {
    lm_value v;
} capture;

/* Keeps the last printed value, or the first error (which then sticks). */
static void capture_emit(void *ud, const lm_output *o) {
    capture *c = ud;
    if (o->kind == LM_OUT_TEXT || lm_is_error(c->v)) return;
    lm_release(c->v);
    c->v = lm_retain(o->value);
}

lm_value lm_eval_value(lm_session *s, const char *src) {
    capture c = {lm_nil()};
    lm_eval_opts o = {"<eval>", capture_emit, &c};
    lm_eval(s, src, strlen(src), &o);
    return c.v;
}
