/* Lessons for people: the terminal (wrapped, coloured text; math as Unicode;
 * cells run with their output and plots in braille) and the browser (an HTML
 * fragment; math left as TeX for KaTeX; plots as SVG). Markdown is md4c's. */
#include "learn/lesson_int.h"
#include "lemma/lang.h"
#include "lemma/plot.h"

#include <md4c.h>
#include <stdio.h>
#include <string.h>

#define MD_FLAGS (MD_FLAG_LATEXMATHSPANS | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML)

/* ANSI styles. Kept few: the lesson should read well on any palette. */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_ITALIC "\033[3m"
#define SGR_UNDER "\033[4m"
#define SGR_TITLE "\033[1;36m"
#define SGR_CODE "\033[33m"
#define SGR_SOURCE "\033[32m"
#define SGR_ERROR "\033[31m"

/* A fragment that must not be broken across lines (short inline math) keeps
 * its spaces as this byte until the line is written. */
#define NBSP '\x01'

/* ---- running cells ------------------------------------------------------------- */

typedef struct cell_out {
    lm_session *s;
    lm_buf *text;
    bool color;
    int plot_cols;
    bool html;
    int nerrors;
    /* HTML: outputs are grouped per statement, as the terminal shows them */
    const char *src;
    size_t len, shown; /* source bytes already tagged to a statement */
    bool stmt_open;
} cell_out;

/* One output item as text (a plot also in braille) or HTML, appended to out. */
static void format_output(const cell_out *c, const lm_output *o, lm_buf *out) {
    lm_buf t = LM_BUF_INIT;
    lm_output_text(c->s, o, &t);
    if (c->html) {
        lm_buf_puts(out, o->kind == LM_OUT_ERROR ? "<pre class=\"error\">" : "<pre class=\"text\">");
        lm_html_escape(lm_buf_cstr(&t), t.len, out);
        lm_buf_puts(out, "</pre>");
        if (o->kind == LM_OUT_VALUE && o->value.kind == LM_PLOT) {
            lm_buf_puts(out, "<div class=\"plot\">");
            lm_plot_svg((const lm_plot *)o->value.u.obj, 600, 400, out);
            lm_buf_puts(out, "</div>");
        }
    } else {
        bool red = c->color && o->kind == LM_OUT_ERROR;
        if (red) lm_buf_puts(out, SGR_ERROR);
        lm_buf_put(out, lm_buf_cstr(&t), t.len);
        if (red) lm_buf_puts(out, SGR_RESET);
        if (o->kind == LM_OUT_VALUE && o->value.kind == LM_PLOT) {
            int rows = c->plot_cols / 4;
            rows = rows < 8 ? 8 : rows > 16 ? 16 : rows;
            lm_plot_braille(o->value.u.obj, c->plot_cols, rows, c->color, out);
        }
    }
    lm_buf_free(&t);
}

static int line_at(const char *src, size_t off) {
    int line = 1;
    for (size_t i = 0; i < off; i++) line += src[i] == '\n';
    return line;
}

/* In HTML each statement's outputs sit in one <div class="stmt"> whose
 * data-line and data-line-end are the cell's source lines (from 1) that gave
 * them, the way the terminal prints each statement's lines above its output. */
static void open_statement(cell_out *c, const lm_output *o) {
    if (o->stmt_end == 0 || o->stmt_end > c->len) {
        if (!c->stmt_open) lm_buf_puts(c->text, "<div class=\"stmt\">");
        c->stmt_open = true;
        return;
    }
    if (o->stmt_end <= c->shown && c->stmt_open) return;
    if (c->stmt_open) lm_buf_puts(c->text, "</div>");
    size_t start = c->shown < o->stmt_end ? c->shown : o->stmt_end - 1;
    while (start < o->stmt_end - 1 && (c->src[start] == ' ' || c->src[start] == '\n' || c->src[start] == '\t'))
        start++;
    lm_buf_printf(c->text, "<div class=\"stmt\" data-line=\"%d\" data-line-end=\"%d\">", line_at(c->src, start),
                  line_at(c->src, o->stmt_end - 1));
    c->stmt_open = true;
    if (o->stmt_end > c->shown) c->shown = o->stmt_end;
}

static void collect_output(void *ud, const lm_output *o) {
    cell_out *c = ud;
    if (o->kind == LM_OUT_ERROR) c->nerrors++;
    if (c->html && c->src) open_statement(c, o);
    format_output(c, o, c->text);
}

/* Runs one cell in s; its printed output (text, or HTML when html) goes to out.
 * Returns the number of statements that failed. */
static int run_cell(lm_session *s, const char *src, size_t len, bool html, bool color, int plot_cols,
                    lm_buf *out) {
    cell_out c = {s, out, color, plot_cols < 20 ? 20 : plot_cols, html, 0, src, len, 0, false};
    lm_eval_opts opts = {"<cell>", collect_output, &c};
    int failed = lm_eval(s, src, len, &opts);
    if (c.stmt_open) lm_buf_puts(out, "</div>");
    return failed > c.nerrors ? failed : c.nerrors;
}

static lm_session *lesson_session(void) {
    lm_session *s = lm_session_new();
    /* a lesson cell is meant to run well under a second; a runaway one must not
     * hang the reader or the check */
    lm_session_set_limits(s, 0, 10.0);
    return s;
}

/* ---- cells of a lesson ----------------------------------------------------------- */

typedef struct cell_scan {
    const lm_lesson *l;
    lm_cell *cells;
    size_t n, cap;
    bool in_cell;
    lm_buf src;
    int line;
} cell_scan;

static int line_of(const lm_lesson *l, const char *p) {
    size_t len = strlen(l->body);
    if (p < l->body || p > l->body + len) return 0;
    int line = l->body_line;
    for (const char *q = l->body; q < p; q++) line += *q == '\n';
    return line;
}

static bool attr_is(const MD_ATTRIBUTE *a, const char *s) {
    return a->size == strlen(s) && !memcmp(a->text, s, a->size);
}

