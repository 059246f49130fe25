/*
 * batch.h — whole-archive runs of the quoth command (cli/batch.c):
 *   quoth -d OUTDIR [-j N] [--resume] FILE|DIR...     one output per work
 *   quoth --jsonl [-j N] [FILE...]                     JSON lines in, JSON lines out
 * main.c parses the options they share with a single run and calls these.
 */
#ifndef QUOTH_CLI_BATCH_H
#define QUOTH_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "quoth.h"
#include "quoth_read.h"

/* main.c's FORMAT_EXTRACTED: -f text, the reader's text byte for byte */
#define BATCH_FORMAT_EXTRACTED ((quoth_format)-1)

typedef struct {
    const char *const *inputs; /* files and folders; --jsonl: JSONL files ("-": stdin) */
    size_t ninputs;
    const char *outdir;          /* -d: required for a batch run; created when missing */
    unsigned jobs;               /* worker threads; 0: batch, online CPUs; --jsonl, 1 */
    int progress;                /* -1: when stderr is a terminal; 0 never; 1 always */
    bool resume;                 /* skip works whose outputs are up to date */
    const quoth_format *formats; /* 0: none (analyse only); BATCH_FORMAT_EXTRACTED */
    size_t nformats;
    quoth_reader_kind reader;
    const quoth_cast *cast; /* shared, read-only, by every work; may be NULL */
    const char *cast_path;  /* for --resume: outputs must be newer than it */
    bool cast_from_tags;
    quoth_stage stop_after;
    const char *weights_path; /* --ranker-weights; NULL */
    const char *voices_path;  /* --voices; NULL */
    unsigned render_flags;    /* QUOTH_RENDER_* */
} quoth_batch_config;

/* Exit statuses are main.c's: 0 every work done (or up to date), 2 usage,
 * else the status of the first failed work in the order of the works. */
int quoth_batch_main(const quoth_batch_config *cfg, const char *progname);

/* Many works in one process (cli/batch.c): each thread keeps its memory
 * from one work to the next (call before any thread starts), and asks for
 * transparent huge pages for it (call in each thread that analyses; free
 * what it returns, possibly NULL, when the thread is done with its works). */
void batch_keep_memory_per_thread(void);
void *batch_huge_pages_for_thread(void);

/* 0 when every line was answered (bad lines get an "error" line), 3 an
 * input file unreadable, 6 output failed. */
int quoth_jsonl_main(const quoth_batch_config *cfg, const char *progname);

/* Reads a --jsonl "path" for quoth_jsonl_buffer: a malloc'd copy of the
 * file's bytes with a NUL after them and *len set, or NULL with errno set
 * (cli_read_file's contract). */
typedef char *(*quoth_jsonl_read_fn)(void *ctx, const char *path, size_t *len);

/* The stream mode's line parser without files or threads, for the fuzz
 * target (fuzz/fuzz_jsonl.c): answers every line of data[0, len) (split
 * as getline() splits them; blank lines skipped) exactly as
 * quoth_jsonl_main does, handing each answer line, with its '\n', to
 * write. A "path" is read by read_path (NULL: from the file system).
 * Returns 0, or quoth_jsonl_main's status when the shared files cannot be
 * loaded (cfg->weights_path, cfg->voices_path) or write fails (6). */
int quoth_jsonl_buffer(const quoth_batch_config *cfg, const char *progname, const char *data,
                       size_t len, quoth_jsonl_read_fn read_path, void *read_ctx,
                       quoth_write_fn write, void *ctx);

#endif /* QUOTH_CLI_BATCH_H */
