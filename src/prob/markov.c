/* Markov chains and hidden Markov models. A chain validates its transition
 * matrix, classifies its states once (communicating classes by Tarjan's
 * algorithm, closed classes, periods by breadth-first levels), and answers
 * the stationary distribution, absorption probabilities and expected steps,
 * and simulated paths; an HMM runs the forward algorithm and Viterbi. */
#include "prob/st_int.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- printing ---- */

/* A row-major r×c matrix of numbers, right-aligned, indented. */
static void matrix_text(lm_buf *out, const double *a, int64_t r, int64_t c, int digits, const char *indent) {
    int w = 1;
    char s[40];
    for (int64_t i = 0; i < r * c; i++) {
        lm_st_fmt(s, a[i], digits);
        if ((int)strlen(s) > w) w = (int)strlen(s);
    }
    for (int64_t i = 0; i < r; i++) {
        lm_buf_puts(out, indent);
        for (int64_t j = 0; j < c; j++) {
            lm_st_fmt(s, a[i * c + j], digits);
            lm_buf_printf(out, "%s%*s", j ? "  " : "", w, s);
        }
        lm_buf_putc(out, '\n');
    }
}

/* "{1, 2, 3}" for the states of class k */
static void class_text(const lm_markov *m, int64_t k, lm_buf *out) {
    lm_buf_putc(out, '{');
    bool first = true;
    for (int64_t i = 0; i < m->n; i++)
        if (m->cls[i] == k) {
            lm_buf_printf(out, "%s%lld", first ? "" : ", ", (long long)i + 1);
            first = false;
        }
    lm_buf_putc(out, '}');
}

static void markov_free(lm_obj *o) {
    lm_markov *m = (lm_markov *)o;
    lm_free(m->T);
    lm_free(m->cls);
    lm_free(m->closed);
    lm_free(m->period);
    lm_free(m);
}

static void markov_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_markov *m = (const lm_markov *)o;
    lm_buf_printf(out, "Markov chain with %lld state%s\n", (long long)m->n, m->n == 1 ? "" : "s");
    lm_buf_puts(out, "  transition matrix T (row i: the probabilities of going from state i to each state):\n");
    matrix_text(out, m->T, m->n, m->n, digits, "    ");
    if (m->nclasses == 1) {
        int64_t p = m->period[0];
        if (p == 1) lm_buf_puts(out, "  irreducible (every state reaches every other) and aperiodic");
        else lm_buf_printf(out, "  irreducible (every state reaches every other), periodic with period %lld", (long long)p);
    } else {
        lm_buf_printf(out, "  %lld communicating classes:", (long long)m->nclasses);
        for (int64_t k = 0; k < m->nclasses; k++) {
            lm_buf_puts(out, k ? "; " : " ");
            class_text(m, k, out);
            if (m->closed[k]) lm_buf_printf(out, " closed (recurrent), period %lld", (long long)m->period[k]);
            else lm_buf_puts(out, " transient");
        }
    }
    bool any = false;
    for (int64_t i = 0; i < m->n; i++)
        if (m->T[i * m->n + i] == 1) {
            lm_buf_printf(out, "%s%lld", any ? ", " : "\n  absorbing states: ", (long long)i + 1);
            any = true;
        }
}

const lm_objtype lm_markov_type = {"markov chain", markov_free, markov_text, NULL};

/* ---- validation shared with HMMs ---- */

/* Each row of a (r×c, row-major) is a probability distribution; `what` names
 * the matrix and `rowword` what a row is, for the message. */
static lm_status check_stochastic(const char *fn, const char *what, const char *rowword, const double *a, int64_t r,
                                  int64_t c, lm_err *err) {
    for (int64_t i = 0; i < r; i++) {
        long double s = 0;
        for (int64_t j = 0; j < c; j++) {
            double v = a[i * c + j];
            if (!(v >= 0 && v <= 1)) {
                if (r == 1)
                    return lm_err_set(err, LM_ERR_DOMAIN, "%s: entry %lld of %s is %g, not a probability between 0 and 1",
                                      fn, (long long)j + 1, what, v);
                return lm_err_set(err, LM_ERR_DOMAIN,
                                  "%s: entry (%lld, %lld) of %s is %g, not a probability between 0 and 1", fn,
                                  (long long)i + 1, (long long)j + 1, what, v);
            }
            s += v;
        }
        if (fabsl(s - 1) > LM_ST_SUM_TOL * (double)(c > 1 ? c : 1)) {
            if (r == 1) return lm_err_set(err, LM_ERR_DOMAIN, "%s: %s sums to %.10g, not 1: %s", fn, what, (double)s, rowword);
            return lm_err_set(err, LM_ERR_DOMAIN, "%s: row %lld of %s sums to %.10g, not 1: %s", fn, (long long)i + 1,
                              what, (double)s, rowword);
        }
    }
    return LM_OK;
}

