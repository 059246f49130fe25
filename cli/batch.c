/*
 * batch.c — whole-archive runs: many works analysed by N threads, one
 * output per work and format, and the JSON-lines stream mode for Hadoop
 * Streaming, Spark's RDD.pipe and GNU parallel. Files and threads only;
 * the analysis is the library's (which keeps no global mutable state, so
 * each worker reads, analyses and renders its own work).
 */
#define _GNU_SOURCE /* syncfs */
#include "batch.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* main.c's exit statuses */
enum {
    B_OK = 0,
    B_USAGE = 2,
    B_INPUT = 3,
    B_CAST = 4,
    B_LIMIT = 5,
    B_OUTPUT = 6,
    B_INVALID = 7,
    B_INTERNAL = 70
};

#define BATCH_MAX_INPUT ((size_t)2 << 30) /* as a single run: 2 GiB */
#define MAX_JOBS 1024

/* ---- small helpers ---------------------------------------------------------- */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above (false positive)
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Reads a whole file, NUL-terminated (files.c); "-" is a file here, never
 * standard input, which a batch or --jsonl run reads for its own. */
static char *read_file(const char *path, size_t *len, size_t max) {
    return cli_read_file(strcmp(path, "-") ? path : "./-", len, max, NULL);
}

static int status_exit(quoth_status st) {
    return st == QUOTH_ERR_LIMIT    ? B_LIMIT
           : st == QUOTH_ERR_FORMAT ? B_INVALID
           : st == QUOTH_ERR_OUTPUT ? B_OUTPUT
           : st == QUOTH_ERR_CAST   ? B_CAST
                                    : B_INTERNAL;
}

/* A failure: an exit status and a reason for a person (malloc'd). */
typedef struct {
    int status;
    char *reason;
} failure;

static void fail_set(failure *f, int status, char *reason) {
    f->status = status;
    f->reason = reason ? reason : strdup("out of memory");
}

/* What every work shares: the configuration and what was loaded once. */
typedef struct {
    const quoth_batch_config *cfg;
    const char *progname;
    char *weights;        /* --ranker-weights text */
    quoth_voices *voices; /* --voices map */
    bool analyse;         /* some format needs the analysis (not -f text alone) */
    mode_t file_mode;     /* new outputs: 0666 less the umask, read once */
    quoth_jsonl_read_fn read_path; /* --jsonl "path": NULL reads the file */
    void *read_ctx;
} shared;

/* Reads bytes into a reading and (when wanted) a document. On failure
 * returns false and fills f. *own_cast is a --cast-from-tags cast.
 * owned: bytes is a file's malloc'd, NUL-terminated contents, which the
 * reading takes over in every case (plain text is then read without a
 * copy); false: the caller's to keep. */
static bool analyse_bytes(const shared *sh, const char *bytes, size_t len, bool owned, const char *hint,
                          bool analyse, quoth_reading **reading, quoth_doc **doc,
                          quoth_cast **own_cast, failure *f) {
    const quoth_batch_config *cfg = sh->cfg;
    quoth_error err;
    *reading = NULL;
    *doc = NULL;
    *own_cast = NULL;
    quoth_status st = owned ? quoth_read_owned((char *)bytes, len, hint, cfg->reader, reading, &err)
                            : quoth_read(bytes, len, hint, cfg->reader, reading, &err);
    if (st != QUOTH_OK) {
        fail_set(f, status_exit(st), strdup(err.message));
        return false;
    }
    if (!analyse)
        return true;
    size_t tlen, nmeta, npara;
    const char *text = quoth_reading_text(*reading, &tlen);
    const quoth_meta *meta = quoth_reading_meta(*reading, &nmeta);
    const quoth_span *para = quoth_reading_paratext(*reading, &npara);
    const quoth_cast *cast = cfg->cast;
    if (cfg->cast_from_tags) {
        size_t hlen;
        const char *h = quoth_reading_cast_hint(*reading, &hlen);
        quoth_error cerr;
        if (h)
            cast = *own_cast = quoth_cast_parse(h, hlen, &cerr);
    }
    quoth_options opts = {.cast = cast,
                          .stop_after = cfg->stop_after,
                          .meta = meta,
                          .nmeta = nmeta,
                          .paratext = para,
                          .nparatext = npara,
                          .ranker_weights = sh->weights,
                          /* *reading is freed after *doc: no copy of the text */
                          .flags = QUOTH_OPT_BORROW_TEXT};
    if (!(*doc = quoth_parse(text, tlen, &opts, &err))) {
        fail_set(f, err.status == QUOTH_ERR_LIMIT ? B_LIMIT : B_INTERNAL, strdup(err.message));
        quoth_reading_free(*reading);
        quoth_cast_free(*own_cast);
        *reading = NULL;
        *own_cast = NULL;
        return false;
    }
    return true;
}

/* Many works in one process: each worker thread keeps the memory of its
 * last work for the next instead of giving it back to the system. main()
 * makes every block from 128 KB on a mapping of its own (a single run's
 * peak RSS), so a novel's input, tables and growing arrays were mapped,
 * faulted in page by page and unmapped once per work; with two threads
 * each unmapping also interrupts the other CPU to flush its TLB. Blocks
 * up to 32 MB (glibc's largest threshold) now come from the thread's
 * malloc arena and stay there (a heap is not trimmed below 64 MB). The 15
 * PDNC novels at -j 2: 13,460 page faults -> 3,840, about 1,800 TLB
 * shootdown interrupts -> 280 (/proc/interrupts); max RSS 11.9 -> 16.9 MB.
 * Called before any thread starts (mallopt is process-wide: the CLI's,
 * never the library's). */
