/*
 * voice.c — the story for text-to-speech: SSML 1.1 (<speak>, a <voice> for
 * the narration and one per speaker's line) and the plain voice script
 * ("[voice:NAME]...[/voice]", one segment a line, a blank line between
 * paragraphs; '[' and '\' in the text are written "\[" and "\\"). Both take
 * their voices from a voice map (quoth_voices_parse: "Name = voice-id"
 * lines) or the deterministic defaults: "narrator", "unknown", and
 * "voice1", "voice2", ... for the speaking characters in id order.
 * Paratext (disclaimers, author's notes) is not read aloud.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

/* ---- the voice map ------------------------------------------------------- */

static char *dup_trimmed(const char *a, const char *b) {
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
        b--;
    char *r = malloc((size_t)(b - a) + 1);
    if (r) {
        memcpy(r, a, (size_t)(b - a));
        r[b - a] = '\0';
    }
    return r;
}

static bool same_ci(const char *a, const char *b) {
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

void quoth_voices_free(quoth_voices *v) {
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++) {
        free(v->names[i]);
        free(v->voices[i]);
    }
    free(v->names);
    free(v->voices);
    free(v);
}

static quoth_voices *voices_fail(quoth_voices *v, quoth_error *err, quoth_status st, size_t line,
                                 const char *msg) {
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = st;
        err->line = line;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    quoth_voices_free(v);
    return NULL;
}

quoth_voices *quoth_voices_parse(const char *data, size_t len, quoth_error *err) {
    if (!data && len)
        return voices_fail(NULL, err, QUOTH_ERR_ARGUMENT, 0, "no voice map text");
    quoth_voices *v = calloc(1, sizeof *v);
    if (!v)
        return voices_fail(NULL, err, QUOTH_ERR_NOMEM, 0, "out of memory");
    size_t cap = 0, lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *line = data + pos;
        const char *nl = memchr(line, '\n', len - pos);
        const char *end = nl ? nl : data + len;
        pos = (size_t)(end - data) + (nl ? 1 : 0);
        lineno++;
        const char *a = line;
        if (lineno == 1 && end - a >= 3 && !memcmp(a, "\xEF\xBB\xBF", 3))
            a += 3;
        while (a < end && (*a == ' ' || *a == '\t' || *a == '\r'))
            a++;
        if (a == end || *a == '#')
            continue;
        for (const char *c = a; c < end; c++)
            if ((unsigned char)*c < 0x20 && *c != '\t' && *c != '\r')
                return voices_fail(v, err, QUOTH_ERR_ARGUMENT, lineno,
                                   "a control character in the line");
        const char *eq = memchr(a, '=', (size_t)(end - a));
        if (!eq)
            return voices_fail(v, err, QUOTH_ERR_ARGUMENT, lineno,
                               "expected 'Name = voice-id' (no '=' in the line)");
        char *name = dup_trimmed(a, eq), *voice = dup_trimmed(eq + 1, end);
        if (!name || !voice) {
            free(name);
            free(voice);
            return voices_fail(v, err, QUOTH_ERR_NOMEM, lineno, "out of memory");
        }
        const char *problem = !name[0]               ? "the name before '=' is empty"
                              : !voice[0]            ? "the voice after '=' is empty"
                              : strpbrk(voice, "[]") ? "a voice id cannot hold '[' or ']'"
                                                     : NULL;
        for (size_t i = 0; i < v->count && !problem; i++)
            if (same_ci(v->names[i], name))
                problem = "this name was given a voice on an earlier line";
        if (problem) {
            free(name);
            free(voice);
            return voices_fail(v, err, QUOTH_ERR_ARGUMENT, lineno, problem);
        }
        if (v->count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **nn = realloc(v->names, ncap * sizeof *nn);
            if (nn)
                v->names = nn;
            char **nv = nn ? realloc(v->voices, ncap * sizeof *nv) : NULL;
            if (nv)
                v->voices = nv;
            if (!nn || !nv) {
                free(name);
                free(voice);
                return voices_fail(v, err, QUOTH_ERR_NOMEM, lineno, "out of memory");
            }
            cap = ncap;
        }
        v->names[v->count] = name;
        v->voices[v->count] = voice;
        v->count++;
    }
    return v;
}

static const char *mapped(const quoth_voices *v, const char *name) {
    if (v)
        for (size_t i = 0; i < v->count; i++)
            if (same_ci(v->names[i], name))
                return v->voices[i];
    return NULL;
}

/* The voice for ch; ordinal is its default number (voice<ordinal>) when
 * the caller knows it, 0 when it must be counted. */
