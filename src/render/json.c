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

/* A character's id: "c" and its number (character_set_id), nothing to
 * escape, so copied as it is (one for each quotation's speaker). */
static void json_id(sink *s, const char *id) {
    sink_puts(s, "\"");
    sink_write(s, id, strlen(id));
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
    /* The layout between the values, pretty or (QUOTH_RENDER_COMPACT)
     * without its white space, one line for JSON Lines: both spelt out,
     * so that neither is made at run time (a pass that took the pretty
     * layout out again was 2.3% of a --jsonl run). Values never go
     * through LAYOUT: a title or a name keeps its spaces. */
    const bool compact = flags & QUOTH_RENDER_COMPACT;
#define LAYOUT(pretty, compact_form)                                                       \
    do {                                                                                   \
        if (compact) /* each form a constant for sink_puts' strlen */                      \
            sink_puts(s, compact_form);                                                    \
        else                                                                               \
            sink_puts(s, pretty);                                                          \
    } while (0)
    LAYOUT("{\n  \"quoth\": \"" QUOTH_VERSION_STRING "\",\n",
           "{\"quoth\":\"" QUOTH_VERSION_STRING "\",");
    if (doc->nmeta) {
        /* repeated keys (several fandoms) become arrays */
        LAYOUT("  \"meta\": {", "\"meta\":{");
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
            LAYOUT(fm ? "\n    " : ",\n    ", fm ? "" : ",");
            fm = false;
            json_str(s, doc->meta[i].key);
            LAYOUT(n > 1 ? ": [" : ": ", n > 1 ? ":[" : ":");
            bool fv = true;
            for (size_t j = i; j < doc->nmeta; j++) {
                if (strcmp(doc->meta[j].key, doc->meta[i].key))
                    continue;
                if (!fv)
                    LAYOUT(", ", ",");
                fv = false;
                json_str(s, doc->meta[j].value);
            }
            if (n > 1)
                sink_puts(s, "]");
        }
        LAYOUT("\n  },\n", "},");
    }
    LAYOUT("  \"characters\": [", "\"characters\":[");
    bool first = true;
    for (size_t c = 0; c < doc->nchar; c++) {
        if (!doc->chars[c].listed)
            continue;
        const character *ch = &doc->chars[c];
        LAYOUT(first ? "\n    {\"id\": " : ",\n    {\"id\": ", first ? "{\"id\":" : ",{\"id\":");
        first = false;
        json_id(s, ch->id);
        LAYOUT(", \"name\": ", ",\"name\":");
        json_str(s, ch->name);
        LAYOUT(", \"aliases\": [", ",\"aliases\":[");
        bool fa = true;
        for (uint32_t i = 0; i < ch->naliases; i++) {
            if (!strcmp(ch->aliases[i], ch->name))
                continue;
            if (!fa)
                LAYOUT(", ", ",");
            fa = false;
            json_str(s, ch->aliases[i]);
        }
        LAYOUT("], \"gender\": \"", "],\"gender\":\"");
        sink_puts(s, quoth_gender_name(ch->gender));
        LAYOUT("\", \"quotes\": ", "\",\"quotes\":");
        sink_uint(s, ch->quotes);
        if (ch->narrator)
            LAYOUT(", \"narrator\": true", ",\"narrator\":true");
        sink_puts(s, "}");
    }
    LAYOUT(first ? "],\n  \"quotes\": [" : "\n  ],\n  \"quotes\": [", "],\"quotes\":[");
    for (size_t q = 0; q < doc->nquote; q++) {
        const quote *qq = &doc->quotes[q];
        /* numbers without printf: this loop runs once per quotation */
        LAYOUT(q ? ",\n    {\"id\": \"q" : "\n    {\"id\": \"q",
               q ? ",{\"id\":\"q" : "{\"id\":\"q");
        sink_uint(s, q + 1);
        LAYOUT("\", \"spans\": [", "\",\"spans\":[");
        for (uint32_t i = 0; i < qq->nspans; i++) {
            LAYOUT(i ? ", [" : "[", i ? ",[" : "[");
            sink_uint(s, qq->spans[i].start);
            LAYOUT(", ", ",");
            sink_uint(s, qq->spans[i].end);
            sink_puts(s, "]");
        }
        LAYOUT("], \"speaker\": ", "],\"speaker\":");
        if (qq->speaker != QUOTH_NONE)
            json_id(s, doc->chars[qq->speaker].id);
        else
            sink_puts(s, "null");
        LAYOUT(", \"addressees\": [", ",\"addressees\":[");
        for (uint32_t a = 0; a < qq->naddressees; a++) {
            if (a)
                LAYOUT(", ", ",");
            json_id(s, doc->chars[qq->addressees[a]].id);
        }
        LAYOUT("], \"type\": \"", "],\"type\":\"");
        sink_puts(s, quoth_type_name(qq->type));
        LAYOUT("\", \"confidence\": ", "\",\"confidence\":");
        sink_fixed2(s, qq->confidence);
        LAYOUT(", \"rule\": \"", ",\"rule\":\"");
        sink_puts(s, quoth_rule_name(qq->rule));
        sink_puts(s, "\"");
        if (qq->evidence_mention) {
            LAYOUT(", \"evidence\": [", ",\"evidence\":[");
            sink_uint(s, qq->evidence.start);
            LAYOUT(", ", ",");
            sink_uint(s, qq->evidence.end);
            sink_puts(s, "]");
        } else {
            LAYOUT(", \"evidence\": null", ",\"evidence\":null");
        }
        LAYOUT(", \"paragraph\": ", ",\"paragraph\":");
        sink_uint(s, qq->para_first);
        LAYOUT(", \"section\": ", ",\"section\":");
        sink_uint(s, doc->paras[qq->para_first].section);
        if (flags & QUOTH_RENDER_TEXT) {
            LAYOUT(", \"text\": \"", ",\"text\":\"");
            for (uint32_t i = 0; i < qq->nspans; i++) {
                if (i)
                    sink_puts(s, " "); /* inside the string */
                sink_json_string(s, doc->text + qq->spans[i].start, qq->spans[i].end - qq->spans[i].start);
            }
            sink_puts(s, "\"");
        }
        sink_puts(s, "}");
    }
    LAYOUT(doc->nquote ? "\n  ],\n  \"sections\": [" : "],\n  \"sections\": [", "],\"sections\":[");
    for (size_t i = 0; i < doc->nsect; i++) {
        const section *sec = &doc->sections[i];
        static const char *const kinds[] = {"start", "heading", "break"};
        /* numbers without printf, as for the quotations (a call of it was
         * some six hundred instructions) */
        LAYOUT(i ? ",\n    {\"id\": " : "\n    {\"id\": ", i ? ",{\"id\":" : "{\"id\":");
        sink_uint(s, i);
        LAYOUT(", \"kind\": \"", ",\"kind\":\"");
        sink_puts(s, kinds[sec->kind]);
        LAYOUT("\", \"title\": ", "\",\"title\":");
        json_str(s, sec->title ? sec->title : "");
        LAYOUT(", \"first_paragraph\": ", ",\"first_paragraph\":");
        sink_uint(s, sec->first_para);
        LAYOUT(", \"paragraphs\": ", ",\"paragraphs\":");
        sink_uint(s, sec->para_count);
        sink_puts(s, "}");
    }
    LAYOUT(doc->nsect ? "\n  ],\n  \"paragraphs\": [" : "],\n  \"paragraphs\": [",
           "],\"paragraphs\":[");
    for (size_t p = 0; p < doc->npara; p++) {
        const paragraph *pp = &doc->paras[p];
        LAYOUT(p ? ",\n    [" : "\n    [", p ? ",[" : "[");
        sink_uint(s, pp->span.start);
        LAYOUT(", ", ",");
        sink_uint(s, pp->span.end);
        LAYOUT(", \"", ",\"");
        sink_puts(s, para_kind_name(pp->kind));
        sink_puts(s, "\"]");
    }
    LAYOUT(doc->npara ? "\n  ]" : "]", "]");
    if (flags & QUOTH_RENDER_MENTIONS) {
        LAYOUT(",\n  \"mentions\": [", ",\"mentions\":[");
        for (size_t m = 0; m < doc->nment; m++) {
            const mention *mm = &doc->mentions[m];
            /* quoth_mention_character: a cast entry's index is not a
             * character before the cast stage (--stop-after mentions) */
            size_t ch = character_root(doc, quoth_mention_character(doc, m));
            span32 sp = mention_span(doc, mm);
            LAYOUT(m ? ",\n    {\"span\": [" : "\n    {\"span\": [",
                   m ? ",{\"span\":[" : "{\"span\":[");
            sink_uint(s, sp.start);
            LAYOUT(", ", ",");
            sink_uint(s, sp.end);
            LAYOUT("], \"kind\": \"", "],\"kind\":\"");
            sink_puts(s, mention_kind_name(mm->kind));
            LAYOUT("\", \"character\": ", "\",\"character\":");
            if (ch != QUOTH_NONE && doc->chars[ch].id[0])
                json_id(s, doc->chars[ch].id);
            else
                sink_puts(s, "null");
            if (mm->quote) {
                LAYOUT(", \"quote\": \"q", ",\"quote\":\"q");
                sink_uint(s, mm->quote);
                sink_puts(s, "\"");
            }
            sink_puts(s, "}");
        }
        LAYOUT(doc->nment ? "\n  ]" : "]", "]");
    }
    LAYOUT("\n}\n", "}");
#undef LAYOUT
    return QUOTH_OK;
}
