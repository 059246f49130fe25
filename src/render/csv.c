/*
 * csv.c — one row per quotation, for spreadsheets and data frames:
 *     id,section,start,end,speaker,addressees,type,confidence,text
 * RFC 4180: CRLF line ends, fields holding a comma, a quote or a line end
 * quoted with quotes doubled. start/end are the byte offsets of the first
 * span's start and the last span's end; speaker and addressees are names
 * (addressees joined by ';', empty when none); text is the quotation's
 * spans joined by a space. A cell starting with = + - @ TAB or CR gets a
 * leading ' (sink_csv_field) so no spreadsheet evaluates story text as a
 * formula; the numeric columns never need it.
 */
#include <string.h>

#include "../internal.h"

quoth_status render_csv(const quoth_doc *doc, const quoth_render_options *opts, sink *s) {
    (void)opts;
    sink_puts(s, "id,section,start,end,speaker,addressees,type,confidence,text\r\n");
    buf cell;
    buf_init(&cell);
    for (size_t q = 0; q < doc->nquote; q++) {
        const quote *qq = &doc->quotes[q];
        uint32_t start = qq->nspans ? qq->spans[0].start : 0;
        uint32_t end = qq->nspans ? qq->spans[qq->nspans - 1].end : 0;
        sink_puts(s, "q");
        sink_uint(s, q + 1);
        sink_puts(s, ",");
        sink_uint(s, doc->paras[qq->para_first].section);
        sink_puts(s, ",");
        sink_uint(s, start);
        sink_puts(s, ",");
        sink_uint(s, end);
        sink_puts(s, ",");
        if (qq->speaker != QUOTH_NONE) {
            const char *name = doc->chars[qq->speaker].name;
            sink_csv_field(s, name, strlen(name));
        }
        sink_puts(s, ",");
        cell.len = 0;
        for (uint32_t a = 0; a < qq->naddressees; a++) {
            if (a)
                buf_putc(&cell, ';');
            buf_puts(&cell, doc->chars[qq->addressees[a]].name);
        }
        sink_csv_field(s, cell.data ? cell.data : "", cell.len);
        sink_puts(s, ",");
        sink_puts(s, quoth_type_name(qq->type));
        sink_puts(s, ",");
        sink_fixed2(s, qq->confidence);
        sink_puts(s, ",");
        /* the spans joined, then written as one field (controls dropped,
         * bad UTF-8 replaced, quoted as a whole) */
        const char *text;
        size_t tlen;
        if (qq->nspans == 1) {
            text = doc->text + qq->spans[0].start;
            tlen = qq->spans[0].end - qq->spans[0].start;
        } else {
            cell.len = 0;
            for (uint32_t i = 0; i < qq->nspans; i++) {
                if (i)
                    buf_putc(&cell, ' ');
                buf_append(&cell, doc->text + qq->spans[i].start,
                           qq->spans[i].end - qq->spans[i].start);
            }
            if (cell.failed) {
                buf_free(&cell);
                return QUOTH_ERR_NOMEM;
            }
            text = cell.data ? cell.data : "";
            tlen = cell.len;
        }
        sink_csv_field(s, text, tlen);
        sink_puts(s, "\r\n");
    }
    bool failed = cell.failed;
    buf_free(&cell);
    return failed ? QUOTH_ERR_NOMEM : QUOTH_OK;
}
