/*
 * rank.c — the learned part of attribution.
 *
 * The sieve in attribute.c decides every quotation it can: a named speech
 * tag ("said Lex") is kept as it is; everything else it decided (pronoun
 * tags, beats, introducing lines, the narration before, turn-taking) is only
 * a proposal. The ranker then walks the quotations in text order and, for
 * each one the named tags did not settle, scores every candidate speaker —
 * the rules' pick, the recent speakers of the conversation, the people named
 * in the narration around it, the one the previous quotation addressed, the
 * narrator — with a linear model over the features below, and takes the
 * best. Its softmax probability is the quotation's confidence.
 *
 * The weights (rank_weights.inc) are trained by tools/ranker/ on PDNC dev,
 * cross-validated by novel; `make ranker-weights` regenerates them. Every
 * feature is named, so a weights file is readable and a model that lacks a
 * feature gives it weight 0.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The features: an identifier and the name weights files use. */
#define RANK_FEATURES(X)                                                                   \
    X(SIEVE_TAG_PRONOUN, "sieve_tag_pronoun")     /* the rules' pick by "he said" */     \
    X(SIEVE_BEAT, "sieve_beat")                   /* ... by an action beat */            \
    X(SIEVE_INTRO, "sieve_intro")                 /* ... by an introducing line */       \
    X(SIEVE_NARRATION, "sieve_narration_before")  /* ... by the narration before */      \
    X(SIEVE_TURN, "sieve_turn")                   /* ... by turn-taking */               \
    X(SIEVE_NAMED, "sieve_named_evidence")        /* ... by a name: "the alien's voice" */\
    X(TAGPRON_MATCH, "tag_pronoun_gender_match")  /* "she said" and a woman */           \
    X(TAGPRON_MISMATCH, "tag_pronoun_gender_mismatch")                                  \
    X(TAGPRON_UNKNOWN, "tag_pronoun_gender_unknown")                                    \
    X(TAGPRON_NEAREST, "tag_pronoun_nearest_antecedent") /* last he/she-matching name */\
    X(TAGPRON_NEAREST_TAGGED, "tag_pronoun_nearest_is_prev_tag") /* ... in a tag before */\
    X(TAGPRON_PREV_TAG_NEWPARA, "tag_pronoun_prev_tag_new_paragraph") /* ... a turn ago */\
    X(TAGPRON_NEAREST_SUBJ, "tag_pronoun_nearest_subject") /* ... a subject: "Ann looked at\
                                                     Mary. "No," she said." */         \
    X(TAGPRON_RULED_OUT, "tag_pronoun_ruled_out") /* "He nodded to Tom. "So," he \
                                                     said.": not Tom (attr_pronoun_not) */ \
    X(PREV1_SAMEPARA, "prev1_same_paragraph")     /* spoke the quotation just before */ \
    X(PREV1_NEXTPARA, "prev1_next_paragraph")                                           \
    X(PREV1_GAP, "prev1_after_narration")                                               \
    X(PREV1_GAP_LONG, "prev1_after_narration_long")                                     \
    X(PREV1_GAP_OTHER, "prev1_after_narration_other_acts")                              \
    X(PREV1_OWN_BEAT, "prev1_after_own_beat")     /* ... and the narration between is \
                                                     its: "Lex leaned closer." */        \
    X(PREV1_BOTH_MEDIUM, "prev1_both_medium")     /* ... both it and this one 12 words \
                                                     or more (about 66 bytes) */         \
    X(PREV1_BOTH_LONG, "prev1_both_long")         /* ... 40 words or more: a speech \
                                                     going on (a third do, against an \
                                                     eighth of two short lines) */      \
    X(PREV1_QUESTION, "prev1_asked")              /* it asked a question: answered by \
                                                     someone else */                    \
    X(PREV2, "prev2")                             /* two back, not one back */          \
    X(ALTERNATION, "alternation")                 /* A B A B ... */                     \
    X(ALTERNATION_TIGHT, "alternation_consecutive") /* ... in consecutive paragraphs */ \
    X(PREV3, "prev3")                                                                   \
    X(PREV_FAR, "prev4_to_6")                                                           \
    X(PREV_OLDER, "prev7_to_16")                  /* spoke earlier in the conversation */ \
    X(NEXT1, "next1_tagged")                      /* the named tag of the next one */   \
    X(NEXT2, "next2_tagged")                                                            \
    X(NEXT1_GUESS, "next1_guessed")               /* the first pass's guess */          \
    X(NEXT2_GUESS, "next2_guessed")                                                     \
    X(CHAIN_NEXT_EVEN, "chain_next_tag_even")     /* a tag ahead, an even number of \
                                                     turns on: same parity */           \
    X(CHAIN_NEXT_ODD, "chain_next_tag_odd")                                             \
    X(CHAIN_PREV_EVEN, "chain_prev_tag_even")     /* ... behind */                      \
    X(CHAIN_PREV_ODD, "chain_prev_tag_odd")                                             \
    X(CHAIN_NEXT_PRON_EVEN, "chain_next_pronoun_even") /* "she said" ahead: a woman */  \
    X(CHAIN_NEXT_PRON_ODD, "chain_next_pronoun_odd")                                    \
    X(CHAIN_PREV_PRON_EVEN, "chain_prev_pronoun_even")                                  \
    X(CHAIN_PREV_PRON_ODD, "chain_prev_pronoun_odd")                                    \
    X(CONV_TAGGED, "conversation_tagged")         /* named by a tag in this conversation */ \
    X(CONV_TWO, "conversation_tagged_two")        /* ... one of its only two */          \
    X(VOC_PREV, "addressed_in_prev")              /* "Ben?" before: Ben answers */      \
    X(VOC_NEXT, "addressed_in_next")              /* "Yes, Ben." after: Ben spoke */    \
    X(VOC_SELF, "addressed_in_self")              /* named in it: not the speaker */    \
    X(VOC_CHAIN_ODD, "addressed_in_run_odd")      /* named 3 or 5 turns away: answers */ \
    X(VOC_CHAIN_EVEN, "addressed_in_run_even")    /* ... 2, 4 or 6: spoken to by us */   \
    X(NAMED_IN_PREV, "named_in_prev")             /* talked about just before */        \
    X(NAMED_IN_SELF, "named_in_self")             /* talked about in it: "Tom came" */  \
    X(OWN_BEFORE_SUBJ, "own_paragraph_before_subject")                                  \
    X(OWN_BEFORE, "own_paragraph_before")                                               \
    X(OWN_AFTER_SUBJ, "own_paragraph_after_subject")                                    \
    X(OWN_AFTER, "own_paragraph_after")                                                 \
    X(PREV_PARA_SUBJ, "prev_paragraph_last_subject")                                    \
    X(PREV_PARA, "prev_paragraph")                                                      \
    X(NEXT_PARA_SUBJ, "next_paragraph_subject")                                         \
    X(RECENCY, "recency")                         /* 1/(1+paragraphs back) */           \
    X(WINDOW_COUNT, "window_mentions_log")                                              \
    X(LOCKED_SHARE, "tagged_share")               /* share of the named tags */         \
    X(LOCKED_LOG, "tagged_log")                                                         \
    X(LOCAL_TAGGED, "scene_tagged_log")           /* named tags within 60 quotations */  \
    X(TOP_SPEAKER, "top_tagged_speaker")          /* among the 4 most tagged */         \
    X(NARRATOR, "narrator")                                                             \
    X(NARRATOR_I, "narrator_i_in_paragraph")                                            \
    X(NARRATOR_SILENT, "narrator_silent")         /* ... not heard in the conversation */ \
    X(IDIOLECT, "idiolect")                       /* its words, as its known lines use them */ \
    X(IDIO_RUN_SAME, "idiolect_run_same")         /* ... its run's lines 0, 2, 4.. turns away */ \
    X(IDIO_RUN_OTHER, "idiolect_run_other")       /* ... 1, 3, 5.. turns away: the other's */ \
    X(GENDER_UNKNOWN, "gender_unknown")           /* places and things */               \
    X(DESCRIPTOR_ONLY, "descriptor_only")

enum {
#define X(id, name) F_##id,
    RANK_FEATURES(X)
#undef X
        F_COUNT
};

static const char *const feature_names[F_COUNT] = {
#define X(id, name) name,
    RANK_FEATURES(X)
#undef X
};

/* A quotation's length in bytes, its spans together: about 5.5 bytes a
 * word in English prose, so 12 words are about 66 bytes and 40 about 220. */
#define QUOTE_MEDIUM_BYTES 66
#define QUOTE_LONG_BYTES 220
static size_t quote_bytes(const quote *qq) {
    size_t n = 0;
    for (uint32_t k = 0; k < qq->nspans; k++)
        n += qq->spans[k].end - qq->spans[k].start;
    return n;
}

/* The situations a quotation can be in. Each feature also has a copy per
 * situation ("prev2@after_narration"), 0 unless the quotation is in it, so
 * the model can weigh a cue differently where it means something else: a
 * previous speaker going on is likely in the same paragraph, unlikely in
 * the next one. */
#define RANK_CONTEXTS(X)                                                  \
    X(PRONOUN_TAG, "pronoun_tag")        /* "he said" */                \
    X(UNTAGGED, "untagged")              /* no textual evidence at all */ \
    X(ADJACENT, "after_adjacent")        /* the quotation before ends in  \
                                            this or the previous paragraph */ \
    X(GAP, "after_narration")            /* narration between */         \
    X(START, "conversation_start")       /* no quotation before */       \
    X(MULTI, "three_speakers")           /* 3+ speakers in the last six */ \
    X(QUESTION, "after_question")        /* the quotation before asks */  \
    X(TWO, "two_tagged")                 /* the tags name two people */

enum {
#define X(id, name) C_##id,
    RANK_CONTEXTS(X)
#undef X
        C_COUNT
};

static const char *const context_names[C_COUNT] = {
#define X(id, name) name,
    RANK_CONTEXTS(X)
#undef X
};

/* Feature k of the model: base feature k % F_COUNT, alone (k < F_COUNT)
 * or in context k / F_COUNT - 1. */
enum { F_TOTAL = F_COUNT * (1 + C_COUNT) };

static void feature_name(size_t k, char *out, size_t cap) {
    if (k < F_COUNT)
        snprintf(out, cap, "%s", feature_names[k]);
    else
        snprintf(out, cap, "%s@%s", feature_names[k % F_COUNT], context_names[k / F_COUNT - 1]);
}

/* The index of a feature name, or F_TOTAL. guess: the index it likely
 * has, its base feature and context tried first (the built-in model
 * lists its weights in order: a search from the first feature and
 * context for each of its 528 was 0.7 M instructions, more than half of
 * a one-line work's run). */
static size_t feature_index(const char *name, size_t guess) {
    const char *at = strchr(name, '@');
    size_t len = at ? (size_t)(at - name) : strlen(name);
    size_t f = guess % F_COUNT;
    if (strncmp(name, feature_names[f], len) || feature_names[f][len])
        for (f = 0; f < F_COUNT && (strncmp(name, feature_names[f], len) || feature_names[f][len]);)
            f++;
    if (f == F_COUNT)
        return F_TOTAL;
    if (!at)
        return f;
    size_t gc = guess / F_COUNT % (1 + C_COUNT); /* 0: no context */
    if (gc && !strcmp(at + 1, context_names[gc - 1]))
        return gc * F_COUNT + f;
    for (size_t c = 0; c < C_COUNT; c++)
        if (!strcmp(at + 1, context_names[c]))
            return (c + 1) * F_COUNT + f;
    return F_TOTAL;
}

typedef struct {
    const char *name;
    double weight;
} rank_weight;

/* The built-in model: generated by tools/ranker/train (see its header). */
static const rank_weight builtin_weights[] = {
#include "rank_weights.inc"
};

/* CHAIN_*: how far a run of turns is followed (in paragraphs, and in
 * quotations, so a paragraph of a million quotations stays linear);
 * CONV_*: how far either side the named tags of a conversation are read. */
enum {
    MAX_CAND = 24,
    PREV_QUOTES = 6,
    OLDER_QUOTES = 10,
    TOP_SPEAKERS = 4,
    CHAIN_TURNS = 16,
    CHAIN_QUOTES = 32,
    CONV_QUOTES = 30,
    CONV_SPEAKERS = 8,
    VOC_TURNS = 6,
    VOC_CHAIN = 12,
    LOCAL_QUOTES = 60
};
#ifndef RANK_PASSES
#define RANK_PASSES 2
#endif
/* The first pass's confidence from which its guess is final (measured on
 * PDNC dev, in sample, same weights: 0.9 changes no speaker and saves 6%
 * of the instructions; 0.8 loses 2 / 11 quotations, 0.7 12 / 22, 0
 * (one pass) 196 / 218; 0.95 saves 3.5%). The quotations whose second
 * pass would have been less sure keep their first confidence: the band
 * at 0.9 or more grows by about 1% and is 0.002 less accurate (0.936 of
 * 11,000 without a cast, 0.938 of 10,849 before; 0.95 leaves it as it
 * was). */
#define RANK_SURE_FIRST 0.9f

