/*
 * attribute.c — who says each quotation, and to whom.
 *
 * A sieve, most certain evidence first, each decision keeping its rule, the
 * referring expression and a confidence:
 *   1. a speech tag next to the quotation: "...," Lex said / said Lex /
 *      he replied / it asked / the alien stated, or an action beat in the
 *      same clause ("...," Lex shook his head);
 *   2. a tag before it in the same paragraph: Lex laughed darkly, "..."
 *   3. an introducing line at the end of the previous paragraph
 *      (he intoned,) or the subject of a narration paragraph just before;
 *   4. conversation structure: a name addressed in the previous quotation
 *      speaks next; speakers alternate in an exchange.
 * Pronouns resolve to the most recent character of their gender mentioned
 * in the narration; "it" to the being the narration calls "it". Names
 * inside a quotation are addressees, never the speaker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* punct_is() of a punctuation token. */
static bool punct_in(const quoth_doc *doc, size_t i, const char *set) {
    const token *t = &doc->tokens[i];
    size_t n = t->len; /* punctuation: never TOK_LONG */
    if (n == 1)
        return strchr(set, doc->text[token_start(doc, t)]) != NULL;
    /* em dash, en dash, ellipsis count as '-' and '.' */
    if (n == 3 && (unsigned char)doc->text[token_start(doc, t)] == 0xE2 && (unsigned char)doc->text[token_start(doc, t) + 1] == 0x80) {
        unsigned char c = (unsigned char)doc->text[token_start(doc, t) + 2];
        if ((c == 0x94 || c == 0x93) && strchr(set, '-'))
            return true;
        if (c == 0xA6 && strchr(set, '.'))
            return true;
    }
    return false;
}

/* Is token i punctuation from set (an em or en dash counting as '-', an
 * ellipsis as '.')? The test of the flag inline: the scans that ask it
 * walk over words mostly. */
static inline bool punct_is(const quoth_doc *doc, size_t i, const char *set) {
    return (doc->tokens[i].flags & TOK_PUNCT) && punct_in(doc, i, set);
}

/* The first token in [lo, hi) whose start is >= pos (hi when none): a
 * binary search, token starts never decreasing. */
static size_t first_token_from(const quoth_doc *doc, size_t lo, size_t hi, size_t pos) {
    /* branch-free halving, as in mention_from_token */
    if (lo >= hi)
        return lo;
    size_t n = hi - lo;
    while (n > 1) {
        size_t half = n / 2;
        lo = token_start_at(doc, lo + half - 1) < pos ? lo + half : lo;
        n -= half;
    }
    return lo + (token_start_at(doc, lo) < pos);
}

/* First token whose start is >= pos. Token starts never decrease, so
 * the block is found first in doc->tok_base (a block's first start, a
 * small table), then the token among its TOK_BLOCK: fewer steps than over
 * all the tokens, and the first ones in a table that stays in cache. */
size_t token_at(const quoth_doc *doc, size_t pos) {
    size_t blo = 0, bhi = doc->nbase; /* blocks before blo start before pos */
    while (blo < bhi) {
        size_t mid = blo + (bhi - blo) / 2;
        if (doc->tok_base[mid] < pos)
            blo = mid + 1;
        else
            bhi = mid;
    }
    /* tokens before block blo - 1's first start before pos, and block blo
     * (if any) starts at or after it */
    size_t lo = blo ? (blo - 1) * TOK_BLOCK : 0;
    size_t hi = blo * TOK_BLOCK < doc->ntok ? blo * TOK_BLOCK : doc->ntok;
    return first_token_from(doc, lo, hi, pos);
}

/* token_at(doc, pos) for a position in paragraph p (its span, ends
 * included): a search of the paragraph's tokens only. The tokens before
 * them lie in earlier paragraphs and start before pos; the first after
 * them starts at or after the paragraph's end. */
static size_t token_at_in(const quoth_doc *doc, size_t p, size_t pos) {
    const paragraph *pp = &doc->paras[p];
    if (pos < pp->span.start || pos > pp->span.end)
        return token_at(doc, pos);
    size_t lo = pp->first_token, hi = (size_t)pp->first_token + pp->token_count;
    return first_token_from(doc, lo, hi, pos);
}

/* token_at(doc, pos) for the start of a span of quotation qq: a search of
 * the tokens of the paragraph it lies in, most often the quotation's
 * first, or else its last (token_at_in() makes sure, and searches all the
 * tokens for a span in neither). */
size_t quote_token_at(const quoth_doc *doc, const quote *qq, size_t pos) {
    /* The quotation's first token is noted where the tokenizer met it
     * (doc->quote_runs: one note a quotation, in order, so most often the
     * q-th): the answer for its first span when the token starts at or
     * after pos and the one before it does not. */
    size_t q = (size_t)(qq - doc->quotes);
    if (q < doc->nqrun && doc->quote_runs[q].value == q + 1) {
        size_t k = doc->quote_runs[q].token;
        if (k < doc->ntok && token_start_at(doc, k) >= pos && (k == 0 || token_start_at(doc, k - 1) < pos))
            return k;
    }
    size_t p = pos >= doc->paras[qq->para_last].span.start ? qq->para_last : qq->para_first;
    return token_at_in(doc, p, pos);
}

/* The first mention starting at token i or after it (nment when none). */
static size_t mention_from_token(const quoth_doc *doc, size_t i) {
    /* branch-free halving: which half is taken is a coin toss to the
     * branch predictor, called for every quotation's neighbourhood */
    const mention *base = doc->mentions;
    size_t n = doc->nment;
    if (n == 0)
        return 0;
    while (n > 1) {
        size_t half = n / 2;
        base = base[half - 1].token < i ? base + half : base;
        n -= half;
    }
    return (size_t)(base - doc->mentions) + (base->token < i);
}

/* The mention starting at token i, or QUOTH_NONE. */
static size_t mention_at_token(const quoth_doc *doc, size_t i) {
    size_t lo = mention_from_token(doc, i);
    return lo < doc->nment && doc->mentions[lo].token == i ? lo : QUOTH_NONE;
}

/* The mention whose last token is token i, or QUOTH_NONE. */
static size_t mention_ending_at(const quoth_doc *doc, size_t i) {
    size_t lo = mention_from_token(doc, i + 1);
    if (lo == 0 || lo > doc->nment)
        return QUOTH_NONE;
    const mention *c = &doc->mentions[lo - 1];
    return (size_t)c->token + c->ntokens - 1 == i ? lo - 1 : QUOTH_NONE;
}

static bool person_mention(const mention *m) {
    if (m->kind == QUOTH_MENTION_VOCATIVE)
        return false;
    if (m->kind == QUOTH_MENTION_PRONOUN)
        return m->gender != QUOTH_GENDER_PLURAL && m->pcase != PRON_ACC;
    return true;
}

/* A lower-case speech verb in narration ("the Mock Turtle" mocks no one). */
static bool speech_verb_at(const quoth_doc *doc, size_t k) {
    return !(doc->tokens[k].flags & (TOK_QUOTED | TOK_CAP)) && token_is_speech_verb(doc, k);
}

/* Narration [from, to) before a quotation that holds two speech verbs
 * since the last quoted word ("Alice replied, so eagerly that the Gryphon
 * said, in an offended tone,"; "said the Rabbit; and Alice called out"):
 * the first tags the quotation before, the last introduces this one. The
 * last verb's own subject, right before it (past an adverb: "the Gryphon
 * only answered") or right after it ("cried Louisa"); QUOTH_NONE when
 * there are not two verbs or no such subject. */
static size_t second_tag_subject(const quoth_doc *doc, size_t from, size_t to) {
    size_t v = QUOTH_NONE, verbs = 0;
    for (size_t k = to; k > from; k--) {
        if (doc->tokens[k - 1].flags & TOK_QUOTED)
            break;
        if (speech_verb_at(doc, k - 1)) {
            if (v == QUOTH_NONE)
                v = k - 1;
            if (++verbs == 2)
                break; /* enough: the last verb is known */
        }
    }
    if (verbs < 2)
        return QUOTH_NONE;
    for (size_t k = v; k > from; k--) {
        size_t pm = mention_ending_at(doc, k - 1);
        if (pm != QUOTH_NONE)
            return person_mention(&doc->mentions[pm]) && !doc->mentions[pm].possessive ? pm : QUOTH_NONE;
        if (punct_is(doc, k - 1, ",")) {
            /* "and her mother, with sudden tenderness, said:": a phrase
             * between commas stands between too */
            size_t c = k - 1;
            while (c > from && c + 8 > k && !(doc->tokens[c - 1].flags & TOK_QUOTED) && !punct_is(doc, c - 1, ",.;:!?"))
                c--;
            if (c > from && c + 8 > k && punct_is(doc, c - 1, ",") && c + 1 < k) {
                k = c; /* the loop steps to the comma, then looks before it */
                continue;
            }
            break;
        }
        char scratch[FOLD_MAX];
        size_t wl;
        const char *w = token_word(doc, k - 1, scratch, &wl);
        if (wl < 4 || strcmp(w + wl - 2, "ly") != 0)
            break; /* only an adverb may stand between */
    }
    size_t pm = v + 1 < to ? mention_at_token(doc, v + 1) : QUOTH_NONE;
    return pm != QUOTH_NONE && person_mention(&doc->mentions[pm]) && !doc->mentions[pm].possessive ? pm : QUOTH_NONE;
}


bool attr_vocative_in_quote(const quoth_doc *doc, size_t q, size_t ch) {
    const quote *qq = &doc->quotes[q];
    for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote == q + 1 && mm->kind == QUOTH_MENTION_VOCATIVE && mention_character(mm) == ch)
            return true;
    }
    return false;
}

static void merge_character(quoth_doc *doc, size_t from, size_t into);
static bool word_is(const quoth_doc *doc, size_t i, const char *w);
static size_t lead_in_after_quotes(const quoth_doc *doc, size_t pf, size_t pt, bool *clause_only);
static size_t scene_partner(const quoth_doc *doc, size_t q, size_t prev);
static bool sentence_end(const quoth_doc *doc, size_t k);

/* Resolves a pronoun or unlinked descriptor to the most recent compatible
 * character mentioned in the narration (or speaking) before it.
 * How resolve_anaphor_as weighs: ANAPHOR_POSSESSOR for the "her" of
 * "said her husband" (who is as likely as anyone to have spoken the line
 * before, and may be the one the line addresses: ""What are you doing out
 * here, Edna?" said her husband"); ANAPHOR_RELATIVE for the husband found
 * by salience when no family name finds him (as likely as anyone to have
 * spoken the line before: "continued her mother"). */
enum { ANAPHOR_POSSESSOR = 1, ANAPHOR_RELATIVE = 2 };
static size_t resolve_anaphor_as(const quoth_doc *doc, size_t mi, size_t q, quoth_gender g, size_t exclude,
                                 unsigned how);
static size_t resolve_anaphor(const quoth_doc *doc, size_t mi, size_t q, quoth_gender g, size_t exclude) {
    return resolve_anaphor_as(doc, mi, q, g, exclude, 0);
}

/* Adds to out (n so far, at most max) the character of each named
 * mention that is not a subject in the rest of the sentence after token
 * from, before token limit, from mention k on: the sentence ends at its
 * final stop or at a quotation. The tokens are read only up to the last
 * mention. */
static size_t objects_in_sentence(const quoth_doc *doc, size_t k, size_t from, size_t limit, size_t *out, size_t n,
                                  size_t max) {
    size_t t = from + 1;
    for (; k < doc->nment && n < max; k++) {
        const mention *c = &doc->mentions[k];
        if (c->token >= limit || c->token > from + QUOTH_SENTENCE_TOKENS)
            break;
        for (; t < c->token; t++) {
            unsigned f = doc->tokens[t].flags; /* words mostly: the flags first */
            if ((f & TOK_QUOTED) || ((f & TOK_PUNCT) && sentence_end(doc, t)))
                return n;
        }
        if (c->quote)
            break;
        if (c->subject || c->kind == QUOTH_MENTION_PRONOUN || mention_character(c) == QUOTH_NONE)
            continue;
        out[n++] = character_root(doc, mention_character(c));
    }
    return n;
}

/* "He nodded very curtly to Denham.", "She turned to Mary and said,":
 * see internal.h */
size_t attr_pronoun_not(const quoth_doc *doc, size_t mi, size_t *out, size_t max) {
    const mention *m = &doc->mentions[mi];
    quoth_gender g = m->gender;
    if (m->kind != QUOTH_MENTION_PRONOUN || m->first_person || m->pcase != PRON_NOM ||
        (g != QUOTH_GENDER_MALE && g != QUOTH_GENDER_FEMALE))
        return 0;
    /* its own sentence's objects after it */
    size_t n = objects_in_sentence(doc, mi + 1, m->token, doc->ntok, out, 0, max);
    /* the objects of the he or she it goes on from */
    for (size_t k = mi; k-- > 0 && mi - k <= QUOTH_ANAPHOR_MENTIONS;) {
        const mention *c = &doc->mentions[k];
        if (c->para + 1 < m->para)
            break;
        if (c->quote || !c->subject)
            continue;
        if (c->kind != QUOTH_MENTION_PRONOUN) {
            size_t ch = mention_character(c);
            if (ch != QUOTH_NONE && doc->chars[character_root(doc, ch)].gender == g)
                break; /* a named subject of that gender nearer: salience decides */
            continue;
        }
        if (c->first_person || c->pcase != PRON_NOM || c->gender != g)
            continue;
        return objects_in_sentence(doc, k + 1, c->token, m->token, out, n, max);
    }
    return n;
}

