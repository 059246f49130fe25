/* strmap.h — string-keyed hash map in an arena (see strmap.c). */
#ifndef QUOTH_STRMAP_H
#define QUOTH_STRMAP_H

#include "internal.h"

/* 32 bytes: the length and the hash's low half in 32 bits (a key is a
 * name or a word; probing uses the hash's low bits, and a map of a
 * novel's names has tens of thousands of slots). */
typedef struct {
    const char *key; /* NUL-terminated copy in the arena; NULL = empty slot */
    uint32_t len;
    uint32_t hash;   /* the low 32 bits of hash_bytes(key) */
    size_t value;
    size_t aux;
} strmap_slot;

typedef struct {
    arena *mem;
    strmap_slot *slots;
    size_t cap, count;
} strmap;

bool strmap_init(strmap *m, arena *a, size_t expect);
strmap_slot *strmap_get(const strmap *m, const char *k, size_t n);
/* Finds or inserts k (value 0). NULL when out of memory. */
strmap_slot *strmap_put(strmap *m, const char *k, size_t n, bool *created);

#endif
