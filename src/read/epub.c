/*
 * epub.c — the EPUB reader: the zip is read with libarchive, in one pass
 * that expands only text entries (XML, XHTML, the OPF), within the limits
 * of src/limits.h, so a zip bomb stops after a bounded amount of work and
 * memory. META-INF/container.xml names the OPF; the OPF (libxml2, no
 * network, no entity expansion) gives the metadata (dc:title, dc:creator,
 * dc:language, dc:source or a URL identifier, dc:description) and the
 * spine, the chapters in reading order. Each chapter goes through the HTML
 * reader (as XHTML when its media type says so: libxml2 first, gumbo if it
 * is not well-formed), so AO3 and FanFicFare EPUB chapters are read by
 * their markup; navigation documents are skipped and obvious title pages and cover pages
 * give metadata only. Offsets map to (entry name, byte in the entry).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_internal.h"
#include "lazy_libs.h" /* last: maps libxml2's and libarchive's names */

typedef struct {
    char *name;
    char *data;
    size_t len;
} zip_entry;

typedef struct {
    zip_entry *e;
    size_t n, cap;
} zip_entries;

static void entries_free(zip_entries *z) {
    for (size_t i = 0; i < z->n; i++) {
        free(z->e[i].name);
        free(z->e[i].data);
    }
    free(z->e);
}

static const zip_entry *entry_find(const zip_entries *z, const char *name) {
    for (size_t i = 0; i < z->n; i++)
        if (!strcmp(z->e[i].name, name))
            return &z->e[i];
    return NULL;
}

static bool ends_with_ci(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    if (m > n)
        return false;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != suffix[i])
            return false;
    }
    return true;
}

/* Entries worth expanding: the ones that can hold text or structure. */
static bool wanted(const char *name) {
    static const char *const ext[] = {".xml", ".opf", ".xhtml", ".html", ".htm", ".ncx"};
    if (!strcmp(name, "mimetype"))
        return true;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (ends_with_ci(name, ext[i]))
            return true;
    return false;
}

