/* Bayesian networks over discrete variables: nodes with parents and
 * conditional probability tables, added one at a time so the graph is acyclic
 * by construction; exact inference by variable elimination (barren nodes
 * pruned, then a greedy smallest-factor order); d-separation by the
 * reachability ("Bayes ball") algorithm; the joint table and factorization. */
#include "prob/st_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Most combinations of parent states a table may list, and most rows of a
 * joint table or entries of one elimination factor. */
#define BNET_MAX_TABLE (1LL << 20)

typedef struct bnode {
    char *name;
    int64_t k;          /* states: 2 for binary (false, true), else 1..k */
    bool binary;        /* given as P(true) only, or with 2 columns */
    int64_t npar;
    int64_t *par;       /* parent indices, in the order given */
    int64_t rows;       /* product of the parents' state counts */
    double *cpt;        /* rows × k, row-major; rows in mixed radix, first parent slowest */
} bnode;

struct lm_bnet {
    lm_obj hdr;
    int64_t n;
    bnode *v;
};

/* ---- printing ---- */

static void state_name(const lm_bnet *net, int64_t node, int64_t s, lm_buf *out) {
    if (net->v[node].binary) lm_buf_puts(out, s ? "true" : "false");
    else lm_buf_printf(out, "%lld", (long long)s + 1);
}

void lm_bnet_factorization(const lm_bnet *net, lm_buf *out) {
    lm_buf_puts(out, "P(");
    for (int64_t i = 0; i < net->n; i++) lm_buf_printf(out, "%s%s", i ? ", " : "", net->v[i].name);
    lm_buf_puts(out, ") =");
    for (int64_t i = 0; i < net->n; i++) {
        const bnode *b = &net->v[i];
        lm_buf_printf(out, " P(%s", b->name);
        for (int64_t q = 0; q < b->npar; q++) lm_buf_printf(out, "%s%s", q ? ", " : " | ", net->v[b->par[q]].name);
        lm_buf_putc(out, ')');
    }
}

static void bnet_free(lm_obj *o) {
    lm_bnet *net = (lm_bnet *)o;
    for (int64_t i = 0; i < net->n; i++) {
        lm_free(net->v[i].name);
        lm_free(net->v[i].par);
        lm_free(net->v[i].cpt);
    }
    lm_free(net->v);
    lm_free(net);
}

static void bnet_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_bnet *net = (const lm_bnet *)o;
    if (net->n == 0) {
        lm_buf_puts(out, "Bayesian network with no nodes yet: add them with node(net, \"Name\", parents, table)");
        return;
    }
    lm_buf_printf(out, "Bayesian network with %lld node%s\n  ", (long long)net->n, net->n == 1 ? "" : "s");
    lm_bnet_factorization(net, out);
    char s[40];
    for (int64_t i = 0; i < net->n; i++) {
        const bnode *b = &net->v[i];
        lm_buf_printf(out, "\n  %s", b->name);
        if (b->binary) lm_buf_puts(out, b->npar ? ": P(true | " : ": P(true)");
        else lm_buf_printf(out, ": P(1..%lld%s", (long long)b->k, b->npar ? " | " : ")");
        for (int64_t q = 0; q < b->npar; q++) lm_buf_printf(out, "%s%s", q ? ", " : "", net->v[b->par[q]].name);
        if (b->npar) lm_buf_putc(out, ')');
        for (int64_t r = 0; r < b->rows; r++) {
            lm_buf_puts(out, b->npar ? (r ? "; " : " = ") : " = ");
            if (b->npar) {
                /* the parents' states of row r, first parent slowest */
                int64_t rem = r, div = b->rows;
                lm_buf_putc(out, '(');
                for (int64_t q = 0; q < b->npar; q++) {
                    int64_t kq = net->v[b->par[q]].k;
                    div /= kq;
                    if (q) lm_buf_puts(out, ", ");
                    state_name(net, b->par[q], rem / div, out);
                    rem %= div;
                }
                lm_buf_puts(out, "): ");
            }
            if (b->binary) {
                lm_st_fmt(s, b->cpt[r * 2 + 1], digits);
                lm_buf_puts(out, s);
            } else {
                lm_buf_putc(out, '[');
                for (int64_t j = 0; j < b->k; j++) {
                    lm_st_fmt(s, b->cpt[r * b->k + j], digits);
                    lm_buf_printf(out, "%s%s", j ? " " : "", s);
                }
                lm_buf_putc(out, ']');
            }
        }
    }
}

