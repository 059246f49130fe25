/*
 * eval.c — `quoth eval GOLD_DIR... [--cast-from-gold] [--json]`.
 *
 * For every annotated work (a folder with text.txt, characters.json and
 * quotes.jsonl; ../shared/corpus/FORMAT.md) the library analyses text.txt in
 * this process, its result is rendered as `quoth --format json` would write
 * it and read back, and it is scored against the gold exactly as
 * ../shared/tools/score.py scores it: the same detection rules, the same
 * character mapping, the same per-type and pooled figures, printed in the
 * same shape (score.py's line(), or its --json objects). With
 * --cast-from-gold the library is given the cast tools/cast_from_gold.py
 * would write for the work, built in memory.
 *
 * Gold JSON is read with jansson. Python's str.lower() and its notion of
 * whitespace are reproduced with utf8proc and the list of characters for
 * which str.isspace() is true (the one difference left: Python lowers a
 * final capital sigma to 'ς', utf8proc to 'σ').
 *
 * No global mutable state: everything lives in the structures below and is
 * freed before quoth_eval_main() returns.
 */
#define _XOPEN_SOURCE 700
#include "eval.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#include "quoth.h"

/* ---- small helpers -------------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

/* Appends n bytes; returns false when memory runs out. */
static bool sb_add(strbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return false;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static bool sb_puts(strbuf *b, const char *s) { return sb_add(b, s, strlen(s)); }

static char *path_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t n = a;
    if (n == 0 || p[n - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, name, b + 1);
    return p;
}

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads a whole gold or text file, NUL-terminated (files.c). */
static char *slurp(const char *path, size_t *len) { return cli_read_file(path, len, (size_t)2 << 30, NULL); }

/* ---- Python's str.lower(), str.strip() and \s ---------------------------- */

/* The characters for which Python's str.isspace() is true (what strip() and
 * the regular expression \s use). */
static bool py_space(utf8proc_int32_t c) {
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
           c == 0x202f || c == 0x205f || c == 0x3000;
}

enum {
    FOLD_LOWER = 1u << 0,      /* str.lower() */
    FOLD_DROP_MARKS = 1u << 1, /* score.py's norm(): drop . ' ’ ` */
    FOLD_CAST_SEPS = 1u << 2,  /* cast_from_gold.clean(): | \r \n \t become spaces */
    FOLD_COLLAPSE = 1u << 3,   /* runs of whitespace become one space */
    FOLD_STRIP = 1u << 4       /* str.strip() */
};

/* Rewrites a UTF-8 string as the flags say; a malloc'd result or NULL. The
 * steps run in score.py's and cast_from_gold.py's order: lower, drop or
 * replace characters, collapse whitespace, strip. */
static char *fold(const char *s, unsigned flags) {
    size_t n = strlen(s);
    utf8proc_int32_t *cp = malloc((n + 1) * 2 * sizeof *cp);
    if (!cp)
        return NULL;
    size_t m = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)n;
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0) { /* not UTF-8 (jansson's strings always are): keep the byte */
            c = 0xfffd;
            k = 1;
        }
        p += k;
        left -= k;
        if (flags & FOLD_LOWER) {
            if (c == 0x130) { /* Python: 'İ'.lower() == 'i\u0307' */
                cp[m++] = 'i';
                c = 0x307;
            } else {
                c = utf8proc_tolower(c);
            }
        }
        if ((flags & FOLD_DROP_MARKS) && (c == '.' || c == '\'' || c == '`' || c == 0x2019))
            continue;
        if ((flags & FOLD_CAST_SEPS) && (c == '|' || c == '\r' || c == '\n' || c == '\t'))
            c = ' ';
        cp[m++] = c;
    }
    if (flags & FOLD_COLLAPSE) {
        size_t w = 0;
        bool in_space = false;
        for (size_t i = 0; i < m; i++) {
            bool sp = py_space(cp[i]);
            if (!(sp && in_space))
                cp[w++] = sp ? ' ' : cp[i];
            in_space = sp;
        }
        m = w;
    }
    size_t lo = 0, hi = m;
    if (flags & FOLD_STRIP) {
        while (lo < hi && py_space(cp[lo]))
            lo++;
        while (hi > lo && py_space(cp[hi - 1]))
            hi--;
    }
    char *out = malloc((hi - lo) * 4 + 1);
    if (!out) {
        free(cp);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = lo; i < hi; i++)
        o += (size_t)utf8proc_encode_char(cp[i], (utf8proc_uint8_t *)out + o);
    out[o] = '\0';
    free(cp);
    return out;
}

/* score.py's norm(): a malloc'd key, "__narrator__" for the narrator's names. */
static char *norm_name(const char *s) {
    static const char *const narrator[] = {"_narr", "narr", "narrator", "the narrator", "i"};
    char *k = fold(s, FOLD_LOWER | FOLD_DROP_MARKS | FOLD_COLLAPSE | FOLD_STRIP);
    if (!k)
        return NULL;
    for (size_t i = 0; i < sizeof narrator / sizeof *narrator; i++)
        if (!strcmp(k, narrator[i])) {
            free(k);
            return strdup("__narrator__");
        }
    return k;
}

/* A character id as a comparable string: a JSON string is itself, anything
 * else its JSON text behind a byte no string id starts with. */
static char *id_key(const json_t *v) {
    if (json_is_string(v))
        return strdup(json_string_value(v));
    char *js = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!js)
        return NULL;
    size_t n = strlen(js);
    char *k = malloc(n + 2);
    if (k) {
        k[0] = '\x01';
        memcpy(k + 1, js, n + 1);
    }
    free(js);
    return k;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- the gold ------------------------------------------------------------- */

typedef struct {
    char *key; /* norm() of a name or alias */
    char *id;  /* the one gold character it names; NULL when several */
} alias_entry;

typedef struct {
    int64_t *spans; /* start, end pairs */
    size_t nspans;
    char *speaker; /* id key, NULL when the gold has none */
    char *type;    /* "unknown" when the gold has none */
} gold_quote;

