/*
 * test_iterator.c — the ENTER/EXIT walk: events are balanced and nested
 * DOCUMENT > SECTION > PARAGRAPH > (TEXT | QUOTE)*, sections and paragraphs
 * come in order, the leaves of a paragraph tile its bytes exactly, and every
 * span of every quotation is reported once, as a QUOTE leaf.
 */
#include "helpers.h"

static const char *story =
    "Disclaimer: I don't own lamps.\n\n"
    "A/N: Thanks for reading!\n\n"
    "Part I\n\n"
    "Tom sighed. \"Mara, the council voted.\"\n\n"
    "\"You're here,\" she said, \"because nobody else wanted to tell it.\"\n\n"
    "* * *\n\n"
    "\"The first thing,\" said Mara, \"is the river.\n\n"
    "\"The second thing is the key. He said, 'Don't lose 'em.'\"\n\n"
    "Chapter 2\n\n"
    "The Harlows' gate was open\r\nand nobody said anything.\n\n"
    "\"Unclosed at the end";

typedef struct {
    size_t quote;
    size_t part;
} part_seen;

static void walk_and_check(const quoth_doc *doc) {
    size_t nq = quoth_doc_quote_count(doc);
    size_t total_parts = 0;
    for (size_t q = 0; q < nq; q++) {
        total_parts += quoth_quote_span_count(doc, q);
    }
    unsigned char *seen = calloc(total_parts + 1, 1);
    size_t *first_part = calloc(nq + 1, sizeof(size_t));
    assert_non_null(seen);
    assert_non_null(first_part);
    for (size_t q = 0, k = 0; q < nq; q++) {
        first_part[q] = k;
        k += quoth_quote_span_count(doc, q);
    }

    quoth_iter *it = quoth_iter_new(doc);
    assert_non_null(it);
    quoth_node_kind stack[8];
    int depth = 0;
    size_t next_section = 0, next_para = 0;
    size_t cursor = 0; /* where the next leaf of the open paragraph starts */
    quoth_span para = {0, 0};
    int doc_entered = 0, doc_exited = 0;
    quoth_event ev;
    while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
        const quoth_node *node = quoth_iter_node(it);
        assert_non_null(node);
        assert_false(doc_exited); /* nothing after the document's EXIT */
        switch (ev) {
        case QUOTH_EVENT_ENTER:
            assert_true(depth < 8);
            switch (node->kind) {
            case QUOTH_NODE_DOCUMENT:
                assert_int_equal(depth, 0);
                doc_entered = 1;
                break;
            case QUOTH_NODE_SECTION:
                assert_int_equal(depth, 1);
                assert_int_equal(stack[0], QUOTH_NODE_DOCUMENT);
                assert_int_equal(node->index, next_section);
                next_section++;
                break;
            case QUOTH_NODE_PARAGRAPH:
                assert_int_equal(depth, 2);
                assert_int_equal(stack[1], QUOTH_NODE_SECTION);
                assert_int_equal(node->index, next_para);
                assert_int_equal(quoth_paragraph_section(doc, node->index), next_section - 1);
                para = quoth_paragraph_span(doc, node->index);
                assert_span_eq(node->span, para);
                cursor = para.start;
                next_para++;
                break;
            default: fail_msg("ENTER on a leaf kind %d", (int)node->kind);
            }
            stack[depth++] = node->kind;
            break;
        case QUOTH_EVENT_EXIT:
            assert_true(depth > 0);
            assert_int_equal(stack[depth - 1], node->kind);
            if (node->kind == QUOTH_NODE_PARAGRAPH) {
                /* the leaves covered the whole paragraph */
                if (cursor != para.end) {
                    fail_msg("paragraph %zu [%zu,%zu): leaves stop at %zu", node->index, para.start,
                             para.end, cursor);
                }
            }
            if (node->kind == QUOTH_NODE_DOCUMENT) {
                doc_exited = 1;
            }
            depth--;
            break;
        case QUOTH_EVENT_LEAF:
            assert_int_equal(depth, 3);
            assert_int_equal(stack[2], QUOTH_NODE_PARAGRAPH);
            if (node->span.start != cursor) {
                fail_msg("leaf [%zu,%zu) does not start where the last ended (%zu)",
                         node->span.start, node->span.end, cursor);
            }
            assert_true(node->span.start <= node->span.end);
            assert_true(node->span.end <= para.end);
            cursor = node->span.end;
            if (node->kind == QUOTH_NODE_QUOTE) {
                assert_true(node->index < nq);
                assert_true(node->part < quoth_quote_span_count(doc, node->index));
                assert_span_eq(node->span, quoth_quote_span(doc, node->index, node->part));
                size_t k = first_part[node->index] + node->part;
                assert_false(seen[k]);
                seen[k] = 1;
            } else {
                assert_int_equal(node->kind, QUOTH_NODE_TEXT);
            }
            break;
        default: fail_msg("unknown event %d", (int)ev);
        }
    }
    /* NONE stays NONE */
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_NONE);
    assert_int_equal(depth, 0);
    if (doc_entered) {
        assert_true(doc_exited);
    }
    assert_int_equal(next_section, quoth_doc_section_count(doc));
    assert_int_equal(next_para, quoth_doc_paragraph_count(doc));
    for (size_t k = 0; k < total_parts; k++) {
        if (!seen[k]) {
            fail_msg("quotation part %zu never reported as a QUOTE leaf", k);
        }
    }
    quoth_iter_free(it);
    free(seen);
    free(first_part);
}

