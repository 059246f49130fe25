/*
 * test_segment.c — the segment stage alone (stop_after = SEGMENT): sections,
 * paragraphs, paratext, headings and scene breaks, CRLF, a BOM, hard-wrapped
 * lines. Offsets are checked exactly.
 */
#include "helpers.h"

/* Sections partition the paragraphs, in order, and every paragraph knows
 * its section. Checked for every document these tests build. */
static void assert_sections_partition(const quoth_doc *doc) {
    size_t ns = quoth_doc_section_count(doc);
    size_t np = quoth_doc_paragraph_count(doc);
    size_t next = 0;
    for (size_t s = 0; s < ns; s++) {
        size_t first = quoth_section_first_paragraph(doc, s);
        size_t count = quoth_section_paragraph_count(doc, s);
        assert_int_equal(first, next);
        for (size_t p = first; p < first + count; p++) {
            assert_int_equal(quoth_paragraph_section(doc, p), s);
        }
        next = first + count;
    }
    assert_int_equal(next, np);
    /* paragraphs are in order and do not overlap */
    size_t len = 0;
    quoth_doc_text(doc, &len);
    for (size_t p = 0; p < np; p++) {
        quoth_span sp = quoth_paragraph_span(doc, p);
        assert_true(sp.start < sp.end);
        assert_true(sp.end <= len);
        if (p > 0) {
            assert_true(quoth_paragraph_span(doc, p - 1).end <= sp.start);
        }
    }
}

static void test_paratext_and_heading(void **state) {
    (void)state;
    const char *text = "Disclaimer: I own nothing but the plot.\n"
                       "\n"
                       "A/N: My first story here. Thanks to my beta!\n"
                       "\n"
                       "Enjoy, and please review.\n"
                       "\n"
                       "Chapter 1\n"
                       "\n"
                       "The rain had stopped by the time Ann reached the bridge.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 5);
    assert_int_equal(quoth_paragraph_kind(doc, 0), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_paragraph_kind(doc, 1), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_paragraph_kind(doc, 2), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_paragraph_kind(doc, 3), QUOTH_PARA_HEADING);
    assert_int_equal(quoth_paragraph_kind(doc, 4), QUOTH_PARA_STORY);
    assert_span_text(doc, quoth_paragraph_span(doc, 0), "Disclaimer: I own nothing but the plot.");
    assert_span_text(doc, quoth_paragraph_span(doc, 2), "Enjoy, and please review.");
    assert_span_text(doc, quoth_paragraph_span(doc, 3), "Chapter 1");
    assert_span_text(doc, quoth_paragraph_span(doc, 4),
                     "The rain had stopped by the time Ann reached the bridge.");

    assert_int_equal(quoth_doc_section_count(doc), 2);
    assert_int_equal(quoth_section_kind_of(doc, 0), QUOTH_SECTION_START);
    assert_int_equal(quoth_section_kind_of(doc, 1), QUOTH_SECTION_HEADING);
    assert_string_equal(quoth_section_title(doc, 0), "");
    quoth_span none = quoth_section_heading(doc, 0);
    assert_int_equal(none.start, 0);
    assert_int_equal(none.end, 0);
    assert_string_equal(quoth_section_title(doc, 1), "Chapter 1");
    assert_span_eq(quoth_section_heading(doc, 1), span_of(text, "Chapter 1"));
    assert_int_equal(quoth_section_paragraph_count(doc, 0), 3);
    assert_sections_partition(doc);
    /* stopped after segment: no later stage ran */
    assert_int_equal(quoth_doc_quote_count(doc), 0);
    assert_int_equal(quoth_doc_mention_count(doc), 0);
    assert_int_equal(quoth_doc_character_count(doc), 0);
    quoth_doc_free(doc);
}