/* A candidate keeps its base features only; the situation copies are
 * implied by the quotation's situation (ctx below) and spelt out only in
 * the kept feature table. */
/* (f is padded to a multiple of four floats, zeroed with the rest, so
 * zero_features is a fixed row of 16-byte stores the compiler unrolls:
 * with 70 features and the last store overlapping, it became a loop with
 * a test a store, +18 M instructions over the 15 PDNC novels.) */
#define F_PADDED ((F_COUNT + 3) & ~3)
typedef struct {
    size_t ch;
    float f[F_PADDED];
} candidate;

/* One kept row of the feature table. */
typedef struct {
    uint32_t quote;
    uint32_t ch;
    uint8_t chosen;
    float f[F_TOTAL];
} feature_row;

#define LOG1P_TABLE 64

/* A character the narration around a quotation names, and what its
 * mentions there add to its features (the narration scan of
 * build_candidates). A quotation is ranked once in each pass and its
 * narration is the same each time: it is scanned once, and these kept. */
enum {
    WIN_OWN_BEFORE = 1,
    WIN_OWN_BEFORE_SUBJ = 2,
    WIN_OWN_AFTER = 4,
    WIN_OWN_AFTER_SUBJ = 8,
    WIN_PREV_PARA = 16,
    WIN_NEXT_PARA_SUBJ = 32
};
typedef struct {
    uint32_t ch;
    uint32_t count; /* its mentions: F_WINDOW_COUNT */
    float recency;  /* the largest of those up to the quotation's paragraph: F_RECENCY */
    uint32_t flags; /* WIN_ */
} window_entry;

/* What the ranker knows of a quotation, a byte each: whether the rules'
 * proposal rests on a name, and what build_candidates learns of it as the
 * quotation before another that no pass changes, kept when first asked so
 * the second pass does not ask again (the question mark is a read of the
 * text, a cache miss; the words a walk over its tokens). A byte was kept
 * for the first alone: no memory is added. */
enum {
    Q_SIEVE_NAMED = 1,   /* the proposal's evidence is a name or descriptor */
    Q_ASKS_KNOWN = 2,    /* Q_ASKS is set */
    Q_ASKS = 4,          /* it ends with a question mark */
    Q_LONG_KNOWN = 8,    /* Q_LONG is set */
    Q_LONG = 16          /* it has more than 8 words (attr_quote_words) */
};

/* A quotation's idiolect scores, kept for the lines of the runs around it
 * (idiolect_line): how much likelier its words are under each character
 * they fit than under everyone's (the llr of idiolect_llr), the best
 * IDIO_LINE_TOP of them, n of each; nw its words with a list. Made when
 * first asked, in the second pass, into a ring of IDIO_RING lines: the
 * lines asked for while ranking quotation q are within CHAIN_QUOTES of
 * it, and q only grows, so a line stays until no one asks for it again
 * (a constant, not a table as long as the quotations: peak RSS). */
#define IDIO_LINE_TOP 32
#define IDIO_RING 128u
typedef struct {
    size_t q; /* the quotation whose scores these are; SIZE_MAX: none */
    float llr[IDIO_LINE_TOP];
    uint16_t ch[IDIO_LINE_TOP];
    float nw;
    uint8_t n;
    bool all; /* every character with a model its words score is here */
} idio_line;

/* A narration mention that names someone (ranker.narr). */
typedef struct {
    uint16_t ch;     /* narration_character() */
    bool subject;    /* the mention's */
} narr_mention;

typedef struct {
    quoth_doc *doc;
    double w[F_TOTAL];
    /* the sieve's proposal for each quotation */
    size_t *sieve_speaker;
    quoth_rule *sieve_rule;
    quoth_gender *tag_gender; /* gender of a pronoun tag, UNKNOWN when none */
    size_t *tag_mention;      /* that pronoun's mention index */
    uint8_t *qbits;           /* per quotation: Q_ bits (below) */
    bool *locked;             /* settled by a named tag */
    uint32_t *next_locked;    /* per quotation and one past: the first locked one at or after it (nq: none) */
    uint32_t *run_first, *run_last; /* per quotation: the first and last of the run of consecutive
                                     * quotations in its conversation (attr_same_conversation) */
    uint32_t *locked_count;   /* per character */
    uint32_t *scene_count;    /* per character: its named tags among quotations
                               * [scene_out, scene_in), the window around the
                               * quotation ranked (scene_window) */
    size_t scene_in, scene_out;
    feature_row *rows;
    size_t nrows, cap_rows;
    size_t top[TOP_SPEAKERS]; /* the most often tagged characters */
    uint8_t *slot;            /* per character: candidate index + 1 */
    size_t nslot_used;        /* candidates whose slots are set */
    para_subject *para_subject; /* attr_para_subject()'s memo, the sieve's */
    size_t qm, qm_pos;        /* the cursor: the answer for position qm_pos */
    float *locked_share;      /* per character: F_LOCKED_SHARE, F_LOCKED_LOG */
    float *locked_log;        /* (fixed while ranking) */
    /* The narration mentions that name someone (narration_character()
     * not QUOTH_NONE), in mention order, and each paragraph's among them
     * (4 bytes each, 8 a paragraph; the table they replace had 2 bytes a
     * mention, and two mentions in three name no one). The windows of
     * consecutive quotations overlap, so each mention is read many times:
     * the scan walks these only, not every mention with a test of each
     * (a branch taken at random). */
    narr_mention *narr;
    span32 *narr_para;        /* per paragraph: its narr entries [start, end) */
    float log1p_small[LOG1P_TABLE]; /* log1p(k) for small counts */
    /* F_RECENCY of a paragraph d back, 1/(1+d): the same floats, not a
     * division for each paragraph of each quotation's narration */
    float recency_back[QUOTH_CONTEXT_PARAGRAPHS + 1];
    window_entry *win;        /* the narration scans so far (malloc'd) */
    size_t nwin, cap_win;
    uint32_t *win_slot;       /* per character: its entry + 1 in the scan under way, else 0 */
    bool *conv_seen;          /* per character: in build_candidates' conv[] under way */
    uint32_t locked_total;
    /* idiolect: the words of each character's known quotations, by word
     * (word w's entries are [idio_start[w], idio_start[w + 1])): who said
     * it and log1p(count / (IDIO_MU * its share of all known words)) */
    uint32_t *idio_start;
    uint16_t *idio_ch;
    float *idio_val;
    float *idio_norm;         /* per character: log((words counted + IDIO_MU) / IDIO_MU), 0 with too few */
    float *idio_prior;        /* per word: IDIO_MU * its share (the model's entries' denominator) */
    float *first_conf;        /* per quotation: the first pass's confidence (NULL before it is done) */
    idio_line *idio_lines;    /* IDIO_RING of them, by quotation % IDIO_RING, in the second pass */
    double *idio_acc;         /* per character: idiolect_line's sums under way */
    uint16_t *idio_touched;   /* ... the characters summed */
    bool second_pass;         /* the guesses for later quotations are in */
    bool mentions_sorted;     /* mention starts never decrease: first_mention_from() by cursor */
    bool win_first_person;    /* the scanned quotation's paragraphs have the narration's "I" */
    bool nomem;               /* a scan found no memory */
} ranker;

/* log1p of a count, from the table when small (the same values) */
static float log1p_count(const ranker *r, double k) {
    if (k >= 0 && k < LOG1P_TABLE && k == (double)(size_t)k)
        return r->log1p_small[(size_t)k];
    return (float)log1p(k);
}

/* Parses "name value" lines; '#' starts a comment. */
static bool load_weights(ranker *r, const char *text, quoth_error *err) {
    memset(r->w, 0, sizeof r->w);
    if (!text) {
        size_t next = 0; /* the index after the last weight's */
        for (size_t i = 0; i < sizeof builtin_weights / sizeof builtin_weights[0]; i++) {
            size_t f = feature_index(builtin_weights[i].name, next);
            if (f < F_TOTAL) {
                r->w[f] = builtin_weights[i].weight;
                next = f + 1;
            }
        }
        return true;
    }
    size_t line = 0;
    for (const char *p = text; *p;) {
        line++;
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char tmp[128];
        if (n >= sizeof tmp)
            n = sizeof tmp - 1;
        memcpy(tmp, p, n);
        tmp[n] = '\0';
        char *hash = strchr(tmp, '#');
        if (hash)
            *hash = '\0';
        char name[96];
        double v;
        int got = sscanf(tmp, "%95s %lf", name, &v);
        if (got == 2) {
            size_t f = feature_index(name, 0);
            if (f == F_TOTAL) {
                doc_set_error(err, QUOTH_ERR_ARGUMENT, "ranker weights line %zu: unknown feature '%s'", line, name);
                err->line = line;
                return false;
            }
            r->w[f] = v;
        } else if (got == 1) {
            doc_set_error(err, QUOTH_ERR_ARGUMENT, "ranker weights line %zu: expected 'feature value'", line);
            err->line = line;
            return false;
        }
        p = e ? e + 1 : p + n;
    }
    return true;
}

/* he or she: a pronoun that tells a person's gender */
static bool gendered(quoth_gender g) {
    return g == QUOTH_GENDER_MALE || g == QUOTH_GENDER_FEMALE;
}

static size_t root_or_none(const quoth_doc *doc, size_t ch) {
    return ch == QUOTH_NONE ? QUOTH_NONE : character_root(doc, ch);
}

/* f[0..F_PADDED) = 0: sixteen bytes a store where there is SSE (memset
 * became a "rep stos", slow to start for these 280 bytes, and a new
 * candidate is zeroed for each of some hundred thousand quotations). */
static inline void zero_features(float *f) {
#ifdef __SSE2__
    _Static_assert(F_PADDED % 4 == 0, "four features at a time");
    const __m128 zero = _mm_setzero_ps();
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 32 /* past 16 stores GCC keeps the loop, a test a store */
#endif
    for (size_t k = 0; k < F_PADDED; k += 4)
        _mm_storeu_ps(f + k, zero);
#else
    memset(f, 0, F_PADDED * sizeof *f);
#endif
}

/* Candidates are found by character through r->slot (index + 1, 0 for
 * none), so the scans over the narration's mentions stay linear. */
static size_t add_candidate(ranker *r, candidate *c, size_t *n, size_t ch) {
    if (ch == QUOTH_NONE)
        return QUOTH_NONE;
    if (r->slot[ch])
        return r->slot[ch] - 1u;
    if (*n == MAX_CAND)
        return QUOTH_NONE;
    zero_features(c[*n].f);
    c[*n].ch = ch;
    r->slot[ch] = (uint8_t)(*n + 1);
    return (*n)++;
}

static size_t find_candidate(const ranker *r, size_t ch) {
    return ch != QUOTH_NONE && r->slot[ch] ? r->slot[ch] - 1u : QUOTH_NONE;
}

/* Is mention m in narration (not inside a quotation) and someone's? */
static bool narration_mention(const mention *m) {
    return !m->quote && mention_character(m) != QUOTH_NONE && m->kind != QUOTH_MENTION_VOCATIVE;
}

/* Is m the narration's own "I", "me", "my" in a first-person story with a
 * narrator? */
static bool narrator_pronoun(const quoth_doc *doc, const mention *m) {
    return !m->quote && m->kind == QUOTH_MENTION_PRONOUN && m->first_person && doc->first_person &&
           doc->narrator != QUOTH_NONE;
}

/* Who a narration mention names, for the narration features: its
 * character, or, in a first-person story, the narrator for the
 * narration's own "I", "me", "my" (the narrator is in the scene the way a
 * named character is); QUOTH_NONE otherwise. */
static size_t narration_character(const quoth_doc *doc, const mention *m) {
    if (narration_mention(m))
        return character_root(doc, mention_character(m));
    if (narrator_pronoun(doc, m))
        return character_root(doc, doc->narrator);
    return QUOTH_NONE;
}

/* Is narration_character(doc, m) someone? (A character's root is.) */
static bool names_someone(const quoth_doc *doc, const mention *m) {
    return narration_mention(m) || narrator_pronoun(doc, m);
}

static void set_max(float *f, float v) {
    if (v > *f)
        *f = v;
}

