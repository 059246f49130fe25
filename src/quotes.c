/*
 * quotes.c — quotation spans.
 *
 * The document's dominant style is chosen first (double quotes, or single
 * quotes as in British printing); marks of the other kind are then text
 * (nested quotations stay inside their outer one). Within a paragraph,
 * quoted pieces are joined into one quotation; a paragraph that leaves its
 * quote open continues into the next paragraph when that one opens with a
 * quote mark, otherwise the quote is closed at the paragraph's end, so an
 * open quote never swallows the rest of the book. A piece opened with one
 * kind of mark and closed with the other ('...") is repaired.
 */
#include <string.h>

#include "internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum { CLOSE_NONE, CLOSE_DOUBLE_STRAIGHT, CLOSE_DOUBLE_CURLY, CLOSE_GUILLEMET_R,
       CLOSE_GUILLEMET_L, CLOSE_SINGLE };

typedef struct {
    const char *t;
    size_t ps, pe;      /* paragraph bounds */
} scan_ctx;

static bool is_open_punct(int32_t c) {
    return c == '(' || c == '[' || c == '{' || c == 0x2014 || c == 0x2013 || c == '-' ||
           c == '"' || c == 0x201C || c == 0x2018 || c == '\'' || c == 0x00AB || c == '_' ||
           c == '*' || c == ':' || c == 0x2026;
}

/* Character before / after position, or -1 at the paragraph's edge. */
static int32_t char_before(const scan_ctx *c, size_t pos) {
    if (pos <= c->ps)
        return -1;
    size_t l;
    return utf8_decode_before((const uint8_t *)c->t, pos, &l);
}

static int32_t char_after(const scan_ctx *c, size_t pos) {
    if (pos >= c->pe)
        return -1;
    size_t l;
    return utf8_decode((const uint8_t *)c->t + pos, c->pe - pos, &l);
}

/* Position: after whitespace/start or opening punctuation, before a non-space. */
static bool opening_position(const scan_ctx *c, size_t mark, size_t after) {
    int32_t p = char_before(c, mark), n = char_after(c, after);
    bool left = p < 0 || uc_is_space(p) || is_open_punct(p);
    bool right = n >= 0 && !uc_is_space(n);
    return left && right;
}

static bool closing_position(const scan_ctx *c, size_t mark, size_t after) {
    int32_t p = char_before(c, mark), n = char_after(c, after);
    bool left = p >= 0 && !uc_is_space(p);
    bool right = n < 0 || uc_is_space(n) || (!uc_is_letter(n) && !uc_is_digit(n));
    return left && right;
}

/* Words that start with an apostrophe of elision: 'em, 'tis, 'twas. */
static bool elision_after(const scan_ctx *c, size_t after) {
    static const char *const words[] = {"em", "tis", "twas", "twere", "twill", "til", "cause",
                                        "bout", "round", "nuff", "n", "ere", "un", "s"};
    char w[8];
    size_t n = 0;
    for (size_t i = after; i < c->pe && n < sizeof w - 1; i++) {
        char ch = c->t[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            break;
        w[n++] = (char)(ch | 0x20);
    }
    if (n == 0 || n >= sizeof w - 1)
        return false;
    size_t end = after + n;
    if (end < c->pe && (uc_is_letter((unsigned char)c->t[end]) || c->t[end] == '\''))
        return false;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (lit_is(words[k], w, n))
            return true;
    return false;
}

typedef struct {
    quoth_doc *doc;
    bool single_style;
    /* the quotation being built */
    span32 *spans;
    size_t nspans, cap_spans;
    size_t para_first;
    bool active;
    bool continuing;    /* the quotation continues from an earlier paragraph */
    bool unclosed;      /* its last piece never found a closing mark */
} builder;

static void trim_span(const char *t, size_t *s, size_t *e) {
    while (*s < *e) {
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)t + *s, *e - *s, &l);
        if (!uc_is_space(c))
            break;
        *s += l;
    }
    while (*e > *s) {
        size_t l;
        int32_t c = utf8_decode_before((const uint8_t *)t, *e, &l);
        if (!uc_is_space(c))
            break;
        *e -= l;
    }
}

/* A short quoted phrase inside a narration sentence ("the narrow
 * "bridges" which", "what is known as "quite a scene,"") is a scare quote
 * or a title, not speech: it follows a word, not a comma, colon or dash,
 * and that word is not a speech verb ("to say "Drink me,""). */