static int cs_enter_block(MD_BLOCKTYPE t, void *detail, void *ud) {
    cell_scan *cs = ud;
    if (t == MD_BLOCK_CODE) {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        if (attr_is(&d->lang, "lemma") || attr_is(&d->lang, "lemma-error")) {
            cs->in_cell = true;
            cs->line = 0;
            lm_buf_reset(&cs->src);
            if (cs->n == cs->cap) {
                cs->cap = cs->cap ? cs->cap * 2 : 8;
                cs->cells = lm_realloc(cs->cells, cs->cap * sizeof *cs->cells);
            }
            cs->cells[cs->n].kind = attr_is(&d->lang, "lemma") ? LM_CELL_RUN : LM_CELL_ERROR;
            cs->cells[cs->n].index = (int)cs->n;
            /* the info string points into the fence line */
            cs->cells[cs->n].line = line_of(cs->l, d->info.text);
        }
    }
    return 0;
}

static int cs_leave_block(MD_BLOCKTYPE t, void *detail, void *ud) {
    cell_scan *cs = ud;
    if (t == MD_BLOCK_CODE && cs->in_cell) {
        cs->cells[cs->n].source = cs->src.s ? lm_buf_steal(&cs->src) : lm_strdup("");
        cs->n++;
        cs->in_cell = false;
    }
    return 0;
}

static int cs_span(MD_SPANTYPE t, void *detail, void *ud) { return 0; }

static int cs_text(MD_TEXTTYPE t, const MD_CHAR *text, MD_SIZE size, void *ud) {
    cell_scan *cs = ud;
    if (cs->in_cell) lm_buf_put(&cs->src, text, size);
    return 0;
}

lm_cell *lm_lesson_cells(const lm_lesson *l, size_t *n) {
    cell_scan cs = {l, NULL, 0, 0, false, LM_BUF_INIT, 0};
    MD_PARSER p = {0, MD_FLAGS, cs_enter_block, cs_leave_block, cs_span, cs_span, cs_text, NULL, NULL};
    md_parse(l->body, (MD_SIZE)strlen(l->body), &p, &cs);
    if (cs.in_cell) { /* md4c closes every block; this only guards a parser abort */
        lm_buf_free(&cs.src);
    }
    lm_buf_free(&cs.src);
    *n = cs.n;
    return cs.cells;
}

void lm_cells_free(lm_cell *cells, size_t n) {
    for (size_t i = 0; i < n; i++) lm_free(cells[i].source);
    lm_free(cells);
}

/* ---- terminal text ----------------------------------------------------------------- */

typedef struct prefix_part {
    char first[16]; /* for the first line written under it ("• ", "1. ") */
    char cont[16];  /* for the lines after */
    bool used;
} prefix_part;

typedef struct list_state {
    bool ordered;
    bool tight; /* no blank lines between items */
    unsigned next;
} list_state;

typedef struct tr {
    const lm_render_opts *o;
    int width;
    lm_buf *out;
    lm_buf para;       /* inline text waiting to be wrapped */
    prefix_part pre[16];
    int npre;
    list_state lists[16];
    int nlists;
    int bold, italic, under, codespan; /* nesting counts of the active styles */
    int heading;       /* level while inside a heading */
    lm_buf heading_text;
    bool in_code;
    bool code_is_cell, code_is_error;
    lm_buf code;
    bool in_math;
    lm_buf math;
    bool in_check;     /* inside "## Check yourself" */
    int skip;          /* > 0 inside a hidden answer: block nesting depth */
    bool blank_pending;
    bool wrote_any;
    lm_session *session; /* NULL: cells are shown, not run */
    bool in_table;
    struct table_state *table; /* the table being read, laid out when it ends */
    const char *link_lesson; /* not owned */
    size_t link_lesson_len;
} tr;

static void sgr(tr *t, const char *code) {
    if (t->o->color) lm_buf_puts(&t->para, code);
}

/* Re-applies the active styles after a reset. */
static void restyle(tr *t) {
    if (!t->o->color) return;
    lm_buf_puts(&t->para, SGR_RESET);
    if (t->heading) lm_buf_puts(&t->para, t->heading <= 2 ? SGR_TITLE : SGR_BOLD);
    if (t->bold) lm_buf_puts(&t->para, SGR_BOLD);
    if (t->italic) lm_buf_puts(&t->para, SGR_ITALIC);
    if (t->under) lm_buf_puts(&t->para, SGR_UNDER);
    if (t->codespan) lm_buf_puts(&t->para, SGR_CODE);
}

static size_t prefix_width(const tr *t) {
    size_t w = 0;
    for (int i = 0; i < t->npre; i++) w += lm_text_columns(t->pre[i].cont, strlen(t->pre[i].cont));
    return w;
}

static void put_prefix(tr *t, bool blank) {
    lm_buf p = LM_BUF_INIT;
    for (int i = 0; i < t->npre; i++) {
        lm_buf_puts(&p, t->pre[i].used || blank ? t->pre[i].cont : t->pre[i].first);
        if (!blank) t->pre[i].used = true;
    }
    size_t n = p.len;
    if (blank)
        while (n && p.s[n - 1] == ' ') n--;
    if (n && t->o->color) lm_buf_puts(t->out, SGR_DIM);
    lm_buf_put(t->out, lm_buf_cstr(&p), n);
    if (n && t->o->color) lm_buf_puts(t->out, SGR_RESET);
    lm_buf_free(&p);
}

static void blank_line(tr *t) {
    if (t->blank_pending && t->wrote_any) {
        put_prefix(t, true);
        lm_buf_putc(t->out, '\n');
    }
    t->blank_pending = false;
}

/* One output line: prefix, text (NBSP turned back into spaces), newline. */
static void emit_line(tr *t, const char *s, size_t n) {
    blank_line(t);
    put_prefix(t, false);
    for (size_t i = 0; i < n; i++) lm_buf_putc(t->out, s[i] == NBSP ? ' ' : s[i]);
    if (t->o->color) lm_buf_puts(t->out, SGR_RESET);
    lm_buf_putc(t->out, '\n');
    t->wrote_any = true;
}

