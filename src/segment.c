/*
 * segment.c — sections, paragraphs and paratext.
 *
 * Paragraphs are separated by blank lines; a text with (almost) no blank
 * lines is read one paragraph per line, or, when its lines are hard-wrapped
 * and indented, one paragraph per indented line. Headings ("Chapter 3",
 * "Conversation I", "CHAPTER IV.") and scene breaks ("* * *") become their
 * own paragraphs and start sections. Disclaimers, author's notes and the
 * like before or after the story are marked as paratext.
 */
#include <string.h>

#include "internal.h"

/* One a line of the text (a novel has a hundred thousand): offsets in 32
 * bits, as the document's spans (QUOTH_MAX_INPUT), so 12 bytes, not 24. */
typedef struct {
    uint32_t start, end; /* line without its line break */
    bool blank;
    bool indented;
} line_info;

static bool is_hspace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Trims ASCII and Unicode white space from both ends of [*s, *e). */
static void trim(const char *t, size_t *s, size_t *e) {
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

static bool line_is_blank(const char *t, size_t s, size_t e) {
    /* most lines open with a byte that is no white space: not blank */
    if (s < e && (unsigned char)t[s] < 0x80 && !uc_is_space((unsigned char)t[s]))
        return false;
    trim(t, &s, &e);
    return s == e;
}

/* ---- headings ------------------------------------------------------------- */

static bool is_roman(const char *w, size_t n) {
    if (n == 0 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("IVXLCDMivxlcdm", w[i]))
            return false;
    return true;
}

static bool is_upper_roman(const char *w, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strchr("IVXLCDM", w[i]))
            return false;
    return n > 0 && n <= 8;
}

static bool is_number_token(const char *w, size_t n) {
    if (n == 0)
        return false;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            digits = false;
    if (digits)
        return n <= 6;
    if (is_roman(w, n))
        return true;
    char low[32];
    if (n >= sizeof low)
        return false;
    size_t l = utf8_fold(w, n, low, sizeof low);
    return lexicon_has(LEX_NUMBER_WORD, low, l);
}

/* Can ASCII byte b be in a scene break (is_scene_break's blanks,
 * decoration and "oOo"/"xXx" letters)? */
static bool scene_break_byte(unsigned char b) {
    switch (b) {
    case ' ': case '\t': case '*': case '~': case '-': case '=': case '#': case '_': case '+':
    case 'o': case 'x': case 'O': case 'X': case '0':
        return true;
    default:
        return false;
    }
}

/* is_scene_break() of a line whose first byte after blanks is not ASCII
 * or may be in one. */
static bool scene_break_in(const char *t, size_t s, size_t e) {
    size_t marks = 0, lower_o = 0, upper_o = 0;
    for (size_t i = s; i < e;) {
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)t + i, e - i, &l);
        i += l;
        if (c == ' ' || c == '\t')
            continue;
        if (c == '*' || c == '~' || c == '-' || c == '=' || c == '#' || c == '_' || c == '+' ||
            c == 0x2022 || c == 0x00B7 || c == 0x2042 || c == 0x2014 || c == 0x2013 ||
            c == 0x00A7 || c == 0x2726 || c == 0x2727) {
            marks++;
        } else if (c == 'o' || c == 'x') {
            lower_o++;
        } else if (c == 'O' || c == 'X' || c == '0') {
            upper_o++;
        } else {
            return false;
        }
    }
    if (lower_o + upper_o > 0) /* "oOo", "xXx": both cases, nothing else */
        return marks == 0 && lower_o > 0 && upper_o > 0 && lower_o + upper_o >= 3;
    return marks >= 3;
}

/* A scene break: only decoration characters, at least three of them.
 * Asked of every line, and most open with a letter or a quotation mark:
 * no scene break, seen inline at the first byte that is not a blank. */
static inline bool is_scene_break(const char *t, size_t s, size_t e) {
    size_t first = s;
    while (first < e && (t[first] == ' ' || t[first] == '\t'))
        first++;
    if (first < e && (unsigned char)t[first] < 0x80 && !scene_break_byte((unsigned char)t[first]))
        return false;
    return scene_break_in(t, s, e);
}

