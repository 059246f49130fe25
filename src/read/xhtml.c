/*
 * xhtml.c — the fast path for EPUB chapters: XHTML is XML by the EPUB
 * specification, and libxml2's XML parser with this tree builder takes
 * about 14 instructions a byte where gumbo takes about 510 (gumbo was 90%
 * of the cost of reading an EPUB; callgrind, the bench's joined novels).
 * This file builds, from libxml2's SAX2 events, the same GumboNode tree
 * gumbo would have built for a well-formed chapter, so html.c's site
 * detection, metadata and text walk run unchanged on either tree.
 *
 * What the tree keeps, as gumbo does: elements (tag from gumbo_tagn_enum,
 * attributes by qualified name, children, parent, index within the
 * parent, the byte offset of the start tag's '<'), and text nodes (the
 * decoded text, the original_text slice of the source it came from —
 * entity references included — and its offset). Comments and processing
 * instructions end a text node but are left out of the tree: html.c never
 * reads them.
 *
 * Anything this path does not reproduce exactly gives up, and the caller
 * parses the chapter with gumbo instead: a document that is not well-formed
 * XML (libxml2 stops at the first error), invalid UTF-8, a root element
 * other than <html>, a CDATA section outside <script> and <style> (HTML
 * parses it as a comment), markup that HTML builds another tree for (a
 * block such as <div> or <h2> inside a <p>, which HTML closes first; an
 * element inside <title> or <textarea>, whose content is text to HTML), an
 * entity that is not one of the predefined five nor an HTML 4 entity
 * (&nbsp; &mdash; ... from libxml2's table; not &lang; &rang;, which HTML5
 * changed), a numeric reference to a C1 control (HTML reads &#150; as
 * windows-1252), text other than white space in <html> outside its <head>
 * and <body> (HTML moves it into the body), an HTML entity outside ASCII
 * in an attribute value (libxml2 would copy only its first byte), and
 * nesting deeper than libxml2's 256 levels. The XML declaration's encoding
 * is ignored (XML_PARSE_IGNORE_ENC): gumbo reads UTF-8 only, and the
 * offsets must count bytes of the file as it is.
 *
 * Safety: no network (XML_PARSE_NONET), no DTD is loaded and no entity
 * declared in the document is ever used (the SAX handler has no entityDecl:
 * only the fixed HTML table resolves names), so neither external entities
 * nor entity expansion bombs can happen.
 */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "gumbo_tree.h"
#include "read_internal.h"
#include "lazy_libs.h" /* last: maps libxml2's names */

typedef struct {
    xmlParserCtxtPtr ctxt;
    gumbo_tree t;    /* the tree, its stacks and the pending text */
    const char *src; /* what libxml2 was given; offsets count from here */
    size_t len;
    bool text_pending; /* characters seen since the last markup */
    size_t mark;       /* where the source of the pending text starts */
    bool give_up;
    size_t open_p;    /* <p> elements open */
    xmlEntity entity; /* an HTML entity handed to libxml2 as predefined */
    xmlChar entity_value[8];
} tree_builder;

/* Start tags before which HTML closes an open <p> ("<p>a<div>b</div></p>"
 * is two siblings to gumbo, a <div> inside a <p> to XML). */
static bool closes_p(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_XMP: return true;
    default: return false;
    }
}

/* Elements whose content HTML reads as text, not markup. */
static bool text_only(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_PLAINTEXT: return true;
    default: return false;
    }
}

/* Where libxml2's parser is in the source, in bytes (the source is read
 * as UTF-8 unconverted, so its offsets are the file's). */
static size_t position(const tree_builder *b) {
    const xmlParserInput *in = b->ctxt->input;
    size_t off = (size_t)in->consumed + (size_t)(in->cur - in->base);
    return off < b->len ? off : b->len;
}

/* The last '<' before off: the start of the markup just parsed. */
static size_t markup_start(const tree_builder *b, size_t off) {
    while (off > 0 && b->src[off - 1] != '<')
        off--;
    return off ? off - 1 : 0;
}

static bool push_kid(tree_builder *b, GumboNode *n) { return gumbo_tree_push_kid(&b->t, n); }

static void stop(tree_builder *b) {
    b->give_up = true;
    xmlStopParser(b->ctxt);
}

/* Ends the pending text node at end (the '<' of the markup that follows). */
static void flush_text(tree_builder *b, size_t end) {
    if (!b->text_pending)
        return;
    b->text_pending = false;
    size_t start = b->mark <= end ? b->mark : end;
    if (!gumbo_tree_text(&b->t, b->src, start, end, " \t\n\r\f"))
        stop(b);
}

static void on_characters(void *ud, const xmlChar *s, int n) {
    tree_builder *b = ud;
    if (b->give_up)
        return;
    if (b->t.nopen == 1) { /* text in <html> itself: HTML moves it into the <body> */
        for (int i = 0; i < n; i++)
            if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f') {
                stop(b);
                return;
            }
    }
    b->text_pending = true;
    buf_append(&b->t.text, (const char *)s, (size_t)n);
}

