/* lemma core: values, errors, memory, strings and the random generator.
 * Everything above (engine, language, interfaces) is built from these pieces.
 *
 * Ownership, once for the whole API: BORROW IN, OWN OUT. Arguments are borrowed;
 * a returned value or object is +1 and the caller must release it. lm_retain is
 * the only way to keep a borrowed value. Functions ending in _take consume their
 * argument instead; their comment says so. */
#ifndef LEMMA_CORE_H
#define LEMMA_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define LM_INTERNAL __attribute__((visibility("hidden")))
#define LM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define LM_NORETURN __attribute__((noreturn))
#else
#define LM_INTERNAL
#define LM_PRINTF(f, a)
#define LM_NORETURN
#endif

/* ---- memory ------------------------------------------------------------ */

/* Small allocations never fail: on exhaustion lm_oom() prints and aborts (as jq
 * and Redis do). Large, user-sized requests (tensor data, strings built from
 * input) go through lm_alloc_big, which returns NULL so the caller can report a
 * `limit` error instead. */
void *lm_alloc(size_t n);
void *lm_calloc(size_t count, size_t size);
void *lm_realloc(void *p, size_t n);
void *lm_alloc_big(size_t n); /* may return NULL */
void lm_free(void *p);
char *lm_strdup(const char *s);
char *lm_strndup(const char *s, size_t n);
LM_NORETURN void lm_oom(void);
/* mkdir -p with mode 0700 (history and progress are the learner's own): true
 * when path is a directory afterwards. path is restored before returning. */
bool lm_make_dirs(char *path);
/* A file shipped with lemma (data/iris.csv, web/index.html), looked for beside
 * the program and up to three folders above it, so that build/lemma finds the
 * checkout's copy from any working directory. The first readable one's path
 * (lm_free it), or NULL. relpath must be relative. */
char *lm_find_shipped(const char *relpath);
/* Damerau-Levenshtein distance (optimal string alignment: insertions,
 * deletions, substitutions and swaps of neighbours each cost 1), for "did you
 * mean"; SIZE_MAX when a string is longer than 200 bytes. strdist.c. */
size_t lm_edit_distance(const char *a, const char *b);
/* The greatest common divisor of |a| and |b| (0 when both are 0). intmath.c. */
int64_t lm_gcd64(int64_t a, int64_t b);

/* ---- growable string buffer --------------------------------------------- */

typedef struct lm_buf {
    char *s;    /* always NUL-terminated once anything was written */
    size_t len;
    size_t cap;
} lm_buf;

#define LM_BUF_INIT {NULL, 0, 0}
void lm_buf_putc(lm_buf *b, char c);
void lm_buf_put(lm_buf *b, const char *s, size_t n);
void lm_buf_puts(lm_buf *b, const char *s);
void lm_buf_printf(lm_buf *b, const char *fmt, ...) LM_PRINTF(2, 3);
void lm_buf_vprintf(lm_buf *b, const char *fmt, va_list ap);
void lm_buf_reset(lm_buf *b);                 /* keeps the memory */
char *lm_buf_steal(lm_buf *b);                /* caller frees; b is emptied */
const char *lm_buf_cstr(const lm_buf *b);     /* "" when empty */
void lm_buf_free(lm_buf *b);

/* Shortest decimal that reads back as the same double ("0.1", "3", "1e+100"),
 * used wherever a number must survive a round trip (JSON, `format long`).
 * Non-finite numbers are written "inf", "-inf", "nan"; -0 is written "0". */
void lm_fmt_double_shortest(char out[32], double x);
/* `digits` significant digits, trailing zeros dropped, -0 as 0 (text printing). */
void lm_fmt_double_sig(char out[40], double x, int digits);

/* ---- errors -------------------------------------------------------------- */

typedef enum lm_errkind {
    LM_OK = 0,
#define X(e, json, what) LM_ERR_##e,
#include "lemma/errors.def"
#undef X
    LM_ERR__COUNT
} lm_errkind;

typedef lm_errkind lm_status; /* LM_OK or the kind of the failure */

const char *lm_errkind_name(lm_errkind k); /* "parse", "name", ... */

/* The engine's error channel: a caller-owned record filled by the function that
 * failed (SQLite style; no global error state). */
typedef struct lm_err {
    lm_errkind kind; /* LM_OK while nothing failed */
    char *msg;       /* owned; plain words for a learner */
} lm_err;

#define LM_ERR_INIT {LM_OK, NULL}
/* Records the failure (the first one wins) and returns its kind. */
lm_status lm_err_set(lm_err *err, lm_errkind kind, const char *fmt, ...) LM_PRINTF(3, 4);
void lm_err_clear(lm_err *err);

/* ---- values ---------------------------------------------------------------- */

typedef enum lm_kind {
    LM_NIL = 0, /* "no value": what disp() returns; never printed */
    LM_BOOL,
    LM_NUM,
    /* heap kinds from here on */
    LM_COMPLEX,
    LM_STRING,
    LM_TENSOR,
    LM_EXPR,
    LM_FUNC,
    LM_DIST,
    LM_TEST,
    LM_PLOT,
    LM_OBJECT, /* networks, chains, traces...: anything printed as {"type":"object"} */
    LM_ERROR,
    LM_KIND__COUNT
} lm_kind;

struct lm_buf;
typedef struct lm_obj lm_obj;

/* Behaviour of a heap object kind. Core kinds have theirs built in; later
 * layers (distributions, tests, plots) supply one when they create objects. */
typedef struct lm_objtype {
    const char *name;                       /* for {"type":"object","kind":name} */
    void (*free)(lm_obj *o);                /* frees the object itself too */
    void (*text)(const lm_obj *o, lm_buf *out, int digits);   /* may be NULL */
    void (*json)(const lm_obj *o, lm_buf *out);               /* JSON members after "ok", may be NULL */
} lm_objtype;