static void test_headings_and_breaks(void **state) {
    (void)state;
    const char *text = "Part I\n"
                       "\n"
                       "\"Hello,\" said Ann.\n"
                       "\n"
                       "* * *\n"
                       "\n"
                       "Later, Ben came home.\n"
                       "\n"
                       "Chapter 2\n"
                       "\n"
                       "Ben slept until noon.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 6);
    const quoth_para_kind kinds[] = {QUOTH_PARA_HEADING, QUOTH_PARA_STORY,   QUOTH_PARA_HEADING,
                                     QUOTH_PARA_STORY,   QUOTH_PARA_HEADING, QUOTH_PARA_STORY};
    for (size_t p = 0; p < 6; p++) {
        assert_int_equal(quoth_paragraph_kind(doc, p), kinds[p]);
    }
    /* no empty start section before a heading on the first line */
    assert_int_equal(quoth_doc_section_count(doc), 3);
    assert_int_equal(quoth_section_kind_of(doc, 0), QUOTH_SECTION_HEADING);
    assert_string_equal(quoth_section_title(doc, 0), "Part I");
    assert_int_equal(quoth_section_kind_of(doc, 1), QUOTH_SECTION_BREAK);
    assert_int_equal(quoth_section_kind_of(doc, 2), QUOTH_SECTION_HEADING);
    assert_string_equal(quoth_section_title(doc, 2), "Chapter 2");
    assert_span_eq(quoth_section_heading(doc, 2), span_of(text, "Chapter 2"));
    /* each heading paragraph opens its own section */
    assert_int_equal(quoth_paragraph_section(doc, 0), 0);
    assert_int_equal(quoth_paragraph_section(doc, 2), 1);
    assert_int_equal(quoth_paragraph_section(doc, 4), 2);
    assert_int_equal(quoth_paragraph_section(doc, 5), 2);
    assert_sections_partition(doc);
    quoth_doc_free(doc);
}

static void test_prose_is_not_a_heading(void **state) {
    (void)state;
    const char *text = "Chapter 1\n"
                       "\n"
                       "Part of me wanted to stay.\n"
                       "\n"
                       "Chapter and verse, Ann could quote them all.\n"
                       "\n"
                       "\"Chapter 2,\" she read aloud.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 4);
    assert_int_equal(quoth_paragraph_kind(doc, 0), QUOTH_PARA_HEADING);
    assert_int_equal(quoth_paragraph_kind(doc, 1), QUOTH_PARA_STORY);
    assert_int_equal(quoth_paragraph_kind(doc, 2), QUOTH_PARA_STORY);
    assert_int_equal(quoth_paragraph_kind(doc, 3), QUOTH_PARA_STORY);
    assert_int_equal(quoth_doc_section_count(doc), 1);
    assert_sections_partition(doc);
    quoth_doc_free(doc);
}

static void test_crlf(void **state) {
    (void)state;
    const char *text = "Chapter 1\r\n\r\nAnn left.\r\n\r\nBen stayed\r\nat home.\r\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 3);
    assert_int_equal(quoth_paragraph_kind(doc, 0), QUOTH_PARA_HEADING);
    assert_span_text(doc, quoth_paragraph_span(doc, 0), "Chapter 1");
    assert_string_equal(quoth_section_title(doc, 0), "Chapter 1");
    assert_span_text(doc, quoth_paragraph_span(doc, 1), "Ann left.");
    assert_span_text(doc, quoth_paragraph_span(doc, 2), "Ben stayed\r\nat home.");
    assert_int_equal(quoth_paragraph_span(doc, 1).start, 13);
    assert_sections_partition(doc);
    quoth_doc_free(doc);
}

static void test_bom(void **state) {
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "Chapter 1\n\nAnn left.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 2);
    /* the BOM is not part of the heading, and offsets still count it */
    assert_int_equal(quoth_paragraph_span(doc, 0).start, 3);
    assert_span_text(doc, quoth_paragraph_span(doc, 0), "Chapter 1");
    assert_int_equal(quoth_paragraph_kind(doc, 0), QUOTH_PARA_HEADING);
    assert_string_equal(quoth_section_title(doc, 0), "Chapter 1");
    assert_span_text(doc, quoth_paragraph_span(doc, 1), "Ann left.");
    assert_int_equal(quoth_paragraph_span(doc, 1).start, 14);
    quoth_doc_free(doc);
}

