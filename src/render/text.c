/*
 * text.c — a readable script: section headings, narration as it stands,
 * and each quotation on its own line after its speaker's name in capitals
 * ("LEX LUTHOR: ..."), with "?" where the speaker is unknown.
 */
#include <string.h>

#include "../internal.h"

static void upper_name(sink *s, const char *name) {
    char up[256];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof up; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        up[n++] = c;
    }
    sink_text(s, up, n);
}

quoth_status render_script(const quoth_doc *doc, unsigned flags, sink *s) {
    (void)flags;
    quoth_iter *it = quoth_iter_new(doc);
    if (!it)
        return QUOTH_ERR_NOMEM;
    quoth_event ev;
    size_t printed_quote = QUOTH_NONE;
    bool narration_open = false;
    while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
        const quoth_node *n = quoth_iter_node(it);
        switch (n->kind) {
        case QUOTH_NODE_SECTION:
            if (ev == QUOTH_EVENT_ENTER && doc->sections[n->index].title) {
                sink_puts(s, "== ");
                sink_text(s, doc->sections[n->index].title, strlen(doc->sections[n->index].title));
                sink_puts(s, " ==\n\n");
            }
            break;
        case QUOTH_NODE_PARAGRAPH: {
            const paragraph *p = &doc->paras[n->index];
            if (ev == QUOTH_EVENT_ENTER) {
                narration_open = false;
                if (p->kind == QUOTH_PARA_PARATEXT)
                    sink_puts(s, "[note] ");
            } else if (p->kind != QUOTH_PARA_HEADING) {
                sink_puts(s, "\n\n");
            }
            break;
        }
        case QUOTH_NODE_TEXT: {
            if (doc->paras[n->index].kind == QUOTH_PARA_HEADING)
                break;
            /* narration between quotations, marks and tag punctuation trimmed */
            size_t a = n->span.start, b = n->span.end;
            const char *t = doc->text;
            while (a < b && (strchr(" \t\r\n\"',", t[a]) || (unsigned char)t[a] >= 0x80)) {
                if ((unsigned char)t[a] >= 0x80) {
                    size_t l;
                    int32_t c = utf8_decode((const uint8_t *)t + a, b - a, &l);
                    if (c != 0x201C && c != 0x201D && c != 0x2018 && c != 0x2019 && c != 0xAB && c != 0xBB)
                        break;
                    a += l;
                } else {
                    a++;
                }
            }
            while (b > a && strchr(" \t\r\n\"'", t[b - 1]))
                b--;
            if (b > a) {
                sink_puts(s, narration_open ? " " : "");
                sink_text(s, t + a, b - a);
                narration_open = true;
            }
            break;
        }
        case QUOTH_NODE_QUOTE: {
            const quote *q = &doc->quotes[n->index];
            if (narration_open)
                sink_puts(s, "\n");
            narration_open = false;
            if (printed_quote == n->index)
                sink_puts(s, "  ... ");
            else if (q->speaker != QUOTH_NONE)
                upper_name(s, doc->chars[q->speaker].name), sink_puts(s, ": ");
            else
                sink_puts(s, "?: ");
            sink_text(s, doc->text + n->span.start, n->span.end - n->span.start);
            sink_puts(s, "\n");
            printed_quote = n->index;
            break;
        }
        default:
            break;
        }
    }
    quoth_iter_free(it);
    return QUOTH_OK;
}
