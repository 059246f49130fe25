/*
 * fuzz_text.c — the text pipeline and every renderer (issue 8).
 *
 * The first byte picks the options, the rest is the story:
 *   bit 0      a cast (a fixed one naming the seeds' characters) or none
 *   bits 1-3   stop after stage 1..5 (0, 6, 7: every stage)
 *   bit 4      QUOTH_RENDER_MENTIONS | QUOTH_RENDER_TEXT
 *   bit 5      a voice map for SSML and voices
 *   bit 6      metadata and a paratext span (the first third of the text)
 *   bit 7      QUOTH_OPT_FEATURES (the ranker's feature table)
 * The second byte (when there is one and bit 6 is set, the text starts
 * after it) picks the format rendered through a failing sink and where.
 */
#include "fuzz.h"

static const char CAST[] = "Lex Luthor | Lex | Luthor | he\n"
                           "Clark Kent | Clark | Kal-El | the alien | it\n"
                           "Tom Ashby | Tom | Mr. Ashby | he\n"
                           "Mara Quill | Mara | Miss Quill | Sparrow | she\n"
                           "Wick | the automaton | it\n"
                           "Ann | she\n"
                           "Narrator | I\n";

static const char VOICES[] = "Lex Luthor = en-GB-A\nc2 = en-US-B\nnarrator = en-N\n"
                             "unknown = mystery\nANN = en-GB-C\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    unsigned pick = 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if ((opt & 0x40) && len > 0) {
        pick = (unsigned char)text[0];
        text++;
        len--;
    }
    quoth_error err;
    quoth_cast *cast = NULL;
    if (opt & 1) {
        cast = quoth_cast_parse(CAST, sizeof CAST - 1, &err);
        FUZZ_CHECK(cast && quoth_cast_count(cast) == 7);
    }
    quoth_voices *voices = NULL;
    if (opt & 0x20) {
        voices = quoth_voices_parse(VOICES, sizeof VOICES - 1, &err);
        FUZZ_CHECK(voices != NULL);
    }
    unsigned stage = (opt >> 1) & 7;
    quoth_meta meta[] = {{"title", "A \"Title\" <b>&amp;</b>"},
                         {"author", "=cmd|' /C calc'!A0"},
                         {"language", "en"},
                         {"source", "javascript:alert(1)"},
                         {"reader", "text"}};
    quoth_span para = {0, len / 3};
    quoth_options opts = {.cast = cast,
                          .stop_after = stage <= 5 ? (quoth_stage)stage : 0,
                          .flags = (opt & 0x80) ? QUOTH_OPT_FEATURES : 0};
    if (opt & 0x40) {
        opts.meta = meta;
        opts.nmeta = sizeof meta / sizeof meta[0];
        opts.paratext = &para;
        opts.nparatext = 1;
    }
    quoth_doc *doc = quoth_parse(text, len, &opts, &err);
    /* any byte string yields a document (inputs here are far below the limits) */
    FUZZ_CHECK(doc != NULL);
    size_t flen;
    quoth_doc_features(doc, &flen);
    fuzz_walk_doc(doc);
    quoth_render_options ropts = {
        .flags = (opt & 0x10) ? QUOTH_RENDER_MENTIONS | QUOTH_RENDER_TEXT : 0, .voices = voices};
    fuzz_render_all(doc, &ropts, pick);
    fuzz_check_compact(doc, ropts.flags);
    char voice[8];
    quoth_voice_for(doc, voices, QUOTH_NONE, voice, sizeof voice);
    quoth_voice_for(doc, voices, QUOTH_VOICE_UNKNOWN, voice, sizeof voice);
    for (size_t c = 0; c < quoth_doc_character_count(doc); c++)
        FUZZ_CHECK(quoth_voice_for(doc, voices, c, voice, sizeof voice) > 0);
    quoth_doc_free(doc);
    quoth_voices_free(voices);
    quoth_cast_free(cast);
    return 0;
}