static void test_hard_wrapped(void **state) {
    (void)state;
    const char *text = "The rain had stopped by the time Ann\n"
                       "reached the bridge, and the river was\n"
                       "loud beneath it.\n"
                       "\n"
                       "Ben was waiting on the other side.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 2);
    assert_span_text(doc, quoth_paragraph_span(doc, 0),
                     "The rain had stopped by the time Ann\n"
                     "reached the bridge, and the river was\n"
                     "loud beneath it.");
    assert_span_text(doc, quoth_paragraph_span(doc, 1), "Ben was waiting on the other side.");
    quoth_doc_free(doc);
}

static void test_blank_lines_with_spaces(void **state) {
    (void)state;
    const char *text = "\n\n\nAnn left.\n \t \nBen stayed.\n\n\n\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 2);
    assert_span_text(doc, quoth_paragraph_span(doc, 0), "Ann left.");
    assert_int_equal(quoth_paragraph_span(doc, 0).start, 3);
    assert_span_text(doc, quoth_paragraph_span(doc, 1), "Ben stayed.");
    quoth_doc_free(doc);
}

static void test_no_final_newline(void **state) {
    (void)state;
    const char *text = "Ann left.\n\nBen stayed.";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 2);
    assert_span_text(doc, quoth_paragraph_span(doc, 1), "Ben stayed.");
    assert_int_equal(quoth_paragraph_span(doc, 1).end, strlen(text));
    quoth_doc_free(doc);
}

static void test_one_paragraph_a_line(void **state) {
    (void)state;
    /* fan fiction often has no blank lines: each long line is a paragraph */
    const char *text =
        "The rain had stopped by the time Ann reached the bridge, and the river below it was "
        "louder than she remembered it being.\n"
        "Ben was waiting on the other side with his collar turned up and his hands in his "
        "pockets, pretending not to be cold.\n"
        "\"You came,\" he said, and for a while neither of them could think of anything else "
        "to say.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 3);
    assert_int_equal(quoth_paragraph_span(doc, 1).start, offset_of(text, "Ben was"));
    assert_int_equal(quoth_paragraph_span(doc, 2).start, offset_of(text, "\"You came"));
    quoth_doc_free(doc);
}

static void test_paratext_at_end_and_between(void **state) {
    (void)state;
    const char *text = "Chapter 1\n"
                       "\n"
                       "Ann left.\n"
                       "\n"
                       "A/N: Sorry this one is short! The next chapter is longer.\n"
                       "\n"
                       "Chapter 2\n"
                       "\n"
                       "Ben stayed.\n"
                       "\n"
                       "Author's Note: Thanks for reading! Please review.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_paragraph_count(doc), 6);
    assert_int_equal(quoth_paragraph_kind(doc, 1), QUOTH_PARA_STORY);
    assert_int_equal(quoth_paragraph_kind(doc, 2), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_paragraph_kind(doc, 3), QUOTH_PARA_HEADING);
    assert_int_equal(quoth_paragraph_kind(doc, 4), QUOTH_PARA_STORY);
    assert_int_equal(quoth_paragraph_kind(doc, 5), QUOTH_PARA_PARATEXT);
    assert_int_equal(quoth_doc_section_count(doc), 2);
    assert_sections_partition(doc);
    quoth_doc_free(doc);
}

static void test_many_headings(void **state) {
    (void)state;
    /* 200 chapters: sections stay in order and partition the paragraphs */
    size_t cap = 200 * 40;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    for (int i = 1; i <= 200; i++) {
        n += (size_t)snprintf(text + n, cap - n, "Chapter %d\n\nAnn waited.\n\n", i);
    }
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_SEGMENT);
    assert_int_equal(quoth_doc_section_count(doc), 200);
    assert_int_equal(quoth_doc_paragraph_count(doc), 400);
    assert_string_equal(quoth_section_title(doc, 199), "Chapter 200");
    assert_sections_partition(doc);
    quoth_doc_free(doc);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paratext_and_heading),
        cmocka_unit_test(test_headings_and_breaks),
        cmocka_unit_test(test_prose_is_not_a_heading),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_hard_wrapped),
        cmocka_unit_test(test_blank_lines_with_spaces),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_one_paragraph_a_line),
        cmocka_unit_test(test_paratext_at_end_and_between),
        cmocka_unit_test(test_many_headings),
    };
    return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
