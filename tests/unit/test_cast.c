/*
 * test_cast.c — cast files (quoth_cast_parse: good input, comments, CRLF,
 * bad input with its line number) and the cast stage (stop_after = CAST):
 * characters from a cast, characters discovered from the text, and
 * mentions linked to them.
 */
#include "helpers.h"

static quoth_cast *cast_ok(const char *data) {
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_cast *cast = quoth_cast_parse(data, strlen(data), &err);
    if (cast == NULL) {
        fail_msg("cast rejected at line %zu: %s", err.line, err.message);
    }
    return cast;
}

/* Parses bad cast data; asserts failure, status and line of the error. */
static void cast_bad(const char *data, size_t len, size_t line) {
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_cast *cast = quoth_cast_parse(data, len, &err);
    if (cast != NULL) {
        quoth_cast_free(cast);
        fail_msg("cast accepted, should be rejected:\n%.*s", (int)len, data);
    }
    assert_true(err.status == QUOTH_ERR_CAST || err.status == QUOTH_ERR_LIMIT);
    assert_true(strlen(err.message) > 0);
    if (err.line != line) {
        fail_msg("error reported at line %zu, wanted line %zu (%s)", err.line, line, err.message);
    }
}

static void test_parse_good(void **state) {
    (void)state;
    quoth_cast *cast = cast_ok("Clark Kent | Clark | Kal-El | Superman | the alien | it\n"
                               "Lex Luthor | Lex | Luthor | he\n");
    assert_int_equal(quoth_cast_count(cast), 2);
    quoth_cast_free(cast);
}

static void test_parse_comments_blank_crlf_no_final_newline(void **state) {
    (void)state;
    quoth_cast *cast = cast_ok("# the people of the story\r\n"
                               "\r\n"
                               "   \r\n"
                               "Ann Harlow | Ann | she\r\n"
                               "# Ben is the brother\r\n"
                               "Ben Harlow|Ben|he");
    assert_int_equal(quoth_cast_count(cast), 2);
    quoth_cast_free(cast);
}

static void test_parse_name_only(void **state) {
    (void)state;
    quoth_cast *cast = cast_ok("Ann\nBen\n");
    assert_int_equal(quoth_cast_count(cast), 2);
    quoth_cast_free(cast);
}

static void test_parse_empty(void **state) {
    (void)state;
    quoth_error err;
    memset(&err, 0, sizeof err);
    /* an empty cast file (or only comments) is either an empty cast or an
     * error that says so; never a crash */
    quoth_cast *cast = quoth_cast_parse("# nobody\n", 9, &err);
    if (cast != NULL) {
        assert_int_equal(quoth_cast_count(cast), 0);
        quoth_cast_free(cast);
    } else {
        assert_true(strlen(err.message) > 0);
    }
}

static void test_parse_bad_empty_main_name(void **state) {
    (void)state;
    const char *data = "# cast\n\n | Clark | he\n";
    cast_bad(data, strlen(data), 3);
    const char *data2 = "Ann | she\nBen | he\n|||\n";
    cast_bad(data2, strlen(data2), 3);
}

static void test_parse_bad_too_many_aliases(void **state) {
    (void)state;
    /* more aliases on one line than src/limits.h allows (64) */
    char data[4096];
    size_t n = (size_t)snprintf(data, sizeof data, "Ann | she\nBen");
    for (int i = 0; i < 100; i++) {
        n += (size_t)snprintf(data + n, sizeof data - n, " | alias%d", i);
    }
    n += (size_t)snprintf(data + n, sizeof data - n, "\n");
    cast_bad(data, n, 2);
}

static void test_parse_bad_null(void **state) {
    (void)state;
    quoth_error err;
    memset(&err, 0, sizeof err);
    assert_null(quoth_cast_parse(NULL, 10, &err));
    assert_int_equal(err.status, QUOTH_ERR_ARGUMENT);
    assert_null(quoth_cast_parse(NULL, 10, NULL));
}

