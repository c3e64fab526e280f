/* Events: what a comparison with a distribution operand builds (X < 1.96,
 * -1 < X <= 1, X == 3, X ~= 0), as an interval of the real line (or the
 * complement of a point), and P(event) computed in the tail that keeps its
 * digits: P(X > 40) for a standard normal is 3.7e-350's neighbour 0, but
 * P(X > 37) = 5.7e-300 survives because the upper tail is never 1 − cdf. */
#include "prob/dist_int.h"

#include <math.h>
#include <string.h>

typedef struct lm_event {
    lm_obj hdr;              /* kind LM_OBJECT, type event_type */
    lm_dist *d;              /* retained */
    double lo, hi;           /* X in (lo, hi), each end open or closed */
    bool lo_closed, hi_closed;
    bool negate;             /* X ~= lo: the complement of the point lo = hi */
} lm_event;

static void event_free(lm_obj *o) {
    lm_event *e = (lm_event *)o;
    lm_dist_release(e->d);
    lm_free(e);
}

static void fmt(char out[40], double x, int digits) {
    if (digits <= 0) lm_fmt_double_shortest(out, x);
    else lm_fmt_double_sig(out, x, digits);
}

static void event_describe(const lm_event *e, lm_buf *out, int digits) {
    char a[40], b[40];
    fmt(a, e->lo, digits);
    fmt(b, e->hi, digits);
    if (e->negate) lm_buf_printf(out, "X ~= %s", a);
    else if (e->lo == e->hi && e->lo_closed && e->hi_closed) lm_buf_printf(out, "X == %s", a);
    else if (isfinite(e->lo) && isfinite(e->hi))
        lm_buf_printf(out, "%s %s X %s %s", a, e->lo_closed ? "<=" : "<", e->hi_closed ? "<=" : "<", b);
    else if (isfinite(e->hi) || e->lo == -INFINITY) lm_buf_printf(out, "X %s %s", e->hi_closed ? "<=" : "<", b);
    else lm_buf_printf(out, "X %s %s", e->lo_closed ? ">=" : ">", a);
}

static void event_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_event *e = (const lm_event *)o;
    char p[40];
    lm_buf_puts(out, "event ");
    event_describe(e, out, digits);
    lm_buf_puts(out, " where X ~ ");
    lm_dist_text(e->d, out, digits, true);
    fmt(p, lm_prob_event_p(lm_obj_value((lm_obj *)o)), digits);
    lm_buf_printf(out, "; P = %s", p);
}

static const lm_objtype event_type = {"event", event_free, event_text, NULL};

bool lm_is_event(lm_value v) { return v.kind == LM_OBJECT && v.u.obj->type == &event_type; }

static lm_value event_new(lm_dist *d, double lo, bool lo_closed, double hi, bool hi_closed, bool negate) {
    lm_event *e = lm_calloc(1, sizeof *e);
    lm_obj_init(&e->hdr, LM_OBJECT, &event_type);
    e->d = lm_dist_retain(d);
    e->lo = lo;
    e->hi = hi;
    e->lo_closed = lo_closed;
    e->hi_closed = hi_closed;
    e->negate = negate;
    return lm_obj_value(&e->hdr);
}

/* A real scalar: a number, a boolean or a 1×1 real tensor. */
static bool scalar_of(lm_value v, double *out) {
    if (v.kind == LM_NUM) *out = v.u.num;
    else if (v.kind == LM_BOOL) *out = v.u.b ? 1 : 0;
    else if (v.kind == LM_TENSOR && lm_tensor_of(v)->size == 1 && !lm_tensor_of(v)->imag)
        *out = lm_tensor_of(v)->data[0];
    else return false;
    return true;
}

static const char *const rel_text[] = {"==", "~=", "<", "<=", ">", ">="};

lm_value lm_prob_compare(lm_ctx *ctx, int rel, lm_value a, lm_value b) {
    (void)ctx;
    if (rel < 0 || rel > 5) return lm_error_new(LM_ERR_INTERNAL, "lm_prob_compare: relation %d", rel);
    if (a.kind == LM_DIST && b.kind == LM_DIST)
        return lm_error_new(LM_ERR_TYPE,
                            "comparing two random variables (X %s Y) needs their joint distribution, which lemma does "
                            "not build; compare a distribution with a number, as in P(X < 1.96)",
                            rel_text[rel]);
    bool dist_left = a.kind == LM_DIST;
    lm_value dv = dist_left ? a : b, cv = dist_left ? b : a;
    if (dv.kind != LM_DIST) return lm_error_new(LM_ERR_INTERNAL, "lm_prob_compare: no distribution operand");
    lm_dist *d = lm_dist_of(dv);
    if (lm_dist_is_multivariate(d))
        return lm_error_new(LM_ERR_TYPE,
                            "%s is a distribution of vectors; events such as X < c need a distribution of numbers",
                            lm_dist_name(d));
    double c;
    if (cv.kind == LM_TENSOR && lm_tensor_of(cv)->size != 1)
        return lm_error_new(LM_ERR_TYPE,
                            "an event compares a distribution with one number (P(X < 1.96)); for many points at once "
                            "use cdf(X, v)");
    if (!scalar_of(cv, &c))
        return lm_error_new(LM_ERR_TYPE, "an event compares a distribution with a real number, not %s",
                            lm_kind_a((lm_kind)cv.kind));
    if (isnan(c)) return lm_error_new(LM_ERR_DOMAIN, "an event cannot compare a distribution with NaN");
    /* c rel X is X (mirrored rel) c */
    static const int mirror[] = {0, 1, 4, 5, 2, 3};
    int r = dist_left ? rel : mirror[rel];
    switch (r) {
    case 0: return event_new(d, c, true, c, true, false);
    case 1: return event_new(d, c, true, c, true, true);
    case 2: return event_new(d, -INFINITY, false, c, false, false);
    case 3: return event_new(d, -INFINITY, false, c, true, false);
    case 4: return event_new(d, c, false, INFINITY, false, false);
    default: return event_new(d, c, true, INFINITY, false, false);
    }
}