/* ---- classification ---- */

/* Strongly connected components of the graph i -> j when T(i, j) > 0, by
 * Tarjan's algorithm with an explicit stack (no recursion on user sizes).
 * comp[i] receives a component id; returns the number of components. */
static int64_t tarjan(const double *T, int64_t n, int64_t *comp) {
    int64_t *index = lm_alloc((size_t)n * sizeof *index), *low = lm_alloc((size_t)n * sizeof *low);
    int64_t *stack = lm_alloc((size_t)n * sizeof *stack), *call = lm_alloc((size_t)n * sizeof *call);
    int64_t *next = lm_alloc((size_t)n * sizeof *next);
    bool *on = lm_calloc((size_t)n, sizeof *on);
    for (int64_t i = 0; i < n; i++) index[i] = -1;
    int64_t counter = 0, sp = 0, ncomp = 0;
    for (int64_t root = 0; root < n; root++) {
        if (index[root] >= 0) continue;
        int64_t cp = 0;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        next[root] = 0;
        stack[sp++] = root;
        on[root] = true;
        while (cp) {
            int64_t v = call[cp - 1];
            if (next[v] < n) {
                int64_t w = next[v]++;
                if (T[v * n + w] <= 0) continue;
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    next[w] = 0;
                    stack[sp++] = w;
                    on[w] = true;
                    call[cp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (cp && low[v] < low[call[cp - 1]]) low[call[cp - 1]] = low[v];
            if (low[v] == index[v]) {
                int64_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
        }
    }
    lm_free(index);
    lm_free(low);
    lm_free(stack);
    lm_free(call);
    lm_free(next);
    lm_free(on);
    return ncomp;
}

/* Period of class k: breadth-first levels from its first state; the period is
 * the gcd of level(u) + 1 - level(v) over the edges u -> v inside the class. */
static int64_t class_period(const double *T, int64_t n, const int64_t *cls, int64_t k) {
    int64_t *lvl = lm_alloc((size_t)n * sizeof *lvl), *queue = lm_alloc((size_t)n * sizeof *queue);
    for (int64_t i = 0; i < n; i++) lvl[i] = -1;
    int64_t root = 0;
    while (cls[root] != k) root++;
    int64_t qh = 0, qt = 0, g = 0;
    lvl[root] = 0;
    queue[qt++] = root;
    while (qh < qt) {
        int64_t u = queue[qh++];
        for (int64_t v = 0; v < n; v++) {
            if (T[u * n + v] <= 0 || cls[v] != k) continue;
            if (lvl[v] < 0) {
                lvl[v] = lvl[u] + 1;
                queue[qt++] = v;
            } else {
                g = lm_gcd64(g, lvl[u] + 1 - lvl[v]);
            }
        }
    }
    lm_free(lvl);
    lm_free(queue);
    return g ? g : 1; /* a class of one state without a self-loop: no cycle, call it 1 */
}

lm_markov *lm_markov_new(const double *T, int64_t n, lm_err *err) {
    if (n < 1) {
        lm_err_set(err, LM_ERR_SHAPE, "markov: the transition matrix needs at least one state");
        return NULL;
    }
    if (check_stochastic("markov", "the transition matrix", "each row lists the probabilities of moving from one state to every state, so it must sum to 1",
                         T, n, n, err))
        return NULL;
    lm_markov *m = lm_calloc(1, sizeof *m);
    lm_obj_init(&m->hdr, LM_OBJECT, &lm_markov_type);
    m->n = n;
    m->T = lm_alloc((size_t)(n * n) * sizeof *m->T);
    memcpy(m->T, T, (size_t)(n * n) * sizeof *T);
    int64_t *comp = lm_alloc((size_t)n * sizeof *comp);
    int64_t nc = tarjan(T, n, comp);
    /* renumber the classes in order of their first state */
    int64_t *map = lm_alloc((size_t)nc * sizeof *map);
    for (int64_t k = 0; k < nc; k++) map[k] = -1;
    m->cls = lm_alloc((size_t)n * sizeof *m->cls);
    int64_t next = 0;
    for (int64_t i = 0; i < n; i++) {
        if (map[comp[i]] < 0) map[comp[i]] = next++;
        m->cls[i] = map[comp[i]];
    }
    m->nclasses = nc;
    m->closed = lm_alloc((size_t)nc * sizeof *m->closed);
    m->period = lm_alloc((size_t)nc * sizeof *m->period);
    for (int64_t k = 0; k < nc; k++) m->closed[k] = true;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++)
            if (T[i * n + j] > 0 && m->cls[i] != m->cls[j]) m->closed[m->cls[i]] = false;
    for (int64_t k = 0; k < nc; k++) m->period[k] = class_period(T, n, m->cls, k);
    lm_free(comp);
    lm_free(map);
    return m;
}

bool lm_markov_irreducible(const lm_markov *m) { return m->nclasses == 1; }

int64_t lm_markov_period(const lm_markov *m) { return m->nclasses == 1 ? m->period[0] : 0; }

/* ---- stationary distribution ---- */

lm_status lm_markov_stationary(lm_ctx *ctx, const lm_markov *m, double *pi, lm_err *err) {
    int64_t n = m->n, nclosed = 0;
    for (int64_t k = 0; k < m->nclasses; k++) nclosed += m->closed[k];
    if (nclosed > 1) {
        lm_buf b = LM_BUF_INIT;
        for (int64_t k = 0, q = 0; k < m->nclasses; k++)
            if (m->closed[k]) {
                if (q++) lm_buf_puts(&b, ", ");
                class_text(m, k, &b);
            }
        lm_err_set(err, LM_ERR_DOMAIN,
                   "stationary: the chain has %lld closed classes (%s), and each has its own stationary distribution, "
                   "so there is no single one; where the chain settles depends on where it starts",
                   (long long)nclosed, lm_buf_cstr(&b));
        lm_buf_free(&b);
        return LM_ERR_DOMAIN;
    }
    if (n > 46340) return lm_err_set(err, LM_ERR_LIMIT, "stationary: the chain is too large");
    /* π T = π  ⇔  Tᵀ πᵀ = πᵀ: the eigenvector of Tᵀ for the eigenvalue nearest 1 */
    lapack_int N = (lapack_int)n;
    double *a = lm_alloc_big((size_t)(n * n) * sizeof *a), *vr = lm_alloc_big((size_t)(n * n) * sizeof *vr);
    double *wr = lm_alloc((size_t)n * sizeof *wr), *wi = lm_alloc((size_t)n * sizeof *wi);
    double *p = lm_alloc((size_t)n * sizeof *p), *q = lm_alloc((size_t)n * sizeof *q);
    lm_status st = LM_OK;
    if (!a || !vr) {
        st = lm_err_set(err, LM_ERR_LIMIT, "stationary: not enough memory for a %lld-state chain", (long long)n);
        goto out;
    }
    /* row-major T is column-major Tᵀ */
    memcpy(a, m->T, (size_t)(n * n) * sizeof *a);
    if (LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'V', N, a, N, wr, wi, NULL, 1, vr, N)) {
        st = lm_err_set(err, LM_ERR_CONVERGENCE, "stationary: the eigenvalue iteration (dgeev) did not converge");
        goto out;
    }
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++)
        if (hypot(wr[i] - 1, wi[i]) < hypot(wr[best] - 1, wi[best])) best = i;
    long double s = 0;
    for (int64_t i = 0; i < n; i++) s += vr[best * n + i];
    for (int64_t i = 0; i < n; i++) {
        pi[i] = (double)(vr[best * n + i] / s);
        if (pi[i] < 0 && pi[i] > -1e-12) pi[i] = 0; /* rounding around a transient state's 0 */
    }
    /* the residual ‖π T - π‖∞ says whether the eigenvector is one */
    double res = 0;
    for (int64_t j = 0; j < n; j++) {
        long double v = 0;
        for (int64_t i = 0; i < n; i++) v += (long double)pi[i] * m->T[i * n + j];
        res = fmax(res, fabs((double)(v - pi[j])));
    }
    if (!(res < 1e-9)) {
        st = lm_err_set(err, LM_ERR_CONVERGENCE,
                        "stationary: the eigenvector found does not satisfy π T = π (residual %.3g)", res);
        goto out;
    }
    /* Check against power iteration on the lazy chain (I + T)/2: the same π,
     * and it converges even when T is periodic. Bounded work; when it has not
     * settled, the residual above stands on its own. */
    for (int64_t i = 0; i < n; i++) p[i] = 1.0 / (double)n;
    int64_t budget = 200000000 / (n * n) + 1;
    if (budget > 100000) budget = 100000;
    double change = INFINITY;
    for (int64_t it = 0; it < budget && change > 1e-15; it++) {
        for (int64_t j = 0; j < n; j++) {
            long double v = 0;
            for (int64_t i = 0; i < n; i++) v += (long double)p[i] * m->T[i * n + j];
            q[j] = (double)(0.5L * (v + p[j]));
        }
        change = 0;
        for (int64_t j = 0; j < n; j++) {
            change = fmax(change, fabs(q[j] - p[j]));
            p[j] = q[j];
        }
    }
    if (change <= 1e-15) {
        double diff = 0;
        for (int64_t j = 0; j < n; j++) diff = fmax(diff, fabs(p[j] - pi[j]));
        if (diff > 1e-8 && ctx)
            lm_warn(ctx, "stationary: power iteration and the eigenvector differ by %.3g; the chain may be nearly reducible",
                    diff);
    }
out:
    lm_free(a);
    lm_free(vr);
    lm_free(wr);
    lm_free(wi);
    lm_free(p);
    lm_free(q);
    return st;
}