void batch_keep_memory_per_thread(void) {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}

/* Transparent huge pages for the calling thread's malloc heap, where each
 * of its works' memory comes from and stays (batch_keep_memory_per_thread): a
 * 16 MB block is taken, the 2 MB pages inside it are marked
 * MADV_HUGEPAGE, and it is given back, so the works that follow fill
 * those pages. On this VM a page's first touch costs 12-14 µs (page
 * faults were 16% of a --jsonl run over the 15 PDNC novels); a huge page
 * is one fault for 512. That run: 2,197 page faults -> 288, system time
 * 33 -> 13 ms, wall -13% on the means; peak RSS 11.3 -> 14.3 MB (memory
 * now comes in 2 MB pages; 11.5 MB since each result's buffer is freed
 * with its line). Without THP in the kernel ("never") the
 * advice does nothing; QUOTH_HUGE_PAGES=0 in the environment turns it
 * off. The many-works modes only: a single work's run keeps its 4 KB
 * pages and its smaller peak. */
void *batch_huge_pages_for_thread(void) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const char *env = getenv("QUOTH_HUGE_PAGES");
    if (env && !strcmp(env, "0"))
        return NULL;
    const size_t len = (size_t)16 << 20, huge = (size_t)2 << 20;
    char *p = malloc(len); /* below the mmap threshold: from the heap */
    if (!p)
        return NULL;
    const uintptr_t base = (uintptr_t)p; /* an address only, once p is freed */
    uintptr_t a = (base + huge - 1) & ~(uintptr_t)(huge - 1);
    uintptr_t e = (base + len) & ~(uintptr_t)(huge - 1);
    if (e > a)
        (void)madvise((void *)a, e - a, MADV_HUGEPAGE); /* advice: failing is no error */
    free(p); /* kept by the heap: trimmed only above 64 MB */
    /* The heap below the first 2 MB boundary (0 to 2 MB: where the heap
     * starts is random) cannot have a huge page, and the works' memory
     * went there first, a page fault each 4 KB. It is taken now, never
     * touched (no RSS), and given back with the thread's last work: the
     * works' memory is all in huge pages. --jsonl over the 15 PDNC novels:
     * 112-610 page faults (12 runs; 610 without address randomisation,
     * setarch -R, where that part is 2 MB: 2.0 MB of 4 KB pages and 6 MB
     * of huge pages) -> 105-110 (8 KB and 8 MB); peak RSS 10.9-12.9 ->
     * 11.3-11.6 MB. With -j 2 (two threads' heaps, each starting just
     * past a 64 MB boundary: that part is 2 MB in both) 1,146 -> 130. */
    size_t below = a - base;
    if (e > a && below > 4 * sizeof(size_t))
        return malloc(below - 4 * sizeof(size_t)); /* from where p was: the chunk after it starts below a */
#endif
    return NULL;
}

/* ---- batch: works, outputs ------------------------------------------------- */

enum { WORK_PENDING, WORK_OK, WORK_SKIPPED, WORK_FAILED };

typedef struct {
    char *path; /* as found: the argument, or DIR/relative/path */
    char *stem; /* the output's path under OUTDIR, without extension */
    off_t size; /* the input's size: the largest works start first */
    int state;
    failure fail;
} work;

typedef struct {
    work *v;
    size_t n, cap;
} work_list;

/* Takes path and stem (NULL when need_stem is false: a failure to report). */
static work *works_add(work_list *l, char *path, char *stem, bool need_stem) {
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        work *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            free(path);
            free(stem);
            return NULL;
        }
        l->v = nv;
        l->cap = ncap;
    }
    work *w = &l->v[l->n++];
    *w = (work){.path = path, .stem = stem, .state = WORK_PENDING};
    if (!path || (need_stem && !stem)) {
        free(path);
        free(stem);
        l->n--;
        return NULL;
    }
    return w;
}

/* "a/b/story.txt" -> "a/b/story": the extension of the last component goes */
static char *stem_of(const char *rel) {
    char *s = strdup(rel);
    if (!s)
        return NULL;
    char *slash = strrchr(s, '/');
    char *base = slash ? slash + 1 : s;
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return s;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks dir (shown as path, its outputs under rel) for readable files, in
 * name order. Hidden entries (".git") are left out, and so are symbolic
 * links to folders (no loops) and the output folder itself. */
static bool walk(work_list *l, const char *path, const char *rel, const struct stat *outdir_st) {
    DIR *d = opendir(path);
    if (!d) {
        work *w = works_add(l, strdup(path), NULL, false);
        if (!w)
            return false;
        w->state = WORK_FAILED;
        fail_set(&w->fail, B_INPUT, xprintf("cannot read the folder: %s", strerror(errno)));
        return true;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    bool ok = true;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                ok = false;
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) {
            ok = false;
            break;
        }
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n && ok; i++) {
        char *child = xprintf("%s/%s", path, names[i]);
        char *crel = *rel ? xprintf("%s/%s", rel, names[i]) : strdup(names[i]);
        struct stat ls, st;
        if (!child || !crel) {
            ok = false;
        } else if (lstat(child, &ls) == 0 && S_ISDIR(ls.st_mode)) {
            if (!(outdir_st && ls.st_dev == outdir_st->st_dev && ls.st_ino == outdir_st->st_ino))
                ok = walk(l, child, crel, outdir_st);
        } else if (cli_readable_name(names[i])) {
            work *w = works_add(l, child, stem_of(crel), true);
            child = NULL;
            if (!w) {
                ok = false;
            } else {
                const char *why = stat(w->path, &st) != 0 ? strerror(errno)
                                  : S_ISDIR(st.st_mode)
                                      ? "a symbolic link to a folder (not followed)"
                                  : !S_ISREG(st.st_mode) ? "not a regular file"
                                                         : NULL;
                if (why) {
                    w->state = WORK_FAILED;
                    fail_set(&w->fail, B_INPUT, xprintf("cannot read: %s", why));
                }
            }
        }
        free(child);
        free(crel);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}

static const char *format_extension(quoth_format f) {
    switch ((int)f) {
    case QUOTH_FORMAT_JSON: return ".json";
    case QUOTH_FORMAT_SCRIPT: return ".script.txt";
    case QUOTH_FORMAT_FOUNTAIN: return ".fountain";
    case QUOTH_FORMAT_TEI: return ".tei.xml";
    case QUOTH_FORMAT_HTML: return ".html";
    case QUOTH_FORMAT_CSV: return ".csv";
    case QUOTH_FORMAT_SSML: return ".ssml.xml";
    case QUOTH_FORMAT_VOICES: return ".voices.txt";
    case (int)BATCH_FORMAT_EXTRACTED: return ".text.txt";
    default: return NULL; /* none */
    }
}

/* mkdir -p for the folders above path (several threads may race: EEXIST is fine) */
static int make_parents(char *path) {
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int r = mkdir(path, 0777);
        int e = errno;
        *p = '/';
        if (r != 0 && e != EEXIST)
            return (errno = e), -1;
    }
    return 0;
}

