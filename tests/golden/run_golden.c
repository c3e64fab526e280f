/* The golden test runner (after jq's tests/jq.test): plain files of programs and
 * their expected output, run through the same lm_eval that `lemma eval` uses.
 *
 * Format of a .lmt file:
 *   - cases are separated by blank lines; lines starting with '#' are comments;
 *   - a case's first line is the program (a trailing '\' continues it on the next
 *     line, joined with a newline); the lines after it are the expected results,
 *     one per printed value, in `lemma eval --json` form, compared structurally
 *     (jansson) with numbers within the current tolerance;
 *   - `%%TOL rel=R abs=A` sets the tolerance until the next %%TOL (default
 *     rel=1e-14 abs=0);
 *   - `%%TEXT` before a case: the expected lines are the exact text output;
 *   - `%%FAIL KIND` before a case: the program must fail with an error of that
 *     kind, and the expected lines are the exact error text, caret included;
 *   - `%%SESSION` ... `%%END`: the cases between share one session.
 * Usage: run_golden [--skip N] [--take N] FILE.lmt */
#include "lemma/lang.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { MODE_JSON, MODE_TEXT, MODE_FAIL } mode;

typedef struct collected {
    lm_buf text;      /* all outputs as text */
    char **json;      /* one JSON line per output */
    size_t njson, cap;
    char *fail_kind;  /* kind of the first error, if any */
    lm_session *s;
} collected;

static void collect(void *ud, const lm_output *o) {
    collected *c = ud;
    lm_output_text(c->s, o, &c->text);
    lm_buf j = LM_BUF_INIT;
    lm_output_json(o, &j);
    if (c->njson == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->json = realloc(c->json, c->cap * sizeof *c->json);
    }
    c->json[c->njson++] = lm_buf_steal(&j);
    if (o->kind == LM_OUT_ERROR && !c->fail_kind) {
        const lm_error *e = (const lm_error *)o->value.u.obj;
        c->fail_kind = strdup(lm_errkind_name(e->kind));
    }
}

static double tol_rel = 1e-14, tol_abs = 0;

static bool num_close(double a, double b) {
    if (a == b) return true;
    double diff = fabs(a - b), scale = fmax(fabs(a), fabs(b));
    return diff <= tol_abs + tol_rel * scale;
}

/* Structural equality with numeric tolerance; writes a path to the first
 * difference into `where`. */
