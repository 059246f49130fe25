/*
 * test_read.c — the readers through their public API (quoth_read.h): the
 * text each reader extracts, the offset map back to the source, choosing a
 * reader by content, metadata, paratext spans that keep notes out of
 * attribution, the cast hint, and the errors and limits on bad input.
 */
#include <libxml/HTMLparser.h>

#include "../../src/read/read_testing.h"
#include "helpers.h"
#include "quoth_read.h"

static quoth_reading *read_ok(const char *src, size_t len, const char *hint,
                              quoth_reader_kind kind) {
    quoth_reading *r = NULL;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_status st = quoth_read(src, len, hint, kind, &r, &err);
    if (st != QUOTH_OK)
        fail_msg("quoth_read failed: %d: %s", (int)st, err.message);
    assert_non_null(r);
    return r;
}

static quoth_status read_fails(const char *src, size_t len, const char *hint,
                               quoth_reader_kind kind, char *message, size_t cap) {
    quoth_reading *r = (quoth_reading *)1;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_status st = quoth_read(src, len, hint, kind, &r, &err);
    assert_int_not_equal(st, QUOTH_OK);
    assert_null(r);
    assert_true(strlen(err.message) > 0);
    assert_int_equal(err.status, st);
    if (message)
        snprintf(message, cap, "%s", err.message);
    return st;
}

static const char *meta_of(const quoth_reading *r, const char *key) {
    size_t n;
    const quoth_meta *m = quoth_reading_meta(r, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].key, key))
            return m[i].value;
    return NULL;
}

/* The source offset of text byte t (no EPUB entry expected). */
static size_t source_of(const quoth_reading *r, size_t t) {
    size_t so = 0;
    const char *entry = "unset";
    assert_int_equal(quoth_reading_source(r, t, &so, &entry), 0);
    assert_null(entry);
    return so;
}

static void test_reader_names(void **state) {
    (void)state;
    quoth_reader_kind k;
    assert_int_equal(quoth_reader_from_name("auto", &k), 0);
    assert_int_equal(k, QUOTH_READER_AUTO);
    assert_int_equal(quoth_reader_from_name("epub", &k), 0);
    assert_int_equal(k, QUOTH_READER_EPUB);
    assert_int_equal(quoth_reader_from_name("markdown", &k), 0);
    assert_int_equal(k, QUOTH_READER_MARKDOWN);
    assert_int_equal(quoth_reader_from_name("pdf", &k), -1);
    assert_int_equal(quoth_reader_from_name(NULL, &k), -1);
    assert_int_not_equal(strcmp(quoth_status_string(QUOTH_ERR_FORMAT), "unknown error"), 0);
}

static void test_plain_text_is_unchanged(void **state) {
    (void)state;
    const char *src = "\xEF\xBB\xBF\"Go,\" Lex said.\r\n\r\nA <b> is not HTML here.\n";
    size_t len = strlen(src);
    quoth_reading *r = read_ok(src, len, "story.txt", QUOTH_READER_AUTO);
    size_t tl;
    const char *t = quoth_reading_text(r, &tl);
    assert_int_equal(tl, len);
    assert_memory_equal(t, src, len);
    assert_string_equal(quoth_reading_reader(r), "text");
    size_t nm, np;
    quoth_reading_meta(r, &nm);
    quoth_reading_paratext(r, &np);
    assert_int_equal(nm, 0);
    assert_int_equal(np, 0);
    for (size_t i = 0; i < len; i += 7)
        assert_int_equal(source_of(r, i), i);
    assert_int_equal(source_of(r, len), len);
    assert_int_equal(quoth_reading_source(r, len + 1, NULL, NULL), -1);
    assert_null(quoth_reading_cast_hint(r, NULL));
    quoth_reading_free(r);
}

/* quoth_read_owned: the same reading as quoth_read's; plain text is the
 * buffer handed over itself; every other way, the buffer is freed (ASan
 * and valgrind see a leak or a double free otherwise). */
static char *owned_copy(const char *src, size_t len) {
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, src, len);
    copy[len] = '\0';
    return copy;
}

