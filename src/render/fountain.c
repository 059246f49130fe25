/*
 * fountain.c — the story as a screenplay in Fountain (https://fountain.io):
 * a title page from the metadata, a section line and a forced scene heading
 * per chapter, a centred "* * *" per scene break, narration as action, and
 * each quotation as a character cue (the speaker's name in capitals) with
 * its dialogue. The speech tag right after a quotation ("she whispered")
 * becomes a parenthetical; the same speaker resuming after narration is
 * cued "(CONT'D)"; a quotation with no speaker is cued UNKNOWN, and an
 * uncertain one (confidence < 0.6) carries a [[note]] saying why.
 *
 * Every line that Fountain would misread is forced: action that looks like
 * a heading, a cue, a transition or markup gets a leading '!', a cue with
 * letters that are not capital Latin ones a leading '@'; '*', '_' and '\'
 * are escaped with '\', and "[[" is broken so story text never opens a
 * note. Each paragraph is written on one line (white space collapsed).
 */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

#define UNCERTAIN_BELOW 0.6
#define NAME_MAX_BYTES 256

typedef struct {
    const quoth_doc *doc;
    sink *s;
    char (*cues)[NAME_MAX_BYTES]; /* upper-cased name per character, '@' first when forced */
    size_t act_start, act_end;    /* pending action: narration not yet written */
    bool in_dialogue;             /* a cue has been written and not closed */
    size_t block_quote;           /* the quotation the open cue belongs to */
    size_t last_speaker;          /* speaker of the last cue (QUOTH_NONE: unknown) */
    bool had_cue;                 /* a cue since the section started */
    bool narration_since_cue;     /* action written since that cue */
    size_t prev_quote;            /* the quotation of the QUOTE event just before */
    bool wrote;                   /* anything written yet (blank-line separators) */
} fountain_state;

static void close_dialogue(fountain_state *f) {
    if (f->in_dialogue)
        sink_puts(f->s, "\n");
    f->in_dialogue = false;
}

/* Writes the pending action as one line, forced with '!' when Fountain
 * would read it as something else. */
static void flush_action(fountain_state *f) {
    if (f->act_end <= f->act_start)
        return;
    close_dialogue(f);
    const char *t = f->doc->text + f->act_start;
    size_t len = f->act_end - f->act_start;
    if (fountain_action_needs_force(t, len))
        sink_puts(f->s, "!");
    sink_escaped(f->s, t, len, ESC_FOUNTAIN, true);
    sink_puts(f->s, "\n\n");
    f->act_start = f->act_end = 0;
    f->narration_since_cue = true;
    f->wrote = true;
}

/* Narration becomes the pending action. Between two quotation spans there
 * is one piece of narration, so at most one is ever pending. */
static void action_add(fountain_state *f, size_t a, size_t b) {
    if (b <= a)
        return;
    flush_action(f);
    f->act_start = a;
    f->act_end = b;
}

static void write_cue(fountain_state *f, size_t q) {
    const quote *qq = &f->doc->quotes[q];
    flush_action(f);
    close_dialogue(f);
    const char *cue = qq->speaker == QUOTH_NONE ? "UNKNOWN" : f->cues[qq->speaker];
    sink_escaped(f->s, cue, strlen(cue), ESC_PLAIN, true);
    bool resumed = f->had_cue && qq->speaker != QUOTH_NONE && qq->speaker == f->last_speaker &&
                   (f->narration_since_cue || f->block_quote == q);
    if (resumed)
        sink_puts(f->s, " (CONT'D)");
    sink_puts(f->s, "\n");
    f->in_dialogue = true;
    f->block_quote = q;
    f->last_speaker = qq->speaker;
    f->had_cue = true;
    f->narration_since_cue = false;
    f->wrote = true;
}

