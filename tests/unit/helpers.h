/*
 * helpers.h — small helpers shared by the cmocka unit tests. The tests use
 * only the public API (quoth.h); these helpers find byte offsets in test
 * texts, parse up to a stage, compare spans, and check that rendered JSON
 * is well formed (a strict little validator, so the tests need no JSON
 * library).
 */
#ifndef QUOTH_TEST_HELPERS_H
#define QUOTH_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "quoth.h"

/* Parses a NUL-terminated text, stopping after a stage (0: all stages).
 * Fails the test if no document comes back. */
static inline quoth_doc *parse_upto(const char *text, quoth_stage stage) {
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.stop_after = stage;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_doc *doc = quoth_parse(text, strlen(text), &opts, &err);
    if (doc == NULL) {
        fail_msg("quoth_parse returned NULL: status %d: %s", (int)err.status, err.message);
    }
    return doc;
}

/* Same with a cast file's contents. */
static inline quoth_doc *parse_with_cast(const char *text, const char *cast_text, quoth_stage stage,
                                         quoth_cast **cast_out) {
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_cast *cast = quoth_cast_parse(cast_text, strlen(cast_text), &err);
    if (cast == NULL) {
        fail_msg("quoth_cast_parse failed at %zu:%zu: %s", err.line, err.column, err.message);
    }
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.cast = cast;
    opts.stop_after = stage;
    quoth_doc *doc = quoth_parse(text, strlen(text), &opts, &err);
    if (doc == NULL) {
        quoth_cast_free(cast);
        fail_msg("quoth_parse returned NULL: status %d: %s", (int)err.status, err.message);
    }
    *cast_out = cast;
    return doc;
}

/* Byte offset of the n-th (0-based) occurrence of needle in hay; fails
 * the test when there is none. */
static inline size_t offset_nth(const char *hay, const char *needle, int n) {
    const char *p = hay;
    for (;;) {
        const char *hit = strstr(p, needle);
        if (hit == NULL) {
            fail_msg("test text has no occurrence %d of \"%s\"", n, needle);
            return 0;
        }
        if (n-- == 0) {
            return (size_t)(hit - hay);
        }
        p = hit + 1;
    }
}

static inline size_t offset_of(const char *hay, const char *needle) {
    return offset_nth(hay, needle, 0);
}

static inline quoth_span span_of_nth(const char *hay, const char *needle, int n) {
    quoth_span s;
    s.start = offset_nth(hay, needle, n);
    s.end = s.start + strlen(needle);
    return s;
}

static inline quoth_span span_of(const char *hay, const char *needle) {
    return span_of_nth(hay, needle, 0);
}

/* The span of `word` inside the first occurrence of `context`:
 * span_in(text, "he said", "he") is the "he" of "he said". */
static inline quoth_span span_in(const char *hay, const char *context, const char *word) {
    quoth_span s;
    size_t at = offset_of(hay, context);
    const char *hit = strstr(hay + at, word);
    if (hit == NULL || (size_t)(hit - hay) >= at + strlen(context)) {
        fail_msg("\"%s\" is not inside \"%s\"", word, context);
    }
    s.start = (size_t)(hit - hay);
    s.end = s.start + strlen(word);
    return s;
}

/* Asserts that a span covers exactly `want` (a substring at that place in
 * the document's text), printing both on failure. */
#define assert_span_text(doc, span, want)                                                          \
    assert_span_text_((doc), (span), (want), __FILE__, __LINE__)
static inline void assert_span_text_(const quoth_doc *doc, quoth_span span, const char *want,
                                     const char *file, int line) {
    size_t len = 0;
    const char *text = quoth_doc_text(doc, &len);
    if (span.start > span.end || span.end > len) {
        fail_msg("%s:%d: span [%zu,%zu) is outside the text (%zu bytes); wanted \"%s\"", file, line,
                 span.start, span.end, len, want);
    }
    size_t n = span.end - span.start;
    if (n != strlen(want) || memcmp(text + span.start, want, n) != 0) {
        fail_msg("%s:%d: span [%zu,%zu) is \"%.*s\", wanted \"%s\"", file, line, span.start,
                 span.end, (int)n, text + span.start, want);
    }
}

#define assert_span_eq(a, b)                                                                       \
    do {                                                                                           \
        quoth_span a_ = (a), b_ = (b);                                                             \
        if (a_.start != b_.start || a_.end != b_.end) {                                            \
            fail_msg("span [%zu,%zu) != [%zu,%zu)", a_.start, a_.end, b_.start, b_.end);           \
        }                                                                                          \
    } while (0)

/* The index of the character whose name or one alias equals `name`, or
 * QUOTH_NONE. */
static inline size_t character_named(const quoth_doc *doc, const char *name) {
    size_t n = quoth_doc_character_count(doc);
    for (size_t c = 0; c < n; c++) {
        if (strcmp(quoth_character_name(doc, c), name) == 0) {
            return c;
        }
        size_t na = quoth_character_alias_count(doc, c);
        for (size_t i = 0; i < na; i++) {
            if (strcmp(quoth_character_alias(doc, c, i), name) == 0) {
                return c;
            }
        }
    }
    return QUOTH_NONE;
}