static int file_sink(void *ctx, const char *data, size_t len) {
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* Writes one output through a temporary file beside it, renamed into place
 * only when complete (as main.c's write_result). Unlike write_result it does
 * not fsync each file: 1,000 small works took 6.2 s instead of 2.9 s with
 * it on this machine's ext4. The run syncs the output file system once at
 * the end instead (sync_outputs), before it reports success. */
static bool write_output(const shared *sh, const quoth_doc *doc, quoth_format format,
                         const char *text, size_t tlen, char *dest, const struct stat *input_st,
                         failure *f) {
    struct stat so;
    if (stat(dest, &so) == 0 && so.st_dev == input_st->st_dev && so.st_ino == input_st->st_ino) {
        fail_set(f, B_USAGE, xprintf("refusing to write the result over the input ('%s')", dest));
        return false;
    }
    char *tmp;
    int slot; /* removed by a signal (files.h) */
    /* The folders are made when the file cannot be created, not before
     * every output: each mkdir of an existing folder locks its parent for
     * writing (four mkdirs an output, all but the first work's EEXIST),
     * which the other threads' lookups wait for. Failing, make_parents
     * gives the error the file would have had before. */
    int fd = cli_tmp_create(dest, &tmp, &slot);
    if (fd < 0 && errno != ENOMEM) {
        if (make_parents(dest) != 0) {
            fail_set(f, B_OUTPUT,
                     xprintf("cannot create the folder for '%s': %s", dest, strerror(errno)));
            return false;
        }
        fd = cli_tmp_create(dest, &tmp, &slot);
    }
    FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!out) {
        if (fd < 0 && errno == ENOMEM) {
            fail_set(f, B_INTERNAL, NULL);
            return false;
        }
        fail_set(f, B_OUTPUT, xprintf("cannot write '%s': %s", dest, strerror(errno)));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        cli_tmp_disarm(slot);
        free(tmp);
        return false;
    }
    if (fchmod(fd, sh->file_mode) != 0) {
        /* keep going: the mode is a courtesy, the content matters */
    }
    quoth_render_options ropts = QUOTH_RENDER_OPTIONS_INIT;
    ropts.flags = sh->cfg->render_flags;
    ropts.voices = sh->voices;
    quoth_status st = format == BATCH_FORMAT_EXTRACTED
                          ? (fwrite(text, 1, tlen, out) == tlen ? QUOTH_OK : QUOTH_ERR_OUTPUT)
                          : quoth_render_ex(doc, format, &ropts, file_sink, out);
    int e = errno;
    if (st == QUOTH_OK && fflush(out) != 0)
        st = QUOTH_ERR_OUTPUT, e = errno;
    if (fclose(out) != 0 && st == QUOTH_OK)
        st = QUOTH_ERR_OUTPUT, e = errno;
    if (st == QUOTH_OK && rename(tmp, dest) != 0)
        st = QUOTH_ERR_OUTPUT, e = errno;
    if (st != QUOTH_OK) {
        unlink(tmp);
        fail_set(f, status_exit(st),
                 st == QUOTH_ERR_OUTPUT ? xprintf("writing '%s' failed: %s", dest, strerror(e))
                                        : strdup(quoth_status_string(st)));
    }
    cli_tmp_disarm(slot);
    free(tmp);
    return st == QUOTH_OK;
}

static bool newer_or_same(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* ---- batch: the run --------------------------------------------------------- */

typedef struct {
    shared sh;
    work_list works;
    const char *outdir;
    struct timespec deps_mtime; /* the newest of the quoth binary, cast, voices, weights */
    pthread_mutex_t lock;
    pthread_cond_t changed; /* the last work finished */
    work **order;           /* the pending works, largest first */
    size_t norder;
    size_t next; /* the next of order to take */
    size_t done, ok, skipped, failed, running;
    bool progress;
    bool bar_drawn;
} batch;

static char *output_path(const batch *b, const work *w, quoth_format f) {
    return xprintf("%s/%s%s", b->outdir, w->stem, format_extension(f));
}

/* Up to date: every output exists and is no older than the input and than
 * the quoth binary, the cast, voices and ranker weights files. */
static bool up_to_date(const batch *b, const work *w, const struct stat *in) {
    const quoth_batch_config *cfg = b->sh.cfg;
    bool any = false;
    for (size_t i = 0; i < cfg->nformats; i++) {
        if (!format_extension(cfg->formats[i]))
            continue;
        char *p = output_path(b, w, cfg->formats[i]);
        struct stat so;
        bool fresh = p && stat(p, &so) == 0 && S_ISREG(so.st_mode) &&
                     newer_or_same(&so.st_mtim, &in->st_mtim) &&
                     newer_or_same(&so.st_mtim, &b->deps_mtime);
        free(p);
        if (!fresh)
            return false;
        any = true;
    }
    return any;
}

static void run_work(batch *b, work *w) {
    const quoth_batch_config *cfg = b->sh.cfg;
    struct stat in;
    if (stat(w->path, &in) != 0) {
        fail_set(&w->fail, B_INPUT, xprintf("cannot read: %s", strerror(errno)));
        w->state = WORK_FAILED;
        return;
    }
    if (cfg->resume && up_to_date(b, w, &in)) {
        w->state = WORK_SKIPPED;
        return;
    }
    size_t len;
    char *bytes = read_file(w->path, &len, BATCH_MAX_INPUT);
    if (!bytes) {
        int e = errno;
        fail_set(
            &w->fail, e == EFBIG ? B_LIMIT : B_INPUT,
            xprintf("cannot read: %s", e == EFBIG ? "larger than the 2 GiB limit" : strerror(e)));
        w->state = WORK_FAILED;
        return;
    }
    quoth_reading *reading;
    quoth_doc *doc;
    quoth_cast *own_cast;
    /* the reading takes bytes over */
    bool ok = analyse_bytes(&b->sh, bytes, len, true, w->path, b->sh.analyse, &reading, &doc, &own_cast,
                            &w->fail);
    if (ok) {
        size_t tlen;
        const char *text = quoth_reading_text(reading, &tlen);
        for (size_t i = 0; i < cfg->nformats && ok; i++) {
            if (!format_extension(cfg->formats[i]))
                continue;
            char *dest = output_path(b, w, cfg->formats[i]);
            if (!dest) {
                fail_set(&w->fail, B_INTERNAL, NULL);
                ok = false;
            } else {
                ok = write_output(&b->sh, doc, cfg->formats[i], text, tlen, dest, &in, &w->fail);
            }
            free(dest);
        }
    }
    quoth_doc_free(doc);
    quoth_reading_free(reading);
    quoth_cast_free(own_cast);
    w->state = ok ? WORK_OK : WORK_FAILED;
}

static void format_duration(char *buf, size_t cap, double s) {
    long t = s < 0 ? 0 : (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

/* Called with the lock held. */
static void draw_progress(batch *b, double start) {
    size_t total = b->works.n;
    double el = now_seconds() - start;
    double rate = el > 0 ? (double)b->done / el : 0;
    char eta[32] = "--:--";
    if (b->done && rate > 0)
        format_duration(eta, sizeof eta, (double)(total - b->done) / rate);
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    size_t fill = total ? b->done * WIDTH / total : WIDTH;
    for (size_t i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu works  %.1f works/s  ETA %s", bar, b->done, total, rate,
            eta);
    if (b->failed)
        fprintf(stderr, "  %zu failed", b->failed);
    fflush(stderr);
    b->bar_drawn = true;
}

static void *batch_worker(void *arg) {
    batch *b = arg;
    void *huge_pad = batch_huge_pages_for_thread();
    pthread_mutex_lock(&b->lock);
    for (;;) {
        if (b->next >= b->norder)
            break;
        work *w = b->order[b->next++];
        b->running++;
        pthread_mutex_unlock(&b->lock);
        run_work(b, w);
        pthread_mutex_lock(&b->lock);
        b->running--;
        b->done++;
        if (w->state == WORK_OK)
            b->ok++;
        else if (w->state == WORK_SKIPPED)
            b->skipped++;
        else {
            b->failed++;
            if (b->bar_drawn)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "%s: %s: %s\n", b->sh.progname, w->path, w->fail.reason);
            b->bar_drawn = false;
        }
        /* The main thread is woken for the last work only (the bar redraws
         * on its 200 ms tick): a wake-up per work preempted a worker on a
         * busy CPU, and the woken thread then blocked on this lock until
         * the worker let it go, four context switches a work (1,000 small
         * works at -j 2: 3,951 futex calls) */
        if (b->done == b->works.n)
            pthread_cond_signal(&b->changed);
    }
    pthread_mutex_unlock(&b->lock);
    free(huge_pad);
    return NULL;
}

static unsigned online_cpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

static void newest(struct timespec *acc, const char *path) {
    struct stat st;
    if (path && stat(path, &st) == 0 && !newer_or_same(acc, &st.st_mtim))
        *acc = st.st_mtim;
}

static bool load_shared(shared *sh, const quoth_batch_config *cfg, const char *progname, int *rc) {
    *sh = (shared){.cfg = cfg, .progname = progname};
    mode_t mask = umask(0); /* before any thread: umask is process-wide */
    umask(mask);
    sh->file_mode = 0666 & ~mask;
    for (size_t i = 0; i < cfg->nformats; i++)
        sh->analyse |= cfg->formats[i] != BATCH_FORMAT_EXTRACTED;
    size_t n;
    if (cfg->weights_path && !(sh->weights = read_file(cfg->weights_path, &n, (size_t)1 << 20))) {
        fprintf(stderr, "%s: cannot read ranker weights '%s': %s\n", progname, cfg->weights_path,
                strerror(errno));
        *rc = B_INPUT;
        return false;
    }
    if (cfg->weights_path) {
        /* a bad weights file is a usage error once, not a failure per work */
        quoth_error err;
        quoth_options o = {.ranker_weights = sh->weights};
        quoth_doc *d = quoth_parse("", 0, &o, &err);
        if (!d) {
            fprintf(stderr, "%s: %s: %s\n", progname, cfg->weights_path, err.message);
            free(sh->weights);
            *rc = B_USAGE;
            return false;
        }
        quoth_doc_free(d);
    }
    if (cfg->voices_path) {
        char *v = read_file(cfg->voices_path, &n, (size_t)64 << 20);
        if (!v) {
            fprintf(stderr, "%s: cannot read voices file '%s': %s\n", progname, cfg->voices_path,
                    strerror(errno));
            free(sh->weights);
            *rc = B_INPUT;
            return false;
        }
        quoth_error err;
        sh->voices = quoth_voices_parse(v, n, &err);
        free(v);
        if (!sh->voices) {
            fprintf(stderr, "%s: %s:%zu: %s\n", progname, cfg->voices_path, err.line, err.message);
            free(sh->weights);
            *rc = err.status == QUOTH_ERR_NOMEM ? B_INTERNAL : B_CAST;
            return false;
        }
    }
    return true;
}

static void free_shared(shared *sh) {
    free(sh->weights);
    quoth_voices_free(sh->voices);
}

/* Largest first, so that a long novel does not start last and leave the
 * other threads idle at the end; ties in the order of the works. */
static int compare_sizes(const void *a, const void *b) {
    const work *x = *(work *const *)a, *y = *(work *const *)b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int compare_stems(const void *a, const void *b) {
    const work *x = *(work *const *)a, *y = *(work *const *)b;
    int c = strcmp(x->stem, y->stem);
    return c ? c : (x < y ? -1 : x > y);
}

/* Makes the outputs durable, all at once: one syncfs of the output folder's
 * file system (sync() where syncfs is refused). */
static void sync_outputs(const char *outdir) {
    int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok = fd >= 0 && syncfs(fd) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok)
        sync();
}

int quoth_batch_main(const quoth_batch_config *cfg, const char *progname) {
    double start = now_seconds();
    int rc = B_OK;
    batch b = {.outdir = cfg->outdir};
    if (!load_shared(&b.sh, cfg, progname, &rc))
        return rc;
    struct stat outdir_st;
    bool have_outdir = stat(b.outdir, &outdir_st) == 0;
    if (have_outdir && !S_ISDIR(outdir_st.st_mode)) {
        fprintf(stderr, "%s: the output folder '%s' is not a folder\n", progname, b.outdir);
        free_shared(&b.sh);
        return B_OUTPUT;
    }
    char *slashed = have_outdir ? NULL : xprintf("%s/", b.outdir); /* mkdir -p */
    int made = have_outdir ? 0 : slashed ? make_parents(slashed) : (errno = ENOMEM, -1);
    free(slashed);
    if (made != 0) {
        fprintf(stderr, "%s: cannot create the output folder '%s': %s\n", progname, b.outdir,
                strerror(errno));
        free_shared(&b.sh);
        return B_OUTPUT;
    }
    if (stat(b.outdir, &outdir_st) != 0) {
        fprintf(stderr, "%s: cannot use the output folder '%s': %s\n", progname, b.outdir,
                strerror(errno));
        free_shared(&b.sh);
        return B_OUTPUT;
    }

    /* the works: files as given (any extension), folders walked */
    bool ok = true;
    for (size_t i = 0; i < cfg->ninputs && ok; i++) {
        const char *in = cfg->inputs[i];
        struct stat st;
        if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t l = strlen(in);
            char *trimmed = strdup(in);
            ok = trimmed != NULL;
            while (ok && l > 1 && trimmed[l - 1] == '/')
                trimmed[--l] = '\0';
            ok = ok && walk(&b.works, trimmed, "", &outdir_st);
            free(trimmed);
        } else {
            const char *slash = strrchr(in, '/');
            work *w = works_add(&b.works, strdup(in), stem_of(slash ? slash + 1 : in), true);
            ok = w != NULL;
        }
    }
    if (!ok) {
        fprintf(stderr, "%s: out of memory listing the works\n", progname);
        rc = B_INTERNAL;
        goto out;
    }
    /* two works whose outputs would have the same name: the later one fails */
    work **by_stem = malloc((b.works.n + 1) * sizeof *by_stem);
    size_t nstem = 0;
    if (!by_stem) {
        rc = B_INTERNAL;
        goto out;
    }
    for (size_t i = 0; i < b.works.n; i++)
        if (b.works.v[i].state == WORK_PENDING)
            by_stem[nstem++] = &b.works.v[i];
    if (nstem)
        qsort(by_stem, nstem, sizeof *by_stem, compare_stems);
    for (size_t i = 1; i < nstem; i++) {
        work *first = by_stem[i - 1], *w = by_stem[i];
        if (strcmp(first->stem, w->stem))
            continue;
        w->state = WORK_FAILED;
        fail_set(
            &w->fail, B_OUTPUT,
            xprintf(
                "its output would be %s/%s.*, the same as for '%s'; run it on its own or rename it",
                b.outdir, w->stem, first->path));
        by_stem[i] = by_stem[i - 1]; /* later clashes name the first */
    }
    free(by_stem);

    size_t prefailed = 0;
    if (!(b.order = malloc((b.works.n + 1) * sizeof *b.order))) {
        rc = B_INTERNAL;
        goto out;
    }
    for (size_t i = 0; i < b.works.n; i++) {
        work *w = &b.works.v[i];
        if (w->state == WORK_FAILED) {
            prefailed++;
            fprintf(stderr, "%s: %s: %s\n", progname, w->path, w->fail.reason);
            continue;
        }
        struct stat st;
        w->size = stat(w->path, &st) == 0 ? st.st_size : 0;
        b.order[b.norder++] = w;
    }
    if (b.norder)
        qsort(b.order, b.norder, sizeof *b.order, compare_sizes);
    b.failed = b.done = prefailed;
    if (!b.works.n) {
        fprintf(stderr,
                "%s: no works found (readable files: .txt .md .markdown .html .htm .xhtml .epub)\n",
                progname);
        goto out;
    }

    b.deps_mtime = (struct timespec){0, 0};
    char exe[PATH_MAX];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (el > 0) {
        exe[el] = '\0';
        newest(&b.deps_mtime, exe);
    }
    newest(&b.deps_mtime, cfg->cast_path);
    newest(&b.deps_mtime, cfg->voices_path);
    newest(&b.deps_mtime, cfg->weights_path);

    batch_keep_memory_per_thread();
    unsigned jobs = cfg->jobs ? cfg->jobs : online_cpus();
    if (jobs > b.works.n - prefailed)
        jobs = b.works.n - prefailed ? (unsigned)(b.works.n - prefailed) : 1;
    b.progress = cfg->progress < 0 ? isatty(STDERR_FILENO) : cfg->progress;
    pthread_mutex_init(&b.lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b.changed, &ca);
    pthread_condattr_destroy(&ca);
    pthread_t *threads = calloc(jobs, sizeof *threads);
    unsigned started = 0;
    if (threads)
        for (; started < jobs; started++)
            if (pthread_create(&threads[started], NULL, batch_worker, &b) != 0)
                break;
    if (!started) {
        fprintf(stderr, "%s: cannot start a worker thread\n", progname);
        rc = B_INTERNAL;
    } else {
        /* the main thread draws the progress bar until every worker is done */
        pthread_mutex_lock(&b.lock);
        while (b.done < b.works.n) {
            if (b.progress)
                draw_progress(&b, start);
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += 200000000L;
            if (until.tv_nsec >= 1000000000L)
                until.tv_sec++, until.tv_nsec -= 1000000000L;
            pthread_cond_timedwait(&b.changed, &b.lock, &until);
        }
        if (b.progress)
            draw_progress(&b, start);
        if (b.bar_drawn)
            fputc('\n', stderr);
        pthread_mutex_unlock(&b.lock);
    }
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    pthread_cond_destroy(&b.changed);
    pthread_mutex_destroy(&b.lock);
    if (rc != B_OK)
        goto out;
    if (b.ok)
        sync_outputs(b.outdir);

    double el_s = now_seconds() - start;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    fprintf(stderr,
            "%s: %zu works: %zu ok, %zu skipped (up to date), %zu failed; %.2f s (CPU %.2f s, %u "
            "%s), %.1f works/s; outputs in %s/\n",
            progname, b.works.n, b.ok, b.skipped, b.failed, el_s, cpu, jobs,
            jobs == 1 ? "thread" : "threads", el_s > 0 ? (double)(b.ok + b.skipped) / el_s : 0.0,
            b.outdir);
    if (b.failed) {
        fprintf(stderr, "%s: failed works:\n", progname);
        for (size_t i = 0; i < b.works.n; i++) {
            work *w = &b.works.v[i];
            if (w->state != WORK_FAILED)
                continue;
            fprintf(stderr, "  %s: %s\n", w->path, w->fail.reason);
            if (rc == B_OK)
                rc = w->fail.status ? w->fail.status : B_INTERNAL;
        }
    }
out:
    for (size_t i = 0; i < b.works.n; i++) {
        free(b.works.v[i].path);
        free(b.works.v[i].stem);
        free(b.works.v[i].fail.reason);
    }
    free(b.works.v);
    free(b.order);
    free_shared(&b.sh);
    return rc;
}

/* ---- --jsonl: one JSON object a line in, one a line out ------------------- */

typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} strbuf;

/* Room for n more bytes and the terminating NUL; false once out of memory. */
static bool sb_reserve(strbuf *s, size_t n) {
    if (s->failed)
        return false;
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *nd = realloc(s->data, cap);
        if (!nd) {
            s->failed = true;
            return false;
        }
        s->data = nd;
        s->cap = cap;
    }
    return true;
}

