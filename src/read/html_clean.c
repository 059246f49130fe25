/*
 * html_clean.c — the fast path for HTML pages that are clean: one linear
 * pass that checks the page and builds, in the same pass, the GumboNode
 * tree gumbo would build for it, so html.c's site detection, metadata and
 * text walk run unchanged (gumbo takes about 510 instructions a byte, most
 * of the cost of reading a page; this pass a few dozen).
 *
 * "Clean" is a subset of HTML5 on which gumbo's tokenizer and tree
 * construction do nothing but the obvious: every element is opened and
 * closed explicitly and properly nested, so no end tag is implied, no
 * element is moved, reopened or reparented. What AO3's downloads (and
 * pages written like them) are. Anything outside the subset returns NULL
 * and the caller parses the page with gumbo; this path never recovers.
 * The subset:
 *  - the document: a DOCTYPE, comments and white space, then <html>,
 *    <head>...</head>, <body>...</body>, </html>, every one of them
 *    explicit; white space where gumbo keeps it (in <head>, between </head>
 *    and <body>: in <html>; after </body>: one node at the end of <body>);
 *    no text outside <head>'s title/script/style and <body>.
 *  - in <head>: meta, link, base, title, style, script only.
 *  - in <body>: the elements of allowed_in_body(), all known to gumbo; a
 *    void element (br, hr, img, ...) may end in "/>", no other; end tags
 *    only for the current element, with no attributes; inside an open <p>
 *    only phrasing elements (HTML closes the <p> before a block); no <a>
 *    in an <a>, <button> in a <button>, <form> in a <form>, heading in a
 *    heading; <li> only as a child of <ul>/<ol>, <dt>/<dd> of <dl>; in a
 *    <select> only <option>s (their end tags may be left out, as FFN does);
 *    no newline straight after <pre> or <textarea> (HTML drops it); no
 *    text just before </form> (gumbo would move it after the form).
 *  - title and textarea hold text only, up to "</title>"; script and style
 *    raw text up to the first "</script>"/"</style>" (a script without
 *    "<!--", which starts HTML's script escapes).
 *  - text: valid UTF-8 without control characters (no CR: HTML turns CRLF
 *    into LF), no '<' that does not start a tag, end tag or comment;
 *    character references with their ';' only: the HTML 4 names (libxml2's
 *    table, whose values HTML5 keeps except &lang; &rang;, left out) and
 *    numbers for printable characters; a bare '&' only before white space.
 *  - attributes: simple names, no name twice, values quoted or plain.
 *  - comments "<!-- ... -->" without HTML's odd forms ("<!-->", "--!>").
 * Comments are left out of the tree (html.c never reads them); text around
 * one is split there, as gumbo splits it.
 */
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

#include "gumbo_tree.h"
#include "read_internal.h"
#include "lazy_libs.h" /* last: maps libxml2's names */

enum { BEFORE_HTML, BEFORE_HEAD, IN_HEAD, AFTER_HEAD, IN_BODY, AFTER_BODY, AFTER_HTML };

/* What an element is, to the subset. */
enum { K_NO = 0, K_VOID = 1, K_PHRASING = 2, K_FLOW = 4, K_RCDATA = 8, K_RAW = 16, K_HEAD = 32 };

#define MAX_ATTRS 64

typedef struct {
    gumbo_tree t; /* the tree, its stacks and the pending text */
    const char *s;
    size_t len;
    bool pending; /* text seen since the last markup */
    size_t mark;  /* where the source of the pending text starts */
    int phase;
    int open_p, open_a, open_button, open_form, open_heading;
    bool in_select;
    bool failed;
} builder;

static unsigned kind_of(GumboTag t) {
    switch (t) {
    case GUMBO_TAG_BR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_INPUT: return K_VOID | K_PHRASING;
    case GUMBO_TAG_HR: return K_VOID | K_FLOW;
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE: return K_VOID | K_PHRASING | K_HEAD;
    case GUMBO_TAG_TITLE: return K_RCDATA | K_PHRASING | K_HEAD;
    case GUMBO_TAG_TEXTAREA: return K_RCDATA | K_PHRASING;
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE: return K_RAW | K_PHRASING | K_HEAD;
    case GUMBO_TAG_A:
    case GUMBO_TAG_B:
    case GUMBO_TAG_I:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_ACRONYM:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: return K_PHRASING;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_P:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FORM: return K_FLOW;
    default: return K_NO;
    }
}

