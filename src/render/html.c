/*
 * html.c — one self-contained HTML5 page (inline CSS, JS and SVG; nothing
 * loaded from anywhere): the story with every quotation span coloured by
 * its speaker (a fixed palette, a colour per character in id order), the
 * speaker's name and confidence in its title, low-confidence ones dashed
 * and marked "?", unattributed ones grey; a click (or Enter) on a
 * quotation shows who says it to whom, the rule, the evidence (also
 * highlighted in the text) and the confidence. Beside the story (above it
 * on a phone) a panel: each character's line count and share of the
 * dialogue as an SVG bar chart and a table, and a who-speaks-to-whom
 * matrix from the addressees. Every quotation span is an element with
 * data-quote="q4" and data-speaker="c2" ("" when unattributed).
 */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

#define LOW_CONFIDENCE 0.6
#define PALETTE_SIZE 12
#define BARS_MAX 20   /* characters in the bar chart */
#define MATRIX_MAX 10 /* speakers and addressees in the matrix */

static const char *const palette[PALETTE_SIZE] = {"#1f77b4", "#d62728", "#2c8a2c", "#8a4fbf",
                                                  "#c45a00", "#8c564b", "#b8338f", "#0e8a96",
                                                  "#7d7e10", "#393b79", "#637939", "#843c39"};