/* ---- absorption ---- */

lm_status lm_markov_absorption(const lm_markov *m, double **Bout, double **tout, int64_t **trans, int64_t *ntp,
                               int64_t **absb, int64_t *nap, lm_err *err) {
    int64_t n = m->n, na = 0, nt = 0;
    int64_t *ab = lm_alloc((size_t)n * sizeof *ab), *tr = lm_alloc((size_t)n * sizeof *tr);
    for (int64_t i = 0; i < n; i++) {
        if (m->T[i * n + i] == 1) ab[na++] = i;
        else tr[nt++] = i;
    }
    lm_status st = LM_OK;
    double *A = NULL, *rhs = NULL;
    bool *reach = NULL;
    if (na == 0) {
        st = lm_err_set(err, LM_ERR_DOMAIN,
                        "absorption: the chain has no absorbing state (a state i with T(i, i) = 1), so nothing is absorbed");
        goto fail;
    }
    /* every other state must be able to reach an absorbing one, or I - Q is singular */
    reach = lm_calloc((size_t)n, sizeof *reach);
    for (int64_t q = 0; q < na; q++) reach[ab[q]] = true;
    for (bool grew = true; grew;) {
        grew = false;
        for (int64_t i = 0; i < n; i++)
            if (!reach[i])
                for (int64_t j = 0; j < n; j++)
                    if (reach[j] && m->T[i * n + j] > 0) {
                        reach[i] = grew = true;
                        break;
                    }
    }
    for (int64_t i = 0; i < n; i++)
        if (!reach[i] && m->closed[m->cls[i]]) {
            /* a state that cannot reach absorption ends in a closed class like this one */
            lm_buf b = LM_BUF_INIT;
            class_text(m, m->cls[i], &b);
            st = lm_err_set(err, LM_ERR_DOMAIN,
                            "absorption: the states %s form a closed class without an absorbing state: a chain that "
                            "enters it never leaves and is never absorbed, so absorption is not certain",
                            lm_buf_cstr(&b));
            lm_buf_free(&b);
            goto fail;
        }
    /* (I - Q) [B t] = [R 1], Q the transient block, R transient -> absorbing */
    if (nt > 0) {
        A = lm_alloc_big((size_t)(nt * nt) * sizeof *A);
        rhs = lm_alloc_big((size_t)(nt * (na + 1)) * sizeof *rhs);
        lapack_int *piv = lm_alloc((size_t)nt * sizeof *piv);
        if (!A || !rhs) {
            lm_free(piv);
            st = lm_err_set(err, LM_ERR_LIMIT, "absorption: the chain is too large");
            goto fail;
        }
        for (int64_t i = 0; i < nt; i++) {
            for (int64_t j = 0; j < nt; j++) A[i * nt + j] = (i == j) - m->T[tr[i] * n + tr[j]];
            for (int64_t q = 0; q < na; q++) rhs[i * (na + 1) + q] = m->T[tr[i] * n + ab[q]];
            rhs[i * (na + 1) + na] = 1;
        }
        lapack_int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, (lapack_int)nt, (lapack_int)(na + 1), A, (lapack_int)nt, piv, rhs,
                                        (lapack_int)(na + 1));
        lm_free(piv);
        if (info) {
            st = lm_err_set(err, LM_ERR_SINGULAR, "absorption: I - Q is singular, so the fundamental matrix does not exist");
            goto fail;
        }
    }
    double *B = lm_alloc((size_t)(nt * na + 1) * sizeof *B), *t = lm_alloc((size_t)(nt + 1) * sizeof *t);
    for (int64_t i = 0; i < nt; i++) {
        for (int64_t q = 0; q < na; q++) B[i * na + q] = rhs[i * (na + 1) + q];
        t[i] = rhs[i * (na + 1) + na];
    }
    *Bout = B;
    *tout = t;
    *trans = tr;
    *ntp = nt;
    *absb = ab;
    *nap = na;
    lm_free(A);
    lm_free(rhs);
    lm_free(reach);
    return LM_OK;
