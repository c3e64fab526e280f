/* Data for the lessons without any download: a CSV reader with a header row,
 * the Iris data compiled in, and seedable generators (moons, blobs, linear).
 * Every error names what was wrong and where (file, line, column), since the
 * file is the learner's own. */
#include "ad_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define PI_D 3.14159265358979323846

/* ---- CSV ---- */

void lm_data_names_free(char **names, int64_t n) {
    if (!names) return;
    for (int64_t i = 0; i < n; i++) lm_free(names[i]);
    lm_free(names);
}

/* One cell of a line: [s, e) with surrounding blanks and double quotes removed.
 * Returns the position after the cell's comma, or NULL at the end of the line. */
static const char *next_cell(const char *p, const char *end, const char **s, const char **e) {
    const char *q = p;
    while (q < end && *q != ',') {
        if (*q == '"') { /* a quoted cell may hold commas; "" is a quote */
            q++;
            while (q < end && !(*q == '"' && (q + 1 >= end || q[1] != '"'))) q += *q == '"' ? 2 : 1;
        }
        if (q < end) q++;
    }
    const char *a = p, *b = q;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (b - a >= 2 && *a == '"' && b[-1] == '"') {
        a++;
        b--;
    }
    *s = a;
    *e = b;
    return q < end ? q + 1 : NULL;
}

static bool parse_number(const char *s, const char *e, double *out) {
    size_t n = (size_t)(e - s);
    if (n == 0 || (n == 2 && !strncmp(s, "NA", 2)) || (n == 3 && !strncasecmp(s, "nan", 3))) {
        *out = NAN;
        return true;
    }
    char tmp[64];
    if (n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *endp;
    errno = 0;
    double v = strtod(tmp, &endp);
    if (*endp || endp == tmp) return false;
    *out = v;
    return true;
}

static int64_t count_cells(const char *p, const char *end) {
    int64_t n = 0;
    const char *s, *e;
    do {
        p = next_cell(p, end, &s, &e);
        n++;
    } while (p);
    return n;
}

/* A relative path that is not in the current directory is also looked for
 * beside the program and up to three folders above it, so that the shipped
 * data/ folder (data/iris.csv) is found from a build directory too. */
static FILE *open_shipped(const char *path) {
    char *full = lm_find_shipped(path);
    FILE *f = full ? fopen(full, "rb") : NULL;
    lm_free(full);
    return f;
}

lm_tensor *lm_data_csv(const char *path, char ***names, int64_t *ncols, lm_err *err) {
    FILE *f = fopen(path, "rb");
    if (!f && errno == ENOENT) {
        f = open_shipped(path);
        if (!f) errno = ENOENT;
    }
    if (!f) {
        lm_err_set(err, LM_ERR_IO, "csv: cannot open \"%s\": %s (files are read relative to the current directory)", path,
                   strerror(errno));
        return NULL;
    }
    lm_buf b = LM_BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > (size_t)LM_MAX_STRING) {
            fclose(f);
            lm_buf_free(&b);
            lm_err_set(err, LM_ERR_LIMIT, "csv: \"%s\" is larger than %lld MiB", path, (long long)(LM_MAX_STRING >> 20));
            return NULL;
        }
        lm_buf_put(&b, chunk, got);
    }
    bool rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        lm_buf_free(&b);
        lm_err_set(err, LM_ERR_IO, "csv: cannot read \"%s\"", path);
        return NULL;
    }
    const char *p = lm_buf_cstr(&b), *end = p + b.len;
    if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3; /* a UTF-8 byte-order mark */

    /* Pass 1: the header, then count the data rows and check their widths. */
    int64_t line = 0, cols = 0, rows = 0;
    const char *header = NULL, *hend = NULL;
    lm_tensor *X = NULL;
    char **nm = NULL;
    for (const char *q = p; q < end;) {
        const char *le = memchr(q, '\n', (size_t)(end - q));
        if (!le) le = end;
        const char *lend = le > q && le[-1] == '\r' ? le - 1 : le;
        line++;
        bool blank = true;
        for (const char *r = q; r < lend; r++)
            if (*r != ' ' && *r != '\t') blank = false;
        if (!blank) {
            if (!header) {
                header = q;
                hend = lend;
                cols = count_cells(q, lend);
            } else {
                int64_t c = count_cells(q, lend);
                if (c != cols) {
                    lm_err_set(err, LM_ERR_PARSE, "csv: \"%s\" line %lld has %lld cell%s, but the header has %lld columns",
                               path, (long long)line, (long long)c, c == 1 ? "" : "s", (long long)cols);
                    goto out;
                }
                rows++;
            }
        }
        q = le + 1;
    }
    if (!header) {
        lm_err_set(err, LM_ERR_PARSE, "csv: \"%s\" is empty: it needs a header line of column names", path);
        goto out;
    }
    X = lm_tensor_matrix(rows, cols, err);
    if (!X) goto out;
    /* Pass 2: the numbers. */
    line = 0;
    int64_t i = 0;
    bool seen_header = false;
    for (const char *q = p; q < end;) {
        const char *le = memchr(q, '\n', (size_t)(end - q));
        if (!le) le = end;
        const char *lend = le > q && le[-1] == '\r' ? le - 1 : le;
        line++;
        bool blank = true;
        for (const char *r = q; r < lend; r++)
            if (*r != ' ' && *r != '\t') blank = false;
        if (!blank && !seen_header) {
            seen_header = true;
        } else if (!blank) {
            const char *c = q, *s, *e;
            for (int64_t j = 0; j < cols; j++) {
                c = next_cell(c, lend, &s, &e);
                if (!parse_number(s, e, &X->data[i * cols + j])) {
                    lm_err_set(err, LM_ERR_PARSE, "csv: \"%s\" line %lld, column %lld: \"%.*s\" is not a number", path,
                               (long long)line, (long long)j + 1, (int)((e - s) > 40 ? 40 : (e - s)), s);
                    lm_tensor_release(X);
                    X = NULL;
                    goto out;
                }
            }
            i++;
        }
        q = le + 1;
    }
    if (names) {
        nm = lm_calloc((size_t)(cols ? cols : 1), sizeof *nm);
        const char *c = header, *s, *e;
        for (int64_t j = 0; j < cols; j++) {
            c = next_cell(c, hend, &s, &e);
            nm[j] = lm_strndup(s, (size_t)(e - s));
        }
        *names = nm;
    }
    if (ncols) *ncols = cols;
