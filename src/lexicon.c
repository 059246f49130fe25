/*
 * lexicon.c — word lists compiled from data/ (see data/gen_lexicon.py) into
 * one read-only hash table: a word's entry says which lists hold it.
 */
#include <string.h>

#include "internal.h"
#include "lexicon.inc"

unsigned lexicon_mask(const char *word, size_t len) {
    if (len == 0 || len > 255)
        return 0;
    uint32_t h = 2166136261u; /* FNV-1a, as in gen_lexicon.py */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)word[i];
        h *= 16777619u;
    }
    for (uint32_t i = h & (LEXICON_SLOTS - 1);; i = (i + 1) & (LEXICON_SLOTS - 1)) {
        const struct lexicon_entry *e = &lexicon_table[i];
        if (!e->word)
            return 0;
        if (e->len == len && memcmp(e->word, word, len) == 0)
            return e->mask;
    }
}

bool lexicon_has(lexicon_id id, const char *word, size_t len) {
    return (unsigned)id < LEX_COUNT && (lexicon_mask(word, len) >> id & 1u);
}