typedef struct {
    const char *dir;
    char *chars_path, *quotes_path;
    json_t *chars; /* the characters array (borrowed from chars_root) */
    json_t *chars_root;
    char **skip; /* sorted id keys of _group and _unknowable */
    size_t nskip;
    alias_entry *alias; /* sorted by key */
    size_t nalias;
    gold_quote *quotes;
    size_t nquotes;
} gold_work;

static void gold_free(gold_work *g) {
    free(g->chars_path);
    free(g->quotes_path);
    json_decref(g->chars_root);
    for (size_t i = 0; i < g->nskip; i++)
        free(g->skip[i]);
    free(g->skip);
    for (size_t i = 0; i < g->nalias; i++) {
        free(g->alias[i].key);
        free(g->alias[i].id);
    }
    free(g->alias);
    for (size_t i = 0; i < g->nquotes; i++) {
        free(g->quotes[i].spans);
        free(g->quotes[i].speaker);
        free(g->quotes[i].type);
    }
    free(g->quotes);
}

static int cmp_alias(const void *a, const void *b) {
    const alias_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->id, y->id);
}

/* The one gold character id a normalised name names, or NULL. */
static const char *alias_lookup(const gold_work *g, const char *key) {
    size_t lo = 0, hi = g->nalias;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->alias[mid].key, key);
        if (c == 0)
            return g->alias[mid].id;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool in_sorted(char *const *v, size_t n, const char *s) {
    return n && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

typedef struct {
    const char *progname;
    bool cast_from_gold;
    bool json;
    const char *weights;      /* --ranker-weights: the file's text, or NULL */
    const char *features_dir; /* --features-dir: write NAME.features.tsv there */
} eval_opts;

#define NOMEM(o) (fprintf(stderr, "%s: eval: out of memory\n", (o)->progname), EVAL_EXIT_INTERNAL)

/* Reads characters.json: the skip set and the alias index of score.py. */
static int load_characters(const eval_opts *o, gold_work *g) {
    size_t len;
    char *data = slurp(g->chars_path, &len);
    if (!data) {
        fprintf(stderr, "%s: eval: cannot read '%s': %s\n", o->progname, g->chars_path,
                strerror(errno));
        return EVAL_EXIT_INPUT;
    }
    json_error_t jerr;
    g->chars_root = json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    free(data);
    if (!g->chars_root) {
        fprintf(stderr, "%s: eval: %s:%d:%d: invalid JSON: %s\n", o->progname, g->chars_path,
                jerr.line, jerr.column, jerr.text);
        return EVAL_EXIT_GOLD;
    }
    g->chars = g->chars_root;
    if (json_is_object(g->chars)) { /* {"characters": [...]} as score.py allows */
        g->chars = json_object_get(g->chars_root, "characters");
        if (!g->chars) {
            g->chars = json_array();
            if (!g->chars)
                return NOMEM(o);
            json_object_set_new(g->chars_root, "characters", g->chars);
        }
    }
    if (!json_is_array(g->chars)) {
        fprintf(stderr, "%s: eval: %s:1: not a list of characters\n", o->progname, g->chars_path);
        return EVAL_EXIT_GOLD;
    }
    size_t n = json_array_size(g->chars), nalias = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(g->chars, i);
        json_t *id = json_object_get(c, "id"), *name = json_object_get(c, "name");
        json_t *aliases = json_object_get(c, "aliases");
        const char *bad = !json_is_object(c)      ? "is not an object"
                          : !id                   ? "has no \"id\""
                          : !json_is_string(name) ? "has no \"name\" string"
                          : aliases && !json_is_array(aliases)
                              ? "has \"aliases\" that is not a list"
                              : NULL;
        for (size_t a = 0; !bad && a < json_array_size(aliases); a++)
            if (!json_is_string(json_array_get(aliases, a)))
                bad = "has an alias that is not a string";
        if (bad) {
            fprintf(stderr, "%s: eval: %s: character %zu (counting from 0) %s\n", o->progname,
                    g->chars_path, i, bad);
            return EVAL_EXIT_GOLD;
        }
        nalias += json_array_size(aliases) + 1;
    }
    g->skip = calloc(n + 1, sizeof *g->skip);
    g->alias = calloc(nalias + 1, sizeof *g->alias);
    if (!g->skip || !g->alias)
        return NOMEM(o);
    size_t na = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(g->chars, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        json_t *aliases = json_object_get(c, "aliases");
        char *id = id_key(json_object_get(c, "id"));
        if (!id)
            return NOMEM(o);
        if (!strcmp(name, "_group") || !strcmp(name, "_unknowable")) {
            if (!(g->skip[g->nskip++] = strdup(id))) {
                free(id);
                return NOMEM(o);
            }
        }
        size_t na_c = json_array_size(aliases);
        for (size_t a = 0; a <= na_c; a++) {
            const char *s = a < na_c ? json_string_value(json_array_get(aliases, a)) : name;
            alias_entry *e = &g->alias[na];
            e->key = norm_name(s);
            e->id = strdup(id);
            if (!e->key || !e->id) {
                free(e->key);
                free(e->id);
                free(id);
                return NOMEM(o);
            }
            na++;
        }
        free(id);
    }
    qsort(g->skip, g->nskip, sizeof *g->skip, cmp_str);
    /* Sorted by key then id: keep one entry per key, its id only when it
     * names one character. */
    qsort(g->alias, na, sizeof *g->alias, cmp_alias);
    size_t w = 0;
    for (size_t i = 0; i < na;) {
        size_t j = i + 1;
        bool one = true;
        while (j < na && !strcmp(g->alias[j].key, g->alias[i].key)) {
            if (strcmp(g->alias[j].id, g->alias[i].id))
                one = false;
            j++;
        }
        alias_entry keep = g->alias[i];
        for (size_t k = i + 1; k < j; k++) {
            free(g->alias[k].key);
            free(g->alias[k].id);
        }
        if (!one) {
            free(keep.id);
            keep.id = NULL;
        }
        g->alias[w++] = keep;
        i = j;
    }
    g->nalias = w;
    return EVAL_EXIT_OK;
}

