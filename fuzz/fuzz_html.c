/*
 * fuzz_html.c — the HTML reader (AO3, FanFiction.net and FanFicFare pages
 * inside it), then the pipeline on what it extracted (issue 8).
 *
 * The first byte picks the options, the rest is the page:
 *   bits 0-1   0, 1: the HTML reader forced; 2: AUTO with the hint
 *              "page.html" (the content may still choose another reader);
 *              3: the Markdown reader forced
 *   bit 2      the cast from the site's character tags (--cast-from-tags)
 *   bit 3      render every format (else JSON and one picked by bits 4-7)
 *   bits 4-7   the format rendered (and, with bit 3, where the failing
 *              sink stops)
 */
#include "fuzz_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    const char *bytes = (const char *)data + 1;
    size_t len = size - 1;
    static const quoth_reader_kind kinds[] = {QUOTH_READER_HTML, QUOTH_READER_HTML,
                                              QUOTH_READER_AUTO, QUOTH_READER_MARKDOWN};
    quoth_reader_kind kind = kinds[opt & 3];
    quoth_reading *r = NULL;
    quoth_error err;
    quoth_status st =
        quoth_read(bytes, len, kind == QUOTH_READER_AUTO ? "page.html" : NULL, kind, &r, &err);
    if (st != QUOTH_OK) {
        /* binary data as HTML; AUTO may also have taken it for a damaged zip */
        FUZZ_CHECK(!r && (st == QUOTH_ERR_FORMAT || st == QUOTH_ERR_LIMIT));
        return 0;
    }
    fuzz_reading(r, len, opt & 4, opt & 8, opt >> 4);
    quoth_reading_free(r);
    return 0;
}
