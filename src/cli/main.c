/* The `lemma` command: dispatches to the REPL, `eval`, `run` and `help`.
 * Exit status: 0 when everything ran, 1 when a statement failed, 2 for a usage
 * error (a wrong option, a missing file argument). */
#include "cli/cli.h"
#include "lemma/lang.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: lemma                      start the interactive REPL\n"
    "       lemma eval [--json] [--] [PROGRAM ...]\n"
    "                                  run each PROGRAM (or standard input) and print its values\n"
    "       lemma run FILE.lm          run a script\n"
    "       lemma help [NAME]          what a function does, with an example\n"
    "       lemma gallery DIR          write every concept picture to DIR as SVG and PNG\n"
    "       lemma learn [LESSON]       the lessons by level, or one lesson with its live cells\n"
    "       lemma ref [TOPIC]          the quick reference of formulas, each checked live\n"
    "       lemma assess               a placement quiz that suggests where to start\n"
    "       lemma practice [SKILL|MODULE]\n"
    "                                  fresh exercises, checked, with hints and worked solutions\n"
    "       lemma review               the skills due for review\n"
    "       lemma progress             mastery by module and skill\n"
    "       lemma export --json        all of your progress data\n"
    "       lemma serve                the workbench in your browser (http://127.0.0.1:8080)\n"
    "       lemma --version | --help\n";

typedef struct printer {
    lm_session *s;
    bool json;
    FILE *out;
} printer;

static void print_output(void *ud, const lm_output *o) {
    printer *p = ud;
    lm_buf b = LM_BUF_INIT;
    if (p->json) {
        lm_output_json(o, &b);
        lm_buf_putc(&b, '\n');
    } else {
        lm_output_text(p->s, o, &b);
    }
    fwrite(lm_buf_cstr(&b), 1, b.len, p->out);
    lm_buf_free(&b);
}

/* Reads a whole stream; NULL (with errno) on failure or when it exceeds `limit`. */
static char *read_all(FILE *f, size_t *len, size_t limit) {
    lm_buf b = LM_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > limit) {
            lm_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        lm_buf_put(&b, chunk, n);
    }
    if (ferror(f)) {
        lm_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return lm_buf_steal(&b);
}

static int cmd_eval(int argc, char **argv) {
    bool json = false;
    int i = 0;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = true;
        else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "lemma eval: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else {
            break;
        }
    }
    lm_session *s = lm_session_new();
    printer p = {s, json, stdout};
    lm_eval_opts opts = {"<eval>", print_output, &p};
    int failures = 0;
    if (i == argc) {
        size_t len;
        char *src = read_all(stdin, &len, 16u << 20);
        if (!src) {
            fprintf(stderr, "lemma eval: cannot read the program from standard input: %s\n", strerror(errno));
            lm_session_free(s);
            return 2;
        }
        opts.src_name = "<stdin>";
        failures += lm_eval(s, src, len, &opts);
        lm_free(src);
    }
    for (; i < argc; i++) failures += lm_eval(s, argv[i], strlen(argv[i]), &opts);
    fflush(stdout);
    lm_session_free(s);
    return failures ? 1 : 0;
}

static int cmd_run(int argc, char **argv) {
    if (argc != 1) {
        fprintf(stderr, "lemma run: give exactly one script file\n%s", usage);
        return 2;
    }
    FILE *f = fopen(argv[0], "rb");
    if (!f) {
        fprintf(stderr, "lemma run: cannot open %s: %s\n", argv[0], strerror(errno));
        return 2;
    }
    size_t len;
    char *src = read_all(f, &len, 16u << 20);
    fclose(f);
    if (!src) {
        fprintf(stderr, "lemma run: cannot read %s: %s\n", argv[0], strerror(errno));
        return 2;
    }
    lm_session *s = lm_session_new();
    printer p = {s, false, stdout};
    lm_eval_opts opts = {argv[0], print_output, &p};
    int failures = lm_eval(s, src, len, &opts);
    lm_free(src);
    fflush(stdout);
    lm_session_free(s);
    return failures ? 1 : 0;
}

/* help's program is generated here, so its errors show only their message. */
static void print_help_output(void *ud, const lm_output *o) {
    if (o->kind == LM_OUT_ERROR) {
        fprintf(stdout, "lemma %s\n", ((const lm_error *)o->value.u.obj)->msg);
        return;
    }
    print_output(ud, o);
}

static int cmd_help(int argc, char **argv) {
    lm_session *s = lm_session_new();
    printer p = {s, false, stdout};
    lm_eval_opts opts = {"<help>", print_help_output, &p};
    lm_buf prog = LM_BUF_INIT;
    if (argc == 0) {
        lm_buf_puts(&prog, "help");
    } else {
        /* the name goes in as a string literal: no user text is parsed as code */
        lm_buf_puts(&prog, "help(\"");
        for (const char *c = argv[0]; *c; c++)
            if (*c != '"' && *c != '\\' && *c != '\n') lm_buf_putc(&prog, *c);
        lm_buf_puts(&prog, "\")");
    }
    int failures = lm_eval(s, lm_buf_cstr(&prog), prog.len, &opts);
    lm_buf_free(&prog);
    lm_session_free(s);
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        if (isatty(STDIN_FILENO)) return lm_cli_repl();
        /* piped input without a command: run it as a program */
        char *args[] = {NULL};
        return cmd_eval(0, args);
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 2, argv + 2);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "help")) return cmd_help(argc - 2, argv + 2);
    if (!strcmp(cmd, "repl")) return lm_cli_repl();
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } learning[] = {{"learn", lm_cli_learn},       {"ref", lm_cli_ref},           {"assess", lm_cli_assess},
                    {"practice", lm_cli_practice}, {"review", lm_cli_review},     {"progress", lm_cli_progress},
                    {"export", lm_cli_export},     {"serve", lm_cli_serve}};
    for (size_t k = 0; k < sizeof learning / sizeof learning[0]; k++)
        if (!strcmp(cmd, learning[k].name)) return learning[k].fn(argc - 2, argv + 2);
    if (!strcmp(cmd, "gallery")) {
        if (argc != 3) {
            fprintf(stderr, "lemma gallery: give the folder to write the pictures to\n%s", usage);
            return 2;
        }
        return lm_cli_gallery(argv[2]);
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v")) {
        printf("lemma %s\n", LEMMA_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs("lemma: an offline workbench for the mathematics of machine learning\n\n", stdout);
        fputs(usage, stdout);
        return 0;
    }
    fprintf(stderr, "lemma: unknown command '%s'\n%s", cmd, usage);
    return 2;
}