static bool same_dist(const lm_dist *a, const lm_dist *b) {
    if (a == b) return true;
    if (a->ops != b->ops || a->dim != b->dim || memcmp(a->p, b->p, sizeof a->p) != 0) return false;
    if ((a->vec == NULL) != (b->vec == NULL)) return false;
    return !a->vec || memcmp(a->vec, b->vec, (size_t)a->dim * sizeof(double)) == 0;
}

lm_value lm_prob_event_and(lm_ctx *ctx, lm_value a, lm_value b) {
    (void)ctx;
    if (!lm_is_event(a) || !lm_is_event(b))
        return lm_error_new(LM_ERR_TYPE,
                            "a chained comparison with a random variable needs both sides to be comparisons with "
                            "numbers, as in -1 < X <= 1");
    const lm_event *x = (const lm_event *)a.u.obj, *y = (const lm_event *)b.u.obj;
    if (!same_dist(x->d, y->d))
        return lm_error_new(LM_ERR_TYPE,
                            "the two comparisons are about different random variables; a chained comparison such as "
                            "-1 < X <= 1 needs the same one on both sides");
    if (x->negate || y->negate)
        return lm_error_new(LM_ERR_TYPE,
                            "~= cannot be part of a chained comparison; write P(X ~= c) on its own");
    double lo = x->lo, hi = x->hi;
    bool loc = x->lo_closed, hic = x->hi_closed;
    if (y->lo > lo || (y->lo == lo && !y->lo_closed)) {
        if (y->lo > lo) loc = y->lo_closed;
        else loc = false;
        lo = y->lo;
    }
    if (y->hi < hi || (y->hi == hi && !y->hi_closed)) {
        if (y->hi < hi) hic = y->hi_closed;
        else hic = false;
        hi = y->hi;
    }
    return event_new(x->d, lo, loc, hi, hic, false);
}

/* P(L <= X <= U) for whole L <= U, choosing the tail that avoids cancellation. */
static double discrete_between(const lm_dist *d, double L, double U) {
    if (L == U) return lm_dist_pdf(d, L);
    if (L == -INFINITY) return lm_dist_cdf(d, U, false);
    if (U == INFINITY) return lm_dist_cdf(d, L - 1, true);
    double below = lm_dist_cdf(d, L - 1, false);
    if (below > 0.5) return lm_dist_cdf(d, L - 1, true) - lm_dist_cdf(d, U, true);
    return lm_dist_cdf(d, U, false) - below;
}

double lm_prob_event_p(lm_value v) {
    if (!lm_is_event(v)) return NAN;
    const lm_event *e = (const lm_event *)v.u.obj;
    const lm_dist *d = e->d;
    bool disc = lm_dist_is_discrete(d);
    if (e->negate) {
        if (!disc) return 1;
        double p = lm_dist_pdf(d, e->lo);
        if (p < 0.5) return 1 - p;
        return lm_dist_cdf(d, e->lo - 1, false) + lm_dist_cdf(d, e->lo, true);
    }
    if (disc) {
        /* the whole numbers inside the interval */
        double L = e->lo == -INFINITY ? -INFINITY : e->lo_closed ? ceil(e->lo) : floor(e->lo) + 1;
        double U = e->hi == INFINITY ? INFINITY : e->hi_closed ? floor(e->hi) : ceil(e->hi) - 1;
        if (L > U) return 0;
        return discrete_between(d, L, U);
    }
    if (!(e->lo < e->hi)) return 0; /* a point or an empty interval has no mass */
    if (e->lo == -INFINITY) return lm_dist_cdf(d, e->hi, false);
    if (e->hi == INFINITY) return lm_dist_cdf(d, e->lo, true);
    double below = lm_dist_cdf(d, e->lo, false);
    if (below > 0.5) return lm_dist_cdf(d, e->lo, true) - lm_dist_cdf(d, e->hi, true);
    return lm_dist_cdf(d, e->hi, false) - below;
}