static size_t resolve_anaphor_as(const quoth_doc *doc, size_t mi, size_t q, quoth_gender g, size_t exclude,
                                 unsigned how) {
    bool possessor = how & ANAPHOR_POSSESSOR, prev_ok = how & (ANAPHOR_POSSESSOR | ANAPHOR_RELATIVE);
    const mention *m = &doc->mentions[mi];
    if (m->kind == QUOTH_MENTION_PRONOUN && m->first_person)
        return doc->narrator;
    if (g == QUOTH_GENDER_NEUTER) {
        /* "The Caterpillar was the first to speak. "...?" it asked.": the
         * subject just before, when it is not a he or a she */
        for (size_t k = mi; k-- > 0 && mi - k <= 12;) {
            const mention *c = &doc->mentions[k];
            if (c->para + 1 < m->para)
                break;
            if (c->quote || mention_character(c) == QUOTH_NONE || !c->subject || c->kind == QUOTH_MENTION_PRONOUN)
                continue;
            size_t ch = character_root(doc, mention_character(c));
            quoth_gender cg = doc->chars[ch].gender;
            if (cg == QUOTH_GENDER_NEUTER || (cg == QUOTH_GENDER_UNKNOWN && c->kind == QUOTH_MENTION_NAME))
                return ch;
            break; /* the nearest subject is a person: "it" is not them */
        }
        /* "it": the being the narration calls it, if there is exactly one */
        size_t found = QUOTH_NONE;
        for (size_t c = 0; c < doc->nchar; c++)
            if (doc->chars[c].gender == QUOTH_GENDER_NEUTER && doc->chars[c].merged_into == QUOTH_NONE) {
                if (found != QUOTH_NONE)
                    return QUOTH_NONE;
                found = c;
            }
        return found;
    }
    /* Salience: candidates mentioned in the narration (nearer is better,
     * the pronoun's own paragraph best) and the recent speakers of the
     * conversation; the previous speaker is unlikely on a new turn, and
     * anyone addressed in this quotation is not its speaker. The weights
     * were set by hand on PDNC dev (tools/corpus_eval.py); issue 4 replaces
     * them with a trained ranker. */
    size_t prev_speaker = QUOTH_NONE;
    if (q > 0 && doc->quotes[q - 1].para_last + 1 >= doc->quotes[q].para_first &&
        doc->quotes[q - 1].para_last != doc->quotes[q].para_first)
        prev_speaker = doc->quotes[q - 1].speaker;
    enum { MAXC = 16 };
    size_t cand[MAXC];
    double score[MAXC];
    size_t nc = 0;
#define ADD_CAND(chx, sc)                                                    \
    do {                                                                     \
        size_t c_ = (chx);                                                   \
        size_t i_ = 0;                                                       \
        while (i_ < nc && cand[i_] != c_)                                    \
            i_++;                                                            \
        if (i_ == nc) {                                                      \
            if (nc == MAXC)                                                  \
                break;                                                       \
            cand[nc] = c_;                                                   \
            score[nc++] = 0;                                                 \
        }                                                                    \
        if ((sc) > score[i_])                                                \
            score[i_] = (sc);                                                \
    } while (0)
    size_t min_para = m->para > QUOTH_CONTEXT_PARAGRAPHS ? m->para - QUOTH_CONTEXT_PARAGRAPHS : 0;
    size_t not_it[PRONOUN_NOT_MAX];
    size_t nnot = possessor || m->gender != g ? 0 : attr_pronoun_not(doc, mi, not_it, PRONOUN_NOT_MAX);
    for (size_t k = mi; k-- > 0 && mi - k <= QUOTH_ANAPHOR_MENTIONS;) {
        const mention *c = &doc->mentions[k];
        if (c->para < min_para)
            break;
        if (c->quote || c->kind == QUOTH_MENTION_VOCATIVE)
            continue;
        size_t ch = mention_character(c);
        if (ch == QUOTH_NONE) {
            /* "she was met by her father, who came out of his library.
             * "Lizzy," said he": the relative by the family name, when
             * the kin noun's gender is not its owner's (a "her mother"
             * may be the she as well as her daughter) */
            if (how || !c->relational || c->para + 1 < m->para || (ch = attr_relative_named(doc, k, g)) == QUOTH_NONE)
                continue;
        }
        ch = character_root(doc, ch);
        double sc = c->para == m->para ? 3.0 : 3.0 / (1.0 + (double)((uint32_t)m->para - (uint32_t)c->para));
        if (c->subject)
            sc += 0.3;
        ADD_CAND(ch, sc);
    }
    for (size_t k = q; k-- > 0 && q - k <= 6;) {
        if (!attr_same_conversation(doc, k, k + 1))
            break;
        size_t ch = doc->quotes[k].speaker;
        if (ch != QUOTH_NONE)
            ADD_CAND(ch, 0.3 / (double)(q - k));
    }
    /* "I am afraid, Mr. Darcy," observed Miss Bingley. "Not at all," he
     * replied: the one the line before addresses answers it */
    if (prev_speaker != QUOTH_NONE && !possessor) {
        size_t to = attr_addressed_in(doc, q - 1);
        if (to != QUOTH_NONE) {
            ADD_CAND(to, 0.0);
            for (size_t i = 0; i < nc; i++)
                if (cand[i] == to)
                    score[i] += 2.0;
        }
    }
#undef ADD_CAND
    size_t best = QUOTH_NONE;
    double best_score = -1e9;
    for (size_t i = 0; i < nc; i++) {
        size_t ch = cand[i];
        quoth_gender cg = doc->chars[ch].gender;
        double sc = score[i];
        if (g == QUOTH_GENDER_MALE || g == QUOTH_GENDER_FEMALE) {
            if (cg == QUOTH_GENDER_UNKNOWN)
                sc -= 5.0; /* only when no one of that gender is at hand */
            else if (cg != g)
                continue;
        } else if (cg == QUOTH_GENDER_UNKNOWN) {
            sc -= 1.5; /* an unknown descriptor: places and things last */
        }
        if (ch == prev_speaker && !prev_ok)
            sc -= 1.5;
        for (size_t o = 0; o < nnot; o++)
            if (not_it[o] == ch)
                sc -= 2.0; /* "He nodded to Denham.": he is not Denham */
        /* the one addressed is not the speaker, but may well own the
         * speaker: ""What are you doing out here, Edna?" said her husband" */
        if (ch == exclude || (!possessor && attr_vocative_in_quote(doc, q, ch)))
            continue;
        if (sc > best_score) {
            best_score = sc;
            best = ch;
        }
    }
    return best;
}


/* kin_of()'s help for one stage, when no quotation has a speaker yet (its
 * answer then depends on the owner and the noun only): its answers, since
 * a few owners have most of a novel's kin mentions; and the names and
 * aliases that start with a title ("mr ", "mrs ", "miss "), folded, in the
 * order characters_called() reads them, which is all it needs to read. */
enum { KIN_MEMO = 32 };
typedef struct {
    uint32_t owner[KIN_MEMO], noun[KIN_MEMO], rel[KIN_MEMO];
    size_t n;
    struct titled_name {
        size_t ch;
        char key[128];
    } *titled;
    size_t ntitled;
} kin_memo;

/* For each want[w] (all starting with prefix), the first character whose
 * name or an alias, folded and without periods, is want[w], or QUOTH_NONE:
 * one pass over the characters for all of them (over memo's titled names,
 * when it has them). */
static void characters_called(const quoth_doc *doc, const kin_memo *memo, const char *prefix, char (*want)[128],
                              size_t nwant, size_t *found) {
    size_t plen = strlen(prefix), left = nwant;
    for (size_t w = 0; w < nwant; w++)
        found[w] = QUOTH_NONE;
    if (memo && memo->titled) {
        for (size_t t = 0; t < memo->ntitled && left > 0; t++) {
            const struct titled_name *tn = &memo->titled[t];
            if (strncmp(tn->key, prefix, plen) != 0)
                continue;
            for (size_t w = 0; w < nwant; w++)
                if (found[w] == QUOTH_NONE && !strcmp(tn->key, want[w])) {
                    found[w] = tn->ch;
                    left--;
                }
        }
        return;
    }
    for (size_t c = 0; c < doc->nchar && left > 0; c++) {
        const character *ch = &doc->chars[c];
        if (ch->merged_into != QUOTH_NONE)
            continue;
        for (uint32_t i = 0; i <= ch->naliases; i++) {
            char key[128];
            if (!name_key(i == 0 ? ch->name : ch->aliases[i - 1], prefix, plen, key))
                continue;
            for (size_t w = 0; w < nwant; w++)
                if (found[w] == QUOTH_NONE && !strcmp(key, want[w])) {
                    found[w] = c;
                    left--;
                }
        }
    }
}

/* The kin nouns and the titles of the relatives they name. */
static const struct {
    const char *noun, *title;
} kin_nouns[] = {{"wife", "mrs"},    {"mother", "mrs"}, {"husband", "mr"}, {"father", "mr"},
                 {"lady", "mrs"},    {"brother", "mr"}, {"sister", "miss"}, {"mamma", "mrs"},
                 {"mama", "mrs"},    {"papa", "mr"}};

/* The folded noun's (n bytes) index in kin_nouns + 1, 0 when it is none. */
static size_t kin_noun(const char *nl, size_t nn) {
    for (size_t k = 0; k < sizeof kin_nouns / sizeof *kin_nouns; k++)
        if (strlen(kin_nouns[k].noun) == nn && !memcmp(kin_nouns[k].noun, nl, nn))
            return k + 1;
    return 0;
}

/* The owner's relative the kin noun (its kin_noun() index + 1) names: "mother"
 * of Elizabeth is "Mrs. Bennet". The family name is the last word of the
 * owner's name, or of an alias of two words or more ("Elizabeth" is also
 * "Miss Bennet"): the first of them, in that order, that names someone
 * else; with none, a recent speaker of the conversation whose name has the
 * relation's title ("continued her mother": Mrs. Bennet, who spoke last).
 * QUOTH_NONE when the noun is no kin noun (0) or nobody fits. memo: see
 * kin_memo (NULL for none). */
static size_t kin_of(const quoth_doc *doc, size_t owner, size_t noun, size_t q, const kin_memo *memo) {
    if (!noun)
        return QUOTH_NONE;
    const char *title = kin_nouns[noun - 1].title;
    const character *oc = &doc->chars[owner];
    /* the wants go in batches, each one pass over the characters */
    enum { BATCH = 16 };
    char prefix[8], want[BATCH][128];
    size_t nwant = 0, found[BATCH];
    snprintf(prefix, sizeof prefix, "%s ", title);
    for (uint32_t a = 0; a <= oc->naliases; a++) {
        const char *name = a == 0 ? oc->name : oc->aliases[a - 1];
        const char *sp = strrchr(name, ' ');
        if (a == 0 || sp) {
            const char *surname = sp ? sp + 1 : name;
            char low[96];
            utf8_fold(surname, strlen(surname), low, sizeof low);
            snprintf(want[nwant++], sizeof *want, "%s %s", title, low);
        }
        if (nwant < BATCH && (a < oc->naliases || nwant == 0))
            continue;
        characters_called(doc, memo, prefix, want, nwant, found);
        for (size_t w = 0; w < nwant; w++)
            if (found[w] != QUOTH_NONE && character_root(doc, found[w]) != owner)
                return character_root(doc, found[w]);
        nwant = 0;
    }
    for (size_t j = q; j-- > 0 && q - j <= 6;) {
        if (!attr_same_conversation(doc, j, j + 1))
            break;
        size_t sp = doc->quotes[j].speaker;
        if (sp == QUOTH_NONE || character_root(doc, sp) == owner)
            continue;
        char key[128];
        if (name_key(doc->chars[character_root(doc, sp)].name, prefix, strlen(prefix), key))
            return character_root(doc, sp);
    }
    return QUOTH_NONE;
}

/* The relative kin mention mi names by the family name ("said her
 * father": the owner's Mr. Bennet), or QUOTH_NONE; *owner is whoever
 * "his"/"her" is (by gender and salience), *pg that gender. With kin_only
 * a gender, only a kin noun whose owner is not of that gender is read
 * (and no owner is looked for otherwise); QUOTH_GENDER_UNKNOWN reads any.
 * memo (or NULL) keeps kin_of()'s answers: only while no quotation has a
 * speaker. */