static quoth_reading *read_owned_ok(const char *src, size_t len, const char *hint, quoth_reader_kind kind) {
    char *copy = owned_copy(src, len);
    quoth_reading *r = NULL;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_status st = quoth_read_owned(copy, len, hint, kind, &r, &err);
    if (st != QUOTH_OK)
        fail_msg("quoth_read_owned failed: %d: %s", (int)st, err.message);
    assert_non_null(r);
    size_t tl;
    const char *t = quoth_reading_text(r, &tl);
    if (len && !strcmp(quoth_reading_reader(r), "text") && src[0] != '\xFF')
        assert_ptr_equal(t, copy); /* taken over, not copied */
    return r;
}

static void test_read_owned(void **state) {
    (void)state;
    const char *texts[] = {"\xEF\xBB\xBF\"Go,\" Lex said.\r\n\r\nA <b> is not HTML here.\n", "",
                           "<html><body><p>\"Go,\" Lex said.</p></body></html>", "*\"Go,\"* Lex said.\n"};
    const char *hints[] = {"story.txt", NULL, NULL, "story.md"};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        size_t len = strlen(texts[k]);
        quoth_reading *a = read_ok(texts[k], len, hints[k], QUOTH_READER_AUTO);
        quoth_reading *b = read_owned_ok(texts[k], len, hints[k], QUOTH_READER_AUTO);
        size_t la, lb;
        const char *ta = quoth_reading_text(a, &la), *tb = quoth_reading_text(b, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(ta, tb, la + 1);
        assert_string_equal(quoth_reading_reader(a), quoth_reading_reader(b));
        for (size_t i = 0; i <= la; i += 3)
            assert_int_equal(source_of(a, i), source_of(b, i));
        quoth_reading_free(a);
        quoth_reading_free(b);
    }
    /* UTF-16 is decoded into a copy of its own */
    const char wide[] = "\xFF\xFEH\0i\0";
    quoth_reading *r = read_owned_ok(wide, sizeof wide - 1, NULL, QUOTH_READER_AUTO);
    size_t tl;
    assert_string_equal(quoth_reading_text(r, &tl), "Hi");
    quoth_reading_free(r);
    /* on failure the buffer is freed too */
    const char *zip_magic = "PK\x03\x04 this is no zip at all, only its magic";
    char *notzip = owned_copy(zip_magic, strlen(zip_magic));
    quoth_error err;
    quoth_reading *bad = (quoth_reading *)1;
    assert_int_equal(quoth_read_owned(notzip, strlen(notzip), NULL, QUOTH_READER_AUTO, &bad, &err), QUOTH_ERR_FORMAT);
    assert_null(bad);
}

static void test_empty_input(void **state) {
    (void)state;
    quoth_reading *r = read_ok("", 0, NULL, QUOTH_READER_AUTO);
    size_t tl = 1;
    const char *t = quoth_reading_text(r, &tl);
    assert_non_null(t);
    assert_int_equal(tl, 0);
    quoth_reading_free(r);
    r = read_ok("", 0, NULL, QUOTH_READER_HTML);
    t = quoth_reading_text(r, &tl);
    assert_int_equal(tl, 0);
    assert_string_equal(t, "");
    quoth_reading_free(r);
    quoth_reading_free(NULL);
}

static void test_markdown_markers_removed(void **state) {
    (void)state;
    const char *src =
        "# Chapter One\n\n*\"Go,\"* he said. **Lex** _laughed_ at my_var \\*x\\*.\n\n* * *\n\n"
        "\"Stay,\" ___she___ said.\n";
    quoth_reading *r = read_ok(src, strlen(src), "story.md", QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_reader(r), "markdown");
    const char *t = quoth_reading_text(r, NULL);
    assert_string_equal(t,
                        "# Chapter One\n\n\"Go,\" he said. Lex laughed at my_var *x*.\n\n* * *\n\n"
                        "\"Stay,\" she said.\n");
    /* "Lex" maps to its bytes in the source, after the removed "**" */
    const char *lex = strstr(t, "Lex");
    assert_int_equal(source_of(r, (size_t)(lex - t)), (size_t)(strstr(src, "Lex") - src));
    /* attribution sees no stray marks: two quotations, Lex's first */
    quoth_doc *doc = parse_upto(t, 0);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    quoth_span s = quoth_quote_span(doc, 0, 0);
    assert_int_equal(s.end - s.start, 3);
    assert_memory_equal(t + s.start, "Go,", 3);
    assert_int_equal(quoth_section_kind_of(doc, 0), QUOTH_SECTION_HEADING);
    quoth_doc_free(doc);
    quoth_reading_free(r);
}

