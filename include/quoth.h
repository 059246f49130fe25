/*
 * quoth.h — who said what, in prose fiction.
 *
 * The only public header of libquoth. A story goes in as bytes; a document
 * comes out that knows its sections, paragraphs, quotations, the characters
 * who speak them and to whom, and the evidence behind every attribution.
 *
 * Conventions (read these once):
 *  - Every position is a byte offset into the exact input buffer the caller
 *    passed to quoth_parse(), half-open: [start, end). A BOM, CRLF line ends
 *    and invalid UTF-8 are tolerated and never shift offsets.
 *  - quoth_parse() copies the input; the caller may free its buffer at once
 *    (unless it passes QUOTH_OPT_BORROW_TEXT: then the document reads the
 *    caller's buffer in place, which must outlive it).
 *  - Everything a document hands out (strings, spans, iterators' nodes)
 *    lives in the document's arena and stays valid until quoth_doc_free().
 *    Strings are NUL-terminated UTF-8.
 *  - No global mutable state: documents may be built and read on separate
 *    threads concurrently. One document must not be used by two threads at
 *    once without the caller's own locking.
 *  - Functions that can fail return NULL or a negative quoth_status and fill
 *    an optional quoth_error with a message the user can read.
 *  - Indices are 0-based size_t; "none" is QUOTH_NONE.
 */
#ifndef QUOTH_H
#define QUOTH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QUOTH_VERSION_STRING "0.1.0"
#define QUOTH_NONE ((size_t)-1)

/* ---- status and errors ------------------------------------------------ */

typedef enum {
    QUOTH_OK = 0,
    QUOTH_ERR_NOMEM = -1,     /* allocation failed */
    QUOTH_ERR_LIMIT = -2,     /* input exceeds a limit in src/limits.h */
    QUOTH_ERR_ARGUMENT = -3,  /* bad argument from the caller */
    QUOTH_ERR_CAST = -4,      /* the cast file could not be understood */
    QUOTH_ERR_OUTPUT = -5,    /* the sink reported a write failure */
    QUOTH_ERR_FORMAT = -6     /* a reader (quoth_read.h): the input is not valid
                                 in its format (damaged zip, not an EPUB, binary) */
} quoth_status;

/* An error report: which problem, where (line:column in the input that was
 * being read, 0 when it does not apply), and a sentence for a person. */
typedef struct {
    quoth_status status;
    size_t line;
    size_t column;
    char message[256];
} quoth_error;

/* A static English description of a status code. Never NULL. */
const char *quoth_status_string(quoth_status status);

/* ---- spans --------------------------------------------------------------- */

typedef struct {
    size_t start; /* first byte */
    size_t end;   /* one past the last byte */
} quoth_span;

/* ---- the cast: what the user knows about the characters ------------------ */

/* A cast file has one character a line: the main name first, then aliases
 * and descriptors, separated by '|':
 *     Clark Kent | Clark | Kal-El | Superman | the alien | the creature | it
 * A pronoun among the aliases (he, she, it, they) gives the character's
 * gender and lets that pronoun refer to it. Blank lines and lines starting
 * with '#' are ignored. */
typedef struct quoth_cast quoth_cast;

/* Parses a cast file's contents. Returns NULL and fills err on failure. The
 * caller frees the result with quoth_cast_free(). A cast may be shared,
 * read-only, by many documents on many threads. */
quoth_cast *quoth_cast_parse(const char *data, size_t len, quoth_error *err);
size_t quoth_cast_count(const quoth_cast *cast);
void quoth_cast_free(quoth_cast *cast);

/* ---- options ------------------------------------------------------------- */

/* Pipeline stages, in the order data flows. */
typedef enum {
    QUOTH_STAGE_SEGMENT = 1,   /* sections, paragraphs, paratext */
    QUOTH_STAGE_QUOTES = 2,    /* quotations and their spans */
    QUOTH_STAGE_MENTIONS = 3,  /* names, pronouns, descriptors, vocatives */
    QUOTH_STAGE_CAST = 4,      /* characters */
    QUOTH_STAGE_ATTRIBUTE = 5  /* speakers and addressees */
} quoth_stage;