/* Greedy word wrap of the pending paragraph at the width left after the prefix. */
static void flush_para(tr *t) {
    const char *s = lm_buf_cstr(&t->para);
    size_t n = t->para.len;
    size_t avail = (size_t)t->width > prefix_width(t) + 10 ? (size_t)t->width - prefix_width(t) : 10;
    bool only_space = true;
    for (size_t i = 0; i < n && only_space; i++) only_space = s[i] == ' ' || s[i] == '\n';
    if (only_space) {
        lm_buf_reset(&t->para);
        return;
    }
    lm_buf line = LM_BUF_INIT;
    size_t col = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '\n') {
            emit_line(t, lm_buf_cstr(&line), line.len);
            lm_buf_reset(&line);
            col = 0;
            i++;
            continue;
        }
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\n') j++;
        size_t w = lm_text_points(s + i, j - i);
        if (col && col + 1 + w > avail) {
            emit_line(t, lm_buf_cstr(&line), line.len);
            lm_buf_reset(&line);
            col = 0;
        }
        if (col) {
            lm_buf_putc(&line, ' ');
            col++;
        }
        lm_buf_put(&line, s + i, j - i);
        col += w;
        i = j;
    }
    if (line.len) emit_line(t, lm_buf_cstr(&line), line.len);
    lm_buf_free(&line);
    lm_buf_reset(&t->para);
}

/* Lines of preformatted text (code, cell output, display math) under the
 * prefix, each indented; a line too wide is cut and continued, so nothing
 * spills past the width. */
static void emit_block(tr *t, const char *s, size_t n, const char *indent, const char *style) {
    size_t avail = (size_t)t->width > prefix_width(t) + strlen(indent) + 10
                       ? (size_t)t->width - prefix_width(t) - strlen(indent)
                       : 10;
    const char *end = s + n;
    while (n && s[n - 1] == '\n') n--, end--;
    lm_buf line = LM_BUF_INIT;
    for (const char *p = s; p <= end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        /* cut at avail display columns, counting escape sequences as zero; a
           line that must be cut breaks after a word where it can, and its
           continuation keeps the line's own indentation */
        size_t lead = 0;
        while (p + lead < eol && p[lead] == ' ') lead++;
        if (lead > avail / 2) lead = 0;
        const char *q = p;
        bool continued = false;
        do {
            size_t room = continued ? avail - lead : avail;
            const char *cut = q;
            size_t cols = 0;
            while (cut < eol) {
                size_t k = lm_utf8_len((unsigned char)*cut);
                if (*cut == '\033') {
                    const char *e = cut + 1;
                    if (e < eol && *e == '[') {
                        e++;
                        while (e < eol && !(*e >= 0x40 && *e <= 0x7E)) e++;
                        if (e < eol) e++;
                    }
                    cut = e;
                    continue;
                }
                size_t w = lm_text_points(cut, k);
                if (cols + w > room) break;
                cols += w;
                cut += k;
            }
            const char *next = cut;
            if (cut < eol) {
                const char *sp = cut;
                while (sp > q && *sp != ' ') sp--;
                if (sp > q + (cut - q) / 3) {
                    cut = sp;
                    next = sp;
                    while (next < eol && *next == ' ') next++;
                }
            }
            lm_buf_reset(&line);
            /* a source line too long for the width goes on under "  ", so it
               does not look like a statement of its own */
            lm_buf_puts(&line, continued && !strcmp(indent, "» ") ? "  " : indent);
            if (continued) lm_buf_printf(&line, "%*s", (int)lead, "");
            if (style && t->o->color) lm_buf_puts(&line, style);
            lm_buf_put(&line, q, (size_t)(cut - q));
            emit_line(t, lm_buf_cstr(&line), line.len);
            q = next;
            continued = true;
        } while (q < eol);
        p = eol + 1;
    }
    lm_buf_free(&line);
}

static void push_prefix(tr *t, const char *first, const char *cont) {
    if (t->npre >= 16) return;
    prefix_part *p = &t->pre[t->npre++];
    snprintf(p->first, sizeof p->first, "%s", first);
    snprintf(p->cont, sizeof p->cont, "%s", cont);
    p->used = false;
}

/* ---- tables ---------------------------------------------------------------------------- */

/* A Markdown table is read whole (every cell's inline text, styled), then laid
 * out in columns that fit the width: the header, a rule, the rows. */
typedef struct tcell {
    lm_buf text;
    int row, col;
    bool head;
} tcell;

#define TABLE_MAX_COLS 32

typedef struct table_state {
    tcell *cells;
    size_t n, cap;
    int row, col, ncols;
    MD_ALIGN align[TABLE_MAX_COLS];
    size_t start; /* where the open cell's text begins in t->para */
} table_state;

static void table_free(table_state *tb) {
    if (!tb) return;
    for (size_t i = 0; i < tb->n; i++) lm_buf_free(&tb->cells[i].text);
    lm_free(tb->cells);
    lm_free(tb);
}

/* The words of text wrapped at width columns, as lines (a word wider than the
 * column is cut between code points); style is repeated on every line. */
static size_t wrap_cell(const char *s, size_t n, size_t width, const char *style, lm_buf *lines, size_t max) {
    size_t nl = 0;
    lm_buf *cur = NULL;
    size_t col = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ') j++;
        size_t w = lm_text_columns(s + i, j - i);
        if (!cur || (col && col + 1 + w > width)) {
            if (nl == max) break;
            cur = &lines[nl++];
            if (style) lm_buf_puts(cur, style);
            col = 0;
        } else if (col) {
            lm_buf_putc(cur, ' ');
            col++;
        }
        while (col + w > width) { /* one word too long for the column */
            size_t k = i, c = 0;
            while (k < j) {
                size_t len = lm_utf8_len((unsigned char)s[k]);
                size_t cw = lm_text_columns(s + k, len);
                if (col + c + cw > width) break;
                c += cw;
                k += len;
            }
            if (k == i) break;
            lm_buf_put(cur, s + i, k - i);
            if (nl == max) return nl;
            cur = &lines[nl++];
            if (style) lm_buf_puts(cur, style);
            col = 0;
            w -= c;
            i = k;
        }
        lm_buf_put(cur, s + i, j - i);
        col += w;
        i = j;
    }
    return nl;
}