static void test_html_blocks_entities_and_map(void **state) {
    (void)state;
    const char *src =
        "<!DOCTYPE html><html lang=\"en\"><head><title>T</title><style>p{}</style>"
        "<script>var s = \"no\";</script></head><body>\n"
        "<h2>Chapter 3</h2>\n<p>&ldquo;Go,&rdquo; said   Tom &amp;\n Ann.</p>"
        "<div>Line one<br>Line two</div><hr/><blockquote><p>Quoted.</p></blockquote>"
        "<h3>A title that is no heading word</h3><p>Caf\xC3\xA9&nbsp;noir.</p></body></html>";
    size_t len = strlen(src);
    quoth_reading *r = read_ok(src, len, NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_reader(r), "html");
    const char *t = quoth_reading_text(r, NULL);
    assert_string_equal(
        t, "Chapter 3\n\n\xE2\x80\x9CGo,\xE2\x80\x9D said Tom & Ann.\n\nLine one\n\nLine two"
           "\n\n* * *\n\nQuoted.\n\n# A title that is no heading word\n\nCaf\xC3\xA9 noir.");
    assert_string_equal(meta_of(r, "title"), "T");
    assert_string_equal(meta_of(r, "language"), "en");
    assert_string_equal(meta_of(r, "reader"), "html");
    /* copied bytes map exactly; a decoded entity maps to its '&' */
    const char *tom = strstr(t, "Tom");
    assert_int_equal(source_of(r, (size_t)(tom - t)), (size_t)(strstr(src, "Tom") - src));
    const char *amp = strstr(t, "& Ann");
    assert_int_equal(source_of(r, (size_t)(amp - t)), (size_t)(strstr(src, "&amp;") - src));
    const char *quote = strstr(t, "\xE2\x80\x9C");
    assert_int_equal(source_of(r, (size_t)(quote - t) + 1), (size_t)(strstr(src, "&ldquo;") - src));
    const char *cafe = strstr(t, "Caf");
    assert_int_equal(source_of(r, (size_t)(cafe - t) + 4),
                     (size_t)(strstr(src, "\xC3\xA9") - src) + 1);
    quoth_reading_free(r);
}

static void test_html_sniffing_and_forcing(void **state) {
    (void)state;
    const char *frag = "<p>\"Hi,\" she said.</p><p>\"Bye.\"</p>";
    quoth_reading *r = read_ok(frag, strlen(frag), NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_text(r, NULL), "\"Hi,\" she said.\n\n\"Bye.\"");
    quoth_reading_free(r);
    /* forced to text, the tags stay */
    r = read_ok(frag, strlen(frag), "x.html", QUOTH_READER_TEXT);
    assert_string_equal(quoth_reading_text(r, NULL), frag);
    quoth_reading_free(r);
    /* text that starts like prose is text, whatever it mentions */
    const char *prose = "He typed <p> into the box.\n";
    r = read_ok(prose, strlen(prose), NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_reader(r), "html"); /* "<p>" near the start: HTML */
    quoth_reading_free(r);
    const char *plain = "He typed a tag into the box.\n";
    r = read_ok(plain, strlen(plain), "notes.html", QUOTH_READER_AUTO); /* the extension decides */
    assert_string_equal(quoth_reading_reader(r), "html");
    quoth_reading_free(r);
}

static void test_broken_html_recovers(void **state) {
    (void)state;
    const char *src =
        "<html><body><p>\"Open,\" he said<p><i>unclosed <b>tags \"and quotes</div></span>";
    quoth_reading *r = read_ok(src, strlen(src), NULL, QUOTH_READER_HTML);
    assert_string_equal(quoth_reading_text(r, NULL),
                        "\"Open,\" he said\n\nunclosed tags \"and quotes");
    quoth_reading_free(r);
}

