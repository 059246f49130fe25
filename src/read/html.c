/*
 * html.c — the HTML reader: HTML5 parsed by gumbo (as a browser would,
 * recovering from broken markup), then one walk over the tree that writes
 * the story text. Blocks (<p>, <div>, <blockquote>, <br>, ...) become
 * paragraphs separated by a blank line, <h1>-<h3> heading lines, <hr> a
 * "* * *" scene break; <script>, <style> and the <head> are dropped.
 *
 * Sites are recognised by their markup and read by what it means:
 *  - AO3 downloads (and AO3 EPUB chapters): div#preface and div#afterword
 *    give the metadata (title, byline, dl.tags, summary and notes in
 *    blockquote.userstuff) and no text; in div#chapters each chapter's
 *    div.meta gives the h2.heading title, its notes (and div.endnotes) are
 *    kept in place as paratext spans.
 *  - FanFiction.net saved pages: only div#storytext is story; the title,
 *    author and "Rated: T - English - Romance - Clark K., Lex L. - ..."
 *    line of #profile_top are metadata.
 *  - FanFicFare output: text from the first chapter on, titles from
 *    .fff_chapter_title, .fff_chapter_notes as paratext, the title page's
 *    "Label: value" pairs as metadata.
 *
 * The tree is walked with an explicit stack (QUOTH_READ_MAX_HTML_DEPTH) and
 * gumbo allocates from an arena that is dropped whole, because gumbo's own
 * gumbo_destroy_output() recurses once per nesting level.
 *
 * XHTML (EPUB chapters, files that start with <?xml) is first given to
 * xhtml.c, where libxml2's XML parser builds the same tree for a few
 * percent of gumbo's cost; other HTML to html_clean.c, which builds it in
 * one pass for pages in a clean subset of HTML (AO3's downloads are);
 * gumbo reads what these paths cannot.
 */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "read_internal.h"

typedef enum { SITE_HTML, SITE_AO3, SITE_FFN, SITE_FFF } site_kind;

typedef struct {
    quoth_reading *r;
    const char *base; /* the source the offsets count from */
    size_t len;
    size_t skip; /* bytes before what gumbo was given (a BOM) */
    site_kind site;
    bool meta_only;
    int scope;    /* > 0: text is story */
    int ao3_meta; /* inside an AO3 chapter's div.meta */
    bool fff_started;
    char *ffn_chapter; /* FanFiction.net: the selected chapter's title */
} html_ctx;

/* ---- small helpers ------------------------------------------------------------- */

static const char *attr(const GumboNode *n, const char *name) {
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
        return NULL;
    GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

static bool is_element(const GumboNode *n) {
    return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

static GumboTag tag_of(const GumboNode *n) {
    return is_element(n) ? n->v.element.tag : GUMBO_TAG_UNKNOWN;
}

static bool has_class(const GumboNode *n, const char *cls) {
    const char *c = attr(n, "class");
    if (!c)
        return false;
    size_t l = strlen(cls);
    for (const char *p = c; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
            e++;
        if ((size_t)(e - p) == l && !memcmp(p, cls, l))
            return true;
        p = e;
    }
    return false;
}

static bool class_prefix(const GumboNode *n, const char *prefix) {
    const char *c = attr(n, "class");
    return c && strstr(c, prefix) != NULL;
}

static bool id_is(const GumboNode *n, const char *id) {
    const char *v = attr(n, "id");
    return v && !strcmp(v, id);
}

static const GumboVector *children_of(const GumboNode *n) {
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    if (is_element(n))
        return &n->v.element.children;
    return NULL;
}

static size_t node_offset(const html_ctx *c, const GumboNode *n) {
    size_t off = is_element(n) ? n->v.element.start_pos.offset : n->v.text.start_pos.offset;
    return off + c->skip;
}

/* An explicit stack for walking subtrees without recursion. */
typedef struct {
    const GumboNode *node;
    unsigned child;
    unsigned char act;
} frame;

typedef struct {
    frame *f;
    size_t n, cap;
} stack;

static bool stack_push(stack *s, const GumboNode *node, unsigned char act) {
    if (s->n >= QUOTH_READ_MAX_HTML_DEPTH)
        return false;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        frame *nf = realloc(s->f, nc * sizeof *nf);
        if (!nf)
            return false;
        s->f = nf;
        s->cap = nc;
    }
    s->f[s->n].node = node;
    s->f[s->n].child = 0;
    s->f[s->n].act = act;
    s->n++;
    return true;
}

static bool is_block_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY: return true;
    default: return false;
    }
}

static bool is_dropped_tag(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT: return true;
    default: return false;
    }
}

/* The text of a subtree with white space collapsed; with blocks, block
 * elements and <br> end lines (for summaries and notes). */
