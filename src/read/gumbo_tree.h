/*
 * gumbo_tree.h — building gumbo's own node tree from another parser's
 * events (xhtml.c: libxml2's SAX; html_clean.c: the clean-subset
 * tokenizer), so the site detection, walker and offset map of html.c read
 * it as if gumbo had parsed the page. Internal to src/read/.
 *
 * Children are collected on one stack (kids) while their element is open
 * (open); closing an element hands it its children as one arena array.
 * Nodes and strings live in the caller's arena; the stacks and the
 * pending text are malloc'd and freed by gumbo_tree_finish.
 */
#ifndef QUOTH_READ_GUMBO_TREE_H
#define QUOTH_READ_GUMBO_TREE_H

#include <gumbo.h>
#include <stdbool.h>
#include <stddef.h>

#include "read_internal.h"

typedef struct {
    GumboNode *node;
    size_t first_child; /* index in kids */
} gumbo_tree_open;

typedef struct {
    arena *mem;
    GumboNode *document;
    GumboNode **kids; /* children of every open element, in order */
    size_t nkids, cap_kids;
    gumbo_tree_open *open;
    size_t nopen, cap_open;
    buf text; /* the decoded text of the pending text node */
} gumbo_tree;

/* Starts a tree: the document node in mem. false: out of memory. */
bool gumbo_tree_init(gumbo_tree *t, arena *mem);
/* Appends n to the children of the open element. */
bool gumbo_tree_push_kid(gumbo_tree *t, GumboNode *n);
/* n (already a kid) becomes the open element. */
bool gumbo_tree_push_open(gumbo_tree *t, GumboNode *n);
/* Closes the innermost open element, handing it its children; returns it,
 * or NULL when out of memory (nothing is popped then). */
GumboNode *gumbo_tree_close(gumbo_tree *t);
/* Ends the pending text (t->text) as a text node whose source is
 * src[start, end), white space when every byte of it is in ws; t->text is
 * emptied. NULL when out of memory. */
GumboNode *gumbo_tree_text(gumbo_tree *t, const char *src, size_t start, size_t end, const char *ws);
/* When ok, hands the document its one child (the <html> element) and
 * returns it; frees the stacks and the text either way. NULL when !ok or
 * out of memory. */
GumboNode *gumbo_tree_finish(gumbo_tree *t, bool ok);

#endif