/* Metadata about a work: key/value strings a reader found in the file (or
 * the caller knows). Well-known keys: "title", "author", "fandom",
 * "language", "source" (a URL), "summary", "notes", "characters" (a site's
 * character tags, one per line), "reader" (which reader extracted the text:
 * "text", "markdown", "html", "ao3", "ffn", "fanficfare", "epub"). Renderers
 * pass them through to every output format. */
typedef struct {
    const char *key;
    const char *value;
} quoth_meta;

typedef struct {
    const quoth_cast *cast;  /* NULL: discover the characters from the text */
    quoth_stage stop_after;  /* 0: run every stage */
    unsigned flags;          /* QUOTH_OPT_* bits; 0 */
    /* Developer: the text of a ranker weights file ("name value" lines, as
     * tools/ranker/ writes them) instead of the built-in model; NULL. */
    const char *ranker_weights;
    const quoth_meta *meta;  /* nmeta entries, copied into the document */
    size_t nmeta;
    /* Byte ranges of the text that are paratext (a reader's chapter notes):
     * paragraphs overlapping them are never attributed. Copied. */
    const quoth_span *paratext;
    size_t nparatext;
} quoth_options;

/* Option bits. */
#define QUOTH_OPT_DEFAULT 0u
/* Developer: keep the ranker's feature table (quoth_doc_features), the
 * training data of tools/ranker/. */
#define QUOTH_OPT_FEATURES (1u << 0)
/* The document reads the text in the caller's buffer instead of a copy of
 * it, which saves memory the size of the input. The buffer must be
 * NUL-terminated (text[len] == '\0', as quoth_reading_text() gives it),
 * must not change, and must stay valid until quoth_doc_free(): positions,
 * quoth_doc_text() and every renderer read it. A buffer that is not
 * NUL-terminated there is copied as without the flag. */
#define QUOTH_OPT_BORROW_TEXT (1u << 1)

/* ---- the document -------------------------------------------------------- */

typedef struct quoth_doc quoth_doc;

/* Analyses len bytes of text. Any byte string yields a document; NULL is
 * returned only when memory runs out or a limit is exceeded (err says
 * which). opts may be NULL for the defaults. */
quoth_doc *quoth_parse(const char *text, size_t len, const quoth_options *opts,
                       quoth_error *err);
void quoth_doc_free(quoth_doc *doc);

/* The input as the document holds it: a NUL-terminated copy of what was
 * passed, or the caller's buffer itself with QUOTH_OPT_BORROW_TEXT. */
const char *quoth_doc_text(const quoth_doc *doc, size_t *len);

/* With QUOTH_OPT_FEATURES: the ranker's table, tab-separated text with a
 * header line (one row per quotation and candidate speaker); else "". */
const char *quoth_doc_features(const quoth_doc *doc, size_t *len);

/* The metadata given in the options, in their order (keys may repeat). */
size_t quoth_doc_meta_count(const quoth_doc *doc);
const char *quoth_doc_meta_key(const quoth_doc *doc, size_t i);
const char *quoth_doc_meta_value(const quoth_doc *doc, size_t i);
/* The first value for key, or NULL. */
const char *quoth_doc_meta(const quoth_doc *doc, const char *key);

/* ---- sections ------------------------------------------------------------ */

typedef enum {
    QUOTH_SECTION_START = 0,     /* text before the first heading */
    QUOTH_SECTION_HEADING = 1,   /* "Chapter 3", "Conversation I", ... */
    QUOTH_SECTION_BREAK = 2      /* a scene break: "* * *", "~~~", "---" */
} quoth_section_kind;

size_t quoth_doc_section_count(const quoth_doc *doc);
quoth_section_kind quoth_section_kind_of(const quoth_doc *doc, size_t section);
/* The heading's text span ({0,0} when the section has no heading). */
quoth_span quoth_section_heading(const quoth_doc *doc, size_t section);
/* The heading as a string ("" when none). */
const char *quoth_section_title(const quoth_doc *doc, size_t section);
/* Paragraphs [first, first+count) belong to the section. */
size_t quoth_section_first_paragraph(const quoth_doc *doc, size_t section);
size_t quoth_section_paragraph_count(const quoth_doc *doc, size_t section);