static void node_text(const GumboNode *root, buf *out, bool blocks) {
    stack s = {0};
    bool space = false;
    if (!stack_push(&s, root, 0))
        return;
    while (s.n) {
        frame *f = &s.f[s.n - 1];
        const GumboVector *ch = children_of(f->node);
        if (!ch || f->child >= ch->length) {
            if (blocks && is_block_tag(tag_of(f->node)) && out->len &&
                out->data[out->len - 1] != '\n')
                buf_putc(out, '\n'), space = false;
            s.n--;
            continue;
        }
        const GumboNode *c = ch->data[f->child++];
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
            c->type == GUMBO_NODE_CDATA) {
            for (const char *p = c->v.text.text; *p; p++) {
                bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';
                if (!sp && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
                    sp = true;
                    p++;
                }
                if (sp) {
                    space = true;
                    continue;
                }
                if (space && out->len && out->data[out->len - 1] != '\n')
                    buf_putc(out, ' ');
                space = false;
                buf_putc(out, *p);
            }
        } else if (is_element(c)) {
            GumboTag t = tag_of(c);
            if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE)
                continue;
            if (t == GUMBO_TAG_BR) {
                if (blocks)
                    buf_putc(out, '\n');
                else
                    space = true;
                continue;
            }
            if (blocks && is_block_tag(t) && out->len && out->data[out->len - 1] != '\n')
                buf_putc(out, '\n'), space = false;
            else if (!blocks && is_block_tag(t))
                space = true;
            stack_push(&s, c, 0);
        }
    }
    free(s.f);
    while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
        out->data[--out->len] = '\0';
}

static void meta_from_node(quoth_reading *r, const char *key, const GumboNode *n, bool blocks) {
    buf b;
    buf_init(&b);
    node_text(n, &b, blocks);
    if (b.failed)
        r->failed = true;
    read_meta(r, key, b.data, b.len);
    buf_free(&b);
}

/* Visits every element below root (pre-order); fn returns whether to go
 * below the element. */
typedef bool (*element_fn)(html_ctx *c, const GumboNode *n, void *arg);

static void each_element(html_ctx *c, const GumboNode *root, element_fn fn, void *arg) {
    stack s = {0};
    if (!stack_push(&s, root, 0))
        return;
    while (s.n) {
        frame *f = &s.f[s.n - 1];
        const GumboVector *ch = children_of(f->node);
        if (!ch || f->child >= ch->length) {
            s.n--;
            continue;
        }
        const GumboNode *n = ch->data[f->child++];
        if (is_element(n) && fn(c, n, arg))
            stack_push(&s, n, 0);
    }
    free(s.f);
}

/* ---- site detection ------------------------------------------------------------- */

static bool detect_fn(html_ctx *c, const GumboNode *n, void *arg) {
    (void)c;
    site_kind *site = arg;
    if (id_is(n, "storytext") || id_is(n, "storytextp")) {
        *site = SITE_FFN;
        return false;
    }
    if (*site == SITE_FFN)
        return false;
    if (id_is(n, "preface") || id_is(n, "chapters") || id_is(n, "afterword") ||
        (has_class(n, "heading") && tag_of(n) == GUMBO_TAG_H2)) {
        *site = SITE_AO3;
        return true;
    }
    if (*site == SITE_HTML && class_prefix(n, "fff_"))
        *site = SITE_FFF;
    if (tag_of(n) == GUMBO_TAG_META) {
        const char *name = attr(n, "name"), *content = attr(n, "content");
        if (name && content && !strcmp(name, "generator") && strstr(content, "FanFicFare") &&
            *site == SITE_HTML)
            *site = SITE_FFF;
    }
    return true;
}

/* ---- metadata --------------------------------------------------------------------- */

/* The metadata key for a site's label ("Fandom:", "Characters", ...). */
static const char *label_key(const char *label, size_t n) {
    static const struct {
        const char *label, *key;
    } map[] = {{"fandom", "fandom"},
               {"fandoms", "fandom"},
               {"category", "fandom"},
               {"character", "characters"},
               {"characters", "characters"},
               {"language", "language"},
               {"summary", "summary"},
               {"author", "author"},
               {"authors", "author"},
               {"title", "title"},
               {"rating", "rating"},
               {"rated", "rating"},
               {"relationship", "relationships"},
               {"relationships", "relationships"},
               {"pairing", "relationships"},
               {"additional tags", "tags"},
               {"freeform", "tags"},
               {"series", "series"},
               {"source", "source"},
               {"story url", "source"},
               {"url", "source"},
               {"genre", "genre"},
               {"status", "status"},
               {"words", "words"},
               {"archive warning", "warnings"},
               {"archive warnings", "warnings"},
               {"notes", "notes"}};
    char low[40];
    while (n && (label[n - 1] == ':' || label[n - 1] == ' '))
        n--;
    if (n >= sizeof low)
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = (label[i] >= 'A' && label[i] <= 'Z') ? (char)(label[i] + 32) : label[i];
    low[n] = '\0';
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        if (!strcmp(low, map[k].label))
            return map[k].key;
    return NULL;
}

/* A site's label: once per key (an EPUB's OPF said it first), except
 * notes. A "characters" value is one name a line: "A, B" becomes "A\nB". */
static void meta_list(quoth_reading *r, const char *key, const char *v, size_t n) {
    if (strcmp(key, "notes") && read_has_meta(r, key))
        return;
    if (strcmp(key, "characters")) {
        read_meta(r, key, v, n);
        return;
    }
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ',') {
            buf_putc(&b, '\n');
            while (i + 1 < n && v[i + 1] == ' ')
                i++;
        } else {
            buf_putc(&b, v[i]);
        }
    }
    read_meta(r, key, b.data, b.len);
    buf_free(&b);
}

