/* The lessons' LaTeX subset (lessons/README.md, "Math") as readable Unicode for
 * the terminal: x^{2} → x², x_i → xᵢ, \frac{a}{b} → a/b, \sqrt{x} → √x,
 * greek, operators, and matrices as bracketed rows aligned by column.
 *
 * Superscripts and subscripts use Unicode's modifier letters where every
 * character has one; otherwise they fall back to x^(...) so nothing is lost.
 * A matrix at the top level of a formula is laid out in rows (the rest of the
 * formula sits on its middle row); inside a fraction or exponent it is written
 * on one line as [a b; c d].
 *
 * A minus stays the ASCII hyphen-minus, not U+2212: lemma prints every
 * expression, matrix and number that way (eval, cell output, the practice
 * solutions), and a learner types "-" in answers, so the formula above a cell
 * shows the same character as the cell's output under it. */
#include "learn/lesson_int.h"

#include <ctype.h>
#include <string.h>

typedef struct sym {
    const char *name;
    const char *text;
} sym;

/* Control words that are one symbol. Named functions keep their name. */
static const sym symbols[] = {
    {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"}, {"varepsilon", "ε"},
    {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"vartheta", "ϑ"}, {"iota", "ι"}, {"kappa", "κ"},
    {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"}, {"pi", "π"}, {"rho", "ρ"}, {"sigma", "σ"},
    {"tau", "τ"}, {"upsilon", "υ"}, {"phi", "φ"}, {"varphi", "φ"}, {"chi", "χ"}, {"psi", "ψ"},
    {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"}, {"Lambda", "Λ"}, {"Xi", "Ξ"},
    {"Pi", "Π"}, {"Sigma", "Σ"}, {"Upsilon", "Υ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
    {"sum", "Σ"}, {"prod", "∏"}, {"int", "∫"}, {"iint", "∬"}, {"oint", "∮"}, {"partial", "∂"},
    {"nabla", "∇"}, {"infty", "∞"}, {"cdot", "·"}, {"times", "×"}, {"div", "÷"}, {"pm", "±"},
    {"mp", "∓"}, {"le", "≤"}, {"leq", "≤"}, {"ge", "≥"}, {"geq", "≥"}, {"ne", "≠"}, {"neq", "≠"},
    {"approx", "≈"}, {"equiv", "≡"}, {"sim", "∼"}, {"simeq", "≃"}, {"propto", "∝"}, {"to", "→"},
    {"rightarrow", "→"}, {"leftarrow", "←"}, {"leftrightarrow", "↔"}, {"longrightarrow", "⟶"}, {"Rightarrow", "⇒"}, {"Leftarrow", "⇐"},
    {"implies", "⇒"}, {"iff", "⇔"}, {"Leftrightarrow", "⇔"}, {"mapsto", "↦"}, {"in", "∈"},
    {"notin", "∉"}, {"subset", "⊂"}, {"subseteq", "⊆"}, {"cup", "∪"}, {"cap", "∩"}, {"emptyset", "∅"},
    {"forall", "∀"}, {"exists", "∃"}, {"neg", "¬"}, {"land", "∧"}, {"lor", "∨"}, {"mid", "|"},
    {"vert", "|"}, {"lvert", "|"}, {"rvert", "|"}, {"|", "‖"}, {"Vert", "‖"}, {"lVert", "‖"},
    {"rVert", "‖"}, {"langle", "⟨"}, {"rangle", "⟩"}, {"top", "⊤"}, {"perp", "⊥"}, {"circ", "∘"},
    {"odot", "⊙"}, {"otimes", "⊗"}, {"oplus", "⊕"}, {"ldots", "…"}, {"dots", "…"}, {"cdots", "⋯"},
    {"vdots", "⋮"}, {"ddots", "⋱"}, {"prime", "′"}, {"ell", "ℓ"}, {"star", "⋆"}, {"ast", "∗"},
    {"lfloor", "⌊"}, {"rfloor", "⌋"}, {"lceil", "⌈"}, {"rceil", "⌉"}, {"{", "{"}, {"}", "}"},
    {"%", "%"}, {"$", "$"}, {"_", "_"}, {"#", "#"}, {"&", "&"}, {",", " "}, {";", " "}, {":", " "},
    {" ", " "}, {"!", ""}, {"quad", "  "}, {"qquad", "    "}, {"displaystyle", ""}, {"textstyle", ""},
    {"left", ""}, {"right", ""}, {"big", ""}, {"Big", ""}, {"bigg", ""}, {"Bigg", ""}, {"bigl", ""},
    {"bigr", ""}, {"Bigl", ""}, {"Bigr", ""}, {"limits", ""}, {"nolimits", ""},
    {"log", "log"}, {"ln", "ln"}, {"exp", "exp"}, {"sin", "sin"}, {"cos", "cos"}, {"tan", "tan"},
    {"tanh", "tanh"}, {"max", "max"}, {"min", "min"}, {"arg", "arg"}, {"argmax", "argmax"},
    {"argmin", "argmin"}, {"det", "det"}, {"lim", "lim"}, {"sup", "sup"}, {"inf", "inf"},
    {"Pr", "Pr"}, {"Var", "Var"}, {"Cov", "Cov"}, {"rank", "rank"}, {"tr", "tr"}, {"sgn", "sgn"},
    {NULL, NULL}};

/* The greek letters come first in symbols[]: everything before "sum". */
static bool is_greek(const sym *s) {
    for (const sym *g = symbols; strcmp(g->name, "sum") != 0; g++)
        if (g == s) return true;
    return false;
}

typedef struct pair {
    const char *from;
    const char *to;
} pair;

static const pair superscripts[] = {
    {"0", "⁰"}, {"1", "¹"}, {"2", "²"}, {"3", "³"}, {"4", "⁴"}, {"5", "⁵"}, {"6", "⁶"}, {"7", "⁷"},
    {"8", "⁸"}, {"9", "⁹"}, {"+", "⁺"}, {"-", "⁻"}, {"−", "⁻"}, {"=", "⁼"}, {"(", "⁽"}, {")", "⁾"},
    {"a", "ᵃ"}, {"b", "ᵇ"}, {"c", "ᶜ"}, {"d", "ᵈ"}, {"e", "ᵉ"}, {"f", "ᶠ"}, {"g", "ᵍ"}, {"h", "ʰ"},
    {"i", "ⁱ"}, {"j", "ʲ"}, {"k", "ᵏ"}, {"l", "ˡ"}, {"m", "ᵐ"}, {"n", "ⁿ"}, {"o", "ᵒ"}, {"p", "ᵖ"},
    {"r", "ʳ"}, {"s", "ˢ"}, {"t", "ᵗ"}, {"u", "ᵘ"}, {"v", "ᵛ"}, {"w", "ʷ"}, {"x", "ˣ"}, {"y", "ʸ"},
    {"z", "ᶻ"}, {"T", "ᵀ"}, {"A", "ᴬ"}, {"B", "ᴮ"}, {"D", "ᴰ"}, {"E", "ᴱ"}, {"G", "ᴳ"}, {"H", "ᴴ"},
    {"I", "ᴵ"}, {"J", "ᴶ"}, {"K", "ᴷ"}, {"L", "ᴸ"}, {"M", "ᴹ"}, {"N", "ᴺ"}, {"O", "ᴼ"}, {"P", "ᴾ"},
    {"R", "ᴿ"}, {"U", "ᵁ"}, {"V", "ⱽ"}, {"W", "ᵂ"}, {"⊤", "ᵀ"}, {"*", "*"}, {"′", "′"}, {"'", "′"}, {"β", "ᵝ"}, {"γ", "ᵞ"},
    {"δ", "ᵟ"}, {"θ", "ᶿ"}, {"φ", "ᵠ"}, {"χ", "ᵡ"}, {NULL, NULL}};

static const pair subscripts[] = {
    {"0", "₀"}, {"1", "₁"}, {"2", "₂"}, {"3", "₃"}, {"4", "₄"}, {"5", "₅"}, {"6", "₆"}, {"7", "₇"},
    {"8", "₈"}, {"9", "₉"}, {"+", "₊"}, {"-", "₋"}, {"−", "₋"}, {"=", "₌"}, {"(", "₍"}, {")", "₎"},
    {"a", "ₐ"}, {"e", "ₑ"}, {"h", "ₕ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"},
    {"n", "ₙ"}, {"o", "ₒ"}, {"p", "ₚ"}, {"r", "ᵣ"}, {"s", "ₛ"}, {"t", "ₜ"}, {"u", "ᵤ"}, {"v", "ᵥ"},
    {"x", "ₓ"}, {"β", "ᵦ"}, {"γ", "ᵧ"}, {"ρ", "ᵨ"}, {"φ", "ᵩ"}, {"χ", "ᵪ"}, {NULL, NULL}};

static const pair blackboard[] = {{"R", "ℝ"}, {"E", "𝔼"}, {"N", "ℕ"}, {"Z", "ℤ"}, {"Q", "ℚ"},
                                  {"C", "ℂ"}, {"P", "ℙ"}, {"1", "𝟙"}, {NULL, NULL}};
static const pair calligraphic[] = {{"L", "ℒ"}, {"N", "𝒩"}, {"D", "𝒟"}, {"H", "ℋ"}, {"F", "ℱ"},
                                    {"O", "𝒪"}, {NULL, NULL}};

/* Accents become combining marks on the last character. */
static const pair accents[] = {{"hat", "\xCC\x82"}, {"widehat", "\xCC\x82"}, {"bar", "\xCC\x84"},
                               {"overline", "\xCC\x85"}, {"tilde", "\xCC\x83"}, {"widetilde", "\xCC\x83"},
                               {"vec", "\xE2\x83\x97"}, {"dot", "\xCC\x87"}, {"ddot", "\xCC\x88"},
                               {NULL, NULL}};

static const char *pair_find(const pair *t, const char *s, size_t n) {
    for (; t->from; t++)
        if (strlen(t->from) == n && !memcmp(t->from, s, n)) return t->to;
    return NULL;
}

/* ---- layout: rows for matrices at the top level ----------------------------------- */

#define MAX_ROWS 24

typedef struct layout {
    lm_buf rows[MAX_ROWS];
    int nrows;
    int base;
    size_t width;
    bool gap; /* a tall box was just placed: text after it starts one space on */
} layout;

static void pad_to(lm_buf *b, size_t width) {
    for (size_t w = lm_text_columns(lm_buf_cstr(b), b->len); w < width; w++) lm_buf_putc(b, ' ');
}

static void layout_text(layout *L, const char *s, size_t n) {
    if (!n) return;
    pad_to(&L->rows[L->base], L->width);
    /* "⎡a b⎤ = ad" and "det ⎡a b⎤": a bracket drawn over several rows needs
       air on both sides or the text reads as part of it */
    if (L->gap && !strchr(" ,.;:)", s[0])) {
        lm_buf_putc(&L->rows[L->base], ' ');
        L->width++;
    }
    L->gap = false;
    lm_buf_put(&L->rows[L->base], s, n);
    L->width += lm_text_columns(s, n);
}

/* Places a block of rows whose middle row lines up with the formula's baseline. */
static void layout_box(layout *L, lm_buf *rows, int nrows, size_t width) {
    if (L->width && L->gap) L->width++; /* two tall boxes side by side */
    else if (L->width) {
        const lm_buf *b = &L->rows[L->base];
        if (b->len && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '(') L->width++;
    }
    int mid = (nrows - 1) / 2;
    int above = mid - L->base, below = (nrows - mid) - (L->nrows - L->base);
    if (above > 0 && L->nrows + above <= MAX_ROWS) {
        memmove(&L->rows[above], &L->rows[0], (size_t)L->nrows * sizeof *L->rows);
        for (int i = 0; i < above; i++) L->rows[i] = (lm_buf)LM_BUF_INIT;
        L->nrows += above;
        L->base += above;
    }
    for (; below > 0 && L->nrows < MAX_ROWS; below--) L->rows[L->nrows++] = (lm_buf)LM_BUF_INIT;
    for (int i = 0; i < nrows; i++) {
        int r = L->base - mid + i;
        if (r < 0 || r >= L->nrows) continue;
        pad_to(&L->rows[r], L->width);
        lm_buf_put(&L->rows[r], lm_buf_cstr(&rows[i]), rows[i].len);
    }
    L->width += width;
    L->gap = true;
}

/* ---- the converter ---------------------------------------------------------------- */

typedef struct conv {
    const char *s, *end;
    int depth;
    int swallowed; /* \left[ delimiters dropped because an array draws its own brackets */
    size_t word_end; /* where the last function name written (cos, arg) ends in its buffer */
} conv;

enum { STOP_END, STOP_BRACE, STOP_CELL, STOP_ROW, STOP_ENV, STOP_RIGHT_BRACKET };

static int convert(conv *c, lm_buf *out, layout *L, int mode);

static void skip_space(conv *c) {
    while (c->s < c->end && isspace((unsigned char)*c->s)) c->s++;
}

/* A control word or symbol after '\', into name (NUL-terminated). */
static void read_command(conv *c, char *name, size_t cap) {
    size_t n = 0;
    if (c->s < c->end && isalpha((unsigned char)*c->s)) {
        while (c->s < c->end && isalpha((unsigned char)*c->s)) {
            if (n + 1 < cap) name[n++] = *c->s;
            c->s++;
        }
    } else if (c->s < c->end) {
        name[n++] = *c->s++;
    }
    name[n] = 0;
}

/* Raw text of a {...} group (for \text and \begin{name}); moves past it. */
static void raw_group(conv *c, lm_buf *out) {
    skip_space(c);
    if (c->s >= c->end || *c->s != '{') return;
    int level = 0;
    const char *start = ++c->s;
    for (; c->s < c->end; c->s++) {
        if (*c->s == '\\' && c->s + 1 < c->end) c->s++;
        else if (*c->s == '{') level++;
        else if (*c->s == '}' && level-- == 0) break;
    }
    lm_buf_put(out, start, (size_t)(c->s - start));
    if (c->s < c->end) c->s++;
}

/* One argument: a {group}, a \command or one character, converted. */
static void argument(conv *c, lm_buf *out) {
    skip_space(c);
    if (c->s >= c->end) return;
    if (*c->s == '{') {
        c->s++;
        convert(c, out, NULL, STOP_BRACE);
        return;
    }
    if (*c->s == '\\') {
        /* one command: convert exactly it by bounding the input */
        const char *save_end = c->end;
        const char *p = c->s + 1;
        if (p < c->end && isalpha((unsigned char)*p))
            while (p < c->end && isalpha((unsigned char)*p)) p++;
        else if (p < c->end)
            p++;
        c->end = p;
        convert(c, out, NULL, STOP_END);
        c->end = save_end;
        return;
    }
    size_t n = lm_utf8_len((unsigned char)*c->s);
    if (c->s + n > c->end) n = (size_t)(c->end - c->s);
    lm_buf_put(out, c->s, n);
    c->s += n;
}

static size_t code_points(const char *s, size_t n) {
    size_t k = 0;
    for (size_t i = 0; i < n; i += lm_utf8_len((unsigned char)s[i])) k++;
    return k;
}

/* Already converted text as a superscript or subscript: modifier letters when
 * every character has one, else ^(...) / _(...). */
static void script_text(const char *a, size_t len, bool sup, lm_buf *out) {
    lm_buf mapped = LM_BUF_INIT;
    bool ok = len > 0;
    for (size_t i = 0; ok && i < len;) {
        size_t n = lm_utf8_len((unsigned char)a[i]);
        if (a[i] == ' ') {
            i++;
            continue;
        }
        const char *m = pair_find(sup ? superscripts : subscripts, a + i, n);
        if (m) lm_buf_puts(&mapped, m);
        else ok = false;
        i += n;
    }
    if (ok) {
        lm_buf_put(out, lm_buf_cstr(&mapped), mapped.len);
    } else if (len) {
        lm_buf_putc(out, sup ? '^' : '_');
        /* D_KL, f_xy, q_ML read as one label; an exponent or a subscript
           with spaces or signs keeps its parentheses: e^(-x²), θ_(c,w) */
        bool word = !sup;
        for (size_t i = 0; i < len && word; i++) word = isalnum((unsigned char)a[i]);
        bool wrap = code_points(a, len) > 1 && !word;
        if (wrap) lm_buf_putc(out, '(');
        lm_buf_put(out, a, len);
        if (wrap) lm_buf_putc(out, ')');
    }
    lm_buf_free(&mapped);
}

static void script(conv *c, lm_buf *out, bool sup) {
    lm_buf arg = LM_BUF_INIT;
    argument(c, &arg);
    script_text(lm_buf_cstr(&arg), arg.len, sup, out);
    lm_buf_free(&arg);
}

/* s[open] is '(' and its matching ')' is the last byte: the text from open
 * on is one parenthesised group, not "(a)(b)" or "(a) + (b)". */
static bool closes_at_end(const char *s, size_t n, size_t open) {
    int level = 0;
    for (size_t i = open; i < n; i++) {
        if (s[i] == '(') level++;
        else if (s[i] == ')' && --level == 0) return i == n - 1;
    }
    return false;
}

/* One group "(a + b)" or one call "P(A ∩ B)", "log(x + 1)": already reads
 * as a single factor, so a fraction adds no parentheses around it. */
static bool one_factor(const char *s, size_t n) {
    const char *open = memchr(s, '(', n);
    if (!open || s[n - 1] != ')') return false;
    for (const char *p = s; p < open; p++)
        if (strchr(" +-/=,|", *p) || !memcmp(p, "·", 2) || !memcmp(p, "×", 2)) return false;
    return closes_at_end(s, n, (size_t)(open - s));
}

/* A fraction's part needs parentheses when it is more than one term. */
static bool needs_parens(const char *s, size_t n) {
    if (code_points(s, n) <= 1) return false;
    if (one_factor(s, n)) return false;
    for (size_t i = 0; i < n; i++)
        if (strchr(" +-/", s[i]) || (i + 1 < n && !memcmp(s + i, "·", 2)) ||
            (i + 1 < n && !memcmp(s + i, "×", 2)))
            return true;
    return false;
}

static bool all_digits(const char *s, size_t n) {
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && s[i] != '.') return false;
    return true;
}

/* One thing a reader cannot split: a number, a letter with its scripts (xᵢ,
 * x²), a root of one (√2, √u), or one group or call. A denominator that is
 * anything else, even a product like 2√u, gets parentheses: 1/(2√u), never
 * 1/2√u, which reads as ½·√u. */
static bool atom(const char *s, size_t n) {
    if (!n || all_digits(s, n) || one_factor(s, n)) return true;
    if (n > 3 && !memcmp(s, "√", 3)) return atom(s + 3, n - 3);
    size_t k = lm_utf8_len((unsigned char)s[0]);
    if (k > n || !(isalpha((unsigned char)s[0]) || k > 1)) return false;
    /* what follows the letter must be scripts: non-ASCII, and no operator */
    for (size_t i = k; i < n; i += lm_utf8_len((unsigned char)s[i]))
        if ((unsigned char)s[i] < 0x80 || !memcmp(s + i, "√", 3) || !memcmp(s + i, "·", 2) || !memcmp(s + i, "×", 2))
            return false;
    return true;
}

static void put_part(lm_buf *out, const lm_buf *b, bool denominator) {
    const char *s = lm_buf_cstr(b);
    bool wrap = needs_parens(s, b->len) || (denominator && !atom(s, b->len));
    if (wrap) lm_buf_putc(out, '(');
    lm_buf_put(out, s, b->len);
    if (wrap) lm_buf_putc(out, ')');
}

/* d/dx, ∂/∂x, d²/dx²: an operator, read as one whatever follows the d */
static bool derivative(const lm_buf *num, const lm_buf *den) {
    const char *a = lm_buf_cstr(num), *b = lm_buf_cstr(den);
    bool dn = (a[0] == 'd' || !strncmp(a, "∂", 3)) && !strpbrk(a, "+-=/");
    if (!dn) return false;
    /* every factor below is a differential: dx², ∂x ∂y */
    for (const char *p = b; *p;) {
        if (*p != 'd' && strncmp(p, "∂", 3) != 0) return false;
        p = strchr(p, ' ');
        if (!p) break;
        while (*p == ' ') p++;
    }
    return true;
}

/* The output ends with a function's name (ln, log₂, sin ...), which then
 * takes the fraction as its argument: ln(p/(1 - p)), not ln p/(1 - p). */
static bool after_function(const lm_buf *out) {
    static const char *const fns[] = {"ln", "log", "exp", "sin", "cos", "tan", "tanh", "sigmoid"};
    size_t n = out->len;
    while (n && out->s[n - 1] == ' ') n--;
    while (n >= 3 && (unsigned char)out->s[n - 3] == 0xE2 && (unsigned char)out->s[n - 2] == 0x82) n -= 3; /* ₀..₉ */
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        size_t k = strlen(fns[i]);
        if (n >= k && !memcmp(out->s + n - k, fns[i], k) && (n == k || !isalpha((unsigned char)out->s[n - k - 1])))
            return true;
    }
    return false;
}

static void fraction(conv *c, lm_buf *out) {
    lm_buf num = LM_BUF_INIT, den = LM_BUF_INIT;
    argument(c, &num);
    argument(c, &den);
    static const char *const vulgar[][3] = {{"1", "2", "½"}, {"1", "3", "⅓"}, {"2", "3", "⅔"},
                                            {"1", "4", "¼"}, {"3", "4", "¾"}};
    for (size_t i = 0; i < sizeof vulgar / sizeof *vulgar; i++)
        if (!strcmp(lm_buf_cstr(&num), vulgar[i][0]) && !strcmp(lm_buf_cstr(&den), vulgar[i][1])) {
            lm_buf_puts(out, vulgar[i][2]);
            goto done;
        }
    bool call = after_function(out);
    if (call) {
        while (out->len && out->s[out->len - 1] == ' ') out->len--;
        out->s[out->len] = '\0';
        lm_buf_putc(out, '(');
    }
    if (derivative(&num, &den)) /* d²y/dx²: the operator and its function as one */
        for (size_t i = 0; i < num.len; i++) {
            if (num.s[i] != ' ') lm_buf_putc(out, num.s[i]);
        }
    else
        put_part(out, &num, false);
    lm_buf_putc(out, '/');
    if (derivative(&num, &den))
        for (size_t i = 0; i < den.len; i++) {
            if (den.s[i] != ' ') lm_buf_putc(out, den.s[i]);
        }
    else
        put_part(out, &den, true);
    if (call) lm_buf_putc(out, ')');
    /* d/dx sin(x), 1/n Σ, 1/√2 (1, 1): what follows a written-out fraction is
       not part of its denominator */
    const char *before = c->s;
    skip_space(c);
    if (c->s > before ||
        (c->s < c->end && (isalnum((unsigned char)*c->s) || *c->s == '(' || *c->s == '\\') &&
         !(c->s + 1 < c->end && c->s[0] == '\\' && !isalpha((unsigned char)c->s[1]))))
        lm_buf_putc(out, ' ');
done:
    lm_buf_free(&num);
    lm_buf_free(&den);
}

static void square_root(conv *c, lm_buf *out) {
    lm_buf idx = LM_BUF_INIT, arg = LM_BUF_INIT;
    skip_space(c);
    if (c->s < c->end && *c->s == '[') {
        c->s++;
        convert(c, &idx, NULL, STOP_RIGHT_BRACKET);
    }
    argument(c, &arg);
    const char *i = lm_buf_cstr(&idx);
    if (!strcmp(i, "3")) lm_buf_puts(out, "∛");
    else if (!strcmp(i, "4")) lm_buf_puts(out, "∜");
    else {
        script_text(i, idx.len, true, out);
        lm_buf_puts(out, "√");
    }
    bool wrap = code_points(lm_buf_cstr(&arg), arg.len) > 1 && !all_digits(arg.s, arg.len) &&
                !(arg.s[0] == '(' && one_factor(arg.s, arg.len));
    if (wrap) lm_buf_putc(out, '(');
    lm_buf_put(out, lm_buf_cstr(&arg), arg.len);
    if (wrap) lm_buf_putc(out, ')');
    lm_buf_free(&idx);
    lm_buf_free(&arg);
}

static void font(conv *c, lm_buf *out, const pair *table) {
    lm_buf arg = LM_BUF_INIT;
    argument(c, &arg);
    for (size_t i = 0; i < arg.len;) {
        size_t n = lm_utf8_len((unsigned char)arg.s[i]);
        const char *m = table ? pair_find(table, arg.s + i, n) : NULL;
        if (m) lm_buf_puts(out, m);
        else lm_buf_put(out, arg.s + i, n);
        i += n;
    }
    lm_buf_free(&arg);
}

static void trim_cell(lm_buf *b) {
    size_t start = 0;
    while (start < b->len && b->s[start] == ' ') start++;
    size_t end = b->len;
    while (end > start && b->s[end - 1] == ' ') end--;
    if (!b->len) return;
    memmove(b->s, b->s + start, end - start);
    b->len = end - start;
    b->s[b->len] = 0;
}

#define MAX_CELLS 64

/* \begin{env} ... \end{env}: matrices in brackets, other environments bare. */
static void environment(conv *c, lm_buf *out, layout *L) {
    lm_buf name = LM_BUF_INIT;
    raw_group(c, &name);
    const char *env = lm_buf_cstr(&name);
    /* array{cc|cc}: an augmented matrix [A | I]; a rule after column bar_after */
    int bar_after = -1;
    bool array = !strcmp(env, "array");
    if (array) {
        lm_buf spec = LM_BUF_INIT;
        skip_space(c);
        if (c->s < c->end && *c->s == '{') raw_group(c, &spec);
        int k = 0;
        for (size_t i = 0; i < spec.len; i++) {
            if (spec.s[i] == '|' && k > 0 && bar_after < 0) bar_after = k - 1;
            else if (spec.s[i] == 'c' || spec.s[i] == 'l' || spec.s[i] == 'r') k++;
        }
        lm_buf_free(&spec);
    }
    lm_buf cells[MAX_CELLS];
    int rowof[MAX_CELLS], colof[MAX_CELLS];
    int ncells = 0, row = 0, col = 0, ncols = 0;
    for (;;) {
        lm_buf cell = LM_BUF_INIT;
        int stop = convert(c, &cell, NULL, STOP_CELL);
        trim_cell(&cell);
        bool empty_last_row = (stop == STOP_ENV || stop == STOP_END) && col == 0 && cell.len == 0;
        if (ncells < MAX_CELLS && !empty_last_row) {
            cells[ncells] = cell;
            rowof[ncells] = row;
            colof[ncells++] = col;
            if (col + 1 > ncols) ncols = col + 1;
        } else {
            lm_buf_free(&cell);
        }
        if (stop == STOP_CELL) col++;
        else if (stop == STOP_ROW) row++, col = 0;
        else break;
    }
    lm_buf endname = LM_BUF_INIT;
    raw_group(c, &endname); /* the {env} after \end */
    lm_buf_free(&endname);
    int nrows = ncells ? rowof[ncells - 1] + 1 : 0;
    bool matrix = strstr(env, "matrix") != NULL || array;
    const char *open = "", *close = "";
    if (!strcmp(env, "bmatrix") || array) open = "[", close = "]";
    else if (!strcmp(env, "pmatrix")) open = "(", close = ")";
    else if (!strcmp(env, "vmatrix")) open = "|", close = "|";
    else if (!strcmp(env, "cases")) open = "{";
    size_t colw[MAX_CELLS] = {0};
    for (int i = 0; i < ncells; i++) {
        size_t w = lm_text_columns(cells[i].s ? cells[i].s : "", cells[i].len);
        if (w > colw[colof[i]]) colw[colof[i]] = w;
    }
    if (!L || nrows <= 1 || nrows > MAX_ROWS) {
        /* one line: [a b; c d]; "1/5 [3 -1; -1 2]", not "1/5[...": a
           bracket glued to a fraction reads as part of its denominator */
        if (*open && out->len && !strchr(" ([", out->s[out->len - 1])) lm_buf_putc(out, ' ');
        lm_buf_puts(out, *open ? open : "");
        for (int i = 0; i < ncells; i++) {
            if (i) lm_buf_puts(out, rowof[i] != rowof[i - 1] ? "; " : colof[i] - 1 == bar_after ? " | " : matrix ? " " : ", ");
            lm_buf_put(out, lm_buf_cstr(&cells[i]), cells[i].len);
        }
        lm_buf_puts(out, close);
    } else {
        layout_text(L, lm_buf_cstr(out), out->len);
        lm_buf_reset(out);
        lm_buf rows[MAX_ROWS];
        size_t width = 0;
        for (int r = 0; r < nrows; r++) {
            rows[r] = (lm_buf)LM_BUF_INIT;
            bool bracket = !strcmp(env, "bmatrix") || array;
            const char *l = bracket ? (r == 0 ? "⎡" : r == nrows - 1 ? "⎣" : "⎢") : open;
            const char *rr = bracket ? (r == 0 ? "⎤" : r == nrows - 1 ? "⎦" : "⎥") : close;
            if (!strcmp(env, "pmatrix")) {
                l = r == 0 ? "⎛" : r == nrows - 1 ? "⎝" : "⎜";
                rr = r == 0 ? "⎞" : r == nrows - 1 ? "⎠" : "⎟";
            }
            if (!strcmp(env, "cases")) l = r == 0 ? "⎧" : r == nrows - 1 ? "⎩" : "⎨";
            lm_buf_puts(&rows[r], l);
            for (int k = 0; k < ncols; k++) {
                const lm_buf *cell = NULL;
                for (int i = 0; i < ncells; i++)
                    if (rowof[i] == r && colof[i] == k) cell = &cells[i];
                size_t w = cell ? lm_text_columns(lm_buf_cstr(cell), cell->len) : 0;
                if (k) lm_buf_puts(&rows[r], k - 1 == bar_after ? "  │  " : matrix ? "  " : "   ");
                /* numbers line up on the right, as in a printed matrix */
                if (matrix)
                    for (size_t p = w; p < colw[k]; p++) lm_buf_putc(&rows[r], ' ');
                if (cell) lm_buf_put(&rows[r], lm_buf_cstr(cell), cell->len);
                if (!matrix)
                    for (size_t p = w; p < colw[k]; p++) lm_buf_putc(&rows[r], ' ');
            }
            lm_buf_puts(&rows[r], rr);
            size_t w = lm_text_columns(lm_buf_cstr(&rows[r]), rows[r].len);
            if (w > width) width = w;
        }
        layout_box(L, rows, nrows, width);
        for (int r = 0; r < nrows; r++) lm_buf_free(&rows[r]);
    }
    for (int i = 0; i < ncells; i++) lm_buf_free(&cells[i]);
    lm_buf_free(&name);
}

static void put_space(lm_buf *out) {
    if (out->len && out->s[out->len - 1] != ' ') lm_buf_putc(out, ' ');
}

/* Converts until the stop mode's terminator; returns which one ended it. */
static int convert(conv *c, lm_buf *out, layout *L, int mode) {
    if (++c->depth > 64) { /* nesting this deep is not a formula anyone wrote */
        c->s = c->end;
        c->depth--;
        return STOP_END;
    }
    int result = STOP_END;
    while (c->s < c->end) {
        char ch = *c->s;
        if (ch == '}' && mode == STOP_BRACE) {
            c->s++;
            result = STOP_BRACE;
            break;
        }
        if (ch == ']' && mode == STOP_RIGHT_BRACKET) {
            c->s++;
            result = STOP_RIGHT_BRACKET;
            break;
        }
        if (ch == '&' && mode == STOP_CELL) {
            c->s++;
            result = STOP_CELL;
            break;
        }
        if (isspace((unsigned char)ch)) {
            skip_space(c);
            /* TeX ignores spaces in math: `2 x` is typeset 2x, so a number
               runs into the letter after it; other spaces stay for reading */
            bool glued = out->len && isdigit((unsigned char)out->s[out->len - 1]) && c->s < c->end &&
                         isalpha((unsigned char)*c->s);
            if (!glued) put_space(out);
            continue;
        }
        if (ch == '{') {
            c->s++;
            convert(c, out, NULL, STOP_BRACE);
            continue;
        }
        if (ch == '}') { /* unbalanced: drop it */
            c->s++;
            continue;
        }
        if (ch == '^' || ch == '_') {
            c->s++;
            script(c, out, ch == '^');
            continue;
        }
        if (ch == '~') {
            c->s++;
            put_space(out);
            continue;
        }
        if (ch == '&') {
            c->s++;
            continue;
        }
        if (ch == '\'') {
            c->s++;
            lm_buf_puts(out, "′");
            continue;
        }
        if (ch != '\\') {
            size_t n = lm_utf8_len((unsigned char)ch);
            if (c->s + n > c->end) n = (size_t)(c->end - c->s);
            lm_buf_put(out, c->s, n);
            c->s += n;
            continue;
        }
        c->s++;
        char name[32];
        read_command(c, name, sizeof name);
        if (!strcmp(name, "\\")) {
            if (mode == STOP_CELL) {
                result = STOP_ROW;
                break;
            }
            put_space(out);
            continue;
        }
        if (!strcmp(name, "end")) {
            if (mode == STOP_CELL) {
                result = STOP_ENV;
                break;
            }
            lm_buf skip = LM_BUF_INIT;
            raw_group(c, &skip);
            lm_buf_free(&skip);
            continue;
        }
        if (!strcmp(name, "begin")) environment(c, out, L);
        else if (!strcmp(name, "frac") || !strcmp(name, "dfrac") || !strcmp(name, "tfrac"))
            fraction(c, out);
        else if (!strcmp(name, "sqrt"))
            square_root(c, out);
        else if (!strcmp(name, "xrightarrow") || !strcmp(name, "xleftarrow")) {
            /* a row operation written over an arrow: ─(R₂ ← R₂ - 2R₁)→ */
            lm_buf label = LM_BUF_INIT;
            skip_space(c);
            if (c->s < c->end && *c->s == '{') {
                c->s++;
                convert(c, &label, NULL, STOP_BRACE);
            }
            bool right = name[1] == 'r';
            put_space(out);
            lm_buf_puts(out, right ? "─(" : "←(");
            lm_buf_put(out, lm_buf_cstr(&label), label.len);
            lm_buf_puts(out, right ? ")→ " : ")─ ");
            lm_buf_free(&label);
        }
        else if (!strcmp(name, "text") || !strcmp(name, "textrm") || !strcmp(name, "textbf") ||
                 !strcmp(name, "mbox") || !strcmp(name, "operatorname")) {
            lm_buf t = LM_BUF_INIT;
            raw_group(c, &t);
            /* "A \text{ and } B": the source's space and the text's are one */
            size_t skip = out->len && out->s[out->len - 1] == ' ' && t.len && t.s[0] == ' ';
            lm_buf_put(out, lm_buf_cstr(&t) + skip, t.len - skip);
            lm_buf_free(&t);
        } else if (!strcmp(name, "mathbb"))
            font(c, out, blackboard);
        else if (!strcmp(name, "mathcal"))
            font(c, out, calligraphic);
        else if (!strcmp(name, "mathbf") || !strcmp(name, "boldsymbol") || !strcmp(name, "mathrm") ||
                 !strcmp(name, "mathit") || !strcmp(name, "bm"))
            font(c, out, NULL);
        else if (pair_find(accents, name, strlen(name))) {
            font(c, out, NULL);
            lm_buf_puts(out, pair_find(accents, name, strlen(name)));
        } else {
            const sym *s = symbols;
            while (s->name && strcmp(s->name, name)) s++;
            if (s->name) {
                /* \, \; \  next to a space already there: one space, not two */
                bool word = isalpha((unsigned char)s->text[0]); /* cos, log: a function's name */
                if (word && out->len && out->len != c->word_end &&
                    (isalnum((unsigned char)out->s[out->len - 1]) || out->s[out->len - 1] == ')'))
                    lm_buf_putc(out, ' '); /* 2x cos(x), not 2xcos(x); \arg\min stays argmin */
                if (!strcmp(s->text, " ")) put_space(out);
                else lm_buf_puts(out, s->text);
                if (word) c->word_end = out->len;
                /* a greek letter is one symbol like x: \Delta x is Δx, U\Sigma V is UΣV */
                if (is_greek(s)) {
                    const char *q = c->s;
                    while (q < c->end && (*q == ' ' || *q == '\t')) q++;
                    if (q > c->s && q < c->end && (isalpha((unsigned char)*q) ||
                                                   (*q == '\\' && q + 1 < c->end && isupper((unsigned char)q[1]))))
                        c->s = q;
                }
                /* ∂f and ∇f read as one symbol: TeX's space after them is dropped */
                if (!strcmp(name, "partial") || !strcmp(name, "nabla") || !strcmp(name, "neg")) skip_space(c);
                if ((!strcmp(name, "left") || !strcmp(name, "right")) && c->s < c->end && *c->s == '.')
                    c->s++; /* \left. is an invisible delimiter */
                /* \left[ \begin{array} ... \end{array} \right]: the array draws
                   tall brackets itself */
                static const char array_start[] = "\\begin{array}";
                if (!strcmp(name, "left") && c->s < c->end && (*c->s == '[' || *c->s == '(')) {
                    const char *q = c->s + 1;
                    while (q < c->end && isspace((unsigned char)*q)) q++;
                    if ((size_t)(c->end - q) >= sizeof array_start - 1 &&
                        !memcmp(q, array_start, sizeof array_start - 1)) {
                        c->s = q;
                        c->swallowed++;
                    }
                } else if (!strcmp(name, "right") && c->swallowed > 0 && c->s < c->end &&
                           (*c->s == ']' || *c->s == ')')) {
                    c->s++;
                    c->swallowed--;
                }
            } else {
                lm_buf_puts(out, name);
            }
        }
    }
    c->depth--;
    return result;
}

void lm_latex_to_unicode(const char *tex, size_t len, lm_buf *out) {
    conv c = {tex, tex + len, 0, 0, 0};
    layout L;
    memset(&L, 0, sizeof L);
    L.nrows = 1;
    lm_buf line = LM_BUF_INIT;
    convert(&c, &line, &L, STOP_END);
    layout_text(&L, lm_buf_cstr(&line), line.len);
    lm_buf_free(&line);
    /* trim each row; drop the blank edges that spaces in the source leave */
    size_t lead = (size_t)-1;
    for (int r = 0; r < L.nrows; r++) {
        size_t i = 0;
        const char *s = lm_buf_cstr(&L.rows[r]);
        while (i < L.rows[r].len && s[i] == ' ') i++;
        if (i < L.rows[r].len && i < lead) lead = i;
    }
    if (lead == (size_t)-1) lead = 0;
    for (int r = 0; r < L.nrows; r++) {
        const char *s = lm_buf_cstr(&L.rows[r]);
        size_t n = L.rows[r].len;
        while (n > lead && s[n - 1] == ' ') n--;
        if (r) lm_buf_putc(out, '\n');
        if (n > lead) lm_buf_put(out, s + lead, n - lead);
        lm_buf_free(&L.rows[r]);
    }
}

void lm_latex_inline(const char *tex, size_t len, lm_buf *out) {
    conv c = {tex, tex + len, 0, 0, 0};
    lm_buf line = LM_BUF_INIT;
    convert(&c, &line, NULL, STOP_END);
    size_t a = 0, b = line.len;
    while (a < b && line.s[a] == ' ') a++;
    while (b > a && line.s[b - 1] == ' ') b--;
    if (b > a) lm_buf_put(out, line.s + a, b - a);
    lm_buf_free(&line);
}

static bool zero_width(unsigned cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x200B;
}

static bool wide(unsigned cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0x1F300 && cp <= 0x1FAFF);
}

/* Wrapping limits count every code point (combining marks too), so a line
 * that fits is also within the width for tools that count code points. */
size_t lm_text_points(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0x1B && i + 1 < len && s[i + 1] == '[') {
            i += 2;
            while (i < len && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E)) i++;
            i++;
            continue;
        }
        n++;
        i += lm_utf8_len(ch);
    }
    return n;
}

size_t lm_text_columns(const char *s, size_t len) {
    size_t cols = 0;
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0x1B && i + 1 < len && s[i + 1] == '[') { /* CSI ... final byte */
            i += 2;
            while (i < len && !((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7E)) i++;
            i++;
            continue;
        }
        size_t n = lm_utf8_len(ch);
        if (i + n > len) n = len - i;
        unsigned cp = ch;
        if (n == 2) cp = ((ch & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
        else if (n == 3) cp = ((ch & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        else if (n == 4)
            cp = ((ch & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
        if (!zero_width(cp) && ch >= 0x20) cols += wide(cp) ? 2 : 1;
        i += n;
    }
    return cols;
}

void lm_html_escape(const char *s, size_t len, lm_buf *out) {
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': lm_buf_puts(out, "&amp;"); break;
        case '<': lm_buf_puts(out, "&lt;"); break;
        case '>': lm_buf_puts(out, "&gt;"); break;
        case '"': lm_buf_puts(out, "&quot;"); break;
        case '\'': lm_buf_puts(out, "&#39;"); break;
        default: lm_buf_putc(out, s[i]);
        }
    }
}
