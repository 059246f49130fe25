/*
 * test_quotes.c — the quotes stage alone (stop_after = QUOTES): exact span
 * offsets with the marks excluded, quotations of several spans, curly marks,
 * continuation over paragraphs, apostrophes, nesting, unmatched marks.
 */
#include "helpers.h"

/* Invariants of every quotation: spans non-empty, in order, inside the
 * quotation's paragraph (or a later one for continued quotations), and
 * quotations in text order without overlap. */
static void assert_quote_invariants(const quoth_doc *doc) {
    size_t len = 0;
    quoth_doc_text(doc, &len);
    size_t prev_end = 0;
    for (size_t q = 0; q < quoth_doc_quote_count(doc); q++) {
        size_t n = quoth_quote_span_count(doc, q);
        assert_true(n >= 1);
        size_t para = quoth_quote_paragraph(doc, q);
        assert_true(para < quoth_doc_paragraph_count(doc));
        quoth_span ps = quoth_paragraph_span(doc, para);
        for (size_t i = 0; i < n; i++) {
            quoth_span s = quoth_quote_span(doc, q, i);
            assert_true(s.start < s.end);
            assert_true(s.end <= len);
            assert_true(s.start >= prev_end);
            if (i == 0) {
                assert_true(s.start >= ps.start);
                assert_true(s.start < ps.end);
            }
            prev_end = s.end;
        }
    }
}

