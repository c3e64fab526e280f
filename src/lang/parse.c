/* The parser: a hand-written recursive-descent / precedence parser from the
 * token array to an arena-allocated syntax tree with byte spans. The grammar
 * rule sits above each function. The first error wins; errors at the end of the
 * input inside an open block or bracket are marked `incomplete` so the REPL can
 * ask for another line.
 *
 * Precedence, loosest first (Octave's, except that ^ is right-associative as in
 * mathematics): || && | & comparisons(chained) : (+ -) (* / \\) unary ^ postfix. */
#include "lang/lang_int.h"

#include <stdio.h>
#include <string.h>

/* ---- arena ---- */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
} arena_block;

static void *arena_alloc(arena_block **a, size_t n) {
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if (!*a || (*a)->used + n > (*a)->cap) {
        size_t cap = n > 16384 ? n : 16384;
        arena_block *b = lm_alloc(sizeof *b + cap);
        b->next = *a;
        b->used = 0;
        b->cap = cap;
        *a = b;
    }
    void *p = (char *)(*a)->data + (*a)->used;
    (*a)->used += n;
    return p;
}

static void arena_free(arena_block *a) {
    while (a) {
        arena_block *n = a->next;
        lm_free(a);
        a = n;
    }
}

/* ---- program objects ---- */

static void program_free(lm_obj *o) {
    lm_program *p = (lm_program *)o;
    arena_free(p->arena);
    lm_free(p->src);
    lm_free(p->src_name);
    lm_free(p);
}

static const lm_objtype program_type = {"program", program_free, NULL, NULL};

void lm_program_release(lm_program *p) {
    if (p) lm_obj_release(&p->hdr);
}

/* ---- parser state ---- */

typedef struct parser {
    const char *src;
    size_t len;
    token *t;
    size_t n, pos;
    arena_block **arena;
    lm_value error;     /* nil until the first error */
    int depth;
    char ctx[LM_MAX_PARSE_DEPTH + 8]; /* '(' or '[' for each open bracket */
    int nctx;
    int call_depth;     /* open index/call parentheses: `end` means "last index" there */
    int block_depth;    /* open if/for/while/function blocks */
} parser;

static bool failed(const parser *p) { return !lm_is_nil(p->error); }

static void error_at(parser *p, uint32_t start, uint32_t end, bool incomplete, const char *fmt, ...)
    LM_PRINTF(5, 6);
static void error_at(parser *p, uint32_t start, uint32_t end, bool incomplete, const char *fmt, ...) {
    if (failed(p)) return;
    va_list ap;
    va_start(ap, fmt);
    p->error = lm_error_newv(LM_ERR_PARSE, fmt, ap);
    va_end(ap);
    lm_error_set_span(p->error, start, end);
    /* Input that stops inside an open bracket or block may go on: "(1 +" then "2)". */
    if (start >= p->len && (p->nctx > 0 || p->block_depth > 0)) incomplete = true;
    lm_error_obj(p->error)->incomplete = incomplete;
}

/* Going past a nesting limit is a `limit` error (limits.h), not a syntax error. */
static void limit_at(parser *p, uint32_t start, uint32_t end, const char *what, int limit) {
    if (failed(p)) return;
    p->error = lm_error_new(LM_ERR_LIMIT, "the program is nested too deeply: more than %d %s", limit, what);
    lm_error_set_span(p->error, start, end);
}

static bool in_matrix(const parser *p) { return p->nctx > 0 && p->ctx[p->nctx - 1] == '['; }
static bool in_parens(const parser *p) { return p->nctx > 0 && p->ctx[p->nctx - 1] == '('; }

/* The current token. Inside parentheses a newline is only whitespace. */
static token *peek(parser *p) {
    while (p->t[p->pos].type == T_NEWLINE && in_parens(p)) p->pos++;
    return &p->t[p->pos];
}

static token *peek_at(parser *p, size_t k) {
    size_t i = p->pos + k;
    return &p->t[i < p->n ? i : p->n - 1];
}

static token *advance(parser *p) {
    token *t = peek(p);
    if (t->type != T_EOF) p->pos++;
    return t;
}

static bool accept(parser *p, tok_type type) {
    if (peek(p)->type == type) {
        advance(p);
        return true;
    }
    return false;
}

static int col_of(const parser *p, uint32_t off) {
    int line, col;
    lm_src_locate(p->src, p->len, off, &line, &col);
    return col;
}

static int line_of(const parser *p, uint32_t off) {
    int line, col;
    lm_src_locate(p->src, p->len, off, &line, &col);
    return line;
}

/* "where" a bracket was opened, for messages: "column 3" or "line 2, column 3" */
static void where(const parser *p, uint32_t open, uint32_t here, char *out, size_t n) {
    int l1 = line_of(p, open), l2 = line_of(p, here);
    if (l1 == l2) snprintf(out, n, "column %d", col_of(p, open));
    else snprintf(out, n, "line %d, column %d", l1, col_of(p, open));
}

/* Quotes the token as the user wrote it: "'*'", "'foo'", "the end of the input". */
static void tok_desc(const parser *p, const token *t, char *out, size_t n) {
    switch (t->type) {
    case T_EOF:
    case T_NEWLINE: snprintf(out, n, "%s", lm_tok_name(t->type)); break;
    case T_NUM:
    case T_IMAG:
    case T_IDENT:
    case T_STR:
    default: {
        int len = (int)(t->end - t->start);
        if (len > 20) snprintf(out, n, "'%.20s...'", p->src + t->start);
        else snprintf(out, n, "'%.*s'", len, p->src + t->start);
        break;
    }
    }
}

static void unexpected(parser *p, const token *t, const char *expected) {
    char d[64];
    tok_desc(p, t, d, sizeof d);
    if (t->type == T_ERROR && t->num == 1) {
        error_at(p, t->start, t->end, false, "this string is not closed: add a '\"' before the end of the line");
    } else if (t->type == T_ERROR) {
        const char *c = p->src + t->start;
        if (*c == '%') error_at(p, t->start, t->end, false, "unexpected '%%': comments start with '#' in lemma");
        else error_at(p, t->start, t->end, false, "unexpected character %s", d);
    } else if (t->type == T_LBRACE || t->type == T_RBRACE) {
        error_at(p, t->start, t->end, false, "braces { } are not part of lemma: use [ ] for matrices and ( ) for indexing");
    } else {
        error_at(p, t->start, t->end, false, "expected %s, found %s", expected, d);
    }
}

