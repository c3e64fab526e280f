/* PNG and PDF through cairo. libcairo.so.2 is opened with dlopen the first time
 * a figure is saved as PNG or PDF, not linked: cairo pulls in fontconfig,
 * freetype, pixman and libpng, which would add milliseconds to every
 * `lemma eval 1+1` (see bench/README.md, "plot"). cairo.h gives the types; each
 * entry point is looked up by name into a table on the caller's stack. */
#include "lemma/plot.h"

#include <cairo.h>
#include <dlfcn.h>
#include <math.h>
#include <string.h>

#define LM_PI 3.14159265358979323846

typedef struct cairo_api {
    cairo_surface_t *(*image_surface_create)(cairo_format_t, int, int);
    cairo_surface_t *(*pdf_surface_create)(const char *, double, double);
    cairo_surface_t *(*image_surface_create_from_png)(const char *);
    int (*image_surface_get_width)(cairo_surface_t *);
    int (*image_surface_get_height)(cairo_surface_t *);
    cairo_status_t (*surface_write_to_png)(cairo_surface_t *, const char *);
    cairo_status_t (*surface_status)(cairo_surface_t *);
    void (*surface_finish)(cairo_surface_t *);
    void (*surface_destroy)(cairo_surface_t *);
    const char *(*status_to_string)(cairo_status_t);
    cairo_t *(*create)(cairo_surface_t *);
    cairo_status_t (*status)(cairo_t *);
    void (*destroy)(cairo_t *);
    void (*save)(cairo_t *);
    void (*restore)(cairo_t *);
    void (*set_source_rgba)(cairo_t *, double, double, double, double);
    void (*move_to)(cairo_t *, double, double);
    void (*line_to)(cairo_t *, double, double);
    void (*close_path)(cairo_t *);
    void (*new_path)(cairo_t *);
    void (*arc)(cairo_t *, double, double, double, double, double);
    void (*rectangle)(cairo_t *, double, double, double, double);
    void (*fill)(cairo_t *);
    void (*fill_preserve)(cairo_t *);
    void (*stroke)(cairo_t *);
    void (*clip)(cairo_t *);
    void (*reset_clip)(cairo_t *);
    void (*set_line_width)(cairo_t *, double);
    void (*set_line_join)(cairo_t *, cairo_line_join_t);
    void (*set_line_cap)(cairo_t *, cairo_line_cap_t);
    void (*set_dash)(cairo_t *, const double *, int, double);
    void (*select_font_face)(cairo_t *, const char *, cairo_font_slant_t, cairo_font_weight_t);
    void (*set_font_size)(cairo_t *, double);
    void (*show_text)(cairo_t *, const char *);
    void (*text_extents)(cairo_t *, const char *, cairo_text_extents_t *);
    void (*translate)(cairo_t *, double, double);
    void (*rotate)(cairo_t *, double);
    void (*scale)(cairo_t *, double, double);
    void (*set_antialias)(cairo_t *, cairo_antialias_t);
} cairo_api;

/* Opens cairo and fills the table. dlopen counts references and the library
 * stays loaded for the process, so a second save costs a lookup only. */
static lm_status load_cairo(cairo_api *api, lm_err *err) {
    void *h = dlopen("libcairo.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return lm_err_set(err, LM_ERR_IO,
                          "save: PNG and PDF need the cairo library (libcairo.so.2), which is not installed; "
                          "save as .svg, or install libcairo2");
    struct {
        const char *name;
        void **slot;
    } syms[] = {
#define S(f) {"cairo_" #f, (void **)&api->f}
        S(image_surface_create), S(pdf_surface_create), S(image_surface_create_from_png),
        S(image_surface_get_width), S(image_surface_get_height), S(surface_write_to_png), S(surface_status),
        S(surface_finish), S(surface_destroy), S(status_to_string), S(create), S(status), S(destroy), S(save),
        S(restore), S(set_source_rgba), S(move_to), S(line_to), S(close_path), S(new_path), S(arc), S(rectangle),
        S(fill), S(fill_preserve), S(stroke), S(clip), S(reset_clip), S(set_line_width), S(set_line_join),
        S(set_line_cap), S(set_dash), S(select_font_face), S(set_font_size), S(show_text), S(text_extents),
        S(translate), S(rotate), S(scale), S(set_antialias),
#undef S
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        /* POSIX: a data pointer from dlsym converts to a function pointer */
        void *p = dlsym(h, syms[i].name);
        if (!p) return lm_err_set(err, LM_ERR_IO, "save: the cairo library lacks %s (too old?)", syms[i].name);
        memcpy(syms[i].slot, &p, sizeof p);
    }
    return LM_OK;
}