typedef struct {
    buf author;
    char label[64];
    bool in_preface;
} ao3_state;

static bool ao3_meta_fn(html_ctx *c, const GumboNode *n, void *arg) {
    ao3_state *st = arg;
    quoth_reading *r = c->r;
    GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_H1 && st->in_preface) {
        if (!read_has_meta(r, "title"))
            meta_from_node(r, "title", n, false);
        return false;
    }
    if (t == GUMBO_TAG_A) {
        const char *rel = attr(n, "rel"), *href = attr(n, "href");
        if (rel && !strcmp(rel, "author")) {
            buf b;
            buf_init(&b);
            node_text(n, &b, false);
            if (b.len) {
                if (st->author.len)
                    buf_puts(&st->author, ", ");
                buf_append(&st->author, b.data, b.len);
            }
            buf_free(&b);
        } else if (href && strstr(href, "/works/") && !strstr(href, "/works/new") &&
                   !read_has_meta(r, "source")) {
            const char *h = strstr(href, "archiveofourown.org/works/");
            if (h)
                read_meta(r, "source", href, strlen(href));
        }
        return false;
    }
    if (t == GUMBO_TAG_DL && has_class(n, "tags")) {
        const GumboVector *ch = children_of(n);
        char label[64] = "";
        for (unsigned i = 0; ch && i < ch->length; i++) {
            const GumboNode *k = ch->data[i];
            if (tag_of(k) == GUMBO_TAG_DT) {
                buf b;
                buf_init(&b);
                node_text(k, &b, false);
                size_t l = b.len < sizeof label - 1 ? b.len : sizeof label - 1;
                if (b.data)
                    memcpy(label, b.data, l);
                label[l] = '\0';
                buf_free(&b);
            } else if (tag_of(k) == GUMBO_TAG_DD && label[0]) {
                const char *key = label_key(label, strlen(label));
                if (!key)
                    continue;
                /* tag lists: one value per <a>, one a line */
                buf b;
                buf_init(&b);
                const GumboVector *dc = children_of(k);
                size_t links = 0;
                for (unsigned j = 0; dc && j < dc->length; j++) {
                    const GumboNode *a = dc->data[j];
                    const GumboNode *link = tag_of(a) == GUMBO_TAG_A ? a : NULL;
                    if (tag_of(a) == GUMBO_TAG_UL ||
                        tag_of(a) == GUMBO_TAG_LI) { /* <ul class="commas"><li><a> */
                        buf inner;
                        buf_init(&inner);
                        node_text(a, &inner, true);
                        if (inner.len) {
                            if (b.len)
                                buf_putc(&b, '\n');
                            buf_append(&b, inner.data, inner.len);
                            links++;
                        }
                        buf_free(&inner);
                        continue;
                    }
                    if (!link)
                        continue;
                    buf one;
                    buf_init(&one);
                    node_text(link, &one, false);
                    if (one.len) {
                        if (b.len)
                            buf_puts(&b, !strcmp(key, "characters") || !strcmp(key, "tags") ||
                                                 !strcmp(key, "relationships")
                                             ? "\n"
                                             : ", ");
                        buf_append(&b, one.data, one.len);
                        links++;
                    }
                    buf_free(&one);
                }
                if (!links)
                    node_text(k, &b, false);
                if (b.len)
                    meta_list(r, key, b.data, b.len);
                buf_free(&b);
            }
        }
        return false;
    }
    if ((t == GUMBO_TAG_P || t == GUMBO_TAG_H3) && !has_class(n, "message")) {
        buf b;
        buf_init(&b);
        node_text(n, &b, false);
        size_t l = b.len < sizeof st->label - 1 ? b.len : sizeof st->label - 1;
        if (b.data)
            memcpy(st->label, b.data, l);
        st->label[l] = '\0';
        buf_free(&b);
        return false;
    }
    if (t == GUMBO_TAG_BLOCKQUOTE && has_class(n, "userstuff")) {
        if (!strncmp(st->label, "Summary", 7))
            meta_from_node(r, "summary", n, true);
        else if (strstr(st->label, "Notes"))
            meta_from_node(r, "notes", n, true);
        st->label[0] = '\0';
        return false;
    }
    return true;
}

static bool ao3_find_fn(html_ctx *c, const GumboNode *n, void *arg) {
    ao3_state *st = arg;
    if (id_is(n, "preface") || id_is(n, "afterword")) {
        st->in_preface = id_is(n, "preface");
        each_element(c, n, ao3_meta_fn, st);
        st->in_preface = false;
        return false;
    }
    return true;
}

static void ao3_metadata(html_ctx *c, const GumboNode *root) {
    ao3_state st;
    memset(&st, 0, sizeof st);
    buf_init(&st.author);
    each_element(c, root, ao3_find_fn, &st);
    if (st.author.len)
        read_meta_once(c->r, "author", st.author.data, st.author.len);
    buf_free(&st.author);
}