const lm_objtype lm_bnet_type = {"bayes net", bnet_free, bnet_text, NULL};

/* ---- building ---- */

lm_bnet *lm_bnet_new(void) {
    lm_bnet *net = lm_calloc(1, sizeof *net);
    lm_obj_init(&net->hdr, LM_OBJECT, &lm_bnet_type);
    return net;
}

int64_t lm_bnet_size(const lm_bnet *net) { return net->n; }
const char *lm_bnet_name(const lm_bnet *net, int64_t i) { return net->v[i].name; }
int64_t lm_bnet_states(const lm_bnet *net, int64_t i) { return net->v[i].k; }

int64_t lm_bnet_find(const lm_bnet *net, const char *name) {
    for (int64_t i = 0; i < net->n; i++)
        if (!strcmp(net->v[i].name, name)) return i;
    return -1;
}

void lm_bnet_names(const lm_bnet *net, lm_buf *out) {
    if (!net->n) lm_buf_puts(out, "none yet");
    for (int64_t i = 0; i < net->n; i++) lm_buf_printf(out, "%s%s", i ? ", " : "", net->v[i].name);
}

static void copy_node(bnode *d, const bnode *s) {
    *d = *s;
    d->name = lm_strdup(s->name);
    d->par = lm_alloc((size_t)(s->npar ? s->npar : 1) * sizeof *d->par);
    memcpy(d->par, s->par, (size_t)s->npar * sizeof *d->par);
    d->cpt = lm_alloc((size_t)(s->rows * s->k) * sizeof *d->cpt);
    memcpy(d->cpt, s->cpt, (size_t)(s->rows * s->k) * sizeof *d->cpt);
}

/* "(Sprinkler = false, Rain = true)" for row r of a new node's table */
static void row_words(const lm_bnet *net, const int64_t *par, int64_t npar, int64_t rows, int64_t r, lm_buf *out) {
    if (!npar) return;
    int64_t rem = r, div = rows;
    lm_buf_puts(out, " (");
    for (int64_t q = 0; q < npar; q++) {
        div /= net->v[par[q]].k;
        lm_buf_printf(out, "%s%s = ", q ? ", " : "", net->v[par[q]].name);
        state_name(net, par[q], rem / div, out);
        rem %= div;
    }
    lm_buf_putc(out, ')');
}

