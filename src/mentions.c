/*
 * mentions.c — tokens, and the mentions of people among them: proper names
 * (with honorifics), pronouns, nominal descriptors ("the alien"), and
 * vocatives (a name addressed inside a quotation).
 *
 * A capitalised word is a name only when the document itself says so: it
 * must appear capitalised in mid-sentence and rarely in lower case, and not
 * be a function word, interjection, day or month (data/not_names.txt). With
 * a cast file, the cast's names and descriptors are matched as well.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "strmap.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* How often a word is seen capitalised mid-sentence (value) and in lower
 * case (aux): is a capitalised word a name here? */
typedef struct {
    size_t value, aux;
} word_stat;

typedef struct {
    quoth_doc *doc;
    uint16_t *word_index; /* the vocabulary's index (tokenizing only) */
    size_t word_index_cap;
    struct word_slot *vocab; /* ... what it keeps of each word, by id (word_index_cap / 2) */
    word_stat *stats;     /* per doc->words entry */
    /* From the tokenizer: how often each doc->words entry is seen in lower
     * case (gather_word_stats' aux; counted in the vocabulary's slots
     * while tokenizing, copied out before they are freed), and a bit per
     * token for those that may start a mention without a cast:
     * capitalised (as word_slot.cap_starts says), a pronoun in narration,
     * "the", or without a vocabulary entry. The rest, lower-case words,
     * are counted (their only part in gather_word_stats) and passed over
     * by find_mentions. A second bit per token is gather_word_stats': the
     * capitalised words that may be names (word_slot.counted) and those
     * without an entry. */
    uint32_t *lower;
    /* the bits, token i's at cand[i / 64 * 2 + k] bit i % 64: k is
     * CAND_MENTION (find_mentions) or CAND_STATS (gather_word_stats) */
    uint64_t *cand;
    size_t cand_words; /* for each k */
    uint32_t last_quoted; /* the tokenizer's: the quotation of the last quoted token */
    strmap words;         /* the same for words without an entry (TOK_NO_WORD) */
    strmap cast_alias;    /* folded alias -> character index + 1 (cast mode) */
    size_t cast_max_tokens;
    struct part_owner { const char *part; size_t c; } *owners; /* cast name parts and their characters */
    size_t nowner, cap_owner;
    bool ambiguous;       /* some mention is a name part several cast entries share */
    arena key_mem;        /* the key index below, freed once the mentions are found */
    strmap key_index;     /* key -> doc->keys index */
    /* per doc->words entry: the doc->keys index + 1 of its one-word key
     * (0: not made yet), and name_word() of it capitalised (0: not asked
     * yet, 1 no, 2 yes); in key_mem */
    uint32_t *word_key;
    uint8_t *name_words;
} mctx;

_Static_assert(sizeof(token) == 6, "internal.h promises 6-byte tokens");

static bool word_char(int32_t c) { return uc_is_letter(c) || uc_is_digit(c); }

/* The tokenizer's classes of a byte below 0x80 (0 from 0x80): a letter or
 * digit (word_char), white space (uc_is_space), upper case (uc_is_upper),
 * lower case (uc_is_lower: the lower-case fast path's one test), and a
 * byte that ends a word where it stands (ASCII, not ' or -: one test
 * after each word, not three). A table: the scan over a word's letters
 * was the tokenizer's largest cost. */
enum { BC_ALNUM = 1, BC_SPACE = 2, BC_UPPER = 4, BC_WORD_END = 8, BC_LOWER = 16 };
static const uint8_t byte_class[256] = {
     8,  8,  8,  8,  8,  8,  8,  8,  8, 10, 10, 10, 10, 10,  8,  8,
     8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,  8,
    10,  8,  8,  8,  8,  8,  8,  0,  8,  8,  8,  8,  8,  0,  8,  8,
     9,  9,  9,  9,  9,  9,  9,  9,  9,  9,  8,  8,  8,  8,  8,  8,
     8, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
    13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,  8,  8,  8,  8,  8,
     8, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,
    25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25,  8,  8,  8,  8,  8,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
};

enum { CAND_MENTION, CAND_STATS };

/* Makes m->cand hold two bits for each of ntok tokens, the new bits
 * clear; false: out of memory. Sized exactly: the token table it follows
 * already grows by doubling. */
static bool cand_cover(mctx *m, size_t ntok) {
    size_t need = ntok / 64 + 1;
    if (need <= m->cand_words)
        return true;
    uint64_t *cand = realloc(m->cand, 2 * need * sizeof *cand);
    if (!cand)
        return false;
    memset(cand + 2 * m->cand_words, 0, 2 * (need - m->cand_words) * sizeof *cand);
    m->cand = cand;
    m->cand_words = need;
    return true;
}

/* Appends a note on the token just pushed. */
static bool push_note(quoth_doc *doc, token_note **notes, size_t *n, size_t *cap, uint32_t value) {
    bool ok = true;
    ARENA_PUSH(&doc->mem, *notes, *n, *cap, ok);
    if (!ok)
        return false;
    (*notes)[*n - 1].token = (uint32_t)doc->ntok - 1;
    (*notes)[*n - 1].value = value;
    return true;
}

/* push_token() when the token needs more than its 6 bytes: the table
 * grows (and m->cand with it), a block starts, a quotation starts, or the
 * token is far from its block's start or long. q: its quotation (index +
 * 1, 0 in narration); word: its vocabulary id or TOK_NO_WORD. Kept out of
 * the tokenizer's loop (GCC inlined it at each push, and the loop's state
 * no longer fitted in registers). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool push_token_slow(mctx *m, size_t s, size_t e, uint16_t flags, uint32_t q, uint32_t word) {
    quoth_doc *doc = m->doc;
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->tokens, doc->ntok, doc->cap_tok, ok);
    if (!ok || !cand_cover(m, doc->cap_tok))
        return false;
    token *t = &doc->tokens[doc->ntok - 1];
    if (q) {
        flags |= TOK_QUOTED;
        if (q != m->last_quoted) {
            flags |= TOK_QUOTE_FIRST;
            m->last_quoted = q;
            if (!push_note(doc, &doc->quote_runs, &doc->nqrun, &doc->cap_qrun, q))
                return false;
        }
    }
    size_t i = doc->ntok - 1;
    if ((i & (TOK_BLOCK - 1)) == 0) {
        ARENA_PUSH(&doc->mem, doc->tok_base, doc->nbase, doc->cap_base, ok);
        if (!ok)
            return false;
        doc->tok_base[doc->nbase - 1] = (uint32_t)s;
    }
    size_t off = s - doc->tok_base[i >> TOK_BLOCK_BITS];
    if (off < TOK_FAR) {
        t->off = (uint16_t)off;
    } else {
        t->off = TOK_FAR;
        if (!push_note(doc, &doc->far_starts, &doc->nfar, &doc->cap_far, (uint32_t)s))
            return false;
    }
    t->flags = (uint8_t)flags;
    t->word = (uint16_t)word;
    if (e - s < TOK_LONG) {
        t->len = (uint32_t)(e - s);
    } else {
        t->len = TOK_LONG;
        if (!push_note(doc, &doc->long_ends, &doc->nlong, &doc->cap_long, (uint32_t)e))
            return false;
    }
    return true;
}

/* The tokenizer's end of doc->tokens, in locals (registers) while it
 * runs: a token is stored through a token *, whose byte fields may alias
 * anything, and the compiler read doc's fields again after every store.
 * One bound, lim, says when a push is the common one. */
typedef struct {
    token *tokens;  /* doc->tokens */
    size_t n;       /* doc->ntok */
    size_t lim;     /* push_token() stores inline while n < lim: room in the
                     * table, inside token n's block (n % TOK_BLOCK != 0),
                     * and no quotation run to start (0 forces the slow push) */
    uint32_t base;  /* the start of token n's block */
    uint64_t *cand; /* m->cand, with a bit for every token the table has room for */
} tok_writer;

static inline void tok_writer_load(tok_writer *w, const mctx *m) {
    const quoth_doc *doc = m->doc;
    w->tokens = doc->tokens;
    w->n = doc->ntok;
    size_t block_end = (w->n | (TOK_BLOCK - 1)) + 1;
    w->lim = !(w->n & (TOK_BLOCK - 1)) ? 0 : block_end < doc->cap_tok ? block_end : doc->cap_tok;
    w->base = doc->nbase ? doc->tok_base[doc->nbase - 1] : 0;
    w->cand = m->cand;
}

/* Appends token [s, e) (word: its vocabulary id or TOK_NO_WORD; q: its
 * quotation, index + 1, 0 in narration, and flags has TOK_QUOTED when q
 * is not 0: the caller's, once for each quotation). Inline for the common token (a
 * million in a long novel: under w->lim, not long, near its block's
 * start), built whole and stored once; the rest is push_token_slow(),
 * with doc up to date. */
static inline bool push_token(tok_writer *w, mctx *m, size_t s, size_t e, uint16_t flags, uint32_t q,
                              uint32_t word) {
    size_t i = w->n, off = s - w->base;
    if (i < w->lim && off < TOK_FAR && e - s < TOK_LONG) {
        w->tokens[i] = (token){.off = (uint16_t)off,
                               .flags = (uint8_t)flags,
                               .len = (uint8_t)(e - s),
                               .word = (uint16_t)word};
        w->n = i + 1;
        return true;
    }
    m->doc->ntok = w->n;
    bool ok = push_token_slow(m, s, e, flags, q, word);
    tok_writer_load(w, m);
    return ok;
}

/* Ors bit (0 or 1) into token i's m->cand bit k. */
static inline void cand_bit(tok_writer *w, size_t i, size_t k, uint64_t bit) {
    w->cand[i / 64 * 2 + k] |= bit << (i % 64);
}

/* The note of token i in notes[0..n) sorted by token: the last at or
 * before i. */
