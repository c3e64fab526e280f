/* The SVG backend: a canvas that writes SVG 1.1 elements into a buffer. Text
 * stays text (searchable, accessible), the figure's title becomes <title>, and
 * coordinates are written with one decimal by a small formatter (printf is the
 * slow part of a 200×200 filled contour otherwise). */
#include "lemma/plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct svgw {
    lm_buf *out;
    bool clipped;
    uint64_t id; /* clip-path id: from the figure's content, so two SVGs inline in one page do not clash */
    int nclip;
} svgw;

/* x with one decimal ("12.3", "-0.5", "7"); huge values were clamped by render.c */
static void num(lm_buf *b, double x) {
    if (!isfinite(x)) x = 0;
    long long t = llround(x * 10);
    char s[32], *p = s + sizeof s;
    *--p = '\0';
    bool neg = t < 0;
    unsigned long long u = neg ? (unsigned long long)(-t) : (unsigned long long)t;
    unsigned d = (unsigned)(u % 10);
    u /= 10;
    if (d) {
        *--p = (char)('0' + d);
        *--p = '.';
    }
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg && (p[0] != '0' || p[1] != '\0')) *--p = '-';
    lm_buf_puts(b, p);
}

/* XML text: markup characters escaped, control characters and bytes that are
 * not UTF-8 replaced, so any user string gives a well-formed document. */
static void xml_text(lm_buf *b, const char *s) {
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        unsigned char ch = *c;
        if (ch == '&') lm_buf_puts(b, "&amp;");
        else if (ch == '<') lm_buf_puts(b, "&lt;");
        else if (ch == '>') lm_buf_puts(b, "&gt;");
        else if (ch == '"') lm_buf_puts(b, "&quot;");
        else if (ch < 0x20) lm_buf_putc(b, ch == '\t' || ch == '\n' ? ' ' : '?');
        else if (ch < 0x80) lm_buf_putc(b, (char)ch);
        else {
            int len = ch >= 0xF0 && ch < 0xF5 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC2 && ch < 0xE0 ? 2 : 0;
            bool ok = len > 0;
            for (int k = 1; ok && k < len; k++)
                if ((c[k] & 0xC0) != 0x80) ok = false;
            if (!ok) {
                lm_buf_putc(b, '?');
                c++;
                continue;
            }
            lm_buf_put(b, (const char *)c, (size_t)len);
            c += len;
            continue;
        }
        c++;
    }
}

static void color(lm_buf *b, uint32_t c) { lm_buf_printf(b, "#%06X", c & 0xFFFFFF); }

static void style(lm_buf *b, const lm_pstyle *st) {
    lm_buf_puts(b, " fill=\"");
    if (st->fill == LM_PLOT_NONE) lm_buf_puts(b, "none\"");
    else {
        color(b, st->fill);
        lm_buf_putc(b, '"');
        if (st->fill_alpha < 1) {
            lm_buf_puts(b, " fill-opacity=\"");
            num(b, st->fill_alpha * 100);
            lm_buf_puts(b, "%\"");
        }
    }
    if (st->stroke != LM_PLOT_NONE) {
        lm_buf_puts(b, " stroke=\"");
        color(b, st->stroke);
        lm_buf_puts(b, "\" stroke-width=\"");
        num(b, st->width);
        lm_buf_puts(b, "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        if (st->dash == 1) {
            lm_buf_puts(b, " stroke-dasharray=\"");
            num(b, 4 * st->width + 2);
            lm_buf_putc(b, ' ');
            num(b, 2.5 * st->width + 2);
            lm_buf_putc(b, '"');
        } else if (st->dash == 2) {
            lm_buf_puts(b, " stroke-dasharray=\"0.1 ");
            num(b, 2.5 * st->width + 1);
            lm_buf_putc(b, '"');
        }
    }
}

static double svg_text_width(void *ud, const char *s, double size) {
    (void)ud;
    return lm_plot_text_width(s, size);
}

static void svg_path(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st) {
    svgw *w = ud;
    lm_buf *b = w->out;
    lm_buf_puts(b, "<path d=\"");
    size_t k = 0;
    for (size_t s = 0; s < nsub; s++) {
        for (size_t i = 0; i < lens[s]; i++, k++) {
            lm_buf_putc(b, i == 0 ? 'M' : (i == 1 ? 'L' : ' '));
            num(b, xy[2 * k]);
            lm_buf_putc(b, ' ');
            num(b, xy[2 * k + 1]);
        }
        if (closed) lm_buf_putc(b, 'Z');
    }
    lm_buf_putc(b, '"');
    style(b, st);
    lm_buf_puts(b, "/>\n");
}

static void svg_circle(void *ud, double cx, double cy, double r, const lm_pstyle *st) {
    svgw *w = ud;
    lm_buf *b = w->out;
    lm_buf_puts(b, "<circle cx=\"");
    num(b, cx);
    lm_buf_puts(b, "\" cy=\"");
    num(b, cy);
    lm_buf_puts(b, "\" r=\"");
    num(b, r);
    lm_buf_putc(b, '"');
    style(b, st);
    lm_buf_puts(b, "/>\n");
}

