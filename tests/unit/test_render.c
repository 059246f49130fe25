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

static void test_json_escaping(void **state) {
    (void)state;
    /* backslashes, tabs, control bytes, a NUL, invalid UTF-8, a lone
     * surrogate encoding and U+2028 inside quotations and names */
    const char text[] = "\"Back\\slash\t\x01\x1f and \x7f,\" said Ann.\n\n"
                        "\"Bad \xff\xc3 bytes \xed\xa0\x80 and \xe2\x80\xa8 sep\",\" said Ben.\n\n"
                        "\"A\0B\" said Ann.\n";
    quoth_doc *doc = quoth_parse(text, sizeof text - 1, NULL, NULL);
    assert_non_null(doc);
    for (unsigned f = 0; f < 4; f++) {
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
    for (int fmt = QUOTH_FORMAT_JSON; fmt <= QUOTH_FORMAT_SCRIPT; fmt++) {
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
    sink_buf ok;
    memset(&ok, 0, sizeof ok);
    assert_int_equal(quoth_render(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, sink_write, &ok),
                     QUOTH_OK);
    size_t calls = ok.calls;
    free(ok.data);
    assert_true(calls >= 1);
    for (size_t fail_at = 1; fail_at <= calls && fail_at <= 3; fail_at++) {
        sink_buf b;
        memset(&b, 0, sizeof b);
        b.fail_after = fail_at;
        quoth_status st = quoth_render(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_TEXT, sink_write, &b);
        assert_int_equal(st, QUOTH_ERR_OUTPUT);
        /* rendering stops at the first failure */
        assert_int_equal(b.calls_after_failure, 0);
        free(b.data);
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
        for (int fmt = QUOTH_FORMAT_JSON; fmt <= QUOTH_FORMAT_SCRIPT; fmt++) {
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_is_valid_and_has_fields),
        cmocka_unit_test(test_json_flags),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_sink_receives_same_output),
        cmocka_unit_test(test_failing_sink),
        cmocka_unit_test(test_render_bad_format),
        cmocka_unit_test(test_render_every_stage),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