static const token_note *note_at(const token_note *notes, size_t n, size_t i) {
    size_t lo = 0, hi = n; /* notes[0..lo) are at or before i, notes[hi..n) after it */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (notes[mid].token <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &notes[lo - 1] : NULL;
}

uint32_t token_long_end(const quoth_doc *doc, size_t i) {
    const token_note *n = note_at(doc->long_ends, doc->nlong, i);
    return n ? n->value : token_start_at(doc, i) + TOK_LONG; /* every long token has its note */
}

uint32_t token_far_start(const quoth_doc *doc, size_t i) {
    const token_note *n = note_at(doc->far_starts, doc->nfar, i);
    return n ? n->value : doc->tok_base[i >> TOK_BLOCK_BITS]; /* every far token has its note */
}

uint32_t token_quote(const quoth_doc *doc, size_t i) {
    if (!(doc->tokens[i].flags & TOK_QUOTED))
        return 0;
    const token_note *n = note_at(doc->quote_runs, doc->nqrun, i);
    return n ? n->value : 0; /* the first quoted token has a note */
}

/* A vocabulary fold is kept zero-padded to a multiple of eight bytes
 * (WORD_PAD, below; its NUL included), at most FOLD_MAX: copied eight
 * bytes at a time, not by a call to memcpy for a few bytes (1.3% of the
 * time, the stages asking words of their tokens). */
#define FOLD_COPY_STEP 8
_Static_assert(FOLD_MAX % FOLD_COPY_STEP == 0, "a padded fold fits FOLD_MAX bytes");
static size_t fold_token(const quoth_doc *doc, const token *t, char *out) {
    if (t->word != TOK_NO_WORD) {
        const word_entry *w = &doc->words[t->word];
        for (size_t k = 0; k <= w->len; k += FOLD_COPY_STEP)
            memcpy(out + k, w->fold + k, FOLD_COPY_STEP);
        return w->len;
    }
    return utf8_fold(doc->text + token_start(doc, t), token_end(doc, t) - token_start(doc, t), out, FOLD_MAX);
}

size_t token_fold(const quoth_doc *doc, size_t i, char *out) { return fold_token(doc, &doc->tokens[i], out); }

static const char *tok_word(const quoth_doc *doc, const token *t, char *scratch, size_t *n);
const char *token_word(const quoth_doc *doc, size_t i, char *scratch, size_t *n) {
    return tok_word(doc, &doc->tokens[i], scratch, n);
}

/* The lexicon lists of a token whose folded form low[0..n) the caller has. */
static unsigned tok_lex(const quoth_doc *doc, const token *t, const char *low, size_t n) {
    return t->word != TOK_NO_WORD ? doc->words[t->word].lex : lexicon_mask(low, n);
}

static bool tok_has(const quoth_doc *doc, const token *t, const char *low, size_t n, lexicon_id id) {
    return tok_lex(doc, t, low, n) >> id & 1u;
}

/* Token t folded: its vocabulary entry, or scratch (FOLD_MAX bytes) filled. */
static const char *tok_word(const quoth_doc *doc, const token *t, char *scratch, size_t *n) {
    if (t->word != TOK_NO_WORD) {
        *n = doc->words[t->word].len;
        return doc->words[t->word].fold;
    }
    *n = utf8_fold(doc->text + token_start(doc, t), token_end(doc, t) - token_start(doc, t), scratch, FOLD_MAX);
    return scratch;
}

unsigned token_lex(const quoth_doc *doc, size_t i) {
    const token *t = &doc->tokens[i];
    if (t->word != TOK_NO_WORD)
        return doc->words[t->word].lex;
    char low_buf[FOLD_MAX];
    size_t n;
    const char *low = tok_word(doc, t, low_buf, &n);
    return lexicon_mask(low, n);
}

/* ---- the vocabulary: each distinct folded word once ------------------------ */

static uint8_t pronoun_number(const char *w, size_t n);

/* Folded words are hashed and compared eight bytes at a time: a word's
 * folded form is kept zero-padded to a multiple of eight bytes (the
 * vocabulary's copies and the tokenizer's buffer alike), so whole 8-byte
 * groups can be loaded. */
#define WORD_PAD(n) (((n) | 7u) + 1u) /* bytes holding n and the padding */
static inline uint64_t load8(const void *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The bits of the first n bytes of a little-endian load8() (n <= 8): a
 * table, one load where a word's padding is cut, not the shift the
 * compiler made of its length for each word (five instructions). */
static const uint64_t first_bytes[9] = {
    0, 0xFFu, 0xFFFFu, 0xFFFFFFu, 0xFFFFFFFFu,
    0xFFFFFFFFFFu, 0xFFFFFFFFFFFFu, 0xFFFFFFFFFFFFFFu, 0xFFFFFFFFFFFFFFFFu,
};

/* The hash of a folded word, a multiply per 8-byte group (ids are given
 * in order of first use: the hash decides nothing but the probing). */
#define WORD_HASH_SEED 0x243F6A8885A308D3u
#define WORD_HASH_MUL 0x9E3779B97F4A7C15u
static inline uint32_t word_hash_finish(uint64_t h) { return (uint32_t)(h >> 32) ^ (uint32_t)h; }
/* s[0..n) zero-padded to WORD_PAD(n) bytes. */
static inline uint32_t word_hash(const char *s, size_t n) {
    uint64_t h = WORD_HASH_SEED;
    for (size_t k = 0; k < n; k += 8)
        h = (h ^ load8(s + k)) * WORD_HASH_MUL;
    return word_hash_finish(h);
}

/* Do the zero-padded folded words a and b, both n bytes long, agree? */
static inline bool word_equal(const char *a, const char *b, size_t n) {
    for (size_t k = 0; k < n; k += 8)
        if (load8(a + k) != load8(b + k))
            return false;
    return true;
}

/* The vocabulary's index: open addressing over doc->words, a slot the id +
 * 1 of a word (0: empty), two bytes, so that a novel's index is 64 KB and
 * stays in the cache (its 16-byte slots were 512 KB, a cache miss at most
 * look-ups). Each word's slot in m->vocab, by id, holds what the tokenizer
 * needs of it, so that the common look-up reads the index and that, not
 * the word_entry and its fold: the fold's first eight bytes (zero-padded:
 * a fold of eight bytes or fewer is equal exactly when these and the
 * length are), whether the word in lower case may start a mention,
 * whether its period may not end a sentence, and how often it was seen in
 * lower case. Ids go in order of first use: the common words' slots are
 * together at the start. */
typedef struct word_slot {
    uint64_t head; /* the fold's first eight bytes, zero-padded */
    uint32_t lower; /* how often seen in lower case (gather_word_stats' aux) */
    uint8_t len;   /* the fold's length (< FOLD_MAX) */
    /* may a mention start at it in lower case: bit 0 in narration (a
     * pronoun or "the"), bit 1 in a quotation ("the" only: find_mentions
     * takes no pronoun there, and "the Mouse" is a name) */
    uint8_t starts : 2;
    /* ... and capitalised, the same two bits: not a pronoun in a
     * quotation, nor (pronouns aside) a word never a name (name_word():
     * a word of data/not_names.txt or of one letter) unless it is "the"
     * or an honorific ("But", "Yes", "I" in a quotation) */
    uint8_t cap_starts : 2;
    /* capitalised, gather_word_stats counts it: name_word() may read its
     * counts (it reads none of a word never a name, pronouns included) */
    bool counted : 1;
    bool abbrev : 1; /* abbrev_word(): an honorific or "St" */
} word_slot;
_Static_assert(TOK_NO_WORD <= UINT16_MAX, "a word id + 1 fits an index slot");
_Static_assert(FOLD_MAX <= 256, "a fold's length fits word_slot.len");

/* The slot of folded word low[0..n) (zero-padded to WORD_PAD(n) bytes),
 * whose hash is h, its head load8(low), in the vocabulary; the word is
 * added when new. *slot is NULL past 65,535 distinct words (the token is
 * TOK_NO_WORD). false: out of memory. */
static bool intern_word_slot(mctx *m, const char *low, size_t n, uint64_t head, uint32_t h,
                             word_slot **slot);

/* The hash of word id's (its slot o): from the slot alone for a word of
 * eight bytes or fewer (its head is all word_hash reads), which spares the
 * rehash below a read of the word's entry and fold, scattered in the
 * arena. */
static uint32_t slot_hash(const quoth_doc *doc, size_t id, const word_slot *o) {
    if (o->len >= 1 && o->len <= 8)
        return word_hash_finish((WORD_HASH_SEED ^ o->head) * WORD_HASH_MUL);
    const word_entry *w = &doc->words[id];
    return word_hash(w->fold, w->len);
}

/* Is a word (folded low[0..ll), its lexicon lists lex) an abbreviation
 * whose period does not end the sentence: an honorific, "St"? (An initial
 * also is: is_abbrev.) */
static bool abbrev_word(unsigned lex, const char *low, size_t ll) {
    return (lex >> LEX_HONORIFIC & 1u) || (ll == 2 && low[0] == 's' && low[1] == 't');
}

/* The vocabulary index's first size on a long text (WORD_INDEX_LONG_DOC
 * bytes or more): a slot for every WORD_INDEX_BYTES bytes of text (a novel has a distinct
 * word in 40 to 110 bytes, and the index is kept at most half full), at
 * most WORD_INDEX_FIRST_MAX slots (the vocabulary grows ever slower with
 * the text; past that, it doubles as it fills). Sized once, it is not
 * built and rehashed five times on the way (the larger copies are fresh
 * pages, each a page fault). A shorter text's index starts at 1,024
 * slots as before: its first copies are small blocks of the heap, reused
 * by what comes after (sized at once, the peak RSS of a short work moved
 * both ways by up to 128 KB). */
#define WORD_INDEX_LONG_DOC ((size_t)256 * 1024)
#define WORD_INDEX_BYTES 32
#define WORD_INDEX_FIRST_MAX ((size_t)32 * 1024)

static bool grow_word_index(mctx *m) {
    size_t ncap = m->word_index_cap * 2;
    if (!ncap) {
        ncap = 1024;
        if (m->doc->len >= WORD_INDEX_LONG_DOC)
            while (ncap < WORD_INDEX_FIRST_MAX && ncap * WORD_INDEX_BYTES < m->doc->len)
                ncap *= 2;
    }
    /* The words' slots: the index is kept at most half full, so ncap / 2
     * of them is room for every word it may hold. */
    word_slot *vocab = realloc(m->vocab, ncap / 2 * sizeof *vocab);
    if (!vocab)
        return false;
    m->vocab = vocab;
    /* ... and doc->words sized with it (intern_word_slot never grows it,
     * nor does realloc copy it a dozen times on the way) */
    word_entry *words = arena_grow(&m->doc->mem, m->doc->words, &m->doc->cap_word, ncap / 2, sizeof *words);
    if (!words)
        return false;
    m->doc->words = words;
    /* Every slot marked empty by a store: a large calloc is fresh mapped
     * pages, which the probes below read before they write them, two
     * page faults a page (the zero page, then a copy) instead of one.
     * (GCC turns malloc + memset into calloc, so not a memset.) */
    uint16_t *ni = malloc(ncap * sizeof *ni);
    if (!ni)
        return false;
    for (size_t k = 0; k < ncap; k++)
        ni[k] = 0;
    for (size_t id = 0; id < m->doc->nword; id++) {
        size_t i = slot_hash(m->doc, id, &vocab[id]) & (ncap - 1);
        // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch): every slot is set above
        while (ni[i])
            i = (i + 1) & (ncap - 1);
        ni[i] = (uint16_t)(id + 1);
    }
    free(m->word_index);
    m->word_index = ni;
    m->word_index_cap = ncap;
    return true;
}

/* The slot of a word of eight bytes or fewer (head: the folded bytes,
 * zero-padded; n: their number), NULL when the word is new. The index
 * has slots (cap > 0): the tokenizer makes it before its first word. */
static inline word_slot *find_short_word(const uint16_t *index, size_t cap, word_slot *vocab, uint64_t head,
                                         size_t n, uint32_t h) {
    size_t mask = cap - 1;
    for (size_t k = h & mask; index[k]; k = (k + 1) & mask) {
        word_slot *sl = &vocab[index[k] - 1];
        if (sl->head == head && sl->len == n)
            return sl;
    }
    return NULL;
}

static bool intern_word_slot(mctx *m, const char *low, size_t n, uint64_t head, uint32_t h,
                             word_slot **slot) {
    quoth_doc *doc = m->doc;
    if ((doc->nword + 1) * 2 > m->word_index_cap && !grow_word_index(m))
        return false;
    size_t mask = m->word_index_cap - 1, i = h & mask;
    /* the first call allocates word_index: (nword + 1) * 2 > 0; and
     * grow_word_index() sets every slot */
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference,clang-analyzer-core.uninitialized.Branch): see above
    for (; m->word_index[i]; i = (i + 1) & mask) {
        size_t id = m->word_index[i] - 1u;
        word_slot *sl = &m->vocab[id];
        if (sl->head == head && sl->len == n && (n <= 8 || word_equal(doc->words[id].fold, low, n))) {
            *slot = sl;
            return true;
        }
    }
    *slot = NULL;
    if (doc->nword >= TOK_NO_WORD)
        return true;
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->words, doc->nword, doc->cap_word, ok);
    /* low is zero-padded: its copy takes the padding (and a NUL) along */
    char *fold = ok ? arena_strndup(&doc->mem, low, WORD_PAD(n) - 1) : NULL;
    if (!fold)
        return false;
    word_entry *w = &doc->words[doc->nword - 1];
    w->fold = fold;
    w->len = (uint16_t)n; /* utf8_fold wrote less than FOLD_MAX */
    w->lex = lexicon_mask(low, n);
    w->pronoun = pronoun_number(low, n);
    m->word_index[i] = (uint16_t)doc->nword;
    word_slot *sl = &m->vocab[doc->nword - 1];
    sl->head = head;
    sl->len = (uint8_t)n;
    bool the = n == 3 && memcmp(low, "the", 3) == 0;
    sl->starts = (uint8_t)((w->pronoun || the) | the << 1);
    bool never_name = n < 2 || (w->lex >> LEX_NOT_NAME & 1u);
    bool hon = w->lex >> LEX_HONORIFIC & 1u;
    sl->cap_starts = (uint8_t)(w->pronoun ? 1 : the || hon || !never_name ? 3 : 0);
    sl->counted = !never_name && !w->pronoun;
    sl->abbrev = abbrev_word(w->lex, low, n);
    sl->lower = 0;
    *slot = sl;
    return true;
}

/* Is token t the ASCII word w (in any case)? w is shorter than TOK_LONG:
 * t->len is the length to compare, and most tokens are told apart by it
 * alone, with no look-up of their start. */
static inline bool tok_is(const quoth_doc *doc, const token *t, const char *w) {
    size_t n = strlen(w);
    if (t->len != n)
        return false;
    const char *s = doc->text + token_start(doc, t);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != w[i])
            return false;
    }
    return true;
}