out:
    lm_buf_free(&b);
    return X;
}

/* ---- Iris ---- */

lm_status lm_data_iris(lm_tensor **X, lm_tensor **y, lm_err *err) {
    lm_tensor *x = X ? lm_tensor_matrix(150, 4, err) : NULL;
    lm_tensor *l = y ? lm_tensor_matrix(150, 1, err) : NULL;
    if ((X && !x) || (y && !l)) {
        lm_tensor_release(x);
        lm_tensor_release(l);
        return err->kind;
    }
    for (int i = 0; i < 150; i++) {
        if (x) memcpy(x->data + i * 4, lm_iris_data[i], 4 * sizeof(double));
        if (l) l->data[i] = lm_iris_data[i][4];
    }
    if (X) *X = x;
    if (y) *y = l;
    return LM_OK;
}

/* ---- generators ---- */

static lm_status alloc_xy(int64_t n, int64_t d, lm_tensor **X, lm_tensor **y, lm_err *err) {
    *X = lm_tensor_matrix(n, d, err);
    *y = *X ? lm_tensor_matrix(n, 1, err) : NULL;
    if (!*y) {
        lm_tensor_release(*X);
        *X = NULL;
        return err->kind;
    }
    return LM_OK;
}

static lm_status check_n(const char *fn, int64_t n, double noise, lm_err *err) {
    if (n < 1) return lm_err_set(err, LM_ERR_DOMAIN, "%s: n must be at least 1, not %lld", fn, (long long)n);
    if (n > 10000000) return lm_err_set(err, LM_ERR_LIMIT, "%s: n = %lld is more than 10 million samples", fn, (long long)n);
    if (!(noise >= 0) || !isfinite(noise))
        return lm_err_set(err, LM_ERR_DOMAIN, "%s: noise must be a finite number >= 0, not %g", fn, noise);
    return LM_OK;
}

