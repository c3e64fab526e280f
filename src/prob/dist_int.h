/* Internals shared by the distribution files of src/prob: the family tables,
 * the allocation helper, and the bridge that lets GSL's samplers draw from the
 * session's lm_rng. Nothing here is public (see include/lemma/prob.h). */
#ifndef LEMMA_DIST_INT_H
#define LEMMA_DIST_INT_H

#include "lemma/prob.h"

/* R's standalone math library: the same code as R's p*, q*, d* functions. */
#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#include <gsl/gsl_rng.h>

/* The ops table of each family (dist_cont.c, dist_disc.c, dist_multi.c). */
#define X(e, name, np, disc) LM_INTERNAL extern const lm_dist_ops lm_dist_ops_##e;
LM_DIST_LIST(X)
#undef X

/* A fresh distribution with refcount 1, the ops set and everything else zero. */
LM_INTERNAL lm_dist *lm_dist_alloc(const lm_dist_ops *ops);
LM_INTERNAL extern const lm_objtype lm_dist_objtype;

/* A gsl_rng whose draws come from *rng (no copy of the state: the session's
 * stream advances). The struct lives on the caller's stack. */
LM_INTERNAL void lm_gsl_rng_wrap(gsl_rng *g, lm_rng *rng);

/* Rmath's printf calls, renamed to these by objcopy (cmake/Deps.cmake): its
 * warnings are dropped instead of landing in lemma's output. */
#include <stdio.h>
int lm_rmath_printf_chk(int flag, const char *fmt, ...);
int lm_rmath_fprintf_chk(FILE *f, int flag, const char *fmt, ...);
int lm_rmath_printf(const char *fmt, ...);
int lm_rmath_fprintf(FILE *f, const char *fmt, ...);

/* -p·log p with 0·log 0 = 0, the summand of an entropy. */
static inline double lm_xlogx_neg(double p) { return p > 0 ? -p * log(p) : 0.0; }

#endif
