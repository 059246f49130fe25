/*
 * test_mentions.c — the mentions stage (stop_after = MENTIONS): names,
 * pronouns, descriptors and vocatives, their exact spans, and whether they
 * lie in narration or inside a quotation.
 */
#include "helpers.h"

/* The index of the mention with exactly this span, or QUOTH_NONE. */
static size_t mention_at(const quoth_doc *doc, quoth_span want) {
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span s = quoth_mention_span(doc, m);
        if (s.start == want.start && s.end == want.end) {
            return m;
        }
    }
    return QUOTH_NONE;
}

/* The index of a mention whose span covers `inner` (for descriptors, whose
 * span may or may not include the article), or QUOTH_NONE. */
static size_t mention_covering(const quoth_doc *doc, quoth_span inner) {
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span s = quoth_mention_span(doc, m);
        if (s.start <= inner.start && inner.end <= s.end) {
            return m;
        }
    }
    return QUOTH_NONE;
}

static void dump_mentions(const quoth_doc *doc) {
    size_t len = 0;
    const char *text = quoth_doc_text(doc, &len);
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span s = quoth_mention_span(doc, m);
        size_t q = quoth_mention_quote(doc, m);
        print_message("  mention %zu: kind %d [%zu,%zu) \"%.*s\" quote %ld\n", m,
                      (int)quoth_mention_kind_of(doc, m), s.start, s.end, (int)(s.end - s.start),
                      text + s.start, q == QUOTH_NONE ? -1L : (long)q);
    }
}

#define assert_mention(doc, span, kind, in_quote)                                                  \
    do {                                                                                           \
        size_t m_ = mention_at((doc), (span));                                                     \
        if (m_ == QUOTH_NONE) {                                                                    \
            dump_mentions(doc);                                                                    \
            fail_msg("no mention at [%zu,%zu)", (span).start, (span).end);                         \
        }                                                                                          \
        assert_int_equal(quoth_mention_kind_of((doc), m_), (kind));                                \
        assert_int_equal(quoth_mention_quote((doc), m_), (in_quote));                              \
    } while (0)

static void assert_mentions_ordered(const quoth_doc *doc) {
    size_t len = 0;
    quoth_doc_text(doc, &len);
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span s = quoth_mention_span(doc, m);
        assert_true(s.start < s.end);
        assert_true(s.end <= len);
        if (m > 0) {
            assert_true(quoth_mention_span(doc, m - 1).start <= s.start);
        }
    }
}

static void test_names_pronouns_vocatives(void **state) {
    (void)state;
    const char *text = "Lex looked at Clark.\n\n\"Clark, listen to me,\" he said.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    assert_mention(doc, span_of_nth(text, "Clark", 0), QUOTH_MENTION_NAME, QUOTH_NONE);
    assert_mention(doc, span_of_nth(text, "Clark", 1), QUOTH_MENTION_VOCATIVE, 0);
    assert_mention(doc, span_in(text, "he said", "he"), QUOTH_MENTION_PRONOUN, QUOTH_NONE);
    /* a name seen only at the start of a sentence is still a name */
    assert_mention(doc, span_of_nth(text, "Lex", 0), QUOTH_MENTION_NAME, QUOTH_NONE);
    assert_mentions_ordered(doc);
    quoth_doc_free(doc);
}

static void test_descriptor(void **state) {
    (void)state;
    const char *text = "The alien sighed and looked at the old man.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    size_t m = mention_covering(doc, span_of(text, "alien"));
    if (m == QUOTH_NONE) {
        dump_mentions(doc);
        fail_msg("no mention covers \"alien\"");
    }
    assert_int_equal(quoth_mention_kind_of(doc, m), QUOTH_MENTION_DESCRIPTOR);
    m = mention_covering(doc, span_of(text, "old man"));
    if (m == QUOTH_NONE) {
        dump_mentions(doc);
        fail_msg("no mention covers \"old man\"");
    }
    assert_int_equal(quoth_mention_kind_of(doc, m), QUOTH_MENTION_DESCRIPTOR);
    assert_mentions_ordered(doc);
    quoth_doc_free(doc);
}

static void test_it_pronoun(void **state) {
    (void)state;
    const char *text = "It crossed its arms.\n\n\"We've got time,\" it said.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    assert_mention(doc, span_of(text, "It"), QUOTH_MENTION_PRONOUN, QUOTH_NONE);
    assert_mention(doc, span_in(text, "it said", "it"), QUOTH_MENTION_PRONOUN, QUOTH_NONE);
    quoth_doc_free(doc);
}

static void test_titled_name(void **state) {
    (void)state;
    const char *text = "\"Indeed,\" said Mr. Bennet.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    size_t m = mention_covering(doc, span_of(text, "Bennet"));
    if (m == QUOTH_NONE) {
        dump_mentions(doc);
        fail_msg("no mention covers \"Bennet\"");
    }
    assert_int_equal(quoth_mention_kind_of(doc, m), QUOTH_MENTION_NAME);
    /* the title belongs to the name */
    assert_int_equal(quoth_mention_span(doc, m).start, offset_of(text, "Mr. Bennet"));
    assert_int_equal(quoth_mention_span(doc, m).end, offset_of(text, "Bennet") + 6);
    quoth_doc_free(doc);
}