static size_t kin_relative(const quoth_doc *doc, size_t mi, size_t q, quoth_gender kin_only, kin_memo *memo,
                           size_t *owner, quoth_gender *pg) {
    const mention *m = &doc->mentions[mi];
    char pl[FOLD_MAX], nl[FOLD_MAX];
    size_t pn = token_fold(doc, m->token, pl);
    size_t nn = token_fold(doc, m->token + m->ntokens - 1, nl);
    *pg = (pn == 3 && !memcmp(pl, "his", 3))   ? QUOTH_GENDER_MALE
          : (pn == 3 && !memcmp(pl, "her", 3)) ? QUOTH_GENDER_FEMALE
                                               : QUOTH_GENDER_UNKNOWN;
    *owner = QUOTH_NONE;
    size_t noun = kin_noun(nl, nn);
    if (*pg == QUOTH_GENDER_UNKNOWN || (kin_only && (*pg == kin_only || !noun)))
        return QUOTH_NONE;
    *owner = resolve_anaphor_as(doc, mi, q, *pg, QUOTH_NONE, ANAPHOR_POSSESSOR);
    if (*owner == QUOTH_NONE || !noun)
        return QUOTH_NONE;
    if (memo)
        for (size_t i = 0; i < memo->n; i++)
            if (memo->owner[i] == *owner && memo->noun[i] == noun)
                return memo->rel[i] == UINT32_MAX ? QUOTH_NONE : memo->rel[i];
    size_t rel = kin_of(doc, *owner, noun, q, memo);
    if (memo) {
        size_t i = memo->n < KIN_MEMO ? memo->n++ : (size_t)(*owner + noun) % KIN_MEMO;
        memo->owner[i] = (uint32_t)*owner;
        memo->noun[i] = (uint32_t)noun;
        memo->rel[i] = rel == QUOTH_NONE ? UINT32_MAX : (uint32_t)rel;
    }
    return rel;
}

/* "met by her father": see internal.h */
size_t attr_relative_named(const quoth_doc *doc, size_t mi, quoth_gender g) {
    size_t lo = 0, hi = doc->nrel;
    while (lo < hi) { /* doc->rel is in mention order */
        size_t mid = lo + (hi - lo) / 2;
        if (doc->rel[mid].mention < mi)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == doc->nrel || doc->rel[lo].mention != mi || doc->chars[doc->rel[lo].ch].gender != g)
        return QUOTH_NONE;
    return character_root(doc, doc->rel[lo].ch);
}

/* memo's titled names (kin_memo), malloc'd. false: out of memory. */
static bool titled_names(const quoth_doc *doc, kin_memo *memo) {
    static const struct {
        const char *t;
        size_t n;
    } titles[] = {{"mr ", 3}, {"mrs ", 4}, {"miss ", 5}};
    size_t cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t n = 0;
        for (size_t c = 0; c < doc->nchar; c++) {
            const character *ch = &doc->chars[c];
            if (ch->merged_into != QUOTH_NONE)
                continue;
            for (uint32_t i = 0; i <= ch->naliases; i++) {
                char key[128];
                bool titled = false;
                for (size_t t = 0; t < sizeof titles / sizeof *titles && !titled; t++)
                    titled = name_key(i == 0 ? ch->name : ch->aliases[i - 1], titles[t].t,
                                      titles[t].n, key);
                if (!titled)
                    continue;
                if (pass == 1 && n < cap) {
                    memo->titled[n].ch = c;
                    memcpy(memo->titled[n].key, key, sizeof key);
                }
                n++;
            }
        }
        if (pass == 0) {
            cap = n;
            memo->titled = malloc((cap ? cap : 1) * sizeof *memo->titled);
            if (!memo->titled)
                return false;
        }
        memo->ntitled = n < cap ? n : cap;
    }
    return true;
}

/* Finds, once, the relatives the kin mentions of the narration name by
 * the family name (attr_relative_named), each for the quotation after it,
 * before any quotation has a speaker: doc->rel. false: out of memory. */
static bool find_relatives(quoth_doc *doc) {
    doc->rel = NULL;
    doc->nrel = 0;
    kin_memo memo = {.n = 0};
    size_t n = 0, cap = 0, q = 0;
    struct { uint32_t mention, ch; } *rel = NULL;
    bool ok = true;
    for (size_t mi = 0; mi < doc->nment && ok && doc->nquote; mi++) {
        const mention *m = &doc->mentions[mi];
        if (!m->relational || m->quote || m->kind != QUOTH_MENTION_DESCRIPTOR || mention_character(m) != QUOTH_NONE)
            continue;
        /* only a pronoun in its paragraph or the next asks */
        size_t p = m->para;
        if (!doc->paras[p].has_quote && !(p + 1 < doc->npara && doc->paras[p + 1].has_quote))
            continue;
        quoth_gender g = descriptor_noun_gender(doc, m);
        if (g != QUOTH_GENDER_MALE && g != QUOTH_GENDER_FEMALE)
            continue;
        if (!memo.titled && !(ok = titled_names(doc, &memo)))
            break;
        uint32_t at = token_start_at(doc, m->token);
        while (q + 1 < doc->nquote && doc->quotes[q].spans[0].start < at)
            q++;
        size_t owner;
        quoth_gender pg;
        size_t ch = kin_relative(doc, mi, q, g, &memo, &owner, &pg);
        /* "her mother" may be a she as well as her daughter: only a
         * relative of the other gender */
        if (ch == QUOTH_NONE || pg == g || doc->chars[ch].gender != g)
            continue;
        if (n == cap) {
            void *grown = realloc(rel, (cap = cap ? 2 * cap : 16) * sizeof *rel);
            if (!(ok = grown != NULL))
                break;
            rel = grown;
        }
        rel[n].mention = (uint32_t)mi;
        rel[n++].ch = (uint32_t)ch;
    }
    if (ok && n) {
        doc->rel = arena_alloc_uninit(&doc->mem, n * sizeof *doc->rel);
        if ((ok = doc->rel != NULL)) {
            memcpy(doc->rel, rel, n * sizeof *doc->rel);
            doc->nrel = n;
        }
    }
    free(rel);
    free(memo.titled);
    return ok;
}

/* "cried his wife", "said her father": whoever "his"/"her" is (by gender
 * and salience), the wife of Mr. Bennet is Mrs. Bennet when the text has
 * her; otherwise someone of the noun's gender other than the possessor. */
static size_t resolve_relation(const quoth_doc *doc, size_t mi, size_t q) {
    size_t owner;
    quoth_gender pg;
    size_t rel = kin_relative(doc, mi, q, QUOTH_GENDER_UNKNOWN, NULL, &owner, &pg);
    if (rel != QUOTH_NONE)
        return rel;
    return resolve_anaphor_as(doc, mi, q, descriptor_noun_gender(doc, &doc->mentions[mi]), owner,
                              owner != QUOTH_NONE ? ANAPHOR_RELATIVE : 0);
}

/* A cast character's common-noun alias ("The Girl" for Persephone, "The
 * Child" for Randolph) read as "the girl" in lower case, when the
 * character has a name of its own and no mention by name in the last
 * GENERIC_ALIAS_PARAS paragraphs: the description is then more likely
 * some other girl in the scene than the cast's. */
#define GENERIC_ALIAS_PARAS 30
static bool generic_alias_away(const quoth_doc *doc, size_t mi) {
    const mention *m = &doc->mentions[mi];
    size_t c = mention_character(m);
    if (m->kind != QUOTH_MENTION_DESCRIPTOR || m->relational || m->titled || m->ntokens < 2 || !word_is(doc, m->token, "the"))
        return false;
    for (size_t k = 1; k < m->ntokens; k++)
        if (doc->tokens[m->token + k].flags & TOK_CAP)
            return false;
    const char *nm = doc->chars[c].name;
    if (!nm || !(*nm >= 'A' && *nm <= 'Z') || !strncmp(nm, "The ", 4) || !strncmp(nm, "A ", 2))
        return false; /* known only by descriptions: "The Little Old Lady" */
    for (size_t k = mi; k-- > 0;) {
        const mention *o = &doc->mentions[k];
        if (o->para + GENERIC_ALIAS_PARAS < m->para)
            break;
        if (o->kind == QUOTH_MENTION_NAME && mention_character(o) == c)
            return false;
    }
    return true;
}

/* "replied the other": the one of the conversation before quotation q
 * who did not speak the quotation just before it (the latest speaker
 * other than that one, within OTHER_BACK quotations), or QUOTH_NONE. */
#define OTHER_BACK 6
static size_t other_participant(const quoth_doc *doc, size_t q) {
    if (q == 0 || !attr_same_conversation(doc, q - 1, q) || doc->quotes[q - 1].speaker == QUOTH_NONE)
        return QUOTH_NONE;
    size_t last = character_root(doc, doc->quotes[q - 1].speaker);
    for (size_t k = q - 1, n = 0; k-- > 0 && n < OTHER_BACK; n++) {
        if (!attr_same_conversation(doc, k, k + 1))
            break;
        size_t s = doc->quotes[k].speaker;
        if (s != QUOTH_NONE && character_root(doc, s) != last)
            return character_root(doc, s);
    }
    return QUOTH_NONE;
}

static size_t resolve_mention(const quoth_doc *doc, size_t mi, size_t q) {
    const mention *m = &doc->mentions[mi];
    if (mention_is_the_other(doc, m))
        return other_participant(doc, q);
    if (mention_character(m) != QUOTH_NONE && m->kind == QUOTH_MENTION_DESCRIPTOR && doc->chars[mention_character(m)].descriptor_only &&
        (descriptor_noun_gender(doc, m) == QUOTH_GENDER_MALE || descriptor_noun_gender(doc, m) == QUOTH_GENDER_FEMALE) &&
        !doc->opts.cast) {
        /* "said the gentleman": a named man in the scene, if there is one;
         * else the gentleman himself */
        size_t named = resolve_anaphor(doc, mi, q, descriptor_noun_gender(doc, m), QUOTH_NONE);
        if (named != QUOTH_NONE && !doc->chars[named].descriptor_only)
            return named;
    }
    if (mention_character(m) != QUOTH_NONE && doc->opts.cast && generic_alias_away(doc, mi)) {
        /* "said the girl" where the cast's girl is out of the scene: the
         * girl the scene holds */
        quoth_gender g = descriptor_noun_gender(doc, m);
        size_t named = g == QUOTH_GENDER_MALE || g == QUOTH_GENDER_FEMALE ? resolve_anaphor(doc, mi, q, g, QUOTH_NONE) : QUOTH_NONE;
        if (named != QUOTH_NONE)
            return named;
    }
    if (mention_character(m) != QUOTH_NONE) {
        size_t ch = character_root(doc, mention_character(m));
        return ch;
    }
    if (m->kind == QUOTH_MENTION_PRONOUN)
        return resolve_anaphor(doc, mi, q, m->gender, QUOTH_NONE);
    if (m->kind == QUOTH_MENTION_DESCRIPTOR && m->relational)
        return resolve_relation(doc, mi, q);
    if (m->kind == QUOTH_MENTION_DESCRIPTOR)
        return resolve_anaphor(doc, mi, q, descriptor_noun_gender(doc, m), QUOTH_NONE);
    return QUOTH_NONE;
}

/* The person a tag addresses, right after its speaker and verb: "Ann asked
 * Tom", "said Lex to Clark", "she told him". QUOTH_NONE when none. */
static size_t tag_object(const quoth_doc *doc, size_t speaker_mention, size_t end) {
    const mention *sm = &doc->mentions[speaker_mention];
    size_t j = sm->token + sm->ntokens;
    char scratch[FOLD_MAX];
    bool verb = false;
    for (size_t steps = 0; j < end && steps < 4; steps++) {
        const token *t = &doc->tokens[j];
        if (!(t->flags & TOK_WORD) || (t->flags & TOK_QUOTED))
            return QUOTH_NONE;
        size_t m = mention_at_token(doc, j);
        if (m != QUOTH_NONE && verb) {
            const mention *mm = &doc->mentions[m];
            if (mm->kind == QUOTH_MENTION_PRONOUN && (mm->pcase == PRON_POSS || mm->first_person))
                return QUOTH_NONE;
            return m;
        }
        size_t n;
        const char *w = token_word(doc, j, scratch, &n);
        if (token_is_speech_verb(doc, j))
            verb = true;
        else if (!(n == 2 && w[0] == 't' && w[1] == 'o') && !(n > 3 && w[n - 2] == 'l' && w[n - 1] == 'y'))
            return QUOTH_NONE;
        j++;
    }
    return QUOTH_NONE;
}

/* Verbs that with "in", "out" or "up" make a speech tag ("put in",
 * "broke in", "cried out", "spoke up"); most are no speech verb alone. */
static bool phrasal_tag_verb(const char *low) {
    static const char *const vs[] = {"put",   "broke", "cut",   "chimed", "struck", "burst", "called",
                                     "cried", "spoke", "piped", "sang",   "butted", "shouted", "joined"};
    for (size_t i = 0; i < sizeof vs / sizeof *vs; i++)
        if (!strcmp(low, vs[i]))
            return true;
    return false;
}