/* Reads the next ASCII-ish word [s, *we) skipping spaces; returns start. */
static size_t next_word(const char *t, size_t s, size_t e, size_t *we) {
    while (s < e && is_hspace((unsigned char)t[s]))
        s++;
    size_t i = s;
    while (i < e && !is_hspace((unsigned char)t[i]) && t[i] != '.' && t[i] != ':' &&
           t[i] != ',')
        i++;
    *we = i;
    return s;
}

static bool is_heading_line(const char *t, size_t s, size_t e) {
    trim(t, &s, &e);
    size_t n = e - s;
    if (n == 0 || n > QUOTH_MAX_HEADING_BYTES)
        return false;
    if (t[s] == '#') { /* Markdown heading */
        size_t i = s;
        while (i < e && t[i] == '#')
            i++;
        return i < e && t[i] == ' ' && i - s <= 6;
    }
    size_t we;
    size_t ws = next_word(t, s, e, &we);
    if (we == ws)
        return false;
    char low[32];
    size_t wl = we - ws;
    /* Below, a heading starts with a digit, an upper-case roman numeral or
     * an upper-case heading word: not with any other ASCII byte (a lower-case
     * word, a quotation mark), which this asks at once. But NUL: strchr()
     * finds it in the roman digits. */
    unsigned char first = (unsigned char)t[ws];
    if (first && first < 0x80 && !(first >= 'A' && first <= 'Z') && !(first >= '0' && first <= '9'))
        return false;
    /* A lone number or roman numeral: "IV.", "12" (the cheap tests first) */
    if ((uc_is_digit(first) || is_upper_roman(t + ws, wl)) && is_number_token(t + ws, wl)) {
        size_t rest = we;
        while (rest < e && (t[rest] == '.' || t[rest] == ':' || is_hspace((unsigned char)t[rest])))
            rest++;
        if (rest == e)
            return true;
    }
    if (wl >= sizeof low)
        return false;
    size_t ll = utf8_fold(t + ws, wl, low, sizeof low);
    if (!lexicon_has(LEX_HEADING_WORD, low, ll))
        return false;
    if (!uc_is_upper((unsigned char)t[ws]))
        return false;
    size_t i = we;
    /* "Prologue", "Epilogue: title" */
    while (i < e && is_hspace((unsigned char)t[i]))
        i++;
    if (i == e || t[i] == ':' || t[i] == '.') {
        static const char *const alone[] = {"prologue", "epilogue", "interlude", "afterword",
                                            "foreword", "preface", "introduction", "intermission"};
        for (size_t k = 0; k < sizeof alone / sizeof *alone; k++)
            if (strcmp(low, alone[k]) == 0)
                return true;
        if (i == e)
            return false;
    }
    /* heading word + number ("Chapter 3", "Part the First", "CHAPTER IV.") */
    size_t ne;
    size_t ns = next_word(t, we, e, &ne);
    if (ne - ns == 3 && (t[ns] | 0x20) == 't' && (t[ns + 1] | 0x20) == 'h' && (t[ns + 2] | 0x20) == 'e')
        ns = next_word(t, ne, e, &ne);
    if (!is_number_token(t + ns, ne - ns))
        return false;
    size_t r = ne;
    while (r < e && is_hspace((unsigned char)t[r]))
        r++;
    if (r == e)
        return true;
    unsigned char c = (unsigned char)t[r];
    if (c == '.' || c == ':' || c == '-' || c == ',' || c == '(' || c == '[' ||
        (c == 0xE2 && r + 2 < e)) /* em/en dash and other punctuation */
        return true;
    /* "Chapter 3 The Return": a short title that is not a sentence */
    unsigned char last = (unsigned char)t[e - 1];
    return n <= 60 && last != '.' && last != ',' && last != '"' && uc_is_upper(c);
}

/* The readers (src/read/) ask whether a chapter title is a heading as it
 * stands, or needs a "# " to become one. */