static size_t voice_for(const quoth_doc *doc, const quoth_voices *voices, size_t ch, size_t ordinal,
                        char *out, size_t cap) {
    char dflt[32];
    const char *r = NULL;
    if (ch == QUOTH_NONE) {
        r = mapped(voices, "narrator");
        if (!r)
            r = "narrator";
    } else if (ch == QUOTH_VOICE_UNKNOWN || !doc || ch >= doc->nchar) {
        r = mapped(voices, "unknown");
        if (!r)
            r = "unknown";
    } else {
        const character *c = &doc->chars[ch];
        r = mapped(voices, c->id);
        if (!r && c->name)
            r = mapped(voices, c->name);
        for (uint32_t i = 0; !r && i < c->naliases; i++)
            r = mapped(voices, c->aliases[i]);
        if (!r) {
            /* the k-th speaking character in id order reads as voice<k> */
            size_t k = ordinal;
            for (size_t i = 0; !k && i <= ch; i++)
                k += doc->chars[i].listed && doc->chars[i].quotes > 0;
            snprintf(dflt, sizeof dflt, "voice%zu", k ? k : ch + 1);
            r = dflt;
        }
    }
    size_t n = strlen(r);
    if (cap) {
        size_t m = n < cap - 1 ? n : cap - 1;
        memcpy(out, r, m);
        out[m] = '\0';
    }
    return n;
}

size_t quoth_voice_for(const quoth_doc *doc, const quoth_voices *voices, size_t ch, char *out,
                       size_t cap) {
    return voice_for(doc, voices, ch, 0, out, cap);
}

/* ---- the renderers --------------------------------------------------------- */

/* Each voice's opening tag, escaped once: <voice name="..."> or [voice:...]. */
typedef struct {
    char **by_char; /* per character */
    char *narrator, *unknown;
} voice_table;

static int write_buf(void *ctx, const char *data, size_t len) {
    buf_append(ctx, data, len);
    return ((buf *)ctx)->failed ? -1 : 0;
}