/* Is token k a lower-case past tense ("flashed", "opined"; not "the")? */
static bool inverted_verb_at(const quoth_doc *doc, size_t k) {
    if (!(doc->tokens[k].flags & TOK_WORD) || (doc->tokens[k].flags & (TOK_CAP | TOK_QUOTED)))
        return false;
    char scratch[FOLD_MAX];
    size_t n;
    const char *low = token_word(doc, k, scratch, &n);
    return n >= 4 && low[n - 2] == 'e' && low[n - 1] == 'd';
}

/* Do tokens [from, to) end at a verb of taking up speech, "continued.",
 * "began.", "went on.", "began again." (no object: what follows is the
 * speech)? Not "laughed." or "explained.", which report and do not
 * introduce. */
static bool ends_taking_up_speech(const quoth_doc *doc, size_t from, size_t to) {
    static const char *const vs[] = {"continued", "began", "resumed", "proceeded", "added"};
    if (to < from + 3 || !punct_is(doc, to - 1, ".:"))
        return false;
    size_t k = to - 2;
    if (word_is(doc, k, "again") && k > from + 1)
        k--;
    if (word_is(doc, k, "on") && k > from && word_is(doc, k - 1, "went"))
        return true;
    for (size_t i = 0; i < sizeof vs / sizeof *vs; i++)
        if (word_is(doc, k, vs[i]))
            return true;
    return false;
}

/* Is token v a speech verb in its bare form ("say", "exclaim"; not
 * "said", "saying", "says")? */
static bool bare_speech_verb(const quoth_doc *doc, size_t v, size_t to) {
    if (v >= to || !token_is_speech_verb(doc, v))
        return false;
    char scratch[FOLD_MAX];
    size_t n;
    const char *low = token_word(doc, v, scratch, &n);
    return !(n > 2 && low[n - 1] == 'd' && low[n - 2] == 'e') && !(n > 3 && !memcmp(low + n - 3, "ing", 3)) &&
           !(n > 1 && low[n - 1] == 's');
}

/* "Mr. Beebe heard her kiss Lucy and say:", "on hearing her exclaim": an
 * object pronoun before a speech verb in its bare form is who speaks (no
 * finite verb follows "him" or "her"). */
static bool bare_infinitive_speaker(const quoth_doc *doc, const mention *mm, size_t to) {
    if (mm->kind != QUOTH_MENTION_PRONOUN || mm->first_person || !(mm->pcase == PRON_ACC || mm->pcase == PRON_POSS))
        return false;
    if (!word_is(doc, mm->token, "her") && !word_is(doc, mm->token, "him") && !word_is(doc, mm->token, "them"))
        return false;
    return bare_speech_verb(doc, mm->token + mm->ntokens, to);
}

/* Is token k a form of "hear"? */
static bool hear_verb(const quoth_doc *doc, size_t k) {
    return word_is(doc, k, "heard") || word_is(doc, k, "hear") || word_is(doc, k, "hears") ||
           word_is(doc, k, "hearing");
}

/* "she heard Ralph say,", "he heard Katharine say.": a name (or a
 * description) heard saying, right after a form of "hear" and before a
 * speech verb in its bare form, is who speaks, not the one who hears. */
static bool heard_speaker(const quoth_doc *doc, const mention *mm, size_t to) {
    if (mm->kind == QUOTH_MENTION_PRONOUN || mm->kind == QUOTH_MENTION_VOCATIVE || mm->possessive ||
        !person_mention(mm) || mm->token == 0 || !hear_verb(doc, mm->token - 1))
        return false;
    return bare_speech_verb(doc, mm->token + mm->ntokens, to);
}

/* In a tag after the quotation, "he heard Katharine say." / "she could
 * hear him say,": who is heard (subject m hears), or QUOTH_NONE. */
static size_t heard_after_subject(const quoth_doc *doc, const mention *mm, size_t end) {
    size_t v = mm->token + mm->ntokens;
    if (v < end && (word_is(doc, v, "could") || word_is(doc, v, "would") || word_is(doc, v, "did") ||
                    word_is(doc, v, "can")))
        v++;
    if (v + 1 >= end || !hear_verb(doc, v))
        return QUOTH_NONE;
    size_t m2 = mention_at_token(doc, v + 1);
    if (m2 == QUOTH_NONE)
        return QUOTH_NONE;
    const mention *o = &doc->mentions[m2];
    return heard_speaker(doc, o, end) || bare_infinitive_speaker(doc, o, end) ? m2 : QUOTH_NONE;
}

/* Narration tokens right after position pos (a closing mark): the tag
 * clause. Returns the mention that is its speaker, or QUOTH_NONE. */
static size_t tag_after(const quoth_doc *doc, size_t pos, size_t para, bool *speech_verb,
                        bool *at_start, quoth_gender *owned) {
    const paragraph *pp = &doc->paras[para];
    size_t end = (size_t)pp->first_token + pp->token_count;
    size_t i = token_at_in(doc, para, pos);
    *speech_verb = false;
    *at_start = false;
    *owned = QUOTH_GENDER_UNKNOWN;
    /* skip the closing mark and the punctuation after it */
    while (i < end && (doc->tokens[i].flags & TOK_PUNCT) && !(doc->tokens[i].flags & TOK_QUOTED) &&
           (punct_is(doc, i, ",;:-") || token_is_quote_mark(doc, i)))
        i++;
    if (i >= end || (doc->tokens[i].flags & TOK_QUOTED))
        return QUOTH_NONE;
    size_t words = 0;
    char low[FOLD_MAX];
    /* ""M--m--m!" from Mr. Wilcox, who thought it amusing": who it comes
     * from speaks */
    if (i + 1 < end && word_is(doc, i, "from")) {
        size_t m = mention_at_token(doc, i + 1);
        if (m != QUOTH_NONE && person_mention(&doc->mentions[m]) && !doc->mentions[m].possessive &&
            !(doc->tokens[i + 1].flags & TOK_QUOTED)) {
            *speech_verb = true;
            *at_start = true;
            return m;
        }
    }
    /* "..., was Fanny's humble answer" / "was his reply": the owner of the
     * answer speaks */
    if (i + 2 < end && (word_is(doc, i, "was") || word_is(doc, i, "came"))) {
        size_t m = mention_at_token(doc, i + 1);
        if (m != QUOTH_NONE && doc->mentions[m].possessive && doc->mentions[m].kind != QUOTH_MENTION_VOCATIVE &&
            !(doc->tokens[i + 1].flags & TOK_QUOTED)) {
            for (size_t k = i + 1 + doc->mentions[m].ntokens; k < end && k <= i + 4 + doc->mentions[m].ntokens; k++) {
                if (!(doc->tokens[k].flags & TOK_WORD) || (doc->tokens[k].flags & TOK_QUOTED))
                    break;
                if (token_in(doc, k, LEX_SPEECH_NOUN)) {
                    *speech_verb = true;
                    *at_start = true;
                    return m;
                }
            }
        }
    }
    for (size_t k = i; k < end && k < i + QUOTH_TAG_WINDOW; k++) {
        const token *t = &doc->tokens[k];
        if (t->flags & TOK_QUOTED)
            break;
        if (t->flags & TOK_PUNCT) {
            if (punct_is(doc, k, ".!?;"))
                break;
            continue;
        }
        size_t m = mention_at_token(doc, k);
        if (m != QUOTH_NONE && person_mention(&doc->mentions[m])) {
            const mention *mm = &doc->mentions[m];
            if (words == 1 && *speech_verb && mm->possessive && mm->kind != QUOTH_MENTION_PRONOUN &&
                !attr_named_voice(doc, mm, end)) {
                /* "said Margaret's young man": not Margaret, but a man
                 * other than her (the noun's gender), or no one */
                for (size_t j = k + mm->ntokens; j < end && j < k + mm->ntokens + 2; j++) {
                    if (!(doc->tokens[j].flags & TOK_WORD) || (doc->tokens[j].flags & TOK_QUOTED))
                        break;
                    *owned = token_noun_gender(doc, j);
                    if (*owned == QUOTH_GENDER_UNKNOWN)
                        continue;
                    *at_start = true;
                    return m;
                }
                return QUOTH_NONE;
            }
            /* "flashed Helen.", "opined Mrs. Munt,": a verb in -ed put
             * before a name right after the closing mark is a speech tag
             * whatever the verb (English inverts only those) */
            bool inverted = words == 1 && !*speech_verb && k == i + 1 && mm->kind == QUOTH_MENTION_NAME &&
                            !mm->possessive && inverted_verb_at(doc, i) &&
                            (k + mm->ntokens >= end || punct_is(doc, k + mm->ntokens, ",.;!?"));
            if (inverted)
                *speech_verb = true;
            if (words == 0 || (words == 1 && *speech_verb)) {
                /* "Lex said" / "said Lex" / "Lex's voice" */
                size_t nx = k + mm->ntokens;
                size_t heard = words == 0 ? heard_after_subject(doc, mm, end) : QUOTH_NONE;
                if (heard != QUOTH_NONE) { /* "he heard Katharine say." */
                    *speech_verb = true;
                    *at_start = true;
                    return heard;
                }
                if (nx < end && (doc->tokens[nx].flags & TOK_WORD)) {
                    if (token_is_speech_verb(doc, nx))
                        *speech_verb = true;
                }
                *at_start = true;
                if (mm->possessive && mm->kind == QUOTH_MENTION_PRONOUN && words == 0)
                    *at_start = false;
                return m;
            }
            /* later in the clause: only a subject or possessive pronoun */
            if (mm->subject || mm->possessive)
                return m;
            return QUOTH_NONE;
        }
        token_fold(doc, k, low); /* the word, for the tests by name below */
        if (words == 0 && k + 2 < end && phrasal_tag_verb(low) && (doc->tokens[k + 1].flags & TOK_WORD) &&
            !(doc->tokens[k + 1].flags & TOK_QUOTED) &&
            (word_is(doc, k + 1, "in") || word_is(doc, k + 1, "out") || word_is(doc, k + 1, "up"))) {
            /* "put in Lucy", "broke in Mr. Davis", "spoke up Tom": the
             * verb and its particle are one speech verb */
            *speech_verb = true;
            words = 1;
            k++;
            continue;
        }
        if (words == 1 && *speech_verb && (!strcmp(low, "old") || !strcmp(low, "young") || !strcmp(low, "little")) &&
            k + 1 < end && mention_at_token(doc, k + 1) != QUOTH_NONE)
            continue; /* "broke in old Isaac Brown" */
        if (words == 1 && *speech_verb && !strcmp(low, "the")) {
            /* "said the more candid Lady Bertram", "responded the
             * ingenious Giovanelli": a name after "the" and its epithet */
            size_t j = k + 1;
            while (j < end && j <= k + 3 && (doc->tokens[j].flags & TOK_WORD) &&
                   !(doc->tokens[j].flags & (TOK_QUOTED | TOK_CAP)))
                j++;
            size_t nm = j > k + 1 && j < end ? mention_at_token(doc, j) : QUOTH_NONE;
            if (nm != QUOTH_NONE && doc->mentions[nm].kind == QUOTH_MENTION_NAME) {
                k = j - 1;
                continue;
            }
        }
        if (words == 0 && token_is_speech_verb(doc, k))
            *speech_verb = true;
        else if (words == 0 && (!strcmp(low, "and") || !strcmp(low, "then") || !strcmp(low, "but")))
            continue; /* "and the name fell" does not count as the first word */
        words++;
        if (words > 8)
            break;
    }
    return QUOTH_NONE;
}

/* Is the period at token k the end of an abbreviation ("Mr.", "J.")? */
static bool after_abbreviation(const quoth_doc *doc, size_t k) {
    if (k == 0 || !(doc->tokens[k - 1].flags & TOK_WORD) ||
        token_end(doc, &doc->tokens[k - 1]) != token_start_at(doc, k))
        return false;
    char scratch[FOLD_MAX];
    size_t n; /* its length: the fold itself is not read */
    token_word(doc, k - 1, scratch, &n);
    return token_in(doc, k - 1, LEX_HONORIFIC) || (n == 1 && (doc->tokens[k - 1].flags & TOK_CAP));
}

/* Does token k end a sentence: ".", "!" or "?", not an abbreviation's
 * period ("Dr. Grant")? */
static bool sentence_end(const quoth_doc *doc, size_t k) {
    return punct_is(doc, k, ".!?") && !after_abbreviation(doc, k);
}

/* "the alien's voice cracked", "Lady Bertram's calm inquiry of": see internal.h */
bool attr_named_voice(const quoth_doc *doc, const mention *m, size_t to) {
    size_t nx = m->token + m->ntokens;
    if (!m->possessive || m->kind == QUOTH_MENTION_PRONOUN || nx >= to || nx >= doc->ntok)
        return false;
    char scratch[FOLD_MAX];
    /* up to two words between: "Lady Bertram's calm inquiry of" */
    for (size_t k = nx; k < to && k < doc->ntok && k <= nx + 2; k++) {
        const token *t = &doc->tokens[k];
        if (!(t->flags & TOK_WORD) || (t->flags & (TOK_QUOTED | TOK_CAP)))
            return false;
        size_t nl;
        const char *w = token_word(doc, k, scratch, &nl);
        if (nl && lexicon_has(LEX_SPEECH_NOUN, w, nl))
            return true;
    }
    return false;
}

