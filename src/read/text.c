/*
 * text.c — the plain-text and Markdown readers.
 *
 * Plain text is taken as it is (a BOM, CRLF and invalid bytes included):
 * segment.c already reads blank-line paragraphs, "# Title" and "Chapter 3"
 * headings and "* * *" scene breaks. Markdown differs only in its inline
 * markers: *emphasis*, _emphasis_, **strong** and backslash escapes are
 * removed, so `*"Go,"* he said` reads as `"Go," he said`; everything else
 * (headings, "* * *", list bullets, links) is kept byte for byte.
 */
#include <string.h>

#include "read_internal.h"

quoth_status read_text(quoth_reading *r, const char *bytes, size_t len) {
    read_put(r, bytes, len, 0, true);
    return QUOTH_OK;
}

static bool is_space_or_edge(const char *s, size_t n, size_t i) {
    return i >= n || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
}

static bool is_alnum_at(const char *s, size_t n, size_t i) {
    if (i >= n)
        return false;
    unsigned char c = (unsigned char)s[i];
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* A line of only '*', '-', '_' and spaces, three marks or more: a thematic
 * break, which segment.c reads as a scene break. */
static bool is_rule_line(const char *s, size_t a, size_t e) {
    size_t marks = 0;
    for (size_t i = a; i < e; i++) {
        if (s[i] == '*' || s[i] == '-' || s[i] == '_')
            marks++;
        else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    }
    return marks >= 3;
}

quoth_status read_markdown(quoth_reading *r, const char *s, size_t len) {
    size_t line = 0;
    while (line < len) {
        const char *nl = memchr(s + line, '\n', len - line);
        size_t e = nl ? (size_t)(nl - s) + 1 : len;
        size_t copy = line; /* start of the bytes not yet written */
        size_t i = line;
        while (i < e && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (is_rule_line(s, line, e) || (i < e && s[i] == '#') || (i < e && s[i] == '`')) {
            read_put(r, s + line, e - line, line, true);
            line = e;
            continue;
        }
        /* a list bullet "* " or "- " stays */
        if (i + 1 < e && (s[i] == '*' || s[i] == '-' || s[i] == '+') && s[i + 1] == ' ')
            i += 2;
        for (; i < e; i++) {
            char c = s[i];
            if (c == '\\' && i + 1 < e && strchr("\\`*_{}[]()#+-.!<>~\"'", s[i + 1])) {
                read_put(r, s + copy, i - copy, copy, true);
                copy = i + 1; /* the escaped character is kept */
                i++;
                continue;
            }
            if (c != '*' && c != '_')
                continue;
            size_t run = i;
            while (run < e && s[run] == c && run - i < 3)
                run++;
            if (run < e && s[run] == c) { /* four or more: not emphasis */
                while (run < e && s[run] == c)
                    run++;
                i = run - 1;
                continue;
            }
            bool before_space = i == line || is_space_or_edge(s, e, i - 1);
            bool after_space = is_space_or_edge(s, e, run);
            bool left = !after_space;   /* opens: *word */
            bool right = !before_space; /* closes: word* */
            if (c == '_' && is_alnum_at(s, e, i ? i - 1 : e) && is_alnum_at(s, e, run))
                left = right = false; /* snake_case */
            if (left || right) {
                read_put(r, s + copy, i - copy, copy, true);
                copy = run;
            }
            i = run - 1;
        }
        read_put(r, s + copy, e - copy, copy, true);
        line = e;
    }
    return QUOTH_OK;
}
