/*
 * doc.c — the document: runs the pipeline stages in order, owns the arena,
 * and answers the public accessors and the iterator.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void doc_set_error(quoth_error *err, quoth_status st, const char *fmt, ...) {
    if (!err)
        return;
    err->status = st;
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above (false positive)
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

const char *quoth_status_string(quoth_status status) {
    switch (status) {
    case QUOTH_OK: return "success";
    case QUOTH_ERR_NOMEM: return "out of memory";
    case QUOTH_ERR_LIMIT: return "input exceeds a limit";
    case QUOTH_ERR_ARGUMENT: return "invalid argument";
    case QUOTH_ERR_CAST: return "invalid cast file";
    case QUOTH_ERR_OUTPUT: return "output failed";
    case QUOTH_ERR_FORMAT: return "input is not valid in its format";
    }
    return "unknown error";
}

static int span_cmp(const void *a, const void *b) {
    const quoth_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The metadata and paratext ranges the caller gave, copied so the options
 * need not outlive the call. */
static bool copy_options(quoth_doc *doc) {
    const quoth_options *o = &doc->opts;
    if (o->meta && o->nmeta) {
        doc->meta = arena_alloc(&doc->mem, o->nmeta * sizeof *doc->meta);
        if (!doc->meta)
            return false;
        for (size_t i = 0; i < o->nmeta; i++) {
            const char *k = o->meta[i].key ? o->meta[i].key : "";
            const char *v = o->meta[i].value ? o->meta[i].value : "";
            doc->meta[i].key = arena_strndup(&doc->mem, k, strlen(k));
            doc->meta[i].value = arena_strndup(&doc->mem, v, strlen(v));
            if (!doc->meta[i].key || !doc->meta[i].value)
                return false;
        }
        doc->nmeta = o->nmeta;
    }
    if (o->paratext && o->nparatext) {
        doc->paratext = arena_alloc(&doc->mem, o->nparatext * sizeof *doc->paratext);
        if (!doc->paratext)
            return false;
        memcpy(doc->paratext, o->paratext, o->nparatext * sizeof *doc->paratext);
        doc->nparatext = o->nparatext;
        qsort(doc->paratext, doc->nparatext, sizeof *doc->paratext, span_cmp);
    }
    doc->opts.meta = NULL; /* the caller's pointers are not kept */
    doc->opts.paratext = NULL;
    return true;
}

quoth_doc *quoth_parse(const char *text, size_t len, const quoth_options *opts,
                       quoth_error *err) {
    if (err)
        memset(err, 0, sizeof *err);
    if (!text && len) {
        doc_set_error(err, QUOTH_ERR_ARGUMENT, "text is NULL but length is %zu", len);
        return NULL;
    }
    if (len >= QUOTH_MAX_INPUT) {
        doc_set_error(err, QUOTH_ERR_LIMIT,
                      "input is %zu bytes; quoth reads at most %zu bytes per document", len,
                      (size_t)QUOTH_MAX_INPUT - 1);
        return NULL;
    }
    quoth_doc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    arena_init(&doc->mem);
    doc->narrator = QUOTH_NONE;
    if (opts)
        doc->opts = *opts;
    if ((doc->opts.flags & QUOTH_OPT_BORROW_TEXT) && text && text[len] == '\0') {
        doc->text = text; /* the caller keeps it alive (quoth.h) */
    } else {
        char *copy = arena_alloc_uninit(&doc->mem, len + 1);
        if (!copy) {
            quoth_doc_free(doc);
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory copying %zu bytes of input", len);
            return NULL;
        }
        if (len)
            memcpy(copy, text, len);
        copy[len] = '\0';
        doc->text = copy;
    }
    doc->len = len;
    if (len >= 3 && memcmp(doc->text, "\xEF\xBB\xBF", 3) == 0)
        doc->body = 3;
    if (!copy_options(doc)) {
        quoth_doc_free(doc);
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory copying the metadata");
        return NULL;
    }

    typedef quoth_status (*stage_fn)(quoth_doc *, quoth_error *);
    static const stage_fn stages[] = {segment_run, quotes_run, mentions_run, cast_run,
                                      attribute_run};
    unsigned stop = doc->opts.stop_after ? (unsigned)doc->opts.stop_after : 5u;
    for (unsigned i = 0; i < 5 && i < stop; i++) {
        quoth_status st = stages[i](doc, err);
        if (st != QUOTH_OK) {
            if (err && err->status == QUOTH_OK)
                doc_set_error(err, st, "%s", quoth_status_string(st));
            quoth_doc_free(doc);
            return NULL;
        }
    }
    return doc;
}