/* FanFiction.net: "Rated: Fiction T - English - Romance/Drama - Clark K., Lex L. - Words: ..." */
static void ffn_info_line(quoth_reading *r, const char *s, size_t n) {
    static const char *const genres[] = {
        "Romance",    "Drama",   "Humor",   "Angst",   "Adventure", "Hurt/Comfort",
        "Friendship", "Family",  "General", "Tragedy", "Fantasy",   "Horror",
        "Mystery",    "Parody",  "Poetry",  "Sci-Fi",  "Spiritual", "Supernatural",
        "Suspense",   "Western", "Crime"};
    size_t field = 0;
    size_t a = 0;
    while (a < n) {
        size_t e = a;
        while (e < n && !(e + 2 < n && s[e] == ' ' && s[e + 1] == '-' && s[e + 2] == ' '))
            e++;
        size_t fs = a, fe = e;
        while (fs < fe && s[fs] == ' ')
            fs++;
        bool colon = memchr(s + fs, ':', fe - fs) != NULL;
        if (colon) {
            const char *c = memchr(s + fs, ':', fe - fs);
            const char *key = label_key(s + fs, (size_t)(c - (s + fs)));
            if (key && strcmp(key, "language"))
                read_meta(r, key, c + 1, (size_t)(s + fe - (c + 1)));
        } else if (field == 1) {
            read_meta(r, "language", s + fs, fe - fs);
        } else if (field >= 2 && fe > fs) {
            /* genres ("Romance/Drama") or the characters */
            bool genre = true;
            for (size_t p = fs; p < fe && genre;) {
                size_t q = p;
                while (q < fe && s[q] != '/')
                    q++;
                if (q - p == 5 && !memcmp(s + p, "Hurt", 4) && q + 8 <= fe) /* Hurt/Comfort */
                    q += 8;
                bool known = false;
                for (size_t g = 0; g < sizeof genres / sizeof *genres; g++)
                    if (strlen(genres[g]) == q - p && !memcmp(genres[g], s + p, q - p))
                        known = true;
                genre = known;
                p = q + 1;
            }
            if (genre) {
                read_meta(r, "genre", s + fs, fe - fs);
            } else if (!read_has_meta(r, "characters")) {
                /* "[Clark K., Lex L.] Clark K., Lex L.": pairings in brackets */
                buf b;
                buf_init(&b);
                for (size_t p = fs; p < fe; p++)
                    if (s[p] != '[' && s[p] != ']')
                        buf_putc(&b, s[p]);
                meta_list(r, "characters", b.data, b.len);
                buf_free(&b);
            }
        }
        field++;
        a = e + 3;
    }
}

/* Keeps the last <a> in document order; looks inside everything else. */
static bool last_link_fn(html_ctx *c, const GumboNode *n, void *arg) {
    (void)c;
    if (tag_of(n) != GUMBO_TAG_A)
        return true;
    *(const GumboNode **)arg = n;
    return false;
}

static bool ffn_meta_fn(html_ctx *c, const GumboNode *n, void *arg) {
    (void)arg;
    quoth_reading *r = c->r;
    if (id_is(n, "storytextp") || id_is(n, "storytext"))
        return false;
    if (id_is(n, "pre_story_links")) { /* "TV Shows > Smallville": the last link */
        const GumboNode *last = NULL;
        each_element(c, n, last_link_fn, &last);
        if (last)
            meta_from_node(r, "fandom", last, false);
        return false;
    }
    if (tag_of(n) == GUMBO_TAG_B && has_class(n, "xcontrast_txt") && !read_has_meta(r, "title")) {
        meta_from_node(r, "title", n, false);
        return false;
    }
    if (tag_of(n) == GUMBO_TAG_A && has_class(n, "xcontrast_txt")) {
        const char *href = attr(n, "href");
        if (href && !strncmp(href, "/u/", 3) && !read_has_meta(r, "author"))
            meta_from_node(r, "author", n, false);
        return false;
    }
    if (tag_of(n) == GUMBO_TAG_DIV && has_class(n, "xcontrast_txt") &&
        !read_has_meta(r, "summary")) {
        meta_from_node(r, "summary", n, false);
        return false;
    }
    if (tag_of(n) == GUMBO_TAG_SPAN && has_class(n, "xgray") && !read_has_meta(r, "rating")) {
        buf b;
        buf_init(&b);
        node_text(n, &b, false);
        if (b.len)
            ffn_info_line(r, b.data, b.len);
        buf_free(&b);
        return false;
    }
    if (tag_of(n) == GUMBO_TAG_SELECT && id_is(n, "chap_select") && !c->ffn_chapter) {
        const GumboVector *ch = children_of(n);
        for (unsigned i = 0; ch && i < ch->length; i++) {
            const GumboNode *o = ch->data[i];
            if (tag_of(o) == GUMBO_TAG_OPTION && attr(o, "selected")) {
                buf b;
                buf_init(&b);
                node_text(o, &b, false);
                if (b.len)
                    c->ffn_chapter = arena_strndup(&r->mem, b.data, b.len);
                buf_free(&b);
                break;
            }
        }
        return false;
    }
    return true;
}

/* FanFicFare's title page: "<b>Label:</b> value<br/>" pairs or a table of
 * label and value cells. */