typedef struct cctx {
    cairo_api *api;
    cairo_t *cr;
} cctx;

static void rgba(cctx *c, uint32_t col, double a) {
    c->api->set_source_rgba(c->cr, ((col >> 16) & 255) / 255.0, ((col >> 8) & 255) / 255.0, (col & 255) / 255.0, a);
}

static void apply_stroke(cctx *c, const lm_pstyle *st) {
    cairo_api *a = c->api;
    rgba(c, st->stroke, 1);
    a->set_line_width(c->cr, st->width);
    a->set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    a->set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
    if (st->dash == 1) {
        double d[2] = {4 * st->width + 2, 2.5 * st->width + 2};
        a->set_dash(c->cr, d, 2, 0);
    } else if (st->dash == 2) {
        double d[2] = {0.1, 2.5 * st->width + 1};
        a->set_dash(c->cr, d, 2, 0);
    } else {
        a->set_dash(c->cr, NULL, 0, 0);
    }
}

static void paint(cctx *c, const lm_pstyle *st) {
    if (st->fill != LM_PLOT_NONE && st->fill == st->stroke && st->fill_alpha >= 1) {
        /* Abutting pieces of one colour (filled contour bands, heatmap cells):
         * the SVG hides the anti-aliasing seams between them with a hairline of
         * the same colour; here filling them without anti-aliasing leaves no
         * seam at all and costs a fraction of stroking thousands of outlines. */
        rgba(c, st->fill, 1);
        c->api->set_antialias(c->cr, CAIRO_ANTIALIAS_NONE);
        c->api->fill(c->cr);
        c->api->set_antialias(c->cr, CAIRO_ANTIALIAS_DEFAULT);
        return;
    }
    if (st->fill != LM_PLOT_NONE) {
        rgba(c, st->fill, st->fill_alpha);
        if (st->stroke != LM_PLOT_NONE) c->api->fill_preserve(c->cr);
        else c->api->fill(c->cr);
    }
    if (st->stroke != LM_PLOT_NONE) {
        apply_stroke(c, st);
        c->api->stroke(c->cr);
    }
    c->api->new_path(c->cr);
}

static double c_text_width(void *ud, const char *s, double size) {
    (void)ud;
    return lm_plot_text_width(s, size);
}

static void c_path(void *ud, const double *xy, const size_t *lens, size_t nsub, bool closed, const lm_pstyle *st) {
    cctx *c = ud;
    size_t k = 0;
    for (size_t s = 0; s < nsub; s++) {
        for (size_t i = 0; i < lens[s]; i++, k++) {
            if (i == 0) c->api->move_to(c->cr, xy[2 * k], xy[2 * k + 1]);
            else c->api->line_to(c->cr, xy[2 * k], xy[2 * k + 1]);
        }
        if (closed) c->api->close_path(c->cr);
    }
    paint(c, st);
}

static void c_circle(void *ud, double cx, double cy, double r, const lm_pstyle *st) {
    cctx *c = ud;
    c->api->new_path(c->cr);
    c->api->arc(c->cr, cx, cy, r, 0, 2 * LM_PI);
    paint(c, st);
}