static bool scare_quote(const quoth_doc *doc, size_t para, size_t s, size_t e) {
    const char *t = doc->text;
    size_t words = 0;
    bool in = false;
    for (size_t i = s; i < e; i++) {
        bool sp = t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r';
        if (!sp && !in)
            words++;
        in = !sp;
        if (words > 4)
            return false;
    }
    if (e > s && (t[e - 1] == '!' || t[e - 1] == '?'))
        return false;
    /* the word before the opening mark */
    size_t i = s;
    size_t l;
    if (i == 0)
        return false;
    utf8_decode_before((const uint8_t *)t, i, &l); /* the mark itself */
    i -= l;
    /* the word before must be in the same paragraph: a quotation that opens
     * a paragraph after a heading ("Chapter One") is no scare quote */
    size_t ps = para < doc->npara ? doc->paras[para].span.start : 0;
    while (i > ps && (t[i - 1] == ' ' || t[i - 1] == '\n' || t[i - 1] == '\t' || t[i - 1] == '\r'))
        i--;
    if (i <= ps)
        return false;
    int32_t c = utf8_decode_before((const uint8_t *)t, i, &l);
    if (!uc_is_letter(c))
        return false;
    size_t ws = i;
    while (ws > 0) {
        int32_t d = utf8_decode_before((const uint8_t *)t, ws, &l);
        if (!uc_is_letter(d))
            break;
        ws -= l;
    }
    char low[64];
    size_t n = utf8_fold(t + ws, i - ws, low, sizeof low);
    return !lexicon_has(LEX_SPEECH_VERB, low, n);
}

static bool finish_quote(builder *b, size_t para_last);

static bool add_piece(builder *b, size_t para, size_t s, size_t e) {
    if (!b->active && !b->continuing && scare_quote(b->doc, para, s, e))
        return true;
    trim_span(b->doc->text, &s, &e);
    if (!b->active) {
        b->active = true;
        b->nspans = 0;
        b->para_first = para;
    }
    if (b->nspans >= QUOTH_MAX_QUOTE_SPANS) {
        /* documented degradation: a new quotation starts */
        if (!finish_quote(b, para))
            return false;
        b->active = true;
        b->nspans = 0;
        b->para_first = para;
    }
    bool ok = true;
    ARENA_PUSH(&b->doc->mem, b->spans, b->nspans, b->cap_spans, ok);
    if (!ok)
        return false;
    b->spans[b->nspans - 1].start = (uint32_t)s;
    b->spans[b->nspans - 1].end = (uint32_t)e;
    return true;
}

static bool finish_quote(builder *b, size_t para_last) {
    b->continuing = false;
    bool unclosed = b->unclosed;
    b->unclosed = false;
    if (!b->active)
        return true;
    b->active = false;
    quoth_doc *doc = b->doc;
    /* drop empty pieces ("" or a mark alone); a quotation with none is dropped */
    size_t keep = 0;
    for (size_t i = 0; i < b->nspans; i++)
        if (b->spans[i].end > b->spans[i].start)
            b->spans[keep++] = b->spans[i];
    if (keep == 0)
        return true;
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->quotes, doc->nquote, doc->cap_quote, ok);
    if (!ok)
        return false;
    quote *q = &doc->quotes[doc->nquote - 1];
    memset(q, 0, sizeof *q);
    q->spans = arena_alloc(&doc->mem, keep * sizeof *q->spans);
    if (!q->spans)
        return false;
    memcpy(q->spans, b->spans, keep * sizeof *q->spans);
    q->nspans = (uint32_t)keep;
    q->para_first = (uint32_t)b->para_first;
    q->para_last = (uint32_t)para_last;
    q->speaker = QUOTH_NONE;
    q->unclosed = unclosed;
    return true;
}

/* Finds, scanning back from limit to floor, an opening single quote that a
 * stray closing double quote belongs to ('...."). Returns its end or 0. */
static size_t find_single_opener(const scan_ctx *c, size_t floor, size_t limit) {
    for (size_t i = limit; i > floor;) {
        size_t l;
        int32_t ch = utf8_decode_before((const uint8_t *)c->t, i, &l);
        i -= l;
        if ((ch == '\'' || ch == 0x2018) && opening_position(c, i, i + l) && !elision_after(c, i + l))
            return i + l;
    }
    return 0;
}