static void write_dialogue(fountain_state *f, const quoth_node *n) {
    const quoth_doc *doc = f->doc;
    const quote *qq = &doc->quotes[n->index];
    size_t a = n->span.start, b = n->span.end;
    /* white space at the ends would leave an empty or indented line */
    while (a < b && strchr(" \t\r\n", doc->text[a]))
        a++;
    while (b > a && strchr(" \t\r\n", doc->text[b - 1]))
        b--;
    if (a < b && doc->text[a] == '~')
        sink_puts(f->s, "\\"); /* not a lyric */
    sink_escaped(f->s, doc->text + a, b - a, ESC_FOUNTAIN, true);
    if (a == b)
        sink_puts(f->s, "...");
    if (n->part == 0 && (qq->speaker == QUOTH_NONE || qq->confidence < UNCERTAIN_BELOW)) {
        if (qq->speaker == QUOTH_NONE)
            sink_puts(f->s, " [[note: quoth found no speaker]]");
        else
            sink_printf(f->s, " [[note: uncertain speaker: %s, confidence %.2f]]",
                        quoth_rule_name(qq->rule), qq->confidence);
    }
    sink_puts(f->s, "\n");
}

/* The narration [a, b) right after span `part` of quotation q: when it holds
 * the evidence, its first sentence is the speech tag. Returns the tag's end
 * (a when there is none). */
static size_t tag_end(const quoth_doc *doc, size_t q, size_t a, size_t b) {
    const quote *qq = &doc->quotes[q];
    if (!qq->evidence_mention || qq->evidence.start < a || qq->evidence.end > b)
        return a;
    size_t e = qq->evidence.end;
    while (e < b && doc->text[e] != '.' && doc->text[e] != '!' && doc->text[e] != '?')
        e++;
    return e < b ? e + 1 : b;
}

static void paren(fountain_state *f, const char *text, size_t a, size_t b) {
    /* the tag without its final punctuation: (she whispered) */
    while (b > a && strchr(".,;:!? \t\r\n", text[b - 1]))
        b--;
    size_t x = a, y = b;
    render_trim_narration(text, &x, &y);
    if (x >= y)
        return;
    sink_puts(f->s, "(");
    sink_escaped(f->s, text + x, y - x, ESC_FOUNTAIN, true);
    sink_puts(f->s, ")\n");
}

static void title_page(fountain_state *f) {
    const quoth_doc *doc = f->doc;
    const char *title = quoth_doc_meta(doc, "title");
    const char *author = quoth_doc_meta(doc, "author");
    const char *source = quoth_doc_meta(doc, "source");
    if (!title)
        for (size_t i = 0; i < doc->nsect && !title; i++)
            if (doc->sections[i].kind == QUOTH_SECTION_HEADING && doc->sections[i].title &&
                doc->sections[i].title[0])
                title = doc->sections[i].title;
    if (!title && !author && !source)
        return;
    if (title) {
        sink_puts(f->s, "Title: ");
        sink_escaped(f->s, title, strlen(title), ESC_FOUNTAIN, true);
        sink_puts(f->s, "\n");
    }
    if (author) {
        sink_puts(f->s, "Credit: Written by\nAuthor: ");
        sink_escaped(f->s, author, strlen(author), ESC_FOUNTAIN, true);
        sink_puts(f->s, "\n");
    }
    if (source) {
        sink_puts(f->s, "Source: ");
        sink_escaped(f->s, source, strlen(source), ESC_FOUNTAIN, true);
        sink_puts(f->s, "\n");
    }
    sink_puts(f->s, "\n");
    f->wrote = true;
}

static void section_start(fountain_state *f, const section *sec) {
    f->had_cue = false;
    f->narration_since_cue = false;
    if (sec->kind == QUOTH_SECTION_BREAK) {
        sink_puts(f->s, "> \\* \\* \\* <\n\n");
        f->wrote = true;
        return;
    }
    if (sec->kind != QUOTH_SECTION_HEADING || !sec->title || !sec->title[0])
        return;
    /* a section line for the outline, a forced scene heading for the page */
    size_t tl = strlen(sec->title);
    sink_puts(f->s, "# ");
    sink_escaped(f->s, sec->title, tl, ESC_FOUNTAIN, true);
    sink_puts(f->s, "\n\n.");
    char up[NAME_MAX_BYTES];
    render_upper(sec->title, up, sizeof up);
    const char *t = up;
    while (*t == '.' || *t == ' ')
        t++; /* ".." would not force a heading */
    sink_escaped(f->s, t, strlen(t), ESC_FOUNTAIN, true);
    sink_puts(f->s, "\n\n");
    f->wrote = true;
}

