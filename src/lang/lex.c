/* The lexer: turns the whole program into a token array up front, so the parser
 * can look ahead as far as Octave's matrix-literal rules need. Whitespace before
 * a token is recorded (it separates elements inside [ ]); comments start with #,
 * and `...` continues a line. */
#include "lang/lang_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void push(lm_tokens *t, tok_type type, uint32_t start, uint32_t end, bool space, double num) {
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = lm_realloc(t->v, t->cap * sizeof *t->v);
    }
    token *k = &t->v[t->n++];
    k->type = (uint8_t)type;
    k->start = start;
    k->end = end;
    k->space_before = space;
    k->num = num;
}

static const struct {
    const char *word;
    tok_type type;
} keywords[] = {
    {"if", T_IF},         {"elseif", T_ELSEIF},     {"else", T_ELSE},         {"end", T_END},
    {"endif", T_END},     {"endfor", T_END},        {"endwhile", T_END},      {"endfunction", T_END},
    {"for", T_FOR},       {"while", T_WHILE},       {"function", T_FUNCTION}, {"break", T_BREAK},
    {"continue", T_CONTINUE}, {"return", T_RETURN},
};

static bool is_ident_start(int c) { return isalpha(c) || c == '_'; }
static bool is_ident_char(int c) { return isalnum(c) || c == '_'; }

void lm_lex(const char *src, size_t len, lm_tokens *out) {
    size_t i = 0;
    bool space = false;
    while (i < len) {
        unsigned char c = (unsigned char)src[i];
        uint32_t st = (uint32_t)i;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = true;
            i++;
            continue;
        }
        if (c == '#') {
            while (i < len && src[i] != '\n') i++;
            continue;
        }
        if (c == '.' && i + 2 < len && src[i + 1] == '.' && src[i + 2] == '.') {
            /* continuation: the rest of the line is a comment and the newline is space */
            while (i < len && src[i] != '\n') i++;
            if (i < len) i++;
            space = true;
            continue;
        }
        if (c == '\n') {
            push(out, T_NEWLINE, st, st + 1, space, 0);
            space = false;
            i++;
            continue;
        }
        if (isdigit(c) || (c == '.' && i + 1 < len && isdigit((unsigned char)src[i + 1]))) {
            size_t j = i;
            while (j < len && isdigit((unsigned char)src[j])) j++;
            /* "1.*2" is 1 .* 2 and "1.'" a transpose: the dot belongs to the operator */
            if (j < len && src[j] == '.' &&
                !(j + 1 < len && src[j + 1] && strchr("*/\\^'", src[j + 1]))) {
                j++;
                while (j < len && isdigit((unsigned char)src[j])) j++;
            }
            if (j < len && (src[j] == 'e' || src[j] == 'E')) {
                size_t k = j + 1;
                if (k < len && (src[k] == '+' || src[k] == '-')) k++;
                if (k < len && isdigit((unsigned char)src[k])) {
                    while (k < len && isdigit((unsigned char)src[k])) k++;
                    j = k;
                }
            }
            char tmp[64];
            size_t n = j - i < sizeof tmp - 1 ? j - i : sizeof tmp - 1;
            memcpy(tmp, src + i, n);
            tmp[n] = '\0';
            double v = strtod(tmp, NULL);
            if (j - i >= sizeof tmp - 1) {
                /* absurdly long literal: let strtod see all of it */
                char *big = lm_strndup(src + i, j - i);
                v = strtod(big, NULL);
                lm_free(big);
            }
            tok_type type = T_NUM;
            if (j < len && (src[j] == 'i' || src[j] == 'j') && !(j + 1 < len && is_ident_char((unsigned char)src[j + 1]))) {
                type = T_IMAG;
                j++;
            }
            push(out, type, st, (uint32_t)j, space, v);
            space = false;
            i = j;
            continue;
        }
        if (is_ident_start(c)) {
            size_t j = i;
            while (j < len && is_ident_char((unsigned char)src[j])) j++;
            tok_type type = T_IDENT;
            for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
                if (strlen(keywords[k].word) == j - i && memcmp(keywords[k].word, src + i, j - i) == 0) {
                    type = keywords[k].type;
                    break;
                }
            }
            push(out, type, st, (uint32_t)j, space, 0);
            space = false;
            i = j;
            continue;
        }
        if (c == '"') {
            size_t j = i + 1;
            while (j < len && src[j] != '"' && src[j] != '\n') {
                if (src[j] == '\\' && j + 1 < len && src[j + 1] != '\n') j++;
                j++;
            }
            if (j < len && src[j] == '"') {
                push(out, T_STR, st, (uint32_t)(j + 1), space, 0);
                i = j + 1;
            } else {
                push(out, T_ERROR, st, (uint32_t)j, space, 1); /* num 1: unterminated string */
                i = j;
            }
            space = false;
            continue;
        }
        /* operators, longest match first */
        tok_type type = T_ERROR;
        size_t n = 1;
        char c1 = i + 1 < len ? src[i + 1] : '\0';
        switch (c) {
        case '(': type = T_LPAREN; break;
        case ')': type = T_RPAREN; break;
        case '[': type = T_LBRACK; break;
        case ']': type = T_RBRACK; break;
        case '{': type = T_LBRACE; break;
        case '}': type = T_RBRACE; break;
        case ',': type = T_COMMA; break;
        case ';': type = T_SEMI; break;
        case '+': type = T_PLUS; break;
        case '-': type = T_MINUS; break;
        case '*': type = T_STAR; break;
        case '/': type = T_SLASH; break;
        case '\\': type = T_BSLASH; break;
        case '^': type = T_CARET; break;
        case '\'': type = T_QUOTE; break;
        case ':': type = T_COLON; break;
        case '@': type = T_AT; break;
        case '.':
            switch (c1) {
            case '*': type = T_DOTSTAR; n = 2; break;
            case '/': type = T_DOTSLASH; n = 2; break;
            case '\\': type = T_DOTBSLASH; n = 2; break;
            case '^': type = T_DOTCARET; n = 2; break;
            case '\'': type = T_DOTQUOTE; n = 2; break;
            default: break;
            }
            break;
        case '=': if (c1 == '=') { type = T_EQ; n = 2; } else type = T_ASSIGN; break;
        case '~': if (c1 == '=') { type = T_NE; n = 2; } else type = T_NOT; break;
        case '!': if (c1 == '=') { type = T_NE; n = 2; } else type = T_NOT; break;
        case '<': if (c1 == '=') { type = T_LE; n = 2; } else type = T_LT; break;
        case '>': if (c1 == '=') { type = T_GE; n = 2; } else type = T_GT; break;
        case '&': if (c1 == '&') { type = T_ANDAND; n = 2; } else type = T_AND; break;
        case '|': if (c1 == '|') { type = T_OROR; n = 2; } else type = T_OR; break;
        default: break;
        }
        if (type == T_ERROR) {
            /* one whole UTF-8 character, so the message can quote it */
            while (i + n < len && ((unsigned char)src[i + n] & 0xC0) == 0x80) n++;
        }
        push(out, type, st, (uint32_t)(i + n), space, 0);
        space = false;
        i += n;
    }
    push(out, T_EOF, (uint32_t)len, (uint32_t)len, space, 0);
}

