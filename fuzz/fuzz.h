/*
 * fuzz.h — what the fuzz targets share: the libFuzzer entry point's
 * prototype (each fuzz_<target>.c defines it; libFuzzer or replay.c calls
 * it) and a sink that checks a renderer's output without keeping it.
 */
#ifndef QUOTH_FUZZ_H
#define QUOTH_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quoth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops and fails when a target's invariant breaks: libFuzzer and replay
 * both report an abort as a finding, with the input that caused it. */
#define FUZZ_CHECK(cond)                                                                         \
    do {                                                                                         \
        if (!(cond))                                                                             \
            abort();                                                                             \
    } while (0)

/* A sink that counts bytes and touches each one (so ASan sees a renderer
 * hand out memory it does not own), and fails once past fail_after bytes
 * (SIZE_MAX: never) to take the renderers' write-error paths. */
typedef struct {
    size_t bytes;
    size_t fail_after;
    unsigned sum;
} fuzz_sink;

static inline int fuzz_write(void *ctx, const char *data, size_t len) {
    fuzz_sink *s = ctx;
    for (size_t i = 0; i < len; i++)
        s->sum += (unsigned char)data[i];
    s->bytes += len;
    return s->bytes > s->fail_after ? -1 : 0;
}

/* Reads every public accessor of a document, checking that spans lie in
 * the text and indices in range: the renderers read the same things, but a
 * library user may read them all. */
static inline void fuzz_walk_doc(const quoth_doc *doc) {
    size_t len;
    quoth_doc_text(doc, &len);
    size_t nsec = quoth_doc_section_count(doc), npara = quoth_doc_paragraph_count(doc);
    size_t nch = quoth_doc_character_count(doc), nq = quoth_doc_quote_count(doc);
    for (size_t i = 0; i < quoth_doc_meta_count(doc); i++)
        FUZZ_CHECK(quoth_doc_meta_key(doc, i) && quoth_doc_meta_value(doc, i));
    for (size_t s = 0; s < nsec; s++) {
        quoth_span h = quoth_section_heading(doc, s);
        FUZZ_CHECK(h.start <= h.end && h.end <= len);
        FUZZ_CHECK(quoth_section_title(doc, s) != NULL);
        (void)quoth_section_kind_of(doc, s);
        FUZZ_CHECK(quoth_section_first_paragraph(doc, s) + quoth_section_paragraph_count(doc, s) <=
                   npara);
    }
    for (size_t p = 0; p < npara; p++) {
        quoth_span sp = quoth_paragraph_span(doc, p);
        FUZZ_CHECK(sp.start <= sp.end && sp.end <= len);
        FUZZ_CHECK(quoth_paragraph_section(doc, p) < nsec);
        (void)quoth_paragraph_kind(doc, p);
    }
    for (size_t c = 0; c < nch; c++) {
        FUZZ_CHECK(quoth_character_name(doc, c) && quoth_character_id(doc, c));
        for (size_t a = 0; a < quoth_character_alias_count(doc, c); a++)
            FUZZ_CHECK(quoth_character_alias(doc, c, a) != NULL);
        FUZZ_CHECK(quoth_gender_name(quoth_character_gender(doc, c)) != NULL);
        (void)quoth_character_quote_count(doc, c);
    }
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span sp = quoth_mention_span(doc, m);
        FUZZ_CHECK(sp.start <= sp.end && sp.end <= len);
        size_t ch = quoth_mention_character(doc, m), q = quoth_mention_quote(doc, m);
        FUZZ_CHECK(ch == QUOTH_NONE || ch < nch);
        FUZZ_CHECK(q == QUOTH_NONE || q < nq);
        (void)quoth_mention_kind_of(doc, m);
    }
    for (size_t q = 0; q < nq; q++) {
        for (size_t i = 0; i < quoth_quote_span_count(doc, q); i++) {
            quoth_span sp = quoth_quote_span(doc, q, i);
            FUZZ_CHECK(sp.start <= sp.end && sp.end <= len);
        }
        FUZZ_CHECK(quoth_quote_paragraph(doc, q) < npara);
        size_t who = quoth_quote_speaker(doc, q);
        FUZZ_CHECK(who == QUOTH_NONE || who < nch);
        for (size_t i = 0; i < quoth_quote_addressee_count(doc, q); i++)
            FUZZ_CHECK(quoth_quote_addressee(doc, q, i) < nch);
        FUZZ_CHECK(quoth_type_name(quoth_quote_type_of(doc, q)) != NULL);
        FUZZ_CHECK(quoth_rule_name(quoth_quote_rule(doc, q)) != NULL);
        quoth_span ev = quoth_quote_evidence(doc, q);
        FUZZ_CHECK(ev.start <= ev.end && ev.end <= len);
        double conf = quoth_quote_confidence(doc, q);
        FUZZ_CHECK(conf >= 0.0 && conf <= 1.0);
    }
    quoth_iter *it = quoth_iter_new(doc);
    if (it) {
        int depth = 0;
        quoth_event ev;
        while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
            const quoth_node *n = quoth_iter_node(it);
            FUZZ_CHECK(n && n->span.start <= n->span.end && n->span.end <= len);
            depth += ev == QUOTH_EVENT_ENTER ? 1 : ev == QUOTH_EVENT_EXIT ? -1 : 0;
            FUZZ_CHECK(depth >= 0);
        }
        FUZZ_CHECK(depth == 0);
        quoth_iter_free(it);
    }
}

/* Renders doc in every format into fuzz_sink; renders one of them again
 * through a sink that fails part-way (which one and where from pick). */
static inline void fuzz_render_all(const quoth_doc *doc, const quoth_render_options *opts,
                                   unsigned pick) {
    for (int f = 1; f <= QUOTH_FORMAT_COUNT; f++) {
        fuzz_sink sink = {0, (size_t)-1, 0};
        quoth_status st = quoth_render_ex(doc, (quoth_format)f, opts, fuzz_write, &sink);
        FUZZ_CHECK(st == QUOTH_OK || st == QUOTH_ERR_NOMEM);
        FUZZ_CHECK(quoth_format_name((quoth_format)f) != NULL);
    }
    quoth_format f = (quoth_format)(1 + pick % QUOTH_FORMAT_COUNT);
    fuzz_sink failing = {0, (pick / QUOTH_FORMAT_COUNT) * 64u, 0};
    quoth_status st = quoth_render_ex(doc, f, opts, fuzz_write, &failing);
    FUZZ_CHECK(st == QUOTH_OK || st == QUOTH_ERR_OUTPUT || st == QUOTH_ERR_NOMEM);
    size_t len;
    char *s = quoth_render_string(doc, f, opts ? opts->flags : 0, &len);
    FUZZ_CHECK(!s || strlen(s) <= len);
    free(s);
}

/* JSON Lines (QUOTH_RENDER_COMPACT): one line whatever the text, or a
 * record would split under Hadoop Streaming or Spark's pipe. */
static inline void fuzz_check_compact(const quoth_doc *doc, unsigned flags) {
    size_t n;
    char *line = quoth_render_string(doc, QUOTH_FORMAT_JSON, flags | QUOTH_RENDER_COMPACT, &n);
    FUZZ_CHECK(line != NULL);
    const char *nl = memchr(line, '\n', n);
    FUZZ_CHECK(nl == NULL || nl == line + n - 1);
    free(line);
}

#endif /* QUOTH_FUZZ_H */