lm_bnet *lm_bnet_add(const lm_bnet *net, const char *name, const char *const *parents, int64_t npar, const double *cpt,
                     int64_t rows, int64_t cols, lm_err *err) {
    /* names must be usable as evidence: query(net, "Rain", WetGrass = true) */
    bool ident = name[0] && (isalpha((unsigned char)name[0]) || name[0] == '_');
    for (const char *p = name; *p && ident; p++) ident = isalnum((unsigned char)*p) || *p == '_';
    if (!ident || strlen(name) > 64) {
        lm_err_set(err, LM_ERR_DOMAIN,
                   "node: \"%s\" cannot name a node: use letters, digits and _ (starting with a letter), so that it "
                   "can be written as evidence, as in query(net, \"Rain\", WetGrass = true)",
                   name);
        return NULL;
    }
    if (lm_bnet_find(net, name) >= 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "node: the network already has a node named %s", name);
        return NULL;
    }
    if (net->n >= 1000) {
        lm_err_set(err, LM_ERR_LIMIT, "node: a network may have at most 1000 nodes");
        return NULL;
    }
    int64_t *par = lm_alloc((size_t)(npar ? npar : 1) * sizeof *par);
    lm_bnet *r = NULL;
    int64_t need = 1;
    for (int64_t q = 0; q < npar; q++) {
        par[q] = lm_bnet_find(net, parents[q]);
        if (par[q] < 0) {
            lm_buf b = LM_BUF_INIT;
            lm_bnet_names(net, &b);
            if (!strcmp(parents[q], name))
                lm_err_set(err, LM_ERR_DOMAIN, "node: %s cannot be its own parent", name);
            else
                lm_err_set(err, LM_ERR_DOMAIN,
                           "node: the parent %s of %s is not in the network yet (it has: %s); add parents before their "
                           "children, which also keeps the network free of cycles",
                           parents[q], name, lm_buf_cstr(&b));
            lm_buf_free(&b);
            goto out;
        }
        for (int64_t p = 0; p < q; p++)
            if (par[p] == par[q]) {
                lm_err_set(err, LM_ERR_DOMAIN, "node: %s is listed twice among the parents of %s", parents[q], name);
                goto out;
            }
        need *= net->v[par[q]].k;
        if (need > BNET_MAX_TABLE) {
            lm_err_set(err, LM_ERR_LIMIT, "node: %s's parents have more than 2^20 combinations of states", name);
            goto out;
        }
    }
    /* one column: P(name = true) for each parent combination; a 1×rows row
       vector is read as that column */
    if (rows == 1 && cols == need && need > 1) {
        rows = need;
        cols = 1;
    }
    if (rows != need) {
        lm_buf b = LM_BUF_INIT;
        for (int64_t q = 0; q < npar; q++)
            lm_buf_printf(&b, "%s%s (%lld states)", q ? " × " : "", parents[q], (long long)net->v[par[q]].k);
        lm_err_set(err, LM_ERR_SHAPE,
                   "node: the table of %s needs one row per combination of its parents' states, %lld row%s%s%s, but "
                   "it has %lld",
                   name, (long long)need, need == 1 ? "" : "s", npar ? ": " : "", lm_buf_cstr(&b), (long long)rows);
        lm_buf_free(&b);
        goto out;
    }
    if (cols > 1000) {
        lm_err_set(err, LM_ERR_LIMIT, "node: a node may have at most 1000 states");
        goto out;
    }
    int64_t k = cols == 1 ? 2 : cols;
    double *full = lm_alloc((size_t)(rows * k) * sizeof *full);
    for (int64_t i = 0; i < rows; i++) {
        long double s = 0;
        for (int64_t j = 0; j < cols; j++) {
            double v = cpt[i * cols + j];
            if (!(v >= 0 && v <= 1)) {
                lm_buf b = LM_BUF_INIT;
                row_words(net, par, npar, rows, i, &b);
                lm_err_set(err, LM_ERR_DOMAIN,
                           "node: entry (%lld, %lld) of the table of %s%s is %g, not a probability between 0 and 1",
                           (long long)i + 1, (long long)j + 1, name, lm_buf_cstr(&b), v);
                lm_buf_free(&b);
                lm_free(full);
                goto out;
            }
            s += v;
            full[i * k + j + (cols == 1)] = v;
        }
        if (cols == 1) full[i * k] = 1 - cpt[i];
        else if (fabsl(s - 1) > LM_ST_SUM_TOL * (double)cols) {
            lm_buf b = LM_BUF_INIT;
            row_words(net, par, npar, rows, i, &b);
            lm_err_set(err, LM_ERR_DOMAIN,
                       "node: row %lld of the table of %s%s sums to %.10g, not 1: each row is the distribution of %s "
                       "over its %lld states",
                       (long long)i + 1, name, lm_buf_cstr(&b), (double)s, name, (long long)k);
            lm_buf_free(&b);
            lm_free(full);
            goto out;
        }
    }
    r = lm_calloc(1, sizeof *r);
    lm_obj_init(&r->hdr, LM_OBJECT, &lm_bnet_type);
    r->n = net->n + 1;
    r->v = lm_alloc((size_t)r->n * sizeof *r->v);
    for (int64_t i = 0; i < net->n; i++) copy_node(&r->v[i], &net->v[i]);
    bnode *b = &r->v[net->n];
    b->name = lm_strdup(name);
    b->k = k;
    b->binary = k == 2;
    b->npar = npar;
    b->par = par;
    par = NULL;
    b->rows = rows;
    b->cpt = full;
