/* The engine context: everything an engine call may need that is not its
 * arguments — the random generator, the symbol (hash-cons) table, the warnings
 * of the statement being run, and the interrupt and time budget. There is no
 * global mutable state: two contexts are two independent sessions. */
#ifndef LEMMA_CTX_H
#define LEMMA_CTX_H

#include "lemma/core.h"

struct lm_symtab;

typedef struct lm_ctx {
    lm_rng rng;
    struct lm_symtab *symtab;   /* owned; created on first use by src/sym */
    char **warnings;            /* owned strings, for the statement being run */
    size_t nwarnings, capwarnings;
    volatile int *interrupt;    /* set asynchronously (Ctrl-C); may be NULL */
    double deadline;            /* CLOCK_MONOTONIC seconds; 0 = no time limit */
    uint64_t polls;             /* counts lm_ctx_poll calls, to read the clock rarely */
} lm_ctx;

lm_ctx *lm_ctx_new(void);
void lm_ctx_free(lm_ctx *ctx);

/* Records a warning for the current statement ("matrix is close to singular..."). */
void lm_warn(lm_ctx *ctx, const char *fmt, ...) LM_PRINTF(2, 3);
void lm_ctx_clear_warnings(lm_ctx *ctx);

/* Long loops call this now and then: returns LM_ERR_LIMIT (and fills err) when
 * the user pressed Ctrl-C or the time budget ran out, LM_OK otherwise. Cheap. */
lm_status lm_ctx_poll(lm_ctx *ctx, lm_err *err);
/* The same, reading the clock every time: for polls that each stand for real
 * work (a builtin call, an operation on a large matrix), where 1024 of them
 * could run for minutes past the limit. */
lm_status lm_ctx_poll_now(lm_ctx *ctx, lm_err *err);
double lm_now(void); /* CLOCK_MONOTONIC seconds */

#endif
