/*
 * files.h — reading whole files for quoth's commands (main.c, eval.c,
 * index.c, batch.c): one reader, so every command gives the same errors
 * for a folder, a file past a limit or a failed read.
 */
#ifndef QUOTH_CLI_FILES_H
#define QUOTH_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Reads all of path ("-": standard input) into a malloc'd buffer with a
 * NUL after the last byte (text parsers rely on it). NULL with errno set:
 * EISDIR for a folder, EFBIG at max bytes or more, ENOMEM, or the error
 * of open/read. st, when not NULL, receives the fstat taken before
 * reading (the size and time the index records). */
char *cli_read_file(const char *path, size_t *len, size_t max, struct stat *st);

/* Is name one quoth reads when it walks a folder (.txt .md .markdown .html
 * .htm .xhtml .epub, any case)? The batch runs and quoth index share it. */
bool cli_readable_name(const char *name);

#endif