static bool fff_meta_fn(html_ctx *c, const GumboNode *n, void *arg) {
    (void)arg;
    quoth_reading *r = c->r;
    if (has_class(n, "fff_chapter") || has_class(n, "fff_chapter_title"))
        return false;
    GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_TR) {
        const GumboVector *ch = children_of(n);
        const GumboNode *cells[2] = {NULL, NULL};
        size_t nc = 0;
        for (unsigned i = 0; ch && i < ch->length && nc < 2; i++)
            if (tag_of(ch->data[i]) == GUMBO_TAG_TD || tag_of(ch->data[i]) == GUMBO_TAG_TH)
                cells[nc++] = ch->data[i];
        if (nc == 2) {
            buf b;
            buf_init(&b);
            node_text(cells[0], &b, false);
            const char *key = b.len ? label_key(b.data, b.len) : NULL;
            if (key && !read_has_meta(r, key)) {
                buf v;
                buf_init(&v);
                node_text(cells[1], &v, !strcmp(key, "summary"));
                meta_list(r, key, v.data, v.len);
                buf_free(&v);
            }
            buf_free(&b);
        }
        return false;
    }
    if (t == GUMBO_TAG_B || t == GUMBO_TAG_STRONG) {
        buf b;
        buf_init(&b);
        node_text(n, &b, false);
        const char *key = b.len && b.data[b.len - 1] == ':' ? label_key(b.data, b.len) : NULL;
        buf_free(&b);
        if (!key || read_has_meta(r, key) || !n->parent)
            return false;
        /* the value: the siblings after the label, up to <br> or the next label */
        const GumboVector *sib = children_of(n->parent);
        buf v;
        buf_init(&v);
        for (unsigned i = (unsigned)n->index_within_parent + 1; sib && i < sib->length; i++) {
            const GumboNode *s = sib->data[i];
            GumboTag st = tag_of(s);
            if (st == GUMBO_TAG_BR || st == GUMBO_TAG_B || st == GUMBO_TAG_STRONG ||
                is_block_tag(st))
                break;
            if (s->type == GUMBO_NODE_TEXT || s->type == GUMBO_NODE_WHITESPACE)
                buf_puts(&v, s->v.text.text);
            else if (is_element(s)) {
                buf inner;
                buf_init(&inner);
                node_text(s, &inner, false);
                buf_append(&v, inner.data, inner.len);
                buf_free(&inner);
            }
        }
        /* collapse the white space */
        size_t w = 0;
        for (size_t i = 0; i < v.len; i++) {
            char ch = v.data[i];
            bool sp = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
            if (sp && (w == 0 || v.data[w - 1] == ' '))
                continue;
            v.data[w++] = sp ? ' ' : ch;
        }
        meta_list(r, key, v.data, w);
        buf_free(&v);
        return false;
    }
    if ((t == GUMBO_TAG_H1 || t == GUMBO_TAG_H3) && !read_has_meta(r, "title")) {
        /* "<h3><a>Title</a> by <a>Author</a></h3>" */
        const GumboVector *ch = children_of(n);
        size_t links = 0;
        for (unsigned i = 0; ch && i < ch->length; i++)
            if (tag_of(ch->data[i]) == GUMBO_TAG_A) {
                meta_from_node(r, links == 0 ? "title" : "author", ch->data[i], false);
                if (links == 0 && attr(ch->data[i], "href") && !read_has_meta(r, "source"))
                    read_meta(r, "source", attr(ch->data[i], "href"),
                              strlen(attr(ch->data[i], "href")));
                links++;
            }
        if (!links)
            meta_from_node(r, "title", n, false);
        return false;
    }
    return true;
}

/* <title>, <meta name=author>, <html lang>: for every page, after the
 * site's own (which are more exact). */
static void generic_metadata(html_ctx *c, const GumboNode *root) {
    quoth_reading *r = c->r;
    const GumboVector *top = children_of(root);
    for (unsigned i = 0; top && i < top->length; i++) {
        const GumboNode *html = top->data[i];
        if (tag_of(html) != GUMBO_TAG_HTML)
            continue;
        const char *lang = attr(html, "lang");
        if (!lang)
            lang = attr(html, "xml:lang");
        const GumboVector *hc = children_of(html);
        for (unsigned j = 0; hc && j < hc->length; j++) {
            const GumboNode *head = hc->data[j];
            if (tag_of(head) != GUMBO_TAG_HEAD)
                continue;
            const GumboVector *kids = children_of(head);
            for (unsigned k = 0; kids && k < kids->length; k++) {
                const GumboNode *e = kids->data[k];
                if (tag_of(e) == GUMBO_TAG_TITLE && !read_has_meta(r, "title") &&
                    c->site == SITE_HTML) {
                    meta_from_node(r, "title", e, false);
                } else if (tag_of(e) == GUMBO_TAG_META) {
                    const char *name = attr(e, "name"), *content = attr(e, "content");
                    if (name && content && !strcmp(name, "author"))
                        read_meta_once(r, "author", content, strlen(content));
                    else if (name && content && !strcmp(name, "description"))
                        read_meta_once(r, "summary", content, strlen(content));
                } else if (tag_of(e) == GUMBO_TAG_LINK) {
                    const char *rel = attr(e, "rel"), *href = attr(e, "href");
                    if (rel && href && !strcmp(rel, "canonical"))
                        read_meta_once(r, "source", href, strlen(href));
                }
            }
        }
        if (lang && c->site == SITE_HTML)
            read_meta_once(r, "language", lang, strlen(lang));
    }
}

