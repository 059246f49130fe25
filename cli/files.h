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

/* What is wrong with a text's bytes, for a warning: how many bytes are
 * not UTF-8 and how many are NUL, and the line and column (1-based, the
 * column in bytes) of the first of either. Linear. */
typedef struct {
    size_t invalid, nul;
    size_t line, column;
} cli_text_check;
void cli_check_text(const char *s, size_t n, cli_text_check *out);

/* Does the input start with a UTF-16 byte-order mark (the reading then
 * decodes it as UTF-16)? */
bool cli_utf16_bom(const char *s, size_t n);
/* Why text decoded from UTF-16 looks like something else read as UTF-16
 * (NULL: it does not): U+FFFD where a code unit was not UTF-16, or 64
 * bytes and more without a space or line break in its first 4 KB. */
const char *cli_utf16_implausible(const char *text, size_t n);

/* Temporary outputs a signal must not leave behind. Every output is written
 * to a temporary file renamed into place when complete; cli_tmp_arm()
 * records its name (copied) and returns a slot for cli_tmp_disarm(), which
 * is called once the file is renamed or removed. On SIGINT, SIGTERM or
 * SIGHUP the handler cli_signals_init() installs removes every armed file
 * and ends the process with the signal (so the caller sees how it ended).
 * A finished output is never touched; an earlier output being replaced
 * stays as it was. Slots are lock-free (the handler may run on any thread);
 * past CLI_TMP_SLOTS concurrent writers, or for a name longer than
 * PATH_MAX, the file is not armed (a signal may then leave it). -1: not
 * armed; cli_tmp_disarm(-1) does nothing. */
#define CLI_TMP_SLOTS 64
int cli_tmp_arm(const char *path);
void cli_tmp_disarm(int slot);

/* Creates the temporary file for dest ("dest.tmp.XXXXXX", mode 0600, the
 * X's made unique here) armed before it exists: the name is armed first
 * and the file then created exclusively, so no signal, on any thread,
 * finds a temporary file it does not know (mkstemp then cli_tmp_arm left
 * a window between the two). *tmp: the malloc'd name; *slot: for
 * cli_tmp_disarm(). Returns the file descriptor, or -1 with errno set
 * (*tmp NULL, nothing armed). */
int cli_tmp_create(const char *dest, char **tmp, int *slot);

/* Installs the handler above, and restores SIGPIPE's default action (a
 * parent may have ignored it), so `quoth big.txt | head -1` ends quietly
 * as cat and grep do. Call once, before any thread starts. */
void cli_signals_init(void);

#endif
