/*
 * internal.h — the document model shared by the pipeline stages.
 *
 * Data flows one way: segment -> quotes -> mentions -> cast -> attribute.
 * Each stage reads what earlier stages wrote and writes only its own part
 * of struct quoth_doc. Everything lives in the document's arena.
 */
#ifndef QUOTH_INTERNAL_H
#define QUOTH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "limits.h"
#include "quoth.h"

/* ---- arena (arena.c) ----------------------------------------------------- */

typedef struct arena_chunk arena_chunk;
typedef struct {
    arena_chunk *head;
    size_t total;
    size_t min_chunk;
} arena;

void arena_init(arena *a);
/* An arena for a stage's scratch tables, freed when the stage ends, for a
 * document of doc_len bytes. On a long document its chunks start large
 * (ARENA_SCRATCH_CHUNK): malloc maps blocks that size on their own (glibc,
 * at or above M_MMAP_THRESHOLD, which the CLI sets to 128 KB), so
 * arena_free gives them back to the system; small chunks would stay in
 * the heap, resident while the later stages grow the document elsewhere
 * (264 KB of a novel's peak). Pages never written cost nothing. A short
 * document keeps the heap's chunks: a mapping and an unmapping per work
 * would cost more than its scratch (and unmapping stalls the other
 * threads of a -j run). A batch or --jsonl run raises the threshold to
 * 32 MB (cli/batch.c): there each thread's heap keeps the chunks for its
 * next work. */
void arena_init_scratch(arena *a, size_t doc_len);
void arena_free(arena *a);
/* Zeroed memory aligned for any type of which size bytes are a whole
 * number of items (an array, a struct); NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* Memory that is not zeroed (the HTML parser's nodes, which it fills). */
void *arena_alloc_uninit(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t n);
/* Grows an arena array to hold at least need elements (doubling). The new
 * elements are not zeroed. */
void *arena_grow(arena *a, void *old, size_t *cap, size_t need, size_t elem);
/* arena_grow() for an array that is usually short: an empty one is given
 * room for first elements (arena_grow's sixteen), then doubles. */
void *arena_grow_from(arena *a, void *old, size_t *cap, size_t need, size_t elem, size_t first);

#define ARENA_PUSH(ar, arr, n, cap, ok)                                            \
    do {                                                                          \
        if ((n) >= (cap)) {                                                       \
            void *grown_ = arena_grow((ar), (arr), &(cap), (n) + 1, sizeof *(arr)); \
            if (!grown_) { (ok) = false; break; }                                \
            (arr) = grown_;                                                       \
        }                                                                         \
        (n)++;                                                                    \
    } while (0)

/* ---- byte buffer (buf.c) --------------------------------------------------- */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; further appends are dropped */
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- UTF-8 (utf8.c) -------------------------------------------------------- */

/* Decodes one code point at s[0..n). Invalid or truncated sequences decode
 * as U+FFFD with length 1, so every byte is consumed exactly once. */
int32_t utf8_decode_nonascii(const uint8_t *s, size_t n, size_t *len);
static inline int32_t utf8_decode(const uint8_t *s, size_t n, size_t *len) {
    if (n && s[0] < 0x80) { /* inline: the tokenizer decodes every byte */
        *len = 1;
        return s[0];
    }
    return utf8_decode_nonascii(s, n, len);
}
/* Decodes the code point ending just before s+pos (pos > 0); an ASCII
 * byte there is answered inline. */
int32_t utf8_decode_before_nonascii(const uint8_t *s, size_t pos, size_t *len);
static inline int32_t utf8_decode_before(const uint8_t *s, size_t pos, size_t *len) {
    if (s[pos - 1] < 0x80) { /* never a continuation byte: the whole code point */
        *len = 1;
        return s[pos - 1];
    }
    return utf8_decode_before_nonascii(s, pos, len);
}
/* The classes of a code point; ASCII is answered inline, the rest by
 * utf8proc's tables (the *_nonascii functions, for c >= 0x80). */