static void sb_add(strbuf *s, const char *p, size_t n) {
    if (!sb_reserve(s, n))
        return;
    memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
}

static void sb_puts(strbuf *s, const char *p) { sb_add(s, p, strlen(p)); }

/* A sink that appends to a strbuf: the renderer writes a --jsonl result
 * on one line itself (QUOTH_RENDER_COMPACT). */
static int strbuf_write(void *ctx, const char *data, size_t len) {
    strbuf *s = ctx;
    sb_add(s, data, len);
    return s->failed ? -1 : 0;
}

static void add_json(strbuf *s, const json_t *v) {
    char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    sb_puts(s, t ? t : "null");
    free(t);
}

/* One input line -> one output line (with its '\n') in out. */
static void jsonl_line(const shared *sh, const char *line, size_t len, const char *source, size_t lineno,
                       strbuf *out) {
    json_error_t jerr;
    json_t *in = json_loadb(line, len, 0, &jerr);
    json_t *id = NULL;
    char *error = NULL;
    const json_t *text = NULL, *path = NULL;
    if (!in)
        error = xprintf("%s line %zu, column %d: invalid JSON: %s; each line must be one object "
                        "{\"id\": ..., \"text\": \"...\"} or {\"id\": ..., \"path\": \"...\"}",
                        source, lineno, jerr.column, jerr.text);
    else if (!json_is_object(in))
        error = xprintf("%s line %zu: not a JSON object; give {\"id\": ..., \"text\": \"...\"}", source, lineno);
    else if (!(id = json_object_get(in, "id")) || json_is_null(id))
        error = xprintf("%s line %zu: no \"id\" (the answer carries it back)", source, lineno);
    else {
        text = json_object_get(in, "text");
        path = json_object_get(in, "path");
        if ((text != NULL) == (path != NULL))
            error = xprintf("%s line %zu: give one of \"text\" and \"path\"", source, lineno);
        else if (!json_is_string(text ? text : path))
            error = xprintf("%s line %zu: \"%s\" is not a string", source, lineno, text ? "text" : "path");
    }
    if (!error) {
        char *bytes = NULL;
        size_t n = 0;
        const char *src;
        if (text) {
            src = json_string_value(text);
            n = json_string_length(text);
        } else if (!(src = bytes = sh->read_path ? sh->read_path(sh->read_ctx,
                                                                  json_string_value(path), &n)
                                                 : read_file(json_string_value(path), &n,
                                                             BATCH_MAX_INPUT))) {
            int e = errno;
            error = xprintf("cannot read '%s': %s", json_string_value(path),
                            e == EFBIG ? "larger than the 2 GiB limit" : strerror(e));
        }
        if (src) {
            quoth_reading *reading;
            quoth_doc *doc;
            quoth_cast *own_cast;
            failure f = {0, NULL};
            bool owned = bytes != NULL; /* the reading takes a file's bytes over */
            bytes = NULL;
            if (analyse_bytes(sh, src, n, owned, path ? json_string_value(path) : NULL, true, &reading,
                              &doc, &own_cast, &f)) {
                /* a JSON result is 0.3 to 1.6 times its text: room for the
                 * text's length at once, not a copy at each doubling */
                sb_reserve(out, n + 4096);
                sb_puts(out, "{\"id\":");
                add_json(out, id);
                sb_puts(out, ",\"result\":");
                quoth_status st = quoth_render(doc, QUOTH_FORMAT_JSON,
                                               sh->cfg->render_flags | QUOTH_RENDER_COMPACT,
                                               strbuf_write, out);
                if (st != QUOTH_OK) {
                    out->len = 0;
                    error = xprintf("%s", quoth_status_string(st));
                } else {
                    sb_puts(out, "}\n");
                }
                quoth_doc_free(doc);
                quoth_reading_free(reading);
                quoth_cast_free(own_cast);
            } else {
                error = path ? xprintf("'%s': %s", json_string_value(path), f.reason) : f.reason;
                if (path)
                    free(f.reason);
            }
        }
        free(bytes);
    }
    if (error || out->failed) {
        out->len = 0;
        out->failed = false;
        sb_puts(out, "{\"id\":");
        add_json(out, id);
        sb_puts(out, ",\"error\":");
        json_t *msg = json_string(error ? error : "out of memory");
        if (!msg) /* a file name that is not UTF-8 */
            msg = json_sprintf("line %zu: a file name that is not UTF-8 could not be read", lineno);
        /* (the source name itself may be what is not UTF-8) */
        add_json(out, msg);
        json_decref(msg);
        sb_puts(out, "}\n");
    }
    free(error);
    json_decref(in);
}

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