out:
    lm_free(par);
    return r;
}

/* ---- factors for variable elimination ---- */

/* A table over `nv` variables (node indices, ascending), the last varying
 * fastest. */
typedef struct factor {
    int64_t nv;
    int64_t *var, *card;
    int64_t size;
    double *val;
} factor;

static void factor_free(factor *f) {
    lm_free(f->var);
    lm_free(f->card);
    lm_free(f->val);
    f->var = f->card = NULL;
    f->val = NULL;
}

static int64_t find_var(const factor *f, int64_t v) {
    for (int64_t i = 0; i < f->nv; i++)
        if (f->var[i] == v) return i;
    return -1;
}

/* The CPT of node i as a factor over its parents and itself, restricted to the
 * evidence (ev[v] >= 0 fixes node v's state). */
static factor node_factor(const lm_bnet *net, int64_t i, const int64_t *ev) {
    const bnode *b = &net->v[i];
    factor f = {0, NULL, NULL, 1, NULL};
    int64_t m = b->npar + 1;
    int64_t *all = lm_alloc((size_t)m * sizeof *all);
    for (int64_t q = 0; q < b->npar; q++) all[q] = b->par[q];
    all[b->npar] = i;
    f.var = lm_alloc((size_t)m * sizeof *f.var);
    f.card = lm_alloc((size_t)m * sizeof *f.card);
    for (int64_t q = 0; q < m; q++)
        if (ev[all[q]] < 0) f.var[f.nv++] = all[q];
    /* ascending variable order */
    for (int64_t a = 1; a < f.nv; a++)
        for (int64_t c = a; c > 0 && f.var[c - 1] > f.var[c]; c--) {
            int64_t t = f.var[c];
            f.var[c] = f.var[c - 1];
            f.var[c - 1] = t;
        }
    for (int64_t q = 0; q < f.nv; q++) {
        f.card[q] = net->v[f.var[q]].k;
        f.size *= f.card[q];
    }
    f.val = lm_alloc((size_t)f.size * sizeof *f.val);
    int64_t *st = lm_calloc((size_t)(f.nv ? f.nv : 1), sizeof *st);
    for (int64_t idx = 0; idx < f.size; idx++) {
        /* state of each of all[] in this assignment */
        int64_t row = 0, self = 0;
        for (int64_t q = 0; q < m; q++) {
            int64_t v = all[q], s = ev[v] >= 0 ? ev[v] : st[find_var(&f, v)];
            if (q < b->npar) row = row * net->v[v].k + s;
            else self = s;
        }
        f.val[idx] = b->cpt[row * b->k + self];
        for (int64_t q = f.nv - 1; q >= 0; q--) {
            if (++st[q] < f.card[q]) break;
            st[q] = 0;
        }
    }
    lm_free(st);
    lm_free(all);
    return f;
}

/* The product of factors fs[0..nf-1] with variable `sumout` summed out
 * (sumout < 0: no summing). NULL values when the result is too large. */