/* The index of the first mention at or after byte pos. */
static size_t first_mention_from(const quoth_doc *doc, size_t pos) {
    size_t lo = 0, hi = doc->nment;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (token_start_at(doc, doc->mentions[mid].token) < pos) /* its span's start */
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* first_mention_from(doc, pos), walking on from the last answer while
 * the positions grow (the quotations of a pass, in text order). from: a
 * mention the walk may start at when the one before it starts before pos
 * (the first of pos's paragraph): the walk then reads the tokens of that
 * paragraph's mentions only, not those of every mention between two
 * quotations, a cache miss each (a fifth of build_candidates' time). */
static size_t first_mention_at(ranker *r, size_t pos, size_t from) {
    const quoth_doc *doc = r->doc;
    if (!r->mentions_sorted)
        return first_mention_from(doc, pos);
    if (pos < r->qm_pos)
        r->qm = 0; /* back at the start: the next pass */
    size_t m = r->qm;
    /* sorted: every mention before from starts before pos too */
    if (from > m && from <= doc->nment && token_start_at(doc, doc->mentions[from - 1].token) < pos)
        m = from;
    while (m < doc->nment && token_start_at(doc, doc->mentions[m].token) < pos)
        m++;
    r->qm = m;
    r->qm_pos = pos;
    return m;
}

static void clamp_window(size_t *m0, size_t *m1, size_t lo, size_t hi) {
    if (*m0 < lo)
        *m0 = lo;
    if (*m1 > hi)
        *m1 = hi;
}

/* Which of features f[0..F_COUNT) are not zero (a NaN is not): bit k % 64
 * of nz[k / 64] for f[k]. Sixteen at a time where there is SSE: four
 * compares, their all-ones or zero lanes packed to a byte each, in order,
 * for one 16-bit mask. */
static inline void nonzero_features(const float *f, uint64_t nz[2]) {
    _Static_assert(F_COUNT <= 128, "a feature mask is two 64-bit words");
    nz[0] = nz[1] = 0;
#ifdef __SSE2__
    _Static_assert(F_COUNT >= 16, "sixteen features at a time");
    const __m128 zero = _mm_setzero_ps();
    /* the last sixteen overlap the ones before when F_COUNT % 16 != 0 */
    for (size_t k = 0; k < F_COUNT; k += 16) {
        size_t at = k + 16 <= F_COUNT ? k : F_COUNT - 16;
        __m128i a = _mm_castps_si128(_mm_cmpneq_ps(_mm_loadu_ps(f + at), zero));
        __m128i b = _mm_castps_si128(_mm_cmpneq_ps(_mm_loadu_ps(f + at + 4), zero));
        __m128i c = _mm_castps_si128(_mm_cmpneq_ps(_mm_loadu_ps(f + at + 8), zero));
        __m128i d = _mm_castps_si128(_mm_cmpneq_ps(_mm_loadu_ps(f + at + 12), zero));
        __m128i bytes = _mm_packs_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
        uint64_t bits = (uint64_t)(unsigned)_mm_movemask_epi8(bytes);
        if (at >= 64) {
            nz[1] |= bits << (at - 64);
        } else {
            nz[0] |= bits << at;
            if (at > 48)
                nz[1] |= bits >> (64 - at);
        }
    }
#else
    for (size_t k = 0; k < F_COUNT; k++)
        nz[k / 64] |= (uint64_t)(f[k] != 0) << (k % 64);
#endif
}

/* Character who's entry in the narration scan under way (made at its
 * first mention: the scan's entries from start on), with one mention
 * more at recency; NULL: out of memory. */
static inline window_entry *win_entry(ranker *r, size_t start, size_t who, float recency) {
    uint32_t *win_slot = r->win_slot;
    if (!win_slot[who]) {
        if (r->nwin == r->cap_win) {
            size_t ncap = r->cap_win ? 2 * r->cap_win : 1024;
            window_entry *grown = realloc(r->win, ncap * sizeof *grown);
            if (!grown)
                return NULL;
            r->win = grown;
            r->cap_win = ncap;
        }
        r->win[r->nwin++] = (window_entry){.ch = (uint32_t)who};
        win_slot[who] = (uint32_t)(r->nwin - start);
    }
    window_entry *e = &r->win[start + win_slot[who] - 1];
    e->count++;
    if (recency > e->recency)
        e->recency = recency;
    return e;
}

/* The mentions [m0, m1) of paragraph p, one of scan_narration's: each
 * one that names someone adds to that character's entry its count,
 * recency and flags: plain, or subj for a mention in subject position;
 * in the quotation's first paragraph (first) a mention before the
 * quotation adds WIN_OWN_BEFORE(_SUBJ) instead. Inline, so each kind of
 * paragraph gets its own loop. false: out of memory. */
static inline bool scan_mentions(ranker *r, size_t start, size_t p, size_t m0, size_t m1, float recency,
                                 uint32_t plain, uint32_t subj, size_t qstart, bool first) {
    const quoth_doc *doc = r->doc;
    const paragraph *pp = &doc->paras[p];
    if (first || m0 > pp->first_mention || m1 < (size_t)pp->first_mention + pp->mention_count) {
        /* the quotation's own paragraph, or one at the window's edge
         * (clamp_window): mention by mention */
        for (size_t m = m0; m < m1; m++) {
            const mention *mm = &doc->mentions[m];
            size_t who = narration_character(doc, mm);
            if (who == QUOTH_NONE)
                continue;
            window_entry *e = win_entry(r, start, who, recency);
            if (!e)
                return false;
            if (first && token_start_at(doc, mm->token) < qstart)
                e->flags |= mm->subject ? WIN_OWN_BEFORE | WIN_OWN_BEFORE_SUBJ : WIN_OWN_BEFORE;
            else
                e->flags |= mm->subject ? subj : plain;
        }
        return true;
    }
    const narr_mention *nm = r->narr;
    for (size_t k = r->narr_para[p].start, kend = r->narr_para[p].end; k < kend; k++) {
        window_entry *e = win_entry(r, start, nm[k].ch, recency);
        if (!e)
            return false;
        e->flags |= plain != subj && nm[k].subject ? subj : plain;
    }
    return true;
}

/* The narration around quotation q: the paragraphs from
 * QUOTH_CONTEXT_PARAGRAPHS before it to the one after it, and at most
 * QUOTH_ANAPHOR_MENTIONS mentions either side of it, so a 100 MB
 * paragraph of quotations stays linear. Each character named there gets
 * an entry, in the order of its first mention (a character is a
 * candidate from its first mention on, or never, the candidates being
 * full), with what its mentions add to its features: own paragraph(s),
 * the ones around, recency. false: out of memory. */
static bool scan_narration(ranker *r, size_t q) {
    const quoth_doc *doc = r->doc;
    const quote *qq = &doc->quotes[q];
    size_t pfirst = qq->para_first, plast = qq->para_last;
    size_t from = pfirst > QUOTH_CONTEXT_PARAGRAPHS ? pfirst - QUOTH_CONTEXT_PARAGRAPHS : 0;
    size_t to = plast + 1 < doc->npara ? plast + 2 : plast + 1;
    size_t qm = first_mention_at(r, qq->spans[0].start, doc->paras[pfirst].first_mention);
    size_t mlo = qm > QUOTH_ANAPHOR_MENTIONS ? qm - QUOTH_ANAPHOR_MENTIONS : 0;
    size_t mhi = qm + QUOTH_ANAPHOR_MENTIONS;
    size_t qstart = qq->spans[0].start;
    size_t start = r->nwin;
    bool first_person_here = false;
    /* the paragraphs in order, by kind: those before the quotation's
     * (recency 1/(1+d); the one just before, WIN_PREV_PARA), its own (the
     * first also by position; recency 1 in the first, 0 after), the one
     * after (WIN_NEXT_PARA_SUBJ for a subject, when it has no quotation) */
    size_t p = from;
    for (; p < pfirst; p++) {
        const paragraph *pp = &doc->paras[p];
        if (pp->kind != QUOTH_PARA_STORY)
            continue;
        size_t m0 = pp->first_mention, m1 = m0 + pp->mention_count;
        clamp_window(&m0, &m1, mlo, mhi);
        uint32_t fl = p + 1 == pfirst ? WIN_PREV_PARA : 0;
        if (!scan_mentions(r, start, p, m0, m1, r->recency_back[pfirst - p], fl, fl, qstart, false))
            return false;
    }
    for (; p <= plast; p++) { /* plast < to */
        const paragraph *pp = &doc->paras[p];
        if (pp->kind != QUOTH_PARA_STORY)
            continue;
        size_t m0 = pp->first_mention, m1 = m0 + pp->mention_count;
        clamp_window(&m0, &m1, mlo, mhi);
        /* the narration's own "I" here: looked for apart, so the walk
         * over the mentions reads only r->narr */
        for (size_t m = m0; m < m1 && !first_person_here; m++) {
            const mention *mm = &doc->mentions[m];
            first_person_here = !mm->quote && mm->kind == QUOTH_MENTION_PRONOUN && mm->first_person;
        }
        bool first = p == pfirst;
        if (!scan_mentions(r, start, p, m0, m1, first ? r->recency_back[0] : 0, WIN_OWN_AFTER,
                           WIN_OWN_AFTER | WIN_OWN_AFTER_SUBJ, qstart, first))
            return false;
    }
    if (p < to) { /* plast + 1 */
        const paragraph *pp = &doc->paras[p];
        if (pp->kind == QUOTH_PARA_STORY) {
            size_t m0 = pp->first_mention, m1 = m0 + pp->mention_count;
            clamp_window(&m0, &m1, mlo, mhi);
            if (!scan_mentions(r, start, p, m0, m1, 0, 0, pp->has_quote ? 0 : WIN_NEXT_PARA_SUBJ, qstart, false))
                return false;
        }
    }
    for (size_t k = start; k < r->nwin; k++)
        r->win_slot[r->win[k].ch] = 0;
    r->win_first_person = first_person_here;
    return true;
}

/* Does quotation k end with a question mark (Q_ASKS, found once)? */
static bool quote_asks(ranker *r, size_t k) {
    if (!(r->qbits[k] & Q_ASKS_KNOWN)) {
        const quote *pq = &r->doc->quotes[k];
        const span32 *ls = &pq->spans[pq->nspans - 1];
        bool asks = false;
        for (size_t i = ls->end; i > ls->start; i--) {
            char ch = r->doc->text[i - 1];
            if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
                continue;
            asks = ch == '?';
            break;
        }
        r->qbits[k] |= (uint8_t)(Q_ASKS_KNOWN | (asks ? Q_ASKS : 0));
    }
    return (r->qbits[k] & Q_ASKS) != 0;
}

/* Has quotation k more than 8 words (Q_LONG, counted once)? */
static bool quote_long(ranker *r, size_t k) {
    if (!(r->qbits[k] & Q_LONG_KNOWN))
        r->qbits[k] |= (uint8_t)(Q_LONG_KNOWN | (attr_quote_words(r->doc, k) > 8 ? Q_LONG : 0));
    return (r->qbits[k] & Q_LONG) != 0;
}

/* Moves the scene's window to quotation q's: settled quotations enter
 * as q + LOCAL_QUOTES passes them and leave as q - LOCAL_QUOTES does (q
 * grows within a pass), so each is counted in and out once a pass, not
 * walked for every quotation near it. */
static void scene_window(ranker *r, size_t q) {
    size_t nq = r->doc->nquote;
    size_t in = q + LOCAL_QUOTES + 1 < nq ? q + LOCAL_QUOTES + 1 : nq;
    size_t out = q > LOCAL_QUOTES ? q - LOCAL_QUOTES : 0;
    for (; r->scene_in < in; r->scene_in++)
        if (r->locked[r->scene_in])
            r->scene_count[r->sieve_speaker[r->scene_in]]++;
    for (; r->scene_out < out; r->scene_out++)
        if (r->locked[r->scene_out])
            r->scene_count[r->sieve_speaker[r->scene_out]]--;
}

/* One step along quotation q's run of back-to-back quotations, from *k
 * towards the start (dir < 0) or the end: *k becomes the next quotation
 * of the run and *d counts the turns crossed (turns are paragraphs:
 * quotations in one paragraph are one turn). false at the run's end:
 * another conversation, or narration between. */
static inline bool run_step(const ranker *r, size_t q, int dir, size_t *k, size_t *d) {
    const quoth_doc *doc = r->doc;
    size_t a = dir < 0 ? *k - 1 : *k, b = dir < 0 ? *k : *k + 1; /* the pair crossed */
    if ((dir < 0 ? *k <= r->run_first[q] : *k >= r->run_last[q]) ||
        doc->quotes[b].para_first > doc->quotes[a].para_last + 1)
        return false;
    *d += doc->quotes[b].para_first == doc->quotes[a].para_last + 1;
    *k = dir < 0 ? a : b;
    return true;
}

/* The idiolect model's prior (words of everyone's speech a character's
 * model starts from) and the fewest known words it needs. */
#define IDIO_MU 200.0
#define IDIO_MIN 40u
#define IDIO_MIN_ALL 2000u
/* Words more speakers than this said in known lines are left out. */
#define IDIO_MAX_SPEAKERS 16u
/* The model is built after the first pass, from the settled quotations
 * and those the first pass gave at least this confidence (self-training:
 * about twice the speech to learn each voice from). */
#define IDIO_SELF_CONF 0.9
/* The idiolect_run_* features read the run this many turns either side. */
#define IDIO_RUN_TURNS 8u

/* The first token from k on that starts at or after byte end (ntok when
 * none). A loop of its own, with nothing stored: the tables stay in
 * registers (the loops that follow store to tables the compiler must
 * assume alias the tokens, and read them all again at each token). */
static inline size_t tokens_end_before(const quoth_doc *doc, size_t k, uint32_t end) {
    const token *tok = doc->tokens;
    const uint32_t *base = doc->tok_base;
    size_t ntok = doc->ntok;
    for (; k < ntok; k++) {
        uint32_t start = tok[k].off != TOK_FAR ? base[k >> TOK_BLOCK_BITS] + tok[k].off : token_far_start(doc, k);
        if (start >= end)
            break;
    }
    return k;
}

/* A quotation's word tokens, span by span: k is each token index. */
#define FOR_QUOTE_WORDS(doc, qq, k)                                                                 \
    for (uint32_t sp_ = 0; sp_ < (qq)->nspans; sp_++)                                               \
        for (size_t k = quote_token_at(doc, qq, (qq)->spans[sp_].start),                            \
                    kend_ = tokens_end_before(doc, k, (qq)->spans[sp_].end);                        \
             k < kend_; k++)                                                                        \
            if ((doc)->tokens[k].word != TOK_NO_WORD && ((doc)->tokens[k].flags & TOK_WORD))

/* The word tokens of a span's token range r (a span32: the first token and
 * one past the last, as FOR_QUOTE_WORDS finds them): k is each index. */
#define FOR_RANGE_WORDS(doc, r, k)                                                                  \
    for (size_t k = (r).start; k < (r).end; k++)                                                    \
        if ((doc)->tokens[k].word != TOK_NO_WORD && ((doc)->tokens[k].flags & TOK_WORD))

/* The speaker whose words quotation q's are in the model: its named
 * tag's, or, once the first pass is done, its guess when sure enough;
 * else MENTION_NO_CHARACTER. */
static size_t idio_speaker(const ranker *r, size_t q) {
    if (r->locked[q])
        return r->sieve_speaker[q];
    if (r->first_conf && r->first_conf[q] >= IDIO_SELF_CONF && r->doc->quotes[q].speaker != QUOTH_NONE)
        return r->doc->quotes[q].speaker;
    return MENTION_NO_CHARACTER;
}

/* The idiolect model: for each word, who used it in a known quotation
 * (idio_speaker: one a named tag gives, or one the first pass was sure
 * of), how often, against everyone's use of it (a unigram model per
 * character, Dirichlet-smoothed towards all known speech, IDIO_MU words of
 * prior). The known quotations are read speaker by speaker, so a word's
 * last entry is the only one the speaker at hand may have: one pass counts
 * each word's speakers, one fills each word's list of them, both without a
 * search, and the lists are sized exactly. A word more than
 * IDIO_MAX_SPEAKERS said gets no list (the look-up passes it over as it
 * does a word no one said). The first pass keeps each span's range of
 * tokens for the second (finding them, a search and a walk over the
 * tokens' starts, was a third of the build). The tables only the build
 * uses are the caller's (idiolect_build): total (per character, zeroed),
 * sp_first (nchar + 2: each speaker's known quotations counted at sp +
 * 1), order (a known quotation each), mark (per word, zeroed), ranges (a
 * span of a known quotation each). false: out of memory. */
static bool idiolect_fill(ranker *r, arena *scratch, uint32_t *total, uint32_t *sp_first, uint32_t *order,
                          uint32_t *mark, span32 *ranges) {
    quoth_doc *doc = r->doc;
    size_t nw = doc->nword, nq = doc->nquote, nc = doc->nchar;
    /* the known quotations grouped by speaker (a counting sort):
     * speaker sp's are order[sp_first[sp] .. sp_first[sp + 1]) */
    for (size_t sp = 0; sp < nc; sp++)
        sp_first[sp + 1] += sp_first[sp];
    for (size_t q = 0; q < nq; q++) {
        size_t sp = idio_speaker(r, q);
        if (sp < MENTION_NO_CHARACTER)
            order[sp_first[sp] + mark[sp]++] = (uint32_t)q;
    }
    memset(mark, 0, nc * sizeof *mark); /* lent to the sort above (nc <= nw here) */
    /* each word's speakers counted: mark[w] is the last one's index + 1;
     * ranges[0..nranges) the spans' tokens, in the order read */
    size_t all = 0, nranges = 0;
    for (size_t sp = 0; sp < nc; sp++)
        for (uint32_t o = sp_first[sp]; o < sp_first[sp + 1]; o++) {
            const quote *qq = &doc->quotes[order[o]];
            for (uint32_t s = 0; s < qq->nspans; s++) {
                size_t k0 = quote_token_at(doc, qq, qq->spans[s].start);
                size_t k1 = tokens_end_before(doc, k0, qq->spans[s].end);
                span32 range = {(uint32_t)k0, (uint32_t)k1};
                ranges[nranges++] = range;
                FOR_RANGE_WORDS(doc, range, k) {
                    uint32_t w = doc->tokens[k].word;
                    /* a count for now; without a branch (whether this
                     * speaker had the word already is a coin toss) */
                    r->idio_start[w] += mark[w] != sp + 1;
                    mark[w] = (uint32_t)sp + 1;
                    total[sp]++;
                    all++;
                }
            }
        }
    /* a short work's few known lines say little of anyone's words: the
     * model needs IDIO_MIN_ALL words of known speech in all (no
     * character has one without: the look-up is never made) */
    if (all < IDIO_MIN_ALL)
        return true;
    uint32_t at = 0;
    for (size_t w = 0; w < nw; w++) {
        uint32_t cnt = r->idio_start[w];
        r->idio_start[w] = at;
        mark[w] = at; /* now the fill cursor */
        at += cnt <= IDIO_MAX_SPEAKERS ? cnt : 0; /* "the", "I": the language's, not anyone's */
    }
    r->idio_start[nw] = at;
    r->idio_ch = arena_alloc_uninit(scratch, (at ? at : 1) * sizeof *r->idio_ch);
    r->idio_val = arena_alloc_uninit(scratch, (at ? at : 1) * sizeof *r->idio_val);
    if (!r->idio_ch || !r->idio_val)
        return false;
    const span32 *range = ranges;
    for (size_t sp = 0; sp < nc; sp++)
        for (uint32_t o = sp_first[sp]; o < sp_first[sp + 1]; o++)
            for (uint32_t s = 0; s < doc->quotes[order[o]].nspans; s++, range++)
                FOR_RANGE_WORDS(doc, *range, k) {
                    uint32_t w = doc->tokens[k].word, e = mark[w];
                    if (r->idio_start[w] == r->idio_start[w + 1])
                        continue; /* no list */
                    if (e > r->idio_start[w] && r->idio_ch[e - 1] == sp) {
                        r->idio_val[e - 1] += 1; /* a count, made a value below */
                    } else {
                        r->idio_ch[e] = (uint16_t)sp;
                        r->idio_val[e] = 1;
                        mark[w] = e + 1;
                    }
                }
    /* each entry's count becomes log1p(count / (mu * share)), the part of
     * its log-likelihood ratio that depends on the speaker (the order of
     * a word's entries matters to no sum: a candidate has one) */
    double denom = (double)all + 0.5 * (double)(nw + 1);
    for (size_t w = 0; w < nw; w++) {
        uint32_t uses = 0;
        for (uint32_t e = r->idio_start[w]; e < r->idio_start[w + 1]; e++)
            uses += (uint32_t)r->idio_val[e];
        double prior = IDIO_MU * ((double)uses + 0.5) / denom;
        r->idio_prior[w] = (float)prior;
        for (uint32_t e = r->idio_start[w]; e < r->idio_start[w + 1]; e++)
            r->idio_val[e] = (float)log1p((double)r->idio_val[e] / prior);
    }
    for (size_t c = 0; c <= nc; c++)
        r->idio_norm[c] = total[c] >= IDIO_MIN ? (float)log(((double)total[c] + IDIO_MU) / IDIO_MU) : 0;
    return true;
}

/* idiolect_fill() with its tables: the model's in the scratch arena, the
 * build's own malloc'd and freed here (they are not live at the ranker's
 * peak, in its passes). false: out of memory. */
static bool idiolect_build(ranker *r, arena *scratch) {
    quoth_doc *doc = r->doc;
    size_t nw = doc->nword, nc = doc->nchar, nknown = 0, nspans = 0;
    uint32_t *sp_first = calloc(nc + 2, sizeof *sp_first);
    if (sp_first)
        for (size_t q = 0; q < doc->nquote; q++) {
            size_t sp = idio_speaker(r, q);
            if (sp < MENTION_NO_CHARACTER) {
                sp_first[sp + 1]++;
                nknown++;
                nspans += doc->quotes[q].nspans;
            }
        }
    r->idio_norm = arena_alloc(scratch, (nc + 1) * sizeof *r->idio_norm); /* zeroed: no model */
    r->idio_start = arena_alloc(scratch, (nw + 1) * sizeof *r->idio_start);
    r->idio_prior = arena_alloc_uninit(scratch, (nw + 1) * sizeof *r->idio_prior);
    r->idio_lines = arena_alloc_uninit(scratch, IDIO_RING * sizeof *r->idio_lines);
    r->idio_acc = arena_alloc(scratch, (nc + 1) * sizeof *r->idio_acc);
    r->idio_touched = arena_alloc_uninit(scratch, (nc + 1) * sizeof *r->idio_touched);
    if (r->idio_lines)
        for (size_t i = 0; i < IDIO_RING; i++)
            r->idio_lines[i].q = SIZE_MAX;
    uint32_t *total = calloc(nc + 1, sizeof *total);
    uint32_t *order = calloc(nknown ? nknown : 1, sizeof *order);
    /* per word, and per character for the sort (words outnumber them) */
    uint32_t *mark = calloc((nw > nc ? nw : nc) + 1, sizeof *mark);
    span32 *ranges = malloc((nspans ? nspans : 1) * sizeof *ranges);
    bool ok = r->idio_norm && r->idio_start && r->idio_prior && r->idio_lines && r->idio_acc && r->idio_touched &&
              total && sp_first && order && mark && ranges &&
              idiolect_fill(r, scratch, total, sp_first, order, mark, ranges);
    free(total);
    free(sp_first);
    free(order);
    free(mark);
    free(ranges);
    return ok;
}

/* Has candidate i an idiolect model? */
static bool idio_ok(const ranker *r, const candidate *c) {
    return c->ch < MENTION_NO_CHARACTER && r->idio_norm[c->ch] > 0;
}

/* A model entry v = log1p(count / prior) with one use fewer: the
 * quotation's own speaker's, for a quotation in the model (it counts
 * without its own words). */
static inline double idio_without_one(double v, float prior) {
    return log1p(fmax(0.0, expm1(v) - 1.0 / prior));
}

/* How much likelier quotation q's words are in each of the n candidates'
 * known lines than in everyone's: llr[i] (0 without a model), the count
 * of its words some known line has in *nw (the terms every candidate
 * shares cancel: a word no candidate said adds only the length penalty of
 * each one's model). A quotation in the model counts without its own
 * words: they would vouch for its first guess. */
static void idiolect_llr(const ranker *r, size_t q, const float *norm, size_t n, double *llr, double *nw_out) {
    const quoth_doc *doc = r->doc;
    const quote *qq = &doc->quotes[q];
    /* candidate i's sum in sum[i + 1]; sum[0] takes the entries of those
     * who are not candidates (slot 0), without a test */
    double sum[MAX_CAND + 1];
    for (size_t i = 0; i <= n; i++)
        sum[i] = 0;
    size_t own = idio_speaker(r, q); /* a first-pass guess, if any: it is not settled */
    /* the tables in locals, read once: not again at each entry, after
     * the loop's stores and its calls to libm */
    const uint16_t *ech = r->idio_ch;
    const float *eval = r->idio_val;
    const uint8_t *slot = r->slot;
    size_t known = 0; /* words of some known line: an integer count, nw below */
    FOR_QUOTE_WORDS(doc, qq, k) {
        /* a word with no list: no known line has it, or more than
         * IDIO_MAX_SPEAKERS did (idiolect_build) */
        uint32_t w = doc->tokens[k].word;
        uint32_t e = r->idio_start[w], end = r->idio_start[w + 1];
        known += e < end;
        for (; e < end; e++) {
            double v = eval[e];
            if (ech[e] == own)
                v = idio_without_one(v, r->idio_prior[w]);
            sum[slot[ech[e]]] += v;
        }
    }
    double nw = (double)known;
    for (size_t i = 0; i < n; i++)
        llr[i] = norm[i] > 0 ? sum[i + 1] - nw * norm[i] : 0;
    *nw_out = nw;
}

/* Quotation k's idio_line, made when first asked: a line of a run is
 * asked for by each line around it, and by itself (the second pass's
 * model and guesses do not change). Past IDIO_LINE_TOP characters (few
 * lines), the worst goes. */
static const idio_line *idiolect_line(ranker *r, size_t k) {
    _Static_assert(IDIO_RING > 2 * CHAIN_QUOTES, "the lines around a quotation fit the ring");
    idio_line *L = &r->idio_lines[k % IDIO_RING];
    if (L->q == k)
        return L;
    const quoth_doc *doc = r->doc;
    size_t own = idio_speaker(r, k), nt = 0;
    double nw = 0;
    /* the tables in locals: the stores below (a bool, a uint16_t) may
     * alias anything to the compiler, which read every one of them again
     * at each entry */
    const uint32_t *istart = r->idio_start;
    const uint16_t *ich = r->idio_ch;
    const float *ival = r->idio_val;
    bool *seen = r->conv_seen; /* lent: build_candidates is done with it */
    uint16_t *touched = r->idio_touched;
    double *acc = r->idio_acc;
    FOR_QUOTE_WORDS(doc, &doc->quotes[k], t) {
        uint32_t w = doc->tokens[t].word;
        uint32_t e = istart[w], end = istart[w + 1];
        nw += e < end;
        for (; e < end; e++) {
            size_t ch = ich[e];
            double v = ival[e];
            if (ch == own)
                v = idio_without_one(v, r->idio_prior[w]);
            /* noted without a branch: whether a character was seen
             * already is a coin toss to the predictor */
            touched[nt] = (uint16_t)ch;
            nt += !seen[ch];
            seen[ch] = true;
            acc[ch] += v;
        }
    }
    float *llr = L->llr;
    uint16_t *who = L->ch;
    size_t n = 0;
    L->all = true;
    for (size_t j = 0; j < nt; j++) {
        size_t ch = r->idio_touched[j];
        double v = r->idio_acc[ch] - nw * r->idio_norm[ch];
        r->idio_acc[ch] = 0;
        r->conv_seen[ch] = false;
        if (r->idio_norm[ch] <= 0)
            continue; /* no model */
        size_t at = n;
        if (at == IDIO_LINE_TOP) {
            L->all = false;
            at = 0;
            for (size_t i = 1; i < IDIO_LINE_TOP; i++)
                at = llr[i] < llr[at] ? i : at;
            if (v <= llr[at])
                continue;
        } else {
            n++;
        }
        who[at] = (uint16_t)ch;
        llr[at] = (float)v;
    }
    L->q = k;
    L->n = (uint8_t)n;
    L->nw = (float)nw;
    return L;
}

/* Line L's scores of quotation q's n candidates: one not among its
 * characters said none of its words. llr[-1] must be writable: it takes
 * the line's characters who are not candidates, stored without a test
 * (whether one is, is a coin toss to the branch predictor). */
static void idiolect_line_llr(const ranker *r, const idio_line *L, const float *norm, size_t n, double *llr) {
    for (size_t i = 0; i < n; i++)
        llr[i] = norm[i] > 0 ? -(double)L->nw * norm[i] : 0;
    for (size_t j = 0; j < L->n; j++)
        llr[(ptrdiff_t)r->slot[L->ch[j]] - 1] = L->llr[j];
}

/* llr centred over the nok candidates with a model, divided by
 * 3 sqrt(words), clipped to +-3, added to feature f */
static void idiolect_put(candidate *c, const float *norm, size_t n, size_t nok, const double *llr, double nw,
                         size_t f) {
    if (nw <= 0)
        return;
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += llr[i];
    mean /= (double)nok;
    double scale = 3.0 * sqrt(nw);
    for (size_t i = 0; i < n; i++) {
        if (!(norm[i] > 0))
            continue;
        double v = (llr[i] - mean) / scale;
        c[i].f[f] += (float)(v > 3 ? 3 : v < -3 ? -3 : v);
    }
}

/* The idiolect features of quotation q's n candidates: its own words
 * (F_IDIOLECT), and the sum of the same score over the lines of its run
 * of turns (a short line says little; in an exchange of two, a line an
 * even number of turns away has the same speaker, an odd number the
 * other). */
static void idiolect_features(ranker *r, size_t q, candidate *c, size_t n) {
    /* each candidate's model norm, 0 without a model (idio_ok), read
     * once: not again for each line of the run, after each store to a
     * feature (a float, as the norms are) */
    float norm[MAX_CAND];
    size_t nok = 0;
    for (size_t i = 0; i < n; i++) {
        norm[i] = idio_ok(r, &c[i]) ? r->idio_norm[c[i].ch] : 0;
        nok += norm[i] > 0;
    }
    if (nok < 2)
        return;
    double llr_buf[MAX_CAND + 1], nw;
    double *llr = llr_buf + 1; /* llr[-1]: idiolect_line_llr's sink */
    const idio_line *L = idiolect_line(r, q);
    if (L->all) { /* one walk of its words, not two */
        nw = L->nw;
        idiolect_line_llr(r, L, norm, n, llr);
    } else {
        idiolect_llr(r, q, norm, n, llr, &nw);
    }
    idiolect_put(c, norm, n, nok, llr, nw, F_IDIOLECT);
    /* the run as the chain_* features walk it, up to IDIO_RUN_TURNS turns
     * either side; a named tag anchors the turns past it anew */
    for (int dir = -1; dir <= 1; dir += 2)
        for (size_t k = q, d = 0, steps = 0; steps < CHAIN_QUOTES && run_step(r, q, dir, &k, &d); steps++) {
            if (d > IDIO_RUN_TURNS || r->locked[k])
                break;
            const idio_line *R = idiolect_line(r, k);
            if (R->nw <= 0)
                continue;
            idiolect_line_llr(r, R, norm, n, llr);
            idiolect_put(c, norm, n, nok, llr, R->nw, d % 2 ? F_IDIO_RUN_OTHER : F_IDIO_RUN_SAME);
        }
}

/* Features for every candidate of quotation q; returns the count. */
static size_t build_candidates(ranker *r, size_t q, candidate *c, bool *ctx) {
    quoth_doc *doc = r->doc;
    const quote *qq = &doc->quotes[q];
    size_t n = 0;
    for (size_t i = 0; i < r->nslot_used; i++)
        r->slot[c[i].ch] = 0; /* the previous quotation's candidates */
    add_candidate(r, c, &n, r->sieve_speaker[q]);

    /* the conversation so far: up to PREV_QUOTES quotations back */
    size_t prev[PREV_QUOTES], np = 0;
    for (size_t k = q; k-- > 0 && np < PREV_QUOTES;) {
        if (!attr_same_conversation(doc, k, k + 1))
            break;
        prev[np++] = k;
    }
    size_t sp[PREV_QUOTES];
    for (size_t i = 0; i < np; i++) {
        sp[i] = root_or_none(doc, doc->quotes[prev[i]].speaker);
        add_candidate(r, c, &n, sp[i]);
    }
    /* ... and who spoke further back in it (a long scene) */
    size_t older[OLDER_QUOTES], no = 0;
    if (np == PREV_QUOTES)
        for (size_t k = prev[np - 1]; k-- > 0 && no < OLDER_QUOTES;) {
            if (!attr_same_conversation(doc, k, k + 1))
                break;
            older[no] = root_or_none(doc, doc->quotes[k].speaker);
            add_candidate(r, c, &n, older[no]);
            no++;
        }
    size_t voc_prev = QUOTH_NONE;
    if (np) {
        voc_prev = attr_addressed_in(doc, prev[0]);
        add_candidate(r, c, &n, voc_prev);
    }
    size_t next[2] = {QUOTH_NONE, QUOTH_NONE}, guess[2] = {QUOTH_NONE, QUOTH_NONE};
    for (size_t i = 0, k = q; i < 2 && k + 1 < doc->nquote; i++, k++) {
        if (!attr_same_conversation(doc, k, k + 1))
            break;
        size_t s = root_or_none(doc, doc->quotes[k + 1].speaker);
        if (r->locked[k + 1])
            next[i] = s;
        else if (r->second_pass)
            guess[i] = s;
        add_candidate(r, c, &n, s);
    }
    /* A run of untagged lines, one a paragraph with no narration between,
     * is an exchange of turns: the named tag that ends (or starts) the run
     * fixes who speaks every other line of it, whatever was guessed in
     * between (the history features read the ranker's own guesses, so one
     * wrong guess flips the rest of a run; these read only the text).
     * Which end of the run it is, and whether it is an even or odd number
     * of turns away, is for the model to weigh. A pronoun tag ends the run
     * too: the speaker may go on across a tagged line ("Ann tapped her
     * foot. "...," she added."), so the nearest tag is the one to trust. */
    size_t chain_next = QUOTH_NONE, chain_prev = QUOTH_NONE, chain_next_d = 0, chain_prev_d = 0;
    /* ... and a pronoun tag ("she said") there gives the gender of every
     * other turn */
    quoth_gender pron_next = QUOTH_GENDER_UNKNOWN, pron_prev = QUOTH_GENDER_UNKNOWN;
    size_t pron_next_d = 0, pron_prev_d = 0;
    /* turns are paragraphs: quotations in one paragraph are one turn */
    for (size_t k = q, d = 0, steps = 0; d <= CHAIN_TURNS && steps < CHAIN_QUOTES && run_step(r, q, 1, &k, &d);
         steps++) {
        if (r->locked[k]) {
            chain_next = r->sieve_speaker[k];
            chain_next_d = d;
            break;
        }
        if (gendered(r->tag_gender[k])) { /* the run ends at the nearest tag */
            pron_next = r->tag_gender[k];
            pron_next_d = d;
            break;
        }
    }
    for (size_t k = q, d = 0, steps = 0; d <= CHAIN_TURNS && steps < CHAIN_QUOTES && run_step(r, q, -1, &k, &d);
         steps++) {
        if (r->locked[k]) {
            chain_prev = r->sieve_speaker[k];
            chain_prev_d = d;
            break;
        }
        if (gendered(r->tag_gender[k])) {
            pron_prev = r->tag_gender[k];
            pron_prev_d = d;
            break;
        }
    }
    add_candidate(r, c, &n, chain_next);
    add_candidate(r, c, &n, chain_prev);
    /* whom the lines of the run address, two to six turns either side:
     * in an exchange of two, the one addressed an odd number of turns
     * away is this line's speaker ("A fine child, Mrs. Smith!" ... three
     * lines on, Mrs. Smith again), an even number its listener */
    size_t voc_chain[VOC_CHAIN];
    bool voc_odd[VOC_CHAIN];
    size_t nvoc = 0;
    for (int dir = -1; dir <= 1; dir += 2)
        for (size_t k = q, d = 0, steps = 0; nvoc < VOC_CHAIN && steps < CHAIN_QUOTES && run_step(r, q, dir, &k, &d);
             steps++) {
            if (d > VOC_TURNS)
                break;
            if (d < 2)
                continue;
            if (r->locked[k] && attr_vocative_of(doc, k) == QUOTH_NONE)
                break;
            size_t who = root_or_none(doc, attr_vocative_of(doc, k));
            if (who == QUOTH_NONE)
                continue;
            voc_chain[nvoc] = who;
            voc_odd[nvoc++] = d % 2;
            add_candidate(r, c, &n, who);
            if (r->locked[k])
                break; /* a named tag anchors the turns past it anew */
        }
    /* the reply names whom it answers: "Oh! single, my dear Mr. Bennet"
     * (an untagged reply: one whose tag names its speaker may be that
     * speaker going on, to the same listener) */
    size_t voc_next = QUOTH_NONE;
    if (q + 1 < doc->nquote && !r->locked[q + 1] && attr_same_conversation(doc, q, q + 1) &&
        doc->quotes[q + 1].para_first > qq->para_last) {
        voc_next = root_or_none(doc, attr_vocative_of(doc, q + 1));
        add_candidate(r, c, &n, voc_next);
    }
    /* who takes part in the conversation, by its named tags, before or
     * after this quotation (the history is the ranker's own guesses; the
     * tags are the text's) */
    size_t conv[CONV_SPEAKERS], nconv = 0;
    {
        /* the run of quotations in one conversation around q, at most
         * CONV_QUOTES either side; its settled ones through next_locked */
        size_t lo = q >= CONV_QUOTES && r->run_first[q] < q - CONV_QUOTES ? q - CONV_QUOTES : r->run_first[q];
        size_t hi = r->run_last[q] > q + CONV_QUOTES ? q + CONV_QUOTES : r->run_last[q];
        for (size_t k = r->next_locked[lo]; k <= hi && nconv < CONV_SPEAKERS; k = r->next_locked[k + 1]) {
            if (k == q)
                continue;
            size_t who = r->sieve_speaker[k]; /* a settled quotation's: someone */
            if (!r->conv_seen[who]) {
                r->conv_seen[who] = true;
                conv[nconv++] = who;
                add_candidate(r, c, &n, who);
            }
        }
        for (size_t j = 0; j < nconv; j++)
            r->conv_seen[conv[j]] = false;
    }
    /* narration around it: each character it names a candidate, with
     * its narration features (scan_narration) */
    size_t pfirst = qq->para_first;
    /* scanned again on the second pass: keeping every quotation's entries
     * for it saved 1.5% of the instructions and cost a third of a byte of
     * memory a byte of text (peak RSS on a novel +4%) */
    r->nwin = 0;
    if (!scan_narration(r, q)) {
        r->nomem = true;
        return 0;
    }
    const window_entry *we = r->win;
    size_t nwe = r->nwin;
    bool first_person_here = r->win_first_person;
    for (size_t k = 0; k < nwe; k++) {
        size_t i = add_candidate(r, c, &n, we[k].ch);
        if (i == QUOTH_NONE)
            continue;
        float *f = c[i].f;
        /* a character has one entry, so this is its whole count: its log
         * is taken here, from the table for a small count, rather than by
         * a pass over every candidate that converts each float back */
        uint32_t count = we[k].count; /* 0 before: one mention, 1 */
        f[F_WINDOW_COUNT] = count < LOG1P_TABLE ? r->log1p_small[count] : log1p_count(r, (double)(float)count);
        set_max(&f[F_RECENCY], we[k].recency);
        uint32_t fl = we[k].flags;
        if (fl & WIN_OWN_BEFORE)
            f[F_OWN_BEFORE] = 1;
        if (fl & WIN_OWN_BEFORE_SUBJ)
            f[F_OWN_BEFORE_SUBJ] = 1;
        if (fl & WIN_OWN_AFTER)
            f[F_OWN_AFTER] = 1;
        if (fl & WIN_OWN_AFTER_SUBJ)
            f[F_OWN_AFTER_SUBJ] = 1;
        if (fl & WIN_PREV_PARA)
            f[F_PREV_PARA] = 1;
        if (fl & WIN_NEXT_PARA_SUBJ)
            f[F_NEXT_PARA_SUBJ] = 1;
    }
    if (doc->narrator != QUOTH_NONE)
        add_candidate(r, c, &n, character_root(doc, doc->narrator));
    /* the work's main speakers, when nothing nearby names them */
    for (size_t i = 0; i < TOP_SPEAKERS; i++) {
        size_t k = add_candidate(r, c, &n, r->top[i]);
        if (k != QUOTH_NONE)
            c[k].f[F_TOP_SPEAKER] = 1;
    }

    /* who the named tags of the scene name: settled quotations within
     * LOCAL_QUOTES either side, any conversation (a chapter's cast, not
     * the whole work's); q itself is not settled, or it would not be
     * ranked */
    scene_window(r, q);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = r->scene_count[c[i].ch];
        if (k)
            c[i].f[F_LOCAL_TAGGED] = log1p_count(r, (double)k);
    }
    /* the rules' proposal */
    size_t si = find_candidate(r, r->sieve_speaker[q]);
    if (si != QUOTH_NONE) {
        switch (r->sieve_rule[q]) {
        case QUOTH_RULE_TAG_AFTER:
        case QUOTH_RULE_TAG_BEFORE: c[si].f[F_SIEVE_TAG_PRONOUN] = 1; break;
        case QUOTH_RULE_BEAT: c[si].f[F_SIEVE_BEAT] = 1; break;
        case QUOTH_RULE_INTRO: c[si].f[F_SIEVE_INTRO] = 1; break;
        case QUOTH_RULE_NARRATION_BEFORE: c[si].f[F_SIEVE_NARRATION] = 1; break;
        case QUOTH_RULE_TURN_TAKING: c[si].f[F_SIEVE_TURN] = 1; break;
        default: break;
        }
        if (r->qbits[q] & Q_SIEVE_NAMED)
            c[si].f[F_SIEVE_NAMED] = 1;
    }
    quoth_gender tg = r->tag_gender[q];
    /* history */
    bool gap = false, gap_long = false;
    size_t gap_para = QUOTH_NONE;
    if (np) {
        const quote *pq = &doc->quotes[prev[0]];
        gap = pq->para_last + 1 < qq->para_first;
        gap_long = gap && quote_long(r, prev[0]);
        if (gap)
            gap_para = qq->para_first - 1;
    }
    /* the quotation before ends with a question mark */
    bool prev_question = np && quote_asks(r, prev[0]);
    /* who is addressed by name in it (attr_vocative_in_quote), gathered
     * once, not by a walk over its mentions for each candidate */
    enum { VOC_SELF_MAX = 8 };
    size_t voc_self[VOC_SELF_MAX], nvoc_self = 0;
    bool voc_self_many = false;
    for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote == q + 1 && mm->kind == QUOTH_MENTION_VOCATIVE) {
            if (nvoc_self < VOC_SELF_MAX)
                voc_self[nvoc_self++] = mention_character(mm);
            else
                voc_self_many = true;
        }
    }
    /* The features that name one character (a previous speaker, a tag
     * ahead, someone addressed) are set on that character's candidate,
     * found by its slot: one look-up per name rather than a comparison of
     * every candidate with every list. A character has one candidate at
     * most, and none when the candidates were full, as before. */
    if (np) { /* spoke the quotation just before */
        size_t i = find_candidate(r, sp[0]);
        if (i != QUOTH_NONE) {
            float *f = c[i].f;
            const quote *pq = &doc->quotes[prev[0]];
            if (pq->para_last == qq->para_first)
                f[F_PREV1_SAMEPARA] = 1;
            else if (!gap)
                f[F_PREV1_NEXTPARA] = 1;
            else {
                f[F_PREV1_GAP] = 1;
                f[F_PREV1_GAP_LONG] = gap_long;
                f[F_PREV1_GAP_OTHER] = attr_someone_else_acts(doc, gap_para, sp[0]);
            }
            if (prev_question)
                f[F_PREV1_QUESTION] = 1;
            size_t here = quote_bytes(qq), before = quote_bytes(pq);
            if (here >= QUOTE_MEDIUM_BYTES && before >= QUOTE_MEDIUM_BYTES)
                f[F_PREV1_BOTH_MEDIUM] = 1;
            if (here >= QUOTE_LONG_BYTES && before >= QUOTE_LONG_BYTES)
                f[F_PREV1_BOTH_LONG] = 1;
        }
    }
    if (np > 1 && sp[1] != sp[0]) { /* two back, not one back */
        size_t i = find_candidate(r, sp[1]);
        if (i != QUOTH_NONE) {
            float *f = c[i].f;
            f[F_PREV2] = 1;
            if (sp[0] != QUOTH_NONE && (np < 3 || sp[2] == sp[0]))
                f[F_ALTERNATION] = 1;
            if (doc->quotes[prev[0]].para_last + 1 == qq->para_first &&
                doc->quotes[prev[1]].para_last + 1 == doc->quotes[prev[0]].para_first)
                f[F_ALTERNATION_TIGHT] = 1;
        }
    }
    if (np > 2 && sp[2] != sp[0] && sp[2] != sp[1]) {
        size_t i = find_candidate(r, sp[2]);
        if (i != QUOTH_NONE)
            c[i].f[F_PREV3] = 1;
    }
    for (size_t k = 3; k < np; k++) /* four to six back, and not one to three back */
        if (sp[k] != sp[0] && sp[k] != sp[1] && sp[k] != sp[2]) {
            size_t i = find_candidate(r, sp[k]);
            if (i != QUOTH_NONE)
                c[i].f[F_PREV_FAR] = 1;
        }
    for (size_t k = 0; k < no; k++) { /* further back, and none of the six (np is PREV_QUOTES here) */
        /* all np compared: a loop of fixed length is predicted, an
         * early exit is not */
        bool recent = false;
        for (size_t j = 0; j < np; j++)
            recent |= sp[j] == older[k];
        size_t i = recent ? QUOTH_NONE : find_candidate(r, older[k]);
        if (i != QUOTH_NONE)
            c[i].f[F_PREV_OLDER] = 1;
    }
    {
        size_t i = find_candidate(r, next[0]);
        if (i != QUOTH_NONE)
            c[i].f[F_NEXT1] = 1;
        i = next[1] != next[0] ? find_candidate(r, next[1]) : QUOTH_NONE;
        if (i != QUOTH_NONE)
            c[i].f[F_NEXT2] = 1;
        i = find_candidate(r, guess[0]);
        if (i != QUOTH_NONE)
            c[i].f[F_NEXT1_GUESS] = 1;
        i = guess[1] != guess[0] ? find_candidate(r, guess[1]) : QUOTH_NONE;
        if (i != QUOTH_NONE)
            c[i].f[F_NEXT2_GUESS] = 1;
    }
    for (size_t j = 0; j < nconv; j++) { /* conv[] has no repeats */
        size_t i = find_candidate(r, conv[j]);
        if (i != QUOTH_NONE) {
            c[i].f[F_CONV_TAGGED] = 1;
            c[i].f[F_CONV_TWO] = nconv == 2;
        }
    }
    {
        size_t i = find_candidate(r, chain_next);
        if (i != QUOTH_NONE)
            c[i].f[chain_next_d % 2 ? F_CHAIN_NEXT_ODD : F_CHAIN_NEXT_EVEN] = 1;
        i = find_candidate(r, chain_prev);
        if (i != QUOTH_NONE)
            c[i].f[chain_prev_d % 2 ? F_CHAIN_PREV_ODD : F_CHAIN_PREV_EVEN] = 1;
        i = find_candidate(r, voc_prev);
        if (i != QUOTH_NONE)
            c[i].f[F_VOC_PREV] = 1;
        i = find_candidate(r, voc_next);
        if (i != QUOTH_NONE)
            c[i].f[F_VOC_NEXT] = 1;
    }
    for (size_t j = 0; j < nvoc; j++) {
        size_t i = find_candidate(r, voc_chain[j]);
        if (i != QUOTH_NONE)
            c[i].f[voc_odd[j] ? F_VOC_CHAIN_ODD : F_VOC_CHAIN_EVEN] = 1;
    }
    for (size_t k = 0; k < nvoc_self; k++) {
        size_t i = find_candidate(r, voc_self[k]);
        if (i != QUOTH_NONE)
            c[i].f[F_VOC_SELF] = 1;
    }
    /* what depends on the candidate itself: its gender, its share of the
     * tags, whether it narrates */
    size_t narrator = root_or_none(doc, doc->narrator);
    for (size_t i = 0; i < n; i++) {
        candidate *cc = &c[i];
        size_t ch = cc->ch;
        const character *chr = &doc->chars[ch];
        float *f = cc->f;
        if (tg != QUOTH_GENDER_UNKNOWN) { /* he, she, it, they */
            if (chr->narrator) /* the narrator is "I", in a cast or found */
                f[F_TAGPRON_MISMATCH] = 1; /* "he said" is never the "I" who narrates */
            else if (chr->gender == tg)
                f[F_TAGPRON_MATCH] = 1;
            else if (chr->gender != QUOTH_GENDER_UNKNOWN)
                f[F_TAGPRON_MISMATCH] = 1;
            else
                f[F_TAGPRON_UNKNOWN] = 1;
        }
        if (pron_next != QUOTH_GENDER_UNKNOWN && chr->gender == pron_next && !(chr->narrator && doc->first_person))
            f[pron_next_d % 2 ? F_CHAIN_NEXT_PRON_ODD : F_CHAIN_NEXT_PRON_EVEN] = 1;
        if (pron_prev != QUOTH_GENDER_UNKNOWN && chr->gender == pron_prev && !(chr->narrator && doc->first_person))
            f[pron_prev_d % 2 ? F_CHAIN_PREV_PRON_ODD : F_CHAIN_PREV_PRON_EVEN] = 1;
        /* more vocatives than voc_self holds: the rest asked of the quotation */
        if (voc_self_many && !f[F_VOC_SELF] && attr_vocative_in_quote(doc, q, ch))
            f[F_VOC_SELF] = 1;
        f[F_LOCKED_SHARE] = r->locked_share[ch];
        f[F_LOCKED_LOG] = r->locked_log[ch];
        if (chr->narrator || ch == narrator)
            f[F_NARRATOR] = 1;
        if (chr->gender == QUOTH_GENDER_UNKNOWN)
            f[F_GENDER_UNKNOWN] = 1;
        if (chr->descriptor_only)
            f[F_DESCRIPTOR_ONLY] = 1;
    }
    /* named (not addressed) inside the quotation before */
    if (np) {
        const quote *pq = &doc->quotes[prev[0]];
        for (size_t m = pq->mention_first; m < pq->mention_end; m++) {
            const mention *mm = &doc->mentions[m];
            if (mm->quote != prev[0] + 1 || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_VOCATIVE ||
                mm->kind == QUOTH_MENTION_PRONOUN)
                continue;
            size_t i = find_candidate(r, character_root(doc, mention_character(mm)));
            if (i != QUOTH_NONE)
                c[i].f[F_NAMED_IN_PREV] = 1;
        }
    }
    /* named (not addressed) inside this quotation: "Tom came to see me"
     * is seldom Tom's */
    for (size_t m = qq->mention_first; m < qq->mention_end; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote != q + 1 || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_VOCATIVE ||
            mm->kind == QUOTH_MENTION_PRONOUN)
            continue;
        size_t i = find_candidate(r, character_root(doc, mention_character(mm)));
        if (i != QUOTH_NONE)
            c[i].f[F_NAMED_IN_SELF] = 1;
    }
    /* "she said": the nearest named woman before the pronoun */
    if (tg != QUOTH_GENDER_UNKNOWN && r->tag_mention[q] != QUOTH_NONE) {
        size_t mi = r->tag_mention[q];
        bool seen_tagged = false, seen_nearest = false;
        size_t not_it[PRONOUN_NOT_MAX], nnot = attr_pronoun_not(doc, mi, not_it, PRONOUN_NOT_MAX);
        for (size_t o = 0; o < nnot; o++) {
            size_t i = find_candidate(r, not_it[o]);
            if (i != QUOTH_NONE)
                c[i].f[F_TAGPRON_RULED_OUT] = 1;
        }
        for (size_t k = mi; k-- > 0 && mi - k <= QUOTH_ANAPHOR_MENTIONS;) {
            const mention *mm = &doc->mentions[k];
            if (mm->para + QUOTH_CONTEXT_PARAGRAPHS < doc->mentions[mi].para)
                break;
            size_t ch;
            if (narration_mention(mm) && mm->kind != QUOTH_MENTION_PRONOUN)
                ch = character_root(doc, mention_character(mm));
            else if (!mm->relational || mention_character(mm) != QUOTH_NONE || mm->para + 1 < doc->mentions[mi].para ||
                     (ch = attr_relative_named(doc, k, tg)) == QUOTH_NONE)
                continue; /* "met by her father": her Mr. Bennet */
            if (doc->chars[ch].gender != tg)
                continue;
            bool not_it_ch = false;
            for (size_t o = 0; o < nnot && !not_it_ch; o++)
                not_it_ch = not_it[o] == ch;
            if (not_it_ch)
                continue; /* not the nearest antecedent: ruled out */
            bool tagged = false; /* "Carl asked." / ""No," he said.": not Carl */
            for (size_t i = 0; i < np && !tagged; i++)
                tagged = doc->quotes[prev[i]].evidence_mention == k + 1;
            size_t i = find_candidate(r, ch);
            if (tagged) { /* the tag of the quotation before: its own feature */
                if (i != QUOTH_NONE && !seen_tagged && !seen_nearest) {
                    c[i].f[F_TAGPRON_NEAREST_TAGGED] = 1;
                    /* "Carl asked." then a new paragraph ""No," he said." */
                    if (doc->quotes[prev[0]].evidence_mention == k + 1 &&
                        doc->quotes[prev[0]].para_last + 1 == qq->para_first)
                        c[i].f[F_TAGPRON_PREV_TAG_NEWPARA] = 1;
                }
                seen_tagged |= !seen_nearest;
                continue;
            }
            if (!seen_nearest) {
                if (i != QUOTH_NONE)
                    c[i].f[F_TAGPRON_NEAREST] = 1;
                seen_nearest = true;
            }
            if (mm->subject) {
                if (i != QUOTH_NONE)
                    c[i].f[F_TAGPRON_NEAREST_SUBJ] = 1;
                break;
            }
        }
    }
    if (pfirst > 0 && doc->paras[pfirst - 1].kind == QUOTH_PARA_STORY && !doc->paras[pfirst - 1].has_quote) {
        bool sv;
        size_t m = attr_para_subject(doc, r->para_subject, pfirst - 1, &sv);
        size_t who = m != QUOTH_NONE ? narration_character(doc, &doc->mentions[m]) : QUOTH_NONE;
        if (who != QUOTH_NONE) {
            size_t i = find_candidate(r, who);
            if (i != QUOTH_NONE) {
                c[i].f[F_PREV_PARA_SUBJ] = 1;
                /* the one who spoke last is the subject of the beat after
                 * it ("Lex began moving again."): two thirds of them go on
                 * speaking (202 of 301 ranked with a cast), fewer than
                 * prev1_after_narration and prev_paragraph_last_subject add
                 * up to, so the pair has a weight of its own */
                if (c[i].f[F_PREV1_GAP] > 0)
                    c[i].f[F_PREV1_OWN_BEAT] = 1;
            }
        }
    }
    if (first_person_here)
        for (size_t i = 0; i < n; i++)
            if (c[i].f[F_NARRATOR] > 0)
                c[i].f[F_NARRATOR_I] = 1;
    /* the narrator who has not spoken in this conversation, nor is named
     * by its tags: "I" is in every scene, but not in every exchange */
    for (size_t i = 0; i < n; i++) {
        const float *f = c[i].f;
        if (f[F_NARRATOR] > 0 && !(f[F_PREV1_SAMEPARA] + f[F_PREV1_NEXTPARA] + f[F_PREV1_GAP] + f[F_PREV2] + f[F_PREV3] +
                                   f[F_PREV_FAR] + f[F_PREV_OLDER] + f[F_CONV_TAGGED] + f[F_NEXT1] + f[F_NEXT2] > 0))
            c[i].f[F_NARRATOR_SILENT] = 1;
    }
    if (r->second_pass) /* the first has no model: every candidate's idio_ok() is false */
        idiolect_features(r, q, c, n);
    /* the situation */
    memset(ctx, 0, C_COUNT * sizeof *ctx);
    ctx[C_PRONOUN_TAG] = tg != QUOTH_GENDER_UNKNOWN;
    ctx[C_UNTAGGED] = r->sieve_rule[q] == QUOTH_RULE_TURN_TAKING || r->sieve_rule[q] == QUOTH_RULE_NONE;
    ctx[C_ADJACENT] = np && !gap;
    ctx[C_GAP] = np && gap;
    ctx[C_START] = np == 0;
    {
        size_t distinct[PREV_QUOTES], nd = 0;
        for (size_t i = 0; i < np; i++) {
            bool seen = sp[i] == QUOTH_NONE;
            for (size_t j = 0; j < nd && !seen; j++)
                seen = distinct[j] == sp[i];
            if (!seen)
                distinct[nd++] = sp[i];
        }
        ctx[C_MULTI] = nd >= 3;
    }
    ctx[C_QUESTION] = prev_question;
    ctx[C_TWO] = nconv == 2;
    r->nslot_used = n;
    return n;
}

