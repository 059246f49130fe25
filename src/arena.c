/*
 * arena.c — one bump allocator per document. Everything a document owns is
 * freed at once with it; no per-object frees, no leaks by construction.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct arena_chunk {
    arena_chunk *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

#define ARENA_MIN_CHUNK ((size_t)64 * 1024)
/* A growing array larger than this gets a chunk of its own (arena_grow):
 * below it, each doubling leaves the old copy behind in the arena, so
 * the copies an array leaves stay under twice this. */
#define ARENA_SOLE_ARRAY ((size_t)4 * 1024)

/* at or above the CLI's mmap threshold (internal.h) */
#define ARENA_SCRATCH_CHUNK ((size_t)256 * 1024)
/* documents from this size on get those chunks */
#define ARENA_SCRATCH_DOC ((size_t)256 * 1024)

void arena_init(arena *a) {
    a->head = NULL;
    a->total = 0;
    a->min_chunk = ARENA_MIN_CHUNK;
}

void arena_init_scratch(arena *a, size_t doc_len) {
    arena_init(a);
    if (doc_len >= ARENA_SCRATCH_DOC)
        a->min_chunk = ARENA_SCRATCH_CHUNK;
}

void arena_free(arena *a) {
    arena_chunk *c = a->head;
    while (c) { /* iterative: no recursion on long chains */
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

/* arena_alloc_raw()'s rare case: size bytes (at least 1) at the start of
 * a new chunk. Out of line, so that the common case (a bump of the head's
 * used bytes, for every word and key) keeps no registers to save. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *arena_alloc_chunk(arena *a, size_t size) {
    arena_chunk *c = a->head;
    size_t want = a->total / 2; /* chunks grow with the arena */
    if (want < a->min_chunk)
        want = a->min_chunk;
    if (want < size)
        want = size;
    arena_chunk *n = malloc(sizeof *n + want);
    if (!n)
        return NULL;
    n->size = want;
    /* A huge one-off block goes behind the head so the head's free
     * space stays usable for small allocations. */
    if (c && size > ARENA_MIN_CHUNK && c->size - c->used > ARENA_MIN_CHUNK / 4) {
        n->next = c->next;
        c->next = n;
    } else {
        n->next = c;
        a->head = n;
    }
    a->total += want;
    n->used = size;
    return n->data;
}

/* Memory from the arena, not zeroed: large arrays that are filled as they
 * grow never touch (and never fault in) the pages they do not use. align:
 * a power of two, at most sizeof(max_align_t) (1 for strings, which are
 * many and short: aligned, the words and keys of a novel took twice their
 * bytes). */
static void *arena_alloc_raw(arena *a, size_t size, size_t align) {
    if (size > SIZE_MAX / 2)
        return NULL;
    if (size == 0)
        size = 1;
    arena_chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < size)
        return arena_alloc_chunk(a, size);
    c->used = at + size;
    return (char *)c->data + at;
}

void *arena_alloc_uninit(arena *a, size_t size) {
    return arena_alloc_raw(a, size, sizeof(max_align_t));
}

/* The alignment of an array of size bytes: the largest power of two that
 * divides size, at most max_align_t's. Enough for any element type (its
 * alignment divides its size, which divides the array's), and a table of
 * a few 4- or 8-byte items is not padded to 16 bytes after a string
 * (quotations' spans, the small arrays arena_grow makes: 60 KB of a
 * novel's arena). */
static size_t array_align(size_t size) {
    size_t low = size & (~size + 1);
    return low && low < sizeof(max_align_t) ? low : sizeof(max_align_t);
}

void *arena_alloc(arena *a, size_t size) {
    void *p = arena_alloc_raw(a, size, array_align(size));
    if (p)
        memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n) {
    char *p = arena_alloc_raw(a, n + 1, 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* The link to the chunk that holds p alone (a large array given its own
 * chunk by arena_grow), or NULL. */
static arena_chunk **sole_chunk(arena *a, const void *p, size_t used) {
    for (arena_chunk **l = &a->head; *l; l = &(*l)->next)
        if ((const void *)(*l)->data == p)
            return (*l)->used == used ? l : NULL;
    return NULL;
}

void *arena_grow(arena *a, void *old, size_t *cap, size_t need, size_t elem) {
    return arena_grow_from(a, old, cap, need, elem, 16);
}

void *arena_grow_from(arena *a, void *old, size_t *cap, size_t need, size_t elem, size_t first) {
    if (need <= *cap)
        return old;
    size_t ncap = *cap ? *cap : first ? first : 1;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return NULL;
        ncap *= 2;
    }
    const size_t align = sizeof(max_align_t);
    size_t size = (ncap * elem + align - 1) & ~(align - 1);
    if (size <= ARENA_SOLE_ARRAY) {
        /* exactly the array, aligned for its elements */
        void *p = arena_alloc_raw(a, ncap * elem, array_align(ncap * elem));
        if (!p)
            return NULL;
        if (old && *cap)
            memcpy(p, old, *cap * elem);
        *cap = ncap;
        return p;
    }
    /* A large array lives alone in a chunk that grows by realloc: no
     * copy left behind at each doubling (for a big block realloc moves
     * pages, not bytes), and no chunk sized for the whole arena when the
     * array is all it will hold. */
    size_t old_size = (*cap * elem + align - 1) & ~(align - 1);
    arena_chunk **link = old && *cap ? sole_chunk(a, old, old_size) : NULL;
    if (link) {
        arena_chunk *c = realloc(*link, sizeof *c + size);
        if (!c)
            return NULL;
        a->total += size - c->size;
        c->size = c->used = size;
        *link = c;
        *cap = ncap;
        return c->data;
    }
    arena_chunk *c = malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->size = c->used = size;
    if (a->head) { /* behind the head, whose free space stays in use */
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = NULL;
        a->head = c;
    }
    a->total += size;
    if (old && *cap)
        memcpy(c->data, old, *cap * elem);
    *cap = ncap;
    return c->data;
}
