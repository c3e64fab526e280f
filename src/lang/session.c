/* Sessions (one workspace and one engine context each) and the builtin registry:
 * a name-sorted index over every module's table, built once, read-only after. */
#include "lang/lang_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

lm_session *lm_session_new(void) {
    lm_session *s = lm_calloc(1, sizeof *s);
    s->ctx = lm_ctx_new();
    lm_scope_init(&s->globals);
    s->digits = 5;
    return s;
}

void lm_session_free(lm_session *s) {
    if (!s) return;
    /* values may hold expression nodes: drop them before the symbol table */
    lm_scope_free(&s->globals);
    lm_ctx_free(s->ctx);
    lm_free(s);
}

lm_ctx *lm_session_ctx(lm_session *s) { return s->ctx; }

void lm_session_set_limits(lm_session *s, uint64_t max_steps, double seconds) {
    s->max_steps = max_steps;
    s->time_limit = seconds > 0 ? seconds : 0;
}

void lm_session_set_sandbox(lm_session *s, bool on) { s->sandbox = on; }

bool lm_session_sandboxed(const lm_session *s) { return s->sandbox; }

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char **lm_session_names(lm_session *s, size_t *n) {
    char **names = lm_alloc((s->globals.live ? s->globals.live : 1) * sizeof *names);
    size_t k = 0;
    for (size_t i = 0; i < s->globals.cap; i++)
        if (s->globals.v[i].name) names[k++] = lm_strdup(s->globals.v[i].name);
    qsort(names, k, sizeof *names, cmp_str);
    *n = k;
    return names;
}

lm_value lm_session_get(lm_session *s, const char *name) {
    lm_value *v = lm_scope_lookup(&s->globals, name);
    return v ? *v : lm_nil();
}

void lm_session_set(lm_session *s, const char *name, lm_value v) { lm_scope_set(&s->globals, name, lm_retain(v)); }

/* ---- builtin registry ---- */

static const lm_builtin *const tables[] = {lm_builtins_core, lm_builtins_math, lm_builtins_linalg, lm_builtins_sym,
                                             lm_builtins_exact, lm_builtins_calc, lm_builtins_prob,
                                             lm_builtins_info, lm_builtins_opt, lm_builtins_plot,
                                             lm_builtins_stats, lm_builtins_ad, lm_builtins_check};
static const lm_explainer *const explainer_tables[] = {lm_explain_linalg, lm_explain_sym, lm_explain_stats,
                                                       lm_explain_ad};

static const lm_builtin **sorted;
static size_t nsorted;
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int cmp_builtin(const void *a, const void *b) {
    return strcmp((*(const lm_builtin *const *)a)->name, (*(const lm_builtin *const *)b)->name);
}

/* Built once per process and never written again: a constant in all but name. */
static void build_index(void) {
    size_t n = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const lm_builtin *b = tables[t]; b->name; b++) n++;
    sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) lm_oom();
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const lm_builtin *b = tables[t]; b->name; b++) sorted[nsorted++] = b;
    qsort(sorted, nsorted, sizeof *sorted, cmp_builtin);
}