static bool tok_punct_is(const quoth_doc *doc, const token *t, char c) {
    return (t->flags & TOK_PUNCT) && t->len == 1 && doc->text[token_start(doc, t)] == c;
}

/* ---- tokenizer --------------------------------------------------------------- */

/* The folded form of ASCII word t[s..we) (we - s < FOLD_MAX) into low
 * (FOLD_MAX + 8 bytes), zero-padded to a multiple of eight bytes; returns
 * its length. Every byte of an ASCII word (letters, digits, ' and -)
 * folds by setting 0x20, eight at a time where the text has eight bytes
 * to read. */
static inline size_t fold_ascii_word(const quoth_doc *doc, size_t s, size_t we, char *low) {
    const uint8_t *t = (const uint8_t *)doc->text;
    size_t n = we - s;
    const uint64_t lower = 0x2020202020202020u;
    if (s + WORD_PAD(n) <= doc->len + 1) { /* the text is NUL-terminated */
        for (size_t k = 0; k < n; k += 8) {
            uint64_t v = load8(t + s + k) | lower;
            memcpy(low + k, &v, 8);
        }
    } else {
        for (size_t k = 0; k < n; k++)
            low[k] = (char)(t[s + k] | 0x20);
    }
    memset(low + n, 0, 8);
    return n;
}

#ifdef __SSE2__
/* A bit for each of the sixteen bytes at p that is not an ASCII letter or
 * digit. A byte b is a letter when (b | 0x20) - 'a' < 26, a digit when
 * b - '0' < 10 (unsigned: compared signed after adding 0x80). */
static inline unsigned non_alnum16(const uint8_t *p) {
    const __m128i case_bit = _mm_set1_epi8(0x20), a_bias = _mm_set1_epi8((char)(0x80 - 'a')),
                  zero_bias = _mm_set1_epi8((char)(0x80 - '0')),
                  letters = _mm_set1_epi8((char)(0x80 + 26)), digits = _mm_set1_epi8((char)(0x80 + 10));
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, case_bit), a_bias), letters);
    __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, zero_bias), digits);
    return ~(unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit)) & 0xFFFFu;
}
#endif

/* The end of the run of ASCII letters and digits (BC_ALNUM) from i, at
 * most e; the text t is readable up to (not including) readable. */
static inline size_t ascii_alnum_end(const uint8_t *t, size_t i, size_t e, size_t readable) {
#ifdef __SSE2__
    /* sixteen bytes at a time: the scan a byte at a time was the
     * tokenizer's largest line */
    while (i < e && i + 16 <= readable) {
        unsigned other = non_alnum16(t + i);
        if (other) {
            i += (size_t)__builtin_ctz(other);
            return i < e ? i : e;
        }
        i += 16;
    }
    if (i >= e)
        return e;
#else
    (void)readable;
#endif
    while (i < e && (byte_class[t[i]] & BC_ALNUM))
        i++;
    return i;
}

/* The end of the run of ASCII letters from i, at most e, when that is
 * below i + 16, else i + 16 or some position past it: for the fast paths,
 * which want words of sixteen letters or fewer (and test the byte at the
 * end: a word with a digit is the general path's), in one step of
 * sixteen bytes, not a loop; letters only, half the work of
 * non_alnum16(). */
static inline size_t short_letters_end(const uint8_t *t, size_t i, size_t e, size_t readable) {
    size_t end = i;
#ifdef __SSE2__
    if (i + 16 <= readable) {
        const __m128i case_bit = _mm_set1_epi8(0x20), a_bias = _mm_set1_epi8((char)(0x80 - 'a')),
                      letters = _mm_set1_epi8((char)(0x80 + 26));
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, case_bit), a_bias), letters);
        end = i + (size_t)__builtin_ctz(~(unsigned)_mm_movemask_epi8(letter) | 0x10000u);
        return end < e ? end : e;
    }
#else
    (void)readable;
#endif
    while (end < e && end < i + 16 && (unsigned)((t[end] | 0x20) - 'a') < 26)
        end++;
    return end;
}

/* Is a word (folded low[0..ll), its lexicon lists lex) an abbreviation
 * whose period does not end the sentence: an honorific, an initial, "St"? */
static bool is_abbrev(unsigned lex, const char *low, size_t ll, bool cap) {
    return abbrev_word(lex, low, ll) || (ll == 1 && cap);
}

/* The vocabulary slot of ASCII word w[0..n) (9 to 16 letters,
 * sixteen bytes readable), or NULL: known_short_word() in two registers,
 * the fold's second eight bytes compared with the entry's. Out of line:
 * the tokenizer's loop then needs no register for doc->words. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static word_slot *
find_word16(const quoth_doc *doc, const uint16_t *widx, size_t widx_cap, word_slot *vocab,
            const uint8_t *w, size_t n) {
    const uint64_t lower = 0x2020202020202020u;
    uint64_t v = load8(w) | lower, v2 = (load8(w + 8) | lower) & first_bytes[n - 8];
    uint32_t h = word_hash_finish((((WORD_HASH_SEED ^ v) * WORD_HASH_MUL) ^ v2) * WORD_HASH_MUL);
    size_t mask = widx_cap - 1;
    for (size_t k = h & mask; widx[k]; k = (k + 1) & mask) {
        size_t id = widx[k] - 1u;
        word_slot *sl = &vocab[id];
        if (sl->head == v && sl->len == n && load8(doc->words[id].fold + 8) == v2)
            return sl;
    }
    return NULL;
}

/* The vocabulary slot of the ASCII word at i (t[i] a letter; i + 16 <=
 * readable: the text's last bytes are the general path's) when it has
 * sixteen letters or fewer, ends at ASCII space or punctuation other
 * than ' and - (or at e) and is in the vocabulary; else NULL. *we: the
 * word's end when it has that shape, found or new (intern_fast_word()),
 * else i (the general path decides). A word of eight bytes or fewer
 * (nine in ten) is folded, hashed and found in one register. */
static inline word_slot *known_short_word(const quoth_doc *doc, const uint8_t *t, size_t i,
                                          size_t e, size_t readable, const uint16_t *widx,
                                          size_t widx_cap, word_slot *vocab, size_t *we) {
    size_t end = short_letters_end(t, i, e, readable);
    size_t ll = end - i; /* at least 1: t[i] is a letter */
    *we = i;
    if (ll > 16 || (end < e && (byte_class[t[end]] & (BC_ALNUM | BC_WORD_END)) != BC_WORD_END))
        return NULL; /* a letter past sixteen, a digit, ' or - */
    *we = end;
    if (ll > 8)
        return find_word16(doc, widx, widx_cap, vocab, t + i, ll);
    uint64_t v = (load8(t + i) | 0x2020202020202020u) & first_bytes[ll];
    uint32_t h = word_hash_finish((WORD_HASH_SEED ^ v) * WORD_HASH_MUL);
    return find_short_word(widx, widx_cap, vocab, v, ll, h);
}

/* A new word of the fast paths' shape, ASCII letters t[0..n) (n <= 16,
 * sixteen bytes readable), added to the vocabulary as the general path
 * would add it (folded and zero-padded, the same hash): its slot in
 * *slot (NULL past 65,535 words); false: out of memory. Out of line: a
 * word is new once. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool intern_fast_word(mctx *m, const uint8_t *t, size_t n, word_slot **slot) {
    const uint64_t lower = 0x2020202020202020u;
    union {
        char c[24]; /* WORD_PAD(16) */
        uint64_t align;
    } low = {{0}};
    uint64_t v = (load8(t) | lower) & first_bytes[n < 8 ? n : 8];
    memcpy(low.c, &v, 8);
    if (n > 8) {
        uint64_t v2 = (load8(t + 8) | lower) & first_bytes[n - 8];
        memcpy(low.c + 8, &v2, 8);
    }
    return intern_word_slot(m, low.c, n, v, word_hash(low.c, n), slot);
}

/* TOK_ALLCAPS or 0 for a capitalised ASCII word of letters and digits,
 * t[0..n) (n <= 16; eight bytes readable, sixteen when n > 8): all
 * capitals when no byte is a lower-case letter (0x61 or above: adding
 * 0x1F sets its high bit) and two bytes are letters (0x41 or above). The
 * general path's byte loop, in registers. */
static inline unsigned ascii_caps_flag(const uint8_t *t, size_t n) {
    const uint64_t highs = 0x8080808080808080u;
    uint64_t raw = load8(t) & first_bytes[n < 8 ? n : 8];
    uint64_t raw2 = n <= 8 ? 0 : load8(t + 8) & first_bytes[n - 8];
    uint64_t lower = ((raw + 0x1F1F1F1F1F1F1F1Fu) | (raw2 + 0x1F1F1F1F1F1F1F1Fu)) & highs;
    uint64_t letters = (raw + 0x3F3F3F3F3F3F3F3Fu) & highs,
             letters2 = (raw2 + 0x3F3F3F3F3F3F3F3Fu) & highs;
    return !lower && ((letters & (letters - 1)) || (letters && letters2)) ? TOK_ALLCAPS : 0;
}

/* "said Margaret s young man": does " s" follow a capitalised word that
 * ends at i (before e), an apostrophe a conversion lost? Read as
 * "Margaret's". */
static inline bool lost_apostrophe_s(const uint8_t *t, size_t i, size_t e) {
    return i + 1 < e && t[i] == ' ' && t[i + 1] == 's' &&
           (i + 2 >= e || (t[i + 2] < 0x80 && !(byte_class[t[i + 2]] & BC_ALNUM)));
}

/* The statistics and candidates of word token i, just pushed (sl: its
 * vocabulary slot, NULL without one; flags: its flags). */
static inline void note_word(tok_writer *w, size_t i, word_slot *sl, unsigned flags) {
    unsigned quoted = (flags & TOK_QUOTED) != 0;
    if (sl && !(flags & TOK_CAP)) {
        sl->lower++; /* gather_word_stats' count */
        /* the bit of sl->starts for where the word stands (find_mentions
         * passes over the rest). Without a branch: one word in ten is a
         * pronoun or "the", in no order a predictor finds, and the test
         * waited on the word's look-up */
        cand_bit(w, i, CAND_MENTION, sl->starts >> quoted & 1u);
        return;
    }
    /* capitalised or without an entry: gather_word_stats counts it as
     * sl->counted says, and find_mentions looks at it as sl->cap_starts
     * says (one without an entry, always), set without a branch as above */
    cand_bit(w, i, CAND_STATS, sl ? sl->counted : 1);
    cand_bit(w, i, CAND_MENTION, sl ? sl->cap_starts >> quoted & 1u : 1);
}

/* The first token at or after i with its m->cand bit k set, or SIZE_MAX. */
static size_t next_cand(const mctx *m, size_t i, size_t k) {
    size_t w = i / 64;
    if (w >= m->cand_words)
        return SIZE_MAX;
    uint64_t b = m->cand[w * 2 + k] & (~(uint64_t)0 << (i % 64));
    while (!b) {
        if (++w >= m->cand_words)
            return SIZE_MAX;
        b = m->cand[w * 2 + k];
    }
    return w * 64 + (size_t)__builtin_ctzll(b);
}

