/*
 * utf8.c — decoding that never fails (invalid bytes become U+FFFD one byte
 * at a time, so offsets stay byte offsets of the input) and character
 * classes from utf8proc. ASCII takes a fast path, inline in internal.h: it
 * is most of the text.
 */
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

int32_t utf8_decode_nonascii(const uint8_t *s, size_t n, size_t *len) {
    if (n == 0) {
        *len = 0;
        return -1;
    }
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t r = utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), &cp);
    if (r <= 0) {
        *len = 1;
        return 0xFFFD;
    }
    *len = (size_t)r;
    return cp;
}

int32_t utf8_decode_before_nonascii(const uint8_t *s, size_t pos, size_t *len) {
    size_t start = pos - 1;
    size_t back = 0;
    while (start > 0 && back < 3 && (s[start] & 0xC0) == 0x80) {
        start--;
        back++;
    }
    size_t l;
    int32_t c = utf8_decode(s + start, pos - start, &l);
    if (start + l != pos) { /* not a clean sequence ending at pos */
        *len = 1;
        return s[pos - 1] < 0x80 ? s[pos - 1] : 0xFFFD;
    }
    *len = l;
    return c;
}

bool uc_is_letter_nonascii(int32_t c) {
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

bool uc_is_upper_nonascii(int32_t c) {
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool uc_is_lower_nonascii(int32_t c) { return utf8proc_category(c) == UTF8PROC_CATEGORY_LL; }

bool uc_is_digit_nonascii(int32_t c) { return utf8proc_category(c) == UTF8PROC_CATEGORY_ND; }

bool uc_is_space_nonascii(int32_t c) {
    if (c == 0xA0 || c == 0xFEFF)
        return true;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

size_t utf8_fold(const char *s, size_t n, char *out, size_t cap) {
    size_t o = 0;
    if (cap == 0)
        return 0;
    /* the ASCII prefix, most words entirely, in a tight loop */
    size_t ascii_end = n < cap - 1 ? n : cap - 1;
    while (o < ascii_end && (unsigned char)s[o] < 0x80) {
        unsigned char ch = (unsigned char)s[o];
        out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    for (size_t i = o; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            if (o + 1 >= cap)
                break;
            out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            i++;
            continue;
        }
        size_t l;
        int32_t c = utf8_decode((const uint8_t *)s + i, n - i, &l);
        i += l;
        if (c == 0x2019 || c == 0x2018) { /* curly apostrophe folds to ' */
            if (o + 1 >= cap)
                break;
            out[o++] = '\'';
            continue;
        }
        c = utf8proc_tolower(c);
        uint8_t enc[4];
        utf8proc_ssize_t el = utf8proc_encode_char(c, enc);
        if (el <= 0 || o + (size_t)el >= cap)
            break;
        memcpy(out + o, enc, (size_t)el);
        o += (size_t)el;
    }
    out[o] = '\0';
    return o;
}
