/*
 * strmap.c — an open-addressing hash map from byte strings to size_t, in
 * the document's arena. Used for word statistics and name clusters.
 */
#include <string.h>

#include "internal.h"
#include "strmap.h"

static uint32_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (uint32_t)h;
}

bool strmap_init(strmap *m, arena *a, size_t expect) {
    size_t cap = 64;
    while (cap < expect * 2)
        cap *= 2;
    m->mem = a;
    m->cap = cap;
    m->count = 0;
    m->slots = arena_alloc(a, cap * sizeof *m->slots);
    return m->slots != NULL;
}

static strmap_slot *find_slot(strmap_slot *slots, size_t cap, const char *k, size_t n, uint32_t h) {
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        strmap_slot *s = &slots[i];
        if (!s->key || (s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

strmap_slot *strmap_get(const strmap *m, const char *k, size_t n) {
    if (!m->slots)
        return NULL;
    strmap_slot *s = find_slot(m->slots, m->cap, k, n, hash_bytes(k, n));
    return s->key ? s : NULL;
}

strmap_slot *strmap_put(strmap *m, const char *k, size_t n, bool *created) {
    if (created)
        *created = false;
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap * 2;
        strmap_slot *ns = arena_alloc(m->mem, ncap * sizeof *ns);
        if (!ns)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *find_slot(ns, ncap, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
        m->slots = ns;
        m->cap = ncap;
    }
    uint32_t h = hash_bytes(k, n);
    strmap_slot *s = find_slot(m->slots, m->cap, k, n, h);
    if (!s->key) {
        char *key = arena_strndup(m->mem, k, n);
        if (!key)
            return NULL;
        s->key = key;
        s->len = (uint32_t)n;
        s->hash = h;
        s->value = 0;
        s->aux = 0;
        m->count++;
        if (created)
            *created = true;
    }
    return s;
}
