/*
 * lazy_libs.c — libxml2 and libarchive opened with dlopen on first use
 * (see lazy_libs.h).
 */
#define QUOTH_LAZY_LIBS_IMPL
#include "lazy_libs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef QUOTH_LIBXML2_SONAME
#define QUOTH_LIBXML2_SONAME "libxml2.so.2"
#endif
#ifndef QUOTH_LIBARCHIVE_SONAME
#define QUOTH_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

static lazy_libs fns;
static bool xml_ok, archive_ok;
static char xml_err[256], archive_err[256];
static pthread_once_t xml_once = PTHREAD_ONCE_INIT, archive_once = PTHREAD_ONCE_INIT;
static _Thread_local const char *last_err;

/* dlsym into a function pointer of the field's type (POSIX: dlsym's
 * result converts to a function pointer) */
#define QUOTH_LAZY_LOAD(f)                                                                                   \
    if (ok) {                                                                                                \
        void *p_ = dlsym(h, #f);                                                                             \
        if (!p_) {                                                                                           \
            snprintf(err, errlen, "%s: no symbol %s", soname, #f);                                           \
            ok = false;                                                                                      \
        } else {                                                                                             \
            *(void **)&fns.f = p_;                                                                           \
        }                                                                                                    \
    }

static void *open_lib(const char *soname, char *err, size_t errlen) {
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(err, errlen, "cannot load %s (%s)", soname, e ? e : "dlopen failed");
    }
    return h;
}

static void load_xml(void) {
    const char *soname = QUOTH_LIBXML2_SONAME;
    char *err = xml_err;
    size_t errlen = sizeof xml_err;
    void *h = open_lib(soname, err, errlen);
    bool ok = h != NULL;
    QUOTH_LAZY_XML(QUOTH_LAZY_LOAD)
    if (ok) {
        fns.xml_free = dlsym(h, "xmlFree");
        if (!fns.xml_free) {
            snprintf(err, errlen, "%s: no symbol xmlFree", soname);
            ok = false;
        }
    }
    xml_ok = ok; /* the handle stays open for the life of the process */
}

static void load_archive(void) {
    const char *soname = QUOTH_LIBARCHIVE_SONAME;
    char *err = archive_err;
    size_t errlen = sizeof archive_err;
    void *h = open_lib(soname, err, errlen);
    bool ok = h != NULL;
    QUOTH_LAZY_ARCHIVE(QUOTH_LAZY_LOAD)
    archive_ok = ok;
}

bool lazy_xml(void) {
    pthread_once(&xml_once, load_xml);
    if (!xml_ok)
        last_err = xml_err;
    return xml_ok;
}

bool lazy_archive(void) {
    pthread_once(&archive_once, load_archive);
    if (!archive_ok)
        last_err = archive_err;
    return archive_ok;
}

const char *lazy_error(void) { return last_err ? last_err : ""; }

const lazy_libs *lazy_fns(void) { return &fns; }
