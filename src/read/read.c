/*
 * read.c — quoth_read(): choosing a reader by content, the reading object
 * and its accessors, the writer all readers emit text through (offset map,
 * white space, paragraph breaks, paratext spans), and the cast hint built
 * from a site's character tags.
 */
#include <stdlib.h>
#include <string.h>

#include "read_internal.h"

/* ---- the offset map ---------------------------------------------------------- */

static void map_byte(quoth_reading *r, size_t text, size_t src, bool exact) {
    if (r->npieces) {
        const read_piece *p = &r->pieces[r->npieces - 1];
        if (p->entry == r->cur_entry && p->exact == exact &&
            (exact ? p->source + (text - p->text) == src : p->source == src))
            return;
    }
    bool ok = true;
    ARENA_PUSH(&r->mem, r->pieces, r->npieces, r->cap_pieces, ok);
    if (!ok) {
        r->failed = true;
        return;
    }
    read_piece *p = &r->pieces[r->npieces - 1];
    p->text = text;
    p->source = src;
    p->entry = r->cur_entry;
    p->exact = exact;
}

static void append(quoth_reading *r, const char *s, size_t n, size_t src, bool exact) {
    if (!n)
        return;
    size_t at = r->text.len;
    map_byte(r, at, src, exact);
    buf_append(&r->text, s, n);
    if (r->text.failed)
        r->failed = true;
}

/* Writes what is pending (a space, a blank line) before new text. */
static void flush_pending(quoth_reading *r) {
    if (r->pending == PENDING_BREAK) {
        if (r->text.len)
            append(r, "\n\n", 2, r->pending_src, false);
    } else if (r->pending == PENDING_SPACE) {
        size_t l = r->text.len;
        if (l && r->text.data[l - 1] != '\n')
            append(r, " ", 1, r->pending_src, false);
    }
    r->pending = PENDING_NONE;
    if (r->paratext_waiting) {
        r->paratext_waiting = false;
        r->paratext_start = r->text.len;
    }
}

void read_put(quoth_reading *r, const char *s, size_t n, size_t src, bool exact) {
    if (!n)
        return;
    flush_pending(r);
    append(r, s, n, src, exact);
}

void read_put_owned(quoth_reading *r, char *s, size_t n) {
    /* as read_put(r, s, n, 0, true) into an empty reading */
    map_byte(r, 0, 0, true);
    buf_free(&r->text);
    r->text.data = s;
    r->text.len = n;
    r->text.cap = n + 1; /* s[n] is its NUL */
}

void read_inline_byte(quoth_reading *r, char c, size_t src, bool exact) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        if (r->pending == PENDING_NONE) {
            r->pending = PENDING_SPACE;
            r->pending_src = src;
        }
        return;
    }
    flush_pending(r);
    append(r, &c, 1, src, exact);
}

void read_inline(quoth_reading *r, const char *s, size_t n, size_t src, bool exact) {
    size_t run = 0; /* start of a run of plain bytes */
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : ' ';
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (!space && i < n)
            continue;
        /* one plain space between two words stays in the run: copied as
         * it is, and the offset map keeps one exact piece, not two a word */
        if (c == ' ' && i > run && i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t' && s[i + 1] != '\n' &&
            s[i + 1] != '\r' && s[i + 1] != '\f' && s[i + 1] != '\v')
            continue;
        if (i > run) {
            flush_pending(r);
            append(r, s + run, i - run, exact ? src + run : src, exact);
        }
        if (i < n && r->pending == PENDING_NONE) {
            r->pending = PENDING_SPACE;
            r->pending_src = exact ? src + i : src;
        }
        run = i + 1;
    }
}

void read_break(quoth_reading *r, size_t src) {
    if (r->pending != PENDING_BREAK) {
        r->pending = PENDING_BREAK;
        r->pending_src = src;
    }
}

/* Adds a paratext span, joined to the one before when only white space
 * lies between them (a note's label and its text are one note). */