static void c_text(void *ud, double x, double y, const char *s, double size, int anchor, bool rotated, uint32_t col,
                   bool bold) {
    cctx *c = ud;
    cairo_api *a = c->api;
    a->select_font_face(c->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                        bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    a->set_font_size(c->cr, size);
    cairo_text_extents_t ext;
    a->text_extents(c->cr, s, &ext);
    double dx = anchor < 0 ? 0 : anchor == 0 ? -ext.x_advance / 2 : -ext.x_advance;
    a->save(c->cr);
    a->translate(c->cr, x, y);
    if (rotated) {
        a->rotate(c->cr, -LM_PI / 2);
        a->translate(c->cr, 0, size * 0.35); /* SVG's dominant-baseline="central" */
    }
    rgba(c, col, 1);
    a->move_to(c->cr, dx, 0);
    a->show_text(c->cr, s);
    a->new_path(c->cr);
    a->restore(c->cr);
}

static void c_clip(void *ud, double x, double y, double w, double h) {
    cctx *c = ud;
    c->api->reset_clip(c->cr);
    if (w <= 0) return;
    c->api->new_path(c->cr);
    c->api->rectangle(c->cr, x, y, w, h);
    c->api->clip(c->cr);
}

lm_status lm_plot_cairo_save(const lm_plot *p, const char *path, bool pdf, int width, int height, lm_err *err) {
    cairo_api api;
    if (load_cairo(&api, err)) return err->kind;
    /* PDF sizes are in points: 600×400 px at 96 dpi is 450×300 pt; drawing in
     * px units scaled by 0.75 keeps the layout identical to the PNG. */
    cairo_surface_t *surf = pdf ? api.pdf_surface_create(path, width * 0.75, height * 0.75)
                                : api.image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    if (api.surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        lm_status st = lm_err_set(err, LM_ERR_IO, "save: cannot write %s: %s", path,
                                  api.status_to_string(api.surface_status(surf)));
        api.surface_destroy(surf);
        return st;
    }
    cairo_t *cr = api.create(surf);
    if (pdf) api.scale(cr, 0.75, 0.75);
    cctx c = {&api, cr};
    lm_canvas cv = {&c, width, height, 12 * sqrt((double)width * height / (LM_PLOT_WIDTH * LM_PLOT_HEIGHT)),
                    c_text_width, c_path, c_circle, c_text, c_clip};
    lm_plot_render(p, &cv);
    lm_status st = LM_OK;
    if (api.status(cr) != CAIRO_STATUS_SUCCESS)
        st = lm_err_set(err, LM_ERR_IO, "save: drawing failed: %s", api.status_to_string(api.status(cr)));
    api.destroy(cr);
    if (!st && !pdf) {
        cairo_status_t cs = api.surface_write_to_png(surf, path);
        if (cs != CAIRO_STATUS_SUCCESS) st = lm_err_set(err, LM_ERR_IO, "save: cannot write %s: %s", path, api.status_to_string(cs));
    }
    if (pdf) {
        api.surface_finish(surf);
        if (!st && api.surface_status(surf) != CAIRO_STATUS_SUCCESS)
            st = lm_err_set(err, LM_ERR_IO, "save: cannot write %s: %s", path, api.status_to_string(api.surface_status(surf)));
    }
    api.surface_destroy(surf);
    return st;
}

lm_status lm_plot_png_size(const char *path, int *width, int *height, lm_err *err) {
    cairo_api api;
    if (load_cairo(&api, err)) return err->kind;
    cairo_surface_t *s = api.image_surface_create_from_png(path);
    lm_status st = LM_OK;
    if (api.surface_status(s) != CAIRO_STATUS_SUCCESS) {
        st = lm_err_set(err, LM_ERR_IO, "cannot read %s as PNG: %s", path, api.status_to_string(api.surface_status(s)));
        *width = *height = 0;
    } else {
        *width = api.image_surface_get_width(s);
        *height = api.image_surface_get_height(s);
    }
    api.surface_destroy(s);
    return st;
}