bool uc_is_letter_nonascii(int32_t c);
bool uc_is_upper_nonascii(int32_t c);
bool uc_is_lower_nonascii(int32_t c);
bool uc_is_digit_nonascii(int32_t c);
bool uc_is_space_nonascii(int32_t c);
static inline bool uc_is_letter(int32_t c) {
    return c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : uc_is_letter_nonascii(c);
}
static inline bool uc_is_upper(int32_t c) { return c < 0x80 ? c >= 'A' && c <= 'Z' : uc_is_upper_nonascii(c); }
static inline bool uc_is_lower(int32_t c) { return c < 0x80 ? c >= 'a' && c <= 'z' : uc_is_lower_nonascii(c); }
static inline bool uc_is_digit(int32_t c) { return c < 0x80 ? c >= '0' && c <= '9' : uc_is_digit_nonascii(c); }
static inline bool uc_is_space(int32_t c) {
    if (c < 0x80)
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    return uc_is_space_nonascii(c);
}
/* Lowercases (case-folds) UTF-8 into out (NUL-terminated, truncated to
 * cap). Returns the length written. */
size_t utf8_fold(const char *s, size_t n, char *out, size_t cap);

/* Is w[0..n) the NUL-terminated word lit? Reads lit no further than its
 * NUL: the word lists are scanned once per token, and a strlen of every
 * entry was the largest single cost of the mentions stage. */
static inline bool lit_is(const char *lit, const char *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (lit[i] != w[i] || lit[i] == '\0')
            return false;
    return lit[n] == '\0';
}

/* ---- lexicon (lexicon.c, tables generated from data/) ---------------------- */

typedef enum {
    LEX_SPEECH_VERB,     /* said, asked, replied, ... */
    LEX_HONORIFIC,       /* mr, mrs, miss, lady, ... (lowercase, no period) */
    LEX_HONORIFIC_MALE,
    LEX_HONORIFIC_FEMALE,
    LEX_PERSON_NOUN,     /* alien, creature, man, woman, ... */
    LEX_NOT_NAME,        /* capitalised words that are not people */
    LEX_PARATEXT_CUE,    /* disclaimer, a/n, ... */
    LEX_HEADING_WORD,    /* chapter, part, book, ... */
    LEX_NUMBER_WORD,     /* one, two, ..., twenty */
    LEX_PREPOSITION,     /* words before a noun phrase that is not a subject */
    LEX_SPEECH_NOUN,     /* voice, tone, answer, reply, ... */
    LEX_PERSON_NOUN_MALE,
    LEX_PERSON_NOUN_FEMALE,
    LEX_FIRST_NAME_MALE, /* given names and their usual gender (data/first_names.txt) */
    LEX_FIRST_NAME_FEMALE,
    LEX_CLAUSE_VERB,     /* "was", "doesn't": after a sentence's first word (data/clause_verbs.txt) */
    LEX_SURNAME_WORD,    /* "lane", "hill": not names alone, family names after one (data/surname_words.txt) */
    LEX_COUNT
} lexicon_id;

/* Looks up a folded (lower-cased) word. */
bool lexicon_has(lexicon_id id, const char *word, size_t len);
/* A title that stands alone for its bearer after "the" ("the Professor",
 * "the Colonel"; not "Mr."): folded word (mentions.c). */
bool title_alone(const char *w, size_t n);
/* A title of address that stands alone with no article ("said
 * Mademoiselle"): folded word (mentions.c). */
bool title_bare(const char *w, size_t n);
/* Name n folded, without periods, into key; whether it starts with
 * prefix ("mrs "), often decided after a byte or two (cast.c). */
bool name_key_folded(const char *n, const char *prefix, size_t plen, char key[128]);
/* name_key_folded(), its first byte's test inline: the callers ask it of
 * every name and alias of a work, and most names fail there (ASCII, not
 * a period it drops, folded unlike the prefix's first). */
static inline bool name_key(const char *n, const char *prefix, size_t plen, char key[128]) {
    unsigned char b = (unsigned char)n[0];
    unsigned folded = b >= 'A' && b <= 'Z' ? b + 32u : b;
    if (plen && b < 0x80 && b != '.' && folded != (unsigned char)prefix[0])
        return false;
    return name_key_folded(n, prefix, plen, key);
}
/* The first token starting at or after byte pos (attribute.c). */
size_t token_at(const quoth_doc *doc, size_t pos);
/* The full given names a nickname may stand for ("lizzy" -> "elizabeth"),
 * at most max of them into out; returns how many. */
size_t lexicon_full_names(const char *nick, size_t len, const char **out, size_t max);
/* All lists holding the word, as a mask of 1 << lexicon_id bits. */
unsigned lexicon_mask(const char *word, size_t len);

/* ---- the document ---------------------------------------------------------- */

typedef struct {
    uint32_t start, end;
} span32;