static bool tokenize(mctx *m) {
    quoth_doc *doc = m->doc;
    const uint8_t *t = (const uint8_t *)doc->text;
    /* one token per four bytes is typical prose; sizing once avoids copies */
    doc->tokens = arena_grow(&doc->mem, doc->tokens, &doc->cap_tok, doc->len / 4 + 16, sizeof *doc->tokens);
    if (!doc->tokens || !cand_cover(m, doc->cap_tok))
        return false;
    size_t qi = 0, si = 0; /* cursor over quote spans, in text order */
    /* the quotation at the cursor (index + 1, 0 none) holds for positions
     * before qbound: the cursor moves only at or past it */
    uint32_t qcur = 0;
    uint16_t qflag = 0; /* TOK_QUOTED when qcur is not 0 */
    size_t qbound = 0;
    union {
        char c[FOLD_MAX + 8];
        uint64_t align;
    } lowbuf;
    char *low = lowbuf.c;
    tok_writer out;
    tok_writer_load(&out, m);
    /* the words in narration: the tokens of the runs outside quotations
     * (counted where the quotation changes, not at each token) less the
     * punctuation among them */
    size_t narration_tokens = 0, narration_punct = 0, run_first = 0;
    const size_t readable = doc->len + 1; /* the text and its NUL */
    /* the vocabulary's index, in locals as the token table's end is
     * (made now: a look-up need not ask whether it has slots) */
    if (!m->word_index_cap && !grow_word_index(m))
        return false;
    const uint16_t *widx = m->word_index;
    size_t widx_cap = m->word_index_cap;
    word_slot *vocab = m->vocab;
    for (size_t p = 0; p < doc->npara; p++) {
        paragraph *para = &doc->paras[p];
        para->first_token = (uint32_t)out.n;
        para->has_quote = false;
        if (para->kind != QUOTH_PARA_STORY)
            continue;
        uint32_t quoted = 0; /* nonzero once a token lies in a quotation */
        /* the first token's quotation is looked up (quoted, below) */
        qbound = 0;
        size_t e = para->span.end;
        /* TOK_SENT_START while the next word starts a sentence, else 0
         * (a flag to or in, not a test at each word) */
        uint16_t sent_start = TOK_SENT_START;
        /* an abbreviation's period does not end the sentence: is the last
         * word one? Decided at a period, from the vocabulary slot of the
         * token before (the words pass on nothing: most are followed by
         * no period), or else as the token before left it: a word without
         * a slot says, other punctuation clears it, a period keeps it */
        bool prev_abbrev = false;
        for (size_t i = para->span.start; i < e;) {
            size_t l;
            int32_t c;
            unsigned cls = 0; /* byte_class[c] for ASCII c */
            if (t[i] < 0x80) {
                cls = byte_class[t[i]];
                if (cls & BC_SPACE) {
                    i++;
                    continue;
                }
                c = t[i];
                l = 1;
            } else {
                c = utf8_decode_nonascii(t + i, e - i, &l);
                if (uc_is_space_nonascii(c)) {
                    i += l;
                    continue;
                }
            }
            /* which quotation (if any) covers position i; it changes only
             * here, and a token in another quotation than the token before
             * (in this paragraph: sent_start is set at its start) starts
             * a sentence */
            if (i >= qbound) {
                uint32_t was = qcur;
                while (qi < doc->nquote) {
                    const quote *qq = &doc->quotes[qi];
                    if (si >= qq->nspans) {
                        qi++;
                        si = 0;
                        continue;
                    }
                    if (qq->spans[si].end <= i) {
                        si++;
                        continue;
                    }
                    break;
                }
                if (qi >= doc->nquote) {
                    qcur = 0;
                    qbound = SIZE_MAX;
                } else if (doc->quotes[qi].spans[si].start <= i) {
                    qcur = (uint32_t)qi + 1;
                    qbound = doc->quotes[qi].spans[si].end;
                } else {
                    qcur = 0;
                    qbound = doc->quotes[qi].spans[si].start;
                }
                qflag = qcur ? TOK_QUOTED : 0;
                /* a token starts at i (every path below pushes one), the
                 * first of a run in quotation qcur */
                quoted |= qcur;
                if (!was)
                    narration_tokens += out.n - run_first;
                run_first = out.n;
                if (qcur && qcur != was)
                    sent_start = TOK_SENT_START;
                if (qcur && qcur != m->last_quoted)
                    out.lim = 0; /* its first token starts a run */
            }
            uint32_t qidx = qcur;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* Most tokens: an ASCII word of sixteen letters or fewer,
             * ending at ASCII space or punctuation other than ' and -. It
             * takes the general path below in short: no apostrophe, one
             * register for its folded bytes, two past eight, and a new
             * word added here (intern_fast_word), not found again by the
             * general path. A word in lower case, then a capitalised one
             * (a tenth of the words: the general path cost them twice as
             * much), each with its own flags fixed, not tested. The two
             * blocks are alike on purpose: one tail shared by both cost
             * every lower-case word about ten instructions (856.4 M to
             * 858.9 M over the dev texts, callgrind). */
            if ((cls & BC_LOWER) && i + 16 <= readable) {
                size_t we;
                word_slot *slot =
                    known_short_word(doc, t, i, e, readable, widx, widx_cap, vocab, &we);
                if (!slot && we > i) {
                    if (!intern_fast_word(m, t + i, we - i, &slot))
                        return false;
                    widx = m->word_index; /* it may have grown */
                    widx_cap = m->word_index_cap;
                    vocab = m->vocab;
                }
                if (slot) {
                    uint16_t flags = TOK_WORD | sent_start | qflag;
                    uint32_t id = (uint32_t)(slot - vocab);
                    if (!push_token(&out, m, i, we, flags, qidx, id))
                        return false;
                    note_word(&out, out.n - 1, slot, flags);
                    sent_start = 0;
                    i = we;
                    if (i < e && t[i] == ' ')
                        i++;
                    continue;
                }
            } else if ((cls & BC_UPPER) && i + 16 <= readable) {
                size_t we;
                word_slot *slot =
                    known_short_word(doc, t, i, e, readable, widx, widx_cap, vocab, &we);
                if (!slot && we > i) {
                    if (!intern_fast_word(m, t + i, we - i, &slot))
                        return false;
                    widx = m->word_index;
                    widx_cap = m->word_index_cap;
                    vocab = m->vocab;
                }
                if (slot) {
                    uint16_t flags = TOK_WORD | TOK_CAP | sent_start | qflag;
                    flags |= ascii_caps_flag(t + i, we - i);
                    uint32_t id = (uint32_t)(slot - vocab);
                    size_t next = we;
                    if (lost_apostrophe_s(t, we, e)) {
                        flags |= TOK_POSS;
                        next = we + 2;
                    }
                    if (!push_token(&out, m, i, we, flags, qidx, id))
                        return false;
                    note_word(&out, out.n - 1, slot, flags); /* capitalised: no count */
                    sent_start = 0;
                    i = next;
                    if (i < e && t[i] == ' ')
                        i++;
                    continue;
                }
            }
#endif
            if (c < 0x80 ? (cls & BC_ALNUM) : word_char(c)) {
                size_t s = i;
                i += l;
                size_t first_na = c < 0x80 ? SIZE_MAX : s; /* the first non-ASCII byte */
                /* most words: ASCII letters and digits, then ASCII white
                 * space or punctuation (not ' or -) */
                i = ascii_alnum_end(t, i, e, readable);
                bool simple = c < 0x80 && (i >= e || (byte_class[t[i]] & BC_WORD_END));
                while (!simple && i < e) {
                    /* ASCII letters and digits, the bulk of every word */
                    i = ascii_alnum_end(t, i, e, readable);
                    if (i >= e || (byte_class[t[i]] & BC_WORD_END))
                        break;
                    int32_t d = utf8_decode(t + i, e - i, &l);
                    if (word_char(d) || (d >= 0x300 && d <= 0x36F)) {
                        if (d >= 0x80 && first_na == SIZE_MAX)
                            first_na = i;
                        i += l;
                        continue;
                    }
                    if (d == '\'' || d == 0x2019 || d == '-') {
                        size_t l2;
                        int32_t nx = i + l < e ? utf8_decode(t + i + l, e - i - l, &l2) : -1;
                        if (nx >= 0 && uc_is_letter(nx)) {
                            if (d >= 0x80 && first_na == SIZE_MAX)
                                first_na = i;
                            i += l;
                            continue;
                        }
                    }
                    break;
                }
                uint16_t flags = TOK_WORD | qflag;
                size_t we = i;
                /* possessive 's / ’s (a simple word has no apostrophe) */
                if (simple) {
                    /* letters and digits only */
                } else if (we - s > 2 && t[we - 1] == 's' && t[we - 2] == '\'') {
                    we -= 2;
                    flags |= TOK_POSS;
                } else if (we - s > 4 && t[we - 1] == 's' && t[we - 2] == 0x99 && t[we - 3] == 0x80 &&
                           t[we - 4] == 0xE2) {
                    we -= 4;
                    flags |= TOK_POSS;
                }
                bool ascii = first_na >= we; /* every byte of the word proper */
                if (ascii ? (cls & BC_UPPER) /* t[s] is c */
                          : uc_is_upper(utf8_decode(t + s, we - s, &l))) {
                    flags |= TOK_CAP;
                    /* all capitals: no lower-case letter (the scan stops at
                     * the first, usually the second byte) and two letters */
                    bool all = true;
                    size_t letters = 0;
                    if (ascii) { /* the same, a byte a letter */
                        for (size_t k = s; k < we && all; k++) {
                            unsigned b = t[k];
                            all = !(b >= 'a' && b <= 'z');
                            letters += (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
                        }
                    } else {
                        for (size_t k = s; k < we && all;) {
                            size_t lk;
                            int32_t ck = utf8_decode(t + k, we - k, &lk);
                            if (uc_is_lower(ck))
                                all = false;
                            if (uc_is_letter(ck))
                                letters++;
                            k += lk;
                        }
                    }
                    if (all && letters > 1)
                        flags |= TOK_ALLCAPS;
                }
                /* a possessive whose apostrophe a conversion lost */
                if ((flags & (TOK_CAP | TOK_POSS)) == TOK_CAP && lost_apostrophe_s(t, i, e)) {
                    flags |= TOK_POSS;
                    i += 2;
                }
                flags |= sent_start;
                sent_start = 0;
                size_t ll;
                word_slot *slot;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                bool short_word = ascii && we - s <= 8 && s + 8 <= readable;
#else
                bool short_word = false; /* the register below holds the bytes little-endian */
#endif
                if (short_word) {
                    /* most words: eight ASCII bytes or fewer, folded, hashed
                     * and looked up in one register (fold_ascii_word,
                     * word_hash and intern_word_slot in short) */
                    ll = we - s;
                    /* the bytes past ll zero */
                    uint64_t v = (load8(t + s) | 0x2020202020202020u) & first_bytes[ll];
                    uint32_t h = word_hash_finish((WORD_HASH_SEED ^ v) * WORD_HASH_MUL);
                    slot = find_short_word(widx, widx_cap, vocab, v, ll, h);
                    /* low is written only when needed, for a new word or one
                     * without an entry (is_abbrev below): a store to a char
                     * buffer makes the compiler read every field again */
                    if (!slot) {
                        memcpy(low, &v, 8);
                        memset(low + 8, 0, 8); /* the padding of an 8-byte word */
                        if (!intern_word_slot(m, low, ll, v, h, &slot))
                            return false;
                        widx = m->word_index; /* it may have grown */
                        widx_cap = m->word_index_cap;
                        vocab = m->vocab;
                    }
                } else {
                    if (ascii && we - s < FOLD_MAX) {
                        ll = fold_ascii_word(doc, s, we, low);
                    } else {
                        ll = utf8_fold((const char *)t + s, we - s, low, FOLD_MAX);
                        memset(low + ll, 0, 8);
                    }
                    if (!intern_word_slot(m, low, ll, load8(low), word_hash(low, ll), &slot))
                        return false;
                    widx = m->word_index;
                    widx_cap = m->word_index_cap;
                    vocab = m->vocab;
                }
                uint32_t id = slot ? (uint32_t)(slot - vocab) : TOK_NO_WORD;
                if (!push_token(&out, m, s, we, flags, qidx, id))
                    return false;
                note_word(&out, out.n - 1, slot, flags);
                if (!slot) /* no vocabulary id: said now, not at a period */
                    prev_abbrev = is_abbrev(lexicon_mask(low, ll), low, ll, flags & TOK_CAP);
                if (i < e && t[i] == ' ')
                    i++; /* the usual space after a word, without the loop's tests */
                continue;
            }
            /* punctuation: one code point per token */
            if (!push_token(&out, m, i, i + l, TOK_PUNCT | qflag, qidx, TOK_NO_WORD))
                return false;
            narration_punct += !qidx;
            if (c == '.' && out.n - 1 > para->first_token && out.tokens[out.n - 2].word != TOK_NO_WORD) {
                /* is_abbrev() of the word before, from its slot */
                const token *w = &out.tokens[out.n - 2];
                const word_slot *ws = &vocab[w->word];
                prev_abbrev = ws->abbrev || (ws->len == 1 && (w->flags & TOK_CAP));
            }
            if ((c == '.' && !prev_abbrev) || c == '!' || c == '?' || c == 0x2026)
                sent_start = TOK_SENT_START;
            if (c != '.')
                prev_abbrev = false;
            i += l;
            if (i < e && t[i] == ' ')
                i++; /* as after a word */
        }
        para->token_count = (uint32_t)(out.n - para->first_token);
        para->has_quote = quoted != 0;
    }
    doc->ntok = out.n;
    if (!qcur)
        narration_tokens += out.n - run_first;
    doc->narration_words = narration_tokens - narration_punct;
    /* the lower-case counts, by word id, for gather_word_stats */
    m->lower = calloc(doc->nword ? doc->nword : 1, sizeof *m->lower);
    if (!m->lower)
        return false;
    for (size_t k = 0; k < doc->nword; k++)
        m->lower[k] = m->vocab[k].lower;
    return true;
}

/* ---- word statistics: is a capitalised word a name here? ------------------- */

/* Fan fiction is often told in the present: "Ron snorts.", "Hermione
 * doesn't look up."; and any story opens sentences with "Draco was" or
 * "Ann had". A third-person verb in -s (not -ss, -us, -is: the caller also
 * needs the word capitalised at a sentence start and never in lower case)
 * or a word of data/clause_verbs.txt. */
static bool present_tense_verb(const char *w, size_t n, unsigned lex) {
    if (lex >> LEX_CLAUSE_VERB & 1u)
        return true;
    return n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i';
}

static bool gather_word_stats(mctx *m) {
    quoth_doc *doc = m->doc;
    m->stats = calloc(doc->nword ? doc->nword : 1, sizeof *m->stats);
    if (!m->stats)
        return false;
    for (size_t w = 0; w < doc->nword; w++)
        m->stats[w].aux = m->lower[w]; /* note_word's lower-case counts */
    free(m->lower);
    m->lower = NULL;
    /* the tokens note_word() did not settle: capitalised (those whose
     * counts name_word() reads) or without an entry (the rest are
     * lower-case words, counted already: the !cap case below) */
    for (size_t i = next_cand(m, 0, CAND_STATS); i < doc->ntok; i = next_cand(m, i + 1, CAND_STATS)) {
        const token *t = &doc->tokens[i];
        if (!(t->flags & TOK_WORD) || (t->flags & TOK_ALLCAPS))
            continue;
        bool cap = t->flags & TOK_CAP;
        bool mid = cap && !(t->flags & TOK_SENT_START);
        bool after_hon = false;
        if (cap && i >= 1) {
            size_t j = i - 1;
            if (tok_punct_is(doc, &doc->tokens[j], '.') && j >= 1)
                j--;
            const token *h = &doc->tokens[j];
            if (h->flags & TOK_WORD) { /* before t: tokens never overlap */
                char hb[FOLD_MAX];
                size_t hn;
                const char *hl = tok_word(doc, h, hb, &hn);
                after_hon = tok_has(doc, h, hl, hn, LEX_HONORIFIC);
            }
        }
        /* a sentence that opens with a capitalised word and a past-tense
         * or speech verb ("Ann asked.", "Tom sighed.") names someone, as
         * long as the word is not also used in lower case */
        bool opens_clause = false;
        if (cap && !mid && !after_hon && !(t->flags & TOK_POSS) && i + 1 < doc->ntok) {
            const token *nx = &doc->tokens[i + 1];
            if ((nx->flags & TOK_WORD) && !(nx->flags & TOK_CAP) &&
                token_same_quote(doc, i + 1, i)) {
                char nb[FOLD_MAX];
                size_t nn;
                const char *nl = tok_word(doc, nx, nb, &nn);
                unsigned lex = tok_lex(doc, nx, nl, nn);
                opens_clause = (lex >> LEX_SPEECH_VERB & 1u) ||
                               (nn > 3 && nl[nn - 2] == 'e' && nl[nn - 1] == 'd') ||
                               present_tense_verb(nl, nn, lex);
            }
        }
        if (!cap || mid || after_hon || opens_clause) {
            size_t *value, *aux;
            if (t->word != TOK_NO_WORD) {
                value = &m->stats[t->word].value;
                aux = &m->stats[t->word].aux;
            } else {
                char low_buf[FOLD_MAX];
                size_t ll;
                const char *low = tok_word(doc, t, low_buf, &ll);
                if (!m->words.slots && !strmap_init(&m->words, &doc->mem, 64))
                    return false;
                strmap_slot *s = strmap_put(&m->words, low, ll, NULL);
                if (!s)
                    return false;
                value = &s->value;
                aux = &s->aux;
            }
            /* "the Mouse" mid-sentence: capitalised against the grammar, a
             * personified name (Alice's "the Mouse" beside "a mouse") */
            bool after_the = mid && i >= 1 && (doc->tokens[i - 1].flags & TOK_WORD) &&
                             tok_is(doc, &doc->tokens[i - 1], "the");
            if (cap)
                *value += after_hon ? 4 : after_the ? 3 : 1;
            else
                (*aux)++;
        }
    }
    return true;
}

static bool tok_is_pronoun(const quoth_doc *doc, const token *t, const char *low, size_t n);

/* Is token i a common given name ("Lois", "Jane"; data/first_names.txt)? */
static bool given_name_at(const quoth_doc *doc, size_t i) {
    unsigned lex = token_lex(doc, i);
    return (lex >> LEX_FIRST_NAME_MALE & 1u) || (lex >> LEX_FIRST_NAME_FEMALE & 1u);
}

/* name_word() of a capitalised word. */
static bool name_word_calc(const mctx *m, const token *t) {
    const quoth_doc *doc = m->doc;
    char scratch[FOLD_MAX];
    size_t ll;
    const char *low = tok_word(doc, t, scratch, &ll);
    unsigned lex = tok_lex(doc, t, low, ll);
    if (ll < 2 || (lex >> LEX_NOT_NAME & 1u) || tok_is_pronoun(doc, t, low, ll))
        return false;
    if (uc_is_digit((unsigned char)low[0]))
        return false;
    size_t value = 0, aux = 0;
    if (t->word != TOK_NO_WORD) {
        value = m->stats[t->word].value;
        aux = m->stats[t->word].aux;
    } else {
        strmap_slot *s = strmap_get(&m->words, low, ll);
        if (s) {
            value = s->value;
            aux = s->aux;
        }
    }
    /* a common given name the text never writes in lower case ("Ann and
     * Ben reached the gate") is a name even at the start of a sentence */
    if (aux == 0 && ((lex >> LEX_FIRST_NAME_MALE & 1u) || (lex >> LEX_FIRST_NAME_FEMALE & 1u)))
        return true;
    if (value == 0)
        return false;
    return aux * 3 <= value;
}

/* A capitalised token that may be (part of) a name. A word with a
 * vocabulary entry gets the same answer each time (its lists and counts
 * are final here): kept once found (a name is asked about at each of its
 * mentions and the words around them). */
static bool name_word(mctx *m, const token *t) {
    if (!(t->flags & TOK_WORD) || !(t->flags & TOK_CAP))
        return false;
    if (t->word == TOK_NO_WORD)
        return name_word_calc(m, t);
    uint8_t *known = &m->name_words[t->word];
    if (!*known)
        *known = name_word_calc(m, t) ? 2 : 1;
    return *known == 2;
}

/* ---- pronouns ---------------------------------------------------------------- */

typedef struct {
    const char *w;
    quoth_gender g;
    pronoun_case c;
    bool first;
} pron_def;

/* By length: those of n letters are [pronoun_at[n], pronoun_at[n + 1]),
 * so a word is compared with the few of its length (every new word of
 * the vocabulary is asked). */
static const pron_def pronouns[] = {
    {"i", QUOTH_GENDER_UNKNOWN, PRON_NOM, true}, /* 1 */
    {"he", QUOTH_GENDER_MALE, PRON_NOM, false}, /* 2 */
    {"it", QUOTH_GENDER_NEUTER, PRON_NOM, false},
    {"me", QUOTH_GENDER_UNKNOWN, PRON_ACC, true},
    {"my", QUOTH_GENDER_UNKNOWN, PRON_POSS, true},
    {"him", QUOTH_GENDER_MALE, PRON_ACC, false}, /* 3 */
    {"his", QUOTH_GENDER_MALE, PRON_POSS, false},
    {"she", QUOTH_GENDER_FEMALE, PRON_NOM, false},
    {"her", QUOTH_GENDER_FEMALE, PRON_POSS, false},
    {"its", QUOTH_GENDER_NEUTER, PRON_POSS, false},
    {"hers", QUOTH_GENDER_FEMALE, PRON_POSS, false}, /* 4 */
    {"they", QUOTH_GENDER_PLURAL, PRON_NOM, false},
    {"them", QUOTH_GENDER_PLURAL, PRON_ACC, false},
    {"their", QUOTH_GENDER_PLURAL, PRON_POSS, false}, /* 5 */
    {"itself", QUOTH_GENDER_NEUTER, PRON_ACC, false}, /* 6 */
    {"myself", QUOTH_GENDER_UNKNOWN, PRON_ACC, true},
    {"himself", QUOTH_GENDER_MALE, PRON_ACC, false}, /* 7 */
    {"herself", QUOTH_GENDER_FEMALE, PRON_ACC, false},
};
#define PRONOUN_MAX 7
static const uint8_t pronoun_at[PRONOUN_MAX + 2] = {0, 0, 1, 5, 10, 13, 14, 16, 18};
_Static_assert(sizeof pronouns / sizeof *pronouns == 18, "pronoun_at counts eighteen");

static const pron_def *find_pronoun(const char *w, size_t n) {
    if (n > PRONOUN_MAX)
        return NULL;
    for (size_t i = pronoun_at[n]; i < pronoun_at[n + 1]; i++)
        if (lit_is(pronouns[i].w, w, n))
            return &pronouns[i];
    return NULL;
}

static uint8_t pronoun_number(const char *w, size_t n) {
    const pron_def *pd = find_pronoun(w, n);
    return pd ? (uint8_t)(pd - pronouns + 1) : 0;
}

/* The pronoun a token is (low[0..n): its folded form), or NULL. */
static const pron_def *tok_pronoun(const quoth_doc *doc, const token *t, const char *low, size_t n) {
    if (t->word == TOK_NO_WORD)
        return find_pronoun(low, n);
    uint8_t k = doc->words[t->word].pronoun;
    return k ? &pronouns[k - 1] : NULL;
}

static bool tok_is_pronoun(const quoth_doc *doc, const token *t, const char *low, size_t n) {
    return tok_pronoun(doc, t, low, n) != NULL;
}

/* ---- mentions ---------------------------------------------------------------- */

/* The words after which a clause starts, by length: those of n letters
 * are [conjunction_at[n], conjunction_at[n + 1]), so a word is compared
 * with the few of its length, not all thirty (a subject's check asks it
 * of the word before each name). */
static const char *const conjunctions[] = {
    "as",       "so",       "if",        "or",                                    /* 2 */
    "and",      "but",      "yet",       "now",                                   /* 3 */
    "then",     "when",     "once",      "that",    "thus",   "soon",             /* 4 */
    "while",    "until",    "after",     "where",   "still",                      /* 5 */
    "before",   "though",                                                         /* 6 */
    "because",  "finally",  "instead",   "perhaps",                               /* 7 */
    "although", "suddenly",                                                       /* 8 */
    "presently", "meanwhile",                                                     /* 9 */
    "afterwards"};                                                                /* 10 */
#define CONJUNCTION_MAX 10
static const uint8_t conjunction_at[CONJUNCTION_MAX + 2] = {0, 0, 0, 4, 8, 14, 19, 21, 25, 27, 29, 30};
_Static_assert(sizeof conjunctions / sizeof *conjunctions == 30, "conjunction_at counts thirty");

/* Is the folded word w[0..n) one of conjunctions[]? */
static bool is_conjunction(const char *w, size_t n) {
    if (n > CONJUNCTION_MAX)
        return false;
    for (size_t k = conjunction_at[n]; k < conjunction_at[n + 1]; k++)
        if (lit_is(conjunctions[k], w, n))
            return true;
    return false;
}

/* Is token i - 1 the end of "at last", "at length", "at once", "at first"
 * (an adverb before a subject, not a preposition's object)? */
static bool at_adverb_before(const quoth_doc *doc, size_t first_tok, size_t i) {
    static const char *const ws[] = {"last", "length", "once", "first"};
    if (i < first_tok + 2 || !(doc->tokens[i - 1].flags & TOK_WORD) || !(doc->tokens[i - 2].flags & TOK_WORD))
        return false;
    char low_buf[FOLD_MAX];
    size_t n;
    const char *low = tok_word(doc, &doc->tokens[i - 2], low_buf, &n);
    if (!lit_is("at", low, n))
        return false;
    low = tok_word(doc, &doc->tokens[i - 1], low_buf, &n);
    for (size_t k = 0; k < sizeof ws / sizeof *ws; k++)
        if (lit_is(ws[k], low, n))
            return true;
    return false;
}

/* Is the token before index i a clause boundary (so a mention at i is the
 * subject of its clause)? */
static bool clause_start_before(const quoth_doc *doc, size_t first_tok, size_t i) {
    if (i <= first_tok)
        return true;
    const token *p = &doc->tokens[i - 1];
    if (!token_same_quote(doc, i - 1, i))
        return true;
    if (p->flags & TOK_PUNCT)
        return true;
    char low_buf[FOLD_MAX];
    size_t n;
    const char *low = tok_word(doc, p, low_buf, &n);
    if (is_conjunction(low, n))
        return true;
    if (at_adverb_before(doc, first_tok, i))
        return true; /* "At last Miss Bartlett rose" */
    /* "Suddenly Lex was", "Slowly, he" */
    if (n > 3 && low[n - 2] == 'l' && low[n - 1] == 'y' && (p->flags & TOK_SENT_START))
        return true;
    return false;
}

/* The subordinating conjunctions, by length as conjunctions[] are: those
 * of n letters are [subordinator_at[n], subordinator_at[n + 1]) (asked
 * of the word before each subject). */
static const char *const subordinators[] = {
    "as",      "if",                                  /* 2 */
    "when",    "once",     "that",                    /* 4 */
    "while",   "until",    "after", "since", "where", /* 5 */
    "though",  "before",   "unless",                  /* 6 */
    "because", "whereas",                             /* 7 */
    "although", "whenever"};                          /* 8 */
#define SUBORDINATOR_MAX 8
static const uint8_t subordinator_at[SUBORDINATOR_MAX + 2] = {0, 0, 0, 2, 2, 5, 10, 13, 15, 17};
_Static_assert(sizeof subordinators / sizeof *subordinators == 17,
               "subordinator_at counts seventeen");

/* Is the word before index i a subordinating conjunction ("while Lex
 * waited")? Its clause's subject is not the sentence's main subject. */
static bool subordinate_before(const quoth_doc *doc, size_t first_tok, size_t i) {
    if (i <= first_tok || !(doc->tokens[i - 1].flags & TOK_WORD))
        return false;
    char low_buf[FOLD_MAX];
    size_t n;
    const char *low = tok_word(doc, &doc->tokens[i - 1], low_buf, &n);
    if (n > SUBORDINATOR_MAX)
        return false;
    for (size_t k = subordinator_at[n]; k < subordinator_at[n + 1]; k++)
        if (lit_is(subordinators[k], low, n))
            return !at_adverb_before(doc, first_tok, i); /* asked of the few found only */
    return false;
}

/* Is token j, before e, a speech verb ("as soon as they were gone Mr.
 * Collins began"): the name before it is its subject, comma or none? */
static bool speech_verb_after(const quoth_doc *doc, size_t j, size_t e) {
    return j < e && !(doc->tokens[j].flags & TOK_QUOTED) && token_is_speech_verb(doc, j);
}

static bool add_mention(quoth_doc *doc, mention *m) {
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->mentions, doc->nment, doc->cap_ment, ok);
    if (!ok)
        return false;
    doc->mentions[doc->nment - 1] = *m;
    return true;
}