static void table_emit(tr *t, table_state *tb) {
    int nc = tb->ncols < TABLE_MAX_COLS ? tb->ncols : TABLE_MAX_COLS;
    if (nc <= 0) return;
    size_t natural[TABLE_MAX_COLS] = {0}, colw[TABLE_MAX_COLS];
    for (size_t i = 0; i < tb->n; i++) {
        tcell *c = &tb->cells[i];
        if (c->col >= nc) continue;
        /* short inline math keeps its spaces as NBSP while wrapping prose; in
           a cell the column wrap decides */
        for (size_t k = 0; k < c->text.len; k++)
            if (c->text.s[k] == NBSP) c->text.s[k] = ' ';
        size_t w = lm_text_columns(lm_buf_cstr(&c->text), c->text.len);
        if (w > natural[c->col]) natural[c->col] = w;
    }
    /* columns are joined by " │ ": 3 columns each */
    size_t avail = (size_t)t->width > prefix_width(t) ? (size_t)t->width - prefix_width(t) : 0;
    size_t seps = 3 * (size_t)(nc - 1);
    size_t room = avail > seps + (size_t)nc ? avail - seps : (size_t)nc;
    size_t total = 0;
    for (int k = 0; k < nc; k++) total += colw[k] = natural[k] ? natural[k] : 1;
    /* too wide: take from the widest column, one column at a time, so short
       columns (numbers) keep their width and long text wraps */
    while (total > room) {
        int widest = 0;
        for (int k = 1; k < nc; k++)
            if (colw[k] > colw[widest]) widest = k;
        if (colw[widest] <= 4) break;
        colw[widest]--;
        total--;
    }
    const char *sep = " │ ";
    for (int r = 0; r <= tb->row; r++) {
        lm_buf lines[TABLE_MAX_COLS][8];
        size_t nlines[TABLE_MAX_COLS] = {0}, height = 0;
        bool head = false, any = false;
        for (int k = 0; k < nc; k++)
            for (int i = 0; i < 8; i++) lines[k][i] = (lm_buf)LM_BUF_INIT;
        for (size_t i = 0; i < tb->n; i++) {
            tcell *c = &tb->cells[i];
            if (c->row != r || c->col >= nc) continue;
            any = true;
            head = c->head;
            const char *style = c->head && t->o->color ? SGR_BOLD : NULL;
            nlines[c->col] = wrap_cell(lm_buf_cstr(&c->text), c->text.len, colw[c->col], style, lines[c->col], 8);
            if (nlines[c->col] > height) height = nlines[c->col];
        }
        if (!any) continue;
        if (!height) height = 1;
        for (size_t h = 0; h < height; h++) {
            lm_buf line = LM_BUF_INIT;
            for (int k = 0; k < nc; k++) {
                if (k) lm_buf_puts(&line, sep);
                const lm_buf *cl = h < nlines[k] ? &lines[k][h] : NULL;
                size_t w = cl ? lm_text_columns(lm_buf_cstr(cl), cl->len) : 0;
                size_t pad = colw[k] > w ? colw[k] - w : 0;
                size_t left = tb->align[k] == MD_ALIGN_RIGHT ? pad : tb->align[k] == MD_ALIGN_CENTER ? pad / 2 : 0;
                for (size_t p = 0; p < left; p++) lm_buf_putc(&line, ' ');
                if (cl) lm_buf_put(&line, lm_buf_cstr(cl), cl->len);
                if (cl && t->o->color) lm_buf_puts(&line, SGR_RESET);
                if (k < nc - 1)
                    for (size_t p = left; p < pad; p++) lm_buf_putc(&line, ' ');
            }
            size_t n = line.len;
            while (n && line.s[n - 1] == ' ') n--;
            emit_line(t, lm_buf_cstr(&line), n);
            lm_buf_free(&line);
        }
        for (int k = 0; k < nc; k++)
            for (int i = 0; i < 8; i++) lm_buf_free(&lines[k][i]);
        if (head) { /* the rule under the header: ───┼─── */
            lm_buf rule = LM_BUF_INIT;
            for (int k = 0; k < nc; k++) {
                if (k) lm_buf_puts(&rule, "─┼─");
                for (size_t p = 0; p < colw[k]; p++) lm_buf_puts(&rule, "─");
            }
            emit_line(t, lm_buf_cstr(&rule), rule.len);
            lm_buf_free(&rule);
        }
    }
}

/* A cell in the terminal, as a notebook shows it: each statement's lines,
 * then what that statement printed, so a reader sees which line gave what. */
typedef struct shown_cell {
    cell_out c;
    tr *t;
    const char *src;
    size_t len, shown; /* source bytes already on screen */
} shown_cell;

static void show_source_through(shown_cell *sc, size_t upto) {
    if (upto <= sc->shown) return;
    const char *nl = memchr(sc->src + upto - 1, '\n', sc->len - (upto - 1));
    size_t line_end = nl ? (size_t)(nl - sc->src) : sc->len;
    emit_block(sc->t, sc->src + sc->shown, line_end - sc->shown, "» ", SGR_SOURCE);
    sc->shown = line_end < sc->len ? line_end + 1 : sc->len;
}

static void show_output(void *ud, const lm_output *o) {
    shown_cell *sc = ud;
    if (o->kind == LM_OUT_ERROR) sc->c.nerrors++;
    if (o->stmt_end > 0 && o->stmt_end <= sc->len) show_source_through(sc, o->stmt_end);
    lm_buf out = LM_BUF_INIT;
    format_output(&sc->c, o, &out);
    if (out.len) emit_block(sc->t, lm_buf_cstr(&out), out.len, "  ", NULL);
    lm_buf_free(&out);
}

static void run_and_show_cell(tr *t) {
    const char *src = lm_buf_cstr(&t->code);
    if (!t->session) {
        emit_block(t, src, t->code.len, "» ", SGR_SOURCE);
        return;
    }
    int pw = t->width - (int)prefix_width(t) - 2;
    shown_cell sc = {{t->session, NULL, t->o->color, pw < 20 ? 20 : pw, false, 0, NULL, 0, 0, false}, t, src, t->code.len, 0};
    lm_eval_opts opts = {"<cell>", show_output, &sc};
    lm_eval(t->session, src, t->code.len, &opts);
    if (sc.shown < sc.len) emit_block(t, src + sc.shown, sc.len - sc.shown, "» ", SGR_SOURCE);
}