bool segment_is_heading_line(const char *t, size_t s, size_t e) {
    return is_heading_line(t, s, e) && !is_scene_break(t, s, e);
}

/* ---- paratext -------------------------------------------------------------- */

static bool starts_with_quote_mark(const char *t, size_t s, size_t e) {
    if (s >= e)
        return false;
    size_t l;
    int32_t c = utf8_decode((const uint8_t *)t + s, e - s, &l);
    return c == '"' || c == '\'' || c == 0x201C || c == 0x2018 || c == 0x00AB || c == 0x201E;
}

/* Does the paragraph open with a paratext cue ("Disclaimer:", "A/N",
 * "Enjoy, and please review")? strong: the cue is unmistakable anywhere. */
static bool paratext_cue(const char *t, size_t s, size_t e, bool *strong) {
    *strong = false;
    if (starts_with_quote_mark(t, s, e))
        return false;
    char low[64];
    size_t n = e - s < 48 ? e - s : 48;
    size_t ll = utf8_fold(t + s, n, low, sizeof low);
    /* try the first one, two and three words, without trailing punctuation */
    size_t words = 0;
    for (size_t i = 0; i <= ll && words < 3; i++) {
        if (i == ll || low[i] == ' ' || low[i] == '\t' || low[i] == '\n' || low[i] == '\r') {
            words++;
            size_t k = i;
            bool colon = k > 0 && low[k - 1] == ':';
            while (k > 0 && strchr(":,.!-", low[k - 1]))
                k--;
            if (k == 0)
                continue;
            bool hit = lexicon_has(LEX_PARATEXT_CUE, low, k) ||
                       (colon && lexicon_has(LEX_PARATEXT_CUE, low, k + 1));
            if (hit) {
                bool marked = memchr(low, '/', k) || colon || strncmp(low, "disclaimer", 10) == 0 ||
                              strncmp(low, "author", 6) == 0;
                *strong = marked;
                /* weak cues ("Enjoy", "The End") only on short paragraphs */
                return marked || e - s <= 200;
            }
            if (i < ll && low[i] == '\n')
                break;
        }
    }
    return false;
}

/* Could paratext_cue() find a strong cue in [s, e)? Only with a '/' or
 * ':' among the bytes it folds, or when they start "disclaimer" or
 * "author" (no other character folds to an ASCII 'd' or 'a'). Asked of
 * every paragraph first, so few are folded and looked up. */
static bool may_be_strong_cue(const char *t, size_t s, size_t e) {
    size_t n = e - s < 48 ? e - s : 48; /* as paratext_cue() */
    char first = n ? (char)(t[s] | 0x20) : 0;
    return first == 'd' || first == 'a' || memchr(t + s, '/', n) || memchr(t + s, ':', n);
}

static bool gutenberg_marker(const char *t, size_t s, size_t e, const char *what) {
    size_t n = e - s;
    if (n < 12 || t[s] != '*')
        return false;
    char low[80];
    size_t ll = utf8_fold(t + s, n < 70 ? n : 70, low, sizeof low);
    (void)ll;
    return strstr(low, what) != NULL && strstr(low, "project gutenberg") != NULL;
}

/* ---- the stage -------------------------------------------------------------- */

static bool push_para(quoth_doc *doc, size_t s, size_t e) {
    trim(doc->text, &s, &e);
    if (s == e)
        return true;
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->paras, doc->npara, doc->cap_para, ok);
    if (!ok)
        return false;
    paragraph *p = &doc->paras[doc->npara - 1];
    memset(p, 0, sizeof *p);
    p->span.start = (uint32_t)s;
    p->span.end = (uint32_t)e;
    p->kind = QUOTH_PARA_STORY;
    return true;
}

static bool push_section(quoth_doc *doc, quoth_section_kind kind, size_t first_para) {
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->sections, doc->nsect, doc->cap_sect, ok);
    if (!ok)
        return false;
    section *s = &doc->sections[doc->nsect - 1];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->first_para = (uint32_t)first_para;
    return true;
}