static void test_walk_full(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    assert_true(quoth_doc_quote_count(doc) >= 4);
    walk_and_check(doc);
    quoth_doc_free(doc);
}

static void test_walk_each_stage(void **state) {
    (void)state;
    for (int st = QUOTH_STAGE_SEGMENT; st <= QUOTH_STAGE_ATTRIBUTE; st++) {
        quoth_doc *doc = parse_upto(story, (quoth_stage)st);
        walk_and_check(doc);
        quoth_doc_free(doc);
    }
}

static void test_walk_empty(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto("", 0);
    walk_and_check(doc);
    quoth_doc_free(doc);
}

static void test_walk_document_events(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto("\"Hi,\" said Ann.\n", 0);
    quoth_iter *it = quoth_iter_new(doc);
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_ENTER);
    assert_int_equal(quoth_iter_node(it)->kind, QUOTH_NODE_DOCUMENT);
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_ENTER);
    assert_int_equal(quoth_iter_node(it)->kind, QUOTH_NODE_SECTION);
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_ENTER);
    assert_int_equal(quoth_iter_node(it)->kind, QUOTH_NODE_PARAGRAPH);
    /* the opening mark is TEXT, then the quoted words */
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_LEAF);
    assert_int_equal(quoth_iter_node(it)->kind, QUOTH_NODE_TEXT);
    assert_int_equal(quoth_iter_node(it)->span.end, 1);
    assert_int_equal(quoth_iter_next(it), QUOTH_EVENT_LEAF);
    assert_int_equal(quoth_iter_node(it)->kind, QUOTH_NODE_QUOTE);
    assert_int_equal(quoth_iter_node(it)->span.start, 1);
    assert_int_equal(quoth_iter_node(it)->span.end, 4);
    quoth_iter_free(it); /* freeing in the middle of a walk is fine */
    quoth_doc_free(doc);
}

static void test_two_iterators(void **state) {
    (void)state;
    quoth_doc *doc = parse_upto(story, 0);
    quoth_iter *a = quoth_iter_new(doc);
    quoth_iter *b = quoth_iter_new(doc);
    quoth_event ea, eb;
    do {
        ea = quoth_iter_next(a);
        eb = quoth_iter_next(b);
        assert_int_equal(ea, eb);
        if (ea != QUOTH_EVENT_NONE) {
            assert_int_equal(quoth_iter_node(a)->kind, quoth_iter_node(b)->kind);
            assert_span_eq(quoth_iter_node(a)->span, quoth_iter_node(b)->span);
        }
    } while (ea != QUOTH_EVENT_NONE);
    quoth_iter_free(a);
    quoth_iter_free(b);
    quoth_doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_full),     cmocka_unit_test(test_walk_each_stage),
        cmocka_unit_test(test_walk_empty),    cmocka_unit_test(test_walk_document_events),
        cmocka_unit_test(test_two_iterators),
    };
    return cmocka_run_group_tests_name("iterator", tests, NULL, NULL);
}
