/*
 * render.c — what every renderer shares: the sink (output in large pieces
 * to the caller's write function), escaping (JSON, XML/HTML, CSV, Fountain,
 * the voice script), and format dispatch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "../internal.h"

/* s->room after out grew or a failure (see sink). */
static void sink_set_room(sink *s) {
    if (s->out.failed)
        s->failed = true;
    s->room = s->failed ? 0 : s->out.cap < SINK_FLUSH_AT ? s->out.cap : SINK_FLUSH_AT;
}

void sink_flush(sink *s) {
    if (s->out.failed)
        s->failed = true;
    if (!s->failed && s->out.len && s->write(s->ctx, s->out.data, s->out.len) != 0)
        s->failed = true;
    s->out.len = 0;
    sink_set_room(s);
}

void sink_write_slow(sink *s, const char *data, size_t len) {
    if (s->failed)
        return;
    buf_append(&s->out, data, len);
    if (s->out.len >= SINK_FLUSH_AT)
        sink_flush(s);
    else
        sink_set_room(s);
}

/* Two digits a division. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* The decimal digits of v, in 32 bits, written backwards to end at end. */
static void put_digits32(char *end, uint32_t v) {
    while (v >= 100) {
        end -= 2;
        memcpy(end, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(end - 2, digit_pairs + 2 * v, 2);
    else
        end[-1] = (char)('0' + v);
}

void sink_uint(sink *s, uint64_t n) {
    /* a JSON result writes a number for every span: most fit 32 bits
     * (offsets do), and go straight into the buffer, their length found
     * first (from the highest bit, then one comparison), as sink_write()
     * would copy them */
    static const uint32_t pow10[10] = {1,      10,      100,      1000,      10000,
                                       100000, 1000000, 10000000, 100000000, 1000000000};
    if (n <= UINT32_MAX) {
        uint32_t v = (uint32_t)n;
        /* bits * log10(2) (1233 / 4096), one short or right; v | 1: 0 has a digit */
        size_t bits = 32 - (size_t)__builtin_clz(v | 1);
        size_t len = (bits * 1233) >> 12;
        len += (v | 1) >= pow10[len];
        if (s->out.len + len < s->room) { /* sink_write()'s test */
            put_digits32(s->out.data + s->out.len + len, v);
            s->out.len += len;
            return;
        }
    }
    char tmp[24];
    size_t i = sizeof tmp;
    while (n > UINT32_MAX) {
        tmp[--i] = (char)('0' + n % 10);
        n /= 10;
    }
    uint32_t v = (uint32_t)n;
    size_t len = 1;
    for (uint32_t rest = v; rest >= 10; rest /= 10)
        len++;
    put_digits32(tmp + i, v);
    i -= len;
    sink_write(s, tmp + i, sizeof tmp - i);
}

void sink_fixed2(sink *s, double x) {
    if (!(x >= 0 && x < 1e15)) { /* negative, huge or NaN: let printf say it */
        sink_printf(s, "%.2f", x);
        return;
    }
    /* printf's %.2f digits: rounding is only in doubt within a hair of a
     * half hundredth, and those go to printf */
    double h = x * 100.0;
    uint64_t whole = (uint64_t)h;
    double fr = h - (double)whole;
    if (fr > 0.4999 && fr < 0.5001) {
        sink_printf(s, "%.2f", x);
        return;
    }
    uint64_t hundredths = whole + (fr > 0.5);
    sink_uint(s, hundredths / 100);
    char frac[3] = {'.', (char)('0' + hundredths % 100 / 10), (char)('0' + hundredths % 10)};
    sink_write(s, frac, 3);
}

void sink_printf(sink *s, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above (false positive)
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->failed = true;
        s->room = 0;
        return;
    }
    if ((size_t)n < sizeof small) {
        sink_write(s, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        s->failed = true;
        s->room = 0;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sink_write(s, big, (size_t)n);
    free(big);
}

/* Eight bytes at a time (SWAR): does a word hold a byte the mode must
 * look at? Exact per-byte tests, so a clean word is skipped whole. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define LOWS7 0x7F7F7F7F7F7F7F7Full

static inline uint64_t zero_bytes(uint64_t x) { /* 0x80 in each zero byte of x */
    return ~(((x & LOWS7) + LOWS7) | x | LOWS7);
}

static inline uint64_t byte_is(uint64_t w, uint8_t c) { return zero_bytes(w ^ (ONES * c)); }

/* Does w hold a byte a JSON string escapes or decodes: a control
 * character, '"', '\\', '<', '>', DEL or a byte from 0x80? */
static inline bool json_word_needs_look(uint64_t w) {
    uint64_t ctrl = (w - ONES * 0x20) & ~w & HIGHS; /* a byte below 0x20 */
    return (w & HIGHS) || ctrl || byte_is(w, 0x7F) || byte_is(w, '"') || byte_is(w, '\\') ||
           byte_is(w, '<') || byte_is(w, '>');
}

void sink_json_string(sink *s, const char *str, size_t len) {
    size_t run = 0; /* start of the pending run of bytes needing no escape */
    for (size_t i = 0; i < len;) {
        /* eight plain bytes at a time (SWAR), as sink_text */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, str + i, 8);
            if (json_word_needs_look(w))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)str[i];
        const char *esc = NULL;
        char tmp[8];
        size_t adv = 1;
        if (c < 0x80) {
            if (c == '"')
                esc = "\\\"";
            else if (c == '\\')
                esc = "\\\\";
            else if (c == '\n')
                esc = "\\n";
            else if (c == '\r')
                esc = "\\r";
            else if (c == '\t')
                esc = "\\t";
            else if (c < 0x20 || c == 0x7F) {
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                esc = tmp;
            } else if (c == '<' || c == '>') {
                /* safe inside HTML <script> blocks that embed our JSON */
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                esc = tmp;
            }
        } else {
            size_t l;
            int32_t cp = utf8_decode((const uint8_t *)str + i, len - i, &l);
            adv = l;
            if (cp == 0xFFFD && l == 1)
                esc = "\xEF\xBF\xBD"; /* an invalid byte: the replacement character */
            else if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp <= 0x9F)) {
                /* line separators break JavaScript string literals; C1
                 * controls (U+009B is a terminal's CSI) are escaped like C0 */
                snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
                esc = tmp;
            }
        }
        if (esc) {
            sink_write(s, str + run, i - run);
            sink_puts(s, esc);
            run = i + adv;
        }
        i += adv;
    }
    sink_write(s, str + run, len - run);
}