static int tr_enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    tr *t = ud;
    if (t->skip) {
        t->skip++;
        return 0;
    }
    if (type != MD_BLOCK_DOC && type != MD_BLOCK_LI && !t->in_table) flush_para(t);
    switch (type) {
    case MD_BLOCK_H: {
        const MD_BLOCK_H_DETAIL *d = detail;
        t->heading = (int)d->level;
        t->blank_pending = true;
        lm_buf_reset(&t->heading_text);
        restyle(t);
        break;
    }
    case MD_BLOCK_P:
        if (!t->nlists || t->pre[t->npre - 1].used) t->blank_pending = true;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (t->nlists < 16) {
            list_state *l = &t->lists[t->nlists++];
            l->ordered = type == MD_BLOCK_OL;
            l->next = l->ordered ? ((const MD_BLOCK_OL_DETAIL *)detail)->start : 0;
            l->tight = l->ordered ? ((const MD_BLOCK_OL_DETAIL *)detail)->is_tight
                                  : ((const MD_BLOCK_UL_DETAIL *)detail)->is_tight;
        }
        t->blank_pending = true;
        break;
    case MD_BLOCK_LI: {
        flush_para(t);
        char first[16];
        list_state *l = t->nlists ? &t->lists[t->nlists - 1] : NULL;
        if (l && l->ordered) snprintf(first, sizeof first, "%u. ", l->next++);
        else snprintf(first, sizeof first, "• ");
        char cont[16];
        size_t w = lm_text_columns(first, strlen(first));
        memset(cont, ' ', w);
        cont[w] = 0;
        push_prefix(t, first, cont);
        break;
    }
    case MD_BLOCK_QUOTE:
        t->blank_pending = true;
        if (t->in_check && !t->o->answers) {
            blank_line(t);
            lm_buf_reset(&t->para);
            sgr(t, SGR_DIM);
            lm_buf_puts(&t->para, "▸ Answer hidden.");
            flush_para(t);
            t->skip = 1;
            return 0;
        }
        blank_line(t); /* the blank line before the quote has no bar */
        push_prefix(t, "│ ", "│ ");
        break;
    case MD_BLOCK_CODE: {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        t->in_code = true;
        t->code_is_cell = attr_is(&d->lang, "lemma") || attr_is(&d->lang, "lemma-error");
        t->code_is_error = attr_is(&d->lang, "lemma-error");
        lm_buf_reset(&t->code);
        t->blank_pending = true;
        break;
    }
    case MD_BLOCK_HR:
        t->blank_pending = true;
        break;
    case MD_BLOCK_TABLE:
        t->blank_pending = true;
        t->in_table = true;
        table_free(t->table);
        t->table = lm_calloc(1, sizeof *t->table);
        t->table->row = -1;
        break;
    case MD_BLOCK_TR:
        if (t->table) t->table->row++, t->table->col = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (t->table) {
            table_state *tb = t->table;
            const MD_BLOCK_TD_DETAIL *d = detail;
            if (tb->col < TABLE_MAX_COLS && tb->row <= 0) tb->align[tb->col] = d->align;
            tb->start = t->para.len;
            if (type == MD_BLOCK_TH) sgr(t, SGR_BOLD);
        }
        break;
    default:
        break;
    }
    return 0;
}

static int tr_leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    tr *t = ud;
    if (t->skip) {
        t->skip--;
        if (!t->skip) t->blank_pending = true;
        return 0;
    }
    switch (type) {
    case MD_BLOCK_H: {
        t->heading = 0;
        restyle(t);
        const char *h = lm_buf_cstr(&t->heading_text);
        if (((const MD_BLOCK_H_DETAIL *)detail)->level == 2) t->in_check = !strcmp(h, "Check yourself");
        size_t w = lm_text_columns(lm_buf_cstr(&t->para), t->para.len);
        flush_para(t);
        if (((const MD_BLOCK_H_DETAIL *)detail)->level <= 2) {
            lm_buf rule = LM_BUF_INIT;
            size_t max = (size_t)t->width - prefix_width(t);
            for (size_t i = 0; i < w && i < max; i++) lm_buf_puts(&rule, "─");
            emit_line(t, lm_buf_cstr(&rule), rule.len);
            lm_buf_free(&rule);
        }
        t->blank_pending = true;
        break;
    }
    case MD_BLOCK_P:
        flush_para(t);
        t->blank_pending = true;
        break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        flush_para(t);
        if (t->nlists) t->nlists--;
        t->blank_pending = true;
        break;
    case MD_BLOCK_LI:
        flush_para(t);
        if (t->npre) t->npre--;
        t->blank_pending = !(t->nlists && t->lists[t->nlists - 1].tight);
        break;
    case MD_BLOCK_QUOTE:
        flush_para(t);
        if (t->npre) t->npre--;
        t->blank_pending = true;
        break;
    case MD_BLOCK_CODE:
        t->in_code = false;
        if (t->code_is_cell) run_and_show_cell(t);
        else emit_block(t, lm_buf_cstr(&t->code), t->code.len, "    ", SGR_CODE);
        t->blank_pending = true;
        break;
    case MD_BLOCK_HR: {
        lm_buf rule = LM_BUF_INIT;
        for (int i = 0; i < 20; i++) lm_buf_puts(&rule, "─");
        emit_line(t, lm_buf_cstr(&rule), rule.len);
        lm_buf_free(&rule);
        t->blank_pending = true;
        break;
    }
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (t->table) {
            table_state *tb = t->table;
            if (tb->n == tb->cap) {
                tb->cap = tb->cap ? tb->cap * 2 : 16;
                tb->cells = lm_realloc(tb->cells, tb->cap * sizeof *tb->cells);
            }
            tcell *c = &tb->cells[tb->n++];
            c->text = (lm_buf)LM_BUF_INIT;
            size_t a = tb->start, b = t->para.len;
            if (t->o->color && type == MD_BLOCK_TH) a += strlen(SGR_BOLD);
            while (a < b && t->para.s[a] == ' ') a++;
            while (b > a && t->para.s[b - 1] == ' ') b--;
            if (b > a) lm_buf_put(&c->text, t->para.s + a, b - a);
            c->row = tb->row;
            c->col = tb->col++;
            c->head = type == MD_BLOCK_TH;
            if (tb->col > tb->ncols) tb->ncols = tb->col;
            t->para.len = tb->start;
            if (t->para.s) t->para.s[t->para.len] = 0;
        }
        break;
    case MD_BLOCK_TABLE:
        t->in_table = false;
        lm_buf_reset(&t->para);
        if (t->table) table_emit(t, t->table);
        table_free(t->table);
        t->table = NULL;
        t->blank_pending = true;
        break;
    default:
        break;
    }
    return 0;
}

