/*
 * test_api.c — the edges of the public API: NULL and empty arguments,
 * invalid UTF-8 and NUL bytes in the input, the copy the document keeps,
 * the name tables, and freeing NULL. Any byte string must yield a document.
 */
#include "helpers.h"

static void test_version(void **state) {
    (void)state;
    assert_true(strlen(QUOTH_VERSION_STRING) > 0);
}

static void test_status_strings(void **state) {
    (void)state;
    const quoth_status all[] = {QUOTH_OK,           QUOTH_ERR_NOMEM, QUOTH_ERR_LIMIT,
                                QUOTH_ERR_ARGUMENT, QUOTH_ERR_CAST,  QUOTH_ERR_OUTPUT};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *s = quoth_status_string(all[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
    }
    /* distinct statuses read differently */
    assert_string_not_equal(quoth_status_string(QUOTH_ERR_LIMIT),
                            quoth_status_string(QUOTH_ERR_NOMEM));
    /* a value that is not a status still gets a string, never NULL */
    assert_non_null(quoth_status_string((quoth_status)-99));
}

static void test_name_tables(void **state) {
    (void)state;
    assert_string_equal(quoth_type_name(QUOTH_QUOTE_EXPLICIT), "explicit");
    assert_string_equal(quoth_type_name(QUOTH_QUOTE_ANAPHORIC), "anaphoric");
    assert_string_equal(quoth_type_name(QUOTH_QUOTE_IMPLICIT), "implicit");
    assert_string_equal(quoth_gender_name(QUOTH_GENDER_MALE), "M");
    assert_string_equal(quoth_gender_name(QUOTH_GENDER_FEMALE), "F");
    for (int g = QUOTH_GENDER_UNKNOWN; g <= QUOTH_GENDER_PLURAL; g++) {
        assert_non_null(quoth_gender_name((quoth_gender)g));
        assert_true(strlen(quoth_gender_name((quoth_gender)g)) > 0);
    }
    /* every rule has a distinct, non-empty name */
    for (int r = QUOTH_RULE_NONE; r <= QUOTH_RULE_RANKER; r++) {
        const char *name = quoth_rule_name((quoth_rule)r);
        assert_non_null(name);
        assert_true(strlen(name) > 0);
        for (int s = QUOTH_RULE_NONE; s < r; s++) {
            assert_string_not_equal(name, quoth_rule_name((quoth_rule)s));
        }
    }
    assert_string_equal(quoth_rule_name(QUOTH_RULE_TAG_AFTER), "tag-after");
}

static void test_format_from_name(void **state) {
    (void)state;
    quoth_format f = 0;
    assert_int_equal(quoth_format_from_name("json", &f), 0);
    assert_int_equal(f, QUOTH_FORMAT_JSON);
    assert_int_equal(quoth_format_from_name("script", &f), 0);
    assert_int_equal(f, QUOTH_FORMAT_SCRIPT);
    assert_int_equal(quoth_format_from_name("text", &f), 0);
    assert_int_equal(f, QUOTH_FORMAT_SCRIPT);
    assert_int_equal(quoth_format_from_name("xml", &f), -1);
    assert_int_equal(quoth_format_from_name("", &f), -1);
    assert_int_equal(quoth_format_from_name("JSONX", &f), -1);
}

static void test_free_null(void **state) {
    (void)state;
    quoth_doc_free(NULL);
    quoth_cast_free(NULL);
    quoth_iter_free(NULL);
}

static void test_null_text_with_length_is_an_argument_error(void **state) {
    (void)state;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_doc *doc = quoth_parse(NULL, 5, NULL, &err);
    assert_null(doc);
    assert_int_equal(err.status, QUOTH_ERR_ARGUMENT);
    assert_true(strlen(err.message) > 0);
    /* and without an error struct it must not crash */
    assert_null(quoth_parse(NULL, 5, NULL, NULL));
}

static void test_null_text_empty(void **state) {
    (void)state;
    /* NULL with length 0 is the empty string or an argument error; either
     * way no crash, and a document, if any, is empty. */
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_doc *doc = quoth_parse(NULL, 0, NULL, &err);
    if (doc == NULL) {
        assert_int_equal(err.status, QUOTH_ERR_ARGUMENT);
        return;
    }
    assert_int_equal(quoth_doc_paragraph_count(doc), 0);
    assert_int_equal(quoth_doc_quote_count(doc), 0);
    quoth_doc_free(doc);
}

static void test_empty_document(void **state) {
    (void)state;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_doc *doc = quoth_parse("", 0, NULL, &err);
    assert_non_null(doc);
    assert_int_equal(quoth_doc_paragraph_count(doc), 0);
    assert_int_equal(quoth_doc_quote_count(doc), 0);
    assert_int_equal(quoth_doc_character_count(doc), 0);
    assert_int_equal(quoth_doc_mention_count(doc), 0);
    size_t len = 99;
    const char *text = quoth_doc_text(doc, &len);
    assert_non_null(text);
    assert_int_equal(len, 0);

    size_t out_len = 0;
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_DEFAULT, &out_len);
    assert_non_null(json);
    assert_true(json_is_valid(json, out_len));
    free(json);
    char *script = quoth_render_string(doc, QUOTH_FORMAT_SCRIPT, QUOTH_RENDER_DEFAULT, &out_len);
    assert_non_null(script);
    free(script);
    quoth_doc_free(doc);
}