static bool json_close(json_t *exp, json_t *got, char *where, size_t n) {
    if (json_is_number(exp) && json_is_number(got)) {
        if (num_close(json_number_value(exp), json_number_value(got))) return true;
        snprintf(where, n, "number %.17g vs %.17g", json_number_value(exp), json_number_value(got));
        return false;
    }
    if (json_typeof(exp) != json_typeof(got) && !(json_is_boolean(exp) && json_is_boolean(got))) {
        snprintf(where, n, "different JSON types");
        return false;
    }
    switch (json_typeof(exp)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *v;
        json_object_foreach(exp, key, v) {
            json_t *g = json_object_get(got, key);
            if (!g) {
                snprintf(where, n, "missing member \"%s\"", key);
                return false;
            }
            if (!json_close(v, g, where, n)) {
                size_t l = strlen(where);
                char tmp[256];
                snprintf(tmp, sizeof tmp, "%s (in \"%s\")", where, key);
                (void)l;
                snprintf(where, n, "%s", tmp);
                return false;
            }
        }
        json_object_foreach(got, key, v) {
            if (!json_object_get(exp, key)) {
                snprintf(where, n, "unexpected member \"%s\"", key);
                return false;
            }
        }
        return true;
    }
    case JSON_ARRAY:
        if (json_array_size(exp) != json_array_size(got)) {
            snprintf(where, n, "array length %zu vs %zu", json_array_size(exp), json_array_size(got));
            return false;
        }
        for (size_t i = 0; i < json_array_size(exp); i++)
            if (!json_close(json_array_get(exp, i), json_array_get(got, i), where, n)) return false;
        return true;
    case JSON_STRING:
        if (!strcmp(json_string_value(exp), json_string_value(got))) return true;
        snprintf(where, n, "string \"%s\" vs \"%s\"", json_string_value(exp), json_string_value(got));
        return false;
    default:
        if (json_equal(exp, got)) return true;
        snprintf(where, n, "values differ");
        return false;
    }
}

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static void push_line(lines *l, char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static char *rtrim_newlines(char *s) {
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

int main(int argc, char **argv) {
    long skip = 0, take = -1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--skip") && i + 1 < argc) skip = atol(argv[++i]);
        else if (!strcmp(argv[i], "--take") && i + 1 < argc) take = atol(argv[++i]);
        else path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: run_golden [--skip N] [--take N] FILE.lmt\n");
        return 2;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    lines all = {0};
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) push_line(&all, strdup(rtrim_newlines(line)));
    free(line);
    fclose(f);

    int passed = 0, failed = 0;
    long index = 0;
    lm_session *shared = NULL;
    mode next_mode = MODE_JSON;
    char fail_kind[32] = "";
    size_t i = 0;
    while (i < all.n) {
        char *l = all.v[i];
        if (l[0] == '\0' || l[0] == '#') {
            i++;
            continue;
        }
        if (!strncmp(l, "%%TOL", 5)) {
            char *r = strstr(l, "rel="), *a = strstr(l, "abs=");
            tol_rel = r ? strtod(r + 4, NULL) : 1e-14;
            tol_abs = a ? strtod(a + 4, NULL) : 0;
            i++;
            continue;
        }
        if (!strncmp(l, "%%TEXT", 6)) {
            next_mode = MODE_TEXT;
            i++;
            continue;
        }
        if (!strncmp(l, "%%FAIL", 6)) {
            next_mode = MODE_FAIL;
            fail_kind[0] = '\0';
            sscanf(l + 6, " %31s", fail_kind);
            i++;
            continue;
        }
        if (!strncmp(l, "%%SESSION", 9)) {
            if (shared) lm_session_free(shared);
            shared = lm_session_new();
            i++;
            continue;
        }
        if (!strncmp(l, "%%END", 5)) {
            if (shared) lm_session_free(shared);
            shared = NULL;
            i++;
            continue;
        }
        /* a case: program lines, then expected lines up to a blank line */
        size_t case_line = i + 1;
        lm_buf prog = LM_BUF_INIT;
        for (;;) {
            char *p = all.v[i++];
            size_t n = strlen(p);
            if (n > 0 && p[n - 1] == '\\' && i < all.n) {
                lm_buf_put(&prog, p, n - 1);
                lm_buf_putc(&prog, '\n');
                continue;
            }
            lm_buf_puts(&prog, p);
            break;
        }
        lines expected = {0};
        while (i < all.n && all.v[i][0] != '\0') {
            if (all.v[i][0] != '#' || next_mode != MODE_JSON) push_line(&expected, all.v[i]);
            i++;
        }
        mode m = next_mode;
        next_mode = MODE_JSON;
        if (index++ < skip || (take >= 0 && index > skip + take)) {
            lm_buf_free(&prog);
            free(expected.v);
            continue;
        }
        lm_session *s = shared ? shared : lm_session_new();
        collected c = {0};
        c.s = s;
        lm_eval_opts opts = {"<eval>", collect, &c};
        lm_eval(s, lm_buf_cstr(&prog), prog.len, &opts);
        bool ok = true;
        char why[512] = "";
        if (m == MODE_JSON) {
            size_t k = 0;
            for (; k < expected.n && k < c.njson; k++) {
                json_error_t je;
                json_t *e = json_loads(expected.v[k], JSON_DECODE_ANY, &je);
                json_t *g = json_loads(c.json[k], JSON_DECODE_ANY, &je);
                if (!e) {
                    snprintf(why, sizeof why, "the expected line is not valid JSON: %s", expected.v[k]);
                    ok = false;
                } else if (!g) {
                    snprintf(why, sizeof why, "lemma printed invalid JSON: %s", c.json[k]);
                    ok = false;
                } else {
                    char where[300] = "";
                    if (!json_close(e, g, where, sizeof where)) {
                        snprintf(why, sizeof why, "result %zu: expected %s, got %s (%s)", k + 1, expected.v[k], c.json[k], where);
                        ok = false;
                    }
                }
                json_decref(e);
                json_decref(g);
                if (!ok) break;
            }
            if (ok && expected.n > c.njson)
                snprintf(why, sizeof why, "insufficient results: expected %zu, got %zu", expected.n, c.njson), ok = false;
            if (ok && expected.n < c.njson)
                snprintf(why, sizeof why, "superfluous result: %s", c.json[expected.n]), ok = false;
        } else {
            lm_buf exp = LM_BUF_INIT;
            for (size_t k = 0; k < expected.n; k++) {
                lm_buf_puts(&exp, expected.v[k]);
                lm_buf_putc(&exp, '\n');
            }
            if (m == MODE_FAIL) {
                if (!c.fail_kind) {
                    snprintf(why, sizeof why, "expected a %s error, but the program succeeded", fail_kind);
                    ok = false;
                } else if (strcmp(c.fail_kind, fail_kind) != 0) {
                    snprintf(why, sizeof why, "expected a %s error, got a %s error", fail_kind, c.fail_kind);
                    ok = false;
                }
            }
            if (ok && strcmp(lm_buf_cstr(&exp), lm_buf_cstr(&c.text)) != 0) {
                snprintf(why, sizeof why, "expected text:\n%s--- got:\n%s---", lm_buf_cstr(&exp), lm_buf_cstr(&c.text));
                ok = false;
            }
            lm_buf_free(&exp);
        }
        if (ok) {
            passed++;
        } else {
            failed++;
            printf("%s:%zu: %s\n  program: %s\n", path, case_line, why, lm_buf_cstr(&prog));
        }
        lm_buf_free(&c.text);
        for (size_t k = 0; k < c.njson; k++) free(c.json[k]);
        free(c.json);
        free(c.fail_kind);
        if (!shared) lm_session_free(s);
        lm_buf_free(&prog);
        free(expected.v);
    }
    if (shared) lm_session_free(shared);
    for (size_t k = 0; k < all.n; k++) free(all.v[k]);
    free(all.v);
    printf("%s: %d passed, %d failed\n", path, passed, failed);
    return failed ? 1 : 0;
}
