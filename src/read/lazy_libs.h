/*
 * lazy_libs.h — libxml2 and libarchive, loaded when first needed.
 *
 * Linking them made every run of quoth load ICU and libstdc++ (through
 * libxml2) and five compressors (through libarchive): 2.3 ms and 3 MB of
 * every process's 3.3 ms and 5 MB start-up, for plain text that uses none
 * of them. They are opened with dlopen the first time an EPUB, an XHTML
 * chapter or an HTML entity needs them (once per process, thread-safe).
 *
 * Include this after every other header: it maps the few functions the
 * readers call (and libxml2's xmlFree) onto the loaded pointers. Callers
 * check lazy_xml() / lazy_archive() before the first call; past that check
 * the names can be used as usual.
 */
#ifndef QUOTH_READ_LAZY_LIBS_H
#define QUOTH_READ_LAZY_LIBS_H

#include <archive.h>
#include <archive_entry.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdbool.h>

#define QUOTH_LAZY_XML(X)                                                                                    \
    X(htmlEntityLookup)                                                                                      \
    X(xmlCopyCharMultiByte)                                                                                  \
    X(xmlCreateMemoryParserCtxt)                                                                             \
    X(xmlCtxtUseOptions)                                                                                     \
    X(xmlDocGetRootElement)                                                                                  \
    X(xmlFreeDoc)                                                                                            \
    X(xmlFreeParserCtxt)                                                                                     \
    X(xmlGetProp)                                                                                            \
    X(xmlInitParser)                                                                                         \
    X(xmlNodeGetContent)                                                                                     \
    X(xmlParseDocument)                                                                                      \
    X(xmlReadMemory)                                                                                         \
    X(xmlStopParser)

#define QUOTH_LAZY_ARCHIVE(X)                                                                                \
    X(archive_entry_filetype)                                                                                \
    X(archive_entry_pathname)                                                                                \
    X(archive_entry_size)                                                                                    \
    X(archive_entry_size_is_set)                                                                             \
    X(archive_error_string)                                                                                  \
    X(archive_read_data)                                                                                     \
    X(archive_read_free)                                                                                     \
    X(archive_read_new)                                                                                      \
    X(archive_read_next_header)                                                                              \
    X(archive_read_open_memory)                                                                              \
    X(archive_read_support_format_zip)

typedef struct {
#define QUOTH_LAZY_FIELD(f) __typeof__(&f) f;
    QUOTH_LAZY_XML(QUOTH_LAZY_FIELD)
    QUOTH_LAZY_ARCHIVE(QUOTH_LAZY_FIELD)
#undef QUOTH_LAZY_FIELD
    xmlFreeFunc *xml_free; /* libxml2's variable xmlFree */
} lazy_libs;

/* libxml2, loaded on the first call: false when it cannot be (then
 * lazy_error() says why). */
bool lazy_xml(void);
/* libarchive, the same. */
bool lazy_archive(void);
/* Why the last load failed ("libxml2.so.2: cannot open ..."). */
const char *lazy_error(void);
/* The loaded functions (after lazy_xml() / lazy_archive() said true). */
const lazy_libs *lazy_fns(void);

#ifndef QUOTH_LAZY_LIBS_IMPL
#define htmlEntityLookup (lazy_fns()->htmlEntityLookup)
#define xmlCopyCharMultiByte (lazy_fns()->xmlCopyCharMultiByte)
#define xmlCreateMemoryParserCtxt (lazy_fns()->xmlCreateMemoryParserCtxt)
#define xmlCtxtUseOptions (lazy_fns()->xmlCtxtUseOptions)
#define xmlDocGetRootElement (lazy_fns()->xmlDocGetRootElement)
#define xmlFreeDoc (lazy_fns()->xmlFreeDoc)
#define xmlFreeParserCtxt (lazy_fns()->xmlFreeParserCtxt)
#define xmlGetProp (lazy_fns()->xmlGetProp)
#define xmlInitParser (lazy_fns()->xmlInitParser)
#define xmlNodeGetContent (lazy_fns()->xmlNodeGetContent)
#define xmlParseDocument (lazy_fns()->xmlParseDocument)
#define xmlReadMemory (lazy_fns()->xmlReadMemory)
#define xmlStopParser (lazy_fns()->xmlStopParser)
#undef xmlFree
#define xmlFree (*lazy_fns()->xml_free)
#define archive_entry_filetype (lazy_fns()->archive_entry_filetype)
#define archive_entry_pathname (lazy_fns()->archive_entry_pathname)
#define archive_entry_size (lazy_fns()->archive_entry_size)
#define archive_entry_size_is_set (lazy_fns()->archive_entry_size_is_set)
#define archive_error_string (lazy_fns()->archive_error_string)
#define archive_read_data (lazy_fns()->archive_read_data)
#define archive_read_free (lazy_fns()->archive_read_free)
#define archive_read_new (lazy_fns()->archive_read_new)
#define archive_read_next_header (lazy_fns()->archive_read_next_header)
#define archive_read_open_memory (lazy_fns()->archive_read_open_memory)
#define archive_read_support_format_zip (lazy_fns()->archive_read_support_format_zip)
#endif

#endif
