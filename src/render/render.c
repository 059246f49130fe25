/*
 * render.c — what every renderer shares: the sink (output in large pieces
 * to the caller's write function), escaping, and format dispatch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

#define SINK_FLUSH_AT (64 * 1024)

void sink_flush(sink *s) {
    if (s->out.failed)
        s->failed = true;
    if (!s->failed && s->out.len && s->write(s->ctx, s->out.data, s->out.len) != 0)
        s->failed = true;
    s->out.len = 0;
}

void sink_write(sink *s, const char *data, size_t len) {
    if (s->failed)
        return;
    buf_append(&s->out, data, len);
    if (s->out.len >= SINK_FLUSH_AT)
        sink_flush(s);
}

void sink_puts(sink *s, const char *str) { sink_write(s, str, strlen(str)); }

void sink_printf(sink *s, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        sink_write(s, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        s->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sink_write(s, big, (size_t)n);
    free(big);
}

void sink_json_string(sink *s, const char *str, size_t len) {
    size_t run = 0; /* start of the pending run of bytes needing no escape */
    for (size_t i = 0; i < len;) {
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
            else if (cp == 0x2028 || cp == 0x2029) {
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
        unsigned char c = (unsigned char)str[i];
        bool drop = false, bad = false;
        size_t adv = 1;
        if (c < 0x80) {
            drop = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
        } else {
            size_t l;
            int32_t cp = utf8_decode((const uint8_t *)str + i, len - i, &l);
            adv = l;
            bad = cp == 0xFFFD && l == 1;
        }
        if (drop || bad) {
            sink_write(s, str + run, i - run);
            if (bad)
                sink_puts(s, "\xEF\xBF\xBD");
            run = i + adv;
        }
        i += adv;
    }
    sink_write(s, str + run, len - run);
}

int quoth_format_from_name(const char *name, quoth_format *format) {
    if (!name || !format)
        return -1;
    if (!strcmp(name, "json")) {
        *format = QUOTH_FORMAT_JSON;
        return 0;
    }
    if (!strcmp(name, "script") || !strcmp(name, "text") || !strcmp(name, "txt")) {
        *format = QUOTH_FORMAT_SCRIPT;
        return 0;
    }
    return -1;
}

quoth_status quoth_render(const quoth_doc *doc, quoth_format format, unsigned flags,
                          quoth_write_fn write, void *ctx) {
    if (!doc || !write)
        return QUOTH_ERR_ARGUMENT;
    sink s;
    memset(&s, 0, sizeof s);
    s.write = write;
    s.ctx = ctx;
    buf_init(&s.out);
    quoth_status st;
    switch (format) {
    case QUOTH_FORMAT_JSON: st = render_json(doc, flags, &s); break;
    case QUOTH_FORMAT_SCRIPT: st = render_script(doc, flags, &s); break;
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