static void test_simple_span(void **state) {
    (void)state;
    const char *text = "\"Go home,\" Lex said.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 1);
    quoth_span s = quoth_quote_span(doc, 0, 0);
    assert_int_equal(s.start, 1);
    assert_int_equal(s.end, 9);
    assert_span_text(doc, s, "Go home,");
    assert_int_equal(quoth_quote_paragraph(doc, 0), 0);
    /* attribution has not run */
    assert_int_equal(quoth_quote_speaker(doc, 0), QUOTH_NONE);
    assert_int_equal(quoth_quote_addressee_count(doc, 0), 0);
    assert_int_equal(quoth_quote_rule(doc, 0), QUOTH_RULE_NONE);
    assert_int_equal(quoth_doc_mention_count(doc), 0);
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_interrupted_is_one_quote(void **state) {
    (void)state;
    const char *text = "\"Your,\" Lex said, \"secrets.\"\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 2);
    assert_span_eq(quoth_quote_span(doc, 0, 0), span_of(text, "Your,"));
    assert_span_eq(quoth_quote_span(doc, 0, 1), span_of(text, "secrets."));
    assert_int_equal(quoth_quote_span(doc, 0, 1).start, 19);
    assert_int_equal(quoth_quote_span(doc, 0, 1).end, 27);
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_three_spans(void **state) {
    (void)state;
    const char *text = "\"First,\" said Ann, \"the key. Then,\" she went on, \"the door.\"\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 3);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "First,");
    assert_span_text(doc, quoth_quote_span(doc, 0, 1), "the key. Then,");
    assert_span_text(doc, quoth_quote_span(doc, 0, 2), "the door.");
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_curly_marks(void **state) {
    (void)state;
    /* “ and ” are three bytes each: the span starts at 3 */
    const char *text = "\xE2\x80\x9CHi,\xE2\x80\x9D said Ann. \xE2\x80\x9C"
                       "Don\xE2\x80\x99t.\xE2\x80\x9D\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 2);
    assert_int_equal(quoth_quote_span(doc, 0, 0).start, 3);
    assert_int_equal(quoth_quote_span(doc, 0, 0).end, 6);
    assert_span_text(doc, quoth_quote_span(doc, 0, 1), "Don\xE2\x80\x99t.");
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_single_quote_dialogue(void **state) {
    (void)state;
    const char *text = "'Go home,' said Ann. 'It's late.'\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Go home,");
    assert_span_text(doc, quoth_quote_span(doc, 0, 1), "It's late.");
    quoth_doc_free(doc);
}

static void test_two_quotes_in_two_paragraphs(void **state) {
    (void)state;
    const char *text = "\"Go,\" said Ann.\n\n\"No,\" said Ben.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_int_equal(quoth_quote_paragraph(doc, 0), 0);
    assert_int_equal(quoth_quote_paragraph(doc, 1), 1);
    assert_span_eq(quoth_quote_span(doc, 1, 0), span_of(text, "No,"));
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_open_paragraph_continues(void **state) {
    (void)state;
    const char *text = "\"The first thing is the river.\n"
                       "\n"
                       "\"The second thing is the key,\" said Ann.\n"
                       "\n"
                       "Ben nodded.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    /* one quotation, a span per paragraph; each span stops at its
     * paragraph's end (no newline inside) */
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "The first thing is the river.");
    assert_span_text(doc, quoth_quote_span(doc, 0, 1), "The second thing is the key,");
    assert_int_equal(quoth_quote_paragraph(doc, 0), 0);
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_unmatched_does_not_swallow(void **state) {
    (void)state;
    const char *text = "\"Wait, Ann called.\n"
                       "\n"
                       "Ben kept walking.\n"
                       "\n"
                       "\"Ben!\" she shouted.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Wait, Ann called.");
    assert_span_text(doc, quoth_quote_span(doc, 1, 0), "Ben!");
    assert_int_equal(quoth_quote_paragraph(doc, 1), 2);
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
}

static void test_mismatched_marks_repaired(void **state) {
    (void)state;
    const char *text = "Ann began again, 'We have gone off track.\"\n\n\"Have we?\" Ben asked.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "We have gone off track.");
    assert_span_text(doc, quoth_quote_span(doc, 1, 0), "Have we?");
    quoth_doc_free(doc);
}

static void test_apostrophes_are_not_marks(void **state) {
    (void)state;
    const char *narration = "The Harlows' dog barked at 'em all night; nobody's cat came home "
                            "till the '90s.\n";
    quoth_doc *doc = parse_upto(narration, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 0);
    quoth_doc_free(doc);

    const char *text = "\"Don't touch 'em,\" said Ann. \"They're the Harlows'.\"\n";
    doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Don't touch 'em,");
    assert_span_text(doc, quoth_quote_span(doc, 0, 1), "They're the Harlows'.");
    quoth_doc_free(doc);
}

static void test_nested_quote(void **state) {
    (void)state;
    const char *text = "\"He said, 'Light them all,' and left,\" said Ann.\n\n"
                       "\"She said, 'Never.'\" Ann shrugged.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_int_equal(quoth_quote_span_count(doc, 0), 1);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "He said, 'Light them all,' and left,");
    assert_span_text(doc, quoth_quote_span(doc, 1, 0), "She said, 'Never.'");
    quoth_doc_free(doc);
}

static void test_paratext_quotes_are_not_story(void **state) {
    (void)state;
    const char *text = "A/N: My beta said \"more dialogue!\" so here it is.\n"
                       "\n"
                       "\"Hello,\" said Ann.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Hello,");
    quoth_doc_free(doc);
}

static void test_crlf_spans(void **state) {
    (void)state;
    const char *text = "\"Go\r\nhome,\" Lex said.\r\n\r\n\"No.\"\r\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_span_text(doc, quoth_quote_span(doc, 0, 0), "Go\r\nhome,");
    assert_span_text(doc, quoth_quote_span(doc, 1, 0), "No.");
    quoth_doc_free(doc);
}

static void test_many_spans_bounded(void **state) {
    (void)state;
    /* one paragraph alternating quote and narration 200 times: every
     * quoted part is covered once, whatever the span limit does */
    size_t cap = 200 * 32;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    for (int i = 0; i < 200; i++) {
        n += (size_t)snprintf(text + n, cap - n, "\"w%d,\" Ann said, ", i);
    }
    n += (size_t)snprintf(text + n, cap - n, "\"end.\"\n");
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_QUOTES);
    size_t spans = 0;
    for (size_t q = 0; q < quoth_doc_quote_count(doc); q++) {
        spans += quoth_quote_span_count(doc, q);
    }
    assert_int_equal(spans, 201);
    assert_quote_invariants(doc);
    quoth_doc_free(doc);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_span),
        cmocka_unit_test(test_interrupted_is_one_quote),
        cmocka_unit_test(test_three_spans),
        cmocka_unit_test(test_curly_marks),
        cmocka_unit_test(test_single_quote_dialogue),
        cmocka_unit_test(test_two_quotes_in_two_paragraphs),
        cmocka_unit_test(test_open_paragraph_continues),
        cmocka_unit_test(test_unmatched_does_not_swallow),
        cmocka_unit_test(test_mismatched_marks_repaired),
        cmocka_unit_test(test_apostrophes_are_not_marks),
        cmocka_unit_test(test_nested_quote),
        cmocka_unit_test(test_paratext_quotes_are_not_story),
        cmocka_unit_test(test_crlf_spans),
        cmocka_unit_test(test_many_spans_bounded),
    };
    return cmocka_run_group_tests_name("quotes", tests, NULL, NULL);
}