/* ---- paragraphs ---------------------------------------------------------- */

typedef enum {
    QUOTH_PARA_STORY = 0,     /* part of the story */
    QUOTH_PARA_PARATEXT = 1,  /* disclaimer, author's note, "please review" */
    QUOTH_PARA_HEADING = 2,   /* a section heading or scene break */
} quoth_para_kind;

size_t quoth_doc_paragraph_count(const quoth_doc *doc);
quoth_span quoth_paragraph_span(const quoth_doc *doc, size_t para);
quoth_para_kind quoth_paragraph_kind(const quoth_doc *doc, size_t para);
size_t quoth_paragraph_section(const quoth_doc *doc, size_t para);

/* ---- characters ---------------------------------------------------------- */

typedef enum {
    QUOTH_GENDER_UNKNOWN = 0,
    QUOTH_GENDER_MALE = 1,    /* he */
    QUOTH_GENDER_FEMALE = 2,  /* she */
    QUOTH_GENDER_NEUTER = 3,  /* it: the narration calls the character "it" */
    QUOTH_GENDER_PLURAL = 4   /* they */
} quoth_gender;

size_t quoth_doc_character_count(const quoth_doc *doc);
/* The most complete proper name, or the main descriptor if none. */
const char *quoth_character_name(const quoth_doc *doc, size_t ch);
/* Other names and descriptors the text uses, most frequent first. */
size_t quoth_character_alias_count(const quoth_doc *doc, size_t ch);
const char *quoth_character_alias(const quoth_doc *doc, size_t ch, size_t i);
quoth_gender quoth_character_gender(const quoth_doc *doc, size_t ch);
/* How many quotations are attributed to the character. */
size_t quoth_character_quote_count(const quoth_doc *doc, size_t ch);
/* A stable short id for output ("c1", "c2", ...). */
const char *quoth_character_id(const quoth_doc *doc, size_t ch);

/* ---- mentions ------------------------------------------------------------ */

typedef enum {
    QUOTH_MENTION_NAME = 1,        /* "Lex", "Mr. Bennet" */
    QUOTH_MENTION_PRONOUN = 2,     /* he, she, it, they, I */
    QUOTH_MENTION_DESCRIPTOR = 3,  /* "the alien", "the old man" */
    QUOTH_MENTION_VOCATIVE = 4     /* a name addressed inside a quotation */
} quoth_mention_kind;

size_t quoth_doc_mention_count(const quoth_doc *doc);
quoth_span quoth_mention_span(const quoth_doc *doc, size_t m);
quoth_mention_kind quoth_mention_kind_of(const quoth_doc *doc, size_t m);
/* The character the mention refers to, or QUOTH_NONE (always QUOTH_NONE
 * before the cast stage: with stop_after QUOTH_STAGE_MENTIONS). */
size_t quoth_mention_character(const quoth_doc *doc, size_t m);
/* The quotation the mention lies inside, or QUOTH_NONE for narration. */
size_t quoth_mention_quote(const quoth_doc *doc, size_t m);

/* ---- quotations ---------------------------------------------------------- */

typedef enum {
    QUOTH_QUOTE_IMPLICIT = 0,   /* no tag: known from turn-taking/context */
    QUOTH_QUOTE_EXPLICIT = 1,   /* the speaker is named in the tag */
    QUOTH_QUOTE_ANAPHORIC = 2   /* the tag is a pronoun */
} quoth_quote_type;

/* Which rule decided the speaker. Tests and users read this. */
typedef enum {
    QUOTH_RULE_NONE = 0,          /* unattributed */
    QUOTH_RULE_TAG_AFTER = 1,     /* "...," Lex said / said Lex */
    QUOTH_RULE_TAG_BEFORE = 2,    /* Lex said, "..." */
    QUOTH_RULE_BEAT = 3,          /* an action beat in the same paragraph */
    QUOTH_RULE_INTRO = 4,         /* an introducing line ending the previous paragraph */
    QUOTH_RULE_TURN_TAKING = 5,   /* a conversation: alternation, or the name
                                     addressed in the previous quotation */
    QUOTH_RULE_NARRATION_BEFORE = 6, /* the subject of the narration paragraph before */
    QUOTH_RULE_RANKER = 7         /* the learned ranker chose someone other than
                                     the rules' pick (src/rank.c) */
} quoth_rule;

