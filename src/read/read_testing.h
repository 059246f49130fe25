/*
 * read_testing.h — for tests and the fuzz targets only, not part of the
 * API: quoth_read() with gumbo as the only HTML parser, and which parsers
 * built the HTML trees of a reading, so the fast paths (xhtml.c,
 * html_clean.c) can be checked against gumbo on the same input.
 */
#ifndef QUOTH_READ_TESTING_H
#define QUOTH_READ_TESTING_H

#include <stdbool.h>

#include "quoth_read.h"

/* The bits of *trees: which parsers built the reading's HTML trees. */
enum { READ_TESTING_GUMBO = 1, READ_TESTING_XML = 2, READ_TESTING_CLEAN = 4 };

/* quoth_read(), with gumbo_only: every HTML tree is gumbo's. */
quoth_status read_for_testing(const char *bytes, size_t len, const char *filename_hint,
                              quoth_reader_kind kind, bool gumbo_only, unsigned *trees,
                              quoth_reading **out, quoth_error *err);

#endif