static int tr_enter_span(MD_SPANTYPE type, void *detail, void *ud) {
    tr *t = ud;
    if (t->skip) return 0;
    switch (type) {
    case MD_SPAN_EM: t->italic++; break;
    case MD_SPAN_STRONG: t->bold++; break;
    case MD_SPAN_CODE: t->codespan++; break;
    case MD_SPAN_A: {
        const MD_SPAN_A_DETAIL *d = detail;
        t->under++;
        t->link_lesson = NULL;
        if (d->href.size > 7 && !memcmp(d->href.text, "lesson:", 7)) {
            t->link_lesson = d->href.text + 7;
            t->link_lesson_len = d->href.size - 7;
        }
        break;
    }
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
        t->in_math = true;
        lm_buf_reset(&t->math);
        if (type == MD_SPAN_LATEXMATH_DISPLAY) flush_para(t);
        return 0;
    default: return 0;
    }
    restyle(t);
    return 0;
}

/* Inline math as one unbreakable word when it is short. */
static void put_inline_math(tr *t, const char *tex, size_t n) {
    lm_buf u = LM_BUF_INIT;
    lm_latex_inline(tex, n, &u);
    bool keep = lm_text_columns(lm_buf_cstr(&u), u.len) <= 24;
    for (size_t i = 0; i < u.len; i++) lm_buf_putc(&t->para, keep && u.s[i] == ' ' ? NBSP : u.s[i]);
    lm_buf_free(&u);
}

static int tr_leave_span(MD_SPANTYPE type, void *detail, void *ud) {
    tr *t = ud;
    if (t->skip) return 0;
    switch (type) {
    case MD_SPAN_EM: t->italic--; break;
    case MD_SPAN_STRONG: t->bold--; break;
    case MD_SPAN_CODE: t->codespan--; break;
    case MD_SPAN_A:
        t->under--;
        restyle(t);
        if (t->link_lesson) {
            /* the reader can go there: say how */
            sgr(t, SGR_DIM);
            lm_buf_puts(&t->para, " (lesson ");
            lm_buf_put(&t->para, t->link_lesson, t->link_lesson_len);
            lm_buf_puts(&t->para, ")");
            t->link_lesson = NULL;
        }
        break;
    case MD_SPAN_LATEXMATH:
        t->in_math = false;
        put_inline_math(t, lm_buf_cstr(&t->math), t->math.len);
        return 0;
    case MD_SPAN_LATEXMATH_DISPLAY: {
        t->in_math = false;
        lm_buf u = LM_BUF_INIT;
        lm_latex_to_unicode(lm_buf_cstr(&t->math), t->math.len, &u);
        t->blank_pending = true;
        emit_block(t, lm_buf_cstr(&u), u.len, "    ", NULL);
        t->blank_pending = true;
        lm_buf_free(&u);
        return 0;
    }
    default: return 0;
    }
    restyle(t);
    return 0;
}

static void put_entity(lm_buf *b, const char *e, size_t n) {
    static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                                         {"&nbsp;", " "}, {"&times;", "×"}, {"&middot;", "·"},
                                         {"&minus;", "−"}, {"&hellip;", "…"}, {"&mdash;", "—"},
                                         {"&ndash;", "–"}, {"&rarr;", "→"}};
    for (size_t i = 0; i < sizeof ent / sizeof *ent; i++)
        if (strlen(ent[i][0]) == n && !memcmp(ent[i][0], e, n)) {
            lm_buf_puts(b, ent[i][1]);
            return;
        }
    lm_buf_put(b, e, n);
}

static int tr_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud) {
    tr *t = ud;
    if (t->skip) return 0;
    if (t->in_code) {
        lm_buf_put(&t->code, text, size);
        return 0;
    }
    if (t->in_math) {
        lm_buf_put(&t->math, text, size);
        return 0;
    }
    if (t->heading) lm_buf_put(&t->heading_text, text, size);
    switch (type) {
    case MD_TEXT_BR: lm_buf_putc(&t->para, '\n'); break;
    case MD_TEXT_SOFTBR: lm_buf_putc(&t->para, ' '); break;
    case MD_TEXT_NULLCHAR: lm_buf_puts(&t->para, "\xEF\xBF\xBD"); break;
    case MD_TEXT_ENTITY: put_entity(&t->para, text, size); break;
    default:
        for (MD_SIZE i = 0; i < size; i++) lm_buf_putc(&t->para, text[i] == '\n' ? ' ' : text[i]);
    }
    return 0;
}

static void render_md(const char *md, size_t len, const lm_render_opts *o, int indent, lm_session *s,
                      lm_buf *out) {
    lm_render_opts def = {0, false, false};
    if (!o) o = &def;
    tr t;
    memset(&t, 0, sizeof t);
    t.o = o;
    t.width = o->width > 0 ? o->width : 80;
    if (t.width < 24) t.width = 24;
    t.out = out;
    t.session = s;
    if (indent > 0) {
        char pad[16];
        int k = indent < 15 ? indent : 15;
        memset(pad, ' ', (size_t)k);
        pad[k] = 0;
        push_prefix(&t, pad, pad);
    }
    MD_PARSER p = {0, MD_FLAGS, tr_enter_block, tr_leave_block, tr_enter_span, tr_leave_span, tr_text, NULL, NULL};
    md_parse(md, (MD_SIZE)len, &p, &t);
    flush_para(&t);
    table_free(t.table);
    lm_buf_free(&t.para);
    lm_buf_free(&t.code);
    lm_buf_free(&t.math);
    lm_buf_free(&t.heading_text);
}

void lm_md_render_text(const char *md, size_t len, const lm_render_opts *o, int indent, lm_buf *out) {
    render_md(md, len, o, indent, NULL, out);
}