quoth_status render_fountain(const quoth_doc *doc, const quoth_render_options *opts, sink *s) {
    (void)opts;
    fountain_state f;
    memset(&f, 0, sizeof f);
    f.doc = doc;
    f.s = s;
    f.last_speaker = QUOTH_NONE;
    f.block_quote = QUOTH_NONE;
    f.prev_quote = QUOTH_NONE;
    f.cues = calloc(doc->nchar ? doc->nchar : 1, sizeof *f.cues);
    quoth_iter *it = quoth_iter_new(doc);
    if (!f.cues || !it) {
        free(f.cues);
        quoth_iter_free(it);
        return QUOTH_ERR_NOMEM;
    }
    for (size_t c = 0; c < doc->nchar; c++) {
        char *cue = f.cues[c];
        render_upper(doc->chars[c].name ? doc->chars[c].name : "", cue + 1, sizeof f.cues[c] - 1);
        for (char *p = cue + 1; *p; p++) /* names are one line, without ( ) ^ */
            if (*p == '(' || *p == ')' || *p == '^')
                *p = ' ';
        /* '@' forces a name Fountain would not take for a cue */
        cue[0] = '@';
        if (!fountain_name_needs_force(cue + 1))
            memmove(cue, cue + 1, strlen(cue + 1) + 1);
    }
    title_page(&f);

    quoth_event ev;
    while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
        const quoth_node *n = quoth_iter_node(it);
        switch (n->kind) {
        case QUOTH_NODE_SECTION:
            if (ev == QUOTH_EVENT_ENTER)
                section_start(&f, &doc->sections[n->index]);
            break;
        case QUOTH_NODE_PARAGRAPH: {
            const paragraph *p = &doc->paras[n->index];
            if (ev == QUOTH_EVENT_ENTER) {
                f.prev_quote = QUOTH_NONE;
                if (p->kind == QUOTH_PARA_PARATEXT) {
                    /* front matter and author's notes: a note, not the story */
                    sink_puts(s, "[[");
                    sink_escaped(s, doc->text + p->span.start, p->span.end - p->span.start,
                                 ESC_FOUNTAIN, true);
                    sink_puts(s, "]]\n\n");
                    f.wrote = true;
                }
            } else {
                flush_action(&f);
                close_dialogue(&f);
            }
            break;
        }
        case QUOTH_NODE_TEXT: {
            if (doc->paras[n->index].kind != QUOTH_PARA_STORY)
                break;
            size_t a = n->span.start, b = n->span.end;
            if (f.prev_quote != QUOTH_NONE && f.in_dialogue && f.block_quote == f.prev_quote) {
                size_t x = a, y = b;
                render_trim_narration(doc->text, &x, &y);
                size_t e = tag_end(doc, f.prev_quote, x, y);
                if (e > x) {
                    paren(&f, doc->text, x, e);
                    a = e;
                }
            }
            render_trim_narration(doc->text, &a, &b);
            action_add(&f, a, b);
            f.prev_quote = QUOTH_NONE;
            break;
        }
        case QUOTH_NODE_QUOTE:
            /* the next span of the same quotation after a tag goes on under
             * the same cue; after action, or in a new paragraph, it is cued
             * again (CONT'D) */
            if (!(f.in_dialogue && f.block_quote == n->index && f.act_end <= f.act_start))
                write_cue(&f, n->index);
            write_dialogue(&f, n);
            f.prev_quote = n->index;
            break;
        default: break;
        }
    }
    flush_action(&f);
    close_dialogue(&f);
    if (!f.wrote)
        sink_puts(s, "\n");
    free(f.cues);
    quoth_iter_free(it);
    return QUOTH_OK;
}
