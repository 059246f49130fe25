/*
 * main.c — the quoth command: arguments, files and exit codes only. All
 * analysis is in the library (include/quoth.h).
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "batch.h"
#include "eval.h"
#include "index.h"
#include "quoth.h"
#include "quoth_read.h"
#include "files.h"

#define MAX_FORMATS 16
/* -f text: not a renderer but the reader's extracted text, byte for byte */
#define FORMAT_EXTRACTED ((quoth_format)-1)

enum {
    EXIT_OK = 0,
    EXIT_USAGE = 2,
    EXIT_INPUT = 3,
    EXIT_CAST = 4,
    EXIT_LIMIT = 5,
    EXIT_OUTPUT = 6,
    EXIT_INVALID = 7,
    EXIT_INTERNAL = 70
};

static const char *progname = "quoth";

static void usage(FILE *f) {
    fprintf(f,
"Usage: quoth [OPTIONS] [FILE]\n"
"       quoth -d OUTDIR [-j N] [--resume] [OPTIONS] FILE|DIR...\n"
"       quoth --jsonl [-j N] [OPTIONS] [JSONL_FILE...]\n"
"       quoth eval [--cast-from-gold] [--json] GOLD_DIR...\n"
"       quoth index [-j N] DIR|FILE... -o corpus.db\n"
"\n"
"Reads a story (FILE, or standard input when FILE is absent or '-') and\n"
"writes every quotation with who says it and to whom. FILE may be UTF-8\n"
"text, Markdown, HTML (AO3 and FanFiction.net pages, FanFicFare output) or\n"
"an EPUB; the reader is chosen by content. Offsets in the output refer to\n"
"the extracted text, which --format text prints.\n"
"\n"
"Options:\n"
"  -f, --format FMT     output format: json (default), script, fountain (a\n"
"                       screenplay), tei (TEI P5 XML), html (a page coloured by\n"
"                       speaker), csv, ssml or voices (text to speech), text\n"
"                       (the extracted text, byte for byte); several separated\n"
"                       by commas, each to its own -o; none: analyse only\n"
"  -o, --output FILE    write the result to FILE (atomically: FILE is replaced\n"
"                       only when the whole result is written); once per format\n"
"  -r, --reader NAME    auto (default: by content, then the file name's\n"
"                       extension), text, markdown, html or epub\n"
"      --cast-from-tags use the site's character tags (AO3, FanFiction.net,\n"
"                       FanFicFare) that occur in the text as the cast\n"
"      --voices FILE    ssml/voices: 'Name = voice-id' lines (also narrator =,\n"
"                       unknown =); others read as voice1, voice2, ...\n"
"  -c, --cast FILE      a cast file: one character per line, main name first,\n"
"                       then aliases, descriptors and a pronoun, separated by |\n"
"                         Clark Kent | Clark | Kal-El | the alien | it\n"
"      --text           JSON: include each quotation's text\n"
"      --mentions       JSON: include every mention (names, pronouns, ...)\n"
"      --stop-after STAGE\n"
"                       stop after a pipeline stage: segment, quotes,\n"
"                       mentions, cast or attribute (for debugging)\n"
"\n");
    /* two strings: C99 guarantees literals of 4095 bytes only */
    fputs(
"Many works (a batch run: -d, then files and folders, walked for .txt .md\n"
".markdown .html .htm .xhtml .epub):\n"
"  -d, --output-dir DIR one output per work and format in DIR (created when\n"
"                       missing), named after the input's path: a/b.txt ->\n"
"                       DIR/a/b.json, .tei.xml, .script.txt, ...\n"
"  -j, --jobs N         N threads (0, the default: one per online CPU)\n"
"      --resume         skip works whose outputs are newer than the input,\n"
"                       the quoth executable and the cast/voices/weights files\n"
"      --progress, --no-progress\n"
"                       progress bar on stderr (default: when it is a terminal)\n"
"      --jsonl          read {\"id\":..,\"text\":..} or {\"id\":..,\"path\":..} lines,\n"
"                       write {\"id\":..,\"result\":{..}} or {\"id\":..,\"error\":..}\n"
"                       lines in the same order (-j N: N threads; default 1)\n"
"\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"Developer options (training the ranker, tools/ranker/):\n"
"      --ranker-weights FILE  the ranker's weights from FILE, not the built-in\n"
"      --features FILE        write the ranker's feature table to FILE\n"
"\n"
"Examples:\n"
"  quoth story.txt                      JSON to standard output\n"
"  quoth -f script story.txt            LEX: ... / CLARK: ... script\n"
"  quoth story.epub                     an EPUB (or AO3/FFN HTML, Markdown)\n"
"  quoth -f text story.html             the text quoth analyses\n"
"  quoth -c cast.txt -o out.json story.txt\n"
"  quoth -f tei,html -o story.xml -o story.html story.txt\n"
"  quoth -f ssml --voices voices.txt story.txt\n"
"  quoth -j 2 -d results library/       every work under library/\n"
"  parallel --pipe -N 100 quoth --jsonl < works.jsonl > results.jsonl\n"
"  quoth eval ../shared/corpus/pdnc-dev   score on annotated works (quoth eval -h)\n"
"  quoth index library/ -o corpus.db     a SQLite store of many works (quoth index -h)\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 input unreadable, 4 invalid cast\n"
"or voices file, 5 input exceeds a limit, 6 output failed, 7 input invalid\n"
"in its format (damaged zip, not an EPUB, binary data as HTML), 70 internal\n"
"error. Many works: the status of the first that failed (all are listed).\n"
"See quoth(1) for the JSON fields and the cast file format.\n",
          f);
}