/* One gold quotation from a parsed quotes.jsonl line. */
static int gold_quote_from(const eval_opts *o, const gold_work *g, size_t lineno, json_t *v,
                           gold_quote *q) {
    json_t *spans = json_object_get(v, "spans"), *speaker = json_object_get(v, "speaker");
    json_t *type = json_object_get(v, "type");
    const char *bad = !json_is_object(v)      ? "is not an object"
                      : !json_is_array(spans) ? "has no \"spans\" list"
                      : type && !json_is_null(type) && !json_is_string(type)
                          ? "has a \"type\" that is not a string"
                          : NULL;
    size_t ns = json_array_size(spans);
    for (size_t i = 0; !bad && i < ns; i++) {
        json_t *sp = json_array_get(spans, i);
        if (!json_is_array(sp) || json_array_size(sp) != 2 ||
            !json_is_integer(json_array_get(sp, 0)) || !json_is_integer(json_array_get(sp, 1)))
            bad = "has a span that is not [start, end]";
    }
    if (bad) {
        fprintf(stderr, "%s: eval: %s:%zu: the quotation %s\n", o->progname, g->quotes_path, lineno,
                bad);
        return EVAL_EXIT_GOLD;
    }
    q->nspans = ns;
    q->spans = malloc((ns ? ns : 1) * 2 * sizeof *q->spans);
    if (!q->spans)
        return NOMEM(o);
    for (size_t i = 0; i < ns; i++) {
        json_t *sp = json_array_get(spans, i);
        q->spans[2 * i] = json_integer_value(json_array_get(sp, 0));
        q->spans[2 * i + 1] = json_integer_value(json_array_get(sp, 1));
    }
    if (speaker && !json_is_null(speaker) && !(q->speaker = id_key(speaker)))
        return NOMEM(o);
    const char *t = json_string_value(type); /* NULL unless a string */
    if (!(q->type = strdup(t && *t ? t : "unknown")))
        return NOMEM(o);
    return EVAL_EXIT_OK;
}

/* Reads quotes.jsonl: one JSON object a line (blank lines skipped; \n, \r\n
 * and \r end lines, as Python's text files do). */