const lm_builtin *lm_builtin_find(const char *name) {
    pthread_once(&sorted_once, build_index);
    size_t lo = 0, hi = nsorted;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, sorted[mid]->name);
        if (c == 0) return sorted[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

const lm_builtin *const *lm_builtin_all(size_t *n) {
    pthread_once(&sorted_once, build_index);
    *n = nsorted;
    return sorted;
}

const lm_explainer *lm_explainer_find(const char *name) {
    for (size_t t = 0; t < sizeof explainer_tables / sizeof explainer_tables[0]; t++)
        for (const lm_explainer *x = explainer_tables[t]; x->name; x++)
            if (!strcmp(x->name, name)) return x;
    return NULL;
}

char *lm_explainer_list(void) {
    const char *names[64];
    size_t n = 0;
    for (size_t t = 0; t < sizeof explainer_tables / sizeof explainer_tables[0]; t++)
        for (const lm_explainer *x = explainer_tables[t]; x->name && n < 64; x++) names[n++] = x->name;
    qsort(names, n, sizeof *names, cmp_str);
    lm_buf b = LM_BUF_INIT;
    for (size_t i = 0; i < n; i++) lm_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    return lm_buf_steal(&b);
}

/* lm_edit_distance as an int: names past 32 bytes are never close */
static int edit_distance(const char *a, const char *b) {
    if (strlen(a) > 32 || strlen(b) > 32) return 99;
    return (int)lm_edit_distance(a, b);
}

/* Names a learner brings from elsewhere (school notation, NumPy, SymPy, R,
 * Python) for which lemma has a function under another name, or a way of its
 * own: said in a sentence, since the nearest spelling would mislead ('ln' is
 * one letter from 'lm', linear regression). */
static const struct {
    const char *name, *hint;
} name_hints[] = {
    {"E", "the expected value of a distribution D is mean(D); of values x with probabilities p, expect(x, p)"},
    {"Expectation", "the expected value of a distribution D is mean(D); of values x with probabilities p, expect(x, p)"},
    {"Var", "the variance of a distribution D is var(D), and of data var(v)"},
    {"arange", "a:b and a:step:b make a range, and linspace(a, b, n) makes n evenly spaced points"},
    {"binom", "the binomial coefficient is nchoosek(n, k); Binomial(n, p) is the distribution"},
    {"binomial", "the binomial coefficient is nchoosek(n, k); Binomial(n, p) is the distribution"},
    {"choose", "the binomial coefficient is nchoosek(n, k)"},
    {"comb", "the binomial coefficient is nchoosek(n, k)"},
    {"expectation", "the expected value of a distribution D is mean(D); of values x with probabilities p, expect(x, p)"},
    {"int", "integral(e, x, a, b) is the definite integral, computed numerically (lemma has no antiderivatives)"},
    {"integrate", "integral(e, x, a, b) is the definite integral, computed numerically (lemma has no antiderivatives)"},
    {"ln", "the natural logarithm is log(x) in lemma (log2(x) and log10(x) for bases 2 and 10)"},
    {"matmul", "A * B is the matrix product (A .* B multiplies entry by entry)"},
    {"print", "disp(x) shows a value, and printf(\"%g\\n\", x) formats it"},
    {"roots", "solve(p == 0, x) finds the roots of a polynomial p in x"},
    {"sd", "the standard deviation is std(v) (std(D) for a distribution)"},
    {"stdev", "the standard deviation is std(v) (std(D) for a distribution)"},
};

const char *lm_name_hint(const char *name) {
    for (size_t i = 0; i < sizeof name_hints / sizeof name_hints[0]; i++)
        if (!strcmp(name_hints[i].name, name)) return name_hints[i].hint;
    return NULL;
}

const char *lm_name_hint_at(size_t i, const char **name) {
    if (i >= sizeof name_hints / sizeof name_hints[0]) return NULL;
    *name = name_hints[i].name;
    return name_hints[i].hint;
}

const char *lm_suggest_name(lm_session *s, const char *name) {
    size_t n;
    const lm_builtin *const *all = lm_builtin_all(&n);
    const char *best = NULL;
    int best_d = strlen(name) <= 3 ? 1 : 2;
    best_d++;
    for (size_t i = 0; i < n; i++) {
        int d = edit_distance(name, all[i]->name);
        /* "sine" → "sin": a known name that the typed one starts with counts as close */
        if (strncmp(name, all[i]->name, strlen(all[i]->name)) == 0 && strlen(all[i]->name) >= 3) d = 1;
        /* a distance as long as the name means nothing in common ('x' is not a typo of 'P') */
        if (d >= (int)strlen(name)) continue;
        if (d < best_d) {
            best_d = d;
            best = all[i]->name;
        }
    }
    for (size_t i = 0; i < s->globals.cap; i++) {
        var_entry *e = &s->globals.v[i];
        if (!e->name || e->value.kind != LM_FUNC) continue;
        int d = edit_distance(name, e->name);
        if (d < best_d) {
            best_d = d;
            best = e->name;
        }
    }
    return best;
}
