/*
 * files.c — see files.h.
 */
#define _XOPEN_SOURCE 700
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : (size_t)1 << 16;
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