void sink_text(sink *s, const char *str, size_t len) {
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        /* eight clean bytes at a time (SWAR): printable ASCII, tab, LF */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, str + i, 8);
            uint64_t ctrl =
                ((w - ONES * 0x20) & ~w & HIGHS) & ~byte_is(w, '\n') & ~byte_is(w, '\t');
            if ((w & HIGHS) || ctrl || byte_is(w, 0x7F))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = (unsigned char)str[i];
        bool drop = false, bad = false, line_sep = false;
        size_t adv = 1;
        if (c < 0x80) {
            drop = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
        } else {
            size_t l;
            int32_t cp = utf8_decode((const uint8_t *)str + i, len - i, &l);
            adv = l;
            bad = cp == 0xFFFD && l == 1;
            drop = cp >= 0x80 && cp <= 0x9F; /* C1 controls, as C0 */
            /* U+2028/U+2029 end a line for some editors: a story must
             * not start a line of the script with a speaker's name */
            line_sep = cp == 0x2028 || cp == 0x2029;
        }
        if (drop || bad || line_sep) {
            sink_write(s, str + run, i - run);
            if (bad)
                sink_puts(s, "\xEF\xBF\xBD");
            else if (line_sep)
                sink_puts(s, " ");
            run = i + adv;
        }
        i += adv;
    }
    sink_write(s, str + run, len - run);
}

