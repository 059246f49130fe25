/*
 * test_render.c — rendering: JSON that parses (strict validator in
 * helpers.h) with the fields FORMAT.md scores, escaping of hostile text,
 * the script format, sinks that receive pieces, and a sink that fails.
 */
#include "helpers.h"

static const char *story = "Disclaimer: not mine.\n\n"
                           "Chapter 1\n\n"
                           "\"Go home,\" Lex said. \"Now.\"\n\n"
                           "\"No, Lex,\" said Ann. \"Not until you tell me.\"\n";

/* A sink that appends to a growing buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
    size_t calls;
    size_t fail_after; /* fail on this call (1-based); 0: never */
    size_t calls_after_failure;
    int failed;
} sink_buf;

static int sink_write(void *ctx, const char *data, size_t len) {
    sink_buf *b = ctx;
    if (b->failed) {
        b->calls_after_failure++;
    }
    b->calls++;
    if (b->fail_after != 0 && b->calls >= b->fail_after) {
        b->failed = 1;
        return -1;
    }
    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->len + len + 1) * 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            return -1;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static void test_json_is_valid_and_has_fields(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    size_t len = 0;
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_DEFAULT, &len);
    assert_non_null(json);
    assert_int_equal(strlen(json), len);
    if (!json_is_valid(json, len)) {
        fail_msg("invalid JSON:\n%s", json);
    }
    const char *fields[] = {"\"characters\"", "\"quotes\"", "\"spans\"",    "\"speaker\"",
                            "\"addressees\"", "\"type\"",   "\"name\"",     "\"aliases\"",
                            "\"gender\"",     "\"id\"",     "\"sections\"", "\"paragraphs\"",
                            "\"confidence\""};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strstr(json, fields[i]) == NULL) {
            fail_msg("JSON lacks %s:\n%s", fields[i], json);
        }
    }
    /* the spans of the first quotation, exactly */
    char want[64];
    snprintf(want, sizeof want, "[%zu,%zu]", offset_of(story, "Go home,"),
             offset_of(story, "Go home,") + 8);
    char *compact = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (json[i] != ' ' && json[i] != '\n') {
            compact[n++] = json[i];
        }
    }
    compact[n] = '\0';
    if (strstr(compact, want) == NULL) {
        fail_msg("JSON lacks the span %s:\n%s", want, json);
    }
    /* without QUOTH_RENDER_MENTIONS there are no mentions */
    assert_null(strstr(json, "\"mentions\""));
    free(compact);
    free(json);
    quoth_doc_free(doc);
}

static void test_json_flags(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    size_t len = 0;
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON,
                                     QUOTH_RENDER_TEXT | QUOTH_RENDER_MENTIONS, &len);
    assert_non_null(json);
    assert_true(json_is_valid(json, len));
    assert_non_null(strstr(json, "\"mentions\""));
    assert_non_null(strstr(json, "\"text\""));
    assert_non_null(strstr(json, "Go home,"));
    free(json);
    quoth_doc_free(doc);
}

/* pretty JSON without its white space outside strings, in place */
static size_t strip_layout(char *json, size_t len) {
    size_t o = 0;
    int in_string = 0, escaped = 0;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        } else {
            in_string = c == '"';
        }
        json[o++] = c;
    }
    json[o] = '\0';
    return o;
}

/* QUOTH_RENDER_COMPACT is the pretty JSON with the layout taken out, on
 * one line, with every other flag: metadata (a repeated key becomes an
 * array), names and quotations with spaces, escapes, several spans, no
 * quotations at all. */