static void die_usage(const char *what, const char *arg) {
    fprintf(stderr, "%s: %s '%s'\n", progname, what, arg);
    fprintf(stderr, "Try '%s --help' for more information.\n", progname);
    exit(EXIT_USAGE);
}

/* Reads a whole file (or stdin for "-"), NUL-terminated; NULL with errno
 * set (files.c). */
static char *read_all(const char *path, size_t *len, size_t max) { return cli_read_file(path, len, max, NULL); }

static int write_file(void *ctx, const char *data, size_t len) {
    FILE *f = ctx;
    return fwrite(data, 1, len, f) == len ? 0 : -1;
}

static quoth_stage stage_from_name(const char *s) {
    static const char *const names[] = {"segment", "quotes", "mentions", "cast", "attribute"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i]))
            return (quoth_stage)(i + 1);
    return (quoth_stage)0;
}

/* Renders one format to output (NULL or "-": standard output), through a
 * temporary file renamed into place. Returns an exit status. */
static int write_result(const quoth_doc *doc, quoth_format format, const quoth_render_options *ropts,
                        const char *text, size_t tlen, const char *output) {
    int rc = EXIT_OK;
    FILE *out = stdout;
    char *tmp = NULL;
    char *target = NULL; /* the file the result finally replaces */
    int slot = -1;       /* the temporary file, armed for a signal (files.h) */
    if (output && strcmp(output, "-")) {
        struct stat so;
        if (stat(output, &so) == 0 && !S_ISREG(so.st_mode)) {
            /* a device, a FIFO: write to it; never replace it with a file */
            if (S_ISDIR(so.st_mode) || !(out = fopen(output, "wb"))) {
                fprintf(stderr, "%s: cannot write to '%s': %s\n", progname, output,
                        S_ISDIR(so.st_mode) ? "it is a directory" : strerror(errno));
                rc = EXIT_OUTPUT;
                goto done;
            }
        } else {
            /* through a symbolic link, replace the file it points to */
            target = realpath(output, NULL);
            const char *dest = target ? target : output;
            int fd = cli_tmp_create(dest, &tmp, &slot); /* armed for a signal before it exists */
            if (fd < 0 && errno == ENOMEM) {
                rc = EXIT_INTERNAL;
                goto done;
            }
            if (fd < 0 || !(out = fdopen(fd, "wb"))) {
                int e = errno;
                fprintf(stderr, "%s: cannot write '%s': %s%s\n", progname, output, strerror(e),
                        e == ENOENT   ? " (its folder does not exist: create it first)"
                        : e == EACCES ? " (no permission to write in its folder)"
                                      : "");
                if (fd >= 0) {
                    close(fd);
                    unlink(tmp);
                }
                cli_tmp_disarm(slot);
                free(tmp);
                tmp = NULL;
                rc = EXIT_OUTPUT;
                goto done;
            }
            /* the mode a new file would have (umask), or the old file's */
            mode_t mask = umask(0);
            umask(mask);
            mode_t mode = 0666 & ~mask;
            if (stat(dest, &so) == 0)
                mode = so.st_mode & 07777;
            if (fchmod(fd, mode) != 0) {
                /* keep going: the mode is a courtesy, the content matters */
            }
        }
    }
    quoth_status st = format == FORMAT_EXTRACTED ? (write_file(out, text, tlen) ? QUOTH_ERR_OUTPUT : QUOTH_OK)
                                                 : quoth_render_ex(doc, format, ropts, write_file, out);
    if (st == QUOTH_OK && fflush(out) != 0)
        st = QUOTH_ERR_OUTPUT;
    if (tmp) {
        if (fsync(fileno(out)) != 0 && st == QUOTH_OK)
            st = QUOTH_ERR_OUTPUT;
        if (fclose(out) != 0 && st == QUOTH_OK)
            st = QUOTH_ERR_OUTPUT;
        if (st == QUOTH_OK && rename(tmp, target ? target : output) != 0) {
            fprintf(stderr, "%s: cannot write '%s': %s\n", progname, output, strerror(errno));
            st = QUOTH_ERR_OUTPUT;
        }
        if (st != QUOTH_OK)
            unlink(tmp);
        cli_tmp_disarm(slot);
        free(tmp);
    } else if (out != stdout) {
        if (fclose(out) != 0 && st == QUOTH_OK)
            st = QUOTH_ERR_OUTPUT;
    }
    if (st == QUOTH_ERR_OUTPUT && out == stdout && errno == EPIPE) {
        /* the reader went away (quoth ... | head): nothing to say */
        rc = EXIT_OUTPUT;
    } else if (st != QUOTH_OK) {
        if (st == QUOTH_ERR_OUTPUT)
            fprintf(stderr, "%s: writing the result to '%s' failed: %s\n", progname,
                    output ? output : "standard output", strerror(errno));
        else
            fprintf(stderr, "%s: %s\n", progname, quoth_status_string(st));
        rc = st == QUOTH_ERR_OUTPUT ? EXIT_OUTPUT : EXIT_INTERNAL;
    }
done:
    free(target);
    return rc;
}