/* ASCII byte classes for sink_escaped(): which bytes leave the fast copy
 * loop in which mode (generated once by hand from the rules below). */
enum {
    B_CTRL = 1,
    B_SPACE = 2,
    B_XML = 4,
    B_ATTR = 8,
    B_FOUNTAIN = 16,
    B_VOICES = 32,
    B_LINE = 64
};
/* clang-format off */
static const uint8_t ascii_class[128] = {
     1,  1,  1,  1,  1,  1,  1,  1,  1, 74, 74,  1,  1, 67,  1,  1,
     1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,  1,
     2,  0,  8,  0,  0,  0,  4,  0,  0,  0, 16,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  4,  0,  4,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0, 48, 48,  0,  0, 16,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  1,
};
/* clang-format on */

/* Length of the valid UTF-8 sequence at s (2 to 4 bytes) and its code
 * point, or 0 when it is not one (overlong, surrogate, truncated, > U+10FFFF). */
static size_t utf8_valid(const uint8_t *s, size_t n, uint32_t *cp) {
    uint8_t c = s[0];
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return *cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF) ? 0 : 3;
    }
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return 0;
    *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return *cp < 0x10000 || *cp > 0x10FFFF ? 0 : 4;
}

#if !defined(__SSE2__)
static bool word_needs_care(uint64_t w, escape_mode mode, bool collapse, uint64_t last_byte) {
    /* bytes >= 0x80, and < 0x20 (no byte >= 0x80 is left when this runs) */
    if ((w & HIGHS) || ((w - ONES * 0x20) & ~w & HIGHS) || byte_is(w, 0x7F))
        return true;
    switch (mode) {
    case ESC_XML_ATTR:
        if (byte_is(w, '"'))
            return true;
        /* fall through */
    case ESC_XML_TEXT:
        if (byte_is(w, '&') | byte_is(w, '<') | byte_is(w, '>'))
            return true;
        break;
    case ESC_FOUNTAIN:
        if (byte_is(w, '*') | byte_is(w, '_'))
            return true;
        /* fall through */
    case ESC_VOICES:
        if (byte_is(w, '\\') | byte_is(w, '['))
            return true;
        break;
    case ESC_PLAIN:
    case ESC_CSV: break;
    }
    if (collapse) {
        uint64_t sp = byte_is(w, ' ');
        if ((sp & (sp >> 8)) ||
            (sp & last_byte)) /* two spaces, or one that the next word may double */
            return true;
    }
    return false;
}
#endif

#if defined(__SSE2__)
/* Sixteen bytes at a time: the offset of the first byte of u[j, len) that
 * sink_escaped must look at, or where fewer than 16 bytes are left. Exact
 * per byte, so it lands on the byte itself. */