static node *new_node(parser *p, node_type type, uint32_t start, uint32_t end) {
    node *n = arena_alloc(p->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    n->start = start;
    n->end = end;
    n->depth = 1;
    return n;
}

/* A growable list of children, copied into the arena when done. */
typedef struct kidlist {
    node **v;
    const char **names;
    uint8_t *ops;
    size_t n, cap;
} kidlist;

static void kid_push(kidlist *k, node *n, const char *name, uint8_t op) {
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 8;
        k->v = lm_realloc(k->v, k->cap * sizeof *k->v);
        k->names = lm_realloc(k->names, k->cap * sizeof *k->names);
        k->ops = lm_realloc(k->ops, k->cap);
    }
    k->v[k->n] = n;
    k->names[k->n] = name;
    k->ops[k->n] = op;
    k->n++;
}

static void kid_finish(parser *p, kidlist *k, node *into, bool with_names, bool with_ops) {
    into->nkids = (uint32_t)k->n;
    into->kids = arena_alloc(p->arena, (k->n ? k->n : 1) * sizeof *into->kids);
    if (k->n) memcpy(into->kids, k->v, k->n * sizeof *into->kids);
    if (with_names) {
        into->argnames = arena_alloc(p->arena, (k->n ? k->n : 1) * sizeof *into->argnames);
        if (k->n) memcpy(into->argnames, k->names, k->n * sizeof *into->argnames);
    }
    if (with_ops) {
        into->ops = arena_alloc(p->arena, k->n ? k->n : 1);
        if (k->n) memcpy(into->ops, k->ops, k->n);
    }
    lm_free(k->v);
    lm_free(k->names);
    lm_free(k->ops);
    memset(k, 0, sizeof *k);
}

/* Gives n its depth from its children; a tree deeper than LM_MAX_AST_DEPTH
 * (a chain like 1+1+...+1 of thousands of terms) is a limit error, because the
 * evaluator walks it recursively. */
static node *set_depth(parser *p, node *n) {
    uint32_t d = 0;
    for (uint32_t i = 0; i < n->nkids; i++)
        if (n->kids[i] && n->kids[i]->depth > d) d = n->kids[i]->depth;
    n->depth = d + 1;
    /* The evaluator walks the left spine of a binary chain (1+1+...+1) in a
       loop, so only the right side nests. */
    if (n->type == N_BINOP && n->nkids == 2) {
        uint32_t l = n->kids[0]->depth, r = n->kids[1]->depth + 1;
        n->depth = l > r ? l : r;
    }
    if (n->depth > LM_MAX_AST_DEPTH) {
        limit_at(p, n->start, n->end, "operators or calls in one expression", LM_MAX_AST_DEPTH);
        return NULL;
    }
    return n;
}

static node *node2(parser *p, node_type type, int op, node *a, node *b) {
    node *n = new_node(p, type, a->start, b->end);
    n->op = (uint8_t)op;
    n->nkids = 2;
    n->kids = arena_alloc(p->arena, 2 * sizeof *n->kids);
    n->kids[0] = a;
    n->kids[1] = b;
    return set_depth(p, n);
}

static node *node1(parser *p, node_type type, int op, node *a, uint32_t start, uint32_t end) {
    node *n = new_node(p, type, start, end);
    n->op = (uint8_t)op;
    n->nkids = 1;
    n->kids = arena_alloc(p->arena, sizeof *n->kids);
    n->kids[0] = a;
    return set_depth(p, n);
}

static const char *tok_text(parser *p, const token *t) {
    size_t n = t->end - t->start;
    char *s = arena_alloc(p->arena, n + 1);
    memcpy(s, p->src + t->start, n);
    s[n] = '\0';
    return s;
}