static void test_json_compact(void **state) {
    (void)state;
    const quoth_meta meta[] = {{"title", "Lamps \"and\" lights"},
                               {"fandom", "Originals"},
                               {"fandom", "Other Tales"}};
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.meta = meta;
    opts.nmeta = sizeof meta / sizeof meta[0];
    const char *texts[] = {story,
                           "\"I would,\" said Mr. Tom Ashby, \"if I could.\\ Tab\there.\"\n\n"
                           "\"You  would not,\" said Ann.\n",
                           "No one speaks here.\n"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        quoth_doc *doc = quoth_parse(texts[t], strlen(texts[t]), t == 0 ? &opts : NULL, NULL);
        assert_non_null(doc);
        for (unsigned f = 0; f < 4; f++) {
            size_t plen = 0, clen = 0;
            char *pretty = quoth_render_string(doc, QUOTH_FORMAT_JSON, f, &plen);
            char *compact = quoth_render_string(doc, QUOTH_FORMAT_JSON, f | QUOTH_RENDER_COMPACT, &clen);
            assert_non_null(pretty);
            assert_non_null(compact);
            assert_true(json_is_valid(compact, clen));
            assert_null(memchr(compact, '\n', clen));
            plen = strip_layout(pretty, plen);
            if (plen != clen || memcmp(pretty, compact, clen) != 0) {
                fail_msg("text %zu, flags %u:\n%s\n%s", t, f, pretty, compact);
            }
            free(pretty);
            free(compact);
        }
        quoth_doc_free(doc);
    }
}

static void test_json_escaping(void **state) {
    (void)state;
    /* backslashes, tabs, control bytes, a NUL, invalid UTF-8, a lone
     * surrogate encoding and U+2028 inside quotations and names */
    const char text[] = "\"Back\\slash\t\x01\x1f and \x7f,\" said Ann.\n\n"
                        "\"Bad \xff\xc3 bytes \xed\xa0\x80 and \xe2\x80\xa8 sep\",\" said Ben.\n\n"
                        "\"A\0B\" said Ann.\n";
    quoth_doc *doc = quoth_parse(text, sizeof text - 1, NULL, NULL);
    assert_non_null(doc);
    for (unsigned f = 0; f < 8; f++) { /* MENTIONS, TEXT and COMPACT */
        size_t len = 0;
        char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, f, &len);
        assert_non_null(json);
        if (!json_is_valid(json, len)) {
            fail_msg("invalid JSON with flags %u:\n%s", f, json);
        }
        free(json);
    }
    quoth_doc_free(doc);
}

static void test_script(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    size_t len = 0;
    char *script = quoth_render_string(doc, QUOTH_FORMAT_SCRIPT, QUOTH_RENDER_DEFAULT, &len);
    assert_non_null(script);
    assert_int_equal(strlen(script), len);
    /* speakers in capitals, then their words */
    const char *lex = strstr(script, "LEX");
    const char *ann = strstr(script, "ANN");
    if (lex == NULL || ann == NULL) {
        fail_msg("script lacks LEX or ANN:\n%s", script);
    }
    assert_true(lex < ann);
    assert_non_null(strstr(lex, "Go home,"));
    assert_non_null(strstr(ann, "Not until you tell me."));
    quoth_doc_free(doc);
    free(script);
}

static void test_sink_receives_same_output(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    for (int fmt = QUOTH_FORMAT_JSON; fmt <= QUOTH_FORMAT_COUNT; fmt++) {
        sink_buf b;
        memset(&b, 0, sizeof b);
        quoth_status st = quoth_render(doc, (quoth_format)fmt, QUOTH_RENDER_TEXT, sink_write, &b);
        assert_int_equal(st, QUOTH_OK);
        size_t len = 0;
        char *s = quoth_render_string(doc, (quoth_format)fmt, QUOTH_RENDER_TEXT, &len);
        assert_non_null(s);
        assert_int_equal(b.len, len);
        assert_memory_equal(b.data, s, len);
        free(s);
        free(b.data);
    }
    quoth_doc_free(doc);
}

static void test_failing_sink(void **state) {
    (void)state;
    /* a document big enough to need several writes */
    size_t unit = strlen(story), reps = 400;
    char *big = malloc(unit * reps + 1);
    assert_non_null(big);
    for (size_t i = 0; i < reps; i++) {
        memcpy(big + i * unit, story, unit);
    }
    big[unit * reps] = '\0';
    quoth_doc *doc = parse_upto(big, 0);
    for (int fmt = QUOTH_FORMAT_JSON; fmt <= QUOTH_FORMAT_COUNT; fmt++) {
        sink_buf ok;
        memset(&ok, 0, sizeof ok);
        assert_int_equal(quoth_render(doc, (quoth_format)fmt, QUOTH_RENDER_TEXT, sink_write, &ok),
                         QUOTH_OK);
        size_t calls = ok.calls;
        free(ok.data);
        assert_true(calls >= 1);
        for (size_t fail_at = 1; fail_at <= calls && fail_at <= 3; fail_at++) {
            sink_buf b;
            memset(&b, 0, sizeof b);
            b.fail_after = fail_at;
            quoth_status st =
                quoth_render(doc, (quoth_format)fmt, QUOTH_RENDER_TEXT, sink_write, &b);
            assert_int_equal(st, QUOTH_ERR_OUTPUT);
            /* rendering stops at the first failure */
            assert_int_equal(b.calls_after_failure, 0);
            free(b.data);
        }
    }
    quoth_doc_free(doc);
    free(big);
}