static void test_html_binary_is_refused(void **state) {
    (void)state;
    char bin[512];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i * 7);
    char msg[256];
    assert_int_equal(read_fails(bin, sizeof bin, "x.html", QUOTH_READER_AUTO, msg, sizeof msg),
                     QUOTH_ERR_FORMAT);
    assert_non_null(strstr(msg, "binary"));
    /* with no name and binary content: text, as quoth always read any bytes */
    quoth_reading *r = read_ok(bin, sizeof bin, NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_reader(r), "text");
    quoth_reading_free(r);
}

static void test_html_nesting_limit(void **state) {
    (void)state;
    size_t depth = 100000;
    char *deep = malloc(depth * 5 + 64);
    assert_non_null(deep);
    strcpy(deep, "<html><body>");
    size_t n = strlen(deep);
    for (size_t i = 0; i < depth; i++, n += 5)
        memcpy(deep + n, "<div>", 5);
    memcpy(deep + n, "Hi.", 4);
    n += 3;
    char msg[256];
    assert_int_equal(read_fails(deep, n, NULL, QUOTH_READER_AUTO, msg, sizeof msg),
                     QUOTH_ERR_LIMIT);
    assert_non_null(strstr(msg, "deep"));
    /* 1,000 levels are read (iteratively), text and all */
    n = 12 + 1000 * 5;
    memcpy(deep + n, "Hi.", 4);
    quoth_reading *r = read_ok(deep, n + 3, NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_text(r, NULL), "Hi.");
    quoth_reading_free(r);
    /* closed elements do not add up */
    char *flat = malloc(300000 * 11 + 1);
    assert_non_null(flat);
    for (size_t i = 0; i < 300000; i++)
        memcpy(flat + i * 11, "<div></div>", 11);
    r = read_ok(flat, 300000 * 11, NULL, QUOTH_READER_HTML);
    quoth_reading_free(r);
    free(flat);
    free(deep);
}

/* The document read as XHTML (it starts with <?xml) and, after a leading
 * space, as HTML by gumbo: the same text, metadata and offset map. */
static void same_as_gumbo(const char *doc) {
    size_t len = strlen(doc);
    char *spaced = malloc(len + 2);
    assert_non_null(spaced);
    spaced[0] = ' ';
    memcpy(spaced + 1, doc, len + 1);
    quoth_reading *x = read_ok(doc, len, "c.xhtml", QUOTH_READER_HTML);
    quoth_reading *g = read_ok(spaced, len + 1, "c.xhtml", QUOTH_READER_HTML);
    size_t xl, gl;
    const char *xt = quoth_reading_text(x, &xl), *gt = quoth_reading_text(g, &gl);
    assert_string_equal(xt, gt);
    for (size_t i = 0; i <= xl; i++)
        assert_int_equal(source_of(x, i) + 1, source_of(g, i));
    size_t xn, gn;
    const quoth_meta *xm = quoth_reading_meta(x, &xn), *gm = quoth_reading_meta(g, &gn);
    assert_int_equal(xn, gn);
    for (size_t i = 0; i < xn; i++) {
        assert_string_equal(xm[i].key, gm[i].key);
        assert_string_equal(xm[i].value, gm[i].value);
    }
    quoth_reading_free(x);
    quoth_reading_free(g);
    free(spaced);
}

/* doc read as quoth_read() reads it and with gumbo as the only HTML
 * parser: the same text, offset map, metadata and paratext. Returns the
 * parsers the first reading used (READ_TESTING_*). */