/* Between two pieces of one paragraph: does the narration hold a whole
 * sentence (". " inside it)? */
static bool sentence_between(const char *t, size_t a, size_t b) {
    for (size_t i = a; i + 1 < b; i++)
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (t[i + 1] == ' ' || t[i + 1] == '\n'))
            return true;
    return false;
}

/* Any words between two pieces? "Yes." "No." with nothing between them
 * are two turns, not one quotation. */
static bool narration_between(const char *t, size_t a, size_t b) {
    for (size_t i = a; i < b; i++)
        if (uc_is_letter((unsigned char)t[i]) || ((unsigned char)t[i] >= 0xC0 && (unsigned char)t[i] != 0xE2))
            return true;
    return false;
}

/* Is a quotation mark at pos followed by its own speech tag ("she said")
 * within three words? */
static bool own_tag_after(const scan_ctx *c, size_t pos) {
    size_t words = 0, i = pos;
    while (i < c->pe && words < 3) {
        while (i < c->pe && !uc_is_letter((unsigned char)c->t[i]) && !((unsigned char)c->t[i] & 0x80)) {
            if (c->t[i] == '.' || c->t[i] == '"' || c->t[i] == '!' || c->t[i] == '?')
                return false;
            i++;
        }
        size_t s = i;
        while (i < c->pe && (uc_is_letter((unsigned char)c->t[i]) || c->t[i] == '\''))
            i++;
        if (i == s)
            return false;
        char low[32];
        size_t n = utf8_fold(c->t + s, i - s, low, sizeof low);
        if (lexicon_has(LEX_SPEECH_VERB, low, n))
            return true;
        words++;
    }
    return false;
}

/* A verb of one speaker going on ("he added,"), not of a new turn. */
static bool goes_on_verb(const char *w, size_t n) {
    return lit_is("added", w, n) || lit_is("continued", w, n) || lit_is("resumed", w, n) ||
           lit_is("repeated", w, n) || lit_is("pursued", w, n) || lit_is("went", w, n);
}

/* Does the narration [a, b) end with a speech verb among its last three
 * words, before the next piece's opening mark ("... as Sissy did. And when
 * Mr. Gradgrind regularly answered, "No, Jupe,"")? *goes_on: the verb is
 * one of going on ("she continued,", "went on,"). */