int main(int argc, char **argv) {
#ifdef __GLIBC__
    /* glibc raises its mmap threshold each time a mapped block is freed
     * (the input, once read), after which the document's growing arrays
     * come from the heap, where each realloc that moves one leaves the old
     * copy resident. A fixed threshold keeps them mapped: they grow by
     * mremap and are unmapped when freed (peak RSS on a novel: -8%). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    cli_signals_init();
    if (argc > 1 && !strcmp(argv[1], "eval")) /* a file named eval: quoth ./eval */
        return quoth_eval_main(argc - 1, argv + 1, progname);
    if (argc > 1 && !strcmp(argv[1], "index")) /* cli/index.c: the SQLite corpus index */
        return quoth_index_main(argc - 1, argv + 1, progname);
    const char *input = NULL, *cast_path = NULL, *format_name = "json", *voices_path = NULL;
    const char *weights_path = NULL, *features_path = NULL;
    const char *reader_name = "auto";
    bool cast_from_tags = false;
    const char *outputs[MAX_FORMATS];
    size_t noutputs = 0;
    unsigned flags = QUOTH_RENDER_DEFAULT;
    quoth_stage stop = (quoth_stage)0;
    bool options_done = false;
    /* -d OUTDIR makes a batch run (cli/batch.c): several inputs, folders */
    char **inputs = argv; /* gathered in place: input k was argv[i >= k + 1] */
    size_t ninputs = 0;
    quoth_batch_config batch = {.progress = -1};
    const char *batch_option = NULL; /* -j, --resume, --progress: need -d or --jsonl */
    bool jsonl = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (options_done) {
            inputs[ninputs++] = argv[i];
            continue;
        }
#define TAKES(shortf, longf)                                                        \
    ((!strcmp(a, shortf) || !strcmp(a, longf)) &&                                  \
     (i + 1 < argc ? (val = argv[++i], 1) : (die_usage("a value is missing after option", a), 0)))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            printf("quoth %s\n", QUOTH_VERSION_STRING);
            return EXIT_OK;
        } else if (TAKES("-f", "--format")) {
            format_name = val;
        } else if (!strncmp(a, "--format=", 9)) {
            format_name = a + 9;
        } else if (TAKES("-o", "--output") || !strncmp(a, "--output=", 9)) {
            if (noutputs == MAX_FORMATS)
                die_usage("too many -o options; at most one per format:", a);
            outputs[noutputs++] = val ? val : a + 9;
        } else if (TAKES("--voices", "--voices") || !strncmp(a, "--voices=", 9)) {
            voices_path = val ? val : a + 9;
        } else if (TAKES("-c", "--cast")) {
            cast_path = val;
        } else if (!strncmp(a, "--cast=", 7)) {
            cast_path = a + 7;
        } else if (TAKES("--ranker-weights", "--ranker-weights")) {
            weights_path = val;
        } else if (TAKES("--features", "--features")) {
            features_path = val;
        } else if (TAKES("-r", "--reader")) {
            reader_name = val;
        } else if (!strncmp(a, "--reader=", 9)) {
            reader_name = a + 9;
        } else if (!strcmp(a, "--cast-from-tags")) {
            cast_from_tags = true;
        } else if (!strcmp(a, "--text")) {
            flags |= QUOTH_RENDER_TEXT;
        } else if (!strcmp(a, "--mentions")) {
            flags |= QUOTH_RENDER_MENTIONS;
        } else if (TAKES("--stop-after", "--stop-after") || !strncmp(a, "--stop-after=", 13)) {
            if (!val)
                val = a + 13;
            stop = stage_from_name(val);
            if (!stop)
                die_usage("unknown stage (use segment, quotes, mentions, cast or attribute):", val);
        } else if (TAKES("-j", "--jobs") || !strncmp(a, "--jobs=", 7) || (!strncmp(a, "-j", 2) && a[2])) {
            const char *n = val ? val : a[1] == 'j' ? a + 2 : a + 7;
            char *end;
            errno = 0;
            long jobs = strtol(n, &end, 10);
            if (!*n || *end || errno || jobs < 0 || jobs > 1024)
                die_usage("-j takes a number of threads from 0 (one per CPU) to 1024:", n);
            batch.jobs = (unsigned)jobs;
            batch_option = a;
        } else if (TAKES("-d", "--output-dir") || !strncmp(a, "--output-dir=", 13)) {
            batch.outdir = val ? val : a + 13;
            if (!*batch.outdir)
                die_usage("-d needs a folder name:", a);
        } else if (!strcmp(a, "--resume")) {
            batch.resume = true;
            batch_option = a;
        } else if (!strcmp(a, "--progress") || !strcmp(a, "--no-progress")) {
            batch.progress = a[2] == 'p';
            batch_option = a;
        } else if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (!strcmp(a, "--") && !options_done) {
            options_done = true;
        } else if (a[0] == '-' && a[1] != '\0' && !options_done) {
            die_usage("unknown option", a);
        } else {
            inputs[ninputs++] = argv[i];
        }