static size_t skip_clean_sse2(const uint8_t *u, size_t j, size_t len, escape_mode mode,
                              bool collapse) {
    static const char specials[][4] = {
        [ESC_PLAIN] = {0x7F, 0x7F, 0x7F, 0x7F}, [ESC_XML_TEXT] = {'&', '<', '>', 0x7F},
        [ESC_XML_ATTR] = {'&', '<', '>', '"'},  [ESC_FOUNTAIN] = {'\\', '*', '_', '['},
        [ESC_VOICES] = {'\\', '[', 0x7F, 0x7F}, [ESC_CSV] = {'"', 0x7F, 0x7F, 0x7F}};
    const __m128i c20 = _mm_set1_epi8(0x20), c7f = _mm_set1_epi8(0x7F);
    const __m128i nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
    const __m128i sp = _mm_set1_epi8(' ');
    const __m128i s0 = _mm_set1_epi8(specials[mode][0]), s1 = _mm_set1_epi8(specials[mode][1]);
    const __m128i s2 = _mm_set1_epi8(specials[mode][2]), s3 = _mm_set1_epi8(specials[mode][3]);
    /* tab and LF pass as they are unless collapsing or in an attribute */
    const bool keep_lines = !collapse && mode != ESC_XML_ATTR && mode != ESC_CSV;
    while (j + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + j));
        __m128i care = _mm_cmplt_epi8(v, c20); /* controls, and bytes >= 0x80 (negative) */
        if (keep_lines)
            care =
                _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, tab)), care);
        care = _mm_or_si128(care, _mm_cmpeq_epi8(v, c7f));
        care = _mm_or_si128(
            care, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s0), _mm_cmpeq_epi8(v, s1)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, s2), _mm_cmpeq_epi8(v, s3))));
        unsigned m = (unsigned)_mm_movemask_epi8(care);
        if (collapse) {
            /* a space followed by white space */
            unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp));
            unsigned white =
                spaces | (unsigned)_mm_movemask_epi8(_mm_or_si128(
                             _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, tab)),
                             _mm_cmpeq_epi8(v, cr)));
            if ((spaces & 0x8000u) && j + 16 < len && u[j + 16] < 0x80 &&
                (ascii_class[u[j + 16]] & B_SPACE))
                white |=
                    1u << 16; /* the block ends in a space and the next starts with white space */
            m |= spaces & (white >> 1);
        }
        if (m) {
#if defined(__GNUC__)
            return j + (size_t)__builtin_ctz(m);
#else
            size_t k = 0;
            while (!(m & 1u)) {
                m >>= 1;
                k++;
            }
            return j + k;
#endif
        }
        j += 16;
    }
    return j;
}
#endif

