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

/* Cast file: lines and aliases per line. */
#define QUOTH_MAX_CAST_LINES 10000
#define QUOTH_MAX_CAST_ALIASES 64

#endif