/* Decodes a string literal's escapes (\n \t \\ \" \a \r \0 and others kept). */
static const char *string_value(parser *p, const token *t, size_t *outlen) {
    const char *s = p->src + t->start + 1;
    size_t n = t->end - t->start - 2;
    char *d = arena_alloc(p->arena, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            switch (s[i]) {
            case 'n': d[j++] = '\n'; break;
            case 't': d[j++] = '\t'; break;
            case 'r': d[j++] = '\r'; break;
            case 'a': d[j++] = '\a'; break;
            case '0': d[j++] = '\0'; break;
            case '\\': d[j++] = '\\'; break;
            case '"': d[j++] = '"'; break;
            default: d[j++] = '\\'; d[j++] = s[i]; break;
            }
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    *outlen = j;
    return d;
}

static bool enter(parser *p, const token *at) {
    if (++p->depth > LM_MAX_PARSE_DEPTH) {
        limit_at(p, at->start, at->end, "levels of brackets, operators and blocks", LM_MAX_PARSE_DEPTH);
        return false;
    }
    return true;
}
static void leave(parser *p) { p->depth--; }

static bool push_ctx(parser *p, char c, const token *at) {
    if (p->nctx >= LM_MAX_PARSE_DEPTH) {
        limit_at(p, at->start, at->end, "levels of brackets", LM_MAX_PARSE_DEPTH);
        return false;
    }
    p->ctx[p->nctx++] = c;
    return true;
}
static void pop_ctx(parser *p) { p->nctx--; }

static bool starts_expr(tok_type t) {
    switch (t) {
    case T_NUM: case T_IMAG: case T_STR: case T_IDENT: case T_LPAREN: case T_LBRACK:
    case T_MINUS: case T_PLUS: case T_NOT: case T_AT: case T_COLON: case T_END:
        return true;
    default:
        return false;
    }
}

static node *parse_expr(parser *p);
static node *parse_unary(parser *p);
static node *parse_block(parser *p, const char *what, const token *opener);

/* args := '(' [ arg { ',' arg } ] ')'      arg := NAME '=' expr | ':' | expr */
static node *parse_call(parser *p, node *callee) {
    token *open = advance(p); /* '(' */
    if (!push_ctx(p, '(', open)) return NULL;
    p->call_depth++;
    kidlist k = {0};
    kid_push(&k, callee, NULL, 0);
    bool ok = true;
    if (peek(p)->type != T_RPAREN) {
        for (;;) {
            token *t = peek(p);
            const char *name = NULL;
            node *arg;
            if (t->type == T_IDENT && peek_at(p, 1)->type == T_ASSIGN) {
                name = tok_text(p, t);
                advance(p);
                advance(p);
                arg = parse_expr(p);
            } else if (t->type == T_COLON && (peek_at(p, 1)->type == T_COMMA || peek_at(p, 1)->type == T_RPAREN ||
                                              peek_at(p, 1)->type == T_EOF)) {
                advance(p);
                arg = new_node(p, N_COLON, t->start, t->end);
            } else if (!starts_expr(t->type)) {
                if (t->type == T_EOF) {
                    char w[48];
                    where(p, open->start, t->start, w, sizeof w);
                    error_at(p, t->start, t->end, true, "expected ')' to close the '(' at %s", w);
                } else {
                    unexpected(p, t, "an argument");
                }
                arg = NULL;
            } else {
                arg = parse_expr(p);
            }
            if (!arg) {
                ok = false;
                break;
            }
            kid_push(&k, arg, name, 0);
            if (accept(p, T_COMMA)) continue;
            t = peek(p);
            if (t->type == T_RPAREN) break;
            char w[48];
            where(p, open->start, t->start, w, sizeof w);
            if (t->type == T_EOF) {
                error_at(p, t->start, t->end, true, "expected ')' to close the '(' at %s", w);
            } else {
                char d[64];
                tok_desc(p, t, d, sizeof d);
                error_at(p, t->start, t->end, false, "expected ',' or ')' to close the '(' at %s, found %s", w, d);
            }
            ok = false;
            break;
        }
    }
    p->call_depth--;
    pop_ctx(p);
    if (!ok) {
        kid_finish(p, &k, new_node(p, N_CALL, 0, 0), true, false);
        return NULL;
    }
    token *close = advance(p); /* ')' */
    node *n = new_node(p, N_CALL, callee->start, close->end);
    kid_finish(p, &k, n, true, false);
    return set_depth(p, n);
}

/* matrix := '[' { row-separator | element [','] } ']'
 * Whitespace separates elements and newlines separate rows, as in Octave:
 * [1 -2] has two elements, [1 - 2] one. */
static node *parse_matrix(parser *p) {
    token *open = advance(p);
    if (!push_ctx(p, '[', open)) return NULL;
    kidlist rows = {0}, row = {0};
    uint32_t row_start = open->end;
    bool ok = true, after_comma = false;
    for (;;) {
        token *t = peek(p);
        if (t->type == T_RBRACK || t->type == T_SEMI || t->type == T_NEWLINE) {
            after_comma = false;
            if (row.n) {
                node *r = new_node(p, N_ROW, row_start, row.v[row.n - 1]->end);
                kid_finish(p, &row, r, false, false);
                kid_push(&rows, r, NULL, 0);
            }
            if (t->type == T_RBRACK) break;
            advance(p);
            row_start = t->end;
            continue;
        }
        if (t->type == T_COMMA) {
            if (row.n == 0 || after_comma) {
                unexpected(p, t, "a matrix element");
                ok = false;
                break;
            }
            after_comma = true;
            advance(p);
            continue;
        }
        if (t->type == T_EOF) {
            char w[48];
            where(p, open->start, t->start, w, sizeof w);
            error_at(p, t->start, t->end, true, "expected ']' to close the matrix started at %s", w);
            ok = false;
            break;
        }
        if (!starts_expr(t->type)) {
            char w[48], d[64];
            where(p, open->start, t->start, w, sizeof w);
            tok_desc(p, t, d, sizeof d);
            if (t->type == T_RPAREN || t->type == T_ASSIGN || t->type == T_ERROR || t->type == T_LBRACE)
                error_at(p, t->start, t->end, false, "expected ']' to close the matrix started at %s, found %s", w, d);
            else
                unexpected(p, t, "a matrix element");
            ok = false;
            break;
        }
        node *e = parse_expr(p);
        if (!e) {
            ok = false;
            break;
        }
        after_comma = false;
        kid_push(&row, e, NULL, 0);
    }
    pop_ctx(p);
    if (!ok) {
        kid_finish(p, &row, new_node(p, N_ROW, 0, 0), false, false);
        kid_finish(p, &rows, new_node(p, N_MATRIX, 0, 0), false, false);
        return NULL;
    }
    token *close = advance(p);
    node *m = new_node(p, N_MATRIX, open->start, close->end);
    kid_finish(p, &row, new_node(p, N_ROW, 0, 0), false, false);
    for (uint32_t r = 0; r < m->nkids; r++) set_depth(p, m->kids[r]);
    kid_finish(p, &rows, m, false, false);
    return failed(p) ? NULL : set_depth(p, m);
}

/* primary := NUMBER | IMAG | STRING | NAME | 'end' (inside an index) | '(' expr ')' | matrix
 *          | '@' ... (not supported) */
static node *parse_primary(parser *p) {
    token *t = peek(p);
    switch (t->type) {
    case T_NUM:
    case T_IMAG: {
        advance(p);
        node *n = new_node(p, t->type == T_NUM ? N_NUM : N_IMAG, t->start, t->end);
        n->num = t->num;
        return n;
    }
    case T_STR: {
        advance(p);
        node *n = new_node(p, N_STR, t->start, t->end);
        size_t len;
        n->str = string_value(p, t, &len);
        n->num = (double)len;
        return n;
    }
    case T_IDENT: {
        advance(p);
        node *n = new_node(p, N_NAME, t->start, t->end);
        n->str = tok_text(p, t);
        return n;
    }
    case T_END:
        if (p->call_depth > 0) {
            advance(p);
            return new_node(p, N_END, t->start, t->end);
        }
        error_at(p, t->start, t->end, false, "'end' here closes nothing: it ends an if, for, while or function block, "
                                             "or means the last index inside A(...)");
        return NULL;
    case T_LPAREN: {
        advance(p);
        if (!push_ctx(p, '(', t)) return NULL;
        int saved_call = p->call_depth;
        p->call_depth = 0; /* (end) is not an index, even inside A(...) */
        node *e = NULL;
        if (peek(p)->type == T_RPAREN) {
            unexpected(p, peek(p), "an expression inside '( )'");
        } else {
            e = parse_expr(p);
        }
        p->call_depth = saved_call;
        pop_ctx(p);
        if (!e) return NULL;
        token *c = peek(p);
        if (c->type != T_RPAREN) {
            char w[48];
            where(p, t->start, c->start, w, sizeof w);
            if (c->type == T_EOF) {
                error_at(p, c->start, c->end, true, "expected ')' to close the '(' at %s", w);
            } else {
                char d[64];
                tok_desc(p, c, d, sizeof d);
                error_at(p, c->start, c->end, false, "expected ')' to close the '(' at %s, found %s", w, d);
            }
            return NULL;
        }
        advance(p);
        return e;
    }
    case T_LBRACK:
        return parse_matrix(p);
    case T_AT:
        error_at(p, t->start, t->end, false, "'@' (anonymous functions) is not part of lemma: define a function with f(x) = ...");
        return NULL;
    case T_EOF:
        unexpected(p, t, "a value");
        return NULL;
    default:
        unexpected(p, t, "a value");
        return NULL;
    }
}

/* postfix := primary { '(' args ')' | "'" | ".'" } */
static node *parse_postfix(parser *p) {
    node *e = parse_primary(p);
    while (e && !failed(p)) {
        token *t = peek(p);
        /* Inside [ ], "a (1)" and "a '" start new elements, as in Octave. */
        if (in_matrix(p) && t->space_before && (t->type == T_LPAREN || t->type == T_QUOTE)) break;
        if (t->type == T_LPAREN) {
            e = parse_call(p, e);
        } else if (t->type == T_QUOTE || t->type == T_DOTQUOTE) {
            advance(p);
            e = node1(p, N_POSTFIX, t->type, e, e->start, t->end);
        } else {
            break;
        }
    }
    return e;
}

/* power := postfix [ ('^' | '.^') unary ]    (right-associative: 2^3^2 = 2^9) */
static node *parse_power(parser *p) {
    node *base = parse_postfix(p);
    if (!base) return NULL;
    token *t = peek(p);
    if (t->type != T_CARET && t->type != T_DOTCARET) return base;
    if (!enter(p, t)) return NULL;
    advance(p);
    token *after = peek(p);
    node *ex = NULL;
    if (!starts_expr(after->type)) {
        char what[64];
        snprintf(what, sizeof what, "an exponent after %s", lm_tok_name(t->type));
        unexpected(p, after, what);
    } else {
        ex = parse_unary(p); /* 2^-1 is allowed */
    }
    leave(p);
    if (!ex) return NULL;
    return node2(p, N_BINOP, t->type, base, ex);
}

/* unary := ('-' | '+' | '!' | '~') unary | power */
static node *parse_unary(parser *p) {
    token *t = peek(p);
    if (t->type == T_MINUS || t->type == T_PLUS || t->type == T_NOT) {
        if (!enter(p, t)) return NULL;
        advance(p);
        token *after = peek(p);
        node *e = NULL;
        if (!starts_expr(after->type)) {
            char what[64];
            snprintf(what, sizeof what, "a value after %s", lm_tok_name(t->type));
            unexpected(p, after, what);
        } else {
            e = parse_unary(p);
        }
        leave(p);
        if (!e) return NULL;
        return node1(p, N_UNOP, t->type, e, t->start, e->end);
    }
    return parse_power(p);
}

/* A binary operator inside [ ] written as "1 -2" (space before, none after) is
 * the sign of a new element, not a subtraction. */
static bool is_element_sign(parser *p, const token *t) {
    if (!in_matrix(p) || !(t->type == T_PLUS || t->type == T_MINUS)) return false;
    return t->space_before && !peek_at(p, 1)->space_before && peek_at(p, 1)->type != T_NEWLINE;
}

static node *binary_rhs(parser *p, token *op, node *(*next)(parser *)) {
    token *after = peek(p);
    if (!starts_expr(after->type)) {
        char what[64];
        snprintf(what, sizeof what, "a value after %s", lm_tok_name(op->type));
        unexpected(p, after, what);
        return NULL;
    }
    return next(p);
}

/* mul := unary { ('*' | '/' | '\' | '.*' | './' | '.\') unary } */
static node *parse_mul(parser *p) {
    node *e = parse_unary(p);
    while (e) {
        token *t = peek(p);
        if (t->type != T_STAR && t->type != T_SLASH && t->type != T_BSLASH && t->type != T_DOTSTAR &&
            t->type != T_DOTSLASH && t->type != T_DOTBSLASH)
            break;
        if (!enter(p, t)) return NULL;
        advance(p);
        node *r = binary_rhs(p, t, parse_unary);
        leave(p);
        if (!r) return NULL;
        e = node2(p, N_BINOP, t->type, e, r);
    }
    return e;
}

/* add := mul { ('+' | '-') mul } */
static node *parse_add(parser *p) {
    node *e = parse_mul(p);
    while (e) {
        token *t = peek(p);
        if (t->type != T_PLUS && t->type != T_MINUS) break;
        if (is_element_sign(p, t)) break;
        if (!enter(p, t)) return NULL;
        advance(p);
        node *r = binary_rhs(p, t, parse_mul);
        leave(p);
        if (!r) return NULL;
        e = node2(p, N_BINOP, t->type, e, r);
    }
    return e;
}

/* range := add [ ':' add [ ':' add ] ] */
static node *parse_range(parser *p) {
    node *a = parse_add(p);
    if (!a || peek(p)->type != T_COLON) return a;
    token *c1 = advance(p);
    node *b = binary_rhs(p, c1, parse_add);
    if (!b) return NULL;
    node *n;
    if (peek(p)->type == T_COLON) {
        token *c2 = advance(p);
        node *c = binary_rhs(p, c2, parse_add);
        if (!c) return NULL;
        n = new_node(p, N_RANGE, a->start, c->end);
        n->nkids = 3;
        n->kids = arena_alloc(p->arena, 3 * sizeof *n->kids);
        n->kids[0] = a;
        n->kids[1] = b;
        n->kids[2] = c;
        n = set_depth(p, n);
    } else {
        n = node2(p, N_RANGE, 0, a, b);
    }
    return n;
}

static bool is_cmp(tok_type t) {
    return t == T_EQ || t == T_NE || t == T_LT || t == T_LE || t == T_GT || t == T_GE;
}

/* cmp := range { cmp-op range }   a < b <= c means a < b && b <= c */
static node *parse_cmp(parser *p) {
    node *e = parse_range(p);
    if (!e || !is_cmp(peek(p)->type)) return e;
    kidlist k = {0};
    kid_push(&k, e, NULL, 0);
    node *last = e;
    while (is_cmp(peek(p)->type)) {
        token *t = advance(p);
        node *r = binary_rhs(p, t, parse_range);
        if (!r) {
            kid_finish(p, &k, new_node(p, N_CMP, 0, 0), false, true);
            return NULL;
        }
        k.ops[k.n - 1] = t->type; /* op between kids[n-1] and kids[n] */
        kid_push(&k, r, NULL, 0);
        last = r;
    }
    node *n = new_node(p, N_CMP, e->start, last->end);
    kid_finish(p, &k, n, false, true);
    return set_depth(p, n);
}

static node *parse_logic(parser *p, int level) {
    /* level 0: ||, 1: &&, 2: |, 3: & */
    static const tok_type ops[] = {T_OROR, T_ANDAND, T_OR, T_AND};
    node *e = level == 3 ? parse_cmp(p) : parse_logic(p, level + 1);
    while (e && peek(p)->type == ops[level]) {
        token *t = peek(p);
        if (!enter(p, t)) return NULL;
        advance(p);
        token *after = peek(p);
        node *r = NULL;
        if (!starts_expr(after->type)) {
            char what[64];
            snprintf(what, sizeof what, "a value after %s", lm_tok_name(t->type));
            unexpected(p, after, what);
        } else {
            r = level == 3 ? parse_cmp(p) : parse_logic(p, level + 1);
        }
        leave(p);
        if (!r) return NULL;
        if (level == 0) e = node2(p, N_OROR, 0, e, r);
        else if (level == 1) e = node2(p, N_ANDAND, 0, e, r);
        else e = node2(p, N_BINOP, t->type, e, r);
    }
    return e;
}

static node *parse_expr(parser *p) {
    token *t = peek(p);
    if (!enter(p, t)) return NULL;
    node *e = parse_logic(p, 0);
    leave(p);
    return e;
}

/* ---- statements ---- */

static bool is_terminator(tok_type t) {
    return t == T_SEMI || t == T_COMMA || t == T_NEWLINE || t == T_EOF;
}

/* What a learner most likely meant when a value follows another with
 * nothing between: the habits of paper (3x, sin x) and of Python (a[0], def). */
static const char *missing_operator_hint(const parser *p, const token *t) {
    const token *prev = p->pos > 0 ? t - 1 : NULL;
    if (!prev) return "is an operator missing?";
    bool glued = !t->space_before && prev->end == t->start;
    if (prev->type == T_NUM && t->type == T_IDENT && glued)
        return p->src[t->start] == 'e' || p->src[t->start] == 'E'
                   ? "scientific notation needs the power after the e, as in 1e3 or 2.5e-4 (times the constant e is 1*e)"
                   : "write * between a number and a name, as in 3*x for 3 times x";
    if (t->type == T_LBRACK && glued && (prev->type == T_IDENT || prev->type == T_RPAREN))
        return "index with parentheses, counting from 1: a(1) is the first element";
    if (prev->type == T_IDENT) {
        size_t n = prev->end - prev->start;
        if (n == 3 && !memcmp(p->src + prev->start, "def", 3))
            return "define a function as f(x) = x^2 on one line, or function y = f(x) ... end";
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), p->src + prev->start);
        if ((t->type == T_IDENT || t->type == T_NUM) && lm_builtin_find(name))
            return "a function's argument goes in parentheses, as in sin(x); is that what you meant?";
        if (t->type == T_IDENT) return "write * between two names for their product, as in x*y";
    }
    return "is an operator missing?";
}