/* Builds the folded key of tokens [a, b) into key: words joined by single
 * spaces, periods dropped ("Mr. Bennet" -> "mr bennet"). */
static size_t key_into(const quoth_doc *doc, size_t a, size_t b, char *key, size_t cap) {
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        const token *t = &doc->tokens[i];
        if (!(t->flags & TOK_WORD))
            continue;
        char low_buf[FOLD_MAX];
        size_t ll;
        const char *low = tok_word(doc, t, low_buf, &ll);
        if (n + ll + 2 >= cap)
            break;
        if (n)
            key[n++] = ' ';
        memcpy(key + n, low, ll);
        n += ll;
    }
    key[n] = '\0';
    return n;
}

/* The doc->keys index of the key of tokens [a, b), added when new; 0 when
 * out of memory. A novel has a few hundred keys for thousands of names:
 * one copy each. */
static uint32_t make_key(mctx *m, size_t a, size_t b) {
    quoth_doc *doc = m->doc;
    /* a key of one word (most names: "Elizabeth") is its fold: found once
     * for the word, not built and hashed again for each of its mentions */
    uint32_t *by_word = NULL;
    if (b == a + 1 && (doc->tokens[a].flags & TOK_WORD) && doc->tokens[a].word != TOK_NO_WORD) {
        by_word = &m->word_key[doc->tokens[a].word];
        if (*by_word)
            return *by_word - 1u;
    }
    char key[512];
    size_t n = key_into(doc, a, b, key, sizeof key);
    bool created;
    strmap_slot *s = strmap_put(&m->key_index, key, n, &created);
    if (!s)
        return 0;
    if (created) {
        bool ok = doc->nkey < UINT32_MAX;
        const char *copy = ok ? arena_strndup(&doc->mem, key, n) : NULL;
        if (copy)
            ARENA_PUSH(&doc->mem, doc->keys, doc->nkey, doc->cap_key, ok);
        if (!copy || !ok)
            return 0;
        doc->keys[doc->nkey - 1] = copy;
        s->value = doc->nkey - 1;
    }
    if (by_word)
        *by_word = (uint32_t)s->value + 1u; /* nkey < UINT32_MAX */
    return (uint32_t)s->value;
}

