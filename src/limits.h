/*
 * limits.h — every internal limit of libquoth, each with the reason it
 * exists. Past a limit quoth either returns QUOTH_ERR_LIMIT with a message
 * or degrades as documented here; it never goes quadratic.
 */
#ifndef QUOTH_LIMITS_H
#define QUOTH_LIMITS_H

/* Offsets are stored as uint32_t to halve the size of tokens and spans, so
 * one input must stay below 4 GiB. 2 GiB leaves headroom for the copy the
 * document keeps and for the arena. Larger inputs: QUOTH_ERR_LIMIT. */
#define QUOTH_MAX_INPUT ((size_t)2 << 30)

/* Paragraph length: no cap of its own beyond QUOTH_MAX_INPUT (a whole
 * book on one line is a paragraph). It needs none because every search
 * inside a paragraph is bounded by a window below (QUOTH_TAG_WINDOW,
 * QUOTH_SENTENCE_TOKENS, QUOTH_ANAPHOR_MENTIONS, QUOTH_MAX_QUOTE_SPANS), so
 * the work stays linear in its length: the degradation of a 100 MB line is
 * only that attribution sees a bounded neighbourhood of each quotation
 * (tests/pathological.py: one-line-10mb, paragraph-10mb; --big: 100 MB). */

/* Quotation nesting: one level, by construction. The dominant style's
 * marks make quotations and the other kind's are text inside them
 * (quotes.c), so there is no stack to overflow however deep the marks go
 * (pathological: quote-marks-1000000, marks-only-2mb). */
#define QUOTH_MAX_QUOTE_NESTING 1

/* A heading is a short line; anything longer is prose, whatever it starts
 * with. Bounds the work of heading detection per line. */
#define QUOTH_MAX_HEADING_BYTES 100

/* The longest proper name considered, in tokens ("Miss Elizabeth Bennet" is
 * 3). Longer capitalised runs are titles or shouting, not names. */
#define QUOTH_MAX_NAME_TOKENS 4

/* How many tokens a speech tag may reach from its quotation. Tags are short;
 * a bound keeps the tag search linear in paragraph length. */
#define QUOTH_TAG_WINDOW 24

/* How many mentions back a pronoun looks for its antecedent, and how many
 * tokens of narration before a quotation are read as its sentence: both
 * keep attribution linear in a single enormous paragraph. */
#define QUOTH_ANAPHOR_MENTIONS 200
#define QUOTH_SENTENCE_TOKENS 200

/* How many paragraphs back attribution looks for a salient mention or the
 * previous speakers of a conversation. */
#define QUOTH_CONTEXT_PARAGRAPHS 12

/* Narration paragraphs in a row that end a conversation. */
#define QUOTH_CONVERSATION_GAP 3

/* Characters discovered without a cast file. A story with more distinct
 * names than this keeps the most mentioned ones; the rest stay mentions
 * without a character (documented degradation, bounds clustering work). */
#define QUOTH_MAX_CHARACTERS 4096

/* Spans of one quotation. A paragraph alternating quote and narration more
 * often than this closes the quotation and starts a new one (so no scan
 * between pieces ever reaches back further than one quotation). */
#define QUOTH_MAX_QUOTE_SPANS 64

/* Paragraphs a quotation left open may continue into. Stops an unclosed
 * quote mark from swallowing the rest of a book. */
#define QUOTH_MAX_QUOTE_PARAGRAPHS 40

/* Addressees recorded per quotation (vocatives, the tag's object). */
#define QUOTH_MAX_ADDRESSEES 8

/* A line that names no one it speaks to is spoken to everyone else who
 * speaks within this many quotations of it, either side, in its
 * conversation (in a scene of two, the other one). */
#define QUOTH_ADDRESSEE_TURNS 4

/* Cast file: lines and aliases per line. */
#define QUOTH_MAX_CAST_LINES 10000
#define QUOTH_MAX_CAST_ALIASES 64

/* ---- readers (src/read/) ------------------------------------------------ */

/* Zip entries in one EPUB. A book has a few hundred (chapters, images,
 * fonts); a zip listing millions of entries only costs time to walk, so the
 * reader stops and reports a limit instead. */
#define QUOTH_READ_MAX_ZIP_ENTRIES 20000

/* Bytes one zip entry may expand to, and all the entries read together
 * (only text entries are expanded: XML, XHTML, the OPF; images are never
 * read). A novel's chapter is well under 1 MiB, the longest novels are a
 * few MiB in all, and a fan work of 1.5 million words in one file about
 * 10 MiB; the bounds stop a zip bomb (a few MB that expand to
 * gigabytes) after that much work and memory, with QUOTH_ERR_LIMIT. The
 * entry is read in pieces and reading stops as soon as a bound is passed,
 * whatever size the zip's headers claim. */
#define QUOTH_READ_MAX_ENTRY_BYTES ((size_t)32 << 20)
#define QUOTH_READ_MAX_EXPANDED_BYTES ((size_t)128 << 20)

/* Element nesting in HTML. gumbo spends time proportional to the depth of
 * the open elements on every tag (about 0.6 s at 10,000 nested <div>s,
 * minutes at 300,000), and gumbo_destroy_output() recurses once per level.
 * Real pages nest a few dozen deep. Before parsing, the reader estimates
 * the depth from the tags (html.c: markup_depth) and refuses deeper
 * markup with QUOTH_ERR_LIMIT; gumbo's tree is freed as one arena, and the
 * reader walks it with an explicit stack, never recursion. The check runs
 * before the XHTML path too (xhtml.c), whose libxml2 parser stops at its
 * own 256 levels and leaves deeper chapters to gumbo. */
#define QUOTH_READ_MAX_HTML_DEPTH 2000

/* Spine items of one EPUB (chapters). */
#define QUOTH_READ_MAX_SPINE 10000

#endif
