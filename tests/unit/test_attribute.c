/*
 * test_attribute.c — the attribute stage: speaker, addressees, type, rule,
 * confidence and the evidence span of each attribution, read through the
 * public accessors. (tests/spec/attribution.spec covers many more texts
 * through the CLI; these check the evidence the API exposes.)
 *
 * Most tests give quoth a cast, so that each checks one attribution rule
 * rather than how characters are discovered; test_discovered_* run without.
 */
#include "helpers.h"

static const char *cast_text = "Lex Luthor | Lex | Luthor | he\n"
                               "Clark Kent | Clark | the alien | it\n"
                               "Ann Harlow | Ann | she\n"
                               "Ben Marsh | Ben | he\n"
                               "Tom Ashby | Tom | he\n"
                               "Mara Quill | Mara | she\n";

static quoth_cast *the_cast;

static int setup_cast(void **state) {
    (void)state;
    quoth_error err;
    the_cast = quoth_cast_parse(cast_text, strlen(cast_text), &err);
    return the_cast == NULL ? -1 : 0;
}

static int teardown_cast(void **state) {
    (void)state;
    quoth_cast_free(the_cast);
    the_cast = NULL;
    return 0;
}

/* Parses the whole pipeline with the shared cast. */
static quoth_doc *parse_cast(const char *text) {
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.cast = the_cast;
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_doc *doc = quoth_parse(text, strlen(text), &opts, &err);
    if (doc == NULL) {
        fail_msg("quoth_parse returned NULL: %s", err.message);
    }
    return doc;
}

static void assert_attribution(const quoth_doc *doc, size_t q, const char *speaker,
                               quoth_quote_type type, quoth_rule rule) {
    assert_speaker(doc, q, speaker);
    if (quoth_quote_type_of(doc, q) != type) {
        fail_msg("quotation %zu: type %s, wanted %s", q,
                 quoth_type_name(quoth_quote_type_of(doc, q)), quoth_type_name(type));
    }
    if (quoth_quote_rule(doc, q) != rule) {
        fail_msg("quotation %zu: rule %s, wanted %s", q, quoth_rule_name(quoth_quote_rule(doc, q)),
                 quoth_rule_name(rule));
    }
    double c = quoth_quote_confidence(doc, q);
    assert_true(c > 0.0 && c <= 1.0);
}

static void test_tag_after(void **state) {
    (void)state;
    const char *text = "\"Go home,\" Lex said.\n\n\"Go home,\" said Ann.\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_attribution(doc, 0, "Lex", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_of(text, "Lex"));
    assert_attribution(doc, 1, "Ann", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    assert_span_eq(quoth_quote_evidence(doc, 1), span_of(text, "Ann"));
    quoth_doc_free(doc);
}

static void test_tag_before(void **state) {
    (void)state;
    const char *text = "Lex said, \"Go home.\"\n";
    quoth_doc *doc = parse_cast(text);
    assert_attribution(doc, 0, "Lex", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_BEFORE);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_of(text, "Lex"));
    quoth_doc_free(doc);
}

static void test_pronoun_tag(void **state) {
    (void)state;
    const char *text = "Ann looked up from the map.\n\n\"Where are we?\" she asked.\n";
    quoth_doc *doc = parse_cast(text);
    assert_attribution(doc, 0, "Ann", QUOTH_QUOTE_ANAPHORIC, QUOTH_RULE_TAG_AFTER);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_of(text, "she"));
    quoth_doc_free(doc);
}

static void test_it_tag(void **state) {
    (void)state;
    const char *text = "Lex looked at the alien.\n\n\"Why?\" it asked.\n\n\"Because,\" he said.\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_attribution(doc, 0, "the alien", QUOTH_QUOTE_ANAPHORIC, QUOTH_RULE_TAG_AFTER);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_in(text, "it asked", "it"));
    assert_int_equal(quoth_character_gender(doc, character_named(doc, "Clark Kent")),
                     QUOTH_GENDER_NEUTER);
    assert_attribution(doc, 1, "Lex", QUOTH_QUOTE_ANAPHORIC, QUOTH_RULE_TAG_AFTER);
    quoth_doc_free(doc);
}

static void test_beat(void **state) {
    (void)state;
    const char *text = "Tom sighed. \"Fine. Have it your way.\"\n";
    quoth_doc *doc = parse_cast(text);
    assert_attribution(doc, 0, "Tom", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_BEAT);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_of(text, "Tom"));
    quoth_doc_free(doc);
}