/* ---- the text walk ----------------------------------------------------------------- */

enum {
    ACT_INLINE,
    ACT_BLOCK,
    ACT_SKIP,
    ACT_BR,
    ACT_HR,
    ACT_HEADING,
    ACT_PARATEXT,
    ACT_SCOPE,
    ACT_AO3_META
};

static bool ao3_see_end_note(const GumboNode *n) {
    /* "See the end of the chapter for more notes": a link, not content */
    const GumboVector *ch = children_of(n);
    for (unsigned i = 0; ch && i < ch->length; i++) {
        const GumboNode *k = ch->data[i];
        const char *href = attr(k, "href");
        if (tag_of(k) == GUMBO_TAG_A && href &&
            (!strncmp(href, "#endnotes", 9) || !strncmp(href, "#children", 9)))
            return true;
    }
    return false;
}

static unsigned char classify(html_ctx *c, const GumboNode *n) {
    GumboTag t = tag_of(n);
    if (is_dropped_tag(t))
        return ACT_SKIP;
    if (t == GUMBO_TAG_BR)
        return ACT_BR;
    if (t == GUMBO_TAG_HR)
        return ACT_HR;
    switch (c->site) {
    case SITE_AO3:
        if (id_is(n, "preface") || id_is(n, "afterword") || has_class(n, "toc-heading"))
            return ACT_SKIP;
        if (t == GUMBO_TAG_H2 && has_class(n, "heading"))
            return ACT_HEADING;
        if (has_class(n, "meta") && !c->ao3_meta)
            return ACT_AO3_META;
        if (c->ao3_meta) {
            if (t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3)
                return ACT_HEADING;
            if (t == GUMBO_TAG_P && ao3_see_end_note(n))
                return ACT_SKIP;
            if (t == GUMBO_TAG_P || t == GUMBO_TAG_BLOCKQUOTE || t == GUMBO_TAG_DIV)
                return ACT_PARATEXT;
        }
        if (has_class(n, "notes") || has_class(n, "endnotes") || has_class(n, "endnote") ||
            (attr(n, "id") && !strncmp(attr(n, "id"), "endnotes", 8)))
            return ACT_PARATEXT;
        break;
    case SITE_FFN:
        if (id_is(n, "storytext"))
            return ACT_SCOPE;
        break;
    case SITE_FFF:
        if (has_class(n, "fff_chapter_title")) {
            c->fff_started = true;
            c->scope = 1;
            return ACT_HEADING;
        }
        if (has_class(n, "fff_chapter_notes"))
            return ACT_PARATEXT;
        if (has_class(n, "fff_chapter") && !c->fff_started) {
            c->fff_started = true;
            c->scope = 1;
        }
        break;
    case SITE_HTML: break;
    }
    if (t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3)
        return ACT_HEADING;
    return is_block_tag(t) ? ACT_BLOCK : ACT_INLINE;
}

/* Writes a text node, mapping each byte to the source: copied runs map
 * exactly; a decoded entity's bytes map to its '&'. */
static void emit_text(html_ctx *c, const GumboNode *n) {
    quoth_reading *r = c->r;
    const char *d = n->v.text.text;
    size_t dl = strlen(d);
    const char *o = n->v.text.original_text.data;
    size_t ol = n->v.text.original_text.length;
    bool have_o = o && o >= c->base && o + ol <= c->base + c->len;
    size_t osrc = have_o ? (size_t)(o - c->base) : node_offset(c, n);
    if (!have_o) {
        read_inline(r, d, dl, osrc, false);
        return;
    }
    bool nbsp = memchr(d, 0xC2, dl) != NULL;
    if (!nbsp && ol == dl && !memcmp(o, d, dl)) {
        read_inline(r, d, dl, osrc, true);
        return;
    }
    size_t i = 0, j = 0;
    while (j < dl) {
        unsigned char dc = (unsigned char)d[j];
        if (dc == 0xC2 && j + 1 < dl && (unsigned char)d[j + 1] == 0xA0) { /* no-break space */
            size_t src = osrc + (i < ol ? i : ol);
            read_inline_byte(r, ' ', src, false);
            j += 2;
            if (i < ol && o[i] == '&') { /* &nbsp; &#160; &#xA0; */
                size_t k = i + 1;
                while (k < ol && k - i < 12 && o[k] != ';')
                    k++;
                i = k < ol && o[k] == ';' ? k + 1 : k;
            } else if (i + 1 < ol && (unsigned char)o[i] == 0xC2 &&
                       (unsigned char)o[i + 1] == 0xA0) {
                i += 2;
            }
            continue;
        }
        if (i < ol && o[i] == '&') {
            size_t k = i + 1;
            while (k < ol && k - i < 40 &&
                   ((o[k] >= 'a' && o[k] <= 'z') || (o[k] >= 'A' && o[k] <= 'Z') ||
                    (o[k] >= '0' && o[k] <= '9') || o[k] == '#'))
                k++;
            if (k < ol && o[k] == ';')
                k++;
            if (dl - j >= k - i && !memcmp(d + j, o + i, k - i)) { /* not an entity after all */
                for (size_t q = i; q < k; q++)
                    read_inline_byte(r, o[q], osrc + q, true);
                j += k - i;
                i = k;
                continue;
            }
            /* one decoded code point */
            size_t cl = dc < 0x80 ? 1 : dc < 0xE0 ? 2 : dc < 0xF0 ? 3 : 4;
            for (size_t q = 0; q < cl && j < dl; q++, j++)
                read_inline_byte(r, d[j], osrc + i, false);
            i = k;
            continue;
        }
        if (i < ol && o[i] == d[j]) {
            read_inline_byte(r, d[j], osrc + i, true);
            i++;
            j++;
            continue;
        }
        if (i < ol && o[i] == '\r') {
            i++;
            continue;
        }
        /* out of step (a replaced invalid byte): the rest maps to here */
        for (; j < dl; j++)
            read_inline_byte(r, d[j], osrc + (i < ol ? i : ol), false);
    }
}