/* The common header every heap object starts with (Lua's CommonHeader). */
struct lm_obj {
    uint32_t refcnt; /* LM_IMMORTAL objects are never freed */
    uint8_t kind;    /* lm_kind */
    uint8_t flags;
    uint16_t pad;
    const lm_objtype *type;
};
#define LM_IMMORTAL UINT32_MAX

/* A value is 16 bytes and passed by value: nil, booleans and real numbers never
 * allocate. Fields are private to core; use the accessors. */
typedef struct lm_value {
    uint8_t kind;
    uint8_t flags; /* LM_VF_* */
    uint16_t pad;
    uint32_t aux;
    union {
        double num;
        bool b;
        lm_obj *obj;
    } u;
} lm_value;

/* A number that came from the name `pi` or `e`: still a double in numeric work,
 * but the symbolic engine turns it back into the exact constant. */
enum { LM_VF_PI = 1, LM_VF_E = 2, LM_VF_BITS = 4, LM_VF_NATS = 8 };


static inline lm_value lm_nil(void) { lm_value v = {0}; return v; }
static inline lm_value lm_bool(bool b) { lm_value v = {0}; v.kind = LM_BOOL; v.u.b = b; return v; }
static inline lm_value lm_num(double x) { lm_value v = {0}; v.kind = LM_NUM; v.u.num = x; return v; }
/* An information quantity (entropy, KL, ...) in log base `base`: a plain number
 * that prints with its unit ("1.5 bits") while it is not combined with others. */
static inline lm_value lm_num_info(double x, double base) {
    lm_value v = lm_num(x);
    if (base == 2) v.flags = LM_VF_BITS;
    else if (base > 2.718281828459045 - 1e-15 && base < 2.718281828459045 + 1e-15) v.flags = LM_VF_NATS;
    return v;
}
/* Wraps a +1 object reference into a value (takes the reference). */
static inline lm_value lm_obj_value(lm_obj *o) {
    lm_value v = {0};
    v.kind = o->kind;
    v.u.obj = o;
    return v;
}
static inline bool lm_is_heap(lm_value v) { return v.kind >= LM_COMPLEX; }
static inline bool lm_is_error(lm_value v) { return v.kind == LM_ERROR; }
static inline bool lm_is_nil(lm_value v) { return v.kind == LM_NIL; }

lm_value lm_retain(lm_value v);
void lm_release(lm_value v);
void lm_obj_retain(lm_obj *o);
void lm_obj_release(lm_obj *o);
/* Starts a new object's header with refcnt 1. */
void lm_obj_init(lm_obj *o, lm_kind kind, const lm_objtype *type);

const char *lm_kind_name(lm_kind k); /* "number", "matrix", ... as a learner reads it */
const char *lm_kind_a(lm_kind k);    /* the same with its article: "a number", "an expression" */

/* complex */
typedef struct lm_complex {
    lm_obj hdr;
    double re, im;
} lm_complex;
lm_value lm_complex_new(double re, double im);
/* A complex with zero imaginary part stays complex here; callers that want
 * Octave's narrowing use lm_complex_or_real. */
lm_value lm_complex_or_real(double re, double im);
static inline double lm_complex_re(lm_value v) { return ((lm_complex *)v.u.obj)->re; }
static inline double lm_complex_im(lm_value v) { return ((lm_complex *)v.u.obj)->im; }

/* strings (immutable, length-counted, NUL-terminated) */
typedef struct lm_string {
    lm_obj hdr;
    size_t len;
    char s[];
} lm_string;
lm_value lm_string_new(const char *s, size_t n);
lm_value lm_string_cstr(const char *s);
static inline const char *lm_string_data(lm_value v) { return ((lm_string *)v.u.obj)->s; }
static inline size_t lm_string_len(lm_value v) { return ((lm_string *)v.u.obj)->len; }

/* ---- error values (jq's jv_invalid_with_msg: errors travel as values) -------- */

typedef struct lm_error {
    lm_obj hdr;
    lm_errkind kind;
    char *msg;
    /* Where in the source, as byte offsets; has_span false until the evaluator
     * or parser attaches one. line/col are 1-based and filled at report time. */
    bool has_span;
    bool incomplete; /* the input ended too early: a REPL asks for more */
    uint32_t start, end;
    int line, col;
    double detail; /* e.g. the condition number of a singular matrix */
} lm_error;

lm_value lm_error_new(lm_errkind kind, const char *fmt, ...) LM_PRINTF(2, 3);
lm_value lm_error_newv(lm_errkind kind, const char *fmt, va_list ap);
/* Turns an engine error record into an error value; takes err->msg and clears err. */
lm_value lm_error_from(lm_err *err);
static inline lm_error *lm_error_obj(lm_value v) { return (lm_error *)v.u.obj; }
/* Attaches a source span unless one is already there (the innermost wins). */
void lm_error_set_span(lm_value v, uint32_t start, uint32_t end);

/* ---- random numbers ------------------------------------------------------------ */

/* xoshiro256** seeded through splitmix64: the same seed gives the same stream on
 * every machine, and each session owns its own state. */
typedef struct lm_rng {
    uint64_t s[4];
    bool has_spare;
    double spare; /* the second normal deviate of a polar pair */
} lm_rng;

void lm_rng_seed(lm_rng *r, uint64_t seed);
uint64_t lm_rng_u64(lm_rng *r);
double lm_rng_uniform(lm_rng *r); /* in [0, 1), 53 random bits */
double lm_rng_normal(lm_rng *r);  /* standard normal */

#endif