static bool ascii_letter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* Does a heading line stop mid-title, so the next line goes on with it:
 * "Chapter VI: The Reverend Arthur Beebe, the Reverend Cuthbert Eager,",
 * "... Mrs. Honeychurch, Freddy, and The"? */
static bool heading_goes_on(const char *t, size_t s, size_t e) {
    static const char *const joins[] = {"and", "the", "of", "to", "a", "an", "in", "with", "or", "for", "by", "at", "on", "from"};
    trim(t, &s, &e);
    if (s >= e)
        return false;
    if (strchr(",;&-", t[e - 1]))
        return true;
    size_t w = e; /* the last word */
    while (w > s && ascii_letter(t[w - 1]))
        w--;
    if (w == e || e - w > 4 || (w > s && t[w - 1] != ' '))
        return false;
    char low[8];
    size_t n = utf8_fold(t + w, e - w, low, sizeof low);
    for (size_t k = 0; k < sizeof joins / sizeof *joins; k++)
        if (lit_is(joins[k], low, n))
            return true;
    return false;
}

/* Is every word of four letters or more capitalised, two at least ("Bartlett,
 * and Miss Lucy Honeychurch Drive Out in Carriages to See a"): a title's
 * line, not a sentence's? */
static bool title_case(const char *t, size_t s, size_t e) {
    size_t long_words = 0;
    for (size_t i = s; i < e;) {
        while (i < e && !ascii_letter(t[i]))
            i++;
        size_t w = i;
        while (i < e && (ascii_letter(t[i]) || t[i] == '\''))
            i++;
        if (i - w >= 4) {
            if (t[w] < 'A' || t[w] > 'Z')
                return false;
            long_words++;
        }
    }
    return long_words >= 2;
}

/* Splits a paragraph whose first line is a heading into the heading (plus
 * one short subtitle line, or the lines a long title runs on to) and the
 * rest. */
static bool push_block(quoth_doc *doc, const line_info *lines, size_t a, size_t b) {
    const char *t = doc->text;
    bool brk = is_scene_break(t, lines[a].start, lines[a].end);
    if (brk || is_heading_line(t, lines[a].start, lines[a].end)) {
        size_t head_end = a + 1;
        while (!brk && head_end < b && head_end < a + 4 &&
               (heading_goes_on(t, lines[head_end - 1].start, lines[head_end - 1].end) ||
                title_case(t, lines[head_end].start, lines[head_end].end)))
            head_end++;
        if (b - a == 2 && head_end == a + 1 && !brk) {
            size_t s = lines[a + 1].start, e = lines[a + 1].end;
            trim(t, &s, &e);
            if (e - s <= 60 && s < e && !starts_with_quote_mark(t, s, e) && t[e - 1] != '.' &&
                t[e - 1] != ',' && !memchr(t + s, '"', e - s))
                head_end = b; /* "Chapter III" + "In Quest of a Solution" */
        }
        if (!push_para(doc, lines[a].start, lines[head_end - 1].end))
            return false;
        doc->paras[doc->npara - 1].kind = QUOTH_PARA_HEADING;
        a = head_end;
        if (a >= b)
            return true;
    }
    return push_para(doc, lines[a].start, lines[b - 1].end);
}