static void svg_text(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated,
                     uint32_t col, bool bold) {
    svgw *w = ud;
    lm_buf *b = w->out;
    lm_buf_puts(b, "<text x=\"");
    num(b, x);
    lm_buf_puts(b, "\" y=\"");
    num(b, y);
    lm_buf_puts(b, "\" font-size=\"");
    num(b, size);
    lm_buf_putc(b, '"');
    if (anchor) lm_buf_puts(b, anchor < 0 ? " text-anchor=\"start\"" : " text-anchor=\"end\"");
    else lm_buf_puts(b, " text-anchor=\"middle\"");
    if (bold) lm_buf_puts(b, " font-weight=\"bold\"");
    if (col != 0x222222) {
        lm_buf_puts(b, " fill=\"");
        color(b, col);
        lm_buf_putc(b, '"');
    }
    if (rotated) {
        lm_buf_puts(b, " transform=\"rotate(-90 ");
        num(b, x);
        lm_buf_putc(b, ' ');
        num(b, y);
        lm_buf_puts(b, ")\" dominant-baseline=\"central\"");
    }
    lm_buf_putc(b, '>');
    xml_text(b, s);
    lm_buf_puts(b, "</text>\n");
}

static void svg_clip(void *ud, double x, double y, double cw, double ch) {
    svgw *w = ud;
    lm_buf *b = w->out;
    if (w->clipped) {
        lm_buf_puts(b, "</g>\n");
        w->clipped = false;
    }
    if (cw <= 0) return;
    w->nclip++;
    lm_buf_printf(b, "<clipPath id=\"lm%016llx-%d\"><rect x=\"", (unsigned long long)w->id, w->nclip);
    num(b, x);
    lm_buf_puts(b, "\" y=\"");
    num(b, y);
    lm_buf_puts(b, "\" width=\"");
    num(b, cw);
    lm_buf_puts(b, "\" height=\"");
    num(b, ch);
    lm_buf_printf(b, "\"/></clipPath>\n<g clip-path=\"url(#lm%016llx-%d)\">\n", (unsigned long long)w->id, w->nclip);
    w->clipped = true;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ULL;
    return h;
}

static uint64_t figure_hash(const lm_plot *p) {
    uint64_t h = 14695981039346656037ULL;
    const char *strs[3] = {p->title, p->desc, p->note};
    for (int i = 0; i < 3; i++)
        if (strs[i]) h = fnv(h, strs[i], strlen(strs[i]));
    for (size_t k = 0; k < p->n; k++) {
        const lm_series *s = &p->s[k];
        h = fnv(h, &s->kind, sizeof s->kind);
        h = fnv(h, &s->n, sizeof s->n);
        if (s->n) h = fnv(h, s->y, (s->n < 64 ? s->n : 64) * sizeof *s->y);
        if (s->z) h = fnv(h, s->z, (s->nx * s->ny < 64 ? s->nx * s->ny : 64) * sizeof *s->z);
    }
    return h;
}

void lm_plot_svg(const lm_plot *p, int width, int height, lm_buf *out) {
    if (width < 16) width = 16;
    if (height < 16) height = 16;
    svgw w = {out, false, figure_hash(p), 0};
    lm_buf_printf(out,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
                  "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" fill=\"#222222\" "
                  "role=\"img\">\n<title>",
                  width, height, width, height);
    if (p->title) xml_text(out, p->title);
    else if (p->desc) xml_text(out, p->desc);
    else xml_text(out, "plot");
    lm_buf_puts(out, "</title>\n");
    if (p->desc && p->title) {
        lm_buf_puts(out, "<desc>");
        xml_text(out, p->desc);
        lm_buf_puts(out, "</desc>\n");
    }
    lm_canvas cv = {&w, width, height, 12 * sqrt((double)width * height / (LM_PLOT_WIDTH * LM_PLOT_HEIGHT)),
                    svg_text_width, svg_path, svg_circle, svg_text, svg_clip};
    lm_plot_render(p, &cv);
    if (w.clipped) lm_buf_puts(out, "</g>\n");
    lm_buf_puts(out, "</svg>\n");
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m) return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

lm_status lm_plot_save(const lm_plot *p, const char *path, int width, int height, lm_err *err) {
    if (width < 16 || height < 16 || width > 20000 || height > 20000)
        return lm_err_set(err, LM_ERR_DOMAIN, "save: a figure between 16 and 20000 px on each side, please (not %d×%d)",
                          width, height);
    if (ends_with(path, ".png")) return lm_plot_cairo_save(p, path, false, width, height, err);
    if (ends_with(path, ".pdf")) return lm_plot_cairo_save(p, path, true, width, height, err);
    if (!ends_with(path, ".svg"))
        return lm_err_set(err, LM_ERR_DOMAIN, "save: the file name must end in .svg, .png or .pdf (not \"%s\")", path);
    lm_buf b = LM_BUF_INIT;
    lm_plot_svg(p, width, height, &b);
    FILE *f = fopen(path, "wb");
    lm_status st = LM_OK;
    if (!f) {
        st = lm_err_set(err, LM_ERR_IO, "save: cannot write %s", path);
    } else {
        size_t w = fwrite(b.s, 1, b.len, f);
        if (fclose(f) != 0 || w != b.len) st = lm_err_set(err, LM_ERR_IO, "save: writing %s failed", path);
    }
    lm_buf_free(&b);
    return st;
}