static factor factor_product_sum(factor *const *fs, int64_t nf, int64_t sumout, const lm_bnet *net) {
    /* union of variables, ascending */
    int64_t cap = 0;
    for (int64_t i = 0; i < nf; i++) cap += fs[i]->nv;
    factor u = {0, lm_alloc((size_t)(cap ? cap : 1) * sizeof(int64_t)), lm_alloc((size_t)(cap ? cap : 1) * sizeof(int64_t)), 1,
                NULL};
    for (int64_t i = 0; i < nf; i++)
        for (int64_t q = 0; q < fs[i]->nv; q++)
            if (find_var(&u, fs[i]->var[q]) < 0) u.var[u.nv++] = fs[i]->var[q];
    for (int64_t a = 1; a < u.nv; a++)
        for (int64_t c = a; c > 0 && u.var[c - 1] > u.var[c]; c--) {
            int64_t t = u.var[c];
            u.var[c] = u.var[c - 1];
            u.var[c - 1] = t;
        }
    for (int64_t q = 0; q < u.nv; q++) {
        u.card[q] = net->v[u.var[q]].k;
        if (u.size > BNET_MAX_TABLE / u.card[q]) {
            u.size = -1;
            return u;
        }
        u.size *= u.card[q];
    }
    /* result: u without sumout */
    factor r = {0, lm_alloc((size_t)(u.nv ? u.nv : 1) * sizeof(int64_t)), lm_alloc((size_t)(u.nv ? u.nv : 1) * sizeof(int64_t)),
                1, NULL};
    for (int64_t q = 0; q < u.nv; q++)
        if (u.var[q] != sumout) {
            r.var[r.nv] = u.var[q];
            r.card[r.nv++] = u.card[q];
            r.size *= u.card[q];
        }
    r.val = lm_calloc((size_t)r.size, sizeof *r.val);
    /* strides of each factor's variables within u's assignment */
    int64_t *st = lm_calloc((size_t)(u.nv ? u.nv : 1), sizeof *st);
    int64_t **pos = lm_alloc((size_t)(nf ? nf : 1) * sizeof *pos);
    for (int64_t i = 0; i < nf; i++) {
        pos[i] = lm_alloc((size_t)(fs[i]->nv ? fs[i]->nv : 1) * sizeof **pos);
        for (int64_t q = 0; q < fs[i]->nv; q++) pos[i][q] = find_var(&u, fs[i]->var[q]);
    }
    int64_t *rpos = lm_alloc((size_t)(r.nv ? r.nv : 1) * sizeof *rpos);
    for (int64_t q = 0; q < r.nv; q++) rpos[q] = find_var(&u, r.var[q]);
    for (int64_t idx = 0; idx < u.size; idx++) {
        double v = 1;
        for (int64_t i = 0; i < nf && v != 0; i++) {
            int64_t off = 0;
            for (int64_t q = 0; q < fs[i]->nv; q++) off = off * fs[i]->card[q] + st[pos[i][q]];
            v *= fs[i]->val[off];
        }
        int64_t ro = 0;
        for (int64_t q = 0; q < r.nv; q++) ro = ro * r.card[q] + st[rpos[q]];
        r.val[ro] += v;
        for (int64_t q = u.nv - 1; q >= 0; q--) {
            if (++st[q] < u.card[q]) break;
            st[q] = 0;
        }
    }
    for (int64_t i = 0; i < nf; i++) lm_free(pos[i]);
    lm_free(pos);
    lm_free(rpos);
    lm_free(st);
    factor_free(&u);
    return r;
}