static void on_start(void *ud, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes) {
    (void)uri;
    (void)nb_namespaces;
    (void)namespaces;
    (void)nb_defaulted;
    tree_builder *b = ud;
    if (b->give_up)
        return;
    size_t here = position(b), start = markup_start(b, here);
    if (b->t.nopen == 0 && strcmp((const char *)localname, "html")) {
        stop(b); /* gumbo would build <html><head><body> around it */
        return;
    }
    if (b->src[start] != '<') { /* ALWAYS: libxml2's position is the file's */
        stop(b);
        return;
    }
    flush_text(b, start);
    const char *gt = memchr(b->src + here, '>', b->len - here);
    b->mark = gt ? (size_t)(gt - b->src) + 1 : b->len;
    GumboNode *n = arena_alloc(b->t.mem, sizeof *n);
    if (!n || b->give_up) {
        stop(b);
        return;
    }
    n->type = GUMBO_NODE_ELEMENT;
    GumboElement *e = &n->v.element;
    /* "epub:switch" is no HTML tag to gumbo either */
    e->tag = prefix ? GUMBO_TAG_UNKNOWN
                    : gumbo_tagn_enum((const char *)localname,
                                      (unsigned)strlen((const char *)localname));
    /* where HTML would build another tree: gumbo reads the chapter */
    if ((b->open_p && closes_p(e->tag)) ||
        (b->t.nopen && text_only(b->t.open[b->t.nopen - 1].node->v.element.tag))) {
        stop(b);
        return;
    }
    b->open_p += e->tag == GUMBO_TAG_P;
    e->tag_namespace = GUMBO_NAMESPACE_HTML;
    e->start_pos.offset = (unsigned)start;
    if (nb_attributes > 0) {
        void **av = arena_alloc(b->t.mem, (size_t)nb_attributes * sizeof *av);
        if (!av) {
            stop(b);
            return;
        }
        for (int i = 0; i < nb_attributes; i++) {
            /* localname, prefix, URI, value, end */
            const xmlChar **a = attributes + 5 * i;
            GumboAttribute *ga = arena_alloc(b->t.mem, sizeof *ga);
            size_t ll = strlen((const char *)a[0]), pl = a[1] ? strlen((const char *)a[1]) : 0;
            char *name = ga ? arena_alloc_uninit(b->t.mem, pl + 1 + ll + 1) : NULL;
            char *value =
                name ? arena_strndup(b->t.mem, (const char *)a[3], (size_t)(a[4] - a[3])) : NULL;
            if (!value) {
                stop(b);
                return;
            }
            /* without XML_PARSE_NOENT libxml2 leaves every '&' of a value
             * as "&#38;" (a literal '&' cannot be there: it is an error) */
            if (strchr(value, '&')) {
                char *w = value;
                for (const char *q = value; *q;)
                    if (!strncmp(q, "&#38;", 5))
                        *w++ = '&', q += 5;
                    else
                        *w++ = *q++;
                *w = '\0';
            }
            size_t k = 0;
            if (pl) {
                memcpy(name, a[1], pl);
                name[pl] = ':';
                k = pl + 1;
            }
            memcpy(name + k, a[0], ll + 1);
            ga->name = ga->original_name.data = name;
            ga->original_name.length = k + ll;
            ga->value = value;
            av[i] = ga;
        }
        e->attributes.data = av;
        e->attributes.length = e->attributes.capacity = (unsigned)nb_attributes;
    }
    if (!push_kid(b, n)) {
        stop(b);
        return;
    }
    if (!gumbo_tree_push_open(&b->t, n))
        stop(b);
}

/* Hands an element the children collected since its start tag. */
static void close_element(tree_builder *b) {
    GumboNode *e = gumbo_tree_close(&b->t);
    if (!e) {
        stop(b);
        return;
    }
    b->open_p -= e->v.element.tag == GUMBO_TAG_P;
}

static void on_end(void *ud, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)localname;
    (void)prefix;
    (void)uri;
    tree_builder *b = ud;
    if (b->give_up || !b->t.nopen)
        return;
    size_t here = position(b);
    if (here == 0 || b->src[here - 1] != '>') { /* ALWAYS: just after the end tag */
        stop(b);
        return;
    }
    flush_text(b, markup_start(b, here));
    b->mark = here;
    close_element(b);
}

/* A comment or a processing instruction: ends the text before it. */
static void end_text_at_markup(tree_builder *b, const char *opener) {
    size_t here = position(b), start = here, ol = strlen(opener);
    while (start > 0 && !(start >= ol && !memcmp(b->src + start - ol, opener, ol)))
        start--;
    flush_text(b, start >= ol ? start - ol : 0);
    b->mark = here;
}