static int load_quotes(const eval_opts *o, gold_work *g) {
    size_t len;
    char *data = slurp(g->quotes_path, &len);
    if (!data) {
        fprintf(stderr, "%s: eval: cannot read '%s': %s\n", o->progname, g->quotes_path,
                strerror(errno));
        return EVAL_EXIT_INPUT;
    }
    size_t cap = 0, lineno = 0;
    int rc = EVAL_EXIT_OK;
    for (size_t pos = 0; pos < len && rc == EVAL_EXIT_OK;) {
        size_t end = pos;
        while (end < len && data[end] != '\n' && data[end] != '\r')
            end++;
        size_t next = end < len ? end + 1 : end;
        if (end < len && data[end] == '\r' && end + 1 < len && data[end + 1] == '\n')
            next++;
        lineno++;
        bool blank = true;
        for (size_t i = pos; i < end && blank; i++)
            blank = strchr(" \t\f\v", data[i]) != NULL;
        if (!blank) {
            json_error_t jerr;
            json_t *v = json_loadb(data + pos, end - pos, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
            if (!v) {
                fprintf(stderr, "%s: eval: %s:%zu:%d: invalid JSON: %s\n", o->progname,
                        g->quotes_path, lineno, jerr.column, jerr.text);
                rc = EVAL_EXIT_GOLD;
                break;
            }
            if (g->nquotes == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                gold_quote *nq = realloc(g->quotes, ncap * sizeof *nq);
                if (!nq) {
                    json_decref(v);
                    rc = NOMEM(o);
                    break;
                }
                g->quotes = nq;
                cap = ncap;
            }
            gold_quote *q = &g->quotes[g->nquotes++];
            memset(q, 0, sizeof *q);
            rc = gold_quote_from(o, g, lineno, v, q);
            json_decref(v);
        }
        pos = next;
    }
    free(data);
    return rc;
}

/* ---- the cast of tools/cast_from_gold.py ---------------------------------- */

static bool is_narrator_marker(const char *a) {
    char *k = fold(a, FOLD_STRIP | FOLD_LOWER);
    bool r = k && (!strcmp(k, "_narr") || !strcmp(k, "narr"));
    free(k);
    return r;
}

static bool is_marker(const char *a) {
    char *k = fold(a, FOLD_STRIP);
    bool r = k && k[0] == '_';
    free(k);
    return r || is_narrator_marker(a);
}

typedef struct {
    strbuf line;
    char **seen; /* lowered fields already on the line */
    size_t nseen;
    bool oom;
} cast_line;

/* cast_from_gold.py's add(): clean the field, keep it once. */
static void cast_add(cast_line *cl, const char *field) {
    char *f = fold(field, FOLD_CAST_SEPS | FOLD_COLLAPSE | FOLD_STRIP);
    if (!f) {
        cl->oom = true;
        return;
    }
    const char *h = f;
    while (*h == '#') /* lstrip('#') then strip() */
        h++;
    char *clean = fold(h, FOLD_STRIP);
    free(f);
    char *key = clean ? fold(clean, FOLD_LOWER) : NULL;
    if (!clean || !key) {
        free(clean);
        free(key);
        cl->oom = true;
        return;
    }
    bool dup = !*clean;
    for (size_t i = 0; i < cl->nseen && !dup; i++)
        dup = !strcmp(cl->seen[i], key);
    if (dup) {
        free(key);
    } else {
        cl->seen[cl->nseen++] = key;
        if ((cl->line.len && !sb_puts(&cl->line, " | ")) || !sb_puts(&cl->line, clean))
            cl->oom = true;
    }
    free(clean);
}

/* The whole cast file for the work's characters; NULL when memory runs out. */
static char *cast_text(const gold_work *g, size_t *len) {
    strbuf out = {0};
    if (!sb_puts(&out, ""))
        return NULL;
    size_t n = json_array_size(g->chars);
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(g->chars, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        json_t *aliases = json_object_get(c, "aliases");
        size_t na = json_array_size(aliases);
        if (!strcmp(name, "_group") || !strcmp(name, "_unknowable"))
            continue;
        bool narrator = is_narrator_marker(name);
        for (size_t a = 0; a < na && !narrator; a++)
            narrator = is_narrator_marker(json_string_value(json_array_get(aliases, a)));
        cast_line cl = {{0}, calloc(na + 4, sizeof(char *)), 0, false};
        if (!cl.seen) {
            free(out.data);
            return NULL;
        }
        cast_add(&cl, is_marker(name) ? (narrator ? "Narrator" : "") : name);
        for (size_t a = 0; a < na; a++) {
            const char *s = json_string_value(json_array_get(aliases, a));
            if (!is_marker(s))
                cast_add(&cl, s);
        }
        if (cl.nseen) {
            if (narrator)
                cast_add(&cl, "I");
            json_t *gender = json_object_get(c, "gender");
            const char *gs = json_string_value(gender);
            if (gs && (!strcmp(gs, "M") || !strcmp(gs, "m")))
                cast_add(&cl, "he");
            else if (gs && (!strcmp(gs, "F") || !strcmp(gs, "f")))
                cast_add(&cl, "she");
            if (!cl.oom && (!sb_add(&out, cl.line.data, cl.line.len) || !sb_puts(&out, "\n")))
                cl.oom = true;
        }
        bool oom = cl.oom;
        for (size_t k = 0; k < cl.nseen; k++)
            free(cl.seen[k]);
        free(cl.seen);
        free(cl.line.data);
        if (oom) {
            free(out.data);
            return NULL;
        }
    }
    *len = out.len;
    return out.data;
}

/* ---- scoring (score.py's score()) ----------------------------------------- */

typedef struct {
    char *type;
    size_t correct, total;
} type_row;

typedef struct {
    char *work;
    size_t works; /* POOLED only */
    size_t gold_quotes, pred_quotes, eligible, correct;
    double recall, precision, accuracy, acc_detected, macro, f1;
    type_row *types; /* sorted by type */
    size_t ntypes;
    size_t pred_chars, mapped_chars;
} score_row;

static void row_free(score_row *r) {
    free(r->work);
    for (size_t i = 0; i < r->ntypes; i++)
        free(r->types[i].type);
    free(r->types);
}

/* Adds (correct, total) to a type's counts, keeping the rows sorted. */
static bool type_add(score_row *r, const char *type, size_t correct, size_t total) {
    size_t i = 0;
    while (i < r->ntypes && strcmp(r->types[i].type, type) < 0)
        i++;
    if (i == r->ntypes || strcmp(r->types[i].type, type)) {
        type_row *nt = realloc(r->types, (r->ntypes + 1) * sizeof *nt);
        if (!nt)
            return false;
        r->types = nt;
        char *t = strdup(type);
        if (!t)
            return false;
        memmove(r->types + i + 1, r->types + i, (r->ntypes - i) * sizeof *nt);
        r->types[i] = (type_row){t, 0, 0};
        r->ntypes++;
    }
    r->types[i].correct += correct;
    r->types[i].total += total;
    return true;
}

typedef struct {
    int64_t s, e;
    size_t q;
} flat_span;

static int cmp_flat(const void *a, const void *b) {
    const flat_span *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e < y->e ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

typedef struct {
    const char *pid; /* predicted character id */
    const char *gid; /* the gold character it maps to, or NULL */
} char_map;

static int cmp_char_map(const void *a, const void *b) {
    return strcmp(((const char_map *)a)->pid, ((const char_map *)b)->pid);
}

static int64_t overlap(int64_t s1, int64_t e1, int64_t s2, int64_t e2) {
    int64_t lo = s1 > s2 ? s1 : s2, hi = e1 < e2 ? e1 : e2;
    return hi > lo ? hi - lo : 0;
}

typedef struct {
    size_t q;
    int64_t o;
} hit;

/* Scores the rendered result (parsed) against the gold. */
static int score(const eval_opts *o, const gold_work *g, json_t *result, score_row *r) {
    int rc = EVAL_EXIT_OK;
    json_t *pchars = json_object_get(result, "characters"), *pq = json_object_get(result, "quotes");
    size_t npc = json_array_size(pchars), npq = json_array_size(pq);
    char_map *cmap = calloc(npc + 1, sizeof *cmap);
    const char **qspeaker = calloc(npq + 1, sizeof *qspeaker); /* gold id of each prediction */
    int64_t *plen = calloc(npq + 1, sizeof *plen), *pcov = calloc(npq + 1, sizeof *pcov);
    size_t nflat = 0;
    for (size_t i = 0; i < npq; i++)
        nflat += json_array_size(json_object_get(json_array_get(pq, i), "spans"));
    flat_span *flat = calloc(nflat + 1, sizeof *flat);
    hit *hits = NULL;
    size_t hcap = 0;
    if (!cmap || !qspeaker || !plen || !pcov || !flat) {
        rc = NOMEM(o);
        goto out;
    }

    /* predicted characters: pchars = {id: c}, the last of a repeated id wins */
    size_t nmap = 0;
    for (size_t i = 0; i < npc; i++) {
        json_t *c = json_array_get(pchars, i);
        const char *pid = json_string_value(json_object_get(c, "id"));
        if (!pid)
            continue;
        const char *gid = NULL;
        json_t *name = json_object_get(c, "name"), *aliases = json_object_get(c, "aliases");
        size_t na = json_array_size(aliases);
        for (size_t a = 0; a <= na && !gid; a++) {
            const char *s = a == 0 ? (json_is_string(name) ? json_string_value(name) : "")
                                   : json_string_value(json_array_get(aliases, a - 1));
            if (!s)
                continue;
            char *k = norm_name(s);
            if (!k) {
                rc = NOMEM(o);
                goto out;
            }
            gid = alias_lookup(g, k);
            free(k);
        }
        cmap[nmap++] = (char_map){pid, gid};
    }
    /* stable sort by id, then keep the last of each id */
    for (size_t i = 1; i < nmap; i++) { /* insertion sort keeps order; ids are few */
        char_map x = cmap[i];
        size_t j = i;
        while (j > 0 && cmp_char_map(&cmap[j - 1], &x) > 0) {
            cmap[j] = cmap[j - 1];
            j--;
        }
        cmap[j] = x;
    }
    size_t w = 0;
    for (size_t i = 0; i < nmap; i++) {
        if (i + 1 < nmap && !strcmp(cmap[i].pid, cmap[i + 1].pid))
            continue;
        cmap[w++] = cmap[i];
    }
    nmap = w;
    r->pred_chars = nmap;
    for (size_t i = 0; i < nmap; i++)
        r->mapped_chars += cmap[i].gid != NULL;

    /* predicted quotations: spans, length, the gold id of the speaker */
    nflat = 0;
    for (size_t i = 0; i < npq; i++) {
        json_t *q = json_array_get(pq, i);
        json_t *spans = json_object_get(q, "spans");
        for (size_t k = 0; k < json_array_size(spans); k++) {
            json_t *sp = json_array_get(spans, k);
            int64_t s = json_integer_value(json_array_get(sp, 0));
            int64_t e = json_integer_value(json_array_get(sp, 1));
            flat[nflat++] = (flat_span){s, e, i};
            plen[i] += e - s;
        }
        const char *sid = json_string_value(json_object_get(q, "speaker"));
        if (sid) {
            char_map key = {sid, NULL};
            const char_map *m = bsearch(&key, cmap, nmap, sizeof *cmap, cmp_char_map);
            qspeaker[i] = m ? m->gid : NULL;
        }
    }
    qsort(flat, nflat, sizeof *flat, cmp_flat);
    int64_t maxlen = 0;
    for (size_t i = 0; i < nflat; i++)
        if (flat[i].e - flat[i].s > maxlen)
            maxlen = flat[i].e - flat[i].s;

    size_t det = 0, det_eligible = 0, det_correct = 0;
    for (size_t gi = 0; gi < g->nquotes; gi++) {
        const gold_quote *gq = &g->quotes[gi];
        int64_t glen = 0;
        size_t nh = 0; /* predictions hit, in the order score.py's Counter meets them */
        for (size_t k = 0; k < gq->nspans; k++) {
            int64_t s = gq->spans[2 * k], e = gq->spans[2 * k + 1];
            glen += e - s;
            /* bisect_left(starts, s - maxlen) */
            size_t lo = 0, hi = nflat;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (flat[mid].s < s - maxlen)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t j = lo; j < nflat && flat[j].s < e; j++) {
                int64_t ov = overlap(s, e, flat[j].s, flat[j].e);
                if (!ov)
                    continue;
                size_t h = 0;
                while (h < nh && hits[h].q != flat[j].q)
                    h++;
                if (h == nh) {
                    if (nh == hcap) {
                        size_t ncap = hcap ? hcap * 2 : 16;
                        hit *nhits = realloc(hits, ncap * sizeof *nhits);
                        if (!nhits) {
                            rc = NOMEM(o);
                            goto out;
                        }
                        hits = nhits;
                        hcap = ncap;
                    }
                    hits[nh++] = (hit){flat[j].q, 0};
                }
                hits[h].o += ov;
            }
        }
        size_t best = SIZE_MAX;
        for (size_t h = 0; h < nh; h++) {
            pcov[hits[h].q] += hits[h].o;
            if (best == SIZE_MAX || hits[h].o > hits[best].o)
                best = h;
        }
        bool found = best != SIZE_MAX && hits[best].o * 2 >= glen;
        det += found;
        if (!gq->speaker || in_sorted(g->skip, g->nskip, gq->speaker))
            continue;
        r->eligible++;
        bool ok = false;
        if (found) {
            det_eligible++;
            const char *sp = qspeaker[hits[best].q];
            ok = sp && !strcmp(sp, gq->speaker);
            r->correct += ok;
            det_correct += ok;
        }
        if (!type_add(r, gq->type, ok, 1)) {
            rc = NOMEM(o);
            goto out;
        }
    }
    size_t pcorrect = 0;
    for (size_t i = 0; i < npq; i++)
        pcorrect += plen[i] && pcov[i] * 2 >= plen[i];
    r->gold_quotes = g->nquotes;
    r->pred_quotes = npq;
    r->recall = (double)det / (double)(g->nquotes ? g->nquotes : 1);
    r->precision = (double)pcorrect / (double)(npq ? npq : 1);
    r->accuracy = (double)r->correct / (double)(r->eligible ? r->eligible : 1);
    r->acc_detected = (double)det_correct / (double)(det_eligible ? det_eligible : 1);
    double sum = r->precision + r->recall;
    r->f1 = 2 * r->precision * r->recall / (sum > 1e-9 ? sum : 1e-9);
out:
    free(cmap);
    free(qspeaker);
    free(plen);
    free(pcov);
    free(flat);
    free(hits);
    return rc;
}

/* score.py's pooled(). */
static int pool(const eval_opts *o, const score_row *rows, size_t n, score_row *p) {
    memset(p, 0, sizeof *p);
    if (!(p->work = strdup("POOLED")))
        return NOMEM(o);
    p->works = n;
    double macro = 0, rec = 0, prec = 0;
    for (size_t i = 0; i < n; i++) {
        p->gold_quotes += rows[i].gold_quotes;
        p->pred_quotes += rows[i].pred_quotes;
        p->eligible += rows[i].eligible;
        p->correct += rows[i].correct;
        macro += rows[i].accuracy;
        rec += rows[i].recall * (double)rows[i].gold_quotes;
        prec += rows[i].precision * (double)rows[i].pred_quotes;
        for (size_t t = 0; t < rows[i].ntypes; t++)
            if (!type_add(p, rows[i].types[t].type, rows[i].types[t].correct,
                          rows[i].types[t].total))
                return NOMEM(o);
    }
    p->accuracy = (double)p->correct / (double)(p->eligible ? p->eligible : 1);
    p->macro = macro / (double)(n ? n : 1);
    p->recall = rec / (double)(p->gold_quotes ? p->gold_quotes : 1);
    p->precision = prec / (double)(p->pred_quotes ? p->pred_quotes : 1);
    return EVAL_EXIT_OK;
}

/* ---- output (score.py's line() and json.dumps()) -------------------------- */

/* Writes at most max characters (code points) of s, padded to width. */
static void put_chars(FILE *f, const char *s, size_t max, size_t width) {
    size_t n = 0, i = 0;
    while (s[i] && n < max) {
        size_t k = 1;
        while (((unsigned char)s[i + k] & 0xc0) == 0x80)
            k++;
        fwrite(s + i, 1, k, f);
        i += k;
        n++;
    }
    for (; n < width; n++)
        fputc(' ', f);
}

static void print_line(FILE *f, const score_row *r) {
    put_chars(f, r->work, 28, 28);
    fprintf(f, " acc=%.3f det_R=%.3f det_P=%.3f n=%zu ", r->accuracy, r->recall, r->precision,
            r->eligible);
    for (size_t t = 0; t < r->ntypes; t++) {
        if (t)
            fputc(' ', f);
        put_chars(f, r->types[t].type, 4, 0);
        fprintf(f, "=%.3f",
                (double)r->types[t].correct / (double)(r->types[t].total ? r->types[t].total : 1));
    }
    fputc('\n', f);
}

/* A float as Python's repr() writes it: the shortest digits that read back
 * as the same double; fixed notation for 1e-4 <= |x| < 1e16. */
static void put_float(FILE *f, double x) {
    if (x != x) {
        fputs("NaN", f);
        return;
    }
    if (x == 0) {
        fputs(signbit(x) ? "-0.0" : "0.0", f);
        return;
    }
    /* cppcheck reads this as always false; it is true for +-infinity */
    // cppcheck-suppress incorrectLogicOperator
    if (x > 1.7976931348623157e308 || x < -1.7976931348623157e308) {
        fputs(x < 0 ? "-Infinity" : "Infinity", f);
        return;
    }
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    /* buf: [-]d[.ddd]e±XX */
    const char *s = buf;
    if (*s == '-') {
        fputc('-', f);
        s++;
    }
    char digits[32];
    size_t nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.')
            digits[nd++] = *s;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    int exp10 = atoi(s + 1);
    int decpt = exp10 + 1; /* x = 0.digits * 10^decpt */
    if (decpt <= -4 || decpt > 16) {
        fputc(digits[0], f);
        if (nd > 1)
            fprintf(f, ".%s", digits + 1);
        fprintf(f, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    } else if (decpt <= 0) {
        fputs("0.", f);
        for (int i = 0; i < -decpt; i++)
            fputc('0', f);
        fputs(digits, f);
    } else if ((size_t)decpt < nd) {
        fprintf(f, "%.*s.%s", decpt, digits, digits + decpt);
    } else {
        fputs(digits, f);
        for (size_t i = nd; i < (size_t)decpt; i++)
            fputc('0', f);
        fputs(".0", f);
    }
}

/* A string as json.dumps() writes it (ensure_ascii). */
static void put_json_string(FILE *f, const char *s) {
    fputc('"', f);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0) { /* a byte Python's argv decoding would keep as a surrogate */
            c = 0xdc00 + *p;
            k = 1;
        }
        p += k;
        left -= k;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (c < 0x20 || (c >= 0x7f && c < 0x10000)) {
                fprintf(f, "\\u%04x", (unsigned)c);
            } else if (c >= 0x10000) {
                unsigned v = (unsigned)c - 0x10000;
                fprintf(f, "\\u%04x\\u%04x", 0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
            } else {
                fputc((int)c, f);
            }
        }
    }
    fputc('"', f);
}