/* Ends a statement: ';' silences it, ',' or a newline lets it print. Block
 * keywords may follow directly ("if x, y = 1, end"). */
static bool finish_statement(parser *p, node *s) {
    token *t = peek(p);
    s->print = true;
    if (t->type == T_SEMI) {
        s->print = false;
        advance(p);
    } else if (t->type == T_COMMA || t->type == T_NEWLINE) {
        advance(p);
    } else if (t->type == T_EOF || t->type == T_END || t->type == T_ELSE || t->type == T_ELSEIF) {
        /* nothing to consume */
    } else if (t->type == T_ERROR || t->type == T_LBRACE || t->type == T_RBRACE) {
        unexpected(p, t, "the end of the statement");
        return false;
    } else {
        char d[64];
        tok_desc(p, t, d, sizeof d);
        error_at(p, t->start, t->end, false, "expected the end of the statement (a newline, ';' or ','), found %s; %s", d,
                 missing_operator_hint(p, t));
        return false;
    }
    return true;
}

static const char *const command_words[] = {"clear", "format", "who", "help", "clc", "more", "close", NULL};

static bool is_command_word(const char *s, size_t n) {
    for (int i = 0; command_words[i]; i++)
        if (strlen(command_words[i]) == n && memcmp(command_words[i], s, n) == 0) return true;
    return false;
}

