/*
 * web.h — the web console's files, embedded at build time (scripts/embed_web.py), and their
 * answers: the member pages at /, the admin console at /admin/, scripts, styles and the
 * browser packages under /assets/.
 */
#ifndef JF_WEB_H
#define JF_WEB_H

#include <stdbool.h>
#include <stddef.h>

struct jf_web_file {
    const char *url;  /* "/", "/admin/", "/assets/…" */
    const char *type; /* the Content-Type */
    const unsigned char *data;
    size_t len;
};
extern const struct jf_web_file jf_web_files[];
extern const int jf_web_n_files;

/* The embedded file served at `url` (the path, without query), or NULL. "/admin" is the admin
 * console too. */
const struct jf_web_file *jf_web_find(const char *url);

#endif