void lm_lesson_render_text(const lm_course *c, const lm_lesson *l, const lm_render_opts *o, lm_buf *out) {
    lm_render_opts def = {0, false, false};
    if (!o) o = &def;
    int width = o->width > 0 ? o->width : 80;
    const lm_module *m = lm_course_module_find(c, l->module);
    /* the heading block: title, then where it sits and how long it takes */
    lm_buf head = LM_BUF_INIT;
    /* authors may open the body with the title as '# ...': the front matter's
     * title is shown once, above where the lesson sits */
    const char *body = l->body;
    while (*body == '\n' || *body == ' ' || *body == '\r') body++;
    if (!strncmp(body, "# ", 2)) body += strcspn(body, "\n");
    else body = l->body;
    lm_buf_printf(&head, "# %s\n\n*%s", l->title, m ? m->title : l->module);
    size_t idx = lm_course_lesson_index(c, l);
    if (m && idx != (size_t)-1) lm_buf_printf(&head, ", lesson %zu of %zu", idx - m->first + 1, m->nlessons);
    lm_buf_printf(&head, " · %s", lm_level_name(l->level));
    if (l->minutes) lm_buf_printf(&head, " · about %d minutes", l->minutes);
    lm_buf_puts(&head, "*\n");
    if (l->nprerequisites) {
        lm_buf_puts(&head, "\nBefore this: ");
        for (size_t i = 0; i < l->nprerequisites; i++) {
            const lm_lesson *p = lm_course_lesson_find(c, l->prerequisites[i]);
            lm_buf_printf(&head, "%s%s (lesson %s)", i ? ", " : "", p ? p->title : l->prerequisites[i],
                          l->prerequisites[i]);
        }
        lm_buf_puts(&head, "\n");
    }
    lm_render_opts ho = *o;
    ho.width = width;
    render_md(head.s, head.len, &ho, 0, NULL, out);
    lm_buf_free(&head);
    lm_session *s = lesson_session();
    lm_buf text = LM_BUF_INIT;
    render_md(body, strlen(body), &ho, 0, s, &text);
    lm_buf_putc(out, '\n');
    lm_buf_put(out, lm_buf_cstr(&text), text.len);
    lm_buf_free(&text);
    lm_session_free(s);
}

/* ---- HTML ---------------------------------------------------------------------------- */

typedef struct hr {
    lm_buf *out;
    lm_session *session;
    int cell_index;
    bool in_code, code_is_cell, code_is_error;
    lm_buf code, lang;
    bool in_check;
    bool in_h2;
    lm_buf h2;
    int quote_depth;
    int link_open; /* 1: an <a> was written, 2: the link was dropped */
    int link_stack[16];
    int nlinks;
} hr;

static void h_esc(hr *h, const char *s, size_t n) { lm_html_escape(s, n, h->out); }

static int h_enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    hr *h = ud;
    lm_buf *o = h->out;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE:
        if (h->in_check && h->quote_depth++ == 0)
            lm_buf_puts(o, "<details class=\"answer\"><summary>Answer</summary>");
        lm_buf_puts(o, "<blockquote>");
        break;
    case MD_BLOCK_UL: lm_buf_puts(o, "<ul>"); break;
    case MD_BLOCK_OL: {
        const MD_BLOCK_OL_DETAIL *d = detail;
        if (d->start != 1) lm_buf_printf(o, "<ol start=\"%u\">", d->start);
        else lm_buf_puts(o, "<ol>");
        break;
    }
    case MD_BLOCK_LI: lm_buf_puts(o, "<li>"); break;
    case MD_BLOCK_HR: lm_buf_puts(o, "<hr>"); break;
    case MD_BLOCK_H: {
        const MD_BLOCK_H_DETAIL *d = detail;
        lm_buf_printf(o, "<h%u>", d->level);
        if (d->level == 2) {
            h->in_h2 = true;
            lm_buf_reset(&h->h2);
        }
        break;
    }
    case MD_BLOCK_CODE: {
        const MD_BLOCK_CODE_DETAIL *d = detail;
        h->in_code = true;
        h->code_is_cell = attr_is(&d->lang, "lemma") || attr_is(&d->lang, "lemma-error");
        h->code_is_error = attr_is(&d->lang, "lemma-error");
        lm_buf_reset(&h->code);
        break;
    }
    case MD_BLOCK_P: lm_buf_puts(o, "<p>"); break;
    case MD_BLOCK_TABLE: lm_buf_puts(o, "<table>"); break;
    case MD_BLOCK_THEAD: lm_buf_puts(o, "<thead>"); break;
    case MD_BLOCK_TBODY: lm_buf_puts(o, "<tbody>"); break;
    case MD_BLOCK_TR: lm_buf_puts(o, "<tr>"); break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: {
        const MD_BLOCK_TD_DETAIL *d = detail;
        const char *tag = type == MD_BLOCK_TH ? "th" : "td";
        /* the server's CSP allows inline styles (KaTeX needs them) */
        if (d->align == MD_ALIGN_LEFT) lm_buf_printf(o, "<%s style=\"text-align: left\">", tag);
        else if (d->align == MD_ALIGN_CENTER) lm_buf_printf(o, "<%s style=\"text-align: center\">", tag);
        else if (d->align == MD_ALIGN_RIGHT) lm_buf_printf(o, "<%s style=\"text-align: right\">", tag);
        else lm_buf_printf(o, "<%s>", tag);
        break;
    }
    default: break;
    }
    return 0;
}