enum { SLOT_FREE, SLOT_PENDING, SLOT_DONE };

typedef struct {
    char *line;
    size_t len, lineno;
    const char *source; /* the JSONL file's name, for messages */
    strbuf out;
    int state;
} slot;

/* Lines are answered by N workers through a ring of slots; the main thread
 * reads ahead at most the ring's size and writes the answers in input order. */
typedef struct {
    shared sh;
    slot *ring;
    size_t nring;
    size_t nread, nwork; /* lines published, lines taken by a worker */
    bool quit;
    pthread_mutex_t lock;
    pthread_cond_t work_cv, done_cv;
} stream;

static void *jsonl_worker(void *arg) {
    stream *s = arg;
    void *huge_pad = batch_huge_pages_for_thread();
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (s->nwork == s->nread && !s->quit)
            pthread_cond_wait(&s->work_cv, &s->lock);
        if (s->nwork == s->nread)
            break;
        slot *sl = &s->ring[s->nwork++ % s->nring];
        pthread_mutex_unlock(&s->lock);
        jsonl_line(&s->sh, sl->line, sl->len, sl->source, sl->lineno, &sl->out);
        pthread_mutex_lock(&s->lock);
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&s->done_cv);
    }
    pthread_mutex_unlock(&s->lock);
    free(huge_pad);
    return NULL;
}