typedef struct {
    span32 span;               /* trimmed of surrounding whitespace */
    quoth_para_kind kind;
    uint32_t section;
    uint32_t first_token, token_count;   /* filled by the mentions stage */
    uint32_t first_mention, mention_count;
    bool has_quote;            /* some token lies in a quotation */
} paragraph;

typedef struct {
    quoth_section_kind kind;
    span32 heading;
    const char *title;
    uint32_t first_para, para_count;
} section;

/* A quotation; the wide fields first, so no padding (88 bytes). */
typedef struct {
    span32 *spans;              /* quoted words, marks excluded */
    /* attribution */
    size_t speaker;             /* character index or QUOTH_NONE */
    size_t *addressees;
    double confidence;
    span32 evidence;
    uint32_t nspans;
    uint32_t para_first, para_last;
    uint32_t naddressees;
    quoth_quote_type type;
    quoth_rule rule;
    uint32_t evidence_mention;  /* mention index + 1, 0 when none */
    uint32_t mention_first, mention_end; /* mentions inside the quotation */
    uint32_t tag_addressee;     /* character + 1 named as the tag's object */
    bool unclosed;              /* no closing mark: a sign, a title or a typo? */
    bool blocked;               /* its tag names no one we know: no guessing */
    bool pronoun_tag_only;      /* its tag is a pronoun or kin noun naming no one yet ("returned she") */
    bool intro_tag;             /* introduced by "X answered," at the end of the paragraph before */
    uint8_t owned_tag;          /* the gender of "said Margaret's young man" (quoth_gender), or 0 */
} quote;

typedef enum {
    PRON_NONE = 0,
    PRON_NOM,    /* he she it they I */
    PRON_ACC,    /* him her it them me */
    PRON_POSS    /* his her its their my */
} pronoun_case;

/* A mention. There are about two for every hundred bytes of prose, so
 * the small fields are packed: the quotation and the key in 31 bits each
 * (there are fewer quotations and keys than tokens, and fewer tokens
 * than QUOTH_MAX_INPUT < 2^31 bytes), the paragraph in 30 (a paragraph
 * holds a byte and ends at a newline: there are fewer than
 * QUOTH_MAX_INPUT / 2), the flags in the bits left over; the character in
 * 16 bits (there are at most QUOTH_MAX_CAST_LINES + QUOTH_MAX_CHARACTERS
 * + 1), the token count (at most a dozen) and the enums in 16 more; the
 * key an index in doc->keys (one copy of each key, not one per mention);
 * its span is its tokens' (mention_span()): 20 bytes, not 64 (at 24, a
 * novel's 20,000 mentions were 80 KB more of its peak, and every walk over
 * them read a fifth more). Read and set the character and key through
 * mention_character(), mention_set_character() and mention_key(). */
typedef struct {
    uint32_t token;             /* first token */
    uint32_t quote : 31;        /* quote index + 1, 0 in narration */
    bool subject : 1;           /* in subject position (heuristic) */
    uint32_t para : 30;
    bool possessive : 1;        /* "Lex's", "his" */
    bool first_person : 1;      /* I, me, my */
    uint32_t key_id : 31;       /* doc->keys index of the folded normal form
                                 * (names, descriptors), 0 when none */
    bool subordinate : 1;       /* subject of a subordinate clause ("while Lex waited") */
    uint16_t chr;               /* resolved character, MENTION_NO_CHARACTER when none */
    unsigned ntokens : 5;       /* at most a dozen: a cast alias of six words and their periods */
    unsigned kind : 3;          /* quoth_mention_kind */
    unsigned gender : 3;        /* quoth_gender: for pronouns, honorifics, descriptors */
    unsigned pcase : 2;         /* pronoun_case */
    bool relational : 1;        /* "his wife": someone related to the possessor */
    bool shared_name : 1;       /* a cast name part several entries share ("Charles") */
    bool titled : 1;            /* "the count": a descriptor for the one bearer of its title */
} mention;
_Static_assert(sizeof(mention) == 20, "a mention is 20 bytes");
_Static_assert(QUOTH_MAX_INPUT / 2 <= (size_t)1 << 30 && QUOTH_MAX_INPUT <= (size_t)1 << 31,
               "a paragraph index fits 30 bits, a quotation or key index 31");
_Static_assert(QUOTH_MENTION_VOCATIVE < 8 && QUOTH_GENDER_PLURAL < 8, "the enums fit 3 bits");