fail:
    lm_free(A);
    lm_free(rhs);
    lm_free(reach);
    lm_free(ab);
    lm_free(tr);
    return st;
}

/* ---- simulation ---- */

void lm_markov_simulate(const lm_markov *m, int64_t start, int64_t steps, lm_rng *rng, int64_t *path) {
    int64_t n = m->n, s = start;
    path[0] = s;
    for (int64_t t = 1; t <= steps; t++) {
        /* inverse-cdf draw along row s; the last state with positive
           probability takes what rounding leaves at the top */
        double u = lm_rng_uniform(rng), c = 0;
        const double *row = m->T + s * n;
        int64_t next = -1;
        for (int64_t j = 0; j < n; j++) {
            if (row[j] <= 0) continue;
            c += row[j];
            next = j;
            if (u < c) break;
        }
        s = next;
        path[t] = s;
    }
}

/* ---- hidden Markov models ---- */

static void hmm_free(lm_obj *o) {
    lm_hmm *h = (lm_hmm *)o;
    lm_free(h->A);
    lm_free(h->B);
    lm_free(h->p0);
    lm_free(h);
}

static void hmm_text(const lm_obj *o, lm_buf *out, int digits) {
    const lm_hmm *h = (const lm_hmm *)o;
    lm_buf_printf(out, "Hidden Markov model: %lld hidden state%s, %lld observation symbol%s\n", (long long)h->n,
                  h->n == 1 ? "" : "s", (long long)h->m, h->m == 1 ? "" : "s");
    lm_buf_puts(out, "  transitions A (row i: the next hidden state from state i):\n");
    matrix_text(out, h->A, h->n, h->n, digits, "    ");
    lm_buf_puts(out, "  emissions B (row i: the symbol seen in state i):\n");
    matrix_text(out, h->B, h->n, h->m, digits, "    ");
    lm_buf_puts(out, "  initial distribution p0:\n");
    lm_buf b = LM_BUF_INIT;
    matrix_text(&b, h->p0, 1, h->n, digits, "    ");
    if (b.len) b.s[--b.len] = '\0'; /* no newline after the last line */
    lm_buf_puts(out, lm_buf_cstr(&b));
    lm_buf_free(&b);
}

