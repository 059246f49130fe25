/*
 * json.c — the reference output: shared/corpus/FORMAT.md's result format
 * (characters, quotes with byte spans, speaker, addressees, type,
 * confidence) plus the evidence, sections and paragraphs.
 */
#include <string.h>

#include "../internal.h"

static void json_str(sink *s, const char *str) {
    sink_puts(s, "\"");
    sink_json_string(s, str, strlen(str));
    sink_puts(s, "\"");
}

static const char *para_kind_name(quoth_para_kind k) {
    switch (k) {
    case QUOTH_PARA_STORY: return "story";
    case QUOTH_PARA_PARATEXT: return "paratext";
    case QUOTH_PARA_HEADING: return "heading";
    }
    return "story";
}

static const char *mention_kind_name(quoth_mention_kind k) {
    switch (k) {
    case QUOTH_MENTION_NAME: return "name";
    case QUOTH_MENTION_PRONOUN: return "pronoun";
    case QUOTH_MENTION_DESCRIPTOR: return "descriptor";
    case QUOTH_MENTION_VOCATIVE: return "vocative";
    }
    return "name";
}

quoth_status render_json(const quoth_doc *doc, unsigned flags, sink *s) {
    sink_puts(s, "{\n  \"quoth\": \"" QUOTH_VERSION_STRING "\",\n");
    if (doc->nmeta) {
        /* repeated keys (several fandoms) become arrays */
        sink_puts(s, "  \"meta\": {");
        bool fm = true;
        for (size_t i = 0; i < doc->nmeta; i++) {
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = !strcmp(doc->meta[j].key, doc->meta[i].key);
            if (seen)
                continue;
            size_t n = 0;
            for (size_t j = i; j < doc->nmeta; j++)
                n += !strcmp(doc->meta[j].key, doc->meta[i].key);
            sink_puts(s, fm ? "\n    " : ",\n    ");
            fm = false;
            json_str(s, doc->meta[i].key);
            sink_puts(s, n > 1 ? ": [" : ": ");
            bool fv = true;
            for (size_t j = i; j < doc->nmeta; j++) {
                if (strcmp(doc->meta[j].key, doc->meta[i].key))
                    continue;
                if (!fv)
                    sink_puts(s, ", ");
                fv = false;
                json_str(s, doc->meta[j].value);
            }
            if (n > 1)
                sink_puts(s, "]");
        }
        sink_puts(s, "\n  },\n");
    }
    sink_puts(s, "  \"characters\": [");
    bool first = true;
    for (size_t c = 0; c < doc->nchar; c++) {
        if (!doc->chars[c].listed)
            continue;
        const character *ch = &doc->chars[c];
        sink_puts(s, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = false;
        json_str(s, ch->id);
        sink_puts(s, ", \"name\": ");
        json_str(s, ch->name);
        sink_puts(s, ", \"aliases\": [");
        bool fa = true;
        for (uint32_t i = 0; i < ch->naliases; i++) {
            if (!strcmp(ch->aliases[i], ch->name))
                continue;
            if (!fa)
                sink_puts(s, ", ");
            fa = false;
            json_str(s, ch->aliases[i]);
        }
        sink_puts(s, "], \"gender\": \"");
        sink_puts(s, quoth_gender_name(ch->gender));
        sink_puts(s, "\", \"quotes\": ");
        sink_uint(s, ch->quotes);
        if (ch->narrator)
            sink_puts(s, ", \"narrator\": true");
        sink_puts(s, "}");
    }
    sink_puts(s, first ? "],\n  \"quotes\": [" : "\n  ],\n  \"quotes\": [");
    for (size_t q = 0; q < doc->nquote; q++) {
        const quote *qq = &doc->quotes[q];
        /* numbers without printf: this loop runs once per quotation */
        sink_puts(s, q ? ",\n    {\"id\": \"q" : "\n    {\"id\": \"q");
        sink_uint(s, q + 1);
        sink_puts(s, "\", \"spans\": [");
        for (uint32_t i = 0; i < qq->nspans; i++) {
            sink_puts(s, i ? ", [" : "[");
            sink_uint(s, qq->spans[i].start);
            sink_puts(s, ", ");
            sink_uint(s, qq->spans[i].end);
            sink_puts(s, "]");
        }
        sink_puts(s, "], \"speaker\": ");
        if (qq->speaker != QUOTH_NONE)
            json_str(s, doc->chars[qq->speaker].id);
        else
            sink_puts(s, "null");
        sink_puts(s, ", \"addressees\": [");
        for (uint32_t a = 0; a < qq->naddressees; a++) {
            if (a)
                sink_puts(s, ", ");
            json_str(s, doc->chars[qq->addressees[a]].id);
        }
        sink_puts(s, "], \"type\": \"");
        sink_puts(s, quoth_type_name(qq->type));
        sink_puts(s, "\", \"confidence\": ");
        sink_fixed2(s, qq->confidence);
        sink_puts(s, ", \"rule\": \"");
        sink_puts(s, quoth_rule_name(qq->rule));
        sink_puts(s, "\"");
        if (qq->evidence_mention) {
            sink_puts(s, ", \"evidence\": [");
            sink_uint(s, qq->evidence.start);
            sink_puts(s, ", ");
            sink_uint(s, qq->evidence.end);
            sink_puts(s, "]");
        } else {
            sink_puts(s, ", \"evidence\": null");
        }
        sink_puts(s, ", \"paragraph\": ");
        sink_uint(s, qq->para_first);
        sink_puts(s, ", \"section\": ");
        sink_uint(s, doc->paras[qq->para_first].section);
        if (flags & QUOTH_RENDER_TEXT) {
            sink_puts(s, ", \"text\": \"");
            for (uint32_t i = 0; i < qq->nspans; i++) {
                if (i)
                    sink_puts(s, " ");
                sink_json_string(s, doc->text + qq->spans[i].start, qq->spans[i].end - qq->spans[i].start);
            }
            sink_puts(s, "\"");
        }
        sink_puts(s, "}");
    }
    sink_puts(s, doc->nquote ? "\n  ],\n  \"sections\": [" : "],\n  \"sections\": [");
    for (size_t i = 0; i < doc->nsect; i++) {
        const section *sec = &doc->sections[i];
        static const char *const kinds[] = {"start", "heading", "break"};
        /* numbers without printf, as for the quotations (a call of it was
         * some six hundred instructions) */
        sink_puts(s, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        sink_uint(s, i);
        sink_puts(s, ", \"kind\": \"");
        sink_puts(s, kinds[sec->kind]);
        sink_puts(s, "\", \"title\": ");
        json_str(s, sec->title ? sec->title : "");
        sink_puts(s, ", \"first_paragraph\": ");
        sink_uint(s, sec->first_para);
        sink_puts(s, ", \"paragraphs\": ");
        sink_uint(s, sec->para_count);
        sink_puts(s, "}");
    }
    sink_puts(s, doc->nsect ? "\n  ],\n  \"paragraphs\": [" : "],\n  \"paragraphs\": [");
    for (size_t p = 0; p < doc->npara; p++) {
        const paragraph *pp = &doc->paras[p];
        sink_puts(s, p ? ",\n    [" : "\n    [");
        sink_uint(s, pp->span.start);
        sink_puts(s, ", ");
        sink_uint(s, pp->span.end);
        sink_puts(s, ", \"");
        sink_puts(s, para_kind_name(pp->kind));
        sink_puts(s, "\"]");
    }
    sink_puts(s, doc->npara ? "\n  ]" : "]");
    if (flags & QUOTH_RENDER_MENTIONS) {
        sink_puts(s, ",\n  \"mentions\": [");
        for (size_t m = 0; m < doc->nment; m++) {
            const mention *mm = &doc->mentions[m];
            /* quoth_mention_character: a cast entry's index is not a
             * character before the cast stage (--stop-after mentions) */
            size_t ch = character_root(doc, quoth_mention_character(doc, m));
            span32 sp = mention_span(doc, mm);
            sink_puts(s, m ? ",\n    {\"span\": [" : "\n    {\"span\": [");
            sink_uint(s, sp.start);
            sink_puts(s, ", ");
            sink_uint(s, sp.end);
            sink_puts(s, "], \"kind\": \"");
            sink_puts(s, mention_kind_name(mm->kind));
            sink_puts(s, "\", \"character\": ");
            if (ch != QUOTH_NONE && doc->chars[ch].id[0])
                json_str(s, doc->chars[ch].id);
            else
                sink_puts(s, "null");
            if (mm->quote) {
                sink_puts(s, ", \"quote\": \"q");
                sink_uint(s, mm->quote);
                sink_puts(s, "\"");
            }
            sink_puts(s, "}");
        }
        sink_puts(s, doc->nment ? "\n  ]" : "]");
    }
    sink_puts(s, "\n}\n");
    return QUOTH_OK;
}
