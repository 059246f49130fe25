/*
 * fuzz_read.h — what the reader targets (fuzz_html.c, fuzz_epub.c) do
 * with a reading: check its text, map and metadata, then analyse the text
 * as the CLI does (metadata, paratext, optionally the cast from the tags)
 * and render it.
 */
#ifndef QUOTH_FUZZ_READ_H
#define QUOTH_FUZZ_READ_H

#include "fuzz.h"
#include "quoth_read.h"

static inline void fuzz_reading(const quoth_reading *r, size_t source_len, bool cast_from_tags,
                                bool render_all, unsigned pick) {
    size_t len, nmeta, npara;
    const char *text = quoth_reading_text(r, &len);
    FUZZ_CHECK(text && text[len] == '\0');
    FUZZ_CHECK(quoth_reading_reader(r) != NULL);
    const quoth_meta *meta = quoth_reading_meta(r, &nmeta);
    for (size_t i = 0; i < nmeta; i++)
        FUZZ_CHECK(meta[i].key && meta[i].value);
    const quoth_span *para = quoth_reading_paratext(r, &npara);
    for (size_t i = 0; i < npara; i++) {
        FUZZ_CHECK(para[i].start <= para[i].end && para[i].end <= len);
        FUZZ_CHECK(i == 0 || para[i - 1].end <= para[i].start);
    }
    /* every offset maps back into the source (its entry, for an EPUB); a
     * UTF-16 input's source is its UTF-8 decoding, at most 1.5 times as long */
    size_t source_size = quoth_reading_source_size(r);
    FUZZ_CHECK(source_size <= source_len || source_size <= source_len / 2 * 3 + 4);
    for (size_t t = 0; t <= len; t++) {
        size_t src;
        const char *entry;
        FUZZ_CHECK(quoth_reading_source(r, t, &src, &entry) == 0);
        FUZZ_CHECK(entry || src <= source_size);
    }
    size_t src;
    const char *entry;
    FUZZ_CHECK(quoth_reading_source(r, len + 1, &src, &entry) == -1);

    quoth_error err;
    quoth_cast *cast = NULL;
    size_t hlen;
    const char *hint = quoth_reading_cast_hint(r, &hlen);
    if (hint) {
        cast = quoth_cast_parse(hint, hlen, &err);
        /* the hint is a cast file quoth wrote itself: it must parse */
        FUZZ_CHECK(cast != NULL);
        if (!cast_from_tags) {
            quoth_cast_free(cast);
            cast = NULL;
        }
    }
    quoth_options opts = {.cast = cast,
                          .meta = meta,
                          .nmeta = nmeta,
                          .paratext = para,
                          .nparatext = npara};
    quoth_doc *doc = quoth_parse(text, len, &opts, &err);
    FUZZ_CHECK(doc != NULL);
    fuzz_walk_doc(doc);
    if (render_all) {
        fuzz_render_all(doc, NULL, pick);
    } else {
        fuzz_sink sink = {0, (size_t)-1, 0};
        quoth_format f = (quoth_format)(1 + pick % QUOTH_FORMAT_COUNT);
        FUZZ_CHECK(quoth_render(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, fuzz_write, &sink) ==
                   QUOTH_OK);
        FUZZ_CHECK(quoth_render(doc, f, 0, fuzz_write, &sink) == QUOTH_OK);
        fuzz_check_compact(doc, QUOTH_RENDER_TEXT);
    }
    quoth_doc_free(doc);
    quoth_cast_free(cast);
}

#endif /* QUOTH_FUZZ_READ_H */
