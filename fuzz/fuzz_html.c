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
 *
 * Differential: when html_clean.c built the tree of an HTML page, the page
 * is read again with gumbo only, and the text, offset map, metadata,
 * paratext and cast hint must be the same. (xhtml.c's XML path is not
 * checked here yet: see fuzz/README.md, open findings.)
 */
#include <string.h>

#include "../src/read/read_testing.h"
#include "fuzz_read.h"

static void same_as_gumbo(const quoth_reading *f, const char *bytes, size_t len, const char *hint,
                          quoth_reader_kind kind) {
    quoth_reading *g = NULL;
    quoth_error err;
    FUZZ_CHECK(read_for_testing(bytes, len, hint, kind, true, NULL, &g, &err) == QUOTH_OK);
    size_t fl, gl, fn, gn;
    const char *ft = quoth_reading_text(f, &fl), *gt = quoth_reading_text(g, &gl);
    FUZZ_CHECK(fl == gl && !memcmp(ft, gt, fl));
    FUZZ_CHECK(!strcmp(quoth_reading_reader(f), quoth_reading_reader(g)));
    for (size_t t = 0; t <= fl; t++) {
        size_t fs = 0, gs = 0;
        const char *fe = NULL, *ge = NULL;
        FUZZ_CHECK(quoth_reading_source(f, t, &fs, &fe) == quoth_reading_source(g, t, &gs, &ge));
        FUZZ_CHECK(fs == gs && (fe == ge || (fe && ge && !strcmp(fe, ge))));
    }
    const quoth_meta *fm = quoth_reading_meta(f, &fn), *gm = quoth_reading_meta(g, &gn);
    FUZZ_CHECK(fn == gn);
    for (size_t i = 0; i < fn; i++)
        FUZZ_CHECK(!strcmp(fm[i].key, gm[i].key) && !strcmp(fm[i].value, gm[i].value));
    const quoth_span *fp = quoth_reading_paratext(f, &fn), *gp = quoth_reading_paratext(g, &gn);
    FUZZ_CHECK(fn == gn);
    for (size_t i = 0; i < fn; i++)
        FUZZ_CHECK(fp[i].start == gp[i].start && fp[i].end == gp[i].end);
    const char *fc = quoth_reading_cast_hint(f, &fn), *gc = quoth_reading_cast_hint(g, &gn);
    FUZZ_CHECK(fn == gn && (!fn || !memcmp(fc, gc, fn)));
    quoth_reading_free(g);
}

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
    const char *hint = kind == QUOTH_READER_AUTO ? "page.html" : NULL;
    unsigned trees = 0;
    quoth_status st = read_for_testing(bytes, len, hint, kind, false, &trees, &r, &err);
    if (st != QUOTH_OK) {
        /* binary data as HTML; AUTO may also have taken it for a damaged zip */
        FUZZ_CHECK(!r && (st == QUOTH_ERR_FORMAT || st == QUOTH_ERR_LIMIT));
        return 0;
    }
    if (trees & READ_TESTING_CLEAN)
        same_as_gumbo(r, bytes, len, hint, kind);
    fuzz_reading(r, len, opt & 4, opt & 8, opt >> 4);
    quoth_reading_free(r);
    return 0;
}
