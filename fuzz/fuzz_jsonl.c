/*
 * fuzz_jsonl.c — the stream mode's line reader (`quoth --jsonl`,
 * cli/batch.c): JSON parsing, the id/text/path checks, the answer line
 * with the compacted JSON result or the error (issue 8).
 *
 * The input is JSON lines up to the first NUL byte; what follows the NUL
 * is the one file every "path" names (a path starting with "missing" is
 * not found, so the error line is covered too), read with the path as the
 * reader's hint (".epub", ".html", ".md" choose readers). The file system
 * is never touched. The options are fixed: no option byte, so a JSONL
 * file is a seed as it stands; the cast from the tags is on (as with
 * --cast-from-tags) and results carry the quotation text (--text).
 */
#include "../cli/batch.h"
#include "fuzz.h"

#include <errno.h>

typedef struct {
    const char *data;
    size_t len;
    bool present;
} fake_file;

static char *read_fake(void *ctx, const char *path, size_t *len) {
    const fake_file *f = ctx;
    if (!f->present || !strncmp(path, "missing", 7)) {
        errno = ENOENT;
        return NULL;
    }
    char *copy = malloc(f->len + 1);
    if (!copy) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(copy, f->data, f->len);
    copy[f->len] = '\0';
    *len = f->len;
    return copy;
}

/* Every answer is one line: a JSON object ending in its only '\n'. */
static int check_line(void *ctx, const char *data, size_t len) {
    size_t *lines = ctx;
    FUZZ_CHECK(len >= 3 && data[0] == '{' && data[len - 2] == '}' && data[len - 1] == '\n');
    FUZZ_CHECK(memchr(data, '\n', len - 1) == NULL);
    (*lines)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, 0, size);
    size_t jlen = nul ? (size_t)(nul - data) : size;
    fake_file file = {nul ? (const char *)nul + 1 : NULL, nul ? size - jlen - 1 : 0, nul != NULL};
    quoth_format json = QUOTH_FORMAT_JSON;
    quoth_batch_config cfg = {.formats = &json,
                              .nformats = 1,
                              .reader = QUOTH_READER_AUTO,
                              .cast_from_tags = true,
                              .render_flags = QUOTH_RENDER_TEXT};
    size_t lines = 0;
    int rc = quoth_jsonl_buffer(&cfg, "quoth", (const char *)data, jlen, read_fake, &file,
                                check_line, &lines);
    FUZZ_CHECK(rc == 0);
    return 0;
}