/* command := WORD { word }    (clear x y, format long, help sin) */
static node *parse_command(parser *p) {
    token *w = advance(p);
    node *n = new_node(p, N_COMMAND, w->start, w->end);
    n->str = tok_text(p, w);
    const char *words[64];
    uint32_t nw = 0;
    while (!is_terminator(peek(p)->type)) {
        /* a word is a run of tokens without spaces between them: help ttest, format long */
        token *first = advance(p);
        uint32_t end = first->end;
        while (!is_terminator(peek(p)->type) && !peek(p)->space_before) end = advance(p)->end;
        if (nw < 64) {
            size_t len = end - first->start;
            char *s = arena_alloc(p->arena, len + 1);
            memcpy(s, p->src + first->start, len);
            s[len] = '\0';
            words[nw++] = s;
        }
        n->end = end;
    }
    n->nparams = nw;
    n->params = arena_alloc(p->arena, (nw ? nw : 1) * sizeof *n->params);
    memcpy(n->params, words, nw * sizeof *words);
    return n;
}

static bool statement_is_command(parser *p) {
    token *t = peek(p);
    if (t->type != T_IDENT || !is_command_word(p->src + t->start, t->end - t->start)) return false;
    token *nx = peek_at(p, 1);
    if (is_terminator(nx->type)) return true;
    /* "clear x" is a command; "clear(x)" and "clear = 3" are not; "help for" asks about a keyword */
    bool keyword = nx->type >= T_IF && nx->type <= T_RETURN;
    return nx->space_before && (nx->type == T_IDENT || nx->type == T_NUM || keyword);
}