void quoth_doc_free(quoth_doc *doc) {
    if (!doc)
        return;
    arena_free(&doc->mem);
    free(doc);
}

const char *quoth_doc_text(const quoth_doc *doc, size_t *len) {
    if (len)
        *len = doc ? doc->len : 0;
    return doc ? doc->text : NULL;
}

const char *quoth_doc_features(const quoth_doc *doc, size_t *len) {
    if (len)
        *len = doc && doc->features ? doc->features_len : 0;
    return doc && doc->features ? doc->features : "";
}

size_t quoth_doc_meta_count(const quoth_doc *doc) { return doc ? doc->nmeta : 0; }

const char *quoth_doc_meta_key(const quoth_doc *doc, size_t i) {
    return doc && i < doc->nmeta ? doc->meta[i].key : NULL;
}

const char *quoth_doc_meta_value(const quoth_doc *doc, size_t i) {
    return doc && i < doc->nmeta ? doc->meta[i].value : NULL;
}

const char *quoth_doc_meta(const quoth_doc *doc, const char *key) {
    if (!doc || !key)
        return NULL;
    for (size_t i = 0; i < doc->nmeta; i++)
        if (!strcmp(doc->meta[i].key, key))
            return doc->meta[i].value;
    return NULL;
}

size_t doc_para_at(const quoth_doc *doc, size_t pos) {
    size_t lo = 0, hi = doc->npara;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->paras[mid].span.end <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static quoth_span span_out(span32 s) {
    quoth_span r = {s.start, s.end};
    return r;
}

/* ---- accessors: out-of-range indices give neutral values, never UB ------ */

size_t quoth_doc_section_count(const quoth_doc *doc) { return doc ? doc->nsect : 0; }

quoth_section_kind quoth_section_kind_of(const quoth_doc *doc, size_t s) {
    return doc && s < doc->nsect ? doc->sections[s].kind : QUOTH_SECTION_START;
}

quoth_span quoth_section_heading(const quoth_doc *doc, size_t s) {
    quoth_span none = {0, 0};
    return doc && s < doc->nsect ? span_out(doc->sections[s].heading) : none;
}

const char *quoth_section_title(const quoth_doc *doc, size_t s) {
    return doc && s < doc->nsect && doc->sections[s].title ? doc->sections[s].title : "";
}

size_t quoth_section_first_paragraph(const quoth_doc *doc, size_t s) {
    return doc && s < doc->nsect ? doc->sections[s].first_para : 0;
}

size_t quoth_section_paragraph_count(const quoth_doc *doc, size_t s) {
    return doc && s < doc->nsect ? doc->sections[s].para_count : 0;
}

size_t quoth_doc_paragraph_count(const quoth_doc *doc) { return doc ? doc->npara : 0; }

quoth_span quoth_paragraph_span(const quoth_doc *doc, size_t p) {
    quoth_span none = {0, 0};
    return doc && p < doc->npara ? span_out(doc->paras[p].span) : none;
}

quoth_para_kind quoth_paragraph_kind(const quoth_doc *doc, size_t p) {
    return doc && p < doc->npara ? doc->paras[p].kind : QUOTH_PARA_STORY;
}

size_t quoth_paragraph_section(const quoth_doc *doc, size_t p) {
    return doc && p < doc->npara ? doc->paras[p].section : QUOTH_NONE;
}

size_t quoth_doc_character_count(const quoth_doc *doc) { return doc ? doc->nchar : 0; }

const char *quoth_character_name(const quoth_doc *doc, size_t c) {
    return doc && c < doc->nchar && doc->chars[c].name ? doc->chars[c].name : "";
}

size_t quoth_character_alias_count(const quoth_doc *doc, size_t c) {
    return doc && c < doc->nchar ? doc->chars[c].naliases : 0;
}

const char *quoth_character_alias(const quoth_doc *doc, size_t c, size_t i) {
    if (!doc || c >= doc->nchar || i >= doc->chars[c].naliases)
        return "";
    return doc->chars[c].aliases[i];
}

quoth_gender quoth_character_gender(const quoth_doc *doc, size_t c) {
    return doc && c < doc->nchar ? doc->chars[c].gender : QUOTH_GENDER_UNKNOWN;
}

size_t quoth_character_quote_count(const quoth_doc *doc, size_t c) {
    return doc && c < doc->nchar ? doc->chars[c].quotes : 0;
}

const char *quoth_character_id(const quoth_doc *doc, size_t c) {
    return doc && c < doc->nchar ? doc->chars[c].id : "";
}

size_t quoth_doc_mention_count(const quoth_doc *doc) { return doc ? doc->nment : 0; }

quoth_span quoth_mention_span(const quoth_doc *doc, size_t m) {
    quoth_span none = {0, 0};
    return doc && m < doc->nment ? span_out(mention_span(doc, &doc->mentions[m])) : none;
}

quoth_mention_kind quoth_mention_kind_of(const quoth_doc *doc, size_t m) {
    return doc && m < doc->nment ? doc->mentions[m].kind : QUOTH_MENTION_NAME;
}

size_t quoth_mention_character(const quoth_doc *doc, size_t m) {
    /* the mentions stage gives a mention the cast file matched its cast
     * entry's index, which becomes a character only in the cast stage:
     * after --stop-after mentions it names no character yet */
    if (!doc || m >= doc->nment || mention_character(&doc->mentions[m]) >= doc->nchar)
        return QUOTH_NONE;
    return mention_character(&doc->mentions[m]);
}

size_t quoth_mention_quote(const quoth_doc *doc, size_t m) {
    if (!doc || m >= doc->nment || !doc->mentions[m].quote)
        return QUOTH_NONE;
    return doc->mentions[m].quote - 1;
}

size_t quoth_doc_quote_count(const quoth_doc *doc) { return doc ? doc->nquote : 0; }

size_t quoth_quote_span_count(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].nspans : 0;
}