static void on_comment(void *ud, const xmlChar *value) {
    tree_builder *b = ud;
    if (b->give_up)
        return;
    /* "<!-->" and "<!--->" end there in HTML; in a <title> or <xmp> a
     * comment is text */
    if (value[0] == '>' || (value[0] == '-' && value[1] == '>') ||
        (b->t.nopen && text_only(b->t.open[b->t.nopen - 1].node->v.element.tag))) {
        stop(b);
        return;
    }
    end_text_at_markup(b, "<!--");
}

static void on_pi(void *ud, const xmlChar *target, const xmlChar *data) {
    (void)target;
    (void)data;
    tree_builder *b = ud;
    if (!b->give_up)
        end_text_at_markup(b, "<?");
}

static void on_cdata(void *ud, const xmlChar *value, int len) {
    tree_builder *b = ud;
    if (b->give_up)
        return;
    GumboTag t = b->t.nopen ? b->t.open[b->t.nopen - 1].node->v.element.tag : GUMBO_TAG_UNKNOWN;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE)
        on_characters(ud, value, len); /* "//<![CDATA[": raw text to HTML too */
    else
        stop(b); /* HTML would read it as a comment */
}

/* &nbsp; &mdash; ...: HTML 4's entities, given to libxml2 as if they were
 * predefined, so it inlines their value as characters. */
static xmlEntityPtr on_get_entity(void *ud, const xmlChar *name) {
    tree_builder *b = ud;
    const htmlEntityDesc *d = htmlEntityLookup(name);
    /* HTML5 gave &lang; and &rang; other characters than HTML 4's */
    if (!d || !strcmp((const char *)name, "lang") || !strcmp((const char *)name, "rang") ||
        (d->value >= 0x80 && b->ctxt->instate == XML_PARSER_ATTRIBUTE_VALUE)) {
        stop(b);
        return NULL;
    }
    int n = xmlCopyCharMultiByte(b->entity_value, (int)d->value);
    if (n <= 0) {
        stop(b);
        return NULL;
    }
    b->entity_value[n] = 0;
    memset(&b->entity, 0, sizeof b->entity);
    b->entity.type = XML_ENTITY_DECL;
    b->entity.etype = XML_INTERNAL_PREDEFINED_ENTITY;
    b->entity.name = name;
    b->entity.content = b->entity.orig = b->entity_value;
    b->entity.length = n;
    return &b->entity;
}

static void on_error(void *ud, xmlErrorPtr error) {
    (void)ud;
    (void)error; /* a failed parse falls back to gumbo, which reports nothing either */
}

/* A numeric reference to a C1 control (&#150;): XML keeps the control,
 * HTML reads it as windows-1252 (an en dash). */
static bool has_c1_reference(const char *s, size_t len) {
    for (const char *p = s; (p = memchr(p, '&', len - (size_t)(p - s))) != NULL; p++) {
        if ((size_t)(s + len - p) < 3 || p[1] != '#')
            continue;
        const char *q = p + 2;
        bool hex = *q == 'x' || *q == 'X';
        q += hex;
        unsigned long v = 0;
        for (; q < s + len && v < 0x110000; q++) {
            int d = *q >= '0' && *q <= '9'          ? *q - '0'
                    : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
                    : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
                                                    : -1;
            if (d < 0)
                break;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (v >= 0x80 && v <= 0x9F)
            return true;
    }
    return false;
}

GumboNode *read_xhtml_tree(const char *bytes, size_t len, arena *mem) {
    if (len > 0x7fffffff || has_c1_reference(bytes, len) || !lazy_xml()) /* libxml2 takes an int */
        return NULL; /* gumbo reads it */
    tree_builder b;
    memset(&b, 0, sizeof b);
    b.src = bytes;
    b.len = len;
    if (!gumbo_tree_init(&b.t, mem))
        return gumbo_tree_finish(&b.t, false);

    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_characters;
    sax.ignorableWhitespace = on_characters;
    sax.comment = on_comment;
    sax.processingInstruction = on_pi;
    sax.cdataBlock = on_cdata;
    sax.getEntity = on_get_entity;
    sax.serror = on_error;

    xmlInitParser();
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(bytes, (int)len);
    if (!ctxt)
        return gumbo_tree_finish(&b.t, false);
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
    xmlSAXHandlerPtr own = ctxt->sax;
    ctxt->sax = &sax;
    ctxt->userData = &b;
    b.ctxt = ctxt;
    xmlParseDocument(ctxt);
    bool ok = ctxt->wellFormed && !b.give_up && b.t.nopen == 0 && b.t.nkids == 1;
    ctxt->sax = own;
    if (ctxt->myDoc) /* made by libxml2 for an internal subset's <!ENTITY> */
        xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    return gumbo_tree_finish(&b.t, ok); /* the document's one child: <html> */
}
