/* `lemma gallery DIR`: writes every concept picture (functions, a pole, a shaded
 * integral, matrices as maps, level sets with a descent path, histograms...) as
 * DIR/NAME.svg and DIR/NAME.png, each made by a lemma program, so the gallery
 * is also an end-to-end check of the plotting builtins. */
#include "cli/cli.h"
#include "lemma/lang.h"
#include "lemma/plot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct picture {
    const char *name;
    const char *program; /* its last statement's value is the plot */
} picture;

static const picture pictures[] = {
    {"function", "title(legend(plot([sin(x); cos(x)], x, -2*pi, 2*pi), \"sin(x)\", \"cos(x)\"), \"sine and cosine\")"},
    {"pole", "title(plot(tan(x), x, -pi, pi), \"tan(x): the poles are not joined\")"},
    {"integral", "title(plot(exp(-x^2/2)/sqrt(2*pi), x, -4, 4, shade = [-1, 1]), \"the standard normal density\")"},
    {"tangent", "title(tangent(x^3 - 2*x, x, 1), \"the derivative is the slope of the tangent\")"},
    {"matrix", "title(plot([2 1; 1 3]), \"A = [2 1; 1 3] as a map of the plane\")"},
    {"shear", "title(plot([1 1; 0 1]), \"a shear: one eigenvector\")"},
    {"rotation", "title(plot([0 -1; 1 0]), \"a rotation: no real eigenvectors\")"},
    {"descent", "k = (0:20)'; P = [1.8*(1 - 2*0.08).^k, 1.2*(1 - 10*0.08).^k];\n"
                "title(contour(x^2 + 5*y^2, [x, y], [-2, 2], [-1.5, 1.5], path = P), \"gradient descent on x^2 + 5y^2\")"},
    {"filled", "title(contour(sin(x)*cos(y), [x, y], [-3, 3], [-3, 3], filled = true), \"sin(x) cos(y)\")"},
    {"circle", "title(contour(x^2 + y^2, [x, y], [-2, 2], [-2, 2], levels = [0.25 1 2.25], equal = true), "
               "\"x^2 + y^2 = 1 is the unit circle\")"},
    {"histogram", "seed(42); v = randn(2000, 1);\n"
                  "title(hist(v, 30, density = true), \"2000 standard normal draws\")"},
    {"scatter", "seed(7); u = randn(300, 1); w = 0.8*u + 0.6*randn(300, 1);\n"
                "ylabel(xlabel(title(scatter(u, w), \"correlated pairs, r = 0.8\"), \"u\"), \"w\")"},
    {"bar", "title(bar([0.1 0.2 0.4 0.2 0.1]), \"a probability mass function\")"},
    {"heatmap", "title(heatmap([1 0.8 0.1; 0.8 1 -0.3; 0.1 -0.3 1]), \"a correlation matrix\")"},
    {"quiver", "title(quiver([-y; x], [x, y], [-2, 2], [-2, 2]), \"the field (-y, x) turns around the origin\")"},
    {"gradient", "title(quiver([-2*x; -10*y], [x, y], [-2, 2], [-1, 1], n = 13), \"minus the gradient of x^2 + 5y^2\")"},
    {"distribution", "plot(Normal(0, 1), shade = [-1.96, 1.96])"},
    {"pmf", "plot(Binomial(10, 0.3), shade = [2, 4])"},
    {"markov", "plot(markov([0.9 0.1; 0.5 0.5]), start = 2, steps = 15)"},
    {"bayesnet", "net = bayesnet(); net = node(net, \"Rain\", [], 0.2);\n"
                 "net = node(net, \"Sprinkler | Rain\", [0.4; 0.01]);\n"
                 "net = node(net, \"WetGrass | Sprinkler, Rain\", [0; 0.8; 0.9; 0.99]);\n"
                 "title(plot(net), \"rain, sprinkler and wet grass\")"},
    {"network", "plot(mlp([2, 4, 1], seed = 1))"},
    {"loss", "[X, y] = moons(200, noise = 0.1, seed = 1);\n"
             "[net, losses] = train(mlp([2, 16, 16, 1], \"tanh\", seed = 1), X, y, loss = \"bce\", epochs = 300);\n"
             "ylabel(xlabel(title(plot(losses), \"training loss of a 2-16-16-1 network on moons\"), \"epoch\"), "
             "\"binary cross-entropy (nats)\")"},
    {"loglog", "title(loglog(1:100, (1:100).^2), \"x^2 on log-log axes is a straight line of slope 2\")"},
};

static int make_dir(const char *dir) {
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) return 0;
    fprintf(stderr, "lemma gallery: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
}

int lm_cli_gallery(const char *dir) {
    if (make_dir(dir)) return 1;
    int failed = 0;
    for (size_t i = 0; i < sizeof pictures / sizeof pictures[0]; i++) {
        const picture *pic = &pictures[i];
        lm_session *s = lm_session_new();
        lm_value v = lm_eval_value(s, pic->program);
        if (v.kind != LM_PLOT) {
            lm_buf b = LM_BUF_INIT;
            if (lm_is_error(v)) lm_buf_puts(&b, lm_error_obj(v)->msg);
            else lm_buf_puts(&b, "the program gave no plot");
            fprintf(stderr, "lemma gallery: %s: %s\n", pic->name, lm_buf_cstr(&b));
            lm_buf_free(&b);
            failed++;
        } else {
            static const char *const ext[] = {"svg", "png"};
            for (int e = 0; e < 2; e++) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s.%s", dir, pic->name, ext[e]);
                lm_err err = LM_ERR_INIT;
                if (lm_plot_save(lm_plot_of(v), path, LM_PLOT_WIDTH, LM_PLOT_HEIGHT, &err)) {
                    fprintf(stderr, "lemma gallery: %s\n", err.msg ? err.msg : path);
                    lm_err_clear(&err);
                    failed++;
                } else {
                    printf("%s\n", path);
                }
            }
        }
        lm_release(v);
        lm_session_free(s);
    }
    return failed ? 1 : 0;
}