static bool is_heading(GumboTag t) { return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6; }

static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* A code point a character reference may give here: printable, not a
 * control (HTML maps C1 numbers to windows-1252), not a surrogate nor a
 * noncharacter, not white space (which would change a node's kind). */
static bool printable(unsigned long v) {
    return (v > 0x20 && v < 0x7F) || (v >= 0xA0 && v < 0xD800) || (v >= 0xE000 && v < 0xFDD0) ||
           (v >= 0xFDF0 && v <= 0x10FFFF && (v & 0xFFFE) != 0xFFFE);
}

static size_t put_utf8(char *o, unsigned long v) {
    if (v < 0x80) {
        o[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        o[0] = (char)(0xC0 | (v >> 6));
        o[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        o[0] = (char)(0xE0 | (v >> 12));
        o[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        o[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (v >> 18));
    o[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    o[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

/* The length of the valid, non-control UTF-8 sequence at s[i] (0: none). */
static size_t utf8_char(const char *s, size_t i, size_t len) {
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i;
    if (u[0] < 0x80)
        return (u[0] >= 0x20 && u[0] < 0x7F) || u[0] == '\n' || u[0] == '\t';
    unsigned long v;
    size_t n;
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        n = 2, v = u[0] & 0x1F;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF)
        n = 3, v = u[0] & 0x0F;
    else if (u[0] >= 0xF0 && u[0] <= 0xF4)
        n = 4, v = u[0] & 0x07;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (u[k] & 0x3F);
    }
    static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[n] || !printable(v))
        return 0;
    return n;
}

/* A character reference at s[i] == '&', decoded into out; returns its
 * length in the source, 0 when it is not one this path takes. */
static size_t char_ref(const char *s, size_t i, size_t end, buf *out) {
    size_t k = i + 1;
    unsigned long v = 0;
    if (k < end && s[k] == '#') {
        k++;
        bool hex = k < end && (s[k] == 'x' || s[k] == 'X');
        k += hex;
        size_t digits = 0;
        for (; k < end && digits < 8; k++, digits++) {
            char c = s[k];
            int d = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (d < 0)
                break;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (!digits || k >= end || s[k] != ';' || !printable(v))
            return 0;
    } else {
        char name[32];
        size_t n = 0;
        for (; k < end && is_alnum(s[k]) && n < sizeof name - 1; k++)
            name[n++] = s[k];
        name[n] = '\0';
        if (!n || k >= end || s[k] != ';' || !strcmp(name, "lang") || !strcmp(name, "rang") || !lazy_xml())
            return 0; /* (without libxml2's table the page goes to gumbo) */
        const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
        if (!d || !printable(d->value))
            return 0;
        v = d->value;
    }
    char u[4];
    buf_append(out, u, put_utf8(u, v));
    return k + 1 - i;
}

/* Decodes s[i, end) (text or an attribute value) into out; false when it
 * holds anything outside the subset. */
static bool decode(const char *s, size_t i, size_t end, buf *out) {
    while (i < end) {
        size_t run = i;
        while (run < end && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F &&
               s[run] != '&' && s[run] != '<')
            run++;
        if (run > i)
            buf_append(out, s + i, run - i);
        i = run;
        if (i >= end)
            break;
        char c = s[i];
        if (c == '&') {
            if (i + 1 == end || is_space(s[i + 1]) || s[i + 1] == '<' || s[i + 1] == '&') {
                buf_putc(out, '&'); /* not a character reference to HTML either */
                i++;
                continue;
            }
            size_t n = char_ref(s, i, end, out);
            if (!n)
                return false;
            i += n;
            continue;
        }
        if (c == '<')
            return false;
        size_t n = utf8_char(s, i, end);
        if (!n)
            return false;
        buf_append(out, s + i, n);
        i += n;
    }
    return true;
}

static bool push_kid(builder *b, GumboNode *n) { return gumbo_tree_push_kid(&b->t, n); }

/* Ends the pending text node at end (the '<' of the markup that follows). */
static bool flush_text(builder *b, size_t end) {
    if (!b->pending)
        return true;
    b->pending = false;
    if (b->phase == BEFORE_HTML || b->phase == BEFORE_HEAD) {
        b->t.text.len = 0;
        return true; /* white space gumbo drops */
    }
    return gumbo_tree_text(&b->t, b->s, b->mark, end, " \n\t") != NULL; /* is_space */
}

/* Text s[i, end): decoded into the pending node. */
static bool text(builder *b, size_t i, size_t end) {
    if (!b->pending) {
        b->pending = true;
        b->mark = i;
    }
    size_t before = b->t.text.len;
    if (!decode(b->s, i, end, &b->t.text))
        return false;
    if (b->phase == IN_BODY)
        return true;
    /* elsewhere: white space only (a title's text is added by its caller) */
    for (size_t k = before; k < b->t.text.len; k++)
        if (!is_space(b->t.text.data[k]))
            return false;
    return true;
}

static GumboTag current(const builder *b) {
    return b->t.nopen ? b->t.open[b->t.nopen - 1].node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

static bool push_open(builder *b, GumboNode *n) { return gumbo_tree_push_open(&b->t, n); }

/* Hands the current element the children collected since its start tag. */
static bool close_element(builder *b) {
    GumboNode *e = gumbo_tree_close(&b->t);
    if (!e)
        return false;
    GumboTag t = e->v.element.tag;
    b->open_p -= t == GUMBO_TAG_P;
    b->open_a -= t == GUMBO_TAG_A;
    b->open_button -= t == GUMBO_TAG_BUTTON;
    b->open_form -= t == GUMBO_TAG_FORM;
    b->open_heading -= is_heading(t);
    if (t == GUMBO_TAG_SELECT)
        b->in_select = false;
    return true;
}

/* The attributes of the start tag whose name ends at s[i]; *end is left
 * at its '>'. */
static bool attributes(builder *b, size_t i, GumboElement *e, size_t *end, bool *self_closing) {
    const char *s = b->s;
    size_t len = b->len;
    GumboAttribute *list[MAX_ATTRS];
    unsigned n = 0;
    *self_closing = false;
    for (;;) {
        size_t sp = i;
        while (i < len && is_space(s[i]))
            i++;
        if (i >= len)
            return false;
        if (s[i] == '>')
            break;
        if (s[i] == '/') {
            if (i + 1 >= len || s[i + 1] != '>')
                return false;
            *self_closing = true;
            i++;
            break;
        }
        if (i == sp || n == MAX_ATTRS) /* "a=\"1\"b=..." */
            return false;
        size_t ns = i;
        while (i < len &&
               (is_alnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == ':' || s[i] == '.'))
            i++;
        if (i == ns || i >= len)
            return false;
        size_t nl = i - ns;
        GumboAttribute *a = arena_alloc(b->t.mem, sizeof *a);
        char *name = a ? arena_alloc_uninit(b->t.mem, nl + 1) : NULL;
        if (!name)
            return false;
        for (size_t k = 0; k < nl; k++)
            name[k] = lower(s[ns + k]);
        name[nl] = '\0';
        for (unsigned k = 0; k < n; k++)
            if (!strcmp(list[k]->name, name))
                return false; /* gumbo keeps the first */
        size_t vs = i, ve = i;
        size_t after = i;
        while (after < len && is_space(s[after]))
            after++;
        if (after < len && s[after] == '=') {
            i = after + 1;
            while (i < len && is_space(s[i]))
                i++;
            if (i >= len)
                return false;
            if (s[i] == '"' || s[i] == '\'') {
                const char *q = memchr(s + i + 1, s[i], len - i - 1);
                if (!q)
                    return false;
                vs = i + 1;
                ve = (size_t)(q - s);
                i = ve + 1;
                if (i >= len || !(is_space(s[i]) || s[i] == '>' || s[i] == '/'))
                    return false;
            } else {
                vs = i;
                while (i < len && !is_space(s[i]) && s[i] != '>' && s[i] != '"' && s[i] != '\'' &&
                       s[i] != '<' && s[i] != '=' && s[i] != '`' && s[i] != '&')
                    i++;
                ve = i;
                if (ve == vs || i >= len || !(is_space(s[i]) || s[i] == '>'))
                    return false;
            }
        }
        buf v;
        buf_init(&v);
        bool ok = decode(s, vs, ve, &v) && !v.failed;
        char *value = ok ? arena_strndup(b->t.mem, v.data ? v.data : "", v.len) : NULL;
        buf_free(&v);
        if (!value)
            return false;
        memset(a, 0, sizeof *a);
        a->attr_namespace = GUMBO_ATTR_NAMESPACE_NONE;
        a->name = name;
        a->original_name.data = s + ns;
        a->original_name.length = nl;
        a->value = value;
        list[n++] = a;
    }
    *end = i;
    if (n) {
        void **av = arena_alloc_uninit(b->t.mem, n * sizeof *av);
        if (!av)
            return false;
        memcpy(av, list, n * sizeof *av);
        e->attributes.data = av;
        e->attributes.length = e->attributes.capacity = n;
    }
    return true;
}

/* Case-insensitive: does s[i...] start with the lower-case word w? */
static bool starts_ci(const char *s, size_t i, size_t len, const char *w) {
    size_t n = strlen(w);
    if (len - i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (lower(s[i + k]) != w[k])
            return false;
    return true;
}

/* The content of a title, textarea, script or style starting at s[i]:
 * its text node and the position after its end tag (0: not clean). */
static size_t text_element(builder *b, size_t i, GumboTag t, const char *name, bool rcdata) {
    const char *s = b->s;
    size_t len = b->len, nl = strlen(name);
    size_t k = i;
    for (;;) {
        const char *lt = memchr(s + k, '<', len - k);
        if (!lt)
            return 0;
        k = (size_t)(lt - s);
        if (k + 2 + nl < len && s[k + 1] == '/' && starts_ci(s, k + 2, len, name)) {
            char after = s[k + 2 + nl];
            if (after == '>')
                break;
            if (is_space(after) || after == '/' || after == '\f' || after == '\r')
                return 0; /* an end tag to HTML, with more in it */
        }
        if (rcdata || (t == GUMBO_TAG_SCRIPT && starts_ci(s, k, len, "<!--")))
            return 0;
        k++;
    }
    if (k > i) {
        b->pending = true;
        b->mark = i;
        if (rcdata) {
            if (!decode(s, i, k, &b->t.text))
                return 0;
        } else {
            for (size_t j = i; j < k;) {
                size_t n = utf8_char(s, j, k);
                if (!n)
                    return 0;
                j += n;
            }
            buf_append(&b->t.text, s + i, k - i);
        }
        int phase = b->phase;
        b->phase = IN_BODY; /* a node of any text, in the element */
        bool ok = flush_text(b, k);
        b->phase = phase;
        if (!ok)
            return 0;
    }
    return k + 3 + nl;
}

/* The tag name at s[ns]: at most 15 letters and digits, lower-cased into
 * name (NUL-terminated); returns the position after them. */
static size_t tag_name(const char *s, size_t len, size_t ns, char name[16]) {
    size_t k = ns;
    while (k < len && is_alnum(s[k]) && k - ns < 15) {
        name[k - ns] = lower(s[k]);
        k++;
    }
    name[k - ns] = '\0';
    return k;
}

/* A start tag at s[i] == '<'; returns the position after it (0: not clean). */
static size_t start_tag(builder *b, size_t i) {
    const char *s = b->s;
    size_t len = b->len, ns = i + 1;
    char name[16];
    size_t k = tag_name(s, len, ns, name);
    if (k >= len || is_alnum(s[k]))
        return 0;
    size_t nl = k - ns;
    GumboTag t = gumbo_tagn_enum(name, (unsigned)nl);
    unsigned kind = kind_of(t);
    GumboTag cur = current(b);
    switch (b->phase) {
    case BEFORE_HTML:
        if (t != GUMBO_TAG_HTML)
            return 0;
        break;
    case BEFORE_HEAD:
        if (t != GUMBO_TAG_HEAD)
            return 0;
        break;
    case IN_HEAD:
        if (!(kind & K_HEAD) || cur != GUMBO_TAG_HEAD)
            return 0;
        break;
    case AFTER_HEAD:
        if (t != GUMBO_TAG_BODY)
            return 0;
        break;
    case IN_BODY:
        if (b->in_select) {
            if (t != GUMBO_TAG_OPTION || (cur != GUMBO_TAG_SELECT && cur != GUMBO_TAG_OPTION))
                return 0;
            break;
        }
        if (!kind || (b->open_p && !(kind & K_PHRASING)))
            return 0;
        if ((t == GUMBO_TAG_A && b->open_a) || (t == GUMBO_TAG_BUTTON && b->open_button) ||
            (t == GUMBO_TAG_FORM && b->open_form) || (is_heading(t) && b->open_heading))
            return 0;
        if (t == GUMBO_TAG_LI && cur != GUMBO_TAG_UL && cur != GUMBO_TAG_OL)
            return 0;
        if ((t == GUMBO_TAG_DT || t == GUMBO_TAG_DD) && cur != GUMBO_TAG_DL)
            return 0;
        break;
    default: return 0;
    }
    if (!flush_text(b, i))
        return 0;
    if (t == GUMBO_TAG_OPTION && cur == GUMBO_TAG_OPTION && !close_element(b))
        return 0;
    GumboNode *n = arena_alloc(b->t.mem, sizeof *n);
    if (!n)
        return 0;
    n->type = GUMBO_NODE_ELEMENT;
    GumboElement *e = &n->v.element;
    e->tag = t;
    e->tag_namespace = GUMBO_NAMESPACE_HTML;
    e->start_pos.offset = (unsigned)i;
    size_t gt;
    bool self_closing;
    if (!attributes(b, k, e, &gt, &self_closing))
        return 0;
    if (self_closing && !(kind & K_VOID))
        return 0; /* gumbo ignores the '/': the element stays open */
    size_t next = gt + 1;
    if ((t == GUMBO_TAG_PRE || t == GUMBO_TAG_TEXTAREA) && next < len && s[next] == '\n')
        return 0;
    if (!push_kid(b, n))
        return 0;
    if (kind & K_VOID)
        return next;
    if (!push_open(b, n))
        return 0;
    b->open_p += t == GUMBO_TAG_P;
    b->open_a += t == GUMBO_TAG_A;
    b->open_button += t == GUMBO_TAG_BUTTON;
    b->open_form += t == GUMBO_TAG_FORM;
    b->open_heading += is_heading(t);
    b->in_select |= t == GUMBO_TAG_SELECT;
    if (kind & (K_RCDATA | K_RAW)) {
        next = text_element(b, next, t, name, kind & K_RCDATA);
        if (!next || !close_element(b))
            return 0;
        return next;
    }
    if (b->phase < IN_BODY)
        b->phase++; /* <html>, <head>, <body> */
    return next;
}

/* An end tag at s[i] == '<'. */
static size_t end_tag(builder *b, size_t i) {
    const char *s = b->s;
    size_t len = b->len, ns = i + 2;
    char name[16];
    size_t k = tag_name(s, len, ns, name);
    size_t nl = k - ns;
    if (!nl || k >= len || s[k] != '>')
        return 0;
    GumboTag t = gumbo_tagn_enum(name, (unsigned)nl);
    if (b->phase == AFTER_BODY) {
        if (t != GUMBO_TAG_HTML)
            return 0;
        b->phase = AFTER_HTML; /* the white space around it stays one node */
        return k + 1;
    }
    if (t == GUMBO_TAG_SELECT && current(b) == GUMBO_TAG_OPTION) { /* FFN's chapter list */
        if (!flush_text(b, i) || !close_element(b))
            return 0;
    }
    if (t != current(b) || t == GUMBO_TAG_UNKNOWN)
        return 0;
    if (b->phase == IN_HEAD && t != GUMBO_TAG_HEAD)
        return 0; /* title, script, style end with their text */
    if (b->phase != IN_HEAD && b->phase != IN_BODY)
        return 0;
    if (t == GUMBO_TAG_FORM && b->pending)
        return 0; /* gumbo takes </form> off the stack without ending the text: it goes after */
    if (!flush_text(b, i))
        return 0;
    if (t == GUMBO_TAG_BODY) {
        b->phase = AFTER_BODY; /* <body> stays open for the white space after it */
        return k + 1;
    }
    if (!close_element(b))
        return 0;
    if (t == GUMBO_TAG_HEAD)
        b->phase = AFTER_HEAD;
    return k + 1;
}

/* "<!--" at s[i]: the position after the comment. */
static size_t comment(builder *b, size_t i) {
    const char *s = b->s;
    size_t len = b->len, k = i + 4;
    if (k < len && (s[k] == '>' || (s[k] == '-' && k + 1 < len && s[k + 1] == '>')))
        return 0; /* "<!-->", "<!--->" */
    for (; k + 2 < len; k++) {
        if (s[k] == '-' && s[k + 1] == '-') {
            if (s[k + 2] == '>')
                break;
            if (s[k + 2] == '!' && k + 3 < len && s[k + 3] == '>')
                return 0;
        }
    }
    if (k + 2 >= len)
        return 0;
    for (size_t j = i + 4; j < k;) { /* gumbo would replace what is not valid */
        if (s[j] == '\r' || s[j] == '\f') {
            j++;
            continue;
        }
        size_t n = utf8_char(s, j, k);
        if (!n)
            return 0;
        j += n;
    }
    if (b->phase == AFTER_BODY || b->phase == AFTER_HTML)
        return 0; /* would end the trailing white space node */
    if (!flush_text(b, i))
        return 0;
    return k + 3;
}

static size_t doctype(builder *b, size_t i) {
    if (b->phase != BEFORE_HTML || !flush_text(b, i) || !starts_ci(b->s, i, b->len, "<!doctype") ||
        i + 9 >= b->len || !is_space(b->s[i + 9]))
        return 0;
    for (size_t k = i + 9; k < b->len; k++) {
        if (b->s[k] == '>')
            return k + 1;
        if (b->s[k] == '<' || !utf8_char(b->s, k, b->len))
            return 0;
    }
    return 0;
}

static bool build(builder *b) {
    const char *s = b->s;
    size_t len = b->len, i = 0;
    while (i < len) {
        if (s[i] != '<') {
            const char *lt = memchr(s + i, '<', len - i);
            size_t end = lt ? (size_t)(lt - s) : len;
            if (!text(b, i, end))
                return false;
            i = end;
            continue;
        }
        size_t next = 0;
        if (i + 1 < len && is_alpha(s[i + 1]))
            next = start_tag(b, i);
        else if (i + 2 < len && s[i + 1] == '/' && is_alpha(s[i + 2]))
            next = end_tag(b, i);
        else if (starts_ci(s, i, len, "<!--"))
            next = comment(b, i);
        else if (starts_ci(s, i, len, "<!doctype"))
            next = doctype(b, i);
        if (!next)
            return false;
        i = next;
    }
    if (b->phase != AFTER_BODY && b->phase != AFTER_HTML)
        return false;
    b->phase = IN_BODY;
    return flush_text(b, len) && b->t.nopen == 2 && close_element(b) && close_element(b) &&
           b->t.nkids == 1;
}

GumboNode *read_clean_html_tree(const char *bytes, size_t len, arena *mem) {
    if (len > 0x7fffffff)
        return NULL;
    builder b;
    memset(&b, 0, sizeof b);
    b.s = bytes;
    b.len = len;
    if (!gumbo_tree_init(&b.t, mem))
        return gumbo_tree_finish(&b.t, false);
    bool ok = build(&b) && !b.t.text.failed;
    return gumbo_tree_finish(&b.t, ok);
}