lm_status lm_bnet_query(const lm_bnet *net, int64_t query, const int64_t *ev_node, const int64_t *ev_state, int64_t nev,
                        double *out, lm_err *err) {
    int64_t n = net->n;
    int64_t *ev = lm_alloc((size_t)n * sizeof *ev);
    for (int64_t i = 0; i < n; i++) ev[i] = -1;
    for (int64_t e = 0; e < nev; e++) ev[ev_node[e]] = ev_state[e];
    lm_status st = LM_OK;
    /* Barren nodes (neither the query, evidence, nor an ancestor of them) sum
     * to 1 and drop out: keep the ancestral set. Nodes come parents-first. */
    bool *keep = lm_calloc((size_t)n, sizeof *keep);
    keep[query] = true;
    for (int64_t e = 0; e < nev; e++) keep[ev_node[e]] = true;
    for (int64_t i = n - 1; i >= 0; i--)
        if (keep[i])
            for (int64_t q = 0; q < net->v[i].npar; q++) keep[net->v[i].par[q]] = true;
    factor *fs = lm_alloc((size_t)n * sizeof *fs);
    bool *live = lm_calloc((size_t)n, sizeof *live);
    int64_t nf = 0;
    for (int64_t i = 0; i < n; i++)
        if (keep[i]) {
            fs[nf] = node_factor(net, i, ev);
            live[nf++] = true;
        }
    factor **sel = lm_alloc((size_t)(n ? n : 1) * sizeof *sel);
    int64_t *idx = lm_alloc((size_t)(n ? n : 1) * sizeof *idx);
    /* eliminate the hidden variables, each time the one whose combined factor
       is smallest (a greedy order that keeps tables small) */
    for (;;) {
        int64_t best = -1, bestsize = 0;
        for (int64_t v = 0; v < n; v++) {
            if (!keep[v] || v == query || ev[v] >= 0) continue;
            /* size of the product of the live factors mentioning v */
            double size = 1;
            bool mentioned = false;
            int64_t seenv[64], ns = 0; /* an estimate: wider unions are caught when built */
            for (int64_t f = 0; f < nf; f++) {
                if (!live[f] || find_var(&fs[f], v) < 0) continue;
                mentioned = true;
                for (int64_t q = 0; q < fs[f].nv; q++) {
                    int64_t w = fs[f].var[q];
                    bool dup = false;
                    for (int64_t s = 0; s < ns; s++) dup |= seenv[s] == w;
                    if (!dup && ns < 64) {
                        seenv[ns++] = w;
                        size *= fs[f].card[q];
                    }
                }
            }
            if (!mentioned) {
                keep[v] = false; /* already summed away */
                continue;
            }
            if (best < 0 || size < (double)bestsize) {
                best = v;
                bestsize = size > 9e18 ? INT64_MAX : (int64_t)size;
            }
        }
        if (best < 0) break;
        int64_t ns = 0;
        for (int64_t f = 0; f < nf; f++)
            if (live[f] && find_var(&fs[f], best) >= 0) {
                sel[ns] = &fs[f];
                idx[ns++] = f;
            }
        factor r = factor_product_sum(sel, ns, best, net);
        if (r.size < 0 || !r.val) {
            factor_free(&r);
            st = lm_err_set(err, LM_ERR_LIMIT,
                            "query: eliminating %s needs a table of more than 2^20 entries; the network is too densely "
                            "connected for exact inference",
                            net->v[best].name);
            goto out;
        }
        for (int64_t s = 0; s < ns; s++) {
            factor_free(&fs[idx[s]]);
            live[idx[s]] = false;
        }
        fs[idx[0]] = r;
        live[idx[0]] = true;
        keep[best] = false;
    }
    /* what is left mentions only the query (or nothing): multiply, normalize */
    {
        int64_t ns = 0;
        for (int64_t f = 0; f < nf; f++)
            if (live[f]) sel[ns++] = &fs[f];
        factor r = factor_product_sum(sel, ns, -1, net);
        int64_t k = net->v[query].k;
        long double s = 0;
        if (ev[query] >= 0) {
            /* the query is itself evidence: certain, if the evidence is possible */
            for (int64_t i = 0; i < r.size; i++) s += r.val[i];
            for (int64_t j = 0; j < k; j++) out[j] = j == ev[query];
        } else {
            for (int64_t j = 0; j < k; j++) s += r.val[j];
            for (int64_t j = 0; j < k; j++) out[j] = (double)(r.val[j] / s);
        }
        factor_free(&r);
        if (s == 0)
            st = lm_err_set(err, LM_ERR_DOMAIN,
                            "query: the evidence has probability 0 in this network, so nothing can be conditioned on it");
    }
out:
    for (int64_t f = 0; f < nf; f++)
        if (live[f]) factor_free(&fs[f]);
    lm_free(fs);
    lm_free(live);
    lm_free(sel);
    lm_free(idx);
    lm_free(keep);
    lm_free(ev);
    return st;
}

/* ---- d-separation ---- */

