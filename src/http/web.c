/*
 * web.c — finding the embedded console file of a URL (web.h).
 */
#include "web.h"

#include <string.h>

const struct jf_web_file *jf_web_find(const char *url)
{
    if (strcmp(url, "/admin") == 0) {
        url = "/admin/";
    }
    if (strcmp(url, "/index.html") == 0) {
        url = "/";
    }
    if (strcmp(url, "/admin/index.html") == 0) {
        url = "/admin/";
    }
    /* few files, looked up by a linear scan: the table is ordered for people, not lookups */
    for (int i = 0; i < jf_web_n_files; i++) {
        if (strcmp(jf_web_files[i].url, url) == 0) {
            return &jf_web_files[i];
        }
    }
    return NULL;
}