/* Is the mention at token k in object position: right after a preposition
 * or a participle ("stepping forward to Maria", "approaching Julia")? */
static bool object_position(const quoth_doc *doc, size_t s, size_t k) {
    if (k <= s || !(doc->tokens[k - 1].flags & TOK_WORD))
        return false;
    char low[FOLD_MAX];
    size_t n = token_fold(doc, k - 1, low);
    if (!n)
        return false;
    if (lexicon_has(LEX_PREPOSITION, low, n))
        return true;
    return n > 4 && memcmp(low + n - 3, "ing", 3) == 0;
}

/* Does the subordinate clause starting at token a end before token b: a
 * comma and "and", "but" or "then" between them ("came towards the table
 * where she sat in wretchedness, and with cold sternness, said": the
 * speech verb is the main clause's again)? */
static bool clause_ends_between(const quoth_doc *doc, size_t a, size_t b) {
    bool relative = false; /* in ", who ...,": its own "and" does not count */
    for (size_t k = a + 1; k + 1 < b; k++) {
        if (!punct_is(doc, k, ","))
            continue;
        if (word_is(doc, k + 1, "who") || word_is(doc, k + 1, "which"))
            relative = true;
        else if (relative)
            relative = false;
        else if (word_is(doc, k + 1, "and") || word_is(doc, k + 1, "but") || word_is(doc, k + 1, "then"))
            return true;
    }
    return false;
}

/* The subject of the clause tokens [s, to) introduce, or QUOTH_NONE. */
static size_t clause_subject(const quoth_doc *doc, size_t s, size_t to, bool last_clause, bool *has_speech_verb) {
    size_t best = QUOTH_NONE, poss = QUOTH_NONE, sub = QUOTH_NONE, poss_start = QUOTH_NONE;
    size_t any = QUOTH_NONE;     /* "At last the Dodo said,": the nearest name */
    size_t any_obj = QUOTH_NONE; /* ... unless it is an object ("approaching Julia") */
    bool spoke = false;          /* a speech verb after the subject: the rest is its complement */
    size_t sub_spoke = QUOTH_NONE; /* a subordinate subject nearer the speech verb than the main one */
    char low[FOLD_MAX];
    /* the mentions from token s on, walked with k: mention_at_token(k) */
    size_t mc = mention_from_token(doc, s);
    for (size_t k = s; k < to && !spoke; k++) {
        if (doc->tokens[k].flags & TOK_QUOTED)
            continue;
        while (mc < doc->nment && doc->mentions[mc].token < k)
            mc++;
        size_t m = mc < doc->nment && doc->mentions[mc].token == k ? mc : QUOTH_NONE;
        if (m != QUOTH_NONE) {
            const mention *mm = &doc->mentions[m];
            if (bare_infinitive_speaker(doc, mm, to)) {
                best = m; /* "heard her say," */
                poss = QUOTH_NONE;
                continue;
            }
            if (mm->subject && person_mention(mm) && mm->subordinate) {
                sub = m;
            } else if (mm->subject && person_mention(mm)) {
                best = m;
            } else if (!mm->possessive && mm->kind != QUOTH_MENTION_PRONOUN && mm->kind != QUOTH_MENTION_VOCATIVE) {
                if (object_position(doc, s, k))
                    any_obj = m;
                else
                    any = m;
            } else if (mm->possessive && mm->kind != QUOTH_MENTION_PRONOUN) {
                if (k == s || (k == s + 1 && (doc->tokens[s].flags & TOK_PUNCT)))
                    poss_start = m;
                size_t nx = k + mm->ntokens;
                if (attr_named_voice(doc, mm, to)) {
                    best = m; /* "the alien's voice cracked": it introduces speech */
                    *has_speech_verb = true;
                } else if (nx + 3 >= to)
                    poss = m; /* "the creature's forceful, "No!"" */
            }
            continue;
        }
        /* "Miss Crawford, who had been eyeing Dr. Grant and Edmund, now
         * observed": the names in a relative clause are not the subject;
         * it runs to the last comma before the next speech verb */
        if (k > s && punct_is(doc, k - 1, ",") && (word_is(doc, k, "who") || word_is(doc, k, "whose")) &&
            (best != QUOTH_NONE || any != QUOTH_NONE)) {
            size_t v = k + 1, comma = QUOTH_NONE;
            for (; v < to && !(doc->tokens[v].flags & TOK_QUOTED); v++) {
                if (sentence_end(doc, v) || punct_is(doc, v, ";"))
                    break; /* "eyeing Dr. Grant" goes on */
                if (punct_is(doc, v, ","))
                    comma = v;
                else if (token_is_speech_verb(doc, v))
                    break;
            }
            /* ... but in "the White Rabbit, who said" or "Mary, who, on
             * having occasion to note the day, exclaimed" the speech verb
             * is the relative clause's own: its antecedent speaks */
            bool own = v < to && token_is_speech_verb(doc, v) && (comma == QUOTH_NONE || punct_is(doc, k + 1, ","));
            size_t ante = own ? mention_ending_at(doc, k - 2) : QUOTH_NONE;
            if (ante != QUOTH_NONE && person_mention(&doc->mentions[ante]) && !doc->mentions[ante].possessive &&
                doc->mentions[ante].kind != QUOTH_MENTION_PRONOUN && doc->mentions[ante].kind != QUOTH_MENTION_VOCATIVE) {
                best = ante;
                poss = QUOTH_NONE;
                k = v - 1; /* the loop goes on at the verb */
                continue;
            }
            if (v < to && comma != QUOTH_NONE && token_is_speech_verb(doc, v)) {
                k = comma; /* the loop goes on after the clause's comma */
                continue;
            }
        }
        /* a speech verb (its word's lexicon lists: no folding to ask),
         * after a subject, main or subordinate ("when Mary replied,") */
        if (token_is_speech_verb(doc, k)) {
            size_t n = token_fold(doc, k, low);
            /* "when thus accosted by Miss Bingley,": the passive's agent
             * speaks, and the clause ends with its name */
            if (n > 2 && low[n - 2] == 'e' && low[n - 1] == 'd' && k + 2 < to && word_is(doc, k + 1, "by")) {
                size_t ag = mention_at_token(doc, k + 2);
                if (ag != QUOTH_NONE && person_mention(&doc->mentions[ag]) && !doc->mentions[ag].possessive &&
                    doc->mentions[ag].kind != QUOTH_MENTION_PRONOUN) {
                    *has_speech_verb = true;
                    return ag;
                }
            }
            if (best != QUOTH_NONE || sub != QUOTH_NONE)
                *has_speech_verb = true;
            /* the last speech verb's: "When Edmund told her ..., Mrs.
             * Norris would only say," */
            sub_spoke = sub != QUOTH_NONE && (best == QUOTH_NONE || sub > best) &&
                                !clause_ends_between(doc, doc->mentions[sub].token, k)
                            ? sub
                            : QUOTH_NONE;
            /* "..., said, in a voice which she only could hear," or
             * "said to Elizabeth,": who comes after the verb is not its
             * subject ("As she went up stairs" goes on) */
            /* not a gerund: "The alien stopped breathing, and Lex ..." */
            bool gerund = n > 4 && !memcmp(low + n - 3, "ing", 3);
            spoke = !gerund && k + 1 < to && (punct_is(doc, k + 1, ",:") || word_is(doc, k + 1, "to")) &&
                    (last_clause || best != QUOTH_NONE || any != QUOTH_NONE);
        }
    }
    if (poss != QUOTH_NONE)
        return poss;
    /* "William floundered so that Katharine collected herself and asked:",
     * "Mrs Musgrove was beginning, when Mary interrupted her by
     * exclaiming": the speech verb's own clause is the subordinate one */
    if (sub_spoke != QUOTH_NONE)
        return sub_spoke;
    if (best != QUOTH_NONE)
        return best;
    if (sub != QUOTH_NONE)
        return sub;
    if (poss_start != QUOTH_NONE)
        return poss_start;
    return any != QUOTH_NONE ? any : any_obj;
}

/* The subject of the last sentence of narration in [from, to): for a tag
 * before a quotation, or an introducing paragraph. */
size_t attr_last_sentence_subject(const quoth_doc *doc, size_t from, size_t to, bool *has_speech_verb) {
    *has_speech_verb = false;
    if (to <= from)
        return QUOTH_NONE;
    /* the last sentence starts after the last sentence-final punctuation
     * (ignoring the tokens right at the end) */
    size_t s = to, clause = QUOTH_NONE;
    if (to - from > QUOTH_SENTENCE_TOKENS)
        from = to - QUOTH_SENTENCE_TOKENS; /* a longer "sentence" is no tag */
    while (s > from) {
        size_t k = s - 1;
        if (k + 2 < to && !(doc->tokens[k].flags & TOK_QUOTED) && sentence_end(doc, k))
            break;
        if (doc->tokens[k].flags & TOK_QUOTED)
            break;
        if (clause == QUOTH_NONE && k + 2 < to && punct_is(doc, k, ";"))
            clause = s; /* "Mr. Yates exclaimed; and ..., when Mr. Rushworth said," */
        s--;
    }
    if (clause != QUOTH_NONE) {
        size_t m = clause_subject(doc, clause, to, true, has_speech_verb);
        if (m != QUOTH_NONE)
            return m;
        *has_speech_verb = false;
    }
    return clause_subject(doc, s, to, false, has_speech_verb);
}

size_t attr_para_subject(const quoth_doc *doc, para_subject *memo, size_t p,
                         bool *has_speech_verb) {
    if (!memo || !memo[p]) {
        const paragraph *pp = &doc->paras[p];
        size_t from = pp->first_token, to = from + pp->token_count;
        size_t m = attr_last_sentence_subject(doc, from, to, has_speech_verb);
        if (!memo)
            return m;
        memo[p] = 1u + *has_speech_verb + 2u * (m == QUOTH_NONE ? 0 : (uint32_t)m + 1u);
    }
    uint32_t code = memo[p] - 1u;
    *has_speech_verb = code & 1u;
    return code >> 1 ? (size_t)(code >> 1) - 1u : QUOTH_NONE;
}

static void set_speaker(const quoth_doc *doc, quote *q, size_t ch, mention *evid, size_t mi,
                        quoth_rule rule, double conf) {
    q->speaker = ch;
    q->rule = rule;
    q->confidence = conf;
    if (evid) {
        if (mention_character(evid) == QUOTH_NONE)
            mention_set_character(evid, ch); /* resolved: later anaphors see it as a mention of ch */
        q->evidence = mention_span(doc, evid);
        q->evidence_mention = (uint32_t)mi + 1;
        q->type = evid->kind == QUOTH_MENTION_PRONOUN ? QUOTH_QUOTE_ANAPHORIC : QUOTH_QUOTE_EXPLICIT;
    } else {
        q->type = QUOTH_QUOTE_IMPLICIT;
    }
}

static bool para_has_quote(const quoth_doc *doc, size_t p) { return doc->paras[p].has_quote; }

/* The end of paragraph para's tokens before quotation q's opening mark
 * (the paragraph's first token when the quotation opens it). */
static size_t lead_end(const quoth_doc *doc, size_t q, size_t para) {
    size_t from = doc->paras[para].first_token;
    size_t to = quote_token_at(doc, &doc->quotes[q], doc->quotes[q].spans[0].start);
    while (to > from && token_is_quote_mark(doc, to - 1))
        to--;
    return to;
}

/* Do tokens [from, to) end in a clause with a subject and its speech
 * verb, then a comma or a colon ("X said, as she passed him,")? */
static bool ends_in_speech_tag(const quoth_doc *doc, size_t from, size_t to) {
    if (to <= from || !punct_is(doc, to - 1, ",:"))
        return false;
    bool sv;
    size_t m = attr_last_sentence_subject(doc, from, to, &sv);
    return m != QUOTH_NONE && sv;
}

/* Is quotation q introduced in its own paragraph by a clause with a
 * speech verb and a subject, ending in a comma or colon ("X said, as she
 * passed him, "...")? */
static bool verb_tag_before(const quoth_doc *doc, size_t q, size_t para) {
    return ends_in_speech_tag(doc, doc->paras[para].first_token, lead_end(doc, q, para));
}

/* The same a paragraph early: quotation q opens its paragraph, and the
 * paragraph before, narration alone, ends "Katharine remarked:" or "When
 * Katharine remarked:" (a subject and its speech verb, then a colon or a
 * comma). */
static bool verb_intro_before(const quoth_doc *doc, size_t q, size_t para) {
    if (lead_end(doc, q, para) > doc->paras[para].first_token || para == 0 ||
        doc->paras[para - 1].kind != QUOTH_PARA_STORY || para_has_quote(doc, para - 1))
        return false;
    const paragraph *pv = &doc->paras[para - 1];
    return ends_in_speech_tag(doc, pv->first_token, (size_t)pv->first_token + pv->token_count);
}