static unsigned same_as_gumbo_only(const char *doc, size_t len, const char *hint) {
    quoth_reading *f = NULL, *g = NULL;
    quoth_error err;
    unsigned trees = 0, gtrees = 0;
    assert_int_equal(read_for_testing(doc, len, hint, QUOTH_READER_AUTO, false, &trees, &f, &err),
                     QUOTH_OK);
    assert_int_equal(read_for_testing(doc, len, hint, QUOTH_READER_AUTO, true, &gtrees, &g, &err),
                     QUOTH_OK);
    assert_true(gtrees == 0 || gtrees == READ_TESTING_GUMBO);
    size_t fl, gl;
    const char *ft = quoth_reading_text(f, &fl), *gt = quoth_reading_text(g, &gl);
    assert_int_equal(fl, gl);
    assert_memory_equal(ft, gt, fl);
    for (size_t i = 0; i <= fl; i++) {
        size_t fs = 0, gs = 0;
        const char *fe = NULL, *ge = NULL;
        assert_int_equal(quoth_reading_source(f, i, &fs, &fe),
                         quoth_reading_source(g, i, &gs, &ge));
        assert_int_equal(fs, gs);
        assert_true(fe == ge || (fe && ge && !strcmp(fe, ge)));
    }
    size_t fn, gn;
    const quoth_meta *fm = quoth_reading_meta(f, &fn), *gm = quoth_reading_meta(g, &gn);
    assert_int_equal(fn, gn);
    for (size_t i = 0; i < fn; i++) {
        assert_string_equal(fm[i].key, gm[i].key);
        assert_string_equal(fm[i].value, gm[i].value);
    }
    const quoth_span *fp = quoth_reading_paratext(f, &fn), *gp = quoth_reading_paratext(g, &gn);
    assert_int_equal(fn, gn);
    for (size_t i = 0; i < fn; i++) {
        assert_int_equal(fp[i].start, gp[i].start);
        assert_int_equal(fp[i].end, gp[i].end);
    }
    const char *fc = quoth_reading_cast_hint(f, &fn), *gc = quoth_reading_cast_hint(g, &gn);
    assert_int_equal(fn, gn);
    if (fn)
        assert_memory_equal(fc, gc, fn);
    quoth_reading_free(f);
    quoth_reading_free(g);
    return trees;
}

static unsigned same_as_gumbo_only_str(const char *doc) {
    return same_as_gumbo_only(doc, strlen(doc), "page.html");
}

/* HTML pages in html_clean.c's subset get gumbo's tree from it; the
 * fixtures: AO3's downloads and FFN's page take that path, FanFicFare's
 * (XHTML) libxml2's. Pages outside the subset are gumbo's. */
