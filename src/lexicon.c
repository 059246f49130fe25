/*
 * lexicon.c — word lists compiled from data/ (see data/gen_lexicon.py) into
 * one read-only hash table: a word's entry says which lists hold it.
 */
#include <string.h>

#include "internal.h"
#include "lexicon.inc"

unsigned lexicon_mask(const char *word, size_t len) {
    if (len == 0 || len >= LEXICON_WORD_BYTES)
        return 0; /* no word of the lists is that long */
    uint32_t h = 2166136261u; /* FNV-1a, as in gen_lexicon.py */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)word[i];
        h *= 16777619u;
    }
    for (uint32_t i = h & (LEXICON_SLOTS - 1);; i = (i + 1) & (LEXICON_SLOTS - 1)) {
        unsigned k = lexicon_slots[i];
        if (!k)
            return 0;
        const struct lexicon_entry *e = &lexicon_entries[k - 1];
        if (e->len != len)
            continue;
        /* a loop, not memcmp: a call made this a function that saves six
         * registers, for words of a few bytes */
        size_t same = 0;
        while (same < len && e->word[same] == word[same])
            same++;
        if (same == len)
            return e->mask;
    }
}

size_t lexicon_full_names(const char *nick, size_t len, const char **out, size_t max) {
    size_t lo = 0, hi = sizeof nickname_pairs / sizeof *nickname_pairs, found = 0;
    while (lo < hi) { /* the first pair whose nickname is >= nick */
        size_t mid = lo + (hi - lo) / 2;
        const char *m = nickname_pairs[mid].nick;
        size_t ml = strlen(m);
        int c = memcmp(m, nick, ml < len ? ml : len);
        if (c < 0 || (c == 0 && ml < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < sizeof nickname_pairs / sizeof *nickname_pairs && found < max; i++) {
        const char *m = nickname_pairs[i].nick;
        if (strlen(m) != len || memcmp(m, nick, len) != 0)
            break;
        out[found++] = nickname_pairs[i].full;
    }
    return found;
}

bool lexicon_has(lexicon_id id, const char *word, size_t len) {
    return (unsigned)id < LEX_COUNT && (lexicon_mask(word, len) >> id & 1u);
}
