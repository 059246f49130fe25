/*
 * test_threads.c — no global mutable state: two documents parsed and
 * rendered on two threads at once, sharing one read-only cast, give
 * byte-identical results to the same work done sequentially. Run under
 * the sanitizer build this also catches data races that corrupt memory.
 */
#include "helpers.h"

#include <pthread.h>

#ifndef QUOTH_EXAMPLES_DIR
#error "QUOTH_EXAMPLES_DIR must point at examples/"
#endif

#define ROUNDS 4

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

typedef struct {
    const char *text;
    size_t len;
    const quoth_cast *cast;
    char *results[ROUNDS]; /* JSON, then script, per round */
    char *scripts[ROUNDS];
    int failed;
} job;

static char *analyse(const char *text, size_t len, const quoth_cast *cast, quoth_format fmt) {
    quoth_options opts;
    memset(&opts, 0, sizeof opts);
    opts.cast = cast;
    quoth_doc *doc = quoth_parse(text, len, &opts, NULL);
    if (doc == NULL) {
        return NULL;
    }
    char *out = quoth_render_string(doc, fmt, QUOTH_RENDER_TEXT | QUOTH_RENDER_MENTIONS, NULL);
    quoth_doc_free(doc);
    return out;
}

static void *run_job(void *arg) {
    job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        j->results[r] = analyse(j->text, j->len, j->cast, QUOTH_FORMAT_JSON);
        j->scripts[r] = analyse(j->text, j->len, j->cast, QUOTH_FORMAT_SCRIPT);
        if (j->results[r] == NULL || j->scripts[r] == NULL) {
            j->failed = 1;
        }
    }
    return NULL;
}

static void free_job(job *j) {
    for (int r = 0; r < ROUNDS; r++) {
        free(j->results[r]);
        free(j->scripts[r]);
    }
}

static void check_concurrent(const char *a, size_t alen, const char *b, size_t blen,
                             const quoth_cast *cast) {
    /* sequential reference */
    char *ref_a = analyse(a, alen, cast, QUOTH_FORMAT_JSON);
    char *ref_b = analyse(b, blen, cast, QUOTH_FORMAT_JSON);
    char *ref_sa = analyse(a, alen, cast, QUOTH_FORMAT_SCRIPT);
    char *ref_sb = analyse(b, blen, cast, QUOTH_FORMAT_SCRIPT);
    assert_non_null(ref_a);
    assert_non_null(ref_b);
    assert_non_null(ref_sa);
    assert_non_null(ref_sb);

    job ja, jb;
    memset(&ja, 0, sizeof ja);
    memset(&jb, 0, sizeof jb);
    ja.text = a;
    ja.len = alen;
    ja.cast = cast;
    jb.text = b;
    jb.len = blen;
    jb.cast = cast;
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, run_job, &ja), 0);
    assert_int_equal(pthread_create(&tb, NULL, run_job, &jb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_false(ja.failed);
    assert_false(jb.failed);
    for (int r = 0; r < ROUNDS; r++) {
        assert_string_equal(ja.results[r], ref_a);
        assert_string_equal(jb.results[r], ref_b);
        assert_string_equal(ja.scripts[r], ref_sa);
        assert_string_equal(jb.scripts[r], ref_sb);
    }
    free_job(&ja);
    free_job(&jb);
    free(ref_a);
    free(ref_b);
    free(ref_sa);
    free(ref_sb);
}

static void test_two_documents_two_threads(void **state) {
    (void)state;
    size_t alen = 0;
    char *a = read_file(QUOTH_EXAMPLES_DIR "/the-lamplighter.txt", &alen);
    /* a second, different document: the story with its paragraphs in CRLF
     * and a different preamble */
    const char *extra =
        "Chapter 1\r\n\r\n\"Go home,\" Lex said.\r\n\r\n\"No,\" she replied.\r\n\r\n";
    size_t blen = strlen(extra) + alen;
    char *b = malloc(blen);
    assert_non_null(b);
    memcpy(b, extra, strlen(extra));
    memcpy(b + strlen(extra), a, alen);

    check_concurrent(a, alen, b, blen, NULL);
    check_concurrent(a, alen, a, alen, NULL);
    free(a);
    free(b);
}

static void test_shared_cast(void **state) {
    (void)state;
    size_t alen = 0, clen = 0;
    char *a = read_file(QUOTH_EXAMPLES_DIR "/the-lamplighter.txt", &alen);
    char *c = read_file(QUOTH_EXAMPLES_DIR "/the-lamplighter.cast", &clen);
    quoth_error err;
    memset(&err, 0, sizeof err);
    quoth_cast *cast = quoth_cast_parse(c, clen, &err);
    if (cast == NULL) {
        fail_msg("example cast rejected at line %zu: %s", err.line, err.message);
    }
    free(c);
    /* the second document is the first half of the story */
    check_concurrent(a, alen, a, alen / 2, cast);
    quoth_cast_free(cast);
    free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_documents_two_threads),
        cmocka_unit_test(test_shared_cast),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