/* After a possessive pronoun at token i: the index of a kin or person
 * noun within two lower-case words ("his wife", "her old nurse"), else 0. */
static size_t relation_noun_after(const quoth_doc *doc, size_t i, size_t end) {
    char low_buf[FOLD_MAX];
    for (size_t k = i + 1; k < end && k <= i + 2; k++) {
        const token *w = &doc->tokens[k];
        if (!(w->flags & TOK_WORD) || (w->flags & TOK_CAP) || (w->flags & TOK_QUOTED))
            return 0;
        size_t n;
        const char *low = tok_word(doc, w, low_buf, &n);
        if (tok_has(doc, w, low, n, LEX_PERSON_NOUN_MALE) || tok_has(doc, w, low, n, LEX_PERSON_NOUN_FEMALE))
            return k;
        if (w->flags & TOK_POSS)
            return 0;
    }
    return 0;
}

bool token_is_quote_mark(const quoth_doc *doc, size_t i) {
    const token *t = &doc->tokens[i];
    if (!(t->flags & TOK_PUNCT))
        return false;
    size_t l;
    int32_t c = utf8_decode((const uint8_t *)doc->text + token_start(doc, t), t->len,
                            &l); /* punctuation: never TOK_LONG */
    return c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0xAB ||
           c == 0xBB;
}

/* Titles that stand alone for their bearer after "the" ("the Professor"),
 * unlike "Mr." or "Miss", which never do. */
bool title_alone(const char *w, size_t n) {
    static const char *const ts[] = {"professor", "doctor", "captain", "colonel", "major", "general", "admiral",
                                      "commander", "lieutenant", "sergeant", "inspector", "detective", "judge",
                                      "duke", "duchess", "countess", "baron", "baroness", "earl", "marquis",
                                      "reverend", "count", "king", "queen", "prince", "princess", "emperor", "empress"};
    for (size_t k = 0; k < sizeof ts / sizeof *ts; k++)
        if (lit_is(ts[k], w, n))
            return true;
    return false;
}

/* Titles of address that stand alone for their bearer with no article:
 * "said Mademoiselle", "Monsieur was out". */
bool title_bare(const char *w, size_t n) {
    static const char *const ts[] = {"mademoiselle", "madame", "monsieur", "signor", "signora", "signorina", "herr", "frau"};
    for (size_t k = 0; k < sizeof ts / sizeof *ts; k++)
        if (lit_is(ts[k], w, n))
            return true;
    return false;
}

static bool particle(const char *w, size_t n) {
    static const char *const ps[] = {"de", "van", "von", "du", "der", "la", "le", "di", "da", "del", "della", "ter", "ten", "st"};
    for (size_t k = 0; k < sizeof ps / sizeof *ps; k++)
        if (lit_is(ps[k], w, n))
            return true;
    return false;
}

/* Tries a cast alias at token i (longest match first). Returns tokens used. */
static size_t match_cast_at(mctx *m, size_t i, size_t end, size_t *who);

/* The gender a title's lexicon bits give ("Mr.": he, "Miss": she; "Dr.":
 * unknown). */
static quoth_gender title_gender(unsigned lex) {
    return (lex >> LEX_HONORIFIC_MALE & 1u)     ? QUOTH_GENDER_MALE
           : (lex >> LEX_HONORIFIC_FEMALE & 1u) ? QUOTH_GENDER_FEMALE
                                                : QUOTH_GENDER_UNKNOWN;
}

/* The cast name at token i: its token count, 0 when none; *who its entry. */
static size_t match_cast(mctx *m, size_t i, size_t end, size_t *who) {
    if (!m->cast_alias.slots)
        return 0;
    size_t n = match_cast_at(m, i, end, who);
    if (n)
        return n;
    /* "the March Hare" for the cast's "March Hare": the article and the
     * name (a cast name with its article was tried first) */
    const quoth_doc *doc = m->doc;
    if (i + 1 < end && (tok_is(doc, &doc->tokens[i], "the") || tok_is(doc, &doc->tokens[i], "a")) &&
        (doc->tokens[i + 1].flags & TOK_CAP) && token_same_quote(doc, i, i + 1)) {
        n = match_cast_at(m, i + 1, end, who);
        if (n)
            return n + 1;
    }
    /* "Mr. Davis" for the cast's "Beachfield Davis": a title before a cast
     * name without one, when the title's gender is not the entry's other */
    if (i + 1 < end && (doc->tokens[i].flags & TOK_CAP) && token_same_quote(doc, i, i + 1)) {
        char hb[FOLD_MAX];
        size_t hn;
        const char *hl = tok_word(doc, &doc->tokens[i], hb, &hn);
        unsigned lex = tok_lex(doc, &doc->tokens[i], hl, hn);
        if (lex >> LEX_HONORIFIC & 1u) {
            size_t k = i + 1;
            if (k + 1 < end && tok_punct_is(doc, &doc->tokens[k], '.'))
                k++;
            n = (doc->tokens[k].flags & TOK_CAP) ? match_cast_at(m, k, end, who) : 0;
            quoth_gender tg = title_gender(lex);
            /* *who is QUOTH_NONE for a name part two entries share */
            quoth_gender cg = n && *who < doc->opts.cast->count ? doc->opts.cast->entries[*who].gender
                                                                : QUOTH_GENDER_UNKNOWN;
            bool clash = tg != QUOTH_GENDER_UNKNOWN && (cg == QUOTH_GENDER_MALE || cg == QUOTH_GENDER_FEMALE) &&
                         tg != cg;
            if (n && !clash)
                return n + (k - i);
        }
    }
    return 0;
}

static size_t match_cast_at(mctx *m, size_t i, size_t end, size_t *who) {
    quoth_doc *doc = m->doc;
    if (!m->cast_alias.slots)
        return 0;
    size_t maxn = m->cast_max_tokens;
    for (size_t n = maxn; n >= 1; n--) {
        /* collect n word tokens starting at i (periods between are skipped) */
        size_t j = i, words = 0;
        while (j < end && words < n) {
            const token *t = &doc->tokens[j];
            if (!token_same_quote(doc, j, i))
                break;
            if (t->flags & TOK_WORD) {
                words++;
                j++;
                if (t->flags & TOK_POSS)
                    break;
                continue;
            }
            if (tok_punct_is(doc, t, '.') && words > 0 && j + 1 < end && (doc->tokens[j + 1].flags & TOK_WORD)) {
                j++;
                continue;
            }
            break;
        }
        if (words != n)
            continue;
        char key[512];
        size_t kn = key_into(doc, i, j, key, sizeof key);
        strmap_slot *s = strmap_get(&m->cast_alias, key, kn);
        if (s && s->aux && !(doc->tokens[i].flags & TOK_CAP))
            s = NULL; /* "Will" the name is not "will" the verb */
        if (s) {
            *who = s->value - 1;
            return j - i;
        }
    }
    return 0;
}