size_t quoth_doc_quote_count(const quoth_doc *doc);
/* Spans cover the quoted words, without the quotation marks. */
size_t quoth_quote_span_count(const quoth_doc *doc, size_t q);
quoth_span quoth_quote_span(const quoth_doc *doc, size_t q, size_t i);
size_t quoth_quote_paragraph(const quoth_doc *doc, size_t q);
/* The speaker's character index, or QUOTH_NONE. */
size_t quoth_quote_speaker(const quoth_doc *doc, size_t q);
size_t quoth_quote_addressee_count(const quoth_doc *doc, size_t q);
size_t quoth_quote_addressee(const quoth_doc *doc, size_t q, size_t i);
quoth_quote_type quoth_quote_type_of(const quoth_doc *doc, size_t q);
double quoth_quote_confidence(const quoth_doc *doc, size_t q);
quoth_rule quoth_quote_rule(const quoth_doc *doc, size_t q);
/* The referring expression that decided it ({0,0} when none). */
quoth_span quoth_quote_evidence(const quoth_doc *doc, size_t q);

const char *quoth_type_name(quoth_quote_type type);   /* "explicit", ... */
const char *quoth_rule_name(quoth_rule rule);         /* "tag-after", ... */
const char *quoth_gender_name(quoth_gender gender);   /* "M", "F", "X", ... */

/* ---- walking the document ------------------------------------------------ */

/* An iterator reports ENTER/EXIT events for containers and single events
 * for leaves, in text order, so a renderer is one switch:
 *   DOCUMENT > SECTION > PARAGRAPH > (TEXT | QUOTE)*
 * A QUOTE event is one span of a quotation (a quotation interrupted by
 * narration gives several QUOTE events with the same quote index). TEXT
 * is narration (or a quotation's marks) between them. */
typedef enum {
    QUOTH_EVENT_NONE = 0,
    QUOTH_EVENT_ENTER = 1,
    QUOTH_EVENT_EXIT = 2,
    QUOTH_EVENT_LEAF = 3
} quoth_event;

typedef enum {
    QUOTH_NODE_DOCUMENT = 1,
    QUOTH_NODE_SECTION = 2,
    QUOTH_NODE_PARAGRAPH = 3,
    QUOTH_NODE_TEXT = 4,
    QUOTH_NODE_QUOTE = 5
} quoth_node_kind;

typedef struct {
    quoth_node_kind kind;
    size_t index;       /* section, paragraph or quotation index */
    size_t part;        /* QUOTE: which span of the quotation */
    quoth_span span;    /* the bytes this node covers */
} quoth_node;

typedef struct quoth_iter quoth_iter;

quoth_iter *quoth_iter_new(const quoth_doc *doc);
/* Advances; returns QUOTH_EVENT_NONE at the end. */
quoth_event quoth_iter_next(quoth_iter *it);
const quoth_node *quoth_iter_node(const quoth_iter *it);
void quoth_iter_free(quoth_iter *it);

/* ---- rendering ----------------------------------------------------------- */

typedef enum {
    QUOTH_FORMAT_JSON = 1,     /* shared/corpus/FORMAT.md, with more fields */
    QUOTH_FORMAT_SCRIPT = 2,   /* a readable script: "LEX: ..." */
    QUOTH_FORMAT_FOUNTAIN = 3, /* a screenplay in Fountain (fountain.io) */
    QUOTH_FORMAT_TEI = 4,      /* TEI P5 XML: <said who="#c1"> (data/tei-quoth.rng) */
    QUOTH_FORMAT_HTML = 5,     /* one self-contained HTML5 page, coloured by speaker */
    QUOTH_FORMAT_CSV = 6,      /* one RFC 4180 row per quotation */
    QUOTH_FORMAT_SSML = 7,     /* SSML 1.1 <speak>, a <voice> per speaker */
    QUOTH_FORMAT_VOICES = 8    /* plain "[voice:NAME]...[/voice]" lines */
} quoth_format;
#define QUOTH_FORMAT_COUNT 8   /* formats are 1..QUOTH_FORMAT_COUNT */

