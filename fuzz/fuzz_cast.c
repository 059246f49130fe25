/*
 * fuzz_cast.c — the user's line files: the cast file parser (src/cast.c)
 * and, on the same bytes, the voice map parser (src/render/voice.c); a
 * cast that parses is then used on a story (issue 8).
 *
 * The input is the file up to its first NUL byte; what follows the NUL, if
 * anything, is the story (else a fixed one naming the seeds' characters),
 * so the cast and the text it applies to are mutated together.
 */
#include "fuzz.h"

static const char STORY[] =
    "Chapter 1\n\n"
    "\"Go home,\" Lex said. \"It's late.\"\n\n"
    "“No,” the alien answered. “Not yet, Mr. Luthor.”\n\n"
    "Tom Ashby nodded. 'Sparrow,' he said to Mara, 'the lamps.'\n\n"
    "«Later,» said Miss Quill.\n\n"
    "The automaton whirred. It said, \"I am Wick.\"\n\n"
    "I looked at them. \"Enough,\" I said.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *file = (const char *)data;
    const uint8_t *nul = memchr(data, 0, size);
    size_t flen = nul ? (size_t)(nul - data) : size;
    const char *story = STORY;
    size_t slen = sizeof STORY - 1;
    if (nul) {
        story = (const char *)nul + 1;
        slen = size - flen - 1;
    }
    quoth_error err;
    quoth_cast *cast = quoth_cast_parse(file, flen, &err);
    if (!cast) {
        FUZZ_CHECK(err.status == QUOTH_ERR_CAST || err.status == QUOTH_ERR_LIMIT ||
                   err.status == QUOTH_ERR_NOMEM);
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
    }
    quoth_voices *voices = quoth_voices_parse(file, flen, &err);
    if (!voices)
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
    if (cast || voices) {
        quoth_options opts = {.cast = cast};
        quoth_doc *doc = quoth_parse(story, slen, &opts, &err);
        FUZZ_CHECK(doc != NULL);
        fuzz_walk_doc(doc);
        quoth_render_options ropts = {.flags = QUOTH_RENDER_TEXT, .voices = voices};
        static const quoth_format formats[] = {QUOTH_FORMAT_JSON, QUOTH_FORMAT_SSML,
                                               QUOTH_FORMAT_VOICES, QUOTH_FORMAT_SCRIPT};
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
            fuzz_sink sink = {0, (size_t)-1, 0};
            FUZZ_CHECK(quoth_render_ex(doc, formats[i], &ropts, fuzz_write, &sink) == QUOTH_OK);
        }
        char voice[64];
        for (size_t c = 0; c < quoth_doc_character_count(doc); c++)
            quoth_voice_for(doc, voices, c, voice, sizeof voice);
        quoth_doc_free(doc);
    }
    quoth_voices_free(voices);
    quoth_cast_free(cast);
    return 0;
}