static void put_types(FILE *f, const score_row *r) {
    fputs("\"by_type\": {", f);
    for (size_t t = 0; t < r->ntypes; t++) {
        const type_row *tr = &r->types[t];
        if (t)
            fputs(", ", f);
        put_json_string(f, tr->type);
        fprintf(f, ": {\"correct\": %zu, \"total\": %zu, \"accuracy\": ", tr->correct, tr->total);
        put_float(f, (double)tr->correct / (double)(tr->total ? tr->total : 1));
        fputc('}', f);
    }
    fputc('}', f);
}

#define FIELD_F(f, key, v) (fputs(", \"" key "\": ", f), put_float(f, v))

static void print_json(FILE *f, const score_row *r, bool pooled) {
    fputs("{\"work\": ", f);
    put_json_string(f, r->work);
    if (pooled) {
        fprintf(f,
                ", \"works\": %zu, \"gold_quotes\": %zu, \"pred_quotes\": %zu, "
                "\"speaker_eligible\": %zu, \"speaker_correct\": %zu",
                r->works, r->gold_quotes, r->pred_quotes, r->eligible, r->correct);
        FIELD_F(f, "accuracy", r->accuracy);
        FIELD_F(f, "macro_accuracy", r->macro);
        FIELD_F(f, "detect_recall", r->recall);
        FIELD_F(f, "detect_precision", r->precision);
        fputs(", ", f);
        put_types(f, r);
    } else {
        fprintf(f, ", \"gold_quotes\": %zu, \"pred_quotes\": %zu", r->gold_quotes, r->pred_quotes);
        FIELD_F(f, "detect_recall", r->recall);
        FIELD_F(f, "detect_precision", r->precision);
        fprintf(f, ", \"speaker_eligible\": %zu, \"speaker_correct\": %zu", r->eligible,
                r->correct);
        FIELD_F(f, "accuracy", r->accuracy);
        FIELD_F(f, "accuracy_on_detected", r->acc_detected);
        fputs(", ", f);
        put_types(f, r);
        fprintf(f, ", \"pred_characters\": %zu, \"mapped_characters\": %zu", r->pred_chars,
                r->mapped_chars);
        FIELD_F(f, "detect_f1", r->f1);
    }
    fputs("}\n", f);
}