void sink_escaped(sink *s, const char *str, size_t len, escape_mode mode, bool collapse) {
#if !defined(__SSE2__)
    const uint16_t endian_probe = 1;
    uint8_t first_in_memory;
    memcpy(&first_in_memory, &endian_probe, 1);
    const uint64_t last_byte =
        first_in_memory ? 0x80ull << 56 : 0x80ull; /* little- or big-endian */
#endif
    static const uint8_t mode_bits[] = {[ESC_PLAIN] = 0,
                                        [ESC_XML_TEXT] = B_XML,
                                        [ESC_XML_ATTR] = B_XML | B_ATTR,
                                        [ESC_FOUNTAIN] = B_FOUNTAIN,
                                        [ESC_VOICES] = B_VOICES,
                                        [ESC_CSV] = 0};
    /* collapsing, tabs and line ends leave the fast loop, and so does a
     * space next to other white space */
    const uint8_t mask = (uint8_t)(B_CTRL | mode_bits[mode] | (collapse ? B_LINE : 0));
    const uint8_t *u = (const uint8_t *)str;
    size_t run = 0; /* start of the pending run of bytes written as they are */
    size_t i = 0;
    bool in_space = false;
    while (i < len) {
        /* the fast path: bytes that need nothing */
        size_t j = i;
        /* after a collapsed space, white space is the slow path's to drop */
        bool fast = !in_space || !(u[i] < 0x80 && (ascii_class[u[i]] & B_SPACE));
        for (;;) {
#if defined(__SSE2__)
            if (fast || j > i)
                j = skip_clean_sse2(u, j, len, mode, collapse);
#else
            if (fast || j > i)
                while (j + 8 <= len) {
                    uint64_t w;
                    memcpy(&w, u + j, 8);
                    /* a space ending the word matters only before more white space */
                    bool space_next = collapse && j + 8 < len && u[j + 8] < 0x80 &&
                                      (ascii_class[u[j + 8]] & B_SPACE);
                    if (word_needs_care(w, mode, collapse, space_next ? last_byte : 0))
                        break;
                    j += 8;
                }
#endif
            /* byte by byte through the word that needs care, then words again */
            size_t stop = j + 16 < len ? j + 16 : len;
            while (j < stop && u[j] < 0x80 && !(ascii_class[u[j]] & mask)) {
                if (collapse && u[j] == ' ' &&
                    ((j == i && in_space) ||
                     (j + 1 < len && u[j + 1] < 0x80 && (ascii_class[u[j + 1]] & B_SPACE))))
                    break;
                j++;
            }
            if (j < stop || j >= len)
                break;
        }
        if (j > i)
            in_space = false;
        i = j;
        if (i >= len)
            break;
        uint8_t c = u[i];
        const char *rep = NULL; /* replacement for bytes [i, i + adv) */
        size_t adv = 1;
        if (c >= 0x80) {
            uint32_t cp = 0;
            adv = utf8_valid(u + i, len - i, &cp);
            in_space = false;
            if (!adv) {
                adv = 1;
                rep = "\xEF\xBF\xBD"; /* an invalid byte: the replacement character */
            } else if (cp == 0xFFFE || cp == 0xFFFF) {
                rep = "\xEF\xBF\xBD";
            } else if (cp >= 0x80 && cp <= 0x9F) {
                rep = ""; /* C1 controls: forbidden in HTML, useless elsewhere */
            } else if ((cp == 0x2028 || cp == 0x2029) && mode != ESC_XML_TEXT && mode != ESC_XML_ATTR) {
                rep = " "; /* a line end to some readers of the line formats */
            } else {
                i += adv;
                continue;
            }
        } else if (collapse && (ascii_class[c] & B_SPACE)) {
            if (!in_space && c == ' ') { /* a single space stays in the run */
                in_space = true;
                i++;
                continue;
            }
            rep = in_space ? "" : " ";
            in_space = true;
        } else {
            in_space = false;
            if (ascii_class[c] & B_CTRL)
                rep = "";
            else
                switch (mode) {
                case ESC_XML_TEXT:
                case ESC_XML_ATTR:
                    rep = c == '&'    ? "&amp;"
                          : c == '<'  ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '"'  ? "&quot;"
                          : c == '\n' ? "&#10;"
                                      : "&#9;";
                    break;
                case ESC_FOUNTAIN:
                    if (c == '\\')
                        rep = "\\\\";
                    else if (c == '*')
                        rep = "\\*";
                    else if (c == '_')
                        rep = "\\_";
                    else if (i + 1 < len && u[i + 1] == '[')
                        rep = "[\xE2\x80\x8B"; /* [ U+200B: never a [[note]] */
                    else {
                        i++;
                        continue; /* a lone '[' */
                    }
                    break;
                case ESC_VOICES: rep = c == '\\' ? "\\\\" : "\\["; break;
                case ESC_PLAIN:
                case ESC_CSV: break;
                }
        }
        if (rep) {
            sink_write(s, str + run, i - run);
            sink_write(s, rep, !rep[0] ? 0 : !rep[1] ? 1 : strlen(rep)); /* mostly "" or " " */
            run = i + adv;
        }
        i += adv;
    }
    sink_write(s, str + run, len - run);
}

void sink_csv_field(sink *s, const char *str, size_t len) {
    bool quoted = false;
    for (size_t i = 0; i < len && !quoted; i++)
        quoted = str[i] == ',' || str[i] == '"' || str[i] == '\n' || str[i] == '\r';
    if (quoted)
        sink_puts(s, "\"");
    if (len && str[0] && strchr("=+-@\t\r", str[0]))
        sink_puts(s, "'");
    const uint8_t *u = (const uint8_t *)str;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
#if defined(__SSE2__)
        i = skip_clean_sse2(u, i, len, ESC_CSV, false);
        if (i >= len)
            break;
#endif
        uint8_t c = u[i];
        if (c >= 0x20 && c < 0x7F && c != '"') { /* most bytes */
            i++;
            continue;
        }
        const char *rep = NULL;
        size_t adv = 1;
        if (c == '"')
            rep = "\"\"";
        else if (c == '\n')
            rep = "\r\n"; /* RFC 4180 line ends inside a field too */
        else if (c == '\t')
            rep = NULL;
        else if (c < 0x80)
            rep = ""; /* other controls, and CR: a line end is written from its LF */
        else {
            uint32_t cp = 0;
            adv = utf8_valid(u + i, len - i, &cp);
            if (!adv) {
                adv = 1;
                rep = "\xEF\xBF\xBD";
            } else if (cp == 0xFFFE || cp == 0xFFFF)
                rep = "\xEF\xBF\xBD";
            else if (cp <= 0x9F)
                rep = "";
        }
        if (rep) {
            sink_write(s, str + run, i - run);
            sink_puts(s, rep);
            run = i + adv;
        }
        i += adv;
    }
    sink_write(s, str + run, len - run);
    if (quoted)
        sink_puts(s, "\"");
}