quoth_span quoth_quote_span(const quoth_doc *doc, size_t q, size_t i) {
    quoth_span none = {0, 0};
    if (!doc || q >= doc->nquote || i >= doc->quotes[q].nspans)
        return none;
    return span_out(doc->quotes[q].spans[i]);
}

size_t quoth_quote_paragraph(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].para_first : QUOTH_NONE;
}

size_t quoth_quote_speaker(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].speaker : QUOTH_NONE;
}

size_t quoth_quote_addressee_count(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].naddressees : 0;
}

size_t quoth_quote_addressee(const quoth_doc *doc, size_t q, size_t i) {
    if (!doc || q >= doc->nquote || i >= doc->quotes[q].naddressees)
        return QUOTH_NONE;
    return doc->quotes[q].addressees[i];
}

quoth_quote_type quoth_quote_type_of(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].type : QUOTH_QUOTE_IMPLICIT;
}

double quoth_quote_confidence(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].confidence : 0.0;
}

quoth_rule quoth_quote_rule(const quoth_doc *doc, size_t q) {
    return doc && q < doc->nquote ? doc->quotes[q].rule : QUOTH_RULE_NONE;
}

quoth_span quoth_quote_evidence(const quoth_doc *doc, size_t q) {
    quoth_span none = {0, 0};
    return doc && q < doc->nquote ? span_out(doc->quotes[q].evidence) : none;
}

const char *quoth_type_name(quoth_quote_type type) {
    switch (type) {
    case QUOTH_QUOTE_EXPLICIT: return "explicit";
    case QUOTH_QUOTE_ANAPHORIC: return "anaphoric";
    case QUOTH_QUOTE_IMPLICIT: return "implicit";
    }
    return "implicit";
}

const char *quoth_rule_name(quoth_rule rule) {
    switch (rule) {
    case QUOTH_RULE_NONE: return "none";
    case QUOTH_RULE_TAG_AFTER: return "tag-after";
    case QUOTH_RULE_TAG_BEFORE: return "tag-before";
    case QUOTH_RULE_BEAT: return "beat";
    case QUOTH_RULE_INTRO: return "intro";
    case QUOTH_RULE_TURN_TAKING: return "turn-taking";
    case QUOTH_RULE_NARRATION_BEFORE: return "narration-before";
    case QUOTH_RULE_RANKER: return "ranker";
    }
    return "none";
}

const char *quoth_gender_name(quoth_gender g) {
    switch (g) {
    case QUOTH_GENDER_MALE: return "M";
    case QUOTH_GENDER_FEMALE: return "F";
    case QUOTH_GENDER_NEUTER: return "X";
    case QUOTH_GENDER_PLURAL: return "P";
    case QUOTH_GENDER_UNKNOWN: return "U";
    }
    return "U";
}

/* ---- the iterator ----------------------------------------------------------
 * A small state machine over (section, paragraph, position): no recursion,
 * so hostile input cannot deepen the stack. */

