/* Placeholder until its work lands. */
#include "cli/cli.h"

#include <stdio.h>
int lm_cli_learn(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fputs("lemma: not built yet\n", stderr);
    return 2;
}