/* The opening tag for voice (malloc'd; NULL when out of memory). */
static char *opening(const char *voice, bool ssml) {
    buf b;
    buf_init(&b);
    sink tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.write = write_buf;
    tmp.ctx = &b;
    buf_init(&tmp.out);
    sink_puts(&tmp, ssml ? "<voice name=\"" : "[voice:");
    sink_escaped(&tmp, voice, strlen(voice), ssml ? ESC_XML_ATTR : ESC_VOICES, !ssml);
    sink_puts(&tmp, ssml ? "\">" : "]");
    sink_flush(&tmp);
    bool failed = tmp.failed || tmp.out.failed || b.failed;
    buf_free(&tmp.out);
    if (failed) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

static void table_free(voice_table *t, size_t nchar) {
    if (t->by_char)
        for (size_t c = 0; c < nchar; c++)
            free(t->by_char[c]);
    free(t->by_char);
    free(t->narrator);
    free(t->unknown);
}

static char *voice_dup(const quoth_doc *doc, const quoth_voices *v, size_t ch, size_t ordinal,
                       bool ssml) {
    size_t n = voice_for(doc, v, ch, ordinal, NULL, 0);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    voice_for(doc, v, ch, ordinal, r, n + 1);
    char *tag = opening(r, ssml);
    free(r);
    return tag;
}

static bool table_init(voice_table *t, const quoth_doc *doc, const quoth_voices *v, bool ssml) {
    memset(t, 0, sizeof *t);
    t->by_char = calloc(doc->nchar ? doc->nchar : 1, sizeof *t->by_char);
    t->narrator = voice_dup(doc, v, QUOTH_NONE, 0, ssml);
    t->unknown = voice_dup(doc, v, QUOTH_VOICE_UNKNOWN, 0, ssml);
    bool ok = t->by_char && t->narrator && t->unknown;
    size_t k = 0; /* speaking characters so far, in id order */
    for (size_t c = 0; ok && c < doc->nchar; c++) {
        k += doc->chars[c].listed && doc->chars[c].quotes > 0;
        ok = (t->by_char[c] = voice_dup(doc, v, c, k ? k : c + 1, ssml)) != NULL;
    }
    if (!ok)
        table_free(t, doc->nchar);
    return ok;
}

static const char *voice_of_quote(const voice_table *t, const quoth_doc *doc, size_t q) {
    size_t sp = doc->quotes[q].speaker;
    return sp == QUOTH_NONE ? t->unknown : t->by_char[sp];
}

/* One segment: narration (voice NULL: the narrator's) or a quotation span. */
typedef void (*segment_fn)(sink *s, const char *voice, const char *text, size_t len);

static void ssml_segment(sink *s, const char *open, const char *text, size_t len) {
    sink_puts(s, open);
    sink_escaped(s, text, len, ESC_XML_TEXT, false);
    sink_puts(s, "</voice>");
}

static void script_segment(sink *s, const char *open, const char *text, size_t len) {
    sink_puts(s, open);
    sink_escaped(s, text, len, ESC_VOICES, true);
    sink_puts(s, "[/voice]\n");
}

static quoth_status walk(const quoth_doc *doc, const quoth_render_options *opts, sink *s,
                         bool ssml) {
    voice_table t;
    if (!table_init(&t, doc, opts->voices, ssml))
        return QUOTH_ERR_NOMEM;
    quoth_iter *it = quoth_iter_new(doc);
    if (!it) {
        table_free(&t, doc->nchar);
        return QUOTH_ERR_NOMEM;
    }
    segment_fn seg = ssml ? ssml_segment : script_segment;
    const char *title = quoth_doc_meta(doc, "title");
    if (ssml) {
        const char *lang = quoth_doc_meta(doc, "language");
        sink_puts(
            s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<speak version=\"1.1\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"");
        sink_puts(s, render_lang_ok(lang) ? lang : "en");
        sink_puts(s, "\">\n");
        static const char *const dc[][2] = {
            {"title", "title"}, {"author", "creator"}, {"source", "source"}, {"fandom", "subject"}};
        bool any = false;
        for (size_t i = 0; i < sizeof dc / sizeof dc[0]; i++) {
            const char *val = quoth_doc_meta(doc, dc[i][0]);
            if (!val)
                continue;
            if (!any)
                sink_puts(s, "<metadata>\n");
            any = true;
            sink_printf(s, "<dc:%s xmlns:dc=\"http://purl.org/dc/elements/1.1/\">", dc[i][1]);
            sink_escaped(s, val, strlen(val), ESC_XML_TEXT, true);
            sink_printf(s, "</dc:%s>\n", dc[i][1]);
        }
        if (any)
            sink_puts(s, "</metadata>\n");
    }
    if (title) {
        if (ssml)
            sink_puts(s, "<p>");
        seg(s, t.narrator, title, strlen(title));
        sink_puts(s, ssml ? "</p>\n<break time=\"1s\"/>\n" : "\n");
    }
    quoth_event ev;
    bool open = false; /* a paragraph has written a segment */
    while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
        const quoth_node *n = quoth_iter_node(it);
        switch (n->kind) {
        case QUOTH_NODE_SECTION: {
            const section *sec = &doc->sections[n->index];
            if (ev != QUOTH_EVENT_ENTER)
                break;
            if (sec->kind == QUOTH_SECTION_BREAK)
                sink_puts(s, ssml ? "<break time=\"1500ms\"/>\n" : "");
            else if (sec->kind == QUOTH_SECTION_HEADING && sec->title && sec->title[0]) {
                if (ssml)
                    sink_puts(s, "<p>");
                seg(s, t.narrator, sec->title, strlen(sec->title));
                sink_puts(s, ssml ? "</p>\n<break time=\"1s\"/>\n" : "\n");
            }
            break;
        }
        case QUOTH_NODE_PARAGRAPH:
            if (ev == QUOTH_EVENT_EXIT && open)
                sink_puts(s, ssml ? "</p>\n" : "\n");
            if (ev == QUOTH_EVENT_EXIT)
                open = false;
            break;
        case QUOTH_NODE_TEXT:
        case QUOTH_NODE_QUOTE: {
            size_t pi = n->kind == QUOTH_NODE_TEXT ? n->index : doc->quotes[n->index].para_first;
            if (n->kind == QUOTH_NODE_TEXT && doc->paras[pi].kind != QUOTH_PARA_STORY)
                break;
            size_t a = n->span.start, b = n->span.end;
            if (n->kind == QUOTH_NODE_TEXT)
                render_trim_narration(doc->text, &a, &b);
            else
                while (a < b && strchr(" \t\r\n", doc->text[a]))
                    a++;
            if (a >= b)
                break;
            if (!open && ssml)
                sink_puts(s, "<p>");
            else if (open && ssml)
                sink_puts(s, " ");
            open = true;
            seg(s, n->kind == QUOTH_NODE_TEXT ? t.narrator : voice_of_quote(&t, doc, n->index),
                doc->text + a, b - a);
            break;
        }
        default: break;
        }
    }
    if (ssml)
        sink_puts(s, "</speak>\n");
    quoth_iter_free(it);
    table_free(&t, doc->nchar);
    return QUOTH_OK;
}

quoth_status render_ssml(const quoth_doc *doc, const quoth_render_options *opts, sink *s) {
    return walk(doc, opts, s, true);
}

quoth_status render_voices(const quoth_doc *doc, const quoth_render_options *opts, sink *s) {
    return walk(doc, opts, s, false);
}