bool lm_bnet_dsep(const lm_bnet *net, const int64_t *x, int64_t nx, const int64_t *y, int64_t ny, const int64_t *z,
                  int64_t nz) {
    int64_t n = net->n;
    bool *inz = lm_calloc((size_t)n, sizeof *inz), *anc = lm_calloc((size_t)n, sizeof *anc);
    for (int64_t i = 0; i < nz; i++) inz[z[i]] = anc[z[i]] = true;
    /* phase 1: Z and its ancestors (parents come before children) */
    for (int64_t i = n - 1; i >= 0; i--)
        if (anc[i])
            for (int64_t q = 0; q < net->v[i].npar; q++) anc[net->v[i].par[q]] = true;
    /* phase 2: trails from X, as (node, direction) pairs; up = arrived from a
       child, down = arrived from a parent */
    bool *vis = lm_calloc((size_t)(2 * n), sizeof *vis), *reach = lm_calloc((size_t)n, sizeof *reach);
    int64_t *stack = lm_alloc((size_t)(2 * n + 1) * sizeof *stack);
    int64_t sp = 0;
#define PUSH(item)                      \
    do {                                \
        int64_t it_ = (item);           \
        if (!vis[it_]) {                \
            vis[it_] = true;            \
            stack[sp++] = it_;          \
        }                               \
    } while (0)
    for (int64_t i = 0; i < nx; i++) PUSH(2 * x[i]); /* (x, up) */
    while (sp) {
        int64_t item = stack[--sp], v = item / 2;
        bool up = item % 2 == 0;
        if (!inz[v]) reach[v] = true;
        if (up && !inz[v]) {
            for (int64_t q = 0; q < net->v[v].npar; q++) PUSH(2 * net->v[v].par[q]);
            for (int64_t c = v + 1; c < n; c++)
                for (int64_t q = 0; q < net->v[c].npar; q++)
                    if (net->v[c].par[q] == v) PUSH(2 * c + 1);
        } else if (!up) {
            if (!inz[v])
                for (int64_t c = v + 1; c < n; c++)
                    for (int64_t q = 0; q < net->v[c].npar; q++)
                        if (net->v[c].par[q] == v) PUSH(2 * c + 1);
            if (anc[v]) /* a collider that is in Z or has a descendant in Z opens */
                for (int64_t q = 0; q < net->v[v].npar; q++) PUSH(2 * net->v[v].par[q]);
        }
    }
#undef PUSH
    bool sep = true;
    for (int64_t i = 0; i < ny; i++)
        if (reach[y[i]]) sep = false;
    lm_free(inz);
    lm_free(anc);
    lm_free(vis);
    lm_free(reach);
    lm_free(stack);
    return sep;
}

/* ---- the joint table ---- */

lm_tensor *lm_bnet_joint(const lm_bnet *net, lm_err *err) {
    int64_t n = net->n, rows = 1;
    if (n == 0) {
        lm_err_set(err, LM_ERR_DOMAIN, "joint: the network has no nodes yet");
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) {
        if (rows > BNET_MAX_TABLE / net->v[i].k) {
            lm_err_set(err, LM_ERR_LIMIT, "joint: the joint table would have more than 2^20 rows");
            return NULL;
        }
        rows *= net->v[i].k;
    }
    lm_tensor *t = lm_tensor_matrix(rows, n + 1, err);
    if (!t) return NULL;
    int64_t *st = lm_calloc((size_t)n, sizeof *st);
    for (int64_t r = 0; r < rows; r++) {
        long double p = 1;
        for (int64_t i = 0; i < n; i++) {
            const bnode *b = &net->v[i];
            int64_t row = 0;
            for (int64_t q = 0; q < b->npar; q++) row = row * net->v[b->par[q]].k + st[b->par[q]];
            p *= b->cpt[row * b->k + st[i]];
            t->data[r * (n + 1) + i] = (double)(b->binary ? st[i] : st[i] + 1);
        }
        t->data[r * (n + 1) + n] = (double)p;
        for (int64_t i = n - 1; i >= 0; i--) {
            if (++st[i] < net->v[i].k) break;
            st[i] = 0;
        }
    }
    lm_free(st);
    return t;
}
