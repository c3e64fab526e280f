/* The HTTP server behind `lemma serve`. Placeholder: owned by the web work. */
#include "lemma/core.h"

int lm_web_placeholder(void);
int lm_web_placeholder(void) { return 0; }