static void push_paratext(quoth_reading *r, size_t start, size_t end) {
    /* a block enclosing spans already pushed (a long chapter title inside
     * a note) takes their place: the spans stay sorted and apart */
    while (r->nparatext && r->paratext[r->nparatext - 1].start >= start) {
        if (r->paratext[r->nparatext - 1].end > end)
            end = r->paratext[r->nparatext - 1].end;
        r->nparatext--;
    }
    if (r->nparatext && r->paratext[r->nparatext - 1].end >= start) {
        if (end > r->paratext[r->nparatext - 1].end)
            r->paratext[r->nparatext - 1].end = end;
        return;
    }
    if (r->nparatext) {
        quoth_span *last = &r->paratext[r->nparatext - 1];
        size_t k = last->end;
        while (k < start && (r->text.data[k] == '\n' || r->text.data[k] == ' '))
            k++;
        if (k == start) {
            last->end = end;
            return;
        }
    }
    bool ok = true;
    ARENA_PUSH(&r->mem, r->paratext, r->nparatext, r->cap_paratext, ok);
    if (!ok) {
        r->failed = true;
        return;
    }
    r->paratext[r->nparatext - 1].start = start;
    r->paratext[r->nparatext - 1].end = end;
}

void read_heading(quoth_reading *r, const char *title, size_t n, size_t src) {
    /* the title with its white space collapsed */
    buf t;
    buf_init(&t);
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = title[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = t.len > 0;
            continue;
        }
        if (space)
            buf_putc(&t, ' ');
        space = false;
        buf_putc(&t, c);
    }
    if (t.failed)
        r->failed = true;
    if (!t.len) {
        buf_free(&t);
        return;
    }
    read_break(r, src);
    flush_pending(r);
    size_t start = r->text.len;
    if (!segment_is_heading_line(t.data, 0, t.len))
        append(r, "# ", 2, src, false);
    append(r, t.data, t.len, src, false);
    /* a title too long to be a heading line stays out of attribution */
    if (!r->failed && !segment_is_heading_line(r->text.data, start, r->text.len))
        push_paratext(r, start, r->text.len);
    buf_free(&t);
    read_break(r, src);
}

void read_scene_break(quoth_reading *r, size_t src) {
    read_break(r, src);
    read_put(r, "* * *", 5, src, false);
    read_break(r, src);
}

void read_paratext_begin(quoth_reading *r, size_t src) {
    read_break(r, src);
    if (r->paratext_depth++ == 0)
        r->paratext_waiting = true;
}

void read_paratext_end(quoth_reading *r, size_t src) {
    if (r->paratext_depth == 0 || --r->paratext_depth > 0)
        return;
    if (!r->paratext_waiting && r->text.len > r->paratext_start && !r->failed)
        push_paratext(r, r->paratext_start, r->text.len);
    r->paratext_waiting = false;
    read_break(r, src);
}

/* ---- metadata ------------------------------------------------------------------ */

bool read_has_meta(const quoth_reading *r, const char *key) {
    for (size_t i = 0; i < r->nmeta; i++)
        if (!strcmp(r->meta[i].key, key))
            return true;
    return false;
}

void read_meta(quoth_reading *r, const char *key, const char *value, size_t n) {
    if (!value)
        return;
    while (n && (unsigned char)value[0] <= ' ') {
        value++;
        n--;
    }
    while (n && (unsigned char)value[n - 1] <= ' ')
        n--;
    if (!n)
        return;
    bool ok = true;
    ARENA_PUSH(&r->mem, r->meta, r->nmeta, r->cap_meta, ok);
    char *k = ok ? arena_strndup(&r->mem, key, strlen(key)) : NULL;
    char *v = k ? arena_strndup(&r->mem, value, n) : NULL;
    if (!v) {
        if (ok)
            r->nmeta--;
        r->failed = true;
        return;
    }
    r->meta[r->nmeta - 1].key = k;
    r->meta[r->nmeta - 1].value = v;
}

