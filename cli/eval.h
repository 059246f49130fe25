/*
 * eval.h — `quoth eval`: run the library over annotated works and score the
 * results exactly as ../shared/tools/score.py does (see cli/eval.c).
 */
#ifndef QUOTH_CLI_EVAL_H
#define QUOTH_CLI_EVAL_H

/* Exit statuses of `quoth eval` (the same numbers as the main command's). */
enum {
    EVAL_EXIT_OK = 0,
    EVAL_EXIT_USAGE = 2,
    EVAL_EXIT_INPUT = 3,  /* a gold folder or file is missing or unreadable */
    EVAL_EXIT_GOLD = 4,   /* gold JSON is invalid */
    EVAL_EXIT_LIMIT = 5,  /* a text exceeds a library limit */
    EVAL_EXIT_OUTPUT = 6, /* writing the report failed */
    EVAL_EXIT_INTERNAL = 70
};

/* Runs `quoth eval`; argv[0] is "eval", the options and GOLD_DIRs follow.
 * progname prefixes error messages. Returns the exit status. */
int quoth_eval_main(int argc, char **argv, const char *progname);

#endif /* QUOTH_CLI_EVAL_H */