static bool find_mentions(mctx *m) {
    quoth_doc *doc = m->doc;
    char lowbuf[FOLD_MAX];
    size_t run = 0; /* doc->quote_runs before token i: i only grows */
    /* Without a cast, only m->cand's tokens may start a mention: at every
     * other token the loop below would just step on (a lower-case word,
     * not "the", and not a pronoun outside a quotation; a pronoun in a
     * quotation; a capitalised word that is never a name, not "the" nor
     * an honorific), so it jumps to the next of them. */
    bool jump = !m->cast_alias.slots;
    /* Room for a mention every eight tokens (a novel has one in ten) at
     * once: grown from sixteen, the table was copied a dozen times by
     * realloc in a --jsonl run, whose heap lets no block grow in place.
     * Pages it never writes cost nothing. */
    mention *ments = arena_grow(&doc->mem, doc->mentions, &doc->cap_ment, doc->ntok / 8 + 16, sizeof *ments);
    if (!ments)
        return false;
    doc->mentions = ments;
    for (size_t p = 0; p < doc->npara; p++) {
        paragraph *para = &doc->paras[p];
        para->first_mention = (uint32_t)doc->nment;
        size_t a = para->first_token, e = para->first_token + para->token_count;
        for (size_t i = a; i < e;) {
            if (jump && (i = next_cand(m, i, CAND_MENTION)) >= e)
                break;
            const token *t = &doc->tokens[i];
            if (!(t->flags & TOK_WORD)) {
                i++;
                continue;
            }
            mention mm;
            memset(&mm, 0, sizeof mm);
            mention_set_character(&mm, QUOTH_NONE);
            mm.para = (uint32_t)p;
            while (run < doc->nqrun && doc->quote_runs[run].token <= i)
                run++;
            /* a quoted token has its run's note at or before it */
            mm.quote = (t->flags & TOK_QUOTED) && run ? doc->quote_runs[run - 1].value : 0;
            mm.token = (uint32_t)i;
            size_t ll;
            const char *low = tok_word(doc, t, lowbuf, &ll);
            /* cast names and descriptors first: the user knows best */
            size_t cast_char = QUOTH_NONE;
            size_t used = match_cast(m, i, e, &cast_char);
            if (used) {
                const token *last = &doc->tokens[i + used - 1];
                const pron_def *pd = used == 1 ? tok_pronoun(doc, t, low, ll) : NULL;
                if (pd) {
                    used = 0; /* pronouns are handled below, with case and gender */
                } else {
                    mm.kind = (t->flags & TOK_CAP) && !(tok_is(doc, t, "the")) ? QUOTH_MENTION_NAME
                                                                             : QUOTH_MENTION_DESCRIPTOR;
                    mm.ntokens = (uint8_t)used;
                    mm.possessive = last->flags & TOK_POSS;
                    mm.key_id = make_key(m, i, i + used);
                    mention_set_character(&mm, cast_char);
                    if (!mm.key_id)
                        return false;
                    if (cast_char == QUOTH_NONE) /* a shared name part */
                        mm.shared_name = m->ambiguous = true;
                }
            }
            if (!used) {
                const pron_def *pd = tok_pronoun(doc, t, low, ll);
                /* "his wife", "her father", "my aunt": a relation, not the
                 * possessor; resolved later by the noun's gender */
                size_t rel = pd && pd->c == PRON_POSS && !(t->flags & TOK_QUOTED)
                                 ? relation_noun_after(doc, i, e)
                                 : 0;
                if (rel) {
                    mm.kind = QUOTH_MENTION_DESCRIPTOR;
                    mm.relational = true;
                    mm.ntokens = (uint8_t)(rel - i + 1);
                    mm.possessive = doc->tokens[rel].flags & TOK_POSS;
                    mm.key_id = make_key(m, i, rel + 1);
                    if (!mm.key_id)
                        return false;
                    used = rel - i + 1;
                } else if (pd && !(t->flags & TOK_QUOTED)) {
                    mm.kind = QUOTH_MENTION_PRONOUN;
                    mm.gender = pd->g;
                    mm.pcase = pd->c;
                    mm.first_person = pd->first;
                    mm.possessive = pd->c == PRON_POSS;
                    mm.ntokens = 1;
                    used = 1;
                } else if (ll == 3 && memcmp(low, "the", 3) == 0 && !(t->flags & TOK_QUOTED)) {
                    /* the [adj] [adj] NOUN */
                    for (size_t k = 1; k <= 3 && i + k < e; k++) {
                        const token *w = &doc->tokens[i + k];
                        if (!(w->flags & TOK_WORD) || (w->flags & TOK_CAP) ||
                            (w->flags & TOK_QUOTED))
                            break;
                        char wl_buf[FOLD_MAX];
                        size_t wn;
                        const char *wl = tok_word(doc, w, wl_buf, &wn);
                        if (tok_has(doc, w, wl, wn, LEX_PERSON_NOUN)) {
                            /* "the other side": an adjective-like head needs a verb or a stop next */
                            static const char *const adjlike[] = {"other", "old", "younger", "older", "elder", "former", "latter"};
                            bool adj = false;
                            for (size_t z = 0; z < sizeof adjlike / sizeof *adjlike; z++)
                                if (lit_is(adjlike[z], wl, wn))
                                    adj = true;
                            bool longer = false;
                            if (i + k + 1 < e && !(w->flags & TOK_POSS)) {
                                const token *nx = &doc->tokens[i + k + 1];
                                char nl_buf[FOLD_MAX];
                                size_t nn;
                                const char *nl = tok_word(doc, nx, nl_buf, &nn);
                                if ((nx->flags & TOK_WORD) && !(nx->flags & TOK_CAP) &&
                                    tok_has(doc, nx, nl, nn, LEX_PERSON_NOUN) && k < 3)
                                    longer = true; /* "the old man": take the longer phrase */
                                else if (adj && (nx->flags & TOK_WORD) && !tok_has(doc, nx, nl, nn, LEX_SPEECH_VERB) &&
                                         !(nn > 2 && ((nl[nn - 2] == 'l' && nl[nn - 1] == 'y') ||
                                                      (nl[nn - 2] == 'e' && nl[nn - 1] == 'd') || nl[nn - 1] == 's')))
                                    break;
                            }
                            if (longer)
                                continue;
                            mm.kind = QUOTH_MENTION_DESCRIPTOR;
                            mm.ntokens = (uint8_t)(k + 1);
                            mm.possessive = w->flags & TOK_POSS;
                            mm.key_id = make_key(m, i, i + k + 1);
                            if (!mm.key_id)
                                return false;
                            used = k + 1;
                            break;
                        }
                        if (tok_has(doc, w, wl, wn, LEX_NOT_NAME) || tok_has(doc, w, wl, wn, LEX_PREPOSITION))
                            break;
                    }
                }
            }
            /* "the Mouse", "the Hatter": the article belongs to the name */
            size_t lead = 0;
            bool lead_pair = false; /* "the March Hare": a common word, then a name */
            if (!used && ll == 3 && memcmp(low, "the", 3) == 0 && i + 1 < e &&
                token_same_quote(doc, i + 1, i)) {
                if (name_word(m, &doc->tokens[i + 1]))
                    lead = 1;
                else if (i + 2 < e && (doc->tokens[i + 1].flags & TOK_CAP) &&
                         (doc->tokens[i + 1].flags & TOK_WORD) &&
                         !(doc->tokens[i + 1].flags & TOK_POSS) &&
                         token_same_quote(doc, i + 2, i) && name_word(m, &doc->tokens[i + 2]))
                    lead = 1, lead_pair = true;
            }
            if (!used && (lead || (t->flags & TOK_CAP))) {
                /* proper names, with an honorific in front */
                size_t s0 = i + lead;
                const token *nt = &doc->tokens[s0];
                if (lead)
                    low = tok_word(doc, nt, lowbuf, &ll);
                size_t j = s0;
                bool hon = tok_has(doc, nt, low, ll, LEX_HONORIFIC);
                if (hon) {
                    size_t k = s0 + 1;
                    bool full_word = title_bare(low, ll); /* "said Mademoiselle. Edna sat": no "Mme." */
                    if (k < e && tok_punct_is(doc, &doc->tokens[k], '.') && !full_word)
                        k++;
                    if (k < e && (doc->tokens[k].flags & TOK_CAP) &&
                        (doc->tokens[k].flags & TOK_WORD) && token_same_quote(doc, k, i) &&
                        !(nt->flags & TOK_POSS)) {
                        char kl_buf[FOLD_MAX];
                        size_t kn;
                        const char *kl = tok_word(doc, &doc->tokens[k], kl_buf, &kn);
                        if (!tok_has(doc, &doc->tokens[k], kl, kn, LEX_NOT_NAME) || name_word(m, &doc->tokens[k]) ||
                            tok_has(doc, &doc->tokens[k], kl, kn, LEX_SURNAME_WORD)) /* "Mr. Hill" */
                            j = k;
                    } else if (k + 1 < e && (doc->tokens[k].flags & TOK_WORD) &&
                               !(nt->flags & TOK_POSS) && token_same_quote(doc, k + 1, i) &&
                               (doc->tokens[k + 1].flags & TOK_CAP) &&
                               (doc->tokens[k + 1].flags & TOK_WORD)) {
                        /* "Professor de Worms": a particle, then the name */
                        char kl_buf[FOLD_MAX];
                        size_t kn;
                        const char *kl = tok_word(doc, &doc->tokens[k], kl_buf, &kn);
                        if (particle(kl, kn))
                            j = k + 1;
                    }
                    /* "the Professor", "the Colonel": a title standing for the
                     * one who bears it (the names cluster it with "Professor de
                     * Worms" when only one bears it); "said Mademoiselle": a
                     * title of address alone, with no article */
                    bool the_title = j == s0 && !lead && i > a && (nt->flags & TOK_CAP) &&
                                     !(nt->flags & TOK_SENT_START) && title_alone(low, ll) &&
                                     tok_is(doc, &doc->tokens[i - 1], "the") && token_same_quote(doc, i - 1, i);
                    bool bare = j == s0 && !lead && (nt->flags & TOK_CAP) && !(nt->flags & TOK_QUOTED) && full_word;
                    if (the_title || bare) {
                        mm.kind = QUOTH_MENTION_NAME;
                        mm.token = (uint32_t)(the_title ? i - 1 : i); /* the article too, as "the Hatter" */
                        mm.ntokens = the_title ? 2 : 1;
                        mm.possessive = nt->flags & TOK_POSS;
                        mm.key_id = make_key(m, i, i + 1);
                        if (!mm.key_id)
                            return false;
                        used = 1;
                    } else if (j == s0) {
                        i++;
                        continue;
                    }
                    mm.gender = title_gender(tok_lex(doc, nt, low, ll));
                } else if (!lead_pair && !name_word(m, nt)) {
                    i++;
                    continue;
                }
                if (used)
                    goto found; /* a title alone */
                /* extend over further capitalised words and particles */
                size_t end = j + 1, words = hon ? 2 : 1;
                while (end < e && words < QUOTH_MAX_NAME_TOKENS && !(doc->tokens[end - 1].flags & TOK_POSS)) {
                    const token *nx = &doc->tokens[end];
                    if (!token_same_quote(doc, end, i) || !(nx->flags & TOK_WORD))
                        break;
                    if (nx->flags & TOK_CAP) {
                        char nl_buf[FOLD_MAX];
                        size_t nn;
                        const char *nl = tok_word(doc, nx, nl_buf, &nn);
                        /* "Lois Lane": a word that is no name alone may be a family
                         * name after a given name or a title, and only as the last */
                        bool surname = words == (hon ? 2u : 1u) && tok_has(doc, nx, nl, nn, LEX_SURNAME_WORD) &&
                                       (hon || given_name_at(doc, j)) &&
                                       !(end + 1 < e && (doc->tokens[end + 1].flags & TOK_CAP) &&
                                         (doc->tokens[end + 1].flags & TOK_WORD));
                        if ((tok_has(doc, nx, nl, nn, LEX_NOT_NAME) && !surname) || tok_is_pronoun(doc, nx, nl, nn))
                            break;
                        if (!name_word(m, nx) && (nx->flags & TOK_SENT_START))
                            break;
                        end++;
                        words++;
                        continue;
                    }
                    /* "Charles de Gaulle": a particle, then a capital (the
                     * capital asked first: most words after a name have none) */
                    if (end + 1 < e && (doc->tokens[end + 1].flags & TOK_CAP) &&
                        (doc->tokens[end + 1].flags & TOK_WORD)) {
                        char nl_buf[FOLD_MAX];
                        size_t nn;
                        const char *nl = tok_word(doc, nx, nl_buf, &nn);
                        if (particle(nl, nn)) {
                            end += 2;
                            words += 2;
                            continue;
                        }
                    }
                    break;
                }
                const token *last = &doc->tokens[end - 1];
                mm.kind = QUOTH_MENTION_NAME;
                mm.ntokens = (uint8_t)(end - i);
                mm.possessive = last->flags & TOK_POSS;
                mm.key_id = make_key(m, s0, end);
                if (!mm.key_id)
                    return false;
                used = end - i;
            }
        found:
            if (!used) {
                i++;
                continue;
            }
            /* vocative: a name inside a quotation set off by commas or edges */
            if (mm.quote && mm.kind == QUOTH_MENTION_NAME) {
                size_t after = i + used;
                bool left = i == a || !token_same_quote(doc, i - 1, i) ||
                            (doc->tokens[i - 1].flags & TOK_PUNCT);
                if (i > a && (doc->tokens[i - 1].flags & TOK_WORD)) {
                    char pl_buf[FOLD_MAX];
                    size_t pn;
                    const char *pl = tok_word(doc, &doc->tokens[i - 1], pl_buf, &pn);
                    left = (pn == 2 && memcmp(pl, "oh", 2) == 0) || (pn == 4 && memcmp(pl, "dear", 4) == 0) ||
                           (pn == 1 && pl[0] == 'o');
                }
                bool right = after >= e || !token_same_quote(doc, after, i);
                if (!right) {
                    const token *nx = &doc->tokens[after];
                    if (nx->flags & TOK_PUNCT) {
                        char c = doc->text[token_start(doc, nx)];
                        right = c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == '-' ||
                                (unsigned char)c == 0xE2;
                    }
                }
                /* "Bingley." alone is an answer, not someone addressed
                 * (but "Ben?" and "Ben!" call him) */
                bool alone = (i == a || !token_same_quote(doc, i - 1, i) ||
                              token_is_quote_mark(doc, i - 1)) &&
                             (after >= e || !token_same_quote(doc, after, i) ||
                              (tok_punct_is(doc, &doc->tokens[after], '.') &&
                               (after + 1 >= e || !token_same_quote(doc, after + 1, i))));
                if (left && right && !mm.possessive && !alone)
                    mm.kind = QUOTH_MENTION_VOCATIVE;
            }
            if (!mm.quote) {
                if (mm.kind == QUOTH_MENTION_PRONOUN)
                    mm.subject = mm.pcase == PRON_NOM &&
                                 (mm.gender != QUOTH_GENDER_NEUTER || clause_start_before(doc, a, i));
                else
                    mm.subject = !mm.possessive && (clause_start_before(doc, a, i) || speech_verb_after(doc, mm.token + mm.ntokens, e));
                mm.subordinate = mm.subject && subordinate_before(doc, a, i);
            }
            if (!add_mention(doc, &mm))
                return false;
            i += used;
        }
        para->mention_count = (uint32_t)(doc->nment - para->first_mention);
    }
    return true;
}