void read_meta_once(quoth_reading *r, const char *key, const char *value, size_t n) {
    if (!read_has_meta(r, key))
        read_meta(r, key, value, n);
}

bool read_set_entry(quoth_reading *r, const char *name) {
    bool ok = true;
    ARENA_PUSH(&r->mem, r->entries, r->nentries, r->cap_entries, ok);
    char *copy = ok ? arena_strndup(&r->mem, name, strlen(name)) : NULL;
    if (!copy) {
        r->failed = true;
        return false;
    }
    r->entries[r->nentries - 1] = copy;
    r->cur_entry = (uint32_t)(r->nentries - 1);
    return true;
}

/* ---- the cast hint --------------------------------------------------------------- */

/* Is w a whole word of the story text (paratext, such as notes, aside)? */
static bool word_in_text(const quoth_reading *r, const char *w, size_t wl) {
    const char *text = r->text.data;
    size_t len = r->text.len;
    if (wl < 2 || !text)
        return false;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *hit = memchr(p, w[0], (size_t)(end - p));
        if (!hit || (size_t)(end - hit) < wl)
            return false;
        if (!memcmp(hit, w, wl)) {
            bool left = hit == text ||
                        !((hit[-1] >= 'a' && hit[-1] <= 'z') || (hit[-1] >= 'A' && hit[-1] <= 'Z'));
            const char *after = hit + wl;
            bool right = after == end ||
                         !((*after >= 'a' && *after <= 'z') || (*after >= 'A' && *after <= 'Z'));
            bool story = true;
            for (size_t k = 0; k < r->nparatext && story; k++)
                if ((size_t)(hit - text) >= r->paratext[k].start &&
                    (size_t)(hit - text) < r->paratext[k].end)
                    story = false;
            if (left && right && story)
                return true;
        }
        p = hit + 1;
    }
    return false;
}

/* Tags that are not a person's name. */
static bool not_a_name(const char *s, size_t n) {
    static const char *const bad[] = {"original ", "character(s)", "reader", "you",
                                      "everyone",  "other(s)",     "others", "various",
                                      "ensemble",  "oc",           "ofc",    "omc",
                                      "mentioned", "background",   "cameo"};
    char low[128];
    if (n == 0 || n >= sizeof low)
        return true;
    for (size_t i = 0; i < n; i++)
        // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): n <= strlen(s)
        low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    low[n] = '\0';
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        const char *b = bad[k];
        size_t bl = strlen(b);
        if (!strcmp(low, b) || (bl > 3 && strstr(low, b)))
            return true;
    }
    return false;
}

/* Does the name's first or last word (or a whole alias) occur in the text? */
static bool name_occurs(const quoth_reading *r, const char *s, size_t n) {
    size_t a = 0;
    while (a < n && s[a] == ' ')
        a++;
    size_t e = a;
    // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): n <= strlen(s)
    while (e < n && s[e] != ' ')
        e++;
    if (word_in_text(r, s + a, e - a))
        return true;
    size_t z = n;
    while (z > a && s[z - 1] == ' ')
        z--;
    size_t b = z;
    while (b > a && s[b - 1] != ' ')
        b--;
    /* "Clark K." from FanFiction.net: only the first name counts */
    if (z - b <= 2 || (z - b == 2 && s[z - 1] == '.'))
        return false;
    return word_in_text(r, s + b, z - b);
}