/* ---- one work ------------------------------------------------------------- */

static int eval_work(const eval_opts *o, const char *dir, const char *name, score_row *r) {
    gold_work g = {0};
    g.dir = dir;
    char *text_path = path_join(dir, "text.txt");
    g.chars_path = path_join(dir, "characters.json");
    g.quotes_path = path_join(dir, "quotes.jsonl");
    char *text = NULL, *rendered = NULL;
    quoth_cast *cast = NULL;
    quoth_doc *doc = NULL;
    json_t *result = NULL;
    int rc;
    if (!text_path || !g.chars_path || !g.quotes_path) {
        rc = NOMEM(o);
        goto out;
    }
    if ((rc = load_characters(o, &g)) || (rc = load_quotes(o, &g)))
        goto out;
    if (o->cast_from_gold) {
        size_t clen;
        char *ctext = cast_text(&g, &clen);
        if (!ctext) {
            rc = NOMEM(o);
            goto out;
        }
        quoth_error cerr;
        cast = quoth_cast_parse(ctext, clen, &cerr);
        free(ctext);
        if (!cast) {
            fprintf(stderr, "%s: eval: %s: the cast made from it is invalid (cast line %zu: %s)\n",
                    o->progname, g.chars_path, cerr.line, cerr.message);
            rc = cerr.status == QUOTH_ERR_NOMEM ? EVAL_EXIT_INTERNAL : EVAL_EXIT_GOLD;
            goto out;
        }
    }
    size_t len;
    if (!(text = slurp(text_path, &len))) {
        fprintf(stderr, "%s: eval: cannot read '%s': %s\n", o->progname, text_path,
                strerror(errno));
        rc = EVAL_EXIT_INPUT;
        goto out;
    }
    quoth_options opts = {0};
    opts.cast = cast;
    opts.ranker_weights = o->weights;
    opts.flags = o->features_dir ? QUOTH_OPT_FEATURES : 0;
    quoth_error err;
    doc = quoth_parse(text, len, &opts, &err);
    if (!doc) {
        fprintf(stderr, "%s: eval: %s: %s\n", o->progname, text_path, err.message);
        rc = err.status == QUOTH_ERR_LIMIT ? EVAL_EXIT_LIMIT : EVAL_EXIT_INTERNAL;
        goto out;
    }
    if (o->features_dir) {
        size_t flen;
        const char *ftext = quoth_doc_features(doc, &flen);
        size_t n = strlen(o->features_dir) + strlen(name) + 32;
        char *fpath = malloc(n);
        if (!fpath) {
            rc = NOMEM(o);
            goto out;
        }
        snprintf(fpath, n, "%s/%s.features.tsv", o->features_dir, name);
        FILE *ff = fopen(fpath, "wb");
        bool ok = ff && fwrite(ftext, 1, flen, ff) == flen;
        if (ff && fclose(ff) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "%s: eval: cannot write '%s': %s\n", o->progname, fpath, strerror(errno));
            free(fpath);
            rc = EVAL_EXIT_OUTPUT;
            goto out;
        }
        free(fpath);
    }
    size_t rlen;
    if (!(rendered = quoth_render_string(doc, QUOTH_FORMAT_JSON, QUOTH_RENDER_DEFAULT, &rlen))) {
        rc = NOMEM(o);
        goto out;
    }
    json_error_t jerr;
    if (!(result = json_loadb(rendered, rlen, JSON_ALLOW_NUL, &jerr))) {
        fprintf(stderr, "%s: eval: %s: quoth's JSON result does not parse (%d:%d: %s)\n",
                o->progname, text_path, jerr.line, jerr.column, jerr.text);
        rc = EVAL_EXIT_INTERNAL;
        goto out;
    }
    if (!(r->work = strdup(name))) {
        rc = NOMEM(o);
        goto out;
    }
    rc = score(o, &g, result, r);
