/* Placeholder until its work lands. */
#include "cli/cli.h"

#include <stdio.h>
int lm_cli_practice(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("lemma: not built yet\n", stderr);
    return 2;
}
int lm_cli_review(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("lemma: not built yet\n", stderr);
    return 2;
}
int lm_cli_progress(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("lemma: not built yet\n", stderr);
    return 2;
}
int lm_cli_export(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("lemma: not built yet\n", stderr);
    return 2;
}