static void test_whitespace_only(void **state) {
    (void)state;
    const char *text = "  \n\n\t\r\n   \n";
    quoth_doc *doc = parse_upto(text, 0);
    assert_int_equal(quoth_doc_paragraph_count(doc), 0);
    assert_int_equal(quoth_doc_quote_count(doc), 0);
    quoth_doc_free(doc);
}

static void test_options_null_means_defaults(void **state) {
    (void)state;
    const char *text = "\"Go home,\" Lex said.\n";
    quoth_doc *a = quoth_parse(text, strlen(text), NULL, NULL);
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    quoth_doc *b = quoth_parse(text, strlen(text), &opts, NULL);
    assert_non_null(a);
    assert_non_null(b);
    char *ja = quoth_render_string(a, QUOTH_FORMAT_JSON, QUOTH_RENDER_DEFAULT, NULL);
    char *jb = quoth_render_string(b, QUOTH_FORMAT_JSON, QUOTH_RENDER_DEFAULT, NULL);
    assert_non_null(ja);
    assert_non_null(jb);
    assert_string_equal(ja, jb);
    assert_int_equal(quoth_doc_quote_count(a), 1);
    assert_speaker(a, 0, "Lex");
    free(ja);
    free(jb);
    quoth_doc_free(a);
    quoth_doc_free(b);
}

/* The document keeps its own copy: the caller may free its buffer at once
 * (ASan would catch a document that kept the pointer). */
static void test_input_is_copied(void **state) {
    (void)state;
    const char *src = "\"Go home,\" Lex said.\n";
    size_t n = strlen(src);
    char *buf = malloc(n);
    assert_non_null(buf);
    memcpy(buf, src, n);
    quoth_doc *doc = quoth_parse(buf, n, NULL, NULL);
    assert_non_null(doc);
    memset(buf, 'x', n);
    free(buf);

    size_t len = 0;
    const char *text = quoth_doc_text(doc, &len);
    assert_int_equal(len, n);
    assert_memory_equal(text, src, n);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Go home,");
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, NULL);
    assert_non_null(json);
    free(json);
    quoth_doc_free(doc);
}

/* QUOTH_OPT_BORROW_TEXT: the document reads the caller's NUL-terminated
 * buffer in place, and gives the same analysis as a copy; a buffer not
 * NUL-terminated at len is copied after all. */
