/* Every resource limit, named once (SQLite's sqliteLimit.h). Going past one is a
 * `limit` error that names the limit, never a crash. */
#ifndef LEMMA_LIMITS_H
#define LEMMA_LIMITS_H

#define LM_MAX_DIMS 8                      /* tensor dimensions */
#ifndef LM_MAX_ELEMS /* the fuzz build lowers it so a fuzzer cannot exhaust memory */
#define LM_MAX_ELEMS (1LL << 27)           /* elements in one tensor: 128 Mi doubles = 1 GiB */
#endif
#define LM_MAX_STRING (64LL << 20)         /* bytes in one string */
#define LM_MAX_SOURCE (16LL << 20)         /* bytes in one program */
#define LM_MAX_PARSE_DEPTH 400             /* nesting of brackets and operators in the parser */
#define LM_MAX_AST_DEPTH 500               /* depth of one statement's syntax tree (1+1+...+1 chains) */
#define LM_MAX_CALL_DEPTH 256              /* user-function recursion */
#define LM_MAX_EVAL_DEPTH 4000             /* nested evaluations in all calls together: bounds the C stack */
#define LM_MAX_EXPR_DEPTH 2000             /* nesting of a symbolic expression */
#define LM_MAX_LOOP_STEPS 100000000LL      /* statements executed in one program */
#define LM_MAX_OUTPUT (16LL << 20)         /* bytes printed by one program */
#define LM_MAX_PRINT_ELEMS 100000          /* elements in one printed matrix: more is a mistake, not a display */

#endif