const lm_objtype lm_hmm_type = {"hidden Markov model", hmm_free, hmm_text, NULL};

lm_hmm *lm_hmm_new(const double *A, int64_t n, const double *B, int64_t m, const double *p0, lm_err *err) {
    if (n < 1 || m < 1) {
        lm_err_set(err, LM_ERR_SHAPE, "hmm: the model needs at least one hidden state and one observation symbol");
        return NULL;
    }
    if (check_stochastic("hmm", "the transition matrix A", "each row lists the probabilities of the next hidden state", A,
                         n, n, err) ||
        check_stochastic("hmm", "the emission matrix B", "each row lists the probabilities of the symbols seen in one state",
                         B, n, m, err) ||
        check_stochastic("hmm", "the initial distribution p0", "p0 lists the probability of starting in each state", p0, 1,
                         n, err))
        return NULL;
    lm_hmm *h = lm_calloc(1, sizeof *h);
    lm_obj_init(&h->hdr, LM_OBJECT, &lm_hmm_type);
    h->n = n;
    h->m = m;
    h->A = lm_alloc((size_t)(n * n) * sizeof *h->A);
    h->B = lm_alloc((size_t)(n * m) * sizeof *h->B);
    h->p0 = lm_alloc((size_t)n * sizeof *h->p0);
    memcpy(h->A, A, (size_t)(n * n) * sizeof *A);
    memcpy(h->B, B, (size_t)(n * m) * sizeof *B);
    memcpy(h->p0, p0, (size_t)n * sizeof *p0);
    return h;
}