static void test_borrowed_text(void **state) {
    (void)state;
    const char *src = "\"Go home,\" Lex said.\n\n\"No,\" said Ann.\n";
    size_t n = strlen(src);
    quoth_options o = {.flags = QUOTH_OPT_BORROW_TEXT};
    quoth_doc *borrowed = quoth_parse(src, n, &o, NULL);
    quoth_doc *copied = quoth_parse(src, n, NULL, NULL);
    assert_non_null(borrowed);
    assert_non_null(copied);
    size_t len = 0;
    assert_ptr_equal(quoth_doc_text(borrowed, &len), src);
    assert_int_equal(len, n);
    assert_ptr_not_equal(quoth_doc_text(copied, NULL), src);
    char *a = quoth_render_string(borrowed, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, NULL);
    char *b = quoth_render_string(copied, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
    quoth_doc_free(borrowed);
    quoth_doc_free(copied);

    /* the first line alone: src[len] is '"', not NUL */
    size_t line = strlen("\"Go home,\" Lex said.\n");
    quoth_doc *part = quoth_parse(src, line, &o, NULL);
    assert_non_null(part);
    const char *t = quoth_doc_text(part, &len);
    assert_ptr_not_equal(t, src);
    assert_int_equal(len, line);
    assert_int_equal(t[line], '\0');
    assert_int_equal(quoth_doc_quote_count(part), 1);
    quoth_doc_free(part);
}

/* Invalid UTF-8 is handled, not fatal, and never shifts offsets. */
static void test_invalid_utf8(void **state) {
    (void)state;
    const char text[] =
        "\xff\xfe Ann came in.\x80\n\n\"Hi \xc3,\" said Ann. \"\xed\xa0\x80\"\n\xf8";
    size_t n = sizeof text - 1;
    quoth_doc *doc = quoth_parse(text, n, NULL, NULL);
    assert_non_null(doc);
    size_t len = 0;
    const char *copy = quoth_doc_text(doc, &len);
    assert_int_equal(len, n);
    assert_memory_equal(copy, text, n);
    assert_true(quoth_doc_paragraph_count(doc) >= 2);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    /* the first span starts right after the mark, bytes as given */
    quoth_span s = quoth_quote_span(doc, 0, 0);
    assert_int_equal(s.start, (size_t)(strstr(text, "Hi ") - text));
    assert_int_equal(s.end, (size_t)(strstr(text, "\" said") - text));
    assert_speaker(doc, 0, "Ann");
    for (unsigned f = 0; f < 4; f++) {
        size_t out_len = 0;
        char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, f, &out_len);
        assert_non_null(json);
        assert_true(json_is_valid(json, out_len));
        free(json);
    }
    char *script = quoth_render_string(doc, QUOTH_FORMAT_SCRIPT, 0, NULL);
    assert_non_null(script);
    free(script);
    quoth_doc_free(doc);
}

/* NUL bytes inside the input are bytes like any other. */
static void test_nul_bytes(void **state) {
    (void)state;
    const char text[] = "Ann\0 came in.\n\n\"A\0B,\" said Ann.\n\0";
    size_t n = sizeof text - 1;
    quoth_doc *doc = quoth_parse(text, n, NULL, NULL);
    assert_non_null(doc);
    size_t len = 0;
    const char *copy = quoth_doc_text(doc, &len);
    assert_int_equal(len, n);
    assert_memory_equal(copy, text, n);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    quoth_span s = quoth_quote_span(doc, 0, 0);
    assert_int_equal(s.start, 16); /* "A\0B," */
    assert_int_equal(s.end, 20);
    size_t out_len = 0;
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, &out_len);
    assert_non_null(json);
    assert_true(json_is_valid(json, out_len));
    assert_int_equal(strlen(json), out_len); /* a NUL in the text is escaped */
    free(json);
    quoth_doc_free(doc);
}

/* Every stage can be stopped after; each gives a usable document. */
static void test_every_stop_after(void **state) {
    (void)state;
    const char *text = "Chapter 1\n\n\"Go home,\" Lex said.\n\n\"No,\" she replied.\n";
    for (int st = 0; st <= QUOTH_STAGE_ATTRIBUTE; st++) {
        quoth_doc *doc = parse_upto(text, (quoth_stage)st);
        assert_int_equal(quoth_doc_paragraph_count(doc), 3);
        size_t out_len = 0;
        char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON,
                                         QUOTH_RENDER_TEXT | QUOTH_RENDER_MENTIONS, &out_len);
        assert_non_null(json);
        assert_true(json_is_valid(json, out_len));
        free(json);
        quoth_iter *it = quoth_iter_new(doc);
        assert_non_null(it);
        while (quoth_iter_next(it) != QUOTH_EVENT_NONE) {
        }
        quoth_iter_free(it);
        quoth_doc_free(doc);
    }
}

