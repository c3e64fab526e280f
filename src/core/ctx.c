/* The engine context: per-session RNG, symbol table, warnings, interrupt and time
 * budget. */
#include "lemma/ctx.h"
#include "lemma/sym.h"

#include <string.h>
#include <time.h>

lm_ctx *lm_ctx_new(void) {
    lm_ctx *ctx = lm_calloc(1, sizeof *ctx);
    lm_rng_seed(&ctx->rng, 42);
    return ctx;
}

void lm_ctx_free(lm_ctx *ctx) {
    if (!ctx) return;
    lm_ctx_clear_warnings(ctx);
    lm_free(ctx->warnings);
    if (ctx->symtab) lm_symtab_free(ctx->symtab);
    lm_free(ctx);
}

void lm_warn(lm_ctx *ctx, const char *fmt, ...) {
    if (!ctx) return;
    if (ctx->nwarnings == ctx->capwarnings) {
        ctx->capwarnings = ctx->capwarnings ? 2 * ctx->capwarnings : 4;
        ctx->warnings = lm_realloc(ctx->warnings, ctx->capwarnings * sizeof *ctx->warnings);
    }
    lm_buf b = LM_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lm_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    /* The same warning twice in one statement (inside a loop) is said once. */
    for (size_t i = 0; i < ctx->nwarnings; i++) {
        if (b.s && strcmp(ctx->warnings[i], b.s) == 0) {
            lm_buf_free(&b);
            return;
        }
    }
    ctx->warnings[ctx->nwarnings++] = lm_buf_steal(&b);
}

void lm_ctx_clear_warnings(lm_ctx *ctx) {
    for (size_t i = 0; i < ctx->nwarnings; i++) lm_free(ctx->warnings[i]);
    ctx->nwarnings = 0;
}

double lm_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static lm_status poll(lm_ctx *ctx, bool read_clock, lm_err *err) {
    if (!ctx) return LM_OK;
    if (ctx->interrupt && *ctx->interrupt)
        return lm_err_set(err, LM_ERR_LIMIT, "interrupted (Ctrl-C)");
    if (ctx->deadline > 0 && read_clock && lm_now() > ctx->deadline)
        return lm_err_set(err, LM_ERR_LIMIT, "time limit reached: the computation ran too long and was stopped");
    return LM_OK;
}

/* Reading the clock costs ~20 ns; a poll in an inner loop looks at it every
 * 1024 polls. */
lm_status lm_ctx_poll(lm_ctx *ctx, lm_err *err) { return poll(ctx, ctx && (++ctx->polls & 1023) == 0, err); }

lm_status lm_ctx_poll_now(lm_ctx *ctx, lm_err *err) { return poll(ctx, true, err); }