static int h_leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
    hr *h = ud;
    lm_buf *o = h->out;
    switch (type) {
    case MD_BLOCK_QUOTE:
        lm_buf_puts(o, "</blockquote>");
        if (h->in_check && --h->quote_depth == 0) lm_buf_puts(o, "</details>");
        break;
    case MD_BLOCK_UL: lm_buf_puts(o, "</ul>"); break;
    case MD_BLOCK_OL: lm_buf_puts(o, "</ol>"); break;
    case MD_BLOCK_LI: lm_buf_puts(o, "</li>"); break;
    case MD_BLOCK_H: {
        const MD_BLOCK_H_DETAIL *d = detail;
        lm_buf_printf(o, "</h%u>", d->level);
        if (d->level == 2) {
            h->in_h2 = false;
            h->in_check = !strcmp(lm_buf_cstr(&h->h2), "Check yourself");
        }
        break;
    }
    case MD_BLOCK_CODE:
        h->in_code = false;
        if (h->code_is_cell) {
            lm_buf_printf(o, "<div class=\"cell\" data-index=\"%d\" data-kind=\"%s\"><pre class=\"source\">",
                          h->cell_index++, h->code_is_error ? "lemma-error" : "lemma");
            h_esc(h, lm_buf_cstr(&h->code), h->code.len);
            lm_buf_puts(o, "</pre><div class=\"output\">");
            if (h->session) run_cell(h->session, lm_buf_cstr(&h->code), h->code.len, true, false, 80, o);
            lm_buf_puts(o, "</div></div>");
        } else {
            lm_buf_puts(o, "<pre><code>");
            h_esc(h, lm_buf_cstr(&h->code), h->code.len);
            lm_buf_puts(o, "</code></pre>");
        }
        break;
    case MD_BLOCK_P: lm_buf_puts(o, "</p>"); break;
    case MD_BLOCK_TABLE: lm_buf_puts(o, "</table>"); break;
    case MD_BLOCK_THEAD: lm_buf_puts(o, "</thead>"); break;
    case MD_BLOCK_TBODY: lm_buf_puts(o, "</tbody>"); break;
    case MD_BLOCK_TR: lm_buf_puts(o, "</tr>"); break;
    case MD_BLOCK_TH: lm_buf_puts(o, "</th>"); break;
    case MD_BLOCK_TD: lm_buf_puts(o, "</td>"); break;
    default: break;
    }
    return 0;
}

static int h_enter_span(MD_SPANTYPE type, void *detail, void *ud) {
    hr *h = ud;
    lm_buf *o = h->out;
    switch (type) {
    case MD_SPAN_EM: lm_buf_puts(o, "<em>"); break;
    case MD_SPAN_STRONG: lm_buf_puts(o, "<strong>"); break;
    case MD_SPAN_CODE: lm_buf_puts(o, "<code>"); break;
    case MD_SPAN_DEL: lm_buf_puts(o, "<del>"); break;
    case MD_SPAN_LATEXMATH: lm_buf_puts(o, "<span class=\"math\" data-display=\"false\">"); break;
    case MD_SPAN_LATEXMATH_DISPLAY: lm_buf_puts(o, "<span class=\"math\" data-display=\"true\">"); break;
    case MD_SPAN_A: {
        const MD_SPAN_A_DETAIL *d = detail;
        int kind = 2;
        /* lemma is offline: only links inside the course are followed */
        if (d->href.size > 7 && !memcmp(d->href.text, "lesson:", 7)) {
            lm_buf_puts(o, "<a class=\"lesson-link\" href=\"#/lesson/");
            h_esc(h, d->href.text + 7, d->href.size - 7);
            lm_buf_puts(o, "\">");
            kind = 1;
        } else if (d->href.size > 1 && d->href.text[0] == '#') {
            lm_buf_puts(o, "<a href=\"");
            h_esc(h, d->href.text, d->href.size);
            lm_buf_puts(o, "\">");
            kind = 1;
        }
        if (h->nlinks < 16) h->link_stack[h->nlinks++] = kind;
        break;
    }
    default: break;
    }
    return 0;
}

static int h_leave_span(MD_SPANTYPE type, void *detail, void *ud) {
    hr *h = ud;
    lm_buf *o = h->out;
    switch (type) {
    case MD_SPAN_EM: lm_buf_puts(o, "</em>"); break;
    case MD_SPAN_STRONG: lm_buf_puts(o, "</strong>"); break;
    case MD_SPAN_CODE: lm_buf_puts(o, "</code>"); break;
    case MD_SPAN_DEL: lm_buf_puts(o, "</del>"); break;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY: lm_buf_puts(o, "</span>"); break;
    case MD_SPAN_A:
        if (h->nlinks && h->link_stack[--h->nlinks] == 1) lm_buf_puts(o, "</a>");
        break;
    default: break;
    }
    return 0;
}

static int h_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ud) {
    hr *h = ud;
    if (h->in_code) {
        lm_buf_put(&h->code, text, size);
        return 0;
    }
    if (h->in_h2) lm_buf_put(&h->h2, text, size);
    switch (type) {
    case MD_TEXT_BR: lm_buf_puts(h->out, "<br>"); break;
    case MD_TEXT_SOFTBR: lm_buf_putc(h->out, '\n'); break;
    case MD_TEXT_NULLCHAR: lm_buf_puts(h->out, "\xEF\xBF\xBD"); break;
    case MD_TEXT_ENTITY: {
        /* decoded, then escaped again: an entity cannot smuggle markup in */
        lm_buf d = LM_BUF_INIT;
        put_entity(&d, text, size);
        h_esc(h, lm_buf_cstr(&d), d.len);
        lm_buf_free(&d);
        break;
    }
    default: h_esc(h, text, size);
    }
    return 0;
}

static void render_html(const char *md, size_t len, lm_session *s, lm_buf *out) {
    hr h;
    memset(&h, 0, sizeof h);
    h.out = out;
    h.session = s;
    MD_PARSER p = {0, MD_FLAGS, h_enter_block, h_leave_block, h_enter_span, h_leave_span, h_text, NULL, NULL};
    md_parse(md, (MD_SIZE)len, &p, &h);
    lm_buf_free(&h.code);
    lm_buf_free(&h.lang);
    lm_buf_free(&h.h2);
}

void lm_md_render_html(const char *md, size_t len, lm_buf *out) { render_html(md, len, NULL, out); }

void lm_lesson_render_html(const lm_course *c, const lm_lesson *l, lm_buf *out) {
    (void)c;
    lm_buf_puts(out, "<article class=\"lesson\" data-id=\"");
    lm_html_escape(l->id, strlen(l->id), out);
    lm_buf_puts(out, "\"><h1>");
    lm_html_escape(l->title, strlen(l->title), out);
    lm_buf_puts(out, "</h1>");
    lm_session *s = lesson_session();
    render_html(l->body, strlen(l->body), s, out);
    lm_session_free(s);
    lm_buf_puts(out, "</article>");
}

/* ---- for the check ---------------------------------------------------------------- */

int lm_lesson_run_cell_quiet(lm_session *s, const char *src, size_t len, lm_buf *out) {
    return run_cell(s, src, len, false, false, 60, out);
}

lm_session *lm_lesson_session_new(void) { return lesson_session(); }