static void build_cast_hint(quoth_reading *r) {
    buf out;
    buf_init(&out);
    for (size_t i = 0; i < r->nmeta; i++) {
        if (strcmp(r->meta[i].key, "characters"))
            continue;
        const char *v = r->meta[i].value;
        while (*v) {
            const char *nl = strchr(v, '\n');
            size_t n = nl ? (size_t)(nl - v) : strlen(v);
            /* "Kara Danvers | Supergirl", "Clark Kent (Smallville)" */
            char line[256];
            size_t ln = 0;
            int paren = 0;
            for (size_t k = 0; k < n && ln + 1 < sizeof line; k++) {
                if (v[k] == '(')
                    paren++;
                else if (v[k] == ')' && paren)
                    paren--;
                else if (!paren)
                    line[ln++] = v[k];
            }
            line[ln] = '\0';
            /* the parts between '|' */
            bool keep = false, first = true;
            buf entry;
            buf_init(&entry);
            char *save = line;
            while (save) {
                char *bar = strchr(save, '|');
                if (bar)
                    *bar = '\0';
                size_t pl = strlen(save);
                while (pl && save[pl - 1] == ' ')
                    save[--pl] = '\0';
                /* "Clark K." (FanFiction.net): the initial is no name */
                if (pl > 3 && save[pl - 1] == '.' && save[pl - 3] == ' ' && save[pl - 2] >= 'A' &&
                    save[pl - 2] <= 'Z')
                    save[pl -= 3] = '\0';
                while (pl && (save[pl - 1] == ' ' || save[pl - 1] == '.'))
                    save[--pl] = '\0';
                while (*save == ' ')
                    save++, pl--;
                if (pl && !not_a_name(save, pl)) {
                    if (name_occurs(r, save, pl))
                        keep = true;
                    if (!first)
                        buf_puts(&entry, " | ");
                    buf_puts(&entry, save);
                    first = false;
                }
                save = bar ? bar + 1 : NULL;
            }
            if (keep && entry.len) {
                buf_append(&out, entry.data, entry.len);
                buf_putc(&out, '\n');
            }
            buf_free(&entry);
            v += n;
            if (*v == '\n')
                v++;
        }
    }
    if (out.len && !out.failed) {
        r->cast_hint = arena_strndup(&r->mem, out.data, out.len);
        r->cast_len = r->cast_hint ? out.len : 0;
    }
    buf_free(&out);
}

/* ---- choosing a reader ------------------------------------------------------------- */

int quoth_reader_from_name(const char *name, quoth_reader_kind *kind) {
    static const char *const names[] = {"auto", "text", "markdown", "html", "epub"};
    if (!name || !kind)
        return -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i])) {
            *kind = (quoth_reader_kind)i;
            return 0;
        }
    if (!strcmp(name, "md") || !strcmp(name, "txt")) {
        *kind = name[0] == 'm' ? QUOTH_READER_MARKDOWN : QUOTH_READER_TEXT;
        return 0;
    }
    return -1;
}

static bool ascii_ieq(const char *a, size_t n, const char *b) {
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != b[i])
            return false;
    }
    return true;
}

static quoth_reader_kind kind_from_extension(const char *name) {
    if (!name)
        return QUOTH_READER_AUTO;
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return QUOTH_READER_AUTO;
    const char *x = dot + 1;
    size_t n = strlen(x);
    if (ascii_ieq(x, n, "epub"))
        return QUOTH_READER_EPUB;
    if (ascii_ieq(x, n, "html") || ascii_ieq(x, n, "htm") || ascii_ieq(x, n, "xhtml"))
        return QUOTH_READER_HTML;
    if (ascii_ieq(x, n, "md") || ascii_ieq(x, n, "markdown") || ascii_ieq(x, n, "mkd"))
        return QUOTH_READER_MARKDOWN;
    if (ascii_ieq(x, n, "txt") || ascii_ieq(x, n, "text"))
        return QUOTH_READER_TEXT;
    return QUOTH_READER_AUTO;
}

/* Case-insensitive search for an ASCII needle in the first bytes. */
static bool head_has(const char *s, size_t n, const char *needle) {
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= n; i++)
        if (ascii_ieq(s + i, nl, needle))
            return true;
    return false;
}

