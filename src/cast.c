/*
 * cast.c — the characters. With a cast file, its entries are the cast.
 * Without one, names are clustered into characters (Lex, Luthor and Lex
 * Luthor are one person; Mr. Bennet and Mrs. Bennet are two), genders are
 * voted by the pronouns that follow a name, descriptors that the narration
 * calls "it" become one being, and a first-person narrator is added when
 * the narration says "I".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "strmap.h"

/* ---- the cast file (public API) ----------------------------------------------- */

static char *dup_trim(const char *s, size_t n) {
    while (n && (*s == ' ' || *s == '\t' || *s == '\r')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static quoth_gender pronoun_gender(const char *a) {
    char low[16];
    size_t n = utf8_fold(a, strlen(a), low, sizeof low);
    (void)n;
    if (!strcmp(low, "he") || !strcmp(low, "him") || !strcmp(low, "his"))
        return QUOTH_GENDER_MALE;
    if (!strcmp(low, "she") || !strcmp(low, "her"))
        return QUOTH_GENDER_FEMALE;
    if (!strcmp(low, "it") || !strcmp(low, "its"))
        return QUOTH_GENDER_NEUTER;
    if (!strcmp(low, "they") || !strcmp(low, "them"))
        return QUOTH_GENDER_PLURAL;
    return QUOTH_GENDER_UNKNOWN;
}

void quoth_cast_free(quoth_cast *cast) {
    if (!cast)
        return;
    for (size_t i = 0; i < cast->count; i++) {
        free(cast->entries[i].name);
        for (size_t k = 0; k < cast->entries[i].naliases; k++)
            free(cast->entries[i].aliases[k]);
        free(cast->entries[i].aliases);
    }
    free(cast->entries);
    free(cast);
}

size_t quoth_cast_count(const quoth_cast *cast) { return cast ? cast->count : 0; }

quoth_cast *quoth_cast_parse(const char *data, size_t len, quoth_error *err) {
    if (err)
        memset(err, 0, sizeof *err);
    if (!data && len) {
        doc_set_error(err, QUOTH_ERR_ARGUMENT, "cast data is NULL but its length is %zu", len);
        return NULL;
    }
    quoth_cast *cast = calloc(1, sizeof *cast);
    if (!cast) {
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory reading the cast");
        return NULL;
    }
    size_t cap = 0, lineno = 0;
    const char *p = data ? data : "", *end = p + (data ? len : 0);
    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *s = p;
        p = nl ? nl + 1 : end;
        while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        if (s == le || *s == '#')
            continue;
        if (memchr(s, '\0', (size_t)(le - s))) {
            if (err) {
                err->line = lineno;
                err->column = 1;
            }
            doc_set_error(err, QUOTH_ERR_CAST, "a NUL byte: is this a text file?");
            goto fail;
        }
        if (cast->count >= QUOTH_MAX_CAST_LINES) {
            if (err)
                err->line = lineno;
            doc_set_error(err, QUOTH_ERR_CAST, "more than %d characters", QUOTH_MAX_CAST_LINES);
            goto fail;
        }
        if (cast->count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct quoth_cast_entry *ne = realloc(cast->entries, ncap * sizeof *ne);
            if (!ne)
                goto nomem;
            cast->entries = ne;
            cap = ncap;
        }
        struct quoth_cast_entry *ce = &cast->entries[cast->count];
        memset(ce, 0, sizeof *ce);
        cast->count++;
        size_t field = 0;
        for (const char *f = s; f <= le;) {
            const char *bar = memchr(f, '|', (size_t)(le - f));
            const char *fe = bar ? bar : le;
            char *v = dup_trim(f, (size_t)(fe - f));
            if (!v)
                goto nomem;
            f = fe + 1;
            if (!*v) {
                if (field == 0) {
                    free(v);
                    if (err) {
                        err->line = lineno;
                        err->column = 1;
                    }
                    doc_set_error(err, QUOTH_ERR_CAST,
                                  "the first field (the character's main name) is empty");
                    goto fail;
                }
                free(v);
                field++;
                continue;
            }
            if (field == 0) {
                ce->name = v;
            } else {
                quoth_gender g = pronoun_gender(v);
                if (g != QUOTH_GENDER_UNKNOWN)
                    ce->gender = g;
                char low[16];
                utf8_fold(v, strlen(v), low, sizeof low);
                if (!strcmp(low, "i") || !strcmp(low, "narrator") || !strcmp(low, "_narr"))
                    ce->narrator = true;
                if (ce->naliases >= QUOTH_MAX_CAST_ALIASES) {
                    free(v);
                    if (err)
                        err->line = lineno;
                    doc_set_error(err, QUOTH_ERR_CAST, "more than %d aliases", QUOTH_MAX_CAST_ALIASES);
                    goto fail;
                }
                char **na = realloc(ce->aliases, (ce->naliases + 1) * sizeof *na);
                if (!na) {
                    free(v);
                    goto nomem;
                }
                ce->aliases = na;
                ce->aliases[ce->naliases++] = v;
            }
            field++;
        }
    }
    return cast;
nomem:
    doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory reading the cast");
fail:
    quoth_cast_free(cast);
    return NULL;
}

/* ---- characters in the document ----------------------------------------------- */

/* By hand, not by snprintf: every character of a novel gets an id, twice
 * (some seven hundred instructions a call) */
void character_set_id(character *c, size_t n) {
    char digits[24];
    size_t k = sizeof digits;
    do {
        digits[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    size_t len = sizeof digits - k;
    _Static_assert(sizeof c->id >= 22, "an id holds \"c\", twenty digits and a NUL");
    c->id[0] = 'c';
    memcpy(c->id + 1, digits + k, len);
    c->id[1 + len] = '\0';
}

size_t character_new(quoth_doc *doc, const char *name) {
    bool ok = true;
    ARENA_PUSH(&doc->mem, doc->chars, doc->nchar, doc->cap_char, ok);
    if (!ok)
        return QUOTH_NONE;
    character *c = &doc->chars[doc->nchar - 1];
    memset(c, 0, sizeof *c);
    c->name = arena_strndup(&doc->mem, name, strlen(name));
    c->merged_into = QUOTH_NONE;
    if (!c->name) {
        doc->nchar--;
        return QUOTH_NONE;
    }
    return doc->nchar - 1;
}

bool character_add_alias(quoth_doc *doc, character *c, const char *alias) {
    for (uint32_t i = 0; i < c->naliases; i++)
        if (strcmp(c->aliases[i], alias) == 0) {
            c->alias_counts[i]++;
            return true;
        }
    if (c->naliases == c->alias_cap) {
        /* two copies of one capacity: arena_grow updates each array's own.
         * Most characters have one or two aliases (in a novel, 19 of 20):
         * room for two at first, not arena_grow's sixteen (the empty
         * slots of a novel's 420 characters were 66 KB of its peak). */
        // cppcheck-suppress duplicateAssignExpression
        size_t cap = c->alias_cap, cap2 = c->alias_cap;
        const char **na = arena_grow_from(&doc->mem, (void *)c->aliases, &cap, c->naliases + 1, sizeof *na, 2);
        uint32_t *nc = arena_grow_from(&doc->mem, c->alias_counts, &cap2, c->naliases + 1, sizeof *nc, 2);
        if (!na || !nc)
            return false;
        c->aliases = na;
        c->alias_counts = nc;
        c->alias_cap = (uint32_t)cap;
    }
    const char *copy = arena_strndup(&doc->mem, alias, strlen(alias));
    if (!copy)
        return false;
    c->aliases[c->naliases] = copy;
    c->alias_counts[c->naliases] = 1;
    c->naliases++;
    return true;
}

static void link_titled_descriptors(quoth_doc *doc);

static quoth_status cast_from_file(quoth_doc *doc) {
    const quoth_cast *cast = doc->opts.cast;
    for (size_t i = 0; i < cast->count; i++) {
        const struct quoth_cast_entry *ce = &cast->entries[i];
        size_t c = character_new(doc, ce->name);
        if (c == QUOTH_NONE)
            return QUOTH_ERR_NOMEM;
        character *ch = &doc->chars[c];
        ch->from_cast = true;
        ch->gender = ce->gender;
        ch->narrator = ce->narrator;
        if (ce->narrator && doc->narrator == QUOTH_NONE)
            doc->narrator = c;
        for (size_t k = 0; k < ce->naliases; k++)
            if (pronoun_gender(ce->aliases[k]) == QUOTH_GENDER_UNKNOWN &&
                !character_add_alias(doc, ch, ce->aliases[k]))
                return QUOTH_ERR_NOMEM;
        /* the cast's order of aliases is the user's; counts stay 1 */
    }
    link_titled_descriptors(doc); /* the mentions were matched to the entries when found */
    return QUOTH_OK;
}

/* ---- discovery ------------------------------------------------------------------ */

typedef struct {
    const char *key;
    const char *surface;
    bool surface_clean;     /* not ALL CAPS */
    size_t with_article;    /* occurrences as "the Hatter" */
    const char *hon;        /* the title word ("mrs"), NULL when none */
    uint32_t *paras;        /* narration paragraphs it occurs in, ascending */
    size_t npara, cap_para;
    const char *bare;       /* "Hatter" when the surface is "the Hatter" */
    size_t count;
    quoth_gender hon_gender;
    bool has_hon;
    const char *parts[QUOTH_MAX_NAME_TOKENS + 1];
    size_t nparts;
    size_t cluster;
    uint32_t votes[5];      /* pronouns after this form of the name */
    quoth_gender gender;    /* the title's, else the pronouns' */
} namekey;

typedef struct {
    const char *first, *last;
    quoth_gender gender;    /* from honorifics */
    size_t count;
    size_t best_key;        /* the most complete name */
    size_t character;
    size_t first_member;    /* namekey index + 1 of a member; next_member links them */
} cluster;

static int cmp_namekey(const void *a, const void *b) {
    const namekey *x = *(const namekey *const *)a, *y = *(const namekey *const *)b;
    if (x->nparts != y->nparts)
        return x->nparts > y->nparts ? -1 : 1;
    if (x->has_hon != y->has_hon)
        return x->has_hon ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

struct count_ix {
    size_t count, index;
};

static int cmp_count_ix(const void *a, const void *b) {
    const struct count_ix *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Paragraphs where both name forms occur: two forms that meet in one
 * paragraph again and again are two people ("Katharine" and "Mrs.
 * Hilbery"), whatever their surname says. */
static size_t cooccur(const namekey *a, const namekey *b) {
    size_t i = 0, j = 0, n = 0;
    while (i < a->npara && j < b->npara) {
        if (a->paras[i] == b->paras[j]) {
            n++;
            i++;
            j++;
        } else if (a->paras[i] < b->paras[j]) {
            i++;
        } else {
            j++;
        }
    }
    return n;
}

/* Is one form's every name word in the other ("Ralph" and "Ralph
 * Denham", "Holmes" and "Mr. Sherlock Holmes")? Such forms meet in one
 * paragraph all the time ("Ralph Denham ... Ralph"), so meeting is no
 * sign of two people for them. */
static bool sub_name(const namekey *a, const namekey *b) {
    if (a->nparts > b->nparts) {
        const namekey *t = a;
        a = b;
        b = t;
    }
    if (a->nparts == 0)
        return false;
    for (size_t i = 0; i < a->nparts; i++) {
        bool in = false;
        for (size_t j = 0; j < b->nparts && !in; j++)
            in = !strcmp(a->parts[i], b->parts[j]);
        if (!in)
            return false;
    }
    return true;
}

/* "Miss" and "Mrs." of one surname are two women (mother and daughter). */
static int title_class(const char *hon) {
    if (!hon)
        return 0;
    if (!strcmp(hon, "miss") || !strcmp(hon, "mlle") || !strcmp(hon, "mademoiselle"))
        return 1;
    if (!strcmp(hon, "mrs") || !strcmp(hon, "madame") || !strcmp(hon, "mme") || !strcmp(hon, "lady"))
        return 2;
    return 0;
}

static bool gender_compatible(quoth_gender a, quoth_gender b) {
    return a == QUOTH_GENDER_UNKNOWN || b == QUOTH_GENDER_UNKNOWN || a == b;
}

/* The pronoun that next refers back in the narration after mention m: the
 * first pronoun within a few tokens, before another person is mentioned. */
static const mention *next_pronoun(const quoth_doc *doc, size_t m) {
    const mention *mm = &doc->mentions[m];
    for (size_t k = m + 1; k < doc->nment && k < m + 6; k++) {
        const mention *n = &doc->mentions[k];
        if (n->para != mm->para || n->token > mm->token + 20)
            return NULL;
        if (n->quote)
            continue;
        if (n->kind != QUOTH_MENTION_PRONOUN)
            return NULL;
        if (n->first_person || n->gender == QUOTH_GENDER_PLURAL)
            return NULL;
        if (n->gender == QUOTH_GENDER_NEUTER && n->pcase != PRON_POSS && n->pcase != PRON_NOM)
            return NULL; /* "it" as an object is a thing */
        return n;
    }
    return NULL;
}

/* The gender token i has as a person noun ("man": he). */
quoth_gender token_noun_gender(const quoth_doc *doc, size_t i) {
    unsigned lex = token_lex(doc, i); /* the word's lists, no folding */
    if (lex >> LEX_PERSON_NOUN_MALE & 1u)
        return QUOTH_GENDER_MALE;
    if (lex >> LEX_PERSON_NOUN_FEMALE & 1u)
        return QUOTH_GENDER_FEMALE;
    return QUOTH_GENDER_UNKNOWN;
}

/* The name n folded and without periods into key, as a title-and-surname
 * want ("mrs bennet") is compared with; false, often after a byte or two,
 * when the key does not start with prefix ("mrs "), which every want does.
 * The key is what utf8_fold keeps of n (127 bytes) less its periods. */
bool name_key_folded(const char *n, const char *prefix, size_t plen, char key[128]) {
    size_t j = 0, k = 0;
    for (; j < 127 && n[j]; j++) { /* ASCII folds byte by byte */
        unsigned char b = (unsigned char)n[j];
        if (b >= 0x80)
            break;
        if (b == '.')
            continue;
        char c = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
        if (k < plen && prefix[k] != c)
            return false;
        key[k++] = c;
    }
    if (j < 127 && n[j]) { /* not ASCII: the full fold */
        char low[128];
        size_t l = utf8_fold(n, strlen(n), low, sizeof low);
        k = 0;
        for (size_t x = 0; x < l && k + 1 < 128; x++)
            if (low[x] != '.')
                key[k++] = low[x];
    }
    key[k] = '\0';
    return k >= plen && !memcmp(key, prefix, plen);
}

/* "said the count" for "Count Mippipopolous": a descriptor whose head noun
 * is a title that stands alone ("the colonel", "the doctor"; mentions.c
 * reads a capitalised "the Colonel" as a name) is the one character whose
 * name or an alias begins with that title or its abbreviation ("Dr."),
 * when exactly one does; when none or several do it stays a descriptor.
 * So is a title of address alone that no cast entry matched ("said
 * Mademoiselle": Mademoiselle Reisz). */
static void link_titled_descriptors(quoth_doc *doc) {
    static const struct { const char *title, *abbr; } abbrs[] = {
        {"doctor", "dr"}, {"professor", "prof"}, {"captain", "capt"}, {"colonel", "col"},
        {"reverend", "rev"}, {"lieutenant", "lt"}, {"sergeant", "sgt"}};
    enum { SEEN = 8 };
    struct { char title[16]; size_t bearer; } seen[SEEN];
    size_t nseen = 0;
    for (size_t m = 0; m < doc->nment; m++) {
        mention *mm = &doc->mentions[m];
        bool bare = mm->kind == QUOTH_MENTION_NAME && mm->ntokens == 1; /* "said Mademoiselle" */
        if ((mm->kind != QUOTH_MENTION_DESCRIPTOR && !bare) || mm->relational || mention_character(mm) != QUOTH_NONE)
            continue;
        char low[FOLD_MAX];
        size_t n = token_fold(doc, mm->token + mm->ntokens - 1, low);
        if (n >= sizeof seen[0].title || !(bare ? title_bare(low, n) : title_alone(low, n)))
            continue;
        low[n] = '\0';
        size_t s = 0;
        while (s < nseen && strcmp(seen[s].title, low))
            s++;
        if (s == nseen) { /* the first descriptor with this title: its bearer */
            char prefix[2][24]; /* titles are short: title_alone()s are at most 11 bytes */
            size_t np = 1;
            snprintf(prefix[0], sizeof prefix[0], "%.15s ", low);
            for (size_t a = 0; a < sizeof abbrs / sizeof *abbrs; a++)
                if (!strcmp(abbrs[a].title, low))
                    snprintf(prefix[np++], sizeof prefix[1], "%s ", abbrs[a].abbr);
            size_t bearer = QUOTH_NONE;
            bool several = false;
            for (size_t c = 0; c < doc->nchar && !several; c++) {
                const character *ch = &doc->chars[c];
                if (ch->merged_into != QUOTH_NONE || ch->descriptor_only)
                    continue;
                for (uint32_t i = 0; i <= ch->naliases; i++) {
                    char key[128];
                    bool hit = false;
                    for (size_t p = 0; p < np && !hit; p++)
                        hit = name_key(i == 0 ? ch->name : ch->aliases[i - 1], prefix[p], strlen(prefix[p]), key);
                    if (!hit)
                        continue;
                    if (bearer != QUOTH_NONE && bearer != c)
                        several = true;
                    bearer = c;
                    break;
                }
            }
            if (nseen == SEEN)
                continue; /* more titles than a story has: leave the rest */
            memcpy(seen[nseen].title, low, n + 1);
            seen[nseen].bearer = several ? QUOTH_NONE : bearer;
            s = nseen++;
        }
        if (seen[s].bearer != QUOTH_NONE) {
            mention_set_character(mm, seen[s].bearer);
            doc->chars[seen[s].bearer].mentions++;
            mm->titled = true;
        }
    }
}

/* The gender a descriptor's head noun implies ("the old man": he). */
quoth_gender descriptor_noun_gender(const quoth_doc *doc, const mention *m) {
    return token_noun_gender(doc, m->token + m->ntokens - 1);
}

/* Is the word right after the mention a speech verb ("it said")? */
static bool next_is_speech_verb(const quoth_doc *doc, const mention *m) {
    size_t j = m->token + m->ntokens;
    return j < doc->ntok && token_same_quote(doc, j, m->token) && token_is_speech_verb(doc, j);
}

/* The usual gender of a given name (data/first_names.txt), else unknown. */
static quoth_gender first_name_gender(const char *folded) {
    size_t n = strlen(folded);
    if (lexicon_has(LEX_FIRST_NAME_MALE, folded, n))
        return QUOTH_GENDER_MALE;
    if (lexicon_has(LEX_FIRST_NAME_FEMALE, folded, n))
        return QUOTH_GENDER_FEMALE;
    return QUOTH_GENDER_UNKNOWN;
}

/* The length of a folded name's leading title and the space after it
 * ("mr. ", "rev "), 0 when its first word is no title. */
static size_t title_prefix(const char *low) {
    const char *sp = strchr(low, ' ');
    if (!sp)
        return 0;
    size_t l = (size_t)(sp - low);
    while (l && low[l - 1] == '.')
        l--;
    return lexicon_has(LEX_HONORIFIC, low, l) ? (size_t)(sp - low) + 1 : 0;
}

/* A name as shown: "the Rev. Cuthbert Eager" (the article a sentence
 * gave it) is "Rev. Cuthbert Eager": "the" before a title and a name
 * after it goes; "the Mock Turtle" and "the Admiral" keep it. */
static const char *display_name(const char *surface) {
    if (strncmp(surface, "the ", 4) && strncmp(surface, "The ", 4))
        return surface;
    char low[256];
    utf8_fold(surface + 4, strlen(surface + 4), low, sizeof low);
    size_t tp = title_prefix(low);
    return tp && low[tp] ? surface + 4 : surface;
}

/* The first word of a name after any title, folded, into out. */
static void name_first_word(const char *name, char *out, size_t cap) {
    char low[256];
    utf8_fold(name, strlen(name), low, sizeof low);
    const char *w = low + title_prefix(low);
    size_t l = strcspn(w, " .");
    if (l >= cap)
        l = cap - 1;
    memcpy(out, w, l);
    out[l] = '\0';
}

static quoth_gender decide_gender(const uint32_t *v) {
    quoth_gender best = QUOTH_GENDER_UNKNOWN;
    uint32_t bv = 0, second = 0;
    for (int g = 1; g <= 3; g++) {
        if (v[g] > bv) {
            second = bv;
            bv = v[g];
            best = (quoth_gender)g;
        } else if (v[g] > second) {
            second = v[g];
        }
    }
    if (bv >= 1 && bv * 2 > second * 3)
        return best;
    return QUOTH_GENDER_UNKNOWN;
}

static quoth_status discover_in(quoth_doc *doc, arena *mem) {
    strmap keys;
    if (!strmap_init(&keys, mem, 256))
        return QUOTH_ERR_NOMEM;
    namekey *nk = NULL;
    size_t nnk = 0, cap = 0;
    /* each mention key's namekey (index + 1, 0 none) by key id: a key
     * string has one id, so each name is put in keys once, not once a
     * mention (keys still finds a name by a part of another, below) */
    size_t *key_nk = arena_alloc(mem, (doc->nkey ? doc->nkey : 1) * sizeof *key_nk);
    if (!key_nk)
        return QUOTH_ERR_NOMEM;
    /* The names (with the vocatives) and the descriptors, by index: most
     * of the walks below want one kind, and a walk over every mention
     * read the whole table (24 bytes a mention) each time, eight times. */
    size_t nnames = 0, ndescs = 0;
    for (size_t m = 0; m < doc->nment; m++) {
        uint8_t kind = doc->mentions[m].kind;
        nnames += kind == QUOTH_MENTION_NAME || kind == QUOTH_MENTION_VOCATIVE;
        ndescs += kind == QUOTH_MENTION_DESCRIPTOR;
    }
    uint32_t *names = arena_alloc_uninit(mem, (nnames + ndescs + 1) * sizeof *names);
    if (!names)
        return QUOTH_ERR_NOMEM;
    uint32_t *descs = names + nnames;
    for (size_t m = 0, in = 0, id = 0; m < doc->nment; m++) {
        uint8_t kind = doc->mentions[m].kind;
        if (kind == QUOTH_MENTION_NAME || kind == QUOTH_MENTION_VOCATIVE)
            names[in++] = (uint32_t)m;
        else if (kind == QUOTH_MENTION_DESCRIPTOR)
            descs[id++] = (uint32_t)m;
    }
    for (size_t j = 0; j < nnames; j++) {
        size_t m = names[j];
        mention *mm = &doc->mentions[m];
        bool created = false;
        strmap_slot *s = NULL;
        if (!key_nk[mm->key_id]) { /* the key's first mention */
            s = strmap_put(&keys, mention_key(doc, mm), strlen(mention_key(doc, mm)), &created);
            if (!s)
                return QUOTH_ERR_NOMEM;
        }
        if (s && created) {
            bool ok = true;
            ARENA_PUSH(mem, nk, nnk, cap, ok);
            if (!ok)
                return QUOTH_ERR_NOMEM;
            namekey *k = &nk[nnk - 1];
            memset(k, 0, sizeof *k);
            k->key = s->key;
            k->cluster = QUOTH_NONE;
            s->value = nnk - 1;
            /* parts: words of the key after an honorific */
            char *copy = arena_strndup(mem, s->key, s->len);
            if (!copy)
                return QUOTH_ERR_NOMEM;
            size_t w = 0;
            for (char *tok = copy; *tok;) {
                char *sp = strchr(tok, ' ');
                if (sp)
                    *sp = '\0';
                if (w == 0 && !sp && (title_alone(tok, strlen(tok)) || title_bare(tok, strlen(tok)))) {
                    k->has_hon = true; /* "the Professor": a title alone, no name */
                    k->hon_gender = mm->gender;
                    k->hon = tok;
                } else if (w == 0 && sp && lexicon_has(LEX_HONORIFIC, tok, strlen(tok))) {
                    k->has_hon = true;
                    k->hon_gender = mm->gender;
                    k->hon = tok;
                } else if (k->nparts < QUOTH_MAX_NAME_TOKENS) {
                    k->parts[k->nparts++] = tok;
                }
                w++;
                if (!sp)
                    break;
                tok = sp + 1;
            }
        }
        if (s)
            key_nk[mm->key_id] = s->value + 1;
        namekey *k = &nk[key_nk[mm->key_id] - 1];
        /* a key in the map was pushed to nk when it was created */
        k->count++;  // NOLINT(clang-analyzer-core.NullDereference): see above
        if (!mm->quote && (k->npara == 0 || k->paras[k->npara - 1] != mm->para)) {
            bool ok = true;
            ARENA_PUSH(mem, k->paras, k->npara, k->cap_para, ok);
            if (!ok)
                return QUOTH_ERR_NOMEM;
            k->paras[k->npara - 1] = mm->para;
        }
        const token *ft = &doc->tokens[mm->token];
        /* "the Hatter": the surface keeps no article; it is counted */
        span32 msp = mention_span(doc, mm);
        size_t from = msp.start;
        if (mm->ntokens > 1 && ft->len == 3 && (doc->text[token_start(doc, ft)] | 0x20) == 't' &&
            (doc->text[token_start(doc, ft) + 1] | 0x20) == 'h' && (doc->text[token_start(doc, ft) + 2] | 0x20) == 'e' &&
            strncmp(mention_key(doc, mm), "the ", 4) != 0) {
            k->with_article++;
            ft = &doc->tokens[mm->token + 1];
            from = token_start(doc, ft);
        }
        bool clean = !(ft->flags & TOK_ALLCAPS);
        if (!k->surface || (clean && !k->surface_clean)) {
            size_t n = msp.end - from;
            char *sf = arena_strndup(mem, doc->text + from, n);
            if (!sf)
                return QUOTH_ERR_NOMEM;
            /* one space for each run of spaces and line breaks: "Lydia\n
             *     Wickham" in an indented letter is "Lydia Wickham" */
            size_t w = 0;
            for (size_t z = 0; z < n; z++) {
                bool space = sf[z] == ' ' || sf[z] == '\n' || sf[z] == '\r' || sf[z] == '\t';
                if (!space)
                    sf[w++] = sf[z];
                else if (w > 0 && sf[w - 1] != ' ')
                    sf[w++] = ' ';
            }
            sf[w] = '\0';
            k->surface = sf;
            k->surface_clean = clean;
        }
    }
    /* a name mostly written "the Hatter" is named so, and keeps "Hatter" as
     * an alias (added when the characters are built) */
    for (size_t i = 0; i < nnk; i++) {
        namekey *k = &nk[i];
        if (k->surface && k->with_article * 2 >= k->count && k->with_article) {
            size_t n = strlen(k->surface);
            char *sf = arena_alloc(mem, n + 5);
            if (!sf)
                return QUOTH_ERR_NOMEM;
            memcpy(sf, "the ", 4);
            memcpy(sf + 4, k->surface, n + 1);
            k->bare = k->surface;
            k->surface = sf;
        }
    }
    /* each form's gender, before clustering: "Mr. Bennet" is he and
     * "Jane Bennet" she, so they cannot be one person */
    for (size_t j = 0; j < nnames; j++) {
        size_t m = names[j];
        const mention *mm = &doc->mentions[m];
        if (mm->kind != QUOTH_MENTION_NAME || mm->quote)
            continue;
        const mention *pr = next_pronoun(doc, m);
        if (pr && pr->gender != QUOTH_GENDER_NEUTER && key_nk[mm->key_id])
            nk[key_nk[mm->key_id] - 1].votes[pr->gender]++;
    }
    for (size_t i = 0; i < nnk; i++) {
        nk[i].gender = nk[i].hon_gender;
        uint32_t v[5];
        memcpy(v, nk[i].votes, sizeof v);
        if (nk[i].nparts)
            v[first_name_gender(nk[i].parts[0])] += 2; /* a weak prior */
        v[QUOTH_GENDER_UNKNOWN] = 0;
        if (!nk[i].gender && v[QUOTH_GENDER_MALE] + v[QUOTH_GENDER_FEMALE] >= 2)
            nk[i].gender = decide_gender(v);
    }
    /* cluster, most complete names first */
    namekey **order = arena_alloc(mem, (nnk ? nnk : 1) * sizeof *order);
    cluster *cl = arena_alloc(mem, (nnk ? nnk : 1) * sizeof *cl);
    if (!order || !cl)
        return QUOTH_ERR_NOMEM;
    for (size_t i = 0; i < nnk; i++)
        order[i] = &nk[i];
    qsort(order, nnk, sizeof *order, cmp_namekey);
    /* Candidate clusters come from two indexes, by first and by last name
     * part, so clustering stays linear in the number of distinct names. */
    size_t ncl = 0;
    strmap by_first, by_last;
    size_t *next_first = arena_alloc(mem, (nnk ? nnk : 1) * sizeof *next_first);
    size_t *next_last = arena_alloc(mem, (nnk ? nnk : 1) * sizeof *next_last);
    size_t *next_member = arena_alloc(mem, (nnk ? nnk : 1) * sizeof *next_member);
    if (!next_member)
        return QUOTH_ERR_NOMEM;
    if (!next_first || !next_last || !strmap_init(&by_first, mem, nnk) || !strmap_init(&by_last, mem, nnk))
        return QUOTH_ERR_NOMEM;
    for (size_t i = 0; i < nnk; i++) {
        namekey *k = order[i];
        if (k->nparts == 0 && !k->has_hon)
            continue;
        const char *first = k->nparts ? k->parts[0] : k->hon, *last = k->nparts ? k->parts[k->nparts - 1] : k->hon;
        size_t join = QUOTH_NONE, matches = 0;
        if (k->nparts == 0) {
            /* "the Professor": the one cluster with a member titled so
             * ("Professor de Worms"), or the one named so five times as
             * often as all the others ("Mademoiselle Reisz" 49 times,
             * "Mademoiselle Duvigne" once); else its own */
            size_t top = 0, rest = 0;
            for (size_t c = 0; c < ncl; c++) {
                size_t named = 0;
                for (size_t mk = cl[c].first_member; mk; mk = next_member[mk - 1])
                    if (nk[mk - 1].hon && nk[mk - 1].nparts && !strcmp(nk[mk - 1].hon, k->hon))
                        named += nk[mk - 1].count;
                if (named > top) {
                    rest += top;
                    top = named;
                    join = c;
                } else {
                    rest += named;
                }
            }
            if (top == 0 || (rest > 0 && top < 5 * rest))
                join = QUOTH_NONE;
            goto place;
        }
        strmap_slot *fs = strmap_get(&by_first, first, strlen(first));
        strmap_slot *ls = strmap_get(&by_last, last, strlen(last));
        /* walk both lists: clusters sharing the first part, then the last */
        for (int list = 0; list < 2; list++) {
            size_t c = list == 0 ? (fs ? fs->value : 0) : (ls ? ls->value : 0);
            for (; c; c = list == 0 ? next_first[c - 1] : next_last[c - 1]) {
                cluster *cc = &cl[c - 1];
                bool same_first = !strcmp(cc->first, first);
                if (list == 1 && same_first)
                    continue; /* already seen in the first list */
                if (!gender_compatible(cc->gender, k->gender))
                    continue;
                bool ok;
                if (k->nparts >= 2)
                    ok = same_first && !strcmp(cc->last, last);
                else if (k->has_hon) /* "Miss Bennet"; or "Miss Daisy", "Sir
                                       * Walter": a title before the given name
                                       * of someone of the title's gender */
                    ok = (!strcmp(cc->last, last) && (cc->gender == k->hon_gender || cc->first == cc->last ||
                                                       cc->gender == QUOTH_GENDER_UNKNOWN)) ||
                         (same_first && strcmp(cc->first, cc->last) &&
                          k->hon_gender != QUOTH_GENDER_UNKNOWN && cc->gender == k->hon_gender);
                else
                    ok = same_first || !strcmp(cc->last, last);
                if (!ok)
                    continue;
                bool apart = false;
                for (size_t mk = cc->first_member; mk && !apart; mk = next_member[mk - 1]) {
                    const namekey *other = &nk[mk - 1];
                    int a = title_class(k->hon), b = title_class(other->hon);
                    apart = (a && b && a != b) || (!sub_name(k, other) && cooccur(k, other) >= 3);
                }
                /* "Mrs. Bennet" and "Jane Bennet": the first name standing
                 * alone ("Jane") meets "Mrs. Bennet" too often to be her */
                if (!apart && k->has_hon && cc->first != cc->last) {
                    strmap_slot *fk = strmap_get(&keys, cc->first, strlen(cc->first));
                    apart = fk && cooccur(k, &nk[fk->value]) >= 3;
                }
                if (apart)
                    continue;
                /* among several, prefer a first-name match, then the most frequent */
                if (join == QUOTH_NONE || (same_first && strcmp(cl[join].first, first)) ||
                    cc->count > cl[join].count)
                    join = c - 1;
                matches++;
            }
        }
        if (k->nparts == 1 && (join == QUOTH_NONE || (k->has_hon && !strcmp(cl[join].first, first)))) {
            /* "Lizzy", "Eliza": the one character whose first name is the
             * full form (data/nicknames.txt) */
            const char *fulls[8];
            size_t nf = lexicon_full_names(first, strlen(first), fulls, 8);
            size_t found = QUOTH_NONE, count = 0;
            for (size_t f = 0; f < nf; f++) {
                strmap_slot *ff = strmap_get(&by_first, fulls[f], strlen(fulls[f]));
                for (size_t c = ff ? ff->value : 0; c; c = next_first[c - 1]) {
                    cluster *cc = &cl[c - 1];
                    if (!gender_compatible(cc->gender, k->gender))
                        continue;
                    bool apart = false;
                    for (size_t mk = cc->first_member; mk && !apart; mk = next_member[mk - 1])
                        apart = cooccur(k, &nk[mk - 1]) >= 3;
                    if (apart || found == c - 1)
                        continue;
                    found = c - 1;
                    count++;
                }
            }
            if (count == 1 && found != join)
                join = found;
        }
        if (join != QUOTH_NONE && k->has_hon && k->nparts == 1 && matches > 1) {
            /* "Mr. Bennet" among Jane, Elizabeth and Lydia Bennet: only a
             * cluster founded by the same title ("Mr. Bennet" itself) */
            size_t same = QUOTH_NONE;
            for (size_t c = ls ? ls->value : 0; c && same == QUOTH_NONE; c = next_last[c - 1]) {
                const namekey *founder = &nk[cl[c - 1].best_key];
                if (founder->has_hon && founder->nparts == 1 && !strcmp(founder->hon, k->hon))
                    same = c - 1;
            }
            join = same;
        }
    place:
        if (join == QUOTH_NONE) {
            cluster *cc = &cl[ncl++];
            cc->first = first;
            cc->last = last;
            cc->gender = k->gender;
            cc->count = 0;
            cc->best_key = (size_t)(k - nk);
            cc->first_member = 0;
            join = ncl - 1;
            strmap_slot *f2 = strmap_put(&by_first, first, strlen(first), NULL);
            strmap_slot *l2 = strmap_put(&by_last, last, strlen(last), NULL);
            if (!f2 || !l2)
                return QUOTH_ERR_NOMEM;
            next_first[join] = f2->value;
            f2->value = join + 1;
            next_last[join] = l2->value;
            l2->value = join + 1;
        }
        cluster *cc = &cl[join];
        if (cc->gender == QUOTH_GENDER_UNKNOWN)
            cc->gender = k->gender;
        cc->count += k->count;
        k->cluster = join;
        next_member[k - nk] = cc->first_member;
        cc->first_member = (size_t)(k - nk) + 1;
        namekey *best = &nk[cc->best_key];
        /* the most complete name: most name words ("Tom Ashby" over "Mr.
         * Ashby"), then a title unless it is used less than half as often
         * as the bare form ("Mr. Bennet" over "Bennet", but "Alice" over a
         * rarer "Miss Alice"), then use */
        bool better;
        if (k->nparts != best->nparts)
            better = k->nparts > best->nparts;
        else if (k->has_hon != best->has_hon)
            better = k->has_hon ? k->count * 2 >= best->count : best->count * 2 < k->count;
        else
            better = k->count > best->count;
        if (better)
            cc->best_key = (size_t)(k - nk);
    }
    /* characters, the most mentioned first when there are too many */
    size_t *rank = arena_alloc(mem, (ncl ? ncl : 1) * sizeof *rank);
    if (!rank)
        return QUOTH_ERR_NOMEM;
    for (size_t c = 0; c < ncl; c++) {
        cl[c].character = QUOTH_NONE;
        rank[c] = c;
    }
    if (ncl > QUOTH_MAX_CHARACTERS) {
        /* keep the most mentioned: sort (count, index) pairs, no globals */
        struct count_ix *ci = arena_alloc(mem, ncl * sizeof *ci);
        if (!ci)
            return QUOTH_ERR_NOMEM;
        for (size_t c = 0; c < ncl; c++) {
            ci[c].count = cl[c].count;
            ci[c].index = c;
        }
        qsort(ci, ncl, sizeof *ci, cmp_count_ix);
        for (size_t c = 0; c < ncl; c++)
            rank[c] = ci[c].index;
    }
    size_t keep = ncl < QUOTH_MAX_CHARACTERS ? ncl : QUOTH_MAX_CHARACTERS;
    for (size_t r = 0; r < keep; r++) {
        cluster *cc = &cl[rank[r]];
        size_t ch = character_new(doc, display_name(nk[cc->best_key].surface));
        if (ch == QUOTH_NONE)
            return QUOTH_ERR_NOMEM;
        cc->character = ch;
    }
    for (size_t i = 0; i < nnk; i++) {
        if (nk[i].cluster == QUOTH_NONE || cl[nk[i].cluster].character == QUOTH_NONE)
            continue;
        character *ch = &doc->chars[cl[nk[i].cluster].character];
        if (!character_add_alias(doc, ch, nk[i].surface))
            return QUOTH_ERR_NOMEM;
        ch->alias_counts[ch->naliases - 1] = (uint32_t)nk[i].count;
        if (nk[i].bare) {
            if (!character_add_alias(doc, ch, nk[i].bare))
                return QUOTH_ERR_NOMEM;
            ch->alias_counts[ch->naliases - 1] = (uint32_t)(nk[i].count - nk[i].with_article);
        }
        ch->mentions += (uint32_t)nk[i].count;
        if (nk[i].hon_gender)
            ch->votes[nk[i].hon_gender] += 3 * (uint32_t)nk[i].count;
    }
    for (size_t j = 0; j < nnames; j++) {
        mention *mm = &doc->mentions[names[j]];
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): every key is in nk
        size_t c = key_nk[mm->key_id] ? nk[key_nk[mm->key_id] - 1].cluster : QUOTH_NONE;
        mention_set_character(mm, c == QUOTH_NONE ? QUOTH_NONE : cl[c].character);
    }
    /* descriptors the narration calls "it" and that speak: one being */
    strmap desc, speaks;
    if (!strmap_init(&desc, mem, 32) || !strmap_init(&speaks, mem, 32))
        return QUOTH_ERR_NOMEM;
    for (size_t j = 0; j < ndescs; j++) {
        size_t m = descs[j];
        const mention *mm = &doc->mentions[m];
        if (mm->quote || mm->relational)
            continue;
        strmap_slot *s = strmap_put(&desc, mention_key(doc, mm), strlen(mention_key(doc, mm)), NULL);
        if (!s)
            return QUOTH_ERR_NOMEM;
        /* an object ("turned to the alien, his ...") says nothing of its
         * pronoun: the pronoun after it is the subject's */
        if (!mm->subject && !mm->possessive)
            continue;
        const mention *pr = next_pronoun(doc, m);
        if (pr && pr->gender == QUOTH_GENDER_NEUTER)
            s->value++;
        else if (pr)
            s->aux++;
        if (next_is_speech_verb(doc, mm) || (mm->token > 0 && token_is_speech_verb(doc, mm->token - 1))) {
            strmap_slot *sp = strmap_put(&speaks, mention_key(doc, mm), strlen(mention_key(doc, mm)), NULL);
            if (!sp)
                return QUOTH_ERR_NOMEM;
            sp->value++;
        }
    }
    /* "it said" after "The automaton turned": the nearest descriptor before
     * a speaking "it" is called it */
    size_t last_desc = QUOTH_NONE;
    for (size_t m = 0; m < doc->nment; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote)
            continue;
        if (mm->kind == QUOTH_MENTION_DESCRIPTOR && descriptor_noun_gender(doc, mm) == QUOTH_GENDER_UNKNOWN) {
            last_desc = m;
            continue;
        }
        if (mm->kind == QUOTH_MENTION_PRONOUN && mm->gender == QUOTH_GENDER_NEUTER && mm->pcase == PRON_NOM &&
            last_desc != QUOTH_NONE && mm->para <= doc->mentions[last_desc].para + 2 &&
            next_is_speech_verb(doc, mm)) {
            const char *key = mention_key(doc, &doc->mentions[last_desc]);
            strmap_slot *s = strmap_get(&desc, key, strlen(key));
            strmap_slot *sp = strmap_put(&speaks, key, strlen(key), NULL);
            if (!sp)
                return QUOTH_ERR_NOMEM;
            sp->value++;
            if (s)
                s->value++;
        }
    }
    size_t being = QUOTH_NONE;
    size_t best_count = 0;
    for (size_t i = 0; i < desc.cap; i++) {
        strmap_slot *s = &desc.slots[i];
        if (!s->key || s->value == 0 || s->value <= s->aux)
            continue;
        /* "the dragon" is called it but never speaks: a thing, not a being */
        strmap_slot *sp = strmap_get(&speaks, s->key, s->len);
        if (!sp || !sp->value)
            continue;
        if (being == QUOTH_NONE) {
            being = character_new(doc, s->key);
            if (being == QUOTH_NONE)
                return QUOTH_ERR_NOMEM;
            doc->chars[being].descriptor_only = true;
            doc->chars[being].gender = QUOTH_GENDER_NEUTER;
            doc->chars[being].votes[QUOTH_GENDER_NEUTER] += 100;
        }
        s->aux = 1000000; /* mark: belongs to the being */
        if (s->value > best_count) {
            best_count = s->value;
            const char *name = arena_strndup(&doc->mem, s->key, s->len); /* s is in mem */
            if (!name)
                return QUOTH_ERR_NOMEM;
            doc->chars[being].name = name;
        }
    }
    if (being != QUOTH_NONE) {
        for (size_t j = 0; j < ndescs; j++) {
            mention *mm = &doc->mentions[descs[j]];
            strmap_slot *s = strmap_get(&desc, mention_key(doc, mm), strlen(mention_key(doc, mm)));
            if (s && s->aux == 1000000) {
                mention_set_character(mm, being);
                if (!character_add_alias(doc, &doc->chars[being], mention_key(doc, mm)))
                    return QUOTH_ERR_NOMEM;
                doc->chars[being].mentions++;
            }
        }
    }
    link_titled_descriptors(doc);
    /* Descriptors that speak ("the old man said", "said the stranger") and
     * belong to no one yet are characters in their own right. */
    strmap speaking;
    if (!strmap_init(&speaking, mem, 32))
        return QUOTH_ERR_NOMEM;
    for (size_t j = 0; j < ndescs; j++) {
        const mention *mm = &doc->mentions[descs[j]];
        if (mm->quote || mention_character(mm) != QUOTH_NONE || mm->relational || mention_is_the_other(doc, mm))
            continue; /* "replied the other": whoever the other party is (attribute.c) */
        if (!next_is_speech_verb(doc, mm) && !(mm->token > 0 && token_is_speech_verb(doc, mm->token - 1)))
            continue;
        if (!doc->paras[mm->para].has_quote)
            continue;
        bool created;
        strmap_slot *s = strmap_put(&speaking, mention_key(doc, mm), strlen(mention_key(doc, mm)), &created);
        if (!s)
            return QUOTH_ERR_NOMEM;
        if (created) {
            span32 msp = mention_span(doc, mm);
            char *sf = arena_strndup(mem, doc->text + msp.start, msp.end - msp.start);
            if (!sf)
                return QUOTH_ERR_NOMEM;
            if (sf[0] == 'T')
                sf[0] = 't'; /* "The old man said" names "the old man" */
            size_t ch = character_new(doc, sf);
            if (ch == QUOTH_NONE)
                return QUOTH_ERR_NOMEM;
            doc->chars[ch].descriptor_only = true;
            doc->chars[ch].gender = descriptor_noun_gender(doc, mm);
            s->value = ch + 1;
        }
    }
    for (size_t j = 0; j < ndescs; j++) {
        mention *mm = &doc->mentions[descs[j]];
        if (mention_character(mm) != QUOTH_NONE)
            continue;
        strmap_slot *s = strmap_get(&speaking, mention_key(doc, mm), strlen(mention_key(doc, mm)));
        if (s) {
            mention_set_character(mm, s->value - 1);
            doc->chars[s->value - 1].mentions++;
        }
    }
    /* gender: the pronouns that follow a name in the narration */
    for (size_t j = 0; j < nnames; j++) {
        size_t m = names[j];
        const mention *mm = &doc->mentions[m];
        if (mm->kind != QUOTH_MENTION_NAME || mm->quote || mention_character(mm) == QUOTH_NONE)
            continue;
        const mention *pr = next_pronoun(doc, m);
        if (pr)
            doc->chars[mention_character(mm)].votes[pr->gender]++;
    }
    for (size_t c = 0; c < doc->nchar; c++)
        if (!doc->chars[c].descriptor_only) {
            /* a name followed by "it" is a place or a thing, not evidence
             * that a person is called it: only he/she vote for names */
            doc->chars[c].votes[QUOTH_GENDER_NEUTER] = 0;
            char fw[64];
            name_first_word(doc->chars[c].name, fw, sizeof fw);
            doc->chars[c].votes[first_name_gender(fw)] += 2; /* the given name's prior */
            doc->chars[c].votes[QUOTH_GENDER_UNKNOWN] = 0;
            doc->chars[c].gender = decide_gender(doc->chars[c].votes);
            if (doc->chars[c].gender == QUOTH_GENDER_UNKNOWN) {
                char w[64];
                name_first_word(doc->chars[c].name, w, sizeof w);
                doc->chars[c].gender = first_name_gender(w);
            }
        }
    /* a first-person narrator */
    size_t first = 0, first_tags = 0;
    for (size_t m = 0; m < doc->nment; m++) {
        const mention *mm = &doc->mentions[m];
        if (!mm->quote && mm->kind == QUOTH_MENTION_PRONOUN && mm->first_person && mm->pcase == PRON_NOM) {
            first++;
            /* "I said", "said I": the narrator speaks */
            for (int side = -1; side <= 1; side += 2) {
                size_t j = mm->token + (size_t)(side > 0 ? 1 : 0) - (side < 0 ? 1 : 0);
                if (side < 0 && mm->token == 0)
                    continue;
                if (j >= doc->ntok || (doc->tokens[j].flags & TOK_QUOTED) ||
                    !(doc->tokens[j].flags & TOK_WORD))
                    continue;
                char low[64];
                size_t n = utf8_fold(doc->text + token_start_at(doc, j),
                                     token_end(doc, &doc->tokens[j]) - token_start_at(doc, j), low,
                                     sizeof low);
                if (lexicon_has(LEX_SPEECH_VERB, low, n))
                    first_tags++;
            }
        }
    }
    size_t words = doc->narration_words; /* the word tokens in narration */
    if ((first >= 5 && first * 200 >= words) || first_tags >= 1) {
        size_t n = character_new(doc, "Narrator");
        if (n == QUOTH_NONE)
            return QUOTH_ERR_NOMEM;
        doc->chars[n].narrator = true;
        doc->narrator = n;
        doc->first_person = true;
    }
    return QUOTH_OK;
}

/* Characters from the names in the text. The tables that find them (name
 * forms, clusters, their indexes) are dead once the characters exist, so
 * they live in an arena of their own, freed here; what the document keeps
 * (names, aliases) is copied into its arena. */
static quoth_status discover(quoth_doc *doc) {
    arena scratch;
    arena_init_scratch(&scratch, doc->len);
    quoth_status st = discover_in(doc, &scratch);
    arena_free(&scratch);
    return st;
}

void character_sort_aliases(character *c) {
    if (c->from_cast)
        return; /* the user's order stands */
    for (uint32_t i = 1; i < c->naliases; i++) {
        const char *a = c->aliases[i];
        uint32_t n = c->alias_counts[i];
        uint32_t j = i;
        while (j > 0 && c->alias_counts[j - 1] < n) {
            c->aliases[j] = c->aliases[j - 1];
            c->alias_counts[j] = c->alias_counts[j - 1];
            j--;
        }
        c->aliases[j] = a;
        c->alias_counts[j] = n;
    }
}

/* Cast entries that gave no pronoun: the pronouns after their names and
 * descriptors decide, "it" included (the user listed them as speakers). */
static void learn_cast_genders(quoth_doc *doc) {
    for (size_t m = 0; m < doc->nment; m++) {
        const mention *mm = &doc->mentions[m];
        if (mm->quote || mention_character(mm) == QUOTH_NONE || mm->kind == QUOTH_MENTION_PRONOUN)
            continue;
        if (!mm->subject && !mm->possessive)
            continue;
        character *ch = &doc->chars[mention_character(mm)];
        if (ch->gender != QUOTH_GENDER_UNKNOWN)
            continue;
        const mention *pr = next_pronoun(doc, m);
        if (pr)
            ch->votes[pr->gender]++;
    }
    for (size_t c = 0; c < doc->nchar; c++) {
        character *ch = &doc->chars[c];
        if (ch->gender == QUOTH_GENDER_UNKNOWN && !ch->narrator) {
            quoth_gender g = decide_gender(ch->votes);
            if (g != QUOTH_GENDER_NEUTER || ch->votes[QUOTH_GENDER_NEUTER] >= 2)
                ch->gender = g;
            if (ch->gender == QUOTH_GENDER_UNKNOWN) {
                char w[64];
                name_first_word(ch->name, w, sizeof w);
                ch->gender = first_name_gender(w);
            }
        }
    }
}

quoth_status cast_run(quoth_doc *doc, quoth_error *err) {
    quoth_status st = doc->opts.cast ? cast_from_file(doc) : discover(doc);
    if (st != QUOTH_OK) {
        doc_set_error(err, st, "out of memory building the cast");
        return st;
    }
    if (doc->opts.cast) {
        /* narration "I" belongs to the narrator entry, if the cast has one */
        size_t first = 0;
        for (size_t m = 0; m < doc->nment; m++) {
            const mention *mm = &doc->mentions[m];
            if (!mm->quote && mm->kind == QUOTH_MENTION_PRONOUN && mm->first_person)
                first++;
        }
        doc->first_person = doc->narrator != QUOTH_NONE && first >= 5;
        learn_cast_genders(doc);
    } else {
        for (size_t c = 0; c < doc->nchar; c++)
            character_sort_aliases(&doc->chars[c]);
    }
    /* ids for a run that stops here; attribution renumbers the listed ones */
    for (size_t c = 0; c < doc->nchar; c++) {
        character_set_id(&doc->chars[c], c + 1);
        doc->chars[c].listed = true;
    }
    return QUOTH_OK;
}