quoth_status segment_run(quoth_doc *doc, quoth_error *err) {
    const char *t = doc->text;
    size_t len = doc->len;
    /* pass 1: lines. The line table is the stage's scratch: it lives in an
     * arena of its own, freed once the paragraphs are built, so it is not
     * resident for the rest of the document's life. */
    arena scratch;
    arena_init(&scratch);
    size_t nlines = 0, cap = 0;
    /* a line every 32 bytes at first (prose wrapped at 70 columns, with
     * blank lines between paragraphs, has one every 35 to 57): grown
     * from sixteen, the table was copied a dozen times */
    line_info *lines = arena_grow(&scratch, NULL, &cap, len / 32 + 16, sizeof *lines);
    if (!lines) {
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory splitting lines");
        return QUOTH_ERR_NOMEM;
    }
    size_t nonblank = 0, breaks = 0, indented = 0, longlines = 0;
    bool prev_blank = true;
    /* the first CR at or after the line's start (len: none), looked for
     * again only once passed: a search for each CR, not for each line */
    const char *cr0 = doc->body < len ? memchr(t + doc->body, '\r', len - doc->body) : NULL;
    size_t next_cr = cr0 ? (size_t)(cr0 - t) : len;
    for (size_t i = doc->body; i < len;) {
        const char *nl = memchr(t + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - t) : len;
        if (next_cr < i) {
            const char *c = memchr(t + i, '\r', len - i);
            next_cr = c ? (size_t)(c - t) : len;
        }
        /* a lone CR (old Mac files) also ends a line */
        const char *cr = next_cr < e ? t + next_cr : NULL;
        if (cr && (size_t)(cr - t) + 1 < e) {
            e = (size_t)(cr - t);
            nl = cr;
        }
        size_t le = e;
        if (le > i && t[le - 1] == '\r')
            le--;
        bool ok = true;
        ARENA_PUSH(&scratch, lines, nlines, cap, ok);
        if (!ok) {
            arena_free(&scratch);
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory splitting lines");
            return QUOTH_ERR_NOMEM;
        }
        line_info *li = &lines[nlines - 1];
        li->start = (uint32_t)i;
        li->end = (uint32_t)le;
        li->blank = line_is_blank(t, i, le);
        li->indented = !li->blank && (t[i] == ' ' || t[i] == '\t');
        if (!li->blank) {
            nonblank++;
            if (prev_blank)
                breaks++;
            if (li->indented)
                indented++;
            if (le - i > 100)
                longlines++;
        }
        prev_blank = li->blank;
        i = nl ? (size_t)(nl - t) + 1 : len;
    }
    /* Few blank lines for many lines: one paragraph per line, or per indent
     * when lines are hard-wrapped. */
    enum { BLANK, LINE, INDENT } mode = BLANK;
    if (nonblank > 20 && breaks * 10 < nonblank) {
        mode = LINE;
        if (indented * 10 >= nonblank && indented * 10 < nonblank * 8 && longlines * 10 < nonblank)
            mode = INDENT;
    }
    /* pass 2: paragraphs, about one a block of lines (one a line when a
     * line is a paragraph): the table sized once, not copied by realloc
     * at each doubling (in a --jsonl run's heap no block grows in place) */
    size_t want = (mode == BLANK ? breaks : nonblank) + 16;
    paragraph *paras = arena_grow(&doc->mem, doc->paras, &doc->cap_para, want, sizeof *paras);
    if (!paras) {
        arena_free(&scratch);
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory building paragraphs");
        return QUOTH_ERR_NOMEM;
    }
    doc->paras = paras;
    size_t a = 0;
    while (a < nlines) {
        if (lines[a].blank) {
            a++;
            continue;
        }
        size_t b = a + 1;
        if (mode == BLANK) {
            while (b < nlines && !lines[b].blank && !is_scene_break(t, lines[b].start, lines[b].end) &&
                   !(b == a + 1 && is_scene_break(t, lines[a].start, lines[a].end)))
                b++;
            /* hard-wrapped prose has short lines; a block of long lines is
             * one paragraph per line (editors that never wrap) */
            if (b - a >= 2) {
                size_t total = 0;
                for (size_t k = a; k < b; k++)
                    total += lines[k].end - lines[k].start;
                if (total / (b - a) > 100)
                    b = a + 1;
            }
        } else if (mode == INDENT) {
            while (b < nlines && !lines[b].blank && !lines[b].indented &&
                   !is_heading_line(t, lines[b].start, lines[b].end))
                b++;
        }
        if (!push_block(doc, lines, a, b)) {
            arena_free(&scratch);
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory building paragraphs");
            return QUOTH_ERR_NOMEM;
        }
        a = b;
    }
    arena_free(&scratch);
    /* pass 3: paratext. Project Gutenberg's header and licence first. */
    size_t np = doc->npara;
    for (size_t p = 0; p < np; p++) {
        span32 s = doc->paras[p].span;
        if (gutenberg_marker(t, s.start, s.end, "start of")) {
            for (size_t k = 0; k <= p; k++)
                doc->paras[k].kind = QUOTH_PARA_PARATEXT;
        } else if (gutenberg_marker(t, s.start, s.end, "end of")) {
            for (size_t k = p; k < np; k++)
                doc->paras[k].kind = QUOTH_PARA_PARATEXT;
            break;
        }
    }
    /* Fan-fiction front matter: up to the last cue before the first heading
     * (or within the first paragraphs when there is no early heading). */
    size_t zone = np < 12 ? np : 12;
    for (size_t p = 0; p < np && p < 40; p++)
        if (doc->paras[p].kind == QUOTH_PARA_HEADING) {
            zone = p;
            break;
        }
    size_t last_cue = (size_t)-1;
    for (size_t p = 0; p < zone; p++) {
        span32 s = doc->paras[p].span;
        bool strong;
        if (paratext_cue(t, s.start, s.end, &strong))
            last_cue = p;
        else if (starts_with_quote_mark(t, s.start, s.end))
            break; /* dialogue: the story has begun */
    }
    if (last_cue != (size_t)-1)
        for (size_t p = 0; p <= last_cue; p++)
            if (doc->paras[p].kind == QUOTH_PARA_STORY)
                doc->paras[p].kind = QUOTH_PARA_PARATEXT;
    /* Notes at the end, and unmistakable notes anywhere. */
    for (size_t p = np; p-- > 0;) {
        span32 s = doc->paras[p].span;
        bool strong;
        if (doc->paras[p].kind == QUOTH_PARA_HEADING)
            continue;
        if (!paratext_cue(t, s.start, s.end, &strong))
            break;
        doc->paras[p].kind = QUOTH_PARA_PARATEXT;
    }
    for (size_t p = 0; p < np; p++) {
        span32 s = doc->paras[p].span;
        bool strong;
        if (doc->paras[p].kind == QUOTH_PARA_STORY && may_be_strong_cue(t, s.start, s.end) &&
            paratext_cue(t, s.start, s.end, &strong) && strong)
            doc->paras[p].kind = QUOTH_PARA_PARATEXT;
    }
    /* Paratext the reader marked (chapter notes kept in the text). */
    for (size_t p = 0, r = 0; p < np && r < doc->nparatext; p++) {
        span32 s = doc->paras[p].span;
        while (r < doc->nparatext && doc->paratext[r].end <= s.start)
            r++;
        if (r < doc->nparatext && doc->paratext[r].start < s.end && doc->paras[p].kind == QUOTH_PARA_STORY)
            doc->paras[p].kind = QUOTH_PARA_PARATEXT;
    }
    /* pass 4: sections */
    for (size_t p = 0; p < np; p++) {
        paragraph *pp = &doc->paras[p];
        bool starts = pp->kind == QUOTH_PARA_HEADING || p == 0;
        if (starts) {
            quoth_section_kind kind = QUOTH_SECTION_START;
            if (pp->kind == QUOTH_PARA_HEADING)
                kind = is_scene_break(t, pp->span.start, pp->span.end) ? QUOTH_SECTION_BREAK
                                                                       : QUOTH_SECTION_HEADING;
            if (!push_section(doc, kind, p)) {
                doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory building sections");
                return QUOTH_ERR_NOMEM;
            }
            section *sec = &doc->sections[doc->nsect - 1];
            if (kind != QUOTH_SECTION_START) {
                sec->heading = pp->span;
                /* the title is the heading with its line breaks flattened */
                size_t n = pp->span.end - pp->span.start;
                char *title = arena_strndup(&doc->mem, t + pp->span.start, n);
                if (!title)
                    return QUOTH_ERR_NOMEM;
                for (size_t k = 0; k < n; k++)
                    if (title[k] == '\n' || title[k] == '\r' || title[k] == '\t')
                        title[k] = ' ';
                sec->title = title;
            }
        }
        doc->sections[doc->nsect - 1].para_count++;
        pp->section = (uint32_t)(doc->nsect - 1);
    }
    return QUOTH_OK;
}