static bool tag_before_verb(const char *t, size_t a, size_t b, bool *goes_on) {
    *goes_on = false;
    size_t i = b, words = 0;
    while (i > a && words < 3) {
        while (i > a && !uc_is_letter((unsigned char)t[i - 1]) && !((unsigned char)t[i - 1] & 0x80)) {
            if (t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?' || t[i - 1] == ';')
                return false;
            i--;
        }
        size_t e = i;
        while (i > a && uc_is_letter((unsigned char)t[i - 1]))
            i--;
        if (i == e)
            return false;
        char low[32];
        size_t n = e - i < sizeof low ? utf8_fold(t + i, e - i, low, sizeof low) : 0;
        if (n >= 3 && t[i] >= 'a' && t[i] <= 'z' && lexicon_has(LEX_SPEECH_VERB, low, n)) {
            *goes_on = goes_on_verb(low, n);
            return true;
        }
        if (n == 2 && lit_is("on", low, n) && words == 0)
            *goes_on = true; /* "went on," */
        words++;
    }
    return false;
}

static bool own_tag_before(const char *t, size_t a, size_t b) {
    bool goes_on;
    return tag_before_verb(t, a, b, &goes_on);
}

/* The quotation under way has one piece so far, in this paragraph, that a
 * tag introduced ("When Pooh asked Christopher Robin, "How did they come
 * here?""): a second tag ending the narration after it ("Christopher
 * Robin said, "), not one of going on ("he added,"), introduces another
 * turn. first: the piece's start; ps: the paragraph's. */
static bool second_tag_introduces(const char *t, size_t ps, size_t first, size_t a, size_t b) {
    bool goes_on;
    /* the first piece's tag first: most paragraphs open with the piece,
     * and nothing is before it to read */
    if (!tag_before_verb(t, ps, first, &goes_on))
        return false;
    return tag_before_verb(t, a, b, &goes_on) && !goes_on;
}

/* The subject pronoun w (folded, n bytes): 'i', 'h' (he), 's' (she),
 * 't' (they), 'w' (we); 0 for another word. */
static char subject_pronoun(const char *w, size_t n) {
    if (lit_is("i", w, n))
        return 'i';
    if (lit_is("he", w, n))
        return 'h';
    if (lit_is("she", w, n))
        return 's';
    if (lit_is("they", w, n))
        return 't';
    if (lit_is("we", w, n))
        return 'w';
    return 0;
}

/* Does a sentence end at t[k] (a .!? and a space after it), within
 * [a, b)? Not the period of a title or an initial ("Mr. Bennet", "J.
 * Smith", not "the count."). */
static bool sentence_end_at(const char *t, size_t a, size_t b, size_t k) {
    if (!(t[k] == '.' || t[k] == '!' || t[k] == '?') || k + 1 >= b || !(t[k + 1] == ' ' || t[k + 1] == '\n'))
        return false;
    if (t[k] != '.')
        return true;
    size_t w = k;
    while (w > a && uc_is_letter((unsigned char)t[w - 1]))
        w--;
    char low[16];
    size_t n = k - w < sizeof low ? utf8_fold(t + w, k - w, low, sizeof low) : 0;
    /* a title's period, capitalised: "the count. He nodded." ends */
    return !(n == 1 || (n > 0 && t[w] >= 'A' && t[w] <= 'Z' && lexicon_has(LEX_HONORIFIC, low, n)));
}

/* Is the word from i on (before end) no "was", "had", "could" (data/
 * clause_verbs.txt): the subject before it acts ("Woolsey shook his
 * head"), it is not a state ("Cohn was gone.")? */
static bool acts_after(const char *t, size_t i, size_t end) {
    while (i < end && t[i] == ' ')
        i++;
    size_t s = i;
    while (i < end && (uc_is_letter((unsigned char)t[i]) || t[i] == '\''))
        i++;
    char low[24];
    size_t n = i > s && i - s < sizeof low ? utf8_fold(t + s, i - s, low, sizeof low) : 0;
    return n > 0 && !lit_is("were", low, n) && !lexicon_has(LEX_CLAUSE_VERB, low, n);
}

/* Between two pieces of one paragraph: the first piece's tag ("Krum
 * said.", "I said to the count.") and then a sentence whose subject is
 * someone else ("Woolsey shook his head.", "He nodded."), right before
 * the next piece: that one acted, and the next piece is theirs. Someone
 * else: a capitalised first word (after "The") the tag does not have, or
 * a pronoun that differs from the tag's ("I" / "he"). A sentence that
 * opens with "he" after "he said" may be either, and stays one
 * quotation. */
static bool another_acts_between(const char *t, size_t a, size_t b) {
    enum { TAG_WORDS = 8 };
    char tag[TAG_WORDS][24];
    size_t ntag = 0, i = a;
    bool verb = false;
    char tag_pron = 0;
    /* the first sentence: the tag */
    while (i < b) {
        char ch = t[i];
        if (sentence_end_at(t, a, b, i))
            break;
        if (!uc_is_letter((unsigned char)ch)) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < b && uc_is_letter((unsigned char)t[i]))
            i++;
        if (ntag == TAG_WORDS || (ntag == 3 && !verb))
            return false; /* a long sentence, or no speech verb in its first
                             three words: no tag alone */
        size_t n = utf8_fold(t + s, i - s, tag[ntag], sizeof tag[ntag]);
        if (n >= sizeof tag[ntag] - 1)
            return false;
        if (!verb && t[s] >= 'a' && t[s] <= 'z' && lexicon_has(LEX_SPEECH_VERB, tag[ntag], n))
            verb = true;
        if (!tag_pron && ntag < 3 && n <= 4) /* "I said", "said he" */
            tag_pron = subject_pronoun(tag[ntag], n);
        ntag++;
    }
    if (!verb || i >= b)
        return false;
    /* the last sentence, up to its last word: its first word, after "The" */
    size_t end = b;
    while (end > i && !uc_is_letter((unsigned char)t[end - 1]))
        end--;
    size_t last = i + 1; /* the last sentence end, found from the end back */
    for (size_t k = end; k-- > i + 1;)
        if ((t[k] == '.' || t[k] == '!' || t[k] == '?') && sentence_end_at(t, a, end, k)) {
            last = k + 1;
            break;
        }
    while (last < b && !uc_is_letter((unsigned char)t[last]))
        last++;
    if (last >= b || !(t[last] >= 'A' && t[last] <= 'Z'))
        return false;
    char w[24];
    size_t e = last;
    while (e < b && uc_is_letter((unsigned char)t[e]))
        e++;
    size_t n = e - last < sizeof w ? utf8_fold(t + last, e - last, w, sizeof w) : 0;
    if (n == 0)
        return false;
    char pron = subject_pronoun(w, n);
    if (pron)
        return tag_pron && pron != tag_pron && acts_after(t, e, end);
    if (lit_is("the", w, n)) {
        size_t s = e;
        while (s < b && t[s] == ' ')
            s++;
        e = s;
        while (e < b && uc_is_letter((unsigned char)t[e]))
            e++;
        n = e > s && e - s < sizeof w ? utf8_fold(t + s, e - s, w, sizeof w) : 0;
        if (n == 0)
            return false;
    } else if (lexicon_mask(w, n) & (1u << LEX_PREPOSITION | 1u << LEX_NOT_NAME | 1u << LEX_HEADING_WORD)) {
        return false; /* "At last", "Then" */
    }
    if (w[0] < 'a' || w[0] > 'z')
        return false;
    for (size_t k = 0; k < ntag; k++)
        if (!strcmp(tag[k], w))
            return false; /* the tag's own subject acting on */
    return acts_after(t, e, end);
}