#undef TAKES
    }
    bool batch_run = !jsonl && batch.outdir;
    if (!jsonl && !batch_run) {
        if (batch_option)
            die_usage("a batch run writes into a folder: give -d OUTDIR with", batch_option);
        if (ninputs > 1)
            die_usage("one input file at a time (several make a batch run: add -d OUTDIR); a second was given:",
                      inputs[1]);
    }
    if (jsonl || batch_run) {
        input = "-"; /* unused: the works are in inputs */
        if (noutputs)
            die_usage(jsonl ? "--jsonl writes to standard output; no -o with" : "a batch run writes into -d OUTDIR; no -o with",
                      outputs[0]);
        if (features_path)
            die_usage("--features takes a single input file, not", jsonl ? "--jsonl" : "a batch run");
        if (batch_run && !ninputs)
            die_usage("a batch run needs files or folders to read after", "-d");
        for (size_t i = 0; i < ninputs && batch_run; i++)
            if (!strcmp(inputs[i], "-"))
                die_usage("a batch run reads files and folders, not standard input:", inputs[i]);
        if (jsonl && (batch.outdir || batch.resume || batch.progress >= 0))
            die_usage("--jsonl writes to standard output; not with",
                      batch.outdir ? "-d" : batch.resume ? "--resume" : "--progress");
        if (jsonl && strcmp(format_name, "json"))
            die_usage("--jsonl writes JSON results; not with -f", format_name);
    } else {
        input = ninputs ? inputs[0] : "-";
        inputs = NULL;
    }
    /* -f json,tei,html: several formats from one analysis, each to its own
     * -o in the same order (or all to standard output) */
    quoth_format formats[MAX_FORMATS];
    size_t nformats = 0;
    char names[256];
    if (strlen(format_name) >= sizeof names)
        die_usage("format list too long:", format_name);
    strcpy(names, format_name);
    for (char *save = NULL, *f = strtok_r(names, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        if (nformats == MAX_FORMATS)
            die_usage("too many formats:", format_name);
        if (!strcmp(f, "none"))
            formats[nformats] = (quoth_format)0;
        else if (!strcmp(f, "text"))
            formats[nformats] = FORMAT_EXTRACTED;
        else if (quoth_format_from_name(f, &formats[nformats]) != 0)
            die_usage("unknown format (use json, script, fountain, tei, html, csv, ssml, voices, text or none):", f);
        nformats++;
    }
    if (!nformats)
        die_usage("no format given:", format_name);
    if (noutputs > 1 && noutputs != nformats) {
        fprintf(stderr, "%s: %zu formats but %zu -o files: give one -o per format, in the same order\n",
                progname, nformats, noutputs);
        return EXIT_USAGE;
    }
    if (noutputs == 1 && nformats > 1) {
        fprintf(stderr, "%s: %zu formats but one -o file: give one -o per format, in the same order\n",
                progname, nformats);
        return EXIT_USAGE;
    }
    bool analyse = false; /* -f text alone needs only the reader */
    for (size_t i = 0; i < nformats; i++)
        analyse |= formats[i] != FORMAT_EXTRACTED;
    quoth_reader_kind reader_kind;
    if (quoth_reader_from_name(reader_name, &reader_kind) != 0)
        die_usage("unknown reader (use auto, text, markdown, html or epub):", reader_name);
    if (cast_from_tags && cast_path)
        die_usage("--cast-from-tags and a cast file exclude each other:", cast_path);
    const char *shown = strcmp(input, "-") ? input : "standard input";

    /* -o must never replace the input */
    for (size_t i = 0; i < noutputs && strcmp(input, "-"); i++) {
        const char *output = outputs[i];
        struct stat si, so;
        if (stat(input, &si) == 0 && stat(output, &so) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            fprintf(stderr, "%s: refusing to write the result over the input '%s' (-o '%s' is the same file); give another -o\n",
                    progname, input, output);
            return EXIT_USAGE;
        }
    }

    quoth_cast *cast = NULL;
    if (cast_path) {
        /* read once: shared, read-only, by every work of a batch run */
        size_t clen;
        char *cdata = read_all(cast_path, &clen, (size_t)64 << 20);
        if (!cdata) {
            fprintf(stderr, "%s: cannot read cast file '%s': %s\n", progname, cast_path, strerror(errno));
            return EXIT_INPUT;
        }
        quoth_error cerr;
        cast = quoth_cast_parse(cdata, clen, &cerr);
        free(cdata);
        if (!cast) {
            fprintf(stderr, "%s: %s:%zu: %s\n", progname, cast_path, cerr.line, cerr.message);
            return cerr.status == QUOTH_ERR_NOMEM ? EXIT_INTERNAL : EXIT_CAST;
        }
    }
    if (inputs) {
        batch.inputs = (const char *const *)inputs;
        batch.ninputs = ninputs;
        batch.formats = formats;
        batch.nformats = nformats;
        batch.reader = reader_kind;
        batch.cast = cast;
        batch.cast_path = cast_path;
        batch.cast_from_tags = cast_from_tags;
        batch.stop_after = stop;
        batch.weights_path = weights_path;
        batch.voices_path = voices_path;
        batch.render_flags = flags;
        int brc = jsonl ? quoth_jsonl_main(&batch, progname) : quoth_batch_main(&batch, progname);
        quoth_cast_free(cast);
        return brc;
    }

    size_t len = 0;
    char *data = read_all(input, &len, (size_t)2 << 30);
    if (!data) {
        int e = errno;
        fprintf(stderr, "%s: cannot read '%s': %s%s\n", progname, shown,
                e == EFBIG ? "larger than the 2 GiB limit" : strerror(e),
                e == EISDIR ? " (for every work in it: quoth -d OUTDIR FOLDER)" : "");
        quoth_cast_free(cast);
        return e == EFBIG ? EXIT_LIMIT : EXIT_INPUT;
    }
    char *weights = NULL;
    if (weights_path) {
        size_t wl;
        if (!(weights = read_all(weights_path, &wl, (size_t)1 << 20))) {
            fprintf(stderr, "%s: cannot read ranker weights '%s': %s\n", progname, weights_path, strerror(errno));
            free(data);
            quoth_cast_free(cast);
            return EXIT_INPUT;
        }
    }
    quoth_reading *reading = NULL;
    quoth_error err;
    bool utf16_bom = cli_utf16_bom(data, len);
    /* the reading takes data over: plain text is read without a copy */
    quoth_status rst = quoth_read_owned(data, len, strcmp(input, "-") ? input : NULL, reader_kind, &reading, &err);
    if (rst != QUOTH_OK) {
        free(weights);
        fprintf(stderr, "%s: %s: %s\n", progname, shown, err.message);
        quoth_cast_free(cast);
        return rst == QUOTH_ERR_LIMIT    ? EXIT_LIMIT
               : rst == QUOTH_ERR_FORMAT ? EXIT_INVALID
                                         : EXIT_INTERNAL;
    }
    size_t tlen, nmeta, npara;
    const char *text = quoth_reading_text(reading, &tlen);
    const char *not_utf16 = utf16_bom ? cli_utf16_implausible(text, tlen) : NULL;
    if (!tlen && !len) {
        fprintf(stderr, "%s: %s: the input is empty; the result has no quotations\n", progname, shown);
    } else if (not_utf16) {
        fprintf(stderr,
                "%s: %s: starts with a UTF-16 byte-order mark and was read as UTF-16, but %s; if it is not "
                "UTF-16, remove its first two bytes\n",
                progname, shown, not_utf16);
    } else if (!strcmp(quoth_reading_reader(reading), "text")) {
        /* read as it is: say where it is not UTF-8 text (offsets are the file's) */
        cli_text_check ck;
        cli_check_text(text, tlen, &ck);
        if (ck.invalid + ck.nul > tlen / 10 && tlen >= 64)
            fprintf(stderr,
                    "%s: %s: does not look like text (%zu of %zu bytes are NUL or not UTF-8, the first at "
                    "line %zu, column %zu); reading it anyway\n",
                    progname, shown, ck.invalid + ck.nul, tlen, ck.line, ck.column);
        else if (ck.invalid)
            fprintf(stderr,
                    "%s: %s:%zu:%zu: invalid UTF-8 (%zu bad byte%s in all), read as U+FFFD; if the file is in "
                    "another encoding, convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8\n",
                    progname, shown, ck.line, ck.column, ck.invalid, ck.invalid == 1 ? "" : "s");
        else if (ck.nul)
            fprintf(stderr, "%s: %s:%zu:%zu: %zu NUL byte%s; is this a text file? (reading it anyway)\n", progname, shown, ck.line,
                    ck.column, ck.nul, ck.nul == 1 ? "" : "s");
    }
    const quoth_meta *meta = quoth_reading_meta(reading, &nmeta);
    const quoth_span *para = quoth_reading_paratext(reading, &npara);
    if (cast_from_tags) {
        size_t hlen;
        const char *hint = quoth_reading_cast_hint(reading, &hlen);
        if (hint) {
            quoth_error cerr;
            cast = quoth_cast_parse(hint, hlen, &cerr);
            if (!cast)
                fprintf(stderr, "%s: %s: the character tags give no usable cast (%s); finding the characters in the text\n",
                        progname, shown, cerr.message);
        } else {
            fprintf(stderr, "%s: %s: no character tags that occur in the text; finding the characters in the text\n",
                    progname, shown);
        }
    }

    quoth_options opts = {.cast = cast, .stop_after = stop, .meta = meta, .nmeta = nmeta,
                          .paratext = para, .nparatext = npara, .ranker_weights = weights,
                          /* the reading outlives the document: no copy of the text */
                          .flags = QUOTH_OPT_BORROW_TEXT | (features_path ? QUOTH_OPT_FEATURES : 0u)};
    quoth_doc *doc = NULL;
    if (analyse) {
        doc = quoth_parse(text, tlen, &opts, &err);
        if (!doc) {
            free(weights);
            quoth_reading_free(reading);
            quoth_cast_free(cast);
            if (err.status == QUOTH_ERR_ARGUMENT && weights_path) {
                fprintf(stderr, "%s: %s: %s\n", progname, weights_path, err.message);
                return EXIT_USAGE;
            }
            fprintf(stderr, "%s: %s: %s\n", progname, shown, err.message);
            return err.status == QUOTH_ERR_LIMIT ? EXIT_LIMIT : EXIT_INTERNAL;
        }
    }
    free(weights);
    if (features_path && doc) {
        size_t flen;
        const char *ftext = quoth_doc_features(doc, &flen);
        FILE *ff = fopen(features_path, "wb");
        bool ok = ff && fwrite(ftext, 1, flen, ff) == flen;
        if (ff && fclose(ff) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "%s: cannot write '%s': %s\n", progname, features_path, strerror(errno));
            quoth_doc_free(doc);
            quoth_reading_free(reading);
            quoth_cast_free(cast);
            return EXIT_OUTPUT;
        }
    }

    /* read after the analysis, so the reading of the story stays as it was */
    quoth_voices *voices = NULL;
    if (voices_path) {
        size_t vlen;
        char *vdata = read_all(voices_path, &vlen, (size_t)64 << 20);
        if (!vdata) {
            fprintf(stderr, "%s: cannot read voices file '%s': %s\n", progname, voices_path, strerror(errno));
            quoth_doc_free(doc);
            quoth_reading_free(reading);
            quoth_cast_free(cast);
            return EXIT_INPUT;
        }
        quoth_error verr;
        voices = quoth_voices_parse(vdata, vlen, &verr);
        free(vdata);
        if (!voices) {
            fprintf(stderr, "%s: %s:%zu: %s\n", progname, voices_path, verr.line, verr.message);
            quoth_doc_free(doc);
            quoth_reading_free(reading);
            quoth_cast_free(cast);
            return verr.status == QUOTH_ERR_NOMEM ? EXIT_INTERNAL : EXIT_CAST;
        }
    }

    int rc = EXIT_OK;
    quoth_render_options ropts = QUOTH_RENDER_OPTIONS_INIT;
    ropts.flags = flags;
    ropts.voices = voices;
    for (size_t i = 0; i < nformats && rc == EXIT_OK; i++)
        if (formats[i]) /* 0: "none", analysis only */
            rc = write_result(doc, formats[i], &ropts, text, tlen, noutputs ? outputs[i] : NULL);
    quoth_doc_free(doc);
    quoth_reading_free(reading);
    quoth_cast_free(cast);
    quoth_voices_free(voices);
    return rc;
}