static void walk(html_ctx *c, const GumboNode *root) {
    quoth_reading *r = c->r;
    stack s = {0};
    if (!stack_push(&s, root, ACT_INLINE)) {
        r->failed = true;
        return;
    }
    while (s.n) {
        frame *f = &s.f[s.n - 1];
        const GumboVector *ch = children_of(f->node);
        if (!ch || f->child >= ch->length) {
            size_t src = node_offset(c, f->node);
            switch (f->act) {
            case ACT_BLOCK: read_break(r, src); break;
            case ACT_PARATEXT: read_paratext_end(r, src); break;
            case ACT_SCOPE:
                c->scope--;
                read_break(r, src);
                break;
            case ACT_AO3_META:
                c->ao3_meta--;
                read_break(r, src);
                break;
            default: break;
            }
            s.n--;
            continue;
        }
        const GumboNode *n = ch->data[f->child++];
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
            if (c->scope > 0 && !c->meta_only)
                emit_text(c, n);
            continue;
        }
        if (!is_element(n))
            continue; /* comments: AO3's <!--chapter content--> marks need no action */
        unsigned char act = classify(c, n);
        size_t src = node_offset(c, n);
        bool out = c->scope > 0 && !c->meta_only;
        switch (act) {
        case ACT_SKIP: continue;
        case ACT_BR: read_break(r, src); continue;
        case ACT_HR:
            if (out)
                read_scene_break(r, src);
            continue;
        case ACT_HEADING:
            if (out) {
                buf b;
                buf_init(&b);
                node_text(n, &b, false);
                read_heading(r, b.data ? b.data : "", b.len, src);
                buf_free(&b);
            }
            continue;
        case ACT_PARATEXT: read_paratext_begin(r, src); break;
        case ACT_SCOPE:
            c->scope++;
            read_break(r, src);
            if (c->ffn_chapter && !c->meta_only) {
                read_heading(r, c->ffn_chapter, strlen(c->ffn_chapter), src);
                c->ffn_chapter = NULL;
            }
            break;
        case ACT_AO3_META:
            c->ao3_meta++;
            read_break(r, src);
            break;
        case ACT_BLOCK: read_break(r, src); break;
        default: break;
        }
        if (!stack_push(&s, n, act)) {
            /* deeper than QUOTH_READ_MAX_HTML_DEPTH: the subtree is left out */
            switch (act) {
            case ACT_PARATEXT: read_paratext_end(r, src); break;
            case ACT_SCOPE: c->scope--; break;
            case ACT_AO3_META: c->ao3_meta--; break;
            default: break;
            }
        }
    }
    free(s.f);
}

/* ---- the reader -------------------------------------------------------------------- */

static void *gumbo_arena_alloc(void *ud, size_t size) { return arena_alloc_uninit(ud, size); }
static void gumbo_arena_free(void *ud, void *p) {
    (void)ud;
    (void)p; /* the arena is dropped whole */
}

/* Binary data is not HTML: NUL bytes, or many control bytes, in the start. */
static bool looks_binary(const char *s, size_t len, size_t *where) {
    size_t n = len < 8192 ? len : 8192, ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            *where = i;
            return true;
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ctrl++;
    }
    *where = 0;
    return n >= 64 && ctrl * 10 > n;
}

/* How deep the markup nests, estimated from the tags without parsing:
 * gumbo takes time proportional to the depth for every element, so a
 * hostile file of 100,000 nested <div>s would take minutes. Start tags
 * push (except void elements and those whose end tag is optional), an end
 * tag pops back to its start tag (closing what was left open inside it,
 * as HTML does) and is ignored when nothing matches; script and style
 * content and comments are skipped. Returns the deepest nesting seen, or
 * QUOTH_READ_MAX_HTML_DEPTH + 1 once past the limit. */