static void test_render_bad_format(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    sink_buf b;
    memset(&b, 0, sizeof b);
    quoth_status st = quoth_render(doc, (quoth_format)99, 0, sink_write, &b);
    assert_int_equal(st, QUOTH_ERR_ARGUMENT);
    free(b.data);
    quoth_doc_free(doc);
}

static void test_render_every_stage(void **state) {
    (void)state;
    for (int st = QUOTH_STAGE_SEGMENT; st <= QUOTH_STAGE_ATTRIBUTE; st++) {
        quoth_doc *doc = parse_upto(story, (quoth_stage)st);
        for (int fmt = QUOTH_FORMAT_JSON; fmt <= QUOTH_FORMAT_COUNT; fmt++) {
            size_t len = 0;
            char *s = quoth_render_string(doc, (quoth_format)fmt, QUOTH_RENDER_MENTIONS, &len);
            assert_non_null(s);
            if (fmt == QUOTH_FORMAT_JSON && !json_is_valid(s, len)) {
                fail_msg("invalid JSON after stage %d:\n%s", st, s);
            }
            free(s);
        }
        quoth_doc_free(doc);
    }
}

/* ---- issue 6: the other formats ---------------------------------------------- */

static char *render(const quoth_doc *doc, quoth_format fmt) {
    size_t len = 0;
    char *s = quoth_render_string(doc, fmt, QUOTH_RENDER_DEFAULT, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    return s;
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* No control character other than tab, LF (and CR in CSV line ends). */
static void assert_no_controls(const char *s, int fmt) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && !(*p == '\r' && fmt == QUOTH_FORMAT_CSV)) ||
            *p == 0x7f) {
            fail_msg("format %d lets control byte 0x%02x through:\n%s", fmt, *p, s);
        }
    }
}

static void test_format_names(void **state) {
    (void)state;
    for (int f = 1; f <= QUOTH_FORMAT_COUNT; f++) {
        quoth_format got;
        const char *name = quoth_format_name((quoth_format)f);
        assert_non_null(name);
        assert_int_equal(quoth_format_from_name(name, &got), 0);
        assert_int_equal(got, f);
    }
    quoth_format got;
    assert_int_equal(quoth_format_from_name("text", &got), 0);
    assert_int_equal(got, QUOTH_FORMAT_SCRIPT);
    assert_int_equal(quoth_format_from_name("pdf", &got), -1);
    assert_null(quoth_format_name((quoth_format)0));
    assert_null(quoth_format_name((quoth_format)(QUOTH_FORMAT_COUNT + 1)));
}

/* A story whose text is markup, formulas and control characters: one
 * quotation per attack, each attributed by an explicit tag. */
static const char hostile[] = "Chapter 1\n\n"
                              "\"Stop </script><script>alert(1)</script> now,\" said Ann. \"A "
                              "<said who='#x'>x</said> ]]> done.\"\n\n"
                              "\"=HYPERLINK(A1,B2),\" Bob replied.\n\n"
                              "INT. HOUSE - NIGHT\n\n"
                              "\"Bell\x07 esc\x1b vt\x0b del\x7f end,\" said Bob.\n\n"
                              "THE DOOR SLAMS\n\n"
                              "\"Bad \xff bytes [[x]] *y*,\" said Ann.\n";