static void test_clean_html_same_as_gumbo(void **state) {
    (void)state;
    static const struct {
        const char *name;
        unsigned trees;
    } fixtures[] = {{"ao3-single.html", READ_TESTING_CLEAN},
                    {"ao3-multi.html", READ_TESTING_CLEAN},
                    {"ffn.html", READ_TESTING_CLEAN},
                    {"fanficfare.html", READ_TESTING_XML}};
    for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/read/%s", QUOTH_FIXTURES_DIR, fixtures[i].name);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        static char data[1 << 20];
        size_t n = fread(data, 1, sizeof data, fp);
        fclose(fp);
        if (same_as_gumbo_only(data, n, fixtures[i].name) != fixtures[i].trees)
            fail_msg("%s: not read by the expected parser", fixtures[i].name);
    }
    /* every HTML 4 entity libxml2 knows, in text and in an attribute */
    size_t cap = 1 << 16, len = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    len +=
        (size_t)snprintf(doc, cap, "<!DOCTYPE html>\n<html><head><title>E</title></head><body><p>");
    for (unsigned v = 0; v < 0x2800; v++) {
        const htmlEntityDesc *d = htmlEntityValueLookup(v);
        if (!d || d->value != v || !strcmp(d->name, "lang") || !strcmp(d->name, "rang"))
            continue;
        len += (size_t)snprintf(doc + len, cap - len, "<a title=\"&%s;\">&%s;</a> x&%s;y ", d->name,
                                d->name, d->name);
        assert_true(len < cap - 64);
    }
    len += (size_t)snprintf(doc + len, cap - len, "</p></body></html>");
    assert_int_equal(same_as_gumbo_only(doc, len, "e.html"), READ_TESTING_CLEAN);
    free(doc);
    /* the subset: one pass builds gumbo's tree */
    static const char *const clean[] = {
        "<html><head></head><body></body></html>",
        " <!-- a --> <!DOCTYPE html> <html lang=en> <head> <meta charset=utf-8>\n<title>A &amp; "
        "B</title>"
        "<style>p>b{}</style><script>if (a<b) x();</script> </head>\n<!--x-->\n<body class='x'>"
        "<h1>T</h1><div><p>\"One,\"&#x201C;&#8220; <b>two</b>&nbsp;three &amp; four & five.<br/>six"
        "<img src=\"a.png\" alt=\"&quot;x&quot;\"></p><hr><ul><li>a</li> "
        "<li><ol><li>b</li></ol></li></ul>"
        "<dl><dt>k</dt><dd>v</dd></dl><blockquote><p>q<!-- c -->r</p></blockquote>"
        "<pre> x\n y</pre><span><div>in span</div></span><select><option "
        "selected>1<option>2</select>"
        "<form><textarea>t &lt;</textarea><button>b</button></form><p>caf\xC3\xA9 \xE2\x80\x94</p>"
        "</div></body>\n</html>\n",
        "\xEF\xBB\xBF<!DOCTYPE html><html><head></head><body><p>bom</p></body></html>",
    };
    for (size_t i = 0; i < sizeof clean / sizeof *clean; i++)
        if (same_as_gumbo_only_str(clean[i]) != READ_TESTING_CLEAN)
            fail_msg("clean[%zu] not read by html_clean.c", i);
    /* outside it: gumbo reads them (and the output is what it always was) */
    static const char *const other[] = {
        "",
        "<p>no html element</p>",
        "<html><head></head><body><p>a<div>b</div>c</p></body></html>",
        "<html><head></head><body><p>a<p>b</p></body></html>",
        "<html><head></head><body><li>a</li></body></html>",
        "<html><head></head><body><ul><li>a<li>b</ul></body></html>",
        "<html><head></head><body><b><i>a</b></i></body></html>",
        "<html><head></head><body><a>a<a>b</a></a></body></html>",
        "<html><head></head><body><table><tr><td>a</td></tr></table></body></html>",
        "<html><head></head><body>AT&T &foo; &lang;</body></html>",
        "<html><head></head><body>a\r\nb</body></html>",
        "<html><head></head><body>a < b</body></html>",
        "<html><head></head><body>bad \xC3(</body></html>",
        "<html><head></head><body><div/>x</body></html>",
        "<html><head></head><body><pre>\nx</pre></body></html>",
        "<html><head><title>a<b>c</b></title></head><body></body></html>",
        "<html><head><b>x</b></head><body></body></html>",
        "<html><head></head><body><p>x</p></body></html><!--after-->",
        "<html><head></head><body><?pi x?></body></html>",
        "<html><head></head><body><![CDATA[x]]></body></html>",
        "<html><head></head><body><p a=1 a=2>x</p></body></html>",
        "<html><head></head><body><script><!--<script>x</script>--></script></body></html>",
        "<html><head></head><body><!-->x--></body></html>",
        "<html><head></head><body><p>x</body></html>",
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (same_as_gumbo_only_str(other[i]) & READ_TESTING_CLEAN)
            fail_msg("other[%zu] read by html_clean.c", i);
    /* XHTML that libxml2 read differently from gumbo (found by comparing
     * generated pages): now gumbo's, or the same */
    static const char *const xhtml[] = {
        "<?xml version=\"1.0\"?><html><head></head><body><p>&lang;x&rang;</p></body></html>",
        "<?xml version=\"1.0\"?><html><head></head><body><p>a&#150;b&#x85;c</p></body></html>",
        "<?xml version=\"1.0\"?><html><head></head> x <body><p>a</p></body></html>",
        "<?xml version=\"1.0\"?><html><head></head><body><!-->--><p>a</p><!--->-->b</body></html>",
        "<?xml version=\"1.0\"?><html><head><title>t<!-- c --></title></head><body>"
        "<xmp><!---->x</xmp></body></html>",
    };
    for (size_t i = 0; i < sizeof xhtml / sizeof *xhtml; i++)
        same_as_gumbo_only_str(xhtml[i]);
}

/* XHTML that is well-formed XML is parsed by libxml2 (xhtml.c), which
 * builds gumbo's tree; what it cannot build exactly goes to gumbo. */