/* An article or possessive: the word after it, or after it and an
 * adjective, is a noun. */
static bool determiner(const char *w, size_t n) {
    switch (n) { /* by length: one comparison or two a word, not eleven */
    case 1: return w[0] == 'a';
    case 2: return lit_is("an", w, n) || lit_is("my", w, n);
    case 3:
        return lit_is("the", w, n) || lit_is("his", w, n) || lit_is("her", w, n) || lit_is("its", w, n) ||
               lit_is("our", w, n);
    case 4: return lit_is("your", w, n) || lit_is("this", w, n);
    case 5: return lit_is("their", w, n);
    default: return false;
    }
}

/* Between two pieces of one paragraph: two speech verbs ("Alice replied,
 * so eagerly that the Gryphon said,"; "she asked the Gryphon, and the
 * Gryphon answered,"): the first tags the piece before, the second
 * introduces the next, which is another turn, not the same quotation
 * resumed. Participles ("he said, smiling,") and capitalised words do not
 * count. */
static bool two_tags_between(const char *t, size_t a, size_t b) {
    size_t verbs = 0;
    /* words that are nouns or adjectives here, not verbs: the one after a
     * determiner ("his cry"), and the two after a preposition and a
     * determiner ("observed Miss Bingley, in a half whisper,": one tag,
     * not two) */
    unsigned noun_left = 0;
    bool prep = false;
    for (size_t i = a; i < b;) {
        if (!uc_is_letter((unsigned char)t[i])) {
            i++;
            continue;
        }
        size_t s = i;
        while (i < b && uc_is_letter((unsigned char)t[i]))
            i++;
        /* lower case: "the Mock Turtle" names no one mocking */
        bool verb_here = i - s >= 3 && t[s] >= 'a' && t[s] <= 'z' &&
                         !(i - s > 4 && !memcmp(t + i - 3, "ing", 3)) && !noun_left;
        /* each word looked up once, for every list at a time */
        char low[32];
        size_t n = i - s < sizeof low ? utf8_fold(t + s, i - s, low, sizeof low) : 0;
        unsigned lex = lexicon_mask(low, n);
        if (verb_here && (lex >> LEX_SPEECH_VERB & 1u) && ++verbs == 2)
            return true;
        if (determiner(low, n))
            noun_left = prep ? 2 : 1;
        else if (noun_left)
            noun_left--;
        prep = lex >> LEX_PREPOSITION & 1u;
    }
    return false;
}

/* Between two pieces of one paragraph: narration that opens with "and",
 * "but", "then" or "so" and ends with a speech verb introducing the next
 * piece (Piglet said, "If you see what I mean, Pooh," and Pooh said, "It's
 * just what I think myself"): a new turn, often another speaker's. A tag
 * after the first piece reads the other way round ("," said Pooh, "...")
 * and resumes the same quotation. */