out:
    json_decref(result);
    free(rendered);
    quoth_doc_free(doc);
    quoth_cast_free(cast);
    free(text);
    free(text_path);
    gold_free(&g);
    return rc;
}

/* ---- finding the works ---------------------------------------------------- */

typedef struct {
    char *dir;  /* the work's folder */
    char *name; /* what score.py calls it: the folder's name */
} work;

typedef struct {
    work *v;
    size_t n, cap;
} work_list;

static bool works_add(work_list *l, char *dir, char *name) {
    if (!dir || !name) {
        free(dir);
        free(name);
        return false;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        work *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            free(dir);
            free(name);
            return false;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = (work){dir, name};
    return true;
}

static bool has_quotes(const char *dir) {
    char *q = path_join(dir, "quotes.jsonl");
    bool r = q && is_file(q);
    free(q);
    return r;
}

/* The folder name of a path as os.path.basename(os.path.abspath(p)) gives it. */
static char *dir_name(const char *path) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && path[s - 1] != '/')
        s--;
    if ((n - s == 1 && path[s] == '.') || (n - s == 2 && path[s] == '.' && path[s + 1] == '.') ||
        n == s) {
        char *real = realpath(path, NULL);
        if (!real)
            return strdup(path);
        const char *b = strrchr(real, '/');
        char *r = strdup(b && b[1] ? b + 1 : real);
        free(real);
        return r;
    }
    char *r = malloc(n - s + 1);
    if (r) {
        memcpy(r, path + s, n - s);
        r[n - s] = '\0';
    }
    return r;
}

/* A GOLD_DIR is a work, or a folder whose subfolders (in name order) are. */
static int find_works(const eval_opts *o, const char *gold, work_list *l) {
    if (!is_dir(gold)) {
        fprintf(stderr,
                "%s: eval: no corpus at '%s': %s (expected a work folder with quotes.jsonl, or a "
                "folder of them)\n",
                o->progname, gold,
                errno == ENOENT || errno == 0 ? "no such folder" : strerror(errno));
        return EVAL_EXIT_INPUT;
    }
    size_t first = l->n;
    if (has_quotes(gold)) {
        if (!works_add(l, strdup(gold), dir_name(gold)))
            return NOMEM(o);
    } else {
        DIR *d = opendir(gold);
        if (!d) {
            fprintf(stderr, "%s: eval: cannot read the folder '%s': %s\n", o->progname, gold,
                    strerror(errno));
            return EVAL_EXIT_INPUT;
        }
        char **names = NULL;
        size_t nn = 0, cap = 0;
        bool oom = false;
        struct dirent *de;
        while (!oom && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char *sub = path_join(gold, de->d_name);
            if (!sub) {
                oom = true;
                break;
            }
            if (has_quotes(sub)) {
                if (nn == cap) {
                    size_t ncap = cap ? cap * 2 : 16;
                    char **nv = realloc(names, ncap * sizeof *nv);
                    if (!nv) {
                        free(sub);
                        oom = true;
                        break;
                    }
                    names = nv;
                    cap = ncap;
                }
                if (!(names[nn] = strdup(de->d_name)))
                    oom = true;
                else
                    nn++;
            }
            free(sub);
        }
        closedir(d);
        if (!oom) {
            if (nn)
                qsort(names, nn, sizeof *names, cmp_str);
            for (size_t i = 0; i < nn && !oom; i++)
                oom = !works_add(l, path_join(gold, names[i]), strdup(names[i]));
        }
        for (size_t i = 0; i < nn; i++)
            free(names[i]);
        free(names);
        if (oom)
            return NOMEM(o);
    }
    if (l->n == first) {
        fprintf(
            stderr,
            "%s: eval: '%s' holds no annotated work (no quotes.jsonl in it or its subfolders)\n",
            o->progname, gold);
        return EVAL_EXIT_INPUT;
    }
    for (size_t i = first; i < l->n; i++) {
        static const char *const need[] = {"text.txt", "characters.json"};
        for (size_t k = 0; k < 2; k++) {
            char *p = path_join(l->v[i].dir, need[k]);
            if (!p)
                return NOMEM(o);
            bool ok = is_file(p);
            int e = errno;
            if (!ok)
                fprintf(stderr, "%s: eval: the work '%s' has no readable %s ('%s': %s)\n",
                        o->progname, l->v[i].dir, need[k], p,
                        e == 0 || e == EISDIR ? "not a file" : strerror(e));
            free(p);
            if (!ok)
                return EVAL_EXIT_INPUT;
        }
    }
    return EVAL_EXIT_OK;
}