#define MENTION_NO_CHARACTER 0xFFFFu
_Static_assert(QUOTH_MAX_CAST_LINES + QUOTH_MAX_CHARACTERS + 1 < MENTION_NO_CHARACTER,
               "a character index fits a mention's 16 bits");

static inline size_t mention_character(const mention *m) {
    return m->chr == MENTION_NO_CHARACTER ? QUOTH_NONE : (size_t)m->chr;
}
static inline void mention_set_character(mention *m, size_t c) {
    m->chr = c < MENTION_NO_CHARACTER ? (uint16_t)c : (uint16_t)MENTION_NO_CHARACTER;
}

/* Token flags. */
enum {
    TOK_WORD = 1 << 0,
    TOK_CAP = 1 << 1, /* first letter upper case */
    TOK_ALLCAPS = 1 << 2,
    TOK_SENT_START = 1 << 3, /* first word of a sentence */
    TOK_PUNCT = 1 << 4,
    TOK_QUOTED = 1 << 5,      /* inside a quotation (token_quote() says which) */
    TOK_QUOTE_FIRST = 1 << 6, /* quoted, and in another quotation than the
                                * quoted token before it: a doc->quote_runs entry */
    TOK_POSS = 1 << 7         /* word ends with 's / ' (possessive) */
};

/* A word token's folded form, TOK_NO_WORD for punctuation (and, on a
 * text of more than 65,535 distinct words, for the words past that:
 * they are folded where they are read). */
#define TOK_NO_WORD 0xFFFFu
/* token.len of a token of TOK_LONG bytes or more: its end is in
 * doc->long_ends. */
#define TOK_LONG 0xFFu

/* A token. There are about twenty for every hundred bytes of prose, the
 * largest table of a document, so it is 6 bytes: the start as an offset
 * from its block's first token (blocks of TOK_BLOCK tokens, whose starts
 * are in doc->tok_base; a token 64 KB or more past its block's start has
 * its start in doc->far_starts), the length in a byte (longer tokens are
 * looked up), the vocabulary id in 16 bits, and the quotation a flag (the
 * index is looked up in doc->quote_runs). Read the start with
 * token_start() / token_start_at(). */
typedef struct {
    uint16_t off;   /* start - doc->tok_base[index / TOK_BLOCK], or TOK_FAR */
    uint8_t flags;
    uint8_t len;    /* end - start, possessive suffix excluded; TOK_LONG: see token_end() */
    uint16_t word;  /* index in doc->words, or TOK_NO_WORD */
} token;

#define TOK_BLOCK_BITS 8
#define TOK_BLOCK (1u << TOK_BLOCK_BITS)
#define TOK_FAR 0xFFFFu

/* Something a few tokens need beside their 8 bytes, in token order: the
 * quotation a run of quoted tokens lies in, the end of a long token. */
typedef struct {
    uint32_t token;
    uint32_t value;
} token_note;

/* A distinct word of the text, case-folded: tokens share it, so each word
 * is folded and looked up in the lexicon once, not at every reading. */
typedef struct {
    const char *fold;          /* NUL-terminated, in the arena */
    uint32_t lex;              /* lexicon_mask(fold) */
    uint16_t len;              /* < FOLD_MAX */
    uint8_t pronoun;           /* mentions.c's pronoun table index + 1, 0 if none */
} word_entry;

typedef struct {
    const char *name;
    const char **aliases;
    uint32_t *alias_counts;
    uint32_t naliases, alias_cap;
    quoth_gender gender;
    uint32_t votes[5];          /* pronoun votes per quoth_gender */
    uint32_t mentions;
    uint32_t quotes;
    bool from_cast;
    bool narrator;
    bool descriptor_only;       /* known only by descriptors ("the alien") */
    size_t merged_into;         /* QUOTH_NONE unless merged */
    bool listed;                /* in the output: cast, speakers, addressees */
    uint32_t tag_uses;          /* mentions next to a speech verb ("Lex said") */
    char id[24];
} character;

struct quoth_doc {
    arena mem;
    const char *text;           /* NUL-terminated: a copy of the input, or the
                                 * caller's own (QUOTH_OPT_BORROW_TEXT) */
    size_t len;
    size_t body;                /* first byte after a BOM */
    quoth_options opts;