static bool conj_tag_between(const char *t, size_t a, size_t b) {
    size_t i = a;
    while (i < b && !uc_is_letter((unsigned char)t[i]) && t[i] != '.' && t[i] != '!' && t[i] != '?')
        i++;
    size_t s = i;
    while (i < b && uc_is_letter((unsigned char)t[i]))
        i++;
    char low[8];
    size_t n = i - s < sizeof low ? utf8_fold(t + s, i - s, low, sizeof low) : 0;
    if (!((n == 3 && !memcmp(low, "and", 3)) || (n == 3 && !memcmp(low, "but", 3)) ||
          (n == 4 && !memcmp(low, "then", 4)) || (n == 2 && !memcmp(low, "so", 2))))
        return false;
    /* the last word before the next piece's opening mark */
    size_t e = b;
    while (e > i && !uc_is_letter((unsigned char)t[e - 1])) {
        char p = t[e - 1];
        if (p == '.' || p == '!' || p == '?' || p == ';')
            return false; /* "and he went out. Then she said:" has a sentence of its own */
        e--;
    }
    size_t v = e;
    while (v > i && uc_is_letter((unsigned char)t[v - 1]))
        v--;
    if (v == e || t[v] < 'a' || t[v] > 'z' || e - v >= 32)
        return false;
    char verb[32];
    size_t m = utf8_fold(t + v, e - v, verb, sizeof verb);
    return lexicon_has(LEX_SPEECH_VERB, verb, m);
}

/* Does the paragraph open with a quote mark of the given style? */
static bool para_opens_with_quote(const quoth_doc *doc, size_t p, bool single_style) {
    if (p >= doc->npara || doc->paras[p].kind != QUOTH_PARA_STORY)
        return false;
    span32 s = doc->paras[p].span;
    size_t l;
    int32_t c = utf8_decode((const uint8_t *)doc->text + s.start, s.end - s.start, &l);
    if (single_style)
        return c == '\'' || c == 0x2018;
    return c == '"' || c == 0x201C || c == 0x00AB || c == 0x00BB || c == 0x201E;
}

/* The first byte at or after i (before end) that can start a quote mark:
 * '"', '\'', or the lead byte of U+2018..U+201E (0xE2) or of a guillemet
 * (0xC2), or end. Eight bytes at a time: prose has one every few dozen
 * bytes, and this scan is all quotes_run does with the rest. The text t is
 * readable up to (not including) readable. */
static size_t next_mark_byte(const char *t, size_t i, size_t end, size_t readable) {
#ifdef __SSE2__
    /* sixteen bytes a compare (x86-64 always has SSE2), up to the
     * paragraph's end too: the text is readable past it (up to readable,
     * its NUL included), and a hit at or past end is no hit */
    /* 0xC2 and 0xE2 are the two bytes equal to 0xE2 with 0x20 set */
    const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\''), e2 = _mm_set1_epi8((char)0xE2),
                  bit5 = _mm_set1_epi8(0x20);
#define MARK_HITS(v)                                                                       \
    (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq)), \
                                             _mm_cmpeq_epi8(_mm_or_si128(v, bit5), e2)))
    /* thirty-two bytes a step where there are (a paragraph's marks are
     * some forty bytes apart), then sixteen */
    while (i < end && i + 32 <= readable) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(t + i + 16));
        uint32_t mask = MARK_HITS(lo) | (uint32_t)MARK_HITS(hi) << 16;
        if (mask) {
            i += (size_t)__builtin_ctz(mask);
            return i < end ? i : end;
        }
        i += 32;
    }
    while (i < end && i + 16 <= readable) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        unsigned mask = MARK_HITS(v);
        if (mask) {
            i += (size_t)__builtin_ctz(mask);
            return i < end ? i : end;
        }
        i += 16;
    }
#undef MARK_HITS
    if (i >= end)
        return end;
#else
    (void)readable;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (i + 8 <= end) {
        uint64_t v;
        memcpy(&v, t + i, 8);
        uint64_t a = v ^ (ones * '"'), b = v ^ (ones * '\''), c = v ^ (ones * 0xE2), d = v ^ (ones * 0xC2);
        /* a byte of x is zero where (x - ones) & ~x has its high bit */
        uint64_t hit = ((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c) | ((d - ones) & ~d);
        if (hit & highs)
            break; /* a candidate in these eight: find it bytewise */
        i += 8;
    }
#endif
    while (i < end) {
        unsigned char byte = (unsigned char)t[i];
        if (byte == '"' || byte == '\'' || byte == 0xE2 || byte == 0xC2)
            return i;
        i++;
    }
    return end;
}