static void test_characters_from_cast(void **state) {
    (void)state;
    const char *text = "The alien looked at Lex.\n\n\"Why?\" it asked.\n";
    quoth_cast *cast = NULL;
    quoth_doc *doc = parse_with_cast(text,
                                     "Clark Kent | Clark | Kal-El | the alien | it\n"
                                     "Lex Luthor | Lex | Luthor | he\n",
                                     QUOTH_STAGE_CAST, &cast);
    assert_int_equal(quoth_doc_character_count(doc), 2);
    size_t clark = character_named(doc, "Clark Kent");
    size_t lex = character_named(doc, "Lex Luthor");
    assert_int_not_equal(clark, QUOTH_NONE);
    assert_int_not_equal(lex, QUOTH_NONE);
    assert_string_equal(quoth_character_name(doc, clark), "Clark Kent");
    assert_int_equal(character_named(doc, "Kal-El"), clark);
    assert_int_equal(character_named(doc, "the alien"), clark);
    assert_int_equal(character_named(doc, "Lex"), lex);
    assert_int_equal(quoth_character_gender(doc, clark), QUOTH_GENDER_NEUTER);
    assert_int_equal(quoth_character_gender(doc, lex), QUOTH_GENDER_MALE);
    /* ids are short, stable and distinct */
    assert_true(strlen(quoth_character_id(doc, clark)) > 0);
    assert_string_not_equal(quoth_character_id(doc, clark), quoth_character_id(doc, lex));

    /* mentions link to the cast's characters */
    int linked_lex = 0, linked_alien = 0;
    for (size_t m = 0; m < quoth_doc_mention_count(doc); m++) {
        quoth_span s = quoth_mention_span(doc, m);
        size_t ch = quoth_mention_character(doc, m);
        if (s.start == offset_of(text, "Lex") && s.end == s.start + 3) {
            assert_int_equal(ch, lex);
            linked_lex = 1;
        }
        if (s.start <= offset_of(text, "alien") && s.end >= offset_of(text, "alien") + 5) {
            assert_int_equal(ch, clark);
            linked_alien = 1;
        }
    }
    assert_true(linked_lex);
    assert_true(linked_alien);
    quoth_doc_free(doc);
    quoth_cast_free(cast);
}

/* One cast serves several documents, and outlives none of them. */
static void test_cast_shared_by_documents(void **state) {
    (void)state;
    quoth_cast *cast = cast_ok("Ann Harlow | Ann | she\nBen Marsh | Ben | he\n");
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.cast = cast;
    const char *a = "\"Go,\" said Ann.\n";
    const char *b = "\"Stay,\" said Ben.\n";
    quoth_doc *da = quoth_parse(a, strlen(a), &opts, NULL);
    quoth_doc *db = quoth_parse(b, strlen(b), &opts, NULL);
    assert_non_null(da);
    assert_non_null(db);
    assert_speaker(da, 0, "Ann Harlow");
    assert_speaker(db, 0, "Ben Marsh");
    quoth_doc_free(da);
    assert_speaker(db, 0, "Ben Marsh");
    quoth_doc_free(db);
    quoth_cast_free(cast);
}

static void test_discovered_characters(void **state) {
    (void)state;
    const char *text = "Lex Luthor leaned against the wall.\n\n"
                       "\"Go home,\" Lex said.\n\n"
                       "\"No,\" said Ann. \"Not until you tell me, Luthor.\"\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_CAST);
    size_t lex = character_named(doc, "Lex Luthor");
    assert_int_not_equal(lex, QUOTH_NONE);
    /* the short forms are aliases of the one character, not new ones */
    assert_int_equal(character_named(doc, "Lex"), lex);
    assert_int_equal(character_named(doc, "Luthor"), lex);
    size_t ann = character_named(doc, "Ann");
    assert_int_not_equal(ann, QUOTH_NONE);
    assert_int_not_equal(ann, lex);
    assert_int_equal(quoth_doc_character_count(doc), 2);
    quoth_doc_free(doc);
}

static void test_discovered_gender_from_pronouns(void **state) {
    (void)state;
    const char *text = "Ann put down her pen. She looked tired.\n\n"
                       "Ben shrugged his shoulders. He was not.\n\n"
                       "\"Well?\" said Ann.\n\n\"Well,\" said Ben.\n";
    quoth_doc *doc = parse_upto(text, QUOTH_STAGE_CAST);
    size_t ann = character_named(doc, "Ann");
    size_t ben = character_named(doc, "Ben");
    assert_int_not_equal(ann, QUOTH_NONE);
    assert_int_not_equal(ben, QUOTH_NONE);
    assert_int_equal(quoth_character_gender(doc, ann), QUOTH_GENDER_FEMALE);
    assert_int_equal(quoth_character_gender(doc, ben), QUOTH_GENDER_MALE);
    quoth_doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_comments_blank_crlf_no_final_newline),
        cmocka_unit_test(test_parse_name_only),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_bad_empty_main_name),
        cmocka_unit_test(test_parse_bad_too_many_aliases),
        cmocka_unit_test(test_parse_bad_null),
        cmocka_unit_test(test_characters_from_cast),
        cmocka_unit_test(test_cast_shared_by_documents),
        cmocka_unit_test(test_discovered_characters),
        cmocka_unit_test(test_discovered_gender_from_pronouns),
    };
    return cmocka_run_group_tests_name("cast", tests, NULL, NULL);
}