static const char *const css =
    ":root{--bg:#fdfcf8;--fg:#222;--muted:#6b6b6b;--line:#ddd}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:18px/1.65 Georgia,'DejaVu "
    "Serif',serif}\n"
    "header.top{padding:1.2rem 1.5rem .6rem;border-bottom:1px solid var(--line)}\n"
    "header.top h1{margin:0;font-size:1.6rem;line-height:1.2}\n"
    "header.top p{margin:.2rem 0;color:var(--muted);font:14px/1.4 system-ui,'DejaVu "
    "Sans',sans-serif}\n"
    ".layout{display:grid;grid-template-columns:minmax(0,1fr) 21rem;gap:2.5rem;max-width:76rem;"
    "margin:0 auto;padding:1rem 1.5rem 5rem}\n"
    "article{max-width:42rem}\n"
    "article h2{font-size:1.25rem;margin:2rem 0 1rem}\n"
    "article p{margin:0 0 .9em}\n"
    "hr.break{border:0;text-align:center;margin:1.6rem 0}\n"
    "hr.break::after{content:'* * *';color:var(--muted);letter-spacing:.4em}\n"
    ".paratext{color:var(--muted);font-style:italic;font-size:.9em}\n"
    ".q{color:var(--c);background:color-mix(in srgb,var(--c) 9%,transparent);border-radius:3px;"
    "cursor:pointer;padding:0 .08em}\n"
    ".q:hover,.q:focus,.q.sel{background:color-mix(in srgb,var(--c) "
    "22%,transparent);outline:none}\n"
    ".q.low{text-decoration:underline dashed;text-underline-offset:.25em}\n"
    ".q.low::after{content:'?';font:bold .65em "
    "system-ui,sans-serif;vertical-align:super;margin-left:.1em}\n"
    ".q.none{--c:#707070}\n"
    ".ev.sel{outline:2px solid #e0a800;border-radius:2px;background:#fff3c4}\n"
    ".panel{font:14px/1.45 system-ui,'DejaVu "
    "Sans',sans-serif;align-self:start;position:sticky;top:1rem}\n"
    ".panel h2{font-size:1rem;margin:1rem 0 .5rem}\n"
    ".panel table{border-collapse:collapse;width:100%}\n"
    ".panel th,.panel td{text-align:left;padding:.2rem .35rem;border-bottom:1px solid var(--line);"
    "vertical-align:top}\n"
    ".panel td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".sw{display:inline-block;width:.8em;height:.8em;border-radius:2px;background:var(--c);"
    "margin-right:.35em;vertical-align:-.05em}\n"
    ".bars{width:100%;height:auto}\n"
    ".bars text{font:12px system-ui,'DejaVu Sans',sans-serif;fill:var(--fg)}\n"
    ".matrix td.n{min-width:1.8em}\n"
    ".matrix th.r{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;"
    "max-height:8em;overflow:hidden}\n"
    ".aka{color:var(--muted);font-size:.9em}\n"
    "#info{position:fixed;left:50%;bottom:1rem;transform:translateX(-50%);width:min(36rem,94vw);"
    "background:#fff;border:1px solid #bbb;border-left:6px solid var(--c,#777);border-radius:6px;"
    "box-shadow:0 4px 18px rgba(0,0,0,.18);padding:.7rem 2.2rem .7rem 1rem;"
    "font:14px/1.45 system-ui,'DejaVu Sans',sans-serif}\n"
    "#info dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;margin:0}\n"
    "#info dt{color:var(--muted)}#info dd{margin:0}\n"
    "#info "
    "button{position:absolute;top:.3rem;right:.4rem;border:0;background:none;font-size:1.2rem;"
    "cursor:pointer}\n"
    ".hint{color:var(--muted)}\n"
    ".jump{display:none;font:14px system-ui,'DejaVu Sans',sans-serif}\n"
    "@media (max-width:52rem){.layout{grid-template-columns:1fr;gap:0;padding:.5rem 1rem 6rem}"
    ".panel{position:static;border-top:1px solid var(--line);padding-top:.6rem}.jump{display:block}"
    "body{font-size:17px}header.top{padding:1rem}}\n";

/* Static: never holds story text. The details box is filled with
 * textContent only, so nothing from the story is ever parsed as HTML. */
static const char *const script =
    "(function(){\n"
    "var info=document.getElementById('info'),dl=info.querySelector('dl');\n"
    "function row(k,v){var dt=document.createElement('dt'),dd=document.createElement('dd');"
    "dt.textContent=k;dd.textContent=v;dl.appendChild(dt);dl.appendChild(dd);}\n"
    "function "
    "clear(){document.querySelectorAll('.sel').forEach(function(e){e.classList.remove('sel');});}\n"
    "function show(el){var d=el.dataset,id=d.quote;clear();\n"
    "document.querySelectorAll('.q').forEach(function(e){if(e.dataset.quote===id)e.classList.add('"
    "sel');});\n"
    "var ev='';document.querySelectorAll('.ev').forEach(function(e){"
    "if((' '+e.dataset.ev+' ').indexOf(' '+id+' "
    "')>=0){e.classList.add('sel');ev=e.textContent;}});\n"
    "dl.textContent='';row('Quotation',id);row('Speaker',d.name||'unknown');"
    "row('To',d.to||'\\u2014');row('Confidence',d.conf+(d.low?' (low: check it)':''));"
    "row('Rule',d.rule);row('Evidence',ev?'\\u201c'+ev+'\\u201d':'\\u2014');row('Type',d.type);\n"
    "info.style.setProperty('--c',getComputedStyle(el).getPropertyValue('--c'));info.hidden=false;}"
    "\n"
    "document.addEventListener('click',function(e){var t=e.target.closest('.q');"
    "if(t)show(t);else if(!e.target.closest('#info')){info.hidden=true;clear();}});\n"
    "document.addEventListener('keydown',function(e){var t=e.target;"
    "if(e.key==='Enter'&&t.classList&&t.classList.contains('q'))show(t);"
    "if(e.key==='Escape'){info.hidden=true;clear();}});\n"
    "info.querySelector('button').addEventListener('click',function(){info.hidden=true;clear();});"
    "\n"
    "})();\n";

typedef struct {
    uint32_t start, end;
    size_t q;
} evidence;

static int cmp_evidence(const void *a, const void *b) {
    const evidence *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->q < y->q ? -1 : x->q > y->q;
}

typedef struct {
    const quoth_doc *doc;
    sink *s;
    int *colour;      /* palette index per character, -1 when not listed */
    size_t *by_lines; /* listed characters, most lines first */
    size_t nlisted;
    evidence *ev;
    size_t nev, evi;
    char **attr_name; /* each character's name escaped for an attribute */
} html_state;

static int write_buf(void *ctx, const char *data, size_t len) {
    buf_append(ctx, data, len);
    return ((buf *)ctx)->failed ? -1 : 0;
}

/* str escaped for an attribute value, malloc'd; NULL when out of memory. */
static char *attr_escaped(const char *str) {
    buf b;
    buf_init(&b);
    sink tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.write = write_buf;
    tmp.ctx = &b;
    buf_init(&tmp.out);
    sink_escaped(&tmp, str, strlen(str), ESC_XML_ATTR, true);
    sink_flush(&tmp);
    bool failed = tmp.failed || tmp.out.failed || b.failed;
    buf_free(&tmp.out);
    if (failed) {
        buf_free(&b);
        return NULL;
    }
    if (!b.data) {
        b.data = malloc(1);
        if (b.data)
            b.data[0] = '\0';
    }
    return b.data;
}

static int cmp_lines(const void *a, const void *b, const quoth_doc *doc) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (doc->chars[x].quotes != doc->chars[y].quotes)
        return doc->chars[x].quotes > doc->chars[y].quotes ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* qsort has no context argument: a small insertion-merge sort instead. */
static void sort_by_lines(size_t *v, size_t n, const quoth_doc *doc, size_t *tmp) {
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_by_lines(v, h, doc, tmp);
    sort_by_lines(v + h, n - h, doc, tmp);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_lines(&v[i], &v[j], doc) <= 0 ? v[i++] : v[j++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static void esc(sink *s, const char *str) { sink_escaped(s, str, strlen(str), ESC_XML_TEXT, true); }

static void narration(html_state *h, size_t a, size_t b) {
    const quoth_doc *doc = h->doc;
    sink *s = h->s;
    while (h->evi < h->nev && h->ev[h->evi].start < a)
        h->evi++;
    size_t cur = a;
    while (h->evi < h->nev && h->ev[h->evi].start < b) {
        evidence e = h->ev[h->evi];
        size_t k = h->evi + 1;
        while (k < h->nev && h->ev[k].start == e.start && h->ev[k].end == e.end)
            k++;
        if (e.end <= b && e.start >= cur && e.end > e.start) {
            sink_escaped(s, doc->text + cur, e.start - cur, ESC_XML_TEXT, false);
            sink_puts(s, "<span class=\"ev\" data-ev=\"");
            for (size_t i = h->evi; i < k; i++) {
                sink_puts(s, i > h->evi ? " q" : "q");
                sink_uint(s, h->ev[i].q + 1);
            }
            sink_puts(s, "\">");
            sink_escaped(s, doc->text + e.start, e.end - e.start, ESC_XML_TEXT, false);
            sink_puts(s, "</span>");
            cur = e.end;
        }
        h->evi = k;
    }
    sink_escaped(s, doc->text + cur, b - cur, ESC_XML_TEXT, false);
}

static void quote_span(html_state *h, const quoth_node *n) {
    const quoth_doc *doc = h->doc;
    sink *s = h->s;
    const quote *q = &doc->quotes[n->index];
    bool low = q->speaker == QUOTH_NONE || q->confidence < LOW_CONFIDENCE;
    sink_puts(s, "<span class=\"q");
    if (q->speaker == QUOTH_NONE)
        sink_puts(s, " none");
    else {
        sink_puts(s, " k");
        sink_uint(s, (uint64_t)h->colour[q->speaker]);
    }
    if (low)
        sink_puts(s, " low");
    sink_puts(s, "\" tabindex=\"0\" data-quote=\"q");
    sink_uint(s, n->index + 1);
    sink_puts(s, "\" data-part=\"");
    sink_uint(s, n->part + 1);
    sink_puts(s, "\" data-speaker=\"");
    if (q->speaker != QUOTH_NONE)
        sink_puts(s, doc->chars[q->speaker].id);
    sink_puts(s, "\" data-name=\"");
    if (q->speaker != QUOTH_NONE)
        sink_puts(s, h->attr_name[q->speaker]);
    sink_puts(s, "\" data-to=\"");
    for (uint32_t a = 0; a < q->naddressees; a++) {
        if (a)
            sink_puts(s, ", ");
        sink_puts(s, h->attr_name[q->addressees[a]]);
    }
    sink_puts(s, "\" data-conf=\"");
    sink_fixed2(s, q->confidence);
    sink_puts(s, "\" data-rule=\"");
    sink_puts(s, quoth_rule_name(q->rule));
    sink_puts(s, "\" data-type=\"");
    sink_puts(s, quoth_type_name(q->type));
    sink_puts(s, low ? "\" data-low=\"1\" title=\"" : "\" title=\"");
    if (q->speaker != QUOTH_NONE)
        sink_puts(s, h->attr_name[q->speaker]);
    else
        sink_puts(s, "speaker unknown");
    sink_puts(s, " \xC2\xB7 ");
    sink_fixed2(s, q->confidence);
    sink_puts(s, low ? " (uncertain)\">" : "\">");
    sink_escaped(s, doc->text + n->span.start, n->span.end - n->span.start, ESC_XML_TEXT, false);
    sink_puts(s, "</span>");
}

/* One row of the bar chart; long names are cut so the bar keeps its room. */
static void bar(sink *s, size_t y, const char *name, size_t n, const char *fill, size_t max,
                size_t total) {
    sink_printf(s, "<g><text x=\"0\" y=\"%zu\">", y + 14);
    size_t nl = strlen(name), cut = nl;
    if (nl > 18) {
        cut = 17;
        while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
            cut--;
    }
    sink_escaped(s, name, cut, ESC_XML_TEXT, true);
    if (cut < nl)
        sink_puts(s, "\xE2\x80\xA6");
    double w = 128.0 * (double)n / (double)max;
    if (w < 1)
        w = 1;
    sink_printf(
        s,
        "</text><rect x=\"118\" y=\"%zu\" width=\"%.1f\" height=\"16\" rx=\"2\" fill=\"%s\"/>"
        "<text x=\"%.1f\" y=\"%zu\">%zu \xC2\xB7 %.0f%%</text></g>\n",
        y + 2, w, fill, 118 + w + 4, y + 14, n, 100.0 * (double)n / (double)total);
}

static void panel(html_state *h) {
    const quoth_doc *doc = h->doc;
    sink *s = h->s;
    size_t total = doc->nquote, unattributed = 0;
    for (size_t q = 0; q < doc->nquote; q++)
        unattributed += doc->quotes[q].speaker == QUOTH_NONE;
    sink_puts(
        s, "<aside class=\"panel\" id=\"who\" aria-label=\"Characters\">\n<h2>Who speaks</h2>\n");
    if (!total) {
        sink_puts(s, "<p class=\"hint\">No quotations found.</p>\n");
    } else {
        /* the bar chart: share of the quotations per speaking character */
        size_t rows = 0;
        for (size_t i = 0; i < h->nlisted && rows < BARS_MAX; i++)
            rows += doc->chars[h->by_lines[i]].quotes > 0;
        size_t nrows = rows + (unattributed > 0);
        size_t max = unattributed;
        for (size_t i = 0; i < h->nlisted; i++)
            if (doc->chars[h->by_lines[i]].quotes > max)
                max = doc->chars[h->by_lines[i]].quotes;
        if (!max)
            max = 1;
        sink_printf(s,
                    "<svg class=\"bars\" viewBox=\"0 0 320 %zu\" role=\"img\" "
                    "aria-labelledby=\"bars-title\">"
                    "<title id=\"bars-title\">Share of the quotations by speaker</title>\n",
                    nrows * 22 + 4);
        for (size_t r = 0; r < rows; r++) {
            size_t c = h->by_lines[r]; /* most lines first: the speakers come first */
            bar(s, 2 + 22 * r, doc->chars[c].name, doc->chars[c].quotes, palette[h->colour[c]], max,
                total);
        }
        if (unattributed)
            bar(s, 2 + 22 * rows, "(unattributed)", unattributed, "#707070", max, total);
        sink_puts(s, "</svg>\n");
    }
    /* the table: every character, with line count, share and other names */
    sink_puts(s,
              "<table class=\"cast\"><thead><tr><th>Character</th><th>Lines</th><th>Share</th></tr>"
              "</thead><tbody>\n");
    for (size_t i = 0; i < h->nlisted; i++) {
        size_t c = h->by_lines[i];
        const character *ch = &doc->chars[c];
        sink_printf(s, "<tr class=\"k%d\" data-character=\"%s\"><td><span class=\"sw\"></span>",
                    h->colour[c], ch->id);
        esc(s, ch->name);
        bool first = true;
        for (uint32_t a = 0; a < ch->naliases && a < 6; a++) {
            if (!strcmp(ch->aliases[a], ch->name))
                continue;
            sink_puts(s, first ? "<br><span class=\"aka\">also " : ", ");
            first = false;
            esc(s, ch->aliases[a]);
        }
        if (!first)
            sink_puts(s, "</span>");
        sink_printf(s, "</td><td class=\"n\">%u</td><td class=\"n\">%.0f%%</td></tr>\n", ch->quotes,
                    total ? 100.0 * ch->quotes / (double)total : 0.0);
    }
    if (unattributed)
        sink_printf(s,
                    "<tr><td><span class=\"sw\" style=\"--c:#707070\"></span>(unattributed)</td>"
                    "<td class=\"n\">%zu</td><td class=\"n\">%.0f%%</td></tr>\n",
                    unattributed, 100.0 * unattributed / (double)total);
    sink_puts(s, "</tbody></table>\n");

    /* who speaks to whom: the most talkative speakers and addressees */
    size_t top[MATRIX_MAX], ntop = 0;
    bool *addressed = calloc(doc->nchar ? doc->nchar : 1, sizeof *addressed);
    if (!addressed) {
        h->s->out.failed = h->s->failed = true; /* reported as out of memory */
        h->s->room = 0;
        return;
    }
    for (size_t q = 0; q < doc->nquote; q++)
        for (uint32_t a = 0; a < doc->quotes[q].naddressees; a++)
            addressed[doc->quotes[q].addressees[a]] = true;
    for (size_t i = 0; i < h->nlisted && ntop < MATRIX_MAX; i++)
        if (doc->chars[h->by_lines[i]].quotes > 0 || addressed[h->by_lines[i]])
            top[ntop++] = h->by_lines[i];
    free(addressed);
    sink_puts(s, "<h2>Who speaks to whom</h2>\n");
    if (!ntop) {
        sink_puts(s, "<p class=\"hint\">No attributed quotations.</p>\n</aside>\n");
        return;
    }
    size_t m[MATRIX_MAX][MATRIX_MAX];
    memset(m, 0, sizeof m);
    size_t cell_max = 0;
    for (size_t q = 0; q < doc->nquote; q++) {
        const quote *qq = &doc->quotes[q];
        size_t si = MATRIX_MAX;
        for (size_t i = 0; i < ntop; i++)
            if (top[i] == qq->speaker)
                si = i;
        if (si == MATRIX_MAX)
            continue;
        for (uint32_t a = 0; a < qq->naddressees; a++)
            for (size_t j = 0; j < ntop; j++)
                if (top[j] == qq->addressees[a] && ++m[si][j] > cell_max)
                    cell_max = m[si][j];
    }
    sink_puts(s, "<table class=\"matrix\"><caption class=\"hint\">rows speak to columns "
                 "(quotations)</caption><thead><tr><th></th>");
    for (size_t j = 0; j < ntop; j++) {
        sink_printf(s, "<th class=\"r k%d\" scope=\"col\"><span class=\"sw\"></span>",
                    h->colour[top[j]]);
        esc(s, doc->chars[top[j]].name);
        sink_puts(s, "</th>");
    }
    sink_puts(s, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < ntop; i++) {
        sink_printf(s, "<tr><th scope=\"row\" class=\"k%d\"><span class=\"sw\"></span>",
                    h->colour[top[i]]);
        esc(s, doc->chars[top[i]].name);
        sink_puts(s, "</th>");
        for (size_t j = 0; j < ntop; j++) {
            size_t v = m[i][j];
            if (v)
                sink_printf(s, "<td class=\"n\" style=\"background:rgba(224,168,0,%.2f)\">%zu</td>",
                            0.12 + 0.6 * (double)v / (double)cell_max, v);
            else
                sink_puts(s, "<td class=\"n\"></td>");
        }
        sink_puts(s, "</tr>\n");
    }
    sink_puts(s, "</tbody></table>\n</aside>\n");
}

quoth_status render_html(const quoth_doc *doc, const quoth_render_options *opts, sink *s) {
    (void)opts;
    html_state h;
    memset(&h, 0, sizeof h);
    h.doc = doc;
    h.s = s;
    size_t nc = doc->nchar ? doc->nchar : 1;
    h.colour = malloc(nc * sizeof *h.colour);
    h.by_lines = malloc(nc * sizeof *h.by_lines);
    size_t *tmp = malloc(nc * sizeof *tmp);
    h.ev = malloc((doc->nquote ? doc->nquote : 1) * sizeof *h.ev);
    h.attr_name = calloc(nc, sizeof *h.attr_name);
    quoth_iter *it = quoth_iter_new(doc);
    bool ok = h.colour && h.by_lines && tmp && h.ev && h.attr_name && it;
    for (size_t c = 0; ok && c < doc->nchar; c++)
        ok = (h.attr_name[c] = attr_escaped(doc->chars[c].name ? doc->chars[c].name : "")) != NULL;
    if (!ok) {
        for (size_t c = 0; h.attr_name && c < doc->nchar; c++)
            free(h.attr_name[c]);
        free(h.attr_name);
        free(h.colour);
        free(h.by_lines);
        free(tmp);
        free(h.ev);
        quoth_iter_free(it);
        return QUOTH_ERR_NOMEM;
    }
    for (size_t c = 0; c < doc->nchar; c++) {
        h.colour[c] = doc->chars[c].listed ? (int)(h.nlisted % PALETTE_SIZE) : -1;
        if (doc->chars[c].listed)
            h.by_lines[h.nlisted++] = c;
    }
    sort_by_lines(h.by_lines, h.nlisted, doc, tmp);
    free(tmp);
    for (size_t q = 0; q < doc->nquote; q++)
        if (doc->quotes[q].evidence_mention) {
            h.ev[h.nev].start = doc->quotes[q].evidence.start;
            h.ev[h.nev].end = doc->quotes[q].evidence.end;
            h.ev[h.nev].q = q;
            h.nev++;
        }
    qsort(h.ev, h.nev, sizeof *h.ev, cmp_evidence);

    const char *title = quoth_doc_meta(doc, "title");
    const char *author = quoth_doc_meta(doc, "author");
    const char *lang = quoth_doc_meta(doc, "language");
    sink_printf(s,
                "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"quoth " QUOTH_VERSION_STRING "\">\n<title>",
                render_lang_ok(lang) ? lang : "en");
    esc(s, title ? title : "Who says what");
    sink_puts(s, " \xE2\x80\x94 quoth</title>\n<style>\n");
    sink_puts(s, css);
    for (int k = 0; k < PALETTE_SIZE; k++)
        sink_printf(s, ".k%d{--c:%s}\n", k, palette[k]);
    sink_puts(s, "</style>\n</head>\n<body>\n<header class=\"top\">\n<h1>");
    esc(s, title ? title : "Who says what");
    sink_puts(s, "</h1>\n");
    if (author) {
        sink_puts(s, "<p class=\"author\">by ");
        esc(s, author);
        sink_puts(s, "</p>\n");
    }
    static const char *const shown[][2] = {{"fandom", "Fandom"},
                                           {"characters", "Characters"},
                                           {"source", "Source"},
                                           {"summary", "Summary"}};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        for (size_t m = 0; m < doc->nmeta; m++)
            if (!strcmp(doc->meta[m].key, shown[i][0])) {
                /* the source is shown, not linked: the page links nowhere */
                sink_printf(s, "<p class=\"meta-%s\">%s: ", shown[i][0], shown[i][1]);
                esc(s, doc->meta[m].value);
                sink_puts(s, "</p>\n");
            }
    sink_printf(s,
                "<p>%zu quotations, %zu characters. Quotations are coloured by speaker; "
                "click one for the evidence. A dashed line and ? mark an uncertain speaker.</p>\n"
                "<a class=\"jump\" href=\"#who\">Who speaks, and to whom \xE2\x86\x93</a>\n"
                "</header>\n<div class=\"layout\">\n<article>\n",
                doc->nquote, h.nlisted);

    quoth_event ev;
    while ((ev = quoth_iter_next(it)) != QUOTH_EVENT_NONE) {
        const quoth_node *n = quoth_iter_node(it);
        switch (n->kind) {
        case QUOTH_NODE_SECTION: {
            const section *sec = &doc->sections[n->index];
            if (ev != QUOTH_EVENT_ENTER)
                break;
            if (sec->kind == QUOTH_SECTION_BREAK)
                sink_puts(s, "<hr class=\"break\">\n");
            else if (sec->kind == QUOTH_SECTION_HEADING && sec->title && sec->title[0]) {
                sink_printf(s, "<h2 id=\"s%zu\">", n->index);
                esc(s, sec->title);
                sink_puts(s, "</h2>\n");
            }
            break;
        }
        case QUOTH_NODE_PARAGRAPH: {
            const paragraph *p = &doc->paras[n->index];
            if (p->kind == QUOTH_PARA_HEADING)
                break;
            if (ev == QUOTH_EVENT_ENTER) {
                sink_puts(s, "<p id=\"p");
                sink_uint(s, n->index);
                sink_puts(s, p->kind == QUOTH_PARA_PARATEXT ? "\" class=\"paratext\">" : "\">");
            } else
                sink_puts(s, "</p>\n");
            break;
        }
        case QUOTH_NODE_TEXT:
            if (doc->paras[n->index].kind != QUOTH_PARA_HEADING)
                narration(&h, n->span.start, n->span.end);
            break;
        case QUOTH_NODE_QUOTE: quote_span(&h, n); break;
        default: break;
        }
    }
    sink_puts(s, "</article>\n");
    panel(&h);
    sink_puts(s, "</div>\n<div id=\"info\" role=\"dialog\" aria-label=\"Quotation details\" hidden>"
                 "<button type=\"button\" "
                 "aria-label=\"Close\">\xC3\x97</button><dl></dl></div>\n<script>\n");
    sink_puts(s, script);
    sink_puts(s, "</script>\n</body>\n</html>\n");
    quoth_iter_free(it);
    for (size_t c = 0; c < doc->nchar; c++)
        free(h.attr_name[c]);
    free(h.attr_name);
    free(h.colour);
    free(h.by_lines);
    free(h.ev);
    return QUOTH_OK;
}