/* Is the '[' at the current position the left side of a multiple assignment?
 * Scans to the matching ']' and looks for '=' (not '==') after it. */
static bool is_multi_assign(parser *p) {
    int depth = 0;
    for (size_t i = p->pos; i < p->n; i++) {
        tok_type t = p->t[i].type;
        if (t == T_LBRACK || t == T_LPAREN) depth++;
        else if (t == T_RBRACK || t == T_RPAREN) {
            if (--depth == 0) return i + 1 < p->n && p->t[i + 1].type == T_ASSIGN;
        } else if (t == T_EOF || (t == T_NEWLINE && depth <= 1) || t == T_SEMI) {
            return false;
        }
    }
    return false;
}

/* multi-assign := '[' target { [','] target } ']' '=' expr     target := NAME | '~' */
static node *parse_multi_assign(parser *p) {
    token *open = advance(p);
    kidlist k = {0};
    for (;;) {
        token *t = peek(p);
        if (t->type == T_RBRACK) break;
        if (t->type == T_COMMA && k.n > 0) {
            advance(p);
            continue;
        }
        if (t->type == T_IDENT) {
            advance(p);
            node *n = new_node(p, N_NAME, t->start, t->end);
            n->str = tok_text(p, t);
            kid_push(&k, n, NULL, 0);
        } else if (t->type == T_NOT) {
            advance(p);
            kid_push(&k, new_node(p, N_TILDE, t->start, t->end), NULL, 0);
        } else {
            unexpected(p, t, "a variable name on the left of '='");
            kid_finish(p, &k, new_node(p, N_MULTI_ASSIGN, 0, 0), false, false);
            return NULL;
        }
    }
    advance(p); /* ']' */
    if (k.n == 0) {
        error_at(p, open->start, peek(p)->end, false, "'[] = ...' assigns to nothing: name at least one variable");
        kid_finish(p, &k, new_node(p, N_MULTI_ASSIGN, 0, 0), false, false);
        return NULL;
    }
    advance(p); /* '=' */
    token *t = peek(p);
    node *rhs = starts_expr(t->type) ? parse_expr(p) : (unexpected(p, t, "a value after '='"), NULL);
    if (!rhs) {
        kid_finish(p, &k, new_node(p, N_MULTI_ASSIGN, 0, 0), false, false);
        return NULL;
    }
    kid_push(&k, rhs, NULL, 0);
    node *n = new_node(p, N_MULTI_ASSIGN, open->start, rhs->end);
    kid_finish(p, &k, n, false, false);
    n->nparams = n->nkids - 1; /* number of targets */
    return n;
}

/* simple := expr [ '=' expr ] */
static node *parse_simple(parser *p) {
    node *e = parse_expr(p);
    if (!e) return NULL;
    token *t = peek(p);
    if (t->type != T_ASSIGN) {
        node *s = node1(p, N_EXPR_STMT, 0, e, e->start, e->end);
        return s;
    }
    bool ok_target = e->type == N_NAME || (e->type == N_CALL && e->kids[0]->type == N_NAME);
    if (!ok_target) {
        error_at(p, e->start, e->end, false,
                 "cannot assign to this: the left side of '=' must be a name (x), an element (v(2)) "
                 "or a function definition (f(x)); to compare, use '=='");
        return NULL;
    }
    if (e->type == N_CALL) {
        for (uint32_t i = 1; i < e->nkids; i++) {
            if (e->argnames[i]) {
                error_at(p, e->start, e->end, false, "a named argument cannot appear on the left side of '='");
                return NULL;
            }
        }
    }
    advance(p);
    token *r = peek(p);
    if (!starts_expr(r->type)) {
        unexpected(p, r, "a value after '='");
        return NULL;
    }
    node *rhs = parse_expr(p);
    if (!rhs) return NULL;
    if (peek(p)->type == T_ASSIGN) {
        token *t2 = peek(p);
        error_at(p, t2->start, t2->end, false, "only one '=' per statement: to compare, use '=='");
        return NULL;
    }
    return node2(p, N_ASSIGN, 0, e, rhs);
}

static node *parse_statement(parser *p);
static node *parse_statement_inner(parser *p, token *t);

/* Parses statements up to (not including) a block keyword: 'end', 'else',
 * 'elseif', or the end of the input. */
static node *parse_statements(parser *p, uint32_t start) {
    kidlist k = {0};
    for (;;) {
        token *t = peek(p);
        if (t->type == T_EOF || t->type == T_END || t->type == T_ELSE || t->type == T_ELSEIF) break;
        if (t->type == T_SEMI || t->type == T_COMMA || t->type == T_NEWLINE) {
            advance(p);
            continue;
        }
        node *s = parse_statement(p);
        if (!s) break;
        kid_push(&k, s, NULL, 0);
    }
    node *b = new_node(p, N_BLOCK, start, peek(p)->start);
    kid_finish(p, &k, b, false, false);
    return failed(p) ? NULL : b;
}