bool read_looks_like_html(const char *bytes, size_t len) {
    size_t n = len < 1024 ? len : 1024;
    size_t i = 0;
    if (n >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
        i++;
    /* markup that only HTML has, anywhere near the start */
    static const char *const near[] = {"<!doctype html", "<html", "<body", "<p>",
                                       "<br>",           "<br/>", "<br />"};
    for (size_t k = 0; k < sizeof near / sizeof *near; k++)
        if (head_has(bytes, n, near[k]))
            return true;
    /* a document that opens with a tag */
    static const char *const start[] = {"<p ", "<div", "<head", "<meta", "<title",
                                        "<h1", "<h2",  "<h3",   "<!--"};
    size_t m = n - i;
    for (size_t k = 0; k < sizeof start / sizeof *start; k++) {
        size_t l = strlen(start[k]);
        if (m >= l && ascii_ieq(bytes + i, l, start[k]))
            return true;
    }
    if (m >= 5 && !memcmp(bytes + i, "<?xml", 5)) /* XHTML, not any XML */
        return head_has(bytes, len < 4096 ? len : 4096, "<html");
    return false;
}

static bool looks_like_zip(const char *bytes, size_t len) {
    return len >= 4 && !memcmp(bytes, "PK\x03\x04", 4);
}

static quoth_reader_kind choose(const char *bytes, size_t len, const char *hint) {
    if (looks_like_zip(bytes, len))
        return QUOTH_READER_EPUB; /* the EPUB reader says if it is not one */
    if (read_looks_like_html(bytes, len))
        return QUOTH_READER_HTML;
    quoth_reader_kind k = kind_from_extension(hint);
    return k == QUOTH_READER_AUTO ? QUOTH_READER_TEXT : k;
}

/* ---- UTF-16 --------------------------------------------------------------------------- */

/* UTF-16 is what Windows tools ("Unicode" in Notepad, Word's "Unicode
 * text") save. A BOM says so; without one, text that is mostly ASCII has a
 * NUL in every other byte. Returns 1 for UTF-16LE, 2 for UTF-16BE, 0 for
 * anything else; *bom is the BOM's length. A UTF-8 text with stray NULs has
 * them at both parities and is not taken for UTF-16. */
static int utf16_kind(const unsigned char *b, size_t len, size_t *bom) {
    *bom = 0;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        *bom = 2;
        return 1;
    }
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        *bom = 2;
        return 2;
    }
    size_t n = len < 1024 ? len & ~(size_t)1 : 1024;
    if (n < 8)
        return 0;
    size_t zero_even = 0, zero_odd = 0, pairs = n / 2;
    for (size_t i = 0; i < n; i += 2) {
        zero_even += b[i] == 0;
        zero_odd += b[i + 1] == 0;
    }
    if (zero_odd * 2 >= pairs && zero_even * 16 < pairs)
        return 1;
    if (zero_even * 2 >= pairs && zero_odd * 16 < pairs)
        return 2;
    return 0;
}

/* Decodes UTF-16 (kind 1: LE, 2: BE) to UTF-8 in a malloc'd buffer. An
 * unpaired surrogate or a last odd byte becomes U+FFFD, as invalid UTF-8
 * does elsewhere: any bytes give a text. Linear; the result is at most
 * 1.5 times the input (a BMP character: 2 bytes in, 3 out). */