/* Scans one paragraph. *open carries an unclosed quotation across
 * paragraphs (the builder holds its pieces). */
static bool scan_paragraph(builder *b, size_t p, int *open, size_t *open_at, size_t *run) {
    quoth_doc *doc = b->doc;
    scan_ctx c = {doc->text, doc->paras[p].span.start, doc->paras[p].span.end};
    size_t last_close = c.ps;
    for (size_t i = c.ps; i < c.pe;) {
        i = next_mark_byte(c.t, i, c.pe, doc->len + 1);
        if (i >= c.pe)
            break;
        size_t l;
        int32_t ch = utf8_decode((const uint8_t *)c.t + i, c.pe - i, &l);
        size_t after = i + l;
        bool dbl = ch == '"' || ch == 0x201C || ch == 0x201D || ch == 0x00AB || ch == 0x00BB;
        bool sgl = ch == '\'' || ch == 0x2018 || ch == 0x2019;
        if (!dbl && !sgl) {
            i = after;
            continue;
        }
        if (sgl && !b->single_style) {
            i = after;
            continue; /* text; used only to repair '..." below */
        }
        if (dbl && b->single_style) {
            i = after;
            continue; /* nested double quotes inside single-quote dialogue */
        }
        if (*open == CLOSE_NONE) {
            int kind = CLOSE_NONE;
            if (ch == '"') {
                if (opening_position(&c, i, after) || !closing_position(&c, i, after)) {
                    kind = CLOSE_DOUBLE_STRAIGHT;
                } else {
                    /* a closing mark with nothing open: '..." repaired */
                    size_t op = find_single_opener(&c, last_close, i);
                    if (op && !add_piece(b, p, op, i))
                        return false;
                    last_close = after; /* searched: never scan this stretch again */
                }
            } else if (ch == 0x201C) {
                kind = CLOSE_DOUBLE_CURLY;
            } else if (ch == 0x00AB) {
                kind = CLOSE_GUILLEMET_R;
            } else if (ch == 0x00BB && opening_position(&c, i, after)) {
                kind = CLOSE_GUILLEMET_L; /* German »...« */
            } else if (ch == 0x201D) {
                size_t op = find_single_opener(&c, last_close, i);
                if (op && !add_piece(b, p, op, i))
                    return false;
                last_close = after;
            } else if (sgl && (ch == '\'' || ch == 0x2018) && opening_position(&c, i, after) &&
                       !elision_after(&c, after)) {
                kind = CLOSE_SINGLE;
            }
            if (kind != CLOSE_NONE) {
                *open = kind;
                *open_at = after;
            }
        } else {
            bool closes = false;
            switch (*open) {
            case CLOSE_DOUBLE_STRAIGHT: closes = ch == '"' || ch == 0x201D; break;
            case CLOSE_DOUBLE_CURLY: closes = ch == 0x201D || ch == '"'; break;
            case CLOSE_GUILLEMET_R: closes = ch == 0x00BB; break;
            case CLOSE_GUILLEMET_L: closes = ch == 0x00AB; break;
            case CLOSE_SINGLE:
                closes = (ch == '\'' || ch == 0x2019) && closing_position(&c, i, after) &&
                         !(uc_is_letter(char_before(&c, i)) && uc_is_letter(char_after(&c, after)));
                break;
            default: break;
            }
            if (closes) {
                /* "Drink me," ... Alice was not going to. "No," she said: a
                 * whole sentence of narration and a tag of its own make a
                 * new quotation, not a continuation; so does a piece that
                 * follows another with no narration between */
                if (b->active && !b->continuing && b->nspans &&
                    ((sentence_between(c.t, b->spans[b->nspans - 1].end, *open_at) &&
                      (own_tag_after(&c, after) || own_tag_before(c.t, b->spans[b->nspans - 1].end, *open_at) ||
                       another_acts_between(c.t, b->spans[b->nspans - 1].end, *open_at))) ||
                     !narration_between(c.t, b->spans[b->nspans - 1].end, *open_at) ||
                     two_tags_between(c.t, b->spans[b->nspans - 1].end, *open_at) ||
                     (b->nspans == 1 && b->para_first == p &&
                      second_tag_introduces(c.t, c.ps, b->spans[0].start, b->spans[0].end, *open_at)) ||
                     conj_tag_between(c.t, b->spans[b->nspans - 1].end, *open_at))) {
                    if (!finish_quote(b, p))
                        return false;
                }
                if (!add_piece(b, p, *open_at, i))
                    return false;
                *open = CLOSE_NONE;
                last_close = after;
            } else if (ch == 0x201C && *open == CLOSE_DOUBLE_CURLY && uc_is_space(char_before(&c, i))) {
                /* a new opening mark: the previous piece was never closed */
                if (!add_piece(b, p, *open_at, i))
                    return false;
                *open_at = after;
            }
        }
        i = after;
    }
    if (*open != CLOSE_NONE) {
        size_t end = c.pe;
        /* "...' : opened with a double mark, closed with a single one */
        if (!b->single_style) {
            size_t l;
            int32_t last = utf8_decode_before((const uint8_t *)c.t, c.pe, &l);
            if ((last == '\'' || last == 0x2019) && closing_position(&c, c.pe - l, c.pe) &&
                !find_single_opener(&c, *open_at, c.pe - l)) { /* not a nested 'quote' closing */
                if (!add_piece(b, p, *open_at, c.pe - l))
                    return false;
                *open = CLOSE_NONE;
                *run = 0;
                return finish_quote(b, p);
            }
        }
        if (!add_piece(b, p, *open_at, end))
            return false;
        /* continue into the next paragraph only if it opens with a mark */
        if (*run + 1 < QUOTH_MAX_QUOTE_PARAGRAPHS && para_opens_with_quote(doc, p + 1, b->single_style)) {
            (*run)++;
            b->continuing = true;
            *open = CLOSE_NONE; /* the next paragraph's opening mark reopens */
            return true;        /* keep the builder active */
        }
        *open = CLOSE_NONE;
        b->unclosed = true; /* closed by the paragraph's end, not by a mark */
    }
    *run = 0;
    return finish_quote(b, p);
}