static void test_sentence_initial_words_are_not_names(void **state) {
    (void)state;
    const char *text = "Suddenly the door opened. Nobody came in. Then Ann laughed.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        if (quoth_mention_kind_of(doc, m) != QUOTH_MENTION_NAME) {
            continue;
        }
        quoth_span s = quoth_mention_span(doc, m);
        assert_span_text(doc, s, "Ann");
    }
    assert_mention(doc, span_of(text, "Ann"), QUOTH_MENTION_NAME, QUOTH_NONE);
    quoth_doc_free(doc);
}

static void test_mentions_in_quote_know_their_quote(void **state) {
    (void)state;
    const char *text = "\"Go,\" said Ann.\n\n\"I saw Ben yesterday,\" said Carl.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    size_t m = mention_at(doc, span_of(text, "Ben"));
    if (m == QUOTH_NONE) {
        dump_mentions(doc);
        fail_msg("no mention of Ben");
    }
    assert_int_equal(quoth_mention_quote(doc, m), 1);
    /* a name inside a quotation that is not addressed is not a vocative */
    assert_int_equal(quoth_mention_kind_of(doc, m), QUOTH_MENTION_NAME);
    assert_mention(doc, span_of(text, "Carl"), QUOTH_MENTION_NAME, QUOTH_NONE);
    quoth_doc_free(doc);
}

/* Tokens of 255 bytes or more keep their exact end (tokens store a length
 * in 8 bits and look longer ones up): a 300-letter name mentioned three
 * times, once possessive, and a 400-byte word of two-byte letters. */
static void test_long_tokens(void **state) {
    (void)state;
    char name[301];
    name[0] = 'B';
    memset(name + 1, 'o', 299);
    name[300] = '\0';
    char wide[401];
    for (size_t i = 0; i < 400; i += 2)
        memcpy(wide + i, "\xc3\xa9", 2); /* é */
    wide[400] = '\0';
    char text[2048];
    snprintf(text, sizeof text, "Ann met %s at noon, and %s's dog barked.\n\n\"%s!\" said %s.\n", name, name, wide,
             name);
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    for (int k = 0; k < 3; k++) {
        quoth_span want = span_of_nth(text, name, k);
        size_t m = mention_at(doc, want);
        if (m == QUOTH_NONE) {
            dump_mentions(doc);
            fail_msg("no mention at [%zu,%zu) (occurrence %d of the long name)", want.start, want.end, k);
        }
        assert_int_equal(quoth_mention_kind_of(doc, m), QUOTH_MENTION_NAME);
    }
    assert_mentions_ordered(doc);
    quoth_doc_free(doc);
    /* and the whole pipeline attributes the quotation of the long word */
    doc = parse_upto(text, QUOTH_STAGE_ATTRIBUTE);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_speaker(doc, 0, name);
    quoth_doc_free(doc);
}

/* Tokens 64 KB or more past the first token of their block of 256 keep
 * their start in a side table (internal.h): the mentions after a long gap
 * must still sit on their words. */
static void test_far_tokens(void **state) {
    (void)state;
    const char *head = "Ann met Bob at noon. ";
    const char *tail = "\"Hello, Bob,\" said Ann. Bob nodded, and Ann smiled at Bob.\n";
    size_t gap = 70000, hl = strlen(head), tl = strlen(tail);
    char *text = malloc(hl + gap + tl + 1);
    assert_non_null(text);
    memcpy(text, head, hl);
    memset(text + hl, ' ', gap);
    memcpy(text + hl + gap, tail, tl + 1);
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_MENTIONS);
    for (int k = 0; k < 4; k++) { /* Bob: once before the gap, three times after */
        quoth_span want = span_of_nth(text, "Bob", k);
        size_t m = mention_at(doc, want);
        if (m == QUOTH_NONE) {
            dump_mentions(doc);
            fail_msg("no mention at [%zu,%zu) (occurrence %d of Bob)", want.start, want.end, k);
        }
    }
    assert_mentions_ordered(doc);
    quoth_doc_free(doc);
    doc = parse_upto(text, QUOTH_STAGE_ATTRIBUTE);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_speaker(doc, 0, "Ann");
    quoth_doc_free(doc);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_pronouns_vocatives),
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_it_pronoun),
        cmocka_unit_test(test_titled_name),
        cmocka_unit_test(test_sentence_initial_words_are_not_names),
        cmocka_unit_test(test_mentions_in_quote_know_their_quote),
        cmocka_unit_test(test_long_tokens),
        cmocka_unit_test(test_far_tokens),
    };
    return cmocka_run_group_tests_name("mentions", tests, NULL, NULL);
}
