/*
 * fuzz_epub.c — the EPUB reader: the zip (libarchive), container.xml and
 * the OPF (libxml2), the spine's chapters through the HTML reader; then
 * the pipeline and every renderer on the text (issue 8).
 *
 * The input is the zip as it is, with no option byte, so a real EPUB is a
 * seed as it stands (zip readers look for the central directory from the
 * end, so a prefix would change what is read). The options come from the
 * last byte instead (a zip's last bytes are its end record's comment
 * length, usually 0): bit 0 the cast from the tags, bits 1-7 the format
 * and the failing sink's stop.
 *
 * A zip checks every entry's CRC-32, and the mutator cannot keep one
 * right, so nearly every change to an entry's bytes would only reach the
 * "damaged zip" error. The target therefore rewrites the CRC of each
 * stored (uncompressed) entry that the central directory names to match
 * its bytes, in the central directory and the local header, before
 * reading; the seeds hold stored EPUBs for this (and deflated ones for
 * the inflating path).
 */
#include "fuzz_read.h"

static uint32_t crc32_of(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }
static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void fix_stored_crcs(uint8_t *z, size_t n) {
    if (n < 22)
        return;
    size_t eocd = n - 22; /* the end record, found from the end as readers do */
    for (size_t back = 0; back <= 65535 && eocd > 0 && le32(z + eocd) != 0x06054b50u; back++)
        eocd--;
    if (le32(z + eocd) != 0x06054b50u)
        return;
    size_t count = le16(z + eocd + 10), at = le32(z + eocd + 16);
    for (size_t i = 0; i < count && at + 46 <= n && le32(z + at) == 0x02014b50u; i++) {
        size_t method = le16(z + at + 10), csize = le32(z + at + 20);
        size_t local = le32(z + at + 42);
        if (method == 0 && local + 30 <= n && le32(z + local) == 0x04034b50u) {
            size_t data = local + 30 + le16(z + local + 26) + le16(z + local + 28);
            if (data <= n && csize <= n - data) {
                uint32_t crc = crc32_of(z + data, csize);
                put_le32(z + at + 16, crc);
                put_le32(z + local + 14, crc);
            }
        }
        at += 46 + le16(z + at + 28) + le16(z + at + 30) + le16(z + at + 32);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    unsigned opt = data[size - 1];
    uint8_t *zip = malloc(size);
    if (!zip)
        return 0;
    memcpy(zip, data, size);
    fix_stored_crcs(zip, size);
    quoth_reading *r = NULL;
    quoth_error err;
    quoth_status st = quoth_read((const char *)zip, size, NULL, QUOTH_READER_EPUB, &r, &err);
    if (st == QUOTH_OK) {
        fuzz_reading(r, (size_t)-1, opt & 1, true, opt >> 1);
        quoth_reading_free(r);
    } else {
        FUZZ_CHECK(!r && (st == QUOTH_ERR_FORMAT || st == QUOTH_ERR_LIMIT));
    }
    free(zip);
    return 0;
}