/* Does the last sentence of tokens [from, to) report a speech rather than
 * lead into one ("Mr. Bennet replied that he had not.", "she asked him
 * whether it was true")? A speech verb followed, within two words, by
 * "that", "whether" or "if". */
static bool reports_speech(const quoth_doc *doc, size_t from, size_t to) {
    size_t s = to;
    while (s > from && !(doc->tokens[s - 1].flags & TOK_SENT_START))
        s--;
    if (s > from)
        s--; /* the sentence's first word */
    for (size_t i = s; i < to; i++) {
        if (!token_is_speech_verb(doc, i))
            continue;
        for (size_t j = i + 1; j < to && j <= i + 3; j++) {
            if (!(doc->tokens[j].flags & TOK_WORD))
                break;
            if (word_is(doc, j, "that") || word_is(doc, j, "whether") || word_is(doc, j, "if"))
                return true;
        }
    }
    return false;
}

/* Is ch the only character the narration names in the few paragraphs
 * before paragraph p ("Ann was alone in the kitchen")? */
static bool alone_in_scene(const quoth_doc *doc, size_t p, size_t ch) {
    size_t from = p > QUOTH_CONVERSATION_GAP ? p - QUOTH_CONVERSATION_GAP : 0;
    for (size_t k = from; k < p; k++) {
        const paragraph *pp = &doc->paras[k];
        for (size_t m = pp->first_mention; m < (size_t)pp->first_mention + pp->mention_count; m++) {
            const mention *mm = &doc->mentions[m];
            if (mm->quote || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_PRONOUN)
                continue;
            if (character_root(doc, mention_character(mm)) != ch)
                return false;
        }
    }
    return true;
}

static void attribute_by_tags(quoth_doc *doc, para_subject *subjects) {
    for (size_t q = 0; q < doc->nquote; q++) {
        quote *qq = &doc->quotes[q];
        size_t para = qq->para_first;
        /* 0. the speaker's possessive just before: the creature's forceful, "No!" */
        {
            size_t to = quote_token_at(doc, qq, qq->spans[0].start);
            size_t from = doc->paras[para].first_token;
            while (to > from && token_is_quote_mark(doc, to - 1))
                to--;
            for (size_t k = to; k > from && k + 4 > to; k--) {
                size_t m = mention_at_token(doc, k - 1);
                if (m == QUOTH_NONE)
                    continue;
                mention *mm = &doc->mentions[m];
                if (mm->possessive && mm->kind != QUOTH_MENTION_PRONOUN && !mm->quote &&
                    punct_is(doc, to - 1, ",:")) {
                    size_t ch = resolve_mention(doc, m, q);
                    if (ch != QUOTH_NONE && !attr_vocative_in_quote(doc, q, ch))
                        set_speaker(doc, qq, ch, mm, m, QUOTH_RULE_TAG_BEFORE, 0.8);
                }
                break;
            }
            if (qq->speaker != QUOTH_NONE)
                continue;
        }
        /* 0b. "somebody's father said, "..."": a speech verb right before the
         * quotation is its tag, even when no character can be found in it;
         * then a mention after the quotation is no evidence */
        {
            size_t to = quote_token_at(doc, qq, qq->spans[0].start);
            size_t from = doc->paras[para].first_token;
            while (to > from && (token_is_quote_mark(doc, to - 1) || punct_is(doc, to - 1, ",:")))
                to--;
            /* "Helen said to her aunt: "..."": the verb's object between */
            size_t obj = QUOTH_NONE;
            if (to > from + 2) {
                size_t om = mention_ending_at(doc, to - 1);
                if (om != QUOTH_NONE) {
                    size_t t0 = doc->mentions[om].token;
                    if (t0 >= from + 2 && !(doc->tokens[t0 - 1].flags & TOK_QUOTED) && word_is(doc, t0 - 1, "to") &&
                        token_is_speech_verb(doc, t0 - 2)) {
                        to = t0 - 1;
                        obj = om;
                    }
                }
            }
            if (to > from && (doc->tokens[to - 1].flags & TOK_WORD) &&
                !(doc->tokens[to - 1].flags & TOK_QUOTED) &&
                token_is_speech_verb(doc, to - 1)) {
                bool sv;
                size_t m = second_tag_subject(doc, from, to);
                if (m == QUOTH_NONE)
                    m = attr_last_sentence_subject(doc, from, to, &sv);
                size_t ch = m != QUOTH_NONE ? resolve_mention(doc, m, q) : QUOTH_NONE;
                if (ch != QUOTH_NONE && !attr_vocative_in_quote(doc, q, ch)) {
                    set_speaker(doc, qq, ch, &doc->mentions[m], m, QUOTH_RULE_TAG_BEFORE, 0.9);
                    if (obj != QUOTH_NONE) {
                        const mention *om = &doc->mentions[obj];
                        size_t to_ch = om->kind == QUOTH_MENTION_PRONOUN && mention_character(om) == QUOTH_NONE
                                           ? resolve_anaphor(doc, obj, q, om->gender, ch)
                                           : resolve_mention(doc, obj, q);
                        if (to_ch != QUOTH_NONE && to_ch != ch)
                            qq->tag_addressee = (uint32_t)to_ch + 1;
                    }
                    continue;
                }
                if (m == QUOTH_NONE && to >= from + 2 &&
                    !(doc->tokens[to - 2].flags & TOK_QUOTED)) {
                    /* the verb's subject is no one we know: leave it */
                    size_t pm = mention_at_token(doc, to - 2);
                    if (pm == QUOTH_NONE) {
                        qq->blocked = true;
                        continue;
                    }
                }
            }
        }
        /* 1. a tag after a span, in that span's paragraph */
        for (uint32_t s = 0; s < qq->nspans; s++) {
            /* the span's paragraph: most often the quotation's first, the
             * one paragraph whose span holds it (no search) */
            size_t at = qq->spans[s].start;
            const span32 first = doc->paras[qq->para_first].span;
            size_t sp = at >= first.start && at < first.end ? qq->para_first : doc_para_at(doc, at);
            if (sp >= doc->npara)
                continue;
            bool sv, start;
            quoth_gender owned;
            size_t m = tag_after(doc, qq->spans[s].end, sp, &sv, &start, &owned);
            if (m == QUOTH_NONE)
                continue;
            size_t ch = resolve_mention(doc, m, q);
            if (owned != QUOTH_GENDER_UNKNOWN) {
                /* the owner's man or woman: for the ranker to weigh; a
                 * relative by the family name ("answered Daisy's mamma":
                 * Mrs. Miller) */
                size_t kin = QUOTH_NONE;
                const mention *om = &doc->mentions[m];
                for (size_t j = om->token + om->ntokens; ch != QUOTH_NONE && kin == QUOTH_NONE && j < doc->ntok &&
                                                         j < om->token + om->ntokens + 2 && (doc->tokens[j].flags & TOK_WORD);
                     j++) {
                    char nl[FOLD_MAX];
                    size_t nn = token_fold(doc, j, nl);
                    kin = kin_of(doc, character_root(doc, ch), kin_noun(nl, nn), q, NULL);
                }
                if (kin != QUOTH_NONE)
                    ch = kin; /* named as surely as by a name: it settles */
                else {
                    ch = resolve_anaphor(doc, m, q, owned, ch);
                    qq->owned_tag = owned;
                }
            }
            const mention *tm = &doc->mentions[m];
            /* the tag's gender: "returned she", or a kin noun ("said her
             * mother") whose owner or relative was not found */
            quoth_gender tg = tm->kind == QUOTH_MENTION_PRONOUN && !tm->first_person ? tm->gender
                              : tm->kind == QUOTH_MENTION_DESCRIPTOR && tm->relational ? descriptor_noun_gender(doc, tm)
                                                                                        : QUOTH_GENDER_UNKNOWN;
            if (ch == QUOTH_NONE && start && (tg == QUOTH_GENDER_MALE || tg == QUOTH_GENDER_FEMALE)) {
                /* ""But it is," returned she" before any woman is named:
                 * no speaker yet, but the tag is the evidence, and its
                 * gender is for the ranker to weigh; the lines before and
                 * after the quotation do not introduce it (a kin noun
                 * likewise: the ranker weighs the women of the scene for
                 * "her mother" rather than the turns alone) */
                qq->evidence = mention_span(doc, tm);
                qq->evidence_mention = (uint32_t)m + 1;
                qq->type = QUOTH_QUOTE_ANAPHORIC;
                qq->pronoun_tag_only = true;
                break;
            }
            if (ch == QUOTH_NONE || attr_vocative_in_quote(doc, q, ch))
                continue;
            /* "Edmund, who was holding the door, said, as she passed him,
             * "..." She had nothing more to wish for.": a tag with its
             * speech verb before the quotation outweighs a sentence with
             * none after it */
            if (!sv && s == 0 && (verb_tag_before(doc, q, para) || verb_intro_before(doc, q, para)))
                break;
            double conf = start ? (sv ? 0.95 : 0.85) : 0.7;
            if (doc->mentions[m].kind == QUOTH_MENTION_PRONOUN)
                conf -= 0.07;
            /* "...a stranger." Mrs. Bennet's eyes sparkled.": a sentence
             * of its own after a whole one, with no speech verb, is a beat
             * (the listener's as often as the speaker's), not a tag */
            bool beat_after = start && !sv && qq->spans[s].end > qq->spans[s].start &&
                              strchr(".!?", doc->text[qq->spans[s].end - 1]) != NULL;
            set_speaker(doc, qq, ch, &doc->mentions[m], m,
                        start && !beat_after ? QUOTH_RULE_TAG_AFTER : QUOTH_RULE_BEAT, conf);
            {
                const paragraph *tp = &doc->paras[sp];
                size_t obj = tag_object(doc, m, (size_t)tp->first_token + tp->token_count);
                if (obj != QUOTH_NONE) {
                    const mention *om = &doc->mentions[obj];
                    size_t to = om->kind == QUOTH_MENTION_PRONOUN && mention_character(om) == QUOTH_NONE
                                    ? resolve_anaphor(doc, obj, q, om->gender, ch) /* "told him": not the speaker */
                                    : resolve_mention(doc, obj, q);
                    if (to != QUOTH_NONE && to != ch)
                        qq->tag_addressee = (uint32_t)to + 1;
                }
            }
            break;
        }
        if (qq->speaker != QUOTH_NONE || qq->pronoun_tag_only)
            continue;
        /* 2. a tag or beat before the first span, in the same paragraph */
        const paragraph *pp = &doc->paras[para];
        size_t from = pp->first_token;
        size_t to = quote_token_at(doc, qq, qq->spans[0].start);
        while (to > from && token_is_quote_mark(doc, to - 1))
            to--;
        if (to > from) {
            bool sv;
            size_t m = second_tag_subject(doc, from, to);
            if (m == QUOTH_NONE)
                m = attr_last_sentence_subject(doc, from, to, &sv);
            if (m != QUOTH_NONE) {
                size_t ch = resolve_mention(doc, m, q);
                bool intro = punct_is(doc, to - 1, ",:-");
                if (ch != QUOTH_NONE && !attr_vocative_in_quote(doc, q, ch)) {
                    set_speaker(doc, qq, ch, &doc->mentions[m], m,
                                intro ? QUOTH_RULE_TAG_BEFORE : QUOTH_RULE_BEAT,
                                intro ? 0.9 : 0.75);
                    continue;
                }
            }
        }
        /* 3. an introducing line or a beat: the paragraph before is
         * narration, or ends in narration of its own after its speech */
        size_t pf = 0, pt = 0;
        bool clause_only = false;
        if (para > 0 && doc->paras[para - 1].kind == QUOTH_PARA_STORY) {
            const paragraph *pv = &doc->paras[para - 1];
            pf = pv->first_token;
            pt = pf + pv->token_count;
            if (para_has_quote(doc, para - 1) || (q > 0 && doc->quotes[q - 1].para_last == para - 1))
                pf = lead_in_after_quotes(doc, pf, pt, &clause_only);
        }
        if (pt > pf) {
            bool sv;
            /* the whole paragraph before, most often: the ranker asks it too */
            size_t m = pf == doc->paras[para - 1].first_token
                           ? attr_para_subject(doc, subjects, para - 1, &sv)
                           : attr_last_sentence_subject(doc, pf, pt, &sv);
            if (m != QUOTH_NONE && clause_only && !(doc->mentions[m].subject && !doc->mentions[m].possessive))
                m = QUOTH_NONE; /* "and looked at Katharine, and said:" has no subject of its own */
            if (m != QUOTH_NONE) {
                size_t ch = resolve_mention(doc, m, q);
                /* only someone who speaks somewhere ("Lex said") or the
                 * narrator: not Napoleon, whom the narration muses about */
                bool lead_in = pt > pf && punct_is(doc, pt - 1, ",:-"); /* "and said," */
                bool speaks = ch != QUOTH_NONE && (lead_in || doc->chars[ch].tag_uses || doc->chars[ch].narrator ||
                                                   doc->mentions[m].kind == QUOTH_MENTION_PRONOUN ||
                                                   alone_in_scene(doc, para, ch));
                if (speaks && !attr_vocative_in_quote(doc, q, ch)) {
                    bool intro = lead_in || (sv && !reports_speech(doc, pf, pt));
                    /* a speech tag, a paragraph early: "and said," or a
                     * sentence ending at a verb of taking up speech ("Lex
                     * continued.", "She went on.") */
                    qq->intro_tag = sv && (lead_in || ends_taking_up_speech(doc, pf, pt));
                    set_speaker(doc, qq, ch, &doc->mentions[m], m,
                                intro ? QUOTH_RULE_INTRO : QUOTH_RULE_NARRATION_BEFORE,
                                intro ? 0.85 : 0.6);
                    if (!intro)
                        qq->type = QUOTH_QUOTE_IMPLICIT; /* a beat, not a tag */
                }
            }
        }
    }
}