/* The name of a character index, for messages ("(none)" for QUOTH_NONE). */
static inline const char *character_label(const quoth_doc *doc, size_t c) {
    if (c == QUOTH_NONE) {
        return "(none)";
    }
    if (c >= quoth_doc_character_count(doc)) {
        return "(out of range)";
    }
    return quoth_character_name(doc, c);
}

/* Asserts the speaker of quotation q is the character called `name`. */
#define assert_speaker(doc, q, name) assert_speaker_((doc), (q), (name), __FILE__, __LINE__)
static inline void assert_speaker_(const quoth_doc *doc, size_t q, const char *name,
                                   const char *file, int line) {
    size_t want = character_named(doc, name);
    if (want == QUOTH_NONE) {
        fail_msg("%s:%d: no character named \"%s\"", file, line, name);
    }
    size_t got = quoth_quote_speaker(doc, q);
    if (got != want) {
        fail_msg("%s:%d: quotation %zu: speaker is %s, wanted %s (rule %s)", file, line, q,
                 character_label(doc, got), name, quoth_rule_name(quoth_quote_rule(doc, q)));
    }
}

/* ---- a strict JSON validator (RFC 8259), for rendered output ---------- */

typedef struct {
    const char *p;
    const char *end;
    int depth;
} json_cursor;

static inline void json_ws(json_cursor *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static inline int json_lit(json_cursor *c, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0) {
        return 0;
    }
    c->p += n;
    return 1;
}

/* Validates one UTF-8 sequence inside a string; returns its length or 0. */
static inline size_t json_utf8(const unsigned char *s, const unsigned char *end) {
    unsigned char b = s[0];
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
        return 1;
    } else if ((b & 0xE0) == 0xC0) {
        n = 2;
        cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
        n = 3;
        cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
        n = 4;
        cp = b & 0x07;
    } else {
        return 0;
    }
    if ((size_t)(end - s) < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

static inline int json_string(json_cursor *c) {
    if (c->p >= c->end || *c->p != '"') {
        return 0;
    }
    c->p++;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            c->p++;
            return 1;
        }
        if (ch < 0x20) {
            return 0; /* control characters must be escaped */
        }
        if (ch == '\\') {
            c->p++;
            if (c->p >= c->end) {
                return 0;
            }
            char e = *c->p;
            if (e == 'u') {
                for (int i = 1; i <= 4; i++) {
                    if (c->p + i >= c->end || !strchr("0123456789abcdefABCDEF", c->p[i]) ||
                        c->p[i] == '\0') {
                        return 0;
                    }
                }
                c->p += 5;
            } else if (strchr("\"\\/bfnrt", e) && e != '\0') {
                c->p++;
            } else {
                return 0;
            }
            continue;
        }
        size_t n = json_utf8((const unsigned char *)c->p, (const unsigned char *)c->end);
        if (n == 0) {
            return 0; /* output must be valid UTF-8 */
        }
        c->p += n;
    }
    return 0;
}

static inline int json_number(json_cursor *c) {
    const char *start = c->p;
    if (c->p < c->end && *c->p == '-') {
        c->p++;
    }
    if (c->p >= c->end) {
        return 0;
    }
    if (*c->p == '0') {
        c->p++;
    } else if (*c->p >= '1' && *c->p <= '9') {
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
            c->p++;
        }
    } else {
        return 0;
    }
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
            return 0;
        }
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
            c->p++;
        }
    }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
            c->p++;
        }
        if (c->p >= c->end || *c->p < '0' || *c->p > '9') {
            return 0;
        }
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
            c->p++;
        }
    }
    return c->p > start;
}

static inline int json_value(json_cursor *c);

static inline int json_container(json_cursor *c, char open, char close) {
    if (++c->depth > 200) {
        return 0;
    }
    c->p++; /* open */
    (void)open;
    json_ws(c);
    if (c->p < c->end && *c->p == close) {
        c->p++;
        c->depth--;
        return 1;
    }
    for (;;) {
        json_ws(c);
        if (close == '}') {
            if (!json_string(c)) {
                return 0;
            }
            json_ws(c);
            if (c->p >= c->end || *c->p != ':') {
                return 0;
            }
            c->p++;
            json_ws(c);
        }
        if (!json_value(c)) {
            return 0;
        }
        json_ws(c);
        if (c->p >= c->end) {
            return 0;
        }
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p == close) {
            c->p++;
            c->depth--;
            return 1;
        }
        return 0;
    }
}

static inline int json_value(json_cursor *c) {
    json_ws(c);
    if (c->p >= c->end) {
        return 0;
    }
    switch (*c->p) {
    case '{': return json_container(c, '{', '}');
    case '[': return json_container(c, '[', ']');
    case '"': return json_string(c);
    case 't': return json_lit(c, "true");
    case 'f': return json_lit(c, "false");
    case 'n': return json_lit(c, "null");
    default: return json_number(c);
    }
}

/* 1 when buf[0..len) is exactly one JSON value (whitespace around it
 * allowed), valid UTF-8 in every string, no raw control characters. */
static inline int json_is_valid(const char *buf, size_t len) {
    json_cursor c = {buf, buf + len, 0};
    if (!json_value(&c)) {
        return 0;
    }
    json_ws(&c);
    return c.p == c.end;
}

#endif