/* A sink receives the output in pieces; it returns 0 on success and
 * non-zero to stop rendering (the render then returns QUOTH_ERR_OUTPUT). */
typedef int (*quoth_write_fn)(void *ctx, const char *data, size_t len);

/* Render flags. */
#define QUOTH_RENDER_DEFAULT 0u
#define QUOTH_RENDER_MENTIONS (1u << 0)   /* JSON: include mention spans */
#define QUOTH_RENDER_TEXT (1u << 1)       /* JSON: include quotation text */
/* JSON: the same document on one line, without the white space between
 * values (JSON Lines; strings keep theirs, and escape any newline). */
#define QUOTH_RENDER_COMPACT (1u << 2)

quoth_status quoth_render(const quoth_doc *doc, quoth_format format,
                          unsigned flags, quoth_write_fn write, void *ctx);

/* A voice map for QUOTH_FORMAT_SSML and QUOTH_FORMAT_VOICES: which
 * text-to-speech voice reads each character. Its text form has one
 * mapping a line,
 *     Tom Ashby = en-GB-Wavenet-B
 *     narrator  = en-GB-Wavenet-A
 * the left side a character's name, one of its aliases or its id ("c1"),
 * or the special names "narrator" (the narration) and "unknown"
 * (quotations with no speaker); names compare without regard to ASCII
 * case. Blank lines and lines starting with '#' are ignored. Voices not
 * given are assigned deterministically: "narrator" for the narration,
 * "unknown" for unattributed quotations, and "voice1", "voice2", ... for
 * the speaking characters in the order of their ids. */
typedef struct quoth_voices quoth_voices;

/* Parses a voice map's text. Returns NULL and fills err (err->line is the
 * 1-based line) on a line without '=', an empty name or voice, or a name
 * given twice. The caller frees the result with quoth_voices_free(). */
quoth_voices *quoth_voices_parse(const char *data, size_t len, quoth_error *err);
void quoth_voices_free(quoth_voices *voices);
/* The voice the SSML and voices renderers use for character ch, with this
 * map (NULL: the defaults): written NUL-terminated into out (cut to fit
 * cap); returns its full length. ch may also be QUOTH_NONE (the
 * narration) or QUOTH_VOICE_UNKNOWN (quotations with no speaker). */
size_t quoth_voice_for(const quoth_doc *doc, const quoth_voices *voices, size_t ch,
                       char *out, size_t cap);
#define QUOTH_VOICE_UNKNOWN (QUOTH_NONE - 1)

/* Everything a render may be given beyond the format. Zero it (or use
 * QUOTH_RENDER_OPTIONS_INIT) and set what you need; fields may be added
 * at the end in later versions. */
typedef struct {
    unsigned flags;               /* QUOTH_RENDER_* bits */
    const quoth_voices *voices;   /* SSML and voices formats; NULL: defaults */
} quoth_render_options;
#define QUOTH_RENDER_OPTIONS_INIT {0u, NULL}

/* quoth_render with options (opts may be NULL: the defaults). */
quoth_status quoth_render_ex(const quoth_doc *doc, quoth_format format,
                             const quoth_render_options *opts,
                             quoth_write_fn write, void *ctx);
/* Renders into a malloc'd NUL-terminated string the caller frees; NULL on
 * allocation failure. */
char *quoth_render_string(const quoth_doc *doc, quoth_format format,
                          unsigned flags, size_t *len);

/* Returns 0 and sets *format for a format's name: "json", "script" (or
 * "text"), "fountain", "tei", "html", "csv", "ssml", "voices"; -1
 * otherwise. */
int quoth_format_from_name(const char *name, quoth_format *format);
/* The canonical name of a format ("json", "tei", ...), or NULL. */
const char *quoth_format_name(quoth_format format);

#ifdef __cplusplus
}
#endif

#endif /* QUOTH_H */