static bool expect_end(parser *p, const token *opener, const char *what) {
    token *t = peek(p);
    if (t->type == T_END) {
        advance(p);
        return true;
    }
    if (t->type == T_EOF) {
        error_at(p, t->start, t->end, true, "missing 'end' for the '%s' started at line %d, column %d", what,
                 line_of(p, opener->start), col_of(p, opener->start));
    } else {
        char d[64];
        tok_desc(p, t, d, sizeof d);
        error_at(p, t->start, t->end, false, "expected 'end' for the '%s' started at line %d, found %s", what,
                 line_of(p, opener->start), d);
    }
    return false;
}

static node *parse_block(parser *p, const char *what, const token *opener) {
    (void)what;
    (void)opener;
    return parse_statements(p, peek(p)->start);
}

static node *parse_condition(parser *p, const token *kw) {
    token *t = peek(p);
    if (!starts_expr(t->type)) {
        char what[64];
        snprintf(what, sizeof what, "a condition after %s", lm_tok_name(kw->type));
        if (t->type == T_EOF) error_at(p, t->start, t->end, true, "expected %s", what);
        else unexpected(p, t, what);
        return NULL;
    }
    node *c = parse_expr(p);
    if (c && (peek(p)->type == T_COMMA || peek(p)->type == T_SEMI)) advance(p);
    return c;
}

/* if := 'if' expr block { 'elseif' expr block } [ 'else' block ] 'end' */
static node *parse_if(parser *p) {
    token *kw = advance(p);
    p->block_depth++;
    kidlist k = {0};
    bool has_else = false, ok = true;
    token *cur = kw;
    for (;;) {
        node *c = parse_condition(p, cur);
        node *b = c ? parse_block(p, "if", kw) : NULL;
        if (!b) {
            ok = false;
            break;
        }
        kid_push(&k, c, NULL, 0);
        kid_push(&k, b, NULL, 0);
        if (peek(p)->type == T_ELSEIF) {
            cur = advance(p);
            continue;
        }
        if (peek(p)->type == T_ELSE) {
            advance(p);
            node *eb = parse_block(p, "if", kw);
            if (!eb) {
                ok = false;
                break;
            }
            kid_push(&k, eb, NULL, 0);
            has_else = true;
        }
        break;
    }
    p->block_depth--;
    node *n = new_node(p, N_IF, kw->start, peek(p)->end);
    kid_finish(p, &k, n, false, false);
    n->has_else = has_else;
    if (!ok || !expect_end(p, kw, "if")) return NULL;
    return n;
}

/* for := 'for' NAME '=' expr block 'end'   (also 'for (NAME = expr)') */
static node *parse_for(parser *p) {
    token *kw = advance(p);
    bool paren = false;
    if (peek(p)->type == T_LPAREN && peek_at(p, 1)->type == T_IDENT && peek_at(p, 2)->type == T_ASSIGN) {
        paren = true;
        advance(p);
    }
    token *var = peek(p);
    if (var->type != T_IDENT) {
        if (var->type == T_EOF) error_at(p, var->start, var->end, true, "expected the loop variable after 'for'");
        else unexpected(p, var, "the loop variable after 'for' (as in for k = 1:10)");
        return NULL;
    }
    advance(p);
    if (peek(p)->type != T_ASSIGN) {
        unexpected(p, peek(p), "'=' after the loop variable (as in for k = 1:10)");
        return NULL;
    }
    advance(p);
    token *t = peek(p);
    if (!starts_expr(t->type)) {
        if (t->type == T_EOF) error_at(p, t->start, t->end, true, "expected the values to loop over after '='");
        else unexpected(p, t, "the values to loop over (as in for k = 1:10)");
        return NULL;
    }
    node *range = parse_expr(p);
    if (!range) return NULL;
    if (paren) {
        if (peek(p)->type != T_RPAREN) {
            unexpected(p, peek(p), "')'");
            return NULL;
        }
        advance(p);
    }
    if (peek(p)->type == T_COMMA || peek(p)->type == T_SEMI) advance(p);
    p->block_depth++;
    node *body = parse_block(p, "for", kw);
    p->block_depth--;
    if (!body || !expect_end(p, kw, "for")) return NULL;
    node *v = new_node(p, N_NAME, var->start, var->end);
    v->str = tok_text(p, var);
    node *n = new_node(p, N_FOR, kw->start, p->t[p->pos - 1].end);
    n->nkids = 3;
    n->kids = arena_alloc(p->arena, 3 * sizeof *n->kids);
    n->kids[0] = v;
    n->kids[1] = range;
    n->kids[2] = body;
    return n;
}

/* while := 'while' expr block 'end' */
static node *parse_while(parser *p) {
    token *kw = advance(p);
    node *c = parse_condition(p, kw);
    if (!c) return NULL;
    p->block_depth++;
    node *body = parse_block(p, "while", kw);
    p->block_depth--;
    if (!body || !expect_end(p, kw, "while")) return NULL;
    node *n = node2(p, N_WHILE, 0, c, body);
    if (!n) return NULL;
    n->start = kw->start;
    n->end = p->t[p->pos - 1].end;
    return n;
}

/* function := 'function' [ outs '=' ] NAME [ '(' params ')' ] block 'end'
 * outs := NAME | '[' NAME { [','] NAME } ']' */