static quoth_status read_zip(const char *bytes, size_t len, zip_entries *z, quoth_error *err) {
    struct archive *a = archive_read_new();
    if (!a) {
        doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory opening the zip");
        return QUOTH_ERR_NOMEM;
    }
    archive_read_support_format_zip(a);
    quoth_status st = QUOTH_OK;
    if (archive_read_open_memory(a, bytes, len) != ARCHIVE_OK) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "not a zip archive (%s)", archive_error_string(a));
        archive_read_free(a);
        return QUOTH_ERR_FORMAT;
    }
    size_t count = 0, total = 0;
    struct archive_entry *ae;
    for (;;) {
        int rc = archive_read_next_header(a, &ae);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            const char *why = archive_error_string(a);
            doc_set_error(err, QUOTH_ERR_FORMAT, "%s zip archive (%s)",
                          count ? "damaged or truncated" : "not a", why ? why : "unreadable");
            st = QUOTH_ERR_FORMAT;
            break;
        }
        if (++count > QUOTH_READ_MAX_ZIP_ENTRIES) {
            doc_set_error(err, QUOTH_ERR_LIMIT, "the zip has more than %d entries (the limit)",
                          QUOTH_READ_MAX_ZIP_ENTRIES);
            st = QUOTH_ERR_LIMIT;
            break;
        }
        const char *name = archive_entry_pathname(ae);
        if (!name || archive_entry_filetype(ae) != AE_IFREG || !wanted(name))
            continue; /* the next header skips its data */
        if (archive_entry_size_is_set(ae) &&
            (uint64_t)archive_entry_size(ae) > QUOTH_READ_MAX_ENTRY_BYTES) {
            doc_set_error(
                err, QUOTH_ERR_LIMIT,
                "zip entry '%.80s' expands to %lld bytes, over the limit of %zu (a zip bomb?)",
                name, (long long)archive_entry_size(ae), QUOTH_READ_MAX_ENTRY_BYTES);
            st = QUOTH_ERR_LIMIT;
            break;
        }
        buf data;
        buf_init(&data);
        char chunk[65536];
        for (;;) {
            la_ssize_t got = archive_read_data(a, chunk, sizeof chunk);
            if (got == 0)
                break;
            if (got < 0) {
                const char *why = archive_error_string(a);
                doc_set_error(err, QUOTH_ERR_FORMAT, "damaged or truncated zip: entry '%.80s' (%s)",
                              name, why ? why : "unreadable");
                st = QUOTH_ERR_FORMAT;
                break;
            }
            if (data.len + (size_t)got > QUOTH_READ_MAX_ENTRY_BYTES) {
                doc_set_error(err, QUOTH_ERR_LIMIT,
                              "zip entry '%.80s' expands past the limit of %zu bytes (a zip bomb?)",
                              name, QUOTH_READ_MAX_ENTRY_BYTES);
                st = QUOTH_ERR_LIMIT;
                break;
            }
            if (total + (size_t)got > QUOTH_READ_MAX_EXPANDED_BYTES) {
                doc_set_error(err, QUOTH_ERR_LIMIT,
                              "the zip's text entries expand past the limit of %zu bytes in all (a "
                              "zip bomb?)",
                              QUOTH_READ_MAX_EXPANDED_BYTES);
                st = QUOTH_ERR_LIMIT;
                break;
            }
            buf_append(&data, chunk, (size_t)got);
            total += (size_t)got;
            if (data.failed) {
                doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory expanding '%.80s'", name);
                st = QUOTH_ERR_NOMEM;
                break;
            }
        }
        if (st != QUOTH_OK) {
            buf_free(&data);
            break;
        }
        if (z->n == z->cap) {
            size_t nc = z->cap ? z->cap * 2 : 32;
            zip_entry *ne = realloc(z->e, nc * sizeof *ne);
            if (!ne) {
                buf_free(&data);
                doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory reading the zip");
                st = QUOTH_ERR_NOMEM;
                break;
            }
            z->e = ne;
            z->cap = nc;
        }
        zip_entry *e = &z->e[z->n];
        e->name = strdup(name);
        e->data = data.data ? data.data : calloc(1, 1);
        e->len = data.len;
        if (!e->name || !e->data) {
            free(e->name);
            free(e->data);
            doc_set_error(err, QUOTH_ERR_NOMEM, "out of memory reading the zip");
            st = QUOTH_ERR_NOMEM;
            break;
        }
        z->n++;
    }
    archive_read_free(a);
    return st;
}

/* ---- XML helpers (container.xml, the OPF) ------------------------------------------ */

static bool local_is(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, name);
}

/* The first element named name in document order (iterative). */
static xmlNode *find_element(xmlNode *root, const char *name) {
    xmlNode *n = root;
    while (n) {
        if (local_is(n, name))
            return n;
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next && n != root)
            n = n->parent;
        if (!n || n == root)
            return NULL;
        n = n->next;
    }
    return NULL;
}