static size_t markup_depth(const char *s, size_t len) {
    static const char *const flat[] = {
        "area", "base",   "br",      "col",      "embed",    "hr",    "img",   "input",    "link",
        "meta", "source", "track",   "wbr",      "p",        "li",    "dt",    "dd",       "tr",
        "td",   "th",     "option",  "optgroup", "thead",    "tbody", "tfoot", "colgroup", "rb",
        "rt",   "rp",     "caption", "param",    "basefont", "frame", "keygen"};
    uint32_t *open = malloc((QUOTH_READ_MAX_HTML_DEPTH + 1) * sizeof *open);
    if (!open)
        return 0;
    size_t depth = 0, deepest = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        if (i + 3 < len && !memcmp(s + i, "<!--", 4)) {
            const char *end = NULL;
            for (size_t k = i + 4; k + 2 < len; k++)
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
                    end = s + k;
                    break;
                }
            if (!end)
                break;
            i = (size_t)(end - s) + 2;
            continue;
        }
        bool close = i + 1 < len && s[i + 1] == '/';
        size_t a = i + 1 + close, e = a;
        char name[16];
        size_t nl = 0;
        while (e < len && ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z') ||
                           (s[e] >= '0' && s[e] <= '9'))) {
            if (nl < sizeof name - 1)
                name[nl++] = (char)(s[e] | 0x20);
            e++;
        }
        if (e == a || !((s[a] | 0x20) >= 'a' && (s[a] | 0x20) <= 'z'))
            continue;
        name[nl] = '\0';
        uint32_t h = 2166136261u;
        for (size_t k = 0; k < nl; k++)
            h = (h ^ (uint8_t)name[k]) * 16777619u;
        if (close) {
            for (size_t k = depth; k-- > 0;)
                if (open[k] == h) {
                    depth = k;
                    break;
                }
            continue;
        }
        const char *gt = memchr(s + e, '>', len - e);
        if (!gt)
            break;
        bool self_closing = gt > s + e && gt[-1] == '/';
        i = (size_t)(gt - s);
        if (!strcmp(name, "script") || !strcmp(name, "style")) { /* raw text up to its end tag */
            for (size_t k = i + 1; k + nl + 2 < len; k++)
                if (s[k] == '<' && s[k + 1] == '/' && !strncmp(s + k + 2, name, nl)) {
                    i = k - 1;
                    break;
                }
            continue;
        }
        bool flat_tag = self_closing;
        for (size_t k = 0; k < sizeof flat / sizeof *flat && !flat_tag; k++)
            flat_tag = !strcmp(name, flat[k]);
        if (flat_tag)
            continue;
        if (depth == QUOTH_READ_MAX_HTML_DEPTH) {
            deepest = depth + 1;
            break;
        }
        open[depth++] = h;
        if (depth > deepest)
            deepest = depth;
    }
    free(open);
    return deepest;
}

quoth_status read_html(quoth_reading *r, const char *bytes, size_t len, bool meta_only, bool xhtml,
                       const char **site_out, quoth_error *err) {
    size_t where;
    if (looks_binary(bytes, len, &where)) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "not HTML: binary data (%s at byte %zu)",
                      where || (len && !bytes[0]) ? "a NUL byte" : "control bytes", where);
        return QUOTH_ERR_FORMAT;
    }
    if (markup_depth(bytes, len) > QUOTH_READ_MAX_HTML_DEPTH) {
        doc_set_error(err, QUOTH_ERR_LIMIT, "HTML elements nested more than %d deep (the limit)",
                      QUOTH_READ_MAX_HTML_DEPTH);
        return QUOTH_ERR_LIMIT;
    }
    html_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.base = bytes;
    c.len = len;
    c.meta_only = meta_only;
    if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        c.skip = 3;
    arena mem;
    arena_init(&mem);
    /* XHTML that is well-formed XML (libxml2) or a clean HTML page
     * (html_clean.c): the same tree as gumbo's, faster */
    const GumboNode *document = NULL;
    if (!r->gumbo_only)
        document = xhtml ? read_xhtml_tree(bytes + c.skip, len - c.skip, &mem)
                         : read_clean_html_tree(bytes + c.skip, len - c.skip, &mem);
    if (document)
        r->html_trees |= xhtml ? READ_TREE_XML : READ_TREE_CLEAN;
    if (!document) {
        r->html_trees |= READ_TREE_GUMBO;
        GumboOptions opts = kGumboDefaultOptions;
        opts.allocator = gumbo_arena_alloc;
        opts.deallocator = gumbo_arena_free;
        opts.userdata = &mem;
        opts.max_errors = 0;
        GumboOutput *out = gumbo_parse_with_options(&opts, bytes + c.skip, len - c.skip);
        if (!out) {
            arena_free(&mem);
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory parsing HTML");
            return QUOTH_ERR_NOMEM;
        }
        document = out->document;
    }
    site_kind site = SITE_HTML;
    each_element(&c, document, detect_fn, &site);
    c.site = site;
    switch (site) {
    case SITE_AO3:
        ao3_metadata(&c, document);
        c.scope = 1;
        break;
    case SITE_FFN: each_element(&c, document, ffn_meta_fn, NULL); break;
    case SITE_FFF: each_element(&c, document, fff_meta_fn, NULL); break;
    case SITE_HTML:
        c.scope = 1;
        if (meta_only) /* an EPUB's title page: "Label: value" pairs, as FanFicFare writes */
            each_element(&c, document, fff_meta_fn, NULL);
        break;
    }
    generic_metadata(&c, document);
    static const char *const names[] = {"html", "ao3", "ffn", "fanficfare"};
    if (site != SITE_HTML)
        read_meta_once(r, "site", names[site], strlen(names[site]));
    if (!meta_only)
        walk(&c, document);
    read_break(r, len);
    arena_free(&mem);
    if (site_out)
        *site_out = names[site];
    return QUOTH_OK;
}