static bool is_quote_mark(int32_t c) {
    return c == '"' || c == '\'' || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
           c == 0xAB || c == 0xBB || c == 0x201E || c == 0x2039 || c == 0x203A;
}

void render_trim_narration(const char *text, size_t *a, size_t *b) {
    const uint8_t *t = (const uint8_t *)text;
    size_t x = *a, y = *b;
    while (x < y) {
        size_t l;
        int32_t c = utf8_decode(t + x, y - x, &l);
        if (!(is_quote_mark(c) || uc_is_space(c) || c == ','))
            break;
        x += l;
    }
    while (y > x) {
        size_t l;
        int32_t c = utf8_decode_before(t, y, &l);
        if (!(is_quote_mark(c) || uc_is_space(c)))
            break;
        y -= l;
    }
    *a = x;
    *b = y;
}

size_t render_upper(const char *str, char *out, size_t cap) {
    size_t n = 0, len = strlen(str);
    for (size_t i = 0; i < len;) {
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)str + i, len - i, &l);
        c = c < 0x80 ? ((c >= 'a' && c <= 'z') ? c - 32 : c) : utf8proc_toupper(c);
        uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(c, enc);
        if (el <= 0 || n + (size_t)el + 1 > cap)
            break;
        memcpy(out + n, enc, (size_t)el);
        n += (size_t)el;
        i += l;
    }
    if (cap)
        out[n] = '\0';
    return n;
}

static bool starts_with_ci(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    if (len < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != prefix[i])
            return false;
    }
    return true;
}

bool fountain_action_needs_force(const char *line, size_t len) {
    while (len && ((unsigned char)line[0] < 0x20 || line[0] == 0x7F)) { /* dropped when written */
        line++;
        len--;
    }
    if (!len)
        return false;
    if (strchr("\\*_", line[0]))
        goto caps; /* written "\x": nothing at the start to misread */
    if (strchr("!@~.>#=[", line[0]))
        return true;
    char first = (char)(line[0] | 0x20);
    if (!strchr("ietcasndr", first) || !first)
        goto caps; /* no heading or title page key starts otherwise */
    /* scene headings: INT. EXT. EST. INT/EXT I/E, in any case */
    static const char *const heads[] = {"int.", "int ",    "ext.",     "ext ", "est.",
                                        "est ", "int/ext", "int./ext", "i/e"};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        if (starts_with_ci(line, len, heads[i]))
            return true;
    /* a title page key at the top of a script ("Notes: ...") */
    static const char *const keys[] = {
        "title:",     "credit:", "author:",  "authors:",   "source:",   "notes:",    "draft date:",
        "draftdate:", "date:",   "contact:", "copyright:", "revision:", "revisions:"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (starts_with_ci(line, len, keys[i]))
            return true;
caps:;
    /* all capitals reads as a character cue or a transition */
    bool letter = false;
    for (size_t i = 0; i < len;) {
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)line + i, len - i, &l);
        if (uc_is_lower(c))
            return false;
        letter |= uc_is_letter(c);
        i += l;
    }
    return letter;
}

bool fountain_name_needs_force(const char *name) {
    size_t len = strlen(name);
    if (!len || strchr("!@~.>#=[\\", name[0]))
        return true;
    bool ascii_letter = false;
    for (size_t i = 0; i < len;) {
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)name + i, len - i, &l);
        if (c >= 'A' && c <= 'Z')
            ascii_letter = true;
        else if (uc_is_letter(c) || c == '^' || c == '(' || c == ')')
            return true; /* lower case left after upper-casing, or not Latin */
        i += l;
    }
    if (!ascii_letter)
        return true;
    static const char *const heads[] = {"int.", "int ", "ext.", "ext ", "est.", "est ", "i/e"};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        if (starts_with_ci(name, len, heads[i]))
            return true;
    return len >= 3 && !strcmp(name + len - 3, "TO:");
}