static char *prop(const xmlNode *n, const char *name) {
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static xmlDoc *parse_xml(const zip_entry *e) {
    if (e->len > (size_t)INT32_MAX)
        return NULL;
    return xmlReadMemory(e->data, (int)e->len, e->name, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_NOCDATA);
}

/* Joins the OPF's folder and a relative href, resolving "." and "..", and
 * dropping a #fragment and %-escapes. */
static char *resolve_href(const char *dir, const char *href) {
    size_t n = strlen(dir) + strlen(href) + 2;
    char *raw = malloc(n), *out = malloc(n);
    if (!raw || !out) {
        free(raw);
        free(out);
        return NULL;
    }
    snprintf(raw, n, "%s%s", dir, href);
    char *hash = strchr(raw, '#');
    if (hash)
        *hash = '\0';
    /* %-decode */
    size_t w = 0;
    for (size_t i = 0; raw[i]; i++) {
        if (raw[i] == '%' && raw[i + 1] && raw[i + 2]) {
            char hex[3] = {raw[i + 1], raw[i + 2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (!*end && v > 0) {
                raw[w++] = (char)v;
                i += 2;
                continue;
            }
        }
        raw[w++] = raw[i];
    }
    raw[w] = '\0';
    /* segments */
    size_t o = 0;
    for (char *seg = raw; seg && *seg;) {
        char *slash = strchr(seg, '/');
        size_t sl = slash ? (size_t)(slash - seg) : strlen(seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.')) {
            /* nothing */
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            memcpy(out + o, seg, sl);
            o += sl;
            if (slash)
                out[o++] = '/';
        }
        seg = slash ? slash + 1 : NULL;
    }
    out[o] = '\0';
    free(raw);
    return out;
}

static bool prefix_ci(const char *s, const char *prefix) {
    for (; *prefix; s++, prefix++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != *prefix)
            return false;
    }
    return true;
}

/* Front matter a reader skips: a cover, a title page, a table of contents. */
static bool front_matter(const char *href, const char *id) {
    static const char *const words[] = {"cover", "titlepage", "title_page", "title-page", "toc",
                                        "nav",   "copyright", "colophon",   "imprint"};
    const char *slash = strrchr(href, '/');
    const char *base = slash ? slash + 1 : href;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        if (prefix_ci(base, words[i]) || (id && prefix_ci(id, words[i])))
            return true;
    }
    return false;
}

static void meta_from_xml(quoth_reading *r, const char *key, const xmlNode *n) {
    xmlChar *v = xmlNodeGetContent(n);
    if (v) {
        read_meta_once(r, key, (const char *)v, strlen((const char *)v));
        xmlFree(v);
    }
}

static void opf_metadata(quoth_reading *r, xmlNode *metadata) {
    /* dc:* elements, also one level down (OPF 1's <dc-metadata>) */
    for (xmlNode *n = metadata ? metadata->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (local_is(n, "dc-metadata") || local_is(n, "x-metadata")) {
            opf_metadata(r, n); /* one level only: OPF 1 nests no deeper */
            continue;
        }
        if (local_is(n, "title"))
            meta_from_xml(r, "title", n);
        else if (local_is(n, "creator"))
            meta_from_xml(r, "author", n);
        else if (local_is(n, "language"))
            meta_from_xml(r, "language", n);
        else if (local_is(n, "source"))
            meta_from_xml(r, "source", n);
        else if (local_is(n, "description"))
            meta_from_xml(r, "summary", n);
        else if (local_is(n, "identifier")) {
            xmlChar *v = xmlNodeGetContent(n);
            if (v && (!strncmp((const char *)v, "http://", 7) ||
                      !strncmp((const char *)v, "https://", 8)))
                read_meta_once(r, "source", (const char *)v, strlen((const char *)v));
            if (v)
                xmlFree(v);
        }
    }
}

quoth_status read_epub(quoth_reading *r, const char *bytes, size_t len, quoth_error *err) {
    if (len < 4 || memcmp(bytes, "PK\x03\x04", 4)) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "not an EPUB: not a zip archive");
        return QUOTH_ERR_FORMAT;
    }
    if (!lazy_archive() || !lazy_xml()) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "cannot read EPUB: %s", lazy_error());
        return QUOTH_ERR_FORMAT;
    }
    zip_entries z = {0};
    quoth_status st = read_zip(bytes, len, &z, err);
    if (st != QUOTH_OK) {
        entries_free(&z);
        return st;
    }
    xmlDoc *container = NULL, *opf = NULL;
    char *opf_path = NULL, *dir = NULL;
    const zip_entry *ce = entry_find(&z, "META-INF/container.xml");
    if (!ce) {
        const zip_entry *mt = entry_find(&z, "mimetype");
        bool epub = mt && mt->len >= 20 && !memcmp(mt->data, "application/epub+zip", 20);
        doc_set_error(err, QUOTH_ERR_FORMAT,
                      epub ? "EPUB without META-INF/container.xml (cannot find the book's OPF)"
                           : "a zip archive, but not an EPUB (no mimetype application/epub+zip, "
                             "no META-INF/container.xml)");
        st = QUOTH_ERR_FORMAT;
        goto done;
    }
    xmlInitParser();
    container = parse_xml(ce);
    xmlNode *rootfile =
        container ? find_element(xmlDocGetRootElement(container), "rootfile") : NULL;
    opf_path = rootfile ? prop(rootfile, "full-path") : NULL;
    if (!opf_path) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "EPUB's META-INF/container.xml %s",
                      container ? "names no rootfile (no OPF)" : "is not XML");
        st = QUOTH_ERR_FORMAT;
        goto done;
    }
    const zip_entry *oe = entry_find(&z, opf_path);
    if (!oe) {
        doc_set_error(err, QUOTH_ERR_FORMAT,
                      "EPUB without its OPF: container.xml names '%.100s', which is not in the zip",
                      opf_path);
        st = QUOTH_ERR_FORMAT;
        goto done;
    }
    opf = parse_xml(oe);
    xmlNode *pkg = opf ? xmlDocGetRootElement(opf) : NULL;
    if (!pkg || !local_is(pkg, "package")) {
        doc_set_error(err, QUOTH_ERR_FORMAT, "EPUB's OPF '%.100s' is not an OPF package document",
                      opf_path);
        st = QUOTH_ERR_FORMAT;
        goto done;
    }
    const char *slash = strrchr(opf_path, '/');
    dir = strndup(opf_path, slash ? (size_t)(slash - opf_path) + 1 : 0);
    if (!dir) {
        st = QUOTH_ERR_NOMEM;
        doc_set_error(err, st, "out of memory");
        goto done;
    }
    xmlNode *metadata = NULL, *manifest = NULL, *spine = NULL;
    for (xmlNode *n = pkg->children; n; n = n->next) {
        if (local_is(n, "metadata"))
            metadata = n;
        else if (local_is(n, "manifest"))
            manifest = n;
        else if (local_is(n, "spine"))
            spine = n;
    }
    opf_metadata(r, metadata);
    size_t chapters = 0, items = 0;
    for (xmlNode *ref = spine ? spine->children : NULL; ref && st == QUOTH_OK; ref = ref->next) {
        if (!local_is(ref, "itemref"))
            continue;
        if (++items > QUOTH_READ_MAX_SPINE) {
            doc_set_error(err, QUOTH_ERR_LIMIT,
                          "the EPUB's spine has more than %d items (the limit)",
                          QUOTH_READ_MAX_SPINE);
            st = QUOTH_ERR_LIMIT;
            break;
        }
        char *idref = prop(ref, "idref");
        xmlNode *item = NULL;
        for (xmlNode *m = manifest ? manifest->children : NULL; m && idref; m = m->next) {
            if (!local_is(m, "item"))
                continue;
            char *id = prop(m, "id");
            bool same = id && !strcmp(id, idref);
            if (id)
                xmlFree(id);
            if (same) {
                item = m;
                break;
            }
        }
        char *href = item ? prop(item, "href") : NULL;
        char *type = item ? prop(item, "media-type") : NULL;
        char *props = item ? prop(item, "properties") : NULL;
        char *path = href ? resolve_href(dir, href) : NULL;
        const zip_entry *ch = path ? entry_find(&z, path) : NULL;
        bool html = type && (strstr(type, "html") != NULL);
        bool nav = props && strstr(props, "nav");
        if (ch && html && !nav) {
            bool front = front_matter(path, idref);
            if (read_set_entry(r, path)) {
                read_break(r, 0);
                quoth_error herr;
                const char *site = NULL;
                quoth_status hs = read_html(r, ch->data, ch->len, front,
                                            strstr(type, "xhtml") != NULL, &site, &herr);
                if (hs != QUOTH_OK) {
                    doc_set_error(err, hs, "EPUB chapter '%.100s': %s", path, herr.message);
                    st = hs;
                }
                chapters += !front;
            }
        }
        free(path);
        if (idref)
            xmlFree(idref);
        if (href)
            xmlFree(href);
        if (type)
            xmlFree(type);
        if (props)
            xmlFree(props);
    }
    if (st == QUOTH_OK && chapters == 0) {
        doc_set_error(err, QUOTH_ERR_FORMAT,
                      "EPUB with no readable chapters in its spine (OPF '%.100s')", opf_path);
        st = QUOTH_ERR_FORMAT;
    }
done:
    free(dir);
    if (opf_path)
        xmlFree(opf_path);
    if (opf)
        xmlFreeDoc(opf);
    if (container)
        xmlFreeDoc(container);
    entries_free(&z);
    return st;
}