static void test_xhtml_same_as_gumbo(void **state) {
    (void)state;
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!DOCTYPE html>\r\n"
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" "
        "xml:lang=\"en\"><head><title>A &amp; B</title>"
        "<meta name=\"author\" content=\"Jo&#160;Q\"/>"
        "<link rel=\"canonical\" href=\"http://x/?a=1&amp;b=2\"/>"
        "<script type=\"text/javascript\">//<![CDATA[\nvar a = 1 < 2;\n//]]></script></head>\r\n"
        "<body><section epub:type=\"chapter\"><h2>One <span>Two</span></h2>\r\n"
        "<p>&#8220;Well&nbsp;then,&#x201D; said Tom&mdash;quietly&hellip; &amp; <!-- c -->left"
        "<a id=\"x\"/>.</p>\r\n<div class=\"a\n b\"><p>Caf\xC3\xA9 &lt;noir&gt;<br/>next</p></div>"
        "<hr/><p>&apos;Q&apos; &quot;R&quot;<?pi x?> end.</p></section></body></html>\r\n";
    same_as_gumbo(doc);
    quoth_reading *r = read_ok(doc, strlen(doc), NULL, QUOTH_READER_HTML);
    assert_non_null(strstr(quoth_reading_text(r, NULL),
                           "\xE2\x80\x9CWell then,\xE2\x80\x9D said Tom\xE2\x80\x94quietly"));
    assert_string_equal(meta_of(r, "source"), "http://x/?a=1&b=2");
    assert_string_equal(meta_of(r, "language"), "en");
    quoth_reading_free(r);
    /* gumbo reads what XML would read otherwise: a block inside a <p>
     * (HTML closes the <p>), markup in a <title> (text to HTML), an entity
     * no table knows, markup that is not well-formed */
    same_as_gumbo("<?xml version=\"1.0\"?><html><head><title>T <b>x</b></title></head><body>"
                  "<p>a <div>b</div> c</p><p>d<h2>e</h2>f</p></body></html>");
    const char *odd = "<?xml version=\"1.0\"?><html><body><p>A &foo; b<br>c</p></body></html>";
    r = read_ok(odd, strlen(odd), NULL, QUOTH_READER_HTML);
    assert_string_equal(quoth_reading_text(r, NULL), "A &foo; b\n\nc");
    quoth_reading_free(r);
}

static const char *ao3 =
    "<!DOCTYPE html><html><head><title>W - a - F [Archive of Our Own]</title></head><body>"
    "<div id=\"preface\"><p class=\"message\"><b>W</b><br/>Posted originally on the "
    "<a href=\"http://archiveofourown.org/\">Archive of Our Own</a> at "
    "<a href=\"http://archiveofourown.org/works/42\">http://archiveofourown.org/works/42</a>.</p>"
    "<div class=\"meta\"><dl class=\"tags\"><dt>Fandom:</dt><dd><a>Smallville</a></dd>"
    "<dt>Character:</dt><dd><a>Lex Luthor</a>, <a>Clark Kent (Smallville)</a>, <a>Original Female "
    "Character(s)</a>, "
    "<a>Kara Danvers | Supergirl</a>, <a>Chloe "
    "Sullivan</a></dd><dt>Language:</dt><dd>English</dd></dl>"
    "<h1>Talks</h1><div class=\"byline\">by <a rel=\"author\" href=\"/users/a\">a</a></div>"
    "<p>Summary</p><blockquote class=\"userstuff\"><p>Two men talk.</p></blockquote></div></div>"
    "<div id=\"chapters\" class=\"userstuff\"><div class=\"meta group\"><h2 "
    "class=\"heading\">Chapter 1: Dusk</h2>"
    "<p>Chapter Notes</p><blockquote class=\"userstuff\"><p>\"Thanks,\" said Chloe "
    "Sullivan.</p></blockquote></div>"
    "<div class=\"userstuff\"><!--chapter content--><p>\"Go,\" Lex said.</p><p>\"No,\" Clark said. "
    "Supergirl "
    "watched.</p><!--/chapter content--></div></div>"
    "<div id=\"afterword\"><div class=\"meta\"><p>End Notes</p><blockquote "
    "class=\"userstuff\"><p>Bye.</p>"
    "</blockquote></div></div></body></html>";