static node *parse_function(parser *p) {
    token *kw = advance(p);
    const char *outs[64], *params[64];
    uint32_t nouts = 0, nparams = 0;
    token *name_tok = NULL;
    if (peek(p)->type == T_LBRACK) {
        advance(p);
        while (peek(p)->type != T_RBRACK) {
            token *t = peek(p);
            if (t->type == T_COMMA) {
                advance(p);
                continue;
            }
            if (t->type != T_IDENT) {
                if (t->type == T_EOF) error_at(p, t->start, t->end, true, "expected ']' after the output names");
                else unexpected(p, t, "an output name");
                return NULL;
            }
            if (nouts == 64) {
                error_at(p, t->start, t->end, false, "too many outputs (at most 64)");
                return NULL;
            }
            outs[nouts++] = tok_text(p, advance(p));
        }
        advance(p);
        if (peek(p)->type != T_ASSIGN) {
            unexpected(p, peek(p), "'=' after the output list");
            return NULL;
        }
        advance(p);
    } else if (peek(p)->type == T_IDENT && peek_at(p, 1)->type == T_ASSIGN) {
        outs[nouts++] = tok_text(p, advance(p));
        advance(p);
    }
    name_tok = peek(p);
    if (name_tok->type != T_IDENT) {
        if (name_tok->type == T_EOF) error_at(p, name_tok->start, name_tok->end, true, "expected the function's name");
        else unexpected(p, name_tok, "the function's name");
        return NULL;
    }
    advance(p);
    if (peek(p)->type == T_LPAREN && !peek(p)->space_before) {
        token *open = advance(p);
        while (peek(p)->type != T_RPAREN) {
            token *t = peek(p);
            if (t->type == T_COMMA && nparams > 0) {
                advance(p);
                continue;
            }
            if (t->type != T_IDENT) {
                if (t->type == T_EOF) {
                    char w[48];
                    where(p, open->start, t->start, w, sizeof w);
                    error_at(p, t->start, t->end, true, "expected ')' to close the '(' at %s", w);
                } else {
                    unexpected(p, t, "a parameter name");
                }
                return NULL;
            }
            if (nparams == 64) {
                error_at(p, t->start, t->end, false, "too many parameters (at most 64)");
                return NULL;
            }
            params[nparams++] = tok_text(p, advance(p));
        }
        advance(p);
    }
    p->block_depth++;
    node *body = parse_block(p, "function", kw);
    p->block_depth--;
    if (!body || !expect_end(p, kw, "function")) return NULL;
    node *n = node1(p, N_FUNCDEF, 0, body, kw->start, p->t[p->pos - 1].end);
    if (!n) return NULL;
    n->str = tok_text(p, name_tok);
    n->nparams = nparams;
    n->params = arena_alloc(p->arena, (nparams ? nparams : 1) * sizeof *n->params);
    memcpy(n->params, params, nparams * sizeof *params);
    n->nouts = nouts;
    n->outs = arena_alloc(p->arena, (nouts ? nouts : 1) * sizeof *n->outs);
    memcpy(n->outs, outs, nouts * sizeof *outs);
    return n;
}

static node *parse_statement(parser *p) {
    token *t = peek(p);
    node *s = NULL;
    /* nested blocks recurse through here: bound them like brackets */
    if (!enter(p, t)) return NULL;
    s = parse_statement_inner(p, t);
    leave(p);
    return s;
}

static node *parse_statement_inner(parser *p, token *t) {
    node *s = NULL;
    switch (t->type) {
    case T_IF: s = parse_if(p); break;
    case T_FOR: s = parse_for(p); break;
    case T_WHILE: s = parse_while(p); break;
    case T_FUNCTION: s = parse_function(p); break;
    case T_BREAK:
    case T_CONTINUE:
    case T_RETURN:
        advance(p);
        if (t->type != T_RETURN && p->block_depth == 0) {
            error_at(p, t->start, t->end, false, "'%s' only makes sense inside a for or while loop",
                     t->type == T_BREAK ? "break" : "continue");
            return NULL;
        }
        s = new_node(p, t->type == T_BREAK ? N_BREAK : t->type == T_CONTINUE ? N_CONTINUE : N_RETURN, t->start, t->end);
        break;
    case T_LBRACK:
        s = is_multi_assign(p) ? parse_multi_assign(p) : parse_simple(p);
        break;
    case T_IDENT:
        s = statement_is_command(p) ? parse_command(p) : parse_simple(p);
        break;
    default:
        if (!starts_expr(t->type)) {
            unexpected(p, t, "a statement");
            return NULL;
        }
        s = parse_simple(p);
        break;
    }
    if (!s) return NULL;
    if (!finish_statement(p, s)) return NULL;
    return s;
}

void lm_src_locate(const char *src, size_t len, uint32_t off, int *line, int *col) {
    int l = 1, c = 1;
    if (off > len) off = (uint32_t)len;
    for (uint32_t i = 0; i < off; i++) {
        if (src[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)src[i] & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

lm_program *lm_parse(const char *src, size_t len, const char *src_name, lm_value *error) {
    *error = lm_nil();
    if (len > (size_t)LM_MAX_SOURCE) {
        *error = lm_error_new(LM_ERR_LIMIT, "the program is too long (%zu bytes; the limit is %lld)", len,
                              (long long)LM_MAX_SOURCE);
        return NULL;
    }
    lm_program *prog = lm_calloc(1, sizeof *prog);
    lm_obj_init(&prog->hdr, LM_OBJECT, &program_type);
    prog->src = lm_strndup(src, len);
    prog->len = len;
    prog->src_name = lm_strdup(src_name ? src_name : "<input>");

    lm_tokens toks = {0};
    lm_lex(prog->src, len, &toks);
    parser p = {0};
    p.src = prog->src;
    p.len = len;
    p.t = toks.v;
    p.n = toks.n;
    p.arena = &prog->arena;
    p.error = lm_nil();

    node *root = parse_statements(&p, 0);
    if (!failed(&p) && peek(&p)->type != T_EOF) {
        token *t = peek(&p);
        if (t->type == T_END) error_at(&p, t->start, t->end, false, "this 'end' has no 'if', 'for', 'while' or 'function' to close");
        else if (t->type == T_ELSE || t->type == T_ELSEIF)
            error_at(&p, t->start, t->end, false, "%s without an 'if' before it", lm_tok_name(t->type));
        else unexpected(&p, t, "a statement");
    }
    lm_free(toks.v);
    if (failed(&p)) {
        *error = p.error;
        lm_program_release(prog);
        return NULL;
    }
    prog->root = root;
    return prog;
}

void lm_parse_status(const char *src, size_t len, bool *incomplete) {
    lm_value err;
    lm_program *prog = lm_parse(src, len, NULL, &err);
    *incomplete = false;
    if (prog) {
        lm_program_release(prog);
        return;
    }
    if (lm_is_error(err)) *incomplete = lm_error_obj(err)->incomplete;
    lm_release(err);
}
