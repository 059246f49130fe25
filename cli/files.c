/*
 * files.c — see files.h.
 */
#define _XOPEN_SOURCE 700
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

char *cli_read_file(const char *path, size_t *len, size_t max, struct stat *st_out) {
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        if (fd != STDIN_FILENO)
            close(fd);
        errno = e;
        return NULL;
    }
    if (st_out)
        *st_out = st;
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size >= max) {
        if (fd != STDIN_FILENO)
            close(fd);
        errno = EFBIG;
        return NULL;
    }
    /* a file's size, its NUL and a byte more: the read that finds the end
     * has room, not a doubling (a copy of the whole work in a batch run) */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 2 : (size_t)1 << 16;
    size_t n = 0;
    char *data = malloc(cap);
    int e = 0;
    while (data) {
        if (n + 1 >= cap) { /* always room for the NUL */
            if (cap >= max) {
                e = EFBIG;
                break;
            }
            char *nd = realloc(data, cap * 2);
            if (!nd) {
                e = ENOMEM;
                break;
            }
            data = nd;
            cap *= 2;
        }
        ssize_t r = read(fd, data + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            e = errno ? errno : EIO;
            break;
        }
        if (r == 0) {
            data[n] = '\0';
            if (fd != STDIN_FILENO)
                close(fd);
            *len = n;
            return data;
        }
        n += (size_t)r;
        if (n >= max) {
            e = EFBIG;
            break;
        }
    }
    if (!data)
        e = ENOMEM;
    free(data);
    if (fd != STDIN_FILENO)
        close(fd);
    errno = e;
    return NULL;
}

bool cli_readable_name(const char *name) {
    static const char *const exts[] = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"};
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (!strcasecmp(dot, exts[i]))
            return true;
    return false;
}

/* Length of the valid UTF-8 sequence at s, or 0 (overlong, surrogate,
 * truncated, past U+10FFFF, a stray continuation byte). */
static size_t utf8_valid_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

bool cli_utf16_bom(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    return n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

const char *cli_utf16_implausible(const char *text, size_t n) {
    for (const char *p = memchr(text, 0xEF, n); p; p = memchr(p + 1, 0xEF, n - (size_t)(p + 1 - text)))
        if ((size_t)(p - text) + 3 <= n && !memcmp(p, "\xEF\xBF\xBD", 3))
            return "some of it is not UTF-16 (an odd last byte or a lone surrogate, read as U+FFFD)";
    size_t head = n < 4096 ? n : 4096;
    if (head < 64)
        return NULL;
    for (size_t i = 0; i < head; i++)
        if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')
            return NULL;
    return "what that gives has no space or line break: it does not look like text";
}

void cli_check_text(const char *s, size_t n, cli_text_check *out) {
    const unsigned char *u = (const unsigned char *)s;
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n;) {
#ifdef __SSE2__
        /* sixteen plain ASCII bytes at a time where SSE2 is at hand */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
            if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))))
                break;
            i += 16;
        }
#endif
        /* eight plain ASCII bytes at a time (no high bit, no NUL): most text */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, u + i, 8);
            if ((v & highs) || ((v - ones) & ~v & highs))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = u[i];
        size_t l = c >= 0x80 ? utf8_valid_len(u + i, n - i) : 1;
        bool bad = l == 0 || c == 0;
        if (bad && !out->line) {
            /* the first bad byte's line and column, counted once */
            size_t line = 1, line_start = 0;
            for (const unsigned char *nl = memchr(u, '\n', i); nl; nl = memchr(nl + 1, '\n', i - (size_t)(nl + 1 - u))) {
                line++;
                line_start = (size_t)(nl - u) + 1;
            }
            out->line = line;
            out->column = i - line_start + 1;
        }
        if (c == 0)
            out->nul++;
        else if (!l)
            out->invalid++;
        i += l ? l : 1;
    }
}

/* ---- temporary outputs and signals ------------------------------------------ */

/* Slot states: free, being filled or emptied, armed (the handler may unlink). */
enum { TMP_FREE, TMP_BUSY, TMP_ARMED };
static atomic_int tmp_state[CLI_TMP_SLOTS];
static char tmp_path[CLI_TMP_SLOTS][PATH_MAX];

int cli_tmp_arm(const char *path) {
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < CLI_TMP_SLOTS; i++) {
        int expected = TMP_FREE;
        if (atomic_compare_exchange_strong(&tmp_state[i], &expected, TMP_BUSY)) {
            memcpy(tmp_path[i], path, n + 1);
            atomic_store(&tmp_state[i], TMP_ARMED);
            return i;
        }
    }
    return -1;
}

void cli_tmp_disarm(int slot) {
    if (slot < 0 || slot >= CLI_TMP_SLOTS)
        return;
    atomic_store(&tmp_state[slot], TMP_BUSY);
    atomic_store(&tmp_state[slot], TMP_FREE);
}

int cli_tmp_create(const char *dest, char **tmp, int *slot) {
    static atomic_uint counter;
    *tmp = NULL;
    *slot = -1;
    size_t n = strlen(dest) + 16;
    char *name = malloc(n);
    if (!name) {
        errno = ENOMEM;
        return -1;
    }
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int attempt = 0; attempt < 100; attempt++) {
        /* six characters from the process id, a per-process counter and the
         * attempt: unique among this process's files, and unlikely to meet
         * another's (an existing name is skipped: O_EXCL) */
        uint64_t v = ((uint64_t)getpid() << 24) ^ (uint64_t)atomic_fetch_add(&counter, 1u) * 0x9E3779B97F4A7C15ull ^
                     (uint64_t)attempt * 0xD1B54A32D192ED03ull;
        char suffix[7];
        for (int i = 0; i < 6; i++, v /= 62)
            suffix[i] = digits[v % 62];
        suffix[6] = '\0';
        snprintf(name, n, "%s.tmp.%s", dest, suffix);
        int s = cli_tmp_arm(name);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            *tmp = name;
            *slot = s;
            return fd;
        }
        int e = errno;
        cli_tmp_disarm(s);
        if (e != EEXIST) {
            free(name);
            errno = e;
            return -1;
        }
    }
    free(name);
    errno = EEXIST;
    return -1;
}

static void on_signal(int sig) {
    int saved = errno;
    for (int i = 0; i < CLI_TMP_SLOTS; i++)
        if (atomic_load(&tmp_state[i]) == TMP_ARMED)
            unlink(tmp_path[i]); /* async-signal-safe */
    /* end as the signal would have ended us: the caller sees SIGINT/SIGTERM */
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved;
}

void cli_signals_init(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* a shell runs background jobs with SIGINT ignored: keep that */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_DFL);
}
