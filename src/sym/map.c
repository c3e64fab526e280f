/* A map from node pointers to small values (open addressing, linear probing),
 * for walks that must visit each shared subtree once: is_number, to_double,
 * and later the memo tables of diff and simplify. */
#include "sym_int.h"

static size_t slot_of(const lm_expr *k, size_t cap) {
    /* nodes carry a well-mixed hash already */
    return (size_t)(k->hash ^ (k->hash >> 29)) & (cap - 1);
}

bool lm_xmap_get(const lm_xmap *m, const lm_expr *k, lm_xval *v) {
    if (m->cap == 0) return false;
    for (size_t i = slot_of(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i]) return false;
        if (m->keys[i] == k) {
            *v = m->vals[i];
            return true;
        }
    }
}

static void xmap_insert(lm_xmap *m, const lm_expr *k, lm_xval v) {
    size_t i = slot_of(k, m->cap);
    while (m->keys[i] && m->keys[i] != k) i = (i + 1) & (m->cap - 1);
    if (!m->keys[i]) m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
}

void lm_xmap_put(lm_xmap *m, const lm_expr *k, lm_xval v) {
    if ((m->n + 1) * 2 > m->cap) { /* keep the load under one half */
        lm_xmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 64;
        m->keys = lm_calloc(m->cap, sizeof *m->keys);
        m->vals = lm_calloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) xmap_insert(m, old.keys[i], old.vals[i]);
        lm_free(old.keys);
        lm_free(old.vals);
    }
    xmap_insert(m, k, v);
}

void lm_xmap_free(lm_xmap *m) {
    lm_free(m->keys);
    lm_free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}