static const char *const format_names[QUOTH_FORMAT_COUNT + 1] = {
    NULL, "json", "script", "fountain", "tei", "html", "csv", "ssml", "voices"};

const char *quoth_format_name(quoth_format format) {
    return format >= 1 && format <= QUOTH_FORMAT_COUNT ? format_names[format] : NULL;
}

int quoth_format_from_name(const char *name, quoth_format *format) {
    if (!name || !format)
        return -1;
    if (!strcmp(name, "text") || !strcmp(name, "txt")) {
        *format = QUOTH_FORMAT_SCRIPT;
        return 0;
    }
    for (int f = 1; f <= QUOTH_FORMAT_COUNT; f++)
        if (!strcmp(name, format_names[f])) {
            *format = (quoth_format)f;
            return 0;
        }
    return -1;
}

quoth_status quoth_render(const quoth_doc *doc, quoth_format format, unsigned flags,
                          quoth_write_fn write, void *ctx) {
    quoth_render_options opts = QUOTH_RENDER_OPTIONS_INIT;
    opts.flags = flags;
    return quoth_render_ex(doc, format, &opts, write, ctx);
}

quoth_status quoth_render_ex(const quoth_doc *doc, quoth_format format,
                             const quoth_render_options *opts, quoth_write_fn write, void *ctx) {
    if (!doc || !write)
        return QUOTH_ERR_ARGUMENT;
    quoth_render_options defaults = QUOTH_RENDER_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    sink s;
    memset(&s, 0, sizeof s);
    s.write = write;
    s.ctx = ctx;
    buf_init(&s.out);
    quoth_status st;
    switch (format) {
    case QUOTH_FORMAT_JSON: st = render_json(doc, opts->flags, &s); break;
    case QUOTH_FORMAT_SCRIPT: st = render_script(doc, opts->flags, &s); break;
    case QUOTH_FORMAT_FOUNTAIN: st = render_fountain(doc, opts, &s); break;
    case QUOTH_FORMAT_TEI: st = render_tei(doc, opts, &s); break;
    case QUOTH_FORMAT_HTML: st = render_html(doc, opts, &s); break;
    case QUOTH_FORMAT_CSV: st = render_csv(doc, opts, &s); break;
    case QUOTH_FORMAT_SSML: st = render_ssml(doc, opts, &s); break;
    case QUOTH_FORMAT_VOICES: st = render_voices(doc, opts, &s); break;
    default: st = QUOTH_ERR_ARGUMENT; break;
    }
    sink_flush(&s);
    bool nomem = s.out.failed;
    buf_free(&s.out);
    if (st == QUOTH_OK && s.failed)
        st = nomem ? QUOTH_ERR_NOMEM : QUOTH_ERR_OUTPUT;
    return st;
}

static int write_to_buf(void *ctx, const char *data, size_t len) {
    buf *b = ctx;
    buf_append(b, data, len);
    return b->failed ? -1 : 0;
}

char *quoth_render_string(const quoth_doc *doc, quoth_format format, unsigned flags, size_t *len) {
    buf b;
    buf_init(&b);
    quoth_status st = quoth_render(doc, format, flags, write_to_buf, &b);
    if (st != QUOTH_OK || b.failed) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data) {
        b.data = malloc(1);
        if (!b.data)
            return NULL;
        b.data[0] = '\0';
    }
    if (len)
        *len = b.len;
    return b.data;
}

bool render_lang_ok(const char *l) {
    if (!l || !l[0] || strlen(l) > 35)
        return false;
    for (const char *p = l; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return false;
    return true;
}