static bool emit(const strbuf *o, bool flush) {
    return fwrite(o->data, 1, o->len, stdout) == o->len && (!flush || fflush(stdout) == 0);
}

int quoth_jsonl_main(const quoth_batch_config *cfg, const char *progname) {
    int rc = B_OK;
    stream s = {.nring = 0};
    if (!load_shared(&s.sh, cfg, progname, &rc))
        return rc;
    batch_keep_memory_per_thread();
    unsigned jobs = cfg->jobs ? cfg->jobs : 1;
    s.nring = (size_t)jobs * 4;
    s.ring = calloc(s.nring, sizeof *s.ring);
    pthread_t *threads = calloc(jobs, sizeof *threads);
    if (!s.ring || !threads) {
        free(s.ring);
        free(threads);
        free_shared(&s.sh);
        return B_INTERNAL;
    }
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.work_cv, NULL);
    pthread_cond_init(&s.done_cv, NULL);
    unsigned started = 0;
    if (jobs > 1)
        while (started < jobs && pthread_create(&threads[started], NULL, jsonl_worker, &s) == 0)
            started++;
    void *huge_pad = NULL;
    if (!started) /* one job: the main thread analyses the works */
        huge_pad = batch_huge_pages_for_thread();
    size_t nwritten = 0;
    bool write_failed = false;
    static const char *const stdin_only[] = {"-"};
    const char *const *files = cfg->ninputs ? cfg->inputs : stdin_only;
    size_t nfiles = cfg->ninputs ? cfg->ninputs : 1;
    char *line = NULL;
    size_t linecap = 0;
    for (size_t fi = 0; fi < nfiles && !write_failed; fi++) {
        bool is_stdin = !strcmp(files[fi], "-");
        FILE *f = is_stdin ? stdin : fopen(files[fi], "rb");
        if (!f) {
            fprintf(stderr, "%s: cannot read '%s': %s\n", progname, files[fi], strerror(errno));
            rc = B_INPUT;
            continue;
        }
        size_t lineno = 0;
        bool eof = false;
        while (!eof || nwritten < s.nread) {
            /* read ahead while the ring has room (one line at a time alone) */
            while (!eof && s.nread - nwritten < (started ? s.nring : 1)) {
                ssize_t n = getline(&line, &linecap, f);
                if (n < 0) {
                    if (ferror(f)) {
                        fprintf(stderr, "%s: reading '%s' failed: %s\n", progname,
                                is_stdin ? "standard input" : files[fi], strerror(errno));
                        rc = B_INPUT;
                    }
                    eof = true;
                    break;
                }
                lineno++;
                if (blank(line, (size_t)n))
                    continue;
                slot *sl = &s.ring[s.nread % s.nring];
                free(sl->line);
                sl->line = line;
                sl->len = (size_t)n;
                sl->lineno = lineno;
                sl->source = is_stdin ? "standard input" : files[fi];
                sl->out.len = 0;
                sl->state = SLOT_PENDING;
                line = NULL;
                linecap = 0;
                if (!started) {
                    jsonl_line(&s.sh, sl->line, sl->len, sl->source, sl->lineno, &sl->out);
                    sl->state = SLOT_DONE;
                    s.nread++;
                } else {
                    pthread_mutex_lock(&s.lock);
                    s.nread++;
                    pthread_cond_signal(&s.work_cv);
                    pthread_mutex_unlock(&s.lock);
                }
            }
            if (nwritten == s.nread)
                continue;
            slot *sl = &s.ring[nwritten % s.nring];
            pthread_mutex_lock(&s.lock);
            while (sl->state != SLOT_DONE)
                pthread_cond_wait(&s.done_cv, &s.lock);
            pthread_mutex_unlock(&s.lock);
            if (!write_failed && !emit(&sl->out, !started)) {
                if (errno != EPIPE) /* quoth --jsonl | head: the reader went away */
                    fprintf(stderr, "%s: writing to standard output failed: %s\n", progname,
                            strerror(errno));
                write_failed = true;
            }
            if (write_failed)
                eof = true; /* answer what is in flight, read no more */
            free(sl->line);
            sl->line = NULL;
            /* The result goes with its line. Kept for the next work, the
             * buffer (grown while the work's document was alive) stayed
             * in the middle of the thread's heap, and the next works'
             * memory went around it: --jsonl over the 15 PDNC novels,
             * peak RSS 14.3-14.6 -> 11.3-11.6 MB (huge pages; 11.6 -> 9.3
             * MB without), the same speed (hyperfine, 100 runs on a quiet
             * machine: 152.4 +- 5.5 and 152.7 +- 5.4 ms). */
            free(sl->out.data);
            memset(&sl->out, 0, sizeof sl->out);
            sl->state = SLOT_FREE;
            nwritten++;
        }
        if (!is_stdin)
            fclose(f);
    }
    free(line);
    pthread_mutex_lock(&s.lock);
    s.quit = true;
    pthread_cond_broadcast(&s.work_cv);
    pthread_mutex_unlock(&s.lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (!write_failed && fflush(stdout) != 0) {
        if (errno != EPIPE)
            fprintf(stderr, "%s: writing to standard output failed: %s\n", progname, strerror(errno));
        write_failed = true;
    }
    for (size_t i = 0; i < s.nring; i++) {
        free(s.ring[i].line);
        free(s.ring[i].out.data);
    }
    free(s.ring);
    free(threads);
    free(huge_pad);
    pthread_cond_destroy(&s.work_cv);
    pthread_cond_destroy(&s.done_cv);
    pthread_mutex_destroy(&s.lock);
    free_shared(&s.sh);
    return write_failed ? B_OUTPUT : rc;
}

int quoth_jsonl_buffer(const quoth_batch_config *cfg, const char *progname, const char *data,
                       size_t len, quoth_jsonl_read_fn read_path, void *read_ctx,
                       quoth_write_fn write, void *ctx) {
    shared sh;
    int rc = B_OK;
    if (!load_shared(&sh, cfg, progname, &rc))
        return rc;
    sh.read_path = read_path;
    sh.read_ctx = read_ctx;
    strbuf out = {0};
    size_t lineno = 0;
    for (size_t at = 0; at < len && rc == B_OK;) {
        /* a line as getline() gives it: up to and with its '\n' */
        const char *nl = memchr(data + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
        lineno++;
        if (!blank(data + at, n)) {
            out.len = 0;
            jsonl_line(&sh, data + at, n, "(buffer)", lineno, &out);
            if (write(ctx, out.data, out.len) != 0)
                rc = B_OUTPUT;
        }
        at += n;
    }
    free(out.data);
    free_shared(&sh);
    return rc;
}
