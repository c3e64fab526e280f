/* Internals shared by the statistics files of src/prob (tests.c, regress.c,
 * bayes.c, markov.c, bayesnet.c, st_steps.c): number formatting for reports,
 * JSON writers for the objects' json callbacks, and small numeric helpers.
 * Nothing here is public (see include/lemma/stats.h). */
#ifndef LEMMA_ST_INT_H
#define LEMMA_ST_INT_H

#include "lemma/stats.h"

/* A number for a report: `digits` significant digits, or the shortest
 * round-trip form when digits is 0 (`format long`). */
LM_INTERNAL void lm_st_fmt(char out[40], double x, int digits);
/* JSON: a number (non-finite ones as the strings "inf", "-inf", "nan"), a
 * string with escapes, an array of n numbers, or null for a NULL array. */
LM_INTERNAL void lm_st_json_num(lm_buf *b, double x);
LM_INTERNAL void lm_st_json_str(lm_buf *b, const char *s);
LM_INTERNAL void lm_st_json_nums(lm_buf *b, const double *x, int64_t n);
/* `"key":` */
LM_INTERNAL void lm_st_json_key(lm_buf *b, const char *key);

/* Sum of x in extended precision (x86-64 long double), for residuals and
 * totals whose digits matter (the NIST checks). */
LM_INTERNAL long double lm_st_sum_ld(const double *x, int64_t n);

/* Exact decimal deviations. Data typed as decimals (196.3052,
 * 1000000000000.4) are not binary numbers; read back as the shortest decimal
 * that prints as each double (the number that was typed), x - ref is exact in
 * decimal and then rounded once, so deviations keep every digit the data had.
 * Falls back to the binary difference where the decimals are too far apart. */
typedef struct lm_st_dec {
    double x;
    bool ok, neg;
    uint64_t M; /* |x| = M·10^E */
    int E;
} lm_st_dec;
LM_INTERNAL void lm_st_dec_ref(double x, lm_st_dec *ref);
LM_INTERNAL double lm_st_dec_sub(double x, const lm_st_dec *ref);

/* A row of probabilities sums to 1 within this (scaled by the row length):
 * loose enough for decimals typed by hand (0.1 + 0.2 + 0.7), tight enough to
 * catch a typo. */
#define LM_ST_SUM_TOL 1e-9

#endif