quoth_status quotes_run(quoth_doc *doc, quoth_error *err) {
    /* style: single-quote dialogue when openings of single quotes clearly
     * outnumber double-quote pairs */
    size_t doubles = 0, single_open = 0;
    for (size_t p = 0; p < doc->npara; p++) {
        if (doc->paras[p].kind != QUOTH_PARA_STORY)
            continue;
        scan_ctx c = {doc->text, doc->paras[p].span.start, doc->paras[p].span.end};
        for (size_t i = c.ps; i < c.pe;) {
            i = next_mark_byte(c.t, i, c.pe, doc->len + 1);
            if (i >= c.pe)
                break;
            size_t l;
            int32_t ch = utf8_decode((const uint8_t *)c.t + i, c.pe - i, &l);
            if (ch == '"' || ch == 0x201C || ch == 0x201D || ch == 0x00AB || ch == 0x00BB)
                doubles++;
            else if ((ch == '\'' || ch == 0x2018) && opening_position(&c, i, i + l) &&
                     !elision_after(&c, i + l))
                single_open++;
            i += l;
        }
    }
    builder b;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.single_style = single_open > doubles;
    /* about a quotation a pair of marks (an opening single quote in that
     * style): the table sized once, not copied at each doubling */
    quote *quotes = arena_grow(&doc->mem, doc->quotes, &doc->cap_quote,
                               (b.single_style ? single_open : doubles / 2) + 16, sizeof *quotes);
    if (!quotes)
        goto nomem;
    doc->quotes = quotes;
    int open = CLOSE_NONE;
    size_t open_at = 0, run = 0;
    for (size_t p = 0; p < doc->npara; p++) {
        if (doc->paras[p].kind != QUOTH_PARA_STORY) {
            if (b.active && !finish_quote(&b, p ? p - 1 : 0))
                goto nomem;
            continue;
        }
        if (!scan_paragraph(&b, p, &open, &open_at, &run))
            goto nomem;
    }
    if (b.active && !finish_quote(&b, doc->npara ? doc->npara - 1 : 0))
        goto nomem;
    return QUOTH_OK;
nomem:
    doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory recording quotations");
    return QUOTH_ERR_NOMEM;
}