/* ---- the command ---------------------------------------------------------- */

static void eval_usage(FILE *f, const char *progname) {
    fprintf(f,
            "Usage: %s eval [--cast-from-gold] [--json] GOLD_DIR...\n"
            "\n"
            "Runs quoth over annotated works and scores it as ../shared/tools/score.py\n"
            "does. A GOLD_DIR is one work (a folder with text.txt, characters.json and\n"
            "quotes.jsonl) or a folder whose subfolders are works.\n"
            "\n"
            "Options:\n"
            "      --cast-from-gold  give quoth a cast made from each work's characters.json\n"
            "                        (as tools/cast_from_gold.py makes it)\n"
            "      --json            one JSON object per work and one for POOLED, as\n"
            "                        score.py --json prints them\n"
            "      --ranker-weights FILE\n"
            "                        developer: the ranker's weights from FILE (as\n"
            "                        tools/ranker/train writes them), not the built-in ones\n"
            "      --features-dir DIR\n"
            "                        developer: write the ranker's feature table of each\n"
            "                        work to DIR/WORK.features.tsv (training data)\n"
            "  -h, --help            show this help\n"
            "\n"
            "Prints one line per work and a POOLED line: speaker accuracy, quotation\n"
            "recall and precision, the number of quotations with a real speaker, and the\n"
            "accuracy per type (explicit, anaphoric, implicit).\n"
            "\n"
            "Exit status: 0 success, 2 usage error, 3 a gold folder or file is missing or\n"
            "unreadable, 4 gold JSON is invalid, 5 a text exceeds a limit, 6 output failed.\n",
            progname);
}

int quoth_eval_main(int argc, char **argv, const char *progname) {
    eval_opts o = {progname, false, false, NULL, NULL};
    char *weights = NULL;
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    if (!dirs)
        return NOMEM(&o);
    size_t ndirs = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            eval_usage(stdout, progname);
            free(dirs);
            return EVAL_EXIT_OK;
        } else if (!options_done && !strcmp(a, "--cast-from-gold")) {
            o.cast_from_gold = true;
        } else if (!options_done && !strcmp(a, "--json")) {
            o.json = true;
        } else if (!options_done && (!strcmp(a, "--ranker-weights") || !strcmp(a, "--features-dir"))) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: eval: a value is missing after '%s'\n", progname, a);
                free(dirs);
                free(weights);
                return EVAL_EXIT_USAGE;
            }
            if (!strcmp(a, "--features-dir")) {
                o.features_dir = argv[++i];
                continue;
            }
            size_t wl;
            free(weights);
            if (!(weights = slurp(argv[++i], &wl))) {
                fprintf(stderr, "%s: eval: cannot read '%s': %s\n", progname, argv[i], strerror(errno));
                free(dirs);
                return EVAL_EXIT_INPUT;
            }
            o.weights = weights;
        } else if (!options_done && !strcmp(a, "--")) {
            options_done = true;
        } else if (!options_done && a[0] == '-' && a[1]) {
            fprintf(stderr,
                    "%s: eval: unknown option '%s'\nTry '%s eval --help' for more information.\n",
                    progname, a, progname);
            free(dirs);
            free(weights);
            return EVAL_EXIT_USAGE;
        } else {
            dirs[ndirs++] = a;
        }
    }
    if (!ndirs) {
        fprintf(stderr, "%s: eval: no GOLD_DIR given\nTry '%s eval --help' for more information.\n",
                progname, progname);
        free(dirs);
        free(weights);
        return EVAL_EXIT_USAGE;
    }

    work_list works = {0};
    score_row *rows = NULL;
    size_t nrows = 0;
    score_row pooled = {0};
    int rc = EVAL_EXIT_OK;
    for (size_t i = 0; i < ndirs && rc == EVAL_EXIT_OK; i++)
        rc = find_works(&o, dirs[i], &works);
    if (rc == EVAL_EXIT_OK && !(rows = calloc(works.n + 1, sizeof *rows)))
        rc = NOMEM(&o);
    for (size_t i = 0; i < works.n && rc == EVAL_EXIT_OK; i++) {
        rc = eval_work(&o, works.v[i].dir, works.v[i].name, &rows[i]);
        nrows = i + 1;
    }
    if (rc == EVAL_EXIT_OK)
        rc = pool(&o, rows, nrows, &pooled);
    if (rc == EVAL_EXIT_OK) {
        for (size_t i = 0; i < nrows; i++) {
            if (o.json)
                print_json(stdout, &rows[i], false);
            else
                print_line(stdout, &rows[i]);
        }
        if (o.json)
            print_json(stdout, &pooled, true);
        else
            print_line(stdout, &pooled);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "%s: eval: writing the report failed: %s\n", progname, strerror(errno));
            rc = EVAL_EXIT_OUTPUT;
        }
    }
    row_free(&pooled);
    for (size_t i = 0; i < nrows; i++)
        row_free(&rows[i]);
    free(rows);
    for (size_t i = 0; i < works.n; i++) {
        free(works.v[i].dir);
        free(works.v[i].name);
    }
    free(works.v);
    free(dirs);
    free(weights);
    return rc;
}