/* Many documents in a row: nothing leaks between them (no global state). */
static void test_documents_are_independent(void **state) {
    (void)state;
    const char *a = "\"Go home,\" Lex said.\n";
    const char *b = "\"Stay,\" said Ann.\n\n\"Why?\" Ben asked.\n";
    quoth_doc *da = parse_upto(a, 0);
    quoth_doc *db = parse_upto(b, 0);
    assert_int_equal(quoth_doc_quote_count(da), 1);
    assert_int_equal(quoth_doc_quote_count(db), 2);
    assert_int_equal(character_named(da, "Ann"), QUOTH_NONE);
    assert_int_equal(character_named(db, "Lex"), QUOTH_NONE);
    quoth_doc_free(da);
    quoth_doc *dc = parse_upto(a, 0);
    char *j1 = quoth_render_string(dc, QUOTH_FORMAT_JSON, 0, NULL);
    quoth_doc_free(dc);
    dc = parse_upto(a, 0);
    char *j2 = quoth_render_string(dc, QUOTH_FORMAT_JSON, 0, NULL);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);
    quoth_doc_free(dc);
    quoth_doc_free(db);
}

/* Metadata and reader-marked paratext are copied into the document: the
 * caller's arrays may be gone after quoth_parse returns. */
static void test_meta_and_paratext(void **state) {
    (void)state;
    const char *text = "Note: thanks to my beta.\n\n\"Hello,\" said Ann.\n\n\"Hi,\" said Ben.\n";
    char key[16], val[32];
    strcpy(key, "title");
    strcpy(val, "A Greeting");
    quoth_meta meta[3] = {{key, val}, {"fandom", "One"}, {"fandom", "Two"}};
    quoth_span para[1] = {{0, 24}};
    quoth_options o = {0};
    o.meta = meta;
    o.nmeta = 3;
    o.paratext = para;
    o.nparatext = 1;
    quoth_error err;
    quoth_doc *doc = quoth_parse(text, strlen(text), &o, &err);
    assert_non_null(doc);
    strcpy(key, "xxxxx");
    strcpy(val, "changed");
    assert_int_equal(quoth_doc_meta_count(doc), 3);
    assert_string_equal(quoth_doc_meta(doc, "title"), "A Greeting");
    assert_string_equal(quoth_doc_meta(doc, "fandom"), "One");
    assert_string_equal(quoth_doc_meta_value(doc, 2), "Two");
    assert_null(quoth_doc_meta(doc, "author"));
    assert_null(quoth_doc_meta_key(doc, 3));
    assert_int_equal(quoth_paragraph_kind(doc, 0), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_paragraph_kind(doc, 1), QUOTH_PARA_STORY);
    char *json = quoth_render_string(doc, QUOTH_FORMAT_JSON, 0, NULL);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"meta\": {\n    \"title\": \"A Greeting\",\n    \"fandom\": [\"One\", \"Two\"]\n  }"));
    free(json);
    quoth_doc_free(doc);
    /* no metadata: no "meta" member */
    doc = quoth_parse(text, strlen(text), NULL, &err);
    json = quoth_render_string(doc, QUOTH_FORMAT_JSON, 0, NULL);
    assert_null(strstr(json, "\"meta\""));
    assert_int_equal(quoth_paragraph_kind(doc, 1), QUOTH_PARA_STORY);
    free(json);
    quoth_doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_name_tables),
        cmocka_unit_test(test_format_from_name),
        cmocka_unit_test(test_free_null),
        cmocka_unit_test(test_null_text_with_length_is_an_argument_error),
        cmocka_unit_test(test_null_text_empty),
        cmocka_unit_test(test_empty_document),
        cmocka_unit_test(test_whitespace_only),
        cmocka_unit_test(test_options_null_means_defaults),
        cmocka_unit_test(test_input_is_copied),
        cmocka_unit_test(test_borrowed_text),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_every_stop_after),
        cmocka_unit_test(test_documents_are_independent),
        cmocka_unit_test(test_meta_and_paratext),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