static char *utf16_to_utf8(const unsigned char *b, size_t len, int kind, size_t *out_len) {
    char *out = malloc(len / 2 * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
#define UNIT(k) (kind == 1 ? (uint32_t)b[k] | (uint32_t)b[(k) + 1] << 8 : (uint32_t)b[k] << 8 | (uint32_t)b[(k) + 1])
    while (i + 1 < len) {
        uint32_t c = UNIT(i);
        i += 2;
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < len) {
            uint32_t lo = UNIT(i);
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c < 0xE000)
            c = 0xFFFD;
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | (c >> 12 & 0x3F));
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
#undef UNIT
    if (i < len) { /* an odd last byte */
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- the reading -------------------------------------------------------------------- */

/* owned: bytes itself when the caller hands it over (quoth_read_owned),
 * else NULL; it is kept as the text or freed. */
static quoth_status read_any(const char *bytes, size_t len, char *owned, const char *filename_hint,
                             quoth_reader_kind kind, bool gumbo_only, quoth_reading **out,
                             quoth_error *err) {
    if (out)
        *out = NULL;
    if (!out || (!bytes && len)) {
        free(owned);
        doc_set_error(err, QUOTH_ERR_ARGUMENT, "no input or no place for the reading");
        return QUOTH_ERR_ARGUMENT;
    }
    if (len >= QUOTH_MAX_INPUT) {
        free(owned);
        doc_set_error(err, QUOTH_ERR_LIMIT, "input is %zu bytes; quoth reads at most %zu bytes",
                      len, (size_t)QUOTH_MAX_INPUT - 1);
        return QUOTH_ERR_LIMIT;
    }
    if (!bytes)
        bytes = "";
    /* UTF-16 is decoded to UTF-8 first; the text, and the offsets the map
     * gives back, are then those of the UTF-8 text (as iconv would write
     * it), not byte offsets into the UTF-16 file. An EPUB is never UTF-16. */
    char *decoded = NULL;
    size_t bom = 0;
    int wide = kind == QUOTH_READER_EPUB || looks_like_zip(bytes, len) ? 0 : utf16_kind((const unsigned char *)bytes, len, &bom);
    if (wide) {
        decoded = utf16_to_utf8((const unsigned char *)bytes + bom, len - bom, wide, &len);
        free(owned); /* the decoded copy is read instead */
        owned = NULL;
        if (!decoded) {
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory decoding UTF-16");
            return QUOTH_ERR_NOMEM;
        }
        if (len >= QUOTH_MAX_INPUT) {
            free(decoded);
            doc_set_error(err, QUOTH_ERR_LIMIT, "input is %zu bytes once decoded from UTF-16; quoth reads at most %zu bytes",
                          len, (size_t)QUOTH_MAX_INPUT - 1);
            return QUOTH_ERR_LIMIT;
        }
        bytes = decoded;
    }
    if (kind == QUOTH_READER_AUTO)
        kind = choose(bytes, len, filename_hint);
    quoth_reading *r = calloc(1, sizeof *r);
    if (!r) {
        free(decoded);
        free(owned);
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory");
        return QUOTH_ERR_NOMEM;
    }
    arena_init(&r->mem);
    buf_init(&r->text);
    r->cur_entry = READ_NO_ENTRY;
    r->source_len = len;
    r->gumbo_only = gumbo_only;
    quoth_status st = QUOTH_OK;
    const char *site = NULL;
    switch (kind) {
    case QUOTH_READER_TEXT:
        r->reader = "text";
        if (owned && len) {
            /* the caller's buffer is the text: no copy (a novel's bytes
             * were copied and faulted in twice) */
            read_put_owned(r, owned, len);
            owned = NULL;
        } else {
            st = read_text(r, bytes, len);
        }
        break;
    case QUOTH_READER_MARKDOWN:
        r->reader = "markdown";
        st = read_markdown(r, bytes, len);
        break;
    case QUOTH_READER_HTML: {
        /* a file that says it is XML (<?xml ...?> first, as XHTML does) */
        size_t utf8_bom = len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3) ? 3 : 0;
        bool xml = len - utf8_bom >= 5 && !memcmp(bytes + utf8_bom, "<?xml", 5);
        st = read_html(r, bytes, len, false, xml, &site, err);
        r->reader = site ? site : "html";
        break;
    }
    case QUOTH_READER_EPUB:
        r->reader = "epub";
        st = read_epub(r, bytes, len, err);
        break;
    default:
        st = QUOTH_ERR_ARGUMENT;
        doc_set_error(err, st, "unknown reader %d", (int)kind);
        break;
    }
    free(decoded); /* the reading keeps its own copy of the text */
    free(owned);
    if (st == QUOTH_OK && kind != QUOTH_READER_TEXT) {
        /* "reader" first: it says how the rest was found */
        read_meta(r, "reader", r->reader, strlen(r->reader));
        if (r->nmeta > 1) {
            quoth_meta m = r->meta[r->nmeta - 1];
            memmove(r->meta + 1, r->meta, (r->nmeta - 1) * sizeof *r->meta);
            r->meta[0] = m;
        }
        build_cast_hint(r);
    }
    if (st == QUOTH_OK && !r->text.data) { /* an empty text is "" */
        buf_putc(&r->text, '\0');
        r->text.len = 0;
    }
    if (st == QUOTH_OK && (r->failed || r->text.failed || !r->text.data)) {
        st = QUOTH_ERR_NOMEM;
        doc_set_error(err, st, "out of memory reading the input");
    }
    if (st != QUOTH_OK) {
        quoth_reading_free(r);
        return st;
    }
    *out = r;
    return QUOTH_OK;
}

quoth_status quoth_read(const char *bytes, size_t len, const char *filename_hint,
                        quoth_reader_kind kind, quoth_reading **out, quoth_error *err) {
    return read_any(bytes, len, NULL, filename_hint, kind, false, out, err);
}

quoth_status quoth_read_owned(char *bytes, size_t len, const char *filename_hint,
                              quoth_reader_kind kind, quoth_reading **out, quoth_error *err) {
    return read_any(bytes, len, bytes, filename_hint, kind, false, out, err);
}

quoth_status read_for_testing(const char *bytes, size_t len, const char *filename_hint,
                              quoth_reader_kind kind, bool gumbo_only, unsigned *trees,
                              quoth_reading **out, quoth_error *err) {
    quoth_status st = read_any(bytes, len, NULL, filename_hint, kind, gumbo_only, out, err);
    if (trees)
        *trees = st == QUOTH_OK ? (*out)->html_trees : 0;
    return st;
}

void quoth_reading_free(quoth_reading *r) {
    if (!r)
        return;
    buf_free(&r->text);
    arena_free(&r->mem);
    free(r);
}

const char *quoth_reading_text(const quoth_reading *r, size_t *len) {
    if (len)
        *len = r ? r->text.len : 0;
    return r ? r->text.data : NULL;
}

const char *quoth_reading_reader(const quoth_reading *r) { return r ? r->reader : NULL; }

const quoth_meta *quoth_reading_meta(const quoth_reading *r, size_t *count) {
    if (count)
        *count = r ? r->nmeta : 0;
    return r ? r->meta : NULL;
}

const quoth_span *quoth_reading_paratext(const quoth_reading *r, size_t *count) {
    if (count)
        *count = r ? r->nparatext : 0;
    return r ? r->paratext : NULL;
}

size_t quoth_reading_source_size(const quoth_reading *r) { return r ? r->source_len : 0; }

int quoth_reading_source(const quoth_reading *r, size_t text_offset, size_t *source_offset,
                         const char **entry) {
    if (!r || text_offset > r->text.len)
        return -1;
    if (!r->npieces) { /* no text (a page with no story): its end is the source's */
        if (source_offset)
            *source_offset = r->source_len;
        if (entry)
            *entry = NULL;
        return 0;
    }
    size_t lo = 0, hi = r->npieces; /* last piece starting at or before the offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->pieces[mid].text <= text_offset)
            lo = mid;
        else
            hi = mid;
    }
    const read_piece *p = &r->pieces[lo];
    size_t src = p->exact ? p->source + (text_offset - p->text) : p->source;
    if (text_offset == r->text.len && p->entry == READ_NO_ENTRY && src < r->source_len && !p->exact)
        src = r->source_len;
    if (source_offset)
        *source_offset = src;
    if (entry)
        *entry = p->entry == READ_NO_ENTRY ? NULL : r->entries[p->entry];
    return 0;
}

const char *quoth_reading_cast_hint(const quoth_reading *r, size_t *len) {
    if (len)
        *len = r ? r->cast_len : 0;
    return r ? r->cast_hint : NULL;
}
