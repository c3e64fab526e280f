/* Marching squares: the level lines of a function sampled on a grid, as
 * independent segments (a renderer strokes them; tests count and place them).
 * A corner is "above" when z >= level; crossings are linearly interpolated along
 * the cell edges, and saddle cells are split by the value at the cell centre. */
#include "lemma/plot.h"

#include <math.h>

static void push(double **segs, size_t *nseg, size_t *cap, double ax, double ay, double bx, double by) {
    if (*nseg == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        *segs = lm_realloc(*segs, *cap * 4 * sizeof **segs);
    }
    double *s = *segs + 4 * *nseg;
    s[0] = ax;
    s[1] = ay;
    s[2] = bx;
    s[3] = by;
    (*nseg)++;
}

/* where along an edge from value p to value q the level is crossed, in [0, 1] */
static double frac(double p, double q, double level) {
    double d = q - p;
    double t = d != 0 ? (level - p) / d : 0.5;
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

void lm_contour_segments(const double *z, size_t nx, size_t ny, double x0, double x1, double y0, double y1,
                         double level, double **segs, size_t *nseg, size_t *cap) {
    if (nx < 2 || ny < 2 || !isfinite(level)) return;
    double dx = (x1 - x0) / (double)(nx - 1), dy = (y1 - y0) / (double)(ny - 1);
    for (size_t j = 0; j + 1 < ny; j++) {
        for (size_t i = 0; i + 1 < nx; i++) {
            /* a bottom-left, b bottom-right, c top-right, d top-left */
            double a = z[j * nx + i], b = z[j * nx + i + 1], c = z[(j + 1) * nx + i + 1], d = z[(j + 1) * nx + i];
            if (isnan(a) || isnan(b) || isnan(c) || isnan(d)) continue;
            bool A = a >= level, B = b >= level, C = c >= level, D = d >= level;
            if (A == B && B == C && C == D) continue;
            double cx = x0 + dx * (double)i, cy = y0 + dy * (double)j;
            /* crossing points on the edges: bottom, right, top, left */
            double ex[4], ey[4];
            bool has[4] = {A != B, B != C, D != C, A != D};
            if (has[0]) ex[0] = cx + dx * frac(a, b, level), ey[0] = cy;
            if (has[1]) ex[1] = cx + dx, ey[1] = cy + dy * frac(b, c, level);
            if (has[2]) ex[2] = cx + dx * frac(d, c, level), ey[2] = cy + dy;
            if (has[3]) ex[3] = cx, ey[3] = cy + dy * frac(a, d, level);
            int n = has[0] + has[1] + has[2] + has[3];
            if (n == 2) {
                int p = -1, q = -1;
                for (int k = 0; k < 4; k++)
                    if (has[k]) {
                        if (p < 0) p = k;
                        else q = k;
                    }
                push(segs, nseg, cap, ex[p], ey[p], ex[q], ey[q]);
            } else if (n == 4) {
                bool centre = (a + b + c + d) / 4 >= level;
                if (centre == A) {
                    /* a and c joined through the centre: cut off b and d */
                    push(segs, nseg, cap, ex[0], ey[0], ex[1], ey[1]);
                    push(segs, nseg, cap, ex[2], ey[2], ex[3], ey[3]);
                } else {
                    push(segs, nseg, cap, ex[3], ey[3], ex[0], ey[0]);
                    push(segs, nseg, cap, ex[1], ey[1], ex[2], ey[2]);
                }
            }
        }
    }
}