struct quoth_iter {
    const quoth_doc *doc;
    quoth_node node;
    int state;         /* 0 start, 1 in doc, 2 in section, 3 in paragraph, 4 done */
    size_t sect, para;
    size_t pos;        /* next byte to report inside the paragraph */
    size_t q, qpart;   /* next quote span to consider */
};

quoth_iter *quoth_iter_new(const quoth_doc *doc) {
    if (!doc)
        return NULL;
    quoth_iter *it = calloc(1, sizeof *it);
    if (it)
        it->doc = doc;
    return it;
}

void quoth_iter_free(quoth_iter *it) { free(it); }

const quoth_node *quoth_iter_node(const quoth_iter *it) { return it ? &it->node : NULL; }

static void iter_set(quoth_iter *it, quoth_node_kind kind, size_t index, size_t start,
                     size_t end) {
    it->node.kind = kind;
    it->node.index = index;
    it->node.part = 0;
    it->node.span.start = start;
    it->node.span.end = end;
}

/* Advances (q, qpart) to the first quote span that ends after pos. */
static bool iter_next_span(quoth_iter *it, span32 *out) {
    const quoth_doc *d = it->doc;
    while (it->q < d->nquote) {
        const quote *qq = &d->quotes[it->q];
        while (it->qpart < qq->nspans) {
            span32 s = qq->spans[it->qpart];
            if (s.end > it->pos || (s.start == s.end && s.start >= it->pos)) {
                *out = s;
                return true;
            }
            it->qpart++;
        }
        it->q++;
        it->qpart = 0;
    }
    return false;
}

quoth_event quoth_iter_next(quoth_iter *it) {
    if (!it)
        return QUOTH_EVENT_NONE;
    const quoth_doc *d = it->doc;
    for (;;) {
        switch (it->state) {
        case 0:
            it->state = 1;
            iter_set(it, QUOTH_NODE_DOCUMENT, 0, 0, d->len);
            return QUOTH_EVENT_ENTER;
        case 1:
            if (it->sect >= d->nsect) {
                it->state = 4;
                iter_set(it, QUOTH_NODE_DOCUMENT, 0, 0, d->len);
                return QUOTH_EVENT_EXIT;
            } else {
                const section *s = &d->sections[it->sect];
                it->state = 2;
                it->para = s->first_para;
                size_t start = s->para_count ? d->paras[s->first_para].span.start : 0;
                size_t end = s->para_count ? d->paras[s->first_para + s->para_count - 1].span.end : start;
                iter_set(it, QUOTH_NODE_SECTION, it->sect, start, end);
                return QUOTH_EVENT_ENTER;
            }
        case 2: {
            const section *s = &d->sections[it->sect];
            if (it->para >= (size_t)s->first_para + s->para_count) {
                size_t start = s->para_count ? d->paras[s->first_para].span.start : 0;
                size_t end = s->para_count ? d->paras[s->first_para + s->para_count - 1].span.end : start;
                iter_set(it, QUOTH_NODE_SECTION, it->sect, start, end);
                it->sect++;
                it->state = 1;
                return QUOTH_EVENT_EXIT;
            }
            const paragraph *p = &d->paras[it->para];
            it->pos = p->span.start;
            it->state = 3;
            iter_set(it, QUOTH_NODE_PARAGRAPH, it->para, p->span.start, p->span.end);
            return QUOTH_EVENT_ENTER;
        }
        case 3: {
            const paragraph *p = &d->paras[it->para];
            if (it->pos >= p->span.end) {
                iter_set(it, QUOTH_NODE_PARAGRAPH, it->para, p->span.start, p->span.end);
                it->para++;
                it->state = 2;
                return QUOTH_EVENT_EXIT;
            }
            span32 s;
            if (iter_next_span(it, &s) && s.start < p->span.end) {
                if (s.start > it->pos) {
                    iter_set(it, QUOTH_NODE_TEXT, it->para, it->pos, s.start);
                    it->pos = s.start;
                    return QUOTH_EVENT_LEAF;
                }
                iter_set(it, QUOTH_NODE_QUOTE, it->q, s.start, s.end);
                it->node.part = it->qpart;
                it->pos = s.end > it->pos ? s.end : it->pos;
                it->qpart++;
                if (s.start == s.end && it->pos == s.start) {
                    /* an empty quotation: report it once, then move on */
                }
                return QUOTH_EVENT_LEAF;
            }
            iter_set(it, QUOTH_NODE_TEXT, it->para, it->pos, p->span.end);
            it->pos = p->span.end;
            return QUOTH_EVENT_LEAF;
        }
        default:
            return QUOTH_EVENT_NONE;
        }
    }
}
