/*
 * quoth_read.h — readers: what people have (AO3 and FanFiction.net pages,
 * FanFicFare output, EPUB books, Markdown, plain text) in, story text out.
 *
 * quoth.h analyses text; this header turns a file's bytes into that text.
 * A reading holds:
 *  - the extracted story text (UTF-8): paragraphs separated by a blank line,
 *    chapter titles as heading lines ("Chapter 3", or "# Title" when the
 *    title is not one quoth already recognises), scene breaks as "* * *";
 *  - metadata (quoth_meta: title, author, fandom, language, source, summary,
 *    notes, characters, reader, ...), ready for quoth_options.meta;
 *  - paratext spans: byte ranges of the text that are notes kept in place
 *    (chapter notes, end notes), ready for quoth_options.paratext;
 *  - a map from every byte offset of the text back to the source: the byte
 *    offset in the input file, or, for EPUB, the zip entry and the byte
 *    offset in that entry.
 * Pass the text to quoth_parse(): every offset in the analysis then refers
 * to the extracted text (`quoth --format text` prints it byte for byte).
 *
 * Conventions are those of quoth.h: the reading owns everything it hands
 * out until quoth_reading_free(); no global mutable state (several readings
 * may be made on several threads at once).
 */
#ifndef QUOTH_READ_H
#define QUOTH_READ_H

#include <stddef.h>

#include "quoth.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which reader to use. AUTO chooses by content: a zip whose first entry is
 * "mimetype" (or that holds META-INF/container.xml) is an EPUB; markup near
 * the start (<!DOCTYPE html, <html, <body, <p>, <div, ...) is HTML, and
 * AO3, FanFiction.net and FanFicFare pages are recognised by their markup.
 * When the content does not decide, the file name's extension does
 * (.epub, .html/.htm/.xhtml, .md/.markdown); anything else is plain text. */
typedef enum {
    QUOTH_READER_AUTO = 0,
    QUOTH_READER_TEXT = 1,     /* the bytes as they are (a BOM is kept) */
    QUOTH_READER_MARKDOWN = 2, /* emphasis markers and escapes removed */
    QUOTH_READER_HTML = 3,     /* HTML5 (gumbo); AO3, FFN, FanFicFare inside */
    QUOTH_READER_EPUB = 4      /* zip + OPF spine; each chapter as HTML */
} quoth_reader_kind;

/* Returns 0 and sets *kind for "auto", "text", "markdown", "html", "epub";
 * -1 otherwise. */
int quoth_reader_from_name(const char *name, quoth_reader_kind *kind);

typedef struct quoth_reading quoth_reading;

/* Reads len bytes. filename_hint (may be NULL) is only a tie-breaker for
 * AUTO and never opened. On success returns QUOTH_OK and sets *out (free
 * it with quoth_reading_free()). On failure returns
 *  - QUOTH_ERR_FORMAT: the bytes are not what the reader reads (a damaged
 *    or truncated zip, a zip that is not an EPUB, an EPUB without
 *    container.xml or OPF, "HTML" that is binary data);
 *  - QUOTH_ERR_LIMIT: a limit of src/limits.h was hit (too many zip
 *    entries, an entry or the whole book expanding past its bound: a zip
 *    bomb);
 *  - QUOTH_ERR_NOMEM, QUOTH_ERR_ARGUMENT;
 * and fills err's message (which does not repeat the file name). Broken
 * HTML is not an error: the HTML5 parser recovers as browsers do. */
quoth_status quoth_read(const char *bytes, size_t len, const char *filename_hint,
                        quoth_reader_kind kind, quoth_reading **out, quoth_error *err);
/* quoth_read() of a buffer handed over: bytes was malloc'd, and
 * bytes[len] is a NUL. The reading takes it over in every case (it is
 * freed at once, on failure, or by quoth_reading_free()); plain text is
 * then its own text, read without a copy. */
quoth_status quoth_read_owned(char *bytes, size_t len, const char *filename_hint,
                              quoth_reader_kind kind, quoth_reading **out, quoth_error *err);
void quoth_reading_free(quoth_reading *r);

/* The extracted text (NUL-terminated; *len excludes the NUL). */
const char *quoth_reading_text(const quoth_reading *r, size_t *len);

/* The reader that made it: "text", "markdown", "html", "ao3", "ffn",
 * "fanficfare" or "epub" (an EPUB whose chapters carry AO3 or FanFicFare
 * markup is still "epub"; its "site" metadata says which). */
const char *quoth_reading_reader(const quoth_reading *r);

/* Metadata, in the order found (keys may repeat, e.g. "notes"). The
 * plain-text reader has none; every other reader gives at least "reader". */
const quoth_meta *quoth_reading_meta(const quoth_reading *r, size_t *count);

/* Paratext spans of the text, sorted, not overlapping. */
const quoth_span *quoth_reading_paratext(const quoth_reading *r, size_t *count);

/* Where a byte of the text came from. Returns 0 and sets *source_offset (a
 * byte offset in the input, or in the EPUB entry) and *entry (the EPUB
 * entry's name, NULL for a single file); -1 when text_offset is past the
 * end. Bytes the reader wrote itself (the blank line between paragraphs, a
 * heading's "# ", a decoded entity's bytes) map to the start of the markup
 * they stand for. text_offset == len maps to the end of the source. A
 * UTF-16 input is decoded to UTF-8 before it is read: its offsets are
 * byte offsets in that UTF-8 text (quoth_reading_source_size gives its
 * length), not in the UTF-16 file. */
int quoth_reading_source(const quoth_reading *r, size_t text_offset, size_t *source_offset,
                         const char **entry);
/* The length of the source the offsets above refer to: the input's size,
 * or the UTF-8 size of a decoded UTF-16 input. */
size_t quoth_reading_source_size(const quoth_reading *r);

/* A cast file built from the site's character tags (AO3 "Character" tags,
 * FanFiction.net's character list, FanFicFare's "Characters"): one name a
 * line, with tags that are not names dropped ("Original Female
 * Character(s)", "Reader", "Everyone") and only the names whose first or
 * last name occurs in the text kept ("Kara Danvers | Supergirl" gives
 * "Kara Danvers | Supergirl"). NULL when there are none. It is a hint: it
 * names no descriptors or pronouns, and a partial cast can make attribution
 * worse than discovering the characters (see README), so the CLI uses it
 * only with --cast-from-tags. Parse it with quoth_cast_parse(). */
const char *quoth_reading_cast_hint(const quoth_reading *r, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* QUOTH_READ_H */
