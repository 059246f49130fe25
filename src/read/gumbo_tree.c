/*
 * gumbo_tree.c — gumbo's node tree built from another parser's events
 * (see gumbo_tree.h).
 */
#include "gumbo_tree.h"

#include <stdlib.h>
#include <string.h>

bool gumbo_tree_init(gumbo_tree *t, arena *mem) {
    memset(t, 0, sizeof *t);
    t->mem = mem;
    buf_init(&t->text);
    t->document = arena_alloc(mem, sizeof *t->document);
    if (!t->document)
        return false;
    t->document->type = GUMBO_NODE_DOCUMENT;
    return true;
}

bool gumbo_tree_push_kid(gumbo_tree *t, GumboNode *n) {
    if (t->nkids == t->cap_kids) {
        size_t nc = t->cap_kids ? t->cap_kids * 2 : 256;
        GumboNode **k = realloc(t->kids, nc * sizeof *k);
        if (!k)
            return false;
        t->kids = k;
        t->cap_kids = nc;
    }
    t->kids[t->nkids++] = n;
    return true;
}

bool gumbo_tree_push_open(gumbo_tree *t, GumboNode *n) {
    if (t->nopen == t->cap_open) {
        size_t nc = t->cap_open ? t->cap_open * 2 : 64;
        gumbo_tree_open *o = realloc(t->open, nc * sizeof *o);
        if (!o)
            return false;
        t->open = o;
        t->cap_open = nc;
    }
    t->open[t->nopen].node = n;
    t->open[t->nopen].first_child = t->nkids;
    t->nopen++;
    return true;
}

GumboNode *gumbo_tree_close(gumbo_tree *t) {
    gumbo_tree_open *o = &t->open[t->nopen - 1];
    size_t n = t->nkids - o->first_child;
    if (n) {
        void **kids = arena_alloc_uninit(t->mem, n * sizeof *kids);
        if (!kids)
            return NULL;
        for (size_t i = 0; i < n; i++) {
            GumboNode *k = t->kids[o->first_child + i];
            k->parent = o->node;
            k->index_within_parent = i;
            kids[i] = k;
        }
        o->node->v.element.children.data = kids;
        o->node->v.element.children.length = o->node->v.element.children.capacity = (unsigned)n;
    }
    t->nkids = o->first_child;
    t->nopen--;
    return o->node;
}

GumboNode *gumbo_tree_text(gumbo_tree *t, const char *src, size_t start, size_t end, const char *ws) {
    size_t tl = t->text.len;
    t->text.len = 0;
    GumboNode *n = arena_alloc(t->mem, sizeof *n);
    char *s = n ? arena_strndup(t->mem, t->text.data ? t->text.data : "", tl) : NULL;
    if (!s || t->text.failed || !gumbo_tree_push_kid(t, n))
        return NULL;
    bool white = true;
    for (size_t i = 0; i < tl && white; i++)
        white = strchr(ws, s[i]) != NULL && s[i] != '\0'; /* the copy: t->text.data may be NULL */
    n->type = white ? GUMBO_NODE_WHITESPACE : GUMBO_NODE_TEXT;
    n->v.text.text = s;
    n->v.text.original_text.data = src + start;
    n->v.text.original_text.length = end - start;
    n->v.text.start_pos.offset = (unsigned)start;
    return n;
}

GumboNode *gumbo_tree_finish(gumbo_tree *t, bool ok) {
    if (ok) {
        void **kids = arena_alloc_uninit(t->mem, sizeof *kids);
        if (kids) {
            t->kids[0]->parent = t->document;
            t->kids[0]->index_within_parent = 0;
            kids[0] = t->kids[0];
            t->document->v.document.children.data = kids;
            t->document->v.document.children.length = t->document->v.document.children.capacity = 1;
        } else {
            ok = false;
        }
    }
    free(t->kids);
    free(t->open);
    buf_free(&t->text);
    t->kids = NULL;
    t->open = NULL;
    return ok ? t->document : NULL;
}