/* A paragraph with speech in it introduces the next one's only with
 * narration of its own after its last quotation, ending "and said:": a
 * whole sentence ("He nodded, "Yes, yes." ... Denham got up, looked at
 * Katharine, and said:"), whose first token this returns, or the rest of
 * the quotation's sentence ("said Johnnie, whereupon James fired up and
 * exclaimed:"), whose subject must then be a subject (*clause_only); pt
 * when there is none. */
static size_t lead_in_after_quotes(const quoth_doc *doc, size_t pf, size_t pt, bool *clause_only) {
    if (pt <= pf + 2 || !punct_is(doc, pt - 1, ",:"))
        return pt;
    size_t k = pt - 1;
    while (k > pf && !(doc->tokens[k - 1].flags & TOK_QUOTED))
        k--;
    if (k == pf)
        return pt; /* no quoted token: the quotation is elsewhere */
    for (size_t e = pt - 2; e > k; e--)
        if (sentence_end(doc, e - 1))
            return e;
    *clause_only = true;
    return k;
}

/* Same conversation: no section break and few narration paragraphs apart. */
bool attr_same_conversation_calc(const quoth_doc *doc, size_t a, size_t b) {
    const quote *qa = &doc->quotes[a], *qb = &doc->quotes[b];
    if (doc->paras[qa->para_last].section != doc->paras[qb->para_first].section)
        return false;
    /* the paragraphs between them, counted (not walked) */
    _Static_assert(QUOTH_CONVERSATION_GAP >= 1, "a gap of 0 would part every pair");
    size_t gap = qb->para_first > qa->para_last + 1 ? qb->para_first - qa->para_last - 1 : 0;
    return gap < QUOTH_CONVERSATION_GAP;
}

/* The character addressed by name in quotation q (other than its speaker). */
size_t attr_vocative_of(const quoth_doc *doc, size_t q) {
    const quote *qq = &doc->quotes[q];
    for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote == q + 1 && mm->kind == QUOTH_MENTION_VOCATIVE && mention_character(mm) != QUOTH_NONE) {
            size_t ch = character_root(doc, mention_character(mm));
            if (ch != qq->speaker)
                return ch;
        }
    }
    return QUOTH_NONE;
}

/* Whom quotation q addresses: its vocative, else its tag's object. */
size_t attr_addressed_in(const quoth_doc *doc, size_t q) {
    size_t to = attr_vocative_of(doc, q);
    if (to == QUOTH_NONE && doc->quotes[q].tag_addressee)
        to = character_root(doc, doc->quotes[q].tag_addressee - 1);
    return to;
}

/* Someone else in the scene: the character most recently named in the
 * narration of the conversation so far ("Tom found her there."), other
 * than the one who just spoke. */
static size_t scene_partner(const quoth_doc *doc, size_t q, size_t prev) {
    size_t first = doc->quotes[q].para_first;
    /* back to the start of the conversation, at most a few paragraphs */
    size_t k = q;
    while (k > 0 && attr_same_conversation(doc, k - 1, k) && q - k < 12)
        k--;
    size_t floor = doc->quotes[k].para_first;
    floor = floor > QUOTH_CONVERSATION_GAP ? floor - QUOTH_CONVERSATION_GAP : 0;
    const paragraph *fp = &doc->paras[first];
    for (size_t m = fp->first_mention; m-- > 0;) {
        const mention *mm = &doc->mentions[m];
        if (mm->para < floor || fp->first_mention - m > QUOTH_ANAPHOR_MENTIONS)
            break;
        if (mm->quote || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_PRONOUN)
            continue;
        size_t ch = character_root(doc, mention_character(mm));
        /* a person has a gender by now; places and the merely named do not */
        if (ch != prev && doc->chars[ch].gender != QUOTH_GENDER_UNKNOWN && !attr_vocative_in_quote(doc, q, ch))
            return ch;
    }
    return QUOTH_NONE;
}

/* Does the narration paragraph p have someone other than ch as a
 * subject ("He came and stood beside her" after she spoke)? */
bool attr_someone_else_acts(const quoth_doc *doc, size_t p, size_t ch) {
    const paragraph *pp = &doc->paras[p];
    quoth_gender g = doc->chars[ch].gender;
    for (size_t m = pp->first_mention; m < (size_t)pp->first_mention + pp->mention_count; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote || !mm->subject)
            continue;
        if (mm->kind == QUOTH_MENTION_PRONOUN) {
            if ((mm->gender == QUOTH_GENDER_MALE || mm->gender == QUOTH_GENDER_FEMALE) &&
                (g == QUOTH_GENDER_MALE || g == QUOTH_GENDER_FEMALE) && mm->gender != g)
                return true;
        } else if (mention_character(mm) != QUOTH_NONE && character_root(doc, mention_character(mm)) != ch) {
            return true;
        }
    }
    return false;
}

/* Words in a quotation (its tokens that are words). */
size_t attr_quote_words(const quoth_doc *doc, size_t q) {
    const quote *qq = &doc->quotes[q];
    size_t n = 0;
    for (uint32_t i = 0; i < qq->nspans; i++)
        for (size_t k = quote_token_at(doc, qq, qq->spans[i].start); k < doc->ntok && token_start_at(doc, k) < qq->spans[i].end; k++)
            n += (doc->tokens[k].flags & TOK_WORD) != 0;
    return n;
}

static void attribute_by_turns(quoth_doc *doc) {
    /* forward: alternate with the previous speakers of the conversation */
    for (size_t q = 1; q < doc->nquote; q++) {
        quote *qq = &doc->quotes[q];
        if (qq->speaker != QUOTH_NONE || qq->blocked || !attr_same_conversation(doc, q - 1, q))
            continue;
        size_t prev = doc->quotes[q - 1].speaker;
        size_t voc = attr_addressed_in(doc, q - 1); /* "Ready?" Ann asked Ben. */
        if (voc != QUOTH_NONE && attr_vocative_in_quote(doc, q, voc)) {
            /* "Ben?" after Ann asked Ben: Ben did not answer; Ann goes on */
            if (prev != QUOTH_NONE)
                set_speaker(doc, qq, prev, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.5);
            continue;
        }
        if (prev == QUOTH_NONE) {
            if (voc != QUOTH_NONE)
                set_speaker(doc, qq, voc, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.55);
            continue;
        }
        if (voc != QUOTH_NONE && voc != prev) {
            set_speaker(doc, qq, voc, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.65);
            continue;
        }
        /* One paragraph of narration after a speech of more than a few
         * words: more often the same speaker going on than the other
         * answering (PDNC dev, untagged quotations: 294 to 188 after 9+
         * words; after a short answer the other speaks, 134 to 121) */
        if (doc->quotes[q - 1].para_last + 2 == qq->para_first && attr_quote_words(doc, q - 1) > 8 &&
            !attr_someone_else_acts(doc, qq->para_first - 1, prev) && !attr_vocative_in_quote(doc, q, prev)) {
            set_speaker(doc, qq, prev, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.5);
            continue;
        }
        /* the most recent different speaker in this conversation */
        size_t other = QUOTH_NONE;
        for (size_t k = q - 1; k-- > 0;) {
            if (!attr_same_conversation(doc, k, k + 1))
                break;
            if (doc->quotes[k].speaker != QUOTH_NONE && doc->quotes[k].speaker != prev) {
                other = doc->quotes[k].speaker;
                break;
            }
            if (q - k > 12)
                break;
        }
        if (other == QUOTH_NONE)
            other = scene_partner(doc, q, prev);
        if (other != QUOTH_NONE)
            set_speaker(doc, qq, other, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.6);
    }
    /* backward: a quotation that opens an exchange answers the next one */
    for (size_t q = doc->nquote; q-- > 0;) {
        quote *qq = &doc->quotes[q];
        if (qq->speaker != QUOTH_NONE || qq->blocked || q + 1 >= doc->nquote ||
            !attr_same_conversation(doc, q, q + 1))
            continue;
        size_t next = doc->quotes[q + 1].speaker;
        if (next == QUOTH_NONE)
            continue;
        size_t other = QUOTH_NONE;
        for (size_t k = q + 2; k < doc->nquote && k < q + 12; k++) {
            if (!attr_same_conversation(doc, k - 1, k))
                break;
            if (doc->quotes[k].speaker != QUOTH_NONE && doc->quotes[k].speaker != next) {
                other = doc->quotes[k].speaker;
                break;
            }
        }
        size_t voc = attr_vocative_of(doc, q + 1);
        if (other == QUOTH_NONE && voc != QUOTH_NONE && voc != next)
            other = voc;
        if (other != QUOTH_NONE)
            set_speaker(doc, qq, other, NULL, 0, QUOTH_RULE_TURN_TAKING, 0.5);
    }
}

static bool add_addressee(quoth_doc *doc, quote *qq, size_t ch) {
    if (ch == QUOTH_NONE || ch == qq->speaker || qq->naddressees >= QUOTH_MAX_ADDRESSEES)
        return true;
    ch = character_root(doc, ch);
    for (uint32_t i = 0; i < qq->naddressees; i++)
        if (qq->addressees[i] == ch)
            return true;
    /* most quotations have one or two: room for two, then for the most
     * (a second pass may grow one that already has that room: rare) */
    if (!qq->addressees || qq->naddressees == 2) {
        size_t *grown =
            arena_alloc(&doc->mem, (qq->addressees ? QUOTH_MAX_ADDRESSEES : 2) * sizeof *grown);
        if (!grown)
            return false;
        if (qq->naddressees)
            memcpy(grown, qq->addressees, qq->naddressees * sizeof *grown);
        qq->addressees = grown;
    }
    qq->addressees[qq->naddressees++] = ch;
    return true;
}

/* Addressees: everyone named as a vocative, the object of the tag ("asked
 * Tom"); else the other side of the exchange first, and with it everyone
 * else who speaks within QUOTH_ADDRESSEE_TURNS quotations of it in the
 * conversation: a line in a scene of three or more that names no one is
 * spoken to the company (PDNC's gold gives such lines two addressees or
 * more 43% of the time). */
static bool set_addressees(quoth_doc *doc) {
    for (size_t q = 0; q < doc->nquote; q++) {
        quote *qq = &doc->quotes[q];
        qq->naddressees = 0;
        for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
            const mention *mm = &doc->mentions[m];
            if (mm->quote == q + 1 && mm->kind == QUOTH_MENTION_VOCATIVE && !add_addressee(doc, qq, mention_character(mm)))
                return false;
        }
        if (qq->tag_addressee && !add_addressee(doc, qq, qq->tag_addressee - 1))
            return false;
        if (qq->naddressees || qq->speaker == QUOTH_NONE)
            continue;
        size_t to = QUOTH_NONE;
        if (q > 0 && attr_same_conversation(doc, q - 1, q) && doc->quotes[q - 1].speaker != qq->speaker)
            to = doc->quotes[q - 1].speaker;
        if (to == QUOTH_NONE)
            to = scene_partner(doc, q, qq->speaker);
        if (to == QUOTH_NONE && q + 1 < doc->nquote && attr_same_conversation(doc, q, q + 1) &&
            doc->quotes[q + 1].speaker != qq->speaker)
            to = doc->quotes[q + 1].speaker;
        if (!add_addressee(doc, qq, to))
            return false;
        for (size_t k = q; k > 0 && q - k < QUOTH_ADDRESSEE_TURNS && attr_same_conversation(doc, k - 1, k); k--)
            if (!add_addressee(doc, qq, doc->quotes[k - 1].speaker))
                return false;
        for (size_t k = q; k + 1 < doc->nquote && k + 1 - q <= QUOTH_ADDRESSEE_TURNS && attr_same_conversation(doc, k, k + 1);
             k++)
            if (!add_addressee(doc, qq, doc->quotes[k + 1].speaker))
                return false;
    }
    return true;
}

/* A being known only by descriptors ("the alien") takes the name that the
 * other speakers address it by ("Kal-El"). */
/* Who the exchange says quotation q is spoken to: the speaker before it
 * in the conversation, else the one after, when not its own speaker. */