static bool load_cast_aliases(mctx *m) {
    quoth_doc *doc = m->doc;
    const quoth_cast *cast = doc->opts.cast;
    if (!cast)
        return true;
    if (!strmap_init(&m->cast_alias, &doc->mem, 64))
        return false;
    m->cast_max_tokens = 1;
    /* the cast stage creates characters in cast order, so index = entry */
    for (size_t c = 0; c < cast->count; c++) {
        const struct quoth_cast_entry *ce = &cast->entries[c];
        for (size_t k = 0; k <= ce->naliases; k++) {
            const char *name = k == 0 ? ce->name : ce->aliases[k - 1];
            char key[512];
            size_t n = 0, words = 0;
            bool in_word = false;
            for (const char *s = name; *s && n + 8 < sizeof key; s++) {
                if (*s == '.' || *s == ' ' || *s == '\t') {
                    in_word = false;
                    continue;
                }
                if (!in_word) {
                    if (n)
                        key[n++] = ' ';
                    words++;
                    in_word = true;
                }
                key[n++] = *s;
            }
            char folded[512];
            size_t fl = utf8_fold(key, n, folded, sizeof folded);
            if (!fl || find_pronoun(folded, fl))
                continue;
            bool created;
            strmap_slot *s = strmap_put(&m->cast_alias, folded, fl, &created);
            if (!s)
                return false;
            if (created) {
                s->value = c + 1; /* first entry wins an ambiguous alias */
                /* "Will" must be capitalised to be the name; "The Mouse" may
                 * begin "the" mid-sentence */
                bool article = !strncmp(folded, "the ", 4) || !strncmp(folded, "a ", 2) ||
                               !strncmp(folded, "an ", 3);
                s->aux = !article && ((unsigned char)name[0] >= 0x80 || (name[0] >= 'A' && name[0] <= 'Z'));
            }
            if (words > m->cast_max_tokens)
                m->cast_max_tokens = words;
        }
    }
    if (m->cast_max_tokens > 6)
        m->cast_max_tokens = 6;
    /* "Frances Clyne" is also "Frances" and "Clyne", when no one else in
     * the cast has that first name or surname; only capitalised words
     * count ("Inspector In Uniform" gives no "in") */
    strmap parts;
    if (!strmap_init(&parts, &doc->mem, 64))
        return false;
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 0; c < cast->count; c++) {
            const struct quoth_cast_entry *ce = &cast->entries[c];
            for (size_t k = 0; k <= ce->naliases; k++) {
                const char *name = k == 0 ? ce->name : ce->aliases[k - 1];
                if (!strchr(name, ' '))
                    continue;
                const char *w = name;
                size_t widx = 0;
                while (*w) {
                    while (*w == ' ')
                        w++;
                    if (!*w)
                        break;
                    const char *we = w;
                    while (*we && *we != ' ')
                        we++;
                    char low[128];
                    size_t wl = utf8_fold(w, (size_t)(we - w), low, sizeof low);
                    while (wl && low[wl - 1] == '.')
                        wl--;
                    bool last = !*we || !strchr(we, ' ') ? true : false;
                    for (const char *r = we; *r == ' '; r++)
                        last = !r[1];
                    bool hon = widx == 0 && lexicon_has(LEX_HONORIFIC, low, wl);
                    bool upper = (unsigned char)w[0] >= 0x80 || (w[0] >= 'A' && w[0] <= 'Z');
                    if ((widx == 0 || last) && !hon && upper && wl >= 2 && !lexicon_has(LEX_NOT_NAME, low, wl) &&
                        !lexicon_has(LEX_PREPOSITION, low, wl)) {
                        bool created;
                        strmap_slot *s = strmap_put(&parts, low, wl, &created);
                        if (!s)
                            return false;
                        if (pass == 0) {
                            if (created)
                                s->value = c + 1;
                            else if (s->value != c + 1)
                                s->aux = 1; /* shared by two characters */
                            bool ok = true;
                            ARENA_PUSH(&doc->mem, m->owners, m->nowner, m->cap_owner, ok);
                            if (!ok)
                                return false;
                            m->owners[m->nowner - 1].part = s->key;
                            m->owners[m->nowner - 1].c = c;
                        } else if (!s->aux && s->value == c + 1) {
                            strmap_slot *al = strmap_put(&m->cast_alias, low, wl, &created);
                            if (!al)
                                return false;
                            if (created) {
                                al->value = c + 1;
                                al->aux = 1; /* a name: matches capitalised words only */
                            }
                        } else if (s->aux) {
                            /* "Charles" of Charles Musgrove and Charles
                             * Hayter, "Denham" of Ralph and Joan Denham:
                             * a name whose bearer is decided once the
                             * mentions are found (resolve_shared_parts) */
                            strmap_slot *al = strmap_put(&m->cast_alias, low, wl, &created);
                            if (!al)
                                return false;
                            if (created) {
                                al->value = 0;
                                al->aux = 1;
                            }
                        }
                    }
                    if (!hon)
                        widx++; /* the word after a title is a first word too */
                    w = we;
                }
            }
        }
    return true;
}

/* A name part several cast entries share ("Charles": Charles Musgrove,
 * Charles Hayter; "Denham": Ralph and Joan Denham) names the one of them
 * the text named first by a name of their own: a reader meets the main
 * bearer of a name first, and the author tells a later namesake apart by
 * the full name. (The one named most was tried: in Persuasion it is
 * Charles Hayter, always named in full, while the bare "Charles" is
 * Musgrove; 24 quotations fewer.) */
static bool resolve_shared_parts(mctx *m) {
    quoth_doc *doc = m->doc;
    if (!m->ambiguous)
        return true;
    size_t nc = doc->opts.cast->count;
    size_t *first = malloc((nc ? nc : 1) * sizeof *first); /* first own-name mention */
    if (!first)
        return false;
    for (size_t c = 0; c < nc; c++)
        first[c] = QUOTH_NONE;
    for (size_t i = doc->nment; i-- > 0;) {
        size_t c = mention_character(&doc->mentions[i]);
        if (c < nc && doc->mentions[i].kind != QUOTH_MENTION_PRONOUN)
            first[c] = i;
    }
    /* each key's bearer found once (keys alternate: "Charles", "Denham"):
     * bearer + 1 per key, 0 not yet asked */
    uint32_t *bearer = calloc(doc->nkey ? doc->nkey : 1, sizeof *bearer);
    if (!bearer) {
        free(first);
        return false;
    }
    for (size_t i = 0; i < doc->nment; i++) {
        mention *mm = &doc->mentions[i];
        if (!mm->shared_name)
            continue;
        if (!bearer[mm->key_id]) {
            const char *k = mention_key(doc, mm);
            size_t pick = QUOTH_NONE;
            for (size_t o = 0; o < m->nowner; o++) {
                size_t c = m->owners[o].c;
                if (!strcmp(m->owners[o].part, k) && first[c] != QUOTH_NONE &&
                    (pick == QUOTH_NONE || first[c] < first[pick]))
                    pick = c;
            }
            bearer[mm->key_id] = pick == QUOTH_NONE ? UINT32_MAX : (uint32_t)pick + 1;
        }
        uint32_t b = bearer[mm->key_id];
        mention_set_character(mm, b == UINT32_MAX ? QUOTH_NONE : (size_t)b - 1);
    }
    free(bearer);
    free(first);
    return true;
}

/* An index, so that later stages never rescan a paragraph per quotation:
 * each quotation's mentions (which paragraphs hold quotations, the
 * tokenizer says: paragraph.has_quote). */
static void index_mentions(quoth_doc *doc) {
    for (size_t q = 0; q < doc->nquote; q++)
        doc->quotes[q].mention_first = doc->quotes[q].mention_end = 0;
    for (size_t m = 0; m < doc->nment; m++) {
        uint32_t q = doc->mentions[m].quote;
        if (!q)
            continue;
        quote *qq = &doc->quotes[q - 1];
        if (qq->mention_end == 0)
            qq->mention_first = (uint32_t)m;
        qq->mention_end = (uint32_t)m + 1;
    }
}

quoth_status mentions_run(quoth_doc *doc, quoth_error *err) {
    mctx m;
    memset(&m, 0, sizeof m);
    m.doc = doc;
    bool ok = tokenize(&m);
    free(m.word_index); /* the tokens have their word ids */
    m.word_index = NULL;
    free(m.vocab);
    m.vocab = NULL;
    /* keys[0] is no key */
    arena_init_scratch(&m.key_mem, doc->len);
    ok = ok && strmap_init(&m.key_index, &m.key_mem, 64);
    ok = ok && (m.word_key = arena_alloc(&m.key_mem, (doc->nword + 1) * sizeof *m.word_key)) != NULL;
    ok = ok && (m.name_words = arena_alloc(&m.key_mem, doc->nword + 1)) != NULL;
    if (ok)
        ARENA_PUSH(&doc->mem, doc->keys, doc->nkey, doc->cap_key, ok);
    if (ok)
        doc->keys[0] = NULL;
    ok = ok && gather_word_stats(&m) && load_cast_aliases(&m) && find_mentions(&m) && resolve_shared_parts(&m);
    free(m.stats);
    arena_free(&m.key_mem);
    free(m.lower);
    free(m.cand);
    if (!ok) {
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory finding mentions");
        return QUOTH_ERR_NOMEM;
    }
    index_mentions(doc);
    return QUOTH_OK;
}
