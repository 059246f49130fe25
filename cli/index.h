/*
 * index.h — `quoth index`: analyse many works into one SQLite database, the
 * corpus index (schema in docs/index.md; code in cli/index.c).
 */
#ifndef QUOTH_CLI_INDEX_H
#define QUOTH_CLI_INDEX_H

/* Runs `quoth index`; argv[0] is "index", the options and paths follow.
 * progname prefixes error messages. Returns the exit status: 0 every work
 * indexed or unchanged, 2 usage error, 6 the database cannot be opened,
 * created or written (or is not a quoth index); when a work fails and the
 * others were indexed, the status `quoth FILE` gives for the first failed
 * work (3 unreadable, 5 over a limit, 7 invalid in its format, 70
 * internal). */
int quoth_index_main(int argc, char **argv, const char *progname);

#endif /* QUOTH_CLI_INDEX_H */