static void test_intro(void **state) {
    (void)state;
    const char *text = "Mara turned to face the window and said,\n\n\"I never wanted this.\"\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_speaker(doc, 0, "Mara");
    assert_int_equal(quoth_quote_rule(doc, 0), QUOTH_RULE_INTRO);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_of(text, "Mara"));
    quoth_doc_free(doc);
}

static void test_continuation(void **state) {
    (void)state;
    const char *text = "\"The first thing,\" said Ann, \"is the river.\n\n"
                       "\"The second thing is the key.\"\n";
    quoth_doc *doc = parse_cast(text);
    /* the open paragraph continues: one quotation, three spans, one speaker */
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_int_equal(quoth_quote_span_count(doc, 0), 3);
    assert_attribution(doc, 0, "Ann", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    assert_span_text(doc, quoth_quote_span(doc, 0, 2), "The second thing is the key.");
    quoth_doc_free(doc);
}

static void test_turn_taking(void **state) {
    (void)state;
    const char *text = "\"Are you coming?\" Ann asked.\n\n"
                       "\"No,\" said Ben.\n\n"
                       "\"Why not?\"\n\n"
                       "\"Because it's raining.\"\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 4);
    assert_speaker(doc, 0, "Ann");
    assert_speaker(doc, 1, "Ben");
    assert_attribution(doc, 2, "Ann", QUOTH_QUOTE_IMPLICIT, QUOTH_RULE_TURN_TAKING);
    assert_attribution(doc, 3, "Ben", QUOTH_QUOTE_IMPLICIT, QUOTH_RULE_TURN_TAKING);
    /* addressees in a two-person exchange: the other person */
    assert_int_equal(quoth_quote_addressee_count(doc, 2), 1);
    assert_int_equal(quoth_quote_addressee(doc, 2, 0), character_named(doc, "Ben"));
    assert_int_equal(quoth_quote_addressee_count(doc, 3), 1);
    assert_int_equal(quoth_quote_addressee(doc, 3, 0), character_named(doc, "Ann"));
    quoth_doc_free(doc);
}

static void test_vocative_is_addressee(void **state) {
    (void)state;
    const char *text = "Tom and Mara stood by the river.\n\n\"No, Mara,\" Tom said.\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    assert_attribution(doc, 0, "Tom", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    assert_span_eq(quoth_quote_evidence(doc, 0), span_in(text, "Tom said", "Tom"));
    assert_int_equal(quoth_quote_addressee_count(doc, 0), 1);
    assert_int_equal(quoth_quote_addressee(doc, 0, 0), character_named(doc, "Mara"));
    quoth_doc_free(doc);
}

static void test_quote_counts_per_character(void **state) {
    (void)state;
    const char *text = "\"One,\" said Ann.\n\n\"Two,\" said Ben.\n\n\"Three,\" said Ann.\n";
    quoth_doc *doc = parse_cast(text);
    size_t ann = character_named(doc, "Ann");
    size_t ben = character_named(doc, "Ben");
    assert_int_equal(quoth_character_quote_count(doc, ann), 2);
    assert_int_equal(quoth_character_quote_count(doc, ben), 1);
    /* the quote counts add up to the attributed quotations */
    size_t attributed = 0, total = 0;
    for (size_t q = 0; q < quoth_doc_quote_count(doc); q++) {
        attributed += quoth_quote_speaker(doc, q) != QUOTH_NONE;
    }
    for (size_t c = 0; c < quoth_doc_character_count(doc); c++) {
        total += quoth_character_quote_count(doc, c);
    }
    assert_int_equal(total, attributed);
    quoth_doc_free(doc);
}

static void test_unattributed_has_rule_none(void **state) {
    (void)state;
    /* nobody is named anywhere: no speaker, rule none */
    const char *text = "\"Hello?\"\n";
    quoth_doc *doc = parse_cast(text);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    if (quoth_quote_speaker(doc, 0) == QUOTH_NONE) {
        assert_int_equal(quoth_quote_rule(doc, 0), QUOTH_RULE_NONE);
    } else {
        assert_int_not_equal(quoth_quote_rule(doc, 0), QUOTH_RULE_NONE);
    }
    quoth_doc_free(doc);
}

static void test_every_speaker_in_range(void **state) {
    (void)state;
    const char *text = "Disclaimer: not mine.\n\nChapter 1\n\n"
                       "Lex looked at the alien.\n\n\"Why?\" it asked.\n\n"
                       "\"Because,\" he said. \"Because I could.\"\n\n"
                       "\"That's no answer, Lex.\"\n\n\"It's the only one.\"\n";
    quoth_doc *doc = parse_cast(text);
    size_t nc = quoth_doc_character_count(doc);
    for (size_t q = 0; q < quoth_doc_quote_count(doc); q++) {
        size_t s = quoth_quote_speaker(doc, q);
        assert_true(s == QUOTH_NONE || s < nc);
        for (size_t i = 0; i < quoth_quote_addressee_count(doc, q); i++) {
            size_t a = quoth_quote_addressee(doc, q, i);
            assert_true(a < nc);
            assert_int_not_equal(a, s); /* nobody addresses themselves */
        }
        quoth_span ev = quoth_quote_evidence(doc, q);
        size_t len = 0;
        quoth_doc_text(doc, &len);
        assert_true(ev.start <= ev.end && ev.end <= len);
    }
    quoth_doc_free(doc);
}

/* Without a cast: the characters come from the text. */
static void test_discovered_tag_after(void **state) {
    (void)state;
    const char *text = "\"Go home,\" Lex said.\n\n\"No,\" said Ann.\n";
    quoth_doc *doc = parse_upto(text, 0);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_attribution(doc, 0, "Lex", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    assert_attribution(doc, 1, "Ann", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_AFTER);
    quoth_doc_free(doc);
}

static void test_discovered_sentence_initial_name(void **state) {
    (void)state;
    /* a name seen only at the start of sentences is still a name */
    const char *text = "Ann looked up.\n\n\"Where are we?\" she asked.\n\nBen said, \"Home.\"\n";
    quoth_doc *doc = parse_upto(text, 0);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_attribution(doc, 0, "Ann", QUOTH_QUOTE_ANAPHORIC, QUOTH_RULE_TAG_AFTER);
    assert_attribution(doc, 1, "Ben", QUOTH_QUOTE_EXPLICIT, QUOTH_RULE_TAG_BEFORE);
    quoth_doc_free(doc);
}

static void test_discovered_descriptor(void **state) {
    (void)state;
    const char *text = "\"We come in peace,\" the alien said.\n";
    quoth_doc *doc = parse_upto(text, 0);
    assert_int_equal(quoth_doc_quote_count(doc), 1);
    size_t alien = quoth_quote_speaker(doc, 0);
    assert_int_not_equal(alien, QUOTH_NONE);
    assert_string_equal(quoth_character_name(doc, alien), "the alien");
    assert_int_equal(quoth_quote_type_of(doc, 0), QUOTH_QUOTE_EXPLICIT);
    quoth_doc_free(doc);
}

/* The ranker reads its weights by feature name; an unknown name is an
 * argument error with the line, not a silent zero. */
static void test_ranker_weights_errors(void **state) {
    (void)state;
    const char *text = "\"Hi,\" said Ann.\n";
    quoth_options o;
    memset(&o, 0, sizeof o);
    o.ranker_weights = "# a comment\nprev2 1.5\nno_such_feature 2\n";
    quoth_error err;
    assert_null(quoth_parse(text, strlen(text), &o, &err));
    assert_int_equal(err.status, QUOTH_ERR_ARGUMENT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "no_such_feature"));
    o.ranker_weights = "prev2\n";
    assert_null(quoth_parse(text, strlen(text), &o, &err));
    assert_int_equal(err.line, 1);
    /* a feature in a situation: known situations only */
    o.ranker_weights = "prev2@after_narration 0.5\nrecency@pronoun_tag -1\n";
    quoth_doc *doc = quoth_parse(text, strlen(text), &o, &err);
    assert_non_null(doc);
    quoth_doc_free(doc);
    o.ranker_weights = "prev2@nowhere 0.5\n";
    assert_null(quoth_parse(text, strlen(text), &o, &err));
    assert_non_null(strstr(err.message, "prev2@nowhere"));
    o.ranker_weights = "prev@after_narration 0.5\n";
    assert_null(quoth_parse(text, strlen(text), &o, &err));
}

/* The weights decide: the same untagged answer goes to the one addressed
 * before with the built-in model, and to the previous speaker with a model
 * that only rewards a speaker going on; the feature table has one row per
 * candidate and exactly one chosen row per ranked quotation. */
static void test_ranker_weights_decide(void **state) {
    (void)state;
    const char *text = "\"Ann,\" said Ben, \"are you there?\"\n\n\"Yes.\"\n";
    quoth_options o;
    memset(&o, 0, sizeof o);
    o.flags = QUOTH_OPT_FEATURES;
    quoth_error err;
    quoth_doc *doc = quoth_parse(text, strlen(text), &o, &err);
    assert_non_null(doc);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_string_equal(quoth_character_name(doc, quoth_quote_speaker(doc, 1)), "Ann");
    size_t flen;
    const char *table = quoth_doc_features(doc, &flen);
    assert_true(flen > 0);
    const char *head = "quote\tstart\tend\tchosen\tname\taliases\t";
    assert_true(strncmp(table, head, strlen(head)) == 0);
    assert_non_null(strstr(table, "\taddressed_in_prev\t"));
    size_t rows = 0, chosen = 0;
    for (const char *p = strchr(table, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
        rows++;
        const char *t = strchr(p, '\t');
        t = strchr(t + 1, '\t');
        t = strchr(t + 1, '\t');
        chosen += t[1] == '1';
    }
    assert_true(rows >= 2); /* Ann and Ben */
    assert_int_equal(chosen, 1);
    quoth_doc_free(doc);

    o.flags = 0;
    o.ranker_weights = "prev1_next_paragraph 5\n";
    doc = quoth_parse(text, strlen(text), &o, &err);
    assert_non_null(doc);
    assert_string_equal(quoth_character_name(doc, quoth_quote_speaker(doc, 1)), "Ben");
    assert_int_equal(quoth_quote_rule(doc, 1), QUOTH_RULE_RANKER); /* the rules said Ann */
    double c = quoth_quote_confidence(doc, 1);
    assert_true(c > 0.5 && c <= 1.0);
    assert_int_equal(quoth_doc_features(doc, NULL)[0], '\0'); /* not asked for */
    quoth_doc_free(doc);
}

/* A tag naming a cast entry by its main name ("said the Cat" for "The
 * Cat | Cheshire Cat", whose name is not among its aliases) settles the
 * quotation: the ranker does not re-decide it, so it keeps the tag's
 * confidence. */
static void test_cast_name_tag_is_settled(void **state) {
    (void)state;
    const char *text = "Alice walked on.\n\n\"Where am I?\" asked Alice.\n\n\"Nowhere,\" said the Cat.\n";
    quoth_cast *cast;
    quoth_doc *doc = parse_with_cast(text, "Alice | she\nThe Cat | Cheshire Cat\n", QUOTH_STAGE_ATTRIBUTE, &cast);
    assert_int_equal(quoth_doc_quote_count(doc), 2);
    assert_string_equal(quoth_character_name(doc, quoth_quote_speaker(doc, 1)), "The Cat");
    assert_int_equal(quoth_quote_rule(doc, 1), QUOTH_RULE_TAG_AFTER);
    assert_true(quoth_quote_confidence(doc, 1) >= 0.9);
    quoth_doc_free(doc);
    quoth_cast_free(cast);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cast_name_tag_is_settled),
        cmocka_unit_test(test_tag_after),
        cmocka_unit_test(test_tag_before),
        cmocka_unit_test(test_pronoun_tag),
        cmocka_unit_test(test_it_tag),
        cmocka_unit_test(test_beat),
        cmocka_unit_test(test_intro),
        cmocka_unit_test(test_continuation),
        cmocka_unit_test(test_turn_taking),
        cmocka_unit_test(test_vocative_is_addressee),
        cmocka_unit_test(test_quote_counts_per_character),
        cmocka_unit_test(test_unattributed_has_rule_none),
        cmocka_unit_test(test_every_speaker_in_range),
        cmocka_unit_test(test_discovered_tag_after),
        cmocka_unit_test(test_discovered_sentence_initial_name),
        cmocka_unit_test(test_discovered_descriptor),
        cmocka_unit_test(test_ranker_weights_errors),
        cmocka_unit_test(test_ranker_weights_decide),
    };
    return cmocka_run_group_tests_name("attribute", tests, setup_cast, teardown_cast);
}