const char *lm_tok_name(tok_type t) {
    switch (t) {
    case T_EOF: return "the end of the input";
    case T_NEWLINE: return "the end of the line";
    case T_SEMI: return "';'";
    case T_COMMA: return "','";
    case T_NUM: return "a number";
    case T_IMAG: return "an imaginary number";
    case T_STR: return "a string";
    case T_IDENT: return "a name";
    case T_LPAREN: return "'('";
    case T_RPAREN: return "')'";
    case T_LBRACK: return "'['";
    case T_RBRACK: return "']'";
    case T_LBRACE: return "'{'";
    case T_RBRACE: return "'}'";
    case T_PLUS: return "'+'";
    case T_MINUS: return "'-'";
    case T_STAR: return "'*'";
    case T_SLASH: return "'/'";
    case T_BSLASH: return "'\\'";
    case T_CARET: return "'^'";
    case T_DOTSTAR: return "'.*'";
    case T_DOTSLASH: return "'./'";
    case T_DOTBSLASH: return "'.\\'";
    case T_DOTCARET: return "'.^'";
    case T_QUOTE: return "'''";
    case T_DOTQUOTE: return "'.''";
    case T_EQ: return "'=='";
    case T_NE: return "'~='";
    case T_LT: return "'<'";
    case T_LE: return "'<='";
    case T_GT: return "'>'";
    case T_GE: return "'>='";
    case T_ANDAND: return "'&&'";
    case T_OROR: return "'||'";
    case T_AND: return "'&'";
    case T_OR: return "'|'";
    case T_NOT: return "'!'";
    case T_ASSIGN: return "'='";
    case T_COLON: return "':'";
    case T_AT: return "'@'";
    case T_IF: return "'if'";
    case T_ELSEIF: return "'elseif'";
    case T_ELSE: return "'else'";
    case T_END: return "'end'";
    case T_FOR: return "'for'";
    case T_WHILE: return "'while'";
    case T_FUNCTION: return "'function'";
    case T_BREAK: return "'break'";
    case T_CONTINUE: return "'continue'";
    case T_RETURN: return "'return'";
    case T_ERROR: return "an unexpected character";
    }
    return "a token";
}