static bool keep_rows(ranker *r, size_t q, const candidate *c, size_t n, size_t best, const bool *ctx) {
    for (size_t i = 0; i < n; i++) {
        bool ok = true;
        ARENA_PUSH(&r->doc->mem, r->rows, r->nrows, r->cap_rows, ok);
        if (!ok)
            return false;
        feature_row *row = &r->rows[r->nrows - 1];
        row->quote = (uint32_t)q;
        row->ch = (uint32_t)c[i].ch;
        row->chosen = i == best;
        memset(row->f, 0, sizeof row->f);
        for (size_t k = 0; k <= C_COUNT; k++)
            if (k == 0 || ctx[k - 1])
                memcpy(&row->f[k * F_COUNT], c[i].f, F_COUNT * sizeof c[i].f[0]);
    }
    return true;
}

/* Is descriptor mention m one of ch's own names ("the automaton" in the
 * cast line of Wick; "the alien", which became Clark Kent's alias), not an
 * epithet resolved by salience? */
static bool descriptor_is_alias(const quoth_doc *doc, const mention *m, size_t ch) {
    const character *c = &doc->chars[ch];
    if (c->descriptor_only || m->titled) /* "the count": Count Mippipopolous */
        return true;
    if (!m->key_id)
        return false;
    const char *k = mention_key(doc, m);
    if (!strncmp(k, "the ", 4))
        k += 4;
    /* the name too: a cast entry's name is not among its aliases ("The
     * Cat | Cheshire Cat") */
    for (uint32_t i = 0; i <= c->naliases; i++) {
        const char *al = i < c->naliases ? c->aliases[i] : c->name;
        char low[256];
        size_t n = utf8_fold(al, strlen(al), low, sizeof low);
        const char *a = low;
        if (n >= 4 && !strncmp(a, "the ", 4))
            a += 4;
        if (!strcmp(a, k))
            return true;
    }
    return false;
}