static void test_hostile_every_format(void **state) {
    (void)state;
    quoth_doc *doc = quoth_parse(hostile, sizeof hostile - 1, NULL, NULL);
    assert_non_null(doc);
    size_t spans = 0;
    for (size_t q = 0; q < quoth_doc_quote_count(doc); q++) {
        spans += quoth_quote_span_count(doc, q);
    }
    assert_int_equal(spans, 5);
    for (int fmt = QUOTH_FORMAT_FOUNTAIN; fmt <= QUOTH_FORMAT_COUNT; fmt++) {
        char *s = render(doc, (quoth_format)fmt);
        assert_no_controls(s, fmt);
        if (fmt == QUOTH_FORMAT_TEI || fmt == QUOTH_FORMAT_HTML || fmt == QUOTH_FORMAT_SSML) {
            /* the story's markup arrives as text, never as markup */
            assert_null(strstr(s, "<script>alert"));
            assert_null(strstr(s, "<said who='#x'>"));
            assert_null(strstr(s, "]]>"));
            assert_non_null(strstr(s, "&lt;/script&gt;&lt;script&gt;alert(1)"));
        }
        switch (fmt) {
        case QUOTH_FORMAT_TEI:
            assert_int_equal(count(s, "<said"), spans);
            assert_int_equal(count(s, "</said>"), spans);
            break;
        case QUOTH_FORMAT_HTML:
            assert_int_equal(count(s, "<script"), 1);
            assert_int_equal(count(s, "</script>"), 1);
            assert_int_equal(count(s, "data-quote=\""), spans);
            break;
        case QUOTH_FORMAT_CSV:
            assert_non_null(strstr(s, "\"'=HYPERLINK(A1")); /* quoted: it holds commas */
            assert_null(strstr(s, ",=HYPERLINK"));
            assert_null(strstr(s, "\"=HYPERLINK"));
            break;
        case QUOTH_FORMAT_FOUNTAIN:
            assert_non_null(strstr(s, "\n!INT. HOUSE - NIGHT\n"));
            assert_non_null(strstr(s, "\n!THE DOOR SLAMS\n"));
            assert_null(strstr(s, "[[x]]"));
            assert_non_null(strstr(s, "\\*y\\*"));
            break;
        case QUOTH_FORMAT_VOICES: assert_non_null(strstr(s, "\\[\\[x]]")); break;
        default: break;
        }
        free(s);
    }
    quoth_doc_free(doc);
}

static void test_metadata_passes_through(void **state) {
    (void)state;
    const quoth_meta meta[] = {{"title", "Lamps & </title><b>"},
                               {"author", "A. Writer"},
                               {"source", "https://example.invalid/works/1"},
                               {"fandom", "Originals"},
                               {"language", "en-GB"}};
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.meta = meta;
    opts.nmeta = sizeof meta / sizeof meta[0];
    quoth_doc *doc = quoth_parse(story, strlen(story), &opts, NULL);
    assert_non_null(doc);
    char *f = render(doc, QUOTH_FORMAT_FOUNTAIN);
    assert_true(
        strncmp(f, "Title: Lamps & </title><b>\nCredit: Written by\nAuthor: A. Writer\n", 62) == 0);
    assert_non_null(strstr(f, "Source: https://example.invalid/works/1\n"));
    free(f);
    char *t = render(doc, QUOTH_FORMAT_TEI);
    assert_non_null(strstr(t, "<title>Lamps &amp; &lt;/title&gt;&lt;b&gt;</title>"));
    assert_non_null(strstr(t, "<author>A. Writer</author>"));
    assert_non_null(strstr(t, "<idno type=\"URI\">https://example.invalid/works/1</idno>"));
    assert_non_null(strstr(t, "<note type=\"fandom\">Originals</note>"));
    assert_non_null(strstr(t, "<language ident=\"en-GB\"/>"));
    free(t);
    char *h = render(doc, QUOTH_FORMAT_HTML);
    assert_non_null(strstr(h, "<html lang=\"en-GB\">"));
    assert_non_null(strstr(h, "<title>Lamps &amp; &lt;/title&gt;&lt;b&gt; "));
    assert_null(strstr(h, "href=\"https://example.invalid")); /* shown, never linked */
    free(h);
    char *x = render(doc, QUOTH_FORMAT_SSML);
    assert_non_null(strstr(x, "xml:lang=\"en-GB\""));
    assert_non_null(strstr(x, ">Lamps &amp; &lt;/title&gt;&lt;b&gt;</dc:title>"));
    free(x);
    quoth_doc_free(doc);
    /* and without metadata: no title page, "Untitled" */
    doc = parse_upto("\"Hi,\" said Ann.\n", 0);
    f = render(doc, QUOTH_FORMAT_FOUNTAIN);
    assert_null(strstr(f, "Title:"));
    free(f);
    t = render(doc, QUOTH_FORMAT_TEI);
    assert_non_null(strstr(t, "<title>Untitled</title>"));
    free(t);
    quoth_doc_free(doc);
}