lm_status lm_data_moons(int64_t n, double noise, lm_rng *rng, lm_tensor **X, lm_tensor **y, lm_err *err) {
    if (check_n("moons", n, noise, err) || alloc_xy(n, 2, X, y, err)) return err->kind;
    int64_t nout = n / 2, nin = n - nout;
    double *x = (*X)->data, *l = (*y)->data;
    for (int64_t i = 0; i < n; i++) {
        bool outer = i < nout;
        int64_t k = outer ? i : i - nout, cnt = outer ? nout : nin;
        double t = cnt > 1 ? PI_D * (double)k / (double)(cnt - 1) : 0;
        x[2 * i] = outer ? cos(t) : 1 - cos(t);
        x[2 * i + 1] = outer ? sin(t) : 0.5 - sin(t);
        l[i] = outer ? 0 : 1;
    }
    if (noise > 0) /* after the shapes, so the clean moons do not depend on the generator */
        for (int64_t k = 0; k < 2 * n; k++) x[k] += noise * lm_rng_normal(rng);
    return LM_OK;
}

lm_status lm_data_blobs(int64_t n, int64_t k, int64_t d, double sd, double box, lm_rng *rng, lm_tensor **X,
                        lm_tensor **y, lm_tensor **centres, lm_err *err) {
    if (check_n("blobs", n, sd, err)) return err->kind;
    if (k < 1 || k > n) return lm_err_set(err, LM_ERR_DOMAIN, "blobs: k must be between 1 and n = %lld, not %lld", (long long)n, (long long)k);
    if (d < 1 || d > 1000) return lm_err_set(err, LM_ERR_DOMAIN, "blobs: the dimension must be between 1 and 1000, not %lld", (long long)d);
    if (!(box >= 0) || !isfinite(box)) return lm_err_set(err, LM_ERR_DOMAIN, "blobs: box must be a finite number >= 0");
    lm_tensor *C = lm_tensor_matrix(k, d, err);
    if (!C) return err->kind;
    if (alloc_xy(n, d, X, y, err)) {
        lm_tensor_release(C);
        return err->kind;
    }
    for (int64_t q = 0; q < k * d; q++) C->data[q] = box * (2 * lm_rng_uniform(rng) - 1);
    for (int64_t i = 0; i < n; i++) {
        int64_t c = i % k;
        (*y)->data[i] = (double)(c + 1);
        for (int64_t j = 0; j < d; j++) (*X)->data[i * d + j] = C->data[c * d + j] + sd * lm_rng_normal(rng);
    }
    if (centres) *centres = C;
    else lm_tensor_release(C);
    return LM_OK;
}

lm_status lm_data_linear(int64_t n, int64_t d, double noise, lm_rng *rng, lm_tensor **X, lm_tensor **y, lm_tensor **w,
                         lm_err *err) {
    if (check_n("linear", n, noise, err)) return err->kind;
    if (d < 1 || d > 1000) return lm_err_set(err, LM_ERR_DOMAIN, "linear: the dimension must be between 1 and 1000, not %lld", (long long)d);
    lm_tensor *W = lm_tensor_matrix(d + 1, 1, err);
    if (!W) return err->kind;
    if (alloc_xy(n, d, X, y, err)) {
        lm_tensor_release(W);
        return err->kind;
    }
    for (int64_t j = 0; j <= d; j++) W->data[j] = lm_rng_normal(rng);
    for (int64_t i = 0; i < n; i++) {
        double s = W->data[0];
        for (int64_t j = 0; j < d; j++) {
            double v = 2 * lm_rng_uniform(rng) - 1;
            (*X)->data[i * d + j] = v;
            s += W->data[j + 1] * v;
        }
        (*y)->data[i] = s + noise * lm_rng_normal(rng);
    }
    if (w) *w = W;
    else lm_tensor_release(W);
    return LM_OK;
}