static size_t exchange_addressee(const quoth_doc *doc, size_t q) {
    const quote *qq = &doc->quotes[q];
    size_t to = QUOTH_NONE;
    if (q > 0 && attr_same_conversation(doc, q - 1, q) && doc->quotes[q - 1].speaker != qq->speaker)
        to = doc->quotes[q - 1].speaker;
    if (to == QUOTH_NONE && q + 1 < doc->nquote && attr_same_conversation(doc, q, q + 1) &&
        doc->quotes[q + 1].speaker != qq->speaker)
        to = doc->quotes[q + 1].speaker;
    return to;
}

static void name_beings(quoth_doc *doc) {
    /* exchange_addressee() of every quotation, once: no speaker changes
     * below (NULL: not yet, or no memory, and it is asked each time) */
    size_t *to_of = NULL;
    bool to_tried = false;
    for (size_t b = 0; b < doc->nchar; b++) {
        character *being = &doc->chars[b];
        /* the narrator too: "Jake", said to the one who says "I" */
        if (!(being->descriptor_only || (being->narrator && !being->from_cast)) || being->merged_into != QUOTH_NONE)
            continue;
        size_t best = QUOTH_NONE, best_votes = 0, second = 0;
        /* votes: vocatives in quotations addressed to the being */
        size_t *votes = calloc(doc->nchar, sizeof *votes);
        if (!votes) {
            free(to_of);
            return;
        }
        if (!to_tried) {
            to_tried = true;
            to_of = malloc((doc->nquote ? doc->nquote : 1) * sizeof *to_of);
            for (size_t q = 0; to_of && q < doc->nquote; q++)
                to_of[q] = exchange_addressee(doc, q);
        }
        for (size_t q = 0; q < doc->nquote; q++) {
            const quote *qq = &doc->quotes[q];
            if (to_of && to_of[q] != b)
                continue;
            if (qq->speaker == QUOTH_NONE || qq->speaker == b)
                continue;
            /* who the exchange says this is spoken to */
            size_t to = to_of ? to_of[q] : exchange_addressee(doc, q);
            if (to != b)
                continue;
            for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
                const mention *mm = &doc->mentions[m];
                if (mm->quote != q + 1 || mm->kind != QUOTH_MENTION_VOCATIVE || mention_character(mm) == QUOTH_NONE)
                    continue;
                size_t ch = mention_character(mm);
                if (ch == b || ch == qq->speaker || doc->chars[ch].descriptor_only || doc->chars[ch].quotes)
                    continue;
                votes[ch]++;
            }
        }
        for (size_t c = 0; c < doc->nchar; c++) {
            if (votes[c] > best_votes) {
                second = best_votes;
                best_votes = votes[c];
                best = c;
            } else if (votes[c] > second) {
                second = votes[c];
            }
        }
        free(votes);
        if (best == QUOTH_NONE || best_votes < 2 || best_votes < 2 * second)
            continue;
        /* merge: the name first, then the descriptors ("Narrator" stays an
         * alias, so the narrator is still known as such) */
        const char *old_name = being->name;
        being->name = doc->chars[best].name;
        merge_character(doc, best, b);
        if (being->narrator && character_add_alias(doc, being, old_name))
            being->alias_counts[being->naliases - 1] = 1;
        being->descriptor_only = false;
    }
    free(to_of);
}

/* Folds character from into character into: its aliases (names first),
 * its mentions. The one merged away is no longer listed. */
static void merge_character(quoth_doc *doc, size_t from, size_t into) {
    character *src = &doc->chars[from], *dst = &doc->chars[into];
    if (from == into || src->merged_into != QUOTH_NONE)
        return;
    if (character_add_alias(doc, dst, src->name))
        dst->alias_counts[dst->naliases - 1] = 1000;
    for (uint32_t i = 0; i < src->naliases; i++)
        if (character_add_alias(doc, dst, src->aliases[i]))
            dst->alias_counts[dst->naliases - 1] = src->alias_counts[i] + 1000;
    dst->mentions += src->mentions;
    if (dst->gender == QUOTH_GENDER_UNKNOWN && !dst->narrator)
        dst->gender = src->gender; /* "Mr. Harthouse" keeps being a he */
    src->merged_into = into;
    for (size_t m = 0; m < doc->nment; m++)
        if (mention_character(&doc->mentions[m]) == from)
            mention_set_character(&doc->mentions[m], into);
    /* an addressee list that held both, or the speaker and the other,
     * holds each once, and never the speaker */
    for (size_t q = 0; q < doc->nquote; q++) {
        quote *qq = &doc->quotes[q];
        uint32_t w = 0;
        for (uint32_t a = 0; a < qq->naddressees; a++) {
            size_t ch = qq->addressees[a] == from ? into : qq->addressees[a];
            bool dup = character_root(doc, qq->speaker) == ch; /* QUOTH_NONE's root is itself */
            for (uint32_t b = 0; b < w && !dup; b++)
                dup = qq->addressees[b] == ch;
            if (!dup)
                qq->addressees[w++] = ch;
        }
        qq->naddressees = w;
    }
}

static bool word_is(const quoth_doc *doc, size_t i, const char *w) {
    if (i >= doc->ntok || !(doc->tokens[i].flags & TOK_WORD))
        return false;
    char scratch[FOLD_MAX];
    size_t n;
    const char *low = token_word(doc, i, scratch, &n);
    return n == strlen(w) && memcmp(low, w, n) == 0;
}

/* "I'm Clark, and Superman, and Kal-El" said by the being: those are its
 * names. "Your name is Kal-El" said to it: so is that. ("You are X" is
 * too often a description: "you're South Americans".) Names that speak on
 * their own are never folded in. Returns: 1 self, 2 the addressee, 0 none. */
static int naming_cue(const quoth_doc *doc, size_t tok, uint32_t in_quote) {
    /* the words first: the quotation of a token is a search */
    size_t k = tok;
    if (k >= 1 && word_is(doc, k - 1, "i'm") && token_quote(doc, k - 1) == in_quote)
        return 1;
    if (k >= 2 &&
        ((word_is(doc, k - 2, "i") && word_is(doc, k - 1, "am")) ||
         (word_is(doc, k - 2, "call") && word_is(doc, k - 1, "me"))) &&
        token_quote(doc, k - 2) == in_quote)
        return 1;
    if (k >= 3 && word_is(doc, k - 2, "name") && word_is(doc, k - 1, "is") &&
        token_quote(doc, k - 3) == in_quote) {
        if (word_is(doc, k - 3, "my"))
            return 1;
        if (word_is(doc, k - 3, "your"))
            return 2;
    }
    return 0;
}

static void self_names(quoth_doc *doc) {
    for (size_t q = 0; q < doc->nquote; q++) {
        const quote *qq = &doc->quotes[q];
        int list = 0; /* the cue of the list of names we are in */
        size_t last_end = 0;
        for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
            const mention *mm = &doc->mentions[m];
            if (mm->quote != q + 1 || mention_character(mm) == QUOTH_NONE ||
                (mm->kind != QUOTH_MENTION_NAME && mm->kind != QUOTH_MENTION_VOCATIVE))
                continue;
            int cue = naming_cue(doc, mm->token, mm->quote);
            if (!cue && list) {
                /* "Clark, and Superman, and Kal-El": only commas and "and" between */
                bool joined = true;
                for (size_t k = last_end; k < mm->token && joined; k++)
                    joined = punct_is(doc, k, ",") || word_is(doc, k, "and") || word_is(doc, k, "or");
                cue = joined ? list : 0;
            }
            list = cue;
            last_end = mm->token + mm->ntokens;
            if (!cue)
                continue;
            size_t who = cue == 1 ? qq->speaker : (qq->naddressees ? qq->addressees[0] : QUOTH_NONE);
            if (who == QUOTH_NONE)
                continue;
            who = character_root(doc, who);
            size_t named = character_root(doc, mention_character(mm));
            if (named == who || doc->chars[named].quotes || doc->chars[named].from_cast)
                continue;
            merge_character(doc, named, who);
            /* a being named this way takes its most complete proper name */
            character *w = &doc->chars[who];
            if (w->descriptor_only || w->gender == QUOTH_GENDER_NEUTER) {
                const char *n = doc->chars[named].name;
                size_t nw = 1, cw = 1;
                for (const char *c = n; *c; c++)
                    nw += *c == ' ';
                for (const char *c = w->name; *c; c++)
                    cw += *c == ' ';
                bool proper = (unsigned char)n[0] >= 0x80 || (n[0] >= 'A' && n[0] <= 'Z');
                bool cur_proper = (unsigned char)w->name[0] >= 0x80 || (w->name[0] >= 'A' && w->name[0] <= 'Z');
                if (proper && (!cur_proper || nw > cw)) {
                    if (character_add_alias(doc, w, w->name))
                        w->alias_counts[w->naliases - 1] = 1000;
                    w->name = n;
                    w->descriptor_only = false;
                }
            }
        }
    }
}

quoth_status attribute_run(quoth_doc *doc, quoth_error *err) {
    /* the quotations' paragraphs are fixed: which neighbours converse */
    doc->conv_next = NULL;
    if (doc->nquote) {
        uint8_t *cn = arena_alloc(&doc->mem, doc->nquote);
        if (!cn)
            goto nomem;
        for (size_t q = 0; q + 1 < doc->nquote; q++)
            cn[q] = attr_same_conversation_calc(doc, q, q + 1);
        doc->conv_next = cn;
    }
    for (size_t q = 0; q < doc->nquote; q++) {
        doc->quotes[q].speaker = QUOTH_NONE;
        doc->quotes[q].rule = QUOTH_RULE_NONE;
    }
    if (!find_relatives(doc))
        goto nomem;
    /* who is ever named by a speech tag: "Lex said", "said the alien" */
    for (size_t m = 0; m < doc->nment; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_PRONOUN)
            continue;
        size_t after = mm->token + mm->ntokens;
        bool tag = (after < doc->ntok && !(doc->tokens[after].flags & TOK_QUOTED) &&
                    token_is_speech_verb(doc, after)) ||
                   (mm->token > 0 && !(doc->tokens[mm->token - 1].flags & TOK_QUOTED) &&
                    token_is_speech_verb(doc, mm->token - 1));
        if (tag)
            doc->chars[character_root(doc, mention_character(mm))].tag_uses++;
    }
    /* the paragraphs' last subjects, asked by the sieve and the ranker
     * alike (attr_para_subject) */
    para_subject *subjects = NULL;
    if (doc->nment < PARA_SUBJECT_MENTIONS &&
        !(subjects = calloc(doc->npara + 1, sizeof *subjects)))
        goto nomem;
    attribute_by_tags(doc, subjects);
    attribute_by_turns(doc);
    quoth_status rs = rank_quotes(doc, subjects, err);
    free(subjects);
    if (rs != QUOTH_OK)
        return rs;
    /* name_beings reads the exchange (exchange_addressee), not the
     * addressees: they are set once, with the beings named */
    name_beings(doc);
    if (!set_addressees(doc))
        goto nomem;
    for (size_t c = 0; c < doc->nchar; c++)
        doc->chars[c].quotes = 0;
    for (size_t q = 0; q < doc->nquote; q++)
        if (doc->quotes[q].speaker != QUOTH_NONE)
            doc->chars[character_root(doc, doc->quotes[q].speaker)].quotes++;
    self_names(doc);
    /* a quotation no mark closed may be a sign or a typo: less sure */
    for (size_t q = 0; q < doc->nquote; q++)
        if (doc->quotes[q].unclosed)
            doc->quotes[q].confidence *= 0.5;
    for (size_t c = 0; c < doc->nchar; c++)
        doc->chars[c].quotes = 0;
    for (size_t q = 0; q < doc->nquote; q++) {
        size_t s = doc->quotes[q].speaker;
        if (s != QUOTH_NONE) {
            s = character_root(doc, s);
            doc->quotes[q].speaker = s;
            doc->chars[s].quotes++;
        }
    }
    /* sort aliases again after merges; ids for output */
    size_t id = 0;
    for (size_t c = 0; c < doc->nchar; c++) {
        character_sort_aliases(&doc->chars[c]);
        doc->chars[c].id[0] = '\0';
    }
    /* listed: the cast, speakers and addressees, numbered c1, c2, ... */
    for (size_t c = 0; c < doc->nchar; c++)
        doc->chars[c].listed = doc->chars[c].from_cast || doc->chars[c].quotes > 0;
    for (size_t q = 0; q < doc->nquote; q++)
        for (uint32_t a = 0; a < doc->quotes[q].naddressees; a++)
            doc->chars[doc->quotes[q].addressees[a]].listed = true;
    for (size_t c = 0; c < doc->nchar; c++) {
        character *ch = &doc->chars[c];
        if (ch->merged_into != QUOTH_NONE)
            ch->listed = false;
        if (ch->listed)
            character_set_id(ch, ++id);
    }
    if (!rank_write_features(doc))
        goto nomem;
    return QUOTH_OK;
nomem:
    doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory attributing quotations");
    return QUOTH_ERR_NOMEM;
}