static void test_ao3_metadata_paratext_and_cast(void **state) {
    (void)state;
    quoth_reading *r = read_ok(ao3, strlen(ao3), NULL, QUOTH_READER_AUTO);
    assert_string_equal(quoth_reading_reader(r), "ao3");
    const char *t = quoth_reading_text(r, NULL);
    assert_string_equal(t,
                        "Chapter 1: Dusk\n\nChapter Notes\n\n\"Thanks,\" said Chloe Sullivan.\n\n"
                        "\"Go,\" Lex said.\n\n\"No,\" Clark said. Supergirl watched.");
    assert_string_equal(meta_of(r, "title"), "Talks");
    assert_string_equal(meta_of(r, "author"), "a");
    assert_string_equal(meta_of(r, "fandom"), "Smallville");
    assert_string_equal(meta_of(r, "language"), "English");
    assert_string_equal(meta_of(r, "summary"), "Two men talk.");
    assert_string_equal(meta_of(r, "notes"), "Bye.");
    assert_string_equal(meta_of(r, "source"), "http://archiveofourown.org/works/42");
    assert_string_equal(meta_of(r, "characters"),
                        "Lex Luthor\nClark Kent (Smallville)\nOriginal Female Character(s)\n"
                        "Kara Danvers | Supergirl\nChloe Sullivan");
    /* the chapter notes are one paratext span */
    size_t np;
    const quoth_span *p = quoth_reading_paratext(r, &np);
    assert_int_equal(np, 1);
    assert_int_equal(p[0].start, (size_t)(strstr(t, "Chapter Notes") - t));
    assert_int_equal(p[0].end, (size_t)(strstr(t, "Sullivan.") - t) + 9);
    /* names that occur in the story (not in notes); "OFC" dropped */
    assert_string_equal(quoth_reading_cast_hint(r, NULL),
                        "Lex Luthor\nClark Kent\nKara Danvers | Supergirl\n");
    /* analysed with the paratext: the note's quotation is not attributed */
    size_t nm;
    const quoth_meta *m = quoth_reading_meta(r, &nm);
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.meta = m;
    opts.nmeta = nm;
    opts.paratext = p;
    opts.nparatext = np;
    quoth_error err;
    quoth_doc *doc = quoth_parse(t, strlen(t), &opts, &err);
    assert_non_null(doc);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    for (size_t q = 0; q < 2; q++)
        assert_true(quoth_quote_span(doc, q, 0).start > p[0].end);
    assert_string_equal(quoth_doc_meta(doc, "reader"), "ao3");
    assert_string_equal(quoth_section_title(doc, 0), "Chapter 1: Dusk");
    quoth_doc_free(doc);
    quoth_reading_free(r);
}

static void test_epub_errors(void **state) {
    (void)state;
    char msg[256];
    const char *notzip = "PK\x03\x04 this is no zip at all, only its magic";
    assert_int_equal(read_fails(notzip, strlen(notzip), NULL, QUOTH_READER_AUTO, msg, sizeof msg),
                     QUOTH_ERR_FORMAT);
    const char *text = "Once upon a time.";
    assert_int_equal(read_fails(text, strlen(text), NULL, QUOTH_READER_EPUB, msg, sizeof msg),
                     QUOTH_ERR_FORMAT);
    assert_non_null(strstr(msg, "not a zip"));
    assert_int_equal(
        read_fails(text, strlen(text), "book.epub", QUOTH_READER_AUTO, msg, sizeof msg),
        QUOTH_ERR_FORMAT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_names),
        cmocka_unit_test(test_plain_text_is_unchanged),
        cmocka_unit_test(test_read_owned),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_markdown_markers_removed),
        cmocka_unit_test(test_html_blocks_entities_and_map),
        cmocka_unit_test(test_html_sniffing_and_forcing),
        cmocka_unit_test(test_broken_html_recovers),
        cmocka_unit_test(test_html_binary_is_refused),
        cmocka_unit_test(test_html_nesting_limit),
        cmocka_unit_test(test_xhtml_same_as_gumbo),
        cmocka_unit_test(test_clean_html_same_as_gumbo),
        cmocka_unit_test(test_ao3_metadata_paratext_and_cast),
        cmocka_unit_test(test_epub_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
