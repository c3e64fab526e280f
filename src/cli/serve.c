/* `lemma serve`: the workbench in the browser (src/web does the work). */
#include "cli/cli.h"
#include "web/web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: lemma serve [--host H] [--port P] [--public] [--db PATH] [--workers N] [--time-limit S]\n"
    "  --host H        address to listen on (default 127.0.0.1)\n"
    "  --port P        port (default 8080; 0 picks a free one)\n"
    "  --public        allow an address other than loopback: anyone who can reach it may run programs\n"
    "  --db PATH       the progress database (default ~/.local/share/lemma/progress.db)\n"
    "  --workers N     evaluation processes (default 4)\n"
    "  --time-limit S  seconds one request may compute (default 5)\n";

static bool num_arg(const char *opt, const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = s ? strtod(s, &end) : 0;
    if (!s || end == s || *end || errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "lemma serve: %s needs a number from %g to %g, not \"%s\"\n", opt, lo, hi, s ? s : "");
        return false;
    }
    *out = v;
    return true;
}

int lm_cli_serve(int argc, char **argv) {
    lm_web_config cfg;
    lm_web_config_defaults(&cfg);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double x = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--public") == 0) {
            cfg.public_ok = true;
            continue;
        } else if (strcmp(a, "--host") == 0 && v) {
            cfg.host = v;
        } else if (strcmp(a, "--db") == 0 && v) {
            cfg.db_path = v;
        } else if (strcmp(a, "--web-root") == 0 && v) { /* for UI authors: serve a working copy of web/ */
            cfg.web_root = v;
        } else if (strcmp(a, "--port") == 0) {
            if (!num_arg(a, v, 0, 65535, &x) || x != (int)x) return 2;
            cfg.port = (int)x;
        } else if (strcmp(a, "--workers") == 0) {
            if (!num_arg(a, v, 1, 64, &x)) return 2;
            cfg.workers = (int)x;
        } else if (strcmp(a, "--time-limit") == 0) {
            if (!num_arg(a, v, 0.1, 3600, &x)) return 2;
            cfg.time_limit = x;
            cfg.hard_limit = x + 2;
        } else if (strcmp(a, "--client-timeout") == 0) { /* tests: seconds a silent connection is kept */
            if (!num_arg(a, v, 1, 3600, &x)) return 2;
            cfg.client_timeout = (unsigned)x;
        } else if (strcmp(a, "--session-idle") == 0) { /* tests: seconds before an idle session expires */
            if (!num_arg(a, v, 0.1, 1e7, &x)) return 2;
            cfg.session_idle = x;
        } else {
            static const char *const takes_value[] = {"--host", "--db", "--web-root"};
            bool known = false;
            for (size_t k = 0; k < sizeof takes_value / sizeof takes_value[0]; k++) known |= strcmp(a, takes_value[k]) == 0;
            fprintf(stderr, "lemma serve: %s \"%s\"\n%s", known ? "missing value after" : "unknown option", a, usage);
            return 2;
        }
        i++;
    }
    return lm_web_serve(&cfg);
}
