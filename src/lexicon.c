/*
 * lexicon.c — word lists compiled from data/ (see data/gen_lexicon.py).
 * Lookups are binary searches over sorted, read-only tables: no state.
 */
#include <string.h>

#include "internal.h"
#include "lexicon.inc"

bool lexicon_has(lexicon_id id, const char *word, size_t len) {
    if ((unsigned)id >= LEX_COUNT || len == 0)
        return false;
    const char *const *w = lexicon_tables[id].words;
    size_t lo = 0, hi = lexicon_tables[id].count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = w[mid];
        size_t mlen = strlen(m);
        int c = memcmp(m, word, mlen < len ? mlen : len);
        if (c == 0)
            c = mlen < len ? -1 : mlen > len ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}