static lm_status check_obs(const char *fn, const lm_hmm *h, const int64_t *obs, int64_t len, lm_err *err) {
    if (len < 1) return lm_err_set(err, LM_ERR_SHAPE, "%s: give at least one observation", fn);
    for (int64_t t = 0; t < len; t++)
        if (obs[t] < 0 || obs[t] >= h->m)
            return lm_err_set(err, LM_ERR_DOMAIN, "%s: observation %lld is symbol %lld, but the model has symbols 1 to %lld", fn,
                              (long long)t + 1, (long long)obs[t] + 1, (long long)h->m);
    return LM_OK;
}

lm_status lm_hmm_forward(const lm_hmm *h, const int64_t *obs, int64_t len, double *alpha, double *logp, lm_err *err) {
    if (check_obs("forward", h, obs, len, err)) return err->kind;
    int64_t n = h->n;
    double *a = lm_alloc((size_t)n * sizeof *a), *b = lm_alloc((size_t)n * sizeof *b);
    long double lp = 0;
    /* scaled forward pass: â_t = α_t / P(o_1..o_t), log P accumulates log c_t */
    for (int64_t i = 0; i < n; i++) a[i] = h->p0[i] * h->B[i * h->m + obs[0]];
    for (int64_t t = 0; t < len; t++) {
        if (t > 0)
            for (int64_t j = 0; j < n; j++) {
                long double s = 0;
                for (int64_t i = 0; i < n; i++) s += (long double)a[i] * h->A[i * n + j];
                b[j] = (double)s * h->B[j * h->m + obs[t]];
            }
        else memcpy(b, a, (size_t)n * sizeof *b);
        long double c = 0;
        for (int64_t j = 0; j < n; j++) c += b[j];
        if (c == 0) {
            /* an impossible observation: P = 0 from here on */
            lp = -INFINITY;
            if (alpha)
                for (int64_t q = t * n; q < len * n; q++) alpha[q] = 0;
            break;
        }
        lp += logl(c);
        for (int64_t j = 0; j < n; j++) {
            a[j] = (double)(b[j] / c);
            if (alpha) alpha[t * n + j] = (double)(a[j] * expl(lp));
        }
    }
    *logp = (double)lp;
    lm_free(a);
    lm_free(b);
    return LM_OK;
}

lm_status lm_hmm_viterbi(const lm_hmm *h, const int64_t *obs, int64_t len, int64_t *path, double *logp, lm_err *err) {
    if (check_obs("viterbi", h, obs, len, err)) return err->kind;
    int64_t n = h->n;
    double *d = lm_alloc((size_t)n * sizeof *d), *e = lm_alloc((size_t)n * sizeof *e);
    int64_t *bp = lm_alloc_big((size_t)(len * n) * sizeof *bp);
    if (!bp) {
        lm_free(d);
        lm_free(e);
        return lm_err_set(err, LM_ERR_LIMIT, "viterbi: the observation sequence is too long");
    }
    /* δ_t(j) = max_i δ_{t-1}(i) + log A(i, j), + log B(j, o_t); ties go to the
       smaller state, so the path is reproducible */
    for (int64_t i = 0; i < n; i++) d[i] = log(h->p0[i]) + log(h->B[i * h->m + obs[0]]);
    for (int64_t t = 1; t < len; t++) {
        for (int64_t j = 0; j < n; j++) {
            double best = -INFINITY;
            int64_t arg = 0;
            for (int64_t i = 0; i < n; i++) {
                double v = d[i] + log(h->A[i * n + j]);
                if (v > best) {
                    best = v;
                    arg = i;
                }
            }
            e[j] = best + log(h->B[j * h->m + obs[t]]);
            bp[t * n + j] = arg;
        }
        memcpy(d, e, (size_t)n * sizeof *d);
    }
    int64_t last = 0;
    for (int64_t i = 1; i < n; i++)
        if (d[i] > d[last]) last = i;
    lm_status st = LM_OK;
    if (d[last] == -INFINITY) {
        st = lm_err_set(err, LM_ERR_DOMAIN,
                        "viterbi: these observations have probability 0 under the model, so no hidden path explains them");
    } else {
        *logp = d[last];
        path[len - 1] = last;
        for (int64_t t = len - 1; t > 0; t--) path[t - 1] = bp[t * n + path[t]];
    }
    lm_free(d);
    lm_free(e);
    lm_free(bp);
    return st;
}