/* what the rules found for a quotation */
typedef struct {
    span32 span;
    uint32_t mention;
    quoth_quote_type type;
} rule_evidence;

static quoth_status rank_quotes_in(quoth_doc *doc, para_subject *subjects, quoth_error *err,
                                   arena *scratch) {
    ranker r = {.doc = doc, .para_subject = subjects};
    for (size_t k = 0; k < LOG1P_TABLE; k++)
        r.log1p_small[k] = (float)log1p((double)k);
    for (size_t d = 0; d <= QUOTH_CONTEXT_PARAGRAPHS; d++)
        r.recency_back[d] = 1.0f / (1.0f + (float)d);
    if (!load_weights(&r, doc->opts.ranker_weights, err))
        return QUOTH_ERR_ARGUMENT;
    size_t nq = doc->nquote;
    if (!nq)
        return QUOTH_OK;
    double (*wsit)[F_COUNT] = NULL; /* the weights per situation met (below) */
    size_t nsit = 0, cap_sit = 0;
    uint16_t sit_slot[1u << C_COUNT] = {0}; /* situation -> its row in wsit + 1 */
    r.sieve_speaker = arena_alloc(scratch, nq * sizeof *r.sieve_speaker);
    r.sieve_rule = arena_alloc(scratch, nq * sizeof *r.sieve_rule);
    r.tag_gender = arena_alloc(scratch, nq * sizeof *r.tag_gender);
    r.tag_mention = arena_alloc(scratch, nq * sizeof *r.tag_mention);
    r.qbits = arena_alloc(scratch, nq * sizeof *r.qbits);
    r.locked = arena_alloc(scratch, nq * sizeof *r.locked);
    r.locked_count = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.locked_count);
    r.scene_count = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.scene_count);
    if (!r.scene_count)
        goto nomem;
    r.slot = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.slot); /* zeroed */
    r.win_slot = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.win_slot); /* zeroed */
    r.conv_seen = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.conv_seen);
    if (!r.win_slot || !r.conv_seen)
        goto nomem;
    if (!r.sieve_speaker || !r.sieve_rule || !r.tag_gender || !r.tag_mention || !r.qbits || !r.locked || !r.locked_count || !r.slot)
        goto nomem;
    /* no merges while ranking: who each narration mention names is fixed */
    size_t nnarr = 0;
    r.mentions_sorted = true;
    for (size_t m = 0; m < doc->nment; m++) {
        const mention *mm = &doc->mentions[m];
        nnarr += names_someone(doc, mm);
        /* tokens start in text order: their indexes are compared */
        if (m && mm->token < doc->mentions[m - 1].token)
            r.mentions_sorted = false;
    }
    r.narr = arena_alloc_uninit(scratch, (nnarr ? nnarr : 1) * sizeof *r.narr);
    r.narr_para = arena_alloc_uninit(scratch, (doc->npara ? doc->npara : 1) * sizeof *r.narr_para);
    if (!r.narr || !r.narr_para)
        goto nomem;
    nnarr = 0;
    for (size_t p = 0; p < doc->npara; p++) { /* the paragraphs' mentions are every mention, once */
        const paragraph *pp = &doc->paras[p];
        r.narr_para[p].start = (uint32_t)nnarr;
        for (size_t m = pp->first_mention; m < (size_t)pp->first_mention + pp->mention_count; m++) {
            const mention *mm = &doc->mentions[m];
            size_t who = narration_character(doc, mm);
            if (who != QUOTH_NONE)
                r.narr[nnarr++] = (narr_mention){.ch = (uint16_t)who, .subject = mm->subject};
        }
        r.narr_para[p].end = (uint32_t)nnarr;
    }
    for (size_t q = 0; q < nq; q++) {
        quote *qq = &doc->quotes[q];
        r.sieve_speaker[q] = root_or_none(doc, qq->speaker);
        r.sieve_rule[q] = qq->rule;
        r.tag_gender[q] = QUOTH_GENDER_UNKNOWN;
        r.tag_mention[q] = QUOTH_NONE;
        const mention *ev = qq->evidence_mention ? &doc->mentions[qq->evidence_mention - 1] : NULL;
        bool tag = qq->rule == QUOTH_RULE_TAG_AFTER || qq->rule == QUOTH_RULE_TAG_BEFORE;
        if (ev && ev->kind == QUOTH_MENTION_PRONOUN &&
            (tag || qq->rule == QUOTH_RULE_BEAT || qq->rule == QUOTH_RULE_INTRO || qq->pronoun_tag_only)) {
            r.tag_gender[q] = ev->gender;
            r.tag_mention[q] = qq->evidence_mention - 1;
        } else if (qq->owned_tag && tag) {
            r.tag_gender[q] = (quoth_gender)qq->owned_tag; /* "said Margaret's young man" */
        } else if (ev && ev->kind == QUOTH_MENTION_DESCRIPTOR && (tag || qq->pronoun_tag_only)) {
            /* "said her mother", "cried the old gentleman": the noun has a
             * gender as "she" or "he" has (no antecedent to weigh) */
            quoth_gender g = descriptor_noun_gender(doc, ev);
            if (gendered(g))
                r.tag_gender[q] = g;
        }
        r.qbits[q] = ev && ev->kind != QUOTH_MENTION_PRONOUN && qq->speaker != QUOTH_NONE && !qq->owned_tag
                         ? Q_SIEVE_NAMED
                         : 0;
        /* settled: a named speech tag, or a named subject acting in the
         * quotation's own paragraph ("The automaton turned its head.
         * "I do not mind."") */
        bool own_beat = qq->rule == QUOTH_RULE_BEAT && ev && ev->para == qq->para_first &&
                        token_start_at(doc, ev->token) < qq->spans[0].start;
        /* ... or a named voice: "the alien's voice cracked." */
        bool voice = ev && attr_named_voice(doc, ev, doc->ntok);
        /* a descriptor settles only when it is the character's own name
         * ("the alien"); an epithet ("the blond", "the older man") refers
         * back like a pronoun, and the ranker weighs it */
        bool named = ev && qq->speaker != QUOTH_NONE &&
                     (ev->kind == QUOTH_MENTION_NAME ||
                      (ev->kind == QUOTH_MENTION_DESCRIPTOR &&
                       descriptor_is_alias(doc, ev, character_root(doc, qq->speaker))));
        /* ... or the narration's "I" when a narrator tells the story: "I
         * said" names the narrator as surely as "said Jake" would, and
         * settled, it anchors the turns of the untagged exchange around it
         * (the ranker had weighed it, and a run of turns between two "I
         * said" was free to flip) */
        if (!named && ev && ev->kind == QUOTH_MENTION_PRONOUN && ev->first_person && !ev->quote &&
            doc->narrator != QUOTH_NONE && qq->speaker != QUOTH_NONE &&
            character_root(doc, qq->speaker) == character_root(doc, doc->narrator))
            named = true;
        /* ... or "Mr. Darcy replied with great intrepidity," ending the
         * paragraph before */
        r.locked[q] = (tag || own_beat || voice || qq->intro_tag) && named && !qq->owned_tag;
        if (r.locked[q]) {
            r.locked_count[r.sieve_speaker[q]]++;
            r.locked_total++;
        }
    }
    /* no idiolect in the first pass: it is built after it, from the
     * settled quotations and the first pass's sure guesses (cross-validated,
     * a model of the settled ones for the first pass too gained nothing
     * and cost a second build and a second walk of every quotation) */
    r.idio_norm = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.idio_norm); /* zeroed: no model */
    if (!r.idio_norm)
        goto nomem;
    r.first_conf = NULL;
    float *first_conf = arena_alloc(scratch, nq * sizeof *first_conf);
    if (!first_conf)
        goto nomem;
    /* the conversation runs and the settled quotations, fixed while
     * ranking: each quotation's conversation is found from them, not by
     * walking up to CONV_QUOTES quotations either side */
    r.next_locked = arena_alloc_uninit(scratch, (nq + 1) * sizeof *r.next_locked);
    r.run_first = arena_alloc_uninit(scratch, nq * sizeof *r.run_first);
    r.run_last = arena_alloc_uninit(scratch, nq * sizeof *r.run_last);
    _Static_assert(QUOTH_MAX_INPUT < UINT32_MAX, "a quotation index (one per byte at most) fits 32 bits");
    if (!r.next_locked || !r.run_first || !r.run_last)
        goto nomem;
    r.next_locked[nq] = (uint32_t)nq;
    for (size_t q = nq; q-- > 0;) {
        r.next_locked[q] = r.locked[q] ? (uint32_t)q : r.next_locked[q + 1];
        r.run_last[q] = q + 1 < nq && attr_same_conversation(doc, q, q + 1) ? r.run_last[q + 1] : (uint32_t)q;
    }
    for (size_t q = 0; q < nq; q++)
        r.run_first[q] = q > 0 && attr_same_conversation(doc, q - 1, q) ? r.run_first[q - 1] : (uint32_t)q;
    for (size_t i = 0; i < TOP_SPEAKERS; i++) {
        r.top[i] = QUOTH_NONE;
        for (size_t ch = 0; ch < doc->nchar; ch++) {
            bool taken = false;
            for (size_t j = 0; j < i; j++)
                taken |= r.top[j] == ch;
            if (!taken && r.locked_count[ch] >= 2 &&
                (r.top[i] == QUOTH_NONE || r.locked_count[ch] > r.locked_count[r.top[i]]))
                r.top[i] = ch;
        }
    }
    r.locked_share = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.locked_share);
    r.locked_log = arena_alloc(scratch, (doc->nchar + 1) * sizeof *r.locked_log);
    if (!r.locked_share || !r.locked_log)
        goto nomem;
    for (size_t ch = 0; ch < doc->nchar; ch++) {
        r.locked_share[ch] = r.locked_total ? (float)r.locked_count[ch] / (float)r.locked_total : 0;
        r.locked_log[ch] = log1p_count(&r, (double)r.locked_count[ch]);
    }
    /* the proposals are features now; clear them so the history the ranker
     * reads is its own */
    for (size_t q = 0; q < nq; q++)
        if (!r.locked[q]) {
            doc->quotes[q].speaker = QUOTH_NONE;
            doc->quotes[q].rule = QUOTH_RULE_NONE;
        }
    /* Two passes in text order: the first guesses from what came before,
     * the second sees the first's guesses for what comes after too. */
    bool keep = (doc->opts.flags & QUOTH_OPT_FEATURES) != 0;
    /* what the rules found for each quotation: the first pass may pick
     * someone else and clear it, the second come back to their pick */
    rule_evidence *found = arena_alloc_uninit(scratch, nq * sizeof *found);
    if (!found)
        goto nomem;
    for (size_t q = 0; q < nq; q++)
        found[q] = (rule_evidence){.span = doc->quotes[q].evidence, .mention = doc->quotes[q].evidence_mention,
                                   .type = doc->quotes[q].type};
    candidate c[MAX_CAND];
    double score[MAX_CAND];
    /* the weights of each situation (a set of contexts), summed when first met */
    _Static_assert(C_COUNT <= 8, "a situation is a byte");

    /* Zero features may be skipped in the sums when every situation's
     * weight is finite: a weight of at most 1e300 summed over the
     * contexts cannot overflow (NaN or inf times 0 is NaN, not 0). */
    bool sparse = true;
    for (size_t f = 0; f < F_TOTAL; f++)
        sparse = sparse && fabs(r.w[f]) <= 1e300;
    for (size_t pass = 0; pass < RANK_PASSES; pass++)
    for (size_t q = 0; q < nq; q++) {
        r.second_pass = pass > 0;
        if (q == 0 && pass == 1) {
            /* the voices, from the settled lines and the first pass's sure
             * guesses */
            r.first_conf = first_conf;
            if (!idiolect_build(&r, scratch))
                goto nomem;
        }
        if (q == 0) { /* each pass slides the scene's window from the start */
            memset(r.scene_count, 0, (doc->nchar + 1) * sizeof *r.scene_count);
            r.scene_in = r.scene_out = 0;
        }
        if (r.locked[q] || doc->quotes[q].blocked)
            continue; /* blocked: its tag names someone unknown ("somebody's father said") */
        /* A first guess this sure stands (RANK_SURE_FIRST). Not when
         * dumping features: the training table is every ranked
         * quotation's second-pass row. */
        if (pass > 0 && !keep && first_conf[q] >= RANK_SURE_FIRST) {
            doc->quotes[q].confidence = first_conf[q];
            continue;
        }
        bool ctx[C_COUNT];
        size_t n = build_candidates(&r, q, c, ctx);
        if (r.nomem)
            goto nomem;
        if (!n)
            continue;
        /* the weights in this quotation's situation: base + its copies,
         * summed once per situation */
        unsigned cm = 0;
        for (size_t k = 0; k < C_COUNT; k++)
            cm |= (unsigned)ctx[k] << k;
        if (!sit_slot[cm]) {
            /* rows for the situations met only (a few dozen of 256) */
            if (nsit == cap_sit) {
                size_t ncap = cap_sit ? 2 * cap_sit : 16;
                double(*grown)[F_COUNT] = realloc(wsit, ncap * sizeof *wsit);
                if (!grown)
                    goto nomem;
                wsit = grown;
                cap_sit = ncap;
            }
            double *nw = wsit[nsit];
            for (size_t f = 0; f < F_COUNT; f++) {
                nw[f] = r.w[f];
                for (size_t k = 0; k < C_COUNT; k++)
                    if (ctx[k])
                        nw[f] += r.w[(k + 1) * F_COUNT + f];
            }
            sit_slot[cm] = (uint16_t)++nsit;
        }
        double *w = wsit[sit_slot[cm] - 1];
        /* "she said": a candidate of another known gender is out, when
         * someone of hers is at hand */
        bool agree = false;
        if (ctx[C_PRONOUN_TAG]) /* F_TAGPRON_MATCH is 0 without one */
            for (size_t i = 0; i < n; i++)
                agree |= c[i].f[F_TAGPRON_MATCH] > 0;
        size_t best = 0;
        double top = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double s = 0;
            if (agree && c[i].f[F_TAGPRON_MISMATCH] > 0) {
                score[i] = -INFINITY;
                continue;
            }
            if (sparse) {
                /* most features are 0: only the others are summed, in
                 * order (w[f] * 0 adds nothing to a sum that is never -0) */
                const float *cf = c[i].f;
                uint64_t nzm[2];
                nonzero_features(cf, nzm);
                for (size_t h = 0; h < 2; h++)
                    for (uint64_t nz = nzm[h]; nz; nz &= nz - 1) {
                        size_t f = h * 64 + (size_t)__builtin_ctzll(nz);
                        s += w[f] * cf[f];
                    }
            } else {
                for (size_t f = 0; f < F_COUNT; f++)
                    s += w[f] * c[i].f[f];
            }
            score[i] = s;
            if (s > top) {
                top = s;
                best = i;
            }
        }
        /* exp(0) is 1 and exp(-inf) is 0, exactly: the best candidate and
         * those ruled out by gender need no call (adding 0 leaves z as it
         * is). Only for a finite top: a weights file may make it inf.
         * Only in the first pass (for the idiolect built after it) and
         * the last (for the output): the last pass ranks every quotation an
         * earlier one did (each source of candidates gives one again: the
         * rules', the text's and the settled tags' are fixed, and a speaker
         * once guessed stays someone), so it sets every confidence an
         * earlier pass would. */
        double z = 0;
        bool finite_top = isfinite(top);
        for (size_t i = 0; i < n && (pass == 0 || pass + 1 == RANK_PASSES); i++) {
            if (finite_top && i == best)
                z += 1.0;
            else if (!finite_top || score[i] != -INFINITY)
                z += exp(score[i] - top);
        }
        quote *qq = &doc->quotes[q];
        size_t ch = c[best].ch;
        if (ch == r.sieve_speaker[q]) {
            qq->speaker = ch; /* the rules' pick, with its evidence */
            qq->rule = r.sieve_rule[q];
            qq->evidence = found[q].span;
            qq->evidence_mention = found[q].mention;
            qq->type = found[q].type;
        } else {
            qq->speaker = ch;
            qq->rule = QUOTH_RULE_RANKER;
            qq->evidence.start = qq->evidence.end = 0;
            qq->evidence_mention = 0;
            qq->type = QUOTH_QUOTE_IMPLICIT;
        }
        if (pass == 0)
            first_conf[q] = (float)(1.0 / z);
        if (pass + 1 == RANK_PASSES)
            qq->confidence = 1.0 / z;
        if (keep && pass + 1 == RANK_PASSES && !keep_rows(&r, q, c, n, best, ctx))
            goto nomem;
    }
    if (keep) {
        doc->rank_rows = r.rows; /* serialised by rank_write_features */
        doc->rank_nrows = r.nrows;
    }
    free(wsit);
    free(r.win);
    return QUOTH_OK;
