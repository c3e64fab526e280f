/* The command line's internal entry points (src/cli). main.c parses the
 * arguments and hands over to one of these; each returns the exit status. */
#ifndef LEMMA_CLI_H
#define LEMMA_CLI_H

/* The interactive REPL on the terminal (stdin/stdout, GNU readline): one
 * persistent session until Ctrl-D or `quit`. History is kept in
 * $XDG_STATE_HOME/lemma/history (default ~/.local/state/lemma/history). */
int lm_cli_repl(void);
int lm_cli_gallery(const char *dir); /* `lemma gallery DIR`: each concept picture as DIR/NAME.svg and .png */

#endif