    paragraph *paras;  size_t npara, cap_para;
    section *sections; size_t nsect, cap_sect;
    quote *quotes;     size_t nquote, cap_quote;
    token *tokens;     size_t ntok, cap_tok;
    uint32_t *tok_base; size_t nbase, cap_base; /* start of tokens 0, TOK_BLOCK, 2 TOK_BLOCK, ... */
    token_note *far_starts;
    size_t nfar, cap_far;   /* tokens whose start is TOK_FAR past their block's */
    token_note *quote_runs;
    size_t nqrun, cap_qrun; /* TOK_QUOTE_FIRST tokens: quote index + 1 */
    token_note *long_ends;
    size_t nlong, cap_long; /* tokens of TOK_LONG bytes or more: their end */
    word_entry *words; size_t nword, cap_word;
    size_t narration_words;     /* word tokens outside quotations (the tokenizer counts them) */
    mention *mentions; size_t nment, cap_ment;
    const char **keys; size_t nkey, cap_key; /* mention keys; keys[0] is NULL */
    character *chars;  size_t nchar, cap_char;

    char *features;             /* QUOTH_OPT_FEATURES: the ranker's table */
    size_t features_len;
    void *rank_rows;            /* ... its rows until the names are final */
    size_t rank_nrows;

    quoth_meta *meta;           /* copies of opts.meta, in the arena */
    size_t nmeta;
    quoth_span *paratext;       /* copies of opts.paratext, sorted */
    size_t nparatext;

    struct { uint32_t mention, ch; } *rel; /* attribution: the relatives kin */
    size_t nrel;                /* mentions name (attr_relative_named), in mention order */
    uint8_t *conv_next;         /* attribution: quotations q and q + 1 in one
                                 * conversation (attr_same_conversation), or NULL */
    bool first_person;          /* narration in the first person */
    size_t narrator;            /* character index or QUOTH_NONE */
};

/* The start of a token TOK_FAR bytes or more past its block's (binary
 * search). */
uint32_t token_far_start(const quoth_doc *doc, size_t i);
/* The first byte of token i. */
static inline uint32_t token_start_at(const quoth_doc *doc, size_t i) {
    const token *t = &doc->tokens[i];
    return t->off != TOK_FAR ? doc->tok_base[i >> TOK_BLOCK_BITS] + t->off : token_far_start(doc, i);
}
/* The first byte of token t (t in doc->tokens). */
static inline uint32_t token_start(const quoth_doc *doc, const token *t) {
    return token_start_at(doc, (size_t)(t - doc->tokens));
}
/* The end of a token of TOK_LONG bytes or more (binary search). */
uint32_t token_long_end(const quoth_doc *doc, size_t i);
/* The byte after token t (t in doc->tokens). */
static inline uint32_t token_end(const quoth_doc *doc, const token *t) {
    return t->len != TOK_LONG ? token_start(doc, t) + t->len : token_long_end(doc, (size_t)(t - doc->tokens));
}
/* The character ch was merged into, in the end (ch itself when never
 * merged); QUOTH_NONE stays QUOTH_NONE. Inline: the ranker asks it for
 * every candidate of every quotation. */
static inline size_t character_root(const quoth_doc *doc, size_t ch) {
    while (ch != QUOTH_NONE && doc->chars[ch].merged_into != QUOTH_NONE)
        ch = doc->chars[ch].merged_into;
    return ch;
}

/* A mention's folded normal form ("mrs hilbery"), NULL when it has none. */
static inline const char *mention_key(const quoth_doc *doc, const mention *m) {
    return doc->keys[m->key_id];
}
/* Is m the descriptor "the other" ("replied the other")? Not a character
 * of its own: the other party of the conversation. */
static inline bool mention_is_the_other(const quoth_doc *doc, const mention *m) {
    const char *k = m->kind == QUOTH_MENTION_DESCRIPTOR && !m->relational ? mention_key(doc, m) : NULL;
    return k && strcmp(k, "the other") == 0;
}
/* A mention's span: its first token's start to its last token's end. */
static inline span32 mention_span(const quoth_doc *doc, const mention *m) {
    span32 s = {token_start_at(doc, m->token),
                token_end(doc, &doc->tokens[m->token + m->ntokens - 1])};
    return s;
}
/* Token i's quotation: quote index + 1, 0 in narration (a binary search
 * of doc->quote_runs for a quoted token). */
uint32_t token_quote(const quoth_doc *doc, size_t i);
/* Do tokens i and j lie in one quotation, or both in narration? Quotation
 * indexes never decrease along the tokens, so a quoted token after i
 * starts another one exactly when it is TOK_QUOTE_FIRST (callers compare
 * nearby tokens). */
