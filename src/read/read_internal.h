/*
 * read_internal.h — what the readers (src/read/) share: the reading under
 * construction and the writer every reader emits story text through, which
 * keeps the offset map, collapses white space, separates paragraphs and
 * records paratext spans.
 */
#ifndef QUOTH_READ_INTERNAL_H
#define QUOTH_READ_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../internal.h"
#include "quoth_read.h"
#include "read_testing.h"

#define READ_NO_ENTRY UINT32_MAX

/* One run of the offset map: from text byte `text` on, bytes map to
 * `source` onwards (exact: copied bytes, offsets advance together) or all
 * to `source` (the reader wrote them: breaks, decoded entities, titles). */
typedef struct {
    size_t text;
    size_t source;
    uint32_t entry;
    bool exact;
} read_piece;

enum { PENDING_NONE = 0, PENDING_SPACE = 1, PENDING_BREAK = 2 };

struct quoth_reading {
    arena mem;
    buf text;
    const char *reader;
    quoth_meta *meta;
    size_t nmeta, cap_meta;
    quoth_span *paratext;
    size_t nparatext, cap_paratext;
    read_piece *pieces;
    size_t npieces, cap_pieces;
    const char **entries; /* EPUB entry names */
    size_t nentries, cap_entries;
    uint32_t cur_entry;
    size_t source_len; /* length of the (last) source, for text_offset == len */
    char *cast_hint;
    size_t cast_len;
    /* the writer */
    int pending;
    size_t pending_src;
    int paratext_depth;
    bool paratext_waiting; /* a paratext span starts with the next text */
    size_t paratext_start;
    bool failed; /* out of memory somewhere */
    /* which parsers built the HTML trees (READ_TREE_*), and whether only
     * gumbo may (read_for_testing: tests and the differential fuzz target) */
    unsigned html_trees;
    bool gumbo_only;
};

enum {
    READ_TREE_GUMBO = READ_TESTING_GUMBO,
    READ_TREE_XML = READ_TESTING_XML,
    READ_TREE_CLEAN = READ_TESTING_CLEAN
};

/* The writer. exact: src is the source offset of s[0] and s was copied
 * byte for byte; otherwise every byte maps to src. */
void read_put(quoth_reading *r, const char *s, size_t n, size_t src, bool exact);
/* read_put(r, s, n, 0, true) as the first text of r, which takes s over
 * (malloc'd, s[n] == '\0') instead of copying it. */
void read_put_owned(quoth_reading *r, char *s, size_t n);
/* Inline text: runs of white space collapse to one space, and nothing is
 * written at the start of a paragraph. */
void read_inline(quoth_reading *r, const char *s, size_t n, size_t src, bool exact);
/* One byte of inline text (the HTML reader's aligned decoding). */
void read_inline_byte(quoth_reading *r, char c, size_t src, bool exact);
/* Ends the paragraph: the next text starts after a blank line. */
void read_break(quoth_reading *r, size_t src);
/* A heading line of its own ("# " added unless segment.c already takes the
 * title as a heading). */
void read_heading(quoth_reading *r, const char *title, size_t n, size_t src);
/* A scene break line "* * *". */
void read_scene_break(quoth_reading *r, size_t src);
/* Paragraphs written between begin and end are paratext (nestable). */
void read_paratext_begin(quoth_reading *r, size_t src);
void read_paratext_end(quoth_reading *r, size_t src);

/* Metadata (the value is trimmed and copied; empty values are dropped).
 * read_meta_once skips a key that is already there. */
void read_meta(quoth_reading *r, const char *key, const char *value, size_t n);
void read_meta_once(quoth_reading *r, const char *key, const char *value, size_t n);
bool read_has_meta(const quoth_reading *r, const char *key);
/* Records an EPUB entry name and makes it the current source. */
bool read_set_entry(quoth_reading *r, const char *name);

/* The readers. Each appends to r; errors fill err and return a status. */
quoth_status read_text(quoth_reading *r, const char *bytes, size_t len);
quoth_status read_markdown(quoth_reading *r, const char *bytes, size_t len);
/* site_out (may be NULL): "ao3", "ffn", "fanficfare" or "html".
 * meta_only: collect metadata, write no text (an EPUB's title page).
 * xhtml: the bytes should be XHTML (an EPUB chapter, a file that starts
 * with <?xml): tried with libxml2 first, gumbo when it is not well-formed. */
quoth_status read_html(quoth_reading *r, const char *bytes, size_t len, bool meta_only, bool xhtml,
                       const char **site_out, quoth_error *err);
/* xhtml.c: gumbo's tree for well-formed XHTML, built by libxml2 in mem;
 * NULL when this path cannot give exactly that tree (then use gumbo). */
struct GumboInternalNode;
struct GumboInternalNode *read_xhtml_tree(const char *bytes, size_t len, arena *mem);
/* html_clean.c: gumbo's tree for an HTML page in the clean subset (see
 * there), built in mem; NULL for any other page (then use gumbo). */
struct GumboInternalNode *read_clean_html_tree(const char *bytes, size_t len, arena *mem);
quoth_status read_epub(quoth_reading *r, const char *bytes, size_t len, quoth_error *err);

/* Is this (the start of) HTML? Used by sniffing. */
bool read_looks_like_html(const char *bytes, size_t len);

#endif