static void test_fountain_cues(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto("\"Go home,\" Lex whispered. \"Now.\"\n\n"
                                "Lex turned away and looked at the river for a long time.\n\n"
                                "\"Still here,\" Lex said.\n\n"
                                "\"Who?\"\n",
                                0);
    char *f = render(doc, QUOTH_FORMAT_FOUNTAIN);
    /* cue, dialogue, the tag as a parenthetical, the rest under the same cue */
    assert_non_null(strstr(f, "LEX\nGo home,\n(Lex whispered)\nNow.\n"));
    /* the same speaker after narration */
    assert_non_null(strstr(f, "LEX (CONT'D)\nStill here,\n(Lex said)\n"));
    free(f);
    quoth_doc_free(doc);
}

static void test_voices(void **state) {
    (void)state;
    quoth_error err;
    const char *good = "# voices\n\nLex = en-US-A\nnarrator= en-US-N\n  c2 =  en-US-B  \r\n";
    quoth_voices *v = quoth_voices_parse(good, strlen(good), &err);
    assert_non_null(v);
    quoth_doc *doc = parse_upto(story, 0);
    char out[64];
    assert_int_equal(quoth_voice_for(doc, v, QUOTH_NONE, out, sizeof out), 7);
    assert_string_equal(out, "en-US-N");
    assert_int_equal(quoth_voice_for(doc, NULL, QUOTH_NONE, out, sizeof out), 8);
    assert_string_equal(out, "narrator");
    quoth_voice_for(doc, v, QUOTH_VOICE_UNKNOWN, out, sizeof out);
    assert_string_equal(out, "unknown");
    for (size_t c = 0; c < quoth_doc_character_count(doc); c++) {
        quoth_voice_for(doc, v, c, out, sizeof out);
        if (!strcmp(quoth_character_name(doc, c), "Lex")) {
            assert_string_equal(out, "en-US-A");
        }
        if (!strcmp(quoth_character_id(doc, c), "c2")) {
            assert_string_equal(out, "en-US-B");
        }
    }
    quoth_render_options opts = QUOTH_RENDER_OPTIONS_INIT;
    opts.voices = v;
    sink_buf b;
    memset(&b, 0, sizeof b);
    assert_int_equal(quoth_render_ex(doc, QUOTH_FORMAT_SSML, &opts, sink_write, &b), QUOTH_OK);
    assert_non_null(strstr(b.data, "<voice name=\"en-US-A\">Go home,</voice>"));
    assert_non_null(strstr(b.data, "<voice name=\"en-US-N\">"));
    free(b.data);
    memset(&b, 0, sizeof b);
    assert_int_equal(quoth_render_ex(doc, QUOTH_FORMAT_VOICES, NULL, sink_write, &b), QUOTH_OK);
    assert_non_null(strstr(b.data, "[voice:voice1]Go home,[/voice]\n"));
    free(b.data);
    quoth_voices_free(v);
    quoth_doc_free(doc);

    static const struct {
        const char *text;
        size_t line;
    } bad[] = {{"Lex = a\nno equals\n", 2},
               {"\n\n= a\n", 3},
               {"Lex =\n", 1},
               {"Lex = a\nLEX = b\n", 2},
               {"Lex = [a]\n", 1}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_null(quoth_voices_parse(bad[i].text, strlen(bad[i].text), &err));
        assert_int_equal(err.status, QUOTH_ERR_ARGUMENT);
        assert_int_equal(err.line, bad[i].line);
        assert_true(strlen(err.message) > 0);
    }
    v = quoth_voices_parse("", 0, NULL);
    assert_non_null(v);
    quoth_voices_free(v);
    quoth_voices_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_is_valid_and_has_fields),
        cmocka_unit_test(test_json_flags),
        cmocka_unit_test(test_json_compact),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_sink_receives_same_output),
        cmocka_unit_test(test_failing_sink),
        cmocka_unit_test(test_render_bad_format),
        cmocka_unit_test(test_render_every_stage),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_hostile_every_format),
        cmocka_unit_test(test_metadata_passes_through),
        cmocka_unit_test(test_fountain_cues),
        cmocka_unit_test(test_voices),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
