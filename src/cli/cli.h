/* The command line's internal entry points (src/cli). main.c parses the
 * arguments and hands over to one of these; each returns the exit status. */
#ifndef LEMMA_CLI_H
#define LEMMA_CLI_H

/* The interactive REPL on the terminal (stdin/stdout, GNU readline): one
 * persistent session until Ctrl-D or `quit`. History is kept in
 * $XDG_STATE_HOME/lemma/history (default ~/.local/state/lemma/history). */
int lm_cli_repl(void);
int lm_cli_gallery(const char *dir); /* `lemma gallery DIR`: each concept picture as DIR/NAME.svg and .png */

/* The learning commands. Each takes the arguments after its name. */
int lm_cli_learn(int argc, char **argv);    /* learn.c: `lemma learn [ID] [--check] [--dir DIR]` */
int lm_cli_ref(int argc, char **argv);      /* ref.c: `lemma ref [TOPIC]` */
int lm_cli_assess(int argc, char **argv);   /* assess.c: `lemma assess [--answers FILE]` */
int lm_cli_practice(int argc, char **argv); /* practice.c: `lemma practice [SKILL|MODULE] ...` */
int lm_cli_review(int argc, char **argv);   /* practice.c: `lemma review` */
int lm_cli_progress(int argc, char **argv); /* practice.c: `lemma progress` */
int lm_cli_export(int argc, char **argv);   /* practice.c: `lemma export --json` */
int lm_cli_serve(int argc, char **argv);    /* serve.c: `lemma serve [--host H] [--port P] [--db PATH]` */

#endif
