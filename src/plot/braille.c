/* The terminal backend: each character cell holds 2×4 braille dots, so a
 * cols×rows window is a (2·cols)×(4·rows) dot canvas. Lines are stepped dot by
 * dot, fills are scanned (light fills as a checker of dots), and text takes
 * whole cells. Colour is per cell (the last thing drawn there), as 24-bit ANSI. */
#include "lemma/plot.h"
#include "lemma/limits.h"

#include <math.h>
#include <string.h>

typedef struct bcell {
    uint8_t bits;
    uint32_t color;
    uint32_t ch; /* a text character (code point) or 0 */
    uint32_t tcolor;
} bcell;

typedef struct bcanvas {
    int cols, rows, w, h; /* w, h in dots */
    bcell *cell;
    double cx0, cy0, cx1, cy1; /* clip, in dots */
} bcanvas;

static const uint8_t dotbit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

static void dot(bcanvas *b, int x, int y, uint32_t color, bool on) {
    if (x < 0 || y < 0 || x >= b->w || y >= b->h) return;
    if (x < b->cx0 || x >= b->cx1 || y < b->cy0 || y >= b->cy1) return;
    bcell *c = &b->cell[(y / 4) * b->cols + x / 2];
    if (on) {
        c->bits |= dotbit[y % 4][x % 2];
        c->color = color;
    } else {
        c->bits &= (uint8_t)~dotbit[y % 4][x % 2];
    }
}

static bool light(uint32_t c) {
    double l = 0.299 * ((c >> 16) & 255) + 0.587 * ((c >> 8) & 255) + 0.114 * (c & 255);
    return l > 200;
}

static void line(bcanvas *b, double ax, double ay, double bx, double by, uint32_t color) {
    /* clamp far endpoints so the step count stays bounded */
    double lim = 4.0 * (b->w + b->h);
    ax = fmax(-lim, fmin(lim, ax)), bx = fmax(-lim, fmin(lim, bx));
    ay = fmax(-lim, fmin(lim, ay)), by = fmax(-lim, fmin(lim, by));
    double dx = bx - ax, dy = by - ay;
    int n = (int)ceil(fmax(fabs(dx), fabs(dy)));
    if (n < 1) n = 1;
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n;
        dot(b, (int)floor(ax + dx * t), (int)floor(ay + dy * t), color, true);
    }
}

static double b_text_width(void *ud, const char *s, double size) {
    (void)ud;
    (void)size;
    double n = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c & 0xC0) != 0x80) n++;
    return 2 * n;
}

static void b_fill(bcanvas *b, const double *xy, const size_t *lens, size_t nsub, uint32_t color, double alpha) {
    bool clear = color == 0xFFFFFF, sparse = alpha < 0.6;
    for (int y = 0; y < b->h; y++) {
        double yc = y + 0.5, xs[256];
        int nx = 0;
        size_t k = 0;
        for (size_t s = 0; s < nsub; s++) {
            for (size_t i = 0; i < lens[s]; i++) {
                const double *p = xy + 2 * (k + i), *q = xy + 2 * (k + (i + 1) % lens[s]);
                if ((p[1] <= yc) != (q[1] <= yc) && nx < 256) xs[nx++] = p[0] + (yc - p[1]) / (q[1] - p[1]) * (q[0] - p[0]);
            }
            k += lens[s];
        }
        for (int i = 1; i < nx; i++)
            for (int j = i; j > 0 && xs[j] < xs[j - 1]; j--) {
                double t = xs[j];
                xs[j] = xs[j - 1];
                xs[j - 1] = t;
            }
        for (int i = 0; i + 1 < nx; i += 2) {
            int xa = (int)ceil(xs[i] - 0.5), xb = (int)floor(xs[i + 1] - 0.5);
            if (xa < 0) xa = 0;
            if (xb >= b->w) xb = b->w - 1;
            for (int x = xa; x <= xb; x++) {
                if (clear) dot(b, x, y, 0, false);
                else if (!sparse || (x + y) % 2 == 0) dot(b, x, y, color, true);
            }
        }
    }
}

static void b_path(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st) {
    bcanvas *b = ud;
    if (st->fill != LM_PLOT_NONE && closed) b_fill(b, xy, lens, nsub, st->fill, st->fill_alpha);
    if (st->stroke == LM_PLOT_NONE || light(st->stroke)) return;
    if (st->fill != LM_PLOT_NONE && st->fill == st->stroke) return; /* seam hairlines of filled bands */
    size_t k = 0;
    for (size_t s = 0; s < nsub; s++) {
        for (size_t i = 0; i + 1 < lens[s]; i++)
            line(b, xy[2 * (k + i)], xy[2 * (k + i) + 1], xy[2 * (k + i + 1)], xy[2 * (k + i + 1) + 1], st->stroke);
        if (closed && lens[s] > 2)
            line(b, xy[2 * (k + lens[s] - 1)], xy[2 * (k + lens[s] - 1) + 1], xy[2 * k], xy[2 * k + 1], st->stroke);
        k += lens[s];
    }
}