nomem:
    free(wsit);
    free(r.win);
    doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory ranking candidate speakers");
    return QUOTH_ERR_NOMEM;
}

/* The ranker's tables (per quotation, per character, per mention) live in
 * a scratch arena freed when it is done: they are not kept with the
 * document, whose peak they would raise. */
quoth_status rank_quotes(quoth_doc *doc, para_subject *subjects, quoth_error *err) {
    arena scratch;
    arena_init_scratch(&scratch, doc->len);
    quoth_status st = rank_quotes_in(doc, subjects, err, &scratch);
    arena_free(&scratch);
    return st;
}

static void put_field(buf *b, const char *s) {
    for (; *s; s++)
        buf_putc(b, *s == '\t' || *s == '\n' || *s == '|' ? ' ' : *s);
}

bool rank_write_features(quoth_doc *doc) {
    if (!(doc->opts.flags & QUOTH_OPT_FEATURES))
        return true;
    const feature_row *rows = doc->rank_rows;
    size_t nrows = doc->rank_nrows;
    buf b;
    buf_init(&b);
    buf_puts(&b, "quote\tstart\tend\tchosen\tname\taliases");
    for (size_t f = 0; f < F_TOTAL; f++) {
        char name[128];
        feature_name(f, name, sizeof name);
        buf_putc(&b, '\t');
        buf_puts(&b, name);
    }
    buf_putc(&b, '\n');
    for (size_t i = 0; i < nrows; i++) {
        const feature_row *row = &rows[i];
        const quote *qq = &doc->quotes[row->quote];
        const character *ch = &doc->chars[character_root(doc, row->ch)];
        buf_printf(&b, "%u\t%u\t%u\t%u\t", row->quote, qq->spans[0].start, qq->spans[qq->nspans - 1].end,
                   (unsigned)row->chosen);
        put_field(&b, ch->name);
        buf_putc(&b, '\t');
        for (uint32_t a = 0; a < ch->naliases; a++) {
            if (a)
                buf_putc(&b, '|');
            put_field(&b, ch->aliases[a]);
        }
        for (size_t f = 0; f < F_TOTAL; f++) {
            if (row->f[f] == 0)
                buf_puts(&b, "\t0");
            else
                buf_printf(&b, "\t%.4g", (double)row->f[f]);
        }
        buf_putc(&b, '\n');
    }
    bool ok = !b.failed;
    if (ok) {
        doc->features = arena_strndup(&doc->mem, b.data ? b.data : "", b.len);
        doc->features_len = b.len;
        ok = doc->features != NULL;
    }
    buf_free(&b);
    return ok;
}