static inline bool token_same_quote(const quoth_doc *doc, size_t i, size_t j) {
    const token *t = doc->tokens;
    if ((t[i].flags ^ t[j].flags) & TOK_QUOTED)
        return false;
    if (!(t[i].flags & TOK_QUOTED) || i == j)
        return true;
    size_t a = i < j ? i : j, b = i < j ? j : i;
    for (size_t k = a + 1; k <= b; k++)
        if (t[k].flags & TOK_QUOTE_FIRST)
            return false;
    return true;
}

/* Stages. Each returns QUOTH_OK or an error (memory, limits). */
quoth_status segment_run(quoth_doc *doc, quoth_error *err);
quoth_status quotes_run(quoth_doc *doc, quoth_error *err);
quoth_status mentions_run(quoth_doc *doc, quoth_error *err);
quoth_status cast_run(quoth_doc *doc, quoth_error *err);
quoth_status attribute_run(quoth_doc *doc, quoth_error *err);

/* Helpers shared by stages. */
void doc_set_error(quoth_error *err, quoth_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* segment.c: is [s, e) of t a line segment_run() takes as a section heading? */
bool segment_is_heading_line(const char *t, size_t s, size_t e);
/* Index of the paragraph containing byte pos (binary search), or npara. */
size_t doc_para_at(const quoth_doc *doc, size_t pos);

/* Cast internals shared with cast.c users. */
struct quoth_cast_entry {
    char *name;
    char **aliases;
    size_t naliases;
    quoth_gender gender;
    bool narrator;
};
struct quoth_cast {
    struct quoth_cast_entry *entries;
    size_t count;
};

/* Buffer size for a folded token (longer words are cut: no name or
 * lexicon word is that long). */
#define FOLD_MAX 128
/* Token i case-folded into out (FOLD_MAX bytes); returns its length. */
size_t token_fold(const quoth_doc *doc, size_t i, char *out);
/* Token i folded, read where it is: its vocabulary entry's fold, or
 * scratch (FOLD_MAX bytes) filled; its length in *n. For a test that only
 * reads it: token_fold()'s copy was a loop of its own at each word. */
const char *token_word(const quoth_doc *doc, size_t i, char *scratch, size_t *n);
/* The lexicon lists holding token i's folded form (lexicon_mask). */
unsigned token_lex(const quoth_doc *doc, size_t i);
/* Is token i a quotation mark (straight, curly, guillemet)? */
bool token_is_quote_mark(const quoth_doc *doc, size_t i);
/* Is token i's word in lexicon list id? Read from its vocabulary entry
 * (token_lex): the same lists lexicon_has() of its folded form gives,
 * without a probe of the lexicon's table (a cache miss, most often). */
static inline bool token_in(const quoth_doc *doc, size_t i, lexicon_id id) {
    return token_lex(doc, i) >> id & 1u;
}
/* Is token i a speech verb ("said", "asked", data/speech_verbs.txt)?
 * Inline: the sieve asks it of most words of every tag. */
static inline bool token_is_speech_verb(const quoth_doc *doc, size_t i) {
    return (doc->tokens[i].flags & TOK_WORD) && token_in(doc, i, LEX_SPEECH_VERB);
}
/* The gender a descriptor's head noun implies ("the old man": he). */
quoth_gender descriptor_noun_gender(const quoth_doc *doc, const mention *m);
/* The gender token i has as a person noun ("man": he), else unknown. */
quoth_gender token_noun_gender(const quoth_doc *doc, size_t i);

/* Sorts a character's aliases by frequency, most frequent first (a cast
 * entry keeps the user's order). */
void character_sort_aliases(character *c);
/* Adds an alias occurrence to a character (counts repeats). */
bool character_add_alias(quoth_doc *doc, character *c, const char *alias);
/* Appends a character; returns its index or QUOTH_NONE on failure. */
size_t character_new(quoth_doc *doc, const char *name);
/* Sets c's id to "c" and the number n. */
void character_set_id(character *c, size_t n);

/* Rendering (render/). */
typedef struct {
    quoth_write_fn write;
    void *ctx;
    bool failed;
    buf out;                    /* batched output, flushed in large pieces */
    /* A write of len bytes goes straight into out when out.len + len <
     * room: min(out.cap, SINK_FLUSH_AT) (room for it and a NUL, and no
     * flush due), 0 once failed. Kept by sink_write_slow() and
     * sink_flush(), where out grows and failures are found, so the
     * common write tests one bound, not three (0 in a zeroed sink: its
     * first write takes the slow path). */
    size_t room;
} sink;

/* Output is batched and handed to the caller's sink in pieces of this size. */
#define SINK_FLUSH_AT (16 * 1024)
void sink_write_slow(sink *s, const char *data, size_t len);
/* Inline: renderers write many short pieces (tags, attribute names), and
 * strlen of a literal folds away here. */
static inline void sink_write(sink *s, const char *data, size_t len) {
    if (s->out.len + len < s->room) {
        memcpy(s->out.data + s->out.len, data, len);
        s->out.len += len;
    } else {
        sink_write_slow(s, data, len);
    }
}
static inline void sink_puts(sink *s, const char *str) { sink_write(s, str, strlen(str)); }
void sink_printf(sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sink_flush(sink *s);
/* A number in decimal; a non-negative number as printf's "%.2f" writes it. */
void sink_uint(sink *s, uint64_t n);
void sink_fixed2(sink *s, double x);
/* JSON string body escaping (no surrounding quotes); replaces invalid UTF-8
 * with U+FFFD so the output is always valid JSON. */
void sink_json_string(sink *s, const char *str, size_t len);
/* Plain text: control characters other than \n and \t dropped, invalid
 * UTF-8 replaced. */
void sink_text(sink *s, const char *str, size_t len);

/* How sink_escaped() writes text (every mode drops control characters
 * other than \t and \n, and writes invalid UTF-8, U+FFFE and U+FFFF as
 * U+FFFD, so no format receives them raw). */
typedef enum {
    ESC_PLAIN,     /* nothing else */
    ESC_XML_TEXT,  /* & < > as entities (XML and HTML text; "]]>" cannot occur) */
    ESC_XML_ATTR,  /* & < > " as entities; \t and \n as character references */
    ESC_FOUNTAIN,  /* \ * _ backslash-escaped; "[[" broken by U+200B */
    ESC_VOICES,    /* \ and [ backslash-escaped (the [voice:] script) */
    ESC_CSV        /* sink_csv_field's own: not for sink_escaped */
} escape_mode;
/* Writes str escaped for mode; with collapse, every run of white space
 * (including line ends) becomes one space. */
void sink_escaped(sink *s, const char *str, size_t len, escape_mode mode, bool collapse);
/* One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF,
 * quotes doubled; a field starting with = + - @ TAB or CR gets a leading
 * ' so a spreadsheet never evaluates it as a formula. */
void sink_csv_field(sink *s, const char *str, size_t len);
/* Narrows [*a, *b) of the text to the narration proper: quotation marks,
 * white space and the tag's leading comma trimmed from both ends. */
void render_trim_narration(const char *text, size_t *a, size_t *b);
/* Is l a plausible language tag ("en", "en-GB") to write into an
 * attribute? Letters, digits and hyphens, at most 35 bytes. */
bool render_lang_ok(const char *l);
/* Upper-cases UTF-8 into out (NUL-terminated, cut at a character boundary
 * to fit cap); returns the length written. */
size_t render_upper(const char *str, char *out, size_t cap);
/* Fountain: does an action line need a leading '!' so it is not read as a
 * scene heading, character, transition, section, note, ...? (line is the
 * story text, trimmed, before sink_escaped(ESC_FOUNTAIN) writes it) */
bool fountain_action_needs_force(const char *line, size_t len);
/* Fountain: does an upper-cased character name need a leading '@'? */
bool fountain_name_needs_force(const char *name);

/* A voice map (quoth_voices_parse). */
struct quoth_voices {
    char **names;
    char **voices;
    size_t count;
};

quoth_status render_json(const quoth_doc *doc, unsigned flags, sink *s);
quoth_status render_script(const quoth_doc *doc, unsigned flags, sink *s);
quoth_status render_fountain(const quoth_doc *doc, const quoth_render_options *opts, sink *s);
quoth_status render_tei(const quoth_doc *doc, const quoth_render_options *opts, sink *s);
quoth_status render_html(const quoth_doc *doc, const quoth_render_options *opts, sink *s);
quoth_status render_csv(const quoth_doc *doc, const quoth_render_options *opts, sink *s);
quoth_status render_ssml(const quoth_doc *doc, const quoth_render_options *opts, sink *s);
quoth_status render_voices(const quoth_doc *doc, const quoth_render_options *opts, sink *s);

/* ---- attribution helpers shared by attribute.c and rank.c ------------------- */

/* Quotations a and b (a before b) are in one conversation: same section,
 * fewer than QUOTH_CONVERSATION_GAP paragraphs of narration between.
 * Asked mostly of neighbours, answered for them from doc->conv_next. */
bool attr_same_conversation_calc(const quoth_doc *doc, size_t a, size_t b);
static inline bool attr_same_conversation(const quoth_doc *doc, size_t a, size_t b) {
    return doc->conv_next && b == a + 1 ? doc->conv_next[a] != 0
                                        : attr_same_conversation_calc(doc, a, b);
}
/* The character named as a vocative in quotation q (not its speaker). */
size_t attr_vocative_of(const quoth_doc *doc, size_t q);
/* Whom quotation q addresses: its vocative, else its tag's object ("Ann
 * asked Ben"); a root character or QUOTH_NONE. */
size_t attr_addressed_in(const quoth_doc *doc, size_t q);
/* Is ch addressed by name inside quotation q? */
bool attr_vocative_in_quote(const quoth_doc *doc, size_t q, size_t ch);
size_t attr_quote_words(const quoth_doc *doc, size_t q);
/* token_at(doc, pos) for pos the start of one of qq's spans: a search of
 * its paragraph's tokens, not of all of them. */
size_t quote_token_at(const quoth_doc *doc, const quote *qq, size_t pos);
/* Does someone other than ch act as a subject in narration paragraph p? */
bool attr_someone_else_acts(const quoth_doc *doc, size_t p, size_t ch);
/* Is m a name's possessive before a speech noun, at most two words on and
 * before token to ("the alien's voice cracked", "Lady Bertram's calm
 * inquiry of")? Such a voice introduces its owner's speech. */
bool attr_named_voice(const quoth_doc *doc, const mention *m, size_t to);
/* The relative kin mention mi of the narration names by the family name
 * ("she was met by her father": Mr. Bennet), when the kin noun is of
 * gender g and its owner of the other ("her mother" may be a she as well
 * as her daughter); QUOTH_NONE otherwise. Found once, before the
 * attribution (doc->rel). */
size_t attr_relative_named(const quoth_doc *doc, size_t mi, quoth_gender g);
/* The characters a he or she (pronoun mention mi, a subject) cannot be,
 * at most max of them in out, and their count: those its own sentence
 * names after it as objects ("She turned to Mary and said,"), and those
 * the sentence of the he or she it most likely goes on from names as
 * objects ("He nodded very curtly to Denham. "I gathered as much," he
 * said."): the subject just before it in the narration, in its paragraph
 * or the one before, when that is a pronoun of its gender with no named
 * subject of that gender after it. */
#define PRONOUN_NOT_MAX 8
size_t attr_pronoun_not(const quoth_doc *doc, size_t mi, size_t *out, size_t max);
/* The subject mention of the last sentence in tokens [from, to). */
size_t attr_last_sentence_subject(const quoth_doc *doc, size_t from, size_t to, bool *has_speech_verb);
/* attr_last_sentence_subject() of a whole paragraph, kept once found: the
 * sieve asks it of the paragraph before a quotation (an introducing line
 * or a beat), and the ranker asks it again of the same paragraph on each
 * pass. It reads only the tokens and what the mentions stage found of
 * the mentions (not the characters attribution gives them), so the
 * answer holds for the whole of attribute_run(). The memo keeps four
 * bytes a paragraph: 0 while not asked, else 1 + has_speech_verb + 2 *
 * (the subject's index + 1, 0 for none); it is NULL (nothing kept) when
 * the document has PARA_SUBJECT_MENTIONS mentions or more. */
typedef uint32_t para_subject;
#define PARA_SUBJECT_MENTIONS (UINT32_MAX / 2 - 1)
size_t attr_para_subject(const quoth_doc *doc, para_subject *memo, size_t p,
                         bool *has_speech_verb);

/* ---- the ranker (rank.c) ------------------------------------------------------ */

/* Re-decides every quotation the sieve did not settle with a named speech
 * tag, in text order, by a linear model over candidate speakers. weights:
 * the text of a weights file, or NULL for the built-in model. subjects:
 * the paragraphs' attr_para_subject() memo, the sieve's. Keeps the
 * feature table when QUOTH_OPT_FEATURES is set. */
quoth_status rank_quotes(quoth_doc *doc, para_subject *subjects, quoth_error *err);
/* Writes the kept feature table into doc->features (after the final
 * character names are known). */
bool rank_write_features(quoth_doc *doc);

#endif