static void b_circle(void *ud, double cx, double cy, double r, const lm_pstyle *st) {
    (void)r;
    bcanvas *b = ud;
    uint32_t c = st->fill != LM_PLOT_NONE ? st->fill : st->stroke;
    dot(b, (int)floor(cx), (int)floor(cy), c, true);
}

static uint32_t utf8_next(const unsigned char **p) {
    const unsigned char *c = *p;
    uint32_t cp = *c++;
    int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
    if (more) cp &= 0x3F >> more;
    for (; more && (*c & 0xC0) == 0x80; more--) cp = (cp << 6) | (*c++ & 0x3F);
    if (more || cp < 0x20 || (cp >= 0x80 && cp < 0xA0)) cp = '?';
    *p = c;
    return cp;
}

static void b_text(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated, uint32_t col,
                   bool bold) {
    (void)size;
    (void)bold;
    bcanvas *b = ud;
    if (rotated) return; /* no room for a vertical label in a terminal */
    /* Text takes whole cells, so an anchor inside a cell is rounded away from
       the text: left-anchored text starts at or after x, right-anchored text
       ends at or before it, with a blank cell between it and any dots already
       drawn right after it (a y tick label ran into its tick mark: "10⠤⡇"). */
    double w = b_text_width(ud, s, size);
    int len = (int)(w / 2), row = (int)floor((y - 1) / 4);
    if (row < 0 || row >= b->rows) return;
    int c0 = anchor < 0 ? (int)ceil(x / 2) : anchor == 0 ? (int)lround((x - w / 2) / 2) : (int)floor(x / 2) - len;
    if (anchor > 0 && c0 > 0 && c0 + len < b->cols && b->cell[row * b->cols + c0 + len].bits) c0--;
    const unsigned char *p = (const unsigned char *)s;
    for (int c = c0; *p; c++) {
        uint32_t cp = utf8_next(&p);
        if (c < 0 || c >= b->cols) continue;
        bcell *cell = &b->cell[row * b->cols + c];
        cell->ch = cp;
        cell->tcolor = col;
    }
}

static void b_clip(void *ud, double x, double y, double w, double h) {
    bcanvas *b = ud;
    if (w <= 0) {
        b->cx0 = b->cy0 = 0;
        b->cx1 = b->w;
        b->cy1 = b->h;
        return;
    }
    b->cx0 = x;
    b->cy0 = y;
    b->cx1 = x + w;
    b->cy1 = y + h;
}

static void put_cp(lm_buf *out, uint32_t cp) {
    char u[4];
    if (cp < 0x80) {
        lm_buf_putc(out, (char)cp);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        lm_buf_put(out, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        lm_buf_put(out, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        lm_buf_put(out, u, 4);
    }
}

void lm_plot_braille(const lm_obj *plot, int cols, int rows, bool color, lm_buf *out) {
    if (!plot || plot->kind != LM_PLOT) return;
    const lm_plot *grid = (const lm_plot *)plot;
    if (grid->nsub) {
        /* a terminal is narrow: the panels of a grid come one after another */
        if (grid->title) lm_buf_printf(out, "%s\n", grid->title);
        for (size_t k = 0; k < grid->nsub; k++) lm_plot_braille(&grid->sub[k]->hdr, cols, rows, color, out);
        return;
    }
    if (cols < 20) cols = 20;
    if (rows < 8) rows = 8;
    if (cols > 1000) cols = 1000;
    if (rows > 500) rows = 500;
    bcanvas b = {cols, rows, 2 * cols, 4 * rows, NULL, 0, 0, 2 * cols, 4 * rows};
    b.cell = lm_calloc((size_t)cols * (size_t)rows, sizeof *b.cell);
    lm_canvas cv = {&b, b.w, b.h, 4, b_text_width, b_path, b_circle, b_text, b_clip};
    lm_plot_render((const lm_plot *)plot, &cv);
    for (int r = 0; r < rows; r++) {
        uint32_t cur = 0xFFFFFFFF;
        int last = cols - 1; /* no trailing blanks */
        while (last >= 0 && !b.cell[r * cols + last].ch && !b.cell[r * cols + last].bits) last--;
        for (int c = 0; c <= last; c++) {
            const bcell *cell = &b.cell[r * cols + c];
            uint32_t want = cell->ch ? cell->tcolor : cell->color;
            if (color && (cell->ch || cell->bits) && want != cur) {
                lm_buf_printf(out, "\x1b[38;2;%u;%u;%um", (want >> 16) & 255, (want >> 8) & 255, want & 255);
                cur = want;
            }
            if (cell->ch) put_cp(out, cell->ch);
            else if (cell->bits) put_cp(out, 0x2800u + cell->bits);
            else lm_buf_putc(out, ' ');
        }
        if (color && cur != 0xFFFFFFFF) lm_buf_puts(out, "\x1b[0m");
        lm_buf_putc(out, '\n');
    }
    lm_free(b.cell);
}
